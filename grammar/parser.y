/*
 * parser.y - lemon grammar for what cogen parses: coroutine parameter lists,
 * coroutine bodies and range-for statements (C11 statements, declarations
 * and expressions plus yield, await, defer, yield from and for (T x : g())).
 *
 * parse.c feeds the tokens: it classifies identifiers (IDENT or TYPENAME),
 * turns the cogen words into YIELD / AWAIT / DEFER / FROM / SELECT by context, folds
 * opaque groups (__attribute__((...)), typeof(...), asm(...), a struct body)
 * into one token, and starts with a MODE_* token that selects the start
 * form.  Every terminal's value is the TokRange of tokens it stands for;
 * nonterminals carry nodes, lists, or token ranges.  Actions are one-line
 * calls into the constructors of ast.c: this file holds structure only.
 */

/* ---- directives ------------------------------------------------------- */

%name cgParse
%token_prefix TK_
%token_type {TokRange}
%extra_argument {Parse *p}
%start_symbol start
/* Fixed depth: deep right nesting is reported here; left-deep chains,
 * which grow no stack, by the constructors (CG_MAX_DEPTH). */
%stack_size 10000
%stack_overflow { cg_error(p->u, p->at, "too deeply nested"); p->failed = 1; }
%syntax_error { syntax_error(p, yymajor, yyminor, expected(yypParser, yymajor)); }
/* Nodes live in the unit's arena: nothing to free.  This only keeps the
 * generated yy_destructor free of unused-variable warnings. */
%token_destructor { (void)p; (void)$$; }

/* Token codes: fixed, other files use them.  0 is the end of input. */
%token LPAREN RPAREN LBRACKET RBRACKET LBRACE RBRACE DOT ARROW INC DEC AMP
       STAR PLUS MINUS TILDE NOT SLASH PERCENT SHL SHR LT GT LE GE EQ NE XOR
       OR ANDAND OROR QUESTION COLON SEMI ELLIPSIS ASSIGN MUL_ASSIGN DIV_ASSIGN
       MOD_ASSIGN ADD_ASSIGN SUB_ASSIGN SHL_ASSIGN SHR_ASSIGN AND_ASSIGN
       XOR_ASSIGN OR_ASSIGN COMMA HASH HASHHASH.
%token IDENT TYPENAME NUMBER CHARLIT STRING.
%token AUTO BREAK CASE CHAR CONST CONTINUE DEFAULT DO DOUBLE ELSE ENUM EXTERN
       FLOAT FOR GOTO IF INLINE INT LONG REGISTER RESTRICT RETURN SHORT SIGNED
       SIZEOF STATIC STRUCT SWITCH TYPEDEF UNION UNSIGNED VOID VOLATILE WHILE
       ALIGNAS ALIGNOF ATOMIC BOOL COMPLEX GENERIC NORETURN STATIC_ASSERT
       THREAD_LOCAL ATTRIBUTE EXTENSION TYPEOF ASM.
/* The lexer never produces these; parse.c does, by context. */
%token GENERATOR ASYNC AWAIT YIELD FROM DEFER SELECT DEADLINE.
%token PP OTHER.
/* Internal to parse.c and this grammar: start forms, a folded struct /
 * union / enum body, built-ins whose arguments include a type name. */
%token MODE_PARAMS MODE_BODY MODE_STMT SUBODY VA_ARG OFFSETOF TYPES_COMPAT.
/* The directives of an #if group where a statement goes (`if (x)` then
 * `#ifdef A` s1 `#else` s2 `#endif`): parse.c tells them from PP. */
%token PP_IF PP_ELSE PP_ENDIF.
/* Any token: what may follow the statement cg_parse_rangefor parses. */
%wildcard ANY.

/* A cogen word where it cannot start its form is an identifier. */
%fallback IDENT AWAIT YIELD FROM DEFER SELECT DEADLINE.

/* `if (a) if (b) x; else y;`: else goes with the nearest if.
 * `sizeof (T){1}`: the compound literal is the operand. */
%nonassoc LOWER_THAN_ELSE LOWER_THAN_BRACE.
%nonassoc ELSE LBRACE.

%token_class sue STRUCT|UNION|ENUM.
%token_class storage TYPEDEF|EXTERN|STATIC|AUTO|REGISTER|THREAD_LOCAL.
%token_class tyword VOID|CHAR|SHORT|INT|LONG|FLOAT|DOUBLE|SIGNED|UNSIGNED|BOOL|COMPLEX|TYPENAME|TYPEOF|ALIGNAS|INLINE|NORETURN.
%token_class qualword CONST|VOLATILE|RESTRICT|ATOMIC|ATTRIBUTE.
%token_class incdec INC|DEC.
%token_class mulop STAR|SLASH|PERCENT.
%token_class addop PLUS|MINUS.
%token_class shiftop SHL|SHR.
%token_class relop LT|GT|LE|GE.
%token_class eqop EQ|NE.
%token_class assignop ASSIGN|MUL_ASSIGN|DIV_ASSIGN|MOD_ASSIGN|ADD_ASSIGN|SUB_ASSIGN|SHL_ASSIGN|SHR_ASSIGN|AND_ASSIGN|XOR_ASSIGN|OR_ASSIGN.
%token_class dotarrow DOT|ARROW.
%token_class constant NUMBER|CHARLIT.

