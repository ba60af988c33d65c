/* vpmoire — the safe-shot chart grid: focal length × camera-to-wall
 * distance, each cell one set-up judged by vpm_predict().
 *
 *   vpm_chart_spec_t spec = vpm_chart_spec_default();
 *   spec.columns = cols; spec.nx = 10;           one column per lens
 *   spec.wall_min_m = 1.5; spec.wall_max_m = 8; spec.ny = 200;
 *   spec.subject_gap_m = 1.524;                  focus on a subject 5 ft
 *   vpm_chart_t *chart;                           in front of the wall
 *   if (vpm_chart_compute(&spec, &chart) != VPM_OK) puts(vpm_error_message());
 *   ... chart->cells[j * chart->nx + i] ...
 *   vpm_chart_free(chart);
 *
 * A cell's set-up is its column's set-up with wall_m = the row's distance
 * and focus_m = the focus the rule gives, so `vpmoire check` with the same
 * equipment, stop, --wall and --focus reproduces every cell exactly.
 * Distances are from the sensor plane, in metres.
 */
#ifndef VPMOIRE_CHART_H
#define VPMOIRE_CHART_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where focus goes in each cell. */
typedef enum {
	/* on the subject: its centre, subject_gap_m in front of the wall */
	VPM_CHART_FOCUS_SUBJECT = 0,
	/* placed by the planner (vpm_plan_focus_ex): the whole subject,
	 * subject_depth_m deep and centred subject_gap_m in front of the
	 * wall, inside the depth of field, the wall as little visible as
	 * possible — the subject then sits at the back of the depth of field */
	VPM_CHART_FOCUS_BACK_OF_DOF
} vpm_chart_focus_rule_t;

/* Why a cell has no verdict (or VPM_CELL_OK when it has one). */
typedef enum {
	VPM_CELL_OK = 0,
	VPM_CELL_NO_ROOM,     /* the subject would be at or behind the camera */
	VPM_CELL_CLOSE_FOCUS, /* the subject is closer than the lens can focus */
	VPM_CELL_STOP,	      /* the lens does not have this stop */
	VPM_CELL_DOF,	      /* back-of-dof: no focus holds the whole subject */
	VPM_CELL_LIMIT	      /* vpm_predict() refused it (VPM_ELIMIT): too many
				 harmonics to enumerate, as `check` would say */
} vpm_cell_state_t;

/* One column: a complete set-up (equipment, stop, viewer, focal length and
 * lens MTF) whose wall_m and focus_m the chart sets per cell. */
typedef struct {
	vpm_setup_t setup;
	double close_focus_m;  /* the lens's closest focus from the sensor plane;
				 0 = unknown: only the thin-lens limit 4f */
	double widest_stop;    /* the lens's stop range, e.g. 2.1 and 22; */
	double narrowest_stop; /* 0 = no limit */
} vpm_chart_column_t;

/* Called now and then from the computing threads (one at a time) with the
 * number of cells done; `total` cells in all. */
typedef void (*vpm_chart_progress_fn)(void *ctx, size_t done, size_t total);

typedef struct {
	const vpm_chart_column_t *columns; /* nx columns (not copied) */
	size_t nx;
	double wall_min_m, wall_max_m; /* rows: ny cells evenly spanning this */
	size_t ny;
	vpm_chart_focus_rule_t rule;
	double subject_gap_m;		/* subject's centre in front of the wall (> 0) */
	double subject_depth_m;		/* back-of-dof: the subject's depth (> 0) */
	int focus_steps;		/* back-of-dof: the planner's first-pass steps (16) */
	int threads;			/* 0 = the OpenMP default; 1 = serial */
	vpm_chart_progress_fn progress; /* may be NULL */
	void *progress_ctx;
} vpm_chart_spec_t;

/* No columns, rows 1.5–8 m × 200, focus on a subject 1.524 m (5 ft) in
 * front of the wall, subject depth 0.3 m, 16 planner steps, default
 * threads, no progress. */
