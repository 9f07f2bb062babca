/*
 * emit.c - writes the C: verbatim text outside the forms, and the bodies of
 * coroutines and range-fors with their forms lowered (frame.c writes the
 * rest of a coroutine: frame, init, close, handle).
 *
 * The emitter makes no decisions: what to hoist, which state is which and
 * which cleanups run where were settled by the passes.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

/* The `{ … }` of a struct/union/enum body in a declaration's specifiers
 * whose type moved to file scope: [*lb, *rb], or 0 when there is none. */
int emit_moved_body(Unit *u, Node *d, int *lb, int *rb)
{
    if (!d || !(d->flags & NF_HOIST)) return 0;
    for (int i = d->spec[0]; i < d->spec[1]; i++)
        if (u->toks[i].id == TK_LBRACE) {
            int depth = 0;
            for (*lb = i; i < d->spec[1]; i++) {
                depth += u->toks[i].id == TK_LBRACE;
                if (u->toks[i].id == TK_RBRACE && --depth == 0) break;
            }
            *rb = i;
            return 1;
        }
    return 0;
}

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
    if (d->field) out_genf(o, lb, " %s", d->field);
    if (rb + 1 < d->spec[1]) {
        out_gen(o, rb, " ");
        out_toks(o, rb + 1, d->spec[1], NULL);
    }
}

/* ---- statements ------------------------------------------------------------------- */


const char *emit_fp(Out *o) { return o->f && o->f->kind != F_PLAIN ? o->f->fp : ""; }

/* The frame of a sub-generator: a field of ours, or a local of the loop. */
const char *emit_sub(Out *o, Node *n)
{
    return n->flags & NF_HOIST ? cg_fmt(o->u, "%s->%s", emit_fp(o), n->field) : n->field;
}

const char *emit_name(Out *o, Func *f)
{
    const Token *t = &o->u->toks[f->name];
    return cg_strdup(o->u, o->u->src + t->off, t->len);
}

/* The coroutine a range-for, yield-from or await calls. */
/* The call an await resumes: `NAME(args)`, or co_timeout's inner one. */
static Node *await_call(Node *n)
{
    Node *c = n->a;
    while (c->kind == N_PAREN) c = c->a;
    if (n->flags & NF_TIMEOUT) {
        c = c->b->next;
        while (c->kind == N_PAREN) c = c->a;
    }
    return c;
}

const char *emit_callee(Out *o, Node *n)
{
    if (n->kind == N_AWAIT) {
        const Token *t = &o->u->toks[await_call(n)->a->first];
        return cg_strdup(o->u, o->u->src + t->off, t->len);
    }
    return emit_name(o, n->callee);
}

int emit_is_async(const Func *f) { return f && (f->kind == F_ASYNC || f->kind == F_ASYNC_GEN); }

/* Frame functions of a non-static async function or async generator are
 * external, so other files can embed its frame (through the header
 * --header writes); the C compiler still inlines them in their own file. */
const char *emit_linkage(const Func *f)
{
    return emit_is_async(f) && !f->is_static ? "" : "static inline ";
}

int emit_has_type(Unit *u, const int r[2])
{
    return r[1] > r[0] && !(r[1] == r[0] + 1 && u->toks[r[0]].id == TK_VOID);
}

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

/* A call's arguments (or other user text amid generated code) at their
 * own column. */
static void args(Out *o, int a, int b, Node *chain)
{
    if (b <= a) return;
    out_at(o, a);
    out_toks(o, a, b, chain);
}

/* The code that suspends at yield y: store the value, record the state,
 * return, and the label where resuming continues. */
static void await_code(Out *o, Node *n, Node *chain);

static void suspend(Out *o, Node *y, Node *chain)
{
    if (y->kind == N_AWAIT) {
        await_code(o, y, chain);
        return;
    }
    if (y->a) {
        out_lead(o, y->a->first, cg_fmt(o->u, "%s->co_value = (", emit_fp(o)));
        out_toks(o, y->a->first, y->a->end, chain);  /* an await in the operand ran before */
        out_gen(o, y->first, "); ");
    }
    out_genf(o, y->first, "%s->co_state = %d; return %s; co_y%d:;", emit_fp(o), y->state,
         emit_is_async(o->f) ? "CO_YIELD" : "1", y->state);
    if (y->field) out_genf(o, y->first, " %s->%s = %s->co_sent;", emit_fp(o), y->field, emit_fp(o));
}

static void suspend_all(Out *o, Node *chain);

static void cond_value(Out *o, Node *h, Node *br, Node *points, const char *set)
{
    suspend_all(o, points);
    out_gen(o, h->first, set);
    out_toks(o, br->first, br->end, points);
    out_gen(o, h->first, "); ");
}

/* A ?: whose value goes to a temporary: `__typeof__(c ? b : e) co_xN;
 * if (c) { b's points; co_xN = (b); } else { e's points; co_xN = (e); }`.
 * GNU `c ?: e` sets it to c and tests it.  A dropped value needs no
 * temporary: each branch is (void)(...). */
