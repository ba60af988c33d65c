/* LED lattice: emitter spectrum, offsets, coverage, validation. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "vpmoire/otf.h"
#include "vpmoire/panel.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

Test(panel, neutral_lattice_spectrum)
{
	/* ROE BP2V2: pitch 500/176 mm; an emitter of 0.5 mm (estimate) */
	vpm_panel_lattice_t p = vpm_panel_lattice_neutral(500.0 / 176.0, 0.5);
	double r = 0.5 / (500.0 / 176.0);

	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_OK, "%s", vpm_error_message());
	for (int c = 0; c < VPM_PANEL_CHANNELS; c++) {
		cr_assert_float_eq(vpm_panel_harmonic_amplitude(&p, c, 0, 0), 1.0, 0.0);
		cr_assert_float_eq(vpm_panel_harmonic_amplitude(&p, c, 1, 0),
				   sin(M_PI * r) / (M_PI * r), 1e-15);
		cr_assert_float_eq(vpm_panel_harmonic_amplitude(&p, c, 2, -3),
				   fabs(sin(2 * M_PI * r) / (2 * M_PI * r) * sin(3 * M_PI * r) /
					(3 * M_PI * r)),
				   1e-15);
	}
	cr_assert_float_eq(vpm_panel_fill_fraction(&p, VPM_CHANNEL_RED), r * r, 1e-15);
	cr_assert_eq(vpm_panel_harmonic_amplitude(&p, VPM_CHANNEL_NONE, 1, 0), 0.0);
	cr_assert_eq(vpm_panel_fill_fraction(&p, (vpm_channel_t)7), 0.0);
	/* e/p = 1/2 puts a zero on every even harmonic */
	p = vpm_panel_lattice_neutral(2.0, 1.0);
	cr_assert_float_eq(vpm_panel_emitter_factor(1.0, 2.0, 2), 0.0, 1e-16);
	cr_assert_float_eq(vpm_panel_harmonic_amplitude(&p, 0, 4, 1), 0.0, 1e-16);
	cr_assert_float_eq(vpm_panel_emitter_factor(1.0, 2.0, 1), 2.0 / M_PI, 1e-15);
	cr_assert_float_eq(vpm_panel_emitter_factor(1.0, 2.0, -1), 2.0 / M_PI, 1e-15);
}

Test(panel, fundamental_on_the_sensor)
{
	/* 1.5625 mm imaged at m = 0.011555: 55.39 cy/mm (3.28 photosites of
	 * 5.5 µm per LED) */
	cr_assert_float_eq(vpm_panel_fundamental_cy_mm(1.5625, 0.011555), 55.3874, 1e-3);
	cr_assert_float_eq(vpm_panel_fundamental_cy_mm(2.0, 0.25), 2.0, 1e-15);
}

/* An RGB layout: offsets change the phase, never the magnitude. */
Test(panel, offsets_shift_the_phase)
{
	vpm_panel_lattice_t p = vpm_panel_lattice_neutral(2.5, 0.4);
	double re, im, re0, im0;

	p.offset_x_mm[VPM_CHANNEL_RED] = -0.6;
	p.offset_y_mm[VPM_CHANNEL_BLUE] = 0.45;
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_OK, "%s", vpm_error_message());
	vpm_panel_harmonic(&p, VPM_CHANNEL_LUMA, 3, 1, &re0, &im0);
	cr_assert_float_eq(im0, 0.0, 1e-15);
	vpm_panel_harmonic(&p, VPM_CHANNEL_RED, 3, 1, &re, &im);
	cr_assert_float_eq(hypot(re, im), fabs(re0), 1e-15);
	cr_assert_float_eq(atan2(im, re), remainder(-2 * M_PI * 3 * -0.6 / 2.5, 2 * M_PI), 1e-12);
	vpm_panel_harmonic(&p, VPM_CHANNEL_BLUE, 3, 1, &re, &im);
	cr_assert_float_eq(atan2(im, re), remainder(-2 * M_PI * 1 * 0.45 / 2.5, 2 * M_PI), 1e-12);
	vpm_panel_harmonic(&p, VPM_CHANNEL_NONE, 3, 1, &re, &im);
	cr_assert(re == 0.0 && im == 0.0);
}

