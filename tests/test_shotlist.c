/* Shotlists: the example dataset, header aliases and units, every kind of
 * bad cell ("FILE:LINE:COL: column: ..."), ordering, and a shot evaluated
 * on the reference micro stage against a direct vpm_predict. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"

static vpm_catalog_t *cat;

static void load_catalog(void)
{
	char dir[4096];

	cat = vpm_catalog_alloc();
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
}

static void free_catalog(void)
{
	vpm_catalog_free(cat);
}

TestSuite(shotlist, .init = load_catalog, .fini = free_catalog);

static vpm_status_t parse(const char *text, int keep_going, vpm_shotlist_t **sl)
{
	vpm_shotlist_options_t o = vpm_shotlist_options_default();

	o.catalog = cat;
	o.keep_going = keep_going;
	return vpm_shotlist_parse("shots.csv", text, strlen(text), &o, sl);
}

#define HEAD "shot,camera,lens,stop,camera distance,subject distance,focus\n"
#define CAM "bmd-ursa-mini-pro-4.6k-g2"
#define HEAD_SCAN \
	"shot,camera,lens,stop,camera distance,subject distance,focus,fps,shutter,readout\n"

/* A strict parse of `text` fails with a message starting with `prefix`. */
static void bad(const char *text, vpm_status_t want, const char *prefix, const char *word)
{
	vpm_shotlist_t *sl = NULL;
	vpm_status_t st = parse(text, 0, &sl);

	cr_assert_eq(st, want, "gave %d: %s\n%s", st, vpm_error_message(), text);
	cr_assert_null(sl);
	cr_assert(strncmp(vpm_error_message(), prefix, strlen(prefix)) == 0,
		  "message '%s' does not start with '%s'", vpm_error_message(), prefix);
	if (word)
		cr_assert(strstr(vpm_error_message(), word) != NULL, "'%s' lacks '%s'",
			  vpm_error_message(), word);
}

Test(shotlist, example_dataset)
{
	char path[4096];
	vpm_shotlist_options_t o = vpm_shotlist_options_default();
	vpm_shotlist_t *sl;
	const vpm_shot_t *s;
	size_t i;

	snprintf(path, sizeof path, "%s/datasets/shotlist-example.csv", tu_srcdir());
	o.catalog = cat;
	cr_assert_eq(vpm_shotlist_read(path, &o, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_geq(sl->n, 12);
	cr_assert_eq(sl->n_rejected, 0);
	vpm_shotlist_sort(sl);
	for (i = 1; i < sl->n; i++)
		cr_assert_lt(vpm_shot_id_compare(sl->shot[i - 1].id, sl->shot[i].id), 0);
	/* 1D: "9ft 10in" from the wall, a seated guest, the Scene column kept */
	for (i = 0; i < sl->n && strcmp(sl->shot[i].id, "1D") != 0; i++)
		;
	cr_assert_lt(i, sl->n);
	s = &sl->shot[i];
	cr_assert_float_eq(s->cam_distance_m, 9 * 0.3048 + 10 * 0.0254, 1e-12);
	cr_assert_str_eq(s->camera->name, CAM);
	cr_assert_str_eq(s->lens->name, "zeiss-cp3-21");
	cr_assert_float_eq(s->stop, 4.0, 1e-12);
	cr_assert_eq(s->pose, VPM_POSE_SEATED);
	cr_assert_eq(s->focus_mode, VPM_FOCUS_SUBJECT);
	cr_assert_eq(s->delivery_px, 3840);
	cr_assert_str_eq(s->size, "2S");
	cr_assert_str_eq(s->extra, "Scene: Interview");
	cr_assert(strstr(s->notes, "Chairs") != NULL);
	cr_assert_str_eq(sl->header[VPM_SHOT_CAM_DISTANCE], "Camera distance");
	vpm_shotlist_free(sl);
}

Test(shotlist, aliases_units_and_order)
{
	vpm_shotlist_t *sl;
	const char *csv = "\xEF\xBB\xBF"
			  "Shot #,Camera body,Focal length,T-stop,Camera to wall (ft),"
			  "Subject to wall [m],Focus distance,Rec,Dutch,Take\r\n"
			  "10," CAM ",50,2.8,8,1.5,subject,3840x2160,5,3\r\n"
			  "2," CAM ",\"CP.3 35mm\",T2.8,8.5,1.5,back-of-dof,UHD,,\r\n"
			  ",,,,,,,,,\r\n"
			  "10A," CAM ",zeiss-cp3-28,f/4,2.6m,,inf,HD,,\r\n";

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, 3);
	vpm_shotlist_sort(sl);
	cr_assert_str_eq(sl->shot[0].id, "2");
	cr_assert_str_eq(sl->shot[1].id, "10");
	cr_assert_str_eq(sl->shot[2].id, "10A");
	/* bare numbers in a column headed (ft) are feet */
	cr_assert_float_eq(sl->shot[1].cam_distance_m, 8 * 0.3048, 1e-12);
	cr_assert_float_eq(sl->shot[1].subject_distance_m, 1.5, 1e-12);
	/* a bare focal length is an ideal lens */
	cr_assert_null(sl->shot[1].lens);
	cr_assert_float_eq(sl->shot[1].focal_mm, 50.0, 1e-9);
	cr_assert_eq(sl->shot[1].recording_px, 3840);
	cr_assert_float_eq(sl->shot[1].roll_deg, 5.0, 1e-12);
	cr_assert_str_eq(sl->shot[1].extra, "Take: 3");
	cr_assert_str_eq(sl->shot[0].lens->name, "zeiss-cp3-35");
	cr_assert_eq(sl->shot[0].focus_mode, VPM_FOCUS_BACK_OF_DOF);
	cr_assert_eq(sl->shot[0].recording_px, 3840);
	/* a unit in the cell wins over the header's */
	cr_assert_float_eq(sl->shot[2].cam_distance_m, 2.6, 1e-12);
	cr_assert(isinf(sl->shot[2].focus_m));
	cr_assert_float_eq(sl->shot[2].stop, 4.0, 1e-12);
	cr_assert_eq(sl->shot[2].recording_px, 1920);
	cr_assert_eq(sl->shot[2].has_subject, 0);
	cr_assert_eq(sl->shot[2].line, 5);
	vpm_shotlist_free(sl);
}

Test(shotlist, lens_set_maps_focal_lengths)
{
	vpm_shotlist_options_t o = vpm_shotlist_options_default();
	vpm_shotlist_t *sl;
	const char *csv = HEAD "1," CAM ",50mm,2.8,2.5,1.5,subject\n";

	o.catalog = cat;
	o.lens_set = "ZEISS CP.3";
	cr_assert_eq(vpm_shotlist_parse("s.csv", csv, strlen(csv), &o, &sl), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_str_eq(sl->shot[0].lens->name, "zeiss-cp3-50");
	vpm_shotlist_free(sl);
	csv = HEAD "1," CAM ",60mm,2.8,2.5,1.5,subject\n";
	cr_assert_eq(vpm_shotlist_parse("s.csv", csv, strlen(csv), &o, &sl), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "s.csv:2:", 8) == 0, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "has no 60 mm lens") != NULL);
}

