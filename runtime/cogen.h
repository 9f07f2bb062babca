/*
 * cogen.h - the cogen runtime: what a .co program (or plain C) calls.
 *
 * This header is the reference for libcogen.  Each section says which
 * construct of the .co language calls into it, and an awaitable is
 * given by its await form, `await co_sleep(ms)`.  What generated code
 * needs beyond that (the frame protocol: each awaitable's frame struct
 * and its __init/__resume/__close functions, the task header, the
 * waiter nodes) is in cogen_impl.h, which this header includes at its
 * end: a program includes <cogen.h> only.  Functions that can fail
 * return a negative errno-style code (or NULL) and never abort.
 *
 * Range checks.  Every size, count, time and descriptor argument is
 * checked: a value the runtime cannot represent is refused (-EINVAL,
 * -EOVERFLOW for a count that would pass LONG_MAX, -EBADF for a
 * descriptor), never wrapped around.  A time in milliseconds longer than
 * CO_MAX_MS (about three years) is cut to it.  Each function says its
 * limits.
 */
#ifndef COGEN_H
#define COGEN_H

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>   /* generated code copies values with memcpy */

#ifdef __cplusplus
extern "C" {
#endif

#define COGEN_VERSION "0.1.0"

/* The runtime's objects, reached through handles.  A co_task's header
 * and a co_gen's are in cogen_impl.h; a loop and a channel are opaque. */
typedef struct co_gen co_gen;
typedef struct co_task co_task;
typedef struct co_loop co_loop;
typedef struct co_chan co_chan;
typedef struct co_group co_group;   /* fields in cogen_impl.h */

/* ---- Memory ------------------------------------------------------------
 *
 * Every heap frame the runtime or generated code creates goes through
 * co_alloc/co_free, so a program (or a test) can count allocations.
 */

/* Allocate n bytes (uninitialised); NULL when memory is exhausted. */
void *co_alloc(size_t n);
/* Allocate n bytes aligned to align (a power of two beyond malloc's own
 * alignment): generated constructors use it (co_alloc_for, in
 * cogen_impl.h), so that a frame holding an _Alignas(64) local is
 * 64-byte aligned on the heap as on the stack.  NULL when memory is
 * exhausted or align is not a power of two. */
void *co_alloc_aligned(size_t n, size_t align);
/* Free memory from co_alloc or co_alloc_aligned; NULL is ignored. */
void co_free(void *p);
/* Number of successful co_alloc calls since the program started, by every
 * thread.  May be read from any thread; allocations made on other threads
 * at the same moment may be counted a little later. */
unsigned long co_alloc_count(void);

/* ---- Generators by handle ----------------------------------------------
 *
 * A plain call of a generator, `g = fib(10)`, allocates its frame on the
 * heap and returns a handle without running any of its body.  The frame is
 * owned by the handle until co_gen_close.  (`for (T x : fib(10))` does not
 * use handles: its frame lives on the caller's stack.)
 *
 * Invariants: a handle is fresh (nothing run yet), suspended at a `yield`,
 * or exhausted (its body has returned; its defers have run).  Exhausted
 * handles stay valid and keep answering 0 until they are closed.
 */

/* Python's next(g): run g to its next yield and store the yielded value at
 * out (which may be NULL to discard it).  The first call primes a fresh
 * generator: it runs to the first yield.  Resuming a generator whose
 * `S v = yield e` waits for a value gives it a zero S.  Returns 1 when a
 * value was produced, 0 when g is exhausted, -EINVAL when g is NULL. */
int co_gen_next(co_gen *g, void *out);

/* Python's g.send(v): resume g with *in as the value of the `yield` it is
 * suspended at, then run to the next yield and store that value at out.
 * `in` must point at an object of the generator's send type S; it is
 * ignored by generators declared without one.  Sending to a fresh
 * generator is an error (prime it with co_gen_next first), as in Python;
 * send(NULL) is the same as next.  Returns 1, 0 or -EINVAL like
 * co_gen_next. */
int co_gen_send(co_gen *g, const void *in, void *out);

/* Python's g.close(): run the defers that are active where g is suspended
 * (innermost first), then free the frame.  The handle is invalid
 * afterwards.  Every handle must be closed exactly once, exhausted or not.
 * Returns 0, or -EINVAL when g is NULL. */
int co_gen_close(co_gen *g);

/* Use after close.  A handle used after co_gen_close (next, send, or a
 * second close) is undefined behaviour in a plain build: its memory is
 * freed.  A debug build (-DCOGEN_DEBUG, as the sanitizer builds of the
 * tests are) catches it: co_gen_next, co_gen_send and co_gen_close become
 * macros that pass the .co location of the call (the generated code's
 * #line makes __FILE__ and __LINE__ the .co file's), and a close keeps
 * the block as a tombstone among the 64 handles closed last, freeing the
 * oldest one instead.  A call on a tombstone, from a debug build or not,
 * prints "cogen: FILE.co:LINE: co_gen_next on a closed generator handle"
 * (without the location outside debug builds) and returns -EINVAL; a
 * handle closed longer ago than that is freed, and not caught. */
#ifdef COGEN_DEBUG
#define CO__STR_(x) #x
#define CO__STR(x) CO__STR_(x)
#define CO__HERE __FILE__ ":" CO__STR(__LINE__)
#define co_gen_next(g, out) co__gen_next_at((g), (out), CO__HERE)
#define co_gen_send(g, in, out) co__gen_send_at((g), (in), (out), CO__HERE)
#define co_gen_close(g) co__gen_close_at((g), CO__HERE)
#endif

/* ---- Tasks ---------------------------------------------------------------
 *
 * A task is a spawned async function: one co_alloc'd block holding the
 * co_task header and the function's frame.  Its life:
 *
 *     new       f(args) made it; nothing ran; no loop.
 *     spawned   co_spawn/co_spawn_on put it on a loop's run queue.
 *     running   the loop resumes it; it runs until its next suspension.
 *     waiting   suspended at an await; registered with what will wake it.
 *     finished  done (returned) or cancelled; its hooks have fired.
 *
 * Ownership, as Tokio's JoinHandle.  f(args) gives a handle: one
 * reference to the task, held by the caller; co_spawn does not take it.
 * Each reference is given up exactly once, by one of: `await co_join(t,
 * &v)`, which waits, copies the result to v and gives the reference up;
 * co_gather, which does that for every task of its array; co_detach(t),
 * for a task nobody will join (Go's `go f()` is
 * co_detach(co_spawn(f()))).  A task is freed once it has finished, its
 * done callbacks have run and no reference is left; so the obvious
 * `t = co_spawn(f()); await co_join(t, &v);`, repeated, runs in constant
 * memory.  A join or gather that has started gives its references up
 * however it ends: one that is closed before its tasks finish (its own
 * task cancelled, co_timeout giving up) or runs out of memory leaves them
 * running, detached, as a dropped JoinHandle does; so a cancelled joiner
 * leaks nothing either.  For several joiners, or to keep a task past a
 * join that may give up (`co_timeout(ms, co_join(co_task_ref(t), &v))`,
 * then co_cancel(t) and join again), take one more reference per extra
 * user with co_task_ref.  Everything else only looks and leaves the
 * references where they were: co_cancel, co_task_result, co_task_done,
 * co_task_cancelled, co_task_on_done, co_wait and co_as_completed (join
 * the tasks they hand back to have their results, or detach them).  A
 * handle is invalid once its last reference is given up.  A task whose
 * references are never given up keeps its memory until co_loop_free
 * (co_run frees its loop before returning), which frees every task of
 * the loop: a forgotten handle leaks nothing past its loop.
 *
 * Cancellation (co_cancel).  The rule, as in Go and asyncio: an
 * operation that completed is never undone by a cancel.  A cancel either
 * withdraws the operation the task waits in, and then the task finishes
 * cancelled at that await (the operation did not happen: nothing was
 * sent, received or taken), or finds that the operation has completed,
 * and then the await returns its result normally (a received value is in
 * the task's variable, a sent one was taken) and the cancel takes effect
 * at the task's next suspension.  Never both, never neither, also when
 * another thread completes the operation at the same moment (a shared
 * channel): the two sides decide it with one compare-and-swap.
 *
 * So a waiting task is cancelled at once: the frames it awaits in are
 * closed, innermost first (each runtime primitive unregisters: it leaves
 * its channel queue, its timer leaves the heap...), and its active
 * defers run, innermost first; the task then finishes cancelled and its
 * joiners wake.  A queued or running task
 * (whose operation completed: it was woken) is cancelled at its next
 * suspension: it runs on until the next await, which closes instead of
 * suspending; if it returns before suspending again it finishes
 * normally.  A waiting task whose operation another thread has just
 * completed counts as queued: its wake-up is on the way.  A task in
 * co_cond_wait is woken instead, takes its mutex back (waiting for it if
 * another task holds it) and only then is closed, so that its defers run
 * holding the mutex.  In those two cases co_cancel returns before the
 * task has finished; co_join waits for it.  A spawned task that never ran
 * is finished cancelled at once and never runs.
 *
 * A loop and its tasks, timers and sync primitives are used from the
 * thread that runs the loop.  Other threads reach it through the calls in
 * "Threads" below, and through channels made with co_chan_new_shared.
 */

/* Spawn a new task on the loop running this thread's async code (the loop
 * of the task calling it, or of the done callback).  Returns handle; NULL
 * when handle is NULL (its constructor ran out of memory), when no loop is
 * running on this thread, or when handle was already spawned.  In the
 * first two failure cases nothing is left to free: the caller's reference
 * to a new task that cannot be spawned is given up (co_detach), which
 * frees it, so co_spawn(f(x)) never leaks. */
co_task *co_spawn(co_task *handle);

/* Spawn a new task on loop l, from anywhere on l's thread (before
 * co_loop_run, too).  Returns handle, or NULL as co_spawn (l NULL counts
 * as no loop). */
co_task *co_spawn_on(co_loop *l, co_task *handle);

/* Cancel t (see "Cancellation" above: an operation that completed is
 * never undone; t then sees its result and is cancelled at its next
 * suspension).  Returns 0 when t is or will be cancelled; -EALREADY when
 * t has finished; -EINVAL when t is NULL.  A new task is marked cancelled
 * and will never run.  Call it on t's loop's thread. */
int co_cancel(co_task *t);

/* 1 when t has finished (returned or cancelled), 0 when not, -EINVAL for
 * NULL. */
int co_task_done(const co_task *t);

/* 1 when t was cancelled, 0 when not (yet), -EINVAL for NULL. */
int co_task_cancelled(const co_task *t);

/* Copy t's result (an object of its result type; nothing for void) to
 * out, which may be NULL to only ask.  Returns 0; -EAGAIN when t has not
 * finished; -ECANCELED when it was cancelled; -EINVAL when t is NULL. */
int co_task_result(const co_task *t, void *out);

/* asyncio's add_done_callback: call fn(t, arg) once t has finished.  The
 * loop calls it (never the code that finished or cancelled t), soon after
 * the finish, in the order the callbacks were added, and before the tasks
 * that wait for t in co_join or co_wait resume; added to a finished task,
 * it is called soon.  fn may read the result and detach t (when it holds
 * a reference: "Ownership"); t is not freed before its callbacks ran.
 * Allocates a small node.  Returns 0; -EINVAL when t or fn is NULL or t
 * was never spawned; -ENOMEM. */
int co_task_on_done(co_task *t, void (*fn)(co_task *t, void *arg), void *arg);

/* Give up one reference to t without joining it (see "Ownership"):
 * fire and forget.  A spawned task runs on and is freed once it has
 * finished and no reference is left (at once if that is so already); a
 * new task's last reference closes and frees it.  Returns 0; -EINVAL when
 * t is NULL or a live task has no reference left (a use after the free
 * cannot be detected). */
int co_detach(co_task *t);

/* One more reference to t, to be given up on its own (by a second
 * joiner, say): returns t; NULL when t is NULL, has no reference left or
 * holds UINT_MAX of them. */
co_task *co_task_ref(co_task *t);

/* `await co_join(t, &v)`: wait until t finishes, copy its result to v
 * (v must be of t's result type; NULL to drop it; zeroed when t was
 * cancelled) and give up the reference (see "Ownership"): t is invalid
 * afterwards, unless another reference is held.  Result: 0 when t
 * finished normally, -ECANCELED when it was cancelled; -ENOMEM (t runs
 * on, detached).  A join closed before t finishes (its task cancelled,
 * co_timeout giving up) detaches t too.
 * Refused, the reference left with the caller: -EINVAL when t is NULL,
 * never spawned or has no reference left, -EDEADLK when a task joins
 * itself. */

/* ---- The loop --------------------------------------------------------------
 *
 * A loop runs tasks from its FIFO run queue, one at a time, each until it
 * suspends; between batches it fires due timers and polls descriptors.  A
 * task woken during a batch runs in the next one.  While it has nothing
 * but tasks to attend to (no timer, no descriptor wait, no call from
 * another thread) it runs on through the queue in the same order, and a
 * task that starts a timer or a wait ends that run once it suspends: a
 * task that keeps waking others never holds timers or I/O off.  co_run
 * is the usual entry (asyncio.run); the rest is for programs that hold a
 * loop.
 */

/* Event-notification backends. */
enum {
    CO_BACKEND_DEFAULT = 0, /* $COGEN_BACKEND (poll|epoll) if set, else the
                             * platform's best: epoll on Linux, else poll */
    CO_BACKEND_POLL = 1,    /* poll(2), everywhere */
    CO_BACKEND_EPOLL = 2    /* epoll(7), Linux only */
};

/* A new loop with the given backend.  NULL with errno set: EINVAL for an
 * unknown backend or an unknown $COGEN_BACKEND, ENOSYS for epoll off
 * Linux, ENOMEM, or the backend's error. */
co_loop *co_loop_new(int backend);

/* The backend's name ("poll", "epoll"), or NULL for NULL. */
const char *co_loop_backend(const co_loop *l);

/* Run l until nothing is left to do (no queued task, no timer, no task
 * waiting on a descriptor or on another thread) or co_loop_stop.
 * Returns 0; -EDEADLK when tasks are still waiting but nothing can ever
 * wake them (each is listed on stderr, in the order of the loop's task
 * list: "cogen: deadlock: task NAME blocked at FILE.co:LINE", with the
 * async function's name and the await it waits at); -EINTR
 * when SIGINT cancelled the tasks (co_loop_cancel_on_sigint); -EINVAL for
 * NULL; -EBUSY when l is already running.  Tasks left waiting stay; run
 * again or free the loop. */
int co_loop_run(co_loop *l);

/* Make co_loop_run return once the running task suspends (or at once,
 * from a done callback).  Queued tasks stay queued.  From another thread
 * (or before the run) the loop is woken and returns after its current
 * batch.  0, or -EINVAL. */
int co_loop_stop(co_loop *l);

/* Close l to other threads (co_loop_close), cancel every unfinished task
 * of l (as co_cancel of a waiting task: their defers run), stop the
 * thread pool's threads without waiting for the jobs they still run
 * (abandoned, see co_run_in_thread; co_loop_wait_abandoned to wait), run
 * the done callbacks that are due, and free l and every task of it,
 * referenced or not.
 * Handles into l are invalid afterwards.
 * Returns 0; -EINVAL for NULL; -EBUSY while l is running (do not free the
 * loop from its own tasks). */
int co_loop_free(co_loop *l);

/* The loop running on this thread, or NULL outside co_loop_run. */
co_loop *co_loop_current(void);

/* asyncio.run: run `main` on a new loop until it finishes, then cancel
 * the tasks left (their defers run) and free the loop and every task, as
 * co_loop_free does: it does not wait for abandoned pool jobs.
 * Returns main's result when main is an `async int` (any 4-byte result),
 * 0 for other results; or a negative code, with one line on stderr that
 * says why: -EDEADLK (main can never finish; the blocked tasks are listed),
 * -ECANCELED (main was cancelled, or the loop was stopped first), -EINTR
 * (SIGINT, when asked for with co_loop_cancel_on_sigint on
 * co_loop_current(); nothing is printed), -EINVAL (main NULL), -ENOMEM
 * and the like when the loop cannot be made. */
int co_run(co_task *main);

/* On SIGINT (Ctrl-C), cancel every task of l, as co_cancel does, and make
 * co_loop_run return -EINTR once they have unwound.  Installs a handler
 * with a self-pipe; the previous handler comes back after the first
 * SIGINT (a second Ctrl-C acts as before) or at co_loop_free.  Only one
 * loop at a time may ask.  The pipe does not keep a loop alive, nor
 * prevent a deadlock report.  Returns 0 (also when asked twice);
 * -EINVAL for NULL; -EBUSY when another loop has SIGINT; -errno from
 * pipe(2) or sigaction(2). */
int co_loop_cancel_on_sigint(co_loop *l);

/* ---- Time ------------------------------------------------------------------
 *
 * Timers sit in their loop's binary heap, ordered by deadline and then by
 * start order; a timer is a node embedded in a frame, never allocated.
 */

/* The longest time a wait can last, in ms: about three years, far from
 * overflowing the nanoseconds of a deadline.  A longer one (LONG_MAX,
 * say) is cut to it. */
#define CO_MAX_MS 100000000000L

/* `await co_timeout(ms, f(args))`: await f(args), giving up after ms
 * milliseconds (at most CO_MAX_MS).  The value is f's result when f is
 * done first; else -ETIMEDOUT, and f's frame is closed as by a cancel
 * (its defers run; the operation it waited in did not happen).  When both
 * come at once the operation wins, and one that another thread completed
 * while the time ran out gives its result all the same: no value is
 * lost.  f's result must be an integer no wider than int (a void f
 * gives 0), which is checked at compile time.
 *
 * `await co_timeout(ms, f(args), &out)`: the same for a result of any
 * type (a double, a pointer, a struct, co_run_in_thread's void *): 0
 * with f's result stored in *out, else -ETIMEDOUT (or the timer's error)
 * with *out untouched.  out must point at f's result type (checked at
 * compile time); it is evaluated once, when the await starts.
 *
 * A timer that cannot start gives its error: -EINVAL for ms < 0,
 * -ENOMEM. */

/* `co_timeout (ms) { ... } else s`: a deadline block (Trio's
 * move_on_after, asyncio's `async with timeout()`), a statement of async
 * code; the else is optional.  The deadline is set once, on entry: now +
 * ms on CLOCK_MONOTONIC (ms at most CO_MAX_MS).  Every wait lexically
 * inside the block (an await of anything, a select, a for await; in
 * nested blocks and loops too, not in the coroutines it calls, which
 * are waited on as a whole) waits at most until then.  When the deadline
 * passes during a wait, what the task waits in is closed as co_timeout
 * closes it (a called coroutine's defers run; the operation did not
 * happen) and control leaves the block: the block's defers run, innermost
 * first, then s.  An operation that completed is never undone: the
 * deadline is looked at only when a wait would suspend, so one that
 * completes at once stands, and one that another thread completed as the
 * time ran out ends its await normally (the block is left at its next
 * wait).  When the deadline has passed already (ms 0 or less, or spent
 * on work that did not wait), the first wait that would suspend leaves
 * the block at once, without suspending.  A block left any other way
 * (its end, break, continue, return, goto) runs no s.
 *
 * Nested blocks: a wait ends at the earliest of the deadlines around it,
 * and the block left is the one whose deadline passed (when several have
 * when it looks, the outermost): the blocks inside it are left with it,
 * their defers run, their else does not.  A cancel of the task while it
 * waits inside is a cancel as anywhere (no else runs).  The deadline
 * lives in the coroutine's frame, its timer in the loop's heap; a timer
 * that cannot start (-ENOMEM) makes a deadline that has passed.  cogen
 * refuses a yield inside (no deadline can end the consumer's hold on a
 * value), a time that suspends and a block outside async code. */

/* `await co_sleep(ms)`: suspend for ms milliseconds (at most CO_MAX_MS);
 * co_sleep(0) lets every other queued task run first (asyncio.sleep(0)).
 * Result 0, or -EINVAL for ms < 0, -ENOMEM. */

/* ---- Descriptors -----------------------------------------------------------
 *
 * `await co_readable(fd)` / `await co_writable(fd)`: wait until fd is
 * ready (or has an error or hang-up: the next read or write will say).
 * Result 0; -EBADF for a negative or closed descriptor, or one of 2^30
 * or more (no system gives those out); -EBUSY when another task already
 * waits on fd in that direction; -ENOMEM.  A descriptor that never blocks
 * (a regular file) is ready at once, on either backend, as poll(2) says:
 * the task still lets the others run first.
 */

/* ---- Channels --------------------------------------------------------------
 *
 * A channel carries fixed-size values between tasks, like Go's chan:
 * unbuffered (capacity 0: a send and a receive meet, the value is copied
 * straight from the sender's object to the receiver's) or buffered (a FIFO
 * ring of `capacity` values inside the channel's block).
 *
 * Two kinds, with the same operations.  A channel from co_chan_new belongs
 * to one loop: only that loop's tasks (and code on its thread) may use
 * it, and it takes no lock, because a hand-off between two tasks of one
 * loop is then a few loads and stores (about 10 ns).  A channel from
 * co_chan_new_shared carries a mutex and may be used by tasks of any loop
 * on any thread, and by plain threads through co_try_send, co_try_recv,
 * co_chan_close, co_chan_len and co_chan_free; the semantics are the same
 * (Go's).  A task waiting on a shared channel keeps its loop waiting for
 * other threads rather than reporting a deadlock.
 *
 * Invariants (chan.c relies on them):
 *  - the waiters of a channel form one FIFO queue, and all of them wait in
 *    the same direction, except that the queue may hold the cases of one
 *    single co_select that waits to send and to receive on this (empty,
 *    unbuffered) channel; any arriving operation completes with it
 *    (on a shared channel, the waiter nodes of a wait that was already
 *    ended, by another case of its select or by co_cancel, may linger
 *    until its task takes them out; they are passed by);
 *  - a buffered channel has waiting receivers only when its buffer is
 *    empty, waiting senders only when it is full;
 *  - a closed channel has no waiters;
 *  - a waiter is woken by the one operation that completes it, which has
 *    already copied the value and set the result: the woken task never
 *    looks at the channel again, so it may be closed or freed meanwhile.
 *    (A task woken from a shared channel does lock it once more, but the
 *    channel counts such tasks and is freed by the last of them.)
 * Fairness: waiters are served in arrival order; a select with several
 * ready cases picks one at random.
 *
 * Close semantics (Go's): after co_chan_close, sends fail with -EPIPE (a
 * waiting sender wakes with -EPIPE); receives take what is buffered and
 * then report 0 ("closed and drained") with a zeroed value.  Memory: 24
 * bytes for an unbuffered channel, plus 12 + capacity * elem_size; a
 * shared one has a 64-byte header more (on Linux), and each co_send or
 * co_recv waiting on it a 40-byte record, which the channel keeps for the
 * next waiter until it is freed.
 */

/* A new channel of values of elem_size bytes (0 is allowed: signals),
 * holding up to capacity values (0: unbuffered).  NULL with errno EINVAL
 * when a size is out of range (elem_size over 2^32 - 1, capacity over
 * 2^31, or the ring's bytes past SIZE_MAX), ENOMEM. */
co_chan *co_chan_new(size_t elem_size, size_t capacity);

/* The same, for a channel shared by loops and threads (see above).  NULL
 * with errno as co_chan_new, or pthread_mutex_init's error. */
co_chan *co_chan_new_shared(size_t elem_size, size_t capacity);

/* Close ch: wake every waiter (receivers get 0, senders -EPIPE).  0;
 * -EPIPE when already closed; -EINVAL for NULL. */
int co_chan_close(co_chan *ch);

/* Free ch; closes it first if needed (waking its waiters), so no task can
 * stay registered with freed memory.  Values still buffered are dropped.
 * 0, or -EINVAL for NULL.  A shared channel is freed once the tasks it
 * woke have looked at it (at once if there are none); no thread may use
 * ch after the call. */
int co_chan_free(co_chan *ch);

/* Non-blocking send: 0 when *elem was handed to a waiting receiver or
 * buffered; -EAGAIN when it would block; -EPIPE when ch is closed;
 * -EINVAL when ch is NULL (or elem is NULL with elem_size > 0). */
int co_try_send(co_chan *ch, const void *elem);

/* Non-blocking receive into out (NULL: drop the value): 1 with a value;
 * 0 when closed and drained; -EAGAIN when it would block; -EINVAL. */
int co_try_recv(co_chan *ch, void *out);

/* Values buffered in ch (0 for unbuffered), or -EINVAL. */
long co_chan_len(const co_chan *ch);

/* The capacity ch was made with (0 for unbuffered), or -EINVAL for NULL.
 * It never changes, so a shared channel needs no lock for it. */
long co_chan_cap(const co_chan *ch);

/* `await co_send(ch, &v)`: result 0 when v was delivered (to a receiver
 * or the buffer), -EPIPE when ch is or gets closed first, -EINVAL for a
 * NULL ch.  `await co_recv(ch, &v)`: result 1 with a value in v, 0 when ch
 * is closed and drained (v zeroed), -EINVAL.  The object at &v must stay
 * in place while the task waits (a local of the async function is: it
 * lives in the frame); a waiting send reads it when a receiver takes it.
 * On a shared channel, either may also give -ENOMEM: the record it waits
 * with could not be had. */

/* ---- Typed channels --------------------------------------------------------
 *
 * A channel may carry its element type in its C type, so that sending or
 * receiving anything else does not compile:
 *
 *     co_chan_of(int) *ch = co_chan_make(int, 16);
 *     await co_send(ch, &n);          // n must be an int (const is fine)
 *     await co_recv(ch, &v);          // v must be an int
 *     co_try_send(ch, &x);            // a long x: error at this line
 *
 * co_chan_of(T) names the type a typed channel points to, the same way in
 * every file, so `co_chan_of(T) *` can be a parameter, a struct member, a
 * global declared in a header.  co_chan_make(T, cap) and
 * co_chan_make_shared(T, cap) are co_chan_new and co_chan_new_shared of
 * sizeof(T) with that type (NULL and errno as they give).  Every channel
 * function takes a typed channel as it is: co_send, co_recv (also under
 * co_timeout), co_try_send, co_try_recv, co_chan_close, co_chan_free,
 * co_chan_len, co_chan_cap; a select case takes one through co_case_send
 * and co_case_recv below.  The element pointer must point to a T (a
 * qualified T for a send); a receive may also give a void * or NULL, to
 * drop the value.  A mismatch is an error, whether -Werror is on or not,
 * at the call's line (the .co line of an await), and it names the
 * reason: `'_Generic' selector of type 'struct
 * co_error_send_value_is_not_of_the_channel_element_type *'` (or
 * recv_destination_is_not_of_the_channel_element_type,
 * send_on_a_receive_only_channel, recv_on_a_send_only_channel).  A
 * pointer that is no channel at all given to close, free, len or cap is
 * an error too (a call of something that is no function).  It costs
 * nothing at run time: a typed channel is a plain co_chan *, the checks
 * are on types only, and each argument is evaluated once.
 *
 * Directions: co_chan_send_of(T) * may only send and co_chan_recv_of(T) *
 * only receive (close, free, len and cap take either).  A co_chan_of(T) *
 * converts to either implicitly, as a T * converts to a const T *
 * (co_chan_send_of(T) is co_chan_of(T) const, co_chan_recv_of(T) is
 * co_chan_of(T) volatile); the other way round, or from one direction to
 * the other, is a discarded-qualifier warning.  The element must be a
 * complete object type; it may be an array (`co_chan_of(char[16])`, sent
 * with `&buf`).
 *
 * The untyped co_chan * stays for generic code: its operations take any
 * element pointer, as before.  co_chan_untyped(ch) gives a typed
 * channel's co_chan * for such code (a cast, checked to be of a
 * channel), and a cast gives the typed one back.  (A void * also passes as a channel, for
 * code that keeps one as such.)  The checks use __typeof__ and
 * __builtin_types_compatible_p: typed channels need gcc or clang; with
 * another compiler the untyped API is all there is.
 *
 * How: co_chan_of(T) is the type "pointer to a function taking const T *
 * and returning struct co__chan_tag *", a type C can name anywhere and
 * whose compatibility across files is C's own; no such function or
 * object exists, the pointer is only ever cast back to co_chan *.
 */
#if defined(__GNUC__) || defined(__clang__)
struct co__chan_tag;    /* never defined */
#define co_chan_of(T) __typeof__(struct co__chan_tag *(*)(const __typeof__(T) *))
#define co_chan_send_of(T) const co_chan_of(T)
#define co_chan_recv_of(T) volatile co_chan_of(T)
#define co_chan_make(T, cap) ((co_chan_of(T) *)co_chan_new(sizeof(T), (cap)))
#define co_chan_make_shared(T, cap) ((co_chan_of(T) *)co_chan_new_shared(sizeof(T), (cap)))

/* The element type p points to; 0 (NULL) counts as void *. */
#define co__elem_t(p) __typeof__(*(0 ? (void *)0 : (p)))
/* ch is an untyped channel (or a void *). */
#define co__chan_untyped(ch) \
    _Generic((ch), co_chan *: 1, const co_chan *: 1, void *: 1, const void *: 1, default: 0)
/* ch is a channel of p's element type, of any direction; of that type
 * with the qualifier Q on its pointee (the direction). */
#define co__chan_elem(ch, p) \
    __builtin_types_compatible_p(__typeof__(*co__chan_fn(ch)), co_chan_of(co__elem_t(p)))
#define co__chan_dir(ch, Q, p) \
    __builtin_types_compatible_p(__typeof__(ch), Q co_chan_of(co__elem_t(p)) *)
/* A typed channel, or a stand-in for an untyped one: *it is a function
 * pointer either way, so the test of co__chan_any compiles for both. */
#define co__chan_fn(ch) _Generic((ch), co_chan *: (co_chan_of(char) *)0, \
    const co_chan *: (co_chan_of(char) *)0, void *: (co_chan_of(char) *)0, \
    const void *: (co_chan_of(char) *)0, default: (ch))
