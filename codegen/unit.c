/*
 * unit.c - the translation unit: its arena, its diagnostics and the set of
 * names known to be types.
 *
 * Everything the translator allocates for one input lives in the unit's
 * arena and is released at once by cg_unit_free, so no pass frees anything.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

/* ---- arena ------------------------------------------------------------- */

struct Arena {
    Arena *next;
    size_t used, size;
    _Alignas(16) char data[];
};

void *cg_alloc(Unit *u, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    Arena *a = u->arena;
    if (!a || a->used + n > a->size) {
        size_t size = n > 65536 ? n : 65536;
        a = malloc(sizeof *a + size);
        if (!a) {
            fprintf(stderr, "cogen: out of memory\n");
            exit(1);
        }
        a->next = u->arena;
        a->used = 0;
        a->size = size;
        u->arena = a;
    }
    void *p = a->data + a->used;
    a->used += n;
    memset(p, 0, n);
    return p;
}

char *cg_strdup(Unit *u, const char *s, int n)
{
    char *p = cg_alloc(u, (size_t)n + 1);
    memcpy(p, s, (size_t)n);
    p[n] = 0;
    return p;
}

char *cg_fmt(Unit *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = cg_alloc(u, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

/* ---- diagnostics --------------------------------------------------------- */

/* Diagnostics are kept and printed in source order when the unit is
 * done, whatever order the passes found them in. */
typedef struct Diag {
    int off, seq;
    char *text;
} Diag;

struct Diags {
    Diag *v;
    int n, cap;
};

/* Of a source line longer than this, a diagnostic shows this many bytes
 * on each side of the caret, with "..." for the rest: a file of one huge
 * line (minified or generated C) would otherwise print the whole line for
 * every diagnostic, output and time quadratic in its length. */
enum { SHOW = 256 };

static int utf8_tail(char c) { return ((unsigned char)c & 0xC0) == 0x80; }

/* A position in the source: byte offset and 1-based line and column. */
typedef struct Place { int off, line, col; } Place;

/* Format `file:line:col: KIND: message`, the source line and a caret at
 * the place, as gcc's classic format does.  The caret line has a blank per
 * character (a UTF-8 sequence is one) and keeps the line's tabs, so the
 * caret lines up in any tab width. */
static char *format(Unit *u, Place at, const char *kind, const char *fmt, va_list ap)
{
    int off = at.off, start = off - (at.col - 1), bol = start, eol = off;
    va_list aq;
    va_copy(aq, ap);
    int mlen = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    char *msg = cg_alloc(u, (size_t)mlen + 1);
    vsnprintf(msg, (size_t)mlen + 1, fmt, ap);
    if (off - start > SHOW) {
        bol = off - SHOW;
        while (bol < off && utf8_tail(u->src[bol])) bol++;
    }
    while (eol < u->len && u->src[eol] != '\n' && eol - off < SHOW) eol++;
    int cut = eol < u->len && u->src[eol] != '\n';
    while (cut && eol > off && utf8_tail(u->src[eol])) eol--;
    if (!cut && eol > bol && u->src[eol - 1] == '\r') eol--;
    const char *pre = bol > start ? "..." : "", *post = cut ? "..." : "";
    char *caret = cg_alloc(u, strlen(pre) + (size_t)(off - bol) + 2), *c = caret;
    for (const char *p = pre; *p; p++) *c++ = ' ';
    for (int i = bol; i < off; i++)
        if (!utf8_tail(u->src[i])) *c++ = u->src[i] == '\t' ? '\t' : ' ';
    *c = '^';
    return cg_fmt(u, "%s:%d:%d: %s: %s\n%s%.*s%s\n%s\n", u->path, at.line, at.col, kind, msg,
                  pre, eol - bol, u->src + bol, post, caret);
}

/* Where a diagnostic at token tok points: its first byte, or with `after`
 * the byte after it (gcc's place for "expected ';'"). */
static Place place(Unit *u, int tok, int after)
{
    if (tok < 0) tok = 0;
    if (tok > u->ntoks) tok = u->ntoks;
    const Token *t = &u->toks[tok];
    Place p = { t->off, t->line, t->col };
    for (int i = t->off; after && i < t->off + t->len; i++, p.off++)
        if (u->src[i] == '\n') p.line++, p.col = 1;
        else p.col++;
    return p;
}

static void report(Unit *u, int tok, int after, const char *kind, const char *fmt, va_list ap)
{
    Place at = place(u, tok, after);
    struct Diags *d = u->diags;
    if (!d) d = u->diags = cg_alloc(u, sizeof *d);
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        Diag *v = cg_alloc(u, sizeof *v * (size_t)d->cap);
        if (d->n) memcpy(v, d->v, sizeof *v * (size_t)d->n);
        d->v = v;
    }
    d->v[d->n].off = at.off;
    d->v[d->n].seq = d->n;
    d->v[d->n].text = format(u, at, kind, fmt, ap);
    d->n++;
}

static int by_place(const void *a, const void *b)
{
    const Diag *x = a, *y = b;
    return x->off != y->off ? (x->off > y->off) - (x->off < y->off) : x->seq - y->seq;
}

void cg_diag_flush(Unit *u)
{
    struct Diags *d = u->diags;
    if (!d) return;
    qsort(d->v, (size_t)d->n, sizeof *d->v, by_place);
    for (int i = 0; i < d->n; i++) fputs(d->v[i].text, u->err);
    d->n = 0;
}

void cg_error(Unit *u, int tok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(u, tok, 0, "error", fmt, ap);
    va_end(ap);
    u->nerrors++;
}

void cg_error_after(Unit *u, int tok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(u, tok, 1, "error", fmt, ap);
    va_end(ap);
    u->nerrors++;
}

/* A note belongs to the diagnostic before it: printed right after it,
 * wherever the note points. */
void cg_note(Unit *u, int tok, const char *fmt, ...)
{
    struct Diags *d = u->diags;
    if (!d || !d->n) return;
    va_list ap;
    va_start(ap, fmt);
    char *note = format(u, place(u, tok, 0), "note", fmt, ap);
    va_end(ap);
    d->v[d->n - 1].text = cg_fmt(u, "%s%s", d->v[d->n - 1].text, note);
}

void cg_warn(Unit *u, int tok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(u, tok, 0, u->werror ? "error" : "warning", fmt, ap);
    va_end(ap);
    if (u->werror) u->nerrors++;
    else u->nwarnings++;
}

/* ---- tokens and type names ------------------------------------------------ */

int cg_tok_is(Unit *u, int tok, const char *text)
{
    if (tok < 0 || tok >= u->ntoks) return 0;
    const Token *t = &u->toks[tok];
    return (int)strlen(text) == t->len && !memcmp(u->src + t->off, text, (size_t)t->len);
}

int cg_ident_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
int cg_ident_char(int c) { return cg_ident_start(c) || (c >= '0' && c <= '9'); }

const char *cg_pp_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || (*p == '\\' && p + 1 < end && p[1] == '\n')))
        p += *p == '\\' ? 2 : 1;
    return p;
}