%include {
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include "cg.h"
#include "parser.h"

#define U (p->u)

/* A list being built: constant-time append. */
typedef struct List { Node *head, *tail; } List;

/* Declaration specifiers: token range and ST_* storage classes. */
typedef struct Spec { int first, end, storage; } Spec;

/* A declarator: token range, name token (-1 when abstract), what its
 * outermost derivation is (NF_ARRAY / NF_FUNC, 0 for none or a pointer),
 * whether a derivation was decided yet, and NF_VLA. */
typedef struct Dcl { int first, end, name, flags, decided; } Dcl;

static List list1(Node *n) { List l = {n, n}; return l; }
static List list0(void) { List l = {0, 0}; return l; }
static List lappend(List l, Node *n)
{
    if (!l.head) return list1(n);
    l.tail->next = n;
    l.tail = n;
    return l;
}
static List lcat(List a, List b)
{
    if (!a.head) return b;
    if (b.head) a.tail->next = b.head, a.tail = b.tail;
    return a;
}

static TokRange span(int first, int end) { TokRange s = {first, end}; return s; }
static Spec spec1(TokRange t, int storage) { Spec s = {t.first, t.end, storage}; return s; }
static Spec spec_add(Spec s, Spec t) { s.end = t.end; s.storage |= t.storage; return s; }

static Dcl dcl_name(TokRange t) { Dcl d = {t.first, t.end, t.first, 0, 0}; return d; }
static Dcl dcl_none(int at) { Dcl d = {at, at, -1, 0, 0}; return d; }
/* Add a derivation around d ending at end: only the first one decided is
 * the outermost (array of, function returning, pointer to). */
static Dcl dcl_derive(Dcl d, int end, int flag)
{
    d.end = end;
    if (!d.decided) d.flags |= flag;
    d.decided = 1;
    return d;
}
static Dcl dcl_wrap(TokRange l, Dcl d, TokRange r) { d.first = l.first; d.end = r.end; return d; }
static Dcl dcl_ptr(TokRange star, Dcl d) { Dcl r = dcl_derive(d, d.end, 0); r.first = star.first; return r; }
static Dcl dcl_array(Unit *u, Dcl d, Node *dim, int end)
{
    d = dcl_derive(d, end, NF_ARRAY);
    if (dim && cg_vla_expr(u, dim)) d.flags |= NF_VLA;
    return d;
}

static Node *var(Parse *p, Dcl d, Node *init)
{
    return cg_var(U, d.first, init ? init->end : d.end, d.name, d.first, d.end, d.flags, init);
}
static Node *param(Parse *p, Spec s, Dcl d)
{
    return cg_param(U, s.first, s.end, d.name, d.first, d.end, d.flags);
}

static int expected(void *parser, int major);

/* A directive at token at that the parser was given inside a statement:
 * an #elif, #else or #endif of a group opened outside it, or one in a
 * parameter list.  Say which one and where it can go instead. */
static void pp_in_statement(Unit *u, int at)
{
    if (cg_pp_kind(u, at))
        cg_error(u, at, "'%s' inside a statement: cogen reads a statement in one configuration; "
                 "put the #if group around whole statements (the statement written in each branch)",
                 cg_pp_name(u, at));
    else
        cg_error(u, at, "'%s' inside a statement: move it before the statement", cg_pp_name(u, at));
}

/* A token no rule takes anywhere: a preprocessor line inside a
 * statement, stray bytes, an unterminated literal.  0 for others. */
static int bad_token(Parse *p, int major, int at)
{
    Token *k = &U->toks[at];
    int pp = major == TK_PP || major == TK_PP_IF || major == TK_PP_ELSE || major == TK_PP_ENDIF;
    if (pp)
        pp_in_statement(U, at);
    else if (cg_tok_unterminated(U, at))
        cg_error(U, at, "%s", cg_tok_unterminated(U, at));
    else if (major == TK_OTHER)
        cg_error(U, at, "stray '%.*s' in program", k->len, U->src + k->off);
    return pp || major == TK_OTHER;
}

/* `#if` s1 `#elif` s2 `#else` s3 `#endif` as one statement: a block of
 * its directives and statements that is printed without braces. */
static Node *pp_group(Parse *p, TokRange open, List l, TokRange close)
{
    Node *o = cg_node(U, N_PP, open.first, open.end);
    o->next = l.head;
    l = lappend(l, cg_node(U, N_PP, close.first, close.end));
    Node *n = cg_list(U, N_BLOCK, open.first, close.end, o);
    n->flags = NF_PPGROUP;
    return n;
}

/* gcc's wording: what was expected (see expected()) goes after the
 * previous token.  A missing closer is supplied by the driver, which
 * then goes on. */
static void syntax_error(Parse *p, int major, TokRange t, int want)
{
    Token *k = &U->toks[t.first];
    int n = k->len > 40 ? 40 : k->len;
    static const char *const closer[] = { [TK_SEMI] = ";", [TK_RPAREN] = ")",
                                          [TK_RBRACKET] = "]", [TK_RBRACE] = "}" };
    if (p->failed) return;
    p->failed = 1;
    if (t.first == p->resumed || bad_token(p, major, t.first))
        return;     /* (a closer supplied here did not help: say no more) */
    if (want < 0 && major == TK_ELSE && t.first > 0 && U->toks[t.first - 1].id == TK_PP)
        pp_in_statement(U, t.first - 1);     /* #if ... else: the if's */
    else if (want < 0)
        cg_error_after(U, t.first - 1, "expected a statement before '%.*s'", n, U->src + k->off);
    else if (want && major == 0)
        cg_error_after(U, t.first - 1, "expected '%s' at end of input", closer[want]);
    else if (want)
        cg_error_after(U, t.first - 1, "expected '%s' before '%.*s'", closer[want], n, U->src + k->off);
    else if (major == 0)
        cg_error(U, t.first > 0 ? t.first - 1 : 0, "unexpected end of input");
    else
        cg_error(U, t.first, "syntax error before '%.*s'", n, U->src + k->off);
    if (want > 0 && major != 0)
        p->recover = want;
}
}

