/*
 * cg.h - the translator's one internal header.
 *
 * Pipeline: lexer (grammar/lexer.re) -> island scanner (island.c, with the
 * typedef names of the file and its headers from include.c) -> parser
 * (grammar/parser.y driven by parse.c) -> passes (scope.c, types.c, hoist.c,
 * lower.c, layout.c, shape.c) -> emitter: write.c (the file) -> frame.c
 * (a coroutine's definition) -> emit.c (statements) -> out.c (text and
 * #line) -> names.c (the names generated code uses); each of these calls
 * only those after it.  Each section below lists what one .c file exports.
 * Every node points back at source tokens; the emitter prints user code as
 * the original source text of a token range, with substitutions that the
 * passes attach to tokens and nodes.  The passes make every choice: the
 * last one, shape.c, records on each statement the form it is printed in
 * (enum Shape), which emit.c prints without choosing.
 */
#ifndef CG_H
#define CG_H

#include <stddef.h>
#include <stdio.h>

/* ---- unit.c: the translation unit, arena, diagnostics ---------------- */

typedef struct Token Token;
typedef struct Node Node;
typedef struct Func Func;
typedef struct Unit Unit;
typedef struct MacroUse MacroUse;

/* One significant token.  Whitespace and comments are not tokens: they are
 * the gap between tokens and are copied from the source when a range is
 * printed.  A whole preprocessor line (with continuations) is one TK_PP. */
struct Token {
    int id;             /* TK_* code from parser.h, or TK_PP / TK_OTHER      */
    int off;            /* byte offset of the first character in Unit.src   */
    int len;            /* length in bytes                                   */
    int line, col;      /* 1-based position of the first character          */
    const char *subst;  /* set by passes: print this instead of the token   */
};

typedef struct Arena Arena;

/* A coroutine (or a plain function that holds a range-for), as found by the
 * island scanner and completed by the parser. */
enum { F_PLAIN = 0, F_GEN = 1, F_ASYNC = 2, F_ASYNC_GEN = 3 };

struct Func {
    int kind;           /* F_GEN, F_ASYNC, F_ASYNC_GEN; F_PLAIN for the
                           pseudo-function around a plain range-for          */
    int is_static;      /* declared `static`                                   */
    int is_proto;       /* a prototype: no body                                */
    int first, last;    /* token range of the whole definition/prototype,
                           [first, last] inclusive (last is `}` or `;`)     */
    int name;           /* token index of the function's name                 */
    int word;           /* token index of `generator` / `async`: the storage
                           classes and attributes before it start at first */
    int ytype[2];       /* yield type: token range [ytype[0], ytype[1])       */
    int stype[2];       /* send type range, both 0 when absent                */
    int rtype[2];       /* async return type range, both 0 for generators     */
    Node *params;       /* N_VAR list (declarator ranges), NULL for (void)    */
    Node *body;         /* N_BLOCK, NULL for a prototype                      */
    Func *def;          /* for a prototype: the definition in this file      */
    Func *next;         /* next coroutine in file order                       */
    Func *same;         /* next coroutine of the same name (symtab.c)         */
    /* Filled by passes. */
    const char *fp;     /* name of the frame pointer in generated code        */
    int nstates;        /* number of resume points                           */
    Node **states;      /* states[1..nstates]: the N_YIELD / N_YIELD_FROM    */
    int rvoid;          /* F_PLAIN: the enclosing function returns void      */
    int has_goto;       /* the body uses goto                                */
    Node *frame_vars;   /* hoisted N_VAR nodes, in field order (via ->link)   */
    Node *lits;         /* compound literals held in the frame (via ->link) */
    Node *types;        /* N_DECLs whose types move to file scope, and those
                           flagged NF_FILESCOPE, in source order (->link)  */
    int nslots;         /* unions of sub-frames in the frame                 */
    Node *temps;        /* the && and || whose right side suspends, in the
                           order of their int temporaries co_t1.. (their
                           ->field), via ->link (lower.c)                */
    Node *deadlines;    /* the deadline blocks, in the order of their
                           fields co_d1.. (->field), via ->link (lower.c) */
    Node *sent_temps;   /* the yields whose sent value is kept while another
                           point of their statement runs, in the order of
                           their temporaries co_s1.. (->field), via ->link */
    Node *subs;         /* sub-frames held in the frame (N_RANGE_FOR,
                           N_YIELD_FROM), in field order (via ->link)        */
    struct Field *fields; /* the frame struct's fields, in order (layout.c)  */
    int embedded;       /* F_GEN: an async frame holds this one's (directly
                           or in another generator's): --header writes it  */
    MacroUse *macro_uses; /* macros naming its locals, in source order       */
    int cycle;          /* order.c: >0 when it and another coroutine of the
                           file call each other (directly or not): the
                           number of that group; 0 when it is in none      */
    struct FuncList *holds; /* scope.c: the definitions of this file whose
                           frames it holds by value                        */
    int ahead;          /* order.c: printed ahead of its definition, at an
                           Early: 1 its prototypes, 2 also its frame struct */
    struct Alias *aliases; /* names macros use that must mean a frame field or
                           a renamed local: #defined around the functions */
};

/* `#define name text` around a coroutine's resume and close functions. */
typedef struct Alias {
    const char *name, *text;
    Node *var;          /* the local it stands for                           */
    struct Alias *next;
} Alias;

/* A plain-C range-for found outside any coroutine: `for (T x : g(args)) s`
 * inside an ordinary function.  `rtype` is that function's return type. */
typedef struct Island Island;
struct Island {
    Node *loop;         /* N_RANGE_FOR                                       */
    int rtype[2];       /* enclosing function's return type token range      */
    int rvoid;          /* the enclosing function returns void              */
    Func *fn;           /* the pseudo-function (F_PLAIN) the passes work on  */
    int start;          /* first token of the enclosing function            */
    Island *next;
};

typedef struct FuncList {
    Func *f;
    int frame;          /* in an Early: the frame struct too, not only the
                           prototypes                                      */
    struct FuncList *next;
} FuncList;

/* Frames defined later than a coroutine (or plain function) that holds
 * them, printed ahead of it at token `at`, in the order they depend on
 * each other (order.c). */
typedef struct Early {
    int at;
    FuncList *frames;
    struct Early *next;
} Early;

typedef struct Symtab Symtab;
typedef struct Macro Macro;

/* A use of a macro in a coroutine whose body names a local visible there
 * (`#define BUMP() (n += 1)` ... `BUMP();`): the local must keep its name
 * where the macro expands. */
struct MacroUse {
    int tok;            /* the macro's name at the use                       */
    const Macro *m;     /* the macro used (its body may name n through
                           another macro)                                   */
    Node *var;          /* the local's N_VAR                                 */
    MacroUse *next;
};

/* A map from names (byte strings, kept by pointer) to values. */
typedef struct Map {
    const char **keys;
    int *lens;
    void **vals;        /* NULL for a name never given a value               */
    int cap, count;
} Map;