static void cond_temp(Out *o, Node *h, Node *chain)
{
    int drop = h->flags & NF_DROP;
    const char *set = drop ? "(void)(" : cg_fmt(o->u, "%s = (", h->field);
    if (!drop) {
        out_gen(o, h->first, "__typeof__(");
        o->whole = 1;
        out_toks(o, h->first, h->end, chain);
        o->whole = 0;
        out_genf(o, h->first, ") %s", h->field);
    }
    if (!h->b && !drop) {
        out_gen(o, h->first, " = (");
        out_toks(o, h->a->first, h->a->end, chain);
        out_genf(o, h->first, "); if (!%s) { ", h->field);
    } else {
        if (!drop) out_gen(o, h->first, "; ");
        out_gen(o, h->first, h->b ? "if (" : "if (!(");
        out_toks(o, h->a->first, h->a->end, chain);
        out_gen(o, h->first, h->b ? ") { " : ")) { ");
        if (h->b) {
            cond_value(o, h, h->b, h->susp, set);
            out_gen(o, h->first, "} else { ");
        }
    }
    cond_value(o, h, h->c, h->susp2, set);
    out_gen(o, h->first, "}");
}

/* The suspension points of a statement, in order, from chain up to stop
 * or a ?: the statement is printed once per branch of.  For `a && b` (`||`)
 * whose b suspends: `t = !!(a); if (t) { b's points; t = !!(b); }`; for
 * `a, b`: `(void)(a);` then b's points. */
static void suspend_range(Out *o, Node *chain, Node *stop)
{
    const char *p = emit_fp(o);
    for (Node *h = chain; h != stop && !(h->flags & NF_PERBRANCH); h = h->snext) {
        if (h->kind == N_COMMA) {
            out_lead(o, h->a->first, "(void)(");
            out_toks(o, h->a->first, h->a->end, chain);
            out_gen(o, h->first, "); ");
            suspend_all(o, h->susp);
        } else if (h->kind == N_BINARY) {
            out_lead(o, h->a->first, cg_fmt(o->u, "%s->%s = !!(", p, h->field));
            out_toks(o, h->a->first, h->a->end, chain);
            out_genf(o, h->first, "); if (%s%s->%s) { ", cg_tok_is(o->u, h->op, "||") ? "!" : "", p, h->field);
            suspend_all(o, h->susp);
            out_lead(o, h->b->first, cg_fmt(o->u, "%s->%s = !!(", p, h->field));
            out_toks(o, h->b->first, h->b->end, h->susp);
            out_gen(o, h->first, "); } ");
        } else if (h->kind == N_COND) {
            cond_temp(o, h, chain);
            out_gen(o, h->first, " ");
        } else {
            suspend(o, h, chain);
            out_gen(o, h->first, " ");
        }
    }
}

static void suspend_all(Out *o, Node *chain) { suspend_range(o, chain, NULL); }

/* A statement whose last suspension is a ?: with awaits in its branches
 * is printed once per branch: `if (c) { b's points; S[b] } else { e's
 * points; S[e] }`, and again inside a branch whose own points end with a
 * ?:.  Returns 0 when there is no such ?:. */
static void branch_body(Out *o, Node *n, Node *chain, void (*print)(Out *, Node *));

/* GNU `c ?: e`: `{ __typeof__(c ?: e) co_xN = (c); if (co_xN) ...`, so
 * that c runs once and the first branch reads its value with the type
 * of the whole. */
static void gnu_temp(Out *o, Node *n, Node *h, Node *chain)
{
    out_gen(o, n->first, "{ __typeof__(");
    o->whole = 1;
    out_toks(o, h->first, h->end, chain);
    o->whole = 0;
    out_genf(o, n->first, ") %s = (", h->field);
    out_toks(o, h->a->first, h->a->end, chain);
    out_genf(o, n->first, "); if (%s) { ", h->field);
}

static void branch_split(Out *o, Node *n, Node *h, Node *chain, void (*print)(Out *, Node *))
{
    if (h->b) {
        out_lead(o, h->a->first, "if (");
        out_toks(o, h->a->first, h->a->end, chain);
        out_gen(o, n->first, ") { ");
    } else gnu_temp(o, n, h, chain);
    h->flags &= ~NF_ELSE;
    branch_body(o, n, h->susp, print);
    out_gen(o, n->first, " } else { ");
    h->flags |= NF_ELSE;
    branch_body(o, n, h->susp2, print);
    out_gen(o, n->first, h->b ? " }" : " } }");
}

static void branch_body(Out *o, Node *n, Node *chain, void (*print)(Out *, Node *))
{
    Node *last = chain;
    while (last && last->snext) last = last->snext;
    suspend_all(o, chain);
    if (last && (last->flags & NF_PERBRANCH)) branch_split(o, n, last, chain, print);
    else {
        out_at(o, n->first);
        print(o, n);
    }
}

