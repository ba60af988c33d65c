/* vpmoire — reports: the text and JSON every command prints, composed by the
 * library so that bindings and other front-ends print the same thing.
 *
 * Each writer takes a caller-supplied stream (as GSL's gsl_vector_fprintf()
 * does), writes one report and returns VPM_EIO when the stream reports an
 * error (ferror()), VPM_EINVAL for NULL arguments; the stream is neither
 * flushed nor closed.  JSON numbers and strings go through one pair of
 * helpers, vpm_json_number() and vpm_json_string(): an infinite or
 * not-a-number value is `null` (SPEC §1: JSON has no infinity).
 */
#ifndef VPMOIRE_REPORT_H
#define VPMOIRE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/exposure.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/move.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"
#include "vpmoire/validate.h"
#include "vpmoire/vision.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- JSON */

/* A JSON number: `null` when not finite, `0` for zero, else the shortest of
 * 15, 16 or 17 significant digits that reads back as the same double. */
void vpm_json_number(FILE *fp, double v);

/* A JSON string, quoted, with '"', '\\' and control characters escaped;
 * `null` for NULL.  Bytes from 0x80 up pass through (UTF-8 stays UTF-8). */
void vpm_json_string(FILE *fp, const char *s);

/* ---------------------------------------------------------------- text */

/* A distance in metres as every report writes it, in `u`: "2.524 m"
 * (vpm_units_format_length(), 3 decimals metric, 1 on the inches
 * imperial), "infinity" for an infinite one.  Returns buf (n bytes,
 * NUL-terminated). */
const char *vpm_report_length(double m, vpm_units_system_t u, char *buf, size_t n);

/* ---------------------------------------------------------------- check */

/* What a check report says beside the set-up, the result and the advice. */
typedef struct {
	const char *panel, *camera, *lens; /* catalog names, or NULL (raw numbers) */
	double subject_m;		   /* camera to subject (m); 0: none given */
	double max_stop;		   /* the exposure budget's narrowest stop */
	const vpm_exposure_t *exposure;	   /* the budget, described in the text */
	vpm_units_system_t units;	   /* distances in the text */
} vpm_check_report_t;

/* `vpmoire check --json`: one JSON object, the SPEC §4 contract first (the
 * fields of vpm_report_field_name(), in that order), then the field
 * model's choices, the set-up, the components and the advice. */
vpm_status_t vpm_report_check_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info);

/* `vpmoire check`: the verdict line, then the numbers behind it, the
 * exposure budget and what would help (`plan`, used when r is not SAFE). */
vpm_status_t vpm_report_check_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info);

/* `vpmoire check --json` with a move (--wall-to, ...): the check object of
 * the move's worst point (s, r, plan and info describe the set-up at
 * m->worst.t), then a `move` object: samples, start and end distances,
 * worst {t, wall_m, focus_m, subject_m, subject2_m, led_pitch_px,
 * visibility, risk}, risk, segments [{t0, t1, risk}] and, per subject,
 * whether it stays sharp and from which t to which it does not. */
vpm_status_t vpm_report_check_move_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
					const vpm_plan_t *plan, const vpm_check_report_t *info,
					const vpm_move_t *mv, const vpm_move_result_t *m);

/* `vpmoire check` with a move: a MOVE verdict line naming the worst point,
 * the move, the t ranges of each verdict and the subjects' sharpness, then
 * the check report of the worst point (arguments as above). */
vpm_status_t vpm_report_check_move_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
					const vpm_plan_t *plan, const vpm_check_report_t *info,
					const vpm_move_t *mv, const vpm_move_result_t *m);

/* The check report of a set-up judged by vpm_plan_shot(): with a move
 * (p->moving) the move's report, else the still one, as JSON (json = 1)
 * or text; the subject's distance is p's (info->subject_m is not read).
 * Statuses of the writers above. */
vpm_status_t vpm_report_check_plan(FILE *fp, const vpm_plan_shot_t *p,
				   const vpm_check_report_t *info, int json);

/* ---------------------------------------------------------------- focus */

/* One stop's focus plan, as `vpmoire focus` shows it. */
typedef struct {
	double stop;
	int feasible;	    /* some focus keeps the whole subject sharp */
	char reason[256];   /* why not, in the user's units (vpm_focus_stop_reason()) */
	double max_depth_m; /* not feasible: the deepest subject this stop holds
			       around the same centre (0: none; NAN: unknown) */
	int added;	    /* not asked for: the widest stop that holds the subject */
	int dark;	    /* past the exposure budget: not a candidate */
	vpm_focus_choice_t best, naive;
} vpm_focus_stop_t;

