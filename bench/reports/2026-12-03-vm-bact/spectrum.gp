set terminal pngcairo size 900,560 font "sans,10"
set output "spectrum.png"
set title "k-mer spectrum: bact, k=63, solid threshold 3 (4,974,427 solid of 26,102,776 distinct)"
set logscale xy
set xlabel "k-mer count"
set ylabel "distinct k-mers"
set xrange [1:*]
set arrow from 3, graph 0 to 3, graph 1 nohead lw 2 lc rgb "red"
set label "threshold 3" at 3, graph 0.92 offset 1,0 tc rgb "red"
plot "spectrum.dat" using 1:2 with linespoints pt 7 ps 0.5 title "k-mers at each count"
