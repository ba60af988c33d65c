/* Previs pages for shotlists: the summary table and one page per shot
 * (plots/previs.h).  Draws outlines and text it is given; computes nothing
 * about optics. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "previs.h"

#define PI 3.14159265358979323846

/* Colours: distinct in greyscale too (the set extension is also hatched). */
static vpm_color_t c_ink(void)
{
	return vpm_color_rgb(0.13, 0.13, 0.13);
}
static vpm_color_t c_soft(void)
{
	return vpm_color_rgb(0.40, 0.40, 0.40);
}
static vpm_color_t c_floor(void)
{
	return vpm_color_rgb(0.91, 0.88, 0.82);
}
static vpm_color_t c_led(void)
{
	return vpm_color_rgb(0.12, 0.17, 0.32);
}
static vpm_color_t c_led_face(void)
{
	return vpm_color_rgb(0.80, 0.86, 0.95);
}
static vpm_color_t c_led_seam(void)
{
	return vpm_color_rgb(0.48, 0.57, 0.76);
}
static vpm_color_t c_view(void)
{
	return vpm_color_rgb(0.30, 0.52, 0.86);
}
static vpm_color_t c_ext(void)
{
	return vpm_color_rgb(0.86, 0.38, 0.08);
}
static vpm_color_t c_dof(void)
{
	return vpm_color_rgb(0.18, 0.62, 0.30);
}
static vpm_color_t c_focus(void)
{
	return vpm_color_rgb(0.05, 0.42, 0.15);
}
static vpm_color_t c_subject(void)
{
	return vpm_color_rgb(0.22, 0.22, 0.25);
}
static vpm_color_t c_horizon(void)
{
	return vpm_color_rgb(0.10, 0.33, 0.80);
}

#define HATCH_MM 1.6
#define HATCH_DEG 45.0

/* ------------------------------------------------------------ helpers */

static vpm_text_style_t style(double pt, int bold, vpm_color_t c)
{
	vpm_text_style_t s = vpm_text_style(pt);
	s.bold = bold;
	s.color = c;
	return s;
}

/* Text on one line within `width`: smaller down to `min_pt`, then cut
 * with "…".  Returns the height used. */
static double fit_line(cairo_t *cr, double x, double y, double width, const char *text,
		       vpm_text_style_t st, double min_pt)
{
	char buf[512];
	double w, h;
	size_t n;

	vpm_text_measure(cr, text, &st, &w, &h);
	while (w > width && st.size_pt > min_pt) {
		st.size_pt = fmax(min_pt, st.size_pt - 0.5);
		vpm_text_measure(cr, text, &st, &w, &h);
	}
	n = vpm_text_utf8_cut(text, strlen(text), sizeof buf - 1);
	memcpy(buf, text, n);
	buf[n] = '\0';
	while (w > width && n > 1) {
		/* drop a whole UTF-8 character, then add the ellipsis */
		do
			n--;
		while (n > 0 && ((unsigned char)buf[n] & 0xC0) == 0x80);
		snprintf(buf + n, sizeof buf - n, "\xE2\x80\xA6");
		vpm_text_measure(cr, buf, &st, &w, &h);
		buf[n] = '\0';
		if (w <= width) {
			snprintf(buf + n, sizeof buf - n, "\xE2\x80\xA6");
			break;
		}
	}
	st.valign = 0.0;
	vpm_text_draw(cr, x, y, buf, &st);
	return h;
}

/* A horizontal legend: swatch or line, then text; wraps into rows inside
 * `width`.  Returns the height used (draws only when `draw`). */
typedef struct {
	int kind; /* 0 swatch, 1 hatched swatch, 2 line, 3 dashed line, 4 dot */
	vpm_color_t color;
	const char *text;
} legend_item_t;

static double legend_row(cairo_t *cr, double x0, double y0, double width, const legend_item_t *it,
			 size_t n, int draw)
{
	vpm_text_style_t ts = style(7.5, 0, c_ink());
	double x = x0, y = y0, row_h = 4.2, sw = 4.0, gap = 1.2, sep = 3.5;
	size_t i;

	ts.valign = 0.5;
	for (i = 0; i < n; i++) {
		double tw, th, need;
		vpm_text_measure(cr, it[i].text, &ts, &tw, &th);
		need = sw + gap + tw;
		if (x > x0 && x + need > x0 + width) {
			x = x0;
			y += row_h;
		}
		if (draw) {
			double cy = y + row_h / 2;
			cairo_save(cr);
			switch (it[i].kind) {
			case 0:
			case 1:
				cairo_rectangle(cr, x, cy - 1.5, sw, 3.0);
				cairo_set_source_rgba(cr, it[i].color.r, it[i].color.g,
						      it[i].color.b, it[i].color.a);
				cairo_fill_preserve(cr);
				cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
				cairo_set_line_width(cr, 0.15);
				cairo_stroke(cr);
				if (it[i].kind == 1) {
					double k;
					cairo_rectangle(cr, x, cy - 1.5, sw, 3.0);
					cairo_clip(cr);
					for (k = -3.0; k < sw + 3.0; k += 1.1) {
						cairo_move_to(cr, x + k, cy + 1.5);
						cairo_line_to(cr, x + k + 3.0, cy - 1.5);
					}
					cairo_set_source_rgb(cr, c_ext().r, c_ext().g, c_ext().b);
					cairo_set_line_width(cr, 0.2);
					cairo_stroke(cr);
				}
				break;
			case 2:
			case 3:
				cairo_move_to(cr, x, cy);
				cairo_line_to(cr, x + sw, cy);
				cairo_set_source_rgb(cr, it[i].color.r, it[i].color.g,
						     it[i].color.b);
				cairo_set_line_width(cr, 0.45);
				if (it[i].kind == 3) {
					double dash[2] = { 1.0, 0.6 };
					cairo_set_dash(cr, dash, 2, 0.0);
				}
				cairo_stroke(cr);
				break;
			default:
				cairo_arc(cr, x + sw / 2, cy, 1.2, 0, 2 * PI);
				cairo_set_source_rgb(cr, it[i].color.r, it[i].color.g,
						     it[i].color.b);
				cairo_fill(cr);
				break;
			}
			cairo_restore(cr);
			vpm_text_draw(cr, x + sw + gap, cy, it[i].text, &ts);
		}
		x += need + sep;
	}
	return y + row_h - y0;
}

