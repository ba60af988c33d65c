/* The FFT engine (SPEC §3) and its PNG I/O: the pupil-FFT PSF against the
 * exact Hopkins OTF, the peak measurement against known cosines, agreement
 * with the analytic chain for walls parallel to the sensor, fringe periods,
 * a yawed wall against the local magnification, supersampling doubled,
 * limits, errors, and `vpmoire simulate` as a user runs it.
 *
 * Simulations here use FFTW_ESTIMATE and small patches (128–256
 * photosites) so the suite stays fast; numbers measured are printed on
 * stderr (in tests/test_fftsim.log). */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fftsim_private.h"
#include "testutil.h"
#include "vpmoire/content.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/geometry.h"
#include "vpmoire/otf.h"
#include "vpmoire/pngio.h"
#include "vpmoire/predict.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* ------------------------------------------------------------ helpers */

/* The reference micro stage with the 2.84 mm panel: models/panels.csv
 * roe-bp2v2 (pitch 500/176 mm, emitter 0.17 mm), models/cameras.csv
 * bmd-ursa-mini-pro-4.6k-g2 (5.5 µm × 4608, Bayer, no OLPF),
 * zeiss-cp3-28; wall 5 m, focus 3.5 m. */
static vpm_setup_t micro_stage(double stop)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 2.8409;
	s.emitter_mm = 0.17;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = stop;
	s.wall_m = 5.0;
	s.focus_m = 3.5;
	s.tolerance = 0.0;	   /* the simulation's perfect lens */
	s.model = VPM_MODEL_IDEAL; /* the agreement SPEC §3 states is the ideal chain's */
	return s;
}

/* Magnification of a wall at X_w with focus X_f (SPEC §2 step 1). */
static double magnification(double f, double wall_m, double focus_m)
{
	double sf, vf;

	cr_assert_eq(vpm_geometry_focus_object_mm(f, focus_m * 1000.0, &sf), VPM_OK);
	vf = vpm_geometry_image_mm(f, sf);
	return vf / (wall_m * 1000.0 - vf);
}

/* A 28 mm lens, 5.5 µm photosites, and an LED pitch chosen so the LEDs
 * image `led_px` photosites apart; emitter a quarter of the pitch. */
static vpm_setup_t led_spacing(double led_px, double stop, double wall_m, double focus_m,
			       vpm_cfa_t cfa)
{
	vpm_setup_t s = vpm_setup_default();
	double m = magnification(28.0, wall_m, focus_m);

	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.cfa = cfa;
	s.focal_mm = 28.0;
	s.stop = stop;
	s.wall_m = wall_m;
	s.focus_m = focus_m;
	s.pitch_mm = led_px * 5.5e-3 / m;
	s.emitter_mm = 0.25 * s.pitch_mm;
	s.tolerance = 0.0;
	s.model = VPM_MODEL_IDEAL;
	return s;
}

static vpm_fftsim_options_t fast_options(int patch)
{
	vpm_fftsim_options_t o = vpm_fftsim_options_default();

	o.patch_px = patch;
	o.planner = VPM_PLANNER_ESTIMATE;
	return o;
}

static vpm_fftsim_result_t simulate(vpm_fftsim_t *sim, const vpm_setup_t *s,
				    const vpm_fftsim_options_t *o)
{
	vpm_fftsim_result_t r;
	vpm_status_t st = vpm_fftsim_run(sim, s, o, &r);

	cr_assert_eq(st, VPM_OK, "vpm_fftsim_run: %s", vpm_error_message());
	return r;
}

static vpm_result_t predict(const vpm_setup_t *s)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_result_t r;

	cr_assert_not_null(ws);
	cr_assert_eq(vpm_predict(s, ws, &r), VPM_OK, "vpm_predict: %s", vpm_error_message());
	vpm_predict_workspace_free(ws);
	return r;
}

/* The measured component of a channel at harmonic (k, l) or (−k, −l);
 * NULL when none was measured. */
static const vpm_component_t *measured(const vpm_fftsim_t *sim, vpm_channel_t ch, int k, int l)
{
	size_t n;
	const vpm_component_t *c = vpm_fftsim_components(sim, &n);

	for (size_t i = 0; i < n; i++)
		if (c[i].channel == ch &&
		    ((c[i].k == k && c[i].l == l) || (c[i].k == -k && c[i].l == -l)))
			return &c[i];
	return NULL;
}

static const vpm_component_t *predicted(const vpm_result_t *r, vpm_channel_t ch, int k, int l)
{
	for (size_t i = 0; i < r->n_top; i++)
		if (r->top[i].channel == ch && ((r->top[i].k == k && r->top[i].l == l) ||
						(r->top[i].k == -k && r->top[i].l == -l)))
			return &r->top[i];
	return NULL;
}

/* |ν_a − ν_b| as vectors, comparing up to sign. */
static double vec_diff(double ax, double ay, double bx, double by)
{
	return fmin(hypot(ax - bx, ay - by), hypot(ax + bx, ay + by));
}

/* One component: same frequency within one FFT bin, modulation within 20%
 * (SPEC §3, for W020 ≥ 2 waves).  Harmonics are compared as vectors; the
 * dominant beat by its length (±(1, 0) and ±(0, 1) tie in visibility). */
static void agree_how(const char *what, const vpm_component_t *m, const vpm_component_t *p,
		      double bin, int by_length)
{
	double d, rel;

	cr_assert_not_null(m, "%s: not measured", what);
	cr_assert_not_null(p, "%s: not predicted", what);
	d = by_length ? fabs(m->nu_cy_mm - p->nu_cy_mm)
		      : vec_diff(m->nu_x_cy_mm, m->nu_y_cy_mm, p->nu_x_cy_mm, p->nu_y_cy_mm);
	rel = m->modulation / p->modulation - 1.0;
	fprintf(stderr,
		"  %-34s measured %.5f at %8.3f cy/mm | predicted %.5f at %8.3f cy/mm | "
		"%+.1f%%, %.3f bins\n",
		what, m->modulation, m->nu_cy_mm, p->modulation, p->nu_cy_mm, 100.0 * rel, d / bin);
	cr_assert_leq(d, bin, "%s: frequency off by %.3f bins", what, d / bin);
	cr_assert_leq(fabs(rel), 0.20, "%s: modulation %.5f vs %.5f", what, m->modulation,
		      p->modulation);
	cr_assert_eq(m->aliased, p->aliased, "%s: aliased flag", what);
	cr_assert_eq(m->channel, p->channel, "%s: channel", what);
}

static void agree(const char *what, const vpm_component_t *m, const vpm_component_t *p, double bin)
{
	agree_how(what, m, p, bin, 0);
}

static void agree_dominant(const char *what, const vpm_component_t *m, const vpm_component_t *p,
			   double bin)
{
	agree_how(what, m, p, bin, 1);
}

/* ------------------------------------------------------------ PNG I/O */

