/* OTF module: diffraction, exact defocus (Hopkins), planning tolerance,
 * bounds, the field lens model, OLPF, photosite aperture, aberrations.
 *
 * References: diffraction MTF, J. W. Goodman, Introduction to Fourier
 * Optics, §6.3 (check values: the closed form, prysm's pupil FFT
 * (https://github.com/brandondube/prysm) and the exact pupil
 * autocorrelation agree); defocus, H. H. Hopkins, Proc. R. Soc. A 231, 91
 * (1955) (check values by quadrature); OLPF and pixel aperture as in
 * mtf_mapper (http://mtfmapper.blogspot.com/2012/06/) and ISETCam.  The fast
 * quadrature is also compared with GSL adaptive quadrature (QAG on the
 * smooth form, QAWO on the x-form for strong defocus) computed here. */
#include <config.h>

#include <criterion/criterion.h>
#include <fftw3.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_sf_bessel.h>
#include <math.h>
#include <string.h>

#include "vpmoire/otf.h"
#include "vpmoire/predict.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ---- adaptive-quadrature references ---- */

struct hp {
	double a, c;
};

static double smooth_integrand(double t, void *p)
{
	const struct hp *q = p;
	double st = sin(t);

	return st * st * cos(q->a * (cos(t) - q->c));
}

static double xform_amplitude(double x, void *p)
{
	const struct hp *q = p;
	double y = x + q->c;

	return sqrt(fmax(0.0, 1.0 - y * y));
}

/* H(s, w) by GSL QAG (61-point Gauss–Kronrod) on the smooth form. */
static double ref_qag(double s, double w)
{
	static gsl_integration_workspace *ws;
	struct hp q = { 4.0 * M_PI * w * s, s / 2.0 };
	gsl_function F = { smooth_integrand, &q };
	double r = 0, e = 0;
	int st;

	if (!ws) {
		gsl_set_error_handler_off();
		ws = gsl_integration_workspace_alloc(20000);
	}
	st = gsl_integration_qag(&F, 0.0, acos(s / 2.0), 1e-13, 0.0, 20000, GSL_INTEG_GAUSS61, ws,
				 &r, &e);
	cr_assert_eq(st, GSL_SUCCESS, "QAG failed at s=%g w=%g: %s", s, w, gsl_strerror(st));
	return 4.0 / M_PI * r;
}

/* H(s, w) by GSL QAWO (weight cos(bx)) on the x-form, for large w. */
static double ref_qawo(double s, double w)
{
	static gsl_integration_workspace *ws;
	struct hp q = { 4.0 * M_PI * w * s, s / 2.0 };
	gsl_function F = { xform_amplitude, &q };
	gsl_integration_qawo_table *t;
	double r = 0, e = 0;
	int st;

	if (!ws) {
		gsl_set_error_handler_off();
		ws = gsl_integration_workspace_alloc(20000);
	}
	t = gsl_integration_qawo_table_alloc(q.a, 1.0 - q.c, GSL_INTEG_COSINE, 40);
	st = gsl_integration_qawo(&F, 0.0, 1e-14, 0.0, 20000, ws, t, &r, &e);
	gsl_integration_qawo_table_free(t);
	cr_assert_eq(st, GSL_SUCCESS, "QAWO failed at s=%g w=%g: %s", s, w, gsl_strerror(st));
	return 4.0 / M_PI * r;
}

/* ---- basic factors ---- */

Test(otf, sinc_values)
{
	cr_assert_float_eq(vpm_otf_sinc(0.0), 1.0, 0.0);
	cr_assert_float_eq(vpm_otf_sinc(1.0), 0.0, 1e-16);
	cr_assert_float_eq(vpm_otf_sinc(0.5), 2.0 / M_PI, 1e-15);
	cr_assert_float_eq(vpm_otf_sinc(-0.5), 2.0 / M_PI, 1e-15);
	cr_assert_float_eq(vpm_otf_sinc(1.5), -2.0 / (3.0 * M_PI), 1e-15);
}

Test(otf, shear_and_cutoff)
{
	/* f/2.8, 550 nm: cut-off 1/(λN) = 649.35 cy/mm (optics-reference §2) */
	cr_assert_float_eq(vpm_otf_cutoff_cy_mm(550.0, 2.8), 649.350649, 1e-5);
	cr_assert_float_eq(vpm_otf_shear(649.350649350649, 550.0, 2.8), 2.0, 1e-12);
	cr_assert_float_eq(vpm_otf_shear(-100.0, 550.0, 2.8), 0.308, 1e-12);
}

/* optics-reference.md §2: f/2.8, 550 nm at 50/100/200 cy/mm */
Test(otf, diffraction_check_values)
{
	cr_assert_float_eq(vpm_otf_diffraction_cy_mm(50.0, 550.0, 2.8), 0.90206, 2e-5);
	cr_assert_float_eq(vpm_otf_diffraction_cy_mm(100.0, 550.0, 2.8), 0.80470, 2e-5);
	cr_assert_float_eq(vpm_otf_diffraction_cy_mm(200.0, 550.0, 2.8), 0.61413, 2e-5);
	cr_assert_float_eq(vpm_otf_diffraction(0.0), 1.0, 1e-15);
	cr_assert_eq(vpm_otf_diffraction(2.0), 0.0);
	cr_assert_eq(vpm_otf_diffraction(2.7), 0.0);
	/* s = 1 (half the cut-off): (2/π)(π/3 − (1/2)(√3/2)) */
	cr_assert_float_eq(vpm_otf_diffraction(1.0), (2.0 / M_PI) * (M_PI / 3.0 - sqrt(3.0) / 4.0),
			   1e-15);
}

/* optics-reference.md §3: f/2.8, 550 nm, W020 = 2 waves, exact Hopkins by
 * quadrature: 0.9110 / 0.7155 / 0.4731 / 0.0603 / −0.0306 (signed).  Our
 * values must round to the same four decimals (|Δ| < 5e-5), which is
 * stricter than the required 1e-4. */
Test(otf, hopkins_check_values)
{
	const double nu[5] = { 10, 20, 30, 50, 100 };
	const double want[5] = { 0.9110, 0.7155, 0.4731, 0.0603, -0.0306 };

	for (int i = 0; i < 5; i++) {
		double h = vpm_otf_hopkins_cy_mm(nu[i], 550.0, 2.8, 2.0);

		cr_assert(fabs(h - want[i]) < 5e-5, "H(%g cy/mm) = %.6f, published %.4f", nu[i], h,
			  want[i]);
		/* and against our own adaptive reference, tightly */
		cr_assert_float_eq(h, ref_qag(vpm_otf_shear(nu[i], 550.0, 2.8), 2.0), 1e-10);
	}
	/* the reversal at 100 cy/mm is real: negative */
	cr_assert_lt(vpm_otf_hopkins_cy_mm(100.0, 550.0, 2.8, 2.0), 0.0);
}

Test(otf, hopkins_limits_and_symmetry)
{
	for (double s = 0.0; s < 2.0; s += 0.173) {
		cr_assert_float_eq(vpm_otf_hopkins(s, 0.0), vpm_otf_diffraction(s), 1e-15);
		cr_assert_float_eq(vpm_otf_hopkins(s, -3.7), vpm_otf_hopkins(s, 3.7), 1e-14);
		cr_assert_float_eq(vpm_otf_hopkins(-s, 3.7), vpm_otf_hopkins(s, 3.7), 1e-14);
	}
	/* ν → 0: no attenuation, whatever the defocus */
	cr_assert_float_eq(vpm_otf_hopkins(0.0, 25.0), 1.0, 1e-15);
	cr_assert_float_eq(vpm_otf_hopkins(1e-7, 25.0), 1.0, 1e-6);
	cr_assert_eq(vpm_otf_hopkins(2.0, 1.3), 0.0);
	cr_assert_eq(vpm_otf_hopkins(2.5, 1.3), 0.0);
}

