/* vpmoire — planning on top of the predictor: where to put focus, which
 * stop, and what would turn a risky set-up into a safe one.
 *
 * Every candidate is judged by vpm_predict() itself, so advice always agrees
 * with `vpmoire check`.
 */
#ifndef VPMOIRE_PLAN_H
#define VPMOIRE_PLAN_H

#include <stddef.h>

#include "vpmoire/catalog.h"
#include "vpmoire/move.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The subject's depth range, from the sensor plane (near ≤ far).  A
 * subject of no depth has near == far.  near = 0 means "no subject". */
typedef struct {
	double near_m, far_m;
} vpm_subject_t;

/* Is [near, far] inside the depth of field of a result? */
int vpm_plan_subject_in_dof(const vpm_result_t *r, vpm_subject_t subject);

/* Standard third-stop series T1 ... T22 used for advice, in a static array;
 * *n receives its length. */
const double *vpm_plan_stop_series(size_t *n);

typedef enum {
	VPM_ADVICE_NONE = 0,
	VPM_ADVICE_STOP,    /* change the stop to `stop` */
	VPM_ADVICE_FOCUS,   /* move focus to `focus_m` (keeping the subject sharp) */
	VPM_ADVICE_WALL,    /* the wall further away: `wall_m` (camera, subject and
			    * focus unchanged, i.e. the subject further from the wall) */
	VPM_ADVICE_CAMERA,  /* the camera alone moves `camera_move_m` (+ back, away
			    * from the wall): wall and subject stay where they are,
			    * focus follows the subject (the subject changes size) */
	VPM_ADVICE_LENS,    /* another lens of the series (`lens`, `focal_mm`, at
			    * `stop`), the camera moved `camera_move_m` so that the
			    * subject keeps its size in frame */
	VPM_ADVICE_DELIVERY /* deliver `delivery_px` wide (a smaller delivery) */
} vpm_advice_kind_t;

typedef struct {
	vpm_advice_kind_t kind;
	double stop;	   /* the stop to use */
	double focus_m;	   /* the focus distance to use */
	double visibility; /* max(moire, grid) after the change */
	vpm_risk_t risk;   /* verdict after the change */
	int subject_sharp; /* the subject stays inside the DOF (1 when no subject) */
	double wall_m;	   /* the camera-to-wall distance to use */
	/* added with the planner of vpm_plan_advise_within() */
	double camera_move_m;	/* how far the camera moves away from the wall */
	double subject_m;	/* camera to subject after the change (0: no subject) */
	const vpm_lens_t *lens; /* the lens to use (LENS; else the one in use or NULL) */
	double focal_mm;	/* its focal length */
	int delivery_px;	/* the delivery width to use (0: none) */
} vpm_advice_t;

/* A candidate's verdict, as the caller's judge sees it. */
typedef struct {
	double visibility; /* max(moire, grid), the statistic that drives the verdict */
	vpm_risk_t risk;
	int subject_sharp; /* 1 also when there is no subject */
	int feasible;	   /* 0: the change cannot be shot (off the stage floor, ...) */
} vpm_plan_verdict_t;

/* Judges one candidate: `changed` is the set-up with the change applied
 * (stop, focus, wall distance, lens, delivery), `change` says what changed
 * and how far the camera moved.  The default judge runs vpm_predict() on
 * `changed` and checks the subject (moved with the camera) against its
 * depth of field; a shotlist re-evaluates the whole shot on its stage. */
typedef vpm_status_t (*vpm_plan_judge_fn)(void *ctx, const vpm_setup_t *changed,
					  const vpm_advice_t *change, vpm_plan_verdict_t *out);

/* What advice may change, and within which limits. */
typedef struct {
	double widest_stop;		 /* the lens's widest T-stop (0: T1) */
	double narrowest_stop;		 /* its smallest (0: T22) */
	double close_focus_m;		 /* its close focus from the sensor plane (0: 4f only) */
	const vpm_lens_t *lens;		 /* the lens in use, or NULL (a bare focal length);
				 * when given, its stops and close focus are used */
	double max_stop;		 /* the exposure budget's narrowest usable stop
				 * (vpm_exposure_max_stop(); 0: no budget) */
	vpm_subject_t subject;		 /* keep it sharp (near 0: no subject) */
	double max_wall_m;		 /* the furthest the wall may be from the camera (the
				 * stage floor); 0: 10 m further than it is */
	double min_wall_m;		 /* the nearest (0: anything in front of the wall) */
	const vpm_lens_t *const *series; /* lenses that may replace the one in use */
	size_t n_series;
	int try_delivery;	 /* offer an HD delivery when the delivery is larger */
	vpm_plan_judge_fn judge; /* NULL: vpm_predict() */
	void *judge_ctx;
} vpm_plan_limits_t;

