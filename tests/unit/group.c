/*
 * group.c - unit test: task groups (co_group_*), what run/group_basic
 * cannot reach from a .co program.  10^4 members at once, and a chain of
 * 10^4 members each spawning the next, in constant memory: one co_alloc
 * per member, the hook table empty afterwards and, for the chain, never
 * past its first size; a failure among 10^4 members cancels the rest.
 * Members in every state when the first failure comes (never run,
 * queued with their operation done, waiting on a timer, a channel, a
 * mutex) end as co_cancel would end them.  A waiter closed while a
 * member is queued (its operation completed): the close resumes it, it
 * sees its result and is closed at its next await, all before the close
 * returns; a member that is running (it cancelled the waiter itself) is
 * let go, and ends cancelled at its next await; nothing points into the
 * group.  Allocation failure at every allocation of a
 * spawn: -ENOMEM from the spawn and the wait, the others cancelled, no
 * leak.  Loops: a group's members are of one loop, a task of another
 * gets -EINVAL, and a close from plain C between runs cancels them.
 */
#include "t.h"
#include "rt.h"

static int closed;      /* members closed while they waited */
static int after;       /* members that ran past their first await */

/* ---- async int member(int kind, long ms, int v) ----------------------------
 * SLEEP: sleep ms, return v.  EVENT: wait for ev, then after++ and sleep
 * ms, return v.  RECV: receive from ch, return v.  LOCK: take mu, return
 * v (unlocking it).  CHAIN: spawn the next member of a chain, return v.
 * KILL: cancel waiter_t (whose wait closes the group), then sleep ms. */

enum { SLEEP, EVENT, RECV, LOCK, CHAIN, KILL };

static co_event ev;
static co_chan *ch;
static co_mutex mu;
static co_group *chain_g;
static co_task *waiter_t;
static long chain_left;

struct member__frame {
    int co_state;
    int co_result;
    int kind, v, x;
    long ms;
    union {
        struct co_sleep__frame s;
        struct co_syncw w;
        struct co_chanop c;
    } u;
};

static co_task *member(int kind, long ms, int v);

static int member__resume(struct member__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    case 6: goto co_a6;
    default: return CO_DONE;
    }
    switch (f->kind) {
    case KILL:
        EQ(co_cancel(waiter_t), 0);
        EQ(t->flags & F_MEMBER, 0);     /* let go: it runs, it is not closed */
        EQ(t->flags & F_CANCEL, F_CANCEL);
        after += 10;
        AWAIT(6, co_sleep, f->u.s, f->ms)
        after += 100;                   /* not reached */
        break;
    case SLEEP:
        AWAIT(1, co_sleep, f->u.s, f->ms)
        break;
    case EVENT:
        AWAIT(2, co_event_wait, f->u.w, &ev)
        after++;
        AWAIT(3, co_sleep, f->u.s, f->ms)
        break;
    case RECV:
        AWAIT(4, co_recv, f->u.c, ch, &f->x)
        break;
    case LOCK:
        AWAIT(5, co_lock, f->u.w, &mu)
        co_unlock(&mu);
        break;
    case CHAIN:
        if (chain_left > 0) {
            chain_left--;
            EQ(co_group_spawn(chain_g, member(CHAIN, 0, 0)), 0);
        }
        break;
    }
    f->co_result = f->v;
    f->co_state = -1;
    return CO_DONE;
}

static void member__close(struct member__frame *f)
{
    switch (f->co_state) {
    case 1: case 3: case 6: co_sleep__close(&f->u.s); break;
    case 2: co_event_wait__close(&f->u.w); break;
    case 4: co_recv__close(&f->u.c); break;
    case 5: co_lock__close(&f->u.w); break;
    default: f->co_state = -1; return;
    }
    closed++;
    f->co_state = -1;
}

CO_VT_INT(member)

static co_task *member(int kind, long ms, int v)
{
    CO_ALLOC(member);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.kind = kind;
    co_b->co_fr.ms = ms;
    co_b->co_fr.v = v;
    return &co_b->co_hdr;
}

/* ---- async int drive(void (*fn)(void *), void *arg, co_group *g, long ms)
 * fn(arg) (it spawns into g: a loop runs), then await co_group_wait(g),
 * under co_timeout(ms) when ms >= 0. */

struct drive__frame {
    int co_state;
    int co_result;
    void (*fn)(void *);
    void *arg;
    co_group *g;
    long ms;
    struct {
        struct co_timeout to;
        struct co_group_wait__frame in;
    } u;
};

