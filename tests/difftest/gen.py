"""Random .co programs for differential testing of cogen.

A program is a tree of Python lists (the AST below), built from a seed by
`generate`.  `emit` prints it as a .co file; model.py runs the same tree in
Python to compute what the program must print.  Same seed and knobs, same
program.

Statements are lists whose first item names the kind:
  ['decl', static, [(type, name, init)...]]   type: 'int' 'ptr' ('arr', n) 'struct'
  ['assign', lval, op, expr]     lval: ['var', n] ['idx', n, size, e] ['fld', n, f] ['deref', n]
  ['p', tag, expr]               P(tag, expr); (quiet functions: (void)(expr);)
  ['yield', expr]  ['await', expr]  ['yieldfrom', gen, args]
  ['block', stmts]  ['if', c, then, else|None]
  ['while', cnt, k, c, body]  ['do', cnt, k, body, c]
  ['for', var, k, c, step|None, body]      step: an assignment statement
  ['switch', e, [(value|None, stmts)...]]
  ['break'] ['continue'] ['return', e|None] ['goto', label, guard|None] ['label', name]
  ['defer', stmt]  ['range', var, gen, args, body]  ['forawait', var, gen, args, body]
  ['bump', name]                 a static local: name = (name * 3 + 1) % 1000;
  ['drive', ...] ['chanpat', ...] ['cancelpat', ...] ['selpat', ...] ['spawnjoin', ...]
  ['select', ...] ['selagg', ...] ['chanfor', ...] ['group', ...] ['tmo', ...]  (pat_*)
  ['vsel', ...] ['vfor', ...] ['block_here', how, ...]   a victim's levels and its block
Expressions:
  ['num', v] ['var', n] ['idx', n, size, e] ['fld', n, f] ['deref', n]
  ['bin', op, l, r] ['neg', e] ['not', e] ['cond', c, a, b] ['comma', l, r]
  ['elvis', a, b] (GNU a ?: b) ['stmtx', name, a, b] (({ int name = a; name + b; }))
  ['call', h, [args]] ['P', tag, e] ['yieldv', e] ['awaitv', f, [args]] ['sleep']
  ['awaitv', f, [args], 'to'] (await co_timeout(10000, f(args)))
  ['ppif', c, a, b]  (\n#if c\n a\n#else\n b\n#endif\n): a if c, else b
Deadline blocks (knob `deadline`):
  ['dl', ms, body, else|None]    co_timeout (ms) { body } else { else }
  ['dlwait']                     await co_sleep(100000); inside a block whose
                                 deadline (0, -1, 1 or 2 ms) cuts it
"""

import random

# Feature classes a knob can turn off (`--no FEATURE`).
# Known translator bugs, off unless asked for (see found/README.md).
KNOWN = set()

FEATURES = {
    'goto': 'goto forward and backward, out of loops and switches',
    'gotorange': 'goto out of a range-for or for await body',
    'switch': 'switch with fallthrough, break, default',
    'defer': 'defer in blocks left by end, break, continue, return, close',
    'deferstatic': 'static locals read by a defer',
    'defershadow': 'defers that read variables (a later declaration may shadow them)',
    'static': 'static locals',
    'send': 'generator(T, S), yield as a value, co_gen_send',
    'yieldfrom': 'yield from',
    'range': 'for (T x : g()) range loops',
    'handle': 'co_gen_next/co_gen_send/co_gen_close by handle',
    'async': 'async functions and await',
    'asyncgen': 'async generators and for await',
    'agyieldfrom': 'yield from inside an async generator',
    'chan': 'a producer task and a channel',
    'select': 'co_select over channels',
    'anyorder': 'functions defined in a random order, with no prototypes',
    'cancel': 'co_cancel of a task blocked inside nested defers',
    'ternary': 'yields and awaits in the branches of ?:',
    'declattr': '_Alignas(16) and __attribute__((unused)) on locals',
    'attrarray': '__attribute__((unused)) on locals (run/attr_array_copy)',
    'gnu': "GNU x ?: y (a suspension in x) and statement expressions ({ int t = a; t + b; })",
    'multidecl': 'declarators before a suspending one in a declaration',
    'ptr': 'pointers to locals',
    'struct': 'struct locals',
    'array': 'array locals',
    'forsusp': 'yields and awaits in for init and step',
    'commasusp': 'a yield or await as the left operand of a comma',
    'yieldternary': 'yield c ? a : <yield or await>;',
    'loopcomma': '(P(), <yield or await>) in a loop condition or inside another operator',
    'commaternary': 'a ?: that suspends as an operand of a comma, && or ||',
    'nestedlogic': 'a yield or await right of an && or || inside the right operand of another',
    'compoundsusp': 'x += <yield or await> (compound assignment from a suspension)',
    'stmtmacro': 'BUMP(x, e) without a semicolon: a statement macro of the file (x += e;)',
    'selstmt': 'the select statement: one ready case, default, co_after, a task that wakes it, sums over several ready cases',
    'chanfor': 'for await over a channel, preloaded and fed by a producer task in a group',
    'group': 'task groups: members that succeed, fail, block; co_timeout around the wait, co_group_cancel',
    'timeout': 'co_timeout(ms, f(args)[, &out]) in expressions and for int, struct and double results',
    'cancelpt': 'co_cancel inside select, for await, co_timeout, a group wait and a nested frame; before a task runs',
    'qualmacro': 'macros of qualifiers (DT_CONST, DT_CQ of it, DT_VOL) on int locals nothing writes or points to (emit.py)',
    'ppexpr': 'an #if 0/1 ... #else ... #endif group inside an expression (cogen reads the first branch only)',
    'deadline': 'co_timeout (ms) { ... } else { ... } deadline blocks: 100000 ms (never fires) or 0/-1/1/2 ms around a wait that blocks forever',
}

INT_NAMES = ['a', 'b', 'c', 'x', 'y']
HELPERS = {  # name: (arity, C body, Python function)
    'h0': (2, 'return (a * 7 + b) % 1000;', lambda a, b: cmod(a * 7 + b, 1000)),
    'h1': (1, 'return a > 50 ? a - 3 : a + 5;', lambda a: a - 3 if a > 50 else a + 5),
    'h2': (3, 'return (a - b + c) % 1000;', lambda a, b, c: cmod(a - b + c, 1000)),
}


def cdiv(a, b):
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def cmod(a, b):
    return a - b * cdiv(a, b)


class Var:
    def __init__(self, name, ty, static=False):
        self.name, self.ty, self.static, self.used = name, ty, static, False
        self.ro = False     # a loop counter: read only


class Fn:
    """One function of the program: its kind and signature, and its body."""

    def __init__(self, kind, name, params, send=False, quiet=False):
        self.kind, self.name, self.params = kind, name, params
        self.send, self.quiet = send, quiet
        self.body = []
        self.top = []       # goto guards declared first


