/*
 * emfile.c - unit test: co_accept out of descriptors.  With RLIMIT_NOFILE
 * lowered and every descriptor taken, a server that retries co_accept on
 * -EMFILE must leave the loop to the other tasks (a ticker goes on
 * ticking), so that the task that closes a descriptor later gets to run
 * and the accept then succeeds.
 */
#include "t.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#define MAXTRIES 100000     /* far more than a pause per try allows */

struct world {
    int lfd;                /* the listener, with a connection pending */
    int spare;              /* the descriptor the closer frees */
    int accepted;           /* the server's result */
    int done;               /* the server has it */
    int emfiles;            /* the -EMFILE it was given first */
    int ticks;              /* the ticker's */
    int ticks_at_close;     /* when the closer ran */
    int done_at_close;      /* was the server done then? */
    co_task *victim;        /* for the closer to cancel instead */
};

/* ---- async void server(struct world *w): accept, retrying on EMFILE -------- */

struct server__frame {
    int co_state;
    struct world *w;
    union {
        struct co_accept__frame a;
    } u;
};

static int server__resume(struct server__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (;;) {
        AWAIT(1, co_accept, f->u.a, f->w->lfd)
        f->w->accepted = f->u.a.co_result;
        if ((f->w->accepted != -EMFILE && f->w->accepted != -ENFILE) ||
            ++f->w->emfiles == MAXTRIES)
            break;
    }
    f->w->done = 1;
    f->co_state = -1;
    return CO_DONE;
}

static void server__close(struct server__frame *f)
{
    if (f->co_state == 1)
        co_accept__close(&f->u.a);
    f->co_state = -1;
}

CO_VT_VOID(server)

/* ---- async void ticker(struct world *w): tick each ms until accepted ------
 * After 3 s it gives up: it closes the listener, which ends the accept. */

struct ticker__frame {
    int co_state;
    struct world *w;
    union {
        struct co_sleep__frame s;
    } u;
};

static int ticker__resume(struct ticker__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    while (!f->w->done) {
        AWAIT(1, co_sleep, f->u.s, 1)
        if (++f->w->ticks == T(3000)) {
            co_close(f->w->lfd);
            f->w->lfd = -1;
        }
    }
    f->co_state = -1;
    return CO_DONE;
}

static void ticker__close(struct ticker__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(ticker)

/* ---- async void closer(struct world *w): free a descriptor ---------------
 * (or cancel and detach the victim) once the server was told EMFILE and
 * the ticker ticked twice: cause and effect, not a time, so that a loaded
 * machine cannot fail it.  Were the server spinning, the closer would
 * never run and give up after WAITS sleeps. */

#define WAITS 20000

struct closer__frame {
    int co_state;
    int waits;
    struct world *w;
    union {
        struct co_sleep__frame s;
    } u;
};

static int closer__resume(struct closer__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    while ((f->w->ticks < 2 || f->w->emfiles < 1) && f->waits++ < WAITS) {
        AWAIT(1, co_sleep, f->u.s, 1)
    }
    f->w->ticks_at_close = f->w->ticks;
    f->w->done_at_close = f->w->done;
    if (f->w->victim) {
        co_cancel(f->w->victim);
        co_detach(f->w->victim);
    } else {
        close(f->w->spare);
        f->w->spare = -1;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void closer__close(struct closer__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(closer)

/* The three constructors: one shape. */
#define WORLD_TASK(NAME)                                                    \
    static co_task *NAME(struct world *w)                                   \
    {                                                                       \
        CO_ALLOC(NAME);                                                     \
        memset(&co_b->co_fr, 0, sizeof co_b->co_fr);                        \
        co_b->co_fr.w = w;                                                  \
        return &co_b->co_hdr;                                               \
    }
WORLD_TASK(server)
WORLD_TASK(ticker)
WORLD_TASK(closer)

/* A client connected to port: its descriptor. */
static int client(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0);
    return fd;
}

int main(void)
{
    struct world w = { -1, -1, -1, 0, 0, 0, 0, 0, NULL };
    struct rlimit old, lim;
    co_loop *l;
    int port = 0, cfd, cfd2, fds[64], n = 0, i;

    /* Valgrind keeps a descriptor limit of its own: the kernel accepts
     * the connection, valgrind closes it and says EMFILE, and the
     * connection is gone.  The other runs test it. */
    if (getenv("UNIT_VALGRIND"))
        return t_end("emfile (not under valgrind)");

    /* a listener with a connection waiting to be accepted */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    w.lfd = co_listen_tcp("127.0.0.1", 0, 8, &port);
    CHECK(w.lfd >= 0);
    cfd = client(port);

    /* no descriptor left: the limit just above the highest in use, the
     * rest taken */
    CHECK(getrlimit(RLIMIT_NOFILE, &old) == 0);
    lim = old;
    lim.rlim_cur = (rlim_t)(cfd > w.lfd ? cfd : w.lfd) + 8;
    CHECK(setrlimit(RLIMIT_NOFILE, &lim) == 0);
    while (n < 64 && (fds[n] = dup(0)) >= 0)
        n++;
    CHECK(n > 0 && n < 64);
    w.spare = fds[--n];

    co_detach(co_spawn_on(l, server(&w)));
    co_detach(co_spawn_on(l, ticker(&w)));
    co_detach(co_spawn_on(l, closer(&w)));
    EQ(co_loop_run(l), 0);

    if (w.accepted < 0)
        fprintf(stderr, "accept: %s after %d tries\n", strerror(-w.accepted), w.emfiles);
    CHECK(w.accepted >= 0);             /* the server recovered */
    CHECK(w.emfiles >= 1);              /* after -EMFILE */
    CHECK(w.emfiles < MAXTRIES / 10);   /* pausing each time */
    CHECK(w.ticks_at_close >= 2);       /* the others ran meanwhile, */
    EQ(w.done_at_close, 0);             /* while the server retried */

    /* cancelled in its pause, and freed: the pause's timer goes too (the
     * loop ends, no timer fires into the freed frame) */
    if (w.accepted >= 0)
        close(w.accepted);
    cfd2 = client(port);                /* takes the descriptor again */
    w.emfiles = 0;
    w.victim = co_spawn_on(l, server(&w));
    co_detach(co_spawn_on(l, closer(&w)));
    EQ(co_loop_run(l), 0);
    CHECK(w.emfiles >= 1);

    for (i = 0; i < n; i++)
        close(fds[i]);
    CHECK(setrlimit(RLIMIT_NOFILE, &old) == 0);
    close(cfd);
    close(cfd2);
    if (w.lfd >= 0)
        close(w.lfd);
    co_loop_free(l);
    return t_end("emfile");
}
