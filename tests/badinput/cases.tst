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
N -m needs -k  => asm -m 15 -o OUT good.fq
N needs a whole number, got '3x'  => asm -k 3x -o OUT good.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT short.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT empty.fq
N no k-mer of length 31 in the input  => asm -k 31 -o OUT alln.fq
N unknown option '--bogus'  => asm --bogus -k 31 -o OUT good.fq
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