class Gen:
    def __init__(self, seed, off=(), size=1.0):
        self.r = random.Random(seed)
        self.on = {f: f not in off for f in FEATURES}
        self.in_pp = 0      # inside an #if branch of an expression
        self.size = size
        self.tag = 0
        self.uid = 0
        self.fns = []
        self.nosusp = False     # inside a cut deadline block: no waits but its blocker

    # ---- small helpers ----------------------------------------------------

    def chance(self, p):
        return self.r.random() < p

    def newtag(self):
        self.tag += 1
        return self.tag

    def fresh(self, prefix):
        self.uid += 1
        return '%s%d' % (prefix, self.uid)

    def lookup(self, name):
        for sc in reversed(self.scopes):
            if name in sc:
                return sc[name]
        return None

    def visible(self, pred):
        seen, out = set(), []
        for sc in reversed(self.scopes):
            for v in sc.values():
                if v.name not in seen:
                    seen.add(v.name)
                    if pred(v):
                        out.append(v)
        return out

    def declare(self, name, ty, static=False):
        v = Var(name, ty, static)
        self.scopes[-1][name] = v
        return v

    def susp_ok(self):
        return not self.nosusp and self.fn.kind in ('gen', 'agen', 'async', 'amain', 'plainasync')

    # ---- expressions --------------------------------------------------------

    def leaf(self):
        vs = self.visible(lambda v: not v.static)
        if vs and self.chance(0.7):
            v = self.r.choice(vs)
            v.used = True
            if v.ty == 'int':
                return ['var', v.name]
            if v.ty == 'ptr':
                return ['deref', v.name]
            if v.ty == 'struct':
                return ['fld', v.name, self.r.choice('ab')]
            return ['idx', v.name, v.ty[1], ['num', self.r.randrange(3)]]
        return ['num', self.r.randrange(-5, 20)]

    def suspension(self):
        """A yield or await usable as a value here, or None."""
        k = self.fn.kind
        opts = []
        if self.nosusp:
            return None
        if k == 'gen' and self.fn.send:
            opts.append('y')
        if k in ('async', 'agen', 'amain', 'plainasync') and self.on['async']:
            if self.asyncs:
                opts.append('a')
            if k != 'plainasync':
                opts.append('s')
        if not opts:
            return None
        c = self.r.choice(opts)
        if c == 'y':
            return ['yieldv', self.expr(1, susp=False)]
        if c == 's':
            return ['sleep']
        f = self.r.choice(self.asyncs)
        e = ['awaitv', f.name, [self.expr(1, susp=False, plain=False) for _ in f.params]]
        if self.on['timeout'] and self.chance(0.25):
            e.append('to')      # await co_timeout(10000, f(args)): f's result
        return e

    def expr(self, depth=2, susp=True, plain=True):
        """plain: P() calls (printing side effects) allowed."""
        e = self.expr1(depth, susp, plain and not self.quiet)
        if not self.on['nestedlogic']:
            # only an outermost && or || short-circuits its suspensions
            for i, x in enumerate(e[1:], 1):
                if isinstance(x, list) and x and isinstance(x[0], str):
                    e[i] = calm_logic(x)
                elif isinstance(x, list):
                    e[i] = [calm_logic(y) for y in x]
        if self.on['loopcomma']:
            return e
        # a (print, suspension) comma only outermost (found/nested_comma_yield)
        if e[0] == 'comma':
            return ['comma', drop_commas(e[1]), drop_commas(e[2])]
        return drop_commas(e)

    def expr1(self, depth, susp, plain):
        if susp and self.chance(0.25):
            s = self.suspension()
            if s:
                return s
        if depth <= 0 or self.chance(0.3):
            return self.leaf()
        c = self.r.randrange(10)
        d = depth - 1
        if c < 3:
            op = self.r.choice(['+', '-', '*', '/', '%', '<', '==', '!=', '>='])
            l, r = self.expr(d, susp, plain), self.expr(d, susp, plain)
            if l == r and op in ('<', '==', '!=', '>=', '-', '/', '%'):
                r = ['num', 2]      # no self-comparison (a warning)
            if op in ('<', '==', '!=', '>='):   # nor a boolean against 2
                for i, x in ((1, l), (0, r)):
                    y = (l, r)[i]
                    if x[0] == 'num' and is_bool(y):
                        x[1] = x[1] & 1
            return self.unseq(['bin', op, l, r])
        if c == 3:
            l, r = self.expr(d, susp, plain), self.expr(d, susp, plain)
            if l == r:
                r = ['num', 1]
            if not self.on['nestedlogic']:
                r = calm_logic(r)
            if not self.on['commaternary']:
                l, r = strip_ternary_susp(l, self), strip_ternary_susp(r, self)
            return ['bin', self.r.choice(['&&', '||']), l, r]
        if c == 4:
            bs = self.on['ternary'] and susp
            e = ['cond', self.expr(d, susp, plain), self.expr(d, bs, plain), self.expr(d, bs, plain)]
            # gcc warns about ?: arms that are constants other than 0 and 1
            # in a boolean context, and folds a constant condition
            for i in (2, 3):
                if e[i][0] == 'num':
                    e[i] = ['num', e[i][1] & 1]
            if e[1][0] == 'num':
                return e[2] if e[1][1] else e[3]
            return e
        if c == 5:
            left = self.suspension() if susp and self.on['commasusp'] else None
            if left is None:
                if not plain:
                    return self.leaf()
                left = ['P', self.newtag(), self.expr(d, False, plain)]
            right = self.expr(d, susp, plain)
            if not self.on['commaternary']:
                right = strip_ternary_susp(right, self)
            return ['comma', left, right]
        if c == 6:
            h = self.r.choice(sorted(HELPERS))
            return self.unseq(['call', h, [self.expr(d, susp, plain) for _ in range(HELPERS[h][0])]])
        if c == 7 and plain and susp and self.on['ppexpr'] and self.chance(0.3):
            self.in_pp += 1
            e = ['ppif', self.r.randrange(2), self.expr(d, False, plain), self.expr(d, False, plain)]
            self.in_pp -= 1
            return e
        if c == 7 and plain:
            return ['P', self.newtag(), self.expr(d, susp, plain)]
        if c == 8:
            return ['neg', self.expr(d, susp, plain)] if self.chance(0.5) else ['not', self.expr(d, susp, plain)]
        if c == 9 and self.on['gnu']:
            if self.in_pp or self.chance(0.5):     # cogen refuses ({ }) in an #if branch
                # gcc warns when the omitted middle operand is a truth value
                a = self.expr(d, susp, plain)
                if is_bool(a) or a[0] == 'num':
                    a = ['bin', '+', a, ['num', 2]]
                return ['elvis', a, self.expr(d, False, plain)]
            return ['stmtx', self.fresh('sx'), self.expr(d, False, plain), self.expr(d, False, plain)]
        return self.leaf()

    def unseq(self, e):
        """Operands of + or of a call are unsequenced in C: when several have
        effects, keep only suspensions (cogen orders those left to right)."""
        if e[0] == 'bin':
            ops = [e[2], e[3]]
            self.unseq_list(ops)
            e[2], e[3] = ops
        else:
            self.unseq_list(e[2])
        return e

    def cond_expr(self, loop=False):
        e = strip_ternary_susp(self.expr(2), self)
        if loop and not self.on['nestedlogic']:
            e = calm_logic(e)   # the loop's bound is the && left of it
        return drop_commas(e) if loop and not self.on['loopcomma'] else e

    # ---- statements -----------------------------------------------------------

    def block(self, n, loop=False):
        self.scopes.append({})
        out = []
        for _ in range(n):
            out.extend(self.stmt())
        self.close_scope(out)
        return out

    def close_scope(self, out):
        """Every variable of the scope is read at least once (no -Wunused)."""
        for v in self.scopes.pop().values():
            if not v.static and not reads(after_decl(out, v.name), v.name):
                out.append(self.use(v))

    def use(self, v):
        v.used = True
        return ['p', self.newtag(), self.use_expr(v)] if not self.quiet else ['use', self.use_expr(v)]

    def use_expr(self, v):
        if v.ty == 'int':
            e = ['var', v.name]
        elif v.ty == 'ptr':
            e = ['deref', v.name]
        elif v.ty == 'struct':
            e = ['bin', '+', ['fld', v.name, 'a'], ['fld', v.name, 'b']]
        else:
            e = ['idx', v.name, v.ty[1], ['num', v.ty[1] - 1]]
        return e

    def stmts_budget(self):
        return max(1, int(self.r.randrange(1, 4) * self.size))

    def stmt(self):
        """One or a few statements (a declaration comes with its uses)."""
        self.depth += 1
        try:
            return self.stmt1()
        finally:
            self.depth -= 1

    def stmt1(self):
        r = self.r
        deep = self.depth > 3
        kinds = ['p', 'assign', 'decl', 'decl']
        if self.susp_ok():
            kinds += ['susp', 'susp', 'susp']
        if not deep:
            kinds += ['if', 'block', 'while', 'do', 'for', 'for']
            if self.on['switch']:
                kinds.append('switch')
            if self.on['defer'] and not self.quiet:
                kinds += ['deferblock', 'deferblock']
            if self.on['range'] and self.gens and not self.quiet:
                kinds.append('range')
            if self.fn.kind in ('agen', 'async', 'amain') and self.on['asyncgen'] and self.agens \
                    and not self.quiet and not self.nosusp:
                kinds.append('forawait')
            if self.fn.kind in ('async', 'amain') and self.on['async'] and self.on['deadline'] \
                    and not self.quiet:
                kinds.append('dl')
            if self.fn.kind in ('agen', 'async', 'amain') and self.on['async'] and not self.quiet \
                    and not self.nosusp:
                if self.on['selstmt']:
                    kinds.append('select')
                if self.on['chanfor'] and self.prods:
                    kinds.append('chanfor')
                if self.on['group']:
                    kinds.append('group')
                if self.on['timeout']:
                    kinds.append('tmo')
        if self.loops:
            kinds += ['break', 'continue']
        elif self.switches:
            kinds.append('break')
        if self.fn.kind in ('gen', 'agen') and self.chance(0.1):
            kinds.append('return')
        if self.fn.kind in ('async', 'amain') and not self.quiet and self.on['selstmt'] and self.chance(0.05):
            kinds.append('return')      # out of whatever select or for await it is in
        if self.on['static'] and self.fn.kind != 'amain':
            kinds.append('static')
        if self.on['stmtmacro']:
            kinds.append('macro')
        k = r.choice(kinds)
        if k == 'p':
            e = fix_ternary(self.expr(2), self)
            return [['p', self.newtag(), e] if not self.quiet else ['assign', self.lval(), '=', e]]
        if k == 'assign':
            lv = self.lval()
            e = fix_ternary(self.expr(2), self)
            return [['assign', lv, self.assign_op(e), e]]
        if k == 'macro':    # an assign whose op 'BUMP' emit.py prints as the macro
            return [['assign', self.lval(), 'BUMP', self.expr(1, susp=False)]]
        if k == 'decl':
            return self.decl()
        if k == 'static':
            return self.static_decl()
        if k == 'susp':
            return [self.susp_stmt()]
        if k == 'if':
            c = self.cond_expr()
            t = ['block', self.block(self.stmts_budget())]
            e = ['block', self.block(self.stmts_budget())] if self.chance(0.5) else None
            return [['if', c, t, e]]
        if k == 'block':
            return [['block', self.block(self.stmts_budget())]]
        if k in ('while', 'do'):
            cnt = self.fresh('w')
            c = self.cond_expr(loop=True)
            body = self.loop_body()
            if k == 'while':
                return [['while', cnt, r.randrange(1, 4), c, body]]
            return [['do', cnt, r.randrange(1, 4), body, c]]
        if k == 'for':
            return [self.for_stmt()]
        if k == 'switch':
            return [self.switch_stmt()]
        if k == 'deferblock':
            return [['block', self.defer_block()]]
        if k == 'range':
            g = r.choice(self.gens)
            var = r.choice(INT_NAMES)
            args = [self.expr(1, susp=False, plain=False) for _ in g.params]
            self.scopes.append({})
            self.declare(var, 'int').used = True
            self.loops.append('range')
            body = self.block(self.stmts_budget())
            self.loops.pop()
            self.scopes.pop()
            body.insert(0, ['p', self.newtag(), ['var', var]] if not self.quiet else ['assign', self.lval(), '+=', ['var', var]])
            return [['range', var, g.name, args, ['block', body]]]
        if k == 'forawait':
            g = r.choice(self.agens)
            var = r.choice(INT_NAMES)
            args = [self.expr(1, susp=False, plain=False) for _ in g.params]
            self.scopes.append({})
            self.declare(var, 'int').used = True
            self.loops.append('range')
            body = self.block(self.stmts_budget())
            self.loops.pop()
            self.scopes.pop()
            body.insert(0, ['p', self.newtag(), ['var', var]])
            return [['forawait', var, g.name, args, ['block', body]]]
        if k in ('select', 'chanfor', 'group', 'tmo', 'dl'):
            return [getattr(self, 'pat_' + k)()]
        if k == 'break':
            return [['if', self.expr(1, susp=False, plain=False), ['break'], None]]
        if k == 'continue':
            return [['if', self.expr(1, susp=False, plain=False), ['continue'], None]]
        if k == 'return':
            v = None if self.fn.kind in ('gen', 'agen') else self.expr(1, susp=False, plain=False)
            return [['if', self.expr(1, susp=False, plain=False), ['return', v], None]]
        raise AssertionError(k)

    def lval(self):
        # every function declares `a` first, so vs is never empty
        v = self.r.choice(self.visible(lambda v: not v.static and not v.ro))
        if v.ty == 'int':
            return ['var', v.name]
        v.used = True
        if v.ty == 'ptr':
            return ['deref', v.name]
        if v.ty == 'struct':
            return ['fld', v.name, self.r.choice('ab')]
        return ['idx', v.name, v.ty[1], self.expr(1, susp=False, plain=False)]

    def assign_op(self, e):
        if contains_susp(e) and not self.on['compoundsusp']:
            return '='
        return self.r.choice(['=', '=', '+=', '-='])

    def susp_stmt(self):
        k = self.fn.kind
        if k in ('gen', 'agen') and (k == 'gen' or self.chance(0.5)):
            if self.on['yieldfrom'] and self.chance(0.15):
                gs = [g for g in self.gens if g.send == self.fn.send] if k == 'gen' else \
                     ([g for g in self.gens if not g.send] if self.on['agyieldfrom'] else [])
                if gs:
                    g = self.r.choice(gs)
                    return ['yieldfrom', g.name, [self.expr(1, susp=False, plain=False) for _ in g.params]]
            if self.fn.send and self.chance(0.5):
                # x = yield e, or a declaration from one (in decl()).
                e = ['yieldv', self.expr(1, susp=False)]
                return ['assign', self.lval(), self.assign_op(e), e]
            e = self.expr(2)
            return ['yield', fix_ternary(e, self) if self.on['yieldternary'] else strip_ternary_susp(e, self)]
        if k == 'gen':
            return ['yield', self.expr(2, susp=False)]
        s = self.suspension()
        if s is None:
            return ['p', self.newtag(), self.expr(1)]
        if s[0] == 'sleep' or self.chance(0.5):
            return ['await', s]
        return ['assign', self.lval(), '=', fix_ternary(['bin', '+', s, self.expr(1)], self)]

    def decl(self):
        r = self.r
        out = []
        n = r.randrange(1, 4)
        ds = []
        kinds = ['int', 'int', 'int']
        if self.on['ptr']:
            kinds.append('ptr')
        if self.on['array']:
            kinds.append('arr')
        if self.on['struct'] and self.chance(0.2) and not ('s' in self.scopes[-1] and 't' in self.scopes[-1]):
            name = r.choice([nm for nm in ('s', 't') if nm not in self.scopes[-1]])
            self.scopes.append({name: Var(name, 'int', static=True)})   # hide it
            init = ['{', [self.expr(1), self.expr(1, susp=False)]]
            if init:
                self.unseq_list(init[1])
            others = self.visible(lambda v: v.ty == 'struct' and v.name != name)
            if others and self.chance(0.3):
                others[0].used = True
                init = ['copy', others[0].name]
            self.scopes.pop()
            v = Var(name, 'struct')
            ds.append(('struct', name, init))
            self.pending = [v]
            self.scopes[-1][name] = v
            if init is None:
                out.append(['assign', ['fld', name, 'a'], '=', self.expr(1, susp=False)])
                out.append(['assign', ['fld', name, 'b'], '=', ['num', 1]])
                v.used = True
            return [['decl', False, ds]] + out
        names = []
        newvars = []
        self.scopes.append({})      # placeholders: a declarator's own name
        for i in range(n):          # is not readable in its initializer
            ty = r.choice(kinds)
            free = [nm for nm in INT_NAMES + ['p', 'q', 'arr']
                    if nm not in names and nm not in self.scopes[-2]]
            if not free:
                free = [self.fresh('v')]
            name = r.choice(free)
            self.scopes[-1][name] = Var(name, 'int', static=True)
            susp = i == 0 or self.on['multidecl']
            if ty == 'ptr':
                targets = [v for v in self.visible(lambda v: v.ty == 'int' and not v.static and not v.ro)] + \
                    [v for v in newvars if v.ty == 'int']
                if not targets:
                    ty = 'int'
                else:
                    t = r.choice(targets)
                    t.used = True
                    ds.append(('ptr', name, ['addr', t.name]))
            if ty == 'int':
                if susp and self.fn.kind == 'gen' and self.fn.send and self.chance(0.3):
                    init = ['yieldv', self.expr(1, susp=False)]
                elif n == 1:
                    init = fix_ternary(self.expr(2), self)
                else:
                    init = strip_ternary_susp(self.expr(2, susp=susp), self)
                ds.append(('int', name, init))
            if ty == 'arr':
                size = r.randrange(1, 4)
                if self.chance(0.8):
                    init = ['{', [strip_ternary_susp(self.expr(1, susp=susp), self)
                                  for _ in range(r.randrange(1, size + 1))]]
                    self.unseq_list(init[1])
                else:
                    init = ['{', [['num', 0]]]
                ds.append((('arr', size), name, init))
            names.append(name)
            newvars.append(Var(name, ds[-1][0]))
        self.scopes.pop()
        for v in newvars:
            self.scopes[-1][v.name] = v
        return [['decl', False, ds]]

    def unseq_list(self, es):
        fx = [effects(e) for e in es]
        if sum(1 for f in fx if f) > 1 and any('p' in f for f in fx):
            first = True
            for i, f in enumerate(fx):
                if f and not first:
                    es[i] = ['num', i]
                first = first and not f

    def static_decl(self):
        name = self.fresh('st')
        v = self.declare(name, 'int', static=True)
        v.used = True
        out = [['decl', True, [('int', name, ['num', self.r.randrange(10)])]], ['bump', name]]
        if not self.quiet:
            out.append(['p', self.newtag(), ['var', name]])
        if self.on['deferstatic'] and self.on['defer'] and not self.quiet and self.chance(0.5):
            out.insert(1, ['defer', ['p', self.newtag(), ['var', name]]])
            return [['block', out]]
        return out

    def loop_body(self, kind='loop'):
        self.loops.append(kind)
        b = ['block', self.block(self.stmts_budget())]
        self.loops.pop()
        return b

    def for_stmt(self):
        r = self.r
        var = self.fresh('i')
        k = r.randrange(1, 4)
        init2 = None
        if self.on['forsusp'] and self.chance(0.3):
            nm = r.choice(INT_NAMES)
            self.scopes.append({nm: Var(nm, 'int', static=True)})
            init2 = (nm, strip_ternary_susp(self.expr(1, susp=self.on['multidecl']), self))
            self.scopes.pop()
        self.scopes.append({})
        cv = self.declare(var, 'int')
        cv.used = cv.ro = True
        if init2:
            self.declare(init2[0], 'int')
        c = self.cond_expr(loop=True) if self.chance(0.6) else None
        step = None
        if self.on['forsusp'] and self.chance(0.4):
            lv = self.lval()
            e = self.expr(1)
            if self.fn.kind == 'gen' and self.fn.send and self.chance(0.5):
                e = ['yieldv', self.expr(1, susp=False)]
            e = strip_ternary_susp(e, self)
            if not self.on['nestedlogic']:
                e = calm_logic(e)   # the step is the right of a comma
            step = ['assign', lv, '=', e]
        body = self.loop_body('for')
        if init2 and not reads([c, body], init2[0]):
            body = ['block', [body, self.use(self.scopes[-1][init2[0]])]]
        self.scopes.pop()
        return ['for', var, k, c, step, body, init2]

    def switch_stmt(self):
        r = self.r
        # The compilers fold what they can of a value (`2 < 6`, clang
        # also `n || 1` and `(P(1, n), 4)`), and clang warns about a
        # constant switch that no case matches: a variable, 0 all along,
        # keeps every condition from folding.
        z = self.fresh('sw')
        self.fn.top.append(z)
        e = ['bin', '+', self.cond_expr(), ['var', z]]
        cases = []
        vals = r.sample(range(-1, 5), r.randrange(1, 4))
        self.switches.append(1)
        for v in vals + ([None] if self.chance(0.5) else []):
            self.scopes.append({})
            body = []
            for _ in range(self.stmts_budget()):
                self.scopes.append({})
                ss = self.stmt()
                self.close_scope(ss)
                if any(x[0] == 'decl' for x in ss):  # no declaration after a case label
                    body.append(['block', ss])
                else:
                    body.extend(ss)
            self.scopes.pop()
            if self.chance(0.5):
                body.append(['break'])
            cases.append((v, body))
        self.switches.pop()
        return ['switch', e, cases]

    def defer_block(self):
        """A block whose defers run at every way out of it."""
        self.scopes.append({})
        out = []
        for _ in range(self.stmts_budget() + 1):
            if self.chance(0.4):
                out.append(self.defer_stmt())
            else:
                out.extend(self.stmt())
        self.close_scope(out)
        return out

    def defer_stmt(self):
        tag = self.newtag()
        vs = [v for v in self.visible(lambda v: v.ty == 'int' and not v.static)]
        if vs and self.chance(0.7) and self.on['defershadow']:
            v = self.r.choice(vs)
            v.used = True
            if self.chance(0.3):
                return ['defer', ['block', [['p', tag, ['var', v.name]],
                                            ['assign', ['var', v.name], '+=', ['num', 1]]]]]
            return ['defer', ['p', tag, ['var', v.name]]]
        return ['defer', ['p', tag, ['num', self.r.randrange(100)]]]

    # ---- functions --------------------------------------------------------------

    def function(self, fn, nstmts):
        self.fn = fn
        self.quiet = fn.quiet
        self.scopes = [{}]
        self.loops, self.switches = [], []
        self.depth = 0
        for p in fn.params:
            self.declare(p, 'int').used = True
        self.scopes.append({})
        body = [['decl', False, [('int', 'a', self.expr(1, susp=False))]]]
        self.scopes[-1]['a'] = Var('a', 'int')
        if not fn.quiet and fn.params:
            body.append(['p', self.newtag(), ['call', 'h2', [['var', p] for p in (fn.params * 3)[:3]]]])
        elif fn.params:
            body.append(['assign', ['var', 'a'], '+=', ['var', fn.params[0]]])
        for _ in range(nstmts):
            body.extend(self.stmt())
        self.close_scope(body)
        fn.body = body
        add_gotos(fn, self)
        if fn.kind == 'async':
            fn.body.append(['return', self.expr(1, susp=False, plain=False)])

    def generate(self):
        r = self.r
        self.gens, self.asyncs, self.agens, self.prods = [], [], [], []
        ngen = r.randrange(1, 4)
        for i in range(ngen):
            send = self.on['send'] and self.chance(0.4)
            fn = Fn('gen', 'g%d' % i, ['p%d' % j for j in range(r.randrange(0, 3))], send=send)
            self.function(fn, int(r.randrange(2, 6) * self.size))
            self.fns.append(fn)
            self.gens.append(fn)
        if self.on['async'] and self.on['chan'] and self.on['chanfor']:
            for i in range(r.randrange(1, 3)):
                prod = Fn('async', 'prod%d' % len(self.fns), ['n'], quiet=True)
                self.function_producer(prod)
                self.fns.append(prod)
                self.prods.append(prod)
        if self.on['async']:
            for i in range(r.randrange(0, 3)):
                fn = Fn('async', 'f%d' % i, ['p%d' % j for j in range(r.randrange(0, 3))])
                self.function(fn, int(r.randrange(1, 5) * self.size))
                self.fns.append(fn)
                self.asyncs.append(fn)
            if self.on['asyncgen']:
                for i in range(r.randrange(0, 3)):
                    fn = Fn('agen', 'ag%d' % i, ['p%d' % j for j in range(r.randrange(0, 2))])
                    self.function(fn, int(r.randrange(1, 5) * self.size))
                    self.fns.append(fn)
                    self.agens.append(fn)
        main = Fn('main', 'main', [])
        self.fn = main
        self.scopes = [{}]
        main.body = self.drivers()
        amain = None
        if self.on['async']:
            amain = Fn('amain', 'amain', [])
            self.function(amain, int(r.randrange(1, 4) * self.size))
            amain.body.extend(self.async_patterns())
            amain.body.append(['return', ['num', 7]])
            self.fns.append(amain)
            main.body.append(['p', self.newtag(), ['call', 'co_run', []]])
        self.fns.append(main)
        if self.on['anyorder']:
            # A stream of its own, so that the program is the same as
            # without the feature, only in another order.
            order = random.Random(self.r.random())
            if order.random() < 0.5:
                order.shuffle(self.fns)
        return Program(self.fns, self.on)

    def drivers(self):
        """main drives each generator: by range-for or through its handle."""
        r = self.r
        out = []
        for g in self.gens:
            for _ in range(r.randrange(1, 3)):
                args = [['num', r.randrange(-2, 6)] for _ in g.params]
                if self.on['handle'] and (g.send or self.chance(0.4)):
                    ops = []
                    for _ in range(r.randrange(1, 8)):
                        if g.send and ops and self.chance(0.7):
                            ops.append(('send', r.randrange(-3, 9)))
                        else:
                            ops.append(('next', 0))
                    out.append(['drive', 'handle', g.name, args, ops, self.newtag()])
                else:
                    limit = r.randrange(1, 12) if self.chance(0.6) else 1000
                    out.append(['drive', 'range', g.name, args, limit, self.newtag()])
        return out

    def async_patterns(self):
        r = self.r
        out = []
        if self.on['chan'] and self.chance(0.6):
            prod = Fn('async', 'prod%d' % len(self.fns), ['n'], quiet=True)
            saved = self.fn
            self.function_producer(prod)
            self.fns.insert(len(self.fns), prod)
            self.fn = saved
            out.append(['chanpat', prod.name, r.randrange(0, 3), r.randrange(1, 4), self.newtag()])
        if self.on['select'] and self.chance(0.5):
            out.append(['selpat', r.randrange(0, 3), r.randrange(-5, 50), self.newtag()])
        if self.on['cancel'] and self.on['defer'] and self.chance(0.6):
            victim = Fn('async', 'victim%d' % len(self.fns), [])
            saved = self.fn
            self.function_victim(victim)
            self.fns.append(victim)
            self.fn = saved
            # co_cancel where it blocks, or before it ever ran; co_timeout
            # giving up on it; its group cancelled
            how = r.choice(['cancel', 'cancel', 'early', 'timeout', 'group']) if self.on['cancelpt'] \
                else 'cancel'
            out.append(['cancelpat', victim.name, self.newtag(), how])
        if self.asyncs and self.chance(0.5):
            f = r.choice(self.asyncs)
            out.append(['spawnjoin', f.name, [['num', r.randrange(5)] for _ in f.params], self.newtag()])
        return out

    # ---- the concurrency forms in statement position ------------------------------
    #
    # Each is one statement (a block of its own) whose output the model
    # knows exactly: the cases of a select that are ready are known (one,
    # or none with a default, a short co_after or a task that wakes it;
    # several only where the sum of what they give is printed), a channel's
    # buffer is tracked, a producer's values come in its order, a group's
    # members print in an order the loop fixes (see pat_group).

    def lv_int(self):
        """An lvalue of type int for an operation's &: a variable, a struct
        field, an array element or *p (the frame's objects)."""
        return self.lval()

    def case_body(self, chosen, last):
        """The statements of a select case or default: break leaves the
        select; braces unless the statements allow none: a defer belongs
        in a block of its own (cogen refuses a label after one), and so
        does a declaration, but in the last case after its first
        statement (its scope is the select's body, which ends there)."""
        self.switches.append('select')
        n = self.stmts_budget() if chosen else self.r.randrange(0, 2) if self.chance(0.5) else 0
        self.scopes.append({})
        body = []
        if n and self.on['defer'] and self.chance(0.25):
            body.append(self.defer_stmt())
        for _ in range(n):
            body.extend(self.stmt())
        self.close_scope(body)
        self.switches.pop()
        if body and self.chance(0.2):
            body.append(['break'])
        if any(x[0] == 'defer' for x in body):
            braced = True
        elif any(x[0] == 'decl' for x in body):
            braced = not last or body[0][0] == 'decl' or self.chance(0.5)
        else:
            braced = self.chance(0.5)
        return body, braced

    def pat_select(self):
        r = self.r
        scen = r.choice(['one', 'one', 'one', 'default', 'after', 'wake', 'agg'])
        if scen == 'agg':
            return self.pat_selagg()
        tag = self.newtag()
        self.scopes.append({})
        decls = []

        def declare(name, init):
            decls.append((name, init))
            self.declare(name, 'int').used = True
            return ['var', name]
        for _ in range(r.randrange(0, 2)):     # shadowing an outer name, maybe
            nm = r.choice([n for n in INT_NAMES if n not in self.scopes[-1]])
            # its own name in the initializer would be the new variable
            declare(nm, rename_reads(self.expr(1, susp=False, plain=False), [nm], self))
        # now and then more cases than co_select's array holds
        ncase = r.randrange(1, 4) if self.chance(0.95) else r.randrange(17, 21)
        ready = r.randrange(ncase) if scen in ('one', 'wake') else None
        chans, cases, waker = [], [], None
        for i in range(ncase):
            kind = r.choice(['recv', 'recv', 'send'])
            ci = len(chans)
            name = self.fresh('sc')
            aux = self.fresh('ok' if kind == 'recv' else 'rs') if self.chance(0.5) else None
            cap, pre, closed, null = r.randrange(0, 3), [], False, False
            if i == ready and scen == 'one':
                if kind == 'recv':
                    cap = r.randrange(1, 3)
                    pre = [r.randrange(-5, 30) for _ in range(r.randrange(0, cap + 1))]
                    closed = not pre or self.chance(0.3)
                else:
                    closed = aux is not None and self.chance(0.3)
                    cap = r.randrange(1, 3)
                    pre = [r.randrange(30) for _ in range(r.randrange(0, cap))]
            elif i == ready:            # wake: a task makes it ready
                if kind == 'recv':
                    cap = r.randrange(0, 2)
                    waker = (r.choice(['feed', 'feed', 'close']), ci, r.randrange(-5, 30), r.randrange(2))
                else:
                    cap = 0
                    waker = ('take', ci, 0, r.randrange(2))
            else:                       # never ready
                if self.chance(0.2):
                    null = True
                elif kind == 'send' and cap:
                    pre = [r.randrange(30) for _ in range(cap)]
            chans.append([name, cap, pre, closed, null])
            if aux:     # not an operand's destination (written twice)
                declare(aux, ['num', -1])
                self.lookup(aux).ro = True
            cases.append([kind, ci, None, aux, None, False])
        if scen == 'after':     # 0 or less: ready at once
            cases.append(['after', r.choice([-1, 0, 1, 2]), None, False])
        if scen != 'after' and self.chance(0.4):
            cases.append(['after', 100000, None, False])
        r.shuffle(cases)
        for c in cases:                 # the operands, in the scope with the decls
            if c[0] != 'after':
                lv = self.lv_int()
                c[2] = lv
        dflt = None
        if scen == 'default' or (scen == 'one' and self.chance(0.3)):
            dflt = ['default', None, False]
            cases.insert(r.randrange(len(cases) + 1), dflt)
        for c in cases:
            chosen = (c is dflt and scen == 'default') or \
                (c[0] == 'after' and scen == 'after' and c[1] < 100) or \
                (c[0] in ('recv', 'send') and c[1] == ready)
            c[-2], c[-1] = self.case_body(chosen, c is cases[-1])
        self.scopes.pop()
        drain = [i for i, ch in enumerate(chans) if ch[1] and not ch[4]]
        # operands that print: evaluated once each, in order, on entry
        notes = [self.newtag() if c[0] in ('recv', 'send', 'after') and self.chance(0.15) else None
                 for c in cases]
        return ['select', chans, decls, cases, waker, drain, tag, notes]

    def pat_selagg(self):
        """A loop of selects over several ready channels: which case runs is
        the runtime's random choice, what is printed is the sum of what the
        channels held (each weighted) and a count of the even values."""
        r = self.r
        tag = self.newtag()
        chans = []
        for _ in range(r.randrange(2, 4)):
            cap = r.randrange(1, 4)
            chans.append([self.fresh('ga'), cap, [r.randrange(20) for _ in range(r.randrange(1, cap + 1))],
                          r.randrange(1, 4)])
        return ['selagg', chans, self.chance(0.3), self.chance(0.5), self.fresh('gs'), tag]

    def pat_chanfor(self):
        r = self.r
        tag = self.newtag()
        cap = r.randrange(0, 3)
        pre = [r.randrange(-5, 30) for _ in range(r.randrange(0, cap + 1))]
        prod = r.choice(self.prods) if self.chance(0.7) else None
        var = r.choice(INT_NAMES)
        self.scopes.append({})
        self.declare(var, 'int').used = True
        self.loops.append('range')
        self.scopes.append({})
        body = [self.defer_stmt()] if self.on['defer'] and self.chance(0.25) else []
        for _ in range(self.stmts_budget()):
            body.extend(self.stmt())
        self.close_scope(body)
        self.loops.pop()
        self.scopes.pop()
        body.insert(0, ['p', self.newtag(), ['var', var]])
        note = self.newtag() if self.chance(0.2) else None     # the channel is read once
        return ['chanfor', var, self.fresh('fc'), cap, pre, prod.name if prod else None,
                r.randrange(1, 4), ['block', body], tag, note]

    def pat_group(self):
        """Members whose output order the loop fixes: an 'ok' member that
        does not suspend runs to its end in the first batch, in spawn
        order; one that sleeps 0 ends in the second; 'fail' sleeps 1 ms and
        so ends after them, failing the group, whose waiting ('block')
        members are then cancelled in spawn order.  A member of the file
        ('fn', printing) comes last, after 'ok' members that do not
        suspend, and alone with them."""
        r = self.r
        tag = self.newtag()
        v = r.choice(['wait', 'wait', 'fail', 'timeout', 'cancel'])
        mem = []
        for _ in range(r.randrange(0, 3)):
            nap = v in ('fail', 'timeout') and self.chance(0.5)
            mem.append(['ok', self.newtag(), r.randrange(50), nap])
        if v in ('fail', 'timeout', 'cancel'):
            for _ in range(r.randrange(1 if v != 'fail' else 0, 3)):
                mem.append(['block', self.newtag(), r.randrange(50), self.chance(0.5)])
        if v == 'fail':
            mem.append(['fail', self.newtag(), r.randrange(50), r.choice([5, 32, 71])])
        r.shuffle(mem)
        if v == 'wait' and self.asyncs and self.chance(0.6):
            f = r.choice(self.asyncs)
            mem.append(['fn', f.name, [['num', r.randrange(5)] for _ in f.params]])
        wrap = {'wait': self.chance(0.3) and 10000, 'fail': self.chance(0.3) and 10000,
                'timeout': 2, 'cancel': None}[v]
        return ['group', v, mem, wrap, self.fresh('gg'), tag]

    def pat_tmo(self):
        r = self.r
        tag = self.newtag()
        v = r.choice(['int', 'int', 'int', 'struct', 'double', 'expire'])
        if v == 'int' and not self.asyncs:
            v = 'struct'
        if v == 'int':
            f = r.choice(self.asyncs)
            out = self.lv_int() if self.chance(0.5) else None
            return ['tmo', 'int', f.name, [self.expr(1, susp=False, plain=False) for _ in f.params],
                    out, tag]
        if v == 'struct':
            return ['tmo', 'struct', [self.expr(1, susp=False, plain=False) for _ in range(2)], tag]
        if v == 'double':
            return ['tmo', 'double', [self.expr(1, susp=False, plain=False)], tag]
        return ['tmo', 'expire', self.newtag(), r.randrange(50), self.chance(0.5), tag]

    def pat_dl(self):
        """A deadline block: 100000 ms, whose waits all complete in time and
        whose else never runs; or 0, -1, 1 or 2 ms around statements that
        never wait, then defers and a wait that blocks forever, perhaps in a
        nested block or a nested 100000 ms deadline block: the wait is cut,
        the defers run, then the else.  No break or continue leaves the
        block, no label is inside it (add_gotos does not walk into it)."""
        r = self.r
        saved = (self.loops, self.switches, self.nosusp)
        self.loops, self.switches = [], []
        try:
            if self.nosusp or self.chance(0.4):
                body = self.block(self.stmts_budget())
                els = self.block(self.stmts_budget()) if self.chance(0.6) else None
                return ['dl', 100000, body, els]
            self.nosusp = True
            self.scopes.append({})
            body = []
            for _ in range(r.randrange(0, 3)):
                if self.chance(0.3):
                    body.append(self.defer_stmt())
                else:
                    body.extend(self.stmt())
            where = r.choice(['top', 'nested', 'huge'])
            if where == 'top':
                body.append(['dlwait'])
            else:
                inner = []
                if self.chance(0.7):
                    inner.append(self.defer_stmt())
                inner.append(['p', self.newtag(), ['num', r.randrange(100)]])
                inner.append(['dlwait'])
                inner.append(['p', self.newtag(), ['num', r.randrange(100)]])
                body.append(['block', inner] if where == 'nested' else
                            ['dl', 100000, inner,
                             [['p', self.newtag(), ['num', 1]]] if self.chance(0.5) else None])
            body.append(['p', self.newtag(), ['num', r.randrange(100)]])
            self.close_scope(body)
            self.nosusp = saved[2]
            els = self.block(self.stmts_budget()) if self.chance(0.7) else None
            return ['dl', r.choice([0, -1, 1, 2]), body, els]
        finally:
            self.loops, self.switches, self.nosusp = saved

    def function_producer(self, fn):
        """A quiet task: sends values on channel `ch`, prints nothing (the
        consumer prints what arrives, so the order is fixed)."""
        self.fn, self.quiet = fn, True
        saved_asyncs = self.asyncs
        self.asyncs = []        # they print
        self.scopes = [{'n': Var('n', 'int')}]
        self.scopes[0]['n'].used = True
        self.loops, self.switches, self.depth = [], [], 0
        self.scopes.append({})
        body = [['decl', False, [('int', 'a', ['var', 'n'])]]]
        self.scopes[-1]['a'] = Var('a', 'int')
        for _ in range(self.r.randrange(1, 4)):
            body.extend(self.stmt())
            body.append(['send', self.expr(1, susp=False, plain=False)])
        self.close_scope(body)
        fn.body = body
        add_gotos(fn, self)
        self.asyncs = saved_asyncs
        self.quiet = False

    def function_victim(self, fn):
        """A task that blocks forever inside nested blocks with defers; the
        main task cancels it there."""
        self.fn, self.quiet = fn, False
        saved = self.asyncs
        self.asyncs = [f for f in self.asyncs if not suspends(f, self.fns)]
        self.scopes = [{}]
        self.loops, self.switches, self.depth = [], [], 0
        self.scopes.append({})
        body = [['decl', False, [('int', 'a', ['num', 1])]]]
        self.scopes[-1]['a'] = Var('a', 'int')
        lists = [body]
        for _ in range(self.r.randrange(1, 4)):
            for _ in range(self.r.randrange(0, 3)):
                lists[-1].extend(self.stmt_nosusp())
            if self.chance(0.7):
                lists[-1].append(self.defer_stmt())
            inner = []
            how = self.r.choice(['block', 'block', 'vsel', 'vfor']) if self.on['cancelpt'] else 'block'
            if how == 'block':
                lists[-1].append(['block', inner])
                self.scopes.append({})
            else:       # inside a select's case, or a for await's body
                var = self.r.choice(INT_NAMES)
                lists[-1].append([how, var, self.fresh('vc'), self.r.randrange(-5, 30), inner])
                self.scopes.append({})
                self.declare(var, 'int').used = True
            lists.append(inner)
        lists[-1].append(self.defer_stmt())
        how = 'recv'
        if self.on['cancelpt']:
            how = self.r.choice(['recv', 'select', 'forawait', 'timeout', 'nested', 'group'])
        lists[-1].append(['block_here', how, self.newtag(), self.r.randrange(50)])
        lists[-1].extend(self.stmt_nosusp())
        while len(self.scopes) > 1:
            self.close_scope(lists.pop())
        fn.body = body
        fn.body.append(['return', ['num', 0]])
        self.asyncs = saved

    def stmt_nosusp(self):
        """Statements that never suspend (kind 'plainasync': awaits only of
        async functions that complete at once), so a victim runs straight
        to its blocking point."""
        saved = self.fn.kind
        self.fn.kind = 'plainasync'
        try:
            return self.stmt()
        finally:
            self.fn.kind = saved


