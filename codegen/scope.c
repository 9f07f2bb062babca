/*
 * scope.c - name resolution and the checks that need scopes.
 *
 * Links each identifier to the local declaration it names (block scopes
 * with shadowing, as C defines them), each break/continue to its loop and
 * each goto to its label, finds the generator each range-for and yield-from
 * calls, and refuses forms used where they mean nothing: yield outside a
 * generator, await outside async code, return with a value in a generator,
 * jumps out of a defer.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

/* An open #if inside a body, for scoping its branches. */
typedef struct PPIf {
    int mark;           /* nvars at the #if                                   */
    Node **first;       /* declarations of its first branch                   */
    int nfirst, branch;
} PPIf;

typedef struct Scope {
    Unit *u;
    Func *f;
    Node **vars;        /* visible declarations, innermost last              */
    int *below;         /* below[i]: the entry under vars[i] in its bucket    */
    int nvars, cap;
    int *heads;         /* per bucket (name hash): its innermost entry, or -1 */
    int nheads;         /* a power of two, at least nvars                     */
    Node **jumps;       /* enclosing loops and switches, innermost last       */
    int njumps, jcap;
    int defer_base;     /* njumps when the innermost defer was entered, or -1 */
    Node *labels;       /* N_LABEL nodes of the function (via ->link)         */
    int stmt_expr;      /* statement expressions ({ ... }) open around here  */
    int asm_operand;    /* inside the operands of an asm statement            */
    int deadlines;      /* deadline blocks open around here                  */
    Node *stmt;         /* statement being resolved                           */
    PPCtx *pp;          /* open preprocessor conditionals                     */
    PPIf *ifs;          /* their scoping                                      */
    int nifs, icap;
} Scope;

/* ---- traversal --------------------------------------------------------------- */

static void each(Node *n, void (*fn)(Node *, void *), void *arg)
{
    for (; n; n = n->next) fn(n, arg);
}

/* ---- names -------------------------------------------------------------------- */

static int same(Unit *u, int a, int b)
{
    if (a < 0 || b < 0) return 0;   /* a plain function's pseudo-name */
    const Token *x = &u->toks[a], *y = &u->toks[b];
    return x->len == y->len && !memcmp(u->src + x->off, u->src + y->off, (size_t)x->len);
}

/* A stack of n-byte elements, full at *cap elements, twice as big. */
static void *grow(Unit *u, void *old, size_t n, int *cap)
{
    int was = *cap;
    *cap = was ? 2 * was : 16;
    void *p = cg_alloc(u, n * (size_t)*cap);
    if (was) memcpy(p, old, n * (size_t)was);
    return p;
}

/* Visible names are a stack with a hash of chains over it: a name
 * declared last is on top of its chain, and leaving a scope pops it, so
 * a lookup costs the same however many locals a body has. */
static int bucket(Scope *s, int tok)
{
    unsigned h = tok < 0 ? 0 : cg_hash(s->u->src + s->u->toks[tok].off, s->u->toks[tok].len);
    return (int)(h & (unsigned)(s->nheads - 1));
}

static void rehash(Scope *s)
{
    s->nheads = s->nheads ? 2 * s->nheads : 64;
    s->heads = cg_alloc(s->u, sizeof *s->heads * (size_t)s->nheads);
    for (int b = 0; b < s->nheads; b++) s->heads[b] = -1;
    for (int i = 0; i < s->nvars; i++) {
        int b = bucket(s, s->vars[i]->name);
        s->below[i] = s->heads[b];
        s->heads[b] = i;
    }
}

static void push_var(Scope *s, Node *v)
{
    if (s->nvars == s->cap) {
        int cap = s->cap;
        s->vars = grow(s->u, s->vars, sizeof *s->vars, &cap);
        s->below = grow(s->u, s->below, sizeof *s->below, &s->cap);
    }
    s->vars[s->nvars++] = v;
    if (s->nvars > s->nheads) {
        rehash(s);
        return;
    }
    int b = bucket(s, v->name);
    s->below[s->nvars - 1] = s->heads[b];
    s->heads[b] = s->nvars - 1;
}

/* Leave scopes: only the first `mark` entries stay visible. */
static void pop_to(Scope *s, int mark)
{
    while (s->nvars > mark) {
        int i = --s->nvars;
        s->heads[bucket(s, s->vars[i]->name)] = s->below[i];
    }
}

/* ---- preprocessor conditionals ------------------------------------------------ */

static PPCtx *pp_ctx(Scope *s, PPCtx *outer, PPCtx *prev, int tok)
{
    PPCtx *c = cg_alloc(s->u, sizeof *c);
    c->ndirs = prev ? prev->ndirs + 1 : 1;
    c->dirs = cg_alloc(s->u, sizeof *c->dirs * (size_t)c->ndirs);
    for (int i = 0; prev && i < prev->ndirs; i++) c->dirs[i] = prev->dirs[i];
    c->dirs[c->ndirs - 1] = tok;
    c->outer = outer;
    return c;
}

/* Declarations in #else branches stand for the first branch's of the same
 * name, so after #endif names resolve to the first branch's; hoist.c
 * gives such alternatives one field. */
static void pp_line(Scope *s, Node *n)
{
    int kind = cg_pp_kind(s->u, n->first);
    if (kind == 'l') kind = 'e';
    if (kind == 'i') {
        if (s->nifs == s->icap) s->ifs = grow(s->u, s->ifs, sizeof *s->ifs, &s->icap);
        s->ifs[s->nifs].mark = s->nvars;
        s->ifs[s->nifs].branch = 0;
        s->nifs++;
        s->pp = pp_ctx(s, s->pp, NULL, n->first);
    } else if (kind == 'e' && s->nifs > 0 && s->pp) {
        PPIf *l = &s->ifs[s->nifs - 1];
        if (l->branch++ == 0) {
            l->nfirst = s->nvars - l->mark;
            l->first = cg_alloc(s->u, sizeof *l->first * (size_t)(l->nfirst + 1));
            if (l->nfirst) memcpy(l->first, s->vars + l->mark, sizeof *l->first * (size_t)l->nfirst);
        }
        pop_to(s, l->mark);
        s->pp = pp_ctx(s, s->pp->outer, s->pp, n->first);
    } else if (kind == 'n' && s->nifs > 0 && s->pp) {
        PPIf *l = &s->ifs[--s->nifs];
        if (l->branch) {
            pop_to(s, l->mark);
            for (int i = 0; i < l->nfirst; i++) push_var(s, l->first[i]);
        }
        s->pp = s->pp->outer;
    }
}

