/*
 * t.h - helpers for the runtime's unit tests (tests/unit/NAME.c).
 *
 * Assertions that count failures and go on, and macros that write the
 * code cogen generates for an async function (see cogen_impl.h, "the frame
 * protocol") so a test can hand-write coroutines before the translator
 * can.  A coroutine NAME needs:
 *
 *     struct NAME__frame { int co_state; [T co_result;] ... };
 *     static void NAME__init(..., struct NAME__frame *f);
 *     static int NAME__resume(struct NAME__frame *f, co_task *t);
 *         switch (f->co_state) { case 0: break; case 1: goto co_a1; ...
 *                                default: return CO_DONE; }
 *         ... AWAIT(1, co_sleep, f->u.s, 10); ...
 *         f->co_state = -1; return CO_DONE;
 *     static void NAME__close(struct NAME__frame *f);
 *     CO_VT_INT(NAME) or CO_VT_VOID(NAME)   the box and the vt
 *     a constructor: CO_ALLOC(NAME); NAME__init(..., &co_b->co_fr);
 *                    return &co_b->co_hdr;
 *
 * The coroutines that several tests need are in frames.h, included here.
 */
#ifndef COGEN_UNIT_T_H
#define COGEN_UNIT_T_H

#define _POSIX_C_SOURCE 200809L
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cogen.h"

static int t_fails;

#define CHECK(c)                                                            \
    do {                                                                    \
        if (!(c)) {                                                         \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #c); \
            t_fails++;                                                      \
        }                                                                   \
    } while (0)

#define EQ(a, b)                                                            \
    do {                                                                    \
        long long a_ = (long long)(a), b_ = (long long)(b);                 \
        if (a_ != b_) {                                                     \
            fprintf(stderr, "%s:%d: %s is %lld, not %lld\n", __FILE__,      \
                    __LINE__, #a, a_, b_);                                  \
            t_fails++;                                                      \
        }                                                                   \
    } while (0)

#define STREQ(a, b)                                                         \
    do {                                                                    \
        const char *a_ = (a), *b_ = (b);                                    \
        if (strcmp(a_, b_) != 0) {                                          \
            fprintf(stderr, "%s:%d: %s is \"%s\", not \"%s\"\n", __FILE__,  \
                    __LINE__, #a, a_, b_);                                  \
            t_fails++;                                                      \
        }                                                                   \
    } while (0)

/* End of main: report. */
static inline int t_end(const char *name)
{
    if (t_fails) {
        fprintf(stderr, "%s: %d check(s) failed\n", name, t_fails);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

/* Milliseconds on the monotonic clock. */
static inline double t_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Under valgrind (UNIT_VALGRIND set by tests/run.sh) heavy tests run smaller. */
static inline long t_scale(long n)
{
    return getenv("UNIT_VALGRIND") ? n / 10 : n;
}

/* Durations in tests that compare timings: longer under valgrind, whose
 * slowness would otherwise eat the margins. */
static inline long T(long ms)
{
    return getenv("UNIT_VALGRIND") ? 4 * ms : ms;
}

/* ---- allocation failure --------------------------------------------------
 * tests/run.sh links every test with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc, so the runtime's allocations (co_alloc's too) come here
 * first.  t_fail_alloc(n) makes the n-th of them from now fail (1: the
 * next), once, on whichever thread makes it (t_fail_from(n): that one and
 * every one after it); t_fail_pending says whether
 * it has not happened yet, so a sweep over n knows when it has passed the
 * last allocation. */

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);

static _Atomic long t_alloc_left;   /* allocations until the failure; 0 off */
static _Atomic int t_alloc_rest;    /* the ones after it fail too */
static _Atomic int t_alloc_failing; /* t_fail_from's failure has come */

static inline void t_fail_alloc(long n)
{
    atomic_store(&t_alloc_rest, 0);
    atomic_store(&t_alloc_failing, 0);
    atomic_store(&t_alloc_left, n);
}

/* The n-th allocation from now and every one after it fail, until
 * t_fail_alloc(0). */
static inline void t_fail_from(long n)
{
    atomic_store(&t_alloc_failing, 0);
    atomic_store(&t_alloc_rest, 1);
    atomic_store(&t_alloc_left, n);
}

static inline int t_fail_pending(void)
{
    return atomic_load(&t_alloc_left) > 0;
}

/* 1 when this allocation fails. */
static int t_alloc_fails(void)
{
    if (!atomic_load(&t_alloc_failing) &&
        (atomic_load(&t_alloc_left) <= 0 || atomic_fetch_sub(&t_alloc_left, 1) != 1))
        return 0;
    if (atomic_load(&t_alloc_rest))
        atomic_store(&t_alloc_failing, 1);
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return t_alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return t_alloc_fails() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return t_alloc_fails() ? NULL : __real_realloc(p, n);
}

/* ---- the shapes of generated code ----------------------------------------- */

#define T_STR_(x) #x
#define T_STR(x) T_STR_(x)
#define T_WHERE "unit.co:" T_STR(__LINE__)

/* `await P(args)` at resume point N, its frame at FR: what cogen emits. */
#define AWAIT(N, P, FR, ...)                                                \
    P##__init(__VA_ARGS__, &(FR));                                          \
    co_a##N:                                                                \
    if (P##__resume(&(FR), t) == CO_PENDING) {                              \
        f->co_state = N;                                                    \
        if (!t->co_where)                                                   \
            t->co_where = T_WHERE;                                          \
        return CO_PENDING;                                                  \
    }

#define CO_BOX_(NAME)                                                       \
    struct NAME##__box {                                                    \
        co_task co_hdr;                                                     \
        struct NAME##__frame co_fr;                                         \
    };                                                                      \
    static int NAME##__vresume(co_task *t)                                  \
    {                                                                       \
        return NAME##__resume(&((struct NAME##__box *)t)->co_fr, t);        \
    }                                                                       \
    static void NAME##__vclose(co_task *t)                                  \
    {                                                                       \
        NAME##__close(&((struct NAME##__box *)t)->co_fr);                   \
    }

#define CO_VT_INT(NAME)                                                     \
    CO_BOX_(NAME)                                                           \
    static const co_coro_vt NAME##__vt = {                                  \
        NAME##__vresume, NAME##__vclose,                                    \
        offsetof(struct NAME##__box, co_fr.co_result), sizeof(int), #NAME   \
    };

#define CO_VT_VOID(NAME)                                                    \
    CO_BOX_(NAME)                                                           \
    static const co_coro_vt NAME##__vt = {                                  \
        NAME##__vresume, NAME##__vclose, 0, 0, #NAME                        \
    };

#define CO_ALLOC(NAME)                                                      \
    struct NAME##__box *co_b = co_alloc(sizeof *co_b);                      \
    if (!co_b)                                                              \
        return NULL;                                                        \
    co_task_init(&co_b->co_hdr, &NAME##__vt)

/* t's int result, t detached: for a task that has ended. */
static inline int t_result(co_task *t)
{
    int r = -12345;

    EQ(co_task_result(t, &r), 0);
    co_detach(t);
    return r;
}

/* The frames that several tests share. */
#include "frames.h"

#endif
