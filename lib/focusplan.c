/* The focus command's plan (`vpmoire focus`): which stops to plan, the
 * plan of each, the recommendation and, when no stop given holds the
 * subject, what would.  The rules are the planner's (lib/plan.c); this file
 * only runs them in the order the command shows them. */
#include <config.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "vpmoire/geometry.h"
#include "vpmoire/plan.h"
#include "vpmoire/report.h"

VPM_STATUS_FN(vpm_focus_subject,
	      (double centre_m, double depth_m, double near_m, double far_m, double wall_m,
	       vpm_units_system_t u, vpm_subject_t *out),
	      (centre_m, depth_m, near_m, far_m, wall_m, u, out))
{
	char a[48], b[48];

	if (out == NULL)
		return vpm_error(VPM_EINVAL, "focus subject: NULL argument");
	if (near_m > 0) {
		if (!(far_m >= near_m))
			return vpm_error(VPM_ERANGE,
					 "--subject-far (%s) must not be nearer than --subject-near "
					 "(%s)",
					 vpm_report_length(far_m, u, a, sizeof a),
					 vpm_report_length(near_m, u, b, sizeof b));
		out->near_m = near_m;
		out->far_m = far_m;
	} else if (centre_m > 0) {
		if (!(depth_m < 2.0 * centre_m))
			return vpm_error(VPM_ERANGE,
					 "--subject-depth: %s reaches behind the camera",
					 vpm_report_length(depth_m, u, a, sizeof a));
		out->near_m = centre_m - 0.5 * depth_m;
		out->far_m = centre_m + 0.5 * depth_m;
	} else {
		return vpm_error(VPM_EINVAL, "give the subject: --subject D [--subject-depth D] or "
					     "--subject-near D --subject-far D");
	}
	if (!(out->far_m < wall_m))
		return vpm_error(VPM_ERANGE,
				 "the subject (to %s) must be in front of the wall (%s)",
				 vpm_report_length(out->far_m, u, a, sizeof a),
				 vpm_report_length(wall_m, u, b, sizeof b));
	return VPM_OK;
}

