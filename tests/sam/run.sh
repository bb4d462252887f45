#!/usr/bin/env bash
# SAM, BAM and CRAM input against the same reads as FASTQ: files made by
# Debian's samtools import (unaligned, paired flags) and a coordinate-sorted
# aligned BAM from minimap2 + samtools sort must give contigs byte-identical
# to the FASTQ's, at -np 1, 2 and 4 (a BAM is split between ranks by BGZF
# block, a CRAM by container; SAM is read whole by one rank).  A truncated BAM fails on
# every rank with its name and leaves no output.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"
for t in samtools minimap2; do
	command -v $t > /dev/null || { bad "$t is not installed (pipelines/install-deps.sh installs it)"; summary sam; exit; }
done
$SIM genome 200000 31 > g.fa
$SIM reads g.fa 150 30 32 0.01 > r.fq
# two "mate" files from alternate records, named as Illumina pairs
awk 'NR % 8 >= 1 && NR % 8 <= 4 { print > "a.fq" } NR % 8 == 0 || NR % 8 >= 5 { print > "b.fq" }' r.fq
samtools import -1 a.fq -2 b.fq -o u.bam 2> import.log &&
	samtools import -1 a.fq -2 b.fq -O cram --output-fmt-option seqs_per_slice=2000 -o u.cram 2>> import.log &&
	samtools import -1 a.fq -2 b.fq -O sam -o u.sam 2>> import.log ||
	{ bad "samtools import failed"; cat import.log; summary sam; exit; }
minimap2 -ax sr g.fa a.fq b.fq 2> mm.log | samtools sort -o s.bam - 2>> mm.log ||
	{ bad "minimap2 | samtools sort failed"; tail -3 mm.log; summary sam; exit; }

A=(-k 31 -v 1)
dy 1 2 asm "${A[@]}" -o fq a.fq b.fq > fq.log 2>&1
check "FASTQ assembles (over 100 kb of contigs)" awk '!/^>/ { n += length($0) } END { exit !(n > 100000) }' fq/contigs.fa

same() {   # same NAME NP THREADS FILE...: contigs byte-identical to those in $REF
	local name=$1 np=$2 t=$3; shift 3
	local out="o-$name-$np"
	dy "$np" "$t" asm "${A[@]}" -o "$out" "$@" > "$out.log" 2>&1; local rc=$?
	if [ $rc -ne 0 ]; then bad "$name at -np $np: exit $rc"; tail -3 "$out.log"; return; fi
	check "$name at -np $np -t $t: contigs byte-identical to the FASTQ's ($REF)" cmp -s "$REF/contigs.fa" "$out/contigs.fa"
}
REF=fq
same bam 1 2 u.bam
same bam 2 1 u.bam
same bam 4 1 u.bam
same cram 1 1 u.cram
same cram 2 1 u.cram
same cram 4 1 u.cram
same sam 4 1 u.sam
same sorted-aligned-bam 1 2 s.bam
same sorted-aligned-bam 4 1 s.bam
# 50 more secondary copies: skipped like the others, and counted in stats.json
samtools view -h s.bam | python3 -c '
import sys
n = 0
for l in sys.stdin:
    if not l.startswith("@") and n < 50:
        f = l.split("\t"); f[1] = str(int(f[1]) | 256); sys.stdout.write("\t".join(f)); n += 1
    sys.stdout.write(l)' | samtools view -b -o sec.bam - 2>> mm.log || bad "making sec.bam failed"
same secondary-bam 2 1 sec.bam
want=$(( $(samtools view -c sec.bam) - $(samtools view -c -F 0xB00 sec.bam) ))
got=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["libraries"][0].get("skipped_records", 0))' o-secondary-bam-2/stats.json)
check "stats.json: the $want records that are not reads (secondary, supplementary, QC-fail) skipped (saw $got)" \
	sh -c "[ $want -ge 50 ] && [ '$got' = '$want' ]"
dy 1 1 asm -k 31 -v 2 -o sec-log sec.bam > sec-log.log 2>&1
check "the log says how many records were skipped" grep -q "sec.bam: $want records skipped" sec-log.log
# a CRAM of many slices per container has a long landmark list in each
# container header (here over 4 KiB); and a BAM in plain gzip, not BGZF,
# has no blocks to split at: it is read whole by one rank
samtools import -1 a.fq -2 b.fq -O cram --output-fmt-option seqs_per_slice=4 \
	--output-fmt-option slices_per_container=2500 -o many.cram 2>> import.log &&
	samtools view -u -b u.bam | gzip -dc | gzip -c > gz.bam ||
	{ bad "making many.cram or gz.bam failed"; tail -3 import.log; }
same cram-many-slices 2 1 many.cram
same bam-in-plain-gzip 2 1 gz.bam
# a BAM beside a FASTQ (the a.fq reads twice): as the three FASTQ files
dy 1 1 asm "${A[@]}" -o fq2 a.fq b.fq a.fq > fq2.log 2>&1
REF=fq2
same bam+fastq 4 1 u.bam a.fq

# at -np 4 a BAM and a CRAM are really split: every rank reads records (stats.json's ranks.reads)
for f in bam cram; do
	n_busy=$(python3 -c 'import json,sys; print(sum(1 for n in json.load(open(sys.argv[1]))["ranks"]["reads_read"] if n > 0))' o-$f-4/stats.json)
	check "a ${f^^} at -np 4 is read by 4 ranks (saw $n_busy)" test "$n_busy" = 4
done

# a truncated BAM: an error naming it on every rank, exit 1, no output
size=$(stat -c %s u.bam)
head -c $((size / 2)) u.bam > cut.bam
dy 2 1 asm "${A[@]}" -o o-cut cut.bam > cut.log 2>&1; rc=$?
check "a truncated BAM: exit 1 (got $rc)" test $rc -eq 1
check "a truncated BAM: the message names the file" grep -q "cut.bam" cut.log
check "a truncated BAM: no output" sh -c "! ls -A o-cut 2>/dev/null | grep -q ."
summary sam
