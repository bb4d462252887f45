#!/usr/bin/env bash
# count-peers.sh -- issue 2's measurement, in one run on one set of reads:
#   * dactyl asm at -np 1 (x THREADS threads) and -np NP (x 1 thread): wall time,
#     peak RSS per rank, bytes per distinct k-mer (from stats.json);
#   * the count phase (`dactyl count`: read, exchange, count, histogram) against
#     KMC3 and Jellyfish on the same reads and the same number of cores, as
#     throughput ratios (same reads, so ratio of wall times inverted).
#
#   bench/count-peers.sh [DATASET_DIR] [CORES]     default: datasets/data/bact, nproc
#
# Output: a table on stdout and bench/results/count-peers-<date>.tsv.
# Contigs of the asm runs are validated (contig k-mers are genome k-mers for
# >= 99%): INVALID exits 1, and without genome.fa the run is UNVALIDATED.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-datasets/data/bact}
C=${2:-$(nproc)}
K=31
[ -f "$D/reads_1.fq.gz" ] || make -C datasets "$(basename "$D")"
R1=$D/reads_1.fq.gz; R2=$D/reads_2.fq.gz
W=$(mktemp -d "${TMPDIR:-/tmp}/dy-bench.XXXXXX"); trap 'rm -rf "$W"' EXIT
mkdir -p bench/results
OUT=bench/results/count-peers-$(date +%Y%m%d-%H%M%S).tsv
T=/usr/bin/time

timed() { # timed NAME CMD... -> appends "NAME wall_s maxrss_kb" to $W/times
	local name=$1; shift
	$T -f "$name %e %M" -a -o "$W/times" "$@" > "$W/$name.out" 2> "$W/$name.err" || {
		echo "[E::bench] $name failed:"; tail -5 "$W/$name.err"; exit 1; }
}
field() { sed -n "s/.*\"$2\": \([0-9.]*\).*/\1/p" "$1" | head -1; }

echo "[M::bench] reads: $R1 $R2; cores: $C; k=$K"
# peers: one process with C threads each
timed kmc kmc -k$K -t$C -ci1 -cs1000000 -fq @<(printf '%s\n%s\n' "$R1" "$R2") "$W/kmc" "$W"
mkdir -p "$W/jf"
timed jellyfish bash -c "jellyfish count -m $K -C -s 50M -t $C -o $W/jf/db <(zcat $R1) <(zcat $R2)"
# dactyl count: one rank x C threads, and C ranks x 1 thread
timed dy-count-np1 pipelines/run-local.sh -n 1 -t "$C" -- count -k $K -o "$W/c1" "$R1" "$R2"
timed dy-count-npC pipelines/run-local.sh -n "$C" -t 1 -- count -k $K -o "$W/cC" "$R1" "$R2"
# dactyl asm, both layouts
timed dy-asm-np1 pipelines/run-local.sh -n 1 -t "$C" -- asm -k $K -o "$W/a1" "$R1" "$R2"
timed dy-asm-npC pipelines/run-local.sh -n "$C" -t 1 -- asm -k $K -o "$W/aC" "$R1" "$R2"

valid=UNVALIDATED   # never VALID without a reference to check against
if [ -x build/tools/dy-kcheck ] && [ -f "$D/genome.fa" ]; then
	valid=VALID
	set -- $(build/tools/dy-kcheck cmp $K "$W/aC/contigs.fa" "$D/genome.fa" ${D:+$(ls "$D"/hap2.fa 2>/dev/null)})
	# contig k-mers that are not in the reference: solid error k-mers
	[ $(( $4 * 100 )) -le "$2" ] || valid=INVALID
	cmp -s "$W/a1/contigs.fa" "$W/aC/contigs.fa" || valid=INVALID
fi

{
	printf 'run\twall_s\tmax_rss_MiB_per_process\tnote\n'
	while read -r name wall rss; do
		note=""
		case $name in dy-*) j=$W/$(echo "$name" | sed 's/dy-count-np1/c1/;s/dy-count-npC/cC/;s/dy-asm-np1/a1/;s/dy-asm-npC/aC/')/stats.json
			d=$(field "$j" distinct); tb=$(sed -n '/"table_bytes"/s/.*\[\(.*\)\].*/\1/p' "$j" | tr ',' '\n' | awk '{s+=$1} END {print s}')
			note="distinct=$d bytes_per_kmer=$(awk -v a="$tb" -v b="$d" 'BEGIN{printf "%.1f", a/b}') per_rank_peak_rss_bytes=[$(sed -n '/"name": "count"/s/.*"peak_rss_bytes": \[\(.*\)\].*/\1/p' "$j")]" ;;
		esac
		printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$(awk -v r="$rss" 'BEGIN{printf "%.1f", r/1024}')" "$note"
	done < "$W/times"
} | tee "$OUT"
kmc_w=$(awk '$1=="kmc"{print $2}' "$W/times"); jf_w=$(awk '$1=="jellyfish"{print $2}' "$W/times")
for r in dy-count-np1 dy-count-npC; do
	w=$(awk -v r=$r '$1==r{print $2}' "$W/times")
	awk -v r=$r -v w="$w" -v k="$kmc_w" -v j="$jf_w" 'BEGIN{printf "%s: throughput vs KMC3 = %.2fx, vs Jellyfish = %.2fx\n", r, k/w, j/w}' | tee -a "$OUT"
done
echo "validation: $valid (contigs of -np 1 and -np $C identical, contig k-mers in the reference)" | tee -a "$OUT"
echo "[M::bench] written $OUT"
[ "$valid" != INVALID ]   # an invalid run's ratios are not to be quoted: exit 1