vpm_chart_spec_t vpm_chart_spec_default(void);

/* One cell's verdict and the numbers a chart or a table needs.  When
 * state is not VPM_CELL_OK only the subject fields are set and the
 * visibilities are NaN. */
typedef struct {
	vpm_cell_state_t state;
	double wall_m;			      /* the row's camera-to-wall distance */
	double focus_m;			      /* the focus the rule chose */
	double subject_near_m, subject_far_m; /* the subject (equal for no depth) */
	double moire_visibility, grid_visibility;
	double visibility; /* max of the two */
	vpm_risk_t risk;
	double wall_blur_mm, wall_blur_pitches;
	double dof_near_m, dof_far_m;
} vpm_chart_cell_t;

typedef struct {
	size_t nx, ny;
	double *focal_mm;	       /* nx: each column's focal length */
	double *wall_m;		       /* ny: each row's distance (cell centres, increasing) */
	double wall_min_m, wall_max_m; /* the cells' outer edges */
	vpm_chart_cell_t *cells;       /* ny × nx, row-major: cells[j * nx + i] */
} vpm_chart_t;

/* Compute every cell in parallel (one predictor workspace per thread).
 * Checks the spec first (columns with a valid set-up apart from the
 * distances, at least 1 × 2 cells, 0 < wall_min < wall_max, gap > 0, depth
 * > 0 for back-of-dof): VPM_EINVAL with a message naming the field.  Cells
 * that cannot be shot get a state, not an error.  On success *out is a new
 * chart (free with vpm_chart_free()).  VPM_ENOMEM, VPM_ERANGE (more than
 * 10^8 cells), or the first status of vpm_predict() other than a geometry
 * or limit error in a cell (those cells get a state instead). */
vpm_status_t vpm_chart_compute(const vpm_chart_spec_t *spec, vpm_chart_t **out);

/* Free a chart; NULL is a no-op. */
void vpm_chart_free(vpm_chart_t *chart);

/* A run of consecutive rows of one column, from the lower edge of its
 * first cell to the upper edge of its last (metres). */
typedef struct {
	double from_m, to_m;
	size_t rows;
} vpm_chart_run_t;

/* The runs of column `i` whose cells are all shootable (VPM_CELL_OK) with
 * risk at most `worst` (VPM_RISK_SAFE: the safe runs), bottom first.
 * Stores up to `max` runs and their total number in *n.  VPM_EINVAL for a
 * bad column or NULL arguments. */
vpm_status_t vpm_chart_column_runs(const vpm_chart_t *chart, size_t i, vpm_risk_t worst,
				   vpm_chart_run_t *runs, size_t max, size_t *n);

/* The lowest distance at which column `i` can be shot (the lower edge of
 * its first VPM_CELL_OK cell), or NaN when no cell can. */
double vpm_chart_column_first_m(const vpm_chart_t *chart, size_t i);

/* The closest camera-to-wall distance column `i` can be shot from: the
 * lower edge of its first shootable cell, raised with focus on the subject
 * (VPM_CHART_FOCUS_SUBJECT) to the exact close-focus limit, subject_gap_m
 * + vpm_geometry_closest_focus_m() of the column's focal length and
 * close_focus_m (0 when unknown).  NaN when no cell can be shot. */
double vpm_chart_column_closest_m(const vpm_chart_t *chart, size_t i, vpm_chart_focus_rule_t rule,
				  double subject_gap_m, double close_focus_m);

/* The chart's safe-zone rule.  Safe runs narrower than this (or of one
 * row) in mid-chart are chance alignments of the LED and photosite grids,
 * not zones to shoot in. */
#define VPM_CHART_ZONE_MIN_M 0.2