static void path_fill(const vpm_plot_t *p, const vpm_path_t *ph, vpm_color_t fill,
		      const vpm_line_style_t *outline)
{
	vpm_plot_polygon(p, ph->x, ph->y, ph->n, fill, outline);
}

/* ------------------------------------------------------------ plan view */

static void plan_camera_in(const vpm_plot_t *p, double x, double z, double pan_deg,
			   vpm_color_t ink);

static void plan_camera(const vpm_plot_t *p, double x, double z, double pan_deg)
{
	plan_camera_in(p, x, z, pan_deg, c_ink());
}

/* A camera seen from above or from the side: a body L long and 2W wide
 * behind the sensor point (x, y), a lens 0.13 m ahead widening from 0.045 to
 * 0.06 m; (fx, fy) points along the optical axis, (rx, ry) across it. */
static void camera_glyph(const vpm_plot_t *p, double x, double y, double fx, double fy, double rx,
			 double ry, double L, double W, vpm_color_t ink)
{
	double bx[4], by[4], lx[4], ly[4];
	const double LL = 0.13, LW0 = 0.045, LW1 = 0.06;
	vpm_line_style_t ol = vpm_line_style(vpm_color_rgb(1, 1, 1), 0.2);

	bx[0] = x + W * rx;
	by[0] = y + W * ry;
	bx[1] = x - W * rx;
	by[1] = y - W * ry;
	bx[2] = x - W * rx - L * fx;
	by[2] = y - W * ry - L * fy;
	bx[3] = x + W * rx - L * fx;
	by[3] = y + W * ry - L * fy;
	lx[0] = x + LW0 * rx;
	ly[0] = y + LW0 * ry;
	lx[1] = x + LW1 * rx + LL * fx;
	ly[1] = y + LW1 * ry + LL * fy;
	lx[2] = x - LW1 * rx + LL * fx;
	ly[2] = y - LW1 * ry + LL * fy;
	lx[3] = x - LW0 * rx;
	ly[3] = y - LW0 * ry;
	vpm_plot_polygon(p, bx, by, 4, ink, &ol);
	vpm_plot_polygon(p, lx, ly, 4, ink, &ol);
}

static void plan_camera_in(const vpm_plot_t *p, double x, double z, double pan_deg, vpm_color_t ink)
{
	double a = pan_deg * PI / 180.0;

	/* body 0.32 m behind the sensor, 0.16 m wide */
	camera_glyph(p, x, z, sin(a), -cos(a), cos(a), sin(a), 0.32, 0.08, ink);
}

/* A scale bar of a round length at the bottom-left of the plot. */
static void plan_scale_bar(const vpm_plot_t *p, double mm_per_m)
{
	static const double steps[] = { 0.25, 0.5, 1.0, 2.0, 5.0, 10.0 };
	double len = 1.0, x0 = p->area.x0 + 3.0, y0 = p->area.y1 - 4.0;
	vpm_text_style_t ts = style(7.5, 0, c_ink());
	char buf[32];
	size_t i;
	int k, nseg;

	for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
		if (steps[i] * mm_per_m >= 14.0) {
			len = steps[i];
			break;
		}
	nseg = 2;
	cairo_save(p->cr);
	for (k = 0; k < nseg; k++) {
		double w = len * mm_per_m / nseg;
		cairo_rectangle(p->cr, x0 + k * w, y0, w, 1.4);
		if (k % 2 == 0)
			cairo_set_source_rgb(p->cr, 0.13, 0.13, 0.13);
		else
			cairo_set_source_rgb(p->cr, 1, 1, 1);
		cairo_fill_preserve(p->cr);
		cairo_set_source_rgb(p->cr, 0.13, 0.13, 0.13);
		cairo_set_line_width(p->cr, 0.2);
		cairo_stroke(p->cr);
	}
	cairo_restore(p->cr);
	snprintf(buf, sizeof buf, "%g m", len);
	ts.valign = 1.0;
	ts.halo = 1;
	vpm_text_draw(p->cr, x0, y0 - 0.6, "0", &ts);
	ts.halign = 1.0;
	vpm_text_draw(p->cr, x0 + len * mm_per_m, y0 - 0.6, buf, &ts);
}

/* Centroid of a polygon's vertices (enough to place a label). */
static void vertex_mean(const vpm_path_t *ph, double *x, double *y)
{
	size_t i;

	*x = *y = 0.0;
	for (i = 0; i < ph->n; i++) {
		*x += ph->x[i];
		*y += ph->y[i];
	}
	*x /= (double)ph->n;
	*y /= (double)ph->n;
}

static double poly_area(const vpm_path_t *ph)
{
	double a = 0.0;
	size_t i;

	for (i = 0; i < ph->n; i++) {
		size_t j = (i + 1) % ph->n;
		a += ph->x[i] * ph->y[j] - ph->x[j] * ph->y[i];
	}
	return 0.5 * fabs(a);
}

/* The lines both views of the stage draw with. */
typedef struct {
	vpm_line_style_t thin, ext_ol, hatch, seam, dof_ol, focus, axis, floor_ol;
} view_lines_t;

static view_lines_t view_lines(void)
{
	view_lines_t v;

	v.thin = vpm_line_style(vpm_color_alpha(c_view(), 0.7), 0.2);
	v.ext_ol = vpm_line_style(vpm_color_alpha(c_ext(), 0.8), 0.2);
	v.hatch = vpm_line_style(vpm_color_alpha(c_ext(), 0.85), 0.2);
	v.seam = vpm_line_style(vpm_color_rgb(0.85, 0.88, 0.95), 0.15);
	v.dof_ol = vpm_line_style(vpm_color_alpha(c_dof(), 0.9), 0.2);
	v.focus = vpm_line_style(c_focus(), 0.45);
	v.focus.dash_mm = 1.2;
	v.axis = vpm_line_style(vpm_color_rgb(0.35, 0.35, 0.35), 0.2);
	v.axis.dash_mm = 0.8;
	v.floor_ol = vpm_line_style(vpm_color_rgb(0.62, 0.58, 0.50), 0.25);
	return v;
}

