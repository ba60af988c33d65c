/* lib/report.c: the reports the commands print, parsed back with jansson
 * and checked against the numbers they were written from (vpm_predict(),
 * the planners) and against hand calculations. */
#include <config.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

/* What a writer wrote to a memory stream (malloc'd, NUL-terminated). */
typedef struct {
	char *buf;
	size_t len;
	FILE *fp;
} mem_t;

static FILE *mem_open(mem_t *m)
{
	memset(m, 0, sizeof *m);
	m->fp = open_memstream(&m->buf, &m->len);
	cr_assert_not_null(m->fp);
	return m->fp;
}

static char *mem_close(mem_t *m)
{
	cr_assert_eq(fclose(m->fp), 0);
	return m->buf;
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);

	cr_assert_not_null(root, "not JSON: %s (line %d): %s", err.text, err.line, text);
	return root;
}

/* The reference micro stage in raw numbers (README, `vpmoire check`):
 * 2.84 mm foil, 5.5 um photosites x 4608, Bayer, no OLPF, 28 mm at T2.8,
 * wall 2.524 m, focus 1 m; the field model. */
static vpm_setup_t stage(void)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 500.0 / 176.0;
	s.emitter_mm = 0.2;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = 2.8;
	s.wall_m = 2.524;
	s.focus_m = 1.0;
	return s;
}

static void expect_number(const json_t *obj, const char *key, double want)
{
	const json_t *v = json_object_get(obj, key);

	cr_assert_not_null(v, "no member %s", key);
	if (!isfinite(want)) {
		cr_assert(json_is_null(v), "%s: expected null for %g", key, want);
		return;
	}
	cr_assert(json_is_number(v), "%s is not a number", key);
	/* "%.10g": ten significant digits */
	cr_assert(fabs(json_number_value(v) - want) <= 1e-9 * fabs(want),
		  "%s: %.12g, expected %.12g", key, json_number_value(v), want);
}

Test(report, json_number_and_string_one_way)
{
	mem_t m;
	FILE *fp = mem_open(&m);
	json_t *root, *a;
	char *text;

	fputc('[', fp);
	vpm_json_number(fp, 2.385);
	fputc(',', fp);
	vpm_json_number(fp, NAN);
	fputc(',', fp);
	vpm_json_number(fp, -INFINITY);
	fputc(',', fp);
	vpm_json_number(fp, -0.0);
	fputc(',', fp);
	vpm_json_number(fp, 1.0 / 3.0);
	fputc(',', fp);
	vpm_json_number(fp, 0.1 + 0.2);
	fputc(',', fp);
	vpm_json_string(fp, "a \"b\" \\ c\n\td\x01 \xc3\xa9");
	fputc(',', fp);
	vpm_json_string(fp, NULL);
	fputc(']', fp);
	text = mem_close(&m);
	/* one way: the shortest of 15 to 17 significant digits that reads back
	 * as the same double (2.385 stays 2.385; 1/3 needs 16, 0.1 + 0.2 17),
	 * null for what JSON cannot hold */
	cr_assert_str_eq(text, "[2.385,null,null,0,0.3333333333333333,0.30000000000000004,"
			       "\"a \\\"b\\\" \\\\ c\\n\\td\\u0001 \xc3\xa9\",null]");
	root = parse(text);
	cr_assert(json_real_value(json_array_get(root, 4)) == 1.0 / 3.0);
	cr_assert(json_real_value(json_array_get(root, 5)) == 0.1 + 0.2);
	a = json_array_get(root, 6);
	cr_assert_str_eq(json_string_value(a), "a \"b\" \\ c\n\td\x01 \xc3\xa9");
	json_decref(root);
	free(text);
}

/* check --json: the contract's fields are the report table's, in its order,
 * with vpm_predict()'s values; the rest is the result, the set-up and the
 * planner's advice. */
