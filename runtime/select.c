/*
 * select.c - co_select: wait for the first of several channel operations.
 *
 * Go's select, on the frame protocol.  The first resume copies nothing but
 * looks at every case from a random starting point and completes the
 * first one that is ready (a send on a closed channel and a receive from
 * a closed one are ready: they complete with -EPIPE and 0).  If none is,
 * and there is no default, it puts one waiter node per case in its
 * channel's queue: the nodes are the co_chanop parts of the frame's
 * cases, marked CO_WT_SELECT and pointing at the frame.  The operation
 * that completes one of them calls co__select_fire, which takes all the
 * other nodes out of their queues before waking the task, so exactly one
 * case completes.  Nothing is allocated; at most CO_SELECT_MAX cases.
 */
#include <stdint.h>

#include "rt.h"

#define SEL_WT(f, send) ((uintptr_t)(f) | CO_WT_SELECT | ((send) ? CO_WT_SEND : 0))

/* co_state: 0 fresh, 1 waiting, 2 fired, -1 done.  While fresh each
 * case's co_ch holds its channel and its link points at itself; while
 * waiting a case's link is in its channel's queue, or NULL for a case
 * that can never be ready; fired and done: all links NULL. */

void co_select__init(struct co_select__frame *f, const co_case *cases, int n,
                     int flags)
{
    int i;

    f->co_state = 0;
    f->flags = flags;
    f->sendmask = 0;
    f->n = n;
    if (n < 0 || n > CO_SELECT_MAX || (n > 0 && !cases)) {
        f->n = -1;
        return;
    }
    for (i = 0; i < n; i++) {
        if (cases[i].op != CO_SEND && cases[i].op != CO_RECV) {
            f->n = -1;
            return;
        }
        if (cases[i].op == CO_SEND)
            f->sendmask |= 1u << i;
        f->c[i].op.co_ch = cases[i].ch;
        f->c[i].op.link.next = f->c[i].op.link.prev = &f->c[i].op.link;
        f->c[i].op.elem = cases[i].elem;
        f->c[i].res = cases[i].res;
    }
}

/* Complete the first ready case, from a random one on; its index, or -1. */
static int try_cases(struct co_select__frame *f, co_loop *l)
{
    int k, i, r, start = f->n > 1 ? (int)(co__rand(l) % (unsigned)f->n) : 0;
    co_chan *c;

    for (k = 0; k < f->n; k++) {
        i = (start + k) % f->n;
        c = f->c[i].op.co_ch;
        if (!c)
            continue;
        if (f->sendmask & (1u << i))
            r = co__chan_send_now(c, f->c[i].op.elem);
        else
            r = co__chan_recv_now(c, f->c[i].op.elem);
        if (r == -EAGAIN)
            continue;
        if (f->c[i].res)
            *f->c[i].res = r;
        return i;
    }
    return -1;
}

static void unregister(struct co_select__frame *f)
{
    int i;

    for (i = 0; i < f->n; i++)
        if (f->c[i].op.link.next)
            co__chan_unlink(&f->c[i].op);
}

void co__select_fire(struct co_select__frame *f, struct co_chanop *op, int res)
{
    struct co_selcase *c = (struct co_selcase *)
        ((char *)op - offsetof(struct co_selcase, op));

    unregister(f);              /* op is out already */
    if (c->res)
        *c->res = res;
    f->co_result = (int)(c - f->c);
    f->co_state = 2;
    co__wake(f->task);
}

int co_select__resume(struct co_select__frame *f, co_task *t)
{
    int i;
    co_chan *c;

    switch (f->co_state) {
    case 0:
        if (f->n < 0) {
            f->co_result = -EINVAL;
            break;
        }
        if ((f->co_result = try_cases(f, t->loop)) >= 0)
            break;
        if (f->flags & CO_SELECT_DEFAULT) {
            f->co_result = -EAGAIN;
            break;
        }
        f->task = t;
        for (i = 0; i < f->n; i++) {
            c = f->c[i].op.co_ch;
            if (!c) {
                f->c[i].op.link.next = f->c[i].op.link.prev = NULL;
                continue;
            }
            f->c[i].op.co_wt = SEL_WT(f, f->sendmask & (1u << i));
            co__chan_enqueue(c, &f->c[i].op);
        }
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        return CO_PENDING;
    case 2:
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

void co_select__close(struct co_select__frame *f)
{
    if (f->co_state == 1)
        unregister(f);
    f->co_state = -1;
}
