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
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Var {
    Node *v;
    int pos, end;       /* scope: [pos, end)                                 */
    int *refs;          /* positions of uses                                  */
    int nrefs, cap;
    const char *rename; /* a C local renamed so a defer's name shows through */
    struct Var *same;   /* the next local spelled the same, in source order   */
    int nsaves;         /* cached: the suspension points that save it         */
    struct Var *next;
} Var;

/* A loop, or a suspension point (first == end == its position). */
typedef struct Span {
    int first, end;
    Node *n;            /* a suspension point: its node                      */
    struct Span *loop;  /* the innermost loop around it                      */
    struct Span *next;
} Span;

/* A compound literal and where it must hold its value: from the start of
 * the statement that creates it (a suspension in that statement may come
 * after it is made) to the end of its block. */
typedef struct Lit { Node *n; int first, end; struct Lit *next; } Lit;

typedef struct Hoist {
    Unit *u;
    Func *f;
    Var *vars;          /* every local, in reverse source order               */
    Span *susp;         /* suspension points, in walk order                  */
    Span **order;       /* the same, sorted by position, once walked         */
    int nsusp;
    int nvars;          /* locals, once counted (cache)                       */
    Span *loop;         /* innermost loop around the current point           */
    Node *scope;        /* innermost block / for / range-for                  */
    int scope_end;      /* its end                                            */
    int defer_end;      /* inside a defer: the position its uses count at     */
    Node *stmt;         /* statement being walked                             */
    Node *var;          /* declarator of it being walked, NULL outside one    */
    Node *store;        /* the name a plain '=' being walked assigns           */
    Lit *lits;          /* compound literals, in reverse                      */
    Node *defers;       /* defers, in reverse (via ->link), ->state = the end
                           of their scope                                    */
    Node *moved;        /* a static being moved to file scope                */
    Node **subs_tail;   /* end of f->subs                                     */
    Map fields;         /* field names taken -> the next suffix to try (int *) */
    int slot;           /* hoisted range-fors around the current point        */
    int inline_slots;   /* awaits met so far in the current statement         */
} Hoist;

static Span *span(Hoist *h, int first, int end, Span *next)
{
    Span *s = cg_alloc(h->u, sizeof *s);
    s->first = first, s->end = end, s->next = next, s->loop = h->loop;
    return s;
}

static void suspension(Hoist *h, int pos, Node *n)
{
    h->susp = span(h, pos, pos, h->susp);
    h->susp->n = n;
    h->nsusp++;
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

/* ---- collecting positions --------------------------------------------------- */

static void walk(Node *n, void *arg)
{
    Hoist *h = arg;
    Node *scope = h->scope, *stmt = h->stmt, *var = h->var;
    Span *loop = h->loop;
    int scope_end = h->scope_end, defer_end = h->defer_end;
    switch (n->kind) {
    case N_IDENT: {
        /* A suspension of the statement sits at its start, so a name there
         * counts as used after it, unless a plain '=' only writes it. */
        int at = n->first + (h->stmt && n->first == h->stmt->first && n != h->store);
        if (n->ref && n->ref->aux)
            add_ref(h, n->ref->aux, h->defer_end >= 0 ? h->defer_end : at);
        for (MacroUse *mu = n->ref ? NULL : h->f->macro_uses; mu; mu = mu->next)
            if (mu->tok == n->first && mu->var->aux)    /* a local the macro names */
                add_ref(h, mu->var->aux, h->defer_end >= 0 ? h->defer_end : at);
        return;
    }
    case N_YIELD: case N_AWAIT: {
        /* The statement runs after the resume; a loop condition, each time
         * round; a declaration, from the declarator that suspends (those
         * before it run before the suspension). */
        int loop = h->stmt->kind == N_WHILE || h->stmt->kind == N_FOR;
        int pos = loop ? n->first : h->var ? h->var->first : h->stmt->first;
        suspension(h, pos, n);
        break;
    }
    case N_YIELD_FROM:
        suspension(h, n->first, n);
        break;
    case N_BLOCK:
        h->scope = n, h->scope_end = n->end;
        break;
    case N_FOR: case N_RANGE_FOR:
        h->scope = n, h->scope_end = n->end;
        /* fall through */
    case N_WHILE: case N_DO:
        h->loop = span(h, n->first, n->end, NULL);
        if (n->kind == N_RANGE_FOR && (n->flags & NF_AWAIT)) suspension(h, n->first, n);
        break;
    case N_VAR:
        if (n->decl && !(n->decl->storage & (ST_TYPEDEF | ST_EXTERN | ST_STATIC)) && !(n->flags & NF_FUNC))
            declare(h, n, h->scope_end);
        h->var = n;     /* its initializer is walked under it */
        break;
    case N_DEFER:
        h->defer_end = h->scope_end - 1;
        n->state = h->scope_end;
        n->link = h->defers;
        h->defers = n;
        break;
    case N_ASSIGN: {
        /* Only a plain '=' leaves the old value unread: x += (yield 0)
         * reads x after the resume. */
        Node *t = n->lhs;
        while (t && t->kind == N_PAREN) t = t->operand;
        if (cg_tok_is(h->u, n->op, "=") && t && t->kind == N_IDENT && t->ref) h->store = t;
        break;
    }
    case N_COMPOUND: {
        Lit *l = cg_alloc(h->u, sizeof *l);
        /* A select's case operations run before its wait, at its keyword. */
        Node *at = h->stmt->kind == N_CASE && (h->stmt->flags & NF_SELECT) ? h->stmt->select : h->stmt;
        l->n = n, l->first = at->first, l->end = h->scope_end, l->next = h->lits;
        h->lits = l;
        break;
    }
    default:
        break;
    }
    if (n->kind < N_IDENT && n->kind != N_VAR) h->stmt = n, h->var = NULL;
    cg_visit(n, walk, h);
    h->scope = scope, h->stmt = stmt, h->var = var, h->scope_end = scope_end, h->defer_end = defer_end;
    h->loop = loop;
}

/* ---- deciding ------------------------------------------------------------------ */

static int by_pos(const void *a, const void *b)
{
    const Span *x = *(Span *const *)a, *y = *(Span *const *)b;
    return (x->first > y->first) - (x->first < y->first);
}

/* The suspension points sorted, so that finding one costs a search. */
static void sort_susp(Hoist *h)
{
    h->order = cg_alloc(h->u, sizeof *h->order * (size_t)(h->nsusp + 1));
    int k = 0;
    for (Span *s = h->susp; s; s = s->next) h->order[k++] = s;
    qsort(h->order, (size_t)k, sizeof *h->order, by_pos);
}

/* The first suspension point in [from, to), or NULL. */
static Span *first_susp(Hoist *h, int from, int to)
{
    int lo = 0, hi = h->nsusp;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (h->order[mid]->first < from) lo = mid + 1;
        else hi = mid;
    }
    return lo < h->nsusp && h->order[lo]->first < to ? h->order[lo] : NULL;
}

