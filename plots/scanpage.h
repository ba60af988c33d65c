/* vpmoire — the safe-settings page of `vpmoire scan --table`: shutter
 * angles × frame rates for one panel and camera, each cell's temporal
 * verdict, and the nearest safe shutter for each frame rate.
 *
 * vpm_scanpage_draw() only draws: every number and string comes from the
 * caller; vpm_scantable_fill() makes them for the standard table from
 * lib/temporal.c (vpm_temporal_grid()).
 */
#ifndef VPM_SCANPAGE_H
#define VPM_SCANPAGE_H

#include <stddef.h>

#include "vpm_plot.h"
#include "vpmoire/status.h"
#include "vpmoire/temporal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One page.  Arrays are row-major [i·n_angle + j] for fps[i], angle[j];
 * strings and arrays are not copied. */
typedef struct {
	const char *title, *subtitle;
	size_t n_fps, n_angle;
	const double *fps;		/* n_fps frame rates */
	const double *angle_deg;	/* n_angle shutter angles */
	const int *risk;		/* 0 safe, 1 caution, 2 risky */
	const double *band_depth;	/* peak-to-peak over mean */
	const int *polarity;		/* 0 none, 1 light, 2 dark, 3 even */
	const double *nearest_safe_deg; /* n_fps; NaN = none */
	double reference_deg;		/* what "nearest" is measured from */
	const char *guide_heading, *guide;
	const char *footer_heading;
	const vpm_footer_item_t *footer;
	size_t n_footer;
} vpm_scanpage_t;

/* Draw the page on `pg` (A4 or Letter, landscape).  VPM_EINVAL for
 * missing arrays, no rows or columns, or a page too small for the grid. */
vpm_status_t vpm_scanpage_draw(const vpm_page_t *pg, const vpm_scanpage_t *s);

/* The page alone in a new A4 landscape document saved to `path` (.pdf,
 * .png or .svg; written whole or not at all, vpm_doc_save()). */
vpm_status_t vpm_scanpage_save(const vpm_scanpage_t *s, const char *path);

/* The standard table of `vpmoire scan --table`: 24, 25, 30, 48, 50 and 60
 * fps (the cinema, PAL, NTSC rates and their doubles) against shutter
 * angles from 90 to 360 degrees, framed around 180 degrees; everything the
 * page shows, held in the struct (`page` points into it: do not copy). */
enum { VPM_SCANTABLE_NFPS = 6, VPM_SCANTABLE_NANGLE = 10 };
typedef struct {
	vpm_scanpage_t page;
	vpm_temporal_cell_t cells[VPM_SCANTABLE_NFPS * VPM_SCANTABLE_NANGLE];
	double nearest[VPM_SCANTABLE_NFPS];
	double depth[VPM_SCANTABLE_NFPS * VPM_SCANTABLE_NANGLE];
	int risk[VPM_SCANTABLE_NFPS * VPM_SCANTABLE_NANGLE];
	int polarity[VPM_SCANTABLE_NFPS * VPM_SCANTABLE_NANGLE];
	char subtitle[400], setup[200];
	vpm_footer_item_t footer[5];
} vpm_scantable_t;

/* Evaluate the table for `t` (vpm_temporal_grid()) and describe its page;
 * `rig` names the panel and camera in the subtitle (copied).  Statuses as vpm_temporal_grid(). */
vpm_status_t vpm_scantable_fill(vpm_scantable_t *tab, const vpm_temporal_t *t, const char *rig);

#ifdef __cplusplus
}
#endif
#endif /* VPM_SCANPAGE_H */
