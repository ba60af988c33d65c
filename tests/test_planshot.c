/* vpm_plan_shot(): one set-up judged as `vpmoire check` judges it (the
 * verdict, a move's worst point, the advice) equals what check --json
 * reports, and a shot of a shotlist gets the same verdict and advice from
 * it as check gives its set-up. */
#include <config.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

#define LENS "zeiss-cp3-28"
#define CAMERA "bmd-ursa-mini-pro-4.6k-g2"

static vpm_catalog_t *cat;

static void setup_suite(void)
{
	char dir[4096];

	cat = vpm_catalog_alloc();
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
}

static void teardown_suite(void)
{
	vpm_catalog_free(cat);
	tu_cleanup_tmpdir();
}

TestSuite(planshot, .init = setup_suite, .fini = teardown_suite);

/* The set-up and options check builds for PANEL, CAMERA, LENS at `stop`,
 * the wall at wall_m and focus on a subject at subject_m. */
static vpm_setup_t check_setup(const char *panel_name, double stop, double wall_m, double subject_m,
			       vpm_plan_shot_options_t *po)
{
	const vpm_panel_t *panel;
	const vpm_camera_t *camera;
	const vpm_lens_t *lens;
	vpm_setup_t d = vpm_setup_default(), s;
	vpm_exposure_t e = vpm_exposure_default();

	cr_assert_eq(vpm_catalog_find_panel(cat, panel_name, &panel), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, CAMERA, &camera), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, LENS, &lens), VPM_OK);
	d.stop = stop;
	vpm_setup_from_catalog(&d, VPM_RAW_STOP, panel, camera, lens, &s, NULL);
	s.wall_m = wall_m;
	s.focus_m = subject_m;
	*po = vpm_plan_shot_options_default();
	po->subject_m = subject_m;
	po->advise = 1;
	po->catalog = cat;
	po->lens = lens;
	po->try_delivery = 1;
	e.wall_nits = panel->brightness_nits;
	cr_assert_eq(vpm_exposure_max_stop(&e, &po->max_stop), VPM_OK);
	return s;
}

static json_t *check_json(const char *args)
{
	char cmd[1024];
	tu_run_t r;
	json_t *j;
	json_error_t err;

	snprintf(cmd, sizeof cmd, "check --camera " CAMERA " --lens " LENS " %s --json", args);
	r = tu_vpmoire(cmd);
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, &err);
	cr_assert_not_null(j, "%s: %s", err.text, r.out);
	tu_run_free(&r);
	return j;
}

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	cr_assert(json_is_number(v), "no number %s", key);
	return json_number_value(v);
}

/* The same numbers (the JSON prints %.17g, so they round-trip). */
static void same(double lib, double cli, const char *what)
{
	cr_assert(lib == cli || fabs(lib - cli) <= 1e-15 * fabs(cli), "%s: %.17g != %.17g", what,
		  lib, cli);
}

static const char *risk_name(vpm_risk_t r)
{
	return r == VPM_RISK_SAFE ? "safe" : r == VPM_RISK_CAUTION ? "caution" : "risky";
}

/* The advice as check --json lists it. */
static void same_advice(const vpm_plan_t *plan, const json_t *j)
{
	const json_t *adv = json_object_get(j, "advice");
	size_t i;

	cr_assert_eq(json_array_size(adv), plan->n);
	for (i = 0; i < plan->n; i++) {
		const json_t *a = json_array_get(adv, i);

		same(plan->advice[i].stop, num(a, "stop"), "advice stop");
		same(plan->advice[i].focus_m, num(a, "focus_m"), "advice focus");
		same(plan->advice[i].wall_m, num(a, "wall_m"), "advice wall");
		same(plan->advice[i].visibility, num(a, "visibility"), "advice visibility");
		cr_assert_str_eq(risk_name(plan->advice[i].risk),
				 json_string_value(json_object_get(a, "risk")));
	}
}

/* The reference micro stage (SPEC): SAFE at T2.8, no advice, numbers as
 * check --json prints them. */
