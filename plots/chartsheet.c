/* vpmoire — one page of `vpmoire chart` composed from a computed chart
 * (chartsheet.h), drawn by vpm_chartpage_draw(). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chartpage.h"
#include "chartsheet.h"
#include "vpmoire/geometry.h"

#define MODEL_NAME                          \
	"analytic predictor (SPEC \xc2\xa7" \
	"2; the verdict model above: doc/model.md)"

static const char *fmt_len(double m, vpm_units_system_t u, char *buf, size_t n)
{
	return vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? 2 : 0, buf, n);
}

/* A distance without its unit in metric ("2.10"), with it in imperial. */
static const char *fmt_num(double m, vpm_units_system_t u, char *buf, size_t n)
{
	if (u == VPM_UNITS_METRIC)
		snprintf(buf, n, "%.2f", m);
	else
		vpm_units_format_length(m, u, 0, buf, n);
	return buf;
}

static const char *fmt_both(double m, char *buf, size_t n)
{
	char a[32], b[32];

	vpm_units_format_length(m, VPM_UNITS_METRIC, 2, a, sizeof a);
	vpm_units_format_length(m, VPM_UNITS_IMPERIAL, 0, b, sizeof b);
	if (snprintf(buf, n, "%s (%s)", a, b) >= (int)n)
		buf[n - 1] = '\0';
	return buf;
}

void vpm_chartsheet_from_plan(vpm_chartsheet_t *cs, const vpm_chart_plan_t *plan,
			      const vpm_panel_t *panel, const vpm_camera_t *camera)
{
	memset(cs, 0, sizeof *cs);
	cs->panel = panel;
	cs->camera = camera;
	cs->lenses = plan->column_lenses;
	cs->categorical = !plan->continuous;
	cs->focal_lo_mm = plan->focal_lo_mm;
	cs->focal_hi_mm = plan->focal_hi_mm;
	cs->rule = plan->rule;
	cs->gap_m = plan->subject_gap_m;
	cs->depth_m = plan->subject_depth_m;
	cs->marks = plan->marks;
	cs->n_marks = plan->n_marks;
	cs->series_name = plan->series_name;
	cs->zoom = plan->zoom;
}

/* The safe distances of a column in words (the library's safe-zone rule,
 * vpm_chart_column_zones()), at most two zones listed, then "+N". */
void vpm_chartsheet_safe_text(const vpm_chart_t *c, size_t i, double closest, vpm_units_system_t u,
			      char *buf, size_t n)
{
	vpm_chart_zone_t z[2];
	size_t nz = 0, k, at = 0;
	char a[48], b[48];

	buf[0] = '\0';
	vpm_chart_column_zones(c, i, closest, z, 2, &nz);
	for (k = 0; k < nz && k < 2; k++) {
		if (z[k].to_top)
			snprintf(buf + at, n - at, "%sfrom %s", k ? ", " : "",
				 fmt_num(z[k].from_m, u, a, sizeof a));
		else
			snprintf(buf + at, n - at, "%s%s\xe2\x80\x93%s", k ? ", " : "",
				 fmt_num(z[k].from_m, u, a, sizeof a),
				 fmt_num(z[k].to_m, u, b, sizeof b));
		at = strlen(buf);
	}
	if (nz > 2)
		snprintf(buf + at, n - at, " +%zu", nz - 2);
	if (nz == 0)
		snprintf(buf, n, "none");
}

/* The marker of a column (vpm_chart_column_mark_m()): "≤ 2.10 m" for the top
 * of the safe zone at the closest distance, "≥ 7.50 m" for the bottom of
 * one that reaches the top of the chart. */
static double column_mark(const vpm_chart_t *c, size_t i, vpm_units_system_t u, char *label,
			  size_t n)
{
	int from = 0;
	double m = vpm_chart_column_mark_m(c, i, &from);
	char a[48];

	label[0] = '\0';
	if (isfinite(m))
		snprintf(label, n, "%s %s", from ? "\xe2\x89\xa5" : "\xe2\x89\xa4",
			 fmt_len(m, u, a, sizeof a));
	return m;
}

/* The closest camera-to-wall distance a column can be shot from
 * (vpm_chart_column_closest_m()).  NaN when no cell can. */
double vpm_chartsheet_column_closest(const vpm_chartsheet_t *pc, const vpm_chart_t *c, size_t i)
{
	const vpm_lens_t *l = pc->lenses ? pc->lenses[i] : NULL;

	if (!l)
		l = pc->zoom; /* a zoom's columns share its close focus */
	return vpm_chart_column_closest_m(c, i, pc->rule, pc->gap_m, l ? l->close_focus_m : 0.0);
}