PATTERNS = ('select', 'selagg', 'chanfor', 'group', 'tmo', 'vsel', 'vfor')


def suspends(f, fns):
    """Whether async f may suspend (it or what it awaits sleeps)."""
    return True if f.kind != 'async' else any_sleep(f.body)


def any_sleep(x):
    if isinstance(x, list):
        if x and x[0] in ('sleep', 'awaitv', 'forawait', 'range') + PATTERNS:
            return True
        return any(any_sleep(y) for y in x)
    if isinstance(x, tuple):
        return any(any_sleep(y) for y in x)
    return False


# ---- expression analysis ------------------------------------------------------

def after_decl(out, name):
    """What follows the declaration of name in the statement list out."""
    for i in range(len(out) - 1, -1, -1):
        s = out[i]
        if s[0] == 'decl':
            names = [d[1] for d in s[2]]
            if name in names:
                k = names.index(name)
                return [list(s[2][k + 1:])] + out[i + 1:]
    return out


def reads(x, name):
    """Whether name is read somewhere in x (judged from the tree: later
    rewrites, e.g. fix_ternary, may have dropped a read that marked a
    variable used).  Assigning a plain variable does not read it."""
    if isinstance(x, tuple):
        x = list(x)
    if not isinstance(x, list) or not x:
        return False
    if isinstance(x[0], str):
        k = x[0]
        if k in ('var', 'deref', 'fld', 'idx', 'addr', 'copy') and len(x) > 1 and x[1] == name:
            return True
        if k == 'assign' and x[1][0] in ('var', 'fld', 'idx'):    # a store
            return reads(x[3], name) or (x[1][0] == 'idx' and reads(x[1][3], name))
        if k == 'for' and x[6] and x[6][0] == name:     # shadowed by the init
            return reads(x[6][1], name)
        if k in ('range', 'forawait') and x[1] == name:
            return reads(x[3], name)
        if k == 'select' and name in [d[0] for d in x[2]]:
            return reads([d[1] for d in x[2]], name)
        if k in ('chanfor', 'vsel', 'vfor') and x[1] == name:
            return False
        if k == 'ppif':     # the branch the preprocessor drops reads nothing
            return reads(x[2] if x[1] else x[3], name)
        return any(reads(y, name) for y in x[1:])
    for s in x:     # a statement list: a declaration of name shadows it
        if isinstance(s, list) and s and s[0] == 'decl' and name in [d[1] for d in s[2]]:
            names = [d[1] for d in s[2]]
            return reads([d[2] for d in s[2][:names.index(name) + 1]], name)
        if reads(s, name):
            return True
    return False


