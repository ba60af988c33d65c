/* lib/move.c: shots that move (issue 19).  The adaptive sampling is
 * checked against a brute-force sampling of the same move at 1e4 steps;
 * the move's distances against hand calculations; the report's JSON is
 * parsed back with jansson; the command's move flags are run as a user
 * would. */
#include <config.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

TestSuite(move, .fini = tu_cleanup_tmpdir);

/* A rig whose LED image crosses 2 photosites per LED (the Bayer red and
 * blue lattice's Nyquist: the beat through zero) during a push-in from
 * 5 m to 3 m: a 1.5625 mm pitch (AOTO RM 1.5's datasheet pitch), 5.5 um
 * photosites x 4608, a 28 mm lens at T2.8.  LED image pitch p·m/a with
 * m = f/(X - f) at the wall: 1.5625 mm x 28/4972 / 5.5 um = 1.60 photosites
 * at 5 m, 2.71 at 3 m. */
static vpm_setup_t rig(void)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.5;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = 2.8;
	s.wall_m = 5.0;
	s.focus_m = 4.0;
	return s;
}

/* Visibility and risk at t by direct prediction. */
static double direct(const vpm_setup_t *s, const vpm_move_t *mv, double t,
		     vpm_predict_workspace_t *ws, vpm_risk_t *risk)
{
	vpm_setup_t ss = *s;
	vpm_move_state_t a = vpm_move_at(mv, t);
	vpm_result_t r;

	ss.wall_m = a.wall_m;
	ss.focus_m = a.focus_m;
	cr_assert_eq(vpm_predict(&ss, ws, &r), VPM_OK, "%s", vpm_error_message());
	if (risk)
		*risk = r.risk;
	return vpm_result_visibility(&r);
}

Test(move, build_follows_the_crew_words)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_move_t mv;
	vpm_move_state_t a;

	/* camera alone, 5 m -> 3 m past a subject on its mark 4 m away (1 m
	 * in front of the wall) and a second one 2.5 m away: 2 m of travel
	 * leaves them at 2 m and 0.5 m; focus on the subject follows it */
	e.wall_to_m = 3.0;
	cr_assert_eq(vpm_move_build(&s, 4.0, 2.5, &e, &mv), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(mv.end.wall_m, 3.0, 1e-12);
	cr_assert_float_eq(mv.end.subject_m, 2.0, 1e-12);
	cr_assert_float_eq(mv.end.subject2_m, 0.5, 1e-12);
	cr_assert_float_eq(mv.end.focus_m, 2.0, 1e-12);
	a = vpm_move_at(&mv, 0.25);
	cr_assert_float_eq(a.wall_m, 4.5, 1e-12);
	cr_assert_float_eq(a.subject_m, 3.5, 1e-12);
	cr_assert_float_eq(a.subject2_m, 2.0, 1e-12);
	/* together: the subject keeps its 4 m... which is then behind a 3 m
	 * wall, so refused; a 1.2 m subject keeps 1.2 m */
	e.together = 1;
	cr_assert_eq(vpm_move_build(&s, 4.0, 0.0, &e, &mv), VPM_ERANGE);
	s.focus_m = 1.2;
	cr_assert_eq(vpm_move_build(&s, 1.2, 0.0, &e, &mv), VPM_OK);
	cr_assert_float_eq(mv.end.subject_m, 1.2, 1e-12);
	cr_assert_float_eq(mv.end.focus_m, 1.2, 1e-12);
	/* a focus pull from infinity to 2 m goes linearly in dioptres: half
	 * way is 0.25 dioptre, 4 m */
	s = rig();
	s.focus_m = INFINITY;
	e = vpm_move_ends_default();
	e.focus_to_m = 2.0;
	cr_assert_eq(vpm_move_build(&s, 0.0, 0.0, &e, &mv), VPM_OK);
	cr_assert(isinf(vpm_move_at(&mv, 0.0).focus_m));
	cr_assert_float_eq(vpm_move_at(&mv, 0.5).focus_m, 4.0, 1e-12);
	cr_assert_float_eq(vpm_move_at(&mv, 1.0).focus_m, 2.0, 1e-12);
	cr_assert_float_eq(vpm_move_at(&mv, 0.5).wall_m, 5.0, 1e-12);
}