%type block {Node *}
%type stmt {Node *}
%type any_stmt {Node *}
%type top_stmt {Node *}
%type item {Node *}
%type decl {Node *}
%type for_init {Node *}
%type init_decl {Node *}
%type param {Node *}
%type initializer {Node *}
%type initializer_list {Node *}
%type init_item {Node *}
%type array_dim {Node *}
%type expr_opt {Node *}
%type expr {Node *}
%type assign {Node *}
%type cond {Node *}
%type lor {Node *}
%type land {Node *}
%type bor {Node *}
%type bxor {Node *}
%type band {Node *}
%type eq {Node *}
%type rel {Node *}
%type shift {Node *}
%type add {Node *}
%type mul {Node *}
%type cast {Node *}
%type unary {Node *}
%type postfix {Node *}
%type primary {Node *}
%type builtin {Node *}
%type arg {Node *}
%type generic_assoc {Node *}
%type asm_oper {Node *}
%type asm_parts {List}
%type pp_branches {List}
%type asm_opers {List}
%type items {List}
%type init_decls {List}
%type param_list {List}
%type param_types {List}
%type args {List}
%type init_list {List}
%type generic_assocs {List}
%type member_path {List}
%type specs {Spec}
%type spec {Spec}
%type qual {Spec}
%type quals {Spec}
%type dim_quals {Spec}
%type declarator {Dcl}
%type direct_declarator {Dcl}
%type abs_declarator {Dcl}
%type direct_abs {Dcl}
%type pointer {Dcl}
%type type_name {TokRange}
%type strings {TokRange}
%type designators {TokRange}
%type designator {TokRange}
%type sue_head {TokRange}

/* ---- start forms ------------------------------------------------------ */

start ::= MODE_PARAMS LPAREN RPAREN.                { p->root = 0; }
start ::= MODE_PARAMS LPAREN param_types(L) RPAREN. { p->root = L.head; }
start ::= MODE_BODY block(A).                       { p->root = A; }
/* The statement ends where its last reduction says; the driver stops
 * feeding once top_stmt is reduced (on the token after it, or at the end). */
start ::= MODE_STMT top_stmt.
start ::= MODE_STMT top_stmt ANY.
top_stmt(A) ::= any_stmt(B).                  { A = p->root = B; }

/* ---- statements ------------------------------------------------------- */

block(A) ::= LBRACE(B) RBRACE(C).             { A = cg_list(U, N_BLOCK, B.first, C.end, 0); }
block(A) ::= LBRACE(B) items(L) RBRACE(C).    { A = cg_list(U, N_BLOCK, B.first, C.end, L.head); }

items(A) ::= item(B).                         { A = list1(B); }
items(A) ::= items(L) item(B).                { A = lappend(L, B); }

item(A) ::= any_stmt(B).                      { A = B; }
item(A) ::= decl(B).                          { A = B; }
item(A) ::= PP(B).                            { A = cg_node(U, N_PP, B.first, B.end); }
item(A) ::= STATIC_ASSERT(B) SEMI(C).         { A = cg_node(U, N_STATIC_ASSERT, B.first, C.end); }

/* A statement that may be empty: only `defer` needs a non-empty one. */
any_stmt(A) ::= stmt(B).                      { A = B; }
any_stmt(A) ::= SEMI(B).                      { A = cg_node(U, N_EMPTY, B.first, B.end); }

stmt(A) ::= block(B).                         { A = B; }
stmt(A) ::= expr(B) SEMI(C).                  { A = cg_stmt(U, N_EXPR, B->first, C.end, B); }
stmt(A) ::= IF(B) LPAREN expr(C) RPAREN any_stmt(D). [LOWER_THAN_ELSE]
                                              { A = cg_if(U, B.first, C, D, 0); }
stmt(A) ::= IF(B) LPAREN expr(C) RPAREN any_stmt(D) ELSE any_stmt(E).
                                              { A = cg_if(U, B.first, C, D, E); }
