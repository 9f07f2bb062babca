/*
 * emit.c - the statements of coroutine bodies and of range-fors, with
 * their forms lowered (frame.c writes the rest of a coroutine: frame,
 * init, close, handle; write.c the file around them).
 *
 * The emitter makes no decisions: what to hoist, which state is which,
 * which cleanups run where and the form of each statement (shape.c) were
 * settled by the passes; it prints the form recorded on each node.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

/* A declaration's specifiers; a moved type body is left out (its tag, or
 * the one given to an anonymous type, names it). */
void emit_specs(Out *o, Node *d)
{
    int lb, rb;
    if (!emit_moved_body(o->u, d, &lb, &rb)) {
        out_toks(o, d->spec[0], d->spec[1], NULL);
        return;
    }
    out_toks(o, d->spec[0], lb, NULL);
    if (d->tag) out_genf(o, lb, " %s", d->tag);
    if (rb + 1 < d->spec[1]) {
        out_gen(o, rb, " ");
        out_toks(o, rb + 1, d->spec[1], NULL);
    }
}

/* ---- statements ------------------------------------------------------------------- */


/* Print a statement with some of its sub-statements replaced by their own
 * emission: text up to each kid, the kid, then the rest. */
static void splice(Out *o, Node *n, Node **kids, int nk, Node *chain)
{
    int at = n->first;
    for (int k = 0; k < nk; k++) {
        if (!kids[k]) continue;
        out_toks(o, at, kids[k]->first, chain);
        if (kids[k]->first > at) out_gap(o, kids[k]->first);
        emit_stmt(o, kids[k]);
        at = kids[k]->end;
        if (at < n->end) out_gap(o, at);
    }
    out_toks(o, at, n->end, chain);
}

/* The sub-statements a statement's text holds, printed in their own
 * shapes (a for's init too: a declaration there may be hoisted). */
static int kids(Node *n, Node *k[2])
{
    switch (n->kind) {
    case N_EXPR: return 0;
    case N_IF: k[0] = n->then, k[1] = n->els; return 2;
    case N_FOR: k[0] = n->init, k[1] = n->body; return 2;
    default: k[0] = n->body; return 1;
    }
}

static void splice_kids(Out *o, Node *n, Node *chain)
{
    Node *k[2];
    splice(o, n, k, kids(n, k), chain);
}

/* A call's arguments (or other user text amid generated code) at their
 * own column. */
static void args(Out *o, int a, int b, Node *chain)
{
    if (b <= a) return;
    out_at(o, a);
    out_toks(o, a, b, chain);
}

/* The cached locals in scope at suspension point n go to their frame
 * fields before it, and come back after (hoist.c). */
static void save_cached(Out *o, Node *n)
{
    for (Saved *s = n->saves; s; s = s->next) {
        const Token *t = &o->u->toks[s->var->name];
        out_stmt(o, n->first, "%s->%s = %.*s;", emit_fp(o), s->var->field, t->len, o->u->src + t->off);
    }
}

static void restore_cached(Out *o, Node *n)
{
    for (Saved *s = n->saves; s; s = s->next) {
        if (s->var->flags & NF_PARAM) continue;     /* read on entry already */
        const Token *t = &o->u->toks[s->var->name];
        out_stmt(o, n->first, "%.*s = %s->%s;", t->len, o->u->src + t->off, emit_fp(o), s->var->field);
    }
    if (n->saves) out_nl(o);    /* the user's code goes on on a line of its own */
}

/* The label a wait comes back to, before the step that may suspend: the
 * locals are saved on the way in (nothing between the label and the
 * return changes them) and restored after it. */
static void wait_label(Out *o, Node *n, int tok, char kind, int k)
{
    save_cached(o, n);
    out_label(o, tok, kind, k);
    if (n->saves) out_gen(o, tok, ";");
    restore_cached(o, n);
}

/* The code that suspends at yield y: store the value, record the state,
 * return, and the label where resuming continues. */
static void yield_code(Out *o, Node *y, Node *chain)
{
    const char *p = emit_fp(o);
    if (y->operand) {
        out_line(o, y->first);
        out_lead(o, y->operand->first, cg_fmt(o->u, "%s->co_value = (", p));
        out_toks(o, y->operand->first, y->operand->end, chain);  /* an await in the operand ran before */
        out_gen(o, y->first, ");");
    }
    save_cached(o, y);
    out_stmt(o, y->first, "%s->co_state = %d;", p, y->state);
    out_stmt(o, y->first, "return %s;", emit_is_async(o->f) ? "CO_YIELD" : "1");
    out_label(o, y->first, 'y', y->state);
    out_gen(o, y->first, ";");
    restore_cached(o, y);
    if (y->field) out_stmt(o, y->first, "%s->%s = %s->co_sent;", p, y->field, p);
}

static void suspend_all(Out *o, Node *chain);

static void cond_value(Out *o, Node *h, Node *br, Node *points, const char *set)
{
    suspend_all(o, points);
    out_line(o, h->first);
    out_gen(o, h->first, set);
    out_toks(o, br->first, br->end, points);
    out_gen(o, h->first, ");");
}

/* A ?: whose value goes to a temporary: `__typeof__(c ? b : e) co_xN;
 * if (c) { b's points; co_xN = (b); } else { e's points; co_xN = (e); }`.
 * GNU `c ?: e` sets it to c and tests it.  A dropped value needs no
 * temporary: each branch is (void)(...). */
static void cond_temp(Out *o, Node *h, Node *chain)
{
    int drop = h->shape == SH_COND_DROP;
    const char *set = drop ? "(void)(" : cg_fmt(o->u, "%s = (", h->field);
    out_line(o, h->first);
    if (!drop) {
        out_gen(o, h->first, "__typeof__(");
        o->whole = 1;
        out_toks(o, h->first, h->end, chain);
        o->whole = 0;
        out_genf(o, h->first, ") %s", h->field);
    }
    if (h->shape == SH_COND_GNU) {
        out_gen(o, h->first, " = (");
        out_toks(o, h->cond->first, h->cond->end, chain);
        out_genf(o, h->first, ");");
        out_stmt(o, h->first, "if (!%s) ", h->field);
    } else {
        if (!drop) {
            out_gen(o, h->first, ";");
            out_line(o, h->first);
        }
        out_gen(o, h->first, h->then ? "if (" : "if (!(");
        out_toks(o, h->cond->first, h->cond->end, chain);
        out_gen(o, h->first, h->then ? ") " : ")) ");
        if (h->then) {
            out_open(o, h->first);
            cond_value(o, h, h->then, h->susp, set);
            out_close(o, h->first);
            out_gen(o, h->first, " else ");
        }
    }
    out_open(o, h->first);
    cond_value(o, h, h->els, h->susp2, set);
    out_close(o, h->first);
}

