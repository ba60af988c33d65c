/* Optical transfer functions: diffraction, exact defocus (Hopkins 1955),
 * planning tolerance, the soft-edged field lens model, aberrations, OLPF,
 * photosite aperture. */
#include <config.h>

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_interp.h>
#include <gsl/gsl_sf_bessel.h>

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
				     -6.883914268109947 };
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

/* ------------------------------------------------------------------------
 * Field lens model, geometric branch: the soft-edged pupil's blur spot in
 * the ray limit (otf.h; the wave branch follows below).  With a = 1 − ε
 * and u = (ρ − a)/ε the pupil's amplitude is 1 on [0, a] and the raised
 * cosine cos²(πu/2) = (1 + cos πu)/2 on [a, 1], so it transmits the
 * intensity
 *   A² = cos⁴(πu/2) = (3 + 4·cos πu + cos 2πu)/8   on [a, 1].
 * The amplitude is C¹ (no kink at either end; a kink at ρ = 1 diffracts,
 * and the geometric spot cannot see that).  A² is C¹ at ρ = a (its slope
 * vanishes there, its curvature jumps from 0 to −π²/(2ε²)) and C³ at ρ = 1
 * (A² ≈ (π(1 − u)/2)⁴), so C¹ overall; it falls monotonically on the edge.
 *
 *   N = ∫₀¹ A² 2ρ dρ = a² + (3/4)·a·ε + ε²·(3/8 − 2/π²)
 *       (on [0, 1]: ∫ A² du = 3/8, ∫ u·A² du = 3/16 − 1/π², as
 *        ∫ u·cos πu du = −2/π² and ∫ u·cos 2πu du = 0)
 *   G(x) = (1/N)·[a²·jinc(a·x) + ∫_a^1 A²(ρ) J0(xρ) 2ρ dρ],  jinc(z) = 2J1(z)/z
 *
 * the disc in closed form (∫ J0(xρ) ρ dρ = ρ·J1(xρ)/x), the edge ring by
 * composite Gauss–Legendre.  The table also needs G′ and G″: differentiate
 * under the integral (J0′ = −J1, J0″(z) = −J0(z) + J1(z)/z) and, for the
 * disc, jinc′ = −2J2/z, jinc″ = −2J1/z + 6J2/z².
 *
 * Table: nodes x = m·h, h = 1/2, m = 0 … 8192 (X_max = 4096: every s < 2
 * up to 163 waves of defocus); each cell holds the quintic Hermite
 * interpolant of (G, G′, G″) at its two ends as six monomial coefficients
 * in t ∈ [0, 1], so one value is a Horner chain.  Error of quintic Hermite:
 * |G⁽⁶⁾|·t³(1 − t)³·h⁶/6! ≤ |G⁽⁶⁾|·h⁶/46080.  By Bessel's integral J0(z) =
 * (1/π)∫₀^π cos(z·sin θ) dθ, |J0⁽⁶⁾| ≤ (1/π)∫₀^π sin⁶θ dθ = 5/16, so
 * |G⁽⁶⁾| ≤ (5/16)·∫ A² ρ⁶ 2ρ dρ/N ≤ (5/16)·min(1, 1/(4N)) (ρ⁶ ≤ 1, or
 * A² ≤ 1), and the interpolation error is at most that times h⁶/46080:
 * 2.7e-8 at ε = 0, 3.5e-8 at ε = 0.2, 5.5e-8 at ε = 0.5, 1.1e-7 from
 * ε = 0.84 on (where 4N ≤ 1).  6 × 8192 doubles = 384 KB plus the
 * envelope, 64 KB.
 *
 * Tail, x ≥ X_max, ε > 0; f = A²/N, so f(1) = 0 and f′ = 0 at both ends of
 * the edge.  Integrating by parts with (ρ·J1(xρ))′ = x·ρ·J0(xρ):
 * G = −(2/x)·∫_a^1 f′ ρ J1(xρ) dρ; f falls monotonically, ∫|f′| = 1/N,
 * and |J1(y)| ≤ 0.8/√y for y ≥ 20 give |G| ≤ 1.6/(N·x^{3/2}), also for
 * ε = 0 (|2J1(x)/x|).  (√(y·(J_ν² + Y_ν²)) falls towards √(2/π) = 0.79788
 * for ν > 1/2, Watson §13.74; at y = 20 it is 0.79826 for ν = 1 and
 * 0.79976 for ν = 2.)  Once more with (ρ²J2(xρ))′ = x·ρ²·J1(xρ), the
 * boundary terms vanishing with f′: G = (2/x²)·∫_a^1 (f″ρ − f′)·J2(xρ) dρ,
 * |G| ≤ 1.6·(N·∫|f″| + (1 − ε)^{−1/2})/(N·x^{5/2}).  Here f″ = −(π²/(2ε²N))
 * ·(cos πu + cos 2πu) = −(π²/(ε²N))·cos(3πu/2)·cos(πu/2), which changes
 * sign once, at u = 1/3, where ∫(cos πu + cos 2πu) du = sin πu/π +
 * sin 2πu/(2π) reaches 3√3/(4π): N·∫|f″| = 3√3·π/(4ε) ≈ 4.08/ε.  On the
 * edge xρ ≥ X_max·(1 − ε) ≥ 409, so the constant 0.8 holds (also for J2).
 * (A third integration by parts would meet the curvature jump at ρ = a and
 * give x^{−7/2} with a constant ∝ 1/ε², no better at X_max for small ε;
 * the two bounds are rigorous but loose, and only used from X_max on.) */

#define FIELD_STEP 0.5
#define FIELD_INV_STEP 2.0
#define FIELD_NCELL 8192
#define FIELD_XMAX (FIELD_STEP * FIELD_NCELL)
#define FIELD_EDGE_MAX 0.9
/* each cell's sup is bounded on this many pieces (see quintic_sup) */
#define FIELD_SUB 8

/* The wave-optics table (see "Field model in wave optics" below). */
#define WAVE_S 256		   /* rows per unit of shear: s_i = i/WAVE_S */
#define WAVE_NROW (2 * WAVE_S + 1) /* s = 0 … 2 */
#define WAVE_NCELL (2 * WAVE_S)
#define WAVE_NX 256 /* nodes u_j = j/WAVE_NX, j < WAVE_NX, per row */
#define WAVE_H (1.0 / WAVE_NX)
/* the wave branch up to κ = 2π·12, the blend to the geometric one up to
 * κ = 2π·16 (periods of the cosine over the half-support).  The table
 * itself is accurate to 2π·64 = π/(2·WAVE_H); the switch sits low for
 * speed (a wave factor costs ~1 µs, a geometric one ~0.1 µs), where the
 * geometric model is within 2.5e-5 of the wave optics (tests/test_otf.c) */
