/* Text: fonts, measuring, anchored and rotated text, wrapped blocks, and
 * the page furniture built from them (title, assumptions footer, notes). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_private.h"

#define LINE_SPACING 1.25 /* line height in ems */
#define LINE_MAX 1024	  /* bytes of one wrapped line */

static const cairo_user_data_key_t font_key;

void vpm_priv_set_font_family(cairo_t *cr, const char *family)
{
	cairo_set_user_data(cr, &font_key, (void *)family, NULL);
}

static const char *font_family(cairo_t *cr)
{
	const char *f = cairo_get_user_data(cr, &font_key);

	return f ? f : VPM_PLOT_DEFAULT_FONT;
}

static double size_mm(const vpm_text_style_t *st)
{
	double pt = st->size_pt >= VPM_PLOT_MIN_TEXT_PT ? st->size_pt : VPM_PLOT_MIN_TEXT_PT;

	return pt * VPM_PLOT_MM_PER_PT;
}

void vpm_priv_select_font(cairo_t *cr, const vpm_text_style_t *st)
{
	cairo_select_font_face(cr, font_family(cr),
			       st->italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
			       st->bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size_mm(st));
}

vpm_text_style_t vpm_text_style(double size_pt)
{
	vpm_text_style_t st;

	st.size_pt = size_pt;
	st.bold = 0;
	st.italic = 0;
	st.color = VPM_INK;
	st.angle_deg = 0.0;
	st.halign = 0.0;
	st.valign = VPM_TEXT_BASELINE;
	st.halo = 0;
	return st;
}

/* Unrotated layout relative to the anchor: the baseline origin (ox, oy)
 * and the box. */
typedef struct {
	double w, asc, desc, ox, oy;
} layout_t;

static layout_t layout(cairo_t *cr, const char *text, const vpm_text_style_t *st)
{
	cairo_text_extents_t te;
	cairo_font_extents_t fe;
	layout_t l;

	vpm_priv_select_font(cr, st);
	cairo_text_extents(cr, text, &te);
	cairo_font_extents(cr, &fe);
	l.w = te.x_advance;
	l.asc = fe.ascent;
	l.desc = fe.descent;
	l.ox = -st->halign * l.w;
	/* valign 0 puts the top of the ascent at the anchor, 1 the bottom of
	 * the descent; 0.5 lands within 2% of an em of the capitals' middle
	 * for DejaVu Sans. */
	if (st->valign < 0.0)
		l.oy = 0.0;
	else
		l.oy = l.asc * (1.0 - st->valign) - l.desc * st->valign;
	return l;
}

void vpm_text_measure(cairo_t *cr, const char *text, const vpm_text_style_t *st, double *w_mm,
		      double *h_mm)
{
	layout_t l = layout(cr, text ? text : "", st);

	if (w_mm)
		*w_mm = l.w;
	if (h_mm)
		*h_mm = l.asc + l.desc;
}

static vpm_box_t rotated_box(double x, double y, const layout_t *l, double angle_deg)
{
	double phi = -angle_deg * (VPM_PLOT_PI / 180.0), c = cos(phi), s = sin(phi);
	double u[2] = { l->ox, l->ox + l->w }, v[2] = { l->oy - l->asc, l->oy + l->desc };
	vpm_box_t b = { INFINITY, INFINITY, -INFINITY, -INFINITY };
	int i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < 2; j++) {
			double px = x + u[i] * c - v[j] * s, py = y + u[i] * s + v[j] * c;

			b.x0 = fmin(b.x0, px);
			b.x1 = fmax(b.x1, px);
			b.y0 = fmin(b.y0, py);
			b.y1 = fmax(b.y1, py);
		}
	}
	return b;
}

vpm_box_t vpm_text_box(cairo_t *cr, double x_mm, double y_mm, const char *text,
		       const vpm_text_style_t *st)
{
	layout_t l = layout(cr, text ? text : "", st);

	return rotated_box(x_mm, y_mm, &l, st->angle_deg);
}

