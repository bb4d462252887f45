#!/usr/bin/env bash
# Checkpoints and --resume (src/ckpt.c).  A -np 2 run is killed (SIGKILL,
# DACTYL_TEST_FAULT) at the start of every phase, and between a
# checkpoint's files and its manifest; an outside kill -9 hits a real run
# after its first checkpoint.  Each is resumed with --resume and must give
# outputs byte-identical to an uninterrupted run, resuming after the
# checkpoint the kill left.  Then the refusals: a checkpoint from other
# options, inputs, rank count or version, a damaged one, one left in a
# folder without --resume or --force.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"

# two haplotypes (bubbles), errors (tips), a repeat family (junctions the
# reads resolve): every phase has work to do
$SIM genome 120000 31 400 6 > h1.fa
awk 'NR==1 {print ">hap2"; next} {s = s $0} END {
	o = ""; n = length(s)
	for (i = 1; i <= n; ++i) { c = substr(s, i, 1); if (i % 151 == 70) c = (c=="A"?"G":c=="C"?"T":c=="G"?"A":"C"); o = o c }
	print o }' h1.fa > h2.fa
$SIM reads h1.fa 100 18 32 0.004 > r1.fq
$SIM reads h2.fa 100 18 33 0.004 > r2.fq
IN=(r1.fq r2.fq)
OUTS="contigs.fa contigs.fa.fai graph.gfa bubbles.fa kmer-histogram.tsv"

# stats.json without what a clock or the machine decides
facts() {
	python3 - "$1" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for k in ("phases", "rank0_alone_s", "wall_s", "binding_rank0", "resumed_after"):
    d.pop(k, None)
d["graph"].pop("clean_s", None)
d["options"].pop("threads", None)
print(json.dumps(d, sort_keys=True))
EOF
}

if ! dy 2 1 asm -o ref "${IN[@]}" > ref.log 2>&1; then bad "the reference run failed"; tail -5 ref.log; summary resume; exit; fi
facts ref/stats.json > ref.facts
check "reference: has bubbles, links and more than one contig" \
	test -s ref/bubbles.fa -a "$(grep -c '^L' ref/graph.gfa)" -gt 0 -a "$(grep -c '>' ref/contigs.fa)" -gt 1
check "reference: no checkpoint left after success" test ! -e ref/checkpoint

same_as_ref() {   # DIR: every output and the stats byte-identical to the reference
	local f
	for f in $OUTS; do cmp -s "ref/$f" "$1/$f" || { echo "  $1/$f differs"; return 1; }; done
	facts "$1/stats.json" > "$1.facts" && cmp -s ref.facts "$1.facts" || { echo "  $1/stats.json differs:"; diff ref.facts "$1.facts" | head -4; return 1; }
}

# killed PHASE RANK EXPECT [RESUME-ARGS...]: kill rank RANK at PHASE, then resume;
# EXPECT is the checkpoint the resume must start after ("none": from the beginning)
killed() {
	local ph=$1 r=$2 want=$3 out=o-$1-$2; shift 3
	rm -rf "$out"
	DACTYL_TEST_FAULT=kill:$ph:$r DY_TIMEOUT=60 dy 2 1 asm -o "$out" "${IN[@]}" > "$out.log" 2>&1; local rc=$?
	if [ $rc -eq 0 ] || ! grep -q "injects .* at phase $ph" "$out.log"; then bad "kill at $ph: not killed (exit $rc)"; return; fi
	if [ -e "$out/stats.json" ]; then bad "kill at $ph: a stats.json after the kill"; return; fi
	dy 2 "${T_RESUME:-1}" asm --resume -o "$out" "$@" "${IN[@]}" > "$out.resume.log" 2>&1; rc=$?
	if [ $rc -ne 0 ]; then bad "kill at $ph on rank $r: the resume failed (exit $rc)"; tail -3 "$out.resume.log"; return; fi
	if [ "$want" = none ]; then
		grep -q "holds no checkpoint: starting from the beginning" "$out.resume.log" ||
			{ bad "kill at $ph: the resume did not start from the beginning"; grep resum "$out.resume.log"; return; }
	else
		grep -q "resuming after the $want checkpoint" "$out.resume.log" ||
			{ bad "kill at $ph: the resume did not start after $want"; grep resum "$out.resume.log"; return; }
		grep -q "\"resumed_after\": \"$want\"" "$out/stats.json" || { bad "kill at $ph: stats.json does not say resumed_after $want"; return; }
	fi
	if ! same_as_ref "$out"; then bad "kill at $ph on rank $r, resumed after $want: outputs differ"; return; fi
	if [ -e "$out/checkpoint" ]; then bad "kill at $ph: the checkpoint is left after success"; return; fi
	ok "kill -9 at $ph on rank $r, resume after $want: every output byte-identical, checkpoint removed"
}

