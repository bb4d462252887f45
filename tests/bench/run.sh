#!/usr/bin/env bash
# tests/bench: the benchmark harness on a tiny grid (bench/run, bench/compare).
#   * a run on `tiny` at 1x1 and 2x1 exits 0, says VALID, has a headline, and
#     writes report.json (checked against bench/report.schema.json),
#     report.csv (one row a figure) and four PNG plots;
#   * the same run with a dactyl whose contigs get one base flipped is
#     INVALID: exit 1, no headline, the failing check named;
#   * reads without a reference are UNVALIDATED, never VALID;
#   * bench/compare on two reports prints every figure's ratio;
#   * a results folder that exists is refused without --force and kept;
#     a missing read file is refused before anything is written.
set -u
B=${1:-build}
cd "$(dirname "$0")/../.."
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
make -s -C datasets tiny > /dev/null
W=$(mktemp -d "${TMPDIR:-/tmp}/dy-tbench.XXXXXX"); trap 'rm -rf "$W"' EXIT
D=datasets/data/tiny
fail=0
ok() { echo "  ok: $*"; }
bad() { echo "  FAIL: $*"; fail=1; }
dy=$PWD/$B/dactyl
common=(--dactyl "$dy" --build "$PWD/$B" --dataset tiny --grid 1x1,2x1 --warmup 0)

# 1. a valid run, kernels and limits included
bench/run "${common[@]}" --repeat 2 -o "$W/a" > "$W/a.out" 2> "$W/a.err"; rc=$?
[ $rc -eq 0 ] && ok "tiny grid exits 0" || { bad "tiny grid exit $rc"; tail -20 "$W/a.err"; }
grep -q '^Validation: VALID$' "$W/a.out" && ok VALID || bad "no VALID line"
grep -q '^Headline: assembly throughput: .* Gbases of reads per second per node (tiny, 2 ranks x 1 thread, VALID)' "$W/a.out" \
	&& ok "headline printed" || { bad "no headline"; grep Headline "$W/a.out"; }
python3 bench/lib/dybench/schema.py bench/report.schema.json "$W/a/report.json" > "$W/schema.out" \
	&& ok "report.json matches the schema" || { bad "schema"; head "$W/schema.out"; }
for p in phases scaling spectrum kernels; do
	[ "$(head -c 4 "$W/a/$p.png" 2>/dev/null | od -An -tx1 | tr -d ' ')" = 89504e47 ] \
		&& [ "$(stat -c %s "$W/a/$p.png")" -gt 5000 ] || bad "$p.png missing or not a PNG"
done
ok "plots checked"
n=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['figures']))" "$W/a/report.json")
[ "$(head -1 "$W/a/report.csv")" = "id,median,min,max,unit,better" ] && [ $(( $(wc -l < "$W/a/report.csv") - 1 )) -eq "$n" ] \
	&& ok "report.csv: $n figures" || bad "report.csv rows differ from the figures"
python3 - "$W/a/report.json" <<'PY' && ok "report holds the grid, limits, kernels, binding and repeats" || bad "report contents"
import json, sys
r = json.load(open(sys.argv[1]))
assert [(p['ranks'], p['threads']) for p in r['grid']] == [(1, 1), (2, 1)]
assert all(p['wall_s']['n'] == 2 and len(p['walls_s']) == 2 for p in r['grid'])
assert r['grid'][1]['efficiency'] > 0 and r['grid'][0]['efficiency'] == 1.0
assert len(r['grid'][1]['binding']) == 2 and r['grid'][1]['hosts']['ranks'] == 2
assert {k['kernel'] for k in r['kernels']} >= {'parse', 'cut', 'count', 'compact', 'merge'}
assert all(k['valid'] for k in r['kernels'])
assert r['limits']['triad_GBps'] > 0 and r['limits']['alltoall']['GBps_per_rank'] > 0
assert r['validation']['recount']['contig_kmers_not_solid'] == 0
assert r['headline']['point'] == {'ranks': 2, 'threads': 1} or r['headline']['point'] == {'ranks': 1, 'threads': 1}
PY

