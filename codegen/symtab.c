/*
 * symtab.c - the file's names, built once from the tokens before the
 * island scan, with the functions it finds added after it.
 *
 * For each identifier spelled in the file: the coroutine of that name (its
 * kind and signature are the Func), the plain function of that name, and
 * whether the file declares it anywhere.  Diagnostics take their facts
 * from here: an await of a plain function, a coroutine used before its
 * definition, a keyword misspelt where nothing of that name exists.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

/* An open-addressing hash table from spelling to entry, grown by doubling. */
struct Symtab {
    Sym **v;
    int cap, count;
};

static int slot(Symtab *t, const char *s, int n)
{
    unsigned i = cg_hash(s, n) & (unsigned)(t->cap - 1);
    while (t->v[i] && !(t->v[i]->len == n && !memcmp(t->v[i]->text, s, (size_t)n)))
        i = (i + 1) & (unsigned)(t->cap - 1);
    return (int)i;
}

static void grow(Unit *u, Symtab *t)
{
    Symtab old = *t;
    t->cap = old.cap ? 2 * old.cap : 1024;
    t->v = cg_alloc(u, sizeof *t->v * (size_t)t->cap);
    for (int i = 0; i < old.cap; i++)
        if (old.v[i]) t->v[slot(t, old.v[i]->text, old.v[i]->len)] = old.v[i];
}

/* The entry for a spelling, made when missing. */
static Sym *intern(Unit *u, const char *s, int n)
{
    Symtab *t = u->syms;
    if (2 * (t->count + 1) > t->cap) grow(u, t);
    int i = slot(t, s, n);
    if (!t->v[i]) {
        t->v[i] = cg_alloc(u, sizeof **t->v);
        t->v[i]->text = s;
        t->v[i]->len = n;
        t->count++;
    }
    return t->v[i];
}

static Sym *of_token(Unit *u, int tok)
{
    return intern(u, u->src + u->toks[tok].off, u->toks[tok].len);
}

Sym *cg_sym(Unit *u, int tok)
{
    Symtab *t = u->syms;
    if (!t || tok < 0 || tok >= u->ntoks || u->toks[tok].id != TK_IDENT) return NULL;
    return t->v[slot(t, u->src + u->toks[tok].off, u->toks[tok].len)];
}

/* ---- declared names -------------------------------------------------------- */

static int id(Unit *u, int i) { return i >= 0 && i < u->ntoks ? u->toks[i].id : 0; }

/* Tokens that may follow a misspelt keyword (`awiat f(`, `yeild 3`,
 * `defre {`, `asnyc int`) and never follow a name being declared. */
static int keyword_next(int t)
{
    switch (t) {
    case TK_IDENT: case TK_NUMBER: case TK_STRING: case TK_CHARLIT: case TK_LBRACE:
    case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG: case TK_FLOAT:
    case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED: case TK_BOOL: case TK_STRUCT:
    case TK_UNION: case TK_ENUM:
        return 1;
    }
    return 0;
}

/* Could the identifier at i be a declaration (or definition, or a use of
 * one made elsewhere) rather than a misspelt keyword? */
static int declaring(Unit *u, int i)
{
    int prev = id(u, i - 1);
    return prev == TK_STRUCT || prev == TK_UNION || prev == TK_ENUM || !keyword_next(id(u, i + 1));
}