/* Everything zero: no lens limits beyond T1–T22 and 4f, no budget, no
 * subject, 10 m of room behind the camera, no series, no delivery. */
vpm_plan_limits_t vpm_plan_limits_default(void);

/* The lens in use and the lenses that may replace it: limits->lens = lens,
 * and when the lens belongs to a series of `cat`, limits->series and
 * n_series point at that series's lenses (at most `cap`, stored in buf[],
 * which must outlive the limits).  No catalog, no lens, no series name or
 * no series of that name leave the series empty (not an error). */
void vpm_plan_limits_lens(vpm_plan_limits_t *limits, const vpm_catalog_t *cat,
			  const vpm_lens_t *lens, const vpm_lens_t **buf, size_t cap);

/* How far beyond the thin-lens limit 4f the planners search for focus
 * (vpm_geometry_closest_focus_m()'s margin): 2 %, so that no candidate
 * sits on the limit where the image distance runs away. */
#define VPM_PLAN_FOCUS_MARGIN 1.02

/* At most this many pieces of advice. */
#define VPM_PLAN_MAX_ADVICE 6

typedef struct {
	vpm_advice_t advice[VPM_PLAN_MAX_ADVICE];
	size_t n;
	double stop_lo, stop_hi; /* the stops advice could use */
	int exposure_limited;	 /* the exposure budget, not the lens, set stop_hi */
	int safe;		 /* some piece of advice is SAFE */
	char why[640];		 /* when none is SAFE: why each kind of change fails */
} vpm_plan_t;

/* The planner every command's advice comes from.  Candidate changes, each
 * judged by the same model as the verdict (the limits' judge):
 *   - another stop of the third-stop series inside the lens's range and
 *     the exposure budget: the nearest SAFE one, else the best;
 *   - focus closer (the wall further out of focus), never closer than the
 *     close focus, keeping the subject sharp: the smallest SAFE move, else
 *     the best;
 *   - the camera alone closer or further (subject and wall stay; focus on
 *     the subject), the subject and camera together further from the wall,
 *     another lens of the series at the same framing, inside the stage
 *     (max_wall_m): the smallest SAFE change that stays SAFE for 0.25 m
 *     more (so a chance alignment of the grids is never advised);
 *   - an HD delivery (1920 px) when the delivery is larger (try_delivery).
 * Only changes that lower the visibility (a lower risk, or by a quarter)
 * and keep the subject sharp are kept; SAFE ones first, then the others,
 * each group ordered by how little the change alters the shot (stop,
 * focus, delivery, camera, subject and camera, lens).  When none is SAFE,
 * out->why says why for each kind.  Statuses of the judge and
 * vpm_predict(); VPM_EINVAL for NULL arguments. */
vpm_status_t vpm_plan_advise_within(const vpm_setup_t *setup, const vpm_plan_limits_t *limits,
				    vpm_predict_workspace_t *ws, vpm_plan_t *out);

/* One line for a piece of advice, e.g. "stop down to T4 -> SAFE
 * (visibility 0.62)", with distances in `units` (vpm_units_format_length);
 * `before` is the set-up it changes.  Returns the length needed
 * (snprintf). */
int vpm_advice_describe(const vpm_advice_t *a, const vpm_setup_t *before, vpm_units_system_t units,
			char *buf, size_t n);

/* ---------------------------------------------------------------- one
 * set-up judged and advised (check's verdict, and each shot's) */

/* What vpm_plan_shot() judges beside the set-up, and what advice may do. */
typedef struct {
	/* the move: moving = 0 judges the set-up where it stands */
	int moving;
	vpm_move_ends_t ends; /* how it ends (vpm_move_build()) */
	double subject_m;     /* camera to the subject at the start (0: none) */
	double subject2_m;    /* a second subject on its mark (0: none) */
	/* the verdict at the start when the caller has judged it already (a
	 * shot's, over the wall points in its frame); NULL: vpm_predict() */
	const vpm_result_t *start;
	/* advice, when the verdict is not SAFE (advise = 0: none) */
	int advise;
	const vpm_catalog_t *catalog; /* the lens's series may replace it (NULL: no series) */
	const vpm_lens_t *lens;	      /* the lens in use, or NULL (a bare focal length) */
	double max_stop;	      /* the exposure budget's narrowest stop (0: none) */
	int try_delivery;	      /* offer an HD delivery */
	vpm_plan_judge_fn judge;      /* NULL: vpm_predict() at the decided point */
	void *judge_ctx;
} vpm_plan_shot_options_t;