/* The fast quadrature against GSL QAG on a dense (s, w) grid, w ≤ 66 waves
 * (60 waves plus the +10 % planning tolerance), s over all of [0, 2). */
Test(otf, hopkins_matches_adaptive_quadrature_dense, .timeout = 120)
{
	double worst = 0.0, ws_ = 0, ww = 0;
	long n = 0;

	for (double w = 0.0; w <= 66.0; w += (w < 4.0 ? 0.0913 : w * 0.0517)) {
		for (double s = 0.0013; s < 2.0; s += 0.0247) {
			double e = fabs(vpm_otf_hopkins(s, w) - ref_qag(s, w));

			n++;
			if (e > worst) {
				worst = e;
				ws_ = s;
				ww = w;
			}
		}
	}
	cr_log_info("fast vs QAG: %ld points, max |error| %.3g at s=%g w=%g", n, worst, ws_, ww);
	cr_assert_lt(worst, 1e-9, "max error %.3g at s=%g w=%g", worst, ws_, ww);
}

/* Strong defocus (the Bessel/Struve split and composite panels) against
 * QAWO, which is built for many oscillations. */
Test(otf, hopkins_matches_qawo_strong_defocus, .timeout = 120)
{
	const double wv[] = { 45.0, 150.0, 612.5, 2400.0 };
	double worst = 0.0;

	for (size_t i = 0; i < sizeof wv / sizeof wv[0]; i++)
		for (double s = 0.0021; s < 2.0; s += 0.0731) {
			double e = fabs(vpm_otf_hopkins(s, wv[i]) - ref_qawo(s, wv[i]));

			worst = fmax(worst, e);
			cr_assert_lt(e, 1e-9, "s=%g w=%g: error %.3g", s, wv[i], e);
		}
	cr_log_info("fast vs QAWO up to 2400 waves: max |error| %.3g", worst);
}

Test(otf, series_equals_single_values)
{
	double out[VPM_OTF_SERIES_MAX];

	for (double s = 0.05; s < 2.0; s += 0.31) {
		vpm_otf_hopkins_series(s, 40.0, 1.25, 9, out);
		for (int j = 0; j < 9; j++)
			cr_assert_float_eq(out[j], vpm_otf_hopkins(s, 40.0 + 1.25 * j), 1e-12,
					   "s=%g j=%d", s, j);
	}
	/* n out of range leaves the output untouched */
	out[0] = 42.0;
	vpm_otf_hopkins_series(0.5, 1.0, 0.1, 0, out);
	vpm_otf_hopkins_series(0.5, 1.0, 0.1, VPM_OTF_SERIES_MAX + 1, out);
	cr_assert_eq(out[0], 42.0);
}

/* Planning tolerance: max over the nine w′ = w(1 − δ + δj/4). */
Test(otf, planning_tolerance_factor)
{
	for (double s = 0.017; s < 2.0; s += 0.0913) {
		for (double w = 0.0; w < 40.0; w += 1.37) {
			double h = fabs(vpm_otf_hopkins(s, w));
			double t = vpm_otf_defocus_factor(s, w, 0.10);
			double best = 0.0;

			for (int j = 0; j <= 8; j++)
				best = fmax(best, fabs(vpm_otf_hopkins(s, w * (0.9 + 0.025 * j))));
			cr_assert_geq(t, h - 1e-13, "below |H| at s=%g w=%g", s, w);
			cr_assert_leq(t, vpm_otf_diffraction(s) + 1e-12,
				      "above the MTF at s=%g w=%g", s, w);
			cr_assert_float_eq(t, best, 1e-12);
			cr_assert_float_eq(vpm_otf_defocus_factor(s, w, 0.0), h, 1e-15);
		}
	}
	/* at a null of H the tolerance lifts the factor off zero: f/2.8,
	 * 550 nm, 2 waves has a sign change between 50 and 100 cy/mm */
	{
		double lo = 50.0, hi = 100.0;

		for (int it = 0; it < 60; it++) {
			double mid = 0.5 * (lo + hi);

			if (vpm_otf_hopkins_cy_mm(mid, 550.0, 2.8, 2.0) > 0)
				lo = mid;
			else
				hi = mid;
		}
		cr_assert_lt(fabs(vpm_otf_hopkins_cy_mm(lo, 550.0, 2.8, 2.0)), 1e-9);
		cr_assert_gt(vpm_otf_defocus_factor(vpm_otf_shear(lo, 550.0, 2.8), 2.0, 0.10),
			     1e-3);
	}
}

/* |H| ≤ MTF, and the cheap bound is above |H| and monotone. */
Test(otf, defocused_otf_below_mtf_and_bound, .timeout = 60)
{
	for (double w = 0.0; w <= 300.0; w += (w < 5.0 ? 0.21 : w * 0.09)) {
		double prev = 2.0;

		for (double s = 0.0; s < 2.0; s += 0.0137) {
			double h = fabs(vpm_otf_hopkins(s, w));
			double b = vpm_otf_defocus_bound(s, w);

			cr_assert_leq(h, vpm_otf_diffraction(s) + 1e-13, "|H| > MTF at s=%g w=%g",
				      s, w);
			cr_assert_geq(b, h - 1e-13, "bound %g < |H| %g at s=%g w=%g", b, h, s, w);
			cr_assert_leq(b, prev, "bound not monotone in s at s=%g w=%g", s, w);
			cr_assert_leq(vpm_otf_defocus_bound(s, w * 1.3 + 0.1), b,
				      "bound not monotone in w at s=%g w=%g", s, w);
			prev = b;
		}
	}
	/* the bound is useful: far below the MTF at strong defocus */
	cr_assert_lt(vpm_otf_defocus_bound(0.5, 50.0), 0.01);
	cr_assert_eq(vpm_otf_defocus_bound(0.5, 0.0), vpm_otf_diffraction(0.5));
}

/* optics-reference.md §5: MTF = |cos(π d νx)|·|cos(π d νy)|, zero at 1/(2d);
 * d = p puts the zero at Nyquist; d = 0.75p gives 0.383 at Nyquist. */
Test(otf, olpf)
{
	double p = 0.006, nyq = 1.0 / (2.0 * p);

	cr_assert_eq(vpm_otf_olpf(123.0, 45.0, 0.0), 1.0);
	cr_assert_float_eq(vpm_otf_olpf(nyq, 0.0, p), 0.0, 1e-15);
	cr_assert_float_eq(vpm_otf_olpf(0.0, nyq, p), 0.0, 1e-15);
	cr_assert_float_eq(vpm_otf_olpf(nyq, 0.0, 0.75 * p), 0.383, 5e-4);
	cr_assert_float_eq(vpm_otf_olpf(30.0, 40.0, 0.0045),
			   fabs(cos(M_PI * 0.0045 * 30.0)) * fabs(cos(M_PI * 0.0045 * 40.0)),
			   1e-15);
	/* separable, not radial: along 45° the first zero is at √2/(2d) radial */
	cr_assert_float_eq(vpm_otf_olpf(nyq, nyq, p), 0.0, 1e-15);
	cr_assert_gt(vpm_otf_olpf(nyq / sqrt(2.0), nyq / sqrt(2.0), p), 0.1);
}

