#!/usr/bin/env bash
# Determinism: byte-identical contigs.fa for -np 1,2,4 x threads 1,2, and for
# tiny rounds and batches (many all-to-all rounds), on error-bearing reads.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
$SIM genome 100000 61 300 4 > g.fa
$SIM reads g.fa 100 30 62 0.005 > r.fq
gzip -c r.fq > r.fq.gz
ref=""
for np in 1 2 4; do
	for t in 1 2; do
		if ! dy $np $t asm -k 31 -o o$np.$t r.fq 2> log$np.$t; then bad "-np $np -t $t: dactyl failed"; tail -3 log$np.$t; continue; fi
		[ -z "$ref" ] && ref=o$np.$t/contigs.fa
		check "-np $np x $t threads: contigs.fa identical to $ref" cmp -s "$ref" o$np.$t/contigs.fa
	done
done
dy 3 1 asm -k 31 --round-mb 1 --batch-mb 1 --partitions-log2 3 -o osmall r.fq r.fq.gz 2> logsmall
dy 1 2 asm -k 31 -o odouble r.fq r.fq.gz 2> logdouble
check "-np 3, 1 MiB rounds, 8 partitions, two files: same as -np 1 on the same files" \
	cmp -s osmall/contigs.fa odouble/contigs.fa
check "the run above took several all-to-all rounds" \
	test "$(sed -n 's/.*"rounds": \([0-9]*\).*/\1/p' osmall/stats.json)" -gt 2
summary determinism