killed pilot 1 none
killed count 0 none
killed histo 1 none
killed build 0 count
killed gather 1 build
killed merge 0 build
killed clean 1 merge
killed resolve 0 merge
killed write 1 graph
killed write 0 graph
# a kill between a checkpoint's files and its manifest leaves the previous one in force
killed ckcount 0 none
killed ckbuild 1 count
killed ckmerge 0 build
killed ckgraph 1 merge
# threads may differ on the resume: no result depends on them
T_RESUME=2 killed merge 1 build

# the resume after a kill in the last phase runs no phase at all
out=o-write-1
check "resume after the graph checkpoint: no phase ran again" sh -c "! grep -q 'phase done' $out.resume.log"
echo "info: full run $(python3 -c "import json;print(json.load(open('ref/stats.json'))['wall_s'])") s," \
     "resume after a kill in write $(python3 -c "import json;print(json.load(open('$out/stats.json'))['wall_s'])") s"

# kill -9 of the whole job from outside, once its first checkpoint is on disk
# (a larger genome, so that the kill lands before the end)
$SIM genome 1500000 41 > big.fa
$SIM reads big.fa 100 30 42 0.003 > big.fq
out=o-outside
( dy 2 1 asm -o $out --min-count 2 big.fq > $out.log 2>&1 ) &
job=$!
for i in $(seq 1 1200); do grep -q "checkpoint.*after count" $out.log 2>/dev/null && break; sleep 0.02; done
pkill -9 -f -- "-o $out " ; wait $job 2>/dev/null
sleep 0.3
if [ -e $out/stats.json ]; then
	echo "info: the outside kill came too late (the run had finished)"
else
	dy 2 1 asm --resume -o $out --min-count 2 big.fq > $out.resume.log 2>&1
	check "outside kill -9 after a checkpoint: the resume finishes and says where it started" grep -q "resuming after the" $out.resume.log
	dy 2 1 asm -o $out.plain --min-count 2 big.fq > /dev/null 2>&1
	check "outside kill -9: contigs byte-identical to an uninterrupted run" cmp $out/contigs.fa $out.plain/contigs.fa
fi

# SIGUSR1 (a batch system's warning before the time limit, passed on by
# mpirun) stops the run after its next checkpoint with exit status 75: rank 1
# stalls at the start of the merge until the signal comes, the merge ends,
# its checkpoint is written and both ranks stop
out=$PWD/o-usr1   # absolute: the pkill pattern below names this test's run only
( DACTYL_TEST_FAULT=stall:merge:1 dy 2 1 asm -o $out "${IN[@]}" > $out.log 2>&1; echo $? > $out.rc ) &
job=$!
for i in $(seq 1 1500); do grep -q "injects 's' at phase merge" $out.log 2>/dev/null && break; sleep 0.02; done
pkill -USR1 -f -- "mpirun .*-o $out " ; wait $job 2>/dev/null
check "SIGUSR1 to mpirun: exit status 75, stopped after the merge checkpoint, no result written" \
	sh -c "[ \"\$(cat $out.rc)\" = 75 ] && grep -q 'asked to stop (SIGUSR1): stopped after the merge checkpoint' $out.log &&
	       [ -s $out/checkpoint/manifest ] && [ ! -e $out/contigs.fa ] && [ ! -e $out/stats.json ]"
dy 2 1 asm --resume -o $out "${IN[@]}" > $out.resume.log 2>&1
check "SIGUSR1: the resume goes on after the merge (no count, build or merge again)" \
	sh -c "grep -q 'resuming after the merge checkpoint' $out.resume.log && ! grep -q '::\(count\|build\|merge\)::.*phase done' $out.resume.log"
check "SIGUSR1: resumed outputs byte-identical to an uninterrupted run" same_as_ref $out
# a signal to dactyl count (no checkpoint) changes nothing: the count runs to its end
( DACTYL_TEST_FAULT=stall:count:0 dy 2 1 count -o $out.count "${IN[@]}" > $out.count.log 2>&1; echo $? > $out.count.rc ) &
job=$!
for i in $(seq 1 1500); do grep -q "injects 's' at phase count" $out.count.log 2>/dev/null && break; sleep 0.02; done
pkill -USR1 -f -- "mpirun .*-o $out.count " ; wait $job 2>/dev/null
check "SIGUSR1 to dactyl count: it runs to its end (exit 0, histogram as the asm's)" \
	sh -c "[ \"\$(cat $out.count.rc)\" = 0 ] && cmp -s ref/kmer-histogram.tsv $out.count/kmer-histogram.tsv"

