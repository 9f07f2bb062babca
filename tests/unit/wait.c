/*
 * wait.c - unit test: co_gather, co_wait, co_as_completed, after seed
 * 003's do_some_work(1), (2), (4) (in milliseconds here): gather waits for
 * all, gives their results (zeroed for a cancelled task) and their
 * references, reports the first failure in array order and refuses a call
 * that includes the gathering task without taking any; wait first-completed,
 * with a timeout, all, first-exception, each partitioning the array into
 * done and pending; as_completed in completion order and with a timeout
 * (errno tells its NULL results apart); more tasks than CO_WAIT_INLINE; a
 * cancelled waiter leaves its hooks; bad arguments.
 */
#include "t.h"

/* Durations of the tasks below whose order is the test, in units of GAP
 * ms: the closest deadlines are 5 units apart, so that a process kept off
 * the cores for a while (a loaded machine) does not reorder them. */
#define GAP 5

/* ---- async int waitall(co_task **ts, int n): await co_wait(ALL) ---------- */

struct waitall__frame {
    int co_state;
    int co_result;
    int n;
    co_task **ts;
    union {
        struct co_wait__frame w;
    } u;
};

static void waitall__init(co_task **ts, int n, struct waitall__frame *f)
{
    f->co_state = 0;
    f->ts = ts;
    f->n = n;
}

static int waitall__resume(struct waitall__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_wait, f->u.w, f->ts, f->n, CO_ALL_COMPLETED, -1)
    f->co_result = f->u.w.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void waitall__close(struct waitall__frame *f)
{
    if (f->co_state == 1)
        co_wait__close(&f->u.w);
    f->co_state = -1;
}

CO_VT_INT(waitall)

static co_task *waitall(co_task **ts, int n)
{
    CO_ALLOC(waitall);
    waitall__init(ts, n, &co_b->co_fr);
    return &co_b->co_hdr;
}

static void detach_all(co_task **ts, int n)
{
    int i;

    for (i = 0; i < n; i++)
        co_detach(ts[i]);
}

/* ---- async int amain(void) ------------------------------------------------- */

struct amain__frame {
    int co_state;
    int co_result;
    int i, n, r;
    int rs[10];
    double t0;
    unsigned long a0;
    co_task *ts[10], *t, *w;
    co_task *order[3];
    union {
        struct co_gather__frame g;
        struct co_wait__frame w;
        struct co_as_completed__frame a;
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
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    case 6: goto co_a6;
    case 7: goto co_a7;
    case 8: goto co_a8;
    case 9: goto co_a9;
    case 10: goto co_a10;
    case 11: goto co_a11;
    case 12: goto co_a12;
    case 13: goto co_a13;
    case 14: goto co_a14;
    case 15: goto co_a15;
    default: return CO_DONE;
    }
    /* gather: all three in the time of the longest (400 ms), not of
     * their sum (700): long enough that a loaded machine's late wake-ups
     * stay inside the margin */
    f->t0 = t_ms();
    f->ts[0] = co_spawn(t_work(T(100), 1));
    f->ts[1] = co_spawn(t_work(T(200), 2));
    f->ts[2] = co_spawn(t_work(T(400), 3));
    AWAIT(1, co_gather, f->u.g, f->ts, 3, f->rs)    /* gives them up */
    EQ(f->u.g.co_result, 0);
    CHECK((t_ms() - f->t0) / T(700) < 0.85);
    for (f->i = 0; f->i < 3; f->i++)
        EQ(f->rs[f->i], f->i + 1);

    /* gather: the first failure in array order; a cancelled task */
    f->ts[0] = co_spawn(t_work(T(5), 1));
    f->ts[1] = co_spawn(t_work(T(10), -5));
    f->ts[2] = co_spawn(t_work(T(1), -7));
    AWAIT(2, co_gather, f->u.g, f->ts, 3, f->rs)
    EQ(f->u.g.co_result, -5);
    EQ(f->rs[0], 1);
    EQ(f->rs[1], -5);
    EQ(f->rs[2], -7);
    f->ts[0] = co_spawn(t_work(T(5), 1));
    f->ts[1] = co_spawn(t_work(T(100000), 2));
    EQ(co_cancel(f->ts[1]), 0);
    f->rs[1] = 99;
    AWAIT(3, co_gather, f->u.g, f->ts, 2, f->rs)
    EQ(f->u.g.co_result, -ECANCELED);
    EQ(f->rs[0], 1);
    EQ(f->rs[1], 0);                    /* cancelled: zeroed */

