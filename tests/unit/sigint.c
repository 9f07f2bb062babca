/*
 * sigint.c - unit test: co_loop_cancel_on_sigint.  SIGINT raised by a task
 * cancels every task (their defers run) and co_run returns -EINTR; SIGINT
 * from another thread wakes a loop blocked in poll; the previous handler
 * is back afterwards; one loop at a time; bad arguments.
 */
#include "t.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>


static volatile sig_atomic_t mine;
static int defers;

static void my_handler(int sig)
{
    (void)sig;
    mine++;
}

/* ---- async void worker(long ms): defer defers++; for (;;) await co_sleep(ms); */

struct worker__frame {
    int co_state;
    long ms;
    union {
        struct co_sleep__frame s;
    } u;
};

static void worker__init(long ms, struct worker__frame *f)
{
    f->co_state = 0;
    f->ms = ms;
}

static int worker__resume(struct worker__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (;;) {
        AWAIT(1, co_sleep, f->u.s, f->ms)
    }
}

static void worker__close(struct worker__frame *f)
{
    if (f->co_state == 1) {
        co_sleep__close(&f->u.s);
        defers++;
    }
    f->co_state = -1;
}

CO_VT_VOID(worker)

static co_task *worker(long ms)
{
    CO_ALLOC(worker);
    worker__init(ms, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int amain(void): ask, spawn workers, Ctrl-C yourself ---------- */

struct amain__frame {
    int co_state;
    int co_result;
    int i;
    union {
        struct co_sleep__frame s;
    } u;
};

static void amain__init(struct amain__frame *f)
{
    f->co_state = 0;
}

static int amain__resume(struct amain__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    EQ(co_loop_cancel_on_sigint(co_loop_current()), 0);
    EQ(co_loop_cancel_on_sigint(co_loop_current()), 0);    /* twice: fine */
    for (f->i = 0; f->i < 3; f->i++)
        co_detach(co_spawn(worker(2 + f->i)));
    AWAIT(1, co_sleep, f->u.s, 15)
    raise(SIGINT);
    EQ(mine, 0);
    AWAIT(2, co_sleep, f->u.s, 100000)
    f->co_result = 1;                   /* never */
    f->co_state = -1;
    return CO_DONE;
}

static void amain__close(struct amain__frame *f)
{
    if (f->co_state == 1 || f->co_state == 2) {
        co_sleep__close(&f->u.s);
        defers += 10;
    }
    f->co_state = -1;
}

CO_VT_INT(amain)

static co_task *amain(void)
{
    CO_ALLOC(amain);
    amain__init(&co_b->co_fr);
    return &co_b->co_hdr;
}

static void *ctrl_c(void *arg)
{
    struct timespec ts = { 0, 30 * 1000000L };

    (void)arg;
    nanosleep(&ts, NULL);
    kill(getpid(), SIGINT);
    return NULL;
}

int main(void)
{
    struct sigaction sa, now;
    co_loop *l, *l2;
    pthread_t th;
    double t0;
    int i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = my_handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);

    EQ(co_run(amain()), -EINTR);
    EQ(defers, 13);
    sigaction(SIGINT, NULL, &now);
    CHECK(now.sa_handler == my_handler);
    raise(SIGINT);
    EQ(mine, 1);

    /* a loop blocked in poll, SIGINT from another thread */
    defers = 0;
    l = co_loop_new(CO_BACKEND_DEFAULT);
    l2 = co_loop_new(CO_BACKEND_DEFAULT);
    EQ(co_loop_cancel_on_sigint(l), 0);
    EQ(co_loop_cancel_on_sigint(l2), -EBUSY);
    EQ(co_loop_cancel_on_sigint(NULL), -EINVAL);
    for (i = 0; i < 4; i++)
        co_detach(co_spawn_on(l, worker(100000)));
    t0 = t_ms();
    EQ(pthread_create(&th, NULL, ctrl_c, NULL), 0);
    EQ(co_loop_run(l), -EINTR);
    pthread_join(th, NULL);
    CHECK(t_ms() - t0 < 5000);
    EQ(defers, 4);
    EQ(mine, 1);
    sigaction(SIGINT, NULL, &now);
    CHECK(now.sa_handler == my_handler);
    EQ(co_loop_run(l), 0);              /* nothing left */
    EQ(co_loop_free(l), 0);
    /* l is gone: l2 may ask now; freeing it restores the handler */
    EQ(co_loop_cancel_on_sigint(l2), 0);
    sigaction(SIGINT, NULL, &now);
    CHECK(now.sa_handler != my_handler);
    EQ(co_loop_free(l2), 0);
    sigaction(SIGINT, NULL, &now);
    CHECK(now.sa_handler == my_handler);
    return t_end("sigint");
}
