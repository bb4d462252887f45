#!/usr/bin/env bash
# Paired reads.  The same reads as -1/-2 mate files (plain, gzip, BGZF), as
# an interleaved file (--12), as an unaligned BAM or CRAM (samtools import,
# read as single reads, and as pairs by their flags with --12) and as one
# file of single reads give byte-identical contigs
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
same pairs-gzip 4 -1 a.fq.gz -2 b.fq.gz
# a plain gzip pair is read by one rank, which hands whole pairs to the
# other three to cut: every rank cuts an even number of reads near the mean
check "plain gzip pair at -np 4: one rank reads, all four cut whole pairs" python3 -c "
import json, sys; r = json.load(open('o-pairs-gzip-4/stats.json'))['ranks']
m = sum(r['reads']) / 4.0
sys.exit(not (sorted(r['reads_read'])[:3] == [0, 0, 0] and sum(r['reads_handed_in']) > 0
              and all(n % 2 == 0 and m / 1.5 <= n <= m * 1.5 for n in r['reads'])))"
same pairs-bgzf-plain 3 -1 a.bgz.fq.gz -2 b.fq
if command -v samtools > /dev/null; then
	samtools import -1 a.fq -2 b.fq -o u.bam 2> import.log || bad "samtools import failed"
	samtools import -1 a.fq -2 b.fq -O cram -o u.cram 2>> import.log || bad "samtools import to CRAM failed"
	same unaligned-bam 4 u.bam
	check "a BAM of mates read as single reads: the log says --12 keeps the pairs" \
		grep -q "u.bam: its records are mates (flags READ1, READ2), read here as single reads; give it with --12" o-unaligned-bam-4.log
	for np in 1 2 3 4; do same bam-pairs $np --12 u.bam; done
	same cram-pairs 3 --12 u.cram
	check "a BAM read as pairs: an interleaved library of its pairs" \
		grep -q "u.bam (interleaved pairs): 40000 reads, 20000 pairs" o-bam-pairs-4.log
	# an aligned BAM sorted by position: its mates lie apart, refused as pairs
	# before the output folder exists; collated, it pairs
	minimap2 -ax sr g.fa a.fq b.fq 2> /dev/null | samtools sort -o al.bam 2> /dev/null
	dy 2 1 asm "${A[@]}" -o al-out --12 al.bam > al.log 2>&1; rc=$?
	check "a position-sorted BAM given as pairs: refused (exit $rc), the output folder untouched" \
		sh -c "[ $rc -eq 1 ] && grep -q 'sorted by position (@HD SO:coordinate).*samtools collate' al.log && [ ! -e al-out ]"
	samtools collate -o col.bam al.bam 2> /dev/null
	same collated-bam-pairs 2 --12 col.bam
	same sorted-bam-singles 2 al.bam
	check "a sorted BAM of mates read as single reads: the log says to collate it first" \
		grep -q "al.bam: its records are mates (flags READ1, READ2), sorted by position .* 'samtools collate' then --12" o-sorted-bam-singles-2.log
	# read groups: three in the header (one without reads), reads tagged with
	# two of them and some with none, counted per group in the log and stats.json
	samtools import -1 a.fq -2 b.fq -O sam -o u.sam 2>> import.log
	awk 'BEGIN { OFS = "\t" } /^@/ { print; next }
	     !h { print "@RG\tID:L1\tLB:libA\tSM:palm"; print "@RG\tID:L2\tLB:libB\tSM:palm"; print "@RG\tID:L3\tSM:x"; h = 1 }
	     { n++; if (n <= 15000) print $0, "RG:Z:L1"; else if (n <= 36000) print $0, "RG:Z:L2"; else print }' u.sam |
		samtools view -b -o rg.bam -
	rgs() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["libraries"][0]["read_groups"]))' "$1"; }
	same read-groups 1 --12 rg.bam
	same read-groups 3 --12 rg.bam
	want='[{"id": "L1", "library": "libA", "sample": "palm", "reads": 15000, "pairs": 7500, "bases": 2250000, "mean_read_len": 150.0}, {"id": "L2", "library": "libB", "sample": "palm", "reads": 21000, "pairs": 10500, "bases": 3150000, "mean_read_len": 150.0}, {"id": "L3", "sample": "x", "reads": 0, "pairs": 0, "bases": 0, "mean_read_len": 0.0}, {"id": null, "reads": 4000, "pairs": 2000, "bases": 600000, "mean_read_len": 150.0}]'
	check "read groups: stats.json counts each group's reads, pairs and bases" test "$(rgs o-read-groups-1/stats.json)" = "$want"
	check "read groups: the same at -np 3" test "$(rgs o-read-groups-3/stats.json)" = "$want"
	check "read groups: the log names them with their library and sample" sh -c \
		"grep -q 'rg.bam: read group L2 (library libB, sample palm): 21000 reads, 10500 pairs' o-read-groups-3.log &&
		 grep -q 'rg.bam: reads without a read group: 4000 reads' o-read-groups-3.log"
	DACTYL_TEST_FAULT=kill:build:0 DY_TIMEOUT=60 dy 2 1 asm "${A[@]}" -o rg-k --12 rg.bam > rg-k.log 2>&1
	dy 2 1 asm "${A[@]}" --resume -o rg-k --12 rg.bam > rg-k2.log 2>&1; rc=$?
	check "read groups: killed in the build, --resume after the count (exit $rc) keeps them" \
		sh -c "[ $rc -eq 0 ] && grep -q 'resuming after the count checkpoint' rg-k2.log && [ '$(rgs rg-k/stats.json 2>/dev/null)' = '$want' ]"
