#!/usr/bin/env bash
# dactyl plan against a measured run on reads it was not calibrated on: a
# simulated 1.5 Mb genome at 40x.  The plan's k is the k asm chooses; its
# distinct k-mers are within 30% of the count's; its memory per rank is not
# below the measured peak (and not over 3x it); its time is within 3x of the
# wall time; the mpirun line it prints runs.  Bad plan options, and a node
# too small for the job, fail with a message.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
$SIM genome 1500000 41 > g.fa
$SIM reads g.fa 150 40 42 0.005 > r.fq

"$DACTYL" plan --cores-per-node 2 --ranks-per-node 2 --mem-per-node 24G -o run r.fq > plan.txt 2> plan.log; rc=$?
check "plan: exit 0 (got $rc)" test $rc -eq 0
for l in "#SBATCH --nodes=1" "#SBATCH --ntasks-per-node=2" "#SBATCH --cpus-per-task=1" "#SBATCH --mem=" "#SBATCH --time=" "srun --mpi=pmix --cpus-per-task=1" "mpirun -np 2" "sbatch --nodes=1 --ntasks-per-node=2 --cpus-per-task=1 --mem=[0-9]*G --time=[0-9:]* dactyl-requeue.sbatch -o run r.fq"; do
	check "plan prints '$l'" grep -q -- "^$l" plan.txt
done
cmd=$(grep '^mpirun ' plan.txt)
# the printed line, run as printed (the root and oversubscribe flags are this test machine's)
(PATH="$(dirname "$DACTYL"):$PATH"; eval "timeout 300 ${cmd/mpirun /mpirun --allow-run-as-root --oversubscribe } -v 1 --progress 0") > run.log 2>&1; rc=$?
check "the plan's mpirun line runs (exit $rc)" test $rc -eq 0
if [ -s run/stats.json ]; then
	python3 - plan.txt run/stats.json > cmp.txt <<'PY'
import json, re, sys
plan = open(sys.argv[1]).read()
st = json.load(open(sys.argv[2]))
k = int(re.search(r'^# k = (\d+)', plan, re.M).group(1))
d = float(re.search(r'about ([\d.]+) M distinct', plan).group(1)) * 1e6
mem = float(re.search(r'memory per rank: ([\d.]+) GiB', plan).group(1)) * 2**30
t = float(re.search(r'time: about (\d+) s', plan).group(1))
peak = max(max(p['peak_rss_bytes']) for p in st['phases'])
print(st['options']['k'], k, st['kmers']['distinct'], d, peak, mem, st['wall_s'], t)
PY
	read -r k_run k_plan d_run d_plan peak_run mem_plan wall_run t_plan < cmp.txt
	echo "   plan: k=$k_plan distinct=$d_plan mem/rank=$mem_plan time=$t_plan s; run: k=$k_run distinct=$d_run peak=$peak_run wall=$wall_run s"
	check "the plan's k is the one asm chose ($k_plan, $k_run)" test "$k_plan" = "$k_run"
	within() { awk -v a="$1" -v b="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(a >= lo * b && a <= hi * b) }'; }
	check "distinct k-mers within 30% of the count's" within "$d_plan" "$d_run" 0.7 1.3
	if [ "$B" = build-asan ]; then   # the sanitizer's shadow memory and slowdown are not the model's
		echo "   (ASan build: memory and time are not compared)"
	else
		check "memory per rank between the measured peak and 3x it" within "$mem_plan" "$peak_run" 1.0 3.0
		check "time within 3x of the wall time" within "$t_plan" "$wall_run" 0.333 3.0
	fi
else
	bad "the run wrote no stats.json"; tail -3 run.log
fi

# the user's -t runs this machine's pilot but stays out of the printed lines,
# however it is spelled (an abbreviation, glued); "--" ends the options
"$DACTYL" plan --cores-per-node 4 --ranks-per-node 2 --thread 1 -t1 -o run2 -- r.fq > t.txt 2> t.log; rc=$?
check "plan --thread 1 -t1 ... -- r.fq: exit 0 (got $rc)" test $rc -eq 0
check "the printed mpirun line has the plan's -t 2 and no other -t" \
	grep -qx -- "mpirun -np 2 --map-by ppr:2:node:pe=2 --bind-to core dactyl asm -t 2 -o run2 -- r.fq" t.txt
"$DACTYL" plan --he > he.txt 2>&1; rc=$?
check "plan --he (an abbreviation of --help): usage, exit 0 (got $rc)" sh -c "[ $rc -eq 0 ] && grep -q 'dactyl plan' he.txt"

# a node too small: exit 1 and say so; bad values named
"$DACTYL" plan --mem-per-node 200M r.fq > /dev/null 2> small.log; rc=$?
check "a node too small: exit 1 (got $rc)" test $rc -eq 1
check "a node too small: says the job does not fit" grep -q "the job does not fit" small.log
"$DACTYL" plan --nodes 0 r.fq > /dev/null 2> bad.log; rc=$?
check "--nodes 0: exit 1 and named" sh -c "[ $rc -eq 1 ] && grep -q -- '--nodes needs a whole number' bad.log"
"$DACTYL" plan --mem-per-node lots r.fq > /dev/null 2> bad.log; rc=$?
check "--mem-per-node lots: exit 1 and named" sh -c "[ $rc -eq 1 ] && grep -q -- '--mem-per-node needs a size' bad.log"
"$DACTYL" plan -k 32 r.fq > /dev/null 2> bad.log; rc=$?
check "plan -k 32: the asm option check refuses it" sh -c "[ $rc -eq 1 ] && grep -q 'k must be odd' bad.log"
summary plan
