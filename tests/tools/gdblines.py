"""tests/tools/gdblines.py - run inside gdb: breakpoints and backtraces on
the lines of a .co file.

    CO=FILE.co C=FILE.c gdb -nx -batch -x gdblines.py PROGRAM

For every line L of FILE.co, `break FILE.co:L`: when gdb puts it on L, in
a resume function or on the head of a range-for, it must be one location
(a line inside a defer may have one per place the defer runs, all on L).  Then the program runs; at the first hit of each
breakpoint every frame of the backtrace must name a line of its file
(FILE.co or FILE.c), never one past its end.  Prints one line per mistake,
then `gdblines: N lines, N mistakes`.
"""
import os
import re

import gdb

co, c = os.environ['CO'], os.environ['C']


def nlines(path):
    with open(path, encoding='utf-8', errors='replace') as fp:
        text = fp.read()
    return text.count('\n') + (not text.endswith('\n'))    # a last line without one


def defer_lines(path):
    """Lines of defer statements: from `defer` to the `;` or `}` ending it."""
    out, depth, inside = set(), 0, False
    with open(path, encoding='utf-8', errors='replace') as fp:
        for n, text in enumerate(fp, 1):
            if re.search(r'\bdefer\b', text):
                inside = True
            if inside:
                out.add(n)
                depth += text.count('{') - text.count('}')
                if depth <= 0 and re.search(r'[;}]\s*(/\*.*\*/)?\s*$', text):
                    inside, depth = False, 0
    return out


def ours(b, text):
    """Is the line's code generated around coroutine code: in a generated
    function (NAME__resume...), in two functions, or the head of a
    range-for?  Elsewhere it is plain C, which gcc may well put at several
    places (two loops on one line)."""
    funcs = set(loc.function or '' for loc in b.locations)
    return (len(funcs) > 1 or any('__' in f for f in funcs)
            or re.search(r'\bfor\s*(await\s*)?\([^;]*[^:]:[^:]', text))


sizes = {os.path.basename(co): nlines(co), os.path.basename(c): nlines(c)}
with open(co, encoding='utf-8', errors='replace') as fp:
    texts = fp.read().split('\n')
defers = defer_lines(co)
mistakes = []
gdb.execute('set breakpoint pending off')
gdb.execute('set confirm off')
gdb.execute('set pagination off')

bps = []
for line in range(1, sizes[os.path.basename(co)] + 1):
    try:
        b = gdb.Breakpoint('%s:%d' % (co, line))
    except gdb.error:
        continue
    at = [loc.source[1] for loc in b.locations if loc.source]
    if line not in at:
        b.delete()      # no code on this line: gdb moved it to another
        continue
    if len(at) > 1 and ours(b, texts[line - 1]) and (line not in defers or set(at) != {line}):
        mistakes.append('%s:%d: break gives %d locations, at lines %s'
                        % (co, line, len(at), ', '.join(map(str, at))))
    bps.append(b)


def check_backtrace():
    f = gdb.newest_frame()
    while f is not None:
        sal = f.find_sal()
        if sal.symtab is not None:
            name = os.path.basename(sal.symtab.filename)
            if name in sizes and sal.line > sizes[name]:
                mistakes.append('backtrace: %s at %s:%d, past the end (%d lines)'
                                % (f.name(), name, sal.line, sizes[name]))
        f = f.older()


def running():
    inf = gdb.selected_inferior()
    return inf.pid != 0 and inf.threads()


gdb.execute('run >/dev/null 2>&1 </dev/null')
hits = 0
while running() and hits < 2000:
    hits += 1
    check_backtrace()
    for b in bps:
        if b.hit_count and b.enabled:
            b.enabled = False
    gdb.execute('continue')

for m in mistakes[:30]:
    print('gdblines: ' + m)
print('gdblines: %d lines, %d mistakes' % (len(bps), len(mistakes)))