static int susp_in(Hoist *h, int from, int to)
{
    Span *s = first_susp(h, from, to);
    return s ? s->first : -1;
}

typedef struct Branches { int inbranch, found; } Branches;

static int branch_suspends(Node *n, int inbranch);

static void branch_kid(Node *n, void *arg)
{
    Branches *b = arg;
    b->found = b->found || branch_suspends(n, b->inbranch);
}

/* An initializer with a ?: whose branches suspend: the declaration is
 * printed once per branch, so its variable must be assignable there. */
static int branch_suspends(Node *n, int inbranch)
{
    if (!n || n->kind == N_STMT_EXPR) return 0;
    if ((n->kind == N_AWAIT || n->kind == N_YIELD) && inbranch) return 1;
    if (n->kind == N_COND)
        return branch_suspends(n->cond, inbranch) || branch_suspends(n->then, 1) || branch_suspends(n->els, 1);
    Branches b = { inbranch, 0 };
    cg_visit(n, branch_kid, &b);
    return b.found;
}

/* Used after the first suspension point s of its scope, or before it
 * in a loop begun after the declaration that holds s, so that the next
 * round reads it after s.  (Every use is before s then, so such a loop
 * contains s: the outermost loop around s begun after the declaration
 * contains all the others.) */
static int live_across(Hoist *h, Var *x)
{
    if (x->v->init && branch_suspends(x->v->init, 0)) return 1;
    if (x->v->flags & NF_CHANNEL) return 1;
    Span *s = first_susp(h, x->pos + 1, x->end);
    if (!s) return 0;
    if (h->f->has_goto || (x->v->flags & (NF_ARRAY | NF_ADDR))) return 1;
    Node *d = x->v->decl;
    if (d && d->up && d->up->kind == N_FOR && d->up->init == d) return 1;
    for (int i = 0; i < x->nrefs; i++)
        if (x->refs[i] > s->first) return 1;
    Span *outer = NULL;
    for (Span *l = s->loop; l && l->first > x->pos; l = l->loop) outer = l;
    for (int i = 0; outer && i < x->nrefs; i++)
        if (x->refs[i] >= outer->first) return 1;
    return 0;
}

/* Does [a, b) hold a directive?  Then how many elements an initializer
 * there has depends on the configuration. */
static int has_directive(Unit *u, int a, int b)
{
    for (int i = a; i < b; i++)
        if (u->toks[i].id == TK_PP) return 1;
    return 0;
}

/* Does the number of elements of the brace list init give the size of
 * the array it initializes?  Not with a designator (`[9] = x`) or a
 * directive among them (the count depends on the configuration), nor
 * for one string, which may be a char array's, unless the elements are
 * written as pointers. */
static int counted(Unit *u, Node *init, int pointers)
{
    if (init->kind != N_INIT_LIST || has_directive(u, init->first, init->end)) return 0;
    Node *one = init->items;
    if (one && one->kind == N_INIT) one = one->init;
    if (one && !init->items->next && one->kind == N_CONST && u->toks[one->first].id == TK_STRING &&
        !pointers)
        return 0;       /* `{ "abc" }`: a char array's string (or one pointer of a typedef) */
    for (Node *x = init->items; x; x = x->next)
        if (x->kind == N_INIT && x->desig[1] > x->desig[0]) return 0;
    return 1;
}

/* An array of a size the frame cannot state: `[]` with no initializer
 * that counts it. */
static int unsized_array(Unit *u, Node *v)
{
    for (int i = v->dcl[0]; i + 1 < v->dcl[1]; i++)
        if (u->toks[i].id == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET) {
            if (!v->init || has_directive(u, v->init->first, v->init->end)) return 1;
            if (v->init->kind == N_CONST && u->toks[v->init->first].id == TK_STRING) return 0;
            int star = 0;
            for (int k = v->dcl[0]; k < v->name; k++) star |= u->toks[k].id == TK_STAR;
            return !counted(u, v->init, star);
        }
    return 0;
}