/* optics-reference.md §6: a = p gives sinc(1/2) = 0.6366 at Nyquist. */
Test(otf, photosite_aperture)
{
	double p = 0.0055, nyq = 1.0 / (2.0 * p);

	cr_assert_float_eq(vpm_otf_photosite(nyq, 0.0, p), 0.6366, 1e-4);
	cr_assert_float_eq(vpm_otf_photosite(nyq, nyq, p), 0.6366 * 0.6366, 1e-4);
	cr_assert_float_eq(vpm_otf_photosite(1.0 / p, 0.0, p), 0.0, 1e-15);
	cr_assert_float_eq(vpm_otf_photosite(0.0, 0.0, p), 1.0, 0.0);
	/* a smaller fill attenuates less */
	cr_assert_gt(vpm_otf_photosite(nyq, 0.0, 0.5 * p), vpm_otf_photosite(nyq, 0.0, p));
}

/* Every factor is at most 1 and all are 1 at ν → 0. */
Test(otf, factors_bounded_by_one)
{
	for (double nu = 0.0; nu < 600.0; nu += 3.7) {
		double s = vpm_otf_shear(nu, 555.0, 2.1);

		cr_assert_leq(vpm_otf_diffraction(s), 1.0);
		cr_assert_leq(vpm_otf_defocus_factor(s, 17.3, 0.1), 1.0);
		cr_assert_leq(vpm_otf_olpf(nu, nu / 3, 0.004), 1.0);
		cr_assert_leq(vpm_otf_photosite(nu, nu / 3, 0.005), 1.0);
	}
	cr_assert_float_eq(vpm_otf_defocus_factor(0.0, 17.3, 0.1), 1.0, 1e-15);
	cr_assert_float_eq(vpm_otf_olpf(1e-9, 1e-9, 0.004), 1.0, 1e-12);
	cr_assert_float_eq(vpm_otf_photosite(1e-9, 1e-9, 0.005), 1.0, 1e-12);
}

/* ---- aberrations ---- */

Test(otf, aberration_ideal_and_curve)
{
	vpm_otf_aberration_t *ab = vpm_otf_aberration_alloc();
	const double nu[3] = { 10.0, 20.0, 40.0 }, m[3] = { 0.95, 0.85, 0.60 };
	double d40;

	cr_assert_not_null(ab);
	cr_assert_eq(vpm_otf_aberration_factor(ab, 123.0), 1.0, "a fresh model is ideal");
	cr_assert_eq(vpm_otf_aberration_factor(NULL, 123.0), 1.0);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, nu, m, 2.8), VPM_OK, "%s", vpm_error_message());
	/* at a catalog point: MTF_cat / MTF_diff(555 nm, T2.8) */
	d40 = vpm_otf_diffraction_cy_mm(40.0, 555.0, 2.8);
	cr_assert_float_eq(vpm_otf_aberration_factor(ab, 40.0), 0.60 / d40, 1e-12);
	cr_assert_float_eq(vpm_otf_aberration_factor(ab, 20.0),
			   0.85 / vpm_otf_diffraction_cy_mm(20.0, 555.0, 2.8), 1e-12);
	/* beyond the last point the ratio is held */
	cr_assert_float_eq(vpm_otf_aberration_factor(ab, 150.0), 0.60 / d40, 1e-12);
	cr_assert_float_eq(vpm_otf_aberration_factor(ab, -150.0), 0.60 / d40, 1e-12);
	/* between 0 and the first point it interpolates from (0, 1) */
	cr_assert_eq(vpm_otf_aberration_factor(ab, 0.0), 1.0);
	for (double x = 0.0; x < 200.0; x += 0.77) {
		double f = vpm_otf_aberration_factor(ab, x);

		cr_assert(f >= 0.0 && f <= 1.0, "factor %g at %g", f, x);
	}
	/* one point: linear from (0, 1) */
	{
		const double n1[1] = { 30.0 }, m1[1] = { 0.5 };
		double mid;

		cr_assert_eq(vpm_otf_aberration_set(ab, 1, n1, m1, 4.0), VPM_OK);
		mid = 0.75 / vpm_otf_diffraction_cy_mm(15.0, 555.0, 4.0);
		cr_assert_float_eq(vpm_otf_aberration_factor(ab, 15.0), fmin(1.0, mid), 1e-12);
	}
	/* a catalog value above diffraction is capped at 1 */
	{
		const double n1[1] = { 30.0 }, m1[1] = { 1.0 };

		cr_assert_eq(vpm_otf_aberration_set(ab, 1, n1, m1, 4.0), VPM_OK);
		cr_assert_eq(vpm_otf_aberration_factor(ab, 30.0), 1.0);
	}
	/* n = 0 makes it ideal again */
	cr_assert_eq(vpm_otf_aberration_set(ab, 0, NULL, NULL, 0.0), VPM_OK);
	cr_assert_eq(vpm_otf_aberration_factor(ab, 40.0), 1.0);
	vpm_otf_aberration_free(ab);
	vpm_otf_aberration_free(NULL);
}

Test(otf, aberration_errors)
{
	vpm_otf_aberration_t *ab = vpm_otf_aberration_alloc();
	const double nu[3] = { 10.0, 20.0, 40.0 }, m[3] = { 0.95, 0.85, 0.60 };
	const double bad_order[3] = { 10.0, 10.0, 40.0 }, neg[3] = { -1.0, 20.0, 40.0 };
	const double too_high[3] = { 10.0, 20.0, 900.0 }, bad_m[3] = { 0.95, 1.2, 0.6 };
	const double nan_m[3] = { 0.95, NAN, 0.6 };

	cr_assert_eq(vpm_otf_aberration_set(ab, -1, nu, m, 2.8), VPM_EINVAL);
	cr_assert_eq(vpm_otf_aberration_set(ab, VPM_LENS_MTF_MAX + 1, nu, m, 2.8), VPM_EINVAL);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, NULL, m, 2.8), VPM_EINVAL);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, nu, m, 0.3), VPM_ERANGE);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, nu, m, NAN), VPM_ERANGE);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, bad_order, m, 2.8), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "increase") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, neg, m, 2.8), VPM_EINVAL);
	/* 900 cy/mm is beyond 1/(555 nm · 2.8) = 643.6 cy/mm */
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, too_high, m, 2.8), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "cut-off") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, nu, bad_m, 2.8), VPM_ERANGE);
	cr_assert_eq(vpm_otf_aberration_set(ab, 3, nu, nan_m, 2.8), VPM_ERANGE);
	cr_assert_eq(vpm_otf_aberration_set(NULL, 3, nu, m, 2.8), VPM_EINVAL);
	/* a failed set leaves the model ideal */
	cr_assert_eq(vpm_otf_aberration_factor(ab, 40.0), 1.0);
	cr_assert_eq(vpm_otf_aberration_check(3, nu, m, 2.8), VPM_OK);
	vpm_otf_aberration_free(ab);
}

/* ---- field lens model (soft-edged pupil): the geometric spot G, limits, bound ---- */

/* Amplitude of the field pupil (lib/vpmoire/otf.h): 1 inside 1 − ε, a
 * raised cosine cos²(π/2·u) = (1 + cos πu)/2, u = (ρ − (1 − ε))/ε, to 0 at
 * ρ = 1; 0 outside. */
static double field_amp(double rho, double eps)
{
	double c;

	if (rho <= 1.0 - eps)
		return 1.0;
	if (rho > 1.0)
		return 0.0;
	c = cos(M_PI / 2.0 * (rho - (1.0 - eps)) / eps);
	return c * c;
}

