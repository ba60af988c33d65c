/* LED moiré measured on real camera frames (see vpmoire/measure.h). */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fftsim_private.h"
#include "frameio.h"
#include "vpmoire/measure.h"
#include "vpmoire/report.h"
#include "vpmoire/sensor.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Luma from linear RGB: ITU-R BT.709-6, Part 1, item 3.2 (the weights of
 * E'Y, applied here to linear light as relative luminance). */
#define LUMA_R 0.2126
#define LUMA_G 0.7152
#define LUMA_B 0.0722

/* Smallest square measured: 32 pixels (16 bins of the patch; under that
 * the Blackman–Harris main lobe, ±4 bins, covers half the spectrum). */
#define MIN_SIDE 32

vpm_status_t vpm_frame_read(const char *path, vpm_transfer_t transfer, int max_side,
			    vpm_image_t **out)
{
	unsigned char sig[8] = { 0 };
	vpm_image_t *img = NULL;
	vpm_status_t st;
	FILE *fp;
	size_t got;

	if (out == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "no frame given");
	*out = NULL;
	if ((unsigned)transfer > VPM_TRANSFER_SRGB)
		return vpm_error(VPM_EINVAL, "unknown transfer function");
	fp = fopen(path, "rb");
	if (fp == NULL)
		return vpm_error_open(path, errno);
	got = fread(sig, 1, sizeof sig, fp);
	fclose(fp);
	if (vpm_png_has_signature(sig, got))
		st = vpm_png_read_codes(path, max_side, &img);
	else if (got >= 4 && ((sig[0] == 'I' && sig[1] == 'I' && sig[2] == 42 && sig[3] == 0) ||
			      (sig[0] == 'M' && sig[1] == 'M' && sig[2] == 0 && sig[3] == 42)))
		st = vpm_tiff_read_codes(path, max_side, &img);
	else
		return vpm_error(VPM_EPARSE, "%s: neither a PNG nor a TIFF", path);
	if (st != VPM_OK)
		return st;
	for (size_t i = 0; i < (size_t)img->width * img->height * 3; i++)
		img->pixels[i] = (float)vpm_transfer_to_linear(transfer, img->pixels[i]);
	*out = img;
	return VPM_OK;
}

vpm_measure_options_t vpm_measure_options_default(void)
{
	vpm_measure_options_t o;

	memset(&o, 0, sizeof o);
	o.tile_px = 256;
	o.min_modulation = 0.002;
	return o;
}

void vpm_measurement_free(vpm_measurement_t *m)
{
	if (m == NULL)
		return;
	free(m->tiles);
	free(m->spectrum_db);
	free(m->luma);
	free(m);
}

static int by_visibility(const void *a, const void *b)
{
	double x = ((const vpm_component_t *)a)->visibility,
	       y = ((const vpm_component_t *)b)->visibility;

	return (x < y) - (x > y);
}

/* What the measurement needs, from the set-up or from the defaults. */
typedef struct {
	meas_setup_t ms;
	meas_channel_t mc[3]; /* luma, then red and blue for a Bayer set-up; img and n
				 filled per tile */
	int plane[3];	      /* −1 luma, else the frame's colour plane */
	int nch;
	const vpm_image_t *frame;
	int with_setup;
	double caution_at, risky_at;
} plan_t;