/* Does v's declaration give it GNU's cleanup attribute? */
static int has_cleanup(Unit *u, Node *v)
{
    int end;
    for (int i = v->decl->spec[0]; i < v->decl->spec[1]; i++)
        if (cg_attr_group(u, i, v->decl->spec[1], &end) == ATTR_CLEANUP) return 1;
    for (int i = v->dcl[1], attr; (attr = cg_attr_group(u, i, u->ntoks, &end)) != ATTR_NONE; i = end)
        if (attr == ATTR_CLEANUP) return 1;
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
    else if (has_cleanup(u, v))
        cg_error(u, v->name, "'%.*s' has a cleanup attribute but lives across a suspension point "
                 "(in the frame, no scope end runs it); use defer", len, name);
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

static const char *field_name(Hoist *h, Node *v)
{
    const Token *t = &h->u->toks[v->name];
    return cg_unique(h->u, &h->fields, cg_strdup(h->u, h->u->src + t->off, t->len));
}

/* ---- initializers ------------------------------------------------------------ */

/* An identifier without a lowercase letter that names no local, alone or
 * called: a macro maybe, and one that may expand to a brace list
 * (CO_MUTEX_INIT, PTHREAD_MUTEX_INITIALIZER). */
static int may_be_braces(Unit *u, Node *e)
{
    if (e->kind == N_CALL) e = e->fn;
    if (e->kind != N_IDENT || e->ref) return 0;
    const Token *t = &u->toks[e->first];
    for (int i = 0; i < t->len; i++)
        if (u->src[t->off + i] >= 'a' && u->src[t->off + i] <= 'z') return 0;
    return 1;
}

/* Can a value of v's type be assigned?  Not an array; a typedef name may
 * stand for one (unless the declarator makes a pointer of it). */
static int assignable(Unit *u, Node *v)
{
    if (v->flags & NF_ARRAY) return 0;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++)
        if (u->toks[i].id == TK_STAR) return 1;
    for (int i = v->decl->spec[0], depth = 0, end; i < v->decl->spec[1]; i++) {
        int t = u->toks[i].id, prev = u->toks[i - 1].id;
        if (cg_attr_group(u, i, v->decl->spec[1], &end) != ATTR_NONE) {
            i = end - 1;        /* its words are no type names */
            continue;
        }
        depth += (t == TK_LBRACE) - (t == TK_RBRACE);
        if (depth == 0 && (t == TK_TYPENAME || t == TK_IDENT) &&
            prev != TK_STRUCT && prev != TK_UNION && prev != TK_ENUM)
            return 0;
    }
    return 1;
}

/* How a hoisted variable's initializer fills its field: an assignment
 * where C allows one, else a copy from a compound literal. */
static void init_form(Unit *u, Node *v)
{
    Node *e = v->init;
    if (!e) return;
    int list = e->kind == N_INIT_LIST, str = e->kind == N_CONST && u->toks[e->first].id == TK_STRING;
    if (may_be_braces(u, e)) v->flags |= NF_COPY | NF_WRAP;
    else if ((list || str) && !assignable(u, v)) v->flags |= NF_COPY;
}

static void subst(Node *n, void *arg)
{
    Hoist *h = arg;
    Node *r = n->kind == N_IDENT ? n->ref : NULL;
    if (r && (r->flags & (NF_HOIST | NF_CACHED)) == NF_HOIST)
        h->u->toks[n->first].subst = cg_fmt(h->u, "%s->%s", h->f->fp, r->field);
    else if (r && r->aux && ((Var *)r->aux)->rename)
        h->u->toks[n->first].subst = ((Var *)r->aux)->rename;
    else if (r && r->decl && (r->decl->flags & NF_FILESCOPE) && r->field)
        h->u->toks[n->first].subst = r->field;
    cg_visit(n, subst, h);
}

/* ---- names macros use ------------------------------------------------------------ */

/* What a local that a macro names is called in the generated code, when
 * that is not its own name: a frame field, a renamed C local, a static
 * moved to file scope; NULL when it keeps its name. */
static const char *new_name(Node *v)
{
    if (v->flags & NF_CACHED) return NULL;
    if (v->flags & NF_HOIST) return v->field;
    if (v->aux && ((Var *)v->aux)->rename) return ((Var *)v->aux)->rename;
    if (v->decl && (v->decl->flags & NF_FILESCOPE) && (v->decl->storage & ST_STATIC)) return v->field;
    return NULL;
}

/* Frame fields named like an alias are renamed NAME__m, so that `#define
 * NAME (f->NAME__m)` does not rewrite them in `f->NAME`; #if alternatives
 * sharing a field follow.  Returns whether one was. */
static int alias_fields(Hoist *h, const char *old)
{
    const char *name = cg_unique(h->u, &h->fields, cg_fmt(h->u, "%s__m", old));
    int renamed = 0;
    for (Node *p = h->f->params; p; p = p->next)
        if (p->field && !strcmp(p->field, old)) p->field = name, renamed = 1;
    for (Node *o = h->f->frame_vars; o; o = o->link)
        if (!strcmp(o->field, old)) o->field = name, renamed = 1;
    return renamed;
}

/* Token i is the name in the declaration of a frame field, which is not
 * printed (the declaration becomes an assignment). */
