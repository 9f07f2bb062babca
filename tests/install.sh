#!/bin/sh
# tests/install.sh - what `make install` puts in place is enough to build
# a program the way a user would.
#
# Installs into a temporary DESTDIR with PREFIX=/usr, checks the file list
# and uninstall, then builds examples/thread_loop.co (threads: the flags
# must bring -pthread) with the installed cogen, the installed cogen.mk
# rule and `pkg-config --cflags --libs cogen` (PKG_CONFIG_SYSROOT_DIR
# points pkg-config into DESTDIR), runs it and compares its output with
# examples/thread_loop.out.  Skips (77) when pkg-config is missing.

cd "$(dirname "$0")/.." || exit 2
command -v pkg-config >/dev/null 2>&1 || { echo "pkg-config not found"; exit 77; }
ROOT=$(pwd)
W=$ROOT/build/tests/install.$$
D=$W/dest
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$W"; else echo "(work files kept in $W)"; fi; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$W/prog" || exit 2

fail() { echo "install: $*"; exit 1; }

make -s install PREFIX=/usr DESTDIR="$D" >"$W/install.log" 2>&1 ||
    { cat "$W/install.log"; fail "make install failed"; }
for f in bin/cogen lib/libcogen.a include/cogen.h include/cogen_impl.h \
         share/cogen/cogen.mk lib/pkgconfig/cogen.pc share/man/man1/cogen.1; do
    [ -f "$D/usr/$f" ] || fail "missing /usr/$f"
done

export PKG_CONFIG_PATH="$D/usr/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$D"
libs=$(pkg-config --libs cogen) || fail "pkg-config --libs cogen failed"
case " $libs " in
*" -pthread "*|*" -lpthread "*) ;;
*) fail "pkg-config --libs cogen gives '$libs': no -pthread" ;;
esac

cp examples/thread_loop.co "$W/prog/"
cat >"$W/prog/Makefile" <<EOF
include $D/usr/share/cogen/cogen.mk
COGEN = $D/usr/bin/cogen
CFLAGS = -std=c11 -Wall -Wextra -Werror \$(shell pkg-config --cflags cogen)
LDLIBS = \$(shell pkg-config --libs cogen)
thread_loop: thread_loop.o
EOF
make -s -C "$W/prog" thread_loop >"$W/build.log" 2>&1 ||
    { cat "$W/build.log"; fail "building thread_loop from the installed files failed"; }
"$W/prog/thread_loop" >"$W/out" 2>"$W/err" </dev/null ||
    { cat "$W/err"; fail "thread_loop failed"; }
cmp -s examples/thread_loop.out "$W/out" ||
    { diff examples/thread_loop.out "$W/out" | head; fail "thread_loop printed something else"; }

make -s uninstall PREFIX=/usr DESTDIR="$D" >"$W/uninstall.log" 2>&1 ||
    { cat "$W/uninstall.log"; fail "make uninstall failed"; }
left=$(find "$D" -type f | sed "s|^$D||")
[ -z "$left" ] || fail "files left after uninstall: $left"
echo "install: installed, built a threaded program with pkg-config and cogen.mk, uninstalled"
