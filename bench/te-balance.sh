#!/usr/bin/env bash
# te-balance.sh -- the load over ranks on a genome that is 45% one TE family
# (issue 7's balance bar: max/mean k-mers counted per rank <= 1.2).
#
#   bench/te-balance.sh [RANKS...]          default: 4 8
#
# Generates (datasets/palmgen, simreads.sh) a 4 Mb haploid genome, 45% copies
# of one 6 kb family diverged 0-1% (the worst case for minimizer ownership:
# young, full-length copies), reads at 30x as two plain gzip files, and runs
# `dactyl count -k 31` at each rank count (1 thread a rank; oversubscribed
# above the cores, which changes times, not loads).  Prints, from stats.json,
# per-rank k-mers cut (ranks.kmer_occurrences), counted (ranks.kmers_counted)
# and reads cut, max/mean of each, and the busiest partition over the mean.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 4 8
W=$(mktemp -d "${TMPDIR:-/tmp}/dy-te.XXXXXX"); trap 'rm -rf "$W"' EXIT
[ -x datasets/palmgen ] || make -C datasets palmgen > /dev/null
[ -x build/dactyl ] || make -j"$(nproc)" > /dev/null
datasets/palmgen -L 4M -c 1 --te-frac 0.45 --families 1 --fam-len 6000-6000 --div 0-0.01 --frag 0 \
	--nest 0 --rounds 2 --micro-frac 0.005 --seed 8 -o "$W/genome.fa" --stats "$W/st.tsv" 2> "$W/pg.log"
sh datasets/simreads.sh "$W" 30 6 "$W/genome.fa" > /dev/null 2>&1
echo "[M::bench] genome: $(awk '$1=="te_frac"{print "TE fraction " $2}' "$W/st.tsv"), one family; reads 30x, two plain gzip files"
printf 'ranks\tcut_max/mean\tcounted_max/mean\treads_max/mean\tbusiest_partition/mean\tbar(counted<=1.2)\n'
for np in "$@"; do
	pipelines/run-local.sh -n "$np" -t 1 -- count -k 31 -o "$W/c$np" "$W/reads_1.fq.gz" "$W/reads_2.fq.gz" \
		> "$W/c$np.out" 2> "$W/c$np.err" || { echo "[E::bench] -np $np failed"; tail -3 "$W/c$np.err"; exit 1; }
	python3 - "$W/c$np/stats.json" "$np" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); b = s['balance']['max_over_mean']; p = s['balance']['partitions']
print('%s\t%.2f\t%.2f\t%.2f\t%.2f\t%s' % (sys.argv[2], b['kmer_occurrences'], b['kmers_counted'], b['reads'],
      p['occurrences_max_over_mean'], 'met' if b['kmers_counted'] <= 1.2 else 'NOT met'))
PY
done