Test(report, check_json_is_the_prediction)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = stage();
	vpm_result_t r;
	vpm_plan_t plan;
	vpm_plan_limits_t L = vpm_plan_limits_default();
	vpm_exposure_t ex = vpm_exposure_default();
	vpm_check_report_t info = { "roe-bp2v2", NULL, NULL, 1.0, 19.0, &ex, VPM_UNITS_METRIC };
	json_t *root, *comp, *adv, *setup;
	const char *key;
	json_t *val;
	size_t i = 0;
	mem_t m;
	char *text;

	cr_assert_not_null(ws);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	L.subject.near_m = L.subject.far_m = 1.0;
	L.max_stop = 19.0;
	cr_assert_eq(vpm_plan_advise_within(&s, &L, ws, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_gt(plan.n, 0, "the 2.84 mm foil at T2.8 needs advice");
	cr_assert_eq(vpm_report_check_json(mem_open(&m), &s, &r, &plan, &info), VPM_OK);
	text = mem_close(&m);
	root = parse(text);
	/* the first VPM_REPORT_FIELDS members, in order, are the table's */
	json_object_foreach(root, key, val)
	{
		double num;
		const char *t;

		if (i == VPM_REPORT_FIELDS)
			break;
		cr_assert_str_eq(key, vpm_report_field_name(i), "member %zu", i);
		if (vpm_report_field_value(i, &r, &num, &t))
			cr_assert_str_eq(json_string_value(val), t, "%s", key);
		else
			expect_number(root, key, num);
		i++;
	}
	cr_assert_eq(i, VPM_REPORT_FIELDS);
	/* Nyquist of 5.5 um photosites: 1 / (2 x 0.0055 mm) = 90.909 cy/mm */
	expect_number(root, "nyquist_cy_mm", 1.0 / (2.0 * 0.0055));
	expect_number(root, "visibility", vpm_result_visibility(&r));
	expect_number(root, "f_number", r.f_number);
	expect_number(root, "exposure_max_stop", 19.0);
	cr_assert_str_eq(json_string_value(json_object_get(root, "risk")), vpm_risk_name(r.risk));
	cr_assert(json_is_true(json_object_get(root, "subject_in_dof")));
	setup = json_object_get(root, "setup");
	cr_assert_str_eq(json_string_value(json_object_get(setup, "panel")), "roe-bp2v2");
	cr_assert(json_is_null(json_object_get(setup, "camera")));
	expect_number(setup, "wall_m", 2.524);
	expect_number(setup, "pitch_mm", 500.0 / 176.0);
	comp = json_object_get(root, "components");
	cr_assert_eq(json_array_size(comp), r.n_top);
	for (i = 0; i < r.n_top; i++) {
		json_t *c = json_array_get(comp, i);

		cr_assert_eq(json_integer_value(json_object_get(c, "k")), r.top[i].k);
		cr_assert_eq(json_integer_value(json_object_get(c, "l")), r.top[i].l);
		expect_number(c, "cy_mm", r.top[i].nu_cy_mm);
		expect_number(c, "visibility", r.top[i].visibility);
	}
	adv = json_object_get(root, "advice");
	cr_assert_eq(json_array_size(adv), plan.n);
	for (i = 0; i < plan.n; i++) {
		json_t *a = json_array_get(adv, i);

		expect_number(a, "visibility", plan.advice[i].visibility);
		cr_assert_str_eq(json_string_value(json_object_get(a, "risk")),
				 vpm_risk_name(plan.advice[i].risk));
	}
	json_decref(root);
	free(text);
	vpm_predict_workspace_free(ws);
}

/* check's text: the verdict line from the same numbers. */
Test(report, check_text_leads_with_the_verdict)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = stage();
	vpm_result_t r;
	vpm_plan_t plan;
	vpm_exposure_t ex = vpm_exposure_default();
	vpm_check_report_t info = { NULL, NULL, NULL, 0.0, 19.0, &ex, VPM_UNITS_METRIC };
	char want[200], *text;
	mem_t m;

	memset(&plan, 0, sizeof plan);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(vpm_report_check_text(mem_open(&m), &s, &r, &plan, &info), VPM_OK);
	text = mem_close(&m);
	snprintf(want, sizeof want, "%s  visibility %.2f (moire %.2f, LED grid %.2f;",
		 vpm_risk_label(r.risk), vpm_result_visibility(&r), r.moire_visibility,
		 r.grid_visibility);
	cr_assert(strncmp(text, want, strlen(want)) == 0, "%s", text);
	cr_assert_not_null(strstr(text, "  distances          wall 2.524 m, focus 1.000 m\n"), "%s",
			   text);
	free(text);
	cr_assert_eq(vpm_report_check_text(NULL, &s, &r, &plan, &info), VPM_EINVAL);
	info.exposure = NULL;
	cr_assert_eq(vpm_report_check_text(stdout, &s, &r, &plan, &info), VPM_EINVAL);
	vpm_predict_workspace_free(ws);
}

