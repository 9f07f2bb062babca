/*
 * accept.c - unit test: several tasks accepting on one listener.  Each
 * retries on any error but -EBADF, as servers do; a second acceptor must
 * wait for its turn, not be told -EBUSY (a retrying one would spin and
 * starve the loop).  Clients connect in bursts while the acceptors wait:
 * every connection is accepted exactly once (the peers' ports say so),
 * each await gives a connection or the final -EBADF of co_close (no await
 * returns for nothing), and the connecting task makes progress.  Then
 * acceptors are cancelled while in line, when their turn has just come
 * and while they watch the listener: the others go on accepting.
 */
#include "t.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#define NACC 4              /* acceptors */
#define NCLI 60             /* clients */
#define BURST 3             /* clients that connect back to back */
#define MAXERRS 100000      /* a spinning acceptor gives up here */

struct world {
    int lfd;
    struct sockaddr_in addr;
    int cports[NCLI];       /* the clients' local ports */
    int cfds[NCLI];
    int nconn;              /* clients connected */
    int aports[NCLI];       /* the accepted peers' ports */
    int accepted;
    int awaits;             /* co_accept results, all acceptors */
    int errors;             /* results other than a connection or -EBADF */
    int per[NACC];          /* connections per acceptor */
    co_task *victim;        /* cancelled by the next acceptor to accept */
    int victim_state;       /* its co_accept's co_state then */
};

/* ---- async int acceptor(struct world *w, int id): accept until -EBADF --
 * Records each connection's peer port and closes it; retries on other
 * errors (up to MAXERRS).  Result: the last co_accept result. */

struct acceptor__frame {
    int co_state;
    int co_result;
    struct world *w;
    int id, errs;
    union {
        struct co_accept__frame a;
    } u;
};

static int peer_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;

    if (getpeername(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    return ntohs(a.sin_port);
}

static int local_port(int fd)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;

    if (getsockname(fd, (struct sockaddr *)&a, &len) < 0)
        return -1;
    return ntohs(a.sin_port);
}

static int acceptor__resume(struct acceptor__frame *f, co_task *t);

static void acceptor__close(struct acceptor__frame *f)
{
    if (f->co_state == 1)
        co_accept__close(&f->u.a);
    f->co_state = -1;
}

CO_VT_INT(acceptor)

static int acceptor__resume(struct acceptor__frame *f, co_task *t)
{
    struct world *w = f->w;
    struct acceptor__box *v;
    int c;

    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (;;) {
        AWAIT(1, co_accept, f->u.a, w->lfd)
        c = f->u.a.co_result;
        w->awaits++;
        if (c == -EBADF)
            break;
        if (c < 0) {
            w->errors++;
            if (++f->errs == MAXERRS)
                break;
            continue;
        }
        if (w->accepted < NCLI)
            w->aports[w->accepted] = peer_port(c);
        w->accepted++;
        w->per[f->id]++;
        close(c);
        if (w->victim) {
            v = (struct acceptor__box *)w->victim;
            w->victim_state = v->co_fr.u.a.co_state;
            EQ(co_cancel(w->victim), 0);
            w->victim = NULL;
        }
    }
    f->co_result = c;
    f->co_state = -1;
    return CO_DONE;
}

static co_task *acceptor(struct world *w, int id)
{
    CO_ALLOC(acceptor);
    memset(&co_b->co_fr, 0, sizeof co_b->co_fr);
    co_b->co_fr.w = w;
    co_b->co_fr.id = id;
    return &co_b->co_hdr;
}

/* ---- async int clients(struct world *w, int n, int end): connect n more
 * clients, BURST at a time with a pause between bursts, wait until the
 * acceptors have them all; end: then co_close the listener (from a task,
 * so that the loop wakes its waiters).  Result: 0, or the first failure. */

struct clients__frame {
    int co_state;
    int co_result;
    struct world *w;
    int n, end, i, s, waits;
    union {
        struct co_connect__frame c;
        struct co_sleep__frame s;
    } u;
};

static int clients__resume(struct clients__frame *f, co_task *t)
{
    struct world *w = f->w;

    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->n; f->i++) {
        f->s = socket(AF_INET, SOCK_STREAM, 0);
        if (f->s < 0 || co_set_nonblock(f->s) < 0) {
            f->co_result = -errno;
            goto out;
        }
        w->cfds[w->nconn] = f->s;
        AWAIT(1, co_connect, f->u.c, f->s, (struct sockaddr *)&w->addr,
              sizeof w->addr)
        if (f->u.c.co_result < 0) {
            f->co_result = f->u.c.co_result;
            goto out;
        }
        w->cports[w->nconn++] = local_port(f->s);
        if (f->i % BURST == BURST - 1) {
            AWAIT(2, co_sleep, f->u.s, 1)
        }
    }
    /* Cause and effect, not a time: a spinning acceptor would keep this
     * task from running, and the count from being reached. */
    for (f->waits = 0; w->accepted < w->nconn && f->waits < 5000; f->waits++) {
        AWAIT(3, co_sleep, f->u.s, 1)
    }
    f->co_result = f->end ? co_close(w->lfd) : 0;
