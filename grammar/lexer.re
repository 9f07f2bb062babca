/*
 * lexer.re - split a C / .co buffer into tokens (re2c).
 *
 * Produces u->toks: every significant token with its byte offset, length,
 * line and column.  Whitespace and comments are gaps between tokens; a whole
 * preprocessor line (continuations and comments begun on it included) is
 * one TK_PP.  It never fails and never reads past the NUL that ends u->src:
 * a stray byte is TK_OTHER, and so is an unterminated literal (to its
 * line's end) or comment (to the end of the file), which passes report.
 * The cogen words (yield, await, ...) are plain identifiers here: parse.c
 * decides by context.
 */
#include <stdlib.h>
#include <string.h>

#include "cg.h"
#include "parser.h"

typedef struct Lexer {
    Unit *u;
    const char *src;      /* u->src                                        */
    const char *end;      /* src + len: the terminating NUL                */
    const char *seen;     /* newlines before this point are counted        */
    int line;             /* line of *seen                                 */
    const char *bol;      /* start of that line                            */
    int cap;              /* allocated size of u->toks                     */
    int at_bol;           /* only blanks and comments since a newline: a
                             '#' here starts a directive                   */
} Lexer;

/* ---- positions and the token array ------------------------------------ */

/* Count the newlines between what was seen and p, so that line and column
 * of p are known.  Called with increasing p only: linear overall. */
static void advance(Lexer *L, const char *p)
{
    for (; L->seen < p; L->seen++) {
        if (*L->seen == '\n') {
            L->line++;
            L->bol = L->seen + 1;
        }
    }
}

static void push(Lexer *L, int id, const char *tok, const char *cur)
{
    Unit *u = L->u;
    Token *t;

    if (u->ntoks + 1 >= L->cap) {   /* keep room for the sentinel */
        int cap = L->cap ? 2 * L->cap : 1024;
        Token *nt = realloc(u->toks, (size_t)cap * sizeof *nt);
        if (!nt) {
            fputs("cogen: out of memory\n", stderr);
            exit(2);
        }
        u->toks = nt;
        L->cap = cap;
    }
    advance(L, tok);
    t = &u->toks[u->ntoks++];
    t->id = id;
    t->off = (int)(tok - L->src);
    t->len = (int)(cur - tok);
    t->line = L->line;
    t->col = (int)(tok - L->bol) + 1;
    t->subst = NULL;
    advance(L, cur);
    L->at_bol = 0;
}

/* ---- hand-written scanners for comments and directives ---------------- */

/* p is just after the opening slash-star; return the end of the comment,
 * or NULL when it is not closed. */
static const char *skip_block_comment(Lexer *L, const char *p)
{
    while (p < L->end && !(p[0] == '*' && p[1] == '/'))
        p++;
    return p < L->end ? p + 2 : NULL;
}

/* p is just after "//"; return the newline (or end) that ends the comment,
 * following backslash-newline continuations. */
static const char *skip_line_comment(Lexer *L, const char *p)
{
    while (p < L->end && *p != '\n') {
        if (p[0] == '\\' && p[1] == '\n')
            p += 2;
        else if (p[0] == '\\' && p[1] == '\r' && p[2] == '\n')
            p += 3;
        else
            p++;
    }
    return p;
}

/* p is just after an opening quote q; return the end of the literal on
 * this line (after the closing quote, or at the newline when unclosed). */
static const char *skip_quoted(Lexer *L, const char *p, char q)
{
    while (p < L->end && *p != '\n' && *p != q) {
        if (*p == '\\' && p + 1 < L->end)
            p++;
        p++;
    }
    return (p < L->end && *p == q) ? p + 1 : p;
}

/* p is just after the '#' that starts a directive; return the newline
 * (or end) where the directive ends.  Quotes are skipped so that a slash-star
 * inside a string does not start a comment. */
static const char *skip_directive(Lexer *L, const char *p)
{
    while (p < L->end && *p != '\n') {
        if (p[0] == '\\' && p[1] == '\n')
            p += 2;
        else if (p[0] == '\\' && p[1] == '\r' && p[2] == '\n')
            p += 3;
        else if (p[0] == '/' && p[1] == '*') {
            const char *e = skip_block_comment(L, p + 2);
            if (!e)
                return p;   /* an open comment is a token of its own */
            p = e;
        }
        else if (p[0] == '/' && p[1] == '/')
            p = skip_line_comment(L, p + 2);
        else if (*p == '"' || *p == '\'')
            p = skip_quoted(L, p + 1, *p);
        else
            p++;
    }
    return p;
}

/* ---- the scanner ------------------------------------------------------ */

