/*
 * select.c - unit test: co_select.  A ready case completes at once; the
 * default case; a waiting select woken by one channel leaves the others
 * (a later send there finds nobody); send cases; closed channels are ready
 * (recv 0, send -EPIPE); NULL channels never; one select sending and
 * receiving on the same channel; two selects served in arrival order;
 * random choice among ready cases; cases copied at the start; cancelling
 * a waiting select; CO_AFTER cases (a timer: the shortest wins, 0 ms is
 * ready, a channel case first stops it); bad
 * arguments.
 */
#include "t.h"

/* ---- async void sel(co_case *cases, int n, int flags, int *out) --------- */

struct sel__frame {
    int co_state;
    int n, flags;
    int *out;
    co_case *cases;
    union {
        struct co_select__frame s;
    } u;
};

static void sel__init(co_case *cases, int n, int flags, int *out, struct sel__frame *f)
{
    f->co_state = 0;
    f->cases = cases;
    f->n = n;
    f->flags = flags;
    f->out = out;
}

static int sel__resume(struct sel__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_select, f->u.s, f->cases, f->n, f->flags)
    *f->out = f->u.s.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static void sel__close(struct sel__frame *f)
{
    if (f->co_state == 1)
        co_select__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(sel)

static co_task *sel(co_case *cases, int n, int flags, int *out)
{
    CO_ALLOC(sel);
    sel__init(cases, n, flags, out, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void fair(co_chan *a, co_chan *b, int rounds, int *hits) -------
 * both channels always have a value: count which case select picks */

struct fair__frame {
    int co_state;
    int rounds, i, v;
    int *hits;
    co_chan *a, *b;
    union {
        struct co_select__frame s;
    } u;
};

static void fair__init(co_chan *a, co_chan *b, int rounds, int *hits, struct fair__frame *f)
{
    f->co_state = 0;
    f->a = a;
    f->b = b;
    f->rounds = rounds;
    f->hits = hits;
}

static int fair__resume(struct fair__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->rounds; f->i++) {
        EQ(co_try_send(f->a, &f->i), 0);
        EQ(co_try_send(f->b, &f->i), 0);
        /* a compound literal: the select copies the cases */
        AWAIT(1, co_select, f->u.s, ((co_case[]){ { CO_RECV, f->a, &f->v, NULL },
                                                 { CO_RECV, f->b, &f->v, NULL } }), 2, 0)
        EQ(f->v, f->i);
        f->hits[f->u.s.co_result]++;
        EQ(co_try_recv(f->u.s.co_result ? f->a : f->b, &f->v), 1);
    }
    f->co_state = -1;
    return CO_DONE;
}

static void fair__close(struct fair__frame *f)
{
    if (f->co_state == 1)
        co_select__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(fair)

static co_task *fair(co_chan *a, co_chan *b, int rounds, int *hits)
{
    CO_ALLOC(fair);
    fair__init(a, b, rounds, hits, &co_b->co_fr);
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
    co_chan *a, *b, *c;
    co_case cs[4], big[CO_SELECT_MAX + 1];
    int out, out2, va, vb, res0, res1, v, hits[2] = { 0, 0 };
    co_task *t, *t2;

    L = co_loop_new(CO_BACKEND_DEFAULT);
    a = co_chan_new(sizeof(int), 0);
    b = co_chan_new(sizeof(int), 1);

    /* one case ready: it completes at once */
    v = 5;
    EQ(co_try_send(b, &v), 0);
    cs[0] = (co_case){ CO_RECV, a, &va, &res0 };
    cs[1] = (co_case){ CO_RECV, b, &vb, &res1 };
    out = -99;
    co_detach(co_spawn_on(L, sel(cs, 2, 0, &out)));
    run();
    EQ(out, 1);
    EQ(vb, 5);
    EQ(res1, 1);

    /* none ready, with a default */
    out = -99;
    co_detach(co_spawn_on(L, sel(cs, 2, CO_SELECT_DEFAULT, &out)));
    run();
    EQ(out, -EAGAIN);

    /* none ready: waits; a send on b wakes it; it left a */
    out = -99;
    t = co_spawn_on(L, sel(cs, 2, 0, &out));
    run();
    EQ(co_task_done(t), 0);
    v = 6;
    EQ(co_try_send(b, &v), 0);      /* handed straight to the select */
    EQ(co_chan_len(b), 0);
    run();
    EQ(out, 1);
    EQ(vb, 6);
    EQ(co_try_send(a, &v), -EAGAIN);
    co_detach(t);

    /* a send case, taken by a receiver that arrives later */
    cs[2] = (co_case){ CO_SEND, a, &v, &res0 };
    v = 8;
    res0 = 1;
    out = -99;
    t = co_spawn_on(L, sel(&cs[1], 2, 0, &out));
    run();
    v = 9;                          /* the value is read when it is sent */
    EQ(co_try_recv(a, &va), 1);
    EQ(va, 9);
    run();
    EQ(out, 1);
    EQ(res0, 0);
    co_detach(t);

    /* closed channels are ready: recv gives 0, send -EPIPE */
    c = co_chan_new(sizeof(int), 0);
    EQ(co_chan_close(c), 0);
    cs[3] = (co_case){ CO_RECV, c, &va, &res0 };
    va = 3;
    out = -99;
    co_detach(co_spawn_on(L, sel(&cs[3], 1, 0, &out)));
    run();
    EQ(out, 0);
    EQ(res0, 0);
    EQ(va, 0);
    cs[3].op = CO_SEND;
    res0 = 1;
    co_detach(co_spawn_on(L, sel(&cs[3], 1, 0, &out)));
    run();
    EQ(out, 0);
    EQ(res0, -EPIPE);
    EQ(co_chan_free(c), 0);

    /* a waiting select woken by close */
    cs[3] = (co_case){ CO_RECV, NULL, &va, NULL };  /* never ready */
    c = co_chan_new(sizeof(int), 0);
    cs[2] = (co_case){ CO_RECV, c, &va, &res0 };
    res0 = 5;
    out = -99;
    co_detach(co_spawn_on(L, sel(&cs[2], 2, 0, &out)));
    run();
    EQ(out, -99);
    EQ(co_chan_close(c), 0);
    run();
    EQ(out, 0);
    EQ(res0, 0);
    EQ(co_chan_free(c), 0);

    /* NULL channels only: the default, or waiting for ever */
    out = -99;
    co_detach(co_spawn_on(L, sel(&cs[3], 1, CO_SELECT_DEFAULT, &out)));
    run();
    EQ(out, -EAGAIN);
    out = -99;
    t = co_spawn_on(L, sel(NULL, 0, 0, &out));
    EQ(co_loop_run(L), -EDEADLK);
    EQ(co_cancel(t), 0);
    co_detach(t);

    /* one select both sending and receiving on an unbuffered channel */
    c = co_chan_new(sizeof(int), 0);
    cs[0] = (co_case){ CO_SEND, c, &va, &res0 };
    cs[1] = (co_case){ CO_RECV, c, &vb, &res1 };
    va = 41;
    out = -99;
    t = co_spawn_on(L, sel(cs, 2, 0, &out));
    run();
    EQ(co_try_recv(c, &v), 1);      /* a receiver takes the send case */
    EQ(v, 41);
    run();
    EQ(out, 0);
    EQ(res0, 0);
    co_detach(t);
    out = -99;
    t = co_spawn_on(L, sel(cs, 2, 0, &out));
    run();
    v = 42;
    EQ(co_try_send(c, &v), 0);      /* a sender takes the receive case */
    run();
    EQ(out, 1);
    EQ(vb, 42);
    EQ(res1, 1);
    EQ(co_try_send(c, &v), -EAGAIN);    /* nothing left in the queue */
    co_detach(t);

    /* two selects on the same channel are served in arrival order */
    cs[0] = (co_case){ CO_RECV, c, &va, NULL };
    cs[1] = (co_case){ CO_RECV, a, &vb, NULL };
    out = out2 = -99;
    t = co_spawn_on(L, sel(cs, 2, 0, &out));
    t2 = co_spawn_on(L, sel(cs, 1, 0, &out2));
    run();
    v = 1;
    EQ(co_try_send(c, &v), 0);
    run();
    EQ(out, 0);
    EQ(out2, -99);
    EQ(co_try_send(a, &v), -EAGAIN);    /* the first select left a */
    v = 2;
    EQ(co_try_send(c, &v), 0);
    run();
    EQ(out2, 0);
    EQ(va, 2);
    co_detach(t);
    co_detach(t2);

    /* cancelling a waiting select takes it out of every queue */
    t = co_spawn_on(L, sel(cs, 2, 0, &out));
    run();
    EQ(co_cancel(t), 0);
    EQ(co_try_send(c, &v), -EAGAIN);
    EQ(co_try_send(a, &v), -EAGAIN);
    co_detach(t);
    EQ(co_chan_free(c), 0);

    /* random choice among ready cases: neither starves */
    {
        co_chan *x = co_chan_new(sizeof(int), 1), *y = co_chan_new(sizeof(int), 1);
        co_detach(co_spawn_on(L, fair(x, y, 1000, hits)));
        run();
        EQ(hits[0] + hits[1], 1000);
        CHECK(hits[0] > 300 && hits[1] > 300);
        co_chan_free(x);
        co_chan_free(y);
    }

    /* CO_AFTER: the shortest delay fires when no channel is ready */
    {
        long ms5 = 5, ms500 = 500, ms0 = 0;
        co_case tc[3] = { { CO_AFTER, NULL, &ms500, NULL }, { CO_RECV, a, &va, NULL },
                          { CO_AFTER, NULL, &ms5, NULL } };
        out = -99;
        co_detach(co_spawn_on(L, sel(tc, 3, 0, &out)));
        run();
        EQ(out, 2);
        EQ(co_try_send(a, &v), -EAGAIN);    /* it left a */
        tc[0].elem = &ms0;                  /* 0 ms: ready at once */
        out = -99;
        co_detach(co_spawn_on(L, sel(tc, 3, 0, &out)));
        run();
        EQ(out, 0);
        /* a channel case first: the timer is stopped (a fired one would
         * touch the freed frame: ASan and valgrind say) */
        tc[0].elem = &ms500;
        out = out2 = -99;
        v = 9;
        co_case snd[1] = { { CO_SEND, a, &v, NULL } };
        co_detach(co_spawn_on(L, sel(tc, 3, 0, &out)));
        co_detach(co_spawn_on(L, sel(snd, 1, 0, &out2)));
        run();
        EQ(out, 1);
        EQ(out2, 0);
        EQ(va, 9);
    }

    /* bad arguments */
    out = -99;
    memset(big, 0, sizeof big);
    for (v = 0; v <= CO_SELECT_MAX; v++)
        big[v] = (co_case){ CO_RECV, a, &va, NULL };
    co_detach(co_spawn_on(L, sel(big, CO_SELECT_MAX + 1, 0, &out)));
    run();
    EQ(out, -EINVAL);
    co_detach(co_spawn_on(L, sel(NULL, 1, 0, &out)));
    out = -99;
    run();
    EQ(out, -EINVAL);
    co_detach(co_spawn_on(L, sel(big, -1, 0, &out)));
    out = -99;
    run();
    EQ(out, -EINVAL);
    big[0].op = 7;
    co_detach(co_spawn_on(L, sel(big, 1, 0, &out)));
    out = -99;
    run();
    EQ(out, -EINVAL);
    /* CO_SELECT_MAX cases are fine */
    v = 4;
    EQ(co_try_send(b, &v), 0);
    big[0].op = CO_RECV;
    big[CO_SELECT_MAX - 1] = (co_case){ CO_RECV, b, &vb, NULL };
    co_detach(co_spawn_on(L, sel(big, CO_SELECT_MAX, 0, &out)));
    out = -99;
    run();
    EQ(out, CO_SELECT_MAX - 1);
    EQ(vb, 4);

    co_chan_free(a);
    co_chan_free(b);
    EQ(co_loop_free(L), 0);
    return t_end("select");
}
