/*
 * cancel.c - unit test: cancellation at a deep suspension point.
 *
 *     async void leaf(co_chan *ch)  { defer log('L'); int v; await co_recv(ch, &v); log('x'); }
 *     async void mid(co_chan *ch)   { defer log('M'); await leaf(ch); log('y'); }
 *     async void top(co_chan *ch)   { defer log('T'); { defer log('U'); await mid(ch); } }
 *
 * Cancelling top while it waits in leaf's co_recv runs the defers innermost
 * first (LMUT), takes the task out of the channel's queue (a send then
 * finds nobody: the dead task is not woken) and ends it cancelled; its
 * joiner wakes.  Also: a task waiting in co_sleep (the timer goes), in a
 * co_join (the hook goes: the joined task finishes later without touching
 * the dead frame), a task cancelling itself (at its next await; or not at
 * all if it returns first), and a woken task that keeps the value it was
 * handed and is cancelled at its next await.
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

static void logreset(void)
{
    loglen = 0;
    logbuf[0] = 0;
}

/* ---- leaf ------------------------------------------------------------------ */

struct leaf__frame {
    int co_state;
    int v;
    co_chan *ch;
    union {
        struct co_recv__frame r;
    } u;
};

static void leaf__init(co_chan *ch, struct leaf__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
}

static int leaf__resume(struct leaf__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_recv, f->u.r, f->ch, &f->v)
    logc((char)('0' + f->v));
    logc('x');
    logc('L');                  /* the defer, on the normal path */
    f->co_state = -1;
    return CO_DONE;
}

static void leaf__close(struct leaf__frame *f)
{
    if (f->co_state == 1) {
        co_recv__close(&f->u.r);
        logc('L');
    }
    f->co_state = -1;
}

/* ---- mid ------------------------------------------------------------------- */

struct mid__frame {
    int co_state;
    co_chan *ch;
    union {
        struct leaf__frame l;
    } u;
};

static void mid__init(co_chan *ch, struct mid__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
}

static int mid__resume(struct mid__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, leaf, f->u.l, f->ch)
    logc('y');
    logc('M');
    f->co_state = -1;
    return CO_DONE;
}

static void mid__close(struct mid__frame *f)
{
    if (f->co_state == 1) {
        leaf__close(&f->u.l);
        logc('M');
    }
    f->co_state = -1;
}

/* ---- top ------------------------------------------------------------------- */

struct top__frame {
    int co_state;
    co_chan *ch;
    union {
        struct mid__frame m;
    } u;
};

static void top__init(co_chan *ch, struct top__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
}

static int top__resume(struct top__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, mid, f->u.m, f->ch)
    logc('U');
    logc('T');
    f->co_state = -1;
    return CO_DONE;
}

static void top__close(struct top__frame *f)
{
    if (f->co_state == 1) {
        mid__close(&f->u.m);
        logc('U');
        logc('T');
    }
    f->co_state = -1;
}

CO_VT_VOID(top)

