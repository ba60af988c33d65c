/* Planning on top of the predictor: stop and focus advice, focus placement.
 * Every candidate is judged by vpm_predict(), so advice agrees with check. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "vpmoire/geometry.h"
#include "vpmoire/plan.h"

/* Relative slack when comparing distances (float noise, not physics). */
#define DOF_EPS 1e-9

static const double stop_series[] = { 1.0,  1.1,  1.2,	1.4,  1.6,  1.8,  2.0,	2.2, 2.5, 2.8,
				      3.2,  3.5,  4.0,	4.5,  5.0,  5.6,  6.3,	7.1, 8.0, 9.0,
				      10.0, 11.0, 13.0, 14.0, 16.0, 18.0, 20.0, 22.0 };

const double *vpm_plan_stop_series(size_t *n)
{
	if (n != NULL)
		*n = sizeof stop_series / sizeof stop_series[0];
	return stop_series;
}

int vpm_plan_subject_in_dof(const vpm_result_t *r, vpm_subject_t subject)
{
	if (subject.near_m <= 0.0)
		return 1;
	return subject.near_m >= r->dof_near_m * (1.0 - DOF_EPS) &&
	       (isinf(r->dof_far_m) || subject.far_m <= r->dof_far_m * (1.0 + DOF_EPS));
}

/* ------------------------------------------------------------------ advice */

vpm_plan_limits_t vpm_plan_limits_default(void)
{
	vpm_plan_limits_t l;

	memset(&l, 0, sizeof l);
	return l;
}

void vpm_plan_limits_lens(vpm_plan_limits_t *limits, const vpm_catalog_t *cat,
			  const vpm_lens_t *lens, const vpm_lens_t **buf, size_t cap)
{
	size_t n = 0;

	if (limits == NULL)
		return;
	limits->lens = lens;
	limits->series = NULL;
	limits->n_series = 0;
	if (cat == NULL || lens == NULL || lens->series == NULL || lens->series[0] == '\0' ||
	    buf == NULL || cap == 0)
		return;
	if (vpm_catalog_find_series(cat, lens->series, buf, cap, &n) == VPM_OK) {
		limits->series = buf;
		limits->n_series = n < cap ? n : cap;
	} else {
		/* no series of that name: no lens change, and no error */
		vpm_error_clear();
	}
}

/* How much each kind of change alters the shot (lower: less). */
static int disruption(vpm_advice_kind_t k)
{
	switch (k) {
	case VPM_ADVICE_STOP: return 1;
	case VPM_ADVICE_FOCUS: return 2;
	case VPM_ADVICE_DELIVERY: return 3;
	case VPM_ADVICE_CAMERA: return 4;
	case VPM_ADVICE_WALL: return 5;
	case VPM_ADVICE_LENS: return 6;
	default: return 7;
	}
}

/* Is advice a worth giving over the current state (risk v0/risk0)? */
static int worth(const vpm_advice_t *a, double v0, vpm_risk_t risk0)
{
	return a->subject_sharp && (a->risk < risk0 || a->visibility < 0.75 * v0);
}

/* a better than b: lower risk, then lower visibility */
static int better(const vpm_advice_t *a, const vpm_advice_t *b)
{
	if (a->risk != b->risk)
		return a->risk < b->risk;
	return a->visibility < b->visibility;
}

typedef struct {
	const vpm_setup_t *setup;
	const vpm_plan_limits_t *lim;
	vpm_predict_workspace_t *ws;
	double subject_m; /* camera to subject (the subject's near edge), 0: none */
	double min_focus; /* the closest the lens in use focuses */
	double stop_lo, stop_hi;
} planner_t;

static vpm_status_t default_judge(void *ctx, const vpm_setup_t *changed, const vpm_advice_t *a,
				  vpm_plan_verdict_t *out)
{
	const planner_t *P = ctx;
	vpm_result_t r;
	vpm_status_t st = vpm_predict(changed, P->ws, &r);
	vpm_subject_t subj = P->lim->subject;

	if (st != VPM_OK)
		return st;
	if (subj.near_m > 0.0) {
		double move = a->kind == VPM_ADVICE_CAMERA || a->kind == VPM_ADVICE_LENS
				      ? a->camera_move_m
				      : 0.0;
		subj.near_m += move;
		subj.far_m += move;
	}
	out->visibility = vpm_result_visibility(&r);
	out->risk = r.risk;
	out->subject_sharp = vpm_plan_subject_in_dof(&r, subj);
	out->feasible = 1;
	return VPM_OK;
}

/* Apply change a to the set-up, judge it, and fill a's verdict. */
static vpm_status_t judge(planner_t *P, vpm_advice_t *a, int *feasible)
{
	vpm_setup_t s = *P->setup;
	vpm_plan_verdict_t v;
	vpm_status_t st;

	s.stop = a->stop;
	s.focus_m = a->focus_m;
	s.wall_m = a->wall_m;
	s.delivery_px = a->delivery_px;
	if (a->lens != NULL && a->kind == VPM_ADVICE_LENS)
		vpm_setup_apply_lens(&s, a->lens);
	memset(&v, 0, sizeof v);
	if (P->lim->judge)
		st = P->lim->judge(P->lim->judge_ctx, &s, a, &v);
	else
		st = default_judge(P, &s, a, &v);
	if (st == VPM_EGEOMETRY || st == VPM_ERANGE) {
		/* a change that cannot be set up (the wall nearer than the lens
		 * focuses, ...) is not a candidate */
		vpm_error_clear();
		memset(&v, 0, sizeof v);
		v.risk = VPM_RISK_RISKY;
		v.visibility = INFINITY;
		st = VPM_OK;
	}
	if (st != VPM_OK)
		return st;
	a->visibility = v.visibility;
	a->risk = v.risk;
	a->subject_sharp = v.subject_sharp;
	*feasible = v.feasible;
	return VPM_OK;
}

