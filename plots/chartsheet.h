/* vpmoire — one page of `vpmoire chart` composed from a computed chart
 * (lib/chart.c): the titles, the cells and column marks, the close-focus
 * limits, the table of safe distances, the reading guide and the footer of
 * assumptions, drawn by vpm_chartpage_draw() (chartpage.h).
 *
 * Only composes and draws: the verdicts, the safe zones and the closest
 * distances are the library's (vpm_chart_column_zones(),
 * vpm_chart_column_mark_m(), vpm_chart_column_closest_m()).
 */
#ifndef VPM_CHARTSHEET_H
#define VPM_CHARTSHEET_H

#include <stddef.h>
#include <stdio.h>

#include "vpm_plot.h"
#include "vpmoire/catalog.h"
#include "vpmoire/chart.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the pages of one panel and camera share.  Pointers are not copied. */
typedef struct {
	const vpm_panel_t *panel;	 /* or NULL (raw numbers) */
	const vpm_camera_t *camera;	 /* or NULL */
	const vpm_lens_t *const *lenses; /* per column (NULL entries or NULL:
					    a continuous focal range) */
	const vpm_lens_t *const *marks;	 /* a series marked on a continuous axis */
	size_t n_marks;
	const char *series_name; /* or NULL */
	vpm_units_system_t units;
	int categorical;		 /* 1: one column per lens */
	double focal_lo_mm, focal_hi_mm; /* a continuous range */
	vpm_chart_focus_rule_t rule;
	double gap_m, depth_m;	/* the subject's gap to the wall and its depth */
	int by_visibility;	/* colours: 0 three risk classes, 1 log visibility */
	const char *title;	/* the user's stage or rig name, or NULL */
	const vpm_lens_t *zoom; /* the zoom whose range the continuous axis spans,
				 * or NULL (issue 19) */
} vpm_chartsheet_t;

/* The sheet of the pages of `plan` (vpm_chart_plan()) for `panel` and
 * `camera` (NULL: raw numbers): the columns' lenses, the axis (a column
 * per lens or the continuous range), the zoom, the series and its marks,
 * the focus rule and the subject; colours, title and units zero (risk
 * classes, none, metric) for the caller to set. */
void vpm_chartsheet_from_plan(vpm_chartsheet_t *cs, const vpm_chart_plan_t *plan,
			      const vpm_panel_t *panel, const vpm_camera_t *camera);

/* Add one safe-shot page to `doc`: chart `c` at `stop`, `s` the set-up the
 * chart was computed from (the first column's, for the footer).  VPM_ENOMEM
 * ("out of memory"); a failure of the page itself carries a message starting
 * "chart page: ". */
vpm_status_t vpm_chartsheet_page_add(vpm_doc_t *doc, const vpm_chartsheet_t *cs,
				     const vpm_chart_t *c, double stop, const vpm_setup_t *s);

/* The safe camera-to-wall distances of column `i` in words ("2.10–4.20,
 * from 6.00 +1", "none"; metric without the unit), at most two zones of
 * vpm_chart_column_zones() listed; `closest_m` as that function takes it. */
void vpm_chartsheet_safe_text(const vpm_chart_t *c, size_t i, double closest_m,
			      vpm_units_system_t u, char *buf, size_t n);

/* The closest camera-to-wall distance column `i` can be shot from:
 * vpm_chart_column_closest_m() with the sheet's focus rule and gap and the
 * column's lens's close focus.  NaN when no cell can be shot. */
double vpm_chartsheet_column_closest(const vpm_chartsheet_t *cs, const vpm_chart_t *c, size_t i);

/* The terminal summary of page `page` (chart `c` at `stop`) on `fp`: per
 * lens (or ten focal lengths across a continuous range) the closest
 * distance and the safe distances of vpm_chartsheet_safe_text().
 * VPM_EINVAL for NULL arguments. */
vpm_status_t vpm_chartsheet_summary(FILE *fp, const vpm_chartsheet_t *cs, const vpm_chart_t *c,
				    double stop, int page);

#ifdef __cplusplus
}
#endif
#endif /* VPM_CHARTSHEET_H */
