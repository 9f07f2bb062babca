# cogen.mk - make rules for cogen, the .co -> .c translator.
#
# Include it from a GNU make Makefile, like the rules for re2c or lemon:
#
#     include /usr/local/share/cogen/cogen.mk
#     CFLAGS += $(shell pkg-config --cflags cogen)
#     LDLIBS += $(shell pkg-config --libs cogen)
#     prog: prog.o
#
# Then prog.co is translated to prog.c by `cogen prog.co -o prog.c` and
# compiled as any C file.  The .c is a build product, like a generated
# parser; its #line directives make compiler errors and gdb point at
# prog.co.  make treats a .c it chained through as intermediate and deletes
# it after the build; name it as a target or in .SECONDARY to keep it.
#
# COGEN is the translator to run (a cogen that is not on PATH, say);
# COGENFLAGS its options, e.g. COGENFLAGS = -Werror --no-line.  cogen
# reads the typedef names of the headers a .co includes, so it is given
# the -I, -isystem and -nostdinc options of CPPFLAGS too (joined or not:
# -Idir, -I dir).

COGEN ?= cogen
COGENFLAGS ?=
COGEN_INCLUDES = $(filter -I% -isystem% -nostdinc,$(subst -isystem ,-isystem,$(subst -I ,-I,$(strip $(CPPFLAGS)))))

%.c: %.co
	$(COGEN) $(COGEN_INCLUDES) $(COGENFLAGS) $< -o $@
