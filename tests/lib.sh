# lib.sh -- shared by the shell test suites: counters, the mpirun wrapper,
# and the simulators.  Source it with B set to the build folder.
B=${B:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DACTYL=${DACTYL:-$ROOT/$B/dactyl}
SIM=$ROOT/build/tools/dy-sim
KCHECK=$ROOT/build/tools/dy-kcheck
[ -x "$SIM" ] || SIM=$ROOT/$B/tools/dy-sim
[ -x "$KCHECK" ] || KCHECK=$ROOT/$B/tools/dy-kcheck
T_PASS=0; T_FAIL=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dactyl-test.XXXXXX")
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$TMP"' EXIT

ok()   { T_PASS=$((T_PASS+1)); echo "ok   $*"; }
bad()  { T_FAIL=$((T_FAIL+1)); echo "FAIL $*"; }
# check NAME CMD...: pass when CMD succeeds
check() { local n=$1; shift; if "$@"; then ok "$n"; else bad "$n"; fi; }

# dy NP THREADS ARGS...: dactyl under mpirun (a timeout turns a hang into a failure)
dy() {
	local np=$1 t=$2; shift 2
	timeout "${DY_TIMEOUT:-300}" "$ROOT/pipelines/run-local.sh" -n "$np" -t "$t" -b "$DACTYL" -- "$@" < /dev/null
}

summary() { echo "$1: $T_PASS passed, $T_FAIL failed"; [ "$T_FAIL" -eq 0 ]; }
