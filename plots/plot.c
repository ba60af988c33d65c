/* Plots: data rectangles on a page, axes, heatmaps, contours, markers,
 * labels and the previs primitives. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_private.h"

#define MAX_TICKS 64
#define TICK_LEN 1.5   /* mm, outward */
#define TICK_PT 9.0    /* tick labels */
#define TITLE_PT 10.0  /* axis titles */
#define CONTOUR_PT 8.0 /* inline contour labels */
#define SEAM_MM 0.08   /* heatmap cells overlap their later neighbours */

/* ---------------------------------------------------------------- set-up */

static vpm_status_t check_axis(const vpm_axis_t *a, const char *name)
{
	if (!isfinite(a->min) || !isfinite(a->max) || a->min == a->max)
		return vpm_error_set(VPM_EINVAL,
				     "plot: %s axis range [%g, %g] is empty or not finite", name,
				     a->min, a->max);
	if (a->scale == VPM_AXIS_LOG && !(a->min > 0.0 && a->max > 0.0))
		return vpm_error_set(VPM_EINVAL,
				     "plot: %s axis is logarithmic but [%g, %g] is not > 0", name,
				     a->min, a->max);
	if (a->secondary_factor != 0.0 &&
	    !(a->secondary_factor > 0.0 && isfinite(a->secondary_factor)))
		return vpm_error_set(VPM_EINVAL, "plot: %s axis secondary factor %g must be > 0",
				     name, a->secondary_factor);
	if (a->nticks < 0 || (a->nticks > 0 && !a->ticks))
		return vpm_error_set(VPM_EINVAL, "plot: %s axis explicit ticks invalid", name);
	return VPM_OK;
}

vpm_status_t vpm_plot_init(vpm_plot_t *p, cairo_t *cr, vpm_box_t area, const vpm_axis_t *x,
			   const vpm_axis_t *y)
{
	vpm_status_t st;

	if (!p || !cr || !x || !y)
		return vpm_error_set(VPM_EINVAL, "plot: NULL argument");
	if (!(area.x1 > area.x0) || !(area.y1 > area.y0) || !isfinite(area.x0) ||
	    !isfinite(area.x1) || !isfinite(area.y0) || !isfinite(area.y1))
		return vpm_error_set(VPM_EINVAL, "plot: area %g..%g × %g..%g mm is empty", area.x0,
				     area.x1, area.y0, area.y1);
	st = check_axis(x, "x");
	if (st == VPM_OK)
		st = check_axis(y, "y");
	if (st != VPM_OK)
		return st;
	p->cr = cr;
	p->area = area;
	p->x = *x;
	p->y = *y;
	vpm_placer_init(&p->labels, area);
	return VPM_OK;
}

vpm_status_t vpm_plot_init_page(vpm_plot_t *p, const vpm_page_t *pg)
{
	vpm_box_t area;
	vpm_axis_t x, y;

	if (!pg)
		return vpm_error_set(VPM_EINVAL, "plot: NULL page");
	area.x0 = 0.0;
	area.y0 = 0.0;
	area.x1 = pg->width_mm;
	area.y1 = pg->height_mm;
	/* y runs from the bottom edge (min = height) to the top (max = 0), so
	 * data y equals page y. */
	x = vpm_axis_default(0.0, pg->width_mm, NULL);
	y = vpm_axis_default(pg->height_mm, 0.0, NULL);
	x.hidden = y.hidden = 1;
	x.grid = y.grid = 0;
	return vpm_plot_init(p, pg->cr, area, &x, &y);
}

void vpm_plot_release(vpm_plot_t *p)
{
	if (p)
		vpm_placer_release(&p->labels);
}

static double axis_fraction(const vpm_axis_t *a, double v)
{
	if (a->scale == VPM_AXIS_LOG)
		return (log10(v) - log10(a->min)) / (log10(a->max) - log10(a->min));
	return (v - a->min) / (a->max - a->min);
}

double vpm_plot_x(const vpm_plot_t *p, double x)
{
	return p->area.x0 + axis_fraction(&p->x, x) * (p->area.x1 - p->area.x0);
}

double vpm_plot_y(const vpm_plot_t *p, double y)
{
	return p->area.y1 - axis_fraction(&p->y, y) * (p->area.y1 - p->area.y0);
}

/* ---------------------------------------------------------------- axes */

typedef struct {
	double v[MAX_TICKS];
	const char *label[MAX_TICKS]; /* explicit tick text, or NULL: the value */
	int n;
	double step; /* 0: explicit or log ticks, printed with %g */
} ticks_t;

static int inside(const vpm_axis_t *a, double v)
{
	double lo = fmin(a->min, a->max), hi = fmax(a->min, a->max), eps = 1e-9 * (hi - lo);

	return v >= lo - eps && v <= hi + eps;
}

static void axis_ticks(const vpm_axis_t *a, ticks_t *t)
{
	int target = a->target_ticks < 2 ? 2 : a->target_ticks > 30 ? 30 : a->target_ticks;
	int k;

	t->n = 0;
	t->step = 0.0;
	memset(t->label, 0, sizeof t->label);
	if (a->nticks > 0) {
		for (k = 0; k < a->nticks && t->n < MAX_TICKS; k++)
			if (isfinite(a->ticks[k]) && inside(a, a->ticks[k])) {
				t->label[t->n] = a->tick_labels ? a->tick_labels[k] : NULL;
				t->v[t->n++] = a->ticks[k];
			}
	} else if (a->scale == VPM_AXIS_LOG) {
		if (vpm_axis_log_ticks(fmin(a->min, a->max), fmax(a->min, a->max), t->v, MAX_TICKS,
				       &t->n) != VPM_OK)
			t->n = 0;
	} else if (vpm_axis_nice_ticks(a->min, a->max, target, t->v, MAX_TICKS, &t->n, &t->step) !=
		   VPM_OK) {
		t->n = 0;
	}
}

