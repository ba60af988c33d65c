/* The exposure budget (see vpmoire/exposure.h and doc/model.md). */
#include <config.h>

#include <math.h>
#include <stdio.h>

#include "error.h"
#include "vpmoire/exposure.h"

vpm_exposure_t vpm_exposure_default(void)
{
	vpm_exposure_t e;

	e.wall_nits = 0.0;
	e.brightness = 1.0;
	e.key = VPM_EXPOSURE_KEY;
	e.ei = 800.0;
	e.shutter_s = 1.0 / 48.0;
	e.nd_stops = 0.0;
	e.lit_by = VPM_LIT_BY_LIGHTS;
	e.max_stop = 0.0;
	return e;
}

static vpm_status_t range(const char *flag, const char *what, double v, double lo, double hi)
{
	if (isnan(v))
		return vpm_error(VPM_EINVAL, "%s: %s is not a number", flag, what);
	if (!(v >= lo && v <= hi))
		return vpm_error(VPM_ERANGE, "%s: %s %g is outside [%g, %g]", flag, what, v, lo,
				 hi);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_exposure_validate, (const vpm_exposure_t *e), (e))
{
	vpm_status_t st;

	if (e == NULL)
		return vpm_error(VPM_EINVAL, "exposure: NULL argument");
	if (e->wall_nits != 0.0 &&
	    (st = range("--wall-nits", "wall peak luminance (cd/m2)", e->wall_nits, 1.0, 1e5)))
		return st;
	if ((st = range("--brightness", "brightness", e->brightness, 1e-4, 1.0)) ||
	    (st = range("--key", "content mid-grey", e->key, 1e-4, 1.0)) ||
	    (st = range("--ei", "exposure index", e->ei, 25.0, 102400.0)) ||
	    (st = range("--shutter", "exposure time (s)", e->shutter_s, 1e-5, 1.0)) ||
	    (st = range("--nd", "ND (stops)", e->nd_stops, 0.0, 20.0)))
		return st;
	if (e->lit_by != VPM_LIT_BY_LIGHTS && e->lit_by != VPM_LIT_BY_WALL)
		return vpm_error(VPM_EINVAL, "--lit-by: unknown lighting (%d)", (int)e->lit_by);
	if (e->max_stop != 0.0 && (st = range("--max-stop", "stop", e->max_stop, 0.5, 128.0)))
		return st;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_exposure_max_stop, (const vpm_exposure_t *e, double *t_stop), (e, t_stop))
{
	vpm_status_t st;
	double peak, L, nd, t2;

	if (t_stop == NULL)
		return vpm_error(VPM_EINVAL, "exposure: NULL argument");
	if ((st = vpm_exposure_validate(e)) != VPM_OK)
		return st;
	if (e->max_stop > 0.0) {
		*t_stop = e->max_stop;
		return VPM_OK;
	}
	peak = e->wall_nits > 0.0 ? e->wall_nits : VPM_EXPOSURE_WALL_NITS;
	L = e->key * e->brightness * peak;
	nd = pow(2.0, e->nd_stops);
	t2 = L * e->ei * e->shutter_s / (VPM_EXPOSURE_K * nd);
	if (e->lit_by == VPM_LIT_BY_WALL)
		t2 = fmin(t2, M_PI * L * e->ei * e->shutter_s / (VPM_EXPOSURE_C * nd));
	*t_stop = sqrt(t2);
	return VPM_OK;
}

int vpm_exposure_describe(const vpm_exposure_t *e, char *buf, size_t n)
{
	double t;

	if (vpm_exposure_max_stop(e, &t) != VPM_OK)
		return snprintf(buf, n, "exposure budget: invalid");
	if (e->max_stop > 0.0)
		return snprintf(buf, n, "T%.3g at most (--max-stop)", t);
	return snprintf(buf, n,
			"T%.3g at most: wall %.4g cd/m2%s at %.0f%%, content mid-grey %.0f%%, EI "
			"%.0f, 1/%.0f s, ND %.3g stops%s",
			t, e->wall_nits > 0.0 ? e->wall_nits : VPM_EXPOSURE_WALL_NITS,
			e->wall_nits > 0.0 ? "" : " (assumed)", 100.0 * e->brightness,
			100.0 * e->key, e->ei, 1.0 / e->shutter_s, e->nd_stops,
			e->lit_by == VPM_LIT_BY_WALL ? ", subject lit by the wall" : "");
}
