/* The chart's plan (`vpmoire chart`): which lenses make the columns,
 * which stops the pages, which distances the rows, and whether the chart
 * fits in the memory allowed; then each page's columns and spec.  The
 * cells are computed by lib/chart.c. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "vpmoire/chart.h"

/* The lenses of a series a chart takes (the catalog's series have a few
 * dozen at most). */
#define MAX_SERIES 64

vpm_chart_request_t vpm_chart_request_default(void)
{
	vpm_chart_request_t r;

	memset(&r, 0, sizeof r);
	r.rule = VPM_CHART_FOCUS_SUBJECT;
	r.subject_gap_m = 1.524; /* 5 ft */
	r.subject_depth_m = 0.3;
	r.nx = r.ny = 200;
	r.sheets = 1;
	r.max_memory_bytes = (size_t)2 << 30;
	return r;
}

VPM_STATUS_FN(vpm_chart_request_check, (const vpm_chart_request_t *req), (req))
{
	if (req == NULL || (req->n_lens_names > 0 && req->lens_names == NULL) ||
	    (req->n_stops > 0 && req->stops == NULL))
		return vpm_error(VPM_EINVAL, "%s", "chart request: bad arguments");
	if (!req->series && req->n_lens_names == 0 && req->focal_lo_mm == 0)
		return vpm_error(VPM_EINVAL, "%s",
				 "give the lenses: --series NAME, --lens NAME or --focal-range A:B");
	if (req->series && req->n_lens_names > 0)
		return vpm_error(VPM_EINVAL, "%s", "give either --series or --lens, not both");
	if (req->n_lens_names > 0 && req->focal_lo_mm > 0)
		return vpm_error(VPM_EINVAL, "%s", "give either --lens or --focal-range, not both");
	if (req->rule == VPM_CHART_FOCUS_BACK_OF_DOF &&
	    req->subject_depth_m >= req->subject_gap_m * 2.0)
		return vpm_error(VPM_EINVAL,
				 "--subject-depth: the subject (%.3g m deep, centre %.3g m "
				 "from the wall) would reach the wall",
				 req->subject_depth_m, req->subject_gap_m);
	if (req->nx > VPM_CHART_MAX_NX || req->ny > VPM_CHART_MAX_NY)
		return vpm_error(VPM_EINVAL, "--cells: at most %dx%d", VPM_CHART_MAX_NX,
				 VPM_CHART_MAX_NY);
	return VPM_OK;
}

static int cmp_lens(const void *a, const void *b)
{
	const vpm_lens_t *x = *(const vpm_lens_t *const *)a, *y = *(const vpm_lens_t *const *)b;

	return (x->focal_mm > y->focal_mm) - (x->focal_mm < y->focal_mm);
}

/* A name the catalog does not resolve: VPM_ENOTFOUND whatever the reason
 * (absent, ambiguous, empty), so a caller tells it from a refused request;
 * the catalog's message after the flag. */
static vpm_status_t not_resolved(vpm_status_t st, const char *flag)
{
	if (st == VPM_ENOMEM)
		return st;
	vpm_error_prefix(st, "%s", flag);
	return VPM_ENOTFOUND;
}

/* The lenses of the request: plan->lenses (columns) and the series
 * (marks on a continuous axis), the zoom and its range. */
static vpm_status_t resolve_lenses(vpm_chart_plan_t *p, const vpm_catalog_t *cat,
				   const vpm_chart_request_t *req, const vpm_lens_t **series,
				   size_t *nseries)
{
	vpm_status_t st;
	size_t i;

	*nseries = 0;
	if (req->series) {
		if ((st = vpm_catalog_find_series(cat, req->series, series, MAX_SERIES, nseries)) !=
		    VPM_OK)
			return not_resolved(st, "--series");
		if (*nseries > MAX_SERIES)
			*nseries = MAX_SERIES;
		if (req->focal_lo_mm == 0) {
			memcpy(p->lenses, series, *nseries * sizeof *series);
			p->n_lenses = *nseries;
		}
	}
	for (i = 0; i < req->n_lens_names; i++) {
		const vpm_lens_t *l;
		if ((st = vpm_catalog_find_lens(cat, req->lens_names[i], &l)) != VPM_OK)
			return not_resolved(st, "--lens");
		p->lenses[p->n_lenses++] = l;
	}
	qsort(p->lenses, p->n_lenses, sizeof *p->lenses, cmp_lens);
	/* a zoom --lens: its range is the continuous axis, its entry the lens
	 * of every column (close focus, stop ramp, squeeze) */
	for (i = 0; i < p->n_lenses; i++)
		if (vpm_lens_is_zoom(p->lenses[i]) && p->n_lenses > 1)
			return vpm_error(VPM_EINVAL, "--lens %s is a zoom: chart it on its own",
					 p->lenses[i]->name);
	if (p->n_lenses == 1 && vpm_lens_is_zoom(p->lenses[0]) && !req->series) {
		p->zoom = p->lenses[0];
		p->focal_lo_mm = p->zoom->focal_mm;
		p->focal_hi_mm = p->zoom->focal_max_mm;
	}
	return VPM_OK;
}

