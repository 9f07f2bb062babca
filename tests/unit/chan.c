/*
 * chan.c - unit test: channels.  Rendezvous (a send completes only when a
 * receiver takes the value), buffered FIFO with a blocked sender moving
 * in, Go's close semantics (send -> -EPIPE, also for a waiting sender;
 * recv drains then 0 with a zeroed value), FIFO fairness among waiting
 * senders and receivers, zero-size values, dropped values, freeing a
 * channel with waiters, no allocation per operation, bad arguments.
 */
#include "t.h"

/* ---- async void sender(co_chan *ch, int from, int n, int *res, int *sent) */

struct sender__frame {
    int co_state;
    int v, from, n, i;
    int *res, *sent;
    co_chan *ch;
    union {
        struct co_send__frame s;
    } u;
};

static void sender__init(co_chan *ch, int from, int n, int *res, int *sent,
                         struct sender__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
    f->from = from;
    f->n = n;
    f->res = res;
    f->sent = sent;
}

static int sender__resume(struct sender__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->n; f->i++) {
        f->v = f->from + f->i;
        AWAIT(1, co_send, f->u.s, f->ch, &f->v)
        if (f->res)
            *f->res = f->u.s.co_result;
        if (f->u.s.co_result < 0)
            break;
        if (f->sent)
            ++*f->sent;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void sender__close(struct sender__frame *f)
{
    if (f->co_state == 1)
        co_send__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(sender)

static co_task *sender(co_chan *ch, int from, int n, int *res, int *sent)
{
    CO_ALLOC(sender);
    sender__init(ch, from, n, res, sent, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void receiver(co_chan *ch, int max, int *got, int *n, int *last)
 * receives until max values or a result <= 0 (stored in *last) ----------- */

struct receiver__frame {
    int co_state;
    int v, max;
    int *got, *n, *last;
    co_chan *ch;
    union {
        struct co_recv__frame r;
    } u;
};

static void receiver__init(co_chan *ch, int max, int *got, int *n, int *last,
                           struct receiver__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
    f->max = max;
    f->got = got;
    f->n = n;
    f->last = last;
}

static int receiver__resume(struct receiver__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    while (*f->n < f->max) {
        f->v = -1;
        AWAIT(1, co_recv, f->u.r, f->ch, &f->v)
        if (f->last)
            *f->last = f->u.r.co_result;
        if (f->u.r.co_result <= 0) {
            if (f->u.r.co_result == 0)
                EQ(f->v, 0);            /* closed: zeroed */
            break;
        }
        f->got[(*f->n)++] = f->v;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void receiver__close(struct receiver__frame *f)
{
    if (f->co_state == 1)
        co_recv__close(&f->u.r);
    f->co_state = -1;
}

CO_VT_VOID(receiver)

static co_task *receiver(co_chan *ch, int max, int *got, int *n, int *last)
{
    CO_ALLOC(receiver);
    receiver__init(ch, max, got, n, last, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void pingpong(co_chan *a, co_chan *b, int n, int first) ------- */

struct pp__frame {
    int co_state;
    int v, n, i, first;
    co_chan *a, *b;
    union {
        struct co_send__frame s;
        struct co_recv__frame r;
    } u;
};

static void pp__init(co_chan *a, co_chan *b, int n, int first, struct pp__frame *f)
{
    f->co_state = 0;
    f->a = a;
    f->b = b;
    f->n = n;
    f->first = first;
}

static int pp__resume(struct pp__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->n; f->i++) {
        if (f->first) {
            f->v = f->i;
            AWAIT(1, co_send, f->u.s, f->a, &f->v)
        }
        AWAIT(2, co_recv, f->u.r, f->b, &f->v)
        EQ(f->u.r.co_result, 1);
        EQ(f->v, f->i);
        if (!f->first) {
            co_send__init(f->a, &f->v, &f->u.s);
            f->co_state = 3;
    co_a3:
            if (co_send__resume(&f->u.s, t) == CO_PENDING)
                return CO_PENDING;
        }
    }
    f->co_state = -1;
    return CO_DONE;
}

static void pp__close(struct pp__frame *f)
{
    if (f->co_state == 1 || f->co_state == 3)
        co_send__close(&f->u.s);
    if (f->co_state == 2)
        co_recv__close(&f->u.r);
    f->co_state = -1;
}

CO_VT_VOID(pp)

static co_task *pp(co_chan *a, co_chan *b, int n, int first)
{
    CO_ALLOC(pp);
    pp__init(a, b, n, first, &co_b->co_fr);
    return &co_b->co_hdr;
}

static co_loop *L;

/* Run the loop until every task has finished or waits: tasks left
 * waiting on purpose make it report a deadlock, which is fine here. */
static void run(void)
{
    int r = co_loop_run(L);

    CHECK(r == 0 || r == -EDEADLK);
}

int main(void)
{
    co_chan *ch, *c2;
    int got[64], n, last, res, sent, v, i, res2;
    co_task *s, *r;
    unsigned long a0;

    L = co_loop_new(CO_BACKEND_DEFAULT);

    /* rendezvous: the sender waits until a receiver takes the value */
    ch = co_chan_new(sizeof(int), 0);
    sent = 0;
    res = 1;
    s = co_spawn_on(L, sender(ch, 10, 3, &res, &sent));
    run();
    EQ(sent, 0);
    EQ(co_task_done(s), 0);
    EQ(co_chan_len(ch), 0);
    EQ(co_try_recv(ch, &v), 1);                 /* take it from the sender */
    EQ(v, 10);
    run();
    EQ(sent, 1);
    n = 0;
    r = co_spawn_on(L, receiver(ch, 2, got, &n, NULL));
    run();
    EQ(n, 2);
    EQ(got[0], 11);
    EQ(got[1], 12);
    EQ(sent, 3);
    EQ(co_task_done(s), 1);
    EQ(co_try_send(ch, &v), -EAGAIN);           /* nobody there */
    EQ(co_try_recv(ch, &v), -EAGAIN);
    co_detach(s);
    co_detach(r);

    /* a waiting receiver gets a try_send's value */
    n = 0;
    r = co_spawn_on(L, receiver(ch, 1, got, &n, NULL));
    run();
    v = 99;
    EQ(co_try_send(ch, &v), 0);
    run();
    EQ(n, 1);
    EQ(got[0], 99);
    co_detach(r);
    EQ(co_chan_free(ch), 0);

    /* buffered: FIFO; a full buffer makes senders wait; they move in */
    ch = co_chan_new(sizeof(int), 3);
    for (i = 1; i <= 3; i++)
        EQ(co_try_send(ch, &i), 0);
    EQ(co_try_send(ch, &i), -EAGAIN);
    EQ(co_chan_len(ch), 3);
    sent = 0;
    s = co_spawn_on(L, sender(ch, 4, 2, &res, &sent));
    run();
    EQ(sent, 0);
    for (i = 1; i <= 4; i++) {              /* 4 moved in when 1 left */
        EQ(co_try_recv(ch, &v), 1);
        EQ(v, i);
    }
    EQ(co_chan_len(ch), 0);
    run();                                  /* the sender sends 5 */
    EQ(co_try_recv(ch, &v), 1);
    EQ(v, 5);
    run();
    EQ(sent, 2);
    EQ(co_try_recv(ch, &v), -EAGAIN);
    co_detach(s);

    /* close: buffered values drain, then 0 with a zeroed value; sends fail */
    v = 7;
    EQ(co_try_send(ch, &v), 0);
    EQ(co_chan_close(ch), 0);
    EQ(co_chan_close(ch), -EPIPE);
    EQ(co_try_send(ch, &v), -EPIPE);
    v = -1;
    EQ(co_try_recv(ch, &v), 1);
    EQ(v, 7);
    EQ(co_try_recv(ch, &v), 0);
    EQ(v, 0);
    res = 1;
    s = co_spawn_on(L, sender(ch, 1, 1, &res, NULL));
    run();
    EQ(res, -EPIPE);
    co_detach(s);
    EQ(co_chan_free(ch), 0);

    /* close wakes waiting senders (-EPIPE) and receivers (0) */
    ch = co_chan_new(sizeof(int), 0);
    res = 1;
    s = co_spawn_on(L, sender(ch, 1, 1, &res, NULL));
    run();
    EQ(res, 1);
    EQ(co_chan_close(ch), 0);
    run();
    EQ(res, -EPIPE);
    EQ(co_chan_free(ch), 0);
    ch = co_chan_new(sizeof(int), 2);
    n = 0;
    last = 1;
    r = co_spawn_on(L, receiver(ch, 5, got, &n, &last));
    run();
    EQ(co_chan_close(ch), 0);
    run();
    EQ(last, 0);
    EQ(n, 0);
    EQ(co_chan_free(ch), 0);
    co_detach(s);
    co_detach(r);

    /* FIFO among waiters: receivers in arrival order get the values in
     * order; so do senders' values */
    ch = co_chan_new(sizeof(int), 0);
    {
        int g[3][4], gn[3] = { 0, 0, 0 };
        for (i = 0; i < 3; i++)
            co_detach(co_spawn_on(L, receiver(ch, 1, g[i], &gn[i], NULL)));
        run();
        for (i = 0; i < 3; i++) {
            v = 100 + i;
            EQ(co_try_send(ch, &v), 0);
        }
        run();
        for (i = 0; i < 3; i++) {
            EQ(gn[i], 1);
            EQ(g[i][0], 100 + i);
        }
    }
    for (i = 0; i < 3; i++)
        co_detach(co_spawn_on(L, sender(ch, 200 + 10 * i, 2, NULL, NULL)));
    run();
    for (i = 0; i < 6; i++) {
        EQ(co_try_recv(ch, &v), 1);
        EQ(v, 200 + 10 * (i % 3) + i / 3);
        run();
    }
    EQ(co_chan_free(ch), 0);

    /* zero-size values, and a receive that drops the value */
    ch = co_chan_new(0, 2);
    EQ(co_try_send(ch, NULL), 0);
    EQ(co_try_recv(ch, NULL), 1);
    EQ(co_chan_free(ch), 0);
    ch = co_chan_new(sizeof(int), 0);
    c2 = co_chan_new(0, 0);
    EQ(co_try_send(c2, NULL), -EAGAIN);
    EQ(co_chan_free(c2), 0);
    s = co_spawn_on(L, sender(ch, 5, 1, NULL, NULL));
    run();
    EQ(co_try_recv(ch, NULL), 1);

    /* freeing a channel with waiters: they wake, closed */
    n = 0;
    last = 1;
    r = co_spawn_on(L, receiver(ch, 1, got, &n, &last));
    run();
    EQ(co_chan_free(ch), 0);
    run();
    EQ(last, 0);
    co_detach(r);
    co_detach(s);

    /* ping-pong: 10^4 messages, no allocation */
    ch = co_chan_new(sizeof(int), 0);
    c2 = co_chan_new(sizeof(int), 0);
    s = co_spawn_on(L, pp(ch, c2, 5000, 1));
    r = co_spawn_on(L, pp(c2, ch, 5000, 0));
    a0 = co_alloc_count();
    run();
    EQ(co_alloc_count() - a0, 0);
    EQ(co_task_done(s), 1);
    EQ(co_task_done(r), 1);
    co_chan_free(ch);
    co_chan_free(c2);

    /* bad arguments */
    CHECK(co_chan_new(1, (size_t)1 << 40) == NULL);
    CHECK(co_chan_new((size_t)1 << 40, 0) == NULL);
    EQ(co_chan_close(NULL), -EINVAL);
    EQ(co_chan_free(NULL), -EINVAL);
    EQ(co_chan_len(NULL), -EINVAL);
    EQ(co_try_send(NULL, &v), -EINVAL);
    EQ(co_try_recv(NULL, &v), -EINVAL);
    ch = co_chan_new(sizeof(int), 1);
    EQ(co_try_send(ch, NULL), -EINVAL);
    res = res2 = 1;
    s = co_spawn_on(L, sender(NULL, 1, 1, &res, NULL));
    n = 0;
    last = 1;
    r = co_spawn_on(L, receiver(NULL, 1, got, &n, &last));
    run();
    EQ(res, -EINVAL);
    EQ(last, -EINVAL);
    (void)res2;
    co_chan_free(ch);
    EQ(co_loop_free(L), 0);
    return t_end("chan");
}