/* A compile-time check as an expression: when ok is 0, a _Generic with
 * no association for the controlling type, which the error message then
 * names: `struct co_error_WHY *`.  The controlling expression starts with
 * the caller's ch, because gcc reports the error at its first token: so
 * at the caller's line, not here.  Whatever operators ch holds, its type
 * is ch's when ok (`c ? a : b ? (T)0 : 0` is still a T).  (A
 * _Static_assert would need a struct around it, where clang refuses the
 * compound literals that generated code may hand over as p.) */
#define co__check(ch, ok, why) ((void)_Generic( \
    ch ? __builtin_choose_expr(ok, (co__rvalue_t(ch))0, (struct co_error_##why *)0) : 0, \
    co__rvalue_t(ch): 0))
#define co__rvalue_t(x) __typeof__(0 ? (x) : (x))
struct co_error_send_value_is_not_of_the_channel_element_type;
struct co_error_recv_destination_is_not_of_the_channel_element_type;
struct co_error_send_on_a_receive_only_channel;
struct co_error_recv_on_a_send_only_channel;
struct co_error_not_a_channel;

/* The checked arguments: ch as a co_chan *.  p is only looked at. */
#define co__chan_send(ch, p) \
    (co__check(ch, co__chan_untyped(ch) || co__chan_elem(ch, p), \
               send_value_is_not_of_the_channel_element_type), \
     co__check(ch, !co__chan_dir(ch, volatile, p) && !co__chan_dir(ch, const volatile, p), \
               send_on_a_receive_only_channel), \
     (co_chan *)(ch))
