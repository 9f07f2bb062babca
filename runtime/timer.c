/*
 * timer.c - timers on a binary heap, and co_sleep.
 *
 * A co_timer is a node embedded in a frame; the loop's heap is an array of
 * pointers to them, ordered by deadline and then by start order, and each
 * timer remembers its index so co_timer_stop removes it in O(log n).  The
 * array grows by doubling; nothing else is allocated.
 */
#include <limits.h>
#include <stdlib.h>

#include "rt.h"

static int before(const co_timer *a, const co_timer *b)
{
    if (a->when != b->when)
        return a->when < b->when;
    return (int)(a->seq - b->seq) < 0;
}

static void put(co_loop *l, unsigned i, co_timer *tm)
{
    l->heap[i] = tm;
    tm->idx = i + 1;
}

static void up(co_loop *l, unsigned i)
{
    co_timer *tm = l->heap[i];

    while (i > 0 && before(tm, l->heap[(i - 1) / 2])) {
        put(l, i, l->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    put(l, i, tm);
}

static void down(co_loop *l, unsigned i)
{
    co_timer *tm = l->heap[i];
    unsigned c;

    while ((c = 2 * i + 1) < l->nheap) {
        if (c + 1 < l->nheap && before(l->heap[c + 1], l->heap[c]))
            c++;
        if (!before(l->heap[c], tm))
            break;
        put(l, i, l->heap[c]);
        i = c;
    }
    put(l, i, tm);
}

/* Take the timer at index i out of the heap. */
static void take(co_loop *l, unsigned i)
{
    co_timer *last = l->heap[--l->nheap];

    if (i < l->nheap) {
        put(l, i, last);
        if (i > 0 && before(last, l->heap[(i - 1) / 2]))
            up(l, i);
        else
            down(l, i);
    }
}

/* Start tm at the absolute deadline when (ns on CLOCK_MONOTONIC). */
static int start_at(co_timer *tm, long long when, co_task *t)
{
    co_loop *l = t->loop;
    co_timer **h;
    unsigned cap;

    if (l->nheap == l->capheap) {
        cap = l->capheap ? l->capheap * 2 : 16;
        h = realloc(l->heap, cap * sizeof *h);
        if (!h)
            return -ENOMEM;
        l->heap = h;
        l->capheap = cap;
    }
    tm->when = when;
    tm->task = t;
    tm->seq = l->tseq++;
    l->heap[l->nheap++] = tm;
    l->attn = 1;                /* the loop fires timers now (loop.c) */
    up(l, l->nheap - 1);
    return 0;
}

int co_timer_start(co_timer *tm, long ms, co_task *t)
{
    if (!tm || !t || !t->loop || ms < 0)
        return -EINVAL;
    if (ms > CO_MAX_MS)
        ms = CO_MAX_MS;
    return start_at(tm, co__now() + ms * 1000000LL, t);
}

void co_timer_stop(co_timer *tm)
{
    if (!tm)
        return;
    if (tm->idx && tm->idx != CO_TIMER_FIRED)
        take(tm->task->loop, tm->idx - 1);
    tm->idx = 0;
}

int co_timer_fired(const co_timer *tm)
{
    return tm && tm->idx == CO_TIMER_FIRED;
}

int co__timer_timeout(co_loop *l, long long now)
{
    long long d;

    if (!l->nheap)
        return -1;
    d = l->heap[0]->when - now;
    if (d <= 0)
        return 0;
    d = (d + 999999) / 1000000;         /* round up: never wake early */
    return d > INT_MAX ? INT_MAX : (int)d;
}

void co__timer_fire(co_loop *l, long long now)
{
    co_timer *tm;

    while (l->nheap && (tm = l->heap[0])->when <= now) {
        take(l, 0);
        tm->idx = CO_TIMER_FIRED;
        co__wake(tm->task);
    }
}

/* ---- deadline blocks -----------------------------------------------------
 * The deadline is tm.when, set once; the timer only wakes the task there
 * (when ms > 0 and it could start).  A deadline that could not be armed
 * (no memory for the heap, no task) is one that has passed: a block that
 * cannot keep its deadline is left at its first wait, never waits on. */

int co_deadline_start(struct co_deadline *d, long ms, co_task *t)
{
    long long now = co__now();

    d->tm.idx = 0;
    if (ms > CO_MAX_MS)
        ms = CO_MAX_MS;
    if (ms <= 0) {
        d->tm.when = now + (ms < -CO_MAX_MS ? -CO_MAX_MS : ms) * 1000000LL;
        return 1;
    }
    if (!t || !t->loop || start_at(&d->tm, now + ms * 1000000LL, t) < 0) {
        d->tm.idx = 0;
        d->tm.when = LLONG_MIN;
    }
    return 1;
}

int co_deadline_over(const struct co_deadline *d)
{
    return co_timer_fired(&d->tm) || co__now() >= d->tm.when;
}

void co_deadline_stop(struct co_deadline *d)
{
    co_timer_stop(&d->tm);
}

/* ---- co_sleep ------------------------------------------------------------
 * co_state: 0 fresh, 1 sleeping, 2 yielding (co_sleep(0)), -1 done. */

void co_sleep__init(long ms, struct co_sleep__frame *f)
{
    f->co_state = 0;
    f->tm.when = ms;
    f->tm.idx = 0;
}

int co_sleep__resume(struct co_sleep__frame *f, co_task *t)
{
    long ms;

    switch (f->co_state) {
    case 0:
        ms = (long)f->tm.when;
        if (ms < 0) {
            f->co_result = -EINVAL;
            break;
        }
        if (ms == 0) {
            t->flags |= F_WOKEN;        /* queue again right away */
            f->co_state = 2;
            return CO_PENDING;
        }
        f->co_result = co_timer_start(&f->tm, ms, t);
        if (f->co_result < 0)
            break;
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        if (!co_timer_fired(&f->tm))
            return CO_PENDING;
        f->co_result = 0;
        break;
    case 2:
        f->co_result = 0;
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

void co_sleep__close(struct co_sleep__frame *f)
{
    if (f->co_state == 1)
        co_timer_stop(&f->tm);
    f->co_state = -1;
}