stmt(A) ::= SWITCH(B) LPAREN expr(C) RPAREN any_stmt(D).
                                              { A = cg_loop(U, N_SWITCH, B.first, D->end, C, D); }
stmt(A) ::= WHILE(B) LPAREN expr(C) RPAREN any_stmt(D).
                                              { A = cg_loop(U, N_WHILE, B.first, D->end, C, D); }
stmt(A) ::= DO(B) any_stmt(D) WHILE LPAREN expr(C) RPAREN SEMI(E).
                                              { A = cg_loop(U, N_DO, B.first, E.end, C, D); }
stmt(A) ::= FOR(B) LPAREN for_init(I) expr_opt(C) SEMI expr_opt(D) RPAREN any_stmt(S).
                                              { A = cg_for(U, B.first, I, C, D, S); }
stmt(A) ::= GOTO(B) IDENT(N) SEMI(C).         { A = cg_named(U, N_GOTO, B.first, C.end, N.first); }
stmt(A) ::= GOTO(B) STAR expr(E) SEMI(C).     { A = cg_stmt(U, N_GOTO, B.first, C.end, E); }
stmt(A) ::= CONTINUE(B) SEMI(C).              { A = cg_node(U, N_CONTINUE, B.first, C.end); }
stmt(A) ::= BREAK(B) SEMI(C).                 { A = cg_node(U, N_BREAK, B.first, C.end); }
stmt(A) ::= RETURN(B) SEMI(C).                { A = cg_node(U, N_RETURN, B.first, C.end); }
stmt(A) ::= RETURN(B) expr(E) SEMI(C).        { A = cg_stmt(U, N_RETURN, B.first, C.end, E); }
stmt(A) ::= IDENT(N) COLON any_stmt(S).       { A = cg_labeled(U, N_LABEL, N.first, 0, 0, S); A->name = N.first; }
stmt(A) ::= CASE(B) cond(E) COLON any_stmt(S). { A = cg_labeled(U, N_CASE, B.first, E, 0, S); }
stmt(A) ::= CASE(B) cond(E) ELLIPSIS cond(F) COLON any_stmt(S).
                                              { A = cg_labeled(U, N_CASE, B.first, E, F, S); }
stmt(A) ::= DEFAULT(B) COLON any_stmt(S).     { A = cg_labeled(U, N_DEFAULT, B.first, 0, 0, S); }
stmt(A) ::= ASM(B) SEMI(C).                   { A = cg_node(U, N_ASM, B.first, C.end); }
/* Extended asm: the operands are expressions (they may name locals that
 * move to the frame); clobbers and goto labels are kept as written. */
stmt(A) ::= ASM(B) LPAREN strings asm_parts(L) RPAREN SEMI(C).
                                              { A = cg_args(U, N_ASM, B.first, C.end, L.head); }

asm_parts(A) ::= COLON asm_opers(O).          { A = O; }
asm_parts(A) ::= COLON asm_opers(O) COLON asm_opers(I).  { A = lcat(O, I); }
asm_parts(A) ::= COLON asm_opers(O) COLON asm_opers(I) COLON asm_words.  { A = lcat(O, I); }
asm_parts(A) ::= COLON asm_opers(O) COLON asm_opers(I) COLON asm_words COLON asm_words.
                                              { A = lcat(O, I); }
asm_opers(A) ::= .                            { A = list0(); }
asm_opers(A) ::= asm_oper(B).                 { A = list1(B); }
asm_opers(A) ::= asm_opers(L) COMMA asm_oper(B).  { A = lappend(L, B); }
asm_oper(A) ::= strings LPAREN expr(E) RPAREN.  { A = E; }
asm_oper(A) ::= LBRACKET IDENT RBRACKET strings LPAREN expr(E) RPAREN.  { A = E; }
asm_words ::= .
asm_words ::= asm_word.
asm_words ::= asm_words COMMA asm_word.
asm_word ::= strings.
asm_word ::= IDENT.

stmt(A) ::= PP_IF(B) pp_branches(L) PP_ENDIF(C).  { A = pp_group(p, B, L, C); }
pp_branches(A) ::= any_stmt(S).               { A = list1(S); }
pp_branches(A) ::= pp_branches(L) PP_ELSE(B) any_stmt(S).
                                              { A = lappend(lappend(L, cg_node(U, N_PP, B.first, B.end)), S); }

/* cogen forms */
stmt(A) ::= DEFER(B) stmt(S).                 { A = cg_body(U, N_DEFER, B.first, S->end, S); }
stmt(A) ::= SELECT(B) block(D).                { A = cg_select(U, B.first, D); }
/* `co_timeout (ms) { ... } [else s]`: a deadline block (parse.c tells it
 * from a call of the expression form). */
stmt(A) ::= DEADLINE(B) LPAREN expr(C) RPAREN block(D). [LOWER_THAN_ELSE]
                                              { A = cg_deadline(U, B.first, C, D, 0); }
stmt(A) ::= DEADLINE(B) LPAREN expr(C) RPAREN block(D) ELSE any_stmt(E).
                                              { A = cg_deadline(U, B.first, C, D, E); }