#define co__chan_recv(ch, p) \
    (co__check(ch, co__chan_untyped(ch) || co__chan_elem(ch, p) || \
               __builtin_types_compatible_p(co__elem_t(p), void), \
               recv_destination_is_not_of_the_channel_element_type), \
     co__check(ch, !co__chan_dir(ch, const, p) && !co__chan_dir(ch, const volatile, p), \
               recv_on_a_send_only_channel), \
     (co_chan *)(ch))
#define co__chan_any(ch) \
    (co__check(ch, __builtin_types_compatible_p(__typeof__((*co__chan_fn(ch))(0)), \
                                                struct co__chan_tag *), \
               not_a_channel), \
     (co_chan *)(ch))

/* A typed channel as the co_chan * of generic code (any channel passes,
 * nothing else does); the way back is a cast, (co_chan_of(T) *)ch. */
#define co_chan_untyped(ch) co__chan_any(ch)

/* The channel functions under the same names (the parentheses around a
 * name call the function itself). */
#define co_try_send(ch, elem) (co_try_send)(co__chan_send(ch, elem), (elem))
#define co_try_recv(ch, out) (co_try_recv)(co__chan_recv(ch, out), (out))
#define co_chan_close(ch) (co_chan_close)(co__chan_any(ch))
#define co_chan_free(ch) (co_chan_free)(co__chan_any(ch))
#define co_chan_len(ch) (co_chan_len)(co__chan_any(ch))
#define co_chan_cap(ch) (co_chan_cap)(co__chan_any(ch))
#endif

