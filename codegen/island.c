/*
 * island.c - the island scanner: finds the cogen forms in a C file.
 *
 * Outside coroutines the translator does not parse C; it walks the tokens
 * tracking brace depth and recognises only the forms of the language:
 * coroutine definitions and prototypes at file scope, and range-fors over
 * generators inside ordinary functions.  Everything else is copied
 * verbatim by the emitter, which is why a file without these forms
 * translates to itself.  The scanner also has the typedef names collected
 * (include.c), which the parser needs to tell declarations from
 * expressions: the file's own always, its headers' once it holds a form.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Scan {
    Unit *u;
    int i;              /* current token                                      */
    Func **tail;        /* where the next Func is linked                      */
    Island **itail;     /* where the next Island is linked                    */
    int headers;        /* the headers' type names have been collected        */
    int typos;          /* the file includes cogen.h: an unknown word before a
                           coroutine's header may be a misspelt keyword     */
    int *conds;         /* conds[i]: conditional directives before token i    */
} Scan;

static int id(Unit *u, int i) { return i >= 0 && i < u->ntoks ? u->toks[i].id : 0; }

/* Pair every ( [ { with its closer, one stack per kind, in one pass:
 * the scanner asks for the match of a bracket many times, and scanning
 * for it each time is quadratic on unbalanced input. */
static void pair_brackets(Unit *u)
{
    static const int opens[3] = {TK_LPAREN, TK_LBRACKET, TK_LBRACE};
    static const int closes[3] = {TK_RPAREN, TK_RBRACKET, TK_RBRACE};
    int *stack = cg_alloc(u, (size_t)(u->ntoks + 1) * sizeof *stack);

    u->pair = cg_alloc(u, (size_t)(u->ntoks + 1) * sizeof *u->pair);
    for (int k = 0; k < 3; k++) {
        int n = 0;
        for (int i = 0; i < u->ntoks; i++) {
            if (id(u, i) == opens[k]) u->pair[i] = u->ntoks, stack[n++] = i;
            else if (id(u, i) == closes[k] && n > 0) u->pair[stack[--n]] = i;
        }
    }
}

/* Index of the token matching the opener at i, or ntoks when unbalanced.
 * Preprocessor lines are opaque tokens, so they never unbalance. */
static int match(Unit *u, int i)
{
    int t = id(u, i);
    if (t != TK_LPAREN && t != TK_LBRACKET && t != TK_LBRACE) return u->ntoks;
    return u->pair[i];
}

/* The parser is about to be needed: from here on every type name in view
 * counts, the headers' too.  Files without cogen forms never read them. */
static void need_types(Scan *s)
{
    if (!s->headers) cg_include_types(s->u);
    s->headers = 1;
}

/* ---- coroutine headers ---------------------------------------------------- */

int cg_storage_word(int t)
{
    return t == TK_STATIC || t == TK_EXTERN || t == TK_INLINE || t == TK_NORETURN;
}

/* Find a coroutine of the given kind by name among those declared before
 * token `before`: its definition if there is one, else a prototype. */
Func *cg_find_func(Unit *u, int name, int before, int kind)
{
    Sym *y = cg_sym(u, name);
    Func *found = NULL;
    for (Func *f = y ? y->coro : NULL; f && f->first < before; f = f->same)
        if (f->kind == kind) found = f->is_proto && found ? found : f;
    return found;
}

Func *cg_find_gen(Unit *u, int name, int before) { return cg_find_func(u, name, before, F_GEN); }

/* Parse `( TYPE [, TYPE] )` at i into f->ytype / f->stype; returns the index
 * after the `)` or -1. */
static int gen_types(Unit *u, Func *f, int i)
{
    int close = match(u, i);
    if (close >= u->ntoks) return -1;
    int comma = -1, depth = 0;
    for (int j = i + 1; j < close; j++) {
        int t = id(u, j);
        if (t == TK_LPAREN || t == TK_LBRACKET) depth++;
        else if (t == TK_RPAREN || t == TK_RBRACKET) depth--;
        else if (t == TK_COMMA && depth == 0) {
            if (comma >= 0) return -1;
            comma = j;
        }
    }
    int yend = comma >= 0 ? comma : close;
    if (yend == i + 1 || (comma >= 0 && close == comma + 1)) return -1;
    f->ytype[0] = i + 1, f->ytype[1] = yend;
    if (comma >= 0) f->stype[0] = comma + 1, f->stype[1] = close;
    return close + 1;
}

