/* qual_macro.h - macros of qualifiers for qual_macro.co, one of them
 * defined in two #if branches. */
#ifndef QUAL_MACRO_H
#define QUAL_MACRO_H
#define H_CONST const
#ifdef QUAL_MACRO_OLD
#define H_CV __const__ volatile
#else
#define H_CV const volatile
#endif
#define H_BOTH H_CONST H_VOLATILE
#define H_VOLATILE volatile
typedef struct { int a, b; } hpair;
#endif