static vpm_status_t make_plan(const vpm_measurement_t *m, const vpm_measure_options_t *o,
			      const vpm_image_t *frame, plan_t *p)
{
	vpm_setup_t def = vpm_setup_default();
	const vpm_setup_t *s = o->setup ? o->setup : &def;
	vpm_model_choice_t mc;
	vpm_status_t st;

	memset(p, 0, sizeof *p);
	p->frame = frame;
	if ((st = vpm_setup_model(s, &mc)) != VPM_OK)
		return st;
	p->with_setup = o->setup != NULL;
	p->caution_at = s->caution_at;
	p->risky_at = s->risky_at;
	p->ms.angle_deg = vpm_vision_angle_deg(mc.aspect, mc.view_heights);
	p->ms.luminance = mc.luminance_cd_m2;
	p->ms.opponent = mc.chroma == VPM_CHROMA_OPPONENT;
	p->ms.content_contrast = mc.content_contrast;
	p->ms.gain = s->grade_gain;
	p->ms.caution_at = s->caution_at;
	p->ms.risky_at = s->risky_at;
	/* luma on every frame; red and blue on their own lattices (2a)
	 * when the camera is Bayer and the frame has colour (SPEC §2 step 5) */
	p->nch = o->setup && o->setup->cfa != VPM_CFA_MONO && p->frame->channels == 3 ? 3 : 1;
	for (int c = 0; c < p->nch; c++) {
		static const vpm_channel_t chs[3] = { VPM_CHANNEL_LUMA, VPM_CHANNEL_RED,
						      VPM_CHANNEL_BLUE };
		p->plane[c] = c == 0 ? -1 : (c == 1 ? 0 : 2);
		p->mc[c].channel = chs[c];
		p->mc[c].pitch_mm = m->pitch_mm;
		p->mc[c].weight = p->ms.opponent ? 1.0 : vpm_sensor_weight(chs[c], mc.chroma);
		if (p->ms.opponent)
			vpm_vision_colour_init(&p->mc[c].vc, (int)chs[c], p->ms.luminance,
					       p->ms.angle_deg);
	}
	if (!p->with_setup) {
		/* the frame is the picture: its width in pixels, pitch 1 */
		p->ms.width_mm = m->width_px;
		return VPM_OK;
	}
	{
		const vpm_result_t *r = &m->prediction;
		double a = s->photosite_um * 1e-3, th = s->roll_deg * M_PI / 180.0;
		double im = 1.0 / r->magnification;
		/* sensor → wall mapping of a wall square to the camera, rolled:
		 * LED harmonic (k, l) lands at ν0·R(θ)(k, l) (SPEC §2) */
		p->ms.jac[0] = im * cos(th);
		p->ms.jac[1] = im * sin(th);
		p->ms.jac[2] = -im * sin(th);
		p->ms.jac[3] = im * cos(th);
		p->ms.pitch_mm = s->pitch_mm;
		p->ms.stop = vpm_setup_f_number(s);
		p->ms.width_mm = s->width_px * a;
		p->ms.emitter_fill = s->emitter_mm / s->pitch_mm;
		p->ms.olpf_split_mm = s->olpf_um * 1e-3;
		p->ms.aperture_mm = s->fill * a;
		/* the wall is square to the camera: the set-up's defocus, with
		 * the predictor's planning tolerance on it */
		p->ms.defocus_waves = m->prediction.defocus_waves;
		p->ms.defocus_tolerance = s->tolerance;
		p->mc[0].wavelength_nm = s->cfa == VPM_CFA_MONO ? VPM_WAVELENGTH_LUMA_NM
								: VPM_WAVELENGTH_BLUE_NM;
		/* the luma lattice, then the frame's own pixel pitch when the
		 * frame was exported smaller than the sensor */
		for (int c = 0; c < p->nch; c++) {
			if (c > 0)
				p->mc[c].wavelength_nm = c == 1 ? VPM_WAVELENGTH_RED_NM
								: VPM_WAVELENGTH_BLUE_NM;
			st = vpm_sensor_chain_init_kernel(&p->mc[c].chain, c == 0 ? a : 2.0 * a, a,
							  s->width_px,
							  !o->crop && m->width_px < s->width_px
								  ? m->width_px
								  : 0,
							  0, mc.resample);
			if (st != VPM_OK)
				return st;
		}
	}
	return VPM_OK;
}

