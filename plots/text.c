/* Text: fonts, measuring, anchored and rotated text, wrapped blocks, and
 * the page furniture built from them (title, assumptions footer, notes). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "plot_private.h"

#define LINE_SPACING 1.25 /* line height in ems */
#define RUN_MAX 1024	  /* bytes of one word or run in the footer flow */

/* Text goes through Pango (pangocairo): shaping, kerning, font fallback for
 * characters DejaVu Sans lacks, and line breaking by the Unicode rules
 * (UAX #14), which cairo's own "toy" text API does not do; cairo's manual
 * says the toy API is not meant for real applications
 * (https://www.cairographics.org/manual/cairo-text.html).  Page units are
 * millimetres, so metric hinting is off and glyph positions are not rounded:
 * a hinted, rounded metric at a 2.6 mm font size would be off by a whole
 * unit. */

static const cairo_user_data_key_t font_key;
static const cairo_user_data_key_t pango_key;

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

/* One Pango context and layout per cairo context, kept as its user data and
 * released with it. */
typedef struct {
	PangoContext *ctx;
	PangoLayout *lay;
} text_ctx_t;

static void text_ctx_free(void *p)
{
	text_ctx_t *t = p;

	if (t->lay)
		g_object_unref(t->lay);
	if (t->ctx)
		g_object_unref(t->ctx);
	g_free(t);
}

static text_ctx_t *text_ctx(cairo_t *cr)
{
	text_ctx_t *t = cairo_get_user_data(cr, &pango_key);
	cairo_font_options_t *fo;
	PangoAttrList *attrs;

	if (t)
		return t;
	/* A context of its own, not pango_cairo_create_context(cr): that one
	 * takes the page's millimetre-to-point matrix and reads "absolute" sizes
	 * after it.  With the identity here, sizes and extents are in the
	 * caller's millimetres whatever the matrix, and the glyphs are drawn
	 * through the page's matrix like any path (hinting is off). */
	t = g_new0(text_ctx_t, 1);
	t->ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(t->ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(t->ctx, FALSE);
	t->lay = pango_layout_new(t->ctx);
	/* a word broken across lines (a long file name, a URL) gets no hyphen
	 * that is not in it */
	attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));
	pango_layout_set_attributes(t->lay, attrs);
	pango_attr_list_unref(attrs);
	if (cairo_set_user_data(cr, &pango_key, t, text_ctx_free) != CAIRO_STATUS_SUCCESS) {
		text_ctx_free(t);
		return NULL;
	}
	return t;
}

/* The style's font on the context's layout, unwrapped, one paragraph;
 * NULL only when memory ran out (the cairo context is then in error). */
static PangoLayout *styled(cairo_t *cr, const vpm_text_style_t *st)
{
	text_ctx_t *t = text_ctx(cr);
	PangoFontDescription *fd;

	if (!t)
		return NULL;
	fd = pango_font_description_new();
	pango_font_description_set_family(fd, font_family(cr));
	pango_font_description_set_style(fd, st->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_font_description_set_weight(fd, st->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, size_mm(st) * PANGO_SCALE);
	pango_layout_set_font_description(t->lay, fd);
	pango_layout_set_width(t->lay, -1);
	pango_layout_set_single_paragraph_mode(t->lay, TRUE);
	pango_font_description_free(fd);
	return t->lay;
}

/* Pango needs valid UTF-8: bytes that are not (a name cut by another tool,
 * a Latin-1 CSV) become U+FFFD instead of failing the page. */
static void set_text(PangoLayout *lay, const char *text, int n)
{
	if (g_utf8_validate(text, n, NULL)) {
		pango_layout_set_text(lay, text, n);
	} else {
		gchar *ok = g_utf8_make_valid(text, n);

		pango_layout_set_text(lay, ok, -1);
		g_free(ok);
	}
}

/* Unrotated layout relative to the anchor: the baseline origin (ox, oy)
 * and the box. */
typedef struct {
	double w, asc, desc, ox, oy;
} layout_t;

/* The font's ascent and descent (mm) in the style the layout has: those of
 * an empty line, whatever the text, so that lines and anchors do not move
 * with the letters they hold. */
static void font_extents(PangoLayout *lay, double *asc, double *desc)
{
	PangoRectangle lr = { 0, 0, 0, 0 };
	int base = 0;

	if (lay) {
		pango_layout_set_text(lay, "", 0);
		pango_layout_get_extents(lay, NULL, &lr);
		base = pango_layout_get_baseline(lay);
	}
	*asc = (double)base / PANGO_SCALE;
	*desc = (double)(lr.height - base) / PANGO_SCALE;
}

static layout_t layout(cairo_t *cr, const char *text, const vpm_text_style_t *st)
{
	PangoLayout *lay = styled(cr, st);
	PangoRectangle lr = { 0, 0, 0, 0 };
	layout_t l;

	font_extents(lay, &l.asc, &l.desc);
	if (lay) {
		set_text(lay, text, -1);
		pango_layout_get_extents(lay, NULL, &lr);
	}
	l.w = (double)lr.width / PANGO_SCALE;
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

/* Draw the layout's first line with its baseline at the current point. */
static void show_line(cairo_t *cr, PangoLayout *lay, int path_only)
{
	PangoLayoutLine *line = pango_layout_get_line_readonly(lay, 0);

	if (!line)
		return;
	if (path_only)
		pango_cairo_layout_line_path(cr, line);
	else
		pango_cairo_show_layout_line(cr, line);
}

vpm_box_t vpm_text_draw(cairo_t *cr, double x_mm, double y_mm, const char *text,
			const vpm_text_style_t *st)
{
	PangoLayout *lay;
	layout_t l;

	if (!text)
		text = "";
	l = layout(cr, text, st);
	cairo_save(cr);
	cairo_translate(cr, x_mm, y_mm);
	cairo_rotate(cr, -st->angle_deg * (VPM_PLOT_PI / 180.0));
	/* the rotation is part of the context's matrix from here on */
	lay = styled(cr, st);
	if (lay) {
		set_text(lay, text, -1);
		if (st->halo) {
			/* The outline is a path; the glyphs drawn over it stay text. */
			cairo_move_to(cr, l.ox, l.oy);
			show_line(cr, lay, 1);
			vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.9 * st->color.a));
			cairo_set_line_width(cr, 0.24 * size_mm(st));
			cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
			cairo_stroke(cr);
		}
		cairo_move_to(cr, l.ox, l.oy);
		vpm_priv_source(cr, st->color);
		show_line(cr, lay, 0);
	}
	cairo_new_path(cr);
	cairo_restore(cr);
	return rotated_box(x_mm, y_mm, &l, st->angle_deg);
}

