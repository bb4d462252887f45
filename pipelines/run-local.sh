#!/usr/bin/env bash
# run-local.sh -- run dactyl under mpirun on this machine.
#
#   pipelines/run-local.sh [-n RANKS] [-t THREADS] [-b DACTYL] -- asm -k 31 -o out reads.fq.gz
#
# The only place that knows mpirun's local quirks: as root it needs
# --allow-run-as-root; more ranks x threads than cores needs --oversubscribe
# (and then no binding: dactyl shares the cores out by local rank itself);
# otherwise each rank gets THREADS cores (--map-by slot:PE=THREADS) and
# dactyl pins one thread per core inside them.
set -euo pipefail
np=2; threads=1; bin="$(dirname "$0")/../dactyl"
while [ $# -gt 0 ]; do
	case "$1" in
	-n) np=$2; shift 2 ;;
	-t) threads=$2; shift 2 ;;
	-b) bin=$2; shift 2 ;;
	--) shift; break ;;
	*) break ;;
	esac
done
args=()
[ "$(id -u)" -eq 0 ] && args+=(--allow-run-as-root)
cores=$(nproc)
if [ $((np * threads)) -gt "$cores" ]; then
	args+=(--oversubscribe --bind-to none)
else
	args+=(--map-by "slot:PE=$threads" --bind-to core)
fi
exec mpirun "${args[@]}" -np "$np" -x OMP_NUM_THREADS="$threads" "$bin" "$@"
