#!/usr/bin/env bash
# tests/datasets/run.sh -- the genome generator and the dataset recipes.
# Run from the repository root: bash tests/datasets/run.sh
# Every test asserts on real outputs: byte identity (cmp / sha256), features
# measured from the files (tests/datasets/check_truth.py) within 10% of what
# was asked, truth tables that rebuild the second haplotype exactly.
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d /tmp/dy-datasets.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
PG=datasets/palmgen
CHECK="python3 tests/datasets/check_truth.py"

t() { # t NAME CMD...: one test; its output is shown only on failure
	local name=$1; shift
	if "$@" > "$T/log" 2>&1; then pass=$((pass + 1)); echo "PASS $name"
	else fail=$((fail + 1)); echo "FAIL $name"; tail -20 "$T/log"; fi
}
fails() { ! "$@"; }   # the command must fail

# a generator run into directory $1 with all outputs; the rest are options
gen() {
	local d=$1; shift
	mkdir -p "$d" && $PG "$@" -o "$d/genome.fa" --repeats "$d/repeats.tsv" \
		--library "$d/te-library.fa" --stats "$d/stats.tsv" 2> "$d/log"
}
gen2() {
	local d=$1; shift
	gen "$d" "$@" --hap2 "$d/hap2.fa" --het-truth "$d/het-truth.tsv"
}

