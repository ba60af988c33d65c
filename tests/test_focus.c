/* Focus placement (lib/plan.c) and `vpmoire focus`: the recommended focus
 * keeps the subject's near and far edges inside the depth of field, is
 * nearer than the subject's centre whenever that lowers the visibility,
 * and is never worse than the naive centre focus; the JSON members; the
 * figure; bad input. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/geometry.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#define RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2"

/* The reference micro stage (the models/ catalogs): AOTO RM1.5, URSA Mini Pro
 * 4.6K G2 (CoC 0.025 mm from the camera catalog). */
static vpm_setup_t reference_setup(double focal_mm, double stop, double wall_m)
{
	vpm_setup_t s = vpm_setup_default();

	/* the planner's rules are tested on the ideal chain, whose visibility
	 * falls steadily as focus moves forward on this stage */
	s.model = VPM_MODEL_IDEAL;

	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.17;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.coc_mm = 0.025;
	s.focal_mm = focal_mm;
	s.stop = stop;
	s.wall_m = wall_m;
	s.focus_m = 1.0;
	return s;
}

/* ================================================================ library */

Test(focus_range, ends_hold_the_subject_edges_exactly)
{
	vpm_setup_t s = reference_setup(35.0, 4.0, 3.217);
	vpm_subject_t subj = { 1.394, 1.561 };
	vpm_dof_t d;
	double lo, hi;

	cr_assert_eq(vpm_plan_focus_range(&s, subj, 0.0, &lo, &hi), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_lt(lo, hi);
	/* at the closest focus the far DOF limit is the subject's far edge, at
	 * the furthest the near limit is its near edge (thin-lens DOF of
	 * lib/geometry.c, the formulas vpm_predict reports) */
	cr_assert_eq(vpm_geometry_dof_mm(35.0, 4.0, 0.025, lo * 1e3, &d), VPM_OK);
	cr_assert_float_eq(d.far_mm / 1e3, subj.far_m, 1e-9);
	cr_assert_eq(vpm_geometry_dof_mm(35.0, 4.0, 0.025, hi * 1e3, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm / 1e3, subj.near_m, 1e-9);
	/* a close-focus limit beyond lo moves the start */
	cr_assert_eq(vpm_plan_focus_range(&s, subj, 1.43, &lo, &hi), VPM_OK);
	cr_assert_float_eq(lo, 1.43, 1e-12);
}

Test(focus_range, impossible_subjects)
{
	vpm_setup_t s = reference_setup(85.0, 2.1, 3.0);
	vpm_subject_t deep = { 1.2, 1.9 }, behind = { 2.5, 3.2 }, none = { 0.0, 1.0 };
	double lo, hi;

	cr_assert_eq(vpm_plan_focus_range(&s, deep, 0.0, &lo, &hi), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "depth of field cannot hold"), "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_plan_focus_range(&s, behind, 0.0, &lo, &hi), VPM_EGEOMETRY);
	cr_assert_eq(vpm_plan_focus_range(&s, none, 0.0, &lo, &hi), VPM_EINVAL);
	cr_assert_eq(vpm_plan_focus_range(NULL, deep, 0.0, &lo, &hi), VPM_EINVAL);
	/* a lens that cannot focus that close (close focus 1.0 m, subject from
	 * 0.5 m, the 85 mm's DOF a few cm) */
	{
		vpm_subject_t nearby = { 0.5, 0.52 };
		cr_assert_eq(vpm_plan_focus_range(&s, nearby, 1.0, &lo, &hi), VPM_EGEOMETRY);
	}
	/* bad equipment is reported, not searched */
	s.pitch_mm = 0.0;
	cr_assert_neq(vpm_plan_focus_range(&s, (vpm_subject_t){ 1.0, 1.01 }, 0.0, &lo, &hi),
		      VPM_OK);
}

/* The three properties of issue 5 on one set-up, with the planner's answer
 * checked against an independent scan of 97 focus settings. */
static void check_properties(double focal, double stop, double wall, double near, double far)
{
	vpm_setup_t s = reference_setup(focal, stop, wall);
	vpm_subject_t subj = { near, far };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_focus_choice_t best, naive;
	double centre = 0.5 * (near + far), lo, hi, vmin = INFINITY, vbest, vcentre;
	int k, lower_nearer = 0;

	cr_assert_eq(vpm_plan_focus(&s, subj, ws, &best, &naive), VPM_OK, "%g mm T%g: %s", focal,
		     stop, vpm_error_message());
	vbest = vpm_result_visibility(&best.result);
	vcentre = vpm_result_visibility(&naive.result);
	/* 1. the subject's near and far edges are inside the DOF */
	cr_assert(best.subject_sharp);
	cr_assert_leq(best.result.dof_near_m, near * (1 + 1e-9), "near %g > %g",
		      best.result.dof_near_m, near);
	cr_assert_geq(best.result.dof_far_m, far * (1 - 1e-9), "far %g < %g", best.result.dof_far_m,
		      far);
	/* the result is what `check` gives at that focus */
	{
		vpm_setup_t t = s;
		vpm_result_t r;
		t.focus_m = best.focus_m;
		cr_assert_eq(vpm_predict(&t, ws, &r), VPM_OK);
		cr_assert_eq(vpm_result_visibility(&r), vbest);
	}
	cr_assert_float_eq(naive.focus_m, centre, 1e-15);
	/* 3. never worse than the naive choice (when the naive one is sharp) */
	if (naive.subject_sharp)
		cr_assert_leq(vbest, vcentre, "%g mm T%g: %g > naive %g", focal, stop, vbest,
			      vcentre);
	/* 2. nearer than the centre whenever some sharp focus nearer than the
	 * centre lowers the visibility; and as good as the scan's best */
	cr_assert_eq(vpm_plan_focus_range(&s, subj, 0.0, &lo, &hi), VPM_OK);
	for (k = 0; k <= 96; k++) {
		double x = lo + (fmin(hi, centre) - lo) * k / 96.0;
		vpm_result_t r;
		s.focus_m = x;
		cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
		if (!vpm_plan_subject_in_dof(&r, subj))
			continue;
		vmin = fmin(vmin, vpm_result_visibility(&r));
		if (x < centre && vpm_result_visibility(&r) < vcentre)
			lower_nearer = 1;
	}
	if (lower_nearer && naive.subject_sharp)
		cr_assert_lt(best.focus_m, centre, "%g mm T%g: a nearer focus is better", focal,
			     stop);
	cr_assert_leq(best.focus_m, centre * (1 + 1e-12), "focus behind the centre");
	/* the first pass has 241 points and two finer passes: within 1% of the
	 * best of an independent 97-point scan */
	cr_assert_leq(vbest, vmin * 1.01, "%g mm T%g: %g vs scan %g", focal, stop, vbest, vmin);
	vpm_predict_workspace_free(ws);
}

Test(focus_plan, reference_stage_properties)
{
	/* the reference micro stage: subject centre 1 m from the camera, 5 ft
	 * from the wall, 28 mm; a face (10 cm) at T2.1 and T2.8 */
	check_properties(28.0, 2.1, 2.524, 0.95, 1.05);
	check_properties(28.0, 2.8, 2.524, 0.962, 1.038);
	/* a deeper subject at T5.6, the 35 and 50 mm further back */
	check_properties(28.0, 5.6, 2.524, 0.85, 1.15);
	check_properties(35.0, 4.0, 3.217, 1.394, 1.561);
	check_properties(50.0, 8.0, 4.1, 2.3, 2.72);
	/* a wide lens far from a wall: the DOF reaches the wall */
	check_properties(15.0, 5.6, 6.5, 2.5, 3.5);
}

Test(focus_plan, the_reference_face_focuses_closer_than_its_centre)
{
	/* 28 mm T2.1, subject 0.95–1.05 m, wall 2.524 m: focusing on the centre
	 * gives V 2.16; a few mm closer lowers it (measured: 1.98 at 0.993 m) */
	vpm_setup_t s = reference_setup(28.0, 2.1, 2.524);
	vpm_subject_t subj = { 0.95, 1.05 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_focus_choice_t best, naive;

	cr_assert_eq(vpm_plan_focus(&s, subj, ws, &best, &naive), VPM_OK);
	cr_assert_lt(best.focus_m, 1.0);
	cr_assert_gt(best.focus_m, 0.95);
	cr_assert_lt(vpm_result_visibility(&best.result),
		     vpm_result_visibility(&naive.result) * 0.95);
	cr_assert_gt(best.result.wall_blur_mm, naive.result.wall_blur_mm, "the wall is softer");
	vpm_predict_workspace_free(ws);
}

Test(focus_plan, close_focus_and_options)
{
	vpm_setup_t s = reference_setup(35.0, 4.0, 3.217);
	vpm_subject_t subj = { 1.394, 1.561 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_focus_options_t o = vpm_plan_focus_options_default();
	vpm_focus_choice_t best, naive;

	cr_assert_eq(o.steps, 240);
	o.close_focus_m = 1.45;
	cr_assert_eq(vpm_plan_focus_ex(&s, subj, &o, ws, &best, &naive), VPM_OK);
	cr_assert_geq(best.focus_m, 1.45);
	o.steps = 0;
	cr_assert_eq(vpm_plan_focus_ex(&s, subj, &o, ws, &best, &naive), VPM_EINVAL);
	o.steps = 16;
	o.close_focus_m = -1;
	cr_assert_eq(vpm_plan_focus_ex(&s, subj, &o, ws, &best, &naive), VPM_EINVAL);
	cr_assert_eq(vpm_plan_focus_ex(&s, subj, NULL, NULL, &best, &naive), VPM_EINVAL);
	/* the DOF at T2.1 cannot hold 0.6 m at 1.5 m with 85 mm */
	s = reference_setup(85.0, 2.1, 3.0);
	cr_assert_eq(vpm_plan_focus(&s, (vpm_subject_t){ 1.2, 1.8 }, ws, &best, &naive),
		     VPM_EGEOMETRY);
	vpm_predict_workspace_free(ws);
}

Test(focus_plan, curve_is_the_predictor_along_the_focus_scale)
{
	vpm_setup_t s = reference_setup(28.0, 2.8, 2.524);
	vpm_subject_t subj = { 0.962, 1.038 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	double x[7], v[7];
	int sharp[7], i;

	cr_assert_eq(vpm_plan_focus_curve(&s, subj, 0.9, 1.05, 7, ws, x, v, sharp), VPM_OK);
	for (i = 0; i < 7; i++) {
		vpm_result_t r;
		cr_assert_float_eq(x[i], 0.9 + 0.15 * i / 6.0, 1e-15);
		s.focus_m = x[i];
		cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
		cr_assert_eq(v[i], vpm_result_visibility(&r));
		cr_assert_eq(sharp[i], vpm_plan_subject_in_dof(&r, subj));
	}
	cr_assert_eq(sharp[0], 0, "focus 0.9 m loses the far edge");
	cr_assert_eq(vpm_plan_focus_curve(&s, subj, 0.9, 1.05, 1, ws, x, v, sharp), VPM_EINVAL);
	cr_assert_eq(vpm_plan_focus_curve(&s, subj, 0.9, NAN, 5, ws, x, v, sharp), VPM_EINVAL);
	vpm_predict_workspace_free(ws);
}

/* ================================================================ the command */

/* The planner's stop, focus and wall advice (vpm_plan_advise_within()
 * with the given stop range, close focus and subject, its other kinds of
 * change left out), at most `max` pieces in the planner's order. */
static vpm_status_t advise_stop_focus_wall(const vpm_setup_t *s, vpm_subject_t subj, double widest,
					   double narrowest, double close_focus_m,
					   vpm_predict_workspace_t *ws, vpm_advice_t *out,
					   size_t max, size_t *n)
{
	vpm_plan_limits_t L = vpm_plan_limits_default();
	vpm_plan_t plan;
	vpm_status_t st;

	*n = 0;
	L.widest_stop = widest;
	L.narrowest_stop = narrowest;
	L.close_focus_m = close_focus_m;
	L.subject = subj;
	if ((st = vpm_plan_advise_within(s, &L, ws, &plan)) != VPM_OK)
		return st;
	for (size_t i = 0; i < plan.n && *n < max; i++)
		if (plan.advice[i].kind == VPM_ADVICE_STOP ||
		    plan.advice[i].kind == VPM_ADVICE_FOCUS || plan.advice[i].kind == VPM_ADVICE_WALL)
			out[(*n)++] = plan.advice[i];
	return VPM_OK;
}

/* The planner's advice over a grid of reference-stage set-ups (28 and 50 mm,
 * T2.1 to T5.6, camera 1.8 to 6 m from the wall, subject 1.52 m in front of
 * it, focus on the subject): every piece of advice is the predictor's own
 * answer for the changed set-up and lowers the visibility; SAFE advice
 * comes first, and within each group the stop, then focus, then the wall
 * (the order of how much each changes the shot); wall advice is SAFE. */
Test(focus_plan, advice_is_checked_and_ordered)
{
	static const double focals[] = { 28.0, 50.0 }, stops[] = { 2.1, 2.8, 4.0, 5.6 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	size_t fi, si, i, n, walls = 0, focus_first = 0, total = 0;
	double wall;

	cr_assert_not_null(ws);
	for (fi = 0; fi < 2; fi++)
		for (si = 0; si < 4; si++)
			for (wall = 1.8; wall <= 6.0; wall += 0.35) {
				vpm_setup_t s = reference_setup(focals[fi], stops[si], wall);
				vpm_subject_t subj = { wall - 1.524 - 0.05, wall - 1.524 + 0.05 };
				vpm_advice_t adv[3];
				vpm_result_t r0, r;

				s.focus_m = wall - 1.524;
				cr_assert_eq(vpm_predict(&s, ws, &r0), VPM_OK, "%s",
					     vpm_error_message());
				cr_assert_eq(advise_stop_focus_wall(&s, subj, 1.5, 22.0, 0.0, ws, adv, 3, &n),
					     VPM_OK, "%s", vpm_error_message());
				total += n;
				for (i = 0; i < n; i++) {
					vpm_setup_t t = s;
					cr_assert_lt(
						adv[i].visibility, vpm_result_visibility(&r0),
						"%g mm T%g wall %g: advice %zu (kind %d) does not lower the visibility",
						focals[fi], stops[si], wall, i, (int)adv[i].kind);
					if (adv[i].kind == VPM_ADVICE_STOP) {
						t.stop = adv[i].stop;
					} else if (adv[i].kind == VPM_ADVICE_FOCUS) {
						t.focus_m = adv[i].focus_m;
					} else {
						cr_assert_eq(adv[i].kind, VPM_ADVICE_WALL);
						cr_assert_gt(adv[i].wall_m, s.wall_m);
						cr_assert_eq(adv[i].risk, VPM_RISK_SAFE);
						t.wall_m = adv[i].wall_m;
						walls++;
					}
					cr_assert_eq(vpm_predict(&t, ws, &r), VPM_OK);
					cr_assert_float_eq(vpm_result_visibility(&r),
							   adv[i].visibility, 1e-12);
					cr_assert_eq(r.risk, adv[i].risk);
					if (i > 0) {
						int sa = adv[i - 1].risk == VPM_RISK_SAFE;
						int sb = adv[i].risk == VPM_RISK_SAFE;
						cr_assert_geq(sa, sb, "SAFE advice after unsafe");
						if (sa == sb)
							cr_assert_lt(adv[i - 1].kind, adv[i].kind,
								     "kinds out of order");
						if (adv[i - 1].kind == VPM_ADVICE_FOCUS &&
						    adv[i].kind == VPM_ADVICE_STOP)
							focus_first++;
					}
				}
			}
	/* a set-up where moving focus is SAFE but no stop is: a finer 1.2 mm
	 * panel, 25 mm at T2.115, wall 2.8 m, subject 1 m in front of it */
	{
		vpm_setup_t s = reference_setup(25.0, 2.115, 2.8);
		vpm_subject_t subj = { 1.75, 1.85 };
		vpm_advice_t adv[3];

		s.pitch_mm = 1.2;
		s.focus_m = 1.8;
		cr_assert_eq(advise_stop_focus_wall(&s, subj, 1.5, 22.0, 0.0, ws, adv, 3, &n), VPM_OK);
		cr_assert_geq(n, 2);
		cr_assert_eq(adv[0].kind, VPM_ADVICE_FOCUS);
		cr_assert_eq(adv[0].risk, VPM_RISK_SAFE);
		cr_assert_eq(adv[n - 1].kind, VPM_ADVICE_STOP, "the unsafe stop comes last");
		cr_assert_gt(adv[n - 1].risk, VPM_RISK_SAFE);
		focus_first++;
	}
	/* the grid reaches every branch */
	cr_assert_gt(total, 0);
	cr_assert_gt(walls, 0);
	cr_log_info("advice: %zu pieces, %zu wall, %zu with focus first", total, walls,
		    focus_first);
	vpm_predict_workspace_free(ws);
}

TestSuite(focus_cli, .fini = tu_cleanup_tmpdir);

/* The text of one JSON object member {...} (malloc'd). */
static char *member(const char *json, const char *key)
{
	char k[64];
	const char *p, *q;
	char *out;

	snprintf(k, sizeof k, "\"%s\": {", key);
	p = strstr(json, k);
	cr_assert_not_null(p, "no \"%s\" object in %s", key, json);
	q = strchr(p, '}');
	cr_assert_not_null(q);
	out = malloc((size_t)(q - p) + 2);
	memcpy(out, p, (size_t)(q - p) + 1);
	out[q - p + 1] = '\0';
	return out;
}

static double number(const char *obj, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof k, "\"%s\": ", key);
	p = strstr(obj, k);
	cr_assert_not_null(p, "no %s in %s", key, obj);
	cr_assert(strncmp(p + strlen(k), "null", 4) != 0, "%s is null", key);
	return strtod(p + strlen(k), NULL);
}

Test(focus_cli, json_members_and_check_agree, .timeout = 60)
{
	static const char *keys[] = { "focus_m",	"stop",		"dof_near_m",
				      "dof_far_m",	"wall_blur_mm", "moire_visibility",
				      "grid_visibility" };
	tu_run_t r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 2.524m --subject 1m "
				"--subject-depth 10cm --stop T2.1 --stop T2.8 --stop T4 --json");
	char *rec, *nai, args[1024];
	size_t i;

	cr_assert_eq(r.status, 0, "%s", r.err);
	rec = member(r.out, "recommended");
	nai = member(r.out, "naive");
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		(void)number(rec, keys[i]);
		(void)number(nai, keys[i]);
	}
	cr_assert(strstr(rec, "\"risk\": \""));
	cr_assert(strstr(nai, "\"risk\": \""));
	/* the whole subject inside the recommended DOF; focus nearer than the
	 * centre; the naive focus is the centre at the same stop */
	cr_assert_leq(number(rec, "dof_near_m"), 0.95 * (1 + 1e-9));
	cr_assert_geq(number(rec, "dof_far_m"), 1.05 * (1 - 1e-9));
	cr_assert_lt(number(rec, "focus_m"), 1.0);
	cr_assert_float_eq(number(nai, "focus_m"), 1.0, 1e-12);
	cr_assert_eq(number(nai, "stop"), number(rec, "stop"));
	cr_assert_leq(fmax(number(rec, "moire_visibility"), number(rec, "grid_visibility")),
		      fmax(number(nai, "moire_visibility"), number(nai, "grid_visibility")));
	/* every stop listed */
	cr_assert(strstr(r.out, "\"stops\": ["));
	cr_assert(strstr(r.out, "{\"stop\": 2.8"));
	cr_assert(strstr(r.out, "{\"stop\": 4"));
	/* `check` at the recommended focus gives the same numbers (the JSON
	 * prints 10 significant digits, so the focus given back to check is
	 * rounded: 1e-6 relative) */
	snprintf(args, sizeof args,
		 "check " RIG
		 " --lens zeiss-cp3-28 --wall 2.524m --stop %.17g --focus %.17g --json",
		 number(rec, "stop"), number(rec, "focus_m"));
	{
		tu_run_t c = tu_vpmoire(args);
		cr_assert_eq(c.status, 0, "%s", c.err);
		cr_assert_float_eq(number(c.out, "moire_visibility"),
				   number(rec, "moire_visibility"),
				   1e-6 * number(rec, "moire_visibility"));
		cr_assert_float_eq(number(c.out, "dof_near_m"), number(rec, "dof_near_m"), 1e-9);
		tu_run_free(&c);
	}
	free(rec);
	free(nai);
	tu_run_free(&r);
}

Test(focus_cli, table_and_near_far_form)
{
	tu_run_t r = tu_vpmoire("focus " RIG
				" --lens zeiss-cp3-28 --wall 2.524m --subject-near 0.85m "
				"--subject-far 1.15m");

	/* default stops: T2.1 (the lens's widest), T2.8, T4, T5.6, T8; the
	 * 30 cm subject fits only from T5.6 */
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "RECOMMENDED  T5.6"), "%s", r.out);
	cr_assert(strstr(r.out, "T2.1   depth of field too shallow: at T2.1 it holds a subject "
				"at most 0.122 m deep around 1.000 m"),
		  "%s", r.out);
	/* T5.6 is itself the widest stop that holds it: nothing added */
	cr_assert_null(strstr(r.out, "+ not asked for"), "%s", r.out);
	cr_assert(strstr(r.out, "T8 "), "%s", r.out);
	cr_assert(strstr(r.out, "naive        T5.6, focus 1.000 m"), "%s", r.out);
	tu_run_free(&r);
}

Test(focus_cli, figure_page_and_text)
{
	char cmd[4400], *info, *txt;
	tu_run_t r = tu_vpmoire(
		"focus " RIG " --lens zeiss-cp3-28 --wall 2.524m --subject 1m "
		"--subject-depth 0.1m --stop T2.1 --stop T2.8 --model ideal -o focus.pdf");

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	cr_assert(tu_exists(tu_tmp("focus.pdf")));
	if (system("command -v pdfinfo >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1") !=
	    0)
		cr_skip_test("poppler-utils (pdfinfo, pdftotext) is not installed");
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", tu_tmp("focus.pdf"));
	info = tu_capture(cmd);
	cr_assert(strstr(info, "Pages:           1"), "%s", info);
	snprintf(cmd, sizeof cmd, "pdftotext '%s' -", tu_tmp("focus.pdf"));
	txt = tu_capture(cmd);
	cr_assert(strstr(txt, "Focus plan"));
	cr_assert(strstr(txt, "AOTO RM1.5"));
	cr_assert(strstr(txt, "URSA Mini Pro 4.6K G2"));
	cr_assert(strstr(txt, "Recommended: T2.1"));
	cr_assert(strstr(txt, "Naive: T2.1, focus on the subject"));
	cr_assert(strstr(txt, "Distance from the sensor plane (m)"));
	cr_assert(strstr(txt, "Distance from the sensor plane (ft)"));
	cr_assert(strstr(txt, "LED pitches"));
	cr_assert(strstr(txt, "depth of field"));
	cr_assert(strstr(txt, "Assumptions:"));
	free(info);
	free(txt);
}

Test(focus_cli, bad_input_exits_2_and_writes_nothing)
{
	static const char *bad[][2] = {
		{ "--lens zeiss-cp3-28 --subject 1m", "--wall" },
		{ "--lens zeiss-cp3-28 --wall 2.5m", "subject" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject 3m", "in front of the wall" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject-near 1m", "--subject-far" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject-near 1.2m --subject-far 1m",
		  "--subject-far" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject 1m --stop T1.4", "no T1.4" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject 1m --focus 0.9m", "--focus" },
		{ "--lens zeiss-cp3-85 --wall 2.5m --subject 0.8m",
		  "closer than the lens can focus" },
		{ "--focal 28 --wall 2.5m --subject 1m", "--stop" },
		{ "--lens zeiss-cp3-28 --wall 2.5m --subject 1m --paper a5", "--paper" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char args[1024];
		tu_run_t r;

		snprintf(args, sizeof args, "focus " RIG " %s -o bad.pdf", bad[i][0]);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%s: exit %d, %s", args, r.status, r.err);
		cr_assert(strstr(r.err, bad[i][1]), "%s: %s", args, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "one line: %s", r.err);
		cr_assert(!tu_exists(tu_tmp("bad.pdf")), "%s left a file", args);
		tu_run_free(&r);
	}
	{
		tu_run_t r = tu_vpmoire("focus --help");
		cr_assert_eq(r.status, 0);
		cr_assert(strstr(r.out, "--subject-depth"));
		cr_assert(strstr(r.out, "--json"));
		tu_run_free(&r);
	}
}

/* Advice never asks for a focus the lens cannot reach (issue 12): the
 * 2.84 mm foil at T2.8, focus 1.0 m, is risky and its focus advice is
 * 0.929 m; with a close focus of 0.95 m no focus advice goes below it. */
Test(focus_plan, advice_respects_close_focus)
{
	vpm_predict_workspace_t *w = vpm_predict_workspace_alloc();
	vpm_setup_t s = reference_setup(28.0, 2.8, 2.524);
	vpm_subject_t subj = { 1.0, 1.0 };
	vpm_advice_t adv[3];
	size_t n = 0;
	int saw_below = 0;

	s.pitch_mm = 500.0 / 176.0;
	s.focus_m = 1.0;
	cr_assert_eq(advise_stop_focus_wall(&s, subj, 2.1, 22.0, 0.0, w, adv, 3, &n), VPM_OK);
	for (size_t i = 0; i < n; i++)
		if (adv[i].kind == VPM_ADVICE_FOCUS && adv[i].focus_m < 0.95)
			saw_below = 1;
	cr_assert(saw_below, "the case no longer needs a close focus move");
	cr_assert_eq(advise_stop_focus_wall(&s, subj, 2.1, 22.0, 0.95, w, adv, 3, &n), VPM_OK);
	for (size_t i = 0; i < n; i++)
		if (adv[i].kind == VPM_ADVICE_FOCUS)
			cr_assert_geq(adv[i].focus_m, 0.95 * (1.0 - 1e-12));
	vpm_predict_workspace_free(w);
}

/* ================================================ choosing among stops (issue 12) */

static vpm_focus_plan_t plan_of(double stop, int feasible, int sharp, double focus_m, double v)
{
	vpm_focus_plan_t p;

	memset(&p, 0, sizeof p);
	p.stop = stop;
	p.feasible = feasible;
	p.best.stop = stop;
	p.best.focus_m = focus_m;
	p.best.subject_sharp = sharp;
	p.best.result.moire_visibility = 0.37 * v;
	p.best.result.grid_visibility = v;
	p.best.result.risk = v < 1 ? VPM_RISK_SAFE : v < 3 ? VPM_RISK_CAUTION : VPM_RISK_RISKY;
	return p;
}

/* The rule: lowest visibility among the feasible, sharp choices inside the
 * lens's stops and close focus; the wider stop at a tie. */
Test(focus_pick, lowest_visibility_of_the_feasible_choices)
{
	vpm_focus_plan_t p[6];
	size_t k = 99;

	p[0] = plan_of(1.8, 0, 0, 0.5, 0.28); /* not feasible: its low V must not win */
	p[1] = plan_of(2.8, 1, 0, 0.5, 0.91); /* "feasible" but the subject not sharp */
	p[2] = plan_of(3.2, 1, 1, 0.497, 4.17);
	p[3] = plan_of(4.0, 1, 1, 0.490, 6.35);
	p[4] = plan_of(5.6, 1, 1, 0.493, 13.07);
	p[5] = plan_of(8.0, 1, 1, 0.460, 66.83);
	cr_assert_eq(vpm_plan_focus_pick(p, 6, 1.8, 22.0, 0.35, &k), VPM_OK);
	cr_assert_eq(k, 2);
	/* the lens does not reach T3.2 (widest T3.5): then T4 */
	cr_assert_eq(vpm_plan_focus_pick(p, 6, 3.5, 22.0, 0.35, &k), VPM_OK);
	cr_assert_eq(k, 3);
	/* a close focus of 0.495 m rules out T4 and T5.6 as well */
	cr_assert_eq(vpm_plan_focus_pick(p, 6, 3.5, 22.0, 0.495, &k), VPM_EGEOMETRY);
	cr_assert_eq(k, 3, "untouched on failure");
	/* the narrowest stop limits too */
	p[2] = plan_of(3.2, 1, 1, 0.497, 70.0);
	cr_assert_eq(vpm_plan_focus_pick(p, 6, 1.8, 5.0, 0.0, &k), VPM_OK);
	cr_assert_eq(k, 3);
	/* at equal visibility the wider stop (more light) */
	p[4] = plan_of(5.6, 1, 1, 0.493, 6.35);
	cr_assert_eq(vpm_plan_focus_pick(p + 3, 2, 0.0, 0.0, 0.0, &k), VPM_OK);
	cr_assert_eq(k, 0);
	cr_assert_eq(vpm_plan_focus_pick(p + 4, 2, 0.0, 0.0, 0.0, &k), VPM_OK);
	cr_assert_eq(k, 0, "T5.6 at 6.35 beats T8 at 66.83");
	/* a lower risk class is always a lower visibility: CAUTION 2.53 wins
	 * over RISKY 7.70 (the case of the issue) whatever the order */
	p[0] = plan_of(4.0, 1, 1, 0.9, 7.70);
	p[1] = plan_of(1.8, 1, 1, 0.95, 2.53);
	cr_assert_eq(vpm_plan_focus_pick(p, 2, 1.8, 22.0, 0.35, &k), VPM_OK);
	cr_assert_eq(k, 1);
	cr_assert_eq(vpm_plan_focus_pick(NULL, 2, 0, 0, 0, &k), VPM_EINVAL);
	cr_assert_eq(vpm_plan_focus_pick(p, 0, 0, 0, 0, &k), VPM_EINVAL);
	cr_assert_eq(vpm_plan_focus_pick(p, 2, 0, 0, 0, NULL), VPM_EINVAL);
}

/* The widest stop that holds a subject, and the deepest subject a stop
 * holds, agree with vpm_plan_focus_range() at their edges. */
Test(focus_pick, stop_needed_and_deepest_subject)
{
	vpm_setup_t s = reference_setup(25.0, 1.8, 1.5);
	vpm_subject_t face = { 0.5 - 0.0254, 0.5 + 0.0254 }; /* 2 in deep at 0.5 m */
	double stop = 0, lo, hi, depth = 0, prev = 0;
	size_t n, i;
	const double *series = vpm_plan_stop_series(&n);

	cr_assert_eq(vpm_plan_focus_stop_needed(&s, face, 0.35, 1.8, 22.0, &stop), VPM_OK, "%s",
		     vpm_error_message());
	/* thin-lens DOF with c = 0.025 mm: the 2-inch face needs about
	 * N = (1/near - 1/far) f^2 / (2 c) ~ 2.54 / ... : T3.2 of the series */
	cr_assert_float_eq(stop, 3.2, 1e-12);
	s.stop = stop;
	cr_assert_eq(vpm_plan_focus_range(&s, face, 0.35, &lo, &hi), VPM_OK);
	for (i = 0; i < n && series[i] < stop - 1e-9; i++)
		prev = series[i];
	s.stop = prev;
	cr_assert_eq(vpm_plan_focus_range(&s, face, 0.35, &lo, &hi), VPM_EGEOMETRY,
		     "T%g should not hold it", prev);
	/* the widest stop itself when it holds */
	s.stop = 1.8;
	cr_assert_eq(vpm_plan_focus_stop_needed(&s, (vpm_subject_t){ 0.499, 0.501 }, 0.35, 1.8,
						22.0, &stop),
		     VPM_OK);
	cr_assert_eq(stop, 1.8);
	/* nothing holds a subject from 0.3 m to 1.4 m with a 25 mm */
	cr_assert_eq(vpm_plan_focus_stop_needed(&s, (vpm_subject_t){ 0.3, 1.4 }, 0.0, 1.8, 22.0,
						&stop),
		     VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "not even T22"), "%s", vpm_error_message());
	cr_assert_eq(vpm_plan_focus_stop_needed(&s, face, 0.0, 8.0, 4.0, &stop), VPM_EINVAL);

	/* deepest subject around 0.5 m at T2.8: held, and 0.1 % deeper is not */
	s.stop = 2.8;
	cr_assert_eq(vpm_plan_focus_max_depth(&s, 0.5, 0.35, &depth), VPM_OK);
	cr_assert_gt(depth, 0.03);
	cr_assert_lt(depth, 0.0508, "T2.8 must not hold the 2-inch face");
	cr_assert_eq(vpm_plan_focus_range(&s,
					  (vpm_subject_t){ 0.5 - 0.4995 * depth,
							   0.5 + 0.4995 * depth },
					  0.35, &lo, &hi),
		     VPM_OK);
	cr_assert_eq(vpm_plan_focus_range(&s,
					  (vpm_subject_t){ 0.5 - 0.5005 * depth,
							   0.5 + 0.5005 * depth },
					  0.35, &lo, &hi),
		     VPM_EGEOMETRY);
	/* deeper at a narrower stop */
	{
		double d8 = 0;
		s.stop = 8.0;
		cr_assert_eq(vpm_plan_focus_max_depth(&s, 0.5, 0.35, &d8), VPM_OK);
		cr_assert_gt(d8, depth);
	}
	/* closer than the lens focuses: no subject at all */
	cr_assert_eq(vpm_plan_focus_max_depth(&s, 0.3, 0.35, &depth), VPM_EGEOMETRY);
	cr_assert_eq(vpm_plan_focus_max_depth(&s, -1.0, 0.35, &depth), VPM_EINVAL);
}

/* The first JSON number after `key` in [p, end), or NAN. */
static double number_in(const char *p, const char *end, const char *key)
{
	char k[64];
	const char *q;

	snprintf(k, sizeof k, "\"%s\": ", key);
	q = strstr(p, k);
	if (q == NULL || q >= end)
		return NAN;
	return strtod(q + strlen(k), NULL);
}

#define FACE                                                                                   \
	"focus --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 --lens arri-signature-25 " \
	"--wall 1.5m --subject 0.5m --subject-depth 2in"

/* Regression (issue 12): a 2-inch face 0.5 m from the camera, 1 m in front of
 * the 2.84 mm wall.  The default stops were T1.8, T2.8, T4, T5.6, T8; the
 * face fits from T4 and the planner said "T4 RISKY 6.35".  T3.2 holds it
 * too, at 4.17: the widest stop that holds the subject is now a candidate,
 * and the recommendation is the lowest visibility of every feasible row. */
Test(focus_cli, recommends_the_lowest_visibility_that_holds_the_face, .timeout = 60)
{
	tu_run_t r = tu_vpmoire(FACE " --json");
	const char *p, *end;
	char *rec;
	double v, best = INFINITY;
	int rows = 0, feasible = 0;

	cr_assert_eq(r.status, 0, "%s", r.err);
	rec = member(r.out, "recommended");
	v = number(rec, "visibility");
	cr_assert_float_eq(number(rec, "stop"), 3.2, 1e-12, "%s", r.out);
	cr_assert_lt(v, 6.0, "T3.2 is better than the old T4 (6.35)");
	cr_assert(strstr(r.out, "\"added\": true"), "%s", r.out);
	/* no feasible row is better than the recommendation */
	p = strstr(r.out, "\"stops\": [");
	cr_assert_not_null(p);
	while ((p = strstr(p + 1, "{\"stop\": ")) != NULL) {
		end = strstr(p + 1, "{\"stop\": ");
		if (end == NULL)
			end = p + strlen(p);
		rows++;
		if (strstr(p, "\"feasible\": true") == strstr(p, "\"feasible\": ") &&
		    strstr(p, "\"feasible\": true") < end) {
			double rv = number_in(p, end, "visibility");
			feasible++;
			best = fmin(best, rv);
		}
	}
	cr_assert_eq(rows, 6, "T1.8 T2.8 T3.2 T4 T5.6 T8");
	cr_assert_eq(feasible, 4);
	cr_assert_float_eq(v, best, 1e-12);
	free(rec);
	tu_run_free(&r);
	/* the terminal says the same */
	r = tu_vpmoire(FACE);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "RECOMMENDED  T3.2,"), "%s", r.out);
	cr_assert(strstr(r.out, "T3.2+"), "%s", r.out);
	tu_run_free(&r);
	/* the ZEISS CP.3 35 mm, the face 0.7 m from the camera and 1.3 m from
	 * the foil: was "T4 CAUTION 2.58"; T3.2 holds the face and is safe */
	r = tu_vpmoire("focus --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 --lens "
		       "zeiss-cp3-35 --wall 2m --subject 0.7m --subject-depth 2in --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	rec = member(r.out, "recommended");
	cr_assert_float_eq(number(rec, "stop"), 3.2, 1e-12, "%s", r.out);
	cr_assert_lt(number(rec, "visibility"), 1.0, "%s", rec);
	cr_assert(strstr(rec, "\"risk\": \"safe\""), "%s", rec);
	free(rec);
	tu_run_free(&r);
}