/* Width of a run in the style last given to styled(). */
static double advance(cairo_t *cr, const char *s)
{
	text_ctx_t *t = cairo_get_user_data(cr, &pango_key);
	PangoRectangle lr = { 0, 0, 0, 0 };

	if (!t)
		return 0.0;
	set_text(t->lay, s, -1);
	pango_layout_get_extents(t->lay, NULL, &lr);
	return (double)lr.width / PANGO_SCALE;
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

/* Paragraphs (split at '\n') are broken into lines by Pango at the places
 * UAX #14 allows, a word wider than the block between its characters; every
 * line is LINE_SPACING ems high, its glyphs centred in it. */
double vpm_text_wrap(cairo_t *cr, double x_mm, double y_mm, double width_mm, const char *text,
		     const vpm_text_style_t *st, int draw)
{
	PangoLayout *lay = styled(cr, st);
	const char *p = text ? text : "";
	double lh = LINE_SPACING * size_mm(st), asc, desc, top_pad;
	int nlines = 0;

	font_extents(lay, &asc, &desc);
	top_pad = (lh - asc - desc) / 2.0;
	if (!lay)
		return 0.0;
	pango_layout_set_single_paragraph_mode(lay, FALSE);
	pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_width(lay, width_mm > 0.0 ? (int)(width_mm * PANGO_SCALE) : 0);
	for (;;) {
		const char *pend = strchr(p, '\n');
		int k, n;

		if (!pend)
			pend = p + strlen(p);
		while (p < pend && *p == ' ')
			p++;
		if (p == pend) {
			/* an empty paragraph before a newline is a blank line */
			nlines += *pend == '\n';
		} else {
			set_text(lay, p, (int)(pend - p));
			n = pango_layout_get_line_count(lay);
			for (k = 0; k < n && draw; k++) {
				PangoLayoutLine *line = pango_layout_get_line_readonly(lay, k);
				PangoRectangle lr;
				double lw;

				pango_layout_line_get_extents(line, NULL, &lr);
				lw = (double)lr.width / PANGO_SCALE;
				cairo_move_to(cr, x_mm + st->halign * (width_mm - lw),
					      y_mm + (nlines + k) * lh + top_pad + asc);
				vpm_priv_source(cr, st->color);
				pango_cairo_show_layout_line(cr, line);
				cairo_new_path(cr);
			}
			nlines += n;
		}
		if (!*pend)
			break;
		p = pend + 1;
	}
	pango_layout_set_width(lay, -1);
	pango_layout_set_single_paragraph_mode(lay, TRUE);
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
	PangoLayout *lay = styled(f->cr, st);

	if (!lay)
		return;
	set_text(lay, s, -1);
	if (f->draw) {
		cairo_move_to(f->cr, f->x0 + f->cx, f->y0 + f->line * f->lh + f->asc);
		vpm_priv_source(f->cr, st->color);
		show_line(f->cr, lay, 0);
		cairo_new_path(f->cr);
	}
	f->cx += advance(f->cr, s);
}

static double run_width(cairo_t *cr, const char *s, const vpm_text_style_t *st)
{
	if (!styled(cr, st))
		return 0.0;
	return advance(cr, s);
}

/* Put the words of s one by one, wrapping between them. */
static void flow_words(flow_t *f, const char *s, const vpm_text_style_t *st)
{
	char word[RUN_MAX];

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
	double asc, desc;
	const char *sep = "  \xc2\xb7  "; /* "  ·  " */
	char key[RUN_MAX];
	flow_t f;
	size_t k;

	hs.bold = 1;
	ks.color = VPM_INK_SOFT;
	font_extents(styled(pg->cr, &vs), &asc, &desc);
	f.cr = pg->cr;
	f.x0 = pg->margin_mm;
	f.y0 = top;
	f.width = pg->width_mm - 2.0 * pg->margin_mm;
	f.lh = LINE_SPACING * size_mm(&vs);
	f.asc = asc + (f.lh - asc - desc) / 2.0;
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