Test(pngio, round_trip_16_and_8_bit)
{
	const char *p16 = tu_tmp("rt16.png"), *p8 = tu_tmp("rt8.png");
	uint16_t px16[4 * 3 * 3];
	uint8_t px8[5 * 2];
	vpm_image_t *img = NULL;

	for (int i = 0; i < 36; i++)
		px16[i] = (uint16_t)(i * 1800);
	px16[0] = 32768; /* sRGB 0.5 */
	px16[35] = 65535;
	cr_assert_eq(vpm_png_write(p16, 4, 3, 3, 16, px16), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_png_read(p16, 0, &img), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(img->width, 4);
	cr_assert_eq(img->height, 3);
	cr_assert_eq(img->channels, 3);
	/* sRGB 0.5 is linear 0.2140 (IEC 61966-2-1); libpng's reader may use
	 * the 2.2 power approximation of sRGB (0.2176) */
	cr_assert_float_eq(img->pixels[0], 0.215, 0.004, "linear %g", img->pixels[0]);
	/* full scale stays 1, and the encoding is monotonic */
	cr_assert_float_eq(img->pixels[35], 1.0, 1e-6);
	for (int i = 2; i < 35; i++)
		cr_assert_gt(img->pixels[i], img->pixels[i - 1]);
	vpm_image_free(img);
	for (int i = 0; i < 10; i++)
		px8[i] = (uint8_t)(i * 28);
	px8[9] = 255;
	cr_assert_eq(vpm_png_write(p8, 5, 2, 1, 8, px8), VPM_OK);
	cr_assert_eq(vpm_png_read(p8, 0, &img), VPM_OK);
	cr_assert_eq(img->channels, 3); /* grey is expanded */
	cr_assert_float_eq(img->pixels[0], 0.0, 1e-6);
	cr_assert_float_eq(img->pixels[9 * 3 + 1], 1.0, 1e-6);
	vpm_image_free(img);
	vpm_image_free(NULL);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

Test(pngio, errors_are_reported_not_crashed)
{
	vpm_image_t *img = (vpm_image_t *)1;
	uint8_t px[16] = { 0 };
	char *buf;
	const char *txt = tu_write("not.png", "this is not a PNG file\n");
	const char *good = tu_tmp("good.png"), *cut = tu_tmp("cut.png");
	FILE *fp;
	size_t n;

	cr_assert_eq(vpm_png_read(tu_tmp("missing.png"), 0, &img), VPM_ENOTFOUND);
	cr_assert_null(img);
	cr_assert(strstr(vpm_error_message(), "missing.png") != NULL);
	cr_assert_eq(vpm_png_read(txt, 0, &img), VPM_EPARSE);
	cr_assert_null(img);
	/* a PNG cut in the middle of its data: libpng's longjmp is caught */
	{
		uint8_t big[64 * 64 * 3];
		for (size_t i = 0; i < sizeof big; i++)
			big[i] = (uint8_t)((i * 7919u) >> 3);
		cr_assert_eq(vpm_png_write(good, 64, 64, 3, 8, big), VPM_OK);
	}
	buf = tu_slurp(good);
	fp = fopen(good, "rb");
	fseek(fp, 0, SEEK_END);
	n = (size_t)ftell(fp);
	fclose(fp);
	fp = fopen(cut, "wb");
	fwrite(buf, 1, n / 2, fp);
	fclose(fp);
	free(buf);
	cr_assert_eq(vpm_png_read(cut, 0, &img), VPM_EPARSE, "%s", vpm_error_message());
	cr_assert_null(img);
	cr_assert_eq(vpm_png_read(good, 32, &img), VPM_ERANGE);
	/* writing: a missing directory and a full disk leave nothing behind */
	cr_assert_eq(vpm_png_write(tu_tmp("no/such/dir/x.png"), 4, 4, 1, 8, px), VPM_EIO);
	if (tu_exists("/dev/full"))
		cr_assert_eq(vpm_png_write("/dev/full", 4, 4, 1, 8, px), VPM_EIO);
	cr_assert_eq(vpm_png_write(good, 0, 4, 1, 8, px), VPM_EINVAL);
	cr_assert_eq(vpm_png_write(good, 4, 4, 2, 8, px), VPM_EINVAL);
	cr_assert_eq(vpm_png_write(good, 4, 4, 1, 12, px), VPM_EINVAL);
	cr_assert_eq(vpm_png_write(good, 4, 4, 1, 8, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_image_alloc(0, 4, 3, &img), VPM_EINVAL);
	cr_assert_eq(vpm_image_alloc(4, 4, 2, &img), VPM_EINVAL);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

/* ------------------------------------------------------------ the lens PSF */

/* OTF at ν (cy/mm) along x of a centred, symmetric PSF window. */
static double psf_otf(const double *psf, int win, double sample_mm, double nu)
{
	double sum = 0.0;

	for (int j = 0; j < win; j++)
		for (int i = 0; i < win; i++)
			sum += psf[(size_t)j * win + i] *
			       cos(2.0 * M_PI * nu * (i - win / 2) * sample_mm);
	return sum;
}

static void psf_case(int fine, double sample_mm, double w020, const double *nu, const double *want,
		     int n, double tol)
{
	fft_ctx_t fft;
	int win = 1024, mf = fine * win;
	fftw_complex *pupil = fftw_malloc((size_t)mf * mf * sizeof *pupil);
	fftw_complex *crop = fftw_malloc((size_t)win * win * sizeof *crop);
	double *psf = malloc((size_t)win * win * sizeof *psf);

	memset(&fft, 0, sizeof fft);
	vpm_fft_set_options(&fft, VPM_PLANNER_ESTIMATE, 1, NULL);
	cr_assert_eq(vpm_fftsim_psf(&fft, win, fine, sample_mm, 550.0, 2.8, w020, 0.0, 0.0, pupil,
				    crop, psf),
		     VPM_OK, "%s", vpm_error_message());
	for (int i = 0; i < n; i++) {
		double got = psf_otf(psf, win, sample_mm, nu[i]);
		double hop = vpm_otf_hopkins_cy_mm(nu[i], 550.0, 2.8, w020);
		fprintf(stderr,
			"  PSF fine %d W020 %.1f: OTF(%g cy/mm) = %.4f (reference %.4f, "
			"vpm_otf_hopkins %.4f)\n",
			fine, w020, nu[i], got, want[i], hop);
		cr_assert_float_eq(got, want[i], tol, "OTF(%g) = %.5f, want %.5f", nu[i], got,
				   want[i]);
		cr_assert_float_eq(got, hop, tol);
	}
	vpm_fft_release(&fft);
	fftw_free(pupil);
	fftw_free(crop);
	free(psf);
}

/* f/2.8, 550 nm.  Diffraction MTF (J. W. Goodman, Introduction to Fourier
 * Optics, §6.3, closed form) and the exact Hopkins OTF at W020 = 2 waves
 * (H. H. Hopkins, Proc. R. Soc. A 231, 91, 1955: the defocused pupil's
 * autocorrelation, evaluated here by quadrature; signed: −0.0306 at
 * 100 cy/mm is contrast reversal; tests/test_otf.c checks the same values). */
Test(psf, pupil_fft_matches_diffraction_and_hopkins)
{
	const double nu0[] = { 50, 100, 200 }, w0[] = { 0.90206, 0.80470, 0.61413 };
	const double nu2[] = { 10, 20, 30, 50, 100 },
		     w2[] = { 0.9110, 0.7155, 0.4731, 0.0603, -0.0306 };

	/* PSF sampled at 0.6 µm ≤ λN/2.2 on a 614 µm window (400 λN: the Airy
	 * tails beyond, ~0.1% of the energy, wrap around and lift the low
	 * frequencies by about that much): the pupil FFT directly */
	psf_case(1, 0.6e-3, 0.0, nu0, w0, 3, 0.003);
	psf_case(1, 0.6e-3, 2.0, nu2, w2, 5, 0.003);
	/* sampled at 1.2 µm > λN/2: computed on a 2× finer pupil grid and
	 * band-limited to the output grid */
	psf_case(2, 1.2e-3, 2.0, nu2, w2, 5, 0.003);
}

Test(psf, spherical_aberration_lowers_the_mtf)
{
	fft_ctx_t fft;
	int win = 256;
	fftw_complex *pupil = fftw_malloc((size_t)win * win * sizeof *pupil);
	double *psf = malloc((size_t)win * win * sizeof *psf), sum = 0.0, m_sa, m_0;

	memset(&fft, 0, sizeof fft);
	vpm_fft_set_options(&fft, VPM_PLANNER_ESTIMATE, 1, NULL);
	cr_assert_eq(vpm_fftsim_psf(&fft, win, 1, 0.6e-3, 550.0, 2.8, 0.0, 0.75, 0.0, pupil, NULL,
				    psf),
		     VPM_OK);
	for (int i = 0; i < win * win; i++)
		sum += psf[i];
	cr_assert_float_eq(sum, 1.0, 1e-12);
	m_sa = psf_otf(psf, win, 0.6e-3, 100.0);
	m_0 = vpm_otf_diffraction_cy_mm(100.0, 550.0, 2.8);
	/* 0.75 wave of W040 costs contrast at mid frequencies but leaves it
	 * positive (Goodman §6.4: aberrations never raise the MTF) */
	cr_assert(m_sa < m_0 - 0.05 && m_sa > 0.1, "MTF(100) %g vs diffraction %g", m_sa, m_0);
	vpm_fft_release(&fft);
	fftw_free(pupil);
	free(psf);
}

/* ------------------------------------------------------------ measurement */

/* A cosine of known modulation between bins: the windowed, interpolated
 * peak gives it back. */
Test(measure, cosine_between_bins)
{
	const int n = 200;
	const double P = 5.5e-3, mod = 0.137;
	const double fx = 23.37 / (n * P), fy = -7.81 / (n * P); /* cy/mm, off-bin */
	fft_ctx_t fft;
	double *img = malloc((size_t)n * n * sizeof *img);
	double *pad = fftw_malloc((size_t)(2 * n) * (2 * n + 2) * sizeof *pad);
	meas_channel_t ch;
	meas_setup_t ms;
	meas_list_t list = { NULL, 0, 0, 0, 0.0, 0.0 };
	const vpm_component_t *c = NULL;

	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++)
			img[y * n + x] =
				2.5 * (1.0 + mod * cos(2.0 * M_PI * (fx * x + fy * y) * P + 0.7));
	memset(&ch, 0, sizeof ch);
	memset(&ms, 0, sizeof ms);
	ch.channel = VPM_CHANNEL_LUMA;
	ch.img = img;
	ch.n = n;
	ch.pitch_mm = P;
	ch.chain.n_stages = 1;
	ch.chain.pitch_mm[0] = P;
	ch.weight = 1.0;
	/* an LED lattice whose harmonic (1, 0) is the cosine: ν = Jᵀ(1, 0)/p */
	ms.pitch_mm = 1.0;
	ms.jac[0] = fx;
	ms.jac[1] = fy;
	ms.jac[2] = -fy * 1.37;
	ms.jac[3] = fx * 1.37;
	ms.stop = 1.0;
	ch.wavelength_nm = 1e6 / (1.2 * hypot(fx, fy)); /* cut-off just above |ν| */
	ms.width_mm = 4608 * P;
	ms.angle_deg = 61.9;
	ms.luminance = 100.0;
	ms.gain = 1.0;
	memset(&fft, 0, sizeof fft);
	vpm_fft_set_options(&fft, VPM_PLANNER_ESTIMATE, 1, NULL);
	cr_assert_eq(vpm_fftsim_measure_channel(&fft, &ch, &ms, pad, &list), VPM_OK);
	for (size_t i = 0; i < list.n; i++)
		if (list.c[i].k == 1 && list.c[i].l == 0)
			c = &list.c[i];
	cr_assert_not_null(c);
	fprintf(stderr, "  cosine %.4f at (%.4f, %.4f): measured %.5f at (%.4f, %.4f)\n", mod, fx,
		fy, c->modulation, c->nu_x_cy_mm, c->nu_y_cy_mm);
	cr_assert_float_eq(c->modulation, mod, 0.003 * mod);
	cr_assert_leq(vec_diff(c->nu_x_cy_mm, c->nu_y_cy_mm, fx, fy) * n * P, 0.02);
	cr_assert_eq(c->aliased, 0);
	free(list.c);
	vpm_fft_release(&fft);
	free(img);
	fftw_free(pad);
}

/* ------------------------------------------------------------ demosaicing */

Test(demosaic, constant_and_ramp_are_reproduced)
{
	const int n = 16;
	double mosaic[16 * 16], rgb[16 * 16 * 3];

	for (int m = 0; m < 2; m++) {
		vpm_demosaic_t method = m ? VPM_DEMOSAIC_HAMILTON_ADAMS : VPM_DEMOSAIC_BILINEAR;
		for (int i = 0; i < n * n; i++)
			mosaic[i] = 0.3712;
		vpm_fftsim_demosaic(mosaic, n, method, rgb);
		for (int i = 0; i < n * n * 3; i++)
			cr_assert_float_eq(rgb[i], 0.3712, 1e-12);
		/* a grey ramp along x is linear: both methods are exact inside */
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				mosaic[y * n + x] = 0.1 + 0.0237 * x;
		vpm_fftsim_demosaic(mosaic, n, method, rgb);
		for (int y = 2; y < n - 2; y++)
			for (int x = 2; x < n - 2; x++)
				for (int c = 0; c < 3; c++)
					cr_assert_float_eq(rgb[(y * n + x) * 3 + c],
							   0.1 + 0.0237 * x, 1e-12,
							   "method %d at (%d, %d) colour %d", m, x,
							   y, c);
	}
	cr_assert_str_eq(vpm_fftsim_demosaic_name(VPM_DEMOSAIC_HAMILTON_ADAMS), "hamilton-adams");
}

/* ------------------------------------------------------------ agreement with the predictor */

/* The reference micro stage at T2.1: wall blur 3.5 waves.  The moiré is
 * the LED fundamental aliased on the red and blue lattices (28.9 cy/mm); the
 * grid is the fundamental resolved in luma (62.0 cy/mm). */
Test(agreement, micro_stage_wide_open, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.1);
	vpm_fftsim_options_t o = fast_options(256);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r = simulate(sim, &s, &o);
	vpm_result_t p = predict(&s);

	fprintf(stderr, "micro stage T2.1 (W020 %.2f waves, bin %.3f cy/mm):\n", p.defocus_waves,
		r.bin_cy_mm);
	cr_assert_geq(p.defocus_waves, 2.0);
	cr_assert_eq(r.moire_channel, p.moire_channel);
	cr_assert_leq(fabs(r.moire_beat_cy_mm - p.moire_beat_cy_mm), r.bin_cy_mm);
	agree_dominant("moire (dominant)", &r.top[0], &p.top[0], r.bin_cy_mm);
	agree("red (1,0) on the red lattice", measured(sim, VPM_CHANNEL_RED, 1, 0),
	      predicted(&p, VPM_CHANNEL_RED, 1, 0), r.bin_cy_mm);
	agree("blue (1,0) on the blue lattice", measured(sim, VPM_CHANNEL_BLUE, 1, 0),
	      predicted(&p, VPM_CHANNEL_BLUE, 1, 0), r.bin_cy_mm);
	agree("red (1,1)", measured(sim, VPM_CHANNEL_RED, 1, 1),
	      predicted(&p, VPM_CHANNEL_RED, 1, 1), r.bin_cy_mm);
	cr_assert_leq(fabs(r.grid_cy_mm - p.grid_cy_mm), r.bin_cy_mm);
	cr_assert_float_eq(r.grid_modulation, p.grid_modulation, 0.2 * p.grid_modulation);
	fprintf(stderr, "  %-34s measured %.5f at %8.3f cy/mm | predicted %.5f at %8.3f cy/mm\n",
		"grid (luma)", r.grid_modulation, r.grid_cy_mm, p.grid_modulation, p.grid_cy_mm);
	vpm_fftsim_free(sim);
}

/* The field model (doc/model.md): the FFT engine renders the soft-edged
 * pupil wave-optically and resamples with the same kernel; the predictor
 * (δ = 0) uses the tabulated wave-optics OTF of the same pupil.  At T2.8
 * (1.97 waves, where the geometric limit alone was 40% low) the red moiré
 * measured 0.26958 vs predicted 0.27004 and the grid 0.25550 vs 0.25599
 * (patch 256): asserted to 2%. */
Test(agreement, field_model_micro_stage, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(256);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	vpm_result_t p;

	s.model = VPM_MODEL_FIELD;
	r = simulate(sim, &s, &o);
	p = predict(&s);
	cr_assert_eq(r.moire_channel, p.moire_channel);
	cr_assert_leq(fabs(r.moire_beat_cy_mm - p.moire_beat_cy_mm), r.bin_cy_mm);
	cr_assert_float_eq(r.moire_modulation, p.moire_modulation, 0.02 * p.moire_modulation,
			   "moire %g vs %g", r.moire_modulation, p.moire_modulation);
	cr_assert_float_eq(r.grid_modulation, p.grid_modulation, 0.02 * p.grid_modulation,
			   "grid %g vs %g", r.grid_modulation, p.grid_modulation);
	vpm_fftsim_free(sim);
}

/* At T2.8 the wall is blurred by 1.97 waves: below the 2-wave line, so only
 * the beat frequency must agree (the modulation is reported). */
Test(agreement, micro_stage_t28_frequency, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(256);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r = simulate(sim, &s, &o);
	vpm_result_t p = predict(&s);

	fprintf(stderr,
		"micro stage T2.8 (W020 %.2f): moire %s %.5f at %.3f cy/mm, predicted %s "
		"%.5f at %.3f\n",
		p.defocus_waves, vpm_channel_name(r.moire_channel), r.moire_modulation,
		r.moire_beat_cy_mm, vpm_channel_name(p.moire_channel), p.moire_modulation,
		p.moire_beat_cy_mm);
	cr_assert_eq(r.moire_channel, p.moire_channel);
	cr_assert_leq(fabs(r.moire_beat_cy_mm - p.moire_beat_cy_mm), r.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* LEDs imaged 1.637 photosites apart (ν0 = 111 cy/mm, above the luma
 * Nyquist 90.9): luma aliases to 70.75 cy/mm.  Mono camera: luma on every
 * photosite; Bayer: luma on the full mosaic of the neutral wall (compared
 * with the predictor's luma channel), red and blue on their sub-lattices,
 * before demosaicing.  T2.2: 3.2 waves of defocus. */
Test(agreement, luma_red_blue_on_their_own_samples, .timeout = 60)
{
	vpm_setup_t mono = led_spacing(1.637, 2.2, 5.0, 3.5, VPM_CFA_MONO);
	vpm_setup_t bayer = led_spacing(1.637, 2.2, 5.0, 3.5, VPM_CFA_BAYER);
	vpm_fftsim_options_t o = fast_options(256);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r = simulate(sim, &mono, &o);
	vpm_result_t pm = predict(&mono), pb = predict(&bayer);

	fprintf(stderr, "LEDs 1.637 photosites apart, T2.2 (W020 %.2f waves):\n", pm.defocus_waves);
	cr_assert_geq(pm.defocus_waves, 2.0);
	cr_assert_eq(r.moire_channel, VPM_CHANNEL_LUMA);
	agree_dominant("mono: moire (luma)", &r.top[0], &pm.top[0], r.bin_cy_mm);
	agree("mono: luma (1,0)", measured(sim, VPM_CHANNEL_LUMA, 1, 0),
	      predicted(&pm, VPM_CHANNEL_LUMA, 1, 0), r.bin_cy_mm);
	r = simulate(sim, &bayer, &o);
	agree("bayer: luma (1,0) on the full mosaic", measured(sim, VPM_CHANNEL_LUMA, 1, 0),
	      predicted(&pm, VPM_CHANNEL_LUMA, 1, 0), r.bin_cy_mm);
	agree("bayer: red (1,0) on its lattice", measured(sim, VPM_CHANNEL_RED, 1, 0),
	      predicted(&pb, VPM_CHANNEL_RED, 1, 0), r.bin_cy_mm);
	agree("bayer: blue (1,0) on its lattice", measured(sim, VPM_CHANNEL_BLUE, 1, 0),
	      predicted(&pb, VPM_CHANNEL_BLUE, 1, 0), r.bin_cy_mm);
	agree_dominant("bayer: moire (dominant)", &r.top[0], &pb.top[0], r.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* An anamorphic lens (issue 19; doc/model.md §12): the micro stage at
 * T2.1 through a 1.5x squeeze.  The FFT engine renders the wall with the
 * horizontal magnification m/S and blurs it with the elliptical PSF
 * S·PSF(S·x, y); the predictor evaluates the circular OTF at the
 * unsqueezed frequency.  They agree as SPEC §3 asks (frequency within a
 * bin, modulation within 20%, W020 ≥ 2 waves), across and down. */
Test(agreement, anamorphic_squeeze, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.1);
	vpm_fftsim_options_t o = fast_options(256);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	vpm_result_t p;

	s.squeeze = 1.5;
	r = simulate(sim, &s, &o);
	p = predict(&s);
	fprintf(stderr, "micro stage T2.1, 1.5x anamorphic (W020 %.2f waves, bin %.3f cy/mm):\n",
		p.defocus_waves, r.bin_cy_mm);
	cr_assert_geq(p.defocus_waves, 2.0);
	cr_assert_float_eq(p.led_frequency_x_cy_mm, 1.5 * p.led_frequency_y_cy_mm, 1e-12);
	agree("squeezed: red (0,1) down", measured(sim, VPM_CHANNEL_RED, 0, 1),
	      predicted(&p, VPM_CHANNEL_RED, 0, 1), r.bin_cy_mm);
	agree("squeezed: red (1,0) across", measured(sim, VPM_CHANNEL_RED, 1, 0),
	      predicted(&p, VPM_CHANNEL_RED, 1, 0), r.bin_cy_mm);
	agree("squeezed: blue (1,0) across", measured(sim, VPM_CHANNEL_BLUE, 1, 0),
	      predicted(&p, VPM_CHANNEL_BLUE, 1, 0), r.bin_cy_mm);
	cr_assert_eq(r.moire_channel, p.moire_channel);
	cr_assert_leq(fabs(r.moire_beat_cy_mm - p.moire_beat_cy_mm), r.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* The camera rolled 7°: the beat turns with it (SPEC §2 step 4:
 * ν = ν0·R(θ)·(k, l)). */
Test(agreement, rolled_camera, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.1);
	vpm_fftsim_options_t o = fast_options(192);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	vpm_result_t p;

	s.roll_deg = 7.0;
	r = simulate(sim, &s, &o);
	p = predict(&s);
	fprintf(stderr, "micro stage T2.1 rolled 7 deg:\n");
	agree("rolled: red (1,0)", measured(sim, VPM_CHANNEL_RED, 1, 0),
	      predicted(&p, VPM_CHANNEL_RED, 1, 0), r.bin_cy_mm);
	agree("rolled: blue (0,1)", measured(sim, VPM_CHANNEL_BLUE, 0, 1),
	      predicted(&p, VPM_CHANNEL_BLUE, 0, 1), r.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* In-camera recording at 2/3 of the photosites (3072 of 4608): the
 * continuous pixel box then a fold on the recording pitch (SPEC §2 step 6),
 * the same in both models.  LEDs 2.37 photosites apart: 0.42 cycles per
 * photosite, resolved by the photosites, aliased by the recording; then a
 * delivery at 1536 pixels folds it again. */
Test(agreement, recording_downscale, .timeout = 60)
{
	vpm_setup_t s = led_spacing(2.37, 2.2, 5.0, 3.5, VPM_CFA_MONO);
	vpm_fftsim_options_t o = fast_options(240); /* 160 recorded pixels */
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	vpm_result_t p;

	s.recording_px = 3072;
	r = simulate(sim, &s, &o);
	p = predict(&s);
	fprintf(stderr, "recording 3072 of 4608 (W020 %.2f):\n", p.defocus_waves);
	cr_assert_eq(r.size.recorded_px, 160);
	cr_assert_float_eq(r.final_pitch_mm, 5.5e-3 * 1.5, 1e-12);
	cr_assert_geq(p.defocus_waves, 2.0);
	cr_assert_eq(p.moire_channel, VPM_CHANNEL_LUMA);
	agree_dominant("recorded: moire", &r.top[0], &p.top[0], r.bin_cy_mm);
	/* then delivered at 1536: a second box and fold, 0.088 cycles per
	 * photosite */
	s.delivery_px = 1536;
	r = simulate(sim, &s, &o);
	p = predict(&s);
	cr_assert_eq(r.size.recorded_px, 80);
	cr_assert_float_eq(r.final_pitch_mm, 5.5e-3 * 3.0, 1e-12);
	agree_dominant("delivered: moire", &r.top[0], &p.top[0], r.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* ------------------------------------------------------------ the simulation itself */

/* Fringe period in photosites = 1/|s − round(s)| for s LEDs per
 * photosite: 5.00 at 0.8, 4.00 at 1.25 (DFT measurements of
 * stoatworks-labs/pitch, https://github.com/stoatworks-labs/pitch).  Wall in
 * focus, mono camera. */
Test(fringes, periods_at_0p8_and_1p25_leds_per_photosite, .timeout = 60)
{
	const double s_led[2] = { 0.8, 1.25 }, want[2] = { 5.00, 4.00 };
	vpm_fftsim_t *sim = vpm_fftsim_alloc();

	for (int i = 0; i < 2; i++) {
		vpm_setup_t s = led_spacing(1.0 / s_led[i], 4.0, 5.0, 5.0, VPM_CFA_MONO);
		vpm_fftsim_options_t o = fast_options(256);
		vpm_fftsim_result_t r = simulate(sim, &s, &o);
		double period = 1.0 / (r.moire_beat_cy_mm * 5.5e-3);
		/* one bin at this frequency, in photosites of period */
		double bin_px = period * period * r.bin_cy_mm * 5.5e-3;

		fprintf(stderr,
			"  %.2f LEDs per photosite: fringe period %.4f photosites (want %.2f; "
			"one bin = %.3f), modulation %.4f\n",
			s_led[i], period, want[i], bin_px, r.moire_modulation);
		cr_assert_eq(r.moire_channel, VPM_CHANNEL_LUMA);
		cr_assert_float_eq(period, want[i], bin_px);
		cr_assert_float_eq(period, want[i], 0.005 * want[i]);
		cr_assert_gt(r.moire_modulation, 0.05);
	}
	vpm_fftsim_free(sim);
}

/* A wall yawed 15°, patches at the frame's left, centre and right: the
 * LED frequency at sensor x follows the local magnification of the tilted
 * plane, dx/du = s_w·v_f·cos ψ / (v_f·cos ψ − x·sin ψ)² (chief ray through
 * the lens centre; derived in the test, not taken from the library), and
 * the fringe is its fold on the photosite lattice. */
Test(yaw, fringe_frequency_follows_local_magnification, .timeout = 60)
{
	const double psi = 15.0 * M_PI / 180.0, at[3] = { -1500.0, 0.0, 1500.0 };
	vpm_setup_t s = led_spacing(1.0 / 0.7, 4.0, 5.0, 5.0, VPM_CFA_MONO);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	double sf, vf, sw, got[3], a = 5.5e-3;

	cr_assert_eq(vpm_geometry_focus_object_mm(28.0, 5000.0, &sf), VPM_OK);
	vf = vpm_geometry_image_mm(28.0, sf);
	sw = 5000.0 - vf;
	for (int i = 0; i < 3; i++) {
		vpm_fftsim_options_t o = fast_options(128);
		vpm_fftsim_result_t r;
		const vpm_component_t *c;
		double x = at[i] * a, D = vf * cos(psi) - x * sin(psi);
		double nu = sw * vf * cos(psi) / (D * D) / s.pitch_mm; /* LED (1,0), cy/mm */
		double fringe = fabs(nu - lround(nu * a) / a);

		o.yaw_deg = 15.0;
		o.patch_x_px = at[i];
		r = simulate(sim, &s, &o);
		c = measured(sim, VPM_CHANNEL_LUMA, 1, 0);
		cr_assert_not_null(c);
		got[i] = fabs(c->nu_x_cy_mm);
		fprintf(stderr,
			"  yaw 15 deg, patch at x = %+5.0f px: LEDs %.3f per photosite, fringe "
			"%.3f cy/mm (local magnification predicts %.3f; bin %.3f; %d PSFs)\n",
			at[i], nu * a, got[i], fringe, r.bin_cy_mm, r.size.n_psf);
		cr_assert_leq(fabs(got[i] - fringe), r.bin_cy_mm, "at x = %g", at[i]);
		cr_assert_leq(fabs(c->nu_y_cy_mm), r.bin_cy_mm);
	}
	/* and it does change across the frame */
	cr_assert_gt(got[0] - got[1], 10.0);
	cr_assert_gt(got[1] - got[2], 10.0);
	vpm_fftsim_free(sim);
}

/* Supersampling: doubling it (8 → 16 samples per photosite) moves the
 * measured moiré by less than 1.5% and its frequency by under 0.05 bin:
 * 8 is enough. */
Test(supersample, doubling_changes_little, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.1);
	vpm_fftsim_options_t o = fast_options(128);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r8, r16;

	r8 = simulate(sim, &s, &o);
	cr_assert_eq(r8.size.supersample, 8);
	o.supersample = 16;
	r16 = simulate(sim, &s, &o);
	fprintf(stderr,
		"  supersample 8: moire %.5f at %.4f, grid %.5f; 16: moire %.5f at %.4f, "
		"grid %.5f\n",
		r8.moire_modulation, r8.moire_beat_cy_mm, r8.grid_modulation, r16.moire_modulation,
		r16.moire_beat_cy_mm, r16.grid_modulation);
	cr_assert_float_eq(r8.moire_modulation, r16.moire_modulation, 0.015 * r16.moire_modulation);
	cr_assert_float_eq(r8.grid_modulation, r16.grid_modulation, 0.015 * r16.grid_modulation);
	cr_assert_leq(fabs(r8.moire_beat_cy_mm - r16.moire_beat_cy_mm), 0.05 * r8.bin_cy_mm);
	vpm_fftsim_free(sim);
}

/* The three ways of forming the scene's spectrum agree: 1-D transforms of
 * the separable white wall, the 2-D grid with content (a white 1 × 1
 * image), and the general homography renderer (roll 1e-9°). */
Test(paths, separable_grid_and_general_agree, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(128);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_image_t *white = NULL;
	double *ref;
	int n;

	cr_assert_eq(vpm_image_alloc(1, 1, 3, &white), VPM_OK);
	white->pixels[0] = white->pixels[1] = white->pixels[2] = 1.0f;
	simulate(sim, &s, &o);
	n = 0;
	ref = malloc(128 * 128 * sizeof *ref);
	memcpy(ref, vpm_fftsim_mosaic(sim, &n), 128 * 128 * sizeof *ref);
	cr_assert_eq(n, 128);
	for (int pass = 0; pass < 2; pass++) {
		const double *m;
		double worst = 0.0;
		vpm_setup_t s2 = s;
		vpm_fftsim_options_t o2 = o;
		if (pass == 0)
			o2.content = white;
		else
			s2.roll_deg = 1e-9;
		simulate(sim, &s2, &o2);
		m = vpm_fftsim_mosaic(sim, &n);
		for (int i = 0; i < n * n; i++)
			worst = fmax(worst, fabs(m[i] - ref[i]));
		fprintf(stderr, "  %s path: largest difference %.2e\n", pass ? "general" : "grid",
			worst);
		cr_assert_leq(worst, 1e-8);
	}
	/* a neutral wall reads 1 on average in every colour (white balance) */
	{
		double mean[3] = { 0, 0, 0 };
		for (int c = 0; c < 3; c++) {
			const double *pl = vpm_fftsim_plane(sim, c, &n);
			for (int i = 0; i < n * n; i++)
				mean[c] += pl[i] / (n * n);
			cr_assert_float_eq(mean[c], 1.0, 0.02, "colour %d mean %g", c, mean[c]);
		}
	}
	cr_assert_null(vpm_fftsim_plane(sim, 3, &n));
	free(ref);
	vpm_image_free(white);
	vpm_fftsim_free(sim);
}

/* Content on the wall, one pixel per LED: a 2 × 1 image, black then white,
 * centred on the patch: the left half of the wall is off. */
Test(content, shown_on_the_wall)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(128);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_image_t *img = NULL;
	const double *rec;
	double left = 0.0, right = 0.0;
	int n;

	cr_assert_eq(vpm_image_alloc(2, 1, 3, &img), VPM_OK);
	for (int c = 0; c < 3; c++)
		img->pixels[3 + c] = 1.0f;
	o.content = img;
	simulate(sim, &s, &o);
	rec = vpm_fftsim_recorded(sim, &n);
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n / 4; x++) {
			left += rec[(y * n + x) * 3 + 1];
			right += rec[(y * n + n - 1 - x) * 3 + 1];
		}
	left /= n * n / 4;
	right /= n * n / 4;
	fprintf(stderr, "  content: left quarter %.4f, right quarter %.4f\n", left, right);
	cr_assert_leq(left, 0.01);
	cr_assert_float_eq(right, 1.0, 0.05);
	vpm_image_free(img);
	vpm_fftsim_free(sim);
}

/* Round emitters keep each LED's flux; a row layout shifts red and blue
 * by ±chip_spacing, which shows as a phase difference 2π·2d/p of the LED
 * fundamental between the red and blue planes (wall in focus). */
Test(emitters, round_shape_and_row_layout)
{
	vpm_setup_t s = micro_stage(4.0);
	vpm_fftsim_options_t o = fast_options(128);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	double mean = 0.0, ph[2];
	const double *pl;
	int n;

	s.focus_m = 5.0;
	o.shape = VPM_EMITTER_ROUND;
	simulate(sim, &s, &o);
	pl = vpm_fftsim_plane(sim, 1, &n);
	for (int i = 0; i < n * n; i++)
		mean += pl[i] / (n * n);
	cr_assert_float_eq(mean, 1.0, 0.02, "round emitters: mean %g", mean);
	o.shape = VPM_EMITTER_SQUARE;
	o.layout = VPM_RGB_ROW;
	o.chip_spacing_mm = 0.4;
	r = simulate(sim, &s, &o);
	for (int c = 0; c < 2; c++) {
		double re = 0.0, im = 0.0, nu = 1.0 / (s.pitch_mm * r.magnification);
		pl = vpm_fftsim_plane(sim, c == 0 ? 0 : 2, &n);
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				double t = 2.0 * M_PI * nu * (x - n / 2) * 5.5e-3;
				re += pl[y * n + x] * cos(t);
				im -= pl[y * n + x] * sin(t);
			}
		ph[c] = atan2(im, re);
	}
	{
		double want = 2.0 * M_PI * 2.0 * 0.4 / s.pitch_mm, d = ph[0] - ph[1];
		d = remainder(d - want, 2.0 * M_PI);
		fprintf(stderr, "  row layout: red-blue phase %.4f rad, want %.4f\n", ph[0] - ph[1],
			want);
		cr_assert_leq(fabs(d), 0.05);
	}
	o.chip_spacing_mm = 2.0; /* chips outside a 2.84 mm cell */
	cr_assert_neq(vpm_fftsim_run(sim, &s, &o, &r), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "--chip-spacing") != NULL, "%s", vpm_error_message());
	vpm_fftsim_free(sim);
}

/* The stretched view: for the micro stage the moiré (6.3 photosites)
 * is magnified 4× and fills the 8-bit range; at T22 a mono camera cannot
 * alias (the lens cut-off 1/(λN) = 82 cy/mm is below the 90.9 cy/mm
 * Nyquist), the grid is subtracted, and the view stays near mid-grey. */
Test(views, stretched_shows_moire_and_only_moire, .timeout = 60)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(128);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	uint8_t *v = malloc(128 * 128 * 3);
	uint16_t *v16 = malloc(128 * 128 * 3 * sizeof *v16);
	double sum = 0.0, sum2 = 0.0, mean16 = 0.0;
	int zoom = 0, lo = 255, hi = 0;

	r = simulate(sim, &s, &o);
	cr_assert_eq(vpm_fftsim_stretched_u8(sim, v, &zoom), VPM_OK);
	cr_assert_eq(zoom, 4, "period %.2f px", 1.0 / (r.moire_beat_cy_mm * 5.5e-3));
	for (int i = 0; i < 128 * 128 * 3; i++) {
		sum += v[i];
		sum2 += (double)v[i] * v[i];
	}
	sum /= 128 * 128 * 3;
	sum2 = sqrt(sum2 / (128 * 128 * 3) - sum * sum);
	fprintf(stderr, "  stretched view, micro stage: zoom %d, mean %.1f, std %.1f\n", zoom, sum,
		sum2);
	cr_assert_gt(sum2, 30.0);
	/* the 16-bit recording: the mean at 18% grey, sRGB-encoded (0.4613) */
	cr_assert_eq(vpm_fftsim_recorded_u16(sim, v16), VPM_OK);
	for (int i = 0; i < 128 * 128 * 3; i++)
		mean16 += v16[i] / 65535.0 / (128 * 128 * 3);
	cr_assert_float_eq(mean16, 0.4613, 0.03, "mean %g", mean16);

	s.cfa = VPM_CFA_MONO;
	s.stop = 22.0;
	r = simulate(sim, &s, &o);
	cr_assert_eq(r.moire_channel, VPM_CHANNEL_NONE);
	cr_assert_gt(r.grid_modulation, 0.001);
	cr_assert_eq(vpm_fftsim_stretched_u8(sim, v, &zoom), VPM_OK);
	cr_assert_eq(zoom, 1);
	for (int i = 0; i < 128 * 128 * 3; i++) {
		lo = v[i] < lo ? v[i] : lo;
		hi = v[i] > hi ? v[i] : hi;
	}
	fprintf(stderr, "  stretched view, mono T22 (no moire): values %d ... %d\n", lo, hi);
	/* what remains after the grid (a few 1e-4 of structure nobody sees)
	 * stays within a fifth of full scale */
	cr_assert_geq(lo, 104);
	cr_assert_leq(hi, 152);
	free(v);
	free(v16);
	vpm_fftsim_free(sim);
}

/* ------------------------------------------------------------ limits and errors */

Test(limits, memory_estimated_before_allocation)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(512);
	vpm_fftsim_size_t z;
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;

	cr_assert_eq(vpm_fftsim_estimate(&s, &o, &z), VPM_OK);
	cr_assert_eq(z.supersample, 8);
	cr_assert_eq(z.grid_n % z.supersample, 0);
	/* at least the PSF spectrum's quarter of the grid, in doubles */
	cr_assert_gt(z.memory_bytes, (size_t)(z.grid_n / 2) * (z.grid_n / 2) * 8);
	o.max_memory_bytes = z.memory_bytes - 1;
	cr_assert_eq(vpm_fftsim_run(sim, &s, &o, &r), VPM_ELIMIT);
	cr_assert(strstr(vpm_error_message(), "GiB") != NULL, "%s", vpm_error_message());
	/* an enormous patch is sized, not allocated */
	o.patch_px = 16384;
	o.supersample = 16;
	cr_assert_eq(vpm_fftsim_estimate(&s, &o, &z), VPM_OK);
	cr_assert_gt((double)z.memory_bytes, 30e9);
	o.max_memory_bytes = (size_t)1 << 30;
	cr_assert_eq(vpm_fftsim_run(sim, &s, &o, &r), VPM_ELIMIT);
	/* a grid beyond 2^20 samples a side is refused before any size_t
	 * product is formed: a size refusal like the memory limit (ELIMIT,
	 * exit 2; issue 14), not an allocation failure */
	o.patch_px = 32768;
	o.supersample = 64;
	cr_assert_eq(vpm_fftsim_estimate(&s, &o, &z), VPM_ELIMIT);
	vpm_fftsim_free(sim);
}

Test(errors, bad_options_and_set_ups)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(128), b;
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	vpm_fftsim_result_t r;
	vpm_fftsim_size_t z;
	vpm_image_t bad = { 4, 4, 3, NULL };
	size_t bytes;
	double sec;
	uint8_t px8[3];
	uint16_t px16[3];
	vpm_demosaic_t dm;
	int n;

	/* nothing before a run */
	cr_assert_null(vpm_fftsim_mosaic(sim, &n));
	cr_assert_null(vpm_fftsim_recorded(sim, &n));
	cr_assert_null(vpm_fftsim_spectrum(sim, &n));
	cr_assert_null(vpm_fftsim_channel(sim, VPM_CHANNEL_LUMA, &n, NULL));
	cr_assert_null(vpm_fftsim_components(sim, &bytes));
	cr_assert_eq(vpm_fftsim_recorded_u16(sim, px16), VPM_EINVAL);
	cr_assert_eq(vpm_fftsim_stretched_u8(sim, px8, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_fftsim_time_ffts(sim, &sec, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_fftsim_run(NULL, &s, &o, &r), VPM_EINVAL);
	cr_assert_eq(vpm_fftsim_estimate(&s, NULL, &z), VPM_EINVAL);

	b = o;
	b.yaw_deg = 85.0;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--yaw") != NULL);
	b = o;
	b.pitch_deg = -80.0;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--pitch-angle") != NULL);
	b = o;
	b.patch_px = 127;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--patch") != NULL);
	b = o;
	b.supersample = 1;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	b = o;
	b.spherical_waves = 60.0;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	b = o;
	b.content = &bad;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_EINVAL);
	b = o;
	b.patch_x_px = NAN;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_ERANGE);
	/* the wall seen edge-on at the frame edge */
	b = o;
	b.yaw_deg = 75.0;
	b.patch_x_px = 2200.0;
	cr_assert_eq(vpm_fftsim_estimate(&s, &b, &z), VPM_EGEOMETRY, "%s", vpm_error_message());
	{
		vpm_setup_t t = s;
		t.focus_m = 0.1; /* closer than 4f = 0.112 m */
		cr_assert_neq(vpm_fftsim_estimate(&t, &o, &z), VPM_OK);
		t = s;
		t.pitch_mm = 0.0;
		cr_assert_neq(vpm_fftsim_estimate(&t, &o, &z), VPM_OK);
		t = s;
		t.recording_px = 200; /* 128 × 200/4608 < 16 recorded pixels */
		cr_assert_eq(vpm_fftsim_estimate(&t, &o, &z), VPM_ERANGE);
	}
	/* parsers */
	cr_assert_eq(vpm_fftsim_parse_demosaic("ha", &dm), VPM_OK);
	cr_assert_eq(dm, VPM_DEMOSAIC_HAMILTON_ADAMS);
	cr_assert_eq(vpm_fftsim_parse_demosaic("bilinear", &dm), VPM_OK);
	cr_assert_eq(dm, VPM_DEMOSAIC_BILINEAR);
	cr_assert_eq(vpm_fftsim_parse_demosaic("vng", &dm), VPM_EPARSE);
	vpm_fftsim_free(sim);
	vpm_fftsim_free(NULL);
}

/* FFTW_MEASURE plans are kept as wisdom where the caller says; an
 * unwritable place costs nothing but the wisdom. */
Test(wisdom, written_where_asked_and_optional)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = vpm_fftsim_options_default();
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	const char *path = tu_tmp("wisdom");
	vpm_fftsim_result_t r;
	char *w;

	o.patch_px = 16;
	o.supersample = 2;
	o.wisdom_path = path;
	remove(path);
	r = simulate(sim, &s, &o);
	cr_assert(tu_exists(path), "no wisdom at %s", path);
	w = tu_slurp(path);
	cr_assert(strstr(w, "fftw") != NULL, "%s", w);
	free(w);
	cr_assert_gt(r.n_fft, 0);
	o.wisdom_path = tu_tmp("no/such/dir/wisdom");
	r = simulate(sim, &s, &o);
	cr_assert_eq(vpm_error_message()[0], '\0', "%s", vpm_error_message());
	{
		double wall, cpu;
		cr_assert_eq(vpm_fftsim_time_ffts(sim, &wall, &cpu), VPM_OK);
		cr_assert_geq(wall, 0.0);
		/* the images survive the re-timing */
		cr_assert_not_null(vpm_fftsim_recorded(sim, NULL));
	}
	vpm_fftsim_free(sim);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

/* ------------------------------------------------------------ vpmoire simulate */

static const char micro_flags[] = "--panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 "
				  "--lens zeiss-cp3-28 --stop T2.8 --wall 5m --focus 3.5m "
				  "--model ideal";

/* PNG header: width, height, bit depth from IHDR. */
static int png_header(const char *path, unsigned *w, unsigned *h, int *depth)
{
	unsigned char b[26];
	FILE *fp = fopen(path, "rb");
	size_t got;

	if (fp == NULL)
		return 0;
	got = fread(b, 1, sizeof b, fp);
	fclose(fp);
	if (got != sizeof b || memcmp(b, "\x89PNG\r\n\x1a\n", 8) != 0 || memcmp(b + 12, "IHDR", 4))
		return 0;
	*w = (unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19];
	*h = (unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23];
	*depth = b[24];
	return 1;
}

Test(cli, simulate_writes_the_pngs_and_json, .timeout = 60)
{
	char args[1024], *json;
	tu_run_t r;
	unsigned w, h;
	int depth;

	setenv("XDG_CACHE_HOME", tu_tmp("cache"), 1); /* never the real home */
	snprintf(args, sizeof args,
		 "simulate %s --patch 128 --planner estimate --outdir out --json", micro_flags);
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"measured\": {") && strstr(r.out, "\"predicted\": {"), "%s",
		  r.out);
	cr_assert(strstr(r.out, "\"moire_beat_cy_mm\": 28.9") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"moire_channel\": \"blue\"") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "\"grid_cy_mm\": 61.99") || strstr(r.out, "\"grid_cy_mm\": 62.00"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "\"tolerance\": 0") != NULL);
	cr_assert_null(strstr(r.out, "nan"));
	cr_assert_null(strstr(r.out, "inf"));
	json = tu_slurp(tu_tmp("out/simulate.json"));
	cr_assert_not_null(json);
	cr_assert_str_eq(json, r.out);
	free(json);
	cr_assert(png_header(tu_tmp("out/recorded.png"), &w, &h, &depth));
	cr_assert(w == 128 && h == 128 && depth == 16, "%u x %u x %d", w, h, depth);
	cr_assert(png_header(tu_tmp("out/stretched.png"), &w, &h, &depth));
	cr_assert(w == 128 && h == 128 && depth == 8);
	cr_assert(png_header(tu_tmp("out/spectrum.png"), &w, &h, &depth));
	cr_assert(w >= 512 && w == h && depth == 8);
	tu_run_free(&r);

	/* the human summary, and --tolerance passed on to the prediction */
	snprintf(args, sizeof args,
		 "simulate %s --patch 64 --planner estimate --outdir out2 --tolerance 0.1 --yaw 5 "
		 "--demosaic hamilton-adams",
		 micro_flags);
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "measured") && strstr(r.out, "predicted"), "%s", r.out);
	json = tu_slurp(tu_tmp("out2/simulate.json"));
	cr_assert(strstr(json, "\"tolerance\": 0.1") != NULL);
	cr_assert(strstr(json, "\"yaw_deg\": 5") != NULL);
	cr_assert(strstr(json, "\"demosaic\": \"hamilton-adams\"") != NULL);
	free(json);
	tu_run_free(&r);
	/* the wisdom went to $XDG_CACHE_HOME only with the measure planner */
	cr_assert(!tu_exists(tu_tmp("cache/vpmoire/fftw-wisdom")));
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

