/* Advice that holds (issue 12): the exposure budget's closed forms, the
 * field model's f-number and stop band, and the planner of lib/plan.c over
 * a grid of set-ups and a shotlist: every piece of advice is inside the
 * lens and the exposure budget, re-predicting it by hand gives the stated
 * verdict, and it lowers the visibility.  The command-line cases of the
 * issue are regression tests at the end. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

#define RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2"

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

TestSuite(advice, .init = setup_suite, .fini = teardown_suite);

/* ============================================================ exposure */

/* ISO 2720 closed forms: T² = k·b·L·S·t/(K·2^n) for the wall, and
 * π·k·b·L·S·t/(C·2^n) for a subject lit by the wall alone. */
Test(advice, exposure_budget_closed_forms)
{
	vpm_exposure_t e = vpm_exposure_default();
	double t;

	cr_assert_float_eq(e.shutter_s, 1.0 / 48.0, 1e-15);
	cr_assert_float_eq(e.ei, 800.0, 0.0);
	e.wall_nits = 1500.0;
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_OK);
	/* 0.18·1500·800/(48·12.5) = 360 */
	cr_assert_float_eq(t, sqrt(360.0), 1e-12);
	e.lit_by = VPM_LIT_BY_WALL;
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_OK);
	cr_assert_float_eq(t, sqrt(M_PI * 270.0 * 800.0 / (48.0 * 250.0)), 1e-12);
	cr_assert(t > 7.5 && t < 7.53, "T%g", t);
	/* one stop of ND or half the brightness: the stop opens by √2 */
	e.nd_stops = 1.0;
	{
		double t1;
		cr_assert_eq(vpm_exposure_max_stop(&e, &t1), VPM_OK);
		cr_assert_float_eq(t1, t / sqrt(2.0), 1e-12);
		e.nd_stops = 0.0;
		e.brightness = 0.5;
		cr_assert_eq(vpm_exposure_max_stop(&e, &t1), VPM_OK);
		cr_assert_float_eq(t1, t / sqrt(2.0), 1e-12);
	}
	/* unknown panel brightness: the documented default */
	e = vpm_exposure_default();
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_OK);
	cr_assert_float_eq(t * t, 0.18 * VPM_EXPOSURE_WALL_NITS * 800.0 / (48.0 * 12.5), 1e-9);
	/* the DP's own limit replaces the budget */
	e.max_stop = 5.6;
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_OK);
	cr_assert_eq(t, 5.6);
	/* bad values name their flag */
	e = vpm_exposure_default();
	e.ei = NAN;
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--ei") != NULL);
	e = vpm_exposure_default();
	e.brightness = 1.5;
	cr_assert_eq(vpm_exposure_max_stop(&e, &t), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--brightness") != NULL);
}

/* ============================================================ f-number */

static vpm_setup_t stage_setup(const char *lens, double stop, double wall_m, double focus_m,
			       const char *panel)
{
	vpm_setup_t s = vpm_setup_default();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l;

	cr_assert_eq(vpm_catalog_find_panel(cat, panel, &p), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &c), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, lens, &l), VPM_OK);
	vpm_setup_apply_panel(&s, p);
	vpm_setup_apply_camera(&s, c);
	vpm_setup_apply_lens(&s, l);
	s.stop = stop;
	s.wall_m = wall_m;
	s.focus_m = focus_m;
	return s;
}

/* The ideal chain uses the stop as N (SPEC §1); the field model N = T·√τ,
 * for diffraction, blur and depth of field alike. */