# --no-checkpoints: no checkpoint written at any phase, the same outputs, and
# SIGUSR1 (stalled merge, as above) is ignored: the run ends normally
out=$PWD/o-nock
( DACTYL_TEST_FAULT=stall:merge:1 dy 2 1 asm --no-checkpoints -o $out "${IN[@]}" > $out.log 2>&1; echo $? > $out.rc ) &
job=$!
for i in $(seq 1 1500); do grep -q "injects 's' at phase merge" $out.log 2>/dev/null && break; sleep 0.02; done
[ -e $out/checkpoint ] && nock_dir=yes || nock_dir=no
pkill -USR1 -f -- "mpirun .*-o $out " ; wait $job 2>/dev/null
check "--no-checkpoints: no checkpoint folder mid-run ($nock_dir) nor a checkpoint line in the log" \
	sh -c "[ $nock_dir = no ] && ! grep -q '::checkpoint' $out.log && [ ! -e $out/checkpoint ]"
check "--no-checkpoints: SIGUSR1 ignored, exit 0 (got $(cat $out.rc))" test "$(cat $out.rc)" = 0
check "--no-checkpoints: outputs byte-identical to the reference" same_as_ref $out
dy 2 1 asm --no-checkpoints --resume -o $out.r "${IN[@]}" > $out.r.log 2>&1; rc=$?
check "--no-checkpoints --resume: refused (exit $rc), nothing created" \
	sh -c "[ $rc -eq 1 ] && grep -q -- '--no-checkpoints writes no checkpoint: --resume needs them' $out.r.log && [ ! -e $out.r ]"

# ---- refusals: nothing in the folder is touched -------------------------
DACTYL_TEST_FAULT=kill:merge:0 DY_TIMEOUT=60 dy 2 1 asm -o keep "${IN[@]}" > /dev/null 2>&1
snap() { (cd keep && find . -type f -exec sha256sum {} + | sort); }
snap > keep.before
refused() {   # NAME PATTERN ARGS...: dactyl ARGS must fail with PATTERN and leave keep/ alone
	local name=$1 pat=$2 rc; shift 2
	"$@" > ref-$T_PASS.log 2>&1; rc=$?
	if [ $rc -eq 0 ]; then bad "$name: accepted"; return; fi
	if ! grep -Eq "$pat" ref-$T_PASS.log; then bad "$name: message"; grep -E '^\[E::' ref-$T_PASS.log | head -2; return; fi
	snap > keep.after
	if ! cmp -s keep.before keep.after; then bad "$name: the folder was changed"; return; fi
	ok "$name: refused ($(grep -E '^\[E::' ref-$T_PASS.log | head -1 | cut -c1-150)...)"
}
refused "checkpoint, no --resume and no --force" "holds the checkpoint of an unfinished run: give --resume" \
	dy 2 1 asm -o keep "${IN[@]}"
refused "checkpoint from other options" "was made with --min-count 0, this run has --min-count 3" \
	dy 2 1 asm --resume --min-count 3 -o keep "${IN[@]}"
refused "checkpoint from other graph options" "was made with --tip-len 2, this run has --tip-len 3" \
	dy 2 1 asm --resume --tip-len 3 -o keep "${IN[@]}"
refused "checkpoint from another rank count" "was made by 2 rank\(s\), this run has 1: resume with -np 2" \
	dy 1 1 asm --resume -o keep "${IN[@]}"
refused "checkpoint from other inputs (one fewer)" "was made from 2 input file\(s\), this run has 1" \
	dy 2 1 asm --resume -o keep r1.fq
cp r2.fq r3.fq
refused "checkpoint from other inputs (another name)" "was made from input 2 = r2.fq, this run's input 2 is r3.fq" \
	dy 2 1 asm --resume -o keep r1.fq r3.fq
