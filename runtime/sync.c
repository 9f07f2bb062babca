/*
 * sync.c - the sync primitives: mutex, bounded semaphore, event,
 * condition, barrier and wait group (cogen.h, "Sync primitives").
 *
 * Which construct calls what: `await co_lock(&m)` embeds a co_syncw frame
 * in the caller's frame and calls co_lock__init, then co_lock__resume
 * until CO_DONE (co_lock__close when cancelled meanwhile); the other
 * awaits likewise.  co_unlock, co_sem_release, co_event_set, ... are plain
 * calls.
 *
 * One mechanism serves all six.  Every primitive starts with a co_waitq;
 * a task that must wait puts its frame (a co_syncw) at the back of that
 * queue and returns CO_PENDING.  Whoever makes the resource available
 * hands it to the first node with grant(): the node leaves the queue,
 * gets co_state 2 and its result, and its task is woken; when the task
 * runs again its resume only reads the node.  So the state a primitive
 * shows (locked, count...) already counts what was handed over, nothing
 * can overtake a waiter, and a close finds the node either in the queue
 * (leave it: nothing was handed) or granted (give it back).
 *
 * A library file (lib.h): it needs of the core only co__ready and the
 * task flags F_CANCEL and F_SHIELD.  No locks: a primitive belongs to the thread of the loop that uses it.
 * Nothing here allocates.
 */
#include <limits.h>

#include "lib.h"

/* ---- the queue ------------------------------------------------------------- */

static void enqueue(co_waitq *q, co_syncw *w, co_task *t)
{
    w->task = t;
    w->next = NULL;
    w->prev = q->tail;
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    w->co_state = 1;
}

static void unlink_w(co_waitq *q, co_syncw *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        q->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        q->tail = w->prev;
    w->next = w->prev = NULL;
}

/* Hand the first waiter of q its result and wake it. */
static void grant(co_waitq *q, int res)
{
    co_syncw *w = q->head;

    unlink_w(q, w);
    w->co_state = 2;
    w->co_result = res;
    co__ready(w->task);
}

/* Hand every waiter of q the result 0; how many there were. */
static int grant_all(co_waitq *q)
{
    int n = 0;

    for (; q->head; n++)
        grant(q, 0);
    return n;
}

/* Every primitive starts with its queue. */
#define Q(obj) ((co_waitq *)(obj))

static void fresh(co_syncw *w, void *obj)
{
    w->co_state = 0;
    w->obj = obj;
    w->next = w->prev = NULL;
}

/* The end of a resume: result res, done. */
static int finish(co_syncw *w, int res)
{
    w->co_result = res;
    w->co_state = -1;
    return CO_DONE;
}

/* A later resume: still waiting, or handed the result (or already done). */
static int again(co_syncw *w)
{
    if (w->co_state == 1)
        return CO_PENDING;
    w->co_state = -1;
    return CO_DONE;
}

/* Close: leave the queue.  Returns 1 when the node had been granted (the
 * caller gives the resource back), else 0. */
static int leave(co_syncw *w)
{
    int granted = w->co_state == 2;

    if (w->co_state == 1)
        unlink_w(Q(w->obj), w);
    w->co_state = -1;
    return granted;
}

/* ---- mutex ----------------------------------------------------------------- */

int co_mutex_init(co_mutex *m)
{
    if (!m)
        return -EINVAL;
    m->q.head = m->q.tail = NULL;
    m->locked = 0;
    return 0;
}

int co_mutex_destroy(co_mutex *m)
{
    if (!m)
        return -EINVAL;
    return m->locked ? -EBUSY : 0;
}

int co_try_lock(co_mutex *m)
{
    if (!m)
        return -EINVAL;
    if (m->locked)
        return -EBUSY;
    m->locked = 1;
    return 0;
}

int co_unlock(co_mutex *m)
{
    if (!m)
        return -EINVAL;
    if (!m->locked)
        return -EPERM;
    if (m->q.head)
        grant(&m->q, 0);            /* stays locked: the waiter holds it */
    else
        m->locked = 0;
    return 0;
}

