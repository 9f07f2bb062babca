/*
 * hoist.c - which locals move into the frame.
 *
 * A local must live in the frame when its value can be needed after a
 * suspension point: some yield lies in its scope and the variable is used
 * textually after that yield, or in a loop around both that began after the
 * declaration.  Arrays and variables whose address is taken are kept in the
 * frame whenever a yield lies in their scope, since pointers may outlive the
 * suspension; with goto anywhere the analysis stays conservative.  Token
 * indices serve as program positions.  The rest stay C locals, which the
 * compiler keeps in registers.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Var {
    Node *v;
    int pos, end;       /* scope: [pos, end)                                 */
    int *refs;          /* positions of uses                                  */
    int nrefs, cap;
    struct Var *next;
} Var;

typedef struct Span { int first, end; struct Span *next; } Span;

/* A compound literal and where it must hold its value: from the start of
 * the statement that creates it (a suspension in that statement may come
 * after it is made) to the end of its block. */
typedef struct Lit { Node *n; int first, end; struct Lit *next; } Lit;

typedef struct Hoist {
    Unit *u;
    Func *f;
    Var *vars;          /* every local, in reverse source order               */
    Span *susp;         /* suspension points (first == end == position)      */
    Span *loops;        /* loops                                              */
    Node *scope;        /* innermost block / for / range-for                  */
    int scope_end;      /* its end                                            */
    int defer_end;      /* inside a defer: the position its uses count at     */
    Node *stmt;         /* statement being walked                             */
    Node *var;          /* declarator of it being walked, NULL outside one    */
    Lit *lits;          /* compound literals, in reverse                      */
    int ntypes;         /* anonymous types named so far                       */
    int slot;           /* hoisted range-fors around the current point        */
    int inline_slots;   /* awaits met so far in the current statement         */
} Hoist;

static Span *span(Hoist *h, int first, int end, Span *next)
{
    Span *s = cg_alloc(h->u, sizeof *s);
    s->first = first, s->end = end, s->next = next;
    return s;
}

static void add_ref(Hoist *h, Var *x, int pos)
{
    if (x->nrefs == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 8;
        int *p = cg_alloc(h->u, sizeof *p * (size_t)x->cap);
        if (x->nrefs) memcpy(p, x->refs, sizeof *p * (size_t)x->nrefs);
        x->refs = p;
    }
    x->refs[x->nrefs++] = pos;
}

static void declare(Hoist *h, Node *v, int end)
{
    Var *x = cg_alloc(h->u, sizeof *x);
    x->v = v;
    x->pos = v->first;
    x->end = end;
    x->next = h->vars;
    h->vars = x;
    v->aux = x;
}

/* ---- types declared in the body -------------------------------------------- */

/* Frame fields are declared at file scope, so the types a body declares
 * (typedefs, struct/union/enum definitions) move there, before the frame;
 * the body keeps only its declarators.  An anonymous struct gets a tag so
 * that both places can name it. */
static void type_decl(Hoist *h, Node *d)
{
    Unit *u = h->u;
    int brace = -1;
    for (int i = d->spec[0]; i < d->spec[1] && brace < 0; i++)
        if (u->toks[i].id == TK_LBRACE) brace = i;
    if (!(d->flags & ST_TYPEDEF) && brace < 0) return;
    d->flags |= NF_HOIST;
    if (brace > 0 && !(d->flags & ST_TYPEDEF) && u->toks[brace - 1].id != TK_IDENT &&
        u->toks[brace - 1].id != TK_TYPENAME)
        d->field = cg_fmt(u, "%.*s__t%d", u->toks[h->f->name].len,
                          u->src + u->toks[h->f->name].off, ++h->ntypes);
    Node **tail = &h->f->types;
    while (*tail) tail = &(*tail)->link;
    *tail = d;
}

/* ---- collecting positions --------------------------------------------------- */

