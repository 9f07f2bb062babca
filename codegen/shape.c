/*
 * shape.c - the form each statement is printed in.
 *
 * The last pass.  Once scope, types, hoist and lower have settled names,
 * frame fields, states and cleanups, it chooses for every statement and
 * suspension point of a body the form generated code gives it (enum
 * Shape): whether a loop is split around a suspending test, init or step,
 * which jumps run cleanups and how a return hands over its value, how a
 * declaration's declarators interleave with the suspensions of their
 * initializers, and the labels those forms need.  The emitter prints what
 * is recorded here and chooses nothing.
 */
#include "cg.h"
#include "parser.h"

typedef struct Shaper {
    Unit *u;
    Func *f;
} Shaper;

static void stmt(Shaper *s, Node *n);

static Node *last_point(Node *chain)
{
    while (chain && chain->snext) chain = chain->snext;
    return chain;
}

/* The ?: a chain ends with whose branches each print the rest of the
 * statement (lower.c flags it NF_PERBRANCH), or NULL. */
static Node *split_at(Node *chain)
{
    Node *last = last_point(chain);
    return last && (last->flags & NF_PERBRANCH) ? last : NULL;
}

/* The first case or default of a select's body. */
static Node *first_label(Node *sel)
{
    for (Node *i = sel->body->items; i; i = i->next)
        if (i->kind == N_CASE || i->kind == N_DEFAULT) return i;
    return NULL;
}

/* ---- suspension points ---------------------------------------------------------- */

static int point_shape(Unit *u, Node *h)
{
    switch (h->kind) {
    case N_COMMA: return SH_COMMA;
    case N_BINARY: return cg_tok_is(u, h->op, "||") ? SH_OR : SH_AND;
    case N_COND:
        if (h->flags & NF_PERBRANCH) return SH_COND_SPLIT;
        if (h->flags & NF_DROP) return SH_COND_DROP;
        return h->then ? SH_COND_TEMP : SH_COND_GNU;
    case N_YIELD: return SH_YIELD;
    default:
        if (h->flags & NF_TIMEOUT) return SH_AWAIT_TIMEOUT;
        if (h->flags & NF_SELECT) return SH_AWAIT_SELECT;
        return h->flags & NF_HANDLE ? SH_AWAIT_BOXED : SH_AWAIT;
    }
}

/* A chain and the chains of its operands that run only sometimes. */
static void points(Shaper *s, Node *chain)
{
    for (Node *h = chain; h; h = h->snext) {
        h->shape = point_shape(s->u, h);
        points(s, h->susp);
        if (h->kind != N_COND) continue;
        points(s, h->susp2);
        if (h->shape == SH_COND_SPLIT) h->split[0] = split_at(h->susp), h->split[1] = split_at(h->susp2);
    }
}

/* ---- declarations --------------------------------------------------------------- */

/* Does d's specifier name a struct, union or enum? */
static int names_tag(Unit *u, Node *d)
{
    for (int i = d->spec[0]; i < d->spec[1]; i++) {
        int id = u->toks[i].id;
        if (id == TK_STRUCT || id == TK_UNION || id == TK_ENUM) return 1;
    }
    return 0;
}

/* Hoisted variables become assignments; a declaration that is hoisted as
 * a whole (a typedef moved to file scope) prints nothing; the first run
 * of the others is the declaration's own text, a later one (after the
 * suspensions of an initializer) repeats the specifiers. */
static int run_form(Node *d, Node *from)
{
    if (d->vars && (d->vars->flags & (NF_HOIST | NF_CACHED)) == NF_HOIST) return RUN_ASSIGN;
    if ((d->flags & NF_HOIST) && ((d->storage & ST_TYPEDEF) || !d->vars)) return RUN_NONE;
    return from == d->vars && !(d->flags & NF_HOIST) ? RUN_WHOLE : RUN_SPECS;
}

static Run *run(Shaper *s, Node *d, Node *from, Node *to, Node *pts, Node *stop)
{
    Run *r = cg_alloc(s->u, sizeof *r);
    r->form = run_form(d, from);
    r->from = from, r->to = to, r->points = pts, r->stop = stop;
    return r;
}

static int in_init(Node *v, Node *h) { return v->init && h->first >= v->init->first && h->first < v->init->end; }