struct Unit {
    const char *path;   /* name used in diagnostics and #line               */
    const char *src;    /* the whole input, NUL-terminated                   */
    int len;
    Token *toks;        /* toks[ntoks] is a TK_EOF sentinel at len          */
    int ntoks;
    Func *funcs;        /* coroutine definitions and prototypes             */
    Island *islands;    /* range-fors in plain functions                     */
    Early *early;       /* frames printed ahead, in file order (order.c)    */
    Func *plains;       /* ordinary functions: definitions and prototypes
                           (is_proto), name and rtype                     */
    Map types;          /* names known to be types                           */
    Map array_types;    /* those of them known to name array types           */
    Map awaitables;     /* the async functions the headers declare (those
                           with a NAME__init): the runtime's, other files' */
    Map header_words;   /* every name the headers spell (a token or a
                           #define's): one none spells they do not declare */
    Map header_attrs;   /* the headers' macros that may be of attributes
                           (include.c: HeaderMacro)                        */
    int header_missing; /* an #include was not found: a name may be declared
                           where cogen could not look                     */
    Symtab *syms;       /* the file's names (symtab.c)                       */
    Macro *macros;      /* the file's #defines, in order                      */
    Arena *arena;
    FILE *err;          /* diagnostics go here                               */
    struct Diags *diags;/* diagnostics not printed yet                       */
    int werror;         /* -Werror                                           */
    const char **incdirs; /* where #include <...> looks first: -I, -isystem  */
    int nincdirs;
    int stdinc;         /* then the compiler's own directories              */
    int nerrors, nwarnings;
    int *pair;          /* island.c: for each ( [ {, its closing token's
                           index, ntoks when unbalanced                    */
};

void *cg_alloc(Unit *u, size_t n);             /* zeroed, freed with the unit */
char *cg_strdup(Unit *u, const char *s, int n);
char *cg_fmt(Unit *u, const char *fmt, ...);
void cg_error(Unit *u, int tok, const char *fmt, ...);   /* at a token       */
void cg_warn(Unit *u, int tok, const char *fmt, ...);    /* error if werror  */
void cg_error_after(Unit *u, int tok, const char *fmt, ...); /* at its end   */
void cg_note(Unit *u, int tok, const char *fmt, ...);    /* on the last one  */
void cg_diag_flush(Unit *u);  /* print them to u->err, in source order        */
/* All of f in a malloc'd NUL-terminated buffer, its length in *len; NULL
 * on a read error, out of memory or input over 2 GiB. */
char *cg_slurp(FILE *f, int *len);
Unit *cg_unit_new(const char *path, const char *src, int len, FILE *err);
void cg_unit_free(Unit *u);

/* Token helpers. */
int cg_tok_is(Unit *u, int tok, const char *text); /* exact spelling match   */
/* Is token tok one of cogen.h's typed channel types, co_chan_of(T) and
 * its directions: macros of a __typeof__, so a type specifier? */
int cg_chan_type_word(Unit *u, int tok);
/* Directive text: can c start or continue an identifier; p moved past
 * blanks and backslash-newlines before end. */
int cg_ident_start(int c);
int cg_ident_char(int c);
const char *cg_pp_blanks(const char *p, const char *end);
/* For a TK_OTHER that is an unclosed comment or literal (the lexer ends
 * those at the end of the file / line): what to report; else NULL. */
const char *cg_tok_unterminated(Unit *u, int tok);
/* Which directive the TK_PP token is: 'i' #if/#ifdef/#ifndef, 'e' #elif,
 * 'l' #else, 'n' #endif, 0 anything else. */
int cg_pp_kind(Unit *u, int tok);
/* How a diagnostic names the directive: "#ifdef", "#define N". */
const char *cg_pp_name(Unit *u, int tok);
int cg_typedef_add(Unit *u, const char *name, int len);
void cg_array_type_add(Unit *u, const char *name, int len);
int cg_is_array_type(Unit *u, const char *name, int len);
unsigned cg_hash(const char *s, int n);
/* The value of key in m: a new NULL one when absent (the key must live as
 * long as the map); cg_map_get only reads, NULL when absent. */
void **cg_map_slot(Unit *u, Map *m, const char *key, int len);
void *cg_map_get(const Map *m, const char *key, int len);
const char *cg_unique(Unit *u, Map *taken, const char *base);
int cg_is_typename(Unit *u, const char *name, int len);

/* ---- lexer.re ---------------------------------------------------------- */

/* Split u->src into tokens.  Never fails: stray bytes become TK_OTHER, and
 * so does an unterminated literal (to the end of its line) or comment (to
 * the end of the file). */
void cg_lex(Unit *u);

/* ---- macro.c ----------------------------------------------------------- */

void cg_macros(Unit *u);                 /* collect the file's #defines      */
/* The macro spelled [name, name + len) in force at token tok, or NULL. */
const Macro *cg_macro_at(Unit *u, const char *name, int len, int tok);
const char *cg_macro_name(const Macro *m, int *len);
/* Call fn on each identifier of m's body that is not a parameter. */
void cg_macro_names(const Macro *m, void (*fn)(const char *, int, void *), void *arg);
/* Does a macro in force in tokens [from, to) use the name as a member?
 * *line: the line of its #define. */
int cg_macro_member(Unit *u, int from, int to, const char *name, int len, int *line);
/* Is m's body a statement (ends in `;` or `}`: 1) or empty (2)?  Then a
 * use of it may stand for a statement without a `;`. */
int cg_macro_statement(const Macro *m);
int cg_macro_function(const Macro *m);      /* has a parameter list        */
/* Does m's body start with __attribute__ or [[ (`#define UNUSED
 * __attribute__((unused))`)? */
int cg_macro_attribute(const Macro *m);
/* Does m's body declare a name first (`int a = b;`)?  It in *name, *len. */
int cg_macro_declares(Unit *u, const Macro *m, const char **name, int *len);
int cg_macro_line(Unit *u, const Macro *m); /* the line of its #define     */
/* m's replacement list, [return, *end). */
const char *cg_macro_body(const Macro *m, const char **end);
/* Did the file #define the name before token tok (#undef'd since, or
 * not)?  Then what a header defines it as is not in force there. */
int cg_macro_defined(Unit *u, const char *name, int len, int tok);

/* ---- attr.c ------------------------------------------------------------ */

/* What an attribute group, __attribute__((...)) or [[...]], does to a
 * local moved into the frame: ATTR_TYPE changes its type (vector_size,
 * mode: the field and a compound literal of the type keep it),
 * ATTR_ALIGN sets its alignment (the field keeps it), ATTR_CLEANUP runs
 * a function when the C local's scope ends (no frame field can),
 * ATTR_LOCAL concerns the variable only (unused, deprecated ...:
 * dropped).  A macro of attributes (cg_attr_macro), with its arguments,
 * is a group too.  ATTR_NONE when no group starts at token i or it does not
 * end before lim; else *end is set past it. */