/* `a, b` whose b suspends: `(void)(a);` then b's points. */
static void comma_code(Out *o, Node *h, Node *chain)
{
    out_line(o, h->first);
    out_lead(o, h->lhs->first, "(void)(");
    out_toks(o, h->lhs->first, h->lhs->end, chain);
    out_gen(o, h->first, ");");
    suspend_all(o, h->susp);
}

/* `a && b` (`||`) whose b suspends: `t = !!(a); if (t) { b's points;
 * t = !!(b); }`, `if (!t)` for `||`. */
static void logic_code(Out *o, Node *h, Node *chain)
{
    const char *p = emit_fp(o);
    out_line(o, h->first);
    out_lead(o, h->lhs->first, cg_fmt(o->u, "%s->%s = !!(", p, h->field));
    out_toks(o, h->lhs->first, h->lhs->end, chain);
    out_gen(o, h->first, ");");
    out_stmt(o, h->first, "if (%s%s->%s) ", h->shape == SH_OR ? "!" : "", p, h->field);
    out_open(o, h->first);
    suspend_all(o, h->susp);
    out_line(o, h->first);
    out_lead(o, h->rhs->first, cg_fmt(o->u, "%s->%s = !!(", p, h->field));
    out_toks(o, h->rhs->first, h->rhs->end, h->susp);
    out_gen(o, h->first, ");");
    out_close(o, h->first);
}

static void await_code(Out *o, Node *n, Node *chain);
static void timeout_code(Out *o, Node *n, Node *chain);
static void select_code(Out *o, Node *n);

/* One point of a chain; chain gives the values of those before it. */
static void point(Out *o, Node *h, Node *chain)
{
    switch (h->shape) {
    case SH_COMMA: comma_code(o, h, chain); return;
    case SH_AND: case SH_OR: logic_code(o, h, chain); return;
    case SH_COND_TEMP: case SH_COND_GNU: case SH_COND_DROP: cond_temp(o, h, chain); return;
    case SH_YIELD: yield_code(o, h, chain); return;
    case SH_AWAIT: case SH_AWAIT_BOXED: await_code(o, h, chain); return;
    case SH_AWAIT_TIMEOUT: timeout_code(o, h, chain); return;
    case SH_AWAIT_SELECT: select_code(o, h); return;
    default: return;            /* SH_COND_SPLIT: the statement's branches print it */
    }
}

/* The suspension points of a statement, in order, from chain up to stop. */
static void suspend_range(Out *o, Node *chain, Node *stop)
{
    for (Node *h = chain; h != stop; h = h->snext) point(o, h, chain);
}

static void suspend_all(Out *o, Node *chain) { suspend_range(o, chain, NULL); }

/* A statement whose last suspension is a ?: with awaits in its branches
 * (SH_BRANCHES) is printed once per branch: `if (c) { b's points; S[b] }
 * else { e's points; S[e] }`, and again inside a branch whose own points
 * end with a ?:. */
static void branch_body(Out *o, Node *n, Node *chain, Node *split, void (*print)(Out *, Node *));

/* GNU `c ?: e`: `{ __typeof__(c ?: e) co_xN = (c); if (co_xN) ...`, so
 * that c runs once and the first branch reads its value with the type
 * of the whole. */
static void gnu_temp(Out *o, Node *n, Node *h, Node *chain)
{
    out_open(o, n->first);
    out_stmt(o, n->first, "__typeof__(");
    o->whole = 1;
    out_toks(o, h->first, h->end, chain);
    o->whole = 0;
    out_genf(o, n->first, ") %s = (", h->field);
    out_toks(o, h->cond->first, h->cond->end, chain);
    out_gen(o, n->first, ");");
    out_stmt(o, n->first, "if (%s) ", h->field);
}

static void branch_split(Out *o, Node *n, Node *h, Node *chain, void (*print)(Out *, Node *))
{
    if (h->then) {
        out_line(o, n->first);
        out_lead(o, h->cond->first, "if (");
        out_toks(o, h->cond->first, h->cond->end, chain);
        out_gen(o, n->first, ") ");
    } else gnu_temp(o, n, h, chain);
    out_open(o, n->first);
    h->flags &= ~NF_ELSE;
    branch_body(o, n, h->susp, h->split[0], print);
    out_close(o, n->first);
    out_gen(o, n->first, " else ");
    out_open(o, n->first);
    h->flags |= NF_ELSE;
    branch_body(o, n, h->susp2, h->split[1], print);
    out_close(o, n->first);
    if (!h->then) out_close(o, n->first);
}

static void branch_body(Out *o, Node *n, Node *chain, Node *split, void (*print)(Out *, Node *))
{
    suspend_all(o, chain);
    if (split) branch_split(o, n, split, chain, print);
    else {
        out_user(o, n->first);
        print(o, n);
    }
}

static void branches(Out *o, Node *n, void (*print)(Out *, Node *))
{
    out_open(o, n->first);
    branch_body(o, n, n->susp, n->split[0], print);
    out_close(o, n->end - 1);
}

/* The body of an `if`, a level in. */
static void then(Out *o, int tok, const char *s)
{
    o->depth++;
    out_stmt(o, tok, "%s", s);
    o->depth--;
}

/* The body of `if (… == CO_PENDING)` at resume point k, a level in:
 * `return co_suspend(co_t, &f->co_state, k, "file.co:line");` records k
 * and where the task waits, for deadlock reports. */