static int drive__resume(struct drive__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    if (f->fn)
        f->fn(f->arg);
    if (f->ms < 0) {
        AWAIT(1, co_group_wait, f->u.in, f->g)
        f->co_result = f->u.in.co_result;
    } else {
        co_group_wait__init(f->g, &f->u.in);
        if (!co_timeout_start(&f->u.to, f->ms, t)) {
            co_group_wait__close(&f->u.in);
        } else {
        co_a2:
            if (co_timeout_done(&f->u.to, co_group_wait__resume(&f->u.in, t)))
                f->u.to.co_result = f->u.in.co_result;
            else if (!co_timeout_fired(&f->u.to)) {
                f->co_state = 2;
                return CO_PENDING;
            } else {
                co_group_wait__close(&f->u.in);
                if (f->u.in.co_state == CO_CLOSED_DONE)
                    f->u.to.co_result = f->u.in.co_result;
            }
        }
        f->co_result = f->u.to.co_result;
    }
    f->co_state = -1;
    return CO_DONE;
}

static void drive__close(struct drive__frame *f)
{
    if (f->co_state == 1)
        co_group_wait__close(&f->u.in);
    if (f->co_state == 2) {
        co_timer_stop(&f->u.to.tm);
        co_group_wait__close(&f->u.in);
    }
    f->co_state = -1;
}

CO_VT_INT(drive)

static co_task *drive(void (*fn)(void *), void *arg, co_group *g, long ms)
{
    CO_ALLOC(drive);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.fn = fn;
    co_b->co_fr.arg = arg;
    co_b->co_fr.g = g;
    co_b->co_fr.ms = ms;
    return &co_b->co_hdr;
}

/* Run drive(fn, g, g, ms) on a loop of its own; its result. */
static int run(void (*fn)(void *), co_group *g, long ms)
{
    return co_run(drive(fn, g, g, ms));
}

/* ---- 10^4 members ---------------------------------------------------------- */

static long many;

static void spawn_many(void *arg)
{
    co_group *g = arg;
    long i;

    for (i = 0; i < many; i++)
        EQ(co_group_spawn(g, member(SLEEP, i % 3, 0)), 0);
    EQ(co_group_size(g), many);
}

static void spawn_many_failing(void *arg)
{
    co_group *g = arg;
    long i;

    for (i = 0; i < many; i++)
        EQ(co_group_spawn(g, member(SLEEP, i == many / 2 ? 1 : 100000,
                                     i == many / 2 ? -EIO : 0)), 0);
}

static void spawn_chain(void *arg)
{
    chain_g = arg;
    chain_left = many - 1;
    EQ(co_group_spawn(chain_g, member(CHAIN, 0, 0)), 0);
}

static void test_many(void)
{
    co_group g;
    unsigned long a0;

    many = t_scale(10000);
    co_group_init(&g);
    a0 = co_alloc_count();
    EQ(run(spawn_many, &g, -1), 0);
    EQ(co_alloc_count() - a0, many + 1);        /* the members and drive */
    EQ(co_group_size(&g), 0);

    closed = 0;
    a0 = co_alloc_count();
    EQ(run(spawn_many_failing, &g, -1), -EIO);
    EQ(co_alloc_count() - a0, many + 1);
    EQ(closed, many - 1);                       /* all the others, at their sleep */

    a0 = co_alloc_count();
    EQ(run(spawn_chain, &g, -1), 0);
    EQ(co_alloc_count() - a0, many + 1);
    EQ(chain_left, 0);
}

/* The hook table while a chain runs: never past its first size.  A
 * member looks at it as it spawns the next. */
static unsigned cap_seen;

static void spawn_chain_watch(void *arg)
{
    co_loop *l = co_loop_current();

    spawn_chain(arg);
    cap_seen = l->capk;
}

static void test_chain_table(void)
{
    co_group g = CO_GROUP_INIT;
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
    co_task *d;

    many = t_scale(10000);
    d = co_spawn_on(l, drive(spawn_chain_watch, &g, &g, -1));
    CHECK(co_task_ref(d) != NULL);
    EQ(co_loop_run(l), 0);
    EQ(co_task_result(d, NULL), 0);
    EQ(l->capk, cap_seen);                      /* it never grew */
    CHECK(l->capk <= 16);
    EQ(l->nk, 0);                               /* and it is empty */
    co_detach(d);
    co_detach(d);
    co_loop_free(l);
}

