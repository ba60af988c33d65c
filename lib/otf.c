/* Optical transfer functions: diffraction, exact defocus (Hopkins 1955),
 * planning tolerance, aberrations, OLPF, photosite aperture. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_interp.h>

#include "error.h"
#include "vpmoire/otf.h"
#include "vpmoire/predict.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define NM_TO_MM 1e-6

double vpm_otf_sinc(double x)
{
	double px;

	if (x == 0.0)
		return 1.0;
	px = M_PI * x;
	return sin(px) / px;
}

double vpm_otf_shear(double nu_cy_mm, double wavelength_nm, double stop)
{
	return 2.0 * wavelength_nm * NM_TO_MM * stop * fabs(nu_cy_mm);
}

double vpm_otf_cutoff_cy_mm(double wavelength_nm, double stop)
{
	return 1.0 / (wavelength_nm * NM_TO_MM * stop);
}

double vpm_otf_diffraction(double s)
{
	double h = 0.5 * fabs(s);

	if (h >= 1.0)
		return 0.0;
	return (2.0 / M_PI) * (acos(h) - h * sqrt(1.0 - h * h));
}

double vpm_otf_diffraction_cy_mm(double nu_cy_mm, double wavelength_nm, double stop)
{
	return vpm_otf_diffraction(vpm_otf_shear(nu_cy_mm, wavelength_nm, stop));
}

/* ------------------------------------------------------------------------
 * sin and cos together for the quadrature's inner loop, to ~1e-16
 * absolute: reduce by k·π/2 with π/2 split into three parts (the first two
 * of 33 significant bits, so k·P1 and k·P2 are exact for |k| < 2^20:
 * Cody & Waite 1980), then Taylor series on |r| ≤ π/4 (the first omitted
 * term is below 5e-17).  Beyond |x| ≈ 1.6e6 it falls back to libm. */
#define PIO2_1 1.5707963267341256     /* π/2 to 33 bits */
#define PIO2_2 6.077100506303966e-11  /* next 33 bits */
#define PIO2_3 2.0222662487959506e-21 /* the rest */
#define TWO_OVER_PI 0.6366197723675814

static inline void sincos_poly(double r, double *s, double *c)
{
	double r2 = r * r;

	*s = r * (1.0 + r2 * (-1.0 / 6 +
			      r2 * (1.0 / 120 +
				    r2 * (-1.0 / 5040 +
					  r2 * (1.0 / 362880 +
						r2 * (-1.0 / 39916800 +
						      r2 * (1.0 / 6227020800.0 +
							    r2 * (-1.0 / 1307674368000.0))))))));
	*c = 1.0 +
	     r2 * (-0.5 + r2 * (1.0 / 24 +
				r2 * (-1.0 / 720 +
				      r2 * (1.0 / 40320 +
					    r2 * (-1.0 / 3628800 +
						  r2 * (1.0 / 479001600.0 +
							r2 * (-1.0 / 87178291200.0 +
							      r2 * (1.0 / 20922789888000.0))))))));
}

static inline void fast_sincos(double x, double *s, double *c)
{
	double k, r, ss, cc;
	long q;

	if (!(fabs(x) < 1.6e6)) {
		*s = sin(x);
		*c = cos(x);
		return;
	}
	/* round to nearest without a libm call: adding 1.5·2^52 leaves no
	 * fraction bits (valid for |x·2/π| < 2^51, round-to-nearest mode) */
	k = (x * TWO_OVER_PI + 6755399441055744.0) - 6755399441055744.0;
	r = ((x - k * PIO2_1) - k * PIO2_2) - k * PIO2_3;
	sincos_poly(r, &ss, &cc);
	q = (long)k & 3;
	switch (q) {
	case 0:
		*s = ss;
		*c = cc;
		break;
	case 1:
		*s = cc;
		*c = -ss;
		break;
	case 2:
		*s = -ss;
		*c = -cc;
		break;
	default:
		*s = -cc;
		*c = ss;
		break;
	}
}

/* ------------------------------------------------------------------------
 * Gauss–Legendre rules.  A ladder of orders is computed once per process
 * (Newton on the three-term recurrence; nodes to ~1e-16) and shared
 * read-only by every thread.  Larger needs are met by composite panels. */

