/*
 * args.c - unit test: sizes, counts, times and descriptors out of range.
 * Each is refused with an error code, or cut to what the runtime can
 * represent, and leaves the object usable: a channel capacity past its
 * ring index, a descriptor of 2^30 and more, a future waited for LONG_MAX
 * ms, a wait group added LONG_MIN or past LONG_MAX, timers of LONG_MAX
 * ms, semaphore and barrier counts and pool sizes at the ends of their
 * types, a negative listen backlog.  Then every function of cogen.h
 * with NULL, closed, finished, uninitialised or out-of-range arguments,
 * every awaitable among them: an error code at once, never an abort or a
 * wait.
 */
#include "t.h"

#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <unistd.h>

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
    EQ(co_loop_run(l), 0);
    return t_result(t);
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
        f = co_spawn_threadsafe(l, t_work(5, 7));
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
    co_task *t = co_spawn_on(l, t_work(LONG_MAX, 7)), *u;

    u = co_spawn_on(l, t_work(-1, 7));
    EQ(co_loop_stop(l), 0);
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(t), 0);
    EQ(co_cancel(t), 0);
    co_detach(t);
    EQ(run1(l, u), -EINVAL);
}

/* ---- bad arguments of every awaitable -----------------------------------
 * async int bad(int which): one await of the table below, with a NULL,
 * closed, unlocked, uninitialised or out-of-range argument; its result
 * (a pointer result as 1, or -errno for NULL).  Each must finish at once
 * with the error in the table: a wait would be a deadlock report. */

static struct {
    co_task *fresh;             /* never spawned */
    co_task *ts[1];             /* a finished task */
    co_task *nulls[2];
    co_chan *closed;
    co_case cases[CO_SELECT_MAX + 1], badop[1];
    co_sem zsem;                /* zeroed: uninitialised */
    co_barrier zbar;
    co_mutex m;                 /* never locked */
    co_cond c;
    int v, one, neg, file;
    char buf[4];
} E;

#define ANY_NEG 1               /* expected: some negative errno */

