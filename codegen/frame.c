/*
 * frame.c - a coroutine's definition: its frame struct, init, resume and
 * close functions, and its handle (a generator's co_gen, an async
 * function's task); prototypes, and the header --header writes.
 */
#include "cg.h"
#include "parser.h"

/* Open the #if branches of ctx (outermost first), for generated code that
 * belongs to a point inside them; pp_close ends them. */
static void pp_open(Out *o, PPCtx *c)
{
    if (!c) return;
    pp_open(o, c->outer);
    if (!o->bol) out_gen(o, c->dirs[0], "\n");
    for (int i = 0; i < c->ndirs; i++) {
        const Token *t = &o->u->toks[c->dirs[i]];
        out_put(o, o->u->src + t->off, t->len, t->line);
        out_gen(o, c->dirs[i], "\n");
    }
}

static void pp_close(Out *o, PPCtx *c)
{
    for (; c; c = c->outer) {
        if (!o->bol) out_gen(o, c->dirs[0], "\n");
        out_gen(o, c->dirs[0], "#endif\n");
    }
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
    out_toks(o, f->name + 1, close + 1, NULL);
}

static void print_part(Out *o, int at, const Field *fd, const Part *p)
{
    switch (p->kind) {
    case PT_TOKS: out_toks(o, p->tok, p->end, NULL); break;
    case PT_GAP: out_gap(o, p->tok); break;
    case PT_TEXT: out_gen(o, at, p->text); break;
    case PT_NAME: out_gen(o, at, fd->field); break;
    }
}

/* The fields of a frame (layout.c) or of one of its unions. */
static void print_fields(Out *o, int at, const Field *list, const char *indent)
{
    for (const Field *fd = list; fd; fd = fd->next) {
        pp_open(o, fd->pp);
        out_gen(o, at, indent);
        if (fd->kind == FD_SLOT) {
            out_gen(o, at, "union {\n");
            print_fields(o, at, fd->members, "        ");
            out_gen(o, at, indent);
            out_gen(o, at, "} ");
        }
        for (const Part *p = fd->type; p; p = p->next) print_part(o, at, fd, p);
        for (const Part *p = fd->align; p; p = p->next) print_part(o, at, fd, p);
        out_gen(o, at, ";\n");
        pp_close(o, fd->pp);
    }
}

static void frame_struct(Out *o, Func *f, const char *nm)
{
    out_genf(o, f->name, "struct %s__frame {\n", nm);
    print_fields(o, f->name, f->fields, "    ");
    out_gen(o, f->name, "};\n");
}

static void init_fn(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    const char *p = f->fp;
    out_genf(o, h, "%svoid %s__init(", emit_linkage(f), nm);
    for (Node *q = f->params; q; q = q->next) {
        out_text(o, q);
        out_gen(o, h, ", ");
    }
    out_genf(o, h, "struct %s__frame *%s)\n{\n    %s->co_state = 0;\n", nm, p, p);
    if (f->stype[0]) out_genf(o, h, "    memset(&%s->co_sent, 0, sizeof %s->co_sent);\n", p, p);
    for (Field *fd = f->fields; fd; fd = fd->next)
        if (fd->kind == FD_PARAM)
            out_genf(o, h, fd->flags & FL_VA_COPY ? "    __builtin_va_copy(%s->%s, %s);\n" : "    %s->%s = %s;\n",
                     p, fd->field, fd->name);
    out_gen(o, h, "}\n");
}