/* The stops of the pages: those given, or the first lens's widest. */
static vpm_status_t resolve_stops(vpm_chart_plan_t *p, const vpm_chart_request_t *req)
{
	p->stops = malloc((req->n_stops ? req->n_stops : 1) * sizeof *p->stops);
	if (p->stops == NULL)
		return vpm_error(VPM_ENOMEM, "%s", "out of memory");
	if (req->n_stops > 0) {
		memcpy(p->stops, req->stops, req->n_stops * sizeof *p->stops);
		p->n_stops = req->n_stops;
		return VPM_OK;
	}
	if (p->n_lenses == 0)
		return vpm_error(VPM_EINVAL, "%s",
				 "--stop is required with --focal-range (e.g. --stop T2.8)");
	/* a zoom with a stop ramp: the stop it opens to over its whole range
	 * (the long end's widest), so no column is grey for it */
	p->stops[p->n_stops++] = p->zoom && p->zoom->max_t_long > 0.0 ? p->zoom->max_t_long
								      : p->lenses[0]->max_t;
	return VPM_OK;
}

/* Bound the work before doing it: the grid of one page, and every page
 * recorded for the document (its heatmap image and drawing), plus one
 * raster when pages are drawn (an A4 page's long side, squared, RGBA). */
static double memory_estimate(const vpm_chart_plan_t *p, double raster_dpi)
{
	double cells = (double)p->nx * (double)p->ny;
	double est = cells * (double)sizeof(vpm_chart_cell_t) +
		     (double)p->pages * (cells * 16.0 + 4.0 * 1048576.0);

	if (raster_dpi > 0)
		est += 4.0 * (297.0 / 25.4 * raster_dpi) * (297.0 / 25.4 * raster_dpi);
	return est;
}

VPM_STATUS_FN(vpm_chart_plan,
	      (const vpm_catalog_t *cat, const vpm_chart_request_t *req, vpm_chart_plan_t **out),
	      (cat, req, out))
{
	const vpm_lens_t **series = NULL;
	vpm_chart_plan_t *p;
	size_t nseries = 0, k;
	vpm_status_t st;

	if (out == NULL)
		return vpm_error(VPM_EINVAL, "%s", "chart plan: bad arguments");
	*out = NULL;
	if ((st = vpm_chart_request_check(req)) != VPM_OK)
		return st;
	if (cat == NULL && (req->series || req->n_lens_names > 0))
		return vpm_error(VPM_EINVAL, "%s", "chart plan: lenses named without a catalog");
	p = calloc(1, sizeof *p);
	if (p == NULL)
		return vpm_error(VPM_ENOMEM, "%s", "out of memory");
	p->focal_lo_mm = req->focal_lo_mm;
	p->focal_hi_mm = req->focal_hi_mm;
	series = calloc(MAX_SERIES, sizeof *series);
	p->lenses = calloc(MAX_SERIES + req->n_lens_names, sizeof *p->lenses);
	if (series == NULL || p->lenses == NULL) {
		st = vpm_error(VPM_ENOMEM, "%s", "out of memory");
		goto fail;
	}
	if ((st = resolve_lenses(p, cat, req, series, &nseries)) != VPM_OK ||
	    (st = resolve_stops(p, req)) != VPM_OK)
		goto fail;
	p->continuous = p->focal_lo_mm > 0;
	p->marks = series;
	series = NULL;
	p->n_marks = p->continuous ? nseries : 0;
	if (req->series)
		p->series_name = nseries ? p->marks[0]->series : req->series;
	else if (p->zoom)
		p->series_name = p->zoom->series;
	p->wall_min_m = req->wall_min_m;
	p->wall_max_m = req->wall_max_m;
	if (p->wall_min_m == 0.0) {
		p->wall_min_m = fmax(0.5, floor(req->subject_gap_m * 2.0) / 2.0);
		p->wall_max_m = ceil(req->subject_gap_m + 5.0);
	}
	p->nx = p->continuous ? req->nx : p->n_lenses;
	p->ny = req->ny;
	p->rule = req->rule;
	p->subject_gap_m = req->subject_gap_m;
	p->subject_depth_m = req->subject_depth_m;
	p->pages = (req->sheets ? req->sheets : 1) * p->n_stops;
	p->max_memory_bytes = req->max_memory_bytes;
	p->memory_bytes = memory_estimate(p, req->raster_dpi);
	p->columns = calloc(p->nx, sizeof *p->columns);
	p->column_lenses = calloc(p->nx, sizeof *p->column_lenses);
	p->csv_lenses = calloc(p->nx, sizeof *p->csv_lenses);
	if (!p->columns || !p->column_lenses || !p->csv_lenses) {
		st = vpm_error(VPM_ENOMEM, "%s", "out of memory");
		goto fail;
	}
	for (k = 0; k < p->nx; k++) {
		p->column_lenses[k] = p->continuous ? NULL : p->lenses[k];
		p->csv_lenses[k] = p->zoom ? p->zoom : p->column_lenses[k];
	}
	*out = p;
	return VPM_OK;
fail:
	free(series);
	vpm_chart_plan_free(p);
	return st;
}