void co_lock__init(co_mutex *m, co_syncw *f)
{
    fresh(f, m);
}

int co_lock__resume(co_syncw *f, co_task *t)
{
    co_mutex *m = f->obj;

    if (f->co_state != 0)
        return again(f);
    if (!m)
        return finish(f, -EINVAL);
    if (!m->locked) {
        m->locked = 1;
        return finish(f, 0);
    }
    enqueue(&m->q, f, t);
    return CO_PENDING;
}

void co_lock__close(co_syncw *f)
{
    if (leave(f))
        co_unlock(f->obj);
}

/* ---- semaphore ------------------------------------------------------------- */

int co_sem_init(co_sem *s, long initial, long max)
{
    if (!s || max < 1 || initial < 0 || initial > max)
        return -EINVAL;
    s->q.head = s->q.tail = NULL;
    s->count = initial;
    s->max = max;
    return 0;
}

int co_sem_destroy(co_sem *s)
{
    if (!s || s->max < 1)
        return -EINVAL;
    return s->q.head ? -EBUSY : 0;
}

int co_sem_try_acquire(co_sem *s)
{
    if (!s || s->max < 1)
        return -EINVAL;
    if (s->count == 0)
        return -EAGAIN;
    s->count--;
    return 0;
}

int co_sem_release(co_sem *s)
{
    if (!s || s->max < 1)
        return -EINVAL;
    if (s->q.head)
        grant(&s->q, 0);            /* count stays 0: the permit moved */
    else if (s->count >= s->max)
        return -EOVERFLOW;
    else
        s->count++;
    return 0;
}

long co_sem_value(const co_sem *s)
{
    if (!s || s->max < 1)
        return -EINVAL;
    return s->count;
}

void co_sem_acquire__init(co_sem *s, co_syncw *f)
{
    fresh(f, s);
}

int co_sem_acquire__resume(co_syncw *f, co_task *t)
{
    co_sem *s = f->obj;

    if (f->co_state != 0)
        return again(f);
    if (!s || s->max < 1)
        return finish(f, -EINVAL);
    if (s->count > 0) {
        s->count--;
        return finish(f, 0);
    }
    enqueue(&s->q, f, t);
    return CO_PENDING;
}

void co_sem_acquire__close(co_syncw *f)
{
    if (leave(f))
        co_sem_release(f->obj);
}

/* ---- event ----------------------------------------------------------------- */

int co_event_init(co_event *e)
{
    if (!e)
        return -EINVAL;
    e->q.head = e->q.tail = NULL;
    e->set = 0;
    return 0;
}

int co_event_set(co_event *e)
{
    if (!e)
        return -EINVAL;
    e->set = 1;
    grant_all(&e->q);
    return 0;
}

int co_event_clear(co_event *e)
{
    if (!e)
        return -EINVAL;
    e->set = 0;
    return 0;
}

int co_event_is_set(const co_event *e)
{
    if (!e)
        return -EINVAL;
    return e->set != 0;
}

void co_event_wait__init(co_event *e, co_syncw *f)
{
    fresh(f, e);
}

int co_event_wait__resume(co_syncw *f, co_task *t)
{
    co_event *e = f->obj;

    if (f->co_state != 0)
        return again(f);
    if (!e)
        return finish(f, -EINVAL);
    if (e->set)
        return finish(f, 0);
    enqueue(&e->q, f, t);
    return CO_PENDING;
}

void co_event_wait__close(co_syncw *f)
{
    leave(f);                       /* a granted wake-up holds nothing */
}

/* ---- condition --------------------------------------------------------------
 * co_cond_wait's own co_state: 0 fresh, 1 waiting for a signal (w is in
 * c's queue, or granted), 2 waiting for m (lk is a co_lock frame; w's
 * co_state is 2 when it consumed a signal), 3 cancelled and holding m
 * again, waiting to be closed; -1 done.
 *
 * A cancel must not close a wait that does not hold m: the caller's
 * defers expect it.  So from 1 to 3 the task has F_SHIELD, and co_cancel
 * only wakes it.  The resume that sees F_CANCEL leaves c's queue, takes
 * m back (waiting for it like any co_lock) and then suspends in 3
 * without the shield, and the loop closes it, as asyncio's
 * Condition.wait re-acquires its lock before the CancelledError goes
 * on.  A signal it consumed goes to the next waiter. */