void vpm_plot_grid(const vpm_plot_t *p, vpm_color_t color)
{
	cairo_t *cr = p->cr;
	ticks_t t;
	int k;

	cairo_save(cr);
	vpm_priv_source(cr, color);
	cairo_set_line_width(cr, 0.15);
	if (p->x.grid && !p->x.hidden) {
		axis_ticks(&p->x, &t);
		for (k = 0; k < t.n; k++) {
			double X = vpm_plot_x(p, t.v[k]);

			cairo_move_to(cr, X, p->area.y0);
			cairo_line_to(cr, X, p->area.y1);
		}
	}
	if (p->y.grid && !p->y.hidden) {
		axis_ticks(&p->y, &t);
		for (k = 0; k < t.n; k++) {
			double Y = vpm_plot_y(p, t.v[k]);

			cairo_move_to(cr, p->area.x0, Y);
			cairo_line_to(cr, p->area.x1, Y);
		}
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Tick marks and labels of one side.  `side`: 0 bottom, 1 left, 2 top,
 * 3 right.  pos[] are positions in the axis' data units, val[] the values
 * to print.  Returns how far (mm) the labels reach out from the frame. */
static double draw_side(const vpm_plot_t *p, int side, const double *pos, const double *val,
			const char *const *text, int n, double step)
{
	cairo_t *cr = p->cr;
	vpm_text_style_t st = vpm_text_style(TICK_PT);
	vpm_box_t last = { 0, 0, 0, 0 };
	int have_last = 0, k;
	double reach = TICK_LEN;

	cairo_save(cr);
	vpm_priv_source(cr, VPM_INK);
	cairo_set_line_width(cr, 0.25);
	for (k = 0; k < n; k++) {
		double c = side % 2 == 0 ? vpm_plot_x(p, pos[k]) : vpm_plot_y(p, pos[k]);

		switch (side) {
		case 0:
			cairo_move_to(cr, c, p->area.y1);
			cairo_line_to(cr, c, p->area.y1 + TICK_LEN);
			break;
		case 1:
			cairo_move_to(cr, p->area.x0, c);
			cairo_line_to(cr, p->area.x0 - TICK_LEN, c);
			break;
		case 2:
			cairo_move_to(cr, c, p->area.y0);
			cairo_line_to(cr, c, p->area.y0 - TICK_LEN);
			break;
		default:
			cairo_move_to(cr, p->area.x1, c);
			cairo_line_to(cr, p->area.x1 + TICK_LEN, c);
		}
	}
	cairo_stroke(cr);
	cairo_restore(cr);
	for (k = 0; k < n; k++) {
		double c = side % 2 == 0 ? vpm_plot_x(p, pos[k]) : vpm_plot_y(p, pos[k]);
		double lx, ly, gap = TICK_LEN + 1.0;
		char buf[48];
		vpm_box_t b, g;

		if (text != NULL && text[k] != NULL)
			snprintf(buf, sizeof buf, "%.*s",
				 (int)vpm_text_utf8_cut(text[k], strlen(text[k]), sizeof buf - 1),
				 text[k]);
		else
			vpm_axis_format(val[k], step, buf, sizeof buf);
		switch (side) {
		case 0: lx = c, ly = p->area.y1 + gap, st.halign = 0.5, st.valign = 0.0; break;
		case 1: lx = p->area.x0 - gap, ly = c, st.halign = 1.0, st.valign = 0.5; break;
		case 2: lx = c, ly = p->area.y0 - gap, st.halign = 0.5, st.valign = 1.0; break;
		default: lx = p->area.x1 + gap, ly = c, st.halign = 0.0, st.valign = 0.5;
		}
		b = vpm_text_box(cr, lx, ly, buf, &st);
		/* keep a space of 1 mm between neighbouring labels */
		g = b;
		g.x0 -= 0.5;
		g.x1 += 0.5;
		g.y0 -= 0.5;
		g.y1 += 0.5;
		if (have_last && vpm_box_overlap(g, last))
			continue;
		vpm_text_draw(cr, lx, ly, buf, &st);
		last = g;
		have_last = 1;
		switch (side) {
		case 0: reach = fmax(reach, b.y1 - p->area.y1); break;
		case 1: reach = fmax(reach, p->area.x0 - b.x0); break;
		case 2: reach = fmax(reach, p->area.y0 - b.y0); break;
		default: reach = fmax(reach, b.x1 - p->area.x1);
		}
	}
	return reach;
}

static void draw_title(const vpm_plot_t *p, int side, const char *title, double reach)
{
	vpm_text_style_t st = vpm_text_style(TITLE_PT);
	double gap = reach + 1.8;

	if (!title || !*title)
		return;
	st.halign = 0.5;
	switch (side) {
	case 0:
		st.valign = 0.0;
		vpm_text_draw(p->cr, (p->area.x0 + p->area.x1) / 2, p->area.y1 + gap, title, &st);
		break;
	case 1:
		st.valign = 1.0;
		st.angle_deg = 90.0;
		vpm_text_draw(p->cr, p->area.x0 - gap, (p->area.y0 + p->area.y1) / 2, title, &st);
		break;
	case 2:
		st.valign = 1.0;
		vpm_text_draw(p->cr, (p->area.x0 + p->area.x1) / 2, p->area.y0 - gap, title, &st);
		break;
	default:
		st.valign = 0.0;
		st.angle_deg = 90.0;
		vpm_text_draw(p->cr, p->area.x1 + gap, (p->area.y0 + p->area.y1) / 2, title, &st);
	}
}

static void draw_axis(const vpm_plot_t *p, const vpm_axis_t *a, int side)
{
	ticks_t t;
	double prim[MAX_TICKS], sec[MAX_TICKS], reach;
	int n;

	if (a->hidden)
		return;
	axis_ticks(a, &t);
	reach = draw_side(p, side, t.v, t.v, t.label, t.n, t.step);
	draw_title(p, side, a->title, reach);
	if (a->secondary_factor > 0.0 && a->scale == VPM_AXIS_LINEAR &&
	    vpm_axis_secondary_ticks(a->min, a->max, a->secondary_factor, a->target_ticks,
				     a->secondary_whole, prim, sec, MAX_TICKS, &n) == VPM_OK) {
		double step = n > 1 ? sec[1] - sec[0] : 1.0;

		reach = draw_side(p, side + 2, prim, sec, NULL, n, step);
		draw_title(p, side + 2, a->secondary_title, reach);
	}
}

void vpm_plot_axes(const vpm_plot_t *p)
{
	cairo_t *cr = p->cr;

	if (!p->x.hidden || !p->y.hidden) {
		cairo_save(cr);
		cairo_rectangle(cr, p->area.x0, p->area.y0, p->area.x1 - p->area.x0,
				p->area.y1 - p->area.y0);
		vpm_priv_source(cr, VPM_INK);
		cairo_set_line_width(cr, 0.3);
		cairo_stroke(cr);
		cairo_restore(cr);
	}
	draw_axis(p, &p->x, 0);
	draw_axis(p, &p->y, 1);
}

/* ---------------------------------------------------------------- heatmaps */

static int increasing(const double *v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (!isfinite(v[k]) || (k > 0 && !(v[k] > v[k - 1])))
			return 0;
	return 1;
}

static vpm_status_t check_grid(const vpm_grid_t *g)
{
	if (!g || !g->x || !g->y || !g->z)
		return vpm_error_set(VPM_EINVAL, "grid: NULL coordinates or values");
	if (g->nx < 1 || g->ny < 1 || g->nx > 100000 || g->ny > 100000)
		return vpm_error_set(VPM_EINVAL,
				     "grid: %zu × %zu cells is not within 1..100000 per side",
				     g->nx, g->ny);
	if (!increasing(g->x, g->nx) || !increasing(g->y, g->ny))
		return vpm_error_set(VPM_EINVAL, "grid: centres must be finite and increasing");
	if ((g->x_edges && !increasing(g->x_edges, g->nx + 1)) ||
	    (g->y_edges && !increasing(g->y_edges, g->ny + 1)))
		return vpm_error_set(VPM_EINVAL, "grid: edges must be finite and increasing");
	if ((g->nx == 1 && !g->x_edges) || (g->ny == 1 && !g->y_edges))
		return vpm_error_set(VPM_EINVAL, "grid: a single cell across needs its edges");
	return VPM_OK;
}

/* Cell edges from centres: midpoints (geometric on a log axis), the outer
 * ones mirrored. */
static void edges_from(const double *c, const double *given, size_t n, int log_axis, double *e)
{
	size_t k;

	if (given) {
		memcpy(e, given, (n + 1) * sizeof *e);
		return;
	}
	log_axis = log_axis && c[0] > 0.0;
	for (k = 1; k < n; k++)
		e[k] = log_axis ? sqrt(c[k - 1] * c[k]) : 0.5 * (c[k - 1] + c[k]);
	e[0] = log_axis ? c[0] * c[0] / e[1] : 2.0 * c[0] - e[1];
	e[n] = log_axis ? c[n - 1] * c[n - 1] / e[n - 1] : 2.0 * c[n - 1] - e[n - 1];
}

static void clip_area(const vpm_plot_t *p)
{
	cairo_rectangle(p->cr, p->area.x0, p->area.y0, p->area.x1 - p->area.x0,
			p->area.y1 - p->area.y0);
	cairo_clip(p->cr);
}

void vpm_priv_hatch_lines(cairo_t *cr, vpm_box_t box, double spacing_mm, double angle_deg)
{
	double a = angle_deg * (VPM_PLOT_PI / 180.0);
	double dx = cos(a), dy = -sin(a); /* along the lines (page y is down) */
	double nx = -dy, ny = dx;	  /* across them */
	double cx[4] = { box.x0, box.x1, box.x0, box.x1 },
	       cy[4] = { box.y0, box.y0, box.y1, box.y1 };
	double lo = INFINITY, hi = -INFINITY, len;
	long k, k0, k1;
	int i;

	if (!(spacing_mm > 0.0))
		return;
	for (i = 0; i < 4; i++) {
		double d = cx[i] * nx + cy[i] * ny;

		lo = fmin(lo, d);
		hi = fmax(hi, d);
	}
	len = hypot(box.x1 - box.x0, box.y1 - box.y0) + 1.0;
	/* Lines sit on multiples of the spacing from the page origin, so
	 * neighbouring hatched shapes continue each other's pattern. */
	k0 = (long)floor(lo / spacing_mm);
	k1 = (long)ceil(hi / spacing_mm);
	for (k = k0; k <= k1; k++) {
		double d = k * spacing_mm;
		double mx = (box.x0 + box.x1) / 2, my = (box.y0 + box.y1) / 2;
		double off = d - (mx * nx + my * ny);
		double px = mx + off * nx, py = my + off * ny;

		cairo_move_to(cr, px - len * dx, py - len * dy);
		cairo_line_to(cr, px + len * dx, py + len * dy);
	}
}

/* 1 when the cells' page sizes along an axis are all equal (within 1e-6
 * of the span), so the grid can be drawn as one image. */
static int uniform_cells(const vpm_plot_t *p, const double *e, size_t n, int yaxis)
{
	double a = yaxis ? vpm_plot_y(p, e[0]) : vpm_plot_x(p, e[0]);
	double b = yaxis ? vpm_plot_y(p, e[n]) : vpm_plot_x(p, e[n]);
	double d = (b - a) / n;
	size_t k;

	for (k = 1; k < n; k++) {
		double c = yaxis ? vpm_plot_y(p, e[k]) : vpm_plot_x(p, e[k]);

		if (fabs(c - (a + k * d)) > 1e-6 * fabs(b - a))
			return 0;
	}
	return 1;
}

static uint32_t argb(vpm_color_t c)
{
	/* CAIRO_FORMAT_ARGB32: premultiplied, native-endian 32-bit words */
	uint32_t a = (uint32_t)lround(c.a * 255.0);

	return a << 24 | (uint32_t)lround(c.r * c.a * 255.0) << 16 |
	       (uint32_t)lround(c.g * c.a * 255.0) << 8 | (uint32_t)lround(c.b * c.a * 255.0);
}

/* Uniform cells: one image, one pixel per cell, scaled up without
 * smoothing.  Small in PDF and SVG, and free of seams between cells. */
static vpm_status_t heatmap_image(const vpm_plot_t *p, const vpm_grid_t *g, const vpm_cmap_t *m,
				  const double *ex, const double *ey)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)g->nx,
							  (int)g->ny);
	cairo_pattern_t *pat;
	unsigned char *data;
	double x0, x1, y0, y1;
	size_t i, j;
	int stride;

	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return vpm_error_set(VPM_ENOMEM, "heatmap: no memory for a %zu × %zu image", g->nx,
				     g->ny);
	}
	cairo_surface_flush(img);
	data = cairo_image_surface_get_data(img);
	stride = cairo_image_surface_get_stride(img);
	for (j = 0; j < g->ny; j++) {
		/* image row 0 is the top of the plot: the last grid row */
		uint32_t *row = (uint32_t *)(void *)(data + (size_t)stride * (g->ny - 1 - j));

		for (i = 0; i < g->nx; i++)
			row[i] = argb(vpm_cmap_color(m, g->z[j * g->nx + i]));
	}
	cairo_surface_mark_dirty(img);
	x0 = vpm_plot_x(p, ex[0]);
	x1 = vpm_plot_x(p, ex[g->nx]);
	y0 = vpm_plot_y(p, ey[g->ny]);
	y1 = vpm_plot_y(p, ey[0]);
	cairo_save(p->cr);
	cairo_translate(p->cr, x0, y0);
	cairo_scale(p->cr, (x1 - x0) / (double)g->nx, (y1 - y0) / (double)g->ny);
	cairo_set_source_surface(p->cr, img, 0.0, 0.0);
	pat = cairo_get_source(p->cr);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	/* repeat the edge pixels: the image's edges then follow the filled
	 * rectangle exactly, whatever the sampling does at the border */
	cairo_pattern_set_extend(pat, CAIRO_EXTEND_PAD);
	cairo_rectangle(p->cr, 0.0, 0.0, (double)g->nx, (double)g->ny);
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	cairo_surface_destroy(img);
	return VPM_OK;
}

