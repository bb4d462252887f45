#!/usr/bin/env bash
# End-to-end: tiny genomes through `mpirun dactyl asm`, checked by brute force.
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"

# A 200 kb repeat-free random genome, 30x of error-free 100 bp reads: one contig,
# equal to the genome or its reverse complement, at k = 21, 31 and 63.
$SIM genome 200000 11 > g200.fa
$SIM reads g200.fa 100 30 12 > g200.fq
for k in 21 31 63; do
	if dy 2 1 asm -k $k -o o$k g200.fq 2> log$k; then
		check "200kb genome, k=$k: one contig equal to the genome" $KCHECK same g200.fa o$k/contigs.fa
	else bad "200kb genome, k=$k: dactyl failed"; tail -5 log$k; fi
done
# No -k: a pilot count chooses k from the read length and the spectrum, and says why.
if dy 2 1 asm -o oauto g200.fq 2> logauto; then
	check "no -k: the log says which k and why" grep -qE 'k=[0-9]+ chosen: reads of 100 bp on average, homozygous k-mer coverage' logauto
	check "no -k: stats.json records the chosen k" grep -qE '"k": [0-9]+, .*"k_auto": true' oauto/stats.json
	check "no -k: one contig equal to the genome" $KCHECK same g200.fa oauto/contigs.fa
	check "no -k: the pilot is a phase of its own" grep -q '"name": "pilot"' oauto/stats.json
else bad "no -k: dactyl failed"; tail -5 logauto; fi
check "outputs: histogram and stats.json written" test -s o31/kmer-histogram.tsv -a -s o31/stats.json
check "no temporary file left" test -z "$(ls -A o31 | grep tmp)"
check "log shows every phase with time and memory" \
	test "$(grep -c 'phase done in .* peak RSS max' log31)" -ge 5
check "log prints each rank's binding" grep -q 'rank 1: ' log31
check "log prints rank 0's share of the wall time" grep -q 'rank 0 alone' log31
check "error-free reads: threshold 1 chosen" grep -q '"threshold": 1,' o31/stats.json
check "contig header carries length and coverage" grep -q '^>contig_1 len=200000 cov=2[0-9]\.' o21/contigs.fa

# k above 63 (wide k-mers, 40-byte table entries): a random 100 kb genome from
# error-free 150 bp reads (100x: k-mer coverage 16 at k = 127) is one contig.
$SIM genome 100000 13 > g100.fa
$SIM reads g100.fa 150 100 14 > g100.fq
for k in 95 127; do
	if dy 2 1 asm -k $k -o ow$k g100.fq 2> logw$k; then
		check "100kb genome, 150 bp reads, k=$k: one contig equal to the genome" $KCHECK same g100.fa ow$k/contigs.fa
	else bad "k=$k: dactyl failed"; tail -5 logw$k; fi
done
if dy 3 2 asm -k 127 -o ow127b g100.fq 2> logw127b; then
	check "k=127: -np 3 x 2 threads gives the same contigs as -np 2" cmp -s ow127/contigs.fa ow127b/contigs.fa
else bad "k=127 -np 3: dactyl failed"; tail -5 logw127b; fi

# Repeats longer than k: contig k-mers == genome k-mers, none in two contigs
# (--min-len 0: the short unitigs between repeat copies count too).
$SIM genome 100000 21 400 6 > rep.fa
$SIM reads rep.fa 100 30 22 > rep.fq
if dy 2 2 asm -k 31 --min-len 0 -o orep rep.fq 2> logrep; then
	r=$($KCHECK cmp 31 orep/contigs.fa rep.fa); set -- $r
	check "repeats: k-mer sets equal, no duplicate ($r)" test "$1" = "$2" -a "$3" = "$1" -a "$6" = 0
	check "repeats: genome broken into several contigs" test "$(grep -c '>' orep/contigs.fa)" -gt 1
else bad "repeats: dactyl failed"; tail -5 logrep; fi

