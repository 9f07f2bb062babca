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

static void quoted(Out *o, const char *s)
{
    fputc('"', o->fp);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', o->fp);
        fputc(*s, o->fp);
    }
    fputc('"', o->fp);
}

/* Make the output line about to begin map to .co line `line`, or, for 0,
 * to itself: scaffolding names the output file and its own line numbers,
 * as re2c does.  Written to standard output, whose name is unknown, it
 * carries the line of the coroutine's definition instead.  Going on in
 * the .co file (a statement's code over several lines), the directive
 * need not name it again. */
static void map(Out *o, int line)
{
    if (!line && !o->path) line = o->f && o->f->name >= 0 ? o->u->toks[o->f->name].line : 1;
    if (line == o->line) return;
    fprintf(o->fp, "#line %d", line ? line : o->oline + 1);
    if (!line || o->line <= 0) {
        fputc(' ', o->fp);
        quoted(o, line ? o->u->path : o->path);
    }
    fputc('\n', o->fp);
    o->oline++;
    o->line = line;
}

/* Does s (n bytes, the first that is not blank on its line) open, switch
 * or close a preprocessor conditional? */
static int conditional(const char *s, int n)
{
    int i = 0;
    if (s[i++] != '#') return 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t')) i++;
    return (n - i >= 2 && (!strncmp(s + i, "if", 2) || !strncmp(s + i, "el", 2))) ||
           (n - i >= 5 && !strncmp(s + i, "endif", 5));
}

/* Write n bytes of s whose first byte belongs to .co line `line`.  Source
 * text goes on counting .co lines at each newline it holds; generated
 * text (gen) stays on `line`.  A line scaffolding begins is the output's
 * own, unless out_at placed user text there. */
static void put(Out *o, const char *s, int n, int line, int gen)
{
    for (int i = 0; i < n; i++) {
        if (o->bol) {
            if (o->lines) map(o, o->place ? o->place : o->scaffold ? 0 : line);
            o->place = 0;
            o->lead = 1;
        }
        if (o->lead && s[i] != ' ' && s[i] != '\t') {
            o->lead = 0;
            o->cond = conditional(s + i, n - i);
        }
        if (s[i] == ' ') o->blanks++;   /* held back: out_at may drop them */
        else {
            out_end(o);
            fputc(s[i], o->fp);
        }
        o->col++;
        o->bol = s[i] == '\n';
        if (o->bol) {
            o->oline++, o->col = 0;
            if (o->line > 0) o->line++;
            /* A #line in a branch the preprocessor skips is not seen: after
             * a conditional the mapping is stated again. */
            if (o->cond) o->line = -1;
            o->cond = o->lead = 0;
            if (!gen) line++;
        }
    }
}

/* Write the blanks held back. */
void out_end(Out *o)
{
    for (; o->blanks; o->blanks--) fputc(' ', o->fp);
}

/* Blanks up to column `to` (0-based) of token t's line: tabs where the
 * source line has them, so that its columns count the same. */
static void pad(Out *o, const Token *t, int to)
{
    const char *bol = o->u->src + t->off - (t->col - 1);
    while (o->col < to) put(o, bol[o->col] == '\t' ? "\t" : " ", 1, t->line, 0);
}

/* End the output line without trailing blanks. */
void out_nl(Out *o)
{
    o->col -= o->blanks;
    o->blanks = 0;
    if (o->lead) o->bol = 1;    /* only blanks held back: no empty line */
    if (!o->bol) put(o, "\n", 1, o->line, 1);
}

void out_put(Out *o, const char *s, int n, int line) { put(o, s, n, line, 0); }

/* ---- generated statements, one a line --------------------------------------
 *
 * The code generated for a statement (a suspension, a jump's cleanups) is
 * printed a statement a line, indented like the statement's source line
 * and one level more in each block it opens.  All those lines belong to
 * the statement's .co line: with #line on, put() states it again on each
 * of them that holds code, so a line break never advances the mapping. */

/* Begin a line for the next generated statement of token tok's line,
 * unless the current one holds nothing but blanks yet.  It is indented
 * as the statement's first line, o->depth levels more (one less for a
 * label: outdent); scaffolding (a close function) by depth alone. */
static void line_as(Out *o, int tok, int outdent)
{
    const Token *t = &o->u->toks[tok], *s = &o->u->toks[o->stmt >= 0 ? o->stmt : tok];
    const char *bol = o->u->src + s->off - (s->col - 1);
    int n = 0, depth = o->depth;
    if (!o->bol && o->lead) return;
    while (n < s->col - 1 && (bol[n] == ' ' || bol[n] == '\t')) n++;
    if (o->scaffold) n = 0;     /* scaffolding: depth alone */
    if (outdent && depth > 0) depth--;
    else if (outdent && n > 0 && bol[n - 1] == '\t') n--;
    else if (outdent) for (int i = 0; i < 4 && n > 0 && bol[n - 1] == ' '; i++) n--;
    out_nl(o);
    put(o, bol, n, t->line, 1);
    for (int i = 0; i < depth; i++) put(o, "    ", 4, t->line, 1);
}

void out_line(Out *o, int tok) { line_as(o, tok, 0); }

static void vgenf(Out *o, int tok, const char *fmt, va_list ap);

/* A generated statement on a line of its own. */
void out_stmt(Out *o, int tok, const char *fmt, ...)
{
    va_list ap;
    out_line(o, tok);
    va_start(ap, fmt);
    vgenf(o, tok, fmt, ap);
    va_end(ap);
}

void out_open(Out *o, int tok)
{
    out_gen(o, tok, "{");
    o->depth++;
}