/* Any cells: one rectangle each. */
static void cells_as_rects(const vpm_plot_t *p, const vpm_grid_t *g, const vpm_cmap_t *m,
			   const double *ex, const double *ey)
{
	cairo_t *cr = p->cr;
	size_t i, j;

	for (j = 0; j < g->ny; j++) {
		double ya = vpm_plot_y(p, ey[j]), yb = vpm_plot_y(p, ey[j + 1]);
		double top = fmin(ya, yb), h = fabs(ya - yb);

		for (i = 0; i < g->nx; i++) {
			double xa = vpm_plot_x(p, ex[i]), xb = vpm_plot_x(p, ex[i + 1]);

			/* Each cell reaches SEAM_MM into the neighbours drawn
			 * after it (right, above), hiding hairline seams. */
			cairo_rectangle(cr, fmin(xa, xb), top - SEAM_MM, fabs(xb - xa) + SEAM_MM,
					h + SEAM_MM);
			vpm_priv_source(cr, vpm_cmap_color(m, g->z[j * g->nx + i]));
			cairo_fill(cr);
		}
	}
}

vpm_status_t vpm_plot_heatmap(vpm_plot_t *p, const vpm_grid_t *g, const vpm_cmap_t *m)
{
	cairo_t *cr;
	double *ex, *ey;
	size_t i, j;
	int any_risky = 0;
	vpm_status_t st;

	if (!p)
		return vpm_error_set(VPM_EINVAL, "heatmap: NULL plot");
	st = check_grid(g);
	if (st == VPM_OK)
		st = vpm_cmap_validate(m);
	if (st != VPM_OK)
		return st;
	ex = malloc((g->nx + 1) * sizeof *ex);
	ey = malloc((g->ny + 1) * sizeof *ey);
	if (!ex || !ey) {
		free(ex);
		free(ey);
		return vpm_error_set(VPM_ENOMEM, "heatmap: out of memory");
	}
	edges_from(g->x, g->x_edges, g->nx, p->x.scale == VPM_AXIS_LOG, ex);
	edges_from(g->y, g->y_edges, g->ny, p->y.scale == VPM_AXIS_LOG, ey);
	if ((p->x.scale == VPM_AXIS_LOG && !(ex[0] > 0.0)) ||
	    (p->y.scale == VPM_AXIS_LOG && !(ey[0] > 0.0))) {
		free(ex);
		free(ey);
		return vpm_error_set(VPM_EINVAL,
				     "heatmap: cells reach zero or below on a log axis");
	}
	cr = p->cr;
	cairo_save(cr);
	clip_area(p);
	if (g->nx <= 4096 && g->ny <= 4096 && uniform_cells(p, ex, g->nx, 0) &&
	    uniform_cells(p, ey, g->ny, 1))
		st = heatmap_image(p, g, m, ex, ey);
	else
		cells_as_rects(p, g, m, ex, ey);
	for (j = 0; j < g->ny; j++)
		for (i = 0; i < g->nx; i++)
			any_risky |= vpm_cmap_level(m, g->z[j * g->nx + i]) == 2;
	if (st == VPM_OK && m->hatch_risky && any_risky) {
		for (j = 0; j < g->ny; j++) {
			double ya = vpm_plot_y(p, ey[j]), yb = vpm_plot_y(p, ey[j + 1]);

			/* one rectangle per run of risky cells in a row */
			for (i = 0; i < g->nx; i++) {
				size_t i1 = i;
				double xa, xb;

				while (i1 < g->nx && vpm_cmap_level(m, g->z[j * g->nx + i1]) == 2)
					i1++;
				if (i1 == i)
					continue;
				xa = vpm_plot_x(p, ex[i]);
				xb = vpm_plot_x(p, ex[i1]);
				cairo_rectangle(cr, fmin(xa, xb), fmin(ya, yb), fabs(xb - xa),
						fabs(yb - ya));
				i = i1;
			}
		}
		cairo_clip(cr);
		vpm_priv_hatch_lines(cr, p->area, 1.6, 45.0);
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.45));
		cairo_set_line_width(cr, 0.3);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	free(ex);
	free(ey);
	return st;
}

