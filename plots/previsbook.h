/* vpmoire — the previs book of `vpmoire shotlist`: from the evaluated shots
 * (lib/shotlist.c) to the summary of the day and one page per shot, drawn by
 * plots/previs.c (previs.h).
 *
 * Only composes and draws: the verdicts, the set extension, the advice, the
 * recommendation and the check command come from lib/ (vpm_shot_evaluate_ex,
 * vpm_shot_recommendation, vpm_shot_check_command); the outlines from
 * lib/frame.c.
 */
#ifndef VPM_PREVISBOOK_H
#define VPM_PREVISBOOK_H

#include <stddef.h>

#include "previs.h"
#include "vpm_plot.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One shot of the book: the row, its evaluation, and its page. */
typedef struct {
	const vpm_shot_t *shot;
	vpm_shot_eval_t ev;
	int page; /* 1-based page in the PDF (set by vpm_previs_book_summary()) */
} vpm_previs_run_t;

/* What every page of the book shares (vpm_previs_book_init()). */
typedef struct {
	const vpm_stage_t *stage;
	unsigned given;		/* VPM_SHOT_GIVEN_*: for the check command */
	const char *shots_name; /* the shotlist's file name */
	vpm_units_system_t units;
	double px0, px1, pz0, pz1; /* plan extent, same for every shot */
	double sd0, sd1, sy0, sy1; /* side-view extent, same for every shot */
	vpm_footer_item_t footer[8];
	size_t n_footer;
	char foot_viewer[160], foot_thr[96], foot_misc[400], foot_ver[64];
	const char *stage_totals; /* the stage's bill of materials in one line
				     (vpm_bom_summary()), under the summary's
				     subtitle; NULL for none */
	char totals[512];	  /* ... as vpm_previs_book_render() sets it */
} vpm_previs_book_t;

/* Fill `b` for the shots `runs` (n of them) on `stage`: the plan and side
 * view extents that hold every camera and subject, and the footer from
 * `defaults` (the settings shared by every shot).  Strings and `stage` are
 * not copied.  VPM_EINVAL for NULL arguments. */
vpm_status_t vpm_previs_book_init(vpm_previs_book_t *b, const vpm_stage_t *stage,
				  const vpm_setup_t *defaults, unsigned given,
				  const char *shots_name, vpm_units_system_t units,
				  const vpm_previs_run_t *runs, size_t n);

/* The scan-band verdict of a shot in words: short for the summary's cell,
 * long for the shot page; NULL (buf untouched) for a shot without a frame
 * rate. */
const char *vpm_previs_scan_text(const vpm_shot_eval_t *e, int long_form, char *buf, size_t size);

/* Add the summary page(s) to `doc` (made with `dopt`): a row per shot, the
 * counts, the rejected rows of `sl`; sets each run's page number.  *pages
 * receives the number of summary pages.  VPM_ENOMEM, or the statuses of
 * vpm_previs_summary_pages(). */
vpm_status_t vpm_previs_book_summary(vpm_doc_t *doc, const vpm_doc_options_t *dopt,
				     const vpm_previs_book_t *b, vpm_previs_run_t *runs, size_t n,
				     const vpm_shotlist_t *sl, int *pages);

/* Add the page of one shot to `doc`.  The statuses of lib/frame.c's
 * outlines and of vpm_previs_shot_page(). */
vpm_status_t vpm_previs_book_shot(vpm_doc_t *doc, const vpm_previs_book_t *b,
				  const vpm_previs_run_t *r);

/* The book as a document, landscape on A4 (or US Letter with `letter`):
 * the summary page(s) (vpm_previs_book_summary(), which numbers the runs'
 * pages) with the stage's totals under the title (vpmoire stage's numbers
 * for `panel` and `cat`; a panel without cabinet data has none), then a
 * page per shot.  *doc receives it (free with
 * vpm_doc_free(); NULL on failure), *summary_pages the number of summary
 * pages.  Statuses of vpm_doc_alloc(), and of the two page writers with the
 * message prefixed "summary page: " or the shot's id. */
vpm_status_t vpm_previs_book_render(vpm_previs_book_t *b, const vpm_panel_t *panel,
				    const vpm_catalog_t *cat, int letter, vpm_previs_run_t *runs,
				    size_t n, const vpm_shotlist_t *sl, vpm_doc_t **doc,
				    int *summary_pages);

/* One image file name per page of the book (the summary pages, then the
 * shots `runs`), with extension `ext` ("png"): summary.EXT, summary-2.EXT,
 * ..., shot-ID.EXT with every byte of the id other than a letter, digit,
 * '-' or '.' as '_'.  Names are compared without regard to ASCII case (as
 * macOS and Windows disks compare them); an id that is already a safe name
 * keeps its plain name, the others take theirs in page order while it is
 * free, and a shot left over gets the first free shot-NAME-2.EXT, -3, ...
 * *names receives summary_pages + n malloc'd names (free with
 * vpm_previs_book_names_free()), *owner for each page the page that has the
 * plain name it wanted (itself when it got it).  VPM_ENOMEM. */
vpm_status_t vpm_previs_book_image_names(const char *ext, int summary_pages,
					 const vpm_previs_run_t *runs, size_t n, char ***names,
					 size_t **owner);

/* Free the names of vpm_previs_book_image_names(); NULL is a no-op. */
void vpm_previs_book_names_free(char **names, size_t n);

/* A shot's verdict in capitals: vpm_risk_label(), "NO LED" for -1. */
const char *vpm_previs_risk_label(int risk);

#ifdef __cplusplus
}
#endif
#endif /* VPM_PREVISBOOK_H */
