/* vpmoire — the previs book of `vpmoire shotlist` composed from the
 * evaluated shots (previsbook.h): the summary of the day and one page per
 * shot, drawn by plots/previs.c. */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "previsbook.h"
#include "vpmoire/stagebom.h"

/* snprintf through a function: messages and cells are cut to their
 * buffers on purpose (the table shortens long cells anyway). */
static int xsnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

const char *vpm_previs_risk_label(int risk)
{
	return risk < 0 ? "NO LED" : vpm_risk_label((vpm_risk_t)risk);
}

/* A length for the page, its blanks non-breaking so "1.25 m" never wraps. */
static const char *len_str(double m, vpm_units_system_t u, int dec, char *buf, size_t n)
{
	char tmp[64];
	size_t i, k = 0;

	vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? dec : 1, tmp, sizeof tmp);
	for (i = 0; tmp[i] && k + 3 < n; i++) {
		if (tmp[i] == ' ') {
			buf[k++] = '\xC2';
			buf[k++] = '\xA0';
		} else {
			buf[k++] = tmp[i];
		}
	}
	if (n > 0)
		buf[k < n ? k : n - 1] = '\0';
	return buf;
}

/* "centred", or "0.35 m right of centre". */
static const char *offset_str(double m, vpm_units_system_t u, char *buf, size_t n)
{
	char l[48];

	if (fabs(m) < 0.005) {
		xsnprintf(buf, n, "centred");
		return buf;
	}
	xsnprintf(buf, n, "%s %s of centre", len_str(fabs(m), u, 2, l, sizeof l),
		  m < 0 ? "left" : "right");
	return buf;
}

static int level_of(const vpm_setup_t *s, double v)
{
	return (int)vpm_risk_classify(v, s->caution_at, s->risky_at);
}

/* The text of a lens: its catalog name, or "50 mm". */
static const char *lens_name(const vpm_shot_t *s, char *buf, size_t n)
{
	if (s->lens)
		return s->lens->name;
	xsnprintf(buf, n, "%g mm lens", s->focal_mm);
	return buf;
}

static const char *probe_place(const vpm_probe_t *p, const vpm_view_t *v)
{
	double u = p->u_mm / v->sensor_w_mm, w = p->v_mm / v->sensor_h_mm;

	if (fabs(u) < 0.05 && fabs(w) < 0.05)
		return "the frame centre";
	if (fabs(w) < 0.05)
		return u < 0 ? "the left edge" : "the right edge";
	if (fabs(u) < 0.05)
		return w > 0 ? "the top edge" : "the bottom edge";
	if (w > 0)
		return u < 0 ? "the top-left corner" : "the top-right corner";
	return u < 0 ? "the bottom-left corner" : "the bottom-right corner";
}

vpm_status_t vpm_previs_book_init(vpm_previs_book_t *b, const vpm_stage_t *stage,
				  const vpm_setup_t *defaults, unsigned given,
				  const char *shots_name, vpm_units_system_t units,
				  const vpm_previs_run_t *runs, size_t n)
{
	size_t i;

	if (b == NULL || stage == NULL || defaults == NULL || shots_name == NULL ||
	    (runs == NULL && n > 0))
		return vpm_error_set(VPM_EINVAL, "previs book: NULL argument");
	memset(b, 0, sizeof *b);
	b->stage = stage;
	b->given = given;
	b->shots_name = shots_name;
	b->units = units;
	b->px0 = stage->room_x0_m;
	b->px1 = stage->room_x1_m;
	b->pz0 = stage->room_z0_m;
	b->pz1 = stage->room_z1_m;
	for (i = 0; i < n; i++) {
		const vpm_shot_eval_t *e = &runs[i].ev;
		b->px0 = fmin(b->px0, e->view.position_m.x);
		b->px1 = fmax(b->px1, e->view.position_m.x);
		b->pz1 = fmax(b->pz1, e->view.position_m.z);
		if (e->move.active)
			b->pz1 = fmax(b->pz1, e->move.cam_z_m);
		if (e->figure.present) {
			b->px0 = fmin(b->px0, e->figure.x_m);
			b->px1 = fmax(b->px1, e->figure.x_m);
		}
	}
	/* margins (stage metres, layout only): room for the labels around the
	 * plan and for the cabinets drawn behind the wall (0.8 m, as the
	 * outlines' beyond_m below) */
	b->px0 -= 0.6;
	b->px1 += 0.6;
	b->pz0 = fmin(b->pz0, 0.0) - 0.8 - 0.35;
	b->pz1 += 0.55;
	/* side view: from behind the wall to behind the farthest camera, floor to
	 * above the ceiling or the highest of wall, camera and subject */
	b->sd0 = -0.8 - 0.15;
	b->sd1 = 1.0;
	b->sy0 = -0.15;
	b->sy1 = fmax(stage->ceiling_m, stage->surface[0].bottom_m + stage->surface[0].height_m);
	for (i = 0; i < n; i++) {
		const vpm_shot_eval_t *e = &runs[i].ev;
		vpm_paths_t tmp;
		vpm_plan_marks_t mk;
		double d = 0.0;
		int hit;
		memset(&mk, 0, sizeof mk);
		mk.beyond_m = 0.8;
		mk.max_ray_m = 10.0;
		mk.cabinet_depth_m = 0.1;
		vpm_paths_init(&tmp);
		if (vpm_frame_section_paths(stage, &e->view, NULL, &mk, &tmp, &d, &hit) == VPM_OK)
			b->sd1 = fmax(b->sd1, d + 0.45);
		vpm_paths_release(&tmp);
		b->sy1 = fmax(b->sy1, e->view.position_m.y + 0.2);
		if (e->figure.present)
			b->sy1 = fmax(b->sy1, vpm_figure_top_m(&e->figure));
	}
	b->sy1 += 0.25;
	if (defaults->model == VPM_MODEL_FIELD && defaults->viewing == VPM_VIEWING_AUTO)
		xsnprintf(b->foot_viewer, sizeof b->foot_viewer,
			  "%.4g:1 picture; viewing follows each shot's delivery (hd-tv at 3 "
			  "picture heights below 3840 px, else uhd-tv at 1.5); grade gain %.3g",
			  defaults->aspect, defaults->grade_gain);
	else
		xsnprintf(b->foot_viewer, sizeof b->foot_viewer,
			  "%.4g:1 picture at %.3g picture heights, %.4g cd/m\xC2\xB2, grade gain "
			  "%.3g",
			  defaults->aspect, defaults->view_heights, defaults->luminance_cd_m2,
			  defaults->grade_gain);
	xsnprintf(b->foot_thr, sizeof b->foot_thr, "caution from V = %g, risky from V = %g",
		  defaults->caution_at, defaults->risky_at);
	vpm_model_describe(defaults, b->foot_misc, sizeof b->foot_misc);
	xsnprintf(b->foot_ver, sizeof b->foot_ver, "vpmoire %s", PACKAGE_VERSION);
	b->footer[b->n_footer++] =
		(vpm_footer_item_t){ "Framing", "pinhole from the sensor plane: coverage = "
						"distance \xC3\x97 sensor width / focal length" };
	b->footer[b->n_footer++] =
		(vpm_footer_item_t){ "Verdict", "analytic predictor at the wall points in frame, "
						"worst taken (\xE2\x97\x87 on the frame)" };
	b->footer[b->n_footer++] = (vpm_footer_item_t){ "Viewer", b->foot_viewer };
	b->footer[b->n_footer++] = (vpm_footer_item_t){ "Thresholds", b->foot_thr };
	b->footer[b->n_footer++] = (vpm_footer_item_t){ "Model", b->foot_misc };
	b->footer[b->n_footer++] = (vpm_footer_item_t){ "Version", b->foot_ver };

	return VPM_OK;
}

