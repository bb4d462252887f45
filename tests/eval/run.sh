#!/usr/bin/env bash
# tests/eval/run.sh -- the assembly evaluator bench/eval/dy-eval.
# Run from the repository root: bash tests/eval/run.sh
# Hand-built assemblies with known answers (tests/eval/cases.py), the command
# line's errors, and the evaluator on a repetitive, diploid generated genome.
set -u
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d /tmp/dy-eval.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
E=bench/eval/dy-eval

t() { # t NAME CMD...: one test; its output is shown only on failure
	local name=$1; shift
	if "$@" > "$T/log" 2>&1; then pass=$((pass + 1)); echo "PASS $name"
	else fail=$((fail + 1)); echo "FAIL $name"; tail -20 "$T/log"; fi
}
# col FILE NAME: the value of column NAME in dy-eval's two-line output
col() { awk -F'\t' -v c="$2" 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == c) k = i } NR == 2 { print $k }' "$1"; }

# --- known answers: one line per case, counted here
python3 tests/eval/cases.py "$T/cases" > "$T/cases.out" 2>&1
cat "$T/cases.out"
pass=$((pass + $(grep -c '^PASS' "$T/cases.out")))
fail=$((fail + $(grep -c '^FAIL' "$T/cases.out")))
[ -s "$T/cases.out" ] && ! grep -qv '^\(PASS\|FAIL\)' "$T/cases.out" || { fail=$((fail + 1)); echo "FAIL cases.py crashed"; }

# --- command line
R=$T/cases/ref1.fa C=$T/cases/case00.fa
t "missing contigs file: exit 2, named" bash -c "$E $R $T/none.fa 2>&1 | grep -q 'none.fa: no such file'; [ \${PIPESTATUS[0]} -eq 2 ]"
t "missing reference: exit 2, named" bash -c "$E $T/nope.fa $C 2>&1 | grep -q 'nope.fa: no such file'; [ \${PIPESTATUS[0]} -eq 2 ]"
t "one argument: usage, exit 2" bash -c "$E $R 2>&1 | grep -q usage; [ \${PIPESTATUS[0]} -eq 2 ]"
t "unknown option: exit 2" bash -c "! $E --bogus $R $C 2>/dev/null"
t "not FASTA: exit 2" bash -c "echo hello > $T/x.fa; $E $R $T/x.fa 2>&1 | grep -q 'not FASTA'; [ \${PIPESTATUS[0]} -eq 2 ]"
t "TSV: header and one row of 24 columns" bash -c \
	"$E $R $C > $T/o.tsv && [ \$(wc -l < $T/o.tsv) -eq 2 ] && awk -F'\t' 'NF != 24 { exit 1 }' $T/o.tsv"
t "--json agrees with the TSV row" python3 - "$E" "$R" "$C" <<'PY'
import json, subprocess, sys
e, r, c = sys.argv[1:]
tsv = subprocess.run([e, r, c], capture_output=True, text=True).stdout.splitlines()
js = json.loads(subprocess.run([e, "--json", r, c], capture_output=True, text=True).stdout)
row = dict(zip(tsv[0].split("\t"), tsv[1].split("\t")))
sys.exit(not (list(js) == list(row) and all(float(js[k]) == float(row[k]) for k in row)))
PY
t "--min-contig 130000 leaves no contig" bash -c "$E --min-contig 130000 $R $C > $T/m.tsv && [ \$(awk -F'\t' 'NR==2 {print \$1}' $T/m.tsv) = 0 ]"

# --- a repetitive diploid genome from the generator, evaluated against itself
make -s -C datasets palmgen > /dev/null
G=$T/g; mkdir -p "$G"
datasets/palmgen -L 200k -c 2 -s 3 -H 0.01 --segdup 1 --segdup-len 3000-5000 -o "$G/genome.fa" \
	--hap2 "$G/hap2.fa" --het-truth "$G/het.tsv" 2> /dev/null
$E "$G/genome.fa" "$G/genome.fa" > "$G/self.tsv" 2> "$G/self.err"
t "palm-like genome vs itself: 100% genome, no error" bash -c \
	"[ \"$(col "$G/self.tsv" genome_fraction)/$(col "$G/self.tsv" misassemblies)/$(col "$G/self.tsv" mismatches)/$(col "$G/self.tsv" indels)\" = 100.000/0/0/0 ]"
t "palm-like genome vs itself: NGA50 = NG50" bash -c \
	"[ \"$(col "$G/self.tsv" NGA50)\" = \"$(col "$G/self.tsv" NG50)\" ]"
$E "$G/genome.fa" "$G/hap2.fa" "$G/hap2.fa" > "$G/h2.tsv" 2>&1
$E "$G/genome.fa" "$G/hap2.fa" > "$G/h1.tsv" 2>&1
t "hap2 as contigs, both haplotypes given: no mismatch or indel" bash -c \
	"[ \"$(col "$G/h2.tsv" mismatches)/$(col "$G/h2.tsv" indels)/$(col "$G/h2.tsv" misassemblies)\" = 0/0/0 ]"
# against hap1 only, the truth table's SNPs and indels show up as mismatches
# and indels; a site within a few bases of a chromosome end is clipped off by
# the aligner instead (as in QUAST), hence a margin of 3 per count
snps=$(grep -c 'SNP' "$G/het.tsv") indels=$(grep -c 'INS\|DEL' "$G/het.tsv")
t "hap2 vs hap1 only: mismatches ~ truth SNPs ($snps), indels ~ truth indels ($indels)" \
	awk -v m="$(col "$G/h1.tsv" mismatches)" -v i="$(col "$G/h1.tsv" indels)" -v s="$snps" -v d="$indels" \
	'BEGIN { print m, s, i, d; exit !(m <= s && m >= s - 3 && i <= d && i >= d - 3 && s > 100) }'

echo "eval: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