/* An infeasible depth still writes the page (and the table), says so on it,
 * on stdout and on stderr, names the nearest feasible options and exits 3. */
Test(focus_cli, infeasible_depth_writes_the_page_and_exits_3, .timeout = 60)
{
	char cmd[4400], *txt;
	tu_run_t r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 2.5m --subject 1m "
				"--subject-depth 0.6m --stop T2.1 --stop T2.8 -o deep.pdf");

	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "no stop given can hold the subject from 0.700 m to 1.300 m"), "%s",
		  r.err);
	/* T13 is the widest third stop that holds 0.6 m (T11 does not) */
	cr_assert(strstr(r.err, "nearest feasible: T13"), "%s", r.err);
	cr_assert(strstr(r.err, "at T2.8 at most 0.16"), "%s", r.err);
	cr_assert(strstr(r.out, "NOT FEASIBLE"), "%s", r.out);
	cr_assert(strstr(r.out, "at most 0.122 m deep"), "%s", r.out);
	cr_assert(strstr(r.out, "at T13, focus"), "%s", r.out);
	cr_assert(tu_exists(tu_tmp("deep.pdf")));
	tu_run_free(&r);
	if (!tu_have("pdftotext"))
		cr_skip_test("poppler-utils is not installed");
	snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", tu_tmp("deep.pdf"));
	txt = tu_capture(cmd);
	cr_assert(strstr(txt, "THE SUBJECT CANNOT BE HELD"), "%s", txt);
	cr_assert(strstr(txt, "NO STOP GIVEN HOLDS THE SUBJECT"), "%s", txt);
	cr_assert(strstr(txt, "Nearest feasible: T13"), "%s", txt);
	cr_assert(strstr(txt, "NOT HELD at T2.8"), "%s", txt);
	free(txt);

	/* JSON: recommended null, the stop needed and each stop's deepest subject */
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 2.5m --subject 1m "
		       "--subject-depth 0.6m --stop T2.1 --json");
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.out, "\"feasible\": false,\n  \"recommended\": null"), "%s", r.out);
	cr_assert_float_eq(number(r.out, "stop_needed"), 13.0, 1e-12);
	cr_assert_float_eq(number(r.out, "max_depth_m"), 0.122, 0.001);
	tu_run_free(&r);

	/* no stop of the lens at all: the deepest subject at T22 instead
	 * (--max-stop T22: the light allows every stop of the lens) */
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 8ft --subject 3ft "
		       "--subject-depth 3ft --stop T2.1 --units ft --max-stop T22");
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "no stop of the lens holds it: even at T22 a subject at most "
				"2' 8."),
		  "%s", r.err);
	tu_run_free(&r);
	/* the light of the 1500 cd/m2 wall stops it at T19 (ISO 2720 budget) */
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 8ft --subject 3ft "
		       "--subject-depth 3ft --stop T2.1 --units ft");
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "no stop the light allows holds it: even at T19 a subject"),
		  "%s", r.err);
	tu_run_free(&r);
}