/* A view's plot: the box w x h at (x0, y0) showing x from xa to xb and y
 * from ya to yb, no axes drawn, clipped, on a light grey ground. */
static vpm_status_t view_begin(vpm_plot_t *p, cairo_t *cr, double x0, double y0, double w, double h,
			       double xa, double xb, double ya, double yb)
{
	vpm_box_t area;
	vpm_axis_t ax = vpm_axis_default(xa, xb, NULL), ay = vpm_axis_default(ya, yb, NULL);
	vpm_status_t st;

	area.x0 = x0;
	area.x1 = x0 + w;
	area.y0 = y0;
	area.y1 = y0 + h;
	ax.hidden = ay.hidden = 1;
	ax.grid = ay.grid = 0;
	if ((st = vpm_plot_init(p, cr, area, &ax, &ay)) != VPM_OK)
		return st;
	vpm_plot_clip_begin(p);
	cairo_save(cr);
	cairo_rectangle(cr, area.x0, area.y0, w, h);
	cairo_set_source_rgb(cr, 0.985, 0.985, 0.985);
	cairo_fill(cr);
	cairo_restore(cr);
	return VPM_OK;
}

/* A view's end: its frame (w x h, as view_begin() was given), grey, and
 * the plot released. */
static void view_end(vpm_plot_t *p, cairo_t *cr, double w, double h)
{
	cairo_save(cr);
	cairo_rectangle(cr, p->area.x0, p->area.y0, w, h);
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.25);
	cairo_stroke(cr);
	cairo_restore(cr);
	vpm_plot_release(p);
}

static vpm_status_t draw_plan(cairo_t *cr, double x0, double y0, double k,
			      const vpm_previs_shot_t *s)
{
	vpm_plot_t p;
	vpm_box_t area;
	double dx = s->plan_x1_m - s->plan_x0_m, dz = s->plan_z1_m - s->plan_z0_m, w, h;
	view_lines_t vl = view_lines();
	vpm_text_style_t ts = style(7.5, 0, c_ink()), lab = style(7.5, 1, c_ink());
	const vpm_path_t *biggest_ext = NULL;
	double big = 0.0;
	size_t i;
	vpm_status_t st;

	if (!(dx > 0.0) || !(dz > 0.0))
		return vpm_error_set(VPM_EINVAL, "previs: empty plan extent");
	w = dx * k;
	h = dz * k;
	/* the wall at the top */
	if ((st = view_begin(&p, cr, x0, y0, w, h, s->plan_x0_m, s->plan_x1_m, s->plan_z1_m,
			     s->plan_z0_m)) != VPM_OK)
		return st;
	area = p.area;
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		if (ph->kind == VPM_PATH_FLOOR)
			path_fill(&p, ph, c_floor(), &vl.floor_ol);
	}
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		if (ph->kind == VPM_PATH_DOF)
			path_fill(&p, ph, vpm_color_alpha(c_dof(), 0.24), &vl.dof_ol);
	}
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		if (ph->kind == VPM_PATH_FRUSTUM_EXT) {
			double a = poly_area(ph);
			path_fill(&p, ph, vpm_color_alpha(c_ext(), 0.10), &vl.ext_ol);
			vpm_plot_hatch(&p, ph->x, ph->y, ph->n, &vl.hatch, HATCH_MM, HATCH_DEG);
			if (a > big) {
				big = a;
				biggest_ext = ph;
			}
		} else if (ph->kind == VPM_PATH_FRUSTUM_LED) {
			path_fill(&p, ph, vpm_color_alpha(c_view(), 0.16), &vl.thin);
		}
	}
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		if (ph->kind == VPM_PATH_LED)
			path_fill(&p, ph, c_led(), NULL);
	}
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		switch (ph->kind) {
		case VPM_PATH_SEAM: vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.seam); break;
		case VPM_PATH_FOCUS:
			vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.focus);
			break;
		case VPM_PATH_AXIS: vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.axis); break;
		default: break;
		}
	}
	for (i = 0; i < s->plan->n; i++) {
		const vpm_path_t *ph = &s->plan->path[i];
		if (ph->kind == VPM_PATH_FIGURE)
			path_fill(&p, ph, c_subject(), NULL);
	}
	if (s->has_move && hypot(s->cam_end_x_m - s->cam_x_m, s->cam_end_z_m - s->cam_z_m) > 1e-3) {
		/* the move: the camera where it ends, pale, and an arrow from
		 * the start to it, beside the axis so as not to hide it */
		vpm_line_style_t mv = vpm_line_style(c_focus(), 0.45);
		double a = s->pan_deg * PI / 180.0, off = 0.22;
		double ox = off * cos(a), oz = off * sin(a);

		plan_camera_in(&p, s->cam_end_x_m, s->cam_end_z_m, s->pan_deg,
			       vpm_color_alpha(c_ink(), 0.35));
		vpm_plot_arrow(&p, s->cam_x_m + ox, s->cam_z_m + oz, s->cam_end_x_m + ox,
			       s->cam_end_z_m + oz, &mv, 1);
		vpm_plot_reserve(&p, s->cam_end_x_m, s->cam_end_z_m, 5.0, 5.0);
	}
	plan_camera(&p, s->cam_x_m, s->cam_z_m, s->pan_deg);

	/* reserve what labels must not cover */
	vpm_plot_reserve(&p, s->cam_x_m, s->cam_z_m, 6.0, 6.0);
	if (s->has_subject)
		vpm_plot_reserve(&p, s->subject_x_m, s->subject_z_m, 5.0, 4.0);

	/* dimensions: camera and subject to the wall */
	ts.halo = 1;
	if (s->camera_dim)
		vpm_plot_dimension(&p, s->cam_x_m, s->cam_z_m, s->cam_x_m, s->wall_z_m, -5.0,
				   s->camera_dim, &ts);
	if (s->has_subject && s->subject_dim)
		vpm_plot_dimension(&p, s->subject_x_m, s->subject_z_m, s->subject_x_m, s->wall_z_m,
				   5.0, s->subject_dim, &ts);

	/* labels */
	lab.halo = 1;
	if (s->wall_label) {
		vpm_text_style_t wl = style(7.5, 1, c_led());
		double tw, th;
		wl.halo = 1;
		vpm_text_measure(cr, s->wall_label, &wl, &tw, &th);
		if (tw <= w - 4.0) {
			wl.halign = 0.5;
			wl.valign = 0.0;
			vpm_text_draw(cr, 0.5 * (area.x0 + area.x1), area.y0 + 1.2, s->wall_label,
				      &wl);
		} else {
			fit_line(cr, area.x0 + 2.0, area.y0 + 1.2, w - 4.0, s->wall_label, wl, 7.0);
		}
	}
	if (biggest_ext != NULL && big * k * k > 60.0) {
		double cx, cy;
		vpm_text_style_t el = style(7.5, 1, c_ext());
		el.halo = 1;
		el.halign = 0.5;
		el.valign = 0.5;
		vertex_mean(biggest_ext, &cx, &cy);
		{
			/* keep the label inside the plot */
			double tw, th, X = vpm_plot_x(&p, cx), Y = vpm_plot_y(&p, cy);
			vpm_text_measure(cr, "set extension", &el, &tw, &th);
			X = fmin(fmax(X, area.x0 + 0.5 * tw + 1.0), area.x1 - 0.5 * tw - 1.0);
			Y = fmin(fmax(Y, area.y0 + th + 1.0), area.y1 - th - 1.0);
			vpm_text_draw(cr, X, Y, "set extension", &el);
		}
	}
	vpm_plot_label(&p, s->cam_x_m, s->cam_z_m, "camera", &lab, NULL);
	if (s->has_move && hypot(s->cam_end_x_m - s->cam_x_m, s->cam_end_z_m - s->cam_z_m) > 1e-3)
		vpm_plot_label(&p, s->cam_end_x_m, s->cam_end_z_m, "end of move", &lab, NULL);
	if (s->has_subject)
		vpm_plot_label(&p, s->subject_x_m, s->subject_z_m, "subject", &lab, NULL);
	vpm_plot_clip_end(&p);
	plan_scale_bar(&p, k);
	view_end(&p, cr, w, h);
	return VPM_OK;
}

