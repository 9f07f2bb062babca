/*
 * rt.h - the runtime's internal header: the loop structure, the backend
 * interface, and what each runtime file exports to the others (what the
 * library tier may use of it is in lib.h, which this header includes).
 *
 * Not installed; generated code sees only cogen.h.  One section per file.
 *
 * Which file calls which (checked with nm on the objects): the calls run
 * one way, down this list.  The runtime has three tiers (lib.h): the
 * cross-thread layer is future.c, pool.c, chan_shared.c and the inbox,
 * remote.c; the library tier is net.c, sync.c and wait.c, which include
 * lib.h instead of this header; the core is the rest.  The core never
 * calls the layer or the library by name: it reaches the inbox, the pool
 * and the shared half of channels only through the pointers they set
 * (co__inbox, co_loop.pool_free, co_shx.ops).  tests/core_size.sh checks
 * all of that and that the core links on its own.
 *
 *   future.c               remote.c, task.c, base.c
 *   pool.c                 remote.c, alloc.c
 *   chan_shared.c          chan.c, remote.c (co__wake_any), alloc.c
 *   remote.c               loop.c, task.c, io.c, base.c
 *   wait.c                 task.c, timer.c, alloc.c (through lib.h)
 *   net.c                  io.c, timer.c, loop.c (through lib.h)
 *   sync.c                 task.c, timer.c (through lib.h)
 *   loop.c                 everything below: it drives the rest
 *   select.c               chan.c
 *   chan.c                 alloc.c
 *   signal.c               task.c, io.c, base.c
 *   group.c                task.c, hooks.c
 *   loop_poll.c loop_epoll.c  io.c
 *   task.c                 hooks.c, alloc.c, base.c
 *   timer.c                base.c
 *   gen.c                  alloc.c
 *   io.c alloc.c base.c hooks.c  nothing
 */
#ifndef COGEN_RT_H
#define COGEN_RT_H

#include <pthread.h>
#include <stdatomic.h>

#include "lib.h"

/* ---- the task list (task.c) ----------------------------------------------
 *
 * The task states and flags are in lib.h.  Every spawned task is on its
 * loop's task list (co_loop.all).  The list ends with the run queue: the
 * tasks from co_loop.rq to the end are the queued ones (T_FRESH, T_READY,
 * or finished with F_QUEUED), in FIFO order; the tasks before rq are not
 * queued.  Waking a task moves it to the end.
 */

/* ---- claims: who ends a wait on a shared channel --------------------------
 *
 * A task waiting on a shared channel (in co_send, co_recv, or a co_select
 * with a shared channel among its cases) can have its wait ended by an
 * operation on another thread, which holds only that channel's lock, and
 * by co_cancel on its own thread, which holds none.  co_task.claim says
 * which came first; the first to move it away from CL_OPEN wins:
 *
 *   CL_NONE    the task is in no such wait
 *   CL_OPEN    it waits and nobody has ended the wait yet
 *   CL_DONE    an operation completed it (under a channel lock): the task
 *              gets the result and is woken
 *   CL_CANCEL  co_cancel withdrew it: no operation may complete it, and
 *              the channels pass its nodes by until the close takes them
 *              out
 *
 * The task's thread sets CL_OPEN with the channels' locks held, before
 * its nodes are queued, and CL_NONE with them held, once they are out;
 * nothing else touches claim but the moves from CL_OPEN.
 */
enum { CL_NONE, CL_OPEN, CL_DONE, CL_CANCEL };

static inline atomic_uchar *co__claim(co_task *t)
{
    return (atomic_uchar *)&t->claim;   /* see task.c for why this is fine */
}

/* Move t's claim from CL_OPEN to `to`; 1 when this call did. */
static inline int co__claim_take(co_task *t, unsigned char to)
{
    unsigned char open = CL_OPEN;

    return atomic_compare_exchange_strong_explicit(co__claim(t), &open, to,
                                                   memory_order_acq_rel,
                                                   memory_order_acquire);
}

static inline unsigned char co__claim_get(co_task *t)
{
    return atomic_load_explicit(co__claim(t), memory_order_acquire);
}

static inline void co__claim_set(co_task *t, unsigned char c)
{
    atomic_store_explicit(co__claim(t), c, memory_order_relaxed);
}

/* ---- the loop (loop.c) -------------------------------------------------- */

typedef struct co_backend co_backend;
struct co_fdent;
struct co_hkent;

