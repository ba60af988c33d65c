/* vpmoire — previs pages for shotlists: a summary table of the day and one
 * page per shot (a to-scale plan, the frame as the lens sees it, and the
 * numbers).
 *
 * Only draws: every outline comes from lib/vpmoire/frame.h and every number
 * arrives formatted by the caller (apps/cmd_shotlist.c).
 */
#ifndef VPM_PREVIS_H
#define VPM_PREVIS_H

#include <stddef.h>

#include "vpm_plot.h"
#include "vpmoire/frame.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One line of the numbers block: a key in bold, then its value.  `level`
 * colours a small risk chip in front of the value (0..2), -1 for none. */
typedef struct {
	const char *key;
	const char *value;
	int level;
} vpm_previs_row_t;

/* Everything one shot page shows.  Strings are not copied. */
typedef struct {
	const char *title;	  /* "Shot 12A · MCU · Interview: guest" */
	const char *subtitle;	  /* rig, stop, focus, stage */
	int risk;		  /* 0 safe, 1 caution, 2 risky, -1 no LED in frame */
	const char *verdict;	  /* "RISKY" */
	const char *verdict_note; /* "visibility 4.2" */

	/* plan view: stage metres, x across, z from the wall towards the camera */
	const vpm_paths_t *plan;
	double plan_x0_m, plan_x1_m, plan_z0_m, plan_z1_m; /* extent to show */
	double cam_x_m, cam_z_m, pan_deg;
	int has_subject;
	double subject_x_m, subject_z_m;
	double wall_z_m;	 /* z of the wall straight ahead of the camera (0 flat) */
	const char *wall_label;	 /* "LED wall · 10 × 4 cabinets · 5.00 × 2.00 m" */
	const char *camera_dim;	 /* "2.52 m" camera to wall, or NULL */
	const char *subject_dim; /* "1.52 m" subject to wall, or NULL */

	/* side view (section along the heading): d metres in front of the wall
	 * (wall at 0, camera at section_cam_d_m), y metres up */
	const vpm_paths_t *section;
	double section_d0_m, section_d1_m, section_y0_m, section_y1_m; /* extent to show */
	double section_cam_d_m, cam_y_m, tilt_deg;
	const char *cam_height_dim;			/* "1.20 m" lens height, or NULL */
	const char *wall_top_label, *wall_bottom_label; /* "top 2.40 m", or NULL */

	/* frame view: image mm, u right, v up */
	double sensor_w_mm, sensor_h_mm;
	const vpm_paths_t *frame;
	const char *frame_caption; /* "Set extension 26 % of the frame (left 13 %, right 13 %)" */
	const char *horizon_label; /* "horizon: lens height 1.50 m" */
	const double *probe_u_mm, *probe_v_mm; /* wall points the verdict used */
	size_t n_probes;
	int worst_probe; /* index of the deciding point, -1 none */

	/* numbers and words */
	const vpm_previs_row_t *rows;
	size_t n_rows;
	const char *recommendation; /* one line, bold */
	const char *notes;	    /* notes and unknown columns, or NULL */
	const char *check_command;  /* the equivalent `vpmoire check`, or NULL */
	const char *footer_heading;
	const vpm_footer_item_t *footer;
	size_t n_footer;

	/* a shot that moves (issue 19): the camera's end on the plan, drawn
	 * with an arrow from its start, and a strip of the verdict along the
	 * move (t 0 to 1, one risk colour per segment, the worst point ticked) */
	int has_move;
	double cam_end_x_m, cam_end_z_m;
	const double *move_t0, *move_t1; /* segments, contiguous from 0 to 1 */
	const int *move_risk;		 /* their risk levels, 0..2 */
	size_t n_move;
	double move_worst_t;
	const char *move_caption; /* "Along the move: ..." */
} vpm_previs_shot_t;

/* Draw one shot page (A4 or Letter, landscape).  VPM_EINVAL for a missing
 * plan/frame, VPM_ENOMEM. */
vpm_status_t vpm_previs_shot_page(const vpm_page_t *pg, const vpm_previs_shot_t *s);

/* The summary of the day: a table of every shot (rows highlighted by the
 * caller's row_fill), then the rejected rows with their reasons. */
typedef struct {
	const char *title;
	const char *subtitle;
	const char *counts; /* "3 risky · 2 caution · 9 safe · ..." */
	vpm_table_t table;
	const char *const *rejected; /* "shots.csv:7:31: stop: ..." lines */
	size_t n_rejected;
	const char *explain; /* how to read the table */
	const char *footer_heading;
	const vpm_footer_item_t *footer;
	size_t n_footer;
} vpm_previs_summary_t;

/* Add the summary page(s) to `doc`: the table continues on further pages
 * when it does not fit, and the rejected rows follow it.  *pages (may be
 * NULL) receives the number of pages added.  VPM_EINVAL, VPM_ENOMEM,
 * VPM_EINTERNAL. */
vpm_status_t vpm_previs_summary_pages(vpm_doc_t *doc, const vpm_previs_summary_t *s, int *pages);

/* How many pages vpm_previs_summary_pages() will add with these document
 * options (a dry run on a scratch document). */
vpm_status_t vpm_previs_summary_count(const vpm_doc_options_t *opt, const vpm_previs_summary_t *s,
				      int *pages);

#ifdef __cplusplus
}
#endif
#endif /* VPM_PREVIS_H */
