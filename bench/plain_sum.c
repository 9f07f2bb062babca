/*
 * plain_sum.c - the limit for workload (1): the same sum as gen_sum.co in a
 * plain C loop.  The empty asm in the body keeps the compiler from folding
 * or vectorising the loop away, so one iteration costs what a loop costs.
 * Usage: plain_sum N.  Prints `plain SUM NS_PER_ITEM`.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long sum_plain(long n)
{
    long s = 0;
    for (long i = 0; i < n; i++) {
        s += i;
        __asm__ volatile("");
    }
    return s;
}

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? (long)strtod(argv[1], NULL) : 1000000000L;
    long (*volatile f)(long) = sum_plain;   /* keep n unknown inside */

    if (n <= 0) {
        fprintf(stderr, "usage: plain_sum N  (N > 0)\n");
        return 2;
    }
    double t = now_ns();
    long s = f(n);
    t = now_ns() - t;
    printf("plain %ld %.3f\n", s, t / n);
    return 0;
}