/* A safe zone worth naming: a safe run of a column (vpm_chart_run_t). */
typedef struct {
	double from_m, to_m; /* from_m raised to the closest distance, see below */
	size_t rows;
	int at_closest; /* starts in the column's first shootable cell */
	int to_top;	/* reaches the top of the chart */
} vpm_chart_zone_t;

/* The safe zones of column `i`, bottom first: the safe run that starts in
 * the first shootable cell (within half a row), whatever its size, and
 * every other safe run of at least two rows and VPM_CHART_ZONE_MIN_M.
 * closest_m (vpm_chart_column_closest_m(); NaN when not known) raises the
 * start of the zone at the closest distance to it.  Stores up to `max`
 * zones and their total number in *n.  VPM_EINVAL for a bad column or
 * NULL arguments. */
vpm_status_t vpm_chart_column_zones(const vpm_chart_t *chart, size_t i, double closest_m,
				    vpm_chart_zone_t *zones, size_t max, size_t *n);

/* The edge of column `i`'s safe zone a reader looks for: the top of the
 * safe run at the closest distance when it ends below the top of the chart
 * (*from = 0: safe up to there), else the bottom of a safe run of at least
 * VPM_CHART_ZONE_MIN_M that reaches the top and starts above the first
 * shootable cell (*from = 1: safe from there).  NaN (and *from = 0) when
 * neither, or for a bad column. */
double vpm_chart_column_mark_m(const vpm_chart_t *chart, size_t i, int *from);

/* "ok", "no-room", "close-focus", "stop", "dof", "limit". */
const char *vpm_chart_cell_state_name(vpm_cell_state_t state);

/* `n` columns of ideal lenses from lo_mm to hi_mm (focal lengths evenly
 * spaced on a log scale, at the centres of n equal cells: lo·(hi/lo)^((i +
 * 0.5)/n)), each `base` with that focal length, no lens MTF, no close focus
 * or stop limits.  VPM_EINVAL unless 0 < lo_mm < hi_mm and n > 0. */
vpm_status_t vpm_chart_columns_range(const vpm_setup_t *base, double lo_mm, double hi_mm, size_t n,
				     vpm_chart_column_t *cols);

/* `n` continuous columns over a zoom lens's range (focal_mm to
 * focal_max_mm, spaced as vpm_chart_columns_range()): `base` with the
 * lens applied (its squeeze), each column's focal length, the lens's close
 * focus, and its stop range at that focal length: the ramp's widest stop
 * (vpm_lens_max_t_at()) to min_t, so a stop the zoom cannot open to at the
 * long end marks those cells "stop".  VPM_EINVAL for NULL arguments, n = 0
 * or a lens that is not a zoom. */
vpm_status_t vpm_chart_columns_zoom(const vpm_setup_t *base, const vpm_lens_t *zoom, size_t n,
				    vpm_chart_column_t *cols);

/* One column per catalog lens: `base` with the lens applied
 * (vpm_setup_apply_lens()), its close focus and its stop range.
 * VPM_EINVAL for NULL arguments or lenses. */
vpm_status_t vpm_chart_columns_lenses(const vpm_setup_t *base, const vpm_lens_t *const *lenses,
				      size_t n, vpm_chart_column_t *cols);

/* The header line of the rows vpm_chart_write_csv() writes (the columns
 * of `vpmoire chart --chart-data`).  VPM_EINVAL for a NULL stream; write
 * errors show in ferror(fp). */
vpm_status_t vpm_chart_write_csv_header(FILE *fp);

/* One CSV row per cell of chart `c` at `stop`, page number `page`: the
 * panel and camera names (NULL: empty), the column's lens name (`lenses`
 * per column, NULL or NULL entries: empty), the focal length, stop, wall,
 * focus and subject distances (%.17g), the cell state, the visibilities,
 * risk, wall blur and depth of field (%.10g); an absent value is an empty
 * field.  VPM_EINVAL for NULL `fp` or `c`; write errors show in ferror(fp). */
