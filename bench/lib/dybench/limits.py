"""This machine's physical limits for this job, and dactyl's kernels beside
them: each kernel's rate, its reference's in the same run, and the fraction
of the limit that bounds it."""
import os

from . import grid, util


def measure(build, machine, cores, ranks, reads, logdir):
    """bench_limits at 1 thread and at `cores` threads, bench_a2a at `ranks`
    ranks (when more than one)."""
    lim = os.path.join(build, 'bench', 'bench_limits')
    gz = [r for r in reads if r.endswith('.gz')]
    one = util.json_lines(util.run([lim, '1', str(machine['llc_bytes'])] + gz,
                                   log=os.path.join(logdir, 'limits-1.err')))[0]
    allc = one if cores == 1 else util.json_lines(
        util.run([lim, str(cores), str(machine['llc_bytes'])], log=os.path.join(logdir, 'limits-n.err')))[0]
    out = {
        'triad_GBps_1thread': one['triad_GBps'],
        'triad_GBps': allc['triad_GBps'],
        'random_Mreads_per_s_1thread': one['random_Mreads_per_s'],
        'random_Mreads_per_s': allc['random_Mreads_per_s'],
        'random_table_bytes': allc['random_table_bytes'],
        'latency_ns': one['latency_ns'],
        'inflate': [{'file': i['file'], 'MBps_out': i['MBps_out'], 'MB_in': i['MB_in']} for i in one['inflate']],
        'threads': cores,
        'alltoall': None,
    }
    if ranks > 1:
        a2a = os.path.join(build, 'bench', 'bench_a2a')
        if grid.LAUNCH == 'local':
            cmd = ['mpirun', '-np', str(ranks)] + (['--allow-run-as-root'] if os.geteuid() == 0 else [])
            cmd += (['--oversubscribe'] if ranks > os.cpu_count() else []) + [a2a]
        else:
            cmd = grid.launcher(ranks, 1, a2a)
        a = util.json_lines(util.run(cmd, log=os.path.join(logdir, 'a2a.err')))[0]
        out['alltoall'] = {'ranks': a['ranks'], 'GBps_per_rank': a['GBps_per_rank'],
                           'bytes_per_rank': a['bytes_per_rank'], 'mpi_library': a['mpi_library']}
    return out


# which limit bounds each kernel, and how its rate becomes that limit's unit
def _limit_of(k, lim):
    n = k['kernel']
    if n == 'parse':   # one pass over the FASTQ bytes, one thread
        return 'triad_GBps_1thread', lim['triad_GBps_1thread'], k['opt']
    if n == 'cut':     # one byte of read a k-mer, one thread
        return 'triad_GBps_1thread', lim['triad_GBps_1thread'], k['opt'] * 1e6 / 1e9
    # count, compact, merge: one random probe an insert, k-mer or fragment
    return 'random_Mreads_per_s', lim['random_Mreads_per_s'], k['opt']


def kernels(build, machine, cores, reads, k, logdir):
    kern = os.path.join(build, 'bench', 'bench_kern')
    rows = util.json_lines(util.run([kern, str(cores), str(machine['l2_bytes']), str(machine['llc_bytes']),
                                     reads[0], str(k)], log=os.path.join(logdir, 'kernels.err')))
    return rows


def fractions(rows, lim):
    """Each kernel's figure as a fraction of its limit (a cache-resident
    count can pass the DRAM ceiling: above 1 says the table is in cache);
    without limits (--no-limits) the fraction and the limit are None."""
    out = []
    for r in rows:
        name, val, rate = _limit_of(r, lim) if lim else (None, None, None)
        d = dict(r)
        d['name'] = r['kernel'] + ('' if r.get('point') is None else '-%s' % _point_name(r))
        d['ratio_to_ref'] = (r['opt'] / r['ref']) if r.get('ref') else None
        d['per_thread'] = r['opt'] / r['threads']
        d['limit'] = name
        d['limit_value'] = val
        d['fraction_of_limit'] = rate / val if val else None
        out.append(d)
    return out


def _point_name(r):
    b = r['table_bytes']
    return '%.1fMiB' % (b / 1048576.0)