struct co_loop {
    co_task all;            /* sentinel of the task list (only next/prev) */
    co_task *rq;            /* first queued task in `all`, or &all */
    co_task *until;         /* co_run's main task: stop when it finishes */
    int running;            /* inside co_loop_run */
    int stop;               /* co_loop_stop was called */
    int attn;               /* a timer, descriptor wait or the SIGINT pipe
                             * began since run_batch last found none:
                             * it must end its run (loop.c) */
    int closing;            /* inside co_loop_free */
    int sweeping;           /* frees of finished tasks are deferred */
    int interrupted;        /* SIGINT cancelled the tasks */
    unsigned rng;           /* xorshift state: select's start case */

    co_timer **heap;        /* pending timers, a binary min-heap */
    unsigned nheap, capheap;
    unsigned tseq;          /* next timer sequence number */

    struct co_fdent *fds;   /* indexed by descriptor */
    int capfds;
    int nfdwait;            /* tasks waiting on descriptors */
    int polls;              /* batches since the last poll while busy */
    const co_backend *be;
    void *bd;               /* the backend's state */

    struct co_hkent *hk;    /* hook table: task -> its hooks (hooks.c) */
    unsigned capk, nk;

    int sig_rfd, sig_wfd;   /* SIGINT self-pipe, or -1 (signal.c) */

    /* Cross-thread (remote.c).  Only the loop's thread touches nremote
     * and forever; the inbox fields are guarded by mu; `posted` is read
     * without it, as a hint that the inbox needs a look. */
    int nremote;            /* tasks waiting for another thread */
    int forever;            /* co_loop_run_forever: idle is not the end */
    pthread_mutex_t mu;
    atomic_int posted;      /* the inbox is not empty */
    struct co_rmsg *mhead, **mtail;  /* messages, in posting order */
    co_task **rw;           /* tasks to wake (each has rwake set) */
    unsigned nrw, caprw;
    int wakeall;            /* a wake-up found no room: wake every task */
    int stopreq;            /* co_loop_stop from another thread */
    int refuse;             /* co_loop_close: no more calls from outside */
    int sleeping;           /* blocked in the backend: write to wfd */
    int signalled;          /* wfd was written since the last read */
    int wrfd, wwfd;         /* wake-up eventfd (wrfd == wwfd) or pipe */
    struct co_pool *pool;   /* the thread pool, made at first use (pool.c) */
    void (*pool_free)(co_loop *l);  /* its teardown, for co_loop_free */
    int pool_size;          /* threads it will have; 0: the cores */
    int wait_jobs;          /* co_loop_free waits for abandoned jobs */
    struct co_accept__frame *acceptors; /* co_accept's line (net.c) */
};

/* ---- what every file needs of the loop (base.c) ------------------------- */

/* The loop running on this thread (set by co_loop_run and co_loop_free),
 * for co_spawn.  The documented exception to "no global mutable state". */
extern _Thread_local co_loop *co__cur;

/* Monotonic time in nanoseconds. */
long long co__now(void);

/* Run fn on every task of l, in list order, safe against fn changing the
 * list. */
void co__each_task(co_loop *l, void (*fn)(co_task *));

/* Task list operations. */
static inline void co__unlink(co_task *t)
{
    co_task *p = t->prev, *n = t->next;

    p->next = n;
    n->prev = p;
}

/* Put t at the end of l's list: the back of the run queue. */
static inline void co__append(co_loop *l, co_task *t)
{
    co_task *s = &l->all, *tail = s->prev;

    t->prev = tail;
    t->next = s;
    tail->next = t;
    s->prev = t;
    if (l->rq == s)
        l->rq = t;
}

/* Put t just before the run queue: among the tasks that are not queued. */
static inline void co__park(co_loop *l, co_task *t)
{
    co_task *r = l->rq;

    t->next = r;
    t->prev = r->prev;
    r->prev->next = t;
    r->prev = t;
}

/* Make a waiting task runnable.  Idempotent: a queued or finished task is
 * left alone; a running one is queued again when it suspends. */
static inline void co__wake(co_task *t)
{
    if (t->state == T_WAITING) {
        t->state = T_READY;
        co__unlink(t);
        co__append(t->loop, t);
    } else if (t->state == T_RUNNING) {
        t->flags |= F_WOKEN;
    }
}

/* Random number for fairness decisions (select's first case). */
static inline unsigned co__rand(co_loop *l)
{
    unsigned x = l->rng;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return l->rng = x;
}

/* ---- tasks (task.c) ----------------------------------------------------- */

/* Finish t (normally, or cancelled when `cancelled`): fire its hooks, queue
 * its done callbacks, free it when released. */
