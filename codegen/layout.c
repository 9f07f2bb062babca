/*
 * layout.c - the frame's fields as data.  For each field, in the order
 * the frame struct declares them: what it holds, the user's name and the
 * field's, and its declaration as source token ranges and generated text.
 * Runs after hoist.c (which parameters, locals, literals and sub-frames
 * the frame holds) and lower.c (its temporaries); frame.c prints the list
 * and decides nothing.
 */
#include "cg.h"
#include "parser.h"

typedef struct Layout {
    Unit *u;
    Func *f;
    Field **tail;       /* where the next field goes                          */
    Part **part;        /* where the next part of the current field goes      */
    Part *last;         /* the part added last to it, NULL at its start       */
} Layout;

static const char *spelling(Unit *u, int tok)
{
    return cg_strdup(u, u->src + u->toks[tok].off, u->toks[tok].len);
}

static Field *field(Layout *l, int kind, const char *fname)
{
    Field *fd = cg_alloc(l->u, sizeof *fd);
    fd->kind = kind, fd->field = fname;
    *l->tail = fd;
    l->tail = &fd->next;
    l->part = &fd->type;
    l->last = NULL;
    return fd;
}

static void part(Layout *l, int kind, int tok, int end, const char *text)
{
    Part *p = cg_alloc(l->u, sizeof *p);
    p->kind = kind, p->tok = tok, p->end = end, p->text = text;
    *l->part = p;
    l->part = &p->next;
    l->last = p;
}

static void text(Layout *l, const char *s) { part(l, PT_TEXT, -1, -1, s); }
static void toks(Layout *l, int a, int b) { part(l, PT_TOKS, a, b, NULL); }
static void name(Layout *l) { part(l, PT_NAME, -1, -1, NULL); }
static void gap(Layout *l, int tok) { part(l, PT_GAP, tok, tok, NULL); }

/* Token i after the source's gap before it: it joins the range printed
 * just before it, when it follows that. */
static void gap_tok(Layout *l, int i)
{
    if (l->last && l->last->kind == PT_TOKS && l->last->end == i) {
        l->last->end = i + 1;
        return;
    }
    gap(l, i);
    toks(l, i, i + 1);
}

/* `T name`: a field of the type written as tokens r. */
static void typed(Layout *l, int kind, const char *fname, const int r[2])
{
    field(l, kind, fname);
    toks(l, r[0], r[1]);
    text(l, " ");
    name(l);
}

static int count(Node *list)
{
    int n = 0;
    for (; list; list = list->next) n++;
    return n;
}

/* ---- parameters and locals ---------------------------------------------------- */

/* A specifier a field does without: storage classes, and a top-level
 * const (the frame is assigned after it is made). */
static int dropped(Unit *u, int i, int keep_const)
{
    int t = u->toks[i].id;
    return t == TK_STATIC || t == TK_REGISTER || t == TK_AUTO || t == TK_EXTERN ||
           (!keep_const && cg_tok_const(u, i));
}

/* The specifiers [s0, s1) of v's declaration, a space between each:
 * of its attribute groups, __attribute__((...)) or [[...]], only those
 * that set the type or the alignment are the member's too (unused is
 * the local's), and the body of a struct whose type moved to file scope
 * is left to its tag. */
static void specifiers(Layout *l, int s0, int s1, Node *v, int keep_const)
{
    Unit *u = l->u;
    int lb = -1, rb = -1, sep = 0;
    if (!(v->flags & NF_PARAM)) emit_moved_body(u, v->decl, &lb, &rb);
    for (int i = s0; i < s1; i++) {
        int end, attr = cg_attr_group(u, i, s1, &end);
        if (attr == ATTR_TYPE || attr == ATTR_ALIGN) {
            if (sep) text(l, " ");
            toks(l, i, end);
            i = end - 1, sep = 1;
            continue;
        }
        if (attr != ATTR_NONE) i = end - 1;
        if (attr != ATTR_NONE || dropped(u, i, keep_const) || (i >= lb && i <= rb)) continue;
        if (sep) text(l, " ");
        toks(l, i, i + 1);
        if (i == lb - 1 && v->decl->tag) text(l, cg_fmt(u, " %s", v->decl->tag));
        sep = 1;
    }
}

/* `a[]`: its initializer gives the size. */
static void array_size(Layout *l, Node *v)
{
    if (v->init->kind == N_INIT_LIST) {
        text(l, cg_fmt(l->u, "[%d]", count(v->init->items)));
        return;
    }
    text(l, "[sizeof (");         /* a string: its elements, wide or not */
    toks(l, v->init->first, v->init->end);
    text(l, ") / sizeof *(");
    toks(l, v->init->first, v->init->end);
    text(l, ")]");
}