static void resume_fn(Out *o, Func *f, const char *nm)
{
    Node *b = f->body;
    const char *p = f->fp;
    int h = b->first, e = b->end - 1;
    if (emit_is_async(f)) out_genf(o, h, "%sint %s__resume(struct %s__frame *%s, co_task *co_t)", emit_linkage(f), nm, nm, p);
    else out_genf(o, h, "static inline int %s__resume(struct %s__frame *%s)", nm, nm, p);
    out_line(o, h);
    out_put(o, "{", 1, o->u->toks[h].line);
    o->depth = 1;
    for (Node *q = f->params; q; q = q->next)   /* cached (hoist.c): read on each entry */
        if (q->flags & NF_CACHED)
            out_stmt(o, f->name, "%s %s = %s->%s;", cg_tokens_text(o->u, q->spec[0], q->spec[1]),
                     cg_tokens_text(o->u, q->dcl[0], q->dcl[1]), p, q->field);
    out_stmt(o, h, "switch (%s->co_state) {", p);
    out_stmt(o, h, "case 0: break;");
    for (int k = 1; k <= f->nstates; k++) {
        PPCtx *pp = f->states[k]->pp;
        pp_open(o, pp);
        Node *st = f->states[k];
        out_line(o, h);
        out_genf(o, h, "case %d: goto co_%c%d;", k,
             st->kind == N_AWAIT || (st->kind == N_RANGE_FOR && (st->flags & NF_AWAIT)) ? 'a' : 'y', k);
        pp_close(o, pp);
    }
    const char *done = emit_is_async(f) ? "CO_DONE" : "0";
    out_stmt(o, h, "default: return %s;", done);
    out_stmt(o, h, "}");
    if (emit_is_async(f)) out_stmt(o, h, "(void)co_t;");    /* a body that never awaits */
    o->depth = 0;
    emit_block(o, b);
    o->depth = 1;
    out_stmt(o, e, "%s->co_state = -1;", p);
    out_stmt(o, e, "return %s;", done);
    o->depth = 0;
    out_stmt(o, e, "}\n");
}

static void close_fn(Out *o, Func *f, const char *nm)
{
    int h = f->name, any = 0;
    const char *p = f->fp;
    out_genf(o, h, "%svoid %s__close(struct %s__frame *%s)\n{\n", emit_linkage(f), nm, nm, p);
    for (int k = 1; k <= f->nstates; k++) {
        Node *s = f->states[k];
        if (!s->cl[0]) continue;
        if (!any) out_genf(o, h, "    switch (%s->co_state) {\n", p);
        any = 1;
        pp_open(o, s->pp);
        out_genf(o, s->first, "    case %d:", k);
        o->depth = 2;
        emit_cleanups(o, s->cl[0], NULL, s->first);
        out_stmt(o, s->first, "break;\n");
        o->depth = 0;
        pp_close(o, s->pp);
    }
    if (any) out_gen(o, h, "    }\n");
    out_genf(o, h, "    %s->co_state = -1;\n}\n", p);
}

/* The attributes written before `generator` / `async`, among its storage
 * classes (`[[nodiscard]] static async int f(void)`): the handle
 * constructor's, on its prototype and its definition (on the line of
 * the name, where the prototype goes), each followed by sep. */
static void lead_attrs(Out *o, Func *f, const char *sep)
{
    for (int j = f->first, e; j < f->word; j = e + 1) {
        for (e = j; e < f->word && !cg_storage_word(o->u->toks[e].id); e++)
            ;
        if (e > j) out_genf(o, f->name, "%s%s", cg_tokens_text(o->u, j, e), sep);
    }
}

/* The parameters a constructor passes to NAME__init, each followed by `, `. */
static void init_args(Out *o, Func *f)
{
    for (Field *fd = f->fields; fd; fd = fd->next)
        if (fd->kind == FD_PARAM) out_genf(o, f->name, "%s, ", fd->name);
}

