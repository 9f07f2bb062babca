/*
 * alloc.c - co_alloc/co_free: the one place heap frames come from.
 *
 * Frames go through here so that a program or a test can ask how many
 * allocations happened (a range-for or an await must make none).
 *
 * The count is kept per thread, so that counting costs no atomic
 * read-modify-write on the spawn path: each thread that allocates gets a
 * counter, linked into one list that co_alloc_count sums.  A counter is
 * written only by its thread (a relaxed load and store) and read by any;
 * it outlives its thread, so the sum never goes back.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include "cogen.h"

struct counter {
    atomic_ulong n;
    struct counter *next;
};

/* Global mutable state (documented exception): the list of counters, and
 * this thread's.  Counters are pushed, never removed. */
static _Atomic(struct counter *) counters;
static _Thread_local struct counter *mine;

/* This thread's counter, made at its first allocation; NULL without
 * memory (the allocation then goes uncounted). */
static struct counter *join(void)
{
    struct counter *c = malloc(sizeof *c);

    if (!c)
        return NULL;
    atomic_init(&c->n, 0);
    c->next = atomic_load_explicit(&counters, memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(&counters, &c->next, c,
                                                  memory_order_release,
                                                  memory_order_relaxed))
        ;
    return mine = c;
}

/* Count p, a successful allocation, on this thread's counter. */
static void *counted(void *p)
{
    struct counter *c = mine;

    if (p && (c || (c = join())))
        atomic_store_explicit(&c->n, atomic_load_explicit(&c->n, memory_order_relaxed) + 1,
                              memory_order_relaxed);
    return p;
}

void *co_alloc(size_t n)
{
    /* malloc(0) may return NULL, which callers would take for exhaustion. */
    return counted(malloc(n ? n : 1));
}

void *co_alloc_aligned(size_t n, size_t align)
{
    if (!align || (align & (align - 1)) || n > SIZE_MAX - align)
        return NULL;
    /* aligned_alloc wants a size that is a multiple of the alignment; its
     * memory is freed by free, so co_free serves both. */
    return counted(aligned_alloc(align, (n + align - 1) / align * align));
}

void co_free(void *p)
{
    free(p);
}

unsigned long co_alloc_count(void)
{
    struct counter *c = atomic_load_explicit(&counters, memory_order_acquire);
    unsigned long n = 0;

    for (; c; c = c->next)
        n += atomic_load_explicit(&c->n, memory_order_relaxed);
    return n;
}