static vpm_status_t measure_tile(fft_ctx_t *fft, const vpm_measurement_t *m, plan_t *p,
				 const vpm_measure_options_t *o, double *img, double *pad,
				 vpm_measure_tile_t *t)
{
	meas_list_t list;
	vpm_status_t st;
	int n = t->side_px;

	memset(&list, 0, sizeof list);
	for (int c = 0; c < p->nch; c++) {
		const vpm_image_t *f = p->frame;
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				size_t at = (size_t)(t->y_px + y) * m->width_px + t->x_px + x;
				img[(size_t)y * n + x] =
					p->plane[c] < 0 ? m->luma[at]
							: f->pixels[at * 3 + (size_t)p->plane[c]];
			}
		p->mc[c].img = img;
		p->mc[c].n = n;
		st = p->with_setup ? vpm_fftsim_measure_channel(fft, &p->mc[c], &p->ms, pad, &list)
				   : vpm_fftsim_measure_peaks(fft, &p->mc[c], &p->ms,
							      o->min_modulation, pad, &list);
		if (st != VPM_OK) {
			free(list.c);
			return st;
		}
	}
	if (list.n > 0)
		qsort(list.c, list.n, sizeof *list.c, by_visibility);
	t->n = list.n < VPM_MEASURE_MAX_COMPONENTS ? list.n : VPM_MEASURE_MAX_COMPONENTS;
	if (t->n > 0)
		memcpy(t->c, list.c, t->n * sizeof *t->c);
	t->visibility = t->n > 0 ? t->c[0].visibility : 0.0;
	t->unmeasurable = list.unmeasurable;
	t->risk = t->unmeasurable ? VPM_RISK_RISKY
				  : vpm_risk_classify(t->visibility, p->caution_at, p->risky_at);
	free(list.c);
	return VPM_OK;
}

