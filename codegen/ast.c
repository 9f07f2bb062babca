/*
 * ast.c - syntax tree nodes: the constructors the grammar actions call,
 * cg_visit, which knows the children of each kind, and cg_dump, which
 * prints a tree with the source text of every node's token range (the
 * ranges are what the emitter prints, so tests check them).
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

/* Child list l (which may be NULL) of n, counted in n's depth. */
static Node *kid(Node *n, Node *l)
{
    for (Node *k = l; k; k = k->next)
        if (k->depth >= n->depth)
            n->depth = k->depth + 1;
    return l;
}

/* A node with its children counted: the first one too deep is reported. */
static Node *counted(Unit *u, Node *n)
{
    if (n->depth == CG_MAX_DEPTH + 1)
        cg_error(u, n->first, "expression too deeply nested");
    return n;
}

Node *cg_pair(Unit *u, int kind, int first, int end, Node *lhs, Node *rhs)
{
    Node *n = cg_node(u, kind, first, end);

    n->lhs = kid(n, lhs);
    n->rhs = kid(n, rhs);
    return counted(u, n);
}

Node *cg_binary(Unit *u, int kind, Node *lhs, int op, Node *rhs)
{
    Node *n = cg_pair(u, kind, lhs->first, rhs->end, lhs, rhs);

    n->op = op;
    return n;
}

Node *cg_unary(Unit *u, int kind, int first, int end, Node *operand)
{
    Node *n = cg_node(u, kind, first, end);

    n->operand = kid(n, operand);
    return counted(u, n);
}

Node *cg_prefix(Unit *u, int kind, int op, Node *operand)
{
    Node *n = cg_unary(u, kind, op, operand ? operand->end : op + 1, operand);

    n->op = op;
    return n;
}

Node *cg_postfix(Unit *u, int op, Node *operand)
{
    Node *n = cg_unary(u, N_POSTFIX, operand->first, op + 1, operand);

    n->op = op;
    return n;
}

Node *cg_named(Unit *u, int kind, int first, int end, int name)
{
    Node *n = cg_node(u, kind, first, end);

    n->name = name;
    return n;
}

Node *cg_typed(Unit *u, int kind, int first, int end, int t0, int t1,
               Node *operand)
{
    Node *n = cg_unary(u, kind, first, end, operand);

    n->type[0] = t0;
    n->type[1] = t1;
    return n;
}

Node *cg_compound(Unit *u, int first, int t0, int t1, Node *init)
{
    Node *n = cg_node(u, N_COMPOUND, first, init->end);

    n->type[0] = t0;
    n->type[1] = t1;
    n->init = kid(n, init);
    return counted(u, n);
}

Node *cg_cond(Unit *u, Node *cond, Node *then, Node *els)
{
    Node *n = cg_node(u, N_COND, cond->first, els->end);

    n->cond = kid(n, cond);
    n->then = kid(n, then);
    n->els = kid(n, els);
    return counted(u, n);
}

Node *cg_call(Unit *u, Node *fn, Node *args, int end)
{
    Node *n = cg_node(u, N_CALL, fn->first, end);

    n->fn = kid(n, fn);
    n->args = kid(n, args);
    return counted(u, n);
}

Node *cg_args(Unit *u, int kind, int first, int end, Node *args)
{
    Node *n = cg_node(u, kind, first, end);

    n->args = kid(n, args);
    return counted(u, n);
}

Node *cg_list(Unit *u, int kind, int first, int end, Node *items)
{
    Node *n = cg_node(u, kind, first, end);

    n->items = kid(n, items);
    return counted(u, n);
}

Node *cg_stmt(Unit *u, int kind, int first, int end, Node *expr)
{
    Node *n = cg_node(u, kind, first, end);

    n->expr = kid(n, expr);
    return counted(u, n);
}

Node *cg_if(Unit *u, int first, Node *cond, Node *then, Node *els)
{
    Node *n = cg_node(u, N_IF, first, (els ? els : then)->end);

    n->cond = kid(n, cond);
    n->then = kid(n, then);
    n->els = kid(n, els);
    return counted(u, n);
}

Node *cg_loop(Unit *u, int kind, int first, int end, Node *cond, Node *body)
{
    Node *n = cg_node(u, kind, first, end);

    n->cond = kid(n, cond);
    n->body = kid(n, body);
    return counted(u, n);
}