Test(shotlist, bad_cells_name_line_and_column)
{
	/* missing cell: an empty stop, and a row cut short */
	bad(HEAD "1," CAM ",zeiss-cp3-28,,2.5m,1.5m,subject\n", VPM_EPARSE,
	    "shots.csv:2:42: stop: missing stop", NULL);
	bad(HEAD "1," CAM ",zeiss-cp3-28,2.8\n", VPM_EPARSE,
	    "shots.csv:2:46: camera distance: missing camera distance", NULL);
	/* malformed unit */
	bad(HEAD "1," CAM ",zeiss-cp3-28,2.8,2.5 parsecs,1.5m,subject\n", VPM_EPARSE,
	    "shots.csv:2:46: camera distance: ", "2.5 parsecs");
	/* unknown lens, with suggestions */
	bad(HEAD "1," CAM ",zeiss-cp3-29,2.8,2.5m,1.5m,subject\n", VPM_ENOTFOUND,
	    "shots.csv:2:29: lens: ", "did you mean");
	bad(HEAD "1,ursa-mini-pro-7k,zeiss-cp3-28,2.8,2.5m,1.5m,subject\n", VPM_ENOTFOUND,
	    "shots.csv:2:3: camera: ", "did you mean");
	/* values out of their range */
	bad(HEAD "1," CAM ",zeiss-cp3-28,T1.4,2.5m,1.5m,subject\n", VPM_ERANGE,
	    "shots.csv:2:42: stop: T1.4 is wider than the zeiss-cp3-28 opens (T2.1)", NULL);
	bad(HEAD "1," CAM ",zeiss-cp3-28,2.8,2.5m,1.5m,sharp\n", VPM_EPARSE,
	    "shots.csv:2:56: focus: ", "'subject' or 'back-of-dof'");
	bad(HEAD "1," CAM ",zeiss-cp3-28,2.8,2.5m,,subject\n", VPM_EPARSE,
	    "shots.csv:2:52: focus: 'subject' needs a subject distance", NULL);
	bad(HEAD "1," CAM ",zeiss-cp3-28,2.8,2.5m,,\n", VPM_EPARSE,
	    "shots.csv:2:52: focus: missing focus", NULL);
	bad("shot,camera,lens,stop,camera distance,pan\n1," CAM ",28,2.8,2.5,200\n", VPM_ERANGE,
	    "shots.csv:2:40: pan: 200 degrees", NULL);
	bad("shot,camera,lens,stop,camera distance,pose,subject distance\n"
	    "1," CAM ",28,2.8,2.5,kneeling,1\n",
	    VPM_EPARSE, "shots.csv:2:40: pose: 'kneeling': expected standing or seated", NULL);
	bad("shot,camera,lens,stop,camera distance,delivery,focus\n1," CAM ",28,2.8,2.5,wide,2\n",
	    VPM_EPARSE, "shots.csv:2:40: delivery: 'wide'", NULL);
	/* missing id, duplicate id, a cell beyond the header */
	bad(HEAD "," CAM ",zeiss-cp3-28,2.8,2.5m,1.5m,subject\n", VPM_EPARSE,
	    "shots.csv:2:1: shot: missing shot id", NULL);
	bad(HEAD "7," CAM ",28,2.8,2.5m,1.5m,subject\n7," CAM ",28,2.8,2.5m,1.5m,subject\n",
	    VPM_EPARSE, "shots.csv:3:1: shot: shot '7' is already on line 2", NULL);
	bad(HEAD "1," CAM ",28,2.8,2.5m,1.5m,subject,oops\n", VPM_EPARSE,
	    "shots.csv:2:54: row: 8 cells but the header has 7 columns", NULL);
}

