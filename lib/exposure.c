/* The exposure budget (see vpmoire/exposure.h and doc/model.md). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "nameset.h"
#include "vpmoire/exposure.h"
#include "vpmoire/units.h"

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

/* The budget's numbers: each one's flag, grammar and range (the one range
 * the flag is parsed into and vpm_exposure_validate() holds). */
typedef enum {
	X_NUMBER,   /* vpm_units_parse_interval() over the range */
	X_FRACTION, /* vpm_units_parse_fraction(): 0.4 or 40% */
	X_SHUTTER,  /* vpm_units_parse_shutter(): 1/48, 0.0208, 180deg@24 */
	X_DENSITY,  /* an optical density over the range, stored in stops */
	X_STOP	    /* vpm_units_parse_stop(): 2.8, T2.8, f/2.8 */
} xkind_t;

/* An optical density per stop: density 0.3 (a factor of 2) is one stop;
 * a density d is d / DENSITY_PER_STOP stops. */
#define DENSITY_PER_STOP log10(2.0)

static const struct {
	const char *flag, *what;
	size_t offset;
	xkind_t kind;
	double lo, hi; /* in the flag's unit (X_DENSITY: density) */
	int zero_is_none;
} xfields[] = {
	/* 1 cd/m2 is far below any LED wall's peak; 100000 above the
	 * brightest (outdoor panels reach about 10000) */
	{ "wall-nits", "wall peak luminance (cd/m2)", offsetof(vpm_exposure_t, wall_nits), X_NUMBER,
	  1.0, 1e5, 1 },
	/* a fraction of peak; 1/10000 bounds typos, not a processor */
	{ "brightness", "brightness", offsetof(vpm_exposure_t, brightness), X_FRACTION, 1e-4, 1.0,
	  0 },
	{ NULL, "content mid-grey", offsetof(vpm_exposure_t, key), X_NUMBER, 1e-4, 1.0, 0 },
	/* EI 25 to 102400: beyond the EI settings of cinema cameras (ALEXA
	 * 160-3200) on both sides */
	{ "ei", "exposure index", offsetof(vpm_exposure_t, ei), X_NUMBER, 25.0, 102400.0, 0 },
	/* vpm_units_parse_shutter()'s: 1/100000 s to 1 s */
	{ "shutter", "exposure time (s)", offsetof(vpm_exposure_t, shutter_s), X_SHUTTER, 1e-5, 1.0,
	  0 },
	/* ND 6.0 (about 20 stops) is about the densest ND glass sold
	 * (long-exposure and solar filters) */
	{ "nd", "ND density", offsetof(vpm_exposure_t, nd_stops), X_DENSITY, 0.0, 6.0, 0 },
	/* the stop's range (lib/setupfield.c, vpm_units_parse_stop()) */
	{ "max-stop", "stop", offsetof(vpm_exposure_t, max_stop), X_STOP, 0.5, 128.0, 1 },
};
#define N_XFIELDS (sizeof xfields / sizeof xfields[0])

/* vpm_lit_by_t's names, in its order */
static const char *const lit_by_names[] = { "lights", "wall" };

/* Field i's value `v` as vpm_exposure_t holds it against its range (a
 * density's bounds turned into stops as the flag's value is). */
static vpm_status_t check(size_t i, double v)
{
	const char *flag = xfields[i].flag ? xfields[i].flag : "key";
	double per = xfields[i].kind == X_DENSITY ? DENSITY_PER_STOP : 1.0;

	if (isnan(v))
		return vpm_error(VPM_EINVAL, "--%s: %s is not a number", flag, xfields[i].what);
	if (xfields[i].zero_is_none && v == 0.0)
		return VPM_OK;
	if (!(v >= xfields[i].lo / per && v <= xfields[i].hi / per))
		return vpm_error(VPM_ERANGE, "--%s: %s %g is outside [%g, %g]", flag,
				 xfields[i].what, v * per, xfields[i].lo, xfields[i].hi);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_exposure_validate, (const vpm_exposure_t *e), (e))
{
	vpm_status_t st;

	if (e == NULL)
		return vpm_error(VPM_EINVAL, "exposure: NULL argument");
	for (size_t i = 0; i < N_XFIELDS; i++) {
		double v = *(const double *)(const void *)((const char *)e + xfields[i].offset);

		if ((st = check(i, v)) != VPM_OK)
			return st;
	}
	if (e->lit_by != VPM_LIT_BY_LIGHTS && e->lit_by != VPM_LIT_BY_WALL)
		return vpm_error(VPM_EINVAL, "--lit-by: unknown lighting (%d)", (int)e->lit_by);
	return VPM_OK;
}

int vpm_exposure_flag_known(const char *flag)
{
	if (flag == NULL)
		return 0;
	for (size_t i = 0; i < N_XFIELDS; i++)
		if (xfields[i].flag && strcmp(xfields[i].flag, flag) == 0)
			return 1;
	return strcmp(flag, "lit-by") == 0;
}

VPM_STATUS_FN(vpm_exposure_flag_parse, (const char *flag, const char *arg, vpm_exposure_t *e),
	      (flag, arg, e))
{
	vpm_status_t st = VPM_OK;
	double v = 0.0;
	size_t i;

	if (flag == NULL || e == NULL)
		return vpm_error(VPM_EINVAL, "no exposure flag");
	if (strcmp(flag, "lit-by") == 0) {
		int k = vpm_name_index(arg, lit_by_names, 2);
		char list[64];

		if (k < 0)
			return vpm_error(VPM_EPARSE, "--lit-by: '%s' is not a lighting: use %s",
					 arg ? arg : "",
					 vpm_name_list(lit_by_names, 2, list, sizeof list));
		e->lit_by = (vpm_lit_by_t)k;
		return VPM_OK;
	}
	for (i = 0; i < N_XFIELDS; i++)
		if (xfields[i].flag && strcmp(xfields[i].flag, flag) == 0)
			break;
	if (i == N_XFIELDS)
		return vpm_error(VPM_EINVAL, "--%s is not an exposure flag", flag);
	switch (xfields[i].kind) {
	case X_NUMBER:
	case X_DENSITY:
		st = vpm_units_parse_interval(arg, xfields[i].lo, xfields[i].hi, 0u, &v);
		break;
	case X_FRACTION: st = vpm_units_parse_fraction(arg, &v); break;
	case X_SHUTTER: st = vpm_units_parse_shutter(arg, &v); break;
	case X_STOP: st = vpm_units_parse_stop(arg, &v); break;
	}
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--%s", flag);
	if (xfields[i].kind == X_DENSITY)
		v /= DENSITY_PER_STOP;
	if ((st = check(i, v)) != VPM_OK)
		return st;
	*(double *)(void *)((char *)e + xfields[i].offset) = v;
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