Test(planshot, reference_micro_stage_is_checks)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("aoto-rm1.5", 2.8, 2.524, 1.0, &po);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_shot_t p;
	json_t *j = check_json("--panel aoto-rm1.5 --stop T2.8 --wall 2.524m --subject 1m");

	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(p.moving, 0);
	cr_assert_eq(p.result.risk, VPM_RISK_SAFE);
	cr_assert_str_eq(json_string_value(json_object_get(j, "risk")), "safe");
	same(vpm_result_visibility(&p.result), num(j, "visibility"), "visibility");
	cr_assert_float_eq(vpm_result_visibility(&p.result), 0.028371216557851506, 1e-9);
	same(p.result.moire_visibility, num(j, "moire_visibility"), "moire");
	same(p.result.grid_visibility, num(j, "grid_visibility"), "grid");
	same(p.result.dof_near_m, num(j, "dof_near_m"), "dof near");
	same(p.result.dof_far_m, num(j, "dof_far_m"), "dof far");
	cr_assert_eq(p.plan.n, 0);
	cr_assert_eq(json_array_size(json_object_get(j, "advice")), 0);
	cr_assert_float_eq(p.subject_m, 1.0, 0.0);
	vpm_plan_shot_free(&p);
	json_decref(j);
	vpm_predict_workspace_free(ws);
}

/* A RISKY set-up: the advice is check's, piece by piece. */
Test(planshot, risky_advice_is_checks)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("roe-bp2v2", 2.8, 2.524, 1.0, &po);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_shot_t p;
	json_t *j = check_json("--panel roe-bp2v2 --stop T2.8 --wall 2.524m --subject 1m");

	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(p.result.risk, VPM_RISK_RISKY);
	same(vpm_result_visibility(&p.result), num(j, "visibility"), "visibility");
	cr_assert_float_eq(vpm_result_visibility(&p.result), 3.007271836779129, 1e-9);
	cr_assert_eq(p.plan.n, 5);
	cr_assert_eq(p.plan.advice[0].kind, VPM_ADVICE_STOP);
	cr_assert_float_eq(p.plan.advice[0].stop, 2.2, 1e-12);
	cr_assert_eq(p.plan.advice[0].risk, VPM_RISK_SAFE);
	same_advice(&p.plan, j);
	vpm_plan_shot_free(&p);
	/* no advice asked: none given, the verdict the same */
	po.advise = 0;
	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK);
	cr_assert_eq(p.plan.n, 0);
	same(vpm_result_visibility(&p.result), num(j, "visibility"), "visibility");
	vpm_plan_shot_free(&p);
	json_decref(j);
	vpm_predict_workspace_free(ws);
}

/* A push-in from 5 m to 3 m past a subject 1 m before the wall: the worst
 * point decides, with check's numbers and advice. */
Test(planshot, move_worst_point_is_checks)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("aoto-rm1.5", 2.8, 5.0, 4.0, &po);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_shot_t p;
	json_t *j = check_json(
		"--panel aoto-rm1.5 --stop T2.8 --wall 5m --subject 4m --wall-to 3m");
	const json_t *mv = json_object_get(j, "move"), *w = json_object_get(mv, "worst");
	const json_t *setup = json_object_get(j, "setup");

	po.moving = 1;
	po.ends.wall_to_m = 3.0;
	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(p.moving, 1);
	cr_assert_eq(p.result.risk, VPM_RISK_RISKY);
	same(p.move_result.worst.t, num(w, "t"), "worst t");
	cr_assert_float_eq(p.move_result.worst.t, 0.6313081151040913, 1e-9);
	/* the decided point is the worst one */
	same(p.setup.wall_m, num(setup, "wall_m"), "wall");
	same(p.setup.focus_m, num(setup, "focus_m"), "focus");
	same(p.subject_m, num(setup, "subject_m"), "subject");
	cr_assert_float_eq(p.setup.wall_m, 3.7373837697918173, 1e-9);
	same(vpm_result_visibility(&p.result), num(j, "visibility"), "visibility");
	same(vpm_result_visibility(&p.result), p.move_result.worst.visibility, "worst visibility");
	same_advice(&p.plan, j);
	cr_assert_eq(p.plan.n, 4);
	vpm_plan_shot_free(&p);
	json_decref(j);

	/* a move that cannot be shot: the camera passes the subject */
	po.ends.wall_to_m = 0.5;
	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "passes the subject") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_plan_shot(NULL, &po, ws, &p), VPM_EINVAL);
	vpm_plan_shot_free(NULL);
	vpm_predict_workspace_free(ws);
}

