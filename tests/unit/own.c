/*
 * own.c - unit test: who owns a task, and that the obvious programs run in
 * constant memory (cogen.h, "Ownership").
 *
 * One driver per way of ending a task repeats it n times: spawn and
 * co_join (3 x 10^6 times, after issue 9), two joiners of one task with a
 * second reference, co_gather, co_wait then co_join, co_as_completed then
 * co_join, co_detach (fire and forget), co_cancel then co_join, a joiner
 * cancelled while it waits (its join detaches the task).  Each
 * reads its peak resident set (VmHWM) after n/30, n/3 and n rounds; the
 * later two must stay within MARGIN_KB of the first: a task kept until
 * the loop ends would grow it by ~10 MB per 10^5.  Each driver runs in a
 * child process of its own.  A task that is never joined nor detached is
 * freed by co_run (the leak checker says so).  A gather that runs out of
 * memory gives -ENOMEM, zeroed results and the handles up all the same.
 * Under valgrind, whose freed blocks wait in a queue before reuse, the
 * rounds are fewer and the resident set is not compared.
 */
#include "t.h"

#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* Reuse freed blocks at once, as malloc does, so that the resident set
 * measures what is live rather than ASan's quarantine. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=0";
}
#endif

#define MARGIN_KB 4096L

enum {
    JOIN, SHARED, GATHER, WAIT, AS_COMPLETED, DETACH, CANCEL, CANCEL_JOINER,
    NKINDS
};
static const char *const kind_name[NKINDS] = {
    "join", "two joiners", "gather", "wait", "as_completed", "detach",
    "cancel", "cancelled joiner"
};

/* Peak resident set in kB, or -1. */
static long hwm_kb(void)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;

    if (!fp)
        return -1;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
            break;
    fclose(fp);
    return kb;
}

/* Start the peak afresh (Linux: "5" to clear_refs), so that each driver
 * is measured on its own. */
static void reset_hwm(void)
{
    FILE *fp = fopen("/proc/self/clear_refs", "w");

    if (fp) {
        fputs("5", fp);
        fclose(fp);
    }
}

/* ---- async int drive(int kind, long n): n rounds of one kind ------------ */

struct drive__frame {
    int co_state;
    int co_result;
    int kind, k, r, ra, rb, left;
    long n, i, ran0;
    long hwm[3];
    co_task *x, *ts[3];
    int rs[3];
    union {
        struct co_join__frame j;
        struct co_gather__frame g;
        struct co_wait__frame w;
        struct co_as_completed__frame a;
        struct co_sleep__frame s;
    } u;
};

static void drive__init(int kind, long n, struct drive__frame *f)
{
    f->co_state = 0;
    f->kind = kind;
    f->n = n;
}

/* After round i: read the resident set at n/30, n/3 and n rounds. */
static void checkpoint(struct drive__frame *f)
{
    long i = f->i + 1;

    if (i == f->n / 30)
        f->hwm[0] = hwm_kb();
    else if (i == f->n / 3)
        f->hwm[1] = hwm_kb();
    else if (i == f->n)
        f->hwm[2] = hwm_kb();
}

/* Three items, the middle one done at its first resume. */
static void spawn3(struct drive__frame *f)
{
    int v;

    for (f->k = 0; f->k < 3; f->k++) {
        v = (int)f->i + f->k;
        f->ts[f->k] = co_spawn(f->k == 1 ? t_value(v) : t_work(0, v));
    }
}

