/* MOCK async runtime (see cogen.h here): single loop, FIFO run queue,
 * timers in a sorted list, joins, cancel, a receive-only channel. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "cogen.h"

struct co_loop { co_task *head, *tail; struct co_sleep__frame *timers; co_task *all[100000]; int nall; };
static co_loop *L;
enum { T_NEW, T_QUEUED, T_WAIT, T_DONE, T_CANCELLED };
struct rt { struct co_join__frame *joiners; co_task *nextall; };

static double now(void) { struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts); return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6; }

void co_task_init(co_task *t, const co_coro_vt *vt) { t->vt = vt; t->co_where = NULL; t->next = NULL; t->loop = NULL; t->rt = NULL; t->state = T_NEW; t->flags = 0; }
static void enqueue(co_task *t) { t->state = T_QUEUED; t->next = NULL; if (L->tail) L->tail->next = t; else L->head = t; L->tail = t; }
static void unqueue(co_task *t) { co_task **p = &L->head; L->tail = NULL; while (*p) { if (*p == t) *p = t->next; else { L->tail = *p; p = &(*p)->next; } } }
static void wake(co_task *t) { if (t->state == T_WAIT) enqueue(t); }
static void finish(co_task *t, int st) {
    t->state = st;
    struct co_join__frame *j = t->rt, *n; t->rt = NULL;
    for (; j; j = n) { n = j->next; j->co_state = 2; wake(j->t); }
}
co_task *co_spawn(co_task *h) { if (!h) return NULL; h->loop = L; L->all[L->nall++] = h; enqueue(h); return h; }
int co_task_done(co_task *t) { return t->state >= T_DONE; }
int co_task_result(co_task *t, void *out) { if (t->state != T_DONE) return -EINVAL; memcpy(out, (char *)t + t->vt->result_off, t->vt->result_size); return 0; }
int co_cancel(co_task *t) {
    if (t->state >= T_DONE) return -EINVAL;
    if (t->state == T_QUEUED) unqueue(t);
    if (t->state != T_NEW) t->vt->close(t);
    finish(t, T_CANCELLED);
    return 0;
}
int co_run(co_task *h) {
    co_loop *l = calloc(1, sizeof *l), *saved = L; L = l;
    co_spawn(h);
    for (;;) {
        if (!L->head) {
            struct co_sleep__frame *s = L->timers;
            if (!s) break;
            double d = s->deadline - now();
            if (d > 0) { struct timespec ts = { (time_t)(d / 1e3), (long)((d - (long)(d / 1e3) * 1e3) * 1e6) }; nanosleep(&ts, NULL); }
            L->timers = s->next; s->co_state = 2; wake(s->t);
            continue;
        }
        co_task *t = L->head; L->head = t->next; if (!L->head) L->tail = NULL;
        t->co_where = NULL; t->state = T_WAIT;
        if (t->vt->resume(t) == CO_DONE) finish(t, T_DONE);
    }
    int r = 0;
    if (h->state == T_DONE && h->vt->result_size == sizeof(int)) memcpy(&r, (char *)h + h->vt->result_off, sizeof r);
    else if (h->state != T_DONE) { fprintf(stderr, "mock: deadlock or cancelled\n"); r = -ECANCELED; }
    for (int i = 0; i < L->nall; i++) { co_task *t = L->all[i]; if (t->state < T_DONE) { t->vt->close(t); } co_free(t); }
    free(L); L = saved;
    return r;
}
void co_sleep__init(struct co_sleep__frame *f, long ms) { f->co_state = 0; f->ms = ms; f->co_result = 0; }
int co_sleep__resume(struct co_sleep__frame *f, co_task *t) {
    if (f->co_state == 2) { f->co_state = -1; return CO_DONE; }
    if (f->co_state == 0) {
        f->deadline = now() + f->ms; f->t = t; f->co_state = 1;
        struct co_sleep__frame **p = &L->timers;
        while (*p && (*p)->deadline <= f->deadline) p = &(*p)->next;
        f->next = *p; *p = f;
    }
    return CO_PENDING;
}
void co_sleep__close(struct co_sleep__frame *f) {
    if (f->co_state == 1) { struct co_sleep__frame **p = &L->timers; while (*p && *p != f) p = &(*p)->next; if (*p) *p = f->next; }
    f->co_state = -1;
}
void co_join__init(struct co_join__frame *f, co_task *target) { f->co_state = 0; f->target = target; }
int co_join__resume(struct co_join__frame *f, co_task *t) {
    if (f->target->state >= T_DONE) { f->co_result = f->target->state == T_CANCELLED ? -ECANCELED : 0; f->co_state = -1; return CO_DONE; }
    if (f->co_state == 0) { f->t = t; f->next = f->target->rt; f->target->rt = f; f->co_state = 1; }
    return CO_PENDING;
}
void co_join__close(struct co_join__frame *f) {
    if (f->co_state == 1) { struct co_join__frame **p = (struct co_join__frame **)&f->target->rt; while (*p && *p != f) p = &(*p)->next; if (*p) *p = f->next; }
    f->co_state = -1;
}
struct co_chan { size_t elem; struct co_recv__frame *recvq; int closed; };
co_chan *co_chan_new(size_t elem, size_t cap) { (void)cap; co_chan *c = calloc(1, sizeof *c); c->elem = elem; return c; }
void co_chan_free(co_chan *c) { free(c); }
int co_chan_close(co_chan *c) { c->closed = 1; return 0; }
int co_try_send(co_chan *c, const void *v) {
    struct co_recv__frame *r = c->recvq; if (!r) return -EAGAIN;
    c->recvq = r->next; memcpy(r->out, v, c->elem); r->co_state = 2; r->co_result = 1; wake(r->t); return 0;
}
void co_recv__init(struct co_recv__frame *f, co_chan *c, void *out) { f->co_state = 0; f->ch = c; f->out = out; }
int co_recv__resume(struct co_recv__frame *f, co_task *t) {
    if (f->co_state == 2) { f->co_state = -1; return CO_DONE; }
    if (f->ch->closed) { f->co_result = 0; f->co_state = -1; return CO_DONE; }
    if (f->co_state == 0) { f->t = t; f->next = NULL; struct co_recv__frame **p = &f->ch->recvq; while (*p) p = &(*p)->next; *p = f; f->co_state = 1; }
    return CO_PENDING;
}
void co_recv__close(struct co_recv__frame *f) {
    if (f->co_state == 1) { struct co_recv__frame **p = &f->ch->recvq; while (*p && *p != f) p = &(*p)->next; if (*p) *p = f->next; }
    f->co_state = -1;
}
