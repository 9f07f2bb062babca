/*
 * include.c - the type names a file can see: its own typedefs and those of
 * the headers it includes; the async functions those headers declare and
 * the names they spell.
 *
 * The parser tells `(T)x` from `(a) - b`, and `T *p` from `a * b`, by
 * knowing which names are types.  So #include is followed as a compiler
 * follows it: a quoted name in the including file's directory first, then
 * the -I and -isystem directories, then the compiler's own (asked of it
 * once per run; known defaults when it cannot say).  A header is read
 * lightly: split into tokens, only its typedefs, #include lines and the
 * `NAME__init(` of frame protocols (an async function's: the runtime's
 * co_sleep, another file's) are looked at, the names it spells are
 * noted (a name no header spells, none declares) and so are the #defines
 * that may be macros of attributes (attr.c).  Every #if branch counts,
 * macros are not expanded (a computed #include is skipped) but for one
 * defined as the word `typedef` itself
 * (glibc declares its __off_t and kin with `__STD_TYPE`), a header that
 * cannot be found is not an error, and each header is read once per run.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

/* ---- typedef declarations ------------------------------------------------ */

static int id(Unit *u, int i) { return i >= 0 && i < u->ntoks ? u->toks[i].id : 0; }

/* Index of the token closing the bracket at i, or ntoks when unbalanced. */
static int match(Unit *u, int i)
{
    int open = id(u, i), close = open == TK_LPAREN ? TK_RPAREN
                               : open == TK_LBRACKET ? TK_RBRACKET : TK_RBRACE;
    int depth = 0;
    for (; i < u->ntoks; i++) {
        if (id(u, i) == open) depth++;
        else if (id(u, i) == close && --depth == 0) return i;
    }
    return u->ntoks;
}

int cg_type_keyword(int t)
{
    switch (t) {
    case TK_VOID: case TK_CHAR: case TK_SHORT: case TK_INT: case TK_LONG:
    case TK_FLOAT: case TK_DOUBLE: case TK_SIGNED: case TK_UNSIGNED:
    case TK_BOOL: case TK_COMPLEX: case TK_STRUCT: case TK_UNION: case TK_ENUM:
    case TK_TYPENAME: case TK_TYPEOF:
        return 1;
    }
    return 0;
}

static void add(Unit *u, Unit *into, int i)
{
    const Token *k = &u->toks[i];
    const char *s = u->src + k->off;
    if (cg_is_typename(into, s, k->len)) return;
    cg_typedef_add(into, u == into ? s : cg_strdup(into, s, k->len), k->len);
}

/* The typedef name at i stands for an array when brackets follow it, or
 * when it renames an array type (the base at token b) with no star. */
static void array_of(Unit *u, Unit *into, int i, int b)
{
    const Token *k = &u->toks[i], *t = b >= 0 ? &u->toks[b] : NULL;
    int arr = id(u, i + 1) == TK_LBRACKET ||
              (t && id(u, i - 1) != TK_STAR && cg_is_array_type(into, u->src + t->off, t->len));
    if (arr) cg_array_type_add(into, u == into ? u->src + k->off : cg_strdup(into, u->src + k->off, k->len), k->len);
}

/* Register the names the `typedef` at token i declares.  The first
 * identifier is the type when no type keyword came before it (a typedef
 * of a typedef; C++'s decltype(x) is one too).  After that the next
 * identifier is the declarator's name, but one that another identifier or
 * a star follows may be a macro (`void __attr fn_t(void)`, `T name
 * __ALIGN;`): both count, a macro taken for a type does no harm. */