static int hoisted_name(Hoist *h, int i)
{
    for (Var *x = h->vars; x; x = x->next)
        if (x->v->name == i) return (x->v->flags & (NF_HOIST | NF_CACHED)) == NF_HOIST;
    return 0;
}

/* Is every token of the body spelled like v, outside preprocessor lines,
 * a use of v (substituted) or a declarator that is not printed, and no
 * macro's member of that name?  Else the alias would rewrite it; the line
 * of the first other one goes to *line. */
static int alias_safe(Hoist *h, Node *v, int *line)
{
    Unit *u = h->u;
    const Token *t = &u->toks[v->name];
    if (cg_macro_member(u, h->f->body->first, h->f->body->end, u->src + t->off, t->len, line)) return 0;
    for (int i = h->f->body->first; i < h->f->body->end; i++) {
        const Token *k = &u->toks[i];
        if (k->id == TK_PP || k->subst || i == v->name || k->len != t->len ||
            memcmp(u->src + k->off, u->src + t->off, (size_t)t->len) || hoisted_name(h, i))
            continue;
        *line = k->line;
        return 0;
    }
    return 1;
}

static void alias_error(Hoist *h, MacroUse *mu, int line)
{
    Unit *u = h->u;
    Node *v = mu->var;
    int ml, l = u->toks[v->name].len;
    const char *mn = cg_macro_name(mu->m, &ml), *n = u->src + u->toks[v->name].off;
    const char *why = v->flags & NF_HOIST ? "it lives in the coroutine's frame"
                    : v->aux && ((Var *)v->aux)->rename ? "a defer before it names another one"
                    : "a defer needs it at file scope";
    cg_error(u, mu->tok, "macro '%.*s' uses local '%.*s', which has another name in the generated C "
             "(%s), and '%.*s' also names something else at line %d: rename one of them, or pass "
             "'%.*s' to the macro as an argument", ml, mn, l, n, why, l, n, line, l, n);
}

/* A macro naming a local that cogen renamed (moved into the frame, say)
 * still works: the local's name is #defined to its new one around the
 * coroutine's resume and close functions.  Refused when that name means
 * something else somewhere in the body.  Returns whether fields were
 * renamed. */
static int macro_aliases(Hoist *h)
{
    Unit *u = h->u;
    int renamed = 0;
    Alias *refused = NULL;      /* reported once each */
    for (MacroUse *mu = h->f->macro_uses; mu; mu = mu->next) {
        Node *v = mu->var;
        if (!new_name(v)) continue;
        const Token *t = &u->toks[v->name];
        const char *name = cg_strdup(u, u->src + t->off, t->len);
        Alias *a = h->f->aliases, *r = refused;
        while (a && strcmp(a->name, name)) a = a->next;
        while (r && r->var != v) r = r->next;
        if ((a && a->var == v) || r) continue;
        int line = a ? u->toks[a->var->name].line : 0;
        if (a || !alias_safe(h, v, &line)) {
            alias_error(h, mu, line);
            r = cg_alloc(u, sizeof *r);
            r->var = v, r->next = refused, refused = r;
            continue;
        }
        renamed |= alias_fields(h, name);
        a = cg_alloc(u, sizeof *a);
        a->name = name, a->var = v;
        a->next = h->f->aliases;
        h->f->aliases = a;
    }
    for (Alias *a = h->f->aliases; a; a = a->next)
        a->text = a->var->flags & NF_HOIST ? cg_fmt(u, "(%s->%s)", h->f->fp, a->var->field) : new_name(a->var);
    return renamed;
}

/* ---- what a defer sees --------------------------------------------------------- */

/* Does a name spelled like token tok appear in the defer d? */
static int named_in(Unit *u, Node *d, int tok)
{
    for (int i = d->first; i < d->end; i++)
        if ((u->toks[i].id == TK_IDENT || u->toks[i].id == TK_TYPENAME) && u->toks[i].len == u->toks[tok].len &&
            !memcmp(u->src + u->toks[i].off, u->src + u->toks[tok].off, (size_t)u->toks[tok].len))
            return 1;
    return 0;
}

/* Is name spelled by a token of the function or given to a local other
 * than self? */
static int spelled(Hoist *h, const char *name, Var *self)
{
    for (int i = h->f->first; i <= h->f->last; i++)
        if (cg_tok_is(h->u, i, name)) return 1;
    for (Var *x = h->vars; x; x = x->next)
        if (x != self && x->rename && !strcmp(x->rename, name)) return 1;
    return 0;
}

/* A defer is printed at the exits of its scope, where a local declared
 * after it may hide a name it uses (`defer f(b); int b;`): such a local,
 * when it stays a C local, is renamed NAME__K. */
static void defer_shadows(Hoist *h)
{
    for (Node *d = h->defers; d; d = d->link)
        for (Var *x = h->vars; x; x = x->next) {
            Node *v = x->v;
            if ((v->flags & NF_HOIST) || x->rename || x->pos < d->end || x->pos >= d->state ||
                !named_in(h->u, d, v->name))
                continue;
            const Token *t = &h->u->toks[v->name];
            for (int k = 2; !x->rename || spelled(h, x->rename, x); k++)
                x->rename = cg_fmt(h->u, "%.*s__%d", t->len, h->u->src + t->off, k);
            h->u->toks[v->name].subst = x->rename;
        }
}