/* ------------------------------------------------------------ move strip */

/* The verdict along a move: a bar from t 0 to t 1 in the risk colour of
 * each segment, the worst point ticked, its caption above.  Returns the
 * height used (mm). */
static double draw_move_strip(cairo_t *cr, double x0, double y0, double width,
			      const vpm_previs_shot_t *s)
{
	vpm_text_style_t cs = style(8.0, 1, c_ink()), ts = style(7.0, 0, c_soft());
	double y = y0, bh = 3.2, xw;
	size_t i;

	if (s->move_caption)
		y += vpm_text_wrap(cr, x0, y, width, s->move_caption, &cs, 1) + 0.8;
	cairo_save(cr);
	for (i = 0; i < s->n_move; i++) {
		vpm_color_t c = vpm_color_risk(s->move_risk[i]);
		double a = x0 + width * s->move_t0[i], b = x0 + width * s->move_t1[i];

		cairo_rectangle(cr, a, y, fmax(b - a, 0.15), bh);
		cairo_set_source_rgb(cr, c.r, c.g, c.b);
		cairo_fill(cr);
	}
	cairo_rectangle(cr, x0, y, width, bh);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_set_line_width(cr, 0.2);
	cairo_stroke(cr);
	xw = x0 + width * s->move_worst_t;
	cairo_move_to(cr, xw, y - 0.8);
	cairo_line_to(cr, xw, y + bh + 0.8);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_set_line_width(cr, 0.5);
	cairo_stroke(cr);
	cairo_restore(cr);
	ts.valign = 0.0;
	vpm_text_draw(cr, x0, y + bh + 0.6, "t 0 (start)", &ts);
	ts.halign = 1.0;
	vpm_text_draw(cr, x0 + width, y + bh + 0.6, "t 1 (end)", &ts);
	ts.halign = xw - x0 < 0.15 * width ? 0.0 : xw - x0 > 0.85 * width ? 1.0 : 0.5;
	if (xw - x0 > 0.12 * width && x0 + width - xw > 0.12 * width)
		vpm_text_draw(cr, xw, y + bh + 0.6, "worst", &ts);
	return y + bh + 4.0 - y0;
}

/* ------------------------------------------------------------ side view */

static void section_camera(const vpm_plot_t *p, double d, double y, double tilt_deg)
{
	double a = tilt_deg * PI / 180.0;

	/* body 0.30 m behind the sensor, 0.18 m high */
	camera_glyph(p, d, y, -cos(a), sin(a), sin(a), cos(a), 0.30, 0.09, c_ink());
}