void out_close(Out *o, int tok)
{
    o->depth--;
    out_line(o, tok);
    out_gen(o, tok, "}");
}

/* The label `co_KINDk:` (a for an await's resume point, y a yield's, c
 * and s a loop's test and step), a level out, as labels are written. */
void out_label(Out *o, int tok, char kind, int k)
{
    line_as(o, tok, 1);
    out_genf(o, tok, "co_%c%d:", kind, k);
}

/* User text of token tok after generated statements: where it was
 * written (out_at), or without #line on a line of its own. */
void out_user(Out *o, int tok)
{
    if (o->lines) out_at(o, tok);
    else out_line(o, tok);
}

/* A line that holds only an indentation (out_line) yet takes user text
 * at its column instead: the blanks not written yet are dropped. */
static void unindent(Out *o)
{
    if (o->bol || !o->lead) return;
    o->col -= o->blanks;
    o->blanks = 0;
}

/* Put the next byte on the line and at the column of token tok, so that
 * a compiler reports a mistake there where the user wrote it: pad when
 * the output is not there yet, else start a new line. */
void out_at(Out *o, int tok)
{
    const Token *t = &o->u->toks[tok];
    if (!o->lines) return;
    unindent(o);
    if (!o->bol && (o->line != t->line || o->col >= t->col)) out_nl(o);
    if (o->bol) o->place = t->line;
    pad(o, t, t->col - 1);
}

/* Generated text `lead` right before token tok, so that tok still falls
 * at its column: on a line of its own when the current one is too far
 * already (`if (!(` before a loop's condition). */
void out_lead(Out *o, int tok, const char *lead)
{
    const Token *t = &o->u->toks[tok];
    int at = t->col - 1 - (int)strlen(lead);
    if (o->lines && at >= 0) {
        unindent(o);
        if (!o->bol && (o->line != t->line || o->col > at)) out_nl(o);
        if (o->bol) o->place = t->line;
        pad(o, t, at);
    }
    put(o, lead, (int)strlen(lead), t->line, 1);
    out_at(o, tok);
}

/* Generated text, attributed to the line of token `tok`. */
void out_gen(Out *o, int tok, const char *s)
{
    put(o, s, (int)strlen(s), o->u->toks[tok].line, 1);
}

/* Formatted generated text.  It is formatted into a buffer of the Out
 * that grows to fit, so no length of names can cut it. */
static void vgenf(Out *o, int tok, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(o->buf, o->cap, fmt, ap);
    if (n >= (int)o->cap) {
        o->cap = 2 * (size_t)n + 64;
        o->buf = cg_alloc(o->u, o->cap);
        vsnprintf(o->buf, o->cap, fmt, again);
    }
    va_end(again);
    put(o, o->buf, n, o->u->toks[tok].line, 1);
}

void out_genf(Out *o, int tok, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vgenf(o, tok, fmt, ap);
    va_end(ap);
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
    Node *b = h->then ? h->then : h->els;
    out_toks(o, h->first, b->first, chain);     /* c ? (and : when GNU) */
    out_gap(o, b->first);
    if (h->then) {
        out_toks(o, h->then->first, h->then->end, h->susp);
        out_gap(o, h->then->end);
        out_toks(o, h->then->end, h->els->first, NULL);
        out_gap(o, h->els->first);
    }
    out_toks(o, h->els->first, h->els->end, h->susp2);
}

/* Tokens a mistake is never reported at: not worth a line of their own. */
static int closing(int id)
{
    return id == TK_SEMI || id == TK_RPAREN || id == TK_RBRACKET || id == TK_RBRACE || id == TK_COMMA;
}

/* Token i alone, its substitution applied. */
void out_tok(Out *o, int i)
{
    const Token *t = &o->u->toks[i];
    if (t->subst) out_put(o, t->subst, (int)strlen(t->subst), t->line);
    else out_put(o, o->u->src + t->off, t->len, t->line);
}

/* Tokens [a, b) with the gaps between them, substitutions applied; a
 * suspension point of `chain` prints as its value, and the token after it
 * goes back to its own column. */
void out_toks(Out *o, int a, int b, Node *chain)
{
    Unit *u = o->u;
    int shifted = 0;    /* a hole's text moved what follows */
    for (int i = a; i < b; i++) {
        const Token *t = &u->toks[i];
        if (i > a && shifted && !closing(t->id)) out_at(o, i);
        else if (i > a) out_gap(o, i);
        Node *h = chain ? hole_at(chain, i, b) : NULL;
        shifted = h != NULL;
        if (h && h->kind == N_COMMA) {      /* `a, b`: a ran before */
            out_toks(o, h->rhs->first, h->rhs->end, h->susp);
            i = h->end - 1;
        } else if (h && h->kind == N_COND && o->whole) {
            whole_cond(o, h, chain);
            i = h->end - 1;
        } else if (h && h->kind == N_COND && (h->flags & NF_PERBRANCH)) {   /* the branch being printed */
            Node *br = h->flags & NF_ELSE ? h->els : h->then;
            out_gen(o, i, "(");
            if (br) out_toks(o, br->first, br->end, h->flags & NF_ELSE ? h->susp2 : h->susp);
            else out_gen(o, i, h->field);       /* GNU c ?: e: c's value */
            out_gen(o, i, ")");
            i = h->end - 1;
        } else if (h) {
            const char *v = h->flags & NF_DROP ? "(void)0" : emit_susp_value(o, h);
            out_put(o, v, (int)strlen(v), t->line);
            i = h->end - 1;
        } else out_tok(o, i);
        if (t->id == TK_PP && i == b - 1 && i > a)
            out_nl(o);      /* a directive ends its line: nothing may follow it there */
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