/* ---------------------------------------------------------------- lines */

vpm_line_style_t vpm_line_style(vpm_color_t color, double width_mm)
{
	vpm_line_style_t ls;

	ls.color = color;
	ls.width_mm = width_mm;
	ls.dash_mm = 0.0;
	ls.halo = 0;
	return ls;
}

void vpm_priv_line(cairo_t *cr, const vpm_line_style_t *ls)
{
	vpm_priv_source(cr, ls->color);
	cairo_set_line_width(cr, ls->width_mm > 0.0 ? ls->width_mm : 0.25);
	if (ls->dash_mm > 0.0) {
		double d[2] = { ls->dash_mm, 0.6 * ls->dash_mm };

		cairo_set_dash(cr, d, 2, 0.0);
	} else {
		cairo_set_dash(cr, NULL, 0, 0.0);
	}
}

void vpm_priv_stroke(cairo_t *cr, const vpm_line_style_t *ls)
{
	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	if (ls->halo) {
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.85 * ls->color.a));
		cairo_set_line_width(cr, (ls->width_mm > 0.0 ? ls->width_mm : 0.25) + 0.6);
		cairo_set_dash(cr, NULL, 0, 0.0);
		cairo_stroke_preserve(cr);
	}
	vpm_priv_line(cr, ls);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* ---------------------------------------------------------------- contours */