enum { ATTR_NONE, ATTR_LOCAL, ATTR_ALIGN, ATTR_TYPE, ATTR_CLEANUP };
int cg_attr_group(Unit *u, int i, int lim, int *end);
/* What the macro body [p, end) does as attributes: made only of attribute
 * groups (__attribute__((...)), [[...]], _Alignas(...), alignas(...)) and
 * names that nested(name, len, has_arguments, arg) gives a kind of, the
 * strongest of their kinds (ATTR_LOCAL .. ATTR_CLEANUP, as cg_attr_group);
 * ATTR_NONE when empty; -1 when anything else is in it (or nested gave
 * -1: no macro of attributes). */
int cg_attr_body(const char *p, const char *end, int (*nested)(const char *, int, int, void *), void *arg);
/* The kind of the macro of attributes identifier token tok names (one of
 * the file in force there, else, if the file did not define that name
 * before, one of a header), ATTR_NONE when it is none; *fn: it takes
 * arguments.  A typedef name is never one. */
int cg_attr_macro(Unit *u, int tok, int *fn);
/* What a body [p, end) made only of qualifier keywords and names that
 * nested(name, len, arg) gives a kind of stands for: QUAL_CONST when a
 * const is among them, QUAL_OTHER when not (volatile, restrict); QUAL_NONE
 * when it is empty or holds anything else. */
enum { QUAL_NONE, QUAL_OTHER, QUAL_CONST };
int cg_qual_body(const char *p, const char *end, int (*nested)(const char *, int, void *), void *arg);
/* The kind of the macro of qualifiers identifier token tok names (the
 * file's in force there, else a header's; object-like, never a typedef
 * name), QUAL_NONE when it names none. */
int cg_qual_macro(Unit *u, int tok);
/* Is token tok `const`, or a macro of qualifiers with a const? */
int cg_tok_const(Unit *u, int tok);
/* Is the const at declarator token i the one of v itself (`char *const
 * p`), not of what it points to? */
int cg_top_const(Unit *u, Node *v, int i);

/* ---- include.c --------------------------------------------------------- */

/* Register in `into` the names the typedefs among u's tokens declare. */
void cg_scan_typedefs(Unit *u, Unit *into);
/* Register the typedef names of the headers u includes, followed the way a
 * compiler follows them (u->incdirs, then, if u->stdinc, the compiler's
 * directories); headers that cannot be found are skipped. */
void cg_include_types(Unit *u);
/* The kind of the macro of attributes the headers define as the name
 * (every definition of it, in any #if branch, made of attributes or
 * empty, one at least not empty), as cg_attr_body gives it; ATTR_NONE
 * when none.  *fn: it takes arguments. */
int cg_header_attr(Unit *u, const char *name, int len, int *fn);
/* The kind of the macro of qualifiers the headers define as the name
 * (every definition one, object-like), QUAL_NONE when none. */
int cg_header_qual(Unit *u, const char *name, int len);
/* A keyword that begins or is a type: void .. _Complex, struct, union,
 * enum, typeof, and TK_TYPENAME. */
int cg_type_keyword(int t);

/* ---- island.c ---------------------------------------------------------- */

/* Walk the tokens at file scope; collect typedef names (the headers' too
 * once a cogen form is seen), coroutine definitions and prototypes (Func, without bodies parsed) and range-fors in
 * plain functions.  Reports misplaced forms. */
void cg_island(Unit *u);
/* The generator named by token `name` declared before token `before`: its
 * definition when there is one, else its prototype; NULL when unknown. */
Func *cg_find_gen(Unit *u, int name, int before);
Func *cg_find_func(Unit *u, int name, int before, int kind);
/* static, extern, inline, _Noreturn: the words before a coroutine's
 * `generator` / `async` that are not attributes. */
int cg_storage_word(int t);

/* ---- symtab.c: the file's names --------------------------------------- */

/* What the file says about one spelling of an identifier. */
typedef struct Sym {
    const char *text;   /* the spelling, not NUL-terminated                  */
    int len;
    Func *coro;         /* the first coroutine definition or prototype of
                           this name in file order, NULL when none; the
                           others follow it through ->same                  */
    Func *last;         /* the last of those                                 */
    Func *def;          /* the coroutine's definition, NULL when none       */
    Func *plain;        /* the plain function of this name: its definition,
                           else a prototype                                 */
    int declared;       /* it stands somewhere a misspelt keyword cannot,
                           so the file (or a macro) may declare it          */
    int in_pp;          /* a preprocessor line names it: a macro may be it   */
} Sym;

void cg_symtab(Unit *u);        /* u->syms from the tokens, before cg_island */
void cg_symtab_coro(Unit *u, Func *f);  /* add a coroutine, in file order   */
void cg_symtab_funcs(Unit *u);  /* add the plain functions cg_island found  */
/* The entry of identifier token tok; NULL for other tokens or before
 * cg_symtab. */
Sym *cg_sym(Unit *u, int tok);
/* Is identifier token tok a misspelling of `word` that the file neither
 * declares nor knows as a type: two edits at most (a letter added,
 * dropped or replaced, two neighbours swapped), or when strict exactly
 * one and no replacement? */
int cg_misspelt(Unit *u, int tok, const char *word, int strict);
/* The same where the name is called (`generater(int) f(void)`, `await
 * co_slep(5)`), which looks like a declaration: a name the file defines
 * no function, coroutine or macro of, two edits at most. */
int cg_misspelt_call(Unit *u, int tok, const char *word);
/* The async function of the file or its headers (u->awaitables) that
 * called token tok misspells, the nearest one; NULL when tok names one or
 * something else of the file, is near none, or no header was read. */
const char *cg_awaitable_near(Unit *u, int tok);
/* Tokens [a, b) on one line, a space where the source has a gap. */
char *cg_tokens_text(Unit *u, int a, int b);
/* A definition's header as a prototype writes it: tokens from `first`
 * through the `)` closing the parameters after token `name`. */
char *cg_signature(Unit *u, int first, int name);
/* Report the call [first, end) of coroutine g (F_GEN or F_ASYNC, named
 * at first) thrown away as a statement (a warning) or taken as a number
 * (an error), with what to write: a range-for over a generator; an await
 * in async code, else a co_run. */
void cg_discarded(Unit *u, Func *g, int first, int end, int in_async);
void cg_not_a_number(Unit *u, Func *g, int first, int end, int in_async);
/* An arithmetic type keyword, a qualifier or a storage class: specifiers
 * made only of these declare a number, never a handle. */
int cg_arith_word(int id);

/* ---- parse.c + parser.y ----------------------------------------------- */

/* Parse the coroutine f (header and body, tokens f->first..f->last) into
 * f->params / f->body.  Returns 0 (also after a missing `;`, `)` or `]`
 * was reported and supplied), or -1 after reporting errors. */
int cg_parse_func(Unit *u, Func *f);
/* Parse the range-for statement starting at token `tok` (the `for`);
 * *end receives the index one past its last token. */
Node *cg_parse_rangefor(Unit *u, int tok, int *end);

/* Shared by parse.c and the grammar actions of parser.y only.  A grammar
 * token's value is the token range [first, end) it stands for: several
 * tokens for a group parse.c folds into one, e.g. __attribute__((...)). */