static int cond_split(Out *o, Node *n, void (*print)(Out *, Node *))
{
    Node *h = n->susp;
    while (h && h->snext) h = h->snext;
    if (!h || !(h->flags & NF_PERBRANCH)) return 0;
    out_gen(o, n->first, "{ ");
    branch_body(o, n, n->susp, print);
    out_gen(o, n->first, " }");
    return 1;
}

/* What a suspension point gives the statement it is in: the sent value of
 * a yield, the result of an await, the temporary of && and || and ?:. */
const char *emit_susp_value(Out *o, Node *y)
{
    if (y->kind == N_YIELD) return cg_fmt(o->u, "%s->%s", emit_fp(o), y->field ? y->field : "co_sent");
    if (y->kind == N_BINARY) return cg_fmt(o->u, "%s->%s", emit_fp(o), y->field);
    if (y->kind == N_COND) return y->field;
    if (y->flags & NF_HANDLE) return cg_fmt(o->u, "%s->co_r%d", emit_fp(o), y->state);
    return cg_fmt(o->u, "%s.co_result", emit_sub(o, y));
}

/* Where a task waits, for deadlock reports: "file.co:line". */
static void where(Out *o, int tok)
{
    out_gen(o, tok, "if (!co_t->co_where) co_t->co_where = \"");
    for (const char *p = o->u->path; *p; p++)
        out_genf(o, tok, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
    out_genf(o, tok, ":%d\"; ", o->u->toks[tok].line);
}

/* The suspension: resume the awaited frame until it is done; a pending
 * one returns, to come back to the label.  A boxed frame (recursion) is
 * allocated here and freed once its result is copied out; when memory
 * runs out the task is cancelled. */
/* `await co_timeout(ms, NAME(args))`: the inner frame is resumed first,
 * so that when both happen the operation wins; a fired timer closes it. */
static void timeout_code(Out *o, Node *n, Node *chain)
{
    Node *call = await_call(n), *ms = n->a;
    while (ms->kind == N_PAREN) ms = ms->a;
    ms = ms->b;
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n), *p = emit_fp(o);
    int k = n->state, a0 = call->a->end + 1, a1 = call->end - 1;
    int res = !n->callee || emit_has_type(o->u, n->callee->rtype);
    out_genf(o, n->first, "%s__init(&%s.co_in%s", g, fr, a1 > a0 ? ", " : "");
    args(o, a0, a1, chain);
    out_genf(o, n->first, "); if ((%s.co_result = co_timer_start(&%s.co_tm, ", fr, fr);
    args(o, ms->first, ms->end, chain);
    out_genf(o, n->first, ", co_t)) < 0) %s__close(&%s.co_in); else { co_a%d: ", g, fr, k);
    out_genf(o, n->first, "if (%s__resume(&%s.co_in, co_t) == CO_DONE) { co_timer_stop(&%s.co_tm); %s.co_result = %s; } ",
         g, fr, fr, fr, res ? cg_fmt(o->u, "%s.co_in.co_result", fr) : "0");
    /* A close may find the operation completed meanwhile (by another
     * thread): then its result stands (CO_CLOSED_DONE). */
    out_genf(o, n->first, "else if (co_timer_fired(&%s.co_tm)) { %s__close(&%s.co_in); %s.co_result = ",
         fr, g, fr, fr);
    if (res)
        out_genf(o, n->first, "%s.co_in.co_state == CO_CLOSED_DONE ? %s.co_in.co_result : ", fr, fr);
    out_gen(o, n->first, "-ETIMEDOUT; } ");
    out_genf(o, n->first, "else { %s->co_state = %d; ", p, k);
    where(o, n->first);
    out_gen(o, n->first, "return CO_PENDING; } }");
}

static void await_code(Out *o, Node *n, Node *chain)
{
    if (n->flags & NF_TIMEOUT) {
        timeout_code(o, n, chain);
        return;
    }
    Node *call = await_call(n);
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n), *p = emit_fp(o);
    int k = n->state, a0 = call->a->end + 1, a1 = call->end - 1, boxed = n->flags & NF_HANDLE;
    const char *ref = boxed ? fr : cg_fmt(o->u, "&%s", fr);
    if (boxed)      /* the frame type may be incomplete here: its size comes from a function */
        out_genf(o, n->first, "if (!(%s = co_alloc(%s__size()))) { co_cancel(co_t); %s->co_state = %d; return CO_PENDING; } ",
             fr, g, p, k);
    out_genf(o, n->first, "%s__init(%s%s", g, ref, a1 > a0 ? ", " : "");
    args(o, a0, a1, chain);     /* awaits in the arguments ran before */
    out_genf(o, n->first, "); co_a%d: if (%s__resume(%s, co_t) == CO_PENDING) { %s->co_state = %d; ", k, g, ref, p, k);
    where(o, n->first);
    out_gen(o, n->first, "return CO_PENDING; }");
    if (boxed) {
        /* The result goes to the frame: another await of the statement
         * may suspend before it is read. */
        if (emit_has_type(o->u, n->callee->rtype))
            out_genf(o, n->first, " %s->co_r%d = %s__result(%s);", p, k, g, fr);
        out_genf(o, n->first, " co_free(%s); %s = NULL;", fr, fr);
    }
}

