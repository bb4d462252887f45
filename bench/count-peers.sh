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
# a dactyl run's output folder under $W
dir_of() { echo "$W/$(echo "$1" | sed 's/dy-count-np1-sieve/s1/;s/dy-count-npC-sieve/sC/;s/dy-count-np1/c1/;s/dy-count-npC/cC/;s/dy-asm-np1/a1/;s/dy-asm-npC/aC/')"; }

echo "[M::bench] reads: $R1 $R2; cores: $C; k=$K"
# peers: one process with C threads each
timed kmc kmc -k$K -t$C -ci1 -cs1000000 -fq @<(printf '%s\n%s\n' "$R1" "$R2") "$W/kmc" "$W"
mkdir -p "$W/jf"
timed jellyfish bash -c "jellyfish count -m $K -C -s 50M -t $C -o $W/jf/db <(zcat $R1) <(zcat $R2)"
# dactyl count: one rank x C threads, and C ranks x 1 thread
timed dy-count-np1 pipelines/run-local.sh -n 1 -t "$C" -- count -k $K -o "$W/c1" "$R1" "$R2"
timed dy-count-npC pipelines/run-local.sh -n "$C" -t 1 -- count -k $K -o "$W/cC" "$R1" "$R2"
# the same with the singleton filter: two passes, smaller tables
timed dy-count-np1-sieve pipelines/run-local.sh -n 1 -t "$C" -- count -k $K --singleton-filter -o "$W/s1" "$R1" "$R2"
timed dy-count-npC-sieve pipelines/run-local.sh -n "$C" -t 1 -- count -k $K --singleton-filter -o "$W/sC" "$R1" "$R2"
# more ranks than files: the readers hand reads over, every rank cuts (untimed here: oversubscribed)
pipelines/run-local.sh -n 4 -t 1 -- count -k $K -o "$W/c4" "$R1" "$R2" > "$W/c4.out" 2> "$W/c4.err" || {
	echo "[E::bench] dy-count-np4 failed:"; tail -5 "$W/c4.err"; exit 1; }
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
		case $name in dy-*) j=$(dir_of "$name")/stats.json
			note=$(python3 - "$j" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); r = s['ranks']; k = s['kmers']
tb, pk = sum(r['table_bytes']), sum(r['table_peak_bytes'])
ph = [p for p in s['phases'] if p['name'] == 'count'][0]
print('distinct=%d%s solid=%d bytes_per_distinct=%.1f bytes_per_solid=%.1f peak_bytes_per_solid=%.1f per_rank_peak_rss_bytes=%s'
      % (k['distinct'], '(estimated)' if k.get('distinct_estimated') else '', k['solid'], tb / k['distinct'],
         tb / k['solid'], pk / k['solid'], ph['peak_rss_bytes']))
PY
) ;;
		esac
		printf '%s\t%s\t%s\t%s\n' "$name" "$wall" "$(awk -v r="$rss" 'BEGIN{printf "%.1f", r/1024}')" "$note"
	done < "$W/times"
} | tee "$OUT"
kmc_w=$(awk '$1=="kmc"{print $2}' "$W/times"); jf_w=$(awk '$1=="jellyfish"{print $2}' "$W/times")
for r in dy-count-np1 dy-count-npC dy-count-np1-sieve dy-count-npC-sieve; do
	w=$(awk -v r=$r '$1==r{print $2}' "$W/times")
	awk -v r=$r -v w="$w" -v k="$kmc_w" -v j="$jf_w" 'BEGIN{printf "%s: throughput vs KMC3 = %.2fx, vs Jellyfish = %.2fx\n", r, k/w, j/w}' | tee -a "$OUT"
done
echo "validation: $valid (contigs of -np 1 and -np $C identical, contig k-mers in the reference)" | tee -a "$OUT"

# the issue's bars: wall and peak RSS per rank against KMC3's, wall against Jellyfish's
kmc_r=$(awk '$1=="kmc"{print $3}' "$W/times")
for r in dy-count-np1 dy-count-npC dy-count-np1-sieve dy-count-npC-sieve; do
	j=$(dir_of "$r")/stats.json
	w=$(awk -v r=$r '$1==r{print $2}' "$W/times")
	rss=$(sed -n '/"name": "count"/s/.*"peak_rss_bytes": \[\(.*\)\].*/\1/p' "$j" | tr ',' '\n' | sort -n | tail -1)
	awk -v r=$r -v w="$w" -v k="$kmc_w" -v j="$jf_w" -v rss="$rss" -v kr="$kmc_r" 'BEGIN{
		printf "%s: wall %.2fx KMC3 (bar 0.5: %s), %.2fx Jellyfish (bar 0.2: %s), peak RSS per rank %.2fx KMC3 (bar 1: %s)\n",
		r, w/k, w/k <= 0.5 ? "met" : "NOT met", w/j, w/j <= 0.2 ? "met" : "NOT met",
		rss/1024/kr, rss/1024 <= kr ? "met" : "NOT met"}' | tee -a "$OUT"
done
# the histogram against KMC3's, bin by bin for every count >= 2 (dactyl's last row holds every count above)
kmc_tools transform "$W/kmc" histogram "$W/kmc.hist" -ci1 -cx1000000 > /dev/null 2>&1
for c in c1 cC c4 s1 sC; do
	python3 - "$W/$c/kmer-histogram.tsv" "$W/kmc.hist" "$c" <<'PY' | tee -a "$OUT"
import sys
d, k = {}, {}
for l in open(sys.argv[1]):
    if not l.startswith('#'):
        f = l.split('\t'); d[int(f[0])] = int(f[1])
for l in open(sys.argv[2]):
    f = l.split()
    if int(f[1]): k[int(f[0])] = int(f[1])
top = max(d)
bad = [c for c in sorted(set(d) | set(k)) if 2 <= c < top and d.get(c, 0) != k.get(c, 0)]
if d[top] != sum(n for c, n in k.items() if c >= top): bad.append(top)
one = 'equal' if d.get(1, 0) == k.get(1, 0) else 'differs (%d vs %d, %+.2f%%)' % (d.get(1, 0), k.get(1, 0), 100.0 * (d.get(1, 0) - k.get(1, 0)) / max(k.get(1, 0), 1))
if open(sys.argv[1]).readline().find('estimated') >= 0: one += ', estimated by the singleton filter'
print('histogram %s vs KMC3, counts >= 2: %s; count 1: %s' % (sys.argv[3], 'IDENTICAL' if not bad else 'DIFFERS at counts %s' % bad[:10], one))
PY
done
# -np 4 on the two files: every rank's share of the cutting (stats.json ranks.reads)
python3 - "$W/c4/stats.json" <<'PY' | tee -a "$OUT"
import json, sys
s = json.load(open(sys.argv[1])); r = s['ranks']; m = sum(r['reads']) / len(r['reads'])
print('dy-count-np4 on 2 files: reads cut per rank %s (read from the files %s): max/mean %.2f, min/mean %.2f (bar: within 1.5x: %s); '
      'k-mer occurrences max/mean %.2f' % (r['reads'], r['reads_read'], max(r['reads']) / m, min(r['reads']) / m,
      'met' if max(r['reads']) <= 1.5 * m and min(r['reads']) * 1.5 >= m else 'NOT met', s['balance']['max_over_mean']['kmer_occurrences']))
PY
echo "[M::bench] written $OUT"
[ "$valid" != INVALID ]   # an invalid run's ratios are not to be quoted: exit 1