/* --units ft: every distance of the focus output and of its errors in feet
 * and inches, on the terminal and on the page. */
Test(focus_cli, units_ft_everywhere, .timeout = 60)
{
	char cmd[4400], *txt;
	tu_run_t r = tu_vpmoire(
		"focus " RIG " --lens zeiss-cp3-28 --wall 2.524m --subject 1m "
		"--subject-depth 10cm --stop T2.1 --stop T2.8 --units ft -o ft.pdf");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "wall 8' 3.4\""), "%s", r.out);
	cr_assert(strstr(r.out, "RECOMMENDED  T2.1, focus 3' "), "%s", r.out);
	cr_assert_null(strstr(r.out, " m "), "a metric distance: %s", r.out);
	tu_run_free(&r);
	if (tu_have("pdftotext")) {
		snprintf(cmd, sizeof cmd, "pdftotext -raw '%s' -", tu_tmp("ft.pdf"));
		txt = tu_capture(cmd);
		cr_assert(strstr(txt, "Focus distance (ft)"), "%s", txt);
		cr_assert(strstr(txt, "subject 3' 1.4\" to 3' 5.3\" from the sensor"), "%s", txt);
		cr_assert(strstr(txt, "wall at 8' 3.4\" (2.524 m)"), "%s", txt);
		cr_assert(strstr(txt, "Recommended: T2.1, focus 3' "), "%s", txt);
		free(txt);
	}
	/* errors that name a distance the user gave */
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 8ft --subject 9ft --units ft");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "the subject (to 9' 0.0\") must be in front of the wall "
				"(8' 0.0\")"),
		  "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-28 --wall 8ft --subject-near 4ft "
		       "--subject-far 3ft --units ft");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--subject-far (3' 0.0\") must not be nearer than "
				"--subject-near (4' 0.0\")"),
		  "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("focus " RIG " --lens zeiss-cp3-85 --wall 8ft --subject 2ft --units ft");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "the subject's centre (2' 0.0\") is closer than the lens can "
				"focus (3' 3.4\")"),
		  "%s", r.err);
	tu_run_free(&r);
}
