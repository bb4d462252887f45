#!/usr/bin/env bash
# Slurm end-to-end: pipelines/slurm/dactyl.sbatch on a private single-node
# Slurm (munged, slurmctld, slurmd started here on free ports, stopped at exit
# by the pids in their pid files).  A 50 kb genome must come back whole, with
# contigs byte-identical to pipelines/run-local.sh on the same reads, for
# 2 ranks x 1 thread and for 1 rank x 2 threads.  Needs root (it installs
# slurmctld slurmd slurm-client munge when missing and runs the daemons).
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/slurm
SBATCH_SCRIPT=${SBATCH_SCRIPT:-$ROOT/pipelines/slurm/dactyl.sbatch}   # override to test a variant
PKGS="slurmctld slurmd slurm-client munge"
JOB_TIMEOUT=${JOB_TIMEOUT:-120}
t_start=$(date +%s.%N)

# --- the daemons: started here, stopped by pid file on every exit -----------
S=$TMP/slurm            # conf, pid files, logs, state, spool
M=$TMP/munge            # munged's socket, pid, log, seed (owned by munge)
export SLURM_CONF=$S/slurm.conf

stop_pidfile() {        # stop_pidfile FILE: TERM, wait up to 5 s, then KILL
	local f=$1 pid i
	[ -s "$f" ] || return 0
	pid=$(cat "$f" 2>/dev/null); [ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null; sleep 0.2
}
stop_all() {
	local i p pids
	# job steps (slurmstepd and its tasks) outlive slurmd: cancel every job of
	# this private cluster first, and kill by pid what is still running
	if [ -n "$(alive)" ] && [ -s "$SLURM_CONF" ]; then
		timeout 5 scancel --full --user=root 2>/dev/null
		for i in $(seq 50); do
			[ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.2
		done
		pids=$(timeout 5 scontrol listpids 2>/dev/null | awk 'NR>1 && $1 ~ /^[0-9]+$/ {print $1}')
		for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	fi
	stop_pidfile "$S/slurmd.pid"
	stop_pidfile "$S/slurmctld.pid"
	stop_pidfile "$M/munged.pid"
}
alive() {              # alive: print the pids from our pid files still running
	local f pid
	for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$M/munged.pid"; do
		[ -s "$f" ] && pid=$(cat "$f") && kill -0 "$pid" 2>/dev/null && echo "$pid($(basename "$f" .pid))"
	done
}
trap 'stop_all; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

fail_setup() {         # fail_setup MSG LOG...: count a failure, show logs, stop
	local l
	bad "$1"
	for l in "${@:2}"; do [ -s "$l" ] && { echo "--- $l"; tail -15 "$l"; }; done
	summary slurm; exit 1
}

# --- 1. packages --------------------------------------------------------------
[ "$(id -u)" -eq 0 ] || fail_setup "needs root (installs packages, runs slurmd)"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	apt_in() { apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends $missing >> "$TMP/apt.log" 2>&1; }
	apt_in || { apt-get -o DPkg::Lock::Timeout=600 update >> "$TMP/apt.log" 2>&1; apt_in; } ||
		fail_setup "apt-get install$missing" "$TMP/apt.log"
fi
echo "packages: $(dpkg-query -W -f='${Package} ${Version}, ' $PKGS | sed 's/, $//')"
echo "slurm: $(slurmd -V)"

# --- 2. munged with a private socket -----------------------------------------
chmod 755 "$TMP"        # munged runs as user munge and must reach $M
[ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create > "$TMP/mungekey.log" 2>&1 ||
	fail_setup "mungekey --create" "$TMP/mungekey.log"
install -d -m 755 -o munge -g munge "$M"   # munged wants a+x on the socket folder
runuser -u munge -- /usr/sbin/munged --socket="$M/munge.socket" --pid-file="$M/munged.pid" \
	--log-file="$M/munged.log" --seed-file="$M/munged.seed" ||
	fail_setup "munged did not start" "$M/munged.log"
munge -n -S "$M/munge.socket" | unmunge -S "$M/munge.socket" > /dev/null 2>&1 ||
	fail_setup "munge -n | unmunge on the private socket" "$M/munged.log"

# --- 3. slurm.conf, slurmctld, slurmd ------------------------------------------
free_port() {          # a free TCP port from 20000-59999 not in $*
	local p
	while :; do
		p=$((20000 + RANDOM % 40000))
		case " $* " in *" $p "*) continue ;; esac
		ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}
host=$(hostname -s)
node=$(slurmd -C | head -1)
case "$node" in NodeName=*) ;; *) fail_setup "slurmd -C printed no NodeName line: $node" ;; esac
ctld_port=$(free_port); slurmd_port=$(free_port "$ctld_port")
mkdir -p "$S/state" "$S/spool"
sed -e "s|@HOST@|$host|g" -e "s|@DIR@|$S|g" -e "s|@NODE@|$node|" \
    -e "s|@CTLD_PORT@|$ctld_port|" -e "s|@SLURMD_PORT@|$slurmd_port|" \
    -e "s|@MUNGE_SOCKET@|$M/munge.socket|" "$HERE/slurm.conf.in" > "$SLURM_CONF"
