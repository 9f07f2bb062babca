/*
 * misc.c - unit test: choosing the backend ($COGEN_BACKEND, explicit
 * choices, bad values) and the allocation count (a task is one co_alloc;
 * awaiting runtime primitives allocates nothing).
 */
#include "t.h"

/* ---- async int spin(int n, co_chan *ch): n yields and n channel trips --- */

struct spin__frame {
    int co_state;
    int co_result;
    int n, i, v;
    co_chan *ch;
    union {
        struct co_sleep__frame s;
        struct co_send__frame snd;
        struct co_recv__frame rcv;
        struct co_select__frame sel;
    } u;
};

static void spin__init(int n, co_chan *ch, struct spin__frame *f)
{
    f->co_state = 0;
    f->n = n;
    f->ch = ch;
}

static int spin__resume(struct spin__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    default: return CO_DONE;
    }
    for (f->i = 0; f->i < f->n; f->i++) {
        AWAIT(1, co_sleep, f->u.s, 0)
        f->v = f->i;
        AWAIT(2, co_send, f->u.snd, f->ch, &f->v)
        AWAIT(3, co_recv, f->u.rcv, f->ch, &f->v)
        EQ(f->v, f->i);
        AWAIT(4, co_select, f->u.sel, ((co_case[]){ { CO_SEND, f->ch, &f->v, NULL } }), 1, 0)
        EQ(co_try_recv(f->ch, &f->v), 1);
    }
    f->co_result = f->i;
    f->co_state = -1;
    return CO_DONE;
}

static void spin__close(struct spin__frame *f)
{
    switch (f->co_state) {
    case 1: co_sleep__close(&f->u.s); break;
    case 2: co_send__close(&f->u.snd); break;
    case 3: co_recv__close(&f->u.rcv); break;
    case 4: co_select__close(&f->u.sel); break;
    }
    f->co_state = -1;
}

CO_VT_INT(spin)

static co_task *spin(int n, co_chan *ch)
{
    CO_ALLOC(spin);
    spin__init(n, ch, &co_b->co_fr);
    return &co_b->co_hdr;
}

int main(void)
{
    const char *env = getenv("COGEN_BACKEND");
    co_loop *l;
    co_chan *ch;
    co_task *t;
    unsigned long a0;
    int r;

    /* $COGEN_BACKEND chooses the default */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    CHECK(l != NULL);
    if (env && *env)
        STREQ(co_loop_backend(l), env);
    co_loop_free(l);
    l = co_loop_new(CO_BACKEND_POLL);
    STREQ(co_loop_backend(l), "poll");
    co_loop_free(l);
#ifdef __linux__
    l = co_loop_new(CO_BACKEND_EPOLL);
    STREQ(co_loop_backend(l), "epoll");
    co_loop_free(l);
#endif
    setenv("COGEN_BACKEND", "kqueue", 1);
    errno = 0;
    CHECK(co_loop_new(CO_BACKEND_DEFAULT) == NULL);
    EQ(errno, EINVAL);
    EQ(co_run(spin(1, NULL)), -EINVAL);     /* says why on stderr */
    unsetenv("COGEN_BACKEND");
    l = co_loop_new(CO_BACKEND_DEFAULT);
#ifdef __linux__
    STREQ(co_loop_backend(l), "epoll");
#endif
    co_loop_free(l);
    if (env)
        setenv("COGEN_BACKEND", env, 1);

    /* one allocation per task; none per await */
    l = co_loop_new(CO_BACKEND_DEFAULT);
    ch = co_chan_new(sizeof(int), 1);
    a0 = co_alloc_count();
    t = co_spawn_on(l, spin(10000, ch));
    EQ(co_alloc_count() - a0, 1);
    EQ(co_loop_run(l), 0);
    EQ(co_alloc_count() - a0, 1);
    EQ(co_task_result(t, &r), 0);
    EQ(r, 10000);
    co_chan_free(ch);
    co_loop_free(l);
    return t_end("misc");
}