/* A name in the type [a, b) where a declarator's would stand (`int foo`,
 * `char *s`, `int v[2]`): after a type and before nothing or `[`.  Its
 * index, or -1.  (A name before `*` may be a macro: `char FAR *`.) */
static int stray_name(Unit *u, int a, int b)
{
    int typed = 0;
    for (int j = a; j < b; j++) {
        int t = id(u, j), prev = j > a ? id(u, j - 1) : 0;
        if (t == TK_IDENT && typed && prev != TK_STRUCT && prev != TK_UNION && prev != TK_ENUM &&
            (j + 1 == b || id(u, j + 1) == TK_LBRACKET))
            return j;
        if (t == TK_IDENT || t == TK_STAR || cg_type_keyword(t)) typed = 1;
        if (t == TK_LPAREN || t == TK_LBRACKET) j = match(u, j);
    }
    return -1;
}

/* Report a name in f's yield or send type, showing the types without it
 * after `word` (generator or async generator). */
static void stray_types(Unit *u, Func *f, const char *word)
{
    int y = stray_name(u, f->ytype[0], f->ytype[1]), st = -1;
    if (f->stype[0]) st = stray_name(u, f->stype[0], f->stype[1]);
    if (y < 0 && st < 0) return;
    int k = y >= 0 ? y : st, *r = y >= 0 ? f->ytype : f->stype;
    const char *types = cg_fmt(u, "%s%s%s", cg_tokens_text(u, r[0], k), k + 1 < r[1] ? " " : "",
                               cg_tokens_text(u, k + 1, r[1]));
    if (f->stype[0])
        types = y >= 0 ? cg_fmt(u, "%s, %s", types, cg_tokens_text(u, f->stype[0], f->stype[1]))
                       : cg_fmt(u, "%s, %s", cg_tokens_text(u, f->ytype[0], f->ytype[1]), types);
    cg_error(u, k, "unexpected name '%.*s' in the %s type: write '%s(%s)'", u->toks[k].len,
             u->src + u->toks[k].off, y >= 0 ? "yield" : "send", word, types);
}

/* Where `generator(` goes wrong: a name followed by `(` inside the type
 * list means its `)` is missing (`generator(int fib(void)`). */
static int bad_type(Unit *u, int open)
{
    int close = match(u, open);
    for (int j = open + 1; j < close && id(u, j) != TK_LBRACE && id(u, j) != TK_SEMI; j++)
        if (id(u, j) == TK_IDENT && id(u, j + 1) == TK_LPAREN) return j;
    if (close >= u->ntoks) return open;
    /* Closed: a type is missing (`generator()`, `(int,)`, `(, int)`) or
     * there is a third one. */
    for (int j = open + 1, comma = 0; j < close; j++) {
        if (id(u, j) == TK_LPAREN || id(u, j) == TK_LBRACKET) j = match(u, j);
        else if (id(u, j) == TK_COMMA && (comma || j == open + 1)) return j;
        else if (id(u, j) == TK_COMMA) comma = j;
    }
    return close;
}

/* A comment left open runs to the end of the file: it is the last token,
 * a TK_OTHER (a lone `/` is TK_SLASH). */
static int open_comment(Unit *u)
{
    int k = u->ntoks - 1;
    return k >= 0 && u->toks[k].id == TK_OTHER && u->src[u->toks[k].off] == '/';
}

/* Report a malformed form at token j and skip past it: to the end of the
 * body when one follows, else past the next `;`. */
static int malformed(Unit *u, int j)
{
    if (j >= u->ntoks && open_comment(u)) return u->ntoks;     /* reported once */
    if (j >= u->ntoks) cg_error(u, u->ntoks - 1, "unexpected end of input");
    else cg_error(u, j, "syntax error before '%.*s'", u->toks[j].len, u->src + u->toks[j].off);
    for (; j < u->ntoks; j++) {
        if (id(u, j) == TK_SEMI) return j + 1;
        if (id(u, j) == TK_LBRACE) return match(u, j) + 1;
    }
    return u->ntoks;
}

/* Count the conditional directives before each token, so that whether
 * two tokens have one between them (pp_between) costs no scan. */
