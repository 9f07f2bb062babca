/* main.c - plain C (not translated) using the generators of gens.co
 * through gens.h. */
#include <stdio.h>
#include "gens.h"
#include "gens.h"   /* twice: the header has a guard */

int sum_of_squares(int n);

int main(void) {
    co_gen *g = fib(7);
    int v;
    while (co_gen_next(g, &v) == 1)
        printf("%d ", v);
    printf("\n");
    co_gen_close(g);

    co_gen *c = consumer();
    const char *r = NULL;
    co_gen_next(c, NULL);
    for (int n = 1; n <= 2; n++) {
        co_gen_send(c, &n, &r);
        printf("[PRODUCER] Consumer return: %s\n", r);
    }
    co_gen_close(c);

    printf("sum_of_squares(3) = %d\n", sum_of_squares(3));
    printf("sum_fib(5) = %d\n", co_run(sum_fib(5)));
    printf("count_fib(4) = %d\n", co_run(count_fib(4)));
    return 0;
}