static void suspend_return(Out *o, int tok, int k)
{
    o->depth++;
    out_stmt(o, tok, "return co_suspend(co_t, &%s->co_state, %d, \"", emit_fp(o), k);
    for (const char *p = o->u->path; *p; p++)
        out_genf(o, tok, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
    out_genf(o, tok, ":%d\");", o->u->toks[tok].line);
    o->depth--;
}

/* The deadline blocks around wait n, outermost first (arena memory),
 * their number in *m. */
static Node **deadlines(Out *o, Node *n, int *m)
{
    *m = 0;
    for (Node *b = n->deadline; b; b = b->deadline) ++*m;
    Node **d = *m ? cg_alloc(o->u, sizeof *d * (size_t)*m) : NULL;
    int i = *m;
    for (Node *b = n->deadline; b; b = b->deadline) d[--i] = b;
    return d;
}

/* What `if (… == CO_PENDING)` runs at wait n (resume point k): the
 * suspension; inside deadline blocks, first, for each block outermost
 * first, when its deadline passed: the wait's own close (its entry of
 * the cleanups), and unless that close found the operation completed
 * (*state at CO_CLOSED_DONE: the wait ends as if done, after take,
 * when not NULL, took the result; the next wait leaves), the cleanups
 * from the wait to the block's own and `goto co_dN;`, to the block's
 * else, which stops the block's timer. */
static void wait_end(Out *o, Node *n, int k, const char *state, const char *take)
{
    int m, t = n->first;
    Node **d = deadlines(o, n, &m);
    if (!m) {
        suspend_return(o, t, k);
        return;
    }
    out_gen(o, t, " ");
    out_open(o, t);
    for (int i = 0; i < m; i++) {
        out_stmt(o, t, "%sif (co_deadline_over(&%s->%s)) ", i ? "else " : "", emit_fp(o), d[i]->field);
        out_open(o, t);
        emit_cleanups(o, n->cl[0], n->cl[0]->next, t);
        if (state && take) {
            out_stmt(o, t, "if (%s == CO_CLOSED_DONE)", state);
            then(o, t, take);
            out_stmt(o, t, "else ");
        } else if (state) {
            out_stmt(o, t, "if (%s != CO_CLOSED_DONE) ", state);
        }
        if (state) out_open(o, t);
        emit_cleanups(o, n->cl[0]->next, d[i]->cl[0], t);
        out_stmt(o, t, "goto co_d%d;", d[i]->label);
        if (state) out_close(o, t);
        out_close(o, t);
    }
    out_stmt(o, t, "else");
    suspend_return(o, t, k);
    out_close(o, t);
}

/* `NAME__init(args, FRAME);`: the arguments at their column, and first,
 * so that a compiler names the user's argument N as argument N. */
static void init_call(Out *o, int tok, const char *g, int a0, int a1, const char *frame,
                      Node *chain)
{
    out_stmt(o, tok, "%s__init(", g);
    args(o, a0, a1, chain);     /* awaits in the arguments ran before */
    out_genf(o, tok, "%s%s);", a1 > a0 ? ", " : "", frame);
}

static void await_init(Out *o, Node *n, const char *frame, Node *chain)
{
    Node *call = emit_await_call(n);
    init_call(o, n->first, emit_callee(o, n), call->fn->end + 1, call->end - 1, frame, chain);
}

/* `await co_timeout(ms, NAME(args))`: the inner frame beside a struct
 * co_timeout, stepped by the runtime's co_timeout_* (cogen_impl.h). */
static void timeout_code(Out *o, Node *n, Node *chain)
{
    Node *ms = n->operand;
    while (ms->kind == N_PAREN) ms = ms->operand;
    ms = ms->args;
    Node *out = ms->next->next;
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    int k = n->state, t = n->first, res = !n->callee || emit_has_type(o->u, n->callee->rtype);
    const char *take = res && !out ? cg_fmt(o->u, "%s.co_to.co_result = %s.co_in.co_result;", fr, fr)
                                   : cg_fmt(o->u, "%s.co_to.co_result = 0;", fr);
    if (out) {      /* where the result goes, read once, checked to be of its type */
        out_stmt(o, t, "%s.co_out = ", fr);
        args(o, out->first, out->end, chain);
        out_gen(o, t, ";");
        out_stmt(o, t, "_Static_assert(co_timeout_out_fits(");
        args(o, out->first, out->end, chain);
        out_genf(o, t, ", %s.co_in.co_result), \"co_timeout(ms, f(args), &out): out must point at f's result type\");", fr);
        take = cg_fmt(o->u, "co_timeout_take(%s);", fr);
    } else if (res) {
        out_stmt(o, t, "_Static_assert(co_timeout_int_fits(%s.co_in.co_result), \"co_timeout(ms, f(args)) gives f's "
                 "result as an int: for another type write co_timeout(ms, f(args), &out)\");", fr);
    }
    await_init(o, n, cg_fmt(o->u, "&%s.co_in", fr), chain);
    out_stmt(o, t, "if (!co_timeout_start(&%s.co_to, ", fr);
    args(o, ms->first, ms->end, chain);
    out_gen(o, t, ", co_t))");
    then(o, t, cg_fmt(o->u, "%s__close(&%s.co_in);", g, fr));
    out_stmt(o, t, "else ");
    out_open(o, t);
    wait_label(o, n, t, 'a', k);
    out_stmt(o, t, "if (co_timeout_done(&%s.co_to, %s__resume(&%s.co_in, co_t)))", fr, g, fr);
    then(o, t, take);
    out_stmt(o, t, "else if (!co_timeout_fired(&%s.co_to))", fr);
    wait_end(o, n, k, cg_fmt(o->u, "%s.co_in.co_state", fr), res ? take : NULL);
    out_stmt(o, t, "else ");
    out_open(o, t);
    out_stmt(o, t, "%s__close(&%s.co_in);", g, fr);
    if (res) {      /* a close that found the operation completed: its result stands */
        out_stmt(o, t, "if (%s.co_in.co_state == CO_CLOSED_DONE)", fr);
        then(o, t, take);
    }
    out_close(o, t);
    out_close(o, t);
}

/* A select's wait: each case set up in its slot of the select's frame,
 * where it was written (the operation's arguments at their columns, so
 * a compiler names them there), then the select stepped as an await. */
static void select_code(Out *o, Node *n)
{
    Node *sel = n->select;
    const char *fr = emit_sub(o, n);
    int k = n->state, t = n->first;
    for (int i = 0; i < sel->ncases; i++) {
        Node *call = sel->cases[i]->expr;
        while (call->kind == N_PAREN) call = call->operand;
        int fn = call->fn->first, c = call->fn->end;
        const char *op = cg_tok_is(o->u, fn, "co_recv") ? "recv" : cg_tok_is(o->u, fn, "co_send") ? "send" : "after";
        int res = call->args->next && call->args->next->next;
        out_stmt(o, fn, "co_sel__%s(&%s.co_c[%d], ", op, fr, i);
        args(o, c + 1, call->end - 1, NULL);
        out_genf(o, fn, "%s);", op[0] != 'a' && !res ? ", NULL" : "");
    }
    out_stmt(o, t, "co_sel__init(&%s.co_s, %s.co_c, %d, %s);", fr, fr, sel->ncases,
             sel->flags & NF_SELECT_DEFAULT ? "CO_SELECT_DEFAULT" : "0");
    wait_label(o, n, t, 'a', k);
    out_stmt(o, t, "if (co_sel__resume(&%s.co_s, co_t) == CO_PENDING)", fr);
    wait_end(o, n, k, cg_fmt(o->u, "%s.co_s.co_state", fr), NULL);
}

/* The suspension: resume the awaited frame until it is done; a pending
 * one returns, to come back to the label.  A boxed frame (recursion) is
 * allocated here and freed once its result is copied out; when memory
 * runs out the task is cancelled. */
static void await_code(Out *o, Node *n, Node *chain)
{
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n), *p = emit_fp(o);
    int k = n->state, t = n->first, boxed = n->shape == SH_AWAIT_BOXED;
    const char *ref = boxed ? fr : cg_fmt(o->u, "&%s", fr);
    if (boxed) {    /* the frame type may be incomplete here: its size comes from a function */
        out_stmt(o, t, "if (!(%s = co_alloc(%s__size()))) ", fr, g);
        out_open(o, t);
        out_stmt(o, t, "co_cancel(co_t);");
        out_stmt(o, t, "%s->co_state = %d;", p, k);
        out_stmt(o, t, "return CO_PENDING;");
        out_close(o, t);
    }
    await_init(o, n, ref, chain);
    wait_label(o, n, t, 'a', k);
    out_stmt(o, t, "if (%s__resume(%s, co_t) == CO_PENDING)", g, ref);
    wait_end(o, n, k, boxed ? NULL : cg_fmt(o->u, "%s.co_state", fr), NULL);
    if (boxed) {
        /* The result goes to the frame: another await of the statement
         * may suspend before it is read. */
        if (emit_has_type(o->u, n->callee->rtype))
            out_stmt(o, t, "%s->co_r%d = %s__result(%s);", p, k, g, fr);
        out_stmt(o, t, "co_free(%s);", fr);
        out_stmt(o, t, "%s = NULL;", fr);
    }
}