/* N, the awaitable, its frame in the union, its arguments; the result */
#define BAD_AWAITS(X)                                                       \
    X(1, co_join, j, -EINVAL, NULL, NULL)                                   \
    X(2, co_join, j, -EINVAL, E.fresh, NULL)                                \
    X(3, co_join, j, -EDEADLK, t, NULL)                                     \
    X(4, co_sleep, s, -EINVAL, -1)                                          \
    X(5, co_sleep, s, -EINVAL, LONG_MIN)                                    \
    X(6, co_readable, w, -EBADF, -1)                                        \
    X(7, co_writable, w, -EBADF, INT_MIN)                                   \
    X(8, co_send, ch, -EINVAL, NULL, &E.v)                                  \
    X(9, co_recv, ch, -EINVAL, NULL, &E.v)                                  \
    X(10, co_send, ch, -EPIPE, E.closed, &E.v)                              \
    X(11, co_recv, ch, 0, E.closed, &E.v)                                   \
    X(12, co_select, sel, -EINVAL, NULL, 1, 0)                              \
    X(13, co_select, sel, -EINVAL, E.cases, -1, 0)                          \
    X(14, co_select, sel, -EINVAL, E.cases, CO_SELECT_MAX + 1, 0)           \
    X(15, co_select, sel, -EINVAL, E.badop, 1, 0)                           \
    X(16, co_select, sel, -EINVAL, E.cases, INT_MIN, CO_SELECT_DEFAULT)     \
    X(17, co_gather, g, -EINVAL, NULL, 1, NULL)                             \
    X(18, co_gather, g, -EINVAL, E.ts, -1, NULL)                            \
    X(19, co_gather, g, -EINVAL, E.nulls, 2, NULL)                          \
    X(20, co_wait, wt, -EINVAL, NULL, 1, CO_ALL_COMPLETED, -1)              \
    X(21, co_wait, wt, -EINVAL, E.ts, -1, CO_ALL_COMPLETED, -1)             \
    X(22, co_wait, wt, -EINVAL, E.ts, 1, 7, -1)                             \
    X(23, co_wait, wt, -EINVAL, E.ts, 1, -1, LONG_MIN)                      \
    X(24, co_wait, wt, -EINVAL, E.nulls, 2, CO_FIRST_COMPLETED, -1)         \
    X(25, co_as_completed, asc, -EINVAL, NULL, &E.one, -1)                  \
    X(26, co_as_completed, asc, -EINVAL, E.ts, &E.neg, -1)                  \
    X(27, co_as_completed, asc, -EINVAL, E.nulls, &E.one, LONG_MIN)         \
    X(28, co_lock, sy, -EINVAL, NULL)                                       \
    X(29, co_sem_acquire, sy, -EINVAL, NULL)                                \
    X(30, co_sem_acquire, sy, -EINVAL, &E.zsem)                             \
    X(31, co_event_wait, sy, -EINVAL, NULL)                                 \
    X(32, co_cond_wait, cw, -EINVAL, NULL, &E.m)                            \
    X(33, co_cond_wait, cw, -EINVAL, &E.c, NULL)                            \
    X(34, co_cond_wait, cw, -EPERM, &E.c, &E.m)                             \
    X(35, co_barrier_wait, sy, -EINVAL, NULL)                               \
    X(36, co_barrier_wait, sy, -EINVAL, &E.zbar)                            \
    X(37, co_wg_wait, sy, -EINVAL, NULL)                                    \
    X(38, co_read, rd, -EBADF, -1, E.buf, 1)                                \
    X(39, co_read, rd, -EBADF, INT_MAX, E.buf, SIZE_MAX)                    \
    X(40, co_write, wr, -EBADF, -1, E.buf, 1)                               \
    X(41, co_write, wr, -EINVAL, E.file, E.buf, (size_t)INT_MAX + 1)        \
    X(42, co_accept, ac, -EBADF, -1)                                        \
    X(43, co_accept, ac, ANY_NEG, E.file)                                   \
    X(44, co_connect, cn, -EBADF, -1, NULL, 0)                              \
    X(45, co_connect, cn, ANY_NEG, E.file, NULL, 0)                         \
    X(46, co_future_join, fj, -EINVAL, NULL, NULL)                          \
    X(47, co_run_in_thread, rt, 0, NULL, NULL)                              \
    X(48, co_as_completed, asc, -EINVAL, E.ts, NULL, -1)                    \
    X(49, co_gather, g, 0, NULL, 0, NULL)                                   \
    X(50, co_wait, wt, 0, NULL, 0, CO_ALL_COMPLETED, 0)                     \
    X(51, co_cond_wait_for, cwf, -EINVAL, NULL, &E.m, 1)                    \
    X(52, co_cond_wait_for, cwf, -EINVAL, &E.c, NULL, 1)                    \
    X(53, co_cond_wait_for, cwf, -EPERM, &E.c, &E.m, LONG_MAX)              \
    X(54, co_cond_wait_for, cwf, -EPERM, &E.c, &E.m, LONG_MIN)

#define BAD_N 54               /* 0: the calls made from a task (inside) */

struct bad__frame {
    int co_state;
    int co_result;
    int which;
    union {
        struct co_join__frame j;
        struct co_sleep__frame s;
        struct co_fdwait w;
        struct co_chanop ch;
        struct co_select__frame sel;
        struct co_gather__frame g;
        struct co_wait__frame wt;
        struct co_as_completed__frame asc;
        struct co_syncw sy;
        struct co_cond_wait__frame cw;
        struct co_cond_wait_for__frame cwf;
        struct co_read__frame rd;
        struct co_write__frame wr;
        struct co_accept__frame ac;
        struct co_connect__frame cn;
        struct co_future_join__frame fj;
        struct co_run_in_thread__frame rt;
    } u;
};

/* An await's result as an int: a pointer as 1, or -errno for NULL. */
#define BAD_RES(r) _Generic((r), int: (r), default: ((r) ? 1 : -errno))

#define BAD_GOTO(N, P, FR, EXP, ...) case N: goto co_a##N;
#define BAD_CASE(N, P, FR, EXP, ...)                                        \
    case N:                                                                 \
        errno = 0;                                                          \
        AWAIT(N, P, f->u.FR, __VA_ARGS__)                                   \
        f->co_result = BAD_RES(f->u.FR.co_result);                          \
        break;
