#!/bin/sh
# Build and run the libFuzzer targets (tests/fuzz/README.md).  Called by
# `make fuzz` and `make fuzz-smoke`; runs from the build directory.
#
#   fuzz.sh build TARGET...          compile lib/*.c and each target with clang
#   fuzz.sh smoke SECONDS TARGET...  replay the regressions, then fuzz each
#                                    target SECONDS from its seed corpus
#   fuzz.sh run TARGET SECONDS [LIBFUZZER-FLAG...]  one long run (keeps its
#                                    corpus in tests/fuzz/work/TARGET)
#
# Environment: SRCDIR (the source tree), FUZZ_CC (clang), PKG_CFLAGS and
# PKG_LIBS (FFTW, libpng, libtiff, GSL, MPI as configured).
set -eu

SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
FUZZ_CC=${FUZZ_CC:-clang}
PKG_CFLAGS=${PKG_CFLAGS:-}
PKG_LIBS=${PKG_LIBS:--lfftw3 -lpng -ltiff -lgsl -lgslcblas -lm}
OUT=tests/fuzz
OBJ=$OUT/obj
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CFLAGS="-g -O1 -std=c11 -D_XOPEN_SOURCE=700 -Wall -Wextra -Wno-unused-parameter \
-Wno-unknown-pragmas -Wno-source-uses-openmp $SAN \
-I. -I$SRCDIR/lib -I$SRCDIR/apps -I$SRCDIR/plots \
-DVPM_SRC_MODELS=\"$SRCDIR/models\" -DVPM_SRC_DATASETS=\"$SRCDIR/datasets\" \
-DVPM_DATADIR=\"$SRCDIR/models\" -DVPM_BUILDDIR=\"$(pwd)\""

# libFuzzer flags per target: longest input, and a dictionary when there is one.
max_len() {
	case $1 in
	units) echo 128 ;;
	png) echo 16384 ;;
	*) echo 8192 ;;
	esac
}

flags_for() {
	f="-max_len=$(max_len "$1") -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3"
	if [ -f "$SRCDIR/tests/fuzz/$1.dict" ]; then
		f="$f -dict=$SRCDIR/tests/fuzz/$1.dict"
	fi
	echo "$f"
}

cc() { # cc OUT SRC [extra flags]   (plain sh: no locals, so _cc_ names)
	_cc_o=$1 _cc_s=$2
	shift 2
	if [ ! -f "$_cc_o" ] || [ "$_cc_s" -nt "$_cc_o" ] || [ "$OBJ/.headers" -nt "$_cc_o" ]; then
		echo "  CLANG    $_cc_o"
		# shellcheck disable=SC2086
		$FUZZ_CC $CFLAGS $PKG_CFLAGS "$@" -c "$_cc_s" -o "$_cc_o"
	fi
}

build() {
	command -v "$FUZZ_CC" >/dev/null 2>&1 || {
		echo "fuzz.sh: $FUZZ_CC not found: install the Debian packages clang and libclang-rt-14-dev" >&2
		exit 1
	}
	mkdir -p "$OBJ"
	# every header change rebuilds everything (simple and safe)
	newest=$(ls -t "$SRCDIR"/lib/vpmoire/*.h "$SRCDIR"/lib/*.h "$SRCDIR"/apps/*.h \
		"$SRCDIR"/tests/fuzz/*.h config.h 2>/dev/null | head -1)
	if [ ! -f "$OBJ/.headers" ] || [ "$newest" -nt "$OBJ/.headers" ]; then
		rm -f "$OBJ"/*.o
		touch "$OBJ/.headers"
	fi
	libobjs=
	for s in "$SRCDIR"/lib/*.c; do
		o=$OBJ/lib-$(basename "$s" .c).o
		cc "$o" "$s" -fsanitize=fuzzer-no-link
		libobjs="$libobjs $o"
	done
	for t in "$@"; do
		extra=
		if [ "$t" = study ]; then
			# the study reader lives in the sweep command
			for a in cli cmd_sweep; do
				cc "$OBJ/app-$a.o" "$SRCDIR/apps/$a.c" -fsanitize=fuzzer-no-link
				extra="$extra $OBJ/app-$a.o"
			done
		fi
		cc "$OBJ/fuzz_$t.o" "$SRCDIR/tests/fuzz/fuzz_$t.c" -fsanitize=fuzzer-no-link
		echo "  CLANGLD  $OUT/fuzz_$t"
		# shellcheck disable=SC2086
		$FUZZ_CC $SAN -fsanitize=fuzzer "$OBJ/fuzz_$t.o" $extra $libobjs $PKG_LIBS -lm \
			-o "$OUT/fuzz_$t"
	done
}

# Replay every saved finding of a target: each must now pass.
replay() {
	t=$1
	dir=$SRCDIR/tests/fuzz/regressions/$t
	[ -d "$dir" ] || return 0
	files=$(find "$dir" -type f ! -name '*.md' | sort)
	[ -n "$files" ] || return 0
	# shellcheck disable=SC2086
	"$OUT/fuzz_$t" -runs=1 -timeout=10 -rss_limit_mb=2048 -close_fd_mask=3 $files \
		>"$OUT/replay-$t.log" 2>&1 || {
		tail -40 "$OUT/replay-$t.log" >&2
		echo "fuzz.sh: $t: a saved regression input fails again" >&2
		return 1
	}
	echo "fuzz $t: $(echo "$files" | wc -l) regression inputs pass"
}

# Fuzz one target for $2 seconds in a scratch corpus seeded from the source tree.
run() {
	t=$1 secs=$2
	shift 2
	work=$OUT/work/$t
	art=$OUT/artifacts/$t
	mkdir -p "$work" "$art"
	# shellcheck disable=SC2046,SC2086
	"$OUT/fuzz_$t" $(flags_for "$t") -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$art/" "$@" "$work" "$SRCDIR/tests/fuzz/corpus/$t" \
		>"$OUT/run-$t.log" 2>&1 || {
		tail -60 "$OUT/run-$t.log" >&2
		echo "fuzz.sh: $t: FINDING (input saved under $art/; log $OUT/run-$t.log)" >&2
		return 1
	}
	echo "fuzz $t: $secs s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/run-$t.log" |
		grep -o '[0-9]*$') runs, $(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$OUT/run-$t.log" |
		tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+'), no finding"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
build) build "$@" ;;
smoke)
	secs=$1
	shift
	status=0
	for t in "$@"; do
		replay "$t" || status=1
		run "$t" "$secs" || status=1
	done
	exit $status
	;;
run)
	t=$1 secs=$2
	shift 2
	replay "$t"
	run "$t" "$secs" "$@"
	;;
*)
	echo "usage: fuzz.sh build TARGET... | smoke SECONDS TARGET... | run TARGET SECONDS [FLAGS]" >&2
	exit 2
	;;
esac