/* Its intensity transmission A² = cos⁴(π/2·u) on the edge. */
static double field_a2(double rho, double eps)
{
	double amp = field_amp(rho, eps);

	return amp * amp;
}

struct fq {
	double x, eps;
};

static double field_integrand(double rho, void *p)
{
	const struct fq *q = p;

	return field_a2(rho, q->eps) * gsl_sf_bessel_J0(q->x * rho) * 2.0 * rho;
}

/* G(x) straight from its definition: GSL QAG on [0, 1 − ε] and [1 − ε, 1]
 * for both ∫ A² J0(xρ) 2ρ dρ and the normalisation (x = 0). */
static double ref_field_spot(double x, double eps)
{
	static gsl_integration_workspace *ws;
	double num = 0.0, den = 0.0, a = 1.0 - eps;

	if (!ws) {
		gsl_set_error_handler_off();
		ws = gsl_integration_workspace_alloc(50000);
	}
	for (int k = 0; k < 2; k++) {
		struct fq q = { k == 0 ? x : 0.0, eps };
		gsl_function F = { field_integrand, &q };
		double r1 = 0, r2 = 0, e;
		int st;

		st = gsl_integration_qag(&F, 0.0, a, 1e-13, 0.0, 50000, GSL_INTEG_GAUSS61, ws, &r1,
					 &e);
		cr_assert_eq(st, GSL_SUCCESS, "QAG failed at x=%g: %s", x, gsl_strerror(st));
		if (eps > 0.0) {
			st = gsl_integration_qag(&F, a, 1.0, 1e-13, 0.0, 50000, GSL_INTEG_GAUSS61,
						 ws, &r2, &e);
			cr_assert_eq(st, GSL_SUCCESS, "QAG failed at x=%g: %s", x,
				     gsl_strerror(st));
		}
		if (k == 0)
			num = r1 + r2;
		else
			den = r1 + r2;
	}
	return num / den;
}

/* N = ∫₀¹ A² 2ρ dρ by QAG (the denominator of ref_field_spot()). */
static double ref_field_norm(double eps)
{
	static gsl_integration_workspace *ws;
	double r1 = 0, r2 = 0, e, a = 1.0 - eps;
	struct fq q = { 0.0, eps };
	gsl_function F = { field_integrand, &q };

	if (!ws) {
		gsl_set_error_handler_off();
		ws = gsl_integration_workspace_alloc(1000);
	}
	gsl_integration_qag(&F, 0.0, a, 1e-15, 0.0, 1000, GSL_INTEG_GAUSS61, ws, &r1, &e);
	gsl_integration_qag(&F, a, 1.0, 1e-15, 0.0, 1000, GSL_INTEG_GAUSS61, ws, &r2, &e);
	return r1 + r2;
}

/* ε = 0 is the blur-disc OTF 2·J1(x)/x (optics-reference §3), J1 from GSL:
 * through the table (a priori interpolation error ≤ 2.7e-8, otf.c) and
 * beyond it, where the closed form is used.  A NULL table is the same. */
Test(otf, field_hard_edge_is_jinc)
{
	vpm_otf_field_t *f = vpm_otf_field_alloc(0.0);
	double worst = 0.0, at = 0.0;
	int n = 0;

	cr_assert_not_null(f, "%s", vpm_error_message());
	cr_assert_eq(vpm_otf_field_edge(f), 0.0);
	cr_assert_eq(vpm_otf_field_edge(NULL), 0.0);
	for (double x = 0.0013; x < 9000.0; x += (x < 50.0 ? 0.0371 : x * 0.00731), n++) {
		double want = 2.0 * gsl_sf_bessel_J1(x) / x, g = vpm_otf_field_spot(f, x);

		if (fabs(g - want) > worst) {
			worst = fabs(g - want);
			at = x;
		}
		cr_assert_lt(fabs(g - want), 1e-7, "G(%g) = %.10f, 2J1(x)/x = %.10f", x, g, want);
		cr_assert_eq(vpm_otf_field_spot(f, -x), g);
		cr_assert_float_eq(vpm_otf_field_spot(NULL, x), want, 1e-12, "NULL table at x=%g",
				   x);
	}
	cr_log_info("field ε=0 vs 2J1(x)/x: %d points, max |error| %.3g at x=%g", n, worst, at);
	cr_assert_eq(vpm_otf_field_spot(f, 0.0), 1.0);
	cr_assert_eq(vpm_otf_field_spot(NULL, 0.0), 1.0);
	cr_assert_eq(vpm_otf_field_spot(f, INFINITY), 0.0);
	cr_assert(isnan(vpm_otf_field_spot(f, NAN)));
	vpm_otf_field_free(f);
}

/* ε > 0: the table (and the direct quadrature beyond it) against QAG on the
 * definition at pseudo-random x; the a priori interpolation bound is
 * 1.1e-7 (otf.c), well inside the 1e-6 asked of the table. */
Test(otf, field_soft_edge_matches_quadrature, .timeout = 60)
{
	const double eps[] = { 0.05, 0.2, 0.37, 0.9 };
	unsigned long seed = 20240611;
	double worst = 0.0;

	for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);

		cr_assert_not_null(f, "%s", vpm_error_message());
		cr_assert_eq(vpm_otf_field_edge(f), eps[i]);
		cr_assert_eq(vpm_otf_field_spot(f, 0.0), 1.0);
		for (int k = 0; k < 16; k++) {
			double u, x, g, want;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			u = (double)(seed >> 11) / 9007199254740992.0;
			/* half in the main lobe and first sidelobes, half anywhere;
			 * the last two beyond the table (x ≥ 4096) */
			x = k < 8 ? 40.0 * u : (k < 14 ? 4096.0 * u : 4096.0 + 3000.0 * u);
			g = vpm_otf_field_spot(f, x);
			want = ref_field_spot(x, eps[i]);
			worst = fmax(worst, fabs(g - want));
			cr_assert_lt(fabs(g - want), 3e-7, "ε=%g x=%g: G %.10f, QAG %.10f", eps[i],
				     x, g, want);
		}
		vpm_otf_field_free(f);
	}
	cr_log_info("field ε>0 vs QAG: max |error| %.3g", worst);
}

/* Limits and the bound: G(0) = 1, |G| ≤ 1, F ≤ D̃ (the in-focus MTF of the
 * apodized pupil, F at w = 0), 0 beyond the cut-off, bound ≥ F for every
 * w′ ≥ w_min (for the factor and for the exact geometric G·D̃), bound
 * non-increasing in s and in w_min, bound = D̃ at w_min = 0.  w runs from
 * 0 (small w: the wave branch) to 200 waves so that 4π·w·s leaves the G
 * table (x ≥ 4096). */
