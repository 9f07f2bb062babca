/*
 * alloc.c - co_alloc/co_free: the one place heap frames come from.
 *
 * Frames go through here so that a program or a test can ask how many
 * allocations happened (a range-for or an await must make none).
 */
#include <stdatomic.h>
#include <stdlib.h>

#include "cogen.h"

/* Global mutable state (documented exception): the number of successful
 * co_alloc calls.  Atomic because tasks may allocate on several threads;
 * relaxed, because it orders nothing and is only ever read as a count. */
static atomic_ulong nallocs;

void *co_alloc(size_t n)
{
    /* malloc(0) may return NULL, which callers would take for exhaustion. */
    void *p = malloc(n ? n : 1);

    if (p)
        atomic_fetch_add_explicit(&nallocs, 1, memory_order_relaxed);
    return p;
}

void co_free(void *p)
{
    free(p);
}

unsigned long co_alloc_count(void)
{
    return atomic_load_explicit(&nallocs, memory_order_relaxed);
}