# A circular genome: one circular contig of G + k - 1 bases.
$SIM genome 30000 31 > circ.fa
$SIM reads circ.fa 100 30 32 0 circular > circ.fq
if dy 2 1 asm -k 31 -o ocirc circ.fq 2> logcirc; then
	r=$($KCHECK cmp 31 ocirc/contigs.fa circ.fa --circular); set -- $r
	check "circular: one contig marked circular" grep -q '^>contig_1 len=30030 cov=.* circular$' ocirc/contigs.fa
	check "circular: k-mer sets equal ($r)" test "$1" = "$2" -a "$3" = "$1" -a "$6" = 0
else bad "circular: dactyl failed"; tail -5 logcirc; fi

# A heterozygous pair: the raw unitigs (--no-clean) hold exactly the union of
# both haplotypes' k-mers; cleaned, the alleles fold into about one haplotype.
$SIM genome 50000 41 > h1.fa
awk 'NR==1{print; next} {s=$0; if (NR%7==0) { c=substr(s,40,1); s=substr(s,1,39) (c=="A"?"C":"A") substr(s,41) } print s}' h1.fa > h2.fa
cat h1.fa h2.fa > dip.fa
$SIM reads dip.fa 100 20 42 > dip.fq
if dy 2 1 asm -k 31 --no-clean --min-len 0 -o odip dip.fq 2> logdip; then
	r=$($KCHECK cmp 31 odip/contigs.fa h1.fa h2.fa); set -- $r
	check "heterozygous pair, --no-clean: k-mer sets equal the union ($r)" test "$1" = "$2" -a "$3" = "$1" -a "$6" = 0
else bad "heterozygous: dactyl failed"; tail -5 logdip; fi
if dy 2 1 asm -k 31 -o odipc dip.fq 2> logdipc; then
	r=$($KCHECK cmp 31 odipc/contigs.fa h1.fa h2.fa); set -- $r
	tot=$(awk '!/^>/ {n += length($0)} END {print n}' odipc/contigs.fa)
	check "heterozygous pair, cleaned: <= 1.05 x one haplotype ($tot bp), nothing foreign ($r)" \
		test "$tot" -le 52500 -a "$4" = 0 -a "$6" = 0
else bad "heterozygous, cleaned: dactyl failed"; tail -5 logdipc; fi

# The same reads as FASTA, gzip, BGZF, and split in two files give the same contigs.
awk 'NR%4==1{print ">" substr($0,2)} NR%4==2{print}' g200.fq > g200.fa.reads
gzip -c g200.fq > g200.fq.gz
bgzip -c g200.fq > g200.bgz.fq.gz
head -n 40000 g200.fq > part1.fq; tail -n +40001 g200.fq | gzip -c > part2.fq.gz
for v in "fasta g200.fa.reads" "gzip g200.fq.gz" "bgzf g200.bgz.fq.gz" "two-files part1.fq part2.fq.gz"; do
	set -- $v; name=$1; shift
	[ -s "$1" ] || { bad "input $name: fixture missing"; continue; }
	if dy 2 1 asm -k 31 -o "o-$name" "$@" 2> "log-$name"; then
		check "input $name: same contigs as plain FASTQ" cmp -s o31/contigs.fa "o-$name/contigs.fa"
	else bad "input $name: dactyl failed"; tail -5 "log-$name"; fi
done

# Error-bearing reads (0.5% substitutions, 40x): the threshold comes from the valley.
$SIM genome 100000 51 > ge.fa
$SIM reads ge.fa 100 40 52 0.005 > ge.fq
if dy 2 2 asm -k 31 -o oerr ge.fq 2> logerr; then
	t=$(sed -n 's/.*"threshold": \([0-9]*\),.*/\1/p' oerr/stats.json)
	check "errors: automatic threshold above 1 (got $t)" test "${t:-0}" -gt 1
	r=$($KCHECK cmp 31 oerr/contigs.fa ge.fa); set -- $r
	check "errors: >= 99% of genome k-mers assembled, <= 1% foreign ($r)" \
		test $(( $3 * 100 )) -ge $(( $1 * 99 )) -a $(( $4 * 100 )) -le "$2" -a "$6" = 0
else bad "errors: dactyl failed"; tail -5 logerr; fi