Test(shotlist, header_problems)
{
	/* two columns with the same meaning */
	bad("shot,camera,lens,stop,camera distance,focus,Focus distance\n", VPM_EPARSE,
	    "shots.csv:1:45: Focus distance: this column and column 39 ('focus') both give the "
	    "focus",
	    NULL);
	/* two unknown columns of the same name */
	bad("shot,camera,lens,stop,camera distance,Take,take\n", VPM_EPARSE,
	    "shots.csv:1:44: take: duplicate column header (also column 39)", NULL);
	/* a required column missing */
	bad("shot,camera,lens,camera distance\n", VPM_EPARSE, "shots.csv:1:1: no stop column",
	    "'t stop'");
	bad("shot,lens,stop,camera distance\n", VPM_EPARSE, "shots.csv:1:1: no camera column",
	    "--camera");
	bad("", VPM_EPARSE, "shots.csv:1:1: empty shotlist", NULL);
}

Test(shotlist, keep_going_lists_the_rejected_rows)
{
	vpm_shotlist_t *sl;
	const char *csv = HEAD "1," CAM ",28,2.8,2.5m,1.5m,subject\n"
			       "2," CAM ",28,,2.5m,1.5m,subject\n"
			       "3," CAM ",28,2.8,2.5 m m,1.5m,subject\n"
			       "4," CAM ",28,2.8,2.5m,1.5m,subject\n";

	cr_assert_eq(parse(csv, 1, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, 2);
	cr_assert_eq(sl->n_rejected, 2);
	cr_assert_eq(sl->rejected[0].line, 3);
	cr_assert_str_eq(sl->rejected[0].id, "2");
	cr_assert(strncmp(sl->rejected[0].message, "shots.csv:3:", 12) == 0);
	cr_assert(strncmp(sl->rejected[1].message, "shots.csv:4:", 12) == 0);
	cr_assert_eq(vpm_shotlist_reject(sl, 0, "moved by hand"), VPM_OK);
	cr_assert_eq(sl->n, 1);
	cr_assert_str_eq(sl->shot[0].id, "4");
	cr_assert_str_eq(sl->rejected[2].message, "moved by hand");
	cr_assert_eq(vpm_shotlist_reject(sl, 5, "x"), VPM_EINVAL);
	vpm_shotlist_free(sl);
}

/* Issue 14: shot ids were checked against every earlier row (quadratic).
 * A hash set now; ids stay case-sensitive and the first use is named,
 * also after the shot array has grown many times. */
Test(shotlist, duplicate_ids_are_found_among_many_rows)
{
	const int rows = 5000;
	size_t cap = (size_t)rows * 80 + 256, n;
	char *csv = malloc(cap);
	vpm_shotlist_t *sl = NULL;
	int i;

	cr_assert_not_null(csv);
	n = (size_t)snprintf(csv, cap, "%s", HEAD);
	for (i = 0; i < rows; i++)
		n += (size_t)snprintf(csv + n, cap - n, "S%d," CAM ",28,2.8,2.5m,1.5m,subject\n",
				      i);
	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, (size_t)rows);
	vpm_shotlist_free(sl);
	sl = NULL;

	/* "s17" is another id than "S17" */
	snprintf(csv + n, cap - n, "s17," CAM ",28,2.8,2.5m,1.5m,subject\n");
	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, (size_t)rows + 1);
	vpm_shotlist_free(sl);
	sl = NULL;

	/* S4321 again, last: named with the line of its first use */
	snprintf(csv + n, cap - n, "S4321," CAM ",35,4,3m,1.5m,subject\n");
	bad(csv, VPM_EPARSE, "shots.csv:5002:1: shot: shot 'S4321' is already on line 4323", NULL);
	/* kept going, the second is rejected and the first kept */
	cr_assert_eq(parse(csv, 1, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, (size_t)rows);
	cr_assert_eq(sl->n_rejected, 1);
	cr_assert_eq(sl->rejected[0].line, 5002);
	cr_assert(strstr(sl->rejected[0].message, "already on line 4323") != NULL, "%s",
		  sl->rejected[0].message);
	vpm_shotlist_free(sl);
	free(csv);
}