int cg_chan_type_word(Unit *u, int tok)
{
    return cg_tok_is(u, tok, "co_chan_of") || cg_tok_is(u, tok, "co_chan_send_of") ||
           cg_tok_is(u, tok, "co_chan_recv_of");
}

const char *cg_tok_unterminated(Unit *u, int tok)
{
    if (tok < 0 || tok >= u->ntoks || u->toks[tok].id != TK_OTHER) return NULL;
    const char *p = u->src + u->toks[tok].off;
    if (p[0] == '/' && p[1] == '*') return "unterminated comment";
    for (int i = 0; i < 2 && *p && strchr("LuU8", *p); i++) p++;     /* an encoding prefix */
    if (*p == '"') return "missing terminating \" character";
    if (*p == '\'') return "missing terminating ' character";
    return NULL;
}

int cg_pp_kind(Unit *u, int tok)
{
    const char *p = u->src + u->toks[tok].off + 1, *end = u->src + u->toks[tok].off + u->toks[tok].len;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    size_t n = (size_t)(end - p);
    if (n >= 2 && !strncmp(p, "if", 2)) return 'i';
    if (n >= 4 && !strncmp(p, "elif", 4)) return 'e';
    if (n >= 4 && !strncmp(p, "else", 4)) return 'l';
    if (n >= 5 && !strncmp(p, "endif", 5)) return 'n';
    return 0;
}

const char *cg_pp_name(Unit *u, int tok)
{
    const char *p = u->src + u->toks[tok].off + 1, *end = u->src + u->toks[tok].off + u->toks[tok].len;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    const char *w = p;
    while (p < end && ((*p >= 'a' && *p <= 'z') || *p == '_')) p++;
    if (!cg_pp_kind(u, tok)) {      /* the name it defines, the pragma's kind */
        while (p < end && (*p == ' ' || *p == '\t')) p++;
        while (p < end && *p != ' ' && *p != '\t' && *p != '(' && *p != '\n') p++;
    }
    return cg_fmt(u, "#%.*s", (int)(p - w), w);
}

/* ---- maps from names ------------------------------------------------------ */

unsigned cg_hash(const char *s, int n)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

/* Open addressing, at most half full, grown by doubling. */
static int find(const Map *m, const char *s, int n)
{
    unsigned i = cg_hash(s, n) & (unsigned)(m->cap - 1);
    while (m->keys[i] && !(m->lens[i] == n && !memcmp(m->keys[i], s, (size_t)n)))
        i = (i + 1) & (unsigned)(m->cap - 1);
    return (int)i;
}

static void grow(Unit *u, Map *m)
{
    Map old = *m;
    m->cap = old.cap ? old.cap * 2 : 64;
    m->keys = cg_alloc(u, sizeof *m->keys * (size_t)m->cap);
    m->lens = cg_alloc(u, sizeof *m->lens * (size_t)m->cap);
    m->vals = cg_alloc(u, sizeof *m->vals * (size_t)m->cap);
    for (int i = 0; i < old.cap; i++)
        if (old.keys[i]) {
            int j = find(m, old.keys[i], old.lens[i]);
            m->keys[j] = old.keys[i], m->lens[j] = old.lens[i], m->vals[j] = old.vals[i];
        }
}