# `dactyl count` writes the histogram and stats, and no contigs.
if dy 2 1 count -k 31 -o ocount g200.fq 2> logcount; then
	check "count: histogram, no contigs" test -s ocount/kmer-histogram.tsv -a ! -e ocount/contigs.fa
else bad "count: dactyl failed"; tail -5 logcount; fi

# Pinning: one thread per core inside the rank's cpuset, or none at all.
if dy 1 2 asm -k 31 -o opin g200.fq 2> logpin; then
	check "pinning: 2 threads of one rank on two different cores" grep -q 'rank 0: cpuset {0-1}: t0->core0 t1->core1' logpin
	check "pinning: same contigs as 2 ranks x 1 thread" cmp -s o31/contigs.fa opin/contigs.fa
else bad "pinning: dactyl failed"; tail -5 logpin; fi
if dy 2 1 asm -k 31 --pin none -o onopin g200.fq 2> lognopin; then
	check "--pin none: the log says so for every rank" test "$(grep -c 'rank [01]: not pinned' lognopin)" -eq 2
else bad "--pin none: dactyl failed"; tail -5 lognopin; fi

# Progress of the count on rank 0: plain lines when stderr is a file (a
# Slurm log), percent rising to 100; a bar redrawn in place on a terminal;
# nothing with --progress 0 or -v 1.  Small batches: several rounds.
P="--batch-mb 1 --read-cache-mb 0"
if dy 2 1 asm -k 31 $P --progress 0.001 -o oprog g200.fq 2> logprog; then
	grep -o 'count::[^]]*\] progress: [0-9.]*%' logprog | sed 's/.*progress: //; s/%//' > pct
	check "progress: lines in a log file, percent rising to 100 ($(tr '\n' ' ' < pct))" \
		awk 'NR > 1 && $1 < p {bad = 1} {p = $1; n++} END {exit bad || n < 2 || p != 100.0}' pct
	check "progress: each line gives the rate and the time left" \
		grep -qE 'count::.*progress: [0-9.]+% \([0-9.]+ [kM]?B of [0-9.]+ [kM]?B of input read\), [0-9.]+ [kM]?B/s, (about )?[0-9]+ s left' logprog
	check "progress: contigs as without it" cmp -s o31/contigs.fa oprog/contigs.fa
else bad "progress: dactyl failed"; tail -5 logprog; fi
dy 2 1 asm -k 31 $P --progress 0 -o oprog0 g200.fq 2> logprog0; rc0=$?
dy 2 1 asm -k 31 $P --progress 0.001 -v 1 -o oprog1 g200.fq 2> logprog1; rc1=$?
check "progress: none with --progress 0, nor with -v 1 (both exit 0: $rc0 $rc1)" \
	sh -c "[ $rc0 = 0 ] && [ $rc1 = 0 ] && ! grep -q 'progress: ' logprog0 logprog1"
if command -v script > /dev/null; then
	# script(1) gives the launcher a terminal: the rank's stderr is a pipe to it
	script -qec "$ROOT/pipelines/run-local.sh -n 2 -t 1 -b $DACTYL -- asm -k 31 $P --progress 0.001 -o oprogt g200.fq" \
		/dev/null > logprogt 2>&1 < /dev/null
	check "progress on a terminal: a bar redrawn in place (carriage returns), no progress lines" \
		sh -c "grep -q \$(printf '\\r')'\\[progress\\] count .*100.0%' logprogt && ! grep -q 'progress: ' logprogt"
fi
check "--progress needs a number" sh -c "$DACTYL asm --progress soon g200.fq 2>&1 | grep -q 'option --progress needs a number'"

# A preset sets what it says, and an option given beside it wins, before or after it
dy 1 1 asm --preset plant-het -o opre1 g200.fq 2> logpre1
dy 1 1 asm -k 21 --preset plant-het -o opre2 g200.fq 2> logpre2
dy 1 1 asm --preset plant-het -k 21 --min-contig-len 500 -o opre3 g200.fq 2> logpre3
check "--preset plant-het: k=41, and the log says what it sets" \
	sh -c "grep -q '\"k\": 41,' opre1/stats.json && grep -q 'preset plant-het sets -k 41' logpre1"
