/*
 * timer.c - unit test: timers and co_sleep.  Sleepers wake in deadline
 * order; concurrent sleeps take the time of one (compared as ratios);
 * co_sleep(0) lets the others run; many timers with random deadlines,
 * half of them cancelled from the middle of the heap, wake in order and
 * never early; co_timeout's generated shape around co_recv times out and
 * leaves the channel, or takes the value; bad arguments.
 */
#include "t.h"

static char logbuf[256];
static int loglen;

static void logc(char c)
{
    if (loglen < (int)sizeof logbuf - 1) {
        logbuf[loglen++] = c;
        logbuf[loglen] = 0;
    }
}

/* ---- async void sleeper(char id, long ms, double *woke) ----------------- */

struct sleeper__frame {
    int co_state;
    char id;
    long ms;
    double *woke;
    union {
        struct co_sleep__frame s;
    } u;
};

static void sleeper__init(char id, long ms, double *woke, struct sleeper__frame *f)
{
    f->co_state = 0;
    f->id = id;
    f->ms = ms;
    f->woke = woke;
}

static int sleeper__resume(struct sleeper__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    EQ(f->u.s.co_result, 0);
    logc(f->id);
    if (f->woke)
        *f->woke = t_ms();
    f->co_state = -1;
    return CO_DONE;
}