typedef struct TokRange { int first, end; } TokRange;

/* How deep a parsed tree may be.  The passes recurse once per level, so a
 * deeper one (a left-deep `a+a+...` chain grows no parser stack) is
 * reported instead of overflowing the C stack; real code stays far below. */
enum { CG_MAX_DEPTH = 2000 };

/* A directive inside a statement, or an #if group there (parse.c): the
 * parser reads the statement in one configuration, the first branch of
 * each group, and cg_pp_place finds the expression the group lies in. */
typedef struct PPInline {
    int at;             /* its (first) directive                            */
    int from, to;       /* [from, to): the tokens read around it, from the
                           one before it to the last of its first branch  */
    int skip, end;      /* [skip, end): the tokens the parser did not read
                           after its first branch; end: one past the group */
    int level;          /* parse.c: the #if depth inside it, while open     */
    struct PPInline *next;
} PPInline;

/* ppexpr.c: place each of the groups in the tree root (a list) parsed
 * around them, or report why one cannot stay where it is (then -1). */
int cg_pp_place(Unit *u, Node *root, PPInline *groups);

typedef struct Parse {
    Unit *u;
    Node *root;         /* what the start form produced                      */
    int at;             /* token being fed, for diagnostics                 */
    int failed;         /* an error was reported: stop feeding              */
    int recover;        /* with failed: the one closing token the parser
                           wanted, to insert and go on; 0 to stop          */
    int resumed;        /* token before which one was inserted, or -1     */
} Parse;

/* ---- ast.c: nodes ------------------------------------------------------ */

enum NodeKind {
    /* statements */
    N_BLOCK,      /* { items }            items = list (via next)            */
    N_EXPR,       /* expr;                                                   */
    N_DECL,       /* specs vars;          spec[0..1) = specifier tokens,
                                          vars = N_VAR list, storage = ST_*  */
    N_VAR,        /* one declarator       name = name token, dcl[0..1) =
                                          declarator tokens (without init),
                                          init = initializer or NULL         */
    N_IF,         /* if (cond) then else els          els may be NULL; a
                                          deadline block is one flagged
                                          NF_DEADLINE                      */
    N_WHILE,      /* while (cond) body                                       */
    N_DO,         /* do body while (cond);                                   */
    N_FOR,        /* for (init; cond; inc) body       init = N_DECL or N_EXPR
                                          or NULL, cond, inc = expressions or
                                          NULL (inc an N_EXPR once lowered)  */
    N_SWITCH,     /* switch (cond) body; a `select { }` is one flagged
                                          NF_SELECT, its cond an N_AWAIT
                                          (also NF_SELECT, no operand) at
                                          the keyword                      */
    N_CASE,       /* case expr: body      range_end = GNU range end or NULL */
    N_DEFAULT,    /* default: body                                           */
    N_LABEL,      /* name: body                                              */
    N_GOTO,       /* goto name;  GNU goto *expr; (name < 0)                  */
    N_BREAK, N_CONTINUE,
    N_RETURN,     /* return expr;         expr may be NULL                   */
    N_EMPTY,      /* ;                                                       */
    N_PP,         /* a preprocessor line between statements                  */
    N_DEFER,      /* defer body;          body = statement                   */
    N_YIELD_FROM, /* yield from gen;      gen = N_CALL or any expression     */
    N_RANGE_FOR,  /* for (var_decl : gen) body        var_decl = N_DECL with
                                          one N_VAR, gen = N_CALL;
                                          flags & NF_AWAIT: `for await`      */
    N_ASM,        /* asm/__asm__ statement, printed verbatim (but for the names
                     it holds), args = operand expressions of an extended asm */
    N_STATIC_ASSERT, /* _Static_assert(...);  printed verbatim               */
    /* expressions */
    N_IDENT,      /* name                 ref = declaration (N_VAR) or NULL  */
    N_CONST,      /* number, char or string literal(s)                       */
    N_PAREN,      /* (operand)                                               */
    N_CALL,       /* fn(args)             args = list (via next)             */
    N_INDEX,      /* lhs[rhs]                                                */
    N_MEMBER,     /* operand.name / operand->name     name = member token    */
    N_POSTFIX,    /* operand++ / operand--            op = operator token    */
    N_UNARY,      /* op operand: & * + - ~ ! ++ -- (and GNU __extension__; GNU
                                          &&lbl: name = label token, no
                                          operand, ref = its N_LABEL,
                                          flagged NF_ADDR)                   */
    N_SIZEOF,     /* sizeof operand / _Alignof operand, or of a type name:
                                          no operand, type[0..1) = its tokens */
    N_CAST,       /* (type) operand                                          */
    N_COMPOUND,   /* (type){ ... }        init = N_INIT_LIST; for these three,
                                          type_uses = N_IDENT list of the
                                          variables the type names (scope)   */
    N_BINARY,     /* lhs op rhs, including && and ||                         */
    N_ASSIGN,     /* lhs op= rhs                                             */
    N_COND,       /* cond ? then : els    then NULL for GNU cond ?: els      */
    N_COMMA,      /* lhs , rhs                                               */
    N_INIT_LIST,  /* { items }            items = N_INIT list                */
    N_INIT,       /* designation = init   desig[0..1) = designator tokens
                                          (empty when none), init = value    */
    N_YIELD,      /* yield operand        operand = expr or NULL             */
    N_AWAIT,      /* await operand                                           */
    N_BUILTIN,    /* va_arg / offsetof / _Generic / __builtin_* with a type
                     argument: printed verbatim, args = expression list      */
    N_STMT_EXPR,  /* GNU ({ ... })        body = N_BLOCK                     */
    N_KIND_COUNT
};

/* N_DECL storage (storage class as written). */
enum { ST_STATIC = 1, ST_EXTERN = 2, ST_TYPEDEF = 4, ST_REGISTER = 8,
       ST_THREAD = 16, ST_AUTO = 32 };

