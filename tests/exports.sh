#!/bin/sh
# libvpmoire.so exports exactly its public API (issue 13), in TAP.
#
# The public API is the functions declared in the installed headers
# (lib/vpmoire/*.h, all included by vpmoire.h).  lib/libvpmoire.sym lists
# them for the linker (-export-symbols in Makefile.am).  This test fails when
#   1. the built library exports a symbol that is not in the list (a private
#      function leaking, or the export list no longer applied),
#   2. a listed symbol is not exported (a public function lost), or
#   3. the list and the headers disagree (a public function added to a
#      header but not to the list, or the list naming something private).
srcdir=${VPM_TEST_SRCDIR:-.}
builddir=${VPM_TEST_BUILDDIR:-.}
cc=${VPM_TEST_CC:-cc}
so=$builddir/lib/.libs/libvpmoire.so
list=$srcdir/lib/libvpmoire.sym

echo "1..3"
if ! command -v nm >/dev/null 2>&1; then
	for i in 1 2 3; do echo "ok $i # SKIP nm (binutils) not installed"; done
	exit 0
fi
if [ ! -f "$so" ]; then
	for i in 1 2 3; do echo "ok $i # SKIP no shared library (built with --disable-shared?)"; done
	exit 0
fi
tmp=${TMPDIR:-/tmp}/vpm-exports.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

# defined dynamic symbols, names only, without a version suffix
nm -D --defined-only "$so" | awk 'NF >= 3 { sub(/@.*/, "", $3); print $3 }' | sort -u >"$tmp/exported"
sort -u "$list" >"$tmp/listed"
# the functions the public headers declare: preprocessed (no comments), a
# name followed by "(", not a type (function-pointer typedefs end in _t)
echo '#include "vpmoire/vpmoire.h"' | $cc -E -P -I"$srcdir/lib" -x c - 2>"$tmp/cpp.err" |
	grep -oE '\bvpm_[a-z0-9_]+[[:space:]]*\(' | sed 's/[[:space:]]*($//' | grep -v '_t$' |
	sort -u >"$tmp/declared"

report() { # n, description, file of offending names
	if [ -s "$3" ]; then
		echo "not ok $1 - $2:"
		sed 's/^/#   /' "$3"
		status=1
	else
		echo "ok $1 - $2"
	fi
}
status=0
comm -23 "$tmp/exported" "$tmp/listed" >"$tmp/leaked"
report 1 "libvpmoire.so exports only the listed public API (lib/libvpmoire.sym)" "$tmp/leaked"
comm -13 "$tmp/exported" "$tmp/listed" >"$tmp/missing"
report 2 "every listed symbol is exported" "$tmp/missing"
if [ ! -s "$tmp/declared" ]; then
	echo "not ok 3 - could not read the public headers with $cc -E:"
	sed 's/^/#   /' "$tmp/cpp.err"
	status=1
else
	{
		comm -23 "$tmp/declared" "$tmp/listed" | sed 's/$/ (declared in a header, not in the list)/'
		comm -13 "$tmp/declared" "$tmp/listed" | sed 's/$/ (listed, declared in no public header)/'
	} >"$tmp/disagree"
	report 3 "the list is exactly the functions of lib/vpmoire/*.h" "$tmp/disagree"
fi
exit $status