stmt(A) ::= YIELD(B) FROM expr(E) SEMI(C).    { A = cg_yield_from(U, B.first, C.end, E); }
stmt(A) ::= FOR(B) LPAREN specs(T) declarator(D) COLON expr(E) RPAREN any_stmt(S).
    { A = cg_rangefor(U, B.first, cg_decl(U, T.first, D.end, T.first, T.end, T.storage, var(p, D, 0)), E, S, 0); }
stmt(A) ::= FOR(B) AWAIT LPAREN specs(T) declarator(D) COLON expr(E) RPAREN any_stmt(S).
    { A = cg_rangefor(U, B.first, cg_decl(U, T.first, D.end, T.first, T.end, T.storage, var(p, D, 0)), E, S, NF_AWAIT); }

for_init(A) ::= SEMI.                         { A = 0; }
for_init(A) ::= expr(B) SEMI(C).              { A = cg_stmt(U, N_EXPR, B->first, C.end, B); }
for_init(A) ::= decl(B).                      { A = B; }

expr_opt(A) ::= .                             { A = 0; }
expr_opt(A) ::= expr(B).                      { A = B; }

/* ---- declarations ----------------------------------------------------- */

decl(A) ::= specs(S) SEMI(C).                 { A = cg_decl(U, S.first, C.end, S.first, S.end, S.storage, 0); }
decl(A) ::= specs(S) init_decls(L) SEMI(C).   { A = cg_decl(U, S.first, C.end, S.first, S.end, S.storage, L.head); }
decl(A) ::= EXTENSION(B) decl(D).             { A = D; A->first = B.first; }

init_decls(A) ::= init_decl(B).               { A = list1(B); }
init_decls(A) ::= init_decls(L) COMMA init_decl(B).  { A = lappend(L, B); }

init_decl(A) ::= declarator(D).               { A = var(p, D, 0); }
init_decl(A) ::= declarator(D) ASSIGN initializer(I).  { A = var(p, D, I); }

specs(A) ::= spec(B).                         { A = B; }
specs(A) ::= specs(S) spec(B).                { A = spec_add(S, B); }

spec(A) ::= TYPEDEF(B).                       { A = spec1(B, ST_TYPEDEF); }
spec(A) ::= EXTERN(B).                        { A = spec1(B, ST_EXTERN); }
spec(A) ::= STATIC(B).                        { A = spec1(B, ST_STATIC); }
spec(A) ::= AUTO(B).                          { A = spec1(B, ST_AUTO); }
spec(A) ::= REGISTER(B).                      { A = spec1(B, ST_REGISTER); }
spec(A) ::= THREAD_LOCAL(B).                  { A = spec1(B, ST_THREAD); }
spec(A) ::= tyword(B).                        { A = spec1(B, 0); }
spec(A) ::= qualword(B).                      { A = spec1(B, 0); }
spec(A) ::= sue_head(B) IDENT(C).             { A = spec1(span(B.first, C.end), 0); }
spec(A) ::= sue_head(B) TYPENAME(C).          { A = spec1(span(B.first, C.end), 0); }
spec(A) ::= sue_head(B) IDENT SUBODY(C).      { A = spec1(span(B.first, C.end), 0); }
spec(A) ::= sue_head(B) TYPENAME SUBODY(C).   { A = spec1(span(B.first, C.end), 0); }
spec(A) ::= sue_head(B) SUBODY(C).            { A = spec1(span(B.first, C.end), 0); }

sue_head(A) ::= sue(B).                       { A = B; }
sue_head(A) ::= sue_head(B) ATTRIBUTE(C).     { A = span(B.first, C.end); }

/* ---- declarators ------------------------------------------------------ */

declarator(A) ::= direct_declarator(D).                 { A = D; }
declarator(A) ::= pointer(P) direct_declarator(D).      { A = dcl_ptr(span(P.first, P.end), D); }

pointer(A) ::= STAR(B).                                 { A = dcl_none(B.first); A.end = B.end; }
pointer(A) ::= STAR(B) quals(Q).                        { A = dcl_none(B.first); A.end = Q.end; }
pointer(A) ::= STAR(B) pointer(P).                      { A = P; A.first = B.first; }
pointer(A) ::= STAR(B) quals pointer(P).                { A = P; A.first = B.first; }

quals(A) ::= qual(B).                                   { A = B; }
quals(A) ::= quals(S) qual(B).                          { A = spec_add(S, B); }
qual(A) ::= qualword(B).                                { A = spec1(B, 0); }

direct_declarator(A) ::= IDENT(N).                      { A = dcl_name(N); }
direct_declarator(A) ::= LPAREN(L) declarator(D) RPAREN(R).  { A = dcl_wrap(L, D, R); }
direct_declarator(A) ::= direct_declarator(D) LBRACKET array_dim(E) RBRACKET(R).
                                                        { A = dcl_array(U, D, E, R.end); }
direct_declarator(A) ::= direct_declarator(D) LPAREN RPAREN(R).  { A = dcl_derive(D, R.end, NF_FUNC); }
direct_declarator(A) ::= direct_declarator(D) LPAREN param_types RPAREN(R).
                                                        { A = dcl_derive(D, R.end, NF_FUNC); }