/* C sequences a declarator's initializer after those before it: the
 * points of an initializer run after the declarators before it are
 * initialized.  A run ends before the next declarator whose initializer
 * holds a point. */
static Run *runs(Shaper *s, Node *d)
{
    Run *first = NULL, **tail = &first;
    Node *h = d->susp;
    for (Node *v = d->vars; v; ) {
        Node *stop = h;
        while (stop && in_init(v, stop)) stop = stop->snext;
        Node *w = v->next;
        while (w && !(stop && in_init(w, stop))) w = w->next;
        *tail = run(s, d, v, w, h, stop);
        tail = &(*tail)->next;
        h = stop;
        v = w;
    }
    return first;
}

static int decl_shape(Shaper *s, Node *d)
{
    if ((d->flags & NF_FILESCOPE) && (d->storage & ST_STATIC)) return SH_NONE;    /* moved */
    if (!d->vars) {     /* `[[fallthrough]];` as written, `struct s;` with its type */
        if (names_tag(s->u, d) || (d->flags & NF_HOIST)) return SH_NONE;
        d->runs = run(s, d, NULL, NULL, NULL, NULL);
        return SH_DECL;
    }
    if (d->split[0]) {  /* printed whole in each branch */
        d->runs = run(s, d, d->vars, NULL, NULL, NULL);
        return SH_BRANCHES;
    }
    d->runs = runs(s, d);
    return SH_DECL;
}

/* ---- expressions, loops, jumps ---------------------------------------------------- */

/* Is the value of e that of a suspension point, all else run before it
 * (`yield x`, `(await f())`, `a, yield x`)?  Then an expression statement
 * of it is only its suspensions: the value alone would be a statement
 * with no effect. */
static int bare_susp(Node *e)
{
    while (e->kind == N_PAREN) e = e->operand;
    if (e->kind == N_COMMA) return bare_susp(e->rhs);
    return e->kind == N_YIELD || e->kind == N_AWAIT;
}

static int expr_shape(Node *n)
{
    if (n->split[0]) return SH_BRANCHES;
    if (!n->susp) return SH_TEXT;
    return bare_susp(n->expr) ? SH_POINTS : SH_POINTS_FIRST;
}

/* A for's step (an N_EXPR without a `;`): in the head, or at the top of
 * the body when it suspends. */
static void step(Shaper *s, Node *n)
{
    n->split[0] = split_at(n->susp);
    points(s, n->susp);
    n->shape = n->split[0] ? SH_BRANCHES : n->susp ? SH_POINTS_FIRST : SH_TEXT;
}

/* A loop whose head suspends is split so that the suspensions run as
 * statements: the test inside a for (;;), a suspending init before it, a
 * suspending step at the top of its body. */
static int loop_shape(Node *n)
{
    Node *init = n->kind == N_FOR ? n->init : NULL, *inc = n->kind == N_FOR ? n->inc : NULL;
    if (inc && inc->susp) {
        n->label = n->first;
        return SH_LOOP_STEP;
    }
    if (init && init->susp) return SH_LOOP_INIT;
    if (!n->susp) return SH_SPLICE;
    if (n->kind != N_DO) return SH_LOOP;
    if (n->flags & NF_CONTINUED) n->label = n->first;   /* a continue goes to the test */
    return SH_DO;
}

/* A jump runs the cleanups from its point (cl[0]) to its target's
 * (cl[1]); a return in a coroutine also ends it, and one around a plain
 * range-for computes its value before the cleanups run. */
static int jump_shape(Shaper *s, Node *n)
{
    Func *f = s->f;
    if (n->kind == N_CONTINUE && n->ref && n->ref->shape == SH_DO) n->label = n->ref->label;
    if (n->kind == N_RETURN && emit_is_async(f)) return n->split[0] ? SH_BRANCHES : SH_RETURN_ASYNC;
    int gen_return = n->kind == N_RETURN && f->kind != F_PLAIN;
    if (n->cl[0] == n->cl[1] && !gen_return) return SH_JUMP;
    if (n->kind == N_RETURN && n->expr && f->kind == F_PLAIN && !f->rvoid && f->rtype[1] > f->rtype[0]) {
        n->temp = "co_ret";
        return SH_RETURN_TEMP;
    }
    return gen_return ? SH_RETURN_GEN : SH_JUMP_CLEANUP;
}

