/* The safe-shot chart grid: every cell one vpm_predict() call, the same
 * call `vpmoire check` makes, with focus placed by a rule. */
#include <config.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "error.h"
#include "vpmoire/chart.h"
#include "vpmoire/geometry.h"

#define MAX_CELLS 100000000u
/* Relative slack when comparing stops (T2.1 typed vs 2.1 in a catalog). */
#define STOP_EPS 1e-9

vpm_chart_spec_t vpm_chart_spec_default(void)
{
	vpm_chart_spec_t s;

	memset(&s, 0, sizeof s);
	s.wall_min_m = 1.5;
	s.wall_max_m = 8.0;
	s.ny = 200;
	s.rule = VPM_CHART_FOCUS_SUBJECT;
	s.subject_gap_m = 1.524; /* 5 ft */
	s.subject_depth_m = 0.3;
	s.focus_steps = 16;
	return s;
}

const char *vpm_chart_cell_state_name(vpm_cell_state_t state)
{
	switch (state) {
	case VPM_CELL_OK: return "ok";
	case VPM_CELL_NO_ROOM: return "no-room";
	case VPM_CELL_CLOSE_FOCUS: return "close-focus";
	case VPM_CELL_STOP: return "stop";
	case VPM_CELL_DOF: return "dof";
	case VPM_CELL_LIMIT: return "limit";
	}
	return "?";
}

static vpm_status_t check_spec(const vpm_chart_spec_t *sp)
{
	size_t i;

	if (sp->columns == NULL || sp->nx < 1)
		return vpm_error(VPM_EINVAL, "chart: no columns (focal lengths)");
	if (sp->ny < 2)
		return vpm_error(VPM_EINVAL, "chart: %zu rows (at least 2 distances)", sp->ny);
	if (sp->nx > MAX_CELLS / sp->ny)
		return vpm_error(VPM_ERANGE, "chart: %zu x %zu cells is more than %u", sp->nx,
				 sp->ny, MAX_CELLS);
	if (!(sp->wall_min_m > 0.0) || !(sp->wall_max_m > sp->wall_min_m) ||
	    !isfinite(sp->wall_max_m))
		return vpm_error(VPM_EINVAL,
				 "chart: camera-to-wall range %g to %g m must satisfy 0 < from < to",
				 sp->wall_min_m, sp->wall_max_m);
	if (!(sp->subject_gap_m > 0.0) || !isfinite(sp->subject_gap_m))
		return vpm_error(VPM_EINVAL, "--subject-gap: %g m must be > 0", sp->subject_gap_m);
	if (sp->rule != VPM_CHART_FOCUS_SUBJECT && sp->rule != VPM_CHART_FOCUS_BACK_OF_DOF)
		return vpm_error(VPM_EINVAL, "chart: unknown focus rule %d", (int)sp->rule);
	if (sp->rule == VPM_CHART_FOCUS_BACK_OF_DOF &&
	    (!(sp->subject_depth_m > 0.0) || !isfinite(sp->subject_depth_m)))
		return vpm_error(VPM_EINVAL, "--subject-depth: %g m must be > 0",
				 sp->subject_depth_m);
	if (sp->rule == VPM_CHART_FOCUS_BACK_OF_DOF && sp->focus_steps < 1)
		return vpm_error(VPM_EINVAL, "chart: %d planner steps", sp->focus_steps);
	if (sp->threads < 0)
		return vpm_error(VPM_EINVAL, "--jobs: %d threads", sp->threads);
	for (i = 0; i < sp->nx; i++) {
		const vpm_chart_column_t *c = &sp->columns[i];
		vpm_setup_t probe = c->setup;
		vpm_status_t st;

		/* the equipment of each column must be valid; distances are ours */
		probe.wall_m = 1e3;
		probe.focus_m = INFINITY;
		if ((st = vpm_setup_validate(&probe)) != VPM_OK)
			return vpm_error_prefix(st, "chart column %zu (%g mm)", i + 1,
						c->setup.focal_mm);
		if (!(c->close_focus_m >= 0.0) || !isfinite(c->close_focus_m) ||
		    !(c->widest_stop >= 0.0) || !(c->narrowest_stop >= 0.0))
			return vpm_error(VPM_EINVAL,
					 "chart column %zu: close focus and stop range must be >= 0",
					 i + 1);
	}
	return VPM_OK;
}

