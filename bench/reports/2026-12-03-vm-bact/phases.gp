set terminal pngcairo size 900,560 font "sans,10"
set output "phases.png"
set title "Phase breakdown per rank: bact, 2 rank(s) x 1 thread(s) (median run)"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set xlabel "rank"
set ylabel "wall time (s)"
set key outside right
set yrange [0:*]
plot "phases.dat" using 2:xtic(1) title "pilot", "phases.dat" using 3 title "count", "phases.dat" using 4 title "histo", "phases.dat" using 5 title "build", "phases.dat" using 6 title "gather", "phases.dat" using 7 title "merge", "phases.dat" using 8 title "clean", "phases.dat" using 9 title "resolve"