Test(otf, field_limits_and_bound, .timeout = 60)
{
	const double eps[] = { 0.0, 0.02, 0.13, 0.4, 0.9 };

	for (size_t i = 0; i < sizeof eps / sizeof eps[0]; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);
		long n = 0;

		cr_assert_not_null(f, "%s", vpm_error_message());
		cr_assert_eq(vpm_otf_field_spot(f, 0.0), 1.0);
		for (double x = 0.0; x < 5000.0; x += 0.0917 + x * 0.001) {
			double g = vpm_otf_field_spot(f, x);

			cr_assert_leq(fabs(g), 1.0, "ε=%g: |G(%g)| = %g", eps[i], x, g);
		}
		for (double s = 0.0; s < 2.2; s += 0.0537) {
			double d = vpm_otf_field_factor(f, s, 0.0, 0.0, NULL), wst = -1.0;

			if (eps[i] == 0.0)
				cr_assert_eq(d, vpm_otf_diffraction(s));
			cr_assert_eq(vpm_otf_field_factor(f, s, 0.0, 0.1, &wst), d);
			cr_assert_eq(wst, d);
			cr_assert_geq(vpm_otf_field_bound(f, s, 0.0), d);
			/* equal where D̃ falls; a cubic's bump in the first and last
			 * cell (rows 1/256 apart) is covered by its maximum */
			cr_assert_float_eq(vpm_otf_field_bound(f, s, 0.0), d, 1e-9, "ε=%g s=%g",
					   eps[i], s);
			for (double w = 0.0; w < 200.0; w += 0.173 + w * 0.061) {
				double fw = vpm_otf_field_factor(f, s, w, 0.0, NULL);

				cr_assert_leq(fw, d + 1e-15, "F above D̃: ε=%g s=%g w=%g", eps[i], s,
					      w);
				if (s >= 2.0)
					cr_assert_eq(fw, 0.0);
			}
		}
		/* the bound over w_min, against w′ = w_min … 3·w_min */
		for (double wmin = 0.0; wmin < 200.0;
		     wmin += (wmin < 3.0 ? 0.137 : 0.211 + wmin * 0.083)) {
			double prev = 2.0;

			for (double s = 0.0; s < 2.1; s += 0.0173) {
				double b = vpm_otf_field_bound(f, s, wmin),
				       d = vpm_otf_field_factor(f, s, 0.0, 0.0, NULL);

				cr_assert_leq(b, prev, "bound rises with s: ε=%g s=%g w_min=%g",
					      eps[i], s, wmin);
				cr_assert_leq(vpm_otf_field_bound(f, s, wmin * 1.21 + 0.05), b,
					      "bound rises with w_min: ε=%g s=%g w_min=%g", eps[i],
					      s, wmin);
				cr_assert_leq(b, vpm_otf_field_bound(f, s, 0.0));
				prev = b;
				for (double w = wmin; w <= 3.0 * wmin + 0.1;
				     w += 0.0137 + w * 0.0213, n++) {
					double fw = vpm_otf_field_factor(f, s, w, 0.0, NULL);
					double x = 4.0 * M_PI * w * s;

					cr_assert_geq(b, fw, "bound %g < F %g: ε=%g s=%g w=%g ≥ %g",
						      b, fw, eps[i], s, w, wmin);
					/* the exact geometric G (beyond the table: below) */
					if (x < 4096.0)
						cr_assert_geq(b, fabs(vpm_otf_field_spot(f, x)) * d,
							      "bound below |G|·D̃: ε=%g s=%g w=%g",
							      eps[i], s, w);
				}
			}
		}
		cr_log_info("field bound ε=%g: ≥ F at %ld points", eps[i], n);
		/* beyond the table the bound is the tail bound of |G| (otf.c):
		 * check it against G by direct quadrature, E(x) = bound/D̃ at s = 1 */
		for (double x = 4096.0; x < 30000.0; x *= 1.0731) {
			double e = vpm_otf_field_bound(f, 1.0, x / (4.0 * M_PI)) /
				   vpm_otf_field_factor(f, 1.0, 0.0, 0.0, NULL);

			cr_assert_geq(e, fabs(vpm_otf_field_spot(f, x)), "ε=%g x=%g", eps[i], x);
		}
		vpm_otf_field_free(f);
	}
	/* NaN in, NaN out */
	{
		vpm_otf_field_t *f = vpm_otf_field_alloc(0.3);
		double wst = 0.0;

		cr_assert(isnan(vpm_otf_field_factor(f, NAN, 1.0, 0.1, &wst)));
		cr_assert(isnan(wst));
		cr_assert(isnan(vpm_otf_field_factor(f, 0.5, NAN, 0.1, NULL)));
		cr_assert(isnan(vpm_otf_field_bound(f, NAN, 1.0)));
		cr_assert(isnan(vpm_otf_field_factor(NULL, NAN, 1.0, 0.0, NULL)));
		vpm_otf_field_free(f);
	}
	/* NULL: the hard pupil, with the same guarantees */
	for (double s = 0.011; s < 2.0; s += 0.0913)
		for (double w = 0.0; w < 100.0; w += 0.77) {
			double fw = vpm_otf_field_factor(NULL, s, w, 0.0, NULL);

			cr_assert_leq(fw, vpm_otf_diffraction(s));
			cr_assert_geq(vpm_otf_field_bound(NULL, s, w * 0.8), fw, "s=%g w=%g", s, w);
		}
	/* the wave-optics bound is useful, not just D̃: ε = 0.4, w_min = 4
	 * waves keeps it below 5 % of D̃ for s ∈ [0.4, 1.6] (2.4 % … 0.4 %;
	 * 6–16 times the largest F over w ∈ [4, 80]) */
	{
		vpm_otf_field_t *f = vpm_otf_field_alloc(0.4);

		for (double s = 0.4; s < 1.65; s += 0.1)
			cr_assert_lt(vpm_otf_field_bound(f, s, 4.0),
				     0.05 * vpm_otf_field_factor(f, s, 0.0, 0.0, NULL), "s=%g", s);
		vpm_otf_field_free(f);
	}
}

/* The planning band: the nine w′ = w(1 − δ + δj/4); worst = the largest F,
 * mean = composite Simpson (1, 4, 2, 4, 2, 4, 2, 4, 1)/24; mean ≤ worst;
 * δ = 0 gives mean = worst = F(s, w). */
Test(otf, field_planning_band)
{
	static const double simpson[9] = { 1, 4, 2, 4, 2, 4, 2, 4, 1 };
	vpm_otf_field_t *f = vpm_otf_field_alloc(0.23);

	cr_assert_not_null(f, "%s", vpm_error_message());
	for (double s = 0.0173; s < 2.0; s += 0.0731) {
		for (double w = 0.0; w < 190.0; w += 0.37 + w * 0.09) {
			double worst = -1.0, mean = vpm_otf_field_factor(f, s, w, 0.1, &worst);
			double best = 0.0, sum = 0.0, f0, w0 = -1.0;

			for (int j = 0; j < 9; j++) {
				double fj = vpm_otf_field_factor(f, s, w * (0.9 + 0.025 * j), 0.0,
								 NULL);

				best = fmax(best, fj);
				sum += simpson[j] * fj;
			}
			/* the nine abscissae of the band and the nine single calls
			 * differ by rounding: 1e-12 */
			cr_assert_leq(mean, worst, "s=%g w=%g", s, w);
			cr_assert_geq(vpm_otf_field_bound(f, s, 0.9 * w), worst, "s=%g w=%g", s, w);
			cr_assert_float_eq(worst, best, 1e-12, "s=%g w=%g", s, w);
			cr_assert_float_eq(mean, fmin(sum / 24.0, best), 1e-12, "s=%g w=%g", s, w);
			/* w′ = w is one of the nine */
			f0 = vpm_otf_field_factor(f, s, w, 0.0, &w0);
			cr_assert_eq(f0, w0);
			cr_assert_leq(f0, worst + 1e-13); /* x0 + 4·dx vs 4π·w·s: rounding */
			/* δ = 0: mean = worst = F; negative w is the same defocus */
			cr_assert_eq(vpm_otf_field_factor(f, s, w, 0.0, NULL), f0);
			cr_assert_eq(vpm_otf_field_factor(f, s, -w, 0.1, NULL), mean);
			cr_assert_eq(vpm_otf_field_factor(f, -s, w, 0.1, NULL), mean);
		}
	}
	{
		double worst = -1.0;

		cr_assert_eq(vpm_otf_field_factor(f, 2.0, 5.0, 0.1, &worst), 0.0);
		cr_assert_eq(worst, 0.0);
		cr_assert_eq(vpm_otf_field_factor(f, 2.5, 5.0, 0.1, NULL), 0.0);
	}
	vpm_otf_field_free(f);
}