#define WAVE_KAPPA1 (2.0 * M_PI * 12.0)
#define WAVE_KAPPA2 (2.0 * M_PI * 16.0)
#define WAVE_LANES 10	/* abscissae per pass of wave_sums() (≥ 9) */
#define WAVE_GL 12	/* Gauss–Legendre nodes per piece of a chord */
#define WAVE_GL_WIDE 20 /* the same for ε > 0.6 */

struct vpm_otf_field {
	double edge, a, norm;
	double tail3, tail5; /* |G(x)| ≤ min(tail3·x^{−3/2}, tail5·x^{−5/2}), x ≥ X_max */
	double *env;	     /* env[j] ≥ sup |G| over x ≥ j·h: non-increasing */
	/* wave optics, NULL for ε = 0 (then the exact Hopkins OTF is used) */
	double *wave;	      /* WAVE_NROW rows of WAVE_NX trapezoid-weighted Z_i(u_j) */
	double *wd;	      /* wd[i] = Σ_j wave[i][j]: the in-focus MTF at s_i */
	double *wk;	      /* 3 per cell: K̂_1 … K̂_3 of the wave bound, suffix maxima */
	double *wmax;	      /* wmax[c] ≥ sup of D̃ over s ≥ s_c (WAVE_NCELL + 1 of them) */
	unsigned char *wmono; /* per cell: D̃ non-increasing on it */
	double coef[];	      /* 6 per cell, then the envelope, then the wave tables */
};

/* Hankel's expansion (DLMF 10.17.3): J_ν(z) = sqrt(2/(πz))·(P·cos ω −
 * Q·sin ω), ω = z − νπ/2 − π/4, P = Σ (−1)^m a_{2m}(ν)/z^{2m}, Q = Σ (−1)^m
 * a_{2m+1}(ν)/z^{2m+1}, a_k(ν) = ∏_{i≤k} (4ν² − (2i − 1)²)/(k!·8^k); the
 * signed coefficients below.  Twelve terms: the first omitted one is below
 * 6e-14 of the amplitude for z ≥ 25. */
#define BESSEL_ASYM_MIN 25.0
static const double hk_p0[6] = { 1.0,
				 -0.0703125,
				 0.112152099609375,
				 -0.5725014209747314,
				 6.074042001273483,
				 -110.01714026924674 };
static const double hk_q0[6] = { -0.125,
				 0.0732421875,
				 -0.22710800170898438,
				 1.7277275025844574,
				 -24.380529699556064,
				 551.3358961220206 };
static const double hk_p1[6] = { 1.0,
				 0.1171875,
				 -0.144195556640625,
				 0.6765925884246826,
				 -6.883914268109947,
				 121.59789187653587 };
static const double hk_q1[6] = { 0.375,
				 -0.1025390625,
				 0.2775764465332031,
				 -1.993531733751297,
				 27.248827311268542,
				 -603.8440767050702 };

static double hankel_series(const double *c, double iz2)
{
	return c[0] + iz2 * (c[1] + iz2 * (c[2] + iz2 * (c[3] + iz2 * (c[4] + iz2 * c[5]))));
}

/* J0(z) and J1(z), z ≥ 0, to ~1e-14 absolute: GSL below 25, Hankel's
 * expansion above (ten times faster than GSL, which matters: a table costs
 * millions of them). */
static void bessel_j01(double z, double *j0, double *j1)
{
	double iz, iz2, amp, sw, cw, p0, q0, p1, q1;

	if (z < BESSEL_ASYM_MIN) {
		*j0 = gsl_sf_bessel_J0(z);
		*j1 = gsl_sf_bessel_J1(z);
		return;
	}
	iz = 1.0 / z;
	iz2 = iz * iz;
	p0 = hankel_series(hk_p0, iz2);
	q0 = iz * hankel_series(hk_q0, iz2);
	p1 = hankel_series(hk_p1, iz2);
	q1 = iz * hankel_series(hk_q1, iz2);
	/* ω0 = z − π/4; ω1 = ω0 − π/2, so cos ω1 = sin ω0, sin ω1 = −cos ω0 */
	fast_sincos(z - M_PI / 4.0, &sw, &cw);
	amp = sqrt(2.0 / (M_PI * z));
	*j0 = amp * (p0 * cw - q0 * sw);
	*j1 = amp * (p1 * sw + q1 * cw);
}

/* jinc(z) = 2·J1(z)/z, jinc(0) = 1. */
static double jinc(double z)
{
	double j0, j1;

	if (z < 1e-3)
		return 1.0 - z * z / 8.0;
	bessel_j01(z, &j0, &j1);
	return 2.0 * j1 / z;
}

/* The hard disc ρ ≤ a: d[0] = ∫₀^a J0(xρ) 2ρ dρ = a²·jinc(ax) and its first
 * two x-derivatives. */
static void field_disc(double x, double a, double d[3])
{
	double z = a * x, a2 = a * a, j0, j1, j2;

	if (z < 1e-3) { /* jinc = 1 − z²/8 + z⁴/192 − … */
		d[0] = a2 * (1.0 - z * z / 8.0);
		d[1] = a2 * a * (-z / 4.0 + z * z * z / 48.0);
		d[2] = a2 * a2 * (-0.25 + z * z / 16.0);
		return;
	}
	bessel_j01(z, &j0, &j1);
	/* upward recurrence is stable for order 2 < z */
	j2 = z >= BESSEL_ASYM_MIN ? 2.0 * j1 / z - j0 : gsl_sf_bessel_Jn(2, z);
	d[0] = a2 * 2.0 * j1 / z;
	d[1] = -a2 * a * 2.0 * j2 / z;
	d[2] = a2 * a2 * (-2.0 * j1 / z + 6.0 * j2 / (z * z));
}

/* The edge ring a ≤ ρ ≤ 1 at the n abscissae x_j = x0 + j·dx: r[3j] =
 * ∫ A² J0(x_j ρ) 2ρ dρ and, when derivs, r[3j+1] = −∫ A² ρ J1(x_j ρ) 2ρ dρ,
 * r[3j+2] = ∫ A² ρ² J0″(x_j ρ) 2ρ dρ.  One set of Gauss–Legendre nodes
 * serves the whole run: gl_need() for the phase rate x_max (J0) + 2π/ε (the
 * cos 2πu in A²) + 2 (the slowly varying factors) over the half-length ε/2,
 * split into panels of at most GL_PANEL_KAPPA.  Node by node, the phase
 * x·ρ − π/4 of Hankel's expansion advances by dx·ρ from one abscissa to
 * the next, by rotation (n ≤ FIELD_BLOCK steps: a drift of ~1e-14). */
#define FIELD_BLOCK 128

