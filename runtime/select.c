/*
 * select.c - a select: wait for the first of several channel operations
 * or timers (co_select, and the `select` statement of .co files).
 *
 * Go's select, on the frame protocol, over cases in storage the caller
 * gives (the statement's frame holds as many as it has).  The first
 * resume tries the cases in a random order, a fresh shuffle each time
 * (Go's pollorder), and completes the first one that is ready, so every
 * ready case is as likely to be chosen (a send on a closed channel and a
 * receive from a closed one are ready: they complete with -EPIPE and 0;
 * an after case of 0 ms or less is ready).  If none is, and there is no
 * default, it puts one waiter node per channel case in its channel's
 * queue: the nodes are the co_chanop parts of the cases, marked
 * CO_WT_SELECT and pointing at the select; the after case with the
 * shortest delay starts the select's one timer.  Nothing is allocated but
 * the timer's slot in the loop's heap.
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

#define SEL_WT(s, send) ((uintptr_t)(s) | CO_WT_SELECT | ((send) ? CO_WT_SEND : 0))

/* co_state: 0 fresh, 1 waiting, 2 fired (by chan.c), -1 done.  While
 * fresh each case's link points at itself; while waiting a case's link
 * is in its channel's queue, or NULL for a case that can never be ready
 * (or, in a shared select, one that was completed or dropped by a
 * close, and every after case); fired and done: all links NULL.  A
 * shared select stays at 1 until its task sees its claim taken: nobody
 * else writes co_state.  The timer runs only while the select waits. */

void co_sel__init(struct co_sel *s, struct co_selcase *c, int n, int flags)
{
    int i;

    s->co_state = 0;
    s->flags = (unsigned short)flags;
    s->shared = 0;
    s->c = c;
    s->n = n;
    s->after = -1;
    s->tm = (co_timer){ 0 };
    if (n < 0 || (n > 0 && !c)) {
        s->n = -1;
        return;
    }
    for (i = 0; i < n; i++) {
        if (c[i].kind != CO_SEND && c[i].kind != CO_RECV && c[i].kind != CO_AFTER) {
            s->n = -1;
            return;
        }
        c[i].order = i;
        c[i].op.link.next = c[i].op.link.prev = &c[i].op.link;
        if (c[i].kind == CO_AFTER && (s->after < 0 || c[i].ms < c[s->after].ms))
            s->after = i;
    }
}

/* Complete case i if it is ready: its outcome, or -EAGAIN. */
static int try_case(struct co_selcase *c)
{
    if (c->kind == CO_AFTER)
        return c->ms <= 0 ? 0 : -EAGAIN;
    if (!c->ch)
        return -EAGAIN;
    if (c->kind == CO_SEND)
        return co__chan_send_now(c->ch, c->op.elem);
    return co__chan_recv_now(c->ch, c->op.elem);
}

/* Complete the first ready case in a random order; its index, or -1.
 * The order is shuffled as it is walked (Fisher-Yates from the front),
 * so the first ready case met is uniform among the ready ones. */
static int try_cases(struct co_sel *s, co_loop *l)
{
    struct co_selcase *c = s->c;
    int k, j, i, r, tmp;

    for (k = 0; k < s->n; k++) {
        j = k + (int)(co__rand(l) % (unsigned)(s->n - k));
        tmp = c[k].order, c[k].order = c[j].order, c[j].order = tmp;
        i = c[k].order;
        r = try_case(&c[i]);
        if (r == -EAGAIN)
            continue;
        if (c[i].res)
            *c[i].res = r;
        return i;
    }
    return -1;
}

/* ---- the locks of the shared channels ------------------------------------------ */

/* The distinct shared channels of s's cases, in address order, in the
 * cases' lk slots; their number. */
static int shared_set(struct co_sel *s)
{
    struct co_selcase *c = s->c;
    int i, j, m = 0;
    co_chan *ch;

    for (i = 0; i < s->n; i++) {
        ch = c[i].kind == CO_AFTER ? NULL : c[i].ch;
        if (!ch || !co__chan_shared(ch))
            continue;
        for (j = 0; j < m && c[j].lk != ch; j++)
            ;
        if (j < m)
            continue;                   /* a second case on it */
        for (j = m; j > 0 && (uintptr_t)c[j - 1].lk > (uintptr_t)ch; j--)
            c[j].lk = c[j - 1].lk;
        c[j].lk = ch;
        m++;
    }
    return m;
}

static void lock_all(struct co_sel *s, int m)
{
    int i;

    for (i = 0; i < m; i++)
        co__chan_lock(s->c[i].lk);
}

static void unlock_all(struct co_sel *s, int m)
{
    int i;

    for (i = m; i-- > 0;)
        co__chan_unlock(s->c[i].lk);
}

/* ---- registering and leaving --------------------------------------------------- */

static void enqueue_all(struct co_sel *s)
{
    struct co_selcase *c = s->c;
    int i;

    for (i = 0; i < s->n; i++) {
        if (c[i].kind == CO_AFTER || !c[i].ch) {
            c[i].op.link.next = c[i].op.link.prev = NULL;
            continue;
        }
        c[i].op.co_wt = SEL_WT(s, c[i].kind == CO_SEND);
        co__chan_enqueue(c[i].ch, &c[i].op);
    }
}

