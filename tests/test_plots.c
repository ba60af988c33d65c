/* The chart library: ticks, colour scales, contours, label placement,
 * documents in three formats, atomic writes and a golden image. */
#include <config.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "chartsheet.h"
#include "previsbook.h"
#include "testutil.h"
#include "vpm_plot.h"
#include "vpmoire/status.h"

/* ================================================================ helpers */

static void assert_ticks(const double *got, int n, const double *want, int nwant)
{
	int k;

	cr_assert_eq(n, nwant, "got %d ticks, expected %d", n, nwant);
	for (k = 0; k < n; k++)
		cr_assert_eq(got[k], want[k], "tick %d is %.17g, expected %.17g", k, got[k],
			     want[k]);
}

/* Output of a shell command (malloc'd), or NULL when it failed to run. */
static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	size_t cap = 4096, n = 0;
	char *buf;

	if (!p)
		return NULL;
	buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n - 1, p);

		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[n] = '\0';
	if (pclose(p) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* 1 when a (binary) file holds `needle`. */
static int file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	size_t n = strlen(needle), have = 0, k;
	char buf[8192];
	int found = 0;

	cr_assert_not_null(fp, "cannot open %s", path);
	while (!found) {
		size_t got = fread(buf + have, 1, sizeof buf - have, fp);

		if (got == 0)
			break;
		have += got;
		for (k = 0; k + n <= have && !found; k++)
			found = memcmp(buf + k, needle, n) == 0;
		/* keep the tail in case the needle straddles two reads */
		if (have >= n) {
			memmove(buf, buf + have - (n - 1), n - 1);
			have = n - 1;
		}
	}
	fclose(fp);
	return found;
}

static int have_tool(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* An RGB24 pixel of an image surface as 0xRRGGBB. */
static uint32_t pixel(cairo_surface_t *img, int x, int y)
{
	unsigned char *d = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);

	return ((uint32_t *)(void *)(d + (size_t)stride * y))[x] & 0xFFFFFFu;
}

static uint32_t rgb_hex(vpm_color_t c)
{
	return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
	       (uint32_t)lround(c.b * 255);
}

static int channel_diff(uint32_t a, uint32_t b)
{
	int d = 0, s;

	for (s = 0; s < 24; s += 8) {
		int x = abs((int)((a >> s) & 255) - (int)((b >> s) & 255));

		d = x > d ? x : d;
	}
	return d;
}

/* Colours as cairo renders them: within one step of 8-bit rounding. */
static void assert_color(uint32_t got, uint32_t want, const char *what)
{
	cr_assert_leq(channel_diff(got, want), 1, "%s: pixel #%06x, expected #%06x", what,
		      (unsigned)got, (unsigned)want);
}

static double delta_e(const double a[3], const double b[3])
{
	return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
		    (a[2] - b[2]) * (a[2] - b[2]));
}

/* ================================================================ ticks */

Test(ticks, nice_1_37_to_8_2)
{
	double t[16], step;
	int n;
	static const double five[] = { 2, 4, 6, 8 };
	static const double seven[] = { 2, 3, 4, 5, 6, 7, 8 };

	/* about 5 ticks: steps 1 (7 ticks) and 2 (4 ticks); 4 is closer */
	cr_assert_eq(vpm_axis_nice_ticks(1.37, 8.2, 5, t, 16, &n, &step), VPM_OK);
	assert_ticks(t, n, five, 4);
	cr_assert_eq(step, 2.0);
	/* about 7: step 1 gives exactly 7; reversed ranges give the same */
	cr_assert_eq(vpm_axis_nice_ticks(8.2, 1.37, 7, t, 16, &n, &step), VPM_OK);
	assert_ticks(t, n, seven, 7);
	cr_assert_eq(step, 1.0);
}

Test(ticks, nice_decimals_are_exact)
{
	double t[16], step;
	int n;
	/* 0.0123..0.0456, target 5: step 0.005 gives 7 ticks, 0.01 gives 3;
	 * a tie (both 2 away) goes to the larger step.  The values must be the
	 * doubles nearest to the decimals, not accumulated sums. */
	static const double want[] = { 0.02, 0.03, 0.04 };
	static const double tenths[] = { 2.0, 2.2, 2.4, 2.6, 2.8, 3.0 };

	cr_assert_eq(vpm_axis_nice_ticks(0.0123, 0.0456, 5, t, 16, &n, &step), VPM_OK);
	assert_ticks(t, n, want, 3);
	cr_assert_eq(step, 0.01);
	cr_assert_eq(vpm_axis_nice_ticks(2.0, 3.0, 5, t, 16, &n, &step), VPM_OK);
	assert_ticks(t, n, tenths, 6);
	/* a range end on a tick despite rounding (8.2 / 0.2 = 40.99999…) */
	cr_assert_eq(vpm_axis_nice_ticks(7.0, 8.2, 6, t, 16, &n, &step), VPM_OK);
	cr_assert_eq(step, 0.2);
	cr_assert_eq(t[n - 1], 8.2);
	cr_assert_eq(t[0], 7.0);
}

