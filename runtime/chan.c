/*
 * chan.c - channels: co_chan_new/close/free, co_send, co_recv, the
 * non-blocking co_try_send/co_try_recv, and the waiter queue select.c
 * and chan_shared.c build on.
 *
 * Which construct calls what: `await co_send(ch, &v)` embeds a co_chanop
 * frame in the caller's frame and calls co_send__init, then
 * co_send__resume until CO_DONE (co_send__close when cancelled meanwhile);
 * `await co_recv(ch, &v)` likewise.  The first resume on an open
 * unbuffered plain channel is the hand-off (fast_start): a partner
 * waiting is completed with a few loads and stores and queued to run;
 * everything else goes to op_start.  co_select (select.c) uses the helpers
 * of the "for select.c" section on its own waiter nodes, and an operation
 * that completes a select's case ends the select's wait here (fire_case).
 *
 * Invariants (see cogen.h for the whole list):
 *  - q holds the waiters in arrival order.  All wait in the same direction,
 *    except the nodes of one select that waits to send and to receive on
 *    this empty unbuffered channel: it registered them only because no
 *    waiter was there, and the next operation to arrive completes it.  So
 *    peer() finds a partner by looking past at most that select's nodes.
 *    Nodes of a wait that was already ended (its task's claim taken: only
 *    waits on shared channels leave them behind) do not count: they wait
 *    for their own task to take them out.
 *  - buffered: receivers wait only while len == 0, senders only while
 *    len == cap; an unbuffered channel never buffers.
 *  - closed: q is empty; it stays empty (operations do not wait).
 *  - A waiter is completed by exactly one party, which copies the value,
 *    unlinks the node, stores the result in it and wakes its task.
 *  - So on a plain channel the first waiter, when it is a task's node and
 *    not a select's, tells the direction of every waiter: the hand-off
 *    (fast_start) completes it or queues behind it on that alone.  It
 *    never meets a node left behind (only shared channels and selects
 *    that wait on one leave them, and those go to the general path), and
 *    it wakes the partner only by queueing it (co__wake): the partner
 *    runs after the caller suspends or returns, so copying the value last
 *    is the same as copying it first.
 *  - An operation completes at once or not at all in its first resume;
 *    later resumes only read the node's link.  A cancel closes only a
 *    node still queued (op_close), so an operation that completed is
 *    never undone (cogen.h, "Cancellation").
 *
 * Two kinds.  A plain channel (co_chan_new) belongs to the thread of the
 * loop that uses it and takes no lock: a hand-off is a few loads and
 * stores.  A shared one (co_chan_new_shared) has a header before the
 * channel (struct co_shx, rt.h) with a mutex that guards all of it;
 * `kind` never changes, so the plain path tells them apart without the
 * lock.  What only shared channels do (waiting with a record, the
 * reference count's end) is in chan_shared.c, which this file reaches
 * through the header's operations, never by name: the single-thread
 * core links without it.  What both kinds share stays here: the queue,
 * the hand-off, and passing by the nodes of a wait that another thread
 * or co_cancel ended (claims, rt.h).
 * Nothing here allocates but co_chan_new; chan_shared.c allocates the
 * shared channel and the records of its first waits.
 */
#include <pthread.h>
#include <stdint.h>

#include "rt.h"

/* cogen.h wraps these in macros that check typed channels, and
 * cogen_impl.h the resumes in an inline check; here they are defined, as
 * functions. */
#undef co_send__resume
#undef co_recv__resume
#undef co_chan_close
#undef co_chan_free
#undef co_chan_len
#undef co_chan_cap
#undef co_try_send
#undef co_try_recv

/* A channel's kind.  A plain channel's close sets CH_CLOSED too, so its
 * fast path tests one byte; a shared channel's kind never changes after
 * creation: read without the lock, it must not share a test with
 * `closed` (a compiler may load both bytes at once). */
enum { CH_BUF = 1, CH_SHARED = 2, CH_CLOSED = 4 };

struct co_chan {
    co_link q;          /* waiters (sentinel of a circular list) */
    uint32_t esize;     /* bytes per value */
    uint8_t closed;     /* co_chan_close was called */
    uint8_t kind;       /* CH_* */
};

/* A buffered channel: the ring follows the header in the same block. */
struct bchan {
    struct co_chan c;
    uint32_t cap;       /* ring size, > 0 */
    uint32_t len;       /* values in the ring */
    uint32_t head;      /* index of the oldest value */
    unsigned char buf[];
};

