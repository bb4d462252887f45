set terminal pngcairo size 900,560 font "sans,10"
set output "scaling.png"
set title "Scaling: bact (wall min/median/max; efficiency against the smallest run)"
set xlabel "cores (ranks x threads)"
set ylabel "wall time (s)"
set y2label "parallel efficiency"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:1.2]
set xtics 1
set key top right box opaque
set offsets 0.4, 0.6, 0, 0
plot "scaling.dat" using 1:5:4:6 with yerrorbars pt 7 ps 1.2 title "wall (strong scaling)", \
     "" using 1:5:8 with labels offset 2.2,0.6 notitle, \
     "" using 1:7 axes x1y2 with points pt 5 ps 1.3 title "strong-scaling efficiency", \
     "" using 1:7:8 axes x1y2 with labels offset 2.6,-0.2 tc rgb "#3070c0" notitle, "weak.dat" using 1:3 axes x1y2 with linespoints lw 2 pt 9 title "weak-scaling efficiency (ranks)"
