"""The report's PNG plots, drawn by gnuplot (Debian's gnuplot-nox) from
data files written beside them (kept, so a plot can be redrawn)."""
import os
import subprocess

from . import util


def _gp(outdir, name, script):
    path = os.path.join(outdir, name + '.gp')
    with open(path, 'w') as f:
        f.write('set terminal pngcairo size 900,560 font "sans,10"\n')
        f.write('set output "%s.png"\n' % name)
        f.write(script)
    p = subprocess.run(['gnuplot', name + '.gp'], cwd=outdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise RuntimeError('gnuplot %s: %s' % (path, p.stderr.strip()[-500:]))
    return name + '.png'


def phases(rep, outdir, point):
    names = [ph['name'] for ph in point['phases']]
    with open(os.path.join(outdir, 'phases.dat'), 'w') as f:
        f.write('# rank ' + ' '.join(names) + '\n')
        for i in range(point['ranks']):
            f.write('%d %s\n' % (i, ' '.join('%.4f' % ph['wall_s'][i] for ph in point['phases'])))
    cols = ', '.join('"phases.dat" using %d%s title "%s"' % (j + 2, ':xtic(1)' if j == 0 else '', n)
                     for j, n in enumerate(names))
    return _gp(outdir, 'phases', '''set title "Phase breakdown per rank: %s, %d rank(s) x %d thread(s) (median run)"
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.6
set xlabel "rank"
set ylabel "wall time (s)"
set key outside right
set yrange [0:*]
plot %s
''' % (rep['dataset']['name'], point['ranks'], point['threads'], cols))


def scaling(rep, outdir):
    with open(os.path.join(outdir, 'scaling.dat'), 'w') as f:
        f.write('# cores ranks threads wall_min wall_median wall_max efficiency label\n')
        for p in sorted([p for p in rep['grid'] if p.get('wall_s')], key=lambda p: (p['cores'], p['ranks'])):
            w = p['wall_s']
            f.write('%d %d %d %.4f %.4f %.4f %.4f "%dx%d"\n' % (p['cores'], p['ranks'], p['threads'], w['min'],
                                                               w['median'], w['max'], p.get('efficiency', 0),
                                                               p['ranks'], p['threads']))
    weak = [p for p in rep.get('weak', []) if p.get('wall_s')]
    with open(os.path.join(outdir, 'weak.dat'), 'w') as f:
        f.write('# ranks wall_median efficiency\n')
        for p in weak:
            f.write('%d %.4f %.4f\n' % (p['ranks'], p['wall_s']['median'], p.get('efficiency', 0)))
    wk = ', "weak.dat" using 1:3 axes x1y2 with linespoints lw 2 pt 9 title "weak-scaling efficiency (ranks)"' if weak else ''
    return _gp(outdir, 'scaling', '''set title "Scaling: %s (wall min/median/max; efficiency against the smallest run)"
set xlabel "cores (ranks x threads)"
set ylabel "wall time (s)"
set y2label "parallel efficiency"
set y2tics
set ytics nomirror
set yrange [0:*]
set y2range [0:1.2]
set xtics 1
set key top right box opaque
set offsets 0.4, 0.6, 0, 0
plot "scaling.dat" using 1:5:4:6 with yerrorbars pt 7 ps 1.2 title "wall (strong scaling)", \\
     "" using 1:5:8 with labels offset 2.2,0.6 notitle, \\
     "" using 1:7 axes x1y2 with points pt 5 ps 1.3 title "strong-scaling efficiency", \\
     "" using 1:7:8 axes x1y2 with labels offset 2.6,-0.2 tc rgb "#3070c0" notitle%s
''' % (rep['dataset']['name'], wk))


def spectrum(rep, outdir, point):
    src = os.path.join(point['median_run']['out'], 'kmer-histogram.tsv')
    rows = [l.split('\t') for l in open(src) if not l.startswith('#')]
    with open(os.path.join(outdir, 'spectrum.dat'), 'w') as f:
        f.write('# count distinct_kmers (from %s)\n' % os.path.basename(src))
        for r in rows:
            if int(r[1]) > 0:
                f.write('%s %s\n' % (r[0], r[1]))
    t = point['threshold']
    return _gp(outdir, 'spectrum', '''set title "k-mer spectrum: %s, k=%d, solid threshold %d (%s solid of %s distinct)"
set logscale xy
set xlabel "k-mer count"
set ylabel "distinct k-mers"
set xrange [1:*]
set arrow from %d, graph 0 to %d, graph 1 nohead lw 2 lc rgb "red"
set label "threshold %d" at %d, graph 0.92 offset 1,0 tc rgb "red"
plot "spectrum.dat" using 1:2 with linespoints pt 7 ps 0.5 title "k-mers at each count"
''' % (rep['dataset']['name'], point['k'], t, '{:,}'.format(point['solid_kmers']), '{:,}'.format(point['distinct_kmers']),
       t, t, t, t))


def kernels(rep, outdir):
    ks = rep.get('kernels', [])
    with open(os.path.join(outdir, 'kernels.dat'), 'w') as f:
        f.write('# kernel fraction_of_limit limit\n')
        for k in ks:
            f.write('"%s" %.5f "%s"\n' % (k['name'], k.get('fraction_of_limit') or 0, k['limit']))
    return _gp(outdir, 'kernels', '''set title "Kernels as a fraction of this machine's limit (parse, cut: 1-thread triad; count, compact, merge: random reads; exchange: all-to-all)"
set style data histograms
set style fill solid 0.85 border -1
set boxwidth 0.7
set logscale y
set yrange [*:10]
set ylabel "fraction of the limit (log)"
set xtics rotate by -30
set grid ytics
set arrow from graph 0, first 1 to graph 1, first 1 nohead dt 2 lc rgb "red"
plot "kernels.dat" using 2:xtic(1) title "kernel / limit"
''')


def draw(rep, outdir, point):
    if not util.which('gnuplot'):
        util.apt_install(['gnuplot-nox'])
    if not util.which('gnuplot'):
        return [], 'gnuplot is not installed: no plots'
    todo = [('phases', lambda: phases(rep, outdir, point)), ('scaling', lambda: scaling(rep, outdir)),
            ('spectrum', lambda: spectrum(rep, outdir, point))]
    if any(k.get('fraction_of_limit') for k in rep.get('kernels', [])):   # not with --no-limits
        todo.append(('kernels', lambda: kernels(rep, outdir)))
    out, why = [], []
    for name, draw_one in todo:
        try:
            out.append(draw_one())
        except (RuntimeError, OSError, KeyError, ValueError) as e:
            why.append('%s: %s' % (name, e))
    return out, '; '.join(why) or None
