/*
 * main.c - the cogen command line.
 *
 * Reads one .co file (or stdin), translates it, and writes the C to a
 * temporary file beside the output that is renamed into place only when
 * translation succeeded, so an error never leaves a half-written or
 * clobbered output behind.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cg.h"
#include "cogen.h"

static const char usage[] =
    "usage: cogen [options] IN.co [-o OUT.c]\n"
    "Translate a .co file (C with generators, async/await and defer) into C.\n"
    "\n"
    "  -o FILE         write the C to FILE (default: standard output; - too)\n"
    "  --header FILE   also write a C header declaring the file's generators\n"
    "  --no-line       do not emit #line directives\n"
    "  -I DIR          look for #include'd headers in DIR (for their type names)\n"
    "  -isystem DIR    the same, after every -I directory\n"
    "  -nostdinc       not in the compiler's own directories\n"
    "  -Werror         treat warnings as errors\n"
    "  --version       print the version and exit\n"
    "  --help          print this help and exit\n"
    "\n"
    "IN.co may be - for standard input.  Exit status: 0 translated, 1 errors\n"
    "in the input, 2 bad usage.\n";

/* A temporary file in the directory of `path`, opened for writing. */
static FILE *open_temp(const char *path, char **tmp)
{
    *tmp = malloc(strlen(path) + 16);
    if (!*tmp) return NULL;
    sprintf(*tmp, "%s.tmpXXXXXX", path);
    int fd = mkstemp(*tmp);
    if (fd >= 0) {          /* mkstemp makes it private; outputs follow umask */
        mode_t mask = umask(0);
        umask(mask);
        fchmod(fd, 0666 & ~mask);
    }
    FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!f) {
        if (fd >= 0) close(fd), unlink(*tmp);
        free(*tmp);
        *tmp = NULL;
    }
    return f;
}

/* Close a temporary and move it over `path`, or drop it when !ok. */
static int finish(FILE *f, char *tmp, const char *path, int ok)
{
    if (!tmp) return ok ? 0 : 1;
    int bad = fclose(f) != 0;
    if (ok && !bad && rename(tmp, path) == 0) {
        free(tmp);
        return 0;
    }
    if (ok) fprintf(stderr, "cogen: cannot write '%s': %s\n", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return 1;
}

/* An include guard from a header's file name: COGEN_NAME_H. */
static char *guard_of(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char *g = malloc(strlen(base) + 8);
    if (!g) return NULL;
    char *p = g + sprintf(g, "COGEN_");
    for (; *base; base++)
        *p++ = (*base >= 'a' && *base <= 'z') ? (char)(*base - 32)
             : ((*base >= 'A' && *base <= 'Z') || (*base >= '0' && *base <= '9')) ? *base : '_';
    *p = 0;
    return g;
}

typedef struct Args {
    const char *in, *out, *header;
    const char **sys;   /* -isystem directories, put after the -I ones      */
    int nsys;
    Options opt;
} Args;

/* An option with a directory argument, joined (-Idir) or not (-I dir):
 * the directory, or NULL when s is not that option. */
static const char *dir_arg(const char *opt, int argc, char **argv, int *i)
{
    size_t n = strlen(opt);
    if (strncmp(argv[*i], opt, n)) return NULL;
    if (argv[*i][n]) return argv[*i] + n;
    return *i + 1 < argc ? argv[++*i] : NULL;
}

/* Returns 0, or the exit status to stop with. */
static int parse_args(int argc, char **argv, Args *a)
{
    a->opt.line = 1;
    a->opt.stdinc = 1;
    a->opt.incdirs = malloc(sizeof *a->opt.incdirs * (size_t)argc);
    a->sys = malloc(sizeof *a->sys * (size_t)argc);
    if (!a->opt.incdirs || !a->sys) {
        fprintf(stderr, "cogen: out of memory\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i], *d;
        if (!strcmp(s, "--help") || !strcmp(s, "-h")) { fputs(usage, stdout); return -1; }
        if (!strcmp(s, "--version")) { printf("cogen %s\n", COGEN_VERSION); return -1; }
        if (!strcmp(s, "--no-line")) a->opt.line = 0;
        else if (!strcmp(s, "-Werror")) a->opt.werror = 1;
        else if (!strcmp(s, "-nostdinc")) a->opt.stdinc = 0;
        else if ((!strcmp(s, "-o") || !strcmp(s, "--header")) && i + 1 < argc)
            *(s[1] == 'o' ? &a->out : &a->header) = argv[++i];
        else if (!strncmp(s, "-o", 2) && s[2]) a->out = s + 2;
        else if ((d = dir_arg("-isystem", argc, argv, &i))) a->sys[a->nsys++] = d;
        else if ((d = dir_arg("-I", argc, argv, &i))) a->opt.incdirs[a->opt.nincdirs++] = d;
        else if (s[0] == '-' && s[1]) {
            fprintf(stderr, "cogen: unknown option '%s'\n%s", s, usage);
            return 2;
        } else if (a->in) {
            fprintf(stderr, "cogen: more than one input file\n");
            return 2;
        } else a->in = s;
    }
    if (!a->in) {
        fprintf(stderr, "cogen: no input file\n%s", usage);
        return 2;
    }
    for (int i = 0; i < a->nsys; i++) a->opt.incdirs[a->opt.nincdirs++] = a->sys[i];
    return 0;
}

int main(int argc, char **argv)
{
    Args a = { 0 };
    int rc = parse_args(argc, argv, &a);
    free(a.sys);
    if (rc) {
        free(a.opt.incdirs);
        return rc < 0 ? 0 : rc;
    }

    int stdin_in = !strcmp(a.in, "-");
    FILE *in = stdin_in ? stdin : fopen(a.in, "rb");
    if (!in) {
        fprintf(stderr, "cogen: cannot open '%s': %s\n", a.in, strerror(errno));
        return 1;
    }
    int len = 0;
    char *src = cg_slurp(in, &len);
    if (!stdin_in) fclose(in);
    if (!src) {
        fprintf(stderr, "cogen: cannot read '%s'\n", a.in);
        return 1;
    }

    char *tmp = NULL, *htmp = NULL, *guard = NULL;
    int to_stdout = !a.out || !strcmp(a.out, "-");
    a.opt.path = to_stdout ? NULL : a.out;
    FILE *out = to_stdout ? stdout : open_temp(a.out, &tmp);
    if (a.header) {
        a.opt.header = open_temp(a.header, &htmp);
        a.opt.guard = guard = guard_of(a.header);
    }
    if (!out || (a.header && (!a.opt.header || !guard))) {
        fprintf(stderr, "cogen: cannot write '%s': %s\n", out ? a.header : a.out, strerror(errno));
        rc = 1;
    } else {
        rc = cg_translate(stdin_in ? "<stdin>" : a.in, src, len, out, stderr, &a.opt);
        if (to_stdout && fflush(stdout) != 0) rc = 1;
    }
    if (a.opt.header) rc |= finish(a.opt.header, htmp, a.header, rc == 0);
    if (!to_stdout && out) rc |= finish(out, tmp, a.out, rc == 0);
    free(guard);
    free(src);
    free(a.opt.incdirs);
    return rc ? 1 : 0;
}
