/*
 * task.c - unit test: tasks and the loop.  co_run and results, FIFO order
 * of the run queue, co_join (giving the result and the reference; twice
 * with two references, after the end, bad targets), results, done
 * callbacks and their order, cancelling fresh/waiting/finished tasks,
 * detach and ownership (tasks never joined nor detached are freed by the
 * loop: the leak checkers say so), co_loop_stop, bad arguments.
 */
#include "t.h"

static char logbuf[512];
static int loglen;

static void logs(const char *s)
{
    while (*s && loglen < (int)sizeof logbuf - 1)
        logbuf[loglen++] = *s++;
    logbuf[loglen] = 0;
}

static void logreset(void)
{
    loglen = 0;
    logbuf[0] = 0;
}

static void logc(char c)
{
    char s[2] = { c, 0 };
    logs(s);
}

/* ---- async void yielder(char id, int n): log id, yield; n times; then log id+1 */

struct yielder__frame {
    int co_state;
    char id;
    int n, i;
    union {
        struct co_sleep__frame s;
    } u;
};

static void yielder__init(char id, int n, struct yielder__frame *f)
{
    f->co_state = 0;
    f->id = id;
    f->n = n;
}

static int yielder__resume(struct yielder__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->n; f->i++) {
        logc(f->id);
        AWAIT(1, co_sleep, f->u.s, 0)
    }
    logc((char)(f->id + 1));
    f->co_state = -1;
    return CO_DONE;
}

