/*
 * order.c - definition order: a coroutine may await, spawn or iterate any
 * coroutine of its file, wherever that one is defined, as in Python or Go.
 *
 * A frame that holds another by value needs that frame's struct first.
 * When the one held is defined later, its frame struct (with the
 * prototypes of its functions and the types its body moved to file
 * scope) is printed ahead, just before the first frame that holds it, in
 * the order the frames hold each other.  That is safe when nothing the
 * frame's text may name changes meaning in between: between the two
 * there may be functions and variables, but no type declaration and no
 * preprocessor line, or cogen says so and what to move.
 *
 * Coroutines that call each other, directly or through others, are a
 * cycle: no order puts every frame before its holder, so there the frame
 * of a coroutine defined later is boxed (allocated by the await), as for
 * recursion.  The cycles come from the calls the bodies spell, before any
 * pass runs; a call that does not await (co_spawn) counts too, which only
 * ever boxes more than needed.
 */
#include <stdlib.h>

#include "cg.h"
#include "parser.h"

/* ---- cycles: Tarjan's strongly connected components ---------------------- */

/* While it runs, f->cycle is f's visit number (from 1); low[], on[] and
 * group[] are indexed by it. */
typedef struct Graph {
    Unit *u;
    Func **stack;
    int depth, visits, ncycles;
    int *low, *on, *group;
} Graph;

/* The definition a call at token i names, if it is a coroutine's. */
static Func *called(Unit *u, int i)
{
    if (u->toks[i].id != TK_IDENT || u->toks[i + 1].id != TK_LPAREN) return NULL;
    Sym *y = cg_sym(u, i);
    return y ? y->def : NULL;
}

static void visit(Graph *g, Func *f)
{
    Unit *u = g->u;
    int me = f->cycle = ++g->visits;
    g->low[me] = me;
    g->on[me] = 1;
    g->stack[g->depth++] = f;
    for (int i = f->body->first; i < f->last; i++) {
        Func *h = called(u, i);
        if (!h || !h->body) continue;
        if (!h->cycle) {
            visit(g, h);
            if (g->low[h->cycle] < g->low[me]) g->low[me] = g->low[h->cycle];
        } else if (g->on[h->cycle] && h->cycle < g->low[me]) {
            g->low[me] = h->cycle;      /* f reaches back to h */
        }
    }
    if (g->low[me] != me) return;
    int alone = g->stack[g->depth - 1] == f;
    if (!alone) g->ncycles++;
    Func *top;
    do {
        top = g->stack[--g->depth];
        g->on[top->cycle] = 0;
        g->group[top->cycle] = alone ? 0 : g->ncycles;
    } while (top != f);
}

void cg_order_cycles(Unit *u)
{
    int n = 0;
    for (Func *f = u->funcs; f; f = f->next) n++;
    size_t sz = sizeof(int) * (size_t)(n + 1);
    Graph g = { .u = u, .stack = cg_alloc(u, sizeof(Func *) * (size_t)(n + 1)),
                .low = cg_alloc(u, sz), .on = cg_alloc(u, sz), .group = cg_alloc(u, sz) };
    for (Func *f = u->funcs; f; f = f->next)
        if (f->body && !f->cycle) visit(&g, f);
    for (Func *f = u->funcs; f; f = f->next)
        if (f->cycle) f->cycle = g.group[f->cycle];
}

int cg_order_cycle(const Func *f, const Func *g)
{
    return f->cycle > 0 && f->cycle == g->cycle;
}

/* ---- frames printed ahead ----------------------------------------------- */

void cg_order_holds(Unit *u, Func *f, Func *g)
{
    if (g->is_proto || g == f) return;
    for (FuncList *e = f->holds; e; e = e->next)
        if (e->f == g) return;
    FuncList *e = cg_alloc(u, sizeof *e), **tail = &f->holds;
    while (*tail) tail = &(*tail)->next;
    e->f = g;
    *tail = e;
}

/* The first token in [from, to) that may change what a frame's text
 * means: a preprocessor line (not an #if, #else or #endif inside a body,
 * which only chooses that body's text), or at file scope a typedef or a
 * struct, union or enum declared (with a body, or `struct s;`).  -1 when
 * none. */
