/* hub.h - typed channels across files: a struct member, a global and
 * plain functions declared with channel types, shared by hub.co and
 * main.co (tests/typed_chan.sh). */
#ifndef HUB_H
#define HUB_H
#include <cogen.h>

struct hub {
    co_chan_of(int) *in;            /* numbers to add up */
    co_chan_send_of(long) *out;     /* the sum, once in is closed */
};

extern co_chan_of(int) *hub_numbers;

/* Send 1..n on out without waiting; how many went. */
int hub_fill(co_chan_send_of(int) *out, int n);
#endif
