/* A MOCK of the async runtime's declarations, only to check the pending
 * tests' expected output against the translator before runtime/ has them.
 * Not the real runtime; never used by make check. */
#include "../../../runtime/cogen.h"
#ifndef MOCK_COGEN_H
#define MOCK_COGEN_H
int co_run(co_task *h);
co_task *co_spawn(co_task *h);
int co_cancel(co_task *t);
int co_task_done(co_task *t);
int co_task_result(co_task *t, void *out);
struct co_sleep__frame { int co_state; int co_result; long ms; double deadline; co_task *t; struct co_sleep__frame *next; };
void co_sleep__init(struct co_sleep__frame *f, long ms);
int co_sleep__resume(struct co_sleep__frame *f, co_task *t);
void co_sleep__close(struct co_sleep__frame *f);
struct co_join__frame { int co_state; int co_result; co_task *target; co_task *t; struct co_join__frame *next; };
void co_join__init(struct co_join__frame *f, co_task *target);
int co_join__resume(struct co_join__frame *f, co_task *t);
void co_join__close(struct co_join__frame *f);
co_chan *co_chan_new(size_t elem, size_t cap);
void co_chan_free(co_chan *c);
int co_chan_close(co_chan *c);
int co_try_send(co_chan *c, const void *v);
struct co_recv__frame { int co_state; int co_result; co_chan *ch; void *out; co_task *t; struct co_recv__frame *next; };
void co_recv__init(struct co_recv__frame *f, co_chan *c, void *out);
int co_recv__resume(struct co_recv__frame *f, co_task *t);
void co_recv__close(struct co_recv__frame *f);
#endif
