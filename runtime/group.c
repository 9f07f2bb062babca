/*
 * group.c - task groups (structured concurrency): co_group_spawn,
 * co_group_wait, co_group_cancel, co_group_close.
 *
 * A group holds one reference to each member and hears of each one's end
 * through a hook: its own node, g->hook, which is the last hook of every
 * member (F_MEMBER makes co__hook_add keep it last, so one node can end
 * many lists).  A member costs the group nothing but its entry in the
 * loop's hook table, which its hook needs anyway and which also holds its
 * links in the group's member list (spawn order; rt.h, co__hk_mlink).
 *
 * The fire runs inside fire_hooks (task.c), where nothing may run user
 * code or change the hook table: it counts the member out, gives its
 * reference up (co__finish frees it right after) and, at the first
 * failure, flags the other members F_CANCEL and wakes those that wait.
 * The loop then closes each at its next turn, as co_cancel would have
 * (a woken task's awaits return CO_PENDING again, and a task suspended
 * with F_CANCEL is closed).  A close of the group (co_group_close, or
 * co_group_wait's frame closed: its task cancelled, co_timeout giving
 * up) cannot wait, and runs where user code may run: it cancels the
 * members at once, one after the other, and lets go of those that cannot
 * finish yet, which run on detached, still to be cancelled.
 */
#include "rt.h"

static co_group *of_hook(co_hook *h)
{
    return (co_group *)((char *)h - offsetof(co_group, hook));
}

static co_mlink *links(co_task *m)
{
    return co__hk_mlink(m->loop, m);
}

/* Take m (a member with its entry) out of g's list. */
static void unlink_member(co_group *g, co_task *m)
{
    co_mlink *ml = links(m);

    if (ml->prev)
        links(ml->prev)->next = ml->next;
    else
        g->first = ml->next;
    if (ml->next)
        links(ml->next)->prev = ml->prev;
    else
        g->last = ml->prev;
    ml->prev = ml->next = NULL;
    m->flags &= ~F_MEMBER;
    g->n--;
}

/* Put m (hooked, with its entry) at the end of g's list. */
static void link_member(co_group *g, co_task *m)
{
    co_mlink *ml = links(m);

    ml->prev = g->last;
    ml->next = NULL;
    if (g->last)
        links(g->last)->next = m;
    else
        g->first = m;
    g->last = m;
    m->flags |= F_MEMBER;
    g->n++;
}

/* Cancel m at its next turn: what co_cancel does, but without closing a
 * waiting task here (it is woken, and the loop closes it). */
static void flag(co_task *m)
{
    switch (m->state) {
    case T_WAITING:
        m->flags |= F_CANCEL;
        co__wake(m);
        break;
    case T_FRESH:
    case T_READY:
    case T_RUNNING:
        m->flags |= F_CANCEL;
        break;
    default:
        break;
    }
}

/* The group fails with s (the first failure wins): flag every member. */
static void fail(co_group *g, int s)
{
    co_task *m;

    if (g->failing || g->closing)
        return;
    g->failing = 1;
    g->status = s;
    for (m = g->first; m; m = links(m)->next)
        flag(m);
}

/* A member has finished (inside fire_hooks: only wake and count). */
static void group_fire(co_hook *h, co_task *t)
{
    co_group *g = of_hook(h);
    int s = co__status(t);

    unlink_member(g, t);
    t->refs--;                  /* the group's; co__finish frees t next */
    if (s < 0)
        fail(g, s);
    if (!g->n && g->waiter)
        co__wake(g->waiter);
}

/* The result of a group whose members are gone; the group is as new. */
static int take(co_group *g)
{
    int r = g->status;

    g->status = 0;
    g->failing = 0;
    g->loop = NULL;
    g->first = g->last = NULL;
    return r;
}

/* Is t a member of g?  (Its last hook is g's.) */
static int member_of(co_task *t, const co_group *g)
{
    co_hook **p;

    if (!(t->flags & F_MEMBER) || !(p = co__hk_find(t->loop, t)) || !*p)
        return 0;
    while ((*p)->next)
        p = &(*p)->next;
    return *p == &g->hook;
}

int co_group_init(co_group *g)
{
    if (!g)
        return -EINVAL;
    memset(g, 0, sizeof *g);
    return 0;
}

/* Give up the reference of a new task the group does not take. */
static int refuse(co_task *t, int r)
{
    if (t)
        co_detach(t);
    return r;
}

int co_group_spawn(co_group *g, co_task *t)
{
    co_loop *l = co__cur;

    if (t && (t->loop || t->state != T_NEW))
        return -EINVAL;         /* spawned or cancelled: the caller keeps it */
    if (!g || !l || ((g->n || g->waiter) && g->loop != l))
        return refuse(t, -EINVAL);
    if (!t) {                   /* its constructor ran out of memory */
        g->loop = l;
        fail(g, -ENOMEM);
        return -ENOMEM;
    }
    if (g->failing || g->closing)
        return refuse(t, -ECANCELED);   /* never runs */
    if (!co_spawn_on(l, t))
        return -ECANCELED;      /* the loop is being freed; t is gone */
    g->hook.fire = group_fire;
    g->loop = l;
    if (co__hook_add(t, &g->hook) < 0) {
        co_cancel(t);           /* spawned, never runs */
        co_detach(t);
        fail(g, -ENOMEM);
        return -ENOMEM;
    }
    link_member(g, t);
    return 0;
}