def unsequenced_ok(x):
    """False when operands that C leaves unsequenced (of an operator, a
    call, a brace initializer) print in more than one of them, or print
    beside a suspension: the model's left-to-right order would be a guess."""
    if not isinstance(x, (list, tuple)):
        return True
    ops = None
    if isinstance(x, list) and x and x[0] == 'bin' and x[1] not in ('&&', '||'):
        ops = x[2:]
    elif isinstance(x, list) and x and x[0] in ('call', 'awaitv', '{'):
        ops = x[2] if x[0] != '{' else x[1]
    if ops is not None and isinstance(ops, list):
        fx = [effects(o) for o in ops]
        if sum(1 for f in fx if f) > 1 and any('p' in f for f in fx):
            return False
    return all(unsequenced_ok(y) for y in x)


def is_bool(e):
    if e[0] == 'ppif':
        return is_bool(e[2]) or is_bool(e[3])
    return e[0] == 'not' or (e[0] == 'bin' and e[1] not in ('+', '-', '*', '/', '%'))


def effects(e):
    """'p' for a print, 's' for a suspension, found in e."""
    out = set()
    walk_expr(e, lambda n: out.add('p') if n[0] == 'P' else
              out.add('s') if n[0] in ('yieldv', 'awaitv', 'sleep') else None)
    return out


