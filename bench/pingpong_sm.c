/*
 * pingpong_sm.c - the hand-written peer of bench/pingpong.co: the same
 * ping-pong over two unbuffered channels as two switch-based state
 * machines on a FIFO run queue (sm.h), with no cogen runtime.  The pinger
 * is queued first, as amain runs before the task it spawns.
 *
 * Usage: pingpong_sm N, N messages (N/2 round trips).  Prints
 * `hand NS_PER_MESSAGE MESSAGES`; exits 1 if an echo comes back wrong.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sm.h"

static struct sm_loop loop;
static struct sm_chan ping, back;

struct pinger {
    struct sm_task t;
    int state;
    int res;
    long i, rounds, v, sum;
};

struct ponger {
    struct sm_task t;
    int state;
    int res;
    long v;
};

static void pinger(struct sm_task *t)
{
    struct pinger *p = (struct pinger *)t;

    switch (p->state) {
    case 0:
        for (p->i = 0; p->i < p->rounds; p->i++) {
            p->v = p->i;
            if (!sm_send(&loop, &ping, &p->v, &p->res, t)) {
                p->state = 1;
                return;
    case 1:;
            }
            if (!sm_recv(&loop, &back, &p->v, &p->res, t)) {
                p->state = 2;
                return;
    case 2:;
            }
            p->sum += p->v;
        }
        sm_close(&loop, &ping);
        p->state = -1;
    }
}

static void ponger(struct sm_task *t)
{
    struct ponger *p = (struct ponger *)t;

    switch (p->state) {
    case 0:
        for (;;) {
            if (!sm_recv(&loop, &ping, &p->v, &p->res, t)) {
                p->state = 1;
                return;
    case 1:;
            }
            if (p->res <= 0)
                break;
            if (!sm_send(&loop, &back, &p->v, &p->res, t)) {
                p->state = 2;
                return;
    case 2:;
            }
        }
        p->state = -1;
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
    struct pinger a = { { pinger, NULL }, 0, 0, 0, n / 2, 0, 0 };
    struct ponger b = { { ponger, NULL }, 0, 0, 0 };

    if (n < 2) {
        fprintf(stderr, "usage: pingpong_sm N  (N >= 2)\n");
        return 2;
    }
    double t0 = now_ns();
    sm_wake(&loop, &a.t);
    sm_wake(&loop, &b.t);
    sm_run(&loop);
    double el = now_ns() - t0;
    if (a.state != -1 || b.state != -1 ||
        a.sum != a.rounds * (a.rounds - 1) / 2) {
        fprintf(stderr, "pingpong_sm: wrong sum %ld\n", a.sum);
        return 1;
    }
    printf("hand %.3f %ld\n", el / (2 * a.rounds), 2 * a.rounds);
    return 0;
}