#define BAD_CLOSE(N, P, FR, EXP, ...) case N: P##__close(&f->u.FR); break;
#define BAD_EXP(N, P, FR, EXP, ...) [N] = EXP,
#define BAD_NAME(N, P, FR, EXP, ...) [N] = #P "(" #__VA_ARGS__ ")",

/* From a running task of loop l: the calls that must not be made there. */
static int inside(co_task *t)
{
    co_loop *l = co_loop_current();
    co_future *f;
    int bad = 0;

    bad += co_loop_run(l) != -EBUSY;
    bad += co_loop_run_forever(l) != -EBUSY;
    bad += co_loop_free(l) != -EBUSY;
    bad += co_loop_close(l) != -EBUSY;
    bad += co_loop_set_threads(l, -1) != -EINVAL;
    bad += co_spawn(t) != NULL;             /* already spawned */
    f = co_spawn_threadsafe(l, t_work(0, 7));
    bad += f == NULL;
    bad += co_future_wait(f, NULL, 0) != -EDEADLK;
    bad += co_future_wait(f, NULL, -1) != -EDEADLK;
    co_future_free(f);
    return -bad;
}

static int bad__resume(struct bad__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    BAD_AWAITS(BAD_GOTO)
    default: return CO_DONE;
    }
    switch (f->which) {
    case 0:
        f->co_result = inside(t);
        break;
    BAD_AWAITS(BAD_CASE)
    }
    f->co_state = -1;
    return CO_DONE;
}

static void bad__close(struct bad__frame *f)
{
    switch (f->co_state) {
    BAD_AWAITS(BAD_CLOSE)
    }
    f->co_state = -1;
}

CO_VT_INT(bad)

static co_task *bad(int which)
{
    CO_ALLOC(bad);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.which = which;
    return &co_b->co_hdr;
}

static void bad_awaits(co_loop *l)
{
    static const int expect[BAD_N + 1] = { BAD_AWAITS(BAD_EXP) };
    static const char *const name[BAD_N + 1] = { "inside(t)", BAD_AWAITS(BAD_NAME) };
    int n, r;

    E.fresh = t_work(1, 7);
    E.ts[0] = co_spawn_on(l, t_work(0, 7));
    EQ(run1(l, co_spawn_on(l, t_work(0, 7))), 7);
    E.closed = co_chan_new(sizeof(int), 1);
    co_chan_close(E.closed);
    E.badop[0] = (co_case){ 99, E.closed, &E.v, NULL };
    E.one = 1;
    E.neg = -1;
    E.file = open("/dev/null", O_RDWR | O_NONBLOCK);
    CHECK(E.file >= 0);
    for (n = 0; n <= BAD_N; n++) {
        co_task *t = co_spawn_on(l, bad(n));
        r = co_loop_run(l);
        if (r != 0 || co_task_done(t) != 1) {
            fprintf(stderr, "%s waits: co_loop_run gave %d\n", name[n], r);
            t_fails++;
            co_cancel(t);
            co_detach(t);
            continue;
        }
        co_task_result(t, &r);
        co_detach(t);
        if (expect[n] == ANY_NEG ? r >= 0 : r != expect[n]) {
            fprintf(stderr, "%s gave %d, not %d\n", name[n], r, expect[n]);
            t_fails++;
        }
    }
    co_detach(E.fresh);
    co_detach(E.ts[0]);
    co_chan_free(E.closed);
    close(E.file);
}

/* ---- NULL, closed and finished objects to the calls that do not wait ----- */

static void on_done_fn(co_task *t, void *arg)
{
    (void)t;
    ++*(int *)arg;
}

static void call_fn(void *arg)
{
    (void)arg;
}