static int stop_available(const vpm_chart_column_t *c)
{
	double n = c->setup.stop;

	if (c->widest_stop > 0.0 && n < c->widest_stop * (1.0 - STOP_EPS))
		return 0;
	if (c->narrowest_stop > 0.0 && n > c->narrowest_stop * (1.0 + STOP_EPS))
		return 0;
	return 1;
}

static void no_verdict(vpm_chart_cell_t *cell, vpm_cell_state_t state)
{
	cell->state = state;
	cell->focus_m = NAN;
	cell->moire_visibility = cell->grid_visibility = cell->visibility = NAN;
	cell->risk = VPM_RISK_SAFE;
	cell->wall_blur_mm = cell->wall_blur_pitches = NAN;
	cell->dof_near_m = cell->dof_far_m = NAN;
}

static void take_result(vpm_chart_cell_t *cell, double focus_m, const vpm_result_t *r)
{
	cell->state = VPM_CELL_OK;
	cell->focus_m = focus_m;
	cell->moire_visibility = r->moire_visibility;
	cell->grid_visibility = r->grid_visibility;
	cell->visibility = vpm_result_visibility(r);
	cell->risk = r->risk;
	cell->wall_blur_mm = r->wall_blur_mm;
	cell->wall_blur_pitches = r->wall_blur_pitches;
	cell->dof_near_m = r->dof_near_m;
	cell->dof_far_m = r->dof_far_m;
}

/* Statuses that mean "this cell cannot be shot", not "stop the chart". */
static int cell_geometry(vpm_status_t st)
{
	return st == VPM_EGEOMETRY;
}

/* A prediction's status for a cell: 1 when it settles the cell, with *st
 * VPM_OK and the cell without a verdict (a geometry the set-up cannot
 * reach, `why`; the predictor's work limit), or *st the error that stops
 * the chart; 0 when the prediction stands. */
static int cell_settled(vpm_chart_cell_t *cell, vpm_status_t *st, vpm_cell_state_t why)
{
	if (cell_geometry(*st))
		no_verdict(cell, why);
	else if (*st == VPM_ELIMIT)
		no_verdict(cell, VPM_CELL_LIMIT);
	else
		return *st != VPM_OK;
	*st = VPM_OK;
	return 1;
}

/* One cell.  Returns a status that must stop the whole chart, else VPM_OK
 * (with the cell's state set). */
static vpm_status_t eval_cell(const vpm_chart_spec_t *sp, const vpm_chart_column_t *col,
			      double wall_m, vpm_predict_workspace_t *ws, vpm_chart_cell_t *cell)
{
	vpm_setup_t s = col->setup;
	double centre = wall_m - sp->subject_gap_m;
	double half = sp->rule == VPM_CHART_FOCUS_BACK_OF_DOF ? 0.5 * sp->subject_depth_m : 0.0;
	double close = vpm_geometry_closest_focus_m(s.focal_mm, col->close_focus_m, 1.0);
	vpm_status_t st;

	cell->wall_m = wall_m;
	cell->subject_near_m = centre - half;
	cell->subject_far_m = centre + half;
	if (!stop_available(col)) {
		no_verdict(cell, VPM_CELL_STOP);
		return VPM_OK;
	}
	if (!(centre - half > 0.0)) {
		no_verdict(cell, VPM_CELL_NO_ROOM);
		return VPM_OK;
	}
	s.wall_m = wall_m;
	if (sp->rule == VPM_CHART_FOCUS_SUBJECT) {
		vpm_result_t r;

		if (!(centre > close) || !(centre >= col->close_focus_m)) {
			no_verdict(cell, VPM_CELL_CLOSE_FOCUS);
			return VPM_OK;
		}
		s.focus_m = centre;
		st = vpm_predict(&s, ws, &r);
		if (cell_settled(cell, &st, VPM_CELL_CLOSE_FOCUS))
			return st;
		take_result(cell, centre, &r);
	} else {
		vpm_subject_t subj = { centre - half, centre + half };
		vpm_plan_focus_options_t o = vpm_plan_focus_options_default();
		vpm_focus_choice_t best, naive;
		double lo, hi;

		/* the subject's centre must be focusable (the naive choice), and
		 * some focus must hold the whole subject */
		if (!(centre > close) || !(subj.near_m > vpm_geometry_focus_limit_m(s.focal_mm))) {
			no_verdict(cell, VPM_CELL_CLOSE_FOCUS);
			return VPM_OK;
		}
		st = vpm_plan_focus_range(&s, subj, 0.0, &lo, &hi);
		if (cell_geometry(st)) {
			no_verdict(cell, VPM_CELL_DOF);
			return VPM_OK;
		}
		if (st != VPM_OK)
			return st;
		if (hi < col->close_focus_m) {
			no_verdict(cell, VPM_CELL_CLOSE_FOCUS);
			return VPM_OK;
		}
		o.steps = sp->focus_steps;
		o.close_focus_m = col->close_focus_m;
		st = vpm_plan_focus_ex(&s, subj, &o, ws, &best, &naive);
		if (cell_settled(cell, &st, VPM_CELL_DOF))
			return st;
		take_result(cell, best.focus_m, &best.result);
	}
	return VPM_OK;
}

