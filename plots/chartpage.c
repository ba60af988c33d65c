/* The prep-book pages: the safe-shot chart and the focus planner. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartpage.h"
#include "plot_private.h"

#define FT_PER_M (1.0 / 0.3048)
#define SIDE_W 66.0 /* mm: the right-hand column of a chart page */

static vpm_color_t c_blocked(void)
{
	return vpm_color_rgb(0.80, 0.80, 0.80);
}
static vpm_color_t c_blocked_ink(void)
{
	return vpm_color_rgb(0.52, 0.52, 0.52);
}
static vpm_color_t c_close(void)
{
	return vpm_color_rgb(0.10, 0.25, 0.60);
}
static vpm_color_t c_ink(void)
{
	return vpm_color_rgb(0.13, 0.13, 0.13);
}
static vpm_color_t c_dof(void)
{
	return vpm_color_rgb(0.20, 0.50, 0.90);
}
static vpm_color_t c_focus(void)
{
	return vpm_color_rgb(0.05, 0.30, 0.70);
}
static vpm_color_t c_warn(void)
{
	return vpm_color_rgb(0.65, 0.10, 0.10);
}

#define CHECK(call)                \
	do {                       \
		st = (call);       \
		if (st != VPM_OK)  \
			goto fail; \
	} while (0)

/* Cell edges of the columns: categorical i ± 0.5; continuous geometric
 * means between neighbours (log axis), the outer ones mirrored. */
static void column_edges(const vpm_chartpage_t *c, const double *x, double *e)
{
	size_t i, n = c->nx;

	if (c->categorical) {
		for (i = 0; i <= n; i++)
			e[i] = (double)i - 0.5;
		return;
	}
	if (n == 1) {
		e[0] = x[0] / 1.1;
		e[1] = x[0] * 1.1;
		return;
	}
	for (i = 1; i < n; i++)
		e[i] = sqrt(x[i - 1] * x[i]);
	e[0] = x[0] * x[0] / e[1];
	e[n] = x[n - 1] * x[n - 1] / e[n - 1];
}

/* The path of every cell that cannot be shot (one rectangle per run of
 * such cells in a column, a hair wider so no seams show).  Returns 1 when
 * there is any. */
static int blocked_path(const vpm_plot_t *p, const vpm_chartpage_t *c, const double *ex)
{
	double h = (c->wall_max_m - c->wall_min_m) / (double)c->ny;
	size_t i, j;
	int any = 0;

	for (i = 0; i < c->nx; i++) {
		for (j = 0; j < c->ny; j++) {
			size_t j1 = j;
			double xa, xb, ya, yb;

			while (j1 < c->ny && c->state[j1 * c->nx + i] != VPM_CHARTPAGE_CELL_OK)
				j1++;
			if (j1 == j)
				continue;
			xa = vpm_plot_x(p, ex[i]);
			xb = vpm_plot_x(p, ex[i + 1]);
			ya = vpm_plot_y(p, c->wall_min_m + h * (double)j);
			yb = vpm_plot_y(p, c->wall_min_m + h * (double)j1);
			cairo_rectangle(p->cr, fmin(xa, xb) - 0.05, fmin(ya, yb) - 0.05,
					fabs(xb - xa) + 0.1, fabs(yb - ya) + 0.1);
			any = 1;
			j = j1;
		}
	}
	return any;
}

/* Hatched grey over every cell that cannot be shot, as one clip path so
 * the hatching runs on across neighbouring columns. */
