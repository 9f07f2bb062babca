/*
 * lower.c - resume points and cleanup paths.
 *
 * Numbers the suspension points of a coroutine (its resume states) and
 * works out, for every point where control can leave a scope, which
 * cleanups must run: user defers and the implicit closes of sub-generators
 * (range-for and yield-from).  Cleanups form an immutable stack shared by
 * all points, so each point records just its top.  The emitter then prints
 * a jump's cleanups in order, a block's on its fall-through end, and a
 * resume state's in the close function.
 */
#include "cg.h"
#include "parser.h"

typedef struct Lower {
    Unit *u;
    Func *f;
    Cleanup *top;       /* cleanups active at the current point              */
    Node *sw;           /* innermost switch                                   */
    Node **states;      /* resume points found so far                         */
    int nstates, cap;
    Node *gotos;        /* goto statements, checked once labels are known    */
    int nlocal;         /* counter for local sub-frame names                 */
    Node *computed;     /* the computed goto being checked                   */
    Node **temps;       /* where the next && or || temporary is listed        */
    Node **sent;        /* where the next sent-value temporary is listed      */
    Node *deadline;     /* the innermost deadline block open                  */
    Node **deadlines;   /* where the next deadline block is listed            */
    int ndeadlines;
    int ntemps, nsent;  /* of them so far                                     */
} Lower;

static Cleanup *push(Lower *l, Node *n, Cleanup *next)
{
    Cleanup *c = cg_alloc(l->u, sizeof *c);
    c->n = n, c->next = next;
    return c;
}

/* Are there defers among the cleanups [from, to)? */
static int has_defer(Cleanup *from, Cleanup *to)
{
    for (Cleanup *c = from; c && c != to; c = c->next)
        if (c->n->kind == N_DEFER) return 1;
    return 0;
}

/* Is `to` the cleanups of an enclosing scope of `from`? */
static int encloses(Cleanup *to, Cleanup *from)
{
    for (Cleanup *c = from; c != to; c = c->next)
        if (!c) return 0;
    return 1;
}

/* What leaving the cleanups [from, to) would skip, for a diagnostic. */
static const char *skipped(Cleanup *from, Cleanup *to)
{
    if (has_defer(from, to)) return "a defer's scope";
    for (Cleanup *c = from; c && c != to; c = c->next)
        if (c->n->kind == N_IF) return "a deadline block";
    return "a for (:) loop";
}

static void add_state(Lower *l, Node *n)
{
    if (l->nstates + 1 >= l->cap) {
        l->cap = l->cap ? 2 * l->cap : 16;
        Node **p = cg_alloc(l->u, sizeof *p * (size_t)l->cap);
        for (int i = 1; i <= l->nstates; i++) p[i] = l->states[i];
        l->states = p;
    }
    l->states[++l->nstates] = n;
    n->state = l->nstates;
    n->deadline = l->deadline;      /* its wait ends there too */
    for (Node *b = l->deadline; b; b = b->deadline) b->flags |= NF_SUSPEND;
    /* At a delegation (yield from, await, for await) the sub-frame is
     * closed too when the coroutine is closed there. */
    n->cl[0] = n->kind == N_YIELD ? l->top : push(l, n, l->top);
}

/* ---- yields inside expressions ------------------------------------------------ */

typedef struct Find {
    Node *first, **tail;    /* suspension points in evaluation order       */
    int count;
    Node *where;            /* the first one, to report                     */
    Lower *lower;           /* to number temporaries                        */
} Find;

static void find(Node *n, Find *fd);
static void find_kid(Node *n, void *fd) { find(n, fd); }

static void append(Find *fd, Node *n)
{
    n->snext = NULL;
    *fd->tail = n;
    fd->tail = &n->snext;
}

/* The points of n as a chain of their own: those of an operand C may
 * skip. */
static Find sub_find(Find *fd, Node *n)
{
    Find sub = { .lower = fd->lower };
    sub.tail = &sub.first;
    if (n) find(n, &sub);
    if (!fd->where) fd->where = sub.where;
    return sub;
}