Test(move, build_refuses_impossible_moves)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_move_t mv;

	e.wall_to_m = 1.0; /* 4 m of travel past a subject 2.5 m away */
	cr_assert_eq(vpm_move_build(&s, 2.5, 0.0, &e, &mv), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "passes the subject") != NULL);
	e.wall_to_m = -2.0;
	cr_assert_eq(vpm_move_build(&s, 2.5, 0.0, &e, &mv), VPM_ERANGE);
	e.wall_to_m = NAN;
	cr_assert_eq(vpm_move_build(&s, 2.5, 0.0, &e, &mv), VPM_ERANGE);
	e = vpm_move_ends_default();
	e.subject_to_m = 6.0; /* walks behind the wall */
	cr_assert_eq(vpm_move_build(&s, 2.5, 0.0, &e, &mv), VPM_ERANGE);
	e.subject_to_m = 1.0; /* no subject to walk */
	cr_assert_eq(vpm_move_build(&s, 0.0, 0.0, &e, &mv), VPM_EINVAL);
	cr_assert_eq(vpm_move_build(NULL, 0.0, 0.0, &e, &mv), VPM_EINVAL);
	vpm_move_result_free(NULL);
}

/* The push-in across the beat crossing: the adaptive sampler's worst point
 * against 1e4 + 1 direct predictions, and its verdicts against theirs. */
Test(move, push_in_worst_point_matches_brute_force)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_move_t mv;
	vpm_move_result_t res;
	double best_t = 0.0, best_v = -1.0;
	size_t i, seg = 0, changes = 0;
	int crossed_2 = 0;

	cr_assert_not_null(ws);
	e.wall_to_m = 3.0;
	cr_assert_eq(vpm_move_build(&s, 4.0, 0.0, &e, &mv), VPM_OK);
	cr_assert_eq(vpm_move_judge(&s, &mv, ws, &res), VPM_OK, "%s", vpm_error_message());
	/* the move does cross 2 photosites per LED */
	for (i = 1; i < res.n_samples; i++) {
		cr_assert(res.samples[i].t > res.samples[i - 1].t);
		if ((res.samples[i].led_pitch_px - 2.0) * (res.samples[i - 1].led_pitch_px - 2.0) <=
		    0)
			crossed_2 = 1;
	}
	cr_assert(crossed_2);
	cr_assert_float_eq(res.samples[0].t, 0.0, 1e-15);
	cr_assert_float_eq(res.samples[res.n_samples - 1].t, 1.0, 1e-15);
	/* fewer than a tenth of the brute force's predictions */
	cr_assert(res.n_samples < 1000, "%zu samples", res.n_samples);

	for (i = 0; i <= 10000; i++) {
		double t = i / 1e4;
		vpm_risk_t risk;
		double v = direct(&s, &mv, t, ws, &risk);

		if (v > best_v) {
			best_v = v;
			best_t = t;
		}
		/* every brute-force verdict is its segment's, but within a step
		 * of the segment's ends */
		while (seg + 1 < res.n_segments && t > res.segments[seg].t1)
			seg++;
		if (fabs(t - res.segments[seg].t0) > VPM_MOVE_MIN_STEP &&
		    fabs(t - res.segments[seg].t1) > VPM_MOVE_MIN_STEP)
			cr_assert_eq(risk, res.segments[seg].risk, "t %.4f: %s, segment says %s", t,
				     vpm_risk_name(risk), vpm_risk_name(res.segments[seg].risk));
	}
	/* the same worst t within the brute force's step, the same worst
	 * visibility within 1 % */
	cr_assert(fabs(res.worst.t - best_t) <= 1e-4, "worst t %.5f, brute force %.5f", res.worst.t,
		  best_t);
	cr_assert(fabs(res.worst.visibility - best_v) <= 0.01 * best_v, "worst %.4f, brute %.4f",
		  res.worst.visibility, best_v);
	cr_assert_float_eq(vpm_result_visibility(&res.worst_result), res.worst.visibility, 1e-12);
	cr_assert_float_eq(res.worst.at.wall_m, 5.0 - 2.0 * res.worst.t, 1e-12);
	cr_assert_eq(res.risk, VPM_RISK_RISKY);
	/* the segments tile [0, 1] and alternate verdicts */
	cr_assert_float_eq(res.segments[0].t0, 0.0, 1e-15);
	cr_assert_float_eq(res.segments[res.n_segments - 1].t1, 1.0, 1e-15);
	for (i = 1; i < res.n_segments; i++) {
		cr_assert_float_eq(res.segments[i].t0, res.segments[i - 1].t1, 1e-15);
		cr_assert_neq(res.segments[i].risk, res.segments[i - 1].risk);
		changes++;
	}
	cr_assert(changes >= 1);
	vpm_move_result_free(&res);
	vpm_move_result_free(&res); /* twice is harmless */
	vpm_predict_workspace_free(ws);
}

