#!/bin/sh
# make bench: set-ups per second of `vpmoire sweep` on one core and on all
# cores for the example study (datasets/study-micro-stage.args), and the
# scaling efficiency.  Targets (issue 7): at least 10,000 set-ups/s per core
# and at least 1.8x on 2 cores.
#
# The study runs on a 20x finer wall grid (--wall 1.8m:6.1m:0.0025m, 77,445
# set-ups) so that each run lasts long enough to time, writing to /dev/null.
# The rate is the one the sweep reports itself (evaluation, formatting and
# writing; not the program's start-up), the best of three runs.
#
#   sh tests/sweep-bench.sh apps/vpmoire datasets/study-micro-stage.args
set -eu
vp=${1:-apps/vpmoire}
study=${2:-datasets/study-micro-stage.args}
cores=$(nproc 2>/dev/null || echo 1)
fine="--wall 1.8m:6.1m:0.0025m"
n=$("$vp" sweep "@$study" $fine --count | sed -n 's/^set-ups: \([0-9]*\).*/\1/p')
[ -n "$n" ] || { echo "bench: cannot count the study's set-ups" >&2; exit 1; }

# rate JOBS -> the best set-ups/s of three runs
rate() {
	best=0
	for run in 1 2 3; do
		r=$("$vp" sweep "@$study" $fine --jobs "$1" -o /dev/null 2>&1 >/dev/null |
			sed -n 's/.*(\([0-9]*\) set-ups\/s.*/\1/p')
		[ -n "$r" ] || { echo "bench: the sweep failed" >&2; exit 1; }
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "$best"
}

echo "bench sweep: $study with $fine: $n set-ups per run, $cores cores"
r1=$(rate 1)
echo "  1 core:   $r1 set-ups/s (target >= 10000 per core)"
if [ "$cores" -ge 2 ]; then
	r2=$(rate 2)
	awk -v a="$r1" -v b="$r2" 'BEGIN { printf "  2 cores:  %d set-ups/s = %.2fx one core, efficiency %.0f%% (target >= 1.8x)\n", b, b / a, 50 * b / a }'
fi
if [ "$cores" -gt 2 ]; then
	rn=$(rate "$cores")
	awk -v a="$r1" -v b="$rn" -v c="$cores" 'BEGIN { printf "  %d cores: %d set-ups/s = %.2fx one core, efficiency %.0f%%\n", c, b, b / a, 100 * b / a / c }'
fi