static int shortcircuit(Unit *u, Node *n)
{
    return n->kind == N_COMMA ||
           (n->kind == N_BINARY && (cg_tok_is(u, n->op, "&&") || cg_tok_is(u, n->op, "||")));
}

/* An expression whose value is dropped: a suspension point that gives it
 * prints no value (which would be an operand with no effect). */
static void drop(Node *e)
{
    while (e->kind == N_PAREN) e = e->operand;
    if (e->kind == N_COMMA) drop(e->rhs);
    e->flags |= NF_DROP;
}

/* `a && b`, `a || b`, `a, b` whose b suspends: b's points form the node's
 * own chain, run only when C would evaluate b; the node itself joins the
 * statement's chain (its value, for && and ||, is an int temporary).
 * Here and in branches() each operand is walked once: a chain of such
 * operators costs its length, not two to its length. */
static void delayed(Node *n, Find *fd)
{
    Lower *l = fd->lower;
    Find sub = sub_find(fd, n->rhs);
    find(n->lhs, fd);
    if (!sub.count) return;
    n->susp = sub.first;
    fd->count += sub.count;
    if (n->kind != N_COMMA) {
        n->field = cg_fmt(l->u, "co_t%d", ++l->ntemps);
        *l->temps = n;          /* a frame field: layout.c lists it */
        l->temps = &n->link;
    }
    append(fd, n);
}

/* `c ? b : e` whose b or e suspends: c, then one branch's points and its
 * value.  GNU `c ?: e` has no b: c's value, computed once, is the first
 * branch's.  How it is printed (the statement once per branch, or the
 * value into a temporary) is chosen once the statement's chain is known. */
static void branches(Node *n, Find *fd)
{
    Find b = sub_find(fd, n->then), e = sub_find(fd, n->els);
    if (!b.count && !e.count) {
        find(n->cond, fd);
        return;
    }
    n->field = cg_fmt(fd->lower->u, "co_x%d", ++fd->lower->nlocal);
    find(n->cond, fd);
    n->susp = b.first, n->susp2 = e.first;
    fd->count += b.count + e.count;
    append(fd, n);
}

/* Collect the suspension points of an expression in the order C
 * evaluates them (operands before the operation, left to right). */
static void find(Node *n, Find *fd)
{
    if (n->kind == N_STMT_EXPR) return;
    if (n->kind == N_COMMA) drop(n->lhs);
    if (shortcircuit(fd->lower->u, n)) {
        delayed(n, fd);
        return;
    }
    if (n->kind == N_COND) {
        branches(n, fd);
        return;
    }
    cg_visit(n, find_kid, fd);
    if (n->kind == N_YIELD || n->kind == N_AWAIT) {
        fd->count++;
        if (!fd->where) fd->where = n;
        append(fd, n);
    }
}

/* A statement that ends with a ?: whose branches suspend is printed once
 * per branch, after that branch's points; so is a branch that ends with
 * one in turn.  Not when the ?:'s value is dropped: a branch's value
 * alone would be an operand with no effect. */
static void per_branch(Node *chain)
{
    Node *last = chain;
    while (last && last->snext) last = last->snext;
    if (!last || last->kind != N_COND || (last->flags & NF_DROP)) return;
    last->flags |= NF_PERBRANCH;
    per_branch(last->susp);
    per_branch(last->susp2);
}

/* Any other such ?: goes to a temporary of the resume function, which
 * does not survive a suspension: only the points it is an operand of may
 * follow it.  Returns the first point that would outlive one. */
static Node *outlives(Node *chain)
{
    for (Node *h = chain; h; h = h->snext) {
        if (h->kind == N_COND && !(h->flags & NF_PERBRANCH))
            for (Node *x = h->snext; x; x = x->snext)
                if (x->first > h->first || x->end < h->end) return x;
        if (h->kind == N_YIELD || h->kind == N_AWAIT) continue;
        Node *x = outlives(h->susp);
        if (!x && h->kind == N_COND) x = outlives(h->susp2);
        if (x) return x;
    }
    return NULL;
}