Test(otf, field_alloc_errors)
{
	const double bad[] = { -0.01, 0.9001, 1.0, NAN, INFINITY, -INFINITY };
	vpm_otf_field_t *f;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vpm_error_clear();
		cr_assert_null(vpm_otf_field_alloc(bad[i]), "edge %g accepted", bad[i]);
		cr_assert(strstr(vpm_error_message(), "edge") != NULL, "%s", vpm_error_message());
	}
	f = vpm_otf_field_alloc(0.9);
	cr_assert_not_null(f, "%s", vpm_error_message());
	cr_assert_eq(vpm_otf_field_edge(f), 0.9);
	vpm_otf_field_free(f);
	vpm_otf_field_free(NULL);
}

/* ---- the field model against wave optics ----
 *
 * A numerical reference: the pupil sampled with radius R = 120 px on a
 * 512 × 512 grid (≥ 4R + 1, so the circular autocorrelation does not wrap),
 * amplitude A(ρ) (field_amp()), phase 2π·w·ρ²; PSF = |FFT(pupil)|², OTF =
 * FFT⁻¹(PSF), i.e. the pupil autocorrelation, normalised at 0.  A shear s
 * is the shift s·R px along x.  At ε = 0 this reproduces the exact Hopkins
 * OTF to 5e-4 (pixelated hard edge; R = 250 gives 1.5e-4); the smooth soft
 * edge pixelates far more gracefully: at w = 4 and 8, ε = 0.2 and 0.4 the
 * values move by < 1e-7 from R = 120 to 240 (< 4e-6 from R = 60). */
#define PUPIL_R 120
#define PUPIL_M 512

static void pupil_fft_mtf(double w, double eps, double *mtf /* 2R + 1 */)
{
	fftw_complex *p = fftw_malloc(sizeof(fftw_complex) * PUPIL_M * PUPIL_M);
	fftw_plan fwd, bwd;

	cr_assert_not_null(p);
	fwd = fftw_plan_dft_2d(PUPIL_M, PUPIL_M, p, p, FFTW_FORWARD, FFTW_ESTIMATE);
	bwd = fftw_plan_dft_2d(PUPIL_M, PUPIL_M, p, p, FFTW_BACKWARD, FFTW_ESTIMATE);
	for (int i = 0; i < PUPIL_M; i++) {
		for (int j = 0; j < PUPIL_M; j++) {
			int y = i < PUPIL_M / 2 ? i : i - PUPIL_M;
			int x = j < PUPIL_M / 2 ? j : j - PUPIL_M;
			double rho = sqrt((double)x * x + (double)y * y) / PUPIL_R;
			double amp = rho > 1.0 ? 0.0 : (eps > 0.0 ? field_amp(rho, eps) : 1.0);
			double ph = 2.0 * M_PI * w * rho * rho;

			p[i * PUPIL_M + j][0] = amp * cos(ph);
			p[i * PUPIL_M + j][1] = amp * sin(ph);
		}
	}
	fftw_execute(fwd);
	for (int k = 0; k < PUPIL_M * PUPIL_M; k++) {
		p[k][0] = p[k][0] * p[k][0] + p[k][1] * p[k][1];
		p[k][1] = 0.0;
	}
	fftw_execute(bwd);
	for (int d = 0; d <= 2 * PUPIL_R; d++)
		mtf[d] = hypot(p[d][0], p[d][1]) / p[0][0];
	fftw_destroy_plan(fwd);
	fftw_destroy_plan(bwd);
	fftw_free(p);
}

/* The field factor against the pupil FFT of the same soft pupil.  For
 * w ≤ 8 waves every shear is in the wave branch (κ = 4π·w·s·(1 − s/2) ≤
 * 2π·w < 2π·48), so this checks the wave-optics table end to end: the
 * apodization, the defocus phase, the normalisation.  Measured max |F −
 * MTF_fft| over the 239 shears (the FFT is converged to ~1e-7, above):
 *            w = 0     0.5      1        2        4        8
 *   ε = 0.2: 5.4e-8  7.5e-8   5.5e-8   7.9e-8   9.1e-8   1.1e-7
 *   ε = 0.5: 8.8e-9  9.2e-9   1.4e-8   2.0e-8   1.9e-8   2.0e-8
 * and the former model |G(4π·w·s)|·D(s) (geometric spot × the hard
 * pupil's diffraction MTF), for comparison:
 *   ε = 0.2: 0.059   0.240    0.141    0.070    0.035    0.017
 *   ε = 0.5: 0.150   0.203    0.147    0.052    0.020    0.010
 * e.g. ε = 0.5, w = 2, s = 0.2 (an LED component): FFT 0.11761, F the
 * same to 1e-8, the former model 0.06574.  Asserted: 5e-7 (ε = 0.2) and
 * 1e-7 (ε = 0.5). */
Test(otf, field_matches_pupil_fft, .timeout = 60)
{
	const double eps[2] = { 0.2, 0.5 }, tol[2] = { 5e-7, 1e-7 };
	const double wv[6] = { 0.0, 0.5, 1.0, 2.0, 4.0, 8.0 };
	double mtf[2 * PUPIL_R + 1];

	/* the reference itself: ε = 0 against the exact Hopkins OTF */
	for (int k = 0; k < 2; k++) {
		double w = k == 0 ? 4.0 : 8.0, worst = 0.0;

		pupil_fft_mtf(w, 0.0, mtf);
		for (int d = 1; d < 2 * PUPIL_R; d++)
			worst = fmax(worst,
				     fabs(mtf[d] - fabs(vpm_otf_hopkins((double)d / PUPIL_R, w))));
		cr_log_info("pupil FFT, hard edge, w=%g: max |MTF − |H|| = %.5f", w, worst);
		cr_assert_lt(worst, 1e-3, "the pupil-FFT reference is off: %g at w=%g", worst, w);
	}
	for (int i = 0; i < 2; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);

		cr_assert_not_null(f, "%s", vpm_error_message());
		for (int k = 0; k < 6; k++) {
			double all = 0.0, at = 0.0, old = 0.0;

			pupil_fft_mtf(wv[k], eps[i], mtf);
			for (int d = 1; d < 2 * PUPIL_R; d++) {
				double s = (double)d / PUPIL_R;
				double e = fabs(vpm_otf_field_factor(f, s, wv[k], 0.0, NULL) -
						mtf[d]);
				/* the former model, geometric spot × hard-pupil MTF */
				double g = fabs(vpm_otf_field_spot(f, 4.0 * M_PI * wv[k] * s)) *
					   vpm_otf_diffraction(s);

				if (e > all) {
					all = e;
					at = s;
				}
				old = fmax(old, fabs(g - mtf[d]));
			}
			cr_log_info("field vs pupil FFT, ε=%g w=%g: max |ΔF| %.2e (at s=%.3f); "
				    "geometric × D: %.4f",
				    eps[i], wv[k], all, at, old);
			cr_assert_lt(all, tol[i], "ε=%g w=%g: %g at s=%g", eps[i], wv[k], all, at);
			if (eps[i] == 0.5 && wv[k] == 2.0) {
				/* the LED component of a real set-up: s = 0.2 */
				double fs = vpm_otf_field_factor(f, 0.2, 2.0, 0.0, NULL);

				cr_log_info("ε=0.5 w=2 s=0.2: FFT %.5f, F %.5f, geometric × D %.5f",
					    mtf[24], fs,
					    fabs(vpm_otf_field_spot(f, 4.0 * M_PI * 0.4)) *
						    vpm_otf_diffraction(0.2));
				cr_assert_float_eq(fs, mtf[24], 1e-7);
			}
		}
		vpm_otf_field_free(f);
	}
}