/* When no stop holds the subject: the nearest feasible options. */
typedef struct {
	int have_stop;			    /* a stop of the lens's range holds the subject */
	vpm_focus_stop_t need;		    /* ... its plan (when have_stop) */
	double widest_stop, narrowest_stop; /* the range searched */
	double max_stop;		    /* the exposure budget's narrowest stop */
	int light_limited;		    /* ... which is narrower than the lens's */
	char budget[300];		    /* ... described (vpm_exposure_describe()) */
	double narrowest_depth_m;	    /* !have_stop: the deepest subject the
					       narrowest stop holds (0: none) */
	int shown;			    /* the stop given whose naive view is drawn */
} vpm_focus_nearest_t;

/* At most this many stops in one focus plan. */
#define VPM_FOCUS_MAX_STOPS 16

/* The subject of a focus plan, *out: its near and far edges (near_m > 0),
 * else its centre and depth front to back (centre_m > 0), in front of the
 * wall at wall_m.  VPM_EINVAL when neither is given, VPM_ERANGE for a far
 * edge nearer than the near one, a depth that reaches behind the camera or
 * a subject not in front of the wall; the messages name the focus
 * command's flags, with distances in `u`. */
vpm_status_t vpm_focus_subject(double centre_m, double depth_m, double near_m, double far_m,
			       double wall_m, vpm_units_system_t u, vpm_subject_t *out);

/* Can the focus plan of set-up `s` (focal length and wall) go ahead: the
 * subject's centre no closer than the lens can focus (its close focus, or
 * 4f), a stop given when there is no lens to take the stops from (n = 0),
 * and every stop within the lens's (vpm_lens_check()).  VPM_EINVAL for
 * NULL or a missing stop, VPM_ERANGE otherwise, with a message naming the
 * focus command's flags (distances in `u`). */
vpm_status_t vpm_focus_plan_check(const vpm_setup_t *s, vpm_subject_t subj, const vpm_lens_t *lens,
				  const double *stops, int n, vpm_units_system_t u);

/* The focus command's plan: the stops `given` (n_given of them), or with
 * none the lens's widest and the full stops T2.8-T8 within its range and
 * the light, plus the widest stop that holds the subject when it falls
 * between them; each planned (vpm_plan_focus_ex(); a stop past the light
 * is shown, never recommended); the recommendation by vpm_plan_focus_pick()
 * (*rec, -1 when no stop holds the subject, and then near->need is the plan
 * of the stop that would).  `near` comes with max_stop and budget filled in
 * by the caller (the exposure budget); the rest is set here.  plans holds
 * VPM_FOCUS_MAX_STOPS; *n receives the count.  VPM_EINVAL, and the
 * statuses of the planner. */
vpm_status_t vpm_focus_plan_stops(const vpm_setup_t *s, vpm_subject_t subj, const vpm_lens_t *lens,
				  const double *given, int n_given, vpm_units_system_t units,
				  vpm_predict_workspace_t *ws, vpm_focus_stop_t *plans, int *n,
				  int *rec, vpm_focus_nearest_t *near);

/* A focus report: the stops' plans, the recommended one (index, or -1
 * when none holds the subject) and what would. */
typedef struct {
	const vpm_focus_stop_t *stops;
	int n;
	int recommended;
	const vpm_focus_nearest_t *nearest;
	vpm_subject_t subject;
	const vpm_setup_t *setup;	   /* the wall and focal length */
	const char *panel, *camera, *lens; /* catalog names, or NULL */
	vpm_units_system_t units;	   /* distances in the text */
} vpm_focus_report_t;

/* Sets p->reason for a stop that cannot hold the subject, from
 * p->max_depth_m: NAN "no focus holds the subject from .. to ..", 0 "no
 * focus the lens reaches holds a subject at ..", else "depth of field too
 * shallow: at T.. it holds a subject at most .. deep around ..". */
void vpm_focus_stop_reason(vpm_focus_stop_t *p, vpm_subject_t subj, vpm_units_system_t u);

/* A stop that is not a candidate: p->naive is the set-up `ss` as it is
 * (its focus on the subject's centre), judged by vpm_predict().
 * VPM_EINVAL; statuses of vpm_predict(). */
vpm_status_t vpm_focus_stop_naive(vpm_focus_stop_t *p, const vpm_setup_t *ss, vpm_subject_t subj,
				  vpm_predict_workspace_t *ws);

/* The sentence that says no stop given holds the subject and what would
 * (the nearest feasible stop, or a shallower subject), into buf (at most
 * size bytes, NUL-terminated). */
void vpm_focus_infeasible_text(const vpm_focus_stop_t *plans, int n,
			       const vpm_focus_nearest_t *near, vpm_subject_t subj,
			       vpm_units_system_t u, char *buf, size_t size);

/* `vpmoire focus --json`: subject, wall, rig, `feasible`, `recommended`
 * and `naive` (or `stop_needed`), then every stop under `stops`. */
vpm_status_t vpm_report_focus_json(FILE *fp, const vpm_focus_report_t *rep);