/* Node flags set by the parser (low bits) and by passes (high bits). */
enum {
    NF_AWAIT   = 1 << 0,   /* N_RANGE_FOR: `for await`; N_YIELD_FROM: of an
                              async generator (set by scope)               */
    NF_ARRAY   = 1 << 1,   /* N_VAR: declarator declares an array            */
    NF_VLA     = 1 << 2,   /* N_VAR: an array whose size is not constant     */
    NF_FUNC    = 1 << 3,   /* N_VAR: declarator declares a function          */
    NF_PARAM   = 1 << 4,   /* N_VAR: a parameter                             */
    NF_PPGROUP = 1 << 5,   /* N_BLOCK: an #if ... #else ... #endif group that
                              stands for one statement (`if (x)` then one
                              statement in each branch): printed without
                              braces, its directives as items             */
    NF_UNPARSED = 1 << 6,  /* N_IDENT: a name in an #if branch the parser did
                              not read (ppexpr.c)                          */
    NF_ADDR    = 1 << 8,   /* N_VAR, N_LABEL: its address is taken somewhere */
    NF_HOIST   = 1 << 9,   /* N_VAR / sub-frame: lives in the frame          */
    NF_SUSPEND = 1 << 10,  /* deadline block: holds a wait (lower.c)         */
    NF_HANDLE  = 1 << 11,  /* N_RANGE_FOR / N_YIELD_FROM: callee not defined
                              yet (prototype, recursion): use its handle    */
    NF_INDEFER = 1 << 12,  /* N_VAR ref or statement inside a defer         */
    NF_ELSE    = 1 << 13,  /* N_COND being printed as its else branch        */
    NF_TIMEOUT = 1 << 14,  /* N_AWAIT of co_timeout(ms, NAME(args))          */
    NF_CONTINUED = 1 << 15, /* loop: the target of a continue                 */
    NF_DROP    = 1 << 16,  /* suspension point, &&, ||, ?: whose value is
                              dropped (left of a comma, a statement)      */
    NF_PERBRANCH = 1 << 17, /* N_COND whose branches suspend: its statement
                              is printed once per branch (else its value
                              goes to a temporary, ->field)               */
    NF_VERBATIM = 1 << 18, /* jump inside a statement expression: printed as
                              written, so it can run no cleanups          */
    NF_FILESCOPE = 1 << 19, /* N_DECL of a static, extern or function that a
                               defer names: declared at file scope too (a
                               static moves there), for the close function */
    NF_COPY    = 1 << 20,  /* hoisted N_VAR: initialized by a memcpy from a
                              compound literal of its type (arrays, types
                              that may be arrays)                            */
    NF_WRAP    = 1 << 21,  /* NF_COPY through a one-element array literal
                              `(T [1]){ init }`: init may be a macro that
                              expands to a brace list                        */
    NF_SELECT  = 1 << 22,  /* N_SWITCH of a `select`, its N_AWAIT, and its
                              N_CASE and N_DEFAULT labels (scope)            */
    NF_SELECT_DEFAULT = 1 << 23, /* N_SWITCH of a select with a default     */
    NF_CHANNEL = 1 << 24,  /* N_RANGE_FOR: `for await (T v : ch)`, over a
                              channel (ch is no call); its N_VAR too: the
                              receive writes it while the task waits      */
    NF_TIMEOUT_OUT = 1 << 25, /* N_AWAIT of co_timeout(ms, NAME(args), out):
                              NAME's result goes to *out                   */
    NF_DEADLINE = 1 << 26, /* N_IF of a deadline block `co_timeout (ms) {
                              ... } else ...`: cond the time, then the
                              block (scope)                                */
    NF_CACHED  = 1 << 27,  /* hoisted N_VAR that is a C local of the resume
                              function as well, under its own name: saved
                              to its field before each suspension in its
                              scope and read back after (hoist.c)          */
};

/* A cached local a suspension point saves and restores. */
typedef struct Saved { Node *var; struct Saved *next; } Saved;

struct Node {
    int kind;           /* enum NodeKind                                      */
    int first, end;     /* token range [first, end) this node was parsed from */
    int op;             /* operator token index (N_UNARY .. N_ASSIGN, N_MEMBER) */
    int name;           /* name token index (N_VAR, N_MEMBER, N_LABEL, N_GOTO) */
    int spec[2];        /* N_DECL, parameter N_VAR: specifier token range     */
    int dcl[2];         /* N_VAR: declarator token range                      */
    int desig[2];       /* N_INIT: designator token range                     */
    int type[2];        /* N_CAST, N_COMPOUND, N_SIZEOF, N_BUILTIN: type name  */
    int storage;        /* N_DECL: ST_*                                       */
    int flags;          /* NF_*                                               */
    /* Children, named for what they hold; enum NodeKind says which a kind
     * has.  Lists are linked through ->next. */
    Node *lhs, *rhs;    /* operands of a binary operator; N_INDEX: the array
                           and the index                                     */
    Node *operand;      /* operand of a unary operator, N_PAREN, N_MEMBER,
                           N_SIZEOF, N_CAST, N_YIELD, N_AWAIT                */
    Node *expr;         /* expression of N_EXPR, N_RETURN, N_GOTO; value of
                           N_CASE                                            */
    Node *cond, *then, *els; /* N_IF, N_COND; cond of loops and N_SWITCH     */
    Node *init;         /* N_FOR: its first clause; N_VAR, N_INIT,
                           N_COMPOUND: the initializer                       */
    Node *inc;          /* N_FOR: its step                                    */
    Node *body;         /* loops, N_SWITCH, N_LABEL, N_CASE, N_DEFAULT,
                           N_DEFER, N_STMT_EXPR: the statement it governs    */
    Node *items;        /* N_BLOCK, N_INIT_LIST: list                         */
    Node *vars;         /* N_DECL: N_VAR list                                 */
    Node *var_decl;     /* N_RANGE_FOR: the N_DECL of its variable            */
    Node *gen;          /* N_RANGE_FOR, N_YIELD_FROM: the generator           */
    Node *fn;           /* N_CALL: the function called                        */
    Node *args;         /* N_CALL, N_BUILTIN, N_ASM: expression list          */
    Node *range_end;    /* N_CASE: end of a GNU `case a ... b`, or NULL       */
    Node *select;       /* the N_SWITCH of a select: for its N_AWAIT and its
                           N_CASE labels (scope)                             */
    Node **cases;       /* select N_SWITCH: its N_CASE labels, in order     */
    int ncases;         /* select N_SWITCH: how many                        */
    int case_no;        /* N_CASE of a select: its index among the cases    */
    Node *deadline;     /* lower.c: an await or for await: the innermost
                           deadline block around it; a deadline block: the
                           one around it; NULL when none                  */
    Node *next;         /* next sibling in a list                             */
    int depth;          /* levels of the tree below and including this node:
                           the passes recurse this deep (CG_MAX_DEPTH)     */
    /* Filled by passes. */
    Node *unparsed;     /* expression: N_IDENT list (NF_UNPARSED) of the names
                           in the #if branches inside it that the parser
                           did not read (ppexpr.c)                         */
    Node *type_uses;    /* N_VAR, N_SIZEOF, N_CAST, N_COMPOUND: N_IDENT list
                           of the variables its type tokens name (scope)   */
    Node *ref;          /* what it names: N_IDENT -> N_VAR; N_BREAK /
                           N_CONTINUE -> loop; N_GOTO, &&lbl -> N_LABEL     */
    Node *alt;          /* N_VAR: the declaration of its name in another #if
                           branch, whose storage it shares                  */
    Node *up;           /* enclosing statement                                */
    Node *decl;         /* N_VAR -> its N_DECL                                */
    Node *link;         /* next in a pass's list of nodes: a frame's vars,
                           literals, types, sub-frames and temporaries;
                           labels, gotos, defers                           */
    const char *field;  /* the name generated code keeps it under: N_VAR,
                           compound literal: its frame field (a moved
                           static: its file-scope name); sub-frame: its
                           field, or a local of the loop; && || ?: and
                           yield: the temporary holding its value         */
    const char *tag;    /* N_DECL: the tag given to its anonymous struct,
                           union or enum that moves to file scope (types)   */
    Func *callee;       /* N_RANGE_FOR / N_YIELD_FROM: the generator called   */
    int state;          /* N_YIELD / N_YIELD_FROM / N_RANGE_FOR: resume state */
    int id;             /* sub-frame: the union (slot) of the frame it is in  */
    Node *susp;         /* statement: its first suspension point (N_YIELD,
                           N_AWAIT), lowered before it; more via ->snext,
                           in evaluation order                              */
    Node *susp2;        /* N_COND whose branches suspend: the else branch's
                           points (the then branch's are in ->susp)         */
    Node *snext;        /* suspension point: the next one of its statement;
                           an && / || / comma whose right operand suspends is
                           one too, with that operand's own points in ->susp */
    /* Filled by shape.c: the form the emitter prints (see enum Shape). */
    int shape;          /* statement, suspension point: SH_*                 */
    int label;          /* N of a label co_sN / co_cN the form needs:
                           SH_LOOP_STEP: the step's end, where the first
                           pass enters; SH_DO: its test, 0 when no continue
                           goes there; N_CONTINUE: the test it goes to
                           instead of its own text, 0 for none; a
                           deadline block: its N, of co_dN (lower.c)     */
    Node *split[2];     /* the ?: the rest is printed once per branch of:
                           SH_BRANCHES statement: [0]; SH_COND_SPLIT: [0]
                           within its then branch, [1] its else branch;
                           NULL when the rest is printed whole             */
    struct Run *runs;   /* SH_DECL, SH_BRANCHES N_DECL: its declarators    */
    const char *temp;   /* SH_RETURN_TEMP: the local holding the value     */
    struct PPCtx *pp;   /* N_VAR, N_YIELD, N_YIELD_FROM: the #if branches it
                           is in, NULL outside any                            */
    void *aux;          /* pass-private data                                  */
    Saved *saves;       /* suspension point: the cached locals in scope, in
                           source order (hoist.c)                          */
    struct Cleanup *cl[2]; /* cleanups active: [0] at this point (jump, yield,
                           block end), [1] the target's base (loop, block;
                           a jump: its target's)                         */
};

