/* The stage sheet (plots/stagepage.h): walls in elevation with cabinets and
 * port groups, the totals table, the design, the assumptions. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stagepage.h"

#define NCOLS_MAX (VPM_STAGE_MAX_SURFACES + 2)
#define NROWS 11

static void set_rgb(cairo_t *cr, double r, double g, double b)
{
	cairo_set_source_rgb(cr, r, g, b);
}

/* Port groups in alternating, greyscale-distinct fills. */
static void port_fill(cairo_t *cr, long port)
{
	static const double fill[6][3] = { { 0.80, 0.86, 0.95 }, { 0.98, 0.85, 0.66 },
					   { 0.78, 0.91, 0.78 }, { 0.93, 0.80, 0.88 },
					   { 0.88, 0.88, 0.74 }, { 0.74, 0.89, 0.92 } };
	const double *f = fill[port % 6];
	set_rgb(cr, f[0], f[1], f[2]);
}

/* One wall in elevation inside box b: cabinets numbered column by column
 * (top to bottom, left to right), a port carrying cabinets_per_port of
 * them.  Returns the height used. */
static double draw_wall(cairo_t *cr, vpm_box_t b, const vpm_bom_wall_t *w, double scale)
{
	double cw, ch, x0 = b.x0, y0 = b.y0 + 5.0;
	long i, j, cpp = w->cabinets_per_port > 0 ? w->cabinets_per_port : 1;
	char buf[160];
	vpm_text_style_t ts = vpm_text_style(8.5);

	ts.bold = 1;
	snprintf(buf, sizeof buf,
		 "%s: %ld \xC3\x97 %ld cabinets, %.2f \xC3\x97 %.2f m, %ld \xC3\x97 %ld px",
		 w->name, w->cabinets_across, w->cabinets_down, w->width_m, w->height_m,
		 w->width_px, w->height_px);
	vpm_text_draw(cr, x0, b.y0 + 3.0, buf, &ts);
	if (w->cabinets_across <= 0 || w->cabinets_down <= 0)
		return 8.0;
	cw = w->width_m / (double)w->cabinets_across * scale;
	ch = w->height_m / (double)w->cabinets_down * scale;
	if (cw < 1.0 || ch < 1.0) {
		/* too small to draw each cabinet: the outline and a note */
		vpm_text_style_t ns = vpm_text_style(7.5);
		set_rgb(cr, 0.80, 0.86, 0.95);
		cairo_rectangle(cr, x0, y0, w->width_m * scale, w->height_m * scale);
		cairo_fill_preserve(cr);
		set_rgb(cr, 0.1, 0.1, 0.1);
		cairo_set_line_width(cr, 0.4);
		cairo_stroke(cr);
		snprintf(buf, sizeof buf,
			 "%ld cabinets in %ld port groups: too small at this scale to draw one "
			 "by one",
			 w->cabinets, w->processor_ports);
		vpm_text_draw(cr, x0, y0 + w->height_m * scale + 3.5, buf, &ns);
		return 5.0 + w->height_m * scale + 6.0;
	}
	for (i = 0; i < w->cabinets_across; i++)
		for (j = 0; j < w->cabinets_down; j++) {
			long k = i * w->cabinets_down + j, port = k / cpp;
			double x = x0 + (double)i * cw, y = y0 + (double)j * ch;
			port_fill(cr, port);
			cairo_rectangle(cr, x, y, cw, ch);
			cairo_fill_preserve(cr);
			set_rgb(cr, 0.35, 0.38, 0.45);
			cairo_set_line_width(cr, 0.15);
			cairo_stroke(cr);
			if (k % cpp == 0 && cw > 3.0 && ch > 2.5) {
				vpm_text_style_t ps = vpm_text_style(7.0);
				ps.halign = 0.0;
				ps.valign = 0.0;
				ps.bold = 1;
				snprintf(buf, sizeof buf, "P%ld", port + 1);
				vpm_text_draw(cr, x + 0.8, y + 0.8, buf, &ps);
			}
		}
	/* the port runs: a line through the cabinets of each port, in order */
	set_rgb(cr, 0.15, 0.15, 0.15);
	cairo_set_line_width(cr, 0.3);
	for (i = 0; i < w->cabinets; i++) {
		long col = i / w->cabinets_down, row = i % w->cabinets_down;
		double x = x0 + ((double)col + 0.5) * cw, y = y0 + ((double)row + 0.5) * ch;
		if (i % cpp == 0)
			cairo_move_to(cr, x, y + (row == 0 ? ch * 0.15 : 0.0));
		else
			cairo_line_to(cr, x, y);
		if (i % cpp == cpp - 1 || i == w->cabinets - 1)
			cairo_stroke(cr);
	}
	set_rgb(cr, 0.1, 0.1, 0.1);
	cairo_set_line_width(cr, 0.4);
	cairo_rectangle(cr, x0, y0, w->width_m * scale, w->height_m * scale);
	cairo_stroke(cr);
	return 5.0 + w->height_m * scale + 4.0;
}

