/*
 * replay.c - runs the fuzz target (target.c) on files, without libFuzzer.
 *
 *   replay FILE...
 *
 * Feeds each FILE to LLVMFuzzerTestOneInput in turn, in this one process,
 * naming it on stdout first so that a sanitizer report or an abort is
 * known to belong to the last name printed.  Prints `replay: N inputs`.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole of the file at path, or NULL. */
static uint8_t *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap) break;
        uint8_t *p = realloc(buf, cap *= 2);
        if (!p) free(buf);
        buf = p;
    }
    if (buf && ferror(f)) free(buf), buf = NULL;
    fclose(f);
    *size = n;
    return buf;
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        printf("%s\n", argv[i]);
        fflush(stdout);
        size_t size;
        uint8_t *data = slurp(argv[i], &size);
        if (!data) {
            fprintf(stderr, "replay: cannot read '%s'\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput(data, size);
        free(data);
    }
    printf("replay: %d inputs\n", argc - 1);
    return 0;
}