/* CRC-32 of PNG chunks (ISO 3309, as the PNG specification gives it). */
static unsigned long png_crc(const unsigned char *p, size_t n)
{
	unsigned long c = 0xffffffffUL;

	while (n-- > 0) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320UL ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffUL;
}

static void put32(unsigned char *p, unsigned long v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A 57-byte PNG of nothing but its signature, an IHDR chunk claiming a
 * width x height 8-bit RGB image and IEND: every byte valid, no pixels.
 * Decoding it fails ("IEND: out of place"), so a refusal that names
 * --max-memory shows that the size was judged from the header alone. */
static void header_only_png(const char *name, unsigned long w, unsigned long h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char ihdr[4 + 4 + 13 + 4], iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D' };
	FILE *fp = fopen(tu_tmp(name), "wb");

	cr_assert_not_null(fp);
	put32(ihdr, 13);
	memcpy(ihdr + 4, "IHDR", 4);
	put32(ihdr + 8, w);
	put32(ihdr + 12, h);
	ihdr[16] = 8; /* bit depth */
	ihdr[17] = 2; /* RGB */
	ihdr[18] = ihdr[19] = ihdr[20] = 0;
	put32(ihdr + 21, png_crc(ihdr + 4, 17));
	put32(iend + 8, png_crc(iend + 4, 4));
	cr_assert_eq(fwrite(sig, 1, 8, fp), 8);
	cr_assert_eq(fwrite(ihdr, 1, sizeof ihdr, fp), sizeof ihdr);
	cr_assert_eq(fwrite(iend, 1, sizeof iend, fp), sizeof iend);
	cr_assert_eq(fclose(fp), 0);
}

/* --max-memory counts the --content image (issue 14: a 783 KB PNG of
 * 16384 x 16384 pixels took 4.7 GB).  Decoded, a content pixel is 12 bytes
 * of linear RGB floats kept through the run, plus 6 bytes of 16-bit RGB
 * while libpng decodes (lib/png_io.c): 16384^2 x 18 bytes = 4.5 GiB, above
 * the default 4 GiB; 4096^2 x 18 = 288 MiB, above 256M although the
 * 128-photosite simulation alone (some 50 MiB) fits.  Both are refused
 * before decoding, exit 2 as every size refusal, creating nothing; a small
 * real image still runs. */
Test(cli, content_png_counts_toward_max_memory, .timeout = 60)
{
	static const struct {
		unsigned long side;
		const char *limit, *says;
	} big[] = {
		{ 16384, "", "16384 x 16384 pixels" },
		{ 4096, "--max-memory 256M", "4096 x 4096 pixels" },
	};
	char args[1024];
	tu_run_t r;

	setenv("XDG_CACHE_HOME", tu_tmp("cache"), 1);
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		header_only_png("claims.png", big[i].side, big[i].side);
		snprintf(args, sizeof args,
			 "simulate %s --patch 128 --planner estimate --content claims.png %s "
			 "--outdir content-big",
			 micro_flags, big[i].limit);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%lu: exit %d: %s", big[i].side, r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
		cr_assert(strstr(r.err, "--content claims.png") != NULL, "%s", r.err);
		cr_assert(strstr(r.err, "above --max-memory") != NULL, "%s", r.err);
		cr_assert(strstr(r.err, big[i].says) != NULL, "%s", r.err);
		cr_assert(strstr(r.err, "IEND") == NULL, "decoded: %s", r.err);
		cr_assert(!tu_exists(tu_tmp("content-big")), "the refusal created --outdir");
		tu_run_free(&r);
	}
	/* a real 48 x 32 image fits and is shown */
	{
		uint8_t px[32][48][3];
		for (int y = 0; y < 32; y++)
			for (int x = 0; x < 48; x++) {
				px[y][x][0] = (uint8_t)(5 * x);
				px[y][x][1] = (uint8_t)(7 * y);
				px[y][x][2] = (uint8_t)(x ^ y);
			}
		cr_assert_eq(vpm_png_write(tu_tmp("small.png"), 48, 32, 3, 8, px), VPM_OK);
	}
	snprintf(args, sizeof args,
		 "simulate %s --patch 128 --planner estimate --content small.png --max-memory 256M "
		 "--outdir content-small --json",
		 micro_flags);
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"content\": \"small.png\"") != NULL, "%s", r.out);
	cr_assert(tu_exists(tu_tmp("content-small/recorded.png")));
	tu_run_free(&r);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