static const char *cfa_name(const vpm_setup_t *s)
{
	return s->cfa == VPM_CFA_MONO ? "mono" : "Bayer";
}

/* Footer: every assumption the page depends on. */
typedef struct {
	char panel[256], camera[320], olpf[128], lenses[400], stop[96], rule[256], coc[96],
		view[192], delivery[128], chroma[400], tol[64], thr[96], grid[96], model[128];
	vpm_footer_item_t items[16];
	size_t n;
} footer_t;

static void build_footer(footer_t *f, const vpm_chartsheet_t *pc, const vpm_setup_t *s,
			 const vpm_chart_t *c, double stop)
{
	char g[80], d[48], asp[32];
	double w_mm = s->width_px * s->photosite_um / 1000.0;

	if (pc->panel)
		snprintf(f->panel, sizeof f->panel, "%s (%s %s), pitch %.5g mm, emitter %.3g mm",
			 pc->panel->name, pc->panel->maker, pc->panel->model, s->pitch_mm,
			 s->emitter_mm);
	else
		snprintf(f->panel, sizeof f->panel, "pitch %.5g mm, emitter %.3g mm", s->pitch_mm,
			 s->emitter_mm);
	if (pc->camera)
		snprintf(f->camera, sizeof f->camera,
			 "%s (%s), %d photosites \xc3\x97 %.3g \xc2\xb5m = %.2f mm, %s, fill %g",
			 pc->camera->name, pc->camera->mode, s->width_px, s->photosite_um, w_mm,
			 cfa_name(s), s->fill);
	else
		snprintf(f->camera, sizeof f->camera,
			 "%d photosites \xc3\x97 %.3g \xc2\xb5m = %.2f mm, %s, fill %g",
			 s->width_px, s->photosite_um, w_mm, cfa_name(s), s->fill);
	if (s->olpf_um > 0)
		snprintf(f->olpf, sizeof f->olpf, "four-spot, split %.3g \xc2\xb5m", s->olpf_um);
	else
		snprintf(f->olpf, sizeof f->olpf, "none (not published: the worst case)");
	if (pc->categorical)
		snprintf(f->lenses, sizeof f->lenses,
			 "%s from the catalog (focal lengths, stop ranges, close focus); %s",
			 pc->series_name ? pc->series_name : "lenses",
			 s->lens_mtf_n > 0 ? "measured MTF where given"
			 : s->model == VPM_MODEL_IDEAL
				 ? "ideal optics (diffraction and defocus)"
				 : "diffraction and defocus through a soft-edged "
				   "pupil (field model)");
	else if (pc->zoom)
		snprintf(f->lenses, sizeof f->lenses,
			 "%s zoom %g\xe2\x80\x93%g mm from the catalog, widest stop T%g\xe2\x80\x93T%g "
			 "over the range (the catalog's ramp), close focus %s; %s",
			 pc->zoom->name, pc->zoom->focal_mm, pc->zoom->focal_max_mm,
			 pc->zoom->max_t,
			 pc->zoom->max_t_long > 0.0 ? pc->zoom->max_t_long : pc->zoom->max_t,
			 pc->zoom->close_focus_m > 0.0 ? "as catalogued" : "4f",
			 s->model == VPM_MODEL_IDEAL ? "ideal optics (diffraction and defocus)"
						     : "soft-edged pupil (field model)");
	else
		snprintf(f->lenses, sizeof f->lenses, "%g\xe2\x80\x93%g mm, %s, close focus 4f%s%s",
			 pc->focal_lo_mm, pc->focal_hi_mm,
			 s->model == VPM_MODEL_IDEAL ? "ideal optics (diffraction and defocus)"
						     : "soft-edged pupil (field model)",
			 pc->n_marks ? "; marks: " : "", pc->n_marks ? pc->series_name : "");
	if (s->squeeze > 0.0 && s->squeeze != 1.0) {
		/* anamorphic (doc/model.md section 12): say so where the lenses are */
		size_t len = strlen(f->lenses);

		snprintf(f->lenses + len, sizeof f->lenses - len,
			 "; %gx anamorphic squeeze, desqueezed for viewing", s->squeeze);
	}
	if (s->model == VPM_MODEL_IDEAL) {
		snprintf(f->stop, sizeof f->stop, "T%g (used as the f-number)", stop);
	} else {
		vpm_setup_t fs = *s;

		fs.stop = stop;
		snprintf(f->stop, sizeof f->stop, "T%g = f/%.3g (catalog or default transmittance)",
			 stop, vpm_setup_f_number(&fs));
	}
	if (pc->rule == VPM_CHART_FOCUS_SUBJECT)
		snprintf(f->rule, sizeof f->rule, "on the subject, %s in front of the wall",
			 fmt_both(pc->gap_m, g, sizeof g));
	else
		snprintf(f->rule, sizeof f->rule,
			 "back of DOF: subject %s deep, centre %s in front of the wall, all of it "
			 "sharp, focus by the planner",
			 fmt_len(pc->depth_m, VPM_UNITS_METRIC, d, sizeof d),
			 fmt_both(pc->gap_m, g, sizeof g));
	if (s->coc_mm > 0)
		snprintf(f->coc, sizeof f->coc, "%.3g mm%s", s->coc_mm,
			 pc->camera && pc->camera->coc_mm > 0 && s->coc_mm == pc->camera->coc_mm
				 ? " (camera catalog)"
				 : "");
	else
		snprintf(f->coc, sizeof f->coc, "%.3g mm (sensor width / 1000)", w_mm / 1000.0);
	if (fabs(s->aspect - 16.0 / 9.0) < 1e-9)
		snprintf(asp, sizeof asp, "16:9");
	else
		snprintf(asp, sizeof asp, "%.3g:1", s->aspect);
	{
		vpm_model_choice_t mc;

		if (vpm_setup_model(s, &mc) != VPM_OK)
			mc.view_heights = s->view_heights, mc.luminance_cd_m2 = s->luminance_cd_m2,
			mc.viewing = VPM_VIEWING_CUSTOM;
		snprintf(f->view, sizeof f->view,
			 "%s picture from %g picture heights (%s), %g cd/m\xc2\xb2, grade gain %g, "
			 "roll %g\xc2\xb0",
			 asp, mc.view_heights, vpm_viewing_name(mc.viewing), mc.luminance_cd_m2,
			 s->grade_gain, s->roll_deg);
	}
	if (s->recording_px > 0 || s->delivery_px > 0)
		snprintf(f->delivery, sizeof f->delivery, "recording %d px, delivery %d px",
			 s->recording_px > 0 ? s->recording_px : s->width_px,
			 s->delivery_px > 0
				 ? s->delivery_px
				 : (s->recording_px > 0 ? s->recording_px : s->width_px));
	else
		snprintf(f->delivery, sizeof f->delivery, "none (full photosite width)");
	vpm_model_describe(s, f->chroma, sizeof f->chroma);
	snprintf(f->tol, sizeof f->tol, "\xce\xb4 = %.2f", s->tolerance);
	snprintf(f->thr, sizeof f->thr, "caution from V = %g, risky from V = %g", s->caution_at,
		 s->risky_at);
	snprintf(f->grid, sizeof f->grid, "%zu distances \xc3\x97 %zu %s", c->ny, c->nx,
		 pc->categorical ? "lenses" : "focal lengths");
	snprintf(f->model, sizeof f->model, "vpmoire %s %s", PACKAGE_VERSION, MODEL_NAME);
	f->n = 0;
#define ITEM(k, v) f->items[f->n++] = (vpm_footer_item_t){ k, v }
	ITEM("Panel", f->panel);
	ITEM("Camera mode", f->camera);
	ITEM("OLPF", f->olpf);
	ITEM("Lenses", f->lenses);
	ITEM("Stop", f->stop);
	ITEM("Focus", f->rule);
	ITEM("CoC", f->coc);
	ITEM("Viewing", f->view);
	ITEM("Downscale", f->delivery);
	ITEM("Verdict model", f->chroma);
	ITEM("Tolerance", f->tol);
	ITEM("Thresholds", f->thr);
	ITEM("Grid", f->grid);
	ITEM("Model", f->model);
#undef ITEM
}

