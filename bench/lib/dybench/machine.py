"""The machine, the toolchain, and what makes a report repeatable."""
import datetime
import os
import platform
import socket
import subprocess

from . import util


def _first_line(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        return out.strip().splitlines()[0] if out.strip() else None
    except OSError:
        return None


def _mem_total():
    try:
        for line in open('/proc/meminfo'):
            if line.startswith('MemTotal:'):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _cpu_model():
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def describe(build):
    """hwloc's topology (bench_machine), the memory and the CPU model."""
    topo = util.json_lines(util.run([os.path.join(build, 'bench', 'bench_machine')]))[0]
    caches = {c['level']: c for c in topo['caches'] if c['type'] != 'instruction'}
    l2 = caches.get(2, {}).get('bytes') or 1 << 20
    llc = caches[max(caches)]['bytes'] if caches else 32 << 20
    return {
        'topology': topo,
        'cpu_model': _cpu_model(),
        'memory_bytes': _mem_total(),
        'l2_bytes': l2,
        'llc_bytes': llc,
        'os': platform.platform(),
    }


def repeatable(argv, dactyl):
    """The command line, host, date, commit, compiler, flags, MPI and the
    libraries dactyl was built with: what a report needs to be run again."""
    commit = _first_line(['git', '-C', util.ROOT, 'rev-parse', 'HEAD'])
    dirty = subprocess.run(['git', '-C', util.ROOT, 'status', '--porcelain', '--untracked-files=no'],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip() != ''
    flags = _first_line(['make', '-s', '-C', util.ROOT, 'print-flags'])
    libs = subprocess.run([dactyl, 'version'], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True).stdout.strip().splitlines()
    return {
        'command': ' '.join(argv),
        'host': socket.gethostname(),
        'date': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'commit': commit,
        'dirty': dirty,
        'compiler': _first_line([os.environ.get('CC', 'cc'), '--version']),
        'flags': flags,
        'mpi': _first_line(['mpirun', '--version']),
        'dactyl': libs[0] if libs else None,
        'libraries': libs[1:],
        'environment': {k: os.environ[k] for k in sorted(os.environ)
                        if k.startswith(('OMP_', 'SLURM_JOB', 'SLURM_NNODES', 'SLURM_CPUS'))},
    }