Test(ticks, nice_errors)
{
	double t[4];
	int n;

	cr_assert_eq(vpm_axis_nice_ticks(2.385, 2.385, 5, t, 4, &n, NULL), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "empty") != NULL, "message: %s", vpm_error_message());
	cr_assert_eq(vpm_axis_nice_ticks(NAN, 1.0, 5, t, 4, &n, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_axis_nice_ticks(0.0, INFINITY, 5, t, 4, &n, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_axis_nice_ticks(0.0, 1.0, 0, t, 4, &n, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_axis_nice_ticks(0.0, 1.0, 5, NULL, 4, &n, NULL), VPM_EINVAL);
	/* 0, 0.2, …, 1 needs six slots */
	cr_assert_eq(vpm_axis_nice_ticks(0.0, 1.0, 5, t, 4, &n, NULL), VPM_ERANGE);
}

Test(ticks, log_decades)
{
	double t[32];
	int n;
	static const double three[] = { 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100 };
	/* 1e-3..1e6 spans 9 decades: every second power of ten */
	static const double wide[] = { 0.01, 1, 100, 1e4, 1e6 };
	static const double narrow[] = { 2.0, 2.2, 2.4, 2.6, 2.8, 3.0 };

	cr_assert_eq(vpm_axis_log_ticks(0.1, 100.0, t, 32, &n), VPM_OK);
	assert_ticks(t, n, three, 10);
	cr_assert_eq(vpm_axis_log_ticks(1e-3, 1e6, t, 32, &n), VPM_OK);
	assert_ticks(t, n, wide, 5);
	/* less than a decade without two 1-2-5 values: linear nice ticks */
	cr_assert_eq(vpm_axis_log_ticks(2.0, 3.0, t, 32, &n), VPM_OK);
	assert_ticks(t, n, narrow, 6);
	cr_assert_eq(vpm_axis_log_ticks(0.0, 10.0, t, 32, &n), VPM_EINVAL);
	cr_assert_eq(vpm_axis_log_ticks(10.0, 1.0, t, 32, &n), VPM_EINVAL);
	cr_assert_eq(vpm_axis_log_ticks(0.1, 100.0, t, 4, &n), VPM_ERANGE);
}

Test(ticks, metres_with_feet)
{
	double pos[32], ft[32];
	int n, k;

	/* 0.5..12 m is 1.64..39.37 ft; about 6 ticks: every 5 ft (7 ticks) */
	cr_assert_eq(vpm_axis_secondary_ticks(0.5, 12.0, 1.0 / 0.3048, 6, 1, pos, ft, 32, &n),
		     VPM_OK);
	cr_assert_eq(n, 7);
	for (k = 0; k < n; k++) {
		cr_assert_eq(ft[k], 5.0 * (k + 1));
		/* 1 ft = 0.3048 m exactly (international foot, 1959) */
		cr_assert_float_eq(pos[k], 0.3048 * 5.0 * (k + 1), 1e-12, "tick %d at %.15g m", k,
				   pos[k]);
	}
	/* 0.3..1.2 m = 0.98..3.94 ft: nice steps would be 0.5 ft; whole feet
	 * only gives 1, 2, 3 ft */
	cr_assert_eq(vpm_axis_secondary_ticks(0.3, 1.2, 1.0 / 0.3048, 6, 1, pos, ft, 32, &n),
		     VPM_OK);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(pos[0], 0.3048, 1e-12);
	cr_assert_float_eq(pos[2], 0.9144, 1e-12);
	cr_assert_eq(ft[1], 2.0);
	cr_assert_eq(vpm_axis_secondary_ticks(0.3, 1.2, 1.0 / 0.3048, 6, 0, pos, ft, 32, &n),
		     VPM_OK);
	cr_assert_eq(n, 6, "half feet without the whole-feet rule, got %d", n);
	cr_assert_eq(ft[0], 1.0);
	cr_assert_eq(ft[1], 1.5);
	cr_assert_eq(vpm_axis_secondary_ticks(0.3, 1.2, 0.0, 6, 1, pos, ft, 32, &n), VPM_EINVAL);
	cr_assert_eq(vpm_axis_secondary_ticks(0.3, 1.2, -3.28, 6, 1, pos, ft, 32, &n), VPM_EINVAL);
	cr_assert_eq(vpm_axis_secondary_ticks(0.3, 1.2, 1.0 / 0.3048, 6, 1, pos, ft, 2, &n),
		     VPM_ERANGE);
}

Test(ticks, labels)
{
	char buf[32];

	cr_assert_str_eq(vpm_axis_format(0.1 + 0.2, 0.1, buf, sizeof buf), "0.3");
	cr_assert_str_eq(vpm_axis_format(-1e-17, 0.5, buf, sizeof buf), "0.0");
	cr_assert_str_eq(vpm_axis_format(35.0, 5.0, buf, sizeof buf), "35");
	cr_assert_str_eq(vpm_axis_format(0.002, 0.001, buf, sizeof buf), "0.002");
	cr_assert_str_eq(vpm_axis_format(135.0, 0.0, buf, sizeof buf), "135");
	cr_assert_str_eq(vpm_axis_format(-0.0, 0.0, buf, sizeof buf), "0");
	cr_assert_str_eq(vpm_axis_format(0.25, 0.0, buf, sizeof buf), "0.25");
}

/* ================================================================ colour */

Test(color, lab_reference_values)
{
	double lab[3];
	vpm_color_t c;

	/* sRGB white is the D65 white point: L* 100, a* = b* = 0 */
	vpm_color_to_lab(vpm_color_rgb(1, 1, 1), lab);
	cr_assert_float_eq(lab[0], 100.0, 0.01);
	cr_assert_float_eq(lab[1], 0.0, 0.01);
	cr_assert_float_eq(lab[2], 0.0, 0.01);
	/* sRGB red: L* 53.24, a* 80.09, b* 67.20 (B. Lindbloom's calculator,
	 * D65, sRGB companding) */
	vpm_color_to_lab(vpm_color_rgb(1, 0, 0), lab);
	cr_assert_float_eq(lab[0], 53.24, 0.02);
	cr_assert_float_eq(lab[1], 80.09, 0.05);
	cr_assert_float_eq(lab[2], 67.20, 0.05);
	/* and back */
	c = vpm_color_from_lab(lab[0], lab[1], lab[2]);
	cr_assert_float_eq(c.r, 1.0, 1e-6);
	cr_assert_float_eq(c.g, 0.0, 1e-6);
	cr_assert_float_eq(c.b, 0.0, 1e-6);
	c = vpm_color_from_lab(61.7, -12.3, 23.85);
	vpm_color_to_lab(c, lab);
	cr_assert_float_eq(lab[0], 61.7, 1e-6);
	cr_assert_float_eq(lab[1], -12.3, 1e-6);
	cr_assert_float_eq(lab[2], 23.85, 1e-6);
	/* mid grey 0.5 has luminance 0.214: L* 53.39 */
	cr_assert_float_eq(vpm_color_grey_lightness(vpm_color_rgb(0.5, 0.5, 0.5)), 53.39, 0.01);
}

Test(color, sequential_lightness_monotonic_and_uniform)
{
	double lab[257][3], prev = INFINITY, steps[64], mean = 0.0;
	int k;

	for (k = 0; k <= 256; k++) {
		vpm_color_t c = vpm_color_sequential(k / 256.0);

		vpm_color_to_lab(c, lab[k]);
		cr_assert(lab[k][0] < prev, "L* not falling at t = %g: %g after %g", k / 256.0,
			  lab[k][0], prev);
		prev = lab[k][0];
	}
	cr_assert_gt(lab[0][0], 90.0);
	cr_assert_lt(lab[256][0], 20.0);
	/* equal steps in t are equal CIELAB distances (arc-length
	 * parametrisation); 5% allows for the sRGB quantisation-free but
	 * piecewise-linear path's corners being cut by 1/64 steps */
	for (k = 0; k < 64; k++) {
		steps[k] = delta_e(lab[4 * k], lab[4 * k + 4]);
		mean += steps[k] / 64.0;
	}
	for (k = 0; k < 64; k++)
		cr_assert(fabs(steps[k] - mean) < 0.05 * mean, "step %d is %g, mean %g", k,
			  steps[k], mean);
	/* clamping */
	cr_assert_eq(rgb_hex(vpm_color_sequential(-2.0)), rgb_hex(vpm_color_sequential(0.0)));
	cr_assert_eq(rgb_hex(vpm_color_sequential(7.0)), rgb_hex(vpm_color_sequential(1.0)));
}

/* Dichromat simulation, Machado, Oliveira & Fernandes (2009), "A
 * physiologically-based model for simulation of color vision deficiency",
 * IEEE TVCG 15(6), matrices for severity 1.0, on linear RGB. */
static const double cvd[3][3][3] = {
	{ { 0.152286, 1.052583, -0.204868 },
	  { 0.114503, 0.786281, 0.099216 },
	  { -0.003882, -0.048116, 1.051998 } }, /* protanopia */
	{ { 0.367322, 0.860646, -0.227968 },
	  { 0.280085, 0.672501, 0.047413 },
	  { -0.011820, 0.042940, 0.968881 } }, /* deuteranopia */
	{ { 1.255528, -0.076749, -0.178779 },
	  { -0.078411, 0.930809, 0.147602 },
	  { 0.004733, 0.691367, 0.303900 } }, /* tritanopia */
};

static double lin(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double unlin(double v)
{
	v = v < 0 ? 0 : v > 1 ? 1 : v;
	return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055;
}

static void simulate(int kind, vpm_color_t c, double lab[3])
{
	double in[3] = { lin(c.r), lin(c.g), lin(c.b) }, out[3];
	int i;

	for (i = 0; i < 3; i++)
		out[i] = cvd[kind][i][0] * in[0] + cvd[kind][i][1] * in[1] +
			 cvd[kind][i][2] * in[2];
	vpm_color_to_lab(vpm_color_rgb(unlin(out[0]), unlin(out[1]), unlin(out[2])), lab);
}

Test(color, readable_with_colour_vision_deficiency)
{
	int kind, k;

	for (kind = 0; kind < 3; kind++) {
		double prev[3], cur[3], r[3][3];

		/* the sequential map keeps its order of lightness */
		simulate(kind, vpm_color_sequential(0.0), prev);
		for (k = 1; k <= 32; k++) {
			simulate(kind, vpm_color_sequential(k / 32.0), cur);
			cr_assert(cur[0] < prev[0], "deficiency %d: L* rises at t = %g", kind,
				  k / 32.0);
			cr_assert_gt(delta_e(cur, prev), 1.5, "deficiency %d: step %d too small",
				     kind, k);
			memcpy(prev, cur, sizeof prev);
		}
		/* the risk colours stay far apart */
		for (k = 0; k < 3; k++)
			simulate(kind, vpm_color_risk(k), r[k]);
		cr_assert_gt(delta_e(r[0], r[1]), 20.0);
		cr_assert_gt(delta_e(r[1], r[2]), 20.0);
	}
}

Test(color, risk_palette_reads_in_greyscale)
{
	double l0 = vpm_color_grey_lightness(vpm_color_risk(0));
	double l1 = vpm_color_grey_lightness(vpm_color_risk(1));
	double l2 = vpm_color_grey_lightness(vpm_color_risk(2));

	/* at least 20 L* between neighbours: three distinct greys even on a
	 * poor office printer */
	cr_assert_gt(l0 - l1, 20.0, "safe %g vs caution %g", l0, l1);
	cr_assert_gt(l1 - l2, 20.0, "caution %g vs risky %g", l1, l2);
	cr_assert_float_eq(l0, 93.0, 0.5);
	cr_assert_float_eq(l1, 70.0, 0.5);
	cr_assert_float_eq(l2, 38.0, 0.5);
	cr_assert_eq(rgb_hex(vpm_color_risk(-4)), rgb_hex(vpm_color_risk(0)));
	cr_assert_eq(rgb_hex(vpm_color_risk(9)), rgb_hex(vpm_color_risk(2)));
}

Test(color, colour_scales)
{
	vpm_cmap_t m = vpm_cmap_sequential(0.1, 100.0, 1), bad;

	cr_assert_eq(vpm_cmap_validate(&m), VPM_OK);
	cr_assert_float_eq(vpm_cmap_fraction(&m, 1.0), 1.0 / 3.0, 1e-12);
	cr_assert_float_eq(vpm_cmap_fraction(&m, 3.16227766), 0.5, 1e-8);
	cr_assert_eq(vpm_cmap_fraction(&m, 1e-9), 0.0);
	cr_assert_eq(vpm_cmap_fraction(&m, -4.0), 0.0);
	cr_assert_eq(vpm_cmap_fraction(&m, 1e9), 1.0);
	cr_assert(isnan(vpm_cmap_fraction(&m, NAN)));
	cr_assert_eq(vpm_cmap_level(&m, 0.999), 0);
	cr_assert_eq(vpm_cmap_level(&m, 1.0), 1);
	cr_assert_eq(vpm_cmap_level(&m, 2.999), 1);
	cr_assert_eq(vpm_cmap_level(&m, 3.0), 2);
	cr_assert_eq(vpm_cmap_level(&m, NAN), -1);
	cr_assert_eq(rgb_hex(vpm_cmap_color(&m, NAN)), rgb_hex(m.nan_color));
	cr_assert_eq(rgb_hex(vpm_cmap_color(&m, 3.16227766)), rgb_hex(vpm_color_sequential(0.5)));
	m = vpm_cmap_risk(1.0, 3.0);
	cr_assert_eq(rgb_hex(vpm_cmap_color(&m, 2.385)), rgb_hex(vpm_color_risk(1)));
	cr_assert_eq(m.hatch_risky, 1);

	bad = vpm_cmap_sequential(5.0, 5.0, 0);
	cr_assert_eq(vpm_cmap_validate(&bad), VPM_EINVAL);
	bad = vpm_cmap_sequential(0.0, 5.0, 1);
	cr_assert_eq(vpm_cmap_validate(&bad), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "log") != NULL);
	bad = vpm_cmap_risk(3.0, 1.0);
	cr_assert_eq(vpm_cmap_validate(&bad), VPM_EINVAL);
	bad = vpm_cmap_sequential(0.0, NAN, 0);
	cr_assert_eq(vpm_cmap_validate(&bad), VPM_EINVAL);
	cr_assert_eq(vpm_cmap_validate(NULL), VPM_EINVAL);
}

/* ================================================================ contours */

#define CNX 41
#define CNY 37

/* A cone z = distance from (cx, cy) on a grid with unequal steps. */
static void cone(double *x, double *y, double *z, double cx, double cy)
{
	int i, j;

	for (i = 0; i < CNX; i++)
		x[i] = -3.1 + 6.4 * i / (CNX - 1);
	for (j = 0; j < CNY; j++)
		y[j] = -2.9 + 5.95 * j / (CNY - 1);
	for (j = 0; j < CNY; j++)
		for (i = 0; i < CNX; i++)
			z[j * CNX + i] = hypot(x[i] - cx, y[j] - cy);
}

Test(contour, circle_radius_within_half_a_cell)
{
	double x[CNX], y[CNY], z[CNX * CNY], dx = 6.4 / (CNX - 1), dy = 5.95 / (CNY - 1);
	const double cx = 0.137, cy = -0.211, r = 2.385;
	vpm_contour_t *c;
	size_t k;

	cone(x, y, z, cx, cy);
	cr_assert_eq(vpm_contour_compute(x, y, CNX, CNY, z, r, 0, &c), VPM_OK);
	cr_assert_eq(c->count, 1);
	cr_assert_eq(c->lines[0].closed, 1);
	cr_assert_gt(c->lines[0].n, 50);
	cr_assert_eq(c->level, r);
	for (k = 0; k < c->lines[0].n; k++) {
		double rr = hypot(c->lines[0].x[k] - cx, c->lines[0].y[k] - cy);

		cr_assert_lt(fabs(rr - r), 0.5 * fmin(dx, dy), "point %zu at radius %g", k, rr);
		/* linear interpolation of a cone along an edge is much better
		 * than half a cell: a chord error of at most ~h²/(8r) */
		cr_assert_lt(fabs(rr - r), dx * dx / r, "point %zu at radius %g", k, rr);
	}
	vpm_contour_free(c);
}

Test(contour, open_arc_ends_on_the_border)
{
	double x[CNX], y[CNY], z[CNX * CNY];
	vpm_contour_t *c;
	const vpm_polyline_t *pl;

	/* a quarter circle around the lower-left corner */
	cone(x, y, z, -3.1, -2.9);
	cr_assert_eq(vpm_contour_compute(x, y, CNX, CNY, z, 2.385, 0, &c), VPM_OK);
	cr_assert_eq(c->count, 1);
	pl = &c->lines[0];
	cr_assert_eq(pl->closed, 0);
	/* the two ends: one on the bottom edge, one on the left edge */
	cr_assert(fabs(pl->y[0] + 2.9) < 1e-12 || fabs(pl->x[0] + 3.1) < 1e-12);
	cr_assert(fabs(pl->y[pl->n - 1] + 2.9) < 1e-12 || fabs(pl->x[pl->n - 1] + 3.1) < 1e-12);
	cr_assert(fabs(pl->x[0] - pl->x[pl->n - 1]) > 2.0, "the ends are on different edges");
	vpm_contour_free(c);
}

Test(contour, saddle_disambiguation)
{
	/* corners (0,0)=1, (1,0)=0, (0,1)=0, (1,1)=1: a saddle */
	const double x[2] = { 0, 1 }, y[2] = { 0, 1 }, z[4] = { 1, 0, 0, 1 };
	vpm_contour_t *c;
	size_t k;

	/* level 0.5: the centre (mean 0.5) is inside, so the high corners
	 * connect and the lines cut off the low corners (1,0) and (0,1) */
	cr_assert_eq(vpm_contour_compute(x, y, 2, 2, z, 0.5, 0, &c), VPM_OK);
	cr_assert_eq(c->count, 2);
	for (k = 0; k < 2; k++) {
		const vpm_polyline_t *pl = &c->lines[k];
		double mx = (pl->x[0] + pl->x[1]) / 2, my = (pl->y[0] + pl->y[1]) / 2;

		cr_assert_eq(pl->n, 2);
		cr_assert(hypot(mx - 1, my) < 0.36 || hypot(mx, my - 1) < 0.36,
			  "segment %zu around (%g, %g) should cut a low corner", k, mx, my);
		/* (0.5, 0)–(1, 0.5) or (0, 0.5)–(0.5, 1): |x − y| = 0.5 */
		cr_assert_float_eq(fabs(pl->x[0] - pl->y[0]), 0.5, 1e-12);
		cr_assert_float_eq(fabs(pl->x[1] - pl->y[1]), 0.5, 1e-12);
	}
	vpm_contour_free(c);
	/* level 0.6: the centre is outside: the lines cut off the high corners,
	 * crossing the edges at 0.4 from them */
	cr_assert_eq(vpm_contour_compute(x, y, 2, 2, z, 0.6, 0, &c), VPM_OK);
	cr_assert_eq(c->count, 2);
	for (k = 0; k < 2; k++) {
		const vpm_polyline_t *pl = &c->lines[k];
		double s0 = pl->x[0] + pl->y[0], s1 = pl->x[1] + pl->y[1];

		/* (0.4, 0)–(0, 0.4) around (0,0), (1, 0.6)–(0.6, 1) around (1,1) */
		cr_assert_eq(pl->n, 2);
		cr_assert(fabs(s0 - 0.4) < 1e-12 || fabs(s0 - 1.6) < 1e-12, "x + y = %g", s0);
		cr_assert_float_eq(s0, s1, 1e-12);
	}
	cr_assert_float_eq(fabs(c->lines[0].x[0] + c->lines[0].y[0] - c->lines[1].x[0] -
				c->lines[1].y[0]),
			   1.2, 1e-12, "one line at each high corner");
	vpm_contour_free(c);
}

Test(contour, nan_cells_are_skipped)
{
	double x[CNX], y[CNY], z[CNX * CNY];
	vpm_contour_t *c;
	int i = 30, j;

	cone(x, y, z, 0.137, -0.211);
	/* a node near the circle on row j: its four cells drop out */
	for (j = 0; j < CNY; j++)
		if (fabs(z[j * CNX + i] - 2.385) < 0.12)
			break;
	cr_assert_lt(j, CNY);
	z[j * CNX + i] = NAN;
	cr_assert_eq(vpm_contour_compute(x, y, CNX, CNY, z, 2.385, 0, &c), VPM_OK);
	cr_assert_eq(c->count, 1);
	cr_assert_eq(c->lines[0].closed, 0, "the circle is broken at the NaN");
	vpm_contour_free(c);
}

Test(contour, log_interpolation_and_errors)
{
	/* z = 10^x: interpolated in log10 the level 100 sits at x = 2 */
	const double x[3] = { 0.0, 1.7, 3.1 }, y[2] = { 0.0, 1.0 };
	double z[6];
	const double bad_x[3] = { 0.0, 1.7, 1.7 };
	vpm_contour_t *c = NULL;
	int i;

	for (i = 0; i < 3; i++)
		z[i] = z[3 + i] = pow(10.0, x[i]);
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, 100.0, 1, &c), VPM_OK);
	cr_assert_eq(c->count, 1);
	cr_assert_float_eq(c->lines[0].x[0], 2.0, 1e-12);
	cr_assert_float_eq(c->lines[0].x[1], 2.0, 1e-12);
	vpm_contour_free(c);
	/* linearly it would sit at 1.7 + 1.4·(100 − 50.1)/(1258.9 − 50.1) */
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, 100.0, 0, &c), VPM_OK);
	cr_assert_float_eq(c->lines[0].x[0],
			   1.7 + 1.4 * (100.0 - pow(10, 1.7)) / (pow(10, 3.1) - pow(10, 1.7)),
			   1e-12);
	vpm_contour_free(c);
	/* a level no node reaches: no line */
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, 1e6, 1, &c), VPM_OK);
	cr_assert_eq(c->count, 0);
	vpm_contour_free(c);
	vpm_contour_free(NULL);

	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, 0.0, 1, &c), VPM_EINVAL);
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, NAN, 0, &c), VPM_EINVAL);
	cr_assert_eq(vpm_contour_compute(x, y, 1, 2, z, 1.0, 0, &c), VPM_EINVAL);
	cr_assert_eq(vpm_contour_compute(bad_x, y, 3, 2, z, 1.0, 0, &c), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "monotonic") != NULL);
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, NULL, 1.0, 0, &c), VPM_EINVAL);
	cr_assert_eq(vpm_contour_compute(x, y, 3, 2, z, 1.0, 0, NULL), VPM_EINVAL);
}