/* Many rejected rows (--keep-going): each is kept with its reason. */
Test(shotlist, many_rejected_rows_are_all_listed)
{
	const int rows = 3000;
	size_t cap = (size_t)rows * 80 + 256, n;
	char *csv = malloc(cap);
	vpm_shotlist_t *sl = NULL;
	int i;

	cr_assert_not_null(csv);
	n = (size_t)snprintf(csv, cap, "%s", HEAD);
	for (i = 0; i < rows; i++)
		n += (size_t)snprintf(csv + n, cap - n, "R%d," CAM ",28,%s,2.5m,1.5m,subject\n", i,
				      i % 3 == 1 ? "2.8" : "T0.1");
	cr_assert_eq(parse(csv, 1, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, (size_t)rows / 3);
	cr_assert_eq(sl->n_rejected, (size_t)rows - rows / 3);
	cr_assert_str_eq(sl->rejected[0].id, "R0");
	cr_assert_str_eq(sl->rejected[sl->n_rejected - 1].id, "R2999");
	cr_assert_eq(sl->rejected[sl->n_rejected - 1].line, rows + 1);
	vpm_shotlist_free(sl);
	free(csv);
}

Test(shotlist, natural_order_of_ids)
{
	cr_assert_lt(vpm_shot_id_compare("2", "10"), 0);
	cr_assert_lt(vpm_shot_id_compare("1A", "1B"), 0);
	cr_assert_lt(vpm_shot_id_compare("1B", "2"), 0);
	cr_assert_lt(vpm_shot_id_compare("10", "10A"), 0);
	cr_assert_lt(vpm_shot_id_compare("10a", "10B"), 0);
	cr_assert_eq(vpm_shot_id_compare("007", "7"), 0);
	cr_assert_gt(vpm_shot_id_compare("sc12-3", "sc2-14"), 0);
}

static vpm_stage_t micro_stage(void)
{
	char path[4096];
	vpm_stage_desc_t d;
	vpm_stage_t st;
	const vpm_panel_t *p;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, d.panel, &p), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, p, &st), VPM_OK, "%s", vpm_error_message());
	return st;
}

/* The stage's panel, its failure named by where the name came from. */
Test(shotlist, stage_panel_is_found_or_named_by_its_origin)
{
	const char *text = "name = Test\npanel = aoto-rm1.6\nwall_width = 5m\n";
	vpm_stage_desc_t d;
	const vpm_panel_t *p = NULL;

	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_parse(&d, "t.stage", text, strlen(text)), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_stage_desc_find_panel(&d, cat, &p), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "t.stage:2:9: panel: ", 20) == 0, "%s",
		  vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "aoto-rm1.6") != NULL);
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_PANEL, "nosuchpanelq", NULL, 0, 0), VPM_OK);
	cr_assert_eq(vpm_stage_desc_find_panel(&d, cat, &p), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "--panel: ", 9) == 0, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_PANEL, "aoto-rm1.5", NULL, 0, 0), VPM_OK);
	cr_assert_eq(vpm_stage_desc_find_panel(&d, cat, &p), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_eq(p->name, "aoto-rm1.5");
	cr_assert_eq(vpm_stage_desc_find_panel(NULL, cat, &p), VPM_EINVAL);
}

/* The reference micro stage: subject 5 ft in front of the wall, camera
 * 1 m from the subject at eye level, focus on the subject: the same
 * numbers as `vpmoire check --wall 2.524m --focus 1m` built by hand. */
Test(shotlist, evaluation_equals_a_direct_prediction)
{
	const char *csv = HEAD "1," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default(), s = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev;
	vpm_result_t r;
	vpm_shot_field_t field;
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &ev, &field), VPM_OK, "%s",
		     vpm_error_message());
	/* lens at the eyes, so the eyes are exactly 1 m along the axis */
	cr_assert_float_eq(ev.view.position_m.y, 0.936 * 1.75, 1e-12);
	cr_assert_float_eq(ev.subject_depth_m, 1.0, 1e-12);
	cr_assert_float_eq(ev.focus_m, 1.0, 1e-12);
	cr_assert_eq(ev.subject_in_dof, 1);
	cr_assert_eq(ev.verdict.evaluated, 1);
	cr_assert_float_eq(ev.verdict.setup.wall_m, 2.524, 1e-12);
	cr_assert_eq(ev.coverage.extension_share, 0.0);

	vpm_catalog_find_panel(cat, "aoto-rm1.5", &p);
	vpm_catalog_find_camera(cat, CAM, &c);
	vpm_catalog_find_lens(cat, "zeiss-cp3-28", &l);
	vpm_setup_apply_panel(&s, p);
	vpm_setup_apply_camera(&s, c);
	vpm_setup_apply_lens(&s, l);
	s.stop = 2.8;
	s.wall_m = 2.524;
	s.focus_m = 1.0;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(ev.verdict.result.risk, r.risk);
	cr_assert_float_eq(ev.verdict.result.moire_visibility, r.moire_visibility,
			   1e-12 * r.moire_visibility);
	cr_assert_float_eq(ev.verdict.result.grid_visibility, r.grid_visibility,
			   1e-12 * r.grid_visibility);
	/* not safe here, so there is advice, as check gives */
	if (r.risk != VPM_RISK_SAFE)
		cr_assert_gt(ev.plan.n, 0);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

