/*
 * pool.c - a loop's thread pool, and `await co_run_in_thread(fn, arg)`.
 *
 * Each loop owns at most one pool: a fixed set of threads, started all at
 * once at the first co_run_in_thread, taking jobs from one FIFO queue
 * guarded by a mutex and a condition variable.  A job is a small co_alloc'd
 * block; the task that awaits it points at it from its frame and the job
 * points back.  The worker touches only the job: it runs fn(arg), stores
 * the result and posts the job's own message to the loop (remote.c).  The
 * message runs on the loop's thread, so everything about the waiting task
 * (its frame, l->nremote, the wake-up) happens there, with no lock.
 *
 * Ownership of a job:
 *   queued    in the pool's queue; a cancelled task takes it out and frees
 *             it under the pool lock (it never runs).
 *   running   the worker has it; a cancelled task only clears job->frame
 *             and sets job->abandoned (which fn may read through
 *             co_job_cancelled), since the worker cannot be stopped.
 *   posted    in the loop's inbox; its message frees it, after handing the
 *             result to the frame unless the job was abandoned.
 *   orphaned  still running when its loop was freed: the worker frees it
 *             when fn returns, instead of posting it to a loop that is gone.
 * job->frame and job->task are read and written on the loop's thread only.
 *
 * A loop freed while jobs run does not wait for them (unless asked, with
 * co_loop_wait_abandoned): it detaches the threads and lets go of the
 * pool, which the last of them frees (p->refs counts the threads and the
 * loop).
 */
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt.h"

#define MAX_THREADS 1024

struct co_job {
    co_rmsg msg;                /* first: the message is the job */
    struct co_job *next, *prev; /* the pool's queue (under the pool lock) */
    int queued;                 /* in the queue, not taken by a worker */
    void *(*fn)(void *);
    void *arg;
    void *result;               /* fn's, written by the worker */
    atomic_int abandoned;       /* its task no longer waits (any thread) */
    struct co_run_in_thread__frame *frame;  /* NULL once abandoned */
    co_task *task;
};

struct co_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;          /* a job was queued, or stop */
    struct co_job *head, *tail; /* FIFO: take at head, add at tail */
    int stop;                   /* pool_free: the workers leave */
    co_loop *loop;              /* where results are posted; NULL once the
                                 * loop let go of a pool with jobs running */
    int running;                /* jobs taken by workers, not yet done */
    int refs;                   /* threads alive, and the loop until it
                                 * lets go: the last one frees the pool */
    int n;                      /* threads started */
    pthread_t th[];
};

/* The job this thread is running, for co_job_cancelled: NULL outside pool
 * threads and between jobs.  Thread-local, like co__cur. */
static _Thread_local struct co_job *current;

/* ---- the queue (pool lock held) ------------------------------------------ */

static void enqueue(struct co_pool *p, struct co_job *j)
{
    j->next = NULL;
    j->prev = p->tail;
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    j->queued = 1;
}

static void dequeue(struct co_pool *p, struct co_job *j)
{
    if (j->prev)
        j->prev->next = j->next;
    else
        p->head = j->next;
    if (j->next)
        j->next->prev = j->prev;
    else
        p->tail = j->prev;
    j->queued = 0;
}

/* ---- workers --------------------------------------------------------------- */

static void destroy(struct co_pool *p)
{
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* Drop a reference to p (pool lock held, and released here); the last
 * one frees it. */
static void unref(struct co_pool *p)
{
    int last = --p->refs == 0;

    pthread_mutex_unlock(&p->mu);
    if (last)
        destroy(p);
}

static void *worker(void *arg)
{
    struct co_pool *p = arg;
    struct co_job *j;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop)
            break;
        j = p->head;
        dequeue(p, j);
        p->running++;
        pthread_mutex_unlock(&p->mu);
        current = j;
        j->result = j->fn(j->arg);
        current = NULL;
        pthread_mutex_lock(&p->mu);
        p->running--;
        /* Posted, the job is the loop's: it may be freed at once.  The
         * lock keeps the loop from letting go of the pool meanwhile. */
        if (p->loop)
            co__post(p->loop, &j->msg);
        else
            co_free(j);         /* orphaned: nobody waits for the result */
    }
    unref(p);
    return NULL;
}

int co_job_cancelled(void)
{
    struct co_job *j = current;

    return j && atomic_load_explicit(&j->abandoned, memory_order_relaxed);
}

