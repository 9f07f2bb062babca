/*
 * gen.c - generators by handle: co_gen_next, co_gen_send, co_gen_close.
 *
 * A handle is a co_alloc'd block that starts with a co_gen header whose vt
 * cogen generates for each generator; the frame follows the header.  All
 * the work (priming, sent values, the -EINVAL for a send to a fresh
 * generator, defers) is in the generated vt.  These entry points only
 * refuse NULL and dispatch: next and send sit in the inner loop of every
 * handle-driven consumer, so they stay one test and one indirect call.
 */
#include "cogen.h"

int co_gen_next(co_gen *g, void *out)
{
    if (!g)         /* also what a failed constructor (out of memory) gave */
        return -EINVAL;
    return g->vt->resume(g, NULL, out);
}

int co_gen_send(co_gen *g, const void *in, void *out)
{
    if (!g)
        return -EINVAL;
    return g->vt->resume(g, in, out);
}

int co_gen_close(co_gen *g)
{
    if (!g)
        return -EINVAL;
    g->vt->close(g);    /* defers run while the frame is still there */
    co_free(g);         /* the header is the start of the block */
    return 0;
}