int co_group_cancel(co_group *g)
{
    if (!g)
        return -EINVAL;
    if (g->n && g->loop != co__cur)
        return -EINVAL;
    fail(g, -ECANCELED);
    return 0;
}

long co_group_size(const co_group *g)
{
    return g ? g->n : -EINVAL;
}

/* Cancel m, a member, for a close, which cannot wait: as co_cancel, but
 * a queued member (its operation done, not resumed yet) is resumed now,
 * with F_CANCEL, as the loop would resume it: it sees its operation's
 * result (a cancel undoes nothing) and is closed at its next suspension,
 * here and now.  It stays in the queue part of the list, where the loop
 * finds it: finished (F_QUEUED, to be freed there), or still waiting
 * when its wait cannot be closed at once (F_SHIELD, another thread).
 * Outside its loop's run, or while the loop is freed, it is only
 * flagged (co_cancel). */
static void cancel_member(co_task *m)
{
    co_loop *l = m->loop;

    if (m->state != T_READY || co__cur != l || l->closing) {
        co_cancel(m);
        return;
    }
    m->flags |= F_CANCEL;
    m->state = T_RUNNING;
    m->co_where = NULL;
    if (m->vt->resume(m) != CO_PENDING) {
        co__finish(m, 0);
    } else {
        m->state = T_WAITING;
        if ((m->flags & F_SHIELD) || !co__cancel_wait(m)) {
            if (m->flags & F_WOKEN) {
                m->flags &= ~F_WOKEN;
                m->state = T_READY;
            }
            return;
        }
    }
    m->flags |= F_QUEUED;       /* finished: the loop frees it */
}

/* m was a member when the close cancelled it and has not finished: let
 * go of it (it runs on detached, to be cancelled at its next turn). */
static void let_go(co_group *g, co_task *m)
{
    unlink_member(g, m);
    co__hook_del(m, &g->hook);
    co_detach(m);               /* the group's reference; m is alive */
}

int co_group_close(co_group *g)
{
    co_task *m;
    int held, cancelled = 0;

    if (!g)
        return -EINVAL;
    if (g->closing)
        return -EALREADY;       /* from a member's defer, during a close */
    if (g->n && g->loop != co__cur && co__cur)
        return -EINVAL;
    g->closing = 1;
    while ((m = g->first)) {
        held = co_task_ref(m) != NULL;  /* look at m after its cancel */
        if (!T_FINISHED(m)) {
            cancel_member(m);
            cancelled = 1;
        }
        if (m->flags & F_MEMBER)
            let_go(g, m);
        if (held)
            co_detach(m);
    }
    g->closing = 0;
    if (cancelled && !g->status)
        g->status = -ECANCELED;
    if (g->waiter) {            /* a waiter elsewhere takes the result */
        co__wake(g->waiter);
        return g->status;
    }
    return take(g);
}

/* ---- co_group_wait ---------------------------------------------------------
 * co_state: 0 fresh, 1 waiting (g->waiter is its task), -1 done. */

void co_group_wait__init(co_group *g, struct co_group_wait__frame *f)
{
    f->co_state = 0;
    f->g = g;
}

int co_group_wait__resume(struct co_group_wait__frame *f, co_task *t)
{
    co_group *g = f->g;

    switch (f->co_state) {
    case 0:
        if (!g || ((g->n || g->waiter) && g->loop != t->loop)) {
            f->co_result = -EINVAL;
            break;
        }
        if (member_of(t, g)) {
            f->co_result = -EDEADLK;
            break;
        }
        if (g->waiter) {
            f->co_result = -EBUSY;
            break;
        }
        if (!g->n) {
            f->co_result = take(g);
            break;
        }
        g->waiter = t;
        g->loop = t->loop;
        f->co_state = 1;
        return CO_PENDING;
    case 1:
        if (g->n)
            return CO_PENDING;  /* woken by something else, or a new member */
        g->waiter = NULL;
        f->co_result = take(g);
        break;
    default:
        return CO_DONE;
    }
    f->co_state = -1;
    return CO_DONE;
}

/* The waiter cancelled, or co_timeout giving up: the group closes.  When
 * every member had finished already, the wait's result is kept
 * (CO_CLOSED_DONE), as co_timeout asks. */
void co_group_wait__close(struct co_group_wait__frame *f)
{
    co_group *g = f->g;

    if (f->co_state != 1) {
        f->co_state = -1;
        return;
    }
    g->waiter = NULL;
    if (!g->n) {
        f->co_result = take(g);
        f->co_state = CO_CLOSED_DONE;
        return;
    }
    f->co_result = co_group_close(g);
    f->co_state = -1;
}
