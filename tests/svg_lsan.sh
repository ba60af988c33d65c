#!/bin/sh
# The example shotlist's SVG pages (one file per page) under LeakSanitizer,
# as a user runs it, in TAP.  Only meaningful in a build configured with
# --enable-sanitizers (skipped otherwise): cairo 1.16's SVG backend keeps
# what it replays, and tests/lsan.supp forgives exactly that, matched with
# full unwinding (fast_unwind_on_malloc=0), so any other leak fails here.
srcdir=${VPM_TEST_SRCDIR:-.}
builddir=${VPM_TEST_BUILDDIR:-.}
v="$builddir/apps/vpmoire"
echo "1..1"
if ! ldd "$builddir/lib/.libs/libvpmoire.so.0" 2>/dev/null | grep -q libasan; then
	echo "ok 1 # SKIP not built with --enable-sanitizers"
	exit 0
fi
tmp=${TMPDIR:-/tmp}/vpm-svg-lsan.$$
mkdir "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1:fast_unwind_on_malloc=0 \
LSAN_OPTIONS=suppressions=$srcdir/tests/lsan.supp \
	"$v" shotlist "$srcdir/datasets/shotlist-example.csv" \
	--stage "$srcdir/datasets/stage-micro.stage" -o "$tmp/previs.pdf" \
	--format svg --outdir "$tmp/svg" >"$tmp/out" 2>"$tmp/err"
rc=$?
pages=$(ls "$tmp/svg" 2>/dev/null | grep -c '\.svg$')
if [ $rc -eq 0 ] && [ "$pages" -gt 0 ]; then
	echo "ok 1 - example shotlist, $pages SVG pages, no leak"
else
	grep -v '^[0-9A-Z]' "$tmp/err" | sed 's/^/# /' | head -60
	echo "not ok 1 - example shotlist as SVG pages (exit $rc, $pages pages)"
fi
