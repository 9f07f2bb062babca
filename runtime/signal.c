/*
 * signal.c - co_loop_cancel_on_sigint: Ctrl-C cancels a loop's tasks.
 *
 * The handler only sets a flag and writes a byte to a self-pipe whose
 * read end the loop watches (so a loop blocked in poll wakes up); the loop
 * notices between batches and cancels its tasks there, never inside the
 * handler.  One loop at a time owns SIGINT; the previous disposition comes
 * back at the first SIGINT or when that loop is freed.
 *
 * Global mutable state (documented exception): a signal handler can only
 * reach statics.  `owner` is atomic because loops on other threads may
 * ask too.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <unistd.h>

#include "rt.h"

static volatile sig_atomic_t hit;       /* SIGINT arrived */
static volatile sig_atomic_t wfd = -1;  /* the owner's pipe, write end */
static _Atomic(co_loop *) owner;        /* the loop that asked */
static struct sigaction old;            /* what was there before */
static int installed;                   /* our handler is in place */

static void on_sigint(int sig)
{
    int e = errno;

    (void)sig;
    hit = 1;
    if (wfd >= 0) {
        ssize_t n = write(wfd, "", 1);
        (void)n;
    }
    errno = e;
}

static int make_pipe(co_loop *l)
{
    int p[2], i, r;

    if (pipe(p) < 0)
        return -errno;
    for (i = 0; i < 2; i++)
        if (fcntl(p[i], F_SETFL, O_NONBLOCK) < 0 ||
            fcntl(p[i], F_SETFD, FD_CLOEXEC) < 0)
            goto fail;
    r = co__io_watch_internal(l, p[0], 1);
    if (r < 0) {
        close(p[0]);
        close(p[1]);
        return r;
    }
    l->sig_rfd = p[0];
    l->sig_wfd = p[1];
    l->attn = 1;                /* the loop reads the pipe now (loop.c) */
    return 0;
fail:
    r = -errno;
    close(p[0]);
    close(p[1]);
    return r;
}

static void restore(void)
{
    if (installed) {
        sigaction(SIGINT, &old, NULL);
        installed = 0;
    }
}

int co_loop_cancel_on_sigint(co_loop *l)
{
    struct sigaction sa;
    co_loop *none = NULL;
    int r;

    if (!l)
        return -EINVAL;
    if (!atomic_compare_exchange_strong(&owner, &none, l) && none != l)
        return -EBUSY;
    if (installed)
        return 0;
    if (l->sig_rfd < 0 && (r = make_pipe(l)) < 0) {
        atomic_store(&owner, NULL);
        return r;
    }
    hit = 0;
    wfd = l->sig_wfd;
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &sa, &old) < 0) {
        r = -errno;
        atomic_store(&owner, NULL);
        return r;
    }
    installed = 1;
    return 0;
}

static void mark(co_task *t)
{
    if (!T_FINISHED(t))
        t->flags |= F_CANCEL;
}

static void cancel_waiting(co_task *t)
{
    if (t->state == T_WAITING)
        co_cancel(t);           /* as co_cancel: a completed operation stands */
}

void co__sig_check(co_loop *l)
{
    char buf[64];
    co_task *t, *next;

    if (!hit || atomic_load(&owner) != l)
        return;
    hit = 0;
    while (read(l->sig_rfd, buf, sizeof buf) > 0)
        ;
    restore();                  /* one shot: a second Ctrl-C kills */
    l->interrupted = 1;
    /* First mark every task, so one woken by another's defers is still
     * cancelled (at its next suspension); then close the waiting ones. */
    for (t = l->all.next; t != &l->all; t = t->next)
        mark(t);
    l->sweeping = 1;
    co__each_task(l, cancel_waiting);
    l->sweeping = 0;
    for (t = l->all.next; t != &l->all; t = next) {
        next = t->next;
        co__maybe_free(t);
    }
}

void co__sig_free(co_loop *l)
{
    co_loop *me = l;

    if (atomic_compare_exchange_strong(&owner, &me, NULL)) {
        restore();
        wfd = -1;
        hit = 0;
    }
    if (l->sig_rfd >= 0) {
        co__io_watch_internal(l, l->sig_rfd, 0);
        close(l->sig_rfd);
        close(l->sig_wfd);
        l->sig_rfd = l->sig_wfd = -1;
    }
}