/* ================================================================ label placement */

Test(labels, no_overlaps_in_a_crowd)
{
	vpm_box_t bounds = { 0, 0, 100, 60 }, placed[300];
	vpm_placer_t p;
	unsigned long seed = 2385;
	int k, m, n = 0, skipped = 0, leader = 0;

	vpm_placer_init(&p, bounds);
	for (k = 0; k < 300; k++) {
		vpm_box_t b;
		vpm_place_t how;
		double ax, ay;

		/* a deterministic LCG (Numerical Recipes constants); half the
		 * anchors crowd into a 20 × 10 mm corner */
		seed = (seed * 1664525ul + 1013904223ul) & 0xFFFFFFFFul;
		ax = (seed / 4294967296.0) * (k % 2 ? 100.0 : 20.0);
		seed = (seed * 1664525ul + 1013904223ul) & 0xFFFFFFFFul;
		ay = (seed / 4294967296.0) * (k % 2 ? 60.0 : 10.0);
		cr_assert_eq(vpm_placer_place(&p, ax, ay, 12.5, 3.7, 1.2, &b, &how), VPM_OK);
		if (how == VPM_PLACE_NONE) {
			skipped++;
			continue;
		}
		leader += how == VPM_PLACE_LEADER;
		cr_assert(b.x0 >= 0 && b.y0 >= 0 && b.x1 <= 100 && b.y1 <= 60);
		cr_assert_float_eq(b.x1 - b.x0, 12.5, 1e-12);
		placed[n++] = b;
	}
	for (k = 0; k < n; k++)
		for (m = k + 1; m < n; m++)
			cr_assert(!vpm_box_overlap(placed[k], placed[m]),
				  "labels %d and %d overlap", k, m);
	/* 100 × 60 mm holds at most 129 such labels: many must be skipped */
	cr_assert_gt(n, 40);
	cr_assert_gt(skipped, 100);
	cr_assert_gt(leader, 0);
	cr_assert_eq(p.n, (size_t)n);
	vpm_placer_release(&p);
	vpm_placer_release(&p);
}