/* The advice that changes nothing (a template for each kind). */
static vpm_advice_t unchanged(const planner_t *P, vpm_advice_kind_t kind)
{
	vpm_advice_t a;

	memset(&a, 0, sizeof a);
	a.kind = kind;
	a.stop = P->setup->stop;
	a.focus_m = P->setup->focus_m;
	a.wall_m = P->setup->wall_m;
	a.subject_m = P->subject_m;
	a.lens = P->lim->lens;
	a.focal_mm = P->setup->focal_mm;
	a.delivery_px = P->setup->delivery_px;
	return a;
}

#define ADD_WHY(out, ...)                                                                    \
	do {                                                                                 \
		size_t used_ = strlen((out)->why);                                           \
		if (used_ < sizeof(out)->why)                                                \
			snprintf((out)->why + used_, sizeof(out)->why - used_, __VA_ARGS__); \
	} while (0)

/* 1. Another stop: the nearest (in stops) that is safe, else the best. */
static vpm_status_t plan_stop(planner_t *P, double v0, vpm_risk_t risk0, vpm_advice_t *best,
			      int *have)
{
	size_t i, nseries;
	vpm_status_t st;

	vpm_plan_stop_series(&nseries);
	*have = 0;
	for (i = 0; i <= nseries; i++) {
		double stop = i < nseries ? stop_series[i] : P->stop_lo;
		vpm_advice_t c = unchanged(P, VPM_ADVICE_STOP);
		int ok;

		if (stop < P->stop_lo * (1.0 - 1e-9) || stop > P->stop_hi * (1.0 + 1e-9) ||
		    fabs(stop - P->setup->stop) < 1e-9)
			continue;
		c.stop = stop;
		if ((st = judge(P, &c, &ok)) != VPM_OK)
			return st;
		if (!ok || !worth(&c, v0, risk0))
			continue;
		if (*have && c.risk == VPM_RISK_SAFE && best->risk == VPM_RISK_SAFE) {
			/* among safe stops the one nearest the current stop */
			if (fabs(log(stop / P->setup->stop)) <
			    fabs(log(best->stop / P->setup->stop)))
				*best = c;
			continue;
		}
		if (!*have || better(&c, best)) {
			*best = c;
			*have = 1;
		}
	}
	return VPM_OK;
}

/* 2. Focus closer (the wall falls further out of focus): the smallest move
 * that is safe, else the best, keeping the subject sharp. */
static vpm_status_t plan_focus(planner_t *P, double v0, vpm_risk_t risk0, vpm_advice_t *best,
			       int *have, int *lost_subject)
{
	const vpm_setup_t *setup = P->setup;
	const double lo = P->min_focus;
	const int steps = 200;
	vpm_status_t st;
	int k;

	*have = 0;
	*lost_subject = 0;
	if (!isfinite(setup->focus_m) || setup->focus_m <= lo)
		return VPM_OK;
	for (k = 1; k <= steps; k++) {
		vpm_advice_t c = unchanged(P, VPM_ADVICE_FOCUS);
		int ok;

		c.focus_m = setup->focus_m - (setup->focus_m - lo) * (double)k / steps;
		if ((st = judge(P, &c, &ok)) != VPM_OK)
			return st;
		if (!c.subject_sharp && P->lim->subject.near_m > 0.0 &&
		    c.focus_m < P->lim->subject.near_m) {
			*lost_subject = 1;
			break; /* closer still only loses the subject further */
		}
		if (!ok || !worth(&c, v0, risk0))
			continue;
		if (*have && best->risk == VPM_RISK_SAFE)
			continue; /* the first safe one is the smallest move */
		if (!*have || better(&c, best)) {
			*best = c;
			*have = 1;
		}
	}
	return VPM_OK;
}

/* 3, 4. The camera alone (kind CAMERA), or camera and subject together
 * (WALL), moved along the axis: the smallest move, back or forward, after
 * which the set-up is safe and stays safe for `hold_m` more, inside the
 * stage and the lens's close focus. */
static vpm_status_t plan_move(planner_t *P, vpm_advice_kind_t kind, vpm_advice_t *best, int *have)
{
	const vpm_setup_t *setup = P->setup;
	const double step_m = 0.02, hold_m = 0.25;
	const int hold = (int)ceil(hold_m / step_m);
	double max_wall = P->lim->max_wall_m > 0.0 ? P->lim->max_wall_m : setup->wall_m + 10.0;
	double min_wall = P->lim->min_wall_m;
	vpm_status_t st;
	int dir;

	*have = 0;
	for (dir = 1; dir >= -1; dir -= 2) {
		int run = 0, k;
		vpm_advice_t first;

		if (kind == VPM_ADVICE_WALL && dir < 0)
			break; /* the subject closer to the wall only sharpens it */
		memset(&first, 0, sizeof first);
		for (k = 1; k <= 1000; k++) {
			double d = dir * step_m * k;
			vpm_advice_t c = unchanged(P, kind);
			int ok;

			if (*have && fabs(d) >= fabs(best->camera_move_m))
				break; /* the other direction already found a smaller move */
			c.wall_m = setup->wall_m + d;
			if (c.wall_m > max_wall + 1e-9 || c.wall_m < min_wall - 1e-9)
				break;
			if (kind == VPM_ADVICE_CAMERA) {
				c.camera_move_m = d;
				if (P->subject_m > 0.0)
					c.subject_m = P->subject_m + d;
				if (isfinite(setup->focus_m))
					c.focus_m = setup->focus_m + d;
				/* the lens must still focus on what it focused on */
				if (c.focus_m < P->min_focus ||
				    (P->subject_m > 0.0 && c.subject_m < P->min_focus))
					break;
			} else {
				c.camera_move_m = d; /* the camera and the subject together */
			}
			if (c.wall_m <= (P->subject_m > 0.0 ? c.subject_m : 0.0) + 0.05 ||
			    (isfinite(c.focus_m) && c.wall_m <= c.focus_m))
				break;
			if ((st = judge(P, &c, &ok)) != VPM_OK)
				return st;
			if (!ok)
				break; /* off the stage: further is off it too */
			if (c.risk != VPM_RISK_SAFE || !c.subject_sharp) {
				run = 0;
				continue;
			}
			if (run++ == 0)
				first = c;
			if (run > hold) {
				*best = first;
				*have = 1;
				break;
			}
		}
	}
	return VPM_OK;
}