static int pool_threads(const co_loop *l)
{
    long n = l->pool_size;

    if (n == 0)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Start up to `want` workers; how many started is in p->n. */
static void start_threads(struct co_pool *p, int want)
{
    sigset_t all, old;

    /* Workers inherit a mask that blocks every signal sent to the
     * process (Ctrl-C is the loop's business), so none interrupts a job's
     * system calls; the faults a job itself may cause stay deliverable. */
    sigfillset(&all);
    sigdelset(&all, SIGSEGV);
    sigdelset(&all, SIGBUS);
    sigdelset(&all, SIGFPE);
    sigdelset(&all, SIGILL);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    while (p->n < want && pthread_create(&p->th[p->n], NULL, worker, p) == 0)
        p->n++;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* Make l's pool and start its threads; NULL when not even one starts. */
static struct co_pool *pool_start(co_loop *l)
{
    int want = pool_threads(l);
    struct co_pool *p = malloc(sizeof *p + (size_t)want * sizeof p->th[0]);

    if (!p)
        return NULL;
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto err0;
    if (pthread_cond_init(&p->cv, NULL) != 0)
        goto err1;
    p->head = p->tail = NULL;
    p->stop = 0;
    p->loop = l;
    p->running = 0;
    p->n = 0;
    start_threads(p, want);
    p->refs = p->n + 1;         /* no worker can leave before stop */
    if (p->n > 0)
        return p;               /* fewer than wanted will do */
    pthread_cond_destroy(&p->cv);
err1:
    pthread_mutex_destroy(&p->mu);
err0:
    free(p);
    return NULL;
}

int co_loop_wait_abandoned(co_loop *l, int on)
{
    if (!l)
        return -EINVAL;
    l->wait_jobs = on != 0;
    return 0;
}

int co_loop_set_threads(co_loop *l, int n)
{
    if (!l || n < 0 || n > MAX_THREADS)
        return -EINVAL;
    if (l->pool)
        return -EBUSY;
    l->pool_size = n;
    return 0;
}

/* Stop l's pool threads and let go of the pool (co_loop_free, through
 * l->pool_free, after the tasks were cancelled).  Jobs still running are
 * abandoned: their threads are detached and free them (and, the last
 * one, the pool) when they return, unless co_loop_wait_abandoned asked to
 * wait; then the threads are joined. */
static void pool_free(co_loop *l)
{
    struct co_pool *p = l->pool;
    struct co_job *j;
    int i, orphan;

    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->cv);
    /* The tasks were cancelled: every job running now is abandoned. */
    orphan = p->running > 0 && !l->wait_jobs;
    if (orphan)
        p->loop = NULL;
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->n; i++) {
        if (orphan)
            pthread_detach(p->th[i]);
        else
            pthread_join(p->th[i], NULL);
    }
    pthread_mutex_lock(&p->mu);
    /* Cancelling the tasks took their jobs out; anything left is a job
     * whose task is gone with the loop. */
    while ((j = p->head)) {
        dequeue(p, j);
        co_free(j);
    }
    unref(p);
    l->pool = NULL;
}

/* ---- the awaitable ------------------------------------------------------- */

/* The job's message, on the loop's thread: hand the result over. */
static void job_done(co_loop *l, co_rmsg *m)
{
    struct co_job *j = (struct co_job *)m;
    struct co_run_in_thread__frame *f = j->frame;

    if (f) {
        f->co_result = j->result;
        f->job = NULL;
        f->co_state = 2;
        l->nremote--;
        co__wake(j->task);
    }
    co_free(j);
}

/* Queue fn(arg) for t; NULL when there is no pool or no memory. */
static struct co_job *submit(struct co_run_in_thread__frame *f, co_task *t)
{
    co_loop *l = t->loop;
    struct co_job *j;

    if (!l->pool && !(l->pool = pool_start(l)))
        return NULL;
    l->pool_free = pool_free;
    j = co_alloc(sizeof *j);
    if (!j)
        return NULL;
    j->msg.next = NULL;
    j->msg.run = job_done;
    j->fn = f->fn;
    j->arg = f->arg;
    j->result = NULL;
    atomic_init(&j->abandoned, 0);
    j->frame = f;
    j->task = t;
    pthread_mutex_lock(&l->pool->mu);
    enqueue(l->pool, j);
    pthread_cond_signal(&l->pool->cv);
    pthread_mutex_unlock(&l->pool->mu);
    return j;
}

void co_run_in_thread__init(
                            void *(*fn)(void *), void *arg, struct co_run_in_thread__frame *f)
{
    f->co_state = 0;
    f->co_result = NULL;
    f->fn = fn;
    f->arg = arg;
    f->job = NULL;
}

/* co_state: 0 fresh, 1 the job is out, 2 its result came, -1 done. */
int co_run_in_thread__resume(struct co_run_in_thread__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0:
        if (!f->fn)
            break;              /* nothing to run: the result is NULL */
        f->job = submit(f, t);
        if (!f->job) {
            f->co_result = f->fn(f->arg);     /* documented fallback */
            break;
        }
        t->loop->nremote++;     /* the loop waits for the pool, no deadlock */
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        return CO_PENDING;      /* spurious: a co_timeout timer, say */
    case 2:
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

void co_run_in_thread__close(struct co_run_in_thread__frame *f)
{
    struct co_job *j = f->job;
    struct co_pool *p;
    int queued;

    if (f->co_state == 1 && j) {
        p = j->task->loop->pool;
        j->task->loop->nremote--;
        pthread_mutex_lock(&p->mu);
        queued = j->queued;
        if (queued)
            dequeue(p, j);
        pthread_mutex_unlock(&p->mu);
        if (queued) {
            co_free(j);
        } else {                /* running or posted: its message frees it */
            j->frame = NULL;
            atomic_store_explicit(&j->abandoned, 1, memory_order_relaxed);
        }
        f->job = NULL;
    }
    if (f->co_state > 0)
        f->co_state = -1;
}
