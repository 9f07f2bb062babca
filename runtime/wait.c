/*
 * wait.c - the combinators: co_gather, co_wait, co_as_completed.
 *
 * co_gather joins its tasks one after the other (a finished task costs a
 * look; an unfinished one one co_join, on a reference of its own that the
 * join gives back), so it needs no storage per task, and takes their
 * results and the caller's references at the end.
 * co_wait and co_as_completed must hear about whichever task finishes
 * first, so they hang a hook on every pending task: CO_WAIT_INLINE hooks
 * live in the frame, more are allocated for the duration of one wait.  A
 * hook's fire only counts and wakes; the woken resume looks at the tasks
 * again (O(n)), so a wake that comes for another reason (the timeout, a
 * cancellation) is harmless.
 *
 * A library file (lib.h): it is written on co_join and the tasks' hooks.
 */
#include "lib.h"

/* A task of the array that is no good: NULL, or never spawned. */
static int bad(const co_task *x)
{
    return !x || x->state == T_NEW;
}

/* ---- co_gather -------------------------------------------------------------
 * co_state: 0 fresh, 1 joining tasks[i], -1 done. */

void co_gather__init(co_task **tasks, int n, void *results,
                     struct co_gather__frame *f)
{
    f->co_state = 0;
    f->tasks = tasks;
    f->n = n;
    f->results = results;
}

/* The size of a result slot, or -1 when the tasks' sizes differ. */
static long slot_size(const struct co_gather__frame *f)
{
    long s = 0, k;
    int i, seen = 0;

    for (i = 0; i < f->n; i++) {
        if (bad(f->tasks[i]))
            continue;
        k = (long)f->tasks[i]->vt->result_size;
        if (seen && k != s)
            return -1;
        s = k;
        seen = 1;
    }
    return s;
}

/* Refuse a call that is wrong as a whole: -EINVAL, -EDEADLK or 0. */
static int gather_check(const struct co_gather__frame *f, co_task *t)
{
    int i;

    if (f->n < 0 || (f->n > 0 && !f->tasks))
        return -EINVAL;
    if (f->results && slot_size(f) < 0)
        return -EINVAL;
    for (i = 0; i < f->n; i++)
        if (f->tasks[i] == t)
            return -EDEADLK;
    return 0;
}

/* Take every task's result and reference; the first failure or 0. */
static int gather_take(struct co_gather__frame *f)
{
    long size = f->results ? slot_size(f) : 0;
    char *slot = f->results;
    co_task *x;
    int i, s, r = 0;

    for (i = 0; i < f->n; i++, slot = slot ? slot + size : NULL) {
        x = f->tasks[i];
        if (!bad(x) && T_FINISHED(x)) {
            s = co__status(x);
            co__take(x, slot);
        } else {                    /* unfinished only when out of memory */
            s = bad(x) ? -EINVAL : 0;
            if (slot)
                memset(slot, 0, (size_t)size);
        }
        if (!bad(x))
            co_detach(x);
        if (s < 0 && r == 0)
            r = s;
    }
    return r;
}

int co_gather__resume(struct co_gather__frame *f, co_task *t)
{
    co_task *x;

    switch (f->co_state) {
    case 0:
        if ((f->co_result = gather_check(f, t)) < 0)
            goto done;
        f->i = 0;
        break;
    case 1:
        if (co_join__resume(&f->j, t) == CO_PENDING)
            return CO_PENDING;
        f->i++;                     /* it finished: 0 or -ECANCELED */
        break;
    default:
        return CO_DONE;
    }
    for (; f->i < f->n; f->i++) {
        x = f->tasks[f->i];
        if (bad(x) || T_FINISHED(x) || !co_task_ref(x))
            continue;
        co_join__init(x, NULL, &f->j);  /* it gives that reference back */
        if (co_join__resume(&f->j, t) == CO_PENDING) {
            f->co_state = 1;
            return CO_PENDING;
        }
        goto nomem;                 /* x is unfinished: nothing else */
    }
    f->co_result = gather_take(f);
    goto done;
nomem:
    gather_take(f);                 /* the unfinished ones run on, detached */
    f->co_result = -ENOMEM;
done:
    f->co_state = -1;
    return CO_DONE;
}