/* The handle: a heap box with the co_gen header, its vt and constructor. */
static void handle_fns(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    const char *p = f->fp;
    out_genf(o, h, "struct %s__box { co_gen co_hdr; struct %s__frame co_fr; };\n", nm, nm);
    out_genf(o, h, "static int %s__vresume(co_gen *co_g, const void *co_in, void *co_out)\n{\n", nm);
    out_genf(o, h, "    struct %s__frame *%s = &((struct %s__box *)co_g)->co_fr;\n", nm, p, nm);
    out_genf(o, h, "    if (co_in && %s->co_state == 0) return -EINVAL;\n", p);
    if (f->stype[0])
        out_genf(o, h, "    if (co_in) memcpy(&%s->co_sent, co_in, sizeof %s->co_sent);\n"
                   "    else memset(&%s->co_sent, 0, sizeof %s->co_sent);\n", p, p, p, p);
    out_genf(o, h, "    if (!%s__resume(%s)) return 0;\n", nm, p);
    if (emit_has_type(o->u, f->ytype))
        out_genf(o, h, "    if (co_out) memcpy(co_out, &%s->co_value, sizeof %s->co_value);\n", p, p);
    else out_gen(o, h, "    (void)co_out;\n");
    out_gen(o, h, "    return 1;\n}\n");
    out_genf(o, h, "static void %s__vclose(co_gen *co_g)\n{\n    %s__close(&((struct %s__box *)co_g)->co_fr);\n}\n",
         nm, nm, nm);
    out_genf(o, h, "static const co_gen_vt %s__vt = { %s__vresume, %s__vclose };\n", nm, nm, nm);
    lead_attrs(o, f, " ");
    out_gen(o, h, f->is_static ? "static CO_UNUSED co_gen *" : "co_gen *");
    out_gen(o, h, nm);
    params(o, f);
    out_genf(o, h, "\n{\n    struct %s__box *co_b = co_alloc_for(sizeof *co_b, _Alignof(struct %s__box));\n    if (!co_b) return NULL;\n"
               "    co_b->co_hdr.vt = &%s__vt;\n    %s__init(", nm, nm, nm, nm);
    init_args(o, f);
    out_gen(o, h, "&co_b->co_fr);\n    return &co_b->co_hdr;\n}\n");
}

/* A task: the block { co_task header; frame }, its vt and the plain-call
 * constructor that makes it without running anything. */
static void task_fns(Out *o, Func *f, const char *nm)
{
    int h = f->name, res = emit_has_type(o->u, f->rtype);
    out_genf(o, h, "struct %s__box { co_task co_hdr; struct %s__frame co_fr; };\n", nm, nm);
    out_genf(o, h, "static int %s__vresume(co_task *co_t)\n{\n    return %s__resume(&((struct %s__box *)co_t)->co_fr, co_t);\n}\n",
         nm, nm, nm);
    out_genf(o, h, "static void %s__vclose(co_task *co_t)\n{\n    %s__close(&((struct %s__box *)co_t)->co_fr);\n}\n",
         nm, nm, nm);
    out_genf(o, h, "static const co_coro_vt %s__vt = {\n    %s__vresume, %s__vclose,\n    ", nm, nm, nm);
    if (res) out_genf(o, h, "offsetof(struct %s__box, co_fr.co_result), sizeof(((struct %s__frame *)0)->co_result),", nm, nm);
    else out_gen(o, h, "0, 0,");
    out_genf(o, h, "\n    \"%s\"\n};\n", nm);
    lead_attrs(o, f, " ");
    out_gen(o, h, f->is_static ? "static CO_UNUSED co_task *" : "co_task *");
    out_gen(o, h, nm);
    params(o, f);
    out_genf(o, h, "\n{\n    struct %s__box *co_b = co_alloc_for(sizeof *co_b, _Alignof(struct %s__box));\n    if (!co_b) return NULL;\n"
               "    co_task_init(&co_b->co_hdr, &%s__vt);\n    %s__init(", nm, nm, nm, nm);
    init_args(o, f);
    out_gen(o, h, "&co_b->co_fr);\n    return &co_b->co_hdr;\n}\n");
}

/* `(params, struct NAME__frame *)`, for the protocol's prototypes. */
static void frame_params(Out *o, Func *f, const char *nm)
{
    out_gen(o, f->name, "(");
    int close = f->name + 1;
    for (int depth = 0; close < o->u->ntoks; close++) {
        int t = o->u->toks[close].id;
        if (t == TK_LPAREN) depth++;
        else if (t == TK_RPAREN && --depth == 0) break;
    }
    int empty = close == f->name + 2 || (close == f->name + 3 && o->u->toks[f->name + 2].id == TK_VOID);
    if (!empty) {
        out_toks(o, f->name + 2, close, NULL);
        out_gen(o, f->name, ", ");
    }
    out_genf(o, f->name, "struct %s__frame *co_f)", nm);
}