static void walk(Node *n, void *arg)
{
    Hoist *h = arg;
    Node *scope = h->scope, *stmt = h->stmt, *var = h->var;
    int scope_end = h->scope_end, defer_end = h->defer_end;
    switch (n->kind) {
    case N_IDENT:
        if (n->ref && n->ref->aux)
            add_ref(h, n->ref->aux, h->defer_end >= 0 ? h->defer_end : n->first);
        return;
    case N_YIELD: case N_AWAIT: {
        /* The statement runs after the resume; a loop condition, each time
         * round; a declaration, from the declarator that suspends (those
         * before it run before the suspension). */
        int loop = h->stmt->kind == N_WHILE || h->stmt->kind == N_FOR;
        int pos = loop ? n->first : h->var ? h->var->first : h->stmt->first;
        h->susp = span(h, pos, pos, h->susp);
        break;
    }
    case N_YIELD_FROM:
        h->susp = span(h, n->first, n->first, h->susp);
        break;
    case N_BLOCK:
        h->scope = n, h->scope_end = n->end;
        break;
    case N_FOR: case N_RANGE_FOR:
        if (n->kind == N_RANGE_FOR && (n->flags & NF_AWAIT))
            h->susp = span(h, n->first, n->first, h->susp);
        h->scope = n, h->scope_end = n->end;
        /* fall through */
    case N_WHILE: case N_DO:
        h->loops = span(h, n->first, n->end, h->loops);
        break;
    case N_DECL:
        if (h->f->kind != F_PLAIN) type_decl(h, n);
        break;
    case N_VAR:
        if (n->decl && !(n->decl->flags & (ST_TYPEDEF | ST_EXTERN | ST_STATIC)) && !(n->flags & NF_FUNC))
            declare(h, n, h->scope_end);
        h->var = n;     /* its initializer is walked under it */
        break;
    case N_DEFER:
        h->defer_end = h->scope_end - 1;
        break;
    case N_COMPOUND: {
        Lit *l = cg_alloc(h->u, sizeof *l);
        l->n = n, l->first = h->stmt->first, l->end = h->scope_end, l->next = h->lits;
        h->lits = l;
        break;
    }
    default:
        break;
    }
    if (n->kind < N_IDENT && n->kind != N_VAR) h->stmt = n, h->var = NULL;
    cg_visit(n, walk, h);
    h->scope = scope, h->stmt = stmt, h->var = var, h->scope_end = scope_end, h->defer_end = defer_end;
}

/* ---- deciding ------------------------------------------------------------------ */

static int inside(Span *s, int pos) { return pos >= s->first && pos < s->end; }

/* The first suspension point in [from, to), or -1. */
static int susp_in(Hoist *h, int from, int to)
{
    int best = -1;
    for (Span *s = h->susp; s; s = s->next)
        if (s->first >= from && s->first < to && (best < 0 || s->first < best)) best = s->first;
    return best;
}

/* An initializer with a ?: whose branches suspend: the declaration is
 * printed once per branch, so its variable must be assignable there. */
static int branch_suspends(Node *n, int inbranch)
{
    if (!n || n->kind == N_STMT_EXPR) return 0;
    if ((n->kind == N_AWAIT || n->kind == N_YIELD) && inbranch) return 1;
    if (n->kind == N_COND)
        return branch_suspends(n->a, inbranch) || branch_suspends(n->b, 1) || branch_suspends(n->c, 1);
    int r = branch_suspends(n->a, inbranch) || branch_suspends(n->b, inbranch) ||
            branch_suspends(n->c, inbranch) || branch_suspends(n->d, inbranch);
    if (n->kind == N_CALL || n->kind == N_INIT_LIST)
        for (Node *x = n->kind == N_CALL ? n->b : n->a; x && !r; x = x->next) r = branch_suspends(x, inbranch);
    return r;
}

static int live_across(Hoist *h, Var *x)
{
    if (x->v->a && branch_suspends(x->v->a, 0)) return 1;
    int first = susp_in(h, x->pos + 1, x->end);
    if (first < 0) return 0;
    if (h->f->has_goto || (x->v->flags & (NF_ARRAY | NF_ADDR))) return 1;
    Node *d = x->v->decl;
    if (d && d->up && d->up->kind == N_FOR && d->up->a == d) return 1;
    for (int i = 0; i < x->nrefs; i++)
        if (x->refs[i] > first) return 1;
    for (Span *l = h->loops; l; l = l->next) {
        if (l->first <= x->pos || l->end > x->end || susp_in(h, l->first, l->end) < 0) continue;
        for (int i = 0; i < x->nrefs; i++)
            if (inside(l, x->refs[i])) return 1;
    }
    return 0;
}

static int unsized_array(Unit *u, Node *v)
{
    for (int i = v->dcl[0]; i + 1 < v->dcl[1]; i++)
        if (u->toks[i].id == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET) {
            if (v->a && v->a->kind == N_CONST && u->toks[v->a->first].id == TK_STRING) return 0;
            if (!v->a || v->a->kind != N_INIT_LIST) return 1;
            for (Node *x = v->a->a; x; x = x->next)
                if (x->kind == N_INIT && x->dcl[1] > x->dcl[0]) return 1;
            return 0;
        }
    return 0;
}