#define OP(lk) ((struct co_chanop *)((char *)(lk) - offsetof(struct co_chanop, link)))
#define WT_PTR(w) ((w) & ~(uintptr_t)3)
#define SEL(w) ((struct co_sel *)WT_PTR(w))

/* A waiting node keeps CO_WT_* in the low bits of a task or select frame
 * pointer. */
_Static_assert(_Alignof(co_task) >= 4 && _Alignof(struct co_sel) >= 4,
               "co_wt needs two free low bits");
_Static_assert(sizeof(struct co_shx) % _Alignof(struct bchan) == 0,
               "the channel after its shared header must be aligned");

#if defined(__GNUC__) || defined(__clang__)
#define CO_NOINLINE __attribute__((noinline))
#else
#define CO_NOINLINE
#endif

/* ---- locking (shared channels only) -------------------------------------------- */

static inline int is_shared(const co_chan *c)
{
    return c->kind & CH_SHARED;
}

static inline int is_buffered(const co_chan *c)
{
    return c->kind & CH_BUF;
}

static void lock(co_chan *c)
{
    pthread_mutex_lock(&CO_SHX(c)->mu);
}

/* Unlock; when the last reference went while we held the lock, nobody
 * else can reach the channel any more: free it. */
static void unlock(co_chan *c)
{
    struct co_shx *s = CO_SHX(c);
    long left = s->refs;

    pthread_mutex_unlock(&s->mu);
    if (!left)
        s->ops->destroy(c);
}

/* ---- claims ---------------------------------------------------------------------
 * A task waiting on a shared channel can have its wait ended by other
 * threads, each holding only its own channel's lock, and by co_cancel:
 * whoever ends it first takes its claim (rt.h), and the others pass its
 * nodes by until its task takes them out.  A wait that only this thread
 * can end (on plain channels only) needs no claim: its nodes leave their
 * queues as soon as it is ended. */

/* The task whose wait the node with co_wt w on c belongs to, when other
 * threads may race to end it; else NULL. */
static inline co_task *racer(const co_chan *c, uintptr_t w)
{
    if (w & CO_WT_SELECT)
        return SEL(w)->shared ? SEL(w)->task : NULL;
    return is_shared(c) ? (co_task *)WT_PTR(w) : NULL;
}

/* ---- the queue and hand-off ---------------------------------------------------- */

/* memcpy, with the common value sizes inlined; n may be 0. */
static inline void copy(void *dst, const void *src, uint32_t n)
{
    if (n == 8)
        memcpy(dst, src, 8);
    else if (n == 4)
        memcpy(dst, src, 4);
    else if (n)
        memcpy(dst, src, n);
}

/* Store a value into `out` (a receiver's object, possibly NULL). */
static inline void deliver(void *out, const void *src, uint32_t n)
{
    if (out)
        copy(out, src, n);
}

static inline void enqueue(co_chan *c, struct co_chanop *op)
{
    co_link *l = &op->link, *s = &c->q;

    l->next = s;
    l->prev = s->prev;
    s->prev->next = l;
    s->prev = l;
}

static inline void unlink_op(struct co_chanop *op)
{
    op->link.prev->next = op->link.next;
    op->link.next->prev = op->link.prev;
    op->link.next = op->link.prev = NULL;
}

/* The first waiter wanting `send` (CO_WT_SEND for senders, 0 for
 * receivers), claimed for the caller, who completes it; or NULL. */
static inline struct co_chanop *peer(co_chan *c, uintptr_t send)
{
    co_link *l;
    uintptr_t owner = 0, w;
    struct co_chanop *op;
    co_task *t;

    for (l = c->q.next; l != &c->q; l = l->next) {
        op = OP(l);
        w = op->co_wt;
        t = racer(c, w);
        if (t && co__claim_get(t) != CL_OPEN)
            continue;           /* ended already: its task takes it out */
        if ((w & CO_WT_SEND) == send) {
            if (!t || co__claim_take(t, CL_DONE))
                return op;
            continue;           /* ended by another thread just now */
        }
        if (owner && WT_PTR(w) != owner)
            break;              /* past the one mixed select: none here */
        owner = WT_PTR(w);
    }
    return NULL;
}

/* Take the nodes of select f, over plain channels only, out of their
 * queues (those that are in one). */
void co__select_unlink(struct co_sel *f)
{
    int i;

    for (i = 0; i < f->n; i++)
        if (f->c[i].op.link.next)
            unlink_op(&f->c[i].op);
}

/* Wake t, whose wait an operation on c completed: on a shared channel t
 * may belong to another loop. */