/*!re2c
    re2c:define:YYCTYPE = "unsigned char";
    re2c:define:YYCURSOR = cur;
    re2c:define:YYMARKER = mar;
    re2c:yyfill:enable = 0;
    re2c:indent:top = 1;

    // No class below contains NUL, so no rule can run past the end.
    // A number is a pp-number; it takes C23 / C++14 digit separators.
    any   = [\x01-\xff];
    ident = [a-zA-Z_\x80-\xff] [a-zA-Z_0-9\x80-\xff]*;
    esc   = "\\" any;
    pfx   = "L" | "u" | "U" | "u8";
    cchar = [^\x00\n'\\] | esc;
    schar = [^\x00\n"\\] | esc;
    ppnum = "."? [0-9]
            ([0-9a-zA-Z_.\x80-\xff] | [eEpP] [+-] | "'" [0-9a-zA-Z_])*;
*/

/* Scan one token at L's position; returns its id, or -1 for a gap
 * (whitespace, comment), with *tokp / *curp set to its extent. */
static int scan(Lexer *L, const char **tokp, const char **curp)
{
    const unsigned char *cur = (const unsigned char *)*curp, *mar = cur;
    const char *tok = (const char *)cur;
    int id;

    *tokp = tok;
    /*!re2c
    "\x00"      { if (tok >= L->end) { *curp = tok; return 0; }
                  id = TK_OTHER; goto done; }
    [ \t\v\f\r]+                { id = -1; goto done; }
    // A newline inside a comment or after a backslash does not end the
    // logical line: only this one makes a following '#' a directive.
    "\n"                        { L->at_bol = 1; id = -1; goto done; }
    "\\" "\r"? "\n"             { id = -1; goto done; }
    "/*"        { *curp = skip_block_comment(L, (const char *)cur);
                  if (*curp) return -1;
                  cur = (const unsigned char *)L->end;  /* open: a token, */
                  id = TK_OTHER; goto done; }           /* reported by passes */
    "//"        { *curp = skip_line_comment(L, (const char *)cur); return -1; }
    "#"         { if (L->at_bol) {
                      *curp = skip_directive(L, (const char *)cur);
                      return TK_PP;
                  }
                  id = TK_HASH; goto done; }
    "##"        { id = TK_HASHHASH; goto done; }

    pfx? "'" cchar* "'"         { id = TK_CHARLIT; goto done; }
    pfx? "\"" schar* "\""       { id = TK_STRING; goto done; }
    pfx? ["'] ([^\x00\n"'\\] | esc)*  { id = TK_OTHER; goto done; }
    ppnum                       { id = TK_NUMBER; goto done; }

    "auto"          { id = TK_AUTO; goto done; }
    "break"         { id = TK_BREAK; goto done; }
    "case"          { id = TK_CASE; goto done; }
    "char"          { id = TK_CHAR; goto done; }
    "const" | "__const" | "__const__"   { id = TK_CONST; goto done; }
    "continue"      { id = TK_CONTINUE; goto done; }
    "default"       { id = TK_DEFAULT; goto done; }
    "do"            { id = TK_DO; goto done; }
    "double"        { id = TK_DOUBLE; goto done; }
    "else"          { id = TK_ELSE; goto done; }
    "enum"          { id = TK_ENUM; goto done; }
    "extern"        { id = TK_EXTERN; goto done; }
    "float"         { id = TK_FLOAT; goto done; }
    "for"           { id = TK_FOR; goto done; }
    "goto"          { id = TK_GOTO; goto done; }
    "if"            { id = TK_IF; goto done; }
    "inline" | "__inline" | "__inline__"    { id = TK_INLINE; goto done; }
    "int"           { id = TK_INT; goto done; }
    "long"          { id = TK_LONG; goto done; }
    "register"      { id = TK_REGISTER; goto done; }
    "restrict" | "__restrict" | "__restrict__"  { id = TK_RESTRICT; goto done; }
    "return"        { id = TK_RETURN; goto done; }
    "short"         { id = TK_SHORT; goto done; }
    "signed" | "__signed" | "__signed__"    { id = TK_SIGNED; goto done; }
    "sizeof"        { id = TK_SIZEOF; goto done; }
    "static"        { id = TK_STATIC; goto done; }
    "struct"        { id = TK_STRUCT; goto done; }
    "switch"        { id = TK_SWITCH; goto done; }
    "typedef"       { id = TK_TYPEDEF; goto done; }
    "union"         { id = TK_UNION; goto done; }
    "unsigned"      { id = TK_UNSIGNED; goto done; }
    "void"          { id = TK_VOID; goto done; }
    "volatile" | "__volatile" | "__volatile__"  { id = TK_VOLATILE; goto done; }
    "while"         { id = TK_WHILE; goto done; }
    "_Alignas" | "alignas"      { id = TK_ALIGNAS; goto done; }
    "_Alignof" | "alignof" | "__alignof" | "__alignof__"
                    { id = TK_ALIGNOF; goto done; }
    "_Atomic"       { id = TK_ATOMIC; goto done; }
    "_Bool" | "bool"    { id = TK_BOOL; goto done; }
    "_Complex" | "__complex__"  { id = TK_COMPLEX; goto done; }
    "_Generic"      { id = TK_GENERIC; goto done; }
    "_Noreturn"     { id = TK_NORETURN; goto done; }
    "_Static_assert" | "static_assert"  { id = TK_STATIC_ASSERT; goto done; }
    "_Thread_local" | "thread_local" | "__thread"
                    { id = TK_THREAD_LOCAL; goto done; }
    "__attribute__" | "__attribute"     { id = TK_ATTRIBUTE; goto done; }
    "__extension__" { id = TK_EXTENSION; goto done; }
    "typeof" | "__typeof" | "__typeof__" | "typeof_unqual"
                    { id = TK_TYPEOF; goto done; }
    "asm" | "__asm" | "__asm__"         { id = TK_ASM; goto done; }
    // Compiler built-in type names: no header declares them.
    "__int128" | "__int128_t" | "__uint128_t" | "__builtin_va_list"
        | "_Float16" | "_Float32" | "_Float64" | "_Float128"
        | "_Float32x" | "_Float64x" | "_Float128x" | "__float128"
        | "__float80" | "__ibm128" | "__fp16" | "__bf16" | "__auto_type"
        | "_Decimal32" | "_Decimal64" | "_Decimal128"
                    { id = TK_TYPENAME; goto done; }
    ident           { id = TK_IDENT; goto done; }

    "("     { id = TK_LPAREN; goto done; }
    ")"     { id = TK_RPAREN; goto done; }
    "["     { id = TK_LBRACKET; goto done; }
    "]"     { id = TK_RBRACKET; goto done; }
    "{"     { id = TK_LBRACE; goto done; }
    "}"     { id = TK_RBRACE; goto done; }
    "."     { id = TK_DOT; goto done; }
    "->"    { id = TK_ARROW; goto done; }
    "++"    { id = TK_INC; goto done; }
    "--"    { id = TK_DEC; goto done; }
    "&"     { id = TK_AMP; goto done; }
    "*"     { id = TK_STAR; goto done; }
    "+"     { id = TK_PLUS; goto done; }
    "-"     { id = TK_MINUS; goto done; }
    "~"     { id = TK_TILDE; goto done; }
    "!"     { id = TK_NOT; goto done; }
    "/"     { id = TK_SLASH; goto done; }
    "%"     { id = TK_PERCENT; goto done; }
    "<<"    { id = TK_SHL; goto done; }
    ">>"    { id = TK_SHR; goto done; }
    "<"     { id = TK_LT; goto done; }
    ">"     { id = TK_GT; goto done; }
    "<="    { id = TK_LE; goto done; }
    ">="    { id = TK_GE; goto done; }
    "=="    { id = TK_EQ; goto done; }
    "!="    { id = TK_NE; goto done; }
    "^"     { id = TK_XOR; goto done; }
    "|"     { id = TK_OR; goto done; }
    "&&"    { id = TK_ANDAND; goto done; }
    "||"    { id = TK_OROR; goto done; }
    "?"     { id = TK_QUESTION; goto done; }
    ":"     { id = TK_COLON; goto done; }
    ";"     { id = TK_SEMI; goto done; }
    "..."   { id = TK_ELLIPSIS; goto done; }
    "="     { id = TK_ASSIGN; goto done; }
    "*="    { id = TK_MUL_ASSIGN; goto done; }
    "/="    { id = TK_DIV_ASSIGN; goto done; }
    "%="    { id = TK_MOD_ASSIGN; goto done; }
    "+="    { id = TK_ADD_ASSIGN; goto done; }
    "-="    { id = TK_SUB_ASSIGN; goto done; }
    "<<="   { id = TK_SHL_ASSIGN; goto done; }
    ">>="   { id = TK_SHR_ASSIGN; goto done; }
    "&="    { id = TK_AND_ASSIGN; goto done; }
    "^="    { id = TK_XOR_ASSIGN; goto done; }
    "|="    { id = TK_OR_ASSIGN; goto done; }
    ","     { id = TK_COMMA; goto done; }
    any     { id = TK_OTHER; goto done; }
    */
done:
    (void)mar;
    *curp = (const char *)cur;
    return id;
}

void cg_lex(Unit *u)
{
    Lexer L = {0};
    const char *cur = u->src, *tok;
    int id;

    L.u = u;
    L.src = u->src;
    L.end = u->src + u->len;
    L.seen = L.bol = u->src;
    L.line = 1;
    L.at_bol = 1;
    u->toks = NULL;
    u->ntoks = 0;
    if (u->len >= 3 && memcmp(cur, "\xEF\xBB\xBF", 3) == 0)
        cur += 3;   /* a UTF-8 byte-order mark is not a token */
    while ((id = scan(&L, &tok, &cur)) != 0) {
        if (id > 0)
            push(&L, id, tok, cur);
    }
    push(&L, 0, L.end, L.end);   /* the sentinel: toks[ntoks] */
    u->ntoks--;
}
