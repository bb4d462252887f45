#!/bin/sh
# mkset.sh NAME -- build the named dataset in $DY_DATA_DIR/NAME (default
# datasets/data/NAME). Called by `make -C datasets NAME`; see README.md.
# The set is built in NAME.tmp and renamed when complete; an existing set is
# left alone. recipe.txt records the commands, SHA256SUMS the outputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data=${DY_DATA_DIR:-$here/data}
name=${1:?usage: mkset.sh tiny|bact|bact-dip|palm-mini|palm-chr|lambda|weak-N}
out=$data/$name
# palmgen and simreads.sh are found through PATH so that recipe.txt holds no
# absolute path (it is checksummed, and must not depend on the checkout)
PATH=$here:$PATH
export PATH
gen=palmgen
sim=simreads.sh
LAMBDA=/usr/share/doc/bowtie2/examples/reference/lambda_virus.fa.gz
# date-palm-style parameters shared by palm-mini and palm-chr
PALM="--gc 0.38 --te-frac 0.45 --families 60 --fam-len 500-10000 --ltr-frac 0.7
      --div 0-0.2 --frag 0.5 --nest 0.3 --rounds 8 --micro-frac 0.03 --segdup-len 5000-30000"

if [ -f "$out/SHA256SUMS" ]; then
	echo "$name: up to date in $out (remove the folder to rebuild)"
	exit 0
fi
[ -x "$here/palmgen" ] || { echo "mkset.sh: $here/palmgen missing: run make -C datasets palmgen" >&2; exit 1; }
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
t0=$(date +%s)

run() { # run DIR CMD...: log the command in DIR/recipe.txt, then run it in DIR
	d=$1; shift
	echo "$*" >> "$d/recipe.txt"
	(cd "$d" && eval "$*")
}

# genome DIR SEED OPTIONS...: palmgen with all truth files
genome() {
	d=$1 seed=$2; shift 2
	mkdir -p "$d"
	run "$d" "$gen $* --seed $seed -o genome.fa --repeats repeats.tsv --library te-library.fa --stats genome-stats.tsv 2> palmgen.log"
}
diploid() {
	d=$1 seed=$2; shift 2
	genome "$d" "$seed" "$* --hap2 hap2.fa --het-truth het-truth.tsv"
}

case $name in
tiny)   # tests: seconds to make
	genome "$tmp" 11 -L 100k -c 2 $PALM --families 8 --segdup 1 --segdup-len 2000-4000
	run "$tmp" "$sim . 40 111 genome.fa"
	run "$tmp" "$sim -e . 40 112 genome.fa"
	genome "$tmp/uniq" 12 -L 20k -c 1 --gc 0.5 --te-frac 0 --families 0 --micro-frac 0
	run "$tmp/uniq" "$sim -e . 40 121 genome.fa"
	diploid "$tmp/het" 13 -L 50k -c 1 $PALM --families 6 --het 0.01
	run "$tmp/het" "$sim . 40 131 genome.fa hap2.fa"
	;;
bact)   # 5 Mb, GC 50%: two near-identical repeat families (IS-like with TIRs, rRNA-operon-like)
	genome "$tmp" 21 -L 5M -c 1 --gc 0.5 --te-frac 0.008 --families 2 --fam-len 1200-5000 \
		--ltr-frac 0 --plain-frac 0.5 --div 0-0.005 --frag 0 --nest 0 --rounds 1 \
		--micro-frac 0.001 --prefix bact
	run "$tmp" "$sim . 40 211 genome.fa"
	;;
bact-dip) # bact's genome (the same haplotype 1, base for base) and a second haplotype at 1%
	# SNPs and small indels, 20x from each: the diploid bacterial set of the quality issue
	diploid "$tmp" 21 -L 5M -c 1 --gc 0.5 --te-frac 0.008 --families 2 --fam-len 1200-5000 \
		--ltr-frac 0 --plain-frac 0.5 --div 0-0.005 --frag 0 --nest 0 --rounds 1 \
		--micro-frac 0.001 --prefix bact --het 0.01
	run "$tmp" "$sim . 40 221 genome.fa hap2.fa"
	;;
palm-mini)
	diploid "$tmp" 31 -L 30M -c 3 $PALM --segdup 6 --het 0.01
	run "$tmp" "$sim . 40 311 genome.fa hap2.fa"
	;;
palm-chr) # recipe only: ~150 Mb diploid, 40x (about 12 Gb of reads; tests never run it)
	diploid "$tmp" 41 -L 150M -c 4 $PALM --segdup 20 --het 0.01
	run "$tmp" "$sim . 40 411 genome.fa hap2.fa"
	;;
weak-[1-9]|weak-[1-9][0-9]|weak-[1-9][0-9][0-9]) # bench/run's weak scaling: bact's recipe at N Mb, 40x
	mb=${name#weak-}
	genome "$tmp" $((600 + mb)) -L ${mb}M -c 1 --gc 0.5 --te-frac 0.008 --families 2 --fam-len 1200-5000 \
		--ltr-frac 0 --plain-frac 0.5 --div 0-0.005 --frag 0 --nest 0 --rounds 1 \
		--micro-frac 0.001 --prefix weak
	run "$tmp" "$sim . 40 $((700 + mb)) genome.fa"
	;;
lambda) # real lambda phage (Debian bowtie2-examples), simulated reads
	[ -f "$LAMBDA" ] || { echo "mkset.sh: $LAMBDA missing: apt-get install bowtie2-examples" >&2; exit 1; }
	run "$tmp" "gzip -dc $LAMBDA > genome.fa"
	run "$tmp" "$sim . 40 511 genome.fa"
	;;
*)
	echo "mkset.sh: unknown dataset '$name' (tiny, bact, bact-dip, palm-mini, palm-chr, lambda, weak-N for N Mb)" >&2
	rm -rf "$tmp"
	exit 1
	;;
esac

(cd "$tmp" && find . -type f ! -name 'SHA256SUMS*' | LC_ALL=C sort | sed 's|^\./||' |
	xargs sha256sum > SHA256SUMS.part && mv SHA256SUMS.part SHA256SUMS)
rm -rf "$out"
mv "$tmp" "$out"
echo "$name: made $out in $(( $(date +%s) - t0 )) s:"
(cd "$out" && find . -type f | LC_ALL=C sort | sed 's|^\./||' | while read -r f; do
	printf '  %-28s %12s bytes\n' "$f" "$(wc -c < "$f")"; done)