Test(cli, simulate_bad_input_exits_2_naming_the_flag)
{
	static const struct {
		const char *args, *flag;
	} cases[] = {
		{ "--yaw abc", "--yaw" },
		{ "--pitch-angle 95", "--pitch-angle" },
		{ "--patch 15", "--patch" },
		{ "--supersample 1", "--supersample" },
		{ "--demosaic vng", "--demosaic" },
		{ "--max-memory 1K", "--max-memory" },
		{ "--max-memory 2M", "--max-memory" },
		{ "--content missing.png", "--content" },
		{ "--rgb-layout hex", "--rgb-layout" },
		{ "--emitter-shape star", "--emitter-shape" },
		{ "--patch-at 3", "--patch-at" },
		{ "--chip-spacing 5", "--chip-spacing" },
		{ "--planner patient", "--planner" },
		{ "--subject 6m", "--subject" },
	};
	char args[1024];

	setenv("XDG_CACHE_HOME", tu_tmp("cache"), 1);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r;
		snprintf(args, sizeof args, "simulate %s --planner estimate --outdir bad %s",
			 micro_flags, cases[i].args);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "'%s' gave %d: %s", cases[i].args, r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "'%s': %s", cases[i].args, r.err);
		cr_assert(strstr(r.err, cases[i].flag) != NULL, "'%s': %s", cases[i].args, r.err);
		tu_run_free(&r);
	}
	/* --outdir naming a file */
	tu_write("afile", "x");
	snprintf(args, sizeof args, "simulate %s --patch 32 --planner estimate --outdir afile",
		 micro_flags);
	{
		tu_run_t r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%s", r.err);
		cr_assert(strstr(r.err, "--outdir") != NULL);
		tu_run_free(&r);
	}
	{
		tu_run_t r = tu_vpmoire("simulate --help");
		cr_assert_eq(r.status, 0);
		cr_assert(strstr(r.out, "--pitch-angle") && strstr(r.out, "--max-memory"));
		tu_run_free(&r);
	}
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

