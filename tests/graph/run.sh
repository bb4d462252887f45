#!/usr/bin/env bash
# The cleaned assembly graph end to end: a small diploid genome (SNPs and
# small indels about every 100 bp, each haplotype at 20x, reads with 0.3%
# errors) assembles to about one haplotype; graph.gfa, contigs.fa(.fai) and
# bubbles.fa agree with each other (tests/tools/dy-gfacheck, by string),
# Bandage and samtools read them, and --min-len keeps every node in the GFA.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
GFACHECK=$ROOT/tests/tools/dy-gfacheck
cd "$TMP"

$SIM genome 60000 201 > h1.fa
# haplotype 2: a substitution every ~97 bp, a 1-3 bp deletion or insertion every ~900 bp
awk 'NR==1 {print ">hap2"; next} {s = s $0} END {
	srand(7); o = ""; n = length(s)
	for (i = 1; i <= n; ++i) {
		c = substr(s, i, 1)
		if (i % 97 == 50) { c = (c=="A"?"G":c=="C"?"T":c=="G"?"A":"C") }
		if (i % 900 == 450) { d = 1 + int(rand() * 3); i += d - 1; continue }
		if (i % 900 == 700) { c = c "ACG" }
		o = o c
	}
	print o }' h1.fa > h2.fa
$SIM reads h1.fa 100 20 202 0.003 > r1.fq
$SIM reads h2.fa 100 20 203 0.003 > r2.fq
if dy 2 1 asm -k 31 -o odip r1.fq r2.fq 2> logdip; then
	tot=$(awk '!/^>/ {n += length($0)} END {print n}' odip/contigs.fa)
	check "diploid: contigs total $tot bp <= 1.10 x the 60 kb haplotype" test "$tot" -le 66000
	check "diploid: at most 6 contigs of >= 200 bp ($(grep -c '>' odip/contigs.fa))" test "$(grep -c '>' odip/contigs.fa)" -le 6
	r=$($KCHECK cmp 31 odip/contigs.fa h1.fa h2.fa); set -- $r
	check "diploid: no foreign k-mer in the contigs beyond 0.5% ($r)" test $(( $4 * 200 )) -le "$2"
	check "diploid: bubbles.fa holds popped alleles" test "$(grep -c 'kind=allele' odip/bubbles.fa)" -ge 300
	check "diploid: the log says what each round removed" grep -q 'round 1: .* tips .* bubble arms popped' logdip
	check "diploid: the log gives the genome profile" grep -q 'genome profile (k=31): haploid size' logdip
	check "diploid: stats.json reports the cleaning" grep -q '"allele_arms": [1-9]' odip/stats.json
	out=$(python3 "$GFACHECK" 31 odip/graph.gfa odip/contigs.fa odip/bubbles.fa 2>&1)
	check "diploid: graph.gfa agrees with contigs.fa and bubbles.fa ($out)" python3 "$GFACHECK" 31 odip/graph.gfa odip/contigs.fa odip/bubbles.fa
	check "contigs.fa.fai equals samtools' own index" sh -c "cp odip/contigs.fa x.fa && samtools faidx x.fa && cmp -s x.fa.fai odip/contigs.fa.fai"
	check "samtools faidx reads contig_1 through the index" sh -c "samtools faidx odip/contigs.fa contig_1 | grep -q '^>contig_1'"
	if command -v Bandage > /dev/null; then
		check "Bandage loads graph.gfa" sh -c "QT_QPA_PLATFORM=offscreen Bandage info odip/graph.gfa > bandage.txt 2>&1 && grep -q 'Node count' bandage.txt"
	else bad "Bandage is not installed (pipelines/install-deps.sh installs it)"; fi
else bad "diploid: dactyl failed"; tail -5 logdip; fi

# --no-clean keeps both haplotypes: the contigs hold exactly their k-mers.
if dy 2 1 asm -k 31 --no-clean --min-len 0 -o oraw r1.fq r2.fq 2> lograw; then
	check "--no-clean: more contigs than cleaned" test "$(grep -c '>' oraw/contigs.fa)" -gt "$(grep -c '>' odip/contigs.fa)"
	check "--no-clean: bubbles.fa empty, graph.gfa consistent" sh -c "test ! -s oraw/bubbles.fa && python3 $GFACHECK 31 oraw/graph.gfa oraw/contigs.fa > /dev/null"
else bad "--no-clean: dactyl failed"; tail -5 lograw; fi

# --min-len: contigs.fa keeps the long ones, graph.gfa every node, same names.
if dy 1 2 asm -k 31 --min-len 1000 -o olong r1.fq r2.fq 2> loglong; then
	check "--min-len 1000: every contig >= 1000 bp" sh -c "awk '!/^>/ && length(\$0) < 1000 {exit 1}' olong/contigs.fa"
	check "--min-len 1000: graph.gfa has every node, contigs.fa the same names" \
		python3 "$GFACHECK" 31 olong/graph.gfa olong/contigs.fa olong/bubbles.fa
	check "--min-len 1000: same graph as the default run" cmp -s olong/graph.gfa odip/graph.gfa
else bad "--min-len: dactyl failed"; tail -5 loglong; fi
summary graph
