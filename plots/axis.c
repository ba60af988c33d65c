/* Axis ticks: nice 1-2-5 steps, log decades, secondary scales (feet on a
 * metre axis), tick label text. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "plot_private.h"

/* Relative slack when deciding whether a tick lies on a range end, so that
 * 8.2 / 0.2 = 40.99999… still counts 8.2. */
#define TICK_EPS 1e-9

/* m × 10^k computed as an exact decimal would be rounded (0.3, not
 * 0.30000000000000004). */
static double decimal(double m, int k)
{
	return k >= 0 ? m * pow(10.0, k) : m / pow(10.0, -k);
}

/* The i-th multiple of the step m × 10^k, rounded the same way. */
static double multiple(long i, double m, int k)
{
	return decimal((double)i * m, k);
}

static long first_index(double lo, double s)
{
	return (long)ceil(lo / s - TICK_EPS);
}

static long last_index(double hi, double s)
{
	return (long)floor(hi / s + TICK_EPS);
}

vpm_status_t vpm_axis_nice_ticks(double lo, double hi, int target, double *ticks, int max, int *n,
				 double *step)
{
	static const double mant[3] = { 1.0, 2.0, 5.0 };
	double best_s = 0.0, best_m = 1.0;
	int best_k = 0, best_score = -1, e, k, j;
	long i, i0, i1;

	if (!isfinite(lo) || !isfinite(hi) || lo == hi)
		return vpm_error_set(VPM_EINVAL, "ticks: range [%g, %g] is empty or not finite", lo,
				     hi);
	if (target < 1 || max < 0 || (max > 0 && !ticks))
		return vpm_error_set(VPM_EINVAL, "ticks: target %d or buffer invalid", target);
	if (lo > hi) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	e = (int)floor(log10((hi - lo) / target));
	for (k = e - 1; k <= e + 1; k++) {
		for (j = 0; j < 3; j++) {
			double s = decimal(mant[j], k);
			long cnt = last_index(hi, s) - first_index(lo, s) + 1;
			int score = (int)labs(cnt - target);

			/* Steps grow through the loops, so "<=" prefers the
			 * larger step on a tie. */
			if (cnt >= 1 && (best_score < 0 || score <= best_score)) {
				best_score = score;
				best_s = s;
				best_m = mant[j];
				best_k = k;
			}
		}
	}
	if (best_score < 0)
		return vpm_error_set(VPM_EINTERNAL, "ticks: no step for [%g, %g]", lo, hi);
	i0 = first_index(lo, best_s);
	i1 = last_index(hi, best_s);
	if (i1 - i0 + 1 > max)
		return vpm_error_set(VPM_ERANGE, "ticks: %ld ticks do not fit in %d", i1 - i0 + 1,
				     max);
	for (i = i0; i <= i1; i++)
		ticks[i - i0] = multiple(i, best_m, best_k);
	if (n)
		*n = (int)(i1 - i0 + 1);
	if (step)
		*step = best_s;
	return VPM_OK;
}

vpm_status_t vpm_axis_log_ticks(double lo, double hi, double *ticks, int max, int *n)
{
	static const double mant[3] = { 1.0, 2.0, 5.0 };
	int k, k0, k1, j, cnt = 0, stride;
	double decades;

	if (!isfinite(lo) || !isfinite(hi) || !(lo > 0.0) || !(hi > lo))
		return vpm_error_set(VPM_EINVAL,
				     "log ticks: range [%g, %g] must satisfy 0 < lo < hi", lo, hi);
	if (max < 0 || (max > 0 && !ticks))
		return vpm_error_set(VPM_EINVAL, "log ticks: buffer invalid");
	decades = log10(hi) - log10(lo);
	k0 = (int)floor(log10(lo));
	k1 = (int)ceil(log10(hi));
	stride = decades <= 3.0 ? 1 : (int)ceil(decades / 8.0);
	for (k = k0; k <= k1; k++) {
		for (j = 0; j < 3; j++) {
			double v = decimal(mant[j], k);

			if (decades > 3.0 && (j > 0 || (k % stride) != 0))
				continue;
			if (v < lo * (1.0 - TICK_EPS) || v > hi * (1.0 + TICK_EPS))
				continue;
			if (cnt >= max)
				return vpm_error_set(VPM_ERANGE, "log ticks: more than %d ticks",
						     max);
			ticks[cnt++] = v;
		}
	}
	/* Less than a decade may hold a single 1-2-5 value: use linear ticks. */
	if (cnt < 2)
		return vpm_axis_nice_ticks(lo, hi, 5, ticks, max, n, NULL);
	if (n)
		*n = cnt;
	return VPM_OK;
}

vpm_status_t vpm_axis_secondary_ticks(double lo, double hi, double factor, int target, int whole,
				      double *primary, double *secondary, int max, int *n)
{
	double buf[256], s;
	int cnt, i;
	vpm_status_t st;

	if (!isfinite(factor) || !(factor > 0.0))
		return vpm_error_set(VPM_EINVAL, "secondary ticks: factor %g must be > 0", factor);
	if (max < 0 || max > 256)
		return vpm_error_set(VPM_EINVAL, "secondary ticks: max %d not in 0..256", max);
	st = vpm_axis_nice_ticks(lo * factor, hi * factor, target, buf, 256, &cnt, &s);
	if (st != VPM_OK)
		return st;
	if (whole && s < 1.0) {
		double a = fmin(lo, hi) * factor, b = fmax(lo, hi) * factor;
		long i0 = first_index(a, 1.0), i1 = last_index(b, 1.0);

		if (i1 - i0 + 1 > 256)
			return vpm_error_set(VPM_ERANGE, "secondary ticks: too many");
		for (cnt = 0; i0 + cnt <= i1; cnt++)
			buf[cnt] = (double)(i0 + cnt);
	}
	if (cnt > max)
		return vpm_error_set(VPM_ERANGE, "secondary ticks: %d ticks do not fit in %d", cnt,
				     max);
	for (i = 0; i < cnt; i++) {
		if (primary)
			primary[i] = buf[i] / factor;
		if (secondary)
			secondary[i] = buf[i];
	}
	if (n)
		*n = cnt;
	return VPM_OK;
}

char *vpm_axis_format(double v, double step, char *buf, size_t size)
{
	if (!buf || size == 0)
		return buf;
	if (step > 0.0 && isfinite(step)) {
		int dec = (int)-floor(log10(step) + TICK_EPS);

		if (dec < 0)
			dec = 0;
		if (dec > 12)
			dec = 12;
		if (fabs(v) < step * 1e-6)
			v = 0.0;
		snprintf(buf, size, "%.*f", dec, v);
	} else {
		if (v == 0.0)
			v = 0.0; /* -0 → 0 */
		snprintf(buf, size, "%g", v);
	}
	return buf;
}

vpm_axis_t vpm_axis_default(double min, double max, const char *title)
{
	vpm_axis_t a;

	a.min = min;
	a.max = max;
	a.scale = VPM_AXIS_LINEAR;
	a.title = title;
	a.target_ticks = 6;
	a.ticks = NULL;
	a.nticks = 0;
	a.grid = 1;
	a.secondary_factor = 0.0;
	a.secondary_title = NULL;
	a.secondary_whole = 1;
	a.hidden = 0;
	a.tick_labels = NULL;
	return a;
}
