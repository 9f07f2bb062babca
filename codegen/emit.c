/*
 * emit.c - writes the C: verbatim text outside the forms, state machines
 * for coroutines, loops for range-fors.
 *
 * User code is printed as its own source text (so formatting and comments
 * survive), with the substitutions the passes attached to tokens; only the
 * forms are replaced by generated text.  Every piece of output knows the
 * .co line it comes from, and a #line directive is written whenever the
 * next output line would otherwise be attributed to the wrong line, so
 * compiler errors, gdb and sanitizers point into the .co file.  The
 * emitter makes no decisions: what to hoist, which state is which and
 * which cleanups run where were settled by the passes.
 */
#include <stdarg.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Out {
    FILE *fp;
    Unit *u;
    int lines;          /* emit #line directives                              */
    int bol;            /* at the beginning of an output line                 */
    int loose;          /* boilerplate: no #line needed for what follows      */
    int line;           /* .co line the current output line maps to          */
    int *starts;        /* offsets of the source's line starts               */
    int nstarts;
    Func *f;            /* coroutine being written, NULL outside             */
} Out;

/* ---- output with line mapping ------------------------------------------------- */

static int line_at(Out *o, int off)
{
    int lo = 0, hi = o->nstarts - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (o->starts[mid] <= off) lo = mid;
        else hi = mid - 1;
    }
    return lo + 1;
}

static void directive(Out *o, int line)
{
    fprintf(o->fp, "#line %d \"", line);
    for (const char *p = o->u->path; *p; p++) {
        if (*p == '"' || *p == '\\') fputc('\\', o->fp);
        fputc(*p, o->fp);
    }
    fputs("\"\n", o->fp);
    o->line = line;
}

/* Write n bytes of s whose first byte belongs to .co line `line`. */
static void put(Out *o, const char *s, int n, int line)
{
    for (int i = 0; i < n; i++) {
        if (o->bol && o->lines && !o->loose && o->line != line) directive(o, line);
        fputc(s[i], o->fp);
        o->bol = s[i] == '\n';
        if (o->bol) o->line++, line++;
    }
}

/* Generated text, attributed to the line of token `tok`. */
static void gen(Out *o, int tok, const char *s)
{
    put(o, s, (int)strlen(s), o->u->toks[tok].line);
}

static void genf(Out *o, int tok, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    put(o, buf, n, o->u->toks[tok].line);
}

/* Raw source bytes [from, to). */
static void raw(Out *o, int from, int to)
{
    if (to > from) put(o, o->u->src + from, to - from, line_at(o, from));
}

static int tok_end(Unit *u, int i) { return u->toks[i].off + u->toks[i].len; }

/* The gap (whitespace, comments) before token i. */
static void gap(Out *o, int i)
{
    if (i > 0) raw(o, tok_end(o->u, i - 1), o->u->toks[i].off);
}

/* Tokens [a, b) with the gaps between them, substitutions applied; the
 * tokens of `hole` (if any) print as `text`. */
static const char *susp_value(Out *o, Node *y);

/* The suspension point of `chain` (a statement's, linked by snext) whose
 * tokens start at i and end by b: the outermost, when they nest. */
static Node *hole_at(Node *chain, int i, int b)
{
    Node *best = NULL;
    for (Node *h = chain; h; h = h->snext)
        if (h->first == i && h->end <= b && (!best || h->end > best->end)) best = h;
    return best;
}

/* Tokens [a, b) with the gaps between them, substitutions applied; a
 * suspension point of `chain` prints as its value. */
static void toks(Out *o, int a, int b, Node *chain)
{
    Unit *u = o->u;
    for (int i = a; i < b; i++) {
        if (i > a) gap(o, i);
        const Token *t = &u->toks[i];
        Node *h = chain ? hole_at(chain, i, b) : NULL;
        if (h && h->kind == N_COMMA) {      /* `a, b`: a ran before */
            toks(o, h->b->first, h->b->end, h->susp);
            i = h->end - 1;
        } else if (h && h->kind == N_COND) {    /* the branch being printed */
            Node *br = h->flags & NF_ELSE ? h->c : h->b;
            toks(o, br->first, br->end, h->flags & NF_ELSE ? h->susp2 : h->susp);
            i = h->end - 1;
        } else if (h) {
            const char *v = susp_value(o, h);
            put(o, v, (int)strlen(v), t->line);
            i = h->end - 1;
        } else if (t->subst) put(o, t->subst, (int)strlen(t->subst), t->line);
        else put(o, u->src + t->off, t->len, t->line);
    }
}

/* A node's own source text. */
static void text(Out *o, Node *n) { toks(o, n->first, n->end, NULL); }

/* The `{ … }` of a struct/union/enum body in a declaration's specifiers
 * whose type moved to file scope: [*lb, *rb], or 0 when there is none. */
static int moved_body(Unit *u, Node *d, int *lb, int *rb)
{
    if (!d || !(d->flags & NF_HOIST)) return 0;
    for (int i = d->spec[0]; i < d->spec[1]; i++)
        if (u->toks[i].id == TK_LBRACE) {
            int depth = 0;
            for (*lb = i; i < d->spec[1]; i++) {
                depth += u->toks[i].id == TK_LBRACE;
                if (u->toks[i].id == TK_RBRACE && --depth == 0) break;
            }
            *rb = i;
            return 1;
        }
    return 0;
}

/* A declaration's specifiers; a moved type body is left out (its tag, or
 * the one given to an anonymous type, names it). */
static void specs(Out *o, Node *d)
{
    int lb, rb;
    if (!moved_body(o->u, d, &lb, &rb)) {
        toks(o, d->spec[0], d->spec[1], NULL);
        return;
    }
    toks(o, d->spec[0], lb, NULL);
    if (d->field) genf(o, lb, " %s", d->field);
    if (rb + 1 < d->spec[1]) {
        gen(o, rb, " ");
        toks(o, rb + 1, d->spec[1], NULL);
    }
}

/* ---- statements ------------------------------------------------------------------- */

static void stmt(Out *o, Node *n);
static void cleanups(Out *o, Cleanup *from, Cleanup *to);

static const char *fp(Out *o) { return o->f && o->f->kind != F_PLAIN ? o->f->fp : ""; }

