/*
 * frames.h - the coroutines that several unit tests need, written once
 * the way cogen generates them (t.h's macros; cogen.h, "the frame
 * protocol").  Included by t.h; a test writes only the frames that are
 * its own.
 *
 *   t_value(v)        async int value(int v) { return v; }
 *                     no await: done at its first resume
 *   t_work(ms, v)     async int work(long ms, int v) {
 *                         int r = await co_sleep(ms); return r < 0 ? r : v; }
 *                     one suspension, and a result to wait for
 *   t_join(x, out)    async int join(co_task *x, int *out) {
 *                         return await co_join(x, out); }
 *                     a second task that waits for x
 *   tmo_recv          co_timeout(ms, co_recv(ch, out)), as a frame to
 *                     embed (no constructor)
 *
 * t_value and t_work count their returns in t_ran (a test compares it
 * before and after); a cancelled one does not count.
 */
#ifndef COGEN_UNIT_FRAMES_H
#define COGEN_UNIT_FRAMES_H

static _Atomic long t_ran;      /* t_value and t_work that returned */

/* ---- async int value(int v) ----------------------------------------------- */

struct t_value__frame {
    int co_state;
    int co_result;
    int v;
};

static inline int t_value__resume(struct t_value__frame *f, co_task *t)
{
    (void)t;
    if (f->co_state != 0)
        return CO_DONE;
    t_ran++;
    f->co_result = f->v;
    f->co_state = -1;
    return CO_DONE;
}

static inline void t_value__close(struct t_value__frame *f)
{
    f->co_state = -1;
}

CO_VT_INT(t_value)

static inline co_task *t_value(int v)
{
    CO_ALLOC(t_value);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.v = v;
    return &co_b->co_hdr;
}

/* ---- async int work(long ms, int v) ---------------------------------------- */

struct t_work__frame {
    int co_state;
    int co_result;
    int v;
    long ms;
    union {
        struct co_sleep__frame s;
    } u;
};

static inline int t_work__resume(struct t_work__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    if (f->u.s.co_result < 0) {
        f->co_result = f->u.s.co_result;
    } else {
        t_ran++;
        f->co_result = f->v;
    }
    f->co_state = -1;
    return CO_DONE;
}

static inline void t_work__close(struct t_work__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_INT(t_work)

static inline co_task *t_work(long ms, int v)
{
    CO_ALLOC(t_work);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.ms = ms;
    co_b->co_fr.v = v;
    return &co_b->co_hdr;
}

/* ---- async int join(co_task *x, int *out) --------------------------------- */

struct t_join__frame {
    int co_state;
    int co_result;
    co_task *x;
    int *out;
    union {
        struct co_join__frame j;
    } u;
};

static inline int t_join__resume(struct t_join__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_join, f->u.j, f->x, f->out)
    f->co_result = f->u.j.co_result;
    f->co_state = -1;
    return CO_DONE;
}

static inline void t_join__close(struct t_join__frame *f)
{
    if (f->co_state == 1)
        co_join__close(&f->u.j);
    f->co_state = -1;
}

CO_VT_INT(t_join)

static inline co_task *t_join(co_task *x, int *out)
{
    CO_ALLOC(t_join);
    co_b->co_fr.co_state = 0;
    co_b->co_fr.x = x;
    co_b->co_fr.out = out;
    return &co_b->co_hdr;
}

/* ---- co_timeout(ms, co_recv(ch, out)), as cogen is meant to generate it
 * (cogen.h, co_timer_start): the timer starts at the first resume; the
 * inner frame is resumed first, so a value that arrives with the timeout
 * is not lost.  Result: co_recv's, or -ETIMEDOUT. */

struct tmo_recv__frame {
    int co_state;
    int co_result;
    long ms;
    co_timer tm;
    union {
        struct co_recv__frame r;
    } u;
};

static inline void tmo_recv__init(long ms, co_chan *ch, void *out,
                                  struct tmo_recv__frame *f)
{
    f->co_state = 0;
    f->ms = ms;
    co_recv__init(ch, out, &f->u.r);
}

static inline int tmo_recv__resume(struct tmo_recv__frame *f, co_task *t)
{
    int r;

    switch (f->co_state) {
    case 0:
        r = co_timer_start(&f->tm, f->ms, t);
        if (r < 0) {
            co_recv__close(&f->u.r);
            f->co_result = r;
            f->co_state = -1;
            return CO_DONE;
        }
        f->co_state = 1;
        /* fall through */
    case 1:
        if (co_recv__resume(&f->u.r, t) == CO_DONE) {
            co_timer_stop(&f->tm);
            f->co_result = f->u.r.co_result;
        } else if (co_timer_fired(&f->tm)) {
            co_recv__close(&f->u.r);
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

static inline void tmo_recv__close(struct tmo_recv__frame *f)
{
    if (f->co_state == 1) {
        co_recv__close(&f->u.r);
        co_timer_stop(&f->tm);
    }
    f->co_state = -1;
}

#endif
