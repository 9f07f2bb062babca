/* cost.c - a typed channel costs nothing: the two functions below must
 * compile to the same instructions (tests/typed_chan.sh compares them). */
#include <cogen.h>

int same_untyped(co_chan *ch, int v) {
    int r = co_try_send(ch, &v);
    if (r == 0)
        r = co_try_recv(ch, &v);
    return r + (int)co_chan_len(ch) + (int)co_chan_cap(ch) + v;
}

int same_typed(co_chan_of(int) *ch, int v) {
    int r = co_try_send(ch, &v);
    if (r == 0)
        r = co_try_recv(ch, &v);
    return r + (int)co_chan_len(ch) + (int)co_chan_cap(ch) + v;
}