static int *count_conds(Unit *u)
{
    int *c = cg_alloc(u, sizeof *c * (size_t)(u->ntoks + 1));
    for (int i = 0; i < u->ntoks; i++)
        c[i + 1] = c[i] + (id(u, i) == TK_PP && cg_pp_kind(u, i) != 0);
    return c;
}

/* Is there a conditional directive between tokens a and b?  Then both
 * may be alternatives of one #if, at most one of them compiled. */
static int pp_between(Scan *s, int a, int b)
{
    return s->conds[b] > s->conds[a];
}

/* A second body for a coroutine, or a prototype of another kind than an
 * earlier declaration: gcc would name the generated helpers instead. */
static void redefined(Scan *s, Func *f)
{
    Unit *u = s->u;
    const Token *n = &u->toks[f->name];
    Sym *y = cg_sym(u, f->name);
    for (Func *p = y ? y->coro : NULL; p; p = p->same) {
        if (pp_between(s, p->name, f->name)) continue;
        if (p->kind != f->kind) {
            cg_error(u, f->name, "'%.*s' declared as %s, but as %s before", n->len, u->src + n->off,
                     cg_kind_name(f->kind), cg_kind_name(p->kind));
            cg_note(u, p->name, "previous declaration of '%.*s' is here", n->len, u->src + n->off);
            return;
        }
        if (!p->is_proto && !f->is_proto) {
            cg_error(u, f->name, "redefinition of '%.*s'", n->len, u->src + n->off);
            cg_note(u, p->name, "previous definition of '%.*s' is here", n->len, u->src + n->off);
            return;
        }
    }
}

/* A name that may be a macro of a header cogen does not read, standing
 * where C allows one that expands to nothing or to an attribute (`int
 * WINAPI f(void)`, `int __cdecl f(void)`): in capitals or starting `__`,
 * or defined in the file. */
