/*
 * translate.c - the pipeline for one input: lex, scan, parse, run the
 * passes over each coroutine and range-for, order the frames, emit.
 */
#include "cg.h"

/* A coroutine through parse and passes; -1 after errors. */
static int passes(Unit *u, Func *f)
{
    if (cg_scope(u, f) < 0) return -1;
    if (f->kind != F_PLAIN) cg_types(u, f);
    if (cg_hoist(u, f) < 0 || cg_lower(u, f) < 0) return -1;
    cg_layout(u, f);
    cg_shape(u, f);
    return 0;
}

/* Link prototypes to the definition of the same name, if the file has one. */
static void link_protos(Unit *u)
{
    Map defs = { 0 };
    for (Func *d = u->funcs; d; d = d->next)
        if (!d->is_proto) *cg_map_slot(u, &defs, u->src + u->toks[d->name].off, u->toks[d->name].len) = d;
    for (Func *p = u->funcs; p; p = p->next)
        if (p->is_proto) p->def = cg_map_get(&defs, u->src + u->toks[p->name].off, u->toks[p->name].len);
}

/* Every body is parsed before any pass runs: a pass over one coroutine
 * may need to know which others call each other (order.c). */
static void coroutines(Unit *u)
{
    for (Func *f = u->funcs; f; f = f->next)
        if (cg_parse_func(u, f) < 0) f->body = NULL;
    cg_order_cycles(u);
    for (Func *f = u->funcs; f; f = f->next)
        if (!f->is_proto && f->body) passes(u, f);
    for (Island *is = u->islands; is; is = is->next) {
        Func *f = cg_alloc(u, sizeof *f);
        f->kind = F_PLAIN;
        f->first = is->loop->first;
        f->last = is->loop->end - 1;
        f->name = -1;
        f->body = is->loop;
        f->rtype[0] = is->rtype[0], f->rtype[1] = is->rtype[1];
        f->rvoid = is->rvoid;
        is->fn = f;
        passes(u, f);
    }
    cg_order_frames(u);
}

int cg_translate(const char *path, const char *src, int len, FILE *out, FILE *err,
                 const Options *o)
{
    Unit *u = cg_unit_new(path, src, len, err);
    if (!u) {
        fprintf(err, "cogen: out of memory\n");
        return 1;
    }
    u->werror = o->werror;
    u->incdirs = o->incdirs;
    u->nincdirs = o->nincdirs;
    u->stdinc = o->stdinc;
    cg_lex(u);
    cg_symtab(u);
    cg_macros(u);
    cg_island(u);
    cg_symtab_funcs(u);
    link_protos(u);
    coroutines(u);
    if (!u->nerrors) {
        if (o->header) cg_emit_header(u, o->header, o->guard);
        cg_emit(u, out, o);
    }
    cg_diag_flush(u);
    int rc = u->nerrors ? 1 : 0;
    cg_unit_free(u);
    return rc;
}