/* Every non-waiting call of cogen.h given NULL. */
static void nulls(void)
{
    int v = 0;

    EQ(co_gen_next(NULL, &v), -EINVAL);
    EQ(co_gen_send(NULL, &v, &v), -EINVAL);
    EQ(co_gen_close(NULL), -EINVAL);
    co_free(NULL);
    EQ(co_spawn(NULL), NULL);
    EQ(co_spawn_on(NULL, NULL), NULL);
    EQ(co_cancel(NULL), -EINVAL);
    EQ(co_task_done(NULL), -EINVAL);
    EQ(co_task_cancelled(NULL), -EINVAL);
    EQ(co_task_result(NULL, &v), -EINVAL);
    EQ(co_task_on_done(NULL, on_done_fn, &v), -EINVAL);
    EQ(co_detach(NULL), -EINVAL);
    EQ(co_loop_backend(NULL), NULL);
    EQ(co_loop_run(NULL), -EINVAL);
    EQ(co_loop_stop(NULL), -EINVAL);
    EQ(co_loop_free(NULL), -EINVAL);
    EQ(co_loop_current(), NULL);
    EQ(co_loop_cancel_on_sigint(NULL), -EINVAL);
    EQ(co_loop_run_forever(NULL), -EINVAL);
    EQ(co_loop_call_threadsafe(NULL, call_fn, NULL), -EINVAL);
    EQ(co_loop_close(NULL), -EINVAL);
    EQ(co_loop_set_threads(NULL, 1), -EINVAL);
    errno = 0;
    EQ(co_loop_new(99), NULL);
    EQ(errno, EINVAL);
    errno = 0;
    EQ(co_loop_new(-1), NULL);
    EQ(errno, EINVAL);
    EQ(co_run(NULL), -EINVAL);
    EQ(co_timer_start(NULL, 1, NULL), -EINVAL);
    co_timer_stop(NULL);
    EQ(co_chan_close(NULL), -EINVAL);
    EQ(co_chan_free(NULL), -EINVAL);
    EQ(co_try_send(NULL, &v), -EINVAL);
    EQ(co_try_recv(NULL, &v), -EINVAL);
    EQ(co_chan_len(NULL), -EINVAL);
    EQ(co_mutex_init(NULL), -EINVAL);
    EQ(co_mutex_destroy(NULL), -EINVAL);
    EQ(co_try_lock(NULL), -EINVAL);
    EQ(co_unlock(NULL), -EINVAL);
    EQ(co_sem_init(NULL, 1, 1), -EINVAL);
    EQ(co_sem_destroy(NULL), -EINVAL);
    EQ(co_sem_try_acquire(NULL), -EINVAL);
    EQ(co_sem_release(NULL), -EINVAL);
    EQ(co_sem_value(NULL), -EINVAL);
    EQ(co_event_init(NULL), -EINVAL);
    EQ(co_event_set(NULL), -EINVAL);
    EQ(co_event_clear(NULL), -EINVAL);
    EQ(co_event_is_set(NULL), -EINVAL);
    EQ(co_cond_init(NULL), -EINVAL);
    EQ(co_cond_signal(NULL), -EINVAL);
    EQ(co_cond_broadcast(NULL), -EINVAL);
    EQ(co_barrier_init(NULL, 1), -EINVAL);
    EQ(co_barrier_destroy(NULL), -EINVAL);
    EQ(co_wg_init(NULL), -EINVAL);
    EQ(co_wg_add(NULL, 1), -EINVAL);
    EQ(co_wg_done(NULL), -EINVAL);
    EQ(co_wg_count(NULL), -EINVAL);
    EQ(co_set_nonblock(-1), -EBADF);
    EQ(co_close(-1), -EBADF);
    errno = 0;
    EQ(co_spawn_threadsafe(NULL, NULL), NULL);
    EQ(errno, EINVAL);
    EQ(co_future_wait(NULL, &v, 0), -EINVAL);
    EQ(co_future_done(NULL), -EINVAL);
    EQ(co_future_cancel(NULL), -EINVAL);
    EQ(co_future_free(NULL), -EINVAL);
}

/* Uninitialised, used-up, closed and finished objects; out-of-range
 * values the other parts do not try. */