static vpm_status_t draw_section(cairo_t *cr, double x0, double y0, double k,
				 const vpm_previs_shot_t *s)
{
	vpm_plot_t p;
	vpm_box_t area;
	double w = (s->section_d1_m - s->section_d0_m) * k;
	double h = (s->section_y1_m - s->section_y0_m) * k;
	view_lines_t vl = view_lines();
	vpm_line_style_t ceil = vpm_line_style(vpm_color_rgb(0.45, 0.45, 0.45), 0.3);
	vpm_text_style_t ts = style(7.0, 0, c_ink());
	size_t i;
	vpm_status_t st;

	ceil.dash_mm = 1.5;
	if ((st = view_begin(&p, cr, x0, y0, w, h, s->section_d0_m, s->section_d1_m,
			     s->section_y0_m, s->section_y1_m)) != VPM_OK)
		return st;
	area = p.area;
	for (i = 0; i < s->section->n; i++) {
		const vpm_path_t *ph = &s->section->path[i];
		switch (ph->kind) {
		case VPM_PATH_FRUSTUM_EXT:
			path_fill(&p, ph, vpm_color_alpha(c_ext(), 0.10), &vl.ext_ol);
			vpm_plot_hatch(&p, ph->x, ph->y, ph->n, &vl.hatch, HATCH_MM, HATCH_DEG);
			break;
		case VPM_PATH_FRUSTUM_LED:
			path_fill(&p, ph, vpm_color_alpha(c_view(), 0.16), &vl.thin);
			break;
		case VPM_PATH_FRUSTUM_FLOOR:
			path_fill(&p, ph, vpm_color_alpha(vpm_color_rgb(0.62, 0.55, 0.40), 0.18),
				  &vl.thin);
			break;
		default: break;
		}
	}
	/* the DOF band above the floor only */
	cairo_save(cr);
	cairo_rectangle(cr, area.x0, area.y0, w, vpm_plot_y(&p, 0.0) - area.y0);
	cairo_clip(cr);
	for (i = 0; i < s->section->n; i++) {
		const vpm_path_t *ph = &s->section->path[i];
		if (ph->kind == VPM_PATH_DOF)
			path_fill(&p, ph, vpm_color_alpha(c_dof(), 0.28), &vl.dof_ol);
	}
	cairo_restore(cr);
	for (i = 0; i < s->section->n; i++) {
		const vpm_path_t *ph = &s->section->path[i];
		switch (ph->kind) {
		case VPM_PATH_FLOOR: path_fill(&p, ph, c_floor(), &vl.floor_ol); break;
		case VPM_PATH_LED: path_fill(&p, ph, c_led(), NULL); break;
		default: break;
		}
	}
	for (i = 0; i < s->section->n; i++) {
		const vpm_path_t *ph = &s->section->path[i];
		switch (ph->kind) {
		case VPM_PATH_SEAM: vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.seam); break;
		case VPM_PATH_CEILING: vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &ceil); break;
		case VPM_PATH_FOCUS:
			vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.focus);
			break;
		case VPM_PATH_AXIS: vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &vl.axis); break;
		case VPM_PATH_FIGURE: path_fill(&p, ph, c_subject(), NULL); break;
		default: break;
		}
	}
	section_camera(&p, s->section_cam_d_m, s->cam_y_m, s->tilt_deg);
	ts.halo = 1;
	if (s->cam_height_dim)
		vpm_plot_dimension(&p, s->section_cam_d_m + 0.28, 0.0, s->section_cam_d_m + 0.28,
				   s->cam_y_m, 3.0, s->cam_height_dim, &ts);
	{
		vpm_text_style_t wl = style(7.0, 0, c_led());
		wl.halo = 1;
		wl.halign = 0.0;
		wl.valign = 0.5;
		for (i = 0; i < s->section->n; i++) {
			const vpm_path_t *ph = &s->section->path[i];
			if (ph->kind != VPM_PATH_LED || ph->n != 4)
				continue;
			if (s->wall_top_label)
				vpm_plot_text(&p, ph->x[1] + 0.06, ph->y[2] - 0.09,
					      s->wall_top_label, &wl);
			if (s->wall_bottom_label)
				vpm_plot_text(&p, ph->x[1] + 0.06, ph->y[0] + 0.09,
					      s->wall_bottom_label, &wl);
		}
	}
	vpm_plot_clip_end(&p);
	view_end(&p, cr, w, h);
	return VPM_OK;
}

/* ------------------------------------------------------------ frame view */

static vpm_status_t draw_frame(cairo_t *cr, vpm_box_t area, const vpm_previs_shot_t *s)
{
	vpm_axis_t ax = vpm_axis_default(-0.5 * s->sensor_w_mm, 0.5 * s->sensor_w_mm, NULL);
	vpm_axis_t ay = vpm_axis_default(-0.5 * s->sensor_h_mm, 0.5 * s->sensor_h_mm, NULL);
	vpm_line_style_t hatch = vpm_line_style(vpm_color_alpha(c_ext(), 0.9), 0.25);
	vpm_line_style_t led_ol = vpm_line_style(c_led(), 0.35);
	vpm_line_style_t seam = vpm_line_style(c_led_seam(), 0.15);
	vpm_line_style_t hz = vpm_line_style(c_horizon(), 0.35);
	vpm_line_style_t frame = vpm_line_style(c_ink(), 0.45);
	vpm_line_style_t floor_ol = vpm_line_style(vpm_color_rgb(0.62, 0.58, 0.50), 0.25);
	double fx[4], fy[4];
	vpm_plot_t p;
	size_t i;
	vpm_status_t st;

	ax.hidden = ay.hidden = 1;
	ax.grid = ay.grid = 0;
	if ((st = vpm_plot_init(&p, cr, area, &ax, &ay)) != VPM_OK)
		return st;
	hz.dash_mm = 1.5;
	fx[0] = fx[3] = -0.5 * s->sensor_w_mm;
	fx[1] = fx[2] = 0.5 * s->sensor_w_mm;
	fy[0] = fy[1] = 0.5 * s->sensor_h_mm;
	fy[2] = fy[3] = -0.5 * s->sensor_h_mm;

	vpm_plot_clip_begin(&p);
	/* what lands on nothing: the set extension, hatched */
	vpm_plot_polygon(&p, fx, fy, 4, vpm_color_rgb(1.0, 0.95, 0.90), NULL);
	vpm_plot_hatch(&p, fx, fy, 4, &hatch, 2.0, HATCH_DEG);
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_FLOOR && ph->closed)
			path_fill(&p, ph, c_floor(), &floor_ol);
	}
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_LED && ph->closed)
			path_fill(&p, ph, c_led_face(), NULL);
	}
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_SEAM)
			vpm_plot_polyline(&p, ph->x, ph->y, ph->n, ph->closed, &seam);
	}
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_LED)
			vpm_plot_polyline(&p, ph->x, ph->y, ph->n, ph->closed, &led_ol);
	}
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_HORIZON)
			vpm_plot_polyline(&p, ph->x, ph->y, ph->n, 0, &hz);
	}
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_FIGURE)
			path_fill(&p, ph, c_subject(), NULL);
	}
	/* the horizon's label over everything, near the right edge, on the line */
	for (i = 0; i < s->frame->n; i++) {
		const vpm_path_t *ph = &s->frame->path[i];
		if (ph->kind == VPM_PATH_HORIZON && s->horizon_label && ph->n == 2 &&
		    fabs(ph->x[1] - ph->x[0]) > 1e-9) {
			double u = 0.5 * s->sensor_w_mm * 0.97;
			double t = (u - ph->x[0]) / (ph->x[1] - ph->x[0]);
			double v = ph->y[0] + t * (ph->y[1] - ph->y[0]);
			if (fabs(v) < 0.5 * s->sensor_h_mm * 0.92) {
				vpm_text_style_t hl = style(7.5, 0, c_horizon());
				hl.halo = 1;
				hl.halign = 1.0;
				hl.valign = 1.0;
				vpm_plot_text(&p, u, v + 0.004 * s->sensor_h_mm, s->horizon_label,
					      &hl);
			}
		}
	}
	/* the wall points behind the verdict */
	for (i = 0; i < s->n_probes; i++) {
		int worst = (int)i == s->worst_probe;
		vpm_plot_marker(&p, s->probe_u_mm[i], s->probe_v_mm[i],
				worst ? VPM_MARKER_DIAMOND : VPM_MARKER_CROSS, worst ? 2.6 : 1.6,
				worst ? vpm_color_rgb(1, 1, 1) : vpm_color_alpha(c_ink(), 0.0),
				worst ? c_ink() : vpm_color_alpha(c_led(), 0.7));
	}
	vpm_plot_clip_end(&p);
	vpm_plot_polyline(&p, fx, fy, 4, 1, &frame);
	vpm_plot_release(&p);
	return VPM_OK;
}

