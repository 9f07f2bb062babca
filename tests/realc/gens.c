/*
 * gens.c - turn every function definition of a C file into a generator:
 * the converter of tests/realc/realc.sh.
 *
 *   gens [-m MACROS] [-x N]... [-p FILE] IN.c OUT.co
 *
 * OUT.co is IN.c with, after each function definition, a generator copy of
 * it (the original stays, so callers and recursion still find it):
 *
 *     T f(params) { body }   ->   #include <cogen.h>
 *                                 generator(T) realc_f(params) { yield (T){0}; body' }
 *     void f(params) { ... } ->   generator(int) realc_f(params) { yield 0; ... }
 *
 * where body' has each `return e;` rewritten as `{ yield e; return; }` (in a
 * void function `{ e; return; }`), so every value the function returns is
 * yielded instead, after a first suspension at the top.  A return type the
 * name is nested in (`int (*f(void))(int)`) becomes `__typeof__(int (*)(int))`.
 * Storage classes, attributes and the macros among the specifiers that
 * expand to nothing but those (MACROS: the output of `cc -dM -E`) are
 * dropped from the copy.  The tokens are cogen's own (its lexer), so
 * comments, strings and directives are read exactly as cogen reads them.
 *
 * A copy keeps the line structure of its original, so a diagnostic at a
 * line of the copy maps back to a line of IN.c.  stdout gets one line per
 * definition, in file order:
 *
 *     N NAME LINE FIRST LAST     converted: IN.c line, OUT.co lines of the copy
 *     N NAME LINE skip REASON    not converted (variable arguments, K&R...)
 *
 * -x N leaves definition N (0-based) unconverted: the driver's way to get
 * the others through after one has failed.  -p FILE is for an IN.c that is
 * FILE preprocessed: OUT.co includes FILE, then holds the copies alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Conv {
    Unit *u;
    FILE *out;
    int line;           /* line of OUT.co being written (1-based)           */
    int done;           /* offset of IN.c copied to OUT.co so far           */
    char **macro, **body; /* -m: object-like macros and their bodies        */
    int nmacros;
    int *skip, nskip;   /* -x */
    int copies_only;    /* -p: IN.c is not copied, only the generators     */
    const char *prologue; /* -p FILE                                         */
} Conv;

static int id(Unit *u, int i) { return i >= 0 && i < u->ntoks ? u->toks[i].id : 0; }
static int tok_end(Unit *u, int i) { return u->toks[i].off + u->toks[i].len; }

static int match(Unit *u, int i)
{
    int open = id(u, i), close = open == TK_LPAREN ? TK_RPAREN
                               : open == TK_LBRACKET ? TK_RBRACKET : TK_RBRACE;
    for (int depth = 0; i < u->ntoks; i++) {
        if (id(u, i) == open) depth++;
        else if (id(u, i) == close && --depth == 0) return i;
    }
    return u->ntoks;
}

/* The `(` that the `)` at i closes, or -1. */
static int match_back(Unit *u, int i)
{
    for (int depth = 0; i >= 0; i--) {
        if (id(u, i) == TK_RPAREN) depth++;
        else if (id(u, i) == TK_LPAREN && --depth == 0) return i;
    }
    return -1;
}

/* ---- writing ----------------------------------------------------------- */

static void put(Conv *c, const char *s, int n)
{
    fwrite(s, 1, (size_t)n, c->out);
    for (int i = 0; i < n; i++) c->line += s[i] == '\n';
}

static void puts_(Conv *c, const char *s) { put(c, s, (int)strlen(s)); }

/* Source text from offset a to offset b. */
static void src(Conv *c, int a, int b) { if (b > a) put(c, c->u->src + a, b - a); }

/* IN.c's own text, up to offset b. */
static void original(Conv *c, int b)
{
    if (!c->copies_only) src(c, c->done, b);
    c->done = b;
}

/* ---- macros ------------------------------------------------------------ */

