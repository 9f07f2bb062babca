/*
 * stress.c - unit test: 10^4 tasks doing 10^6 random operations over 100
 * channels (half unbuffered, half buffered), with a fixed seed: sends and
 * receives with and without timeouts, selects of up to three cases (some
 * on one channel in both directions, some with a default), try_send and
 * try_recv, yields, cancels of random tasks (replaced by new ones), and
 * channels closed and replaced now and then.  Every value is a fresh id;
 * each send records whether it was delivered.  At the end every channel
 * is closed, all tasks are joined, the buffers drained, and each id must
 * have been received exactly once if its send succeeded and never if it
 * did not.  Under valgrind it runs a tenth of the size.
 */
#include "t.h"

#define NCHAN 100
#define MAXRETIRED 20000

static long ops_left;           /* operations still to do */
static int nids, maxids;        /* ids handed out */
static unsigned char *sent;     /* per id: 0 in flight, 1 delivered, 2 not */
static unsigned char *got;      /* per id: times received */
static co_chan *chans[NCHAN];
static co_chan *quiet;          /* nobody sends here: receives time out */
static co_chan *retired[MAXRETIRED];
static int nretired;
static unsigned seed = 2463534242u;
static long ncancels, ncloses, ntimeouts, nselects, ndefaults;

static unsigned rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    return seed;
}

static int newid(void)
{
    return nids < maxids ? nids++ : -1;
}

static void delivered(int id, int ok)
{
    if (id < 0)
        return;
    CHECK(sent[id] == 0);
    sent[id] = ok ? 1 : 2;
}

static void received(int r, int v)
{
    if (r != 1)
        return;
    CHECK(v >= 0 && v < nids);
    if (v >= 0 && v < nids)
        got[v]++;
}

/* ---- co_timeout(ms, co_send/co_recv(...)), the generated shape; ms < 0: none */

struct tmo_op__frame {
    int co_state;
    int co_result;
    int send;
    long ms;
    co_timer tm;
    struct co_chanop op;
};

static void tmo_op__init(int send, long ms, co_chan *ch, void *v, struct tmo_op__frame *f)
{
    f->co_state = 0;
    f->send = send;
    f->ms = ms;
    if (send)
        co_send__init(ch, v, &f->op);
    else
        co_recv__init(ch, v, &f->op);
}

static int tmo_op__resume(struct tmo_op__frame *f, co_task *t)
{
    int r;

    switch (f->co_state) {
    case 0:
        f->tm.idx = 0;
        if (f->ms >= 0 && (r = co_timer_start(&f->tm, f->ms, t)) < 0) {
            f->co_result = r;
            f->co_state = -1;
            return CO_DONE;
        }
        f->co_state = 1;
        /* fall through */
    case 1:
        r = f->send ? co_send__resume(&f->op, t) : co_recv__resume(&f->op, t);
        if (r == CO_DONE) {
            co_timer_stop(&f->tm);
            f->co_result = f->op.co_result;
        } else if (co_timer_fired(&f->tm)) {
            if (f->send)
                co_send__close(&f->op);
            else
                co_recv__close(&f->op);
            f->co_result = -ETIMEDOUT;
            ntimeouts++;
        } else {
            return CO_PENDING;
        }
        f->co_state = -1;
        return CO_DONE;
    default:
        return CO_DONE;
    }
}

static void tmo_op__close(struct tmo_op__frame *f)
{
    if (f->co_state == 1) {
        if (f->send)
            co_send__close(&f->op);
        else
            co_recv__close(&f->op);
        co_timer_stop(&f->tm);
    }
    f->co_state = -1;
}

/* ---- async void worker(void): random operations until there are none left */

struct worker__frame {
    int co_state;
    int id, v, n, r;
    int ids[3], vals[3], res[3];
    union {
        struct tmo_op__frame op;
        struct co_select__frame sel;
        struct co_sleep__frame s;
    } u;
};

static void worker__init(struct worker__frame *f)
{
    f->co_state = 0;
}