/* Closed while it waits: every reference goes all the same (the join's
 * with the join), the tasks run on, detached. */
void co_gather__close(struct co_gather__frame *f)
{
    int i;

    if (f->co_state == 1) {
        co_join__close(&f->j);
        for (i = 0; i < f->n; i++)
            if (!bad(f->tasks[i]))
                co_detach(f->tasks[i]);
    }
    f->co_state = -1;
}

/* ---- the watching both co_wait and co_as_completed do ---------------------- */

static void wait_fire(co_hook *h, co_task *done)
{
    struct co_whook *w = (struct co_whook *)h;
    struct co_wait__frame *f = w->w;

    w->on = 0;
    f->pending--;
    if (f->first < 0)
        f->first = w->i;
    if (f->mode == CO_FIRST_COMPLETED || f->pending == 0 ||
        (f->mode == CO_FIRST_EXCEPTION && co__status(done) < 0))
        co__ready(f->self);
}

/* Check the arguments; 0 or -EINVAL. */
static int check(struct co_wait__frame *f)
{
    int i;

    if (f->n < 0 || (f->n > 0 && !f->tasks) || f->mode < CO_ALL_COMPLETED ||
        f->mode > CO_FIRST_EXCEPTION)
        return -EINVAL;
    for (i = 0; i < f->n; i++)
        if (bad(f->tasks[i]))
            return -EINVAL;
    return 0;
}

/* Hook every pending task and start the timer; 0, or -ENOMEM (then
 * unwatch cleans up what was done). */
static int watch(struct co_wait__frame *f, co_task *t, long timeout)
{
    int i, np = 0;
    struct co_whook *w;

    f->self = t;
    f->first = -1;
    f->pending = 0;
    f->nh = 0;
    f->tm.idx = 0;
    for (i = 0; i < f->n; i++)
        np += !T_FINISHED(f->tasks[i]);
    f->hooks = f->inl;
    if (np > CO_WAIT_INLINE && !(f->hooks = co_alloc(np * sizeof *f->hooks)))
        return -ENOMEM;
    for (i = 0; i < f->n; i++) {
        if (T_FINISHED(f->tasks[i]))
            continue;
        w = &f->hooks[f->nh++];
        w->h.fire = wait_fire;
        w->w = f;
        w->i = i;
        w->on = co__hook_add(f->tasks[i], &w->h) == 0;
        if (!w->on)
            return -ENOMEM;
        f->pending++;
    }
    if (timeout > 0)
        return co_timer_start(&f->tm, timeout, t);
    return 0;
}

static void unwatch(struct co_wait__frame *f)
{
    int k;

    for (k = 0; k < f->nh; k++)
        if (f->hooks[k].on)
            co__hook_del(f->tasks[f->hooks[k].i], &f->hooks[k].h);
    if (f->hooks && f->hooks != f->inl)
        co_free(f->hooks);
    f->hooks = NULL;
    f->nh = 0;
    co_timer_stop(&f->tm);
}

/* ---- co_wait ---------------------------------------------------------------
 * co_state: 0 fresh, 1 waiting, -1 done.  tm.when holds the timeout until
 * the first resume. */

/* Does the mode's condition hold? */
static int satisfied(const struct co_wait__frame *f)
{
    int i, done = 0;

    for (i = 0; i < f->n; i++) {
        if (!T_FINISHED(f->tasks[i]))
            continue;
        done++;
        if (f->mode == CO_FIRST_COMPLETED ||
            (f->mode == CO_FIRST_EXCEPTION && co__status(f->tasks[i]) < 0))
            return 1;
    }
    return done == f->n;
}

