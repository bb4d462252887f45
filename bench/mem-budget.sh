#!/usr/bin/env bash
# bench/mem-budget.sh -- does the memory budget (-m/--mem) hold?  A sweep of
# budgets against each rank's peak RSS, on one set of reads, same ranks and
# threads throughout.
#
#   bench/mem-budget.sh [--np N] [--threads T] [-k K] [READS...]
#
# 1. A run without a budget: the baseline (its contigs and its peak RSS).
# 2. Runs from a budget far too small (8 MiB) up, each at the smallest
#    workable budget the refusal before it named (the buffers first, then the
#    pilot's table when k is chosen, or the count's when -k is given), until
#    one is accepted: the smallest workable budget as a user finds it.
# 3. Runs at 1, 1.25, 1.5, 2 and 4 times that budget.  For each: the exit
#    status, the peak RSS of every rank (stats.json, the largest over the
#    phases), its ratio to the budget, and whether the contigs are
#    byte-identical to the baseline's (the budget only cuts buffers).
# VALID when every run finished, no rank's peak passed its budget and every
# contig set is the baseline's; otherwise INVALID with the reason, exit 1.
# Reads default to datasets/data/bact (make -C datasets bact).  Results:
# bench/results/mem-budget-DATE-HOST.csv.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NP=2 T=1 K=()
while [ $# -gt 0 ]; do
	case $1 in
	--np) NP=$2; shift 2 ;;
	--threads) T=$2; shift 2 ;;
	-k) K=(-k "$2"); shift 2 ;;
	-h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	--) shift; break ;;
	-*) echo "mem-budget: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
READS=("$@")
if [ ${#READS[@]} -eq 0 ]; then
	[ -d datasets/data/bact ] || make -C datasets bact > /dev/null || exit 1
	READS=(datasets/data/bact/*.fq.gz)
fi
DACTYL=${DACTYL:-$ROOT/build/dactyl}
[ -x "$DACTYL" ] || { echo "mem-budget: $DACTYL is not built (make)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMP_NUM_THREADS=$T
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p bench/results
CSV=bench/results/mem-budget-$(date +%Y%m%d-%H%M%S)-$(hostname -s).csv
run() {   # NAME ARGS...: one run at NP x T, its log in $W/NAME.log
	local name=$1; shift
	mpirun --oversubscribe -np "$NP" "$DACTYL" asm -t "$T" --progress 0 "${K[@]}" -o "$W/$name" "$@" "${READS[@]}" \
		> "$W/$name.log" 2>&1
}
peaks() {   # the peak RSS of each rank, MiB, comma-separated
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
n = len(d["phases"][0]["peak_rss_bytes"])
print(",".join("%.1f" % (max(p["peak_rss_bytes"][r] for p in d["phases"]) / 2**20) for r in range(n)))' "$1"
}
echo "mem-budget: $NP ranks x $T threads, ${K[*]:-k chosen by the pilot}, reads: ${READS[*]}"
run base; rc=$?
[ $rc -eq 0 ] || { echo "INVALID: the run without a budget failed (exit $rc)"; tail -n 3 "$W/base.log"; exit 1; }
base_peaks=$(peaks "$W/base/stats.json")
# the smallest workable budget, as a user finds it: each refusal names one
# (the buffers first, then the pilot's or the count's table); give it again
cur=8 smallest=""
for i in 1 2 3 4 5; do
	run "probe$i" -m "${cur}M" && { smallest=$cur; break; }
	next=$(grep -o "smallest workable budget is [a-z ]*about [0-9.]* [MG]iB" "$W/probe$i.log" | head -1 |
	       awk '{ v = $(NF-1); if ($NF == "GiB") v *= 1024; print int(v + 1) }')
	if [ -z "$next" ] || [ "$next" -le "$cur" ]; then
		echo "INVALID: -m ${cur}M was refused without naming a larger workable budget"; tail -n 3 "$W/probe$i.log"; exit 1
	fi
	echo "  -m ${cur}M refused ($(grep -m1 'E::' "$W/probe$i.log" | sed 's/^.*rank 0: //' | cut -c1-70)...): names ${next} MiB"
	cur=$next
done
[ -n "$smallest" ] || { echo "INVALID: no budget named in 5 tries was accepted"; exit 1; }
echo "baseline peak RSS per rank (MiB): $base_peaks; smallest workable budget named: $smallest MiB"
echo "budget_mib,factor,exit,peak_rss_mib_per_rank,max_peak_over_budget,contigs_identical" > "$CSV"
echo "none,,0,\"$base_peaks\",,yes" >> "$CSV"
why=""
printf '%10s %7s %5s %26s %10s %s\n' budget factor exit "peak MiB per rank" peak/budg identical
for f in 1 1.25 1.5 2 4; do
	mib=$(awk -v s="$smallest" -v f="$f" 'BEGIN { printf "%d", s * f + 0.5 }')
	run "m$mib" -m "${mib}M"; rc=$?
	p="-" ratio="-" same=no
	if [ $rc -eq 0 ]; then
		p=$(peaks "$W/m$mib/stats.json")
		ratio=$(echo "$p" | tr ',' '\n' | awk -v b="$mib" 'BEGIN { m = 0 } { if ($1 / b > m) m = $1 / b } END { printf "%.3f", m }')
		cmp -s "$W/base/contigs.fa" "$W/m$mib/contigs.fa" && same=yes
		awk -v r="$ratio" 'BEGIN { exit !(r > 1) }' && why="$why; at ${mib} MiB a rank peaked at ${ratio}x the budget"
		[ $same = yes ] || why="$why; at ${mib} MiB the contigs differ from the baseline's"
	else
		why="$why; at ${mib} MiB (${f}x the smallest workable budget) the run failed (exit $rc: $(grep -m1 'E::' "$W/m$mib.log" | cut -c1-160))"
	fi
	printf '%10s %7s %5s %26s %10s %s\n' "$mib" "$f" "$rc" "$p" "$ratio" "$same"
	echo "$mib,$f,$rc,\"$p\",$ratio,$same" >> "$CSV"
done
echo "results: $CSV"
if [ -n "$why" ]; then echo "INVALID${why/;/:}"; exit 1; fi
echo "VALID: every budget from the smallest workable one up held on every rank, with the baseline's contigs"