out:
    f->co_state = -1;
    return CO_DONE;
}

static void clients__close(struct clients__frame *f)
{
    if (f->co_state == 1)
        co_connect__close(&f->u.c);
    if (f->co_state == 2 || f->co_state == 3)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_INT(clients)

static co_task *clients(struct world *w, int n, int end)
{
    CO_ALLOC(clients);
    memset(&co_b->co_fr, 0, sizeof co_b->co_fr);
    co_b->co_fr.w = w;
    co_b->co_fr.n = n;
    co_b->co_fr.end = end;
    return &co_b->co_hdr;
}

/* ---- co_timeout(ms, co_accept(fd)), the way cogen generates it ---------- */

struct tmo_accept__frame {
    int co_state;
    int co_result;
    int fd;
    long ms;
    co_timer tm;
    union {
        struct co_accept__frame a;
    } u;
};

static int tmo_accept__resume(struct tmo_accept__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0:
        co_accept__init(f->fd, &f->u.a);
        f->co_result = co_timer_start(&f->tm, f->ms, t);
        if (f->co_result < 0) {
            co_accept__close(&f->u.a);
            break;
        }
        f->co_state = 1;
        /* fall through */
    case 1:
        if (co_accept__resume(&f->u.a, t) == CO_DONE) {
            co_timer_stop(&f->tm);
            f->co_result = f->u.a.co_result;
        } else if (co_timer_fired(&f->tm)) {
            co_accept__close(&f->u.a);
            f->co_result = -ETIMEDOUT;
        } else {
            return CO_PENDING;
        }
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void tmo_accept__close(struct tmo_accept__frame *f)
{
    if (f->co_state == 1) {
        co_accept__close(&f->u.a);
        co_timer_stop(&f->tm);
    }
    f->co_state = -1;
}

CO_VT_INT(tmo_accept)

static co_task *tmo_accept(int fd, long ms)
{
    CO_ALLOC(tmo_accept);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.fd = fd;
    co_b->co_fr.ms = ms;
    return &co_b->co_hdr;
}

/* ---- async void stopper(void): co_loop_stop, when the tasks queued
 * before it have run ------------------------------------------------------ */

struct stopper__frame {
    int co_state;
};

static int stopper__resume(struct stopper__frame *f, co_task *t)
{
    (void)t;
    if (f->co_state == 0)
        EQ(co_loop_stop(co_loop_current()), 0);
    f->co_state = -1;
    return CO_DONE;
}

static void stopper__close(struct stopper__frame *f)
{
    f->co_state = -1;
}

CO_VT_VOID(stopper)

/* Run the tasks of l that are queued now, once each. */
static void settle(co_loop *l)
{
    struct stopper__box *co_b = co_alloc(sizeof *co_b);

    CHECK(co_b != NULL);
    if (!co_b)
        return;
    co_task_init(&co_b->co_hdr, &stopper__vt);
    co_b->co_fr.co_state = 0;
    co_detach(co_spawn_on(l, &co_b->co_hdr));
    EQ(co_loop_run(l), 0);
}

/* ---- helpers ---------------------------------------------------------------- */

static void world_init(struct world *w)
{
    int port = 0;

    memset(w, 0, sizeof *w);
    w->lfd = co_listen_tcp("127.0.0.1", 0, 2 * NCLI, &port);
    CHECK(w->lfd >= 0);
    w->addr.sin_family = AF_INET;
    w->addr.sin_port = htons((unsigned short)port);
    w->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

/* Every client connected was accepted once; close the clients. */
static void each_once(struct world *w)
{
    int i, j, seen;

    EQ(w->accepted, w->nconn);
    for (i = 0; i < w->nconn; i++) {
        seen = 0;
        for (j = 0; j < w->accepted && j < NCLI; j++)
            seen += w->aports[j] == w->cports[i];
        if (seen != 1)
            fprintf(stderr, "client %d (port %d) accepted %d times\n", i,
                    w->cports[i], seen);
        EQ(seen, 1);
        close(w->cfds[i]);
    }
}

static void stop_loop(co_task *t, void *l)
{
    (void)t;
    EQ(co_loop_stop(l), 0);
}

/* Run l until t is done (the acceptors would keep it running); t's
 * result. */
static int run_until(co_loop *l, co_task *t)
{
    EQ(co_task_on_done(t, stop_loop, l), 0);
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(t), 1);
    return t_result(t);
}

/* ---- the tests ------------------------------------------------------------ */

/* NACC acceptors, NCLI clients in bursts, then co_close. */
static void many(co_loop *l)
{
    struct world w;
    co_task *a[NACC], *c;
    int i, busy = 0;

    world_init(&w);
    for (i = 0; i < NACC; i++)
        a[i] = co_spawn_on(l, acceptor(&w, i));
    c = co_spawn_on(l, clients(&w, NCLI, 0));
    settle(l);                  /* one watches, the others wait in line */
    EQ(co_task_done(c), 0);
    EQ(run_until(l, c), 0);
    EQ(w.nconn, NCLI);
    each_once(&w);
    EQ(w.errors, 0);
    EQ(w.awaits, NCLI);         /* no await returned for nothing */
    c = co_spawn_on(l, clients(&w, 0, 1));  /* co_close wakes the watcher,
                                             * then each in line in turn */
    EQ(co_loop_run(l), 0);
    EQ(t_result(c), 0);
    for (i = 0; i < NACC; i++)
        EQ(t_result(a[i]), -EBADF);
    EQ(w.awaits, NCLI + NACC);
    for (i = 0; i < NACC; i++)
        busy += w.per[i] > 0;
    printf("accept: %d connections, per acceptor %d %d %d %d\n", NCLI,
           w.per[0], w.per[1], w.per[2], w.per[3]);
    EQ(busy, NACC);              /* the turn goes round */
}

/* Cancelled in line (b), when its turn has just come (c), while
 * watching (d): the turn goes on to the next each time. */
static void cancelled(co_loop *l)
{
    struct world w;
    co_task *a, *b, *c, *d, *k;

    world_init(&w);
    a = co_spawn_on(l, acceptor(&w, 0));
    b = co_spawn_on(l, acceptor(&w, 1));
    c = co_spawn_on(l, acceptor(&w, 2));
    d = co_spawn_on(l, acceptor(&w, 3));
    settle(l);                  /* a watches; b, c, d wait in line */
    EQ(((struct acceptor__box *)a)->co_fr.u.a.co_state, 1);    /* A_WATCH */
    EQ(((struct acceptor__box *)b)->co_fr.u.a.co_state, 3);    /* A_INLINE */

    EQ(co_cancel(b), 0);
    EQ(co_task_cancelled(b), 1);
    co_detach(b);

    /* a accepts, the turn goes to c, and a cancels c before it runs; so
     * d has it and watches, and a waits in line again */
    w.victim = c;
    k = co_spawn_on(l, clients(&w, 1, 0));
    EQ(run_until(l, k), 0);
    EQ(w.victim_state, 4);      /* net.c's A_TURN */
    EQ(co_task_cancelled(c), 1);
    co_detach(c);
    EQ(w.per[0], 1);

    settle(l);                  /* d takes its turn, if it has not yet */
    EQ(((struct acceptor__box *)d)->co_fr.u.a.co_state, 1);    /* A_WATCH */
    EQ(co_cancel(d), 0);        /* watching: a has the turn again */
    EQ(co_task_cancelled(d), 1);
    co_detach(d);
    k = co_spawn_on(l, clients(&w, 1, 1));
    EQ(co_loop_run(l), 0);
    EQ(t_result(k), 0);
    EQ(w.per[0], 2);
    EQ(w.errors, 0);
    each_once(&w);
    EQ(t_result(a), -EBADF);
}

/* An acceptor in line under co_timeout times out and leaves the line
 * (the timeout resumes it before it closes it: it stays in line until
 * then); the watcher still accepts, with nobody in line. */
static void timed_out(co_loop *l)
{
    struct world w;
    co_task *a, *b, *k;

    world_init(&w);
    a = co_spawn_on(l, acceptor(&w, 0));
    b = co_spawn_on(l, tmo_accept(w.lfd, T(20)));
    EQ(run_until(l, b), -ETIMEDOUT);
    EQ(co_task_done(a), 0);
    k = co_spawn_on(l, clients(&w, 2, 1));
    EQ(co_loop_run(l), 0);
    EQ(t_result(k), 0);
    EQ(w.per[0], 2);
    EQ(w.awaits, 3);
    each_once(&w);
    EQ(t_result(a), -EBADF);
}

int main(void)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);

    many(l);
    cancelled(l);
    timed_out(l);
    EQ(co_loop_free(l), 0);
    return t_end("accept");
}
