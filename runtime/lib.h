/*
 * lib.h - what the library tier needs of the core, and nothing more.
 *
 * The runtime has three tiers (as libdill keeps its scheduler apart from
 * its sockets library):
 *
 *   the core     what schedules and suspends: the loop and its backends,
 *                tasks, timers, channels and select, generators,
 *                allocation, hooks, SIGINT, descriptor readiness
 *                (co_readable, co_writable)
 *   the library  awaitables written on the frame protocol alone: net.c
 *                (co_read, co_write, co_accept, co_connect), sync.c (the
 *                sync primitives), wait.c (co_gather, co_wait,
 *                co_as_completed)
 *   the layer    what other threads reach: future.c, pool.c,
 *                chan_shared.c, remote.c
 *
 * A library file includes this header, never rt.h: it uses cogen.h,
 * cogen_impl.h and the names below, so co_loop is opaque to it.
 * tests/core_size.sh checks with nm that a library object refers to no
 * other runtime symbol.  rt.h includes this header: the core defines all
 * of it.
 */
#ifndef COGEN_LIB_H
#define COGEN_LIB_H

#include "cogen.h"

/* ---- task states and flags (task.c) --------------------------------------
 *
 * co_task.state and co_task.flags.  The library reads the states (a join
 * or a combinator looks whether a task has finished) and F_CANCEL, and
 * sets F_SHIELD; the rest is the core's.
 *
 * A task is in exactly one state:
 *
 *   T_NEW        created by its constructor, not spawned: no loop, in no list
 *   T_FRESH      spawned, queued, never resumed
 *   T_READY      queued: woken, to be resumed
 *   T_RUNNING    being resumed (or closed) right now
 *   T_WAITING    suspended; registered with a channel, timer, task...
 *   T_DONE       finished normally; its result is in its frame
 *   T_CANCELLED  finished by co_cancel
 *
 * The list and the run queue they move in are rt.h's.
 */
enum {
    T_NEW,
    T_FRESH,
    T_READY,
    T_RUNNING,
    T_WAITING,
    T_DONE,
    T_CANCELLED
};

enum {
    F_MEMBER = 1,       /* in a task group: its last hook is the group's,
                         * and stays last (co__hook_add puts others
                         * before it); its hook table entry holds its
                         * links in the group's member list (group.c) */
    F_CANCEL = 2,       /* cancel at the next suspension */
    F_WOKEN = 4,        /* woken while running: queue again if it suspends */
    F_QUEUED = 8,       /* finished, but queued to run its done callbacks */
    F_HOOKED = 16,      /* has an entry in its loop's hook table */
    F_INCB = 32,        /* its done callbacks are running */
    F_REMOTE = 64,      /* has waited on another thread: before freeing it,
                         * make sure no wake-up for it is in the inbox */
    F_SHIELD = 128      /* its primitive ends its wait itself when
                         * cancelled (co_cond_wait re-takes its mutex):
                         * co_cancel wakes it instead of closing it, and
                         * it is closed once it suspends without this */
};

#define T_FINISHED(t) ((t)->state >= T_DONE)

/* Make a waiting task runnable, from its loop's thread (co__wake, not
 * inline: the run queue is the core's).  Idempotent. */
void co__ready(co_task *t);

/* ---- results and hooks of other tasks (task.c) --------------------------- */

/* Copy finished t's result to out (zeroed when t was cancelled; out may
 * be NULL); 0 or -ECANCELED.  Inline: every join comes this way. */
static inline int co__take(const co_task *t, void *out)
{
    size_t n = t->vt->result_size;

    if (t->state == T_CANCELLED) {
        if (out && n)
            memset(out, 0, n);
        return -ECANCELED;
    }
    if (out && n)
        memcpy(out, (const char *)t + t->vt->result_off, n);
    return 0;
}
/* A finished task's status for co_gather/co_wait: -ECANCELED, its int
 * result when negative, else 0. */
int co__status(const co_task *t);
/* Append h to t's hooks (t spawned, not finished); -ENOMEM. */
int co__hook_add(co_task *t, co_hook *h);
/* Remove h from t's hooks if it is there. */
void co__hook_del(co_task *t, co_hook *h);

/* ---- descriptors (io.c) ------------------------------------------------- */

/* What co_fdwait.ev holds, and what the backends report and are asked
 * to watch. */
enum { CO_EV_IN = 1, CO_EV_OUT = 2, CO_EV_ERR = 4, CO_EV_NVAL = 8 };

/* Before the first I/O on fd by co_read, co_write, co_accept or
 * co_connect: make fd non-blocking, once per descriptor (the table
 * remembers; co_close and a poll(2) POLLNVAL make it forget).  0, or
 * -EBADF / fcntl(2)'s error. */
int co__io_nonblock(co_loop *l, int fd);

/* ---- co_accept's line (loop.c) -------------------------------------------- */

/* The head of l's line of acceptors (net.c says what it is). */
struct co_accept__frame **co__acceptors(co_loop *l);

#endif