/* 5. Another lens of the series at the same framing: the nearest focal
 * length that is safe (and stays safe for the camera 0.25 m either side). */
static vpm_status_t plan_lens(planner_t *P, vpm_advice_t *best, int *have, int *blocked)
{
	const vpm_setup_t *setup = P->setup;
	const vpm_plan_limits_t *L = P->lim;
	double max_wall = L->max_wall_m > 0.0 ? L->max_wall_m : setup->wall_m + 10.0;
	vpm_status_t st;
	size_t i;

	*have = 0;
	*blocked = 0;
	for (i = 0; i < L->n_series; i++) {
		const vpm_lens_t *l = L->series[i];
		vpm_advice_t c = unchanged(P, VPM_ADVICE_LENS);
		double lo, hi, d = 0.0, minf;
		int ok, j, steady = 1;

		if (l == NULL || l == L->lens || fabs(l->focal_mm - setup->focal_mm) < 1e-9)
			continue;
		/* the stop in use where the lens has it, else its nearest */
		lo = l->max_t > 0.0 ? l->max_t : 1.0;
		hi = l->min_t > 0.0 ? l->min_t : 22.0;
		if (L->max_stop > 0.0 && L->max_stop < hi)
			hi = L->max_stop;
		if (lo > hi * (1.0 + 1e-9))
			continue; /* too slow for the light */
		c.lens = l;
		c.focal_mm = l->focal_mm;
		c.stop = fmin(fmax(setup->stop, lo), hi);
		if (P->subject_m > 0.0) {
			/* the same framing: subject distance in proportion to the
			 * focal length (equal magnification, distances >> f) */
			d = P->subject_m * (l->focal_mm / setup->focal_mm - 1.0);
			c.subject_m = P->subject_m + d;
		}
		c.camera_move_m = d;
		c.wall_m = setup->wall_m + d;
		if (isfinite(setup->focus_m))
			c.focus_m = setup->focus_m + d;
		minf = vpm_geometry_closest_focus_m(l->focal_mm, l->close_focus_m,
						    VPM_PLAN_FOCUS_MARGIN);
		if (c.wall_m > max_wall + 1e-9 || c.wall_m < L->min_wall_m - 1e-9 ||
		    (isfinite(c.focus_m) && c.focus_m < minf) ||
		    (P->subject_m > 0.0 && c.subject_m < minf)) {
			(*blocked)++;
			continue;
		}
		if ((st = judge(P, &c, &ok)) != VPM_OK)
			return st;
		if (!ok) {
			(*blocked)++;
			continue;
		}
		if (c.risk != VPM_RISK_SAFE || !c.subject_sharp)
			continue;
		/* no chance alignment: safe with the camera 0.25 m either way */
		for (j = -1; j <= 1 && steady; j += 2) {
			vpm_advice_t e = c;
			int ok2;

			e.camera_move_m += 0.25 * j;
			e.wall_m += 0.25 * j;
			if (isfinite(e.focus_m))
				e.focus_m += 0.25 * j;
			if (e.subject_m > 0.0)
				e.subject_m += 0.25 * j;
			if ((isfinite(e.focus_m) && e.focus_m < minf) || e.wall_m > max_wall + 1e-9)
				continue;
			if ((st = judge(P, &e, &ok2)) != VPM_OK)
				return st;
			if (ok2 && e.risk != VPM_RISK_SAFE)
				steady = 0;
		}
		if (!steady)
			continue;
		if (!*have || fabs(log(l->focal_mm / setup->focal_mm)) <
				      fabs(log(best->focal_mm / setup->focal_mm))) {
			*best = c;
			*have = 1;
		}
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_plan_advise_within,
	      (const vpm_setup_t *setup, const vpm_plan_limits_t *limits,
	       vpm_predict_workspace_t *ws, vpm_plan_t *out),
	      (setup, limits, ws, out))
{
	planner_t P;
	vpm_plan_limits_t L;
	vpm_advice_t cand[6], base;
	int have[6] = { 0 }, lost_subject = 0, blocked = 0, ok;
	double v0, lens_hi;
	size_t i, j;
	vpm_status_t st;

	if (setup == NULL || limits == NULL || ws == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "advice: NULL argument");
	memset(out, 0, sizeof *out);
	L = *limits;
	if (L.lens != NULL) {
		L.widest_stop = L.lens->max_t;
		L.narrowest_stop = L.lens->min_t;
		L.close_focus_m = L.lens->close_focus_m;
	}
	P.setup = setup;
	P.lim = &L;
	P.ws = ws;
	P.subject_m = L.subject.near_m > 0.0 ? L.subject.near_m : 0.0;
	P.min_focus = vpm_geometry_closest_focus_m(setup->focal_mm, L.close_focus_m,
						   VPM_PLAN_FOCUS_MARGIN);
	P.stop_lo = L.widest_stop > 0.0 ? L.widest_stop : 1.0;
	lens_hi = L.narrowest_stop > 0.0 ? L.narrowest_stop : 22.0;
	P.stop_hi = lens_hi;
	if (L.max_stop > 0.0 && L.max_stop < P.stop_hi) {
		P.stop_hi = L.max_stop;
		out->exposure_limited = 1;
	}
	out->stop_lo = P.stop_lo;
	out->stop_hi = P.stop_hi;

	/* the state as it is, judged the same way */
	base = unchanged(&P, VPM_ADVICE_NONE);
	if ((st = judge(&P, &base, &ok)) != VPM_OK)
		return st;
	v0 = base.visibility;
	if (base.risk == VPM_RISK_SAFE)
		return VPM_OK;

	if ((st = plan_stop(&P, v0, base.risk, &cand[0], &have[0])) != VPM_OK)
		return st;
	if ((st = plan_focus(&P, v0, base.risk, &cand[1], &have[1], &lost_subject)) != VPM_OK)
		return st;
	if (L.try_delivery && (setup->delivery_px == 0 || setup->delivery_px > 1920) &&
	    (setup->recording_px == 0 || setup->recording_px > 1920) && setup->width_px > 1920) {
		vpm_advice_t c = unchanged(&P, VPM_ADVICE_DELIVERY);

		c.delivery_px = 1920;
		if ((st = judge(&P, &c, &ok)) != VPM_OK)
			return st;
		if (ok && worth(&c, v0, base.risk)) {
			cand[2] = c;
			have[2] = 1;
		}
	}
	if ((st = plan_move(&P, VPM_ADVICE_CAMERA, &cand[3], &have[3])) != VPM_OK)
		return st;
	if ((st = plan_move(&P, VPM_ADVICE_WALL, &cand[4], &have[4])) != VPM_OK)
		return st;
	if ((st = plan_lens(&P, &cand[5], &have[5], &blocked)) != VPM_OK)
		return st;

	/* SAFE first, then the rest; each by how little it changes the shot */
	for (int pass = 0; pass < 2; pass++)
		for (i = 0; i < 6; i++) {
			int safe = have[i] && cand[i].risk == VPM_RISK_SAFE;

			if (!have[i] || safe != (pass == 0) || out->n >= VPM_PLAN_MAX_ADVICE)
				continue;
			out->advice[out->n++] = cand[i];
			out->safe |= safe;
		}
	/* the order of cand[] is the disruption order; keep it stable */
	for (i = 1; i < out->n; i++)
		for (j = i; j > 0; j--) {
			vpm_advice_t *a = &out->advice[j - 1], *b = &out->advice[j];
			int sa = a->risk == VPM_RISK_SAFE, sb = b->risk == VPM_RISK_SAFE;

			if (sa > sb || (sa == sb && disruption(a->kind) <= disruption(b->kind)))
				break;
			vpm_advice_t t = *a;
			*a = *b;
			*b = t;
		}

	if (!out->safe) {
		ADD_WHY(out, "no stop from T%.3g to T%.3g is safe%s", P.stop_lo, P.stop_hi,
			out->exposure_limited ? " (the light allows no smaller stop)" : "");
		if (!isfinite(setup->focus_m))
			ADD_WHY(out, "; focus is at infinity");
		else if (lost_subject)
			ADD_WHY(out, "; focusing closer loses the subject before it is safe");
		else
			ADD_WHY(out, "; no focus down to the lens's close focus is safe");
		ADD_WHY(out, "; no camera position %s is safe",
			L.max_wall_m > 0.0 || L.judge != NULL ? "on the stage" : "within 10 m");
		if (L.n_series > 0)
			ADD_WHY(out, "; no other lens of the series is safe at the same framing%s",
				blocked ? " where it fits" : "");
	}
	return VPM_OK;
}

int vpm_advice_describe(const vpm_advice_t *a, const vpm_setup_t *before, vpm_units_system_t units,
			char *buf, size_t n)
{
	char b1[48], b2[48], verdict[64];
	int dec = units == VPM_UNITS_METRIC ? 2 : 1;

	if (a == NULL || before == NULL)
		return snprintf(buf, n, "no advice");
	snprintf(verdict, sizeof verdict, "-> %s (visibility %.2f)", vpm_risk_label(a->risk),
		 a->visibility);
	switch (a->kind) {
	case VPM_ADVICE_STOP:
		return snprintf(buf, n, "%s to T%g %s",
				a->stop < before->stop ? "open up" : "stop down", a->stop, verdict);
	case VPM_ADVICE_FOCUS: {
		double d = before->focus_m - a->focus_m;
		int fd = d < 0.1 ? dec + 1 : dec;

		vpm_units_format_length(d, units, fd, b1, sizeof b1);
		vpm_units_format_length(a->focus_m, units, fd, b2, sizeof b2);
		return snprintf(buf, n, "move focus %s closer, to %s %s%s", b1, b2, verdict,
				a->subject_m > 0.0 ? "; the subject stays sharp" : "");
	}
	case VPM_ADVICE_WALL:
		vpm_units_format_length(a->camera_move_m, units, dec, b1, sizeof b1);
		return snprintf(buf, n,
				"camera and subject %s further from the wall together, framing and "
				"focus as they are %s",
				b1, verdict);
	case VPM_ADVICE_CAMERA:
		vpm_units_format_length(fabs(a->camera_move_m), units, dec, b1, sizeof b1);
		return snprintf(buf, n,
				"camera %s %s, the subject and the wall where they are%s %s", b1,
				a->camera_move_m > 0.0 ? "back" : "closer",
				a->subject_m > 0.0 ? " (focus follows the subject, which looks "
						     "smaller or larger in frame)"
						   : "",
				verdict);
	case VPM_ADVICE_LENS:
		vpm_units_format_length(fabs(a->camera_move_m), units, dec, b1, sizeof b1);
		if (a->subject_m > 0.0 && fabs(a->camera_move_m) > 1e-9)
			return snprintf(buf, n,
					"%g mm%s%s at T%g with the camera %s %s (the subject the "
					"same size) %s",
					a->focal_mm, a->lens ? " " : "",
					a->lens ? a->lens->name : "", a->stop, b1,
					a->camera_move_m > 0.0 ? "back" : "closer", verdict);
		return snprintf(buf, n, "%g mm%s%s at T%g from the same spot %s", a->focal_mm,
				a->lens ? " " : "", a->lens ? a->lens->name : "", a->stop, verdict);
	case VPM_ADVICE_DELIVERY:
		return snprintf(buf, n, "deliver %d px wide (HD) %s", a->delivery_px, verdict);
	default: return snprintf(buf, n, "no change");
	}
}

/* ------------------------------------------------------------ one set-up */

vpm_plan_shot_options_t vpm_plan_shot_options_default(void)
{
	vpm_plan_shot_options_t o;

	memset(&o, 0, sizeof o);
	return o;
}

void vpm_plan_shot_free(vpm_plan_shot_t *p)
{
	if (p != NULL)
		vpm_move_result_free(&p->move_result);
}

/* The move's worst point decides when it is worse than the start (a move
 * judged from its own start: always). */
static vpm_status_t shot_move(const vpm_setup_t *setup, const vpm_plan_shot_options_t *opt,
			      vpm_predict_workspace_t *ws, vpm_plan_shot_t *out)
{
	const vpm_move_sample_t *w = &out->move_result.worst;
	vpm_status_t st;

	st = vpm_move_build(setup, opt->subject_m, opt->subject2_m, &opt->ends, &out->move);
	if (st == VPM_OK)
		st = vpm_move_judge(setup, &out->move, ws, &out->move_result);
	if (st != VPM_OK)
		return st == VPM_ERANGE ? VPM_EGEOMETRY : st; /* it cannot be shot */
	out->moving = 1;
	if (opt->start == NULL || w->visibility > vpm_result_visibility(&out->result)) {
		out->setup.wall_m = w->at.wall_m;
		out->setup.focus_m = w->at.focus_m;
		out->subject_m = w->at.subject_m;
		out->result = out->move_result.worst_result;
	}
	return VPM_OK;
}

static vpm_status_t shot_advise(const vpm_setup_t *setup, const vpm_plan_shot_options_t *opt,
				vpm_predict_workspace_t *ws, vpm_plan_shot_t *out)
{
	vpm_plan_limits_t L = vpm_plan_limits_default();
	const vpm_lens_t *series[64];
	vpm_setup_t ps = out->setup;
	double subject_m = out->subject_m;
	vpm_status_t st;

	vpm_plan_limits_lens(&L, opt->catalog, opt->lens, series, 64);
	if (opt->judge != NULL) {
		/* the judge applies the change to the set-up as given */
		ps.focus_m = setup->focus_m;
		subject_m = opt->subject_m;
	}
	L.subject.near_m = L.subject.far_m = subject_m;
	L.max_stop = opt->max_stop;
	L.try_delivery = opt->try_delivery;
	L.judge = opt->judge;
	L.judge_ctx = opt->judge_ctx;
	st = vpm_plan_advise_within(&ps, &L, ws, &out->plan);
	if (st == VPM_OK)
		return st;
	return vpm_error_message()[0] != '\0' ? vpm_error_prefix(st, "advice")
					      : vpm_error(st, "advice: %s", vpm_strerror(st));
}

VPM_STATUS_FN(vpm_plan_shot,
	      (const vpm_setup_t *setup, const vpm_plan_shot_options_t *opt,
	       vpm_predict_workspace_t *ws, vpm_plan_shot_t *out),
	      (setup, opt, ws, out))
{
	vpm_status_t st = VPM_OK;

	if (setup == NULL || opt == NULL || ws == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "shot plan: NULL argument");
	memset(out, 0, sizeof *out);
	out->setup = *setup;
	out->subject_m = opt->subject_m;
	if (opt->start != NULL)
		out->result = *opt->start;
	else if (!opt->moving)
		st = vpm_predict(setup, ws, &out->result);
	if (st == VPM_OK && opt->moving)
		st = shot_move(setup, opt, ws, out);
	if (st == VPM_OK && opt->advise && out->result.risk != VPM_RISK_SAFE)
		st = shot_advise(setup, opt, ws, out);
	if (st != VPM_OK)
		vpm_plan_shot_free(out);
	return st;
}

/* DOF limits (m, sensor plane) at focus x (m): the same call and the same
 * circle of confusion as vpm_predict(), so the planner and `check` agree
 * on what is sharp. */
static vpm_status_t dof_at(const vpm_setup_t *setup, double x_m, double *near_m, double *far_m)
{
	vpm_dof_t dof;
	double w_mm = setup->width_px * setup->photosite_um / 1000.0;
	double coc = setup->coc_mm > 0.0 ? setup->coc_mm : vpm_geometry_coc_default_mm(w_mm);
	vpm_status_t st = vpm_geometry_dof_mm(setup->focal_mm, setup->stop, coc, x_m * 1000.0,
					      &dof);

	if (st != VPM_OK)
		return st;
	*near_m = dof.near_mm / 1000.0;
	*far_m = isinf(dof.far_mm) ? INFINITY : dof.far_mm / 1000.0;
	return VPM_OK;
}

static vpm_status_t check_subject(const vpm_setup_t *setup, vpm_subject_t subject)
{
	if (!(subject.near_m > 0.0) || !(subject.far_m >= subject.near_m) ||
	    !isfinite(subject.far_m))
		return vpm_error(VPM_EINVAL,
				 "--subject: the subject's near and far edges must satisfy "
				 "0 < near <= far");
	if (subject.far_m >= setup->wall_m)
		return vpm_error(VPM_EGEOMETRY,
				 "--subject: the subject (to %.3f m) must be in front of the "
				 "wall (%.3f m)",
				 subject.far_m, setup->wall_m);
	return VPM_OK;
}

vpm_plan_focus_options_t vpm_plan_focus_options_default(void)
{
	vpm_plan_focus_options_t o;

	o.steps = 240;
	o.close_focus_m = 0.0;
	return o;
}

VPM_STATUS_FN(vpm_plan_focus_range,
	      (const vpm_setup_t *setup, vpm_subject_t subject, double close_focus_m,
	       double *closest_m, double *furthest_m),
	      (setup, subject, close_focus_m, closest_m, furthest_m))
{
	vpm_setup_t probe;
	vpm_status_t st;
	double minfocus, a, b, n_m, f_m, xmin, xmax;
	int i;

	if (setup == NULL || closest_m == NULL || furthest_m == NULL)
		return vpm_error(VPM_EINVAL, "focus range: NULL argument");
	if ((st = check_subject(setup, subject)) != VPM_OK)
		return st;
	/* the equipment must be valid; the distances are ours to choose */
	probe = *setup;
	probe.focus_m = subject.far_m;
	if ((st = vpm_setup_validate(&probe)) != VPM_OK)
		return st;
	/* a hair beyond 4f: the range's ends are focus settings */
	minfocus = vpm_geometry_closest_focus_m(setup->focal_mm, close_focus_m, 1.0 + 1e-6);
	if (minfocus >= setup->wall_m)
		return vpm_error(VPM_EGEOMETRY,
				 "the lens cannot focus closer than %.3f m, at or behind the wall",
				 minfocus);

	/* xmax: the furthest focus whose near limit still holds the subject's
	 * near edge (the near limit grows with the focus distance). */
	a = fmax(subject.near_m, minfocus);
	if ((st = dof_at(setup, a, &n_m, &f_m)) != VPM_OK)
		return st;
	if (n_m > subject.near_m * (1.0 + DOF_EPS))
		return vpm_error(
			VPM_EGEOMETRY,
			"the subject's near edge (%.3f m) is closer than the lens can hold in "
			"focus (close focus %.3f m)",
			subject.near_m, minfocus);
	b = setup->wall_m;
	if ((st = dof_at(setup, b, &n_m, &f_m)) != VPM_OK)
		return st;
	if (n_m <= subject.near_m) {
		xmax = b;
	} else {
		for (i = 0; i < 100 && b - a > 1e-12 * b; i++) {
			double m = 0.5 * (a + b);
			if ((st = dof_at(setup, m, &n_m, &f_m)) != VPM_OK)
				return st;
			if (n_m <= subject.near_m)
				a = m;
			else
				b = m;
		}
		xmax = a;
	}

	/* xmin: the closest focus whose far limit still reaches the subject's
	 * far edge (the far limit grows with the focus distance). */
	a = minfocus;
	b = fmax(subject.far_m, minfocus);
	if ((st = dof_at(setup, a, &n_m, &f_m)) != VPM_OK)
		return st;
	if (f_m >= subject.far_m) {
		xmin = a;
	} else {
		for (i = 0; i < 100 && b - a > 1e-12 * b; i++) {
			double m = 0.5 * (a + b);
			if ((st = dof_at(setup, m, &n_m, &f_m)) != VPM_OK)
				return st;
			if (f_m >= subject.far_m)
				b = m;
			else
				a = m;
		}
		xmin = b;
	}
	if (xmin > xmax * (1.0 + DOF_EPS))
		return vpm_error(VPM_EGEOMETRY,
				 "at T%g the depth of field cannot hold the subject from %.3f m to "
				 "%.3f m: stop down or give a shallower subject",
				 setup->stop, subject.near_m, subject.far_m);
	*closest_m = fmin(xmin, xmax);
	*furthest_m = xmax;
	return VPM_OK;
}

/* One candidate of the search: evaluated, kept when sharp and strictly
 * better, or equally good and nearer the centre. */
typedef struct {
	const vpm_setup_t *setup;
	vpm_subject_t subject;
	double centre;
	vpm_predict_workspace_t *ws;
	vpm_focus_choice_t *best;
	double bestv;
} search_t;

static vpm_status_t try_focus(search_t *S, double x)
{
	vpm_setup_t s = *S->setup;
	vpm_result_t r;
	vpm_status_t st;
	double v;

	s.focus_m = x;
	if ((st = vpm_predict(&s, S->ws, &r)) != VPM_OK)
		return st;
	if (!vpm_plan_subject_in_dof(&r, S->subject))
		return VPM_OK;
	v = vpm_result_visibility(&r);
	if (v < S->bestv * (1.0 - 1e-9) - 1e-300 ||
	    (v <= S->bestv && fabs(x - S->centre) < fabs(S->best->focus_m - S->centre))) {
		S->bestv = v;
		S->best->stop = S->setup->stop;
		S->best->focus_m = x;
		S->best->result = r;
		S->best->subject_sharp = 1;
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_plan_focus_ex,
	      (const vpm_setup_t *setup, vpm_subject_t subject, const vpm_plan_focus_options_t *opt,
	       vpm_predict_workspace_t *ws, vpm_focus_choice_t *best, vpm_focus_choice_t *naive),
	      (setup, subject, opt, ws, best, naive))
{
	vpm_plan_focus_options_t o = opt ? *opt : vpm_plan_focus_options_default();
	vpm_setup_t s;
	vpm_result_t r;
	vpm_status_t st;
	search_t S;
	double centre, lo, hi, h;
	int i, k, pass;

	if (setup == NULL || ws == NULL || best == NULL || naive == NULL)
		return vpm_error(VPM_EINVAL, "focus plan: NULL argument");
	if (o.steps < 1 || o.steps > 1000000)
		return vpm_error(VPM_EINVAL, "focus plan: %d steps (1 to 1000000)", o.steps);
	if (!(o.close_focus_m >= 0.0) || !isfinite(o.close_focus_m))
		return vpm_error(VPM_EINVAL, "focus plan: close focus %g m", o.close_focus_m);
	if ((st = check_subject(setup, subject)) != VPM_OK)
		return st;
	if (subject.near_m <= vpm_geometry_focus_limit_m(setup->focal_mm))
		return vpm_error(
			VPM_EGEOMETRY,
			"--subject: the subject's near edge (%.3f m) is closer than the lens "
			"can focus (4f = %.3f m)",
			subject.near_m, vpm_geometry_focus_limit_m(setup->focal_mm));

	centre = 0.5 * (subject.near_m + subject.far_m);
	s = *setup;
	s.focus_m = centre;
	if ((st = vpm_predict(&s, ws, &r)) != VPM_OK)
		return st;
	naive->stop = setup->stop;
	naive->focus_m = centre;
	naive->result = r;
	naive->subject_sharp = vpm_plan_subject_in_dof(&r, subject);

	st = vpm_plan_focus_range(setup, subject, o.close_focus_m, &lo, &hi);
	if (st != VPM_OK)
		return st;
	/* focusing behind the centre only brings the wall into sharper focus */
	if (centre >= lo && centre < hi)
		hi = centre;

	S.setup = setup;
	S.subject = subject;
	S.centre = centre;
	S.ws = ws;
	S.best = best;
	S.bestv = INFINITY;
	best->focus_m = INFINITY;
	if (naive->subject_sharp && centre >= lo && centre <= hi) {
		S.bestv = vpm_result_visibility(&naive->result);
		*best = *naive;
	}
	/* first pass from the centre side towards the camera, then two finer
	 * passes around the best (the visibility ripples with focus: the
	 * defocused OTF has side lobes) */
	for (k = 0; k <= o.steps; k++)
		if ((st = try_focus(&S, hi - (hi - lo) * (double)k / o.steps)) != VPM_OK)
			return st;
	h = (hi - lo) / o.steps;
	for (pass = 0; pass < 2 && isfinite(S.bestv) && h > 1e-9; pass++) {
		double x0 = best->focus_m;
		for (i = -4; i <= 4; i++) {
			double x = x0 + h * i / 4.5;
			if (i == 0 || x < lo || x > hi)
				continue;
			if ((st = try_focus(&S, x)) != VPM_OK)
				return st;
		}
		h /= 4.5;
	}
	if (!isfinite(S.bestv))
		return vpm_error(
			VPM_EGEOMETRY,
			"at T%g no focus setting keeps the subject from %.3f m to %.3f m sharp",
			setup->stop, subject.near_m, subject.far_m);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_plan_focus,
	      (const vpm_setup_t *setup, vpm_subject_t subject, vpm_predict_workspace_t *ws,
	       vpm_focus_choice_t *best, vpm_focus_choice_t *naive),
	      (setup, subject, ws, best, naive))
{
	return vpm_plan_focus_ex(setup, subject, NULL, ws, best, naive);
}

VPM_STATUS_FN(vpm_plan_focus_curve,
	      (const vpm_setup_t *setup, vpm_subject_t subject, double x0_m, double x1_m, size_t n,
	       vpm_predict_workspace_t *ws, double *focus_m, double *visibility, int *sharp),
	      (setup, subject, x0_m, x1_m, n, ws, focus_m, visibility, sharp))
{
	vpm_setup_t s;
	vpm_result_t r;
	vpm_status_t st;
	size_t i;

	if (setup == NULL || ws == NULL)
		return vpm_error(VPM_EINVAL, "focus curve: NULL argument");
	if (n < 2 || !isfinite(x0_m) || !isfinite(x1_m) || !(x0_m > 0.0) || !(x1_m > 0.0))
		return vpm_error(VPM_EINVAL,
				 "focus curve: need n >= 2 finite focus settings (n = %zu, "
				 "%g to %g m)",
				 n, x0_m, x1_m);
	s = *setup;
	for (i = 0; i < n; i++) {
		double x = x0_m + (x1_m - x0_m) * (double)i / (double)(n - 1);
		s.focus_m = x;
		if ((st = vpm_predict(&s, ws, &r)) != VPM_OK)
			return st;
		if (focus_m)
			focus_m[i] = x;
		if (visibility)
			visibility[i] = vpm_result_visibility(&r);
		if (sharp)
			sharp[i] = vpm_plan_subject_in_dof(&r, subject);
	}
	return VPM_OK;
}

/* ------------------------------------------------------------ choosing among stops */

VPM_STATUS_FN(vpm_plan_focus_pick,
	      (const vpm_focus_plan_t *plans, size_t n, double widest_stop, double narrowest_stop,
	       double close_focus_m, size_t *index),
	      (plans, n, widest_stop, narrowest_stop, close_focus_m, index))
{
	size_t i, best = 0;
	int found = 0;

	if (plans == NULL || index == NULL || n == 0)
		return vpm_error(VPM_EINVAL, "focus pick: no plans");
	for (i = 0; i < n; i++) {
		const vpm_focus_plan_t *p = &plans[i];
		double v;

		if (!p->feasible || !p->best.subject_sharp)
			continue;
		if (widest_stop > 0.0 && p->best.stop < widest_stop * (1.0 - DOF_EPS))
			continue;
		if (narrowest_stop > 0.0 && p->best.stop > narrowest_stop * (1.0 + DOF_EPS))
			continue;
		if (close_focus_m > 0.0 && p->best.focus_m < close_focus_m * (1.0 - DOF_EPS))
			continue;
		v = vpm_result_visibility(&p->best.result);
		if (!found) {
			best = i;
			found = 1;
		} else {
			double bv = vpm_result_visibility(&plans[best].best.result);
			/* lower visibility; at a tie the wider stop */
			if (v < bv * (1.0 - 1e-9) ||
			    (v <= bv * (1.0 + 1e-9) && p->best.stop < plans[best].best.stop))
				best = i;
		}
	}
	if (!found)
		return vpm_error(VPM_EGEOMETRY,
				 "no stop keeps the whole subject sharp within the lens's stops "
				 "and close focus");
	*index = best;
	return VPM_OK;
}

/* Does the set-up's stop hold the subject?  1 yes, 0 no (VPM_EGEOMETRY),
 * -1 on any other error (status in *st). */
static int holds(const vpm_setup_t *s, vpm_subject_t subject, double close_focus_m,
		 vpm_status_t *st)
{
	double lo, hi;

	*st = vpm_plan_focus_range(s, subject, close_focus_m, &lo, &hi);
	if (*st == VPM_OK)
		return 1;
	return *st == VPM_EGEOMETRY ? 0 : -1;
}

VPM_STATUS_FN(vpm_plan_focus_stop_needed,
	      (const vpm_setup_t *setup, vpm_subject_t subject, double close_focus_m,
	       double widest_stop, double narrowest_stop, double *stop),
	      (setup, subject, close_focus_m, widest_stop, narrowest_stop, stop))
{
	vpm_setup_t s;
	vpm_status_t st;
	size_t i, nseries;
	int h;

	if (setup == NULL || stop == NULL)
		return vpm_error(VPM_EINVAL, "stop needed: NULL argument");
	if (!(widest_stop > 0.0) || !isfinite(widest_stop))
		return vpm_error(VPM_EINVAL, "stop needed: widest stop %g", widest_stop);
	if (narrowest_stop <= 0.0)
		narrowest_stop = 22.0;
	if (!(narrowest_stop >= widest_stop))
		return vpm_error(VPM_EINVAL, "stop needed: narrowest stop T%g is wider than T%g",
				 narrowest_stop, widest_stop);
	s = *setup;
	vpm_plan_stop_series(&nseries);
	/* the widest stop first, then the series beyond it, then the narrowest */
	for (i = 0; i <= nseries + 1; i++) {
		double t = i == 0	  ? widest_stop
			   : i <= nseries ? stop_series[i - 1]
					  : narrowest_stop;
		if (i > 0 &&
		    (t <= widest_stop * (1.0 + DOF_EPS) || t > narrowest_stop * (1.0 + DOF_EPS)))
			continue;
		s.stop = t;
		h = holds(&s, subject, close_focus_m, &st);
		if (h < 0)
			return st;
		if (h) {
			*stop = t;
			return VPM_OK;
		}
	}
	return vpm_error(VPM_EGEOMETRY,
			 "not even T%g holds the subject from %.3f m to %.3f m in the depth of "
			 "field",
			 narrowest_stop, subject.near_m, subject.far_m);
}

VPM_STATUS_FN(vpm_plan_focus_max_depth,
	      (const vpm_setup_t *setup, double centre_m, double close_focus_m, double *depth_m),
	      (setup, centre_m, close_focus_m, depth_m))
{
	vpm_subject_t subj;
	vpm_status_t st;
	double a, b, dmax;
	int h, i;

	if (setup == NULL || depth_m == NULL)
		return vpm_error(VPM_EINVAL, "deepest subject: NULL argument");
	if (!(centre_m > 0.0) || !isfinite(centre_m))
		return vpm_error(VPM_EINVAL, "deepest subject: centre %g m", centre_m);
	subj.near_m = subj.far_m = centre_m;
	if ((h = holds(setup, subj, close_focus_m, &st)) <= 0)
		return st; /* the message of vpm_plan_focus_range() says why */
	/* the subject may reach neither the camera nor the wall */
	dmax = 2.0 * fmin(centre_m, setup->wall_m - centre_m) * (1.0 - 1e-9);
	subj.near_m = centre_m - 0.5 * dmax;
	subj.far_m = centre_m + 0.5 * dmax;
	if ((h = holds(setup, subj, close_focus_m, &st)) < 0)
		return st;
	if (h) {
		*depth_m = dmax;
		return VPM_OK;
	}
	a = 0.0;
	b = dmax;
	for (i = 0; i < 200 && b - a > 1e-6 * b; i++) {
		double m = 0.5 * (a + b);
		subj.near_m = centre_m - 0.5 * m;
		subj.far_m = centre_m + 0.5 * m;
		if ((h = holds(setup, subj, close_focus_m, &st)) < 0)
			return st;
		if (h)
			a = m;
		else
			b = m;
	}
	*depth_m = a;
	return VPM_OK;
}
