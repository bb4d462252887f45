#!/usr/bin/env bash
# The graph against brute force: dactyl's raw unitigs (--no-clean) on reads
# WITH errors, at several solid thresholds, must equal the unitigs that
# tests/tools/dy-unitigs computes from strings (no dactyl code).  Also the
# two defects of the first graph: a palindromic (k+1)-mer counted twice, and
# a threshold lost when every count is even.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
UNITIGS=$ROOT/build/tools/dy-unitigs
[ -x "$UNITIGS" ] || UNITIGS=$ROOT/$B/tools/dy-unitigs
cd "$TMP"
seqs() { grep -v '^>' "$1"; }

# Reads with 0.5% substitutions over a genome with a 400 bp repeat in 3 copies.
$SIM genome 40000 71 400 3 > g.fa
$SIM reads g.fa 100 30 72 0.005 > r.fq
for t in 2 3 5; do
	$UNITIGS 31 $t r.fq > bf$t.fa || { bad "threshold $t: dy-unitigs failed"; continue; }
	if dy 2 1 asm -k 31 --min-count $t --no-clean --min-len 0 -o o$t r.fq 2> log$t; then
		check "errors, threshold $t: contigs equal the brute-force unitigs ($(grep -c '>' bf$t.fa) of them)" \
			cmp -s <(seqs bf$t.fa) <(seqs o$t/contigs.fa)
	else bad "threshold $t: dactyl failed"; tail -3 log$t; fi
done
# k = 21 and 4 ranks x 1 thread, one threshold
$UNITIGS 21 3 r.fq > bf21.fa
if dy 4 1 asm -k 21 --min-count 3 --no-clean --min-len 0 -o o21 r.fq 2> log21; then
	check "errors, k=21, -np 4: contigs equal the brute-force unitigs" cmp -s <(seqs bf21.fa) <(seqs o21/contigs.fa)
else bad "k=21: dactyl failed"; tail -3 log21; fi

# k = 95 (wide k-mers) on 150 bp reads with errors
$SIM reads g.fa 150 40 73 0.003 > r150.fq
$UNITIGS 95 2 r150.fq > bf95.fa
if dy 2 2 asm -k 95 --min-count 2 --no-clean --min-len 0 -o o95 r150.fq 2> log95; then
	check "errors, k=95, threshold 2: contigs equal the brute-force unitigs ($(grep -c '>' bf95.fa))" \
		cmp -s <(seqs bf95.fa) <(seqs o95/contigs.fa)
else bad "k=95: dactyl failed"; tail -3 log95; fi

# A 30 bp palindrome (S + revcomp S) at 10,000 of a 20 kb genome, error-free
# 30x, plus three reads whose error after the palindrome makes a palindromic
# 32-mer: it must count 3 (once per read), not 6, so at threshold 4 it is not
# an edge and the genome stays one unitig.
$SIM genome 20000 81 > g20.fa
awk 'NR==1 {print; next} {s = s $0} END {
	p = 10001; S = substr(s, p, 15); r = ""
	for (i = 15; i >= 1; --i) { c = substr(S, i, 1); r = r (c=="A"?"T":c=="C"?"G":c=="G"?"C":"A") }
	a = substr(s, p - 1, 1); s = substr(s, 1, p - 1) S r a substr(s, p + 31)
	print s > "pal.seq"; print s }' g20.fa > pal.fa
$SIM reads pal.fa 100 30 82 > pal.fq
awk '{ p = 10001; a = substr($0, p - 1, 1); e = (a=="A"?"T":a=="C"?"G":a=="G"?"C":"A")
	r = substr($0, p - 40, 70) e substr($0, p + 31, 29)
	q = r; gsub(/./, "I", q)
	for (i = 1; i <= 3; ++i) printf "@err%d\n%s\n+\n%s\n", i, r, q }' pal.seq >> pal.fq
$UNITIGS 31 4 pal.fq > bfpal.fa
check "palindrome: brute force gives one unitig" test "$(grep -c '>' bfpal.fa)" -eq 1
if dy 2 1 asm -k 31 --min-count 4 --no-clean --min-len 0 -o opal pal.fq 2> logpal; then
	check "palindromic 32-mer from 3 error reads: one contig, equal to brute force" cmp -s <(seqs bfpal.fa) <(seqs opal/contigs.fa)
else bad "palindrome: dactyl failed"; tail -3 logpal; fi

# The same file given twice: every count is even.  The automatic threshold must
# still drop the (now doubled) errors, say why in the log, and give the same
# contigs as the file given once.
$SIM genome 60000 91 > g60.fa
$SIM reads g60.fa 100 40 92 0.005 > e.fq
if dy 2 1 asm -k 31 -o oonce e.fq 2> logonce && dy 2 1 asm -k 31 -o otwice e.fq e.fq 2> logtwice; then
	t1=$(sed -n 's/.*"threshold": \([0-9]*\),.*/\1/p' oonce/stats.json)
	t2=$(sed -n 's/.*"threshold": \([0-9]*\),.*/\1/p' otwice/stats.json)
	check "file given twice: threshold doubles ($t1 -> $t2)" test "$t2" -eq $((2 * t1)) -a "$t1" -gt 1
	check "file given twice: the log says every count is a multiple of 2" grep -q 'multiple of 2' logtwice
	check "file given twice: same contig sequences as once" cmp -s <(seqs oonce/contigs.fa) <(seqs otwice/contigs.fa)
else bad "file given twice: dactyl failed"; tail -3 logtwice; fi
summary oracle