Test(shotlist, back_of_dof_and_warnings)
{
	const char *csv = HEAD "1," CAM ",zeiss-cp3-50,T2.1,3.5m,1.5m,back-of-dof\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev;

	/* the ideal chain: its visibility falls monotonically as focus moves
	 * forward here (the field model's expected value is nearly flat, 0.07
	 * to 0.08, and the planner may stop short of the DOF's back edge) */
	def.model = VPM_MODEL_IDEAL;
	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &ev, NULL), VPM_OK, "%s",
		     vpm_error_message());
	/* the subject at the back of the DOF: focus in front of it, still sharp */
	cr_assert(ev.focus_planned);
	cr_assert_lt(ev.focus_m, ev.subject_depth_m);
	cr_assert_geq(ev.verdict.result.dof_far_m, ev.subject_depth_m * (1.0 - 1e-9));
	cr_assert_lt(ev.verdict.result.dof_far_m - ev.subject_depth_m, 0.01 * ev.subject_depth_m,
		     "far %g subject %g", ev.verdict.result.dof_far_m, ev.subject_depth_m);
	cr_assert_eq(ev.subject_in_dof, 1);
	cr_assert_leq(vpm_result_visibility(&ev.verdict.result),
		      vpm_result_visibility(&ev.naive_result));
	/* 3.5 m from the wall is behind the 10 ft room's back wall */
	cr_assert(ev.warnings & VPM_SHOT_WARN_CAMERA_OFF_FLOOR);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

Test(shotlist, impossible_shots_name_the_cell)
{
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev;
	vpm_shot_field_t field;
	char where[256];
	const char *csv = HEAD "1," CAM ",28,2.8,2.5m,2.6m,subject\n"
			       "2," CAM ",28,2.8,2.5m,1.5m,0.05m\n";

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &ev, &field), VPM_EGEOMETRY);
	cr_assert_eq(field, VPM_SHOT_SUBJECT_DISTANCE);
	cr_assert(strstr(vpm_error_message(), "between the camera") != NULL);
	cr_assert_str_eq(vpm_shotlist_where(sl, 0, field, where, sizeof where),
			 "shots.csv:2:41: subject distance");
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[1], &st, &def, ws, &ev, &field), VPM_EGEOMETRY);
	cr_assert_eq(field, VPM_SHOT_FOCUS);
	cr_assert(strstr(vpm_error_message(), "closer than the lens can focus") != NULL);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

/* The whole list: strict stops at the first bad shot with its cell in the
 * message; keep-going moves it to the rejected list and goes on. */
Test(shotlist, evaluate_all_strict_and_keep_going)
{
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev[4], one;
	size_t n = 99;
	const char *csv = HEAD "1," CAM ",28,2.8,2.5m,1.5m,subject\n"
			       "2," CAM ",28,2.8,2.5m,2.6m,subject\n"
			       "3," CAM ",35,4,3.25m,1.25m,subject\n"
			       "4," CAM ",28,2.8,2.5m,1.5m,0.05m\n";

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shotlist_evaluate_all(sl, &st, &def, NULL, 0, ws, ev, &n), VPM_EGEOMETRY);
	cr_assert_eq(n, 1);
	cr_assert(strncmp(vpm_error_message(), "shots.csv:3:41: subject distance: ", 34) == 0, "%s",
		  vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "between the camera") != NULL);
	cr_assert_eq(sl->n, 4);
	cr_assert_eq(sl->n_rejected, 0);

	cr_assert_eq(vpm_shotlist_evaluate_all(sl, &st, &def, NULL, 1, ws, ev, &n), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_str_eq(vpm_error_message(), "");
	cr_assert_eq(n, 2);
	cr_assert_eq(sl->n, 2);
	cr_assert_str_eq(sl->shot[0].id, "1");
	cr_assert_str_eq(sl->shot[1].id, "3");
	cr_assert_eq(sl->n_rejected, 2);
	cr_assert(strncmp(sl->rejected[0].message, "shots.csv:3:41: subject distance: ", 34) == 0);
	cr_assert(strncmp(sl->rejected[1].message, "shots.csv:5:", 12) == 0, "%s",
		  sl->rejected[1].message);
	cr_assert(strstr(sl->rejected[1].message, "closer than the lens can focus") != NULL);
	/* out[i] is shot i's evaluation, as one call gives it */
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[1], &st, &def, NULL, ws, &one, NULL), VPM_OK);
	cr_assert_float_eq(vpm_result_visibility(&ev[1].verdict.result),
			   vpm_result_visibility(&one.verdict.result), 1e-12);
	cr_assert_float_eq(ev[1].focus_m, one.focus_m, 1e-12);

	cr_assert_eq(vpm_shotlist_evaluate_all(NULL, &st, &def, NULL, 1, ws, ev, &n), VPM_EINVAL);
	cr_assert_eq(n, 0);
	cr_assert_eq(vpm_shotlist_evaluate_all(sl, &st, &def, NULL, 1, NULL, ev, &n), VPM_EINVAL);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

/* ------------------------------------------------------------ words of a shot */

#define NB "\xC2\xA0" /* the no-break space between a number and "%" */

