# make demo's timeline as a PNG: the guest's and the host's rates, second
# by second, on two scales (the guest is held to 2 MB/s while the host
# moves hundreds), with the seconds ratewin held the guest shaded.
# Usage: gnuplot -e "data='demo.dat'; out='demo.png'" demo.gp
set terminal pngcairo size 900,450 font ",10"
set title "make demo: a guest copy in class 1 (shared, 2 MB/s) beside a host copy"
set xlabel "time (s)"
set ylabel "guest MB/s (log scale)"
set y2label "host MB/s"
set ytics nomirror
set y2tics
stats data using 2 name "G" nooutput
stats data using 3 name "H" nooutput
# The guest's rate on a log scale, where 2 MB/s shows beside hundreds; a
# scale of 1 MB/s where a job moved nothing: an empty range stops gnuplot.
set logscale y
set yrange [0.5:(G_max > 1 ? G_max : 1) * 2]
top = (H_max > 0 ? H_max : 1) * 1.15
set y2range [0:top]
set output out
set key outside bottom center horizontal
set grid
set style fill transparent solid 0.15 noborder
# A row covers the second before it: shade [t - 1, t] where the state,
# sampled at t, was throttled.
plot data using ($1 - 0.5):($4 * top):(1) axes x1y2 with boxes lc rgb "gray" title "throttled", \
     data using 1:2 axes x1y1 with linespoints lw 2 pt 7 lc rgb "#c0392b" title "guest", \
     data using 1:3 axes x1y2 with linespoints lw 2 pt 5 lc rgb "#2471a3" title "host"
