#!/usr/bin/env bash
# Bad and odd input: every case of cases.tst at -np 1 and -np 4 (BADINPUT_NP).
# N: must exit non-zero within the timeout, print the expected message, and
# leave no output and no rank behind.  Y: odd but valid, must be accepted
# (exit 0, a finished stats.json) and print the message if one is given.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$TMP"

# the committed fixtures, then the ones made here for their exact case
cp "$HERE"/*.fq "$HERE"/*.fa "$HERE"/*.gz "$HERE"/*.txt .
$SIM genome 5000 7 > g.fa
$SIM reads g.fa 100 10 8 > good.fq
gzip -c good.fq > full.gz; head -c $(( $(stat -c %s full.gz) / 2 )) full.gz > trunc.fq.gz
head -c $(( $(stat -c %s full.gz) - 4 )) full.gz > trunc-tail.fq.gz
bgzip -c good.fq > full.bgz; head -c $(( $(stat -c %s full.bgz) * 2 / 3 )) full.bgz > trunc.bgz.fq.gz
awk 'NR==4*3 {print substr($0,2); next} {print}' good.fq > qual.fq           # record 3: 99 quality values
awk 'NR==4*2-1 {print "x"; next} {print}' good.fq > noplus.fq                # record 2: no '+' line
head -c 3000 /dev/urandom | tr -d '@>' > junk.bin; printf '\001\002' >> junk.bin
awk 'NR%4==2 {print substr($0,1,30); next} NR%4==0 {print substr($0,1,30); next} {print}' good.fq > short.fq
awk 'NR%4==2 {print substr($0,1,20); next} NR%4==0 {print substr($0,1,20); next} {print}' good.fq > short20.fq
: > empty.fq
awk 'NR%4==2 {gsub(/./,"N")} {print}' good.fq > alln.fq
: > notadir

# --- odd input (issue 11): each made here, for its exact case --------------
head -40 good.fq > g10.fq                                                    # 10 good records
printf '@r1\n@r2\n@r3\n' > onlyheaders.fq
printf '>a\n>b\n>c\n' > onlyheaders.fa
{ cat g10.fq; printf '@r11\nACGTACGTAC\n'; } > noplus-end.fq                 # record 11: no '+' line at EOF
awk 'NR==4*3 {print $0 "I"; next} {print}' g10.fq > qual-long.fq            # record 3: 101 quality values
awk 'NR==4*2 {print substr($0,1,9) " " substr($0,11); next} {print}' g10.fq > qual-space.fq
perl -pe 'substr($_, 4, 1) = "\0" if $. == 4*4' g10.fq > qual-nul.fq          # perl: bytes awk may not write
perl -pe 'substr($_, 19, 1) = "\x01" if $. == 4*5' g10.fq > qual-ctrl.fq
perl -pe 'substr($_, 29, 1) = "\xff" if $. == 4*6' g10.fq > qual-high.fq
awk 'NR==4*7-2 {print substr($0,1,49) "\t" substr($0,51); next} {print}' g10.fq > seq-tab.fq
awk 'NR==4*8-2 {print substr($0,1,59) " " substr($0,61); next} {print}' g10.fq > seq-space.fq
printf '>chr1\nACGTACGTACGTACGTACGT\nACGTACG\tTACGTACGTACGTACG\n' > seq-tab.fa
awk 'NR==4*9-2 {print substr($0,1,69) "7" substr($0,71); next} {print}' g10.fq > seq-digit.fq
printf '\357\273\277' > bom.fq; cat g10.fq >> bom.fq
awk 'NR<=8 {print; next} NR==9 {print $0; getline; print substr($0,1,50); print substr($0,51); next} {print}' g10.fq > multiline.fq
{ printf '>ctg1\n'; awk 'NR%4==2' g10.fq; cat g10.fq; } > mixed.fa           # a FASTQ record inside a FASTA file
head -c 0 /dev/null > zero.fq.gz
mkdir -p adir
printf 'BZh91AY&SY\001\002\003' > reads.fq.bz2
printf '\3757zXZ\000\000\004' > reads.fq.xz
printf '\050\265\057\375\044\000' > reads.fq.zst
printf 'CRAM\003\000' > reads.cram; head -c 200 /dev/zero >> reads.cram
printf 'BAM\001\000\000\000\000\000\000\000\000' | bgzip -c > reads.bam                 # a BAM without reads
printf 'BAM\001\100\000\000\000@HD\tVN:1.6' | bgzip -c > cut-header.bam       # header text cut short
printf '@HD\tVN:1.6\nr1\t4\t*\t0\t0\t*\t*\t0\t0\tACGTACGTACGTACGTACGTACGTACGTACGTAC\t*\nr2\t4\t*\t0\t0\t*\t*\t0\t0\t*\t*\n' > noseq.sam
printf 'PK\003\004rest' > reads.zip
# BAM, CRAM and SAM made by Debian's samtools and minimap2: cut, without the
# EOF block, a CRAM whose reference is gone, a SAM line cut short
$SIM reads g.fa 100 60 9 > many.fq
samtools import -0 many.fq -o full.bam 2> /dev/null
sz=$(stat -c %s full.bam)
head -c $((sz * 3 / 4)) full.bam > trunc.bam                                # cut mid-records
head -c $((sz - 28)) full.bam > noeof.bam                                   # all but the 28-byte EOF block
mkdir -p refdir && cp g.fa refdir/ref.fa
minimap2 -ax sr refdir/ref.fa good.fq 2> /dev/null | samtools sort -O cram --reference refdir/ref.fa -o needref.cram - 2> /dev/null
rm -rf refdir                                                               # the reference the CRAM names is gone
export REF_PATH=$PWD/no-ref-here REF_CACHE=$PWD/no-ref-here               # and htslib asks no server for it
printf '@HD\tVN:1.6\nr1\t4\t*\t0\t0\t*\t*\t0\t0\tACGTACGTACGTACGTACGTACGTACGTACGTAC\t*\nr2\t4\t*\t0\n' > badline.sam
gzip -c good.fq > gz-named-plain.fq                                          # a gzip file with a plain name
cp good.fq plain-named.fq.gz                                                 # a plain file with a .gz name
head -n 200 good.fq | gzip -c > part1.gz; tail -n +201 good.fq | gzip -c > part2.gz
: | gzip -c > empty-member.gz
cat part1.gz empty-member.gz part2.gz > mid-empty-member.fq.gz               # an empty gzip member in the middle
{ gzip -c good.fq; printf 'trailing garbage\n'; } > trailing-garbage.fq.gz
awk 'NR % 4 == 1 {print ""} {print}' good.fq > blank-lines.fq                # a blank line before every record
awk 'NR==1 {print ">"; next} {print}' g.fa > noname.fa                      # a FASTA record with no name
awk 'NR%4==1 {print "@"; next} {print}' good.fq > noname.fq
{ cat good.fq; printf '@one\nA\n+\nI\n'; } > onebase.fq
awk 'BEGIN {for (i = 0; i < 1000000; i++) printf "@s%d\nACGTACGTACGTACGTACGT\n+\nIIIIIIIIIIIIIIIIIIII\n", i}' > many-short.fq
awk 'BEGIN {srand(5); printf ">long\n"; for (i = 0; i < 10000000; i++) printf "%s", substr("ACGT", int(rand()*4)+1, 1); printf "\n"}' > long10m.fa
awk 'BEGIN {srand(6); for (r = 0; r < 200; r++) {printf "@u%d\n", r; s = ""; for (i = 0; i < 100; i++) s = s substr("ACGT", int(rand()*4)+1, 1); q = s; gsub(/./, "I", q); print s; print "+"; print q}}' > unique.fq
ln -sf no-such-target dangling.fq
late_rec=$(( $(wc -l < good.fq) / 4 * 7 / 8 ))                               # in the last share at -np 4
awk -v r=$late_rec 'NR==4*r-3 {print "bad header"; next} {print}' good.fq > late.fq
bgzip -c late.fq > late.bgz.fq.gz
cp g10.fq g10.keep
# pairs: mates named pN/1 and pN/2; the second file one record short, two of
# its records swapped; an interleaved file of an odd number of records
awk 'NR % 4 == 1 {print "@p" (NR - 1) / 4 "/1"; next} {print}' good.fq > m1.fq
awk 'NR % 4 == 1 {print "@p" (NR - 1) / 4 "/2"; next} {print}' good.fq > m2.fq
cp m1.fq m1c.fq   # a copy of the first mates given as the second
head -n -4 m2.fq > m2short.fq
awk 'NR >= 9 && NR <= 12 {b[NR] = $0; next} {print} NR == 16 {for (i = 9; i <= 12; i++) print b[i]}' m2.fq > m2swap.fq
paste -d '\n' <(paste - - - - < m1.fq) <(paste - - - - < m2.fq) | tr '\t' '\n' > inter.fq
head -n -4 inter.fq > iodd.fq

# a hang shows as the timeout; under ASan the 10 Mb single read's graph
# build alone took 275 s on a slow 2-core VM (12 s optimised), so that
# build gets more room
DY_TIMEOUT=120
case "$B" in *asan*) DY_TIMEOUT=480 ;; esac
sed "s/@LATE@/$late_rec/g" "$HERE/cases.tst" > cases.run
for np in ${BADINPUT_NP:-1 4}; do
while IFS= read -r line; do
	case "$line" in N\ *|Y\ *) ;; *) continue ;; esac
	want=${line%% *}
	re=${line#? }; re=${re%% => *}; re=$(echo "$re" | sed 's/ *$//')
	args=${line##* => }
	out=out.$T_PASS.$T_FAIL
	args=${args//OUT/$out}
	# shellcheck disable=SC2086
	dy $np 1 $args > stdout.txt 2> stderr.txt; rc=$?
	name="-np $np [$args]"
	if [ $rc -eq 124 ]; then bad "$name: hung (timeout)"; continue; fi
	if [ "$want" = Y ]; then   # odd but valid: accepted, finished, and the message (if any) shown
		if [ $rc -ne 0 ]; then bad "$name: exit $rc"; grep -E '^\[E::' stderr.txt | head -3; continue; fi
		if [ "$re" != "" ] && ! grep -Eq -e "$re" stderr.txt; then bad "$name: message /$re/ not found"; continue; fi
		if [ ! -s "$out/stats.json" ]; then bad "$name: no stats.json"; continue; fi
		ok "$name -> accepted${re:+, $(grep -E -e "$re" stderr.txt | head -1)}"
		continue
	fi
	if [ $rc -eq 0 ]; then bad "$name: exit 0"; continue; fi
	if ! grep -Eq -e "$re" stderr.txt; then bad "$name: message /$re/ not found"; head -5 stderr.txt; continue; fi
	if [ -e "$out/contigs.fa" ] || [ -e "$out/stats.json" ] || ls "$out"/.*.tmp >/dev/null 2>&1; then bad "$name: output left behind"; continue; fi
	if pgrep -f -- "-o $out( |\$)" > /dev/null; then bad "$name: a rank is still running"; continue; fi
	ok "$name -> rc $rc, $(grep -E '^\[E::' stderr.txt | head -1)"
done < cases.run
done
check "-o naming an existing file leaves that file as it was" cmp -s g10.fq g10.keep

# A finished result is never lost to a rerun: without --force the rerun is
# refused before anything is touched; with --force a failing rerun (a bad
# record, a typo in an input) leaves it whole, and only a rerun that
# completes replaces it, as a whole.
same_result() { for f in contigs.fa contigs.fa.fai graph.gfa bubbles.fa kmer-histogram.tsv stats.json; do cmp -s "$1/$f" "$2/$f" || return 1; done; }
dy 2 1 asm -k 31 -o reuse good.fq 2>/dev/null
cp -r reuse reuse.keep
dy 2 1 asm -k 31 -o reuse good.fq 2> rerun.err; rc=$?
check "rerun into a finished result without --force: refused (exit $rc), saying why" \
	sh -c "[ $rc -ne 0 ] && grep -q 'holds the finished result of an earlier run (stats.json): give --force' rerun.err"
check "refused rerun: the result is as it was" same_result reuse.keep reuse
dy 2 1 asm -k 31 --force -o reuse qual.fq 2>/dev/null; rc=$?
check "--force rerun on a bad record: fails (exit $rc), the result as it was" sh -c "[ $rc -ne 0 ] && $(declare -f same_result); same_result reuse.keep reuse"
dy 2 1 asm -k 31 --force -o reuse good.fq tpyo.fq 2> typo.err; rc=$?
check "--force rerun with a typo in an input: fails naming it (exit $rc), the result as it was" \
	sh -c "[ $rc -ne 0 ] && grep -q 'tpyo.fq' typo.err && $(declare -f same_result); same_result reuse.keep reuse"
check "failed reruns leave no temporary file" sh -c "! ls -A reuse | grep -q '^\.'"
dy 2 1 count -k 25 --force -o reuse good.fq 2>/dev/null; rc=$?
check "--force count over an asm result: exit $rc, the asm-only outputs gone, a new stats.json" \
	sh -c "[ $rc -eq 0 ] && [ ! -e reuse/contigs.fa ] && [ ! -e reuse/graph.gfa ] && ! cmp -s reuse/stats.json reuse.keep/stats.json"
dy 2 1 asm -k 31 --force -o reuse good.fq 2>/dev/null
check "--force asm that completes: the same contigs, graph and histogram again (stats.json has new timings)" \
	sh -c 'for f in contigs.fa contigs.fa.fai graph.gfa bubbles.fa kmer-histogram.tsv; do cmp -s reuse.keep/$f reuse/$f || exit 1; done; [ -s reuse/stats.json ]'

# A full disk while rank 0 writes: a non-zero exit and none of the outputs
# (not even the histogram, written before the contigs). Needs mount (root).
mkdir -p full
if mount -t tmpfs -o size=96k tmpfs full 2>/dev/null; then
	$SIM genome 200000 3 > big.fa; $SIM reads big.fa 100 20 4 > big.fq
	dy 2 1 asm -k 31 -o full/out big.fq > /dev/null 2> full.err; rc=$?
	check "disk full: non-zero exit ($rc) naming the file" \
		sh -c "[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -Eq 'full/out/.*(No space left|cannot write)' full.err"
	check "disk full: no output and no temporary file left" test -z "$(ls -A full/out 2>/dev/null)"
	umount full
else
	echo "skip disk-full case: cannot mount a tmpfs here"
fi

summary badinput