static const int gl_orders[] = { 4,  6,	 8,  10,  12,  14,  16,	 20,  24,  28,	32,  40,  48, 56,
				 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448, 512 };
#define GL_NORDERS ((int)(sizeof gl_orders / sizeof gl_orders[0]))
#define GL_MAXORDER 512
#define GL_TOTAL 3294 /* sum of gl_orders (checked in gl_init) */

static double gl_x[GL_TOTAL], gl_w[GL_TOTAL];
static int gl_off[GL_NORDERS];
static pthread_once_t gl_once = PTHREAD_ONCE_INIT;
/* Each rule is computed on first use (the big ones cost milliseconds):
 * double-checked with an acquire/release flag under one mutex. */
static _Atomic int gl_ready[GL_NORDERS];
static pthread_mutex_t gl_lock = PTHREAD_MUTEX_INITIALIZER;

static void gl_legendre(int n, double z, double *p, double *dp)
{
	double p1 = 1.0, p2 = 0.0;

	for (int j = 1; j <= n; j++) {
		double p3 = p2;

		p2 = p1;
		p1 = ((2.0 * j - 1.0) * z * p2 - (j - 1.0) * p3) / j;
	}
	*p = p1;
	*dp = n * (z * p1 - p2) / (z * z - 1.0);
}

static void gl_rule(int n, double *x, double *w)
{
	for (int i = 0; i < (n + 1) / 2; i++) {
		/* Tricomi's initial guess, then Newton. */
		double z = cos(M_PI * (i + 0.75) / (n + 0.5)), p, dp;

		for (int it = 0; it < 100; it++) {
			double z1 = z;

			gl_legendre(n, z, &p, &dp);
			z = z1 - p / dp;
			if (fabs(z - z1) <= 1e-16)
				break;
		}
		gl_legendre(n, z, &p, &dp);
		x[i] = -z;
		x[n - 1 - i] = z;
		w[i] = w[n - 1 - i] = 2.0 / ((1.0 - z * z) * dp * dp);
	}
}

static void gl_init(void)
{
	int off = 0;

	for (int k = 0; k < GL_NORDERS && off + gl_orders[k] <= GL_TOTAL; k++) {
		gl_off[k] = off;
		off += gl_orders[k];
	}
}

/* Make sure rule k is computed; returns k. */
static int gl_use(int k)
{
	if (!atomic_load_explicit(&gl_ready[k], memory_order_acquire)) {
		pthread_once(&gl_once, gl_init);
		pthread_mutex_lock(&gl_lock);
		if (!atomic_load_explicit(&gl_ready[k], memory_order_relaxed)) {
			gl_rule(gl_orders[k], gl_x + gl_off[k], gl_w + gl_off[k]);
			atomic_store_explicit(&gl_ready[k], 1, memory_order_release);
		}
		pthread_mutex_unlock(&gl_lock);
	}
	return k;
}

/* Nodes for 1e-12 on an integrand whose phase changes by at most κ radians
 * per unit of the mapped variable x ∈ [−1, 1].  An n-point rule is exact to
 * degree 2n − 1 and e^{iκx} needs degree κ plus a transition of order
 * κ^{1/3}; the constants were fitted to the smallest n that integrates
 * cos(κx + φ) to 1e-12 for κ = 1 … 2500 (4.5·κ^{1/3} at most), with margin.
 * tests/test_otf.c checks the OTF itself densely against adaptive
 * quadrature. */
static int gl_need(double kappa)
{
	return (int)ceil(0.5 * kappa + 5.0 * cbrt(kappa) + 4.0);
}

/* Largest κ one panel of the top order handles: gl_need(900) = 505. */
#define GL_PANEL_KAPPA 900.0

static int gl_pick(int need)
{
	for (int k = 0; k < GL_NORDERS; k++)
		if (gl_orders[k] >= need)
			return k;
	return GL_NORDERS - 1;
}

