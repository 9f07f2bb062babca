/*
 * idents.c - plain C in which cogen's words are ordinary identifiers.
 *
 * yield, await, async, generator, defer and from are keywords only where
 * they start one of cogen's forms; here they are variables, functions,
 * struct members, macros, labels and parameters, so cogen must copy this
 * file byte for byte (tests/identity.sh), and it must build and run as C.
 * Nothing here is a coroutine: "generator(int) fib(int max) {" is only a
 * string, and so is this comment's yield from g();.
 */
#define _POSIX_C_SOURCE 200809L
#include <sched.h>
#include <stdio.h>
#include <string.h>

#define defer(x) ((x) + 1)
#define yield_twice(x) (2 * (x))
#define GEN_FORM "generator(int) g(void) { yield 1; }"
#define async_mode 1

struct generator {
    int yield;
    int await;
    int async;
    int defer;
    int from;
    const char *generator;
};

enum { from_start = 10, await_none = 20 };

/* A function called generator(int). */
static int generator(int n);

static int generator(int n) {
    return n * 3;
}

static int yield(int x) {
    return x + 100;
}

static int await(int (*fn)(int), int v) {
    return fn(v);
}

static int async(int x) {
    return x - 1;
}

/* Parameters with the same names. */
static int sum(int yield, int await, int async, int defer, int from) {
    return yield + await + async + defer + from;
}

static int count_down(int from) {
    int steps = 0;
yield:
    if (from > 0) {
        from--;
        steps++;
        goto yield;
    }
    goto defer;
defer:
    return steps;
}

static int (*pick(int which))(int) {
    return which ? yield : generator;
}

int main(void) {
    struct generator g = { .yield = 1, .await = 2, .async = 3, .defer = 4,
                           .from = 5, .generator = "member" };
    struct generator *gp = &g;
    int total = g.yield + g.await + gp->async + gp->defer + gp->from;
    printf("members %d %s\n", total, gp->generator);

    printf("calls %d %d %d %d\n", generator(4), yield(1), await(generator, 5),
           async(10));
    printf("macros %d %d %d %s\n", defer(41), yield_twice(21), async_mode,
           GEN_FORM);
    printf("params %d\n", sum(1, 2, 3, 4, 5));
    printf("labels %d\n", count_down(3));
    printf("pointer %d %d\n", pick(1)(1), pick(0)(1));

    {
        int yield = 7, await = 9, defer = 1, from = 3;
        const char *generator = "local";
        int async = 12;
        yield %= 4;
        await /= 2;
        printf("locals %d %d %d %d %s %d\n", yield, await, defer == 1,
               from << 1, generator, async % 5);
        for (int i = from > 0 ? from : 0; i < 5; i++)
            yield += i;
        printf("ternary for %d\n", yield);
        int arr[3] = { [0] = from_start, [2] = await_none };
        for (int k = 0; k < 3; k++)
            defer += arr[k] ? 1 : 0;
        printf("designators %d\n", defer);
    }

    int rc = sched_yield();
    printf("sched_yield %d\n", rc);
    printf("strlen %zu\n", strlen("yield from defer; await async(); {"));
    return 0;
}