slurmctld -f "$SLURM_CONF" -i || fail_setup "slurmctld did not start" "$S/slurmctld.log"
slurmd -f "$SLURM_CONF" || fail_setup "slurmd did not start" "$S/slurmd.log"
state=""
for i in $(seq 150); do             # up to 30 s
	state=$(timeout 5 sinfo -h -o %T 2>/dev/null)
	[ "$state" = idle ] && break
	sleep 0.2
done
t_up=$(date +%s.%N)
[ "$state" = idle ] || fail_setup "node not idle after 30 s (sinfo: '$state')" "$S/slurmctld.log" "$S/slurmd.log"
ok "private Slurm up: node $host idle ($(awk -v a="$t_start" -v b="$t_up" 'BEGIN{printf "%.1f", b-a}') s, ports $ctld_port/$slurmd_port)"

# --- 4. reads, and the reference run through run-local.sh --------------------
cd "$TMP"
$SIM genome 50000 5 > g.fa
$SIM reads g.fa 100 30 6 > r.fq
if dy 2 1 asm -k 31 -o olocal r.fq 2> log-local; then
	check "run-local.sh -n 2 -t 1: one contig equal to the genome" $KCHECK same g.fa olocal/contigs.fa
else bad "run-local.sh -n 2 -t 1 failed"; tail -5 log-local; fi