/* A block's items, then (on the line of its `}`, so no statement seems
 * to belong to a preceding unbraced loop) the cleanups of its defers. */
void emit_block(Out *o, Node *n)
{
    for (Node *i = n->items; i; i = i->next) {
        out_gap(o, i->first);
        emit_stmt(o, i);
    }
    out_gap(o, n->end - 1);
    if (n->shape == SH_BLOCK_CLEANUP) {
        emit_cleanups(o, n->cl[0], n->cl[1], n->end - 1);
        out_line(o, n->end - 1);
    }
}

/* Is token i a typedef name in view, or a typed channel type (named as
 * a whole by its macro, as a typedef name)? */
static int typedef_name(Unit *u, int i)
{
    if (u->toks[i].id != TK_IDENT) return 0;
    return cg_is_typename(u, u->src + u->toks[i].off, u->toks[i].len) || cg_chan_type_word(u, i);
}

/* Do specifiers [a, b) name their type with a keyword, a tag or a
 * typedef name? */
static int names_type(Unit *u, int a, int b)
{
    for (int i = a; i < b; i++)
        if (cg_type_keyword(u->toks[i].id) || typedef_name(u, i)) return 1;
    return 0;
}

/* Does a compound literal's type leave out the tokens from i, and up to
 * where?  Storage classes, _Alignas(...) and the attribute groups that
 * do not change the type (aligned, unused ...), which a type name may
 * not have (the frame's field keeps the alignment); and, when the type
 * is named otherwise (typed), a name that is no type, with its
 * arguments: a macro of attributes (CO_UNUSED, ALIGNED(8)). */
static int not_in_type_name(Unit *u, int i, int b, int typed, int *end)
{
    int t = u->toks[i].id, attr = cg_attr_group(u, i, b, end);
    if (attr != ATTR_NONE) return attr != ATTR_TYPE;
    int parens = i + 1 < b && u->toks[i + 1].id == TK_LPAREN;
    *end = parens && (t == TK_ALIGNAS || t == TK_TYPEOF || t == TK_ATOMIC || t == TK_IDENT) ?
           u->pair[i + 1] + 1 : i + 1;
    if (t == TK_IDENT) {
        int prev = u->toks[i - 1].id;
        return typed && !typedef_name(u, i) && prev != TK_STRUCT && prev != TK_UNION && prev != TK_ENUM;
    }
    return t == TK_REGISTER || t == TK_AUTO || t == TK_STATIC || t == TK_EXTERN ||
           t == TK_THREAD_LOCAL || t == TK_ALIGNAS;
}

/* Specifier tokens [a, b) as a type name holds them (typed: the type is
 * named by a keyword, a tag or a typedef name among all the specifiers). */
static void type_name_specs(Out *o, int a, int b, int typed)
{
    int run = a, sep = 0, end;
    for (int i = a; i <= b; i = end) {
        int skip = i == b || not_in_type_name(o->u, i, b, typed, &end);
        if (!skip) continue;
        if (i > run) {
            if (sep) out_gen(o, run, " ");
            out_toks(o, run, i, NULL);
            sep = 1;
        }
        if (i == b) break;
        run = end;
    }
}

/* `(T D)` for the type of v (its declarator D without the name), or
 * `(T [1]D)` for an array of one of them. */
static void literal_type(Out *o, Node *d, Node *v, int wrap)
{
    int lb, rb, typed = names_type(o->u, d->spec[0], d->spec[1]);
    out_gen(o, v->first, "(");
    if (!emit_moved_body(o->u, d, &lb, &rb)) {
        type_name_specs(o, d->spec[0], d->spec[1], typed);
    } else {
        type_name_specs(o, d->spec[0], lb, typed);
        if (d->tag) out_genf(o, lb, " %s", d->tag);
        out_gen(o, rb, " ");
        type_name_specs(o, rb + 1, d->spec[1], typed);
    }
    if (v->dcl[1] - v->dcl[0] > 1 || wrap) out_gen(o, v->first, " ");
    for (int i = v->dcl[0], end; i < v->dcl[1]; i++) {
        int attr = cg_attr_group(o->u, i, v->dcl[1], &end);
        if (attr != ATTR_NONE && attr != ATTR_TYPE) {
            i = end - 1;
            continue;
        }
        if (i > v->dcl[0] && i - 1 != v->name) out_gap(o, i);
        if (i == v->name && wrap) out_gen(o, i, "[1]");
        else if (i != v->name) out_tok(o, i);
    }
    out_gen(o, v->first, ")");
}

/* One hoisted declarator's initialization: an assignment, or (NF_COPY)
 * a copy from a compound literal `(T){ init }`, or `(T [1]){ init }`
 * when init may be a macro of a brace list.  The copy's (void *) lets the
 * field be volatile: the copy initializes it. */
static void hoisted_init(Out *o, Node *d, Node *v)
{
    const char *lhs = cg_fmt(o->u, "%s->%s", emit_fp(o), v->field);
    int copy = (v->flags & NF_COPY) != 0, wrap = (v->flags & NF_WRAP) != 0;
    int list = v->init->kind == N_INIT_LIST && !wrap;
    if (!copy && !list) {
        out_genf(o, v->first, "%s = (", lhs);
        out_toks(o, v->init->first, v->init->end, d->susp);
        out_gen(o, v->first, ")");
        return;
    }
    out_genf(o, v->first, copy ? "memcpy((void *)&%s, &" : "%s = ", lhs);
    literal_type(o, d, v, wrap);
    if (!list) out_gen(o, v->first, "{ ");
    out_toks(o, v->init->first, v->init->end, d->susp);
    if (!list) out_gen(o, v->first, " }");
    if (copy) out_genf(o, v->first, ", sizeof %s)", lhs);
}

