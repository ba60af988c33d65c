/* Colours: CIELAB conversions, the sequential visibility map, the risk
 * palette and colour scales (vpm_cmap_t). */
#include <config.h>

#include <math.h>

#include "plot_private.h"
#include "vpmoire/predict.h"

/* D65 reference white (CIE 15:2004, 2° observer), Y normalised to 1. */
#define WHITE_X 0.95047
#define WHITE_Y 1.00000
#define WHITE_Z 1.08883

static double clamp01(double v)
{
	if (!(v > 0.0))
		return 0.0;
	return v < 1.0 ? v : 1.0;
}

vpm_color_t vpm_color_rgb(double r, double g, double b)
{
	vpm_color_t c = { clamp01(r), clamp01(g), clamp01(b), 1.0 };
	return c;
}

vpm_color_t vpm_color_alpha(vpm_color_t c, double a)
{
	c.a = clamp01(a);
	return c;
}

/* sRGB transfer function (IEC 61966-2-1). */
static double srgb_to_linear(double v)
{
	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double linear_to_srgb(double v)
{
	return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

/* CIE 1976 L*a*b* companding: f(t) and its inverse, δ = 6/29. */
static double lab_f(double t)
{
	const double d = 6.0 / 29.0;
	return t > d * d * d ? cbrt(t) : t / (3.0 * d * d) + 4.0 / 29.0;
}

static double lab_finv(double t)
{
	const double d = 6.0 / 29.0;
	return t > d ? t * t * t : 3.0 * d * d * (t - 4.0 / 29.0);
}

static double luminance(vpm_color_t c)
{
	/* Y row of the sRGB → XYZ matrix (IEC 61966-2-1). */
	return 0.2126729 * srgb_to_linear(c.r) + 0.7151522 * srgb_to_linear(c.g) +
	       0.0721750 * srgb_to_linear(c.b);
}

void vpm_color_to_lab(vpm_color_t c, double lab[3])
{
	double r = srgb_to_linear(c.r), g = srgb_to_linear(c.g), b = srgb_to_linear(c.b);
	double x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b;
	double y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
	double z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b;
	double fx = lab_f(x / WHITE_X), fy = lab_f(y / WHITE_Y), fz = lab_f(z / WHITE_Z);

	lab[0] = 116.0 * fy - 16.0;
	lab[1] = 500.0 * (fx - fy);
	lab[2] = 200.0 * (fy - fz);
}

vpm_color_t vpm_color_from_lab(double l_star, double a_star, double b_star)
{
	double fy = (l_star + 16.0) / 116.0;
	double x = WHITE_X * lab_finv(fy + a_star / 500.0);
	double y = WHITE_Y * lab_finv(fy);
	double z = WHITE_Z * lab_finv(fy - b_star / 200.0);
	/* the exact inverse of the matrix in vpm_color_to_lab(), so that
	 * colours survive a round trip */
	double r = 3.2404548360 * x - 1.5371388501 * y - 0.4985315469 * z;
	double g = -0.9692663899 * x + 1.8760109288 * y + 0.0415560823 * z;
	double b = 0.0556434196 * x - 0.2040258543 * y + 1.0572251625 * z;

	return vpm_color_rgb(linear_to_srgb(clamp01(r)), linear_to_srgb(clamp01(g)),
			     linear_to_srgb(clamp01(b)));
}

double vpm_color_grey_lightness(vpm_color_t c)
{
	return 116.0 * lab_f(luminance(c)) - 16.0;
}

/* The sequential map as a path in CIELAB (L*, a*, b*).  Designed for this
 * project: seven anchors in LCh(ab) — (L*, C*, h°) = (96, 10, 95),
 * (86, 46, 86), (71, 62, 60), (55, 68, 35), (38, 58, 10), (24, 44, 330),
 * (12, 28, 300): lightness falling by 10–17 per anchor while the hue turns
 * from cream through yellow, orange and red to purple — joined by a uniform
 * Catmull–Rom spline in (L*, C*, h°) and sampled four times per span.  The
 * path turns by at most 24° between samples, every straight segment stays
 * inside the sRGB gamut, and L* falls strictly. */
static const double seq_lab[][3] = {
	{ 96.00, -0.87, 9.96 },	  { 93.62, -1.07, 19.44 },  { 91.31, -0.80, 29.24 },
	{ 88.85, 0.37, 38.40 },	  { 86.00, 3.21, 45.89 },   { 82.62, 8.37, 50.96 },
	{ 78.88, 15.40, 53.71 },  { 74.94, 23.28, 54.40 },  { 71.00, 31.00, 53.69 },
	{ 67.09, 38.25, 52.03 },  { 63.12, 45.06, 49.07 },  { 59.09, 51.04, 44.72 },
	{ 55.00, 55.70, 39.00 },  { 50.75, 58.30, 32.45 },  { 46.38, 58.95, 25.56 },
	{ 42.06, 58.39, 18.19 },  { 38.00, 57.12, 10.07 },  { 34.24, 54.82, 0.78 },
	{ 30.69, 50.64, -8.65 },  { 27.29, 44.75, -16.60 }, { 24.00, 38.11, -22.00 },
	{ 20.86, 31.54, -24.83 }, { 17.88, 25.26, -25.82 }, { 14.95, 19.40, -25.50 },
	{ 12.00, 14.00, -24.25 },
};
#define SEQ_N (sizeof seq_lab / sizeof seq_lab[0])

static void lch_to_lab(const double lch[3], double lab[3])
{
	double h = lch[2] * (VPM_PLOT_PI / 180.0);

	lab[0] = lch[0];
	lab[1] = lch[1] * cos(h);
	lab[2] = lch[1] * sin(h);
}

vpm_color_t vpm_color_sequential(double t)
{
	double len[SEQ_N - 1], total = 0.0, s;
	size_t i;

	if (isnan(t))
		return vpm_color_rgb(0.6, 0.6, 0.6);
	t = clamp01(t);
	for (i = 0; i + 1 < SEQ_N; i++) {
		double dl = seq_lab[i + 1][0] - seq_lab[i][0];
		double da = seq_lab[i + 1][1] - seq_lab[i][1];
		double db = seq_lab[i + 1][2] - seq_lab[i][2];

		len[i] = sqrt(dl * dl + da * da + db * db);
		total += len[i];
	}
	/* Arc-length parametrisation: t is the fraction of the total ΔE*ab
	 * travelled, so equal steps in t are equal colour differences. */
	s = t * total;
	for (i = 0; i + 2 < SEQ_N && s > len[i]; i++)
		s -= len[i];
	s = len[i] > 0.0 ? s / len[i] : 0.0;
	if (s > 1.0)
		s = 1.0;
	return vpm_color_from_lab(seq_lab[i][0] + s * (seq_lab[i + 1][0] - seq_lab[i][0]),
				  seq_lab[i][1] + s * (seq_lab[i + 1][1] - seq_lab[i][1]),
				  seq_lab[i][2] + s * (seq_lab[i + 1][2] - seq_lab[i][2]));
}

vpm_color_t vpm_color_risk(int level)
{
	/* LCh anchors: pale blue-green, amber, dark red.  L* 93 / 70 / 38 keeps
	 * 23 and 32 units between neighbours in greyscale; the hues differ along
	 * the blue–yellow axis that colour-deficient vision keeps. */
	static const double risk_lch[3][3] = {
		{ 93.0, 16.0, 195.0 },
		{ 70.0, 60.0, 68.0 },
		{ 38.0, 55.0, 18.0 },
	};
	double lab[3];

	if (level < 0)
		level = 0;
	if (level > 2)
		level = 2;
	lch_to_lab(risk_lch[level], lab);
	return vpm_color_from_lab(lab[0], lab[1], lab[2]);
}

/* ---------------------------------------------------------------- scales */

vpm_cmap_t vpm_cmap_sequential(double min, double max, int log)
{
	vpm_cmap_t m;

	m.kind = VPM_CMAP_SEQUENTIAL;
	m.min = min;
	m.max = max;
	m.log = log;
	m.caution_at = 1.0;
	m.risky_at = 3.0;
	m.hatch_risky = 0;
	m.nan_color = vpm_color_rgb(0.86, 0.86, 0.86);
	return m;
}

vpm_cmap_t vpm_cmap_risk(double caution_at, double risky_at)
{
	vpm_cmap_t m = vpm_cmap_sequential(0.1, 10.0, 1);

	m.kind = VPM_CMAP_RISK;
	m.caution_at = caution_at;
	m.risky_at = risky_at;
	m.hatch_risky = 1;
	return m;
}

vpm_status_t vpm_cmap_validate(const vpm_cmap_t *m)
{
	if (!m)
		return vpm_error_set(VPM_EINVAL, "colour map: NULL");
	if (m->kind != VPM_CMAP_SEQUENTIAL && m->kind != VPM_CMAP_RISK)
		return vpm_error_set(VPM_EINVAL, "colour map: unknown kind %d", (int)m->kind);
	if (!isfinite(m->min) || !isfinite(m->max) || !(m->min < m->max))
		return vpm_error_set(VPM_EINVAL,
				     "colour map: range [%g, %g] is empty or not finite", m->min,
				     m->max);
	if (m->log && !(m->min > 0.0))
		return vpm_error_set(VPM_EINVAL, "colour map: log scale needs min > 0 (got %g)",
				     m->min);
	if (!isfinite(m->caution_at) || !isfinite(m->risky_at) || m->caution_at > m->risky_at)
		return vpm_error_set(VPM_EINVAL,
				     "colour map: thresholds %g and %g are not in order",
				     m->caution_at, m->risky_at);
	return VPM_OK;
}

int vpm_cmap_level(const vpm_cmap_t *m, double v)
{
	if (isnan(v))
		return -1; /* no colour; a verdict would call it RISKY */
	return (int)vpm_risk_classify(v, m->caution_at, m->risky_at);
}

double vpm_cmap_fraction(const vpm_cmap_t *m, double v)
{
	double lo = m->min, hi = m->max;

	if (isnan(v))
		return NAN;
	if (m->log) {
		if (!(v > 0.0))
			return 0.0;
		v = log10(v);
		lo = log10(lo);
		hi = log10(hi);
	}
	return clamp01((v - lo) / (hi - lo));
}

vpm_color_t vpm_cmap_color(const vpm_cmap_t *m, double v)
{
	if (isnan(v))
		return m->nan_color;
	if (m->kind == VPM_CMAP_RISK)
		return vpm_color_risk(vpm_cmap_level(m, v));
	return vpm_color_sequential(vpm_cmap_fraction(m, v));
}
