"""The oracle: runs a generated program (gen.py's tree) in Python and returns
what it must print.

Each interpreted function is a Python generator: a `yield` of the program
is a Python yield (the sent value comes back from it), `await f()` is a
`yield from` of f's interpreter (which never yields: the one task that may
block, a cancel pattern's victim, yields BLOCK where it waits).  Defers are
`finally` clauses, so closing a Python generator runs them as co_gen_close
and co_cancel do.  A program whose model overflows an int or reads an
uninitialized variable is invalid (Invalid), never compared.
"""

from gen import HELPERS, cdiv, cmod
from emit import EAGAIN, ECANCELED, EPIPE, ETIMEDOUT

INT_MIN, INT_MAX = -2 ** 31, 2 ** 31 - 1
STEP_LIMIT = 200000
BLOCK = object()


class Invalid(Exception):
    pass


class Break(Exception):
    pass


class Continue(Exception):
    pass


class Return(Exception):
    def __init__(self, v):
        self.v = v


class Goto(Exception):
    def __init__(self, label):
        self.label = label


class Cut(Exception):
    """A deadline block's deadline ended a wait: the block (dl) is left."""
    def __init__(self, dl):
        self.dl = dl


class Cell:
    __slots__ = ('v',)

    def __init__(self, v=None):
        self.v = v


class Ptr:
    __slots__ = ('cell',)

    def __init__(self, cell):
        self.cell = cell


def chk(v):
    if not INT_MIN <= v <= INT_MAX:
        raise Invalid('overflow')
    return v