VPM_STATUS_FN(vpm_chart_plan_check_memory, (const vpm_chart_plan_t *plan), (plan))
{
	if (plan == NULL)
		return vpm_error(VPM_EINVAL, "%s", "chart plan: bad arguments");
	if (plan->max_memory_bytes == 0 || plan->memory_bytes <= (double)plan->max_memory_bytes)
		return VPM_OK;
	return vpm_error(VPM_ELIMIT,
			 "the chart needs about %.2f GiB (%zu page%s of %zu x %zu cells), "
			 "above --max-memory %.2f GiB: use fewer --cells, stops, panels or "
			 "cameras, or raise --max-memory",
			 plan->memory_bytes / 1073741824.0, plan->pages,
			 plan->pages == 1 ? "" : "s", plan->nx, plan->ny,
			 (double)plan->max_memory_bytes / 1073741824.0);
}

VPM_STATUS_FN(vpm_chart_plan_columns, (vpm_chart_plan_t * plan, const vpm_setup_t *base),
	      (plan, base))
{
	if (plan == NULL || base == NULL)
		return vpm_error(VPM_EINVAL, "%s", "chart plan: bad arguments");
	if (plan->zoom)
		return vpm_chart_columns_zoom(base, plan->zoom, plan->nx, plan->columns);
	if (plan->continuous)
		return vpm_chart_columns_range(base, plan->focal_lo_mm, plan->focal_hi_mm, plan->nx,
					       plan->columns);
	return vpm_chart_columns_lenses(base, plan->lenses, plan->n_lenses, plan->columns);
}

VPM_STATUS_FN(vpm_chart_plan_spec, (vpm_chart_plan_t * plan, size_t stop, vpm_chart_spec_t *spec),
	      (plan, stop, spec))
{
	size_t k;

	if (plan == NULL || spec == NULL || stop >= plan->n_stops)
		return vpm_error(VPM_EINVAL, "%s", "chart plan: bad arguments");
	for (k = 0; k < plan->nx; k++)
		plan->columns[k].setup.stop = plan->stops[stop];
	*spec = vpm_chart_spec_default();
	spec->columns = plan->columns;
	spec->nx = plan->nx;
	spec->wall_min_m = plan->wall_min_m;
	spec->wall_max_m = plan->wall_max_m;
	spec->ny = plan->ny;
	spec->rule = plan->rule;
	spec->subject_gap_m = plan->subject_gap_m;
	spec->subject_depth_m = plan->subject_depth_m;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_chart_plan_compute,
	      (vpm_chart_plan_t * plan, size_t stop, int threads, vpm_chart_progress_fn progress,
	       void *ctx, vpm_chart_t **out),
	      (plan, stop, threads, progress, ctx, out))
{
	vpm_chart_spec_t spec;
	vpm_status_t st;

	if (out == NULL)
		return vpm_error(VPM_EINVAL, "%s", "chart plan: bad arguments");
	*out = NULL;
	if ((st = vpm_chart_plan_spec(plan, stop, &spec)) != VPM_OK)
		return st;
	spec.threads = threads;
	spec.progress = progress;
	spec.progress_ctx = ctx;
	return vpm_chart_compute(&spec, out);
}

void vpm_chart_plan_free(vpm_chart_plan_t *plan)
{
	if (plan == NULL)
		return;
	free(plan->lenses);
	free(plan->marks);
	free(plan->stops);
	free(plan->columns);
	free(plan->column_lenses);
	free(plan->csv_lenses);
	free(plan);
}