/* Insert d into the function's file-scope declarations, in source order. */
static void to_file_scope(Func *f, Node *d)
{
    Node **p = &f->types;
    while (*p && *p != d && (*p)->first < d->first) p = &(*p)->link;
    if (*p == d) return;
    d->link = *p;
    *p = d;
}

static void file_scope_refs(Node *n, void *arg);
static void moved_alternatives(Node *n, void *arg);

/* Does another static moved out of f have the name of v? */
static int moved_name(Func *f, Node *v)
{
    for (Node *d = f->types; d; d = d->link)
        for (Node *o = (d->flags & NF_FILESCOPE) ? d->vars : NULL; o; o = o->next)
            if (o != v && o->field && !strcmp(o->field, v->field)) return 1;
    return 0;
}

/* The close function runs defers outside the body, where its block-scope
 * statics, externs and function declarations are not visible: a static a
 * defer names moves to file scope (renamed FUNC__NAME), the others are
 * repeated there.  So do the statics its initializer names. */
static void file_scope(Hoist *h, Node *d)
{
    if (d->flags & NF_FILESCOPE) return;
    d->flags |= NF_FILESCOPE;
    to_file_scope(h->f, d);
    if (!(d->storage & ST_STATIC)) return;
    Unit *u = h->u;
    const Token *fn = &u->toks[h->f->name];
    for (Node *v = d->vars; v; v = v->next) {
        const Token *t = &u->toks[v->name];
        const char *base = cg_fmt(u, "%.*s__%.*s", fn->len, u->src + fn->off, t->len, u->src + t->off);
        v->field = base;
        for (int k = 2; moved_name(h->f, v); k++) v->field = cg_fmt(u, "%s__%d", base, k);
        u->toks[v->name].subst = v->field;
        cg_visit(v, file_scope_refs, h);
        h->moved = v;
        cg_visit(h->f->body, moved_alternatives, h);
    }
}

/* The same static declared in another #if branch moves along, with the
 * same name. */
static void moved_alternatives(Node *n, void *arg)
{
    Hoist *h = arg;
    Node *v = h->moved;
    if (n->kind == N_VAR && n->alt == v && n->decl && !(n->decl->flags & NF_FILESCOPE)) {
        n->decl->flags |= NF_FILESCOPE;
        to_file_scope(h->f, n->decl);
        n->field = v->field;
        h->u->toks[n->name].subst = v->field;
        h->moved = n;
        cg_visit(n, file_scope_refs, h);
        h->moved = v;
    }
    cg_visit(n, moved_alternatives, h);
}

static void file_scope_refs(Node *n, void *arg)
{
    Node *r = n->kind == N_IDENT ? n->ref : NULL;
    if (r && r->decl && ((r->decl->storage & (ST_STATIC | ST_EXTERN)) || (r->flags & NF_FUNC)))
        file_scope(arg, r->decl);
    cg_visit(n, file_scope_refs, arg);
}