/* A stream that cannot be written is VPM_EIO, not a silent success. */
Test(report, unwritable_stream_is_an_error)
{
	FILE *fp = fopen("/dev/full", "w");
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = stage();
	vpm_result_t r;
	vpm_plan_t plan;
	vpm_exposure_t ex = vpm_exposure_default();
	vpm_check_report_t info = { NULL, NULL, NULL, 0.0, 19.0, &ex, VPM_UNITS_METRIC };

	if (fp == NULL)
		cr_skip_test("no /dev/full");
	setvbuf(fp, NULL, _IONBF, 0);
	memset(&plan, 0, sizeof plan);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(vpm_report_check_json(fp, &s, &r, &plan, &info), VPM_EIO);
	fclose(fp);
	vpm_predict_workspace_free(ws);
}

/* focus --json: the recommended choice is the planner's, feasible. */
Test(report, focus_json_is_the_plan)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = stage();
	vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
	vpm_subject_t subj = { 0.95, 1.05 };
	vpm_focus_stop_t stop;
	vpm_focus_nearest_t near;
	vpm_focus_report_t rep;
	json_t *root, *rec, *stops;
	mem_t m;
	char *text;

	memset(&stop, 0, sizeof stop);
	memset(&near, 0, sizeof near);
	s.stop = 2.1;
	stop.stop = 2.1;
	cr_assert_eq(vpm_plan_focus_ex(&s, subj, &po, ws, &stop.best, &stop.naive), VPM_OK, "%s",
		     vpm_error_message());
	stop.feasible = 1;
	stop.max_depth_m = NAN;
	near.max_stop = 19.0;
	rep.stops = &stop;
	rep.n = 1;
	rep.recommended = 0;
	rep.nearest = &near;
	rep.subject = subj;
	rep.setup = &s;
	rep.panel = rep.camera = rep.lens = NULL;
	rep.units = VPM_UNITS_METRIC;
	cr_assert_eq(vpm_report_focus_json(mem_open(&m), &rep), VPM_OK);
	text = mem_close(&m);
	root = parse(text);
	cr_assert(json_is_true(json_object_get(root, "feasible")));
	expect_number(root, "subject_near_m", 0.95);
	expect_number(root, "subject_far_m", 1.05);
	rec = json_object_get(root, "recommended");
	expect_number(rec, "focus_m", stop.best.focus_m);
	expect_number(rec, "dof_near_m", stop.best.result.dof_near_m);
	expect_number(rec, "visibility", vpm_result_visibility(&stop.best.result));
	/* the recommended focus holds the subject: near edge of the DOF at or
	 * before 0.95 m, far edge at or beyond 1.05 m */
	cr_assert_leq(stop.best.result.dof_near_m, 0.95 * (1.0 + 1e-9));
	cr_assert_geq(stop.best.result.dof_far_m, 1.05 * (1.0 - 1e-9));
	expect_number(json_object_get(root, "naive"), "focus_m", 1.0);
	stops = json_object_get(root, "stops");
	cr_assert_eq(json_array_size(stops), 1);
	expect_number(json_array_get(stops, 0), "stop", 2.1);
	json_decref(root);
	free(text);
	vpm_predict_workspace_free(ws);
}

/* simulate's measured and predicted blocks: the report table's fields
 * from moire_visibility to risk, with the period in photosites. */