/* The preprocessor conditionals around a point in a body: for each open
 * #if, the directives (#if, then #elif/#else) up to the branch the point
 * is in.  Generated code that refers to the point (a case of the resume
 * switch, a frame field) is wrapped in the same directives. */
typedef struct PPCtx PPCtx;
struct PPCtx {
    int *dirs;          /* token indices of the directives, in order          */
    int ndirs;
    PPCtx *outer;
};

/* An entry of the stack of pending cleanups: a user defer, or the implicit
 * close of a range-for or yield-from sub-generator.  Entries are immutable
 * and shared, so a point's active set is one pointer. */
typedef struct Cleanup Cleanup;
struct Cleanup {
    Node *n;            /* N_DEFER, N_RANGE_FOR or N_YIELD_FROM               */
    Cleanup *next;      /* the enclosing entry                                */
};

/* Constructors for the grammar actions, one per shape; ranges are
 * [first, end).  Each counts its children in the node's depth. */
Node *cg_node(Unit *u, int kind, int first, int end);           /* no children */
Node *cg_named(Unit *u, int kind, int first, int end, int name);
Node *cg_binary(Unit *u, int kind, Node *lhs, int op, Node *rhs); /* lhs op rhs */
Node *cg_pair(Unit *u, int kind, int first, int end, Node *lhs, Node *rhs);
Node *cg_unary(Unit *u, int kind, int first, int end, Node *operand);
Node *cg_prefix(Unit *u, int kind, int op, Node *operand); /* may be NULL */
Node *cg_postfix(Unit *u, int op, Node *operand);         /* operand op  */
Node *cg_typed(Unit *u, int kind, int first, int end, int t0, int t1,
               Node *operand);
Node *cg_compound(Unit *u, int first, int t0, int t1, Node *init);
Node *cg_cond(Unit *u, Node *cond, Node *then, Node *els);
Node *cg_call(Unit *u, Node *fn, Node *args, int end);
Node *cg_args(Unit *u, int kind, int first, int end, Node *args);
Node *cg_list(Unit *u, int kind, int first, int end, Node *items);
Node *cg_stmt(Unit *u, int kind, int first, int end, Node *expr);
Node *cg_if(Unit *u, int first, Node *cond, Node *then, Node *els);
Node *cg_loop(Unit *u, int kind, int first, int end, Node *cond, Node *body);
Node *cg_for(Unit *u, int first, Node *init, Node *cond, Node *inc,
             Node *body);
Node *cg_labeled(Unit *u, int kind, int first, Node *expr, Node *range_end,
                 Node *body);
Node *cg_body(Unit *u, int kind, int first, int end, Node *body);
Node *cg_yield_from(Unit *u, int first, int end, Node *gen);
Node *cg_select(Unit *u, int first, Node *body);
Node *cg_deadline(Unit *u, int first, Node *ms, Node *block, Node *els);
Node *cg_var(Unit *u, int first, int end, int name, int d0, int d1, int flags,
             Node *init);
Node *cg_param(Unit *u, int s0, int s1, int name, int d0, int d1, int flags);
Node *cg_decl(Unit *u, int first, int end, int s0, int s1, int storage,
              Node *vars);                 /* registers typedef names      */
Node *cg_init(Unit *u, int first, int d0, int d1, Node *init);
Node *cg_rangefor(Unit *u, int first, Node *var_decl, Node *gen, Node *body,
                  int flags);
/* Call fn on each direct child of n (statements and expressions) in source
 * order.  Lists are followed through ->next. */
void cg_visit(Node *n, void (*fn)(Node *, void *), void *arg);
/* Does an array size expression look non-constant: an identifier with a
 * lowercase letter outside sizeof (enum constants and macros are taken to
 * be capitals)? */
int cg_vla_expr(Unit *u, Node *e);
/* Print the tree under n (and its ->next siblings), indented, each node with
 * its kind, fields and the source text of its token range.  Debugging aid. */
void cg_dump(Unit *u, Node *n, FILE *out);

/* ---- passes ------------------------------------------------------------ */

int cg_scope(Unit *u, Func *f);   /* scope.c: resolve names, check forms     */
const char *cg_kind_name(int kind);   /* "a generator", "an async function" */
void cg_types(Unit *u, Func *f);  /* types.c: move body types, rename them   */
int cg_hoist(Unit *u, Func *f);   /* hoist.c: choose frame fields            */
int cg_lower(Unit *u, Func *f);   /* lower.c: states, defers, jumps          */
void cg_shape(Unit *u, Func *f);  /* shape.c: the form of each statement     */

/* order.c: definition order.  cg_order_cycles, before the passes, finds
 * the coroutines that call each other; cg_order_cycle says whether f and
 * g are two of them (then a frame of one defined later is boxed);
 * cg_order_frames, after the passes, places frames defined later than
 * the frames holding them (u->early), or reports why it cannot. */
