#!/usr/bin/env python3
"""Shrink a failing difftest program to a small one that fails the same way.

    python3 tests/difftest/reduce.py SEED [--no F,F] [--with F,F] [--size X] [--cc gcc]
    python3 tests/difftest/reduce.py build/difftest/fail/SEED

Regenerates the program of SEED (with the knobs of the fail directory, when
given one), then repeatedly deletes statements (halves, quarters, ... one
at a time), replaces compound statements by their bodies and expressions by
constants or by one of their operands, keeping each change after which the
program still fails with the same signature (run.py's check: the same kind
of failure, the same error message) and the model still accepts it.  The
result goes to build/difftest/reduced/SEED/{prog.co,expected.out,log}.
"""

import argparse
import copy
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import gen      # noqa: E402
import emit     # noqa: E402
import model    # noqa: E402
import run      # noqa: E402

STMT_KINDS = {'decl', 'assign', 'p', 'use', 'yield', 'await', 'yieldfrom', 'block', 'if',
              'while', 'do', 'for', 'switch', 'break', 'continue', 'return', 'goto', 'label',
              'defer', 'range', 'forawait', 'bump', 'send', 'block_here', 'drive', 'chanpat',
              'selpat', 'cancelpat', 'spawnjoin', 'select', 'selagg', 'chanfor', 'group', 'tmo',
              'vsel', 'vfor'}
EXPR_KINDS = {'num', 'var', 'idx', 'fld', 'deref', 'bin', 'neg', 'not', 'cond', 'comma',
              'call', 'P', 'yieldv', 'awaitv', 'sleep', 'elvis', 'stmtx', 'ppif'}


def listify(x):
    """Tuples to lists, so every part of the tree can be replaced."""
    if isinstance(x, (list, tuple)):
        return [listify(y) for y in x]
    return x


def is_node(x, kinds):
    return isinstance(x, list) and x and isinstance(x[0], str) and x[0] in kinds