static void field_ring(double x0, double dx, int n, double a, double eps, int derivs, double *r)
{
	double xhi = x0 + (n - 1) * dx;
	double kappa = (xhi + 2.0 * M_PI / eps + 2.0) * eps / 2.0, h;
	const double *gx, *gw;
	int panels = 1, k, m;

	if (kappa > GL_PANEL_KAPPA)
		panels = (int)ceil(kappa / GL_PANEL_KAPPA);
	k = gl_use(gl_pick(gl_need(kappa / panels)));
	m = gl_orders[k];
	gx = gl_x + gl_off[k];
	gw = gl_w + gl_off[k];
	h = eps / (2.0 * panels);
	for (int j = 0; j < 3 * n; j++)
		r[j] = 0.0;
	for (int p = 0; p < panels; p++) {
		double mid = a + (2 * p + 1) * h;

		for (int i = 0; i < m; i++) {
			double rho = mid + h * gx[i], su, cu, wt, sw, cw, sd, cd;

			fast_sincos(M_PI * (rho - a) / eps, &su, &cu);
			/* w·A²·2ρ, A = (1 + cos πu)/2 */
			wt = 0.5 * h * gw[i] * (1.0 + cu) * (1.0 + cu) * rho;
			fast_sincos(x0 * rho - M_PI / 4.0, &sw, &cw);
			fast_sincos(dx * rho, &sd, &cd);
			for (int j = 0; j < n; j++) {
				double z = (x0 + j * dx) * rho, iz = 1.0 / z, j0, j1, t;

				if (z < BESSEL_ASYM_MIN) {
					j0 = gsl_sf_bessel_J0(z);
					j1 = gsl_sf_bessel_J1(z);
				} else {
					/* bessel_j01() with the rotated phase (sw, cw) */
					double iz2 = iz * iz, amp = sqrt((2.0 / M_PI) * iz);
					double p0 = hankel_series(hk_p0, iz2);
					double q0 = iz * hankel_series(hk_q0, iz2);
					double p1 = hankel_series(hk_p1, iz2);
					double q1 = iz * hankel_series(hk_q1, iz2);

					j0 = amp * (p0 * cw - q0 * sw);
					j1 = amp * (p1 * sw + q1 * cw);
				}
				r[3 * j] += wt * j0;
				if (derivs) {
					/* J0″(z) = −J0 + J1/z, → −1/2 at z = 0 */
					double jz = z > 0.0 ? j1 * iz : 0.5;

					r[3 * j + 1] -= wt * rho * j1;
					r[3 * j + 2] += wt * rho * rho * (jz - j0);
				}
				t = sw * cd + cw * sd;
				cw = cw * cd - sw * sd;
				sw = t;
			}
		}
	}
}

/* An upper bound on max |p(t)|, t ∈ [0, 1], p = Σ c_k t^k of degree 5: on
 * each of FIELD_SUB equal pieces the largest Bernstein coefficient bounds
 * |p| (convex hull property); pieces make the bound tight (its excess falls
 * as the square of the piece length). */
static double quintic_sup(const double *c)
{
	static const double binom5[6] = { 1, 5, 10, 10, 5, 1 };
	double best = 0.0;

	for (int k = 0; k < FIELD_SUB; k++) {
		double t0 = (double)k / FIELD_SUB, q[6], sc = 1.0;

		/* Taylor shift to t0 (repeated synthetic division), then scale
		 * to the piece: q_j = p^(j)(t0)/j! · (1/FIELD_SUB)^j */
		memcpy(q, c, sizeof q);
		for (int j = 0; j < 5; j++)
			for (int i = 4; i >= j; i--)
				q[i] += t0 * q[i + 1];
		for (int j = 0; j < 6; j++) {
			q[j] *= sc;
			sc /= FIELD_SUB;
		}
		/* Bernstein coefficients b_i = Σ_{j ≤ i} C(i, j)/C(5, j)·q_j */
		for (int i = 0; i <= 5; i++) {
			double b = 0.0, cij = 1.0;

			for (int j = 0; j <= i; j++) {
				b += cij / binom5[j] * q[j];
				cij = cij * (i - j) / (j + 1);
			}
			best = fmax(best, fabs(b));
		}
	}
	return best;
}

static double field_tail(const vpm_otf_field_t *f, double x)
{
	double x32 = x * sqrt(x);

	return fmin(f->tail3 / x32, f->tail5 / (x32 * x));
}

/* The table's interpolant at 0 ≤ x < X_max: one Horner chain. */
static inline double field_table(const vpm_otf_field_t *f, double x)
{
	double u = x * FIELD_INV_STEP, t;
	int i = (int)u;
	const double *c;

	if (i > FIELD_NCELL - 1)
		i = FIELD_NCELL - 1;
	t = u - i;
	c = f->coef + 6 * i;
	return c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5]))));
}

/* |G(x)|, x ≥ 0, as the factor uses it: the table, capped at 1, or the
 * tail bound; NULL: the hard edge in closed form. */
static inline double field_abs(const vpm_otf_field_t *f, double x)
{
	if (!f)
		return isinf(x) ? 0.0 : fabs(jinc(x));
	if (x < FIELD_XMAX)
		return fmin(1.0, fabs(field_table(f, x)));
	return field_tail(f, x);
}