Test(shotlist, edge_percents_add_up_to_the_printed_total)
{
	/* 12.4 % + 13.7 % = 26.1 %, printed as 26 %: floors 12 and 13 leave one
	 * point, which the larger remainder (0.7, right) gets */
	vpm_coverage_t c = { 0 };
	int pct[4];
	char buf[128];

	c.extension_share = 0.261;
	c.edge_share[0] = 0.124;
	c.edge_share[1] = 0.137;
	vpm_shot_edge_percents(&c, pct);
	cr_assert_eq(pct[0], 12);
	cr_assert_eq(pct[1], 14);
	cr_assert_eq(pct[2] + pct[3], 0);
	vpm_shot_edges_text(&c, 1, buf, sizeof buf);
	cr_assert_str_eq(buf, "L R");
	vpm_shot_edges_text(&c, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "left (12" NB "%) and right (14" NB "%)");

	/* 3.33 + 3.33 + 3.34 = 10 %: floors 3, 3, 3, the point to top (0.34) */
	c.extension_share = 0.1;
	c.edge_share[0] = 0.0333;
	c.edge_share[1] = 0.0333;
	c.edge_share[2] = 0.0334;
	vpm_shot_edge_percents(&c, pct);
	cr_assert(pct[0] == 3 && pct[1] == 3 && pct[2] == 4 && pct[3] == 0);
	vpm_shot_edges_text(&c, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "left (3" NB "%), right (3" NB "%) and top (4" NB "%)");

	/* 0.4 % rounds to 0 %: "<1 %"; below 0.05 % an edge is not named */
	memset(&c, 0, sizeof c);
	c.extension_share = 0.0044;
	c.edge_share[3] = 0.004;
	c.edge_share[0] = 0.0004;
	vpm_shot_edges_text(&c, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "bottom (<1" NB "%)");
	vpm_shot_edges_text(&c, 1, buf, sizeof buf);
	cr_assert_str_eq(buf, "B");
}

Test(shotlist, recommendation_words)
{
	vpm_shot_eval_t e;
	char buf[400];

	memset(&e, 0, sizeof e);
	e.subject_in_dof = 1;
	e.coverage.extension_share = 0.261;
	e.coverage.edge_share[0] = 0.124;
	e.coverage.edge_share[1] = 0.137;
	vpm_shot_recommendation(&e, VPM_UNITS_METRIC, buf, sizeof buf);
	cr_assert_str_eq(buf,
			 "Recommendation: no LED wall in frame, so no moir\xC3\xA9 risk; plan a "
			 "set extension past the left (12" NB "%) and right (14" NB
			 "%) edges (26" NB "% of the frame).");

	memset(&e, 0, sizeof e);
	e.subject_in_dof = 0;
	e.verdict.has_led = 1;
	e.verdict.result.risk = VPM_RISK_SAFE;
	vpm_shot_recommendation(&e, VPM_UNITS_METRIC, buf, sizeof buf);
	cr_assert_str_eq(buf, "Recommendation: as listed the subject's eyes are OUTSIDE the depth "
			      "of field; no moir\xC3\xA9 risk as planned.");
	/* cut to the buffer, always terminated */
	vpm_shot_recommendation(&e, VPM_UNITS_METRIC, buf, 10);
	cr_assert_str_eq(buf, "Recommend");
}

Test(shotlist, check_command_repeats_the_shot_and_the_given_settings)
{
	const char *csv = HEAD "1," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev;
	vpm_shot_field_t field;
	char buf[600];

	def.coc_mm = 0.0253;
	def.risky_at = 2.5;
	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &ev, &field), VPM_OK, "%s",
		     vpm_error_message());
	/* the wall 2.524 m and the focus on the eyes 1 m along the axis (see
	 * evaluation_equals_a_direct_prediction); only the flagged settings */
	vpm_shot_check_command(&st, &sl->shot[0], &ev, VPM_SHOT_GIVEN_COC | VPM_SHOT_GIVEN_RISKY_AT,
			       buf, sizeof buf);
	cr_assert_str_eq(buf, "Same verdict as: vpmoire check --panel aoto-rm1.5 --camera " CAM
			      " --lens zeiss-cp3-28 --stop 2.8 --wall 2.524m --focus 1m --coc "
			      "0.0253 --risky-at 2.5");
	vpm_shot_check_command(&st, &sl->shot[0], &ev, 0, buf, sizeof buf);
	cr_assert_str_eq(buf, "Same verdict as: vpmoire check --panel aoto-rm1.5 --camera " CAM
			      " --lens zeiss-cp3-28 --stop 2.8 --wall 2.524m --focus 1m");
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

/* Issue 16: the scan-band verdict per shot.  A frame rate, a shutter (an
 * angle, or an exposure 1/N = 360 * fps / N degrees) and a readout in ms
 * give vpmoire scan's verdict for the stage's panel (aoto-rm1.5, 7680 Hz)
 * and the shot's camera, the same numbers as vpm_temporal_evaluate() by
 * hand; no frame rate, no verdict; a camera without a published readout,
 * "unknown" (-1); --fps and --shutter of the command fill empty cells. */