static void scan_typedef(Unit *u, int i, Unit *into)
{
    int seen = 0, depth = 0, base = -1;
    for (i++; i < u->ntoks; i++) {
        int t = id(u, i);
        if (t == TK_SEMI && depth == 0) return;
        if (t == TK_LBRACE) { i = match(u, i); seen = 1; continue; }
        if (t == TK_ATTRIBUTE || t == TK_TYPEOF || t == TK_ALIGNAS || t == TK_ATOMIC) {
            if (id(u, i + 1) == TK_LPAREN) i = match(u, i + 1);
            if (t == TK_TYPEOF || t == TK_ATOMIC) seen = 1;
            continue;
        }
        if (t == TK_LPAREN) depth++;
        else if (t == TK_RPAREN) depth--;
        else if (t == TK_LBRACKET) i = match(u, i);
        else if (t == TK_STRUCT || t == TK_UNION || t == TK_ENUM) {
            seen = 1;
            while (id(u, i + 1) == TK_ATTRIBUTE && id(u, i + 2) == TK_LPAREN) i = match(u, i + 2);
            if (id(u, i + 1) == TK_IDENT || id(u, i + 1) == TK_TYPENAME) i++;
        } else if (cg_type_keyword(t)) seen = 1;
        else if (t == TK_IDENT) {
            if (!seen && cg_tok_is(u, i, "decltype") && id(u, i + 1) == TK_LPAREN) i = match(u, i + 1);
            if (!seen) { seen = 1; base = i; continue; }
            add(u, into, i);
            array_of(u, into, i, base);
            if (id(u, i + 1) == TK_IDENT || id(u, i + 1) == TK_STAR) continue;
            /* Skip the rest of this declarator. */
            for (i++; i < u->ntoks; i++) {
                t = id(u, i);
                if (t == TK_LPAREN || t == TK_LBRACKET) i = match(u, i);
                else if (t == TK_RPAREN) depth--;
                else if ((t == TK_COMMA || t == TK_SEMI) && depth <= 0) break;
            }
            if (id(u, i) != TK_COMMA) return;
            depth = 0;
        }
    }
}

void cg_scan_typedefs(Unit *u, Unit *into)
{
    for (int i = 0; i < u->ntoks; i++)
        if (id(u, i) == TK_TYPEDEF) scan_typedef(u, i, into);
}

/* ---- the search path ------------------------------------------------------ */

typedef struct Search {
    Unit *u;            /* the file being translated: names go here          */
    const char **dirs;  /* where <...> looks: -I, -isystem, then the system's */
    int ndirs, cap;
    int asked;          /* the system directories have been appended         */
    char **read;        /* headers read, by path (a few hundred at most:
                           a linear search is fine)                           */
    int nread, rcap;
    int depth;          /* nesting of the header being read                  */
    char **words;       /* names of macros defined as `typedef` (one or two) */
    int nwords, wcap;
} Search;

static int is_word(Search *s, const char *name, int n)
{
    for (int i = 0; i < s->nwords; i++)
        if ((int)strlen(s->words[i]) == n && !strncmp(s->words[i], name, (size_t)n)) return 1;
    return 0;
}

static void push_dir(Search *s, const char *d, int n)
{
    if (s->ndirs == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        const char **v = cg_alloc(s->u, sizeof *v * (size_t)s->cap);
        if (s->ndirs) memcpy(v, s->dirs, sizeof *v * (size_t)s->ndirs);
        s->dirs = v;
    }
    s->dirs[s->ndirs++] = cg_strdup(s->u, d, n);
}

/* Directories the compiler searches when it cannot tell us: the usual
 * places of a Unix system, the multiarch one of the machine cogen was
 * built for included. */
static const char *default_dirs[] = {
    "/usr/local/include",
#if defined(__linux__) && defined(__x86_64__)
    "/usr/include/x86_64-linux-gnu",
#elif defined(__linux__) && defined(__aarch64__)
    "/usr/include/aarch64-linux-gnu",
#elif defined(__linux__) && defined(__i386__)
    "/usr/include/i386-linux-gnu",
#endif
    "/usr/include",
};

/* Append the compiler's own directories: the `#include <...>` list that
 * `$CC -E -Wp,-v` prints (gcc and clang both do). */