static void defer_statics(Hoist *h)
{
    for (Node *d = h->defers; d; d = d->link) cg_visit(d, file_scope_refs, h);
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
                  (n->kind == N_RANGE_FOR && (n->flags & NF_CHANNEL)) ||
                  (n->kind == N_RANGE_FOR && n->callee &&
                   ((n->flags & NF_AWAIT) || (n->body && susp_in(h, n->body->first, n->body->end) >= 0)));
    int saved = h->inline_slots;
    if (n->kind < N_IDENT && n->kind != N_VAR) h->inline_slots = 0;
    if (hoisted) {
        /* Awaits of one statement are live together (their results are
         * read at its end): each takes the next union. */
        int slot = h->slot + (n->kind == N_AWAIT ? h->inline_slots++ : 0);
        n->flags |= NF_HOIST;
        n->id = slot;           /* its union (layout.c names the fields) */
        *h->subs_tail = n;
        h->subs_tail = &n->link;
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
    int arr = 0, ptr = 0;
    for (int i = n->type[0]; i < n->type[1]; i++) {
        arr |= u->toks[i].id == TK_LBRACKET;
        ptr |= u->toks[i].id == TK_STAR;
        if (u->toks[i].id == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET && n->init &&
            !counted(u, n->init, ptr))
            cg_error(u, n->first, "a compound literal of a size its elements do not count lives across "
                     "a suspension point; give it a size");
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

/* The frame struct prints a field's type at file scope, where no local
 * is in scope: a type that names one (`__typeof__(x) y` with y in the
 * frame, x there too or a C local) cannot be written, unless the local is
 * declared at file scope as well (a static or extern a defer needs).
 * uses are the names the type holds (scope.c), what the field is for the
 * message. */
static void unseen(Unit *u, int tok, const char *what, const char *why)
{
    const Token *t = &u->toks[tok];
    cg_error(u, tok, "the type of %s names '%.*s', %s: write the type out", what, t->len, u->src + t->off, why);
}

static void frame_type(Hoist *h, Node *uses, int from, int to, const char *what)
{
    for (Node *n = uses; n; n = n->next) {
        Node *r = n->ref;
        if (n->first < from || n->first >= to || !r || (r->decl && (r->decl->flags & NF_FILESCOPE))) continue;
        unseen(h->u, n->first, what, r->flags & NF_HOIST ? "which lives in the coroutine's frame too"
                                                         : "a local the frame struct cannot see");
        return;
    }
}

/* Does identifier token i spell a parameter before q? */
static int earlier_param(Hoist *h, Node *q, int i)
{
    for (Node *p = h->f->params; p != q; p = p->next)
        if (p->name >= 0 && h->u->toks[p->name].len == h->u->toks[i].len &&
            !memcmp(h->u->src + h->u->toks[p->name].off, h->u->src + h->u->toks[i].off, (size_t)h->u->toks[i].len))
            return 1;
    return 0;
}

/* The first token in [from, to) of parameter q's type that names an
 * earlier parameter, or -1.  Parameter lists of function declarators hold
 * names of their own, and an array parameter's first [...] is not written
 * (the field is a pointer); members and tags are no names of variables. */
static int names_param(Hoist *h, Node *q, int from, int to)
{
    Unit *u = h->u;
    for (int i = from; i < to; i++) {
        int t = u->toks[i].id, before = i > from ? u->toks[i - 1].id : 0;
        if ((t == TK_LPAREN && (before == TK_IDENT || before == TK_RPAREN || before == TK_RBRACKET)) ||
            (t == TK_LBRACKET && i == q->name + 1)) {
            i = u->pair[i] < to ? u->pair[i] : to;
            continue;
        }
        if (t == TK_IDENT && i != q->name && before != TK_DOT && before != TK_ARROW && before != TK_STRUCT &&
            before != TK_UNION && before != TK_ENUM && earlier_param(h, q, i))
            return i;
    }
    return -1;
}

/* A parameter's type that names an earlier one (`int n, __typeof__(n) m`,
 * `int n, int a[][n]`) cannot be written in the frame struct either. */
static void param_types(Hoist *h)
{
    Unit *u = h->u;
    for (Node *q = h->f->params; q; q = q->next) {
        int i = q->field ? names_param(h, q, q->spec[0], q->spec[1]) : -1;
        if (q->field && i < 0) i = names_param(h, q, q->dcl[0], q->dcl[1]);
        if (i < 0) continue;
        const Token *t = &u->toks[q->name];
        unseen(u, i, cg_fmt(u, "parameter '%.*s'", t->len, u->src + t->off), "a parameter the frame struct cannot see");
    }
}

/* A type the compiler infers from the initializer (`__auto_type x = e`,
 * C23 `auto x = e`): the frame struct has no initializer to infer from. */
static int inferred(Unit *u, Node *d)
{
    int autos = 0;
    for (int i = d->spec[0]; i < d->spec[1]; i++) {
        if (cg_tok_is(u, i, "__auto_type")) return 1;
        if (cg_type_keyword(u->toks[i].id)) return 0;
        autos |= u->toks[i].id == TK_AUTO;
    }
    return autos;
}

static void frame_types(Hoist *h)
{
    Unit *u = h->u;
    for (Node *v = h->f->frame_vars; v; v = v->link) {
        const Token *t = &u->toks[v->name];
        if (inferred(u, v->decl))
            cg_error(u, v->name, "the type of '%.*s' is inferred from its initializer, but '%.*s' "
                     "lives in the coroutine's frame, whose struct must name it: write the type out",
                     t->len, u->src + t->off, t->len, u->src + t->off);
        else frame_type(h, v->decl->vars->type_uses, v->decl->spec[0], v->decl->spec[1],
                        cg_fmt(u, "'%.*s'", t->len, u->src + t->off));
    }
    for (Node *l = h->f->lits; l; l = l->link)
        frame_type(h, l->type_uses, l->type[0], l->type[1], "a compound literal");
    param_types(h);
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

/* v becomes the next field of the frame, named `name`. */
static void add_field(Node ***tail, Node *v, const char *name)
{
    v->flags |= NF_HOIST;
    v->field = name;
    **tail = v;
    *tail = &v->link;
}

/* Alternatives (one name declared in two #if branches, or under two
 * #ifdefs) share a field, each declared under its own #if: all of them
 * are in the frame when one is. */
static void alternatives(Hoist *h, Var *vars, Node ***tail)
{
    for (Var *x = vars; x; x = x->next) {
        Node *v = x->v, *p = v->alt;
        if (p && (v->flags & NF_HOIST) && !(p->flags & NF_HOIST)) add_field(tail, p, field_name(h, p));
    }
    for (Var *x = vars; x; x = x->next) {
        Node *v = x->v, *p = v->alt;
        if (!p || !(p->flags & NF_HOIST)) continue;
        if (!(v->flags & NF_HOIST)) add_field(tail, v, p->field);
        v->field = p->field;
    }
}

/* A declaration is hoisted whole, so that it becomes one assignment. */
static void whole_decls(Hoist *h, Var *vars, Node ***tail)
{
    for (Var *x = vars; x; x = x->next)
        if (x->v->decl && (x->v->flags & NF_HOIST)) x->v->decl->aux = x;
    for (Var *x = vars; x; x = x->next)
        if (x->v->decl && x->v->decl->aux && !(x->v->flags & NF_HOIST))
            add_field(tail, x->v, field_name(h, x->v));
}

static void frame_vars(Hoist *h, Var *vars)
{
    Node **tail = &h->f->frame_vars;
    for (Var *x = vars; x; x = x->next) {
        if (!live_across(h, x) && !((x->v->flags & NF_VLA) && susp_in(h, x->pos + 1, x->end) >= 0))
            continue;
        check(h, x);
        add_field(&tail, x->v, field_name(h, x->v));
    }
    alternatives(h, vars, &tail);
    whole_decls(h, vars, &tail);
    for (Node *v = h->f->frame_vars; v; v = v->link) init_form(h->u, v);
}

/* ---- frame variables kept as C locals ------------------------------------------ */

/* A local in the frame stays a C local of the resume function as well,
 * under its own name, when nothing but that name reaches it: user code is
 * then printed as written (compiler columns and gdb names are the user's,
 * and the compiler keeps it in a register), and the field is written only
 * before each suspension in its scope and read back after.  Not so when
 * a pointer may reach it (arrays, &x, a channel's receive, goto), when an
 * assignment may not copy it (const, a type that is or may be an array, a
 * type declared here or written as a word cogen does not know), when a
 * defer names it (the close function sees only the frame), when a local
 * declared in its scope has its name (the save could not name it there),
 * or when its declaration is not printed once as written (under #if, with
 * a ?: whose branches suspend, a range-for's variable, no initializer to
 * make its saved value defined). */
static int copyable(Unit *u, Node *v, const int *spec, int consts)
{
    int end, ptr = 0;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) {
        if ((!consts && cg_tok_const(u, i) && cg_top_const(u, v, i)) || u->toks[i].subst ||
            u->toks[i].id == TK_LBRACKET)
            return 0;
        ptr |= u->toks[i].id == TK_STAR && i < v->name;
    }
    consts |= ptr;      /* a const of the specifiers is what it points to */
    for (int i = spec[0]; i < spec[1]; i++) {
        const Token *t = &u->toks[i];
        if (cg_attr_group(u, i, spec[1], &end) != ATTR_NONE) {
            i = end - 1;
            continue;
        }
        int word = t->id == TK_TYPENAME || t->id == TK_IDENT;
        if ((!consts && cg_tok_const(u, i)) || t->subst || t->id == TK_LBRACE || t->id == TK_TYPEOF ||
            cg_tok_is(u, i, "__auto_type") || t->id == TK_AUTO ||
            (word && (!cg_is_typename(u, u->src + t->off, t->len) || cg_is_array_type(u, u->src + t->off, t->len))))
            return 0;
    }
    return 1;
}

static int cacheable(Hoist *h, Var *x)
{
    Node *v = x->v, *d = v->decl;
    if (!(v->flags & NF_HOIST) || !d || !v->init || v->alt || v->pp || x->rename ||
        (v->flags & (NF_ARRAY | NF_ADDR | NF_VLA | NF_CHANNEL)) ||
        (d->up && d->up->kind == N_RANGE_FOR && d->up->var_decl == d) ||
        branch_suspends(v->init, 0) || !copyable(h->u, v, d->spec, 0))
        return 0;
    for (Node *df = h->defers; df; df = df->link)
        if (named_in(h->u, df, v->name)) return 0;
    for (Var *y = x->same; y && y->pos < x->end; y = y->same)
        if (y->pos > x->pos) return 0;
    return 1;
}

/* The index in at[0..n) (sorted by position) of the first suspension
 * point after x's declarator; the points of its scope follow it. */
static int first_saving(Node **at, int n, Var *x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (at[mid]->first < x->v->end) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int saving_points(Node **at, int n, Var *x)
{
    int i = first_saving(at, n, x), k = i;
    while (k < n && at[k]->first < x->end) k++;
    return k - i;
}

/* A declaration is printed as written or as assignments, as a whole. */
static void whole_cached(Var *vars)
{
    for (Var *x = vars; x; x = x->next) {
        int whole = 1;
        for (Node *w = x->v->decl ? x->v->decl->vars : NULL; w; w = w->next)
            whole &= !(w->flags & NF_HOIST) || (w->flags & NF_CACHED);
        for (Node *w = x->v->decl && !whole ? x->v->decl->vars : NULL; w; w = w->next) w->flags &= ~NF_CACHED;
    }
}

typedef struct ParamUse { Node *p; int named; } ParamUse;

static void param_use(Node *n, void *arg)
{
    ParamUse *pu = arg;
    pu->named |= n->kind == N_IDENT && n->ref == pu->p;
    cg_visit(n, param_use, pu);
}

/* A parameter is a C local of the resume function too, read from the
 * frame on each entry and saved at each suspension point (a macro may
 * change it where the body shows no assignment): on the terms of a local,
 * const allowed (it is never restored), and named in the body (an unused
 * local would be warned about). */
static int param_cached(Hoist *h, Node *p, Map *names)
{
    Unit *u = h->u;
    if (p->name < 0 || !p->field || (p->flags & (NF_ADDR | NF_ARRAY | NF_VLA | NF_FUNC)) ||
        u->toks[p->name + 1].id == TK_LPAREN)
        return 0;
    const Token *t = &u->toks[p->name];
    if (cg_map_get(names, u->src + t->off, t->len)) return 0;
    for (Node *df = h->defers; df; df = df->link)
        if (named_in(u, df, p->name)) return 0;
    ParamUse pu = { p, 0 };
    param_use(h->f->body, &pu);
    for (MacroUse *mu = h->f->macro_uses; mu; mu = mu->next)
        pu.named |= mu->var == p;
    return pu.named && copyable(u, p, p->spec, 1);
}

static int by_cost(const void *a, const void *b)
{
    const Var *x = *(Var *const *)a, *y = *(Var *const *)b;
    if (x->nsaves != y->nsaves) return x->nsaves < y->nsaves ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Saves grow with locals times suspension points: past a budget linear in
 * both, the locals with the most points to save at stay in the frame
 * only, so that the output stays linear in the input. */
static void budget(Hoist *h, Node **at, int n)
{
    long total = 0, limit = 8L * (h->nsusp + h->nvars) + 256;
    int k = 0;
    for (Var *x = h->vars; x; x = x->next)
        if (x->v->flags & NF_CACHED) total += x->nsaves = saving_points(at, n, x), k++;
    if (total <= limit) return;
    Var **by = cg_alloc(h->u, sizeof *by * (size_t)(k + 1));
    k = 0;
    for (Var *x = h->vars; x; x = x->next)
        if (x->v->flags & NF_CACHED) by[k++] = x;
    qsort(by, (size_t)k, sizeof *by, by_cost);
    total = 0;
    for (int i = 0; i < k; i++)
        if ((total += by[i]->nsaves) > limit) by[i]->v->flags &= ~NF_CACHED;
    whole_cached(h->vars);
}

/* Is parameter p itself const (`const int n`, `char *const s`), so that
 * nothing can change it? */
static int const_param(Unit *u, Node *p)
{
    int ptr = 0;
    for (int i = p->dcl[0]; i < p->dcl[1]; i++) {
        if (cg_tok_const(u, i) && cg_top_const(u, p, i)) return 1;
        ptr |= u->toks[i].id == TK_STAR && i < p->name;
    }
    for (int i = p->spec[0], end; i < p->spec[1] && !ptr; i++) {
        if (cg_attr_group(u, i, p->spec[1], &end) != ATTR_NONE) i = end - 1;
        else if (cg_tok_const(u, i)) return 1;
    }
    return 0;
}

/* Each suspension point in the scope of a cached local, after its
 * declarator, saves and restores it. */
static void saves(Hoist *h, Node **at, int n)
{
    for (Node *p = h->f->params; p; p = p->next) {  /* cached ones, at every point */
        if (!(p->flags & NF_CACHED) || const_param(h->u, p)) continue;
        for (int i = 0; i < n; i++) {
            Saved *sv = cg_alloc(h->u, sizeof *sv);
            sv->var = p, sv->next = at[i]->saves;
            at[i]->saves = sv;
        }
    }
    for (Var *x = h->vars; x; x = x->next) {
        if (!(x->v->flags & NF_CACHED)) continue;
        for (int i = first_saving(at, n, x); i < n && at[i]->first < x->end; i++) {
            Saved *sv = cg_alloc(h->u, sizeof *sv);
            sv->var = x->v, sv->next = at[i]->saves;
            at[i]->saves = sv;
        }
    }
    for (int i = 0; i < n; i++) {       /* into source order */
        Saved *rev = NULL;
        for (Saved *sv = at[i]->saves, *next; sv; sv = next) next = sv->next, sv->next = rev, rev = sv;
        at[i]->saves = rev;
    }
}

static int by_node(const void *a, const void *b)
{
    const Node *x = *(Node *const *)a, *y = *(Node *const *)b;
    return (x->first > y->first) - (x->first < y->first);
}

static void cache(Hoist *h)
{
    if (h->f->has_goto) return;
    Map names = { 0 };
    for (Var *x = h->vars; x; x = x->next) {
        const Token *t = &h->u->toks[x->v->name];
        void **last = cg_map_slot(h->u, &names, h->u->src + t->off, t->len);
        if (*last) ((Var *)*last)->same = x;
        *last = x;
        h->nvars++;
    }
    for (Var *x = h->vars; x; x = x->next)
        if (cacheable(h, x)) x->v->flags |= NF_CACHED;
    whole_cached(h->vars);
    for (Node *p = h->f->params; p; p = p->next)
        if (param_cached(h, p, &names)) p->flags |= NF_CACHED;
    Node **at = cg_alloc(h->u, sizeof *at * (size_t)(h->nsusp + 1));
    int n = 0;
    for (Span *s = h->susp; s; s = s->next) at[n++] = s->n;
    qsort(at, (size_t)n, sizeof *at, by_node);
    budget(h, at, n);
    saves(h, at, n);
}

int cg_hoist(Unit *u, Func *f)
{
    int before = u->nerrors;
    Hoist h = { .u = u, .f = f, .defer_end = -1, .scope_end = f->body->end, .subs_tail = &f->subs };
    f->fp = frame_pointer(u, f);
    walk(f->body, &h);
    sort_susp(&h);
    find_alloca(f->body, &h);
    cg_unique(u, &h.fields, "co_state");
    cg_unique(u, &h.fields, "co_value");
    cg_unique(u, &h.fields, "co_sent");
    for (Node *p = f->params; p; p = p->next) {
        p->flags |= NF_HOIST;
        if (p->name >= 0) p->field = cg_strdup(u, u->src + u->toks[p->name].off, u->toks[p->name].len);
        if (p->field) cg_unique(u, &h.fields, p->field);
    }
    /* Fields in source order: the list of Vars is in reverse. */
    Var *rev = NULL;
    for (Var *x = h.vars, *next; x; x = next) next = x->next, x->next = rev, rev = x;
    h.vars = rev;
    frame_vars(&h, rev);
    cache(&h);
    defer_shadows(&h);
    defer_statics(&h);
    subst(f->body, &h);
    if (macro_aliases(&h)) subst(f->body, &h);     /* fields renamed */
    subframes(f->body, &h);
    if (f->kind == F_ASYNC || f->kind == F_ASYNC_GEN) embed(f->subs);
    literals(&h);
    frame_types(&h);
    return u->nerrors > before ? -1 : 0;
}
