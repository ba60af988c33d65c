/* vpmoire — the page of `vpmoire focus`: from the planner's results (one
 * plan per stop, lib/plan.c) to the side views, the visibility curve along
 * the focus scale, the table of stops, the reading guide and the footer of
 * assumptions, drawn by vpm_focuspage_draw() (chartpage.h).
 *
 * Only composes and draws: every number arrives from lib/ through the
 * caller (apps/cmd_focus.c); the visibility curve is the planner's
 * vpm_plan_focus_curve().
 */
#ifndef VPM_FOCUSPAGE_H
#define VPM_FOCUSPAGE_H

#include <stddef.h>

#include "vpmoire/catalog.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/report.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One stop's plan, as the planner made it. */
/* One stop's plan: the library's (vpmoire/report.h), as the text and JSON
 * reports show it. */
typedef vpm_focus_stop_t vpm_focusplan_stop_t;

/* Everything the focus page shows.  Pointers are not copied. */
typedef struct {
	/* the plan, as the text and JSON reports show it: the stops given (and
	 * added) in order, the recommended one and, when no stop given holds
	 * the subject, the nearest stop of the lens that does (drawn instead),
	 * the stop given whose centre focus is drawn beside it, and why */
	const vpm_focus_report_t *report;
	const vpm_panel_t *panel;   /* or NULL (raw numbers) */
	const vpm_camera_t *camera; /* or NULL */
	const vpm_lens_t *lens;	    /* or NULL; its close focus is drawn */
	int letter;		    /* 1: US Letter, 0: A4 */
	double dpi;		    /* PNG resolution */
	const char *title;	    /* the user's stage or rig name, or NULL */
} vpm_focusplan_page_t;

/* Draw the focus page and write it to `path` (.pdf, .png or .svg, whole or
 * absent).  `ws` is a predictor workspace for the visibility curve.
 * VPM_EINVAL, VPM_ENOMEM, VPM_EIO; a failure before the file is written
 * carries a message starting "figure: ". */
vpm_status_t vpm_focusplan_page_write(const char *path, const vpm_focusplan_page_t *f,
				      vpm_predict_workspace_t *ws);

#ifdef __cplusplus
}
#endif
#endif /* VPM_FOCUSPAGE_H */