/* The first-branch declaration that v is an alternative of, if any. */
static Node *alternative_of(Scope *s, Node *v)
{
    if (!s->nifs || !s->ifs[s->nifs - 1].branch || v->name < 0) return NULL;
    PPIf *l = &s->ifs[s->nifs - 1];
    for (int i = 0; i < l->nfirst; i++)
        if (l->first[i]->name >= 0 && same(s->u, l->first[i]->name, v->name)) return l->first[i];
    return NULL;
}

static Node *lookup_name(Scope *s, const char *name, int len)
{
    if (!s->nvars) return NULL;
    int b = (int)(cg_hash(name, len) & (unsigned)(s->nheads - 1));
    for (int i = s->heads[b]; i >= 0; i = s->below[i]) {
        if (s->vars[i]->name < 0) continue;
        const Token *t = &s->u->toks[s->vars[i]->name];
        if (t->len == len && !memcmp(s->u->src + t->off, name, (size_t)len)) return s->vars[i];
    }
    return NULL;
}

static Node *lookup(Scope *s, int tok)
{
    return lookup_name(s, s->u->src + s->u->toks[tok].off, s->u->toks[tok].len);
}

/* ---- macros ------------------------------------------------------------------- */

typedef struct Expand {
    Scope *s;
    int tok;            /* where the macro is used                            */
    const Macro *m;     /* the macro used there                               */
    const Macro **seen; /* macros whose names were taken already (a macro
                           named twice, or by itself, adds nothing)         */
    int nseen, cap;
} Expand;

static int seen(Expand *e, const Macro *m)
{
    for (int i = 0; i < e->nseen; i++)
        if (e->seen[i] == m) return 1;
    if (e->nseen == e->cap) {
        e->cap = e->cap ? 2 * e->cap : 8;
        const Macro **p = cg_alloc(e->s->u, sizeof *p * (size_t)e->cap);
        if (e->nseen) memcpy(p, e->seen, sizeof *p * (size_t)e->nseen);
        e->seen = p;
    }
    e->seen[e->nseen++] = m;
    return 0;
}

/* A name in a macro's body, as the preprocessor sees it at the use: a
 * macro in turn, or a name looked up there. */
static void macro_name(const char *name, int len, void *arg)
{
    Expand *e = arg;
    const Macro *inner = cg_macro_at(e->s->u, name, len, e->tok);
    if (inner) {
        if (!seen(e, inner)) cg_macro_names(inner, macro_name, e);
        return;
    }
    Node *v = lookup_name(e->s, name, len);
    for (MacroUse *o = e->s->f->macro_uses; v && o && o->tok == e->tok; o = o->next)
        if (o->var == v) return;        /* named twice in one use */
    if (!v) return;
    MacroUse *mu = cg_alloc(e->s->u, sizeof *mu);
    mu->tok = e->tok, mu->m = e->m, mu->var = v;
    mu->next = e->s->f->macro_uses;
    e->s->f->macro_uses = mu;
}

static void macro_use(Scope *s, int tok)
{
    const Token *t = &s->u->toks[tok];
    const Macro *m = s->u->macros ? cg_macro_at(s->u, s->u->src + t->off, t->len, tok) : NULL;
    Expand e = { .s = s, .tok = tok, .m = m };
    if (m && !seen(&e, m)) cg_macro_names(m, macro_name, &e);
}

/* A declaration of v's name in v's block, both under #if but not the
 * same branches: one is compiled at most (`#ifdef A int x; #endif
 * #ifdef B long x; #endif`), so v is its alternative.  The first of a
 * chain of them stands for all. */
static Node *redeclared(Scope *s, Node *v)
{
    Node *p = v->name >= 0 ? lookup(s, v->name) : NULL;
    if (!p || !p->pp || !v->pp || p->pp == v->pp || !p->decl || p->decl->up != v->decl->up)
        return NULL;
    return p->alt ? p->alt : p;
}

/* The variable whose storage `&e` exposes, if any. */
static Node *addr_root(Unit *u, Node *e)
{
    while (e && (e->kind == N_PAREN || e->kind == N_INDEX ||
                 (e->kind == N_MEMBER && cg_tok_is(u, e->op, "."))))
        e = e->kind == N_INDEX ? e->lhs : e->operand;
    return e && e->kind == N_IDENT ? e->ref : NULL;
}

static void expr(Node *n, void *arg);
static void stmt(Node *n, void *arg);
static void type_uses(Scope *s, int from, int to, Node **tail);

/* ---- what a name calls --------------------------------------------------------- */

static const char *text(Unit *u, int tok) { return cg_tokens_text(u, tok, tok + 1); }

/* How diagnostics name the form n that delegates to or reads a coroutine. */
static const char *form_name(Node *n)
{
    if (n->kind == N_YIELD_FROM) return "'yield from' of";
    return n->kind == N_RANGE_FOR ? "'for await' over" : "'await' of";
}

/* How diagnostics name a coroutine kind: "a generator". */
const char *cg_kind_name(int kind)
{
    return kind == F_GEN ? "a generator" : kind == F_ASYNC ? "an async function" : "an async generator";
}

/* How coroutine g is used instead, for a form that wants one of kind
 * `want` (F_ASYNC: await). */
static const char *instead(Unit *u, Func *g, int want)
{
    if (g->kind == F_ASYNC_GEN) return "read it with for await";
    if (g->kind == F_ASYNC) return want == F_ASYNC_GEN ? "await it" : "await it in async code";
    if (want == F_ASYNC_GEN) return "drop the await";
    return cg_fmt(u, "read it with 'for (%s x : %s(...))' or yield from",
                  cg_tokens_text(u, g->ytype[0], g->ytype[1]), text(u, g->name));
}

/* The coroutine of kind `want` named at token `name`: its definition
 * wherever it is in the file, else a prototype declared before s's
 * function (another file's coroutine). */
static Func *find(Scope *s, int name, int want)
{
    Sym *y = cg_sym(s->u, name);
    if (y && y->def && y->def->kind == want) return y->def;
    return cg_find_func(s->u, name, s->f->first, want);
}

/* Another file's generator or async generator named at token `name`,
 * known from the header `cogen --header` wrote for it, which declares
 * NAME__value: a prototype made here (of the kind the form reads), with
 * no yield type of its own (the range-for names NAME__value). */
