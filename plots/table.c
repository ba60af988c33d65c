/* Tables for summary pages. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "plot_private.h"

#define CELL_PAD 1.5 /* mm left and right of a cell's text */
#define TEXT_MAX 512

/* Shorten text with "…" until it fits `avail` mm. */
static const char *fit(cairo_t *cr, const char *text, const vpm_text_style_t *st, double avail,
		       char *buf)
{
	size_t n;
	double w;

	vpm_text_measure(cr, text, st, &w, NULL);
	if (w <= avail)
		return text;
	n = strlen(text);
	if (n > TEXT_MAX - 4)
		n = TEXT_MAX - 4;
	while (n > 0) {
		n--;
		/* step back over UTF-8 continuation bytes */
		while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
			n--;
		memcpy(buf, text, n);
		memcpy(buf + n, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
		vpm_text_measure(cr, buf, st, &w, NULL);
		if (w <= avail)
			return buf;
	}
	return "";
}

static void draw_row(cairo_t *cr, const vpm_table_t *t, const char *const *cells, double x,
		     double y, double rowh, const double *colw, const vpm_text_style_t *st)
{
	char buf[TEXT_MAX];
	double cx = x;
	size_t c;

	for (c = 0; c < t->ncols; c++) {
		vpm_text_style_t s = *st;
		double a = t->align ? t->align[c] : 0.0, avail = colw[c] - 2 * CELL_PAD;
		const char *txt = cells[c] ? cells[c] : "";

		s.halign = a;
		s.valign = 0.5;
		if (avail > 0.0 && *txt)
			vpm_text_draw(cr, cx + CELL_PAD + a * avail, y + rowh / 2,
				      fit(cr, txt, &s, avail, buf), &s);
		cx += colw[c];
	}
}

/* Widen the columns whose text must stay whole to their widest cell; the
 * other columns give up the room in proportion to their width (never below
 * a quarter of it, so that no column vanishes). */
static void widen_whole(cairo_t *cr, const vpm_table_t *t, const vpm_text_style_t *bs,
			const vpm_text_style_t *hs, double *colw)
{
	double need = 0.0, spare = 0.0, give;
	size_t c, r;

	for (c = 0; c < t->ncols; c++) {
		double w = 0.0, m;

		if (!t->whole[c])
			continue;
		if (t->header && t->header[c]) {
			vpm_text_measure(cr, t->header[c], hs, &m, NULL);
			w = fmax(w, m);
		}
		for (r = 0; r < t->nrows; r++) {
			const char *txt = t->cells[r * t->ncols + c];
			if (txt && *txt) {
				vpm_text_measure(cr, txt, bs, &m, NULL);
				w = fmax(w, m);
			}
		}
		w += 2 * CELL_PAD + 0.2;
		if (w > colw[c]) {
			need += w - colw[c];
			colw[c] = w;
		}
	}
	if (need <= 0.0)
		return;
	for (c = 0; c < t->ncols; c++)
		if (!t->whole[c])
			spare += 0.75 * colw[c];
	give = spare > 0.0 ? fmin(1.0, need / spare) : 0.0;
	for (c = 0; c < t->ncols; c++)
		if (!t->whole[c])
			colw[c] -= give * 0.75 * colw[c];
}

vpm_status_t vpm_table_draw(cairo_t *cr, double x_mm, double y_mm, double width_mm,
			    double max_height_mm, const vpm_table_t *t, size_t first_row,
			    size_t *rows_drawn, double *height_mm)
{
	vpm_text_style_t bs, hs;
	double colw[64], total = 0.0, rowh, y = y_mm, hh;
	size_t c, r, fits, last;

	if (!cr || !t)
		return vpm_error_set(VPM_EINVAL, "table: NULL argument");
	if (t->ncols < 1 || t->ncols > 64)
		return vpm_error_set(VPM_EINVAL, "table: %zu columns is not within 1..64",
				     t->ncols);
	if (t->nrows > 0 && !t->cells)
		return vpm_error_set(VPM_EINVAL, "table: %zu rows but no cells", t->nrows);
	if (first_row > t->nrows || (first_row == t->nrows && t->nrows > 0))
		return vpm_error_set(VPM_EINVAL, "table: first row %zu is beyond the %zu rows",
				     first_row, t->nrows);
	if (!(width_mm > 0.0) || !(max_height_mm > 0.0))
		return vpm_error_set(VPM_EINVAL, "table: empty box %g × %g mm", width_mm,
				     max_height_mm);
	for (c = 0; c < t->ncols; c++) {
		double w = t->widths ? t->widths[c] : 1.0;

		if (!(w > 0.0) || !isfinite(w))
			return vpm_error_set(VPM_EINVAL, "table: column %zu width %g must be > 0",
					     c + 1, w);
		total += w;
	}
	for (c = 0; c < t->ncols; c++)
		colw[c] = width_mm * (t->widths ? t->widths[c] : 1.0) / total;
	bs = vpm_text_style(t->size_pt > 0.0 ? t->size_pt : 9.0);
	hs = bs;
	hs.bold = 1;
	if (t->whole)
		widen_whole(cr, t, &bs, &hs, colw);
	vpm_text_measure(cr, "Hg", &bs, NULL, &rowh);
	rowh *= 1.55;
	hh = t->header ? rowh : 0.0;
	fits = (size_t)fmax(0.0, floor((max_height_mm - hh) / rowh + 1e-9));
	if (t->nrows > 0 && fits < 1)
		return vpm_error_set(VPM_EINVAL, "table: not one row fits in %g mm", max_height_mm);
	last = first_row + fits < t->nrows ? first_row + fits : t->nrows;

	cairo_save(cr);
	if (t->header) {
		cairo_rectangle(cr, x_mm, y, width_mm, rowh);
		vpm_priv_source(cr, vpm_color_rgb(0.86, 0.86, 0.86));
		cairo_fill(cr);
		draw_row(cr, t, (const char *const *)t->header, x_mm, y, rowh, colw, &hs);
		y += rowh;
	}
	for (r = first_row; r < last; r++, y += rowh) {
		vpm_color_t fill = vpm_color_alpha(VPM_WHITE, 0.0);

		if (t->row_fill && t->row_fill[r].a > 0.0)
			fill = t->row_fill[r];
		else if (t->zebra && (r - first_row) % 2 == 1)
			fill = vpm_color_rgb(0.95, 0.95, 0.95);
		if (fill.a > 0.0) {
			cairo_rectangle(cr, x_mm, y, width_mm, rowh);
			vpm_priv_source(cr, fill);
			cairo_fill(cr);
		}
		draw_row(cr, t, t->cells + r * t->ncols, x_mm, y, rowh, colw, &bs);
	}
	/* rules: above and below the header, at the bottom */
	vpm_priv_source(cr, VPM_INK);
	cairo_set_line_width(cr, 0.3);
	cairo_move_to(cr, x_mm, y_mm);
	cairo_line_to(cr, x_mm + width_mm, y_mm);
	if (t->header) {
		cairo_move_to(cr, x_mm, y_mm + hh);
		cairo_line_to(cr, x_mm + width_mm, y_mm + hh);
	}
	cairo_move_to(cr, x_mm, y);
	cairo_line_to(cr, x_mm + width_mm, y);
	cairo_stroke(cr);
	cairo_restore(cr);
	if (rows_drawn)
		*rows_drawn = last - first_row;
	if (height_mm)
		*height_mm = y - y_mm;
	return VPM_OK;
}