/* ---- Select ----------------------------------------------------------------
 *
 * In a .co file the `select { case co_recv(ch, &v): ... }` statement is
 * the way to write one (docs/TRANSLATION.md): its cases live in its
 * frame, as many as are written, and `case co_after(ms):` times it out.
 * `await co_select(cases, n, flags)` is the same over an array, for
 * generic code: it waits until one of n channel
 * operations can complete and completes exactly that one.  Like Go's
 * select: a case with a NULL channel is never ready; when several are
 * ready each is as likely to be chosen; a CO_AFTER case (elem points at
 * a long of milliseconds; ch and res unused) is ready once that time has
 * passed since the select began; with CO_SELECT_DEFAULT in flags it does
 * not wait (the default case).  Result: the index of the completed case;
 * -EAGAIN for the default case; -EINVAL for bad arguments (cases NULL with
 * n > 0, n < 0, n > CO_SELECT_MAX, an unknown op).  With no case and no
 * default it waits forever, as in Go (a deadlock report will list it).
 *
 * A case's outcome goes to *res when res is not NULL: for CO_RECV, 1 with
 * a value, 0 when the channel was closed and drained (the value zeroed);
 * for CO_SEND, 0, or -EPIPE when the channel was closed (a send on a
 * closed channel is a ready case here, not a panic).  elem and res must
 * stay in place while the task waits, but the cases array is copied at
 * the start: a compound literal in the await expression is fine.  The
 * waiter nodes live in the select frame, hence the fixed maximum.
 *
 * Shared channels (co_chan_new_shared) may be mixed freely with plain
 * ones, as long as the plain ones belong to the task's loop.  As in Go,
 * a select that waits registers on every channel at once, holding the
 * locks of its shared channels (taken in address order); an operation on
 * another thread that finds one of its cases claims the whole select with
 * a compare-and-swap on its task's claim, and the select's task takes its
 * other cases out when it resumes.
 */
