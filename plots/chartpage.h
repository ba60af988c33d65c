/* vpmoire — the prep-book pages: the safe-shot chart (focal length ×
 * camera-to-wall distance) and the focus planner's side view.
 *
 * Only draws: every number and every string arrives from the caller
 * (apps/cmd_chart.c, apps/cmd_focus.c), which takes them from lib/.
 */
#ifndef VPM_CHARTPAGE_H
#define VPM_CHARTPAGE_H

#include <stddef.h>

#include "vpm_plot.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a cell without a verdict shows (the values of vpm_cell_state_t). */
#define VPM_CHARTPAGE_CELL_OK 0

/* One safe-shot chart page.  Strings and arrays are not copied. */
typedef struct {
	const char *title;
	const char *subtitle;

	/* columns: categorical (one equal column per lens, x = index) or a
	 * continuous focal-length axis (log scale, x = focal mm) */
	size_t nx;
	int categorical;
	const double *focal_mm;	     /* nx column centres (mm), increasing */
	const char *const *x_labels; /* categorical: nx tick labels */
	const char *x_title;	     /* "Focal length (mm)" */
	const double *marks_mm;	     /* continuous: lenses to mark on the axis */
	size_t n_marks;

	/* rows: ny cells evenly filling [wall_min_m, wall_max_m] */
	size_t ny;
	const double *wall_m; /* ny row centres */
	double wall_min_m, wall_max_m;
	const char *y_title, *y2_title; /* metres on the left, feet on the right */

	/* cells, row-major z[j·nx + i] */
	const double *visibility; /* NaN where state != 0 */
	const int *state;	  /* 0 = a verdict; else cannot be shot */
	double caution_at, risky_at;
	int colour_by_visibility; /* 0: three risk classes; 1: log visibility */

	/* per column (NULL for none; NaN entries skip) */
	const double *close_limit_m;	/* lowest wall distance the lens can focus at */
	const double *mark_m;		/* a marker (e.g. the edge of the safe run) */
	const char *const *mark_label;	/* its label */
	const char *const *column_note; /* vertical text over a column (e.g. "opens to T2.9") */

	/* the right-hand column */
	const char *marker_legend;  /* legend text of the markers */
	const char *blocked_legend; /* legend text of the hatched grey cells */
	const vpm_table_t *table;   /* a summary table, or NULL */
	const char *table_title;
	const char *guide_heading, *guide;

	const char *footer_heading;
	const vpm_footer_item_t *footer;
	size_t n_footer;
} vpm_chartpage_t;

/* Draw one safe-shot page on `pg` (A4 or Letter, landscape).  VPM_EINVAL
 * for missing arrays or sizes, VPM_ENOMEM. */
vpm_status_t vpm_chartpage_draw(const vpm_page_t *pg, const vpm_chartpage_t *c);

/* One side view of the focus planner page. */
typedef struct {
	const char *caption; /* "Recommended: focus 0.93 m at T4" (bold) */
	const char *verdict; /* "SAFE · visibility 0.82" */
	int risk;	     /* 0..2 colours the verdict chip */
	double focus_m;
	double dof_near_m, dof_far_m; /* far may be INFINITY */
	const char *focus_label;      /* "focus 0.932 m" (over the focus plane) */
	const char *dof_label;	      /* "depth of field" (in the band) */
	const char *blur_label;	      /* "blur 10.0 LED pitches" (beside the wall) */
	int subject_sharp;	      /* 0 draws the subject's unsharp part in red */
	const char *detail;	      /* a second line under the caption, or NULL */
} vpm_focusview_t;

/* The focus planner page: side views (recommended, naive), visibility
 * along the focus scale, a table of the stops and a reading guide. */
typedef struct {
	const char *title;
	const char *subtitle;
	double subject_near_m, subject_far_m, wall_m;
	const char *wall_label; /* "LED wall, 1.5625 mm pitch" */
	const vpm_focusview_t *views;
	size_t n_views; /* 1 or 2 */

	/* visibility vs focus distance (n_curve >= 2, or 0 for none) */
	size_t n_curve;
	const double *curve_focus_m, *curve_visibility;
	const int *curve_sharp; /* subject inside the DOF at that focus */
	double caution_at, risky_at;
	const char *curve_title;     /* "Visibility along the focus scale at T4" */
	const double *curve_marks_m; /* focus settings to mark (recommended, naive) */
	const char *const *curve_mark_labels;
	size_t n_curve_marks;

	const vpm_table_t *table; /* the stops compared, or NULL */
	const char *guide_heading, *guide;
	const char *footer_heading;
	const vpm_footer_item_t *footer;
	size_t n_footer;
	int feet; /* 1: the user works in feet: the focus curve gets a second
		     scale in feet (the side views always show both) */
} vpm_focuspage_t;

/* Draw the focus planner page.  VPM_EINVAL (no view, bad distances),
 * VPM_ENOMEM. */
vpm_status_t vpm_focuspage_draw(const vpm_page_t *pg, const vpm_focuspage_t *f);

#ifdef __cplusplus
}
#endif
#endif /* VPM_CHARTPAGE_H */
