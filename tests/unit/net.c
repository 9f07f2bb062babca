/*
 * net.c - unit test: co_read, co_write, co_accept, co_connect and the
 * helpers, through the backend under test.  Partial reads and writes
 * through a socketpair with small buffers; end of file; a peer reset; a
 * write to a closed socket and to a closed pipe (-EPIPE, the process
 * lives); bad and closed descriptors, a listener closed under co_accept;
 * accept and connect on 127.0.0.1 port 0, a refused connect; a read under
 * a timeout; cancelled tasks leave the loop free to end and the
 * descriptor free for the next reader.
 */
#include "t.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

/* ---- async int op(kind, fd, ...): one awaitable, chosen at run time ----- */

enum {
    OP_READ,            /* co_read(fd, buf, n) */
    OP_WRITE,           /* co_write(fd, buf, n) */
    OP_WRITE_SHUT,      /* co_write(fd, buf, n), then shutdown(SHUT_WR) */
    OP_ACCEPT,          /* co_accept(fd) */
    OP_CONNECT,         /* co_connect(fd, addr, alen) */
    OP_READ_TMO,        /* co_timeout(ms, co_read(fd, buf, n)) */
    OP_SLEEP_CLOSE,     /* co_sleep(ms), then co_close(fd) */
    OP_SLEEP_STOP       /* co_sleep(ms), then co_loop_stop */
};

struct op__frame {
    int co_state;
    int co_result;
    int kind, fd;
    void *buf;
    size_t n;
    const struct sockaddr *addr;
    unsigned alen;
    long ms;
    co_timer tm;
    union {
        struct co_read__frame r;
        struct co_write__frame w;
        struct co_accept__frame a;
        struct co_connect__frame c;
        struct co_sleep__frame s;
    } u;
};

static void op__init(int kind, int fd, void *buf, size_t n, long ms, struct op__frame *f)
{
    f->co_state = 0;
    f->kind = kind;
    f->fd = fd;
    f->buf = buf;
    f->n = n;
    f->ms = ms;
}