void vpm_chart_free(vpm_chart_t *chart)
{
	if (chart == NULL)
		return;
	free(chart->focal_mm);
	free(chart->wall_m);
	free(chart->cells);
	free(chart);
}

static vpm_chart_t *chart_alloc(size_t nx, size_t ny)
{
	vpm_chart_t *c = calloc(1, sizeof *c);

	if (c == NULL)
		return NULL;
	c->nx = nx;
	c->ny = ny;
	c->focal_mm = calloc(nx, sizeof *c->focal_mm);
	c->wall_m = calloc(ny, sizeof *c->wall_m);
	c->cells = calloc(nx * ny, sizeof *c->cells);
	if (c->focal_mm == NULL || c->wall_m == NULL || c->cells == NULL) {
		vpm_chart_free(c);
		return NULL;
	}
	return c;
}

VPM_STATUS_FN(vpm_chart_compute, (const vpm_chart_spec_t *sp, vpm_chart_t **out), (sp, out))
{
	vpm_chart_t *c;
	int first = VPM_OK; /* a vpm_status_t, as int for the atomic read */
	char first_msg[512] = "";
	size_t i, done = 0, total;
	long j, ny;
#ifdef _OPENMP
	int nthreads = 1;
#endif

	if (sp == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "chart: NULL argument");
	*out = NULL;
	{
		vpm_status_t st = check_spec(sp);
		if (st != VPM_OK)
			return st;
	}
	if (sp->ny > (size_t)LONG_MAX)
		return vpm_error(VPM_ERANGE, "chart: too many rows");
	c = chart_alloc(sp->nx, sp->ny);
	if (c == NULL)
		return vpm_error(VPM_ENOMEM, "chart: out of memory for %zu x %zu cells", sp->nx,
				 sp->ny);
	c->wall_min_m = sp->wall_min_m;
	c->wall_max_m = sp->wall_max_m;
	for (i = 0; i < sp->nx; i++)
		c->focal_mm[i] = sp->columns[i].setup.focal_mm;
	for (i = 0; i < sp->ny; i++)
		c->wall_m[i] = sp->wall_min_m + (sp->wall_max_m - sp->wall_min_m) *
							((double)i + 0.5) / (double)sp->ny;
	total = sp->nx * sp->ny;
	ny = (long)sp->ny;
#ifdef _OPENMP
	nthreads = sp->threads > 0 ? sp->threads : omp_get_max_threads();
#endif

	/* Rows in parallel, one workspace per thread.  vpm_error() keeps its
	 * message per thread, so the first failure's text is copied here. */
#ifdef _OPENMP
#pragma omp parallel num_threads(nthreads)
#endif
	{
		vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
		int failed = ws == NULL;

		if (failed) {
#ifdef _OPENMP
#pragma omp critical(vpm_chart_error)
#endif
			if (first == VPM_OK) {
				first = VPM_ENOMEM;
				snprintf(first_msg, sizeof first_msg, "chart: out of memory");
			}
		}
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
		for (j = 0; j < ny; j++) {
			size_t k, d;
			int stop_now;

#ifdef _OPENMP
#pragma omp atomic read
#endif
			stop_now = first;
			if (failed || stop_now != VPM_OK)
				continue;
			for (k = 0; k < sp->nx; k++) {
				vpm_status_t st = eval_cell(sp, &sp->columns[k], c->wall_m[j], ws,
							    &c->cells[(size_t)j * sp->nx + k]);
				if (st != VPM_OK) {
#ifdef _OPENMP
#pragma omp critical(vpm_chart_error)
#endif
					if (first == VPM_OK) {
						first = (int)st;
						snprintf(first_msg, sizeof first_msg, "%s",
							 vpm_error_message());
					}
					break;
				}
			}
#ifdef _OPENMP
#pragma omp atomic capture
#endif
			d = done += sp->nx;
			if (sp->progress != NULL) {
#ifdef _OPENMP
#pragma omp critical(vpm_chart_progress)
#endif
				sp->progress(sp->progress_ctx, d, total);
			}
		}
		vpm_predict_workspace_free(ws);
	}
	if (first != VPM_OK) {
		vpm_chart_free(c);
		return vpm_error((vpm_status_t)first, "%s", first_msg);
	}
	*out = c;
	return VPM_OK;
}