/* ------------------------------------------------------------ numbers */

static double draw_rows(cairo_t *cr, double x, double y, double width, const vpm_previs_row_t *rows,
			size_t n, double size_pt, int draw)
{
	vpm_text_style_t ks = style(size_pt, 1, c_ink()), vs = style(size_pt, 0, c_ink());
	double keyw = 0.0, y0 = y, w, h;
	size_t i;

	for (i = 0; i < n; i++) {
		vpm_text_measure(cr, rows[i].key, &ks, &w, &h);
		keyw = fmax(keyw, w);
	}
	keyw += 2.5;
	ks.valign = 0.0;
	for (i = 0; i < n; i++) {
		double vx = x + keyw, used;
		if (draw)
			vpm_text_draw(cr, x, y, rows[i].key, &ks);
		if (rows[i].level >= 0) {
			if (draw) {
				vpm_color_t c = vpm_color_risk(rows[i].level);
				cairo_save(cr);
				cairo_rectangle(cr, vx, y + 0.35, 2.4, 2.4);
				cairo_set_source_rgb(cr, c.r, c.g, c.b);
				cairo_fill_preserve(cr);
				cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
				cairo_set_line_width(cr, 0.15);
				cairo_stroke(cr);
				cairo_restore(cr);
			}
			vx += 3.4;
		}
		used = vpm_text_wrap(cr, vx, y, x + width - vx, rows[i].value, &vs, draw);
		y += fmax(used, 0.1) + 0.9;
	}
	return y - y0;
}

/* ------------------------------------------------------------ shot page */

