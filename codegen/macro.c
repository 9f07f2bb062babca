/*
 * macro.c - the macros the file defines, for the names their bodies use
 * and for the statements they stand for.
 *
 * A macro whose body names a local (`#define BUMP() (n += 1)`) means that
 * local wherever it is expanded, so the passes must know: a local that
 * moves into the frame is reached there through an alias.  A macro whose
 * body is a statement (`#define ARG_STORE base = a;`) is used without a
 * `;`, which the parser must know to go on.  Only the
 * #define and #undef lines of the file are read; what headers define is
 * not known, and needs not be: a header cannot name a function's locals.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

struct Macro {
    int tok;            /* the TK_PP of its #define                          */
    int undef;          /* the TK_PP of its #undef, or ntoks                 */
    const char *name;   /* its name in u->src                                */
    int len;
    const char *body;   /* its replacement list in u->src, [body, end)       */
    const char *end;
    const char *params; /* between the parentheses of a function-like one   */
    int params_len;
    Macro *next;
};

/* `# define NAME` or `# undef NAME` at token tok: the directive's kind
 * ('d', 'u' or 0) and *name / *len; *rest is just after the name. */
static int directive(Unit *u, int tok, const char **name, int *len, const char **rest)
{
    const char *p = u->src + u->toks[tok].off, *end = p + u->toks[tok].len;
    p = cg_pp_blanks(p + 1, end);
    int kind = end - p > 6 && !strncmp(p, "define", 6) ? 'd' : end - p > 5 && !strncmp(p, "undef", 5) ? 'u' : 0;
    if (!kind) return 0;
    p = cg_pp_blanks(p + (kind == 'd' ? 6 : 5), end);
    if (p == end || !cg_ident_start(*p)) return 0;
    *name = p;
    while (p < end && cg_ident_char(*p)) p++;
    *len = (int)(p - *name);
    *rest = p;
    return kind;
}

void cg_macros(Unit *u)
{
    Macro **tail = &u->macros;
    for (int i = 0; i < u->ntoks; i++) {
        const char *name, *p;
        int len, kind = u->toks[i].id == TK_PP ? directive(u, i, &name, &len, &p) : 0;
        if (kind == 'u') {
            for (Macro *m = u->macros; m; m = m->next)
                if (m->len == len && !memcmp(m->name, name, (size_t)len) && m->undef == u->ntoks) m->undef = i;
            continue;
        }
        if (!kind) continue;
        Macro *m = cg_alloc(u, sizeof *m);
        m->tok = i, m->undef = u->ntoks, m->name = name, m->len = len;
        m->end = u->src + u->toks[i].off + u->toks[i].len;
        if (p < m->end && *p == '(') {
            m->params = p + 1;
            while (p < m->end && *p != ')') p++;
            m->params_len = (int)(p - m->params);
            if (p < m->end) p++;
        }
        m->body = p;
        *tail = m;
        tail = &m->next;
    }
}

const Macro *cg_macro_at(Unit *u, const char *name, int len, int tok)
{
    const Macro *found = NULL;
    for (const Macro *m = u->macros; m && m->tok < tok; m = m->next)
        if (m->len == len && !memcmp(m->name, name, (size_t)len) && tok < m->undef) found = m;
    return found;
}

const char *cg_macro_name(const Macro *m, int *len)
{
    *len = m->len;
    return m->name;
}

/* Is [p, p + len) one of m's parameters? */
static int is_param(const Macro *m, const char *p, int len)
{
    const char *q = m->params, *end = q ? q + m->params_len : NULL;
    while (q && q < end) {
        while (q < end && !cg_ident_start(*q)) q++;
        const char *s = q;
        while (q < end && cg_ident_char(*q)) q++;
        if (q - s == len && !memcmp(s, p, (size_t)len)) return 1;
    }
    return 0;
}

/* Call fn on each identifier of m's body that is not a parameter, past
 * literals, comments and numbers. */
void cg_macro_names(const Macro *m, void (*fn)(const char *, int, void *), void *arg)
{
    const char *p = m->body, *end = m->end;
    while (p < end) {
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            while (p < end && *p != q) p += *p == '\\' ? 2 : 1;
            p++;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p + 1 < end && !(p[0] == '*' && p[1] == '/')) p++;
            p += 2;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '/') {
            p = end;
        } else if (*p >= '0' && *p <= '9') {
            while (p < end && (cg_ident_char(*p) || *p == '.')) p++;
        } else if (cg_ident_start(*p)) {
            const char *s = p;
            while (p < end && cg_ident_char(*p)) p++;
            if (!is_param(m, s, (int)(p - s))) fn(s, (int)(p - s), arg);
        } else p++;
    }
}

