/* vpmoire — the stage sheet: an elevation of each wall with its cabinets
 * and processor-port groups, the table of totals, the inverse design when
 * there is one, and the assumptions.
 *
 * Only draws: the numbers arrive in a vpm_bom_t (lib/stagebom.c) and a
 * vpm_design_t, built by apps/cmd_stage.c.
 */
#ifndef VPM_STAGEPAGE_H
#define VPM_STAGEPAGE_H

#include "vpm_plot.h"
#include "vpmoire/stagebom.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *title, *subtitle;
	const vpm_stage_t *stage;
	const vpm_bom_t *bom;
	const vpm_design_t *design;  /* or NULL */
	const vpm_shotlist_t *shots; /* the design's shots, or NULL */
	const char *version;	     /* "vpmoire 1.2" for the footer, or NULL */
} vpm_stagepage_t;

/* Add the stage sheet (one page) to `doc`.  VPM_EINVAL (no stage or bill
 * of materials), the statuses of vpm_doc_page_add() and vpm_table_draw(). */
vpm_status_t vpm_stagepage_draw(vpm_doc_t *doc, const vpm_stagepage_t *sp);

#ifdef __cplusplus
}
#endif
#endif
