"""report.json, report.csv, the printed summary and the headline."""
import csv
import json
import os

SCHEMA = 'dactyl-bench/1'


def headline(points, verdict, dataset, hosts):
    """The figure to quote: read bases assembled per second per node at the
    best grid point, with the per-core figure beside it; none unless VALID."""
    if verdict != 'VALID':
        return None
    ok = [p for p in points if p.get('throughput_Gbases_per_s')]
    best = max(ok, key=lambda p: p['throughput_Gbases_per_s'])
    per_core = max(ok, key=lambda p: p['throughput_Gbases_per_s'] / p['cores'])
    nodes = max(1, hosts or 1)
    v = best['throughput_Gbases_per_s'] / nodes
    return {
        'figure': 'assembly throughput',
        'Gbases_per_s_per_node': v,
        'Gbases_per_s_per_core': best['throughput_Gbases_per_s'] / best['cores'],
        'nodes': nodes,
        'point': {'ranks': best['ranks'], 'threads': best['threads']},
        'best_per_core_point': {'ranks': per_core['ranks'], 'threads': per_core['threads'],
                                'Gbases_per_s_per_core': per_core['throughput_Gbases_per_s'] / per_core['cores']},
        'text': 'assembly throughput: %.4f Gbases of reads per second per node (%s, %d rank%s x %d thread%s, VALID); '
                '%.4f Gbases/s per core' % (v, dataset, best['ranks'], 's' if best['ranks'] > 1 else '',
                                            best['threads'], 's' if best['threads'] > 1 else '',
                                            best['throughput_Gbases_per_s'] / best['cores']),
    }


def figures(rep):
    """Every figure as one row: id, median, min, max, unit, better (higher or
    lower).  The CSV holds these rows and bench/compare reads them."""
    rows = []

    def add(fid, val, unit, better, lo=None, hi=None):
        if val is None:
            return
        rows.append({'id': fid, 'median': val, 'min': lo if lo is not None else val,
                     'max': hi if hi is not None else val, 'unit': unit, 'better': better})

    for p in rep['grid']:
        tag = 'grid.%dx%d' % (p['ranks'], p['threads'])
        w = p.get('wall_s')
        if not w:
            continue
        add(tag + '.wall_s', w['median'], 's', 'lower', w['min'], w['max'])
        add(tag + '.throughput_Gbases_per_s', p['throughput_Gbases_per_s'], 'Gbases/s', 'higher',
            p['read_bases'] / w['max'] / 1e9, p['read_bases'] / w['min'] / 1e9)
        add(tag + '.kmers_per_s_per_core', p['kmers_per_s_per_core'], 'k-mers/s', 'higher')
        add(tag + '.efficiency', p.get('efficiency'), 'fraction', 'higher')
        add(tag + '.peak_rss_bytes_max_rank', p['peak_rss_over_ranks']['max'], 'bytes', 'lower')
        add(tag + '.bytes_per_distinct_kmer', p['bytes_per_distinct_kmer'], 'bytes', 'lower')
        add(tag + '.bytes_per_solid_kmer', p['bytes_per_solid_kmer'], 'bytes', 'lower')
        add(tag + '.rank0_share', p['rank0_share'], 'fraction', 'lower')
        for ph in p['phases']:
            s = ph['wall_s_over_ranks']
            add('%s.phase.%s.wall_s' % (tag, ph['name']), s['median'], 's', 'lower', s['min'], s['max'])
    for p in rep.get('weak', []):
        if p.get('wall_s'):
            add('weak.%dx%d.wall_s' % (p['ranks'], p['threads']), p['wall_s']['median'], 's', 'lower',
                p['wall_s']['min'], p['wall_s']['max'])
            add('weak.%dx%d.efficiency' % (p['ranks'], p['threads']), p.get('efficiency'), 'fraction', 'higher')
    lim = rep.get('limits')
    if lim:
        add('limits.triad_GBps', lim['triad_GBps'], 'GB/s', 'higher')
        add('limits.triad_GBps_1thread', lim['triad_GBps_1thread'], 'GB/s', 'higher')
        add('limits.random_Mreads_per_s', lim['random_Mreads_per_s'], 'M/s', 'higher')
        add('limits.latency_ns', lim['latency_ns'], 'ns', 'lower')
        for i in lim['inflate']:
            add('limits.inflate_MBps.' + os.path.basename(i['file']), i['MBps_out'], 'MB/s', 'higher')
        if lim.get('alltoall'):
            add('limits.alltoall_GBps_per_rank', lim['alltoall']['GBps_per_rank'], 'GB/s', 'higher')
    for k in rep.get('kernels', []):
        add('kernel.%s.opt' % k['name'], k['opt'], k['unit'], 'higher')
        add('kernel.%s.ratio_to_ref' % k['name'], k.get('ratio_to_ref'), 'x', 'higher')
        add('kernel.%s.fraction_of_limit' % k['name'], k.get('fraction_of_limit'), 'fraction', 'higher')
    for r in rep.get('peers', {}).get('tools', []):
        if r.get('wall_s'):
            add('peer.%s.wall_s' % r['tool'], r['wall_s']['median'], 's', 'lower', r['wall_s']['min'], r['wall_s']['max'])
            add('peer.%s.dactyl_speedup' % r['tool'], r.get('dactyl_speedup'), 'x', 'higher')
    h = rep.get('headline')
    if h:
        add('headline.Gbases_per_s_per_node', h['Gbases_per_s_per_node'], 'Gbases/s', 'higher')
        add('headline.Gbases_per_s_per_core', h['Gbases_per_s_per_core'], 'Gbases/s', 'higher')
    hv = rep.get('harness')
    if hv:
        add('harness.overhead', hv['overhead'], 'fraction', 'lower')
    return rows


