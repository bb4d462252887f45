#!/usr/bin/env python3
"""make-seeds.py -- the seed corpus of each fuzz target (tests/fuzz/corpus/NAME),
written once and committed; rerun only to change the seeds.  Each seed is a
small, valid input of its target (with the target's leading control bytes),
so that the fuzzer starts from the structure and mutates away from it."""
import os, random, struct
R = random.Random(11)
HERE = os.path.dirname(os.path.abspath(__file__))

def seq(n): return ''.join(R.choice('ACGT') for _ in range(n))
def fastq(n, L): return ''.join('@r%d\n%s\n+\n%s\n' % (i, seq(L), 'I' * L) for i in range(n)).encode()
def fasta(n, L, w): return ''.join('>c%d\n%s\n' % (i, '\n'.join((lambda s: [s[j:j+w] for j in range(0, len(s), w)])(seq(L)))) for i in range(n)).encode()

def write(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f: f.write(data)

texts = {'fq': fastq(12, 40), 'fa': fasta(4, 150, 60), 'fq-crlf': fastq(5, 30).replace(b'\n', b'\r\n'),
         'fq-blank': fastq(4, 20).replace(b'\n@', b'\n\n@'), 'fq-at-qual': b'@a\nACGTACGTAC\n+\n@IIIIIIIII\n' * 6}
# input: mode (0 plain, 1 gzip, 2 two gzip members, 3/4 BGZF, 5 flipped, 6 cut), block size, place
for mode in range(7):
    for t in ('fq', 'fa'):
        write('input', '%s-mode%d' % (t, mode), bytes([mode, 1 + mode, 77]) + texts[t])
write('input', 'fq-crlf-bgzf', bytes([3, 0, 5]) + texts['fq-crlf'])
# split: number of cuts, 16 cut points, chunk size, text
for t, v in texts.items():
    write('split', t, bytes([9]) + bytes(R.randrange(256) for _ in range(16)) + bytes([7]) + v)
# skm: k selector, threads, then records (u32 n, u8 flags, packed bases)
def skm(k, recs):
    out = b''
    for n, f in recs:
        out += struct.pack('<IB', n, f) + bytes(R.randrange(256) for _ in range((n + 3) // 4))
    return out
for k in (15, 31, 63, 127):
    sel = (k - 15) // 2
    write('skm', 'k%d' % k, bytes([sel, 1 + 4 * 2]) + skm(k, [(k, 0), (k + 1, 1), (k + 2, 3), (k + 9, 2)]))
    write('skm', 'k%d-3t' % k, bytes([sel, 2]) + skm(k, [(k + i, i % 4) for i in range(40)]))
# frag: k selector, threads, fragment records (u32 n, flags, left, right, pad, u64 cov, packed)
def frag(recs):
    out = b''
    for n, circ, l, r in recs:
        out += struct.pack('<IBBBBQ', n, circ, l, r, 0, n * 3) + bytes(R.randrange(256) for _ in range((n + 3) // 4))
    return out
for k in (15, 31, 63):
    sel = (k - 15) // 2
    write('frag', 'k%d' % k, bytes([sel, 2]) + frag([(k + 5, 0, 1, 2), (k, 0, 0, 0), (2 * k, 1, 0, 0), (k + 1, 0, 15, 8)]))
# opt: argv of dactyl asm, NUL-separated
for args in (['-k', '31', '-o', 'out', 'r.fq'], ['-t', '2', '--min-count', '3', 'a.fq', 'b.fq.gz'],
             ['--preset', 'plant-het', '-k', '51', '-m', '21', 'x.fa'], ['-hk31'], ['-k31', '-v3', '--no-clean', 'r'],
             ['--tip-ratio', '0.5', '--bubble-identity', '0.9', '--read-cache-mb', '0', 'r.fq'],
             ['--bogus', 'r'], ['-k'], ['--', '-k', 'r.fq']):
    write('opt', '-'.join(a.strip('-') for a in args)[:40] or 'empty', '\0'.join(args).encode())
