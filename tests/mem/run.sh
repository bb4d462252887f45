#!/usr/bin/env bash
# The memory budget (-m/--mem, src/budget.c): a budget that cannot hold the
# buffers, the pilot's table, the count's table or the build's graph is
# refused when that shows, exit 1, with the smallest workable budget -- and
# that budget, given, works, within 10% of its peak RSS; results do not
# depend on the budget (the buffers it shrinks); a refusal before the build
# keeps the count's checkpoint for --resume; the default comes from Slurm's
# variables when they are set.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
$SIM genome 2500000 51 > g.fa
$SIM reads g.fa 150 20 52 0.002 > r.fq
A=(-k 31 -v 2 --progress 0)
# the sanitizer's shadow memory is no part of the model: under ASan, RSS is not compared
rss_ok() { [ "$B" = build-asan ] || test "$1" -le "$2"; }
peak() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(max(max(p["peak_rss_bytes"]) for p in d["phases"]))' "$1"; }
mib_in() { grep -o "smallest workable budget is [a-z ]*about [0-9.]* [MG]iB" "$1" | head -1 | awk '{ v = $(NF-1); if ($NF == "GiB") v *= 1024; print int(v + 1) }'; }
nothing() { ! ls -A "$1" 2>/dev/null | grep -q .; }

dy 1 2 asm "${A[@]}" -o ref r.fq > ref.log 2>&1
check "without a budget: assembles" test -s ref/contigs.fa

# too small for the buffers: refused at the start
dy 1 2 asm "${A[@]}" -m 40M -o o-tiny r.fq > tiny.log 2>&1; rc=$?
check "--mem 40M: exit 1 (got $rc)" test $rc -eq 1
check "--mem 40M: cannot hold the buffers, with the smallest workable budget" grep -q "cannot hold even the buffers: the smallest workable budget is about" tiny.log
check "--mem 40M: no output" nothing o-tiny

# k given: refused in the count, when the table passes it
dy 1 2 asm "${A[@]}" -m 120M -o o-count r.fq > count.log 2>&1; rc=$?
check "--mem 120M: exit 1 (got $rc)" test $rc -eq 1
check "--mem 120M: the count's table passes it, with the smallest workable budget" grep -q "k-mer table reached .* the smallest workable budget is about .* (extrapolated from the reads read so far" count.log
check "--mem 120M: no output" nothing o-count

# k chosen: refused after the pilot; the budget it names then works, within 10%
dy 1 2 asm -v 2 --progress 0 -m 120M -o o-pilot r.fq > pilot.log 2>&1; rc=$?
check "no -k, --mem 120M: exit 1 (got $rc)" test $rc -eq 1
check "no -k, --mem 120M: refused after the pilot" grep -q "the pilot expects .* distinct k-mers .* smallest workable budget is about" pilot.log
want=$(mib_in pilot.log)
if [ -n "$want" ]; then
	dy 1 2 asm -v 2 --progress 0 -m "${want}M" -o o-want r.fq > want.log 2>&1; rc=$?
	check "the smallest workable budget it named (${want} MiB) works (exit $rc)" test $rc -eq 0
	[ -s o-want/stats.json ] && p=$(peak o-want/stats.json) &&
		check "... and its peak RSS ($((p >> 20)) MiB) is within 10% of it" rss_ok $((p >> 20)) $((want * 11 / 10))
	dy 1 2 asm -v 2 --progress 0 -o ref-auto r.fq > ref-auto.log 2>&1
	check "... and its contigs are those of a run without a budget" cmp -s ref-auto/contigs.fa o-want/contigs.fa
else
	bad "no smallest workable budget in the pilot's refusal"; tail -2 pilot.log
fi

# a budget that shrinks the buffers: the same contigs, the peak within it
dy 2 1 asm "${A[@]}" -m 700M -o o-700 r.fq > m700.log 2>&1; rc=$?
check "--mem 700M at -np 2: exit 0 (got $rc), buffers cut to fit" sh -c "[ $rc -eq 0 ] && grep -q 'to fit the budget: read batches' m700.log"
check "--mem 700M: contigs byte-identical to the run without a budget" cmp -s ref/contigs.fa o-700/contigs.fa
[ -s o-700/stats.json ] && p=$(peak o-700/stats.json) && check "--mem 700M: peak RSS $((p >> 20)) MiB <= 700 MiB + 10%" rss_ok $((p >> 20)) 770