def contains_susp(e):
    return 's' in effects(e)


def walk_expr(e, f):
    if not isinstance(e, list) or not e:
        return
    f(e)
    k = e[0]
    if k == 'call' or k == 'awaitv':
        for a in e[2]:
            walk_expr(a, f)
    elif k in ('bin',):
        walk_expr(e[2], f)
        walk_expr(e[3], f)
    elif k in ('cond',):
        for a in e[1:]:
            walk_expr(a, f)
    elif k in ('comma', 'elvis'):
        walk_expr(e[1], f)
        walk_expr(e[2], f)
    elif k == 'ppif':
        walk_expr(e[2], f)
        walk_expr(e[3], f)
    elif k == 'stmtx':
        walk_expr(e[2], f)
        walk_expr(e[3], f)
    elif k in ('neg', 'not', 'yieldv'):
        walk_expr(e[1], f)
    elif k in ('P',):
        walk_expr(e[2], f)
    elif k == 'idx':
        walk_expr(e[3], f)
    elif k == '{':
        for a in e[1]:
            walk_expr(a, f)


def fix_ternary(e, g):
    """cogen refuses a yield or await after a ?: whose branches suspend (in
    the same statement): replace such later suspensions with leaves."""
    state = [False]

    def go(n):
        if not isinstance(n, list):
            return n
        k = n[0]
        if k in ('yieldv', 'awaitv', 'sleep'):
            if state[0]:
                return ['num', 3]
            if k == 'yieldv':
                n[1] = go(n[1])
            if k == 'awaitv':
                n[2] = [go(a) for a in n[2]]
            return n
        if k == 'cond':
            n[1] = go(n[1])
            before = state[0]
            n[2] = go(n[2])
            s1 = state[0]
            state[0] = before
            n[3] = go(n[3])
            s2 = state[0]
            susp = contains_susp(n[2]) or contains_susp(n[3])
            state[0] = s1 or s2 or susp
            return n
        if k == 'bin':
            n[2] = go(n[2])
            n[3] = go(n[3])
        elif k in ('call',):
            n[2] = [go(a) for a in n[2]]
        elif k == 'comma':
            n[1] = go(n[1])
            n[2] = go(n[2])
            if not effects(n[1]):   # a left operand without effect warns
                return n[2]
        elif k in ('neg', 'not'):
            n[1] = go(n[1])
        elif k == 'elvis':
            n[1] = go(n[1])
        elif k == 'P':
            n[2] = go(n[2])
        return n
    return go(e)