static void system_dirs(Search *s)
{
    const char *cc = getenv("CC");
    char *cmd = cg_fmt(s->u, "%s -E -Wp,-v -x c /dev/null -o /dev/null 2>&1",
                       cc && *cc ? cc : "cc");
    int before = s->ndirs, in = 0;
    FILE *p = popen(cmd, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while (p && (n = getline(&line, &cap, p)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        if (!strncmp(line, "#include <...>", 14)) in = 1;
        else if (!strncmp(line, "End of search list", 18)) in = 0;
        else if (in && line[0] == ' ') {
            char *d = line + 1, *f = strstr(d, " (framework directory)");
            push_dir(s, d, f ? (int)(f - d) : (int)strlen(d));
        }
    }
    free(line);
    if (p) pclose(p);
    if (s->ndirs == before)
        for (size_t i = 0; i < sizeof default_dirs / sizeof *default_dirs; i++)
            push_dir(s, default_dirs[i], (int)strlen(default_dirs[i]));
}

static FILE *try_open(Unit *u, const char *dir, int dlen, const char *name, char **path)
{
    *path = dlen ? cg_fmt(u, "%.*s/%s", dlen, dir, name) : cg_strdup(u, name, (int)strlen(name));
    return fopen(*path, "rb");
}

/* ---- reading headers ------------------------------------------------------- */

static void read_header(Search *s, FILE *f, const char *path, int dir);

/* The directory part of path, as a length into it (0: the current one). */
static int dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (int)(slash - path) + (slash == path) : 0;
}

/* A header was not found.  The .co file's own includes and quoted ones
 * may declare its awaitables; a system header's <...> include not found
 * is one for another platform or configuration (read outside #if). */
static void missing(Search *s, int quoted)
{
    if (quoted || s->depth == 0)
        s->u->header_missing = 1;
}

/* Find and read the header named (name, quoted?) as included from the file
 * at `from`, itself found in search directory `dir` (-1: not on the path). */
static void include(Search *s, const char *name, int quoted, int next,
                    const char *from, int dir)
{
    char *path;
    FILE *f = NULL;
    int k = next ? dir + 1 : 0;
    if (name[0] == '/') {
        if ((f = try_open(s->u, "", 0, name, &path))) read_header(s, f, path, -1);
        else missing(s, quoted);
        return;
    }
    if (quoted && !next) {
        if ((f = try_open(s->u, from, dir_len(from), name, &path))) {
            read_header(s, f, path, -1);
            return;
        }
    }
    for (;; k++) {
        if (k >= s->ndirs && !s->asked && s->u->stdinc) {
            s->asked = 1;
            system_dirs(s);
        }
        if (k >= s->ndirs) {
            missing(s, quoted);
            return;
        }
        if ((f = try_open(s->u, s->dirs[k], (int)strlen(s->dirs[k]), name, &path))) {
            read_header(s, f, path, k);
            return;
        }
    }
}

/* If the directive text p (after '#') is an #include or #include_next of a
 * literal name, follow it. */
static void directive(Search *s, const char *p, const char *end, const char *from, int dir)
{
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    int next = 0;
    if (end - p > 12 && !strncmp(p, "include_next", 12)) next = 1, p += 12;
    else if (end - p > 7 && !strncmp(p, "include", 7)) p += 7;
    else return;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p == end || (*p != '"' && *p != '<')) return;
    char close = *p == '"' ? '"' : '>';
    const char *q = memchr(p + 1, close, (size_t)(end - p - 1));
    if (!q || q == p + 1) return;
    include(s, cg_strdup(s->u, p + 1, (int)(q - p - 1)), close == '"', next, from, dir);
}

/* The name a `#define` in the directive text [*p, end) (after '#')
 * defines, its length in *n; *p is moved past it.  NULL when the
 * directive defines nothing. */
static const char *define_name(const char **p, const char *end, int *n)
{
    const char *q = *p;
    while (q < end && (*q == ' ' || *q == '\t')) q++;
    if (end - q < 7 || strncmp(q, "define", 6) || (q[6] != ' ' && q[6] != '\t')) return NULL;
    for (q += 6; q < end && (*q == ' ' || *q == '\t'); q++) {}
    const char *name = q;
    while (q < end && cg_ident_char(*q)) q++;
    *n = (int)(q - name);
    *p = q;
    return *n ? name : NULL;
}

