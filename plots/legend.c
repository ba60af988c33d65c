/* Legends and colour bars. */
#include <config.h>

#include <math.h>
#include <stdio.h>

#include "plot_private.h"

#define SYMBOL_W 6.0 /* mm column for a legend entry's symbol */

vpm_box_t vpm_legend_draw(cairo_t *cr, double x_mm, double y_mm, const char *title,
			  const vpm_legend_entry_t *e, size_t n, double size_pt, int draw)
{
	const double pad = 2.0;
	vpm_text_style_t ts = vpm_text_style(size_pt), hs = vpm_text_style(size_pt + 0.5);
	double th = 0.0, tw = 0.0, rowh, w, h, y;
	vpm_box_t box;
	size_t k;

	hs.bold = 1;
	hs.valign = 0.0;
	ts.valign = 0.5;
	vpm_text_measure(cr, "Hg", &ts, NULL, &rowh);
	rowh = fmax(rowh * 1.3, 4.2);
	if (title)
		vpm_text_measure(cr, title, &hs, &tw, &th);
	w = tw;
	for (k = 0; k < n; k++) {
		double ew;

		vpm_text_measure(cr, e[k].text ? e[k].text : "", &ts, &ew, NULL);
		w = fmax(w, SYMBOL_W + 1.5 + ew);
	}
	h = (title ? th + 1.0 : 0.0) + n * rowh;
	box.x0 = x_mm;
	box.y0 = y_mm;
	box.x1 = x_mm + w + 2 * pad;
	box.y1 = y_mm + h + 2 * pad;
	if (!draw)
		return box;
	cairo_save(cr);
	cairo_rectangle(cr, box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
	vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.92));
	cairo_fill_preserve(cr);
	vpm_priv_source(cr, vpm_color_rgb(0.72, 0.72, 0.72));
	cairo_set_line_width(cr, 0.2);
	cairo_stroke(cr);
	cairo_restore(cr);
	y = y_mm + pad;
	if (title) {
		vpm_text_draw(cr, x_mm + pad, y, title, &hs);
		y += th + 1.0;
	}
	for (k = 0; k < n; k++, y += rowh) {
		double sx = x_mm + pad, cy = y + rowh / 2, s = fmin(rowh - 1.0, 4.0);

		cairo_save(cr);
		switch (e[k].kind) {
		case VPM_LEGEND_LINE:
			cairo_move_to(cr, sx, cy);
			cairo_line_to(cr, sx + SYMBOL_W, cy);
			vpm_priv_stroke(cr, &e[k].line);
			break;
		case VPM_LEGEND_MARKER:
			vpm_priv_marker_path(cr, sx + SYMBOL_W / 2, cy, e[k].marker, s * 0.8);
			if (e[k].marker == VPM_MARKER_CROSS) {
				vpm_priv_source(cr, e[k].color);
				cairo_set_line_width(cr, 0.4);
				cairo_stroke(cr);
			} else {
				vpm_priv_source(cr, e[k].color);
				cairo_fill_preserve(cr);
				vpm_priv_source(cr, VPM_INK);
				cairo_set_line_width(cr, 0.25);
				cairo_stroke(cr);
			}
			break;
		case VPM_LEGEND_SWATCH:
		default: {
			vpm_box_t b = { sx + (SYMBOL_W - s) / 2 - 0.5, cy - s / 2,
					sx + (SYMBOL_W + s) / 2 + 0.5, cy + s / 2 };

			cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
			vpm_priv_source(cr, e[k].color);
			cairo_fill_preserve(cr);
			if (e[k].hatch) {
				cairo_save(cr);
				cairo_clip_preserve(cr);
				cairo_new_path(cr);
				vpm_priv_hatch_lines(cr, b, 1.6, 45.0);
				vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.45));
				cairo_set_line_width(cr, 0.3);
				cairo_stroke(cr);
				cairo_restore(cr);
				cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
			}
			vpm_priv_source(cr, vpm_color_rgb(0.45, 0.45, 0.45));
			cairo_set_line_width(cr, 0.2);
			cairo_stroke(cr);
		}
		}
		cairo_restore(cr);
		vpm_text_draw(cr, sx + SYMBOL_W + 1.5, cy, e[k].text ? e[k].text : "", &ts);
	}
	return box;
}

static vpm_box_t box_union(vpm_box_t a, vpm_box_t b)
{
	vpm_box_t u = { fmin(a.x0, b.x0), fmin(a.y0, b.y0), fmax(a.x1, b.x1), fmax(a.y1, b.y1) };

	return u;
}

/* A tick across or beside the bar at page y, with its label unless it
 * would overlap one already placed. */
static void bar_tick(cairo_t *cr, vpm_box_t bar, double y, const char *text, int bold,
		     vpm_placer_t *taken, vpm_box_t *covered)
{
	vpm_text_style_t st = vpm_text_style(8.0);
	vpm_box_t b, g;

	st.bold = bold;
	st.valign = 0.5;
	cairo_save(cr);
	if (bold) {
		/* thresholds: a line across the bar, dark on a white underlay */
		cairo_move_to(cr, bar.x0 - 1.0, y);
		cairo_line_to(cr, bar.x1 + 1.5, y);
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.9));
		cairo_set_line_width(cr, 0.9);
		cairo_stroke_preserve(cr);
		vpm_priv_source(cr, VPM_INK);
		cairo_set_line_width(cr, 0.4);
		cairo_stroke(cr);
	} else {
		cairo_move_to(cr, bar.x1, y);
		cairo_line_to(cr, bar.x1 + 1.2, y);
		vpm_priv_source(cr, VPM_INK);
		cairo_set_line_width(cr, 0.25);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	if (!text)
		return;
	b = vpm_text_box(cr, bar.x1 + 2.2, y, text, &st);
	g = b;
	g.y0 -= 0.4;
	g.y1 += 0.4;
	if (!vpm_placer_fits(taken, g) || vpm_placer_reserve(taken, g) != VPM_OK)
		return;
	vpm_text_draw(cr, bar.x1 + 2.2, y, text, &st);
	*covered = box_union(*covered, b);
}