void co__finish(co_task *t, int cancelled);
/* Run the done callbacks of a finished, queued task. */
void co__run_callbacks(co_task *t);
/* Close a waiting task now and finish it cancelled (co_cancel's core). */
void co__cancel_now(co_task *t);
/* t waits, without F_SHIELD, and is to be cancelled (F_CANCEL): close it
 * now and return 1 (it may be freed), or return 0 when the operation it
 * waits in has completed meanwhile on another thread (its wake-up is on
 * the way; it is cancelled at its next suspension). */
int co__cancel_wait(co_task *t);
/* Free t if no reference is left, it has finished and is not queued. */
void co__maybe_free(co_task *t);
/* Free t and its callback nodes and unlink it, whatever its state. */
void co__task_free(co_task *t);
/* co__ready, co__take, co__status, co__hook_add and co__hook_del are in
 * lib.h. */

/* ---- the hook table (hooks.c) --------------------------------------------
 *
 * Which hooks a task has is kept out of the task header, in an open
 * addressing table per loop, because few tasks ever have one: the header
 * stays 48 bytes.  The members of task groups have one each (their
 * group's hook), and their entry holds their links in the group's member
 * list as well (group.c). */
co_hook **co__hk_find(co_loop *l, const co_task *t);
/* A task's links in its group's member list (task pointers), kept in its
 * entry; NULL when it has none.  Valid until the table next changes (an
 * add or a delete): look it up again after that. */
typedef struct co_mlink {
    co_task *prev, *next;
} co_mlink;
co_mlink *co__hk_mlink(co_loop *l, const co_task *t);
co_hook **co__hk_add(co_loop *l, co_task *t);
void co__hk_del(co_loop *l, const co_task *t);
void co__hk_free(co_loop *l);

/* ---- timers (timer.c) --------------------------------------------------- */

/* Milliseconds until the first timer is due (0 if one is), or -1. */
int co__timer_timeout(co_loop *l, long long now);
/* Fire the timers that are due at `now`: wake their tasks. */
void co__timer_fire(co_loop *l, long long now);

/* ---- descriptors (io.c) ------------------------------------------------- */

/* CO_EV_* and co__io_nonblock are in lib.h. */

/* Called by a backend for each ready descriptor. */
void co__io_ready(co_loop *l, int fd, int ev);
/* Watch fd for input for an internal purpose (the SIGINT pipe). */
int co__io_watch_internal(co_loop *l, int fd, int on);
void co__io_free(co_loop *l);

/* ---- backends (loop_poll.c, loop_epoll.c) --------------------------------
 *
 * A backend translates native readiness into calls of co__io_ready.  The
 * loop core owns registration, timers and dispatch order. */
struct co_backend {
    const char *name;
    int (*init)(co_loop *l);                    /* 0 or -errno */
    void (*fini)(co_loop *l);
    /* Change the events watched on fd from `old` to `ev` (CO_EV_* bits;
     * 0 = not watched).  0 or -errno; -EPERM when fd cannot be watched
     * because it never blocks (epoll refuses regular files): the loop
     * then counts it ready at once, as poll(2) reports it. */
    int (*set)(co_loop *l, int fd, int old, int ev);
    /* Wait up to timeout_ms (-1 forever, 0 not at all) and report.  The
     * number of descriptors reported, or -errno (-EINTR is not an error
     * the loop reports). */
    int (*wait)(co_loop *l, int timeout_ms);
};

extern const co_backend co__poll_backend;
#ifdef __linux__
extern const co_backend co__epoll_backend;
#endif

/* ---- channels and select (chan.c, chan_shared.c, select.c) -------------- */

/* What a shared channel (co_chan_new_shared) has more, just before its
 * co_chan: its lock, and the operations of chan_shared.c, which chan.c
 * reaches through the channel rather than by name, so that the
 * single-thread core does not depend on the shared half. */
struct co_proxy;
struct co_shx {
    pthread_mutex_t mu;         /* guards the channel and everything below */
    long refs;                  /* co_chan_free's + one per registered node */
    struct co_proxy *spare;     /* records not in use, linked by op.elem */
    const struct co_chan_ops *ops;
};
#define CO_SHX(c) ((struct co_shx *)(c) - 1)

struct co_chan_ops {
    /* The first resume of co_send (send: CO_WT_SEND) or co_recv (0):
     * complete it now, or queue a record for it. */
    int (*start)(struct co_chanop *f, co_task *t, uintptr_t send);
    /* A later resume while its record waits: CO_DONE once completed. */
    int (*resume)(struct co_chanop *f);
    /* A close while its record waits: take the record back; *res gets
     * the result if the operation had completed meanwhile. */
    void (*leave)(struct co_chanop *f, int *res);
    /* Free c, whose last reference went (its lock not held). */
    void (*destroy)(co_chan *c);
    /* Wake a task of any loop (co__wake_any). */
    void (*wake)(co_task *t);
};