# refused before the build: the count's checkpoint stays, --resume with more memory goes on
dy 1 2 asm "${A[@]}" --batch-mb 1 --round-mb 4 --read-cache-mb 0 -m 2G -o probe r.fq > probe.log 2>&1
tb=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["ranks"]["table_bytes"][0], d["kmers"]["solid"])' probe/stats.json)
read -r table solid <<< "$tb"
# halfway between what the count needs (its table, buffers of 46 MB) and what
# the build needs (its table, ~64 B a solid k-mer): the count fits, the build does not
mb=$(( (46000000 + table + table + solid * 64) / 2 >> 20 ))
dy 1 2 asm "${A[@]}" --batch-mb 1 --round-mb 4 --read-cache-mb 0 -m "${mb}M" -o o-build r.fq > build.log 2>&1; rc=$?
check "--mem ${mb}M: refused before the build (exit $rc)" sh -c "[ $rc -eq 1 ] && grep -q 'the graph of .* solid k-mers needs about' build.log"
check "... the count's checkpoint is kept" test -d o-build/checkpoint
dy 1 2 asm "${A[@]}" --batch-mb 1 --round-mb 4 --read-cache-mb 0 -m 2G --resume -o o-build r.fq > resume.log 2>&1; rc=$?
check "... --resume with --mem 2G goes on after the count (exit $rc)" sh -c "[ $rc -eq 0 ] && grep -qi 'resum' resume.log"
check "... and gives the contigs of a run without a budget" cmp -s ref/contigs.fa o-build/contigs.fa

# a round whose k-mers are all new (reads of a random genome at 1x): one
# round could grow the table far past the budget before the check after it,
# so the table is checked inside the round too; the peak stays within the
# budget, and the budget the refusal names then works
$SIM genome 20000000 5 > u.fa && $SIM reads u.fa 150 1 6 > u.fq
/usr/bin/time -f %M -o u300.time "$ROOT/pipelines/run-local.sh" -n 1 -t 1 -b "$DACTYL" -- count -k 31 -m 300M -o o-u300 u.fq > u300.log 2>&1; rc=$?
check "unique k-mers, --mem 300M: refused in the count (exit $rc)" sh -c "[ $rc -eq 1 ] && grep -q 'k-mer table reached .* smallest workable budget is about' u300.log"
kb=$(tail -1 u300.time)
check "unique k-mers, --mem 300M: peak RSS $((kb >> 10)) MiB within the budget" rss_ok $((kb >> 10)) 300
want=$(mib_in u300.log)
if [ -n "$want" ]; then
	dy 1 1 count -k 31 -m "${want}M" -o o-uw u.fq > uw.log 2>&1; rc=$?
	check "unique k-mers: the budget it named (${want} MiB) works (exit $rc)" test $rc -eq 0
	[ -s o-uw/stats.json ] && p=$(peak o-uw/stats.json) && check "... peak RSS $((p >> 20)) MiB within it" rss_ok $((p >> 20)) "$want"
else bad "unique k-mers: no smallest workable budget named"; tail -2 u300.log; fi

# the default budget from Slurm's variables
SLURM_MEM_PER_NODE=100 dy 2 1 asm "${A[@]}" -o o-slurm r.fq > slurm.log 2>&1; rc=$?
check "SLURM_MEM_PER_NODE=100 at -np 2: refused (exit $rc), naming it" sh -c "[ $rc -eq 1 ] && grep -q 'SLURM_MEM_PER_NODE shared by 2 rank' slurm.log"
SLURM_MEM_PER_CPU=3000 SLURM_CPUS_PER_TASK=2 dy 1 2 asm "${A[@]}" -o o-cpu r.fq > cpu.log 2>&1; rc=$?
check "SLURM_MEM_PER_CPU=3000 x 2: a budget of 5.86 GiB (exit $rc)" sh -c "[ $rc -eq 0 ] && grep -q 'memory budget 5.86 GiB per rank (SLURM_MEM_PER_CPU x 2' cpu.log"
dy 1 2 asm "${A[@]}" -m 0.5 -o o-half r.fq > half.log 2>&1; rc=$?
check "-m 0.5: half the node's share (exit $rc)" sh -c "[ $rc -eq 0 ] && grep -q \"(0.5 of the node's memory\" half.log"
dy 1 2 asm "${A[@]}" -m 12 -o o-unit r.fq > unit.log 2>&1; rc=$?
check "-m 12: refused, asking for a unit" sh -c "[ $rc -eq 1 ] && grep -q 'needs a size with a unit' unit.log"
summary mem