static void load_macros(Conv *c, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    if (!f) { perror(path); exit(2); }
    while (getline(&line, &cap, f) > 0) {
        if (strncmp(line, "#define ", 8)) continue;
        char *name = line + 8, *p = name + strcspn(name, " (\n");
        if (*p == '(') continue;            /* function-like: not a specifier */
        c->macro = realloc(c->macro, sizeof *c->macro * (size_t)(c->nmacros + 1));
        c->body = realloc(c->body, sizeof *c->body * (size_t)(c->nmacros + 1));
        c->macro[c->nmacros] = strndup(name, (size_t)(p - name));
        c->body[c->nmacros] = strdup(*p == ' ' ? p + 1 : "");
        c->body[c->nmacros][strcspn(c->body[c->nmacros], "\n")] = 0;
        c->nmacros++;
    }
    free(line);
    fclose(f);
}

static const char *macro_body(Conv *c, const char *s, int n)
{
    for (int i = 0; i < c->nmacros; i++)
        if ((int)strlen(c->macro[i]) == n && !strncmp(c->macro[i], s, (size_t)n)) return c->body[i];
    return NULL;
}

/* Does the macro named (s, n) expand to storage classes and attributes
 * only (or to nothing)?  Followed through other macros a few levels. */
static int storage_macro(Conv *c, const char *s, int n, int depth)
{
    const char *b = macro_body(c, s, n);
    if (!b || depth > 8) return 0;
    static const char *words[] = { "static", "extern", "inline", "__inline", "__inline__",
                                   "_Noreturn", "__attribute__", "__attribute", "__declspec",
                                   "__extension__", NULL };
    for (const char *p = b;;) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) return 1;
        int w = 0;
        while (p[w] == '_' || (p[w] >= 'a' && p[w] <= 'z') || (p[w] >= 'A' && p[w] <= 'Z') ||
               (p[w] >= '0' && p[w] <= '9'))
            w++;
        if (!w) return 0;
        int ok = 0;
        for (int i = 0; words[i]; i++)
            if ((int)strlen(words[i]) == w && !strncmp(words[i], p, (size_t)w)) ok = 1;
        if (!ok && !storage_macro(c, p, w, depth + 1)) return 0;
        p += w;
        while (*p == ' ') p++;
        if (*p == '(') {                    /* an attribute's arguments */
            int d = 0;
            do d += (*p == '(') - (*p == ')'); while (*++p && d);
        }
    }
}

/* ---- one definition ---------------------------------------------------- */

typedef struct Def {
    int start, lbrace, rbrace;  /* declaration start, body braces          */
    int name;                   /* name token                               */
    int tend;                   /* end of the return type's tokens          */
    int lp, rp;                 /* the name's parameter list                */
    int nested;                 /* the name is inside a declarator group    */
    const char *skip;           /* why it is not converted, or NULL         */
} Def;

static int is_dropped(Conv *c, int i)
{
    Unit *u = c->u;
    switch (id(u, i)) {
    case TK_STATIC: case TK_EXTERN: case TK_INLINE: case TK_NORETURN: case TK_EXTENSION:
        return 1;
    case TK_IDENT:
        return storage_macro(c, u->src + u->toks[i].off, u->toks[i].len, 0);
    }
    return 0;
}

/* Find the name and parameter list of the definition whose body is at
 * d->lbrace. */
static void declarator(Conv *c, Def *d)
{
    Unit *u = c->u;
    int rp = d->lbrace - 1, lp = match_back(u, rp);
    d->lp = lp, d->rp = rp;
    if (lp <= d->start) { d->skip = "no-declarator"; return; }
    if (id(u, lp - 1) == TK_IDENT) { d->name = d->tend = lp - 1; return; }
    if (id(u, lp - 1) != TK_RPAREN) { d->skip = "no-name"; return; }
    int g = match_back(u, lp - 1);
    if (g == lp - 3 && id(u, g + 1) == TK_IDENT) {     /* (name)(...) */
        d->name = g + 1, d->tend = g;
        if (id(u, g - 1) == TK_IDENT) d->skip = "name-from-a-macro";   /* TRANS(name)(...) */
        return;
    }
    for (int i = g + 1; i < lp - 1; i++)
        if (id(u, i) == TK_IDENT && id(u, i + 1) == TK_LPAREN) {
            d->name = i, d->lp = i + 1, d->rp = match(u, i + 1), d->nested = 1;
            d->tend = d->lbrace;
            return;
        }
    d->skip = "no-name";
}