/* The first yield or await of a chain element, to report. */
static Node *first_point(Node *h)
{
    while (h && h->kind != N_YIELD && h->kind != N_AWAIT)
        h = h->susp ? h->susp : h->susp2;
    return h;
}

static void add_states(Lower *l, Node *chain)
{
    for (Node *h = chain; h; h = h->snext) {
        if (h->kind == N_YIELD || h->kind == N_AWAIT) add_state(l, h);
        else add_states(l, h->susp);
        if (h->kind == N_COND) add_states(l, h->susp2);
    }
}

/* Once a statement suspends more than once, each of its yields keeps the
 * value sent to it in a temporary of its own: the next resume overwrites
 * co_sent before the statement reads it. */
static void sent_temps(Lower *l, Node *h)
{
    for (; h; h = h->snext) {
        if (h->kind == N_YIELD) {
            if (!h->field) {
                h->field = cg_fmt(l->u, "co_s%d", ++l->nsent);
                *l->sent = h;
                l->sent = &h->link;
            }
        } else if (h->kind != N_AWAIT) {        /* &&, ||, comma, ?: */
            sent_temps(l, h->susp);
            if (h->kind == N_COND) sent_temps(l, h->susp2);
        }
    }
}

static void keep_sent(Lower *l, Node *stmt)
{
    Node *h = stmt->susp;
    if (l->f->stype[0] && (h->snext || (h->kind != N_YIELD && h->kind != N_AWAIT)))
        sent_temps(l, h);
}

/* A statement's suspension points run before the rest of it, in order
 * (`allowed` is 0 where the form has no room for them). */
static void expr_yield(Lower *l, Node *stmt, Node *e, int allowed)
{
    if (!e) return;
    Find fd = { .lower = l };
    fd.tail = &fd.first;
    find(e, &fd);
    if (!fd.count) return;
    if (!allowed) {
        cg_error(l->u, fd.where->first, "'%s' is not supported here: use it as a statement, "
                 "an initializer or the right side of an assignment",
                 fd.where->kind == N_YIELD ? "yield" : "await");
        return;
    }
    int whole = !stmt->susp && (stmt->kind == N_EXPR || stmt->kind == N_RETURN ||
                (stmt->kind == N_DECL && stmt->vars && !stmt->vars->next));
    if (stmt->susp) {       /* a second expression of the same statement */
        Node *last = stmt->susp;
        while (last->snext) last = last->snext;
        last->snext = fd.first;
    } else stmt->susp = fd.first;
    if (whole) per_branch(fd.first);
    Node *x = first_point(outlives(fd.first));
    if (x) {
        cg_error(l->u, x->first, "'%s' after a ?: whose branches suspend is not supported: "
                 "give the ?: a statement of its own", x->kind == N_YIELD ? "yield" : "await");
        stmt->susp = NULL;
        return;
    }
    add_states(l, fd.first);
    keep_sent(l, stmt);
}

/* ---- statements ------------------------------------------------------------------ */

static void stmt(Lower *l, Node *n);

static void body(Lower *l, Node *loop, Node *b)
{
    loop->cl[1] = l->top;
    if (b) stmt(l, b);
}

static void range_for(Lower *l, Node *n)
{
    if (n->gen) for (Node *x = n->gen->args; x; x = x->next) expr_yield(l, n, x, 0);
    if (!(n->flags & NF_HOIST)) n->field = cg_fmt(l->u, "co_g%d", ++l->nlocal);
    if (n->flags & NF_AWAIT) add_state(l, n);   /* each item may suspend */
    Cleanup *saved = l->top;
    l->top = push(l, n, l->top);
    body(l, n, n->body);
    l->top = saved;
}