/* The frame of a sub-generator: a field of ours, or a local of the loop. */
static const char *sub(Out *o, Node *n)
{
    return n->flags & NF_HOIST ? cg_fmt(o->u, "%s->%s", fp(o), n->field) : n->field;
}

static const char *name(Out *o, Func *f)
{
    const Token *t = &o->u->toks[f->name];
    return cg_strdup(o->u, o->u->src + t->off, t->len);
}

/* The coroutine a range-for, yield-from or await calls. */
/* The call an await resumes: `NAME(args)`, or co_timeout's inner one. */
static Node *await_call(Node *n)
{
    Node *c = n->a;
    while (c->kind == N_PAREN) c = c->a;
    if (n->flags & NF_TIMEOUT) {
        c = c->b->next;
        while (c->kind == N_PAREN) c = c->a;
    }
    return c;
}

static const char *gname(Out *o, Node *n)
{
    if (n->kind == N_AWAIT) {
        const Token *t = &o->u->toks[await_call(n)->a->first];
        return cg_strdup(o->u, o->u->src + t->off, t->len);
    }
    return name(o, n->callee);
}

static int is_async(const Func *f) { return f && (f->kind == F_ASYNC || f->kind == F_ASYNC_GEN); }

/* Frame functions of a non-static async function are external, so other
 * files can embed its frame (through the header --header writes). */
static const char *linkage(const Func *f)
{
    return f->kind == F_ASYNC && !f->is_static ? "" : "static inline ";
}

static int has_type(Unit *u, const int r[2])
{
    return r[1] > r[0] && !(r[1] == r[0] + 1 && u->toks[r[0]].id == TK_VOID);
}

/* Print a statement with some of its sub-statements replaced by their own
 * emission: text up to each kid, the kid, then the rest. */
static void splice(Out *o, Node *n, Node **kids, int nk, Node *chain)
{
    int at = n->first;
    for (int k = 0; k < nk; k++) {
        if (!kids[k]) continue;
        toks(o, at, kids[k]->first, chain);
        if (kids[k]->first > at) gap(o, kids[k]->first);
        stmt(o, kids[k]);
        at = kids[k]->end;
        if (at < n->end) gap(o, at);
    }
    toks(o, at, n->end, chain);
}

/* The code that suspends at yield y: store the value, record the state,
 * return, and the label where resuming continues. */
static void await_code(Out *o, Node *n, Node *chain);

static void suspend(Out *o, Node *y, Node *chain)
{
    if (y->kind == N_AWAIT) {
        await_code(o, y, chain);
        return;
    }
    if (y->a) {
        genf(o, y->first, "%s->co_value = ", fp(o));
        text(o, y->a);
        gen(o, y->first, "; ");
    }
    genf(o, y->first, "%s->co_state = %d; return %s; co_y%d:;", fp(o), y->state,
         is_async(o->f) ? "CO_YIELD" : "1", y->state);
}

/* Every suspension point of a statement, in order, before it.  For
 * `a && b` (`||`) whose b suspends: `t = !!(a); if (t) { b's points;
 * t = !!(b); }`; for `a, b`: `(void)(a);` then b's points. */
static void suspend_all(Out *o, Node *chain)
{
    const char *p = fp(o);
    for (Node *h = chain; h && h->kind != N_COND; h = h->snext) {
        if (h->kind == N_COMMA) {
            gen(o, h->first, "(void)(");
            toks(o, h->a->first, h->a->end, chain);
            gen(o, h->first, "); ");
            suspend_all(o, h->susp);
        } else if (h->kind == N_BINARY) {
            genf(o, h->first, "%s->%s = !!(", p, h->field);
            toks(o, h->a->first, h->a->end, chain);
            genf(o, h->first, "); if (%s%s->%s) { ", cg_tok_is(o->u, h->op, "||") ? "!" : "", p, h->field);
            suspend_all(o, h->susp);
            genf(o, h->first, "%s->%s = !!(", p, h->field);
            toks(o, h->b->first, h->b->end, h->susp);
            gen(o, h->first, "); } ");
        } else {
            suspend(o, h, chain);
            gen(o, h->first, " ");
        }
    }
}

/* A statement whose last suspension is a ?: with awaits in its branches
 * is printed once per branch: `if (c) { b's points; S[b] } else { e's
 * points; S[e] }`.  Returns 0 when there is no such ?:. */
static int cond_split(Out *o, Node *n, void (*print)(Out *, Node *))
{
    Node *h = n->susp;
    while (h && h->snext) h = h->snext;
    if (!h || h->kind != N_COND) return 0;
    gen(o, n->first, "{ ");
    suspend_all(o, n->susp);
    gen(o, n->first, "if (");
    toks(o, h->a->first, h->a->end, n->susp);
    gen(o, n->first, ") { ");
    h->flags &= ~NF_ELSE;
    suspend_all(o, h->susp);
    print(o, n);
    gen(o, n->first, " } else { ");
    h->flags |= NF_ELSE;
    suspend_all(o, h->susp2);
    print(o, n);
    gen(o, n->first, " } }");
    return 1;
}

/* What a suspension point gives the statement it is in: the sent value of
 * a yield, the result of an await. */
static const char *susp_value(Out *o, Node *y)
{
    if (y->kind == N_YIELD) return cg_fmt(o->u, "%s->co_sent", fp(o));
    if (y->kind == N_BINARY) return cg_fmt(o->u, "%s->%s", fp(o), y->field);
    if (y->flags & NF_HANDLE) return cg_fmt(o->u, "co_r%d", y->state);
    return cg_fmt(o->u, "%s.co_result", sub(o, y));
}

