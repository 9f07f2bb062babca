/*
 * args.c - unit test: sizes, counts, times and descriptors out of range.
 * Each is refused with an error code, or cut to what the runtime can
 * represent, and leaves the object usable: a channel capacity past its
 * ring index, a descriptor of 2^30 and more, a future waited for LONG_MAX
 * ms, a wait group added LONG_MIN or past LONG_MAX, timers of LONG_MAX
 * ms, semaphore and barrier counts and pool sizes at the ends of their
 * types, a negative listen backlog.
 */
#include "t.h"

#include <limits.h>
#include <pthread.h>

/* ---- async int fdwait(int fd, int out): await co_readable/co_writable ---- */

struct fdwait__frame {
    int co_state;
    int co_result;
    int fd, out;
    union {
        struct co_fdwait w;
    } u;
};

static int fdwait__resume(struct fdwait__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    if (f->out) {
        AWAIT(1, co_writable, f->u.w, f->fd)
    } else {
        AWAIT(2, co_readable, f->u.w, f->fd)
    }
    f->co_result = f->u.w.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void fdwait__close(struct fdwait__frame *f)
{
    if (f->co_state == 1)
        co_writable__close(&f->u.w);
    if (f->co_state == 2)
        co_readable__close(&f->u.w);
    f->co_state = -1;
}

CO_VT_INT(fdwait)

static co_task *fdwait(int fd, int out)
{
    CO_ALLOC(fdwait);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.fd = fd;
    co_b->co_fr.out = out;
    return &co_b->co_hdr;
}

/* ---- async int nap(long ms): await co_sleep(ms); return 7 ---------------- */

struct nap__frame {
    int co_state;
    int co_result;
    long ms;
    union {
        struct co_sleep__frame s;
    } u;
};

static int nap__resume(struct nap__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    f->co_result = f->u.s.co_result == 0 ? 7 : f->u.s.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void nap__close(struct nap__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_INT(nap)

static co_task *nap(long ms)
{
    CO_ALLOC(nap);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.ms = ms;
    return &co_b->co_hdr;
}

/* ---- async int wgwait(co_wg *wg): await co_wg_wait ------------------------ */

struct wgwait__frame {
    int co_state;
    int co_result;
    co_wg *wg;
    union {
        struct co_wg_wait__frame w;
    } u;
};

static int wgwait__resume(struct wgwait__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_wg_wait, f->u.w, f->wg)
    f->co_result = f->u.w.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void wgwait__close(struct wgwait__frame *f)
{
    if (f->co_state == 1)
        co_wg_wait__close(&f->u.w);
    f->co_state = -1;
}

CO_VT_INT(wgwait)

static co_task *wgwait(co_wg *wg)
{
    CO_ALLOC(wgwait);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.wg = wg;
    return &co_b->co_hdr;
}

/* Run l, where t was spawned, to its end; t's int result (t detached). */
static int run1(co_loop *l, co_task *t)
{
    int r = -12345;

    EQ(co_loop_run(l), 0);
    EQ(co_task_result(t, &r), 0);
    co_detach(t);
    return r;
}

/* A thread that runs loop l. */
static void *run_loop(void *l)
{
    EQ(co_loop_run(l), 0);
    return NULL;
}

/* Channel capacities: the ring's uint32_t index holds 2^31 values. */
static void capacities(void)
{
    size_t big = (size_t)1 << 31;
    co_chan *c;

    if (SIZE_MAX <= UINT32_MAX)
        return;
    errno = 0;
    EQ(co_chan_new(0, big + 1), NULL);
    EQ(errno, EINVAL);
    errno = 0;
    EQ(co_chan_new_shared(0, SIZE_MAX), NULL);
    EQ(errno, EINVAL);
    c = co_chan_new(0, big);    /* the largest: signals take no room */
    CHECK(c != NULL);
    EQ(co_try_send(c, NULL), 0);
    EQ(co_chan_len(c), 1);
    co_chan_free(c);
}

/* Descriptors from 2^30 up are bad, never an overflow. */
static void descriptors(co_loop *l)
{
    EQ(run1(l, co_spawn_on(l, fdwait(1 << 30, 0))), -EBADF);
    EQ(run1(l, co_spawn_on(l, fdwait(INT_MAX, 1))), -EBADF);
    EQ(run1(l, co_spawn_on(l, fdwait(INT_MIN, 0))), -EBADF);
}

/* A future waited for LONG_MAX ms (or any time too long to add to the
 * clock) waits until its task has finished. */
static void future_times(void)
{
    static const long forever[] = { LONG_MAX, LONG_MAX / 1000, LONG_MAX / 1000000 };
    co_loop *l;
    co_future *f;
    pthread_t th;
    int v;
    unsigned i;

    for (i = 0; i < sizeof forever / sizeof forever[0]; i++) {
        l = co_loop_new(CO_BACKEND_DEFAULT);
        f = co_spawn_threadsafe(l, nap(5));
        CHECK(f != NULL);
        CHECK(pthread_create(&th, NULL, run_loop, l) == 0);
        v = 0;
        EQ(co_future_wait(f, &v, forever[i]), 0);
        EQ(v, 7);
        pthread_join(th, NULL);
        co_future_free(f);
        co_loop_free(l);
    }
}

/* A wait group refuses a count below 0 or past LONG_MAX, unchanged. */
static void wait_group(co_loop *l)
{
    co_wg wg = CO_WG_INIT;
    co_task *w;

    EQ(co_wg_add(&wg, LONG_MIN), -EINVAL);
    EQ(co_wg_count(&wg), 0);
    EQ(co_wg_add(&wg, 5), 0);
    EQ(co_wg_add(&wg, LONG_MIN), -EINVAL);
    EQ(co_wg_add(&wg, -6), -EINVAL);
    EQ(co_wg_add(&wg, LONG_MAX), -EOVERFLOW);
    EQ(co_wg_count(&wg), 5);
    EQ(co_wg_add(&wg, LONG_MAX - 5), 0);
    EQ(co_wg_add(&wg, 1), -EOVERFLOW);
    EQ(co_wg_count(&wg), LONG_MAX);
    EQ(co_wg_add(&wg, -(LONG_MAX - 1)), 0);
    EQ(co_wg_count(&wg), 1);
    /* still usable: a waiter waits for the last done */
    w = co_spawn_on(l, wgwait(&wg));
    EQ(co_loop_stop(l), 0);
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(w), 0);
    EQ(co_wg_done(&wg), 0);
    EQ(run1(l, w), 0);
    EQ(co_wg_done(&wg), -EINVAL);
}

/* Semaphore and barrier counts and pool sizes at the ends of their types:
 * refused, or taken and usable. */
static void counts(co_loop *l)
{
    co_sem s;
    co_barrier b;

    EQ(co_sem_init(&s, LONG_MIN, 1), -EINVAL);
    EQ(co_sem_init(&s, 0, LONG_MIN), -EINVAL);
    EQ(co_sem_init(&s, LONG_MAX, LONG_MAX), 0);
    EQ(co_sem_release(&s), -EOVERFLOW);
    EQ(co_sem_try_acquire(&s), 0);
    EQ(co_sem_value(&s), LONG_MAX - 1);
    EQ(co_sem_release(&s), 0);
    EQ(co_sem_destroy(&s), 0);
    EQ(co_barrier_init(&b, LONG_MIN), -EINVAL);
    EQ(co_barrier_init(&b, LONG_MAX), 0);
    EQ(co_barrier_destroy(&b), 0);
    EQ(co_loop_set_threads(l, INT_MIN), -EINVAL);
    EQ(co_loop_set_threads(l, -1), -EINVAL);
    EQ(co_loop_set_threads(l, INT_MAX), -EINVAL);
    EQ(co_loop_set_threads(l, 1024), 0);
    EQ(co_loop_set_threads(l, 0), 0);
}

/* Timers of LONG_MAX ms are cut to about three years; a negative one is
 * refused. */
static void timers(co_loop *l)
{
    co_task *t = co_spawn_on(l, nap(LONG_MAX)), *u;

    u = co_spawn_on(l, nap(-1));
    EQ(co_loop_stop(l), 0);
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(t), 0);
    EQ(co_cancel(t), 0);
    co_detach(t);
    EQ(run1(l, u), -EINVAL);
}

int main(void)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);

    capacities();
    descriptors(l);
    future_times();
    wait_group(l);
    timers(l);
    counts(l);
    EQ(co_listen_tcp("127.0.0.1", 0, -1, NULL), -EINVAL);
    co_loop_free(l);
    return t_end("args");
}
