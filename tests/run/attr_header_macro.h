/* attr_header_macro.h - macros of attributes for attr_header_macro.co,
 * in the forms headers write them, and macros that look like them but
 * are a type, a qualifier or a number. */
#ifndef ATTR_HEADER_MACRO_H
#define ATTR_HEADER_MACRO_H

typedef int hpair[2];
typedef struct { int x, y; } hpoint;

#define H_UNUSED __attribute__((unused))
#define H_ALIGNED32 __attribute__ ((__aligned__ (32)))  /* spaced, as glibc does */
#define H_ALIGNED(n) __attribute__((aligned(n)))
#define H_BOTH H_UNUSED H_ALIGNED32     /* made of other macros of attributes */
#define H_ALIGNAS64 _Alignas(64)
#define H_VEC4 __attribute__((vector_size(16)))        /* changes the type */
#ifdef __GNUC__                         /* empty in the other branch */
# define H_MAYBE __attribute__((unused))
#else
# define H_MAYBE
#endif
/* Not attributes: a type, a qualifier, a number. */
#define H_TYPE hpair
#define H_CONST const
#define H_N 3

#endif