Test(labels, preferences_and_reservations)
{
	vpm_box_t bounds = { 0, 0, 100, 60 }, b, r = { 51, 20, 80, 40 };
	vpm_placer_t p;
	vpm_place_t how;

	vpm_placer_init(&p, bounds);
	/* free space: right of the anchor, vertically centred */
	cr_assert_eq(vpm_placer_place(&p, 50, 30, 10, 4, 1.2, &b, &how), VPM_OK);
	cr_assert_eq(how, VPM_PLACE_NEAR);
	cr_assert_float_eq(b.x0, 51.2, 1e-12);
	cr_assert_float_eq(b.y0, 28.0, 1e-12);
	vpm_placer_release(&p);
	/* the right side taken: next choice is the upper right */
	vpm_placer_init(&p, bounds);
	cr_assert_eq(vpm_placer_reserve(&p, r), VPM_OK);
	cr_assert_eq(vpm_placer_place(&p, 50, 30, 10, 4, 1.2, &b, &how), VPM_OK);
	cr_assert_neq(how, VPM_PLACE_NONE);
	cr_assert(!vpm_box_overlap(b, r));
	/* against the bounds: a label at the right edge goes left */
	cr_assert_eq(vpm_placer_place(&p, 99, 5, 10, 4, 1.2, &b, &how), VPM_OK);
	cr_assert_eq(how, VPM_PLACE_NEAR);
	cr_assert_float_eq(b.x1, 97.8, 1e-12);
	cr_assert_eq(vpm_placer_place(&p, 50, 30, -1, 4, 1.2, &b, &how), VPM_EINVAL);
	cr_assert_eq(vpm_placer_place(&p, NAN, 30, 1, 4, 1.2, &b, &how), VPM_EINVAL);
	/* a label larger than the bounds never fits */
	cr_assert_eq(vpm_placer_place(&p, 50, 30, 120, 4, 1.2, &b, &how), VPM_OK);
	cr_assert_eq(how, VPM_PLACE_NONE);
	vpm_placer_release(&p);
	/* touching edges are not an overlap */
	cr_assert(!vpm_box_overlap((vpm_box_t){ 0, 0, 1, 1 }, (vpm_box_t){ 1, 0, 2, 1 }));
	cr_assert(vpm_box_overlap((vpm_box_t){ 0, 0, 1, 1 }, (vpm_box_t){ 0.99, 0.5, 2, 1 }));
}

/* ================================================================ documents */

static const vpm_footer_item_t footer_items[] = {
	{ "Panel", "ROE Black Pearl BP2 V2 (2.84 mm)" },
	{ "Camera mode", "ALEXA 35 Open Gate 4.6K" },
	{ "Stop", "T2.8" },
	{ "Focus rule", "subject 2 m in front of the wall" },
	{ "CoC", "0.030 mm" },
	{ "Viewing condition", "1.5 picture heights, 100 cd/m2" },
	{ "Model", "vpmoire test" },
};

/* A chart page: the same drawing for every format. */
static void draw_chart_page(vpm_doc_t *doc, const char *title)
{
	static double x[12], y[10], z[120];
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(10.0, 140.0, "Focal length (mm)");
	vpm_axis_t ya = vpm_axis_default(0.5, 12.0, "Camera to wall (m)");
	vpm_grid_t g = { 12, 10, x, y, NULL, NULL, z };
	vpm_cmap_t m = vpm_cmap_risk(1.0, 3.0);
	vpm_line_style_t ls = vpm_line_style(vpm_color_rgb(0, 0, 0), 0.4);
	vpm_box_t area;
	double top, foot;
	int i, j;

	for (i = 0; i < 12; i++)
		x[i] = 15.0 + 10.0 * i;
	for (j = 0; j < 10; j++)
		y[j] = 1.0 + 1.1 * j;
	for (j = 0; j < 10; j++)
		for (i = 0; i < 12; i++)
			z[j * 12 + i] = x[i] / (8.0 * y[j]);
	ya.secondary_factor = 1.0 / 0.3048;
	ya.secondary_title = "Camera to wall (ft)";
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	top = vpm_page_title(&pg, title, "Made by tests/test_plots.c");
	foot = vpm_page_footer(&pg, "Assumptions:", footer_items, 7, 1);
	area = (vpm_box_t){ pg.margin_mm + 20, top + 5, pg.width_mm - 90, foot - 18 };
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_OK);
	cr_assert_eq(vpm_plot_contour(&p, &g, 1.0, 0, &ls, "V = 1"), VPM_OK);
	vpm_plot_grid(&p, vpm_color_alpha(vpm_color_rgb(0, 0, 0), 0.1));
	vpm_plot_axes(&p);
	vpm_plot_release(&p);
	/* a red square in a known place, for the pixel and SVG checks */
	cairo_rectangle(pg.cr, pg.width_mm - 40, 40, 20, 20);
	cairo_set_source_rgb(pg.cr, 1, 0, 0);
	cairo_fill(pg.cr);
}

static vpm_doc_t *chart_doc(int pages)
{
	static const char *titles[] = { "Safe-shot chart alpha", "Safe-shot chart beta",
					"Safe-shot chart gamma" };
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc;
	int k;

	o.png_dpi = 40;
	o.title = "test document";
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_OK);
	for (k = 0; k < pages; k++)
		draw_chart_page(doc, titles[k % 3]);
	cr_assert_eq(vpm_doc_page_count(doc), pages);
	return doc;
}

/* Page objects in a PDF: cairo writes "/Type /Page" for each page and
 * "/Type /Pages" for the page tree, in uncompressed dictionaries. */
static int page_objects(const char *path)
{
	FILE *fp = fopen(path, "rb");
	const char *pat = "/Type /Page";
	int c, m = 0, n = 0;

	cr_assert_not_null(fp);
	while ((c = fgetc(fp)) != EOF) {
		if (m == 11) {
			n += c != 's';
			m = 0;
		}
		m = c == pat[m] ? m + 1 : c == pat[0] ? 1 : 0;
	}
	fclose(fp);
	return n;
}

/* The page count pdfinfo reports, or -1 without pdfinfo. */
static int pdfinfo_pages(const char *path)
{
	char cmd[4200], *out, *s;
	int n;

	if (!have_tool("pdfinfo"))
		return -1;
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	out = run(cmd);
	cr_assert_not_null(out, "pdfinfo failed on %s", path);
	s = strstr(out, "Pages:");
	cr_assert_not_null(s);
	n = atoi(s + 6);
	free(out);
	return n;
}

Test(doc, multipage_pdf_pages_and_text)
{
	vpm_doc_t *doc = chart_doc(3);
	const char *path = tu_tmp("chart.pdf");
	char cmd[4200], *text, *info;
	size_t k;

	remove(path);
	cr_assert_eq(vpm_doc_save(doc, path), VPM_OK, "%s", vpm_error_message());
	vpm_doc_free(doc);
	cr_assert_eq(page_objects(path), 3);
	if (pdfinfo_pages(path) >= 0)
		cr_assert_eq(pdfinfo_pages(path), 3);
	if (!have_tool("pdftotext")) {
		remove(path);
		cr_skip_test("pdftotext is not installed (Debian: poppler-utils)");
	}
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
	text = run(cmd);
	cr_assert_not_null(text);
	cr_assert(strstr(text, "Safe-shot chart alpha") != NULL);
	cr_assert(strstr(text, "Safe-shot chart beta") != NULL);
	cr_assert(strstr(text, "Safe-shot chart gamma") != NULL);
	cr_assert(strstr(text, "Focal length (mm)") != NULL);
	cr_assert(strstr(text, "Camera to wall (m)") != NULL);
	cr_assert(strstr(text, "Camera to wall (ft)") != NULL);
	cr_assert(strstr(text, "Page 2 of 3") != NULL);
	for (k = 0; k < sizeof footer_items / sizeof footer_items[0]; k++) {
		cr_assert(strstr(text, footer_items[k].key) != NULL, "footer key %s",
			  footer_items[k].key);
		cr_assert(strstr(text, footer_items[k].value) != NULL, "footer value %s",
			  footer_items[k].value);
	}
	free(text);
	if (have_tool("pdfinfo")) {
		/* A4 landscape: 297 × 210 mm = 841.89 × 595.276 pt */
		snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
		info = run(cmd);
		cr_assert(strstr(info, "841.89 x 595.276 pts") != NULL, "%s", info);
		cr_assert(strstr(info, "test document") != NULL, "title metadata: %s", info);
		free(info);
	}
	remove(path);
}