/* Finished tasks to the front, in order; their number. */
static int partition(struct co_wait__frame *f)
{
    int i, k = 0;
    co_task *x;

    for (i = 0; i < f->n; i++) {
        if (!T_FINISHED(f->tasks[i]))
            continue;
        x = f->tasks[i];
        f->tasks[i] = f->tasks[k];
        f->tasks[k++] = x;
    }
    return k;
}

void co_wait__init(co_task **tasks, int n, int mode, long timeout_ms,
                   struct co_wait__frame *f)
{
    f->co_state = 0;
    f->tasks = tasks;
    f->n = n;
    f->mode = mode;
    f->tm.when = timeout_ms;
    f->hooks = NULL;
    f->nh = 0;
}

int co_wait__resume(struct co_wait__frame *f, co_task *t)
{
    long timeout;

    switch (f->co_state) {
    case 0:
        timeout = (long)f->tm.when;
        f->tm.idx = 0;
        if ((f->co_result = check(f)) < 0)
            break;
        if (satisfied(f) || timeout == 0) {
            f->co_result = partition(f);
            break;
        }
        if ((f->co_result = watch(f, t, timeout)) < 0) {
            unwatch(f);
            break;
        }
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        if (!satisfied(f) && !co_timer_fired(&f->tm))
            return CO_PENDING;
        unwatch(f);
        f->co_result = partition(f);
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

void co_wait__close(struct co_wait__frame *f)
{
    if (f->co_state == 1)
        unwatch(f);
    f->co_state = -1;
}

/* ---- co_as_completed -------------------------------------------------------
 * co_state: 0 fresh, 1 waiting, -1 done.  The inner co_wait frame only
 * holds the arguments and the hooks (FIRST_COMPLETED).  A NULL result says
 * why in errno, set by the resume that gives it: the await's caller reads
 * it next, with nothing run in between. */

/* Give tasks[i]: move it to the end of the live part, shrink the part. */
static co_task *pick(struct co_as_completed__frame *f, int i)
{
    co_task **ts = f->w.tasks, *x = ts[i];
    int n = --*f->np;

    ts[i] = ts[n];
    ts[n] = x;
    return x;
}

void co_as_completed__init(co_task **tasks, int *n, long timeout_ms,
                           struct co_as_completed__frame *f)
{
    f->co_state = 0;
    f->np = n;
    co_wait__init(tasks, n ? *n : -1, CO_FIRST_COMPLETED, timeout_ms, &f->w);
}

int co_as_completed__resume(struct co_as_completed__frame *f, co_task *t)
{
    struct co_wait__frame *w = &f->w;
    long timeout;
    int i, r;

    switch (f->co_state) {
    case 0:
        f->co_result = NULL;
        timeout = (long)w->tm.when;
        w->tm.idx = 0;
        if (!f->np || check(w) < 0) {
            errno = EINVAL;
            break;
        }
        if (w->n == 0)
            break;
        for (i = 0; i < w->n; i++)
            if (T_FINISHED(w->tasks[i])) {
                f->co_result = pick(f, i);
                goto done;
            }
        if (timeout == 0) {
            errno = ETIMEDOUT;
            break;
        }
        if ((r = watch(w, t, timeout)) < 0) {
            unwatch(w);
            errno = -r;
            break;
        }
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        if (w->first < 0 && !co_timer_fired(&w->tm))
            return CO_PENDING;
        i = w->first;
        unwatch(w);
        if (i >= 0)
            f->co_result = pick(f, i);
        else
            errno = ETIMEDOUT;
        break;
    default:
        return CO_DONE;
    }
done:
    f->co_state = -1;
    return CO_DONE;
}

void co_as_completed__close(struct co_as_completed__frame *f)
{
    if (f->co_state == 1)
        unwatch(&f->w);
    f->co_state = -1;
}
