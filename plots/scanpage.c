/* The safe-settings page: shutter angles × frame rates (scanpage.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plot_private.h"
#include "scanpage.h"

#define LABEL_W 24.0   /* frame-rate column, mm */
#define NEAREST_W 34.0 /* nearest-safe column, mm */
#define HEAD_H 9.0     /* header row, mm */
#define GAP 5.0

static const char *const verdicts[3] = { "safe", "bands", "BANDS" };
static const char *const polarity_names[4] = { "", "light", "dark", "even" };

static void fill_box(cairo_t *cr, vpm_box_t b, vpm_color_t c)
{
	vpm_priv_source(cr, c);
	cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
	cairo_fill(cr);
}

static void frame_box(cairo_t *cr, vpm_box_t b, double width_mm)
{
	vpm_priv_source(cr, VPM_INK);
	cairo_set_line_width(cr, width_mm);
	cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
	cairo_stroke(cr);
}

/* A banded cell: its risk colour, hatched (readable in greyscale), and a
 * heavy frame. */
static void draw_cell(cairo_t *cr, vpm_box_t b, int risk, double depth, int polarity, int nearest)
{
	vpm_text_style_t st = vpm_text_style(9.0), sd = vpm_text_style(7.5);
	double cx = 0.5 * (b.x0 + b.x1), cy = 0.5 * (b.y0 + b.y1);
	char line[48];

	if (risk < 0 || risk > 2)
		risk = 2;
	fill_box(cr, b, vpm_color_risk(risk));
	if (risk > 0) {
		cairo_save(cr);
		cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
		cairo_clip(cr);
		vpm_priv_source(cr, vpm_color_alpha(VPM_WHITE, 0.35));
		cairo_set_line_width(cr, 0.3);
		vpm_priv_hatch_lines(cr, b, 2.0, 45.0);
		cairo_stroke(cr); /* inside the clip: the lines are only a path */
		cairo_restore(cr);
	}
	st.halign = sd.halign = 0.5;
	st.valign = sd.valign = 0.5;
	st.bold = risk > 0;
	st.halo = sd.halo = risk > 0;
	if (risk == 2)
		st.color = sd.color = VPM_INK;
	vpm_text_draw(cr, cx, cy - 2.6, verdicts[risk], &st);
	if (depth > 0)
		snprintf(line, sizeof line, "%.2g%% %s", 100.0 * depth,
			 polarity_names[polarity >= 0 && polarity <= 3 ? polarity : 0]);
	else
		snprintf(line, sizeof line, "%s", "no bands");
	sd.color = risk == 0 ? VPM_INK_SOFT : VPM_INK;
	vpm_text_draw(cr, cx, cy + 2.8, line, &sd);
	if (nearest) {
		vpm_priv_source(cr, VPM_INK);
		cairo_set_line_width(cr, 0.8);
		cairo_rectangle(cr, b.x0 + 0.6, b.y0 + 0.6, b.x1 - b.x0 - 1.2, b.y1 - b.y0 - 1.2);
		cairo_stroke(cr);
	}
}