typedef struct {
	double x, y, angle_deg, w, h;
} inline_label_t;

/* The point at arc length s along a page polyline, clamped to its ends. */
static void point_at(const double *X, const double *Y, size_t n, int closed, double s, double *px,
		     double *py)
{
	size_t k, m = closed ? n : n - 1;

	for (k = 0; k < m; k++) {
		size_t k1 = (k + 1) % n;
		double d = hypot(X[k1] - X[k], Y[k1] - Y[k]);

		if (s <= d || k + 1 == m) {
			double t = d > 0.0 ? fmin(fmax(s / d, 0.0), 1.0) : 0.0;

			*px = X[k] + t * (X[k1] - X[k]);
			*py = Y[k] + t * (Y[k1] - Y[k]);
			return;
		}
		s -= d;
	}
	*px = X[0];
	*py = Y[0];
}

static vpm_box_t label_box(const inline_label_t *l, double pad)
{
	double a = l->angle_deg * (VPM_PLOT_PI / 180.0), c = fabs(cos(a)), s = fabs(sin(a));
	double hw = (l->w / 2 + pad) * c + (l->h / 2) * s,
	       hh = (l->w / 2 + pad) * s + (l->h / 2) * c;
	vpm_box_t b = { l->x - hw, l->y - hh, l->x + hw, l->y + hh };

	return b;
}

/* Find a spot for one inline label on a page polyline. */
static int place_inline(vpm_plot_t *p, const double *X, const double *Y, size_t n, int closed,
			double w, double h, inline_label_t *out)
{
	static const double frac[7] = { 0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9 };
	double len = 0.0;
	size_t k, m = closed ? n : n - 1;
	int f;

	for (k = 0; k < m; k++)
		len += hypot(X[(k + 1) % n] - X[k], Y[(k + 1) % n] - Y[k]);
	if (len < 2.0 * w + 6.0)
		return 0;
	for (f = 0; f < 7; f++) {
		double s = frac[f] * len, ax, ay, bx, by, ang;
		inline_label_t l;
		vpm_box_t b;

		point_at(X, Y, n, closed, s - w / 2 - 1.0, &ax, &ay);
		point_at(X, Y, n, closed, s + w / 2 + 1.0, &bx, &by);
		point_at(X, Y, n, closed, s, &l.x, &l.y);
		ang = atan2(-(by - ay), bx - ax) * (180.0 / VPM_PLOT_PI);
		if (ang > 90.0)
			ang -= 180.0;
		if (ang < -90.0)
			ang += 180.0;
		l.angle_deg = ang;
		l.w = w;
		l.h = h;
		b = label_box(&l, 0.8);
		if (vpm_placer_fits(&p->labels, b) && vpm_placer_reserve(&p->labels, b) == VPM_OK) {
			*out = l;
			return 1;
		}
	}
	return 0;
}

