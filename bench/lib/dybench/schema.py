"""A small JSON-Schema checker: the subset bench/report.schema.json uses
(type, required, properties, additionalProperties, items, enum, const,
minimum, maximum, minItems), so the tests need no third-party module.

  python3 bench/lib/dybench/schema.py SCHEMA.json REPORT.json
prints each violation as PATH: WHY and exits 1 if there is one."""
import json
import sys

TYPES = {'object': dict, 'array': list, 'string': str, 'boolean': bool, 'null': type(None)}


def _is(v, t):
    if t == 'integer':
        return isinstance(v, int) and not isinstance(v, bool)
    if t == 'number':
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])


def check(v, s, path='$'):
    errs = []
    t = s.get('type')
    if t is not None:
        ts = t if isinstance(t, list) else [t]
        if not any(_is(v, x) for x in ts):
            return ['%s: %s is not of type %s' % (path, json.dumps(v)[:60], '|'.join(ts))]
    if 'const' in s and v != s['const']:
        errs.append('%s: %r is not %r' % (path, v, s['const']))
    if 'enum' in s and v not in s['enum']:
        errs.append('%s: %r is not one of %r' % (path, v, s['enum']))
    if _is(v, 'number'):
        if 'minimum' in s and v < s['minimum']:
            errs.append('%s: %r < minimum %r' % (path, v, s['minimum']))
        if 'maximum' in s and v > s['maximum']:
            errs.append('%s: %r > maximum %r' % (path, v, s['maximum']))
    if isinstance(v, dict):
        for k in s.get('required', []):
            if k not in v:
                errs.append('%s: %s missing' % (path, k))
        props = s.get('properties', {})
        for k, x in v.items():
            if k in props:
                errs += check(x, props[k], '%s.%s' % (path, k))
            elif s.get('additionalProperties') is False:
                errs.append('%s: %s is not in the schema' % (path, k))
    if isinstance(v, list):
        if 'minItems' in s and len(v) < s['minItems']:
            errs.append('%s: %d items, fewer than %d' % (path, len(v), s['minItems']))
        if 'items' in s:
            for i, x in enumerate(v):
                errs += check(x, s['items'], '%s[%d]' % (path, i))
    return errs


def main(argv):
    if len(argv) != 3:
        print('usage: schema.py SCHEMA.json REPORT.json', file=sys.stderr)
        return 2
    errs = check(json.load(open(argv[2])), json.load(open(argv[1])))
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
