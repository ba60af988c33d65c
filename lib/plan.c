/* Planning on top of the predictor: stop and focus advice, focus placement.
 * Every candidate is judged by vpm_predict(), so advice agrees with check. */
#include <config.h>

#include <math.h>
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

static double vis(const vpm_result_t *r)
{
	return fmax(r->moire_visibility, r->grid_visibility);
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

vpm_status_t vpm_plan_advise(const vpm_setup_t *setup, vpm_subject_t subject, double widest_stop,
			     double narrowest_stop, vpm_predict_workspace_t *ws, vpm_advice_t *out,
			     size_t max, size_t *n)
{
	return vpm_plan_advise_lens(setup, subject, widest_stop, narrowest_stop, 0.0, ws, out, max,
				    n);
}

vpm_status_t vpm_plan_advise_lens(const vpm_setup_t *setup, vpm_subject_t subject,
				  double widest_stop, double narrowest_stop, double close_focus_m,
				  vpm_predict_workspace_t *ws, vpm_advice_t *out, size_t max,
				  size_t *n)
{
	vpm_setup_t s;
	vpm_result_t r0, r;
	vpm_advice_t stop_adv, focus_adv, wall_adv, cand;
	int have_stop = 0, have_focus = 0, have_wall = 0;
	double v0, lo;
	size_t i, nseries, k;
	vpm_status_t st;

	if (setup == NULL || ws == NULL || n == NULL || (out == NULL && max > 0))
		return vpm_error(VPM_EINVAL, "advice: NULL argument");
	*n = 0;
	st = vpm_predict(setup, ws, &r0);
	if (st != VPM_OK)
		return st;
	v0 = vis(&r0);
	memset(&stop_adv, 0, sizeof stop_adv);
	memset(&focus_adv, 0, sizeof focus_adv);
	memset(&wall_adv, 0, sizeof wall_adv);
	memset(&cand, 0, sizeof cand);
	cand.wall_m = setup->wall_m;

	/* 1. Another stop: the nearest (in stops) that is safe, else the best. */
	s = *setup;
	vpm_plan_stop_series(&nseries);
	for (i = 0; i <= nseries; i++) {
		double stop = i < nseries ? stop_series[i] : widest_stop;
		if (stop < widest_stop - 1e-9 || stop > narrowest_stop + 1e-9 ||
		    fabs(stop - setup->stop) < 1e-9)
			continue;
		s.stop = stop;
		st = vpm_predict(&s, ws, &r);
		if (st != VPM_OK)
			return st;
		cand.kind = VPM_ADVICE_STOP;
		cand.stop = stop;
		cand.focus_m = setup->focus_m;
		cand.visibility = vis(&r);
		cand.risk = r.risk;
		cand.subject_sharp = vpm_plan_subject_in_dof(&r, subject);
		if (!worth(&cand, v0, r0.risk))
			continue;
		if (!have_stop || better(&cand, &stop_adv) ||
		    (cand.risk == stop_adv.risk && cand.risk == VPM_RISK_SAFE &&
		     fabs(log(stop / setup->stop)) < fabs(log(stop_adv.stop / setup->stop)))) {
			/* among safe stops prefer the one nearest the current stop */
			if (have_stop && cand.risk == VPM_RISK_SAFE &&
			    stop_adv.risk == VPM_RISK_SAFE &&
			    fabs(log(stop / setup->stop)) > fabs(log(stop_adv.stop / setup->stop)))
				continue;
			stop_adv = cand;
			have_stop = 1;
		}
	}

	/* 2. Focus closer (the wall falls further out of focus): the smallest
	 * move that is safe, else the best, keeping the subject sharp. */
	s = *setup;
	lo = 4.0 * setup->focal_mm * 1e-3 * 1.02;
	if (close_focus_m > lo)
		lo = close_focus_m; /* the lens focuses no closer */
	if (isfinite(setup->focus_m) && setup->focus_m > lo) {
		const int steps = 200;
		for (k = 1; k <= (size_t)steps; k++) {
			double x = setup->focus_m - (setup->focus_m - lo) * (double)k / steps;
			s.focus_m = x;
			st = vpm_predict(&s, ws, &r);
			if (st != VPM_OK)
				return st;
			cand.kind = VPM_ADVICE_FOCUS;
			cand.stop = setup->stop;
			cand.focus_m = x;
			cand.visibility = vis(&r);
			cand.risk = r.risk;
			cand.subject_sharp = vpm_plan_subject_in_dof(&r, subject);
			if (subject.near_m > 0.0 && !cand.subject_sharp && x < subject.near_m)
				break; /* closer still only loses the subject further */
			if (!worth(&cand, v0, r0.risk))
				continue;
			if (!have_focus || better(&cand, &focus_adv)) {
				/* the first safe one is the smallest move: keep it */
				if (have_focus && focus_adv.risk == VPM_RISK_SAFE)
					continue;
				focus_adv = cand;
				have_focus = 1;
			}
		}
	}

	/* 3. When the set-up is not safe and neither makes it so: the subject
	 * further from the wall (a safe result is always a lower visibility).
	 * The nearest wall distance that is safe and stays safe for 0.25 m. */
	if (r0.risk != VPM_RISK_SAFE && !((have_stop && stop_adv.risk == VPM_RISK_SAFE) ||
					  (have_focus && focus_adv.risk == VPM_RISK_SAFE))) {
		const double step_m = 0.02, span_m = 10.0, hold_m = 0.25;
		const int hold = (int)ceil(hold_m / step_m);
		int run = 0, nsteps = (int)(span_m / step_m);
		s = *setup;
		for (k = 1; k <= (size_t)nsteps; k++) {
			s.wall_m = setup->wall_m + step_m * (double)k;
			st = vpm_predict(&s, ws, &r);
			if (st != VPM_OK)
				return st;
			if (r.risk != VPM_RISK_SAFE) {
				run = 0;
				continue;
			}
			if (run++ == 0) {
				wall_adv.kind = VPM_ADVICE_WALL;
				wall_adv.stop = setup->stop;
				wall_adv.focus_m = setup->focus_m;
				wall_adv.wall_m = s.wall_m;
				wall_adv.visibility = vis(&r);
				wall_adv.risk = r.risk;
				wall_adv.subject_sharp = vpm_plan_subject_in_dof(&r, subject);
			}
			if (run > hold) {
				have_wall = 1;
				break;
			}
		}
	}

	{
		vpm_advice_t all[3];
		size_t na = 0, a;
		/* of stop and focus the lower risk first (the stop, less
		 * disruptive, at equal risk); the wall, most disruptive, last */
		int focus_first = have_stop && have_focus && focus_adv.risk < stop_adv.risk;
		if (have_focus && focus_first)
			all[na++] = focus_adv;
		if (have_stop)
			all[na++] = stop_adv;
		if (have_focus && !focus_first)
			all[na++] = focus_adv;
		if (have_wall)
			all[na++] = wall_adv;
		for (a = 0; a < na && *n < max; a++)
			out[(*n)++] = all[a];
	}
	return VPM_OK;
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

vpm_status_t vpm_plan_focus_range(const vpm_setup_t *setup, vpm_subject_t subject,
				  double close_focus_m, double *closest_m, double *furthest_m)
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
	minfocus = 4.0 * setup->focal_mm * 1e-3 * (1.0 + 1e-6);
	if (close_focus_m > minfocus)
		minfocus = close_focus_m;
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
	v = vis(&r);
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

vpm_status_t vpm_plan_focus_ex(const vpm_setup_t *setup, vpm_subject_t subject,
			       const vpm_plan_focus_options_t *opt, vpm_predict_workspace_t *ws,
			       vpm_focus_choice_t *best, vpm_focus_choice_t *naive)
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
	if (subject.near_m <= 4.0 * setup->focal_mm * 1e-3)
		return vpm_error(
			VPM_EGEOMETRY,
			"--subject: the subject's near edge (%.3f m) is closer than the lens "
			"can focus (4f = %.3f m)",
			subject.near_m, 4.0 * setup->focal_mm * 1e-3);

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
		S.bestv = vis(&naive->result);
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

vpm_status_t vpm_plan_focus(const vpm_setup_t *setup, vpm_subject_t subject,
			    vpm_predict_workspace_t *ws, vpm_focus_choice_t *best,
			    vpm_focus_choice_t *naive)
{
	return vpm_plan_focus_ex(setup, subject, NULL, ws, best, naive);
}

vpm_status_t vpm_plan_focus_curve(const vpm_setup_t *setup, vpm_subject_t subject, double x0_m,
				  double x1_m, size_t n, vpm_predict_workspace_t *ws,
				  double *focus_m, double *visibility, int *sharp)
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
			visibility[i] = vis(&r);
		if (sharp)
			sharp[i] = vpm_plan_subject_in_dof(&r, subject);
	}
	return VPM_OK;
}

/* ------------------------------------------------------------ choosing among stops */

vpm_status_t vpm_plan_focus_pick(const vpm_focus_plan_t *plans, size_t n, double widest_stop,
				 double narrowest_stop, double close_focus_m, size_t *index)
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
		v = vis(&p->best.result);
		if (!found) {
			best = i;
			found = 1;
		} else {
			double bv = vis(&plans[best].best.result);
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

vpm_status_t vpm_plan_focus_stop_needed(const vpm_setup_t *setup, vpm_subject_t subject,
					double close_focus_m, double widest_stop,
					double narrowest_stop, double *stop)
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

vpm_status_t vpm_plan_focus_max_depth(const vpm_setup_t *setup, double centre_m,
				      double close_focus_m, double *depth_m)
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