check "--preset after or before -k 21: -k wins both ways" \
	sh -c "grep -q '\"k\": 21,' opre2/stats.json && grep -q '\"k\": 21,' opre3/stats.json"
check "--min-contig-len (MEGAHIT's spelling) is --min-len" grep -q '"min_len": 500' opre3/stats.json
check "asm --help shows each short option with its long name" \
	sh -c "$DACTYL asm --help | grep -q -- '-k, --kmer INT' && $DACTYL asm --help | grep -q -- '-t, --threads INT' && $DACTYL asm --help | grep -q -- '-o, --out DIR'"

# --from-stats repeats a run from its stats.json: from another folder, at
# another rank count, the same contigs; options given beside it win; inputs
# come from the file only
if dy 2 1 asm --min-count 2 --tip-len 1.5 --no-resolve -o ofs1 ge.fq 2> logfs1; then
	mkdir -p away
	(cd away && dy 3 1 asm --from-stats ../ofs1/stats.json -o ../ofs2 2> ../logfs2)
	check "--from-stats from another folder at -np 3: contigs and graph byte-identical" \
		sh -c 'cmp -s ofs1/contigs.fa ofs2/contigs.fa && cmp -s ofs1/graph.gfa ofs2/graph.gfa'
	check "--from-stats: the same options recorded again" \
		python3 -c "import json,sys; a,b=(json.load(open(f)) for f in ('ofs1/stats.json','ofs2/stats.json')); sys.exit(a['repeat']!=b['repeat'] or a['options']['min_count']!=2)"
	dy 1 1 asm --from-stats ofs1/stats.json --min-len 1000 -o ofs3 2> logfs3
	check "--from-stats with --min-len 1000 after it: that option wins, the others stay" \
		sh -c "grep -q '\"min_len\": 1000' ofs3/stats.json && grep -q -- '--min-count=2 ' ofs3/stats.json"
	dy 1 1 asm --from-stats ofs1/stats.json -o ofs4 ge.fq 2> logfs4
	check "--from-stats with an input on the command line: refused" grep -q 'takes the inputs from its file' logfs4
	sed 's/"repeat"/"repaet"/' ofs1/stats.json > damaged.json
	dy 1 1 asm --from-stats damaged.json -o ofs5 2> logfs5
	check "--from-stats of a file without its repeat record: refused by name" \
		sh -c "grep -q 'damaged.json: no \"repeat\" record' logfs5 && [ ! -e ofs5/contigs.fa ]"
else bad "--from-stats: the first run failed"; tail -5 logfs1; fi

# `dactyl stats` on the contigs
check "stats: N50 of the single contig" sh -c "$DACTYL stats o31/contigs.fa | awk 'NR==2 && \$2==1 && \$6==200000 {f=1} END {exit !f}'"
# several files (plain and gzip), --min-len, N90 and GC against a hand count
printf '>a\nACGTNNGG\n>b\nGGCC\n>c\nAT\nAT\n' > s1.fa
gzip -c s1.fa > s1.fa.gz
$DACTYL stats s1.fa s1.fa.gz > st.tsv 2> st.err; rc=$?
check "stats: one row per file, plain and gzip alike (exit $rc)" \
	sh -c "[ $rc = 0 ] && [ \$(wc -l < st.tsv) = 3 ] && [ \"\$(sed -n 2p st.tsv | cut -f2-)\" = \"\$(sed -n 3p st.tsv | cut -f2-)\" ]"
check "stats: seqs total min max N50 L50 N90 L90 GC% by hand" \
	test "$(sed -n 2p st.tsv | cut -f2-)" = "$(printf '3\t16\t4\t8\t8\t1\t4\t3\t57.14')"
check "stats: --min-len 5 counts only the 8-base sequence" \
	test "$($DACTYL stats --min-len 5 s1.fa | sed -n 2p | cut -f2,3)" = "$(printf '1\t8')"