Test(advice, field_model_uses_the_f_number)
{
	vpm_setup_t s = stage_setup("zeiss-cp3-28", 2.8, 2.524, 1.0, "aoto-rm1.5");
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_result_t r;
	vpm_dof_t d;
	double N;

	N = vpm_setup_f_number(&s);
	cr_assert_float_eq(N, 2.8 * pow(2.0, -1.0 / 12.0), 1e-12);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(r.f_number, N, 1e-15);
	cr_assert_eq(vpm_geometry_dof_mm(28.0, N, r.coc_mm, 1000.0, &d), VPM_OK);
	cr_assert_float_eq(r.dof_near_m, d.near_mm / 1000.0, 1e-12);
	cr_assert_float_eq(r.dof_far_m, d.far_mm / 1000.0, 1e-12);
	/* blur circle c = f²|s_w − s_f|/(N s_w (s_f − f)) at N */
	{
		double sf, v, sw;
		cr_assert_eq(vpm_geometry_focus_object_mm(28.0, 1000.0, &sf), VPM_OK);
		v = vpm_geometry_image_mm(28.0, sf);
		sw = 2524.0 - v;
		cr_assert_float_eq(r.wall_blur_mm, 28.0 * 28.0 * (sw - sf) / (N * sw * (sf - 28.0)),
				   1e-12);
	}
	s.transmission = 0.64;
	cr_assert_float_eq(vpm_setup_f_number(&s), 0.8 * 2.8, 1e-12);
	/* the set-up's own transmittance wins over the lens's (as in check, so
	 * in sweep and shotlist too); a lens with one gives it otherwise */
	{
		const vpm_lens_t *l;
		vpm_lens_t own;
		vpm_setup_t t = s;

		cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &l), VPM_OK);
		vpm_setup_apply_lens(&t, l);
		cr_assert_eq(t.transmission, 0.64);
		own = *l;
		own.transmission = 0.81;
		vpm_setup_apply_lens(&t, &own);
		cr_assert_eq(t.transmission, 0.64);
		t.transmission = -1.0;
		vpm_setup_apply_lens(&t, &own);
		cr_assert_eq(t.transmission, 0.81);
		cr_assert_float_eq(vpm_setup_f_number(&t), 0.9 * t.stop, 1e-12);
	}
	s.model = VPM_MODEL_IDEAL;
	cr_assert_eq(vpm_setup_f_number(&s), 2.8);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(r.f_number, 2.8);
	s.model = VPM_MODEL_FIELD;
	s.transmission = 1.5;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--transmission") != NULL);
	vpm_predict_workspace_free(ws);
}

/* No verdict sits on the diffraction cut-off of one exact stop: a wall in
 * focus whose LED fundamental lies just beyond 1/(λN) is invisible to the
 * ideal chain at that N (a hard cut-off), but still counts in the field
 * model through N(1 − δ); with δ = 0 it vanishes there too. */
Test(advice, no_verdict_on_the_cut_off)
{
	vpm_setup_t s = vpm_setup_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_result_t r;
	double m, N;

	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.17;
	s.photosite_um = 1.0; /* photosites far finer than the LED image */
	s.width_px = 20000;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 50.0;
	s.stop = 22.0;
	s.wall_m = 3.0;
	s.focus_m = 3.0;
	s.transmission = 1.0; /* N = T */
	N = vpm_setup_f_number(&s);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	m = r.magnification;
	/* choose the pitch so that ν0 = 1.04/(λN): beyond the cut-off at N,
	 * inside it at N(1 − 0.10) */
	s.pitch_mm = 1.0 / (m * 1.04 / (555e-6 * N));
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	cr_assert_gt(r.led_frequency_cy_mm, 1.0 / (555e-6 * N));
	cr_assert_lt(r.led_frequency_cy_mm, 1.0 / (555e-6 * N * 0.9));
	cr_assert_gt(r.grid_visibility_worst, 0.0, "the field band sees past the cut-off");
	cr_assert_gt(r.grid_visibility, 0.0);
	s.model = VPM_MODEL_IDEAL;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(r.grid_visibility, 0.0, "ideal chain: nothing past 1/(lambda N)");
	s.model = VPM_MODEL_FIELD;
	s.tolerance = 0.0;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert_eq(r.grid_visibility, 0.0, "no band: the cut-off is hard");
	vpm_predict_workspace_free(ws);
}

