#!/bin/sh
# simreads.sh -- paired 2x150 reads, insert 400 +- 50, gzip-compressed.
#   simreads.sh OUTDIR COVERAGE SEED REF.fa [HAP2.fa]
#       art_illumina (HiSeq X TruSeq error profile). With HAP2, each haplotype
#       gives half the coverage (seeds SEED and SEED+1).
#   simreads.sh -e OUTDIR COVERAGE SEED REF.fa
#       error-free reads from wgsim (-e 0 -r 0 -R 0: no errors, no mutations).
# Writes OUTDIR/reads_1.fq.gz and OUTDIR/reads_2.fq.gz (or errfree_*.fq.gz
# with -e). gzip -n leaves out names and times, so the bytes depend only on
# the reads and the gzip version; -1 because gzip -6 is 10x slower here.
set -eu
ef=0
[ "${1:-}" = -e ] && { ef=1; shift; }
[ $# -ge 4 ] || { echo "usage: simreads.sh [-e] OUTDIR COVERAGE SEED REF.fa [HAP2.fa]" >&2; exit 1; }
out=$1 cov=$2 seed=$3 ref=$4 hap2=${5:-}
for f in "$ref" $hap2; do [ -s "$f" ] || { echo "simreads.sh: missing $f" >&2; exit 1; }; done
tmp=$out/.sim.$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

art() { # art REF COV SEED PREFIX
	art_illumina -ss HSXt -p -l 150 -f "$2" -m 400 -s 50 -rs "$3" -na -i "$1" -o "$4" \
		> "$4.log" 2>&1 || { cat "$4.log" >&2; exit 1; }
}

if [ $ef = 1 ]; then
	len=$(grep -v '>' "$ref" | tr -d '\n' | wc -c)
	pairs=$(( (len * cov + 299) / 300 ))
	wgsim -e 0 -r 0 -R 0 -A 1 -1 150 -2 150 -d 400 -s 50 -N "$pairs" -S "$seed" \
		"$ref" "$tmp/a1.fq" "$tmp/a2.fq" > "$tmp/wgsim.log" 2>&1
	gzip -1 -n -c "$tmp/a1.fq" > "$out/errfree_1.fq.gz" &
	gzip -1 -n -c "$tmp/a2.fq" > "$out/errfree_2.fq.gz"
	wait
	exit 0
fi
if [ -n "$hap2" ]; then
	# the two haplotypes run in parallel: one per core
	half=$(awk -v c="$cov" 'BEGIN { print c / 2 }')
	art "$ref" "$half" "$seed" "$tmp/h1_" &
	p1=$!
	art "$hap2" "$half" $((seed + 1)) "$tmp/h2_"
	wait $p1
	cat "$tmp/h1_1.fq" "$tmp/h2_1.fq" | gzip -1 -n > "$out/reads_1.fq.gz" &
	p1=$!
	cat "$tmp/h1_2.fq" "$tmp/h2_2.fq" | gzip -1 -n > "$out/reads_2.fq.gz"
	wait $p1
else
	art "$ref" "$cov" "$seed" "$tmp/h1_"
	gzip -1 -n -c "$tmp/h1_1.fq" > "$out/reads_1.fq.gz" &
	p1=$!
	gzip -1 -n -c "$tmp/h1_2.fq" > "$out/reads_2.fq.gz"
	wait $p1
fi