/* The init and the step of a for suspend as statements of their own (the
 * emitter moves them out of the loop's head when they do). */
static void for_stmt(Lower *l, Node *n)
{
    if (n->init) stmt(l, n->init);
    if (n->inc) {
        n->inc = cg_stmt(l->u, N_EXPR, n->inc->first, n->inc->end, n->inc);
        stmt(l, n->inc);
    }
    expr_yield(l, n, n->cond, 1);
    body(l, n, n->body);
}

/* Statements inside GNU ({ ... }) hold no cogen form (scope.c), but
 * their labels and jumps are checked like the others. */
static void stmt_exprs(Node *n, void *arg)
{
    if (n->kind == N_STMT_EXPR) stmt(arg, n->body);
    else if (n->kind >= N_IDENT || n->kind == N_VAR) cg_visit(n, stmt_exprs, arg);
}

/* `co_timeout (ms) block [else s]`: the deadline lives in the frame
 * (co_dN) and is itself a cleanup of the block (its timer is stopped
 * however the block is left); the awaits inside know it (add_state).
 * cl[1] is what is active around the statement, cl[0] the block's own
 * entry: a deadline that passes unwinds to cl[0] and jumps to the else,
 * which stops the timer. */
static void deadline(Lower *l, Node *n)
{
    Cleanup *saved = l->top;
    Node *outer = l->deadline;
    n->label = ++l->ndeadlines;         /* its label co_dN, for the else */
    n->field = cg_fmt(l->u, "co_d%d", n->label);
    *l->deadlines = n;
    l->deadlines = &n->link;
    n->deadline = outer;
    n->cl[1] = l->top;
    l->top = n->cl[0] = push(l, n, l->top);
    l->deadline = n;
    stmt(l, n->then);
    l->deadline = outer;
    l->top = saved;
    if (n->els) stmt(l, n->els);
}

static void stmt(Lower *l, Node *n)
{
    Cleanup *saved = l->top;
    Node *sw = l->sw;
    if (n->kind != N_FOR && n->kind != N_BLOCK) cg_visit(n, stmt_exprs, l);
    else if (n->kind == N_FOR && n->cond) stmt_exprs(n->cond, l);
    switch (n->kind) {
    case N_BLOCK:
        n->cl[1] = l->top;
        for (Node *i = n->items; i; i = i->next) stmt(l, i);
        n->cl[0] = l->top;
        break;
    case N_DEFER:
        l->top = push(l, n, l->top);
        return;                         /* stays active to the block's end */
    case N_EXPR:
        drop(n->expr);
        expr_yield(l, n, n->expr, 1);
        return;
    case N_DECL:
        for (Node *v = n->vars; v; v = v->next) expr_yield(l, n, v->init, 1);
        return;
    case N_IF:
        if (n->flags & NF_DEADLINE) {
            deadline(l, n);
            break;
        }
        expr_yield(l, n, n->cond, 1);
        stmt(l, n->then);
        if (n->els) stmt(l, n->els);
        break;
    case N_WHILE: case N_DO:
        expr_yield(l, n, n->cond, 1);
        body(l, n, n->body);
        break;
    case N_FOR: for_stmt(l, n); break;
    case N_SWITCH:
        expr_yield(l, n, n->cond, 1);
        l->sw = n;
        body(l, n, n->body);
        break;
    case N_CASE: case N_DEFAULT:
        if (l->sw && l->top != l->sw->cl[1])
            cg_error(l->u, n->first, "'%s' label %s", n->kind == N_CASE ? "case" : "default",
                     !has_defer(l->top, l->sw->cl[1]) && l->deadline && l->deadline->cl[1] != l->top &&
                     encloses(l->sw->cl[1], l->deadline->cl[1])
                         ? "inside a deadline block: its deadline would not be set" : "skips a defer");
        if (n->body) stmt(l, n->body);
        return;
    case N_LABEL:
        n->cl[0] = l->top;
        if (n->body) stmt(l, n->body);
        return;
    case N_GOTO:
        n->cl[0] = l->top;
        n->link = l->gotos;
        l->gotos = n;
        break;
    case N_BREAK: case N_CONTINUE:
        n->cl[0] = l->top;
        n->cl[1] = n->ref ? n->ref->cl[1] : l->top;
        if (n->kind == N_CONTINUE && n->ref) n->ref->flags |= NF_CONTINUED;
        if ((n->flags & NF_VERBATIM) && n->cl[0] != n->cl[1])
            cg_error(l->u, n->first, "'%s' leaves %s from inside a statement expression ({ ... }): "
                     "not supported", n->kind == N_BREAK ? "break" : "continue", skipped(n->cl[0], n->cl[1]));
        break;
    case N_RETURN:
        expr_yield(l, n, n->expr, 1);
        n->cl[0] = l->top;
        break;
    case N_RANGE_FOR: range_for(l, n); break;
    case N_YIELD_FROM:
        if (n->callee)
            for (Node *x = n->gen->args; x; x = x->next) expr_yield(l, n, x, 0);
        else expr_yield(l, n, n->gen, 0);
        add_state(l, n);
        break;
    default:
        break;
    }
    l->top = saved;
    l->sw = sw;
}


