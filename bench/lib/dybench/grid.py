"""dactyl runs over a grid of ranks x threads (strong scaling: the same
reads), and over inputs that grow with the ranks (weak scaling)."""
import os
import re
import shutil

from . import util

RUNLOCAL = os.path.join(util.ROOT, 'pipelines', 'run-local.sh')
LAUNCH = 'local'   # local (pipelines/run-local.sh), srun or mpirun (inside an allocation)


def launcher(ranks, threads, dactyl):
    """The command line that starts `ranks` ranks of `threads` threads."""
    if LAUNCH == 'srun':   # the plugin as the Slurm scripts take it (DACTYL_MPI, default pmix)
        return ['srun', '--mpi=' + os.environ.get('DACTYL_MPI', 'pmix'), '-n', str(ranks), '-c', str(threads),
                '--cpu-bind=cores', '--export=ALL,OMP_NUM_THREADS=%d' % threads, dactyl]
    if LAUNCH == 'mpirun':
        c = ['mpirun', '-np', str(ranks), '-x', 'OMP_NUM_THREADS=%d' % threads, '--map-by', 'slot:PE=%d' % threads,
             '--bind-to', 'core']
        if os.geteuid() == 0:
            c.append('--allow-run-as-root')
        return c + [dactyl]
    return [RUNLOCAL, '-n', str(ranks), '-t', str(threads), '-b', dactyl, '--']


def _log_facts(log):
    hosts, pins = None, []
    try:
        for line in open(log):
            m = re.search(r'\[M::hosts[^\]]*\] (\d+) rank\(s\) on (\d+) host\(s\): (.*)', line)
            if m:
                hosts = {'ranks': int(m.group(1)), 'hosts': int(m.group(2)), 'layout': m.group(3).strip()}
            m = re.search(r'\[M::pin[^\]]*\] rank (\d+): (.*)', line)
            if m:
                pins.append({'rank': int(m.group(1)), 'binding': m.group(2).strip()})
    except OSError:
        pass
    return hosts, pins


def one_run(dactyl, ranks, threads, reads, args, out, log, command='asm'):
    """One dactyl run through pipelines/run-local.sh; what the report keeps of it."""
    if os.path.exists(out):
        shutil.rmtree(out)
    # --phase-peaks: each phase's own peak in stats.json (the process peak
    # stays there as peak_rss_bytes; an outside `time` would see the last phase's)
    cmd = launcher(ranks, threads, dactyl) + [command, '--phase-peaks', '-o', out] + args + reads
    wall, _, rc = util.timed(cmd, log)
    r = {'ranks': ranks, 'threads': threads, 'wall_s': wall, 'rc': rc, 'log': log, 'out': out}
    if rc != 0:
        tail = open(log).read().strip().splitlines()[-3:]
        r['error'] = ' / '.join(tail)
        return r
    try:
        st = util.load_json(os.path.join(out, 'stats.json'))
    except (OSError, ValueError) as e:
        r['rc'], r['error'] = -1, 'exit 0 but no readable stats.json (%s)' % e
        return r
    r['stats'] = st
    r['hosts'], r['binding'] = _log_facts(log)
    cf = os.path.join(out, 'contigs.fa')
    r['contigs_sha256'] = util.sha256(cf) if os.path.exists(cf) else None
    if command == 'asm' and r['contigs_sha256'] is None:   # exit 0 without contigs: a failure
        r['rc'], r['error'] = -1, 'exit 0 but no contigs.fa in ' + out
    return r