/* A run of hoisted declarators becomes assignments. */
static void hoisted_decl(Out *o, Node *d, Node *from, Node *to)
{
    const char *sep = "";
    for (Node *v = from; v != to; v = v->next) {
        if (!v->init) continue;
        out_gen(o, v->first, sep);
        hoisted_init(o, d, v);
        sep = ", ";
    }
    out_gen(o, d->first, ";");
}

/* A run of declarators of d (Run.form): assignments, nothing, the
 * declaration's own text, or the specifiers again (minus a type that
 * moved) and the run's declarators. */
static void run_text(Out *o, Node *d, Run *r)
{
    int end = r->to ? r->to->first - 1 : d->end - 1;      /* the `,` or `;` after them */
    switch (r->form) {
    case RUN_ASSIGN: hoisted_decl(o, d, r->from, r->to); return;
    case RUN_NONE: return;
    case RUN_WHOLE: out_toks(o, d->first, end, d->susp); break;
    default:
        emit_specs(o, d);
        out_gen(o, d->spec[1] - 1, " ");
        out_toks(o, r->from->first, end, d->susp);
        break;
    }
    out_gen(o, end, ";");
}

/* A declaration printed whole, once per branch of its ?:. */
static void decl_rest(Out *o, Node *d) { run_text(o, d, d->runs); }

/* Each run after the points of its initializers. */
static void decl(Out *o, Node *d)
{
    for (Run *r = d->runs; r; r = r->next) {
        suspend_range(o, r->points, r->stop);
        if (r->stop != r->points) out_user(o, r == d->runs ? d->first : r->from->first);
        run_text(o, d, r);
        if (r->to) out_gen(o, r->to->first, " ");
    }
}

/* A statement whose condition holds a yield: suspend first. */
static void points_first(Out *o, Node *n)
{
    out_open(o, n->first);
    suspend_all(o, n->susp);
    out_user(o, n->first);
    splice_kids(o, n, n->susp);
    out_close(o, n->end - 1);
}

/* `select { ... }`: its wait, then a switch on the case that completed. */
static void body(Out *o, Node *n);

static void select_stmt(Out *o, Node *n)
{
    out_open(o, n->first);
    suspend_all(o, n->susp);
    out_stmt(o, n->first, "switch (%s) ", emit_susp_value(o, n->cond));
    body(o, n->body);
    out_close(o, n->end - 1);
}

/* A select's label, `case K:` for the operation written, and what it
 * labels; a later one ends the case before it first. */
static void select_label(Out *o, Node *n)
{
    if (n->shape == SH_SELECT_NEXT) {
        out_stmt(o, n->first, "break;");
        out_user(o, n->first);
    }
    if (n->kind == N_CASE) out_genf(o, n->first, "case %d:", n->case_no);
    else out_gen(o, n->first, "default:");
    if (!n->body) return;
    out_gap(o, n->body->first);
    emit_stmt(o, n->body);
}

/* An expression statement that is only its suspensions. */
static void points_only(Out *o, Node *n)
{
    out_open(o, n->first);
    suspend_all(o, n->susp);
    out_close(o, n->end - 1);
}


/* A loop's body amid generated code (which ends with a blank): where it
 * was written.  A block whose items begin on lines of their own only has
 * its `{` to place. */
static void body(Out *o, Node *n)
{
    const Token *t = o->u->toks;
    if (!o->lines || n->kind != N_BLOCK || (n->items && t[n->items->first].line == t[n->first].line))
        out_user(o, n->first);
    emit_stmt(o, n);
}

/* A loop's body after a generated statement: on a line of its own. */
static void body_line(Out *o, Node *n)
{
    out_line(o, n->first);
    body(o, n);
}

/* A do-while whose condition suspends tests it at the end of a for (;;);
 * a continue in its body jumps to the test (jump_text()). */
static void do_susp(Out *o, Node *n)
{
    out_gen(o, n->first, "for (;;) ");
    out_open(o, n->first);
    body(o, n->body);
    if (n->label) {
        out_label(o, n->body->end - 1, 'c', n->label);
        out_gen(o, n->body->end - 1, " ;");
    }
    suspend_all(o, n->susp);
    out_line(o, n->cond->first);
    out_lead(o, n->cond->first, "if (!(");
    out_toks(o, n->cond->first, n->cond->end, n->susp);
    out_gen(o, n->cond->end, ")) break;");
    out_close(o, n->end - 1);
}

/* An expression statement printed once per branch of its ?:. */
static void expr_text(Out *o, Node *n) { out_toks(o, n->first, n->end, n->susp); }

/* A for's step as a statement (it has no `;` of its own). */
static void step_text(Out *o, Node *n)
{
    expr_text(o, n);
    out_gen(o, n->end - 1, ";");
}

/* A while or for whose head suspends becomes `for (init;; step) { cond's
 * points; if (!(cond)) break; body }`, so that continue still runs the
 * step and then the test.  A suspending init runs before the loop; a
 * suspending step runs at the top of the body, which the first pass skips:
 * `{ init; goto co_sN; for (;;) { step; co_sN: if (!(cond)) break; body } }`. */
static void loop_split(Out *o, Node *n)
{
    Node *init = n->init, *step = n->inc, *cond = n->cond, *loop_body = n->body;
    int mid = n->shape == SH_LOOP_STEP, pre = init && (mid || n->shape == SH_LOOP_INIT);
    if (pre) {                          /* the goto must not skip it */
        out_open(o, n->first);
        out_line(o, init->first);
        emit_stmt(o, init);
        init = NULL;
    }
    if (mid) out_stmt(o, n->first, "goto co_s%d;", n->label);
    out_stmt(o, n->first, "for (");
    if (init) emit_stmt(o, init);
    else out_gen(o, n->first, ";");
    out_gen(o, n->first, ";");
    if (step && !mid) {
        out_gen(o, n->first, " ");
        out_text(o, step);
    }
    out_gen(o, n->first, ") ");
    out_open(o, n->first);
    if (mid) {
        if (step->shape == SH_BRANCHES) branches(o, step, step_text);
        else {
            out_line(o, step->first);
            out_open(o, step->first);
            suspend_all(o, step->susp);
            out_user(o, step->first);
            step_text(o, step);
            out_close(o, step->end - 1);
        }
        out_label(o, n->first, 's', n->label);
        out_gen(o, n->first, " ;");
    }
    if (cond) {
        suspend_all(o, n->susp);
        out_line(o, cond->first);
        out_lead(o, cond->first, "if (!(");
        out_toks(o, cond->first, cond->end, n->susp);
        out_gen(o, cond->end, ")) break;");
        body_line(o, loop_body);
    } else
        body(o, loop_body);
    out_close(o, loop_body->end - 1);
    if (pre) out_close(o, loop_body->end - 1);
}


