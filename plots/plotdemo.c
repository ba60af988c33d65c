/* plotdemo: renders safe-shot-like pages from a synthetic visibility field
 * with the chart library, to look at the layout (noinst).
 *
 *   plotdemo OUT.pdf [OUT.png OUT.svg ...]
 *
 * The field below is made up (a smooth function of focal length and
 * distance); real charts take their numbers from the predictor via apps/. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "vpm_plot.h"
#include "vpmoire/status.h"

#define NX 120
#define NY 100
#define FT_PER_M (1.0 / 0.3048)

static const double series_mm[] = { 18, 21, 25, 32, 40, 50, 65, 75, 100, 135 };
#define NSERIES (sizeof series_mm / sizeof series_mm[0])

/* Made-up visibility: rises with focal length, falls with distance, with a
 * gentle ripple so the contours are not straight. */
static double fake_visibility(double focal_mm, double wall_m)
{
	double base = 2.0 * pow(focal_mm / 35.0, 1.4) * pow(4.0 / wall_m, 1.8);

	return base * (1.0 + 0.35 * sin(3.0 * log(focal_mm) + 2.2 * log(wall_m)));
}

/* Made-up close focus of the lens series (m). */
static double close_focus_m(double focal_mm)
{
	return 0.25 + 0.0075 * focal_mm;
}