else
	bad "samtools is not installed (pipelines/install-deps.sh installs it)"
fi

# split pairs are read by every rank, and the log says whole pairs
for f in pairs-4 interleaved-4 pairs-bgzf-4; do
	n_busy=$(python3 -c 'import json,sys; print(sum(1 for n in json.load(open(sys.argv[1]))["ranks"]["reads_read"] if n > 0))' o-$f/stats.json)
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

# insert sizes: true pairs (fragments of 350 +- 30 bp, FR, 0.5% substitutions)
python3 - g.fa <<'PY2'
import random, sys
random.seed(5)
g = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith(">"))
rc = lambda s: s[::-1].translate(str.maketrans("ACGT", "TGCA"))
def err(s):
    return "".join(random.choice("ACGT".replace(c, "")) if random.random() < 0.005 else c for c in s)
with open("i1.fq", "w") as f1, open("i2.fq", "w") as f2, open("il.fq", "w") as fi:
    for n in range(30000):
        I = max(210, int(random.gauss(350, 30)))
        s = random.randrange(0, len(g) - I)
        frag = g[s:s + I]
        if random.random() < 0.5: frag = rc(frag)
        m1, m2 = err(frag[:100]), err(rc(frag)[:100])
        for f, m, t in ((f1, m1, 1), (f2, m2, 2)):
            rec = "@f%d/%d\n%s\n+\n%s\n" % (n, t, m, "I" * 100)
            f.write(rec); fi.write(rec)
PY2
isize() {   # stats.json: the first library's insert figures, one line
	python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))["libraries"][0]["insert_size"]; print(d["main"], d["pairs_sampled"], d["pairs_on_one_contig"], d["median"], round(d["sd"]), json.dumps(d["histogram"]))' "$1"
}
dy 1 1 asm "${A[@]}" -o ins-1 -1 i1.fq -2 i2.fq > ins-1.log 2>&1
dy 3 1 asm "${A[@]}" -o ins-3 -1 i1.fq -2 i2.fq > ins-3.log 2>&1
dy 2 2 asm "${A[@]}" -o ins-il --12 il.fq > ins-il.log 2>&1
read -r ori np nplaced med sd hist <<< "$(isize ins-1/stats.json)"
check "insert sizes: FR, 30000 pairs sampled, over 90% on one contig (saw $ori $np $nplaced)" \
	test "$ori" = FR -a "$np" = 30000 -a "${nplaced:-0}" -gt 27000
check "insert sizes: median 350 +- 5, sd 30 +- 4 (saw $med, $sd)" \
	sh -c "[ ${med:-0} -ge 345 ] && [ ${med:-0} -le 355 ] && [ ${sd:-0} -ge 26 ] && [ ${sd:-0} -le 34 ]"