/* A block's items, then (on the line of its `}`, so no statement seems
 * to belong to a preceding unbraced loop) the cleanups of its defers. */
void emit_block(Out *o, Node *n)
{
    for (Node *i = n->a; i; i = i->next) {
        out_gap(o, i->first);
        emit_stmt(o, i);
    }
    out_gap(o, n->end - 1);
    Node *last = n->a;
    while (last && last->next) last = last->next;
    int jumps = last && (last->kind == N_BREAK || last->kind == N_CONTINUE ||
                         last->kind == N_RETURN || last->kind == N_GOTO);
    if (n->cl[0] != n->cl[1] && !jumps) emit_cleanups(o, n->cl[0], n->cl[1]);
}

/* `(T D)` for the type of v (its declarator D without the name), or
 * `(T [1]D)` for an array of one of them. */
static void literal_type(Out *o, Node *d, Node *v, int wrap)
{
    out_gen(o, v->first, "(");
    emit_specs(o, d);
    if (v->dcl[1] - v->dcl[0] > 1 || wrap) out_gen(o, v->first, " ");
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) {
        if (i > v->dcl[0] && i - 1 != v->name) out_gap(o, i);
        if (i == v->name && wrap) out_gen(o, i, "[1]");
        else if (i != v->name) out_tok(o, i);
    }
    out_gen(o, v->first, ")");
}

/* One hoisted declarator's initialization: an assignment, or (NF_COPY)
 * a copy from a compound literal `(T){ init }`, or `(T [1]){ init }`
 * when init may be a macro of a brace list. */
static void hoisted_init(Out *o, Node *d, Node *v)
{
    const char *lhs = cg_fmt(o->u, "%s->%s", emit_fp(o), v->field);
    int copy = (v->flags & NF_COPY) != 0, wrap = (v->flags & NF_WRAP) != 0;
    int list = v->a->kind == N_INIT_LIST && !wrap;
    if (!copy && !list) {
        out_genf(o, v->first, "%s = (", lhs);
        out_toks(o, v->a->first, v->a->end, d->susp);
        out_gen(o, v->first, ")");
        return;
    }
    out_genf(o, v->first, copy ? "memcpy(&%s, &" : "%s = ", lhs);
    literal_type(o, d, v, wrap);
    if (!list) out_gen(o, v->first, "{ ");
    out_toks(o, v->a->first, v->a->end, d->susp);
    if (!list) out_gen(o, v->first, " }");
    if (copy) out_genf(o, v->first, ", sizeof %s)", lhs);
}

/* A declaration whose variables live in the frame becomes assignments. */
static void hoisted_decl(Out *o, Node *d, Node *from, Node *to)
{
    const char *sep = "";
    for (Node *v = from; v != to; v = v->next) {
        if (!v->a) continue;
        out_gen(o, v->first, sep);
        hoisted_init(o, d, v);
        sep = ", ";
    }
    out_gen(o, d->first, ";");
}

/* Declarators [from, to) of d: assignments when hoisted, else a
 * declaration of their own (the specifiers, minus a type that moved). */
static void declarators(Out *o, Node *d, Node *from, Node *to)
{
    int end = to ? to->first - 1 : d->end - 1;      /* the `,` or `;` after them */
    if (d->a && (d->a->flags & NF_HOIST)) {
        hoisted_decl(o, d, from, to);
        return;
    }
    if ((d->flags & NF_HOIST) && ((d->flags & ST_TYPEDEF) || !d->a)) return;
    if (from == d->a && !(d->flags & NF_HOIST)) out_toks(o, d->first, end, d->susp);
    else {
        emit_specs(o, d);
        out_gen(o, d->spec[1] - 1, " ");
        out_toks(o, from ? from->first : d->spec[1], end, d->susp);
    }
    out_gen(o, end, ";");
}

/* A declaration printed whole, once per branch of its ?:. */
static void decl_rest(Out *o, Node *d) { declarators(o, d, d->a, NULL); }

static int in_init(Node *v, Node *h) { return v->a && h->first >= v->a->first && h->first < v->a->end; }

/* Does d's specifier name a struct, union or enum? */
static int names_tag(Unit *u, Node *d)
{
    for (int i = d->spec[0]; i < d->spec[1]; i++) {
        int id = u->toks[i].id;
        if (id == TK_STRUCT || id == TK_UNION || id == TK_ENUM) return 1;
    }
    return 0;
}

/* The points of an initializer are suspended at after the declarators
 * before it are initialized, as C sequences them. */