/* Everything zero: a set-up still, no advice. */
vpm_plan_shot_options_t vpm_plan_shot_options_default(void);

/* A set-up judged (and its move) with its advice: what the check reports
 * and a shot's page show. */
typedef struct {
	vpm_setup_t setup;   /* the decided point: the start, or the move's worst */
	vpm_result_t result; /* its verdict */
	double subject_m;    /* camera to the subject there (0: none) */
	int moving;	     /* move and move_result are filled in */
	vpm_move_t move;
	vpm_move_result_t move_result; /* free with vpm_plan_shot_free() */
	vpm_plan_t plan;	       /* the advice (n = 0 when SAFE or none asked) */
} vpm_plan_shot_t;

/* Judge a set-up as `vpmoire check` does and every shot of a shotlist:
 *   1. the verdict at the start: opt->start, else vpm_predict(setup);
 *   2. a move (opt->moving): built from the set-up (its wall and focus are
 *      the start), opt->subject_m, opt->subject2_m and opt->ends, and judged
 *      along t (vpm_move_judge()); the worst point decides the verdict when
 *      it is worse than the start (without opt->start the start is the
 *      move's own first point, so the worst point always decides): the
 *      setup's wall and focus, the subject's distance and the verdict
 *      become the worst point's;
 *   3. advice (opt->advise) when that verdict is not SAFE:
 *      vpm_plan_advise_within() inside the lens's stops and close focus,
 *      its series in opt->catalog, the budget's max_stop and
 *      opt->try_delivery, keeping the subject sharp.  It starts from the
 *      decided point; with a judge of the caller's, which judges the whole
 *      set-up with the change applied (its move too), from the start's
 *      focus and subject.
 * On success free out with vpm_plan_shot_free().  VPM_EINVAL for NULL;
 * statuses of vpm_predict(); a move that cannot be judged gives
 * VPM_EGEOMETRY for vpm_move_build()'s and vpm_move_judge()'s VPM_ERANGE
 * (other statuses as they are), the message theirs; a failure of the
 * advice carries a message starting "advice: ".  Nothing is left
 * allocated on failure. */
vpm_status_t vpm_plan_shot(const vpm_setup_t *setup, const vpm_plan_shot_options_t *opt,
			   vpm_predict_workspace_t *ws, vpm_plan_shot_t *out);

/* Free what vpm_plan_shot() allocated (NULL, or a zeroed result, is a
 * no-op). */
void vpm_plan_shot_free(vpm_plan_shot_t *p);

/* Focus placement for one stop: the focus distance that keeps the whole
 * subject inside the depth of field and makes the wall's moiré and grid
 * least visible (ties broken towards the subject), compared with the naive
 * choice of focusing on the subject's centre. */
typedef struct {
	double stop;
	double focus_m;
	vpm_result_t result;
	int subject_sharp;
} vpm_focus_choice_t;

/* Focus placement with the defaults of vpm_plan_focus_options_default()
 * (see vpm_plan_focus_ex()).  `setup->focus_m` is ignored.  The naive
 * choice is the subject's centre at the same stop.  VPM_EGEOMETRY when no
 * focus setting can hold the whole subject at this stop (the depth of
 * field is too shallow), with a message saying so; other statuses of
 * vpm_predict(). */
vpm_status_t vpm_plan_focus(const vpm_setup_t *setup, vpm_subject_t subject,
			    vpm_predict_workspace_t *ws, vpm_focus_choice_t *best,
			    vpm_focus_choice_t *naive);

/* How vpm_plan_focus_ex() searches. */
typedef struct {
	int steps;	      /* first pass: steps + 1 evenly spaced focus settings
				 (240); then two finer passes around the best */
	double close_focus_m; /* the lens's closest focus from the sensor plane;
				 0 = only the thin-lens limit 4f */
} vpm_plan_focus_options_t;

/* steps 240, close focus 0. */
vpm_plan_focus_options_t vpm_plan_focus_options_default(void);

/* The focus settings (metres from the sensor plane) that hold the whole
 * subject inside the depth of field at the set-up's stop: every X_f in
 * [*closest_m, *furthest_m] does, by the same DOF formulas vpm_predict()
 * reports (no moire evaluation).  The range starts no closer than
 * `close_focus_m` (0: the 4f limit) and ends no further than the wall.
 * VPM_EINVAL (NULL, subject not 0 < near <= far), VPM_EGEOMETRY (subject
 * not in front of the wall, nearer than the lens can hold, or deeper than
 * the depth of field at this stop), statuses of vpm_setup_validate()
 * for the equipment. */