/* A short pull-out far from any crossing whose verdict does not change:
 * one segment, SAFE from t 0 to 1 (every brute-force point SAFE too). */
Test(move, move_without_change_is_one_segment)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_move_t mv;
	vpm_move_result_t res;
	char line[200];
	int i;

	s.wall_m = 1.8;
	s.focus_m = 0.8;
	e.wall_to_m = 2.0;
	e.together = 1;
	cr_assert_eq(vpm_move_build(&s, 0.8, 0.0, &e, &mv), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_move_judge(&s, &mv, ws, &res), VPM_OK, "%s", vpm_error_message());
	for (i = 0; i <= 100; i++) {
		vpm_risk_t risk;

		direct(&s, &mv, i / 100.0, ws, &risk);
		cr_assert_eq(risk, VPM_RISK_SAFE, "t %.2f", i / 100.0);
	}
	cr_assert_eq(res.n_segments, 1);
	cr_assert_eq(res.segments[0].risk, VPM_RISK_SAFE);
	cr_assert_float_eq(res.segments[0].t0, 0.0, 1e-15);
	cr_assert_float_eq(res.segments[0].t1, 1.0, 1e-15);
	/* at least one sample per VPM_MOVE_MAX_STEP */
	cr_assert(res.n_samples >= 65, "%zu", res.n_samples);
	vpm_move_describe_segments(&res, line, sizeof line);
	cr_assert_str_eq(line, "t 0.00-1.00 SAFE");
	vpm_move_result_free(&res);
	vpm_predict_workspace_free(ws);
}

/* A second subject far behind the first: the depth of field at T2.8 on
 * 28 mm focused at 1.2 m ends near 1.34 m (hyperfocal f²/(N·c) = 28²/(2.64 x
 * 0.025) mm = 11.9 m; far limit H·s/(H − s) = 1.33 m), so a second subject
 * at 3 m is soft all along, the first sharp all along. */