samtools import -0 g200.fq -o g200.bam 2> /dev/null
echo "contigs: see attached" > notes.txt
for f in g200.fq g200.bam notes.txt; do
	case $f in *.fq) why="is FASTQ" ;; *.bam) why="is a BAM file" ;; *) why="is not FASTA" ;; esac
	[ -s "$f" ] || continue
	$DACTYL stats o31/contigs.fa "$f" > st2.tsv 2> st2.err; rc=$?
	check "stats: $f refused by name ('$why'), exit 1, the good file still reported" \
		sh -c "[ $rc = 1 ] && grep -q \"$f: $why\" st2.err && [ \$(wc -l < st2.tsv) = 2 ]"
done
check "stats -h: usage on stdout, exit 0" sh -c "$DACTYL stats -h | grep -q 'Usage: dactyl stats'"

# The load: two plain gzip files at -np 4 are read by two ranks (a gzip
# stream has no entry point but its start), but every rank cuts: the readers
# hand each round's surplus reads to the other two, and the log says which
# ranks read nothing of their own and why.  The contigs are those of -np 1.
# stats.json's balance: busiest rank over the mean, largest partition, idle ranks.
gzip -c g200.fq > g200a.fq.gz && cp g200a.fq.gz g200b.fq.gz
if dy 4 1 asm -k 31 -o ogz g200a.fq.gz g200b.fq.gz 2> loggz && dy 1 1 asm -k 31 -o ogz1 g200a.fq.gz g200b.fq.gz 2> loggz1; then
	check "plain gzip at -np 4: the log names the ranks that read nothing of their own, and why" \
		grep -q "2 of 4 ranks read no input of their own (rank 2, 3): 2 input(s) are read whole by one rank each.*handed [0-9]* reads" loggz
	check "plain gzip at -np 4: no rank is idle" sh -c "! grep -q 'cut no reads' loggz"
	check "plain gzip at -np 4: every rank cuts within 1.5x of the mean (stats.json ranks.reads), two read the files" python3 -c "
import json, sys; s = json.load(open('ogz/stats.json')); b = s['balance']; r = s['ranks']
mean = sum(r['reads']) / 4.0
sys.exit(not (b['idle_ranks'] == [] and all(mean / 1.5 <= n <= mean * 1.5 for n in r['reads'])
              and r['reads_read'][2:] == [0, 0] and sum(r['reads_read']) == sum(r['reads'])
              and sum(r['reads_handed_in']) > 0 and b['partitions']['n'] == 4096 and b['partitions']['max_over_mean'] >= 1))"
	check "plain gzip at -np 4: the load line shows the k-mers evened out" \
		python3 -c "
import re, sys; m = re.search(r'load over 4 rank\(s\): k-mers cut max/mean ([0-9.]+), counted max/mean ([0-9.]+)', open('loggz').read())
sys.exit(not (m and float(m.group(1)) <= 1.2 and float(m.group(2)) <= 1.5))"
	check "plain gzip: the contigs at -np 4 (reads handed over) are those of -np 1" cmp -s ogz/contigs.fa ogz1/contigs.fa
else bad "plain gzip at -np 4: dactyl failed"; tail -3 loggz loggz1; fi
if dy 4 1 asm -k 31 -o ofq g200.fq 2> logfq; then
	check "plain FASTQ at -np 4: no idle rank, every rank reads its own share" sh -c "! grep -q 'cut no reads\\|read no input' logfq && grep -q '\"idle_ranks\": \[\]' ofq/stats.json"
else bad "plain FASTQ at -np 4: dactyl failed"; tail -3 logfq; fi

# Pinning holds past the first region: threads let loose at the histogram
# (as a runtime's fresh pool would be) are bound again by the next phase,
# and the outputs do not change.
if dy 1 2 asm -k 31 -v 3 -o opin0 g200.fq 2> logpin0 && DACTYL_TEST_FAULT=unpin:histo:0 dy 1 2 asm -k 31 -v 3 -o opin1 g200.fq 2> logpin1; then
	check "pinning: threads that left their cores are bound again at the next phase" \
		grep -q "phase histo: 2 thread(s) had left the core they were pinned to: bound again" logpin1
	check "pinning: no rebinding without the fault" sh -c "! grep -q 'bound again' logpin0"
	check "pinning: contigs unchanged" cmp -s opin0/contigs.fa opin1/contigs.fa
else bad "pinning: dactyl failed"; tail -3 logpin1; fi