/* Is token i of v's declarator printed other than as written: a
 * top-level const (dropped), an unsized `[` the initializer sizes, the
 * name? */
static int rewritten(Unit *u, Node *v, int i)
{
    int t = u->toks[i].id;
    return (cg_top_const(u, v, i) && cg_tok_const(u, i)) ||
           (t == TK_LBRACKET && u->toks[i + 1].id == TK_RBRACKET && v->init) || i == v->name;
}

/* v's declarator, the source's gaps kept but after the name, the name
 * the field's; an array or function parameter is the pointer C makes of
 * it (`int m[][3]`: `int (*m)[3]`, `int f(int)`: `int (*f)(int)`). */
static void declarator(Layout *l, Node *v, int arrparm, int funcparm)
{
    Unit *u = l->u;
    text(l, " ");
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) {
        int gapped = i > v->dcl[0] && i - 1 != v->name;
        if (!rewritten(u, v, i)) {
            if (gapped) gap_tok(l, i);
            else toks(l, i, i + 1);
            continue;
        }
        if (gapped) gap(l, i);
        if (i == v->name && (arrparm || funcparm)) {
            text(l, "(*");
            name(l);
            text(l, ")");
            if (arrparm)        /* the first [...] is gone */
                for (i++; i < v->dcl[1] && u->toks[i].id != TK_RBRACKET; i++) {}
        } else if (i == v->name) {
            name(l);
        } else if (u->toks[i].id == TK_LBRACKET) {
            array_size(l, v);
            i++;
        }
    }
}

/* The attribute groups after v's declarator that set its type or its
 * alignment: the field must keep them (others concern the local). */
static void alignment(Layout *l, Field *fd, Node *v)
{
    Unit *u = l->u;
    l->part = &fd->align;
    l->last = NULL;
    for (int i = v->dcl[1], end, attr; (attr = cg_attr_group(u, i, u->ntoks, &end)) != ATTR_NONE; i = end)
        if (attr == ATTR_TYPE || attr == ATTR_ALIGN) {
            text(l, " ");
            toks(l, i, end);
        }
}

/* A parameter declared `va_list NAME`, which init copies with va_copy. */
static int va_list_param(Unit *u, Node *q)
{
    return q->spec[1] == q->spec[0] + 1 && q->dcl[1] == q->dcl[0] + 1 &&
           (cg_tok_is(u, q->spec[0], "va_list") || cg_tok_is(u, q->spec[0], "__gnuc_va_list") ||
            cg_tok_is(u, q->spec[0], "__builtin_va_list"));
}

/* A parameter or local as a field, declared with specifiers [s0, s1). */
static void var_field(Layout *l, int kind, int s0, int s1, Node *v)
{
    Unit *u = l->u;
    int ptr = 0, param = (v->flags & NF_PARAM) != 0;
    int arrparm = param && v->name >= 0 && v->name + 1 < v->dcl[1] && u->toks[v->name + 1].id == TK_LBRACKET;
    for (int i = v->dcl[0]; i < v->dcl[1]; i++) ptr |= u->toks[i].id == TK_STAR;
    Field *fd = field(l, kind, v->field);
    fd->name = spelling(u, v->name);
    fd->flags = param && va_list_param(u, v) ? FL_VA_COPY : 0;
    if (!param) fd->pp = v->pp;
    specifiers(l, s0, s1, v, ptr || arrparm);
    declarator(l, v, arrparm, param && (v->flags & NF_FUNC));
    alignment(l, fd, v);
}

/* ---- literals, temporaries, sub-frames ------------------------------------------- */

/* A compound literal's type name, a space between tokens, the field's
 * name where a declarator's name goes (before the first `[`), `[]` sized
 * from the initializer. */
static void literal_field(Layout *l, Node *n)
{
    Unit *u = l->u;
    int named = 0;
    field(l, FD_LITERAL, n->field);
    for (int i = n->type[0]; i < n->type[1]; i++) {
        int bracket = u->toks[i].id == TK_LBRACKET;
        if (!named && bracket) {
            text(l, " ");
            name(l);
            named = 1;
        }
        if (bracket && u->toks[i + 1].id == TK_RBRACKET) {
            text(l, cg_fmt(u, "[%d]", count(n->init ? n->init->items : NULL)));
            i++;
            continue;
        }
        if (i > n->type[0]) text(l, " ");
        toks(l, i, i + 1);
    }
    if (named) return;
    text(l, " ");
    name(l);
}

/* The coroutine a sub-frame's form calls. */
static const char *callee(Unit *u, Node *s)
{
    if (s->kind == N_AWAIT && (s->flags & NF_SELECT)) return "co_sel";
    return spelling(u, s->kind == N_AWAIT ? emit_await_call(s)->fn->first : s->callee->name);
}

