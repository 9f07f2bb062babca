/*
 * chan.c - channels: co_chan_new/close/free, co_send, co_recv, and the
 * non-blocking co_try_send/co_try_recv.
 *
 * Which construct calls what: `await co_send(ch, &v)` embeds a co_chanop
 * frame in the caller's frame and calls co_send__init, then
 * co_send__resume until CO_DONE (co_send__close when cancelled meanwhile);
 * `await co_recv(ch, &v)` likewise.  co_select (select.c) uses the helpers
 * at the end of this file on its own waiter nodes.
 *
 * Invariants (see cogen.h for the whole list):
 *  - q holds the waiters in arrival order.  All wait in the same direction,
 *    except the nodes of one select that waits to send and to receive on
 *    this empty unbuffered channel: it registered them only because no
 *    waiter was there, and the next operation to arrive completes it.  So
 *    peer() finds a partner by looking past at most that select's nodes.
 *  - buffered: receivers wait only while len == 0, senders only while
 *    len == cap; an unbuffered channel never buffers.
 *  - closed: q is empty; it stays empty (operations do not wait).
 *  - A waiter is completed by exactly one party, which copies the value,
 *    unlinks the node, stores the result in it and wakes its task.
 *
 * No locks: a channel belongs to the thread of the loop that uses it.
 * Nothing here allocates but co_chan_new.
 */
#include <stdint.h>

#include "rt.h"

struct co_chan {
    co_link q;          /* waiters (sentinel of a circular list) */
    uint32_t esize;     /* bytes per value */
    uint8_t closed;     /* co_chan_close was called */
    uint8_t buffered;   /* the channel is a struct bchan */
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

/* A waiting node keeps CO_WT_* in the low bits of a task or select frame
 * pointer. */
_Static_assert(_Alignof(co_task) >= 4 && _Alignof(struct co_select__frame) >= 4,
               "co_wt needs two free low bits");

#if defined(__GNUC__) || defined(__clang__)
#define CO_NOINLINE __attribute__((noinline))
#else
#define CO_NOINLINE
#endif

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
 * receivers), or NULL. */
static inline struct co_chanop *peer(co_chan *c, uintptr_t send)
{
    co_link *l;
    uintptr_t owner = 0, o;
    struct co_chanop *op;

    for (l = c->q.next; l != &c->q; l = l->next) {
        op = OP(l);
        if ((op->co_wt & CO_WT_SEND) == send)
            return op;
        o = op->co_wt & ~(uintptr_t)3;
        if (owner && o != owner)
            break;              /* past the one mixed select: none here */
        owner = o;
    }
    return NULL;
}

/* Complete the waiter op with result res and wake its task. */
static inline void complete(struct co_chanop *op, int res)
{
    uintptr_t w = op->co_wt;

    unlink_op(op);
    if (w & CO_WT_SELECT) {
        co__select_fire((struct co_select__frame *)(w & ~(uintptr_t)3), op, res);
        return;
    }
    op->co_state = -1;
    op->co_result = res;
    co__wake((co_task *)(w & ~(uintptr_t)3));
}

static inline unsigned char *slot(struct bchan *b, uint32_t i)
{
    return b->buf + (size_t)(i % b->cap) * b->c.esize;
}