vpm_status_t vpm_previs_book_shot(vpm_doc_t *doc, const vpm_previs_book_t *c,
				  const vpm_previs_run_t *r)
{
	const vpm_shot_t *s = r->shot;
	const vpm_shot_eval_t *e = &r->ev;
	const vpm_result_t *res = &e->verdict.result;
	const vpm_stage_t *st = c->stage;
	const vpm_surface_t *m = &st->surface[0];
	vpm_paths_t plan, frame, section;
	vpm_plan_marks_t mk;
	double cam_d = 0.0;
	int wall_hit = 0;
	char chdim[48], wtop[64], wbot[64];
	vpm_previs_shot_t p;
	vpm_previs_row_t rows[14];
	char r_move[400], mcap[200];
	double mt0[VPM_SHOT_MOVE_SEGMENTS], mt1[VPM_SHOT_MOVE_SEGMENTS];
	int mrisk[VPM_SHOT_MOVE_SEGMENTS];
	vpm_page_t pg;
	vpm_status_t rc;
	char title[256], subtitle[512], vnote[64], wall[192], cdim[48], sdim[48], cap[256];
	char hzl[96], rec[768], notes[1200], cmd[600], lens[64];
	char r_moire[160], r_grid[160], r_wall[256], r_blur[160], r_led[160], r_focus[200];
	char r_dof[200], r_ext[200], r_cam[256], r_subj[200], r_warn[300], r_scan[300];
	char b1[48], b2[48], b3[48], ed[96];
	double pu[VPM_FRAME_PROBES], pv[VPM_FRAME_PROBES];
	size_t nr = 0, i;
	int worst = -1;

	vpm_paths_init(&plan);
	vpm_paths_init(&frame);
	vpm_paths_init(&section);
	memset(&mk, 0, sizeof mk);
	mk.dof_near_m = res->dof_near_m;
	mk.dof_far_m = res->dof_far_m;
	mk.focus_m = e->focus_m;
	mk.beyond_m = 0.8;
	mk.max_ray_m = 2.0 * hypot(c->px1 - c->px0, c->pz1 - c->pz0);
	mk.cabinet_depth_m = 0.10;
	if ((rc = vpm_frame_plan_paths(st, &e->view, &e->figure, &mk, &plan)) != VPM_OK ||
	    (rc = vpm_frame_paths(st, &e->view, &e->figure, &frame)) != VPM_OK ||
	    (rc = vpm_frame_section_paths(st, &e->view, &e->figure, &mk, &section, &cam_d,
					  &wall_hit)) != VPM_OK)
		goto out;
	len_str(e->view.position_m.y, c->units, 2, chdim, sizeof chdim);
	xsnprintf(wtop, sizeof wtop, "top %s",
		  len_str(m->bottom_m + m->height_m, c->units, 2, b1, sizeof b1));
	xsnprintf(wbot, sizeof wbot, "bottom %s", len_str(m->bottom_m, c->units, 2, b1, sizeof b1));

	/* heading */
	xsnprintf(title, sizeof title, "Shot %s%s%s%s%s", s->id, s->size[0] ? " \xC2\xB7 " : "",
		  s->size, s->description[0] ? " \xC2\xB7 " : "", s->description);
	xsnprintf(subtitle, sizeof subtitle,
		  "%s %s (%s) \xC2\xB7 %s \xC2\xB7 T%g \xC2\xB7 focus %s \xC2\xB7 %s \xC2\xB7 %s",
		  s->camera->maker, s->camera->model, s->camera->mode,
		  lens_name(s, lens, sizeof lens), s->stop,
		  isinf(e->focus_m) ? "infinity" : len_str(e->focus_m, c->units, 2, b1, sizeof b1),
		  st->name, c->shots_name);
	if (e->verdict.has_led)
		xsnprintf(vnote, sizeof vnote, "visibility %.2f", vpm_result_visibility(res));
	else
		xsnprintf(vnote, sizeof vnote, "no LED wall in frame");
	xsnprintf(wall, sizeof wall,
		  "LED wall %s \xC2\xB7 %ld \xC3\x97 %ld cabinets \xC2\xB7 %s \xC3\x97 %s%s",
		  st->panel, m->cabinets_across, m->cabinets_down,
		  len_str(m->width_m, c->units, 2, b1, sizeof b1),
		  len_str(m->height_m, c->units, 2, b2, sizeof b2),
		  st->n_surfaces > 1 ? " + side walls" : "");
	len_str(s->cam_distance_m, c->units, 2, cdim, sizeof cdim);
	len_str(s->subject_distance_m, c->units, 2, sdim, sizeof sdim);

	/* frame */
	if (e->coverage.extension_share < 0.0005)
		xsnprintf(cap, sizeof cap, "No set extension: the frame stays on the LED wall%s",
			  e->coverage.floor_share >= 0.0005 ? " and the stage floor" : "");
	else {
		vpm_shot_edges_text(&e->coverage, 0, ed, sizeof ed);
		xsnprintf(cap, sizeof cap,
			  "Set extension: %.0f\xC2\xA0%% of the frame, past the %s edge%s",
			  100.0 * e->coverage.extension_share, ed,
			  strstr(ed, " and ") || strchr(ed, ',') ? "s (the parts add up)" : "");
	}
	xsnprintf(hzl, sizeof hzl, "horizon \xC2\xB7 lens height %s",
		  len_str(e->view.position_m.y, c->units, 2, b1, sizeof b1));
	for (i = 0; i < e->verdict.n_probes; i++) {
		pu[i] = e->verdict.probes[i].u_mm;
		pv[i] = e->verdict.probes[i].v_mm;
	}
	worst = e->verdict.probe;

	/* numbers */
	if (!e->verdict.has_led) {
		xsnprintf(r_moire, sizeof r_moire, "no LED wall in frame");
		rows[nr++] = (vpm_previs_row_t){ "Moir\xC3\xA9", r_moire, 0 };
	} else {
		if (res->moire_channel == VPM_CHANNEL_NONE)
			xsnprintf(r_moire, sizeof r_moire, "none (no aliased LED component)");
		else
			xsnprintf(r_moire, sizeof r_moire,
				  "visibility %.2f (%s, %.1f cy/deg on screen, beat amplitude %.3g "
				  "\xC3\x97 mean level)",
				  res->moire_visibility, vpm_channel_name(res->moire_channel),
				  res->moire_cy_deg, res->moire_modulation);
		rows[nr++] = (vpm_previs_row_t){ "Moir\xC3\xA9", r_moire,
						 level_of(&e->base, res->moire_visibility) };
		if (res->grid_channel == VPM_CHANNEL_NONE)
			xsnprintf(r_grid, sizeof r_grid, "none resolved");
		else
			xsnprintf(r_grid, sizeof r_grid,
				  "visibility %.2f (LED structure resolved, %.1f cy/deg on screen)",
				  res->grid_visibility, res->grid_cy_deg);
		rows[nr++] = (vpm_previs_row_t){ "LED grid", r_grid,
						 level_of(&e->base, res->grid_visibility) };
		if (vpm_previs_scan_text(e, 1, r_scan, sizeof r_scan) != NULL)
			rows[nr++] = (vpm_previs_row_t){ "Scan bands", r_scan,
							 e->scan > 0 ? (int)e->scan_result.risk
								     : -1 };
		{
			const vpm_probe_t *pr = &e->verdict.probes[e->verdict.probe];
			if (e->verdict.evaluated <= 1)
				xsnprintf(r_wall, sizeof r_wall,
					  "%s from the sensor along the lens axis, square to the "
					  "camera (the set-up of 'vpmoire check')",
					  len_str(e->verdict.setup.wall_m, c->units, 3, b1,
						  sizeof b1));
			else
				xsnprintf(
					r_wall, sizeof r_wall,
					"checked at %zu points in frame; worst at %s: %s along the "
					"lens axis, seen %.0f\xC2\xB0 off the wall's normal, LED pitch "
					"\xC3\x97 %.2f there",
					e->verdict.n_probes, probe_place(pr, &e->view),
					len_str(pr->depth_m, c->units, 2, b1, sizeof b1),
					pr->incidence_deg,
					e->verdict.setup.pitch_mm / c->stage->pitch_mm);
		}
		rows[nr++] = (vpm_previs_row_t){ "Wall", r_wall, -1 };
		xsnprintf(r_blur, sizeof r_blur,
			  "%.3f mm on the sensor = %.1f LED pitches (%.1f waves of defocus)",
			  res->wall_blur_mm, res->wall_blur_pitches, res->defocus_waves);
		rows[nr++] = (vpm_previs_row_t){ "Wall blur", r_blur, -1 };
		xsnprintf(
			r_led, sizeof r_led,
			"%.2f photosites per LED (%.1f \xC2\xB5m; %.1f cy/mm vs Nyquist %.1f cy/mm)",
			res->led_pitch_px, 1000.0 / res->led_frequency_cy_mm,
			res->led_frequency_cy_mm, res->nyquist_cy_mm);
		rows[nr++] = (vpm_previs_row_t){ "LED pitch on sensor", r_led, -1 };
	}
	switch (s->focus_mode) {
	case VPM_FOCUS_SUBJECT:
		xsnprintf(r_focus, sizeof r_focus, "%s, on the subject's eyes",
			  len_str(e->focus_m, c->units, 2, b1, sizeof b1));
		break;
	case VPM_FOCUS_BACK_OF_DOF:
		if (e->focus_planned)
			xsnprintf(r_focus, sizeof r_focus,
				  "%s: subject at the back of the depth of field (focus on the "
				  "subject, %s, gives visibility %.2f)",
				  len_str(e->focus_m, c->units, 2, b1, sizeof b1),
				  len_str(e->naive_focus_m, c->units, 2, b2, sizeof b2),
				  vpm_result_visibility(&e->naive_result));
		else
			xsnprintf(r_focus, sizeof r_focus, "%s, on the subject (no wall behind it)",
				  len_str(e->focus_m, c->units, 2, b1, sizeof b1));
		break;
	default:
		xsnprintf(r_focus, sizeof r_focus, "%s, as listed",
			  isinf(e->focus_m) ? "infinity"
					    : len_str(e->focus_m, c->units, 2, b1, sizeof b1));
		break;
	}
	rows[nr++] = (vpm_previs_row_t){ "Focus", r_focus, -1 };
	{
		int n = xsnprintf(r_dof, sizeof r_dof, "%s to %s (CoC %.3f mm)",
				  len_str(res->dof_near_m, c->units, 2, b1, sizeof b1),
				  isinf(res->dof_far_m)
					  ? "infinity"
					  : len_str(res->dof_far_m, c->units, 2, b2, sizeof b2),
				  res->coc_mm);
		/* "sharp" by the rule of the summary (subject_sharp) */
		if (e->subject_in_dof >= 0 && n > 0 && (size_t)n < sizeof r_dof)
			xsnprintf(r_dof + n, sizeof r_dof - (size_t)n, "; subject's eyes at %s: %s",
				  len_str(e->subject_depth_m, c->units, 2, b3, sizeof b3),
				  e->subject_sharp    ? "sharp"
				  : e->subject_in_dof ? "SOFT: inside this depth of field, but the "
							"lens cannot focus that close"
						      : "OUTSIDE the depth of field");
	}
	rows[nr++] = (vpm_previs_row_t){ "Depth of field", r_dof, e->subject_sharp == 0 ? 2 : -1 };
	vpm_shot_edges_text(&e->coverage, 0, ed, sizeof ed);
	xsnprintf(r_ext, sizeof r_ext,
		  "%.0f\xC2\xA0%% of the frame%s%s%s \xC2\xB7 LED %.0f\xC2\xA0%% \xC2\xB7 floor "
		  "%.0f\xC2\xA0%%",
		  100.0 * e->coverage.extension_share, ed[0] ? ": " : "", ed,
		  strstr(ed, " and ") ? " (by the edge it lies beyond; a corner counts half to "
					"each of its two edges)"
				      : "",
		  100.0 * e->coverage.led_share, 100.0 * e->coverage.floor_share);
	rows[nr++] = (vpm_previs_row_t){ "Set extension", r_ext, -1 };
	xsnprintf(r_cam, sizeof r_cam,
		  "%s from the wall, %s, lens %s high \xC2\xB7 pan %g\xC2\xB0, tilt "
		  "%g\xC2\xB0, roll %g\xC2\xB0",
		  len_str(s->cam_distance_m, c->units, 2, b1, sizeof b1),
		  offset_str(s->cam_offset_m, c->units, b2, sizeof b2),
		  len_str(e->view.position_m.y, c->units, 2, b3, sizeof b3), s->pan_deg,
		  s->tilt_deg, s->roll_deg);
	rows[nr++] = (vpm_previs_row_t){ "Camera", r_cam, -1 };
	if (s->has_subject) {
		vpm_vec3_t eyes = vpm_figure_eyes(&e->figure);
		char b4[48];
		xsnprintf(r_subj, sizeof r_subj, "%s from the wall, %s, %s %s (eyes %s)",
			  len_str(s->subject_distance_m, c->units, 2, b1, sizeof b1),
			  offset_str(s->subject_offset_m, c->units, b2, sizeof b2),
			  s->pose == VPM_POSE_SEATED ? "seated," : "standing,",
			  len_str(s->subject_height_m, c->units, 2, b3, sizeof b3),
			  len_str(eyes.y, c->units, 2, b4, sizeof b4));
		rows[nr++] = (vpm_previs_row_t){ "Subject", r_subj, -1 };
	}
	if (e->move.active) {
		const vpm_shot_move_t *mv = &e->move;
		size_t n = 0;
		int w;

		r_move[0] = '\0';
		if (fabs(mv->cam_z_m - s->cam_distance_m) > 1e-9) {
			w = xsnprintf(r_move, sizeof r_move, "camera %s",
				      len_str(s->cam_distance_m, c->units, 2, b1, sizeof b1));
			if (w > 0)
				n = (size_t)w;
			w = xsnprintf(r_move + n, sizeof r_move - n,
				      " \xE2\x86\x92 %s from the wall",
				      len_str(mv->cam_z_m, c->units, 2, b1, sizeof b1));
			if (w > 0 && (size_t)w < sizeof r_move - n)
				n += (size_t)w;
		}
		if (!(mv->move.start.focus_m == mv->move.end.focus_m)) {
			w = xsnprintf(r_move + n, sizeof r_move - n, "%sfocus %s", n ? ", " : "",
				      isinf(mv->move.start.focus_m)
					      ? "infinity"
					      : len_str(mv->move.start.focus_m, c->units, 2, b1,
							sizeof b1));
			if (w > 0 && (size_t)w < sizeof r_move - n)
				n += (size_t)w;
			w = xsnprintf(r_move + n, sizeof r_move - n, " \xE2\x86\x92 %s",
				      isinf(mv->move.end.focus_m)
					      ? "infinity"
					      : len_str(mv->move.end.focus_m, c->units, 2, b1,
							sizeof b1));
			if (w > 0 && (size_t)w < sizeof r_move - n)
				n += (size_t)w;
		}
		w = xsnprintf(r_move + n, sizeof r_move - n, "%sworst at t %.2f, %s along the axis",
			      n ? "; " : "", mv->worst.t,
			      len_str(mv->worst.at.wall_m, c->units, 2, b1, sizeof b1));
		if (w > 0 && (size_t)w < sizeof r_move - n)
			n += (size_t)w;
		if (mv->move.start.subject2_m > 0.0) {
			if (isnan(mv->subject2_soft_t0))
				w = xsnprintf(r_move + n, sizeof r_move - n, "; 2nd subject sharp");
			else
				w = xsnprintf(r_move + n, sizeof r_move - n,
					      "; 2nd subject SOFT t %.2f\xE2\x80\x93%.2f",
					      mv->subject2_soft_t0, mv->subject2_soft_t1);
			if (w > 0 && (size_t)w < sizeof r_move - n)
				n += (size_t)w;
		}
		if (s->has_subject && !isnan(mv->subject_soft_t0))
			xsnprintf(r_move + n, sizeof r_move - n,
				  "; subject SOFT t %.2f\xE2\x80\x93%.2f", mv->subject_soft_t0,
				  mv->subject_soft_t1);
		rows[nr++] = (vpm_previs_row_t){ "Move", r_move, (int)mv->worst.risk };
		for (i = 0; i < mv->n_segments; i++) {
			mt0[i] = mv->segments[i].t0;
			mt1[i] = mv->segments[i].t1;
			mrisk[i] = (int)mv->segments[i].risk;
		}
		if (mv->n_segments == 1)
			xsnprintf(mcap, sizeof mcap, "Along the move: %s all the way",
				  vpm_risk_label(mv->segments[0].risk));
		else
			xsnprintf(mcap, sizeof mcap,
				  "Along the move: the verdict changes %zu time%s; worst at t %.2f "
				  "(visibility %.2f)",
				  mv->n_segments - 1, mv->n_segments == 2 ? "" : "s", mv->worst.t,
				  mv->worst.visibility);
	}
	if (e->warnings) {
		size_t n = 0;
		int w;
		r_warn[0] = '\0';
#define W(bit, text)                                                                       \
	if (e->warnings & (bit)) {                                                         \
		w = xsnprintf(r_warn + n, sizeof r_warn - n, "%s%s", n ? "; " : "", text); \
		if (w > 0 && (size_t)w < sizeof r_warn - n)                                \
			n += (size_t)w;                                                    \
	}
		W(VPM_SHOT_WARN_CAMERA_OFF_FLOOR, "the camera stands outside the stage floor");
		W(VPM_SHOT_WARN_SUBJECT_OFF_FLOOR, "the subject stands outside the stage floor");
		W(VPM_SHOT_WARN_CLOSE_FOCUS, "focus is nearer than the lens's close focus");
		W(VPM_SHOT_WARN_ABOVE_CEILING, "the camera is above the ceiling");
		W(VPM_SHOT_WARN_SUBJECT_OUT_OF_FRAME, "the subject's eyes are out of frame");
#undef W
		rows[nr++] = (vpm_previs_row_t){ "Warnings", r_warn, 1 };
	}

	vpm_shot_recommendation(&r->ev, c->units, rec, sizeof rec);
	notes[0] = '\0';
	if (s->notes[0] || s->extra[0])
		xsnprintf(notes, sizeof notes, "%s%s%s%s", s->notes[0] ? "Notes: " : "", s->notes,
			  s->notes[0] && s->extra[0] ? " \xC2\xB7 " : "", s->extra);
	cmd[0] = '\0';
	if (e->verdict.has_led)
		vpm_shot_check_command(c->stage, r->shot, &r->ev, c->given, cmd, sizeof cmd);

	memset(&p, 0, sizeof p);
	p.title = title;
	p.subtitle = subtitle;
	p.risk = e->verdict.has_led ? (int)res->risk : -1;
	p.verdict = vpm_previs_risk_label(p.risk);
	p.verdict_note = vnote;
	p.plan = &plan;
	p.plan_x0_m = c->px0;
	p.plan_x1_m = c->px1;
	p.plan_z0_m = c->pz0;
	p.plan_z1_m = c->pz1;
	p.cam_x_m = e->view.position_m.x;
	p.cam_z_m = e->view.position_m.z;
	p.pan_deg = e->view.pan_deg;
	p.has_subject = s->has_subject;
	p.subject_x_m = e->figure.x_m;
	p.subject_z_m = e->figure.z_m;
	p.wall_z_m = 0.0;
	p.wall_label = wall;
	p.camera_dim = cdim;
	p.subject_dim = s->has_subject ? sdim : NULL;
	p.section = &section;
	p.section_d0_m = c->sd0;
	p.section_d1_m = c->sd1;
	p.section_y0_m = c->sy0;
	p.section_y1_m = c->sy1;
	p.section_cam_d_m = cam_d;
	p.cam_y_m = e->view.position_m.y;
	p.tilt_deg = e->view.tilt_deg;
	p.cam_height_dim = chdim;
	p.wall_top_label = wall_hit ? wtop : NULL;
	p.wall_bottom_label = wall_hit && m->bottom_m > 0.0 ? wbot : NULL;
	p.sensor_w_mm = e->view.sensor_w_mm;
	p.sensor_h_mm = e->view.sensor_h_mm;
	p.frame = &frame;
	p.frame_caption = cap;
	p.horizon_label = hzl;
	p.probe_u_mm = pu;
	p.probe_v_mm = pv;
	p.n_probes = e->verdict.n_probes;
	p.worst_probe = worst;
	p.rows = rows;
	p.n_rows = nr;
	p.recommendation = rec;
	p.notes = notes[0] ? notes : NULL;
	p.check_command = cmd[0] ? cmd : NULL;
	p.footer_heading = "Assumptions";
	p.footer = c->footer;
	p.n_footer = c->n_footer;
	if (e->move.active) {
		p.has_move = 1;
		p.cam_end_x_m = e->move.cam_x_m;
		p.cam_end_z_m = e->move.cam_z_m;
		p.move_t0 = mt0;
		p.move_t1 = mt1;
		p.move_risk = mrisk;
		p.n_move = e->move.n_segments;
		p.move_worst_t = e->move.worst.t;
		p.move_caption = mcap;
	}
	if ((rc = vpm_doc_page_add(doc, &pg)) != VPM_OK)
		goto out;
	rc = vpm_previs_shot_page(&pg, &p);
out:
	vpm_paths_release(&plan);
	vpm_paths_release(&frame);
	vpm_paths_release(&section);
	return rc;
}