/* A whole number, or "unknown". */
/* The design's candidates, coarsest first, as a table in the box; rows
 * that do not fit are left out with a note. */
static vpm_status_t candidates_table(cairo_t *cr, double x, double y, double w, double h,
				     const vpm_design_t *ds)
{
	static const char *head[5] = { "Candidate panel", "Pitch mm", "Cabinets", "Not SAFE",
				       "Cost (USD)" };
	static const double widths[5] = { 2.3, 1.0, 1.0, 1.0, 1.5 };
	static const double align[5] = { 0.0, 1.0, 1.0, 1.0, 1.0 };
	char(*buf)[48] = NULL;
	const char **cells = NULL;
	vpm_color_t *fill = NULL;
	vpm_table_t t;
	size_t i, n = ds->n_candidates, drawn = 0;
	vpm_status_t s = VPM_OK;
	vpm_text_style_t ts = vpm_text_style(7.5);

	if (n == 0 || h < 12.0)
		return VPM_OK;
	buf = calloc(n * 5, sizeof *buf);
	cells = calloc(n * 5, sizeof *cells);
	fill = calloc(n, sizeof *fill);
	if (buf == NULL || cells == NULL || fill == NULL) {
		s = VPM_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const vpm_design_candidate_t *c = &ds->cand[i];
		snprintf(buf[i * 5], 48, "%s", c->panel->name);
		snprintf(buf[i * 5 + 1], 48, "%.2f", c->panel->pitch_mm);
		snprintf(buf[i * 5 + 2], 48, "%ld", c->cabinets);
		snprintf(buf[i * 5 + 3], 48, "%zu of %zu", c->n_unsafe, ds->n_shots);
		if (!c->fits)
			snprintf(buf[i * 5 + 4], 48, "does not fit");
		else if (c->has_price)
			snprintf(buf[i * 5 + 4], 48, "%.0f\xE2\x80\x93%.0f", c->cost_usd_low,
				 c->cost_usd_high);
		else
			snprintf(buf[i * 5 + 4], 48, "no price");
		if (!c->fits)
			snprintf(buf[i * 5 + 2], 48, "\xE2\x80\x93");
		cells[i * 5] = buf[i * 5];
		cells[i * 5 + 1] = buf[i * 5 + 1];
		cells[i * 5 + 2] = buf[i * 5 + 2];
		cells[i * 5 + 3] = buf[i * 5 + 3];
		cells[i * 5 + 4] = buf[i * 5 + 4];
		/* the choice in green, the deciding panel in amber */
		fill[i] = (int)i == ds->chosen	  ? vpm_color_rgb(0.78, 0.91, 0.78)
			  : (int)i == ds->decider ? vpm_color_rgb(0.98, 0.88, 0.70)
						  : vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.0);
	}
	memset(&t, 0, sizeof t);
	t.ncols = 5;
	t.nrows = n;
	t.header = head;
	t.cells = cells;
	t.widths = widths;
	t.align = align;
	t.row_fill = fill;
	t.size_pt = 7.5;
	s = vpm_table_draw(cr, x, y, w, h - 5.0, &t, 0, &drawn, NULL);
	if (s == VPM_OK && drawn < n) {
		char note[80];
		snprintf(note, sizeof note, "\xE2\x80\xA6 and %zu finer panels", n - drawn);
		ts.color = vpm_color_rgb(0.35, 0.35, 0.35);
		vpm_text_draw(cr, x, y + h - 1.5, note, &ts);
	}
out:
	free(buf);
	free(cells);
	free(fill);
	return s;
}

static const char *known(char *buf, size_t n, int has, double v)
{
	if (!has)
		snprintf(buf, n, "unknown");
	else
		snprintf(buf, n, "%.0f", v);
	return buf;
}