/* A new channel, after a co_shx for chan_shared.c to fill in when
 * `shared`; NULL with errno. */
co_chan *co__chan_make(size_t esize, size_t cap, int shared);
/* End co_send's or co_recv's frame f with result r: CO_DONE. */
int co__chan_done(struct co_chanop *f, int r);

/* Shared channels (co_chan_new_shared): is c one; take and release its
 * lock; take op (queued on c by co__chan_enqueue) out of the queue if it
 * is still there and drop the reference the queueing took.  The lock
 * order is a channel's lock, then a loop's inbox lock (co__wake_any);
 * several channels' locks are taken in address order (select). */
int co__chan_shared(const co_chan *c);
void co__chan_lock(co_chan *c);
void co__chan_unlock(co_chan *c);
void co__chan_leave(co_chan *c, struct co_chanop *op);
/* Try a send or a receive without waiting: the result co_try_send and
 * co_try_recv give, -EAGAIN when it would wait.  On a shared channel the
 * caller holds its lock. */
int co__chan_send_now(co_chan *c, const void *elem);
int co__chan_recv_now(co_chan *c, void *out);
/* Put a waiter node at the back of c's queue (on a shared channel, under
 * its lock, taking a reference on it); take one out. */
void co__chan_enqueue(co_chan *c, struct co_chanop *op);
void co__chan_unlink(struct co_chanop *op);
/* Take the queued nodes of a select over plain channels out. */
void co__select_unlink(struct co_sel *f);

/* ---- cross-thread messages (remote.c) ------------------------------------
 *
 * Other threads reach a loop only through its inbox: a queue of messages,
 * each run on the loop's thread between batches, and a set of tasks to
 * wake.  Posting writes to the loop's wake-up descriptor when the loop is
 * blocked in its backend.
 *
 * The core never calls remote.c by name: loop.c goes through co__inbox,
 * which remote.c sets before main (a constructor) and which stays NULL in
 * a program without it.  Such a program has no way to reach a loop from
 * another thread (every entry point that does is in the layer, and
 * co_loop_stop is too), so its loops need no inbox.  Loops made before
 * remote.c's constructor ran (by another constructor) have none either. */
struct co_inbox_ops {
    /* Set up l's inbox (co_loop_new): 0 or -errno. */
    int (*init)(co_loop *l);
    /* Act on what was posted (l->posted is set; loop thread). */
    void (*run)(co_loop *l);
    /* Block in the backend for up to timeout ms (not 0), unless something
     * is posted meanwhile: the backend's count, or -errno. */
    int (*wait)(co_loop *l, int timeout);
    /* co_loop_close, from co_loop_free. */
    int (*close)(co_loop *l);
    /* Run every message left (their `run` sees l->refuse set), then free
     * the inbox.  Called with no other thread able to post. */
    void (*fini)(co_loop *l);
};
extern const struct co_inbox_ops *co__inbox;

typedef struct co_rmsg co_rmsg;
struct co_rmsg {
    co_rmsg *next;
    void (*run)(co_loop *l, co_rmsg *m);    /* on l's thread; may free m */
};

/* Queue m for l's thread, from any thread; the runtime's own messages are
 * taken even after co_loop_close. */
void co__post(co_loop *l, co_rmsg *m);
/* The same for a user's call: 0, or -ESHUTDOWN once co_loop_close began. */
int co__post_public(co_loop *l, co_rmsg *m);
/* Wake t from any thread.  On t's loop's thread this is co__wake; from
 * elsewhere the caller must hold the lock that keeps t registered (so
 * t cannot finish meanwhile): t goes to its loop's inbox and stays alive
 * until the loop has taken it out (F_REMOTE, rwake). */
void co__wake_any(co_task *t);
/* Is a wake-up of t still in its loop's inbox?  (t has F_REMOTE.)
 * Inline: task.c asks before it frees such a task, and needs nothing
 * else of the inbox. */
static inline int co__remote_held(co_task *t)
{
    co_loop *l = t->loop;
    int held;

    pthread_mutex_lock(&l->mu);
    held = t->rwake;
    pthread_mutex_unlock(&l->mu);
    return held;
}

/* ---- SIGINT (signal.c) -------------------------------------------------- */

/* If SIGINT arrived for l, cancel its tasks.  Cheap when it did not. */
void co__sig_check(co_loop *l);
/* Restore the old SIGINT handler and close the pipe (at loop free). */
void co__sig_free(co_loop *l);

#endif