static int is_word(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/* Every word of a preprocessor line counts as declared: a macro may
 * define it, and the line may name it in any way. */
static void pp_words(Unit *u, int tok)
{
    const char *p = u->src + u->toks[tok].off, *end = p + u->toks[tok].len;
    while (p < end) {
        if (!is_word(*p)) { p++; continue; }
        const char *w = p;
        while (p < end && is_word(*p)) p++;
        if (!(*w >= '0' && *w <= '9')) {
            Sym *y = intern(u, w, (int)(p - w));
            y->declared = y->in_pp = 1;
        }
    }
}

/* ---- the table ----------------------------------------------------------------- */

void cg_symtab(Unit *u)
{
    u->syms = cg_alloc(u, sizeof *u->syms);
    for (int i = 0; i < u->ntoks; i++) {
        if (id(u, i) == TK_PP) pp_words(u, i);
        else if (id(u, i) == TK_IDENT && declaring(u, i)) of_token(u, i)->declared = 1;
        else if (id(u, i) == TK_IDENT) of_token(u, i);
    }
}

void cg_symtab_coro(Unit *u, Func *f)
{
    Sym *s = of_token(u, f->name);
    if (s->last) s->last->same = f;
    else s->coro = f;
    s->last = f;
    if (!f->is_proto && !s->def) s->def = f;
}

void cg_symtab_funcs(Unit *u)
{
    for (Func *p = u->plains; p; p = p->next) {     /* a definition before a prototype */
        Sym *s = of_token(u, p->name);
        if (!s->plain || s->plain->is_proto) s->plain = p;
    }
}

/* ---- misspelt keywords ------------------------------------------------------ */

/* Edits from a to b (lengths at most MAXLEN): insertions, deletions, swaps
 * of neighbours and, when subst, substitutions; each costs 1. */
enum { MAXLEN = 32 };
static int edits(const char *a, int n, const char *b, int m, int subst)
{
    int d[MAXLEN + 1][MAXLEN + 1];
    for (int i = 0; i <= n; i++)
        for (int j = 0; j <= m; j++) {
            if (!i || !j) { d[i][j] = i + j; continue; }
            int best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            int diag = d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : subst ? 1 : 3);
            if (diag < best) best = diag;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* Is y's spelling a misspelling of word (see cg_misspelt)? */
static int near(Unit *u, Sym *y, const char *word, int n, int strict)
{
    if (y->len < n - 2 || y->len > n + 2 || n > MAXLEN - 2 || cg_is_typename(u, y->text, y->len))
        return 0;
    int e = edits(y->text, y->len, word, n, !strict);
    return strict ? e == 1 : e > 0 && e <= 2;
}

int cg_misspelt(Unit *u, int tok, const char *word, int strict)
{
    Sym *y = cg_sym(u, tok);
    return y && !y->declared && !y->coro && near(u, y, word, (int)strlen(word), strict);
}

int cg_misspelt_call(Unit *u, int tok, const char *word)
{
    Sym *y = cg_sym(u, tok);
    return y && !y->in_pp && !y->coro && !y->plain && near(u, y, word, (int)strlen(word), 0);
}

/* Keep in *best (of length *bn) the nearer to y of it and name, if y
 * misspells name; of two as near, the shorter, then the first in byte
 * order. */
static void nearest(Unit *u, Sym *y, const char *name, int n, const char **best, int *bn, int *be)
{
    if (!near(u, y, name, n, 0)) return;
    int e = edits(y->text, y->len, name, n, 1);
    if (*best && (e > *be || (e == *be && (n > *bn || (n == *bn && memcmp(name, *best, (size_t)n) >= 0)))))
        return;
    *best = name, *bn = n, *be = e;
}

const char *cg_awaitable_near(Unit *u, int tok)
{
    const Map *m = &u->awaitables;
    Sym *y = cg_sym(u, tok);
    const char *best = NULL;
    int bn = 0, be = 0;
    /* A header not found may declare it: nothing is known to be missing. */
    if (!y || !m->count || u->header_missing || y->in_pp || y->coro || y->plain || cg_map_get(m, y->text, y->len))
        return NULL;
    for (int i = 0; i < m->cap; i++)
        if (m->vals[i]) nearest(u, y, m->keys[i], m->lens[i], &best, &bn, &be);
    for (Func *f = u->funcs; f; f = f->next)
        if (f->kind == F_ASYNC)
            nearest(u, y, u->src + u->toks[f->name].off, u->toks[f->name].len, &best, &bn, &be);
    return best ? cg_strdup(u, best, bn) : NULL;
}

/* ---- signatures ------------------------------------------------------------------ */

char *cg_tokens_text(Unit *u, int a, int b)
{
    int n = 0;
    for (int i = a; i < b; i++) n += u->toks[i].len + 1;
    char *s = cg_alloc(u, (size_t)n + 1), *p = s;
    for (int i = a; i < b; i++) {
        const Token *t = &u->toks[i];
        if (i > a && t->off > u->toks[i - 1].off + u->toks[i - 1].len) *p++ = ' ';
        memcpy(p, u->src + t->off, (size_t)t->len);
        p += t->len;
    }
    *p = 0;
    return s;
}

char *cg_signature(Unit *u, int first, int name)
{
    int depth = 0, i = name + 1;
    for (; i < u->ntoks; i++) {
        depth += (id(u, i) == TK_LPAREN) - (id(u, i) == TK_RPAREN);
        if (depth == 0) break;
    }
    while (first < name && id(u, first) == TK_PP) first++;
    return cg_tokens_text(u, first, i + 1);
}

/* What to write instead for the call [first, end) of g. */
static char *use_hint(Unit *u, Func *g, int first, int end, int in_async)
{
    const char *call = cg_tokens_text(u, first, end);
    if (g->kind == F_GEN)
        return cg_fmt(u, "read it with 'for (%s x : %s)'", cg_tokens_text(u, g->ytype[0], g->ytype[1]), call);
    return cg_fmt(u, in_async ? "write 'await %s'" : "write 'co_run(%s)'", call);
}

int cg_arith_word(int t)
{
    switch (t) {
    case TK_INT: case TK_LONG: case TK_SHORT: case TK_CHAR: case TK_SIGNED: case TK_UNSIGNED:
    case TK_FLOAT: case TK_DOUBLE: case TK_BOOL: case TK_CONST: case TK_VOLATILE: case TK_STATIC:
    case TK_REGISTER: case TK_AUTO:
        return 1;
    }
    return 0;
}

void cg_discarded(Unit *u, Func *g, int first, int end, int in_async)
{
    cg_warn(u, first, "%s '%s' created and never %s: %s", g->kind == F_GEN ? "generator" : "coroutine",
            cg_tokens_text(u, first, first + 1), g->kind == F_GEN ? "used" : "awaited, spawned or run",
            use_hint(u, g, first, end, in_async));
}

void cg_not_a_number(Unit *u, Func *g, int first, int end, int in_async)
{
    cg_error(u, first, "calling '%s' makes %s, not %s: %s", cg_tokens_text(u, first, first + 1),
             g->kind == F_GEN ? "a generator" : "a task", g->kind == F_GEN ? "a value" : "its result",
             use_hint(u, g, first, end, in_async));
}