Node *cg_for(Unit *u, int first, Node *init, Node *cond, Node *inc,
             Node *body)
{
    Node *n = cg_node(u, N_FOR, first, body->end);

    n->init = kid(n, init);
    n->cond = kid(n, cond);
    n->inc = kid(n, inc);
    n->body = kid(n, body);
    return counted(u, n);
}

Node *cg_labeled(Unit *u, int kind, int first, Node *expr, Node *range_end,
                 Node *body)
{
    Node *n = cg_node(u, kind, first, body->end);

    n->expr = kid(n, expr);
    n->body = kid(n, body);
    n->range_end = kid(n, range_end);
    return counted(u, n);
}

Node *cg_body(Unit *u, int kind, int first, int end, Node *body)
{
    Node *n = cg_node(u, kind, first, end);

    n->body = kid(n, body);
    return counted(u, n);
}

/* `select { cases }`: a switch on the case that completed, whose value
 * is the suspension point of the select, standing at its keyword. */
Node *cg_select(Unit *u, int first, Node *body)
{
    Node *n = cg_node(u, N_SWITCH, first, body->end);
    Node *wait = cg_node(u, N_AWAIT, first, first + 1);

    n->flags = wait->flags = NF_SELECT;
    n->cond = kid(n, wait);
    n->body = kid(n, body);
    return counted(u, n);
}

/* `co_timeout (ms) block [else els]`: an if flagged NF_DEADLINE, its
 * cond the time, its then the block, its else what runs when the
 * deadline passed inside the block. */
Node *cg_deadline(Unit *u, int first, Node *ms, Node *block, Node *els)
{
    Node *n = cg_if(u, first, ms, block, els);

    n->flags = NF_DEADLINE;
    return n;
}

Node *cg_yield_from(Unit *u, int first, int end, Node *gen)
{
    Node *n = cg_node(u, N_YIELD_FROM, first, end);

    n->gen = kid(n, gen);
    return counted(u, n);
}