Test(move, second_subject_out_of_focus_is_named)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_move_t mv;
	vpm_move_result_t res;

	s.focus_m = 1.2;
	e.wall_to_m = 4.6;
	e.together = 1;
	cr_assert_eq(vpm_move_build(&s, 1.2, 3.0, &e, &mv), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(mv.end.subject2_m, 2.6, 1e-12);
	cr_assert_eq(vpm_move_judge(&s, &mv, ws, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert(isnan(res.subject_soft_t0));
	cr_assert_float_eq(res.subject2_soft_t0, 0.0, 1e-15);
	cr_assert_float_eq(res.subject2_soft_t1, 1.0, 1e-15);
	vpm_move_result_free(&res);
	vpm_predict_workspace_free(ws);
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *j = json_loads(text, 0, &err);

	cr_assert_not_null(j, "JSON: %s at line %d", err.text, err.line);
	return j;
}

#define RIG "check --pitch 1.5625 --emitter 0.5 --photosite 5.5 --width-px 4608 --focal 28 --stop 2.8"

Test(move, check_json_has_the_move)
{
	vpm_setup_t s = rig();
	vpm_move_ends_t e = vpm_move_ends_default();
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_move_t mv;
	vpm_move_result_t res;
	tu_run_t r = tu_vpmoire(RIG " --wall 5 --subject 4 --wall-to 3 --json");
	json_t *j, *m, *w, *segs;
	size_t i;

	cr_assert_eq(r.status, 0, "%s", r.err);
	j = parse(r.out);
	m = json_object_get(j, "move");
	cr_assert(json_is_object(m));
	/* the command's move is the library's */
	e.wall_to_m = 3.0;
	cr_assert_eq(vpm_move_build(&s, 4.0, 0.0, &e, &mv), VPM_OK);
	cr_assert_eq(vpm_move_judge(&s, &mv, ws, &res), VPM_OK);
	cr_assert_eq(json_integer_value(json_object_get(m, "samples")), (json_int_t)res.n_samples);
	w = json_object_get(m, "worst");
	cr_assert_float_eq(json_number_value(json_object_get(w, "t")), res.worst.t, 1e-9);
	cr_assert_float_eq(json_number_value(json_object_get(w, "wall_m")), res.worst.at.wall_m,
			   1e-8);
	cr_assert_float_eq(json_number_value(json_object_get(w, "focus_m")), res.worst.at.focus_m,
			   1e-8);
	cr_assert_float_eq(json_number_value(json_object_get(w, "visibility")),
			   res.worst.visibility, 1e-8 * res.worst.visibility);
	cr_assert_str_eq(json_string_value(json_object_get(w, "risk")), "risky");
	/* the top-level contract is the worst point's */
	cr_assert_float_eq(json_number_value(json_object_get(j, "visibility")),
			   res.worst.visibility, 1e-8 * res.worst.visibility);
	cr_assert_str_eq(json_string_value(json_object_get(j, "risk")), "risky");
	segs = json_object_get(m, "segments");
	cr_assert_eq(json_array_size(segs), res.n_segments);
	for (i = 0; i < res.n_segments; i++) {
		json_t *g = json_array_get(segs, i);

		cr_assert_float_eq(json_number_value(json_object_get(g, "t0")), res.segments[i].t0,
				   1e-9);
		cr_assert_float_eq(json_number_value(json_object_get(g, "t1")), res.segments[i].t1,
				   1e-9);
		cr_assert_str_eq(json_string_value(json_object_get(g, "risk")),
				 vpm_risk_name(res.segments[i].risk));
	}
	cr_assert(json_is_true(json_object_get(m, "subject_sharp")));
	cr_assert(json_is_null(json_object_get(json_object_get(m, "start"), "subject2_m")));
	json_decref(j);
	vpm_move_result_free(&res);
	vpm_predict_workspace_free(ws);
	free(r.out);
	free(r.err);
}

Test(move, check_text_names_the_worst_point)
{
	tu_run_t r = tu_vpmoire(RIG " --wall 5 --subject 4 --wall-to 3 --subject2 2.5");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "MOVE RISKY  worst visibility ", 29) == 0, "%s", r.out);
	cr_assert(strstr(r.out, "along the move     t 0.00-") != NULL);
	cr_assert(strstr(r.out, "second subject") != NULL);
	cr_assert(strstr(r.out, "\nat the worst point (t ") != NULL);
	cr_assert(strstr(r.out, "\nRISKY  visibility ") != NULL);
	free(r.out);
	free(r.err);
}

/* Bad move flags: exit 2, one line on stderr naming the flag. */
Test(move, bad_move_flags_exit_2)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
		{ RIG " --wall 5 --subject 4 --wall-to -3", "--wall-to" },
		{ RIG " --wall 5 --subject 4 --wall-to 0", "--wall-to" },
		{ RIG " --wall 5 --subject 4 --wall-to 3x", "--wall-to" },
		{ RIG " --wall 5 --subject 4 --focus-to nope", "--focus-to" },
		{ RIG " --wall 5 --focus 4 --subject-to 2", "--subject-to needs --subject" },
		{ RIG " --wall 5 --subject 4 --move sideways", "--move" },
		{ RIG " --wall 5 --subject 4 --move together", "--move needs" },
		{ RIG " --wall 5 --subject 4 --wall-to 1", "passes the subject" },
		{ RIG " --wall 5 --subject 4 --subject2 6", "second subject" },
		{ RIG " --wall 5 --subject 4 --subject-to 7", "front of the wall" },
		{ RIG " --wall 5 --subject 4 --wall-to", "--wall-to" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		tu_run_t r = tu_vpmoire(bad[i].args);
		const char *nl = strchr(r.err, '\n');

		cr_assert_eq(r.status, 2, "%s: status %d", bad[i].args, r.status);
		cr_assert_str_empty(r.out, "%s", bad[i].args);
		cr_assert(strstr(r.err, bad[i].says) != NULL, "%s: %s", bad[i].args, r.err);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0, "%s", r.err);
		cr_assert(nl != NULL && nl[1] == '\0', "%s: not one line: %s", bad[i].args, r.err);
		free(r.out);
		free(r.err);
	}
}