/* The point of the soft edge: at w = 8 waves the hard pupil's sidelobes
 * over s ∈ [0.5, 1.5] reach |H| = 0.0040 (exact Hopkins); the soft pupil's
 * wave-optical MTF (pupil FFT) reaches 0.00028 (ε = 0.2) and 0.00014
 * (ε = 0.4), ≥ 14 times lower, and the field factor reproduces both. */
Test(otf, field_soft_edge_lowers_sidelobes, .timeout = 60)
{
	const double eps[2] = { 0.2, 0.4 };
	double mtf[2 * PUPIL_R + 1], hard = 0.0, fft_max[2] = { 0 }, model_max[2] = { 0 };

	for (int d = PUPIL_R / 2; d <= 3 * PUPIL_R / 2; d++)
		hard = fmax(hard, fabs(vpm_otf_hopkins((double)d / PUPIL_R, 8.0)));
	for (int i = 0; i < 2; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);

		cr_assert_not_null(f, "%s", vpm_error_message());
		pupil_fft_mtf(8.0, eps[i], mtf);
		for (int d = PUPIL_R / 2; d <= 3 * PUPIL_R / 2; d++) {
			fft_max[i] = fmax(fft_max[i], mtf[d]);
			model_max[i] =
				fmax(model_max[i],
				     vpm_otf_field_factor(f, (double)d / PUPIL_R, 8.0, 0.0, NULL));
		}
		vpm_otf_field_free(f);
	}
	cr_log_info("w=8, s in [0.5, 1.5]: hard |H| %.5f; soft FFT %.6f / %.6f, field factor "
		    "%.6f / %.6f (ε = 0.2 / 0.4)",
		    hard, fft_max[0], fft_max[1], model_max[0], model_max[1]);
	cr_assert_gt(hard, 0.0035);
	cr_assert_lt(fft_max[0], 0.1 * hard);
	cr_assert_lt(fft_max[1], 0.05 * hard);
	cr_assert_lt(fft_max[1], fft_max[0]);
	for (int i = 0; i < 2; i++)
		cr_assert_float_eq(model_max[i], fft_max[i], 1e-6, "ε=%g", eps[i]);
}

/* ---- the wave-optics field factor against adaptive quadrature ----
 *
 * H(s, w) = (4/(π·N))·∫₀^L C(x)·cos(4π·w·s·x) dx, L = 1 − s/2, with the
 * chord integral C(x) = ∫₀^{y_max} A(|(x + s/2, y)|)·A(|(x − s/2, y)|) dy
 * and N = ∫₀¹ A² 2ρ dρ: nested GSL QAG straight from the definition (the
 * inner one split where either factor enters the edge), independent of the
 * library's table, Gauss–Legendre chords and interpolation. */
struct wq {
	double x, s, eps;
	double k; /* outer: 4π·w·s */
	gsl_integration_workspace *in;
};

static double chord_integrand(double y, void *p)
{
	const struct wq *q = p;

	return field_amp(hypot(q->x + 0.5 * q->s, y), q->eps) *
	       field_amp(hypot(q->x - 0.5 * q->s, y), q->eps);
}

static double ref_chord(struct wq *q)
{
	double c1 = q->x + 0.5 * q->s, c2 = fabs(q->x - 0.5 * q->s), r0 = 1.0 - q->eps, ym;
	double pts[4], r = 0.0, e = 0.0;
	size_t np = 0;
	gsl_function F = { chord_integrand, q };
	int st;

	if (c1 >= 1.0)
		return 0.0;
	ym = sqrt(1.0 - c1 * c1);
	pts[np++] = 0.0;
	if (c1 < r0)
		pts[np++] = sqrt(r0 * r0 - c1 * c1);
	if (c2 < r0 && sqrt(r0 * r0 - c2 * c2) < ym)
		pts[np++] = sqrt(r0 * r0 - c2 * c2);
	pts[np++] = ym;
	st = gsl_integration_qagp(&F, pts, np, 1e-14, 1e-13, 2000, q->in, &r, &e);
	cr_assert_eq(st, GSL_SUCCESS, "inner QAGP failed: %s", gsl_strerror(st));
	return r;
}

static double wave_outer(double x, void *p)
{
	struct wq *q = p;

	q->x = x;
	return ref_chord(q) * cos(q->k * x);
}

/* The signed OTF H(s, w) of the field pupil, by nested quadrature. */
static double ref_field_otf(double s, double w, double eps)
{
	static gsl_integration_workspace *in, *out;
	struct wq q = { 0.0, s, eps, 4.0 * M_PI * w * s, NULL };
	gsl_function F = { wave_outer, &q };
	double len = 1.0 - 0.5 * s, r = 0.0, e = 0.0, norm;
	int st;

	if (!in) {
		gsl_set_error_handler_off();
		in = gsl_integration_workspace_alloc(2000);
		out = gsl_integration_workspace_alloc(4000);
	}
	q.in = in;
	if (len <= 0.0)
		return 0.0;
	norm = eps > 0.0 ? ref_field_norm(eps) : 1.0;
	st = gsl_integration_qag(&F, 0.0, len, 1e-12, 1e-11, 4000, GSL_INTEG_GAUSS41, out, &r, &e);
	cr_assert_eq(st, GSL_SUCCESS, "outer QAG failed at s=%g w=%g: %s", s, w, gsl_strerror(st));
	return 4.0 / (M_PI * norm) * r;
}

/* In focus the factor is the apodized pupil's own MTF, the normalised
 * autocorrelation of A, D̃(s) = H(s, 0); for ε = 0 (and NULL) exactly the
 * classical diffraction MTF.  Measured max |F(s, 0) − D̃(s)| at the shears
 * below: 2.9e-7 (ε = 0.05, at s = 0.003: the one-sided first cell of the
 * table), 1.2e-8 (0.2), 1.5e-9 (0.5), 2.7e-10 (0.9); asserted 1e-6 / 5e-8.
 * D̃ differs from the hard pupil's D: the soft edge trades resolution for
 * contrast, lower at low s and higher towards the cut-off. */
Test(otf, field_in_focus_is_apodized_mtf, .timeout = 60)
{
	const double eps[4] = { 0.05, 0.2, 0.5, 0.9 }, tol[4] = { 1e-6, 5e-8, 5e-8, 5e-8 };
	const double sv[] = { 0.003, 0.02, 0.1, 0.25, 0.5, 0.77, 1.0, 1.31, 1.6, 1.85, 1.97 };
	vpm_otf_field_t *h = vpm_otf_field_alloc(0.0);

	cr_assert_not_null(h, "%s", vpm_error_message());
	for (double s = 0.0; s < 2.1; s += 0.0123) {
		cr_assert_eq(vpm_otf_field_factor(h, s, 0.0, 0.0, NULL), vpm_otf_diffraction(s));
		cr_assert_eq(vpm_otf_field_factor(NULL, s, 0.0, 0.1, NULL), vpm_otf_diffraction(s));
	}
	vpm_otf_field_free(h);
	for (int i = 0; i < 4; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);
		double worst = 0.0, at = 0.0;

		cr_assert_not_null(f, "%s", vpm_error_message());
		cr_assert_eq(vpm_otf_field_factor(f, 0.0, 3.0, 0.1, NULL), 1.0);
		for (size_t k = 0; k < sizeof sv / sizeof sv[0]; k++) {
			double want = ref_field_otf(sv[k], 0.0, eps[i]);
			double got = vpm_otf_field_factor(f, sv[k], 0.0, 0.0, NULL);

			if (fabs(got - want) > worst) {
				worst = fabs(got - want);
				at = sv[k];
			}
			if (eps[i] == 0.5 && (k == 4 || k == 8))
				cr_log_info("ε=0.5, s=%g: D̃ %.6f, hard pupil D %.6f", sv[k], want,
					    vpm_otf_diffraction(sv[k]));
		}
		cr_log_info("field in focus, ε=%g: max |F(s, 0) − D̃(s)| %.2e (at s=%g)", eps[i],
			    worst, at);
		cr_assert_lt(worst, tol[i], "ε=%g: %g at s=%g", eps[i], worst, at);
		vpm_otf_field_free(f);
	}
}