/* ------------------------------------------------------------ a run as simulate makes it */

Test(simulate_run, prepare_without_content_sizes_and_checks)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(64);
	vpm_image_t *content = (vpm_image_t *)1;

	s.content_contrast = 0.25;
	cr_assert_eq(vpm_fftsim_prepare(&s, &o, NULL, &content), VPM_OK, "%s", vpm_error_message());
	cr_assert_null(content);
	cr_assert_null(o.content);
	cr_assert_float_eq(s.content_contrast, 0.25, 1e-12); /* untouched */
	/* the memory limit refuses before anything is run */
	o.max_memory_bytes = 1 << 20;
	cr_assert_eq(vpm_fftsim_prepare(&s, &o, NULL, &content), VPM_ELIMIT);
	cr_assert(strstr(vpm_error_message(), "--max-memory") != NULL, "%s", vpm_error_message());
	/* a bad set-up is the estimate's refusal */
	o = fast_options(64);
	s.wall_m = -1.0;
	cr_assert_neq(vpm_fftsim_prepare(&s, &o, NULL, &content), VPM_OK);
	cr_assert_eq(vpm_fftsim_prepare(NULL, &o, NULL, &content), VPM_EINVAL);
}

Test(simulate_run, prepare_reads_content_once_it_fits)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(64);
	vpm_image_t *content = NULL, *direct = NULL;
	const char *png = tu_tmp("content.png"), *huge = tu_tmp("huge.png");
	uint8_t px[40 * 30 * 3];
	double contrast;
	int i;

	/* black and white columns */
	for (i = 0; i < 40 * 30 * 3; i++)
		px[i] = (i / 3) % 2 ? 255 : 0;
	cr_assert_eq(vpm_png_write(png, 40, 30, 3, 8, px), VPM_OK);
	cr_assert_eq(vpm_png_read(png, 0, &direct), VPM_OK);
	cr_assert_eq(vpm_content_contrast(direct->pixels, 40, 30, 3, &contrast), VPM_OK);
	cr_assert_gt(contrast, 0.0);
	s.content_contrast = 0.0;
	cr_assert_eq(vpm_fftsim_prepare(&s, &o, png, &content), VPM_OK, "%s", vpm_error_message());
	cr_assert_not_null(content);
	cr_assert_eq(o.content, content);
	cr_assert_eq(content->width, 40);
	cr_assert_eq(content->height, 30);
	cr_assert_float_eq(content->pixels[0], 0.0, 1e-6);
	cr_assert_float_eq(content->pixels[3 * 39], 1.0, 1e-6);
	cr_assert_float_eq(content->pixels[3 * 38], 0.0, 1e-6);
	cr_assert_float_eq(s.content_contrast, contrast, 1e-12);
	vpm_image_free(content);

	/* too large for the memory allowed: refused from the header, nothing
	 * decoded, the content's size in the message */
	{
		vpm_fftsim_size_t sz;
		o.content = direct;
		cr_assert_eq(vpm_fftsim_estimate(&s, &o, &sz), VPM_OK);
		o.max_memory_bytes = sz.memory_bytes +
				     1000; /* the simulation fits, not the image */
	}
	vpm_image_free(direct);
	cr_assert_eq(vpm_fftsim_prepare(&s, &o, png, &content), VPM_ELIMIT);
	cr_assert_null(content);
	cr_assert_null(o.content);
	cr_assert(strstr(vpm_error_message(), "40 x 30 pixels") != NULL, "%s", vpm_error_message());

	/* a missing file and a side beyond the limit: the reader's messages
	 * after "--content: " */
	o = fast_options(64);
	cr_assert_eq(vpm_fftsim_prepare(&s, &o, tu_tmp("missing.png"), &content), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "--content: ", 11) == 0, "%s", vpm_error_message());
	cr_assert_null(content);
	{
		static uint8_t row[(VPM_FFTSIM_MAX_CONTENT_SIDE + 1) * 1];
		cr_assert_eq(vpm_png_write(huge, VPM_FFTSIM_MAX_CONTENT_SIDE + 1, 1, 1, 8, row),
			     VPM_OK);
	}
	cr_assert_neq(vpm_fftsim_prepare(&s, &o, huge, &content), VPM_OK);
	cr_assert(strncmp(vpm_error_message(), "--content: ", 11) == 0, "%s", vpm_error_message());
	cr_assert_null(content);
	cr_assert_null(o.content);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