static void check(Hoist *h, Var *x)
{
    Unit *u = h->u;
    Node *v = x->v;
    const char *name = u->src + u->toks[v->name].off;
    int len = u->toks[v->name].len;
    if (v->flags & NF_VLA)
        cg_error(u, v->name, "variable-length array '%.*s' lives across a suspension point", len, name);
    else if (unsized_array(u, v))
        cg_error(u, v->name, "array '%.*s' lives across a suspension point; give it a size", len, name);
}

/* alloca's memory is the C stack frame, which a suspension gives up. */
static void find_alloca(Node *n, void *arg)
{
    Hoist *h = arg;
    if (n->kind == N_CALL && (n->flags & NF_VLA) && susp_in(h, n->first, h->f->body->end) >= 0)
        cg_error(h->u, n->first, "alloca in a coroutine: its memory does not survive a suspension point");
    cg_visit(n, find_alloca, h);
}

/* ---- naming ------------------------------------------------------------------- */

static int taken(Func *f, const char *name)
{
    if (!strcmp(name, "co_state") || !strcmp(name, "co_value") || !strcmp(name, "co_sent"))
        return 1;
    for (Node *p = f->params; p; p = p->next)
        if (p->field && !strcmp(p->field, name)) return 1;
    for (Node *v = f->frame_vars; v; v = v->link)
        if (!strcmp(v->field, name)) return 1;
    return 0;
}

static const char *field_name(Unit *u, Func *f, Node *v)
{
    const Token *t = &u->toks[v->name];
    const char *base = cg_strdup(u, u->src + t->off, t->len), *name = base;
    for (int k = 2; taken(f, name); k++) name = cg_fmt(u, "%s__%d", base, k);
    return name;
}

static void subst(Node *n, void *arg)
{
    Hoist *h = arg;
    if (n->kind == N_IDENT && n->ref && (n->ref->flags & NF_HOIST))
        h->u->toks[n->first].subst = cg_fmt(h->u, "%s->%s", h->f->fp, n->ref->field);
    cg_visit(n, subst, h);
}

/* Frame fields for sub-generators whose frames must survive a suspension:
 * every yield-from, and range-fors with a suspension in their body.  Sites
 * that are never live together share storage: a sub-frame's slot is the
 * number of range-fors around it, and each slot is a union, so the frame
 * holds only its deepest chain of sub-frames. */
static void subframes(Node *n, void *arg)
{
    Hoist *h = arg;
    int hoisted = (n->kind == N_YIELD_FROM && (n->callee || (n->flags & NF_HANDLE))) ||
                  n->kind == N_AWAIT ||
                  (n->kind == N_RANGE_FOR && n->callee &&
                   ((n->flags & NF_AWAIT) || (n->d && susp_in(h, n->d->first, n->d->end) >= 0)));
    int saved = h->inline_slots;
    if (n->kind < N_IDENT && n->kind != N_VAR) h->inline_slots = 0;
    if (hoisted) {
        /* Awaits of one statement are live together (their results are
         * read at its end): each takes the next union. */
        int slot = h->slot + (n->kind == N_AWAIT ? h->inline_slots++ : 0);
        n->flags |= NF_HOIST;
        n->id = slot;           /* its union */
        Node **tail = &h->f->subs;
        int k = 1;
        while (*tail) tail = &(*tail)->link, k++;
        *tail = n;
        n->field = cg_fmt(h->u, "co_u%d.co_sub%d", slot, k);
        if (slot + 1 > h->f->nslots) h->f->nslots = slot + 1;
    }
    h->slot += hoisted && n->kind == N_RANGE_FOR;
    cg_visit(n, subframes, h);
    h->slot -= hoisted && n->kind == N_RANGE_FOR;
    if (n->kind < N_IDENT && n->kind != N_VAR) h->inline_slots = saved;
}

/* A compound literal is an object of its block: with a suspension point
 * in its statement or later in the block, it moves into the frame.  Its
 * text is kept and wrapped so that it fills the field and yields it as
 * its value. */
