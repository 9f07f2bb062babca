/*
 * sync.c - unit test: the sync primitives.  FIFO hand-off of a mutex and
 * a semaphore, the semaphore's bound, event set/clear, condition signal
 * and broadcast with the mutex re-acquired, barrier rounds with distinct
 * indices, wait groups; a waiter cancelled on each primitive leaves its
 * queue and the resource goes to the next waiter (also when it had
 * already been handed the resource, or timed out in co_timeout); bad
 * arguments; no allocation.
 */
#include "t.h"

enum { LOCK, SEM, EVENT, WG, BAR, COND };

static int order[64], norder;   /* ids in the order they got through */

/* ---- async int user(int op, void *obj, void *obj2, int id, int hold,
 *                     int *pred)
 * Waits on obj as op says (COND: locks obj2, then waits on the condition
 * obj until *pred), logs its id, sleeps `hold` turns holding what it got,
 * then gives it back.  Result: the await's result. --------------------- */

struct user__frame {
    int co_state;
    int co_result;
    int op, id, hold, i;
    int *pred;
    void *obj, *obj2;
    union {
        co_syncw w;
        struct co_cond_wait__frame cw;
        struct co_sleep__frame s;
    } u;
};

static void user__init(int op, void *obj, void *obj2, int id, int hold, int *pred,
                       struct user__frame *f)
{
    f->co_state = 0;
    f->op = op;
    f->obj = obj;
    f->obj2 = obj2;
    f->id = id;
    f->hold = hold;
    f->pred = pred;
}

static int user__resume(struct user__frame *f, co_task *t)
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
    default: return CO_DONE;
    }
    switch (f->op) {
    case LOCK:
        AWAIT(1, co_lock, f->u.w, f->obj)
        f->co_result = f->u.w.co_result;
        break;
    case SEM:
        AWAIT(2, co_sem_acquire, f->u.w, f->obj)
        f->co_result = f->u.w.co_result;
        break;
    case EVENT:
        AWAIT(3, co_event_wait, f->u.w, f->obj)
        f->co_result = f->u.w.co_result;
        break;
    case WG:
        AWAIT(4, co_wg_wait, f->u.w, f->obj)
        f->co_result = f->u.w.co_result;
        break;
    case BAR:
        AWAIT(5, co_barrier_wait, f->u.w, f->obj)
        f->co_result = f->u.w.co_result;
        break;
    default:
        AWAIT(6, co_lock, f->u.w, f->obj2)
        while (!*f->pred) {
            AWAIT(7, co_cond_wait, f->u.cw, f->obj, f->obj2)
            f->co_result = f->u.cw.co_result;
            EQ(((co_mutex *)f->obj2)->locked, 1);   /* re-acquired */
            if (f->co_result < 0)
                break;
        }
        (*f->pred)--;
        break;
    }
    order[norder++] = f->id;
    if (f->co_result < 0)
        goto out;
    for (f->i = 0; f->i < f->hold; f->i++) {
        AWAIT(8, co_sleep, f->u.s, 0)
    }
    if (f->op == LOCK)
        EQ(co_unlock(f->obj), 0);
    else if (f->op == SEM)
        EQ(co_sem_release(f->obj), 0);
    else if (f->op == COND)
        EQ(co_unlock(f->obj2), 0);
out:
    f->co_state = -1;
    return CO_DONE;
}

static void user__close(struct user__frame *f)
{
    switch (f->co_state) {
    case 1: co_lock__close(&f->u.w); break;
    case 2: co_sem_acquire__close(&f->u.w); break;
    case 3: co_event_wait__close(&f->u.w); break;
    case 4: co_wg_wait__close(&f->u.w); break;
    case 5: co_barrier_wait__close(&f->u.w); break;
    case 6: co_lock__close(&f->u.w); break;
    case 7: co_cond_wait__close(&f->u.cw); break;
    case 8: co_sleep__close(&f->u.s); break;
    }
    f->co_state = -1;
}

CO_VT_INT(user)