/* Sub-frame s, the k-th of the frame, as a member of its union `slot`. */
static void sub_field(Layout *l, Node *s, int k, const char *slot)
{
    Unit *u = l->u;
    const char *member = cg_fmt(u, "co_sub%d", k);
    s->field = cg_fmt(u, "%s.%s", slot, member);
    int boxed = s->kind == N_AWAIT && (s->flags & NF_HANDLE) && !(s->flags & NF_TIMEOUT);
    field(l, boxed || ((s->flags & NF_HANDLE) && s->kind != N_AWAIT) ? FD_SUB_PTR : FD_SUB, member);
    if (s->flags & NF_CHANNEL)      /* the channel, read once, and the receive */
        text(l, "struct { co_chan *co_ch; struct co_chanop co_op; } ");
    else if (s->kind == N_AWAIT && (s->flags & NF_SELECT))   /* its cases beside it */
        text(l, cg_fmt(u, "struct { struct co_sel co_s; struct co_selcase co_c[%d]; } ",
                       s->select->ncases ? s->select->ncases : 1));
    else if (s->kind == N_AWAIT && (s->flags & NF_TIMEOUT))
        text(l, cg_fmt(u, "struct { struct co_timeout co_to; struct %s__frame co_in;%s } ", callee(u, s),
                       s->flags & NF_TIMEOUT_OUT ? " void *co_out;" : ""));
    else if (boxed) text(l, cg_fmt(u, "struct %s__frame *", callee(u, s)));
    else if (s->flags & NF_HANDLE) text(l, "co_gen *");
    else text(l, cg_fmt(u, "struct %s__frame ", callee(u, s)));
    name(l);
}

/* The unions of sub-frames: a sub-frame's union is its ->id. */
static void slots(Layout *l)
{
    Func *f = l->f;
    for (int slot = 0; slot < f->nslots; slot++) {
        Field *fd = field(l, FD_SLOT, cg_fmt(l->u, "co_u%d", slot));
        name(l);
        Field **tail = l->tail;
        l->tail = &fd->members;
        int k = 1;
        for (Node *s = f->subs; s; s = s->link, k++)
            if (s->id == slot) sub_field(l, s, k, fd->field);
        l->tail = tail;
    }
}

/* The results of boxed awaits (the frame awaited is freed before its
 * result is read). */
static void await_results(Layout *l)
{
    for (Node *s = l->f->subs; s; s = s->link)
        if (s->kind == N_AWAIT && (s->flags & NF_HANDLE) && !(s->flags & NF_TIMEOUT) &&
            emit_has_type(l->u, s->callee->rtype))
            typed(l, FD_AWAIT_RESULT, cg_fmt(l->u, "co_r%d", s->state), s->callee->rtype);
}

/* The temporaries lower.c made, in its order, and the deadline blocks'
 * deadlines. */
static void temporaries(Layout *l)
{
    Func *f = l->f;
    for (Node *n = f->temps; n; n = n->link) {
        field(l, FD_TEMP, n->field);
        text(l, "int ");
        name(l);
    }
    for (Node *n = f->sent_temps; n; n = n->link) typed(l, FD_SENT_TEMP, n->field, f->stype);
    for (Node *n = f->deadlines; n; n = n->link) {
        field(l, FD_DEADLINE, n->field);
        text(l, "struct co_deadline ");
        name(l);
    }
}

/* ---- the frame ---------------------------------------------------------------- */

static void fixed(Layout *l)
{
    Func *f = l->f;
    field(l, FD_STATE, "co_state");
    text(l, "int ");
    name(l);
    if (f->kind == F_ASYNC && emit_has_type(l->u, f->rtype)) typed(l, FD_RESULT, "co_result", f->rtype);
    if (emit_has_type(l->u, f->ytype)) typed(l, FD_VALUE, "co_value", f->ytype);
    if (f->stype[0]) typed(l, FD_SENT, "co_sent", f->stype);
}

void cg_layout(Unit *u, Func *f)
{
    Layout l = { .u = u, .f = f, .tail = &f->fields };
    fixed(&l);
    for (Node *p = f->params; p; p = p->next)
        if (p->field) var_field(&l, FD_PARAM, p->spec[0], p->spec[1], p);
    for (Node *v = f->frame_vars; v; v = v->link) var_field(&l, FD_LOCAL, v->decl->spec[0], v->decl->spec[1], v);
    for (Node *n = f->lits; n; n = n->link) literal_field(&l, n);
    temporaries(&l);
    await_results(&l);
    slots(&l);
}