def summarise(runs, reads_bases=None):
    """A grid point from its repeats: the median run's details, every
    repeat's wall."""
    ok = [r for r in runs if r['rc'] == 0]
    p = {'ranks': runs[0]['ranks'], 'threads': runs[0]['threads'],
         'cores': runs[0]['ranks'] * runs[0]['threads'],
         'repeats': len(runs), 'walls_s': [round(r['wall_s'], 3) for r in runs],
         'failed': [r.get('error') for r in runs if r['rc'] != 0],
         'contigs_sha256': sorted({r.get('contigs_sha256') for r in ok if r.get('contigs_sha256')})}
    if not ok:
        return p
    p['wall_s'] = util.spread([r['wall_s'] for r in ok])
    med = sorted(ok, key=lambda r: r['wall_s'])[len(ok) // 2]
    st = med['stats']
    rk = st['ranks']
    bases = sum(l['bases'] for l in st.get('libraries', [])) or sum(rk['bases'])
    wall = p['wall_s']['median']
    tb = sum(rk['table_bytes'])
    km = st['kmers']
    p.update({
        'k': st['options']['k'],
        'threshold': km['threshold'],
        'read_bases': bases,
        'reads': sum(rk['reads']),
        'distinct_kmers': km['distinct'],
        'solid_kmers': km['solid'],
        'contigs': st['contigs'],
        'throughput_Gbases_per_s': bases / wall / 1e9,
        'kmers_per_s_per_core': sum(rk['kmer_occurrences']) / wall / p['cores'],
        'table_bytes': tb,
        'bytes_per_distinct_kmer': tb / km['distinct'] if km['distinct'] else None,
        'bytes_per_solid_kmer': tb / km['solid'] if km['solid'] else None,
        'rank0_alone_s': st.get('rank0_alone_s'),
        'rank0_share': (st['rank0_alone_s'] / st['wall_s']) if st.get('wall_s') else None,
        'dactyl_wall_s': st.get('wall_s'),
        'startup_s': wall - st['wall_s'] if st.get('wall_s') else None,
        'hosts': med.get('hosts'),
        'binding': med.get('binding'),
        'phases': [{'name': ph['name'],
                    'wall_s': ph['wall_s'],
                    'wall_s_over_ranks': util.spread(ph['wall_s']),
                    'peak_rss_bytes': ph['peak_rss_bytes'],
                    'peak_rss_over_ranks': util.spread(ph['peak_rss_bytes']),
                    # the phase's own peak and its RSS at the start (dactyl >= this commit)
                    'phase_peak_rss_bytes': ph.get('phase_peak_rss_bytes'),
                    'rss_at_start_bytes': ph.get('rss_at_start_bytes')}
                   for ph in st['phases']],
        'balance': {n: _balance(rk[n]) for n in ('kmer_occurrences', 'distinct_kmers', 'bytes_sent', 'reads')
                    if n in rk},
        'partitions': st.get('balance', {}).get('partitions'),
        'idle_ranks': st.get('balance', {}).get('idle_ranks'),
        'median_run': {'out': med['out'], 'log': med['log']},
    })
    per_rank = [max(ph['peak_rss_bytes'][i] for ph in st['phases']) for i in range(p['ranks'])]
    p['peak_rss_bytes_per_rank'] = per_rank
    p['peak_rss_over_ranks'] = util.spread(per_rank)
    return p


def _balance(v):
    m = sum(v) / len(v) if v else 0
    return {'max': max(v), 'mean': m, 'max_over_mean': (max(v) / m) if m else None}


def efficiency(points, weak=False):
    """Parallel efficiency against the smallest run: T1 c1 / (Tp cp) for the
    same reads (strong scaling); T1 / Tp when the input grows with the
    cores (weak scaling)."""
    ok = [p for p in points if p.get('wall_s')]
    if not ok:
        return
    base = min(ok, key=lambda p: (p['cores'], p['wall_s']['median']))
    for p in ok:
        p['speedup'] = base['wall_s']['median'] / p['wall_s']['median']
        p['efficiency'] = p['speedup'] * (1 if weak else base['cores'] / p['cores'])
    return base


def run_grid(dactyl, layout, reads, args, work, repeat, warmup):
    """Every point `repeat` times, interleaved (drift spreads over all of
    them), after `warmup` discarded runs of the first point."""
    runs = {pt: [] for pt in layout}
    os.makedirs(work, exist_ok=True)
    for i in range(warmup):
        util.say('warm-up: %dx%d' % layout[0])
        one_run(dactyl, layout[0][0], layout[0][1], reads, args, os.path.join(work, 'warm'),
                os.path.join(work, 'warm.log'))
    for rep in range(repeat):
        for (r, t) in layout:
            tag = '%dx%d.%d' % (r, t, rep)
            res = one_run(dactyl, r, t, reads, args, os.path.join(work, 'run-' + tag),
                          os.path.join(work, 'run-' + tag + '.log'))
            util.say('%s: %.2f s%s' % (tag, res['wall_s'], '' if res['rc'] == 0 else ' FAILED (exit %d)' % res['rc']))
            runs[(r, t)].append(res)
    points = [summarise(runs[pt]) for pt in layout]
    for pt, p in zip(layout, points):   # keep the median run's folder only
        keep = p.get('median_run', {}).get('out')
        for r in runs[pt]:
            if r['out'] != keep and os.path.isdir(r['out']):
                shutil.rmtree(r['out'])
    return points


def weak_sets(sizes_mb, ranks):
    """datasets/data/weak-N: the bact recipe at N Mb (mkset.sh), one per rank count."""
    out = []
    for r in ranks:
        name = 'weak-%d' % (r * sizes_mb)
        d = os.path.join(util.ROOT, 'datasets', 'data', name)
        if not os.path.exists(os.path.join(d, 'SHA256SUMS')):
            util.say('making ' + name + ' (the bact recipe, %d Mb)' % (r * sizes_mb))
            util.run(['make', '-s', '-C', os.path.join(util.ROOT, 'datasets'), 'palmgen'])
            util.run(['sh', os.path.join(util.ROOT, 'datasets', 'mkset.sh'), name])
        out.append((r, d))
    return out