/* The frame protocol's declarations, so that code before the definition
 * (or in another file) can await or iterate it. */
static void protocol(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    out_genf(o, h, "struct %s__frame;", nm);
    out_line(o, h);
    if (f->kind == F_ASYNC_GEN) lead_attrs(o, f, "\n");   /* its call is the init's */
    out_genf(o, h, "%svoid %s__init", emit_linkage(f), nm);
    frame_params(o, f, nm);
    out_gen(o, h, ";");
    if (emit_is_async(f)) out_stmt(o, h, "%sint %s__resume(struct %s__frame *, co_task *);", emit_linkage(f), nm, nm);
    else out_stmt(o, h, "static inline int %s__resume(struct %s__frame *);", nm, nm);
    out_stmt(o, h, "%svoid %s__close(struct %s__frame *);", emit_linkage(f), nm, nm);
}

void frame_prototype(Out *o, Func *f)
{
    int async = f->kind == F_ASYNC;
    const char *nm = emit_name(o, f);
    if (f->kind == F_ASYNC_GEN) {   /* no handle: only for await reads one */
        protocol(o, f, nm);
        return;
    }
    lead_attrs(o, f, " ");
    out_gen(o, f->name, f->is_static ? "static CO_UNUSED " : "");
    out_gen(o, f->name, async ? "co_task *" : "co_gen *");
    out_gen(o, f->name, nm);
    params(o, f);
    out_gen(o, f->last, ";");
    if (!async) return;
    out_line(o, f->name);
    protocol(o, f, nm);
    /* What a boxed await (recursion, a later definition) needs while the
     * frame type is incomplete. */
    const char *aux = f->is_static ? "static CO_UNUSED " : "";
    out_stmt(o, f->name, "%ssize_t %s__size(void);", aux, nm);
    if (emit_has_type(o->u, f->rtype)) {
        out_line(o, f->name);
        out_gen(o, f->name, aux);
        out_toks(o, f->rtype[0], f->rtype[1], NULL);
        out_genf(o, f->name, " %s__result(const struct %s__frame *);", nm, nm);
    }
}

/* Their definitions, once the frame is complete. */
static void box_fns(Out *o, Func *f, const char *nm)
{
    int h = f->name;
    const char *aux = f->is_static ? "static CO_UNUSED " : "";
    out_genf(o, h, "%ssize_t %s__size(void)\n{\n    return sizeof(struct %s__frame);\n}\n", aux, nm, nm);
    if (!emit_has_type(o->u, f->rtype)) return;
    out_gen(o, h, aux);
    out_toks(o, f->rtype[0], f->rtype[1], NULL);
    out_genf(o, h, " %s__result(const struct %s__frame *co_f)\n{\n    return co_f->co_result;\n}\n", nm, nm);
}

/* A type the body declares, at file scope: a typedef whole, a struct,
 * union or enum definition without the body's declarators; a declaration
 * a defer needs (NF_FILESCOPE) whole, but in the header only its type. */
static void local_type(Out *o, Node *d, int header)
{
    int lb, rb;
    if ((d->flags & NF_FILESCOPE) && !header) {
        PPCtx *pp = d->vars ? d->vars->pp : NULL;
        pp_open(o, pp);
        out_text(o, d);
        out_gen(o, d->first, "\n");
        pp_close(o, pp);
        return;
    }
    if ((d->flags & NF_FILESCOPE) && !(d->flags & NF_HOIST)) return;
    if (d->storage & ST_TYPEDEF) out_text(o, d);
    else if (emit_moved_body(o->u, d, &lb, &rb)) {
        int kw = d->tag ? lb - 1 : lb - 2;
        out_toks(o, kw, kw + 1, NULL);
        if (d->tag) out_genf(o, kw, " %s", d->tag);
        out_gen(o, kw, " ");
        out_toks(o, kw + 1, rb + 1, NULL);
        out_gen(o, rb, ";");
    }
    out_gen(o, d->first, "\n");
}