/* The next token of the return type at or after i, before b: storage
 * classes, attributes and storage macros are skipped. */
static int type_tok(Conv *c, int i, int b)
{
    for (; i < b; i++) {
        if (is_dropped(c, i)) continue;
        if (id(c->u, i) != TK_ATTRIBUTE) return i;
        if (id(c->u, i + 1) == TK_LPAREN) i = match(c->u, i + 1);
    }
    return b;
}

/* Why the definition cannot become a generator, or NULL. */
static const char *check(Conv *c, Def *d)
{
    Unit *u = c->u;
    int depth = 0;
    for (int i = d->lp; i <= d->rp; i++) {
        depth += (id(u, i) == TK_LPAREN) - (id(u, i) == TK_RPAREN);
        if (id(u, i) == TK_ELLIPSIS && depth == 1) return "variable-arguments";
    }
    if (id(u, d->lp + 1) == TK_IDENT && (id(u, d->lp + 2) == TK_COMMA || id(u, d->lp + 2) == TK_RPAREN) &&
        !cg_is_typename(u, u->src + u->toks[d->lp + 1].off, u->toks[d->lp + 1].len))
        return "K&R-parameters";                        /* main(C): an identifier list */
    for (int i = d->start; i < d->lbrace; i++) {
        if (id(u, i) == TK_PP) return "directive-in-header";
        if (id(u, i) == TK_LBRACE) return "type-defined-in-header";
    }
    return type_tok(c, d->start, d->tend) < d->tend ? NULL : "no-return-type";
}

static int is_void(Conv *c, Def *d)
{
    int i = type_tok(c, d->start, d->tend);
    return !d->nested && id(c->u, i) == TK_VOID && type_tok(c, i + 1, d->tend) == d->tend;
}

/* The tokens of the return type, dropped ones left out; a nested name and
 * its parameters too. */
static void type_toks(Conv *c, Def *d)
{
    Unit *u = c->u;
    const char *sep = "";
    for (int i = type_tok(c, d->start, d->tend); i < d->tend; i = type_tok(c, i + 1, d->tend)) {
        if (i == d->name) { i = d->rp; continue; }
        puts_(c, sep);
        src(c, u->toks[i].off, tok_end(u, i));
        sep = " ";
    }
}

static void ret_type(Conv *c, Def *d)
{
    if (is_void(c, d)) puts_(c, "int");
    else if (!d->nested) type_toks(c, d);
    else {
        puts_(c, "__typeof__(");
        type_toks(c, d);
        puts_(c, ")");
    }
}

/* The body from `{` at i to its `}`, returns rewritten. */
static void body(Conv *c, Def *d, int isvoid)
{
    Unit *u = c->u;
    int at = u->toks[d->lbrace].off + 1;
    src(c, u->toks[d->lbrace].off, at);
    if (isvoid) puts_(c, " yield 0;");
    else {
        puts_(c, " yield (");
        ret_type(c, d);
        puts_(c, "){0};");
    }
    for (int i = d->lbrace + 1; i < d->rbrace; i++) {
        if (id(u, i) != TK_RETURN) continue;
        int e = i + 1;
        while (e < d->rbrace && id(u, e) != TK_SEMI) {
            if (id(u, e) == TK_LPAREN || id(u, e) == TK_LBRACKET || id(u, e) == TK_LBRACE) e = match(u, e);
            e++;
        }
        if (e == i + 1) continue;           /* return; stays */
        src(c, at, u->toks[i].off);
        puts_(c, isvoid ? "{ " : "{ yield ");
        src(c, u->toks[i + 1].off, tok_end(u, e - 1));
        puts_(c, "; return; }");
        at = tok_end(u, e);
        i = e;
    }
    src(c, at, tok_end(u, d->rbrace));
}

