set terminal pngcairo size 900,560 font "sans,10"
set output "kernels.png"
set title "Kernels as a fraction of this machine's limit (parse, cut: 1-thread triad; count, compact, merge: random reads; exchange: all-to-all)"
set style data histograms
set style fill solid 0.85 border -1
set boxwidth 0.7
set logscale y
set yrange [*:10]
set ylabel "fraction of the limit (log)"
set xtics rotate by -30
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "red"
plot "kernels.dat" using 2:xtic(1) title "kernel / limit"
