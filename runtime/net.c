/*
 * net.c - I/O on the loop: co_read, co_write, co_accept, co_connect, and
 * the plain helper co_listen_tcp.  A library file (lib.h): it is written
 * on co_readable and co_writable and the frame protocol.
 *
 * Each awaitable is a system call retried around a co_readable or
 * co_writable frame (io.c) embedded in its own: try; on EAGAIN register
 * and suspend; when woken, try again.  co_state: 0 fresh, 1 waiting in
 * the embedded frame, -1 done (co_accept has more, see there).  A wake-up
 * that finds nothing to do (another reader of a shared socket got there
 * first, say) just waits again.  Before the first try the descriptor is
 * made non-blocking (co__io_nonblock): on a blocking one the call would
 * never say EAGAIN, and would stop the whole loop.
 */
#ifdef __linux__
#define _GNU_SOURCE             /* accept4 */
#else
#define _POSIX_C_SOURCE 200809L
#endif
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib.h"

/* errno says: wait and try again. */
static int would_block(int e)
{
    return e == EAGAIN || e == EWOULDBLOCK;
}

/* Resume the wait in w (state 1 of every frame here): CO_PENDING while it
 * lasts, else CO_DONE with 0 or an error in w->co_result. */
static int waited(struct co_fdwait *w, co_task *t)
{
    return w->ev == CO_EV_OUT ? co_writable__resume(w, t)
                              : co_readable__resume(w, t);
}

/* Start waiting on w for output (out) or input; CO_PENDING, or CO_DONE
 * with the error in w->co_result (-EBUSY, -ENOMEM...). */
static int wait_for(struct co_fdwait *w, int out, co_task *t)
{
    if (out)
        co_writable__init(w->fd, w);
    else
        co_readable__init(w->fd, w);
    return waited(w, t);
}

/* Cancel: leave the fd table if waiting. */
static void unwait(int *state, struct co_fdwait *w)
{
    if (*state == 1) {
        if (w->ev == CO_EV_OUT)
            co_writable__close(w);
        else
            co_readable__close(w);
    }
    *state = -1;
}

/* What a resume in state 0 or 1 does first: make the descriptor
 * non-blocking on the first, resume the wait on a later one.  CO_PENDING
 * while the wait lasts; else 0 (go on: try the call) or the error that
 * ends the call. */
static int begin(int state, struct co_fdwait *w, co_task *t)
{
    if (state == 0)
        return co__io_nonblock(t->loop, w->fd);
    if (waited(w, t) == CO_PENDING)
        return CO_PENDING;
    return w->co_result;
}

/* One try of a call: 1 when it is over (*result set), 0 when it would
 * block.  f is the awaitable's frame. */
typedef int attempt_fn(void *f, int *result);

/* Try, and while the call would block, wait on w for output (out) or
 * input and try again.  CO_PENDING when waiting (*state is 1); else
 * CO_DONE with *result set: the call's, or the error of a failed wait. */
static int retry(int *state, int *result, struct co_fdwait *w, int out,
                 co_task *t, attempt_fn *attempt, void *f)
{
    while (!attempt(f, result)) {
        if (wait_for(w, out, t) == CO_PENDING) {
            *state = 1;
            return CO_PENDING;
        }
        if (w->co_result < 0) {
            *result = w->co_result;
            break;
        }
    }
    return CO_DONE;
}

/* The whole resume of co_read and co_write: begin, then retry. */
static int io_resume(int *state, int *result, struct co_fdwait *w, int out,
                     co_task *t, attempt_fn *attempt, void *f)
{
    int r;

    if (*state < 0)
        return CO_DONE;
    r = begin(*state, w, t);
    if (r == CO_PENDING)
        return CO_PENDING;
    *result = r;
    if (r == 0 && retry(state, result, w, out, t, attempt, f) == CO_PENDING)
        return CO_PENDING;
    *state = -1;
    return CO_DONE;
}

/* ---- co_read -------------------------------------------------------------- */

void co_read__init(int fd, void *buf, size_t n, struct co_read__frame *f)
{
    f->co_state = 0;
    f->buf = buf;
    f->n = n > INT_MAX ? INT_MAX : n;
    f->w.fd = fd;
}

