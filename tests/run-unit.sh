#!/usr/bin/env bash
# Run every unit test binary of a build folder; print "N passed, N failed".
set -u
B=${1:-build}
pass=0; fail=0
for t in "$B"/tests/test_* "$B"/tests/example; do
	[ -x "$t" ] || continue
	if timeout 600 "$t" >"$t.log" 2>&1; then pass=$((pass+1)); echo "PASS $(basename "$t")"
	else fail=$((fail+1)); echo "FAIL $(basename "$t")"; tail -20 "$t.log"; fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
