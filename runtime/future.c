/*
 * future.c - co_spawn_threadsafe and its future: a task spawned onto a
 * loop from another thread, and the result that thread waits for.
 *
 * The spawn travels as a message to the loop's inbox; on the loop's
 * thread it becomes an ordinary released task with a done callback that
 * copies the result into the future and signals its condition variable.
 * The future is shared by its owners, the caller, the loop's side and
 * each task waiting in co_future_join, and freed by whichever lets go
 * last.  Everything in it is guarded by its mutex, except `task`, which
 * only the loop's thread touches.  A joining task waits in the future's
 * list; the settling wakes it with co__wake_any while holding the mutex,
 * which keeps it registered (lock order: a future's mutex, then a loop's
 * inbox).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <time.h>

#include "rt.h"

/* FU_NOMEM: the loop could not take the task, which never ran. */
enum { FU_PENDING, FU_DONE, FU_CANCELLED, FU_NOMEM };

struct co_future {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int refs;               /* the caller, and the loop until the finish */
    int state;              /* FU_* */
    co_loop *loop;
    co_task *task;          /* the new task, then (spawned) the running
                             * one; NULL once finished.  The caller sets
                             * it, then only the loop's thread touches it */
    co_rmsg spawn;          /* the spawn request */
    co_rmsg cancel;         /* a cancel request */
    int cancelling;         /* `cancel` is posted and has not run */
    struct co_future_join__frame *joiners;  /* tasks waiting in a join */
    size_t size;            /* result bytes */
    unsigned char res[];
};

/* Drop one reference (under no lock); free on the last. */
static void unref(co_future *f)
{
    int last;

    pthread_mutex_lock(&f->mu);
    last = --f->refs == 0;
    pthread_mutex_unlock(&f->mu);
    if (last) {
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mu);
        free(f);
    }
}

/* Settle f with state st (and the task's result when done): wake the
 * threads in co_future_wait and the tasks in co_future_join. */
static void settle(co_future *f, int st, const co_task *t)
{
    struct co_future_join__frame *j;

    pthread_mutex_lock(&f->mu);
    if (st == FU_DONE && f->size)
        memcpy(f->res, (const char *)t + t->vt->result_off, f->size);
    f->state = st;
    pthread_cond_broadcast(&f->cv);
    for (j = f->joiners; j; j = j->next)
        co__wake_any(j->task);
    f->joiners = NULL;
    pthread_mutex_unlock(&f->mu);
}

/* ---- the loop's side -------------------------------------------------------------- */

static void on_done(co_task *t, void *arg)
{
    co_future *f = arg;

    f->task = NULL;
    settle(f, co_task_cancelled(t) ? FU_CANCELLED : FU_DONE, t);
    unref(f);
}

static void run_spawn(co_loop *l, co_rmsg *m)
{
    co_future *f = (co_future *)((char *)m - offsetof(co_future, spawn));
    co_task *t = f->task;

    if (!co_spawn_on(l, t)) {           /* the loop is being freed */
        f->task = NULL;
        settle(f, FU_CANCELLED, NULL);
        unref(f);
        return;
    }
    if (co_task_on_done(t, on_done, f) < 0) {
        /* No memory for the callback that carries the result: the spawn
         * fails whole.  The task is queued and has not run; cancelled
         * now, it never does. */
        co_cancel(t);
        f->task = NULL;
        settle(f, FU_NOMEM, NULL);
        unref(f);
    }
    co_detach(t);
}

static void run_cancel(co_loop *l, co_rmsg *m)
{
    co_future *f = (co_future *)((char *)m - offsetof(co_future, cancel));

    (void)l;
    pthread_mutex_lock(&f->mu);
    f->cancelling = 0;
    pthread_mutex_unlock(&f->mu);
    if (f->task)
        co_cancel(f->task);
    unref(f);
}

/* ---- the caller's side ---------------------------------------------------------- */

/* A pending future for t on l, with its lock and condition variable;
 * 0 or -errno.  Timed waits measure on CLOCK_MONOTONIC: a clock change
 * must not stretch or cut them. */
static int future_init(co_future *f, co_loop *l, co_task *t)
{
    pthread_condattr_t a;
    int r;

    if ((r = pthread_mutex_init(&f->mu, NULL)) != 0)
        return -r;
    if ((r = pthread_condattr_init(&a)) == 0) {
        r = pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
        if (r == 0)
            r = pthread_cond_init(&f->cv, &a);
        pthread_condattr_destroy(&a);
    }
    if (r != 0) {
        pthread_mutex_destroy(&f->mu);
        return -r;
    }
    f->refs = 2;
    f->state = FU_PENDING;
    f->loop = l;
    f->task = t;
    f->size = t->vt->result_size;
    f->spawn.run = run_spawn;
    f->cancel.run = run_cancel;
    f->cancelling = 0;
    f->joiners = NULL;
    return 0;
}

