#!/usr/bin/env bash
# No leak (ASan build only): LeakSanitizer over whole runs at -np 2, on the
# paths that finish and on the error paths, where leaks hide (bad record,
# missing file, a failed allocation on one rank, no solid k-mer).  Open
# MPI's own allocations are suppressed by library (lsan.supp); the slow
# unwinder gives them stacks long enough to be matched.  Every leak report
# must be empty.
set -u
B=${1:-build-asan}
source "$(dirname "$0")/../lib.sh"
HERE=$ROOT/tests/leaks
cd "$TMP"
export ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30
export LSAN_OPTIONS=suppressions=$HERE/lsan.supp:print_suppressions=0
$SIM genome 20000 31 > g.fa
$SIM reads g.fa 100 20 32 0.01 > r.fq
awk 'NR==4*50 {print substr($0,2); next} {print}' r.fq > qual.fq
awk 'NR%4==2 {print substr($0,1,50); next} NR%4==0 {print substr($0,1,50); next} {print}' r.fq | head -400 > few.fq

# leaks NAME NP EXPECT ARGS...: the run's exit matches EXPECT (0 or fail), and no leak is reported
leaks() {
	local name=$1 np=$2 want=$3 rc; shift 3
	dy "$np" 1 "$@" > "$name.out" 2> "$name.err"; rc=$?
	if grep -q "LeakSanitizer" "$name.err"; then
		bad "$name: leak reported"; grep -E "Direct leak|Indirect leak| in dy_| in [a-z_]+ (src|kernels)/" "$name.err" | head -10
		return
	fi
	if [ "$want" = 0 ] && [ $rc -ne 0 ]; then bad "$name: exit $rc"; tail -3 "$name.err"; return; fi
	if [ "$want" != 0 ] && { [ $rc -eq 0 ] || [ $rc -eq 124 ]; }; then bad "$name: exit $rc"; return; fi
	ok "$name: exit $rc, no leak"
}
leaks asm-k31 2 0 asm -k 31 -o o1 r.fq
leaks asm-auto-k 2 0 asm -o o2 r.fq
leaks count 2 0 count -k 31 -o o3 r.fq
leaks no-clean 1 0 asm -k 31 --no-clean --read-cache-mb 0 -o o4 r.fq
leaks bad-record 2 fail asm -k 31 -o o5 r.fq qual.fq
leaks missing-file 2 fail asm -k 31 -o o6 r.fq missing.fq
leaks no-solid 2 fail asm -k 31 --min-count 15 -o o7 few.fq
DACTYL_TEST_FAULT=nomem:count:1 leaks nomem-rank1 2 fail asm -k 31 -o o8 r.fq
leaks plan 2 0 plan -o o9 r.fq
# the singleton filter: both passes, from the read cache and from the files, its refusal, and a rank without memory
leaks sieve 2 0 asm -k 31 --singleton-filter -o o20 r.fq
leaks sieve-nocache 2 0 count -k 31 --singleton-filter --read-cache-mb 0 -o o21 r.fq
leaks sieve-min1 1 fail count -k 31 --singleton-filter --min-count 1 -o o22 r.fq
DACTYL_TEST_FAULT=nomem:count:1 leaks sieve-nomem 2 fail count -k 31 --singleton-filter -o o23 r.fq
leaks plan-too-small 1 fail plan --mem-per-node 100M r.fq
# pairs: split mates, an interleaved file, a pair that does not pair up, mates out of order
awk 'NR % 4 == 1 {print "@p" int((NR - 1) / 8) "/" ((NR - 1) / 4 % 2 + 1); next} {print}' r.fq > inter.fq
awk 'NR % 8 >= 1 && NR % 8 <= 4 { print > "m1.fq" } NR % 8 == 0 || NR % 8 >= 5 { print > "m2.fq" }' inter.fq
head -n -4 m2.fq > m2short.fq
awk 'NR % 4 == 1 {print "@x" NR; next} {print}' m2.fq > m2names.fq
leaks pairs 2 0 asm -k 31 -o o13 -1 m1.fq -2 m2.fq
leaks interleaved 2 0 asm -k 31 -o o14 --12 inter.fq
leaks pairs-short 2 fail asm -k 31 -o o15 -1 m1.fq -2 m2short.fq
leaks pairs-names 2 fail asm -k 31 -o o16 -1 m1.fq -2 m2names.fq
if command -v samtools > /dev/null; then   # BAM split by block and CRAM by container, at -np 2; a cut BAM
	samtools import -0 r.fq -o r.bam 2> /dev/null
	samtools import -0 r.fq -O cram --output-fmt-option seqs_per_slice=500 -o r.cram 2> /dev/null
	head -c $(( $(stat -c %s r.bam) / 2 )) r.bam > cut.bam
	leaks bam 2 0 asm -k 31 -o o10 r.bam
	leaks cram 2 0 asm -k 31 -o o11 r.cram
	leaks cut-bam 2 fail asm -k 31 -o o12 cut.bam
	# pairs by flags, with read groups; a lone second mate (not a pair)
	samtools import -1 m1.fq -2 m2.fq -O sam -o p.sam 2> /dev/null
	awk 'BEGIN { OFS = "\t" } /^@/ { print; next } !h { print "@RG\tID:A\tLB:x"; h = 1 } { print $0, "RG:Z:A" }' p.sam |
		samtools view -b -o prg.bam -
	samtools view -b -o lone.bam <(awk '/^@/ || NR != 10' p.sam) 2> /dev/null
	leaks bam-pairs-rg 2 0 asm -k 31 -o o17 --12 prg.bam
	leaks bam-pairs-lone 2 fail asm -k 31 -o o18 --12 lone.bam
fi
summary leaks
