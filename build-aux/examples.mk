# examples.mk - translate, build and run examples/*.co as a user's project
# would: through cogen.mk.  `make examples` runs it inside build/examples:
#
#     make -C build/examples -f ../../build-aux/examples.mk
#
# Each examples/NAME.co becomes build/examples/NAME.c and the program
# build/examples/NAME, which is run and its output shown.  Whether the output
# is right (examples/NAME.out) is checked by `make check`, not here.

top = ../..
COGEN = $(top)/build/cogen
include $(top)/cogen.mk

CC ?= cc
CFLAGS ?= -O2 -g
WARN = -std=c11 -Wall -Wextra -Werror
LIB = $(top)/build/libcogen.a
# An example that hangs must not hang the build.
TIMEOUT ?= timeout 60

# The .co files are found in the source tree; what is made from them is
# made here.
vpath %.co $(top)/examples

NAMES = $(basename $(notdir $(wildcard $(top)/examples/*.co)))

.SUFFIXES:
.DELETE_ON_ERROR:
.PHONY: run

run: $(NAMES)
	@fail=0; \
	for n in $(NAMES); do \
		echo "== $$n"; \
		$(TIMEOUT) ./$$n || { echo "$$n: exit status $$?"; fail=1; }; \
	done; \
	exit $$fail

# A new translator regenerates every example.
$(NAMES:=.c): $(COGEN)

$(NAMES): %: %.c $(LIB) $(top)/runtime/cogen.h $(top)/runtime/cogen_impl.h
	$(CC) $(CFLAGS) $(WARN) -I$(top)/runtime -o $@ $< $(LIB) -pthread
