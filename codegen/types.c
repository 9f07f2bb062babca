/*
 * types.c - the types a coroutine body declares, moved to file scope.
 *
 * Frame fields are declared at file scope, so the types a body declares
 * (typedefs, struct/union/enum definitions) move there, before the frame;
 * the body keeps only its declarators.  At file scope their names would
 * clash with another coroutine's, or with the file-scope type they
 * shadow, so each moved name (tag, typedef name, enumeration constant)
 * becomes NAME__name, NAME being the coroutine's (NAME__name__2... when
 * the body declares it again), and every use of it in its scope is
 * rewritten.  An anonymous struct gets a tag NAME__tN so that both places
 * can name it.
 */
#include <string.h>

#include "cg.h"
#include "parser.h"

/* The new name of one declared name, in force over tokens [start, end). */
typedef struct Rename {
    int start, end;
    const char *to;
    struct Rename *next;    /* the next of the same spelling, in source order */
    struct Rename *outer;   /* while in force: the one it shadows             */
} Rename;

/* The renamings of one spelling in one name space. */
typedef struct Spelling {
    Rename *pending;        /* not reached yet, in source order               */
    Rename **tail;
    Rename *top;            /* in force, innermost first (via ->outer)       */
} Spelling;

typedef struct Types {
    Unit *u;
    Func *f;
    Node **tail;            /* end of f->types                                */
    int scope_end;          /* end of the innermost scope                     */
    Map tags, names;        /* spelling -> Spelling: tags, ordinary names     */
    Map tags_given, names_given;    /* new names given, per name space        */
    int ntypes;             /* anonymous types named so far                   */
} Types;

static int tag_keyword(int id) { return id == TK_STRUCT || id == TK_UNION || id == TK_ENUM; }
static int name_token(int id) { return id == TK_IDENT || id == TK_TYPENAME; }

/* ---- collecting the names a moved declaration declares ------------------ */

/* Token tok declares a name of name space ns, in scope to the scope's end. */
static void declare(Types *t, Map *ns, int tok)
{
    Unit *u = t->u;
    const Token *k = &u->toks[tok], *fn = &u->toks[t->f->name];
    void **slot = cg_map_slot(u, ns, u->src + k->off, k->len);
    Spelling *sp = *slot;
    if (!sp) {
        sp = *slot = cg_alloc(u, sizeof *sp);
        sp->tail = &sp->pending;
    }
    Rename *r = cg_alloc(u, sizeof *r);
    r->start = tok, r->end = t->scope_end;
    const char *base = cg_fmt(u, "%.*s__%.*s", fn->len, u->src + fn->off, k->len, u->src + k->off);
    r->to = cg_unique(u, ns == &t->tags ? &t->tags_given : &t->names_given, base);
    *sp->tail = r;
    sp->tail = &r->next;
}

/* The enumeration constants of the enum body opening at token lb. */
static int enumerators(Types *t, int lb, int end)
{
    Unit *u = t->u;
    int depth = 0, i = lb;
    for (; i < end; i++) {
        int id = u->toks[i].id, prev = u->toks[i - 1].id;
        if (id == TK_LBRACE || id == TK_LPAREN || id == TK_LBRACKET) depth++;
        else if ((id == TK_RBRACE || id == TK_RPAREN || id == TK_RBRACKET) && --depth == 0) break;
        else if (depth == 1 && name_token(id) && (prev == TK_LBRACE || prev == TK_COMMA))
            declare(t, &t->names, i);
    }
    return i;
}

/* Tags and enumeration constants of d's specifiers, and the tag an
 * anonymous type (the outermost, not one inside another's body) gets. */
static void spec_names(Types *t, Node *d)
{
    Unit *u = t->u;
    const Token *fn = &u->toks[t->f->name];
    for (int i = d->spec[0], depth = 0; i + 1 < d->spec[1]; i++) {
        depth += (u->toks[i].id == TK_LBRACE) - (u->toks[i].id == TK_RBRACE);
        if (!tag_keyword(u->toks[i].id)) continue;
        int named = name_token(u->toks[i + 1].id), lb = i + 1 + named;
        if (lb >= d->spec[1] || u->toks[lb].id != TK_LBRACE) continue;
        if (named) declare(t, &t->tags, i + 1);
        else if (depth == 0 && !(d->storage & ST_TYPEDEF))
            d->tag = cg_unique(u, &t->tags_given,
                                 cg_fmt(u, "%.*s__t%d", fn->len, u->src + fn->off, ++t->ntypes));
        if (u->toks[i].id == TK_ENUM) i = enumerators(t, lb, d->spec[1]);
    }
}

static void type_decl(Types *t, Node *d)
{
    Unit *u = t->u;
    int brace = 0;
    for (int i = d->spec[0]; i < d->spec[1] && !brace; i++) brace = u->toks[i].id == TK_LBRACE;
    if (!(d->storage & ST_TYPEDEF) && !brace) return;
    d->flags |= NF_HOIST;
    spec_names(t, d);
    if (d->storage & ST_TYPEDEF)
        for (Node *v = d->vars; v; v = v->next)
            if (v->name >= 0) declare(t, &t->names, v->name);
    *t->tail = d;
    t->tail = &d->link;
}

static void walk(Node *n, void *arg)
{
    Types *t = arg;
    int end = t->scope_end;
    if (n->kind == N_BLOCK || n->kind == N_FOR || n->kind == N_RANGE_FOR) t->scope_end = n->end;
    if (n->kind == N_DECL) type_decl(t, n);
    cg_visit(n, walk, t);
    t->scope_end = end;
}

/* ---- rewriting the uses ------------------------------------------------------ */

/* The new name of the spelling of token i at i, if any. */
static const char *in_force(Spelling *sp, int i)
{
    while (sp->top && sp->top->end <= i) sp->top = sp->top->outer;
    while (sp->pending && sp->pending->start <= i) {
        Rename *r = sp->pending;
        sp->pending = r->next;
        r->outer = sp->top;
        sp->top = r;
    }
    return sp->top ? sp->top->to : NULL;
}

/* One pass over the body: a name after struct/union/enum is a tag, one
 * after `.` or `->` a member, any other an ordinary name. */
static void rewrite(Types *t)
{
    Unit *u = t->u;
    if (!t->tags.count && !t->names.count) return;
    for (int i = t->f->body->first; i < t->f->body->end; i++) {
        Token *k = &u->toks[i];
        int prev = u->toks[i - 1].id;
        if (!name_token(k->id) || prev == TK_DOT || prev == TK_ARROW) continue;
        Spelling *sp = cg_map_get(tag_keyword(prev) ? &t->tags : &t->names, u->src + k->off, k->len);
        const char *to = sp ? in_force(sp, i) : NULL;
        if (to) k->subst = to;
    }
}

void cg_types(Unit *u, Func *f)
{
    Types t = { .u = u, .f = f, .tail = &f->types, .scope_end = f->body->end };
    walk(f->body, &t);
    rewrite(&t);
}
