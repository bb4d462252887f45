#!/usr/bin/env bash
# Determinism: byte-identical contigs.fa, graph.gfa, bubbles.fa for -np 1,2,4 x threads 1,2, and for
# tiny rounds and batches (many all-to-all rounds), on error-bearing reads.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
# a diploid genome with a repeat, so that tips, error and allele bubbles are all cleaned
$SIM genome 100000 61 300 4 > g.fa
awk 'NR==1 {print ">hap2"; next} {s = s $0} END { o = ""
	for (i = 1; i <= length(s); ++i) { c = substr(s, i, 1); if (i % 151 == 70) c = (c=="A"?"G":c=="C"?"T":c=="G"?"A":"C"); o = o c }
	print o }' g.fa > g2.fa
$SIM reads g.fa 100 15 62 0.005 > r.fq
$SIM reads g2.fa 100 15 63 0.005 >> r.fq
gzip -c r.fq > r.fq.gz
ref=""
for np in 1 2 4; do
	for t in 1 2; do
		if ! dy $np $t asm -k 31 -o o$np.$t r.fq 2> log$np.$t; then bad "-np $np -t $t: dactyl failed"; tail -3 log$np.$t; continue; fi
		[ -z "$ref" ] && ref=o$np.$t/contigs.fa
		check "-np $np x $t threads: contigs.fa identical to $ref" cmp -s "$ref" o$np.$t/contigs.fa
		for f in graph.gfa bubbles.fa contigs.fa.fai; do
			check "-np $np x $t threads: $f identical" cmp -s "${ref%/contigs.fa}/$f" o$np.$t/$f
		done
	done
done
dy 3 1 asm -k 31 --round-mb 1 --batch-mb 1 --partitions-log2 3 -o osmall r.fq r.fq.gz 2> logsmall
dy 1 2 asm -k 31 -o odouble r.fq r.fq.gz 2> logdouble
check "-np 3, 1 MiB rounds, 8 partitions, two files: same as -np 1 on the same files" \
	cmp -s osmall/contigs.fa odouble/contigs.fa
check "-np 3, 1 MiB rounds: same graph.gfa and bubbles.fa" \
	sh -c "cmp -s osmall/graph.gfa odouble/graph.gfa && cmp -s osmall/bubbles.fa odouble/bubbles.fa"
check "bubbles were popped (the check above is not empty)" test "$(grep -c '>' o1.1/bubbles.fa)" -gt 100
check "the run above took several all-to-all rounds" \
	test "$(sed -n 's/.*"rounds": \([0-9]*\).*/\1/p' osmall/stats.json)" -gt 2
# The reads kept in memory between passes (no -k: pilot, count, resolve) or
# read again from the files (cache off, or a budget too small): same bytes.
# 150x of 100 kb: 7.5 Mb per rank, 1.9 MB packed, over a 1 MiB budget.
$SIM reads g.fa 100 75 64 0.005 > big.fq
$SIM reads g2.fa 100 75 65 0.005 >> big.fq
for c in 1024 0 1; do
	if dy 2 1 asm --read-cache-mb $c -o ocache$c big.fq 2> logcache$c; then
		[ "$c" = 1024 ] && { check "no -k: the pilot chose a k, the reads stayed in memory" \
			sh -c "grep -q 'k=[0-9]* chosen' logcache$c && grep -q 'reads kept in memory' logcache$c"; continue; }
		[ "$c" = 1 ] && check "1 MiB: the reads do not fit, the log says so" grep -q 'do not all fit the read cache' logcache$c
		for f in contigs.fa graph.gfa bubbles.fa; do
			check "read cache $c MiB: $f identical to the 1024 MiB run" cmp -s ocache1024/$f ocache$c/$f
		done
	else bad "--read-cache-mb $c: dactyl failed"; tail -3 logcache$c; fi
done
summary determinism
