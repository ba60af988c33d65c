#!/bin/sh
# The Python package (python/, issue 18) under pytest, on the just-built
# lib/.libs library and the source tree's catalogs, reported in TAP (the
# driver of every test here).  Skipped when configure's python3 lacks cffi,
# NumPy, pandas or pytest.
srcdir=${VPM_TEST_SRCDIR:-.}
builddir=${VPM_TEST_BUILDDIR:-.}
py=${VPM_TEST_PYTHON:-python3}
echo "1..1"
if [ "$py" = ":" ] || ! "$py" -c 'import cffi, numpy, pandas, pytest' >/dev/null 2>&1; then
	echo "ok 1 # SKIP $py lacks cffi, numpy, pandas or pytest (Debian: python3-cffi python3-numpy python3-pandas python3-pytest)"
	exit 0
fi
VPMOIRE_LIBRARY=$builddir/lib/.libs/libvpmoire.so.0
VPMOIRE_DATADIR=$srcdir/models
VPMOIRE_CATALOG_PATH=
PYTHONPATH=$srcdir/python${PYTHONPATH:+:$PYTHONPATH}
PYTHONDONTWRITEBYTECODE=1
export VPMOIRE_LIBRARY VPMOIRE_DATADIR VPMOIRE_CATALOG_PATH PYTHONPATH PYTHONDONTWRITEBYTECODE
# A library built with --enable-sanitizers needs the ASan runtime loaded
# first in a Python that is not instrumented itself; leak checking is left
# to the C tests (the interpreter keeps its own memory until exit).
asan=$(ldd "$VPMOIRE_LIBRARY" 2>/dev/null | sed -n 's/.*libasan[^ ]* => \([^ ]*\) .*/\1/p' | head -1)
if [ -n "$asan" ]; then
	LD_PRELOAD=$asan${LD_PRELOAD:+:$LD_PRELOAD}
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export LD_PRELOAD ASAN_OPTIONS
fi
out=$("$py" -m pytest -q -p no:cacheprovider "$srcdir/python/tests" 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
if [ $rc -eq 0 ]; then
	echo "ok 1 - pytest python/tests"
else
	echo "not ok 1 - pytest python/tests (exit $rc)"
fi