Test(shotlist, scan_band_verdict_per_shot)
{
	const char *csv = "shot,camera,lens,stop,camera distance,subject distance,focus,fps,"
			  "shutter,readout\n"
			  "1," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject,25,1/50,15\n"
			  "2," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject,24,172.8,15\n"
			  "3," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject,,,\n"
			  "4," CAM ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject,25,,\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_options_t o = vpm_shot_options_default();
	vpm_shot_eval_t ev;
	vpm_temporal_t t = vpm_temporal_default();
	vpm_temporal_result_t want;
	const vpm_panel_t *p;
	const vpm_camera_t *c;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(sl->shot[0].fps, 25.0, 0.0);
	cr_assert_float_eq(sl->shot[0].exposure_s, 0.02, 1e-15);
	cr_assert_float_eq(sl->shot[1].shutter_deg, 172.8, 1e-12);
	cr_assert_float_eq(sl->shot[1].readout_ms, 15.0, 0.0);
	cr_assert_float_eq(sl->shot[2].fps, 0.0, 0.0);
	o.catalog = cat;
	o.advise = 0;
	vpm_catalog_find_panel(cat, "aoto-rm1.5", &p);
	vpm_catalog_find_camera(cat, CAM, &c);
	vpm_temporal_apply_panel(&t, p);
	vpm_temporal_apply_camera(&t, c);
	t.readout_ms = 15.0;
	/* shot 1: 1/50 s at 25 fps is 180 degrees */
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[0], &st, &def, &o, ws, &ev, NULL), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(ev.scan, 1);
	cr_assert_float_eq(ev.scan_shutter_deg, 180.0, 1e-9);
	t.fps = 25.0;
	t.shutter_deg = 180.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &want), VPM_OK);
	cr_assert_float_eq(ev.scan_result.band_depth, want.band_depth, 0.0);
	cr_assert_float_eq(ev.scan_result.visibility, want.visibility, 0.0);
	/* 7680 Hz at 1/50 s: 153.6 periods, bands */
	cr_assert_float_eq(ev.scan_result.exposure_periods, 153.6, 1e-9);
	cr_assert_gt(ev.scan_result.band_depth, 0.0);
	/* shot 2: 172.8 degrees at 24 fps = 1/50 s again, same exposure */
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[1], &st, &def, &o, ws, &ev, NULL), VPM_OK);
	cr_assert_eq(ev.scan, 1);
	cr_assert_float_eq(ev.scan_result.exposure_periods, 153.6, 1e-9);
	/* shot 3: no frame rate, no verdict ... */
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[2], &st, &def, &o, ws, &ev, NULL), VPM_OK);
	cr_assert_eq(ev.scan, 0);
	/* ... unless the command gives one: 24 fps at 1/48 s = 160 periods, no bands */
	o.fps = 24.0;
	o.exposure_s = 1.0 / 48.0;
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[2], &st, &def, &o, ws, &ev, NULL), VPM_OK);
	cr_assert_eq(ev.scan, -1); /* the URSA's readout is not in the catalog */
	/* shot 4: 25 fps, no shutter: 180 degrees; no readout: unknown */
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[3], &st, &def, &o, ws, &ev, NULL), VPM_OK);
	cr_assert_eq(ev.scan, -1);
	cr_assert_float_eq(ev.scan_fps, 25.0, 0.0);
	cr_assert_float_eq(ev.scan_shutter_deg, 360.0 * 25.0 / 48.0, 1e-9);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
	/* bad cells name the column */
	bad(HEAD_SCAN "1," CAM ",zeiss-cp3-28,T2.8,2.5m,1.5m,subject,0,,\n", VPM_ERANGE,
	    "shots.csv:2:65: fps", "frame rate");
	bad(HEAD_SCAN "1," CAM ",zeiss-cp3-28,T2.8,2.5m,1.5m,subject,25,400,\n", VPM_ERANGE,
	    "shots.csv:2:68: shutter", "360");
	bad(HEAD_SCAN "1," CAM ",zeiss-cp3-28,T2.8,2.5m,1.5m,subject,25,1/x,\n", VPM_EPARSE,
	    "shots.csv:2:68: shutter", "1/N");
	bad(HEAD_SCAN "1," CAM ",zeiss-cp3-28,T2.8,2.5m,1.5m,subject,25,,fast\n", VPM_EPARSE,
	    "shots.csv:2:69: readout", "readout");
}

/* Issue 19: a 2x anamorphic frames twice the width of the wall: the view's
 * horizontal extent is S times the sensor width, the height unchanged. */
