/* Pages of `vpmoire measure` (see measurepage.h). */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "measurepage.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* An 8-bit RGB24 cairo surface from w × h values in 0 … 1 (row-major). */
static cairo_surface_t *grey_surface(const float *v, int w, int h, int stride_px, int step)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	unsigned char *d;
	int rs;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		return s;
	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	rs = cairo_image_surface_get_stride(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double t = v[(size_t)y * step * stride_px + (size_t)x * step];
			unsigned g = (unsigned)lround(255.0 * fmin(1.0, fmax(0.0, t)));
			((uint32_t *)(d + (size_t)y * rs))[x] = g << 16 | g << 8 | g;
		}
	cairo_surface_mark_dirty(s);
	return s;
}

static void draw_image(cairo_t *cr, cairo_surface_t *s, double x, double y, double w, double h,
		       int iw, int ih)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, w / iw, h / ih);
	cairo_set_source_surface(cr, s, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint(cr);
	cairo_restore(cr);
}

static void set_color(cairo_t *cr, vpm_color_t c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

vpm_status_t vpm_measure_page(const vpm_page_t *pg, const vpm_measure_page_t *d)
{
	cairo_t *cr = pg->cr;
	const vpm_measurement_t *m = d ? d->m : NULL;
	double top, bottom, fx, fy, fw, fh, sx, sy, side, mean = 0.0, scale;
	int step, iw, ih, n;
	float *v;
	cairo_surface_t *s;
	vpm_text_style_t ts = vpm_text_style(8.5), ls = vpm_text_style(8.0);

	char sub[160], *buf = NULL, *own[40];
	const char *const *lines = d ? d->lines : NULL;
	size_t n_lines = d ? d->n_lines : 0, len = 0;

	if (m == NULL || m->luma == NULL || m->spectrum_db == NULL)
		return vpm_error_set(VPM_EINVAL, "no measurement to draw");
	if (lines == NULL) {
		/* the numbers as `vpmoire measure` prints them */
		FILE *mem = open_memstream(&buf, &len);
		if (mem == NULL)
			return vpm_error_set(VPM_ENOMEM, "out of memory");
		vpm_measure_write_text(m, d->title, mem);
		fclose(mem);
		n_lines = 0;
		for (char *p = buf, *e; p && *p && n_lines < 40; p = e ? e + 1 : NULL) {
			if ((e = strchr(p, '\n')) != NULL)
				*e = '\0';
			own[n_lines++] = p;
		}
		lines = (const char *const *)own;
	}
	snprintf(sub, sizeof sub, "%d x %d px, %zu tile%s; %s", m->width_px, m->height_px,
		 m->n_tiles, m->n_tiles == 1 ? "" : "s",
		 m->with_setup ? "LED harmonics looked for where the set-up puts them"
			       : "spectral peaks (no set-up given)");
	top = vpm_page_title(pg, d->title, d->subtitle ? d->subtitle : sub) + 3.0;
	bottom = vpm_page_footer(pg, "Measured with", d->footer, d->n_footer, 1) - 3.0;
	/* frame: left 60% of the width, its aspect kept, at most ~600 px */
	fw = 0.58 * (pg->width_mm - 2.0 * pg->margin_mm);
	fh = fw * m->height_px / m->width_px;
	if (fh > 0.55 * (bottom - top)) {
		fh = 0.55 * (bottom - top);
		fw = fh * m->width_px / m->height_px;
	}
	fx = pg->margin_mm;
	fy = top;
	step = (m->width_px + 599) / 600;
	iw = m->width_px / step;
	ih = m->height_px / step;
	for (size_t i = 0; i < (size_t)m->width_px * m->height_px; i++)
		mean += m->luma[i];
	mean /= (double)m->width_px * m->height_px;
	/* the frame's mean at 18% grey, then BT.709's encoding for display */
	scale = mean > 0.0 ? 0.18 / mean : 1.0;
	v = malloc((size_t)iw * ih * sizeof *v);
	if (v == NULL) {
		free(buf);
		return vpm_error_set(VPM_ENOMEM, "out of memory");
	}
	for (int y = 0; y < ih; y++)
		for (int x = 0; x < iw; x++) {
			double L = fmin(1.0,
					fmax(0.0, scale * m->luma[(size_t)y * step * m->width_px +
								  (size_t)x * step]));
			v[(size_t)y * iw + x] = (float)(L < 0.018 ? 4.5 * L
								  : 1.099 * pow(L, 0.45) - 0.099);
		}
	s = grey_surface(v, iw, ih, iw, 1);
	free(v);
	draw_image(cr, s, fx, fy, fw, fh, iw, ih);
	cairo_surface_destroy(s);
	/* tiles: verdict colours, the worst bold and labelled */
	for (size_t i = 0; i < m->n_tiles; i++) {
		const vpm_measure_tile_t *t = &m->tiles[i];
		double k = fw / m->width_px;
		set_color(cr, vpm_color_risk((int)t->risk));
		cairo_set_line_width(cr, i == m->worst ? 0.9 : 0.3);
		cairo_rectangle(cr, fx + t->x_px * k + 0.2, fy + t->y_px * k + 0.2,
				t->side_px * k - 0.4, t->side_px * k - 0.4);
		cairo_stroke(cr);
	}
	{
		const vpm_measure_tile_t *t = &m->tiles[m->worst];
		char lab[96];
		double k = fw / m->width_px;
		ls.halo = 1;
		ls.bold = 1;
		snprintf(lab, sizeof lab, "worst tile: %s", vpm_risk_label(t->risk));
		vpm_text_draw(cr, fx + t->x_px * k + 1.0, fy + t->y_px * k + 3.5, lab, &ls);
	}
	/* spectrum of the worst tile, −100 … 0 dB */
	n = m->spectrum_n;
	side = fmin(pg->width_mm - pg->margin_mm - (fx + fw + 8.0), fh);
	sx = pg->width_mm - pg->margin_mm - side;
	sy = fy;
	v = malloc((size_t)n * n * sizeof *v);
	if (v == NULL) {
		free(buf);
		return vpm_error_set(VPM_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < (size_t)n * n; i++)
		v[i] = (float)((m->spectrum_db[i] + 100.0) / 100.0);
	s = grey_surface(v, n, n, n, 1);
	free(v);
	draw_image(cr, s, sx, sy, side, side, n, n);
	cairo_surface_destroy(s);
	{
		const vpm_measure_tile_t *t = &m->tiles[m->worst];
		double k = side / n;
		for (size_t i = 0; i < t->n; i++) {
			const vpm_component_t *c = &t->c[i];
			char lab[24];
			for (int sg = -1; sg <= 1; sg += 2) {
				double px = sx + (n / 2 + sg * c->nu_x_cy_mm * n * m->pitch_mm) * k;
				double py = sy + (n / 2 + sg * c->nu_y_cy_mm * n * m->pitch_mm) * k;
				set_color(cr, vpm_color_risk((int)vpm_risk_classify(c->visibility,
										    m->caution_at,
										    m->risky_at)));
				cairo_set_line_width(cr, 0.4);
				cairo_arc(cr, px, py, 2.0, 0, 2 * M_PI);
				cairo_stroke(cr);
				snprintf(lab, sizeof lab, "%zu", i + 1);
				ls.bold = 0;
				vpm_text_draw(cr, px + 2.3, py - 1.0, lab, &ls);
			}
		}
		char cap[200];
		ts.size_pt = 8.0;
		ts.color = vpm_color_rgb(0.3, 0.3, 0.3);
		snprintf(cap, sizeof cap,
			 "Spectrum of the worst tile's luma: dB, DC at the centre, edges at "
			 "±%.4g %s (Nyquist). Rings: the measured components and their mirrors, "
			 "numbered as below.",
			 0.5 / m->pitch_mm, m->with_setup ? "cy/mm" : "cy/px");
		vpm_text_wrap(cr, sx, sy + side + 2.0, side, cap, &ts, 1);
	}
	/* the numbers */
	{
		double y = fy + fh + 10.0;
		ts = vpm_text_style(8.5);
		for (size_t i = 0; i < n_lines && y < bottom; i++) {
			vpm_text_draw(cr, pg->margin_mm, y, lines[i], &ts);
			y += 4.0;
		}
	}
	free(buf);
	return VPM_OK;
}

vpm_status_t vpm_measure_table_page(vpm_doc_t *doc, char (*const rows)[VPM_MEASURE_TABLE_COLS][80],
				    size_t n_rows, const char *transfer)
{
	/* the camera-test table's seven columns: the frame's name widest */
	static const double widths[VPM_MEASURE_TABLE_COLS] = { 3.0, 1.6, 0.6, 1.5, 2.1, 2.2, 1.4 };
	vpm_footer_item_t foot[1] = { { "Transfer", transfer } };
	const char **cells = NULL;
	vpm_table_t t = { VPM_MEASURE_TABLE_COLS,
			  n_rows,
			  vpm_measure_table_header(),
			  NULL,
			  widths,
			  NULL,
			  NULL,
			  1,
			  9.0,
			  NULL };
	vpm_text_style_t ts = vpm_text_style(8.5);
	vpm_page_t pg;
	double top, bottom, w, h = 0.0;
	size_t drawn = 0;
	vpm_status_t st;

	if (doc == NULL || (rows == NULL && n_rows > 0))
		return vpm_error_set(VPM_EINVAL, "no table to draw");
	if (n_rows > 0 && !(cells = calloc(n_rows * VPM_MEASURE_TABLE_COLS, sizeof *cells)))
		return vpm_error_set(VPM_ENOMEM, "out of memory");
	for (size_t r = 0; r < n_rows; r++)
		for (size_t c = 0; c < VPM_MEASURE_TABLE_COLS; c++)
			cells[r * VPM_MEASURE_TABLE_COLS + c] = rows[r][c];
	t.cells = cells;
	if ((st = vpm_doc_page_add(doc, &pg)) != VPM_OK) {
		free(cells);
		return st;
	}
	top = vpm_page_title(&pg, "Camera test: do the model's verdicts hold on this stage?",
			     "Each frame measured by vpmoire measure beside the prediction of "
			     "vpmoire check") +
	      3.0;
	bottom = vpm_page_footer(&pg, "Measured with", foot, transfer ? 1 : 0, 1) - 3.0;
	w = pg.width_mm - 2.0 * pg.margin_mm;
	st = vpm_table_draw(pg.cr, pg.margin_mm, top, w, bottom - top - 20.0, &t, 0, &drawn, &h);
	free(cells);
	if (st != VPM_OK)
		return st;
	vpm_text_wrap(pg.cr, pg.margin_mm, top + h + 6.0, w,
		      "Model: holds = the same verdict; safe side = predicted worse than "
		      "shown; FAILS = shown worse; not measurable here = a larger tile is needed.",
		      &ts, 1);
	return VPM_OK;
}
