/* Sampling: CFA channels, folds, fringe periods, recording/delivery
 * stages. */
#include <config.h>

#include <criterion/criterion.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "vpmoire/otf.h"
#include "vpmoire/sensor.h"

Test(sensor, bayer_channels)
{
	vpm_sensor_channel_t ch[3];
	int n = vpm_sensor_channels(VPM_CFA_BAYER, 0.0055, VPM_CHROMA_FULL, ch);

	cr_assert_eq(n, 3);
	cr_assert_eq(ch[0].channel, VPM_CHANNEL_LUMA);
	cr_assert_float_eq(ch[0].wavelength_nm, 555.0, 0.0);
	cr_assert_float_eq(ch[0].lattice_mm, 0.0055, 0.0);
	cr_assert_eq(ch[1].channel, VPM_CHANNEL_RED);
	cr_assert_float_eq(ch[1].wavelength_nm, 625.0, 0.0);
	cr_assert_float_eq(ch[1].lattice_mm, 0.011, 1e-18);
	cr_assert_eq(ch[2].channel, VPM_CHANNEL_BLUE);
	cr_assert_float_eq(ch[2].wavelength_nm, 465.0, 0.0);
	cr_assert_float_eq(ch[2].lattice_mm, 0.011, 1e-18);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(ch[i].weight, 1.0);
	n = vpm_sensor_channels(VPM_CFA_BAYER, 0.0055, VPM_CHROMA_LUMA, ch);
	cr_assert_eq(n, 3);
	cr_assert_eq(ch[0].weight, 1.0);
	cr_assert_float_eq(ch[1].weight, 0.2126, 0.0);
	cr_assert_float_eq(ch[2].weight, 0.0722, 0.0);
}

Test(sensor, mono_has_no_chroma_channel)
{
	vpm_sensor_channel_t ch[3];

	cr_assert_eq(vpm_sensor_channels(VPM_CFA_MONO, 0.004, VPM_CHROMA_FULL, ch), 1);
	cr_assert_eq(ch[0].channel, VPM_CHANNEL_LUMA);
	cr_assert_float_eq(ch[0].lattice_mm, 0.004, 0.0);
	cr_assert_eq(vpm_sensor_channels((vpm_cfa_t)9, 0.004, VPM_CHROMA_FULL, ch), 0);
	cr_assert_eq(vpm_sensor_wavelength_nm(VPM_CHANNEL_NONE), 0.0);
	cr_assert_eq(vpm_sensor_weight(VPM_CHANNEL_NONE, VPM_CHROMA_FULL), 0.0);
}

Test(sensor, fold_rounds_halves_away_from_zero)
{
	long n = 99;
	const double P = 0.005; /* zone ±100 cy/mm */

	cr_assert_float_eq(vpm_sensor_fold(40.0, P, &n), 40.0, 1e-12);
	cr_assert_eq(n, 0);
	cr_assert_float_eq(vpm_sensor_fold(160.0, P, &n), -40.0, 1e-12);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(vpm_sensor_fold(-160.0, P, &n), 40.0, 1e-12);
	cr_assert_eq(n, -1);
	cr_assert_float_eq(vpm_sensor_fold(530.0, P, &n), -70.0, 1e-9);
	cr_assert_eq(n, 3);
	/* exactly half: lround(0.5) = 1, lround(−0.5) = −1 */
	cr_assert_float_eq(vpm_sensor_fold(100.0, P, &n), -100.0, 1e-12);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(vpm_sensor_fold(-100.0, P, &n), 100.0, 1e-12);
	cr_assert_eq(n, -1);
	cr_assert_float_eq(vpm_sensor_fold(12.5, P, NULL), 12.5, 0.0);
}

/* stoatworks-labs/pitch DFT measurements (https://github.com/stoatworks-labs/pitch):
 * a fronto-parallel grid sampled at 0.8 and 1.25 LEDs per
 * photosite beats with periods of 5.00 and 4.00 photosites.  Here through
 * the fold: LED frequency (LEDs per photosite)/a → folded beat → period. */