static int maybe_macro(Unit *u, int k)
{
    const char *s = u->src + u->toks[k].off;
    int n = u->toks[k].len, upper = 1;
    for (int i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z') upper = 0;
    return upper || (n > 2 && s[0] == '_' && s[1] == '_') || cg_macro_at(u, s, n, k);
}

/* A coroutine's head from its word w to its name, as it reads without
 * token k (`async int bar` for `async int foo bar`). */
static const char *head_without(Unit *u, int w, int k, int name)
{
    const char *a = cg_tokens_text(u, w, k), *b = cg_tokens_text(u, k + 1, name + 1);
    return cg_fmt(u, "%s%s%s", a, a[strlen(a) - 1] == '*' ? "" : " ", b);
}

/* A storage class at k after the word w, which it goes before
 * (`async static int f`, `generator(int) static g`): reported with
 * the head written right. */
static void late_storage(Unit *u, int w, int k, int name)
{
    const Token *t = &u->toks[k];
    cg_error(u, k, "'%.*s' goes before '%.*s': write '%.*s %s(...)'", t->len, u->src + t->off,
             u->toks[w].len, u->src + u->toks[w].off, t->len, u->src + t->off, head_without(u, w, k, name));
}

/* A storage class or a second name among an async function's return
 * type after the `async` at w: `async static int f()`, `async int foo
 * bar()`.  Reported with the head written right. */
static void stray_return(Unit *u, Func *f, int w)
{
    for (int k = f->rtype[0]; k < f->rtype[1]; k++)
        if (cg_storage_word(id(u, k))) {
            late_storage(u, w, k, f->name);
            return;
        }
    int k = stray_name(u, f->rtype[0], f->rtype[1]);
    if (k < 0 || maybe_macro(u, k)) return;
    const Token *n = &u->toks[f->name];
    cg_error(u, k, "unexpected name '%.*s' in the return type of '%.*s': write '%s(...)'", u->toks[k].len,
             u->src + u->toks[k].off, n->len, u->src + n->off, head_without(u, w, k, f->name));
}

/* Having read the types, expect `NAME ( params )` then `{` or `;`.
 * Returns the index after the form, linking f into the unit. */
static int finish_header(Scan *s, Func *f, int j)
{
    Unit *u = s->u;
    if (cg_storage_word(id(u, j)) && id(u, j + 1) == TK_IDENT && id(u, j + 2) == TK_LPAREN)
        late_storage(u, f->word, j, j + 1), j++;
    if (id(u, j) != TK_IDENT || id(u, j + 1) != TK_LPAREN) return malformed(u, j);
    f->name = j;
    int close = match(u, j + 1);
    if (close >= u->ntoks) return malformed(u, u->ntoks);
    j = close + 1;
    if (id(u, j) == TK_SEMI) f->is_proto = 1, f->last = j;
    else if (id(u, j) == TK_LBRACE) {
        f->last = match(u, j);
        if (f->last >= u->ntoks) return malformed(u, u->ntoks);
    } else return malformed(u, j);
    redefined(s, f);
    *s->tail = f;
    s->tail = &f->next;
    cg_symtab_coro(u, f);
    return f->last + 1;
}

/* Can token id t be part of an async function's return type?  Anything
 * else there is a stray token: `async ) f()`. */
static int type_token(int t)
{
    return cg_type_keyword(t) || cg_storage_word(t) || t == TK_IDENT || t == TK_STAR ||
           t == TK_CONST || t == TK_VOLATILE || t == TK_RESTRICT || t == TK_ATOMIC ||
           t == TK_ATTRIBUTE || t == TK_EXTENSION || t == TK_ALIGNAS;
}

/* `generater(int) f(void)`, `async generater(int) g(void)`: a misspelt
 * generator at w, where C could mean nothing (a call's parentheses, then
 * a function's name and its).  Reported; read as generator. */
static int misspelt_generator(Unit *u, int w)
{
    int close = match(u, w + 1);
    if (id(u, w) != TK_IDENT || id(u, w + 1) != TK_LPAREN || close >= u->ntoks ||
        id(u, close + 1) != TK_IDENT || id(u, close + 2) != TK_LPAREN ||
        !cg_misspelt_call(u, w, "generator"))
        return 0;
    cg_error(u, w, "unknown name '%.*s'; did you mean 'generator'?", u->toks[w].len, u->src + u->toks[w].off);
    return 1;
}

/* Attributes of a call's value: an async generator's call has none
 * (`for await` and `yield from` read it), so before one they are an
 * error, not dropped.  The others go to its init (frame.c). */
static int value_attribute(Unit *u, int k)
{
    static const char *const names[] = { "nodiscard", "warn_unused_result", "malloc", "returns_nonnull",
                                         "alloc_size", "alloc_align", "assume_aligned", "pure", "const" };
    const char *s = u->src + u->toks[k].off;
    int n = u->toks[k].len;
    if (n > 4 && !memcmp(s, "__", 2) && !memcmp(s + n - 2, "__", 2)) s += 2, n -= 4;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if ((int)strlen(names[i]) == n && !memcmp(s, names[i], (size_t)n)) return 1;
    return 0;
}

/* The attribute names among the tokens [from, w) before an async
 * generator's word w (inside `__attribute__((...))` or `[[...]]`, the
 * second level of brackets), checked for value_attribute. */
static void async_gen_attrs(Unit *u, int from, int w)
{
    for (int k = from, depth = 0; k < w; k++) {
        int t = id(u, k);
        depth += (t == TK_LPAREN || t == TK_LBRACKET) - (t == TK_RPAREN || t == TK_RBRACKET);
        if (depth == 2 && (t == TK_IDENT || t == TK_CONST) && id(u, k + 1) != TK_COLON && value_attribute(u, k))
            cg_error(u, k, "'%.*s' does not apply to an async generator: its call has no value, "
                     "'for await' and 'yield from' read it", u->toks[k].len, u->src + u->toks[k].off);
    }
}

/* A form at file scope starting at `start` (storage classes included), with
 * the `generator` or `async` word at w (gen: it is, or stands for,
 * `generator`).  Returns the index after it. */
static int header(Scan *s, int start, int w, int gen)
{
    Unit *u = s->u;
    Func *f = cg_alloc(u, sizeof *f);
    need_types(s);
    f->first = start;
    f->word = w;
    for (int j = start; j < w; j++)
        if (id(u, j) == TK_STATIC) f->is_static = 1;
    if (gen) {
        f->kind = F_GEN;
        int j = gen_types(u, f, w + 1);
        if (j < 0) return malformed(u, bad_type(u, w + 1));
        stray_types(u, f, "generator");
        return finish_header(s, f, j);
    }
    /* async generator(Y) NAME(...) or async TYPE NAME(...) */
    if ((cg_tok_is(u, w + 1, "generator") && id(u, w + 2) == TK_LPAREN) ||
        (s->typos && misspelt_generator(u, w + 1))) {
        f->kind = F_ASYNC_GEN;
        async_gen_attrs(u, start, w);
        int j = gen_types(u, f, w + 2);
        if (j < 0) return malformed(u, bad_type(u, w + 2));
        stray_types(u, f, "async generator");
        return finish_header(s, f, j);
    }
    if (cg_tok_is(u, w + 1, "generator")) return malformed(u, w + 2);
    f->kind = F_ASYNC;
    int j = w + 1;
    while (j < u->ntoks && !(id(u, j) == TK_IDENT && id(u, j + 1) == TK_LPAREN)) {
        if (!type_token(id(u, j))) return malformed(u, j);
        if (id(u, j + 1) == TK_LPAREN && (id(u, j) == TK_ATTRIBUTE || id(u, j) == TK_TYPEOF ||
                                          id(u, j) == TK_ATOMIC || id(u, j) == TK_ALIGNAS))
            j = match(u, j + 1);
        j++;
    }
    if (j == w + 1) return malformed(u, j);
    f->rtype[0] = w + 1, f->rtype[1] = j;
    if (j < u->ntoks) f->name = j, stray_return(u, f, w);
    return finish_header(s, f, j);
}

/* ---- plain functions ------------------------------------------------------- */

/* The return type of the function whose declaration starts at `start`:
 * the tokens before its name, without storage classes. */
static void return_type(Unit *u, int start, Island *is)
{
    int j = start;
    while (id(u, j) == TK_PP) j++;
    is->start = j;
    while (cg_storage_word(id(u, j)) || id(u, j) == TK_PP) j++;
    int b = j;
    while (j < u->ntoks && !(id(u, j) == TK_IDENT && id(u, j + 1) == TK_LPAREN)) j++;
    is->rtype[0] = b, is->rtype[1] = j;
    is->rvoid = j == b + 1 && id(u, b) == TK_VOID;
}

/* `for ( ... : NAME ( ... ) )` with no `;` at the top of the header, NAME a
 * generator known at this point.  Anything else is ordinary C (or C++). */
static int is_rangefor(Unit *u, int i)
{
    int close = match(u, i + 1);
    if (close >= u->ntoks) return 0;
    int colon = -1;
    for (int j = i + 2; j < close; j++) {
        int t = id(u, j);
        if (t == TK_LPAREN || t == TK_LBRACKET || t == TK_LBRACE) j = match(u, j);
        else if (t == TK_SEMI) return 0;
        else if (t == TK_COLON && colon < 0) colon = j;
    }
    if (colon < 0 || id(u, colon + 1) == TK_COLON) return 0;
    /* A C++ range-for (in a header) is left alone: `auto`, references. */
    for (int j = i + 2; j < colon; j++)
        if (cg_tok_is(u, j, "auto") || id(u, j) == TK_AMP || id(u, j) == TK_ANDAND ||
            id(u, j) == TK_COLON)
            return 0;
    /* In a file with coroutines any such header is ours (and reported if
     * malformed); elsewhere only the shape we support, a call. */
    return u->funcs || (id(u, colon + 1) == TK_IDENT && id(u, colon + 2) == TK_LPAREN &&
                        match(u, colon + 2) == close - 1);
}

/* A statement starts after these tokens. */
static int stmt_start(Unit *u, int i)
{
    int t = id(u, i - 1);
    return t == TK_SEMI || t == TK_LBRACE || t == TK_RBRACE || t == TK_COLON ||
           t == TK_ELSE || t == TK_RPAREN || t == TK_PP;
}

/* `int x = NAME(args)`: the specifiers before the declarator name at
 * eq - 1 are arithmetic words from the start of a statement. */
static int declares_number(Unit *u, int eq)
{
    int k = eq - 2;
    if (id(u, eq) != TK_ASSIGN || id(u, eq - 1) != TK_IDENT) return 0;
    while (k >= 0 && cg_arith_word(id(u, k))) k--;
    return k < eq - 2 && stmt_start(u, k + 1);
}

/* A call of the coroutine named at i in plain code, thrown away as a
 * statement or taken as a number: it makes a handle that never runs. */
static void coroutine_call(Unit *u, int i)
{
    int stmt = stmt_start(u, i), number = declares_number(u, i - 1);
    if (!stmt && !number) return;
    Func *g = cg_find_gen(u, i, i);
    if (!g) g = cg_find_func(u, i, i, F_ASYNC);
    if (!g) return;
    int end = match(u, i + 1) + 1, after = id(u, end);
    if (stmt && after == TK_SEMI)
        cg_discarded(u, g, i, end, 0);
    else if (number && (after == TK_SEMI || after == TK_COMMA))
        cg_not_a_number(u, g, i, end, 0);
}

/* Remember the plain function named at `name`, its return type from r0,
 * a definition or (is_proto) a prototype: await and yield from of it can
 * say it is no coroutine. */
static void add_plain(Unit *u, int r0, int name, int is_proto)
{
    Func *p = cg_alloc(u, sizeof *p);
    p->name = name;
    p->is_proto = is_proto;
    p->rtype[0] = r0, p->rtype[1] = name;
    p->next = u->plains;
    u->plains = p;
}

/* `int slow(void);` at file scope, the `(` at i: a plain function's
 * prototype (not a typedef, nor a handle's `co_task *f(void);`, which may
 * be another file's async function). */
static void plain_proto(Unit *u, int start, int i)
{
    int r0 = start, close = match(u, i);
    while (cg_storage_word(id(u, r0))) r0++;
    if (id(u, i - 1) != TK_IDENT || r0 >= i - 1 || id(u, close + 1) != TK_SEMI ||
        (i - 1 - r0 == 2 && cg_tok_is(u, r0, "co_task") && id(u, r0 + 1) == TK_STAR))
        return;
    for (int j = start; j < i; j++)
        if (id(u, j) == TK_TYPEDEF) return;
    add_plain(u, r0, i - 1, 1);
}

/* Inside an ordinary function body from the `{` at i: find range-fors and
 * misplaced forms.  Returns the index after the closing `}`. */
static int plain_body(Scan *s, int start, int i)
{
    Unit *u = s->u;
    int end = match(u, i);
    Island rt;
    return_type(u, start, &rt);
    if (rt.rtype[1] < i) {
        add_plain(u, rt.rtype[0], rt.rtype[1], 0);
        u->plains->first = rt.start;    /* order.c reads the calls it makes */
        u->plains->last = end;
        u->plains->body = NULL;
    }
    for (i++; i < end; i++) {
        int t = id(u, i);
        if (t == TK_FOR && id(u, i + 1) == TK_LPAREN && is_rangefor(u, i)) {
            int after = i + 1;
            Island *is = cg_alloc(u, sizeof *is);
            need_types(s);
            is->loop = cg_parse_rangefor(u, i, &after);
            if (is->loop) {
                return_type(u, start, is);
                *s->itail = is;
                s->itail = &is->next;
            }
            i = (after > i ? after : i + 1) - 1;
        } else if (t == TK_IDENT && stmt_start(u, i) && cg_tok_is(u, i, "yield")) {
            int n = id(u, i + 1);
            if (n == TK_IDENT || n == TK_NUMBER || n == TK_STRING || n == TK_CHARLIT)
                cg_error(u, i, "'yield' outside a generator");
        } else if (t == TK_IDENT && stmt_start(u, i) && cg_tok_is(u, i, "defer") &&
                   (id(u, i + 1) == TK_IDENT || id(u, i + 1) == TK_LBRACE) &&
                   !cg_macro_at(u, "defer", 5, i)) {
            cg_error(u, i, "'defer' outside a coroutine");
        } else if (t == TK_FOR && cg_tok_is(u, i + 1, "await") && id(u, i + 2) == TK_LPAREN && u->funcs) {
            cg_error(u, i, "'for await' outside async code");
        } else if (t == TK_IDENT && stmt_start(u, i) && cg_tok_is(u, i, "co_timeout") &&
                   id(u, i + 1) == TK_LPAREN && id(u, match(u, i + 1) + 1) == TK_LBRACE) {
            cg_error(u, i, "a deadline block 'co_timeout (ms) { ... }' outside async code");
        } else if (t == TK_IDENT && cg_tok_is(u, i, "await") && id(u, i + 1) == TK_IDENT &&
                   id(u, i + 2) == TK_LPAREN) {
            cg_error(u, i, "'await' outside async code");
        } else if (t == TK_IDENT && id(u, i + 1) == TK_LPAREN) {
            coroutine_call(u, i);
        }
    }
    return end + 1;
}

/* ---- the file ---------------------------------------------------------------- */

/* `asnyc int f(...)`: a misspelt async before a return type, where C
 * could mean nothing (a name before a type keyword, before two names, or
 * before `generator`).  Reported; the header is then read as async. */
static int misspelt_async(Unit *u, int i)
{
    int next = id(u, i + 1);
    int shape = (cg_type_keyword(next) && next != TK_TYPENAME) || cg_tok_is(u, i + 1, "generator") ||
                (next == TK_IDENT && (id(u, i + 2) == TK_IDENT || id(u, i + 2) == TK_STAR));
    if (!shape || !cg_misspelt(u, i, "async", 0)) return 0;
    cg_error(u, i, "unknown name '%.*s'; did you mean 'async'?", u->toks[i].len, u->src + u->toks[i].off);
    return 1;
}

/* Does an #include line name cogen.h?  Only in such a file is an unknown
 * word before a return type taken for a misspelt async: elsewhere it may
 * be a macro of a header cogen does not read, and plain C must come out
 * as it went in. */
static int contains(const char *s, int n, const char *word)
{
    int w = (int)strlen(word);
    for (int i = 0; i + w <= n; i++)
        if (!memcmp(s + i, word, (size_t)w)) return 1;
    return 0;
}

static int includes_cogen(Unit *u)
{
    for (int i = 0; i < u->ntoks; i++) {
        const Token *t = &u->toks[i];
        if (t->id == TK_PP && contains(u->src + t->off, t->len, "include") &&
            contains(u->src + t->off, t->len, "cogen.h"))
            return 1;
    }
    return 0;
}

/* Past the storage classes and attributes from `start` (`static`,
 * `__attribute__((unused))`, `[[nodiscard]]`), up to at most i. */
static int lead(Unit *u, int start, int i)
{
    int w = start;
    while (w < i) {
        if (cg_storage_word(id(u, w))) w++;
        else if (id(u, w) == TK_ATTRIBUTE && id(u, w + 1) == TK_LPAREN) w = match(u, w + 1) + 1;
        else if (id(u, w) == TK_LBRACKET && id(u, w + 1) == TK_LBRACKET) w = match(u, w) + 1;
        else break;
    }
    return w;
}

void cg_island(Unit *u)
{
    if (open_comment(u)) cg_error(u, u->ntoks - 1, "unterminated comment");
    cg_scan_typedefs(u, u);
    pair_brackets(u);
    Scan s = { u, 0, &u->funcs, &u->islands, 0, includes_cogen(u), count_conds(u) };
    int start = 0;          /* first token of the current file-scope declaration */
    int i = 0;
    while (i < u->ntoks) {
        int t = id(u, i);
        if (t == TK_PP) { i++; start = i; continue; }
        if (t == TK_SEMI) { i++; start = i; continue; }
        int w = lead(u, start, i);
        if (w == i && t == TK_IDENT && (cg_tok_is(u, i, "generator") || cg_tok_is(u, i, "async")) &&
            (id(u, i + 1) == TK_LPAREN || cg_tok_is(u, i, "async")) &&
            !(cg_tok_is(u, i, "async") && (id(u, i + 1) == TK_ASSIGN || id(u, i + 1) == TK_SEMI ||
                                          id(u, i + 1) == TK_LPAREN || id(u, i + 1) == TK_COMMA ||
                                          id(u, i + 1) == TK_LBRACKET))) {
            i = header(&s, start, i, cg_tok_is(u, i, "generator"));
            start = i;
            continue;
        }
        int gen = 0;
        if (s.typos && w == i && (misspelt_async(u, i) || (gen = misspelt_generator(u, i)))) {
            i = header(&s, start, i, gen);
            start = i;
            continue;
        }
        if (t == TK_LBRACE) {
            if (id(u, i - 1) == TK_RPAREN) {    /* a function body */
                i = plain_body(&s, start, i);
                start = i;
            } else i = match(u, i) + 1;          /* struct body or initializer */
            continue;
        }
        if (t == TK_LPAREN) plain_proto(u, start, i);
        if (t == TK_LPAREN || t == TK_LBRACKET) { i = match(u, i) + 1; continue; }
        i++;
    }
}