static co_task *user(int op, void *obj, void *obj2, int id, int hold, int *pred)
{
    CO_ALLOC(user);
    user__init(op, obj, obj2, id, hold, pred, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int tmo_lock(co_mutex *m, long ms): co_timeout(ms, co_lock(m))
 * as cogen generates it (t.h's tmo_recv, for a lock); unlocks at once. */

struct tmo_lock__frame {
    int co_state;
    int co_result;
    long ms;
    co_mutex *m;
    co_timer tm;
    co_syncw w;
};

static void tmo_lock__init(co_mutex *m, long ms, struct tmo_lock__frame *f)
{
    f->co_state = 0;
    f->m = m;
    f->ms = ms;
}

static int tmo_lock__resume(struct tmo_lock__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0:
        co_lock__init(f->m, &f->w);
        EQ(co_timer_start(&f->tm, f->ms, t), 0);
        f->co_state = 1;
        /* fall through */
    case 1:
        if (co_lock__resume(&f->w, t) == CO_DONE) {
            co_timer_stop(&f->tm);
            f->co_result = f->w.co_result;
            co_unlock(f->m);
        } else if (co_timer_fired(&f->tm)) {
            co_lock__close(&f->w);
            f->co_result = -ETIMEDOUT;
        } else {
            return CO_PENDING;
        }
        f->co_state = -1;
        return CO_DONE;
    default:
        return CO_DONE;
    }
}

static void tmo_lock__close(struct tmo_lock__frame *f)
{
    if (f->co_state == 1) {
        co_lock__close(&f->w);
        co_timer_stop(&f->tm);
    }
    f->co_state = -1;
}

CO_VT_INT(tmo_lock)

static co_task *tmo_lock(co_mutex *m, long ms)
{
    CO_ALLOC(tmo_lock);
    tmo_lock__init(m, ms, &co_b->co_fr);
    return &co_b->co_hdr;
}

static co_loop *L;

/* Run until every task has finished or waits (waiting on purpose makes
 * the loop report a deadlock, which is fine here). */
static void run(void)
{
    int r = co_loop_run(L);

    CHECK(r == 0 || r == -EDEADLK);
}

static co_task *spawn(int op, void *obj, void *obj2, int id, int hold, int *pred)
{
    return co_spawn_on(L, user(op, obj, obj2, id, hold, pred));
}

static int result(co_task *t)
{
    int r = -999;

    co_task_result(t, &r);
    return r;
}

static void expect_order(const int *ids, int n)
{
    int i;

    EQ(norder, n);
    for (i = 0; i < n && i < norder; i++)
        EQ(order[i], ids[i]);
    norder = 0;
}

static void test_mutex(void)
{
    co_mutex m = CO_MUTEX_INIT, z;
    co_task *t[5];
    int i;

    EQ(co_try_lock(&m), 0);
    EQ(co_try_lock(&m), -EBUSY);
    for (i = 0; i < 5; i++)
        t[i] = spawn(LOCK, &m, NULL, i, 1, NULL);
    run();
    EQ(norder, 0);
    EQ(co_cancel(t[1]), 0);             /* a waiter leaves the queue */
    EQ(co_mutex_destroy(&m), -EBUSY);
    EQ(co_unlock(&m), 0);               /* handed to t0, still locked */
    EQ(m.locked, 1);
    EQ(co_try_lock(&m), -EBUSY);        /* no barging past the waiters */
    run();
    expect_order((int[]){ 0, 2, 3, 4 }, 4);
    EQ(co_task_cancelled(t[1]), 1);
    EQ(result(t[4]), 0);
    EQ(m.locked, 0);
    EQ(co_unlock(&m), -EPERM);
    EQ(co_mutex_destroy(&m), 0);

    /* a timed-out waiter leaves the queue: the next one gets the mutex */
    EQ(co_try_lock(&m), 0);
    t[0] = co_spawn_on(L, tmo_lock(&m, 1));
    t[1] = spawn(LOCK, &m, NULL, 1, 0, NULL);
    run();
    EQ(result(t[0]), -ETIMEDOUT);
    EQ(co_task_done(t[1]), 0);
    EQ(co_unlock(&m), 0);
    run();
    expect_order((int[]){ 1 }, 1);
    EQ(result(t[1]), 0);
    EQ(m.locked, 0);
    EQ(co_mutex_init(&z), 0);
    EQ(co_try_lock(&z), 0);
    EQ(co_unlock(&z), 0);

}

static void test_sem(void)
{
    co_sem s, bad = { { NULL, NULL }, 0, 0 };
    co_task *t[6];
    int i;

    EQ(co_sem_init(&s, 3, 2), -EINVAL);
    EQ(co_sem_init(&s, -1, 2), -EINVAL);
    EQ(co_sem_init(&s, 0, 0), -EINVAL);
    EQ(co_sem_init(NULL, 0, 1), -EINVAL);
    EQ(co_sem_try_acquire(&bad), -EINVAL);
    EQ(co_sem_release(&bad), -EINVAL);
    EQ(co_sem_init(&s, 2, 2), 0);
    EQ(co_sem_release(&s), -EOVERFLOW);         /* the bound */
    EQ(co_sem_try_acquire(&s), 0);
    EQ(co_sem_try_acquire(&s), 0);
    EQ(co_sem_try_acquire(&s), -EAGAIN);
    for (i = 0; i < 6; i++)
        t[i] = spawn(SEM, &s, NULL, i, 2, NULL);
    run();
    EQ(norder, 0);
    EQ(co_cancel(t[2]), 0);
    EQ(co_sem_destroy(&s), -EBUSY);
    EQ(co_sem_release(&s), 0);
    EQ(co_sem_value(&s), 0);                    /* the permit moved to t0 */
    EQ(co_sem_release(&s), 0);
    run();
    expect_order((int[]){ 0, 1, 3, 4, 5 }, 5);
    EQ(co_sem_value(&s), 2);
    EQ(co_sem_release(&s), -EOVERFLOW);
    EQ(co_sem_destroy(&s), 0);
    EQ(result(t[5]), 0);
    for (i = 0; i < 6; i++)
        co_detach(t[i]);
}

static void test_event(void)
{
    co_event e = CO_EVENT_INIT;
    co_task *t[3];
    int i;

    EQ(co_event_is_set(&e), 0);
    for (i = 0; i < 3; i++)
        t[i] = spawn(EVENT, &e, NULL, i, 0, NULL);
    run();
    EQ(norder, 0);
    EQ(co_cancel(t[0]), 0);
    EQ(co_event_set(&e), 0);
    EQ(co_event_clear(&e), 0);          /* the woken still go through */
    run();
    expect_order((int[]){ 1, 2 }, 2);
    EQ(co_event_set(&e), 0);
    EQ(co_event_is_set(&e), 1);
    t[0] = spawn(EVENT, &e, NULL, 7, 0, NULL);  /* set: no wait */
    run();
    expect_order((int[]){ 7 }, 1);
    EQ(co_event_is_set(NULL), -EINVAL);
    EQ(co_event_set(NULL), -EINVAL);
    EQ(co_event_init(&e), 0);
    EQ(co_event_is_set(&e), 0);
}

static void test_cond(void)
{
    co_mutex m = CO_MUTEX_INIT;
    co_cond c = CO_COND_INIT;
    co_task *t[4];
    int pred = 0, i;
    struct co_cond_wait__frame f;

    for (i = 0; i < 4; i++)
        t[i] = spawn(COND, &c, &m, i, 1, &pred);
    run();
    EQ(norder, 0);
    EQ(m.locked, 0);                    /* every waiter released it */
    EQ(co_cancel(t[1]), 0);             /* not holding m: takes it back first */
    EQ(co_task_done(t[1]), 0);
    run();
    EQ(co_task_cancelled(t[1]), 1);
    EQ(m.locked, 1);                    /* closed holding m */
    EQ(co_unlock(&m), 0);               /* (what its defer would do) */
    pred = 1;
    EQ(co_cond_signal(&c), 1);          /* t0 */
    run();
    expect_order((int[]){ 0 }, 1);
    EQ(pred, 0);
    /* a spurious wake-up: signalled, but the predicate is false */
    EQ(co_cond_signal(&c), 1);          /* t2 waits again, at the back */
    run();
    EQ(norder, 0);
    EQ(m.locked, 0);
    /* the waiters queue for m: hold it while broadcasting */
    EQ(co_try_lock(&m), 0);
    pred = 2;
    EQ(co_cond_broadcast(&c), 2);
    run();
    EQ(norder, 0);                      /* they wait for m now */
    EQ(co_unlock(&m), 0);
    run();
    expect_order((int[]){ 3, 2 }, 2);
    EQ(m.locked, 0);
    EQ(co_cond_signal(&c), 0);

    /* cancelled while waiting for m after a signal: the signal passes on */
    pred = 0;
    t[0] = spawn(COND, &c, &m, 0, 0, &pred);
    t[1] = spawn(COND, &c, &m, 1, 0, &pred);
    run();
    EQ(co_try_lock(&m), 0);
    pred = 1;
    EQ(co_cond_signal(&c), 1);          /* t0: now it waits for m */
    run();
    EQ(co_cancel(t[0]), 0);             /* m is held: t0 waits for it */
    run();
    EQ(co_task_done(t[0]), 0);
    EQ(co_unlock(&m), 0);               /* to t0, which is then closed */
    run();
    EQ(co_task_cancelled(t[0]), 1);
    EQ(norder, 0);
    EQ(m.locked, 1);
    EQ(co_unlock(&m), 0);               /* (t0's defer) */
    run();
    expect_order((int[]){ 1 }, 1);      /* t1 got the signal */
    EQ(m.locked, 0);

    /* cancelled on its way to the wait: it never lets m go */
    pred = 0;
    EQ(co_try_lock(&m), 0);
    t[0] = spawn(COND, &c, &m, 0, 0, &pred);
    run();                              /* t0 waits in co_lock */
    EQ(co_unlock(&m), 0);               /* handed to t0, which is queued */
    EQ(co_cancel(t[0]), 0);             /* so cancelled at its next await */
    run();
    EQ(co_task_cancelled(t[0]), 1);
    EQ(m.locked, 1);
    EQ(co_cond_signal(&c), 0);          /* it never joined c's queue */
    EQ(co_unlock(&m), 0);

    /* bad arguments */
    co_cond_wait__init(&c, &m, &f);
    EQ(co_cond_wait__resume(&f, t[1]), CO_DONE);    /* m not locked */
    EQ(f.co_result, -EPERM);
    co_cond_wait__init(NULL, &m, &f);
    EQ(co_cond_wait__resume(&f, t[1]), CO_DONE);
    EQ(f.co_result, -EINVAL);
    co_cond_wait__close(&f);
    EQ(co_cond_signal(NULL), -EINVAL);
    EQ(co_cond_broadcast(NULL), -EINVAL);
    EQ(co_cond_init(&c), 0);
}

static void test_barrier(void)
{
    co_barrier b;
    co_task *t[4];
    int round, i, seen;

    EQ(co_barrier_init(&b, 0), -EINVAL);
    EQ(co_barrier_init(&b, 3), 0);
    for (round = 0; round < 3; round++) {
        for (i = 0; i < 2; i++)
            t[i] = spawn(BAR, &b, NULL, i, 0, NULL);
        run();
        EQ(norder, 0);                  /* nobody passes before all arrive */
        EQ(co_barrier_destroy(&b), -EBUSY);
        if (round == 1) {               /* a cancelled party withdraws */
            EQ(co_cancel(t[0]), 0);
            t[0] = spawn(BAR, &b, NULL, 0, 0, NULL);
            run();
            EQ(norder, 0);
        }
        t[2] = spawn(BAR, &b, NULL, 2, 0, NULL);
        run();
        EQ(norder, 3);
        norder = 0;
        seen = 0;
        for (i = 0; i < 3; i++)
            seen |= 1 << result(t[i]);
        EQ(seen, 7);                    /* distinct: 0, 1, 2 */
        EQ(result(t[2]), 0);            /* the last to arrive */
        EQ(result(t[round == 1 ? 1 : 0]), 2);
    }
    EQ(b.rounds, 3);
    EQ(co_barrier_destroy(&b), 0);
}

static void test_wg(void)
{
    co_wg wg = CO_WG_INIT;
    co_task *t[3];
    int i;

    EQ(co_wg_add(&wg, -1), -EINVAL);
    EQ(co_wg_count(&wg), 0);
    t[0] = spawn(WG, &wg, NULL, 9, 0, NULL);    /* count 0: no wait */
    run();
    expect_order((int[]){ 9 }, 1);
    EQ(co_wg_add(&wg, 2), 0);
    for (i = 0; i < 3; i++)
        t[i] = spawn(WG, &wg, NULL, i, 0, NULL);
    run();
    EQ(co_cancel(t[1]), 0);
    EQ(co_wg_done(&wg), 0);
    run();
    EQ(norder, 0);
    EQ(co_wg_done(&wg), 0);
    run();
    expect_order((int[]){ 0, 2 }, 2);
    EQ(co_wg_done(&wg), -EINVAL);
    EQ(co_wg_count(NULL), -EINVAL);
    EQ(co_wg_init(&wg), 0);
}

static void test_bad(void)
{
    co_syncw w;

    EQ(co_mutex_init(NULL), -EINVAL);
    EQ(co_try_lock(NULL), -EINVAL);
    EQ(co_unlock(NULL), -EINVAL);
    co_lock__init(NULL, &w);
    EQ(co_lock__resume(&w, NULL), CO_DONE);
    EQ(w.co_result, -EINVAL);
    co_lock__close(&w);
    co_sem_acquire__init(NULL, &w);
    EQ(co_sem_acquire__resume(&w, NULL), CO_DONE);
    EQ(w.co_result, -EINVAL);
    co_event_wait__init(NULL, &w);
    EQ(co_event_wait__resume(&w, NULL), CO_DONE);
    EQ(w.co_result, -EINVAL);
    co_barrier_wait__init(NULL, &w);
    EQ(co_barrier_wait__resume(&w, NULL), CO_DONE);
    EQ(w.co_result, -EINVAL);
    co_wg_wait__init(NULL, &w);
    EQ(co_wg_wait__resume(&w, NULL), CO_DONE);
    EQ(w.co_result, -EINVAL);
    co_wg_wait__close(&w);
    EQ(co_barrier_init(NULL, 1), -EINVAL);
    EQ(co_wg_add(NULL, 1), -EINVAL);
}

/* Handed a mutex (or a permit), then closed by co_loop_free before it
 * ran: it passes it on to the next waiter, which passes it on too. */
static co_mutex hm = CO_MUTEX_INIT;
static co_sem hs = CO_SEM_INIT(0, 1);

static void test_handed(void)
{
    co_task *t[4];
    int i;

    L = co_loop_new(CO_BACKEND_DEFAULT);
    EQ(co_try_lock(&hm), 0);
    t[0] = spawn(LOCK, &hm, NULL, 0, 0, NULL);
    t[1] = spawn(LOCK, &hm, NULL, 1, 0, NULL);
    t[2] = spawn(SEM, &hs, NULL, 2, 0, NULL);
    t[3] = spawn(SEM, &hs, NULL, 3, 0, NULL);
    run();
    EQ(co_unlock(&hm), 0);              /* t0 is handed m: queued */
    EQ(co_sem_release(&hs), 0);         /* t2 is handed the permit */
    EQ(co_task_done(t[0]), 0);
    for (i = 0; i < 4; i++)
        co_detach(t[i]);
    co_loop_free(L);
    EQ(norder, 0);
    EQ(hm.locked, 0);                   /* t0 -> t1 -> free */
    EQ(hm.q.head == NULL, 1);
    EQ(co_sem_value(&hs), 1);           /* t2 -> t3 -> back */
    EQ(hs.q.head == NULL, 1);
}

int main(void)
{
    unsigned long a0;
    co_mutex m = CO_MUTEX_INIT;
    co_task *t[2];

    L = co_loop_new(CO_BACKEND_DEFAULT);
    test_mutex();
    test_sem();
    test_event();
    test_cond();
    test_barrier();
    test_wg();
    test_bad();

    /* waiting allocates nothing: only the task blocks */
    a0 = co_alloc_count();
    EQ(co_try_lock(&m), 0);
    t[0] = spawn(LOCK, &m, NULL, 0, 0, NULL);
    t[1] = spawn(LOCK, &m, NULL, 1, 0, NULL);
    EQ(co_alloc_count() - a0, 2);
    run();
    EQ(co_unlock(&m), 0);
    run();
    expect_order((int[]){ 0, 1 }, 2);
    EQ(co_alloc_count() - a0, 2);
    EQ(m.locked, 0);

    co_detach(t[0]);
    co_detach(t[1]);
    co_loop_free(L);
    test_handed();
    return t_end("sync");
}