vpm_status_t vpm_colorbar_draw(cairo_t *cr, vpm_box_t bar, const vpm_cmap_t *m, const char *title,
			       vpm_box_t *covered)
{
	const double big = 1e6;
	vpm_box_t cov = bar, everywhere = { -big, -big, big, big };
	vpm_placer_t taken;
	vpm_status_t st;
	double h = bar.y1 - bar.y0;
	char buf[48];
	int k;

	if (!cr || !(bar.x1 > bar.x0) || !(bar.y1 > bar.y0))
		return vpm_error_set(VPM_EINVAL, "colour bar: NULL context or empty box");
	st = vpm_cmap_validate(m);
	if (st != VPM_OK)
		return st;
	vpm_placer_init(&taken, everywhere);
	cairo_save(cr);
	if (m->kind == VPM_CMAP_RISK) {
		static const char *names[3] = { "safe", "caution", "risky" };
		vpm_text_style_t ns = vpm_text_style(8.0);

		ns.valign = 0.5;
		ns.color = VPM_INK_SOFT;
		for (k = 0; k < 3; k++) {
			vpm_box_t b = { bar.x0, bar.y1 - (k + 1) * h / 3, bar.x1,
					bar.y1 - k * h / 3 };

			cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
			vpm_priv_source(cr, vpm_color_risk(k));
			cairo_fill(cr);
			if (k == 2 && m->hatch_risky) {
				cairo_save(cr);
				cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
				cairo_clip(cr);
				vpm_priv_hatch_lines(cr, b, 1.6, 45.0);
				vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.45));
				cairo_set_line_width(cr, 0.3);
				cairo_stroke(cr);
				cairo_restore(cr);
			}
		}
		/* threshold values first: they matter most */
		bar_tick(cr, bar, bar.y1 - h / 3,
			 vpm_axis_format(m->caution_at, 0, buf, sizeof buf), 1, &taken, &cov);
		bar_tick(cr, bar, bar.y1 - 2 * h / 3,
			 vpm_axis_format(m->risky_at, 0, buf, sizeof buf), 1, &taken, &cov);
		for (k = 0; k < 3; k++) {
			double y = bar.y1 - (k + 0.5) * h / 3;
			vpm_box_t b = vpm_text_box(cr, bar.x1 + 2.2, y, names[k], &ns);

			if (vpm_placer_fits(&taken, b)) {
				vpm_text_draw(cr, bar.x1 + 2.2, y, names[k], &ns);
				cov = box_union(cov, b);
			}
		}
	} else {
		cairo_pattern_t *pat = cairo_pattern_create_linear(0.0, bar.y1, 0.0, bar.y0);
		double ticks[64], step = 0.0;
		int n = 0;

		/* The map is piecewise linear in CIELAB; 48 stops of the sRGB
		 * gradient follow it within a fraction of a ΔE unit. */
		for (k = 0; k <= 48; k++) {
			vpm_color_t c = vpm_color_sequential(k / 48.0);

			cairo_pattern_add_color_stop_rgb(pat, k / 48.0, c.r, c.g, c.b);
		}
		cairo_rectangle(cr, bar.x0, bar.y0, bar.x1 - bar.x0, h);
		cairo_set_source(cr, pat);
		cairo_fill(cr);
		cairo_pattern_destroy(pat);
		for (k = 0; k < 2; k++) {
			double v = k == 0 ? m->caution_at : m->risky_at;

			if (v >= m->min && v <= m->max)
				bar_tick(cr, bar, bar.y1 - vpm_cmap_fraction(m, v) * h,
					 vpm_axis_format(v, 0, buf, sizeof buf), 1, &taken, &cov);
		}
		if (m->log)
			st = vpm_axis_log_ticks(m->min, m->max, ticks, 64, &n);
		else
			st = vpm_axis_nice_ticks(m->min, m->max, 6, ticks, 64, &n, &step);
		if (st != VPM_OK)
			n = 0;
		for (k = 0; k < n; k++)
			bar_tick(cr, bar, bar.y1 - vpm_cmap_fraction(m, ticks[k]) * h,
				 vpm_axis_format(ticks[k], step, buf, sizeof buf), 0, &taken, &cov);
	}
	cairo_rectangle(cr, bar.x0, bar.y0, bar.x1 - bar.x0, h);
	vpm_priv_source(cr, VPM_INK);
	cairo_set_line_width(cr, 0.25);
	cairo_stroke(cr);
	cairo_restore(cr);
	if (title) {
		vpm_text_style_t ts = vpm_text_style(9.0);
		double tw = fmax(35.0, bar.x1 - bar.x0), th;

		ts.bold = 1;
		th = vpm_text_wrap(cr, bar.x0, 0.0, tw, title, &ts, 0);
		vpm_text_wrap(cr, bar.x0, bar.y0 - 2.0 - th, tw, title, &ts, 1);
		cov = box_union(cov, (vpm_box_t){ bar.x0, bar.y0 - 2.0 - th, bar.x0 + tw, bar.y0 });
	}
	vpm_placer_release(&taken);
	if (covered)
		*covered = cov;
	return VPM_OK;
}
