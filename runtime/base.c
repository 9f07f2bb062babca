/*
 * base.c - what every part of the runtime needs of the loop, kept out of
 * loop.c: the loop running on this thread, the clock, and a walk over a
 * loop's tasks.
 *
 * loop.c drives the others (timers, tasks, descriptors, signals, the
 * inbox); they need only these three things back from it.  Here, apart,
 * they let the files depend on each other one way: loop.c on the rest,
 * the rest on base.c, and base.c on nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "rt.h"

_Thread_local co_loop *co__cur;

long long co__now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void co__each_task(co_loop *l, void (*fn)(co_task *))
{
    co_task todo, *s = &l->all, *oldrq = l->rq, *t;
    int queued = 0;

    if (s->next == s)
        return;
    /* Move the whole list to `todo`, then put each task back where it
     * belongs before fn sees it: fn may wake, finish or move any task. */
    todo.next = s->next;
    todo.prev = s->prev;
    todo.next->prev = &todo;
    todo.prev->next = &todo;
    s->next = s->prev = s;
    l->rq = s;
    while (todo.next != &todo) {
        t = todo.next;
        if (t == oldrq)
            queued = 1;
        co__unlink(t);
        if (queued)
            co__append(l, t);
        else
            co__park(l, t);
        fn(t);
    }
}