/* ============================================================ the planner */

typedef struct {
	size_t pieces, kinds[8], safe;
} tally_t;

/* Check one piece of advice by hand: inside the lens and the budget,
 * re-predicted to the stated verdict, lower than the visibility v0, the
 * subject sharp. */
static void check_advice(const vpm_setup_t *s0, const vpm_lens_t *lens, double max_stop,
			 double subject_m, const vpm_advice_t *a, double v0,
			 vpm_predict_workspace_t *ws, tally_t *t)
{
	const vpm_lens_t *l = a->kind == VPM_ADVICE_LENS ? a->lens : lens;
	vpm_setup_t s = *s0;
	vpm_result_t r;
	double hi = l->min_t > 0.0 ? l->min_t : 22.0, minf;

	cr_assert_not_null(l);
	if (max_stop < hi)
		hi = max_stop;
	cr_assert_geq(a->stop, l->max_t * (1.0 - 1e-9), "%s: T%g wider than the lens",
		      l->name, a->stop);
	cr_assert_leq(a->stop, hi * (1.0 + 1e-9), "%s: T%g past T%g (lens and light)",
		      l->name, a->stop, hi);
	minf = vpm_geometry_closest_focus_m(l->focal_mm, l->close_focus_m, 1.0);
	cr_assert_geq(a->focus_m, minf * (1.0 - 1e-9), "%s: focus %g m closer than %g m",
		      l->name, a->focus_m, minf);
	/* apply the change by hand */
	s.stop = a->stop;
	s.focus_m = a->focus_m;
	s.wall_m = a->wall_m;
	s.delivery_px = a->delivery_px;
	if (a->kind == VPM_ADVICE_LENS)
		vpm_setup_apply_lens(&s, a->lens);
	switch (a->kind) {
	case VPM_ADVICE_STOP:
		cr_assert_eq(a->focus_m, s0->focus_m);
		cr_assert_eq(a->wall_m, s0->wall_m);
		break;
	case VPM_ADVICE_FOCUS:
		cr_assert_lt(a->focus_m, s0->focus_m);
		cr_assert_eq(a->stop, s0->stop);
		break;
	case VPM_ADVICE_CAMERA:
		cr_assert_float_eq(a->wall_m - s0->wall_m, a->camera_move_m, 1e-12);
		cr_assert_float_eq(a->focus_m - s0->focus_m, a->camera_move_m, 1e-12);
		break;
	case VPM_ADVICE_WALL:
		cr_assert_gt(a->wall_m, s0->wall_m);
		cr_assert_eq(a->focus_m, s0->focus_m);
		break;
	case VPM_ADVICE_LENS:
		cr_assert_neq(a->lens, lens);
		/* the same framing: subject distance in proportion to f */
		cr_assert_float_eq(subject_m + a->camera_move_m,
				   subject_m * a->lens->focal_mm / s0->focal_mm, 1e-9);
		break;
	case VPM_ADVICE_DELIVERY: cr_assert_eq(a->delivery_px, 1920); break;
	default: cr_assert_fail("advice of kind %d", (int)a->kind);
	}
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(vpm_result_visibility(&r), a->visibility,
			   1e-12 * fmax(1.0, a->visibility), "kind %d: %g re-predicted, %g stated",
			   (int)a->kind, vpm_result_visibility(&r), a->visibility);
	cr_assert_eq(r.risk, a->risk);
	cr_assert_lt(a->visibility, v0, "kind %d does not lower the visibility", (int)a->kind);
	{
		double move = a->kind == VPM_ADVICE_CAMERA || a->kind == VPM_ADVICE_LENS
				      ? a->camera_move_m
				      : 0.0;
		vpm_subject_t subj = { subject_m + move, subject_m + move };
		cr_assert(vpm_plan_subject_in_dof(&r, subj), "kind %d loses the subject",
			  (int)a->kind);
	}
	t->pieces++;
	t->kinds[a->kind]++;
	t->safe += a->risk == VPM_RISK_SAFE;
}