# --singleton-filter: reads with errors (1%), k-mers seen once kept out of the
# tables.  Every histogram bin >= 2 is the one-pass count's, the count-1 bin an
# honest estimate said so, the same for any ranks, threads, and with the reads
# read again (no cache); the contigs are those of the same threshold without it.
$SIM genome 300000 61 > gs.fa
$SIM reads gs.fa 100 30 62 0.01 > gs.fq
ge2() { grep -v '^#' "$1" | awk '$1 >= 2 { print $1, $2 }'; }
c1() { grep -v '^#' "$1" | awk '$1 == 1 { print $2 }'; }
if dy 1 1 count -k 31 -o sv0 gs.fq 2> logsv0; then
	for run in "1 2" "2 1" "3 1 --read-cache-mb 0"; do
		set -- $run; np=$1 t=$2; shift 2; d=sv$np$t
		if dy $np $t count -k 31 --singleton-filter "$@" -o $d gs.fq 2> log$d; then
			check "singleton filter -np $np -t $t $*: every histogram bin >= 2 exact" \
				cmp -s <(ge2 sv0/kmer-histogram.tsv) <(ge2 $d/kmer-histogram.tsv)
			check "singleton filter -np $np -t $t $*: count-1 bin within 3% of the exact one" \
				python3 -c "import sys; a, b = $(c1 sv0/kmer-histogram.tsv), $(c1 $d/kmer-histogram.tsv); sys.exit(not abs(a - b) <= 0.03 * a)"
			check "singleton filter -np $np -t $t: the count-1 bin is marked estimated" \
				grep -q '^# .*count 1 is estimated' $d/kmer-histogram.tsv
			check "singleton filter -np $np -t $t: the tables hold under half the entries and bytes" python3 -c "
import json, sys; a = json.load(open('sv0/stats.json')); b = json.load(open('$d/stats.json'))
ka, kb = a['kmers'], b['kmers']
sys.exit(not (kb['distinct_estimated'] and kb['count1_estimated'] and not ka['count1_estimated']
              and abs(kb['distinct'] - ka['distinct']) <= 0.03 * ka['distinct'] and kb['in_tables'] < ka['in_tables'] / 2
              and sum(b['ranks']['table_bytes']) < sum(a['ranks']['table_bytes']) / 2 and b['options']['singleton_filter']))"
		else bad "singleton filter -np $np -t $t $*: dactyl failed"; tail -3 log$d; fi
	done
	check "singleton filter: the second pass reads the cache, or the input again without one" \
		sh -c "grep -q 'reads kept in memory' logsv12 && grep -q 'second pass' logsv31 && ! grep -q 'reads kept in memory' logsv31"
else bad "singleton filter: the one-pass count failed"; tail -3 logsv0; fi
if dy 1 2 asm -k 31 --min-count 3 -o sva0 gs.fq 2> logsva0 && dy 1 2 asm -k 31 --min-count 3 --singleton-filter -o sva1 gs.fq 2> logsva1 &&
   dy 2 1 asm -k 31 --singleton-filter -o sva2 gs.fq 2> logsva2 && dy 1 2 asm -k 31 --singleton-filter -o sva3 gs.fq 2> logsva3; then
	check "singleton filter: contigs at --min-count 3 are those without it" cmp -s sva0/contigs.fa sva1/contigs.fa
	check "singleton filter: contigs identical at -np 2 -t 1 and -np 1 -t 2" cmp -s sva2/contigs.fa sva3/contigs.fa
	check "singleton filter: automatic threshold at least 2" python3 -c "
import json, sys; sys.exit(not json.load(open('sva2/stats.json'))['kmers']['threshold'] >= 2)"
else bad "singleton filter: asm failed"; tail -3 logsva0 logsva1 logsva2 logsva3; fi
if dy 1 1 count -k 31 --singleton-filter --min-count 1 -o svbad gs.fq 2> logsvbad; then
	bad "singleton filter with --min-count 1: accepted"
else
	check "singleton filter with --min-count 1: refused with a reason, no output" \
		sh -c "grep -q 'singleton-filter keeps no k-mer seen once' logsvbad && test ! -e svbad/stats.json"
fi

summary e2e