direct_declarator(A) ::= direct_declarator(D) ATTRIBUTE.     { A = D; }   /* not part of a field */
direct_declarator(A) ::= direct_declarator(D) ASM(R).   { A = D; A.end = R.end; }

array_dim(A) ::= .                            { A = 0; }
array_dim(A) ::= assign(E).                   { A = E; }
array_dim(A) ::= STAR.                        { A = 0; }
array_dim(A) ::= dim_quals.                   { A = 0; }
array_dim(A) ::= dim_quals assign(E).         { A = E; }
dim_quals(A) ::= STATIC(B).                   { A = spec1(B, 0); }
dim_quals(A) ::= qual(B).                     { A = B; }
dim_quals(A) ::= dim_quals(S) STATIC(B).      { A = spec_add(S, spec1(B, 0)); }
dim_quals(A) ::= dim_quals(S) qual(B).        { A = spec_add(S, B); }

param_types(A) ::= param_list(L).                       { A = L; }
param_types(A) ::= param_list(L) COMMA ELLIPSIS.        { A = L; }
param_list(A) ::= param(B).                             { A = list1(B); }
param_list(A) ::= param_list(L) COMMA param(B).         { A = lappend(L, B); }

param(A) ::= specs(S).                                  { A = param(p, S, dcl_none(S.end)); }
param(A) ::= specs(S) declarator(D).                    { A = param(p, S, D); }
param(A) ::= specs(S) abs_declarator(D).                { A = param(p, S, D); }

abs_declarator(A) ::= pointer(P).                       { A = dcl_derive(P, P.end, 0); }
abs_declarator(A) ::= direct_abs(D).                    { A = D; }
abs_declarator(A) ::= pointer(P) direct_abs(D).         { A = dcl_ptr(span(P.first, P.end), D); }

direct_abs(A) ::= LPAREN(L) abs_declarator(D) RPAREN(R).     { A = dcl_wrap(L, D, R); }
direct_abs(A) ::= LBRACKET(L) array_dim(E) RBRACKET(R).      { A = dcl_array(U, dcl_none(L.first), E, R.end); }
direct_abs(A) ::= direct_abs(D) LBRACKET array_dim(E) RBRACKET(R).  { A = dcl_array(U, D, E, R.end); }
direct_abs(A) ::= LPAREN(L) RPAREN(R).                       { A = dcl_derive(dcl_none(L.first), R.end, NF_FUNC); }
direct_abs(A) ::= LPAREN(L) param_types RPAREN(R).           { A = dcl_derive(dcl_none(L.first), R.end, NF_FUNC); }
direct_abs(A) ::= direct_abs(D) LPAREN RPAREN(R).            { A = dcl_derive(D, R.end, NF_FUNC); }
direct_abs(A) ::= direct_abs(D) LPAREN param_types RPAREN(R). { A = dcl_derive(D, R.end, NF_FUNC); }

type_name(A) ::= specs(S).                              { A = span(S.first, S.end); }
type_name(A) ::= specs(S) abs_declarator(D).            { A = span(S.first, D.end); }

/* ---- initializers ----------------------------------------------------- */

initializer(A) ::= assign(B).                           { A = B; }
initializer(A) ::= initializer_list(B).                 { A = B; }

initializer_list(A) ::= LBRACE(B) RBRACE(C).  { A = cg_list(U, N_INIT_LIST, B.first, C.end, 0); }
initializer_list(A) ::= LBRACE(B) init_list(L) RBRACE(C).  { A = cg_list(U, N_INIT_LIST, B.first, C.end, L.head); }
initializer_list(A) ::= LBRACE(B) init_list(L) COMMA RBRACE(C).
                                              { A = cg_list(U, N_INIT_LIST, B.first, C.end, L.head); }

init_list(A) ::= init_item(B).                          { A = list1(B); }
init_list(A) ::= init_list(L) COMMA init_item(B).       { A = lappend(L, B); }

init_item(A) ::= initializer(I).                        { A = cg_init(U, I->first, I->first, I->first, I); }
init_item(A) ::= designators(D) ASSIGN initializer(I).  { A = cg_init(U, D.first, D.first, D.end, I); }

designators(A) ::= designator(B).                       { A = B; }
designators(A) ::= designators(B) designator(C).        { A = span(B.first, C.end); }
designator(A) ::= LBRACKET(B) cond RBRACKET(C).         { A = span(B.first, C.end); }
designator(A) ::= LBRACKET(B) cond ELLIPSIS cond RBRACKET(C).  { A = span(B.first, C.end); }
designator(A) ::= DOT(B) IDENT(C).                      { A = span(B.first, C.end); }

/* ---- expressions ------------------------------------------------------ */

expr(A) ::= assign(B).                        { A = B; }
expr(A) ::= expr(B) COMMA(O) assign(C).       { A = cg_binary(U, N_COMMA, B, O.first, C); }

