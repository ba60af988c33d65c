/* vpmoire — shots that move: the verdict sampled along a move (issue 19).
 *
 * The step rule (doc/model.md, "Shots that move").  The moiré's beat is
 * the distance of an LED harmonic's frequency k·ν0 from the nearest
 * point of the sampling lattice's reciprocal lattice (n/a for luma, n/(2a)
 * for the Bayer red and blue: SPEC §2 step 5).  In cycles across the
 * picture it is W_px·|k·q − n/2| with q = a·ν0 = 1 / (LED image pitch in
 * photosites).  So along a move the beat changes by at most
 *
 *     Δbeat = K · W_px · |Δq|   cycles per picture width
 *
 * per step, K the highest harmonic order among the components the
 * predictor names.  It changes fastest where q changes fastest, and it
 * passes through zero (and through the contrast sensitivity's peak on
 * either side) where k·q crosses n/2: the beat crossing.  Bounding Δbeat
 * per step by VPM_MOVE_BEAT_STEP cycles per picture width makes the
 * sampling follow the beat however fast the magnification changes: near
 * the crossing the visibility is a function of the beat alone (the blur
 * changes slowly), and the viewer's contrast sensitivity varies on the
 * scale of its peak, 3 to 5 cy/deg (Barten 1999, "Contrast Sensitivity of
 * the Human Eye and Its Effects on Image Quality", SPIE, ch. 3), i.e.
 * some 200 cycles across a picture 60 degrees wide (a 16:9 picture seen
 * from 1.5 picture heights, SPEC §2).  4 cycles per picture width per step
 * is 1/50 of that scale.  A second bound refines where the visibility
 * itself changes fast (blur, depth of field, a component appearing): no
 * step changes it by more than VPM_MOVE_VIS_STEP of the caution threshold,
 * down to VPM_MOVE_MIN_STEP.  The worst point is then refined on a finer
 * grid around the best sample, and each change of verdict is bisected to
 * VPM_MOVE_MIN_STEP.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "vpmoire/move.h"
#include "vpmoire/plan.h"

/* Bound on the change of the beat per step, cycles per picture width:
 * 1/50 of the contrast sensitivity's peak (see above). */
#define VPM_MOVE_BEAT_STEP 4.0
/* Bound on the change of visibility per step, as a fraction of the
 * caution threshold: a tenth, below the planning tolerance's effect on
 * the visibility (SPEC §2 step 4, δ = 0.10). */
#define VPM_MOVE_VIS_STEP 0.1
/* Points per side of the worst sample in each refinement pass. */
#define WORST_REFINE 16

vpm_move_ends_t vpm_move_ends_default(void)
{
	vpm_move_ends_t e;

	memset(&e, 0, sizeof e);
	return e;
}

static int bad_distance(double d)
{
	return !(d >= 0.0) || isnan(d) || isinf(d);
}

