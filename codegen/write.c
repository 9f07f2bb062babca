/*
 * write.c - writes the C file: the text outside the forms as it is, each
 * coroutine definition or prototype (frame.c) and each range-for of a
 * plain function (emit.c) where it stands, and what order.c puts ahead
 * of them.
 */
#include "cg.h"

void cg_emit(Unit *u, FILE *fpo, const Options *opt)
{
    /* A file without forms is copied as it is: it needs no #line. */
    Out o = { .fp = fpo, .u = u, .lines = opt->line && (u->funcs || u->islands),
              .path = opt->path, .bol = 1, .oline = 1, .stmt = -1 };
    out_lines(&o);
    int at = 0;                 /* source offset copied so far */
    Func *f = u->funcs;
    Island *is = u->islands;
    Early *e = u->early;
    while (f || is) {
        int ff = f ? u->toks[f->first].off : u->len, fi = is ? u->toks[is->loop->first].off : u->len;
        if (e && u->toks[e->at].off <= ff && u->toks[e->at].off <= fi) {
            out_raw(&o, at, u->toks[e->at].off);
            at = u->toks[e->at].off;
            for (FuncList *l = e->frames; l; l = l->next) frame_ahead(&o, l->f, l->frame);
            e = e->next;
        } else if (f && ff <= fi) {
            out_raw(&o, at, ff);
            if (f->is_proto) frame_prototype(&o, f);
            else frame_definition(&o, f);
            at = out_tok_end(u, f->last);
            f = f->next;
        } else {
            out_raw(&o, at, fi);
            o.f = is->fn;
            emit_stmt(&o, is->loop);
            o.f = NULL;
            at = out_tok_end(u, is->loop->end - 1);
            is = is->next;
        }
    }
    out_raw(&o, at, u->len);
    out_end(&o);
}