/* ------------------------------------------------------------ scan bands */

const char *vpm_previs_scan_text(const vpm_shot_eval_t *e, int long_form, char *buf, size_t size)
{
	const vpm_temporal_result_t *r = &e->scan_result;

	if (e->scan == 0)
		return NULL;
	if (e->scan < 0) {
		if (long_form)
			xsnprintf(buf, size,
				  "unknown at %g fps, %g\xC2\xB0: the panel's refresh or the "
				  "camera's readout is not published (add a readout column)",
				  e->scan_fps, e->scan_shutter_deg);
		else
			xsnprintf(buf, size, "unknown");
		return buf;
	}
	if (!long_form) {
		if (r->band_depth > 0)
			xsnprintf(buf, size, "%s %.2g\xC2\xA0%%",
				  vpm_previs_risk_label((int)r->risk), 100.0 * r->band_depth);
		else
			xsnprintf(buf, size, "%s none", vpm_previs_risk_label((int)r->risk));
		return buf;
	}
	if (r->band_depth > 0)
		xsnprintf(buf, size,
			  "%s at %g fps, %g\xC2\xB0: %.2g\xC2\xA0%% %s bands every %.1f rows "
			  "(exposure %.2f refresh periods; visibility %.2f); see vpmoire scan",
			  vpm_previs_risk_label((int)r->risk), e->scan_fps, e->scan_shutter_deg,
			  100.0 * r->band_depth, vpm_band_polarity_name(r->polarity),
			  r->band_period_rows, r->exposure_periods, r->visibility);
	else
		xsnprintf(buf, size,
			  "%s at %g fps, %g\xC2\xB0: no bands (the exposure holds %.2f whole "
			  "refresh periods)",
			  vpm_previs_risk_label((int)r->risk), e->scan_fps, e->scan_shutter_deg,
			  r->exposure_periods);
	return buf;
}

