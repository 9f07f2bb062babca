/*
 * attr.c - what attributes and qualifiers do to a local that moves into
 * the frame: the attribute groups written in the file
 * (__attribute__((...)), [[...]]) and the macros that expand to them or
 * to qualifiers, the file's own and those of the headers it includes
 * (`#define MY_UNUSED __attribute__((unused))`, `#define CONST const`).
 *
 * A frame field keeps what sets the local's type or alignment and drops
 * what concerns the C local only (unused), and a compound literal's type
 * name may hold neither; a cleanup cannot run from a frame.  A macro
 * counts when its body is made of attribute groups, _Alignas(...) and
 * other such macros only: one of a type, a qualifier or a number keeps
 * its meaning.  A macro of qualifiers is a qualifier: its const, like a
 * written one, is the C local's only (the frame is assigned after it is
 * made).
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

/* ---- groups in the file ------------------------------------------------------- */

/* Is token k one of names? */
static int attr_named(Unit *u, int k, const char *const *names)
{
    for (; *names; names++)
        if (cg_tok_is(u, k, *names)) return 1;
    return 0;
}

int cg_attr_group(Unit *u, int i, int lim, int *end)
{
    static const char *const type[] = { "vector_size", "__vector_size__", "mode", "__mode__", NULL };
    static const char *const align[] = { "aligned", "__aligned__", NULL };
    static const char *const local[] = { "cleanup", "__cleanup__", NULL };
    int close, fn, kind;
    /* A macro of attributes, with its arguments if it takes some. */
    if (i < lim && u->toks[i].id == TK_IDENT) {
        if ((kind = cg_attr_macro(u, i, &fn)) == ATTR_NONE) return ATTR_NONE;
        if (!fn) close = i;
        else if (i + 1 < lim && u->toks[i + 1].id == TK_LPAREN && u->pair[i + 1] < lim) close = u->pair[i + 1];
        else return ATTR_NONE;
        *end = close + 1;
        return kind;
    }
    if (i + 1 >= lim) return ATTR_NONE;
    if (u->toks[i].id == TK_ATTRIBUTE && u->toks[i + 1].id == TK_LPAREN) close = u->pair[i + 1];
    else if (u->toks[i].id == TK_LBRACKET && u->toks[i + 1].id == TK_LBRACKET) close = u->pair[i];
    else return ATTR_NONE;
    if (close >= lim) return ATTR_NONE;
    *end = close + 1;
    /* The attributes' names: inside the inner parentheses of
     * __attribute__, at the top of [[...]] (the last part of gnu::name). */
    int depth = 0;
    kind = ATTR_LOCAL;
    for (int k = i + 2; k < close; k++) {
        int t = u->toks[k].id;
        depth += (t == TK_LPAREN) - (t == TK_RPAREN);
        if (depth != (u->toks[i].id == TK_ATTRIBUTE) || t != TK_IDENT) continue;
        if (attr_named(u, k, local)) return ATTR_CLEANUP;
        if (attr_named(u, k, type)) kind = ATTR_TYPE;
        else if (attr_named(u, k, align) && kind == ATTR_LOCAL) kind = ATTR_ALIGN;
    }
    return kind;
}

/* ---- macros of attributes ----------------------------------------------------- */

/* Past blanks, line splices and comments. */
static const char *gap(const char *p, const char *end)
{
    for (;;) {
        p = cg_pp_blanks(p, end);
        while (p < end && (*p == '\n' || *p == '\r')) p++;
        if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++) {}
            p = p + 1 < end ? p + 2 : end;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '/') return end;
        else return p;
    }
}

/* Just past the bracket that closes the ( or [ at p, past literals and
 * comments inside; NULL when it does not close before end. */
static const char *closing(const char *p, const char *end)
{
    int depth = 0;
    for (; p < end; p++) {
        if (*p == '"' || *p == '\'') {
            char q = *p;
            for (p++; p < end && *p != q; p += *p == '\\' ? 2 : 1) {}
            if (p >= end) return NULL;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            for (p += 2; p + 1 < end && !(p[0] == '*' && p[1] == '/'); p++) {}
            p++;
        } else if (*p == '(' || *p == '[') depth++;
        else if ((*p == ')' || *p == ']') && --depth == 0) return p + 1;
    }
    return NULL;
}

static int is(const char *s, int n, const char *w) { return (int)strlen(w) == n && !memcmp(s, w, (size_t)n); }

/* The kind of the attribute names in a group [p, q): those at paren depth
 * 2 of __attribute__((...)) (gnu), at bracket depth 2 of [[...]]. */
static int group_kind(const char *p, const char *q, int gnu)
{
    int kind = ATTR_LOCAL, parens = 0, brackets = 0;
    while (p < q) {
        if (*p == '"' || *p == '\'') {
            char c = *p;
            for (p++; p < q && *p != c; p += *p == '\\' ? 2 : 1) {}
            p++;
            continue;
        }
        if (!cg_ident_start(*p)) {
            parens += (*p == '(') - (*p == ')');
            brackets += (*p == '[') - (*p == ']');
            p++;
            continue;
        }
        const char *s = p;
        while (p < q && cg_ident_char(*p)) p++;
        int n = (int)(p - s);
        if (gnu ? parens != 2 : brackets != 2 || parens != 0) continue;
        if (is(s, n, "cleanup") || is(s, n, "__cleanup__")) return ATTR_CLEANUP;
        if (is(s, n, "vector_size") || is(s, n, "__vector_size__") || is(s, n, "mode") || is(s, n, "__mode__"))
            kind = ATTR_TYPE;
        else if ((is(s, n, "aligned") || is(s, n, "__aligned__")) && kind == ATTR_LOCAL)
            kind = ATTR_ALIGN;
    }
    return kind;
}

