/*
 * remote.c - how other threads reach a loop: its inbox and wake-up
 * descriptor, co_loop_call_threadsafe, co_loop_close, and co_loop_stop
 * from another thread.
 *
 * The inbox holds messages (co_rmsg: a function to run on the loop's
 * thread, in posting order) and tasks to wake, all under the loop's
 * mutex.  `posted` says, without the lock, that the loop should look; the
 * loop reads it after every batch, so a busy loop never makes a system
 * call for it.  Only a loop about to block in its backend says so
 * (`sleeping`), and only then does a poster write to the wake-up
 * descriptor: once, until the loop has read it.
 *
 * A task woken from another thread must stay alive until its loop has
 * taken it out of the inbox: the waker holds the lock that keeps the task
 * registered (a shared channel's), marks the task (rwake) under the inbox
 * lock, and the loop does not free a task so marked (co__remote_held).
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#include "rt.h"

/* ---- the wake-up descriptor ------------------------------------------------- */

static int open_wakefd(co_loop *l)
{
#ifdef __linux__
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);

    if (fd < 0)
        return -errno;
    l->wrfd = l->wwfd = fd;
#else
    int p[2], i;

    if (pipe(p) < 0)
        return -errno;
    for (i = 0; i < 2; i++)
        if (fcntl(p[i], F_SETFL, O_NONBLOCK) < 0 ||
            fcntl(p[i], F_SETFD, FD_CLOEXEC) < 0) {
            i = -errno;
            close(p[0]);
            close(p[1]);
            return i;
        }
    l->wrfd = p[0];
    l->wwfd = p[1];
#endif
    return 0;
}

static void close_wakefd(co_loop *l)
{
    if (l->wrfd < 0)
        return;
    co__io_watch_internal(l, l->wrfd, 0);
    close(l->wrfd);
    if (l->wwfd != l->wrfd)
        close(l->wwfd);
    l->wrfd = l->wwfd = -1;
}

/* Write to the descriptor if the loop is blocked (inbox lock held). */
static void signal_locked(co_loop *l)
{
    static const unsigned long long one = 1;
    ssize_t n;

    atomic_store_explicit(&l->posted, 1, memory_order_release);
    if (l->sleeping && !l->signalled) {
        n = write(l->wwfd, &one, sizeof one);
        (void)n;                /* full: it is readable anyway */
        l->signalled = 1;
    }
}

int co__remote_init(co_loop *l)
{
    int r;

    l->wrfd = l->wwfd = -1;
    l->mtail = &l->mhead;
    if ((r = open_wakefd(l)) < 0)
        return r;
    if ((r = co__io_watch_internal(l, l->wrfd, 1)) < 0 ||
        (r = -pthread_mutex_init(&l->mu, NULL)) < 0) {
        close_wakefd(l);
        return r;
    }
    return 0;
}

void co__remote_fini(co_loop *l)
{
    pthread_mutex_lock(&l->mu);
    l->refuse = 1;
    pthread_mutex_unlock(&l->mu);
    co__remote_run(l);
    close_wakefd(l);
    free(l->rw);
    l->rw = NULL;
    pthread_mutex_destroy(&l->mu);
}

/* ---- posting -------------------------------------------------------------------- */

static void append_locked(co_loop *l, co_rmsg *m)
{
    m->next = NULL;
    *l->mtail = m;
    l->mtail = &m->next;
    signal_locked(l);
}

void co__post(co_loop *l, co_rmsg *m)
{
    pthread_mutex_lock(&l->mu);
    append_locked(l, m);
    pthread_mutex_unlock(&l->mu);
}

int co__post_public(co_loop *l, co_rmsg *m)
{
    int r = -ESHUTDOWN;

    pthread_mutex_lock(&l->mu);
    if (!l->refuse) {
        append_locked(l, m);
        r = 0;
    }
    pthread_mutex_unlock(&l->mu);
    return r;
}