enum { CO_SEND = 1, CO_RECV = 2, CO_AFTER = 3 };
#define CO_SELECT_DEFAULT 1
#define CO_SELECT_MAX 16

typedef struct co_case {
    int op;             /* CO_SEND or CO_RECV */
    co_chan *ch;        /* NULL: never ready */
    void *elem;         /* send: the value; recv: where it goes (may be NULL) */
    int *res;           /* NULL, or where the case's outcome goes */
} co_case;

/* A case as a co_case value, for a typed channel (checked as co_try_send
 * and co_try_recv are) or an untyped one:
 *     await co_select((co_case[]){ co_case_recv(in, &v, &r),
 *                                  co_case_send(out, &w, NULL) }, 2, 0)
 * (A brace list `{ CO_RECV, ch, &v, &r }` takes an untyped ch only.) */
#if defined(__GNUC__) || defined(__clang__)
#define co_case_send(ch, elem, res) \
    ((co_case){ CO_SEND, co__chan_send(ch, elem), (void *)(elem), (res) })
#define co_case_recv(ch, out, res) \
    ((co_case){ CO_RECV, co__chan_recv(ch, out), (out), (res) })
#else
#define co_case_send(ch, elem, res) ((co_case){ CO_SEND, (ch), (void *)(elem), (res) })
#define co_case_recv(ch, out, res) ((co_case){ CO_RECV, (ch), (out), (res) })
#endif

/* ---- Combinators -----------------------------------------------------------
 *
 * A task "fails" when it was cancelled, or when it is an `async int`
 * (result of 4 bytes) whose result is negative, the errno convention.
 * Its status is then -ECANCELED or that result; else 0.  All of these
 * take an array of spawned tasks and never cancel them.  co_gather gives
 * up one reference to each task, as co_join (an array holding a task
 * twice needs two references); co_wait and co_as_completed only look:
 * the handles stay the caller's, to co_join or co_detach afterwards.
 */

/* `await co_gather(tasks, n, results)`: asyncio.gather.  Wait until all
 * n tasks have finished, copy task i's result to results[i] and give up
 * every task's reference (see "Ownership"): the handles are invalid
 * afterwards.  results may be NULL (drop the results); else every task
 * must have the same result type, results points at an array of n of
 * them, and the slot of a cancelled task or NULL entry is zeroed.
 * Result: 0, or the status of the first failed task in array order
 * (-EINVAL for a NULL or never spawned entry, which is left alone);
 * -ENOMEM when a task could not be waited for.  A gather that runs out
 * of memory or is closed (its task cancelled, co_timeout) gives the
 * references up all the same: the unfinished tasks run on, detached.
 * Refused at once, giving up nothing: -EINVAL for a NULL array (n > 0),
 * n < 0, or results with tasks of different result sizes; -EDEADLK when
 * the gathering task is in the array.  Waits for one task at a time. */

/* co_wait modes (asyncio.wait's return_when). */
enum {
    CO_ALL_COMPLETED = 0,   /* when all have finished */
    CO_FIRST_COMPLETED = 1, /* when at least one has finished */
    CO_FIRST_EXCEPTION = 2  /* when one fails, or all have finished */
};

/* How many watchers a co_wait frame holds inline; more tasks than that
 * make it allocate one array for the wait (freed when it ends). */
#define CO_WAIT_INLINE 4

/* `await co_wait(tasks, n, mode, timeout_ms)`: asyncio.wait.  Waits until
 * the mode's condition holds or timeout_ms pass (timeout_ms < 0: no
 * timeout; 0: just look; at most CO_MAX_MS).  Then partitions the array
 * in place: the tasks that have finished first, in their original order,
 * then the pending ones (in an unspecified order).  Result: the number of
 * finished tasks (the done set is tasks[0..result), the pending set the
 * rest); -EINVAL for a NULL array (n > 0), n < 0, an unknown mode, a NULL
 * or never spawned entry; -ENOMEM.  Allocates only when more than
 * CO_WAIT_INLINE tasks are pending. */

/* `await co_as_completed(tasks, &n, timeout_ms)`: asyncio.as_completed,
 * one task per await.  tasks[0..n) are those not yet returned.  Waits
 * until one of them has finished, moves it to tasks[n - 1], decrements n
 * and gives it; so
 *
 *     int n = 3;
 *     while (n > 0) { co_task *t = await co_as_completed(ts, &n, -1); ... }
 *
 * visits every task once, in completion order (tasks that had already
 * finished when the await started come in array order).  Result NULL,
 * with n unchanged, when no task comes; errno (read it right after the
 * await) says why: ETIMEDOUT when timeout_ms (< 0: none; at most
 * CO_MAX_MS) passed first, ENOMEM when the hooks on the tasks could not
 * be allocated, EINVAL for bad arguments (as co_wait).  When n is 0 the
 * result is NULL and errno is left alone. */

/* ---- Task groups -----------------------------------------------------------
 *
 * Structured concurrency (Trio's nursery, asyncio's TaskGroup, Go's
 * errgroup): tasks spawned into a group are waited for together, the
 * first one that fails cancels the others, and none outlives the group.
 *
 *     async int fetch_all(void)
 *     {
 *         co_group g;
 *         co_group_init(&g);
 *         defer co_group_close(&g);        (the error paths: see below)
 *         for (int i = 0; i < 3; i++)
 *             co_group_spawn(&g, fetch(i));
 *         return await co_group_wait(&g);  (0, or the first failure)
 *     }
 *
 * The group takes the handle's reference: the caller has nothing to
 * join or detach, and a member is freed as soon as it finishes (a group
 * of any number of members, one after the other, runs in constant
 * memory).  To read a member's result take one more reference first
 * (co_task_ref, "Ownership") and join it afterwards.  A member fails as
 * under "Combinators": cancelled, or an `async int` with a negative
 * result.  The first failure becomes the group's status and cancels
 * every other member, as co_cancel does (their defers run), at the
 * loop's next turn, in spawn order: each waiting member is woken and
 * closed when the loop reaches it, one that never ran never runs, one
 * that runs or is queued is cancelled at its next suspension (the rule
 * under "Cancellation": an operation that completed is not undone).  The
 * members cancelled so do not count as failures.
 *
 * A group is a struct the program owns, of one loop: its members run on
 * the loop of the task that spawned the first of them, and only that
 * loop's tasks (and its done callbacks) may spawn into it, wait for it
 * or close it while it has members (-EINVAL otherwise).  Zeroed memory,
 * CO_GROUP_INIT or co_group_init is an empty group.  Once a wait has
 * returned, or a close, the group is empty again and may be used anew.
 *
 * The group's memory must outlive its members: before it goes, await
 * co_group_wait to its end or call co_group_close.  A cancelled waiter
 * closes the group (below); for every other way out of the function that
 * holds it (a return or a cancel at another await) write
 * `defer co_group_close(&g);` after co_group_init, which does nothing
 * once the wait has returned.  A group forgotten with members in it is
 * undefined behaviour (the members' hook points into freed memory).
 * Cost: nothing is allocated but the tasks themselves; each member has an
 * entry in its loop's hook table (the table co_join uses), which may
 * have to grow (-ENOMEM) and keeps its size until the loop is freed.
 */

