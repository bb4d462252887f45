#!/usr/bin/env bash
# Install the Debian packages dactyl and its tests need, only when missing.
set -eu
PKGS="build-essential pkg-config zlib1g-dev libhts-dev libisal-dev libhwloc-dev hwloc libopenmpi-dev openmpi-bin minimap2 samtools art-nextgen-simulation-tools bowtie2-examples tabix time kmc jellyfish python3 bandage gnuplot-nox"
# the dataset recipes name their own tools (datasets/DEPS, one package a line)
[ -f "$(dirname "$0")/../datasets/DEPS" ] && PKGS="$PKGS $(grep -v '^#' "$(dirname "$0")/../datasets/DEPS" | tr '\n' ' ')"
PKGS=$(printf '%s\n' $PKGS | sort -u)
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "[E::deps] missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)" >&2
	exit 1
fi
echo "[M::deps] installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