libs() { python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["libraries"], sort_keys=True))' "$1"; }
libs ins-1/stats.json > ins-1.libs; libs ins-3/stats.json > ins-3.libs
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["libraries"][0]["insert_size"])' ins-1/stats.json > ins-1.is
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["libraries"][0]["insert_size"])' ins-il/stats.json > ins-il.is
check "insert sizes: the same at -np 3" cmp -s ins-1.libs ins-3.libs
check "insert sizes: the same from the interleaved file at -np 2 -t 2" cmp -s ins-1.is ins-il.is
check "insert sizes: the log gives them" grep -q "i1.fq + i2.fq: .* FR inserts: median $med" ins-1.log
samtools import -1 i1.fq -2 i2.fq -o il.bam 2> /dev/null
dy 3 1 asm "${A[@]}" -o ins-bam --12 il.bam > ins-bam.log 2>&1
python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["libraries"][0]["insert_size"])' ins-bam/stats.json > ins-bam.is
check "insert sizes: the same from the pairs of an unaligned BAM (--12) at -np 3" cmp -s ins-1.is ins-bam.is
check "single reads have no insert sizes" python3 -c 'import json,sys; sys.exit(any("insert_size" in l for l in json.load(open(sys.argv[1]))["libraries"]))' single/stats.json
# short inserts in untrimmed reads: fragments of 180 +- 40 (some shorter than a
# read), each mate running into an adapter and then random bases; the adapter
# k-mers form a contig of their own, far above the genome's coverage
python3 - g.fa <<'PY2'
import random, sys
random.seed(8)
g = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith(">"))
rc = lambda s: s[::-1].translate(str.maketrans("ACGT", "TGCA"))
AD = "AGATCGGAAGAGCACACGTCTGAACTCCAGTCACATCTCGTATGCCGTCTTCTGCTTGATCGGAAGA"
ins = []
with open("s1.fq", "w") as f1, open("s2.fq", "w") as f2:
    for n in range(30000):
        I = max(60, int(random.gauss(180, 40)))
        s = random.randrange(0, len(g) - I)
        frag = g[s:s + I]
        if random.random() < 0.5: frag = rc(frag)
        tail = lambda: "".join(random.choice("ACGT") for _ in range(150))
        m1, m2 = (frag + AD + tail())[:150], (rc(frag) + AD + tail())[:150]
        f1.write("@s%d/1\n%s\n+\n%s\n" % (n, m1, "I" * 150)); f2.write("@s%d/2\n%s\n+\n%s\n" % (n, m2, "I" * 150))
        ins.append(I)
ins.sort()
print(ins[len(ins) // 2], ins[int(0.05 * len(ins))], file=open("s.truth", "w"))
PY2
dy 2 1 asm "${A[@]}" -o ins-s -1 s1.fq -2 s2.fq > ins-s.log 2>&1
read -r tmed tp5 < s.truth
read -r smed sp5 <<< "$(python3 -c 'import json,sys; d = json.load(open(sys.argv[1]))["libraries"][0]["insert_size"]; print(d["median"], d["p5"])' ins-s/stats.json)"
check "short inserts into adapters: median $smed (true $tmed) and p5 $sp5 (true $tp5) within 4 bases" \
	python3 -c "import sys; sys.exit(not (abs($smed - $tmed) <= 4 and abs($sp5 - $tp5) <= 4))"

# killed inside the insert phase: the resume starts after the merge and gives the same figures
DACTYL_TEST_FAULT=kill:insert:1 DY_TIMEOUT=60 dy 2 1 asm "${A[@]}" -o ins-k -1 i1.fq -2 i2.fq > ins-k.log 2>&1
dy 2 1 asm "${A[@]}" --resume -o ins-k -1 i1.fq -2 i2.fq > ins-k2.log 2>&1; rc=$?
check "kill at insert, --resume: exit 0 (got $rc), after the merge checkpoint" sh -c "[ $rc -eq 0 ] && grep -q 'resuming after the merge checkpoint' ins-k2.log"
libs ins-k/stats.json > ins-k.libs
check "kill at insert, --resume: contigs and libraries as an uninterrupted run" sh -c "cmp -s ins-1/contigs.fa ins-k/contigs.fa && cmp -s ins-1.libs ins-k.libs"
# killed while writing: the resume starts after the graph checkpoint, which holds the figures
DACTYL_TEST_FAULT=kill:write:0 DY_TIMEOUT=60 dy 2 1 asm "${A[@]}" -o ins-w -1 i1.fq -2 i2.fq > ins-w.log 2>&1
dy 2 1 asm "${A[@]}" --resume -o ins-w -1 i1.fq -2 i2.fq > ins-w2.log 2>&1; rc=$?
libs ins-w/stats.json > ins-w.libs
check "kill at write, --resume after the graph checkpoint (exit $rc): the same libraries and insert sizes" \
	sh -c "[ $rc -eq 0 ] && grep -q 'resuming after the graph checkpoint' ins-w2.log && cmp -s ins-1.libs ins-w.libs"
summary pairs
