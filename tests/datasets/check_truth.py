#!/usr/bin/env python3
"""check_truth.py -- measure a palmgen genome from its files, independently of
palmgen's own summary, and check it against what was asked and against its
truth tables.

usage: check_truth.py DIR [key=value ...]
DIR holds genome.fa, repeats.tsv, te-library.fa and, if diploid, hap2.fa and
het-truth.tsv. Keys (each optional): len (exact), gc, te, micro (micro +
tandem), het: measured must be within 10% of the value (relative);
exact_copies=1: every TE copy, its pieces joined, equals its consensus part
(only true with --div 0-0); spread=1: the genome shows the features that make
plant genomes hard (divergence spread, nesting, fragments, solo LTRs).
Prints one line per check; the exit status is the number of failures.
"""
import sys

COMP = str.maketrans("ACGTN", "TGCAN")


def rc(s):
    return s.translate(COMP)[::-1]


def read_fasta(path):
    seqs, name, buf = {}, None, []
    with open(path) as fp:
        for line in fp:
            line = line.rstrip("\n")
            if line.startswith(">"):
                if name is not None:
                    seqs[name] = "".join(buf)
                name, buf = line[1:].split()[0], []
            else:
                buf.append(line)
    if name is not None:
        seqs[name] = "".join(buf)
    return seqs


def read_tsv(path):
    with open(path) as fp:
        head = fp.readline().rstrip("\n").split("\t")
        return [dict(zip(head, l.rstrip("\n").split("\t"))) for l in fp]


def union_len(rows):
    """Bases covered by the intervals, counting overlaps once."""
    tot, by_chr = 0, {}
    for r in rows:
        by_chr.setdefault(r["chrom"], []).append((int(r["start"]), int(r["end"])))
    for iv in by_chr.values():
        reach = 0
        for b, e in sorted(iv):
            if e > reach:
                tot += e - max(b, reach)
                reach = e
    return tot


def in_dup(r, reps):
    """True if row r lies inside a segmental duplicate (kind D)."""
    if r["class"] == "segdup":
        return False
    if not hasattr(in_dup, "dups"):
        in_dup.dups = [(d["chrom"], int(d["start"]), int(d["end"])) for d in reps
                       if d["class"] == "segdup" and d["kind"] == "D"]
    b, e = int(r["start"]), int(r["end"])
    return any(ch == r["chrom"] and db <= b and e <= de for ch, db, de in in_dup.dups)


class Checker:
    def __init__(self):
        self.fail = 0

    def ok(self, cond, what):
        print(("PASS " if cond else "FAIL ") + what)
        self.fail += 0 if cond else 1

    def near(self, name, got, want):
        self.ok(abs(got - want) <= 0.10 * want, "%s: measured %.5f, asked %.5f (within 10%%)" % (name, got, want))


def apply_het(h1, rows):
    """Haplotype 2 rebuilt from haplotype 1 and the truth table."""
    out, by_chr = {}, {}
    for r in rows:
        by_chr.setdefault(r["chrom"], []).append(r)
    for name, s in h1.items():
        parts, i, h2name = [], 0, name + "_h2"
        for r in by_chr.get(name, []):
            p = int(r["pos"]) - 1
            h2name = r["hap2_chrom"]
            parts.append(s[i:p])
            if r["type"] == "SNP":
                assert s[p] == r["ref"], "SNP ref mismatch at %s:%d" % (name, p + 1)
                parts.append(r["alt"])
                i = p + 1
            elif r["type"] == "DEL":
                assert s[p:p + len(r["ref"])] == r["ref"], "DEL ref mismatch at %s:%d" % (name, p + 1)
                i = p + len(r["ref"])
            else:
                parts.append(r["alt"])
                i = p
        parts.append(s[i:])
        out[h2name] = "".join(parts)
    return out


def check_copies(c, g, reps, lib):
    """With zero divergence, the pieces of each TE copy, joined in order, are
    exactly the consensus part it came from (the last copy of a chromosome may
    be cut short to make the length exact, hence the prefix test)."""
    copies = {}
    for r in reps:
        if r["class"] == "TE":
            copies.setdefault(r["copy"], []).append(r)
    bad = 0
    for rows in copies.values():
        rows.sort(key=lambda r: int(r["start"]))
        seq = "".join(g[r["chrom"]][int(r["start"]):int(r["end"])] for r in rows)
        cons = lib[rows[0]["name"]][int(rows[0]["cons_beg"]):int(rows[0]["cons_end"])]
        if rows[0]["strand"] == "-":
            cons = rc(cons)
        bad += not (len(seq) > 0 and cons.startswith(seq))
    c.ok(bad == 0 and len(copies) > 0, "exact copies: %d TE copies, %d differ from their consensus" % (len(copies), bad))


def check_library(c, lib):
    bad = 0
    for name, s in lib.items():
        tr = 0
        with_tr = [l for l in open(c.libpath) if l.startswith(">" + name + " ")]
        for f in with_tr[0].split():
            if f.startswith("terminal_repeat="):
                tr = int(f.split("=")[1])
        if name.endswith("_LTR"):
            bad += s[:tr] != s[-tr:]
        elif name.endswith("_TIR"):
            bad += s[:tr] != rc(s[-tr:])
        elif name.endswith("_LINE"):
            bad += s[-tr:] != "A" * tr
    c.ok(bad == 0, "library: %d families, %d with broken terminal structure" % (len(lib), bad))


