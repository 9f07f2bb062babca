/*
 * handoff_sm.c - the hand-written peer of bench/handoff.co: the same
 * producer/consumer over one unbuffered channel as two switch-based state
 * machines on a FIFO run queue (sm.h), with no cogen runtime.  The
 * consumer is queued first, as amain runs before the task it spawns.
 *
 * Usage: handoff_sm N.  Prints `hand NS_PER_VALUE VALUES`; exits 1 if the
 * sum is wrong.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sm.h"

static struct sm_loop loop;
static struct sm_chan ch;

struct producer {
    struct sm_task t;
    int state;
    int res;
    long i, n;
};

struct consumer {
    struct sm_task t;
    int state;
    int res;
    long v, sum, got;
};

static void produce(struct sm_task *t)
{
    struct producer *p = (struct producer *)t;

    switch (p->state) {
    case 0:
        for (p->i = 0; p->i < p->n; p->i++) {
            if (!sm_send(&loop, &ch, &p->i, &p->res, t)) {
                p->state = 1;
                return;
    case 1:;
            }
        }
        sm_close(&loop, &ch);
        p->state = -1;
    }
}

static void consume(struct sm_task *t)
{
    struct consumer *c = (struct consumer *)t;

    switch (c->state) {
    case 0:
        for (;;) {
            if (!sm_recv(&loop, &ch, &c->v, &c->res, t)) {
                c->state = 1;
                return;
    case 1:;
            }
            if (c->res <= 0)
                break;
            c->sum += c->v;
            c->got++;
        }
        c->state = -1;
    }
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? (long)strtod(argv[1], NULL) : 10000000L;
    struct producer p = { { produce, NULL }, 0, 0, 0, n };
    struct consumer c = { { consume, NULL }, 0, 0, 0, 0, 0 };

    if (n < 1) {
        fprintf(stderr, "usage: handoff_sm N  (N >= 1)\n");
        return 2;
    }
    double t0 = now_ns();
    sm_wake(&loop, &c.t);
    sm_wake(&loop, &p.t);
    sm_run(&loop);
    double el = now_ns() - t0;
    if (c.state != -1 || p.state != -1 || c.got != n ||
        c.sum != n * (n - 1) / 2) {
        fprintf(stderr, "handoff_sm: %ld values summing to %ld\n", c.got, c.sum);
        return 1;
    }
    printf("hand %.3f %ld\n", el / n, n);
    return 0;
}