Test(doc, letter_portrait)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc;
	vpm_page_t pg;
	const char *path = tu_tmp("letter.pdf");
	char cmd[4200], *info;

	o.paper = VPM_DOC_LETTER;
	o.landscape = 0;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_OK);
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_float_eq(pg.width_mm, 215.9, 1e-9);
	cr_assert_float_eq(pg.height_mm, 279.4, 1e-9);
	vpm_page_title(&pg, "Letter page", NULL);
	cr_assert_eq(vpm_doc_save(doc, path), VPM_OK);
	vpm_doc_free(doc);
	cr_assert_eq(page_objects(path), 1);
	if (!have_tool("pdfinfo")) {
		remove(path);
		cr_skip_test("pdfinfo is not installed (Debian: poppler-utils)");
	}
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	info = run(cmd);
	remove(path);
	/* 8.5 × 11 in = 612 × 792 pt */
	cr_assert(strstr(info, "612 x 792 pts") != NULL, "%s", info);
	free(info);
}

Test(doc, png_and_svg_from_the_same_drawing)
{
	vpm_doc_t *doc = chart_doc(2);
	const char *png = tu_tmp("same.png"), *png2 = tu_tmp("same-2.png");
	const char *svg = tu_tmp("same.svg"), *svg2 = tu_tmp("same-2.svg");
	const char *one = tu_tmp("one.svg");
	cairo_surface_t *img;
	char *s;
	int w, h;

	cr_assert_eq(vpm_doc_save(doc, png), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_doc_save(doc, svg), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_doc_save_page(doc, 1, one), VPM_OK);
	cr_assert_eq(vpm_doc_save_page(doc, 2, one), VPM_ERANGE);
	cr_assert_eq(vpm_doc_save_page(doc, -1, one), VPM_ERANGE);
	vpm_doc_free(doc);
	cr_assert(tu_exists(png) && tu_exists(png2) && tu_exists(svg) && tu_exists(svg2));
	/* 297 × 210 mm at 40 dpi: ceil(467.7) × ceil(330.7) pixels */
	img = cairo_image_surface_create_from_png(png2);
	cr_assert_eq(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	w = cairo_image_surface_get_width(img);
	h = cairo_image_surface_get_height(img);
	cr_assert_eq(w, 468);
	cr_assert_eq(h, 331);
	/* the red square (257..277 mm, 40..60 mm) is red in the PNG... */
	cr_assert_eq(pixel(img, (int)(267 / 25.4 * 40), (int)(50 / 25.4 * 40)), 0xFF0000u);
	/* ...and the page corner white */
	cr_assert_eq(pixel(img, 2, 2), 0xFFFFFFu);
	cairo_surface_destroy(img);
	/* ...and a red fill in the SVG of the same page, whose size is the page's */
	s = tu_slurp(svg2);
	cr_assert_not_null(s);
	cr_assert(strstr(s, "<svg") != NULL);
	cr_assert(strstr(s, "width=\"841.889764pt\"") != NULL);
	cr_assert(strstr(s, "rgb(100%,0%,0%)") != NULL);
	free(s);
	s = tu_slurp(one);
	cr_assert(s && strstr(s, "rgb(100%,0%,0%)") != NULL);
	free(s);
	remove(png);
	remove(png2);
	remove(svg);
	remove(svg2);
	remove(one);
}

Test(doc, page_file_names)
{
	char buf[64];

	cr_assert_eq(vpm_doc_page_path("out/chart.png", 0, buf, sizeof buf), VPM_OK);
	cr_assert_str_eq(buf, "out/chart.png");
	cr_assert_eq(vpm_doc_page_path("out/chart.png", 2, buf, sizeof buf), VPM_OK);
	cr_assert_str_eq(buf, "out/chart-3.png");
	cr_assert_eq(vpm_doc_page_path("a.b/chart", 1, buf, sizeof buf), VPM_OK);
	cr_assert_str_eq(buf, "a.b/chart-2");
	cr_assert_eq(vpm_doc_page_path("chart.png", 1, buf, 8), VPM_ERANGE);
	cr_assert_eq(vpm_doc_page_path("chart.png", -1, buf, sizeof buf), VPM_EINVAL);
}

/* Files in a directory whose name starts with `prefix`. */
static int count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

Test(doc, atomic_write_and_errors)
{
	vpm_doc_t *doc = chart_doc(2);
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *empty;
	char path[4400], sub[4200];
	char *s;

	/* a directory that does not exist: VPM_EIO, no file */
	snprintf(path, sizeof path, "%s/no-such-dir/chart.pdf", tu_tmpdir());
	cr_assert_eq(vpm_doc_save(doc, path), VPM_EIO);
	cr_assert(strstr(vpm_error_message(), "no-such-dir") != NULL, "%s", vpm_error_message());
	cr_assert(!tu_exists(path));
	snprintf(path, sizeof path, "%s/no-such-dir/chart.png", tu_tmpdir());
	cr_assert_eq(vpm_doc_save(doc, path), VPM_EIO);
	/* a directory without write permission (root may write anywhere) */
	snprintf(sub, sizeof sub, "%s/locked", tu_tmpdir());
	mkdir(sub, 0555);
	chmod(sub, 0555);
	if (geteuid() != 0) {
		snprintf(path, sizeof path, "%s/chart.pdf", sub);
		cr_assert_eq(vpm_doc_save(doc, path), VPM_EIO);
		cr_assert(!tu_exists(path));
		cr_assert_eq(count_files(sub, "."), 2, "only . and .. in %s", sub);
	}
	chmod(sub, 0755);
	rmdir(sub);
	/* a directory where the file should go */
	snprintf(path, sizeof path, "%s/adir.pdf", tu_tmpdir());
	mkdir(path, 0755);
	cr_assert_eq(vpm_doc_save(doc, path), VPM_EINVAL);
	rmdir(path);
	/* an existing file is replaced whole, and no temporary file stays */
	snprintf(path, sizeof path, "%s/replace.pdf", tu_tmpdir());
	cr_assert(tu_write("replace.pdf", "old contents") != NULL);
	cr_assert_eq(vpm_doc_save(doc, path), VPM_OK);
	s = tu_slurp(path);
	cr_assert(s && strncmp(s, "%PDF-", 5) == 0);
	free(s);
	cr_assert_eq(count_files(tu_tmpdir(), ".replace.pdf"), 0);
	remove(path);
	/* formats and pages */
	cr_assert_eq(vpm_doc_save(doc, tu_tmp("chart.jpg")), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), ".pdf") != NULL);
	cr_assert(!tu_exists(tu_tmp("chart.jpg")));
	cr_assert_eq(vpm_doc_save(doc, tu_tmp("noext")), VPM_EINVAL);
	cr_assert_eq(vpm_doc_save(NULL, path), VPM_EINVAL);
	vpm_doc_free(doc);
	cr_assert_eq(vpm_doc_alloc(&o, &empty), VPM_OK);
	cr_assert_eq(vpm_doc_save(empty, path), VPM_EINVAL);
	cr_assert(!tu_exists(path));
	vpm_doc_free(empty);
	vpm_doc_free(NULL);
}

Test(doc, option_errors)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc = NULL;

	o.png_dpi = 5;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_EINVAL);
	o = vpm_doc_options_default();
	o.paper = VPM_DOC_CUSTOM;
	o.width_mm = 0;
	o.height_mm = 50;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_EINVAL);
	o = vpm_doc_options_default();
	o.margin_mm = 80;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_EINVAL);
	o = vpm_doc_options_default();
	o.paper = (vpm_doc_paper_t)7;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_EINVAL);
	cr_assert_eq(vpm_doc_alloc(NULL, &doc), VPM_EINVAL);
	cr_assert_null(doc);
	/* an image wider than cairo allows */
	o = vpm_doc_options_default();
	o.paper = VPM_DOC_CUSTOM;
	o.width_mm = 5000;
	o.height_mm = 100;
	o.png_dpi = 600;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_OK);
	{
		vpm_page_t pg;

		cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
		cr_assert_eq(vpm_doc_save(doc, tu_tmp("huge.png")), VPM_ERANGE);
		cr_assert(!tu_exists(tu_tmp("huge.png")));
	}
	vpm_doc_free(doc);
}

/* ================================================================ plots */

static vpm_doc_t *small_doc(double w_mm, double h_mm, double dpi)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc;

	o.paper = VPM_DOC_CUSTOM;
	o.width_mm = w_mm;
	o.height_mm = h_mm;
	o.png_dpi = dpi;
	o.margin_mm = 2;
	o.page_numbers = 0;
	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_OK);
	return doc;
}

static cairo_surface_t *render_png(vpm_doc_t *doc, const char *name)
{
	const char *path = tu_tmp(name);
	cairo_surface_t *img;

	cr_assert_eq(vpm_doc_save_page(doc, 0, path), VPM_OK, "%s", vpm_error_message());
	img = cairo_image_surface_create_from_png(path);
	cr_assert_eq(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
	remove(path);
	return img;
}

Test(plot, mapping)
{
	vpm_doc_t *doc = small_doc(120, 80, 72);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(14.0, 160.0, NULL);
	vpm_axis_t ya = vpm_axis_default(0.5, 12.0, NULL);
	vpm_box_t area = { 10, 5, 110, 65 };

	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	xa.scale = VPM_AXIS_LOG;
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	cr_assert_float_eq(vpm_plot_x(&p, 14.0), 10.0, 1e-12);
	cr_assert_float_eq(vpm_plot_x(&p, sqrt(14.0 * 160.0)), 60.0, 1e-12);
	cr_assert_float_eq(vpm_plot_y(&p, 0.5), 65.0, 1e-12);
	cr_assert_float_eq(vpm_plot_y(&p, 12.0), 5.0, 1e-12);
	cr_assert_float_eq(vpm_plot_y(&p, 6.25), 35.0, 1e-12);
	vpm_plot_release(&p);
	cr_assert_eq(vpm_plot_init_page(&p, &pg), VPM_OK);
	cr_assert_float_eq(vpm_plot_x(&p, 37.25), 37.25, 1e-12);
	cr_assert_float_eq(vpm_plot_y(&p, 23.85), 23.85, 1e-12);
	vpm_plot_release(&p);
	/* errors */
	xa.min = 0.0;
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "logarithmic") != NULL);
	xa = vpm_axis_default(3.0, 3.0, NULL);
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_EINVAL);
	xa = vpm_axis_default(1.0, 3.0, NULL);
	area.x1 = area.x0;
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_EINVAL);
	vpm_doc_free(doc);
}

