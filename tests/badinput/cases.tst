# Bad input, table driven (htslib style).  Each line:
#   N <regex the error output must match> => <dactyl arguments>
# N: must fail (non-zero exit on every rank, within the timeout, no
# contigs.fa left).  Fixture names refer to files made by run.sh in its
# temporary folder; OUT is the output directory.
N missing\.fq.*No such file or directory  => asm -k 31 -o OUT missing.fq
N missing-b\.fq  => asm -k 31 -o OUT good.fq missing-b.fq
N trunc\.fq\.gz.*(truncat|unexpected end)  => asm -k 31 -o OUT trunc.fq.gz
N trunc-tail\.fq\.gz.*(truncat|unexpected end)  => asm -k 31 -o OUT trunc-tail.fq.gz
N trunc\.bgz\.fq\.gz.*(truncat|unexpected end)  => asm -k 31 -o OUT trunc.bgz.fq.gz
N qual\.fq.*quality length 99 != sequence length 100  => asm -k 31 -o OUT qual.fq
N noplus\.fq.*'\+'  => asm -k 31 -o OUT noplus.fq
N junk\.bin  => asm -k 31 -o OUT junk.bin
N k must be odd and between 15 and 127, or 0 to choose \(got 32\)  => asm -k 32 -o OUT good.fq
N k must be odd and between 15 and 127, or 0 to choose \(got 129\)  => asm -k 129 -o OUT good.fq
N k must be odd and between 15 and 127, or 0 to choose \(got 13\)  => asm -k 13 -o OUT good.fq
N --minimizer needs -k  => asm --minimizer 15 -o OUT good.fq
N option --mem needs a size with a unit  => asm -m 15 -o OUT good.fq
N needs a whole number, got '3x'  => asm -k 3x -o OUT good.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT short.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT empty.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT alln.fq
N unknown option '--bogus'  => asm --bogus -k 31 -o OUT good.fq
N --k-list: multi-k assembly is not supported yet; give one -k  => asm --k-list 21,41,61 -o OUT good.fq
N unknown preset 'palm'  => asm --preset palm -o OUT good.fq
N no input file given  => asm -k 31 -o OUT
N notadir/out.*(Not a directory|cannot create)  => asm -k 31 -o notadir/out good.fq
# committed fixtures (tests/badinput/make-fixtures.sh)
N corrupt-crc\.fq\.gz.*corrupt gzip data  => asm -k 31 -o OUT corrupt-crc.fq.gz
N truncated-record\.fq: record 2 .*unexpected end of file  => asm -k 31 -o OUT truncated-record.fq
N bad-header\.fq: record 2 .*expected '@'  => asm -k 31 -o OUT bad-header.fq
N seq-starts-at\.fq: record 1 .*sequence line starts with '@'  => asm -k 31 -o OUT seq-starts-at.fq
N text\.txt: record 1 .*expected '@' or '>'  => asm -k 31 -o OUT text.txt
N no k-mer of length 31  => asm -k 31 -o OUT blank.fa
N qual\.fq.*quality length 99 != sequence length 100  => asm -k 31 -t 2 -o OUT good.fq qual.fq good.fq
N --min-count must be between 0 \(automatic\) and 15 \(got 20\)  => asm -k 31 --min-count 20 -o OUT good.fq
# without -k the pilot count reads the input first: the same messages
N missing\.fq.*No such file or directory  => asm -o OUT missing.fq
N trunc\.fq\.gz.*(truncat|unexpected end)  => asm -o OUT trunc.fq.gz
N qual\.fq.*quality length 99 != sequence length 100  => asm -o OUT qual.fq
N no k-mer of length 21 in the input  => asm -o OUT short20.fq
N bad-header\.fq: record 2 .*expected '@'  => asm -o OUT bad-header.fq
N --resolve-passes must be between 0 and 100  => asm -k 31 --resolve-passes 101 -o OUT good.fq
N --bubble-identity, --tip-ratio, --error-ratio and --low-ratio must be between 0 and 1  => asm -k 31 --tip-ratio 2 -o OUT good.fq
# --- odd input, at -np 1 and -np 4 (issue 11).  Y: odd but valid, accepted.
N onlyheaders\.fq: record 1 .*sequence line starts with '@'  => asm -k 31 -o OUT onlyheaders.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT onlyheaders.fa
N noplus-end\.fq: record 11 .*unexpected end of file  => asm -k 31 -o OUT noplus-end.fq
N qual-long\.fq: record 3 .*quality length 101 != sequence length 100  => asm -k 31 -o OUT qual-long.fq
N qual-space\.fq: record 2 .*quality has a space at column 10  => asm -k 31 -o OUT qual-space.fq
N qual-nul\.fq: record 4 .*quality has a NUL byte at column 5  => asm -k 31 -o OUT qual-nul.fq
N qual-ctrl\.fq: record 5 .*quality has byte 0x01 at column 20  => asm -k 31 -o OUT qual-ctrl.fq
N qual-high\.fq: record 6 .*quality has byte 0xff at column 30  => asm -k 31 -o OUT qual-high.fq
N seq-tab\.fq: record 7 .*a tab at column 50 of a sequence line  => asm -k 31 -o OUT seq-tab.fq
N seq-space\.fq: record 8 .*a space at column 60 of a sequence line  => asm -k 31 -o OUT seq-space.fq
N seq-tab\.fa: record 1 .*a tab at column 8 of a sequence line  => asm -k 15 -o OUT seq-tab.fa
N seq-digit\.fq: record 9 .*'7' at column 70 of a sequence line  => asm -k 31 -o OUT seq-digit.fq
N bom\.fq: record 1 .*UTF-8 byte-order mark  => asm -k 31 -o OUT bom.fq
N multiline\.fq: record 3 .*multi-line FASTQ is not supported  => asm -k 31 -o OUT multiline.fq
N mixed\.fa: record 1 .*'@' at column 1 of a sequence line  => asm -k 31 -o OUT mixed.fa
N late\.fq: record @LATE@ \(byte [0-9]+\): expected '@'  => asm -k 31 -o OUT late.fq
N late\.bgz\.fq\.gz: record @LATE@ \(byte [0-9]+\): expected '@'  => asm -k 31 -o OUT late.bgz.fq.gz
N late\.fq: record @LATE@ \(byte [0-9]+\): expected '@'  => asm -k 31 -o OUT good.fq late.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT zero.fq.gz
N adir.*Is a directory  => asm -k 31 -o OUT adir
N dangling\.fq.*No such file or directory  => asm -k 31 -o OUT dangling.fq
N -: reading from standard input is not supported  => asm -k 31 -o OUT -
N reads\.fq\.bz2: this is a bzip2-compressed file, which dactyl does not read  => asm -k 31 -o OUT reads.fq.bz2
N reads\.fq\.xz: this is a xz-compressed file  => asm -k 31 -o OUT reads.fq.xz
N reads\.fq\.zst: this is a zstd-compressed file  => asm -k 31 -o OUT reads.fq.zst
N reads\.cram: htslib cannot open it as CRAM  => asm -k 31 -o OUT reads.cram
N no k-mer of length 31 in the input  => asm -k 31 -o OUT reads.bam
N cut-header\.bam: the BAM header cannot be read  => asm -k 31 -o OUT cut-header.bam
N noseq\.sam: record 2: record 'r2' has no sequence  => asm -k 31 -o OUT noseq.sam
N trunc\.bam: truncated BAM \(the end-of-file block is missing\)  => asm -k 31 -o OUT trunc.bam
N noeof\.bam: truncated BAM \(the end-of-file block is missing\)  => asm -k 31 -o OUT noeof.bam
N needref\.cram: record [0-9]+: .*its reference sequence cannot be found \(REF_PATH, REF_CACHE\)  => asm -k 31 -o OUT needref.cram
N badline\.sam: record 2: cannot be decoded: malformed SAM line  => asm -k 31 -o OUT badline.sam
N reads\.zip: this is a zip file  => asm -k 31 -o OUT reads.zip
N trailing-garbage\.fq\.gz: record 501 .*are not gzip data \(trailing garbage  => asm -k 31 -o OUT trailing-garbage.fq.gz
N no k-mer reaches the solid threshold 2  => asm -k 31 --min-count 2 -o OUT unique.fq
N g10\.fq: the output directory exists and is not a directory  => asm -k 31 -o g10.fq good.fq
N option '-k' needs a value  => asm -o OUT good.fq -k
N option --threads needs a whole number, got '-1'  => asm -k 31 -t -1 -o OUT good.fq
N -t must be between 0 \(automatic\) and 4096 \(got 100000\)  => asm -k 31 -t 100000 -o OUT good.fq
N option --batch-mb needs a whole number, got '-5'  => asm -k 31 --batch-mb -5 -o OUT good.fq
N --batch-mb must be positive  => asm -k 31 --batch-mb 0 -o OUT good.fq
N --read-cache-mb 999999999 is more than this node's memory  => asm -k 31 --read-cache-mb 999999999 -o OUT good.fq
N option --kmer needs a whole number, got '99999999999999999999'  => asm -k 99999999999999999999 -o OUT good.fq
N m1\.fq: record [0-9]+: the mate files do not pair up: m1\.fq has [0-9]+ records, m2short\.fq has [0-9]+, so this record has no mate  => asm -k 31 -o OUT -1 m1.fq -2 m2short.fq
N m1\.fq: record 3: its record 3 \('p2/1'\) and record 3 of m2swap\.fq \('p3/2'\) are not mates  => asm -k 31 -o OUT -1 m1.fq -2 m2swap.fq
N iodd\.fq: record [0-9]+: interleaved pairs \(--12\), but the file holds an odd number of records  => asm -k 31 -o OUT --12 iodd.fq
N 1 file\(s\) of first mates \(-1\) but 0 of second mates \(-2\)  => asm -k 31 -o OUT -1 m1.fq
N -1 and -2 name the same file 'm1\.fq'  => asm -k 31 -o OUT -1 m1.fq -2 m1.fq
N -1 and -2 name the same file '\./m1\.fq'  => asm -k 31 -o OUT -1 m1.fq -2 ./m1.fq
N m2\.fq: record 1: its record 1 \('p0/2'\) is a second mate and record 1 of m1\.fq \('p0/1'\) a first one: -1 and -2 look swapped  => asm -k 31 -o OUT -1 m2.fq -2 m1.fq
N m1\.fq: record 1: its record 1 \('p0/1'\) and record 1 of m1c\.fq \('p0/1'\) are the same mate  => asm -k 31 -o OUT -1 m1.fq -2 m1c.fq
N 'm1\.fq' is given twice, once as paired reads  => asm -k 31 -o OUT -1 m1.fq -2 m2.fq m1.fq
N reads\.bam: a SAM, BAM or CRAM file holds both mates of its pairs \(flags READ1, READ2\): give it with --12  => asm -k 31 -o OUT -1 reads.bam -2 m2.fq
Y   => asm -k 31 -o OUT -1 m1.fq -2 m2.fq
Y   => asm -k 31 -o OUT --12 inter.fq
Y   => asm -k 31 -o OUT noname.fa
Y   => asm -k 31 -o OUT noname.fq
Y   => asm -k 31 -o OUT blank-lines.fq
Y   => asm -k 31 -o OUT gz-named-plain.fq
Y   => asm -k 31 -o OUT plain-named.fq.gz
Y   => asm -k 31 -o OUT mid-empty-member.fq.gz
Y   => asm -k 31 -o OUT onebase.fq
Y   => asm -k 31 -o OUT many-short.fq good.fq
Y   => asm -k 31 -o OUT long10m.fa
Y input 2 \(good\.fq\) is the same file as input 1 \(good\.fq\): its reads are counted twice  => asm -k 31 -o OUT good.fq good.fq
Y   => asm -k 31 -t 0 -o OUT good.fq
Y no contig of 1000000 bases or more: contigs.fa is empty  => asm -k 31 --min-len 1000000 -o OUT good.fq