vpm_status_t vpm_previs_shot_page(const vpm_page_t *pg, const vpm_previs_shot_t *s)
{
	cairo_t *cr;
	double M, W, y, footer_top, bottom_h, rec_h, notes_h = 0.0, cmd_h = 0.0;
	double lx0, lx1, rx0, rx1, main_top, main_bot, legend_h = 0.0, fh, fw, rows_h, pt;
	vpm_text_style_t rs, ns, cs, hs;
	vpm_box_t frame_box;
	vpm_status_t st;
	legend_item_t legend[] = {
		{ 0, { 0, 0, 0, 1 }, "LED wall" },
		{ 0, { 0, 0, 0, 1 }, "stage floor" },
		{ 1, { 0, 0, 0, 1 }, "set extension (off the wall)" },
		{ 0, { 0, 0, 0, 1 }, "view on the wall" },
		{ 0, { 0, 0, 0, 1 }, "view on the floor" },
		{ 0, { 0, 0, 0, 1 }, "depth of field" },
		{ 3, { 0, 0, 0, 1 }, "focus" },
		{ 4, { 0, 0, 0, 1 }, "subject" },
		{ 3, { 0, 0, 0, 1 }, "horizon (frame)" },
		{ 3, { 0, 0, 0, 1 }, "ceiling (side view)" },
	};

	if (pg == NULL || s == NULL || s->plan == NULL || s->frame == NULL)
		return vpm_error_set(VPM_EINVAL, "previs: missing page, plan or frame");
	legend[0].color = c_led_face();
	legend[1].color = c_floor();
	legend[2].color = vpm_color_rgb(1.0, 0.95, 0.90);
	legend[3].color = vpm_color_alpha(c_view(), 0.25);
	legend[4].color = vpm_color_alpha(vpm_color_rgb(0.62, 0.55, 0.40), 0.30);
	legend[5].color = vpm_color_alpha(c_dof(), 0.35);
	legend[6].color = c_focus();
	legend[7].color = c_subject();
	legend[8].color = c_horizon();
	legend[9].color = vpm_color_rgb(0.45, 0.45, 0.45);

	cr = pg->cr;
	M = pg->margin_mm;
	W = pg->width_mm;

	/* title line with the verdict badge on the right */
	{
		double bw = 46.0, bh = 13.0, bx = W - M - bw, by = M;
		vpm_text_style_t ts = style(15.0, 1, c_ink()), ss = style(9.5, 0, c_soft());
		vpm_color_t bc = s->risk >= 0 ? vpm_color_risk(s->risk)
					      : vpm_color_rgb(0.85, 0.85, 0.85);
		vpm_text_style_t vs = style(14.0, 1,
					    s->risk == 2 ? vpm_color_rgb(1, 1, 1) : c_ink());
		vpm_text_style_t vn = style(8.0, 0,
					    s->risk == 2 ? vpm_color_rgb(1, 1, 1) : c_ink());
		y = M;
		y += fit_line(cr, M, y, bx - M - 4.0, s->title ? s->title : "", ts, 11.0);
		if (s->subtitle)
			y += 0.8 + vpm_text_wrap(cr, M, y + 0.8, bx - M - 4.0, s->subtitle, &ss, 1);
		cairo_save(cr);
		cairo_rectangle(cr, bx, by, bw, bh);
		cairo_set_source_rgb(cr, bc.r, bc.g, bc.b);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		cairo_set_line_width(cr, 0.3);
		cairo_stroke(cr);
		cairo_restore(cr);
		vs.halign = 0.5;
		vs.valign = 0.0;
		vn.halign = 0.5;
		vn.valign = 1.0;
		vpm_text_draw(cr, bx + bw / 2, by + 1.3, s->verdict ? s->verdict : "", &vs);
		if (s->verdict_note)
			vpm_text_draw(cr, bx + bw / 2, by + bh - 1.0, s->verdict_note, &vn);
		y = fmax(y, by + bh) + 3.0;
	}
	main_top = y;

	/* bottom: footer, then check command, notes and the recommendation */
	footer_top = vpm_page_footer(pg, s->footer_heading, s->footer, s->n_footer, 0);
	rs = style(10.0, 1, c_ink());
	ns = style(8.0, 0, c_ink());
	cs = style(7.0, 0, c_soft());
	rec_h = s->recommendation ? vpm_text_wrap(cr, M, 0, W - 2 * M, s->recommendation, &rs, 0)
				  : 0;
	if (s->notes && s->notes[0])
		notes_h = vpm_text_wrap(cr, M, 0, W - 2 * M, s->notes, &ns, 0) + 1.0;
	if (s->check_command)
		cmd_h = vpm_text_wrap(cr, M, 0, W - 2 * M, s->check_command, &cs, 0) + 0.8;
	bottom_h = rec_h + notes_h + cmd_h + 3.0;
	main_bot = footer_top - bottom_h - 2.0;

	/* columns */
	lx0 = M;
	lx1 = M + 0.47 * (W - 2 * M);
	rx0 = lx1 + 7.0;
	rx1 = W - M;

	/* left: plan, side view and the legend, to one scale */
	hs = style(9.0, 1, c_ink());
	hs.valign = 0.0;
	vpm_text_draw(cr, lx0, main_top, "Plan \xC2\xB7 top view to scale", &hs);
	{
		double colw = lx1 - lx0, legw = 44.0, k, pdx, pdz, sdx = 0.0, sdy = 0.0, avail;
		double py0 = main_top + 5.0, sy0;
		pdx = s->plan_x1_m - s->plan_x0_m;
		pdz = s->plan_z1_m - s->plan_z0_m;
		if (s->section) {
			sdx = s->section_d1_m - s->section_d0_m;
			sdy = s->section_y1_m - s->section_y0_m;
		}
		if (!(pdx > 0.0 && pdz > 0.0) || (s->section && !(sdx > 0.0 && sdy > 0.0)))
			return vpm_error_set(VPM_EINVAL, "previs: empty plan or side-view extent");
		if (s->section) {
			avail = main_bot - py0 - 9.0;
			k = fmin(colw / pdx, fmin((colw - legw - 4.0) / sdx, avail / (pdz + sdy)));
		} else {
			legend_h = legend_row(cr, lx0, 0, colw, legend,
					      sizeof legend / sizeof legend[0], 0);
			avail = main_bot - py0 - legend_h - 2.0;
			k = fmin(colw / pdx, avail / pdz);
		}
		if ((st = draw_plan(cr, lx0 + 0.5 * (colw - pdx * k), py0, k, s)) != VPM_OK)
			return st;
		sy0 = py0 + pdz * k + 3.0;
		if (s->section) {
			vpm_text_draw(cr, lx0, sy0, "Side view \xC2\xB7 along the lens, same scale",
				      &hs);
			if ((st = draw_section(cr, lx0, sy0 + 5.0, k, s)) != VPM_OK)
				return st;
			legend_row(cr, lx0 + sdx * k + 4.0, sy0 + 5.0, colw - sdx * k - 4.0, legend,
				   sizeof legend / sizeof legend[0], 1);
		} else {
			legend_row(cr, lx0, sy0, colw, legend, sizeof legend / sizeof legend[0], 1);
		}
	}

	/* right: the frame, its caption, the numbers */
	vpm_text_draw(cr, rx0, main_top, "Frame \xC2\xB7 what the lens sees", &hs);
	fw = rx1 - rx0;
	fh = fw * s->sensor_h_mm / s->sensor_w_mm;
	/* a moving shot's strip takes its room from the frame */
	if (fh > (s->has_move ? 0.36 : 0.55) * (main_bot - main_top)) {
		fh = (s->has_move ? 0.36 : 0.55) * (main_bot - main_top);
		fw = fh * s->sensor_w_mm / s->sensor_h_mm;
	}
	frame_box.x0 = rx0;
	frame_box.x1 = rx0 + fw;
	frame_box.y0 = main_top + 5.0;
	frame_box.y1 = frame_box.y0 + fh;
	if ((st = draw_frame(cr, frame_box, s)) != VPM_OK)
		return st;
	y = frame_box.y1 + 1.2;
	if (s->frame_caption) {
		vpm_text_style_t fc = style(8.0, 1, c_ext());
		y += vpm_text_wrap(cr, rx0, y, rx1 - rx0, s->frame_caption, &fc, 1) + 1.5;
	}
	if (s->has_move && s->n_move > 0)
		y += draw_move_strip(cr, rx0, y, rx1 - rx0, s) + 1.0;
	/* numbers: shrink the text until they fit */
	for (pt = 8.5; pt > 7.0; pt -= 0.25) {
		rows_h = draw_rows(cr, rx0, y, rx1 - rx0, s->rows, s->n_rows, pt, 0);
		if (y + rows_h <= main_bot)
			break;
	}
	draw_rows(cr, rx0, y, rx1 - rx0, s->rows, s->n_rows, fmax(pt, 7.0), 1);

	/* bottom block */
	y = main_bot + 3.0;
	cairo_save(cr);
	cairo_move_to(cr, M, main_bot + 1.2);
	cairo_line_to(cr, W - M, main_bot + 1.2);
	cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(cr, 0.2);
	cairo_stroke(cr);
	cairo_restore(cr);
	if (s->recommendation)
		y += vpm_text_wrap(cr, M, y, W - 2 * M, s->recommendation, &rs, 1);
	if (s->notes && s->notes[0])
		y += 1.0 + vpm_text_wrap(cr, M, y + 1.0, W - 2 * M, s->notes, &ns, 1);
	if (s->check_command)
		vpm_text_wrap(cr, M, y + 0.8, W - 2 * M, s->check_command, &cs, 1);
	vpm_page_footer(pg, s->footer_heading, s->footer, s->n_footer, 1);
	return VPM_OK;
}