/* The next run of column i at or above row *j with risk at most `worst`:
 * 1 with *run filled and *j past it, 0 when there is none. */
static int next_run(const vpm_chart_t *c, size_t i, vpm_risk_t worst, size_t *j,
		    vpm_chart_run_t *run)
{
	double h = (c->wall_max_m - c->wall_min_m) / (double)c->ny;
	long start = -1;

	for (; *j <= c->ny; (*j)++) {
		int in = 0;

		if (*j < c->ny) {
			const vpm_chart_cell_t *cell = &c->cells[*j * c->nx + i];
			in = cell->state == VPM_CELL_OK && cell->risk <= worst;
		}
		if (in && start < 0)
			start = (long)*j;
		if (!in && start >= 0) {
			run->from_m = c->wall_min_m + h * (double)start;
			run->to_m = *j == c->ny ? c->wall_max_m : c->wall_min_m + h * (double)*j;
			run->rows = *j - (size_t)start;
			(*j)++;
			return 1;
		}
	}
	return 0;
}

VPM_STATUS_FN(vpm_chart_column_runs,
	      (const vpm_chart_t *c, size_t i, vpm_risk_t worst, vpm_chart_run_t *runs, size_t max,
	       size_t *n),
	      (c, i, worst, runs, max, n))
{
	size_t j = 0, count = 0;
	vpm_chart_run_t run;

	if (c == NULL || n == NULL || (runs == NULL && max > 0))
		return vpm_error(VPM_EINVAL, "chart runs: NULL argument");
	if (i >= c->nx)
		return vpm_error(VPM_EINVAL, "chart runs: column %zu of %zu", i, c->nx);
	while (next_run(c, i, worst, &j, &run)) {
		if (count < max)
			runs[count] = run;
		count++;
	}
	*n = count;
	return VPM_OK;
}

double vpm_chart_column_closest_m(const vpm_chart_t *c, size_t i, vpm_chart_focus_rule_t rule,
				  double subject_gap_m, double close_focus_m)
{
	double first = vpm_chart_column_first_m(c, i);

	if (!isfinite(first) || rule != VPM_CHART_FOCUS_SUBJECT)
		return first;
	return fmax(first, subject_gap_m + vpm_geometry_closest_focus_m(c->focal_mm[i],
									close_focus_m, 1.0));
}