static inline int send_now(co_chan *c, const void *elem)
{
    struct co_chanop *r;
    struct bchan *b;

    if (!c || (!elem && c->esize))
        return -EINVAL;
    if (c->closed)
        return -EPIPE;
    if (!c->buffered) {
        if (c->q.next == &c->q || !(r = peer(c, 0)))
            return -EAGAIN;
        deliver(r->elem, elem, c->esize);
        complete(r, 1);
        return 0;
    }
    b = (struct bchan *)c;
    if (b->len == 0 && c->q.next != &c->q && (r = peer(c, 0))) {
        deliver(r->elem, elem, c->esize);
        complete(r, 1);
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
    if (!c->buffered) {
        if (c->q.next != &c->q && (s = peer(c, CO_WT_SEND))) {
            deliver(out, s->elem, c->esize);
            complete(s, 0);
            return 1;
        }
    } else if ((b = (struct bchan *)c)->len) {
        deliver(out, slot(b, b->head), c->esize);
        b->head = (b->head + 1) % b->cap;
        b->len--;
        if (c->q.next != &c->q && (s = peer(c, CO_WT_SEND))) {
            copy(slot(b, b->head + b->len), s->elem, c->esize);
            b->len++;
            complete(s, 0);
        }
        return 1;
    }
    if (!c->closed)
        return -EAGAIN;
    if (out && c->esize)
        memset(out, 0, c->esize);
    return 0;
}

/* The same, for select.c. */
void co__chan_enqueue(co_chan *c, struct co_chanop *op)
{
    enqueue(c, op);
}

void co__chan_unlink(struct co_chanop *op)
{
    unlink_op(op);
}

int co__chan_send_now(co_chan *c, const void *elem)
{
    return send_now(c, elem);
}

int co__chan_recv_now(co_chan *c, void *out)
{
    return recv_now(c, out);
}

/* ---- channels ----------------------------------------------------------------- */

co_chan *co_chan_new(size_t esize, size_t cap)
{
    co_chan *c;
    size_t n = sizeof(struct co_chan);

    if (esize > UINT32_MAX || cap > UINT32_MAX ||
        (cap && esize > (SIZE_MAX - sizeof(struct bchan)) / cap)) {
        errno = EINVAL;
        return NULL;
    }
    if (cap)
        n = sizeof(struct bchan) + cap * esize;
    c = co_alloc(n);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    c->q.next = c->q.prev = &c->q;
    c->esize = (uint32_t)esize;
    c->closed = 0;
    c->buffered = cap > 0;
    if (cap) {
        struct bchan *b = (struct bchan *)c;
        b->cap = (uint32_t)cap;
        b->len = b->head = 0;
    }
    return c;
}

int co_chan_close(co_chan *c)
{
    struct co_chanop *op;

    if (!c)
        return -EINVAL;
    if (c->closed)
        return -EPIPE;
    c->closed = 1;
    /* Wake in arrival order.  Completing a select's case unlinks its other
     * cases, perhaps from this queue too: take the first each time. */
    while (c->q.next != &c->q) {
        op = OP(c->q.next);
        if (op->co_wt & CO_WT_SEND) {
            complete(op, -EPIPE);
        } else {
            if (op->elem && c->esize)
                memset(op->elem, 0, c->esize);
            complete(op, 0);
        }
    }
    return 0;
}

int co_chan_free(co_chan *c)
{
    if (!c)
        return -EINVAL;
    if (!c->closed)
        co_chan_close(c);
    co_free(c);
    return 0;
}

long co_chan_len(const co_chan *c)
{
    if (!c)
        return -EINVAL;
    return c->buffered ? (long)((const struct bchan *)c)->len : 0;
}

int co_try_send(co_chan *c, const void *elem)
{
    return send_now(c, elem);
}

int co_try_recv(co_chan *c, void *out)
{
    return recv_now(c, out);
}

/* ---- co_send and co_recv ------------------------------------------------------------
 * The node's link tells the state: pointing at itself while fresh (co_ch
 * holds the channel), in a queue while waiting (co_wt holds the task),
 * NULL once done (co_result holds the result).  The init functions are
 * inline in cogen.h. */

/* The first resume of a send (send == CO_WT_SEND) or a receive: complete
 * it now, or queue it.  An open unbuffered channel, the common case, gets
 * a straight path; the rest goes through send_now/recv_now. */
static CO_NOINLINE int op_start(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_chan *c = f->co_ch;
    struct co_chanop *p;
    int r;

    if (c && !c->buffered && !c->closed && (f->elem || !send || !c->esize)) {
        if (c->q.next == &c->q || !(p = peer(c, send ^ CO_WT_SEND)))
            goto wait;
        if (send) {
            deliver(p->elem, f->elem, c->esize);
            complete(p, 1);
            r = 0;
        } else {
            deliver(f->elem, p->elem, c->esize);
            complete(p, 0);
            r = 1;
        }
    } else {
        r = send ? send_now(c, f->elem) : recv_now(c, f->elem);
        if (r == -EAGAIN)
            goto wait;
    }
    f->link.next = f->link.prev = NULL;
    f->co_state = -1;
    f->co_result = r;
    return CO_DONE;
wait:
    f->co_wt = (uintptr_t)t | send;
    enqueue(c, f);
    return CO_PENDING;
}

/* Later resumes look at the link only: still waiting, or completed. */
static inline int op_resume(struct co_chanop *f, co_task *t, uintptr_t send)
{
    co_link *n = f->link.next;

    if (n != &f->link)
        return n ? CO_PENDING : CO_DONE;
    return op_start(f, t, send);
}

static void op_close(struct co_chanop *f)
{
    if (f->link.next && f->link.next != &f->link)
        unlink_op(f);                           /* was waiting: leave */
    f->link.next = f->link.prev = NULL;
    f->co_state = -1;
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
