"""Whether a run's numbers count.  VALID only if every check passes: the
contigs are byte-identical at every grid point and repeat, every contig
k-mer is solid in an independent recount (KMC3, not dactyl's code), the
recount's distinct and solid k-mers equal dactyl's, and against the set's
reference the evaluator's genome fraction and misassemblies meet the
thresholds stored with the dataset (datasets/thresholds.tsv).  Without a
reference the verdict is UNVALIDATED, never VALID."""
import fnmatch
import json
import os
import shutil

from . import util


def thresholds(name, path=None):
    path = path or os.path.join(util.ROOT, 'datasets', 'thresholds.tsv')
    try:
        for line in open(path):
            f = line.rstrip('\n').split('\t')
            if line.startswith('#') or len(f) < 3:
                continue
            if fnmatch.fnmatch(name, f[0]):
                return {'min_genome_fraction': float(f[1]), 'max_misassemblies': int(f[2]), 'from': path}
    except OSError:
        pass
    return None


def recount(point, reads, work, threads, mem_gb):
    """KMC3 over the same reads at dactyl's k and solid threshold, and over
    the contigs; the contig k-mers that are not solid in the reads."""
    if not util.which('kmc'):
        util.apt_install(['kmc'])
    if not util.which('kmc'):
        return None, 'kmc (KMC3) is not installed: no independent recount'
    d = os.path.join(work, 'recount')
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    k, t = str(point['k']), point['threshold']
    lst = os.path.join(d, 'reads.lst')
    with open(lst, 'w') as f:
        f.write('\n'.join(reads) + '\n')
    fmt = '-fm' if all(r.endswith(('.fa', '.fa.gz', '.fasta', '.fasta.gz')) for r in reads) else '-fq'
    base = ['-k' + k, '-t%d' % threads, '-m%d' % mem_gb]
    text = util.run(['kmc'] + base + ['-ci%d' % t, '-cs1000000000', fmt, '@' + lst, os.path.join(d, 'reads'), d],
                    log=os.path.join(d, 'kmc-reads.log'))
    contigs = os.path.join(point['median_run']['out'], 'contigs.fa')
    util.run(['kmc'] + base + ['-ci1', '-fm', contigs, os.path.join(d, 'ctg'), d], log=os.path.join(d, 'kmc-ctg.log'))
    util.run(['kmc_tools', 'simple', os.path.join(d, 'ctg'), os.path.join(d, 'reads'), 'kmers_subtract',
              os.path.join(d, 'bad')], log=os.path.join(d, 'kmc-tools.log'))
    util.run(['kmc_tools', 'transform', os.path.join(d, 'bad'), 'dump', os.path.join(d, 'bad.txt')],
             log=os.path.join(d, 'kmc-dump.log'))
    bad = sum(1 for _ in open(os.path.join(d, 'bad.txt')))
    stats = {}
    for line in text.splitlines():
        if 'No. of unique k-mers' in line:
            stats['distinct'] = int(line.split(':')[1])
        elif 'No. of unique counted k-mers' in line:
            stats['solid'] = int(line.split(':')[1])
    return {'tool': 'kmc', 'k': point['k'], 'threshold': t, 'contig_kmers_not_solid': bad,
            'distinct': stats.get('distinct'), 'solid': stats.get('solid')}, None


def evaluate(ref, hap2, contigs, threads):
    ev = os.path.join(util.ROOT, 'bench', 'eval', 'dy-eval')
    cmd = [ev, '--json', '-t', str(threads), ref] + ([hap2] if hap2 else []) + [contigs]
    return json.loads(util.run(cmd))


def verdict(points, recount_row, recount_why, ev, thr, weak=()):
    checks = []

    def check(name, ok, detail):
        checks.append({'name': name, 'pass': bool(ok), 'detail': detail})

    failed = [(p['ranks'], p['threads'], e) for p in list(points) + list(weak) for e in p['failed']]
    check('every run finished', not failed,
          'all runs exited 0' if not failed else '; '.join('%dx%d: %s' % f for f in failed))
    shas = sorted({s for p in points for s in p['contigs_sha256']})
    check('contigs identical at every grid point and repeat', len(shas) == 1,
          '1 contigs.fa (sha256 %s...)' % shas[0][:16] if len(shas) == 1 else '%d different contigs.fa' % len(shas))
    if recount_row:
        check('every contig k-mer solid in an independent recount (KMC3)', recount_row['contig_kmers_not_solid'] == 0,
              '%d contig k-mers below the threshold %d at k=%d' % (recount_row['contig_kmers_not_solid'],
                                                                  recount_row['threshold'], recount_row['k']))
        p = [q for q in points if q.get('distinct_kmers') is not None][0]
        check('distinct and solid k-mers equal the recount',
              recount_row['distinct'] == p['distinct_kmers'] and recount_row['solid'] == p['solid_kmers'],
              'dactyl %s distinct, %s solid; KMC3 %s, %s' % (p['distinct_kmers'], p['solid_kmers'],
                                                           recount_row['distinct'], recount_row['solid']))
    for w in weak:
        if w.get('eval') and w.get('thresholds'):
            ok = (w['eval']['genome_fraction'] >= w['thresholds']['min_genome_fraction'] and
                  w['eval']['misassemblies'] <= w['thresholds']['max_misassemblies'])
            check('weak-scaling set at %d rank(s) assembles' % w['ranks'], ok,
                  'genome fraction %.3f%%, %d misassemblies' % (w['eval']['genome_fraction'], w['eval']['misassemblies']))
    if ev is not None and thr is not None:
        check('genome fraction >= %.1f%%' % thr['min_genome_fraction'],
              ev['genome_fraction'] >= thr['min_genome_fraction'], '%.3f%%' % ev['genome_fraction'])
        check('misassemblies <= %d' % thr['max_misassemblies'], ev['misassemblies'] <= thr['max_misassemblies'],
              '%d' % ev['misassemblies'])
    why = [c['name'] + ': ' + c['detail'] for c in checks if not c['pass']]
    if why:
        v = 'INVALID'
    elif recount_row is None or ev is None or thr is None:
        v = 'UNVALIDATED'
        why = [r for r in (recount_why,
                           None if ev is not None else 'no reference genome: the evaluator cannot judge the contigs',
                           None if thr is not None or ev is None else 'no thresholds stored for this dataset')
               if r]
    else:
        v = 'VALID'
    return {'verdict': v, 'reasons': why, 'checks': checks}
