#!/usr/bin/env bash
# make bench: the default benchmark (bench/README.md lists the others).
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/count-peers.sh "$@"