/* ------------------------------------------------------------------------
 * Field model in wave optics (otf.h).  For pure defocus W = w·ρ² the two
 * pupil copies of the autocorrelation, centred at ∓s/2 on the x axis,
 * differ in phase by 2π·w·(|p + s/2|² − |p − s/2|²) = 4π·w·s·x: linear in
 * x and independent of y.  So the OTF is a cosine transform,
 *   H(s, w) = ∫ Y_s(x)·cos(4π·w·s·x) dx,
 *   Y_s(x) = ∫ A(|(x + s/2, y)|)·A(|(x − s/2, y)|) dy / ∫∫ A²,
 * of a profile Y_s that does not depend on w: even in x, ≥ 0, supported on
 * |x| ≤ L = 1 − s/2, with ∫ Y_s = H(s, 0) = D̃(s), the apodized pupil's
 * in-focus MTF.  In u = x/L, Z_s(u) = 2L·Y_s(uL) and κ = 4π·w·s·L:
 *   H(s, w) = ∫₀¹ Z_s(u)·cos(κu) du.
 *
 * Y by quadrature in y (x ≥ 0, so r1 = |(x + s/2, y)| ≥ r2): on [0, y1]
 * both factors are 1 (r1 ≤ 1 − ε); on [y1, y2] only A(r1) varies; on
 * [y2, y_max] both do (r2 ≥ 1 − ε); y_max where r1 = 1.  On each piece the
 * integrand is analytic and each factor's phase πt moves by at most π
 * (Δr ≤ ε), so one Gauss–Legendre rule of 12 nodes (20 for ε > 0.6, where
 * the edge reaches close to the centre and r(y) bends more) gives Y to
 * ~1e-13 (measured against 6 panels of 32 nodes: 1.3e-14 … 8e-14 for ε =
 * 0.01 … 0.5, 1.3e-11 at ε = 0.9), far below the table's other errors.
 * cos πt by a Taylor polynomial (wave_amp()), no range reduction.
 *
 * Table: rows s_i = i/256, i = 0 … 512 (the last, s = 2, is zero), each the
 * trapezoid weights h·Z(u_j) (h·Z(0)/2 at j = 0) at u_j = j·h, h = 1/256,
 * j < 256 (Z(1) = 0), so the trapezoid rule T(κ) = Σ_j t_j·cos(κu_j); all
 * rows scaled by the same factor (1 + 4e-8 for ε = 0.05, 2e-6 at 0.01) so
 * that D̃(0) = T(0) = 1 exactly.  The rule is spectrally accurate here: Z
 * is smooth but
 * for isolated points where it behaves like a power 5/2 (the ends, where
 * A ∝ (1 − ρ)², and where a line x = const touches a circle ρ = 1 − ε, at
 * which A″ jumps), so its error is O(h^3.5) plus the alias Ẑ(2π/h − κ),
 * tiny for κ ≤ π/(2h) = 2π·64.  Between rows, cubic Lagrange interpolation
 * in s at fixed u (one-sided in the first and last cells; linear would
 * leave 1e-5: D̃″(0) ≈ −7).  Measured against nested adaptive quadrature
 * of the definition (|H| to 1e-13) on a grid of s ∈ (0, 2) and up to 48
 * periods of cos(κu): 5.4e-10 (ε = 0.9), 2.3e-9 (0.5), 6.5e-9 (0.3),
 * 2.3e-8 (0.2), 1.1e-7 (0.1), 5.5e-7 (0.05), 4.2e-6 (0.02), 1.1e-5
 * (0.01), the worst at s < 1/256 (the one-sided first cell, where the two
 * edge tangents x = ±(1 − ε) ∓ s/2 merge and Z has an |s|^{5/2} term) for
 * small ε, where the edge spans few rows and nodes (2.1e-7 at ε = 0.05
 * beyond the first cell).  For ε → 0 the profile tends to the hard pupil's
 * square root at u = 1, which the trapezoid rule resolves only to O(h^1.5)
 * ≈ 1e-4: ε = 0 itself uses the exact vpm_otf_hopkins().  513 × 256
 * doubles = 1.05 MB; building them (~130k chords of 12–20 nodes per piece)
 * takes about as long as the G table.
 *
 * The wave branch is used for κ < 2π·12, the geometric one (|G(4π·w·s)|·D̃,
 * with the apodized D̃) beyond κ = 2π·16, and between them a smoothstep
 * blend, so the factor is continuous in s and w.  There both models agree
 * closely because both are small: max |F − |H|| over the blend window
 * 2.5e-5 (ε = 0.2), 1.1e-6 (0.5), and from 12 to 48 periods 7.3e-6
 * (ε = 0.05), 1.4e-6 (0.2), 5.2e-7 (0.5) (tests/test_otf.c); from 48
 * periods on 3.8e-6 (ε = 0.05), 3e-7 (0.2), 5.7e-8 (0.5).  The switch sits
 * this low for speed: a wave factor costs ~1 µs, a geometric one ~0.1 µs.
 * Beyond, the geometric model's error stays of the size of |H| itself and
 * falls with it.
 *
 * Evaluation: interpolate the row (4·256 multiply-adds), then up to ten
 * cosine sums at once by Clenshaw's recurrence (b_j = z_j + 2cos θ·b_{j+1}
 * − b_{j+2}, T = b_0 − cos θ·b_1, θ = κh; rounding ~N²·ε_mach·Σ|z| ≈ 1e-11
 * at worst for θ → 0), two abscissae per SSE2 register.
 *
 * Bound.  With the symmetric sequence g_j = t_{|j|}/2 (g_0 = t_0) the rule
 * is T(κ) = Σ_j g_j·e^{iκjh}; summing by parts m times (e^{iκjh} is a
 * difference of e^{iκ(j ± 1/2)h}/(2i·sin(κh/2))) gives
 *   |T(κ)| ≤ Σ_j |Δ^m g_j| / (2·sin(κh/2))^m ≤ β_m/κ^m,
 *   β_m = Σ_j |Δ^m g_j|·(π/(2√2·h))^m,   κh ≤ π/2  (sin z ≥ (2√2/π)·z on
 * [0, π/4]), m = 1, 2, 3 (like integrating by parts: Z′ and Z″ are
 * continuous and vanish at u = ±1 for ε > 0).  This bounds the table's own
 * rule, exactly as evaluated.  The interpolated row is Σ_r l_r·row_r, so
 * |T̃| ≤ Λ·max_r β_{m,r}/κ^m with Λ = Σ|l_r| ≤ 1.25 in interior cells and
 * 1.6311 in the one-sided end cells (1 + t(1 − t)(3 − t) at t = 0.4514);
 * and κ ≥ 4π·w·s_c·L_c over cell c (its smallest s and L).  Hence per cell
 * K_{m,c} = Λ·max_r β_{m,r}/(s_c·L_c)^m, made non-increasing in s by a
 * suffix maximum, and |T̃| ≤ K̂_{m,c}/(4π·w)^m for all w′ ≥ w.  Excluded:
 * the first cell (s_c = 0) and the last (L → 0), where only F ≤ D̃ holds
 * (F = min(|T̃|, D̃)); the last cell's sup of D̃ is then a floor under the
 * bound for all smaller s, to keep it monotone.  D̃ itself is capped by
 * its supremum over [s, 2): D̃ where the cell's cubic falls (checked per
 * cell at allocation, with the suffix maximum of the cells to the right),
 * else the cubic's maximum from s to the cell's end. */

/* The amplitude A(r) = (1 + cos πt)/2, t = (r − r0)/ε, clamped to 1 inside
 * r0 = 1 − ε and 0 beyond 1.  cos πt = −sin q, q = π(t − 1/2) ∈ [−π/2, π/2],
 * by the Taylor polynomial of degree 19 (next term < 3e-16). */