vpm_status_t vpm_measure_frame(const vpm_image_t *frame, const vpm_measure_options_t *opt,
			       vpm_measurement_t **out)
{
	vpm_measure_options_t o = opt ? *opt : vpm_measure_options_default();
	vpm_measurement_t *m;
	fft_ctx_t fft;
	plan_t plan;
	double *img = NULL, *pad = NULL;
	float *spec = NULL;
	vpm_status_t st = VPM_OK;
	int W, H, side, nx, ny;

	if (out == NULL || frame == NULL || frame->pixels == NULL)
		return vpm_error(VPM_EINVAL, "no frame given");
	*out = NULL;
	W = frame->width;
	H = frame->height;
	if (frame->channels != 1 && frame->channels != 3)
		return vpm_error(VPM_EINVAL, "a frame has 1 or 3 channels");
	if (o.use_region) {
		const vpm_region_t *r = &o.region;
		if (r->x_px < 0 || r->y_px < 0 || r->w_px < MIN_SIDE || r->h_px < MIN_SIDE ||
		    r->x_px > W - r->w_px || r->y_px > H - r->h_px)
			return vpm_error(VPM_EINVAL,
					 "--region %d,%d,%d,%d: not inside the %d x %d frame or "
					 "under %d pixels a side",
					 r->x_px, r->y_px, r->w_px, r->h_px, W, H, MIN_SIDE);
		side = (r->w_px < r->h_px ? r->w_px : r->h_px) & ~1;
		nx = ny = 1;
	} else {
		if (o.tile_px < MIN_SIDE || o.tile_px > 4096 || o.tile_px % 2)
			return vpm_error(VPM_EINVAL, "--tile %d: an even side of %d to 4096 pixels",
					 o.tile_px, MIN_SIDE);
		side = o.tile_px;
		if (W < side || H < side)
			side = (W < H ? W : H) & ~1;
		if (side < MIN_SIDE)
			return vpm_error(VPM_EINVAL, "a %d x %d frame is under %d pixels a side", W,
					 H, MIN_SIDE);
		nx = W / side;
		ny = H / side;
	}
	m = calloc(1, sizeof *m);
	if (m == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	m->width_px = W;
	m->height_px = H;
	m->with_setup = o.setup != NULL;
	m->pitch_mm = 1.0;
	m->caution_at = o.setup ? o.setup->caution_at : vpm_setup_default().caution_at;
	m->risky_at = o.setup ? o.setup->risky_at : vpm_setup_default().risky_at;
	if (o.setup != NULL) {
		vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
		if (ws == NULL) {
			free(m);
			return vpm_error(VPM_ENOMEM, "out of memory");
		}
		st = vpm_predict(o.setup, ws, &m->prediction);
		vpm_predict_workspace_free(ws);
		if (st != VPM_OK) {
			free(m);
			return st;
		}
		m->have_prediction = 1;
		m->pitch_mm = o.crop ? o.setup->photosite_um * 1e-3
				     : o.setup->width_px * o.setup->photosite_um * 1e-3 / W;
	}
	m->n_tiles = (size_t)nx * ny;
	m->tiles = calloc(m->n_tiles, sizeof *m->tiles);
	m->luma = malloc((size_t)W * H * sizeof *m->luma);
	img = malloc((size_t)side * side * sizeof *img);
	pad = fftw_malloc((size_t)(2 * side) * (2 * side + 2) * sizeof *pad);
	spec = malloc((size_t)side * side * 3 * sizeof *spec);
	m->spectrum_db = malloc((size_t)side * side * sizeof *m->spectrum_db);
	if (!m->tiles || !m->luma || !img || !pad || !spec || !m->spectrum_db) {
		st = vpm_error(VPM_ENOMEM, "out of memory for a %d x %d frame", W, H);
		goto fail;
	}
	for (size_t i = 0; i < (size_t)W * H; i++) {
		const float *px = frame->pixels + i * frame->channels;
		m->luma[i] = frame->channels == 1
				     ? px[0]
				     : (float)(LUMA_R * px[0] + LUMA_G * px[1] + LUMA_B * px[2]);
	}
	if ((st = make_plan(m, &o, frame, &plan)) != VPM_OK)
		goto fail;
	memset(&fft, 0, sizeof fft);
	vpm_fft_set_options(&fft, VPM_PLANNER_ESTIMATE, 1, NULL);
	for (int ty = 0; ty < ny; ty++)
		for (int tx = 0; tx < nx; tx++) {
			vpm_measure_tile_t *t = &m->tiles[(size_t)ty * nx + tx];
			if (o.use_region) {
				t->x_px = o.region.x_px + (o.region.w_px - side) / 2;
				t->y_px = o.region.y_px + (o.region.h_px - side) / 2;
			} else {
				/* the grid of tiles centred on the frame */
				t->x_px = (W - nx * side) / 2 + tx * side;
				t->y_px = (H - ny * side) / 2 + ty * side;
			}
			t->side_px = side;
			if ((st = measure_tile(&fft, m, &plan, &o, img, pad, t)) != VPM_OK) {
				vpm_fft_release(&fft);
				goto fail;
			}
			if (t->visibility > m->tiles[m->worst].visibility ||
			    (t->risk > m->tiles[m->worst].risk))
				m->worst = (size_t)((size_t)ty * nx + tx);
		}
	m->risk = m->tiles[m->worst].risk;
	{
		const vpm_measure_tile_t *t = &m->tiles[m->worst];
		for (int y = 0; y < side; y++)
			for (int x = 0; x < side; x++)
				img[(size_t)y * side + x] =
					m->luma[(size_t)(t->y_px + y) * W + t->x_px + x];
		st = vpm_fftsim_spectrum_db(&fft, img, 1, side, pad, spec, 0);
		vpm_fft_release(&fft);
		if (st != VPM_OK)
			goto fail;
		for (size_t i = 0; i < (size_t)side * side; i++)
			m->spectrum_db[i] = spec[3 * i];
		m->spectrum_n = side;
	}
	free(img);
	fftw_free(pad);
	free(spec);
	*out = m;
	return VPM_OK;
fail:
	free(img);
	fftw_free(pad);
	free(spec);
	vpm_measurement_free(m);
	return st;
}

const char *vpm_measure_agreement(vpm_risk_t predicted, vpm_risk_t measured)
{
	return measured == predicted ? "holds" : measured < predicted ? "safe side" : "FAILS";
}

/* The agreement of a measured frame; a worst tile that cannot be measured
 * says so rather than judge the model. */
static const char *agreement_of(const vpm_measurement_t *m)
{
	const vpm_measure_tile_t *t = &m->tiles[m->worst];
	/* the flag decides only when what was measured is not RISKY already */
	int decides = t->unmeasurable && vpm_risk_classify(t->visibility, m->caution_at,
							   m->risky_at) != VPM_RISK_RISKY;

	return decides ? "not measurable here" : vpm_measure_agreement(m->prediction.risk, m->risk);
}

static const char *kind_of(const vpm_measurement_t *m, const vpm_component_t *c)
{
	return !m->with_setup ? "peak" : c->aliased ? "moire" : "grid";
}

vpm_status_t vpm_measure_write_text(const vpm_measurement_t *m, const char *name, FILE *fp)
{
	const vpm_measure_tile_t *t;
	const char *u;

	if (m == NULL || fp == NULL || m->n_tiles == 0)
		return vpm_error(VPM_EINVAL, "no measurement");
	t = &m->tiles[m->worst];
	u = m->with_setup ? "cy/mm" : "cy/px";
	fprintf(fp, "%s: measured %s (visibility %.2f)%s\n", name ? name : "frame",
		vpm_risk_label(m->risk), t->visibility,
		t->unmeasurable ? "; a component cannot be measured in this tile" : "");
	if (m->have_prediction)
		fprintf(fp, "  predicted %s (visibility %.2f); model: %s\n",
			vpm_risk_label(m->prediction.risk), vpm_result_visibility(&m->prediction),
			agreement_of(m));
	fprintf(fp, "  worst of %zu tile%s: %d x %d px at (%d, %d)\n", m->n_tiles,
		m->n_tiles == 1 ? "" : "s", t->side_px, t->side_px, t->x_px, t->y_px);
	if (t->n == 0)
		fprintf(fp, "  no component measured\n");
	for (size_t i = 0; i < t->n; i++) {
		const vpm_component_t *c = &t->c[i];
		char what[48];
		if (m->with_setup)
			snprintf(what, sizeof what, "%s (%d,%d) %s", vpm_channel_name(c->channel),
				 c->k, c->l, kind_of(m, c));
		else
			snprintf(what, sizeof what, "peak at %ld deg",
				 lround(atan2(c->nu_y_cy_mm, c->nu_x_cy_mm) * 180.0 / M_PI));
		fprintf(fp,
			"  %zu. %-18s %8.4g %s (period %.1f px)  %6.2f cy/deg  modulation %.4f  "
			"visibility %.2f\n",
			i + 1, what, c->nu_cy_mm, u, 1.0 / (c->nu_cy_mm * m->pitch_mm), c->cy_deg,
			c->modulation, c->visibility);
	}
	if (m->have_prediction) {
		const vpm_result_t *r = &m->prediction;
		fprintf(fp,
			"  predicted moire %.4f at %.4g cy/mm (visibility %.2f); grid %.4f at "
			"%.4g cy/mm (visibility %.2f)\n",
			r->moire_modulation, r->moire_beat_cy_mm, r->moire_visibility,
			r->grid_modulation, r->grid_cy_mm, r->grid_visibility);
	}
	return ferror(fp) ? vpm_error(VPM_EIO, "cannot write the measurement") : VPM_OK;
}

/* Keys here, numbers and strings through the library's one JSON writer
 * (lib/report.c). */
static void json_num(FILE *fp, const char *key, double v, int comma)
{
	fprintf(fp, "\"%s\": ", key);
	vpm_json_number(fp, v);
	if (comma)
		fputs(", ", fp);
}

static void json_str(FILE *fp, const char *s)
{
	vpm_json_string(fp, s);
}

vpm_status_t vpm_measure_write_json(const vpm_measurement_t *m, const char *name, FILE *fp)
{
	const vpm_measure_tile_t *t;

	if (m == NULL || fp == NULL || m->n_tiles == 0)
		return vpm_error(VPM_EINVAL, "no measurement");
	t = &m->tiles[m->worst];
	fputs("{\"frame\": ", fp);
	json_str(fp, name ? name : "");
	fprintf(fp, ", \"risk\": \"%s\", ", vpm_risk_name(m->risk));
	json_num(fp, "visibility", t->visibility, 1);
	fprintf(fp, "\"unmeasurable\": %s, ", t->unmeasurable ? "true" : "false");
	json_num(fp, "pitch_mm", m->with_setup ? m->pitch_mm : NAN, 1);
	fprintf(fp, "\"units\": \"%s\", ", m->with_setup ? "cy/mm" : "cy/px");
	fprintf(fp, "\"worst_tile\": {\"x_px\": %d, \"y_px\": %d, \"side_px\": %d}, ", t->x_px,
		t->y_px, t->side_px);
	fputs("\"tiles\": [", fp);
	for (size_t i = 0; i < m->n_tiles; i++) {
		const vpm_measure_tile_t *q = &m->tiles[i];
		fprintf(fp, "%s{\"x_px\": %d, \"y_px\": %d, \"risk\": \"%s\", ", i ? ", " : "",
			q->x_px, q->y_px, vpm_risk_name(q->risk));
		json_num(fp, "visibility", q->visibility, 0);
		fputc('}', fp);
	}
	fputs("], \"components\": [", fp);
	for (size_t i = 0; i < t->n; i++) {
		const vpm_component_t *c = &t->c[i];
		fprintf(fp, "%s{\"kind\": \"%s\", ", i ? ", " : "", kind_of(m, c));
		json_num(fp, "nu_x", c->nu_x_cy_mm, 1);
		json_num(fp, "nu_y", c->nu_y_cy_mm, 1);
		json_num(fp, "nu", c->nu_cy_mm, 1);
		json_num(fp, "cy_deg", c->cy_deg, 1);
		json_num(fp, "modulation", c->modulation, 1);
		json_num(fp, "visibility", c->visibility, 0);
		fputc('}', fp);
	}
	fputc(']', fp);
	if (m->have_prediction) {
		const vpm_result_t *r = &m->prediction;
		fprintf(fp, ", \"predicted\": {\"risk\": \"%s\", ", vpm_risk_name(r->risk));
		json_num(fp, "visibility", vpm_result_visibility(r), 1);
		json_num(fp, "moire_modulation", r->moire_modulation, 1);
		json_num(fp, "moire_beat_cy_mm", r->moire_beat_cy_mm, 1);
		json_num(fp, "grid_modulation", r->grid_modulation, 1);
		json_num(fp, "grid_cy_mm", r->grid_cy_mm, 0);
		fprintf(fp, "}, \"agreement\": \"%s\"", agreement_of(m));
	}
	fputc('}', fp);
	return ferror(fp) ? vpm_error(VPM_EIO, "cannot write the measurement") : VPM_OK;
}

const char *const *vpm_measure_table_header(void)
{
	static const char *const head[VPM_MEASURE_TABLE_COLS] = {
		"Frame",     "Wall / focus", "Stop",
		"Predicted", "Measured",     "Modulation pred. / meas.",
		"Model"
	};
	return head;
}

void vpm_measure_table_row(const vpm_measurement_t *m, const vpm_setup_t *s, const char *name,
			   char cells[VPM_MEASURE_TABLE_COLS][80])
{
	const vpm_result_t *p = &m->prediction;
	const vpm_measure_tile_t *w = &m->tiles[m->worst];
	size_t len = strlen(name ? name : "");

	/* the end of a long path is the part that tells frames apart */
	snprintf(cells[0], 80, "%s%s", len > 60 ? "..." : "",
		 name ? name + (len > 60 ? len - 60 : 0) : "");
	snprintf(cells[1], 80, "%.2f m / %.2f m", s->wall_m, s->focus_m);
	snprintf(cells[2], 80, "T%g", s->stop);
	snprintf(cells[3], 80, "%s (V %.2f)", vpm_risk_label(p->risk), vpm_result_visibility(p));
	snprintf(cells[4], 80, "%s (V %.2f)%s", vpm_risk_label(m->risk), w->visibility,
		 w->unmeasurable ? ", unmeasurable" : "");
	/* the component that drives each verdict: the predictor's moiré or
	 * grid, whichever is more visible, and the measured strongest */
	snprintf(cells[5], 80, "%.4f / %.4f",
		 p->moire_visibility >= p->grid_visibility ? p->moire_modulation
							   : p->grid_modulation,
		 w->n ? w->c[0].modulation : 0.0);
	snprintf(cells[6], 80, "%s", agreement_of(m));
}