/* A shared select: take every node out (under the locks) and give back
 * the references to the shared channels, whether a case fired or not.
 * 1 when a case had completed.  Under the locks the claim no longer
 * changes (chan.c's shared_leave says why). */
static int leave_all(struct co_sel *s)
{
    struct co_selcase *c = s->c;
    int i, m = shared_set(s), done;

    lock_all(s, m);
    done = co__claim_get(s->task) == CL_DONE;
    for (i = 0; i < s->n; i++) {
        if (c[i].kind != CO_AFTER && c[i].ch && co__chan_shared(c[i].ch))
            co__chan_leave(c[i].ch, &c[i].op);
        else if (c[i].op.link.next)
            co__chan_unlink(&c[i].op);
        c[i].op.link.next = c[i].op.link.prev = NULL;
    }
    co__claim_set(s->task, CL_NONE);
    unlock_all(s, m);       /* may free channels freed meanwhile */
    s->task->loop->nremote--;
    return done;
}

/* Wait on every case; CO_PENDING, or the error of a timer that could not
 * start (nothing is queued then).  The shared channels' m locks are held. */
static int wait_all(struct co_sel *s, co_task *t, int m)
{
    int r;

    s->task = t;
    if (s->after >= 0 && (r = co_timer_start(&s->tm, s->c[s->after].ms, t)) < 0)
        return r;
    if (m) {
        s->shared = 1;
        co__claim_set(t, CL_OPEN);
        t->flags |= F_REMOTE;   /* see chan.c's shared_start */
        t->loop->nremote++;
    }
    enqueue_all(s);
    s->co_state = 1;
    return CO_PENDING;
}

/* The first resume: complete a ready case, or wait on all of them. */
static int start(struct co_sel *s, co_task *t)
{
    int m, r;

    if (s->n < 0) {
        s->co_result = -EINVAL;
        return CO_DONE;
    }
    m = shared_set(s);
    lock_all(s, m);
    r = try_cases(s, t->loop);
    if (r < 0 && !(s->flags & CO_SELECT_DEFAULT)) {
        r = wait_all(s, t, m);
        unlock_all(s, m);
        if (r == CO_PENDING)
            return CO_PENDING;
        co_cancel(t);           /* the select could not time out */
        return CO_PENDING;
    }
    unlock_all(s, m);
    s->co_result = r >= 0 ? r : -EAGAIN;
    return CO_DONE;
}

/* Woken while waiting: a case completed (a shared select finds its claim
 * taken), the timer fired, or neither (CO_PENDING). */
static int woken(struct co_sel *s, co_task *t)
{
    if (s->shared && co__claim_get(t) == CL_DONE) {
        leave_all(s);
        co_timer_stop(&s->tm);
        return CO_DONE;
    }
    if (s->after < 0 || !co_timer_fired(&s->tm))
        return CO_PENDING;
    if (s->shared && !co__claim_take(t, CL_CANCEL)) {
        leave_all(s);           /* a case completed as the time ran out */
        return CO_DONE;
    }
    if (s->shared)
        leave_all(s);
    else
        co__select_unlink(s);
    s->co_result = s->after;
    return CO_DONE;
}

int co_sel__resume(struct co_sel *s, co_task *t)
{
    switch (s->co_state) {
    case 0:
        if (start(s, t) == CO_PENDING)
            return CO_PENDING;
        break;
    case 1:
        if (woken(s, t) == CO_PENDING)
            return CO_PENDING;
        break;
    case 2:
        co_timer_stop(&s->tm);
        break;
    default:
        return CO_DONE;
    }
    s->co_state = -1;
    return CO_DONE;
}

/* Afterwards co_result is -ECANCELED, or the index of the case that
 * completed before the close could take the nodes back (one completed on
 * another thread, or one that fired before a cancellation). */
void co_sel__close(struct co_sel *s)
{
    co_timer_stop(&s->tm);
    switch (s->co_state) {
    case 0:
        s->co_result = -ECANCELED;
        break;
    case 1:
        if (s->shared) {
            if (leave_all(s)) {
                s->co_state = CO_CLOSED_DONE;   /* a case completed first */
                return;
            }
        } else {
            co__select_unlink(s);
        }
        s->co_result = -ECANCELED;
        break;
    default:
        break;
    }
    s->co_state = -1;
}

/* ---- co_select: the cases from an array ------------------------------------------ */

void co_select__init(const co_case *cases, int n, int flags, struct co_select__frame *f)
{
    int i;

    if (n > CO_SELECT_MAX || (n > 0 && !cases)) {
        co_sel__init(&f->co_s, NULL, -1, flags);
        return;
    }
    for (i = 0; i < n; i++) {
        if (cases[i].op == CO_AFTER)
            co_sel__after(&f->co_c[i], cases[i].elem ? *(const long *)cases[i].elem : 0);
        else if (cases[i].op == CO_SEND)
            co_sel__send(&f->co_c[i], cases[i].ch, cases[i].elem, cases[i].res);
        else
            co_sel__recv(&f->co_c[i], cases[i].ch, cases[i].elem, cases[i].res);
        f->co_c[i].kind = cases[i].op;     /* an unknown one makes n -1 */
    }
    co_sel__init(&f->co_s, f->co_c, n, flags);
}

int co_select__resume(struct co_select__frame *f, co_task *t)
{
    return co_sel__resume(&f->co_s, t);
}

void co_select__close(struct co_select__frame *f)
{
    co_sel__close(&f->co_s);
}