static int op__resume(struct op__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    case 6: goto co_a6;
    case 7: goto co_a7;
    case 8: goto co_a8;
    default: return CO_DONE;
    }
    switch (f->kind) {
    case OP_READ:
        AWAIT(1, co_read, f->u.r, f->fd, f->buf, f->n)
        f->co_result = f->u.r.co_result;
        break;
    case OP_WRITE:
        AWAIT(2, co_write, f->u.w, f->fd, f->buf, f->n)
        f->co_result = f->u.w.co_result;
        break;
    case OP_ACCEPT:
        AWAIT(3, co_accept, f->u.a, f->fd)
        f->co_result = f->u.a.co_result;
        break;
    case OP_CONNECT:
        AWAIT(4, co_connect, f->u.c, f->fd, f->addr, f->alen)
        f->co_result = f->u.c.co_result;
        break;
    case OP_READ_TMO:
        /* co_timeout(ms, co_read(...)), the way cogen generates it */
        co_read__init(f->fd, f->buf, f->n, &f->u.r);
        if ((f->co_result = co_timer_start(&f->tm, f->ms, t)) < 0) {
            co_read__close(&f->u.r);
            break;
        }
    co_a5:
        if (co_read__resume(&f->u.r, t) == CO_DONE) {
            co_timer_stop(&f->tm);
            f->co_result = f->u.r.co_result;
        } else if (co_timer_fired(&f->tm)) {
            co_read__close(&f->u.r);
            f->co_result = -ETIMEDOUT;
        } else {
            f->co_state = 5;
            return CO_PENDING;
        }
        break;
    case OP_SLEEP_CLOSE:        /* sleep ms, then co_close(fd) */
        AWAIT(6, co_sleep, f->u.s, f->ms)
        f->co_result = co_close(f->fd);
        break;
    case OP_WRITE_SHUT:
        AWAIT(7, co_write, f->u.w, f->fd, f->buf, f->n)
        f->co_result = f->u.w.co_result;
        shutdown(f->fd, SHUT_WR);
        break;
    case OP_SLEEP_STOP:
        AWAIT(8, co_sleep, f->u.s, f->ms)
        f->co_result = co_loop_stop(co_loop_current());
        break;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void op__close(struct op__frame *f)
{
    switch (f->co_state) {
    case 1: co_read__close(&f->u.r); break;
    case 2: co_write__close(&f->u.w); break;
    case 3: co_accept__close(&f->u.a); break;
    case 4: co_connect__close(&f->u.c); break;
    case 5: co_read__close(&f->u.r); co_timer_stop(&f->tm); break;
    case 6: co_sleep__close(&f->u.s); break;
    case 7: co_write__close(&f->u.w); break;
    case 8: co_sleep__close(&f->u.s); break;
    }
    f->co_state = -1;
}

CO_VT_INT(op)

static co_task *op(int kind, int fd, void *buf, size_t n, long ms)
{
    CO_ALLOC(op);
    op__init(kind, fd, buf, n, ms, &co_b->co_fr);
    return &co_b->co_hdr;
}

static co_task *op_connect(int fd, const struct sockaddr *a, unsigned len)
{
    co_task *t = op(OP_CONNECT, fd, NULL, 0, 0);
    struct op__box *b = (struct op__box *)t;

    b->co_fr.addr = a;
    b->co_fr.alen = len;
    return t;
}

/* ---- async int drain(fd, buf, cap, chunk): read to EOF in small pieces;
 * result: the bytes read, or the first error; *reads counts the reads */

struct drain__frame {
    int co_state;
    int co_result;
    int fd;
    char *buf;
    size_t cap, chunk, got;
    int *reads;
    union {
        struct co_read__frame r;
    } u;
};

static void drain__init(int fd, char *buf, size_t cap, size_t chunk, int *reads,
                        struct drain__frame *f)
{
    f->co_state = 0;
    f->fd = fd;
    f->buf = buf;
    f->cap = cap;
    f->chunk = chunk;
    f->reads = reads;
    f->got = 0;
}

static int drain__resume(struct drain__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (;;) {
        AWAIT(1, co_read, f->u.r, f->fd, f->buf + f->got,
              f->cap - f->got < f->chunk ? f->cap - f->got : f->chunk)
        if (f->u.r.co_result <= 0)
            break;
        f->got += (size_t)f->u.r.co_result;
        ++*f->reads;
    }
    f->co_result = f->u.r.co_result < 0 ? f->u.r.co_result : (int)f->got;
    f->co_state = -1;
    return CO_DONE;
}

static void drain__close(struct drain__frame *f)
{
    if (f->co_state == 1)
        co_read__close(&f->u.r);
    f->co_state = -1;
}

CO_VT_INT(drain)

static co_task *drain(int fd, char *buf, size_t cap, size_t chunk, int *reads)
{
    CO_ALLOC(drain);
    drain__init(fd, buf, cap, chunk, reads, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- helpers ---------------------------------------------------------------- */

static void nonblocking_pair(int sv[2])
{
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    EQ(co_set_nonblock(sv[0]), 0);
    EQ(co_set_nonblock(sv[1]), 0);
}

/* A connected TCP pair on 127.0.0.1: *srv accepted, *cli connected. */
static void tcp_pair(co_loop *l, int *srv, int *cli)
{
    struct sockaddr_in a;
    int port = 0, lfd = co_listen_tcp("127.0.0.1", 0, 8, &port);
    co_task *ta, *tc;

    CHECK(lfd >= 0);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    *cli = socket(AF_INET, SOCK_STREAM, 0);
    EQ(co_set_nonblock(*cli), 0);
    ta = co_spawn_on(l, op(OP_ACCEPT, lfd, NULL, 0, 0));
    tc = co_spawn_on(l, op_connect(*cli, (struct sockaddr *)&a, sizeof a));
    EQ(co_loop_run(l), 0);
    *srv = t_result(ta);
    EQ(t_result(tc), 0);
    CHECK(*srv >= 0);
    close(lfd);
}

/* ---- the tests ------------------------------------------------------------ */

/* 1 MB through a socketpair whose buffers are a few KB: the writer's
 * send is partial many times, the reader takes 1000 bytes at a time. */
static void partial(co_loop *l)
{
    size_t n = (size_t)t_scale(1000000), i;
    char *out = malloc(n), *in = malloc(n + 1);
    int sv[2], small = 4096, reads = 0;
    co_task *w, *d;

    nonblocking_pair(sv);
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    for (i = 0; i < n; i++)
        out[i] = (char)(i * 7 + i / 251);
    w = co_spawn_on(l, op(OP_WRITE_SHUT, sv[0], out, n, 0));
    d = co_spawn_on(l, drain(sv[1], in, n + 1, 1000, &reads));
    EQ(co_loop_run(l), 0);
    EQ(t_result(w), (long)n);
    EQ(t_result(d), (long)n);
    CHECK(reads >= (int)(n / 1000));
    CHECK(memcmp(in, out, n) == 0);
    close(sv[0]);
    close(sv[1]);
    free(out);
    free(in);
}

/* End of file, a reset peer, a gone reader. */
static void errors(co_loop *l)
{
    char buf[64] = "hello";
    int sv[2], p[2], srv, cli, pending;
    struct linger lg = { 1, 0 };
    co_task *t, *c;
    sigset_t set;

    /* EOF: the other end closed */
    nonblocking_pair(sv);
    close(sv[1]);
    t = co_spawn_on(l, op(OP_READ, sv[0], buf, sizeof buf, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), 0);
    /* EPIPE on a socket */
    t = co_spawn_on(l, op(OP_WRITE, sv[0], buf, 5, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -EPIPE);
    close(sv[0]);

    /* EPIPE on a pipe: SIGPIPE is raised, blocked and discarded */
    CHECK(pipe(p) == 0);
    EQ(co_set_nonblock(p[1]), 0);
    close(p[0]);
    t = co_spawn_on(l, op(OP_WRITE, p[1], buf, 5, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -EPIPE);
    sigemptyset(&set);
    sigpending(&set);
    pending = sigismember(&set, SIGPIPE);
    EQ(pending, 0);
    close(p[1]);

    /* a peer that resets while we wait to read: -ECONNRESET */
    tcp_pair(l, &srv, &cli);
    t = co_spawn_on(l, op(OP_READ, srv, buf, sizeof buf, 0));
    CHECK(setsockopt(cli, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0);
    c = co_spawn_on(l, op(OP_SLEEP_CLOSE, cli, NULL, 0, 10));
    EQ(co_loop_run(l), 0);
    EQ(t_result(c), 0);
    EQ(t_result(t), -ECONNRESET);
    close(srv);

    /* the reset arrives before the read */
    tcp_pair(l, &srv, &cli);
    CHECK(setsockopt(cli, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) == 0);
    close(cli);
    t = co_spawn_on(l, op(OP_READ, srv, buf, sizeof buf, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -ECONNRESET);
    close(srv);
}

/* Bad descriptors, and a listener closed under co_accept. */
static void bad_fds(co_loop *l)
{
    char buf[8] = "x";
    int sv[2], lfd;
    co_task *t, *u, *c;

    t = co_spawn_on(l, op(OP_READ, -1, buf, sizeof buf, 0));
    u = co_spawn_on(l, op(OP_WRITE, -1, buf, 1, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -EBADF);
    EQ(t_result(u), -EBADF);

    nonblocking_pair(sv);
    close(sv[0]);
    close(sv[1]);
    t = co_spawn_on(l, op(OP_READ, sv[0], buf, sizeof buf, 0));
    u = co_spawn_on(l, op(OP_ACCEPT, sv[1], NULL, 0, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -EBADF);
    EQ(t_result(u), -EBADF);

    /* co_close wakes the acceptor with -EBADF on both backends */
    lfd = co_listen_tcp("127.0.0.1", 0, 4, NULL);
    CHECK(lfd >= 0);
    t = co_spawn_on(l, op(OP_ACCEPT, lfd, NULL, 0, 0));
    c = co_spawn_on(l, op(OP_SLEEP_CLOSE, lfd, NULL, 0, 10));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -EBADF);
    EQ(t_result(c), 0);

    /* a second reader of one descriptor is refused */
    nonblocking_pair(sv);
    t = co_spawn_on(l, op(OP_READ, sv[0], buf, sizeof buf, 0));
    u = co_spawn_on(l, op(OP_READ, sv[0], buf, sizeof buf, 0));
    c = co_spawn_on(l, op(OP_WRITE, sv[1], "ab", 2, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), 2);
    EQ(t_result(u), -EBUSY);
    EQ(t_result(c), 2);
    close(sv[0]);
    close(sv[1]);

    EQ(co_listen_tcp("localhost", 0, 4, NULL), -EINVAL);
    EQ(co_listen_tcp("127.0.0.1", 70000, 4, NULL), -EINVAL);
    EQ(co_set_nonblock(-1), -EBADF);
    EQ(co_close(-1), -EBADF);
}

/* Accept and connect on 127.0.0.1 port 0; data both ways; refused. */
static void tcp(co_loop *l)
{
    char a[16] = { 0 }, b[16] = { 0 };
    struct sockaddr_in sa;
    int srv, cli, lfd, port = 0, fl;
    co_task *r1, *r2, *w1, *w2, *t;

    tcp_pair(l, &srv, &cli);
    fl = fcntl(srv, F_GETFL);
    CHECK(fl >= 0 && (fl & O_NONBLOCK));
    CHECK(fcntl(srv, F_GETFD) & FD_CLOEXEC);
    r1 = co_spawn_on(l, op(OP_READ, srv, a, sizeof a, 0));
    r2 = co_spawn_on(l, op(OP_READ, cli, b, sizeof b, 0));
    w1 = co_spawn_on(l, op(OP_WRITE, cli, "ping", 4, 0));
    w2 = co_spawn_on(l, op(OP_WRITE, srv, "pong", 4, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(r1), 4);
    EQ(t_result(r2), 4);
    EQ(t_result(w1), 4);
    EQ(t_result(w2), 4);
    STREQ(a, "ping");
    STREQ(b, "pong");
    close(srv);
    close(cli);

    /* a port nobody listens on any more */
    lfd = co_listen_tcp("127.0.0.1", 0, 4, &port);
    CHECK(lfd >= 0 && port > 0);
    close(lfd);
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cli = socket(AF_INET, SOCK_STREAM, 0);
    EQ(co_set_nonblock(cli), 0);
    t = co_spawn_on(l, op_connect(cli, (struct sockaddr *)&sa, sizeof sa));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -ECONNREFUSED);
    close(cli);

    /* IPv6 loopback, when the machine has it */
    lfd = co_listen_tcp("::1", 0, 4, &port);
    CHECK(lfd >= 0 || lfd == -EADDRNOTAVAIL || lfd == -EAFNOSUPPORT);
    if (lfd >= 0) {
        CHECK(port > 0);
        close(lfd);
    }
}

/* A read under a timeout; cancelled reads, writes and accepts. */
static void cancel(co_loop *l)
{
    char buf[8], big[65536];
    int sv[2], lfd, small = 4096;
    co_task *t, *u, *v;
    double t0;

    nonblocking_pair(sv);
    t0 = t_ms();
    t = co_spawn_on(l, op(OP_READ_TMO, sv[0], buf, sizeof buf, T(20)));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), -ETIMEDOUT);
    CHECK(t_ms() - t0 >= T(20) - 1);
    /* the timed-out read left: the next one may wait, and gets data */
    t = co_spawn_on(l, op(OP_READ_TMO, sv[0], buf, sizeof buf, T(1000)));
    u = co_spawn_on(l, op(OP_WRITE, sv[1], "z", 1, 0));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), 1);
    EQ(t_result(u), 1);
    EQ(buf[0], 'z');

    /* a blocked reader, writer (full buffer) and acceptor, cancelled */
    setsockopt(sv[1], SOL_SOCKET, SO_SNDBUF, &small, sizeof small);
    memset(big, 'b', sizeof big);
    lfd = co_listen_tcp("127.0.0.1", 0, 4, NULL);
    t = co_spawn_on(l, op(OP_READ, sv[1], buf, sizeof buf, 0));
    u = co_spawn_on(l, op(OP_WRITE, sv[1], big, sizeof big, 0));
    v = co_spawn_on(l, op(OP_ACCEPT, lfd, NULL, 0, 0));
    co_detach(co_spawn_on(l, op(OP_SLEEP_STOP, -1, NULL, 0, 10)));
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(t), 0);
    EQ(co_task_done(u), 0);
    EQ(co_task_done(v), 0);
    EQ(co_cancel(t), 0);
    EQ(co_cancel(u), 0);
    EQ(co_cancel(v), 0);
    EQ(co_task_cancelled(t), 1);
    EQ(co_task_cancelled(u), 1);
    EQ(co_task_cancelled(v), 1);
    EQ(co_loop_run(l), 0);      /* nothing left to wait for */
    co_detach(t);
    co_detach(u);
    co_detach(v);
    close(lfd);
    /* the descriptor is free again: a new reader and writer are not
     * refused */
    t = co_spawn_on(l, op(OP_READ_TMO, sv[1], buf, sizeof buf, T(1000)));
    u = co_spawn_on(l, op(OP_WRITE, sv[0], "q", 1, 0));
    v = co_spawn_on(l, op(OP_READ_TMO, sv[0], big, sizeof big, T(1000)));
    EQ(co_loop_run(l), 0);
    EQ(t_result(t), 1);
    EQ(t_result(u), 1);
    CHECK(t_result(v) > 0);       /* what the cancelled writer had sent */
    EQ(buf[0], 'q');
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);

    signal(SIGPIPE, SIG_DFL);   /* a stray SIGPIPE would kill the test */
    partial(l);
    errors(l);
    bad_fds(l);
    tcp(l);
    cancel(l);
    EQ(co_loop_free(l), 0);
    return t_end("net");
}