/* The grid of the "done when": CP.3 21, 28, 50 and 85 mm, T2.1 to
 * T8, the foil's 2.84 mm panel and a 1.5 mm one, walls 2.5 to 6 m, the
 * subject 1.0 or 1.5 m in front of the wall with focus on it, lit by the
 * wall alone (a budget of T7.5 at 1500 cd/m2, binding) or by lights. */
Test(advice, every_piece_of_check_advice_holds, .timeout = 600)
{
	static const char *const lenses[] = { "zeiss-cp3-21", "zeiss-cp3-28", "zeiss-cp3-50",
					      "zeiss-cp3-85" };
	static const char *const panels[] = { "roe-bp2v2", "aoto-rm1.5" };
	static const double stops[] = { 2.1, 2.8, 4.0, 5.6, 8.0 };
	static const double walls[] = { 2.5, 3.3, 4.5, 6.0 };
	static const double gaps[] = { 1.0, 1.5 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	const vpm_lens_t *series[64];
	size_t ns = 0, li, pi, si, wi, gi, i;
	tally_t t;
	int budget;

	memset(&t, 0, sizeof t);
	cr_assert_eq(vpm_catalog_find_series(cat, "ZEISS CP.3", series, 64, &ns), VPM_OK);
	cr_assert_gt(ns, 5);
	for (li = 0; li < 4; li++)
		for (pi = 0; pi < 2; pi++)
			for (si = 0; si < 5; si++)
				for (wi = 0; wi < 4; wi++)
					for (gi = 0; gi < 2; gi++)
						for (budget = 0; budget < 2; budget++) {
							const vpm_lens_t *lens;
							double subject_m = walls[wi] - gaps[gi];
							vpm_setup_t s;
							vpm_plan_limits_t L = vpm_plan_limits_default();
							vpm_exposure_t e = vpm_exposure_default();
							vpm_plan_t plan;
							vpm_result_t r0;
							double max_stop;

							vpm_catalog_find_lens(cat, lenses[li], &lens);
							if (stops[si] < lens->max_t ||
							    subject_m < lens->close_focus_m)
								continue;
							s = stage_setup(lenses[li], stops[si], walls[wi],
									subject_m, panels[pi]);
							e.wall_nits = 1500.0;
							e.lit_by = budget ? VPM_LIT_BY_WALL
									  : VPM_LIT_BY_LIGHTS;
							cr_assert_eq(vpm_exposure_max_stop(&e, &max_stop),
								     VPM_OK);
							if (stops[si] > max_stop)
								continue;
							L.lens = lens;
							L.series = series;
							L.n_series = ns;
							L.subject.near_m = L.subject.far_m = subject_m;
							L.max_stop = max_stop;
							L.try_delivery = 1;
							cr_assert_eq(vpm_predict(&s, ws, &r0), VPM_OK);
							cr_assert_eq(
								vpm_plan_advise_within(&s, &L, ws, &plan),
								VPM_OK, "%s", vpm_error_message());
							cr_assert_eq(plan.stop_hi,
								     fmin(max_stop, lens->min_t));
							if (r0.risk == VPM_RISK_SAFE) {
								cr_assert_eq(plan.n, 0);
								continue;
							}
							for (i = 0; i < plan.n; i++) {
								check_advice(&s, lens, max_stop,
									     subject_m,
									     &plan.advice[i],
									     vpm_result_visibility(
										     &r0),
									     ws, &t);
								/* SAFE first, then the rest */
								if (i > 0 &&
								    plan.advice[i].risk == VPM_RISK_SAFE)
									cr_assert_eq(
										plan.advice[i - 1].risk,
										VPM_RISK_SAFE);
							}
							if (!plan.safe)
								cr_assert(plan.why[0] != '\0',
									  "nothing safe and no reason");
						}
	/* the grid reaches every kind of change */
	for (i = VPM_ADVICE_STOP; i <= VPM_ADVICE_DELIVERY; i++)
		cr_assert_gt(t.kinds[i], 0, "no advice of kind %zu on the grid", i);
	cr_log_info("advice: %zu pieces (%zu SAFE): stop %zu, focus %zu, wall %zu, camera %zu, "
		    "lens %zu, delivery %zu",
		    t.pieces, t.safe, t.kinds[1], t.kinds[2], t.kinds[3], t.kinds[4], t.kinds[5],
		    t.kinds[6]);
	vpm_predict_workspace_free(ws);
}

/* The shotlist's advice, judged by re-evaluating the whole shot with the
 * change applied to its row: the example shotlist on the reference micro
 * stage, lit by the wall alone. */
Test(advice, every_piece_of_shotlist_advice_holds, .timeout = 600)
{
	char path[4096];
	vpm_shotlist_options_t so = vpm_shotlist_options_default();
	vpm_shot_options_t opt = vpm_shot_options_default();
	vpm_shotlist_t *sl;
	vpm_stage_desc_t d;
	vpm_stage_t st;
	const vpm_panel_t *p;
	vpm_exposure_t e = vpm_exposure_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t def = vpm_setup_default();
	size_t i, k, pieces = 0, advised = 0;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, d.panel, &p), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, p, &st), VPM_OK, "%s", vpm_error_message());
	so.catalog = cat;
	snprintf(path, sizeof path, "%s/datasets/shotlist-example.csv", tu_srcdir());
	cr_assert_eq(vpm_shotlist_read(path, &so, &sl), VPM_OK, "%s", vpm_error_message());
	e.wall_nits = p->brightness_nits;
	cr_assert_gt(e.wall_nits, 0.0, "the stage's panel has a published brightness");
	e.lit_by = VPM_LIT_BY_WALL;
	cr_assert_eq(vpm_exposure_max_stop(&e, &opt.max_stop), VPM_OK);
	opt.catalog = cat;
	for (i = 0; i < sl->n; i++) {
		const vpm_shot_t *shot = &sl->shot[i];
		vpm_shot_eval_t ev;
		double v0;

		cr_assert_eq(vpm_shot_evaluate_ex(shot, &st, &def, &opt, ws, &ev, NULL), VPM_OK,
			     "%s: %s", shot->id, vpm_error_message());
		v0 = vpm_result_visibility(&ev.verdict.result);
		if (!ev.verdict.has_led || ev.verdict.result.risk == VPM_RISK_SAFE) {
			cr_assert_eq(ev.plan.n, 0);
			continue;
		}
		advised++;
		for (k = 0; k < ev.plan.n; k++) {
			const vpm_advice_t *a = &ev.plan.advice[k];
			const vpm_lens_t *l = a->kind == VPM_ADVICE_LENS ? a->lens : shot->lens;
			vpm_shot_t m = *shot;
			vpm_shot_eval_t ev2;

			cr_assert_not_null(l);
			cr_assert_geq(a->stop, l->max_t * (1.0 - 1e-9));
			cr_assert_leq(a->stop,
				      fmin(l->min_t > 0.0 ? l->min_t : 22.0, opt.max_stop) *
					      (1.0 + 1e-9),
				      "%s: T%g past the lens or the light", shot->id, a->stop);
			cr_assert_geq(a->focus_m, l->close_focus_m * (1.0 - 1e-9));
			/* the change applied to the row by hand */
			m.stop = a->stop;
			m.focus_mode = VPM_FOCUS_DISTANCE;
			m.focus_m = a->focus_m;
			if (a->delivery_px > 0)
				m.delivery_px = a->delivery_px;
			if (a->kind == VPM_ADVICE_CAMERA || a->kind == VPM_ADVICE_LENS)
				m.cam_distance_m += a->camera_move_m;
			if (a->kind == VPM_ADVICE_WALL) {
				m.cam_distance_m += a->camera_move_m;
				m.subject_distance_m += a->camera_move_m;
			}
			if (a->kind == VPM_ADVICE_LENS) {
				m.lens = a->lens;
				m.focal_mm = a->lens->focal_mm;
			}
			cr_assert_eq(vpm_shot_evaluate(&m, &st, &def, ws, &ev2, NULL), VPM_OK,
				     "%s: %s", shot->id, vpm_error_message());
			cr_assert_float_eq(vpm_result_visibility(&ev2.verdict.result),
					   a->visibility, 1e-12 * fmax(1.0, a->visibility),
					   "%s kind %d", shot->id, (int)a->kind);
			cr_assert_eq(ev2.verdict.result.risk, a->risk);
			cr_assert_lt(a->visibility, v0);
			cr_assert_neq(ev2.subject_in_dof, 0, "%s: the subject goes soft", shot->id);
			cr_assert_eq(ev2.warnings & VPM_SHOT_WARN_CAMERA_OFF_FLOOR, 0u,
				     "%s: the camera leaves the floor", shot->id);
			pieces++;
		}
	}
	cr_assert_gt(advised, 0);
	cr_assert_gt(pieces, 0);
	vpm_shotlist_free(sl);
	vpm_predict_workspace_free(ws);
}