Test(report, simulate_json_uses_the_table)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = stage();
	vpm_fftsim_options_t o = vpm_fftsim_options_default();
	vpm_fftsim_result_t fm;
	vpm_result_t pr;
	vpm_simulate_report_t ri;
	json_t *root, *meas, *pred;
	const char *key;
	json_t *val;
	size_t i, first = VPM_REPORT_FIELDS;
	mem_t m;
	char *text;

	cr_assert_eq(vpm_predict(&s, ws, &pr), VPM_OK);
	memset(&fm, 0, sizeof fm);
	fm.moire_visibility = 2.385;
	fm.moire_modulation = 0.00123;
	fm.moire_beat_cy_mm = 12.5;
	fm.moire_cy_deg = 5.25;
	fm.moire_channel = VPM_CHANNEL_RED;
	fm.grid_channel = VPM_CHANNEL_NONE;
	fm.risk = VPM_RISK_CAUTION;
	memset(&ri, 0, sizeof ri);
	ri.files[0] = "r.png";
	cr_assert_eq(vpm_report_simulate_json(mem_open(&m), &s, &o, &fm, &pr, &ri), VPM_OK);
	text = mem_close(&m);
	root = parse(text);
	meas = json_object_get(root, "measured");
	expect_number(meas, "moire_visibility", 2.385);
	expect_number(meas, "moire_beat_cy_mm", 12.5);
	/* 12.5 cy/mm on 5.5 um photosites: a period of 1/(12.5 x 0.0055) =
	 * 14.545 photosites */
	expect_number(meas, "moire_period_photosites", 1.0 / (12.5 * 0.0055));
	cr_assert_str_eq(json_string_value(json_object_get(meas, "moire_channel")), "red");
	cr_assert(json_is_null(json_object_get(meas, "grid_cy_mm")), "no grid: no frequency");
	cr_assert(json_is_null(json_object_get(meas, "grid_channel")));
	cr_assert_str_eq(json_string_value(json_object_get(meas, "risk")), "caution");
	pred = json_object_get(root, "predicted");
	expect_number(pred, "moire_visibility", pr.moire_visibility);
	expect_number(pred, "grid_visibility", pr.grid_visibility);
	expect_number(pred, "tolerance", 0.0);
	/* the table's names, in its order, from moire_visibility on */
	for (i = 0; i < VPM_REPORT_FIELDS; i++)
		if (strcmp(vpm_report_field_name(i), "moire_visibility") == 0)
			first = i;
	cr_assert_lt(first, VPM_REPORT_FIELDS);
	i = first;
	json_object_foreach(pred, key, val)
	{
		(void)val;
		if (i < VPM_REPORT_FIELDS && strcmp(key, vpm_report_field_name(i)) == 0)
			i++;
	}
	cr_assert_eq(i, VPM_REPORT_FIELDS, "predicted holds the table's fields in order");
	cr_assert_str_eq(json_string_value(
				 json_object_get(json_object_get(root, "files"), "recorded")),
			 "r.png");
	json_decref(root);
	free(text);
	vpm_predict_workspace_free(ws);
}

/* catalog show of a name no catalog holds: VPM_ENOTFOUND, one line. */
Test(report, catalog_show_unknown_name)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	mem_t m;
	char *text;

	cr_assert_not_null(cat);
	cr_assert_eq(vpm_report_catalog_show(mem_open(&m), cat, "zeiss-cp3-29", VPM_UNITS_METRIC),
		     VPM_ENOTFOUND);
	cr_assert_not_null(strstr(vpm_error_message(), "no catalog entry 'zeiss-cp3-29'"), "%s",
			   vpm_error_message());
	cr_assert_null(strchr(vpm_error_message(), '\n'));
	text = mem_close(&m);
	cr_assert_str_eq(text, "", "nothing written");
	free(text);
	vpm_catalog_free(cat);
}

/* The shipped catalogs (models/ of the source tree). */
static vpm_catalog_t *models(void)
{
	char dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();

	cr_assert_not_null(cat);
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	return cat;
}

/* catalog list: a header line, then one line per entry, starting with its
 * name, in the catalog's order. */
Test(report, catalog_list_is_one_line_per_entry)
{
	vpm_catalog_t *cat = models();
	size_t n = vpm_catalog_count(cat, VPM_CATALOG_PANELS), i = 0;
	char *text, *line, *save = NULL;
	mem_t m;

	cr_assert_gt(n, 1);
	cr_assert_eq(vpm_report_catalog_list(mem_open(&m), cat, VPM_CATALOG_PANELS,
					     VPM_UNITS_METRIC),
		     VPM_OK);
	text = mem_close(&m);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		const char *name = i == 0 ? "NAME" : vpm_catalog_panel(cat, i - 1)->name;

		cr_assert_lt(i, n + 1, "more lines than entries");
		cr_assert(strncmp(line, name, strlen(name)) == 0 && line[strlen(name)] == ' ',
			  "line %zu '%s' does not start with '%s'", i, line, name);
	}
	cr_assert_eq(i, n + 1);
	free(text);
	vpm_catalog_free(cat);
}

/* validate: the totals are the table's own rows counted; no observations
 * is an error, not an empty table. */