/* `return e;` in an async function: the result into the frame (after
 * any await in e), the cleanups, done. */
static void async_return_rest(Out *o, Node *n)
{
    const char *p = emit_fp(o);
    if (n->expr) {
        out_line(o, n->first);
        out_lead(o, n->expr->first, cg_fmt(o->u, "%s->co_result = (", p));
        out_toks(o, n->expr->first, n->expr->end, n->susp);
        out_gen(o, n->first, ");");
    }
    emit_cleanups(o, n->cl[0], NULL, n->first);
    out_stmt(o, n->first, "%s->co_state = -1;", p);
    out_stmt(o, n->first, "return CO_DONE;");
}

static void async_return(Out *o, Node *n)
{
    out_open(o, n->first);
    suspend_all(o, n->susp);
    async_return_rest(o, n);
    out_close(o, n->end - 1);
}

/* The jump itself: its own text, or a goto to the label a continue goes
 * to instead (a do-while's suspending test, do_susp). */
static void jump_text(Out *o, Node *n)
{
    if (n->label) out_genf(o, n->first, "goto co_c%d;", n->label);
    else out_text(o, n);
}

/* A jump in braces with the cleanups it runs, from its point to its
 * target's; a return of a value around a plain range-for computes it
 * first. */
static void jump(Out *o, Node *n)
{
    Func *f = o->f;
    out_open(o, n->first);
    if (n->shape == SH_RETURN_TEMP) {
        out_line(o, n->first);
        out_toks(o, f->rtype[0], f->rtype[1], NULL);
        out_genf(o, n->first, " %s = (", n->temp);
        args(o, n->expr->first, n->expr->end, NULL);
        out_gen(o, n->first, ");");
        emit_cleanups(o, n->cl[0], n->cl[1], n->first);
        out_stmt(o, n->first, "return %s;", n->temp);
    } else {
        emit_cleanups(o, n->cl[0], n->cl[1], n->first);
        if (n->shape == SH_RETURN_GEN) {
            out_stmt(o, n->first, "%s->co_state = -1;", emit_fp(o));
            out_stmt(o, n->first, "return 0;");
        } else {
            out_user(o, n->first);
            jump_text(o, n);
        }
    }
    out_close(o, n->end - 1);
}

/* `g__init(&fr, args); for (;;) { co_LK: co_r = step g; ... `: the head
 * of a loop over the values of an async generator, inside a block that
 * declares co_r.  A step may suspend the task (CO_PENDING: come back to
 * the label, which steps again), give a value (CO_YIELD: the loop's body)
 * or be done (break). */
static void async_steps(Out *o, Node *n, Node *call, char label)
{
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    int a0 = call->fn->end + 1, a1 = call->end - 1, k = n->state, t = n->first;
    init_call(o, t, g, a0, a1, cg_fmt(o->u, "&%s", fr), NULL);
    out_stmt(o, t, "for (;;) ");
    out_open(o, t);
    wait_label(o, n, t, label, k);
    out_stmt(o, t, "co_r = %s__resume(&%s, co_t);", g, fr);
    out_stmt(o, t, "if (co_r == CO_PENDING)");
    wait_end(o, n, k, NULL, NULL);
    out_stmt(o, t, "if (co_r != CO_YIELD) break;");
}

/* A range-for's variable, when it is not in the frame, is declared once,
 * before the loop, without a top-level const (each item is assigned to
 * it): the loop's code on the line of its head is then all in one block,
 * and a breakpoint there one location. */
static void loop_var(Out *o, Node *n)
{
    Unit *u = o->u;
    Node *v = n->var_decl->vars;
    int ptr = 0;
    if (v->flags & NF_HOIST) return;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) ptr |= u->toks[i].id == TK_STAR;
    out_line(o, n->first);
    for (int i = n->var_decl->first; i < n->var_decl->end; i++) {
        int top = i < v->dcl[0] ? !ptr : i > v->dcl[0] && u->toks[i - 1].id == TK_STAR;
        if (top && cg_tok_const(u, i)) continue;
        if (i == v->name) out_tok(o, i);    /* renamed when a defer sees through */
        else out_put(o, u->src + u->toks[i].off, u->toks[i].len, u->toks[i].line);
        if (i + 1 < n->var_decl->end) out_gen(o, i, " ");
    }
    out_gen(o, n->first, ";");
}

/* Each item into the variable. */
static void item(Out *o, Node *v, const char *val)
{
    out_line(o, v->first);
    if (v->flags & NF_HOIST) out_genf(o, v->first, "%s->%s = %s;", emit_fp(o), v->field, val);
    else {
        out_tok(o, v->name);
        out_genf(o, v->first, " = %s;", val);
    }
}

/* The close of a range-for (or for await) after its loop. */
static void loop_close(Out *o, Node *n, const char *fmt, const char *g, const char *fr)
{
    out_line(o, n->first);
    out_genf(o, n->first, fmt, g, fr);
    out_close(o, n->first);
}

/* `for await (T x : g(args)) body` in async code: each item may suspend.
 * What a range-for runs after its body (the next item, the close) is on
 * the line of its head, as a C for's step and test are: a line then holds
 * code of one block only, so a breakpoint there is one location. */
static void for_await(Out *o, Node *n)
{
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    out_open(o, n->first);
    out_stmt(o, n->first, "int co_r;");
    loop_var(o, n);
    async_steps(o, n, n->gen, 'a');
    item(o, n->var_decl->vars, cg_fmt(o->u, "%s.co_value", fr));
    body_line(o, n->body);
    out_close(o, n->first);
    loop_close(o, n, "%s__close(&%s);", g, fr);
}

/* `for await (T x : ch) body`: Go's `for x := range ch`, a receive into
 * x (in the frame: the receive writes it while the task waits) each time
 * round, until ch is closed and drained; ch is read once. */
static void for_channel(Out *o, Node *n)
{
    const char *fr = emit_sub(o, n);
    Node *v = n->var_decl->vars;
    int k = n->state, t = n->first;
    out_open(o, t);
    out_stmt(o, t, "%s.co_ch = co_for__chan(", fr);
    args(o, n->gen->first, n->gen->end, NULL);
    out_genf(o, t, ", &%s->%s);", emit_fp(o), v->field);
    out_stmt(o, t, "for (;;) ");
    out_open(o, t);
    out_stmt(o, t, "co_recv__init(%s.co_ch, &%s->%s, &%s.co_op);", fr, emit_fp(o), v->field, fr);
    wait_label(o, n, t, 'a', k);
    out_stmt(o, t, "if (co_recv__resume(&%s.co_op, co_t) == CO_PENDING)", fr);
    wait_end(o, n, k, cg_fmt(o->u, "%s.co_op.co_state", fr), NULL);
    out_stmt(o, t, "if (%s.co_op.co_result <= 0) break;", fr);
    body_line(o, n->body);
    out_close(o, t);
    out_close(o, t);
}