    /* wait, first completed: done = {10}, pending = {40, 20} */
    f->ts[0] = co_spawn(t_work(T(40 * GAP), 4));
    f->ts[1] = co_spawn(t_work(T(10 * GAP), 1));
    f->ts[2] = co_spawn(t_work(T(20 * GAP), 2));
    AWAIT(4, co_wait, f->u.w, f->ts, 3, CO_FIRST_COMPLETED, -1)
    EQ(f->u.w.co_result, 1);
    EQ(co_task_result(f->ts[0], &f->r), 0);
    EQ(f->r, 1);
    EQ(co_task_done(f->ts[1]), 0);
    EQ(co_task_done(f->ts[2]), 0);
    /* wait with a timeout: the 20 finishes, the 40 does not */
    AWAIT(5, co_wait, f->u.w, f->ts + 1, 2, CO_ALL_COMPLETED, T(25 * GAP))
    EQ(f->u.w.co_result, 1);
    EQ(co_task_result(f->ts[1], &f->r), 0);
    EQ(f->r, 2);
    EQ(co_task_done(f->ts[2]), 0);
    /* wait for all */
    AWAIT(6, co_wait, f->u.w, f->ts, 3, CO_ALL_COMPLETED, -1)
    EQ(f->u.w.co_result, 3);
    detach_all(f->ts, 3);

    /* first exception: done = {10 (failed), 5} in their original order */
    f->ts[0] = co_spawn(t_work(T(40 * GAP), 4));
    f->ts[1] = co_spawn(t_work(T(10 * GAP), -3));
    f->ts[2] = co_spawn(t_work(T(5 * GAP), 5));
    AWAIT(7, co_wait, f->u.w, f->ts, 3, CO_FIRST_EXCEPTION, -1)
    EQ(f->u.w.co_result, 2);
    EQ(co_task_result(f->ts[0], &f->r), 0);
    EQ(f->r, -3);
    EQ(co_task_result(f->ts[1], &f->r), 0);
    EQ(f->r, 5);
    EQ(co_task_done(f->ts[2]), 0);
    /* timeout 0: just look */
    AWAIT(8, co_wait, f->u.w, f->ts, 3, CO_ALL_COMPLETED, 0)
    EQ(f->u.w.co_result, 2);
    co_cancel(f->ts[2]);
    detach_all(f->ts, 3);

    /* as_completed: in completion order */
    f->ts[0] = co_spawn(t_work(T(30 * GAP), 30));
    f->ts[1] = co_spawn(t_work(T(10 * GAP), 10));
    f->ts[2] = co_spawn(t_work(T(20 * GAP), 20));
    f->n = 3;
    /* first a timeout that comes before any, and a look that finds none:
     * NULL with errno ETIMEDOUT */
    errno = 0;
    AWAIT(9, co_as_completed, f->u.a, f->ts, &f->n, T(2 * GAP))
    CHECK(f->u.a.co_result == NULL);
    EQ(errno, ETIMEDOUT);
    EQ(f->n, 3);
    errno = 0;
    co_as_completed__init(f->ts, &f->n, 0, &f->u.a);
    EQ(co_as_completed__resume(&f->u.a, t), CO_DONE);
    CHECK(f->u.a.co_result == NULL);
    EQ(errno, ETIMEDOUT);
    for (f->i = 0; f->n > 0; f->i++) {
        AWAIT(10, co_as_completed, f->u.a, f->ts, &f->n, -1)
        f->order[f->i] = f->u.a.co_result;
        CHECK(f->order[f->i] != NULL);
        co_task_result(f->order[f->i], &f->r);
        EQ(f->r, 10 * (f->i + 1));
    }
    EQ(f->i, 3);
    AWAIT(11, co_as_completed, f->u.a, f->ts, &f->n, -1)
    CHECK(f->u.a.co_result == NULL);
    detach_all(f->order, 3);