/* ------------------------------------------------------------ summary */

#define SUM_COLS 14
#define SUM_PAGE_COL (SUM_COLS - 1)

vpm_status_t vpm_previs_book_summary(vpm_doc_t *doc, const vpm_doc_options_t *dopt,
				     const vpm_previs_book_t *c, vpm_previs_run_t *runs, size_t n,
				     const vpm_shotlist_t *sl, int *pages)
{
	static const char *const header[SUM_COLS] = { "Shot",	    "Size",    "Description",
						      "Camera",	    "Mode",    "Lens",
						      "Stop",	    "Focus",   "Depth of field",
						      "Subject",    "Verdict", "Set extension",
						      "Scan bands", "Page" };
	static const double widths[SUM_COLS] = { 0.55, 0.55, 1.2, 1.2, 1.0, 1.15, 0.55,
						 1.1,  1.45, 0.7, 1.7, 1.3, 1.1,  0.5 };
	static const double align[SUM_COLS] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	/* numbers and verdicts are never cut short: their columns widen */
	static const int whole[SUM_COLS] = { 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	const char **cells = NULL, **rejected = NULL;
	char *text = NULL;
	vpm_color_t *fill = NULL;
	vpm_previs_summary_t s;
	char subtitle[1024], counts[256], b1[48], b2[48];
	size_t i, cell_len = 64;
	int risky = 0, caution = 0, safe = 0, noled = 0, ext = 0, soft = 0;
	vpm_status_t rc = VPM_OK;
	const vpm_surface_t *m = &c->stage->surface[0];

	cells = calloc(n * SUM_COLS + 1, sizeof *cells);
	text = calloc(n * SUM_COLS + 1, cell_len);
	fill = calloc(n + 1, sizeof *fill);
	rejected = calloc(sl->n_rejected + 1, sizeof *rejected);
	if (!cells || !text || !fill || !rejected) {
		rc = VPM_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const vpm_shot_t *sh = runs[i].shot;
		const vpm_shot_eval_t *e = &runs[i].ev;
		const vpm_result_t *r = &e->verdict.result;
		char *t = text + i * SUM_COLS * cell_len, ed[32], lens[64];
		int risk = e->verdict.has_led ? (int)r->risk : -1, k;

		for (k = 0; k < SUM_COLS; k++)
			cells[i * SUM_COLS + k] = t + k * cell_len;
		xsnprintf(t, cell_len, "%s", sh->id);
		xsnprintf(t + 1 * cell_len, cell_len, "%s", sh->size);
		xsnprintf(t + 2 * cell_len, cell_len, "%s", sh->description);
		xsnprintf(t + 3 * cell_len, cell_len, "%s", sh->camera->model);
		xsnprintf(t + 4 * cell_len, cell_len, "%s", sh->camera->mode);
		xsnprintf(t + 5 * cell_len, cell_len, "%s", lens_name(sh, lens, sizeof lens));
		xsnprintf(t + 6 * cell_len, cell_len, "T%g", sh->stop);
		xsnprintf(t + 7 * cell_len, cell_len, "%s%s",
			  isinf(e->focus_m) ? "inf"
					    : len_str(e->focus_m, c->units, 2, b1, sizeof b1),
			  sh->focus_mode == VPM_FOCUS_BACK_OF_DOF && e->focus_planned ? " (back)"
										      : "");
		xsnprintf(t + 8 * cell_len, cell_len, "%s \xE2\x80\x93 %s",
			  len_str(r->dof_near_m, c->units, 2, b1, sizeof b1),
			  isinf(r->dof_far_m) ? "inf"
					      : len_str(r->dof_far_m, c->units, 2, b2, sizeof b2));
		/* the same rule as the shot page (vpm_shot_eval_t.subject_sharp) */
		xsnprintf(t + 9 * cell_len, cell_len, "%s",
			  e->subject_sharp < 0 ? "\xE2\x80\x94"
			  : e->subject_sharp   ? "sharp"
					       : "SOFT");
		if (risk >= 0 && vpm_result_visibility(r) > 0.0)
			/* which kind drives: the moiré or the LED grid; whole
			 * numbers from 100 up, so the cell stays short */
			xsnprintf(t + 10 * cell_len, cell_len,
				  vpm_result_visibility(r) < 100.0 ? "%s %.1f %s" : "%s %.0f %s",
				  vpm_previs_risk_label(risk), vpm_result_visibility(r),
				  r->driver_is_moire ? "moir\xC3\xA9" : "grid");
		else if (risk >= 0)
			xsnprintf(t + 10 * cell_len, cell_len, "%s %.1f",
				  vpm_previs_risk_label(risk), vpm_result_visibility(r));
		else
			xsnprintf(t + 10 * cell_len, cell_len, "no LED");
		vpm_shot_edges_text(&e->coverage, 1, ed, sizeof ed);
		if (e->coverage.extension_share >= 0.005)
			xsnprintf(t + 11 * cell_len, cell_len, "%.0f\xC2\xA0%% (%s)",
				  100.0 * e->coverage.extension_share, ed);
		else if (e->coverage.extension_share >= 0.0005)
			xsnprintf(t + 11 * cell_len, cell_len, "<1\xC2\xA0%% (%s)", ed);
		else
			xsnprintf(t + 11 * cell_len, cell_len, "none");
		if (vpm_previs_scan_text(e, 0, t + 12 * cell_len, cell_len) == NULL)
			xsnprintf(t + 12 * cell_len, cell_len, "\xE2\x80\x94");
		xsnprintf(t + SUM_PAGE_COL * cell_len, cell_len, "%d", runs[i].page);
		if (risk == 2)
			fill[i] = vpm_color_alpha(vpm_color_risk(2), 0.30);
		else if (risk == 1)
			fill[i] = vpm_color_alpha(vpm_color_risk(1), 0.40);
		else
			fill[i] = vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.0);
		risky += risk == 2;
		caution += risk == 1;
		safe += risk == 0;
		noled += risk < 0;
		ext += e->coverage.extension_share >= 0.0005;
		soft += e->subject_sharp == 0;
	}
	for (i = 0; i < sl->n_rejected; i++)
		rejected[i] = sl->rejected[i].message;
	xsnprintf(subtitle, sizeof subtitle,
		  "%s \xC2\xB7 %s: %s, %ld \xC3\x97 %ld cabinets (%s \xC3\x97 %s), %.4g mm pitch%s",
		  c->shots_name, c->stage->name, c->stage->panel, m->cabinets_across,
		  m->cabinets_down, len_str(m->width_m, c->units, 2, b1, sizeof b1),
		  len_str(m->height_m, c->units, 2, b2, sizeof b2), c->stage->pitch_mm,
		  m->kind == VPM_SURFACE_ARC ? ", curved" : "");
	if (c->stage_totals && c->stage_totals[0]) {
		size_t l = strlen(subtitle);
		xsnprintf(subtitle + l, sizeof subtitle - l, "\n%s", c->stage_totals);
	}
	xsnprintf(counts, sizeof counts,
		  "%zu shot%s: %d risky \xC2\xB7 %d caution \xC2\xB7 %d safe%s%s \xC2\xB7 %d need a "
		  "set extension%s%s%s",
		  n, n == 1 ? "" : "s", risky, caution, safe,
		  noled ? " \xC2\xB7 no LED in frame: " : "",
		  noled ? (xsnprintf(b1, sizeof b1, "%d", noled), b1) : "", ext,
		  soft ? " \xC2\xB7 " : "", soft ? (xsnprintf(b2, sizeof b2, "%d", soft), b2) : "",
		  soft ? " with the subject not sharp" : "");
	if (sl->n_rejected) {
		size_t l = strlen(counts);
		xsnprintf(counts + l, sizeof counts - l, " \xC2\xB7 %zu row%s rejected",
			  sl->n_rejected, sl->n_rejected == 1 ? "" : "s");
	}
	memset(&s, 0, sizeof s);
	s.title = "Shotlist previs";
	s.subtitle = subtitle;
	s.counts = counts;
	s.table.ncols = SUM_COLS;
	s.table.nrows = n;
	s.table.header = header;
	s.table.cells = cells;
	s.table.widths = widths;
	s.table.align = align;
	s.table.row_fill = fill;
	s.table.zebra = 0;
	s.table.size_pt = 8.0;
	s.table.whole = whole;
	s.rejected = rejected;
	s.n_rejected = sl->n_rejected;
	s.explain =
		"Verdict: visibility of the strongest moir\xC3\xA9 or LED-grid pattern over the "
		"wall points in frame (1 = just visible on a flat field such as a sky, for "
		"the viewer of the shot's delivery), and which of the two drives it; "
		"caution from 1, risky from 3; rows tinted by risk. Set extension: share of "
		"the frame that sees neither the LED wall nor the stage floor, and the wall "
		"edges it passes (L left, R right, T top, B bottom). Focus (back): subject "
		"placed at the back of the depth of field to blur the wall. Subject: sharp "
		"when the subject's eyes are inside the depth of field at a focus the lens "
		"can reach (not nearer than its close focus), else SOFT; the shot page says "
		"why. Mode: the camera's recording mode (sensor area used). Scan bands: "
		"the wall's refresh against the shutter (vpmoire scan) at the shot's frame "
		"rate and shutter, with the bands' depth; \xE2\x80\x94 for a shot without a "
		"frame rate, unknown where the panel's refresh or the camera's readout is "
		"not published (give a readout column).";
	s.footer_heading = "Assumptions";
	s.footer = c->footer;
	s.n_footer = c->n_footer;
	/* page numbers need the summary's own length: count, then number */
	{
		int np = 0;
		if ((rc = vpm_previs_summary_count(dopt, &s, &np)) != VPM_OK)
			goto out;
		for (i = 0; i < n; i++) {
			runs[i].page = np + 1 + (int)i;
			xsnprintf(text + (i * SUM_COLS + SUM_PAGE_COL) * cell_len, cell_len, "%d",
				  runs[i].page);
		}
	}
	rc = vpm_previs_summary_pages(doc, &s, pages);
out:
	free(cells);
	free(text);
	free(fill);
	free(rejected);
	return rc;
}