/* `co_group_spawn(&g, f(args))`: spawn the new task handle on the
 * running loop as a member of g, which takes its reference.  Returns 0;
 * -ECANCELED when g is failing (a member failed, or co_group_cancel),
 * and then the task is given up at once and never runs; -ENOMEM when
 * handle is NULL (its constructor ran out of memory) or the hook table
 * could not grow, and then g fails with -ENOMEM (the other members are
 * cancelled: the work cannot be done whole).  -EINVAL when g is NULL, no
 * loop runs on this thread, or g has members or a waiter on another
 * loop (the new task is given up: co_group_spawn(&g, f(x)) never leaks);
 * -EINVAL too, the handle left with the caller, when it was already
 * spawned or cancelled (the group spawns its members itself). */
int co_group_spawn(co_group *g, co_task *handle);

/* `await co_group_wait(&g)`: wait until every member has finished,
 * members spawned meanwhile (by the members, say) included.  Result 0,
 * or the status of the first failure (-ECANCELED when the first was a
 * cancel, the member's negative result else); the group is then empty.
 * An empty group gives its status at once (0, or the failure of a spawn
 * that could not be made).  -EINVAL for a NULL g or a waiter of another
 * loop, -EBUSY when another task waits for g, -EDEADLK when a member
 * waits for its own group.
 * Closed before the members are done (its task cancelled, co_timeout
 * giving up, co_loop_free), it closes the group: co_group_close. */

/* Close g: cancel every member now, in spawn order, and let go of none
 * that can be ended at once.  A waiting member is cancelled as co_cancel
 * does (its defers run before this returns); a queued one, whose
 * operation completed but which has not run since, is resumed now to
 * see that result (a close undoes no operation) and closed at its next
 * suspension, also before this returns.  Only these are let go, to run
 * on detached, without the group, and end cancelled soon: the member
 * that is running (the one that called this, or cancelled the waiter),
 * cancelled at its next suspension; one in co_cond_wait, which takes its
 * mutex back first; one whose operation another thread has just
 * completed; and, when the close comes from outside the loop's run or
 * from co_loop_free, the queued ones.  Afterwards g is empty and nothing
 * points into it.  Returns g's status, the first failure, or
 * -ECANCELED when the close had to cancel a member, or 0 when it had
 * none left (a close after a wait); -EALREADY from a member's defer
 * during a close of g (the close goes on); -EINVAL when g is NULL or
 * its members are of another loop than the one running.  A task
 * waiting for g (another than the one closing it) then returns that
 * status. */
int co_group_close(co_group *g);

/* Cancel every member of g at the loop's next turn, as the first
 * failure does (g's status becomes -ECANCELED unless a failure came
 * first); await co_group_wait to see them finish.  0; -EINVAL for NULL
 * or members of another loop. */
int co_group_cancel(co_group *g);

/* Members not yet finished, or -EINVAL. */
long co_group_size(const co_group *g);

/* 0; -EINVAL for NULL.  (Only for a group with no members.) */
int co_group_init(co_group *g);

/* ---- Sync primitives -------------------------------------------------------
 *
 * Mutex, semaphore, event, condition, barrier and wait group, all
 * awaitable: `await co_lock(&m)`, `await co_sem_acquire(&s)`, ...; the
 * other calls never wait.  Every primitive is a small struct the program
 * owns (a global, a local of main, a field); zeroed memory or the static
 * initializer is a valid initial state where one is given, so nothing is
 * ever allocated.  They are for the tasks of one loop, on its thread:
 * they take no locks, and using one from two threads is a data race
 * (tasks of different loops coordinate through shared channels).
 *
 * Common invariants:
 *  - a primitive's waiters form one FIFO queue (the first member of every
 *    primitive); the waiter node is the awaiting frame itself
 *    (struct co_syncw), so waiting allocates nothing;
 *  - whatever frees a resource hands it straight to the first waiter: the
 *    waiter's node leaves the queue, gets co_state 2 and its result, and
 *    its task is woken.  Nobody can take the resource in between (no
 *    barging), so waiters are served in arrival order;
 *  - close (cancellation) of a waiting frame takes its node out of the
 *    queue: a cancelled waiter is never handed anything.  A task that
 *    was handed the resource is queued, not waiting, so a cancel lets it
 *    run on to its next await (the rule under "Cancellation"); a frame
 *    closed before its task ran again all the same (only co_loop_free
 *    does that) gives the resource to the next waiter, and a consumed
 *    cond signal goes to the next waiter: nothing is lost.
 * Results: 0 or a non-negative value, else a negative errno code (never an
 * abort): -EINVAL for a NULL or uninitialised primitive or a bad count.
 */

/* A FIFO queue of waiters (struct co_syncw, cogen_impl.h); all zero is
 * empty. */
struct co_syncw;
typedef struct co_waitq {
    struct co_syncw *head, *tail;
} co_waitq;

/* Mutex (asyncio.Lock).  Invariant: waiters only while locked.  Not
 * recursive; any task may unlock it (there is no owner).  Zeroed or
 * CO_MUTEX_INIT is unlocked. */
typedef struct co_mutex {
    co_waitq q;
    int locked;
} co_mutex;
#define CO_MUTEX_INIT { { NULL, NULL }, 0 }
/* 0; -EINVAL for NULL. */
int co_mutex_init(co_mutex *m);
/* 0; -EBUSY while locked (or handed to a waiter); -EINVAL. */
int co_mutex_destroy(co_mutex *m);
/* 0 when taken; -EBUSY when locked; -EINVAL. */
int co_try_lock(co_mutex *m);
/* Unlock: the first waiter gets it (m stays locked), else m is unlocked.
 * 0; -EPERM when m is not locked; -EINVAL. */
int co_unlock(co_mutex *m);
/* `await co_lock(&m)`: result 0 once the task holds m; -EINVAL. */

/* Bounded semaphore (asyncio.BoundedSemaphore): count permits, at most
 * max.  Invariant: waiters only while count is 0.  CO_SEM_INIT(n, max)
 * for a static one; a zeroed one is uninitialised (max 0): -EINVAL. */
typedef struct co_sem {
    co_waitq q;
    long count;         /* free permits, 0..max */
    long max;           /* > 0 once initialised */
} co_sem;
#define CO_SEM_INIT(n, max) { { NULL, NULL }, (n), (max) }
/* 0; -EINVAL unless 0 <= initial <= max and max >= 1. */
int co_sem_init(co_sem *s, long initial, long max);
/* 0; -EBUSY while tasks wait; -EINVAL. */
int co_sem_destroy(co_sem *s);
/* 0 with a permit; -EAGAIN when none is free; -EINVAL. */
int co_sem_try_acquire(co_sem *s);
/* Give a permit back: to the first waiter, else count + 1.  0;
 * -EOVERFLOW when count is already max (more releases than acquires);
 * -EINVAL. */
int co_sem_release(co_sem *s);
/* Free permits now, or -EINVAL. */
long co_sem_value(const co_sem *s);
/* `await co_sem_acquire(&s)`: result 0 with a permit; -EINVAL. */

/* Event (asyncio.Event): a flag tasks wait to see set.  Invariant:
 * waiters only while clear.  Zeroed or CO_EVENT_INIT is clear. */