static inline void wake(co_chan *c, co_task *t)
{
    if (is_shared(c))
        CO_SHX(c)->ops->wake(t);
    else
        co__wake(t);
}

/* Complete case op (claimed, out of its queue) of the waiting select f
 * with result res, by an operation on c.  As Go's dequeue does in
 * chan.go, the channel ends the select's wait: it records the case and
 * its outcome; a select over plain channels has its other nodes taken
 * out here, on its thread, and is done; a shared one is woken, and its
 * task takes the other nodes out under their channels' locks
 * (select.c). */
static void fire_case(co_chan *c, struct co_sel *f,
                      struct co_chanop *op, int res)
{
    struct co_selcase *sc = (struct co_selcase *)
        ((char *)op - offsetof(struct co_selcase, op));

    if (sc->res)
        *sc->res = res;
    f->co_result = (int)(sc - f->c);
    if (f->shared) {
        wake(c, f->task);
        return;
    }
    co__select_unlink(f);
    f->co_state = 2;
    co__wake(f->task);
}

/* Complete the (claimed) waiter op on c with result res and wake its
 * task. */
static inline void complete(co_chan *c, struct co_chanop *op, int res)
{
    uintptr_t w = op->co_wt;

    unlink_op(op);
    if (w & CO_WT_SELECT) {
        fire_case(c, SEL(w), op, res);
        return;
    }
    op->co_state = -1;
    op->co_result = res;
    wake(c, (co_task *)WT_PTR(w));
}

static inline unsigned char *slot(struct bchan *b, uint32_t i)
{
    return b->buf + (size_t)(i % b->cap) * b->c.esize;
}

/* The operations proper, with a shared channel's lock held. */
static inline int send_now(co_chan *c, const void *elem)
{
    struct co_chanop *r;
    struct bchan *b;

    if (!c || (!elem && c->esize))
        return -EINVAL;
    if (c->closed)
        return -EPIPE;
    if (!is_buffered(c)) {
        if (c->q.next == &c->q || !(r = peer(c, 0)))
            return -EAGAIN;
        deliver(r->elem, elem, c->esize);
        complete(c, r, 1);
        return 0;
    }
    b = (struct bchan *)c;
    if (b->len == 0 && c->q.next != &c->q && (r = peer(c, 0))) {
        deliver(r->elem, elem, c->esize);
        complete(c, r, 1);
        return 0;
    }
    if (b->len == b->cap)
        return -EAGAIN;
    copy(slot(b, b->head + b->len), elem, c->esize);
    b->len++;
    return 0;
}

static inline int recv_now(co_chan *c, void *out)
{
    struct co_chanop *s;
    struct bchan *b;

    if (!c)
        return -EINVAL;
    if (!is_buffered(c)) {
        if (c->q.next != &c->q && (s = peer(c, CO_WT_SEND))) {
            deliver(out, s->elem, c->esize);
            complete(c, s, 0);
            return 1;
        }
    } else if ((b = (struct bchan *)c)->len) {
        deliver(out, slot(b, b->head), c->esize);
        b->head = (b->head + 1) % b->cap;
        b->len--;
        if (c->q.next != &c->q && (s = peer(c, CO_WT_SEND))) {
            copy(slot(b, b->head + b->len), s->elem, c->esize);
            b->len++;
            complete(c, s, 0);
        }
        return 1;
    }
    if (!c->closed)
        return -EAGAIN;
    if (out && c->esize)
        memset(out, 0, c->esize);
    return 0;
}

static int close_now(co_chan *c)
{
    struct co_chanop *op;
    uintptr_t w;
    co_task *t;

    if (c->closed)
        return -EPIPE;
    c->closed = 1;
    if (!is_shared(c))
        c->kind |= CH_CLOSED;
    /* Wake in arrival order.  Completing a select's case unlinks its other
     * cases, perhaps from this queue too: take the first each time. */
    while (c->q.next != &c->q) {
        op = OP(c->q.next);
        w = op->co_wt;
        if ((t = racer(c, w)) && !co__claim_take(t, CL_DONE)) {
            unlink_op(op);      /* ended already: its task will see */
            continue;
        }
        if (w & CO_WT_SEND) {
            complete(c, op, -EPIPE);
        } else {
            if (op->elem && c->esize)
                memset(op->elem, 0, c->esize);
            complete(c, op, 0);
        }
    }
    return 0;
}

/* ---- for select.c and chan_shared.c: a shared channel's lock is held ------------ */

int co__chan_shared(const co_chan *c)
{
    return is_shared(c);
}

void co__chan_lock(co_chan *c)
{
    lock(c);
}