assign(A) ::= cond(B).                        { A = B; }
assign(A) ::= unary(B) assignop(O) assign(C). { A = cg_binary(U, N_ASSIGN, B, O.first, C); }
assign(A) ::= YIELD(O).                       { A = cg_prefix(U, N_YIELD, O.first, 0); }
assign(A) ::= YIELD(O) assign(B).             { A = cg_prefix(U, N_YIELD, O.first, B); }

cond(A) ::= lor(B).                           { A = B; }
cond(A) ::= lor(B) QUESTION expr(C) COLON cond(D).  { A = cg_cond(U, B, C, D); }
cond(A) ::= lor(B) QUESTION COLON cond(D).    { A = cg_cond(U, B, 0, D); }

lor(A) ::= land(B).                           { A = B; }
lor(A) ::= lor(B) OROR(O) land(C).            { A = cg_binary(U, N_BINARY, B, O.first, C); }
land(A) ::= bor(B).                           { A = B; }
land(A) ::= land(B) ANDAND(O) bor(C).         { A = cg_binary(U, N_BINARY, B, O.first, C); }
bor(A) ::= bxor(B).                           { A = B; }
bor(A) ::= bor(B) OR(O) bxor(C).              { A = cg_binary(U, N_BINARY, B, O.first, C); }
bxor(A) ::= band(B).                          { A = B; }
bxor(A) ::= bxor(B) XOR(O) band(C).           { A = cg_binary(U, N_BINARY, B, O.first, C); }
band(A) ::= eq(B).                            { A = B; }
band(A) ::= band(B) AMP(O) eq(C).             { A = cg_binary(U, N_BINARY, B, O.first, C); }
eq(A) ::= rel(B).                             { A = B; }
eq(A) ::= eq(B) eqop(O) rel(C).               { A = cg_binary(U, N_BINARY, B, O.first, C); }
rel(A) ::= shift(B).                          { A = B; }
rel(A) ::= rel(B) relop(O) shift(C).          { A = cg_binary(U, N_BINARY, B, O.first, C); }
shift(A) ::= add(B).                          { A = B; }
shift(A) ::= shift(B) shiftop(O) add(C).      { A = cg_binary(U, N_BINARY, B, O.first, C); }
add(A) ::= mul(B).                            { A = B; }
add(A) ::= add(B) addop(O) mul(C).            { A = cg_binary(U, N_BINARY, B, O.first, C); }
mul(A) ::= cast(B).                           { A = B; }
mul(A) ::= mul(B) mulop(O) cast(C).           { A = cg_binary(U, N_BINARY, B, O.first, C); }

cast(A) ::= unary(B).                         { A = B; }
cast(A) ::= LPAREN(L) type_name(T) RPAREN cast(B).  { A = cg_typed(U, N_CAST, L.first, B->end, T.first, T.end, B); }

unary(A) ::= postfix(B).                      { A = B; }
unary(A) ::= incdec(O) unary(B).              { A = cg_prefix(U, N_UNARY, O.first, B); }
/* One rule per operator: a token class here would clash with the other
 * uses of * and __extension__ in the same states. */