/* ---- the first failure finds members in every state ----------------------- */

static void spawn_states(void *arg)
{
    co_group *g = arg;

    co_try_lock(&mu);                           /* the LOCK member waits */
    EQ(co_group_spawn(g, member(SLEEP, 100000, 0)), 0);
    EQ(co_group_spawn(g, member(EVENT, 100000, 0)), 0);
    EQ(co_group_spawn(g, member(RECV, 0, 0)), 0);
    EQ(co_group_spawn(g, member(LOCK, 0, 0)), 0);
    EQ(co_group_spawn(g, member(SLEEP, 5, -EPIPE)), 0);
}

/* Runs when the failure has come and the others are flagged: spawn more
 * (refused), and a member that never ran is never resumed. */
static void test_states(void)
{
    co_group g = CO_GROUP_INIT;

    closed = after = 0;
    ch = co_chan_new(sizeof(int), 0);
    EQ(run(spawn_states, &g, -1), -EPIPE);
    EQ(closed, 4);                  /* sleep, event, recv, lock: each closed */
    EQ(after, 0);
    EQ(co_unlock(&mu), 0);          /* the lock's waiter left its queue */
    EQ(co_try_lock(&mu), 0);
    EQ(co_unlock(&mu), 0);
    co_chan_free(ch);
}

/* ---- a waiter closed while a member cannot finish at once ------------------ */

static co_task *straggler;

static void spawn_straggler(void *arg)
{
    co_group *g = arg;

    straggler = member(EVENT, 100000, 0);
    CHECK(co_task_ref(straggler) != NULL);
    EQ(co_group_spawn(g, straggler), 0);
    EQ(co_group_spawn(g, member(SLEEP, 100000, 0)), 0);
}

/* Sets the event (the member is queued, its wait done) and cancels the
 * waiter in the same turn: the close resumes that member, which sees its
 * event and is closed at its next await, before the close returns. */
struct killer__frame {
    int co_state;
    int co_result;
    co_group *g;
    struct co_sleep__frame s;
};

static int killer__resume(struct killer__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->s, 10)
    co_event_set(&ev);
    EQ(straggler->state, T_READY);
    EQ(co_cancel(waiter_t), 0);     /* closes the group */
    EQ(co_group_size(f->g), 0);
    EQ(closed, 2);                  /* both, at once */
    EQ(after, 1);                   /* the queued one saw its event */
    EQ(co_task_cancelled(straggler), 1);
    f->co_result = 0;
    f->co_state = -1;
    return CO_DONE;
}

static void killer__close(struct killer__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->s);
    f->co_state = -1;
}

CO_VT_INT(killer)

static co_task *killer(co_group *g)
{
    CO_ALLOC(killer);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.g = g;
    return &co_b->co_hdr;
}

static void test_straggler(void)
{
    co_group g = CO_GROUP_INIT;
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
    int v = -1;

    closed = after = 0;
    co_event_clear(&ev);
    waiter_t = co_spawn_on(l, drive(spawn_straggler, &g, &g, -1));
    co_detach(co_spawn_on(l, killer(&g)));
    CHECK(co_task_ref(waiter_t) != NULL);
    EQ(co_loop_run(l), 0);
    EQ(co_task_cancelled(waiter_t), 1);
    EQ(after, 1);
    EQ(closed, 2);
    EQ(co_task_result(straggler, &v), -ECANCELED);
    co_detach(straggler);
    co_detach(waiter_t);
    co_detach(waiter_t);
    EQ(l->nk, 0);
    co_loop_free(l);
}

/* A member that cancels the waiter itself is running when the group
 * closes: it is let go, and cancelled at its next await. */
static co_task *killer_m;

static void spawn_killer(void *arg)
{
    co_group *g = arg;

    EQ(co_group_spawn(g, member(SLEEP, 100000, 0)), 0);
    killer_m = member(KILL, 100000, 0);
    CHECK(co_task_ref(killer_m) != NULL);
    EQ(co_group_spawn(g, killer_m), 0);
}

static void test_running_member(void)
{
    co_group g = CO_GROUP_INIT;
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);

    closed = after = 0;
    waiter_t = co_spawn_on(l, drive(spawn_killer, &g, &g, -1));
    CHECK(co_task_ref(waiter_t) != NULL);
    EQ(co_loop_run(l), 0);
    EQ(co_task_cancelled(waiter_t), 1);
    EQ(co_task_cancelled(killer_m), 1);
    EQ(after, 10);
    EQ(closed, 2);                  /* the sleeper in the close, then it */
    EQ(co_group_size(&g), 0);
    co_detach(killer_m);
    co_detach(waiter_t);
    co_detach(waiter_t);
    EQ(l->nk, 0);
    co_loop_free(l);
}