/* ---- statements ------------------------------------------------------------------- */

/* A block runs its cleanups at its `}` unless its last item jumped away,
 * which ran them. */
static int block_shape(Node *n)
{
    if (n->flags & NF_PPGROUP) return SH_PP_GROUP;
    Node *last = NULL;
    for (Node *i = n->items; i; i = i->next) last = i;
    int jumps = last && (last->kind == N_BREAK || last->kind == N_CONTINUE ||
                         last->kind == N_RETURN || last->kind == N_GOTO);
    return n->cl[0] != n->cl[1] && !jumps ? SH_BLOCK_CLEANUP : SH_BLOCK;
}

static int from_shape(Shaper *s, Node *n)
{
    int sends = s->f->stype[0] != 0;
    if (n->flags & NF_HANDLE) return sends ? SH_FROM_HANDLE_SEND : SH_FROM_HANDLE;
    if (n->flags & NF_AWAIT) return SH_FROM_ASYNC;
    return sends && n->callee->stype[0] ? SH_FROM_SEND : SH_FROM;
}

static int range_shape(Node *n)
{
    if (n->flags & NF_CHANNEL) return SH_FOR_CHANNEL;
    if (n->flags & NF_AWAIT) return SH_FOR_AWAIT;
    return n->flags & NF_HANDLE ? SH_RANGE_HANDLE : SH_RANGE_FOR;
}

static void sub(Shaper *s, Node *n)
{
    if (n) stmt(s, n);
}

/* Each statement gets its shape before its sub-statements, so a continue
 * finds the shape of its loop. */
static void stmt(Shaper *s, Node *n)
{
    n->split[0] = split_at(n->susp);
    points(s, n->susp);
    switch (n->kind) {
    case N_BLOCK:
        n->shape = block_shape(n);
        for (Node *i = n->items; i; i = i->next) stmt(s, i);
        return;
    case N_DECL: n->shape = decl_shape(s, n); return;
    case N_EXPR: n->shape = expr_shape(n); return;
    case N_IF:
        if (n->flags & NF_DEADLINE) n->shape = SH_DEADLINE;
        else n->shape = n->susp ? SH_POINTS_FIRST : SH_SPLICE;
        stmt(s, n->then);
        sub(s, n->els);
        return;
    case N_SWITCH:
        if (n->flags & NF_SELECT) n->shape = SH_SELECT;
        else n->shape = n->susp ? SH_POINTS_FIRST : SH_SPLICE;
        break;
    case N_WHILE: case N_DO: n->shape = loop_shape(n); break;
    case N_FOR:
        n->shape = loop_shape(n);
        sub(s, n->init);
        if (n->inc) step(s, n->inc);
        break;
    case N_CASE: case N_DEFAULT:
        if (n->flags & NF_SELECT) n->shape = n == first_label(n->select) ? SH_SELECT_CASE : SH_SELECT_NEXT;
        else n->shape = SH_SPLICE;
        break;
    case N_LABEL: n->shape = SH_SPLICE; break;
    case N_BREAK: case N_CONTINUE: case N_RETURN: case N_GOTO: n->shape = jump_shape(s, n); return;
    case N_DEFER: n->shape = SH_NONE; return;       /* its body is printed where it runs */
    case N_RANGE_FOR: n->shape = range_shape(n); break;
    case N_YIELD_FROM: n->shape = from_shape(s, n); return;
    default: n->shape = SH_TEXT; return;
    }
    sub(s, n->body);
}

/* A continue inside a statement expression ({ ... }) is printed as
 * written, with the expression: one that goes to a do-while's suspending
 * test becomes `goto co_cN` through its token. */
static void verbatim_continue(Node *n, void *arg)
{
    Shaper *s = arg;
    if (n->kind == N_CONTINUE && (n->flags & NF_VERBATIM) && n->ref && n->ref->shape == SH_DO)
        s->u->toks[n->first].subst = cg_fmt(s->u, "goto co_c%d", n->ref->label);
    cg_visit(n, verbatim_continue, s);
}

void cg_shape(Unit *u, Func *f)
{
    Shaper s = { .u = u, .f = f };
    stmt(&s, f->body);
    verbatim_continue(f->body, &s);
}
