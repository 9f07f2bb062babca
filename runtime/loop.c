/*
 * loop.c - the event loop: run queue and dispatch, deadlock detection,
 * teardown, and co_run.
 *
 * One iteration runs a batch: the tasks queued when it starts, in FIFO
 * order, each resumed until it suspends (tasks woken meanwhile wait for
 * the next batch).  Then, when there is reason to, it reads the clock and
 * fires due timers, and asks the backend for ready descriptors, blocking
 * only when nothing is queued.  With no timer and no descriptor in use the
 * loop never makes a system call between resumes, and it runs on through
 * the queue without batches, looking at one word per task (l->attn) to
 * learn when that stops being so (run_batch).
 *
 * The task list and the run queue are one list (rt.h): the queue is its
 * tail from l->rq on.  Waking moves a task to the end; resuming advances
 * rq past it, which leaves it among the waiting tasks if it suspends.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt.h"

/* How many busy batches may pass between two polls of descriptors. */
#define POLL_EVERY 16

/* The inbox's operations, when remote.c is linked (rt.h). */
const struct co_inbox_ops *co__inbox;

/* ---- creating ------------------------------------------------------------- */

static const co_backend *pick(int backend)
{
    const char *e;

    if (backend == CO_BACKEND_DEFAULT) {
        e = getenv("COGEN_BACKEND");
        if (!e || !*e)
#ifdef __linux__
            return &co__epoll_backend;
#else
            return &co__poll_backend;
#endif
        if (strcmp(e, "poll") == 0)
            backend = CO_BACKEND_POLL;
        else if (strcmp(e, "epoll") == 0)
            backend = CO_BACKEND_EPOLL;
        else
            backend = -1;
    }
    switch (backend) {
    case CO_BACKEND_POLL:
        return &co__poll_backend;
    case CO_BACKEND_EPOLL:
#ifdef __linux__
        return &co__epoll_backend;
#else
        errno = ENOSYS;
        return NULL;
#endif
    default:
        errno = EINVAL;
        return NULL;
    }
}

co_loop *co_loop_new(int backend)
{
    const co_backend *be = pick(backend);
    co_loop *l;
    int r;

    if (!be)
        return NULL;
    l = calloc(1, sizeof *l);
    if (!l) {
        errno = ENOMEM;
        return NULL;
    }
    l->all.next = l->all.prev = &l->all;
    l->rq = &l->all;
    l->rng = 0x9E3779B9u;       /* fixed: runs are reproducible */
    l->sig_rfd = l->sig_wfd = -1;
    l->be = be;
    r = be->init(l);
    if (r < 0) {
        free(l);
        errno = -r;
        return NULL;
    }
    r = co__inbox ? co__inbox->init(l) : 0;
    if (r < 0) {
        co__io_free(l);
        be->fini(l);
        free(l);
        errno = -r;
        return NULL;
    }
    return l;
}

const char *co_loop_backend(const co_loop *l)
{
    return l ? l->be->name : NULL;
}

co_loop *co_loop_current(void)
{
    return co__cur;
}

struct co_accept__frame **co__acceptors(co_loop *l)
{
    return &l->acceptors;
}

/* ---- running -------------------------------------------------------------- */

/* A task suspended with F_CANCEL or F_WOKEN set while it ran.  A cancel
 * closes it (which unregisters what it just registered), unless what it
 * waits in must end first: an operation another thread completed just
 * now, or a primitive that saw the cancel and ends the wait itself
 * (F_SHIELD); then it waits on, still to be cancelled. */
static void suspended_flagged(co_loop *l, co_task *t)
{
    if (t->flags & F_CANCEL) {
        t->state = T_WAITING;
        if (!(t->flags & F_SHIELD) && co__cancel_wait(t))
            return;
        if (!(t->flags & F_WOKEN))
            return;
    }
    t->flags &= ~F_WOKEN;
    t->state = T_READY;
    co__unlink(t);
    co__append(l, t);
}