vpm_status_t vpm_move_build(const vpm_setup_t *s, double subject_m, double subject2_m,
			    const vpm_move_ends_t *ends, vpm_move_t *out)
{
	vpm_move_t mv;
	double travel_m;

	if (s == NULL || ends == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "move: NULL argument");
	if (bad_distance(ends->wall_to_m))
		return vpm_error(VPM_ERANGE, "move: end camera-to-wall distance %g m",
				 ends->wall_to_m);
	if (bad_distance(ends->subject_to_m))
		return vpm_error(VPM_ERANGE, "move: end subject distance %g m", ends->subject_to_m);
	if (!(ends->focus_to_m >= 0.0) || isnan(ends->focus_to_m))
		return vpm_error(VPM_ERANGE, "move: end focus distance %g m", ends->focus_to_m);
	if (bad_distance(subject_m) || bad_distance(subject2_m))
		return vpm_error(VPM_ERANGE, "move: subject distance %g m",
				 bad_distance(subject_m) ? subject_m : subject2_m);
	if (!(s->wall_m > 0.0) || isinf(s->wall_m))
		return vpm_error(VPM_ERANGE, "move: camera-to-wall distance %g m", s->wall_m);
	if (ends->subject_to_m > 0.0 && subject_m <= 0.0)
		return vpm_error(VPM_EINVAL, "move: an end subject distance needs a subject");

	mv.start.wall_m = s->wall_m;
	mv.start.focus_m = s->focus_m;
	mv.start.subject_m = subject_m;
	mv.start.subject2_m = subject2_m;
	mv.end.wall_m = ends->wall_to_m > 0.0 ? ends->wall_to_m : s->wall_m;
	/* how far the camera travels towards the wall */
	travel_m = mv.start.wall_m - mv.end.wall_m;
	if (ends->subject_to_m > 0.0)
		mv.end.subject_m = ends->subject_to_m;
	else if (subject_m > 0.0 && !ends->together)
		mv.end.subject_m = subject_m - travel_m; /* on its mark: the camera passes */
	else
		mv.end.subject_m = subject_m;
	mv.end.subject2_m = subject2_m > 0.0 ? subject2_m - travel_m : 0.0;
	if (ends->focus_to_m > 0.0)
		mv.end.focus_m = ends->focus_to_m;
	else if (subject_m > 0.0 && fabs(s->focus_m - subject_m) <= 1e-9 * subject_m)
		mv.end.focus_m = mv.end.subject_m; /* the focus puller follows the subject */
	else
		mv.end.focus_m = s->focus_m;

	if (subject_m > 0.0 && !(mv.end.subject_m > 0.0))
		return vpm_error(VPM_ERANGE,
				 "move: the camera passes the subject (%g m away, %g m of travel)",
				 subject_m, travel_m);
	if (subject2_m > 0.0 && !(mv.end.subject2_m > 0.0))
		return vpm_error(VPM_ERANGE,
				 "move: the camera passes the second subject (%g m away, %g m of "
				 "travel)",
				 subject2_m, travel_m);
	if ((subject_m > 0.0 && subject_m >= mv.start.wall_m) ||
	    (subject_m > 0.0 && mv.end.subject_m >= mv.end.wall_m))
		return vpm_error(VPM_ERANGE, "move: the subject must stay in front of the wall");
	if ((subject2_m > 0.0 && subject2_m >= mv.start.wall_m) ||
	    (subject2_m > 0.0 && mv.end.subject2_m >= mv.end.wall_m))
		return vpm_error(VPM_ERANGE,
				 "move: the second subject must stay in front of the wall");
	*out = mv;
	return VPM_OK;
}

static double lerp(double a, double b, double t)
{
	if (a == b)
		return a;
	return a + t * (b - a);
}

vpm_move_state_t vpm_move_at(const vpm_move_t *mv, double t)
{
	vpm_move_state_t st;

	if (t < 0.0)
		t = 0.0;
	if (t > 1.0)
		t = 1.0;
	st.wall_m = lerp(mv->start.wall_m, mv->end.wall_m, t);
	st.subject_m = lerp(mv->start.subject_m, mv->end.subject_m, t);
	st.subject2_m = lerp(mv->start.subject2_m, mv->end.subject2_m, t);
	if (isinf(mv->start.focus_m) || isinf(mv->end.focus_m)) {
		/* a pull from or to infinity: linear in dioptres, as the focus
		 * ring's scale is near infinity */
		double d = lerp(1.0 / mv->start.focus_m, 1.0 / mv->end.focus_m, t);
		st.focus_m = d > 0.0 ? 1.0 / d : INFINITY;
	} else {
		st.focus_m = lerp(mv->start.focus_m, mv->end.focus_m, t);
	}
	return st;
}

/* ---------------------------------------------------------------- judge */

typedef struct {
	const vpm_setup_t *s;
	const vpm_move_t *mv;
	vpm_predict_workspace_t *ws;
	vpm_move_sample_t *v;
	size_t n, cap;
} judge_t;

static vpm_status_t evaluate(judge_t *j, double t, vpm_move_sample_t *out, vpm_result_t *res)
{
	vpm_setup_t ss = *j->s;
	vpm_result_t r;
	vpm_status_t st;
	vpm_move_state_t at = vpm_move_at(j->mv, t);

	ss.wall_m = at.wall_m;
	ss.focus_m = at.focus_m;
	st = vpm_predict(&ss, j->ws, &r);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "move at t %.4f (wall %.3f m, focus %.3f m)", t,
					at.wall_m, at.focus_m);
	out->t = t;
	out->at = at;
	out->visibility = vpm_result_visibility(&r);
	out->led_pitch_px = r.led_pitch_px;
	out->risk = r.risk;
	{
		vpm_subject_t a = { at.subject_m, at.subject_m };
		vpm_subject_t b = { at.subject2_m, at.subject2_m };

		out->subject_sharp = vpm_plan_subject_in_dof(&r, a);
		out->subject2_sharp = vpm_plan_subject_in_dof(&r, b);
	}
	if (res != NULL)
		*res = r;
	return VPM_OK;
}

static vpm_status_t grow(judge_t *j)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 256;
		vpm_move_sample_t *v = realloc(j->v, cap * sizeof *v);

		if (v == NULL)
			return vpm_error(VPM_ENOMEM, "move: out of memory");
		j->v = v;
		j->cap = cap;
	}
	return VPM_OK;
}