Test(report, validate_totals_are_the_table)
{
	vpm_catalog_t *cat = models();
	vpm_setup_t base = vpm_setup_default();
	vpm_observations_t obs = { NULL, 0 }, none = { NULL, 0 };
	vpm_validate_summary_t sum;
	char path[4096], *text, *p;
	int agree = 0, rows = 0;
	mem_t m;

	snprintf(path, sizeof path, "%s/datasets/field-observations.csv", tu_srcdir());
	cr_assert_eq(vpm_observations_read(path, cat, &base, &obs), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_report_validate(mem_open(&m), &obs, "cases.csv", 0, NULL, &sum), VPM_OK,
		     "%s", vpm_error_message());
	text = mem_close(&m);
	cr_assert(strncmp(text, "Field observations: cases.csv (", 31) == 0, "%s", text);
	/* the case lines: from the header "case ..." to the first empty line,
	 * each "id kind seen V verdict lenient strict" */
	p = strstr(text, "\ncase ");
	cr_assert_not_null(p);
	p = strchr(p + 1, '\n') + 1;
	while (*p != '\n' && *p != '\0') {
		char id[64], kind[32], seen[16], verdict[16], len[16], strict[16];
		double v;

		cr_assert_eq(sscanf(p, "%63s %31s %15s %lf %15s %15s %15s", id, kind, seen, &v,
				    verdict, len, strict),
			     7, "%s", p);
		agree += strcmp(len, "agree") == 0;
		cr_assert(strcmp(len, "agree") == 0 || strcmp(len, "DISAGREE") == 0, "%s", len);
		rows++;
		p = strchr(p, '\n') + 1;
	}
	cr_assert_eq(sum.n, obs.n);
	cr_assert_eq((size_t)rows, obs.n, "%d case lines for %zu cases", rows, obs.n);
	cr_assert_eq(sum.lenient, agree);
	cr_assert_leq(sum.strict, sum.lenient, "strict agreement implies lenient");
	cr_assert_eq(vpm_report_validate(stdout, &none, "x.csv", 0, NULL, &sum), VPM_EINVAL);
	free(text);
	vpm_observations_free(&obs);
	vpm_catalog_free(cat);
}

/* The focus command's plan as a library call: with no stops given, the
 * lens's widest and the full stops T2.8-T8 within its range (no light
 * limit here), in order; each feasible stop's plan is the planner's own
 * (vpm_plan_focus_ex() called by hand gives the same focus and
 * visibility), and the recommendation is a feasible stop. */
Test(report, focus_plan_stops_is_the_planner_in_order)
{
	vpm_catalog_t *cat = models();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l;
	vpm_setup_t s = vpm_setup_default();
	vpm_subject_t subj = { 0.9, 1.1 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_focus_stop_t plans[VPM_FOCUS_MAX_STOPS];
	vpm_focus_nearest_t near;
	int n = 0, rec = -2, i;

	cr_assert_eq(vpm_catalog_find_panel(cat, "aoto-rm1.5", &p), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &c), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &l), VPM_OK);
	vpm_setup_apply_panel(&s, p);
	vpm_setup_apply_camera(&s, c);
	vpm_setup_apply_lens(&s, l);
	s.stop = l->max_t;
	s.wall_m = 2.524;
	memset(&near, 0, sizeof near);
	near.max_stop = INFINITY;
	cr_assert_eq(vpm_focus_plan_stops(&s, subj, l, NULL, 0, VPM_UNITS_METRIC, ws, plans, &n,
					  &rec, &near),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_geq(n, 5);
	cr_assert_float_eq(plans[0].stop, l->max_t, 0.0);
	for (i = 1; i < n; i++)
		cr_assert_gt(plans[i].stop, plans[i - 1].stop);
	cr_assert(rec >= 0 && rec < n && plans[rec].feasible);
	for (i = 0; i < n; i++) {
		vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
		vpm_focus_choice_t best, naive;
		vpm_setup_t ss = s;

		if (!plans[i].feasible)
			continue;
		ss.stop = plans[i].stop;
		ss.focus_m = 1.0;
		po.close_focus_m = l->close_focus_m;
		cr_assert_eq(vpm_plan_focus_ex(&ss, subj, &po, ws, &best, &naive), VPM_OK);
		cr_assert_float_eq(plans[i].best.focus_m, best.focus_m, 0.0);
		cr_assert_float_eq(vpm_result_visibility(&plans[i].best.result),
				   vpm_result_visibility(&best.result), 0.0);
	}
	/* no stops and no lens: nothing to plan */
	cr_assert_eq(vpm_focus_plan_stops(&s, subj, NULL, NULL, 0, VPM_UNITS_METRIC, ws, plans, &n,
					  &rec, &near),
		     VPM_EINVAL);
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
}

/* The distances of every report: 3 decimals metric, feet and inches to a
 * tenth imperial, "infinity" for an infinite one. */
