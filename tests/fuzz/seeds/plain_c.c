/* Plain C with GNU forms: translates to itself. */
#include <stdio.h>
#define yield_ 1
struct s { int a : 3, : 0, b; };
static int f(int x) {
    static void *t[] = { &&l1 };
    goto *t[0];
l1: x = x ?: 1;
    int y = ({ int z = x; z; });
    switch (x) { case 1 ... 2: break; }
    __asm__ ("" : "=r"(y) : "0"(y));
    return _Generic(y, int: y, default: 0) + yield_;
}
int main(void) { printf("%d\n", f(0)); return 0; }
