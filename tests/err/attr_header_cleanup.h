/* attr_header_cleanup.h - a macro of GNU's cleanup attribute, for
 * attr_header_cleanup.co. */
static inline void drop_int(int *p) { (void)p; }
#define AUTO_DROP __attribute__((cleanup(drop_int)))
#define AUTO_DROP_UNUSED AUTO_DROP __attribute__((unused))