vpm_status_t vpm_scanpage_draw(const vpm_page_t *pg, const vpm_scanpage_t *s)
{
	cairo_t *cr;
	vpm_text_style_t hs = vpm_text_style(8.5), ls = vpm_text_style(9.0);
	double x0, top, foot, width, cell_w, row_h, y, grid_bottom;
	vpm_legend_entry_t leg[4];
	size_t i, j;
	char buf[64];

	if (pg == NULL || s == NULL || s->fps == NULL || s->angle_deg == NULL || s->risk == NULL ||
	    s->band_depth == NULL || s->polarity == NULL || s->nearest_safe_deg == NULL ||
	    s->n_fps == 0 || s->n_angle == 0)
		return vpm_error_set(VPM_EINVAL, "scan page: missing cells");
	cr = pg->cr;
	x0 = pg->margin_mm;
	width = pg->width_mm - 2.0 * pg->margin_mm;
	top = vpm_page_title(pg, s->title, s->subtitle) + 2.0;
	foot = vpm_page_footer(pg, s->footer_heading, s->footer, s->n_footer, 1);
	cell_w = (width - LABEL_W - NEAREST_W) / (double)s->n_angle;
	/* the grid takes at most 60% of the room, the rest is legend and guide */
	row_h = fmin(17.0, (0.6 * (foot - top) - HEAD_H) / (double)s->n_fps);
	if (cell_w < 9.0 || row_h < 8.0)
		return vpm_error_set(VPM_EINVAL, "scan page: %zu x %zu cells do not fit the page",
				     s->n_fps, s->n_angle);

	/* header: shutter angles, then the nearest safe shutter */
	hs.bold = 1;
	hs.halign = 0.5;
	hs.valign = 0.5;
	y = top + 0.5 * HEAD_H;
	vpm_text_draw(cr, x0 + 0.5 * LABEL_W, y, "fps \\ shutter", &hs);
	for (j = 0; j < s->n_angle; j++) {
		snprintf(buf, sizeof buf, "%g°", s->angle_deg[j]);
		vpm_text_draw(cr, x0 + LABEL_W + (j + 0.5) * cell_w, y, buf, &hs);
	}
	snprintf(buf, sizeof buf, "safe nearest %g°", s->reference_deg);
	vpm_text_draw(cr, x0 + LABEL_W + s->n_angle * cell_w + 0.5 * NEAREST_W, y, buf, &hs);

	for (i = 0; i < s->n_fps; i++) {
		double ry = top + HEAD_H + i * row_h, best = s->nearest_safe_deg[i];
		vpm_box_t nb = { x0 + LABEL_W + s->n_angle * cell_w, ry, x0 + width, ry + row_h };

		ls.bold = 1;
		ls.halign = 0.5;
		ls.valign = 0.5;
		snprintf(buf, sizeof buf, "%g fps", s->fps[i]);
		vpm_text_draw(cr, x0 + 0.5 * LABEL_W, ry + 0.5 * row_h, buf, &ls);
		for (j = 0; j < s->n_angle; j++) {
			size_t k = i * s->n_angle + j;
			vpm_box_t b = { x0 + LABEL_W + j * cell_w, ry,
					x0 + LABEL_W + (j + 1) * cell_w, ry + row_h };
			int near = !isnan(best) && fabs(s->angle_deg[j] - best) < 0.05;

			draw_cell(cr, b, s->risk[k], s->band_depth[k], s->polarity[k], near);
		}
		fill_box(cr, nb, vpm_color_rgb(0.95, 0.95, 0.95));
		ls.bold = 1;
		if (isnan(best))
			snprintf(buf, sizeof buf, "%s", "none");
		else
			snprintf(buf, sizeof buf, "%.1f°", best);
		vpm_text_draw(cr, 0.5 * (nb.x0 + nb.x1), nb.y0 + 0.5 * row_h, buf, &ls);
	}
	grid_bottom = top + HEAD_H + s->n_fps * row_h;
	/* thin cell rules, then a frame around the grid */
	vpm_priv_source(cr, VPM_WHITE);
	cairo_set_line_width(cr, 0.4);
	for (j = 0; j <= s->n_angle; j++) {
		cairo_move_to(cr, x0 + LABEL_W + j * cell_w, top + HEAD_H);
		cairo_line_to(cr, x0 + LABEL_W + j * cell_w, grid_bottom);
	}
	for (i = 0; i <= s->n_fps; i++) {
		cairo_move_to(cr, x0 + LABEL_W, top + HEAD_H + i * row_h);
		cairo_line_to(cr, x0 + width, top + HEAD_H + i * row_h);
	}
	cairo_stroke(cr);
	frame_box(cr, (vpm_box_t){ x0 + LABEL_W, top + HEAD_H, x0 + width, grid_bottom }, 0.35);

	/* legend at the left, reading guide at the right */
	y = grid_bottom + GAP;
	memset(leg, 0, sizeof leg);
	for (i = 0; i < 3; i++) {
		leg[i].kind = VPM_LEGEND_SWATCH;
		leg[i].color = vpm_color_risk((int)i);
		leg[i].hatch = i > 0;
	}
	leg[0].text = "safe: no visible bands (visibility below the caution threshold)";
	leg[1].text = "bands: faint scan bands (caution)";
	leg[2].text = "BANDS: visible scan bands (risky)";
	leg[3].kind = VPM_LEGEND_SWATCH;
	leg[3].color = VPM_WHITE;
	leg[3].text = "framed cell: the table's nearest safe shutter";
	vpm_legend_draw(cr, x0, y, "Cells", leg, 4, 8.0, 1);
	if (s->guide != NULL)
		vpm_note_box(cr, x0 + 0.45 * width, y, 0.55 * width, s->guide_heading, s->guide,
			     8.0, 1);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		return vpm_error_set(VPM_EINTERNAL, "scan page: cairo: %s",
				     cairo_status_to_string(cairo_status(cr)));
	return VPM_OK;
}