vpm_status_t vpm_chart_write_csv(FILE *fp, int page, const char *panel, const char *camera,
				 const vpm_lens_t *const *lenses, const vpm_chart_t *c,
				 double stop);

/* ---------------------------------------------------------------- planning
 *
 * What `vpmoire chart` decides before computing anything, for any caller:
 *
 *   vpm_chart_request_t rq = vpm_chart_request_default();
 *   rq.series = "ZEISS CP.3"; rq.stops = stops; rq.n_stops = 3;
 *   vpm_chart_plan_t *plan;
 *   if (vpm_chart_plan(cat, &rq, &plan) != VPM_OK) puts(vpm_error_message());
 *   vpm_chart_plan_columns(plan, &base);   per panel and camera: `base` is the
 *   vpm_chart_plan_spec(plan, 0, &spec);   set-up with plan->lenses[0] (or an
 *   vpm_chart_compute(&spec, &chart);      ideal lens at plan->focal_lo_mm)
 *   vpm_chart_plan_free(plan);
 *
 * The messages speak the command's words (--series, --focal-range, ...),
 * the flags of the request's fields. */

/* The most columns of a continuous range and the most rows of a chart. */
#define VPM_CHART_MAX_NX 2000
#define VPM_CHART_MAX_NY 2000

/* A chart as asked for.  Strings and arrays are not copied. */
typedef struct {
	const char *series;	       /* a lens series of the catalog, or NULL */
	const char *const *lens_names; /* n_lens_names catalog lenses (one column
					    each; a zoom alone: its range) */
	size_t n_lens_names;
	double focal_lo_mm, focal_hi_mm; /* a continuous range of ideal lenses
					    (with a series: its lenses marked);
					    0: none */
	const double *stops;		 /* n_stops stops, one page each; none: the
					    default of vpm_chart_plan() */
	size_t n_stops;
	double wall_min_m, wall_max_m; /* camera-to-wall rows; wall_min_m = 0:
					  the default from the gap */
	vpm_chart_focus_rule_t rule;
	double subject_gap_m, subject_depth_m;
	size_t nx, ny;		 /* nx: columns of a continuous range */
	size_t sheets;		 /* panel × camera combinations: pages per stop */
	double raster_dpi;	 /* the PNG resolution when pages are drawn, or 0 */
	size_t max_memory_bytes; /* 0: no limit */
} vpm_chart_request_t;

/* No lenses, stops or wall range, focus on a subject 1.524 m (5 ft) in
 * front of the wall, 0.3 m deep, 200 × 200 cells, one sheet, no pages
 * drawn, at most 2 GiB. */
vpm_chart_request_t vpm_chart_request_default(void);

/* Check what needs no catalog, in this order: some lenses are given,
 * not a series and lenses, not lenses and a focal range, a back-of-dof
 * subject that does not reach the wall (depth < 2 × gap), at most
 * VPM_CHART_MAX_NX × VPM_CHART_MAX_NY cells.  VPM_EINVAL with the reason
 * (e.g. "give either --series or --lens, not both"). */
vpm_status_t vpm_chart_request_check(const vpm_chart_request_t *req);

/* A resolved chart.  Read the fields; change nothing but through the
 * functions below. */