Test(plot, heatmap_cells_land_where_their_edges_say)
{
	/* 100 × 40 mm page at 254 dpi: 10 pixels per mm; the plot spans
	 * x 10..70 over 0..100 mm (5/3 mm per unit), y 0..1 over 40..0 mm */
	vpm_doc_t *doc = small_doc(100, 40, 254);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(10.0, 70.0, NULL), ya = vpm_axis_default(0.0, 1.0, NULL);
	vpm_box_t area = { 0, 0, 100, 40 };
	/* non-uniform centres: edges 14.5, 21.5, 37.5, 62.5 */
	const double x[3] = { 18, 25, 50 }, y[2] = { 0.25, 0.75 };
	const double z[6] = { 0.5, 2.0, 5.0, 0.5, 2.0, NAN };
	vpm_grid_t g = { 3, 2, x, y, NULL, NULL, z };
	vpm_cmap_t m = vpm_cmap_risk(1.0, 3.0);
	cairo_surface_t *img;

	m.hatch_risky = 0;
	xa.hidden = ya.hidden = 1;
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_OK);
	vpm_plot_release(&p);
	img = render_png(doc, "cells.png");
	/* pixel column of x: (x − 10)·5/3 mm · 10 px/mm; rows 100 (y 0.75),
	 * 300 (y 0.25) */
#define PX(xv) ((int)(((xv)-10.0) * 5.0 / 3.0 * 10.0))
	cr_assert_eq(pixel(img, PX(12.0), 300), 0xFFFFFFu, "left of the first edge");
	assert_color(pixel(img, PX(15.0), 300), rgb_hex(vpm_color_risk(0)), "x = 15.0");
	assert_color(pixel(img, PX(21.0), 300), rgb_hex(vpm_color_risk(0)), "x = 21.0");
	assert_color(pixel(img, PX(22.0), 300), rgb_hex(vpm_color_risk(1)), "x = 22.0");
	assert_color(pixel(img, PX(37.0), 300), rgb_hex(vpm_color_risk(1)), "x = 37.0");
	assert_color(pixel(img, PX(38.0), 300), rgb_hex(vpm_color_risk(2)), "x = 38.0");
	assert_color(pixel(img, PX(62.0), 300), rgb_hex(vpm_color_risk(2)), "x = 62.0");
	cr_assert_eq(pixel(img, PX(63.0), 300), 0xFFFFFFu, "right of the last edge");
	assert_color(pixel(img, PX(50.0), 100), rgb_hex(m.nan_color), "NaN cell");
#undef PX
	cairo_surface_destroy(img);
	vpm_doc_free(doc);
}

Test(plot, uniform_heatmap_is_one_crisp_image)
{
	/* 8 × 4 uniform cells of a sequential map on a 80 × 40 mm plot at
	 * 254 dpi: 100 × 100 pixels per cell, each exactly its colour */
	vpm_doc_t *doc = small_doc(80, 40, 254);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(0.0, 8.0, NULL), ya = vpm_axis_default(0.0, 4.0, NULL);
	vpm_box_t area = { 0, 0, 80, 40 };
	double x[8], y[4], z[32];
	vpm_grid_t g = { 8, 4, x, y, NULL, NULL, z };
	vpm_cmap_t m = vpm_cmap_sequential(0.0, 31.0, 0);
	cairo_surface_t *img;
	int i, j;
	const char *pdf = tu_tmp("uniform.pdf");

	for (i = 0; i < 8; i++)
		x[i] = i + 0.5;
	for (j = 0; j < 4; j++)
		y[j] = j + 0.5;
	for (j = 0; j < 4; j++)
		for (i = 0; i < 8; i++)
			z[j * 8 + i] = j * 8 + i;
	xa.hidden = ya.hidden = 1;
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_OK);
	vpm_plot_release(&p);
	img = render_png(doc, "uniform.png");
	for (j = 0; j < 4; j++) {
		for (i = 0; i < 8; i++) {
			uint32_t want = rgb_hex(vpm_color_sequential((j * 8 + i) / 31.0));
			int px = i * 100, py = (3 - j) * 100;

			/* centre and both corners of the cell (no smoothing) */
			cr_assert_leq(channel_diff(pixel(img, px + 50, py + 50), want), 1);
			cr_assert_leq(channel_diff(pixel(img, px + 1, py + 1), want), 1,
				      "cell %d,%d corner", i, j);
			cr_assert_leq(channel_diff(pixel(img, px + 98, py + 98), want), 1);
		}
	}
	cairo_surface_destroy(img);
	/* in a PDF it is one image, not 32 rectangles */
	cr_assert_eq(vpm_doc_save(doc, pdf), VPM_OK);
	cr_assert(file_contains(pdf, "/Subtype /Image"));
	remove(pdf);
	vpm_doc_free(doc);
}