static void hoist_literal(Hoist *h, Node *n, int k)
{
    Unit *u = h->u;
    int arr = 0;
    for (int i = n->type[0]; i < n->type[1]; i++) {
        arr |= u->toks[i].id == TK_LBRACKET;
        if (u->toks[i].id == TK_LBRACE) {
            cg_error(u, n->first, "a compound literal of a type declared here lives across "
                     "a suspension point; declare the type at file scope");
            break;
        }
    }
    n->flags |= NF_HOIST | (arr ? NF_ARRAY : 0);
    n->field = cg_fmt(u, "co_lit%d", k);
    const char *fl = cg_fmt(u, "%s->%s", h->f->fp, n->field);
    u->toks[n->first].subst = arr ? cg_fmt(u, "(memcpy(%s, &(", fl) : cg_fmt(u, "(*(%s = (", fl);
    u->toks[n->end - 1].subst = arr ? cg_fmt(u, "}, sizeof %s), %s)", fl, fl)
                                    : cg_fmt(u, "}, &%s))", fl);
}

static void literals(Hoist *h)
{
    Node **tail = &h->f->lits;
    Lit *rev = NULL;
    int k = 0;
    for (Lit *l = h->lits, *next; l; l = next) next = l->next, l->next = rev, rev = l;
    for (Lit *l = rev; l; l = l->next) {
        if (susp_in(h, l->first, l->end) < 0) continue;
        hoist_literal(h, l->n, ++k);
        *tail = l->n;
        tail = &l->n->link;
    }
}

/* A plain generator's frame held in an async frame, directly or in
 * another generator's, is part of that layout. */
static void embed(Node *subs)
{
    for (Node *s = subs; s; s = s->link)
        if (s->callee && s->callee->kind == F_GEN && !(s->flags & NF_HANDLE) && !s->callee->embedded) {
            s->callee->embedded = 1;
            embed(s->callee->subs);
        }
}

static const char *frame_pointer(Unit *u, Func *f)
{
    int last = f->body ? f->body->end : f->last;
    for (int i = f->first; i < last && i < u->ntoks; i++)
        if (cg_tok_is(u, i, "f")) return "co_f";
    return "f";
}

int cg_hoist(Unit *u, Func *f)
{
    int before = u->nerrors;
    Hoist h = { .u = u, .f = f, .defer_end = -1, .scope_end = f->body->end };
    f->fp = frame_pointer(u, f);
    walk(f->body, &h);
    find_alloca(f->body, &h);
    for (Node *p = f->params; p; p = p->next) {
        p->flags |= NF_HOIST;
        if (p->name >= 0) p->field = cg_strdup(u, u->src + u->toks[p->name].off, u->toks[p->name].len);
    }
    /* Fields in source order: the list of Vars is in reverse. */
    Var *rev = NULL;
    for (Var *x = h.vars, *next; x; x = next) next = x->next, x->next = rev, rev = x;
    Node **tail = &f->frame_vars;
    for (Var *x = rev; x; x = x->next) {
        if (!live_across(&h, x) && !((x->v->flags & NF_VLA) && susp_in(&h, x->pos + 1, x->end) >= 0))
            continue;
        check(&h, x);
        x->v->flags |= NF_HOIST;
        x->v->field = field_name(u, f, x->v);
        *tail = x->v;
        tail = &x->v->link;
    }
    /* Alternatives (one name declared in two #if branches) share a field. */
    for (Var *x = rev; x; x = x->next) {
        Node *v = x->v, *p = v->ref;
        if (!p || !((v->flags | p->flags) & NF_HOIST)) continue;
        if (!(p->flags & NF_HOIST)) {
            p->flags |= NF_HOIST;
            p->field = field_name(u, f, p);
            *tail = p;
            tail = &p->link;
        }
        if (!(v->flags & NF_HOIST)) {
            *tail = v;
            tail = &v->link;
        }
        v->flags |= NF_HOIST;
        v->field = p->field;
    }
    /* A declaration is hoisted whole, so that it becomes one assignment. */
    for (Var *x = rev; x; x = x->next)
        if (x->v->decl && !(x->v->flags & NF_HOIST))
            for (Node *o = x->v->decl->a; o; o = o->next)
                if (o->flags & NF_HOIST) {
                    x->v->flags |= NF_HOIST;
                    x->v->field = field_name(u, f, x->v);
                    *tail = x->v;
                    tail = &x->v->link;
                    break;
                }
    subst(f->body, &h);
    subframes(f->body, &h);
    if (f->kind == F_ASYNC || f->kind == F_ASYNC_GEN) embed(f->subs);
    literals(&h);
    return u->nerrors > before ? -1 : 0;
}