/* When nothing is SAFE the planner says why, kind by kind. */
Test(advice, nothing_safe_says_why)
{
	vpm_setup_t s = stage_setup("zeiss-cp3-85", 2.1, 6.0, 5.0, "roe-bp2v2");
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_plan_limits_t L = vpm_plan_limits_default();
	vpm_plan_t plan;
	const vpm_lens_t *lens;

	vpm_catalog_find_lens(cat, "zeiss-cp3-85", &lens);
	L.lens = lens;
	L.subject.near_m = L.subject.far_m = 5.0;
	L.max_stop = 2.1; /* the light allows nothing else */
	L.max_wall_m = 6.0; /* and the stage no step back */
	s.grade_gain = 20.0; /* a contrasty grade: nothing can hide it */
	cr_assert_eq(vpm_plan_advise_within(&s, &L, ws, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan.safe, 0);
	cr_assert(strstr(plan.why, "no stop from T2.1 to T2.1") != NULL, "%s", plan.why);
	cr_assert(strstr(plan.why, "the light") != NULL, "%s", plan.why);
	cr_assert(strstr(plan.why, "camera position on the stage") != NULL, "%s", plan.why);
	vpm_predict_workspace_free(ws);
}

/* ============================================================ the commands */

Test(advice, check_refuses_what_the_lens_cannot_do)
{
	static const char *const cases[] = {
		"check " RIG " --lens zeiss-cp3-28 --stop T1.4 --wall 2.524m --subject 1m",
		"check " RIG " --lens zeiss-cp3-28 --stop T32 --wall 2.524m --subject 1m",
		"check " RIG " --lens zeiss-cp3-28 --stop T2.8 --wall 2.524m --focus 0.2m",
		"check " RIG " --lens zeiss-cp3-28 --wall 2.5m --ei 3",
		"check " RIG " --lens zeiss-cp3-28 --wall 2.5m --shutter 1/0",
		"check " RIG " --lens zeiss-cp3-28 --wall 2.5m --lit-by sun",
		"check " RIG " --lens zeiss-cp3-28 --wall 2.5m --brightness 150%",
		"check " RIG " --lens zeiss-cp3-28 --wall 2.5m --transmission 2",
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i]);
		cr_assert_eq(r.status, 2, "%s: exit %d", cases[i], r.status);
		cr_assert_eq(tu_lines(r.err), 1, "%s: %s", cases[i], r.err);
		cr_assert_eq(r.out[0], '\0');
		tu_run_free(&r);
	}
}