void co__chan_unlock(co_chan *c)
{
    unlock(c);
}

/* Queue op; on a shared channel it holds a reference until
 * co__chan_leave. */
void co__chan_enqueue(co_chan *c, struct co_chanop *op)
{
    enqueue(c, op);
    if (is_shared(c))
        CO_SHX(c)->refs++;
}

void co__chan_unlink(struct co_chanop *op)
{
    unlink_op(op);
}

/* Take op (queued on the shared channel c by co__chan_enqueue) out of the
 * queue if it is still there, and drop its reference. */
void co__chan_leave(co_chan *c, struct co_chanop *op)
{
    if (op->link.next)
        unlink_op(op);
    CO_SHX(c)->refs--;
}

int co__chan_send_now(co_chan *c, const void *elem)
{
    return send_now(c, elem);
}

int co__chan_recv_now(co_chan *c, void *out)
{
    return recv_now(c, out);
}

/* End co_send's or co_recv's frame f with result r. */
int co__chan_done(struct co_chanop *f, int r)
{
    f->link.next = f->link.prev = NULL;
    f->co_state = -1;
    f->co_result = r;
    return CO_DONE;
}

/* ---- channels ----------------------------------------------------------------- */

/* A channel in a new block, after a shared channel's header when
 * `shared` (chan_shared.c fills it in); NULL with errno. */
co_chan *co__chan_make(size_t esize, size_t cap, int shared)
{
    size_t pre = shared ? sizeof(struct co_shx) : 0;
    char *p;
    co_chan *c;
    size_t n = sizeof(struct co_chan);

    /* cap <= 2^31 keeps head + len, in uint32_t, below 2^32. */
    if (esize > UINT32_MAX || cap > (size_t)1 << 31 ||
        (cap && esize > (SIZE_MAX - sizeof(struct bchan) - pre) / cap)) {
        errno = EINVAL;
        return NULL;
    }
    if (cap)
        n = sizeof(struct bchan) + cap * esize;
    p = co_alloc(pre + n);
    if (!p) {
        errno = ENOMEM;
        return NULL;
    }
    c = (co_chan *)(p + pre);
    c->q.next = c->q.prev = &c->q;
    c->esize = (uint32_t)esize;
    c->closed = 0;
    c->kind = (shared ? CH_SHARED : 0) | (cap ? CH_BUF : 0);
    if (cap) {
        struct bchan *b = (struct bchan *)c;
        b->cap = (uint32_t)cap;
        b->len = b->head = 0;
    }
    return c;
}

co_chan *co_chan_new(size_t esize, size_t cap)
{
    return co__chan_make(esize, cap, 0);
}

int co_chan_close(co_chan *c)
{
    int r;

    if (!c)
        return -EINVAL;
    if (!is_shared(c))
        return close_now(c);
    lock(c);
    r = close_now(c);
    unlock(c);
    return r;
}

int co_chan_free(co_chan *c)
{
    if (!c)
        return -EINVAL;
    if (!is_shared(c)) {
        close_now(c);
        co_free(c);
        return 0;
    }
    lock(c);
    close_now(c);
    CO_SHX(c)->refs--;
    unlock(c);
    return 0;
}

long co_chan_len(const co_chan *c)
{
    co_chan *m = (co_chan *)c;      /* only to lock it */
    long n;

    if (!c)
        return -EINVAL;
    if (!is_buffered(c))
        return 0;
    if (!is_shared(c))
        return (long)((const struct bchan *)c)->len;
    lock(m);
    n = (long)((struct bchan *)m)->len;
    unlock(m);
    return n;
}

long co_chan_cap(const co_chan *c)
{
    if (!c)
        return -EINVAL;
    return is_buffered(c) ? (long)((const struct bchan *)c)->cap : 0;
}

int co_try_send(co_chan *c, const void *elem)
{
    int r;

    if (!c || !is_shared(c))
        return send_now(c, elem);
    lock(c);
    r = send_now(c, elem);
    unlock(c);
    return r;
}

int co_try_recv(co_chan *c, void *out)
{
    int r;

    if (!c || !is_shared(c))
        return recv_now(c, out);
    lock(c);
    r = recv_now(c, out);
    unlock(c);
    return r;
}

/* ---- co_send and co_recv ------------------------------------------------------------
 * The node's link tells the state: pointing at itself while fresh (co_ch
 * holds the channel), in a queue while waiting (co_wt holds the task),
 * NULL once done (co_result holds the result).  Waiting on a shared
 * channel, next points at the queued record and prev at the node itself
 * (never so in a queue), and co_ch still holds the channel
 * (chan_shared.c).  The init functions are inline in cogen_impl.h. */