vpm_status_t vpm_plan_focus_range(const vpm_setup_t *setup, vpm_subject_t subject,
				  double close_focus_m, double *closest_m, double *furthest_m);

/* The focus that keeps the whole subject inside the depth of field and
 * makes max(moire, grid) visibility least, searched from the subject's
 * centre (or the furthest sharp focus, when that is nearer) towards the
 * camera down to the closest focus that still holds the subject's far
 * edge: focusing behind the centre only sharpens the wall.  Ties go to the
 * focus nearest the centre, so the answer is never worse than the naive
 * centre focus, and is nearer than the centre only when that lowers the
 * visibility.  `opt` may be NULL (defaults).  `naive` is the centre focus
 * at the same stop (its subject_sharp may be 0).  Statuses as
 * vpm_plan_focus_range() (VPM_EGEOMETRY: no sharp focus) and vpm_predict(). */
vpm_status_t vpm_plan_focus_ex(const vpm_setup_t *setup, vpm_subject_t subject,
			       const vpm_plan_focus_options_t *opt, vpm_predict_workspace_t *ws,
			       vpm_focus_choice_t *best, vpm_focus_choice_t *naive);

/* Visibility along the focus scale, for plots: n >= 2 focus settings
 * evenly spaced from x0_m to x1_m (both > 4f), each judged by
 * vpm_predict(); focus_m[i], visibility[i] = max(moire, grid) and sharp[i]
 * = subject inside the DOF (any of the three arrays may be NULL).
 * VPM_EINVAL, statuses of vpm_predict(). */
vpm_status_t vpm_plan_focus_curve(const vpm_setup_t *setup, vpm_subject_t subject, double x0_m,
				  double x1_m, size_t n, vpm_predict_workspace_t *ws,
				  double *focus_m, double *visibility, int *sharp);

/* ---------------------------------------------------------------- choosing
 * among stops (the focus planner's RECOMMENDED line) */

/* One stop's focus plan, as vpm_plan_focus_ex() makes it. */
typedef struct {
	double stop;
	int feasible; /* vpm_plan_focus_ex() returned VPM_OK: `best` holds the subject */
	vpm_focus_choice_t best, naive;
} vpm_focus_plan_t;

/* The recommended plan among n stops' plans: of the choices that are
 * feasible, keep the whole subject sharp (best.subject_sharp), use a stop
 * within [widest_stop, narrowest_stop] (either may be 0: no limit) and a
 * focus no closer than close_focus_m (0: no limit), the one whose
 * max(moire, grid) visibility is lowest; at equal visibility (1e-9
 * relative) the wider stop, which lets in more light.  The risk class is
 * not consulted separately: it is a threshold on the same visibility, so
 * the lowest visibility also has the lowest risk.  Writes its index to
 * *index.  VPM_EINVAL (NULL, n = 0), VPM_EGEOMETRY when no plan qualifies
 * (*index untouched). */
vpm_status_t vpm_plan_focus_pick(const vpm_focus_plan_t *plans, size_t n, double widest_stop,
				 double narrowest_stop, double close_focus_m, size_t *index);

/* The widest stop that can hold the whole subject in the depth of field
 * (some focus no closer than close_focus_m keeps both edges sharp): the
 * widest of `widest_stop` itself and the third stops of
 * vpm_plan_stop_series() up to `narrowest_stop` (the lens's range; 0 =
 * T22) that does.  The depth of field only grows as the lens stops down,
 * so every narrower stop holds the subject too.  VPM_EGEOMETRY (with a
 * message) when not even `narrowest_stop` does; VPM_EINVAL; statuses of
 * vpm_plan_focus_range(). */
vpm_status_t vpm_plan_focus_stop_needed(const vpm_setup_t *setup, vpm_subject_t subject,
					double close_focus_m, double widest_stop,
					double narrowest_stop, double *stop);

/* The deepest subject centred at centre_m (from the sensor plane) that the
 * set-up's stop can hold in the depth of field with some focus no closer
 * than close_focus_m: *depth_m (front to back, m), found by bisection to
 * 1e-6 relative on vpm_plan_focus_range(); the depth is capped where the
 * subject would reach the wall or the camera.  VPM_EGEOMETRY when not even
 * a flat subject at centre_m can be held (it is closer than the lens
 * focuses, or not in front of the wall); VPM_EINVAL. */
vpm_status_t vpm_plan_focus_max_depth(const vpm_setup_t *setup, double centre_m,
				      double close_focus_m, double *depth_m);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_PLAN_H */
