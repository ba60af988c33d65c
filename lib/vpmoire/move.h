/* vpmoire — shots that move (issue 19): a set-up judged along a move.
 *
 * A move is a start and an end state of the distances of a set-up over
 * time t in [0, 1], each distance linear in t: camera to wall (a push-in
 * or pull-out), focus (a focus pull), camera to subject (a subject walking
 * towards camera, or the camera moving past it) and a second subject.
 * vpm_move_judge() samples the verdict along the move with an adaptive step
 * (doc/model.md, "Shots that move") and names the worst point and the t
 * ranges over which the verdict holds.
 *
 *   vpm_move_t mv;
 *   vpm_move_ends_t ends = vpm_move_ends_default();
 *   ends.wall_to_m = 1.5;
 *   vpm_move_build(&setup, subject_m, 0, &ends, &mv);
 *   vpm_move_result_t res;
 *   if (vpm_move_judge(&setup, &mv, ws, &res) == VPM_OK) { ...; vpm_move_result_free(&res); }
 */
#ifndef VPMOIRE_MOVE_H
#define VPMOIRE_MOVE_H

#include <stddef.h>

#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The distances of a set-up at one moment, in metres from the sensor
 * plane.  subject_m and subject2_m are 0 when there is no such subject. */
typedef struct {
	double wall_m, focus_m, subject_m, subject2_m;
} vpm_move_state_t;

/* A move: the state at t = 0 and at t = 1, linear in between. */
typedef struct {
	vpm_move_state_t start, end;
} vpm_move_t;

/* How a move ends, as a crew describes it; every field 0 means "no change". */
typedef struct {
	double wall_to_m;    /* camera to wall at the end (push-in or pull-out) */
	double focus_to_m;   /* focus at the end (a focus pull); 0: focus follows
			      * the subject when it started on the subject, else
			      * stays where it was set */
	double subject_to_m; /* camera to subject at the end; 0: the subject stays
			      * on its mark (or, with `together`, with the camera) */
	int together;	     /* 1: the camera and the subject travel together (the
			      * camera-to-subject distance holds); 0: the camera
			      * travels alone past a subject on its mark */
} vpm_move_ends_t;

/* All zero: no change. */
vpm_move_ends_t vpm_move_ends_default(void);

/* The move of a set-up `s` (its wall_m and focus_m are the start) with a
 * subject at subject_m (0: none) and a second subject at subject2_m (0:
 * none, which stays on its mark through a push-in) that ends as `ends`
 * says.  VPM_EINVAL for NULL; VPM_ERANGE for a negative or non-finite end
 * distance, or a subject at or behind the wall at either end (the
 * distances are linear in t, so then everywhere between), with a message
 * naming the distance. */
vpm_status_t vpm_move_build(const vpm_setup_t *s, double subject_m, double subject2_m,
			    const vpm_move_ends_t *ends, vpm_move_t *out);

/* The state at t (clamped to [0, 1]). */
vpm_move_state_t vpm_move_at(const vpm_move_t *mv, double t);

/* One evaluated moment of a move. */
typedef struct {
	double t;
	vpm_move_state_t at;
	double visibility;   /* vpm_result_visibility() */
	double led_pitch_px; /* LED image pitch in photosites */
	vpm_risk_t risk;
	int subject_sharp;  /* 1 when the subject (or no subject) is inside the DOF */
	int subject2_sharp; /* ... the second subject */
} vpm_move_sample_t;

/* A t range over which the verdict is the same. */
typedef struct {
	double t0, t1;
	vpm_risk_t risk;
} vpm_move_segment_t;

/* The verdict along a move.  Arrays are owned by the result: free it
 * with vpm_move_result_free(). */
typedef struct {
	size_t n_samples; /* moments evaluated, in increasing t */
	vpm_move_sample_t *samples;
	vpm_move_sample_t worst;      /* the largest visibility (the earliest on a tie) */
	vpm_result_t worst_result;    /* the full prediction at the worst point */
	size_t n_segments;	      /* at least 1 */
	vpm_move_segment_t *segments; /* contiguous, from t 0 to t 1 */
	vpm_risk_t risk;	      /* the worst point's risk: the move's verdict */
	/* sharpness: the first and last t at which a subject is outside the
	 * depth of field (NAN: sharp throughout, or no such subject) */
	double subject_soft_t0, subject_soft_t1;
	double subject2_soft_t0, subject2_soft_t1;
} vpm_move_result_t;

/* The largest step in t (1/64): even a move whose LED image pitch hardly
 * changes is sampled this often, so that focus and depth of field are. */
#define VPM_MOVE_MAX_STEP (1.0 / 64.0)

/* The smallest step in t (1e-4), and the resolution of the segment ends. */
#define VPM_MOVE_MIN_STEP 1e-4

/* Judge set-up `s` along move `mv`: s gives everything but the distances,
 * which come from the move.  Samples with the step rule of doc/model.md
 * ("Shots that move"), refines the worst point and the ends of each
 * segment to VPM_MOVE_MIN_STEP.  On success fills *out (free it with
 * vpm_move_result_free()); on failure leaves nothing allocated and returns
 * VPM_EINVAL (NULL), VPM_ENOMEM, or the status of vpm_predict() at the
 * first moment that fails, the message naming t and the distances. */
vpm_status_t vpm_move_judge(const vpm_setup_t *s, const vpm_move_t *mv, vpm_predict_workspace_t *ws,
			    vpm_move_result_t *out);

/* Free the arrays of a result (NULL, or a freed result, is a no-op). */
void vpm_move_result_free(vpm_move_result_t *r);

/* The segments as one line, e.g. "t 0.00-0.31 SAFE, 0.31-0.58 RISKY,
 * 0.58-1.00 CAUTION", into buf (at most n bytes, NUL-terminated); returns
 * the length it needed. */
int vpm_move_describe_segments(const vpm_move_result_t *r, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_MOVE_H */