/* The foil at 50 mm: every stop advice stays inside --max-stop, the JSON
 * names the f-number and the budget. */
Test(advice, check_advice_stays_inside_max_stop)
{
	tu_run_t r = tu_vpmoire("check --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 "
				"--lens zeiss-cp3-50 --stop T5.6 --wall 5m --subject 3m "
				"--max-stop T5.6 --json");
	const char *p;
	int stops = 0;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\"f_number\": ") != NULL);
	cr_assert(strstr(r.out, "\"exposure_max_stop\": 5.6") != NULL, "%s", r.out);
	for (p = r.out; (p = strstr(p, "\"stop\": ")) != NULL; p++) {
		double t = strtod(p + 8, NULL);
		cr_assert_leq(t, 5.6 + 1e-9, "advice at T%g past --max-stop", t);
		stops++;
	}
	cr_assert_gt(stops, 0);
	tu_run_free(&r);
	r = tu_vpmoire("check --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 "
		       "--lens zeiss-cp3-50 --stop T5.6 --wall 5m --subject 3m --lit-by wall");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "exposure budget    T7.52 at most") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "subject lit by the wall") != NULL);
	tu_run_free(&r);
}

/* The shotlist's recommendation is the planner's, never the old fixed
 * sentence. */
Test(advice, shotlist_recommendation_is_predicted, .timeout = 300)
{
	char args[8192];
	tu_run_t r;
	char *txt;

	if (!tu_have("pdftotext"))
		cr_skip_test("pdftotext is not installed");
	snprintf(args, sizeof args,
		 "shotlist '%s/datasets/shotlist-example.csv' --stage "
		 "'%s/datasets/stage-micro.stage' -o previs.pdf --lit-by wall",
		 tu_srcdir(), tu_srcdir());
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	snprintf(args, sizeof args, "pdftotext -layout '%s' -", tu_tmp("previs.pdf"));
	txt = tu_capture(args);
	cr_assert_not_null(txt);
	cr_assert(strstr(txt, "Recommendation:") != NULL);
	cr_assert(strstr(txt, "for SAFE move the camera back") == NULL);
	cr_assert(strstr(txt, "-> SAFE (visibility") != NULL, "no predicted advice");
	free(txt);
}