Test(report, length_in_the_users_units)
{
	char buf[48];

	cr_assert_str_eq(vpm_report_length(2.524, VPM_UNITS_METRIC, buf, sizeof buf), "2.524 m");
	cr_assert_str_eq(vpm_report_length(INFINITY, VPM_UNITS_IMPERIAL, buf, sizeof buf),
			 "infinity");
	/* 1.5243 m = 60.012 in = 5' 0.0" */
	cr_assert_str_eq(vpm_report_length(1.5243, VPM_UNITS_IMPERIAL, buf, sizeof buf),
			 "5' 0.0\"");
}

/* shotlist's terminal line: verdict, set extension with its edges and the
 * notes, then a move's worst point and stretches. */
Test(report, shot_line_is_one_line_per_shot)
{
	vpm_shot_t shot;
	vpm_shot_eval_t e;
	vpm_move_segment_t seg[2] = { { 0.0, 0.376, VPM_RISK_SAFE },
				      { 0.376, 1.0, VPM_RISK_RISKY } };
	char want[256];
	mem_t m;

	memset(&shot, 0, sizeof shot);
	memset(&e, 0, sizeof e);
	snprintf(shot.id, sizeof shot.id, "12A");
	e.verdict.has_led = 1;
	e.verdict.result.risk = VPM_RISK_CAUTION;
	e.verdict.result.moire_visibility = 0.6173;
	e.verdict.result.grid_visibility = 0.2381;
	e.coverage.extension_share = 0.261;
	e.coverage.edge_share[0] = 0.124;
	e.coverage.edge_share[1] = 0.137;
	e.subject_in_dof = 0;
	e.subject_sharp = 0;
	cr_assert_eq(vpm_report_shot_line(mem_open(&m), &shot, &e), VPM_OK);
	snprintf(want, sizeof want,
		 "12A      CAUTION  V %6.2f  set extension  26 %% (L R)  subject outside DOF\n",
		 vpm_result_visibility(&e.verdict.result));
	cr_assert_str_eq(mem_close(&m), want);
	free(m.buf);

	/* no LED in frame, subject soft, a move with two stretches and a
	 * second subject going soft */
	e.verdict.has_led = 0;
	memset(&e.verdict.result, 0, sizeof e.verdict.result);
	memset(&e.coverage, 0, sizeof e.coverage);
	e.subject_in_dof = 1;
	e.move.active = 1;
	e.move.worst.t = 0.8125;
	e.move.n_segments = 2;
	memcpy(e.move.segments, seg, sizeof seg);
	e.move.subject2_soft_t0 = 0.5;
	e.move.subject2_soft_t1 = 1.0;
	cr_assert_eq(vpm_report_shot_line(mem_open(&m), &shot, &e), VPM_OK);
	cr_assert_str_eq(
		mem_close(&m),
		"12A      NO LED   V   0.00  set extension   0 %  subject soft: focus nearer "
		"than the lens's close focus  move: worst at t 0.81; t 0.00-0.38 SAFE, "
		"0.38-1.00 RISKY; second subject outside DOF t 0.50-1.00\n");
	free(m.buf);

	cr_assert_eq(vpm_report_shot_line(NULL, &shot, &e), VPM_EINVAL);
}

/* validate's pass rule: five in six lenient agreements by default, and no
 * observed moiré judged SAFE, whatever the agreement. */
Test(report, validate_pass_rule)
{
	vpm_validate_summary_t s = { 24, 20, 15, 0 };

	cr_assert_float_eq(VPM_VALIDATE_MIN_AGREEMENT, 5.0 / 6.0, 1e-15);
	/* 20 of 24 is exactly five in six: passes */
	cr_assert_eq(vpm_validate_passed(&s, VPM_VALIDATE_MIN_AGREEMENT), VPM_OK);
	s.lenient = 19;
	cr_assert_eq(vpm_validate_passed(&s, VPM_VALIDATE_MIN_AGREEMENT), VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(),
			 "agreement below the threshold: lenient 19/24 (need 83%), "
			 "observed moire judged SAFE 0 (need 0)");
	cr_assert_eq(vpm_validate_passed(&s, 0.75), VPM_OK);
	s.lenient = 24, s.missed = 1;
	cr_assert_eq(vpm_validate_passed(&s, 0.0), VPM_ERANGE);
	cr_assert_eq(vpm_validate_passed(NULL, 0.5), VPM_EINVAL);
}
