#!/usr/bin/env bash
# Sizes and skew at a modest size.
#  1. Transfers past the 2 GiB an MPI count holds are cut into pieces (the
#     exchange rounds, the fragment gather, the broadcasts): with the pieces
#     shrunk to a few hundred bytes (DACTYL_TEST_MPI_CHUNK, src/fault.c) the
#     outputs must be byte-identical to a normal run, at -np 4.
#  2. A genome that is mostly one satellite (a 171 bp unit, 3,000 copies in
#     tandem): the run finishes at -np 1 and -np 4 with the same histogram
#     and contigs, and the histogram accounts for every k-mer occurrence of
#     the reads, counted here by awk from the read lengths alone.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
K=31

# --- 1. pieces ---------------------------------------------------------------
$SIM genome 60000 21 > g.fa
$SIM reads g.fa 100 30 22 0.01 > r.fq
dy 4 1 asm -k $K -o big r.fq 2> big.log || bad "-np 4 run failed"
DACTYL_TEST_MPI_CHUNK=300 dy 4 1 asm -k $K -o small r.fq 2> small.log || bad "-np 4 run with 300-byte pieces failed"
for f in contigs.fa graph.gfa bubbles.fa kmer-histogram.tsv; do
	check "300-byte MPI pieces: $f byte-identical" cmp -s big/$f small/$f
done
r1=$(sed -n 's/.*"rounds": *\([0-9]*\).*/\1/p' big/stats.json | head -1)
r2=$(sed -n 's/.*"rounds": *\([0-9]*\).*/\1/p' small/stats.json | head -1)
check "300-byte pieces: more exchange rounds (${r2:-?} against ${r1:-?})" test "${r2:-0}" -gt "${r1:-0}"

# --- 2. a satellite ------------------------------------------------------------
$SIM genome 20171 23 > flank.fa
awk 'NR > 1' flank.fa | tr -d '\n' > flank.txt
unit=$(head -c 171 flank.txt)
{ echo ">sat"; head -c 10000 flank.txt; for i in $(seq 3000); do printf '%s' "$unit"; done; tail -c 10000 flank.txt; echo; } > sat.fa
$SIM reads sat.fa 100 15 24 0.005 > sat.fq
for np in 1 4; do
	dy $np 1 asm -k $K --hist-max 1000000 -o sat$np sat.fq 2> sat$np.log; rc=$?
	check "satellite genome at -np $np: exit 0" test $rc -eq 0
done
check "satellite: histogram identical at -np 1 and 4" cmp -s sat1/kmer-histogram.tsv sat4/kmer-histogram.tsv
check "satellite: contigs identical at -np 1 and 4" cmp -s sat1/contigs.fa sat4/contigs.fa
# every k-mer occurrence: per read, sum over its ACGT runs of max(0, run - K + 1)
want=$(awk -v k=$K 'NR % 4 == 2 { n = split($0, runs, /[^ACGT]+/); for (i = 1; i <= n; i++) if (length(runs[i]) >= k) t += length(runs[i]) - k + 1 } END { printf "%d", t }' sat.fq)
got=$(awk '!/^#/ && NF >= 2 && $1 ~ /^[0-9]+$/ { t += $1 * $2 } END { printf "%d", t }' sat1/kmer-histogram.tsv)
check "satellite: the histogram holds every k-mer occurrence ($got of $want)" test "$got" = "$want"
top=$(awk '!/^#/ && NF >= 2 && $1 ~ /^[0-9]+$/ && $2 > 0 { m = $1 } END { print m }' sat1/kmer-histogram.tsv)
expect=$(( 3000 * 15 * (100 - K + 1) / 100 ))
check "satellite: its k-mers counted ~3000 x coverage (highest count $top, expected about $expect)" \
	awk -v t="${top:-0}" -v e=$expect 'BEGIN { exit !(t > 0.7 * e && t < 1.3 * e) }'
summary sizes
