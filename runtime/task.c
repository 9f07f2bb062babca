/*
 * task.c - tasks: spawning, finishing, cancelling, results, done callbacks,
 * ownership, and co_join.
 *
 * A task's block is { co_task header; frame }, made by the generated
 * constructor.  cogen.h says who owns it and when it is freed (refs counts
 * the handles not yet given up by co_join, co_gather or co_detach); rt.h
 * lists the states.  A finished task fires its hooks: co_join and co_wait
 * frames are woken at once; done callbacks (hooks with fire == NULL,
 * allocated here) are run later by the loop, which finds the task queued
 * again.
 */
#include <limits.h>
#include <stdlib.h>

#include "rt.h"

/* cogen.h declares claim a plain byte so that C++ can include it; the
 * runtime uses it as the atomic it is (rt.h). */
_Static_assert(sizeof(atomic_uchar) == 1 && _Alignof(atomic_uchar) == 1,
               "claim is an atomic byte");

/* A done callback: a hook node of our own. */
struct cbnode {
    co_hook h;
    void (*fn)(co_task *t, void *arg);
    void *arg;
};

void co_task_init(co_task *t, const co_coro_vt *vt)
{
    if (!t)
        return;
    t->vt = vt;
    t->co_where = NULL;
    t->next = t->prev = NULL;
    t->loop = NULL;
    t->state = T_NEW;
    t->flags = 0;
    t->rwake = 0;
    t->claim = CL_NONE;
    t->refs = 1;
}

co_task *co_spawn_on(co_loop *l, co_task *t)
{
    if (!t)
        return NULL;
    if (t->loop || t->state != T_NEW)
        return NULL;            /* spawned or cancelled: the holder keeps it */
    if (!l || l->closing) {     /* the caller's reference goes */
        co_detach(t);
        return NULL;
    }
    t->loop = l;
    t->state = T_FRESH;
    co__append(l, t);
    return t;
}

co_task *co_spawn(co_task *t)
{
    return co_spawn_on(co__cur, t);
}

/* ---- hooks ---------------------------------------------------------------- */

int co__hook_add(co_task *t, co_hook *h)
{
    co_hook **p = co__hk_add(t->loop, t);

    if (!p)
        return -ENOMEM;
    t->flags |= F_HOOKED;
    /* Append: hooks fire in order; O(hooks).  A group member's group
     * hook stays last: its node is the group's, the last of every
     * member's list (group.c), so nothing may follow it. */
    while (*p && !((t->flags & F_MEMBER) && !(*p)->next))
        p = &(*p)->next;
    h->next = *p;
    *p = h;
    return 0;
}

void co__hook_del(co_task *t, co_hook *h)
{
    co_hook **head, **p;

    if (!(t->flags & F_HOOKED) || !(head = co__hk_find(t->loop, t)))
        return;
    for (p = head; *p; p = &(*p)->next)
        if (*p == h) {
            *p = h->next;
            break;
        }
    if (!*head) {
        co__hk_del(t->loop, t);
        t->flags &= ~F_HOOKED;
    }
}

/* Fire t's wake hooks (a fire function only wakes tasks and updates its
 * own frame: it must not add or remove hooks); keep t's done callbacks and
 * queue t to run them. */
static void fire_hooks(co_task *t)
{
    co_loop *l = t->loop;
    co_hook **head = co__hk_find(l, t);
    co_hook *h, *next, *cbs = NULL, **tail = &cbs;

    if (!head) {
        t->flags &= ~F_HOOKED;
        return;
    }
    /* Queue t for its callbacks before waking anyone: they run before the
     * joiners resume, as in asyncio when they were added first. */
    for (h = *head; h && h->fire; h = h->next)
        ;
    if (h && !(t->flags & (F_QUEUED | F_INCB))) {
        t->flags |= F_QUEUED;
        co__unlink(t);
        co__append(l, t);
    }
    for (h = *head; h; h = next) {
        next = h->next;
        if (h->fire) {
            h->next = NULL;
            h->fire(h, t);
        } else {
            *tail = h;
            tail = &h->next;
        }
    }
    *tail = NULL;
    *head = cbs;
    if (!cbs) {
        co__hk_del(l, t);
        t->flags &= ~F_HOOKED;
    }
}