/* Keep an evaluated sample. */
static vpm_status_t keep(judge_t *j, const vpm_move_sample_t *smp)
{
	vpm_status_t st = grow(j);

	if (st == VPM_OK)
		j->v[j->n++] = *smp;
	return st;
}

/* Evaluate at t and keep the sample. */
static vpm_status_t add(judge_t *j, double t, vpm_move_sample_t *out, vpm_result_t *res)
{
	vpm_status_t st = grow(j);

	if (st != VPM_OK)
		return st;
	st = evaluate(j, t, &j->v[j->n], res);
	if (st != VPM_OK)
		return st;
	if (out != NULL)
		*out = j->v[j->n];
	j->n++;
	return VPM_OK;
}

static int by_t(const void *a, const void *b)
{
	double x = ((const vpm_move_sample_t *)a)->t, y = ((const vpm_move_sample_t *)b)->t;

	return (x > y) - (x < y);
}

/* Highest harmonic order among the named components (at least 1). */
static int harmonic_order(const vpm_result_t *r)
{
	int k = 1;
	size_t i;

	for (i = 0; i < r->n_top; i++) {
		int a = abs(r->top[i].k), b = abs(r->top[i].l);

		if (a > k)
			k = a;
		if (b > k)
			k = b;
	}
	return k;
}

/* The adaptive pass from t 0 to t 1 (the step rule at the top). */
static vpm_status_t sweep(judge_t *j)
{
	vpm_move_sample_t cur, cand;
	vpm_result_t rcur;
	double h = VPM_MOVE_MAX_STEP, width = j->s->width_px > 0 ? j->s->width_px : 1;
	double dv_max = VPM_MOVE_VIS_STEP * (j->s->caution_at > 0 ? j->s->caution_at : 1.0);
	vpm_status_t st;

	if ((st = add(j, 0.0, &cur, &rcur)) != VPM_OK)
		return st;
	while (cur.t < 1.0) {
		int order = harmonic_order(&rcur);
		vpm_result_t rc;

		for (;;) {
			double t = cur.t + h, beat, dv, scale;

			if (t > 1.0 - 1e-12)
				t = 1.0;
			if ((st = evaluate(j, t, &cand, &rc)) != VPM_OK)
				return st;
			if (h <= VPM_MOVE_MIN_STEP * 1.000001)
				break;
			beat = order * width *
			       fabs(1.0 / cand.led_pitch_px - 1.0 / cur.led_pitch_px);
			dv = fabs(cand.visibility - cur.visibility);
			if (beat <= VPM_MOVE_BEAT_STEP && dv <= dv_max)
				break;
			scale = 0.5;
			if (beat > VPM_MOVE_BEAT_STEP && 0.9 * VPM_MOVE_BEAT_STEP / beat < scale)
				scale = 0.9 * VPM_MOVE_BEAT_STEP / beat;
			h *= scale;
			if (h < VPM_MOVE_MIN_STEP)
				h = VPM_MOVE_MIN_STEP;
		}
		if ((st = keep(j, &cand)) != VPM_OK)
			return st;
		cur = cand;
		rcur = rc;
		h *= 2.0;
		if (h > VPM_MOVE_MAX_STEP)
			h = VPM_MOVE_MAX_STEP;
	}
	return VPM_OK;
}

static size_t worst_index(const judge_t *j)
{
	size_t i, w = 0;

	for (i = 1; i < j->n; i++)
		if (j->v[i].visibility > j->v[w].visibility)
			w = i;
	return w;
}

/* Two passes of a finer grid around the worst sample (samples sorted). */
static vpm_status_t refine_worst(judge_t *j)
{
	int pass, i;
	vpm_status_t st;

	for (pass = 0; pass < 2; pass++) {
		size_t w;
		double lo, hi;

		qsort(j->v, j->n, sizeof *j->v, by_t);
		w = worst_index(j);
		lo = w > 0 ? j->v[w - 1].t : j->v[w].t;
		hi = w + 1 < j->n ? j->v[w + 1].t : j->v[w].t;
		if (hi - lo <= 2.0 * VPM_MOVE_MIN_STEP / WORST_REFINE)
			break;
		for (i = 1; i < 2 * WORST_REFINE; i++) {
			double t = lo + (hi - lo) * i / (2.0 * WORST_REFINE);

			if (fabs(t - j->v[w].t) < 1e-12)
				continue;
			if ((st = add(j, t, NULL, NULL)) != VPM_OK)
				return st;
		}
	}
	qsort(j->v, j->n, sizeof *j->v, by_t);
	return VPM_OK;
}