VPM_STATUS_FN(vpm_focus_plan_check,
	      (const vpm_setup_t *s, vpm_subject_t subj, const vpm_lens_t *lens,
	       const double *stops, int n, vpm_units_system_t u),
	      (s, subj, lens, stops, n, u))
{
	double centre = 0.5 * (subj.near_m + subj.far_m), closest;
	char a[48], b[48];
	vpm_status_t st;
	int i;

	if (s == NULL || n < 0 || (n > 0 && stops == NULL))
		return vpm_error(VPM_EINVAL, "focus plan: NULL argument");
	closest = vpm_geometry_closest_focus_m(s->focal_mm, lens ? lens->close_focus_m : 0.0, 1.0);
	if (centre <= closest)
		return vpm_error(VPM_ERANGE,
				 "the subject's centre (%s) is closer than the lens can focus (%s)",
				 vpm_report_length(centre, u, a, sizeof a),
				 vpm_report_length(closest, u, b, sizeof b));
	if (n == 0 && lens == NULL)
		return vpm_error(VPM_EINVAL, "--stop is required with --focal (e.g. --stop T2.8)");
	for (i = 0; lens && i < n; i++)
		if ((st = vpm_lens_check(lens, stops[i], INFINITY)) != VPM_OK)
			return st;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_focus_plan_stops,
	      (const vpm_setup_t *s, vpm_subject_t subj, const vpm_lens_t *lens,
	       const double *given, int n_given, vpm_units_system_t units,
	       vpm_predict_workspace_t *ws, vpm_focus_stop_t *plans, int *n, int *rec,
	       vpm_focus_nearest_t *near),
	      (s, subj, lens, given, n_given, units, ws, plans, n, rec, near))
{
	double stops[VPM_FOCUS_MAX_STOPS];
	vpm_focus_plan_t cand[VPM_FOCUS_MAX_STOPS];
	double close_m = lens ? lens->close_focus_m : 0.0;
	int nstops = 0, defaulted = 0, i;
	vpm_status_t st;

	if (!s || !plans || !n || !rec || !near || !ws || n_given < 0 ||
	    n_given > VPM_FOCUS_MAX_STOPS || (n_given > 0 && !given) || (n_given == 0 && !lens))
		return vpm_error(VPM_EINVAL, "%s", "focus plan: bad arguments");
	for (i = 0; i < n_given; i++)
		stops[nstops++] = given[i];
	*rec = -1;
	if (nstops == 0) {
		/* the lens's widest, then the full stops within its range and
		 * the light (all within the lens: vpm_lens_check() holds) */
		static const double full[] = { 2.8, 4.0, 5.6, 8.0 };
		size_t k;

		stops[nstops++] = lens->max_t;
		for (k = 0; k < sizeof full / sizeof full[0]; k++)
			if (full[k] > lens->max_t * (1.0 + 1e-9) &&
			    (lens->min_t <= 0 || full[k] <= lens->min_t) &&
			    full[k] <= near->max_stop * (1.0 + 1e-9))
				stops[nstops++] = full[k];
		defaulted = 1;
	}
	/* the range a stop may come from: the lens's, or with --focal the
	 * stops given up to T22 */
	near->widest_stop = lens ? lens->max_t : stops[0];
	for (i = 0; !lens && i < nstops; i++)
		near->widest_stop = fmin(near->widest_stop, stops[i]);
	near->narrowest_stop = lens && lens->min_t > 0 ? lens->min_t : 22.0;
	/* the light allows no smaller stop than the budget's */
	if (near->max_stop < near->narrowest_stop) {
		near->narrowest_stop = fmax(near->max_stop, near->widest_stop);
		near->light_limited = 1;
	}
	/* the widest stop that holds the subject: with the default stops it is
	 * a candidate too (between T2.8 and T4, say, a third stop may hold a
	 * subject that T2.8 cannot, with less of the wall in focus than T4) */
	{
		double need = 0.0;
		vpm_setup_t ss = *s;
		ss.stop = near->widest_stop;
		ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
		st = vpm_plan_focus_stop_needed(&ss, subj, close_m, near->widest_stop,
						near->narrowest_stop, &need);
		if (st == VPM_OK) {
			near->have_stop = 1;
			near->need.stop = need;
		} else if (st == VPM_EGEOMETRY) {
			ss.stop = near->narrowest_stop;
			st = vpm_plan_focus_max_depth(&ss, ss.focus_m, close_m,
						      &near->narrowest_depth_m);
			if (st == VPM_EGEOMETRY)
				near->narrowest_depth_m = 0.0;
		}
		if (st != VPM_OK && st != VPM_EGEOMETRY) {
			return st;
		}
		if (near->have_stop && defaulted && nstops < VPM_FOCUS_MAX_STOPS) {
			int j, have = 0;
			for (j = 0; j < nstops; j++)
				have |= fabs(stops[j] - need) < 1e-9 * need;
			if (!have) {
				/* keep the list in order of the stop */
				for (j = nstops; j > 0 && stops[j - 1] > need; j--)
					stops[j] = stops[j - 1];
				stops[j] = need;
				nstops++;
				near->need.added = 1;
			}
		}
	}
	for (i = 0; i < nstops; i++) {
		vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
		vpm_setup_t ss = *s;
		vpm_focus_stop_t *p = &plans[i];

		memset(p, 0, sizeof *p);
		ss.stop = stops[i];
		ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
		p->stop = stops[i];
		p->added = near->need.added && fabs(stops[i] - near->need.stop) < 1e-9 * stops[i];
		po.close_focus_m = close_m;
		if (stops[i] > near->max_stop * (1.0 + 1e-9)) {
			/* the light cannot expose it: shown, never recommended */
			snprintf(p->reason, sizeof p->reason,
				 "past what the light allows (T%.3g at most; see the exposure "
				 "budget)",
				 near->max_stop);
			p->max_depth_m = NAN;
			p->dark = 1;
			if ((st = vpm_focus_stop_naive(p, &ss, subj, ws)) != VPM_OK) {
				return st;
			}
			continue;
		}
		st = vpm_plan_focus_ex(&ss, subj, &po, ws, &p->best, &p->naive);
		if (st == VPM_EGEOMETRY) {
			/* the naive result is still worth showing, and how deep a
			 * subject this stop could hold */
			st = vpm_plan_focus_max_depth(&ss, ss.focus_m, close_m, &p->max_depth_m);
			if (st == VPM_EGEOMETRY)
				p->max_depth_m = 0.0;
			else if (st != VPM_OK) {
				return st;
			}
			vpm_focus_stop_reason(p, subj, units);
			if ((st = vpm_focus_stop_naive(p, &ss, subj, ws)) != VPM_OK) {
				return st;
			}
			continue;
		}
		if (st != VPM_OK) {
			return st;
		}
		p->feasible = 1;
		p->max_depth_m = NAN;
	}
	/* the recommendation: the rule is the library's */
	for (i = 0; i < nstops; i++) {
		cand[i].stop = plans[i].stop;
		cand[i].feasible = plans[i].feasible;
		cand[i].best = plans[i].best;
		cand[i].naive = plans[i].naive;
	}
	{
		size_t idx = 0;
		/* within the lens and the light */
		st = vpm_plan_focus_pick(cand, (size_t)nstops, lens ? lens->max_t : 0.0,
					 near->narrowest_stop, close_m, &idx);
		if (st == VPM_OK)
			*rec = (int)idx;
		else if (st != VPM_EGEOMETRY) {
			return st;
		}
	}
	if (*rec < 0) {
		/* nothing given holds the subject: plan the stop that would, for
		 * the page, and draw the narrowest stop given beside it */
		near->shown = 0;
		for (i = 1; i < nstops; i++)
			if (plans[i].stop > plans[near->shown].stop)
				near->shown = i;
		if (near->have_stop) {
			vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
			vpm_setup_t ss = *s;
			double need = near->need.stop;
			memset(&near->need, 0, sizeof near->need);
			near->need.stop = need;
			ss.stop = need;
			ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
			po.close_focus_m = close_m;
			st = vpm_plan_focus_ex(&ss, subj, &po, ws, &near->need.best,
					       &near->need.naive);
			if (st != VPM_OK) {
				return st;
			}
			near->need.feasible = 1;
			near->need.max_depth_m = NAN;
		}
	}
	*n = nstops;
	return VPM_OK;
}