void cg_order_cycles(Unit *u);
int cg_order_cycle(const Func *f, const Func *g);
/* f (a coroutine, or the function around a range-for) holds g's frame
 * by value: g's frame struct must come first. */
void cg_order_holds(Unit *u, Func *f, Func *g);
void cg_order_frames(Unit *u);

/* ---- shape.c: the form each statement is printed in --------------------- */

/* What the emitter prints for a statement or a suspension point
 * (Node.shape).  "points" are a statement's suspension points (->susp),
 * run before the rest of it, which reads their values. */
enum Shape {
    SH_TEXT,            /* its source text, substitutions applied            */
    SH_NONE,            /* nothing: a defer (it runs where its scope is
                           left), a static moved to file scope, a tag
                           declaration whose type moved                    */
    SH_BLOCK,           /* { items }                                          */
    SH_BLOCK_CLEANUP,   /* { items cleanups }: the cleanups of its defers
                           and loops at its `}`, its last item no jump     */
    SH_PP_GROUP,        /* NF_PPGROUP: its items without braces, a newline  */
    SH_SPLICE,          /* its text, its sub-statements in their shapes     */
    SH_POINTS_FIRST,    /* { points; SH_SPLICE }                              */
    SH_SELECT,          /* { the select's wait; switch (its case) body }     */
    SH_DEADLINE,        /* a deadline block: if (co_deadline_start(..)) {
                           block; stop } else { co_dN: ; its else }      */
    SH_SELECT_CASE,     /* a select's first label: `case K:` or `default:`  */
    SH_SELECT_NEXT,     /* a later one: `break; case K:` (no case falls
                           into the next)                                  */
    SH_POINTS,          /* { points }: an expression statement whose value
                           is that of its last point                        */
    SH_BRANCHES,        /* { points; if (c) { b's points; rest } else { e's
                           points; rest } }: ?: split[0] ends the points    */
    SH_DECL,            /* its runs of declarators, each after the points of
                           its initializers (->runs)                       */
    SH_LOOP,            /* while / for whose test suspends: for (init;;
                           step) { points; if (!(cond)) break; body }      */
    SH_LOOP_INIT,       /* ... whose init suspends: { init; for (;; step) … } */
    SH_LOOP_STEP,       /* ... whose step suspends, at the body's top, which
                           the first pass skips: [{ init;] goto co_sN;
                           for (;;) { step; co_sN: ; test; body }[ }]       */
    SH_DO,              /* do-while whose test suspends: for (;;) { body;
                           [co_cN: ;] points; if (!(cond)) break; }        */
    SH_JUMP,            /* a jump that runs no cleanup: its text, or goto
                           co_cN (->label)                                */
    SH_JUMP_CLEANUP,    /* { cleanups cl[0] to cl[1]; the jump }             */
    SH_RETURN_TEMP,     /* return around a plain range-for: { T co_ret =
                           (e); cleanups; return co_ret; } (->temp)        */
    SH_RETURN_GEN,      /* { cleanups; f->co_state = -1; return 0; }         */
    SH_RETURN_ASYNC,    /* { points; f->co_result = (e); cleanups;
                           f->co_state = -1; return CO_DONE; }              */
    SH_RANGE_FOR,       /* range-for stepping the generator's frame          */
    SH_RANGE_HANDLE,    /* range-for through a co_gen * handle               */
    SH_FOR_AWAIT,       /* for await: each step may suspend                 */
    SH_FOR_CHANNEL,     /* for await over a channel: a receive each step    */
    SH_FROM,            /* yield from stepping the generator's frame        */
    SH_FROM_SEND,       /* ... and what is sent to us is sent on             */
    SH_FROM_ASYNC,      /* yield from of an async generator, stepped        */
    SH_FROM_HANDLE,     /* yield from through a co_gen * handle              */
    SH_FROM_HANDLE_SEND,/* ... with co_gen_send of what is sent to us        */
    /* suspension points */
    SH_YIELD,           /* store the value, return, the label              */
    SH_AWAIT,           /* init the callee's frame, resume it until done    */
    SH_AWAIT_BOXED,     /* ... a frame allocated here (NF_HANDLE)            */
    SH_AWAIT_TIMEOUT,   /* ... beside a struct co_timeout (NF_TIMEOUT)       */
    SH_AWAIT_SELECT,    /* set up a select's cases, resume it until one is
                           done (NF_SELECT)                                */
    SH_AND,             /* a && b: t = !!(a); if (t) { b's points; t = !!(b); } */
    SH_OR,              /* a || b: the same with if (!t)                      */
    SH_COMMA,           /* a, b: (void)(a); b's points                       */
    SH_COND_TEMP,       /* c ? b : e into a temporary, a branch's points in
                           its branch                                       */
    SH_COND_GNU,        /* c ?: e into a temporary set to c and tested      */
    SH_COND_DROP,       /* a ?: whose value is dropped: the branches only   */
    SH_COND_SPLIT,      /* the ?: its statement is printed once per branch
                           of (NF_PERBRANCH): the points stop here         */
};

/* A run of declarators [from, to) of a declaration printed together,
 * after the suspension points [points, stop) of their initializers. */
enum { RUN_NONE, RUN_ASSIGN, RUN_WHOLE, RUN_SPECS };

typedef struct Run {
    int form;           /* RUN_NONE: nothing (a typedef moved to file scope);
                           RUN_ASSIGN: assignments to the frame fields;
                           RUN_WHOLE: the declaration's text from its start;
                           RUN_SPECS: the specifiers again, then the run    */
    Node *from, *to;    /* N_VARs, NULL for a declaration without any      */
    Node *points, *stop;
    struct Run *next;
} Run;

/* ---- out.c: output with line mapping ----------------------------------- */

typedef struct Options {
    int line;           /* emit #line directives                              */
    const char *path;   /* the output's name, for #line; NULL: standard output */
    int werror;         /* warnings are errors                                */
    const char **incdirs; /* -I directories, then -isystem ones              */
    int nincdirs;
    int stdinc;         /* and the compiler's (not for -nostdinc)           */
    FILE *header;       /* --header: also write the C header here             */
    const char *guard;  /* its include guard                                  */
} Options;

typedef struct Out {
    FILE *fp;
    Unit *u;
    int lines;          /* emit #line directives                              */
    const char *path;   /* the output's name; NULL: standard output          */
    int bol;            /* at the beginning of an output line                 */
    int col;            /* bytes written on the current output line          */
    int blanks;         /* of them, spaces not written yet                   */
    int scaffold;       /* lines begun now map to the output's own           */
    int line;           /* .co line the current output line maps to, 0: the
                           output's own line, -1: not known                 */
    int oline;          /* number of the current output line                  */
    int lead;           /* only blanks on the current output line so far      */
    int cond;           /* the line is a preprocessor conditional             */
    int place;          /* the line about to begin holds user text of this
                           .co line (out_at), even in scaffolding           */
    int *starts;        /* offsets of the source's line starts               */
    int nstarts;
    Func *f;            /* coroutine being written, NULL outside             */
    int whole;          /* print a ?: of a chain whole (inside __typeof__)   */
    char *buf;          /* out_genf's text, grown to fit (arena memory)      */
    size_t cap;
    int depth;          /* generated blocks open (out_open) on the statement's
                           lines, for indentation                           */
    int stmt;           /* first token of the statement being written, whose
                           line's indentation generated lines take, or -1   */
} Out;