static const char guide_subject[] =
	"Find your lens at the bottom and go up to your camera-to-wall distance: the colour "
	"is the verdict at %s with focus on a subject %s in front of the wall.\n"
	"%s\n"
	"Grey: not possible (inside close focus, or the lens lacks this stop).\n"
	"A thin stray stripe is a chance alignment of the LED and photosite grids, gone a few "
	"centimetres either way: do not plan on it.";

static const char guide_dof[] =
	"Find your lens at the bottom and go up to your camera-to-wall distance: the colour "
	"is the verdict at %s for a subject %s deep, centre %s in front of the wall, with "
	"focus set so all of it is sharp and the wall as soft as it can be (vpmoire focus "
	"gives the mark).\n"
	"%s\n"
	"Grey: not possible (close focus, no such stop, or too little depth of field).\n"
	"A thin stray stripe is a chance alignment of the LED and photosite grids: do not "
	"plan on it.";

static const char classes_risk[] =
	"Pale: safe. Amber: check on a big monitor before you roll; opening up or focusing a "
	"little closer often clears it. Dark red: moir\xc3\xa9 or the LED grid will show.";

static const char classes_visibility[] =
	"Colour: the visibility V on a log scale. Below 1 (pale) is safe; from 1 check on a "
	"big monitor; from 3 (red to dark purple) moir\xc3\xa9 or the LED grid will show.";

