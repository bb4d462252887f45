#!/usr/bin/env bash
# asm-peers.sh -- the quality issue's measurement, in one run per dataset:
# dactyl (default options: k chosen, graph cleaned, short repeats resolved)
# against Debian's minia (k 63) and megahit (its default multi-k) on the same
# reads and cores; every assembly through bench/eval/dy-eval; the genome
# profile against the set's truth; rank 0's share of the wall time at -np 2
# and -np 4; and each criterion of the issue as PASS/FAIL.
#
#   bench/asm-peers.sh [--no-megahit] [SET ...]      default sets: bact bact-dip palm-mini
#
# Output: tables on stdout and bench/results/asm-peers-<date>.tsv (one row per
# assembly: set, tool, wall, peak RSS, the evaluator's columns).
set -euo pipefail
cd "$(dirname "$0")/.."
MEGAHIT=1
[ "${1:-}" = --no-megahit ] && { MEGAHIT=0; shift; }
SETS=${*:-bact bact-dip palm-mini}
C=$(nproc)
W=$(mktemp -d "${TMPDIR:-/tmp}/dy-asm-peers.XXXXXX"); trap 'rm -rf "$W"' EXIT
mkdir -p bench/results
OUT=bench/results/asm-peers-$(date +%Y%m%d-%H%M%S).tsv
T=/usr/bin/time
for p in minia megahit; do
	command -v $p > /dev/null || { [ $p = megahit ] && [ $MEGAHIT = 0 ]; } || {
		echo "[M::bench] installing $p (Debian)"; apt-get -qq install -y --no-install-recommends $p > /dev/null; }
done
make -s all

timed() { # timed NAME CMD... -> "NAME wall_s maxrss_kb" in $W/times
	local name=$1; shift
	$T -f "$name %e %M" -a -o "$W/times" "$@" > "$W/$name.out" 2> "$W/$name.err" || {
		echo "[E::bench] $name failed:"; tail -5 "$W/$name.err"; return 1; }
}
col() { # col EVALROW NAME: one column of the evaluator's row
	awk -v n="$2" -F'\t' 'NR==1 {for (i = 1; i <= NF; ++i) c[$i] = i} NR==2 {print $c[n]}' "$1"
}
jnum() { sed -n "s/.*\"$2\": \([-0-9.e]*\).*/\1/p" "$1" | head -1; }