/* acc[j] += ∫_{t0}^{t1} sin²t · cos(a_j·(cos t − c)) dt, a_j = a0 + j·da,
 * j < n.  kappa_per_rad: largest |a_j|·max sin t over the interval, i.e.
 * the phase rate in radians of phase per radian of t. */
static void gl_accumulate(double t0, double t1, double c, double a0, double da, int n, double rate,
			  double *acc)
{
	double len = t1 - t0;
	int panels = 1, k, m;

	if (len <= 0.0)
		return;
	{
		/* sin²t adds frequency 2 to the phase rate */
		double kappa = (rate + 2.0) * len / 2.0;

		if (kappa > GL_PANEL_KAPPA)
			panels = (int)ceil(kappa / GL_PANEL_KAPPA);
		k = gl_use(gl_pick(gl_need(kappa / panels)));
	}
	m = gl_orders[k];
	{
		const double *x = gl_x + gl_off[k], *w = gl_w + gl_off[k];
		double h = len / (2.0 * panels);

		for (int p = 0; p < panels; p++) {
			double mid = t0 + (2 * p + 1) * h;
			double sum[VPM_OTF_SERIES_MAX] = { 0 };

			for (int i = 0; i < m; i++) {
				double st, ct, wt, ph, cr, sr;

				fast_sincos(mid + h * x[i], &st, &ct);
				wt = w[i] * st * st;
				ph = ct - c;
				fast_sincos(a0 * ph, &sr, &cr);
				sum[0] += wt * cr;
				if (n > 1) {
					double cd, sd;

					fast_sincos(da * ph, &sd, &cd);

					for (int j = 1; j < n; j++) {
						double cn = cr * cd - sr * sd;

						sr = sr * cd + cr * sd;
						cr = cn;
						sum[j] += wt * cr;
					}
				}
			}
			for (int j = 0; j < n; j++)
				acc[j] += h * sum[j];
		}
	}
}

/* Re{e^{−iac} ∫₀¹ sqrt(1−y²) e^{iay} dy} for large a (≥ ASYM_MIN), through
 *   ∫₀¹ sqrt(1−y²) e^{iay} dy = (π/(2a))·(J1(a) + i·H1(a))
 * (the Poisson integrals of J1 and of the Struve function H1, DLMF 10.9.4
 * and 11.5.2), Hankel's expansion of J1 and Y1 (DLMF 10.17.3) and the
 * expansion of H1 − Y1 (DLMF 11.6.1).  cw/sw: cos/sin of a − 3π/4;
 * cc/sc: cos/sin of a·c.  Relative accuracy ~1e-12 for a ≥ 40. */
#ifndef ASYM_MIN
#define ASYM_MIN 40.0
#endif

static double half_pupil_asym(double a, double cw, double sw, double cc, double sc)
{
	/* a_k(1) = ∏_{i=1..k} (4 − (2i−1)²) / (k!·8^k) */
	static const double ak[] = { 1.0,
				     0.375,
				     -0.1171875,
				     0.1025390625,
				     -0.1441955566406250,
				     0.2775764465332031,
				     -0.6765925884246826,
				     1.993531733751297,
				     -6.883509626239538 };
	/* coefficients of (2/π)·(1 + 1/a² − 3/a⁴ + 45/a⁶ − 1575/a⁸ + ...) */
	static const double kk[] = { 1.0, 1.0, -3.0, 45.0, -1575.0, 99225.0, -9823275.0 };
	double ia = 1.0 / a, ia2 = ia * ia;
	double P = 0.0, Q = 0.0, K = 0.0, pw;
	double amp, j1, y1, h1;

	/* P = Σ (−1)^m a_{2m}/a^{2m}, Q = Σ (−1)^m a_{2m+1}/a^{2m+1} */
	pw = 1.0;
	for (int m = 0; m <= 4; m++) {
		double sg = (m & 1) ? -1.0 : 1.0;

		P += sg * ak[2 * m] * pw;
		if (2 * m + 1 <= 8)
			Q += sg * ak[2 * m + 1] * pw * ia;
		pw *= ia2;
	}
	pw = 1.0;
	for (int m = 0; m < 7; m++) {
		K += kk[m] * pw;
		pw *= ia2;
	}
	amp = sqrt(2.0 / (M_PI * a));
	j1 = amp * (P * cw - Q * sw);
	y1 = amp * (P * sw + Q * cw);
	h1 = y1 + (2.0 / M_PI) * K;
	return (M_PI / (2.0 * a)) * (j1 * cc + h1 * sc);
}