static Func *other_file(Scope *s, int name, int want)
{
    Unit *u = s->u;
    const char *t = cg_fmt(u, "%s__value", text(u, name));
    if (!cg_is_typename(u, t, (int)strlen(t))) return NULL;
    Func *g = cg_alloc(u, sizeof *g);
    g->kind = want;
    g->is_proto = 1;
    g->first = g->last = g->name = g->word = name;
    return g;
}

/* Is g's frame boxed (allocated where it is used) in s's function: g is
 * that function, or defined later and calls back into it (order.c). */
static int boxed(Scope *s, const Func *g)
{
    return g == s->f || (!g->is_proto && g->first > s->f->first && cg_order_cycle(s->f, g));
}

/* A form wanting a coroutine of kind `want` calls token `name`, which no
 * coroutine declared before the form answers.  Report what the file says
 * the name is instead; 0 when it says nothing (another file's or the
 * runtime's, or a handle). */
static int misused(Scope *s, int name, int want)
{
    Unit *u = s->u;
    Sym *y = cg_sym(u, name);
    if (!y) return 0;
    if (y->coro && y->coro->kind != want) {
        cg_error(u, name, "'%s' is %s, not %s: %s", text(u, name), cg_kind_name(y->coro->kind),
                 want == F_ASYNC ? "awaitable" : cg_kind_name(want), instead(u, y->coro, want));
        return 1;
    }
    if (y->plain && !y->coro && want == F_ASYNC) {
        cg_error(u, name, "'%s' is not async", text(u, name));
        cg_note(u, y->plain->name, "to await it, declare it 'async %s'",
                cg_signature(u, y->plain->rtype[0], y->plain->name));
        return 1;
    }
    return 0;
}

/* False for a function defined in this file whose return type is not
 * `co_gen *`: yield from such a call cannot be meant. */
static int returns_handle(Unit *u, int name)
{
    Sym *y = cg_sym(u, name);
    if (!y || !y->plain) return 1;
    int r0 = y->plain->rtype[0], r1 = y->plain->rtype[1];
    return r1 - r0 == 2 && cg_tok_is(u, r0, "co_gen") && u->toks[r0 + 1].id == TK_STAR;
}

/* Is NAME (token `name`, which the file declares as nothing) another
 * file's async generator, known from the header `cogen --header` wrote
 * for it: NAME__value (a generator's) and NAME__init (an async frame
 * protocol's; a plain generator's header has none)? */
static int other_async_gen(Unit *u, int name)
{
    const char *t = cg_fmt(u, "%s__value", text(u, name));
    const Token *k = &u->toks[name];
    return cg_is_typename(u, t, (int)strlen(t)) && cg_map_get(&u->awaitables, u->src + k->off, k->len);
}

/* `yield from NAME(args)` where NAME is an async generator (of this file,
 * or of another through its header): only another async generator can
 * pass its awaits on; it delegates as for await does (NF_AWAIT). */
static void async_delegate(Scope *s, Node *n, Node *call)
{
    Unit *u = s->u;
    int name = call->fn->first;
    Sym *y = cg_sym(u, name);
    if (!y) return;
    if (y->coro ? y->coro->kind != F_ASYNC_GEN : y->plain || !other_async_gen(u, name))
        return;
    if (s->f->kind != F_ASYNC_GEN)
        cg_error(u, name, "'%s' is an async generator: yield from it in an async generator, "
                 "or read it with for await", text(u, name));
    n->flags |= NF_AWAIT;
}

/* Is the name at token `name`, called by yield from, declared nowhere:
 * not by the file (it names it only as `yield from NAME(` or `: NAME(`,
 * which declare nothing, and no preprocessor line of it names it) and
 * not by a header (every header was found, none spells it)?  Then it is
 * no handle-making function either, and a header is what is missing. */
static int undeclared(Unit *u, int name)
{
    Sym *y = cg_sym(u, name);
    const Token *k = &u->toks[name];
    if (!y || y->coro || y->plain || y->in_pp || u->header_missing ||
        cg_map_get(&u->header_words, u->src + k->off, k->len))
        return 0;
    for (int i = 0; i < u->ntoks; i++) {
        if (u->toks[i].id != TK_IDENT || cg_sym(u, i) != y) continue;
        if (u->toks[i + 1].id != TK_LPAREN || !(cg_tok_is(u, i - 1, "from") || u->toks[i - 1].id == TK_COLON))
            return 0;
    }
    return 1;
}

/* The error for a coroutine of kind `want`, named at token `name`, that
 * neither the file nor its headers declare. */
static void no_header(Unit *u, int name, const char *kind)
{
    cg_error(u, name, "'%s' is not %s of this file, and no header it includes declares one: include "
             "the header that 'cogen --header' writes for the file defining it%s", text(u, name), kind,
             u->header_missing ? " (cogen could not find a header this file includes)" : "");
}

static void callee(Scope *s, Node *n, Node *call)
{
    Unit *u = s->u;
    int is_call = call && call->kind == N_CALL && call->fn && call->fn->kind == N_IDENT;
    if (n->kind == N_YIELD_FROM && is_call) async_delegate(s, n, call);
    int want = (n->flags & NF_AWAIT) ? F_ASYNC_GEN : F_GEN;
    Func *g = is_call ? find(s, call->fn->first, want) : NULL;
    if (is_call && s->f->kind == want && same(u, call->fn->first, s->f->name)) g = s->f;
    if (is_call && !g && (n->kind == N_RANGE_FOR || (n->flags & NF_AWAIT)))
        g = other_file(s, call->fn->first, want);
    if (is_call && !g && misused(s, call->fn->first, want)) return;
    if (n->kind == N_YIELD_FROM && is_call && !returns_handle(u, call->fn->first)) {
        cg_error(u, call->fn->first, "'%s' is not a generator", text(u, call->fn->first));
        return;
    }
    if (n->kind == N_YIELD_FROM && is_call && !g && undeclared(u, call->fn->first)) {
        no_header(u, call->fn->first, s->f->kind == F_ASYNC_GEN ? "a generator or async generator" : "a generator");
        return;
    }
    if (n->kind == N_YIELD_FROM && call && !g) {
        n->flags |= NF_HANDLE;      /* any other expression: a co_gen * handle */
        expr(call, s);
        return;
    }
    if (!is_call) {
        cg_error(u, call ? call->first : n->first, "'%s' needs a call of a generator",
                 n->kind == N_YIELD_FROM ? "yield from" : "for (:)");
        return;
    }
    int name = call->fn->first;
    Sym *y = cg_sym(u, name);
    if (!g && n->kind == N_RANGE_FOR && (!y || (!y->coro && !y->plain))) {
        no_header(u, name, cg_kind_name(want));
        return;
    }
    if (!g) {
        cg_error(u, name, "'%s' is not %s", text(u, name), cg_kind_name(want));
        return;
    }
    if (n->kind == N_RANGE_FOR && (n->flags & NF_AWAIT) && s->f->kind != F_ASYNC && s->f->kind != F_ASYNC_GEN)
        cg_error(u, n->first, "'for await' outside async code");
    n->callee = g;
    /* Its frame is embedded (order.c prints one defined later ahead;
     * another file's is in its header), except in a cycle of calls. */
    if (!boxed(s, g) && (!g->is_proto || want == F_ASYNC_GEN)) {
        cg_order_holds(u, s->f, g);
        return;
    }
    if (want == F_GEN)
        n->flags |= NF_HANDLE;      /* read through a handle it allocates */
    else
        /* An async generator has no handle to fall back on. */
        cg_error(u, name, "%s '%s', which leads back here: an async generator cannot be in a cycle of calls",
                 form_name(n), text(u, name));
}