void co__finish(co_task *t, int cancelled)
{
    co_loop *l = t->loop;

    t->state = cancelled ? T_CANCELLED : T_DONE;
    t->flags &= ~(F_CANCEL | F_WOKEN | F_SHIELD);
    if (t->flags & F_HOOKED)
        fire_hooks(t);
    if (t == l->until)
        l->stop = 1;
    co__maybe_free(t);
}

void co__run_callbacks(co_task *t)
{
    co_loop *l = t->loop;
    co_hook **head;
    struct cbnode *cb;

    t->flags |= F_INCB;         /* a callback may release t: not yet */
    while ((t->flags & F_HOOKED) && (head = co__hk_find(l, t)) && *head) {
        cb = (struct cbnode *)*head;
        *head = cb->h.next;
        if (!*head) {
            co__hk_del(l, t);
            t->flags &= ~F_HOOKED;
        }
        cb->fn(t, cb->arg);
        co_free(cb);
    }
    t->flags &= ~(F_INCB | F_QUEUED);
    co__maybe_free(t);
}

void co__maybe_free(co_task *t)
{
    if (!t->refs && !(t->flags & (F_QUEUED | F_INCB)) && T_FINISHED(t) &&
        !t->loop->sweeping && !((t->flags & F_REMOTE) && co__remote_held(t)))
        co__task_free(t);
}

void co__task_free(co_task *t)
{
    co_hook **head, *h, *next;

    if (t->loop) {
        if ((t->flags & F_HOOKED) && (head = co__hk_find(t->loop, t))) {
            for (h = *head; h; h = next) {
                next = h->next;
                if (!h->fire)
                    co_free(h);
            }
            co__hk_del(t->loop, t);
        }
        co__unlink(t);
    }
    co_free(t);
}

void co__cancel_now(co_task *t)
{
    t->state = T_RUNNING;       /* wakes during the close are ignored */
    t->flags |= F_CANCEL;
    t->vt->close(t);
    co__finish(t, 1);
}

/* May the wait of t be closed now, or did its operation complete?  A
 * wait on a shared channel is withdrawn with the claim (rt.h), so that
 * no other thread can complete it after this; a wait of another kind
 * that another thread ended has its wake-up in the inbox already. */
static int withdrawn(co_task *t)
{
    switch (co__claim_get(t)) {
    case CL_NONE:
        return !((t->flags & F_REMOTE) && co__remote_held(t));
    case CL_OPEN:
        return co__claim_take(t, CL_CANCEL);    /* else a completer did */
    case CL_DONE:
        return 0;
    default:
        return 1;                               /* withdrawn already */
    }
}

int co__cancel_wait(co_task *t)
{
    if (!withdrawn(t))
        return 0;
    co__cancel_now(t);
    return 1;
}

/* ---- the public task API ---------------------------------------------------- */

int co_cancel(co_task *t)
{
    if (!t)
        return -EINVAL;
    switch (t->state) {
    case T_NEW:
        t->state = T_CANCELLED;     /* never runs; close has nothing to do */
        return 0;
    case T_FRESH:
        t->flags |= F_QUEUED;       /* stays queued until the loop sees it */
        co__finish(t, 1);
        return 0;
    case T_READY:
    case T_RUNNING:
        t->flags |= F_CANCEL;
        return 0;
    case T_WAITING:
        /* Closed now, unless its operation completed meanwhile (it then
         * sees the result, and the flag cancels it at its next
         * suspension) or its primitive must see the flag and end the
         * wait itself (F_SHIELD). */
        t->flags |= F_CANCEL;
        if (t->flags & F_SHIELD)
            co__wake(t);
        else
            co__cancel_wait(t);
        return 0;
    default:
        return -EALREADY;
    }
}

int co_task_done(const co_task *t)
{
    if (!t)
        return -EINVAL;
    return T_FINISHED(t);
}