static void draw_blocked(const vpm_plot_t *p, const vpm_chartpage_t *c, const double *ex)
{
	cairo_t *cr = p->cr;

	cairo_save(cr);
	cairo_rectangle(cr, p->area.x0, p->area.y0, p->area.x1 - p->area.x0,
			p->area.y1 - p->area.y0);
	cairo_clip(cr);
	cairo_new_path(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	if (!blocked_path(p, c, ex)) {
		cairo_new_path(cr);
		cairo_restore(cr);
		return;
	}
	cairo_clip(cr);
	vpm_priv_source(cr, c_blocked());
	cairo_paint(cr);
	vpm_priv_hatch_lines(cr, p->area, 1.5, 45.0);
	vpm_priv_source(cr, c_blocked_ink());
	cairo_set_line_width(cr, 0.22);
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* A contour grid for categorical columns: two nodes across each column
 * (just inside its edges) and a NaN node between columns, so marching
 * squares draws each column's threshold crossings and never joins two
 * lenses. */
typedef struct {
	vpm_grid_t g;
	double *x, *z;
} column_grid_t;

static void column_grid_free(column_grid_t *cg)
{
	free(cg->x);
	free(cg->z);
	cg->x = cg->z = NULL;
}

static vpm_status_t column_grid(const vpm_chartpage_t *c, column_grid_t *cg)
{
	size_t n = 3 * c->nx - 1, i, j;

	cg->x = malloc(n * sizeof *cg->x);
	cg->z = malloc(n * c->ny * sizeof *cg->z);
	if (!cg->x || !cg->z) {
		column_grid_free(cg);
		return vpm_error_set(VPM_ENOMEM, "chart page: out of memory");
	}
	for (i = 0; i < c->nx; i++) {
		cg->x[3 * i] = (double)i - 0.44;
		cg->x[3 * i + 1] = (double)i + 0.44;
		if (i + 1 < c->nx)
			cg->x[3 * i + 2] = (double)i + 0.5;
	}
	for (j = 0; j < c->ny; j++)
		for (i = 0; i < c->nx; i++) {
			double v = c->visibility[j * c->nx + i];
			cg->z[j * n + 3 * i] = v;
			cg->z[j * n + 3 * i + 1] = v;
			if (i + 1 < c->nx)
				cg->z[j * n + 3 * i + 2] = NAN;
		}
	cg->g.nx = n;
	cg->g.ny = c->ny;
	cg->g.x = cg->x;
	cg->g.y = c->wall_m;
	cg->g.x_edges = NULL;
	cg->g.y_edges = NULL;
	cg->g.z = cg->z;
	return VPM_OK;
}

/* The legend of a chart page, in two columns side by side: the classes
 * (unless a colour bar shows them) and the blocked cells; the lines and
 * the markers.  Returns the box of both. */
static vpm_box_t chart_legend(cairo_t *cr, double x, double y, const vpm_chartpage_t *c,
			      int one_column, int draw)
{
	char t0[64], t1[64], t2[64], l1[64], l3[64];
	vpm_legend_entry_t a[4], b[4];
	vpm_line_style_t lc1 = vpm_line_style(c_ink(), 0.35), lc3 = vpm_line_style(c_ink(), 0.6);
	vpm_line_style_t lcf = vpm_line_style(c_close(), 0.55);
	vpm_box_t ba = { x, y, x, y }, bb;
	size_t na = 0, nb = 0;

	lc1.dash_mm = 1.6;
	memset(a, 0, sizeof a);
	memset(b, 0, sizeof b);
	if (!c->colour_by_visibility) {
		snprintf(t0, sizeof t0, "Safe: V < %g", c->caution_at);
		snprintf(t1, sizeof t1, "Care: V %g\xe2\x80\x93%g", c->caution_at, c->risky_at);
		snprintf(t2, sizeof t2, "Risky: V \xe2\x89\xa5 %g", c->risky_at);
		a[na++] =
			(vpm_legend_entry_t){ VPM_LEGEND_SWATCH, t0, vpm_color_risk(0), 0, lc1, 0 };
		a[na++] =
			(vpm_legend_entry_t){ VPM_LEGEND_SWATCH, t1, vpm_color_risk(1), 0, lc1, 0 };
		a[na++] =
			(vpm_legend_entry_t){ VPM_LEGEND_SWATCH, t2, vpm_color_risk(2), 1, lc1, 0 };
	}
	if (c->blocked_legend)
		a[na++] = (vpm_legend_entry_t){
			VPM_LEGEND_SWATCH, c->blocked_legend, c_blocked(), 1, lc1, 0
		};
	snprintf(l1, sizeof l1, "V = %g line", c->caution_at);
	snprintf(l3, sizeof l3, "V = %g line", c->risky_at);
	b[nb++] = (vpm_legend_entry_t){ VPM_LEGEND_LINE, l1, c_ink(), 0, lc1, 0 };
	b[nb++] = (vpm_legend_entry_t){ VPM_LEGEND_LINE, l3, c_ink(), 0, lc3, 0 };
	if (c->close_limit_m)
		b[nb++] = (vpm_legend_entry_t){
			VPM_LEGEND_LINE, "Close focus", c_close(), 0, lcf, 0
		};
	if (c->mark_m && c->marker_legend)
		b[nb++] = (vpm_legend_entry_t){
			VPM_LEGEND_MARKER, c->marker_legend, vpm_color_rgb(1, 1, 1), 0, lc1,
			VPM_MARKER_CIRCLE
		};
	if (one_column) {
		/* everything in one column (the classes are on a colour bar) */
		vpm_legend_entry_t all[8];
		size_t k, n = 0;
		for (k = 0; k < na; k++)
			all[n++] = a[k];
		for (k = 0; k < nb; k++)
			all[n++] = b[k];
		return vpm_legend_draw(cr, x, y, NULL, all, n, 8.0, draw);
	}
	if (na > 0) {
		ba = vpm_legend_draw(cr, x, y, NULL, a, na, 8.0, 0);
		if (na < nb)
			ba.y1 += (ba.y1 - ba.y0 - 4.0) / (double)na * (double)(nb - na);
		if (draw) {
			/* both boxes as tall as the taller one */
			vpm_legend_draw(cr, x, y, NULL, a, na, 8.0, 1);
		}
		x = ba.x1 + 1.5;
	}
	bb = vpm_legend_draw(cr, x, y, NULL, b, nb, 8.0, draw);
	bb.x0 = fmin(bb.x0, ba.x0);
	bb.y1 = fmax(bb.y1, ba.y1);
	return bb;
}

static vpm_status_t check_chartpage(const vpm_chartpage_t *c)
{
	if (!c || c->nx < 1 || c->ny < 2 || !c->focal_mm || !c->wall_m || !c->visibility ||
	    !c->state)
		return vpm_error_set(VPM_EINVAL, "chart page: missing cells");
	if (c->categorical && !c->x_labels)
		return vpm_error_set(VPM_EINVAL, "chart page: categorical columns need labels");
	if (!(c->wall_max_m > c->wall_min_m) || !(c->caution_at > 0.0) ||
	    !(c->risky_at >= c->caution_at))
		return vpm_error_set(VPM_EINVAL, "chart page: bad distance range or thresholds");
	if (c->nx > 64 && c->categorical)
		return vpm_error_set(VPM_EINVAL, "chart page: at most 64 categorical columns");
	return VPM_OK;
}

vpm_status_t vpm_chartpage_draw(const vpm_page_t *pg, const vpm_chartpage_t *c)
{
	vpm_status_t st = VPM_OK;
	cairo_t *cr;
	vpm_plot_t p;
	vpm_axis_t xa, ya;
	vpm_box_t area, lg;
	vpm_cmap_t m;
	vpm_grid_t g;
	column_grid_t cg = { { 0, 0, NULL, NULL, NULL, NULL, NULL }, NULL, NULL };
	double *ex = NULL, *xc = NULL, ticks[64], top, foot, side_x, y;
	vpm_line_style_t l1 = vpm_line_style(c_ink(), 0.35), l3 = vpm_line_style(c_ink(), 0.6);
	vpm_line_style_t cf = vpm_line_style(c_close(), 0.55);
	size_t i;
	int plot_ready = 0;
	char lab1[32], lab3[32];

	if (!pg || !pg->cr)
		return vpm_error_set(VPM_EINVAL, "chart page: no page");
	if ((st = check_chartpage(c)) != VPM_OK)
		return st;
	cr = pg->cr;
	ex = malloc((c->nx + 1) * sizeof *ex);
	xc = malloc(c->nx * sizeof *xc);
	if (!ex || !xc) {
		free(ex);
		free(xc);
		return vpm_error_set(VPM_ENOMEM, "chart page: out of memory");
	}
	for (i = 0; i < c->nx; i++)
		xc[i] = c->categorical ? (double)i : c->focal_mm[i];
	column_edges(c, c->focal_mm, ex);

	top = vpm_page_title(pg, c->title, c->subtitle);
	foot = vpm_page_footer(pg, c->footer_heading, c->footer, c->n_footer, 1);
	side_x = pg->width_mm - pg->margin_mm - SIDE_W;
	area.x0 = pg->margin_mm + 17.0;
	area.x1 = side_x - 21.0;
	area.y0 = top + 5.0;
	area.y1 = foot - 17.0;

	if (c->categorical) {
		xa = vpm_axis_default(-0.5, (double)c->nx - 0.5, c->x_title);
		for (i = 0; i < c->nx; i++)
			ticks[i] = (double)i;
		xa.ticks = ticks;
		xa.nticks = (int)c->nx;
		xa.tick_labels = c->x_labels;
		xa.grid = 0;
	} else {
		xa = vpm_axis_default(ex[0], ex[c->nx], c->x_title);
		xa.scale = VPM_AXIS_LOG;
		if (c->marks_mm && c->n_marks > 0) {
			xa.ticks = c->marks_mm;
			xa.nticks = (int)c->n_marks;
		}
	}
	ya = vpm_axis_default(c->wall_min_m, c->wall_max_m, c->y_title);
	ya.target_ticks = 8;
	ya.secondary_factor = FT_PER_M;
	ya.secondary_title = c->y2_title;
	CHECK(vpm_plot_init(&p, cr, area, &xa, &ya));
	plot_ready = 1;

	if (c->colour_by_visibility) {
		m = vpm_cmap_sequential(0.1, 100.0, 1);
		m.caution_at = c->caution_at;
		m.risky_at = c->risky_at;
		m.hatch_risky = 0;
	} else {
		m = vpm_cmap_risk(c->caution_at, c->risky_at);
	}
	m.nan_color = c_blocked();
	g.nx = c->nx;
	g.ny = c->ny;
	g.x = xc;
	g.y = c->wall_m;
	g.x_edges = c->categorical ? ex : NULL;
	g.y_edges = NULL;
	g.z = c->visibility;
	CHECK(vpm_plot_heatmap(&p, &g, &m));
	draw_blocked(&p, c, ex);
	/* faint distance lines over the colours */
	vpm_plot_grid(&p, vpm_color_alpha(vpm_color_rgb(0, 0, 0), 0.13));
	if (c->categorical) {
		/* white gaps: each column is one lens, nothing lies between */
		vpm_line_style_t sep = vpm_line_style(vpm_color_rgb(1, 1, 1), 0.9);
		for (i = 1; i < c->nx; i++)
			vpm_plot_line(&p, (double)i - 0.5, c->wall_min_m, (double)i - 0.5,
				      c->wall_max_m, &sep);
	}
	/* the close-focus limit: hatched below, a line on top */
	if (c->close_limit_m) {
		vpm_plot_clip_begin(&p);
		if (c->categorical) {
			for (i = 0; i < c->nx; i++)
				if (isfinite(c->close_limit_m[i]))
					vpm_plot_line(&p, (double)i - 0.45, c->close_limit_m[i],
						      (double)i + 0.45, c->close_limit_m[i], &cf);
		} else {
			size_t k = 0, n0;
			double *px = malloc(c->nx * sizeof *px), *py = malloc(c->nx * sizeof *py);
			if (!px || !py) {
				free(px);
				free(py);
				vpm_plot_clip_end(&p);
				st = vpm_error_set(VPM_ENOMEM, "chart page: out of memory");
				goto fail;
			}
			for (i = 0; i <= c->nx; i++) {
				if (i < c->nx && isfinite(c->close_limit_m[i])) {
					px[k] = xc[i];
					py[k++] = c->close_limit_m[i];
					continue;
				}
				n0 = k;
				if (n0 >= 2)
					vpm_plot_polyline(&p, px, py, n0, 0, &cf);
				k = 0;
			}
			free(px);
			free(py);
		}
		vpm_plot_clip_end(&p);
	}
	/* markers keep their places free of contour labels */
	for (i = 0; c->mark_m && i < c->nx; i++)
		if (isfinite(c->mark_m[i]))
			CHECK(vpm_plot_reserve(&p, xc[i], c->mark_m[i], 2.4, 2.4));
	l1.halo = l3.halo = 1;
	l1.dash_mm = 1.6;
	snprintf(lab1, sizeof lab1, "V = %g", c->caution_at);
	snprintf(lab3, sizeof lab3, "V = %g", c->risky_at);
	if (c->categorical) {
		/* marching squares inside each lens's column only: nothing lies
		 * between two lenses, so no line may join them */
		CHECK(column_grid(c, &cg));
		CHECK(vpm_plot_contour(&p, &cg.g, c->caution_at, 1, &l1, NULL));
		CHECK(vpm_plot_contour(&p, &cg.g, c->risky_at, 1, &l3, NULL));
	} else {
		CHECK(vpm_plot_contour(&p, &g, c->caution_at, 1, &l1, lab1));
		CHECK(vpm_plot_contour(&p, &g, c->risky_at, 1, &l3, lab3));
	}
	for (i = 0; c->mark_m && i < c->nx; i++)
		if (isfinite(c->mark_m[i]))
			CHECK(vpm_plot_marker(&p, xc[i], c->mark_m[i], VPM_MARKER_CIRCLE, 2.4,
					      vpm_color_rgb(1, 1, 1), c_ink()));
	if (c->mark_m && c->mark_label) {
		vpm_text_style_t lab = vpm_text_style(7.5);
		lab.halo = 1;
		lab.bold = 1;
		for (i = 0; i < c->nx; i++) {
			if (!isfinite(c->mark_m[i]) || !c->mark_label[i])
				continue;
			if (c->categorical) {
				/* centred in the lens's own column, just above the
				 * marker (below it at the top of the chart): labels of
				 * different columns cannot meet */
				double X = vpm_plot_x(&p, xc[i]), Y = vpm_plot_y(&p, c->mark_m[i]);
				vpm_box_t b;
				lab.halign = 0.5;
				lab.valign = 1.0;
				b = vpm_text_box(cr, X, Y - 1.8, c->mark_label[i], &lab);
				if (b.y0 < p.area.y0) {
					lab.valign = 0.0;
					vpm_text_draw(cr, X, Y + 1.8, c->mark_label[i], &lab);
				} else {
					vpm_text_draw(cr, X, Y - 1.8, c->mark_label[i], &lab);
				}
			} else {
				CHECK(vpm_plot_label(&p, xc[i], c->mark_m[i], c->mark_label[i],
						     &lab, NULL));
			}
		}
	}
	if (c->column_note) {
		vpm_text_style_t ns = vpm_text_style(8.0);
		ns.angle_deg = 90.0;
		ns.halign = 0.5;
		ns.valign = 0.5;
		ns.halo = 1;
		ns.italic = 1;
		for (i = 0; i < c->nx; i++)
			if (c->column_note[i])
				vpm_plot_text(&p, xc[i], 0.5 * (c->wall_min_m + c->wall_max_m),
					      c->column_note[i], &ns);
	}
	vpm_plot_axes(&p);

	/* the right-hand column: legend (beside a colour bar for visibility
	 * colours), the table, the reading guide; fonts shrink (never below
	 * 7 pt) until all of it fits above the footer */
	y = area.y0;
	if (c->colour_by_visibility) {
		vpm_box_t bar = { side_x + 2.0, y + 6.0, side_x + 7.0, y + 30.0 }, cov;
		CHECK(vpm_colorbar_draw(cr, bar, &m, "Visibility V", &cov));
		lg = chart_legend(cr, cov.x1 + 3.0, y, c, 1, 1);
		y = fmax(cov.y1, lg.y1) + 4.0;
	} else {
		lg = chart_legend(cr, side_x, y, c, 0, 1);
		y = lg.y1 + 4.0;
	}
	{
		static const double sizes[][2] = {
			{ 7.5, 8.0 }, { 7.5, 7.5 }, { 7.0, 7.25 }, { 7.0, 7.0 }
		};
		vpm_text_style_t ts = vpm_text_style(8.5);
		vpm_table_t t;
		double title_h = 0.0, table_h = 0.0, guide_h = 0.0;
		size_t k, drawn = 0;
		int show_guide = c->guide != NULL;

		ts.bold = 1;
		ts.valign = 0.0;
		if (c->table && c->table_title)
			vpm_text_measure(cr, c->table_title, &ts, NULL, &title_h);
		for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			table_h = guide_h = 0.0;
			if (c->table) {
				/* measure the table by drawing it into a discarded group */
				t = *c->table;
				t.size_pt = sizes[k][0];
				cairo_push_group(cr);
				st = vpm_table_draw(cr, side_x, y, SIDE_W, 1000.0, &t, 0, &drawn,
						    &table_h);
				cairo_pattern_destroy(cairo_pop_group(cr));
				if (st != VPM_OK)
					goto fail;
				table_h += title_h + 1.2 + 4.0;
			}
			if (c->guide) {
				vpm_box_t gb = vpm_note_box(cr, side_x, 0.0, SIDE_W,
							    c->guide_heading, c->guide, sizes[k][1],
							    0);
				guide_h = gb.y1 - gb.y0;
			}
			if (y + table_h + guide_h <= foot - 3.0)
				break;
		}
		if (k == sizeof sizes / sizeof sizes[0]) {
			/* even at 7 pt: the table stays, the guide goes to the man page */
			k--;
			show_guide = 0;
		}
		if (c->table) {
			if (c->table_title) {
				vpm_text_draw(cr, side_x, y, c->table_title, &ts);
				y += title_h + 1.2;
			}
			t = *c->table;
			t.size_pt = sizes[k][0];
			CHECK(vpm_table_draw(cr, side_x, y, SIDE_W, foot - 3.0 - y, &t, 0, &drawn,
					     &table_h));
			y += table_h + 4.0;
		}
		if (show_guide) {
			vpm_note_box(cr, side_x, y, SIDE_W, c->guide_heading, c->guide, sizes[k][1],
				     1);
		} else if (c->guide) {
			vpm_text_style_t ns = vpm_text_style(7.5);
			ns.italic = 1;
			ns.valign = 0.0;
			vpm_text_wrap(cr, side_x, y, SIDE_W,
				      "How to read this chart: see the vpmoire-chart(1) manual.",
				      &ns, 1);
		}
	}
fail:
	if (plot_ready)
		vpm_plot_release(&p);
	column_grid_free(&cg);
	free(ex);
	free(xc);
	if (st == VPM_OK && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return vpm_error_set(VPM_EINTERNAL, "chart page: %s",
				     cairo_status_to_string(cairo_status(cr)));
	return st;
}

/* ---------------------------------------------------------------- focus page */

static vpm_status_t check_focuspage(const vpm_focuspage_t *f)
{
	size_t i;

	if (!f || !f->views || f->n_views < 1 || f->n_views > 2)
		return vpm_error_set(VPM_EINVAL, "focus page: one or two side views");
	if (!(f->subject_near_m > 0.0) || !(f->subject_far_m >= f->subject_near_m) ||
	    !(f->wall_m > f->subject_far_m) || !isfinite(f->wall_m))
		return vpm_error_set(VPM_EINVAL, "focus page: need 0 < subject near <= far < wall");
	for (i = 0; i < f->n_views; i++)
		if (!(f->views[i].focus_m > 0.0) || !isfinite(f->views[i].focus_m) ||
		    !(f->views[i].dof_near_m > 0.0))
			return vpm_error_set(VPM_EINVAL, "focus page: view %zu has no focus or DOF",
					     i + 1);
	if (f->n_curve == 1 || (f->n_curve > 1 && (!f->curve_focus_m || !f->curve_visibility)))
		return vpm_error_set(VPM_EINVAL, "focus page: a curve needs two points or more");
	if (f->n_curve > 1 && (!(f->caution_at > 0.0) || !(f->risky_at >= f->caution_at)))
		return vpm_error_set(VPM_EINVAL, "focus page: bad thresholds");
	return VPM_OK;
}

/* A small filled chip in the risk colour, with the verdict after it. */
static void verdict_chip(cairo_t *cr, double x, double y, int risk, const char *text)
{
	vpm_text_style_t ts = vpm_text_style(9.0);

	cairo_save(cr);
	cairo_rectangle(cr, x, y - 1.6, 3.2, 3.2);
	vpm_priv_source(cr, vpm_color_risk(risk));
	cairo_fill_preserve(cr);
	vpm_priv_source(cr, VPM_INK_SOFT);
	cairo_set_line_width(cr, 0.2);
	cairo_stroke(cr);
	cairo_restore(cr);
	ts.bold = 1;
	ts.valign = 0.5;
	vpm_text_draw(cr, x + 4.6, y, text, &ts);
}

/* One side view: camera, subject, depth of field, focus plane, wall. */
static vpm_status_t side_view(cairo_t *cr, vpm_box_t area, const vpm_focuspage_t *f,
			      const vpm_focusview_t *v, double x0, double x1, int top_axis,
			      int bottom_title, const char *wall_label)
{
	vpm_status_t st = VPM_OK;
	vpm_plot_t p;
	vpm_axis_t xa = vpm_axis_default(x0, x1, "Distance from the sensor plane (m)");
	vpm_axis_t ya = vpm_axis_default(-0.08, 1.12, NULL);
	vpm_line_style_t ink = vpm_line_style(c_ink(), 0.3);
	vpm_line_style_t fp = vpm_line_style(c_focus(), 0.5);
	vpm_line_style_t thin = vpm_line_style(vpm_color_rgb(0.55, 0.55, 0.55), 0.18);
	vpm_line_style_t led = vpm_line_style(vpm_color_rgb(0.55, 0.55, 0.62), 0.2);
	vpm_line_style_t warn = vpm_line_style(c_warn(), 0.25);
	vpm_text_style_t lab = vpm_text_style(8.0), small = vpm_text_style(7.5);
	double span = x1 - x0, far = isfinite(v->dof_far_m) ? fmin(v->dof_far_m, x1) : x1;
	double camw = 0.05 * span, wallw = 0.018 * span;

	ya.hidden = 1;
	ya.grid = 0;
	xa.grid = 0;
	xa.target_ticks = 10;
	if (!bottom_title)
		xa.title = NULL;
	if (top_axis) {
		xa.secondary_factor = FT_PER_M;
		xa.secondary_title = "Distance from the sensor plane (ft)";
	}
	if ((st = vpm_plot_init(&p, cr, area, &xa, &ya)) != VPM_OK)
		return st;
	/* floor */
	vpm_plot_rect(&p, x0, -0.08, x1, 0.0, vpm_color_rgb(0.91, 0.91, 0.91), NULL);
	/* the field of view towards the wall's top and bottom (schematic) */
	vpm_plot_line(&p, 0.0, 0.5, f->wall_m, 0.98, &thin);
	vpm_plot_line(&p, 0.0, 0.5, f->wall_m, 0.02, &thin);
	/* depth of field */
	vpm_plot_rect(&p, v->dof_near_m, 0.0, far, 0.95, vpm_color_alpha(c_dof(), 0.17), NULL);
	{
		vpm_line_style_t b = vpm_line_style(vpm_color_alpha(c_dof(), 0.7), 0.25);
		vpm_plot_line(&p, v->dof_near_m, 0.0, v->dof_near_m, 0.95, &b);
		if (isfinite(v->dof_far_m) && v->dof_far_m < x1)
			vpm_plot_line(&p, v->dof_far_m, 0.0, v->dof_far_m, 0.95, &b);
	}
	/* subject, and any part of it outside the depth of field */
	vpm_plot_rect(&p, f->subject_near_m, 0.0, f->subject_far_m, 0.62,
		      vpm_color_rgb(0.55, 0.55, 0.60), &ink);
	if (!v->subject_sharp) {
		double sx[4], sy[4] = { 0.0, 0.0, 0.62, 0.62 };
		if (f->subject_near_m < v->dof_near_m) {
			sx[0] = sx[3] = f->subject_near_m;
			sx[1] = sx[2] = fmin(v->dof_near_m, f->subject_far_m);
			vpm_plot_hatch(&p, sx, sy, 4, &warn, 1.0, 45.0);
		}
		if (isfinite(v->dof_far_m) && f->subject_far_m > v->dof_far_m) {
			sx[0] = sx[3] = fmax(v->dof_far_m, f->subject_near_m);
			sx[1] = sx[2] = f->subject_far_m;
			vpm_plot_hatch(&p, sx, sy, 4, &warn, 1.0, 45.0);
		}
	}
	/* camera: body behind the sensor plane, lens in front */
	vpm_plot_rect(&p, -camw, 0.42, -0.15 * camw, 0.58, vpm_color_rgb(0.25, 0.25, 0.25), &ink);
	vpm_plot_rect(&p, -0.15 * camw, 0.45, 0.25 * camw, 0.55, vpm_color_rgb(0.45, 0.45, 0.45),
		      &ink);
	/* wall with its LED rows */
	{
		double wx[4] = { f->wall_m, f->wall_m + wallw, f->wall_m + wallw, f->wall_m };
		double wy[4] = { 0.0, 0.0, 1.0, 1.0 };
		vpm_plot_polygon(&p, wx, wy, 4, vpm_color_rgb(0.15, 0.15, 0.18), &ink);
		vpm_plot_hatch(&p, wx, wy, 4, &led, 0.7, 0.0);
	}
	/* focus plane */
	fp.dash_mm = 1.8;
	vpm_plot_line(&p, v->focus_m, -0.04, v->focus_m, 1.0, &fp);
	CHECK(vpm_plot_reserve(&p, v->focus_m, 0.5, 1.0, 1.0));
	/* labels that must not collide: placed by the plot's placer */
	lab.color = c_focus();
	lab.bold = 1;
	if (v->focus_label)
		CHECK(vpm_plot_label(&p, v->focus_m, 1.0, v->focus_label, &lab, NULL));
	small.color = vpm_color_rgb(0.10, 0.30, 0.60);
	small.italic = 1;
	if (v->dof_label)
		CHECK(vpm_plot_label(&p, v->dof_near_m, 0.88, v->dof_label, &small, NULL));
	small.color = c_ink();
	small.italic = 0;
	CHECK(vpm_plot_label(&p, f->subject_far_m, 0.3, "subject", &small, NULL));
	if (!v->subject_sharp) {
		small.color = c_warn();
		small.bold = 1;
		CHECK(vpm_plot_label(&p, f->subject_near_m, 0.12, "not sharp", &small, NULL));
		small.bold = 0;
	}
	small.color = c_warn();
	small.bold = 1;
	if (v->blur_label)
		CHECK(vpm_plot_label(&p, f->wall_m, 0.78, v->blur_label, &small, NULL));
	if (wall_label) {
		vpm_text_style_t ws = vpm_text_style(7.5);
		ws.angle_deg = 90.0;
		ws.halign = 0.5;
		ws.valign = 0.0;
		ws.color = VPM_INK_SOFT;
		vpm_plot_text(&p, f->wall_m + wallw * 1.4, 0.5, wall_label, &ws);
	}
	vpm_plot_axes(&p);
fail:
	vpm_plot_release(&p);
	return st;
}

/* Visibility along the focus scale, with the sharp range shaded. */
static vpm_status_t curve_plot(cairo_t *cr, vpm_box_t area, const vpm_focuspage_t *f)
{
	vpm_status_t st = VPM_OK;
	vpm_plot_t p;
	vpm_axis_t xa, ya;
	double vmax = f->risky_at * 1.2, x0 = f->curve_focus_m[0],
	       x1 = f->curve_focus_m[f->n_curve - 1];
	vpm_line_style_t line = vpm_line_style(c_ink(), 0.45);
	vpm_line_style_t t1 = vpm_line_style(vpm_color_risk(1), 0.5);
	vpm_line_style_t t3 = vpm_line_style(vpm_color_risk(2), 0.5);
	vpm_text_style_t ts = vpm_text_style(7.5);
	double *cx = NULL, fx = 1.0; /* the focus scale in the axis's unit */
	size_t i;

	for (i = 0; i < f->n_curve; i++)
		if (isfinite(f->curve_visibility[i]))
			vmax = fmax(vmax, f->curve_visibility[i] * 1.08);
	xa = vpm_axis_default(x0, x1, "Focus distance (m)");
	xa.target_ticks = 4;
	if (f->feet) {
		/* the user's unit below; metres above would crowd the title */
		xa = vpm_axis_default(x0 * FT_PER_M, x1 * FT_PER_M, "Focus distance (ft)");
		xa.target_ticks = 4;
		fx = FT_PER_M;
	}
	ya = vpm_axis_default(0.0, vmax, "Visibility V");
	ya.target_ticks = 5;
	cx = malloc(f->n_curve * sizeof *cx);
	if (cx == NULL)
		return vpm_error_set(VPM_ENOMEM, "focus page: out of memory");
	for (i = 0; i < f->n_curve; i++)
		cx[i] = f->curve_focus_m[i] * fx;
	x0 *= fx;
	x1 *= fx;
	if ((st = vpm_plot_init(&p, cr, area, &xa, &ya)) != VPM_OK) {
		free(cx);
		return st;
	}
	vpm_plot_clip_begin(&p);
	/* where the whole subject is sharp */
	if (f->curve_sharp) {
		for (i = 0; i < f->n_curve; i++) {
			size_t k = i;
			double a, b;
			while (k < f->n_curve && f->curve_sharp[k])
				k++;
			if (k == i)
				continue;
			a = i > 0 ? 0.5 * (cx[i - 1] + cx[i]) : x0;
			b = k < f->n_curve ? 0.5 * (cx[k - 1] + cx[k]) : x1;
			vpm_plot_rect(&p, a, 0.0, b, vmax, vpm_color_alpha(c_dof(), 0.15), NULL);
			i = k;
		}
	}
	t1.dash_mm = 1.2;
	vpm_plot_line(&p, x0, f->caution_at, x1, f->caution_at, &t1);
	vpm_plot_line(&p, x0, f->risky_at, x1, f->risky_at, &t3);
	vpm_plot_polyline(&p, cx, f->curve_visibility, f->n_curve, 0, &line);
	vpm_plot_clip_end(&p);
	vpm_plot_grid(&p, vpm_color_alpha(vpm_color_rgb(0, 0, 0), 0.10));
	/* keep the labels off the curve */
	for (i = 0; i < f->n_curve; i += 2)
		if (isfinite(f->curve_visibility[i]) && f->curve_visibility[i] <= vmax)
			CHECK(vpm_plot_reserve(&p, cx[i], f->curve_visibility[i], 0.8, 0.8));
	for (i = 0; f->curve_marks_m && i < f->n_curve_marks; i++) {
		/* the curve's value at the mark, linearly interpolated */
		double x = f->curve_marks_m[i] * fx, y = NAN;
		size_t k;
		for (k = 0; k + 1 < f->n_curve; k++)
			if (x >= cx[k] && x <= cx[k + 1]) {
				double t = (x - cx[k]) / (cx[k + 1] - cx[k]);
				y = f->curve_visibility[k] +
				    t * (f->curve_visibility[k + 1] - f->curve_visibility[k]);
				break;
			}
		if (!isfinite(y))
			continue;
		CHECK(vpm_plot_marker(&p, x, y, i == 0 ? VPM_MARKER_CIRCLE : VPM_MARKER_SQUARE, 2.4,
				      i == 0 ? c_focus() : vpm_color_rgb(1, 1, 1), c_ink()));
		if (f->curve_mark_labels && f->curve_mark_labels[i]) {
			ts.bold = i == 0;
			ts.halo = 1;
			CHECK(vpm_plot_label(&p, x, y, f->curve_mark_labels[i], &ts, NULL));
		}
	}
	vpm_plot_axes(&p);
fail:
	vpm_plot_release(&p);
	free(cx);
	return st;
}

vpm_status_t vpm_focuspage_draw(const vpm_page_t *pg, const vpm_focuspage_t *f)
{
	vpm_status_t st;
	cairo_t *cr;
	double top, foot, side_x, left_x1, x0, x1, y, h_each;
	size_t i;

	if (!pg || !pg->cr)
		return vpm_error_set(VPM_EINVAL, "focus page: no page");
	if ((st = check_focuspage(f)) != VPM_OK)
		return st;
	cr = pg->cr;
	top = vpm_page_title(pg, f->title, f->subtitle);
	foot = vpm_page_footer(pg, f->footer_heading, f->footer, f->n_footer, 1);
	side_x = pg->width_mm - pg->margin_mm - SIDE_W;
	left_x1 = side_x - 8.0;
	/* the side views share one scale: from a little behind the camera to
	 * a little beyond the wall */
	x1 = f->wall_m * 1.06 + 0.05;
	x0 = -0.09 * x1;

	y = top + 2.0;
	h_each = (foot - 6.0 - y) / (double)f->n_views;
	for (i = 0; i < f->n_views; i++) {
		const vpm_focusview_t *v = &f->views[i];
		vpm_text_style_t cs = vpm_text_style(10.0);
		vpm_box_t area;
		double cw = 0.0;

		cs.bold = 1;
		cs.valign = 0.5;
		double line2 = y + 8.0;

		if (v->caption) {
			vpm_text_draw(cr, pg->margin_mm, y + 3.0, v->caption, &cs);
			vpm_text_measure(cr, v->caption, &cs, &cw, NULL);
		}
		if (v->verdict) {
			double vw = 0.0;
			vpm_text_style_t vs = vpm_text_style(9.0);
			vs.bold = 1;
			vpm_text_measure(cr, v->verdict, &vs, &vw, NULL);
			/* beside the caption when both fit, else on a line of its own */
			if (pg->margin_mm + cw + 4.0 + 4.6 + vw <= left_x1) {
				verdict_chip(cr, pg->margin_mm + cw + 4.0, y + 3.0, v->risk,
					     v->verdict);
			} else {
				verdict_chip(cr, pg->margin_mm, y + 8.5, v->risk, v->verdict);
				line2 = y + 13.5;
			}
		}
		if (v->detail) {
			vpm_text_style_t ds = vpm_text_style(8.5);
			ds.valign = 0.5;
			ds.color = VPM_INK_SOFT;
			vpm_text_draw(cr, pg->margin_mm, line2, v->detail, &ds);
		}
		area.x0 = pg->margin_mm + 4.0;
		area.x1 = left_x1;
		area.y0 = line2 + (i == 0 ? 16.0 : 6.0);
		area.y1 = y + h_each - (i + 1 == f->n_views ? 14.0 : 9.0);
		if (!(area.y1 > area.y0 + 10.0))
			return vpm_error_set(VPM_EINVAL, "focus page: no room for the side views");
		st = side_view(cr, area, f, v, x0, x1, i == 0, i + 1 == f->n_views,
			       i == 0 ? f->wall_label : NULL);
		if (st != VPM_OK)
			return st;
		y += h_each;
	}

	/* the right-hand column: the curve, the stops, the guide */
	y = top + 2.0;
	if (f->n_curve > 1) {
		vpm_text_style_t ts = vpm_text_style(8.5);
		vpm_box_t area;
		double th = 0.0;

		ts.bold = 1;
		ts.valign = 0.0;
		if (f->curve_title) {
			th = vpm_text_wrap(cr, side_x, y, SIDE_W, f->curve_title, &ts, 1);
			y += th + 1.0;
		}
		area.x0 = side_x + 12.0;
		area.x1 = side_x + SIDE_W - 2.0;
		area.y0 = y + 2.0;
		area.y1 = y + 44.0;
		if ((st = curve_plot(cr, area, f)) != VPM_OK)
			return st;
		y = area.y1 + 13.0;
	}
	if (f->table) {
		double th = 0.0;
		size_t drawn = 0;

		if ((st = vpm_table_draw(cr, side_x, y, SIDE_W, foot - 4.0 - y, f->table, 0, &drawn,
					 &th)) != VPM_OK)
			return st;
		y += th + 4.0;
	}
	if (f->guide) {
		double size = 8.0;
		vpm_box_t b = vpm_note_box(cr, side_x, y, SIDE_W, f->guide_heading, f->guide, size,
					   0);
		while (b.y1 > foot - 3.0 && size > VPM_PLOT_MIN_TEXT_PT + 0.01) {
			size -= 0.25;
			b = vpm_note_box(cr, side_x, y, SIDE_W, f->guide_heading, f->guide, size,
					 0);
		}
		vpm_note_box(cr, side_x, y, SIDE_W, f->guide_heading, f->guide, size, 1);
	}
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return vpm_error_set(VPM_EINTERNAL, "focus page: %s",
				     cairo_status_to_string(cairo_status(cr)));
	return VPM_OK;
}
