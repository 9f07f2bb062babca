/*
 * ast.c - syntax tree nodes: the constructors the grammar actions call, and
 * cg_dump, which prints a tree with the source text of every node's token
 * range (the ranges are what the emitter prints, so tests check them).
 */
#include <ctype.h>
#include <string.h>

#include "cg.h"

/* ---- constructors ----------------------------------------------------- */

Node *cg_node(Unit *u, int kind, int first, int end)
{
    Node *n = cg_alloc(u, sizeof *n);

    n->kind = kind;
    n->first = first;
    n->end = end;
    n->op = n->name = -1;
    n->depth = 1;
    return n;
}

/* The depth of the deepest node of list l. */
static int list_depth(Node *l)
{
    int d = 0;

    for (; l; l = l->next)
        if (l->depth > d)
            d = l->depth;
    return d;
}

Node *cg_node4(Unit *u, int kind, int first, int end,
               Node *a, Node *b, Node *c, Node *d)
{
    Node *n = cg_node(u, kind, first, end);
    Node *kids[4] = {a, b, c, d};

    n->a = a;
    n->b = b;
    n->c = c;
    n->d = d;
    for (int i = 0; i < 4; i++) {
        int below = list_depth(kids[i]);
        if (below >= n->depth)
            n->depth = below + 1;
    }
    if (n->depth == CG_MAX_DEPTH + 1)
        cg_error(u, first, "expression too deeply nested");
    return n;
}

Node *cg_binary(Unit *u, int kind, Node *a, int op, Node *b)
{
    Node *n = cg_node4(u, kind, a->first, b->end, a, b, NULL, NULL);

    n->op = op;
    return n;
}

Node *cg_prefix(Unit *u, int kind, int op, Node *a)
{
    Node *n = cg_node4(u, kind, op, a ? a->end : op + 1, a, NULL, NULL, NULL);

    n->op = op;
    return n;
}

Node *cg_postfix(Unit *u, int op, Node *a)
{
    Node *n = cg_node4(u, N_POSTFIX, a->first, op + 1, a, NULL, NULL, NULL);

    n->op = op;
    return n;
}

Node *cg_named(Unit *u, int kind, int first, int end, int name, Node *a)
{
    Node *n = cg_node4(u, kind, first, end, a, NULL, NULL, NULL);

    n->name = name;
    return n;
}

Node *cg_typed(Unit *u, int kind, int first, int end, int t0, int t1, Node *a)
{
    Node *n = cg_node4(u, kind, first, end, a, NULL, NULL, NULL);

    n->type[0] = t0;
    n->type[1] = t1;
    return n;
}

Node *cg_var(Unit *u, int first, int end, int name, int d0, int d1, int flags,
             Node *init)
{
    Node *n = cg_named(u, N_VAR, first, end, name, init);

    n->dcl[0] = d0;
    n->dcl[1] = d1;
    n->flags = flags;
    return n;
}

/* A parameter: its range is the specifiers through the declarator (which
 * is empty, at s1, for a bare type). */
Node *cg_param(Unit *u, int s0, int s1, int name, int d0, int d1, int flags)
{
    Node *n = cg_var(u, s0, d1 > s1 ? d1 : s1, name, d0, d1,
                     flags | NF_PARAM, NULL);

    n->spec[0] = s0;
    n->spec[1] = s1;
    return n;
}

Node *cg_decl(Unit *u, int first, int end, int s0, int s1, int flags,
              Node *vars)
{
    Node *n = cg_node4(u, N_DECL, first, end, vars, NULL, NULL, NULL);
    Node *v;

    n->spec[0] = s0;
    n->spec[1] = s1;
    n->flags = flags;
    for (v = vars; v; v = v->next) {
        v->decl = n;
        /* A local typedef: later identifiers with this name are types. */
        if ((flags & ST_TYPEDEF) && v->name >= 0)
            cg_typedef_add(u, u->src + u->toks[v->name].off,
                           u->toks[v->name].len);
    }
    return n;
}

Node *cg_init(Unit *u, int first, int d0, int d1, Node *value)
{
    Node *n = cg_node4(u, N_INIT, first, value->end, value, NULL, NULL, NULL);

    n->dcl[0] = d0;
    n->dcl[1] = d1;
    return n;
}

Node *cg_rangefor(Unit *u, int first, Node *decl, Node *call, Node *body,
                  int flags)
{
    Node *n = cg_node4(u, N_RANGE_FOR, first, body->end, decl, call, NULL,
                       body);

    n->flags = flags;
    return n;
}