/* Bisect every change of verdict to VPM_MOVE_MIN_STEP (samples sorted). */
static vpm_status_t refine_changes(judge_t *j)
{
	vpm_status_t st;

	for (;;) {
		size_t i;
		int found = 0;

		for (i = 1; i < j->n; i++) {
			if (j->v[i].risk != j->v[i - 1].risk &&
			    j->v[i].t - j->v[i - 1].t > VPM_MOVE_MIN_STEP * 1.000001) {
				double t = 0.5 * (j->v[i].t + j->v[i - 1].t);

				if ((st = add(j, t, NULL, NULL)) != VPM_OK)
					return st;
				found = 1;
				break;
			}
		}
		if (!found)
			return VPM_OK;
		qsort(j->v, j->n, sizeof *j->v, by_t);
	}
}

static vpm_status_t segments(judge_t *j, vpm_move_result_t *out)
{
	size_t i, n = 1;
	vpm_move_segment_t *g;

	for (i = 1; i < j->n; i++)
		if (j->v[i].risk != j->v[i - 1].risk)
			n++;
	g = malloc(n * sizeof *g);
	if (g == NULL)
		return vpm_error(VPM_ENOMEM, "move: out of memory");
	g[0].t0 = 0.0;
	g[0].risk = j->v[0].risk;
	n = 0;
	for (i = 1; i < j->n; i++) {
		if (j->v[i].risk != j->v[i - 1].risk) {
			double b = 0.5 * (j->v[i].t + j->v[i - 1].t);

			g[n].t1 = b;
			n++;
			g[n].t0 = b;
			g[n].risk = j->v[i].risk;
		}
	}
	g[n].t1 = 1.0;
	out->segments = g;
	out->n_segments = n + 1;
	return VPM_OK;
}

vpm_status_t vpm_move_judge(const vpm_setup_t *s, const vpm_move_t *mv, vpm_predict_workspace_t *ws,
			    vpm_move_result_t *out)
{
	judge_t j;
	vpm_move_result_t res;
	vpm_status_t st;
	size_t i;

	if (s == NULL || mv == NULL || ws == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "move: NULL argument");
	memset(&j, 0, sizeof j);
	memset(&res, 0, sizeof res);
	j.s = s;
	j.mv = mv;
	j.ws = ws;
	st = sweep(&j);
	if (st == VPM_OK)
		st = refine_worst(&j);
	if (st == VPM_OK)
		st = refine_changes(&j);
	if (st == VPM_OK) {
		res.worst = j.v[worst_index(&j)];
		st = evaluate(&j, res.worst.t, &res.worst, &res.worst_result);
	}
	if (st == VPM_OK)
		st = segments(&j, &res);
	if (st != VPM_OK) {
		free(j.v);
		return st;
	}
	res.samples = j.v;
	res.n_samples = j.n;
	res.risk = res.worst.risk;
	res.subject_soft_t0 = res.subject_soft_t1 = NAN;
	res.subject2_soft_t0 = res.subject2_soft_t1 = NAN;
	for (i = 0; i < j.n; i++) {
		if (!j.v[i].subject_sharp) {
			if (isnan(res.subject_soft_t0))
				res.subject_soft_t0 = j.v[i].t;
			res.subject_soft_t1 = j.v[i].t;
		}
		if (!j.v[i].subject2_sharp) {
			if (isnan(res.subject2_soft_t0))
				res.subject2_soft_t0 = j.v[i].t;
			res.subject2_soft_t1 = j.v[i].t;
		}
	}
	*out = res;
	return VPM_OK;
}

void vpm_move_result_free(vpm_move_result_t *r)
{
	if (r == NULL)
		return;
	free(r->samples);
	free(r->segments);
	r->samples = NULL;
	r->segments = NULL;
	r->n_samples = r->n_segments = 0;
}

int vpm_move_describe_segments(const vpm_move_result_t *r, char *buf, size_t n)
{
	size_t i;
	int len = 0;

	if (buf != NULL && n > 0)
		buf[0] = '\0';
	if (r == NULL)
		return 0;
	for (i = 0; i < r->n_segments; i++) {
		char tmp[96];
		int k = snprintf(tmp, sizeof tmp, "%s%.2f-%.2f %s", i ? ", " : "t ",
				 r->segments[i].t0, r->segments[i].t1,
				 vpm_risk_label(r->segments[i].risk));

		if (buf != NULL && (size_t)len + 1 < n)
			snprintf(buf + len, n - (size_t)len, "%s", tmp);
		len += k;
	}
	return len;
}