void co__wake_any(co_task *t)
{
    co_loop *l = t->loop;
    co_task **a;
    unsigned cap;

    if (l == co__cur) {
        co__wake(t);
        return;
    }
    pthread_mutex_lock(&l->mu);
    if (!t->rwake) {
        if (l->nrw == l->caprw) {
            cap = l->caprw ? 2 * l->caprw : 16;
            a = realloc(l->rw, cap * sizeof *a);
            if (!a) {
                /* No room to say which: the loop wakes them all (a
                 * spurious wake-up is harmless), and t is not marked. */
                l->wakeall = 1;
                signal_locked(l);
                pthread_mutex_unlock(&l->mu);
                return;
            }
            l->rw = a;
            l->caprw = cap;
        }
        l->rw[l->nrw++] = t;
        t->rwake = 1;
    }
    signal_locked(l);
    pthread_mutex_unlock(&l->mu);
}

/* ---- the loop's side ------------------------------------------------------------- */

static void wake_all(co_task *t)
{
    co__wake(t);
}

void co__remote_run(co_loop *l)
{
    co_rmsg *m, *next;
    co_task **rw, *t;
    unsigned n, cap, i;
    int all, stop;

    pthread_mutex_lock(&l->mu);
    atomic_store_explicit(&l->posted, 0, memory_order_relaxed);
    m = l->mhead;
    l->mhead = NULL;
    l->mtail = &l->mhead;
    rw = l->rw;
    n = l->nrw;
    cap = l->caprw;
    for (i = 0; i < n; i++)
        rw[i]->rwake = 0;
    /* The array is ours until we give it back: posts meanwhile grow a
     * new one. */
    l->rw = NULL;
    l->nrw = l->caprw = 0;
    all = l->wakeall;
    stop = l->stopreq;
    l->wakeall = l->stopreq = 0;
    pthread_mutex_unlock(&l->mu);

    for (i = 0; i < n; i++) {
        t = rw[i];
        if (T_FINISHED(t))
            co__maybe_free(t);  /* it was waiting only for this */
        else
            co__wake(t);
    }
    if (all)
        co__each_task(l, wake_all);
    for (; m; m = next) {
        next = m->next;
        m->run(l, m);
    }
    if (stop)
        l->stop = 1;
    pthread_mutex_lock(&l->mu);
    if (!l->rw) {
        l->rw = rw;             /* keep the buffer */
        l->caprw = cap;
    } else {
        free(rw);
    }
    pthread_mutex_unlock(&l->mu);
}

int co__remote_sleep(co_loop *l)
{
    int r;

    pthread_mutex_lock(&l->mu);
    r = !atomic_load_explicit(&l->posted, memory_order_relaxed);
    l->sleeping = r;
    pthread_mutex_unlock(&l->mu);
    return r;
}

void co__remote_awake(co_loop *l)
{
    unsigned long long buf[8];

    pthread_mutex_lock(&l->mu);
    l->sleeping = 0;
    if (l->signalled) {
        while (read(l->wrfd, buf, sizeof buf) > 0)
            ;
        l->signalled = 0;
    }
    pthread_mutex_unlock(&l->mu);
}

/* ---- calls from other threads --------------------------------------------------- */

struct callmsg {
    co_rmsg m;
    void (*fn)(void *);
    void *arg;
};

static void run_call(co_loop *l, co_rmsg *m)
{
    struct callmsg *c = (struct callmsg *)m;

    (void)l;
    c->fn(c->arg);
    free(c);
}

int co_loop_call_threadsafe(co_loop *l, void (*fn)(void *), void *arg)
{
    struct callmsg *c;
    int r;

    if (!l || !fn)
        return -EINVAL;
    c = malloc(sizeof *c);
    if (!c)
        return -ENOMEM;
    c->m.run = run_call;
    c->fn = fn;
    c->arg = arg;
    r = co__post_public(l, &c->m);
    if (r < 0)
        free(c);
    return r;
}

/* co_loop_stop from a thread that is not running l. */
void co__remote_stop(co_loop *l)
{
    pthread_mutex_lock(&l->mu);
    l->stopreq = 1;
    signal_locked(l);
    pthread_mutex_unlock(&l->mu);
}

int co_loop_close(co_loop *l)
{
    co_loop *prev;

    if (!l)
        return -EINVAL;
    if (l->running)
        return -EBUSY;
    pthread_mutex_lock(&l->mu);
    l->refuse = 1;
    pthread_mutex_unlock(&l->mu);
    prev = co__cur;
    co__cur = l;
    co__remote_run(l);
    co__cur = prev;
    return 0;
}
