"""The same reads and cores through the established tools from Debian
(installed on demand): KMC3 and Jellyfish against `dactyl count`, minia,
MEGAHIT and ABySS against `dactyl asm`; wall, peak RSS and, for the
assemblers, the evaluator's row."""
import os
import shutil

from . import grid, util, validate

PKG = {'kmc': 'kmc', 'jellyfish': 'jellyfish', 'minia': 'minia', 'megahit': 'megahit', 'abyss-pe': 'abyss'}


def _cmd(tool, reads, cores, k, d, glen):
    lst = os.path.join(d, 'reads.lst')
    with open(lst, 'w') as f:
        f.write('\n'.join(reads) + '\n')
    if tool == 'kmc':
        return ['kmc', '-k31', '-t%d' % cores, '-ci1', '-cs1000000', '-fq', '@' + lst, os.path.join(d, 'db'), d], None
    if tool == 'jellyfish':
        src = ' '.join('<(zcat -f %s)' % r for r in reads)
        return ['bash', '-c', 'jellyfish count -m 31 -C -s 100M -t %d -o %s/db %s' % (cores, d, src)], None
    if tool == 'minia':
        return (['minia', '-in', lst, '-kmer-size', str(k), '-nb-cores', str(cores), '-out', os.path.join(d, 'asm')],
                os.path.join(d, 'asm.contigs.fa'))
    if tool == 'megahit':
        o = os.path.join(d, 'out')
        io = ['-1', reads[0], '-2', reads[1]] if len(reads) == 2 else ['-r', ','.join(reads)]
        return ['megahit'] + io + ['-t', str(cores), '-o', o], os.path.join(o, 'final.contigs.fa')
    if tool == 'abyss-pe':   # Bloom-filter mode (ABySS 2), about 10 bytes a genome base, 1 GB at least
        b = max(1, int(glen * 10 / 1e9 + 0.999)) if glen else 4
        return (['abyss-pe', '-C', d, 'k=%d' % k, 'B=%dG' % b, 'name=asm', 'j=%d' % cores,
                 'in=' + ' '.join(os.path.abspath(r) for r in reads)], os.path.join(d, 'asm-contigs.fa'))
    raise ValueError(tool)


def _ref_len(ref):
    if not ref:
        return None
    n = 0
    with open(ref) as f:
        for line in f:
            if not line.startswith('>'):
                n += len(line.strip())
    return n


def run(tools, reads, cores, k, work, ref, hap2, dactyl, layout, repeat, logdir):
    """Each tool `repeat` times; `dactyl count -k 31` at `layout` as many
    times, the baseline of the counters."""
    rows = []
    glen = _ref_len(ref)
    for tool in tools:
        if not util.which(tool) and not util.apt_install([PKG[tool]]):
            rows.append({'tool': tool, 'error': 'not installed and cannot be installed here (not root?)'})
            continue
        walls, rss, err, contigs = [], [], None, None
        for i in range(repeat):
            d = os.path.join(work, 'peer-%s' % tool)
            shutil.rmtree(d, ignore_errors=True)
            os.makedirs(d)
            cmd, contigs = _cmd(tool, reads, cores, k, d, glen)
            log = os.path.join(logdir, 'peer-%s.log' % tool)
            w, m, rc = util.timed(cmd, log)
            if rc != 0:
                err = 'exit %d (logs/peer-%s.log: %s)' % (rc, tool, ' / '.join(open(log).read().strip().splitlines()[-2:]))
                break
            walls.append(w), rss.append(m)
        row = {'tool': tool, 'kind': 'count' if tool in ('kmc', 'jellyfish') else 'asm',
               'wall_s': util.spread(walls), 'peak_rss_bytes': max(rss) if rss else None, 'error': err,
               'cores': cores, 'command': ' '.join(cmd)}
        if contigs and not err and ref and os.path.exists(contigs):
            row['eval'] = validate.evaluate(ref, hap2, contigs, cores)
        util.say('peer %s: %s' % (tool, err or '%.2f s median' % row['wall_s']['median']))
        rows.append(row)
    base = None
    if any(t in ('kmc', 'jellyfish') for t in tools):
        runs = [grid.one_run(dactyl, layout[0], layout[1], reads, ['-k', '31'], os.path.join(work, 'dy-count'),
                             os.path.join(work, 'dy-count.log'), command='count') for _ in range(repeat)]
        ok = [r for r in runs if r['rc'] == 0]
        base = {'ranks': layout[0], 'threads': layout[1], 'wall_s': util.spread([r['wall_s'] for r in ok]),
                'peak_rss_bytes': max(max(ph['peak_rss_bytes']) for ph in ok[0]['stats']['phases']) if ok else None}
    return rows, base