static void copy(Conv *c, Def *d)
{
    Unit *u = c->u;
    puts_(c, "\n#include <cogen.h>\n");
    int first = c->line;
    puts_(c, "generator(");
    ret_type(c, d);
    puts_(c, ") realc_");
    src(c, u->toks[d->name].off, tok_end(u, d->name));
    src(c, u->toks[d->lp].off, tok_end(u, d->rp));
    for (int i = tok_end(u, d->rp); i < u->toks[d->lbrace].off; i++)
        if (u->src[i] == '\n' || !d->nested) src(c, i, i + 1);  /* keeps the lines */
    body(c, d, is_void(c, d));
    printf(" %d %d %d\n", u->toks[d->lp].line, first, c->line);
}

static int skipped(Conv *c, int n)
{
    for (int i = 0; i < c->nskip; i++)
        if (c->skip[i] == n) return 1;
    return 0;
}

static void definition(Conv *c, Def *d, int n)
{
    Unit *u = c->u;
    declarator(c, d);
    if (!d->skip) d->skip = check(c, d);
    if (!d->skip && skipped(c, n)) d->skip = "excluded";
    if (d->name) printf("%d %.*s", n, u->toks[d->name].len, u->src + u->toks[d->name].off);
    else printf("%d ?", n);
    if (d->skip) {
        printf(" %d skip %s\n", u->toks[d->lbrace].line, d->skip);
        return;
    }
    original(c, tok_end(u, d->rbrace));
    copy(c, d);
}

/* Walk file scope as cogen's island scanner does: a `{` after `)` opens a
 * function body; any other brace a type body or an initializer. */
static void walk(Conv *c)
{
    Unit *u = c->u;
    int start = 0, n = 0;
    for (int i = 0; i < u->ntoks; i++) {
        int t = id(u, i);
        if (t == TK_PP || t == TK_SEMI) { start = i + 1; continue; }
        if (t == TK_LPAREN || t == TK_LBRACKET) { i = match(u, i); continue; }
        if (t != TK_LBRACE) continue;
        int end = match(u, i);
        if (id(u, i - 1) == TK_RPAREN && end < u->ntoks) {
            Def d = { start, i, end, 0, 0, 0, 0, 0, NULL };
            definition(c, &d, n++);
            start = end + 1;
        } else if (id(u, i - 1) == TK_SEMI && end < u->ntoks) {
            printf("%d ? %d skip K&R-parameters\n", n++, u->toks[i].line);
            start = end + 1;
        }
        i = end;
    }
    original(c, u->len);
}

int main(int argc, char **argv)
{
    Conv c = { 0 };
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-m")) load_macros(&c, argv[i + 1]);
        else if (!strcmp(argv[i], "-p")) c.copies_only = 1, c.prologue = argv[i + 1];
        else if (!strcmp(argv[i], "-x")) {
            c.skip = realloc(c.skip, sizeof *c.skip * (size_t)(c.nskip + 1));
            c.skip[c.nskip++] = atoi(argv[i + 1]);
        } else break;
    }
    if (argc - i != 2) {
        fprintf(stderr, "usage: gens [-m MACROS] [-x N]... [-p FILE] IN.c OUT.co\n");
        return 2;
    }
    FILE *in = fopen(argv[i], "rb");
    if (!in) { perror(argv[i]); return 2; }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    for (size_t r; buf && (r = fread(buf + len, 1, cap - len - 1, in)) > 0;)
        if ((len += r) == cap - 1) buf = realloc(buf, cap *= 2);
    fclose(in);
    if (!buf) return 2;
    buf[len] = 0;
    c.out = fopen(argv[i + 1], "w");
    if (!c.out) { perror(argv[i + 1]); return 2; }
    c.line = 1;
    if (c.prologue) fprintf(c.out, "#include \"%s\"\n", c.prologue), c.line++;
    c.u = cg_unit_new(argv[i], buf, (int)len, stderr);
    cg_lex(c.u);
    walk(&c);
    fclose(c.out);
    cg_unit_free(c.u);
    free(buf);
    return 0;
}
