#!/usr/bin/env bash
# Bad input: every case of cases.tst at -np 2 must exit non-zero within the
# timeout, print the expected message, and leave no contigs.fa behind.
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

DY_TIMEOUT=60
while IFS= read -r line; do
	case "$line" in N*) ;; *) continue ;; esac
	re=${line#N }; re=${re%% => *}; re=$(echo "$re" | sed 's/ *$//')
	args=${line##* => }
	out=out.$T_PASS.$T_FAIL
	args=${args//OUT/$out}
	# shellcheck disable=SC2086
	dy 2 1 $args > stdout.txt 2> stderr.txt; rc=$?
	name="[$args]"
	if [ $rc -eq 124 ]; then bad "$name: hung (timeout)"; continue; fi
	if [ $rc -eq 0 ]; then bad "$name: exit 0"; continue; fi
	if ! grep -Eq -e "$re" stderr.txt; then bad "$name: message /$re/ not found"; head -5 stderr.txt; continue; fi
	if [ -e "$out/contigs.fa" ] || ls "$out"/.*.tmp >/dev/null 2>&1; then bad "$name: output left behind"; continue; fi
	ok "$name -> rc $rc, $(grep -E '^\[E::' stderr.txt | head -1)"
done < "$HERE/cases.tst"

# A failure must not leave an earlier run's contigs.fa passing for this one.
dy 2 1 asm -k 31 -o reuse good.fq 2>/dev/null
dy 2 1 asm -k 31 -o reuse qual.fq 2>/dev/null
check "failed rerun removes the earlier contigs.fa" test ! -e reuse/contigs.fa

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