/* Does a macro in force somewhere in tokens [from, to) name
 * [name, name + len) as a member (`.name`, `->name`)?  An alias of that
 * name would rewrite it; its line goes to *line. */
int cg_macro_member(Unit *u, int from, int to, const char *name, int len, int *line)
{
    for (const Macro *m = u->macros; m && m->tok < to; m = m->next) {
        if (m->undef < from) continue;
        for (const char *p = m->body; p + len <= m->end; p++) {
            if (memcmp(p, name, (size_t)len) || (p + len < m->end && cg_ident_char(p[len]))) continue;
            const char *q = p;
            while (q > m->body && (q[-1] == ' ' || q[-1] == '\t')) q--;
            if ((q > m->body && q[-1] == '.') || (q - 1 > m->body && q[-1] == '>' && q[-2] == '-')) {
                *line = u->toks[m->tok].line;
                return 1;
            }
        }
    }
    return 0;
}

/* The body of m without the blanks, line splices and comments at its
 * ends: *end is set past its last character. */
static const char *trimmed(const Macro *m, const char **end)
{
    const char *p = cg_pp_blanks(m->body, m->end), *e = m->end;
    for (;;) {
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\\' || e[-1] == '\r'))
            e--;
        if (e - p >= 4 && e[-1] == '/' && e[-2] == '*') {
            const char *c = e - 2;
            while (c > p && !(c[0] == '/' && c[1] == '*')) c--;
            e = c;
        } else break;
    }
    *end = e;
    return p;
}

int cg_macro_statement(const Macro *m)
{
    const char *end, *p = trimmed(m, &end);
    if (p == end) return 2;
    return end[-1] == ';' || end[-1] == '}';
}

int cg_macro_function(const Macro *m) { return m->params != NULL; }

int cg_macro_attribute(const Macro *m)
{
    const char *end, *p = trimmed(m, &end);
    return (end - p >= 11 && !strncmp(p, "__attribute", 11)) || (end - p >= 2 && p[0] == '[' && p[1] == '[');
}

/* Does the word [s, s + n) begin a declaration: a type keyword, a
 * specifier or a typedef name in view? */
static int type_word(Unit *u, const char *s, int n)
{
    static const char *const kw[] = { "void", "char", "short", "int", "long", "float", "double", "signed",
                                      "unsigned", "_Bool", "struct", "union", "enum", "const", "volatile",
                                      "static", "register", "typeof", "__typeof__", "_Atomic" };
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if ((int)strlen(kw[i]) == n && !memcmp(kw[i], s, (size_t)n)) return 1;
    return cg_is_typename(u, s, n);
}

/* A body that starts declaring (`int a = b;`, `T *p = q;`: a type word or
 * a typedef name first, then a name before `=`, `;`, `,` or `[`): the
 * declared name in *name / *len. */
int cg_macro_declares(Unit *u, const Macro *m, const char **name, int *len)
{
    const char *end, *p = trimmed(m, &end), *last = NULL;
    int words = 0, n = 0;
    while (p < end) {
        if (cg_ident_start(*p)) {
            const char *s = p;
            while (p < end && cg_ident_char(*p)) p++;
            if (!words && !type_word(u, s, (int)(p - s))) return 0;
            words++, last = s, n = (int)(p - s);
        } else if (*p == ' ' || *p == '\t' || *p == '*') p++;
        else break;
    }
    if (words < 2 || p == end || (*p != '=' && *p != ';' && *p != ',' && *p != '[')) return 0;
    *name = last, *len = n;
    return 1;
}

int cg_macro_line(Unit *u, const Macro *m) { return u->toks[m->tok].line; }

const char *cg_macro_body(const Macro *m, const char **end)
{
    *end = m->end;
    return m->body;
}

int cg_macro_defined(Unit *u, const char *name, int len, int tok)
{
    for (const Macro *m = u->macros; m && m->tok < tok; m = m->next)
        if (m->len == len && !memcmp(m->name, name, (size_t)len)) return 1;
    return 0;
}
