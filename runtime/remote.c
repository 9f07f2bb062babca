/*
 * remote.c - how other threads reach a loop: its inbox and wake-up
 * descriptor, co_loop_call_threadsafe, co_loop_close, co_loop_stop and
 * co_loop_run_forever.
 *
 * The loop core reaches this file only through co__inbox (rt.h), which
 * the constructor at the end sets: a program that never links it has
 * loops without inbox, and no way to reach them from another thread.
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

/* How long a loop waiting for other threads spins before it blocks. */
#define SPIN_NS 20000

static void remote_run(co_loop *l);

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

static int remote_init(co_loop *l)
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

static void remote_fini(co_loop *l)
{
    pthread_mutex_lock(&l->mu);
    l->refuse = 1;
    pthread_mutex_unlock(&l->mu);
    remote_run(l);
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

static void remote_run(co_loop *l)
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

static inline void cpu_relax(void)
{
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
    __builtin_ia32_pause();
#elif defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
    __asm__ __volatile__("yield");
#endif
}

/* A loop that waits for other threads looks at its inbox for a few
 * microseconds before it blocks: a thread that is running answers within
 * that time, and blocking costs a system call on each side.  1 when
 * something was posted. */
static int spin(co_loop *l)
{
    long long end = 0, now;
    unsigned i;

    for (i = 1;; i++) {
        if (atomic_load_explicit(&l->posted, memory_order_relaxed))
            return 1;
        if (i % 64 == 0) {
            now = co__now();
            if (!end)
                end = now + SPIN_NS;
            else if (now >= end)
                return 0;
        }
        cpu_relax();
    }
}

/* Before blocking in the backend: 0 when something was posted meanwhile
 * (do not block), else 1, and posts write to the wake-up descriptor until
 * awake. */
static int sleep_begin(co_loop *l)
{
    int r;

    pthread_mutex_lock(&l->mu);
    r = !atomic_load_explicit(&l->posted, memory_order_relaxed);
    l->sleeping = r;
    pthread_mutex_unlock(&l->mu);
    return r;
}

static void awake(co_loop *l)
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

/* Block in the backend for up to timeout ms, unless another thread
 * posted meanwhile (co__inbox->wait). */
static int remote_wait(co_loop *l, int timeout)
{
    int n;

    if ((l->nremote || l->forever) && spin(l))
        return 0;
    if (!sleep_begin(l))
        return 0;
    n = l->be->wait(l, timeout);
    awake(l);
    return n;
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

/* ---- stopping and closing ---------------------------------------------------- */

int co_loop_stop(co_loop *l)
{
    if (!l)
        return -EINVAL;
    if (co__cur == l) {
        l->stop = 1;
        return 0;
    }
    /* Another thread, or l is not running: the stop waits in the inbox. */
    pthread_mutex_lock(&l->mu);
    l->stopreq = 1;
    signal_locked(l);
    pthread_mutex_unlock(&l->mu);
    return 0;
}

int co_loop_run_forever(co_loop *l)
{
    int r;

    if (!l)
        return -EINVAL;
    if (l->running || l->closing)
        return -EBUSY;
    l->forever = 1;
    r = co_loop_run(l);
    l->forever = 0;
    return r;
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
    remote_run(l);
    co__cur = prev;
    return 0;
}

/* ---- the core's way in ----------------------------------------------------------- */

static const struct co_inbox_ops inbox_ops = {
    remote_init, remote_run, remote_wait, co_loop_close, remote_fini
};

/* Before main, so that every loop has an inbox; a constructor because
 * the core must not name this file (tests/core_size.sh). */
__attribute__((constructor)) static void install(void)
{
    co__inbox = &inbox_ops;
}
