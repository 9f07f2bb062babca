/*
 * fault.c - unit test: allocation failure (t.h's t_fail_alloc) at each
 * allocation of a call, swept until the call makes no more.  A
 * co_spawn_threadsafe either fails whole (the task never runs, the
 * future says why) or succeeds whole (the future has the task's result);
 * co_as_completed out of memory gives NULL with errno ENOMEM, which a
 * timeout (ETIMEDOUT) does not.
 */
#include "t.h"

/* The k-th allocation of a spawn from this thread and of the loop's run
 * fails: 1 when it did (the sweep goes on), 0 when there were fewer.
 * *nomem counts the futures that said -ENOMEM. */
static int spawn_failing(long k, int *nomem)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
    co_future *f;
    long ran0 = t_ran, ran;
    int v = 0, r, pending;

    if (!l) {
        CHECK(l != NULL);
        return 0;
    }
    t_fail_alloc(k);
    errno = 0;
    f = co_spawn_threadsafe(l, t_value(42));
    if (!f)
        EQ(errno, k == 1 ? EINVAL : ENOMEM);   /* 1: t_value() got NULL */
    else
        co_loop_run(l);
    pending = t_fail_pending();
    t_fail_alloc(0);
    EQ(co_loop_free(l), 0);
    ran = t_ran - ran0;
    if (f) {
        r = co_future_wait(f, &v, 0);
        if (r == 0) {
            EQ(ran, 1);
            EQ(v, 42);
        } else {
            if (ran)
                fprintf(stderr, "allocation %ld failed: the future says %d, "
                        "but the task ran\n", k, r);
            EQ(ran, 0);
            CHECK(r == -ENOMEM || r == -ECANCELED);
            *nomem += r == -ENOMEM;
        }
        co_future_free(f);
    } else {
        EQ(ran, 0);
    }
    return !pending;
}

/* ---- async int completer(co_task **ts, int n): as_completed, failing --------
 * The k-th allocation of each await fails, k = 1, 2, ... until one makes
 * fewer than k: until then the await gives NULL, errno ENOMEM, n as it
 * was; that one times out, errno ETIMEDOUT.  Then it cancels the
 * sleepers.  Result: the k reached. */

#define NSLEEP (CO_WAIT_INLINE + 1)     /* so the wait allocates its hooks */

struct completer__frame {
    int co_state;
    int co_result;
    co_task **ts;
    int n;
    co_task *got;
    union {
        struct co_as_completed__frame a;
    } u;
};

static int completer__resume(struct completer__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    for (f->co_result = 1;; f->co_result++) {
        t_fail_alloc(f->co_result);
        errno = 0;
        AWAIT(1, co_as_completed, f->u.a, f->ts, &f->n, T(5))
        f->got = f->u.a.co_result;
        EQ(f->got, NULL);
        EQ(f->n, NSLEEP);
        if (!t_fail_pending()) {
            EQ(errno, ENOMEM);
            continue;
        }
        t_fail_alloc(0);
        EQ(errno, ETIMEDOUT);
        break;
    }
    for (f->n = 0; f->n < NSLEEP; f->n++)
        co_cancel(f->ts[f->n]);
    f->co_state = -1;
    return CO_DONE;
}

static void completer__close(struct completer__frame *f)
{
    if (f->co_state == 1)
        co_as_completed__close(&f->u.a);
    f->co_state = -1;
}

CO_VT_INT(completer)

static co_task *completer(co_task **ts)
{
    CO_ALLOC(completer);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.ts = ts;
    co_b->co_fr.n = NSLEEP;
    return &co_b->co_hdr;
}

int main(void)
{
    co_task *ts[NSLEEP], *c;
    co_loop *l;
    long k;
    int i, r = 0, nomem = 0;

    /* co_spawn_threadsafe: every allocation of the spawn and the run (the
     * loop's: the done callback, the hook table) */
    for (k = 1; spawn_failing(k, &nomem); k++)
        ;
    CHECK(k > 3);
    CHECK(nomem >= 1);

    /* co_as_completed: every allocation of the await */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    for (i = 0; i < NSLEEP; i++)
        ts[i] = co_spawn_on(l, t_work(100000, 0));
    c = co_spawn_on(l, completer(ts));
    EQ(co_loop_run(l), 0);
    EQ(co_task_result(c, &r), 0);
    CHECK(r > 2);               /* the hooks, the hook table, the timer */
    EQ(co_loop_free(l), 0);
    return t_end("fault");
}