printf 'set\ttool\twall_s\tmax_rss_MiB\tcontigs\tNGA50\tgenome_fraction\tmisassemblies\ttotal_length\treference_length\n' > "$OUT"
verdicts=()
verdict() { verdicts+=("$1	$2	$3"); printf '  %-4s %s (%s)\n' "$1" "$2" "$3"; }
for set in $SETS; do
	D=datasets/data/$set
	[ -f "$D/reads_1.fq.gz" ] || make -C datasets "$set"
	R1=$D/reads_1.fq.gz R2=$D/reads_2.fq.gz
	H2=""; [ -f "$D/hap2.fa" ] && H2=$D/hap2.fa
	echo "[M::bench] $set: reads $R1 $R2; $C cores"
	printf "%s\n%s\n" "$PWD/$R1" "$PWD/$R2" > "$W/list"   # minia reads paths from the list's folder
	timed "$set.dactyl" pipelines/run-local.sh -n "$C" -t 1 -- asm -o "$W/$set.dactyl" "$R1" "$R2"
	mkdir -p "$W/$set.minia"
	timed "$set.minia" minia -in "$W/list" -kmer-size 63 -nb-cores "$C" -out "$W/$set.minia/m" -verbose 0 || true
	if [ $MEGAHIT = 1 ]; then
		timed "$set.megahit" megahit -1 "$R1" -2 "$R2" -t "$C" -o "$W/$set.megahit" || true
	fi
	for tool in dactyl minia megahit; do
		case $tool in
		dactyl) f=$W/$set.dactyl/contigs.fa ;;
		minia) f=$W/$set.minia/m.contigs.fa; [ -f "$f" ] || f=$(ls "$W"/$set.minia*.contigs.fa 2>/dev/null | head -1) ;;
		megahit) f=$W/$set.megahit/final.contigs.fa ;;
		esac
		[ -n "$f" ] && [ -s "$f" ] || continue
		bench/eval/dy-eval -t "$C" "$D/genome.fa" $H2 "$f" > "$W/$set.$tool.eval"
		read -r wall rss < <(awk -v n="$set.$tool" '$1 == n {print $2, $3}' "$W/times")
		printf '%s\t%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\n' "$set" "$tool" "$wall" "$(awk -v r="$rss" 'BEGIN {print r / 1024}')" \
			"$(col "$W/$set.$tool.eval" contigs)" "$(col "$W/$set.$tool.eval" NGA50)" \
			"$(col "$W/$set.$tool.eval" genome_fraction)" "$(col "$W/$set.$tool.eval" misassemblies)" \
			"$(col "$W/$set.$tool.eval" total_length)" "$(col "$W/$set.$tool.eval" reference_length)" >> "$OUT"
	done
	J=$W/$set.dactyl/stats.json
	# rank 0's share of the wall time at -np 2 and -np 4 (from stats.json)
	for np in 2 4; do
		if [ "$np" = "$C" ]; then ln -s "$W/$set.dactyl" "$W/$set.np$np"   # the run above
		else pipelines/run-local.sh -n $np -t 1 -- asm -o "$W/$set.np$np" "$R1" "$R2" > /dev/null 2>&1 || continue; fi
		awk -v a="$(jnum "$W/$set.np$np/stats.json" rank0_alone_s)" \
			-v w="$(sed -n 's/^  "wall_s": \([0-9.]*\).*/\1/p' "$W/$set.np$np/stats.json")" \
			-v s="$set" -v n=$np 'BEGIN {printf "%s: rank 0 alone %.1f s of %.1f s (%.1f%%) at -np %d\n", s, a, w, 100 * a / w, n}'
	done
	# the criteria of the issue for this set
	row() { awk -v s="$set" -v t="$1" -F'\t' '$1 == s && $2 == t' "$OUT"; }
	d=$(row dactyl) m=$(row minia)
	dn=$(echo "$d" | cut -f6) df=$(echo "$d" | cut -f7) dm=$(echo "$d" | cut -f8) dt=$(echo "$d" | cut -f9) dl=$(echo "$d" | cut -f10) dw=$(echo "$d" | cut -f3)
	mn=$(echo "$m" | cut -f6) mm=$(echo "$m" | cut -f8) mw=$(echo "$m" | cut -f3)
	ok() { awk "BEGIN {exit !($1)}" && echo PASS || echo FAIL; }
	echo "[M::bench] $set: dactyl NGA50 $dn, genome fraction $df%, misassemblies $dm, total $dt of $dl; minia NGA50 ${mn:--}, misassemblies ${mm:--}"
	case $set in
	bact)
		verdict "$(ok "$df >= 98.5")" "bact: genome fraction >= 98.5%" "$df%"
		verdict "$(ok "$dm == 0")" "bact: 0 misassemblies" "$dm"
		[ -n "$mn" ] && verdict "$(ok "$dn >= $mn")" "bact: NGA50 >= minia's" "$dn vs $mn, $(awk -v a="$dn" -v b="$mn" 'BEGIN {printf "%.2fx", a / b}')"
		[ -n "$mw" ] && verdict "$(ok "$dw <= 0.5 * $mw")" "bact: wall <= half of minia's" "$dw s vs $mw s, $(awk -v a="$dw" -v b="$mw" 'BEGIN {printf "%.2fx", a / b}')"
		;;
	bact-dip)
		hn=$(awk -F'\t' '$1 == "bact" && $2 == "dactyl" {print $6}' "$OUT")
		verdict "$(ok "$dt <= 1.10 * $dl")" "bact-dip: total length <= 1.10 x haploid" "$(awk -v a="$dt" -v b="$dl" 'BEGIN {printf "%.3fx", a / b}')"
		verdict "$(ok "$df >= 97")" "bact-dip: genome fraction >= 97%" "$df%"
		verdict "$(ok "$dm == 0")" "bact-dip: 0 misassemblies" "$dm"
		[ -n "$hn" ] && verdict "$(ok "$dn >= 0.5 * $hn")" "bact-dip: NGA50 >= half of the haploid run's" "$dn vs $hn"
		;;
	palm-mini)
		verdict "$(ok "$dt <= 1.15 * $dl")" "palm-mini: total length <= 1.15 x haploid" "$(awk -v a="$dt" -v b="$dl" 'BEGIN {printf "%.3fx", a / b}')"
		verdict "$(ok "$df >= 90")" "palm-mini: genome fraction of one haplotype >= 90%" "$df%"
		[ -n "$mm" ] && verdict "$(ok "$dm <= $mm")" "palm-mini: misassemblies <= minia's" "$dm vs $mm"
		[ -n "$mn" ] && verdict "$(ok "$dn >= 1.5 * $mn")" "palm-mini: NGA50 >= 1.5 x minia's" "$dn vs $mn, $(awk -v a="$dn" -v b="$mn" 'BEGIN {printf "%.2fx", a / b}')"
		;;
	esac
	if [ -n "$H2" ] && [ -f "$D/het-truth.tsv" ]; then
		# the genome profile against the truth: haploid length, heterozygous sites per base
		len=$(grep -v '>' "$D/genome.fa" | tr -d '\n' | wc -c)
		nhet=$(( $(wc -l < "$D/het-truth.tsv") - 1 ))
		size=$(jnum "$J" haploid_size) het=$(jnum "$J" heterozygosity)
		verdict "$(ok "($size - $len) / $len <= 0.10 && ($len - $size) / $len <= 0.10")" \
			"$set: profile size within 10% of the truth" "$size vs $len"
		verdict "$(ok "100 * $het - 100 * $nhet / $len <= 0.3 && 100 * $nhet / $len - 100 * $het <= 0.3")" \
			"$set: profile heterozygosity within 0.3 points" "$(awk -v a="$het" -v b="$nhet" -v l="$len" 'BEGIN {printf "%.3f%% vs %.3f%%", 100 * a, 100 * b / l}')"
	fi
	grep -o '"removed": {[^}]*}' "$J" | sed "s/^/$set: cleaning removed /"
	grep -o '"resolve": {[^}]*}' "$J" | sed "s/^/$set: /"
done
echo; column -t -s$'\t' "$OUT"
echo; printf '%s\n' "${verdicts[@]}" | column -t -s$'\t'
echo "[M::bench] written $OUT"