/* Re-set the message of a failed page as "chart page: ..." (the command's
 * words since the page lived in apps/). */
static vpm_status_t page_fail(vpm_status_t st)
{
	char msg[512];

	snprintf(msg, sizeof msg, "%s",
		 vpm_error_message()[0] != '\0' ? vpm_error_message() : vpm_strerror(st));
	return vpm_error_set(st, "chart page: %s", msg);
}

vpm_status_t vpm_chartsheet_page_add(vpm_doc_t *doc, const vpm_chartsheet_t *pc,
				     const vpm_chart_t *c, double stop, const vpm_setup_t *s)
{
	size_t nx = c->nx, ny = c->ny, i, j;
	double *vis = malloc(nx * ny * sizeof *vis), *mark = malloc(nx * sizeof *mark);
	double *close = malloc(nx * sizeof *close), *marks_mm = NULL;
	int *state = malloc(nx * ny * sizeof *state);
	char(*labels)[32] = malloc(nx * sizeof *labels), (*mlab)[48] = malloc(nx * sizeof *mlab);
	char(*notes)[64] = malloc(nx * sizeof *notes);
	char(*cells)[3][96] = malloc(nx * sizeof *cells);
	const char **lab_p = malloc(nx * sizeof *lab_p), **mlab_p = malloc(nx * sizeof *mlab_p);
	const char **note_p = malloc(nx * sizeof *note_p),
		   **cell_p = malloc(3 * nx * sizeof *cell_p);
	char title[512], subtitle[512], xtitle[160], guide[1400], g1[80], g2[80], g3[80];
	const char *head[3] = { "Lens", NULL, NULL };
	static const double widths[3] = { 1.1, 1.1, 2.3 }, align[3] = { 0, 0, 0 };
	char h1[48], h2[64];
	vpm_table_t t;
	vpm_chartpage_t cp;
	footer_t *foot = malloc(sizeof *foot);
	vpm_page_t pg;
	vpm_status_t st = VPM_OK;
	int any_note = 0;

	if (!vis || !mark || !close || !state || !labels || !mlab || !notes || !cells || !lab_p ||
	    !mlab_p || !note_p || !cell_p || !foot) {
		st = vpm_error_set(VPM_ENOMEM, "out of memory");
		goto out;
	}
	for (j = 0; j < ny; j++)
		for (i = 0; i < nx; i++) {
			const vpm_chart_cell_t *cell = &c->cells[j * nx + i];
			state[j * nx + i] = (int)cell->state;
			vis[j * nx + i] = cell->state == VPM_CELL_OK ? cell->visibility : NAN;
		}
	for (i = 0; i < nx; i++) {
		const vpm_lens_t *l = pc->lenses && pc->lenses[i] ? pc->lenses[i] : pc->zoom;
		double cf = vpm_geometry_closest_focus_m(c->focal_mm[i], l ? l->close_focus_m : 0.0,
							 1.0);
		int all_stop = 1;

		snprintf(labels[i], sizeof labels[i], "%g", c->focal_mm[i]);
		lab_p[i] = labels[i];
		close[i] = pc->gap_m + cf;
		if (!(close[i] > c->wall_min_m && close[i] < c->wall_max_m))
			close[i] = NAN;
		mark[i] = column_mark(c, i, pc->units, mlab[i], sizeof mlab[i]);
		mlab_p[i] = mlab[i];
		if (!pc->categorical) {
			/* a continuous range: markers only at the marked lenses */
			size_t k;
			int near = 0;
			for (k = 0; k < pc->n_marks; k++) {
				double f = pc->marks[k]->focal_mm, r = log(c->focal_mm[i] / f);
				double step = nx > 1 ? 0.5 * log(c->focal_mm[1] / c->focal_mm[0])
						     : 1.0;
				near |= fabs(r) <= step;
			}
			if (!near)
				mark[i] = NAN;
		}
		for (j = 0; j < ny; j++)
			all_stop &= c->cells[j * nx + i].state == VPM_CELL_STOP;
		note_p[i] = NULL;
		if (all_stop && l) {
			if (stop < l->max_t)
				snprintf(notes[i], sizeof notes[i], "opens only to T%g", l->max_t);
			else
				snprintf(notes[i], sizeof notes[i], "stops down only to T%g",
					 l->min_t);
			note_p[i] = notes[i];
			any_note = 1;
			close[i] = NAN;
		}
		/* the table */
		snprintf(cells[i][0], sizeof cells[i][0], "%g mm", c->focal_mm[i]);
		{
			double first = vpm_chartsheet_column_closest(pc, c, i);
			if (isfinite(first))
				fmt_num(first, pc->units, cells[i][1], sizeof cells[i][1]);
			else
				snprintf(cells[i][1], sizeof cells[i][1], "\xe2\x80\x94");
		}
		if (all_stop && l)
			snprintf(cells[i][2], sizeof cells[i][2], "no T%g", stop);
		else
			vpm_chartsheet_safe_text(c, i, vpm_chartsheet_column_closest(pc, c, i),
						 pc->units, cells[i][2], sizeof cells[i][2]);
		cell_p[3 * i] = cells[i][0];
		cell_p[3 * i + 1] = cells[i][1];
		cell_p[3 * i + 2] = cells[i][2];
	}
	if (pc->n_marks) {
		marks_mm = malloc(pc->n_marks * sizeof *marks_mm);
		if (!marks_mm) {
			st = vpm_error_set(VPM_ENOMEM, "out of memory");
			goto out;
		}
		for (i = 0; i < pc->n_marks; i++)
			marks_mm[i] = pc->marks[i]->focal_mm;
	}
	build_footer(foot, pc, s, c, stop);

	{
		char rig[400];
		if (pc->panel && pc->camera)
			snprintf(rig, sizeof rig, "%s %s on %s", pc->panel->maker, pc->panel->model,
				 pc->camera->model);
		else
			snprintf(rig, sizeof rig, "%.4g mm pitch on %.3g \xc2\xb5m photosites",
				 s->pitch_mm, s->photosite_um);
		if (s->squeeze > 0.0 && s->squeeze != 1.0) {
			size_t len = strlen(rig);

			snprintf(rig + len, sizeof rig - len, ", %gx anamorphic", s->squeeze);
		}
		snprintf(title, sizeof title, "Safe-shot chart at T%g \xe2\x80\x94 %s%s%s", stop,
			 pc->title ? pc->title : "", pc->title ? ": " : "", rig);
	}
	if (pc->rule == VPM_CHART_FOCUS_SUBJECT)
		snprintf(subtitle, sizeof subtitle,
			 "%s \xc2\xb7 focus on a subject %s in front of the wall \xc2\xb7 "
			 "colour = the worse of moir\xc3\xa9 and LED grid",
			 pc->series_name ? pc->series_name : "Lenses",
			 fmt_both(pc->gap_m, g1, sizeof g1));
	else
		snprintf(subtitle, sizeof subtitle,
			 "%s \xc2\xb7 subject %s deep, centre %s in front of the wall, "
			 "focus at the back of the depth of field",
			 pc->series_name ? pc->series_name : "Lenses",
			 fmt_len(pc->depth_m, VPM_UNITS_METRIC, g2, sizeof g2),
			 fmt_both(pc->gap_m, g1, sizeof g1));
	snprintf(xtitle, sizeof xtitle, "Focal length (mm)%s%s",
		 pc->series_name ? " \xe2\x80\x94 " : "", pc->series_name ? pc->series_name : "");
	snprintf(g3, sizeof g3, "T%g", stop);
	if (pc->rule == VPM_CHART_FOCUS_SUBJECT)
		snprintf(guide, sizeof guide, guide_subject, g3, fmt_both(pc->gap_m, g1, sizeof g1),
			 pc->by_visibility ? classes_visibility : classes_risk);
	else
		snprintf(guide, sizeof guide, guide_dof, g3,
			 fmt_len(pc->depth_m, VPM_UNITS_METRIC, g2, sizeof g2),
			 fmt_both(pc->gap_m, g1, sizeof g1),
			 pc->by_visibility ? classes_visibility : classes_risk);

	snprintf(h1, sizeof h1, "Closest");
	snprintf(h2, sizeof h2, "Safe");
	head[1] = h1;
	head[2] = h2;
	memset(&t, 0, sizeof t);
	t.ncols = 3;
	t.nrows = nx;
	t.header = head;
	t.cells = cell_p;
	t.widths = widths;
	t.align = align;
	t.zebra = 1;
	t.size_pt = 7.5;

	memset(&cp, 0, sizeof cp);
	cp.title = title;
	cp.subtitle = subtitle;
	cp.nx = nx;
	cp.categorical = pc->categorical;
	cp.focal_mm = c->focal_mm;
	cp.x_labels = lab_p;
	cp.x_title = xtitle;
	cp.marks_mm = marks_mm;
	cp.n_marks = pc->n_marks;
	cp.ny = ny;
	cp.wall_m = c->wall_m;
	cp.wall_min_m = c->wall_min_m;
	cp.wall_max_m = c->wall_max_m;
	cp.y_title = "Camera (sensor) to wall (m)";
	cp.y2_title = "Camera (sensor) to wall (ft)";
	cp.visibility = vis;
	cp.state = state;
	cp.caution_at = s->caution_at;
	cp.risky_at = s->risky_at;
	cp.colour_by_visibility = pc->by_visibility;
	cp.close_limit_m = close;
	cp.mark_m = mark;
	cp.mark_label = mlab_p;
	cp.column_note = any_note ? note_p : NULL;
	cp.marker_legend = "Safe-zone edge";
	cp.blocked_legend = "Not possible";
	cp.table = pc->categorical ? &t : NULL;
	cp.table_title = pc->units == VPM_UNITS_METRIC ? "Safe camera-to-wall distances (m)"
						       : "Safe camera-to-wall distances";
	cp.guide_heading = "How to read this chart";
	cp.guide = guide;
	cp.footer_heading = "Assumptions:";
	cp.footer = foot->items;
	cp.n_footer = foot->n;
	if ((st = vpm_doc_page_add(doc, &pg)) != VPM_OK ||
	    (st = vpm_chartpage_draw(&pg, &cp)) != VPM_OK)
		st = page_fail(st);
out:
	free(vis);
	free(mark);
	free(close);
	free(marks_mm);
	free(state);
	free(labels);
	free(mlab);
	free(notes);
	free(cells);
	free(lab_p);
	free(mlab_p);
	free(note_p);
	free(cell_p);
	free(foot);
	return st;
}