Test(plot, heatmap_and_contour_errors)
{
	vpm_doc_t *doc = small_doc(100, 40, 72);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(0.0, 8.0, NULL), ya = vpm_axis_default(0.0, 4.0, NULL);
	vpm_box_t area = { 0, 0, 100, 40 };
	const double x[3] = { 1, 3, 2 }, y[2] = { 1, 2 }, z[6] = { 0 };
	vpm_grid_t g = { 3, 2, x, y, NULL, NULL, z };
	vpm_cmap_t m = vpm_cmap_sequential(1.0, 0.0, 0);
	vpm_line_style_t ls = vpm_line_style(vpm_color_rgb(0, 0, 0), 0.3);
	const double ok_x[3] = { 1, 2, 3 }, one[1] = { 2 };

	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_EINVAL, "x not increasing");
	g.x = ok_x;
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_EINVAL, "bad map");
	cr_assert_eq(vpm_plot_heatmap(&p, NULL, &m), VPM_EINVAL);
	m = vpm_cmap_sequential(0.0, 1.0, 0);
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_OK);
	g.nx = 1;
	g.x = one;
	cr_assert_eq(vpm_plot_heatmap(&p, &g, &m), VPM_EINVAL, "one column needs edges");
	g.nx = 3;
	g.x = x;
	cr_assert_eq(vpm_plot_contour(&p, &g, 0.5, 0, &ls, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_plot_contour(&p, NULL, 0.5, 0, &ls, NULL), VPM_EINVAL);
	g.x = ok_x;
	cr_assert_eq(vpm_plot_contour(&p, &g, 0.5, 0, NULL, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_plot_contour(&p, &g, -1.0, 1, &ls, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_plot_marker(&p, 1, 1, VPM_MARKER_CIRCLE, 0.0, ls.color, ls.color),
		     VPM_EINVAL);
	cr_assert_eq(vpm_plot_label(&p, 1, 1, NULL, NULL, NULL), VPM_EINVAL);
	vpm_plot_release(&p);
	vpm_doc_free(doc);
}

Test(plot, labels_keep_off_markers_and_each_other)
{
	vpm_doc_t *doc = small_doc(120, 80, 72);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(0.0, 10.0, NULL), ya = vpm_axis_default(0.0, 10.0, NULL);
	vpm_box_t area = { 10, 5, 110, 75 };
	vpm_text_style_t st = vpm_text_style(8);
	size_t k, m;
	int placed = 0;

	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
	/* a row of close markers, each with a label */
	for (k = 0; k < 12; k++)
		cr_assert_eq(vpm_plot_marker(&p, 1.0 + 0.7 * k, 5.0 + 0.3 * (k % 3),
					     VPM_MARKER_CIRCLE, 2.0, vpm_color_rgb(1, 1, 1),
					     vpm_color_rgb(0, 0, 0)),
			     VPM_OK);
	for (k = 0; k < 12; k++) {
		vpm_place_t how;

		cr_assert_eq(vpm_plot_label(&p, 1.0 + 0.7 * k, 5.0 + 0.3 * (k % 3), "12.5 m", &st,
					    &how),
			     VPM_OK);
		placed += how != VPM_PLACE_NONE;
	}
	cr_assert_gt(placed, 6);
	/* the placer holds 12 markers and the placed labels: none overlap */
	cr_assert_eq(p.labels.n, (size_t)(12 + placed));
	for (k = 12; k < p.labels.n; k++)
		for (m = 0; m < k; m++)
			cr_assert(!vpm_box_overlap(p.labels.boxes[k], p.labels.boxes[m]),
				  "box %zu overlaps box %zu", k, m);
	vpm_plot_release(&p);
	vpm_doc_free(doc);
}

/* ================================================================ text and tables */

Test(text, sizes_wrapping_and_rotation)
{
	vpm_doc_t *doc = small_doc(120, 80, 72);
	vpm_page_t pg;
	vpm_text_style_t st = vpm_text_style(10), tiny = vpm_text_style(3);
	vpm_text_style_t seven = vpm_text_style(7);
	double w, h, w7, h7, lh = 1.25 * 10 * 25.4 / 72;
	vpm_box_t b0, b90;

	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	/* nothing prints below 7 pt */
	vpm_text_measure(pg.cr, "Camera to wall", &tiny, &w, &h);
	vpm_text_measure(pg.cr, "Camera to wall", &seven, &w7, &h7);
	cr_assert_float_eq(w, w7, 1e-9);
	cr_assert_float_eq(h, h7, 1e-9);
	/* a DejaVu Sans line of 10 pt is about 1.16 em high */
	vpm_text_measure(pg.cr, "Hg", &st, &w, &h);
	cr_assert(h > 0.9 * 10 * 25.4 / 72 && h < 1.5 * 10 * 25.4 / 72, "height %g mm", h);
	/* wrapping: one line when wide, one word per line when a line holds
	 * one word, and a word wider than the block broken between its
	 * characters (Pango's word-char wrap): 10 letters, 3 to a line */
	vpm_text_measure(pg.cr, "aaa", &st, &w, &h);
	cr_assert_float_eq(vpm_text_wrap(pg.cr, 0, 0, 500, "aaa bbb ccc", &st, 0), lh, 1e-9);
	cr_assert_float_eq(vpm_text_wrap(pg.cr, 0, 0, w + 0.3, "aaa bbb ccc", &st, 0), 3 * lh, 1e-9);
	{
		double hw = vpm_text_wrap(pg.cr, 0, 0, w + 0.3, "aaaaaaaaaa", &st, 0);

		cr_assert_float_eq(hw, 4 * lh, 1e-9, "%g lines", hw / lh);
	}
	cr_assert_float_eq(vpm_text_wrap(pg.cr, 0, 0, 500, "a\n\nb", &st, 0), 3 * lh, 1e-9);
	cr_assert_float_eq(vpm_text_wrap(pg.cr, 0, 0, 500, "", &st, 0), 0.0, 1e-12);
	cr_assert_float_eq(vpm_text_wrap(pg.cr, 0, 0, 500, "end\n", &st, 0), lh, 1e-9);
	/* rotation by 90° swaps the box's sides */
	st.halign = 0.5;
	st.valign = 0.5;
	b0 = vpm_text_box(pg.cr, 50, 40, "Camera to wall (m)", &st);
	st.angle_deg = 90;
	b90 = vpm_text_box(pg.cr, 50, 40, "Camera to wall (m)", &st);
	cr_assert_float_eq(b0.x1 - b0.x0, b90.y1 - b90.y0, 1e-9);
	cr_assert_float_eq(b0.y1 - b0.y0, b90.x1 - b90.x0, 1e-9);
	cr_assert_float_eq((b90.y0 + b90.y1) / 2, 40.0, 1e-9);
	vpm_doc_free(doc);
}

/* Issue 13: lines are cut only between UTF-8 characters.  "é" is C3 A9,
 * "€" E2 82 AC, "𝄞" F0 9D 84 9E. */
Test(text, utf8_cut_keeps_characters_whole)
{
	const char *e = "a\xC3\xA9\xC3\xA9";		   /* a é é: 5 bytes */
	const char *mix = "\xE2\x82\xAC\xF0\x9D\x84\x9Ex"; /* € 𝄞 x: 8 bytes */
	size_t k;

	cr_assert_eq(vpm_text_utf8_cut(e, 5, 9), 5);
	cr_assert_eq(vpm_text_utf8_cut(e, 5, 5), 5);
	cr_assert_eq(vpm_text_utf8_cut(e, 5, 4), 3); /* not inside the second é */
	cr_assert_eq(vpm_text_utf8_cut(e, 5, 3), 3);
	cr_assert_eq(vpm_text_utf8_cut(e, 5, 2), 1); /* not inside the first é */
	cr_assert_eq(vpm_text_utf8_cut(e, 5, 0), 0);
	cr_assert_eq(vpm_text_utf8_cut(mix, 8, 2), 0);
	cr_assert_eq(vpm_text_utf8_cut(mix, 8, 3), 3);
	cr_assert_eq(vpm_text_utf8_cut(mix, 8, 6), 3);
	cr_assert_eq(vpm_text_utf8_cut(mix, 8, 7), 7);
	/* every cut of 600 × é ends on a character boundary */
	{
		static char many[1201];
		for (k = 0; k < 600; k++)
			memcpy(many + 2 * k, "\xC3\xA9", 2);
		for (k = 0; k <= 1200; k++) {
			size_t n = vpm_text_utf8_cut(many, 1200, k);
			cr_assert(n <= k && k - n <= 1 && n % 2 == 0, "max %zu: %zu", k, n);
		}
	}
}

/* A word longer than a wrapped line (1200 bytes of é) is cut between
 * characters, so the page stays drawable and saves; and a page whose cairo
 * context did fail (here a string cut inside a character drawn directly) is
 * an error when saved, with a message, never a silently short page. */
Test(text, long_utf8_word_wraps_and_a_failed_page_is_an_error)
{
	vpm_doc_t *doc = small_doc(120, 80, 72);
	vpm_page_t pg;
	vpm_text_style_t st = vpm_text_style(10);
	static char many[1201];
	const char *path = tu_tmp("utf8.pdf");
	size_t k;

	for (k = 0; k < 600; k++)
		memcpy(many + 2 * k, "\xC3\xA9", 2);
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	cr_assert_gt(vpm_text_wrap(pg.cr, 10, 10, 100, many, &st, 1), 0.0);
	vpm_page_title(&pg, many, many);
	cr_assert_eq(cairo_status(pg.cr), CAIRO_STATUS_SUCCESS);
	cr_assert_eq(vpm_doc_save(doc, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(tu_exists(path), 1);
	remove(path);

	/* text that is not UTF-8 is drawn with U+FFFD in place of the bad
	 * bytes: the page stays good */
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	vpm_text_draw(pg.cr, 10, 10, "caf\xC3", &st); /* "café" cut inside é */
	vpm_text_wrap(pg.cr, 10, 20, 50, "na\xEFve \xFF", &st, 1);
	cr_assert_eq(cairo_status(pg.cr), CAIRO_STATUS_SUCCESS);
	/* ... but cairo's toy API fails on it, which puts the page in error */
	cairo_move_to(pg.cr, 10, 30);
	cairo_show_text(pg.cr, "caf\xC3");
	cr_assert_neq(cairo_status(pg.cr), CAIRO_STATUS_SUCCESS);
	cr_assert_neq(vpm_doc_save(doc, path), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "page 2 of 2 could not be drawn") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(tu_exists(path), 0);
	cr_assert_neq(vpm_doc_save_page(doc, 1, path), VPM_OK);
	cr_assert_eq(vpm_doc_save_page(doc, 0, path), VPM_OK, "%s", vpm_error_message());
	remove(path);
	vpm_doc_free(doc);
}

Test(text, footer_grows_upwards_when_it_wraps)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc;
	vpm_page_t pg;
	double one, many;

	cr_assert_eq(vpm_doc_alloc(&o, &doc), VPM_OK);
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	one = vpm_page_footer(&pg, "Assumptions:", footer_items, 2, 0);
	many = vpm_page_footer(&pg, "Assumptions:", footer_items, 7, 0);
	pg.width_mm = 90; /* a narrow page wraps more */
	cr_assert_lt(vpm_page_footer(&pg, "Assumptions:", footer_items, 7, 0), many);
	cr_assert_leq(many, one);
	cr_assert_lt(one, pg.height_mm - pg.margin_mm);
	vpm_doc_free(doc);
}

Test(table, pagination_and_errors)
{
	vpm_doc_t *doc = small_doc(200, 100, 72);
	vpm_page_t pg;
	static const char *head[3] = { "Lens", "Distance", "Risk" };
	const char *cells[30 * 3];
	vpm_table_t t = { 3, 30, head, cells, NULL, NULL, NULL, 1, 9, NULL };
	size_t k, first = 0, drawn, pages = 0;
	double h, rowh;

	for (k = 0; k < 90; k++)
		cells[k] = k % 3 == 0 ? "135 mm with a long name that will not fit" : "safe";
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	while (first < t.nrows) {
		cr_assert_eq(vpm_table_draw(pg.cr, 5, 5, 120, 60, &t, first, &drawn, &h), VPM_OK);
		cr_assert_gt(drawn, 0);
		rowh = h / (drawn + 1);
		cr_assert_leq(h, 60.0 + 1e-9);
		if (first + drawn < t.nrows)
			cr_assert_gt(h + rowh, 60.0, "one more row would have fitted");
		first += drawn;
		pages++;
	}
	cr_assert_eq(first, 30);
	cr_assert_gt(pages, 1);
	cr_assert_eq(vpm_table_draw(pg.cr, 5, 5, 120, 60, &t, 30, &drawn, &h), VPM_EINVAL);
	cr_assert_eq(vpm_table_draw(pg.cr, 5, 5, 120, 1, &t, 0, &drawn, &h), VPM_EINVAL);
	t.ncols = 0;
	cr_assert_eq(vpm_table_draw(pg.cr, 5, 5, 120, 60, &t, 0, &drawn, &h), VPM_EINVAL);
	t.ncols = 3;
	t.cells = NULL;
	cr_assert_eq(vpm_table_draw(pg.cr, 5, 5, 120, 60, &t, 0, &drawn, &h), VPM_EINVAL);
	vpm_doc_free(doc);
}

/* ================================================================ golden image */

/* A small deterministic chart without text (fonts differ between
 * machines): risk heatmap with hatching, log-visibility heatmap, contours,
 * markers, a hatched polygon, an arrow and a dimension line. */
static vpm_doc_t *golden_chart(double contour_level)
{
	static double x[24], y[18], z[24 * 18];
	vpm_doc_t *doc = small_doc(80, 40, 60);
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(0.0, 1.0, NULL), ya = vpm_axis_default(0.0, 1.0, NULL);
	vpm_grid_t g = { 24, 18, x, y, NULL, NULL, z };
	vpm_cmap_t risk = vpm_cmap_risk(1.0, 3.0), seq = vpm_cmap_sequential(0.1, 10.0, 1);
	vpm_line_style_t ls = vpm_line_style(vpm_color_rgb(0, 0, 0), 0.3);
	vpm_line_style_t frame = vpm_line_style(vpm_color_rgb(0.1, 0.1, 0.1), 0.25);
	const double px[4] = { 0.05, 0.3, 0.3, 0.05 }, py[4] = { 0.05, 0.05, 0.25, 0.25 };
	int i, j;

	for (i = 0; i < 24; i++)
		x[i] = (i + 0.5) / 24;
	for (j = 0; j < 18; j++)
		y[j] = (j + 0.5) / 18;
	for (j = 0; j < 18; j++)
		for (i = 0; i < 24; i++)
			z[j * 24 + i] = 0.15 +
					4.5 * exp(-(pow(x[i] - 0.62, 2) + pow(y[j] - 0.41, 2)) /
						  0.06);
	xa.hidden = ya.hidden = 1;
	ls.halo = 1;
	cr_assert_eq(vpm_doc_page_add(doc, &pg), VPM_OK);
	for (i = 0; i < 2; i++) {
		vpm_box_t area = { 3 + 38 * i, 3, 37 + 38 * i, 37 };

		cr_assert_eq(vpm_plot_init(&p, pg.cr, area, &xa, &ya), VPM_OK);
		cr_assert_eq(vpm_plot_heatmap(&p, &g, i == 0 ? &risk : &seq), VPM_OK);
		cr_assert_eq(vpm_plot_contour(&p, &g, contour_level, 1, &ls, NULL), VPM_OK);
		ls.width_mm = 0.5;
		cr_assert_eq(vpm_plot_contour(&p, &g, 3.0, 1, &ls, NULL), VPM_OK);
		ls.width_mm = 0.3;
		cr_assert_eq(vpm_plot_marker(&p, 0.2, 0.8, VPM_MARKER_CIRCLE, 2.0,
					     vpm_color_rgb(1, 1, 1), vpm_color_rgb(0, 0, 0)),
			     VPM_OK);
		cr_assert_eq(vpm_plot_marker(&p, 0.35, 0.8, VPM_MARKER_TRIANGLE, 2.0,
					     vpm_color_rgb(0.2, 0.4, 0.8), vpm_color_rgb(0, 0, 0)),
			     VPM_OK);
		vpm_plot_polygon(&p, px, py, 4, vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.6), NULL);
		vpm_plot_hatch(&p, px, py, 4, &frame, 0.8, -45);
		vpm_plot_arrow(&p, 0.1, 0.6, 0.4, 0.6, &frame, 1);
		vpm_plot_dimension(&p, 0.55, 0.9, 0.9, 0.9, 0.0, NULL, NULL);
		vpm_plot_rect(&p, 0, 0, 1, 1, vpm_color_alpha(vpm_color_rgb(0, 0, 0), 0), &frame);
		vpm_plot_release(&p);
	}
	return doc;
}

/* Compare two images: how many pixels differ by more than 40 in a channel
 * and the mean absolute channel difference. */
static void compare(cairo_surface_t *a, cairo_surface_t *b, double *frac_bad, double *mean)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	int x, y, bad = 0;
	double sum = 0.0;

	cr_assert_eq(w, cairo_image_surface_get_width(b));
	cr_assert_eq(h, cairo_image_surface_get_height(b));
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint32_t pa = pixel(a, x, y), pb = pixel(b, x, y);
			int s;

			bad += channel_diff(pa, pb) > 40;
			for (s = 0; s < 24; s += 8)
				sum += abs((int)((pa >> s) & 255) - (int)((pb >> s) & 255));
		}
	}
	*frac_bad = (double)bad / (w * h);
	*mean = sum / (3.0 * w * h);
}

