#!/usr/bin/env python3
"""tests/tools/linemap.py - checks the #line regions of C that cogen wrote.

    linemap.py FILE.co FILE.c [FILE.co FILE.c]...

Follows the #line directives of each FILE.c (one without a file name goes
on in the file named last) and checks each of its lines:
  - a line attributed to FILE.co is a line of it (never past its end), and
    what it holds comes from that line: each identifier of it is one of
    that line's, or generated (co_*, CO_*, NAME__*, the frame pointer, the
    C keywords and library names scaffolding uses, a local saved to its
    frame field or restored from it at a suspension point), unless it is the line
    of a coroutine's definition, which carries scaffolding written to
    standard output;
  - a line attributed to FILE.c is that very line (re2c's scheme: the
    generated file's own numbers);
  - no line is attributed to any other file;
  - what follows an #if, #else or #endif has a #line of its own (one in a
    branch the preprocessor skips is not seen).
Prints one line per mistake and exits 1 when there is one.
"""
import re
import sys

WORD = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
# String and character literals and comments say nothing about the line.
NOISE = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/|//.*')
# A directive that names no file goes on in the file named last.
DIRECTIVE = re.compile(r'#line (\d+)(?: "((?:\\.|[^"\\])*)")?$')
# The line of a coroutine's definition may carry any scaffolding.
HEAD = re.compile(r'\bgenerator\s*\(|\basync\b')
CONDITIONAL = re.compile(r'\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b')
# What scaffolding writes around user code.
VOCAB = set('''if else return switch case default break goto for do while struct
union static inline void int long unsigned char const sizeof memcpy memset
NULL EINVAL ETIMEDOUT size_t offsetof _Static_assert'''.split())


def generated(w, fps):
    return (w in VOCAB or w in fps or w.startswith('co_') or w.startswith('CO_')
            or '__' in w)


# A local the resume function keeps as a C local, saved to its frame field
# before a suspension point or restored after it, on the point's line.
SAVE = re.compile(r'\s*(?:(\w+)->\w+ = \w+|\w+ = (\w+)->\w+);$')
def words(text, fps=()):
    text = NOISE.sub(' ', text)
    m = SAVE.match(text)
    if m and (m.group(1) or m.group(2)) in fps:
        return set()
    for fp in fps:      # a moved local, named by the declaration
        text = re.sub(r'\b%s->\w+' % fp, ' ', text)
    return set(WORD.findall(text))


def check(co, c):
    co_lines = open(co, encoding='utf-8', errors='replace').read().split('\n')
    if co_lines and co_lines[-1] == '':
        co_lines.pop()
    out = open(c, encoding='utf-8', errors='replace').read().split('\n')
    if out and out[-1] == '':
        out.pop()
    # The frame pointers: `NAME__resume(struct NAME__frame *FP`.
    fps = set(re.findall(r'__resume\(struct \w+__frame \*(\w+)', '\n'.join(out)))
    bad = []
    file, line = c, 1
    for n, text in enumerate(out, 1):
        m = DIRECTIVE.match(text)
        if m:
            if m.group(2) is None and file is None:
                bad.append('%s:%d: #line names no file where the file is not known' % (c, n))
            file, line = m.group(2) or file, int(m.group(1))
            continue
        where = '%s:%d' % (c, n)
        if file is None:
            bad.append('%s: its line depends on which #if branches are taken' % where)
        elif CONDITIONAL.match(text):
            # A #line in a skipped branch is not seen: what follows a
            # conditional needs a #line of its own.
            file = None
        elif file == c:
            if line != n:
                bad.append('%s: attributed to line %d of the generated file itself' % (where, line))
        elif file == co:
            if line > len(co_lines):
                bad.append('%s: attributed to %s:%d, past its end (%d lines)'
                           % (where, co, line, len(co_lines)))
            elif not text.startswith('#') and not HEAD.search(co_lines[line - 1]):
                mine = words(co_lines[line - 1])
                alien = sorted(w for w in words(text, fps) - mine if not generated(w, fps))
                if alien:
                    bad.append('%s: attributed to %s:%d, but %s not on that line: %s'
                               % (where, co, line, ', '.join(alien), text.strip()[:100]))
        else:
            bad.append('%s: attributed to another file, %s' % (where, file))
        line += 1
    for b in bad[:20]:
        print('linemap: ' + b)
    return not bad


def main():
    args = sys.argv[1:]
    ok = [check(args[i], args[i + 1]) for i in range(0, len(args) - 1, 2)]
    return 0 if all(ok) else 1


if __name__ == '__main__':
    sys.exit(main())