/* The nearest distance where the made-up visibility drops below v. */
static double safe_distance_m(double focal_mm, double v)
{
	double lo = 0.5, hi = 30.0;
	int k;

	for (k = 0; k < 60; k++) {
		double mid = sqrt(lo * hi);

		if (fake_visibility(focal_mm, mid) >= v)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

static const vpm_footer_item_t footer[] = {
	{ "Panel", "ROE Black Pearl BP2 V2, 2.84 mm pitch" },
	{ "Camera mode", "ARRI ALEXA 35, Open Gate 4.6K, 4608 px" },
	{ "Stop", "T2.8" },
	{ "Focus rule", "subject 2.0 m in front of the wall" },
	{ "CoC", "0.030 mm (width/1000)" },
	{ "Viewing condition", "UHD TV at 1.5 picture heights, 100 cd/m\xc2\xb2" },
	{ "Chroma weighting", "full" },
	{ "Thresholds", "caution from V = 1, risky from V = 3" },
	{ "Model", "vpmoire 0.1.0 analytic predictor (synthetic demo data)" },
};
#define NFOOTER (sizeof footer / sizeof footer[0])

static int fail(const char *what, vpm_status_t st)
{
	fprintf(stderr, "plotdemo: %s: %s (%s)\n", what, vpm_error_message(), vpm_strerror(st));
	return 1;
}

#define CHECK(call)                              \
	do {                                     \
		vpm_status_t st_ = (call);       \
		if (st_ != VPM_OK)               \
			return fail(#call, st_); \
	} while (0)

typedef struct {
	double x[NX], y[NY], z[NX * NY];
	double lx[NSERIES], lz[NSERIES * NY];
	vpm_grid_t dense, lenses;
} field_t;

static void make_field(field_t *f)
{
	size_t i, j;

	for (i = 0; i < NX; i++)
		f->x[i] = 14.0 * pow(160.0 / 14.0, (i + 0.5) / NX);
	for (j = 0; j < NY; j++)
		f->y[j] = 0.5 + 11.5 * (j + 0.5) / NY;
	for (j = 0; j < NY; j++)
		for (i = 0; i < NX; i++)
			f->z[j * NX + i] = fake_visibility(f->x[i], f->y[j]);
	for (i = 0; i < NSERIES; i++)
		f->lx[i] = series_mm[i];
	for (j = 0; j < NY; j++)
		for (i = 0; i < NSERIES; i++)
			f->lz[j * NSERIES + i] = fake_visibility(series_mm[i], f->y[j]);
	f->dense = (vpm_grid_t){ NX, NY, f->x, f->y, NULL, NULL, f->z };
	f->lenses = (vpm_grid_t){ NSERIES, NY, f->lx, f->y, NULL, NULL, f->lz };
}

/* The common frame of a safe-shot page: title, footer, plot with axes. */
static int chart_page(vpm_doc_t *doc, const field_t *f, int risk_colours)
{
	static const char *guide_risk =
		"Across: focal length of each lens in the set. Up: distance from the camera's "
		"sensor to the LED wall.\n"
		"Pale cells are safe (V below 1). Amber cells need a look on the monitor. Dark "
		"hatched cells will show moir\xc3\xa9: move the camera back, choose a shorter lens "
		"or open up to defocus the wall.\n"
		"Dots mark each lens at its nearest safe distance.";
	static const char *guide_seq =
		"Colour shows the predicted moir\xc3\xa9 visibility V on a log scale: 1 is the "
		"threshold of a careful viewer on a flat field, 3 is plainly visible.\n"
		"Columns are the lenses of the set; the lines mark V = 1 and V = 3.";
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa, ya;
	vpm_cmap_t m = risk_colours ? vpm_cmap_risk(1.0, 3.0) : vpm_cmap_sequential(0.1, 100.0, 1);
	vpm_line_style_t l1 = vpm_line_style(vpm_color_rgb(0.1, 0.1, 0.1), 0.35);
	vpm_line_style_t l3 = vpm_line_style(vpm_color_rgb(0.1, 0.1, 0.1), 0.6);
	vpm_line_style_t cf = vpm_line_style(vpm_color_rgb(0.15, 0.25, 0.55), 0.45);
	vpm_text_style_t lab = vpm_text_style(7.5);
	vpm_box_t area, cb, lg;
	double top, foot, cfx[64], cfy[64], side_x;
	size_t k;

	CHECK(vpm_doc_page_add(doc, &pg));
	top = vpm_page_title(&pg,
			     risk_colours
				     ? "Safe-shot chart \xe2\x80\x94 Stage 3 volume, ROE BP2 V2"
				     : "Moir\xc3\xa9 visibility \xe2\x80\x94 Stage 3 volume, "
				       "ROE BP2 V2",
			     "ALEXA 35 Open Gate with Cooke S4/i primes at T2.8, focus on a subject "
			     "2 m in front of the wall");
	foot = vpm_page_footer(&pg, "Assumptions:", footer, NFOOTER, 1);
	side_x = pg.width_mm - pg.margin_mm - 62.0;
	area.x0 = pg.margin_mm + 17.0;
	area.x1 = side_x - 20.0;
	area.y0 = top + 6.0;
	area.y1 = foot - 17.0;

	xa = vpm_axis_default(14.0, 160.0, "Focal length (mm)");
	xa.scale = VPM_AXIS_LOG;
	xa.ticks = series_mm;
	xa.nticks = NSERIES;
	ya = vpm_axis_default(0.5, 12.0, "Camera to wall (m)");
	ya.secondary_factor = FT_PER_M;
	ya.secondary_title = "Camera to wall (ft)";
	CHECK(vpm_plot_init(&p, pg.cr, area, &xa, &ya));
	CHECK(vpm_plot_heatmap(&p, risk_colours ? &f->dense : &f->lenses, &m));
	vpm_plot_grid(&p, vpm_color_alpha(vpm_color_rgb(0, 0, 0), 0.12));

	/* close-focus limit: hatched below */
	for (k = 0; k <= 40; k++) {
		cfx[k] = 14.0 * pow(160.0 / 14.0, k / 40.0);
		cfy[k] = close_focus_m(cfx[k]);
	}
	cfx[41] = 160.0;
	cfy[41] = 0.5;
	cfx[42] = 14.0;
	cfy[42] = 0.5;
	{
		vpm_line_style_t h = vpm_line_style(vpm_color_rgb(0.15, 0.25, 0.55), 0.2);

		vpm_plot_clip_begin(&p);
		vpm_plot_polygon(&p, cfx, cfy, 43, vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.55),
				 NULL);
		vpm_plot_hatch(&p, cfx, cfy, 43, &h, 1.2, -45.0);
		vpm_plot_polyline(&p, cfx, cfy, 41, 0, &cf);
		vpm_plot_clip_end(&p);
	}
	/* markers are drawn over the contours, but their places are kept
	 * free of contour labels */
	for (k = 0; risk_colours && k < NSERIES; k++)
		CHECK(vpm_plot_reserve(&p, series_mm[k], safe_distance_m(series_mm[k], 1.0), 2.2,
				       2.2));
	l1.halo = l3.halo = 1;
	l1.dash_mm = 1.6;
	CHECK(vpm_plot_contour(&p, &f->dense, 1.0, 1, &l1, "V = 1"));
	CHECK(vpm_plot_contour(&p, &f->dense, 3.0, 1, &l3, "V = 3"));

	if (risk_colours) {
		lab.halo = 1;
		for (k = 0; k < NSERIES; k++) {
			double d = safe_distance_m(series_mm[k], 1.0);

			if (d > 12.0)
				continue;
			CHECK(vpm_plot_marker(&p, series_mm[k], d, VPM_MARKER_CIRCLE, 2.2,
					      vpm_color_rgb(1, 1, 1),
					      vpm_color_rgb(0.1, 0.1, 0.1)));
		}
		for (k = 0; k < NSERIES; k++) {
			double d = safe_distance_m(series_mm[k], 1.0);
			char buf[64];

			if (d > 12.0)
				continue;
			snprintf(buf, sizeof buf, "%.1f m", d);
			CHECK(vpm_plot_label(&p, series_mm[k], d, buf, &lab, NULL));
		}
	}
	vpm_plot_text(&p, 16.0, close_focus_m(16.0) + 0.15, "inside close focus",
		      &(vpm_text_style_t){ 7.5, 0, 1, vpm_color_rgb(0.15, 0.25, 0.55), 0, 0, 1,
					   1 });
	vpm_plot_axes(&p);
	vpm_plot_release(&p);

	/* right column: colour bar, legend, reading guide */
	cb.x0 = side_x + 2.0;
	cb.x1 = cb.x0 + 5.0;
	cb.y0 = area.y0 + 8.0;
	cb.y1 = cb.y0 + 52.0;
	CHECK(vpm_colorbar_draw(pg.cr, cb, &m,
				risk_colours ? "Risk (visibility V)" : "Visibility V", NULL));
	{
		vpm_legend_entry_t e[3] = {
			{ VPM_LEGEND_LINE, "V = 1 (threshold)", l1.color, 0, l1, 0 },
			{ VPM_LEGEND_LINE, "V = 3 (plainly visible)", l3.color, 0, l3, 0 },
			{ VPM_LEGEND_LINE, "Lens close focus", cf.color, 0, cf, 0 },
		};
		vpm_legend_entry_t mk = {
			VPM_LEGEND_MARKER, "Nearest safe distance", vpm_color_rgb(1, 1, 1), 0, l1,
			VPM_MARKER_CIRCLE
		};
		vpm_legend_entry_t all[4] = { e[0], e[1], e[2], mk };

		lg = vpm_legend_draw(pg.cr, side_x + 2.0, cb.y1 + 6.0, NULL, all,
				     risk_colours ? 4 : 3, 8.0, 1);
	}
	vpm_note_box(pg.cr, side_x + 2.0, lg.y1 + 5.0, 60.0, "How to read this chart",
		     risk_colours ? guide_risk : guide_seq, 8.0, 1);
	return 0;
}

/* A focus-planner side view from primitives. */
static int planner_page(vpm_doc_t *doc)
{
	vpm_page_t pg;
	vpm_plot_t p;
	vpm_axis_t xa, ya;
	vpm_box_t area;
	double top, foot, scale;
	vpm_line_style_t ink = vpm_line_style(vpm_color_rgb(0.13, 0.13, 0.13), 0.3);
	vpm_line_style_t fov = vpm_line_style(vpm_color_rgb(0.35, 0.35, 0.35), 0.2);
	vpm_line_style_t fp = vpm_line_style(vpm_color_rgb(0.1, 0.35, 0.7), 0.45);
	vpm_line_style_t led = vpm_line_style(vpm_color_rgb(0.2, 0.2, 0.2), 0.2);
	vpm_text_style_t t8 = vpm_text_style(8.0), t9 = vpm_text_style(9.0);
	const double near_m = 2.4, far_m = 3.9, focus_m = 3.0, wall_m = 5.0;

	CHECK(vpm_doc_page_add(doc, &pg));
	top = vpm_page_title(&pg, "Focus planner \xe2\x80\x94 side view",
			     "50 mm at T2.8: subject at 3.0 m, LED wall at 5.0 m");
	foot = vpm_page_footer(&pg, "Assumptions:", footer, NFOOTER, 1);
	/* equal scale on both axes: 7 m across, as many metres up as fit */
	area.x0 = pg.margin_mm + 17.0;
	area.x1 = pg.width_mm - pg.margin_mm - 4.0;
	scale = (area.x1 - area.x0) / 7.0;
	area.y0 = top + 14.0;
	area.y1 = foot - 17.0;
	xa = vpm_axis_default(-0.5, 6.5, "Distance from the sensor plane (m)");
	xa.secondary_factor = FT_PER_M;
	xa.secondary_title = "Distance from the sensor plane (ft)";
	ya = vpm_axis_default(-0.3, -0.3 + (area.y1 - area.y0) / scale, "Height (m)");
	ya.grid = 0;
	xa.grid = 0;
	CHECK(vpm_plot_init(&p, pg.cr, area, &xa, &ya));
	vpm_plot_rect(&p, -0.5, -0.3, 6.5, 0.0, vpm_color_rgb(0.9, 0.9, 0.9), NULL);
	vpm_plot_rect(&p, near_m, 0.0, far_m, 2.6,
		      vpm_color_alpha(vpm_color_rgb(0.2, 0.5, 0.9), 0.15), NULL);
	vpm_plot_text(&p, (near_m + far_m) / 2, 2.65, "depth of field",
		      &(vpm_text_style_t){ 8.0, 0, 1, vpm_color_rgb(0.1, 0.3, 0.6), 0, 0.5, 1, 0 });
	/* field of view */
	vpm_plot_line(&p, 0.0, 1.5, wall_m, 1.5 + wall_m * 0.18, &fov);
	vpm_plot_line(&p, 0.0, 1.5, wall_m, 1.5 - wall_m * 0.18, &fov);
	/* camera */
	vpm_plot_rect(&p, -0.45, 1.38, -0.05, 1.62, vpm_color_rgb(0.25, 0.25, 0.25), &ink);
	vpm_plot_rect(&p, -0.05, 1.43, 0.0, 1.57, vpm_color_rgb(0.4, 0.4, 0.4), &ink);
	vpm_plot_line(&p, -0.25, 1.38, -0.25, 0.0, &ink);
	/* subject */
	{
		double sx[6] = { focus_m - 0.18, focus_m + 0.18, focus_m + 0.14, focus_m - 0.14 };
		double sy[6] = { 0.0, 0.0, 1.45, 1.45 };

		vpm_plot_polygon(&p, sx, sy, 4, vpm_color_rgb(0.55, 0.55, 0.6), &ink);
		vpm_plot_rect(&p, focus_m - 0.1, 1.48, focus_m + 0.1, 1.75,
			      vpm_color_rgb(0.55, 0.55, 0.6), &ink);
	}
	/* wall with its LED rows */
	{
		double wx[4] = { wall_m, wall_m + 0.25, wall_m + 0.25, wall_m };
		double wy[4] = { 0.0, 0.0, 3.2, 3.2 };

		vpm_plot_polygon(&p, wx, wy, 4, vpm_color_rgb(0.15, 0.15, 0.18), &ink);
		led.color = vpm_color_rgb(0.5, 0.5, 0.55);
		vpm_plot_hatch(&p, wx, wy, 4, &led, 0.8, 0.0);
	}
	fp.dash_mm = 2.0;
	vpm_plot_line(&p, focus_m, -0.1, focus_m, 2.9, &fp);
	t8.halign = 0.5;
	t8.valign = 1.0;
	vpm_plot_text(&p, focus_m, 2.95, "focus plane", &t8);
	t8.valign = 0.0;
	vpm_plot_dimension(&p, 0.0, -0.05, focus_m, -0.05, 9.0, "3.00 m (9' 10\")", &t9);
	vpm_plot_dimension(&p, 0.0, -0.05, wall_m, -0.05, 16.0, "5.00 m (16' 5\")", &t9);
	{
		vpm_line_style_t a = vpm_line_style(vpm_color_rgb(0.6, 0.1, 0.1), 0.35);
		vpm_text_style_t note = vpm_text_style(8.5);

		vpm_plot_arrow(&p, 5.7, 2.0, wall_m + 0.3, 1.7, &a, 1);
		note.valign = 0.5;
		note.color = a.color;
		vpm_plot_text(&p, 5.4, 2.5, "wall blur 0.21 mm", &note);
		vpm_plot_text(&p, 5.4, 2.35, "= 7.4 LED pitches:", &note);
		vpm_plot_text(&p, 5.4, 2.2, "moir\xc3\xa9 suppressed", &note);
	}
	vpm_plot_axes(&p);
	vpm_plot_release(&p);
	return 0;
}

/* A summary table. */
static int table_page(vpm_doc_t *doc)
{
	static const char *head[5] = { "Lens", "Nearest safe distance", "", "V at 3 m",
				       "Risk at 3 m" };
	static const double widths[5] = { 1.2, 1.6, 1.0, 1.0, 1.2 };
	static const double align[5] = { 0.0, 1.0, 1.0, 1.0, 0.0 };
	static char text[NSERIES][5][48];
	const char *cells[NSERIES * 5];
	vpm_color_t fills[NSERIES];
	vpm_table_t t;
	vpm_page_t pg;
	size_t k, drawn;
	double top, foot, h;

	CHECK(vpm_doc_page_add(doc, &pg));
	top = vpm_page_title(&pg, "Summary \xe2\x80\x94 Cooke S4/i set on ROE BP2 V2", NULL);
	foot = vpm_page_footer(&pg, "Assumptions:", footer, NFOOTER, 1);
	for (k = 0; k < NSERIES; k++) {
		double d = safe_distance_m(series_mm[k], 1.0),
		       v = fake_visibility(series_mm[k], 3.0);
		int lvl = v >= 3.0 ? 2 : v >= 1.0 ? 1 : 0;

		snprintf(text[k][0], 48, "%g mm", series_mm[k]);
		snprintf(text[k][1], 48, "%.2f m", d);
		snprintf(text[k][2], 48, "%.1f ft", d * FT_PER_M);
		snprintf(text[k][3], 48, "%.2f", v);
		snprintf(text[k][4], 48, "%s", lvl == 2 ? "risky" : lvl == 1 ? "caution" : "safe");
		fills[k] = lvl == 0 ? vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.0)
				    : vpm_color_alpha(vpm_color_risk(lvl), 0.35);
		cells[k * 5 + 0] = text[k][0];
		cells[k * 5 + 1] = text[k][1];
		cells[k * 5 + 2] = text[k][2];
		cells[k * 5 + 3] = text[k][3];
		cells[k * 5 + 4] = text[k][4];
	}
	t.ncols = 5;
	t.nrows = NSERIES;
	t.header = head;
	t.cells = cells;
	t.widths = widths;
	t.align = align;
	t.row_fill = fills;
	t.zebra = 1;
	t.size_pt = 9.5;
	t.whole = NULL;
	CHECK(vpm_table_draw(pg.cr, pg.margin_mm, top + 4.0, 170.0, foot - top - 8.0, &t, 0, &drawn,
			     &h));
	return 0;
}

int main(int argc, char **argv)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	static field_t f;
	vpm_doc_t *doc;
	int k, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: plotdemo OUT.pdf [OUT.png OUT.svg ...]\n");
		return 2;
	}
	make_field(&f);
	o.title = "vpmoire plot demo";
	if (vpm_doc_alloc(&o, &doc) != VPM_OK)
		return fail("document", VPM_EINVAL);
	rc = chart_page(doc, &f, 1);
	if (!rc)
		rc = chart_page(doc, &f, 0);
	if (!rc)
		rc = planner_page(doc);
	if (!rc)
		rc = table_page(doc);
	for (k = 1; !rc && k < argc; k++) {
		vpm_status_t st = vpm_doc_save(doc, argv[k]);

		if (st != VPM_OK)
			rc = fail(argv[k], st);
	}
	vpm_doc_free(doc);
	return rc;
}