VPM_STATUS_FN(vpm_chart_column_zones,
	      (const vpm_chart_t *c, size_t i, double closest_m, vpm_chart_zone_t *zones,
	       size_t max, size_t *n),
	      (c, i, closest_m, zones, max, n))
{
	size_t j = 0, count = 0;
	vpm_chart_run_t run;
	double first, h;

	if (c == NULL || n == NULL || (zones == NULL && max > 0))
		return vpm_error(VPM_EINVAL, "chart zones: NULL argument");
	if (i >= c->nx)
		return vpm_error(VPM_EINVAL, "chart zones: column %zu of %zu", i, c->nx);
	first = vpm_chart_column_first_m(c, i);
	h = (c->wall_max_m - c->wall_min_m) / (double)c->ny;
	while (next_run(c, i, VPM_RISK_SAFE, &j, &run)) {
		int at_closest = isfinite(first) && run.from_m <= first + 0.5 * h;

		if (!at_closest && (run.rows < 2 || run.to_m - run.from_m < VPM_CHART_ZONE_MIN_M))
			continue;
		if (count < max) {
			vpm_chart_zone_t *z = &zones[count];

			z->from_m = at_closest && isfinite(closest_m) ? fmax(run.from_m, closest_m)
								      : run.from_m;
			z->to_m = run.to_m;
			z->rows = run.rows;
			z->at_closest = at_closest;
			z->to_top = run.to_m >= c->wall_max_m - 1e-9;
		}
		count++;
	}
	*n = count;
	return VPM_OK;
}

double vpm_chart_column_mark_m(const vpm_chart_t *c, size_t i, int *from)
{
	size_t j = 0, nr = 0;
	vpm_chart_run_t run, first_run = { 0 }, last_run = { 0 };
	double first, h;

	if (from != NULL)
		*from = 0;
	if (c == NULL || i >= c->nx)
		return NAN;
	first = vpm_chart_column_first_m(c, i);
	h = (c->wall_max_m - c->wall_min_m) / (double)c->ny;
	while (next_run(c, i, VPM_RISK_SAFE, &j, &run)) {
		if (nr++ == 0)
			first_run = run;
		last_run = run;
	}
	if (nr == 0 || !isfinite(first))
		return NAN;
	if (first_run.from_m <= first + 0.5 * h && first_run.to_m < c->wall_max_m - 1e-9)
		return first_run.to_m;
	if (last_run.to_m >= c->wall_max_m - 1e-9 &&
	    last_run.to_m - last_run.from_m >= VPM_CHART_ZONE_MIN_M &&
	    last_run.from_m > first + 0.5 * h) {
		if (from != NULL)
			*from = 1;
		return last_run.from_m;
	}
	return NAN;
}

double vpm_chart_column_first_m(const vpm_chart_t *c, size_t i)
{
	size_t j;

	if (c == NULL || i >= c->nx)
		return NAN;
	for (j = 0; j < c->ny; j++)
		if (c->cells[j * c->nx + i].state == VPM_CELL_OK)
			return c->wall_min_m +
			       (c->wall_max_m - c->wall_min_m) * (double)j / (double)c->ny;
	return NAN;
}

/* ------------------------------------------------------------ columns and CSV */

vpm_status_t vpm_chart_columns_range(const vpm_setup_t *base, double lo_mm, double hi_mm, size_t n,
				     vpm_chart_column_t *cols)
{
	size_t i;

	if (base == NULL || cols == NULL || n == 0 || !(lo_mm > 0.0) || !(hi_mm > lo_mm))
		return vpm_error_set(VPM_EINVAL, "chart columns: need 0 < from < to and a column");
	/* evenly spaced on a log scale, each column at its cell's centre */
	for (i = 0; i < n; i++) {
		double f = lo_mm * pow(hi_mm / lo_mm, ((double)i + 0.5) / (double)n);
		cols[i].setup = *base;
		cols[i].setup.focal_mm = f;
		cols[i].setup.lens_mtf_n = 0;
		cols[i].close_focus_m = 0.0;
		cols[i].widest_stop = cols[i].narrowest_stop = 0.0;
	}
	return VPM_OK;
}

vpm_status_t vpm_chart_columns_zoom(const vpm_setup_t *base, const vpm_lens_t *zoom, size_t n,
				    vpm_chart_column_t *cols)
{
	vpm_setup_t s;
	vpm_status_t st;
	size_t i;

	if (base == NULL || cols == NULL || zoom == NULL || !vpm_lens_is_zoom(zoom))
		return vpm_error_set(VPM_EINVAL, "chart columns: need a zoom lens");
	s = *base;
	vpm_setup_apply_lens(&s, zoom);
	st = vpm_chart_columns_range(&s, zoom->focal_mm, zoom->focal_max_mm, n, cols);
	if (st != VPM_OK)
		return st;
	for (i = 0; i < n; i++) {
		double t = vpm_lens_max_t_at(zoom, cols[i].setup.focal_mm);

		cols[i].close_focus_m = zoom->close_focus_m;
		cols[i].widest_stop = isnan(t) ? zoom->max_t : t;
		cols[i].narrowest_stop = zoom->min_t;
	}
	return VPM_OK;
}