/* ---- coroutine calls as values ---------------------------------------------- */

/* The generator or async function that e calls by name, else NULL. */
static Func *coroutine_call(Scope *s, Node *e)
{
    Unit *u = s->u;
    while (e && e->kind == N_PAREN) e = e->operand;
    if (!e || e->kind != N_CALL || !e->fn || e->fn->kind != N_IDENT || e->fn->ref) return NULL;
    int name = e->fn->first;
    if ((s->f->kind == F_GEN || s->f->kind == F_ASYNC) && same(u, name, s->f->name)) return s->f;
    Func *g = find(s, name, F_GEN);
    return g ? g : find(s, name, F_ASYNC);
}

static int in_async(Scope *s) { return s->f->kind == F_ASYNC || s->f->kind == F_ASYNC_GEN; }

/* `g(args);` of a coroutine as a statement makes a handle nobody closes. */
static void discarded(Scope *s, Node *e)
{
    Func *g = coroutine_call(s, e);
    if (!g || e->kind != N_CALL) return;
    cg_discarded(s->u, g, e->fn->first, e->end, in_async(s));
}

/* Only arithmetic keywords among the specifiers, no pointer, array or
 * function in the declarator: no handle fits, whatever the typedefs. */
static int arithmetic(Unit *u, int s0, int s1, int d0, int d1)
{
    for (int i = s0; i < s1; i++)
        if (!cg_arith_word(u->toks[i].id)) return 0;
    for (int i = d0; i < d1; i++)
        if (u->toks[i].id == TK_STAR || u->toks[i].id == TK_LBRACKET || u->toks[i].id == TK_LPAREN)
            return 0;
    return s1 > s0;
}

/* A coroutine call where a number is wanted: the call makes a task or a
 * generator, never the result. */
static void as_number(Scope *s, Node *e)
{
    Func *g = coroutine_call(s, e);
    if (!g) return;
    while (e->kind == N_PAREN) e = e->operand;
    cg_not_a_number(s->u, g, e->fn->first, e->end, in_async(s));
}

/* `x = f(args)` of a local x of arithmetic type. */
static void assigned(Scope *s, Node *n)
{
    Node *v = n->lhs;
    while (v && v->kind == N_PAREN) v = v->operand;
    if (v && v->kind == N_IDENT && v->ref && v->ref->decl && cg_tok_is(s->u, n->op, "=") &&
        arithmetic(s->u, v->ref->decl->spec[0], v->ref->decl->spec[1], v->ref->dcl[0], v->ref->dcl[1]))
        as_number(s, n->rhs);
}

/* ---- expressions ----------------------------------------------------------------- */


/* co_timeout(ms, g(args)) gives g's result in its int, or -ETIMEDOUT;
 * any other result goes through a third argument, co_timeout(ms,
 * g(args), &out), which then gives 0.  (The generated code checks the
 * same at compile time for awaitables of other files.) */
static void timeout_result(Scope *s, Node *n, Func *g, int name)
{
    Unit *u = s->u;
    int typed = g->rtype[1] > g->rtype[0] &&
                !(g->rtype[1] == g->rtype[0] + 1 && u->toks[g->rtype[0]].id == TK_VOID), fits = 1;
    for (int i = g->rtype[0]; i < g->rtype[1]; i++) {
        int id = u->toks[i].id;
        if (id == TK_STAR || id == TK_FLOAT || id == TK_DOUBLE || id == TK_STRUCT || id == TK_UNION ||
            id == TK_LONG || id == TK_COMPLEX)
            fits = 0;
    }
    if ((n->flags & NF_TIMEOUT_OUT) && !typed)
        cg_error(u, name, "'%s' gives no result for co_timeout's third argument: write co_timeout(ms, %s(...))",
                 text(u, name), text(u, name));
    else if (!(n->flags & NF_TIMEOUT_OUT) && !fits)
        cg_error(u, name, "co_timeout(ms, %s(...)) gives an int, and '%s' gives %s: write co_timeout(ms, %s(...), "
                 "&result), which gives 0 or -ETIMEDOUT", text(u, name), text(u, name),
                 cg_tokens_text(u, g->rtype[0], g->rtype[1]), text(u, name));
}

/* `await NAME(args)`: NAME is an async function of this file (its frame
 * is embedded when defined earlier, else boxed: recursion, forward use)
 * or any other awaitable following the frame protocol (the runtime's
 * primitives, another file's coroutines through its --header). */