Test(panel, coverage_is_exact_area)
{
	vpm_panel_lattice_t p = vpm_panel_lattice_neutral(2.0, 0.5);

	/* one whole cell, and many cells: the fill fraction */
	cr_assert_float_eq(vpm_panel_coverage(&p, 0, -1.0, 1.0, -1.0, 1.0), 0.0625, 1e-15);
	cr_assert_float_eq(vpm_panel_coverage(&p, 0, -7.3, 12.7, 3.1, 23.1), 0.0625, 1e-12);
	/* exactly one emitter in a rectangle of 1 × 0.8 mm around it */
	cr_assert_float_eq(vpm_panel_coverage(&p, 0, -0.5, 0.5, -0.4, 0.4), 0.25 / 0.8, 1e-15);
	/* a point inside, outside; degenerate rectangles */
	cr_assert_eq(vpm_panel_coverage(&p, 0, 0.1, 0.1, 4.2, 4.2), 1.0);
	cr_assert_eq(vpm_panel_coverage(&p, 0, 0.3, 0.3, 0.0, 0.0), 0.0);
	/* reversed bounds are the same rectangle */
	cr_assert_float_eq(vpm_panel_coverage(&p, 0, 0.5, -0.5, 0.4, -0.4), 0.25 / 0.8, 1e-15);
	/* half of an emitter */
	cr_assert_float_eq(vpm_panel_coverage(&p, 0, 0.0, 0.5, -0.25, 0.25), 0.5, 1e-15);
	/* an offset moves the emitters */
	p.offset_x_mm[0] = 0.5;
	cr_assert_eq(vpm_panel_coverage(&p, 0, 0.0, 0.0, 0.0, 0.0), 0.0);
	cr_assert_eq(vpm_panel_coverage(&p, 0, 0.6, 0.6, 0.0, 0.0), 1.0);
	cr_assert_eq(vpm_panel_coverage(&p, VPM_CHANNEL_NONE, 0, 1, 0, 1), 0.0);
}

/* The Fourier coefficient of the coverage pattern, computed numerically
 * from fine box samples, is the sinc of the spectrum: an independent check
 * of the spectrum against the geometry. */
Test(panel, spectrum_matches_the_pattern)
{
	vpm_panel_lattice_t p = vpm_panel_lattice_neutral(2.3148, 0.6);
	const int n = 20000;
	double dx = p.pitch_mm / n;

	for (int k = 1; k <= 4; k++) {
		double re = 0.0, im = 0.0;

		for (int i = 0; i < n; i++) {
			double x0 = -p.pitch_mm / 2 + i * dx, xc = x0 + dx / 2;
			/* 1-D radiance relative to the mean: coverage / (e/p) */
			double rad = vpm_panel_coverage(&p, 0, x0, x0 + dx, 0.0, 0.0) /
				     (p.emitter_mm[0] / p.pitch_mm);

			re += rad * cos(2 * M_PI * k * xc / p.pitch_mm) * dx / p.pitch_mm;
			im -= rad * sin(2 * M_PI * k * xc / p.pitch_mm) * dx / p.pitch_mm;
		}
		cr_assert_float_eq(re, vpm_otf_sinc(k * 0.6 / 2.3148), 2e-4, "k=%d", k);
		cr_assert_float_eq(im, 0.0, 1e-9);
	}
}

Test(panel, validation)
{
	vpm_panel_lattice_t p;

	cr_assert_eq(vpm_panel_lattice_validate(NULL), VPM_EINVAL);
	p = vpm_panel_lattice_neutral(NAN, 0.3);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--pitch") != NULL);
	p = vpm_panel_lattice_neutral(0.0, 0.3);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	p = vpm_panel_lattice_neutral(-2.0, 0.3);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	p = vpm_panel_lattice_neutral(0.005, 0.001);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_ERANGE);
	p = vpm_panel_lattice_neutral(150.0, 3.0);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_ERANGE);
	p = vpm_panel_lattice_neutral(2.0, 0.0);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--emitter") != NULL);
	p = vpm_panel_lattice_neutral(2.0, -0.1);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	p = vpm_panel_lattice_neutral(2.0, 2.0);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--emitter") != NULL);
	p = vpm_panel_lattice_neutral(2.0, INFINITY);
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_EINVAL);
	p = vpm_panel_lattice_neutral(2.0, 0.5);
	p.offset_x_mm[VPM_CHANNEL_BLUE] = 0.8; /* 0.8 + 0.25 > 1.0 */
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "blue") != NULL);
	p.offset_x_mm[VPM_CHANNEL_BLUE] = 0.0;
	p.offset_y_mm[VPM_CHANNEL_RED] = NAN;
	cr_assert_eq(vpm_panel_lattice_validate(&p), VPM_ERANGE);
}