def check_spread(c, reps):
    te = [r for r in reps if r["class"] == "TE"]
    divs = [float(r["div"]) for r in te]
    c.ok(min(divs) <= 0.03 and max(divs) >= 0.15, "divergence spread %.3f-%.3f covers 0.03-0.15" % (min(divs), max(divs)))
    kinds = {k: sum(r["kind"] == k for r in te) for k in "Ffs"}
    nested = sum(r["host"] != "." for r in te)
    c.ok(kinds["F"] > 0 and kinds["f"] > 0 and kinds["s"] > 0,
         "copy kinds: full %d, fragments %d, solo LTRs %d" % (kinds["F"], kinds["f"], kinds["s"]))
    c.ok(nested > 0, "nested copies: %d" % nested)
    cls = {r["class"] for r in reps}
    c.ok({"micro", "tandem"} <= cls, "microsatellites and satellites present")


def check_disjoint(c, g, reps):
    """TE, micro and tandem pieces never overlap; every row is inside its chromosome."""
    bad, last = 0, {}
    for r in sorted(reps, key=lambda r: (r["chrom"], int(r["start"]))):
        b, e = int(r["start"]), int(r["end"])
        bad += not (0 <= b < e <= len(g[r["chrom"]]))
        if r["class"] != "segdup":
            bad += b < last.get(r["chrom"], 0)
            last[r["chrom"]] = max(last.get(r["chrom"], 0), e)
    c.ok(bad == 0, "repeats.tsv: %d rows, %d out of bounds or overlapping" % (len(reps), bad))


def check_segdups(c, g, reps, maxdiv):
    sd = {}
    for r in reps:
        if r["class"] == "segdup":
            sd.setdefault(r["name"], []).append(r)
    checked = bad = 0
    for rows in sd.values():
        src = [r for r in rows if r["kind"] == "S"]
        dup = [r for r in rows if r["kind"] == "D"]
        if len(src) != 1 or len(dup) != 1:
            continue            # split by a later duplication: skip
        a = g[src[0]["chrom"]][int(src[0]["start"]):int(src[0]["end"])]
        b = g[dup[0]["chrom"]][int(dup[0]["start"]):int(dup[0]["end"])]
        if dup[0]["strand"] == "-":
            b = rc(b)
        mm = sum(x != y for x, y in zip(a, b))
        checked += 1
        bad += len(a) != len(b) or mm > maxdiv * len(a) + 1
    c.ok(checked > 0 and bad == 0, "segmental duplications: %d checked, %d not copies within %.3f" % (checked, bad, maxdiv))


def main(argv):
    d = argv[1]
    want = dict(a.split("=", 1) for a in argv[2:])
    c = Checker()
    c.libpath = d + "/te-library.fa"
    g = read_fasta(d + "/genome.fa")
    reps = read_tsv(d + "/repeats.tsv")
    L = sum(len(s) for s in g.values())
    gc = sum(s.count("G") + s.count("C") for s in g.values()) / L
    if "len" in want:
        c.ok(L == int(want["len"]), "length %d, asked %s" % (L, want["len"]))
    if "gc" in want:
        c.near("gc", gc, float(want["gc"]))
    # what was asked is the inserted repeat; copies that segmental
    # duplications add on top are left out of the measure
    orig = [r for r in reps if not in_dup(r, reps)]
    if "te" in want:
        c.near("te fraction", union_len([r for r in orig if r["class"] == "TE"]) / L, float(want["te"]))
    if "micro" in want:
        c.near("micro+tandem fraction", union_len([r for r in orig if r["class"] in ("micro", "tandem")]) / L,
               float(want["micro"]))
    check_disjoint(c, g, reps)
    if "het" in want:
        h2 = read_fasta(d + "/hap2.fa")
        truth = read_tsv(d + "/het-truth.tsv")
        c.near("heterozygosity", len(truth) / L, float(want["het"]))
        try:
            rebuilt = apply_het(g, truth)
            c.ok(rebuilt == h2, "hap2.fa == genome.fa + het-truth.tsv (%d sites)" % len(truth))
        except AssertionError as e:
            c.ok(False, "het-truth.tsv does not match genome.fa: %s" % e)
        n_indel = sum(r["type"] != "SNP" for r in truth)
        c.ok(0 < n_indel < len(truth), "het sites: %d SNPs, %d indels" % (len(truth) - n_indel, n_indel))
    lib = read_fasta(c.libpath)
    if lib:
        check_library(c, lib)
    if want.get("exact_copies") == "1":
        check_copies(c, g, reps, lib)
    if want.get("spread") == "1":
        check_spread(c, reps)
    if "segdup_div" in want:
        check_segdups(c, g, reps, float(want["segdup_div"]))
    return c.fail


if __name__ == "__main__":
    sys.exit(main(sys.argv))