/* Defocused: pseudo-random (s, w) against the nested quadrature, up to 48
 * periods of cos(κu) over the half-support.  In the wave branch (up to 12
 * periods) measured 4.9e-8 (ε = 0.05), 2.4e-9 (0.2), 1.1e-9 (0.5) (on a
 * dense grid: 5.5e-7, 2.3e-8, 2.3e-9, the worst at s < 1/256); asserted
 * 1e-6, 5e-8, 1e-8.  From 12 periods on (blend, then the geometric model)
 * the error is the geometric model's: measured 7.3e-6, 1.4e-6, 5.2e-7,
 * asserted 1.5e-5, 3e-6, 1e-6.  Both
 * signs of H occur, the factor is |H|. */
Test(otf, field_wave_matches_quadrature, .timeout = 60)
{
	const double eps[3] = { 0.05, 0.2, 0.5 }, tol[3] = { 1e-6, 5e-8, 1e-8 };
	const double tol_geo[3] = { 1.5e-5, 3e-6, 1e-6 };
	unsigned long seed = 20250211;

	for (int i = 0; i < 3; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);
		double worst = 0.0, ws = 0.0, ww = 0.0, geo = 0.0;
		int neg = 0;

		cr_assert_not_null(f, "%s", vpm_error_message());
		for (int k = 0; k < 28; k++) {
			double u1, u2, s, len, periods, w, want, got;

			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			u1 = (double)(seed >> 11) / 9007199254740992.0;
			seed = seed * 6364136223846793005UL + 1442695040888963407UL;
			u2 = (double)(seed >> 11) / 9007199254740992.0;
			/* s over (0, 2), periods 0 … 48, half of them below 4 */
			s = 0.005 + 1.99 * u1;
			len = 1.0 - 0.5 * s;
			periods = k % 2 ? 4.0 * u2 : 48.0 * u2;
			w = periods / (2.0 * s * len);
			want = ref_field_otf(s, w, eps[i]);
			got = vpm_otf_field_factor(f, s, w, 0.0, NULL);
			neg += want < 0.0;
			if (periods > 12.0) {
				geo = fmax(geo, fabs(got - fabs(want)));
				continue;
			}
			if (fabs(got - fabs(want)) > worst) {
				worst = fabs(got - fabs(want));
				ws = s;
				ww = w;
			}
		}
		cr_log_info("field wave branch vs quadrature, ε=%g: max |ΔF| %.2e (s=%.3f w=%.2f); "
			    "beyond 12 periods %.2e; %d of 28 with H < 0",
			    eps[i], worst, ws, ww, geo, neg);
		cr_assert_lt(worst, tol[i], "ε=%g: %g at s=%g w=%g", eps[i], worst, ws, ww);
		cr_assert_lt(geo, tol_geo[i], "ε=%g: %g beyond 12 periods", eps[i], geo);
		vpm_otf_field_free(f);
	}
}

/* ε = 0 is the hard pupil: in the wave branch the factor is the exact
 * Hopkins OTF (for the table and for NULL), and the planning band is
 * vpm_otf_defocus_factor(). */
Test(otf, field_hard_edge_is_hopkins)
{
	vpm_otf_field_t *f = vpm_otf_field_alloc(0.0);

	cr_assert_not_null(f, "%s", vpm_error_message());
	for (double s = 0.0071; s < 2.0; s += 0.0437)
		for (double w = 0.0; w <= 8.0; w += 0.173) {
			double h = fabs(vpm_otf_hopkins(s, w)), worst = -1.0;

			cr_assert_float_eq(vpm_otf_field_factor(f, s, w, 0.0, NULL), h, 1e-15,
					   "s=%g w=%g", s, w);
			cr_assert_float_eq(vpm_otf_field_factor(NULL, s, w, 0.0, NULL), h, 1e-15,
					   "s=%g w=%g", s, w);
			vpm_otf_field_factor(f, s, w, 0.1, &worst);
			cr_assert_float_eq(worst, vpm_otf_defocus_factor(s, w, 0.1), 1e-12,
					   "s=%g w=%g", s, w);
		}
	vpm_otf_field_free(f);
}

/* The switch from the wave table to the geometric model: a smoothstep
 * blend over κ = 4π·w·s·(1 − s/2) ∈ [2π·12, 2π·16], so no jump; here the
 * two agree to within the geometric model's error, which is tiny because
 * the OTF itself is: max |F − |H|| over the window (quadrature reference)
 * measured 2.5e-5 (ε = 0.2) and 1.1e-6 (0.5) at the shears below;
 * asserted 5e-5 and 2.5e-6.  (The switch sits this low for speed: the
 * wave branch costs ~1 µs a factor, the geometric one ~0.1 µs; at 48
 * periods the two agree to 2e-7.)  Continuity: F
 * just inside and just outside either end of the window agree to 1e-12
 * (measured 2e-16). */
Test(otf, field_switch_is_continuous, .timeout = 60)
{
	const double eps[2] = { 0.2, 0.5 }, tol[2] = { 5e-5, 2.5e-6 };
	const double sv[] = { 0.02, 0.15, 0.6, 1.0, 1.45, 1.9 };
	const double kap[3] = { 2.0 * M_PI * 12.0, 2.0 * M_PI * 14.0, 2.0 * M_PI * 16.0 };

	for (int i = 0; i < 2; i++) {
		vpm_otf_field_t *f = vpm_otf_field_alloc(eps[i]);
		double worst = 0.0, jump = 0.0;

		cr_assert_not_null(f, "%s", vpm_error_message());
		for (size_t k = 0; k < sizeof sv / sizeof sv[0]; k++) {
			double s = sv[k], len = 1.0 - 0.5 * s;

			for (int j = 0; j < 3; j++) {
				double w = kap[j] / (4.0 * M_PI * s * len);
				double got = vpm_otf_field_factor(f, s, w, 0.0, NULL);
				double want = fabs(ref_field_otf(s, w, eps[i]));

				worst = fmax(worst, fabs(got - want));
				if (j != 1)
					jump = fmax(jump,
						    fabs(vpm_otf_field_factor(f, s,
									      w * (1.0 + 1e-12),
									      0.0, NULL) -
							 vpm_otf_field_factor(f, s,
									      w * (1.0 - 1e-12),
									      0.0, NULL)));
			}
		}
		cr_log_info("field switch, ε=%g: max |F − |H|| %.2e in the blend window, jump %.1e",
			    eps[i], worst, jump);
		cr_assert_lt(worst, tol[i], "ε=%g", eps[i]);
		cr_assert_lt(jump, 1e-12, "ε=%g", eps[i]);
		vpm_otf_field_free(f);
	}
}