int co_task_cancelled(const co_task *t)
{
    if (!t)
        return -EINVAL;
    return t->state == T_CANCELLED;
}

int co_task_result(const co_task *t, void *out)
{
    if (!t)
        return -EINVAL;
    if (t->state == T_CANCELLED)
        return -ECANCELED;
    if (t->state != T_DONE)
        return -EAGAIN;
    if (out && t->vt->result_size)
        memcpy(out, (const char *)t + t->vt->result_off, t->vt->result_size);
    return 0;
}

int co__status(const co_task *t)
{
    int r;

    if (t->state == T_CANCELLED)
        return -ECANCELED;
    if (t->vt->result_size != sizeof(int))
        return 0;
    memcpy(&r, (const char *)t + t->vt->result_off, sizeof r);
    return r < 0 ? r : 0;
}

int co_task_on_done(co_task *t, void (*fn)(co_task *, void *), void *arg)
{
    struct cbnode *cb;

    if (!t || !fn || !t->loop)
        return -EINVAL;
    cb = co_alloc(sizeof *cb);
    if (!cb)
        return -ENOMEM;
    cb->h.fire = NULL;
    cb->fn = fn;
    cb->arg = arg;
    if (co__hook_add(t, &cb->h) < 0) {
        co_free(cb);
        return -ENOMEM;
    }
    if (T_FINISHED(t) && !(t->flags & (F_QUEUED | F_INCB))) {
        t->flags |= F_QUEUED;       /* run it soon, from the loop */
        co__unlink(t);
        co__append(t->loop, t);
    }
    return 0;
}

int co_detach(co_task *t)
{
    if (!t || !t->refs)
        return -EINVAL;
    if (--t->refs)
        return 0;
    if (!t->loop) {                 /* never spawned: nobody else has it */
        if (t->state == T_NEW)
            t->vt->close(t);
        co_free(t);
        return 0;
    }
    co__maybe_free(t);
    return 0;
}

co_task *co_task_ref(co_task *t)
{
    if (!t || !t->refs || t->refs == UINT_MAX)
        return NULL;
    t->refs++;
    return t;
}

/* ---- co_join -------------------------------------------------------------
 * co_state: 0 fresh, 1 hooked on the target, 2 the target finished, -1
 * done. */

static void join_fire(co_hook *h, co_task *done)
{
    struct co_join__frame *f = (struct co_join__frame *)
        ((char *)h - offsetof(struct co_join__frame, hook));

    (void)done;
    f->co_state = 2;
    co__wake(f->self);
}

void co_join__init(co_task *t, void *out, struct co_join__frame *f)
{
    f->co_state = 0;
    f->target = t;
    f->out = out;
}

int co_join__resume(struct co_join__frame *f, co_task *t)
{
    co_task *tg = f->target;

    switch (f->co_state) {
    case 0:
        if (!tg || tg->state == T_NEW || !tg->refs || !tg->loop) {
            f->co_result = -EINVAL;
            break;
        }
        if (T_FINISHED(tg))
            goto take;
        if (tg == t) {
            f->co_result = -EDEADLK;
            break;
        }
        f->self = t;
        f->hook.fire = join_fire;
        if (co__hook_add(tg, &f->hook) < 0) {
            f->co_result = -ENOMEM;
            co_detach(tg);          /* it runs on, detached */
            break;
        }
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        return CO_PENDING;          /* woken by something else: still waiting */
    case 2:
    take:
        f->co_result = co__take(tg, f->out);
        if (--tg->refs == 0)        /* co_detach of a spawned task */
            co__maybe_free(tg);
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

/* A join closed once it has started gives the reference up all the
 * same: the target runs on, detached (Tokio drops the JoinHandle). */
void co_join__close(struct co_join__frame *f)
{
    if (f->co_state == 1)
        co__hook_del(f->target, &f->hook);
    if (f->co_state == 1 || f->co_state == 2)
        co_detach(f->target);
    f->co_state = -1;
}

void co__ready(co_task *t)
{
    co__wake(t);
}