/* A page writer's failure, its message prefixed with `what`. */
static vpm_status_t page_fail(vpm_status_t st, const char *what)
{
	const char *msg = vpm_error_message();

	return vpm_error_set(st, "%s: %s", what, msg[0] != '\0' ? msg : vpm_strerror(st));
}

vpm_status_t vpm_previs_book_render(vpm_previs_book_t *b, const vpm_panel_t *panel,
				    const vpm_catalog_t *cat, int letter, vpm_previs_run_t *runs,
				    size_t n, const vpm_shotlist_t *sl, vpm_doc_t **doc,
				    int *summary_pages)
{
	vpm_doc_options_t dopt = vpm_doc_options_default();
	vpm_bom_t bom;
	vpm_status_t st;
	size_t i;

	if (b == NULL || doc == NULL)
		return vpm_error_set(VPM_EINVAL, "previs book: NULL argument");
	*doc = NULL;
	if (vpm_bom_compute(b->stage, panel, cat, NULL, &bom) == VPM_OK)
		b->stage_totals = vpm_bom_summary(&bom, b->totals, sizeof b->totals);
	else
		vpm_error_clear();
	dopt.paper = letter ? VPM_DOC_LETTER : VPM_DOC_A4;
	dopt.landscape = 1;
	dopt.title = "vpmoire shotlist previs";
	if ((st = vpm_doc_alloc(&dopt, doc)) != VPM_OK)
		return st;
	if ((st = vpm_previs_book_summary(*doc, &dopt, b, runs, n, sl, summary_pages)) != VPM_OK)
		st = page_fail(st, "summary page");
	for (i = 0; st == VPM_OK && i < n; i++)
		if ((st = vpm_previs_book_shot(*doc, b, &runs[i])) != VPM_OK)
			st = page_fail(st, runs[i].shot->id);
	if (st != VPM_OK) {
		vpm_doc_free(*doc);
		*doc = NULL;
	}
	return st;
}