static int drive__resume(struct drive__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    case 3: goto co_a3;
    case 4: goto co_a4;
    case 5: goto co_a5;
    case 6: goto co_a6;
    case 7: goto co_a7;
    case 8: goto co_a8;
    case 9: goto co_a9;
    case 10: goto co_a10;
    case 11: goto co_a11;
    case 12: goto co_a12;
    case 13: goto co_a13;
    default: return CO_DONE;
    }
    co_spawn(t_work(100000, -1));     /* never joined nor detached */
    f->ran0 = t_ran;
    reset_hwm();
    for (f->i = 0; f->i < f->n; f->i++) {
        switch (f->kind) {
        case JOIN:                  /* t = co_spawn(f()); await co_join(t, &r) */
            f->x = co_spawn(f->i % 2 ? t_work(0, (int)f->i)
                                      : t_value((int)f->i));
            AWAIT(1, co_join, f->u.j, f->x, &f->r)
            EQ(f->u.j.co_result, 0);
            EQ(f->r, f->i);
            break;
        case SHARED:                /* one task, two joiners */
            f->x = co_spawn(t_work(0, (int)f->i));
            f->ra = f->rb = -1;
            CHECK(co_task_ref(f->x) == f->x);
            f->ts[0] = co_spawn(t_join(f->x, &f->ra));
            f->ts[1] = co_spawn(t_join(f->x, &f->rb));
            AWAIT(2, co_join, f->u.j, f->ts[0], NULL)
            AWAIT(3, co_join, f->u.j, f->ts[1], NULL)
            EQ(f->ra, f->i);
            EQ(f->rb, f->i);
            break;
        case GATHER:
            spawn3(f);
            AWAIT(4, co_gather, f->u.g, f->ts, 3, f->rs)
            EQ(f->u.g.co_result, 0);
            for (f->k = 0; f->k < 3; f->k++)
                EQ(f->rs[f->k], f->i + f->k);
            break;
        case WAIT:                  /* wait only looks: join them after */
            spawn3(f);
            AWAIT(5, co_wait, f->u.w, f->ts, 3, CO_ALL_COMPLETED, -1)
            EQ(f->u.w.co_result, 3);
            for (f->k = 0; f->k < 3; f->k++) {
                AWAIT(6, co_join, f->u.j, f->ts[f->k], &f->r)
                EQ(f->r, f->i + f->k);
            }
            break;
        case AS_COMPLETED:
            spawn3(f);
            for (f->left = 3; f->left > 0;) {
                AWAIT(7, co_as_completed, f->u.a, f->ts, &f->left, -1)
                CHECK(f->u.a.co_result != NULL);
                AWAIT(8, co_join, f->u.j, f->u.a.co_result, &f->r)
                EQ(f->u.j.co_result, 0);
            }
            break;
        case DETACH:                /* fire and forget; run them now */
            co_detach(co_spawn(t_work(0, (int)f->i)));
            AWAIT(9, co_sleep, f->u.s, 0)
            break;
        case CANCEL:                /* cancel a waiting task, then join */
            f->x = co_spawn(t_work(100000, (int)f->i));
            AWAIT(10, co_sleep, f->u.s, 0)
            EQ(co_cancel(f->x), 0);
            f->r = 7;
            AWAIT(11, co_join, f->u.j, f->x, &f->r)
            EQ(f->u.j.co_result, -ECANCELED);
            EQ(f->r, 0);
            break;
        case CANCEL_JOINER:         /* the join detaches its task */
            f->x = co_spawn(t_join(co_spawn(t_work(0, (int)f->i)), &f->ra));
            AWAIT(12, co_sleep, f->u.s, 0)
            EQ(co_cancel(f->x), 0);
            AWAIT(13, co_join, f->u.j, f->x, NULL)
            EQ(f->u.j.co_result, -ECANCELED);
            break;
        }
        checkpoint(f);
    }
    if (f->kind == CANCEL)
        EQ(t_ran, f->ran0);
    else
        CHECK(t_ran - f->ran0 >= f->n - 2);   /* the last detached may wait */
    printf("own: %s: peak RSS %ld kB after %ld rounds, %ld kB after %ld, "
           "%ld kB after %ld\n", kind_name[f->kind], f->hwm[0], f->n / 30,
           f->hwm[1], f->n / 3, f->hwm[2], f->n);
    if (!getenv("UNIT_VALGRIND")) {
        CHECK(f->hwm[0] > 0);
        CHECK(f->hwm[1] <= f->hwm[0] + MARGIN_KB);
        CHECK(f->hwm[2] <= f->hwm[0] + MARGIN_KB);
    }
    f->co_result = 0;
    f->co_state = -1;
    return CO_DONE;
}