vpm_status_t vpm_plot_contour(vpm_plot_t *p, const vpm_grid_t *g, double level, int log_z,
			      const vpm_line_style_t *ls, const char *label)
{
	vpm_text_style_t ts = vpm_text_style(CONTOUR_PT);
	vpm_contour_t *c = NULL;
	inline_label_t *labels = NULL;
	size_t nl = 0, k, i, maxn = 0;
	double *X = NULL, *Y = NULL, w = 0.0, h = 0.0;
	cairo_t *cr;
	vpm_status_t st;

	if (!p || !ls)
		return vpm_error_set(VPM_EINVAL, "contour: NULL argument");
	st = check_grid(g);
	if (st != VPM_OK)
		return st;
	if (g->nx < 2 || g->ny < 2)
		return VPM_OK; /* nothing to interpolate */
	st = vpm_contour_compute(g->x, g->y, g->nx, g->ny, g->z, level, log_z, &c);
	if (st != VPM_OK)
		return st;
	for (k = 0; k < c->count; k++)
		if (c->lines[k].n > maxn)
			maxn = c->lines[k].n;
	X = malloc((maxn + 1) * sizeof *X);
	Y = malloc((maxn + 1) * sizeof *Y);
	labels = malloc((c->count + 1) * sizeof *labels);
	if (!X || !Y || !labels) {
		st = vpm_error_set(VPM_ENOMEM, "contour: out of memory");
		goto done;
	}
	cr = p->cr;
	ts.halign = 0.5;
	ts.valign = 0.5;
	ts.halo = 1;
	ts.color = vpm_color_alpha(ls->color, 1.0);
	if (label && *label)
		vpm_text_measure(cr, label, &ts, &w, &h);
	/* Labels first, so the lines can leave a gap for them. */
	for (k = 0; label && *label && k < c->count; k++) {
		const vpm_polyline_t *pl = &c->lines[k];

		for (i = 0; i < pl->n; i++) {
			X[i] = vpm_plot_x(p, pl->x[i]);
			Y[i] = vpm_plot_y(p, pl->y[i]);
		}
		if (pl->n >= 2 && place_inline(p, X, Y, pl->n, pl->closed, w, h, &labels[nl]))
			nl++;
	}
	cairo_save(cr);
	cairo_rectangle(cr, p->area.x0, p->area.y0, p->area.x1 - p->area.x0,
			p->area.y1 - p->area.y0);
	for (k = 0; k < nl; k++) {
		cairo_save(cr);
		cairo_translate(cr, labels[k].x, labels[k].y);
		cairo_rotate(cr, -labels[k].angle_deg * (VPM_PLOT_PI / 180.0));
		cairo_rectangle(cr, -w / 2 - 0.8, -h / 2, w + 1.6, h);
		cairo_restore(cr);
	}
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_clip(cr);
	for (k = 0; k < c->count; k++) {
		const vpm_polyline_t *pl = &c->lines[k];

		if (pl->n < 2)
			continue;
		for (i = 0; i < pl->n; i++) {
			double px = vpm_plot_x(p, pl->x[i]), py = vpm_plot_y(p, pl->y[i]);

			if (i == 0)
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
		}
		if (pl->closed)
			cairo_close_path(cr);
	}
	vpm_priv_stroke(cr, ls);
	cairo_restore(cr);
	for (k = 0; k < nl; k++) {
		ts.angle_deg = labels[k].angle_deg;
		vpm_text_draw(cr, labels[k].x, labels[k].y, label, &ts);
	}
done:
	free(X);
	free(Y);
	free(labels);
	vpm_contour_free(c);
	return st;
}

/* ---------------------------------------------------------------- markers and labels */

void vpm_priv_marker_path(cairo_t *cr, double x, double y, vpm_marker_t shape, double size_mm)
{
	double r = size_mm / 2.0;

	switch (shape) {
	case VPM_MARKER_SQUARE:
		cairo_rectangle(cr, x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r);
		break;
	case VPM_MARKER_TRIANGLE:
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + 0.87 * r, y + 0.5 * r);
		cairo_line_to(cr, x - 0.87 * r, y + 0.5 * r);
		cairo_close_path(cr);
		break;
	case VPM_MARKER_DIAMOND:
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + 0.75 * r, y);
		cairo_line_to(cr, x, y + r);
		cairo_line_to(cr, x - 0.75 * r, y);
		cairo_close_path(cr);
		break;
	case VPM_MARKER_CROSS:
		cairo_move_to(cr, x - 0.7 * r, y - 0.7 * r);
		cairo_line_to(cr, x + 0.7 * r, y + 0.7 * r);
		cairo_move_to(cr, x + 0.7 * r, y - 0.7 * r);
		cairo_line_to(cr, x - 0.7 * r, y + 0.7 * r);
		break;
	case VPM_MARKER_CIRCLE:
	default:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0.0, 2.0 * VPM_PLOT_PI);
		cairo_close_path(cr);
	}
}

