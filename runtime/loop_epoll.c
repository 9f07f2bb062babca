/*
 * loop_epoll.c - the epoll(7) backend, Linux only.
 *
 * One-shot registrations: a descriptor is armed (EPOLLONESHOT) for the
 * events its waiters want; a report disarms it, and it is re-armed with a
 * single epoll_ctl(MOD) when a waiter needs it again.  It is never
 * removed: when nobody waits any more it is just left to disarm itself at
 * its next report (which finds no waiter), so a task that reads, writes
 * and waits to read again costs one epoll_ctl per wait, not two.  A wait
 * reports at most MAXEV descriptors (the rest come at the next wait).
 *
 * A descriptor closed while registered vanishes from epoll silently: a
 * task waiting on one waits on (co_close wakes it first).  Because of
 * that, "registered" here is only a belief: a MOD that finds the
 * descriptor gone (ENOENT: closed, and the number reused) falls back to
 * an ADD.
 */
#ifdef __linux__
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "rt.h"

#define MAXEV 64
#define REG 0x80            /* in the epoll set, as far as we know */

struct estate {
    int ep;
    int fired;              /* the descriptor being reported, or -1 */
    unsigned char *fd;      /* per descriptor: REG | the CO_EV_* wanted */
    int capfd;
    struct epoll_event ev[MAXEV];
};

static int einit(co_loop *l)
{
    struct estate *e = malloc(sizeof *e);

    if (!e)
        return -ENOMEM;
    e->ep = epoll_create1(EPOLL_CLOEXEC);
    if (e->ep < 0) {
        int r = -errno;
        free(e);
        return r;
    }
    e->fired = -1;
    e->fd = NULL;
    e->capfd = 0;
    l->bd = e;
    return 0;
}

static void efini(co_loop *l)
{
    struct estate *e = l->bd;

    close(e->ep);
    free(e->fd);
    free(e);
}

/* Arm fd for ev (not 0). */
static int arm(struct estate *e, int fd, int ev)
{
    struct epoll_event x = { 0 };

    x.events = (ev & CO_EV_IN ? EPOLLIN : 0) | (ev & CO_EV_OUT ? EPOLLOUT : 0) |
               EPOLLONESHOT;
    x.data.fd = fd;
    if ((e->fd[fd] & REG) && epoll_ctl(e->ep, EPOLL_CTL_MOD, fd, &x) == 0)
        goto armed;
    if ((e->fd[fd] & REG) && errno != ENOENT)
        return -errno;
    if (epoll_ctl(e->ep, EPOLL_CTL_ADD, fd, &x) == 0 ||
        (errno == EEXIST && epoll_ctl(e->ep, EPOLL_CTL_MOD, fd, &x) == 0))
        goto armed;
    e->fd[fd] = 0;
    return -errno;
armed:
    e->fd[fd] = REG | ev;
    return 0;
}

static int eset(co_loop *l, int fd, int old, int ev)
{
    struct estate *e = l->bd;
    unsigned char *t;
    int cap;

    (void)old;
    if (fd == e->fired)
        e->fired = -1;          /* dealt with: no re-arm after the report */
    if (!ev) {                  /* left armed, or disarmed: see above */
        if (fd < e->capfd)
            e->fd[fd] &= REG;
        return 0;
    }
    if (fd >= e->capfd) {
        for (cap = e->capfd ? e->capfd : 64; cap <= fd; cap *= 2)
            ;
        t = realloc(e->fd, cap);
        if (!t)
            return -ENOMEM;
        memset(t + e->capfd, 0, cap - e->capfd);
        e->fd = t;
        e->capfd = cap;
    }
    return arm(e, fd, ev);
}

static int ewait(co_loop *l, int timeout)
{
    struct estate *e = l->bd;
    int n, i, re, fd;

    n = epoll_wait(e->ep, e->ev, MAXEV, timeout);
    if (n < 0)
        return -errno;
    for (i = 0; i < n; i++) {
        re = e->ev[i].events;
        fd = e->ev[i].data.fd;
        e->fired = fd;
        co__io_ready(l, fd,
                     (re & EPOLLIN ? CO_EV_IN : 0) | (re & EPOLLOUT ? CO_EV_OUT : 0) |
                     (re & (EPOLLERR | EPOLLHUP) ? CO_EV_ERR : 0));
        /* The report disarmed fd; when its waiters did not change, those
         * still there (the runtime's own watch, say) need it armed again. */
        if (e->fired == fd && fd < e->capfd && (e->fd[fd] & ~REG))
            arm(e, fd, e->fd[fd] & ~REG);
        e->fired = -1;
    }
    return n;
}

const co_backend co__epoll_backend = { "epoll", einit, efini, eset, ewait };
#else
typedef int co_no_epoll;    /* ISO C wants something in a translation unit */
#endif