static void decl(Out *o, Node *d)
{
    if ((d->flags & NF_FILESCOPE) && (d->flags & ST_STATIC)) return;    /* moved */
    if (!d->a) {    /* `[[fallthrough]];` as written, `struct s;` with its type */
        if (!names_tag(o->u, d)) declarators(o, d, NULL, NULL);
        return;
    }
    if (cond_split(o, d, decl_rest)) return;
    Node *h = d->susp;
    for (Node *v = d->a; v; ) {
        Node *stop = h;
        while (stop && in_init(v, stop)) stop = stop->snext;
        suspend_range(o, h, stop);
        if (stop != h) out_at(o, v == d->a ? d->first : v->first);
        h = stop;
        Node *w = v->next;
        while (w && !(h && in_init(w, h))) w = w->next;
        declarators(o, d, v, w);
        if (w) out_gen(o, w->first, " ");
        v = w;
    }
}

/* A statement whose condition holds a yield: suspend first. */
static void with_susp(Out *o, Node *n, Node **kids, int nk)
{
    if (!n->susp) {
        splice(o, n, kids, nk, NULL);
        return;
    }
    out_gen(o, n->first, "{ ");
    suspend_all(o, n->susp);
    out_at(o, n->first);
    splice(o, n, kids, nk, n->susp);
    out_gen(o, n->end - 1, " }");
}


/* A loop's body amid generated code (which ends with a blank): where it
 * was written.  A block whose items begin on lines of their own only has
 * its `{` to place. */
static void body(Out *o, Node *n)
{
    const Token *t = o->u->toks;
    if (n->kind != N_BLOCK || (n->a && t[n->a->first].line == t[n->first].line)) out_at(o, n->first);
    emit_stmt(o, n);
}

/* A do-while whose condition suspends tests it at the end of a for (;;);
 * a continue in its body jumps to the test (jump()). */
static void do_susp(Out *o, Node *n)
{
    out_gen(o, n->first, "for (;;) { ");
    body(o, n->b);
    if (n->flags & NF_CONTINUED) out_genf(o, n->b->end - 1, " co_c%d: ;", n->first);
    out_gen(o, n->b->end - 1, " ");
    suspend_all(o, n->susp);
    out_lead(o, n->a->first, "if (!(");
    out_toks(o, n->a->first, n->a->end, n->susp);
    out_gen(o, n->a->end, ")) break; }");
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
    int fo = n->kind == N_FOR;
    Node *init = fo ? n->a : NULL, *step = fo ? n->c : NULL;
    Node *cond = fo ? n->b : n->a, *loop_body = fo ? n->d : n->b;
    int mid = step && step->susp, pre = init && (init->susp || mid);
    if (pre) {                          /* the goto must not skip it */
        out_gen(o, n->first, "{ ");
        emit_stmt(o, init);
        out_gen(o, n->first, " ");
        init = NULL;
    }
    if (mid) out_genf(o, n->first, "goto co_s%d; ", n->first);
    out_gen(o, n->first, "for (");
    if (init) emit_stmt(o, init);
    else out_gen(o, n->first, ";");
    out_gen(o, n->first, ";");
    if (step && !mid) {
        out_gen(o, n->first, " ");
        out_text(o, step);
    }
    out_gen(o, n->first, ") { ");
    if (mid) {
        if (!cond_split(o, step, step_text)) {
            out_gen(o, step->first, "{ ");
            suspend_all(o, step->susp);
            step_text(o, step);
            out_gen(o, step->end - 1, " }");
        }
        out_genf(o, n->first, " co_s%d: ; ", n->first);
    }
    if (cond) {
        suspend_all(o, n->susp);
        out_lead(o, cond->first, "if (!(");
        out_toks(o, cond->first, cond->end, n->susp);
        out_gen(o, cond->end, ")) break; ");
    }
    body(o, loop_body);
    out_gen(o, loop_body->end - 1, pre ? " } }" : " }");
}


/* Is the value of e that of a suspension point, all else run before it
 * (`yield x`, `(await f())`, `a, yield x`)?  Then an expression statement
 * of it is only its suspensions: the value alone would be a statement
 * with no effect. */
static int bare_susp(Node *e)
{
    while (e->kind == N_PAREN) e = e->a;
    if (e->kind == N_COMMA) return bare_susp(e->b);
    return e->kind == N_YIELD || e->kind == N_AWAIT;
}

static void expr_stmt(Out *o, Node *n)
{
    if (cond_split(o, n, expr_text)) return;
    if (!n->susp) {
        out_text(o, n);
    } else if (bare_susp(n->a)) {
        out_gen(o, n->first, "{ ");       /* the statement is the suspension */
        suspend_all(o, n->susp);
        out_gen(o, n->first, "}");
    } else {
        with_susp(o, n, NULL, 0);
    }
}

/* `return e;` in an async function: the result into the frame (after
 * any await in e), the cleanups, done. */
static void async_return_rest(Out *o, Node *n)
{
    const char *p = emit_fp(o);
    if (n->a) {
        out_lead(o, n->a->first, cg_fmt(o->u, "%s->co_result = (", p));
        out_toks(o, n->a->first, n->a->end, n->susp);
        out_gen(o, n->first, "); ");
    }
    emit_cleanups(o, n->cl[0], NULL);
    if (o->bol) out_at(o, n->first);    /* after a defer's line */
    out_genf(o, n->first, "%s->co_state = -1; return CO_DONE;", p);
}