class Model:
    def __init__(self, prog):
        self.fns = {f.name: f for f in prog.fns}
        self.out = []
        self.statics = {}
        self.steps = 0
        self.sent = None

    def run(self):
        try:
            g = self.call(self.fns['main'], [])
            for _ in g:
                raise Invalid('main yielded')
        except RecursionError:
            raise Invalid('too deep')
        return ''.join(self.out)

    def p(self, tag, v):
        self.out.append('%d %d\n' % (tag, v))
        if len(self.out) > 20000:
            raise Invalid('too much output')

    def tick(self):
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise Invalid('too long')

    # ---- functions ----------------------------------------------------------------

    def call(self, fn, args):
        """A Python generator running fn; its return value is fn's."""
        env = [{p: Cell(a) for p, a in zip(fn.params, args)}, {}]
        for g in fn.top:
            env[-1][g] = Cell(0)
        ctx = Ctx(fn)
        try:
            yield from self.block(fn.body, env, ctx)
        except Return as r:
            return r.v
        return None

    # ---- statements --------------------------------------------------------------

    def run_list(self, lst, env, ctx, start=0):
        i = start
        while i < len(lst):
            try:
                yield from self.stmt(lst[i], env, ctx)
            except Goto as g:
                j = find_label(lst, g.label)
                if j is None:
                    raise
                # names declared after the label are not in scope there
                for later in lst[j:]:
                    if later[0] == 'decl':
                        for d in later[2]:
                            env[-1].pop(d[1], None)
                i = j
            i += 1

    def block(self, lst, env, ctx):
        env = env + [{}]
        defers = []
        ctx.defers.append(defers)
        try:
            yield from self.run_list(lst, env, ctx)
        finally:
            ctx.defers.pop()
            for stmt, denv in reversed(defers):
                try:
                    for _ in self.stmt(stmt, denv, ctx):
                        raise Invalid('yield in a defer')
                except (Break, Continue, Return, Goto):
                    raise Invalid('jump out of a defer')

    def stmt(self, s, env, ctx):
        self.tick()
        k = s[0]
        if k == 'p':
            v = yield from self.ev(s[2], env, ctx)
            if not ctx.fn.quiet:
                self.p(s[1], v)
        elif k == 'use':
            yield from self.ev(s[1], env, ctx)
        elif k == 'decl':
            yield from self.decl(s, env, ctx)
        elif k == 'assign':
            yield from self.assign(s, env, ctx)
        elif k == 'yield':
            v = yield from self.ev(s[1], env, ctx)
            yield v
        elif k == 'await':
            yield from self.ev(s[1], env, ctx)
        elif k == 'yieldfrom':
            args = []
            for a in s[2]:
                args.append((yield from self.ev(a, env, ctx)))
            yield from self.call(self.fns[s[1]], args)
        elif k == 'block':
            yield from self.block(s[1], env, ctx)
        elif k == 'if':
            c = yield from self.ev(s[1], env, ctx)
            if c:
                yield from self.sub(s[2], env, ctx)
            elif s[3] is not None:
                yield from self.sub(s[3], env, ctx)
        elif k == 'while':
            _, cnt, lim, c, body = s
            n = 0
            while True:
                n += 1
                if not (n - 1 < lim and (yield from self.ev(c, env, ctx))):
                    break
                try:
                    yield from self.sub(body, env, ctx)
                except Break:
                    break
                except Continue:
                    pass
        elif k == 'do':
            _, cnt, lim, body, c = s
            n = 0
            while True:
                try:
                    yield from self.sub(body, env, ctx)
                except Break:
                    break
                except Continue:
                    pass
                n += 1
                if not (n - 1 < lim and (yield from self.ev(c, env, ctx))):
                    break
        elif k == 'for':
            yield from self.for_(s, env, ctx)
        elif k == 'switch':
            yield from self.switch(s, env, ctx)
        elif k == 'break':
            raise Break()
        elif k == 'continue':
            raise Continue()
        elif k == 'return':
            v = None
            if s[1] is not None:
                v = yield from self.ev(s[1], env, ctx)
            raise Return(v)
        elif k == 'goto':
            if s[2]:
                c = lookup(env, s[2])
                if c.v < 2:
                    c.v += 1
                    raise Goto(s[1])
            else:
                raise Goto(s[1])
        elif k == 'label':
            pass
        elif k == 'defer':
            ctx.defers[-1].append((s[1], env[:-1] + [dict(env[-1])]))
        elif k in ('range', 'forawait'):
            yield from self.range_(s, env, ctx)
        elif k == 'bump':
            c = lookup(env, s[1])
            c.v = cmod(c.v * 3 + 1, 1000)
        elif k == 'send':
            v = yield from self.ev(s[1], env, ctx)
            self.sent.append(v)
        elif k == 'block_here':
            try:
                yield BLOCK
            finally:    # an awaited frame's defer, closed first
                if s[1] in ('timeout', 'nested', 'group'):
                    self.p(s[2], s[3])
            raise Invalid('resumed from BLOCK')
        elif k in ('vsel', 'vfor'):
            yield from self.block(s[4], env + [{s[1]: Cell(s[3])}], ctx)
        elif k == 'select':
            yield from self.select(s, env, ctx)
        elif k == 'selagg':
            _, chans, _, cont, _, tag = s
            total = sum(v * c[3] for c in chans for v in c[2])
            cnt = sum(c[3] for c in chans for v in c[2] if not (cont and v % 2))
            self.p(tag, total)
            self.p(tag, cnt)
        elif k == 'chanfor':
            yield from self.chanfor(s, env, ctx)
        elif k == 'group':
            yield from self.group(s, env, ctx)
        elif k == 'tmo':
            yield from self.tmo(s, env, ctx)
        elif k == 'dl':
            ctx.dls.append(s)
            try:
                yield from self.block(s[2], env, ctx)
            except Cut as c:
                if c.dl is not s:
                    raise
                ctx.dls.pop()
                ctx.dls.append(None)        # the else runs outside the deadline
                if s[3] is not None:
                    yield from self.block(s[3], env, ctx)
            finally:
                ctx.dls.pop()
        elif k == 'dlwait':
            cut = [d for d in ctx.dls if d is not None and d[1] < 1000]
            if not cut or None in ctx.dls[ctx.dls.index(cut[0]):]:
                raise Invalid('a forever wait outside a short deadline')
            raise Cut(cut[0])       # the outermost of those whose deadline passed
        elif k == 'drive':
            self.drive(s)
        elif k == 'chanpat':
            _, prod, cap, n, tag = s
            saved, self.sent = self.sent, []
            for _ in self.call(self.fns[prod], [n]):
                raise Invalid('producer yielded')
            vals, self.sent = self.sent, saved
            for v in vals:
                self.p(tag, v)
            self.p(tag, 0)
        elif k == 'selpat':
            _, which, kv, tag = s
            self.p(tag, which if which < 2 else -EAGAIN)
            self.p(tag, kv if which < 2 else 0)
        elif k == 'cancelpat' and s[3] == 'early':     # cancelled before it ever ran
            self.p(s[2], 0)
            self.p(s[2], -ECANCELED)
            self.p(s[2], 1)
        elif k == 'cancelpat':
            _, victim, tag, how = s
            g = self.call(self.fns[victim], [])
            for ev in g:
                if ev is not BLOCK:
                    raise Invalid('victim yielded')
                break
            else:
                raise Invalid('victim did not block')
            if how == 'group':      # co_group_cancel, then the loop cancels it
                self.p(tag, 0)
            g.close()           # co_cancel runs the defers, then P prints
            if how == 'timeout':
                self.p(tag, -ETIMEDOUT)
                return
            if how == 'group':
                self.p(tag, -ECANCELED)
                return
            self.p(tag, 0)
            self.p(tag, -ECANCELED)
            self.p(tag, 1)
        elif k == 'spawnjoin':
            _, f, args, tag = s
            vals = []
            for a in args:
                vals.append((yield from self.ev(a, env, ctx)))
            r = yield from self.call(self.fns[f], vals)
            self.p(tag, 0)
            self.p(tag, r)
        else:
            raise AssertionError(k)

    # ---- the concurrency forms (gen.py pat_*) ------------------------------------

    def select(self, s, env, ctx):
        _, chans, decls, cases, waker, drain, tag, notes = s
        env = env + [{}]
        for name, init in decls:
            env[-1][name] = Cell((yield from self.ev(init, env, ctx)))
        st = [{'buf': list(pre), 'cap': cap, 'closed': closed, 'null': null}
              for name, cap, pre, closed, null in chans]
        cells = []      # each operation's &, once, in order, on entry
        for i, c in enumerate(cases):
            if notes[i]:
                self.p(notes[i], i)
            cells.append((yield from self.lcell(c[2], env, ctx)) if c[0] in ('recv', 'send') else None)

        def ready(c):
            if c[0] == 'recv':
                ch = st[c[1]]
                return not ch['null'] and (bool(ch['buf']) or ch['closed'])
            if c[0] == 'send':
                ch = st[c[1]]
                if ch['null']:
                    return False
                if ch['closed']:
                    if c[3] is None:
                        raise Invalid('send on a closed channel without a result')
                    return True
                return len(ch['buf']) < ch['cap']
            return c[0] == 'after' and c[1] <= 0
        rd = [i for i, c in enumerate(cases) if ready(c)]
        if len(rd) > 1:
            raise Invalid('several cases ready')
        afters = sorted((c[1], i) for i, c in enumerate(cases) if c[0] == 'after')
        if rd:
            i = rd[0]
        elif any(c[0] == 'default' for c in cases):
            i = [j for j, c in enumerate(cases) if c[0] == 'default'][0]
        elif waker:
            i = [j for j, c in enumerate(cases) if c[0] in ('recv', 'send') and c[1] == waker[1]][0]
            ch = st[waker[1]]
            if waker[0] == 'feed':
                ch['buf'].append(waker[2])
            elif waker[0] == 'close':
                ch['closed'] = True
            else:
                ch['taker'] = True
        elif afters:
            if len(afters) > 1 and afters[0][0] == afters[1][0]:
                raise Invalid('two timers at once')
            i = afters[0][1]
        else:
            raise Invalid('select blocks')
        c = cases[i]
        if c[0] == 'recv':
            ch = st[c[1]]
            if ch['buf']:
                cells[i].v, ok = ch['buf'].pop(0), 1
            else:
                cells[i].v, ok = 0, 0
            if c[3]:
                lookup(env, c[3]).v = ok
        elif c[0] == 'send':
            ch = st[c[1]]
            v = read(cells[i])
            res = 0
            if ch['closed']:
                res = -EPIPE
            elif not ch.get('taker'):
                ch['buf'].append(v)
            if c[3]:
                lookup(env, c[3]).v = res
        try:
            yield from self.block(c[-2], env, ctx)
        except Break:
            pass
        for name, _ in decls:
            self.p(tag, read(env[-1][name]))
        for ci in drain:
            for v in st[ci]['buf']:
                self.p(tag, v)

    def chanfor(self, s, env, ctx):
        _, var, _, cap, pre, prod, n, body, tag, note = s
        vals = list(pre)
        if note:
            self.p(note, 0)
        if prod:
            saved, self.sent = self.sent, []
            for _ in self.call(self.fns[prod], [n]):
                raise Invalid('producer yielded')
            vals, self.sent = vals + self.sent, saved
        for x in vals:
            try:
                yield from self.sub(body, env + [{var: Cell(x)}], ctx)
            except Break:
                break
            except Continue:
                pass
        self.p(tag, 0)

    def group(self, s, env, ctx):
        _, v, mem, wrap, _, tag = s
        self.p(tag, len(mem))
        status = 0
        for m in mem:       # the first batch: members that do not suspend
            if m[0] == 'ok' and not m[3]:
                self.p(m[1], m[2])
        for m in mem:
            if m[0] == 'fn':
                args = []
                for a in m[2]:
                    args.append((yield from self.ev(a, env, ctx)))
                r = yield from self.call(self.fns[m[1]], args)
                if r < 0 and status == 0:
                    status = r
        for m in mem:       # the second: those that slept 0
            if m[0] == 'ok' and m[3]:
                self.p(m[1], m[2])
        for m in mem:
            if m[0] == 'fail':
                self.p(m[1], m[2])
                status = -m[3]
        if v == 'cancel':
            self.p(tag, 0)
            status = -ECANCELED
        if v == 'timeout':
            status = -ETIMEDOUT
        for m in mem:       # cancelled in spawn order
            if m[0] == 'block':
                self.p(m[1], m[2])
        self.p(tag, status)
        self.p(tag, 0)

    def tmo(self, s, env, ctx):
        v, tag = s[1], s[-1]
        if v == 'int':
            _, _, f, args, out, _ = s
            vals = []
            for a in args:
                vals.append((yield from self.ev(a, env, ctx)))
            c = (yield from self.lcell(out, env, ctx)) if out is not None else Cell()
            c.v = yield from self.call(self.fns[f], vals)
            self.p(tag, 0)
            if out is not None:
                c = yield from self.lcell(out, env, ctx)
            self.p(tag, read(c))
        elif v == 'struct':
            a = yield from self.ev(s[2][0], env, ctx)
            b = yield from self.ev(s[2][1], env, ctx)
            self.p(tag, 0)
            self.p(tag, a)
            self.p(tag, b)
        elif v == 'double':
            a = yield from self.ev(s[2][0], env, ctx)
            self.p(tag, 0)
            self.p(tag, a)
        else:
            _, _, t, val, out, _ = s
            self.p(t, val)
            self.p(tag, -ETIMEDOUT)
            if out:
                self.p(tag, 3)

    def sub(self, s, env, ctx):
        """A body: a block, or one statement in a scope of its own."""
        if s[0] == 'block':
            yield from self.block(s[1], env, ctx)
        else:
            yield from self.stmt(s, env + [{}], ctx)

    def decl(self, s, env, ctx):
        static, ds = s[1], s[2]
        for ty, name, init in ds:
            if static:
                key = (ctx.fn.name, name)
                if key not in self.statics:
                    self.statics[key] = Cell(init[1])
                env[-1][name] = self.statics[key]
                continue
            if ty == 'struct':
                if init is None:
                    val = {'a': Cell(), 'b': Cell()}
                elif init[0] == 'copy':
                    src = lookup(env, init[1])
                    val = {f: Cell(read(src[f])) for f in 'ab'}
                else:
                    vs = []
                    for e in init[1]:
                        vs.append((yield from self.ev(e, env, ctx)))
                    vs += [0] * (2 - len(vs))
                    val = {'a': Cell(vs[0]), 'b': Cell(vs[1])}
            elif ty == 'ptr':
                val = Ptr(lookup(env, init[1]))
            elif ty == 'int':
                v = None
                if init is not None:
                    v = yield from self.ev(init, env, ctx)
                val = Cell(v)
            else:
                vs = []
                for e in init[1]:
                    vs.append((yield from self.ev(e, env, ctx)))
                vs += [0] * (ty[1] - len(vs))
                val = [Cell(v) for v in vs]
            env[-1][name] = val

    def lcell(self, lv, env, ctx):
        k = lv[0]
        if k == 'var':
            return lookup(env, lv[1])
        if k == 'deref':
            return lookup(env, lv[1]).cell
        if k == 'fld':
            return lookup(env, lv[1])[lv[2]]
        i = yield from self.ev(lv[3], env, ctx)
        return lookup(env, lv[1])[cmod(cmod(i, lv[2]) + lv[2], lv[2])]

    def assign(self, s, env, ctx):
        _, lv, op, e = s
        v = yield from self.ev(e, env, ctx)
        c = yield from self.lcell(lv, env, ctx)
        if op == '=':
            c.v = v
        elif op in ('+=', 'BUMP'):
            c.v = chk(read(c) + v)
        else:
            c.v = chk(read(c) - v)

    def for_(self, s, env, ctx):
        _, var, lim, c, step, body, init2 = s
        env = env + [{var: Cell(0)}]
        if init2:
            v = yield from self.ev(init2[1], env, ctx)
            env[-1][init2[0]] = Cell(v)
        cnt = env[-1][var]
        while True:
            if not cnt.v < lim:
                break
            if c is not None and not (yield from self.ev(c, env, ctx)):
                break
            try:
                yield from self.sub(body, env, ctx)
            except Break:
                break
            except Continue:
                pass
            cnt.v += 1
            if step:
                yield from self.assign(step, env, ctx)

    def switch(self, s, env, ctx):
        v = yield from self.ev(s[1], env, ctx)
        cases = s[2]
        start = None
        for i, (cv, _) in enumerate(cases):
            if cv == v:
                start = i
        if start is None:
            for i, (cv, _) in enumerate(cases):
                if cv is None:
                    start = i
        if start is None:
            return
        try:
            # one list of all case bodies, so a goto finds labels in any
            # of them (no labels are put there, but keep it exact)
            for cv, body in cases[start:]:
                yield from self.run_list(body, env, ctx)
        except Break:
            pass

    def range_(self, s, env, ctx):
        _, var, g, args, body = s
        vals = []
        for a in args:
            vals.append((yield from self.ev(a, env, ctx)))
        it = self.call(self.fns[g], vals)
        try:
            while True:
                try:
                    x = it.send(None)
                except StopIteration:
                    break
                if x is BLOCK:
                    raise Invalid('block in a generator')
                try:
                    yield from self.sub(body, env + [{var: Cell(x)}], ctx)
                except Break:
                    break
                except Continue:
                    pass
        finally:
            it.close()

    def drive(self, s):
        """main driving a generator: by range-for or through its handle."""
        if s[1] == 'range':
            _, _, g, args, limit, tag = s
            it = self.call(self.fns[g], [a[1] for a in args])
            n = 0
            try:
                for x in it:
                    self.p(tag, x)
                    n += 1
                    if n >= limit:
                        break
            finally:
                it.close()
            return
        _, _, g, args, ops, tag = s
        it = self.call(self.fns[g], [a[1] for a in args])
        o, done = -1, False
        for op, v in ops:
            r = 0
            if not done:
                try:
                    o = it.send(None if op == 'next' or not started(it) else v)
                    r = 1
                except StopIteration:
                    done = True
            self.p(tag, r)
            self.p(tag, o)
        it.close()

    # ---- expressions -----------------------------------------------------------

    def ev(self, e, env, ctx):
        k = e[0]
        if k == 'num':
            return e[1]
        if k == 'var':
            return read(lookup(env, e[1]))
        if k == 'deref':
            return read(lookup(env, e[1]).cell)
        if k == 'fld':
            return read(lookup(env, e[1])[e[2]])
        if k == 'idx':
            c = yield from self.lcell(e, env, ctx)
            return read(c)
        if k == 'bin':
            op = e[1]
            if op == '&&':
                lv = yield from self.ev(e[2], env, ctx)
                if not lv:
                    return 0
                return int(bool((yield from self.ev(e[3], env, ctx))))
            if op == '||':
                lv = yield from self.ev(e[2], env, ctx)
                if lv:
                    return 1
                return int(bool((yield from self.ev(e[3], env, ctx))))
            lv = yield from self.ev(e[2], env, ctx)
            rv = yield from self.ev(e[3], env, ctx)
            if op == '+':
                return cmod(chk(lv + rv), 1000)
            if op == '-':
                return cmod(chk(lv - rv), 1000)
            if op == '*':
                return cmod(chk(lv * rv), 1000)
            if op == '/':
                return cdiv(lv, cmod(rv, 7) + 8)
            if op == '%':
                return cmod(lv, cmod(rv, 7) + 8)
            return int({'<': lv < rv, '==': lv == rv, '!=': lv != rv, '>=': lv >= rv}[op])
        if k == 'neg':
            return -(yield from self.ev(e[1], env, ctx))
        if k == 'not':
            return int(not (yield from self.ev(e[1], env, ctx)))
        if k == 'cond':
            c = yield from self.ev(e[1], env, ctx)
            return (yield from self.ev(e[2] if c else e[3], env, ctx))
        if k == 'ppif':
            return (yield from self.ev(e[2] if e[1] else e[3], env, ctx))
        if k == 'comma':
            yield from self.ev(e[1], env, ctx)
            return (yield from self.ev(e[2], env, ctx))
        if k == 'elvis':
            c = yield from self.ev(e[1], env, ctx)
            return c if c else (yield from self.ev(e[2], env, ctx))
        if k == 'stmtx':
            a = yield from self.ev(e[2], env, ctx)
            b = yield from self.ev(e[3], env, ctx)
            return cmod(chk(a + b), 1000)
        if k == 'call':
            if e[1] == 'co_run':
                r = yield from self.call(self.fns['amain'], [])
                return r
            args = []
            for a in e[2]:
                args.append((yield from self.ev(a, env, ctx)))
            return HELPERS[e[1]][2](*args)
        if k == 'P':
            v = yield from self.ev(e[2], env, ctx)
            self.p(e[1], v)
            return v
        if k == 'yieldv':
            v = yield from self.ev(e[1], env, ctx)
            got = yield v
            return 0 if got is None else got
        if k == 'awaitv':
            args = []
            for a in e[2]:
                args.append((yield from self.ev(a, env, ctx)))
            r = yield from self.call(self.fns[e[1]], args)
            return r
        if k == 'sleep':
            return 0
        raise AssertionError(e)


class Ctx:
    def __init__(self, fn):
        self.fn = fn
        self.defers = [[]]
        self.dls = []       # the deadline blocks the statement is in


def started(it):
    import inspect
    return inspect.getgeneratorstate(it) != inspect.GEN_CREATED


def find_label(lst, label):
    for i, s in enumerate(lst):
        if s[0] == 'label' and s[1] == label:
            return i
    return None


def lookup(env, name):
    for sc in reversed(env):
        if name in sc:
            return sc[name]
    raise Invalid('no variable ' + name)


def read(c):
    if not isinstance(c, Cell):
        raise Invalid('not an int')
    if c.v is None:
        raise Invalid('uninitialized read')
    return c.v


def expected(prog):
    return Model(prog).run()