vpm_status_t vpm_plot_marker(vpm_plot_t *p, double x, double y, vpm_marker_t shape, double size_mm,
			     vpm_color_t fill, vpm_color_t stroke)
{
	double X, Y, r = size_mm / 2.0;
	cairo_t *cr;
	vpm_box_t b;

	if (!p || !(size_mm > 0.0))
		return vpm_error_set(VPM_EINVAL, "marker: NULL plot or size %g mm", size_mm);
	cr = p->cr;
	X = vpm_plot_x(p, x);
	Y = vpm_plot_y(p, y);
	cairo_save(cr);
	vpm_priv_marker_path(cr, X, Y, shape, size_mm);
	if (shape == VPM_MARKER_CROSS) {
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.9));
		cairo_set_line_width(cr, 0.9);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		cairo_stroke_preserve(cr);
		vpm_priv_source(cr, stroke.a > 0.0 ? stroke : fill);
		cairo_set_line_width(cr, 0.4);
		cairo_stroke(cr);
	} else {
		vpm_priv_source(cr, fill);
		if (fill.a > 0.0)
			cairo_fill_preserve(cr);
		vpm_priv_source(cr, stroke);
		cairo_set_line_width(cr, 0.3);
		if (stroke.a > 0.0)
			cairo_stroke(cr);
		cairo_new_path(cr);
	}
	cairo_restore(cr);
	b.x0 = X - r;
	b.x1 = X + r;
	b.y0 = Y - r;
	b.y1 = Y + r;
	return vpm_placer_reserve(&p->labels, b);
}

vpm_status_t vpm_plot_label(vpm_plot_t *p, double x, double y, const char *text,
			    const vpm_text_style_t *st, vpm_place_t *how)
{
	vpm_text_style_t s;
	vpm_place_t h;
	vpm_box_t b;
	double X, Y, w, ht;
	vpm_status_t r;

	if (!p || !text || !st)
		return vpm_error_set(VPM_EINVAL, "label: NULL argument");
	s = *st;
	s.angle_deg = 0.0;
	s.halign = 0.0;
	s.valign = 0.0;
	X = vpm_plot_x(p, x);
	Y = vpm_plot_y(p, y);
	vpm_text_measure(p->cr, text, &s, &w, &ht);
	r = vpm_placer_place(&p->labels, X, Y, w, ht, 1.6, &b, &h);
	if (r != VPM_OK)
		return r;
	if (h == VPM_PLACE_LEADER) {
		/* from the anchor to the nearest point of the label's box */
		double cx = fmin(fmax(X, b.x0), b.x1), cy = fmin(fmax(Y, b.y0), b.y1);

		cairo_save(p->cr);
		cairo_move_to(p->cr, X, Y);
		cairo_line_to(p->cr, cx, cy);
		vpm_priv_source(p->cr, vpm_color_alpha(s.color, 0.7));
		cairo_set_line_width(p->cr, 0.15);
		cairo_stroke(p->cr);
		cairo_restore(p->cr);
	}
	if (h != VPM_PLACE_NONE)
		vpm_text_draw(p->cr, b.x0, b.y0, text, &s);
	if (how)
		*how = h;
	return VPM_OK;
}

vpm_status_t vpm_plot_reserve(vpm_plot_t *p, double x, double y, double w_mm, double h_mm)
{
	double X, Y;
	vpm_box_t b;

	if (!p || !(w_mm >= 0.0) || !(h_mm >= 0.0))
		return vpm_error_set(VPM_EINVAL, "reserve: NULL plot or negative size");
	X = vpm_plot_x(p, x);
	Y = vpm_plot_y(p, y);
	b.x0 = X - w_mm / 2;
	b.x1 = X + w_mm / 2;
	b.y0 = Y - h_mm / 2;
	b.y1 = Y + h_mm / 2;
	return vpm_placer_reserve(&p->labels, b);
}

void vpm_plot_clip_begin(const vpm_plot_t *p)
{
	cairo_save(p->cr);
	clip_area(p);
}

void vpm_plot_clip_end(const vpm_plot_t *p)
{
	cairo_restore(p->cr);
}

vpm_box_t vpm_plot_text(const vpm_plot_t *p, double x, double y, const char *text,
			const vpm_text_style_t *st)
{
	return vpm_text_draw(p->cr, vpm_plot_x(p, x), vpm_plot_y(p, y), text, st);
}

/* ---------------------------------------------------------------- primitives */

static void path_poly(const vpm_plot_t *p, const double *x, const double *y, size_t n, int closed)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (k == 0)
			cairo_move_to(p->cr, vpm_plot_x(p, x[k]), vpm_plot_y(p, y[k]));
		else
			cairo_line_to(p->cr, vpm_plot_x(p, x[k]), vpm_plot_y(p, y[k]));
	}
	if (closed && n > 2)
		cairo_close_path(p->cr);
}

void vpm_plot_line(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		   const vpm_line_style_t *ls)
{
	double x[2] = { x0, x1 }, y[2] = { y0, y1 };

	vpm_plot_polyline(p, x, y, 2, 0, ls);
}

void vpm_plot_polyline(const vpm_plot_t *p, const double *x, const double *y, size_t n, int closed,
		       const vpm_line_style_t *ls)
{
	if (!p || !x || !y || !ls || n < 2)
		return;
	cairo_new_path(p->cr);
	path_poly(p, x, y, n, closed);
	vpm_priv_stroke(p->cr, ls);
}

void vpm_plot_polygon(const vpm_plot_t *p, const double *x, const double *y, size_t n,
		      vpm_color_t fill, const vpm_line_style_t *outline)
{
	if (!p || !x || !y || n < 3)
		return;
	cairo_save(p->cr);
	cairo_new_path(p->cr);
	path_poly(p, x, y, n, 1);
	vpm_priv_source(p->cr, fill);
	if (outline) {
		cairo_fill_preserve(p->cr);
		vpm_priv_stroke(p->cr, outline);
	} else {
		cairo_fill(p->cr);
	}
	cairo_restore(p->cr);
}