static inline void resume(co_loop *l, co_task *t)
{
    t->state = T_RUNNING;
    t->co_where = NULL;
    if (t->vt->resume(t) != CO_PENDING)
        co__finish(t, 0);
    else if (t->flags & (F_CANCEL | F_WOKEN))
        suspended_flagged(l, t);
    else
        t->state = T_WAITING;
}

/* Act on t, just taken off the run queue. */
static void step(co_loop *l, co_task *t)
{
    if (t->state == T_READY) {
        resume(l, t);
        return;
    }
    switch (t->state) {
    case T_FRESH:
        if (t->flags & F_CANCEL)
            co__finish(t, 1);   /* cancelled before it ever ran */
        else
            resume(l, t);
        break;
    case T_DONE:
    case T_CANCELLED:
        co__run_callbacks(t);
        break;
    default:
        break;
    }
}

/* Does the loop have to look at the clock, descriptors, signals or its
 * inbox between batches? */
static inline int watching(co_loop *l)
{
    return l->nheap | l->nfdwait | (l->sig_rfd >= 0) |
           atomic_load_explicit(&l->posted, memory_order_relaxed);
}

/* Something was posted from another thread: act on it now.  (Only an
 * inbox sets `posted`.) */
static inline void check_inbox(co_loop *l)
{
    if (atomic_load_explicit(&l->posted, memory_order_acquire))
        co__inbox->run(l);
}

/* Run the tasks queued now, in order.  While the loop watches something
 * (watching()), that is one batch, after which it returns.  While
 * nothing but tasks needs the loop's attention, it runs on until the
 * queue is empty: the order is the same, and a ping-pong between two
 * tasks costs no batch bookkeeping, only one look per task at a word
 * that says whether that still holds (l->attn, set by whatever starts
 * a timer, a descriptor wait or the SIGINT pipe) and at `stop` and
 * `posted`.  When one of them is set it returns after the task that
 * set it: earlier than the batch's end, never later, and the tasks
 * still queued keep their order. */
static void run_batch(co_loop *l)
{
    co_task *s = &l->all, *last = s->prev, *t;
    int end;

    if (watching(l))
        for (;;) {
            t = l->rq;
            if (t == s || l->stop)
                return;
            l->rq = t->next;
            end = t == last;
            step(l, t);
            if (end) {
                if (watching(l))
                    return;
                break;
            }
        }
    l->attn = 0;
    while ((t = l->rq) != s &&
           !(l->stop | l->attn |
             atomic_load_explicit(&l->posted, memory_order_relaxed))) {
        l->rq = t->next;
        if (t->state == T_READY)
            resume(l, t);
        else
            step(l, t);
    }
}

/* List the waiting tasks; -EDEADLK if there are any. */
static int deadlock(co_loop *l)
{
    co_task *t;
    int n = 0;

    for (t = l->all.next; t != &l->all; t = t->next) {
        if (t->state != T_WAITING)
            continue;
        fprintf(stderr, "cogen: deadlock: task %s blocked at %s\n",
                t->vt->name ? t->vt->name : "?",
                t->co_where ? t->co_where : "an unknown place");
        n++;
    }
    return n ? -EDEADLK : 0;
}

/* Wait for descriptors and timers for up to timeout ms (0: only look);
 * with an inbox, a post from another thread ends the wait too.  The
 * backend's count, or -errno. */
static int wait_events(co_loop *l, int timeout)
{
    if (timeout != 0 && co__inbox)
        return co__inbox->wait(l, timeout);
    return l->be->wait(l, timeout);
}

