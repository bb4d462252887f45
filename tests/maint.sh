#!/usr/bin/env bash
# Checks a maintainer would run: headers stand alone (C and C++), only dy_
# symbols are exported, kernels/ hold no MPI and no file I/O.
set -u
B=${1:-build}
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
for h in include/dactyl.h include/dy_kmer.h; do
	check "$h compiles on its own as C" sh -c "printf '#include \"$h\"\nint main(void){return 0;}\n' | cc -std=c11 -Wall -Wextra -Werror -I. -x c - -o $TMP/h.out"
	check "$h compiles on its own as C++" sh -c "printf '#include \"$h\"\nint main(){return 0;}\n' | c++ -Wall -Wextra -Werror -I. -x c++ - -o $TMP/h.out"
done
bad_syms=$(nm -g --defined-only "$B/libdactyl.a" | awk 'NF==3 && $2 ~ /[TDBR]/ {print $3}' | grep -v '^dy_' | grep -v '^__odr_asan\.' || true)
check "libdactyl.a exports only dy_ symbols${bad_syms:+ (found: $bad_syms)}" test -z "$bad_syms"
hits=$(grep -nE '#include *<mpi\.h>|\b(fopen|gzopen|hts_open|bgzf_open|open|fprintf|printf|exit)\(' kernels/*.c kernels/*.h | grep -v '^\S*:\s*/\?\*' || true)
check "kernels/ free of MPI, file I/O, printing and exit${hits:+: $hits}" test -z "$hits"
summary maint