void **cg_map_slot(Unit *u, Map *m, const char *key, int len)
{
    if (2 * (m->count + 1) > m->cap) grow(u, m);
    int i = find(m, key, len);
    if (!m->keys[i]) {
        m->keys[i] = key, m->lens[i] = len;
        m->count++;
    }
    return &m->vals[i];
}

void *cg_map_get(const Map *m, const char *key, int len)
{
    return m->cap ? m->vals[find(m, key, len)] : NULL;
}

/* base, or base__2, base__3... when that is in `taken`; the result goes
 * into `taken`.  Each name keeps the suffix it got to (an int *), so that
 * many of one name cost no more than as many names. */
const char *cg_unique(Unit *u, Map *taken, const char *base)
{
    const char *name = base;
    int *next = cg_map_get(taken, base, (int)strlen(base));
    while (next && cg_map_get(taken, name, (int)strlen(name)))
        name = cg_fmt(u, "%s__%d", base, (*next)++);
    next = cg_alloc(u, sizeof *next);
    *next = 2;
    *cg_map_slot(u, taken, name, (int)strlen(name)) = next;
    return name;
}

/* Type names map to themselves. */
int cg_typedef_add(Unit *u, const char *name, int len)
{
    void **v = cg_map_slot(u, &u->types, name, len);
    if (*v) return 0;
    *v = (void *)name;
    return 1;
}

int cg_is_typename(Unit *u, const char *name, int len)
{
    return cg_map_get(&u->types, name, len) != NULL;
}

/* Type names that stand for arrays: a variable of one is no value that
 * assignment copies. */
void cg_array_type_add(Unit *u, const char *name, int len)
{
    *cg_map_slot(u, &u->array_types, name, len) = (void *)name;
}

int cg_is_array_type(Unit *u, const char *name, int len)
{
    return cg_map_get(&u->array_types, name, len) != NULL;
}

/* Names every C program may use as types without a typedef in view:
 * the standard headers' and the runtime's.  Anything else comes from the
 * file's own typedefs or from the shape of a declaration. */
static const char *std_types[] = {
    "size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t", "intmax_t",
    "uintmax_t", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t",
    "uint16_t", "uint32_t", "uint64_t", "int_least8_t", "int_least16_t",
    "int_least32_t", "int_least64_t", "uint_least8_t", "uint_least16_t",
    "uint_least32_t", "uint_least64_t", "int_fast8_t", "int_fast16_t",
    "int_fast32_t", "int_fast64_t", "uint_fast8_t", "uint_fast16_t",
    "uint_fast32_t", "uint_fast64_t", "max_align_t", "wchar_t", "wint_t",
    "char16_t", "char32_t", "bool", "FILE", "fpos_t", "va_list", "off_t",
    "pid_t", "uid_t", "gid_t", "mode_t", "time_t", "clock_t", "suseconds_t",
    "sig_atomic_t", "socklen_t", "jmp_buf", "div_t", "ldiv_t", "lldiv_t",
    "mbstate_t", "locale_t", "pthread_t", "pthread_mutex_t",
    "pthread_cond_t", "pthread_attr_t", "atomic_int", "atomic_long",
    "atomic_bool", "atomic_size_t", "atomic_uint", "atomic_ulong",
    "co_gen", "co_gen_vt", "co_task", "co_chan", "co_loop", "co_coro_vt", "co_case",
    "co_timer", "co_mutex", "co_sem", "co_event", "co_cond", "co_barrier", "co_wg",
};

/* Those of them, and the compiler's own, that are arrays. */
static const char *std_array_types[] = {
    "va_list", "jmp_buf", "sigjmp_buf", "__builtin_va_list", "__gnuc_va_list", "__jmp_buf",
};

Unit *cg_unit_new(const char *path, const char *src, int len, FILE *err)
{
    Unit *u = calloc(1, sizeof *u);
    if (!u) return NULL;
    u->path = path;
    u->src = src;
    u->len = len;
    u->err = err;
    for (size_t i = 0; i < sizeof std_types / sizeof *std_types; i++)
        cg_typedef_add(u, std_types[i], (int)strlen(std_types[i]));
    for (size_t i = 0; i < sizeof std_array_types / sizeof *std_array_types; i++)
        cg_array_type_add(u, std_array_types[i], (int)strlen(std_array_types[i]));
    return u;
}

void cg_unit_free(Unit *u)
{
    if (!u) return;
    while (u->arena) {
        Arena *next = u->arena->next;
        free(u->arena);
        u->arena = next;
    }
    free(u->toks);
    free(u);
}

char *cg_slurp(FILE *f, int *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *p = realloc(buf, cap *= 2);
        if (!p) free(buf);
        buf = p;
    }
    if (!buf || ferror(f) || n > 0x7fffffff) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = (int)n;
    return buf;
}
