/*
 * names.c - the names generated code uses: the frame pointer, a sub-frame,
 * a coroutine and what a form calls, the value a suspension point gives,
 * the linkage of frame functions, and a moved type's body.  Below the
 * emitter (out.c, emit.c, frame.c), which prints them; it calls nothing
 * of theirs.
 */
#include "cg.h"
#include "parser.h"

const char *emit_fp(Out *o) { return o->f && o->f->kind != F_PLAIN ? o->f->fp : ""; }

/* The frame of a sub-generator: a field of ours, or a local of the loop. */
const char *emit_sub(Out *o, Node *n)
{
    return n->flags & NF_HOIST ? cg_fmt(o->u, "%s->%s", emit_fp(o), n->field) : n->field;
}

const char *emit_name(Out *o, Func *f)
{
    const Token *t = &o->u->toks[f->name];
    return cg_strdup(o->u, o->u->src + t->off, t->len);
}

/* The call an await resumes: `NAME(args)`, or co_timeout's inner one. */
Node *emit_await_call(Node *n)
{
    Node *c = n->operand;
    while (c->kind == N_PAREN) c = c->operand;
    if (n->flags & NF_TIMEOUT) {
        c = c->args->next;
        while (c->kind == N_PAREN) c = c->operand;
    }
    return c;
}

/* The coroutine a range-for, yield-from or await calls. */
const char *emit_callee(Out *o, Node *n)
{
    if (n->kind == N_AWAIT && (n->flags & NF_SELECT)) return "co_sel";
    if (n->kind == N_AWAIT) {
        const Token *t = &o->u->toks[emit_await_call(n)->fn->first];
        return cg_strdup(o->u, o->u->src + t->off, t->len);
    }
    return emit_name(o, n->callee);
}

int emit_is_async(const Func *f) { return f && (f->kind == F_ASYNC || f->kind == F_ASYNC_GEN); }

/* Frame functions of a non-static async function or async generator are
 * external, so other files can embed its frame (through the header
 * --header writes); the C compiler still inlines them in their own file.
 * A static async generator's may go unused: no handle refers to them. */
const char *emit_linkage(const Func *f)
{
    if (emit_is_async(f) && !f->is_static) return "";
    return f->kind == F_ASYNC_GEN ? "static inline CO_UNUSED " : "static inline ";
}

int emit_has_type(Unit *u, const int r[2])
{
    return r[1] > r[0] && !(r[1] == r[0] + 1 && u->toks[r[0]].id == TK_VOID);
}

/* What a suspension point gives the statement it is in: the sent value of
 * a yield, the result of an await, the temporary of && and || and ?:. */
const char *emit_susp_value(Out *o, Node *y)
{
    if (y->kind == N_YIELD) return cg_fmt(o->u, "%s->%s", emit_fp(o), y->field ? y->field : "co_sent");
    if (y->kind == N_BINARY) return cg_fmt(o->u, "%s->%s", emit_fp(o), y->field);
    if (y->kind == N_COND) return y->field;
    if (y->flags & NF_HANDLE) return cg_fmt(o->u, "%s->co_r%d", emit_fp(o), y->state);
    if (y->flags & NF_SELECT) return cg_fmt(o->u, "%s.co_s.co_result", emit_sub(o, y));
    return cg_fmt(o->u, y->flags & NF_TIMEOUT ? "%s.co_to.co_result" : "%s.co_result", emit_sub(o, y));
}

/* The `{ … }` of a struct/union/enum body in a declaration's specifiers
 * whose type moved to file scope: [*lb, *rb], or 0 when there is none. */
int emit_moved_body(Unit *u, Node *d, int *lb, int *rb)
{
    if (!d || !(d->flags & NF_HOIST)) return 0;
    for (int i = d->spec[0]; i < d->spec[1]; i++)
        if (u->toks[i].id == TK_LBRACE) {
            int depth = 0;
            for (*lb = i; i < d->spec[1]; i++) {
                depth += u->toks[i].id == TK_LBRACE;
                if (u->toks[i].id == TK_RBRACE && --depth == 0) break;
            }
            *rb = i;
            return 1;
        }
    return 0;
}