static int changes_meaning(Unit *u, int from, int to)
{
    int depth = 0;
    for (int i = from; i < to; i++) {
        int t = u->toks[i].id;
        if (t == TK_PP && !(depth && cg_pp_kind(u, i))) return i;
        if (t == TK_LBRACE) depth++;
        else if (t == TK_RBRACE) depth--;
        if (depth) continue;
        if (t == TK_TYPEDEF) return i;
        if (t == TK_STRUCT || t == TK_UNION || t == TK_ENUM) {
            int k = i + 1;
            if (u->toks[k].id == TK_IDENT) k++;
            if (u->toks[k].id == TK_LBRACE || (k == i + 2 && u->toks[k].id == TK_SEMI)) return i;
        }
    }
    return -1;
}

static const char *name(Unit *u, Func *f) { return cg_tokens_text(u, f->name, f->name + 1); }

/* Put g, defined after token `at`, on *tail ahead of at: its prototypes
 * (a function above calls it), or with `frame` its frame struct too (a
 * frame above holds it), after the frames it holds in turn. */
static void put(Unit *u, Func *user, Func *g, int at, int frame, FuncList ***tail)
{
    if (g->ahead >= 1 + frame) return;
    g->ahead = 1 + frame;
    for (FuncList *l = frame ? g->holds : NULL; l; l = l->next)
        if (l->f->first > at) put(u, g, l->f, at, 1, tail);
    int bad = changes_meaning(u, at, g->first);
    if (bad >= 0) {
        const char *who = user->name >= 0 ? name(u, user) : "this function";
        cg_error(u, bad, "'%s' uses '%s', defined below this line, which may change what the %s of '%s' "
                 "means: define '%s' above '%s', or move this line above '%s'",
                 who, name(u, g), frame ? "frame" : "declaration", name(u, g), name(u, g), who, who);
    }
    FuncList *e = cg_alloc(u, sizeof *e);
    e->f = g;
    e->frame = frame;
    **tail = e;
    *tail = &e->next;
}

/* What f, from token at to token end, needs of coroutines defined after
 * it: the frames it holds, the prototypes of those it calls; as an Early
 * at `at` if there is any. */
static void place(Unit *u, Func *f, int at, int end, Early ***tail)
{
    FuncList *list = NULL, **ltail = &list;
    for (FuncList *l = f->holds; l; l = l->next)
        if (l->f->first > at) put(u, f, l->f, at, 1, &ltail);
    for (int i = at; i < end; i++) {
        Func *g = called(u, i);
        if (g && g->first > at && g->body) put(u, f, g, at, 0, &ltail);
    }
    if (!list) return;
    Early *e = cg_alloc(u, sizeof *e);
    e->at = at;
    e->frames = list;
    **tail = e;
    *tail = &e->next;
}

/* A function that may need coroutines defined after it: its first and
 * last tokens. */
typedef struct Site {
    Func *f;
    int at, end, seq;
} Site;

static int by_position(const void *a, const void *b)
{
    const Site *x = a, *y = b;
    if (x->at != y->at) return (x->at > y->at) - (x->at < y->at);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The coroutine definitions, the plain function definitions (their
 * calls) and the range-fors of plain functions (their frames, printed
 * before the function), in file order. */
void cg_order_frames(Unit *u)
{
    int n = 0, k = 0;
    for (Func *f = u->funcs; f; f = f->next) n++;
    for (Func *f = u->plains; f; f = f->next) n++;
    for (Island *is = u->islands; is; is = is->next) n++;
    Site *v = cg_alloc(u, sizeof *v * (size_t)(n + 1));
    for (Func *f = u->funcs; f; f = f->next)
        if (f->body) v[k] = (Site){ f, f->first, f->last, k }, k++;
    for (Func *f = u->plains; f; f = f->next)
        if (!f->is_proto && f->last > f->first) v[k] = (Site){ f, f->first, f->last, k }, k++;
    for (Island *is = u->islands; is; is = is->next)
        if (is->fn && is->fn->body) v[k] = (Site){ is->fn, is->start, is->start, k }, k++;
    qsort(v, (size_t)k, sizeof *v, by_position);
    Early **tail = &u->early;
    for (int i = 0; i < k; i++) place(u, v[i].f, v[i].at, v[i].end, &tail);
}