vpm_status_t vpm_stagepage_draw(vpm_doc_t *doc, const vpm_stagepage_t *sp)
{
	static const char *rows[NROWS] = { "Cabinets",
					   "Resolution (px)",
					   "Aspect",
					   "Ports (naive)",
					   "Power max (W)",
					   "Power typical (W)",
					   "20 A circuits at 120 V",
					   "16 A circuits at 230 V",
					   "Heat max / typ (BTU/h)",
					   "Weight with cabling (kg)",
					   "Cost (USD)" };
	char cellbuf[NROWS * NCOLS_MAX][96];
	const char *cells[NROWS * NCOLS_MAX], *header[NCOLS_MAX];
	char hdrbuf[NCOLS_MAX][32];
	double widths[NCOLS_MAX], align[NCOLS_MAX];
	const vpm_bom_t *b;
	vpm_page_t pg;
	vpm_table_t t;
	vpm_status_t s;
	double y, left_w, right_x, maxw = 0.0, scale, used, th = 0.0;
	size_t i, c, ncols;
	char foot[6][400], sub[300];
	vpm_footer_item_t items[7];
	size_t nitems = 0;
	vpm_text_style_t ts;

	if (doc == NULL || sp == NULL || sp->bom == NULL || sp->stage == NULL)
		return VPM_EINVAL;
	b = sp->bom;
	if ((s = vpm_doc_page_add(doc, &pg)) != VPM_OK)
		return s;
	snprintf(sub, sizeof sub, "%s", sp->subtitle ? sp->subtitle : "");
	y = vpm_page_title(&pg, sp->title ? sp->title : "Stage sheet", sub[0] ? sub : NULL);

	/* the footer first: the drawing stops above it */
	snprintf(foot[0], sizeof foot[0],
		 "%s port table row %s: %.0f px per port at %d bit, %g Hz (requested %g Hz: the "
		 "lowest tabulated rate at or above it); whole cabinets per port, so the naive "
		 "pixels \xC3\xB7 capacity count in brackets undercounts",
		 b->capacity->processor, b->capacity->name, b->capacity->port_px, b->capacity->bits,
		 b->capacity->fps, b->opt.fps);
	items[nitems++] = (vpm_footer_item_t){ "Data", foot[0] };
	snprintf(foot[1], sizeof foot[1],
		 "continuous load at %.0f %% of the breaker (NEC 210.19(A)(1), 210.20(A); the same "
		 "margin at 230 V, where IEC 60364-4-43 / BS 7671 433.1.1 ask design current "
		 "\xE2\x89\xA4 rating), whole cabinets per circuit at maximum power, each wall on "
		 "its own circuits; per-cabinet power from %s",
		 100.0 * b->opt.continuous_load, b->power_from[0] ? b->power_from : "nowhere");
	items[nitems++] = (vpm_footer_item_t){ "Power", foot[1] };
	snprintf(foot[2], sizeof foot[2],
		 "1 W = %.3f BTU/h (InfoComm AV math); size cooling on typical, bounded by "
		 "maximum",
		 VPM_BTU_H_PER_W);
	items[nitems++] = (vpm_footer_item_t){ "Heat", foot[2] };
	snprintf(foot[3], sizeof foot[3],
		 "cabinets + %.0f %% for cabling and rigging (LED.FYI bill of materials)",
		 100.0 * b->opt.cabling);
	items[nitems++] = (vpm_footer_item_t){ "Weight", foot[3] };
	snprintf(foot[4], sizeof foot[4],
		 "cabinets \xC3\x97 the dated price range of models/prices.csv%s",
		 b->has_processor_price ? ", plus processors" : " (processors not priced)");
	items[nitems++] = (vpm_footer_item_t){ "Cost", foot[4] };
	if (sp->version)
		items[nitems++] = (vpm_footer_item_t){ "Version", sp->version };
	{
		double fy = vpm_page_footer(&pg, "Assumptions", items, nitems, 1);
		double bottom = fy - 3.0;
		left_w = (pg.width_mm - 2.0 * pg.margin_mm) * 0.46;
		right_x = pg.margin_mm + left_w + 8.0;

		/* walls: one scale for all, to fit the left column's width and
		 * the height available */
		{
			double hsum = 0.0;
			/* room for the candidates' table under the walls: a row is
			 * about 4.3 mm at 7.5 pt, plus the header and a note */
			double table_mm = sp->design && sp->shots
						  ? 4.3 * (double)(sp->design->n_candidates + 1) +
							    9.0
						  : 0.0;
			for (i = 0; i < b->n_walls; i++) {
				maxw = fmax(maxw, b->wall[i].width_m);
				hsum += b->wall[i].height_m;
			}
			scale = left_w / fmax(maxw, 0.1);
			if (hsum > 0.0)
				scale = fmin(scale, (bottom - y - 20.0 - 9.0 * (double)b->n_walls -
						     table_mm) /
							    hsum);
			scale = fmax(scale, 1e-3);
		}
		used = y + 2.0;
		for (i = 0; i < b->n_walls; i++) {
			vpm_box_t box = { pg.margin_mm, used, pg.margin_mm + left_w, bottom };
			used += draw_wall(pg.cr, box, &b->wall[i], scale);
		}
		ts = vpm_text_style(7.5);
		ts.color = vpm_color_rgb(0.35, 0.35, 0.35);
		{
			char legend[200];
			snprintf(legend, sizeof legend,
				 "Fill and P-numbers: processor port groups of %ld cabinets, run column "
				 "by column; the line links a port's cabinets.",
				 b->total.cabinets_per_port);
			used += vpm_text_wrap(pg.cr, pg.margin_mm, used, left_w, legend, &ts, 1);
		}

		/* totals table */
		ncols = b->n_walls > 1 ? b->n_walls + 2 : 2;
		header[0] = "";
		for (c = 1; c < ncols; c++) {
			/* "left side wall" -> "left side": the columns are narrow */
			char *h = hdrbuf[c];
			size_t len;
			snprintf(h, sizeof hdrbuf[c], "%s",
				 (b->n_walls > 1 && c <= b->n_walls) ? b->wall[c - 1].name
								     : "Total");
			len = strlen(h);
			if (len > 5 && strcmp(h + len - 5, " wall") == 0)
				h[len - 5] = '\0';
			header[c] = h;
		}
		for (c = 0; c < ncols; c++) {
			widths[c] = c == 0 ? 1.6 : 1.0;
			align[c] = c == 0 ? 0.0 : 1.0;
		}
		for (i = 0; i < NROWS; i++) {
			cells[i * ncols] = rows[i];
			for (c = 1; c < ncols; c++) {
				/* one wall: its own column (across and down known) */
				const vpm_bom_wall_t *w =
					(b->n_walls == 1 || (b->n_walls > 1 && c <= b->n_walls))
						? &b->wall[b->n_walls == 1 ? 0 : c - 1]
						: &b->total;
				char *cb = cellbuf[i * ncols + c];
				size_t n = sizeof cellbuf[0];
				char t1[32], t2[32];
				switch (i) {
				case 0:
					if (w == &b->total && b->n_walls > 1)
						snprintf(cb, n, "%ld", w->cabinets);
					else
						snprintf(cb, n, "%ld \xC3\x97 %ld = %ld",
							 w->cabinets_across, w->cabinets_down,
							 w->cabinets);
					break;
				case 1:
					snprintf(cb, n, "%ld \xC3\x97 %ld", w->width_px,
						 w->height_px);
					break;
				case 2: snprintf(cb, n, "%.3f:1", w->aspect); break;
				case 3:
					snprintf(cb, n, "%ld (%ld)", w->processor_ports,
						 w->naive_ports);
					break;
				case 4: known(cb, n, w->has_power, w->power_max_w); break;
				case 5:
					known(cb, n, w->has_power && w->power_typ_w > 0,
					      w->power_typ_w);
					break;
				case 6:
					known(cb, n, w->has_power, (double)w->circuits_120v_20a);
					break;
				case 7:
					known(cb, n, w->has_power, (double)w->circuits_230v_16a);
					break;
				case 8:
					if (!w->has_power)
						snprintf(cb, n, "unknown");
					else
						snprintf(cb, n, "%.0f / %s", w->heat_btu_h,
							 known(t1, sizeof t1, w->power_typ_w > 0,
							       w->heat_typ_btu_h));
					break;
				case 9: known(cb, n, w->has_weight, w->weight_kg); break;
				default:
					if (!w->has_price)
						snprintf(cb, n, "unknown");
					else
						snprintf(cb, n, "%s\xE2\x80\x93%s",
							 known(t1, sizeof t1, 1, w->cost_usd_low),
							 known(t2, sizeof t2, 1, w->cost_usd_high));
				}
				cells[i * ncols + c] = cb;
			}
		}
		memset(&t, 0, sizeof t);
		t.ncols = ncols;
		t.nrows = NROWS;
		t.header = header;
		t.cells = cells;
		t.widths = widths;
		t.align = align;
		t.zebra = 1;
		t.size_pt = 8.5;
		y += 2.0;
		if ((s = vpm_table_draw(pg.cr, right_x, y, pg.width_mm - pg.margin_mm - right_x,
					bottom - y, &t, 0, NULL, &th)) != VPM_OK)
			return s;
		y += th + 3.0;
		ts = vpm_text_style(8.0);
		{
			char line[300];
			snprintf(line, sizeof line,
				 "Processors: %ld \xC3\x97 %s (%d ports each, %.0f px per port at %d "
				 "bit, %g Hz)",
				 b->processors, b->capacity->processor, b->capacity->ports,
				 b->capacity->port_px, b->capacity->bits, b->capacity->fps);
			y += vpm_text_wrap(pg.cr, right_x, y, pg.width_mm - pg.margin_mm - right_x,
					   line, &ts, 1) +
			     1.5;
		}
		/* flags: disagreeing sources and missing figures */
		ts.color = vpm_color_rgb(0.62, 0.16, 0.08);
		for (i = 0; i < b->n_flags && y < bottom - 8.0; i++) {
			char line[VPM_BOM_FLAG_LEN + 8];
			snprintf(line, sizeof line, "Flag: %s", b->flag[i]);
			y += vpm_text_wrap(pg.cr, right_x, y, pg.width_mm - pg.margin_mm - right_x,
					   line, &ts, 1) +
			     1.0;
		}
		/* the inverse design */
		if (sp->design != NULL && sp->shots != NULL && y < bottom - 12.0) {
			const vpm_design_t *ds = sp->design;
			char line[1200];
			size_t k, n = 0;
			ts = vpm_text_style(8.0);
			ts.bold = 1;
			y += 2.0;
			if (ds->chosen >= 0)
				snprintf(line, sizeof line,
					 "Design: %s (%.2f mm), the coarsest panel keeping SAFE the %zu "
					 "of %zu shots that some panel can",
					 ds->cand[ds->chosen].panel->name,
					 ds->cand[ds->chosen].panel->pitch_mm,
					 ds->n_shots - ds->n_beyond, ds->n_shots);
			else
				snprintf(line, sizeof line,
					 "Design: no catalog panel keeps all %zu shots SAFE",
					 ds->n_shots);
			y += vpm_text_wrap(pg.cr, right_x, y, pg.width_mm - pg.margin_mm - right_x,
					   line, &ts, 1) +
			     1.0;
			ts.bold = 0;
			if (ds->decider >= 0) {
				const vpm_design_candidate_t *dc = &ds->cand[ds->decider];
				n = (size_t)snprintf(
					line, sizeof line,
					"Deciding shots (not SAFE on %s, %.2f mm, amber in the table; the choice is green):",
					dc->panel->name, dc->panel->pitch_mm);
				for (k = 0; k < ds->n_shots && n < sizeof line - 80; k++)
					if (dc->unsafe[k] && !ds->beyond_panels[k])
						n += (size_t)snprintf(line + n, sizeof line - n,
								      " %s", sp->shots->shot[k].id);
			} else {
				snprintf(line, sizeof line, "%s",
					 ds->chosen == 0
						 ? "No coarser panel in the catalog: the shots "
						   "do not decide the choice"
						 : "");
			}
			if (line[0])
				y += vpm_text_wrap(pg.cr, right_x, y,
						   pg.width_mm - pg.margin_mm - right_x, line, &ts,
						   1) +
				     1.0;
			if (ds->n_beyond > 0) {
				n = (size_t)snprintf(line, sizeof line,
						     "Not SAFE on any panel (change the shot):");
				for (k = 0; k < ds->n_shots && n < sizeof line - 80; k++)
					if (ds->beyond_panels[k])
						n += (size_t)snprintf(line + n, sizeof line - n,
								      " %s", sp->shots->shot[k].id);
				y += vpm_text_wrap(pg.cr, right_x, y,
						   pg.width_mm - pg.margin_mm - right_x, line, &ts,
						   1) +
				     1.0;
			}
			if ((s = candidates_table(pg.cr, pg.margin_mm, used + 3.0, left_w,
						  bottom - used - 3.0, ds)) != VPM_OK)
				return s;
		}
	}
	return VPM_OK;
}
