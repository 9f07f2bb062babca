/* inner.h - included by ../include_local.h: a quoted name is looked up
 * beside the header that includes it first. */
#include "inner2.h"
typedef int inner_t;