vpm_status_t vpm_scanpage_save(const vpm_scanpage_t *s, const char *path)
{
	vpm_doc_options_t o = vpm_doc_options_default();
	vpm_doc_t *doc = NULL;
	vpm_page_t pg;
	vpm_status_t st;

	o.title = s && s->title ? s->title : "vpmoire scan";
	if ((st = vpm_doc_alloc(&o, &doc)) == VPM_OK &&
	    (st = vpm_doc_page_add(doc, &pg)) == VPM_OK &&
	    (st = vpm_scanpage_draw(&pg, s)) == VPM_OK)
		st = vpm_doc_save(doc, path);
	vpm_doc_free(doc);
	return st;
}

/* ------------------------------------------------------------ the standard table */

enum { NF = VPM_SCANTABLE_NFPS, NA = VPM_SCANTABLE_NANGLE };
static const double table_fps[NF] = { 24, 25, 30, 48, 50, 60 };
static const double table_deg[NA] = { 90, 120, 144, 150, 172.8, 180, 216, 270, 300, 360 };
static const char page_title[] = "Safe shutter settings: scan bands against the wall's refresh";
static const char page_guide[] =
	"Pick a safe cell; the framed one is the nearest safe shutter to 180 degrees at that "
	"frame rate.  Light bands: shorten the shutter a little; dark bands: lengthen it.  "
	"Check the grey of the darkest content with --grey: low greys band deepest.";

vpm_status_t vpm_scantable_fill(vpm_scantable_t *tab, const vpm_temporal_t *t, const char *rig)
{
	vpm_status_t st;
	size_t k;

	memset(tab, 0, sizeof *tab);
	if ((st = vpm_temporal_grid(t, table_fps, NF, table_deg, NA, 180.0, tab->cells,
				    tab->nearest)) != VPM_OK)
		return st;
	for (k = 0; k < NF * NA; k++) {
		tab->risk[k] = tab->cells[k].risk;
		tab->depth[k] = tab->cells[k].band_depth;
		tab->polarity[k] = tab->cells[k].polarity;
	}
	snprintf(tab->subtitle, sizeof tab->subtitle, "%s; grey %g, %s PWM%s", rig, t->grey,
		 t->pwm_scheme == VPM_PWM_SCRAMBLED ? "scrambled" : "conventional",
		 t->genlock ? ", genlocked" : ", not genlocked");
	snprintf(tab->setup, sizeof tab->setup,
		 "%g Hz refresh, 1/%d scan, %d-bit PWM; readout %g ms over %d rows", t->refresh_hz,
		 t->scan_ratio, t->pwm_bits, t->readout_ms, t->rows);
	tab->footer[0] = (vpm_footer_item_t){ "set-up", tab->setup };
	tab->footer[1] = (vpm_footer_item_t){
		"bands", "none when the exposure holds whole refresh periods (angle = k x 360 x "
			 "fps / refresh); light when a little longer, dark when a little shorter"
	};
	tab->footer[2] = (vpm_footer_item_t){
		"depth", "peak-to-peak over mean across rows, rectangular PWM pulses"
	};
	tab->footer[3] = (vpm_footer_item_t){
		"verdict", "band modulation x Barten CSF at the band frequency, 16:9 at 1.5 "
			   "picture heights, 100 cd/m2 (as vpmoire check)"
	};
	tab->footer[4] = (vpm_footer_item_t){ "model", "doc/model.md, Temporal artefacts" };
	tab->page = (vpm_scanpage_t){ page_title,
				      tab->subtitle,
				      NF,
				      NA,
				      table_fps,
				      table_deg,
				      tab->risk,
				      tab->depth,
				      tab->polarity,
				      tab->nearest,
				      180.0,
				      "How to read",
				      page_guide,
				      "Assumptions",
				      tab->footer,
				      sizeof tab->footer / sizeof tab->footer[0] };
	return VPM_OK;
}