static void sleeper__close(struct sleeper__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(sleeper)

static co_task *sleeper(char id, long ms, double *woke)
{
    CO_ALLOC(sleeper);
    sleeper__init(id, ms, woke, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void sendlater(co_chan *ch, int v, long ms) ------------------- */

struct sendlater__frame {
    int co_state;
    int v;
    co_chan *ch;
    long ms;
    union {
        struct co_sleep__frame s;
        struct co_send__frame c;
    } u;
};

static void sendlater__init(co_chan *ch, int v, long ms, struct sendlater__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
    f->v = v;
    f->ms = ms;
}

static int sendlater__resume(struct sendlater__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    AWAIT(2, co_send, f->u.c, f->ch, &f->v)
    EQ(f->u.c.co_result, 0);
    f->co_state = -1;
    return CO_DONE;
}

static void sendlater__close(struct sendlater__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    if (f->co_state == 2)
        co_send__close(&f->u.c);
    f->co_state = -1;
}

CO_VT_VOID(sendlater)

static co_task *sendlater(co_chan *ch, int v, long ms)
{
    CO_ALLOC(sendlater);
    sendlater__init(ch, v, ms, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int main_(void): the checks that need a task ------------------ */

struct main___frame {
    int co_state;
    int co_result;
    co_chan *ch;
    int v;
    double t0;
    co_timer tm;
    union {
        struct co_sleep__frame s;
        struct tmo_recv__frame r;
    } u;
};

static void main___init(struct main___frame *f)
{
    f->co_state = 0;
}

static int main___resume(struct main___frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    default: return CO_DONE;
    }
    /* co_sleep(-1): -EINVAL at once */
    AWAIT(1, co_sleep, f->u.s, -1)
    EQ(f->u.s.co_result, -EINVAL);

    /* co_timeout around a receive that nobody serves */
    f->ch = co_chan_new(sizeof(int), 0);
    f->t0 = t_ms();
    AWAIT(2, tmo_recv, f->u.r, 20, f->ch, &f->v)
    EQ(f->u.r.co_result, -ETIMEDOUT);
    CHECK(t_ms() - f->t0 >= 19);
    f->v = 5;
    EQ(co_try_send(f->ch, &f->v), -EAGAIN);     /* the receiver left */

    /* ... and around one that is served before the timeout: the value
     * comes, the timer goes (the loop does not wait for it) */
    co_detach(co_spawn(sendlater(f->ch, 77, 5)));
    AWAIT(3, tmo_recv, f->u.r, 10000, f->ch, &f->v)
    EQ(f->u.r.co_result, 1);
    EQ(f->v, 77);

    /* the timer API */
    EQ(co_timer_start(NULL, 1, t), -EINVAL);
    EQ(co_timer_start(&f->tm, -1, t), -EINVAL);
    EQ(co_timer_start(&f->tm, 1, NULL), -EINVAL);
    EQ(co_timer_fired(NULL), 0);
    co_timer_stop(NULL);
    memset(&f->tm, 0, sizeof f->tm);
    co_timer_stop(&f->tm);                      /* zeroed: fine */
    EQ(co_timer_start(&f->tm, 1, t), 0);
    EQ(co_timer_fired(&f->tm), 0);
    AWAIT(4, co_sleep, f->u.s, 5)
    EQ(co_timer_fired(&f->tm), 1);
    co_timer_stop(&f->tm);
    EQ(co_timer_fired(&f->tm), 0);
    EQ(co_timer_start(&f->tm, 1000, t), 0);
    co_timer_stop(&f->tm);                      /* pending: leaves the heap */
    AWAIT(5, co_sleep, f->u.s, 0)
    co_chan_free(f->ch);
    CHECK(t_ms() - f->t0 < 5000);
    f->co_result = 7;
    f->co_state = -1;
    return CO_DONE;
}

static void main___close(struct main___frame *f)
{
    switch (f->co_state) {
    case 1: case 4: case 5:
        co_sleep__close(&f->u.s);
        break;
    case 2: case 3:
        tmo_recv__close(&f->u.r);
        break;
    }
    f->co_state = -1;
}

CO_VT_INT(main_)

static co_task *main_(void)
{
    CO_ALLOC(main_);
    main___init(&co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- many timers: async void tick(int i, long ms, int *order, int *n) ----- */

static long long deadline[2000];

struct tick__frame {
    int co_state;
    int i;
    long ms;
    int *order, *n;
    union {
        struct co_sleep__frame s;
    } u;
};

static void tick__init(int i, long ms, int *order, int *n, struct tick__frame *f)
{
    f->co_state = 0;
    f->i = i;
    f->ms = ms;
    f->order = order;
    f->n = n;
}

static int tick__resume(struct tick__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    /* The timer's own deadline (ns): a clock read beside the await would
     * be off by however long the machine kept this thread off a core. */
    deadline[f->i] = f->u.s.tm.when;
    CHECK((long long)(t_ms() * 1e6) >= deadline[f->i] - 1000000);
    f->order[(*f->n)++] = f->i;
    f->co_state = -1;
    return CO_DONE;
}

static void tick__close(struct tick__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(tick)

static co_task *tick(int i, long ms, int *order, int *n)
{
    CO_ALLOC(tick);
    tick__init(i, ms, order, n, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void canceller(co_task **ts, int n): cancel every third ------- */

struct canceller__frame {
    int co_state;
    int n;
    co_task **ts;
};

static void canceller__init(co_task **ts, int n, struct canceller__frame *f)
{
    f->co_state = 0;
    f->ts = ts;
    f->n = n;
}

static int canceller__resume(struct canceller__frame *f, co_task *t)
{
    int i;

    (void)t;
    for (i = 0; i < f->n; i += 3)
        EQ(co_cancel(f->ts[i]), 0);
    f->co_state = -1;
    return CO_DONE;
}

static void canceller__close(struct canceller__frame *f)
{
    f->co_state = -1;
}

CO_VT_VOID(canceller)

static co_task *canceller(co_task **ts, int n)
{
    CO_ALLOC(canceller);
    canceller__init(ts, n, &co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    co_loop *l;
    double t0, w[3], one;
    static int order[2000], cancelled[2000];
    static co_task *ts[2000];
    int n = 0, i, k, nt = (int)t_scale(2000);
    unsigned seed = 12345;

    /* deadline order, whatever the spawn order; 100 ms apart, so that the
     * loop's thread losing its core between two sleepers' first steps (on
     * a loaded machine, under valgrind) does not reorder their deadlines */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    co_spawn_on(l, sleeper('a', T(300), NULL));
    co_spawn_on(l, sleeper('b', T(100), NULL));
    co_spawn_on(l, sleeper('c', T(200), NULL));
    EQ(co_loop_run(l), 0);
    STREQ(logbuf, "bca");
    EQ(co_loop_free(l), 0);

    /* three 60 ms sleeps together take about as long as one */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    t0 = t_ms();
    co_spawn_on(l, sleeper('x', 60, &w[0]));
    EQ(co_loop_run(l), 0);
    one = t_ms() - t0;
    t0 = t_ms();
    for (i = 0; i < 3; i++)
        co_spawn_on(l, sleeper('x', 60, &w[i]));
    EQ(co_loop_run(l), 0);
    CHECK(one >= 59);
    CHECK((t_ms() - t0) / one < 2.0);   /* one after another would be 3 */
    EQ(co_loop_free(l), 0);

    /* co_sleep(0) is a yield: co_run's own checks */
    EQ(co_run(main_()), 7);

    /* many timers, random deadlines, a third cancelled while pending */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    for (i = 0; i < nt; i++) {
        seed = seed * 1103515245u + 12345u;
        ts[i] = co_spawn_on(l, tick(i, 1 + (long)(seed >> 16) % 40, order, &n));
    }
    /* runs once every tick waits, and cancels a third of them */
    co_spawn_on(l, canceller(ts, nt));
    for (i = 0, k = 0; i < nt; i += 3, k++)
        cancelled[i] = 1;
    EQ(co_loop_run(l), 0);
    EQ(n, nt - k);
    for (i = 0; i < n; i++) {
        CHECK(!cancelled[order[i]]);
        if (i > 0)
            CHECK(deadline[order[i - 1]] <= deadline[order[i]]);
    }
    EQ(co_loop_free(l), 0);
    return t_end("timer");
}
