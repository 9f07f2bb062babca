#!/usr/bin/env python3
"""Differential testing of cogen: random programs against a Python model.

    python3 tests/difftest/run.py [-n N] [--seed S] [--no F,F] [--with F,F]
                                  [--cc 'gcc clang'] [--size X] [--quiet]

Runs N programs from seed S (S, S+1, ...): each is generated (gen.py),
its output computed by the model (model.py), translated with build/cogen,
built with each compiler under ASan+UBSan at -std=c11 -Wall -Wextra
-Werror, run, and its output compared exactly.  A failing seed's program,
expected and actual output and log stay in build/difftest/fail/SEED/.
--no turns feature classes off, --with turns on the known-bad ones (gen.py
FEATURES, KNOWN; --list shows them).  Exit 1 when a program failed.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import gen      # noqa: E402
import emit     # noqa: E402
import model    # noqa: E402

STRICT = ['-std=c11', '-Wall', '-Wextra', '-Werror', '-I' + os.path.join(ROOT, 'runtime')]
# Warnings about the random expressions themselves (a constant arm of ?:
# in a condition, a comparison gcc folds), not about what cogen wrote.
USER_WARN = {
    'gcc': ['-Wno-int-in-bool-context', '-Wno-bool-compare', '-Wno-switch-bool',
            '-Wno-tautological-compare'],
    'clang': ['-Wno-int-in-bool-context', '-Wno-tautological-compare',
              '-Wno-constant-logical-operand', '-Wno-bool-operation',
              '-Wno-tautological-constant-out-of-range-compare', '-Wno-parentheses-equality',
              '-Wno-self-assign', '-Wno-switch', '-Wno-switch-bool'],
}
SAN = ['-g', '-fsanitize=address,undefined', '-fno-omit-frame-pointer',
       '-fno-sanitize-recover=all']
ENV = dict(os.environ, ASAN_OPTIONS='detect_leaks=1:abort_on_error=0:exitcode=23',
           UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1')


def knobs(no, with_):
    off = set(gen.KNOWN) - set(with_)
    return sorted(off | set(no))


def program(seed, off, size):
    """(tree, .co text, expected output or None when the model refuses it)."""
    prog = gen.generate(seed, off, size)
    text = emit.emit(prog)
    exp = None
    if all(gen.unsequenced_ok(fn.body) for fn in prog.fns):
        try:
            exp = model.expected(prog)
        except model.Invalid:
            pass
    return prog, text, exp


def norm(msg):
    """An error message without its place, to compare failures."""
    msg = re.sub(r'^[^:]*:\d+:\d+: ', '', msg)
    msg = re.sub(r"'[^']*'|‘[^’]*’", "'_'", msg)
    return re.sub(r'\d+', 'N', msg).strip()


def first_error(text):
    for ln in text.splitlines():
        if 'error:' in ln or 'runtime error:' in ln or 'ERROR:' in ln:
            return norm(ln)
    return text.strip().splitlines()[0][:100] if text.strip() else ''


def check(text, exp, ccs, work, name='prog', san=True):
    """Translate, build and run one program.  Returns (signature, log,
    actual output): signature None when every build printed exp."""
    os.makedirs(work, exist_ok=True)
    co = os.path.join(work, name + '.co')
    c = os.path.join(work, name + '.c')
    with open(co, 'w') as f:
        f.write(text)
    try:
        r = subprocess.run([os.path.join(ROOT, 'build', 'cogen'), co, '-o', c],
                           capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return 'cogen-timeout', 'cogen took over 20 s', ''
    if r.returncode != 0:
        kind = 'cogen-reject' if r.returncode == 1 and 'error:' in r.stderr else 'cogen-crash'
        return '%s: %s' % (kind, first_error(r.stderr)), r.stderr, ''
    lib = os.path.join(ROOT, 'build', 'libcogen.a')
    for cc in ccs:
        exe = os.path.join(work, name + '.' + cc)
        r = subprocess.run([cc] + STRICT + USER_WARN.get(cc, []) + (SAN if san else []) +
                           [c, lib, '-lpthread', '-lm', '-o', exe],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return 'cc-error %s: %s' % (cc, first_error(r.stderr)), r.stderr, ''
        try:
            r = subprocess.run([exe], capture_output=True, text=True, timeout=20,
                               env=ENV, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            return 'timeout %s' % cc, 'timed out', (e.stdout or b'').decode(errors='replace')
        if r.returncode != 0:
            return ('run-error %s: status %d %s' % (cc, r.returncode, first_error(r.stderr)),
                    r.stderr, r.stdout)
        if r.stdout != exp:
            return 'mismatch %s' % cc, diff_head(exp, r.stdout), r.stdout
    return None, '', exp


def diff_head(exp, act):
    e, a = exp.splitlines(), act.splitlines()
    for i in range(max(len(e), len(a))):
        x = e[i] if i < len(e) else '<end>'
        y = a[i] if i < len(a) else '<end>'
        if x != y:
            return 'line %d: expected %r, got %r' % (i + 1, x, y)
    return 'same lines'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('-n', type=int, default=100)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--no', default='')
    ap.add_argument('--with', dest='with_', default='')
    ap.add_argument('--cc', default='gcc clang')
    ap.add_argument('--size', type=float, default=1.0)
    ap.add_argument('--no-san', action='store_true', help='build without sanitizers (faster)')
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--quiet', action='store_true', help='print failures and the summary only')
    a = ap.parse_args()
    if a.list:
        for f, d in gen.FEATURES.items():
            print('%-12s %s%s' % (f, d, ' (known bug: off unless --with)' if f in gen.KNOWN else ''))
        return 0
    no = [x for x in a.no.split(',') if x]
    with_ = [x for x in a.with_.split(',') if x]
    for f in no + with_:
        if f not in gen.FEATURES:
            sys.exit('run.py: unknown feature %r (see --list)' % f)
    off = knobs(no, with_)
    ccs = [cc for cc in a.cc.split() if shutil.which(cc)]
    out = os.path.join(ROOT, 'build', 'difftest')
    work = os.path.join(out, 'work')
    counts, sigs = {'pass': 0, 'fail': 0, 'invalid': 0}, {}
    t0 = time.time()
    for seed in range(a.seed, a.seed + a.n):
        _, text, exp = program(seed, off, a.size)
        if exp is None:
            counts['invalid'] += 1
            if not a.quiet:
                print('seed %d: skipped (the model refuses it)' % seed)
            continue
        sig, log, act = check(text, exp, ccs, work, san=not a.no_san)
        if sig is None:
            counts['pass'] += 1
            if not a.quiet:
                print('seed %d: ok' % seed)
            continue
        counts['fail'] += 1
        sigs.setdefault(sig, []).append(seed)
        d = os.path.join(out, 'fail', str(seed))
        os.makedirs(d, exist_ok=True)
        for nm, body in (('prog.co', text), ('expected.out', exp), ('actual.out', act),
                         ('log', sig + '\n' + log),
                         ('knobs', 'seed=%d size=%s off=%s\n' % (seed, a.size, ','.join(off)))):
            with open(os.path.join(d, nm), 'w') as f:
                f.write(body)
        print('seed %d: FAIL %s (build/difftest/fail/%d)' % (seed, sig, seed))
        sys.stdout.flush()
    print('%d passed, %d failed, %d skipped in %.0f s (seeds %d..%d, off: %s)' % (
        counts['pass'], counts['fail'], counts['invalid'], time.time() - t0,
        a.seed, a.seed + a.n - 1, ','.join(off) or 'none'))
    for sig, seeds in sorted(sigs.items()):
        print('  %s: seeds %s' % (sig, ' '.join(map(str, seeds[:10]))))
    return 1 if counts['fail'] else 0


if __name__ == '__main__':
    sys.exit(main())