static co_chan *anychan(void)
{
    return chans[rnd() % NCHAN];
}

static long timeout(void)
{
    unsigned r = rnd() % 8;

    return r < 2 ? -1 : (long)(r - 2);      /* none, or 0..5 ms */
}

static int worker__resume(struct worker__frame *f, co_task *t)
{
    unsigned op;
    int i;
    co_case cs[3];

    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    default: return CO_DONE;
    }
    while (ops_left > 0) {
        ops_left--;
        op = rnd() % 100;
        if (op < 25) {                          /* send */
            f->id = f->v = newid();
            if (f->id < 0)
                continue;
            AWAIT(1, tmo_op, f->u.op, 1, timeout(), anychan(), &f->v)
            delivered(f->id, f->u.op.co_result == 0);
            f->id = -1;
        } else if (op < 60) {                   /* receive: more of them */
            f->v = -1;
            AWAIT(2, tmo_op, f->u.op, 0, timeout(), anychan(), &f->v)
            received(f->u.op.co_result, f->v);
        } else if (op < 80) {                   /* select */
            f->n = 1 + (int)(rnd() % 3);
            for (i = 0; i < f->n; i++) {
                cs[i].ch = i > 0 && rnd() % 4 == 0 ? cs[0].ch : anychan();
                cs[i].res = &f->res[i];
                f->ids[i] = -1;
                if (rnd() % 2) {
                    cs[i].op = CO_SEND;
                    f->ids[i] = f->vals[i] = newid();
                    if (f->ids[i] < 0)
                        cs[i].ch = NULL;
                } else {
                    cs[i].op = CO_RECV;
                    f->vals[i] = -1;
                }
                cs[i].elem = &f->vals[i];
            }
            nselects++;
            AWAIT(3, co_select, f->u.sel, cs, f->n, rnd() % 4 == 0 ? CO_SELECT_DEFAULT : 0)
            f->r = f->u.sel.co_result;
            if (f->r == -EAGAIN)
                ndefaults++;
            else
                CHECK(f->r >= 0 && f->r < f->n);
            for (i = 0; i < f->n; i++) {
                if (i == f->r && f->ids[i] < 0)
                    received(f->res[i], f->vals[i]);
                else if (f->ids[i] >= 0)
                    delivered(f->ids[i], i == f->r && f->res[i] == 0);
                f->ids[i] = -1;
            }
        } else if (op < 90) {                   /* non-blocking */
            if (op % 2) {
                f->id = f->v = newid();
                if (f->id >= 0)
                    delivered(f->id, co_try_send(anychan(), &f->v) == 0);
                f->id = -1;
            } else {
                f->r = co_try_recv(anychan(), &f->v);
                received(f->r, f->v);
            }
        } else if (op < 98) {                   /* yield */
            AWAIT(4, co_sleep, f->u.s, op == 97 ? 1 : 0)
        } else {                                /* a receive that times out */
            AWAIT(5, tmo_op, f->u.op, 0, (long)(rnd() % 3), quiet, &f->v)
            CHECK(f->u.op.co_result == -ETIMEDOUT || f->u.op.co_result == 0);
        }
    }
    f->co_state = -1;
    return CO_DONE;
}

/* Cancelled: whatever it was sending was not sent. */
static void worker__close(struct worker__frame *f)
{
    int i;

    switch (f->co_state) {
    case 1:
        tmo_op__close(&f->u.op);
        delivered(f->id, 0);
        break;
    case 2: case 5:
        tmo_op__close(&f->u.op);
        break;
    case 3:
        co_select__close(&f->u.sel);
        for (i = 0; i < f->n; i++)
            if (f->ids[i] >= 0)
                delivered(f->ids[i], 0);
        break;
    case 4:
        co_sleep__close(&f->u.s);
        break;
    }
    f->co_state = -1;
}

CO_VT_VOID(worker)

