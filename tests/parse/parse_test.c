/*
 * parse_test.c - harness for the lexer and the parser (tests/parse/run.sh).
 *
 *   parse_test FILE.co        dump every function's parameters and body, and
 *                             every range-for parsed on its own, as trees
 *                             with the source text of each node's range
 *   parse_test -t FILE        print the tokens: line:col, kind, text
 *   parse_test -l FILE...     lex only; check token invariants (offsets
 *                             increase, line/col match the text, no token
 *                             straddles another); print a summary line
 *   parse_test -p FILE        lex and parse every byte prefix of FILE; only
 *                             checks that nothing crashes or leaks
 *   parse_test -q FILE...     parse, printing only the diagnostics (to try
 *                             the parser on real code, e.g. inline functions
 *                             in /usr/include)
 *
 * Functions are found with a crude scan (a name followed by a balanced
 * parameter list and a balanced body at file level) standing in for the
 * island scanner.  Every function is parsed as a generator.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

static char *slurp(const char *path, int *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        perror(path);
        exit(2);
    }
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        perror(path);
        exit(2);
    }
    fclose(f);
    buf[n] = 0;
    *len = (int)n;
    return buf;
}

/* Index of the token that closes the bracket at k, or -1. */
static int match(Unit *u, int k)
{
    int open = u->toks[k].id, depth = 0;
    int close = open == TK_LPAREN ? TK_RPAREN : TK_RBRACE;

    for (; k < u->ntoks; k++) {
        if (u->toks[k].id == open)
            depth++;
        else if (u->toks[k].id == close && --depth == 0)
            return k;
    }
    return -1;
}

/* Diagnostics go to a temporary file; copy out their first lines only
 * (not unit.c's source excerpt and caret) so that the expected files
 * depend on the parser alone.  *pos is how much was copied already. */
static void flush_diags(Unit *u, long *pos)
{
    char line[512];

    if (!u->err || u->err == stdout)
        return;
    cg_diag_flush(u);
    fflush(u->err);
    fseek(u->err, *pos, SEEK_SET);
    while (fgets(line, sizeof line, u->err))
        if (strstr(line, ": error: ") || strstr(line, ": warning: "))
            fputs(line, stdout);
    *pos = ftell(u->err);
}

static void print_range(Unit *u, const char *what, Node *n, FILE *out)
{
    fprintf(out, "%s: ", what);
    cg_dump(u, n, out);
    if (!n)
        fputs("(null)\n", out);
}

/* Parse each range-for inside [lo, hi) on its own, as the island scanner
 * does for plain functions. */
static void range_fors(Unit *u, int lo, int hi, int quiet, long *pos)
{
    int k, end;

    for (k = lo; k < hi; k++) {
        int rp, i, colon = 0;
        Node *n;

        if (u->toks[k].id != TK_FOR)
            continue;
        i = k + 1;
        if (cg_tok_is(u, i, "await"))
            i++;
        if (u->toks[i].id != TK_LPAREN || (rp = match(u, i)) < 0)
            continue;
        for (; i < rp; i++)
            colon |= u->toks[i].id == TK_COLON;
        if (!colon)
            continue;
        n = cg_parse_rangefor(u, k, &end);
        flush_diags(u, pos);
        if (!quiet) {
            fprintf(stdout, "-- range-for at %d, end %d\n", k, end);
            print_range(u, "loop", n, stdout);
        }
    }
}

/* Register the file-scope typedef names, crudely, as the island scanner
 * does: in `typedef ... ;` an identifier before ; , ) or [ is declared. */
static void file_typedefs(Unit *u)
{
    int k, depth = 0;

    for (k = 0; k < u->ntoks; k++) {
        int id = u->toks[k].id;
        depth += (id == TK_LBRACE) - (id == TK_RBRACE);
        if (depth != 0 || id != TK_TYPEDEF)
            continue;
        for (; k < u->ntoks && u->toks[k].id != TK_SEMI; k++) {
            int next = u->toks[k + 1].id;
            if (u->toks[k].id == TK_LBRACE)
                k = match(u, k) < 0 ? u->ntoks - 1 : match(u, k);
            else if (u->toks[k].id == TK_IDENT &&
                     (next == TK_SEMI || next == TK_COMMA ||
                      next == TK_RPAREN || next == TK_LBRACKET))
                cg_typedef_add(u, u->src + u->toks[k].off, u->toks[k].len);
        }
    }
}

/* Find the functions and parse them. */
static void parse_all(Unit *u, int quiet)
{
    int k, depth = 0;
    long pos = 0;

    file_typedefs(u);
    for (k = 0; k < u->ntoks; k++) {
        Func f;
        int rp, id = u->toks[k].id;

        depth += (id == TK_LBRACE) - (id == TK_RBRACE);
        if (depth != 0 || id != TK_IDENT || u->toks[k + 1].id != TK_LPAREN)
            continue;
        if ((rp = match(u, k + 1)) < 0)
            return;
        memset(&f, 0, sizeof f);
        f.kind = F_GEN;
        f.first = f.name = k;
        if (u->toks[rp + 1].id == TK_SEMI) {
            f.is_proto = 1;
            f.last = rp + 1;
        } else if (u->toks[rp + 1].id == TK_LBRACE) {
            f.last = match(u, rp + 1);
            if (f.last < 0)
                f.last = u->ntoks - 1;   /* a truncated body */
        } else {
            continue;
        }
        if (!quiet)
            printf("== %.*s\n", u->toks[k].len, u->src + u->toks[k].off);
        int ok = cg_parse_func(u, &f) == 0;
        flush_diags(u, &pos);
        if (ok) {
            if (!quiet) {
                print_range(u, "params", f.params, stdout);
                if (!f.is_proto)
                    print_range(u, "body", f.body, stdout);
            }
            if (!f.is_proto)
                range_fors(u, rp + 1, f.last + 1, quiet, &pos);
        }
        k = f.last;
    }
}