static co_task *top(co_chan *ch)
{
    CO_ALLOC(top);
    top__init(ch, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int napper(long ms): defer log('N'); await co_sleep(ms); ------- */

struct napper__frame {
    int co_state;
    int co_result;
    long ms;
    union {
        struct co_sleep__frame s;
    } u;
};

static void napper__init(long ms, struct napper__frame *f)
{
    f->co_state = 0;
    f->ms = ms;
}

static int napper__resume(struct napper__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    logc('N');
    f->co_result = 1;
    f->co_state = -1;
    return CO_DONE;
}

static void napper__close(struct napper__frame *f)
{
    if (f->co_state == 1) {
        co_sleep__close(&f->u.s);
        logc('N');
    }
    f->co_state = -1;
}

CO_VT_INT(napper)

static co_task *napper(long ms)
{
    CO_ALLOC(napper);
    napper__init(ms, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int waiter(co_task *x): defer log('W'); return await co_join(x, NULL); */

struct waiter__frame {
    int co_state;
    int co_result;
    co_task *x;
    union {
        struct co_join__frame j;
    } u;
};

static void waiter__init(co_task *x, struct waiter__frame *f)
{
    f->co_state = 0;
    f->x = x;
}

static int waiter__resume(struct waiter__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_join, f->u.j, f->x, NULL)
    logc('W');
    f->co_result = f->u.j.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void waiter__close(struct waiter__frame *f)
{
    if (f->co_state == 1) {
        co_join__close(&f->u.j);
        logc('W');
    }
    f->co_state = -1;
}

CO_VT_INT(waiter)

static co_task *waiter(co_task *x)
{
    CO_ALLOC(waiter);
    waiter__init(x, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void selfish(int await_after): cancel itself, then maybe await --- */

struct selfish__frame {
    int co_state;
    int await_after;
    union {
        struct co_sleep__frame s;
    } u;
};

static void selfish__init(int await_after, struct selfish__frame *f)
{
    f->co_state = 0;
    f->await_after = await_after;
}

static int selfish__resume(struct selfish__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    EQ(co_cancel(t), 0);        /* running: takes effect at the next await */
    EQ(co_task_done(t), 0);
    logc('s');
    if (f->await_after) {
        AWAIT(1, co_sleep, f->u.s, 1)
        logc('!');              /* never */
    }
    logc('e');
    f->co_state = -1;
    return CO_DONE;
}

static void selfish__close(struct selfish__frame *f)
{
    if (f->co_state == 1) {
        co_sleep__close(&f->u.s);
        logc('D');
    }
    f->co_state = -1;
}

CO_VT_VOID(selfish)

static co_task *selfish(int await_after)
{
    CO_ALLOC(selfish);
    selfish__init(await_after, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void killer(co_task *x, long ms, int detach) ------------------ */

struct killer__frame {
    int co_state;
    int detach;
    long ms;
    co_task *x;
    union {
        struct co_sleep__frame s;
    } u;
};

static void killer__init(co_task *x, long ms, int detach, struct killer__frame *f)
{
    f->co_state = 0;
    f->x = x;
    f->ms = ms;
    f->detach = detach;
}

static int killer__resume(struct killer__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    EQ(co_cancel(f->x), 0);
    if (f->detach)
        EQ(co_detach(f->x), 0);
    f->co_state = -1;
    return CO_DONE;
}

static void killer__close(struct killer__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(killer)

static co_task *killer(co_task *x, long ms, int detach)
{
    CO_ALLOC(killer);
    killer__init(x, ms, detach, &co_b->co_fr);
    return &co_b->co_hdr;
}

static co_loop *L;

static void run(void)
{
    int r = co_loop_run(L);

    CHECK(r == 0 || r == -EDEADLK);
}

int main(void)
{
    co_chan *ch;
    co_task *t, *j, *x;
    int v, r;
    double t0;

    L = co_loop_new(CO_BACKEND_DEFAULT);

    /* deep: defers innermost first, unregistered, joiner wakes */
    ch = co_chan_new(sizeof(int), 0);
    t = co_spawn_on(L, top(ch));
    j = co_spawn_on(L, waiter(co_task_ref(t)));    /* its join gives one up */
    run();
    EQ(co_task_done(t), 0);
    EQ(co_cancel(t), 0);
    STREQ(logbuf, "LMUT");
    EQ(co_task_done(t), 1);
    EQ(co_task_cancelled(t), 1);
    v = 1;
    EQ(co_try_send(ch, &v), -EAGAIN);       /* nobody waits any more */
    run();
    STREQ(logbuf, "LMUTW");
    EQ(co_task_result(j, &r), 0);
    EQ(r, -ECANCELED);
    EQ(co_cancel(t), -EALREADY);
    co_detach(t);
    co_detach(j);

    /* the same chain, served normally */
    logreset();
    t = co_spawn_on(L, top(ch));
    run();
    v = 3;
    EQ(co_try_send(ch, &v), 0);
    run();
    STREQ(logbuf, "3xLyMUT");
    EQ(co_task_cancelled(t), 0);
    co_detach(t);

    /* a woken task keeps its value and dies at its next await */
    logreset();
    t = co_spawn_on(L, top(ch));
    run();
    v = 4;
    EQ(co_try_send(ch, &v), 0);             /* t is queued, value in hand */
    EQ(co_cancel(t), 0);
    EQ(co_task_done(t), 0);
    run();
    STREQ(logbuf, "4xLyMUT");               /* no await left: it ended */
    EQ(co_task_cancelled(t), 0);
    co_detach(t);

    /* cancelling a sleeper from another task: its timer goes (the loop
     * does not wait for it), its defer runs */
    logreset();
    t0 = t_ms();
    t = co_spawn_on(L, napper(100000));
    co_detach(co_spawn_on(L, killer(t, 2, 0)));
    run();
    CHECK(t_ms() - t0 < 5000);
    STREQ(logbuf, "N");
    EQ(co_task_cancelled(t), 1);
    co_detach(t);

    /* a joiner cancelled and detached while it waits: the joined task
     * finishes later and must not touch the dead frame (200 ms after the
     * cancel's 2: on a loaded machine both timers can be due at once) */
    logreset();
    x = co_spawn_on(L, napper(T(200)));
    j = co_spawn_on(L, waiter(co_task_ref(x)));    /* the join detaches one */
    co_detach(co_spawn_on(L, killer(j, 2, 1)));
    run();
    STREQ(logbuf, "WN");
    EQ(co_task_result(x, &r), 0);
    EQ(r, 1);
    co_detach(x);

    /* self-cancel: effective at the next await, or not at all */
    logreset();
    t = co_spawn_on(L, selfish(1));
    j = co_spawn_on(L, selfish(0));
    run();
    STREQ(logbuf, "sDse");     /* closed as soon as it suspends */
    EQ(co_task_cancelled(t), 1);
    EQ(co_task_cancelled(j), 0);
    EQ(co_task_result(j, NULL), 0);
    co_detach(t);
    co_detach(j);

    co_chan_free(ch);
    EQ(co_loop_free(L), 0);
    return t_end("cancel");
}
