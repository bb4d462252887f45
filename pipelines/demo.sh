#!/usr/bin/env bash
# demo.sh -- `make demo`: assemble the bundled lambda phage dataset (the real
# 48.5 kb genome from Debian's bowtie2-examples, simulated 2x150 bp reads)
# under mpirun -np 2 and print the contig statistics.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -C datasets lambda
d=datasets/data/lambda
out=${DEMO_OUT:-demo-out}
# --force: a rerun of the demo replaces the last demo's result (dactyl refuses
# to replace a finished result without it)
pipelines/run-local.sh -n 2 -t 1 -- asm -k 31 --force -o "$out" "$d/reads_1.fq.gz" "$d/reads_2.fq.gz"
echo
echo "== contig statistics ($out/contigs.fa)"
./dactyl stats "$out/contigs.fa"
if [ -x bench/eval/dy-eval ]; then
	echo
	echo "== against the lambda reference (bench/eval/dy-eval)"
	bench/eval/dy-eval "$d/genome.fa" "$out/contigs.fa"
fi