/* A number after "key": in text (NAN when missing). */
static double num_after(const char *text, const char *key)
{
	char pat[96];
	const char *p;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	p = strstr(text, pat);
	return p ? strtod(p + strlen(pat), NULL) : NAN;
}

/* The focus planner's recommendation over a grid (CP.3 28, 35 and 50 mm,
 * wall 2 and 3 m, a 10 cm subject 1 m before the wall, lit by lights or by
 * the wall alone): inside the lens's stops and close focus and the
 * exposure budget, re-predicted by `check` to the stated visibility, no
 * worse than focusing on the subject's centre at that stop, and the lowest
 * visibility of the stops the page lists as feasible. */
Test(advice, every_focus_recommendation_holds, .timeout = 300)
{
	static const char *const lenses[] = { "zeiss-cp3-28", "zeiss-cp3-35", "zeiss-cp3-50" };
	static const double walls[] = { 2.0, 3.0 };
	static const char *const light[] = { "", " --lit-by wall" };
	size_t li, wi, bi, checked = 0;

	for (li = 0; li < 3; li++)
		for (wi = 0; wi < 2; wi++)
			for (bi = 0; bi < 2; bi++) {
				char args[1024];
				const vpm_lens_t *lens;
				const char *rec, *naive, *p;
				double stop, focus, v, vn, budget, best = INFINITY;
				tu_run_t r, q;

				vpm_catalog_find_lens(cat, lenses[li], &lens);
				snprintf(args, sizeof args,
					 "focus --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 "
					 "--lens %s --wall %gm --subject %gm --subject-depth 10cm%s "
					 "--json",
					 lenses[li], walls[wi], walls[wi] - 1.0, light[bi]);
				r = tu_vpmoire(args);
				cr_assert(r.status == 0 || r.status == 3, "%s: %s", args, r.err);
				budget = num_after(r.out, "exposure_max_stop");
				cr_assert(isfinite(budget), "%s", r.out);
				if (r.status == 3) {
					tu_run_free(&r);
					continue;
				}
				rec = strstr(r.out, "\"recommended\": {");
				naive = strstr(r.out, "\"naive\": {");
				cr_assert(rec && naive, "%s", r.out);
				stop = num_after(rec, "stop");
				focus = num_after(rec, "focus_m");
				v = num_after(rec, "visibility");
				vn = num_after(naive, "visibility");
				cr_assert_geq(stop, lens->max_t * (1.0 - 1e-9), "%s", args);
				cr_assert_leq(stop, fmin(lens->min_t, budget) * (1.0 + 1e-9), "%s",
					      args);
				cr_assert_geq(focus, lens->close_focus_m, "%s", args);
				cr_assert_leq(v, vn * (1.0 + 1e-9), "%s: worse than the centre",
					      args);
				/* the lowest of the feasible stops the light allows */
				for (p = strstr(r.out, "\"stops\": ["); p != NULL &&
									(p = strstr(p, "{\"stop\": ")) != NULL;
				     p++) {
					double s = strtod(p + 9, NULL);
					const char *f = strstr(p, "\"feasible\": ");
					if (f && strncmp(f + 12, "true", 4) == 0 &&
					    s <= budget * (1.0 + 1e-9))
						best = fmin(best, num_after(f, "visibility"));
				}
				cr_assert_float_eq(v, best, 1e-12 * (1.0 + v), "%s", args);
				/* check says the same (the focus is printed to 10 digits) */
				snprintf(args, sizeof args,
					 "check --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 "
					 "--lens %s --wall %gm --stop %.17g --focus %.17g --json",
					 lenses[li], walls[wi], stop, focus);
				q = tu_vpmoire(args);
				cr_assert_eq(q.status, 0, "%s: %s", args, q.err);
				cr_assert_float_eq(num_after(q.out, "visibility"), v, 1e-7 * (1.0 + v),
						   "%s", args);
				tu_run_free(&q);
				tu_run_free(&r);
				checked++;
			}
	cr_assert_geq(checked, 6);
}