Test(sensor, fringe_period_through_the_fold)
{
	const double a = 0.0055;
	long n;
	double beat;

	beat = vpm_sensor_fold(0.8 / a, a, &n);
	cr_assert_eq(n, 1, "aliased");
	cr_assert_float_eq(vpm_sensor_period_px(beat, a), 5.00, 1e-9);
	beat = vpm_sensor_fold(1.25 / a, a, &n);
	cr_assert_eq(n, 1);
	cr_assert_float_eq(vpm_sensor_period_px(beat, a), 4.00, 1e-9);
	/* exactly one LED per photosite: no beat (infinite period) */
	beat = vpm_sensor_fold(1.0 / a, a, &n);
	cr_assert_float_eq(beat, 0.0, 1e-9);
	cr_assert(isinf(vpm_sensor_period_px(0.0, a)));
	/* fringe period = 1/|s − round(s)| for s LEDs per pixel */
	for (double s = 0.55; s < 3.0; s += 0.0731) {
		double want = 1.0 / fabs(s - round(s));

		beat = vpm_sensor_fold(s / a, a, NULL);
		cr_assert_float_eq(vpm_sensor_period_px(beat, a), want, 1e-9 * want, "s=%g", s);
	}
}

Test(sensor, chain_stages)
{
	vpm_sensor_chain_t c;
	const double a = 0.0055;

	/* no downscale: one stage */
	cr_assert_eq(vpm_sensor_chain_init(&c, a, a, 4608, 0, 0), VPM_OK);
	cr_assert_eq(c.n_stages, 1);
	cr_assert_eq(c.box[0], 0);
	/* recording at the full width or wider adds nothing */
	cr_assert_eq(vpm_sensor_chain_init(&c, a, a, 4608, 4608, 5000), VPM_OK);
	cr_assert_eq(c.n_stages, 1);
	/* recording 3840 then delivery 1920 */
	cr_assert_eq(vpm_sensor_chain_init(&c, 2 * a, a, 4608, 3840, 1920), VPM_OK);
	cr_assert_eq(c.n_stages, 3);
	cr_assert_float_eq(c.pitch_mm[0], 2 * a, 0.0);
	cr_assert_float_eq(c.pitch_mm[1], 4608 * a / 3840, 1e-15);
	cr_assert_float_eq(c.pitch_mm[2], 4608 * a / 1920, 1e-15);
	cr_assert(c.box[1] && c.box[2]);
	/* delivery only when fewer pixels than the stage before */
	cr_assert_eq(vpm_sensor_chain_init(&c, a, a, 4608, 1920, 3840), VPM_OK);
	cr_assert_eq(c.n_stages, 2);
	cr_assert_float_eq(c.pitch_mm[1], 4608 * a / 1920, 1e-15);
	cr_assert_eq(vpm_sensor_chain_init(&c, a, a, 4608, 0, 1920), VPM_OK);
	cr_assert_eq(c.n_stages, 2);
}

Test(sensor, chain_axis_box_and_alias)
{
	vpm_sensor_chain_t c;
	const double a = 0.005; /* photosite Nyquist 100 cy/mm */
	double gain = 1.0, f;
	int moved = 0;

	/* 4000 photosites delivered at 2000: P = 2a, Nyquist 50 cy/mm */
	cr_assert_eq(vpm_sensor_chain_init(&c, a, a, 4000, 0, 2000), VPM_OK);
	/* 70 cy/mm: resolved by the photosites, aliased by the delivery fold */
	f = vpm_sensor_chain_axis(&c, 70.0, &gain, &moved);
	cr_assert_float_eq(f, -30.0, 1e-9);
	cr_assert_eq(moved, 1);
	/* the box is evaluated before the delivery fold, at 70 cy/mm */
	cr_assert_float_eq(gain, fabs(vpm_otf_sinc(0.01 * 70.0)), 1e-15);
	/* 30 cy/mm: unmoved, box gain sinc(0.3) */
	gain = 1.0;
	moved = 0;
	f = vpm_sensor_chain_axis(&c, 30.0, &gain, &moved);
	cr_assert_float_eq(f, 30.0, 1e-12);
	cr_assert_eq(moved, 0);
	cr_assert_float_eq(gain, vpm_otf_sinc(0.3), 1e-15);
	/* both axes */
	{
		double fx, fy;
		int al;

		vpm_sensor_chain_apply(&c, 30.0, -130.0, &fx, &fy, &gain, &al);
		cr_assert_float_eq(fx, 30.0, 1e-12);
		/* −130 → photosite fold: +70 → delivery box and fold: −30 */
		cr_assert_float_eq(fy, -30.0, 1e-9);
		cr_assert_eq(al, 1);
		cr_assert_float_eq(gain, vpm_otf_sinc(0.3) * fabs(vpm_otf_sinc(0.7)), 1e-15);
	}
}