Test(shotlist, anamorphic_frame_is_twice_as_wide)
{
	const char *csv = HEAD "1," CAM ",cooke-anamorphic-i-50,T2.8,4m,3m,subject\n"
			       "2," CAM ",cooke-s4i-50,T2.8,4m,3m,subject\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t a, b;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &a, NULL), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[1], &st, &def, ws, &b, NULL), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_float_eq(a.view.sensor_w_mm, 2.0 * b.view.sensor_w_mm, 1e-12);
	cr_assert_float_eq(a.view.sensor_h_mm, b.view.sensor_h_mm, 0.0);
	cr_assert_float_eq(a.base.squeeze, 2.0, 0.0);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

/* ------------------------------------------------------------ shots that move */

#define MHEAD \
	"shot,camera,lens,stop,camera distance,subject distance,focus,camera distance end,second subject distance\n"

Test(shotlist, move_columns_parse_with_their_units)
{
	const char *csv = "shot,camera,lens,stop,camera distance,subject distance,focus,"
			  "Push to (ft),Focus pull,Subject 2 distance\n"
			  "1," CAM ",zeiss-cp3-28,T2.8,3m,1.5m,subject,8,2.5m,1m\n"
			  "2," CAM ",zeiss-cp3-28,T2.8,3m,1.5m,subject,,,\n";
	vpm_shotlist_t *sl;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert(sl->shot[0].has_move);
	/* 8 ft = 2.4384 m (1 ft = 0.3048 m exactly, NIST SP 811 B.9) */
	cr_assert_float_eq(sl->shot[0].cam_distance_end_m, 8 * 0.3048, 1e-12);
	cr_assert_float_eq(sl->shot[0].focus_end_m, 2.5, 1e-12);
	cr_assert_float_eq(sl->shot[0].subject2_distance_m, 1.0, 1e-12);
	cr_assert_not(sl->shot[1].has_move);
	vpm_shotlist_free(sl);
	/* a bad cell names its line, column and header */
	bad(MHEAD "1," CAM ",zeiss-cp3-28,T2.8,3m,1.5m,subject,soon,\n", VPM_EPARSE,
	    "shots.csv:2:63: camera distance end", NULL);
	bad(MHEAD "1," CAM ",zeiss-cp3-28,T2.8,3m,1.5m,subject,,3.5m\n", VPM_ERANGE,
	    "shots.csv:2:", "second subject");
}

/* A push-in square to the wall, lens at the eyes: the shot's move is the
 * library's move of the same set-up, and the worst point decides. */
Test(shotlist, move_is_judged_along_the_push_in)
{
	const char *csv = MHEAD "1," CAM ",zeiss-cp3-28,T2.8,3.0m,1.524m,subject,2.4m,2.0m\n"
				"2," CAM ",zeiss-cp3-28,T2.8,3.0m,1.524m,subject,0.9m,\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default(), s;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_eval_t ev;
	vpm_shot_field_t field;
	vpm_move_t mv;
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_move_result_t res;
	size_t i;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[0], &st, &def, ws, &ev, &field), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert(ev.move.active);
	/* square on: depths along the axis are the distances to the wall;
	 * the eyes 3.0 - 1.524 = 1.476 m away, the second subject 1.0 m;
	 * 0.6 m of travel takes 0.6 m off each */
	cr_assert_float_eq(ev.move.move.start.wall_m, 3.0, 1e-9);
	cr_assert_float_eq(ev.move.move.end.wall_m, 2.4, 1e-9);
	cr_assert_float_eq(ev.move.move.start.subject_m, 1.476, 1e-9);
	cr_assert_float_eq(ev.move.move.end.subject_m, 0.876, 1e-9);
	cr_assert_float_eq(ev.move.move.end.focus_m, 0.876, 1e-9); /* focus follows */
	cr_assert_float_eq(ev.move.move.start.subject2_m, 1.0, 1e-9);
	cr_assert_float_eq(ev.move.move.end.subject2_m, 0.4, 1e-9);
	cr_assert_float_eq(ev.move.cam_z_m, 2.4, 1e-12);

	/* the same move judged directly */
	s = ev.base;
	s.wall_m = 3.0;
	s.focus_m = ev.focus_m;
	e.wall_to_m = 2.4;
	cr_assert_eq(vpm_move_build(&s, ev.subject_depth_m, 1.0, &e, &mv), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_move_judge(&s, &mv, ws, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(ev.move.n_samples, res.n_samples);
	cr_assert_float_eq(ev.move.worst.t, res.worst.t, 1e-12);
	cr_assert_float_eq(ev.move.worst.visibility, res.worst.visibility, 1e-9);
	cr_assert_eq(ev.move.n_segments, res.n_segments);
	for (i = 0; i < res.n_segments; i++)
		cr_assert_eq(ev.move.segments[i].risk, res.segments[i].risk);
	/* the worst point decides the shot's verdict */
	cr_assert_float_eq(vpm_result_visibility(&ev.verdict.result), res.worst.visibility,
			   1e-9 * res.worst.visibility);
	cr_assert_eq(ev.verdict.result.risk, res.worst.risk);
	cr_assert_geq(res.worst.visibility, ev.move.start_visibility);
	vpm_move_result_free(&res);

	/* a push-in to 0.9 m passes the subject 1.524 m from the wall */
	cr_assert_eq(vpm_shot_evaluate(&sl->shot[1], &st, &def, ws, &ev, &field), VPM_EGEOMETRY);
	cr_assert_eq(field, VPM_SHOT_CAM_DISTANCE_END);
	cr_assert(strstr(vpm_error_message(), "passes the subject") != NULL, "%s",
		  vpm_error_message());
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}

/* An exposure longer than a frame (1/10 s at 25 fps) is an error that
 * blames the shutter cell, never a verdict. */
Test(shotlist, exposure_longer_than_a_frame_names_the_shutter)
{
	const char *csv = HEAD_SCAN "1," CAM
				    ",zeiss-cp3-28,T2.8,2.524m,1.524m,subject,25,1/10,15\n";
	vpm_shotlist_t *sl;
	vpm_stage_t st = micro_stage();
	vpm_setup_t def = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_shot_options_t o = vpm_shot_options_default();
	vpm_shot_eval_t ev;
	vpm_shot_field_t field = VPM_SHOT_ID;

	cr_assert_eq(parse(csv, 0, &sl), VPM_OK, "%s", vpm_error_message());
	o.catalog = cat;
	o.advise = 0;
	cr_assert_eq(vpm_shot_evaluate_ex(&sl->shot[0], &st, &def, &o, ws, &ev, &field),
		     VPM_ERANGE);
	cr_assert_eq(field, VPM_SHOT_SHUTTER);
	cr_assert(strstr(vpm_error_message(), "longer than a frame at 25 fps") != NULL, "%s",
		  vpm_error_message());
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
}