int cg_attr_body(const char *p, const char *end, int (*nested)(const char *, int, int, void *), void *arg)
{
    int kind = ATTR_NONE;
    for (p = gap(p, end); p < end; p = gap(p, end)) {
        int k;
        if (p + 1 < end && p[0] == '[' && p[1] == '[') {
            const char *q = closing(p, end);
            if (!q) return -1;
            k = group_kind(p, q, 0);
            p = q;
        } else if (cg_ident_start(*p)) {
            const char *s = p;
            while (p < end && cg_ident_char(*p)) p++;
            int n = (int)(p - s), gnu = is(s, n, "__attribute__") || is(s, n, "__attribute");
            int align = is(s, n, "_Alignas") || is(s, n, "alignas");
            const char *a = gap(p, end), *q = a < end && *a == '(' ? closing(a, end) : NULL;
            if ((gnu || align) && !q) return -1;
            if (gnu) k = group_kind(a, q, 1);
            else if (align) k = ATTR_ALIGN;
            else k = nested(s, n, q != NULL, arg);
            if (q) p = q;
        } else return -1;
        if (k < 0) return -1;
        if (k > kind) kind = k;
    }
    return kind;
}

/* A name in the body of a macro of the file, used at token `tok`. */
typedef struct Use { Unit *u; int tok, depth; } Use;

static int file_kind(Unit *u, const Macro *m, int tok, int depth);

static int nested_kind(const char *s, int n, int args, void *arg)
{
    Use *x = arg;
    int fn;
    const Macro *m = cg_macro_at(x->u, s, n, x->tok);
    int k = m ? file_kind(x->u, m, x->tok, x->depth + 1) : cg_header_attr(x->u, s, n, &fn);
    if (m) fn = cg_macro_function(m);
    return k > 0 && fn == args ? k : -1;
}

static int file_kind(Unit *u, const Macro *m, int tok, int depth)
{
    if (depth > 16) return -1;
    Use x = { u, tok, depth };
    const char *end, *body = cg_macro_body(m, &end);
    return cg_attr_body(body, end, nested_kind, &x);
}

int cg_attr_macro(Unit *u, int tok, int *fn)
{
    const Token *t = &u->toks[tok];
    const char *s = u->src + t->off;
    *fn = 0;
    if (t->id != TK_IDENT || cg_is_typename(u, s, t->len)) return ATTR_NONE;
    const Macro *m = cg_macro_at(u, s, t->len, tok);
    if (m) {
        int k = file_kind(u, m, tok, 0);
        *fn = cg_macro_function(m);
        return k > 0 ? k : ATTR_NONE;
    }
    if (cg_macro_defined(u, s, t->len, tok)) return ATTR_NONE;   /* #undef'd since */
    int k = cg_header_attr(u, s, t->len, fn);
    return k > 0 ? k : ATTR_NONE;
}

/* ---- macros of qualifiers ----------------------------------------------------- */

int cg_qual_body(const char *p, const char *end, int (*nested)(const char *, int, void *), void *arg)
{
    int kind = QUAL_NONE;
    for (p = gap(p, end); p < end; p = gap(p, end)) {
        if (!cg_ident_start(*p)) return QUAL_NONE;
        const char *s = p;
        while (p < end && cg_ident_char(*p)) p++;
        int n = (int)(p - s), k;
        if (is(s, n, "const") || is(s, n, "__const") || is(s, n, "__const__")) k = QUAL_CONST;
        else if (is(s, n, "volatile") || is(s, n, "__volatile") || is(s, n, "__volatile__") ||
                 is(s, n, "restrict") || is(s, n, "__restrict") || is(s, n, "__restrict__"))
            k = QUAL_OTHER;
        else k = nested(s, n, arg);
        if (k == QUAL_NONE) return QUAL_NONE;
        if (k > kind) kind = k;
    }
    return kind;
}

static int file_qual(Unit *u, const Macro *m, int tok, int depth);

static int nested_qual(const char *s, int n, void *arg)
{
    Use *x = arg;
    const Macro *m = cg_macro_at(x->u, s, n, x->tok);
    if (m) return file_qual(x->u, m, x->tok, x->depth + 1);
    return cg_macro_defined(x->u, s, n, x->tok) ? QUAL_NONE : cg_header_qual(x->u, s, n);
}

static int file_qual(Unit *u, const Macro *m, int tok, int depth)
{
    if (depth > 16 || cg_macro_function(m)) return QUAL_NONE;
    Use x = { u, tok, depth };
    const char *end, *body = cg_macro_body(m, &end);
    return cg_qual_body(body, end, nested_qual, &x);
}

int cg_qual_macro(Unit *u, int tok)
{
    const Token *t = &u->toks[tok];
    const char *s = u->src + t->off;
    if (t->id != TK_IDENT || cg_is_typename(u, s, t->len)) return QUAL_NONE;
    Use x = { u, tok, 0 };
    return nested_qual(s, t->len, &x);
}

int cg_tok_const(Unit *u, int tok)
{
    return u->toks[tok].id == TK_CONST || cg_qual_macro(u, tok) == QUAL_CONST;
}

/* Is the const at token i of v's declarator, after a `*`, the one of
 * v itself (`char *const p`), not of what a pointer points to (`char
 * *const *p`: no `*` follows before the name)? */
int cg_top_const(Unit *u, Node *v, int i)
{
    if (i <= v->dcl[0] || u->toks[i - 1].id != TK_STAR) return 0;
    for (int k = i + 1; k < v->name; k++)
        if (u->toks[k].id == TK_STAR) return 0;
    return 1;
}
