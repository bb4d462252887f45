#!/usr/bin/env bash
# A rank that dies: at -np 4, one rank fails at the start of each phase
# (DACTYL_TEST_FAULT, src/fault.c) by SIGABRT, SIGKILL, exit() without
# MPI_Finalize, or a failed allocation; and one rank is killed from outside
# with kill -9 in the middle of the count.  Every time the job must end with
# a non-zero exit within 10 s of the failure, leave no process of the job
# running and no output that looks finished; a failed allocation on rank R
# must be reported by rank R.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
$SIM genome 30000 11 > g.fa
$SIM reads g.fa 100 25 12 > r.fq
LIMIT=10

# no process of this job may outlive it: each run has its own output folder
left() { pgrep -f -- "-o $1( |\$)" > /dev/null; }
finished_looking() { [ -e "$1/contigs.fa" ] || [ -e "$1/stats.json" ] || [ -e "$1/kmer-histogram.tsv" ]; }

# fault KIND PHASE RANK [ARGS...]: the run fails in time and leaves nothing
fault() {
	local kind=$1 ph=$2 r=$3 out="o-$1-$2-$3" t0 t1 rc dt; shift 3
	local args=("$@"); [ ${#args[@]} -eq 0 ] && args=(-k 31)
	t0=$(date +%s.%N)
	DACTYL_TEST_FAULT=$kind:$ph:$r DY_TIMEOUT=60 dy 4 1 asm "${args[@]}" -o "$out" r.fq > "$out.log" 2>&1; rc=$?
	t1=$(date +%s.%N); dt=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
	local name="$kind at $ph on rank $r"
	if ! grep -q "injects .* at phase $ph" "$out.log"; then bad "$name: the fault was never reached"; tail -3 "$out.log"; return; fi
	if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then bad "$name: exit $rc"; tail -3 "$out.log"; return; fi
	if awk -v d="$dt" -v l="$LIMIT" 'BEGIN{exit !(d > l)}'; then bad "$name: took $dt s"; return; fi
	sleep 0.3
	if left "$out"; then bad "$name: a process of the job is still running"; pkill -9 -f -- "-o $out( |\$)"; return; fi
	if finished_looking "$out"; then bad "$name: output left that looks finished"; ls -A "$out"; return; fi
	ok "$name: exit $rc in $dt s, nothing left"
}

# every phase, each kind of death in turn, on different ranks (0 included:
# it is the rank that merges and writes)
kinds=(abort kill exit)
i=0
for ph in output count histo build gather merge clean resolve write; do
	fault "${kinds[$((i % 3))]}" "$ph" $((i % 4)); i=$((i + 1))
done
fault kill pilot 2 -t 1           # without -k the pilot count comes first
fault abort pilot 0 -t 1
fault kill write 0                # rank 0 dies while it writes the outputs

# a failed allocation in the exchange: a clean error, from the rank that saw it
out=o-nomem
DACTYL_TEST_FAULT=nomem:count:2 DY_TIMEOUT=60 dy 4 1 asm -k 31 -o $out r.fq > $out.log 2>&1; rc=$?
check "out of memory on rank 2: exit $rc" test $rc -ne 0 -a $rc -ne 124
check "out of memory on rank 2: rank 2 reports it" grep -Eq '^\[E::count\] rank 2: out of memory for an all-to-all round' $out.log
check "out of memory on rank 2: no other rank reports an error" sh -c "! grep -E '^\[E::' $out.log | grep -vq 'rank 2:'"
check "out of memory on rank 2: no output" sh -c "! ls -A $out | grep -q ."

# kill -9 from outside, in the middle of the count of a larger input
$SIM genome 400000 13 > big.fa
$SIM reads big.fa 100 40 14 > big.fq
out=o-ext
dy 4 1 asm -k 31 -v 3 -o $out big.fq > $out.log 2>&1 &
job=$!
for n in $(seq 200); do grep -q 'round' $out.log 2>/dev/null && break; grep -q '\[M::count' $out.log 2>/dev/null && break; sleep 0.05; done
pids=($(pgrep -f -- "^$DACTYL asm .*-o $out( |\$)" | sort -n))   # the ranks, not mpirun
victim=${pids[2]:-}
t0=$(date +%s.%N)
if [ -n "$victim" ] && kill -9 "$victim" 2>/dev/null; then
	wait $job; rc=$?
	dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
	check "kill -9 of one rank (pid $victim, rank processes: ${#pids[@]}) mid-run: exit $rc" test $rc -ne 0 -a $rc -ne 124
	check "kill -9 mid-run: the job ended $dt s after the kill (<= $LIMIT)" awk -v d="$dt" -v l=$LIMIT 'BEGIN{exit !(d <= l)}'
	sleep 0.3
	check "kill -9 mid-run: no process of the job left" sh -c "! pgrep -f -- '-o $out( |\$)' > /dev/null"
	check "kill -9 mid-run: no output that looks finished" sh -c "[ ! -e $out/contigs.fa ] && [ ! -e $out/stats.json ]"
else
	wait $job
	bad "kill -9 mid-run: no rank process found to kill (found: ${pids[*]:-none})"
fi
summary ranks