/* ------------------------------------------------------------ image names */

/* A shot id as a file name: letters, digits, '-' and '.' are kept, any
 * other byte becomes '_'. */
static void safe_name(const char *id, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; id[i] && n + 1 < size; i++) {
		unsigned char ch = (unsigned char)id[i];
		buf[n++] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
					   (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'
				   ? (char)ch
				   : '_';
	}
	buf[n] = '\0';
}

/* A set of file names compared without regard to ASCII case (as macOS and
 * Windows disks compare them, where previs folders end up): open
 * addressing over names owned by the caller, each with the page that owns
 * it and, for a name that several shots want, the next suffix to try. */
typedef struct {
	const char *name;
	size_t page;
	int next_suffix;
} name_slot_t;

typedef struct {
	name_slot_t *slot;
	size_t mask;
} name_table_t;

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1; /* FNV-1a */

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h = (h ^ (size_t)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * (size_t)1099511628211ULL;
	}
	return h;
}

/* The slot of `name`: its entry, or the empty slot where it would go. */
static name_slot_t *name_find(name_table_t *t, const char *name)
{
	size_t i = name_hash(name) & t->mask;

	while (t->slot[i].name != NULL && strcasecmp(t->slot[i].name, name) != 0)
		i = (i + 1) & t->mask;
	return &t->slot[i];
}