static co_task *worker(void)
{
    CO_ALLOC(worker);
    worker__init(&co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int amain(int ntasks): spawn, disturb, close, join, check ------ */

struct amain__frame {
    int co_state;
    int co_result;
    int ntasks, i;
    co_task **ts;
    union {
        struct co_sleep__frame s;
        struct co_gather__frame g;
    } u;
};

static void amain__init(int ntasks, struct amain__frame *f)
{
    f->co_state = 0;
    f->ntasks = ntasks;
}

static co_chan *newchan(int i)
{
    return co_chan_new(sizeof(int), i % 2 ? 1 + (size_t)(rnd() % 8) : 0);
}

static void retire(int k)
{
    CHECK(nretired < MAXRETIRED);
    co_chan_close(chans[k]);
    retired[nretired++] = chans[k];
    chans[k] = newchan(k);
    ncloses++;
}

static int amain__resume(struct amain__frame *f, co_task *t)
{
    int i, k, v;

    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    f->ts = calloc((size_t)f->ntasks, sizeof *f->ts);
    for (i = 0; i < NCHAN; i++)
        chans[i] = newchan(i);
    quiet = co_chan_new(sizeof(int), 0);
    for (i = 0; i < f->ntasks; i++)
        f->ts[i] = co_spawn(worker());
    while (ops_left > 0) {
        AWAIT(1, co_sleep, f->u.s, 1)
        /* cancel some tasks and put new ones in their place */
        for (k = 0; k < f->ntasks / 100 && ops_left > 0; k++) {
            i = (int)(rnd() % (unsigned)f->ntasks);
            if (co_cancel(f->ts[i]) == 0)
                ncancels++;
            co_detach(f->ts[i]);
            f->ts[i] = co_spawn(worker());
        }
        retire((int)(rnd() % NCHAN));
    }
    /* wake everyone still waiting: close every channel */
    for (i = 0; i < NCHAN; i++)
        co_chan_close(chans[i]);
    co_chan_close(quiet);
    AWAIT(2, co_gather, f->u.g, f->ts, f->ntasks, NULL)
    EQ(f->u.g.co_result, 0);
    /* drain what is buffered */
    for (i = 0; i < NCHAN + nretired; i++) {
        co_chan *c = i < NCHAN ? chans[i] : retired[i - NCHAN];
        while (co_try_recv(c, &v) == 1)
            received(1, v);
        co_chan_free(c);
    }
    free(f->ts);                /* co_gather gave the handles up */
    co_chan_free(quiet);
    f->co_result = 0;
    f->co_state = -1;
    return CO_DONE;
}

static void amain__close(struct amain__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    if (f->co_state == 2)
        co_gather__close(&f->u.g);
    f->co_state = -1;
}

CO_VT_INT(amain)

static co_task *amain(int ntasks)
{
    CO_ALLOC(amain);
    amain__init(ntasks, &co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    int ntasks = (int)t_scale(10000), i, nsent = 0, nnot = 0, bad = 0;
    double t0 = t_ms();

    ops_left = t_scale(1000000);
    maxids = (int)ops_left * 3;
    sent = calloc((size_t)maxids, 1);
    got = calloc((size_t)maxids, 1);
    EQ(co_run(amain(ntasks)), 0);
    for (i = 0; i < nids; i++) {
        if (sent[i] == 1) {
            nsent++;
            if (got[i] != 1)
                bad++;
        } else if (sent[i] == 2) {
            nnot++;
            if (got[i] != 0)
                bad++;
        } else {
            bad++;                              /* never settled */
        }
    }
    EQ(bad, 0);
    CHECK(nsent > 1000 && nnot > 1000);
    CHECK(ncancels > 0 && ncloses > 0 && ntimeouts > 0 && ndefaults > 0);
    printf("stress: %d ids (%d delivered, %d not), %ld selects, %ld timeouts, "
           "%ld cancels, %ld closes, %.0f ms\n", nids, nsent, nnot, nselects,
           ntimeouts, ncancels, ncloses, t_ms() - t0);
    free(sent);
    free(got);
    return t_end("stress");
}