/* `for (T x : g(args)) body` */
static void range_for(Out *o, Node *n)
{
    Unit *u = o->u;
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    Node *call = n->gen, *v = n->var_decl->vars;
    int a0 = call->fn->end + 1, a1 = call->end - 1, t = n->first;   /* the arguments */
    int handle = n->shape == SH_RANGE_HANDLE;
    out_open(o, t);
    out_line(o, t);
    if (handle) {
        if (!(n->flags & NF_HOIST)) out_gen(o, t, "co_gen *");
        out_genf(o, t, "%s = %s(", fr, g);
        args(o, a0, a1, NULL);
        out_gen(o, t, ");");
        out_line(o, t);
        if (n->callee->ytype[1] > n->callee->ytype[0]) out_toks(o, n->callee->ytype[0], n->callee->ytype[1], NULL);
        else out_genf(o, t, "%s__value", g);    /* another file's: its header has the type */
        out_gen(o, t, " co_v;");
        loop_var(o, n);
        out_stmt(o, t, "while (co_gen_next(%s, &co_v) > 0) ", fr);
        out_open(o, t);
    } else {
        if (!(n->flags & NF_HOIST)) {
            out_genf(o, t, "struct %s__frame %s;", g, fr);
            out_line(o, t);
        }
        out_genf(o, t, "%s__init(", g);
        args(o, a0, a1, NULL);
        out_genf(o, t, "%s&%s);", a1 > a0 ? ", " : "", fr);
        loop_var(o, n);     /* after the arguments, which see an outer name */
        /* do-while: one test per item, so the loop compiles as tight as a plain one. */
        out_stmt(o, t, "if (%s__resume(&%s)) ", g, fr);
        out_open(o, t);
        out_stmt(o, t, "do ");
        out_open(o, t);
    }
    item(o, v, handle ? "co_v" : cg_fmt(u, "%s.co_value", fr));
    body_line(o, n->body);
    out_close(o, t);
    if (handle) {
        loop_close(o, n, "co_gen_close(%s%s);", "", fr);
        return;
    }
    out_genf(o, t, " while (%s__resume(&%s));", g, fr);
    out_close(o, t);
    loop_close(o, n, "%s__close(&%s);", g, fr);
}

/* What a generator returns at a yield: an async one's resume also says
 * when it waits (CO_PENDING). */
static const char *yield_ret(Out *o) { return emit_is_async(o->f) ? "CO_YIELD" : "1"; }

/* A value of the generator delegated to passed on: record the state,
 * return; the label where resuming continues (`yield from` of a plain
 * generator; an async one's loop head is its label). */
static void pass_on(Out *o, Node *n, int label)
{
    if (label) save_cached(o, n);
    out_stmt(o, n->first, "%s->co_state = %d;", emit_fp(o), n->state);
    out_stmt(o, n->first, "return %s;", yield_ret(o));
    if (label) {
        out_label(o, n->first, 'y', n->state);
        out_gen(o, n->first, ";");
        restore_cached(o, n);
    }
}

/* `yield from EXPR;` or of a generator not defined yet: through the
 * co_gen * handle, which is closed at the end. */
static void handle_from(Out *o, Node *n)
{
    Func *f = o->f, *c = n->callee;
    const char *fr = emit_sub(o, n), *p = emit_fp(o);
    Node *call = n->gen;
    int t = n->first;
    out_open(o, t);
    out_stmt(o, t, "%s = ", fr);
    if (c) {    /* a generator not defined yet: its handle constructor */
        out_genf(o, t, "%s(", emit_callee(o, n));
        args(o, call->fn->end + 1, call->end - 1, NULL);
        out_gen(o, t, ");");
    } else {
        out_gen(o, t, "(");
        out_text(o, call);
        out_gen(o, t, ");");
    }
    const char *out = emit_has_type(o->u, f->ytype) ? cg_fmt(o->u, "&%s->co_value", p) : "NULL";
    out_line(o, t);
    if (n->shape == SH_FROM_HANDLE_SEND) {
        out_gen(o, t, "const void *co_in = NULL;");
        out_stmt(o, t, "while (co_gen_send(%s, co_in, %s) > 0) ", fr, out);
    } else out_genf(o, t, "while (co_gen_next(%s, %s) > 0) ", fr, out);
    out_open(o, t);
    pass_on(o, n, 1);
    if (n->shape == SH_FROM_HANDLE_SEND) out_stmt(o, t, "co_in = &%s->co_sent;", p);
    out_close(o, t);
    out_stmt(o, t, "co_gen_close(%s);", fr);
    out_close(o, t);
}

/* `yield from g(args);` with g's frame in ours: each value of g is
 * passed on, and what is sent to us is sent to g. */
static void yield_from(Out *o, Node *n)
{
    const char *fr = emit_sub(o, n), *p = emit_fp(o);
    int t = n->first, yval = emit_has_type(o->u, o->f->ytype), async = n->shape == SH_FROM_ASYNC;
    out_open(o, t);
    if (async) {                    /* g is an async generator */
        out_stmt(o, t, "int co_r;");
        async_steps(o, n, n->gen, 'y');
    } else {
        const char *g = emit_callee(o, n);
        int a0 = n->gen->fn->end + 1, a1 = n->gen->end - 1;
        init_call(o, t, g, a0, a1, cg_fmt(o->u, "&%s", fr), NULL);
        out_stmt(o, t, "while (%s__resume(&%s)) ", g, fr);
        out_open(o, t);
    }
    if (yval) out_stmt(o, t, "%s->co_value = %s.co_value;", p, fr);
    pass_on(o, n, !async);
    if (n->shape == SH_FROM_SEND) out_stmt(o, t, "%s.co_sent = %s->co_sent;", fr, p);
    out_close(o, t);
    out_close(o, t);
}

/* The items of an #if group that stands for one statement, and a
 * newline to end its #endif. */
static void pp_group(Out *o, Node *n)
{
    for (Node *i = n->items; i; i = i->next) {
        if (i != n->items) out_gap(o, i->first);
        emit_stmt(o, i);
    }
    out_gen(o, n->end - 1, "\n");
}

static void block(Out *o, Node *n)
{
    out_put(o, "{", 1, o->u->toks[n->first].line);
    emit_block(o, n);
    out_put(o, "}", 1, o->u->toks[n->end - 1].line);
}