/* The lens and its series for the planner, one rule for check and the
 * shotlist: the ZEISS CP.3 28 mm brings its series (models/lenses.csv),
 * sorted by focal length, each of the same series; a short buffer keeps
 * the first lenses; no catalog or no lens leaves no series. */
Test(advice, limits_take_the_lens_and_its_series)
{
	const vpm_lens_t *lens = NULL, *buf[64];
	vpm_plan_limits_t L = vpm_plan_limits_default();
	size_t i;

	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &lens), VPM_OK);
	vpm_plan_limits_lens(&L, cat, lens, buf, 64);
	cr_assert_eq(L.lens, lens);
	cr_assert_geq(L.n_series, 3, "the CP.3 series has more than two lenses");
	cr_assert_eq((const void *)L.series, (const void *)buf);
	for (i = 0; i < L.n_series; i++) {
		cr_assert_str_eq(L.series[i]->series, lens->series);
		if (i > 0)
			cr_assert_lt(L.series[i - 1]->focal_mm, L.series[i]->focal_mm);
	}
	vpm_plan_limits_lens(&L, cat, lens, buf, 2);
	cr_assert_eq(L.n_series, 2);
	vpm_plan_limits_lens(&L, NULL, lens, buf, 64);
	cr_assert_eq(L.lens, lens);
	cr_assert_eq(L.n_series, 0);
	cr_assert_null(L.series);
	vpm_plan_limits_lens(&L, cat, NULL, buf, 64);
	cr_assert_null(L.lens);
	cr_assert_eq(L.n_series, 0);
	vpm_plan_limits_lens(NULL, cat, lens, buf, 64); /* nothing to fill: a no-op */
}
