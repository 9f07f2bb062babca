/*
 * out.c - output with line mapping, and user source text with the
 * passes' substitutions.
 *
 * Every piece of output knows the .co line it comes from; a #line
 * directive is written whenever the next output line would otherwise be
 * attributed to the wrong line, so compiler errors, gdb and sanitizers
 * point into the .co file.  User code is printed as its own source text
 * (formatting and comments survive), with the substitutions the passes
 * attached to tokens, and suspension points replaced by their values.
 */
#include <stdarg.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

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
void out_put(Out *o, const char *s, int n, int line)
{
    for (int i = 0; i < n; i++) {
        if (o->bol && o->lines && !o->loose && o->line != line) directive(o, line);
        fputc(s[i], o->fp);
        o->bol = s[i] == '\n';
        if (o->bol) o->line++, line++;
    }
}

/* Generated text, attributed to the line of token `tok`. */
void out_gen(Out *o, int tok, const char *s)
{
    out_put(o, s, (int)strlen(s), o->u->toks[tok].line);
}

void out_genf(Out *o, int tok, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof buf) n = (int)sizeof buf - 1;
    out_put(o, buf, n, o->u->toks[tok].line);
}

/* Raw source bytes [from, to). */
void out_raw(Out *o, int from, int to)
{
    if (to > from) out_put(o, o->u->src + from, to - from, line_at(o, from));
}

int out_tok_end(Unit *u, int i) { return u->toks[i].off + u->toks[i].len; }

/* The gap (whitespace, comments) before token i. */
void out_gap(Out *o, int i)
{
    if (i > 0) out_raw(o, out_tok_end(o->u, i - 1), o->u->toks[i].off);
}

/* Tokens [a, b) with the gaps between them, substitutions applied; the
 * tokens of `hole` (if any) print as `text`. */
/* The suspension point of `chain` (a statement's, linked by snext) whose
 * tokens start at i and end by b: the outermost, when they nest. */
static Node *hole_at(Node *chain, int i, int b)
{
    Node *best = NULL;
    for (Node *h = chain; h; h = h->snext)
        if (h->first == i && h->end <= b && (!best || h->end > best->end)) best = h;
    return best;
}

/* A ?: of a chain printed whole, each branch with its own points' values:
 * for its type, inside __typeof__. */
static void whole_cond(Out *o, Node *h, Node *chain)
{
    Node *b = h->b ? h->b : h->c;
    out_toks(o, h->first, b->first, chain);     /* c ? (and : when GNU) */
    out_gap(o, b->first);
    if (h->b) {
        out_toks(o, h->b->first, h->b->end, h->susp);
        out_gap(o, h->b->end);
        out_toks(o, h->b->end, h->c->first, NULL);
        out_gap(o, h->c->first);
    }
    out_toks(o, h->c->first, h->c->end, h->susp2);
}

/* Tokens [a, b) with the gaps between them, substitutions applied; a
 * suspension point of `chain` prints as its value. */
void out_toks(Out *o, int a, int b, Node *chain)
{
    Unit *u = o->u;
    for (int i = a; i < b; i++) {
        if (i > a) out_gap(o, i);
        const Token *t = &u->toks[i];
        Node *h = chain ? hole_at(chain, i, b) : NULL;
        if (h && h->kind == N_COMMA) {      /* `a, b`: a ran before */
            out_toks(o, h->b->first, h->b->end, h->susp);
            i = h->end - 1;
        } else if (h && h->kind == N_COND && o->whole) {
            whole_cond(o, h, chain);
            i = h->end - 1;
        } else if (h && h->kind == N_COND && (h->flags & NF_PERBRANCH)) {   /* the branch being printed */
            Node *br = h->flags & NF_ELSE ? h->c : h->b;
            out_gen(o, i, "(");
            if (br) out_toks(o, br->first, br->end, h->flags & NF_ELSE ? h->susp2 : h->susp);
            else out_gen(o, i, h->field);       /* GNU c ?: e: c's value */
            out_gen(o, i, ")");
            i = h->end - 1;
        } else if (h) {
            const char *v = h->flags & NF_DROP ? "(void)0" : emit_susp_value(o, h);
            out_put(o, v, (int)strlen(v), t->line);
            i = h->end - 1;
        } else if (t->subst) out_put(o, t->subst, (int)strlen(t->subst), t->line);
        else out_put(o, u->src + t->off, t->len, t->line);
    }
}

/* A node's own source text. */
void out_text(Out *o, Node *n) { out_toks(o, n->first, n->end, NULL); }

/* The offsets of the source's line starts, for out_raw. */
void out_lines(Out *o)
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