/* ---- co_timeout around the wait -------------------------------------------- */

static void spawn_slow(void *arg)
{
    co_group *g = arg;

    EQ(co_group_spawn(g, member(SLEEP, 100000, 0)), 0);
    EQ(co_group_spawn(g, member(SLEEP, 1, 0)), 0);
    EQ(co_group_spawn(g, member(RECV, 0, 0)), 0);
}

static void test_timeout(void)
{
    co_group g = CO_GROUP_INIT;

    closed = 0;
    ch = co_chan_new(sizeof(int), 0);
    EQ(run(spawn_slow, &g, 20), -ETIMEDOUT);
    EQ(closed, 2);
    EQ(co_group_size(&g), 0);
    co_chan_free(ch);
}

/* ---- allocation failure ----------------------------------------------------- */

static long fail_at;

static void spawn_failing(void *arg)
{
    co_group *g = arg;
    int i, r;

    t_fail_alloc(fail_at);
    for (i = 0; i < 40; i++) {      /* past the table's first growth */
        r = co_group_spawn(g, member(SLEEP, 100000, 0));
        CHECK(r == 0 || r == -ENOMEM || r == -ECANCELED);
    }
    t_fail_alloc(0);
}

static void test_alloc(void)
{
    co_group g = CO_GROUP_INIT;
    int r, failed = 0;

    for (fail_at = 1;; fail_at++) {
        closed = 0;
        r = run(spawn_failing, &g, 10);
        if (r == -ETIMEDOUT)        /* no spawn failed: the timeout ends it */
            break;
        EQ(r, -ENOMEM);
        failed++;
        EQ(co_group_size(&g), 0);
    }
    EQ(failed, 44);                 /* 40 members, 4 growths of the table */
}

/* ---- two loops ----------------------------------------------------------- */

static co_group two;

static void spawn_two(void *arg)
{
    (void)arg;
    EQ(co_group_spawn(&two, member(SLEEP, 100000, 0)), 0);
    EQ(co_group_spawn(&two, member(RECV, 0, 0)), 0);
}

static void stop_loop(co_task *t, void *arg)
{
    (void)t;
    co_loop_stop(arg);
}

static void from_other_loop(void *arg)
{
    unsigned long a0 = co_alloc_count();

    (void)arg;
    EQ(co_group_spawn(&two, member(SLEEP, 1, 0)), -EINVAL);
    EQ(co_alloc_count() - a0, 1);               /* made, then given up */
    EQ(co_group_cancel(&two), -EINVAL);
    EQ(co_group_close(&two), -EINVAL);
}

static void test_loops(void)
{
    co_loop *l1 = co_loop_new(CO_BACKEND_DEFAULT);
    co_task *d, *s;

    closed = 0;
    ch = co_chan_new(sizeof(int), 0);
    co_group_init(&two);
    d = co_spawn_on(l1, drive(spawn_two, NULL, &two, -1));
    co_task_ref(d);
    s = co_spawn_on(l1, member(SLEEP, 10, 0));
    EQ(co_task_on_done(s, stop_loop, l1), 0);
    co_detach(s);
    EQ(co_loop_run(l1), 0);         /* stopped: d waits for the group */
    EQ(co_group_size(&two), 2);
    /* a task of another loop: refused */
    EQ(run(from_other_loop, &two, -1), -EINVAL);
    EQ(co_group_size(&two), 2);
    /* closed from plain C, between runs: both cancelled, d woken */
    EQ(co_group_close(&two), -ECANCELED);
    EQ(closed, 2);
    EQ(co_group_size(&two), 0);
    EQ(co_loop_run(l1), 0);
    EQ(co_task_result(d, NULL), 0);
    {
        int r = 1;
        co_task_result(d, &r);
        EQ(r, -ECANCELED);          /* the waiter sees the close's status */
    }
    co_detach(d);
    co_detach(d);
    co_loop_free(l1);
    co_chan_free(ch);
}

int main(void)
{
    test_many();
    test_chain_table();
    test_states();
    test_straggler();
    test_running_member();
    test_timeout();
    test_alloc();
    test_loops();
    return t_end("group");
}
