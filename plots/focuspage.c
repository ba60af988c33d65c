/* vpmoire — the page of `vpmoire focus` (focuspage.h): the planner's
 * results composed into the side views, the curve, the table, the guide and
 * the footer, drawn by vpm_focuspage_draw(). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "chartpage.h"
#include "focuspage.h"
#include "vpm_plot.h"
#include "vpmoire/geometry.h"

/* rows of the table: as many as `vpmoire focus` takes stops (MAX_STOPS in
 * apps/cmd_focus.c) */
#define MAX_STOPS 16
/* points of the visibility curve: enough for a smooth line across the
 * half-page plot */
#define CURVE_N 161
#define MODEL_NAME                          \
	"analytic predictor (SPEC \xc2\xa7" \
	"2; the verdict model above: doc/model.md)"

/* A distance in the user's units, then in the other system in brackets. */
static const char *fmt_both(double m, vpm_units_system_t u, char *buf, size_t n)
{
	char a[32], b[32];
	vpm_units_system_t o = u == VPM_UNITS_METRIC ? VPM_UNITS_IMPERIAL : VPM_UNITS_METRIC;

	vpm_report_length(m, u, a, sizeof a);
	vpm_report_length(m, o, b, sizeof b);
	if (snprintf(buf, n, "%s (%s)", a, b) >= (int)n)
		buf[n - 1] = '\0';
	return buf;
}

static int plans_added(const vpm_focusplan_stop_t *plans, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (plans[i].added)
			return 1;
	return 0;
}

/* Re-set the message of a failure before the file as "figure: ..." (the
 * command's words since the page lived in apps/). */
static vpm_status_t figure_fail(vpm_status_t st)
{
	char msg[512];

	snprintf(msg, sizeof msg, "%s",
		 vpm_error_message()[0] != '\0' ? vpm_error_message() : vpm_strerror(st));
	return vpm_error_set(st, "figure: %s", msg);
}