void vpm_plot_hatch(const vpm_plot_t *p, const double *x, const double *y, size_t n,
		    const vpm_line_style_t *ls, double spacing_mm, double angle_deg)
{
	double x1, y1, x2, y2;
	vpm_box_t b;

	if (!p || !x || !y || !ls || n < 3)
		return;
	cairo_save(p->cr);
	cairo_new_path(p->cr);
	path_poly(p, x, y, n, 1);
	cairo_fill_extents(p->cr, &x1, &y1, &x2, &y2);
	cairo_clip(p->cr);
	b.x0 = x1;
	b.y0 = y1;
	b.x1 = x2;
	b.y1 = y2;
	vpm_priv_hatch_lines(p->cr, b, spacing_mm, angle_deg);
	vpm_priv_line(p->cr, ls);
	cairo_stroke(p->cr);
	cairo_restore(p->cr);
}

void vpm_plot_rect(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		   vpm_color_t fill, const vpm_line_style_t *outline)
{
	double x[4] = { x0, x1, x1, x0 }, y[4] = { y0, y0, y1, y1 };

	vpm_plot_polygon(p, x, y, 4, fill, outline);
}

/* A filled arrow head at page (x, y) pointing along (ux, uy) (unit). */
static void head(cairo_t *cr, double x, double y, double ux, double uy, double len)
{
	double w = 0.36 * len;

	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x - len * ux - w * uy, y - len * uy + w * ux);
	cairo_line_to(cr, x - len * ux + w * uy, y - len * uy - w * ux);
	cairo_close_path(cr);
	cairo_fill(cr);
}

/* Arrow between page points. */
static void page_arrow(cairo_t *cr, double X0, double Y0, double X1, double Y1,
		       const vpm_line_style_t *ls, int heads)
{
	double d = hypot(X1 - X0, Y1 - Y0), ux, uy, len;
	double lw = ls->width_mm > 0.0 ? ls->width_mm : 0.25;

	if (!(d > 0.0))
		return;
	ux = (X1 - X0) / d;
	uy = (Y1 - Y0) / d;
	len = fmin(fmax(2.2, 5.0 * lw), d / (heads > 1 ? 2.2 : 1.1));
	cairo_new_path(cr);
	cairo_move_to(cr, heads > 1 ? X0 + 0.8 * len * ux : X0,
		      heads > 1 ? Y0 + 0.8 * len * uy : Y0);
	cairo_line_to(cr, X1 - 0.8 * len * ux, Y1 - 0.8 * len * uy);
	vpm_priv_stroke(cr, ls);
	cairo_save(cr);
	vpm_priv_source(cr, ls->color);
	head(cr, X1, Y1, ux, uy, len);
	if (heads > 1)
		head(cr, X0, Y0, -ux, -uy, len);
	cairo_restore(cr);
}

void vpm_plot_arrow(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		    const vpm_line_style_t *ls, int heads)
{
	if (!p || !ls)
		return;
	page_arrow(p->cr, vpm_plot_x(p, x0), vpm_plot_y(p, y0), vpm_plot_x(p, x1),
		   vpm_plot_y(p, y1), ls, heads);
}

void vpm_plot_dimension(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
			double offset_mm, const char *text, const vpm_text_style_t *st)
{
	double X0, Y0, X1, Y1, d, ux, uy, nx, ny, sgn;
	vpm_line_style_t ls = vpm_line_style(VPM_INK, 0.2);
	cairo_t *cr;

	if (!p)
		return;
	cr = p->cr;
	X0 = vpm_plot_x(p, x0);
	Y0 = vpm_plot_y(p, y0);
	X1 = vpm_plot_x(p, x1);
	Y1 = vpm_plot_y(p, y1);
	d = hypot(X1 - X0, Y1 - Y0);
	if (!(d > 0.0))
		return;
	ux = (X1 - X0) / d;
	uy = (Y1 - Y0) / d;
	/* left of the direction of travel, on a page whose y points down */
	nx = uy;
	ny = -ux;
	sgn = offset_mm < 0.0 ? -1.0 : 1.0;
	if (st)
		ls.color = st->color;
	if (offset_mm != 0.0) {
		cairo_new_path(cr);
		cairo_move_to(cr, X0 + sgn * 0.8 * nx, Y0 + sgn * 0.8 * ny);
		cairo_line_to(cr, X0 + (offset_mm + sgn * 1.2) * nx,
			      Y0 + (offset_mm + sgn * 1.2) * ny);
		cairo_move_to(cr, X1 + sgn * 0.8 * nx, Y1 + sgn * 0.8 * ny);
		cairo_line_to(cr, X1 + (offset_mm + sgn * 1.2) * nx,
			      Y1 + (offset_mm + sgn * 1.2) * ny);
		ls.width_mm = 0.15;
		vpm_priv_stroke(cr, &ls);
		ls.width_mm = 0.2;
	}
	page_arrow(cr, X0 + offset_mm * nx, Y0 + offset_mm * ny, X1 + offset_mm * nx,
		   Y1 + offset_mm * ny, &ls, 2);
	if (text && st) {
		vpm_text_style_t s = *st;
		double ang = atan2(-uy, ux) * (180.0 / VPM_PLOT_PI);

		if (ang > 90.0)
			ang -= 180.0;
		if (ang < -90.0)
			ang += 180.0;
		double tw, th, off;

		s.angle_deg = ang;
		s.halign = 0.5;
		s.valign = 0.5;
		s.halo = 1;
		vpm_text_measure(cr, text, &s, &tw, &th);
		/* beyond the line, on the side away from the measured points */
		off = offset_mm + sgn * (th / 2 + 0.6);
		vpm_text_draw(cr, (X0 + X1) / 2 + off * nx, (Y0 + Y1) / 2 + off * ny, text, &s);
	}
}