/* Where a task waits, for deadlock reports: "file.co:line". */
static void where(Out *o, int tok)
{
    gen(o, tok, "if (!co_t->co_where) co_t->co_where = \"");
    for (const char *p = o->u->path; *p; p++)
        genf(o, tok, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
    genf(o, tok, ":%d\"; ", o->u->toks[tok].line);
}

/* The suspension: resume the awaited frame until it is done; a pending
 * one returns, to come back to the label.  A boxed frame (recursion) is
 * allocated here and freed once its result is copied out; when memory
 * runs out the task is cancelled. */
/* `await co_timeout(ms, NAME(args))`: the inner frame is resumed first,
 * so that when both happen the operation wins; a fired timer closes it. */
static void timeout_code(Out *o, Node *n, Node *chain)
{
    Node *call = await_call(n), *ms = n->a;
    while (ms->kind == N_PAREN) ms = ms->a;
    ms = ms->b;
    const char *g = gname(o, n), *fr = sub(o, n), *p = fp(o);
    int k = n->state, a0 = call->a->end + 1, a1 = call->end - 1;
    int res = !n->callee || has_type(o->u, n->callee->rtype);
    genf(o, n->first, "%s__init(&%s.co_in%s", g, fr, a1 > a0 ? ", " : "");
    toks(o, a0, a1, chain);
    genf(o, n->first, "); if ((%s.co_result = co_timer_start(&%s.co_tm, ", fr, fr);
    toks(o, ms->first, ms->end, chain);
    genf(o, n->first, ", co_t)) < 0) %s__close(&%s.co_in); else { co_a%d: ", g, fr, k);
    genf(o, n->first, "if (%s__resume(&%s.co_in, co_t) == CO_DONE) { co_timer_stop(&%s.co_tm); %s.co_result = %s; } ",
         g, fr, fr, fr, res ? cg_fmt(o->u, "%s.co_in.co_result", fr) : "0");
    genf(o, n->first, "else if (co_timer_fired(&%s.co_tm)) { %s__close(&%s.co_in); %s.co_result = -ETIMEDOUT; } ",
         fr, g, fr, fr);
    genf(o, n->first, "else { %s->co_state = %d; ", p, k);
    where(o, n->first);
    gen(o, n->first, "return CO_PENDING; } }");
}

static void await_code(Out *o, Node *n, Node *chain)
{
    if (n->flags & NF_TIMEOUT) {
        timeout_code(o, n, chain);
        return;
    }
    Node *call = await_call(n);
    const char *g = gname(o, n), *fr = sub(o, n), *p = fp(o);
    int k = n->state, a0 = call->a->end + 1, a1 = call->end - 1, boxed = n->flags & NF_HANDLE;
    const char *ref = boxed ? fr : cg_fmt(o->u, "&%s", fr);
    if (boxed)
        genf(o, n->first, "if (!(%s = co_alloc(sizeof *%s))) { co_cancel(co_t); %s->co_state = %d; return CO_PENDING; } ",
             fr, fr, p, k);
    genf(o, n->first, "%s__init(%s%s", g, ref, a1 > a0 ? ", " : "");
    toks(o, a0, a1, chain);     /* awaits in the arguments ran before */
    genf(o, n->first, "); co_a%d: if (%s__resume(%s, co_t) == CO_PENDING) { %s->co_state = %d; ", k, g, ref, p, k);
    where(o, n->first);
    gen(o, n->first, "return CO_PENDING; }");
    if (boxed) {
        if (has_type(o->u, n->callee->rtype)) {
            gen(o, n->first, " ");
            toks(o, n->callee->rtype[0], n->callee->rtype[1], NULL);
            genf(o, n->first, " co_r%d = %s->co_result;", k, fr);
        }
        genf(o, n->first, " co_free(%s); %s = NULL;", fr, fr);
    }
}

/* A block's items, then (on the line of its `}`, so no statement seems
 * to belong to a preceding unbraced loop) the cleanups of its defers. */
static void block_items(Out *o, Node *n)
{
    for (Node *i = n->a; i; i = i->next) {
        gap(o, i->first);
        stmt(o, i);
    }
    gap(o, n->end - 1);
    Node *last = n->a;
    while (last && last->next) last = last->next;
    int jumps = last && (last->kind == N_BREAK || last->kind == N_CONTINUE ||
                         last->kind == N_RETURN || last->kind == N_GOTO);
    if (n->cl[0] != n->cl[1] && !jumps) cleanups(o, n->cl[0], n->cl[1]);
}

/* A declaration whose variables live in the frame becomes assignments. */
static void hoisted_decl(Out *o, Node *d, Node *from, Node *to)
{
    const char *sep = "";
    for (Node *v = from; v != to; v = v->next) {
        if (!v->a) continue;
        gen(o, v->first, sep);
        const char *lhs = cg_fmt(o->u, "%s->%s", fp(o), v->field);
        if ((v->flags & NF_ARRAY) || v->a->kind == N_INIT_LIST) {
            /* Arrays and brace initializers: through a compound literal. */
            int arr = (v->flags & NF_ARRAY) != 0;
            genf(o, v->first, arr ? "memcpy(&%s, &(" : "%s = (", lhs);
            specs(o, d);
            if (v->dcl[1] - v->dcl[0] > 1) gen(o, v->first, " ");
            for (int i = v->dcl[0]; i < v->dcl[1]; i++)
                if (i != v->name) {
                    if (i > v->dcl[0] && i - 1 != v->name) gap(o, i);
                    put(o, o->u->src + o->u->toks[i].off, o->u->toks[i].len, o->u->toks[i].line);
                }
            gen(o, v->first, v->a->kind == N_INIT_LIST ? ")" : "){");
            toks(o, v->a->first, v->a->end, d->susp);
            if (v->a->kind != N_INIT_LIST) gen(o, v->first, "}");
            if (arr) genf(o, v->first, ", sizeof %s)", lhs);
        } else {
            genf(o, v->first, "%s = ", lhs);
            toks(o, v->a->first, v->a->end, d->susp);
        }
        sep = ", ";
    }
    gen(o, d->first, ";");
}

/* Declarators [from, to) of d: assignments when hoisted, else a
 * declaration of their own (the specifiers, minus a type that moved). */
static void declarators(Out *o, Node *d, Node *from, Node *to)
{
    int end = to ? to->first - 1 : d->end - 1;      /* the `,` or `;` after them */
    if (d->a && (d->a->flags & NF_HOIST)) {
        hoisted_decl(o, d, from, to);
        return;
    }
    if ((d->flags & NF_HOIST) && ((d->flags & ST_TYPEDEF) || !d->a)) return;
    if (from == d->a && !(d->flags & NF_HOIST)) toks(o, d->first, end, d->susp);
    else {
        specs(o, d);
        gen(o, d->spec[1] - 1, " ");
        toks(o, from ? from->first : d->spec[1], end, d->susp);
    }
    gen(o, end, ";");
}

/* A declaration.  A yield in one initializer is suspended at after the
 * declarators before it are initialized, as C sequences them. */
static void decl_rest(Out *o, Node *d) { declarators(o, d, d->a, NULL); }

static void decl(Out *o, Node *d)
{
    if (cond_split(o, d, decl_rest)) return;
    Node *at = d->a;
    if (d->susp)
        while (at && !(at->a && d->susp->first >= at->a->first && d->susp->first < at->a->end))
            at = at->next;
    if (at && at != d->a) {
        declarators(o, d, d->a, at);
        gen(o, d->first, " ");
    }
    suspend_all(o, d->susp);
    declarators(o, d, at ? at : d->a, NULL);
}

/* A statement whose condition holds a yield: suspend first. */
static void with_susp(Out *o, Node *n, Node **kids, int nk)
{
    if (!n->susp) {
        splice(o, n, kids, nk, NULL);
        return;
    }
    gen(o, n->first, "{ ");
    suspend_all(o, n->susp);
    splice(o, n, kids, nk, n->susp);
    gen(o, n->end - 1, " }");
}

/* A loop whose condition holds a yield tests it at the top of the body:
 * `for (init;; step) { suspend; if (!(cond)) break; body }`, so that
 * continue still runs the step and then the condition. */
static void loop_susp(Out *o, Node *n)
{
    Node *cond = n->kind == N_WHILE ? n->a : n->b, *body = n->kind == N_WHILE ? n->b : n->d;
    gen(o, n->first, "for (");
    if (n->kind == N_FOR && n->a) stmt(o, n->a);
    else gen(o, n->first, ";");
    gen(o, n->first, ";");
    if (n->kind == N_FOR && n->c) {
        gen(o, n->first, " ");
        text(o, n->c);
    }
    gen(o, n->first, ") { ");
    suspend_all(o, n->susp);
    gen(o, n->first, "if (!(");
    toks(o, cond->first, cond->end, n->susp);
    gen(o, n->first, ")) break; ");
    stmt(o, body);
    gen(o, body->end - 1, " }");
}

static void expr_text(Out *o, Node *n) { toks(o, n->first, n->end, n->susp); }

static void expr_stmt(Out *o, Node *n)
{
    if (cond_split(o, n, expr_text)) return;
    if (!n->susp) {
        text(o, n);
    } else if (n->a->kind == N_YIELD || n->a->kind == N_AWAIT) {
        gen(o, n->first, "{ ");       /* the statement is the suspension */
        suspend_all(o, n->susp);
        gen(o, n->first, "}");
    } else {
        with_susp(o, n, NULL, 0);
    }
}

/* `return e;` in an async function: the result into the frame (after
 * any await in e), the cleanups, done. */
static void async_return_rest(Out *o, Node *n)
{
    const char *p = fp(o);
    if (n->a) {
        genf(o, n->first, "%s->co_result = ", p);
        toks(o, n->a->first, n->a->end, n->susp);
        gen(o, n->first, "; ");
    }
    cleanups(o, n->cl[0], NULL);
    genf(o, n->first, "%s->co_state = -1; return CO_DONE;", p);
}

static void async_return(Out *o, Node *n)
{
    if (cond_split(o, n, async_return_rest)) return;
    gen(o, n->first, "{ ");
    suspend_all(o, n->susp);
    async_return_rest(o, n);
    gen(o, n->first, " }");
}

static void jump(Out *o, Node *n)
{
    Func *f = o->f;
    Cleanup *to = n->kind == N_RETURN ? NULL : n->kind == N_GOTO ? (n->ref ? n->cl[0] : NULL) : n->cl[1];
    int gen_return = n->kind == N_RETURN && f->kind != F_PLAIN;
    if (n->kind == N_RETURN && is_async(f)) {
        async_return(o, n);
        return;
    }
    if (n->cl[0] == to && !gen_return) {
        text(o, n);
        return;
    }
    gen(o, n->first, "{ ");
    if (n->kind == N_RETURN && n->a && f->kind == F_PLAIN && !f->rvoid && f->rtype[1] > f->rtype[0]) {
        toks(o, f->rtype[0], f->rtype[1], NULL);
        gen(o, n->first, " co_ret = ");
        text(o, n->a);
        gen(o, n->first, "; ");
        cleanups(o, n->cl[0], to);
        gen(o, n->first, "return co_ret; }");
        return;
    }
    cleanups(o, n->cl[0], to);
    if (gen_return) genf(o, n->first, "%s->co_state = -1; return 0; }", fp(o));
    else {
        text(o, n);
        gen(o, n->first, " }");
    }
}

/* `for await (T x : g(args)) body` in async code: each item may suspend. */
static void for_await(Out *o, Node *n)
{
    const char *g = gname(o, n), *fr = sub(o, n), *p = fp(o);
    Node *call = n->b, *v = n->a->a;
    int a0 = call->a->end + 1, a1 = call->end - 1, k = n->state;
    genf(o, n->first, "{ %s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
    toks(o, a0, a1, NULL);
    genf(o, n->first, "); for (;;) { co_a%d: { int co_r = %s__resume(&%s, co_t); "
                      "if (co_r == CO_PENDING) { %s->co_state = %d; ", k, g, fr, p, k);
    where(o, n->first);
    gen(o, n->first, "return CO_PENDING; } if (co_r != CO_YIELD) break; } ");
    if (v->flags & NF_HOIST) genf(o, n->first, "%s->%s = %s.co_value; ", p, v->field, fr);
    else {
        text(o, n->a);
        genf(o, n->first, " = %s.co_value; ", fr);
    }
    stmt(o, n->d);
    genf(o, n->d->end - 1, " } %s__close(&%s); }", g, fr);
}

/* `for (T x : g(args)) body` */
static void range_for(Out *o, Node *n)
{
    if (n->flags & NF_AWAIT) {
        for_await(o, n);
        return;
    }
    Unit *u = o->u;
    const char *g = gname(o, n), *fr = sub(o, n);
    Node *call = n->b, *v = n->a->a;
    int a0 = call->a->end + 1, a1 = call->end - 1;   /* the arguments */
    int handle = n->flags & NF_HANDLE;
    gen(o, n->first, "{ ");
    if (handle) {
        if (!(n->flags & NF_HOIST)) gen(o, n->first, "co_gen *");
        genf(o, n->first, "%s = %s(", fr, g);
        toks(o, a0, a1, NULL);
        gen(o, n->first, "); ");
        toks(o, n->callee->ytype[0], n->callee->ytype[1], NULL);
        genf(o, n->first, " co_v; while (co_gen_next(%s, &co_v) > 0) { ", fr);
    } else {
        if (!(n->flags & NF_HOIST)) genf(o, n->first, "struct %s__frame %s; ", g, fr);
        genf(o, n->first, "%s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
        toks(o, a0, a1, NULL);
        /* do-while: one test per item, so the loop compiles as tight as a plain one. */
        genf(o, n->first, "); if (%s__resume(&%s)) { do { ", g, fr);
    }
    const char *val = handle ? "co_v" : cg_fmt(u, "%s.co_value", fr);
    if (v->flags & NF_HOIST) genf(o, n->first, "%s->%s = %s; ", fp(o), v->field, val);
    else {
        text(o, n->a);
        genf(o, n->first, " = %s; ", val);
    }
    stmt(o, n->d);
    if (handle) genf(o, n->d->end - 1, " } co_gen_close(%s); }", fr);
    else genf(o, n->d->end - 1, " } while (%s__resume(&%s)); } %s__close(&%s); }", g, fr, g, fr);
}

/* `yield from g(args);` */
static void yield_from(Out *o, Node *n)
{
    Func *f = o->f, *c = n->callee;
    const char *fr = sub(o, n), *p = fp(o);
    Node *call = n->a;
    int k = n->state;
    int yval = has_type(o->u, f->ytype), send = f->stype[0] && c && c->stype[0];
    gen(o, n->first, "{ ");
    if (n->flags & NF_HANDLE) {
        genf(o, n->first, "%s = ", fr);
        if (c) {    /* a generator not defined yet: its handle constructor */
            genf(o, n->first, "%s(", gname(o, n));
            toks(o, call->a->end + 1, call->end - 1, NULL);
            gen(o, n->first, ")");
        } else text(o, call);
        const char *out = yval ? cg_fmt(o->u, "&%s->co_value", p) : "NULL";
        if (f->stype[0])
            genf(o, n->first, "; const void *co_in = NULL; while (co_gen_send(%s, co_in, %s) > 0) "
                 "{ %s->co_state = %d; return 1; co_y%d:; co_in = &%s->co_sent; } ", fr, out, p, k, k, p);
        else
            genf(o, n->first, "; while (co_gen_next(%s, %s) > 0) { %s->co_state = %d; return 1; co_y%d:; } ",
                 fr, out, p, k, k);
        genf(o, n->first, "co_gen_close(%s); }", fr);
        return;
    }
    const char *g = gname(o, n);
    int a0 = call->a->end + 1, a1 = call->end - 1;
    genf(o, n->first, "%s__init(&%s%s", g, fr, a1 > a0 ? ", " : "");
    toks(o, a0, a1, NULL);
    genf(o, n->first, "); while (%s__resume(&%s)) { ", g, fr);
    if (yval) genf(o, n->first, "%s->co_value = %s.co_value; ", p, fr);
    genf(o, n->first, "%s->co_state = %d; return 1; co_y%d:;", p, k, k);
    if (send) genf(o, n->first, " %s.co_sent = %s->co_sent;", fr, p);
    gen(o, n->first, " } }");
}

static void stmt(Out *o, Node *n)
{
    switch (n->kind) {
    case N_BLOCK:
        put(o, "{", 1, o->u->toks[n->first].line);
        block_items(o, n);
        put(o, "}", 1, o->u->toks[n->end - 1].line);
        return;
    case N_DECL: decl(o, n); return;
    case N_EXPR: expr_stmt(o, n); return;
    case N_IF: { Node *k[] = { n->b, n->c }; with_susp(o, n, k, 2); return; }
    case N_SWITCH: { Node *k[] = { n->b }; with_susp(o, n, k, 1); return; }
    case N_WHILE: case N_FOR:
        if (n->susp) {
            loop_susp(o, n);
            return;
        }
        if (n->kind == N_FOR) {
            Node *k[] = { n->a && n->a->kind == N_DECL ? n->a : NULL, n->d };
            splice(o, n, k, 2, NULL);
            return;
        }
        /* fall through */
    case N_DO: case N_CASE: case N_DEFAULT: case N_LABEL: {
        Node *k[] = { n->b };
        splice(o, n, k, 1, NULL);
        return;
    }
    case N_BREAK: case N_CONTINUE: case N_RETURN: case N_GOTO: jump(o, n); return;
    case N_DEFER: return;
    case N_RANGE_FOR: range_for(o, n); return;
    case N_YIELD_FROM: yield_from(o, n); return;
    default: text(o, n); return;
    }
}

/* Cleanups from the top `from` down to (not including) `to`. */
static void cleanups(Out *o, Cleanup *from, Cleanup *to)
{
    for (Cleanup *c = from; c && c != to; c = c->next) {
        Node *n = c->n;
        if (n->kind == N_DEFER) {
            text(o, n->a);
            gen(o, n->first, " ");
        } else if (n->kind == N_AWAIT && (n->flags & NF_TIMEOUT)) {
            const char *fr = sub(o, n);
            genf(o, n->first, "co_timer_stop(&%s.co_tm); %s__close(&%s.co_in); ", fr, gname(o, n), fr);
        } else if (n->kind == N_AWAIT && (n->flags & NF_HANDLE)) {
            const char *fr = sub(o, n);
            genf(o, n->first, "if (%s) { %s__close(%s); co_free(%s); %s = NULL; } ", fr, gname(o, n), fr, fr, fr);
        } else if (n->flags & NF_HANDLE) {
            genf(o, n->first, "co_gen_close(%s); ", sub(o, n));
        } else {
            genf(o, n->first, "%s__close(&%s); ", gname(o, n), sub(o, n));
        }
    }
}

/* ---- coroutine definitions ------------------------------------------------------------ */

/* Open the #if branches of ctx (outermost first), for generated code that
 * belongs to a point inside them; pp_close ends them. */
static void pp_open(Out *o, PPCtx *c)
{
    if (!c) return;
    pp_open(o, c->outer);
    if (!o->bol) gen(o, c->dirs[0], "\n");
    for (int i = 0; i < c->ndirs; i++) {
        const Token *t = &o->u->toks[c->dirs[i]];
        put(o, o->u->src + t->off, t->len, t->line);
        gen(o, c->dirs[i], "\n");
    }
}

static void pp_close(Out *o, PPCtx *c)
{
    for (; c; c = c->outer) {
        if (!o->bol) gen(o, c->dirs[0], "\n");
        gen(o, c->dirs[0], "#endif\n");
    }
}

static void array_size(Out *o, Node *v)
{
    gen(o, v->first, "[");
    if (v->a->kind == N_INIT_LIST) {
        int n = 0;
        for (Node *x = v->a->a; x; x = x->next) n++;
        genf(o, v->first, "%d", n);
    } else {
        gen(o, v->first, "sizeof ");
        text(o, v->a);
    }
    gen(o, v->first, "]");
}

/* Print a declaration as a struct field: storage classes dropped, and a
 * top-level const too, since the frame is assigned after it is made.  An
 * array parameter is the pointer C makes of it: `int m[][3]` is a field
 * `int (*m)[3]`. */
static void field(Out *o, int s0, int s1, Node *v)
{
    Unit *u = o->u;
    int ptr = 0, lb = -1, rb = -1, sep = 0;
    int arrparm = (v->flags & NF_PARAM) && v->name >= 0 && v->name + 1 < v->dcl[1] &&
                  u->toks[v->name + 1].id == TK_LBRACKET;
    if (!(v->flags & NF_PARAM) && moved_body(u, v->decl, &lb, &rb) && v->decl->field)
        lb--;   /* an anonymous type: its keyword comes from the tag below */
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) ptr |= u->toks[i].id == TK_STAR;
    gen(o, v->first, "    ");
    for (int i = s0; i < s1; i++) {
        int t = u->toks[i].id;
        if (t == TK_STATIC || t == TK_REGISTER || t == TK_AUTO || t == TK_EXTERN ||
            (t == TK_CONST && !ptr && !arrparm) || (i >= lb && i <= rb))
            continue;
        if (sep) gen(o, i, " ");
        put(o, u->src + u->toks[i].off, u->toks[i].len, u->toks[i].line);
        if (i == lb - 1 && v->decl->field) genf(o, i, " %s", v->decl->field);
        sep = 1;
    }
    gen(o, v->first, " ");
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) {
        int t = u->toks[i].id;
        if (i > v->dcl[0] && i - 1 != v->name) gap(o, i);
        if (t == TK_CONST && i > v->dcl[0] && u->toks[i - 1].id == TK_STAR) continue;
        if (t == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET && v->a) {
            array_size(o, v);   /* `a[]`: its initializer gives the size */
            i++;
        } else if (i == v->name && arrparm) {
            genf(o, i, "(*%s)", v->field);
            for (i++; i < v->dcl[1] && u->toks[i].id != TK_RBRACKET; i++) {}
        } else if (i == v->name) {
            gen(o, i, v->field);
        } else put(o, u->src + u->toks[i].off, u->toks[i].len, u->toks[i].line);
    }
    gen(o, v->first, ";\n");
}


/* `(params)` as written, for prototypes and the constructor. */
static void params(Out *o, Func *f)
{
    int close = f->name + 1;
    for (int depth = 0; close < o->u->ntoks; close++) {
        int t = o->u->toks[close].id;
        if (t == TK_LPAREN) depth++;
        else if (t == TK_RPAREN && --depth == 0) break;
    }
    toks(o, f->name + 1, close + 1, NULL);
}

/* A compound literal's field: its type name with the field's name put
 * where a declarator's name goes (before the first `[`), `[]` sized from
 * the initializer. */
static void literal_field(Out *o, Node *l)
{
    Unit *u = o->u;
    int named = 0;
    gen(o, l->first, "    ");
    for (int i = l->type[0]; i < l->type[1]; i++) {
        if (!named && u->toks[i].id == TK_LBRACKET) {
            genf(o, l->first, " %s", l->field);
            named = 1;
        }
        if (u->toks[i].id == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET) {
            int n = 0;
            for (Node *x = l->a ? l->a->a : NULL; x; x = x->next) n++;
            genf(o, l->first, "[%d]", n);
            i++;
            continue;
        }
        if (i > l->type[0]) gen(o, l->first, " ");
        put(o, u->src + u->toks[i].off, u->toks[i].len, u->toks[i].line);
    }
    if (!named) genf(o, l->first, " %s", l->field);
    gen(o, l->first, ";\n");
}

static void frame_struct(Out *o, Func *f, const char *nm)
{
    Unit *u = o->u;
    int h = f->name;
    genf(o, h, "struct %s__frame {\n    int co_state;\n", nm);
    if (f->kind == F_ASYNC && has_type(u, f->rtype)) {
        gen(o, h, "    ");
        toks(o, f->rtype[0], f->rtype[1], NULL);
        gen(o, h, " co_result;\n");
    }
    if (has_type(u, f->ytype)) {
        gen(o, h, "    ");
        toks(o, f->ytype[0], f->ytype[1], NULL);
        gen(o, h, " co_value;\n");
    }
    if (f->stype[0]) {
        gen(o, h, "    ");
        toks(o, f->stype[0], f->stype[1], NULL);
        gen(o, h, " co_sent;\n");
    }
    for (Node *p = f->params; p; p = p->next)
        if (p->field) field(o, p->spec[0], p->spec[1], p);
    for (Node *v = f->frame_vars; v; v = v->link) {
        pp_open(o, v->pp);
        field(o, v->decl->spec[0], v->decl->spec[1], v);
        pp_close(o, v->pp);
    }
    for (Node *l = f->lits; l; l = l->link) literal_field(o, l);
    for (int k = 1; k <= f->ntemps; k++) genf(o, h, "    int co_t%d;\n", k);
    for (int slot = 0; slot < f->nslots; slot++) {
        gen(o, h, "    union {\n");
        for (Node *s = f->subs; s; s = s->link) {
            if (s->id != slot) continue;
            const char *nm = strchr(s->field, '.') + 1;
            if (s->kind == N_AWAIT && (s->flags & NF_TIMEOUT))
                genf(o, h, "        struct { int co_result; struct %s__frame co_in; co_timer co_tm; } %s;\n",
                     gname(o, s), nm);
            else if (s->kind == N_AWAIT && (s->flags & NF_HANDLE))
                genf(o, h, "        struct %s__frame *%s;\n", gname(o, s), nm);
            else if (s->flags & NF_HANDLE) genf(o, h, "        co_gen *%s;\n", nm);
            else genf(o, h, "        struct %s__frame %s;\n", gname(o, s), nm);
        }
        genf(o, h, "    } co_u%d;\n", slot);
    }
    gen(o, h, "};\n");
}

static void init_fn(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    const char *p = f->fp;
    genf(o, h, "%svoid %s__init(struct %s__frame *%s", linkage(f), nm, nm, p);
    for (Node *q = f->params; q; q = q->next) {
        gen(o, h, ", ");
        text(o, q);
    }
    genf(o, h, ")\n{\n    %s->co_state = 0;\n", p);
    if (f->stype[0]) genf(o, h, "    memset(&%s->co_sent, 0, sizeof %s->co_sent);\n", p, p);
    for (Node *q = f->params; q; q = q->next)
        if (q->field) genf(o, h, "    %s->%s = %s;\n", p, q->field, q->field);
    gen(o, h, "}\n");
}

static void resume_fn(Out *o, Func *f, const char *nm)
{
    Node *b = f->body;
    const char *p = f->fp;
    if (is_async(f)) genf(o, b->first, "%sint %s__resume(struct %s__frame *%s, co_task *co_t) ", linkage(f), nm, nm, p);
    else genf(o, b->first, "static inline int %s__resume(struct %s__frame *%s) ", nm, nm, p);
    put(o, "{", 1, o->u->toks[b->first].line);
    genf(o, b->first, " switch (%s->co_state) { case 0: break;", p);
    for (int k = 1; k <= f->nstates; k++) {
        PPCtx *pp = f->states[k]->pp;
        pp_open(o, pp);
        Node *st = f->states[k];
        genf(o, b->first, " case %d: goto co_%c%d;", k,
             st->kind == N_AWAIT || (st->kind == N_RANGE_FOR && (st->flags & NF_AWAIT)) ? 'a' : 'y', k);
        pp_close(o, pp);
    }
    const char *done = is_async(f) ? "CO_DONE" : "0";
    genf(o, b->first, " default: return %s; }", done);
    if (is_async(f)) gen(o, b->first, " (void)co_t;");    /* a body that never awaits */
    block_items(o, b);
    genf(o, b->end - 1, "    %s->co_state = -1; return %s;\n", p, done);
    o->loose = 1;
    gen(o, b->end - 1, "}\n");
    o->loose = 0;
}

static void close_fn(Out *o, Func *f, const char *nm)
{
    int h = f->name, any = 0;
    const char *p = f->fp;
    o->loose = 1;
    genf(o, h, "%svoid %s__close(struct %s__frame *%s)\n{\n", linkage(f), nm, nm, p);
    o->loose = 0;
    for (int k = 1; k <= f->nstates; k++) {
        Node *s = f->states[k];
        if (!s->cl[0]) continue;
        if (!any) genf(o, h, "    switch (%s->co_state) {\n", p);
        any = 1;
        pp_open(o, s->pp);
        genf(o, s->first, "    case %d: ", k);
        cleanups(o, s->cl[0], NULL);
        gen(o, s->first, "break;\n");
        pp_close(o, s->pp);
    }
    o->loose = 1;
    if (any) gen(o, h, "    }\n");
    genf(o, h, "    %s->co_state = -1;\n}\n", p);
    o->loose = 0;
}

/* The handle: a heap box with the co_gen header, its vt and constructor. */
static void handle_fns(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    const char *p = f->fp;
    genf(o, h, "struct %s__box { co_gen co_hdr; struct %s__frame co_fr; };\n", nm, nm);
    genf(o, h, "static int %s__vresume(co_gen *co_g, const void *co_in, void *co_out)\n{\n", nm);
    genf(o, h, "    struct %s__frame *%s = &((struct %s__box *)co_g)->co_fr;\n", nm, p, nm);
    genf(o, h, "    if (co_in && %s->co_state == 0) return -EINVAL;\n", p);
    if (f->stype[0])
        genf(o, h, "    if (co_in) memcpy(&%s->co_sent, co_in, sizeof %s->co_sent);\n"
                   "    else memset(&%s->co_sent, 0, sizeof %s->co_sent);\n", p, p, p, p);
    genf(o, h, "    if (!%s__resume(%s)) return 0;\n", nm, p);
    if (has_type(o->u, f->ytype))
        genf(o, h, "    if (co_out) memcpy(co_out, &%s->co_value, sizeof %s->co_value);\n", p, p);
    else gen(o, h, "    (void)co_out;\n");
    gen(o, h, "    return 1;\n}\n");
    genf(o, h, "static void %s__vclose(co_gen *co_g)\n{\n    %s__close(&((struct %s__box *)co_g)->co_fr);\n}\n",
         nm, nm, nm);
    genf(o, h, "static const co_gen_vt %s__vt = { %s__vresume, %s__vclose };\n", nm, nm, nm);
    gen(o, h, f->is_static ? "static CO_UNUSED co_gen *" : "co_gen *");
    gen(o, h, nm);
    params(o, f);
    genf(o, h, "\n{\n    struct %s__box *co_b = co_alloc(sizeof *co_b);\n    if (!co_b) return NULL;\n"
               "    co_b->co_hdr.vt = &%s__vt;\n    %s__init(&co_b->co_fr", nm, nm, nm);
    for (Node *q = f->params; q; q = q->next)
        if (q->field) genf(o, h, ", %s", q->field);
    gen(o, h, ");\n    return &co_b->co_hdr;\n}\n");
}

/* A task: the block { co_task header; frame }, its vt and the plain-call
 * constructor that makes it without running anything. */
static void task_fns(Out *o, Func *f, const char *nm)
{
    int h = f->name, res = has_type(o->u, f->rtype);
    genf(o, h, "struct %s__box { co_task co_hdr; struct %s__frame co_fr; };\n", nm, nm);
    genf(o, h, "static int %s__vresume(co_task *co_t)\n{\n    return %s__resume(&((struct %s__box *)co_t)->co_fr, co_t);\n}\n",
         nm, nm, nm);
    genf(o, h, "static void %s__vclose(co_task *co_t)\n{\n    %s__close(&((struct %s__box *)co_t)->co_fr);\n}\n",
         nm, nm, nm);
    genf(o, h, "static const co_coro_vt %s__vt = { %s__vresume, %s__vclose, ", nm, nm, nm);
    if (res) genf(o, h, "offsetof(struct %s__box, co_fr.co_result), sizeof(((struct %s__frame *)0)->co_result)", nm, nm);
    else gen(o, h, "0, 0");
    genf(o, h, ", \"%s\" };\n", nm);
    gen(o, h, f->is_static ? "static CO_UNUSED co_task *" : "co_task *");
    gen(o, h, nm);
    params(o, f);
    genf(o, h, "\n{\n    struct %s__box *co_b = co_alloc(sizeof *co_b);\n    if (!co_b) return NULL;\n"
               "    co_task_init(&co_b->co_hdr, &%s__vt);\n    %s__init(&co_b->co_fr", nm, nm, nm);
    for (Node *q = f->params; q; q = q->next)
        if (q->field) genf(o, h, ", %s", q->field);
    gen(o, h, ");\n    return &co_b->co_hdr;\n}\n");
}

/* `(struct NAME__frame *, params)`, for the protocol's prototypes. */
static void frame_params(Out *o, Func *f, const char *nm)
{
    genf(o, f->name, "(struct %s__frame *co_f", nm);
    int close = f->name + 1;
    for (int depth = 0; close < o->u->ntoks; close++) {
        int t = o->u->toks[close].id;
        if (t == TK_LPAREN) depth++;
        else if (t == TK_RPAREN && --depth == 0) break;
    }
    int empty = close == f->name + 2 || (close == f->name + 3 && o->u->toks[f->name + 2].id == TK_VOID);
    if (!empty) {
        gen(o, f->name, ", ");
        toks(o, f->name + 2, close, NULL);
    }
    gen(o, f->name, ")");
}

static void prototype(Out *o, Func *f)
{
    int async = f->kind == F_ASYNC;
    const char *nm = name(o, f);
    gen(o, f->name, f->is_static ? "static CO_UNUSED " : "");
    gen(o, f->name, async ? "co_task *" : "co_gen *");
    gen(o, f->name, nm);
    params(o, f);
    gen(o, f->last, ";");
    if (!async) return;
    /* The protocol, so that code before the definition can await it. */
    genf(o, f->name, " struct %s__frame; %svoid %s__init", nm, linkage(f), nm);
    frame_params(o, f, nm);
    genf(o, f->name, "; %sint %s__resume(struct %s__frame *, co_task *); %svoid %s__close(struct %s__frame *);",
         linkage(f), nm, nm, linkage(f), nm, nm);
}

/* A type the body declares, at file scope: a typedef whole, a struct,
 * union or enum definition without the body's declarators. */
static void local_type(Out *o, Node *d)
{
    int lb, rb;
    if (d->flags & ST_TYPEDEF) text(o, d);
    else if (moved_body(o->u, d, &lb, &rb)) {
        int kw = d->field ? lb - 1 : lb - 2;
        toks(o, kw, kw + 1, NULL);
        if (d->field) genf(o, kw, " %s", d->field);
        gen(o, kw, " ");
        toks(o, kw + 1, rb + 1, NULL);
        gen(o, rb, ";");
    }
    gen(o, d->first, "\n");
}

static void definition(Out *o, Func *f)
{
    const char *nm = name(o, f);
    o->f = f;
    prototype(o, f);
    gen(o, f->name, "\n");
    for (Node *d = f->types; d; d = d->link) local_type(o, d);
    o->loose = 1;       /* frame and init: one #line at the header is enough */
    frame_struct(o, f, nm);
    init_fn(o, f, nm);
    o->loose = 0;
    resume_fn(o, f, nm);
    close_fn(o, f, nm);
    o->loose = 1;
    if (f->kind == F_ASYNC) task_fns(o, f, nm);
    else if (f->kind == F_GEN) handle_fns(o, f, nm);
    o->loose = 0;
    o->f = NULL;
}

/* ---- the file ---------------------------------------------------------------------------- */

static void line_table(Out *o)
{
    Unit *u = o->u;
    int n = 1;
    for (int i = 0; i < u->len; i++) n += u->src[i] == '\n';
    o->starts = cg_alloc(u, sizeof *o->starts * (size_t)n);
    o->starts[0] = 0;
    o->nstarts = 1;
    for (int i = 0; i < u->len; i++)
        if (u->src[i] == '\n') o->starts[o->nstarts++] = i + 1;
}

void cg_emit(Unit *u, FILE *fpo, const Options *opt)
{
    Out o = { .fp = fpo, .u = u, .lines = opt->line, .bol = 1, .line = 1 };
    line_table(&o);
    int at = 0;                 /* source offset copied so far */
    Func *f = u->funcs;
    Island *is = u->islands;
    while (f || is) {
        int ff = f ? u->toks[f->first].off : u->len, fi = is ? u->toks[is->loop->first].off : u->len;
        if (f && ff <= fi) {
            raw(&o, at, ff);
            if (f->is_proto) prototype(&o, f);
            else definition(&o, f);
            at = tok_end(u, f->last);
            f = f->next;
        } else {
            raw(&o, at, fi);
            o.f = is->fn;
            stmt(&o, is->loop);
            o.f = NULL;
            at = tok_end(u, is->loop->end - 1);
            is = is->next;
        }
    }
    raw(&o, at, u->len);
}

/* The header other translation units include to call this file's
 * generators by handle. */
void cg_emit_header(Unit *u, FILE *fpo, const char *guard)
{
    Out o = { .fp = fpo, .u = u, .bol = 1, .line = 1 };
    fprintf(fpo, "/* Generated by cogen from %s. */\n#ifndef %s\n#define %s\n\n#include <cogen.h>\n\n",
            u->path, guard, guard);
    for (Func *f = u->funcs; f; f = f->next) {
        if (f->kind != F_GEN && f->kind != F_ASYNC) continue;
        if (f->kind == F_ASYNC && !f->is_proto) {
            /* Other files embed the frame when they await: they need its
             * layout (also for a static one a public frame embeds). */
            o.f = f;
            for (Node *d = f->types; d; d = d->link) local_type(&o, d);
            frame_struct(&o, f, name(&o, f));
            o.f = NULL;
        }
        if (f->is_static || (f->is_proto && f->def)) continue;
        prototype(&o, f);
        fputc('\n', fpo);
    }
    fprintf(fpo, "\n#endif\n");
}
