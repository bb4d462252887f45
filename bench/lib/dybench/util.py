"""Running commands, timing them, small statistics."""
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))


def say(msg):
    print('[M::bench] ' + msg, file=sys.stderr, flush=True)


def die(msg, code=2):
    print('[E::bench] ' + msg, file=sys.stderr, flush=True)
    sys.exit(code)


def run(cmd, log=None, env=None, cwd=None, check=True):
    """Run cmd (a list), stdout returned as text; stderr to log (a path) or kept.
    A failure raises RuntimeError with the tail of stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    err = open(log, 'w') if log else subprocess.PIPE
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=err, env=e, cwd=cwd, text=True)
    finally:
        if log:
            err.close()
    if check and p.returncode != 0:
        tail = open(log).read()[-2000:] if log else (p.stderr or '')[-2000:]
        raise RuntimeError('%s exited with %d:\n%s' % (' '.join(cmd), p.returncode, tail))
    return p.stdout


def timed(cmd, log, env=None):
    """Run cmd under /usr/bin/time: (wall seconds, peak RSS of the largest
    process in bytes, exit status).  The wall is the whole process's, start-up
    included, as a user's clock sees it."""
    tf = log + '.time'
    t0 = time.monotonic()
    e = dict(os.environ)
    if env:
        e.update(env)
    with open(log, 'w') as err:
        p = subprocess.run(['/usr/bin/time', '-f', '%e %M', '-o', tf] + cmd,
                           stdout=subprocess.DEVNULL, stderr=err, env=e)
    wall = time.monotonic() - t0
    rss = 0
    try:
        f = open(tf).read().split()
        rss = int(f[-1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return wall, rss, p.returncode


def spread(xs):
    """min, median and max of a list (None for an empty one)."""
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    return {'min': min(xs), 'median': statistics.median(xs), 'max': max(xs), 'n': len(xs)}


def sha256(path):
    h = hashlib.sha256()
    with open(path, 'rb') as f:
        for b in iter(lambda: f.read(1 << 20), b''):
            h.update(b)
    return h.hexdigest()


def load_json(path):
    with open(path) as f:
        return json.load(f)


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip().startswith('{')]


def which(prog):
    for d in os.environ.get('PATH', '').split(os.pathsep):
        p = os.path.join(d, prog)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def apt_install(pkgs):
    """Install Debian packages that are missing (root only); False if it cannot."""
    missing = [p for p in pkgs if subprocess.run(['dpkg-query', '-W', '-f=${Status}', p],
                                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                                 text=True).stdout.find('install ok installed') < 0]
    if not missing:
        return True
    if os.geteuid() != 0:
        return False
    say('installing ' + ' '.join(missing) + ' (Debian)')
    env = dict(os.environ, DEBIAN_FRONTEND='noninteractive')
    r = subprocess.run(['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '-qq',
                        '--no-install-recommends'] + missing, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, env=env)
    return r.returncode == 0