vpm_box_t vpm_text_draw(cairo_t *cr, double x_mm, double y_mm, const char *text,
			const vpm_text_style_t *st)
{
	layout_t l;

	if (!text)
		text = "";
	l = layout(cr, text, st);
	cairo_save(cr);
	cairo_translate(cr, x_mm, y_mm);
	cairo_rotate(cr, -st->angle_deg * (VPM_PLOT_PI / 180.0));
	if (st->halo) {
		/* The outline is a path; the glyphs drawn over it stay text. */
		cairo_move_to(cr, l.ox, l.oy);
		cairo_text_path(cr, text);
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.9 * st->color.a));
		cairo_set_line_width(cr, 0.24 * size_mm(st));
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(cr);
	}
	cairo_move_to(cr, l.ox, l.oy);
	vpm_priv_source(cr, st->color);
	cairo_show_text(cr, text);
	cairo_new_path(cr);
	cairo_restore(cr);
	return rotated_box(x_mm, y_mm, &l, st->angle_deg);
}

static double advance(cairo_t *cr, const char *s)
{
	cairo_text_extents_t te;

	cairo_text_extents(cr, s, &te);
	return te.x_advance;
}

size_t vpm_text_utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	/* s[max] is the first byte left out: while it continues a character
	 * (10xxxxxx), that character would be split, so leave it out whole */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

/* Copy s[0..n) into buf of `size` bytes (at least 1), NUL-terminated, cut
 * to fit at a character boundary. */