/* `vpmoire focus`: the table of stops, the exposure budget, then the
 * RECOMMENDED and naive lines (or NOT FEASIBLE and what would hold it). */
vpm_status_t vpm_report_focus_text(FILE *fp, const vpm_focus_report_t *rep);

/* ---------------------------------------------------------------- simulate */

/* What a simulation report says beside the set-up and the results. */
typedef struct {
	const char *panel, *camera, *lens; /* catalog names, or NULL */
	const char *content;		   /* the content PNG shown on the wall, or NULL */
	const char *files[4];		   /* recorded, stretched, spectrum, json */
	double tolerance;		   /* the predictor's planning tolerance */
	int zoom;			   /* magnification of the stretched view */
} vpm_simulate_report_t;

/* `vpmoire simulate --json` (and simulate.json): `measured` (m) and
 * `predicted` (pr), each with the report-field table's moiré and grid
 * fields (vpm_report_field_name(), moire_visibility to risk) and its
 * components, then `simulation` (o, m), `setup` (s) and `files`. */
vpm_status_t vpm_report_simulate_json(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_options_t *o,
				      const vpm_fftsim_result_t *m, const vpm_result_t *pr,
				      const vpm_simulate_report_t *info);

/* `vpmoire simulate`: the size and time of the run, measured and predicted
 * moiré and grid side by side, the visibilities and the files written. */
vpm_status_t vpm_report_simulate_text(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_result_t *m,
				      const vpm_result_t *pr, const vpm_simulate_report_t *info);

/* ---------------------------------------------------------------- shotlist */

/* `vpmoire shotlist`: the terminal's line of one evaluated shot, newline
 * included: id, verdict (NO LED without an LED verdict), visibility, set
 * extension and its edges (vpm_shot_edges_text() letters), a note when the
 * subject is outside the depth of field or soft, and for a shot that moves
 * the worst point, the verdict of each stretch of t and the second
 * subject's soft stretch.  VPM_EINVAL, VPM_EIO. */
vpm_status_t vpm_report_shot_line(FILE *fp, const vpm_shot_t *shot, const vpm_shot_eval_t *e);

/* ---------------------------------------------------------------- catalog */

/* `vpmoire catalog list KIND`: one aligned table of the kind's entries
 * (columns padded by UTF-8 code points), distances in `units`.
 * VPM_ENOMEM, VPM_EIO, VPM_EINVAL. */
vpm_status_t vpm_report_catalog_list(FILE *fp, const vpm_catalog_t *cat, vpm_catalog_kind_t kind,
				     vpm_units_system_t units);

/* `vpmoire catalog show NAME`: every value of the entries called `name`
 * (the exact name in each kind, else a match by words) with its source.
 * VPM_ENOTFOUND when none matches, with one line naming each kind's
 * nearest names; VPM_EIO, VPM_EINVAL. */
vpm_status_t vpm_report_catalog_show(FILE *fp, const vpm_catalog_t *cat, const char *name,
				     vpm_units_system_t units);

/* ---------------------------------------------------------------- validate */

/* The totals of a validation report. */
typedef struct {
	size_t n;	     /* cases */
	int lenient, strict; /* cases that agree, leniently and strictly */
	int missed;	     /* observed moiré judged SAFE */
} vpm_validate_summary_t;

/* The lenient agreement `vpmoire validate` requires by default: five cases
 * in six (doc/model.md §9; the field observations are weak evidence, one
 * disagreement in six is within what their rules of thumb allow). */
#define VPM_VALIDATE_MIN_AGREEMENT (5.0 / 6.0)

/* Does the model pass on these totals?  VPM_OK when at least
 * `min_agreement` (0-1) of the cases agree leniently and no case with
 * observed moiré was judged SAFE; otherwise VPM_ERANGE with "agreement
 * below the threshold: lenient L/N (need P%), observed moire judged SAFE M
 * (need 0)".  VPM_EINVAL for NULL. */
vpm_status_t vpm_validate_passed(const vpm_validate_summary_t *sum, double min_agreement);

/* `vpmoire validate`: judges every observation (vpm_observation_judge())
 * and writes the agreement table, per case, per kind of source and in
 * total; with `fit`, also the fit of the soft pupil edge on the grid 0 to
 * 0.6 in steps of 0.05 (vpm_observations_fit_edge()) and its
 * leave-one-out agreement.  `file` names the observations in the heading;
 * `ws` is a workspace, or NULL to allocate one for the call.  The totals go
 * to *out.  Statuses of the judge and the fit (the table written so far
 * stays written); VPM_EINVAL (NULL, no observations); VPM_ENOMEM; VPM_EIO. */
vpm_status_t vpm_report_validate(FILE *fp, const vpm_observations_t *obs, const char *file, int fit,
				 vpm_predict_workspace_t *ws, vpm_validate_summary_t *out);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_REPORT_H */