/* Note `#define NAME typedef` in the directive text p (after '#'). */
static void typedef_macro(Search *s, const char *p, const char *end)
{
    int n;
    const char *name = define_name(&p, end, &n);
    if (!name) return;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r')) end--;
    if (end - p != 7 || strncmp(p, "typedef", 7) || is_word(s, name, n)) return;
    if (s->nwords == s->wcap) {
        s->wcap = s->wcap ? 2 * s->wcap : 4;
        char **v = cg_alloc(s->u, sizeof *v * (size_t)s->wcap);
        if (s->nwords) memcpy(v, s->words, sizeof *v * (size_t)s->nwords);
        s->words = v;
    }
    s->words[s->nwords++] = cg_strdup(s->u, name, n);
}

/* Note the async function whose frame protocol starts at token i of
 * header h (`NAME__init(`): await of a name near it gets a hint. */
static void awaitable(Search *s, Unit *h, int i)
{
    const Token *t = &h->toks[i];
    const char *p = h->src + t->off;
    int n = t->len - 6;
    if (n <= 0 || memcmp(p + n, "__init", 6) || id(h, i + 1) != TK_LPAREN) return;
    void **v = cg_map_slot(s->u, &s->u->awaitables, cg_strdup(s->u, p, n), n);
    if (!*v) *v = s->u;     /* any value: present */
}

/* Note that a header spells the name [p, p + n). */
static void word(Search *s, const char *p, int n)
{
    if (cg_map_get(&s->u->header_words, p, n)) return;
    void **v = cg_map_slot(s->u, &s->u->header_words, cg_strdup(s->u, p, n), n);
    *v = s->u;      /* any value: present */
}

/* The name a `#define` in the directive text p (after '#') defines. */
static void defined_word(Search *s, const char *p, const char *end)
{
    int n;
    const char *name = define_name(&p, end, &n);
    if (name) word(s, name, n);
}

/* ---- macros of attributes ------------------------------------------------------ */

/* A macro a header defines whose every definition so far is made of
 * attribute groups and names (`#define MY_UNUSED __attribute__((unused))`,
 * `#define BOTH MY_UNUSED MY_ALIGNED`), or is empty: the names are looked
 * up when it is used, once every header has been read. */
typedef struct Body { const char *p; int len; struct Body *next; } Body;
typedef struct HeaderMacro {
    int fn;             /* takes arguments                                   */
    int bad;            /* a definition of something else, or fn differs     */
    int kind;           /* -2 not worked out yet, -3 being worked out, else
                           the kind (ATTR_NONE: none)                        */
    int qual;           /* the same for the kind of qualifiers (QUAL_*)      */
    Body *bodies;
} HeaderMacro;

/* Any name: only the shape of a body counts while the headers are read. */
static int any_name(const char *s, int n, int args, void *arg)
{
    (void)s, (void)n, (void)args, (void)arg;
    return ATTR_LOCAL;
}

/* Note `#define NAME body` or `#define NAME(params) body` in the directive
 * text p (after '#') when it may define a macro of attributes; mark the
 * name as none when it does not. */
static void attr_macro(Search *s, const char *p, const char *end)
{
    int n;
    const char *name = define_name(&p, end, &n);
    if (!name || (*name >= '0' && *name <= '9')) return;
    int fn = p < end && *p == '(';
    if (fn) {
        while (p < end && *p != ')') p++;
        if (p < end) p++;
    }
    int shape = cg_attr_body(p, end, any_name, NULL);
    HeaderMacro *m = cg_map_get(&s->u->header_attrs, name, n);
    if (!m && shape < 0) return;        /* not one (so far): nothing to note */
    if (!m) {
        m = cg_alloc(s->u, sizeof *m);
        m->fn = fn;
        m->kind = m->qual = -2;
        *cg_map_slot(s->u, &s->u->header_attrs, cg_strdup(s->u, name, n), n) = m;
    }
    if (shape < 0 || fn != m->fn) m->bad = 1;
    if (m->bad) return;
    Body *b = cg_alloc(s->u, sizeof *b);
    b->p = cg_strdup(s->u, p, (int)(end - p));
    b->len = (int)(end - p);
    b->next = m->bodies;
    m->bodies = b;
}

static int header_name(const char *s, int n, int args, void *arg)
{
    int fn, k = cg_header_attr(arg, s, n, &fn);
    return k > 0 && fn == args ? k : -1;
}

