#!/usr/bin/env python3
"""cases.py -- hand-built assemblies whose QUAST-style answers are known,
run through bench/eval/dy-eval; every expected number must match exactly.

usage: cases.py WORKDIR    (prints PASS/FAIL per case; exit status = failures)

References are random sequence (no repeats), so each contig piece has one
true place. Where a contig joins two pieces, the bases on either side of the
join are forced to differ from what the other piece's reference continues
with, so no alignment can run a base past the join by chance: the block
lengths are then exact, not off by one.
"""
import json
import os
import random
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
EVAL = os.path.join(HERE, "..", "..", "bench", "eval", "dy-eval")
COMP = str.maketrans("ACGT", "TGCA")


def rc(s):
    return s.translate(COMP)[::-1]


def other(b, avoid=""):
    return next(x for x in "ACGT" if x != b and x not in avoid)


def write_fa(path, recs):
    with open(path, "w") as fp:
        for name, s in recs:
            fp.write(">%s\n" % name)
            for i in range(0, len(s), 80):
                fp.write(s[i:i + 80] + "\n")
    return path


def differ(s, i, j):
    """Make s[j] differ from s[i] (s a list) by changing s[j]."""
    if s[i] == s[j]:
        s[j] = other(s[i])


def main(work):
    rng = random.Random(2024)
    A = rng.choices("ACGT", k=120000)
    B = rng.choices("ACGT", k=80000)
    # join constraints (see the module doc); each names the bases compared
    differ(A, 30000, 70000)                      # relocation: right end of piece 1
    differ(A, 29999, 69999)                      #   and left end of piece 2
    if "ACGT"["TGCA".index(A[119999])] == A[60000]:   # inversion: comp(A[119999]) != A[60000]
        A[119999] = other(A[119999], rc(A[60000]))
    if B[0] == A[50000]:                         # translocation: B[0] != A[50000]
        B[0] = other(A[50000])
    A, B = "".join(A), "".join(B)
    A2 = A[:100000]                              # chromosome 1 of the two-chromosome reference
    os.makedirs(work, exist_ok=True)
    ref1 = write_fa(os.path.join(work, "ref1.fa"), [("chrA", A)])
    ref2 = write_fa(os.path.join(work, "ref2.fa"), [("chrA", A2), ("chrB", B)])

    # haplotype 2: one SNP every 1000 bases
    h2 = list(A)
    for p in range(500, 120000, 1000):
        h2[p] = other(h2[p])
    h2 = "".join(h2)
    hap2 = write_fa(os.path.join(work, "hap2.fa"), [("chrA_h2", h2)])

    # known small errors: 5 substitutions, a 1-base insertion, a 3-base deletion
    e = list(A)
    for p in (10000, 30000, 50000, 70000, 90000):
        e[p] = other(e[p])
    e = "".join(e)
    e = e[:60000] + e[60003:]                    # deletion first: positions before it hold
    e = e[:20000] + other(e[19999], e[20000]) + e[20000:]

    junk = "".join(random.Random(7).choices("ACGT", k=3000))
    tiles = [50000, 20000, 20000, 15000, 9600, 5000, 400]
    pos, chopped = 0, []
    for i, l in enumerate(tiles):
        piece = A[pos:pos + l]
        if i != 1:                               # one 20 kb tile is missing
            chopped.append(("t%d" % i, rc(piece) if i % 2 else piece))
        pos += l

    B1 = {"genome_fraction": 100.0, "duplication_ratio": 1.0, "unaligned_length": 0}
    cases = [
        ("perfect assembly, one chromosome", ref1, None, [("c1", A)],
         dict(B1, contigs=1, total_length=120000, largest=120000, N50=120000, NG50=120000, L50=1,
              NGA50=120000, LGA50=1, misassemblies=0, mismatches=0, indels=0, reference_length=120000)),
        ("perfect assembly, two chromosomes, one reversed", ref2, None, [("c1", A2), ("c2", rc(B))],
         dict(B1, contigs=2, N50=100000, NG50=100000, NGA50=100000, misassemblies=0, mismatches=0,
              indels=0, reference_length=180000)),
        ("contig joined from two distant places: 1 relocation", ref1, None,
         [("c1", A[:30000] + A[70000:100000]), ("c2", A[30000:70000]), ("c3", A[100000:])],
         dict(B1, contigs=3, N50=60000, L50=1, NGA50=30000, LGA50=2, misassemblies=1, relocations=1,
              inversions=0, translocations=0, misassembled_contigs=1, mismatches=0, indels=0)),
        ("inverted piece: 1 inversion", ref1, None, [("c1", A[:60000] + rc(A[60000:]))],
         dict(B1, contigs=1, N50=120000, NGA50=60000, LGA50=1, misassemblies=1, relocations=0,
              inversions=1, translocations=0, misassembled_contigs=1)),
        ("two chromosomes joined: 1 translocation", ref2, None,
         [("c1", A2[:50000] + B[:40000]), ("c2", A2[50000:]), ("c3", B[40000:])],
         dict(B1, contigs=3, N50=90000, NG50=90000, NGA50=50000, LGA50=2, misassemblies=1,
              relocations=0, inversions=0, translocations=1, misassembled_contigs=1)),
        ("chopped assembly, a 20 kb gap and a 400 bp contig", ref1, None, chopped,
         dict(contigs=5, contigs_all=6, total_length=99600, largest=50000, N50=50000, L50=1,
              NG50=20000, LG50=2, NGA50=20000, LGA50=2, genome_fraction=83.0,
              duplication_ratio=1.0, misassemblies=0, unaligned_length=0)),
        ("known substitutions and indels", ref1, None, [("c1", e)],
         dict(B1, misassemblies=0, local_misassemblies=0, mismatches=5, indels=2,
              mismatches_per_100kb=4.17, indels_per_100kb=1.67, NGA50=119998)),
        ("an unaligned contig", ref1, None, [("c1", A), ("junk", junk)],
         dict(contigs=2, total_length=123000, genome_fraction=100.0, unaligned_length=3000,
              misassemblies=0, NGA50=120000)),
        ("every contig twice: duplication ratio 2", ref1, None, [("c1", A), ("c2", rc(A))],
         dict(genome_fraction=100.0, duplication_ratio=2.0, misassemblies=0, NGA50=120000)),
        ("hap2 contigs against both haplotypes: no mismatch", ref1, hap2,
         [("c1", h2[:60000]), ("c2", h2[60000:])],
         dict(B1, mismatches=0, indels=0, misassemblies=0, NGA50=60000, reference_length=120000)),
        ("hap2 contigs against hap1 only: 120 mismatches", ref1, None,
         [("c1", h2[:60000]), ("c2", h2[60000:])],
         dict(B1, mismatches=120, indels=0, misassemblies=0)),
        ("contigs all shorter than 500 bp", ref1, None, [("c1", A[:400]), ("c2", A[400:800])],
         dict(contigs=0, contigs_all=2, total_length=0, N50=None, NG50=None, NGA50=None,
              genome_fraction=0.0, misassemblies=0)),
    ]
    fails = 0
    for i, (title, ref, h, contigs, want) in enumerate(cases):
        fa = write_fa(os.path.join(work, "case%02d.fa" % i), contigs)
        cmd = [EVAL, "--json", ref] + ([h] if h else []) + [fa]
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            got = json.loads(p.stdout)
        except ValueError:
            got = {}
        bad = ["%s=%r (want %r)" % (k, got.get(k, "missing"), v) for k, v in want.items()
               if got.get(k, "missing") != v]
        if p.returncode != 0:
            bad.insert(0, "exit %d: %s" % (p.returncode, p.stderr.strip()))
        print("%s %s%s" % ("FAIL" if bad else "PASS", title, ": " + "; ".join(bad) if bad else ""))
        fails += bool(bad)
    return fails


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