unary(A) ::= AMP(O) cast(B).                   { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= STAR(O) cast(B).                  { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= PLUS(O) cast(B).                  { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= MINUS(O) cast(B).                 { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= TILDE(O) cast(B).                 { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= NOT(O) cast(B).                   { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= EXTENSION(O) cast(B).             { A = cg_prefix(U, N_UNARY, O.first, B); }
unary(A) ::= ANDAND(O) IDENT(N).              { A = cg_named(U, N_UNARY, O.first, N.end, N.first); A->op = O.first; }
unary(A) ::= AWAIT(O) cast(B).                { A = cg_prefix(U, N_AWAIT, O.first, B); }
unary(A) ::= SIZEOF(O) unary(B).              { A = cg_prefix(U, N_SIZEOF, O.first, B); }
unary(A) ::= SIZEOF(O) LPAREN type_name(T) RPAREN(R). [LOWER_THAN_BRACE]
                                              { A = cg_typed(U, N_SIZEOF, O.first, R.end, T.first, T.end, 0); }
unary(A) ::= ALIGNOF(O) unary(B).             { A = cg_prefix(U, N_SIZEOF, O.first, B); }
unary(A) ::= ALIGNOF(O) LPAREN type_name(T) RPAREN(R). [LOWER_THAN_BRACE]
                                              { A = cg_typed(U, N_SIZEOF, O.first, R.end, T.first, T.end, 0); }

postfix(A) ::= primary(B).                    { A = B; }
postfix(A) ::= postfix(B) LBRACKET expr(C) RBRACKET(R).  { A = cg_pair(U, N_INDEX, B->first, R.end, B, C); }
postfix(A) ::= postfix(B) LPAREN RPAREN(R).   { A = cg_call(U, B, 0, R.end); }
postfix(A) ::= postfix(B) LPAREN args(L) RPAREN(R).  { A = cg_call(U, B, L.head, R.end); }
postfix(A) ::= postfix(B) dotarrow(O) IDENT(N).  { A = cg_unary(U, N_MEMBER, B->first, N.end, B); A->name = N.first; A->op = O.first; }
postfix(A) ::= postfix(B) incdec(O).          { A = cg_postfix(U, O.first, B); }
postfix(A) ::= LPAREN(L) type_name(T) RPAREN initializer_list(I).
                                              { A = cg_compound(U, L.first, T.first, T.end, I); }

args(A) ::= arg(B).                           { A = list1(B); }
args(A) ::= args(L) COMMA arg(B).             { A = lappend(L, B); }
arg(A) ::= assign(B).                         { A = B; }
/* A macro argument that is a type (container_of(p, struct s, m)). */
arg(A) ::= type_name(T).                      { A = cg_typed(U, N_BUILTIN, T.first, T.end, T.first, T.end, 0); }

primary(A) ::= IDENT(B).                      { A = cg_node(U, N_IDENT, B.first, B.end); }
primary(A) ::= constant(B).                   { A = cg_node(U, N_CONST, B.first, B.end); }
primary(A) ::= strings(B).                    { A = cg_node(U, N_CONST, B.first, B.end); }
primary(A) ::= LPAREN(L) expr(B) RPAREN(R).   { A = cg_unary(U, N_PAREN, L.first, R.end, B); }
primary(A) ::= LPAREN(L) block(B) RPAREN(R).  { A = cg_body(U, N_STMT_EXPR, L.first, R.end, B); }
primary(A) ::= builtin(B).                    { A = B; }

strings(A) ::= STRING(B).                     { A = B; }
strings(A) ::= strings(B) STRING(C).          { A = span(B.first, C.end); }

builtin(A) ::= VA_ARG(B) LPAREN assign(E) COMMA type_name RPAREN(R).
                                              { A = cg_args(U, N_BUILTIN, B.first, R.end, E); }
builtin(A) ::= OFFSETOF(B) LPAREN type_name COMMA member_path(L) RPAREN(R).
                                              { A = cg_args(U, N_BUILTIN, B.first, R.end, L.head); }
builtin(A) ::= TYPES_COMPAT(B) LPAREN type_name COMMA type_name RPAREN(R).
                                              { A = cg_node(U, N_BUILTIN, B.first, R.end); }
builtin(A) ::= GENERIC(B) LPAREN assign(E) COMMA generic_assocs(L) RPAREN(R).
                                              { E->next = L.head; A = cg_args(U, N_BUILTIN, B.first, R.end, E); }

member_path(A) ::= IDENT.                     { A = list0(); }
member_path(A) ::= member_path(L) DOT IDENT.  { A = L; }
member_path(A) ::= member_path(L) LBRACKET expr(E) RBRACKET.  { A = lappend(L, E); }

generic_assocs(A) ::= generic_assoc(B).       { A = list1(B); }
generic_assocs(A) ::= generic_assocs(L) COMMA generic_assoc(B).  { A = lappend(L, B); }
generic_assoc(A) ::= type_name COLON assign(E).  { A = E; }
generic_assoc(A) ::= DEFAULT COLON assign(E).    { A = E; }

/* ---- what the parser expected --------------------------------------------- */

%code {
/* Would the parser take token tok in its current state?  Runs the
 * reductions tok causes on a copy of the state stack, as cgParse would. */
static int takes(yyParser *P, int tok)
{
    int n = (int)(P->yytos - P->yystack) + 1, cap = n + 16, ok = 0;
    YYACTIONTYPE *st = malloc(sizeof *st * (size_t)cap);
    if (!st) return 0;
    for (int i = 0; i < n; i++) st[i] = P->yystack[i].stateno;
    for (;;) {
        YYACTIONTYPE act = yy_find_shift_action((YYCODETYPE)tok, st[n - 1]);
        if (act < YY_MIN_REDUCE) {
            ok = act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
            break;
        }
        int rule = act - YY_MIN_REDUCE;
        n += yyRuleInfoNRhs[rule];          /* pops: the count is negative */
        if (n == cap) {
            YYACTIONTYPE *grown = realloc(st, sizeof *st * (size_t)(cap *= 2));
            if (!grown) break;
            st = grown;
        }
        st[n] = yy_find_reduce_action(st[n - 1], yyRuleInfoLhs[rule]);
        n++;
    }
    free(st);
    return ok;
}

/* For the driver: would the parser take token tok now (a directive
 * between statements, an empty statement after a label)? */
int cgParseTakes(void *parser, int tok)
{
    return takes(parser, tok);
}

/* After a syntax error, report the next one again (lemon stays quiet for
 * three tokens): the driver goes on after supplying a missing closer. */
void cgParseRearm(void *parser)
{
    ((yyParser *)parser)->yyerrcnt = -1;
}

/* Instead of token major (not `;` or the end): -1 where a statement may
 * start, else the one closing token (; ) ] }) the parser would take, else
 * 0: when several would do, saying one of them could mislead. */
static int expected(void *parser, int major)
{
    static const int closers[] = { TK_SEMI, TK_RPAREN, TK_RBRACKET, TK_RBRACE };
    int want = 0;
    if (major != 0 && major != TK_SEMI && takes(parser, TK_IF)) return -1;
    for (size_t i = 0; i < sizeof closers / sizeof *closers; i++)
        if (takes(parser, closers[i])) {
            if (want) return 0;
            want = closers[i];
        }
    return want;
}
}