static void async_return(Out *o, Node *n)
{
    if (cond_split(o, n, async_return_rest)) return;
    out_gen(o, n->first, "{ ");
    suspend_all(o, n->susp);
    async_return_rest(o, n);
    out_gen(o, n->first, " }");
}

/* The jump itself: its own text, except a continue of a do-while whose
 * condition suspends, which goes to the test (do_susp). */
static void jump_text(Out *o, Node *n)
{
    if (n->kind == N_CONTINUE && n->ref && n->ref->kind == N_DO && n->ref->susp)
        out_genf(o, n->first, "goto co_c%d;", n->ref->first);
    else out_text(o, n);
}

static void jump(Out *o, Node *n)
{
    Func *f = o->f;
    Cleanup *to = n->kind == N_RETURN ? NULL : n->kind != N_GOTO ? n->cl[1]
                : n->ref ? n->ref->cl[0] : n->name < 0 ? n->cl[0] : NULL;
    int gen_return = n->kind == N_RETURN && f->kind != F_PLAIN;
    if (n->kind == N_RETURN && emit_is_async(f)) {
        async_return(o, n);
        return;
    }
    if (n->cl[0] == to && !gen_return) {
        jump_text(o, n);
        return;
    }
    out_gen(o, n->first, "{ ");
    if (n->kind == N_RETURN && n->a && f->kind == F_PLAIN && !f->rvoid && f->rtype[1] > f->rtype[0]) {
        out_toks(o, f->rtype[0], f->rtype[1], NULL);
        out_gen(o, n->first, " co_ret = (");
        args(o, n->a->first, n->a->end, NULL);
        out_gen(o, n->first, "); ");
        emit_cleanups(o, n->cl[0], to);
        if (o->bol) out_at(o, n->first);
        out_gen(o, n->first, "return co_ret; }");
        return;
    }
    emit_cleanups(o, n->cl[0], to);
    if (o->bol) out_at(o, n->first);    /* after a defer's line */
    if (gen_return) out_genf(o, n->first, "%s->co_state = -1; return 0; }", emit_fp(o));
    else {
        jump_text(o, n);
        out_gen(o, n->first, " }");
    }
}

/* `g__init(&fr, args); for (;;) { co_LK: co_r = step g; ... `: the head
 * of a loop over the values of an async generator, inside a block that
 * declares co_r.  A step may suspend the task (CO_PENDING: come back to
 * the label, which steps again), give a value (CO_YIELD: the loop's body)
 * or be done (break). */
static void async_steps(Out *o, Node *n, Node *call, char label)
{
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n), *p = emit_fp(o);
    int a0 = call->a->end + 1, a1 = call->end - 1, k = n->state;
    out_genf(o, n->first, "%s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
    args(o, a0, a1, NULL);
    out_genf(o, n->first, "); for (;;) { co_%c%d: co_r = %s__resume(&%s, co_t); "
                      "if (co_r == CO_PENDING) { %s->co_state = %d; ", label, k, g, fr, p, k);
    where(o, n->first);
    out_gen(o, n->first, "return CO_PENDING; } if (co_r != CO_YIELD) break; ");
}

/* What a range-for runs after its body (the next item, the close) is on
 * the line of its head, as a C for's step and test are: a line then holds
 * code of one block only, so a breakpoint there is one location. */
static void loop_end(Out *o, Node *n)
{
    out_nl(o);
    out_at(o, n->first);
}

/* A range-for's variable, when it is not in the frame, is declared once,
 * before the loop, without a top-level const (each item is assigned to
 * it): the loop's code on the line of its head is then all in one block,
 * and a breakpoint there one location. */
static void loop_var(Out *o, Node *n)
{
    Unit *u = o->u;
    Node *v = n->a->a;
    int ptr = 0;
    if (v->flags & NF_HOIST) return;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) ptr |= u->toks[i].id == TK_STAR;
    for (int i = n->a->first; i < n->a->end; i++) {
        int top = i < v->dcl[0] ? !ptr : i > v->dcl[0] && u->toks[i - 1].id == TK_STAR;
        if (u->toks[i].id == TK_CONST && top) continue;
        if (i == v->name) out_tok(o, i);    /* renamed when a defer sees through */
        else out_put(o, u->src + u->toks[i].off, u->toks[i].len, u->toks[i].line);
        out_gen(o, i, " ");
    }
    out_gen(o, n->first, "; ");
}

/* Each item into the variable. */
static void item(Out *o, Node *v, const char *val)
{
    if (v->flags & NF_HOIST) out_genf(o, v->first, "%s->%s = %s; ", emit_fp(o), v->field, val);
    else {
        out_tok(o, v->name);
        out_genf(o, v->first, " = %s; ", val);
    }
}

