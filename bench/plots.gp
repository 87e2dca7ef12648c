# bench/plots.gp — bench/report-ratios.png: aza-pg's median against each other
# configuration, one panel per workload, one group of bars per (memory, CPUs) cell. Above
# 1 aza-pg is ahead. Each error bar spans the lowest to the highest ratio the two min-max
# ranges allow, so one that crosses 1 is inside the run-to-run spread (the report's ~).
# Run by bench/report.sh with dir = the results directory.
set terminal pngcairo size 1400,900 noenhanced font "sans,10"
set output "bench/report-ratios.png"
set multiplot layout 3,2 title "aza-pg's median / the other's (higher is better for aza-pg; the line is 1.0; a bar whose range crosses it is inside the spread)"
set style data histograms
set style histogram errorbars gap 1 lw 1
set style fill solid 0.8 border -1
set yrange [0:*]
set grid ytics
set key below horizontal maxrows 1 font ",8" width 2
set xtics font ",8"
files = "tpcb select analytics groupby btree hnsw"
titles = "'pgbench TPC-B' 'pgbench select-only' 'analytics: sort, hash join, distinct, window' 'GROUP BY with a million groups' 'B-tree build' 'HNSW build'"
do for [i=1:6] {
  f = dir . "/ratios-" . word(files, i) . ".dat"
  set title word(titles, i)
  plot f using 2:3:4:xtic(1) title "vs defaults", '' using 5:6:7 title "vs PGTune", \
       '' using 8:9:10 title "vs timescaledb-tune", '' using 11:12:13 title "vs grid best", \
       1 with lines lc rgb "black" lw 1.5 notitle
}
unset multiplot