/* One file name per page: summary.EXT, summary-2.EXT, ..., then
 * shot-ID.EXT.  Ids that map to the same name (1/A, 1_A and 1:A all give
 * shot-1_A; 1a and 1A are one file on a case-insensitive disk) must not
 * overwrite each other, and the names must not depend on chance:
 *   - an id that is already a safe name keeps shot-ID.EXT (it wins over
 *     ids that only map to it), then the other ids in page order take
 *     their plain name while it is free;
 *   - every shot left gets the first free shot-NAME-2.EXT, -3, ... in
 *     page order, a suffix no other shot's name uses.
 * names[k] are malloc'd (free with vpm_previs_book_names_free); owner[k]
 * is the page that has the plain name page k wanted (k itself when it got
 * it).  VPM_ENOMEM. */
vpm_status_t vpm_previs_book_image_names(const char *ext, int summary_pages,
					 const vpm_previs_run_t *runs, size_t n, char ***names_out,
					 size_t **owner_out)
{
	size_t pages = (size_t)summary_pages + n, cap = 16, i, pass;
	char **names = calloc(pages + 1, sizeof *names);
	size_t *owner = calloc(pages + 1, sizeof *owner);
	name_table_t t = { NULL, 0 };
	vpm_status_t rc = VPM_OK;

	*names_out = NULL;
	*owner_out = NULL;
	while (cap < 2 * pages + 16)
		cap *= 2;
	t.slot = calloc(cap, sizeof *t.slot);
	t.mask = cap - 1;
	if (names == NULL || owner == NULL || t.slot == NULL) {
		rc = vpm_error_set(VPM_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < pages; i++) {
		char name[VPM_SHOT_ID_MAX + 32], safe[VPM_SHOT_ID_MAX + 1];
		owner[i] = i;
		if (i == 0)
			xsnprintf(name, sizeof name, "summary.%s", ext);
		else if (i < (size_t)summary_pages)
			xsnprintf(name, sizeof name, "summary-%zu.%s", i + 1, ext);
		else {
			safe_name(runs[i - summary_pages].shot->id, safe, sizeof safe);
			xsnprintf(name, sizeof name, "shot-%s.%s", safe, ext);
		}
		if ((names[i] = strdup(name)) == NULL) {
			rc = vpm_error_set(VPM_ENOMEM, "out of memory");
			goto out;
		}
	}
	/* pass 0: summaries; 1: ids that are safe names; 2: the other ids */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < pages; i++) {
			name_slot_t *sl;
			char safe[VPM_SHOT_ID_MAX + 1];
			int summary = i < (size_t)summary_pages, exact = 0;
			if (!summary) {
				const char *id = runs[i - summary_pages].shot->id;
				safe_name(id, safe, sizeof safe);
				exact = strcmp(safe, id) == 0;
			}
			if ((pass == 0) != summary || (pass == 1 && !exact) || (pass == 2 && exact))
				continue;
			sl = name_find(&t, names[i]);
			if (sl->name == NULL) {
				sl->name = names[i];
				sl->page = i;
				sl->next_suffix = 2;
			} else {
				owner[i] = sl->page; /* taken: a suffix below */
			}
		}
	/* pass 3: a numbered name for each shot whose plain name was taken */
	for (i = (size_t)summary_pages; i < pages; i++) {
		name_slot_t *plain, *sl;
		char name[VPM_SHOT_ID_MAX + 32];
		size_t stem = strlen(names[i]) - strlen(ext) - 1;
		if (owner[i] == i)
			continue;
		plain = name_find(&t, names[i]);
		for (;;) {
			xsnprintf(name, sizeof name, "%.*s-%d.%s", (int)stem, names[i],
				  plain->next_suffix++, ext);
			sl = name_find(&t, name);
			if (sl->name == NULL)
				break;
		}
		free(names[i]);
		if ((names[i] = strdup(name)) == NULL) {
			rc = vpm_error_set(VPM_ENOMEM, "out of memory");
			goto out;
		}
		sl->name = names[i];
		sl->page = i;
		sl->next_suffix = 2;
	}
out:
	free(t.slot);
	if (rc != VPM_OK) {
		for (i = 0; names != NULL && i < pages; i++)
			free(names[i]);
		free(names);
		free(owner);
		return rc;
	}
	*names_out = names;
	*owner_out = owner;
	return VPM_OK;
}

void vpm_previs_book_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
}