static void hopkins_series(double s, double w0, double dw, int n, double *out)
{
	double c, T, a0, da, amax, amin, rate_d, rate_c, kd, kc;
	double acc[VPM_OTF_SERIES_MAX] = { 0 };

	s = fabs(s);
	if (s >= 2.0) {
		for (int j = 0; j < n; j++)
			out[j] = 0.0;
		return;
	}
	/* H is even in w: mirror an all-negative series */
	if (w0 <= 0.0 && w0 + (n - 1) * dw <= 0.0) {
		w0 = -w0;
		dw = -dw;
	}
	a0 = 4.0 * M_PI * s * w0;
	da = 4.0 * M_PI * s * dw;
	amax = fmax(fabs(a0), fabs(a0 + (n - 1) * da));
	amin = fmin(fabs(a0), fabs(a0 + (n - 1) * da));
	if (a0 * (a0 + (n - 1) * da) <= 0.0)
		amin = 0.0;
	if (amax == 0.0) {
		double m = vpm_otf_diffraction(s);

		for (int j = 0; j < n; j++)
			out[j] = m;
		return;
	}
	c = 0.5 * s;
	T = acos(c);
	/* Phase rate |d/dt a(cos t − c)| = a·sin t: up to a·sin T on [0, T],
	 * up to a on [T, π/2].  Nodes scale with rate × half-length. */
	rate_d = amax * sqrt(1.0 - c * c);
	rate_c = amax;
	kd = rate_d * T / 2.0;
	kc = rate_c * (M_PI / 2.0 - T) / 2.0;
	if (amin >= ASYM_MIN && gl_need(kc) + 8 < gl_need(kd)) {
		/* H = (4/π)·[Re{e^{−iac}·∫₀^{π/2}} − ∫_T^{π/2}] */
		double w1 = a0 - 0.75 * M_PI, cw = cos(w1), sw = sin(w1);
		double cdw = cos(da), sdw = sin(da);
		double cc = cos(a0 * c), sc = sin(a0 * c);
		double cdc = cos(da * c), sdc = sin(da * c);

		gl_accumulate(T, M_PI / 2.0, c, a0, da, n, rate_c, acc);
		for (int j = 0; j < n; j++) {
			double a = a0 + j * da, t;

			out[j] = (4.0 / M_PI) * (half_pupil_asym(a, cw, sw, cc, sc) - acc[j]);
			t = cw * cdw - sw * sdw;
			sw = sw * cdw + cw * sdw;
			cw = t;
			t = cc * cdc - sc * sdc;
			sc = sc * cdc + cc * sdc;
			cc = t;
		}
		return;
	}
	gl_accumulate(0.0, T, c, a0, da, n, rate_d, acc);
	for (int j = 0; j < n; j++)
		out[j] = (4.0 / M_PI) * acc[j];
}

void vpm_otf_hopkins_series(double s, double w0_waves, double dw_waves, int n, double *out)
{
	if (n < 1 || n > VPM_OTF_SERIES_MAX || !out)
		return;
	hopkins_series(s, w0_waves, dw_waves, n, out);
}

double vpm_otf_hopkins(double s, double w020_waves)
{
	double h;

	hopkins_series(s, fabs(w020_waves), 0.0, 1, &h);
	return h;
}

double vpm_otf_hopkins_cy_mm(double nu_cy_mm, double wavelength_nm, double stop, double w020_waves)
{
	return vpm_otf_hopkins(vpm_otf_shear(nu_cy_mm, wavelength_nm, stop), w020_waves);
}

double vpm_otf_defocus_factor(double s, double w020_waves, double tolerance)
{
	double h[9], best = 0.0, w = fabs(w020_waves);

	if (tolerance == 0.0 || w == 0.0) {
		hopkins_series(s, w, 0.0, 1, h);
		return fabs(h[0]);
	}
	hopkins_series(s, w * (1.0 - tolerance), w * tolerance / 4.0, 9, h);
	for (int j = 0; j < 9; j++)
		best = fmax(best, fabs(h[j]));
	return best;
}