vpm_status_t vpm_focusplan_page_write(const char *path, const vpm_focusplan_page_t *f,
				      vpm_predict_workspace_t *ws)
{
	/* the plan drawn: the recommended one; when no stop given holds the
	 * subject, the stop that would (else the narrowest stop given, whose
	 * centre focus leaves part of the subject soft) */
	const vpm_focus_report_t *rep = f->report;
	const vpm_focusplan_stop_t *plans = rep->stops;
	const int n = rep->n, rec = rep->recommended;
	const vpm_subject_t subj = rep->subject;
	const vpm_setup_t *s = rep->setup;
	const vpm_panel_t *panel = f->panel;
	const vpm_camera_t *camera = f->camera;
	const vpm_lens_t *lens = f->lens;
	const double close_focus_m = lens ? lens->close_focus_m : 0.0;
	const char *user_title = f->title;
	const vpm_units_system_t u = rep->units;
	const int feasible = rec >= 0, shown = rep->nearest->shown;
	const vpm_focusplan_stop_t *need = !feasible && rep->nearest->have_stop
						   ? &rep->nearest->need
						   : NULL;
	const vpm_focusplan_stop_t *p = feasible       ? &plans[rec]
					: need != NULL ? need
						       : &plans[shown];
	vpm_doc_options_t dopt = vpm_doc_options_default();
	vpm_doc_t *doc = NULL;
	vpm_page_t pg;
	vpm_focuspage_t fp;
	vpm_focusview_t v[2];
	vpm_setup_t rs = *s;
	double cx[CURVE_N], cv[CURVE_N], x0, x1, marks[2], lo, hi, centre;
	int csharp[CURVE_N], i;
	char title[400], subtitle[400], cap[2][200], verdict[2][80], fl[2][80], dl[2][160],
		det[2][256], bl[2][96], wall_label[96], ctitle[96], a[48], b[48], guide[2000];
	char cells[MAX_STOPS][5][48], why[800];
	const char *cellp[MAX_STOPS * 5];
	static const char *head[5] = { "Stop", "Focus", "V", "Verdict", "Naive" };
	static const double widths[5] = { 0.85, 1.15, 0.75, 1.3, 0.95 };
	static const double align[5] = { 0, 0, 1, 0, 1 };
	static const int whole[5] = { 1, 1, 1, 1, 1 }; /* numbers are never cut */
	vpm_color_t fills[MAX_STOPS];
	vpm_table_t t;
	char fpanel[200], fcam[240], flens[200], fstop[64], fsubj[160], fcoc[64], fview[160],
		fthr[96], fmodel[96], ftol[48], fchroma[400], asp[32];
	vpm_footer_item_t foot[12];
	size_t nf = 0;
	vpm_status_t st;
	const char *mlabels[2];
	size_t nviews = 2;
	int any_short = 0;

	rs.stop = p->stop;
	centre = 0.5 * (subj.near_m + subj.far_m);
	/* the curve: around the sharp range, from the subject side well into
	 * the closer focus settings (around the subject when nothing holds it) */
	if (p->feasible) {
		if ((st = vpm_plan_focus_range(&rs, subj, close_focus_m, &lo, &hi)) != VPM_OK)
			return figure_fail(st);
	} else {
		lo = subj.near_m;
		hi = subj.far_m;
	}
	{
		double span = fmax(fmax(centre, hi) - lo, 0.04 * centre);
		double fmin_m = vpm_geometry_closest_focus_m(s->focal_mm, close_focus_m,
							     VPM_PLAN_FOCUS_MARGIN);
		x0 = fmax(fmin_m, lo - 0.6 * span);
		x1 = fmin(s->wall_m * 0.995, fmax(centre, fmin(hi, subj.far_m)) + 0.4 * span);
	}
	if ((st = vpm_plan_focus_curve(&rs, subj, x0, x1, CURVE_N, ws, cx, cv, csharp)) != VPM_OK)
		return figure_fail(st);

	if (!p->feasible)
		nviews = 1; /* only the centre focus to show */
	for (i = 0; i < (int)nviews; i++) {
		/* infeasible with a stop that holds: that stop's plan, then the
		 * centre focus at the narrowest stop given */
		const vpm_focus_choice_t *c = !p->feasible ? &p->naive
					      : i == 0	   ? &p->best
					      : feasible   ? &p->naive
							   : &plans[shown].naive;
		const vpm_result_t *r = &c->result;
		if (!p->feasible)
			snprintf(cap[i], sizeof cap[i],
				 "NOT HELD: T%g, focus on the subject's centre %s", c->stop,
				 fmt_both(c->focus_m, u, a, sizeof a));
		else if (i == 0 && feasible)
			snprintf(cap[i], sizeof cap[i], "Recommended: T%g, focus %s", c->stop,
				 fmt_both(c->focus_m, u, a, sizeof a));
		else if (i == 0)
			snprintf(cap[i], sizeof cap[i],
				 "Nearest feasible: T%g (not a stop given), focus %s", c->stop,
				 fmt_both(c->focus_m, u, a, sizeof a));
		else if (feasible)
			snprintf(cap[i], sizeof cap[i],
				 "Naive: T%g, focus on the subject's centre %s", c->stop,
				 fmt_both(c->focus_m, u, a, sizeof a));
		else
			snprintf(cap[i], sizeof cap[i],
				 "NOT HELD at T%g (a stop given): focus on the centre %s", c->stop,
				 fmt_both(c->focus_m, u, a, sizeof a));
		snprintf(verdict[i], sizeof verdict[i],
			 "%s \xc2\xb7 visibility %.2f (moir\xc3\xa9 %.2f, grid %.2f)",
			 vpm_risk_label(r->risk), vpm_result_visibility(r), r->moire_visibility,
			 r->grid_visibility);
		snprintf(fl[i], sizeof fl[i], "focus %s",
			 vpm_report_length(c->focus_m, u, a, sizeof a));
		snprintf(dl[i], sizeof dl[i], "depth of field");
		snprintf(bl[i], sizeof bl[i], "blur %.1f LED pitches", r->wall_blur_pitches);
		snprintf(det[i], sizeof det[i],
			 "Depth of field %s to %s%s \xc2\xb7 wall blur %.3f mm on the sensor = %.1f "
			 "LED pitches",
			 vpm_report_length(r->dof_near_m, u, a, sizeof a),
			 vpm_report_length(r->dof_far_m, u, b, sizeof b),
			 c->subject_sharp ? " holds the whole subject"
					  : ": part of the subject is NOT sharp",
			 r->wall_blur_mm, r->wall_blur_pitches);
		v[i].detail = det[i];
		v[i].caption = cap[i];
		v[i].verdict = verdict[i];
		v[i].risk = (int)r->risk;
		v[i].focus_m = c->focus_m;
		v[i].dof_near_m = r->dof_near_m;
		v[i].dof_far_m = r->dof_far_m;
		v[i].focus_label = fl[i];
		v[i].dof_label = dl[i];
		v[i].blur_label = bl[i];
		v[i].subject_sharp = c->subject_sharp;
	}
	snprintf(wall_label, sizeof wall_label, "LED wall, %.5g mm pitch", s->pitch_mm);
	snprintf(ctitle, sizeof ctitle, "Visibility along the focus scale at T%g", p->stop);
	marks[0] = p->feasible ? p->best.focus_m : p->naive.focus_m;
	marks[1] = p->naive.focus_m;
	mlabels[0] = !p->feasible ? "centre" : feasible ? "recommended" : "nearest feasible";
	mlabels[1] = "centre";

	for (i = 0; i < n && i < MAX_STOPS; i++) {
		const vpm_focusplan_stop_t *q = &plans[i];
		snprintf(cells[i][0], 48, "T%g%s", q->stop, q->added ? "+" : "");
		if (q->feasible) {
			vpm_report_length(q->best.focus_m, u, cells[i][1], 48);
			snprintf(cells[i][2], 48,
				 vpm_result_visibility(&q->best.result) < 10 ? "%.2f" : "%.1f",
				 vpm_result_visibility(&q->best.result));
			snprintf(cells[i][3], 48, "%s", vpm_risk_name(q->best.result.risk));
			fills[i] = vpm_color_alpha(vpm_color_risk((int)q->best.result.risk),
						   i == rec ? 0.55 : 0.25);
		} else {
			snprintf(cells[i][1], 48, "\xe2\x80\x94");
			if (q->dark)
				snprintf(cells[i][3], 48, "too dark");
			else if (isnan(q->max_depth_m) || q->max_depth_m <= 0.0)
				snprintf(cells[i][3], 48, "not held");
			else
				snprintf(cells[i][3], 48, "\xe2\x89\xa4 %.32s",
					 vpm_report_length(q->max_depth_m, u, a, sizeof a));
			cells[i][2][0] = '\0';
			fills[i] = vpm_color_alpha(vpm_color_rgb(0.8, 0.8, 0.8), 0.4);
		}
		snprintf(cells[i][4], 48,
			 vpm_result_visibility(&q->naive.result) < 10 ? "%.2f%s" : "%.1f%s",
			 vpm_result_visibility(&q->naive.result),
			 q->naive.subject_sharp ? "" : "*");
		cellp[5 * i] = cells[i][0];
		cellp[5 * i + 1] = cells[i][1];
		cellp[5 * i + 2] = cells[i][2];
		cellp[5 * i + 3] = cells[i][3];
		cellp[5 * i + 4] = cells[i][4];
	}
	memset(&t, 0, sizeof t);
	t.ncols = 5;
	t.nrows = (size_t)(n < MAX_STOPS ? n : MAX_STOPS);
	t.header = head;
	t.cells = cellp;
	t.widths = widths;
	t.align = align;
	t.row_fill = fills;
	t.size_pt = 7.5;
	t.whole = whole;

	for (i = 0; i < n; i++)
		any_short |= !plans[i].feasible;
	if (!feasible) {
		/* the sentence the command also says on stderr */
		vpm_focus_infeasible_text(plans, n, rep->nearest, subj, u, why, sizeof why);
		snprintf(guide, sizeof guide,
			 "THE SUBJECT CANNOT BE HELD: %s.\n"
			 "%s"
			 "In the table, \xe2\x89\xa4 D is the deepest subject that stop can "
			 "keep sharp around the same centre; Naive is the visibility with focus on "
			 "the subject's centre, * where that leaves part of the subject soft.",
			 why,
			 need != NULL
				 ? "The upper view shows the nearest stop that holds the whole "
				   "subject, focused where the wall is least visible; the lower "
				   "view the narrowest stop given, focused on the subject's centre, "
				   "with the part of the subject outside the depth of field in "
				   "red.\n"
				 : "The view shows the narrowest stop given, focused on the "
				   "subject's centre, with the part of the subject outside the "
				   "depth of field in red.\n");
	} else {
		snprintf(
			guide, sizeof guide,
			"Set the focus mark to the recommended distance: the whole subject stays in "
			"the depth of field (blue band) and the wall falls further out of focus than "
			"with focus on the subject's centre, so the moir\xc3\xa9 weakens.\n"
			"The curve: the wall's visibility V at every focus at T%g; the shaded part "
			"keeps the subject sharp. Below 1 safe, 3 and above plainly visible.\n"
			"Table: V at the recommended focus per stop, Naive at the centre (* subject "
			"not all sharp)%s%s.",
			p->stop,
			any_short ? "; \xe2\x89\xa4 D: the deepest subject a stop too wide "
				    "can hold"
				  : "",
			plans_added(plans, n) ? "; + the widest stop that holds the subject, added"
					      : "");
	}
	if (panel && camera)
		snprintf(title, sizeof title, "Focus plan \xe2\x80\x94 %s%s%s %s on %s",
			 user_title ? user_title : "", user_title ? ": " : "", panel->maker,
			 panel->model, camera->model);
	else
		snprintf(title, sizeof title, "Focus plan%s%s", user_title ? " \xe2\x80\x94 " : "",
			 user_title ? user_title : "");
	{
		char sn[48], sf[48], w[48];
		snprintf(subtitle, sizeof subtitle,
			 "%s%s%g mm \xc2\xb7 subject %s to %s from the sensor \xc2\xb7 wall at "
			 "%s%s",
			 lens ? lens->series : "", lens ? " " : "", s->focal_mm,
			 vpm_report_length(subj.near_m, u, sn, sizeof sn),
			 vpm_report_length(subj.far_m, u, sf, sizeof sf),
			 fmt_both(s->wall_m, u, w, sizeof w),
			 feasible ? "" : " \xc2\xb7 NO STOP GIVEN HOLDS THE SUBJECT");
	}
	/* footer: every assumption */
	if (panel)
		snprintf(fpanel, sizeof fpanel, "%s, pitch %.5g mm, emitter %.3g mm", panel->name,
			 s->pitch_mm, s->emitter_mm);
	else
		snprintf(fpanel, sizeof fpanel, "pitch %.5g mm, emitter %.3g mm", s->pitch_mm,
			 s->emitter_mm);
	snprintf(fcam, sizeof fcam, "%s%s%d photosites \xc3\x97 %.3g \xc2\xb5m, %s, %s",
		 camera ? camera->name : "", camera ? ", " : "", s->width_px, s->photosite_um,
		 s->cfa == VPM_CFA_MONO ? "mono" : "Bayer",
		 s->olpf_um > 0 ? "OLPF" : "no OLPF (worst case)");
	snprintf(flens, sizeof flens, "%s%s%g mm, %s%s", lens ? lens->name : "", lens ? ", " : "",
		 s->focal_mm,
		 s->lens_mtf_n > 0	       ? "measured MTF"
		 : s->model == VPM_MODEL_IDEAL ? "ideal optics"
					       : "soft-edged pupil (field model)",
		 close_focus_m > 0 ? ", catalog close focus" : "");
	if (s->model == VPM_MODEL_IDEAL) {
		snprintf(fstop, sizeof fstop, "T%g (used as the f-number)", p->stop);
	} else {
		vpm_setup_t fs = *s;

		fs.stop = p->stop;
		snprintf(fstop, sizeof fstop, "T%g = f/%.3g (catalog or default transmittance)",
			 p->stop, vpm_setup_f_number(&fs));
	}
	{
		char c1[48], c2[48];
		snprintf(fsubj, sizeof fsubj, "%s to %s, %s",
			 vpm_report_length(subj.near_m, u, c1, sizeof c1),
			 vpm_report_length(subj.far_m, u, c2, sizeof c2),
			 feasible ? "all inside the depth of field"
				  : "deeper than any stop given can hold");
	}
	snprintf(fcoc, sizeof fcoc, "%.3g mm", p->naive.result.coc_mm);
	if (fabs(s->aspect - 16.0 / 9.0) < 1e-9)
		snprintf(asp, sizeof asp, "16:9");
	else
		snprintf(asp, sizeof asp, "%.3g:1", s->aspect);
	snprintf(
		fview, sizeof fview,
		"%s picture from %g picture heights (%s), %g cd/m\xc2\xb2, gain %g, roll %g\xc2\xb0",
		asp, p->naive.result.choice.view_heights,
		vpm_viewing_name(p->naive.result.choice.viewing),
		p->naive.result.choice.luminance_cd_m2, s->grade_gain, s->roll_deg);
	vpm_model_describe(s, fchroma, sizeof fchroma);
	snprintf(ftol, sizeof ftol, "\xce\xb4 = %.2f", s->tolerance);
	snprintf(fthr, sizeof fthr, "caution from V = %g, risky from V = %g", s->caution_at,
		 s->risky_at);
	snprintf(fmodel, sizeof fmodel, "vpmoire %s %s", PACKAGE_VERSION, MODEL_NAME);
	foot[nf++] = (vpm_footer_item_t){ "Panel", fpanel };
	foot[nf++] = (vpm_footer_item_t){ "Camera mode", fcam };
	foot[nf++] = (vpm_footer_item_t){ "Lens", flens };
	foot[nf++] = (vpm_footer_item_t){ "Stop", fstop };
	foot[nf++] = (vpm_footer_item_t){ "Subject", fsubj };
	foot[nf++] = (vpm_footer_item_t){ "CoC", fcoc };
	foot[nf++] = (vpm_footer_item_t){ "Viewing", fview };
	foot[nf++] = (vpm_footer_item_t){ "Verdict model", fchroma };
	foot[nf++] = (vpm_footer_item_t){ "Tolerance", ftol };
	foot[nf++] = (vpm_footer_item_t){ "Thresholds", fthr };
	foot[nf++] = (vpm_footer_item_t){ "Model", fmodel };

	memset(&fp, 0, sizeof fp);
	fp.title = title;
	fp.subtitle = subtitle;
	fp.subject_near_m = subj.near_m;
	fp.subject_far_m = subj.far_m;
	fp.wall_m = s->wall_m;
	fp.wall_label = wall_label;
	fp.views = v;
	fp.n_views = nviews;
	fp.n_curve = CURVE_N;
	fp.curve_focus_m = cx;
	fp.curve_visibility = cv;
	fp.curve_sharp = csharp;
	fp.caution_at = s->caution_at;
	fp.risky_at = s->risky_at;
	fp.curve_title = ctitle;
	fp.curve_marks_m = marks;
	fp.curve_mark_labels = mlabels;
	fp.n_curve_marks = p->feasible ? 2 : 1;
	fp.table = &t;
	fp.guide_heading = "How to read this page";
	fp.guide = guide;
	fp.footer_heading = "Assumptions:";
	fp.footer = foot;
	fp.n_footer = nf;
	fp.feet = u == VPM_UNITS_IMPERIAL;

	dopt.paper = f->letter ? VPM_DOC_LETTER : VPM_DOC_A4;
	dopt.png_dpi = f->dpi;
	dopt.title = "vpmoire focus plan";
	dopt.page_numbers = 0;
	if ((st = vpm_doc_alloc(&dopt, &doc)) != VPM_OK)
		return figure_fail(st);
	if ((st = vpm_doc_page_add(doc, &pg)) != VPM_OK ||
	    (st = vpm_focuspage_draw(&pg, &fp)) != VPM_OK)
		st = figure_fail(st);
	else
		st = vpm_doc_save(doc, path); /* the message names the file */
	vpm_doc_free(doc);
	return st;
}
