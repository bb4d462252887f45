#!/usr/bin/env bash
# The suites that need the built dactyl, for one build folder. `make check`
# runs this for the optimised and the ASan+UBSan builds (unit tests run
# before, from make).  Prints one closing line "check: N passed, N failed".
set -u
B=${1:-build}
cd "$(dirname "$0")/.."
pass=0; fail=0
run() {
	local name=$1; shift
	echo "== $name ($B)"
	if "$@"; then pass=$((pass+1)); else fail=$((fail+1)); echo "== $name FAILED"; fi
}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}   # Open MPI's own allocations are not ours to chase
run e2e bash tests/e2e/run.sh "$B"
run oracle bash tests/oracle/run.sh "$B"
run graph bash tests/graph/run.sh "$B"
run badinput bash tests/badinput/run.sh "$B"
# SAM, BAM (split by BGZF block) and CRAM against the same reads as FASTQ
run sam bash tests/sam/run.sh "$B"
# paired and interleaved reads: identical contigs, libraries, refusals
run pairs bash tests/pairs/run.sh "$B"
# dactyl plan against a measured run
run plan bash tests/plan/run.sh "$B"
# the memory budget: refusals with the smallest workable budget, which then works
run mem bash tests/mem/run.sh "$B"
run ranks bash tests/ranks/run.sh "$B"
# -np 4 over two hosts made of network namespaces, MPI over TCP between them
run hosts bash tests/hosts/run.sh "$B"
run sizes bash tests/sizes/run.sh "$B"
run determinism bash tests/determinism/run.sh "$B"
run resume bash tests/resume/run.sh "$B"
# LeakSanitizer over whole MPI runs, error paths included (needs the ASan build)
[ "$B" = build-asan ] && run leaks bash tests/leaks/run.sh "$B"
run maint bash tests/maint.sh "$B"
# the Slurm batch script under a private single-node Slurm (started and stopped by the test), for both builds
run slurm bash tests/slurm/run.sh "$B"
# every fuzz target over its committed corpus, under this build's flags
for t in reads input split skm frag opt gfa; do
	ASAN_OPTIONS=detect_leaks=1 run "fuzz-replay $t" "$B/tests/replay-$t" "tests/fuzz/corpus/$t"
done
if [ "$B" = build ]; then   # data and evaluator tests do not depend on the build flavour
	[ -f tests/datasets/run.sh ] && run datasets bash tests/datasets/run.sh
	[ -f tests/eval/run.sh ] && run eval bash tests/eval/run.sh
	# the benchmark harness on a tiny grid: schema, INVALID on a corrupted contig, compare
	run bench bash tests/bench/run.sh "$B"
fi
echo "check-$B: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