co_future *co_spawn_threadsafe(co_loop *l, co_task *t)
{
    co_future *f = NULL;
    int r = -EINVAL;

    if (!t || t->loop || t->state != T_NEW) {
        errno = EINVAL;         /* a spawned handle stays its holder's */
        return NULL;
    }
    if (l && !(f = malloc(sizeof *f + t->vt->result_size))) {
        r = -ENOMEM;
    } else if (l && (r = future_init(f, l, t)) == 0) {
        if ((r = co__post_public(l, &f->spawn)) == 0)
            return f;
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mu);
    }
    free(f);
    co_detach(t);               /* a new task nobody else can free */
    errno = -r;
    return NULL;
}

/* The state's code for co_future_wait, and the result copied to out. */
static int outcome(co_future *f, void *out)
{
    if (f->state == FU_CANCELLED)
        return -ECANCELED;
    if (f->state == FU_NOMEM)
        return -ENOMEM;
    if (out && f->size)
        memcpy(out, f->res, f->size);
    return 0;
}

int co_future_wait(co_future *f, void *out, long timeout_ms)
{
    struct timespec until;
    long long ns;
    int r = 0;

    if (!f)
        return -EINVAL;
    if (co__cur == f->loop)
        return -EDEADLK;        /* the loop would wait for itself */
    if (timeout_ms >= 0) {
        if (timeout_ms > CO_MAX_MS)
            timeout_ms = CO_MAX_MS;
        ns = co__now() + timeout_ms * 1000000LL;
        until.tv_sec = ns / 1000000000LL;
        until.tv_nsec = ns % 1000000000LL;
    }
    pthread_mutex_lock(&f->mu);
    while (f->state == FU_PENDING && r == 0) {
        if (timeout_ms < 0)
            pthread_cond_wait(&f->cv, &f->mu);
        else
            r = pthread_cond_timedwait(&f->cv, &f->mu, &until);
    }
    r = f->state == FU_PENDING ? -ETIMEDOUT : outcome(f, out);
    pthread_mutex_unlock(&f->mu);
    return r;
}

int co_future_done(co_future *f)
{
    int d;

    if (!f)
        return -EINVAL;
    pthread_mutex_lock(&f->mu);
    d = f->state != FU_PENDING;
    pthread_mutex_unlock(&f->mu);
    return d;
}

int co_future_cancel(co_future *f)
{
    int r = 0, post = 0;

    if (!f)
        return -EINVAL;
    pthread_mutex_lock(&f->mu);
    if (f->state != FU_PENDING) {
        r = -EALREADY;
    } else if (!f->cancelling) {
        f->cancelling = post = 1;
        f->refs++;              /* the message's */
    }
    pthread_mutex_unlock(&f->mu);
    if (post && (r = co__post_public(f->loop, &f->cancel)) < 0) {
        pthread_mutex_lock(&f->mu);
        f->cancelling = 0;
        pthread_mutex_unlock(&f->mu);
        unref(f);
    }
    return r;
}

int co_future_free(co_future *f)
{
    if (!f)
        return -EINVAL;
    unref(f);
    return 0;
}

/* ---- co_future_join -------------------------------------------------------------
 * co_state (the waiting task's own): 0 fresh, 1 waiting, -1 done.  While
 * it waits the frame is in f's list (until the settling empties it) and
 * holds a reference to f. */

void co_future_join__init(co_future *f, void *out, struct co_future_join__frame *fr)
{
    fr->co_state = 0;
    fr->f = f;
    fr->out = out;
}

/* Take fr out of its future's list if it is still there (f's mutex held). */
static void leave(struct co_future_join__frame *fr)
{
    struct co_future_join__frame **p;

    for (p = &fr->f->joiners; *p; p = &(*p)->next)
        if (*p == fr) {
            *p = fr->next;
            return;
        }
}

/* Stop waiting: out of the list, the reference dropped. */
static void unjoin(struct co_future_join__frame *fr)
{
    fr->task->loop->nremote--;
    unref(fr->f);
}

int co_future_join__resume(struct co_future_join__frame *fr, co_task *t)
{
    co_future *f = fr->f;
    int st = fr->co_state;

    if (st < 0)
        return CO_DONE;
    if (!f) {
        fr->co_result = -EINVAL;
        fr->co_state = -1;
        return CO_DONE;
    }
    pthread_mutex_lock(&f->mu);
    if (f->state == FU_PENDING) {
        if (st == 0) {              /* wait: register, and hold f */
            fr->task = t;
            fr->next = f->joiners;
            f->joiners = fr;
            f->refs++;
            fr->co_state = 1;
            t->flags |= F_REMOTE;
            t->loop->nremote++;
        }
        pthread_mutex_unlock(&f->mu);
        return CO_PENDING;          /* also when resumed spuriously */
    }
    fr->co_result = outcome(f, fr->out);
    pthread_mutex_unlock(&f->mu);
    fr->co_state = -1;
    if (st == 1)
        unjoin(fr);
    return CO_DONE;
}

void co_future_join__close(struct co_future_join__frame *fr)
{
    if (fr->co_state == 1) {
        pthread_mutex_lock(&fr->f->mu);
        leave(fr);
        pthread_mutex_unlock(&fr->f->mu);
        unjoin(fr);
    }
    fr->co_result = -ECANCELED;
    fr->co_state = -1;
}