/* Block n with statement last printed before its `}`. */
static void block_then(Out *o, Node *n, const char *last)
{
    out_put(o, "{", 1, o->u->toks[n->first].line);
    emit_block(o, n);
    out_nl(o);
    then(o, n->end - 1, last);
    out_line(o, n->end - 1);
    out_put(o, "}", 1, o->u->toks[n->end - 1].line);
}

/* `co_timeout (ms) block [else s]`: the deadline set in the frame, the
 * block, its timer stopped; a wait inside whose deadline passed jumps to
 * co_dN (wait_end), in the else branch, which runs s:
 *
 *     {
 *         if (co_deadline_start(&f->co_dN, (ms), co_t)) {
 *             block
 *             co_deadline_stop(&f->co_dN);
 *         } else {
 *         co_dN:
 *             co_deadline_stop(&f->co_dN);
 *             s
 *         }
 *     }
 *
 * co_deadline_start always gives 1: the else is only entered by a jump
 * (and without a wait inside there is none, nor a label).  The stop
 * after the label rather than before each jump also keeps gcc from
 * reading an empty labelled statement that ends a case as a
 * fall-through its user's comment does not cover. */
static void deadline_stmt(Out *o, Node *n)
{
    const char *p = emit_fp(o);
    int t = n->first;
    out_open(o, t);     /* an if's branch: its else is not the if's */
    out_stmt(o, t, "if (co_deadline_start(&%s->%s, ", p, n->field);
    args(o, n->cond->first, n->cond->end, NULL);
    out_gen(o, t, ", co_t)) ");
    block_then(o, n->then, cg_fmt(o->u, "co_deadline_stop(&%s->%s);", p, n->field));
    out_stmt(o, n->then->end - 1, "else ");
    out_open(o, n->then->end - 1);
    if (n->flags & NF_SUSPEND) {    /* a wait inside may jump here */
        out_label(o, n->then->end - 1, 'd', n->label);
        out_stmt(o, n->then->end - 1, "co_deadline_stop(&%s->%s);", p, n->field);
    }
    if (n->els) {
        out_user(o, n->els->first);
        emit_stmt(o, n->els);
    }
    out_close(o, n->end - 1);
    out_close(o, n->end - 1);
}

/* What a statement printed once per branch prints in each. */
static void branch_rest(Out *o, Node *n)
{
    if (n->kind == N_DECL) decl_rest(o, n);
    else if (n->kind == N_RETURN) async_return_rest(o, n);
    else expr_text(o, n);
}

static void stmt(Out *o, Node *n)
{
    switch (n->shape) {
    case SH_NONE: return;
    case SH_BLOCK: case SH_BLOCK_CLEANUP: block(o, n); return;
    case SH_PP_GROUP: pp_group(o, n); return;
    case SH_SPLICE: splice_kids(o, n, NULL); return;
    case SH_POINTS_FIRST: points_first(o, n); return;
    case SH_SELECT: select_stmt(o, n); return;
    case SH_DEADLINE: deadline_stmt(o, n); return;
    case SH_SELECT_CASE: case SH_SELECT_NEXT: select_label(o, n); return;
    case SH_POINTS: points_only(o, n); return;
    case SH_BRANCHES: branches(o, n, branch_rest); return;
    case SH_DECL: decl(o, n); return;
    case SH_LOOP: case SH_LOOP_INIT: case SH_LOOP_STEP: loop_split(o, n); return;
    case SH_DO: do_susp(o, n); return;
    case SH_JUMP: jump_text(o, n); return;
    case SH_JUMP_CLEANUP: case SH_RETURN_TEMP: case SH_RETURN_GEN: jump(o, n); return;
    case SH_RETURN_ASYNC: async_return(o, n); return;
    case SH_RANGE_FOR: case SH_RANGE_HANDLE: range_for(o, n); return;
    case SH_FOR_AWAIT: for_await(o, n); return;
    case SH_FOR_CHANNEL: for_channel(o, n); return;
    case SH_FROM: case SH_FROM_SEND: case SH_FROM_ASYNC: yield_from(o, n); return;
    case SH_FROM_HANDLE: case SH_FROM_HANDLE_SEND: handle_from(o, n); return;
    default: out_text(o, n); return;
    }
}

/* A statement; the code generated for it is indented as its first line,
 * and one level more in each block generated around it on that line. */
void emit_stmt(Out *o, Node *n)
{
    int outer = o->stmt, depth = o->depth;
    if (outer < 0 || o->u->toks[outer].line != o->u->toks[n->first].line) o->depth = 0;
    o->stmt = n->first;
    stmt(o, n);
    o->stmt = outer;
    o->depth = depth;
}

/* Cleanups from the top `from` down to (not including) `to`, a line
 * each, for the statement at token tok (a jump, a block's `}`). */
void emit_cleanups(Out *o, Cleanup *from, Cleanup *to, int tok)
{
    for (Cleanup *c = from; c && c != to; c = c->next) {
        Node *n = c->n;
        if (n->kind == N_DEFER) {     /* where it was written, for errors and gdb */
            out_user(o, n->body->first);
            out_text(o, n->body);
            out_nl(o);
            continue;
        }
        if (n->kind == N_IF) {        /* a deadline block: its timer */
            out_stmt(o, tok, "co_deadline_stop(&%s->%s);", emit_fp(o), n->field);
            continue;
        }
        const char *fr = emit_sub(o, n);
        out_line(o, tok);
        if (n->shape == SH_FOR_CHANNEL) {
            out_genf(o, tok, "co_recv__close(&%s.co_op);", fr);
        } else if (n->shape == SH_AWAIT_SELECT) {
            out_genf(o, tok, "co_sel__close(&%s.co_s);", fr);
        } else if (n->shape == SH_AWAIT_TIMEOUT) {
            out_genf(o, tok, "co_timeout_stop(&%s.co_to);", fr);
            out_stmt(o, tok, "%s__close(&%s.co_in);", emit_callee(o, n), fr);
        } else if (n->shape == SH_AWAIT_BOXED) {
            out_genf(o, tok, "if (%s) ", fr);
            out_open(o, tok);
            out_stmt(o, tok, "%s__close(%s);", emit_callee(o, n), fr);
            out_stmt(o, tok, "co_free(%s);", fr);
            out_stmt(o, tok, "%s = NULL;", fr);
            out_close(o, tok);
        } else if (n->shape == SH_RANGE_HANDLE || n->shape == SH_FROM_HANDLE ||
                   n->shape == SH_FROM_HANDLE_SEND) {
            out_genf(o, tok, "co_gen_close(%s);", fr);
        } else {
            out_genf(o, tok, "%s__close(&%s);", emit_callee(o, n), fr);
        }
    }
}
