/* vpmoire — the spectrum picture of `vpmoire simulate` (spectrumpage.h). */
#include <config.h>

#include <cairo.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spectrumpage.h"
#include "vpm_plot.h"
#include "vpmoire/pngio.h"

/* Put the spectrum (dB per colour) into an ARGB32 surface `scale` times
 * enlarged, then draw the sampling zones and the measured components. */
vpm_status_t vpm_spectrum_png(const char *path, const vpm_fftsim_t *sim, const vpm_setup_t *s,
			      const vpm_fftsim_result_t *m, int content)
{
	int n, scale, side;
	const float *db = vpm_fftsim_spectrum(sim, &n);
	cairo_surface_t *surf;
	cairo_t *cr;
	vpm_text_style_t ts;
	unsigned char *px, *rgb;
	int stride;
	double P = m->final_pitch_mm, a = s->photosite_um * 1e-3, c, unit;
	vpm_status_t st;

	if (db == NULL)
		return vpm_error_set(VPM_EINTERNAL, "no spectrum");
	scale = n >= 512 ? 1 : (512 + n - 1) / n;
	side = n * scale;
	surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(surf);
		return vpm_error_set(VPM_ENOMEM, "out of memory for the spectrum picture");
	}
	cairo_surface_flush(surf);
	px = cairo_image_surface_get_data(surf);
	stride = cairo_image_surface_get_stride(surf);
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			const float *v = db + ((size_t)(y / scale) * n + (size_t)(x / scale)) * 3;
			uint32_t pix = 0;
			for (int ch = 0; ch < 3; ch++) {
				double t = (v[ch] + 90.0) / 90.0;
				t = t < 0 ? 0 : t > 1 ? 1 : t;
				pix |= (uint32_t)lround(255.0 * t) << (16 - 8 * ch);
			}
			memcpy(px + (size_t)y * stride + (size_t)x * 4, &pix, 4);
		}
	cairo_surface_mark_dirty(surf);
	cr = cairo_create(surf);
	/* cy/mm → pixels: DC at (n/2, n/2), one bin = 1/(n·P) */
	unit = (double)scale * n * P;
	c = (n / 2) * scale + 0.5 * scale;
	cairo_set_line_width(cr, 1.0);
	if (s->cfa == VPM_CFA_BAYER && 0.25 / a < 0.5 / P) {
		double h = 0.25 / a * unit;
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_rectangle(cr, c - h, c - h, 2 * h, 2 * h);
		cairo_stroke(cr);
	}
	if (s->cfa == VPM_CFA_BAYER && 0.5 / a <= 0.5 / P + 1e-12) {
		double h = 0.5 / a * unit;
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		cairo_move_to(cr, c, c - h);
		cairo_line_to(cr, c + h, c);
		cairo_line_to(cr, c, c + h);
		cairo_line_to(cr, c - h, c);
		cairo_close_path(cr);
		cairo_stroke(cr);
	}
	/* labels 12 pixels high (the picture's unit is its pixel) */
	ts = vpm_text_style(12.0 / VPM_PLOT_MM_PER_PT);
	if (s->cfa == VPM_CFA_BAYER && 0.25 / a < 0.5 / P) {
		double h = 0.25 / a * unit;
		ts.color = vpm_color_rgb(1, 1, 1);
		vpm_text_draw(cr, c - h + 4, c - h + 14, "red/blue Nyquist", &ts);
		ts.color = vpm_color_rgb(0.7, 0.7, 0.7);
		vpm_text_draw(cr, c + 0.25 * h + 8, c - 0.75 * h - 4, "green", &ts);
	}
	if (!content) {
		/* ring the measured moiré (yellow) and grid (cyan) at ±ν (with
		 * content they were measured on another run) */
		size_t nc = 0;
		const vpm_component_t *comp = vpm_fftsim_components(sim, &nc);
		for (int k = 0; k < 2; k++) {
			vpm_channel_t ch = k == 0 ? m->moire_channel : m->grid_channel;
			double vis = k == 0 ? m->moire_visibility : m->grid_visibility;
			if (ch == VPM_CHANNEL_NONE)
				continue;
			for (size_t i = 0; i < nc; i++) {
				const vpm_component_t *t = &comp[i];
				if (t->aliased != (k == 0) || t->channel != ch ||
				    t->visibility != vis)
					continue;
				if (k == 0)
					cairo_set_source_rgb(cr, 1, 1, 0);
				else
					cairo_set_source_rgb(cr, 0, 1, 1);
				for (int sgn = -1; sgn <= 1; sgn += 2) {
					double x = c + sgn * t->nu_x_cy_mm * unit,
					       y = c + sgn * t->nu_y_cy_mm * unit;
					cairo_new_sub_path(cr);
					cairo_arc(cr, x, y, 8.0, 0, 2 * M_PI);
					cairo_stroke(cr);
					if (sgn > 0) {
						ts.color = k == 0 ? vpm_color_rgb(1, 1, 0)
								  : vpm_color_rgb(0, 1, 1);
						vpm_text_draw(cr, x + 10, y - 6,
							      k == 0 ? "moir\xc3\xa9" : "grid",
							      &ts);
					}
				}
				break;
			}
		}
	}
	{
		char label[128];
		ts.color = vpm_color_rgb(1, 1, 1);
		snprintf(label, sizeof label, "edge: \xc2\xb1%.1f cy/mm (Nyquist of the %s)",
			 0.5 / P, P > a * 1.0001 ? "recorded pixels" : "photosites");
		vpm_text_draw(cr, 6, side - 8, label, &ts);
	}
	cairo_destroy(cr);
	cairo_surface_flush(surf);
	rgb = malloc((size_t)side * side * 3);
	if (rgb == NULL) {
		cairo_surface_destroy(surf);
		return vpm_error_set(VPM_ENOMEM, "out of memory");
	}
	for (int y = 0; y < side; y++)
		for (int x = 0; x < side; x++) {
			uint32_t pix;
			memcpy(&pix, px + (size_t)y * stride + (size_t)x * 4, 4);
			rgb[((size_t)y * side + x) * 3 + 0] = (pix >> 16) & 0xff;
			rgb[((size_t)y * side + x) * 3 + 1] = (pix >> 8) & 0xff;
			rgb[((size_t)y * side + x) * 3 + 2] = pix & 0xff;
		}
	cairo_surface_destroy(surf);
	st = vpm_png_write(path, side, side, 3, 8, rgb);
	free(rgb);
	return st;
}