touch -d '2001-01-01' r3.fq && cp -p r2.fq r2.saved && touch -d '2001-01-01' r2.fq
refused "checkpoint from an input that has changed since" "another version of input 2 \(r2.fq\): its size or modification time" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
cp -p r2.saved r2.fq
cp keep/checkpoint/manifest manifest.saved
sed -i 's/^version [^ ]*/version 0.0.9/' keep/checkpoint/manifest; snap > keep.before
refused "checkpoint from another version" "was made by dactyl 0.0.9 layout .*, this is dactyl" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
cp manifest.saved keep/checkpoint/manifest
# a manifest that is there but cannot be read is not taken for none (which would start over)
rm keep/checkpoint/manifest; ln -s manifest keep/checkpoint/manifest; snap > keep.before
refused "an unreadable manifest (a symlink loop)" "checkpoint/manifest: cannot read the checkpoint manifest: Too many levels" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
rm keep/checkpoint/manifest; cp manifest.saved keep/checkpoint/manifest; snap > keep.before
refused "count with --resume" "are for dactyl asm" dy 2 1 count --resume -o keep "${IN[@]}"
# a damaged checkpoint file: both ranks stop, with the file named
cp keep/checkpoint/r1.build r1.saved
printf 'X' | dd of=keep/checkpoint/r1.build bs=1 seek=3000 conv=notrunc 2> /dev/null; snap > keep.before
refused "a damaged checkpoint file" "keep/checkpoint/r1.build: this checkpoint file is damaged" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
cp r1.saved keep/checkpoint/r1.build
printf 'X' >> keep/checkpoint/r1.build; snap > keep.before
refused "a checkpoint file one byte longer than the manifest says" "keep/checkpoint/r1.build: this checkpoint file is damaged" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
cp r1.saved keep/checkpoint/r1.build
rm keep/checkpoint/r1.build; snap > keep.before
refused "a missing checkpoint file" "keep/checkpoint/r1.build: cannot read this rank's checkpoint" \
	dy 2 1 asm --resume -o keep "${IN[@]}"
cp r1.saved keep/checkpoint/r1.build
# the same folder resumes once it is whole again, with MEGAHIT's spelling
dy 2 1 asm --continue -o keep "${IN[@]}" > keep.log 2>&1
check "--continue: resumes the folder the refusals left alone" grep -q "resuming after the build checkpoint" keep.log
check "--continue: outputs byte-identical" same_as_ref keep

long=$(printf 'd%.0s' $(seq 1 3801))
dy 1 1 asm --resume -o "$long" r1.fq > long.log 2>&1; rc=$?
check "an -o of 3801 bytes: refused (exit $rc), nothing created" sh -c "[ $rc -ne 0 ] && grep -q 'output directory name is 3801 bytes long' long.log && [ ! -e $long ]"

# --force without --resume starts over and forgets the checkpoint
DACTYL_TEST_FAULT=kill:clean:1 DY_TIMEOUT=60 dy 2 1 asm -o fresh "${IN[@]}" > /dev/null 2>&1
dy 2 1 asm --force -o fresh "${IN[@]}" > fresh.log 2>&1
check "--force without --resume: starts over" sh -c "! grep -q 'resuming after' fresh.log && grep -q 'phase done' fresh.log && grep -q '^\[M::count' fresh.log"
check "--force without --resume: outputs byte-identical, no checkpoint left" bash -c "$(declare -f same_as_ref facts); OUTS='$OUTS'; same_as_ref fresh && test ! -e fresh/checkpoint"

# --keep-checkpoints keeps them; a forced resume then only writes
dy 2 1 asm --keep-checkpoints -o kept "${IN[@]}" > /dev/null 2>&1
check "--keep-checkpoints: the last checkpoint stays (manifest, one file per rank)" \
	test -f kept/checkpoint/manifest -a -f kept/checkpoint/r0.graph -a -f kept/checkpoint/r1.graph -a ! -e kept/checkpoint/r0.count
# --resume of the same run that finished (a job requeued after its end): nothing to do, exit 0, outputs untouched
t0=$(stat -c %Y.%N kept/contigs.fa kept/stats.json)
dy 2 1 asm --resume -o kept "${IN[@]}" > kept.log 2>&1; rc=$?
check "--resume of the same finished run: exit 0 (got $rc), nothing to resume" \
	sh -c "[ $rc -eq 0 ] && grep -q 'holds the finished result of this same run .*: nothing to resume' kept.log"
check "--resume of the same finished run: its outputs untouched" test "$t0" = "$(stat -c %Y.%N kept/contigs.fa kept/stats.json)"
dy 2 1 asm --resume --min-count 3 -o kept "${IN[@]}" > kept.log 2>&1; rc=$?
check "a finished result and --resume with another option: refused (exit $rc), nothing to continue" \
	sh -c "[ $rc -eq 1 ] && grep -q 'holds the finished result of an earlier run (stats.json), so --resume has nothing to continue' kept.log"
dy 2 1 asm -o kept "${IN[@]}" > kept.log 2>&1
check "a finished result with a kept checkpoint: a plain rerun names the finished result, not the checkpoint" \
	sh -c "grep -q 'holds the finished result of an earlier run (stats.json): give --force' kept.log && ! grep -q 'unfinished run' kept.log"
dy 2 1 asm --resume --force -o kept "${IN[@]}" > kept.log 2>&1
check "--resume --force on a kept checkpoint: resumes after graph, outputs identical" \
	sh -c "grep -q 'resuming after the graph checkpoint' kept.log && $(declare -f same_as_ref facts); OUTS='$OUTS'; same_as_ref kept"

summary resume