def calm_logic(e):
    """No suspension right of an && or || anywhere in e."""
    if not isinstance(e, list) or not e or not isinstance(e[0], str):
        return e
    if e[0] == 'bin' and e[1] in ('&&', '||') and contains_susp(e[3]):
        e[3] = ['num', 1]
    for i, x in enumerate(e[1:], 1):
        if isinstance(x, list) and x and isinstance(x[0], str):
            e[i] = calm_logic(x)
        elif isinstance(x, list):
            e[i] = [calm_logic(y) for y in x]
    return e


def drop_commas(e):
    """(print, suspension) commas replaced by their right operand."""
    if not isinstance(e, list) or not e or not isinstance(e[0], str):
        return e
    if e[0] == 'comma' and contains_susp(e[2]) and effects(e[1]):
        return drop_commas(e[2])
    return [e[0]] + [drop_commas(x) if isinstance(x, list) and x and isinstance(x[0], str)
                     else [drop_commas(y) for y in x] if isinstance(x, list) else x
                     for x in e[1:]]


def strip_ternary_susp(e, g):
    """No suspension in the branches of ?: (contexts where cogen cannot
    print the statement once per branch)."""
    def go(n):
        if not isinstance(n, list):
            return n
        if n[0] == 'cond':
            n[1] = go(n[1])
            n[2] = ['num', 1] if contains_susp(n[2]) else go(n[2])
            n[3] = ['num', 2] if contains_susp(n[3]) else go(n[3])
            return n
        for i in range(1, len(n)):
            if isinstance(n[i], list):
                if n[i] and isinstance(n[i][0], str):
                    n[i] = go(n[i])
                else:
                    n[i] = [go(a) for a in n[i]]
        return n
    return go(e)