void frame_definition(Out *o, Func *f)
{
    const char *nm = emit_name(o, f);
    o->f = f;
    frame_prototype(o, f);      /* on the line of the definition */
    out_gen(o, f->name, "\n");
    if (f->ahead < 2) {
        for (Node *d = f->types; d; d = d->link) local_type(o, d, 0);
        o->scaffold = 1;
        frame_struct(o, f, nm);
    }
    o->scaffold = 1;
    init_fn(o, f, nm);
    o->scaffold = 0;
    for (Alias *a = f->aliases; a; a = a->next) out_genf(o, f->name, "#define %s %s\n", a->name, a->text);
    resume_fn(o, f, nm);        /* from the body's `{` line to its `}` line */
    o->scaffold = 1;
    close_fn(o, f, nm);
    for (Alias *a = f->aliases; a; a = a->next) out_genf(o, f->name, "#undef %s\n", a->name);
    if (f->kind == F_ASYNC) {
        box_fns(o, f, nm);
        task_fns(o, f, nm);
    }
    else if (f->kind == F_GEN) handle_fns(o, f, nm);
    o->scaffold = 0;
    o->f = NULL;
}

/* What an Early puts ahead of the function that needs it (order.c): the
 * prototypes of a coroutine defined further down, and with `frame` its
 * frame struct and the types that struct needs. */
void frame_ahead(Out *o, Func *f, int frame)
{
    o->f = f;
    frame_prototype(o, f);
    out_gen(o, f->name, "\n");
    if (frame) {
        /* A generator's protocol is static inline, defined with it. */
        if (f->kind == F_GEN) protocol(o, f, emit_name(o, f));
        for (Node *d = f->types; d; d = d->link) local_type(o, d, 0);
        o->scaffold = 1;
        frame_struct(o, f, emit_name(o, f));
        o->scaffold = 0;
    }
    o->f = NULL;
}

/* `typedef Y NAME__value;` for a generator or async generator: what a
 * range-for of another file declares its values with, and how cogen,
 * reading the header a .co file includes, knows NAME for one. */
static void value_type(Out *o, Func *f)
{
    if (f->kind != F_GEN && f->kind != F_ASYNC_GEN) return;
    out_gen(o, f->name, "typedef ");
    out_toks(o, f->ytype[0], f->ytype[1], NULL);
    out_genf(o, f->name, " %s__value;", emit_name(o, f));
    out_put(o, "\n", 1, 0);
}

/* f's frame struct in the header, once, after the frames it holds. */
static void header_frame(Out *o, Map *done, Func *f)
{
    Unit *u = o->u;
    void **seen = cg_map_slot(u, done, u->src + u->toks[f->name].off, u->toks[f->name].len);
    if (*seen) return;
    *seen = f;
    for (FuncList *l = f->holds; l; l = l->next) header_frame(o, done, l->f);
    o->f = f;
    for (Node *d = f->types; d; d = d->link) local_type(o, d, 1);
    frame_struct(o, f, emit_name(o, f));
    o->f = NULL;
}

/* The header other translation units include to call this file's
 * generators by handle. */
void cg_emit_header(Unit *u, FILE *fpo, const char *guard)
{
    Out o = { .fp = fpo, .u = u, .bol = 1, .oline = 1, .stmt = -1 };
    Map done = { 0 };
    fprintf(fpo, "/* Generated by cogen from %s. */\n#ifndef %s\n#define %s\n\n#include <cogen.h>\n\n",
            u->path, guard, guard);
    for (Func *f = u->funcs; f; f = f->next) {
        if (f->kind == F_PLAIN) continue;
        /* Other files embed the frame when they await or for-await:
         * they need its layout (also for a static one a public frame
         * embeds, and for a generator's that an async frame holds). */
        if (!f->is_proto && (f->kind != F_GEN || f->embedded)) header_frame(&o, &done, f);
        if (f->is_static || (f->is_proto && f->def)) continue;
        frame_prototype(&o, f);
        out_put(&o, "\n", 1, 0);
        value_type(&o, f);
    }
    fprintf(fpo, "\n#endif\n");
}