static inline double wave_amp(double r, double r0, double inv_eps)
{
	double t = (r - r0) * inv_eps, q, q2, sq;

	if (t <= 0.0)
		return 1.0;
	if (t >= 1.0)
		return 0.0;
	q = M_PI * (t - 0.5);
	q2 = q * q;
	/* 1/(2k + 1)! with alternating signs, highest first */
	sq = -1.0 / 121645100408832000.0;
	sq = sq * q2 + 1.0 / 355687428096000.0;
	sq = sq * q2 - 1.0 / 1307674368000.0;
	sq = sq * q2 + 1.0 / 6227020800.0;
	sq = sq * q2 - 1.0 / 39916800.0;
	sq = sq * q2 + 1.0 / 362880.0;
	sq = sq * q2 - 1.0 / 5040.0;
	sq = sq * q2 + 1.0 / 120.0;
	sq = sq * q2 - 1.0 / 6.0;
	sq = q * (1.0 + q2 * sq);
	return 0.5 * (1.0 - sq);
}

/* ∫ A(r1)·A(r2) dy over y ≥ 0, r1,2 = |(x ± s/2, y)|, x ≥ 0; m-point
 * Gauss–Legendre (gx, gw) on each piece. */
static double wave_chord(double x, double s, double r0, double inv_eps, const double *gx,
			 const double *gw, int m)
{
	double c1 = x + 0.5 * s, c2 = fabs(x - 0.5 * s), ym, y1, y2, sum;

	if (c1 >= 1.0)
		return 0.0;
	ym = sqrt((1.0 - c1) * (1.0 + c1));
	y1 = c1 < r0 ? sqrt((r0 - c1) * (r0 + c1)) : 0.0;
	y2 = c2 < r0 ? sqrt((r0 - c2) * (r0 + c2)) : 0.0;
	y2 = fmin(y2, ym);
	y1 = fmin(y1, y2);
	sum = y1;
	if (y2 > y1) { /* only A(r1) varies */
		double hl = 0.5 * (y2 - y1), mid = y1 + hl, acc = 0.0;

		for (int i = 0; i < m; i++) {
			double y = mid + hl * gx[i];

			acc += gw[i] * wave_amp(sqrt(c1 * c1 + y * y), r0, inv_eps);
		}
		sum += hl * acc;
	}
	if (ym > y2) { /* both vary */
		double hl = 0.5 * (ym - y2), mid = y2 + hl, acc = 0.0;

		for (int i = 0; i < m; i++) {
			double y = mid + hl * gx[i], yy = y * y;

			acc += gw[i] * wave_amp(sqrt(c1 * c1 + yy), r0, inv_eps) *
			       wave_amp(sqrt(c2 * c2 + yy), r0, inv_eps);
		}
		sum += hl * acc;
	}
	return sum;
}

/* The cell of s ∈ [0, 2) (its index in *cell), the first of its four rows
 * (returned) and their cubic Lagrange weights l[4]. */
static inline int wave_cell(double s, int *cell, double l[4])
{
	double u = s * WAVE_S, t;
	int c = (int)u, i0;

	if (c > WAVE_NCELL - 1)
		c = WAVE_NCELL - 1;
	i0 = c - 1;
	if (i0 < 0)
		i0 = 0;
	if (i0 > WAVE_NROW - 4)
		i0 = WAVE_NROW - 4;
	t = u - i0; /* the rows sit at t = 0, 1, 2, 3 */
	l[0] = -(t - 1.0) * (t - 2.0) * (t - 3.0) / 6.0;
	l[1] = t * (t - 2.0) * (t - 3.0) / 2.0;
	l[2] = -t * (t - 1.0) * (t - 3.0) / 2.0;
	l[3] = t * (t - 1.0) * (t - 2.0) / 6.0;
	*cell = c;
	return i0;
}

/* D̃(s): the rows' in-focus MTF interpolated like the rows, in [0, 1] (for
 * small ε the cubic overshoots 1 by up to 4e-7 in the first cell). */
static inline double wave_focus(const vpm_otf_field_t *f, int i0, const double l[4])
{
	const double *d = f->wd + i0;

	return fmin(1.0, fmax(0.0, l[0] * d[0] + l[1] * d[1] + l[2] * d[2] + l[3] * d[3]));
}

#if defined(__GNUC__)
typedef double wave_v2 __attribute__((vector_size(16)));
#endif

/* out[m] = T̃(kap[m]) = Σ_j z_j·cos(kap[m]·u_j), m < n ≤ WAVE_LANES, on
 * the row interpolated from rows i0 … i0 + 3 with weights l. */
static void wave_sums(const vpm_otf_field_t *f, int i0, const double l[4], int n, const double *kap,
		      double *out)
{
	const double *r0 = f->wave + (size_t)i0 * WAVE_NX, *r1 = r0 + WAVE_NX, *r2 = r1 + WAVE_NX,
		     *r3 = r2 + WAVE_NX;
	double z[WAVE_NX], cs[WAVE_LANES], al[WAVE_LANES], sn;

	for (int j = 0; j < WAVE_NX; j++)
		z[j] = l[0] * r0[j] + l[1] * r1[j] + l[2] * r2[j] + l[3] * r3[j];
	for (int m = 0; m < WAVE_LANES; m++) {
		fast_sincos(m < n ? kap[m] * WAVE_H : 0.0, &sn, &cs[m]);
		al[m] = 2.0 * cs[m];
	}
#if defined(__GNUC__)
	{
		/* five independent recurrences of two lanes each */
		wave_v2 a0 = { al[0], al[1] }, a1 = { al[2], al[3] }, a2 = { al[4], al[5] },
			a3 = { al[6], al[7] }, a4 = { al[8], al[9] };
		wave_v2 p0 = { 0.0, 0.0 }, p1 = p0, p2 = p0, p3 = p0, p4 = p0;
		wave_v2 q0 = p0, q1 = p0, q2 = p0, q3 = p0, q4 = p0, t;
		double b[2 * 5], c[2 * 5];

		for (int j = WAVE_NX - 1; j >= 0; j--) {
			wave_v2 zz = { z[j], z[j] };

			t = zz - q0 + a0 * p0;
			q0 = p0;
			p0 = t;
			t = zz - q1 + a1 * p1;
			q1 = p1;
			p1 = t;
			t = zz - q2 + a2 * p2;
			q2 = p2;
			p2 = t;
			t = zz - q3 + a3 * p3;
			q3 = p3;
			p3 = t;
			t = zz - q4 + a4 * p4;
			q4 = p4;
			p4 = t;
		}
		/* p holds b_0, q holds b_1 */
		b[0] = p0[0], b[1] = p0[1], b[2] = p1[0], b[3] = p1[1], b[4] = p2[0];
		b[5] = p2[1], b[6] = p3[0], b[7] = p3[1], b[8] = p4[0], b[9] = p4[1];
		c[0] = q0[0], c[1] = q0[1], c[2] = q1[0], c[3] = q1[1], c[4] = q2[0];
		c[5] = q2[1], c[6] = q3[0], c[7] = q3[1], c[8] = q4[0], c[9] = q4[1];
		for (int m = 0; m < n; m++)
			out[m] = b[m] - cs[m] * c[m];
	}
#else
	{
		double p[WAVE_LANES] = { 0.0 }, q[WAVE_LANES] = { 0.0 };

		for (int j = WAVE_NX - 1; j >= 0; j--)
			for (int m = 0; m < WAVE_LANES; m++) {
				double t = z[j] - q[m] + al[m] * p[m];

				q[m] = p[m];
				p[m] = t;
			}
		for (int m = 0; m < n; m++)
			out[m] = p[m] - cs[m] * q[m];
	}
#endif
}