# --- build: warnings are errors here, so a warning fails the test
t "palmgen builds warning-free" \
	cc -O2 -Wall -Wextra -Werror -std=gnu11 -o "$T/palmgen-werror" datasets/src/*.c
t "make -C datasets palmgen" make -s -C datasets palmgen
[ -x $PG ] || { echo "datasets: $pass passed, $((fail + 1)) failed"; exit 1; }

# --- command line
t "--help lists the options" bash -c "$PG --help | grep -q -- --het-truth && $PG --help | grep -q -- --segdup"
t "no -o is an error" bash -c "$PG -L 10k 2>&1 | grep -q 'output FASTA is required'; [ \${PIPESTATUS[0]} -ne 0 ]"
t "bad value is an error" bash -c "$PG -L 10k -g 1.5 -o $T/x.fa 2>&1 | grep -q \"bad value '1.5'\"; [ \${PIPESTATUS[0]} -ne 0 ]"
t "--het without --hap2 is an error" bash -c "! $PG -L 10k -H 0.01 -o $T/x.fa 2>/dev/null"
t "over-full chromosome is an error" bash -c "! $PG -L 10k -t 0.9 -m 0.2 -o $T/x.fa 2>/dev/null"

# --- determinism: same seed, same bytes; another seed, other bytes
P="-L 400k -c 3 --segdup 2 --segdup-len 2000-6000 -H 0.01"
gen2 "$T/a" $P -s 42; gen2 "$T/b" $P -s 42; gen2 "$T/c" $P -s 43
for f in genome.fa hap2.fa het-truth.tsv repeats.tsv te-library.fa stats.tsv; do
	t "same seed, identical $f" cmp "$T/a/$f" "$T/b/$f"
done
t "another seed, another genome" fails cmp -s "$T/a/genome.fa" "$T/c/genome.fa"
# each part draws from its own random stream: the second haplotype's rate
# must not move a single base of haplotype 1
gen2 "$T/d" ${P% -H 0.01} -s 42 -H 0.02
t "changing --het leaves genome.fa identical" cmp "$T/a/genome.fa" "$T/d/genome.fa"
t "changing --het changes hap2.fa" fails cmp -s "$T/a/hap2.fa" "$T/d/hap2.fa"
# the sha256 of a fixed small genome: any change to the generator's output
# (on this or another machine) shows here; update only on purpose.
gen "$T/fix" -L 50k -c 2 -s 7
t "known sha256 of palmgen -L 50k -c 2 -s 7" bash -c \
	"sha256sum < $T/fix/genome.fa | grep -q '^$(cat tests/datasets/fixture.sha256 2>/dev/null || echo none) '"

# --- measured features within 10% of what was asked
t "date-palm-like diploid 400 kb" $CHECK "$T/a" len=400000 gc=0.38 te=0.45 micro=0.03 het=0.01 spread=1 segdup_div=0.02
gen2 "$T/h05" -L 300k -c 1 -s 5 -g 0.42 -t 0.3 -m 0.05 -H 0.005 --indel-frac 0.3
t "GC 0.42, TE 30%, micro 5%, het 0.5%" $CHECK "$T/h05" len=300000 gc=0.42 te=0.3 micro=0.05 het=0.005
gen2 "$T/h15" -L 300k -c 2 -s 6 -t 0.55 -H 0.015
t "TE 55%, het 1.5%" $CHECK "$T/h15" len=300000 gc=0.38 te=0.55 het=0.015
gen "$T/bac" -L 500k -c 1 -s 8 -g 0.5 -t 0.01 -f 2 --fam-len 1200-5000 --ltr-frac 0 --plain-frac 0.5 \
	--div 0-0.005 --frag 0 --nest 0 --rounds 1 -m 0.001
t "bacterial-like GC 50%, 1% repeats" $CHECK "$T/bac" len=500000 gc=0.5 te=0.01

# --- the truth is exact
gen "$T/d0" -L 300k -c 2 -s 9 --div 0-0
t "zero divergence: TE pieces rebuild their consensus" $CHECK "$T/d0" te=0.45 exact_copies=1
cp -r "$T/a" "$T/bad"
# negative control: one changed base in hap2 must be caught
awk 'NR == 2 { $0 = (substr($0, 1, 1) == "A" ? "C" : "A") substr($0, 2) } 1' "$T/a/hap2.fa" > "$T/bad/hap2.fa"
t "a corrupted hap2 is detected" fails $CHECK "$T/bad" het=0.01

# --- named datasets: tiny and lambda are built twice in private folders
for set in tiny lambda; do
	t "mkset $set (1st)" env DY_DATA_DIR="$T/r1" sh datasets/mkset.sh $set
	t "mkset $set (2nd) gives identical files, reads included" bash -c \
		"DY_DATA_DIR=$T/r2 sh datasets/mkset.sh $set >/dev/null && diff $T/r1/$set/SHA256SUMS $T/r2/$set/SHA256SUMS"
	t "$set: SHA256SUMS verifies" bash -c "cd $T/r1/$set && sha256sum --quiet -c SHA256SUMS"
done
t "tiny: all read files are valid gzip" bash -c "for f in \$(find $T/r1/tiny -name '*.fq.gz'); do gzip -t \$f || exit 1; done"
# reads: 40x of 2x150 pairs within 10%, counted from the FASTQ
cov() { # cov DIR PREFIX GENOME: coverage = 300 * pairs / genome length
	local n l
	n=$(gzip -dc "$1/${2}_1.fq.gz" | awk 'END { print NR / 4 }')
	[ "$n" = "$(gzip -dc "$1/${2}_2.fq.gz" | awk 'END { print NR / 4 }')" ] || return 1
	l=$(grep -v '>' "$1/$3" | tr -d '\n' | wc -c)
	awk -v n="$n" -v l="$l" 'BEGIN { c = 300 * n / l; print "coverage", c; exit !(c > 36 && c < 44) }'
}
t "tiny: art reads at 40x" cov "$T/r1/tiny" reads genome.fa
t "tiny: error-free reads at 40x" cov "$T/r1/tiny" errfree genome.fa
t "tiny/het: reads at 40x, half from each haplotype" bash -c \
	"$(declare -f cov); cov $T/r1/tiny/het reads genome.fa && [ \$(gzip -dc $T/r1/tiny/het/reads_1.fq.gz | grep -c '^@chr1_h2-') -gt 0 ]"
t "lambda: art reads at 40x" cov "$T/r1/lambda" reads genome.fa
t "lambda: genome is Debian's lambda_virus.fa" bash -c \
	"gzip -dc /usr/share/doc/bowtie2/examples/reference/lambda_virus.fa.gz | cmp - $T/r1/lambda/genome.fa"
# error-free reads really are error-free: each read occurs in the genome
t "tiny/uniq: error-free reads are exact substrings" python3 - "$T/r1/tiny/uniq" <<'EOF'
import gzip, sys
d = sys.argv[1]
g = "".join(l.strip() for l in open(d + "/genome.fa") if not l.startswith(">"))
rc = g.translate(str.maketrans("ACGT", "TGCA"))[::-1]
bad = n = 0
for k in (1, 2):
    for i, l in enumerate(gzip.open("%s/errfree_%d.fq.gz" % (d, k), "rt")):
        if i % 4 == 1 and n < 4000:
            n += 1
            bad += l.strip() not in g and l.strip() not in rc
print(n, "reads,", bad, "not in the genome")
sys.exit(bad != 0 or n == 0)
EOF
t "tiny: features within 10%" $CHECK "$T/r1/tiny" len=100000 gc=0.38 te=0.45 micro=0.03
t "tiny/het: hap2 rebuilt from the truth" $CHECK "$T/r1/tiny/het" len=50000 het=0.01

# --- make targets: idempotent, and a failed build leaves no set behind
t "make -C datasets tiny, twice: second is a no-op" bash -c \
	"make -s -C datasets tiny >/dev/null && make -s -C datasets tiny | grep -q 'up to date'"
t "unknown set is an error and leaves nothing" bash -c \
	"! DY_DATA_DIR=$T/r3 sh datasets/mkset.sh nosuch 2>/dev/null && [ ! -e $T/r3/nosuch ] && [ ! -e $T/r3/nosuch.tmp ]"

echo "datasets: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