# 2. one flipped base in the contigs: INVALID, no headline, exit 1
cat > "$W/corrupt-dactyl" <<EOS
#!/usr/bin/env bash
# the real dactyl, then one base of the first contig flipped (rank 0 only)
"$dy" "\$@" || exit \$?
[ "\${OMPI_COMM_WORLD_RANK:-0}" = 0 ] || exit 0
out=; prev=
for a in "\$@"; do [ "\$prev" = -o ] && out=\$a; prev=\$a; done
[ -n "\$out" ] && [ -f "\$out/contigs.fa" ] || exit 0
python3 - "\$out/contigs.fa" <<'PY'
import sys
L = open(sys.argv[1]).read().split('\n')
s = L[1]; i = len(s) // 2
L[1] = s[:i] + {'A': 'C', 'C': 'A', 'G': 'T', 'T': 'G'}[s[i]] + s[i + 1:]
open(sys.argv[1], 'w').write('\n'.join(L))
PY
EOS
chmod +x "$W/corrupt-dactyl"
bench/run "${common[@]}" --dactyl "$W/corrupt-dactyl" --repeat 1 --no-kernels --no-limits -o "$W/c" > "$W/c.out" 2> "$W/c.err"; rc=$?
[ $rc -eq 1 ] && ok "corrupted contig: exit 1" || bad "corrupted contig: exit $rc"
grep -q '^Validation: INVALID$' "$W/c.out" && ok INVALID || bad "no INVALID line"
grep -q '^Headline: none (INVALID)$' "$W/c.out" && ok "no headline" || bad "a headline for an invalid run"
grep -q '\[FAIL\] every contig k-mer solid in an independent recount (KMC3): [1-9][0-9]* contig k-mers below' "$W/c.out" \
	&& ok "the recount names the corrupted k-mers" || { bad "recount check"; grep -A8 Validation "$W/c.out"; }
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); sys.exit(r['headline'] is not None or r['validation']['verdict'] != 'INVALID')" "$W/c/report.json" \
	&& ok "report.json: INVALID, headline null" || bad "report.json of the invalid run"
# the same flip at 2 ranks only: the contigs differ between grid points
sed 's/^\[ "\${OMPI_COMM_WORLD_RANK:-0}" = 0 \] || exit 0$/[ "${OMPI_COMM_WORLD_RANK:-0}" = 0 ] \&\& [ "${OMPI_COMM_WORLD_SIZE:-1}" = 2 ] || exit 0/' \
	"$W/corrupt-dactyl" > "$W/corrupt2-dactyl" && chmod +x "$W/corrupt2-dactyl"
grep -q 'OMPI_COMM_WORLD_SIZE:-1}" = 2' "$W/corrupt2-dactyl" || bad "the 2-rank corrupting wrapper was not made"
bench/run "${common[@]}" --dactyl "$W/corrupt2-dactyl" --repeat 1 --no-kernels --no-limits -o "$W/c2" > "$W/c2.out" 2> "$W/c2.err"; rc=$?
[ $rc -eq 1 ] && grep -q '^  \[FAIL\] contigs identical at every grid point and repeat: 2 different contigs.fa' "$W/c2.out" \
	&& ok "contigs corrupted at 2 ranks only: INVALID, the identity check names it" \
	|| { bad "2-rank corruption (exit $rc)"; grep -A8 Validation "$W/c2.out"; tail -3 "$W/c2.err"; }

# 3. reads without a reference: UNVALIDATED, never VALID
bench/run --dactyl "$dy" --build "$PWD/$B" --reads "$D/reads_1.fq.gz" "$D/reads_2.fq.gz" --name mine --grid 2x1 \
	--repeat 1 --warmup 0 --no-kernels --no-limits -o "$W/u" > "$W/u.out" 2> "$W/u.err"; rc=$?
[ $rc -eq 0 ] && grep -q '^Validation: UNVALIDATED$' "$W/u.out" && grep -q '^Headline: none (UNVALIDATED)$' "$W/u.out" \
	&& grep -q 'why: no reference genome' "$W/u.out" && ok "no reference: UNVALIDATED, no headline" \
	|| { bad "no reference (exit $rc)"; grep -A6 Validation "$W/u.out"; }

# 4. compare
bench/compare "$W/a" "$W/c/report.json" > "$W/cmp.out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -Eq '^grid\.2x1\.wall_s +[0-9.e+-]+ +[0-9.e+-]+ +[0-9.]+  [-+=?] s$' "$W/cmp.out" \
	&& grep -q '^A: .*VALID' "$W/cmp.out" && grep -q '^B: .*INVALID' "$W/cmp.out" \
	&& grep -Eq '^[0-9]+ figures compared' "$W/cmp.out" && ok "compare prints ratios and verdicts" \
	|| { bad "compare (exit $rc)"; head -20 "$W/cmp.out"; }
bench/compare "$W/a" /nonexistent > /dev/null 2> "$W/cmp.err"; rc=$?
[ $rc -eq 2 ] && grep -q '/nonexistent' "$W/cmp.err" && ok "compare: a missing report exits 2 naming it" || bad "compare missing file: $rc"

# 5. refusals that touch nothing
sum=$(sha256sum "$W/a/report.json")
bench/run "${common[@]}" --repeat 1 -o "$W/a" > /dev/null 2> "$W/e1.err"; rc=$?
[ $rc -eq 2 ] && grep -q 'exists: give another -o, or --force' "$W/e1.err" && [ "$(sha256sum "$W/a/report.json")" = "$sum" ] \
	&& ok "existing results folder refused and kept" || bad "existing folder: exit $rc"
bench/run --dactyl "$dy" --build "$PWD/$B" --reads "$W/nope.fq" --grid 1x1 -o "$W/n" > /dev/null 2> "$W/e2.err"; rc=$?
[ $rc -eq 2 ] && grep -q "nope.fq: no such readable file" "$W/e2.err" && [ ! -e "$W/n" ] && [ ! -e "$W/n.part" ] \
	&& ok "missing reads refused before writing" || bad "missing reads: exit $rc"
exit $fail