/* Σ_j |Δ^m g_j| for m = 1, 2, 3 of the symmetric sequence of a row. */
static void wave_row_tv(const double *row, double v[3])
{
	enum { PAD = 3, LEN = 2 * WAVE_NX - 1 + 2 * PAD };
	double g[LEN];
	int len = LEN;

	for (int k = 0; k < LEN; k++) {
		int j = k - PAD - (WAVE_NX - 1); /* g index j ∈ [−(N − 1), N − 1] */

		g[k] = (j < -(WAVE_NX - 1) || j > WAVE_NX - 1) ? 0.0
		       : j == 0				       ? row[0]
							       : 0.5 * row[abs(j)];
	}
	for (int m = 0; m < 3; m++) {
		double tv = 0.0;

		len--;
		for (int k = 0; k < len; k++) {
			g[k] = g[k + 1] - g[k];
			tv += fabs(g[k]);
		}
		v[m] = tv;
	}
}

/* The cubic p(t) through (0, d0) … (3, d3) on [ta, tb]: its maximum, and
 * whether it is non-increasing there. */
static double wave_cubic_max(const double *d, double ta, double tb, int *mono)
{
	double e1 = d[1] - d[0], e2 = d[2] - 2.0 * d[1] + d[0];
	double e3 = d[3] - 3.0 * d[2] + 3.0 * d[1] - d[0];
	/* p′(t) = q2·t² + q1·t + q0 */
	double q2 = 0.5 * e3, q1 = e2 - e3, q0 = e1 - 0.5 * e2 + e3 / 3.0;
	double cand[4] = { ta, tb, ta, ta }, best = -HUGE_VAL, dmax;
	int nc = 2;

#define WAVE_P(t) (d[0] + (t) * (e1 + ((t)-1.0) * (0.5 * e2 + ((t)-2.0) * e3 / 6.0)))
#define WAVE_DP(t) ((q2 * (t) + q1) * (t) + q0)
	dmax = fmax(WAVE_DP(ta), WAVE_DP(tb));
	if (q2 != 0.0) {
		double tv = -q1 / (2.0 * q2), disc = q1 * q1 - 4.0 * q2 * q0;

		if (q2 < 0.0 && tv > ta && tv < tb)
			dmax = fmax(dmax, WAVE_DP(tv));
		if (disc >= 0.0) {
			double sq = sqrt(disc);

			cand[nc++] = (-q1 - sq) / (2.0 * q2);
			cand[nc++] = (-q1 + sq) / (2.0 * q2);
		}
	} else if (q1 != 0.0) {
		cand[nc++] = -q0 / q1;
	}
	for (int k = 0; k < nc; k++)
		if (cand[k] >= ta && cand[k] <= tb)
			best = fmax(best, WAVE_P(cand[k]));
#undef WAVE_P
#undef WAVE_DP
	*mono = dmax <= 0.0;
	return best;
}

/* Fill the wave table, its in-focus MTF and the bound's tables. */
static void wave_build(vpm_otf_field_t *f)
{
	const double r0 = f->a, inv_eps = 1.0 / f->edge;
	/* Y = 2·chord/(π·N), Z = 2L·Y */
	const double scale = 4.0 / (M_PI * f->norm);
	int k = gl_use(gl_pick(f->edge > 0.6 ? WAVE_GL_WIDE : WAVE_GL)), m = gl_orders[k];
	const double *gx = gl_x + gl_off[k], *gw = gl_w + gl_off[k];
	double beta[3 * WAVE_NROW], kmax[3], run[3], top;

	for (int i = 0; i < WAVE_NROW; i++) {
		double s = (double)i / WAVE_S, len = 1.0 - 0.5 * s,
		       *row = f->wave + (size_t)i * WAVE_NX;
		double sum = 0.0;

		for (int j = 0; j < WAVE_NX; j++) {
			double z = 0.0;

			if (i < WAVE_NROW - 1)
				z = scale * len *
				    wave_chord(len * j * WAVE_H, s, r0, inv_eps, gx, gw, m);
			row[j] = (j == 0 ? 0.5 : 1.0) * WAVE_H * z;
			sum += row[j];
		}
		f->wd[i] = sum;
	}
	/* D̃(0) = 1 exactly: scale out the rule's (common, tiny) error at s = 0 */
	{
		double inv = 1.0 / f->wd[0];

		for (size_t q = 0; q < (size_t)WAVE_NROW * WAVE_NX; q++)
			f->wave[q] *= inv;
		for (int i = 0; i < WAVE_NROW; i++)
			f->wd[i] *= inv;
		f->wd[0] = 1.0;
	}
	/* the bound: per row β_m */
	for (int i = 0; i < WAVE_NROW; i++) {
		double v[3], c = M_PI / (2.0 * M_SQRT2 * WAVE_H), cm = c;

		wave_row_tv(f->wave + (size_t)i * WAVE_NX, v);
		for (int q = 0; q < 3; q++) {
			beta[3 * i + q] = v[q] * cm;
			cm *= c;
		}
	}
	for (int q = 0; q < 3; q++)
		run[q] = 0.0;
	for (int c = WAVE_NCELL - 1; c >= 0; c--) {
		double lc[4], sc = (double)c / WAVE_S, lenc = 1.0 - 0.5 * (c + 1.0) / WAVE_S;
		double lambda = (c == 0 || c == WAVE_NCELL - 1) ? 1.6312 : 1.25;
		int cc, i0 = wave_cell((c + 0.5) / WAVE_S, &cc, lc);

		for (int q = 0; q < 3; q++) {
			kmax[q] = 0.0;
			for (int r = 0; r < 4; r++)
				kmax[q] = fmax(kmax[q], beta[3 * (i0 + r) + q]);
		}
		for (int q = 0; q < 3; q++) {
			double kc = c == 0 ? HUGE_VAL : lambda * kmax[q] / pow(sc * lenc, q + 1.0);

			if (c == WAVE_NCELL - 1) {
				f->wk[3 * c + q] = HUGE_VAL; /* unused: the floor applies */
				continue;
			}
			run[q] = fmax(run[q], kc);
			f->wk[3 * c + q] = run[q];
		}
	}
	/* D̃: per cell its sup and monotonicity, then suffix maxima */
	f->wmax[WAVE_NCELL] = 0.0;
	top = 0.0;
	for (int i = 0; i < WAVE_NROW; i++)
		top = fmax(top, f->wd[i]);
	for (int c = WAVE_NCELL - 1; c >= 0; c--) {
		double lc[4];
		int cc, mono, i0 = wave_cell((c + 0.5) / WAVE_S, &cc, lc);
		double cmax = wave_cubic_max(f->wd + i0, c - i0, c - i0 + 1.0, &mono);

		/* + rounding of the runtime Lagrange form */
		cmax = fmin(1.0, fmax(0.0, cmax)) + 1e-14 * top;
		f->wmono[c] = (unsigned char)mono;
		f->wmax[c] = fmax(cmax, f->wmax[c + 1]);
	}
}