typedef struct {
	const vpm_lens_t **lenses; /* n_lenses catalog lenses by focal length:
					    the columns, or a zoom alone; none for
					    a range of ideal lenses */
	size_t n_lenses;
	const vpm_lens_t *zoom;	  /* the zoom whose range is the axis, or NULL */
	const vpm_lens_t **marks; /* n_marks lenses of a series marked on a
					    continuous axis */
	size_t n_marks;
	const char *series_name;	 /* the series' name, the zoom's, or NULL */
	int continuous;			 /* 1: a focal range; 0: one column per lens */
	double focal_lo_mm, focal_hi_mm; /* the continuous range */
	double *stops;			 /* n_stops: one page each */
	size_t n_stops;
	double wall_min_m, wall_max_m;
	size_t nx, ny;
	vpm_chart_focus_rule_t rule;
	double subject_gap_m, subject_depth_m;
	size_t pages;			  /* sheets × stops */
	double memory_bytes;		  /* the estimate vpm_chart_plan_check_memory() bounds */
	size_t max_memory_bytes;	  /* the request's limit (0: none) */
	vpm_chart_column_t *columns;	  /* nx: vpm_chart_plan_columns() fills them */
	const vpm_lens_t **column_lenses; /* nx: the lens of each column for a page
						 (NULL entries: a continuous range) */
	const vpm_lens_t **csv_lenses;	  /* nx: the lens each CSV row names (the
						 zoom in every column of a zoom) */
} vpm_chart_plan_t;

/* Plan the chart `req` asks for with the lenses of `cat` (may be NULL
 * when no lens or series is named): vpm_chart_request_check(), then the
 * series (its first 64 lenses by focal length; with a focal range only
 * marks) or the lenses, sorted by focal length; a zoom alone spans its
 * focal range with its stop ramp, among other lenses it is refused; the
 * stops given, or by default the widest stop of the first lens (of a zoom
 * with a ramp: the long end's widest, so no column lacks it), required
 * with a focal range; the wall range given, or from the gap rounded down
 * to 0.5 m (at least 0.5 m) to 5 m beyond the gap rounded up to 1 m; the
 * memory estimate of vpm_chart_plan_check_memory().  On success *out is a
 * new plan (vpm_chart_plan_free()).  VPM_EINVAL with the reason for a
 * request refused; VPM_ENOTFOUND when a name does not resolve to one
 * catalog entry (not found, ambiguous or empty: the catalog's message
 * after "--series: " or "--lens: "); VPM_ENOMEM. */
vpm_status_t vpm_chart_plan(const vpm_catalog_t *cat, const vpm_chart_request_t *req,
			    vpm_chart_plan_t **out);

/* Refuse a chart that would need more memory than the request allows:
 * one page's cells, every page's recording (16 bytes a cell and 4 MiB),
 * and a raster at raster_dpi of an A4 page's long side squared.
 * VPM_ELIMIT with the estimate and how to lower it; VPM_EINVAL for NULL. */
vpm_status_t vpm_chart_plan_check_memory(const vpm_chart_plan_t *plan);

/* Fill plan->columns for set-up `base` (a panel and camera, the first
 * lens applied): the zoom's columns, the range's or the lenses'
 * (vpm_chart_columns_zoom(), _range(), _lenses()).  Their statuses;
 * VPM_EINVAL for NULL. */
vpm_status_t vpm_chart_plan_columns(vpm_chart_plan_t *plan, const vpm_setup_t *base);

/* The spec of page `stop` (an index into plan->stops) for the columns of
 * vpm_chart_plan_columns(), set to that stop: columns, rows, focus rule
 * and subject; threads and progress are left as vpm_chart_spec_default()
 * has them.  VPM_EINVAL for NULL or a stop out of range. */
vpm_status_t vpm_chart_plan_spec(vpm_chart_plan_t *plan, size_t stop, vpm_chart_spec_t *spec);

/* Compute page `stop` (an index into plan->stops) for the columns of
 * vpm_chart_plan_columns(): the spec of vpm_chart_plan_spec() with
 * `threads` (0: the OpenMP default) and `progress` (may be NULL) called
 * with `ctx`, then vpm_chart_compute() into *out (vpm_chart_free()).
 * Their statuses. */
vpm_status_t vpm_chart_plan_compute(vpm_chart_plan_t *plan, size_t stop, int threads,
				    vpm_chart_progress_fn progress, void *ctx, vpm_chart_t **out);

/* Free a plan; NULL is a no-op. */
void vpm_chart_plan_free(vpm_chart_plan_t *plan);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_CHART_H */
