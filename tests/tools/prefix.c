/*
 * prefix.c - the driver of tests/prefix.sh.
 *
 *   prefix WORKDIR FILE...
 *
 * For every FILE, cuts it after each of its tokens and translates each cut
 * with the translator linked in (built with the sanitizers by prefix.sh),
 * as `cogen -nostdinc` would: reading the system's headers for their type
 * names would triple the time of each cut, and tests/include.sh tests that.
 * Each cut must give status 0 or 1 within 5 seconds, without a signal and
 * without a sanitizer report.  Prints one line per failure (and keeps the
 * first few inputs that failed as WORKDIR/fail-N.co), then `prefix: N runs,
 * N failures`; exits 1 when a cut failed.
 *
 * The cuts of one file run in one child process, which tells the parent
 * through a pipe which cut it starts and when it is through: one process
 * per cut would spend most of the time starting processes.  When the
 * child dies (a crash, a sanitizer report, SIGALRM for a hang) the last cut
 * it started is the culprit, and a new child goes on after it.  A leak is
 * reported only at a child's exit, so cuts whose child leaks run again one
 * per process to find the cut.
 *
 * The tokenizer is rough on purpose: identifiers and numbers, string and
 * character literals, comments and single punctuation characters.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cg.h"

enum { KEEP = 10, TIMEOUT = 5, DONE = -1 };

static const char *workdir;
static int runs, failures;

static int is_word(int c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9');
}

/* The offset just past the token that starts at i. */
static size_t token_end(const char *s, size_t n, size_t i) {
    if (is_word((unsigned char)s[i])) {
        while (i < n && (is_word((unsigned char)s[i]) || s[i] == '.'))
            i++;
        return i;
    }
    if (s[i] == '"' || s[i] == '\'') {
        char q = s[i++];
        while (i < n && s[i] != q && s[i] != '\n')
            i += s[i] == '\\' && i + 1 < n ? 2 : 1;
        return i < n ? i + 1 : n;
    }
    if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
        while (i < n && s[i] != '\n')
            i++;
        return i;
    }
    if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
        const char *e = strstr(s + i + 2, "*/");
        return e ? (size_t)(e - s) + 2 : n;
    }
    return i + 1;
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *bigger = realloc(buf, 2 * cap + 1);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

static int write_file(const char *path, const char *s, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int bad = fwrite(s, 1, n, f) != n;
    return fclose(f) != 0 || bad ? -1 : 0;
}

/* Translate the first n bytes of s; 0 or 1 as cogen would exit. */
static int translate(const char *name, const char *s, size_t n, FILE *sink)
{
    char *src = malloc(n + 1);
    if (!src) {
        fprintf(stderr, "prefix: out of memory\n");
        exit(2);
    }
    memcpy(src, s, n);
    src[n] = '\0';
    Options o = { .line = 1, .path = "out.c" };
    rewind(sink);
    int rc = cg_translate(name, src, (int)n, sink, sink, &o);
    free(src);
    return rc;
}

static void fail(const char *name, const char *s, size_t n, const char *why)
{
    failures++;
    printf("%s: cut after %zu bytes: %s\n", name, n, why);
    if (failures <= KEEP) {
        char keep[4096];
        snprintf(keep, sizeof keep, "%s/fail-%d.co", workdir, failures);
        write_file(keep, s, n);
        printf("    input kept as %s\n", keep);
    }
}

static void put(int fd, int v)
{
    while (write(fd, &v, sizeof v) < 0 && errno == EINTR) {}
}

/* In a child: cuts [from, to) of s, each announced on fd; DONE when all
 * went through.  A cut that gives another status than 0 or 1 ends the
 * child with status 3 (sanitizers use 23 and 24). */