/* Lexer invariants on one file; returns the number of violations. */
static int check_lex(Unit *u)
{
    int k, bad = 0, line = 1, col = 1, pos = 0;

    for (k = 0; k <= u->ntoks; k++) {
        const Token *t = &u->toks[k];
        for (; pos < t->off; pos++) {
            if (u->src[pos] == '\n')
                line++, col = 1;
            else
                col++;
        }
        if (t->line != line || t->col != col || t->len < 0 ||
            t->off + t->len > u->len || (k == u->ntoks) != (t->id == 0) ||
            (k > 0 && t->off < u->toks[k - 1].off + u->toks[k - 1].len)) {
            fprintf(stderr, "%s: bad token %d at %d:%d (expected %d:%d)\n",
                    u->path, k, t->line, t->col, line, col);
            if (++bad > 5)
                break;
        }
    }
    return bad;
}

static int lex_files(int argc, char **argv)
{
    long ntok = 0, npp = 0, nother = 0;
    int i, bad = 0;

    for (i = 0; i < argc; i++) {
        int len, k;
        char *src = slurp(argv[i], &len);
        Unit *u = cg_unit_new(argv[i], src, len, stderr);

        cg_lex(u);
        bad += check_lex(u) > 0;
        ntok += u->ntoks;
        for (k = 0; k < u->ntoks; k++) {
            npp += u->toks[k].id == TK_PP;
            nother += u->toks[k].id == TK_OTHER;
        }
        cg_unit_free(u);
        free(src);
    }
    printf("%d files, %ld tokens, %ld directives, %ld stray, %d bad\n",
           argc, ntok, npp, nother, bad);
    return bad != 0;
}

static const char *kind_of(int id)
{
    switch (id) {
    case TK_PP: return "pp";
    case TK_OTHER: return "other";
    case TK_IDENT: return "ident";
    case TK_TYPENAME: return "typename";
    case TK_NUMBER: return "number";
    case TK_STRING: return "string";
    case TK_CHARLIT: return "char";
    case 0: return "end";
    default: return id >= TK_AUTO && id <= TK_ASM ? "keyword" : "punct";
    }
}

static int print_tokens(const char *path)
{
    int len, k, i;
    char *src = slurp(path, &len);
    Unit *u = cg_unit_new(path, src, len, stderr);

    cg_lex(u);
    for (k = 0; k <= u->ntoks; k++) {
        const Token *t = &u->toks[k];
        printf("%d:%d %s ", t->line, t->col, kind_of(t->id));
        for (i = 0; i < t->len; i++) {
            char c = src[t->off + i];
            if (c == '\n')
                fputs("\\n", stdout);
            else
                putchar(c);
        }
        putchar('\n');
    }
    cg_unit_free(u);
    free(src);
    return 0;
}

static int prefixes(const char *path)
{
    int len, n;
    char *src = slurp(path, &len);
    FILE *null = fopen("/dev/null", "w");

    for (n = 0; n <= len; n++) {
        char *pre = malloc((size_t)n + 1);
        Unit *u;

        memcpy(pre, src, (size_t)n);
        pre[n] = 0;
        u = cg_unit_new(path, pre, n, null);
        cg_lex(u);
        parse_all(u, 1);
        cg_unit_free(u);
        free(pre);
    }
    fclose(null);
    free(src);
    printf("%d prefixes of %s parsed\n", len + 1, path);
    return 0;
}

static int quiet_files(int argc, char **argv)
{
    int i, nerr = 0;

    for (i = 0; i < argc; i++) {
        int len;
        char *src = slurp(argv[i], &len);
        FILE *err = tmpfile();
        Unit *u = cg_unit_new(argv[i], src, len, err);

        cg_lex(u);
        parse_all(u, 1);
        nerr += u->nerrors;
        cg_unit_free(u);
        fclose(err);
        free(src);
    }
    printf("%d files, %d errors\n", argc, nerr);
    return 0;
}

int main(int argc, char **argv)
{
    Unit *u;
    int len;
    char *src;
    FILE *err;

    if (argc >= 3 && strcmp(argv[1], "-l") == 0)
        return lex_files(argc - 2, argv + 2);
    if (argc == 3 && strcmp(argv[1], "-t") == 0)
        return print_tokens(argv[2]);
    if (argc == 3 && strcmp(argv[1], "-p") == 0)
        return prefixes(argv[2]);
    if (argc >= 3 && strcmp(argv[1], "-q") == 0)
        return quiet_files(argc - 2, argv + 2);
    if (argc != 2) {
        fputs("usage: parse_test [-t | -l | -p | -q] FILE...\n", stderr);
        return 2;
    }
    src = slurp(argv[1], &len);
    err = tmpfile();
    u = cg_unit_new(argv[1], src, len, err);
    cg_lex(u);
    parse_all(u, 0);
    cg_unit_free(u);
    fclose(err);
    free(src);
    return 0;
}