    /* more tasks than the frame holds hooks for: one allocation */
    for (f->i = 0; f->i < 10; f->i++)
        f->ts[f->i] = co_spawn(t_work(1 + f->i, f->i));
    f->a0 = co_alloc_count();
    AWAIT(12, co_wait, f->u.w, f->ts, 10, CO_ALL_COMPLETED, -1)
    EQ(f->u.w.co_result, 10);
    EQ(co_alloc_count() - f->a0, 1);
    detach_all(f->ts, 10);

    /* a waiter cancelled and freed while its tasks still run */
    f->ts[0] = co_spawn(t_work(T(20), 1));
    f->ts[1] = co_spawn(t_work(T(10), 1));
    f->w = co_spawn(waitall(f->ts, 2));
    AWAIT(13, co_sleep, f->u.s, 2)
    EQ(co_cancel(f->w), 0);
    co_detach(f->w);
    AWAIT(14, co_gather, f->u.g, f->ts, 2, NULL)
    EQ(f->u.g.co_result, 0);

    /* bad arguments */
    f->ts[0] = co_spawn(t_work(T(1), 1));
    f->ts[1] = NULL;
    f->t = t_work(T(1), 1);                      /* never spawned */
    co_wait__init(f->ts, 2, CO_ALL_COMPLETED, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, -EINVAL);
    co_wait__init(f->ts, 1, 9, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, -EINVAL);
    co_wait__init(NULL, 1, CO_ALL_COMPLETED, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, -EINVAL);
    co_wait__init(f->ts, -1, CO_ALL_COMPLETED, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, -EINVAL);
    f->ts[1] = f->t;
    co_wait__init(f->ts, 2, CO_ALL_COMPLETED, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, -EINVAL);
    co_gather__init(NULL, 1, NULL, &f->u.g);
    EQ(co_gather__resume(&f->u.g, t), CO_DONE);
    EQ(f->u.g.co_result, -EINVAL);
    f->ts[1] = t;                               /* gathering itself */
    co_gather__init(f->ts, 2, f->rs, &f->u.g);
    EQ(co_gather__resume(&f->u.g, t), CO_DONE);
    EQ(f->u.g.co_result, -EDEADLK);
    EQ(co_task_done(f->ts[0]), 0);              /* refused: still held */
    f->ts[1] = f->t;
    co_as_completed__init(f->ts, NULL, -1, &f->u.a);
    errno = 0;
    EQ(co_as_completed__resume(&f->u.a, t), CO_DONE);
    CHECK(f->u.a.co_result == NULL);
    EQ(errno, EINVAL);
    f->n = 0;
    co_wait__init(NULL, 0, CO_ALL_COMPLETED, -1, &f->u.w);
    EQ(co_wait__resume(&f->u.w, t), CO_DONE);
    EQ(f->u.w.co_result, 0);
    /* gather over a never-spawned task: its status is -EINVAL */
    AWAIT(15, co_gather, f->u.g, f->ts, 2, NULL)
    EQ(f->u.g.co_result, -EINVAL);
    co_detach(f->t);                            /* left alone by gather */

    f->co_result = 99;
    f->co_state = -1;
    return CO_DONE;
}

static void amain__close(struct amain__frame *f)
{
    switch (f->co_state) {
    case 1: case 2: case 3: case 14: case 15:
        co_gather__close(&f->u.g);
        break;
    case 4: case 5: case 6: case 7: case 8: case 12:
        co_wait__close(&f->u.w);
        break;
    case 9: case 10: case 11:
        co_as_completed__close(&f->u.a);
        break;
    case 13:
        co_sleep__close(&f->u.s);
        break;
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

int main(void)
{
    EQ(co_run(amain()), 99);
    return t_end("wait");
}