static void child(const char *name, const char *s, const size_t *cut, int from,
                  int to, int fd)
{
    FILE *sink = fopen("/dev/null", "w");
    if (!sink) _exit(2);
    for (int i = from; i < to; i++) {
        put(fd, i);
        alarm(TIMEOUT);
        if (translate(name, s, cut[i], sink) > 1) _exit(3);
        alarm(0);
    }
    put(fd, DONE);
    fclose(sink);
    exit(0);        /* exit, not _exit: the leak check runs at exit */
}

/* Why the child ended as st, or NULL when that is no failure. */
static const char *verdict(int st, char *why, size_t cap)
{
    if (WIFSIGNALED(st))
        snprintf(why, cap, WTERMSIG(st) == SIGALRM ? "timed out (%ds)" : "killed by signal %d",
                 WTERMSIG(st) == SIGALRM ? TIMEOUT : WTERMSIG(st));
    else if (WEXITSTATUS(st) == 23 || WEXITSTATUS(st) == 24)
        snprintf(why, cap, "sanitizer report (status %d; see the test's log)", WEXITSTATUS(st));
    else if (WEXITSTATUS(st) != 0)
        snprintf(why, cap, "status %d", WEXITSTATUS(st));
    else
        return NULL;
    return why;
}

/* Run cuts [from, to) in one child; *last: the last cut it started;
 * returns its wait status, *done set when it got through them all. */
static int run_child(const char *name, const char *s, const size_t *cut, int from, int to,
                     int *last, int *done)
{
    int p[2];
    if (pipe(p) < 0) {
        fprintf(stderr, "prefix: pipe: %s\n", strerror(errno));
        exit(2);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "prefix: fork: %s\n", strerror(errno));
        exit(2);
    }
    if (pid == 0) {
        close(p[0]);
        child(name, s, cut, from, to, p[1]);
    }
    close(p[1]);
    int v;
    ssize_t got;
    *last = from, *done = 0;
    while ((got = read(p[0], &v, sizeof v)) != 0) {
        if (got < 0 && errno == EINTR) continue;
        if (got != (ssize_t)sizeof v) break;
        if (v == DONE) *done = 1;
        else *last = v;
    }
    close(p[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "prefix: waitpid: %s\n", strerror(errno));
            exit(2);
        }
    return st;
}

/* Cuts [from, to) of one file.  A child killed at a cut never reached its
 * exit, where the leak check runs: the cuts before that one run again. */
static void run_cuts(const char *name, const char *s, const size_t *cut, int from, int to)
{
    char why[128];
    int last, done;
    if (from >= to) return;
    if (!verdict(run_child(name, s, cut, from, to, &last, &done), why, sizeof why)) return;
    if (!done) {
        fail(name, s, cut[last], why);
        run_cuts(name, s, cut, from, last);
        run_cuts(name, s, cut, last + 1, to);
        return;
    }
    /* Through every cut, then a leak report at exit: find the cut. */
    for (int i = from; i < to && to - from > 1; i++)
        if (verdict(run_child(name, s, cut, i, i + 1, &last, &done), why, sizeof why))
            fail(name, s, cut[i], why);
    if (to - from == 1) fail(name, s, cut[from], why);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: prefix WORKDIR FILE...\n");
        return 2;
    }
    workdir = argv[1];
    for (int a = 2; a < argc; a++) {
        size_t n;
        char *s = slurp(argv[a], &n);
        size_t *cut = s ? malloc((n + 1) * sizeof *cut) : NULL;
        if (!cut) {
            fprintf(stderr, "prefix: cannot read %s\n", argv[a]);
            return 2;
        }
        int ncut = 0;
        cut[ncut++] = 0;
        for (size_t i = 0; i < n;) {
            if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
                i++;
                continue;
            }
            i = token_end(s, n, i);
            cut[ncut++] = i;
        }
        run_cuts(argv[a], s, cut, 0, ncut);
        runs += ncut;
        free(cut);
        free(s);
    }
    printf("prefix: %d runs, %d failures\n", runs, failures);
    fflush(stdout);
    return failures != 0;
}