Test(simulate_run, predict_with_the_perfect_lens_unless_kept)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_setup_t p0 = s;
	vpm_result_t r, want;
	double tol = -1.0;

	s.tolerance = 0.05;
	p0.tolerance = 0.0;
	want = predict(&p0);
	cr_assert_eq(vpm_fftsim_predict(&s, 0, &r, &tol), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(tol, 0.0, 1e-15);
	cr_assert_float_eq(r.moire_visibility, want.moire_visibility, 1e-12);
	cr_assert_float_eq(r.grid_visibility, want.grid_visibility, 1e-12);
	cr_assert_eq(r.risk, want.risk);
	want = predict(&s);
	cr_assert_eq(vpm_fftsim_predict(&s, 1, &r, &tol), VPM_OK);
	cr_assert_float_eq(tol, 0.05, 1e-15);
	cr_assert_float_eq(r.moire_visibility, want.moire_visibility, 1e-12);
	cr_assert_eq(vpm_fftsim_predict(&s, 1, &r, NULL), VPM_OK);
	cr_assert_eq(vpm_fftsim_predict(NULL, 0, &r, NULL), VPM_EINVAL);
}

Test(simulate_run, write_pngs_of_the_last_run)
{
	vpm_setup_t s = micro_stage(2.8);
	vpm_fftsim_options_t o = fast_options(64);
	vpm_fftsim_t *sim = vpm_fftsim_alloc();
	const char *rec = tu_tmp("recorded.png"), *str = tu_tmp("stretched.png");
	vpm_image_t *img = NULL;
	unsigned long w, h;
	int zoom = 0, n;

	cr_assert_not_null(sim);
	cr_assert_eq(vpm_fftsim_write_pngs(sim, rec, str, &zoom), VPM_EINVAL);
	cr_assert_eq(zoom, 0);
	simulate(sim, &s, &o);
	cr_assert_not_null(vpm_fftsim_recorded(sim, &n));
	cr_assert_eq(vpm_fftsim_write_pngs(sim, rec, str, &zoom), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert(zoom >= 1 && zoom <= 8, "zoom %d", zoom);
	cr_assert_eq(vpm_png_declared_size(rec, &w, &h), VPM_OK);
	cr_assert_eq((int)w, n);
	cr_assert_eq((int)h, n);
	cr_assert_eq(vpm_png_declared_size(str, &w, &h), VPM_OK);
	cr_assert_eq((int)w, n);
	/* the recorded patch is exposed to an 18% grey mean (sRGB ~0.46) */
	cr_assert_eq(vpm_png_read(rec, 0, &img), VPM_OK);
	{
		double sum = 0.0;
		for (size_t i = 0; i < (size_t)n * n * 3; i++)
			sum += img->pixels[i];
		cr_assert_float_eq(sum / ((double)n * n * 3), 0.18, 0.03, "mean %g",
				   sum / ((double)n * n * 3));
	}
	vpm_image_free(img);
	/* a folder that does not exist: the writer's error */
	cr_assert_eq(vpm_fftsim_write_pngs(sim, tu_tmp("no/such/r.png"), str, NULL), VPM_EIO);
	vpm_fftsim_free(sim);
	cr_assert_eq(tu_remove_tmpdir(), 0);
}

Test(simulate_run, wisdom_path_from_xdg_or_home)
{
	char want[8192], dir[4096], *p;
	struct stat sb;

	cr_assert_not_null(realpath(tu_tmpdir(), dir));

	setenv("XDG_CACHE_HOME", dir, 1);
	p = vpm_fftsim_wisdom_path();
	snprintf(want, sizeof want, "%s/vpmoire/fftw-wisdom", dir);
	cr_assert_not_null(p);
	cr_assert_str_eq(p, want);
	snprintf(want, sizeof want, "%s/vpmoire", dir);
	cr_assert_eq(stat(want, &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	free(p);
	/* a relative XDG_CACHE_HOME is ignored: HOME's .cache */
	setenv("XDG_CACHE_HOME", "relative", 1);
	setenv("HOME", dir, 1);
	p = vpm_fftsim_wisdom_path();
	snprintf(want, sizeof want, "%s/.cache/vpmoire/fftw-wisdom", dir);
	cr_assert_not_null(p);
	cr_assert_str_eq(p, want);
	free(p);
	unsetenv("XDG_CACHE_HOME");
	setenv("HOME", "also-relative", 1);
	cr_assert_null(vpm_fftsim_wisdom_path());
	cr_assert_eq(tu_remove_tmpdir(), 0);
}