/* A start verdict the caller has (a shot's): the move's worst point decides
 * only when it is worse. */
Test(planshot, start_verdict_kept_unless_worse)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("aoto-rm1.5", 2.8, 5.0, 4.0, &po);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_shot_t p;
	vpm_result_t start;

	cr_assert_eq(vpm_predict(&s, ws, &start), VPM_OK);
	start.grid_visibility = start.moire_visibility = 1e3; /* worse than any point */
	po.start = &start;
	po.moving = 1;
	po.advise = 0;
	po.ends.wall_to_m = 3.0;
	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(p.moving, 1);
	cr_assert_float_eq(p.setup.wall_m, 5.0, 0.0);
	cr_assert_float_eq(p.subject_m, 4.0, 0.0);
	cr_assert_float_eq(p.result.grid_visibility, 1e3, 0.0);
	vpm_plan_shot_free(&p);
	vpm_predict_workspace_free(ws);
}

/* A shot square to a flat wall, the camera on the wall's centre line, sees
 * one wall distance: its verdict and its stop and focus advice are check's
 * for that set-up. */
Test(planshot, shotlist_and_check_agree)
{
	static const char csv[] =
		"shot,camera,lens,stop,camera distance,camera offset,camera height,subject distance,"
		"subject offset,subject height,focus\n"
		"1," CAMERA "," LENS ",T2.8,2.5m,0,1.2m,1.5m,0,1.28m,subject\n";
	char path[4096];
	vpm_stage_desc_t d;
	const vpm_panel_t *panel;
	vpm_stage_t st;
	vpm_shotlist_options_t so = vpm_shotlist_options_default();
	vpm_shot_options_t opt = vpm_shot_options_default();
	vpm_exposure_t e = vpm_exposure_default();
	vpm_setup_t def = vpm_setup_default();
	vpm_shotlist_t *sl;
	vpm_shot_eval_t ev;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_shot_options_t po = vpm_plan_shot_options_default();
	vpm_plan_shot_t p;
	size_t i, k, compared = 0;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	vpm_stage_desc_set(&d, VPM_STAGE_PANEL, "roe-bp2v2", NULL, 0, 0);
	cr_assert_eq(vpm_stage_desc_find_panel(&d, cat, &panel), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_build(&d, panel, &st), VPM_OK, "%s", vpm_error_message());
	so.catalog = cat;
	cr_assert_eq(vpm_shotlist_parse("shots.csv", csv, sizeof csv - 1, &so, &sl), VPM_OK, "%s",
		     vpm_error_message());
	e.wall_nits = panel->brightness_nits;
	cr_assert_eq(vpm_exposure_max_stop(&e, &opt.max_stop), VPM_OK);
	opt.catalog = cat;
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[0], &st, &def, &opt, ws, &ev, NULL), VPM_OK,
		     "%s", vpm_error_message());
	cr_assert(ev.verdict.has_led);
	cr_assert_eq(ev.verdict.evaluated, 1, "one wall distance in frame");
	cr_assert_neq(ev.verdict.result.risk, VPM_RISK_SAFE, "a shot that needs advice");

	/* check's pipeline on the shot's set-up */
	po.subject_m = ev.subject_depth_m;
	po.advise = 1;
	po.catalog = cat;
	po.lens = sl->shot[0].lens;
	po.max_stop = opt.max_stop;
	po.try_delivery = 1;
	cr_assert_eq(vpm_plan_shot(&ev.verdict.setup, &po, ws, &p), VPM_OK, "%s",
		     vpm_error_message());
	same(vpm_result_visibility(&p.result), vpm_result_visibility(&ev.verdict.result),
	     "verdict");
	cr_assert_eq(p.result.risk, ev.verdict.result.risk);
	cr_assert_gt(ev.plan.n, 0);
	for (i = 0; i < ev.plan.n; i++) {
		const vpm_advice_t *a = &ev.plan.advice[i];

		if (a->kind != VPM_ADVICE_STOP && a->kind != VPM_ADVICE_FOCUS)
			continue; /* the stage bounds the camera's moves; check's room does not */
		for (k = 0; k < p.plan.n && p.plan.advice[k].kind != a->kind; k++)
			;
		cr_assert_lt(k, p.plan.n, "check has no advice of kind %d", (int)a->kind);
		same(a->stop, p.plan.advice[k].stop, "stop");
		same(a->focus_m, p.plan.advice[k].focus_m, "focus");
		same(a->visibility, p.plan.advice[k].visibility, "visibility");
		cr_assert_eq(a->risk, p.plan.advice[k].risk);
		compared++;
	}
	cr_assert_gt(compared, 0);
	vpm_plan_shot_free(&p);
	vpm_shotlist_free(sl);
	vpm_predict_workspace_free(ws);
}

