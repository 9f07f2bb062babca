/* include_local.h - typedef names for include_local.co, in the forms
 * headers write them. */
#ifndef INCLUDE_LOCAL_H
#define INCLUDE_LOCAL_H

#include "include_sub/inner.h"
#ifdef INCLUDE_LOCAL_NEVER
#include "include_missing.h"    /* not there: cogen skips it */
#endif

typedef unsigned long ulg;
typedef unsigned char u8, *u8p;
typedef struct pair { int a, b; } pair_t;
typedef union { int i; unsigned u; } word;
typedef enum { RED, GREEN } colour;
typedef int (*binop)(int, int);
typedef ulg ulg2;
#ifdef INCLUDE_LOCAL_NEVER
typedef long never_used;
#else
typedef long branch_t;
#endif

#endif