# sb NAME READS SBATCH-OPTIONS...: submit dactyl.sbatch -k 31 -o oNAME READS,
# wait for the job (its exit status is sbatch's), leave the job id in $job.
# In the background + wait, so that a signal stops the test at once.
sb() {
	local name=$1 reads=$2 rc t0; shift 2
	job=""; t0=$(date +%s.%N)
	DACTYL=$DACTYL timeout "$JOB_TIMEOUT" sbatch --parsable --wait "$@" "$SBATCH_SCRIPT" \
		-k 31 -o "o$name" "$reads" > "sbatch-$name.out" 2> "sbatch-$name.err" < /dev/null &
	wait $!; rc=$?
	job=$(head -1 "sbatch-$name.out" | cut -d';' -f1)
	dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f s", b-a}')
	return $rc
}
# job_field JOB FIELD: a field of `scontrol show job`
job_field() { scontrol show job "$1" 2>/dev/null | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

# submit_ok NAME NTASKS CPUS: submit, expect exit 0 and state COMPLETED 0:0; sets $log
submit_ok() {
	local name=$1 nt=$2 c=$3 rc=0
	sb "$name" r.fq --ntasks="$nt" --cpus-per-task="$c" || rc=$?
	if [ $rc -eq 0 ]; then ok "sbatch --ntasks=$nt --cpus-per-task=$c: job $job exits 0 ($dt)"
	else
		bad "sbatch --ntasks=$nt --cpus-per-task=$c: job ${job:-?} exit status $rc"
		tail -5 "sbatch-$name.err"; [ -n "$job" ] && tail -10 "dactyl-$job.log"
	fi
	log=dactyl-$job.log
	check "$name: job state COMPLETED, exit code 0:0" \
		test "$(job_field "$job" JobState) $(job_field "$job" ExitCode)" = "COMPLETED 0:0"
}

# --- 5. two ranks x one thread -------------------------------------------------
submit_ok 2x1 2 1
check "2x1: job log $log written in the submit folder" test -s "$log"
check "2x1: contigs.fa is exactly the genome" $KCHECK same g.fa o2x1/contigs.fa
check "2x1: log shows 2 ranks x 1 threads" grep -q ': 2 ranks x 1 threads, k=31' "$log"
b0=$(sed -n 's/.*\[M::pin::[^]]*\] rank 0: //p' "$log")
b1=$(sed -n 's/.*\[M::pin::[^]]*\] rank 1: //p' "$log")
echo "     rank 0: $b0"; echo "     rank 1: $b1"
check "2x1: each rank bound to one core of its own Slurm cpuset" \
	sh -c 'echo "$1" | grep -Eq "^cpuset \{[0-9]+\}: t0->core[0-9]+$" &&
	       echo "$2" | grep -Eq "^cpuset \{[0-9]+\}: t0->core[0-9]+$" && [ "$1" != "$2" ]' _ "$b0" "$b1"
check "2x1: contigs byte-identical to run-local.sh -n 2 -t 1" cmp -s olocal/contigs.fa o2x1/contigs.fa

# --- 6. hybrid: one rank x two threads -----------------------------------------
submit_ok 1x2 1 2
check "1x2: log shows 1 ranks x 2 threads" grep -q ': 1 ranks x 2 threads, k=31' "$log"
b0=$(sed -n 's/.*\[M::pin::[^]]*\] rank 0: //p' "$log")
echo "     rank 0: $b0"
check "1x2: the rank's 2 threads pinned to 2 different cores of its cpuset" \
	sh -c 'echo "$1" | grep -Eq "^cpuset \{[0-9]+[-,][0-9]+\}: t0->core([0-9]+) t1->core[0-9]+$" &&
	       [ "$(echo "$1" | grep -o "core[0-9]*" | sort -u | wc -l)" = 2 ]' _ "$b0"
check "1x2: contigs byte-identical to run-local.sh -n 2 -t 1" cmp -s olocal/contigs.fa o1x2/contigs.fa

# --- 7. a failing dactyl must fail the job --------------------------------------
if sb fail no-such-reads.fq --ntasks=2 --cpus-per-task=1; then rc=0; else rc=$?; fi
check "missing input: the job fails (sbatch --wait status $rc in $dt, state $(job_field "$job" JobState))" \
	test "$rc" -ne 0 -a "$rc" -ne 124 -a "$(job_field "$job" JobState)" = FAILED

# --- 7b. a rank that dies under srun ends the job: 4 tasks on the node
# (--overcommit), one killed, aborted or exiting without MPI_Finalize at a
# phase (DACTYL_TEST_FAULT, src/fault.c; sbatch exports the environment)
for f in kill:count:1 abort:merge:0 exit:build:3 kill:write:2; do
	name=fault-${f//:/-}
	if DACTYL_TEST_FAULT=$f sb "$name" r.fq --ntasks=4 --overcommit --cpus-per-task=1; then rc=0; else rc=$?; fi
	lg=dactyl-$job.log
	# the job's own run time (sbatch --wait polls every few seconds)
	run_s=$(job_field "$job" RunTime | awk -F: '{print $(NF-2)*3600 + $(NF-1)*60 + $NF}')
	check "rank death $f under srun: job fails (status $rc, state $(job_field "$job" JobState)) after ${run_s:-?} s of run time" \
		sh -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q 'injects' $lg && [ '${run_s:-99}' -le 10 ]"
	check "rank death $f under srun: no task left, no finished output" \
		sh -c "! pgrep -f -- '-o o$name( |\$)' > /dev/null && [ ! -e o$name/contigs.fa ] && [ ! -e o$name/stats.json ]"
done

# --- 7c. the self-requeueing job meets its time limit mid-phase ---------------
# pipelines/slurm/dactyl-requeue.sbatch with a 2-minute limit and the warning
# 40 s before it, which Slurm may send up to a minute early: 20 to 80 s after
# the start.  Rank 0 stalls at the start of the merge (DACTYL_TEST_FAULT
# stall: as a long phase would) until the warning reaches it; dactyl then
# ends the merge, writes its checkpoint and exits 75, the script requeues the
# job, and the second run resumes after the merge and finishes in a second or
# two, long before its own warning.  (With a 1-minute limit the warning can
# come at once, in the second run too, and the job needs a third.)
RQ_TIMEOUT=${RQ_TIMEOUT:-420}
fails=$T_FAIL t0=$(date +%s.%N)
job=$(DACTYL=$DACTYL DACTYL_TEST_FAULT=stall:merge:0 DACTYL_GRACE=20 timeout 30 sbatch --parsable \
	--time=2 --signal=B:USR1@40 --ntasks=2 --cpus-per-task=1 --output=rq-%j.log \
	"$ROOT/pipelines/slurm/dactyl-requeue.sbatch" -k 31 -o orq r.fq 2> sbatch-rq.err < /dev/null | cut -d';' -f1)
state=""
for i in $(seq "$RQ_TIMEOUT"); do   # until it ends for good (a requeued job is PENDING again)
	state=$(job_field "$job" JobState)
	case $state in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|BOOT_FAIL|DEADLINE) break ;; esac
	sleep 1
done
dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f s", b-a}')
lg=rq-$job.log
check "requeue job $job: COMPLETED 0:0 after one requeue (state $state, $(job_field "$job" Restarts) restart(s), $dt)" \
	test "$state $(job_field "$job" ExitCode) $(job_field "$job" Restarts)" = "COMPLETED 0:0 1"
# Slurm may send the warning up to a minute early: it lands in the merge's
# stall as a rule, but a stop after the count or the build checkpoint is as good
ph=$(sed -n 's/.*asked to stop (SIGUSR1): stopped after the \([a-z]*\) checkpoint.*/\1/p' "$lg" | head -1)
check "requeue: the warning reached the script and dactyl stopped after a checkpoint (${ph:-none})" \
	sh -c "grep -q 'run 1: the time limit is near' $lg && case '$ph' in count|build|merge) true ;; *) false ;; esac &&
	       grep -q 'run 1: stopped at a checkpoint: requeueing' $lg"
check "requeue: the second run resumed after that checkpoint and finished" \
	sh -c "grep -q 'resuming after the ${ph:-?} checkpoint of orq' $lg && grep -q 'run 2: finished' $lg &&
	       grep -q '\"resumed_after\": \"${ph:-?}\"' orq/stats.json"
check "requeue: contigs byte-identical to run-local.sh -n 2 -t 1, no checkpoint left" \
	sh -c "cmp -s olocal/contigs.fa orq/contigs.fa && [ ! -e orq/checkpoint ]"
grep -h '^\[dactyl-requeue\]\|W::stop\|resuming after' "$lg" | sed 's/^/     /'
[ "$T_FAIL" -eq "$fails" ] || { tail -n 25 "$lg"; tail -n 5 sbatch-rq.err; }

# the same script with Open MPI's mpirun inside the allocation, no time limit reached
if DACTYL=$DACTYL DACTYL_LAUNCH=mpirun timeout "$JOB_TIMEOUT" sbatch --parsable --wait --ntasks=2 --cpus-per-task=1 \
	--output=rqm-%j.log "$ROOT/pipelines/slurm/dactyl-requeue.sbatch" -k 31 -o orqm r.fq > sbatch-rqm.out 2>&1 < /dev/null
then rc=0; else rc=$?; fi
job=$(head -1 sbatch-rqm.out | cut -d';' -f1)
check "requeue script, DACTYL_LAUNCH=mpirun: job $job exits 0, 2 ranks, contigs byte-identical to run-local.sh" \
	sh -c "[ $rc -eq 0 ] && grep -q ': 2 ranks x 1 threads, k=31' rqm-$job.log && cmp -s olocal/contigs.fa orqm/contigs.fa"
[ "$rc" -eq 0 ] || tail -n 15 "rqm-$job.log"

# --- 7d. the requeue script gives up waiting: a dactyl that never reaches a
# checkpoint after the warning (a stand-in that ignores SIGUSR1) is requeued
# anyway DACTYL_GRACE seconds later, so the job cannot sit past its limit.
# Run outside Slurm: the script's own process group, SIGUSR1 sent by hand,
# and an scontrol stand-in that records the call and ends the group as the
# requeue would.
mkdir -p grace/bin
cat > grace/stuck <<'SH'
#!/bin/sh
trap '' USR1
i=0; while [ $i -lt 60 ]; do sleep 1; i=$((i + 1)); done
SH
cat > grace/bin/scontrol <<'SH'
#!/bin/sh
echo "$*" > "$GRACE_DIR/scontrol.args"
kill -KILL 0
SH
chmod +x grace/stuck grace/bin/scontrol
t0=$SECONDS
GRACE_DIR=$TMP/grace PATH=$TMP/grace/bin:$PATH DACTYL=$TMP/grace/stuck DACTYL_LAUNCH=mpirun DACTYL_GRACE=3 \
	SLURM_JOB_ID=4242 SLURM_RESTART_COUNT=0 setsid bash "$ROOT/pipelines/slurm/dactyl-requeue.sbatch" -k 31 -o og r.fq \
	> grace.log 2>&1 < /dev/null &
gpid=$!
sleep 3; kill -USR1 $gpid
{ wait $gpid; } 2> /dev/null; rc=$?
pkill -f "$TMP/grace/stuck" 2> /dev/null
check "requeue script: no checkpoint within DACTYL_GRACE=3 s of the warning, requeued anyway (rc $rc, $((SECONDS - t0)) s)" \
	sh -c "grep -q 'no checkpoint within 3 s of the warning: requeueing now' grace.log &&
	       [ \"\$(cat grace/scontrol.args 2> /dev/null)\" = 'requeue 4242' ] && [ $((SECONDS - t0)) -lt 40 ]"
[ -s grace/scontrol.args ] || tail -n 8 grace.log

# the scaling-study job: its default grid on 2 tasks x 1 CPU (1x1, 2x1) under srun, a CSV, VALID
if DACTYL=$DACTYL timeout "$JOB_TIMEOUT" sbatch --parsable --wait --ntasks=2 --cpus-per-task=1 \
	--output=sc-%j.log "$ROOT/pipelines/slurm/dactyl-scaling.sbatch" -k 31 r.fq > sbatch-sc.out 2>&1 < /dev/null
then rc=0; else rc=$?; fi
job=$(head -1 sbatch-sc.out | cut -d';' -f1)
check "scaling job $job: exits 0 and says VALID" sh -c "[ $rc -eq 0 ] && tail -1 sc-$job.log | grep -q VALID"
check "scaling job: a CSV row per point, each identical, speed-up 1 at the first" \
	sh -c "[ \$(grep -c ',yes\$' dactyl-scaling-$job.csv) -eq 2 ] && sed -n 2p dactyl-scaling-$job.csv | grep -q '^1,1,1,.*,1.000,1.000,yes\$'"
[ "$rc" -eq 0 ] || tail -n 15 "sc-$job.log"

# --- 8. stop everything, and prove it -----------------------------------------
cd "$ROOT"
stop_all
left=$(alive)
check "daemons stopped by pid file, none left${left:+: $left}" test -z "$left"
echo "wall time: $(awk -v a="$t_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}') s"
summary slurm