/* check's report of a judged set-up: the still report, byte for byte. */
Test(planshot, report_check_plan_writes_the_still_report)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("aoto-rm1.5", 2.8, 2.524, 1.0, &po);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_exposure_t e = vpm_exposure_default();
	vpm_check_report_t info = { "aoto-rm1.5", CAMERA, LENS, 0.0, 0.0, &e, VPM_UNITS_METRIC };
	vpm_plan_shot_t p;
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	FILE *fa = open_memstream(&a, &na), *fb = open_memstream(&b, &nb);

	cr_assert_eq(vpm_plan_shot(&s, &po, ws, &p), VPM_OK, "%s", vpm_error_message());
	info.max_stop = po.max_stop;
	cr_assert_eq(vpm_report_check_plan(fa, &p, &info, 0), VPM_OK);
	info.subject_m = 1.0; /* the writer takes it from p */
	cr_assert_eq(vpm_report_check_text(fb, &p.setup, &p.result, &p.plan, &info), VPM_OK);
	fclose(fa);
	fclose(fb);
	cr_assert_gt(na, 100);
	cr_assert_str_eq(a, b);
	cr_assert(strncmp(a, "SAFE", 4) == 0, "%s", a);
	cr_assert_eq(vpm_report_check_plan(stdout, NULL, &info, 1), VPM_EINVAL);
	free(a);
	free(b);
	vpm_plan_shot_free(&p);
	vpm_predict_workspace_free(ws);
}