typedef struct co_event {
    co_waitq q;
    int set;
} co_event;
#define CO_EVENT_INIT { { NULL, NULL }, 0 }
/* 0; -EINVAL.  (Nothing to destroy: an event holds no resource.) */
int co_event_init(co_event *e);
/* Set the flag and wake every waiter (each gets 0 even if the flag is
 * cleared before it runs).  0; -EINVAL. */
int co_event_set(co_event *e);
/* Clear the flag.  0; -EINVAL. */
int co_event_clear(co_event *e);
/* 1 when set, 0 when clear, -EINVAL. */
int co_event_is_set(const co_event *e);
/* `await co_event_wait(&e)`: result 0 once e is (or was) set; -EINVAL. */

/* Condition variable, used with a co_mutex (asyncio.Condition).  Zeroed
 * or CO_COND_INIT is ready. */
typedef struct co_cond {
    co_waitq q;
} co_cond;
#define CO_COND_INIT { { NULL, NULL } }
/* 0; -EINVAL. */
int co_cond_init(co_cond *c);
/* Wake the first waiter (signal) or all (broadcast); each woken task
 * then queues for the mutex behind the tasks already waiting for it.
 * The number of tasks woken; -EINVAL. */
int co_cond_signal(co_cond *c);
int co_cond_broadcast(co_cond *c);
/* `await co_cond_wait(&c, &m)`: the caller holds m.  Joins c's queue,
 * unlocks m, waits for a signal, then locks m again before it returns.
 * Result 0 (holding m); -EPERM when m is not locked (nothing happens);
 * -EINVAL.  Wake-ups may be spurious (a signal, then another task changes
 * the state first): test the condition in a loop.
 * Cancelled (while waiting for the signal or for m, or on its way to the
 * wait), it takes m back before the cancellation goes on, as asyncio's
 * Condition.wait does: it leaves c's queue, passes a signal it had
 * already consumed to the next waiter, waits for m like co_lock if
 * another task holds it, and only then is closed.  So the caller's
 * defers always run holding m, and
 *     await co_lock(&m); defer co_unlock(&m); ... await co_cond_wait(&c, &m)
 * is right under cancellation.  (co_cancel returns before that is done.)
 * A close that is not a cancel cannot wait: when co_timeout gives up on
 * a co_cond_wait, or co_loop_free tears it down, it takes m only if m
 * is free.  For a wait with a time limit use co_cond_wait_for, which
 * always returns holding m. */

/* `await co_cond_wait_for(&c, &m, ms)`: co_cond_wait that also ends
 * after ms milliseconds (ms < 0: no limit; at most CO_MAX_MS).  Like
 * pthread_cond_timedwait it takes m back before it returns, whatever the
 * outcome: 0 signalled, -ETIMEDOUT (both holding m; when a signal and the
 * time limit come together, the signal wins), -EPERM when m is not locked,
 * -EINVAL, -ENOMEM (the last three without letting m go).  Cancelled, it
 * takes m back first as co_cond_wait does. */

/* Barrier of n parties (asyncio.Barrier), reusable round after round.
 * Invariant: fewer than n waiters; the n-th arrival releases the round. */
typedef struct co_barrier {
    co_waitq q;
    long n;             /* parties per round, >= 1 once initialised */
    long count;         /* arrived in the current round (= waiters) */
    unsigned long rounds;   /* rounds completed */
} co_barrier;
/* 0; -EINVAL for n < 1. */
int co_barrier_init(co_barrier *b, long n);
/* 0; -EBUSY while tasks wait; -EINVAL. */
int co_barrier_destroy(co_barrier *b);
/* `await co_barrier_wait(&b)`: wait until n tasks have arrived.  Result:
 * how many of the round arrived after this task, distinct in a round:
 * n - 1 for the first, 0 for the last (the one that released the others,
 * which does not wait); -EINVAL.  A waiter cancelled before the round
 * completes withdraws its arrival (the round needs one more task). */

/* Wait group (Go's sync.WaitGroup): a counter of outstanding work.
 * Invariant: waiters only while count > 0.  Zeroed or CO_WG_INIT is 0. */
typedef struct co_wg {
    co_waitq q;
    long count;
} co_wg;
#define CO_WG_INIT { { NULL, NULL }, 0 }
/* 0; -EINVAL. */
int co_wg_init(co_wg *wg);
/* Add delta (may be negative) to the count; reaching 0 wakes every
 * waiter.  0; -EINVAL when the count would go negative, -EOVERFLOW when
 * it would pass LONG_MAX (in both cases nothing changes); -EINVAL when wg
 * is NULL. */
int co_wg_add(co_wg *wg, long delta);
/* co_wg_add(wg, -1). */
int co_wg_done(co_wg *wg);
/* The count, or -EINVAL. */
long co_wg_count(const co_wg *wg);
/* `await co_wg_wait(&wg)`: result 0 once the count is (or was) 0;
 * -EINVAL. */

/* ---- Non-blocking I/O helpers ----------------------------------------------
 *
 * Awaitables that do I/O on non-blocking descriptors through the loop, on
 * either backend.  Each tries its system call first; when that would block
 * (EAGAIN) it waits with co_readable or co_writable, whose frame it embeds,
 * and tries again, so a spurious wake-up only means another wait.
 *
 * Blocking descriptors: each of them makes its descriptor non-blocking
 * (O_NONBLOCK, as co_set_nonblock does) before its first system call on
 * it, so a pipe or socket opened blocking works as it is; a blocking call
 * would stop the whole loop, timers and all.  The loop remembers the
 * descriptors it has made so: one fcntl(2) per descriptor, not per call.
 * The flag belongs to the open file description, so dup(2)s and other
 * processes holding it (a terminal's stdin, say) see it too, and it stays
 * set.  co_close makes the loop forget a descriptor; after a plain
 * close(2), a blocking descriptor that gets the same number (a new pipe)
 * is taken for non-blocking: close with co_close, or co_set_nonblock the
 * new one.  co_readable and co_writable do no I/O and leave the flags
 * alone.
 *
 * Preconditions: at most one task reads (reads, accepts) and one writes
 * (writes, connects) a descriptor at a time; another gets -EBUSY, as in
 * co_readable.  The buffer must stay in place while the task waits (a
 * local array of the async function does: it lives in the frame).
 *
 * Results are int, and errors are negative errno values handed to the
 * task, never a crash: -EBADF for a bad or closed descriptor,
 * -ECONNRESET when the peer reset the connection, -EPIPE when it is gone,
 * -EBUSY, -ENOMEM...  Timeouts compose: `await co_timeout(ms, co_read(fd,
 * buf, n))` gives -ETIMEDOUT when nothing came in time (nothing was
 * consumed then).  Cancelling a task blocked in any of them unregisters
 * it from the loop.
 *
 * SIGPIPE: co_write never lets it kill the process.  On a socket it uses
 * send(2) with MSG_NOSIGNAL; on any other descriptor (a pipe) it blocks
 * SIGPIPE in the calling thread around write(2) and discards the signal
 * that write raised.  The process's signal dispositions are left alone.
 *
 * Closing: close a descriptor that a task may be waiting on with co_close,
 * which first wakes such tasks with -EBADF.  A plain close(2) leaves them
 * waiting forever on epoll (the kernel forgets the descriptor silently)
 * and, on poll, reaches them only if the number is not reused meanwhile.
 */

/* `await co_read(fd, buf, n)`: read up to n bytes into buf (at most
 * INT_MAX at once), waiting until fd is readable when nothing is there.
 * Result: the number of bytes read (> 0), 0 at end of file (or for
 * n == 0), or -errno. */

/* `await co_write(fd, buf, n)`: write all n bytes of buf, waiting for
 * writability as often as partial writes make it necessary.  Result: n,
 * or -errno (-EPIPE when the reader is gone; -EINVAL for n > INT_MAX).
 * After an error an unknown prefix of buf may have been written. */

/* `await co_accept(fd)`: accept a connection on the listening socket fd.
 * Result: the new descriptor, non-blocking and close-on-exec, or -errno
 * (-EBADF when fd is closed with co_close meanwhile).  A connection that
 * was aborted before it could be accepted is skipped.  Several tasks may
 * await co_accept on one listener: they take turns, first come first
 * served, and each connection goes to one of them.  Out of descriptors
 * or memory (-EMFILE, -ENFILE, -ENOBUFS, -ENOMEM), it waits about 10 ms
 * before it says so: a server that retries lets the other tasks run
 * meanwhile, and one of them may close a descriptor. */