vpm_otf_field_t *vpm_otf_field_alloc(double edge)
{
	vpm_otf_field_t *f;
	double a, prev[3] = { 1.0, 0.0, 0.0 }, cur[3], margin;

	if (!(edge >= 0.0 && edge <= FIELD_EDGE_MAX)) {
		vpm_error(VPM_EINVAL, "field lens: pupil edge width %g is outside [0, %g]", edge,
			  FIELD_EDGE_MAX);
		return NULL;
	}
	{
		/* G: 6 coefficients and the envelope per cell; for ε > 0 the
		 * wave table, its in-focus MTF, the bound's K̂ and D̃ sup, then
		 * the monotonicity flags */
		size_t nd = (size_t)FIELD_NCELL * 7, nb = 0;

		if (edge > 0.0) {
			nd += (size_t)WAVE_NROW * WAVE_NX + WAVE_NROW + 3 * WAVE_NCELL +
			      (WAVE_NCELL + 1);
			nb = WAVE_NCELL;
		}
		f = malloc(sizeof *f + nd * sizeof(double) + nb);
	}
	if (!f) {
		vpm_error(VPM_ENOMEM, "out of memory for a field lens OTF table");
		return NULL;
	}
	a = 1.0 - edge;
	f->edge = edge;
	f->a = a;
	f->norm = a * a + 0.75 * a * edge + edge * edge * (0.375 - 2.0 / (M_PI * M_PI));
	f->env = f->coef + 6 * FIELD_NCELL;
	f->wave = f->wd = f->wk = f->wmax = NULL;
	f->wmono = NULL;
	if (edge > 0.0) {
		f->wave = f->env + FIELD_NCELL;
		f->wd = f->wave + (size_t)WAVE_NROW * WAVE_NX;
		f->wk = f->wd + WAVE_NROW;
		f->wmax = f->wk + 3 * WAVE_NCELL;
		f->wmono = (unsigned char *)(f->wmax + WAVE_NCELL + 1);
	}
	f->tail3 = 1.6 / f->norm;
	/* N·∫|f″| = 3√3·π/(4ε) */
	f->tail5 = edge > 0.0 ? f->tail3 * (0.75 * sqrt(3.0) * M_PI / edge + 1.0 / sqrt(a))
			      : HUGE_VAL;

	/* nodes x_m = m·h in blocks; cell m − 1 as soon as node m is known */
	for (int b0 = 0; b0 <= FIELD_NCELL; b0 += FIELD_BLOCK) {
		double ring[3 * FIELD_BLOCK] = { 0.0 };
		int n = FIELD_NCELL + 1 - b0 < FIELD_BLOCK ? FIELD_NCELL + 1 - b0 : FIELD_BLOCK;

		if (edge > 0.0)
			field_ring(b0 * FIELD_STEP, FIELD_STEP, n, a, edge, 1, ring);
		for (int i = 0; i < n; i++) {
			int j = b0 + i - 1; /* the cell that node b0 + i closes */
			double *c, m0, c0, dd, e, g;

			field_disc((b0 + i) * FIELD_STEP, a, cur);
			for (int q = 0; q < 3; q++)
				cur[q] = (cur[q] + ring[3 * i + q]) / f->norm;
			if (j < 0) {
				/* G(0) = 1 and G′(0) = 0 exactly */
				prev[0] = 1.0;
				prev[1] = 0.0;
				prev[2] = cur[2];
				continue;
			}
			/* quintic Hermite on t ∈ [0, 1]: value, h·G′, h²·G″ at both ends */
			c = f->coef + 6 * j;
			m0 = FIELD_STEP * prev[1];
			c0 = FIELD_STEP * FIELD_STEP * prev[2];
			dd = cur[0] - prev[0] - m0 - 0.5 * c0;
			e = FIELD_STEP * cur[1] - m0 - c0;
			g = FIELD_STEP * FIELD_STEP * cur[2] - c0;
			c[0] = prev[0];
			c[1] = m0;
			c[2] = 0.5 * c0;
			c[3] = 10.0 * dd - 4.0 * e + 0.5 * g;
			c[4] = -15.0 * dd + 7.0 * e - g;
			c[5] = 6.0 * dd - 3.0 * e + 0.5 * g;
			f->env[j] = quintic_sup(c);
			memcpy(prev, cur, sizeof prev);
		}
	}
	/* envelope: suffix maximum, never below the tail bound at X_max, plus
	 * the interpolation error bound (so it bounds the exact G too) and a
	 * little for the quadrature and rounding */
	margin = pow(FIELD_STEP, 6) / 46080.0 * (5.0 / 16.0) * fmin(1.0, 0.25 / f->norm) + 1e-10;
	{
		double run = field_tail(f, FIELD_XMAX);

		for (int j = FIELD_NCELL - 1; j >= 0; j--) {
			run = fmax(run, f->env[j]);
			f->env[j] = fmin(1.0, run + margin);
		}
	}
	if (edge > 0.0)
		wave_build(f);
	return f;
}

void vpm_otf_field_free(vpm_otf_field_t *f)
{
	free(f);
}

double vpm_otf_field_edge(const vpm_otf_field_t *f)
{
	return f ? f->edge : 0.0;
}

double vpm_otf_field_spot(const vpm_otf_field_t *f, double x)
{
	double d[3], r[3];

	x = fabs(x);
	if (isnan(x))
		return x;
	if (isinf(x))
		return 0.0;
	if (!f)
		return jinc(x);
	if (x < FIELD_XMAX)
		return fmax(-1.0, fmin(1.0, field_table(f, x)));
	/* beyond the table: directly (slow), or 0 where |G| < 1e-13 anyway */
	if (f->edge == 0.0)
		return jinc(x);
	if (field_tail(f, x) < 1e-13)
		return 0.0;
	field_disc(x, f->a, d);
	field_ring(x, 0.0, 1, f->a, f->edge, 0, r);
	return (d[0] + r[0]) / f->norm;
}

