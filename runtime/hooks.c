/*
 * hooks.c - the hook table: which co_join/co_wait watchers and done
 * callbacks wait on which task.
 *
 * Few tasks are ever joined or watched while they run, so instead of a
 * pointer in every task header (48 bytes, a memory target) each loop keeps
 * an open addressing table, task -> head of its hook list, with linear
 * probing and backward-shift deletion.  A task with an entry has F_HOOKED,
 * so finishing a task without hooks never looks here.  The table grows by
 * doubling at half load (amortised; the only allocation is the array).
 *
 * An entry also holds the task's links in the member list of its task
 * group (group.c), when it is in one: a member always has a hook, its
 * group's, so its entry lives exactly as long as its membership.  The
 * links are task pointers, so entries may move (growth, deletion).
 */
#include <stdint.h>
#include <stdlib.h>

#include "rt.h"

struct co_hkent {
    co_task *key;       /* NULL: free slot */
    co_hook *head;      /* the task's hooks, in the order added */
    co_mlink ml;        /* its group's member list, when it is in one */
};

static unsigned home(const co_task *t, unsigned mask)
{
    uint64_t x = (uint64_t)(uintptr_t)t >> 4;

    return (unsigned)((x * 0x9E3779B97F4A7C15u) >> 32) & mask;
}

static long find(co_loop *l, const co_task *t)
{
    unsigned mask = l->capk - 1, i;

    if (!l->capk)
        return -1;
    for (i = home(t, mask); l->hk[i].key; i = (i + 1) & mask)
        if (l->hk[i].key == t)
            return i;
    return -1;
}

co_hook **co__hk_find(co_loop *l, const co_task *t)
{
    long i = find(l, t);

    return i < 0 ? NULL : &l->hk[i].head;
}

co_mlink *co__hk_mlink(co_loop *l, const co_task *t)
{
    long i = find(l, t);

    return i < 0 ? NULL : &l->hk[i].ml;
}

static int grow(co_loop *l)
{
    unsigned cap = l->capk ? l->capk * 2 : 16, mask = cap - 1, i, j;
    struct co_hkent *hk = calloc(cap, sizeof *hk);

    if (!hk)
        return -ENOMEM;
    for (i = 0; i < l->capk; i++) {
        if (!l->hk[i].key)
            continue;
        for (j = home(l->hk[i].key, mask); hk[j].key; j = (j + 1) & mask)
            ;
        hk[j] = l->hk[i];
    }
    free(l->hk);
    l->hk = hk;
    l->capk = cap;
    return 0;
}

co_hook **co__hk_add(co_loop *l, co_task *t)
{
    long f = find(l, t);
    unsigned mask, i;

    if (f >= 0)
        return &l->hk[f].head;
    if ((l->nk + 1) * 2 > l->capk && grow(l) < 0)
        return NULL;
    mask = l->capk - 1;
    for (i = home(t, mask); l->hk[i].key; i = (i + 1) & mask)
        ;
    l->hk[i].key = t;
    l->hk[i].head = NULL;
    l->hk[i].ml.prev = l->hk[i].ml.next = NULL;
    l->nk++;
    return &l->hk[i].head;
}

void co__hk_del(co_loop *l, const co_task *t)
{
    long f = find(l, t);
    unsigned mask = l->capk - 1, i, j, k;

    if (f < 0)
        return;
    /* Close the gap: move up each later entry of the probe run whose home
     * is not cyclically in (i, j]. */
    for (i = j = (unsigned)f;;) {
        j = (j + 1) & mask;
        if (!l->hk[j].key)
            break;
        k = home(l->hk[j].key, mask);
        if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
            l->hk[i] = l->hk[j];
            i = j;
        }
    }
    l->hk[i].key = NULL;
    l->hk[i].head = NULL;
    l->hk[i].ml.prev = l->hk[i].ml.next = NULL;
    l->nk--;
}

void co__hk_free(co_loop *l)
{
    free(l->hk);
    l->hk = NULL;
    l->capk = l->nk = 0;
}