/* A goto may leave range-fors (it closes their generators, as break does)
 * but neither enter a scope past its defer or range-for, nor leave a
 * defer's scope; one printed as written (in a statement expression) can
 * run no cleanup.  `to` is the target's cleanups, NULL for a label outside
 * a plain function's range-for. */
static void check_goto(Unit *u, Node *g, Cleanup *to)
{
    const char *name = u->src + u->toks[g->name].off;
    int len = u->toks[g->name].len;
    if (!encloses(to, g->cl[0])) {
        Cleanup *c = to;
        while (!encloses(c->next, g->cl[0])) c = c->next;     /* the outermost entered */
        cg_error(u, g->first, c->n->kind == N_DEFER ? "goto '%.*s' skips a defer"
                              : c->n->kind == N_IF ? "goto '%.*s' jumps into a deadline block"
                              : "goto '%.*s' jumps into a for (:) loop", len, name);
    } else if ((g->flags & NF_VERBATIM) && to != g->cl[0])
        cg_error(u, g->first, "goto '%.*s' leaves %s from inside a statement expression ({ ... }): "
                 "not supported", len, name, skipped(g->cl[0], to));
    else if (has_defer(g->cl[0], to))
        cg_error(u, g->first, "goto '%.*s' skips a defer", len, name);
}

/* `goto *p` may reach any label whose address is taken: each must have
 * the cleanups of the goto, since it cannot tell which to run. */
static void check_computed(Node *n, void *arg)
{
    Lower *l = arg;
    Node *g = l->computed;
    if (n->kind == N_LABEL && (n->flags & NF_ADDR) && n->cl[0] != g->cl[0])
        cg_error(l->u, g->first, "computed goto with label '%.*s' under other defers or for (:) loops: "
                 "it cannot tell which to run", l->u->toks[n->name].len, l->u->src + l->u->toks[n->name].off);
    cg_visit(n, check_computed, l);
}

int cg_lower(Unit *u, Func *f)
{
    int before = u->nerrors;
    Lower l = { .u = u, .f = f, .temps = &f->temps, .sent = &f->sent_temps,
               .deadlines = &f->deadlines };
    stmt(&l, f->body);
    for (Node *g = l.gotos; g; g = g->link) {
        /* Its target's cleanups: none for a label outside a plain
         * function's range-for; a computed goto's targets have its own. */
        g->cl[1] = g->ref ? g->ref->cl[0] : g->name < 0 ? g->cl[0] : NULL;
        if (g->name >= 0) check_goto(u, g, g->cl[1]);
        else {
            l.computed = g;
            check_computed(f->body, &l);
        }
    }
    f->states = l.states;
    f->nstates = l.nstates;
    return u->nerrors > before ? -1 : 0;
}
