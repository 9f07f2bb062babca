/*
 * deadline.c - unit test: the steps of a deadline block (struct
 * co_deadline, cogen_impl.h) in the shape cogen generates, around a
 * co_sleep.  A deadline ends a long wait early (compared as a ratio) and
 * leaves a short one alone; 0 and negative deadlines have passed before
 * the first wait; a deadline whose timer cannot start (the heap's
 * allocation fails) counts as passed; a huge one is cut to CO_MAX_MS and
 * does not pass; a cancel inside stops the timer (the loop ends at once,
 * and the frame's memory is freed under the timer's feet otherwise:
 * ASan, valgrind); co_deadline_stop is safe in every state.
 */
#include "t.h"

#include <limits.h>

/* ---- async int bounded(long limit, long ms, int fail):
 *     co_timeout (limit) { await co_sleep(ms); return 1; } else return -1;
 * with fail, the allocation the deadline's timer makes fails. */

struct bounded__frame {
    int co_state;
    int co_result;
    long limit, ms;
    int fail;
    struct co_deadline co_d1;
    union {
        struct co_sleep__frame s;
    } u;
};

static void bounded__init(long limit, long ms, int fail, struct bounded__frame *f)
{
    f->co_state = 0;
    f->limit = limit;
    f->ms = ms;
    f->fail = fail;
}

static int bounded__resume(struct bounded__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    if (f->fail)
        t_fail_alloc(1);
    if (co_deadline_start(&f->co_d1, f->limit, t)) {
        co_sleep__init(f->ms, &f->u.s);
    co_a1:
        if (co_sleep__resume(&f->u.s, t) == CO_PENDING) {
            if (co_deadline_over(&f->co_d1)) {
                co_sleep__close(&f->u.s);
                co_deadline_stop(&f->co_d1);
                goto co_d1;
            }
            return co_suspend(t, &f->co_state, 1, T_WHERE);
        }
        co_deadline_stop(&f->co_d1);
        f->co_result = 1;
    } else {
    co_d1:
        f->co_result = -1;
    }
    t_fail_alloc(0);
    f->co_state = -1;
    return CO_DONE;
}

static void bounded__close(struct bounded__frame *f)
{
    if (f->co_state == 1) {
        co_sleep__close(&f->u.s);
        co_deadline_stop(&f->co_d1);
    }
    f->co_state = -1;
}

CO_VT_INT(bounded)

static co_task *bounded(long limit, long ms, int fail)
{
    CO_ALLOC(bounded);
    bounded__init(limit, ms, fail, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* Run bounded(limit, ms, fail) on a loop of its own: its result, and
 * the time it took in *took. */
static int run_one(long limit, long ms, int fail, double *took)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
    double t0 = t_ms();
    co_task *t = co_spawn_on(l, bounded(limit, ms, fail));
    EQ(co_loop_run(l), 0);
    *took = t_ms() - t0;
    int r = t_result(t);
    EQ(co_loop_free(l), 0);
    return r;
}

/* ---- async void cancel_after(co_task *t): a turn, then cancel t ---------- */

struct cancel_after__frame {
    int co_state;
    co_task *victim;
    union {
        struct co_sleep__frame s;
    } u;
};

static void cancel_after__init(co_task *victim, struct cancel_after__frame *f)
{
    f->co_state = 0;
    f->victim = victim;
}

static int cancel_after__resume(struct cancel_after__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, 5)
    EQ(co_cancel(f->victim), 0);
    f->co_state = -1;
    return CO_DONE;
}

static void cancel_after__close(struct cancel_after__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(cancel_after)

static co_task *cancel_after(co_task *victim)
{
    CO_ALLOC(cancel_after);
    cancel_after__init(victim, &co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    double took, quick;

    /* a deadline ends a long wait early, leaves a short one alone */
    EQ(run_one(T(30), T(3000), 0, &took), -1);
    CHECK(took < T(3000) / 3);
    EQ(run_one(T(3000), 1, 0, &quick), 1);
    CHECK(quick < T(3000) / 3);

    /* passed before the first wait: left without waiting for the timer */
    EQ(run_one(0, T(3000), 0, &took), -1);
    CHECK(took < T(3000) / 3);
    EQ(run_one(-5, T(3000), 0, &took), -1);
    CHECK(took < T(3000) / 3);
    EQ(run_one(LONG_MIN, T(3000), 0, &took), -1);

    /* a timer that cannot start: passed */
    EQ(run_one(T(5000), T(3000), 1, &took), -1);
    CHECK(took < T(3000) / 3);

    /* cut to CO_MAX_MS, far in the future: the wait ends on its own */
    EQ(run_one(LONG_MAX, 1, 0, &took), 1);

    /* a cancel inside stops the deadline's timer: the loop ends at once */
    {
        co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
        double t0 = t_ms();
        co_task *t = co_spawn_on(l, bounded(T(4000), T(4000), 0));
        co_spawn_on(l, cancel_after(t));
        EQ(co_loop_run(l), 0);
        CHECK(t_ms() - t0 < T(4000) / 3);
        CHECK(co_task_cancelled(t));
        co_detach(t);
        EQ(co_loop_free(l), 0);
    }

    /* stop in any state: zeroed, passed, twice */
    {
        struct co_deadline d = { { 0, NULL, 0, 0 } };
        co_deadline_stop(&d);
        EQ(co_deadline_start(&d, 0, NULL), 1);
        EQ(co_deadline_over(&d), 1);
        co_deadline_stop(&d);
        co_deadline_stop(&d);
        EQ(co_deadline_start(&d, 100, NULL), 1);   /* no task: passed */
        EQ(co_deadline_over(&d), 1);
        co_deadline_stop(&d);
    }
    return t_end("deadline");
}