def rename_reads(e, names, g):
    """Replace reads of `names` with constants."""
    def go(n):
        if not isinstance(n, list) or not n:
            return n
        if n[0] in ('var', 'deref', 'idx', 'fld') and n[1] in names:
            return ['num', 4]
        if n[0] == 'addr':
            return n
        for i in range(1, len(n)):
            if isinstance(n[i], list):
                if n[i] and isinstance(n[i][0], str):
                    n[i] = go(n[i])
                else:
                    n[i] = [go(a) for a in n[i]]
        return n
    return go(e)


# ---- gotos --------------------------------------------------------------------

def add_gotos(fn, g):
    """Put a few labels into blocks and gotos to them from inside the same
    block or blocks nested in it, forward and backward, never across a
    defer (cogen refuses that) and never forward past a declaration."""
    if not g.on['goto']:
        return
    sites = []          # (list, kind, chain); chain: [(list, index)] from fn.body down

    def walk(lst, kind, chain):
        sites.append((lst, kind, chain))
        for i, s in enumerate(lst):
            for sub, k in child_lists(s):
                walk(sub, k, chain + [(lst, i)])
    walk(fn.body, 'block', [])
    for _ in range(g.r.randrange(0, 3)):
        targets = [(l, c) for (l, k, c) in sites
                   if k != 'case' and not in_case_blocks(c)
                   and not any(x[0] == 'defer' for x in l)]
        if not targets:
            return
        tl, tchain = g.r.choice(targets)
        j = g.r.randrange(0, len(tl) + 1)
        cands = []
        for (l, k, c) in sites:
            if l is tl:
                cands.append((l, None))
            elif len(c) > len(tchain) and c[len(tchain)][0] is tl and \
                    not crosses(c[len(tchain):], l, g):
                cands.append((l, c[len(tchain)][1]))
        l, anc = g.r.choice(cands)
        k = g.r.randrange(0, len(l) + 1)
        label = g.fresh('L')
        if anc is None:
            if k == j:
                continue
            forward, lo = k < j, k
        else:
            forward, lo = anc < j, anc + 1
        if forward:
            if any(s[0] == 'decl' for s in tl[lo:j]):
                continue
            gstmt = ['if', g.expr(1, susp=False, plain=False), ['goto', label, None], None]
        else:
            guard = g.fresh('gd')
            fn.top.append(guard)
            gstmt = ['goto', label, guard]
        l.insert(k, gstmt)
        if l is tl and k <= j:
            j += 1
        tl.insert(j, ['label', label])
        sites = []
        walk(fn.body, 'block', [])


