/*
 * gen.c - generators by handle: co_gen_next, co_gen_send, co_gen_close,
 * and the checks of debug builds for handles used after their close.
 *
 * A handle is a co_alloc'd block that starts with a co_gen header whose vt
 * cogen generates for each generator; the frame follows the header.  All
 * the work (priming, sent values, the -EINVAL for a send to a fresh
 * generator, defers) is in the generated vt.  These entry points only
 * refuse NULL and dispatch: next and send sit in the inner loop of every
 * handle-driven consumer, so they stay one test and one indirect call.
 *
 * A debug build (-DCOGEN_DEBUG) calls them through co__gen_*_at, with the
 * .co location of the call.  Its close does not free the block at once:
 * it leaves a tombstone there (the header's vt becomes closed_vt) among
 * the GRAVES handles closed last, and frees the oldest of those instead.
 * A call on a tombstone reports itself and fails, whichever build made
 * it.
 */
#include <pthread.h>
#include <stdio.h>

#include "cogen.h"

/* The library's own definitions are the plain functions, whatever the
 * flags it is built with. */
#undef co_gen_next
#undef co_gen_send
#undef co_gen_close

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

static int closed(co_gen *g, const char *op, const char *where);

int co_gen_close(co_gen *g)
{
    if (!g)
        return -EINVAL;
    if (closed(g, "co_gen_close", NULL))
        return -EINVAL;     /* a tombstone: closed twice */
    g->vt->close(g);    /* defers run while the frame is still there */
    co_free(g);         /* the header is the start of the block */
    return 0;
}

/* ---- debug builds ----------------------------------------------------------- */

static int closed_resume(co_gen *g, const void *in, void *out)
{
    (void)out;
    closed(g, in ? "co_gen_send" : "co_gen_next", NULL);
    return -EINVAL;
}

static void closed_close(co_gen *g)
{
    (void)g;                /* co_gen_close never gets here */
}

static const co_gen_vt closed_vt = { closed_resume, closed_close };

/* Is g a tombstone?  Then say so, naming the operation and, in debug
 * builds, where it was called. */
static int closed(co_gen *g, const char *op, const char *where)
{
    if (g->vt != &closed_vt)
        return 0;
    if (where)
        fprintf(stderr, "cogen: %s: %s on a closed generator handle\n", where, op);
    else
        fprintf(stderr, "cogen: %s on a closed generator handle "
                "(build with -DCOGEN_DEBUG to learn where)\n", op);
    return 1;
}

/* Global mutable state (documented exception, debug builds only): the
 * tombstones, a ring; `next` is the oldest, freed when the ring is full. */
#define GRAVES 64
static pthread_mutex_t graves_mu = PTHREAD_MUTEX_INITIALIZER;
static co_gen *graves[GRAVES];
static unsigned graves_next;

static void bury(co_gen *g)
{
    co_gen *old;

    g->vt = &closed_vt;
    pthread_mutex_lock(&graves_mu);
    old = graves[graves_next];
    graves[graves_next] = g;
    graves_next = (graves_next + 1) % GRAVES;
    pthread_mutex_unlock(&graves_mu);
    co_free(old);
}

int co__gen_next_at(co_gen *g, void *out, const char *where)
{
    if (g && closed(g, "co_gen_next", where))
        return -EINVAL;
    return co_gen_next(g, out);
}

int co__gen_send_at(co_gen *g, const void *in, void *out, const char *where)
{
    if (g && closed(g, "co_gen_send", where))
        return -EINVAL;
    return co_gen_send(g, in, out);
}

int co__gen_close_at(co_gen *g, const char *where)
{
    if (!g)
        return -EINVAL;
    if (closed(g, "co_gen_close", where))
        return -EINVAL;
    g->vt->close(g);
    bury(g);
    return 0;
}