int cg_header_attr(Unit *u, const char *name, int len, int *fn)
{
    HeaderMacro *m = cg_map_get(&u->header_attrs, name, len);
    *fn = 0;
    if (!m || m->bad || m->kind == -3) return ATTR_NONE;
    *fn = m->fn;
    if (m->kind != -2) return m->kind;
    m->kind = -3;       /* a macro naming itself, directly or not, is none */
    int kind = ATTR_NONE;
    for (Body *b = m->bodies; b; b = b->next) {
        int k = cg_attr_body(b->p, b->p + b->len, header_name, u);
        if (k < 0) { kind = ATTR_NONE; break; }
        if (k > kind) kind = k;
    }
    return m->kind = kind;
}

static int header_qual_name(const char *s, int n, void *arg)
{
    return cg_header_qual(arg, s, n);
}

int cg_header_qual(Unit *u, const char *name, int len)
{
    HeaderMacro *m = cg_map_get(&u->header_attrs, name, len);
    if (!m || m->bad || m->fn || m->qual == -3) return QUAL_NONE;
    if (m->qual != -2) return m->qual;
    m->qual = -3;       /* a macro naming itself, directly or not, is none */
    int kind = QUAL_NONE;
    for (Body *b = m->bodies; b; b = b->next) {
        int k = cg_qual_body(b->p, b->p + b->len, header_qual_name, u);
        if (k == QUAL_NONE) { kind = QUAL_NONE; break; }
        if (k > kind) kind = k;
    }
    return m->qual = kind;
}

/* The header opened as f at path, found in search directory dir: its
 * typedef names and async functions, then the headers it includes.  Each
 * path is read once. */
static void read_header(Search *s, FILE *f, const char *path, int dir)
{
    for (int i = 0; i < s->nread; i++)
        if (!strcmp(s->read[i], path)) { fclose(f); return; }
    if (s->nread == s->rcap) {
        s->rcap = s->rcap ? 2 * s->rcap : 64;
        char **v = cg_alloc(s->u, sizeof *v * (size_t)s->rcap);
        if (s->nread) memcpy(v, s->read, sizeof *v * (size_t)s->nread);
        s->read = v;
    }
    s->read[s->nread++] = (char *)path;
    int len = 0;
    char *src = cg_slurp(f, &len);
    fclose(f);
    Unit *h = src ? cg_unit_new(path, src, len, s->u->err) : NULL;
    if (h && s->depth < 200) {
        cg_lex(h);
        for (int i = 0; i < h->ntoks; i++) {
            Token *t = &h->toks[i];
            if (t->id == TK_PP) {
                typedef_macro(s, h->src + t->off + 1, h->src + t->off + t->len);
                defined_word(s, h->src + t->off + 1, h->src + t->off + t->len);
                attr_macro(s, h->src + t->off + 1, h->src + t->off + t->len);
            } else if (t->id == TK_IDENT && is_word(s, h->src + t->off, t->len))
                t->id = TK_TYPEDEF;
            else if (t->id == TK_IDENT) {
                word(s, h->src + t->off, t->len);
                awaitable(s, h, i);
            }
        }
        cg_scan_typedefs(h, s->u);
        s->depth++;
        for (int i = 0; i < h->ntoks; i++)
            if (h->toks[i].id == TK_PP) {
                const Token *t = &h->toks[i];
                directive(s, h->src + t->off + 1, h->src + t->off + t->len, path, dir);
            }
        s->depth--;
    }
    cg_unit_free(h);
    free(src);
}

void cg_include_types(Unit *u)
{
    Search s = { .u = u };
    for (int i = 0; i < u->nincdirs; i++)
        push_dir(&s, u->incdirs[i], (int)strlen(u->incdirs[i]));
    const char *from = strcmp(u->path, "<stdin>") ? u->path : "";
    for (int i = 0; i < u->ntoks; i++)
        if (u->toks[i].id == TK_PP) {
            const Token *t = &u->toks[i];
            directive(&s, u->src + t->off + 1, u->src + t->off + t->len, from, -1);
        }
}