int co_loop_run(co_loop *l)
{
    co_loop *prev;
    long long now;
    int r = 0, busy, timeout, n;

    if (!l)
        return -EINVAL;
    if (l->running || l->closing)
        return -EBUSY;
    l->running = 1;
    l->interrupted = 0;
    prev = co__cur;
    co__cur = l;
    check_inbox(l);             /* a stop asked for before the run */
    for (;;) {
        run_batch(l);
        check_inbox(l);
        if (l->sig_rfd >= 0)
            co__sig_check(l);
        if (l->stop)
            break;
        busy = l->rq != &l->all;
        if (!busy && !l->nheap && !l->nfdwait && !l->nremote && !l->forever) {
            r = deadlock(l);
            break;
        }
        now = 0;
        if (busy)
            timeout = 0;
        else if (l->nheap)
            timeout = co__timer_timeout(l, now = co__now());
        else
            timeout = -1;
        if (timeout != 0 || (l->nfdwait && ++l->polls >= POLL_EVERY)) {
            l->polls = 0;
            n = wait_events(l, timeout);
            if (n < 0 && n != -EINTR) {
                r = n;
                break;
            }
            now = 0;
        }
        if (l->nheap)
            co__timer_fire(l, now ? now : co__now());
    }
    l->stop = 0;
    l->running = 0;
    co__cur = prev;
    if (l->interrupted && r == 0)
        r = -EINTR;
    return r;
}

/* ---- tearing down --------------------------------------------------------- */

static void close_task(co_task *t)
{
    if (!T_FINISHED(t))
        co__cancel_now(t);
}

int co_loop_free(co_loop *l)
{
    co_loop *prev;
    co_task *t;

    if (!l)
        return -EINVAL;
    if (l->running || l->closing)
        return -EBUSY;
    if (co__inbox)
        co__inbox->close(l);    /* run the calls already accepted */
    prev = co__cur;
    co__cur = l;
    l->closing = 1;             /* no more spawns */
    l->sweeping = 1;            /* no frees while we walk */
    co__each_task(l, close_task);
    if (l->pool_free)           /* running jobs are let go (or waited for) */
        l->pool_free(l);
    while (l->rq != &l->all) {  /* done callbacks, closes woken tasks */
        t = l->rq;
        l->rq = t->next;
        if (T_FINISHED(t))
            co__run_callbacks(t);
        else
            co__cancel_now(t);
    }
    if (co__inbox)
        co__inbox->fini(l);     /* the jobs' messages, late wake-ups */
    co__sig_free(l);
    while (l->all.next != &l->all)
        co__task_free(l->all.next);
    co__hk_free(l);
    co__io_free(l);
    free(l->heap);
    l->be->fini(l);
    free(l);
    co__cur = prev;
    return 0;
}

/* ---- co_run --------------------------------------------------------------- */

int co_run(co_task *main)
{
    co_loop *l;
    const char *name;
    int r, res = 0, e;

    if (!main) {
        fprintf(stderr, "cogen: co_run: NULL task (usually its frame could not be allocated)\n");
        return -EINVAL;
    }
    name = main->vt->name ? main->vt->name : "the main task";
    l = co_loop_new(CO_BACKEND_DEFAULT);
    if (!l) {
        e = errno;
        fprintf(stderr, "cogen: cannot make an event loop: %s%s\n",
                strerror(e), e == EINVAL ?
                " (COGEN_BACKEND must be poll or epoll)" : "");
        co_detach(main);
        return -e;
    }
    if (!co_spawn_on(l, main)) {
        fprintf(stderr, "cogen: co_run: %s was already spawned\n", name);
        co_loop_free(l);
        return -EINVAL;
    }
    l->until = main;
    r = co_loop_run(l);
    if (main->state == T_DONE) {
        if (main->vt->result_size == sizeof(int))
            memcpy(&res, (char *)main + main->vt->result_off, sizeof res);
    } else if (r == -EINTR || r == -EDEADLK) {
        res = r;                /* already said, or asked for */
    } else if (main->state == T_CANCELLED) {
        fprintf(stderr, "cogen: %s was cancelled\n", name);
        res = -ECANCELED;
    } else if (r < 0) {
        fprintf(stderr, "cogen: the event loop failed: %s\n", strerror(-r));
        res = r;
    } else {
        fprintf(stderr, "cogen: the loop was stopped before %s finished\n",
                name);
        res = -ECANCELED;
    }
    co_loop_free(l);
    return res;
}
