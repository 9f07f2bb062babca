/*
 * io.c - waiting for descriptors: co_readable, co_writable, the table
 * the backends report into, and co_set_nonblock.
 *
 * The loop keeps, per descriptor, the frame waiting to read and the frame
 * waiting to write (one of each at most) and tells its backend what to
 * watch.  A waiter is one-shot: when its descriptor is ready the loop
 * stores the result in its frame, stops watching and wakes its task.  The
 * table is indexed by descriptor and grows by doubling.  It also
 * remembers which descriptors the I/O awaitables (net.c) have seen
 * non-blocking, so that each costs one fcntl(2), not one per operation.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt.h"

/* Descriptors from here up are refused (-EBADF): no system hands them out
 * (Linux keeps them below 2^30), and the tables indexed by descriptor,
 * which grow by doubling an int, could not hold one. */
#define FD_LIMIT (1 << 30)

struct co_fdent {
    struct co_fdwait *w[2];     /* waiting to read, to write */
    int internal;               /* watched for input by the runtime */
    int nonblock;               /* known to be O_NONBLOCK (co__io_nonblock);
                                 * forgotten when it is reported closed */
};

/* The events watched on a descriptor, from its entry. */
static int events(const struct co_fdent *e)
{
    return (e->w[0] || e->internal ? CO_EV_IN : 0) | (e->w[1] ? CO_EV_OUT : 0);
}

static struct co_fdent *entry(co_loop *l, int fd)
{
    struct co_fdent *t;
    int cap;

    if (fd >= l->capfds) {
        for (cap = l->capfds ? l->capfds : 64; cap <= fd; cap *= 2)
            ;
        t = realloc(l->fds, cap * sizeof *t);
        if (!t)
            return NULL;
        memset(t + l->capfds, 0, (cap - l->capfds) * sizeof *t);
        l->fds = t;
        l->capfds = cap;
    }
    return &l->fds[fd];
}

void co__io_ready(co_loop *l, int fd, int ev)
{
    struct co_fdent *e;
    struct co_fdwait *f;
    int old, k;

    if (fd < 0 || fd >= l->capfds)
        return;
    e = &l->fds[fd];
    if (ev & CO_EV_NVAL)
        e->nonblock = 0;        /* its number may come back, blocking */
    old = events(e);
    for (k = 0; k < 2; k++) {
        f = e->w[k];
        if (!f || !(ev & (f->ev | CO_EV_ERR)))
            continue;
        e->w[k] = NULL;
        l->nfdwait--;
        f->co_result = (ev & CO_EV_NVAL) ? -EBADF : 0;
        f->co_state = 2;
        co__wake(f->task);
    }
    if (events(e) != old)
        l->be->set(l, fd, old, events(e));
}

int co__io_watch_internal(co_loop *l, int fd, int on)
{
    struct co_fdent *e = entry(l, fd);
    int old;

    if (!e)
        return -ENOMEM;
    old = events(e);
    e->internal = on;
    return events(e) == old ? 0 : l->be->set(l, fd, old, events(e));
}

int co_set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL);

    if (fl < 0)
        return -errno;
    if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -errno;
    return 0;
}

int co__io_nonblock(co_loop *l, int fd)
{
    struct co_fdent *e;
    int r;

    if (fd < 0 || fd >= FD_LIMIT)
        return -EBADF;
    e = entry(l, fd);           /* without memory: checked every time */
    if (e && e->nonblock)
        return 0;
    r = co_set_nonblock(fd);
    if (r == 0 && e)
        e->nonblock = 1;
    return r;
}

void co__io_free(co_loop *l)
{
    free(l->fds);
    l->fds = NULL;
    l->capfds = 0;
}

/* ---- the awaitables --------------------------------------------------------
 * co_state: 0 fresh, 1 waiting, 2 ready (result set), -1 done. */

static void init(struct co_fdwait *f, int fd, int ev)
{
    f->co_state = 0;
    f->fd = fd;
    f->ev = ev;
}

static int resume(struct co_fdwait *f, co_task *t)
{
    co_loop *l = t->loop;
    struct co_fdent *e;
    int k = f->ev == CO_EV_OUT, old, r;

    switch (f->co_state) {
    case 0:
        if (f->fd < 0 || f->fd >= FD_LIMIT) {
            f->co_result = -EBADF;
            break;
        }
        e = entry(l, f->fd);
        if (!e) {
            f->co_result = -ENOMEM;
            break;
        }
        if (e->w[k]) {
            f->co_result = -EBUSY;
            break;
        }
        old = events(e);
        e->w[k] = f;
        r = l->be->set(l, f->fd, old, events(e));
        if (r < 0)
            e->w[k] = NULL;
        if (r == -EPERM) {
            /* Never blocks (see co_backend.set): ready now, but the task
             * lets the others run first, as when poll(2) says so. */
            f->co_result = 0;
            f->co_state = 2;
            t->flags |= F_WOKEN;
            return CO_PENDING;
        }
        if (r < 0) {
            f->co_result = r;
            break;
        }
        f->task = t;
        l->nfdwait++;
        l->attn = 1;            /* the loop polls now (loop.c) */
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        return CO_PENDING;
    case 2:
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void close_(struct co_fdwait *f)
{
    co_loop *l;
    struct co_fdent *e;
    int old;

    if (f->co_state == 1) {
        l = f->task->loop;
        e = &l->fds[f->fd];
        old = events(e);
        e->w[f->ev == CO_EV_OUT] = NULL;
        l->nfdwait--;
        l->be->set(l, f->fd, old, events(e));
    }
    f->co_state = -1;
}

void co_readable__init(int fd, struct co_fdwait *f) { init(f, fd, CO_EV_IN); }
void co_writable__init(int fd, struct co_fdwait *f) { init(f, fd, CO_EV_OUT); }
int co_readable__resume(struct co_fdwait *f, co_task *t) { return resume(f, t); }
int co_writable__resume(struct co_fdwait *f, co_task *t) { return resume(f, t); }
void co_readable__close(struct co_fdwait *f) { close_(f); }
void co_writable__close(struct co_fdwait *f) { close_(f); }

int co_close(int fd)
{
    co_loop *l = co__cur;

    if (fd < 0)
        return -EBADF;
    /* As if the backend said "invalid": the waiters wake with -EBADF and
     * the backend stops watching fd while it is still open. */
    if (l)
        co__io_ready(l, fd, CO_EV_ERR | CO_EV_NVAL);
    return close(fd) < 0 ? -errno : 0;
}
