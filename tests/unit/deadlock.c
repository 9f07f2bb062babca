/*
 * deadlock.c - unit test: deadlock detection.  co_run of a main task that
 * waits on a channel nobody will ever use, beside a spawned task that does
 * the same, returns -EDEADLK and prints one line per blocked task with its
 * name and .co location; the blocked tasks are then cancelled (their
 * defers run) and freed.  co_loop_run reports the same and leaves the
 * tasks for co_loop_free.  A task waiting on a timer is no deadlock.
 */
#include "t.h"

#include <fcntl.h>
#include <unistd.h>


static char logbuf[64];
static int loglen;

static void logc(char c)
{
    if (loglen < (int)sizeof logbuf - 1) {
        logbuf[loglen++] = c;
        logbuf[loglen] = 0;
    }
}

/* ---- async void stuck(co_chan *ch, char id): defer log(id); await co_recv */

struct stuck__frame {
    int co_state;
    char id;
    int v;
    co_chan *ch;
    union {
        struct co_recv__frame r;
    } u;
};

static void stuck__init(co_chan *ch, char id, struct stuck__frame *f)
{
    f->co_state = 0;
    f->ch = ch;
    f->id = id;
}

static int stuck__resume(struct stuck__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    f->co_state = 1;
    co_recv__init(f->ch, &f->v, &f->u.r);
co_a1:
    if (co_recv__resume(&f->u.r, t) == CO_PENDING) {
        if (!t->co_where)
            t->co_where = "stuck.co:12";
        return CO_PENDING;
    }
    logc(f->id);
    f->co_state = -1;
    return CO_DONE;
}

static void stuck__close(struct stuck__frame *f)
{
    if (f->co_state == 1) {
        co_recv__close(&f->u.r);
        logc(f->id);
    }
    f->co_state = -1;
}

CO_VT_VOID(stuck)

static co_task *stuck(co_chan *ch, char id)
{
    CO_ALLOC(stuck);
    stuck__init(ch, id, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int amain(co_chan *a, co_chan *b) ------------------------------ */

struct amain__frame {
    int co_state;
    int co_result;
    int v;
    co_chan *a, *b;
    union {
        struct co_recv__frame r;
        struct co_sleep__frame s;
    } u;
};

static void amain__init(co_chan *a, co_chan *b, struct amain__frame *f)
{
    f->co_state = 0;
    f->a = a;
    f->b = b;
}

static int amain__resume(struct amain__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    co_spawn(stuck(f->b, 'S'));
    AWAIT(2, co_sleep, f->u.s, 5)       /* a timer: not a deadlock yet */
    co_recv__init(f->a, &f->v, &f->u.r);
co_a1:
    if (co_recv__resume(&f->u.r, t) == CO_PENDING) {
        f->co_state = 1;
        if (!t->co_where)
            t->co_where = "amain.co:7";
        return CO_PENDING;
    }
    f->co_result = 1;
    f->co_state = -1;
    return CO_DONE;
}

static void amain__close(struct amain__frame *f)
{
    if (f->co_state == 1) {
        co_recv__close(&f->u.r);
        logc('M');
    }
    if (f->co_state == 2)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_INT(amain)

static co_task *amain(co_chan *a, co_chan *b)
{
    CO_ALLOC(amain);
    amain__init(a, b, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* Run fn with stderr going to a buffer. */
static char errbuf[4096];

static int capture(int (*fn)(void))
{
    char path[] = "/tmp/cogen-unit-XXXXXX";
    int fd = mkstemp(path), saved = dup(2), r;
    ssize_t n;

    CHECK(fd >= 0 && saved >= 0);
    unlink(path);
    fflush(stderr);
    dup2(fd, 2);
    r = fn();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    lseek(fd, 0, SEEK_SET);
    n = read(fd, errbuf, sizeof errbuf - 1);
    errbuf[n > 0 ? n : 0] = 0;
    close(fd);
    return r;
}

static co_chan *A, *B;
static co_loop *L;

static int with_co_run(void)
{
    return co_run(amain(A, B));
}

static int with_loop_run(void)
{
    return co_loop_run(L);
}

int main(void)
{
    co_task *t;

    A = co_chan_new(sizeof(int), 0);
    B = co_chan_new(sizeof(int), 0);

    EQ(capture(with_co_run), -EDEADLK);
    /* in the order of the task list: amain went to its end when its
     * timer woke it */
    STREQ(errbuf, "cogen: deadlock: task stuck blocked at stuck.co:12\n"
                  "cogen: deadlock: task amain blocked at amain.co:7\n");
    STREQ(logbuf, "SM");            /* cancelled by co_run, defers ran */
    EQ(co_try_send(A, &loglen), -EAGAIN);
    EQ(co_try_send(B, &loglen), -EAGAIN);

    /* co_loop_run: the same report; the tasks stay until co_loop_free */
    loglen = 0;
    L = co_loop_new(CO_BACKEND_DEFAULT);
    t = co_spawn_on(L, stuck(A, 'a'));
    co_detach(co_spawn_on(L, stuck(B, 'b')));
    EQ(capture(with_loop_run), -EDEADLK);
    STREQ(errbuf, "cogen: deadlock: task stuck blocked at stuck.co:12\n"
                  "cogen: deadlock: task stuck blocked at stuck.co:12\n");
    EQ(co_task_done(t), 0);
    EQ(loglen, 0);
    /* run again: still stuck */
    EQ(capture(with_loop_run), -EDEADLK);
    /* unblock one: the other is still reported */
    EQ(co_try_send(A, &loglen), 0);
    EQ(capture(with_loop_run), -EDEADLK);
    STREQ(errbuf, "cogen: deadlock: task stuck blocked at stuck.co:12\n");
    STREQ(logbuf, "a");
    EQ(co_task_done(t), 1);
    EQ(co_loop_free(L), 0);
    STREQ(logbuf, "ab");

    co_chan_free(A);
    co_chan_free(B);
    return t_end("deadlock");
}