static void check_await(Scope *s, Node *n)
{
    Unit *u = s->u;
    Func *f = s->f;
    if (f->kind != F_ASYNC && f->kind != F_ASYNC_GEN) {
        cg_error(u, n->first, (n->flags & NF_SELECT) ? "'select' outside async code" : "'await' outside async code");
        return;
    }
    if (s->defer_base >= 0) cg_error(u, n->first, "'await' inside a defer");
    if (n->flags & NF_SELECT) return;       /* the wait of a select: its cases say */
    Node *call = n->operand;
    while (call && call->kind == N_PAREN) call = call->operand;
    if (!call || call->kind != N_CALL || !call->fn || call->fn->kind != N_IDENT || lookup(s, call->fn->first)) {
        cg_error(u, n->first, "'await' needs a call of an async function or awaitable: await NAME(args)");
        return;
    }
    if (cg_tok_is(u, call->fn->first, "co_timeout")) {
        /* co_timeout(ms, NAME(args)): NAME's frame with a timer beside it. */
        Node *in = call->args ? call->args->next : NULL;
        while (in && in->kind == N_PAREN) in = in->operand;
        Node *out = in ? call->args->next->next : NULL;
        if (!in || (out && out->next) || in->kind != N_CALL || !in->fn || in->fn->kind != N_IDENT) {
            cg_error(u, call->first, "co_timeout needs a time and an awaitable: co_timeout(ms, NAME(args)), "
                     "or co_timeout(ms, NAME(args), &result)");
            return;
        }
        n->flags |= NF_TIMEOUT | (out ? NF_TIMEOUT_OUT : 0);
        call = in;
        /* Giving up closes the wait at once, which cannot wait for the mutex. */
        if (cg_tok_is(u, call->fn->first, "co_cond_wait") && !lookup(s, call->fn->first))
            cg_warn(u, call->fn->first, "when co_timeout gives up on co_cond_wait, the mutex is held only if "
                    "it was free; use co_cond_wait_for(cond, mutex, ms), which always takes it back");
    }
    int name = call->fn->first;
    Func *g = find(s, name, F_ASYNC);
    if (f->kind == F_ASYNC && same(u, name, f->name)) g = f;
    if (!g && misused(s, name, F_ASYNC)) return;
    const char *meant = g ? NULL : cg_awaitable_near(u, name);
    if (meant) {
        cg_error(u, name, "unknown name '%s'; did you mean '%s'?", text(u, name), meant);
        return;
    }
    if (g && boxed(s, g)) n->flags |= NF_HANDLE;
    else if (g) cg_order_holds(u, f, g);
    if ((n->flags & NF_TIMEOUT) && (n->flags & NF_HANDLE))
        cg_error(u, name, "co_timeout of a coroutine in a cycle of calls back to this one is not supported");
    n->callee = g;
    if ((n->flags & NF_TIMEOUT) && g) timeout_result(s, n, g, name);
}

/* Calls that block the thread freeze every task on the loop. */
static void blocking(Scope *s, Node *n)
{
    static const struct { const char *name, *hint; } calls[] = {
        { "sleep", "; use await co_sleep(ms)" }, { "usleep", "; use await co_sleep(ms)" },
        { "nanosleep", "; use await co_sleep(ms)" }, { "co_run", "; use await or co_spawn" },
        { "read", "" }, { "recv", "" }, { "recvfrom", "" }, { "accept", "" }, { "connect", "" },
        { "system", "" }, { "wait", "" }, { "waitpid", "" },
    };
    if (s->f->kind != F_ASYNC && s->f->kind != F_ASYNC_GEN) return;
    if (!n->fn || n->fn->kind != N_IDENT || lookup(s, n->fn->first)) return;
    for (size_t i = 0; i < sizeof calls / sizeof *calls; i++)
        if (cg_tok_is(s->u, n->fn->first, calls[i].name))
            cg_warn(s->u, n->fn->first, "blocking call '%s' in async code stops every task on the loop%s",
                    calls[i].name, calls[i].hint);
}

/* A yield hands the consumer a value and waits for it while the
 * block's deadline would have to go on running: no deadline can end
 * that wait, so a deadline block holds no yield. */
static void in_deadline(Scope *s, Node *n)
{
    cg_error(s->u, n->first, "'yield' inside a deadline block 'co_timeout (ms) { ... }': the deadline "
             "cannot end the consumer's hold on the value; yield after the block");
}

static void check_yield(Scope *s, Node *n)
{
    Unit *u = s->u;
    Func *f = s->f;
    if (f->kind != F_GEN && f->kind != F_ASYNC_GEN) {
        cg_error(u, n->first, "'yield' outside a generator");
        return;
    }
    if (s->defer_base >= 0) cg_error(u, n->first, "'yield' inside a defer");
    else if (s->deadlines) in_deadline(s, n);
    int yvoid = f->ytype[1] == f->ytype[0] + 1 && u->toks[f->ytype[0]].id == TK_VOID;
    if (yvoid && n->operand)
        cg_error(u, n->first, "generator '%.*s' yields no value", u->toks[f->name].len,
                 u->src + u->toks[f->name].off);
    if (!yvoid && !n->operand) cg_error(u, n->first, "'yield' needs a value");
    int used = !(s->stmt && s->stmt->kind == N_EXPR && s->stmt->expr == n);
    if (used && !f->stype[0])
        cg_error(u, n->first, "'yield' has no value: generator '%.*s' has no send type",
                 u->toks[f->name].len, u->src + u->toks[f->name].off);
}

static Node *label(Scope *s, int name)
{
    for (Node *l = s->labels; l; l = l->link)
        if (same(s->u, l->name, name)) return l;
    return NULL;
}

static void undefined_label(Scope *s, int name)
{
    /* From a range-for in a plain function, a label elsewhere in that
     * function: the jump leaves the loops, closing their generators. */
    if (s->f->kind != F_PLAIN)
        cg_error(s->u, name, "label '%.*s' used but not defined", s->u->toks[name].len,
                 s->u->src + s->u->toks[name].off);
}

/* The cogen forms are lowered statement by statement; a GNU statement
 * expression is printed as written, so none may be inside one. */
static void in_stmt_expr(Scope *s, Node *n, const char *what)
{
    if (s->stmt_expr)
        cg_error(s->u, n->first, "'%s' inside a statement expression ({ ... }) is not supported", what);
}

/* The operands of an asm statement are printed as written. */
static void in_asm(Scope *s, Node *n, const char *what)
{
    if (s->asm_operand)
        cg_error(s->u, n->first, "'%s' is not allowed in an asm operand", what);
}

/* A type or a declarator is printed as written, so a yield or await in
 * one (an array size, typeof, an enum constant, sizeof(T[n])) would stay
 * untranslated.  The parser keeps them as tokens: the words are found
 * where they would start their form, as the parser finds them elsewhere. */
static void no_suspension(Scope *s, int from, int to, int name)
{
    Unit *u = s->u;
    int gen = s->f->kind == F_GEN || s->f->kind == F_ASYNC_GEN;
    int async = s->f->kind == F_ASYNC || s->f->kind == F_ASYNC_GEN;
    for (int i = from, brackets = 0; i < to; i++) {
        int t = u->toks[i].id;
        brackets += (t == TK_LBRACKET) - (t == TK_RBRACKET);
        const char *w = gen && cg_tok_is(u, i, "yield") ? "yield" : async && cg_tok_is(u, i, "await") ? "await" : NULL;
        if (!w || i == name || lookup(s, i) || i + 1 >= u->ntoks) continue;
        int prev = i > 0 ? u->toks[i - 1].id : 0, next = u->toks[i + 1].id;
        if (prev == TK_IDENT || prev == TK_TYPENAME || prev == TK_RBRACKET || prev == TK_DOT || prev == TK_ARROW)
            continue;
        if (next != TK_LPAREN && next != TK_IDENT && next != TK_NUMBER && next != TK_STRING &&
            next != TK_CHARLIT && !(w[0] == 'y' && (next == TK_MINUS || next == TK_STAR || next == TK_AMP)))
            continue;
        cg_error(u, i, "'%s' is not allowed in %s", w, brackets > 0 ? "an array size" : "a type");
    }
}

