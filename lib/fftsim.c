/* The FFT engine: render the wall as the camera sees it, blur, sample,
 * demosaic, resample, measure (SPEC §3).  See vpmoire/fftsim.h. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "error.h"
#include "fftsim_private.h"
#include "nameset.h"
#include "vpmoire/content.h"
#include "vpmoire/geometry.h"
#include "vpmoire/otf.h"
#include "vpmoire/panel.h"
#include "vpmoire/sensor.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define DEG (M_PI / 180.0)
#define MAX_PSF 32	    /* PSFs per colour for walls at an angle */
#define PSF_STEP_WAVES 0.25 /* defocus step between them */
#define GIB (1024.0 * 1024.0 * 1024.0)

struct vpm_fftsim {
	fft_ctx_t fft;
	/* the supersampled grid (only when the scene is not separable), the
	 * PSF's spectrum (a quarter: it is even in x and y), the folded
	 * spectrum at photosite resolution, the separable scene's profiles */
	double *grid, *pq, *small, *prof;
	fftw_complex *bfull;
	float *scene; /* the unweighted scene, for walls cut into depth slices */
	size_t grid_bytes, pq_bytes, small_bytes, prof_bytes, bfull_bytes, scene_bytes;
	/* PSF */
	fftw_complex *pupil, *crop;
	double *psf;
	size_t pupil_bytes, crop_bytes, psf_bytes;
	/* photosite images */
	double *planes, *mosaic, *rgb;
	size_t planes_bytes, mosaic_bytes, rgb_bytes;
	/* measured channels, recorded image, spectrum */
	double *chan[3];
	size_t chan_bytes[3];
	int chan_n[3];
	double chan_pitch[3];
	double *stage; /* resampling ping-pong pair */
	size_t stage_bytes;
	double *rec;
	size_t rec_bytes;
	double *pad;
	size_t pad_bytes;
	fftw_complex *ext, *out2;
	size_t ext_bytes, out2_bytes;
	double *specbuf;
	size_t specbuf_bytes;
	float *spec;
	size_t spec_bytes;
	double *hx, *hy;
	size_t hx_bytes, hy_bytes;
	meas_list_t list;
	int have_run;
	int n, colours, rec_n;
	vpm_fftsim_result_t res;
};

/* ---------------------------------------------------------------- options */

vpm_fftsim_options_t vpm_fftsim_options_default(void)
{
	vpm_fftsim_options_t o;

	memset(&o, 0, sizeof o);
	o.patch_px = 512;
	o.supersample = 0;
	o.shape = VPM_EMITTER_SQUARE;
	o.layout = VPM_RGB_COINCIDENT;
	o.demosaic = VPM_DEMOSAIC_BILINEAR;
	o.max_memory_bytes = (size_t)4 << 30;
	o.planner = VPM_PLANNER_MEASURE;
	return o;
}

const char *vpm_fftsim_demosaic_name(vpm_demosaic_t method)
{
	return method == VPM_DEMOSAIC_HAMILTON_ADAMS ? "hamilton-adams" : "bilinear";
}

VPM_STATUS_FN(vpm_fftsim_parse_demosaic, (const char *text, vpm_demosaic_t *method), (text, method))
{
	if (text == NULL || method == NULL)
		return vpm_error(VPM_EINVAL, "no demosaic method given");
	if (strcmp(text, "bilinear") == 0)
		*method = VPM_DEMOSAIC_BILINEAR;
	else if (strcmp(text, "hamilton-adams") == 0 || strcmp(text, "ha") == 0 ||
		 strcmp(text, "edge") == 0)
		*method = VPM_DEMOSAIC_HAMILTON_ADAMS;
	else
		return vpm_error(VPM_EPARSE,
				 "'%s' is not a demosaic method: use bilinear or "
				 "hamilton-adams",
				 text);
	return VPM_OK;
}

/* Each choice's names in enum order. */
static const char *const shape_names[] = { "square", "round" };
static const char *const layout_names[] = { "coincident", "row", "delta" };
static const char *const planner_names[] = { "measure", "estimate" };
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The index of `text` among names[0..n-1] (ASCII case-insensitive), else
 * VPM_EPARSE "'TEXT': use a, b or c". */
static vpm_status_t parse_choice(const char *text, const char *const *names, int n, int *out)
{
	char list[128];

	if (text == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no name given");
	if ((*out = vpm_name_index(text, names, n)) >= 0)
		return VPM_OK;
	return vpm_error(VPM_EPARSE, "'%s': use %s", text,
			 vpm_name_list(names, n, list, sizeof list));
}

const char *vpm_fftsim_shape_name(vpm_emitter_shape_t shape)
{
	return shape == VPM_EMITTER_ROUND ? shape_names[1] : shape_names[0];
}

const char *vpm_fftsim_layout_name(vpm_rgb_layout_t layout)
{
	return layout == VPM_RGB_ROW	 ? layout_names[1]
	       : layout == VPM_RGB_DELTA ? layout_names[2]
					 : layout_names[0];
}

VPM_STATUS_FN(vpm_fftsim_parse_shape, (const char *text, vpm_emitter_shape_t *shape), (text, shape))
{
	int i = 0;
	vpm_status_t st = parse_choice(text, shape_names, N_OF(shape_names), &i);

	if (st == VPM_OK)
		*shape = (vpm_emitter_shape_t)i;
	return st;
}

VPM_STATUS_FN(vpm_fftsim_parse_layout, (const char *text, vpm_rgb_layout_t *layout), (text, layout))
{
	int i = 0;
	vpm_status_t st = parse_choice(text, layout_names, N_OF(layout_names), &i);

	if (st == VPM_OK)
		*layout = (vpm_rgb_layout_t)i;
	return st;
}

VPM_STATUS_FN(vpm_fftsim_parse_planner, (const char *text, vpm_planner_t *planner), (text, planner))
{
	int i = 0;
	vpm_status_t st = parse_choice(text, planner_names, N_OF(planner_names), &i);

	if (st == VPM_OK)
		*planner = (vpm_planner_t)i;
	return st;
}

/* ---------------------------------------------------------------- geometry */

/* Everything the renderer needs about the camera and the wall. */
typedef struct {
	double f, N, sf, vf, sw; /* mm; sf may be INFINITY */
	double a;		 /* photosite pitch, mm */
	double cth, sth;	 /* roll */
	double eu[3], ev[3], nn[3];
	double nW0;    /* n · (0, 0, s_w) */
	double cx, cy; /* patch centre on the sensor, mm */
	int tilted;    /* yaw or pitch ≠ 0 */
	double sq;     /* anamorphic squeeze S: sensor x = (camera x)/S (doc/model.md §12) */
} geom_t;

/* Sensor point → wall (u, v) mm, object depth z (lens distance along the
 * axis, mm) and the Jacobian J = ∂(u, v)/∂(x, y).  The chief ray through
 * the lens centre decides where a point images (SPEC §2 step 1). */
static void geom_map(const geom_t *g, double xs, double ys, double *u, double *v, double *z,
		     double J[4])
{
	/* the anamorphic squeeze: a sensor x is S times as much of the scene */
	double xq = g->sq * xs;
	double xc = g->cth * xq + g->sth * ys, yc = -g->sth * xq + g->cth * ys;
	double d[3] = { xc, yc, g->vf };
	double nd = g->nn[0] * d[0] + g->nn[1] * d[1] + g->nn[2] * d[2];
	double tau = g->nW0 / nd;
	double eud = g->eu[0] * d[0] + g->eu[1] * d[1] + g->eu[2] * d[2];
	double evd = g->ev[0] * d[0] + g->ev[1] * d[1] + g->ev[2] * d[2];

	*u = tau * eud - g->sw * g->eu[2];
	*v = tau * evd - g->sw * g->ev[2];
	*z = tau * g->vf;
	if (J != NULL) {
		/* ∂u/∂xc = τ(e_u,x − (e_u·d) n_x/(n·d)), then the roll */
		double uxc = tau * (g->eu[0] - eud * g->nn[0] / nd);
		double uyc = tau * (g->eu[1] - eud * g->nn[1] / nd);
		double vxc = tau * (g->ev[0] - evd * g->nn[0] / nd);
		double vyc = tau * (g->ev[1] - evd * g->nn[1] / nd);
		J[0] = (uxc * g->cth - uyc * g->sth) * g->sq;
		J[1] = uxc * g->sth + uyc * g->cth;
		J[2] = (vxc * g->cth - vyc * g->sth) * g->sq;
		J[3] = vxc * g->sth + vyc * g->cth;
	}
}

/* Signed blur-circle diameter on the sensor (mm) of a wall point at lens
 * distance z: positive beyond the focused distance. */
static double signed_blur(const geom_t *g, double z)
{
	double c = vpm_geometry_blur_mm(g->f, g->N, z, g->sf);

	if (isinf(g->sf))
		return -c;
	return z >= g->sf ? c : -c;
}

static vpm_status_t geom_init(geom_t *g, const vpm_setup_t *s, const vpm_fftsim_options_t *o)
{
	double psi = o->yaw_deg * DEG, chi = o->pitch_deg * DEG, th = s->roll_deg * DEG;
	vpm_status_t st;

	g->f = s->focal_mm;
	g->N = vpm_setup_f_number(s); /* the field model's f-number (T·√τ) */
	g->a = s->photosite_um * 1e-3;
	st = vpm_geometry_focus_object_mm(g->f, s->focus_m * 1000.0, &g->sf);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--focus");
	g->vf = vpm_geometry_image_mm(g->f, g->sf);
	g->sw = vpm_geometry_lens_distance_mm(s->wall_m * 1000.0, g->vf);
	if (!(g->sw > g->f))
		return vpm_error(VPM_EGEOMETRY,
				 "--wall: the wall at %g m is not beyond the focal "
				 "length in front of the lens",
				 s->wall_m);
	g->cth = cos(th);
	g->sth = sin(th);
	/* wall axes: R_y(ψ)·R_x(χ); the top turns away for χ > 0 (y is down),
	 * the right side turns away for ψ > 0 */
	g->eu[0] = cos(psi);
	g->eu[1] = 0.0;
	g->eu[2] = sin(psi);
	g->ev[0] = sin(psi) * sin(chi);
	g->ev[1] = cos(chi);
	g->ev[2] = -cos(psi) * sin(chi);
	g->nn[0] = -sin(psi) * cos(chi);
	g->nn[1] = sin(chi);
	g->nn[2] = cos(psi) * cos(chi);
	g->nW0 = g->sw * g->nn[2];
	g->cx = o->patch_x_px * g->a;
	g->cy = o->patch_y_px * g->a;
	g->tilted = o->yaw_deg != 0.0 || o->pitch_deg != 0.0;
	g->sq = s->squeeze > 0.0 ? s->squeeze : 1.0;
	return VPM_OK;
}

/* ---------------------------------------------------------------- sizes */

typedef struct {
	vpm_fftsim_size_t size;
	double delta;		 /* grid sample pitch, mm */
	int m0;			 /* grid index of photosite 0's centre */
	int i0;			 /* grid index of the patch centre */
	double sig_min, sig_max; /* signed blur range over the grid, mm */
	int n_stage;		 /* resampling stages (0 … 2) */
	int stage_n[2];		 /* patch side after each */
	double lam[3];		 /* wavelength of each colour */
	double lam_min, lam_max;
	int small_n;		 /* grid_n / supersample: the photosite-rate grid */
	double fade_lo, fade_hi; /* the scene fades to its mean between these
				    distances from the patch centre, mm */
	int separable;		 /* the scene is a(x)·b(y): 1-D transforms suffice */
} plan_t;

/* The smallest even n ≥ min with no prime factor above 7. */
static int smooth_even(int min)
{
	return vpm_fft_good_size(min);
}

/* a·b into *out unless it overflows size_t. */
static int mul_ok(size_t a, size_t b, size_t *out)
{
	if (a != 0 && b > SIZE_MAX / a)
		return 0;
	*out = a * b;
	return 1;
}

static int add_ok(size_t *acc, size_t a, size_t b, size_t c)
{
	size_t v;

	if (!mul_ok(a, b, &v) || !mul_ok(v, c, &v) || *acc > SIZE_MAX - v)
		return 0;
	*acc += v;
	return 1;
}

static void blur_range(const geom_t *g, double half_mm, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int c = 0; c < 5; c++) {
		double xs = g->cx + (c == 4 ? 0.0 : (c & 1 ? half_mm : -half_mm));
		double ys = g->cy + (c == 4 ? 0.0 : (c & 2 ? half_mm : -half_mm));
		double u, v, z, sg;
		geom_map(g, xs, ys, &u, &v, &z, NULL);
		sg = signed_blur(g, z);
		*lo = fmin(*lo, sg);
		*hi = fmax(*hi, sg);
	}
}

