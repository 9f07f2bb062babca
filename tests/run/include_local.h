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

/* A macro that is the word typedef (glibc's __STD_TYPE), one after the
 * declarator, and C++'s decltype(x), which names no type: `probe` is a
 * variable of include_local.co. */
#define LOCAL_TYPEDEF typedef
LOCAL_TYPEDEF unsigned short half;
#define ALIGNED __attribute__((aligned(8)))
typedef struct { int v; } aligned_t ALIGNED;
#ifdef __cplusplus
typedef decltype(probe) probe_t;
#endif

#endif