vpm_status_t vpm_chart_columns_lenses(const vpm_setup_t *base, const vpm_lens_t *const *lenses,
				      size_t n, vpm_chart_column_t *cols)
{
	size_t i;

	if (base == NULL || cols == NULL || (lenses == NULL && n > 0))
		return vpm_error_set(VPM_EINVAL, "chart columns: NULL argument");
	for (i = 0; i < n; i++) {
		if (lenses[i] == NULL)
			return vpm_error_set(VPM_EINVAL, "chart columns: lens %zu is NULL", i);
		cols[i].setup = *base;
		vpm_setup_apply_lens(&cols[i].setup, lenses[i]);
		cols[i].close_focus_m = lenses[i]->close_focus_m;
		cols[i].widest_stop = lenses[i]->max_t;
		cols[i].narrowest_stop = lenses[i]->min_t;
	}
	return VPM_OK;
}

static void csv_str(FILE *fp, const char *s)
{
	const char *q;

	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (q = s; *q; q++) {
		if (*q == '"')
			fputc('"', fp);
		fputc(*q, fp);
	}
	fputc('"', fp);
}

static void csv_num(FILE *fp, double v, int exact)
{
	fputc(',', fp);
	if (isfinite(v))
		fprintf(fp, exact ? "%.17g" : "%.10g", v);
}

vpm_status_t vpm_chart_write_csv(FILE *fp, int page, const char *panel, const char *camera,
				 const vpm_lens_t *const *lenses, const vpm_chart_t *c, double stop)
{
	size_t i, j;

	if (fp == NULL || c == NULL)
		return vpm_error_set(VPM_EINVAL, "chart CSV: NULL argument");

	for (j = 0; j < c->ny; j++) {
		for (i = 0; i < c->nx; i++) {
			const vpm_chart_cell_t *cell = &c->cells[j * c->nx + i];
			const vpm_lens_t *l = lenses ? lenses[i] : NULL;
			int ok = cell->state == VPM_CELL_OK;

			fprintf(fp, "%d,", page);
			csv_str(fp, panel ? panel : "");
			fputc(',', fp);
			csv_str(fp, camera ? camera : "");
			fputc(',', fp);
			csv_str(fp, l ? l->name : "");
			csv_num(fp, c->focal_mm[i], 1);
			csv_num(fp, stop, 1);
			csv_num(fp, cell->wall_m, 1);
			csv_num(fp, cell->focus_m, 1);
			csv_num(fp, cell->subject_near_m, 1);
			csv_num(fp, cell->subject_far_m, 1);
			fprintf(fp, ",%s", vpm_chart_cell_state_name(cell->state));
			csv_num(fp, cell->moire_visibility, 0);
			csv_num(fp, cell->grid_visibility, 0);
			csv_num(fp, cell->visibility, 0);
			fprintf(fp, ",%s", ok ? vpm_risk_name(cell->risk) : "");
			csv_num(fp, cell->wall_blur_mm, 0);
			csv_num(fp, cell->wall_blur_pitches, 0);
			csv_num(fp, cell->dof_near_m, 0);
			csv_num(fp, cell->dof_far_m, 0);
			fputc('\n', fp);
		}
	}
	return VPM_OK;
}

vpm_status_t vpm_chart_write_csv_header(FILE *fp)
{
	if (fp == NULL)
		return vpm_error_set(VPM_EINVAL, "chart CSV: NULL argument");
	fputs("page,panel,camera,lens,focal_mm,stop,wall_m,focus_m,subject_near_m,"
	      "subject_far_m,state,moire_visibility,grid_visibility,visibility,risk,"
	      "wall_blur_mm,wall_blur_pitches,dof_near_m,dof_far_m\n",
	      fp);
	return VPM_OK;
}