static vpm_status_t check_options(const vpm_setup_t *s, const vpm_fftsim_options_t *o)
{
	if (!(fabs(o->yaw_deg) < 80.0))
		return vpm_error(VPM_ERANGE, "--yaw: %g degrees is outside (-80, 80)", o->yaw_deg);
	if (!(fabs(o->pitch_deg) < 80.0))
		return vpm_error(VPM_ERANGE, "--pitch-angle: %g degrees is outside (-80, 80)",
				 o->pitch_deg);
	if (o->patch_px < 16 || o->patch_px > VPM_FFTSIM_MAX_PATCH || o->patch_px % 2)
		return vpm_error(VPM_ERANGE,
				 "--patch: %d photosites is not an even number in 16 ... %d",
				 o->patch_px, VPM_FFTSIM_MAX_PATCH);
	if (o->supersample != 0 &&
	    (o->supersample < 2 || o->supersample > VPM_FFTSIM_MAX_SUPERSAMPLE))
		return vpm_error(VPM_ERANGE, "--supersample: %d is outside 2 ... %d",
				 o->supersample, VPM_FFTSIM_MAX_SUPERSAMPLE);
	if (!isfinite(o->patch_x_px) || !isfinite(o->patch_y_px) ||
	    fabs(o->patch_x_px) > 4.0 * s->width_px || fabs(o->patch_y_px) > 4.0 * s->width_px)
		return vpm_error(VPM_ERANGE,
				 "--patch-at: (%g, %g) photosites is too far off the frame",
				 o->patch_x_px, o->patch_y_px);
	if (!(o->chip_spacing_mm >= 0.0) || !isfinite(o->chip_spacing_mm))
		return vpm_error(VPM_EINVAL, "--chip-spacing: %g mm is not a length",
				 o->chip_spacing_mm);
	if (o->chip_spacing_mm > 0.0 && o->layout == VPM_RGB_COINCIDENT)
		return vpm_error(VPM_EINVAL, "--chip-spacing needs --rgb-layout row or delta (the "
					     "chips are coincident)");
	if (!(fabs(o->spherical_waves) <= 50.0))
		return vpm_error(VPM_ERANGE, "--spherical: %g waves is outside [-50, 50]",
				 o->spherical_waves);
	if ((unsigned)o->shape > VPM_EMITTER_ROUND || (unsigned)o->layout > VPM_RGB_DELTA ||
	    (unsigned)o->demosaic > VPM_DEMOSAIC_HAMILTON_ADAMS ||
	    (unsigned)o->planner > VPM_PLANNER_ESTIMATE)
		return vpm_error(VPM_EINVAL,
				 "unknown emitter shape, RGB layout, demosaic or planner");
	if (o->threads < 0 || o->threads > 1024)
		return vpm_error(VPM_ERANGE, "threads: %d is outside 0 ... 1024", o->threads);
	if (o->content != NULL &&
	    (o->content->pixels == NULL || o->content->width < 1 || o->content->height < 1 ||
	     (o->content->channels != 1 && o->content->channels != 3)))
		return vpm_error(VPM_EINVAL, "--content: not an image");
	if (s->cfa != VPM_CFA_BAYER && s->cfa != VPM_CFA_MONO)
		return vpm_error(VPM_EINVAL, "--cfa: unknown colour filter array");
	return VPM_OK;
}

/* The panel lattice with the RGB layout. */
static vpm_status_t make_lattice(const vpm_setup_t *s, const vpm_fftsim_options_t *o,
				 vpm_panel_lattice_t *lat)
{
	double sp = o->chip_spacing_mm > 0.0 ? o->chip_spacing_mm : 1.5 * s->emitter_mm;
	vpm_status_t st;

	*lat = vpm_panel_lattice_neutral(s->pitch_mm, s->emitter_mm);
	if (o->layout == VPM_RGB_ROW) {
		lat->offset_x_mm[VPM_CHANNEL_RED] = -sp;
		lat->offset_x_mm[VPM_CHANNEL_BLUE] = sp;
	} else if (o->layout == VPM_RGB_DELTA) {
		/* equilateral triangle of side sp around the cell centre */
		double h = sp * sqrt(3.0) / 2.0;
		lat->offset_x_mm[VPM_CHANNEL_RED] = -sp / 2.0;
		lat->offset_y_mm[VPM_CHANNEL_RED] = -h / 3.0;
		lat->offset_x_mm[VPM_CHANNEL_LUMA] = sp / 2.0;
		lat->offset_y_mm[VPM_CHANNEL_LUMA] = -h / 3.0;
		lat->offset_y_mm[VPM_CHANNEL_BLUE] = 2.0 * h / 3.0;
	}
	st = vpm_panel_lattice_validate(lat);
	if (st != VPM_OK && o->layout != VPM_RGB_COINCIDENT)
		return vpm_error(st,
				 "--chip-spacing: chips %g mm apart do not fit a %g mm LED cell",
				 sp, s->pitch_mm);
	return st;
}

static vpm_status_t size_sim(const vpm_setup_t *s, const vpm_fftsim_options_t *o, const geom_t *g,
			     plan_t *p)
{
	vpm_fftsim_size_t *z = &p->size;
	double a = g->a, J[4], u, v, zz, led_min_px, sig_abs, half, dw;
	int n = o->patch_px, ss, margin, M, win, fine;
	size_t mem = 0, M_ld, nn, n_out;

	memset(p, 0, sizeof *p);
	z->colours = s->cfa == VPM_CFA_BAYER ? 3 : 1;
	if (z->colours == 3) {
		p->lam[0] = VPM_WAVELENGTH_RED_NM;
		p->lam[1] = VPM_WAVELENGTH_LUMA_NM;
		p->lam[2] = VPM_WAVELENGTH_BLUE_NM;
		p->lam_min = VPM_WAVELENGTH_BLUE_NM;
		p->lam_max = VPM_WAVELENGTH_RED_NM;
	} else {
		p->lam[0] = p->lam_min = p->lam_max = VPM_WAVELENGTH_LUMA_NM;
	}
	geom_map(g, g->cx, g->cy, &u, &v, &zz, J);
	if (!(zz > g->f) || !isfinite(zz))
		return vpm_error(VPM_EGEOMETRY,
				 "the patch centre does not see the wall in front of "
				 "the lens (yaw/pitch too steep)");
	/* LED image pitch along each wall axis, photosites */
	led_min_px = fmin(s->pitch_mm / hypot(J[0], J[1]), s->pitch_mm / hypot(J[2], J[3])) / a;
	if (o->supersample > 0) {
		ss = o->supersample;
	} else {
		double want = 8.0 * fmax(1.0, 1.0 / led_min_px);
		if (want > VPM_FFTSIM_MAX_SUPERSAMPLE)
			return vpm_error(VPM_ERANGE,
					 "the LEDs image %.3g photosites apart: more than "
					 "%d samples per photosite would be needed",
					 led_min_px, VPM_FFTSIM_MAX_SUPERSAMPLE);
		ss = smooth_even((int)ceil(want));
	}
	p->delta = a / ss;
	/* margin: blur radius, diffraction, OLPF, aperture (two passes: the
	 * blur range depends on the grid it is taken over) */
	half = (n / 2 + 8) * a;
	blur_range(g, half, &p->sig_min, &p->sig_max);
	for (int pass = 0; pass < 2; pass++) {
		sig_abs = fmax(fabs(p->sig_min), fabs(p->sig_max));
		/* 32 λN: the Airy tails beyond carry under 1% of the light, so
		 * the seam of the periodic grid stays out of the patch */
		margin = (int)ceil((0.5 * sig_abs + 32.0 * p->lam_max * 1e-6 * g->N +
				    0.5 * s->olpf_um * 1e-3 + 0.5 * s->fill * a) /
				   a) +
			 4;
		half = (n / 2 + margin + 1) * a;
		blur_range(g, half, &p->sig_min, &p->sig_max);
		if (!isfinite(p->sig_min) || !isfinite(p->sig_max))
			return vpm_error(VPM_EGEOMETRY, "part of the patch does not see the wall "
							"(yaw/pitch too steep for this patch)");
	}
	if ((double)(n + 2 * margin) * ss > 1048576.0)
		return vpm_error(VPM_ELIMIT,
				 "--patch %d at %dx supersampling needs a grid of more "
				 "than 2^20 samples a side",
				 n, ss);
	/* the grid is a whole number of photosite cells, so that sampling the
	 * photosite centres is a fold of its spectrum */
	p->small_n = vpm_fft_good_size(n + 2 * margin);
	margin = (p->small_n - n) / 2;
	M = p->small_n * ss;
	p->separable = !g->tilted && s->roll_deg == 0.0 && o->shape == VPM_EMITTER_SQUARE &&
		       o->content == NULL;
	/* the blur range over the whole grid, and every grid corner must see
	 * the wall in front of the lens */
	half = 0.5 * p->small_n * a + a;
	blur_range(g, half, &p->sig_min, &p->sig_max);
	for (int c = 0; c < 4; c++) {
		double xs = g->cx + (c & 1 ? half : -half), ys = g->cy + (c & 2 ? half : -half);
		geom_map(g, xs, ys, &u, &v, &zz, NULL);
		if (!(zz > g->f) || !isfinite(zz) || !isfinite(p->sig_min) || !isfinite(p->sig_max))
			return vpm_error(VPM_EGEOMETRY,
					 "part of the patch does not see the wall in front of the "
					 "lens (yaw/pitch too steep for this patch)");
	}
	sig_abs = fmax(fabs(p->sig_min), fabs(p->sig_max));
	/* The grid is periodic and the wall's pattern does not repeat with
	 * it: at the seam its phase jumps, and PSF tails long enough to wrap
	 * around (small stops) would carry the jump into the patch.  The wall
	 * is therefore exact out to the blur radius plus 8 λN beyond the
	 * patch, and fades to its mean light over the rest of the margin. */
	p->fade_lo = 0.5 * n * a + 0.5 * sig_abs + 8.0 * p->lam_max * 1e-6 * g->N;
	p->fade_hi = 0.5 * p->small_n * a;
	if (p->fade_lo > p->fade_hi - 2.0 * a)
		p->fade_lo = p->fade_hi - 2.0 * a;
	/* PSF window: 2.5 blur diameters plus 256 λN of diffraction tails
	 * (what lies beyond, ≈ 0.2% of an in-focus PSF's energy, wraps around
	 * the window and lifts the OTF below 1/(128 λN) by as much) */
	win = vpm_fft_good_size(
		(int)ceil((2.5 * sig_abs + 256.0 * p->lam_max * 1e-6 * g->N) / p->delta));
	if (win < 32)
		win = 32;
	if (win > M)
		win = M;
	/* the pupil FFT works on a grid fine enough that |PSF|² does not alias */
	fine = (int)ceil(p->delta / (0.45 * p->lam_min * 1e-6 * g->N));
	if (fine < 1)
		fine = 1;
	dw = (p->sig_max - p->sig_min) / (8.0 * g->N * p->lam_min * 1e-6);
	z->n_psf = dw < 1e-9 ? 1 : 1 + (int)ceil(dw / PSF_STEP_WAVES);
	if (z->n_psf > MAX_PSF)
		return vpm_error(VPM_ERANGE,
				 "the wall's depth across the patch spans %.1f waves of "
				 "defocus (more than %d PSFs): use a smaller --patch or "
				 "a smaller yaw/pitch angle",
				 dw, MAX_PSF);
	z->patch_px = n;
	z->margin_px = margin;
	z->supersample = ss;
	z->grid_n = M;
	z->psf_n = win;
	z->psf_fine = fine;
	z->sample_um = p->delta * 1e3;
	p->m0 = margin * ss;
	p->i0 = p->m0 + (n / 2) * ss;
	/* recording and delivery stages (SPEC §2 step 6), on the patch */
	{
		int px = s->width_px, cur = n;
		if (s->recording_px > 0 && s->recording_px < px) {
			p->stage_n[p->n_stage++] = (int)lround((double)n * s->recording_px /
							       s->width_px);
			px = s->recording_px;
		}
		if (s->delivery_px > 0 && s->delivery_px < px)
			p->stage_n[p->n_stage++] = (int)lround((double)n * s->delivery_px /
							       s->width_px);
		for (int i = 0; i < p->n_stage; i++) {
			if (p->stage_n[i] < 16)
				return vpm_error(VPM_ERANGE,
						 "--patch %d leaves only %d recorded pixels "
						 "after resampling: use a larger patch",
						 n, p->stage_n[i]);
			cur = p->stage_n[i];
		}
		z->recorded_px = cur;
	}
	/* memory: every buffer the run allocates, overflow-checked */
	M_ld = (size_t)M * (size_t)(2 * (M / 2 + 1));
	nn = (size_t)n * (size_t)n;
	n_out = (size_t)z->recorded_px;
	{
		size_t h = (size_t)(M / 2 + 1), hs = (size_t)(p->small_n / 2 + 1);
		size_t mf = (size_t)fine * (size_t)win, nmax = (size_t)n;
		int ok = 1;
		if (!p->separable)
			ok = add_ok(&mem, M_ld, 1, sizeof(double)); /* the scene grid */
		if (ok && z->n_psf > 1)
			ok = add_ok(&mem, (size_t)M, (size_t)M,
				    sizeof(float)); /* unweighted scene */
		else
			ok = add_ok(&mem, (size_t)M, 4, sizeof(double)); /* profiles, B */
		ok = ok && add_ok(&mem, h, h, sizeof(double));		 /* PSF spectrum quarter */
		ok = ok && add_ok(&mem, (size_t)p->small_n, 2 * hs, sizeof(double));
		ok = ok && add_ok(&mem, mf * mf, 1, sizeof(fftw_complex));
		ok = ok &&
		     add_ok(&mem, (size_t)win * win, 1, sizeof(fftw_complex) + sizeof(double));
		ok = ok && add_ok(&mem, nn, (size_t)z->colours + 1 + 3, sizeof(double));
		/* measured channels (≤ 1.5 n² before and after stages), a stage
		 * buffer, the recorded image, the padded spectrum */
		for (int i = 0; i < p->n_stage; i++)
			if ((size_t)p->stage_n[i] > nmax)
				nmax = (size_t)p->stage_n[i];
		ok = ok && add_ok(&mem, nmax * nmax, 3, sizeof(double));
		ok = ok && add_ok(&mem, nmax * nmax, 5, sizeof(double));
		ok = ok && add_ok(&mem, (2 * nmax) * (2 * nmax + 2), 1, sizeof(double));
		if (p->n_stage > 0)
			ok = ok && add_ok(&mem, (2 * nmax) * (2 * nmax), 2, sizeof(fftw_complex));
		ok = ok && add_ok(&mem, n_out * (n_out + 2), 1, sizeof(double));
		/* spectrum (float) and the caller's 8- and 16-bit copies */
		ok = ok && add_ok(&mem, n_out * n_out, 3, sizeof(float) + 3);
		ok = ok && add_ok(&mem, (size_t)M, 3, sizeof(double));
		if (!ok)
			return vpm_error(VPM_ELIMIT, "the simulation's size overflows");
		/* FFTW's own scratch for large transforms */
		mem += mem / 16;
	}
	z->memory_bytes = mem;
	return VPM_OK;
}