/* The first resume of a send (send == CO_WT_SEND) or a receive, on every
 * channel fast_start leaves: complete it now, or queue it. */
static CO_NOINLINE int op_start(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_chan *c = f->co_ch;
    struct co_chanop *p;
    int r;

    if (c && !c->kind && (f->elem || !send || !c->esize)) {
        if (c->q.next == &c->q || !(p = peer(c, send ^ CO_WT_SEND)))
            goto wait;
        if (send) {
            deliver(p->elem, f->elem, c->esize);
            complete(c, p, 1);
            r = 0;
        } else {
            deliver(f->elem, p->elem, c->esize);
            complete(c, p, 0);
            r = 1;
        }
    } else if (c && is_shared(c)) {
        return CO_SHX(c)->ops->start(f, t, send);
    } else {
        r = send ? send_now(c, f->elem) : recv_now(c, f->elem);
        if (r == -EAGAIN)
            goto wait;
    }
    return co__chan_done(f, r);
wait:
    f->co_wt = (uintptr_t)t | send;
    enqueue(c, f);
    return CO_PENDING;
}

/* The hand-off: the first resume on an open unbuffered plain channel
 * (kind 0) whose first waiter is a task, not a select.  By the queue's
 * invariant that waiter decides it: going the other way it is the
 * partner, which gets the value and is woken; going our way, so does
 * every waiter, and we queue behind them.  A few loads and stores, no
 * peer() walk, no claim, no lock; anything else (a select's node, a
 * buffered, shared or closed channel, bad arguments) goes to op_start.
 * Inline in the resume functions, with few enough registers that it
 * saves none. */
static inline int fast_start(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_chan *c = f->co_ch;
    co_link *l, *s;
    struct co_chanop *p;
    uintptr_t w;

    if (!c || c->kind || (send && !f->elem && c->esize))
        return op_start(f, t, send);
    s = &c->q;
    l = s->next;
    if (l != s) {
        p = OP(l);
        w = p->co_wt;
        if (w & CO_WT_SELECT)
            return op_start(f, t, send);
        if ((w & CO_WT_SEND) != send) {
            void *dst = send ? p->elem : f->elem;
            const void *src = send ? f->elem : p->elem;
            uint32_t n = c->esize;

            s->next = l->next;
            l->next->prev = s;
            p->link.next = p->link.prev = NULL;
            p->co_state = -1;
            p->co_result = send != 0;  /* a receiver got a value */
            co__wake((co_task *)WT_PTR(w));
            f->link.next = f->link.prev = NULL;
            f->co_state = -1;
            f->co_result = !send;      /* and so did we, receiving */
            /* Last, so that a memcpy call keeps nothing live across it;
             * the partner runs only once we return. */
            deliver(dst, src, n);
            return CO_DONE;
        }
    }
    f->co_wt = (uintptr_t)t | send;
    enqueue(c, f);
    return CO_PENDING;
}

/* Later resumes look at the link only: still waiting, or completed; on a
 * shared channel, at the record under the lock. */
static inline int op_resume(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_link *n = f->link.next;

    if (n == &f->link)
        return fast_start(f, t, send);
    if (!n)
        return CO_DONE;
    if (f->link.prev == &f->link)
        return CO_SHX(f->co_ch)->ops->resume(f);
    return CO_PENDING;
}

/* Afterwards co_result says whether the operation happened: -ECANCELED,
 * or its result when it was completed before the close could withdraw it
 * (on a shared channel, another thread may have done so since the last
 * resume). */
static void op_close(struct co_chanop *f)
{
    co_link *n = f->link.next;
    int r = -ECANCELED;

    if (!n)
        return;                                 /* done: result kept */
    if (n != &f->link) {                        /* was waiting: leave */
        if (f->link.prev == &f->link)
            CO_SHX(f->co_ch)->ops->leave(f, &r);
        else
            unlink_op(f);
    }
    co__chan_done(f, r);
    if (r != -ECANCELED)
        f->co_state = CO_CLOSED_DONE;   /* another thread completed it */
}

int co_send__resume(struct co_chanop *f, co_task *t)
{
    return op_resume(f, t, CO_WT_SEND);
}

void co_send__close(struct co_chanop *f)
{
    op_close(f);
}

int co_recv__resume(struct co_chanop *f, co_task *t)
{
    return op_resume(f, t, 0);
}

void co_recv__close(struct co_chanop *f)
{
    op_close(f);
}