def write(rep, outdir):
    rep['figures'] = figures(rep)
    with open(os.path.join(outdir, 'report.json.part'), 'w') as f:
        json.dump(rep, f, indent=1, sort_keys=False)
        f.write('\n')
    os.replace(os.path.join(outdir, 'report.json.part'), os.path.join(outdir, 'report.json'))
    with open(os.path.join(outdir, 'report.csv.part'), 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=['id', 'median', 'min', 'max', 'unit', 'better'], lineterminator='\n')
        w.writeheader()
        for r in rep['figures']:
            w.writerow(r)
    os.replace(os.path.join(outdir, 'report.csv.part'), os.path.join(outdir, 'report.csv'))


def _mb(b):
    return '%.1f MiB' % (b / 1048576.0) if b >= 1048576 else '%.0f KiB' % (b / 1024.0)


def summary(rep):
    """HPCG-style: sections of key=value lines, the verdict, the headline."""
    L = []
    r = rep['repeatable']
    m = rep['machine']
    t = m['topology']
    L.append('dactyl benchmark report (%s)' % SCHEMA)
    L.append('Run: %s' % r['command'])
    L.append('  host=%s date=%s commit=%s%s' % (r['host'], r['date'], (r['commit'] or '?')[:12], ' (dirty)' if r['dirty'] else ''))
    L.append('  compiler=%s' % r['compiler'])
    L.append('  mpi=%s  %s' % (r['mpi'], r['dactyl']))
    L.append('Machine: %s; %d package(s), %d cores, %d PUs, %d NUMA node(s), %s memory' % (
        m['cpu_model'], t['packages'], t['cores'], t['pus'], t['numa_nodes'], _mb(m['memory_bytes'] or 0)))
    L.append('  caches: ' + ', '.join('L%d %s x%d' % (c['level'], _mb(c['bytes']), c['count']) for c in t['caches']))
    d = rep['dataset']
    L.append('Dataset: %s (%s read bases in %d file(s))' % (d['name'], '{:,}'.format(d['read_bases'] or 0), len(d['reads'])))
    lim = rep.get('limits')
    if lim:
        L.append('Limits: triad %.1f GB/s (%.1f on 1 thread); random reads %.1f M/s into %s; latency %.0f ns; inflate %s; all-to-all %s' % (
            lim['triad_GBps'], lim['triad_GBps_1thread'], lim['random_Mreads_per_s'], _mb(lim['random_table_bytes']),
            lim['latency_ns'], ', '.join('%.0f MB/s' % i['MBps_out'] for i in lim['inflate']) or '-',
            ('%.2f GB/s per rank at %d ranks' % (lim['alltoall']['GBps_per_rank'], lim['alltoall']['ranks']))
            if lim.get('alltoall') else '-'))
    for k in rep.get('kernels', []):
        L.append('Kernel %-16s %9.3f %-16s ref %-9s x%-6s %5.1f%% of %s%s' % (
            k['name'], k['opt'], k['unit'], '%.3f' % k['ref'] if k.get('ref') else '-',
            '%.2f' % k['ratio_to_ref'] if k.get('ratio_to_ref') else '-',
            100 * (k.get('fraction_of_limit') or 0), k['limit'], '' if k['valid'] else '  INVALID'))
    L.append('Grid (strong scaling, %d repeat(s) after %d warm-up):' % (rep['settings']['repeat'], rep['settings']['warmup']))
    L.append('  %-6s %-26s %-10s %-10s %-12s %-10s %-10s %s' % ('RxT', 'wall s (min/med/max)', 'Gbases/s', 'efficiency',
                                                               'peak RSS/rank', 'B/distinct', 'B/solid', 'rank0 share'))
    for p in rep['grid']:
        if not p.get('wall_s'):
            L.append('  %dx%d    FAILED: %s' % (p['ranks'], p['threads'], '; '.join(p['failed'])))
            continue
        w = p['wall_s']
        L.append('  %-6s %-26s %-10.4f %-10.2f %-12s %-10.1f %-10.1f %.1f%%' % (
            '%dx%d' % (p['ranks'], p['threads']), '%.2f / %.2f / %.2f' % (w['min'], w['median'], w['max']),
            p['throughput_Gbases_per_s'], p.get('efficiency', 0), _mb(p['peak_rss_over_ranks']['max']),
            p['bytes_per_distinct_kmer'], p['bytes_per_solid_kmer'], 100 * (p['rank0_share'] or 0)))
    if rep.get('weak'):
        L.append('Weak scaling (%d Mb of genome a rank):' % rep['settings']['weak_mb'])
        for p in rep['weak']:
            if p.get('wall_s'):
                L.append('  %dx%d  %s: wall %.2f s median, efficiency %.2f' % (p['ranks'], p['threads'], p['dataset'],
                                                                           p['wall_s']['median'], p.get('efficiency', 0)))
    pe = rep.get('peers')
    if pe:
        for t in pe['tools']:
            if t.get('error'):
                L.append('Peer %-10s %s' % (t['tool'], t['error']))
                continue
            e = t.get('eval')
            L.append('Peer %-10s wall %.2f s, peak RSS %s; dactyl is %.2fx as fast%s' % (
                t['tool'], t['wall_s']['median'], _mb(t['peak_rss_bytes']), t.get('dactyl_speedup') or 0,
                ('; genome fraction %.3f%%, NGA50 %s, %d misassemblies' % (e['genome_fraction'], e['NGA50'], e['misassemblies']))
                if e else ''))
    v = rep['validation']
    L.append('Validation: %s' % v['verdict'])
    for c in v['checks']:
        L.append('  [%s] %s: %s' % ('pass' if c['pass'] else 'FAIL', c['name'], c['detail']))
    for w in v['reasons']:
        L.append('  why: ' + w)
    h = rep.get('headline')
    L.append('Headline: ' + (h['text'] if h else 'none (%s)' % v['verdict']))
    hv = rep.get('harness')
    if hv:
        L.append('Harness: %.1f s in all, %.1f s inside the timed runs (overhead %.1f%%)' % (
            hv['wall_s'], hv['timed_s'], 100 * hv['overhead']))
    return '\n'.join(L)
