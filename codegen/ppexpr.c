/*
 * ppexpr.c - preprocessor directives inside a statement.
 *
 * The parser reads a statement in one configuration: of an #if group
 * inside it the first branch, and none of the directive lines (parse.c).
 * That is enough where the group lies inside one expression that cogen
 * prints as written, renaming names only: the names of the branches not
 * read become that expression's `unparsed` list, which scope.c resolves
 * like any other and hoist.c renames, and a local named there counts as
 * one whose address is taken, so that whatever the branch does with it,
 * it lives where every configuration finds it.  Everywhere else (a group
 * around a declarator or the parts of a statement, inside a form whose
 * text the translation takes apart, a branch holding a cogen word or an
 * object the frame might have to hold) cogen says where the group goes.
 *
 * Placing a group also makes every node on the way down to its
 * expression end past the group's #endif, so that printing the node's
 * tokens prints the whole group.
 */

#include "cg.h"
#include "parser.h"

/* ---- the way down ---------------------------------------------------- */

typedef struct Find {
    int from, to;
    Node *hit;
} Find;

static void holds(Node *n, void *arg)
{
    Find *f = arg;
    if (!f->hit && n->first <= f->from && f->to <= n->end) f->hit = n;
}

/* The child of n that holds the tokens read around group g, if any. */
static Node *down(Node *n, const PPInline *g)
{
    Find f = { g->from, g->to, NULL };
    cg_visit(n, holds, &f);
    return f.hit;
}

/* The node of the list root that holds them. */
static Node *top(Node *root, const PPInline *g)
{
    for (; root; root = root->next)
        if (root->first <= g->from && g->to <= root->end) return root;
    return NULL;
}

/* A form whose text the translation takes apart or prints elsewhere in
 * pieces: the group would be cut. */
static int taken_apart(Unit *u, Node *n)
{
    if (n->kind == N_YIELD_FROM || n->kind == N_RANGE_FOR || (n->flags & (NF_SELECT | NF_DEADLINE)))
        return 1;
    if (n->kind != N_AWAIT) return 0;
    Node *c = n->operand;
    while (c && c->kind == N_PAREN) c = c->operand;
    return c && c->kind == N_CALL && c->fn && c->fn->kind == N_IDENT && cg_tok_is(u, c->fn->first, "co_timeout");
}

static void suspends(Node *n, void *arg)
{
    if (n->kind == N_YIELD || n->kind == N_AWAIT || n->kind == N_YIELD_FROM || n->kind == N_RANGE_FOR)
        *(int *)arg = 1;
    else
        cg_visit(n, suspends, arg);
}

/* Report why group g cannot stay where it is, with `why`. */
static void refuse(Unit *u, const PPInline *g, const char *why)
{
    cg_error(u, g->at, "'%s' %s: %s", cg_pp_name(u, g->at), why,
             cg_pp_kind(u, g->at) ? "put the #if group around whole statements (the statement "
                                    "written in each branch)"
                                  : "move it before the statement");
}

/* ---- the branches not read ------------------------------------------- */

/* What in the branches not read cogen would have to see: a cogen word,
 * or an object that may have to live in the frame.  Reported; 0 if none. */
static int hidden_form(Unit *u, const PPInline *g)
{
    static const char *const words[] = { "yield", "await", "defer" };
    for (int i = g->skip; i < g->end; i++) {
        int id = u->toks[i].id, before = u->toks[i - 1].id;
        const char *what = NULL;
        if (id == TK_LBRACE && before == TK_RPAREN) what = "a compound literal";
        else if (id == TK_LBRACE && before == TK_LPAREN) what = "a statement expression";
        for (size_t w = 0; id == TK_IDENT && w < sizeof words / sizeof *words; w++)
            if (cg_tok_is(u, i, words[w])) what = cg_fmt(u, "'%s'", words[w]);
        if (what) {
            cg_error(u, i, "%s in an #if branch that cogen does not read (the '%s' on line %d): "
                     "put the #if group around whole statements (the statement written in each "
                     "branch)", what, cg_pp_name(u, g->at), u->toks[g->at].line);
            return 1;
        }
    }
    return 0;
}

/* The names of the branches not read, as e's unparsed list: every
 * identifier but a member's or a tag's name. */
static void unparsed(Unit *u, Node *e, const PPInline *g)
{
    Node **tail = &e->unparsed;
    while (*tail) tail = &(*tail)->next;
    for (int i = g->skip; i < g->end; i++) {
        int before = u->toks[i - 1].id;
        if (u->toks[i].id != TK_IDENT || before == TK_DOT || before == TK_ARROW ||
            before == TK_STRUCT || before == TK_UNION || before == TK_ENUM)
            continue;
        Node *id = cg_node(u, N_IDENT, i, i + 1);
        id->flags = NF_UNPARSED;
        *tail = id;
        tail = &id->next;
    }
}

/* ---- placing a group ---------------------------------------------------- */

static int place(Unit *u, Node *root, const PPInline *g)
{
    Node *e = NULL, *last = NULL;
    int around = 0, under = 0, e_around = 0, e_under = 0, cut = 0;

    /* e: the innermost expression holding the tokens read; around: a
     * suspension holds it (printed elsewhere, whole); under: a form
     * that takes its text apart holds it.  A statement inside those is
     * printed as any other: their parts are the head's expressions (a
     * select's cases, a range-for's variable). */
    for (Node *n = top(root, g), *up = NULL; n; up = n, n = down(n, g)) {
        last = n;
        if (n->kind < N_IDENT && n->kind != N_VAR && n->kind != N_CASE && !(up && up->var_decl == n))
            around = under = 0;
        if (n->kind >= N_IDENT) e = n, e_around = around, e_under = under;
        around |= n->kind == N_AWAIT || n->kind == N_YIELD;
        under |= taken_apart(u, n);
    }
    if (!e || last != e) {
        refuse(u, g, "inside a statement, not inside one expression of it");
        return -1;
    }
    int susp = 0;
    suspends(e, &susp);
    for (Node *n = top(root, g); n && !cut; n = n == e ? NULL : down(n, g))
        cut = n->end < g->end && (n->kind == N_COMPOUND || (e_around && n->kind == N_CALL));
    if (susp || e_under || cut) {
        refuse(u, g, "inside an expression that cogen takes apart around a suspension point");
        return -1;
    }
    if (hidden_form(u, g)) return -1;
    for (Node *n = top(root, g); n; n = n == e ? NULL : down(n, g))
        if (n->end < g->end) n->end = g->end;
    unparsed(u, e, g);
    return 0;
}

int cg_pp_place(Unit *u, Node *root, PPInline *groups)
{
    int rc = 0;
    for (PPInline *g = groups; g; g = g->next)
        if (place(u, root, g) < 0) rc = -1;
    return rc;
}