static void copy_span(char *buf, size_t size, const char *s, size_t n)
{
	n = vpm_text_utf8_cut(s, n, size - 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
}

double vpm_text_wrap(cairo_t *cr, double x_mm, double y_mm, double width_mm, const char *text,
		     const vpm_text_style_t *st, int draw)
{
	cairo_font_extents_t fe;
	char line[LINE_MAX], cand[LINE_MAX];
	const char *p = text ? text : "";
	double lh, top_pad;
	int nlines = 0;

	vpm_priv_select_font(cr, st);
	cairo_font_extents(cr, &fe);
	lh = LINE_SPACING * size_mm(st);
	top_pad = (lh - fe.ascent - fe.descent) / 2.0;
	for (;;) {
		const char *pend = strchr(p, '\n');
		const char *q = p;

		if (!pend)
			pend = p + strlen(p);
		line[0] = '\0';
		for (;;) {
			const char *w0, *w1;
			size_t used = strlen(line);
			int flush = 0;

			while (q < pend && *q == ' ')
				q++;
			w0 = q;
			while (q < pend && *q != ' ')
				q++;
			w1 = q;
			if (w0 == w1) {
				/* end of paragraph: emit the line; an empty
				 * paragraph before a newline is a blank line */
				flush = used > 0 || *pend == '\n';
			} else if (used == 0) {
				copy_span(line, sizeof line, w0, (size_t)(w1 - w0));
				continue;
			} else {
				copy_span(cand, sizeof cand, line, used);
				if (used + 1 < LINE_MAX) {
					cand[used] = ' ';
					copy_span(cand + used + 1, LINE_MAX - used - 1, w0,
						  (size_t)(w1 - w0));
				}
				if (advance(cr, cand) <= width_mm) {
					memcpy(line, cand, sizeof line);
					continue;
				}
				flush = 1;
			}
			if (flush) {
				if (draw && line[0]) {
					double lw = advance(cr, line);

					cairo_move_to(cr, x_mm + st->halign * (width_mm - lw),
						      y_mm + nlines * lh + top_pad + fe.ascent);
					vpm_priv_source(cr, st->color);
					cairo_show_text(cr, line);
					cairo_new_path(cr);
				}
				nlines++;
			}
			if (w0 == w1)
				break;
			/* the word that did not fit starts the next line */
			copy_span(line, sizeof line, w0, (size_t)(w1 - w0));
		}
		if (!*pend)
			break;
		p = pend + 1;
	}
	return nlines * lh;
}

/* ---------------------------------------------------------------- page furniture */

double vpm_page_title(const vpm_page_t *pg, const char *title, const char *subtitle)
{
	vpm_text_style_t ts = vpm_text_style(15.0), ss = vpm_text_style(10.5);
	double x = pg->margin_mm, y = pg->margin_mm, w = pg->width_mm - 2.0 * pg->margin_mm;

	ts.bold = 1;
	ss.color = VPM_INK_SOFT;
	if (title)
		y += vpm_text_wrap(pg->cr, x, y, w, title, &ts, 1);
	if (subtitle)
		y += 0.5 + vpm_text_wrap(pg->cr, x, y + 0.5, w, subtitle, &ss, 1);
	return y + 2.0;
}

/* A cursor flowing runs of text into lines of a fixed width. */
typedef struct {
	cairo_t *cr;
	double x0, y0, width, lh, asc, cx;
	int line, draw;
} flow_t;

static void flow_newline(flow_t *f)
{
	f->cx = 0.0;
	f->line++;
}

/* Put a run at the cursor (no wrapping). */
static void flow_run(flow_t *f, const char *s, const vpm_text_style_t *st)
{
	vpm_priv_select_font(f->cr, st);
	if (f->draw) {
		cairo_move_to(f->cr, f->x0 + f->cx, f->y0 + f->line * f->lh + f->asc);
		vpm_priv_source(f->cr, st->color);
		cairo_show_text(f->cr, s);
		cairo_new_path(f->cr);
	}
	f->cx += advance(f->cr, s);
}

static double run_width(cairo_t *cr, const char *s, const vpm_text_style_t *st)
{
	vpm_priv_select_font(cr, st);
	return advance(cr, s);
}

/* Put the words of s one by one, wrapping between them. */
static void flow_words(flow_t *f, const char *s, const vpm_text_style_t *st)
{
	char word[LINE_MAX];

	while (*s) {
		const char *w0, *w1;
		double ww;

		while (*s == ' ')
			s++;
		w0 = s;
		while (*s && *s != ' ')
			s++;
		w1 = s;
		if (w0 == w1)
			break;
		copy_span(word, sizeof word, w0, (size_t)(w1 - w0));
		ww = run_width(f->cr, word, st);
		if (f->cx > 0.0) {
			double sp = run_width(f->cr, " ", st);

			if (f->cx + sp + ww > f->width)
				flow_newline(f);
			else
				f->cx += sp;
		}
		flow_run(f, word, st);
	}
}

static int footer_layout(const vpm_page_t *pg, const char *heading, const vpm_footer_item_t *items,
			 size_t n, double top, int draw)
{
	vpm_text_style_t hs = vpm_text_style(7.5), ks = vpm_text_style(7.5);
	vpm_text_style_t vs = vpm_text_style(7.5);
	cairo_font_extents_t fe;
	const char *sep = "  \xc2\xb7  "; /* "  ·  " */
	char key[LINE_MAX];
	flow_t f;
	size_t k;

	hs.bold = 1;
	ks.color = VPM_INK_SOFT;
	vpm_priv_select_font(pg->cr, &vs);
	cairo_font_extents(pg->cr, &fe);
	f.cr = pg->cr;
	f.x0 = pg->margin_mm;
	f.y0 = top;
	f.width = pg->width_mm - 2.0 * pg->margin_mm;
	f.lh = LINE_SPACING * size_mm(&vs);
	f.asc = fe.ascent + (f.lh - fe.ascent - fe.descent) / 2.0;
	f.cx = 0.0;
	f.line = 0;
	f.draw = draw;
	if (heading) {
		flow_words(&f, heading, &hs);
		f.cx += run_width(pg->cr, "  ", &vs);
	}
	for (k = 0; k < n; k++) {
		const char *kv = items[k].key ? items[k].key : "";
		const char *vv = items[k].value ? items[k].value : "";
		double sw = k > 0 ? run_width(pg->cr, sep, &vs) : 0.0, iw;

		copy_span(key, sizeof key - 2, kv, strlen(kv));
		strcat(key, ": ");
		iw = run_width(pg->cr, key, &ks) + run_width(pg->cr, vv, &vs);
		if (f.cx > 0.0 && f.cx + sw + iw > f.width) {
			flow_newline(&f);
		} else if (k > 0) {
			flow_run(&f, sep, &ks);
		}
		if (iw <= f.width - f.cx) {
			flow_run(&f, key, &ks);
			flow_run(&f, vv, &vs);
		} else {
			flow_words(&f, key, &ks);
			flow_words(&f, vv, &vs);
		}
	}
	return f.line + 1;
}

double vpm_page_footer(const vpm_page_t *pg, const char *heading, const vpm_footer_item_t *items,
		       size_t n, int draw)
{
	vpm_text_style_t vs = vpm_text_style(7.5);
	double lh = LINE_SPACING * size_mm(&vs), bottom = pg->height_mm - pg->margin_mm, top;
	int lines = footer_layout(pg, heading, items, n, 0.0, 0);

	top = bottom - lines * lh;
	if (draw) {
		cairo_save(pg->cr);
		cairo_move_to(pg->cr, pg->margin_mm, top - 1.2);
		cairo_line_to(pg->cr, pg->width_mm - pg->margin_mm, top - 1.2);
		vpm_priv_source(pg->cr, vpm_color_rgb(0.7, 0.7, 0.7));
		cairo_set_line_width(pg->cr, 0.2);
		cairo_stroke(pg->cr);
		cairo_restore(pg->cr);
		footer_layout(pg, heading, items, n, top, 1);
	}
	return top - 1.2;
}

vpm_box_t vpm_note_box(cairo_t *cr, double x_mm, double y_mm, double width_mm, const char *heading,
		       const char *text, double size_pt, int draw)
{
	const double pad = 2.5, r = 1.5;
	vpm_text_style_t hs = vpm_text_style(size_pt + 1.0), bs = vpm_text_style(size_pt);
	double inner = width_mm - 2.0 * pad, hh = 0.0, bh, h;
	vpm_box_t box;

	hs.bold = 1;
	if (heading)
		hh = vpm_text_wrap(cr, 0, 0, inner, heading, &hs, 0) + 0.8;
	bh = text ? vpm_text_wrap(cr, 0, 0, inner, text, &bs, 0) : 0.0;
	h = pad + hh + bh + pad;
	box.x0 = x_mm;
	box.y0 = y_mm;
	box.x1 = x_mm + width_mm;
	box.y1 = y_mm + h;
	if (!draw)
		return box;
	cairo_save(cr);
	cairo_new_sub_path(cr);
	cairo_arc(cr, box.x1 - r, box.y0 + r, r, -VPM_PLOT_PI / 2, 0);
	cairo_arc(cr, box.x1 - r, box.y1 - r, r, 0, VPM_PLOT_PI / 2);
	cairo_arc(cr, box.x0 + r, box.y1 - r, r, VPM_PLOT_PI / 2, VPM_PLOT_PI);
	cairo_arc(cr, box.x0 + r, box.y0 + r, r, VPM_PLOT_PI, 1.5 * VPM_PLOT_PI);
	cairo_close_path(cr);
	vpm_priv_source(cr, vpm_color_rgb(0.955, 0.955, 0.955));
	cairo_fill_preserve(cr);
	vpm_priv_source(cr, vpm_color_rgb(0.72, 0.72, 0.72));
	cairo_set_line_width(cr, 0.2);
	cairo_stroke(cr);
	cairo_restore(cr);
	if (heading)
		vpm_text_wrap(cr, x_mm + pad, y_mm + pad, inner, heading, &hs, 1);
	if (text)
		vpm_text_wrap(cr, x_mm + pad, y_mm + pad + hh, inner, text, &bs, 1);
	return box;
}
