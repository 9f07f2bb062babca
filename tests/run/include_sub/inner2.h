/* inner2.h - two levels down. */
typedef short inner2_t;
