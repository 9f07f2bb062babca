/*
 * select.c - co_select: wait for the first of several channel operations.
 *
 * Go's select, on the frame protocol.  The first resume copies nothing but
 * looks at every case from a random starting point and completes the
 * first one that is ready (a send on a closed channel and a receive from
 * a closed one are ready: they complete with -EPIPE and 0).  If none is,
 * and there is no default, it puts one waiter node per case in its
 * channel's queue: the nodes are the co_chanop parts of the frame's
 * cases, marked CO_WT_SELECT and pointing at the frame.  Nothing is
 * allocated; at most CO_SELECT_MAX cases.
 *
 * Exactly one case completes.  Over plain channels only, everything
 * happens on the task's thread: the operation that completes a node
 * (chan.c, as Go's chan.go ends a select's wait) takes all the other
 * nodes out of their queues before waking the task.  With a shared
 * channel among the cases (the frame is `shared`), operations on other
 * threads race for the nodes, each holding only its own channel's lock,
 * so:
 *  - the first resume looks at the cases and registers them holding the
 *    locks of all the shared channels, taken in address order (the only
 *    place more than one channel lock is held, so no two threads can
 *    wait for each other);
 *  - a completer takes the task's claim (rt.h) with a compare-and-swap
 *    before it touches a node (chan.c), and passes the nodes of a wait
 *    that was ended by; it then only records the case and wakes the
 *    task.  co_cancel takes the claim first to withdraw the select;
 *  - the task, resumed and finding its claim CL_DONE, takes all the locks
 *    again and its nodes out of the queues.  Taking the completer's lock
 *    also makes sure the completer has finished writing the result.
 */
#include <stdint.h>

#include "rt.h"

#define SEL_WT(f, send) ((uintptr_t)(f) | CO_WT_SELECT | ((send) ? CO_WT_SEND : 0))

/* co_state: 0 fresh, 1 waiting, 2 fired (by chan.c), -1 done.  While
 * fresh each case's link points at itself; while waiting a case's link
 * is in its channel's queue, or NULL for a case that can never be ready
 * (or, in a shared select, one that was completed or dropped by a
 * close); fired and done: all links NULL.  A shared select stays at 1
 * until its task sees its claim taken: nobody else writes co_state. */

void co_select__init(const co_case *cases, int n, int flags, struct co_select__frame *f)
{
    int i;

    f->co_state = 0;
    f->flags = flags;
    f->sendmask = 0;
    f->shared = 0;
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
        f->c[i].ch = cases[i].ch;
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
        c = f->c[i].ch;
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

/* ---- the locks of the shared channels ------------------------------------------ */

/* The distinct shared channels of f's cases, in address order, at chs;
 * their number. */
static int shared_set(struct co_select__frame *f, co_chan **chs)
{
    int i, j, m = 0;
    co_chan *c;

    for (i = 0; i < f->n; i++) {
        c = f->c[i].ch;
        if (!c || !co__chan_shared(c))
            continue;
        for (j = 0; j < m && chs[j] != c; j++)
            ;
        if (j < m)
            continue;                   /* a second case on it */
        for (j = m; j > 0 && (uintptr_t)chs[j - 1] > (uintptr_t)c; j--)
            chs[j] = chs[j - 1];
        chs[j] = c;
        m++;
    }
    return m;
}

static void lock_all(co_chan **chs, int m)
{
    int i;

    for (i = 0; i < m; i++)
        co__chan_lock(chs[i]);
}

static void unlock_all(co_chan **chs, int m)
{
    int i;

    for (i = m; i-- > 0;)
        co__chan_unlock(chs[i]);
}

/* ---- registering and leaving --------------------------------------------------- */

static void enqueue_all(struct co_select__frame *f)
{
    int i;

    for (i = 0; i < f->n; i++) {
        if (!f->c[i].ch) {
            f->c[i].op.link.next = f->c[i].op.link.prev = NULL;
            continue;
        }
        f->c[i].op.co_wt = SEL_WT(f, f->sendmask & (1u << i));
        co__chan_enqueue(f->c[i].ch, &f->c[i].op);
    }
}

/* A shared select: take every node out (under the locks) and give back
 * the references to the shared channels, whether a case fired or not.
 * 1 when a case had completed.  Under the locks the claim no longer
 * changes (chan.c's shared_leave says why). */
static int leave_all(struct co_select__frame *f)
{
    co_chan *chs[CO_SELECT_MAX], *c;
    int i, m = shared_set(f, chs), done;

    lock_all(chs, m);
    done = co__claim_get(f->task) == CL_DONE;
    for (i = 0; i < f->n; i++) {
        c = f->c[i].ch;
        if (c && co__chan_shared(c))
            co__chan_leave(c, &f->c[i].op);
        else if (f->c[i].op.link.next)
            co__chan_unlink(&f->c[i].op);
        f->c[i].op.link.next = f->c[i].op.link.prev = NULL;
    }
    co__claim_set(f->task, CL_NONE);
    unlock_all(chs, m);     /* may free channels freed meanwhile */
    f->task->loop->nremote--;
    return done;
}

/* The first resume: complete a ready case, or wait on all of them. */
static int start(struct co_select__frame *f, co_task *t)
{
    co_chan *chs[CO_SELECT_MAX];
    int m, r;

    if (f->n < 0) {
        f->co_result = -EINVAL;
        return CO_DONE;
    }
    m = shared_set(f, chs);
    lock_all(chs, m);
    r = try_cases(f, t->loop);
    if (r < 0 && !(f->flags & CO_SELECT_DEFAULT)) {
        f->task = t;
        if (m) {
            f->shared = 1;
            co__claim_set(t, CL_OPEN);
            t->flags |= F_REMOTE;   /* see chan.c's shared_start */
            t->loop->nremote++;
        }
        enqueue_all(f);
        unlock_all(chs, m);
        f->co_state = 1;
        return CO_PENDING;
    }
    unlock_all(chs, m);
    f->co_result = r >= 0 ? r : -EAGAIN;
    return CO_DONE;
}

int co_select__resume(struct co_select__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0:
        if (start(f, t) == CO_PENDING)
            return CO_PENDING;
        break;
    case 1:
        if (!f->shared || co__claim_get(t) != CL_DONE)
            return CO_PENDING;
        leave_all(f);
        break;
    case 2:
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

/* Afterwards co_result is -ECANCELED, or the index of the case that
 * completed before the close could take the nodes back (one completed on
 * another thread, or one that fired before a cancellation). */
void co_select__close(struct co_select__frame *f)
{
    switch (f->co_state) {
    case 0:
        f->co_result = -ECANCELED;
        break;
    case 1:
        if (f->shared) {
            if (leave_all(f)) {
                f->co_state = CO_CLOSED_DONE;   /* a case completed first */
                return;
            }
            f->co_result = -ECANCELED;
        } else {
            co__select_unlink(f);
            f->co_result = -ECANCELED;
        }
        break;
    default:
        break;
    }
    f->co_state = -1;
}