class Reducer:
    def __init__(self, prog, sig, cc, san, work):
        self.prog, self.sig, self.cc, self.san, self.work = prog, sig, cc, san, work
        self.tries = 0

    def fails(self):
        self.tries += 1
        if not all(gen.unsequenced_ok(fn.body) and reads_ok(fn.body) for fn in self.prog.fns):
            return False
        try:    # a change may leave a tree the printer or the model refuses
            text = emit.emit(self.prog)
            exp = model.expected(self.prog)
        except Exception:
            return False
        sig, _, _ = run.check(text, exp, [self.cc], self.work, san=self.san)
        return sig == self.sig

    # every statement list and every place holding an expression
    def places(self):
        lists, exprs = [], []

        def walk(x):
            if not isinstance(x, list):
                return
            if x and all(is_node(y, STMT_KINDS) for y in x):
                lists.append(x)
            for i, y in enumerate(x):
                if is_node(y, EXPR_KINDS):
                    exprs.append((x, i))
                walk(y)
        for fn in self.prog.fns:
            walk(fn.body)
        return lists, exprs

    def try_change(self, apply, undo):
        apply()
        if self.fails():
            return True
        undo()
        return False

    def delete_pass(self):
        changed = False
        lists, _ = self.places()
        for lst in lists:
            n = len(lst)
            size = max(1, n // 2)
            while size >= 1:
                i = 0
                while i < len(lst):
                    chunk = lst[i:i + size]
                    if self.try_change(lambda: lst.__delitem__(slice(i, i + size)),
                                       lambda: lst.__setitem__(slice(i, i), chunk)):
                        changed = True
                    else:
                        i += size
                size //= 2
        return changed

    def flatten_pass(self):
        """A compound statement replaced by its body."""
        changed = False
        lists, _ = self.places()
        for lst in lists:
            for i in range(len(lst)):
                if i >= len(lst):
                    break
                s = lst[i]
                for body in bodies(s):
                    old = lst[i]
                    if self.try_change(lambda: lst.__setitem__(i, body),
                                       lambda: lst.__setitem__(i, old)):
                        changed = True
                        break
        return changed

    def expr_pass(self):
        changed = False
        _, exprs = self.places()
        for parent, i in exprs:
            e = parent[i]
            if not is_node(e, EXPR_KINDS) or e[0] == 'num':
                continue
            subs = [y for y in e[1:] if is_node(y, EXPR_KINDS)]
            for y in e[1:]:
                if isinstance(y, list) and not is_node(y, EXPR_KINDS):
                    subs += [z for z in y if is_node(z, EXPR_KINDS)]
            for rep in [['num', 0], ['num', 1]] + subs:
                if self.try_change(lambda: parent.__setitem__(i, rep),
                                   lambda: parent.__setitem__(i, e)):
                    changed = True
                    break
        return changed

    def fn_pass(self):
        changed = False
        for fn in list(self.prog.fns):
            if fn.name == 'main':
                continue
            idx = self.prog.fns.index(fn)
            if self.try_change(lambda: self.prog.fns.remove(fn),
                               lambda: self.prog.fns.insert(idx, fn)):
                changed = True
        return changed

    def reduce(self):
        while True:
            changed = self.fn_pass()
            changed |= self.delete_pass()
            changed |= self.flatten_pass()
            changed |= self.expr_pass()
            print('  %d tries, %d lines' % (self.tries, emit.emit(self.prog).count('\n')))
            sys.stdout.flush()
            if not changed:
                return


def reads_ok(x):
    """Every declared variable is still read after its declaration (else
    a deletion made an -Wunused error of its own)."""
    if not isinstance(x, list):
        return True
    if x and all(is_node(y, STMT_KINDS) for y in x):
        for i, s in enumerate(x):
            if s[0] == 'decl':
                rest = repr(x[i + 1:]) + repr(s[2])
                for d in s[2]:
                    n = d[1]
                    if not any("'%s', '%s'" % (k, n) in rest
                               for k in ('var', 'deref', 'fld', 'idx', 'addr')) \
                            and "'copy', '%s'" % n not in rest:
                        return False
    return all(reads_ok(y) for y in x)


def bodies(s):
    k = s[0]
    if k == 'if':
        return [b for b in (s[2], s[3]) if b is not None]
    if k in ('while',):
        return [s[4]]
    if k == 'do':
        return [s[3]]
    if k == 'for':
        return [s[5]]
    if k in ('range', 'forawait'):
        return [s[4]]
    if k == 'switch':
        return [['block', list(c[1])] for c in s[2]]
    if k == 'defer':
        return [s[1]]
    if k == 'select':
        return [['block', list(c[-2])] for c in s[3]]
    if k == 'chanfor':
        return [s[7]]
    return []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('what', help='a seed or a build/difftest/fail/SEED directory')
    ap.add_argument('--no', default='')
    ap.add_argument('--with', dest='with_', default='')
    ap.add_argument('--size', type=float, default=1.0)
    ap.add_argument('--cc', default=None, help='the compiler to reduce with (default: the failing one)')
    a = ap.parse_args()
    if os.path.isdir(a.what):
        kv = dict(x.split('=', 1) for x in open(os.path.join(a.what, 'knobs')).read().split())
        seed, size = int(kv['seed']), float(kv['size'])
        off = [x for x in kv['off'].split(',') if x]
    else:
        seed, size = int(a.what), a.size
        off = run.knobs([x for x in a.no.split(',') if x], [x for x in a.with_.split(',') if x])
    prog, text, exp = run.program(seed, off, size)
    if exp is None:
        sys.exit('reduce.py: the model refuses seed %d' % seed)
    work = os.path.join(run.ROOT, 'build', 'difftest', 'reduce')
    ccs = a.cc.split() if a.cc else ['gcc', 'clang']
    sig, log, _ = run.check(text, exp, ccs, work)
    if sig is None:     # some failures show only without the sanitizers
        sig, log, _ = run.check(text, exp, ccs, work, san=False)
    if sig is None:
        sys.exit('reduce.py: seed %d passes' % seed)
    cc = a.cc or ('clang' if ' clang' in sig.split(':')[0] else 'gcc')
    print('seed %d: %s; reducing with %s' % (seed, sig, cc))
    san = True
    fast, _, _ = run.check(text, exp, [cc], work, san=False)
    if fast == sig:
        san = False
    for fn in prog.fns:
        fn.body = listify(fn.body)
    r = Reducer(prog, sig, cc, san, work)
    r.reduce()
    out = os.path.join(run.ROOT, 'build', 'difftest', 'reduced', str(seed))
    os.makedirs(out, exist_ok=True)
    text = emit.emit(prog)
    exp = model.expected(prog)
    sig, log, act = run.check(text, exp, [cc], work, san=san)
    for nm, body in (('prog.co', text), ('expected.out', exp), ('actual.out', act),
                     ('log', '%s\n%s' % (sig, log))):
        with open(os.path.join(out, nm), 'w') as f:
            f.write(body)
    print('%s: %d lines, %d tries -> %s/prog.co' % (sig, text.count('\n'), r.tries, out))


if __name__ == '__main__':
    main()
