#!/bin/sh
# `make memcheck`: the main commands, small, under valgrind (memcheck).  Any
# invalid read or write, use of uninitialised memory, or leak (definite,
# indirect or possible) fails the run; still-reachable blocks (caches that
# fontconfig, cairo and libgomp keep until exit) are not leaks.  The only
# suppressions are in tests/valgrind.supp, each with its reason.
#
#   memcheck.sh SRCDIR        (from the build directory; LIBTOOL, VALGRIND set)
set -u

SRCDIR=${1:?usage: memcheck.sh SRCDIR}
VALGRIND=${VALGRIND:-valgrind}
LIBTOOL=${LIBTOOL:-./libtool}
command -v "$VALGRIND" >/dev/null 2>&1 ||
	{ echo "memcheck: valgrind not found: install the Debian package valgrind" >&2; exit 1; }
DATA=$SRCDIR/datasets
OUT=tests/memcheck
rm -rf "$OUT"
mkdir -p "$OUT"
export VPMOIRE_CATALOG_PATH=
# FFTW wisdom and fontconfig caches go under the scratch directory
export XDG_CACHE_HOME=$PWD/$OUT/cache
# OpenMP threads: two, and no spinning (valgrind serialises threads anyway)
export OMP_NUM_THREADS=2 OMP_WAIT_POLICY=passive

RIG="--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2"
n=0
failed=0

# run NAME EXPECTED-EXIT ARGS...: one command under valgrind
run() {
	name=$1 want=$2
	shift 2
	n=$((n + 1))
	# LIBTOOL is a command line ("/bin/bash ./libtool"): split it
	$LIBTOOL --mode=execute "$VALGRIND" -q --error-exitcode=99 --leak-check=full \
		--show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible \
		--track-origins=yes --num-callers=30 \
		--suppressions="$SRCDIR/tests/valgrind.supp" --log-file="$OUT/$name.vg" \
		apps/vpmoire "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"
	rc=$?
	if [ "$rc" -eq 99 ] || [ -s "$OUT/$name.vg" ]; then
		echo "FAIL memcheck $name: valgrind found errors:"
		head -60 "$OUT/$name.vg"
		failed=$((failed + 1))
	elif [ "$rc" -ne "$want" ]; then
		echo "FAIL memcheck $name: exit $rc, expected $want:"
		head -5 "$OUT/$name.err"
		failed=$((failed + 1))
	else
		echo "PASS memcheck $name"
	fi
}

# the commands as a crew uses them
run check 0 check $RIG --lens zeiss-cp3-28 --wall 2.524m --subject 1m --stop T2.8 --json
run check-text 0 check $RIG --lens zeiss-cp3-28 --wall 8.28ft --focus 1m --units ft
run catalog-list 0 catalog list panels
run catalog-show 0 catalog show "CP.3 28mm"
run chart 0 chart $RIG --series "ZEISS CP.3" --stop T2.8 --cells 12 -o "$OUT/chart.pdf"
run focus 0 focus $RIG --lens zeiss-cp3-28 --wall 2.524m --subject 1m --subject-depth 0.3m \
	--stop T2.8 --stop T4 --stop T5.6 -o "$OUT/focus.pdf"
run focus-infeasible 3 focus $RIG --lens zeiss-cp3-28 --wall 2.5m --subject 1m \
	--subject-depth 0.6m --stop T2.1 --stop T2.8 --units ft -o "$OUT/deep.pdf"
# the example's static shots (its moving shot, judged at hundreds of points
# along the move, takes minutes under valgrind: the move is checked by
# check-move below and by the sanitizer suite)
grep -v '^3G,' "$DATA/shotlist-example.csv" >"$OUT/static-shots.csv"
run shotlist 0 shotlist "$OUT/static-shots.csv" --stage "$DATA/stage-micro.stage" \
	-o "$OUT/previs.pdf"
run check-move 0 check $RIG --lens zeiss-cp3-28 --stop T2.8 --wall 5m --subject 4m \
	--wall-to 3m --json
run stage 0 stage "$DATA/stage-micro.stage" --json -o "$OUT/stage.pdf"
grep -E '^(Shot|1A|1C),' "$DATA/shotlist-example.csv" >"$OUT/stage-shots.csv"
run stage-design 0 stage "$DATA/stage-micro.stage" --shotlist "$OUT/stage-shots.csv"
run sweep 0 sweep --panels aoto-rm1.5,roe-bp2v2 --cameras bmd-ursa-mini-pro-4.6k-g2 \
	--lenses zeiss-cp3-28 --stop T2.8,T4 --wall 2m:4m:0.5m -j 2 -o "$OUT/sweep.csv"
run sweep-shard1 0 sweep --panels aoto-rm1.5,roe-bp2v2 --cameras bmd-ursa-mini-pro-4.6k-g2 \
	--lenses zeiss-cp3-28 --stop T2.8,T4 --wall 2m:4m:0.5m --shard 0/2 -o "$OUT/s1.csv"
run sweep-shard2 0 sweep --panels aoto-rm1.5,roe-bp2v2 --cameras bmd-ursa-mini-pro-4.6k-g2 \
	--lenses zeiss-cp3-28 --stop T2.8,T4 --wall 2m:4m:0.5m --shard 1/2 -o "$OUT/s2.csv"
run merge 0 merge -o "$OUT/merged.csv" "$OUT/s2.csv" "$OUT/s1.csv"
run scan 0 scan --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --readout 15 \
	--symptom dark-bands --table "$OUT/scan.pdf"
run scan-bad 2 scan --refresh 3840 --readout 15 --rows 2160 --shutter 400
run simulate 0 simulate $RIG --lens zeiss-cp3-28 --wall 5m --focus 3.5m --patch 32 \
	--planner estimate --threads 2 --outdir "$OUT/sim"

# error paths free what they allocated too
run bad-flag 2 check $RIG --lens zeiss-cp3-28 --wall 1e308m --focus 1m
run bad-name 2 check --panel aoto-rm1.6 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 \
	--wall 3m --focus 1m
printf 'name,pitch_mm,emitter_mm\np1,2.5,0.2\np2,abc,0.2\n' >"$OUT/bad-catalog.csv"
run bad-catalog 2 catalog list panels --catalog "$OUT/bad-catalog.csv"
printf 'shot,lens,stop,camera distance\n1,zeiss-cp3-28,T2.8,3m\n2,zeiss-cp3-28,T99,3m\n' >"$OUT/bad-shots.csv"
run bad-shotlist 2 shotlist "$OUT/bad-shots.csv" --stage "$DATA/stage-micro.stage" \
	--camera bmd-ursa-mini-pro-4.6k-g2 -o "$OUT/bad.pdf"
run bad-stage 2 stage "$DATA/stage-micro.stage" --bits 9
run bad-study 2 sweep --panels all --cameras nope --lenses zeiss-cp3-28 --wall 2m --count
run unwritable 1 shotlist "$DATA/shotlist-example.csv" --stage "$DATA/stage-micro.stage" \
	-o "$OUT/bad-catalog.csv/previs.pdf"

echo "memcheck: $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