/* `await co_connect(fd, addr, addrlen)`: connect the non-blocking socket
 * fd to addr and wait until the connection is made.  Result 0, or -errno
 * (-ECONNREFUSED, -ETIMEDOUT, ...).  addr is read when the await starts
 * only, so a temporary is fine. */

/* Make fd non-blocking.  0, or -errno. */
int co_set_nonblock(int fd);

/* A non-blocking, close-on-exec TCP socket listening on host:port with
 * the given backlog (SO_REUSEADDR set).  host is a numeric IPv4 or IPv6
 * address ("127.0.0.1", "::1"); NULL means every IPv4 interface.  Port 0
 * picks a free port, stored at *bound_port when that is not NULL.
 * Returns the descriptor, or -errno: -EINVAL for a host that is not a
 * numeric address, a port outside 0..65535 or a negative backlog (the
 * system cuts a large one to its maximum), else socket(2)'s, bind(2)'s or
 * listen(2)'s error. */
int co_listen_tcp(const char *host, int port, int backlog, int *bound_port);

/* Close fd, first waking every task of the loop running on this thread
 * that waits on it (in co_read, co_accept, co_readable...) with -EBADF,
 * and forgetting that it was non-blocking.
 * Call it from that loop's tasks; outside a running loop it is close(2).
 * 0, or -errno from close(2). */
int co_close(int fd);

/* ---- Threads ---------------------------------------------------------------
 *
 * C has no GIL: threads run in parallel.  A loop belongs to the thread
 * that runs it, and other threads reach it through its inbox: calls and
 * spawns posted there run on the loop's thread between batches, and a
 * posting wakes the loop (an eventfd, or a pipe off Linux) when it is
 * blocked.  Several loops may run on several threads at once; tasks on
 * different loops talk through shared channels (co_chan_new_shared).
 *
 * A loop whose tasks wait for another thread (a shared channel, the
 * thread pool) waits for that thread instead of reporting a deadlock.
 */

/* Run l (as co_loop_run) but do not return when it has nothing left to
 * do: wait for calls from other threads until co_loop_stop (asyncio's
 * run_forever).  Returns as co_loop_run, never -EDEADLK. */
int co_loop_run_forever(co_loop *l);

/* asyncio's call_soon_threadsafe: run fn(arg) on l's thread, soon, from
 * any thread.  Calls from one thread run in the order they were made.
 * fn runs between tasks (as a done callback does: it may spawn, cancel,
 * send with co_try_send...).  A call that returned 0 runs exactly once:
 * at the loop's next batch, or at the latest in co_loop_close.  Returns
 * 0; -EINVAL when l or fn is NULL; -ENOMEM; -ESHUTDOWN once co_loop_close
 * has begun. */
int co_loop_call_threadsafe(co_loop *l, void (*fn)(void *arg), void *arg);

/* Close l to other threads: from now on co_loop_call_threadsafe and
 * co_spawn_threadsafe fail with -ESHUTDOWN, and the calls accepted before
 * run now, on this thread (spawns accepted before are spawned; they run
 * if the loop runs again, and are cancelled by co_loop_free).  The loop
 * itself can still run.  Call it from l's thread while it is not
 * running; co_loop_free does it too.  Every thread that may still post
 * to l must have stopped (joined, or seen -ESHUTDOWN) before co_loop_free.
 * Returns 0 (also when already closed); -EINVAL; -EBUSY while l runs. */
int co_loop_close(co_loop *l);

/* A future: the result of a task spawned from another thread, for a
 * thread that is not running a loop (concurrent.futures.Future). */
typedef struct co_future co_future;

/* asyncio's run_coroutine_threadsafe: spawn the new task `handle` on l
 * from any thread.  The loop owns the task (detached, as with
 * co_detach); its result goes to the future.  Returns the future,
 * which the caller must co_future_free; NULL with errno EINVAL (handle
 * or l NULL, or handle already spawned), ENOMEM or ESHUTDOWN.  On
 * failure a new handle is freed, so co_spawn_threadsafe(l, f(x)) never
 * leaks.  The spawn is whole or nothing: when the loop, on its thread,
 * has no memory for what carries the result to the future, the task is
 * cancelled before it ever runs and the future gives -ENOMEM. */
co_future *co_spawn_threadsafe(co_loop *l, co_task *handle);

/* Block the calling thread until f's task finishes, or for at most
 * timeout_ms milliseconds (any negative value: no limit; at most
 * CO_MAX_MS).  Copies the result to out (may be NULL) and returns 0;
 * -ECANCELED when the task was cancelled (also by co_loop_free); -ENOMEM
 * when the loop could not take the task (it never ran); -ETIMEDOUT;
 * -EDEADLK when called on the thread running f's loop; -EINVAL when f is
 * NULL.  May be called again. */
int co_future_wait(co_future *f, void *out, long timeout_ms);

/* 1 when f's task has finished, else 0; -EINVAL for NULL. */
int co_future_done(co_future *f);

/* Ask f's loop to cancel its task (co_cancel, on the loop's thread).
 * 0; -EALREADY when it has finished; -ESHUTDOWN when the loop is closed;
 * -ENOMEM; -EINVAL. */
int co_future_cancel(co_future *f);

/* Let go of f (from any thread, once); the task runs on regardless.
 * 0, or -EINVAL.  A task still awaiting f in co_future_join keeps it
 * alive until it has its result. */
int co_future_free(co_future *f);

/* `await co_future_join(f, out)`: wait in a task, of any loop, until f's
 * task finishes (asyncio.wrap_future); the loop runs on meanwhile.  The
 * result is co_future_wait's: 0 with the task's result copied to out (may
 * be NULL), -ECANCELED, -ENOMEM, -EINVAL for a NULL f.  Cancelling the
 * waiting task leaves f alone. */

/* The thread pool of l: the number of threads co_run_in_thread may use.
 * Set it before the first co_run_in_thread on l (from l's thread); 0
 * means one per online core (the default).  The threads all start at the
 * first job and live until co_loop_free, which joins them, or, when jobs
 * are still running, lets them go (see co_run_in_thread).  Returns 0;
 * -EINVAL when l is NULL or n is outside 0..1024; -EBUSY once the pool
 * has started. */
int co_loop_set_threads(co_loop *l, int n);

/* on != 0: co_loop_free of l (and so co_run, from its main task:
 * co_loop_wait_abandoned(co_loop_current(), 1)) waits for the pool's
 * abandoned jobs to return, as it waits for no other work; 0 (the
 * default): it does not.  Returns 0, or -EINVAL for NULL. */
int co_loop_wait_abandoned(co_loop *l, int on);

/* `await co_run_in_thread(fn, arg)`: run fn(arg) on a thread of the pool
 * of the task's loop, and give fn's result.  The task waits, the loop runs
 * on (the loop does not report a deadlock while a job is out).  Jobs
 * start in FIFO order.  fn must not touch the loop or its tasks: it
 * talks to them through co_loop_call_threadsafe or shared channels, or
 * simply returns.  If the task is cancelled meanwhile (co_cancel,
 * co_timeout, co_loop_free), a job not yet started never starts; a
 * running one is abandoned: it runs to its end (a thread cannot be
 * stopped), co_job_cancelled tells it to hurry, and its result is
 * dropped, never written to the task's frame (a result that owns memory
 * is lost with it, even one fn returned just before the cancel: keep such
 * memory where the program can find it).  co_loop_free and co_run do not
 * wait for abandoned jobs (co_loop_wait_abandoned): the pool's threads
 * are detached, and each frees its job, and the last one the pool, when
 * fn returns; fn must not need anything the program frees after the
 * loop.  A job still running when the process exits ends with it.  Each
 * await allocates a small job (co_alloc).  The pool's
 * threads start at the first use; when they (or the job's few bytes)
 * cannot be had, fn runs on the loop's thread instead, so the await
 * always gives fn's result.  A NULL fn gives NULL at once.  Pool threads
 * block the signals sent to the process (not SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL), so a job's system calls are not interrupted by them. */

/* Called by a job's fn on its pool thread: 1 once the job is abandoned
 * (the task that awaited it was cancelled, timed out or freed with its
 * loop), else 0; 0 on any other thread.  A long job polls it to stop
 * early (its result is dropped anyway). */
int co_job_cancelled(void);

/* The frame protocol: what generated code calls. */
#include "cogen_impl.h"

#ifdef __cplusplus
}
#endif

#endif