static void drive__close(struct drive__frame *f)
{
    switch (f->co_state) {
    case 1: case 2: case 3: case 6: case 8: case 11: case 13:
        co_join__close(&f->u.j);
        break;
    case 4:
        co_gather__close(&f->u.g);
        break;
    case 5:
        co_wait__close(&f->u.w);
        break;
    case 7:
        co_as_completed__close(&f->u.a);
        break;
    case 9: case 10: case 12:
        co_sleep__close(&f->u.s);
        break;
    }
    f->co_state = -1;
}

CO_VT_INT(drive)

static co_task *drive(int kind, long n)
{
    CO_ALLOC(drive);
    drive__init(kind, n, &co_b->co_fr);
    return &co_b->co_hdr;
}

/* ---- async void gather_nomem(void): a gather that cannot hook its first
 * task gives -ENOMEM and gives the handles up all the same: the tasks run
 * on, detached, and are freed when they end (the leak checker says so) */

struct gather_nomem__frame {
    int co_state;
    int k;
    long ran0;
    co_task *ts[2];
    int rs[2];
    union {
        struct co_gather__frame g;
        struct co_sleep__frame s;
    } u;
};

static void gather_nomem__init(struct gather_nomem__frame *f)
{
    f->co_state = 0;
}

static int gather_nomem__resume(struct gather_nomem__frame *f, co_task *t)
{
    switch (f->co_state) {
    case 0: break;
    case 1: goto co_a1;
    case 2: goto co_a2;
    default: return CO_DONE;
    }
    f->ran0 = t_ran;
    f->ts[0] = co_spawn(t_work(0, 1));
    f->ts[1] = co_spawn(t_work(0, 2));
    f->rs[0] = f->rs[1] = 9;
    t_fail_alloc(1);                /* the loop's first hook table */
    AWAIT(1, co_gather, f->u.g, f->ts, 2, f->rs)
    CHECK(!t_fail_pending());
    t_fail_alloc(0);
    EQ(f->u.g.co_result, -ENOMEM);
    EQ(f->rs[0], 0);
    EQ(f->rs[1], 0);
    for (f->k = 0; f->k < 10 && t_ran - f->ran0 < 2; f->k++) {
        AWAIT(2, co_sleep, f->u.s, 0)   /* the detached tasks run on */
    }
    EQ(t_ran - f->ran0, 2);
    f->co_state = -1;
    return CO_DONE;
}

static void gather_nomem__close(struct gather_nomem__frame *f)
{
    if (f->co_state == 1)
        co_gather__close(&f->u.g);
    if (f->co_state == 2)
        co_sleep__close(&f->u.s);
    f->co_state = -1;
}

CO_VT_VOID(gather_nomem)

static co_task *gather_nomem(void)
{
    CO_ALLOC(gather_nomem);
    gather_nomem__init(&co_b->co_fr);
    return &co_b->co_hdr;
}

/* Run one driver in a child of its own: memory that an earlier driver
 * freed stays resident and would hide a later one's growth. */
static void run_kind(int kind)
{
    double t0 = t_ms();
    int st;
    pid_t pid;

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        EQ(co_run(drive(kind, t_scale(kind == JOIN ? 3000000 : 300000))), 0);
        printf("own: %s: %.0f ms\n", kind_name[kind], t_ms() - t0);
        exit(t_fails ? 1 : 0);      /* exit, not _exit: the leak check runs */
    }
    CHECK(pid > 0);
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    int kind;

    for (kind = 0; kind < NKINDS; kind++)
        run_kind(kind);
    EQ(co_run(gather_nomem()), 0);
    return t_end("own");
}
