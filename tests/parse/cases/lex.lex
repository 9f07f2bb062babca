#include <stdio.h>
  #  define LONG(a, b) \
    ((a) + /* comment */ \
     (b)) // trailing \
     continued comment
#define STR "/* not a comment */" /* a comment that
   spans lines */ int after_directive;
x = a # b ## c;
/* block
   comment */ # directive_the_comment_is_blank
z; /* block
   comment */ # not_a_directive_same_logical_line
y = 0x1p-3 + 1e+5 + 123ULL + .5f + 1'000 + 08 + 1..2;
s = "esc\"aped" L"wide" u8"utf" u"16" U"32" 'a' '\'' L'x' u'x' U'x';
t = "split \
string";
a->b.c ... .. -> <<= >>= != == && || ++ -- ## %= ^= |= &= *= /= += -= ? : ~ !;
__attribute__ __inline __restrict__ __const _Bool bool _Float128 __int128 __builtin_va_list typeof asm;
yield await defer from generator async;
$ @ ` \ x
u = "unterminated
v = 'also unterminated
w;	tab	col;
// line comment ending with a backslash \
continues here
	/* unterminated comment at eof