/*
 * target.c - the translator as a fuzz target: one input is one .co file.
 *
 * Translates the input as `cogen --header H IN -o OUT` would, into memory
 * streams, so the fuzzer exercises the whole pipeline and the diagnostics.
 * Besides the sanitizers' checks it holds one oracle of its own: an input
 * in which none of cogen's forms can appear must translate, and to itself,
 * byte for byte, unless its one fault is a comment left open; otherwise
 * it aborts.  Built with libFuzzer by `make fuzz` and, with the replay
 * driver replay.c, by tests/fuzz.sh.
 */
#define _GNU_SOURCE     /* memmem */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int is_word(int c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* Could the translator find a form in s?  Errs on the side of yes: any
 * word that starts one anywhere (comments and strings too), a `for` with
 * a ':' somewhere after it, which may be a range-for, and a mention of
 * cogen.h, whose includers are told about misspelt cogen words. */
static int may_have_forms(const char *s, size_t n)
{
    if (memmem(s, n, "cogen.h", 7)) return 1;
    /* co_timeout: a deadline block `co_timeout (ms) { }` is a form too */
    static const char *const words[] = { "generator", "async", "yield", "await", "defer", "co_timeout" };
    int seen_for = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == ':' && seen_for) return 1;
        if (!is_word((unsigned char)s[i]) || (i > 0 && is_word((unsigned char)s[i - 1])))
            continue;
        size_t e = i;
        while (e < n && is_word((unsigned char)s[e])) e++;
        for (size_t k = 0; k < sizeof words / sizeof *words; k++)
            if (e - i == strlen(words[k]) && !memcmp(s + i, words[k], e - i)) return 1;
        if (e - i == 3 && !memcmp(s + i, "for", 3)) seen_for = 1;
    }
    return 0;
}

/* Did the translator refuse the input for one reason alone, a comment
 * left open at the end of the file?  C itself refuses such a file.  Only
 * the diagnostics' own lines count (each begins with the file's name):
 * the source line echoed under one may hold any text. */
static int only_open_comment(int rc, const char *err, size_t n)
{
    static const char head[] = "fuzz.co:", msg[] = ": error: unterminated comment";
    int errors = 0, open = 0;
    for (const char *p = err, *end = err + n; p < end; ) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (len >= sizeof head - 1 && !memcmp(p, head, sizeof head - 1) && memmem(p, len, ": error: ", 9)) {
            errors++;
            open += len >= sizeof msg - 1 && !memcmp(p + len - (sizeof msg - 1), msg, sizeof msg - 1);
        }
        p += len + 1;
    }
    return rc == 1 && errors == 1 && open == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 0x7fffffff) return 0;
    /* The translator wants the NUL after the input that cogen's reader puts
     * there; a copy also keeps reads past the end visible to ASan. */
    char *src = malloc(size + 1);
    if (!src) return 0;
    memcpy(src, data, size);
    src[size] = 0;

    char *out = NULL, *hdr = NULL, *err = NULL;
    size_t nout = 0, nhdr = 0, nerr = 0;
    FILE *fout = open_memstream(&out, &nout);
    FILE *fhdr = open_memstream(&hdr, &nhdr);
    FILE *ferr = open_memstream(&err, &nerr);
    if (!fout || !fhdr || !ferr) abort();
    Options o = { .line = 1, .header = fhdr, .guard = "COGEN_FUZZ_H" };
    int rc = cg_translate("fuzz.co", src, (int)size, fout, ferr, &o);
    fclose(fout);
    fclose(fhdr);
    fclose(ferr);

    if (!may_have_forms(src, size) && !only_open_comment(rc, err, nerr) &&
        (rc != 0 || nout != size || memcmp(out, src, size))) {
        fprintf(stderr, "fuzz: an input without cogen forms did not translate to itself "
                "(exit %d, %zu bytes in, %zu out)\n%.*s", rc, size, nout, (int)nerr, err);
        abort();
    }
    free(out);
    free(hdr);
    free(err);
    free(src);
    return 0;
}