static void expr(Node *n, void *arg)
{
    Scope *s = arg;
    switch (n->kind) {
    case N_IDENT:
        n->ref = lookup(s, n->first);
        if (!n->ref) macro_use(s, n->first);
        else if (n->flags & NF_UNPARSED) n->ref->flags |= NF_ADDR;  /* whatever the branch does */
        return;
    case N_ASSIGN:
        cg_visit(n, expr, s);
        assigned(s, n);
        return;
    case N_SIZEOF: case N_CAST: case N_COMPOUND:
        no_suspension(s, n->type[0], n->type[1], -1);
        if (!n->type_uses) type_uses(s, n->type[0], n->type[1], &n->type_uses);
        break;
    case N_MEMBER: case N_POSTFIX: case N_PAREN:
    case N_INDEX: case N_BINARY: case N_COND: case N_COMMA:
    case N_INIT_LIST: case N_INIT: case N_BUILTIN: case N_CONST:
        break;
    case N_UNARY:
        if (cg_tok_is(s->u, n->op, "&&")) {     /* GNU &&label */
            n->ref = label(s, n->name);
            if (n->ref) n->ref->flags |= NF_ADDR;
            else undefined_label(s, n->name);
            return;
        }
        if (cg_tok_is(s->u, n->op, "&") && n->operand) {
            cg_visit(n, expr, s);
            Node *v = addr_root(s->u, n->operand);
            if (v) v->flags |= NF_ADDR;
            return;
        }
        break;
    case N_CALL:
        blocking(s, n);
        if (n->fn && n->fn->kind == N_IDENT && !lookup(s, n->fn->first) &&
            (cg_tok_is(s->u, n->fn->first, "alloca") || cg_tok_is(s->u, n->fn->first, "__builtin_alloca")))
            n->flags |= NF_VLA;   /* checked against suspension points by hoist.c */
        break;
    case N_YIELD:
        n->pp = s->pp;
        check_yield(s, n);
        in_stmt_expr(s, n, "yield");
        in_asm(s, n, "yield");
        break;
    case N_AWAIT:
        n->pp = s->pp;
        check_await(s, n);
        in_stmt_expr(s, n, "await");
        in_asm(s, n, "await");
        break;
    case N_STMT_EXPR: {
        Node *saved = s->stmt;
        s->stmt_expr++;
        stmt(n->body, s);
        s->stmt_expr--;
        s->stmt = saved;
        return;
    }
    default:
        break;
    }
    cg_visit(n, expr, s);
}

/* ---- statements -------------------------------------------------------------------- */

static void jump_check(Scope *s, Node *n, int target)
{
    if (s->defer_base >= 0 && target < s->defer_base)
        cg_error(s->u, n->first, "'%.*s' jumps out of a defer", s->u->toks[n->first].len,
                 s->u->src + s->u->toks[n->first].off);
}

/* ---- select ------------------------------------------------------------------------ */

/* Does the expression hold a yield or an await? */
static void finds_point(Node *n, void *arg)
{
    if (n->kind == N_YIELD || n->kind == N_AWAIT) *(int *)arg = 1;
    else if (n->kind != N_STMT_EXPR) cg_visit(n, finds_point, arg);
}

/* `case co_recv(ch, &v[, &ok]):`, `case co_send(ch, &v[, &res]):` or
 * `case co_after(ms):`, the k-th case of select sel. */
static void select_case(Scope *s, Node *sel, Node *c, int k)
{
    Unit *u = s->u;
    Node *call = c->expr;
    while (call && call->kind == N_PAREN) call = call->operand;
    int nargs = 0, points = 0;
    for (Node *a = call && call->kind == N_CALL ? call->args : NULL; a; a = a->next) nargs++;
    int fn = call && call->kind == N_CALL && call->fn && call->fn->kind == N_IDENT && !lookup(s, call->fn->first)
                 ? call->fn->first : -1;
    int chan = fn >= 0 && (cg_tok_is(u, fn, "co_recv") || cg_tok_is(u, fn, "co_send"));
    if (c->range_end || !((chan && (nargs == 2 || nargs == 3)) || (fn >= 0 && cg_tok_is(u, fn, "co_after") && nargs == 1))) {
        cg_error(u, c->first, "a select case is co_recv(ch, &v[, &ok]), co_send(ch, &v[, &res]) or co_after(ms)");
        return;
    }
    cg_visit(call, finds_point, &points);
    if (points) cg_error(u, call->first, "a select case's operation cannot suspend: compute it before the select");
    c->flags |= NF_SELECT;
    c->select = sel;
    c->case_no = k;
    sel->cases[k] = c;
}

/* The labels of a select's body, in order: each item's, and a label's
 * label (`case a: case b:`, an empty case) in turn. */
static int select_labels(Scope *s, Node *sel, int count)
{
    int k = 0;
    for (Node *i = sel->body->items; i; i = i->next) {
        if (!count && i == sel->body->items && i->kind != N_CASE && i->kind != N_DEFAULT && i->kind != N_PP)
            cg_error(s->u, i->first, "a select's body starts with a case: case co_recv(ch, &v):");
        for (Node *l = i; l && (l->kind == N_CASE || l->kind == N_DEFAULT); l = l->body) {
            if (l->kind == N_CASE && !count) select_case(s, sel, l, k);
            if (l->kind == N_CASE) k++;
            if (l->kind == N_DEFAULT && !count) {
                if (sel->flags & NF_SELECT_DEFAULT) cg_error(s->u, l->first, "a second default in one select");
                sel->flags |= NF_SELECT_DEFAULT;
                l->flags |= NF_SELECT;
                l->select = sel;
            }
        }
    }
    return k;
}

/* A case label inside a statement of a select (not of a switch within
 * it) would jump into the middle of another case. */