static void used_up(co_loop *l)
{
    co_mutex m = CO_MUTEX_INIT;
    co_sem s = CO_SEM_INIT(1, 1), zs;
    co_barrier zb;
    co_chan *ch;
    co_task *t;
    co_future *f;
    co_loop *shut;
    co_timer tm;
    int v = 5, calls = 0, port;

    memset(&zs, 0, sizeof zs);
    memset(&zb, 0, sizeof zb);
    memset(&tm, 0, sizeof tm);
    EQ(co_unlock(&m), -EPERM);
    EQ(co_try_lock(&m), 0);
    EQ(co_mutex_destroy(&m), -EBUSY);
    EQ(co_try_lock(&m), -EBUSY);
    EQ(co_unlock(&m), 0);
    EQ(co_mutex_destroy(&m), 0);
    EQ(co_sem_release(&s), -EOVERFLOW);
    EQ(co_sem_init(&s, 2, 1), -EINVAL);
    EQ(co_sem_init(&s, -1, 1), -EINVAL);
    EQ(co_sem_try_acquire(&zs), -EINVAL);
    EQ(co_sem_release(&zs), -EINVAL);
    EQ(co_sem_value(&zs), -EINVAL);
    EQ(co_barrier_init(&zb, 0), -EINVAL);
    EQ(co_barrier_init(&zb, -1), -EINVAL);
    EQ(co_barrier_destroy(&zb), -EINVAL);

    /* a closed channel */
    ch = co_chan_new(sizeof v, 2);
    EQ(co_try_send(ch, &v), 0);
    EQ(co_chan_close(ch), 0);
    EQ(co_chan_close(ch), -EPIPE);
    EQ(co_try_send(ch, &v), -EPIPE);
    EQ(co_try_recv(ch, &v), 1);
    EQ(co_try_recv(ch, &v), 0);
    EQ(co_try_recv(ch, NULL), 0);
    EQ(co_try_send(ch, NULL), -EINVAL);     /* NULL elem, elem_size > 0 */
    co_chan_free(ch);
    errno = 0;
    EQ(co_chan_new(SIZE_MAX, 1), NULL);
    EQ(errno, EINVAL);
    errno = 0;
    EQ(co_chan_new((size_t)1 << 33, 0), NULL);
    EQ(errno, EINVAL);

    /* a new task, then a finished one */
    t = t_work(0, 7);
    EQ(co_cancel(t), 0);            /* marked: never runs */
    EQ(co_task_result(t, &v), -ECANCELED);
    EQ(co_task_on_done(t, on_done_fn, &calls), -EINVAL);
    EQ(co_timer_start(&tm, 1, t), -EINVAL);     /* not spawned */
    EQ(co_detach(t), 0);
    t = co_spawn_on(l, t_work(0, 7));
    EQ(co_spawn_on(l, t), NULL);    /* already spawned */
    EQ(co_loop_run(l), 0);
    EQ(co_task_done(t), 1);
    EQ(co_cancel(t), -EALREADY);
    EQ(co_task_cancelled(t), 0);
    EQ(co_task_result(t, NULL), 0);
    EQ(co_task_on_done(t, on_done_fn, &calls), 0);
    EQ(co_task_on_done(t, NULL, NULL), -EINVAL);
    EQ(co_loop_run(l), 0);
    EQ(calls, 1);
    EQ(co_spawn_on(l, t), NULL);
    co_detach(t);

    /* a future whose task finished, of a loop that closed */
    shut = co_loop_new(CO_BACKEND_DEFAULT);
    f = co_spawn_threadsafe(shut, t_work(0, 7));
    EQ(co_loop_run(shut), 0);
    EQ(co_future_done(f), 1);
    EQ(co_future_wait(f, &v, LONG_MIN), 0);
    EQ(v, 7);
    EQ(co_future_cancel(f), -EALREADY);
    EQ(co_loop_close(shut), 0);
    EQ(co_loop_close(shut), 0);
    EQ(co_loop_call_threadsafe(shut, call_fn, NULL), -ESHUTDOWN);
    EQ(co_loop_call_threadsafe(shut, NULL, NULL), -EINVAL);
    errno = 0;
    EQ(co_spawn_threadsafe(shut, t_work(0, 7)), NULL);    /* the handle is freed */
    EQ(errno, ESHUTDOWN);
    EQ(co_future_wait(f, NULL, 0), 0);
    co_future_free(f);
    EQ(co_loop_free(shut), 0);

    EQ(co_listen_tcp("not an address", 0, 1, NULL), -EINVAL);
    EQ(co_listen_tcp("127.0.0.1", -1, 1, NULL), -EINVAL);
    EQ(co_listen_tcp("127.0.0.1", 65536, 1, &port), -EINVAL);
    EQ(co_listen_tcp("127.0.0.1", INT_MIN, INT_MIN, NULL), -EINVAL);
    EQ(co_close(INT_MAX), -EBADF);
    EQ(co_set_nonblock(INT_MAX), -EBADF);
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
    bad_awaits(l);
    nulls();
    used_up(l);
    co_loop_free(l);
    return t_end("args");
}