def in_case_blocks(chain):
    """Whether the list under chain is a case's body seen through plain
    blocks and the branches of ifs.  No label goes there: when such
    blocks end in a label, gcc 12 misreads the case's closing `/*
    fallthrough */` and warns "this statement may fall through" about the
    plain C as much as about cogen's output of it (seed 9226, 9032 before
    the switch values changed; in an else branch, seed 40036)."""
    for m in range(len(chain) - 1, -1, -1):
        lst, i = chain[m]
        if lst[i][0] not in ('block', 'if'):
            return False
        if m > 0 and chain[m - 1][0][chain[m - 1][1]][0] == 'switch':
            return True
    return False


def crosses(chain, leaf, g):
    """Whether a goto in leaf, under the statements of chain (below the
    target list), would leave a defer's block or a range loop."""
    for x in [c[0] for c in chain[1:]] + [leaf]:
        if any(s[0] == 'defer' for s in x):
            return True
    for (lst, i) in chain:
        if lst[i][0] in ('range', 'forawait') and not g.on['gotorange']:
            return True
    return False


def child_lists(s):
    """The statement lists directly inside statement s, with their kind."""
    k = s[0]
    out = []
    if k == 'block':
        out.append((s[1], 'block'))
    elif k == 'if':
        for b in (s[2], s[3]):
            if b is not None and b[0] == 'block':
                out.append((b[1], 'block'))
    elif k == 'while':
        out.append((s[4][1], 'loop'))
    elif k == 'do':
        out.append((s[3][1], 'loop'))
    elif k == 'for':
        out.append((s[5][1], 'loop'))
    elif k in ('range', 'forawait'):
        out.append((s[4][1], 'range'))
    elif k == 'switch':
        for (_, body) in s[2]:
            out.append((body, 'case'))
    return out


class Program:
    def __init__(self, fns, on):
        self.fns = fns
        self.on = on        # the feature classes on (emit.py reads some)


def generate(seed, off=(), size=1.0):
    return Gen(seed, off, size).generate()
