/*
 * loop_epoll.c - the epoll(7) backend, Linux only.
 *
 * Level-triggered; the loop asks for a change each time the set of waiters
 * on a descriptor changes (one epoll_ctl), and a wait reports at most
 * MAXEV descriptors (the rest come at the next wait).  Descriptors closed
 * while watched vanish from epoll silently: a task waiting on one waits on.
 */
#ifdef __linux__
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "rt.h"

#define MAXEV 64

struct estate {
    int ep;
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
    l->bd = e;
    return 0;
}

static void efini(co_loop *l)
{
    struct estate *e = l->bd;

    close(e->ep);
    free(e);
}

static int eset(co_loop *l, int fd, int old, int ev)
{
    struct estate *e = l->bd;
    struct epoll_event x = { 0 };
    int op = !old ? EPOLL_CTL_ADD : !ev ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;

    if (!old && !ev)
        return 0;
    x.events = (ev & CO_EV_IN ? EPOLLIN : 0) | (ev & CO_EV_OUT ? EPOLLOUT : 0);
    x.data.fd = fd;
    if (epoll_ctl(e->ep, op, fd, &x) < 0)
        return op == EPOLL_CTL_DEL ? 0 : -errno;   /* closed already: gone */
    return 0;
}

static int ewait(co_loop *l, int timeout)
{
    struct estate *e = l->bd;
    int n, i, re;

    n = epoll_wait(e->ep, e->ev, MAXEV, timeout);
    if (n < 0)
        return -errno;
    for (i = 0; i < n; i++) {
        re = e->ev[i].events;
        co__io_ready(l, e->ev[i].data.fd,
                     (re & EPOLLIN ? CO_EV_IN : 0) | (re & EPOLLOUT ? CO_EV_OUT : 0) |
                     (re & (EPOLLERR | EPOLLHUP) ? CO_EV_ERR : 0));
    }
    return n;
}

const co_backend co__epoll_backend = { "epoll", einit, efini, eset, ewait };
#else
typedef int co_no_epoll;    /* ISO C wants something in a translation unit */
#endif