/* ---- queries ---------------------------------------------------------- */

static int has_lower(Unit *u, int tok)
{
    const char *s = u->src + u->toks[tok].off;
    int i;

    for (i = 0; i < u->toks[tok].len; i++)
        if (islower((unsigned char)s[i]))
            return 1;
    return 0;
}

/* Recursion follows the expression's shape, whose depth the parser's fixed
 * stack bounds. */
static int vla_list(Unit *u, Node *n)
{
    for (; n; n = n->next) {
        if (n->kind == N_IDENT && has_lower(u, n->first))
            return 1;
        if (n->kind == N_SIZEOF)   /* sizeof x: constant unless x is a VLA */
            continue;
        if (vla_list(u, n->a) || vla_list(u, n->b) || vla_list(u, n->c) ||
            vla_list(u, n->d))
            return 1;
    }
    return 0;
}

/* An array size is a lone expression (its ->next is NULL). */
int cg_vla_expr(Unit *u, Node *e)
{
    return vla_list(u, e);
}

/* ---- dump ------------------------------------------------------------- */

static const char *const kind_names[N_KIND_COUNT] = {
    "BLOCK", "EXPR", "DECL", "VAR", "IF", "WHILE", "DO", "FOR", "SWITCH",
    "CASE", "DEFAULT", "LABEL", "GOTO", "BREAK", "CONTINUE", "RETURN",
    "EMPTY", "PP", "DEFER", "YIELD_FROM", "RANGE_FOR", "ASM",
    "STATIC_ASSERT", "IDENT", "CONST", "PAREN", "CALL", "INDEX", "MEMBER",
    "POSTFIX", "UNARY", "SIZEOF", "CAST", "COMPOUND", "BINARY", "ASSIGN",
    "COND", "COMMA", "INIT_LIST", "INIT", "YIELD", "AWAIT", "BUILTIN",
    "STMT_EXPR",
};

/* Print the source of tokens [first, end) on one line: each gap between
 * tokens (whitespace, comments) becomes one space. */
static void put_range(Unit *u, int first, int end, FILE *out)
{
    int i, j;

    fputc('"', out);
    for (i = first; i < end; i++) {
        const Token *t = &u->toks[i];
        if (i > first)
            fputc(' ', out);
        for (j = 0; j < t->len; j++) {
            char c = u->src[t->off + j];
            fputc(c == '\n' ? ' ' : c, out);
        }
    }
    fputc('"', out);
}

static void dump_fields(Unit *u, Node *n, FILE *out)
{
    if (n->op >= 0)
        fprintf(out, " op=%.*s", u->toks[n->op].len,
                u->src + u->toks[n->op].off);
    if (n->name >= 0)
        fprintf(out, " name=%.*s", u->toks[n->name].len,
                u->src + u->toks[n->name].off);
    if (n->kind == N_DECL || (n->kind == N_VAR && (n->flags & NF_PARAM))) {
        fputs(" spec=", out);
        put_range(u, n->spec[0], n->spec[1], out);
    }
    if (n->kind == N_VAR || (n->kind == N_INIT && n->dcl[1] > n->dcl[0])) {
        fputs(n->kind == N_VAR ? " dcl=" : " desig=", out);
        put_range(u, n->dcl[0], n->dcl[1], out);
    }
    if (n->type[1] > n->type[0]) {
        fputs(" type=", out);
        put_range(u, n->type[0], n->type[1], out);
    }
    if (n->flags)
        fprintf(out, " flags=%#x", (unsigned)n->flags);
}

static void dump(Unit *u, Node *n, int depth, const char *role, FILE *out)
{
    Node *kids[4];
    int i;

    for (; n; n = n->next) {
        fprintf(out, "%*s%s%s [%d,%d)", 2 * depth, "", role,
                n->kind >= 0 && n->kind < N_KIND_COUNT ? kind_names[n->kind]
                                                       : "?",
                n->first, n->end);
        dump_fields(u, n, out);
        fputc(' ', out);
        put_range(u, n->first, n->end, out);
        fputc('\n', out);
        kids[0] = n->a, kids[1] = n->b, kids[2] = n->c, kids[3] = n->d;
        for (i = 0; i < 4; i++) {
            char label[4] = {"abcd"[i], ':', ' ', 0};
            dump(u, kids[i], depth + 1, label, out);
        }
    }
}

void cg_dump(Unit *u, Node *n, FILE *out)
{
    dump(u, n, 0, "", out);
}