Node *cg_var(Unit *u, int first, int end, int name, int d0, int d1, int flags,
             Node *init)
{
    Node *n = cg_named(u, N_VAR, first, end, name);

    n->init = kid(n, init);
    n->dcl[0] = d0;
    n->dcl[1] = d1;
    n->flags = flags;
    return counted(u, n);
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

Node *cg_decl(Unit *u, int first, int end, int s0, int s1, int storage,
              Node *vars)
{
    Node *n = cg_node(u, N_DECL, first, end);
    Node *v;

    n->vars = kid(n, vars);
    n->spec[0] = s0;
    n->spec[1] = s1;
    n->storage = storage;
    for (v = vars; v; v = v->next) {
        v->decl = n;
        /* A local typedef: later identifiers with this name are types. */
        if ((storage & ST_TYPEDEF) && v->name >= 0) {
            cg_typedef_add(u, u->src + u->toks[v->name].off,
                           u->toks[v->name].len);
            if (v->flags & NF_ARRAY)
                cg_array_type_add(u, u->src + u->toks[v->name].off, u->toks[v->name].len);
        }
    }
    return counted(u, n);
}

Node *cg_init(Unit *u, int first, int d0, int d1, Node *init)
{
    Node *n = cg_node(u, N_INIT, first, init->end);

    n->init = kid(n, init);
    n->desig[0] = d0;
    n->desig[1] = d1;
    return counted(u, n);
}

Node *cg_rangefor(Unit *u, int first, Node *var_decl, Node *gen, Node *body,
                  int flags)
{
    Node *n = cg_node(u, N_RANGE_FOR, first, body->end);

    n->var_decl = kid(n, var_decl);
    n->gen = kid(n, gen);
    n->body = kid(n, body);
    n->flags = flags;
    return counted(u, n);
}

/* ---- children --------------------------------------------------------- */

static void each(Node *l, void (*fn)(Node *, void *), void *arg)
{
    for (; l; l = l->next)
        fn(l, arg);
}

static void one(Node *n, void (*fn)(Node *, void *), void *arg)
{
    if (n)
        fn(n, arg);
}

/* The names of #if branches the parser did not read first (ppexpr.c);
 * lists by kind; every other child alone, in the order C evaluates or
 * the source writes them. */
void cg_visit(Node *n, void (*fn)(Node *, void *), void *arg)
{
    each(n->unparsed, fn, arg);
    switch (n->kind) {
    case N_BLOCK: case N_INIT_LIST:
        each(n->items, fn, arg);
        return;
    case N_DECL:
        each(n->vars, fn, arg);
        return;
    case N_BUILTIN: case N_ASM:
        each(n->args, fn, arg);
        return;
    case N_CALL:
        one(n->fn, fn, arg);
        each(n->args, fn, arg);
        return;
    case N_SIZEOF: case N_CAST:
        one(n->operand, fn, arg);
        each(n->type_uses, fn, arg);
        return;
    case N_COMPOUND:
        one(n->init, fn, arg);
        each(n->type_uses, fn, arg);
        return;
    case N_DO:
        one(n->body, fn, arg);
        one(n->cond, fn, arg);
        return;
    case N_VAR:
        each(n->type_uses, fn, arg);
        one(n->init, fn, arg);
        return;
    case N_CASE:
        one(n->expr, fn, arg);
        one(n->range_end, fn, arg);
        one(n->body, fn, arg);
        return;
    default:
        one(n->lhs, fn, arg);
        one(n->rhs, fn, arg);
        one(n->operand, fn, arg);
        one(n->expr, fn, arg);
        one(n->var_decl, fn, arg);
        one(n->gen, fn, arg);
        one(n->init, fn, arg);
        one(n->cond, fn, arg);
        one(n->then, fn, arg);
        one(n->els, fn, arg);
        one(n->inc, fn, arg);
        one(n->body, fn, arg);
    }
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

typedef struct Vla { Unit *u; int found; } Vla;

/* Recursion follows the expression's shape, whose depth the parser's fixed
 * stack bounds. */
static void vla_node(Node *n, void *arg)
{
    Vla *v = arg;

    if (n->kind == N_IDENT && has_lower(v->u, n->first))
        v->found = 1;
    else if (n->kind != N_SIZEOF)   /* sizeof x: constant unless x is a VLA */
        cg_visit(n, vla_node, v);
}

/* An array size is a lone expression (its ->next is NULL). */
int cg_vla_expr(Unit *u, Node *e)
{
    Vla v = {u, 0};

    vla_node(e, &v);
    return v.found;
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
    if (n->kind == N_VAR) {
        fputs(" dcl=", out);
        put_range(u, n->dcl[0], n->dcl[1], out);
    }
    if (n->kind == N_INIT && n->desig[1] > n->desig[0]) {
        fputs(" desig=", out);
        put_range(u, n->desig[0], n->desig[1], out);
    }
    if (n->type[1] > n->type[0]) {
        fputs(" type=", out);
        put_range(u, n->type[0], n->type[1], out);
    }
    if (n->storage)
        fprintf(out, " storage=%#x", (unsigned)n->storage);
    if (n->flags)
        fprintf(out, " flags=%#x", (unsigned)n->flags);
}

static void dump(Unit *u, Node *n, int depth, const char *role, FILE *out)
{
    for (; n; n = n->next) {
        const struct { const char *role; Node *kid; } kids[] = {
            {"fn", n->fn}, {"lhs", n->lhs}, {"operand", n->operand},
            {"items", n->items}, {"expr", n->expr}, {"vars", n->vars},
            {"var_decl", n->var_decl}, {"init", n->init},
            {"cond", n->cond}, {"then", n->then}, {"gen", n->gen},
            {"args", n->args}, {"rhs", n->rhs},
            {"type_uses", n->type_uses}, {"els", n->els},
            {"inc", n->inc}, {"body", n->body},
            {"range_end", n->range_end},
        };
        fprintf(out, "%*s%s%s [%d,%d)", 2 * depth, "", role,
                n->kind >= 0 && n->kind < N_KIND_COUNT ? kind_names[n->kind]
                                                       : "?",
                n->first, n->end);
        dump_fields(u, n, out);
        fputc(' ', out);
        put_range(u, n->first, n->end, out);
        fputc('\n', out);
        for (size_t i = 0; i < sizeof kids / sizeof *kids; i++)
            if (kids[i].kid) {
                char label[16];
                snprintf(label, sizeof label, "%s: ", kids[i].role);
                dump(u, kids[i].kid, depth + 1, label, out);
            }
    }
}

void cg_dump(Unit *u, Node *n, FILE *out)
{
    dump(u, n, 0, "", out);
}