/* One read(2) (an attempt_fn). */
static int read_once(void *p, int *result)
{
    struct co_read__frame *f = p;

    for (;;) {
        ssize_t r = read(f->w.fd, f->buf, f->n);
        if (r >= 0 || (errno != EINTR && !would_block(errno))) {
            *result = r >= 0 ? (int)r : -errno;
            return 1;
        }
        if (errno != EINTR)
            return 0;
    }
}

/* Try, wait for readability while it would block, try again; a failed
 * wait is the result. */
int co_read__resume(struct co_read__frame *f, co_task *t)
{
    return io_resume(&f->co_state, &f->co_result, &f->w, 0, t, read_once, f);
}

void co_read__close(struct co_read__frame *f)
{
    unwait(&f->co_state, &f->w);
}

/* ---- co_write ------------------------------------------------------------- */

enum { W_UNKNOWN, W_SOCKET, W_OTHER };

/* write(2) with SIGPIPE blocked in this thread; a SIGPIPE it raised is
 * taken off the pending set before the old mask comes back.  One that
 * was pending before is left for its owner. */
static ssize_t write_nosigpipe(int fd, const void *buf, size_t n)
{
    static const struct timespec zero = { 0, 0 };
    sigset_t pipe_set, old, pending;
    int before, e;
    ssize_t r;

    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    sigemptyset(&pending);
    sigpending(&pending);
    before = sigismember(&pending, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    r = write(fd, buf, n);
    e = errno;
    if (r < 0 && e == EPIPE && !before) {
        while (sigtimedwait(&pipe_set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return r;
}

/* One attempt at writing what is left. */
static ssize_t put(struct co_write__frame *f)
{
    ssize_t r;

    if (f->kind != W_OTHER) {
        r = send(f->w.fd, f->buf, f->left, MSG_NOSIGNAL);
        if (r >= 0 || errno != ENOTSOCK) {
            f->kind = W_SOCKET;
            return r;
        }
        f->kind = W_OTHER;
    }
    return write_nosigpipe(f->w.fd, f->buf, f->left);
}

void co_write__init(int fd, const void *buf, size_t n, struct co_write__frame *f)
{
    f->co_state = 0;
    f->buf = buf;
    f->left = n;
    f->n = n > INT_MAX ? -1 : (int)n;
    f->kind = W_UNKNOWN;
    f->w.fd = fd;
}

/* Write what is left, as far as it goes without blocking (an
 * attempt_fn): the result is the total written. */
static int write_once(void *p, int *result)
{
    struct co_write__frame *f = p;
    ssize_t r;

    while (f->left > 0) {
        r = put(f);
        if (r >= 0) {
            f->buf += r;
            f->left -= (size_t)r;
        } else if (would_block(errno)) {
            return 0;
        } else if (errno != EINTR) {
            *result = -errno;
            return 1;
        }
    }
    *result = f->n;
    return 1;
}

int co_write__resume(struct co_write__frame *f, co_task *t)
{
    if (f->co_state == 0 && f->n < 0) {
        f->co_result = -EINVAL;
        f->co_state = -1;
        return CO_DONE;
    }
    return io_resume(&f->co_state, &f->co_result, &f->w, 1, t, write_once, f);
}

void co_write__close(struct co_write__frame *f)
{
    unwait(&f->co_state, &f->w);
}

/* ---- co_accept ------------------------------------------------------------ */

/* accept(2) giving a non-blocking, close-on-exec descriptor. */
static int accept_nb(int fd)
{
#ifdef __linux__
    return accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
#else
    int c = accept(fd, NULL, NULL), e;

    if (c < 0)
        return c;
    if (co_set_nonblock(c) < 0 || fcntl(c, F_SETFD, FD_CLOEXEC) < 0) {
        e = errno;
        close(c);
        errno = e;
        return -1;
    }
    return c;
#endif
}

void co_accept__init(int fd, struct co_accept__frame *f)
{
    f->co_state = 0;
    f->w.fd = fd;
}

/* One accept(2) (an attempt_fn). */
static int accept_once(void *p, int *result)
{
    struct co_accept__frame *f = p;

    for (;;) {
        int c = accept_nb(f->w.fd);
        if (c >= 0 || (errno != EINTR && errno != ECONNABORTED && !would_block(errno))) {
            *result = c >= 0 ? c : -errno;
            return 1;
        }
        /* A signal, or a connection gone before we took it: try again. */
        if (errno != EINTR && errno != ECONNABORTED)
            return 0;
    }
}

/* Out of descriptors (or kernel memory), the listening socket stays
 * readable: a server that retried at once would spin and starve the tasks
 * that could free one.  The error comes after a pause instead. */
#define ACCEPT_BACKOFF_MS 10

static int out_of_resources(int r)
{
    return r == -EMFILE || r == -ENFILE || r == -ENOBUFS || r == -ENOMEM;
}

/* The line of acceptors, as Go serialises the Accepts of one listener:
 * one acceptor of a loop at a time tries accept(2) on a listener and
 * watches it (a loop watches a descriptor for one reader only: io.c says
 * -EBUSY to a second); the others of that loop wait in line, first come
 * first served.  When the one whose turn it is ends its await (it
 * accepted, failed, started backing off, or was cancelled), the first in
 * line gets the turn: it is woken, tries accept(2) and watches.  An
 * acceptor that comes while others wait joins the back of the line, so
 * the turn goes round, and a waiting acceptor is woken only when the one
 * before it is done: no spinning.  A task that watches the listener for
 * another reason (co_readable) is not part of the line: an acceptor that
 * finds it there waits in line until an acceptor passes the turn on (if
 * none ever does, and nothing else is left, co_loop_run reports the wait
 * as a deadlock).
 *
 * The line is the loop's (co__acceptors), linked through the frames:
 * the acceptors that wait behind another, and the one just given its
 * turn, for every listener of the loop.  Lines are short; a walk is fine. */

/* co_state of co_accept: 0 fresh, 1 watching the listener (w), 2 backing
 * off (tm), 3 in line, 4 given its turn, -1 done. */
enum { A_WATCH = 1, A_BACKOFF, A_INLINE, A_TURN };

/* Put f (of task t) at the back of its loop's line, when busy is 1 or
 * someone is in line for its listener already: 1 when it is in line, 0
 * when not. */
static int join_line(struct co_accept__frame *f, co_task *t, int busy)
{
    struct co_accept__frame **p;

    for (p = co__acceptors(t->loop); *p; p = &(*p)->next)
        busy |= (*p)->w.fd == f->w.fd;
    if (!busy)
        return 0;
    f->next = NULL;
    *p = f;
    f->w.task = t;
    f->co_state = A_INLINE;
    return 1;
}

/* f leaves the line (its turn came, or it was cancelled). */
static void leave_line(struct co_accept__frame *f)
{
    struct co_accept__frame **p = co__acceptors(f->w.task->loop);

    while (*p && *p != f)
        p = &(*p)->next;
    if (*p)
        *p = f->next;
}

/* The turn on fd of loop l passes to the first in line, if any. */
static void next_turn(co_loop *l, int fd)
{
    struct co_accept__frame *f;

    for (f = *co__acceptors(l); f; f = f->next)
        if (f->w.fd == fd && f->co_state == A_INLINE) {
            f->co_state = A_TURN;
            co__ready(f->w.task);
            return;
        }
}

int co_accept__resume(struct co_accept__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0:
    case A_WATCH:
        if ((f->co_result = begin(f->co_state, &f->w, t)) == CO_PENDING)
            return CO_PENDING;
        if (f->co_result < 0)
            goto done;
        if (f->co_state == 0 && join_line(f, t, 0))
            return CO_PENDING;
        break;
    case A_INLINE:              /* resumed by an enclosing co_timeout, say */
        return CO_PENDING;
    case A_TURN:
        leave_line(f);
        break;
    case A_BACKOFF:
        if (!co_timer_fired(&f->tm))
            return CO_PENDING;
        f->co_state = -1;
        return CO_DONE;
    default:
        return CO_DONE;
    }
    if (retry(&f->co_state, &f->co_result, &f->w, 0, t, accept_once, f) ==
        CO_PENDING) {
        f->w.task = t;          /* for close; io.c sets it only if it watches */
        return CO_PENDING;      /* in A_WATCH */
    }
    /* -EBUSY comes from the wait, never from accept(2): another task
     * watches the listener. */
    if (f->co_result == -EBUSY && join_line(f, t, 1))
        return CO_PENDING;
done:
    next_turn(t->loop, f->w.fd);
    if (out_of_resources(f->co_result) &&
        co_timer_start(&f->tm, ACCEPT_BACKOFF_MS, t) == 0) {
        f->co_state = A_BACKOFF;
        return CO_PENDING;
    }
    f->co_state = -1;
    return CO_DONE;
}

void co_accept__close(struct co_accept__frame *f)
{
    switch (f->co_state) {
    case A_WATCH:
        co_readable__close(&f->w);
        next_turn(f->w.task->loop, f->w.fd);
        break;
    case A_BACKOFF:
        co_timer_stop(&f->tm);
        break;
    case A_INLINE:
        leave_line(f);
        break;
    case A_TURN:
        leave_line(f);
        next_turn(f->w.task->loop, f->w.fd);
        break;
    }
    f->co_state = -1;
}

/* ---- co_connect ----------------------------------------------------------- */

void co_connect__init(int fd, const struct sockaddr *addr, unsigned addrlen,
                      struct co_connect__frame *f)
{
    f->co_state = 0;
    f->addr = addr;
    f->addrlen = addrlen;
    f->w.fd = fd;
}

int co_connect__resume(struct co_connect__frame *f, co_task *t)
{
    int err;
    socklen_t len = sizeof err;

    switch (f->co_state) {
    case 0:
        f->co_result = co__io_nonblock(t->loop, f->w.fd);
        if (f->co_result < 0)
            goto done;
        /* A connect interrupted by a signal goes on in the background,
         * like one in progress. */
        if (connect(f->w.fd, f->addr, f->addrlen) == 0) {
            f->co_result = 0;
            goto done;
        }
        if (errno != EINPROGRESS && errno != EINTR) {
            f->co_result = -errno;
            goto done;
        }
        f->addr = NULL;         /* not needed again */
        if (wait_for(&f->w, 1, t) == CO_PENDING) {
            f->co_state = 1;
            return CO_PENDING;
        }
        f->co_result = f->w.co_result;
        goto done;
    case 1:
        if ((f->co_result = begin(1, &f->w, t)) == CO_PENDING)
            return CO_PENDING;
        if (f->co_result < 0)
            goto done;
        break;
    default:
        return CO_DONE;
    }
    /* Writable: the connection is made or has failed; SO_ERROR says. */
    if (getsockopt(f->w.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
        f->co_result = -errno;
    else
        f->co_result = -err;
done:
    f->co_state = -1;
    return CO_DONE;
}

void co_connect__close(struct co_connect__frame *f)
{
    unwait(&f->co_state, &f->w);
}

/* ---- plain helpers -------------------------------------------------------- */

/* Fill *ss for host:port; the address length, or -EINVAL. */
static int tcp_addr(const char *host, int port, struct sockaddr_storage *ss)
{
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;

    memset(ss, 0, sizeof *ss);
    if (port < 0 || port > 65535)
        return -EINVAL;
    if (!host) {
        a4->sin_family = AF_INET;
        a4->sin_addr.s_addr = htonl(INADDR_ANY);
        a4->sin_port = htons((unsigned short)port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET, host, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((unsigned short)port);
        return sizeof *a4;
    }
    if (inet_pton(AF_INET6, host, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((unsigned short)port);
        return sizeof *a6;
    }
    return -EINVAL;
}

int co_listen_tcp(const char *host, int port, int backlog, int *bound_port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int fd, one = 1, r;

    r = backlog < 0 ? -EINVAL : tcp_addr(host, port, &ss);
    if (r < 0)
        return r;
    len = (socklen_t)r;
    fd = socket(ss.ss_family, SOCK_STREAM, 0);
    if (fd < 0)
        return -errno;
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        (r = co_set_nonblock(fd)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, (struct sockaddr *)&ss, len) < 0 ||
        listen(fd, backlog) < 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
        goto fail;
    if (bound_port)
        *bound_port = ntohs(ss.ss_family == AF_INET ?
                            ((struct sockaddr_in *)&ss)->sin_port :
                            ((struct sockaddr_in6 *)&ss)->sin6_port);
    return fd;
fail:
    r = r < 0 ? r : -errno;
    close(fd);
    return r;
}