/* ------------------------------------------------------------ summary */

/* Lay out the summary on pages of `doc` (draw = 1) or only count them. */
static vpm_status_t summary_layout(vpm_doc_t *doc, const vpm_previs_summary_t *s, int *pages)
{
	vpm_page_t pg;
	vpm_status_t st;
	size_t row = 0, drawn;
	int np = 0, first = 1;
	double y, footer_top, used, M, W;
	vpm_text_style_t cs = style(10.0, 1, vpm_color_rgb(0.13, 0.13, 0.13));
	vpm_text_style_t es = style(8.0, 0, vpm_color_rgb(0.25, 0.25, 0.25));
	vpm_text_style_t hs = style(10.0, 1, vpm_color_rgb(0.13, 0.13, 0.13));
	vpm_text_style_t rs = style(8.0, 0, vpm_color_rgb(0.45, 0.05, 0.05));
	size_t i;

	for (;;) {
		char title[512];
		if ((st = vpm_doc_page_add(doc, &pg)) != VPM_OK)
			return st;
		np++;
		M = pg.margin_mm;
		W = pg.width_mm;
		const char *t = s->title ? s->title : "";
		int keep = (int)vpm_text_utf8_cut(t, strlen(t), sizeof title - 16);
		snprintf(title, sizeof title, "%.*s%s", keep, t, first ? "" : " (continued)");
		y = vpm_page_title(&pg, title, first ? s->subtitle : NULL);
		if (first && s->counts) {
			y += vpm_text_wrap(pg.cr, M, y, W - 2 * M, s->counts, &cs, 1) + 2.0;
		}
		footer_top = vpm_page_footer(&pg, s->footer_heading, s->footer, s->n_footer, 1);
		first = 0;
		if (row < s->table.nrows) {
			st = vpm_table_draw(pg.cr, M, y, W - 2 * M, footer_top - 3.0 - y, &s->table,
					    row, &drawn, &used);
			if (st != VPM_OK)
				return st;
			row += drawn;
			y += used + 4.0;
			if (row < s->table.nrows)
				continue;
		} else if (s->table.nrows == 0) {
			y += vpm_text_wrap(pg.cr, M, y, W - 2 * M, "No shot could be rendered.",
					   &hs, 1) +
			     4.0;
		}
		/* after the table: how to read it, then the rejected rows */
		{
			double need = 0.0;
			if (s->explain)
				need += vpm_text_wrap(pg.cr, M, 0, W - 2 * M, s->explain, &es, 0) +
					3.0;
			if (s->n_rejected > 0) {
				need += 6.0;
				for (i = 0; i < s->n_rejected; i++)
					need += vpm_text_wrap(pg.cr, M, 0, W - 2 * M,
							      s->rejected[i], &rs, 0) +
						0.8;
			}
			if (y + need > footer_top - 2.0 && y > 60.0)
				continue; /* a fresh page for the rest */
			if (s->explain)
				y += vpm_text_wrap(pg.cr, M, y, W - 2 * M, s->explain, &es, 1) +
				     3.0;
			if (s->n_rejected > 0) {
				char head[96];
				snprintf(head, sizeof head, "Rejected rows (%zu, not rendered)",
					 s->n_rejected);
				y += vpm_text_wrap(pg.cr, M, y, W - 2 * M, head, &hs, 1) + 1.5;
				for (i = 0; i < s->n_rejected; i++)
					y += vpm_text_wrap(pg.cr, M, y, W - 2 * M, s->rejected[i],
							   &rs, 1) +
					     0.8;
			}
		}
		break;
	}
	if (pages)
		*pages = np;
	return VPM_OK;
}

vpm_status_t vpm_previs_summary_pages(vpm_doc_t *doc, const vpm_previs_summary_t *s, int *pages)
{
	if (doc == NULL || s == NULL)
		return vpm_error_set(VPM_EINVAL, "previs summary: NULL argument");
	return summary_layout(doc, s, pages);
}

vpm_status_t vpm_previs_summary_count(const vpm_doc_options_t *opt, const vpm_previs_summary_t *s,
				      int *pages)
{
	vpm_doc_t *scratch;
	vpm_status_t st;

	if (opt == NULL || s == NULL || pages == NULL)
		return vpm_error_set(VPM_EINVAL, "previs summary: NULL argument");
	if ((st = vpm_doc_alloc(opt, &scratch)) != VPM_OK)
		return st;
	st = summary_layout(scratch, s, pages);
	vpm_doc_free(scratch);
	return st;
}
