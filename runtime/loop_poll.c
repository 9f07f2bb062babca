/*
 * loop_poll.c - the poll(2) backend, for every POSIX system.
 *
 * Keeps the watched descriptors in a pollfd array, with each descriptor's
 * index in a second array so a change is O(1).  A wait is one poll(2) over
 * the whole array: O(watched descriptors), like select-based loops.
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdlib.h>

#include "rt.h"

struct pstate {
    struct pollfd *pfd;
    int n, cap;
    int *pos;           /* pos[fd]: index in pfd, or -1 */
    int cappos;
};

static int pinit(co_loop *l)
{
    l->bd = calloc(1, sizeof(struct pstate));
    return l->bd ? 0 : -ENOMEM;
}

static void pfini(co_loop *l)
{
    struct pstate *p = l->bd;

    free(p->pfd);
    free(p->pos);
    free(p);
}

static int pset(co_loop *l, int fd, int old, int ev)
{
    struct pstate *p = l->bd;
    int i, cap, *pos;
    struct pollfd *pfd;

    if (fd >= p->cappos) {
        for (cap = p->cappos ? p->cappos : 64; cap <= fd; cap *= 2)
            ;
        pos = realloc(p->pos, cap * sizeof *pos);
        if (!pos)
            return -ENOMEM;
        for (i = p->cappos; i < cap; i++)
            pos[i] = -1;
        p->pos = pos;
        p->cappos = cap;
    }
    i = p->pos[fd];
    if (!ev) {                  /* forget fd: the last entry takes its place */
        if (i < 0)
            return 0;
        p->pfd[i] = p->pfd[--p->n];
        p->pos[p->pfd[i].fd] = i;
        p->pos[fd] = -1;
        return 0;
    }
    if (i < 0) {
        if (p->n == p->cap) {
            cap = p->cap ? p->cap * 2 : 16;
            pfd = realloc(p->pfd, cap * sizeof *pfd);
            if (!pfd)
                return -ENOMEM;
            p->pfd = pfd;
            p->cap = cap;
        }
        i = p->n++;
        p->pfd[i].fd = fd;
        p->pos[fd] = i;
    }
    (void)old;
    p->pfd[i].events = (ev & CO_EV_IN ? POLLIN : 0) | (ev & CO_EV_OUT ? POLLOUT : 0);
    p->pfd[i].revents = 0;
    return 0;
}

static int pwait(co_loop *l, int timeout)
{
    struct pstate *p = l->bd;
    int r, i, re, ev;

    r = poll(p->pfd, p->n, timeout);
    if (r < 0)
        return -errno;
    /* Downwards: a report may drop entry i, which takes the last one's
     * place, and the last one has been seen already. */
    for (i = p->n - 1; i >= 0; i--) {
        re = p->pfd[i].revents;
        if (!re)
            continue;
        p->pfd[i].revents = 0;
        ev = (re & POLLIN ? CO_EV_IN : 0) | (re & POLLOUT ? CO_EV_OUT : 0) |
             (re & (POLLERR | POLLHUP | POLLNVAL) ? CO_EV_ERR : 0) |
             (re & POLLNVAL ? CO_EV_NVAL : 0);
        co__io_ready(l, p->pfd[i].fd, ev);
    }
    return r;
}

const co_backend co__poll_backend = { "poll", pinit, pfini, pset, pwait };
