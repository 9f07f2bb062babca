/*
 * io.c - unit test: co_readable and co_writable on a pipe, through the
 * backend under test.  A reader waits until a writer task writes; a pipe
 * is writable at once; a second reader of the same descriptor is refused;
 * a bad descriptor, a closed one; a regular file is always ready, on
 * either backend, as poll(2) says; a cancelled reader leaves the loop free
 * to end.
 */
#include "t.h"

#include <fcntl.h>
#include <unistd.h>

/* ---- async int reader(int fd, char *out): await co_readable; read ------- */

struct reader__frame {
    int co_state;
    int co_result;
    int fd;
    char *out;
    union {
        struct co_readable__frame r;
    } u;
};

static void reader__init(int fd, char *out, struct reader__frame *f)
{
    f->co_state = 0;
    f->fd = fd;
    f->out = out;
}

static int reader__resume(struct reader__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    default: return CO_DONE;
    }
    AWAIT(1, co_readable, f->u.r, f->fd)
    f->co_result = f->u.r.co_result;
    if (f->co_result == 0 && read(f->fd, f->out, 1) != 1)
        f->co_result = -EIO;
    f->co_state = -1;
    return CO_DONE;
}

static void reader__close(struct reader__frame *f)
{
    if (f->co_state == 1)
        co_readable__close(&f->u.r);
    f->co_state = -1;
}

CO_VT_INT(reader)

static co_task *reader(int fd, char *out)
{
    CO_ALLOC(reader);
    reader__init(fd, out, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async int writer(int fd, long ms, char c): sleep; await co_writable; write */

struct writer__frame {
    int co_state;
    int co_result;
    int fd;
    char c;
    long ms;
    union {
        struct co_sleep__frame s;
        struct co_writable__frame w;
    } u;
};

static void writer__init(int fd, long ms, char c, struct writer__frame *f)
{
    f->co_state = 0;
    f->fd = fd;
    f->ms = ms;
    f->c = c;
}

static int writer__resume(struct writer__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    AWAIT(1, co_sleep, f->u.s, f->ms)
    AWAIT(2, co_writable, f->u.w, f->fd)
    f->co_result = f->u.w.co_result;
    if (f->co_result == 0 && write(f->fd, &f->c, 1) != 1)
        f->co_result = -EIO;
    f->co_state = -1;
    return CO_DONE;
}

static void writer__close(struct writer__frame *f)
{
    if (f->co_state == 1)
        co_sleep__close(&f->u.s);
    if (f->co_state == 2)
        co_writable__close(&f->u.w);
    f->co_state = -1;
}

CO_VT_INT(writer)

static co_task *writer(int fd, long ms, char c)
{
    CO_ALLOC(writer);
    writer__init(fd, ms, c, &co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    co_loop *l = co_loop_new(CO_BACKEND_DEFAULT);
    int p[2], q[2], i;
    char c1 = 0, c2 = 0;
    co_task *r1, *r2, *w;
    double t0;

    CHECK(pipe(p) == 0 && pipe(q) == 0);
    for (i = 0; i < 2; i++) {
        fcntl(p[i], F_SETFL, O_NONBLOCK);
        fcntl(q[i], F_SETFL, O_NONBLOCK);
    }

    /* readers wait; the writer comes after 10 ms */
    t0 = t_ms();
    r1 = co_spawn_on(l, reader(p[0], &c1));
    r2 = co_spawn_on(l, reader(q[0], &c2));
    w = co_spawn_on(l, writer(p[1], 10, 'x'));
    co_detach(co_spawn_on(l, writer(q[1], 20, 'y')));
    EQ(co_loop_run(l), 0);
    CHECK(t_ms() - t0 >= 19);
    EQ(t_result(r1), 0);
    EQ(t_result(r2), 0);
    EQ(t_result(w), 0);
    EQ(c1, 'x');
    EQ(c2, 'y');

    /* two readers of one descriptor: the second is refused */
    r1 = co_spawn_on(l, reader(p[0], &c1));
    r2 = co_spawn_on(l, reader(p[0], &c2));
    co_detach(co_spawn_on(l, writer(p[1], 5, 'z')));
    EQ(co_loop_run(l), 0);
    EQ(t_result(r1), 0);
    EQ(t_result(r2), -EBUSY);
    EQ(c1, 'z');

    /* bad descriptors */
    r1 = co_spawn_on(l, reader(-1, &c1));
    EQ(co_loop_run(l), 0);
    EQ(t_result(r1), -EBADF);
    close(q[0]);
    close(q[1]);
    r1 = co_spawn_on(l, reader(q[0], &c1));
    EQ(co_loop_run(l), 0);
    EQ(t_result(r1), -EBADF);

    /* a regular file is readable and writable at once (epoll refuses to
     * watch it: the loop must not pass that on) */
    {
        FILE *tf = tmpfile();
        int fd = tf ? fileno(tf) : -1;

        CHECK(fd >= 0 && write(fd, "f", 1) == 1 && lseek(fd, 0, SEEK_SET) == 0);
        r1 = co_spawn_on(l, reader(fd, &c1));
        w = co_spawn_on(l, writer(fd, 0, 'g'));
        EQ(co_loop_run(l), 0);
        EQ(t_result(r1), 0);
        EQ(t_result(w), 0);
        EQ(c1, 'f');
        if (tf)
            fclose(tf);
    }

    /* a cancelled reader: the loop has nothing left to wait for */
    r1 = co_spawn_on(l, reader(p[0], &c1));
    co_detach(co_spawn_on(l, writer(p[1], 100000, 'w')));
    EQ(co_loop_stop(l), 0);
    EQ(co_loop_run(l), 0);
    EQ(co_cancel(r1), 0);
    co_detach(r1);
    EQ(co_loop_free(l), 0);     /* cancels the writer's sleep */
    close(p[0]);
    close(p[1]);
    return t_end("io");
}