static void stray_label(Node *n, void *arg)
{
    Scope *s = arg;
    if (n->kind == N_SWITCH || n->kind >= N_IDENT) return;
    if ((n->kind == N_CASE || n->kind == N_DEFAULT) && !(n->flags & NF_SELECT))
        cg_error(s->u, n->first, "a select's case label must start a statement of its body");
    cg_visit(n, stray_label, s);
}

/* `select { case OP: ... }`: checked, its cases numbered; its body is a
 * switch's. */
static void select_stmt(Scope *s, Node *n)
{
    if (n->body->kind != N_BLOCK) return;
    in_stmt_expr(s, n, "select");
    n->ncases = select_labels(s, n, 1);
    n->cases = cg_alloc(s->u, sizeof *n->cases * (size_t)(n->ncases + 1));
    select_labels(s, n, 0);
    for (Node *i = n->body->items; i; i = i->next) {
        Node *l = i;
        while (l->kind == N_CASE || l->kind == N_DEFAULT) {
            if (!l->body) break;
            l = l->body;
        }
        if (l->kind != N_CASE && l->kind != N_DEFAULT) stray_label(l, s);
    }
    n->cond->select = n;
}

static void loop_body(Scope *s, Node *loop, Node *body)
{
    if (s->njumps == s->jcap) s->jumps = grow(s->u, s->jumps, sizeof *s->jumps, &s->jcap);
    s->jumps[s->njumps++] = loop;
    if (body) stmt(body, s);
    s->njumps--;
}

/* Identifiers in a declarator (array sizes) name variables too; they get
 * N_IDENT nodes on v->type_uses so that later passes see them like any
 * other use.
 * The parameter list of a function declarator (`int (*fp)(int n)`) holds
 * names of its own: it is skipped. */
static void declarator_uses(Scope *s, Node *v)
{
    Node **tail = &v->type_uses;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) {
        int t = s->u->toks[i].id, before = i > v->dcl[0] ? s->u->toks[i - 1].id : 0;
        if (t == TK_LPAREN && (before == TK_IDENT || before == TK_RPAREN || before == TK_RBRACKET)) {
            for (int depth = 0; i < v->dcl[1]; i++) {
                t = s->u->toks[i].id;
                if (t == TK_LPAREN) depth++;
                else if (t == TK_RPAREN && --depth == 0) break;
            }
            continue;
        }
        if (i == v->name || t != TK_IDENT) continue;
        Node *var = lookup(s, i);
        if (!var) continue;
        Node *id = cg_node(s->u, N_IDENT, i, i + 1);
        id->ref = var;
        *tail = id;
        tail = &id->next;
    }
}

/* Identifiers in a type written in tokens (typeof(x), _Alignas(x),
 * `sizeof(int[n])`) name variables too: N_IDENT nodes for them go to
 * *tail.  Member names (after . -> or inside braces) and tags are not
 * uses. */
static void type_uses(Scope *s, int from, int to, Node **tail)
{
    for (int i = from, depth = 0; i < to; i++) {
        int t = s->u->toks[i].id, before = i > from ? s->u->toks[i - 1].id : 0;
        depth += (t == TK_LBRACE) - (t == TK_RBRACE);
        if (t != TK_IDENT || depth || before == TK_DOT || before == TK_ARROW ||
            before == TK_STRUCT || before == TK_UNION || before == TK_ENUM)
            continue;
        Node *var = lookup(s, i);
        if (!var) continue;
        Node *id = cg_node(s->u, N_IDENT, i, i + 1);
        id->ref = var;
        *tail = id;
        tail = &id->next;
    }
}

static void decl(Scope *s, Node *d)
{
    no_suspension(s, d->spec[0], d->spec[1], -1);
    for (Node *v = d->vars; v; v = v->next) {
        no_suspension(s, v->dcl[0], v->dcl[1], v->name);
        v->decl = d;
        v->pp = s->pp;
        v->alt = alternative_of(s, v);
        if (!v->alt) v->alt = redeclared(s, v);
        declarator_uses(s, v);
        /* The specifiers are looked up once, before any of the names
         * they declare is in scope. */
        if (v == d->vars) {
            Node **tail = &v->type_uses;
            while (*tail) tail = &(*tail)->next;
            type_uses(s, d->spec[0], d->spec[1], tail);
        }
        /* In scope from the end of its declarator: its own initializer
         * may use it (`T *p = malloc(sizeof *p);`). */
        if (!(d->storage & ST_TYPEDEF)) push_var(s, v);
        if (v->init) expr(v->init, s);
        if (v->init && arithmetic(s->u, d->spec[0], d->spec[1], v->dcl[0], v->dcl[1])) as_number(s, v->init);
    }
}

static void jump(Scope *s, Node *n)
{
    Unit *u = s->u;
    int i = s->njumps - 1;
    if (n->kind == N_CONTINUE)
        while (i >= 0 && s->jumps[i]->kind == N_SWITCH) i--;
    if (i < 0) {
        cg_error(u, n->first, "'%s' outside a loop%s", n->kind == N_BREAK ? "break" : "continue",
                 n->kind == N_BREAK ? " or switch" : "");
        return;
    }
    n->ref = s->jumps[i];
    jump_check(s, n, i);
}

static void ret(Scope *s, Node *n)
{
    Func *f = s->f;
    in_stmt_expr(s, n, "return");
    if (n->expr && (f->kind == F_GEN || f->kind == F_ASYNC_GEN))
        cg_error(s->u, n->first, "'return' with a value in a generator");
    if (n->expr) expr(n->expr, s);
    if (n->expr && f->kind == F_ASYNC && arithmetic(s->u, f->rtype[0], f->rtype[1], 0, 0))
        as_number(s, n->expr);
    jump_check(s, n, -1);
}

/* `goto NAME;`, or GNU `goto *EXPR;` (no name), whose targets lower.c
 * checks: the labels whose address is taken. */
static void goto_stmt(Scope *s, Node *n)
{
    s->f->has_goto = 1;
    if (s->stmt_expr) n->flags |= NF_VERBATIM;
    if (n->name < 0) {
        if (s->f->kind == F_PLAIN)
            cg_error(s->u, n->first, "computed goto inside a for (:) loop of a plain function: "
                     "its target is unknown, so the generator could not be closed");
        expr(n->expr, s);
        jump_check(s, n, -1);
        return;
    }
    n->ref = label(s, n->name);
    if (!n->ref) undefined_label(s, n->name);
    else if (s->defer_base >= 0) jump_check(s, n, -1);
}

/* `co_timeout (ms) { ... } [else s]`: in async code, one time that
 * does not suspend; its else is outside the deadline. */