/* Bounds on I = ∫₀^L g(x) cos(bx) dx, g = sqrt(1 − (x + c)²), L = 1 − c,
 * b = 4π·w·s, H = (4/π)·I (x-form of SPEC §2 step 4).  g ≥ 0 falls and is
 * concave on [0, L], g(L) = 0:
 *  - |I| ≤ ∫₀^L g = (π/4)·MTF(s);
 *  - one integration by parts: |I| ≤ (g(0) − g(L))/b = sqrt(1 − c²)/b;
 *  - split at m = L − δ: the end piece is at most ∫ sqrt(2(L − x)) dx =
 *    (2√2/3)·δ^{3/2}; integrating the rest by parts twice leaves at most
 *    g(m)/b + 2·|g′(m)|/b² (|g′| grows, so ∫|g″| = |g′(m)| − |g′(0)|),
 *    with g(m) ≤ sqrt(2δ) and |g′(m)| ≤ 1/sqrt(δ).  δ = 0.6/b gives
 *    (0.438 + 1.095 + 2.582)·b^{−3/2} ≤ 4.12·b^{−3/2}; when 0.6/b > L the
 *    whole integral is below (2√2/3)·L^{3/2} < 0.44·b^{−3/2}.
 * All three fall as s or w grows, so the bound is monotone in both: the
 * predictor uses it as an envelope over higher harmonics. */
double vpm_otf_defocus_bound(double s, double w_min_waves)
{
	double mtf = vpm_otf_diffraction(s);
	double c, b, best;

	s = fabs(s);
	w_min_waves = fabs(w_min_waves);
	if (mtf == 0.0 || w_min_waves == 0.0)
		return mtf;
	c = 0.5 * s;
	b = 4.0 * M_PI * w_min_waves * s;
	best = fmin(sqrt(1.0 - c * c) / b, 4.12 / (b * sqrt(b)));
	return fmin(mtf, (4.0 / M_PI) * best);
}

double vpm_otf_olpf(double nu_x_cy_mm, double nu_y_cy_mm, double split_mm)
{
	if (split_mm == 0.0)
		return 1.0;
	return fabs(cos(M_PI * split_mm * nu_x_cy_mm)) * fabs(cos(M_PI * split_mm * nu_y_cy_mm));
}

double vpm_otf_photosite(double nu_x_cy_mm, double nu_y_cy_mm, double aperture_mm)
{
	return fabs(vpm_otf_sinc(aperture_mm * nu_x_cy_mm) *
		    vpm_otf_sinc(aperture_mm * nu_y_cy_mm));
}

/* ------------------------------------------------------------------------
 * Aberrations from a catalog MTF curve. */

#define AB_NPTS (VPM_LENS_MTF_MAX + 1) /* with (0, 1) in front */

struct vpm_otf_aberration {
	int n; /* points including (0, 1); 0 = ideal */
	double stop;
	double x[AB_NPTS], y[AB_NPTS];
	double last_ratio;		 /* MTF_cat/MTF_diff at the last point */
	gsl_interp *interp[AB_NPTS + 1]; /* by size: linear for 2, steffen ≥ 3 */
};

vpm_otf_aberration_t *vpm_otf_aberration_alloc(void)
{
	vpm_otf_aberration_t *ab = calloc(1, sizeof *ab);

	if (!ab) {
		vpm_error(VPM_ENOMEM, "out of memory for a lens aberration model");
		return NULL;
	}
	for (int k = 2; k <= AB_NPTS; k++) {
		ab->interp[k] = gsl_interp_alloc(k == 2 ? gsl_interp_linear : gsl_interp_steffen,
						 (size_t)k);
		if (!ab->interp[k]) {
			vpm_otf_aberration_free(ab);
			vpm_error(VPM_ENOMEM, "out of memory for a lens aberration model");
			return NULL;
		}
	}
	return ab;
}