/* Blend weight of the geometric branch: 0 below κ1, 1 above κ2. */
static inline double wave_blend(double kappa)
{
	double t = (kappa - WAVE_KAPPA1) / (WAVE_KAPPA2 - WAVE_KAPPA1);

	return t * t * (3.0 - 2.0 * t);
}

double vpm_otf_field_factor(const vpm_otf_field_t *f, double s, double w020_waves, double tolerance,
			    double *worst)
{
	/* composite Simpson on 8 intervals; the weights sum to 24 */
	static const double simpson[9] = { 1, 4, 2, 4, 2, 4, 2, 4, 1 };
	double d, k, len, x[9], kap[9], h[9], sum = 0.0, best = 0.0, mean, l[4] = { 0 };
	int n, i0 = 0, cell, wave = 0;
	const int table = f && f->wave;

	s = fabs(s);
	if (!(s < 2.0) || isnan(w020_waves)) { /* beyond the cut-off, or NaN */
		double v = isnan(s) || isnan(w020_waves) ? NAN : 0.0;

		if (worst)
			*worst = v;
		return v;
	}
	len = 1.0 - 0.5 * s;
	if (table) {
		i0 = wave_cell(s, &cell, l);
		d = wave_focus(f, i0, l);
	} else {
		d = vpm_otf_diffraction(s);
	}
	k = 4.0 * M_PI * s * fabs(w020_waves);
	if (k == 0.0) {
		if (worst)
			*worst = d;
		return d;
	}
	if (tolerance == 0.0) {
		n = 1;
		x[0] = k;
	} else {
		double x0 = k * (1.0 - tolerance), dx = k * tolerance / 4.0;

		n = 9;
		for (int j = 0; j < 9; j++)
			x[j] = fabs(x0 + j * dx);
	}
	for (int j = 0; j < n; j++) {
		kap[j] = x[j] * len;
		wave |= kap[j] < WAVE_KAPPA2;
	}
	if (wave) {
		if (table) {
			wave_sums(f, i0, l, n, kap, h);
		} else if (n == 1) {
			h[0] = vpm_otf_hopkins(s, w020_waves);
		} else {
			double w = fabs(w020_waves);

			vpm_otf_hopkins_series(s, w * (1.0 - tolerance), w * tolerance / 4.0, 9, h);
		}
	}
	for (int j = 0; j < n; j++) {
		double v = 0.0;

		if (kap[j] < WAVE_KAPPA2) {
			v = fmin(fabs(h[j]), d);
			if (kap[j] > WAVE_KAPPA1) {
				double b = wave_blend(kap[j]);

				v = (1.0 - b) * v + b * field_abs(f, x[j]) * d;
			}
		} else {
			v = field_abs(f, x[j]) * d;
		}
		sum += simpson[j] * v;
		best = fmax(best, v);
	}
	if (n == 1) {
		if (worst)
			*worst = best;
		return best;
	}
	/* fmin: rounding must not lift the mean above the worst case */
	mean = fmin(sum / 24.0, best);
	if (worst)
		*worst = best;
	return mean;
}

/* sup |G(x′)| over x′ ≥ x: the table's envelope or the tail bound; NULL:
 * sup_y √y·|J1(y)| = 0.8251 (at y = 2.17), so |jinc(x)| ≤ 1.66·x^{−3/2}. */
static double field_env(const vpm_otf_field_t *f, double x)
{
	if (!f)
		return fmin(1.0, 1.66 / (x * sqrt(x)));
	if (x < FIELD_XMAX) {
		int j = (int)(x * FIELD_INV_STEP);

		return f->env[j < FIELD_NCELL ? j : FIELD_NCELL - 1];
	}
	return field_tail(f, x);
}

double vpm_otf_field_bound(const vpm_otf_field_t *f, double s, double w_min_waves)
{
	double x, d, wave, l[4];
	int cell, i0;

	s = fabs(s);
	if (!(s < 2.0))
		return isnan(s) ? s : 0.0;
	w_min_waves = fabs(w_min_waves);
	x = 4.0 * M_PI * s * w_min_waves;
	if (!f || !f->wave) {
		/* the hard pupil: Hopkins' bound, and the geometric envelope */
		d = vpm_otf_diffraction(s);
		return fmax(vpm_otf_defocus_bound(s, w_min_waves), field_env(f, x) * d);
	}
	i0 = wave_cell(s, &cell, l);
	/* a non-increasing cap on D̃: sup of D̃ over [s, 2), equal to D̃ where
	 * it falls (in a cell where the cubic does not fall monotonically, its
	 * maximum from s to the cell's end, plus rounding) */
	d = fmax(wave_focus(f, i0, l), f->wmax[cell + 1]);
	if (!f->wmono[cell]) {
		double t = s * WAVE_S - i0;
		int mono;

		d = fmax(d,
			 fmin(1.0, wave_cubic_max(f->wd + i0, t, cell - i0 + 1.0, &mono)) + 1e-14);
	}
	wave = d;
	if (cell < WAVE_NCELL - 1) {
		if (w_min_waves > 0.0) {
			const double *kk = f->wk + 3 * cell;
			double wv = 4.0 * M_PI * w_min_waves;
			double t = fmin(kk[0] / wv,
					fmin(kk[1] / (wv * wv), kk[2] / (wv * wv * wv)));

			wave = fmin(wave, t + 1e-14);
		}
		/* the last cell's sup of D̃: a floor keeping the bound monotone */
		wave = fmax(wave, f->wmax[WAVE_NCELL - 1]);
	}
	return fmax(wave, field_env(f, x) * d);
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

VPM_STATUS_FN(vpm_otf_aberration_check,
	      (int n, const double *nu_cy_mm, const double *mtf, double stop),
	      (n, nu_cy_mm, mtf, stop))
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
	cut = vpm_otf_cutoff_cy_mm(VPM_WAVELENGTH_LUMA_NM, stop);
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

VPM_STATUS_FN(vpm_otf_aberration_set,
	      (vpm_otf_aberration_t * ab, int n, const double *nu_cy_mm, const double *mtf,
	       double stop),
	      (ab, n, nu_cy_mm, mtf, stop))
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
	ab->last_ratio = mtf[n - 1] /
			 vpm_otf_diffraction_cy_mm(nu_cy_mm[n - 1], VPM_WAVELENGTH_LUMA_NM, stop);
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

		r = m / vpm_otf_diffraction_cy_mm(nu, VPM_WAVELENGTH_LUMA_NM, ab->stop);
	}
	if (!(r > 0.0))
		return 0.0;
	return r < 1.0 ? r : 1.0;
}