vpm_status_t vpm_chartsheet_summary(FILE *fp, const vpm_chartsheet_t *pc, const vpm_chart_t *c,
				    double stop, int page)
{
	size_t i;
	char buf[256], a[48];

	if (fp == NULL || pc == NULL || c == NULL)
		return vpm_error_set(VPM_EINVAL, "chart summary: NULL argument");

	fprintf(fp, "%sPage %d: T%g, %s, %s\n", page > 1 ? "\n" : "", page, stop,
		pc->panel ? pc->panel->name : "raw panel",
		pc->camera ? pc->camera->name : "raw camera");
	fprintf(fp, "  %-10s %-11s %s\n", "lens", "closest", "safe camera-to-wall distances");
	for (i = 0; i < c->nx; i++) {
		double first = vpm_chartsheet_column_closest(pc, c, i);
		char lens[32];
		/* a continuous range: ten focal lengths across it */
		if (!pc->categorical && c->nx > 12 && i != 0 && i != c->nx - 1 &&
		    (i * 9) / (c->nx - 1) == ((i - 1) * 9) / (c->nx - 1))
			continue;
		snprintf(lens, sizeof lens, "%g mm", c->focal_mm[i]);
		vpm_chartsheet_safe_text(c, i, first, pc->units, buf, sizeof buf);
		if (isfinite(first) && strcmp(buf, "none") != 0 && pc->units == VPM_UNITS_METRIC)
			strcat(buf, " m");
		if (!isfinite(first) && pc->lenses && pc->lenses[i] &&
		    c->cells[(c->ny - 1) * c->nx + i].state == VPM_CELL_STOP)
			snprintf(buf, sizeof buf, "the lens has no T%g (T%g to T%g)", stop,
				 pc->lenses[i]->max_t, pc->lenses[i]->min_t);
		else if (!isfinite(first))
			snprintf(buf, sizeof buf, "cannot be shot this way");
		fprintf(fp, "  %-10s %-11s %s\n", lens,
			isfinite(first) ? fmt_len(first, pc->units, a, sizeof a) : "-", buf);
	}
	return VPM_OK;
}