/* `for await (T x : g(args)) body` in async code: each item may suspend. */
static void for_await(Out *o, Node *n)
{
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    out_gen(o, n->first, "{ int co_r; ");
    loop_var(o, n);
    async_steps(o, n, n->b, 'a');
    item(o, n->a->a, cg_fmt(o->u, "%s.co_value", fr));
    body(o, n->d);
    loop_end(o, n);
    out_genf(o, n->first, "} %s__close(&%s); }", g, fr);
}

/* `for (T x : g(args)) body` */
static void range_for(Out *o, Node *n)
{
    if (n->flags & NF_AWAIT) {
        for_await(o, n);
        return;
    }
    Unit *u = o->u;
    const char *g = emit_callee(o, n), *fr = emit_sub(o, n);
    Node *call = n->b, *v = n->a->a;
    int a0 = call->a->end + 1, a1 = call->end - 1;   /* the arguments */
    int handle = n->flags & NF_HANDLE;
    out_gen(o, n->first, "{ ");
    if (handle) {
        if (!(n->flags & NF_HOIST)) out_gen(o, n->first, "co_gen *");
        out_genf(o, n->first, "%s = %s(", fr, g);
        args(o, a0, a1, NULL);
        out_gen(o, n->first, "); ");
        out_toks(o, n->callee->ytype[0], n->callee->ytype[1], NULL);
        out_gen(o, n->first, " co_v; ");
        loop_var(o, n);
        out_genf(o, n->first, "while (co_gen_next(%s, &co_v) > 0) { ", fr);
    } else {
        if (!(n->flags & NF_HOIST)) out_genf(o, n->first, "struct %s__frame %s; ", g, fr);
        out_genf(o, n->first, "%s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
        args(o, a0, a1, NULL);
        out_gen(o, n->first, "); ");
        loop_var(o, n);     /* after the arguments, which see an outer name */
        /* do-while: one test per item, so the loop compiles as tight as a plain one. */
        out_genf(o, n->first, "if (%s__resume(&%s)) { do { ", g, fr);
    }
    item(o, v, handle ? "co_v" : cg_fmt(u, "%s.co_value", fr));
    body(o, n->d);
    loop_end(o, n);
    if (handle) out_genf(o, n->first, "} co_gen_close(%s); }", fr);
    else out_genf(o, n->first, "} while (%s__resume(&%s)); } %s__close(&%s); }", g, fr, g, fr);
}

/* What a generator returns at a yield: an async one's resume also says
 * when it waits (CO_PENDING). */
static const char *yield_ret(Out *o) { return emit_is_async(o->f) ? "CO_YIELD" : "1"; }

/* `yield from EXPR;` or of a generator not defined yet: through the
 * co_gen * handle, which is closed at the end. */
static void handle_from(Out *o, Node *n)
{
    Func *f = o->f, *c = n->callee;
    const char *fr = emit_sub(o, n), *p = emit_fp(o), *ret = yield_ret(o);
    Node *call = n->a;
    int k = n->state;
    out_genf(o, n->first, "{ %s = ", fr);
    if (c) {    /* a generator not defined yet: its handle constructor */
        out_genf(o, n->first, "%s(", emit_callee(o, n));
        args(o, call->a->end + 1, call->end - 1, NULL);
        out_gen(o, n->first, ")");
    } else {
        out_gen(o, n->first, "(");
        out_text(o, call);
        out_gen(o, n->first, ")");
    }
    const char *out = emit_has_type(o->u, f->ytype) ? cg_fmt(o->u, "&%s->co_value", p) : "NULL";
    if (f->stype[0])
        out_genf(o, n->first, "; const void *co_in = NULL; while (co_gen_send(%s, co_in, %s) > 0) "
             "{ %s->co_state = %d; return %s; co_y%d:; co_in = &%s->co_sent; } ", fr, out, p, k, ret, k, p);
    else
        out_genf(o, n->first, "; while (co_gen_next(%s, %s) > 0) { %s->co_state = %d; return %s; co_y%d:; } ",
             fr, out, p, k, ret, k);
    out_genf(o, n->first, "co_gen_close(%s); }", fr);
}

/* `yield from g(args);` with g's frame in ours: each value of g is
 * passed on, and what is sent to us is sent to g. */
static void yield_from(Out *o, Node *n)
{
    Func *f = o->f, *c = n->callee;
    const char *fr = emit_sub(o, n), *p = emit_fp(o);
    int k = n->state, yval = emit_has_type(o->u, f->ytype);
    if (n->flags & NF_HANDLE) {
        handle_from(o, n);
        return;
    }
    if (n->flags & NF_AWAIT) {      /* g is an async generator */
        out_gen(o, n->first, "{ int co_r; ");
        async_steps(o, n, n->a, 'y');
    } else {
        const char *g = emit_callee(o, n);
        int a0 = n->a->a->end + 1, a1 = n->a->end - 1;
        out_genf(o, n->first, "{ %s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
        args(o, a0, a1, NULL);
        out_genf(o, n->first, "); while (%s__resume(&%s)) { ", g, fr);
    }
    if (yval) out_genf(o, n->first, "%s->co_value = %s.co_value; ", p, fr);
    out_genf(o, n->first, "%s->co_state = %d; return %s;", p, k, yield_ret(o));
    if (!(n->flags & NF_AWAIT)) {   /* else the loop's head is the label */
        out_genf(o, n->first, " co_y%d:;", k);
        if (f->stype[0] && c->stype[0]) out_genf(o, n->first, " %s.co_sent = %s->co_sent;", fr, p);
    }
    out_gen(o, n->first, " } }");
}

void emit_stmt(Out *o, Node *n)
{
    switch (n->kind) {
    case N_BLOCK:
        if (n->flags & NF_PPGROUP) {    /* its text, and a newline to end #endif */
            for (Node *i = n->a; i; i = i->next) {
                if (i != n->a) out_gap(o, i->first);
                emit_stmt(o, i);
            }
            out_gen(o, n->end - 1, "\n");
            return;
        }
        out_put(o, "{", 1, o->u->toks[n->first].line);
        emit_block(o, n);
        out_put(o, "}", 1, o->u->toks[n->end - 1].line);
        return;
    case N_DECL: decl(o, n); return;
    case N_EXPR: expr_stmt(o, n); return;
    case N_IF: { Node *k[] = { n->b, n->c }; with_susp(o, n, k, 2); return; }
    case N_SWITCH: { Node *k[] = { n->b }; with_susp(o, n, k, 1); return; }
    case N_WHILE: case N_FOR:
        if (n->susp || (n->kind == N_FOR && ((n->a && n->a->susp) || (n->c && n->c->susp)))) {
            loop_split(o, n);
            return;
        }
        if (n->kind == N_FOR) {
            Node *k[] = { n->a && n->a->kind == N_DECL ? n->a : NULL, n->d };
            splice(o, n, k, 2, NULL);
            return;
        }
        /* fall through */
    case N_DO:
        if (n->susp) {
            do_susp(o, n);
            return;
        }
        /* fall through */
    case N_CASE: case N_DEFAULT: case N_LABEL: {
        Node *k[] = { n->b };
        splice(o, n, k, 1, NULL);
        return;
    }
    case N_BREAK: case N_CONTINUE: case N_RETURN: case N_GOTO: jump(o, n); return;
    case N_DEFER: return;
    case N_RANGE_FOR: range_for(o, n); return;
    case N_YIELD_FROM: yield_from(o, n); return;
    default: out_text(o, n); return;
    }
}

/* Cleanups from the top `from` down to (not including) `to`. */
void emit_cleanups(Out *o, Cleanup *from, Cleanup *to)
{
    for (Cleanup *c = from; c && c != to; c = c->next) {
        Node *n = c->n;
        if (n->kind == N_DEFER) {     /* where it was written, for errors and gdb */
            out_at(o, n->a->first);
            out_text(o, n->a);
            out_nl(o);
        } else if (n->kind == N_AWAIT && (n->flags & NF_TIMEOUT)) {
            const char *fr = emit_sub(o, n);
            out_genf(o, n->first, "co_timer_stop(&%s.co_tm); %s__close(&%s.co_in); ", fr, emit_callee(o, n), fr);
        } else if (n->kind == N_AWAIT && (n->flags & NF_HANDLE)) {
            const char *fr = emit_sub(o, n);
            out_genf(o, n->first, "if (%s) { %s__close(%s); co_free(%s); %s = NULL; } ", fr, emit_callee(o, n), fr, fr, fr);
        } else if (n->flags & NF_HANDLE) {
            out_genf(o, n->first, "co_gen_close(%s); ", emit_sub(o, n));
        } else {
            out_genf(o, n->first, "%s__close(&%s); ", emit_callee(o, n), emit_sub(o, n));
        }
    }
}

/* ---- the file ---------------------------------------------------------------------------- */

void cg_emit(Unit *u, FILE *fpo, const Options *opt)
{
    /* A file without forms is copied as it is: it needs no #line. */
    Out o = { .fp = fpo, .u = u, .lines = opt->line && (u->funcs || u->islands),
              .path = opt->path, .bol = 1, .oline = 1 };
    out_lines(&o);
    int at = 0;                 /* source offset copied so far */
    Func *f = u->funcs;
    Island *is = u->islands;
    while (f || is) {
        int ff = f ? u->toks[f->first].off : u->len, fi = is ? u->toks[is->loop->first].off : u->len;
        if (f && ff <= fi) {
            out_raw(&o, at, ff);
            if (f->is_proto) frame_prototype(&o, f);
            else frame_definition(&o, f);
            at = out_tok_end(u, f->last);
            f = f->next;
        } else {
            out_raw(&o, at, fi);
            o.f = is->fn;
            emit_stmt(&o, is->loop);
            o.f = NULL;
            at = out_tok_end(u, is->loop->end - 1);
            is = is->next;
        }
    }
    out_raw(&o, at, u->len);
    out_end(&o);
}