Test(sensor, chain_errors)
{
	vpm_sensor_chain_t c;

	cr_assert_eq(vpm_sensor_chain_init(&c, 0.0, 0.005, 4000, 0, 0), VPM_EINVAL);
	cr_assert_eq(vpm_sensor_chain_init(&c, NAN, 0.005, 4000, 0, 0), VPM_EINVAL);
	cr_assert_eq(vpm_sensor_chain_init(&c, 0.005, -0.005, 4000, 0, 0), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--photosite") != NULL);
	cr_assert_eq(vpm_sensor_chain_init(&c, 0.005, 0.005, 0, 0, 0), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--width-px") != NULL);
	cr_assert_eq(vpm_sensor_chain_init(&c, 0.005, 0.005, 4000, -1, 0), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--recording-px") != NULL);
	cr_assert_eq(vpm_sensor_chain_init(&c, 0.005, 0.005, 4000, 0, -5), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--delivery-px") != NULL);
}

/* ------------------------------------------------------------------------
 * Resampling kernels of the field model (doc/model.md §3) */

static double keys_kernel(double x, void *p)
{
	const double a = -0.5; /* Keys (1981) eq. (15) */
	double xi = *(double *)p, k;

	x = fabs(x);
	k = x <= 1.0  ? ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
	    : x < 2.0 ? ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a
		      : 0.0;
	return k * cos(2.0 * M_PI * xi * x);
}

static double lanczos_kernel(double x, void *p)
{
	double xi = *(double *)p, k;

	x = fabs(x);
	if (x >= 3.0)
		return 0.0;
	k = x == 0.0 ? 1.0 : sin(M_PI * x) / (M_PI * x) * sin(M_PI * x / 3.0) / (M_PI * x / 3.0);
	return k * cos(2.0 * M_PI * xi * x);
}

/* H(ξ) = ∫k(x)cos(2πξx)dx / ∫k(x)dx by GSL's adaptive quadrature, split
 * at the kernel's breaks (integers), independently of the library's
 * Gauss–Legendre table. */
static double transfer_ref(double (*k)(double, void *), int support, double xi)
{
	gsl_integration_workspace *w = gsl_integration_workspace_alloc(200);
	gsl_function F = { k, &xi };
	double num = 0.0, den = 0.0, r, e, zero = 0.0;

	for (int i = 0; i < support; i++) {
		gsl_integration_qag(&F, i, i + 1, 1e-13, 1e-12, 200, GSL_INTEG_GAUSS61, w, &r, &e);
		num += r;
	}
	F.params = &zero;
	for (int i = 0; i < support; i++) {
		gsl_integration_qag(&F, i, i + 1, 1e-13, 1e-12, 200, GSL_INTEG_GAUSS61, w, &r, &e);
		den += r;
	}
	gsl_integration_workspace_free(w);
	return num / den;
}

Test(sensor, resample_transfer_functions)
{
	unsigned long long x = 0x2545F4914F6CDD1DULL;

	/* box is the continuous pixel average of SPEC §2 step 6 */
	cr_assert_float_eq(vpm_sensor_resample_transfer(VPM_RESAMPLE_BOX, 0.37), vpm_otf_sinc(0.37),
			   1e-15);
	cr_assert_float_eq(vpm_sensor_resample_transfer(VPM_RESAMPLE_AUTO, 1.3), vpm_otf_sinc(1.3),
			   1e-15);
	for (int k = 0; k < 2; k++) {
		vpm_resample_t kern = k ? VPM_RESAMPLE_LANCZOS3 : VPM_RESAMPLE_BICUBIC;

		cr_assert_float_eq(vpm_sensor_resample_transfer(kern, 0.0), 1.0, 1e-12);
		for (int i = 0; i < 60; i++) {
			double xi, ref;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			xi = (double)(x % 1000003) / 1000003.0 * (i < 50 ? 8.0 : 12.0);
			ref = k ? transfer_ref(lanczos_kernel, 3, xi)
				: transfer_ref(keys_kernel, 2, xi);
			cr_assert_float_eq(vpm_sensor_resample_transfer(kern, xi), ref, 2e-7,
					   "%s at %g: %.9g vs %.9g", vpm_resample_name(kern), xi,
					   vpm_sensor_resample_transfer(kern, xi), ref);
			cr_assert_float_eq(vpm_sensor_resample_transfer(kern, -xi),
					   vpm_sensor_resample_transfer(kern, xi), 0.0);
		}
	}
	/* what makes it a real resampler: half a pass at Nyquist, almost
	 * nothing beyond 0.75 cycles per output pixel, where a box still
	 * passes 0.30 (Lanczos-3 at 0.5: 0.5017; Keys: 0.4928) */
	cr_assert_float_eq(vpm_sensor_resample_transfer(VPM_RESAMPLE_LANCZOS3, 0.5), 0.501665,
			   2e-6);
	cr_assert_float_eq(vpm_sensor_resample_transfer(VPM_RESAMPLE_BICUBIC, 0.5), 0.492767, 2e-6);
	for (double xi = 0.75; xi < 4.0; xi += 0.01)
		cr_assert_lt(fabs(vpm_sensor_resample_transfer(VPM_RESAMPLE_LANCZOS3, xi)), 0.012);
	cr_assert_float_eq(vpm_otf_sinc(0.75), 0.300105, 1e-6);
	cr_assert_eq(vpm_sensor_resample_transfer(VPM_RESAMPLE_LANCZOS3, NAN), 0.0);
}

/* A chain with a kernel multiplies by |H(P·ν)| at each stage and folds as
 * the box chain does. */
Test(sensor, chain_with_a_kernel)
{
	vpm_sensor_chain_t box, lan;
	double a = 0.005, gb = 1.0, gl = 1.0, fb, fl, P;
	int mb = 0, ml = 0;
	vpm_resample_t k;

	cr_assert_eq(vpm_sensor_chain_init(&box, a, a, 4000, 0, 2000), VPM_OK);
	cr_assert_eq(vpm_sensor_chain_init_kernel(&lan, a, a, 4000, 0, 2000, VPM_RESAMPLE_LANCZOS3),
		     VPM_OK);
	P = 4000 * a / 2000;
	fb = vpm_sensor_chain_axis(&box, 70.0, &gb, &mb);
	fl = vpm_sensor_chain_axis(&lan, 70.0, &gl, &ml);
	cr_assert_eq(fb, fl);
	cr_assert_eq(mb, ml);
	cr_assert_float_eq(gl, fabs(vpm_sensor_resample_transfer(VPM_RESAMPLE_LANCZOS3, P * 70.0)),
			   1e-15);
	cr_assert_float_eq(gb, fabs(vpm_otf_sinc(P * 70.0)), 1e-15);
	cr_assert_eq(vpm_resample_parse("Lanczos3", &k), VPM_OK);
	cr_assert_eq(k, VPM_RESAMPLE_LANCZOS3);
	cr_assert_eq(vpm_resample_parse("bicubic", &k), VPM_OK);
	cr_assert_eq(k, VPM_RESAMPLE_BICUBIC);
	cr_assert_eq(vpm_resample_parse("nearest", &k), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "lanczos3"));
	cr_assert_str_eq(vpm_resample_name(VPM_RESAMPLE_BOX), "box");
}
