#!/usr/bin/env bash
# Checks a maintainer would run: headers stand alone (C and C++), only dy_
# symbols are exported, kernels/ hold no MPI and no file I/O, the man page
# knows every option, make install and uninstall do what they say.
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
# the man page documents every long option `dactyl asm -h` and `dactyl plan -h` list
help_opts=$({ "$ROOT/$B/dactyl" asm -h; "$ROOT/$B/dactyl" plan -h; } | grep -oE '(^| )--[a-z0-9-]+' | tr -d ' ' | sort -u)
man_opts=$(grep -oE '\\-\\-[a-z0-9\\-]+' man/dactyl.1 | sed 's/\\-/-/g; s/-$//' | sort -u)
missing=$(comm -23 <(echo "$help_opts") <(echo "$man_opts") | tr '\n' ' ')
check "man/dactyl.1 has every option of dactyl asm -h and plan -h${missing:+ (missing: $missing)}" test -z "$missing"
if command -v man > /dev/null; then
	w=$(MANWIDTH=80 man --warnings -l man/dactyl.1 2>&1 > /dev/null | head -3)
	check "man -l man/dactyl.1 renders without warnings${w:+: $w}" test -z "$w"
fi
if [ "$B" = build ]; then   # the optimised build is the one installed
	P=$TMP/prefix
	make -s install PREFIX="$P" > "$TMP/install.log" 2>&1
	check "make install PREFIX=...: binary, man page, Slurm scripts, docs" \
		sh -c "[ -x $P/bin/dactyl ] && [ -s $P/share/man/man1/dactyl.1 ] && [ -x $P/share/dactyl/slurm/dactyl-requeue.sbatch ] &&
		       [ -s $P/share/doc/dactyl/design.md ]"
	check "the installed dactyl runs: $($P/bin/dactyl version 2>&1 | head -1)" sh -c "$P/bin/dactyl version | grep -q '^dactyl [0-9]'"
	make -s uninstall PREFIX="$P" >> "$TMP/install.log" 2>&1
	left=$(cd "$P" && find . -type f | tr '\n' ' ')
	check "make uninstall removes every installed file${left:+ (left: $left)}" test -z "$left"
fi
v=$("$ROOT/$B/dactyl" --version)
check "dactyl --version: its version, then htslib, hwloc, MPI and zlib" \
	sh -c 'echo "$1" | sed -n 1p | grep -q "^dactyl [0-9]" && for l in htslib hwloc "Open MPI\|MPICH\|MPI" zlib; do echo "$1" | grep -q "^\($l\) " || exit 1; done' _ "$v"
summary maint
