/*
 * chan_shared.c - the shared half of channels: co_chan_new_shared, and
 * co_send and co_recv waiting on a shared channel.
 *
 * A shared channel is an ordinary channel (chan.c) with a header before
 * it (struct co_shx, rt.h): a mutex that guards all of it, a reference
 * count, spare records, and this file's operations, through which chan.c
 * reaches the code here.  So the single-thread core does not call into
 * this file, and a program that makes no shared channel does not link
 * it.  On a shared channel:
 *  - a waiter is completed only by whoever takes its task's claim (rt.h)
 *    from CL_OPEN, and co_cancel may take it first to withdraw the wait:
 *    so an operation that completed is never undone by a cancel;
 *  - a task of another loop is woken with co__wake_any under the lock;
 *  - a waiting co_send/co_recv queues a record (struct co_proxy) taken
 *    from the channel, not its frame node: the node has no room left to
 *    keep the channel while it waits, and its task's thread must lock the
 *    channel to look at the record when it is resumed or closed.  The
 *    node's link.next then points at the record's link, link.prev at the
 *    node's own link (never so in a queue), and co_ch stays;
 *  - the channel counts references, co_chan_free's and one per record or
 *    select case still registered, so that a task of another thread may
 *    still come to look after co_chan_free: the last one frees it.
 * The records are kept for reuse: only a channel's first waits allocate.
 */
#include <pthread.h>
#include <stdint.h>

#include "rt.h"

/* The queued stand-in for a co_send/co_recv waiting on a shared channel.
 * op is an ordinary waiter node to whoever completes it. */
struct co_proxy {
    struct co_chanop op;
    co_task *t;         /* the waiting task (op.co_wt is overwritten) */
};

#define PROXY(lk) \
    ((struct co_proxy *)((char *)(lk) - offsetof(struct co_proxy, op.link)))

/* A record for a waiting send or receive (lock held); NULL without
 * memory. */
static struct co_proxy *proxy_get(co_chan *c)
{
    struct co_shx *s = CO_SHX(c);
    struct co_proxy *p = s->spare;

    if (p)
        s->spare = p->op.elem;
    else
        p = co_alloc(sizeof *p);
    return p;
}

/* Give back p and the reference its registration held (lock held). */
static void proxy_put(co_chan *c, struct co_proxy *p)
{
    struct co_shx *s = CO_SHX(c);

    p->op.elem = s->spare;
    s->spare = p;
    s->refs--;
}

static void destroy(co_chan *c)
{
    struct co_shx *s = CO_SHX(c);
    struct co_proxy *p;

    while ((p = s->spare)) {
        s->spare = p->op.elem;
        co_free(p);
    }
    pthread_mutex_destroy(&s->mu);
    co_free(s);
}

/* The first resume on a shared channel: complete it now, or queue a
 * record for it. */
static int shared_start(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_chan *c = f->co_ch;
    struct co_proxy *p;
    int r;

    co__chan_lock(c);
    r = send ? co__chan_send_now(c, f->elem) : co__chan_recv_now(c, f->elem);
    if (r == -EAGAIN) {
        r = -ENOMEM;
        if ((p = proxy_get(c))) {
            p->t = t;
            p->op.co_wt = (uintptr_t)t | send;
            p->op.elem = f->elem;
            co__claim_set(t, CL_OPEN);
            co__chan_enqueue(c, &p->op);
            /* Its loop waits for other threads now, and must not free it
             * while a wake-up for it may be in the inbox. */
            t->flags |= F_REMOTE;
            t->loop->nremote++;
            co__chan_unlock(c);
            f->link.next = &p->op.link;
            f->link.prev = &f->link;
            return CO_PENDING;
        }
    }
    co__chan_unlock(c);
    return co__chan_done(f, r);
}

/* Stop waiting on a shared channel, if the record was completed (its
 * result goes to *res) or `force` (a close): the record goes back.  0 when
 * it was not completed and not forced (a spurious resume: wait on).
 * Under the lock the claim no longer changes: completers take it under
 * the lock, and co_cancel runs on this thread. */
static int leave(struct co_chanop *f, int *res, int force)
{
    struct co_proxy *p = PROXY(f->link.next);
    co_chan *c = f->co_ch;
    co_task *t = p->t;
    int done;

    co__chan_lock(c);
    done = co__claim_get(t) == CL_DONE;
    if (!done && !force) {
        co__chan_unlock(c);
        return 0;
    }
    if (done)
        *res = p->op.co_result;
    else if (p->op.link.next)       /* a channel close may have taken it */
        co__chan_unlink(&p->op);
    co__claim_set(t, CL_NONE);
    proxy_put(c, p);
    co__chan_unlock(c);
    t->loop->nremote--;
    return 1;
}

static int shared_resume(struct co_chanop *f)
{
    int r;

    if (!leave(f, &r, 0))
        return CO_PENDING;
    return co__chan_done(f, r);
}

static void shared_close(struct co_chanop *f, int *res)
{
    leave(f, res, 1);
}

static const struct co_chan_ops shared_ops = {
    shared_start, shared_resume, shared_close, destroy, co__wake_any
};

co_chan *co_chan_new_shared(size_t esize, size_t cap)
{
    co_chan *c = co__chan_make(esize, cap, 1);
    struct co_shx *s;
    int r;

    if (!c)
        return NULL;
    s = CO_SHX(c);
    if ((r = pthread_mutex_init(&s->mu, NULL)) != 0) {
        co_free(s);
        errno = r;
        return NULL;
    }
    s->refs = 1;
    s->spare = NULL;
    s->ops = &shared_ops;
    return c;
}
