#!/usr/bin/env bash
# Paired reads.  The same reads as -1/-2 mate files (plain, gzip, BGZF), as
# an interleaved file (--12), as an unaligned BAM (samtools import, read as
# single reads) and as one file of single reads give byte-identical contigs
# at -np 1, 2, 3 and 4; every rank reads (whole pairs: tests/unit/
# test_reads_pairs.c probes which rank reads which pair); stats.json lists
# the libraries with their reads and pairs; --from-stats repeats a paired
# run (roles included); a checkpoint of the same files in other roles is
# refused.  Mates out of order and a short second file are refused in
# tests/badinput/cases.tst.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
$SIM genome 200000 41 > g.fa
$SIM reads g.fa 150 30 42 0.01 > r.fq
# mates: alternate records, named as Illumina pairs (Casava 1.8 comments)
awk 'NR % 4 == 1 { n = int((NR - 1) / 8); print "@M01:1:FC:1:1:" n ":7 " (NR % 8 == 1 ? 1 : 2) ":N:0:ACGT"; next } { print }' r.fq > named.fq
awk 'NR % 8 >= 1 && NR % 8 <= 4 { print > "a.fq" } NR % 8 == 0 || NR % 8 >= 5 { print > "b.fq" }' named.fq
gzip -c a.fq > a.fq.gz; gzip -c b.fq > b.fq.gz
bgzip -c a.fq > a.bgz.fq.gz; bgzip -c b.fq > b.bgz.fq.gz
A=(-k 31 -v 2 --progress 0)
dy 1 2 asm "${A[@]}" -o single -r named.fq > single.log 2>&1
check "single reads assemble (over 100 kb of contigs)" awk '!/^>/ { n += length($0) } END { exit !(n > 100000) }' single/contigs.fa

same() {   # name np args...: contigs byte-identical to the single reads'
	local name=$1 np=$2; shift 2
	local out="o-$name-$np"
	dy "$np" 1 asm "${A[@]}" -o "$out" "$@" > "$out.log" 2>&1; local rc=$?
	if [ $rc -ne 0 ]; then bad "$name at -np $np: exit $rc"; grep -m2 'E::' "$out.log"; return; fi
	check "$name at -np $np: contigs byte-identical to the single reads'" cmp -s single/contigs.fa "$out/contigs.fa"
}
for np in 1 2 3 4; do
	same pairs $np -1 a.fq -2 b.fq
	same interleaved $np --12 named.fq
done
same pairs-bgzf 4 -1 a.bgz.fq.gz -2 b.bgz.fq.gz
same pairs-gzip 2 -1 a.fq.gz -2 b.fq.gz
same pairs-bgzf-plain 3 -1 a.bgz.fq.gz -2 b.fq
if command -v samtools > /dev/null; then
	samtools import -1 a.fq -2 b.fq -o u.bam 2> import.log || bad "samtools import failed"
	same unaligned-bam 4 u.bam
else
	bad "samtools is not installed (pipelines/install-deps.sh installs it)"
fi

# split pairs are read by every rank, and the log says whole pairs
for f in pairs-4 interleaved-4 pairs-bgzf-4; do
	n_busy=$(python3 -c 'import json,sys; print(sum(1 for n in json.load(open(sys.argv[1]))["ranks"]["reads"] if n > 0))' o-$f/stats.json)
	check "$f: read by 4 ranks (saw $n_busy)" test "$n_busy" = 4
done
check "the log says each rank reads whole pairs" grep -q "each rank reads whole pairs" o-pairs-4.log

# the libraries, in the log and in stats.json
dy 2 1 asm "${A[@]}" -o mixed -r r.fq -1 a.fq -2 b.fq --12 named.fq > mixed.log 2>&1
check "three libraries at once: exit 0" test -s mixed/contigs.fa
python3 - mixed/stats.json > libs.txt <<'PY'
import json, sys
for l in json.load(open(sys.argv[1]))["libraries"]:
    print(l["kind"], ",".join(l["files"]), l["reads"], l["pairs"], l["bases"], l["mean_read_len"])
PY
n=$(awk 'NR % 4 == 2' r.fq | wc -l); b=$(awk 'NR % 4 == 2 { s += length($0) } END { print s }' r.fq)
check "stats.json: a single library of $n reads" grep -qx "single r.fq $n 0 $b 150.0" libs.txt
check "stats.json: a paired library of $n reads, $((n / 2)) pairs" grep -qx "paired a.fq,b.fq $n $((n / 2)) $b 150.0" libs.txt
check "stats.json: an interleaved library of $((n / 2)) pairs" grep -qx "interleaved named.fq $n $((n / 2)) $b 150.0" libs.txt
check "the log names the paired library" grep -q "a.fq + b.fq (paired): $n reads, $((n / 2)) pairs" mixed.log

# --from-stats repeats the roles; a checkpoint of the same files as singles is refused
dy 2 1 asm --from-stats mixed/stats.json -o again > again.log 2>&1; rc=$?
check "--from-stats of a paired run: exit 0 (got $rc)" test $rc -eq 0
check "--from-stats of a paired run: contigs byte-identical" cmp -s mixed/contigs.fa again/contigs.fa
check "--from-stats of a paired run: the same roles" \
	python3 -c 'import json,sys; a, b = (json.load(open(f))["repeat"]["roles"] for f in sys.argv[1:]); sys.exit(not (a == b == "s12i"))' \
	mixed/stats.json again/stats.json
DACTYL_TEST_FAULT=stall:merge:0 timeout 8 "$DACTYL" asm "${A[@]}" -o ck -1 a.fq -2 b.fq > ck.log 2>&1
dy 1 1 asm "${A[@]}" -o ck --resume a.fq b.fq > ck2.log 2>&1; rc=$?
check "a checkpoint made from pairs, resumed with the files as single reads: refused (exit $rc)" \
	sh -c "[ $rc -eq 1 ] && grep -q 'inputs in other roles' ck2.log"
summary pairs