static vpm_status_t check_setup(const vpm_setup_t *s)
{
	vpm_status_t st;

	if (s == NULL)
		return vpm_error(VPM_EINVAL, "no set-up");
	st = vpm_setup_validate(s);
	if (st != VPM_OK)
		return st;
	if (!isfinite(s->focus_m) && !isinf(s->focus_m))
		return vpm_error(VPM_EINVAL, "--focus is not a distance");
	return VPM_OK;
}

VPM_STATUS_FN(vpm_fftsim_estimate,
	      (const vpm_setup_t *setup, const vpm_fftsim_options_t *opt, vpm_fftsim_size_t *out),
	      (setup, opt, out))
{
	geom_t g;
	plan_t p;
	vpm_panel_lattice_t lat;
	vpm_status_t st;

	if (opt == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no options or output");
	if ((st = check_setup(setup)) != VPM_OK)
		return st;
	if ((st = check_options(setup, opt)) != VPM_OK)
		return st;
	if ((st = make_lattice(setup, opt, &lat)) != VPM_OK)
		return st;
	if ((st = geom_init(&g, setup, opt)) != VPM_OK)
		return st;
	if ((st = size_sim(setup, opt, &g, &p)) != VPM_OK)
		return st;
	*out = p.size;
	return VPM_OK;
}

/* ---------------------------------------------------------------- engine */

vpm_fftsim_t *vpm_fftsim_alloc(void)
{
	vpm_fftsim_t *sim = calloc(1, sizeof *sim);

	if (sim == NULL)
		vpm_error(VPM_ENOMEM, "out of memory");
	return sim;
}

static void free_fftw(void *p)
{
	if (p != NULL)
		fftw_free(p);
}

void vpm_fftsim_free(vpm_fftsim_t *sim)
{
	if (sim == NULL)
		return;
	free_fftw(sim->grid);
	free_fftw(sim->pq);
	free_fftw(sim->small);
	free_fftw(sim->prof);
	free_fftw(sim->bfull);
	free(sim->scene);
	free_fftw(sim->pupil);
	free_fftw(sim->crop);
	free_fftw(sim->pad);
	free_fftw(sim->ext);
	free_fftw(sim->out2);
	free_fftw(sim->specbuf);
	free(sim->psf);
	free(sim->planes);
	free(sim->mosaic);
	free(sim->rgb);
	for (int i = 0; i < 3; i++)
		free(sim->chan[i]);
	free(sim->stage);
	free(sim->rec);
	free(sim->spec);
	free(sim->hx);
	free(sim->hy);
	free(sim->list.c);
	vpm_fft_release(&sim->fft);
	free(sim);
}

/* Make *p hold at least `bytes` (keeping a big enough buffer).  FFT
 * buffers come from fftw_malloc (SIMD alignment). */
static vpm_status_t ensure(void **p, size_t *have, size_t bytes, int fftw)
{
	void *q;

	if (*p != NULL && *have >= bytes)
		return VPM_OK;
	if (fftw)
		free_fftw(*p);
	else
		free(*p);
	*p = NULL;
	*have = 0;
	q = fftw ? fftw_malloc(bytes ? bytes : 1) : malloc(bytes ? bytes : 1);
	if (q == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory (%.2f GiB buffer)", bytes / GIB);
	*p = q;
	*have = bytes;
	return VPM_OK;
}

#define ENSURE(field, bytes, fftw) \
	ensure((void **)&sim->field, &sim->field##_bytes, (bytes), (fftw))

/* ---------------------------------------------------------------- rendering */

typedef struct {
	const geom_t *g;
	const plan_t *p;
	const vpm_panel_lattice_t *lat;
	const vpm_fftsim_options_t *o;
	int M, ld;
	vpm_channel_t lch;   /* lattice channel of the colour */
	int colour;	     /* 0 red, 1 green, 2 blue; −1 mono (luminance) */
	double norm;	     /* 1 / (emitting fraction of the cell): white = 1 */
	double node0, dnode; /* PSF nodes in signed blur (mm) */
	int n_psf, k;
} render_t;

static double content_value(const vpm_image_t *img, int colour, long iL, long jL)
{
	long x = iL + img->width / 2, y = jL + img->height / 2;
	const float *px;

	if (x < 0)
		x = 0;
	if (x >= img->width)
		x = img->width - 1;
	if (y < 0)
		y = 0;
	if (y >= img->height)
		y = img->height - 1;
	px = img->pixels + ((size_t)y * (size_t)img->width + (size_t)x) * (size_t)img->channels;
	if (img->channels == 1)
		return px[0];
	if (colour < 0) /* mono sensor: Rec. 709 luminance */
		return 0.2126 * px[0] + 0.7152 * px[1] + 0.0722 * px[2];
	return px[colour];
}

/* Area of the clamped ramp min(1, (r2 − r)/b) over the plane: the disc of
 * radius R convolved (to first order) with a footprint of width b. */
static double ramp_area(double R, double b)
{
	double r2 = R + 0.5 * b, r1 = fmax(0.0, r2 - b);

	return M_PI * r1 * r1 + (2.0 * M_PI / b) * (0.5 * r2 * (r2 * r2 - r1 * r1) -
						    (r2 * r2 * r2 - r1 * r1 * r1) / 3.0);
}

/* Weight of the exact wall at distance d (mm, one axis) from the patch
 * centre: 1 inside fade_lo, a raised cosine to 0 at the grid's edge. */
static double fade(const plan_t *p, double d)
{
	d = fabs(d);
	if (d <= p->fade_lo)
		return 1.0;
	if (d >= p->fade_hi)
		return 0.0;
	return 0.5 * (1.0 + cos(M_PI * (d - p->fade_lo) / (p->fade_hi - p->fade_lo)));
}

static double hat(double x)
{
	x = fabs(x);
	return x < 1.0 ? 1.0 - x : 0.0;
}

/* The anti-aliasing prefilter.  A grid sample is the emitter pattern
 * averaged with a tent of half-width b (a box of width b convolved with
 * itself) around the sample's point on the wall, per wall axis.  A plain
 * box (exact area coverage) falls off only as sinc(ν·Δ): LED harmonics near
 * the grid's sampling frequency 1/Δ then fold to low frequencies with
 * almost their full amplitude (2% of the moiré for the reference stage at 8
 * samples per photosite); the tent's sinc² response suppresses them
 * quadratically.  Its in-band response sinc²(ν·Δ) per axis is divided out
 * in the frequency domain (hx, hy), so the band the grid holds is flat.
 *
 * G is the second antiderivative of the indicator of [−e/2, e/2]; the
 * tent-filtered indicator at x is the second difference
 * (G(x + b) − 2G(x) + G(x − b))/b². */
/* floor(x + 0.5) without a libm call (|x| well inside the long range). */
static inline double round_half_up(double x)
{
	double t = x + 0.5;
	long k = (long)t;

	return (double)(k - ((double)k > t));
}

static inline double g2(double x, double e)
{
	double h = 0.5 * e, t;

	if (x <= -h)
		return 0.0;
	if (x >= h)
		return 0.5 * e * e + e * (x - h);
	t = x + h;
	return 0.5 * t * t;
}

/* Tent-filtered emitters of a lattice along one axis, at offset d from an
 * emitter centre (pitch p, emitter e, tent half-width b): the sum over
 * every emitter the tent reaches. */
static inline double tent_cover(double d, double p, double e, double b)
{
	double sum = 0.0, r = b + 0.5 * e;
	int reach;

	d -= p * round_half_up(d / p);
	if (r < 0.5 * p) /* only the nearest emitter is within reach */
		return fabs(d) < r ? (g2(d + b, e) - 2.0 * g2(d, e) + g2(d - b, e)) / (b * b) : 0.0;
	reach = (int)ceil(r / p);
	for (int n = -reach; n <= reach; n++) {
		double x = d - n * p;
		if (fabs(x) < b + 0.5 * e)
			sum += g2(x + b, e) - 2.0 * g2(x, e) + g2(x - b, e);
	}
	return sum / (b * b);
}

/* The anamorphic lens's PSF from the spherical one (doc/model.md §12):
 * PSF_S(x, y) = S·PSF_1(S·x, y), the image compressed by S across.  Row by
 * row, linear interpolation on the PSF grid (centre at win/2), then the
 * sum (the OTF at zero frequency) restored. */
static vpm_status_t psf_squeeze(double *psf, int win, double sq)
{
	double *row = malloc((size_t)win * sizeof *row), sum0 = 0.0, sum1 = 0.0;
	int c = win / 2;

	if (row == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	for (size_t i = 0; i < (size_t)win * (size_t)win; i++)
		sum0 += psf[i];
	for (int y = 0; y < win; y++) {
		double *p = psf + (size_t)y * (size_t)win;

		memcpy(row, p, (size_t)win * sizeof *row);
		for (int x = 0; x < win; x++) {
			double t = c + sq * (x - c), f;
			int i0 = (int)floor(t);

			f = t - i0;
			if (i0 >= 0 && i0 + 1 < win)
				p[x] = (1.0 - f) * row[i0] + f * row[i0 + 1];
			else if (i0 >= 0 && i0 < win && f == 0.0)
				p[x] = row[i0];
			else
				p[x] = 0.0;
			sum1 += p[x];
		}
	}
	if (sum1 > 0.0)
		for (size_t i = 0; i < (size_t)win * (size_t)win; i++)
			psf[i] *= sum0 / sum1;
	free(row);
	return VPM_OK;
}

/* The wall with no tilt and no roll, square emitters: the area coverage
 * of the sample footprint is a product of two 1-D coverages. */
static vpm_status_t render_separable(const render_t *r, double *grid)
{
	const geom_t *g = r->g;
	const plan_t *p = r->p;
	const vpm_panel_lattice_t *lat = r->lat;
	int M = r->M, ld = r->ld;
	double m = g->vf / g->sw, b = p->delta / m, e = lat->emitter_mm[r->lch];
	double bx = b * g->sq; /* the squeeze: a sample spans S times the wall across */
	double ox = lat->offset_x_mm[r->lch], oy = lat->offset_y_mm[r->lch];
	double *cu = malloc((size_t)M * sizeof *cu), *cv = malloc((size_t)M * sizeof *cv);
	double *wu = malloc((size_t)M * sizeof *wu), eb = e / lat->pitch_mm;
	long *iu = malloc((size_t)M * sizeof *iu), *iv = malloc((size_t)M * sizeof *iv);

	if (!cu || !cv || !wu || !iu || !iv) {
		free(cu);
		free(cv);
		free(wu);
		free(iu);
		free(iv);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	for (int i = 0; i < M; i++) {
		double xs = g->cx + (i - p->i0) * p->delta, ys = g->cy + (i - p->i0) * p->delta;
		double u = xs * g->sq / m, v = ys / m;
		cu[i] = tent_cover(u - ox, lat->pitch_mm, e, bx);
		cv[i] = tent_cover(v - oy, lat->pitch_mm, e, b);
		wu[i] = fade(p, (i - p->i0) * p->delta);
		iu[i] = lround((u - ox) / lat->pitch_mm);
		iv[i] = lround((v - oy) / lat->pitch_mm);
	}
	VPM_OMP_FOR
	for (int j = 0; j < M; j++) {
		double *row = grid + (size_t)j * ld;
		/* each axis fades to its mean, e/p (see scene_profiles) */
		double by = wu[j] * cv[j] + (1.0 - wu[j]) * eb;
		for (int i = 0; i < M; i++) {
			double level = r->o->content == NULL
					       ? 1.0
					       : content_value(r->o->content, r->colour, iu[i],
							       iv[j]);
			row[i] = r->norm * (wu[i] * cu[i] + (1.0 - wu[i]) * eb) * by * level;
		}
		for (int i = M; i < ld; i++)
			row[i] = 0.0;
	}
	free(cu);
	free(cv);
	free(wu);
	free(iu);
	free(iv);
	return VPM_OK;
}

/* The footprint of one grid sample on the wall, as a wall-aligned box
 * (bu, bv) of the same area, from the Jacobian at a sensor point. */
static void footprint(const geom_t *g, double delta, double xs, double ys, double *bu, double *bv)
{
	double u, v, z, J[4], su, sv, kap;

	geom_map(g, xs, ys, &u, &v, &z, J);
	su = fabs(J[0]) + fabs(J[1]);
	sv = fabs(J[2]) + fabs(J[3]);
	kap = sqrt(fabs(J[0] * J[3] - J[1] * J[2]) / (su * sv));
	*bu = delta * su * kap;
	*bv = delta * sv * kap;
}

#define RENDER_BLOCK 32 /* columns sharing one footprint */

/* Any geometry: each sample maps through the wall homography (computed
 * incrementally along a row: the ray direction is linear in the column, so
 * n·d, e_u·d, e_v·d and the signed blur, affine in 1/z, are too); its
 * footprint on the wall, taken once per block of columns, is a wall-aligned
 * box of the same area, and the anti-aliasing tent is built on it per wall
 * axis (exact for square emitters; a first-order ramp for round ones). */
static vpm_status_t render_general(const render_t *r, double *grid, float *scene)
{
	const geom_t *g = r->g;
	const plan_t *p = r->p;
	const vpm_panel_lattice_t *lat = r->lat;
	int M = r->M, ld = r->ld;
	double pitch = lat->pitch_mm, e = lat->emitter_mm[r->lch];
	double ox = lat->offset_x_mm[r->lch], oy = lat->offset_y_mm[r->lch];
	int round_shape = r->o->shape == VPM_EMITTER_ROUND;
	double R = 0.5 * e, node = r->node0 + r->k * r->dnode, eb = e / pitch;
	const double *nn = g->nn, *eu = g->eu, *ev = g->ev;
	/* signed blur σ = c0 + c1/z (thin lens, section 1 of the SPEC) */
	double f2n = g->f * g->f / g->N;
	double c0 = isinf(g->sf) ? 0.0 : f2n / (g->sf - g->f);
	double c1 = isinf(g->sf) ? -f2n : -f2n * g->sf / (g->sf - g->f);

	VPM_OMP_FOR
	for (int j = 0; j < M; j++) {
		double *row = grid + (size_t)j * ld;
		double ys = g->cy + (j - p->i0) * p->delta, xs0 = g->cx - p->i0 * p->delta;
		/* d'(i) = (xc, yc, v_f) with xc, yc linear in i */
		double xc0 = g->cth * xs0 + g->sth * ys, yc0 = -g->sth * xs0 + g->cth * ys;
		double dxc = g->cth * p->delta, dyc = -g->sth * p->delta;
		double nd0 = nn[0] * xc0 + nn[1] * yc0 + nn[2] * g->vf,
		       ndd = nn[0] * dxc + nn[1] * dyc;
		double eu0 = eu[0] * xc0 + eu[1] * yc0 + eu[2] * g->vf,
		       eud = eu[0] * dxc + eu[1] * dyc;
		double ev0 = ev[0] * xc0 + ev[1] * yc0 + ev[2] * g->vf,
		       evd = ev[0] * dxc + ev[1] * dyc;
		/* 1/z = (n·d')/(n·W0·v_f) */
		double iz = 1.0 / (g->nW0 * g->vf), wy = fade(p, (j - p->i0) * p->delta);

		for (int i0 = 0; i0 < M; i0 += RENDER_BLOCK) {
			int i1 = i0 + RENDER_BLOCK < M ? i0 + RENDER_BLOCK : M;
			double bu, bv, b, ramp = 1.0;

			footprint(g, p->delta, xs0 + (0.5 * (i0 + i1)) * p->delta, ys, &bu, &bv);
			b = sqrt(bu * bv);
			if (round_shape)
				ramp = M_PI * R * R / ramp_area(R, b); /* keeps each LED's flux */
			for (int i = i0; i < i1; i++) {
				double nd = nd0 + i * ndd;
				double tau = g->nW0 / nd;
				double u = tau * (eu0 + i * eud) - g->sw * eu[2];
				double v = tau * (ev0 + i * evd) - g->sw * ev[2];
				double cov, cu = 0.0, cv = 0.0, w = 1.0;

				if (r->n_psf > 1 && scene == NULL) {
					double sig = c0 + c1 * nd * iz;
					w = hat((sig - node) / r->dnode);
					if (w == 0.0) {
						row[i] = 0.0;
						continue;
					}
				}
				if (round_shape) {
					double dx = u - ox, dy = v - oy, rr;
					dx -= pitch * round_half_up(dx / pitch);
					dy -= pitch * round_half_up(dy / pitch);
					rr = sqrt(dx * dx + dy * dy);
					cov = (R + 0.5 * b - rr) / b;
					cov = cov <= 0.0 ? 0.0 : cov >= 1.0 ? ramp : cov * ramp;
				} else {
					cu = tent_cover(u - ox, pitch, e, bu);
					cv = tent_cover(v - oy, pitch, e, bv);
					cov = cu * cv;
				}
				{
					double level =
						r->o->content == NULL
							? 1.0
							: content_value(r->o->content, r->colour,
									lround((u - ox) / pitch),
									lround((v - oy) / pitch));
					double wx = fade(p, (i - p->i0) * p->delta);
					if (round_shape)
						cov = wx * wy * cov * r->norm + (1.0 - wx * wy);
					else
						cov = r->norm * (wx * cu + (1.0 - wx) * eb) *
						      (wy * cv + (1.0 - wy) * eb);
					cov *= level;
				}
				if (scene != NULL)
					scene[(size_t)j * M + i] = (float)cov;
				else
					row[i] = cov * w;
			}
		}
		if (scene == NULL)
			for (int i = M; i < ld; i++)
				row[i] = 0.0;
	}
	return VPM_OK;
}

/* Depth slice k of a rendered scene: each sample times its hat weight
 * around PSF node k (the weights of all slices sum to 1). */
static void slice_weights(const render_t *r, const float *scene, double *grid)
{
	const geom_t *g = r->g;
	const plan_t *p = r->p;
	int M = r->M, ld = r->ld;
	double node = r->node0 + r->k * r->dnode, f2n = g->f * g->f / g->N;
	double c0 = isinf(g->sf) ? 0.0 : f2n / (g->sf - g->f);
	double c1 = isinf(g->sf) ? -f2n : -f2n * g->sf / (g->sf - g->f);
	const double *nn = g->nn;

	VPM_OMP_FOR
	for (int j = 0; j < M; j++) {
		double *row = grid + (size_t)j * ld;
		const float *srow = scene + (size_t)j * M;
		double ys = g->cy + (j - p->i0) * p->delta, xs0 = g->cx - p->i0 * p->delta;
		double xc0 = g->cth * xs0 + g->sth * ys, yc0 = -g->sth * xs0 + g->cth * ys;
		double nd0 = nn[0] * xc0 + nn[1] * yc0 + nn[2] * g->vf;
		double ndd = nn[0] * g->cth * p->delta - nn[1] * g->sth * p->delta;
		double iz = 1.0 / (g->nW0 * g->vf);

		for (int i = 0; i < M; i++) {
			double sig = c0 + c1 * (nd0 + i * ndd) * iz;
			row[i] = srow[i] == 0.0f ? 0.0 : srow[i] * hat((sig - node) / r->dnode);
		}
		for (int i = M; i < ld; i++)
			row[i] = 0.0;
	}
}

/* The separable scene a(x)·b(y) (a white wall square to the camera, not
 * rolled, square emitters): its two profiles, each the exact area coverage
 * of the sample footprints. */
static vpm_status_t scene_profiles(const render_t *r, double *ax, double *by)
{
	const geom_t *g = r->g;
	const plan_t *p = r->p;
	const vpm_panel_lattice_t *lat = r->lat;
	double m = g->vf / g->sw, b = p->delta / m, e = lat->emitter_mm[r->lch];
	double ox = lat->offset_x_mm[r->lch], oy = lat->offset_y_mm[r->lch];

	for (int i = 0; i < r->M; i++) {
		double u = (g->cx + (i - p->i0) * p->delta) * g->sq / m;
		double v = (g->cy + (i - p->i0) * p->delta) / m;
		/* each profile fades to its own mean (a: norm·e/p, b: e/p; their
		 * product, the white wall's mean, is 1) */
		double wx = fade(p, (i - p->i0) * p->delta);
		ax[i] = r->norm * (wx * tent_cover(u - ox, lat->pitch_mm, e, b * g->sq) +
				   (1.0 - wx) * e / lat->pitch_mm);
		by[i] = wx * tent_cover(v - oy, lat->pitch_mm, e, b) +
			(1.0 - wx) * e / lat->pitch_mm;
	}
	return VPM_OK;
}

/* One colour's spectrum product, folded onto the photosite-rate grid.
 * Sampling the blurred image at every ss-th grid sample is the inverse DFT
 * of its spectrum summed over the bins congruent modulo Ms = M/ss; the
 * stored half-spectrum (kx ≤ M/2) stands for its mirror (−kx, −ky) too. */
typedef struct {
	int M, Ms;
	const fftw_complex *s;	   /* the scene's r2c spectrum (M × (M/2 + 1)), or */
	const fftw_complex *a, *b; /* its separable factors A(kx)·hx(kx), B(ky)·hy(ky) */
	const double *pq;	   /* PSF spectrum quarter, (M/2 + 1)² */
	const double *hx, *hy;	   /* OLPF × aperture (× 1/M²), for the 2-D scene */
	fftw_complex *small;	   /* Ms × (Ms/2 + 1), accumulated */
} fold_t;

/* Add bins kx = k0 … k0 + len − 1 of row ky into trow[t0 + j] (dir = +1)
 * or, conjugated, into trow[t0 − j] (dir = −1). */
static inline void fold_run(const fold_t *f, int ky, int k0, int len, fftw_complex *trow, int t0,
			    int dir)
{
	int M = f->M, h = M / 2 + 1, py = ky <= M / 2 ? ky : M - ky;
	const double *prow = f->pq + (size_t)py * h + k0;
	double cs = dir > 0 ? 1.0 : -1.0;

	if (f->s == NULL) {
		const double *A = (const double *)(f->a + k0);
		double br = f->b[ky][0], bi = f->b[ky][1];
		for (int j = 0; j < len; j++) {
			double ar = A[2 * j], ai = A[2 * j + 1], w = prow[j];
			double *o = trow[t0 + dir * j];
			o[0] += (ar * br - ai * bi) * w;
			o[1] += cs * (ar * bi + ai * br) * w;
		}
	} else {
		const double *S = (const double *)(f->s + (size_t)ky * h + k0);
		const double *hx = f->hx + k0;
		double hy = f->hy[ky];
		for (int j = 0; j < len; j++) {
			double w = prow[j] * hx[j] * hy;
			double *o = trow[t0 + dir * j];
			o[0] += S[2 * j] * w;
			o[1] += cs * S[2 * j + 1] * w;
		}
	}
}

static void fold_product(const fold_t *f)
{
	int M = f->M, Ms = f->Ms, h = M / 2 + 1, hs = Ms / 2 + 1, half = Ms / 2;

	/* each thread owns whole target rows: no two write the same bin */
	VPM_OMP_FOR
	for (int ty = 0; ty < Ms; ty++) {
		fftw_complex *trow = f->small + (size_t)ty * hs;
		/* the stored bins with ky ≡ ty land at (kx mod Ms, ty) */
		for (int ky = ty; ky < M; ky += Ms)
			for (int base = 0; base < h; base += Ms) {
				int len = half + 1 < h - base ? half + 1 : h - base;
				fold_run(f, ky, base, len, trow, 0, +1);
			}
		/* their mirrors (−kx, −ky), 0 < kx < M/2, land at
		 * (−kx mod Ms, −ky mod Ms): rows with ky ≡ −ty; within a block
		 * of Ms bins, t ∈ [Ms/2, Ms) goes to Ms − t and t = 0 to 0 */
		for (int ky = (Ms - ty) % Ms; ky < M; ky += Ms)
			for (int base = 0; base < h; base += Ms) {
				int k0 = base + half, k1 = base + Ms - 1; /* inclusive */
				if (base > 0 && base < M / 2)
					fold_run(f, ky, base, 1, trow, 0, -1);
				if (k1 > M / 2 - 1)
					k1 = M / 2 - 1;
				if (k0 <= k1)
					fold_run(f, ky, k0, k1 - k0 + 1, trow, Ms - half, -1);
			}
	}
}

/* ---------------------------------------------------------------- the run */

static vpm_status_t run(vpm_fftsim_t *sim, const vpm_setup_t *s, const vpm_fftsim_options_t *o,
			vpm_fftsim_result_t *out)
{
	double t_start = vpm_fft_now();
	geom_t g;
	plan_t p;
	vpm_panel_lattice_t lat;
	vpm_fftsim_result_t res;
	vpm_status_t st;
	int M, ld, n, hw, win, K, colours, Ms, hs, ldp;
	double a;
	fft_entry_t *scene = NULL, *dct = NULL, *back = NULL;
	vpm_model_choice_t mc_choice;

	if ((st = check_setup(s)) != VPM_OK)
		return st;
	if ((st = vpm_setup_model(s, &mc_choice)) != VPM_OK)
		return st;
	if ((st = check_options(s, o)) != VPM_OK)
		return st;
	if ((st = make_lattice(s, o, &lat)) != VPM_OK)
		return st;
	if ((st = geom_init(&g, s, o)) != VPM_OK)
		return st;
	if ((st = size_sim(s, o, &g, &p)) != VPM_OK)
		return st;
	if (p.size.memory_bytes > o->max_memory_bytes)
		return vpm_error(VPM_ELIMIT,
				 "the simulation needs %.2f GiB (an FFT grid of %d x %d samples: %d "
				 "photosites plus %d each side, %dx supersampled), more than the "
				 "%.2f GiB allowed",
				 p.size.memory_bytes / GIB, p.size.grid_n, p.size.grid_n,
				 p.size.patch_px, p.size.margin_px, p.size.supersample,
				 o->max_memory_bytes / GIB);
	sim->have_run = 0;
	memset(&res, 0, sizeof res);
	res.size = p.size;
	M = p.size.grid_n;
	hw = M / 2 + 1;
	ld = 2 * hw;
	n = p.size.patch_px;
	win = p.size.psf_n;
	K = p.size.n_psf;
	colours = p.size.colours;
	a = g.a;
	vpm_fft_set_options(&sim->fft, o->planner, o->threads, o->wisdom_path);
	vpm_fft_reset_counts(&sim->fft);

	Ms = p.small_n;
	hs = Ms / 2 + 1;
	ldp = (ld + 7) / 8 * 8; /* keeps the second profile as aligned as the first */
	if ((!p.separable &&
	     (st = ENSURE(grid, (size_t)M * (size_t)ld * sizeof(double), 1)) != VPM_OK) ||
	    (p.separable && (st = ENSURE(prof, (size_t)2 * ldp * sizeof(double), 1)) != VPM_OK) ||
	    (p.separable && (st = ENSURE(bfull, (size_t)M * sizeof(fftw_complex), 0)) != VPM_OK) ||
	    (K > 1 && (st = ENSURE(scene, (size_t)M * (size_t)M * sizeof(float), 0)) != VPM_OK) ||
	    (st = ENSURE(pq, (size_t)hw * (size_t)hw * sizeof(double), 1)) != VPM_OK ||
	    (st = ENSURE(small, (size_t)Ms * (size_t)(2 * hs) * sizeof(double), 1)) != VPM_OK ||
	    (st = ENSURE(pupil,
			 (size_t)p.size.psf_fine * win * p.size.psf_fine * win *
				 sizeof(fftw_complex),
			 1)) != VPM_OK ||
	    (st = ENSURE(crop, (size_t)win * win * sizeof(fftw_complex), 1)) != VPM_OK ||
	    (st = ENSURE(psf, (size_t)win * win * sizeof(double), 0)) != VPM_OK ||
	    (st = ENSURE(planes, (size_t)colours * n * n * sizeof(double), 0)) != VPM_OK ||
	    (st = ENSURE(mosaic, (size_t)n * n * sizeof(double), 0)) != VPM_OK ||
	    (st = ENSURE(rgb, (size_t)n * n * 3 * sizeof(double), 0)) != VPM_OK ||
	    (st = ENSURE(hx, (size_t)hw * sizeof(double), 0)) != VPM_OK ||
	    (st = ENSURE(hy, (size_t)M * sizeof(double), 0)) != VPM_OK)
		return st;
	/* plan before anything is written: FFTW_MEASURE overwrites arrays */
	if ((!p.separable &&
	     (st = vpm_fft_plan(&sim->fft, FFT_R2C, M, M, sim->grid, &scene)) != VPM_OK) ||
	    (p.separable &&
	     (st = vpm_fft_plan(&sim->fft, FFT_R2C_1D, M, 1, sim->prof, &scene)) != VPM_OK) ||
	    (st = vpm_fft_plan(&sim->fft, FFT_DCT1, hw, hw, sim->pq, &dct)) != VPM_OK ||
	    (st = vpm_fft_plan(&sim->fft, FFT_C2R, Ms, Ms, sim->small, &back)) != VPM_OK)
		return st;

	/* OLPF (signed: the four spots' transform) × photosite aperture, per
	 * axis, on the grid's frequencies, divided by the render tent's
	 * sinc²(ν·Δ) (≥ 0.405 up to the grid Nyquist); with the 1/M² of the
	 * round trip */
	{
		double dnu = 1.0 / (M * p.delta), d = s->olpf_um * 1e-3, ap = s->fill * a;
		double scale = 1.0 / ((double)M * (double)M);
		for (int k = 0; k < hw; k++) {
			double nu = k * dnu, t = vpm_otf_sinc(nu * p.delta);
			sim->hx[k] = cos(M_PI * d * nu) * vpm_otf_sinc(ap * nu) / (t * t) * scale;
		}
		for (int k = 0; k < M; k++) {
			double nu = (k < (M + 1) / 2 ? k : k - M) * dnu,
			       t = vpm_otf_sinc(nu * p.delta);
			sim->hy[k] = cos(M_PI * d * nu) * vpm_otf_sinc(ap * nu) / (t * t);
		}
	}

	for (int c = 0; c < colours; c++) {
		render_t r;
		fold_t fo;
		double lam = p.lam[c];
		double node0 = p.sig_min, dnode = K > 1 ? (p.sig_max - p.sig_min) / (K - 1) : 1.0;

		memset(&r, 0, sizeof r);
		r.g = &g;
		r.p = &p;
		r.lat = &lat;
		r.o = o;
		r.M = M;
		r.ld = ld;
		r.colour = colours == 1 ? -1 : c;
		r.lch = colours == 1 ? VPM_CHANNEL_LUMA
				     : (c == 0	 ? VPM_CHANNEL_RED
					: c == 1 ? VPM_CHANNEL_LUMA
						 : VPM_CHANNEL_BLUE);
		/* white balance: a white wall reads 1 in every colour */
		r.norm = 1.0 /
			 (o->shape == VPM_EMITTER_ROUND
				  ? M_PI * 0.25 * lat.emitter_mm[r.lch] * lat.emitter_mm[r.lch] /
					    (lat.pitch_mm * lat.pitch_mm)
				  : vpm_panel_fill_fraction(&lat, r.lch));
		r.n_psf = K;
		r.node0 = node0;
		r.dnode = dnode;
		memset(&fo, 0, sizeof fo);
		fo.M = M;
		fo.Ms = Ms;
		fo.pq = sim->pq;
		fo.hx = sim->hx;
		fo.hy = sim->hy;
		fo.small = (fftw_complex *)sim->small;
		memset(sim->small, 0, (size_t)Ms * (size_t)(2 * hs) * sizeof(double));
		for (int k = 0; k < K; k++) {
			double sig = K > 1 ? node0 + k * dnode : 0.5 * (p.sig_min + p.sig_max);
			double w020 = sig / (8.0 * g.N * lam * 1e-6);
			double w040 = o->spherical_waves * VPM_WAVELENGTH_LUMA_NM / lam;

			r.k = k;
			/* the scene's spectrum */
			if (p.separable) {
				st = scene_profiles(&r, sim->prof, sim->prof + ldp);
				if (st != VPM_OK)
					return st;
				vpm_fft_exec(&sim->fft, scene, sim->prof);
				vpm_fft_exec(&sim->fft, scene, sim->prof + ldp);
				{
					/* b is real: B(−k) = conj B(k); fold the OLPF and
					 * aperture factors into A and B */
					const fftw_complex *bh = (const fftw_complex *)(sim->prof +
											ldp);
					fftw_complex *ah = (fftw_complex *)sim->prof;
					for (int ky = 0; ky < M; ky++) {
						int kk = ky <= M / 2 ? ky : M - ky;
						sim->bfull[ky][0] = bh[kk][0] * sim->hy[ky];
						sim->bfull[ky][1] = (ky <= M / 2 ? bh[kk][1]
										 : -bh[kk][1]) *
								    sim->hy[ky];
					}
					for (int kx = 0; kx < hw; kx++) {
						ah[kx][0] *= sim->hx[kx];
						ah[kx][1] *= sim->hx[kx];
					}
				}
				fo.a = (const fftw_complex *)sim->prof;
				fo.b = (const fftw_complex *)sim->bfull;
			} else {
				if (K > 1) {
					/* render once (per colour, or once for all when the
					 * three chips coincide on a white wall: the same
					 * scene), weight per depth slice */
					int same = o->layout == VPM_RGB_COINCIDENT &&
						   o->content == NULL;
					if (k == 0 && (c == 0 || !same) &&
					    (st = render_general(&r, NULL, sim->scene)) != VPM_OK)
						return st;
					slice_weights(&r, sim->scene, sim->grid);
				} else if (!g.tilted && s->roll_deg == 0.0 &&
					   o->shape == VPM_EMITTER_SQUARE) {
					st = render_separable(&r, sim->grid);
				} else {
					st = render_general(&r, sim->grid, NULL);
				}
				if (st != VPM_OK)
					return st;
				vpm_fft_exec(&sim->fft, scene, sim->grid);
				fo.s = (const fftw_complex *)sim->grid;
			}
			/* the PSF's spectrum: the PSF is even in x and y, so the DFT
			 * of the M × M grid is the DCT-I of its (M/2 + 1)² quarter */
			st = vpm_fftsim_psf(&sim->fft, win, p.size.psf_fine, p.delta, lam, g.N,
					    w020, w040, mc_choice.pupil_edge, sim->pupil, sim->crop,
					    sim->psf);
			if (st != VPM_OK)
				return st;
			if (g.sq != 1.0 && (st = psf_squeeze(sim->psf, win, g.sq)) != VPM_OK)
				return st;
			memset(sim->pq, 0, (size_t)hw * (size_t)hw * sizeof(double));
			for (int y = 0; y <= win / 2 && y < hw; y++)
				for (int x = 0; x <= win / 2 && x < hw; x++)
					sim->pq[(size_t)y * hw + x] =
						sim->psf[(size_t)(win / 2 - y) * win +
							 (size_t)(win / 2 - x)];
			vpm_fft_exec(&sim->fft, dct, sim->pq);
			/* multiply and fold onto the photosite-rate grid (adds up
			 * the K depth slices of a wall at an angle) */
			fold_product(&fo);
		}
		vpm_fft_exec(&sim->fft, back, sim->small);
		{
			double *plane = sim->planes + (size_t)c * n * n;
			int mg = p.size.margin_px;
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++)
					plane[(size_t)y * n + x] =
						sim->small[(size_t)(mg + y) * (size_t)(2 * hs) +
							   (size_t)(mg + x)];
		}
	}

	/* the CFA: RGGB, white-balanced (each colour already reads 1 on white) */
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++) {
			int col = colours == 1 ? 0
					       : ((y & 1) == 0 ? ((x & 1) == 0 ? 0 : 1)
							       : ((x & 1) == 0 ? 1 : 2));
			sim->mosaic[(size_t)y * n + x] = sim->planes[((size_t)col * n + y) * n + x];
		}
	if (colours == 3) {
		vpm_fftsim_demosaic(sim->mosaic, n, o->demosaic, sim->rgb);
	} else {
		for (size_t i = 0; i < (size_t)n * n; i++)
			sim->rgb[3 * i] = sim->rgb[3 * i + 1] = sim->rgb[3 * i + 2] =
				sim->mosaic[i];
	}

	/* channels as measured (luma: full mosaic; red, blue: sub-lattices),
	 * then recording and delivery; the recorded RGB image likewise */
	{
		int nmax = n, nout = p.size.recorded_px;
		double P_eff[2];
		vpm_channel_t chs[3] = { VPM_CHANNEL_LUMA, VPM_CHANNEL_RED, VPM_CHANNEL_BLUE };
		int nch = colours == 3 ? 3 : 1;

		for (int i = 0; i < p.n_stage; i++) {
			if (p.stage_n[i] > nmax)
				nmax = p.stage_n[i];
			P_eff[i] = n * a / p.stage_n[i];
		}
		if ((st = ENSURE(stage, (size_t)2 * nmax * nmax * sizeof(double), 0)) != VPM_OK ||
		    (st = ENSURE(pad, (size_t)(2 * nmax) * (2 * nmax + 2) * sizeof(double), 1)) !=
			    VPM_OK ||
		    (st = ENSURE(rec, (size_t)nout * nout * 3 * sizeof(double), 0)) != VPM_OK ||
		    (st = ENSURE(specbuf, (size_t)nout * (nout + 2) * sizeof(double), 1)) !=
			    VPM_OK ||
		    (st = ENSURE(spec, (size_t)nout * nout * 3 * sizeof(float), 0)) != VPM_OK)
			return st;
		if (p.n_stage > 0 &&
		    ((st = ENSURE(ext, (size_t)(2 * n) * (2 * n) * sizeof(fftw_complex), 1)) !=
			     VPM_OK ||
		     (st = ENSURE(out2, (size_t)(2 * nmax) * (2 * nmax) * sizeof(fftw_complex),
				  1)) != VPM_OK))
			return st;
		/* 2 + 1 measured channels, then 3 recorded colours, each through
		 * the stages in a ping-pong pair of planes */
		for (int job = 0; job < nch + 3; job++) {
			int ci = job < nch ? job : -1, col = job - nch;
			int cn = ci > 0 ? n / 2 : n;
			double *cur = sim->stage, *other = sim->stage + (size_t)nmax * nmax;
			double pitch = ci > 0 ? 2.0 * a : a;

			if (ci >= 0) {
				int off = ci == 2 ? 1 : 0, step = ci == 0 ? 1 : 2;
				for (int y = 0; y < cn; y++)
					for (int x = 0; x < cn; x++)
						cur[(size_t)y * cn + x] =
							sim->mosaic[(size_t)(off + step * y) * n +
								    off + step * x];
			} else {
				for (size_t i = 0; i < (size_t)n * n; i++)
					cur[i] = sim->rgb[3 * i + (size_t)col];
			}
			for (int i = 0; i < p.n_stage; i++) {
				double *t;
				st = vpm_fftsim_resample(&sim->fft, cur, cn, p.stage_n[i], other,
							 sim->ext, sim->out2, mc_choice.resample);
				if (st != VPM_OK)
					return st;
				t = cur;
				cur = other;
				other = t;
				cn = p.stage_n[i];
				pitch = P_eff[i];
			}
			if (ci >= 0) {
				if ((st = ensure((void **)&sim->chan[ci], &sim->chan_bytes[ci],
						 (size_t)cn * cn * sizeof(double), 0)) != VPM_OK)
					return st;
				memcpy(sim->chan[ci], cur, (size_t)cn * cn * sizeof(double));
				sim->chan_n[ci] = cn;
				sim->chan_pitch[ci] = pitch;
			} else {
				for (size_t i = 0; i < (size_t)nout * nout; i++)
					sim->rec[3 * i + (size_t)col] = cur[i];
			}
		}
		for (int ci = nch; ci < 3; ci++) {
			sim->chan_n[ci] = 0;
			sim->chan_pitch[ci] = 0.0;
		}
		sim->rec_n = nout;

		/* measure */
		{
			meas_setup_t ms;
			double J[4], u, v, zz;
			sim->list.n = 0;
			sim->list.unmeasurable = 0;
			sim->list.unmeasurable_cy_mm = NAN;
			sim->list.unmeasurable_bound = 0.0;
			geom_map(&g, g.cx, g.cy, &u, &v, &zz, J);
			memcpy(ms.jac, J, sizeof J);
			/* how far a component's frequency drifts across the patch */
			{
				double half = 0.5 * n * a, drift = 0.0;
				for (int cc = 0; cc < 4; cc++) {
					double Jc[4];
					geom_map(&g, g.cx + (cc & 1 ? half : -half),
						 g.cy + (cc & 2 ? half : -half), &u, &v, &zz, Jc);
					for (int q = 0; q < 4; q++)
						drift = fmax(drift, fabs(Jc[q] - J[q]));
				}
				/* fundamental drift, in bins of the patch, times a
				 * few harmonics' worth of headroom */
				ms.chirp_bins = g.tilted ? 0.5 * drift / s->pitch_mm * n * a * 4.0
							 : 0.0;
			}
			ms.pitch_mm = s->pitch_mm;
			ms.stop = g.N;
			ms.width_mm = s->width_px * a;
			ms.angle_deg = vpm_vision_angle_deg(mc_choice.aspect,
							    mc_choice.view_heights);
			ms.luminance = mc_choice.luminance_cd_m2;
			ms.opponent = mc_choice.chroma == VPM_CHROMA_OPPONENT;
			ms.content_contrast = mc_choice.content_contrast;
			ms.gain = s->grade_gain;
			ms.caution_at = s->caution_at;
			ms.risky_at = s->risky_at;
			ms.olpf_split_mm = s->olpf_um * 1e-3;
			/* a wall square to the camera has one defocus; at an
			 * angle the focus plane may cross the patch */
			ms.defocus_tolerance = 0.0; /* one exact lens at one distance */
			ms.defocus_waves =
				g.tilted ? 0.0
					 : vpm_geometry_defocus_waves(fabs(signed_blur(&g, zz)),
								      g.N, VPM_WAVELENGTH_LUMA_NM);
			ms.aperture_mm = s->fill * a;
			ms.squeeze = g.sq;
			ms.emitter_fill = o->shape == VPM_EMITTER_SQUARE
						  ? s->emitter_mm / s->pitch_mm
						  : 0.0;
			/* tile −1 is the whole patch; walls at an angle are also
			 * measured over 3 × 3 tiles of half the patch, each with
			 * the mapping at its own centre (their spectra chirp less) */
			res.n_tiles = g.tilted ? 9 : 0;
			res.worst_tile = -1;
			res.centre_tile = g.tilted ? 4 : -1;
			for (int tile = -1; tile < res.n_tiles; tile++) {
				meas_list_t tl;
				memset(&tl, 0, sizeof tl);
				for (int ci = 0; ci < nch; ci++) {
					meas_channel_t mc;
					double lat0 = ci == 0 ? a : 2.0 * a;
					double *sub = NULL;
					memset(&mc, 0, sizeof mc);
					mc.channel = chs[ci];
					mc.img = sim->chan[ci];
					mc.n = sim->chan_n[ci];
					mc.pitch_mm = sim->chan_pitch[ci];
					if (tile >= 0) {
						int cn = sim->chan_n[ci], tn = (cn / 2) & ~1;
						int ox = (tile % 3) * (cn - tn) / 2,
						    oy = (tile / 3) * (cn - tn) / 2;
						double dx = (ox + 0.5 * tn - 0.5 * cn) *
							    mc.pitch_mm,
						       dy = (oy + 0.5 * tn - 0.5 * cn) *
							    mc.pitch_mm,
						       uu, vv, z2;
						sub = malloc((size_t)tn * tn * sizeof *sub);
						if (sub == NULL) {
							free(tl.c);
							return vpm_error(VPM_ENOMEM,
									 "out of memory");
						}
						for (int y = 0; y < tn; y++)
							memcpy(sub + (size_t)y * tn,
							       sim->chan[ci] +
								       (size_t)(oy + y) * cn + ox,
							       (size_t)tn * sizeof *sub);
						mc.img = sub;
						mc.n = tn;
						geom_map(&g, g.cx + dx, g.cy + dy, &uu, &vv, &z2,
							 ms.jac);
						if (ci == 0) {
							res.tile[tile].x_px = dx / a;
							res.tile[tile].y_px = dy / a;
							res.tile[tile].side_px = tn;
						}
					}
					/* luma on a Bayer mosaic mixes all three colours */
					mc.wavelength_nm =
						ci == 0 ? p.lam_min
							: (ci == 1 ? VPM_WAVELENGTH_RED_NM
								   : VPM_WAVELENGTH_BLUE_NM);
					mc.weight = ms.opponent
							    ? 1.0
							    : vpm_sensor_weight(chs[ci],
										mc_choice.chroma);
					if (ms.opponent)
						vpm_vision_colour_init(&mc.vc, (int)chs[ci],
								       ms.luminance, ms.angle_deg);
					mc.chain.kernel = mc_choice.resample;
					mc.chain.n_stages = 1;
					mc.chain.pitch_mm[0] = lat0;
					mc.chain.box[0] = 0;
					for (int i = 0; i < p.n_stage; i++) {
						mc.chain.pitch_mm[mc.chain.n_stages] = P_eff[i];
						mc.chain.box[mc.chain.n_stages] = 1;
						mc.chain.n_stages++;
					}
					st = vpm_fftsim_measure_channel(&sim->fft, &mc, &ms,
									sim->pad,
									tile < 0 ? &sim->list
										 : &tl);
					free(sub);
					if (st != VPM_OK) {
						free(tl.c);
						return st;
					}
				}
				if (tile >= 0) {
					const vpm_component_t *mo = NULL, *gr = NULL;
					for (size_t i = 0; i < tl.n; i++) {
						if (tl.c[i].aliased) {
							if (mo == NULL ||
							    tl.c[i].visibility > mo->visibility)
								mo = &tl.c[i];
						} else if (gr == NULL ||
							   tl.c[i].visibility > gr->visibility) {
							gr = &tl.c[i];
						}
					}
					res.tile[tile].moire_visibility = mo ? mo->visibility : 0.0;
					res.tile[tile].moire_modulation = mo ? mo->modulation : 0.0;
					res.tile[tile].moire_beat_cy_mm = mo ? mo->nu_cy_mm : NAN;
					res.tile[tile].risk = vpm_risk_classify(
						vpm_visibility_verdict(res.tile[tile]
									       .moire_visibility,
								       gr ? gr->visibility : 0.0),
						s->caution_at, s->risky_at);
					if (mo &&
					    (res.worst_tile < 0 ||
					     mo->visibility >
						     res.tile[res.worst_tile].moire_visibility))
						res.worst_tile = tile;
					free(tl.c);
				}
			}
		}
		/* spectrum of the recorded patch, per colour */
		for (int col = 0; col < 3; col++) {
			st = vpm_fftsim_spectrum_db(&sim->fft, sim->rec + col, 3, nout,
						    sim->specbuf, sim->spec, col);
			if (st != VPM_OK)
				return st;
		}
		res.final_pitch_mm = p.n_stage > 0 ? P_eff[p.n_stage - 1] : a;
		res.bin_cy_mm = 1.0 / (sim->chan_n[0] * sim->chan_pitch[0]);
	}

	/* moiré = aliased component of largest V; grid = resolved one (SPEC §2 step 10) */
	{
		const vpm_component_t *mo = NULL, *gr = NULL;
		vpm_component_t *L = sim->list.c;
		size_t nl = sim->list.n;
		for (size_t i = 0; i < nl; i++) {
			if (L[i].aliased) {
				if (mo == NULL || L[i].visibility > mo->visibility)
					mo = &L[i];
			} else if (gr == NULL || L[i].visibility > gr->visibility) {
				gr = &L[i];
			}
		}
		res.moire_channel = mo ? mo->channel : VPM_CHANNEL_NONE;
		res.moire_visibility = mo ? mo->visibility : 0.0;
		res.moire_modulation = mo ? mo->modulation : 0.0;
		res.moire_beat_cy_mm = mo ? mo->nu_cy_mm : NAN;
		res.moire_cy_deg = mo ? mo->cy_deg : NAN;
		res.grid_channel = gr ? gr->channel : VPM_CHANNEL_NONE;
		res.grid_visibility = gr ? gr->visibility : 0.0;
		res.grid_modulation = gr ? gr->modulation : 0.0;
		res.grid_cy_mm = gr ? gr->nu_cy_mm : NAN;
		res.grid_cy_deg = gr ? gr->cy_deg : NAN;
		/* one rule with the predictor: a NaN visibility is RISKY */
		res.risk = vpm_risk_classify(vpm_visibility_verdict(res.moire_visibility,
								    res.grid_visibility),
					     s->caution_at, s->risky_at);
		for (int i = 0; i < res.n_tiles; i++)
			if (res.tile[i].risk > res.risk)
				res.risk = res.tile[i].risk;
		/* a component that could matter and cannot be measured: the
		 * rule for a visibility that cannot be computed (RISKY) */
		res.unmeasurable = sim->list.unmeasurable;
		res.unmeasurable_cy_mm = sim->list.unmeasurable_cy_mm;
		if (res.unmeasurable)
			res.risk = VPM_RISK_RISKY;
		/* the strongest few, by visibility (selection sort on a copy) */
		res.n_top = 0;
		for (size_t t = 0; t < VPM_TOP_COMPONENTS && t < nl; t++) {
			size_t best = t;
			for (size_t i = t + 1; i < nl; i++)
				if (L[i].visibility > L[best].visibility)
					best = i;
			if (best != t) {
				vpm_component_t tmp = L[t];
				L[t] = L[best];
				L[best] = tmp;
			}
			res.top[res.n_top++] = L[t];
		}
	}

	/* facts about the centre of the patch */
	{
		double u, v, zz, J[4];
		geom_map(&g, g.cx, g.cy, &u, &v, &zz, J);
		res.magnification = g.vf / zz;
		res.led_pitch_px = s->pitch_mm / hypot(J[0], J[1]) / a;
		res.wall_m = vpm_geometry_sensor_distance_mm(zz, g.vf) / 1000.0;
		res.blur_mm = signed_blur(&g, zz);
		res.defocus_waves = vpm_geometry_defocus_waves(fabs(res.blur_mm), g.N,
							       VPM_WAVELENGTH_LUMA_NM);
	}
	{
		size_t nn = (size_t)sim->rec_n * sim->rec_n * 3, clipped = 0;
		double mean = 0.0;
		for (size_t i = 0; i < nn; i++)
			mean += sim->rec[i];
		mean /= (double)nn;
		res.exposure = mean > 0.0 ? 0.18 / mean : 1.0;
		for (size_t i = 0; i < nn; i++)
			clipped += sim->rec[i] * res.exposure >= 1.0;
		res.clipped_fraction = (double)clipped / (double)nn;
	}
	sim->n = n;
	sim->colours = colours;
	sim->have_run = 1;
	vpm_fft_save_wisdom(&sim->fft);
	res.fft_seconds = sim->fft.seconds;
	res.n_fft = sim->fft.count;
	res.seconds = vpm_fft_now() - t_start;
	sim->res = res;
	*out = res;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_fftsim_run,
	      (vpm_fftsim_t * sim, const vpm_setup_t *setup, const vpm_fftsim_options_t *opt,
	       vpm_fftsim_result_t *out),
	      (sim, setup, opt, out))
{
	vpm_status_t st;

	if (sim == NULL || opt == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no engine, options or output");
	st = run(sim, setup, opt, out);
	if (st != VPM_OK)
		sim->have_run = 0;
	return st;
}

VPM_STATUS_FN(vpm_fftsim_run_content,
	      (vpm_fftsim_t * sim, const vpm_setup_t *setup, const vpm_fftsim_options_t *opt,
	       vpm_fftsim_result_t *out),
	      (sim, setup, opt, out))
{
	vpm_fftsim_options_t white;
	vpm_fftsim_result_t mc;
	vpm_status_t st;

	if (sim == NULL || opt == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no engine, options or output");
	if (opt->content == NULL)
		return vpm_fftsim_run(sim, setup, opt, out);
	/* the content's own structure would be measured as moiré: the wall
	 * is measured white, the images are the content's run */
	white = *opt;
	white.content = NULL;
	if ((st = vpm_fftsim_run(sim, setup, &white, out)) != VPM_OK)
		return st;
	if ((st = vpm_fftsim_run(sim, setup, opt, &mc)) != VPM_OK)
		return st;
	out->seconds += mc.seconds;
	out->fft_seconds += mc.fft_seconds;
	out->n_fft += mc.n_fft;
	out->exposure = mc.exposure;
	out->clipped_fraction = mc.clipped_fraction;
	return VPM_OK;
}

/* Bytes per content pixel: the decoded image (linear RGB floats, kept for
 * the whole run) and, while vpm_png_read() decodes, its 16-bit RGB buffer
 * as well (lib/png_io.c). */
#define CONTENT_HELD_BYTES (3.0 * sizeof(float))
#define CONTENT_DECODE_BYTES (3.0 * sizeof(float) + 3.0 * sizeof(uint16_t))

VPM_STATUS_FN(vpm_fftsim_check_memory,
	      (const vpm_fftsim_options_t *opt, const vpm_fftsim_size_t *sz,
	       const char *content_name),
	      (opt, sz, content_name))
{
	double content_px, need;

	if (opt == NULL || sz == NULL)
		return vpm_error(VPM_EINVAL, "no options or size");
	content_px = opt->content ? (double)opt->content->width * opt->content->height : 0.0;
	/* the content image is held through the run and needs its decoding
	 * buffer too while it is read, before the run */
	need = fmax(content_px * CONTENT_DECODE_BYTES,
		    content_px * CONTENT_HELD_BYTES + (double)sz->memory_bytes);
	if (sz->memory_bytes > opt->max_memory_bytes)
		return vpm_error(VPM_ELIMIT,
				 "the simulation needs %.2f GiB (grid %d x %d: --patch %d plus "
				 "%d photosites of margin each side, --supersample %d), above "
				 "--max-memory %.2f GiB: use a smaller --patch or --supersample, "
				 "or raise --max-memory",
				 sz->memory_bytes / GIB, sz->grid_n, sz->grid_n, sz->patch_px,
				 sz->margin_px, sz->supersample, opt->max_memory_bytes / GIB);
	if (need > (double)opt->max_memory_bytes)
		return vpm_error(VPM_ELIMIT,
				 "--content %s: %.0f x %.0f pixels need %.2f GiB at most (%.2f "
				 "GiB to decode; %.2f GiB kept through the run beside the "
				 "simulation's %.2f GiB), above --max-memory %.2f GiB: use a "
				 "smaller image, or raise --max-memory",
				 content_name ? content_name : "image", (double)opt->content->width,
				 (double)opt->content->height, need / GIB,
				 content_px * CONTENT_DECODE_BYTES / GIB,
				 content_px * CONTENT_HELD_BYTES / GIB, sz->memory_bytes / GIB,
				 opt->max_memory_bytes / GIB);
	return VPM_OK;
}

/* ---------------------------------------------------------------- a run as simulate makes it */

VPM_STATUS_FN(vpm_fftsim_prepare,
	      (vpm_setup_t * setup, vpm_fftsim_options_t *opt, const char *content_path,
	       vpm_image_t **content),
	      (setup, opt, content_path, content))
{
	vpm_image_t *img = NULL, header;
	float stub = 0.0f;
	unsigned long cw, ch;
	double px = 0.0;
	vpm_fftsim_size_t sz;
	vpm_status_t st;

	if (setup == NULL || opt == NULL || content == NULL)
		return vpm_error(VPM_EINVAL, "no set-up, options or content");
	*content = NULL;
	opt->content = NULL;
	if (content_path != NULL) {
		if (vpm_png_declared_size(content_path, &cw, &ch) == VPM_OK && cw >= 1 && ch >= 1 &&
		    cw <= VPM_FFTSIM_MAX_CONTENT_SIDE && ch <= VPM_FFTSIM_MAX_CONTENT_SIDE) {
			/* sized from its header, decoded only once it fits: until
			 * then the estimate sees an image of that size (it reads
			 * no pixels) */
			header.width = (int)cw;
			header.height = (int)ch;
			header.channels = 3;
			header.pixels = &stub;
			opt->content = &header;
			px = (double)cw * (double)ch;
		} else {
			/* no PNG, or a side out of range: the reader says which,
			 * before it allocates anything */
			st = vpm_png_read(content_path, VPM_FFTSIM_MAX_CONTENT_SIDE, &img);
			if (st != VPM_OK)
				return vpm_error_prefix(st, "--content");
			opt->content = img;
			px = (double)img->width * img->height;
		}
	}
	/* size first: bad set-ups and too-large simulations stop here */
	if ((st = vpm_fftsim_estimate(setup, opt, &sz)) != VPM_OK ||
	    (st = vpm_fftsim_check_memory(opt, &sz, content_path)) != VPM_OK)
		goto fail;
	if (content_path != NULL && img == NULL) {
		st = vpm_png_read(content_path, VPM_FFTSIM_MAX_CONTENT_SIDE, &img);
		if (st != VPM_OK) {
			st = vpm_error_prefix(st, "--content");
			goto fail;
		}
		if ((double)img->width * img->height != px) {
			st = vpm_error(VPM_EINVAL,
				       "--content %s: the file changed while it was read",
				       content_path);
			goto fail;
		}
	}
	if (img != NULL) {
		/* the masking contrast of the content, as the shared --content
		 * flag computes it (vpm_content_contrast_png()) */
		st = vpm_content_contrast(img->pixels, img->width, img->height, img->channels,
					  &setup->content_contrast);
		if (st != VPM_OK) {
			st = vpm_error_prefix(st, "--content");
			goto fail;
		}
	}
	opt->content = img;
	*content = img;
	return VPM_OK;
fail:
	opt->content = NULL;
	vpm_image_free(img);
	return st;
}

VPM_STATUS_FN(vpm_fftsim_predict,
	      (const vpm_setup_t *setup, int keep_tolerance, vpm_result_t *out, double *tolerance),
	      (setup, keep_tolerance, out, tolerance))
{
	vpm_predict_workspace_t *ws;
	vpm_setup_t ps;
	vpm_status_t st;

	if (setup == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no set-up or result");
	ps = *setup;
	if (!keep_tolerance)
		ps.tolerance = 0.0;
	if (tolerance != NULL)
		*tolerance = ps.tolerance;
	if ((ws = vpm_predict_workspace_alloc()) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	st = vpm_predict(&ps, ws, out);
	vpm_predict_workspace_free(ws);
	return st;
}

VPM_STATUS_FN(vpm_fftsim_write_pngs,
	      (const vpm_fftsim_t *sim, const char *recorded, const char *stretched, int *zoom),
	      (sim, recorded, stretched, zoom))
{
	uint16_t *img16;
	uint8_t *img8;
	size_t nn;
	vpm_status_t st;
	int n, z = 1;

	if (sim == NULL || recorded == NULL || stretched == NULL)
		return vpm_error(VPM_EINVAL, "no engine or file");
	if (vpm_fftsim_recorded(sim, &n) == NULL)
		return vpm_error(VPM_EINVAL, "no simulation run yet");
	nn = (size_t)n * n * 3;
	img16 = malloc(nn * sizeof *img16);
	img8 = malloc(nn);
	if (img16 == NULL || img8 == NULL)
		st = vpm_error(VPM_ENOMEM, "out of memory");
	else if ((st = vpm_fftsim_recorded_u16(sim, img16)) == VPM_OK &&
		 (st = vpm_png_write(recorded, n, n, 3, 16, img16)) == VPM_OK &&
		 (st = vpm_fftsim_stretched_u8(sim, img8, &z)) == VPM_OK)
		st = vpm_png_write(stretched, n, n, 3, 8, img8);
	free(img16);
	free(img8);
	if (st == VPM_OK && zoom != NULL)
		*zoom = z;
	return st;
}

char *vpm_fftsim_wisdom_path(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char dir[4096], *path;
	size_t n;

	if (xdg != NULL && xdg[0] == '/')
		snprintf(dir, sizeof dir, "%s", xdg);
	else if (home != NULL && home[0] == '/')
		snprintf(dir, sizeof dir, "%s/.cache", home);
	else
		return NULL;
	if (strlen(dir) + 32 >= sizeof dir)
		return NULL;
	mkdir(dir, 0777);
	strcat(dir, "/vpmoire");
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return NULL;
	n = strlen(dir) + sizeof "/fftw-wisdom";
	path = malloc(n);
	if (path != NULL)
		snprintf(path, n, "%s/fftw-wisdom", dir);
	return path;
}

/* ---------------------------------------------------------------- accessors */

const double *vpm_fftsim_plane(const vpm_fftsim_t *sim, int colour, int *n_px)
{
	if (sim == NULL || !sim->have_run || colour < 0 || colour >= sim->colours)
		return NULL;
	if (n_px)
		*n_px = sim->n;
	return sim->planes + (size_t)colour * sim->n * sim->n;
}

const double *vpm_fftsim_mosaic(const vpm_fftsim_t *sim, int *n_px)
{
	if (sim == NULL || !sim->have_run)
		return NULL;
	if (n_px)
		*n_px = sim->n;
	return sim->mosaic;
}

const double *vpm_fftsim_channel(const vpm_fftsim_t *sim, vpm_channel_t channel, int *n_px,
				 double *pitch_mm)
{
	int ci;

	if (sim == NULL || !sim->have_run)
		return NULL;
	ci = channel == VPM_CHANNEL_LUMA   ? 0
	     : channel == VPM_CHANNEL_RED  ? 1
	     : channel == VPM_CHANNEL_BLUE ? 2
					   : -1;
	if (ci < 0 || sim->chan_n[ci] == 0)
		return NULL;
	if (n_px)
		*n_px = sim->chan_n[ci];
	if (pitch_mm)
		*pitch_mm = sim->chan_pitch[ci];
	return sim->chan[ci];
}

const double *vpm_fftsim_recorded(const vpm_fftsim_t *sim, int *n_px)
{
	if (sim == NULL || !sim->have_run)
		return NULL;
	if (n_px)
		*n_px = sim->rec_n;
	return sim->rec;
}

const float *vpm_fftsim_spectrum(const vpm_fftsim_t *sim, int *n_px)
{
	if (sim == NULL || !sim->have_run)
		return NULL;
	if (n_px)
		*n_px = sim->rec_n;
	return sim->spec;
}

/* sRGB encoding of a linear value in [0, 1] (IEC 61966-2-1). */
static double srgb_encode(double v)
{
	if (!(v > 0.0))
		return 0.0;
	if (v >= 1.0)
		return 1.0;
	return v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1.0 / 2.4) - 0.055;
}

VPM_STATUS_FN(vpm_fftsim_recorded_u16, (const vpm_fftsim_t *sim, uint16_t *out), (sim, out))
{
	size_t nn;

	if (sim == NULL || !sim->have_run || out == NULL)
		return vpm_error(VPM_EINVAL, "no simulation to export");
	nn = (size_t)sim->rec_n * sim->rec_n * 3;
	for (size_t i = 0; i < nn; i++)
		out[i] = (uint16_t)lround(65535.0 * srgb_encode(sim->rec[i] * sim->res.exposure));
	return VPM_OK;
}

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Least-squares c0 + a·cos φ + b·sin φ, φ = 2π(fx·x + fy·y) (cycles per
 * sample), to colour c of an interleaved n × n × 3 image.  The constant is
 * fitted too: over a fractional number of periods a sinusoid is not
 * orthogonal to a constant, so a mean left by an earlier subtraction would
 * bias the fit.  The phase is advanced by complex rotation rather than
 * sin/cos per sample.  *c0 may be NULL.  Returns the energy the fit
 * explains (what a frequency search should maximise: with a non-orthogonal
 * basis a² + b² is not it). */
static double fit_sinusoid(const double *img, int n, int c, double fx, double fy, double *a,
			   double *b, double *c0)
{
	double s1 = (double)n * n, sc = 0, ss = 0, scc = 0, sss = 0, scs = 0, sv = 0, svc = 0,
	       svs = 0;
	double rx = cos(2.0 * M_PI * fx), ix = sin(2.0 * M_PI * fx);
	double A[3][4];

	for (int y = 0; y < n; y++) {
		double co = cos(2.0 * M_PI * fy * y), si = sin(2.0 * M_PI * fy * y);
		const double *row = img + (size_t)y * n * 3 + c;
		for (int x = 0; x < n; x++) {
			double v = row[(size_t)x * 3], t;
			sc += co;
			ss += si;
			scc += co * co;
			sss += si * si;
			scs += co * si;
			sv += v;
			svc += v * co;
			svs += v * si;
			t = co * rx - si * ix;
			si = co * ix + si * rx;
			co = t;
		}
	}
	/* normal equations for (c0, a, b), Gaussian elimination with pivoting */
	A[0][0] = s1, A[0][1] = sc, A[0][2] = ss, A[0][3] = sv;
	A[1][0] = sc, A[1][1] = scc, A[1][2] = scs, A[1][3] = svc;
	A[2][0] = ss, A[2][1] = scs, A[2][2] = sss, A[2][3] = svs;
	for (int k = 0; k < 3; k++) {
		int piv = k;
		for (int i = k + 1; i < 3; i++)
			if (fabs(A[i][k]) > fabs(A[piv][k]))
				piv = i;
		if (!(fabs(A[piv][k]) > 1e-12 * s1)) {
			*a = *b = 0.0;
			if (c0)
				*c0 = 0.0;
			return 0.0;
		}
		for (int j = 0; j < 4; j++) {
			double t = A[k][j];
			A[k][j] = A[piv][j];
			A[piv][j] = t;
		}
		for (int i = 0; i < 3; i++)
			if (i != k) {
				double f = A[i][k] / A[k][k];
				for (int j = k; j < 4; j++)
					A[i][j] -= f * A[k][j];
			}
	}
	*a = A[1][3] / A[1][1];
	*b = A[2][3] / A[2][2];
	if (c0)
		*c0 = A[0][3] / A[0][0];
	return *a * svc + *b * svs + A[0][3] / A[0][0] * sv;
}

static void subtract_sinusoid(double *img, int n, int c, double fx, double fy, double a, double b,
			      double c0)
{
	double rx = cos(2.0 * M_PI * fx), ix = sin(2.0 * M_PI * fx);

	for (int y = 0; y < n; y++) {
		double co = cos(2.0 * M_PI * fy * y), si = sin(2.0 * M_PI * fy * y);
		double *row = img + (size_t)y * n * 3 + c;
		for (int x = 0; x < n; x++) {
			double t;
			row[(size_t)x * 3] -= c0 + a * co + b * si;
			t = co * rx - si * ix;
			si = co * ix + si * rx;
			co = t;
		}
	}
}

VPM_STATUS_FN(vpm_fftsim_stretched_u8, (const vpm_fftsim_t *sim, uint8_t *out, int *zoom),
	      (sim, out, zoom))
{
	size_t nn, np, nl;
	int n, z = 1;
	double mean[3] = { 0, 0, 0 }, *rel, *dev, scale, P, fx[64], fy[64], coef[64][3][2];
	int nf = 0;

	if (sim == NULL || !sim->have_run || out == NULL)
		return vpm_error(VPM_EINVAL, "no simulation to export");
	n = sim->rec_n;
	P = sim->res.final_pitch_mm;
	np = (size_t)n * n;
	nn = np * 3;
	rel = malloc(nn * sizeof *rel);
	dev = malloc(nn * sizeof *dev);
	if (rel == NULL || dev == NULL) {
		free(rel);
		free(dev);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < np; i++)
		for (int c = 0; c < 3; c++)
			mean[c] += sim->rec[3 * i + c];
	for (int c = 0; c < 3; c++)
		mean[c] = mean[c] > 0.0 ? mean[c] / (double)np : 1.0;
	for (size_t i = 0; i < nn; i++)
		rel[i] = sim->rec[i] / mean[i % 3] - 1.0;
	/* the distinct frequencies of the resolved components */
	nl = sim->list.n;
	for (size_t i = 0; i < nl && nf < 64; i++) {
		const vpm_component_t *c = &sim->list.c[i];
		int dup = 0;
		if (c->aliased || c->nu_cy_mm * n * P < 2.0)
			continue;
		for (int j = 0; j < nf; j++)
			dup |= hypot(fx[j] - c->nu_x_cy_mm, fy[j] - c->nu_y_cy_mm) * n * P < 0.2;
		if (!dup) {
			fx[nf] = c->nu_x_cy_mm;
			fy[nf] = c->nu_y_cy_mm;
			nf++;
		}
	}
	/* subtract each by a least-squares fit of a·cos + b·sin, per colour,
	 * at its frequency refined to where the fitted amplitude peaks (the
	 * measured one is good to ~0.01 bin: enough for the modulation, not
	 * for a clean subtraction across the patch) */
	/* The grid components are not orthogonal over a patch holding a
	 * fractional number of their periods (~1% cross-talk), and the
	 * measured frequencies are good to ~0.01 bin (enough for a
	 * modulation, not for a clean subtraction across the patch).  Sweep 0
	 * subtracts each at its measured frequency; sweeps 1 and 2 put each
	 * back, refine its frequency to where the fitted amplitude peaks on
	 * what the others left, refit and subtract again (Gauss–Seidel). */
	for (int sweep = 0; sweep < 3; sweep++)
		for (int j = 0; j < nf; j++) {
			if (sweep > 0) {
				double step = 0.05 / (n * P);
				for (int c = 0; c < 3; c++)
					subtract_sinusoid(rel, n, c, fx[j] * P, fy[j] * P,
							  -coef[j][c][0], -coef[j][c][1], 0.0);
				for (int it = 0; it < 2; it++, step *= 0.2)
					for (int axis = 0; axis < 2; axis++) {
						double pw[3], t;
						for (int q = 0; q < 3; q++) {
							double gx = fx[j] +
								    (axis == 0 ? (q - 1) * step
									       : 0.0);
							double gy = fy[j] +
								    (axis == 1 ? (q - 1) * step
									       : 0.0);
							double a_, b_;
							pw[q] = fit_sinusoid(rel, n, 1, gx * P,
									     gy * P, &a_, &b_,
									     NULL);
						}
						t = pw[0] - 2.0 * pw[1] + pw[2];
						t = t < 0.0 ? 0.5 * (pw[0] - pw[2]) / t : 0.0;
						t = t > 1.0 ? 1.0 : t < -1.0 ? -1.0 : t;
						if (axis == 0)
							fx[j] += t * step;
						else
							fy[j] += t * step;
					}
			}
			for (int c = 0; c < 3; c++) {
				double c0;
				fit_sinusoid(rel, n, c, fx[j] * P, fy[j] * P, &coef[j][c][0],
					     &coef[j][c][1], &c0);
				subtract_sinusoid(rel, n, c, fx[j] * P, fy[j] * P, coef[j][c][0],
						  coef[j][c][1], c0);
			}
		}
	/* a sinusoid with a fractional number of periods has a mean over the
	 * patch: re-centre each colour after the fits */
	if (nf > 0)
		for (int c = 0; c < 3; c++) {
			double m = 0.0;
			for (size_t i = 0; i < np; i++)
				m += rel[3 * i + (size_t)c];
			m /= (double)np;
			for (size_t i = 0; i < np; i++)
				rel[3 * i + (size_t)c] -= m;
		}
	for (size_t i = 0; i < nn; i++)
		dev[i] = fabs(rel[i]);
	qsort(dev, nn, sizeof *dev, cmp_double);
	scale = dev[(size_t)(0.995 * (double)(nn - 1))];
	free(dev);
	/* never stretch below a modulation of 0.003, twice the eye's best
	 * threshold (Barten's CSF peaks near 1/0.0014 at 100 cd/m²): what
	 * nobody could see stays near mid-grey */
	if (!(scale > 3e-3))
		scale = 3e-3;
	/* magnify the centre so the moiré's period spans ≥ 24 view pixels */
	if (sim->res.moire_channel != VPM_CHANNEL_NONE && sim->res.moire_beat_cy_mm > 0.0) {
		double period = 1.0 / (sim->res.moire_beat_cy_mm * P);
		z = (int)ceil(24.0 / period);
		z = z < 1 ? 1 : z > 8 ? 8 : z;
	}
	{
		int x0 = n / 2 - n / (2 * z), y0 = x0;
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				size_t src = ((size_t)(y0 + y / z) * n + (size_t)(x0 + x / z)) * 3;
				for (int c = 0; c < 3; c++) {
					double v = 127.5 + 127.5 * rel[src + c] / scale;
					out[((size_t)y * n + x) * 3 + c] =
						(uint8_t)(v <= 0.0     ? 0
							  : v >= 255.0 ? 255
								       : lround(v));
				}
			}
	}
	free(rel);
	if (zoom != NULL)
		*zoom = z;
	return VPM_OK;
}

const vpm_component_t *vpm_fftsim_components(const vpm_fftsim_t *sim, size_t *n)
{
	if (sim == NULL || !sim->have_run)
		return NULL;
	if (n)
		*n = sim->list.n;
	return sim->list.c;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

VPM_STATUS_FN(vpm_fftsim_time_ffts, (vpm_fftsim_t * sim, double *seconds, double *cpu_seconds),
	      (sim, seconds, cpu_seconds))
{
	fft_ctx_t *f;
	double total = 0.0, cpu = 0.0;

	if (sim == NULL || !sim->have_run || seconds == NULL)
		return vpm_error(VPM_EINVAL, "no simulation to time");
	f = &sim->fft;
	for (int i = 0; i < f->n; i++) {
		fft_entry_t *e = &f->e[i];
		long runs = e->runs;

		if (runs == 0 || e->last == NULL)
			continue;
		/* FFT speed does not depend on the data (no denormals in 0) */
		memset(e->last, 0, vpm_fft_doubles(e) * sizeof(double));
		for (long r = 0; r < runs; r++) {
			double t0 = vpm_fft_now(), c0 = cpu_now();
			vpm_fft_execute_raw(e, e->last);
			total += vpm_fft_now() - t0;
			cpu += cpu_now() - c0;
		}
	}
	*seconds = total;
	if (cpu_seconds != NULL)
		*cpu_seconds = cpu;
	return VPM_OK;
}