Test(golden, small_chart_matches_reference)
{
	char golden[4200];
	const char *update = getenv("VPM_UPDATE_GOLDEN");
	vpm_doc_t *doc = golden_chart(1.0), *other = golden_chart(1.6);
	cairo_surface_t *img = render_png(doc, "golden-now.png"), *ref, *moved;
	double bad, mean;

	snprintf(golden, sizeof golden, "%s/tests/golden/plots-chart.png", tu_srcdir());
	if (update && *update == '1')
		cr_assert_eq(vpm_doc_save_page(doc, 0, golden), VPM_OK, "%s", vpm_error_message());
	ref = cairo_image_surface_create_from_png(golden);
	cr_assert_eq(cairo_surface_status(ref), CAIRO_STATUS_SUCCESS,
		     "cannot read %s (VPM_UPDATE_GOLDEN=1 writes it)", golden);
	/* 80 × 40 mm at 60 dpi */
	cr_assert_eq(cairo_image_surface_get_width(ref), 189);
	cr_assert_eq(cairo_image_surface_get_height(ref), 95);
	/* tolerance for antialiasing differences between pixman versions */
	compare(img, ref, &bad, &mean);
	cr_assert_lt(bad, 0.005, "%.2f%% of the pixels differ", 100 * bad);
	cr_assert_lt(mean, 1.5, "mean difference %g", mean);
	/* the comparison notices a moved contour */
	moved = render_png(other, "golden-moved.png");
	compare(moved, ref, &bad, &mean);
	cr_assert_gt(bad, 0.01, "a different chart passed: %.2f%% bad", 100 * bad);
	cairo_surface_destroy(moved);
	cairo_surface_destroy(ref);
	cairo_surface_destroy(img);
	vpm_doc_free(doc);
	vpm_doc_free(other);
}

/* The previs book's image names: the help of `vpmoire shotlist --outdir`
 * spells out the rule; these cases are worked by hand from it. */
Test(previsbook, image_names_never_collide)
{
	static const char *const ids[] = { "1_A", "1/A", "1:A", "2b", "2B", "3" };
	/* summary.png, summary-2.png; 1_A is a safe name and keeps shot-1_A;
	 * 1/A and 1:A both map to it and take -2 and -3 in page order; 2b
	 * keeps shot-2b, 2B is the same name on a case-blind disk: -2 */
	static const char *const want[] = { "summary.png",    "summary-2.png",	"shot-1_A.png",
					    "shot-1_A-2.png", "shot-1_A-3.png", "shot-2b.png",
					    "shot-2B-2.png",  "shot-3.png" };
	static const size_t owner_want[] = { 0, 1, 2, 2, 2, 5, 5, 7 };
	vpm_shot_t shots[6];
	vpm_previs_run_t runs[6];
	char **names = NULL;
	size_t *owner = NULL, i;

	memset(shots, 0, sizeof shots);
	memset(runs, 0, sizeof runs);
	for (i = 0; i < 6; i++) {
		snprintf(shots[i].id, sizeof shots[i].id, "%s", ids[i]);
		runs[i].shot = &shots[i];
	}
	cr_assert_eq(vpm_previs_book_image_names("png", 2, runs, 6, &names, &owner), VPM_OK);
	for (i = 0; i < 8; i++) {
		cr_assert_str_eq(names[i], want[i], "page %zu", i);
		cr_assert_eq(owner[i], owner_want[i], "page %zu", i);
	}
	vpm_previs_book_names_free(names, 8);
	free(owner);
	vpm_previs_book_names_free(NULL, 3);
}

/* A chart sheet takes the plan's axis, lenses, zoom, marks and subject. */
Test(chartsheet, from_the_plan)
{
	const double stops[] = { 2.8 };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL, lp;
	vpm_chartsheet_t cs;
	vpm_lens_t l[2];
	const vpm_lens_t *cols[2] = { &l[0], &l[1] };
	vpm_panel_t panel;
	vpm_camera_t camera;

	/* a continuous range of ideal lenses, placed by the planner */
	rq.focal_lo_mm = 18.0;
	rq.focal_hi_mm = 135.0;
	rq.stops = stops;
	rq.n_stops = 1;
	rq.rule = VPM_CHART_FOCUS_BACK_OF_DOF;
	rq.subject_gap_m = 2.0;
	rq.subject_depth_m = 0.5;
	cr_assert_eq(vpm_chart_plan(NULL, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	memset(&cs, 0xff, sizeof cs);
	vpm_chartsheet_from_plan(&cs, plan, &panel, &camera);
	cr_assert_eq(cs.panel, &panel);
	cr_assert_eq(cs.camera, &camera);
	cr_assert_eq(cs.categorical, 0);
	cr_assert_eq(cs.lenses, (const vpm_lens_t *const *)plan->column_lenses);
	cr_assert_null(cs.lenses[0]);
	cr_assert_eq(cs.focal_lo_mm, 18.0);
	cr_assert_eq(cs.focal_hi_mm, 135.0);
	cr_assert_eq(cs.rule, VPM_CHART_FOCUS_BACK_OF_DOF);
	cr_assert_eq(cs.gap_m, 2.0);
	cr_assert_eq(cs.depth_m, 0.5);
	cr_assert_eq(cs.n_marks, 0);
	cr_assert_null(cs.series_name);
	cr_assert_null(cs.zoom);
	/* what the caller sets is left zero */
	cr_assert_eq(cs.by_visibility, 0);
	cr_assert_null(cs.title);
	cr_assert_eq(cs.units, VPM_UNITS_METRIC);
	vpm_chart_plan_free(plan);

	/* one column per lens, a series named */
	memset(&lp, 0, sizeof lp);
	memset(l, 0, sizeof l);
	lp.column_lenses = cols;
	lp.nx = 2;
	lp.series_name = "ZEISS CP.3";
	lp.subject_gap_m = 1.524;
	lp.subject_depth_m = 0.3;
	vpm_chartsheet_from_plan(&cs, &lp, NULL, NULL);
	cr_assert_null(cs.panel);
	cr_assert_null(cs.camera);
	cr_assert_eq(cs.categorical, 1);
	cr_assert_eq(cs.lenses[1], &l[1]);
	cr_assert_str_eq(cs.series_name, "ZEISS CP.3");
	cr_assert_eq(cs.rule, VPM_CHART_FOCUS_SUBJECT);
	cr_assert_eq(cs.gap_m, 1.524);
}
