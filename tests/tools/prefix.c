/*
 * prefix.c - the driver of tests/prefix.sh.
 *
 *   prefix COGEN WORKDIR FILE...
 *
 * For every FILE, cuts it after each of its tokens and runs COGEN on each
 * cut (one process per cut, `COGEN -nostdinc WORKDIR/in.co -o WORKDIR/out.c`:
 * reading the system's headers for their type names would triple the time
 * of each run, and tests/include.sh tests that).  Each run must end with status 0 or 1 within 5 seconds, without a signal and
 * without a sanitizer report on stderr.  Prints one line per failure
 * (and keeps the first few inputs that failed as WORKDIR/fail-N.co), then
 * `prefix: N runs, N failures`; exits 1 when a run failed.
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
#include <fcntl.h>

enum { KEEP = 10, TIMEOUT = 5 };

static const char *cogen, *workdir;
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

/* Does the file at path mention a sanitizer report? */
static int sanitizer_report(const char *path) {
    size_t n;
    char *s = slurp(path, &n);
    if (!s)
        return 0;
    int hit = strstr(s, "Sanitizer") || strstr(s, "runtime error:");
    free(s);
    return hit;
}

/* Run cogen on the first n bytes of s (from file name). */
static void run_prefix(const char *name, const char *s, size_t n) {
    char in[4096], out[4096], err[4096];
    snprintf(in, sizeof in, "%s/in.co", workdir);
    snprintf(out, sizeof out, "%s/out.c", workdir);
    snprintf(err, sizeof err, "%s/stderr", workdir);
    if (write_file(in, s, n) != 0) {
        fprintf(stderr, "prefix: cannot write %s: %s\n", in, strerror(errno));
        exit(2);
    }
    runs++;
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "prefix: fork: %s\n", strerror(errno));
        exit(2);
    }
    if (pid == 0) {
        int fd = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int nul = open("/dev/null", O_RDWR);
        if (fd < 0 || nul < 0)
            _exit(126);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(fd, 2);
        alarm(TIMEOUT);         /* survives exec: SIGALRM ends a hang */
        execl(cogen, cogen, "-nostdinc", in, "-o", out, (char *)NULL);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "prefix: waitpid: %s\n", strerror(errno));
            exit(2);
        }
    char why[128] = "";
    if (WIFSIGNALED(st))
        snprintf(why, sizeof why, WTERMSIG(st) == SIGALRM ? "timed out (%ds)"
                 : "killed by signal %d", WTERMSIG(st) == SIGALRM ? TIMEOUT : WTERMSIG(st));
    else if (sanitizer_report(err))
        snprintf(why, sizeof why, "sanitizer report (status %d)", WEXITSTATUS(st));
    else if (WEXITSTATUS(st) > 1)
        snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(st));
    if (!*why)
        return;
    failures++;
    printf("%s: cut after %zu bytes: %s\n", name, n, why);
    if (failures <= KEEP) {
        char keep[4096];
        snprintf(keep, sizeof keep, "%s/fail-%d.co", workdir, failures);
        write_file(keep, s, n);
        printf("    input kept as %s\n", keep);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: prefix COGEN WORKDIR FILE...\n");
        return 2;
    }
    cogen = argv[1];
    workdir = argv[2];
    for (int a = 3; a < argc; a++) {
        size_t n;
        char *s = slurp(argv[a], &n);
        if (!s) {
            fprintf(stderr, "prefix: cannot read %s\n", argv[a]);
            return 2;
        }
        run_prefix(argv[a], s, 0);
        for (size_t i = 0; i < n;) {
            if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
                i++;
                continue;
            }
            i = token_end(s, n, i);
            run_prefix(argv[a], s, i);
        }
        free(s);
    }
    printf("prefix: %d runs, %d failures\n", runs, failures);
    fflush(stdout);
    return failures != 0;
}