void vpm_otf_aberration_free(vpm_otf_aberration_t *ab)
{
	if (!ab)
		return;
	for (int k = 0; k <= AB_NPTS; k++)
		if (ab->interp[k])
			gsl_interp_free(ab->interp[k]);
	free(ab);
}

vpm_status_t vpm_otf_aberration_check(int n, const double *nu_cy_mm, const double *mtf, double stop)
{
	double cut;

	if (n == 0)
		return VPM_OK;
	if (n < 0 || n > VPM_LENS_MTF_MAX)
		return vpm_error(VPM_EINVAL, "lens MTF: %d points (0 to %d allowed)", n,
				 VPM_LENS_MTF_MAX);
	if (!nu_cy_mm || !mtf)
		return vpm_error(VPM_EINVAL, "lens MTF: no data");
	if (!(stop >= 0.5 && stop <= 128.0))
		return vpm_error(VPM_ERANGE,
				 "lens MTF: stop %g of the MTF curve is outside [0.5, 128]", stop);
	cut = vpm_otf_cutoff_cy_mm(555.0, stop);
	for (int i = 0; i < n; i++) {
		if (!isfinite(nu_cy_mm[i]) || nu_cy_mm[i] <= 0.0)
			return vpm_error(VPM_EINVAL,
					 "lens MTF: frequency %g cy/mm of point %d is not positive",
					 nu_cy_mm[i], i + 1);
		if (i > 0 && !(nu_cy_mm[i] > nu_cy_mm[i - 1]))
			return vpm_error(
				VPM_EINVAL,
				"lens MTF: frequencies must increase (point %d: %g after %g cy/mm)",
				i + 1, nu_cy_mm[i], nu_cy_mm[i - 1]);
		if (nu_cy_mm[i] >= 0.999 * cut)
			return vpm_error(
				VPM_ERANGE,
				"lens MTF: %g cy/mm is at or beyond the diffraction cut-off %.4g cy/mm at T%g",
				nu_cy_mm[i], cut, stop);
		if (!(mtf[i] >= 0.0 && mtf[i] <= 1.0))
			return vpm_error(VPM_ERANGE,
					 "lens MTF: modulation %g of point %d is outside [0, 1]",
					 mtf[i], i + 1);
	}
	return VPM_OK;
}

vpm_status_t vpm_otf_aberration_set(vpm_otf_aberration_t *ab, int n, const double *nu_cy_mm,
				    const double *mtf, double stop)
{
	vpm_status_t st;

	if (!ab)
		return vpm_error(VPM_EINVAL, "lens MTF: no aberration model");
	ab->n = 0;
	st = vpm_otf_aberration_check(n, nu_cy_mm, mtf, stop);
	if (st != VPM_OK || n == 0)
		return st;
	ab->stop = stop;
	ab->x[0] = 0.0;
	ab->y[0] = 1.0;
	for (int i = 0; i < n; i++) {
		ab->x[i + 1] = nu_cy_mm[i];
		ab->y[i + 1] = mtf[i];
	}
	if (gsl_interp_init(ab->interp[n + 1], ab->x, ab->y, (size_t)(n + 1)) != 0)
		return vpm_error(VPM_EINTERNAL, "lens MTF: interpolation set-up failed");
	ab->last_ratio = mtf[n - 1] / vpm_otf_diffraction_cy_mm(nu_cy_mm[n - 1], 555.0, stop);
	ab->n = n + 1;
	return VPM_OK;
}

double vpm_otf_aberration_factor(const vpm_otf_aberration_t *ab, double nu_cy_mm)
{
	double nu = fabs(nu_cy_mm), r;

	if (!ab || ab->n == 0 || nu == 0.0)
		return 1.0;
	if (nu >= ab->x[ab->n - 1]) {
		r = ab->last_ratio;
	} else {
		double m = gsl_interp_eval(ab->interp[ab->n], ab->x, ab->y, nu, NULL);

		r = m / vpm_otf_diffraction_cy_mm(nu, 555.0, ab->stop);
	}
	if (!(r > 0.0))
		return 0.0;
	return r < 1.0 ? r : 1.0;
}