static void deadline(Scope *s, Node *n)
{
    int points = 0;
    if (s->f->kind != F_ASYNC && s->f->kind != F_ASYNC_GEN)
        cg_error(s->u, n->first, "a deadline block 'co_timeout (ms) { ... }' outside async code");
    else if (s->defer_base >= 0)
        cg_error(s->u, n->first, "a deadline block inside a defer");
    in_stmt_expr(s, n, "co_timeout (ms) { ... }");
    Node *ms = n->cond;
    while (ms->kind == N_PAREN) ms = ms->operand;
    cg_visit(n->cond, finds_point, &points);
    if (ms->kind == N_COMMA)
        cg_error(s->u, ms->first, "a deadline block takes one time: co_timeout (ms) { ... }; "
                 "co_timeout(ms, NAME(args)) is awaited");
    else if (points || ms->kind == N_AWAIT || ms->kind == N_YIELD)
        cg_error(s->u, n->cond->first, "the time of a deadline block cannot suspend: compute it before the block");
    expr(n->cond, s);
    int async = s->f->kind == F_ASYNC || s->f->kind == F_ASYNC_GEN;
    s->deadlines += async;      /* elsewhere the block is the error */
    stmt(n->then, s);
    s->deadlines -= async;
    if (n->els) stmt(n->els, s);
}

static void stmt(Node *n, void *arg)
{
    Scope *s = arg;
    int saved = s->nvars;
    s->stmt = n;
    switch (n->kind) {
    case N_BLOCK: {
        int nifs = s->nifs;
        PPCtx *pp = s->pp;
        for (Node *i = n->items; i; i = i->next) {
            i->up = n;
            if (i->kind == N_PP) pp_line(s, i);
            else stmt(i, s);
        }
        s->nifs = nifs, s->pp = pp;
        break;
    }
    case N_DECL: decl(s, n); return;        /* declarations stay visible */
    case N_EXPR:
        if (n->expr) expr(n->expr, s);
        discarded(s, n->expr);
        break;
    case N_IF:
        if (n->flags & NF_DEADLINE) {
            deadline(s, n);
            break;
        }
        expr(n->cond, s);
        stmt(n->then, s);
        if (n->els) stmt(n->els, s);
        break;
    case N_WHILE: expr(n->cond, s); loop_body(s, n, n->body); break;
    case N_DO: loop_body(s, n, n->body); s->stmt = n; expr(n->cond, s); break;
    case N_FOR:
        if (n->init) n->init->up = n;
        if (n->init) n->init->kind == N_DECL ? decl(s, n->init) : stmt(n->init, s);
        s->stmt = n;
        if (n->cond) expr(n->cond, s);
        if (n->inc) expr(n->inc, s);
        loop_body(s, n, n->body);
        break;
    case N_RANGE_FOR:
        if (s->f->kind != F_PLAIN) in_stmt_expr(s, n, "for (:)");
        if ((n->flags & NF_AWAIT) && n->gen && n->gen->kind != N_CALL) {
            int points = 0;
            n->flags |= NF_CHANNEL;     /* until it is closed and drained */
            n->var_decl->vars->flags |= NF_CHANNEL;
            if (s->f->kind != F_ASYNC && s->f->kind != F_ASYNC_GEN)
                cg_error(s->u, n->first, "'for await' outside async code");
            cg_visit(n->gen, finds_point, &points);
            if (points || n->gen->kind == N_YIELD || n->gen->kind == N_AWAIT)
                cg_error(s->u, n->gen->first, "the channel of a 'for await' cannot suspend: "
                         "compute it before the loop");
            expr(n->gen, s);
        } else {
            callee(s, n, n->gen);
            if (n->gen) each(n->gen->args, expr, s);
        }
        decl(s, n->var_decl);
        loop_body(s, n, n->body);
        break;
    case N_SWITCH:
        if (n->flags & NF_SELECT) select_stmt(s, n);
        expr(n->cond, s);
        loop_body(s, n, n->body);
        break;
    case N_CASE: case N_DEFAULT: case N_LABEL:
        if (n->kind == N_LABEL && s->defer_base >= 0)
            cg_error(s->u, n->first, "label '%.*s' inside a defer: the defer is copied to every exit",
                     s->u->toks[n->name].len, s->u->src + s->u->toks[n->name].off);
        if (n->expr) expr(n->expr, s);
        if (n->body) stmt(n->body, s);
        return;
    case N_ASM:
        s->asm_operand++;
        each(n->args, expr, s);
        s->asm_operand--;
        break;
    case N_BREAK: case N_CONTINUE:
        if (s->stmt_expr) n->flags |= NF_VERBATIM;
        jump(s, n);
        break;
    case N_RETURN: ret(s, n); break;
    case N_GOTO: goto_stmt(s, n); break;
    case N_DEFER: {
        int base = s->defer_base;
        if (s->f->kind == F_PLAIN) cg_error(s->u, n->first, "'defer' outside a coroutine");
        in_stmt_expr(s, n, "defer");
        s->defer_base = s->njumps;
        stmt(n->body, s);
        s->defer_base = base;
        break;
    }
    case N_YIELD_FROM:
        n->pp = s->pp;
        in_stmt_expr(s, n, "yield from");
        if (s->f->kind != F_GEN && s->f->kind != F_ASYNC_GEN)
            cg_error(s->u, n->first, "'yield' outside a generator");
        else if (s->defer_base >= 0) cg_error(s->u, n->first, "'yield' inside a defer");
        else if (s->deadlines) in_deadline(s, n);
        callee(s, n, n->gen);
        if (n->callee) each(n->gen->args, expr, s);
        break;
    default:
        break;
    }
    pop_to(s, saved);
}

/* Labels are visible in the whole function, before and after, also
 * those inside statement expressions. */
static void collect_labels(Node *n, void *arg)
{
    Scope *s = arg;
    if (n->kind == N_LABEL) {
        n->link = s->labels;
        s->labels = n;
    }
    cg_visit(n, collect_labels, s);
}

int cg_scope(Unit *u, Func *f)
{
    Scope s = { .u = u, .f = f, .defer_base = -1 };
    int before = u->nerrors;
    collect_labels(f->body, &s);
    for (Node *p = f->params; p; p = p->next) push_var(&s, p);
    stmt(f->body, &s);
    MacroUse *rev = NULL;       /* found innermost-first: put in source order */
    for (MacroUse *mu = f->macro_uses, *next; mu; mu = next) next = mu->next, mu->next = rev, rev = mu;
    f->macro_uses = rev;
    return u->nerrors > before ? -1 : 0;
}