int co_cond_init(co_cond *c)
{
    if (!c)
        return -EINVAL;
    c->q.head = c->q.tail = NULL;
    return 0;
}

int co_cond_signal(co_cond *c)
{
    if (!c)
        return -EINVAL;
    if (!c->q.head)
        return 0;
    grant(&c->q, 0);
    return 1;
}

int co_cond_broadcast(co_cond *c)
{
    return c ? grant_all(&c->q) : -EINVAL;
}

void co_cond_wait__init(co_cond *c, co_mutex *m, struct co_cond_wait__frame *f)
{
    f->co_state = 0;
    fresh(&f->w, c);
    f->m = m;
}

/* The steps of both waits; timed_out: co_cond_wait_for's timer fired,
 * which ends the wait for a signal as a cancel does, but returns. */
static int cond_resume(struct co_cond_wait__frame *f, co_task *t, int timed_out)
{
    co_cond *c = f->w.obj;

    switch (f->co_state) {
    case 0:
        if (!c || !f->m) {
            f->co_result = -EINVAL;
            break;
        }
        if (!f->m->locked) {
            f->co_result = -EPERM;
            break;
        }
        if (t->flags & F_CANCEL) {
            f->co_state = 3;        /* cancelled already: never let m go */
            return CO_PENDING;
        }
        enqueue(&c->q, &f->w, t);
        co_unlock(f->m);
        t->flags |= F_SHIELD;
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        if (f->w.co_state == 1) {
            if (!(t->flags & F_CANCEL) && !timed_out)
                return CO_PENDING;  /* not signalled yet */
            leave(&f->w);
        }
        co_lock__init(f->m, &f->lk);
        f->co_state = 2;
        /* fall through */
    case 2:
        if (co_lock__resume(&f->lk, t) == CO_PENDING)
            return CO_PENDING;
        t->flags &= ~F_SHIELD;
        if (t->flags & F_CANCEL) {
            if (f->w.co_state == 2)
                co_cond_signal(c);  /* a consumed signal goes on */
            f->co_state = 3;        /* holding m: the loop closes us now */
            return CO_PENDING;
        }
        f->co_result = f->w.co_state == 2 ? 0 : -ETIMEDOUT;
        break;
    case 3:
        return CO_PENDING;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

int co_cond_wait__resume(struct co_cond_wait__frame *f, co_task *t)
{
    return cond_resume(f, t, 0);
}

/* A close in 1 or 2 did not go through the resume that takes m back:
 * co_timeout gave up, or co_loop_free is tearing down.  It cannot wait,
 * so it takes m only if m is free. */
void co_cond_wait__close(struct co_cond_wait__frame *f)
{
    co_mutex *m = f->m;

    if (f->co_state == 1 || f->co_state == 2)
        f->w.task->flags &= ~F_SHIELD;
    switch (f->co_state) {
    case 1:
        if (leave(&f->w))
            co_cond_signal(f->w.obj);   /* a consumed signal goes on */
        break;
    case 2:
        if (f->lk.co_state == 2) {      /* m was handed to us: keep it */
            f->lk.co_state = -1;
            f->co_state = -1;
            return;
        }
        leave(&f->lk);
        if (f->w.co_state == 2)
            co_cond_signal(f->w.obj);   /* a consumed signal goes on */
        break;
    default:
        f->co_state = -1;
        return;
    }
    if (!m->locked)
        m->locked = 1;                  /* the caller holds m again */
    f->co_state = -1;
}

/* ---- timed condition wait ---------------------------------------------------
 * co_cond_wait's steps with a timer beside them.  The timer starts before
 * m is let go, so a timer that cannot start fails the wait while the
 * caller still holds m.  When it fires, the resume it causes ends the
 * wait for a signal and takes m back like any co_lock: the result is
 * -ETIMEDOUT, or 0 when a signal was handed over first. */

void co_cond_wait_for__init(co_cond *c, co_mutex *m, long ms,
                            struct co_cond_wait_for__frame *f)
{
    f->co_state = 0;
    f->ms = ms;
    f->tm.idx = 0;
    co_cond_wait__init(c, m, &f->cw);
}

int co_cond_wait_for__resume(struct co_cond_wait_for__frame *f, co_task *t)
{
    if (f->co_state == -1)
        return CO_DONE;
    if (f->co_state == 0 && f->ms >= 0) {
        f->co_result = co_timer_start(&f->tm, f->ms, t);
        if (f->co_result < 0) {
            f->co_state = -1;
            return CO_DONE;
        }
    }
    f->co_state = 1;
    if (cond_resume(&f->cw, t, co_timer_fired(&f->tm)) == CO_PENDING)
        return CO_PENDING;
    co_timer_stop(&f->tm);
    f->co_result = f->cw.co_result;
    f->co_state = -1;
    return CO_DONE;
}

void co_cond_wait_for__close(struct co_cond_wait_for__frame *f)
{
    co_timer_stop(&f->tm);
    if (f->co_state == 1)
        co_cond_wait__close(&f->cw);
    f->co_state = -1;
}

/* ---- barrier --------------------------------------------------------------- */

int co_barrier_init(co_barrier *b, long n)
{
    if (!b || n < 1)
        return -EINVAL;
    b->q.head = b->q.tail = NULL;
    b->n = n;
    b->count = 0;
    b->rounds = 0;
    return 0;
}

int co_barrier_destroy(co_barrier *b)
{
    if (!b || b->n < 1)
        return -EINVAL;
    return b->q.head ? -EBUSY : 0;
}

void co_barrier_wait__init(co_barrier *b, co_syncw *f)
{
    fresh(f, b);
}

int co_barrier_wait__resume(co_syncw *f, co_task *t)
{
    co_barrier *b = f->obj;
    long k;

    if (f->co_state != 0)
        return again(f);
    if (!b || b->n < 1)
        return finish(f, -EINVAL);
    if (b->count + 1 < b->n) {
        b->count++;
        enqueue(&b->q, f, t);
        return CO_PENDING;
    }
    /* The last to arrive: release the round, earliest arrival first; the
     * queue order is the arrival order of those still there. */
    for (k = b->n - 1; b->q.head; k--)
        grant(&b->q, (int)k);
    b->count = 0;
    b->rounds++;
    return finish(f, 0);
}

void co_barrier_wait__close(co_syncw *f)
{
    co_barrier *b = f->obj;

    if (f->co_state == 1)
        b->count--;                     /* withdraw the arrival */
    leave(f);
}

/* ---- wait group ------------------------------------------------------------ */

int co_wg_init(co_wg *wg)
{
    if (!wg)
        return -EINVAL;
    wg->q.head = wg->q.tail = NULL;
    wg->count = 0;
    return 0;
}

int co_wg_add(co_wg *wg, long delta)
{
    if (!wg || (delta < 0 && delta < -wg->count))
        return -EINVAL;
    if (delta > 0 && delta > LONG_MAX - wg->count)
        return -EOVERFLOW;
    wg->count += delta;
    if (wg->count == 0)
        grant_all(&wg->q);
    return 0;
}

int co_wg_done(co_wg *wg)
{
    return co_wg_add(wg, -1);
}

long co_wg_count(const co_wg *wg)
{
    if (!wg)
        return -EINVAL;
    return wg->count;
}

void co_wg_wait__init(co_wg *wg, co_syncw *f)
{
    fresh(f, wg);
}

int co_wg_wait__resume(co_syncw *f, co_task *t)
{
    co_wg *wg = f->obj;

    if (f->co_state != 0)
        return again(f);
    if (!wg)
        return finish(f, -EINVAL);
    if (wg->count == 0)
        return finish(f, 0);
    enqueue(&wg->q, f, t);
    return CO_PENDING;
}

void co_wg_wait__close(co_syncw *f)
{
    leave(f);
}