void out_lines(Out *o);                                  /* fill starts      */
void out_put(Out *o, const char *s, int n, int line);    /* text of .co line */
void out_gen(Out *o, int tok, const char *s);            /* generated text   */
void out_at(Out *o, int tok);            /* to token tok's line and column    */
void out_lead(Out *o, int tok, const char *lead);  /* lead, then out_at   */
void out_nl(Out *o);                     /* end the output line              */
void out_end(Out *o);                    /* write what is held back          */
void out_line(Out *o, int tok);          /* next generated statement         */
void out_stmt(Out *o, int tok, const char *fmt, ...);  /* on a line of its own */
void out_open(Out *o, int tok);          /* `{`, one level in                */
void out_close(Out *o, int tok);         /* `}` on a line of its own         */
void out_label(Out *o, int tok, char kind, int k);   /* `co_aK:`          */
void out_user(Out *o, int tok);          /* user text after statements       */
void out_genf(Out *o, int tok, const char *fmt, ...);
void out_raw(Out *o, int from, int to);                  /* source bytes     */
void out_tok(Out *o, int i);                             /* token, subst'd   */
int out_tok_end(Unit *u, int i);
void out_gap(Out *o, int i);                             /* before token i   */
/* Tokens [a, b) as written, substitutions applied, suspension points of
 * the statement's chain replaced by their values. */
void out_toks(Out *o, int a, int b, Node *chain);
void out_text(Out *o, Node *n);

/* ---- names.c: the names generated code uses ------------------------------ */

const char *emit_fp(Out *o);             /* the frame pointer, "" outside     */
const char *emit_sub(Out *o, Node *n);   /* a sub-frame                      */
const char *emit_name(Out *o, Func *f);
Node *emit_await_call(Node *n);          /* NAME(args) an await resumes     */
const char *emit_callee(Out *o, Node *n);
const char *emit_susp_value(Out *o, Node *y);
int emit_has_type(Unit *u, const int r[2]);
int emit_is_async(const Func *f);
const char *emit_linkage(const Func *f);
int emit_moved_body(Unit *u, Node *d, int *lb, int *rb);

/* ---- emit.c: statements ------------------------------------------------------- */

void emit_stmt(Out *o, Node *n);
void emit_block(Out *o, Node *n);        /* a block's items and end cleanups */
void emit_cleanups(Out *o, Cleanup *from, Cleanup *to, int tok);
void emit_specs(Out *o, Node *d);        /* specifiers, minus a moved type   */

/* ---- frame.c: coroutine definitions ---------------------------------------- */

void frame_definition(Out *o, Func *f);
void frame_prototype(Out *o, Func *f);
void frame_ahead(Out *o, Func *f, int frame);
/* The C header declaring the file's coroutines (--header). */
void cg_emit_header(Unit *u, FILE *out, const char *guard);

/* ---- layout.c: the frame's fields (a pass, after lower.c) -------------- */

/* What a frame field holds. */
enum {
    FD_STATE,           /* co_state: the resume point                        */
    FD_RESULT,          /* co_result: an async function's return value       */
    FD_VALUE,           /* co_value: the value yielded                       */
    FD_SENT,            /* co_sent: the value sent                           */
    FD_PARAM,           /* a parameter                                       */
    FD_LOCAL,           /* a local moved into the frame (hoist.c)            */
    FD_LITERAL,         /* a compound literal held in the frame (co_litN)   */
    FD_TEMP,            /* co_tN: the value of an && or || that suspends     */
    FD_DEADLINE,        /* co_dN: a deadline block's struct co_deadline     */
    FD_SENT_TEMP,       /* co_sN: a sent value kept while another point of
                           its statement runs                              */
    FD_AWAIT_RESULT,    /* co_rN: the result of a boxed await                */
    FD_SLOT,            /* co_uN: a union of sub-frames never live together,
                           its members in ->members                        */
    FD_SUB,             /* in a slot: a sub-frame embedded (an await under
                           co_timeout: with its timer)                     */
    FD_SUB_PTR,         /* in a slot: a sub-frame held by pointer (a boxed
                           await, a generator only known by its handle)  */
};

/* One piece of a field's declaration.  The declaration is its parts
 * printed in order, then `;`: nothing is decided while printing. */
enum {
    PT_TOKS,            /* source tokens [tok, end), with the gaps between
                           them, substitutions applied                     */
    PT_GAP,             /* the source's gap before token tok               */
    PT_TEXT,            /* generated text                                  */
    PT_NAME,            /* the field's name                                */
};

typedef struct Part {
    int kind;           /* PT_*                                              */
    int tok, end;       /* PT_TOKS, PT_GAP                                   */
    const char *text;   /* PT_TEXT                                           */
    struct Part *next;
} Part;

/* Field flags. */
enum {
    FL_VA_COPY = 1 << 0,  /* FD_PARAM of type va_list: NAME__init copies it
                             with va_copy (an array type on some machines:
                             the parameter is a pointer)                   */
};

typedef struct Field {
    int kind;           /* FD_*                                              */
    int flags;          /* FL_*                                              */
    const char *name;   /* the user's name of a parameter or local; NULL for
                           the fields cogen makes                          */
    const char *field;  /* its name in the frame                             */
    Part *type;         /* its declaration (a PT_NAME where the name goes):
                           storage classes, a top-level const and the
                           attributes of the local only (ATTR_LOCAL)
                           dropped, a moved struct body replaced by its tag,
                           `[]` sized from the initializer, an array
                           parameter the pointer C passes (`int m[][3]`:
                           `int (*m)[3]`)                                 */
    Part *align;        /* after it: the attribute groups after the
                           declarator that set its alignment or its type
                           (`_Alignas` stays among the type's specifiers) */
    PPCtx *pp;          /* the #if branches it is declared under             */
    struct Field *members; /* FD_SLOT: its sub-frames, in order             */
    struct Field *next;
} Field;

/* f->fields, once hoist.c and lower.c have chosen what the frame holds;
 * names the sub-frames (their ->field: `co_uN.co_subK`). */
void cg_layout(Unit *u, Func *f);

/* ---- write.c: the file ------------------------------------------------------ */

void cg_emit(Unit *u, FILE *out, const Options *o);

/* ---- translate.c: the whole pipeline for one input ---------------------- */

/* Translate src (len bytes, NUL-terminated) named path; write C to out and
 * diagnostics to err.  Returns 0 on success, 1 when errors were reported
 * (out may then hold partial text: callers write to a temporary). */
int cg_translate(const char *path, const char *src, int len, FILE *out,
                 FILE *err, const Options *o);

#endif