static void yielder__close(struct yielder__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(yielder)

static co_task *yielder(char id, int n)
{
    CO_ALLOC(yielder);
    yielder__init(id, n, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- a done callback that logs its argument and checks the result ---------- */

static void cb_log(co_task *t, void *arg)
{
    int r = 0;

    CHECK(co_task_done(t) == 1);
    if (co_task_result(t, &r) == 0)
        CHECK(r > 0);
    logs(arg);
}

static void cb_detach(co_task *t, void *arg)
{
    logs(arg);
    EQ(co_detach(t), 0);
}

/* ---- async int joiner(void): joins, results, callbacks, cancel ------------- */

struct joiner__frame {
    int co_state;
    int co_result;
    co_task *x, *y, *z;
    int r;
    double t0;
    union {
        struct co_join__frame j;
        struct co_sleep__frame s;
    } u;
};

static void joiner__init(struct joiner__frame *f)
{
    f->co_state = 0;
}

static int joiner__resume(struct joiner__frame *f, co_task *t)
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
    default: return CO_DONE;
    }
    CHECK(co_loop_current() != NULL);
    f->x = co_spawn(t_work(2, 3));
    f->y = co_spawn(t_work(0, 7));
    CHECK(f->x && f->y);
    EQ(co_task_result(f->x, &f->r), -EAGAIN);
    EQ(co_task_done(f->x), 0);
    EQ(co_task_on_done(f->x, cb_log, "a"), 0);
    EQ(co_task_on_done(f->x, cb_log, "b"), 0);
    EQ(co_task_ref(f->x), f->x);    /* two references: two joins */
    AWAIT(1, co_join, f->u.j, f->x, &f->r)
    EQ(f->u.j.co_result, 0);
    EQ(f->r, 3);
    logc('j');
    STREQ(logbuf, "abj");           /* callbacks run before the joiner */
    EQ(co_task_result(f->x, &f->r), 0);     /* one reference left */
    /* a callback added to a finished task runs soon, not now */
    EQ(co_task_on_done(f->x, cb_log, "c"), 0);
    STREQ(logbuf, "abj");
    AWAIT(4, co_sleep, f->u.s, 0)
    STREQ(logbuf, "abjc");
    f->r = 0;
    AWAIT(2, co_join, f->u.j, f->x, &f->r)  /* the last one: x is freed */
    EQ(f->u.j.co_result, 0);
    EQ(f->r, 3);
    EQ(co_task_ref(f->y), f->y);    /* kept past the join */
    AWAIT(3, co_join, f->u.j, f->y, &f->r)
    EQ(f->u.j.co_result, 0);
    EQ(f->r, 7);
    EQ(co_task_result(f->y, NULL), 0);
    EQ(co_task_done(f->y), 1);
    EQ(co_task_cancelled(f->y), 0);
    EQ(co_detach(f->y), 0);

    /* cancel a waiting task: at once, its timer leaves the heap (the loop
     * does not wait for it), its callback runs from the loop */
    f->t0 = t_ms();
    f->x = co_spawn(t_work(5000, 10));
    AWAIT(5, co_sleep, f->u.s, 0)           /* x starts and waits */
    EQ(co_task_on_done(f->x, cb_log, "x"), 0);
    EQ(co_cancel(f->x), 0);
    EQ(co_task_done(f->x), 1);
    EQ(co_task_cancelled(f->x), 1);
    STREQ(logbuf, "abjc");
    EQ(co_task_result(f->x, &f->r), -ECANCELED);
    EQ(co_task_ref(f->x), f->x);        /* kept past the join */
    f->r = 99;
    AWAIT(6, co_join, f->u.j, f->x, &f->r)  /* finished: no suspension */
    EQ(f->u.j.co_result, -ECANCELED);
    EQ(f->r, 0);                        /* no result: zeroed */
    STREQ(logbuf, "abjc");
    AWAIT(12, co_sleep, f->u.s, 0)
    STREQ(logbuf, "abjcx");
    EQ(co_cancel(f->x), -EALREADY);
    EQ(co_detach(f->x), 0);

    /* cancel a spawned task that never ran: it never will */
    f->x = co_spawn(yielder('Q', 3));
    EQ(co_cancel(f->x), 0);
    EQ(co_task_done(f->x), 1);
    AWAIT(7, co_join, f->u.j, f->x, NULL)
    EQ(f->u.j.co_result, -ECANCELED);
    CHECK(strchr(logbuf, 'Q') == NULL);

    /* a task detached before it ends, by a callback, never joined */
    f->x = co_spawn(t_work(1, 2));
    EQ(co_task_on_done(f->x, cb_detach, "r"), 0);
    f->x = NULL;
    f->y = co_spawn(t_work(3, 4));
    AWAIT(8, co_join, f->u.j, f->y, NULL)
    CHECK(strchr(logbuf, 'r') != NULL);
    co_detach(co_spawn(t_work(1, 1)));    /* fire and forget */
    /* a task that is never detached nor joined: co_run frees it */
    co_spawn(t_work(1, 2));
    /* a detached task that has not finished yet has no reference left */
    f->z = co_spawn(t_work(1, 3));
    EQ(co_detach(f->z), 0);
    AWAIT(13, co_join, f->u.j, f->z, NULL)
    EQ(f->u.j.co_result, -EINVAL);
    CHECK(co_task_ref(f->z) == NULL);
    EQ(co_detach(f->z), -EINVAL);

    /* bad targets */
    AWAIT(9, co_join, f->u.j, NULL, NULL)
    EQ(f->u.j.co_result, -EINVAL);
    f->z = t_work(0, 2);                        /* not spawned */
    AWAIT(10, co_join, f->u.j, f->z, NULL)
    EQ(f->u.j.co_result, -EINVAL);
    EQ(co_task_on_done(f->z, cb_log, "z"), -EINVAL);
    EQ(co_detach(f->z), 0);
    AWAIT(11, co_join, f->u.j, t, NULL)
    EQ(f->u.j.co_result, -EDEADLK);
    CHECK(t_ms() - f->t0 < 2500);

    f->co_result = 42;
    f->co_state = -1;
    return CO_DONE;
}

static void joiner__close(struct joiner__frame *f)
{
    switch (f->co_state) {
    case 1: case 2: case 3: case 6: case 7: case 8: case 9: case 10:
    case 11: case 13:
        co_join__close(&f->u.j);
        break;
    case 4: case 5: case 12:
        co_sleep__close(&f->u.s);
        break;
    }
    f->co_state = -1;
}

CO_VT_INT(joiner)

static co_task *joiner(void)
{
    CO_ALLOC(joiner);
    joiner__init(&co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void stopper(void): stop the loop, then log ---------------------- */

struct stopper__frame {
    int co_state;
    union {
        struct co_sleep__frame s;
    } u;
};

static void stopper__init(struct stopper__frame *f)
{
    f->co_state = 0;
}

static int stopper__resume(struct stopper__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    logc('s');
    EQ(co_loop_stop(co_loop_current()), 0);
    AWAIT(1, co_sleep, f->u.s, 0)
    logc('S');
    f->co_state = -1;
    return CO_DONE;
}

static void stopper__close(struct stopper__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(stopper)

static co_task *stopper(void)
{
    CO_ALLOC(stopper);
    stopper__init(&co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    co_loop *l;
    co_task *a, *b, *c;

    /* co_run gives the result */
    EQ(co_run(t_work(1, 5)), 5);
    EQ(co_run(yielder('v', 1)), 0);     /* void: 0 */
    logreset();
    EQ(co_run(joiner()), 42);

    /* FIFO: each task yields twice; they interleave in spawn order */
    logreset();
    l = co_loop_new(CO_BACKEND_DEFAULT);
    CHECK(l != NULL);
    CHECK(co_loop_current() == NULL);
    a = co_spawn_on(l, yielder('a', 2));
    b = co_spawn_on(l, yielder('c', 2));
    c = co_spawn_on(l, yielder('e', 2));
    CHECK(a && b && c);
    EQ(co_loop_run(l), 0);
    STREQ(logbuf, "aceacebdf");
    EQ(co_task_done(a), 1);
    EQ(co_detach(a), 0);
    /* b and c are never joined nor detached: co_loop_free frees them */
    EQ(co_loop_free(l), 0);

    /* co_loop_stop: run returns; what is queued runs at the next run */
    logreset();
    l = co_loop_new(CO_BACKEND_DEFAULT);
    co_spawn_on(l, stopper());
    co_spawn_on(l, yielder('x', 1));
    EQ(co_loop_run(l), 0);
    STREQ(logbuf, "s");
    EQ(co_loop_run(l), 0);
    STREQ(logbuf, "sxSy");
    EQ(co_loop_free(l), 0);

    /* a loop freed with tasks that never ran and tasks waiting */
    logreset();
    l = co_loop_new(CO_BACKEND_DEFAULT);
    co_spawn_on(l, yielder('m', 5));
    co_spawn_on(l, t_work(100000, 2));
    EQ(co_loop_free(l), 0);
    STREQ(logbuf, "");

    /* bad arguments */
    EQ(co_loop_run(NULL), -EINVAL);
    EQ(co_loop_free(NULL), -EINVAL);
    EQ(co_loop_stop(NULL), -EINVAL);
    CHECK(co_loop_backend(NULL) == NULL);
    CHECK(co_spawn(NULL) == NULL);
    CHECK(co_spawn(t_work(0, 3)) == NULL);      /* no loop here: freed */
    CHECK(co_spawn_on(NULL, t_work(0, 3)) == NULL);
    EQ(co_cancel(NULL), -EINVAL);
    EQ(co_task_done(NULL), -EINVAL);
    EQ(co_task_cancelled(NULL), -EINVAL);
    EQ(co_task_result(NULL, NULL), -EINVAL);
    EQ(co_task_on_done(NULL, cb_log, NULL), -EINVAL);
    EQ(co_detach(NULL), -EINVAL);
    CHECK(co_task_ref(NULL) == NULL);
    CHECK(co_loop_new(77) == NULL);
    a = t_work(0, 3);
    EQ(co_task_on_done(a, NULL, NULL), -EINVAL);
    EQ(co_cancel(a), 0);                        /* new: marked cancelled */
    EQ(co_task_done(a), 1);
    EQ(co_task_result(a, NULL), -ECANCELED);
    EQ(co_cancel(a), -EALREADY);
    l = co_loop_new(CO_BACKEND_POLL);
    CHECK(co_spawn_on(l, a) == NULL);           /* cancelled: not spawned */
    EQ(co_detach(a), 0);
    a = co_spawn_on(l, t_work(0, 3));
    CHECK(co_spawn_on(l, a) == NULL);           /* twice: refused, kept */
    EQ(co_loop_run(l), 0);
    EQ(co_task_result(a, NULL), 0);
    EQ(co_loop_free(l), 0);
    return t_end("task");
}
