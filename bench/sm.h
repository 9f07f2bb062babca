/*
 * sm.h - the hand-written limit of the channel workloads: a FIFO run
 * queue of tasks that are switch-based state machines, and a rendezvous
 * channel with room for one waiting task, written the way a careful
 * programmer would write them for one thread, without the cogen runtime.
 * bench/handoff_sm.c and bench/pingpong_sm.c are built on it; each
 * channel in them has at most one waiter at a time, so one slot is
 * enough, and nothing here checks more than those programs need.
 */
#ifndef SM_H
#define SM_H

#include <stddef.h>

/* A task: its resume function runs it to its next wait. */
struct sm_task {
    void (*resume)(struct sm_task *t);
    struct sm_task *next;       /* in the run queue */
};

/* The run queue, FIFO. */
struct sm_loop {
    struct sm_task *head, *tail;
};

static inline void sm_wake(struct sm_loop *l, struct sm_task *t)
{
    t->next = NULL;
    if (l->tail)
        l->tail->next = t;
    else
        l->head = t;
    l->tail = t;
}

/* Resume queued tasks until none is queued. */
static inline void sm_run(struct sm_loop *l)
{
    struct sm_task *t;

    while ((t = l->head)) {
        l->head = t->next;
        if (!l->head)
            l->tail = NULL;
        t->resume(t);
    }
}

/* An unbuffered channel of longs: a waiting task, whether it sends, and
 * where its value is (or goes) and where its result goes. */
struct sm_chan {
    struct sm_task *w;          /* the waiting task, or NULL */
    long *slot;
    int *res;
    int wsend;
    int closed;
};

/* Send *v on c for t: 1 when it completed (a receiver waited), 0 when t
 * now waits (it is woken with *res set: 1 taken, -1 closed). */
static inline int sm_send(struct sm_loop *l, struct sm_chan *c, long *v,
                          int *res, struct sm_task *t)
{
    if (c->w && !c->wsend) {
        *c->slot = *v;
        *c->res = 1;
        sm_wake(l, c->w);
        c->w = NULL;
        *res = 1;
        return 1;
    }
    c->w = t;
    c->slot = v;
    c->res = res;
    c->wsend = 1;
    return 0;
}

/* Receive into *out on c for t: 1 when it completed (*res: 1 a value,
 * 0 closed), 0 when t now waits (woken with *res set the same way). */
static inline int sm_recv(struct sm_loop *l, struct sm_chan *c, long *out,
                          int *res, struct sm_task *t)
{
    if (c->w && c->wsend) {
        *out = *c->slot;
        *c->res = 1;
        sm_wake(l, c->w);
        c->w = NULL;
        *res = 1;
        return 1;
    }
    if (c->closed) {
        *res = 0;
        return 1;
    }
    c->w = t;
    c->slot = out;
    c->res = res;
    c->wsend = 0;
    return 0;
}

static inline void sm_close(struct sm_loop *l, struct sm_chan *c)
{
    c->closed = 1;
    if (c->w) {
        *c->res = c->wsend ? -1 : 0;
        sm_wake(l, c->w);
        c->w = NULL;
    }
}

#endif