/* The focus command's subject and what its plan needs. */
Test(planshot, focus_subject_and_plan_check)
{
	vpm_plan_shot_options_t po;
	vpm_setup_t s = check_setup("aoto-rm1.5", 2.8, 2.524, 1.0, &po);
	const vpm_lens_t *lens = po.lens;
	vpm_subject_t subj;
	double stops[2] = { 2.8, 40.0 };

	cr_assert_eq(vpm_focus_subject(1.0, 0.3, 0.0, 0.0, 2.524, VPM_UNITS_METRIC, &subj), VPM_OK);
	cr_assert_float_eq(subj.near_m, 0.85, 1e-15);
	cr_assert_float_eq(subj.far_m, 1.15, 1e-15);
	/* near and far win over a centre */
	cr_assert_eq(vpm_focus_subject(1.0, 0.3, 0.8, 1.2, 2.524, VPM_UNITS_METRIC, &subj), VPM_OK);
	cr_assert_float_eq(subj.near_m, 0.8, 0.0);
	cr_assert_float_eq(subj.far_m, 1.2, 0.0);
	cr_assert_eq(vpm_focus_subject(0.0, 0.0, 1.2, 0.8, 2.524, VPM_UNITS_METRIC, &subj),
		     VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(),
			 "--subject-far (0.800 m) must not be nearer than --subject-near (1.200 m)");
	cr_assert_eq(vpm_focus_subject(1.0, 2.0, 0.0, 0.0, 2.524, VPM_UNITS_METRIC, &subj),
		     VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(), "--subject-depth: 2.000 m reaches behind the camera");
	cr_assert_eq(vpm_focus_subject(3.0, 0.0, 0.0, 0.0, 2.524, VPM_UNITS_METRIC, &subj),
		     VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(),
			 "the subject (to 3.000 m) must be in front of the wall (2.524 m)");
	cr_assert_eq(vpm_focus_subject(0.0, 0.0, 0.0, 0.0, 2.524, VPM_UNITS_METRIC, &subj),
		     VPM_EINVAL);

	subj.near_m = 0.85;
	subj.far_m = 1.15;
	cr_assert_eq(vpm_focus_plan_check(&s, subj, lens, stops, 1, VPM_UNITS_METRIC), VPM_OK);
	cr_assert_eq(vpm_focus_plan_check(&s, subj, lens, NULL, 0, VPM_UNITS_METRIC), VPM_OK);
	cr_assert_eq(vpm_focus_plan_check(&s, subj, NULL, NULL, 0, VPM_UNITS_METRIC), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "--stop is required with --focal (e.g. --stop T2.8)");
	cr_assert_eq(vpm_focus_plan_check(&s, subj, lens, stops, 2, VPM_UNITS_METRIC), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "has no T40") != NULL, "%s", vpm_error_message());
	/* the CP.3 28 focuses to 0.24 m */
	subj.near_m = subj.far_m = 0.2;
	cr_assert_eq(vpm_focus_plan_check(&s, subj, lens, stops, 1, VPM_UNITS_METRIC), VPM_ERANGE);
	cr_assert_str_eq(
		vpm_error_message(),
		"the subject's centre (0.200 m) is closer than the lens can focus (0.240 m)");
}

/* The shotlist's own rules: --camera must be the catalog's, and a list with
 * no shot left says so. */
Test(planshot, shotlist_default_camera_and_no_shots)
{
	static const char head[] = "shot,camera,lens,stop,camera distance,subject distance,focus\n";
	static const char bad[] = "shot,camera,lens,stop,camera distance,subject distance,focus\n"
				  "1," CAMERA ",28,2.8,2.5m,2.6m,subject\n";
	vpm_shotlist_options_t so = vpm_shotlist_options_default();
	vpm_shot_options_t opt = vpm_shot_options_default();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shotlist_t *sl;
	vpm_shot_eval_t ev[2];
	vpm_stage_desc_t d;
	vpm_stage_t st;
	const vpm_panel_t *panel;
	char path[4096];
	size_t n = 9;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_desc_find_panel(&d, cat, &panel), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, panel, &st), VPM_OK);
	so.catalog = cat;
	so.default_camera = "nope";
	cr_assert_eq(vpm_shotlist_parse("shots.csv", head, sizeof head - 1, &so, &sl),
		     VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "--camera: ", 10) == 0, "%s", vpm_error_message());
	cr_assert_null(sl);
	so.default_camera = CAMERA;
	cr_assert_eq(vpm_shotlist_parse("shots.csv", head, sizeof head - 1, &so, &sl), VPM_OK);
	cr_assert_eq(vpm_shotlist_evaluate_all(sl, &st, &def, &opt, 0, ws, ev, &n), VPM_EPARSE);
	cr_assert_eq(n, 0);
	cr_assert_str_eq(vpm_error_message(),
			 "shots.csv: no shots: the file has a header but no rows");
	vpm_shotlist_free(sl);
	cr_assert_eq(vpm_shotlist_parse("shots.csv", bad, sizeof bad - 1, &so, &sl), VPM_OK);
	cr_assert_eq(vpm_shotlist_evaluate_all(sl, &st, &def, &opt, 1, ws, ev, &n), VPM_EPARSE);
	cr_assert_eq(n, 0);
	cr_assert_eq(sl->n_rejected, 1);
	cr_assert_str_eq(vpm_error_message(), "shots.csv: no shot could be rendered");
	vpm_shotlist_free(sl);
	vpm_predict_workspace_free(ws);
}
