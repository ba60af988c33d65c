/* vpmoire — pages of `vpmoire measure`: one frame annotated with its tiles
 * and the worst tile's spectrum, and the camera-test table for the prep
 * book.  Only draws: numbers come from lib/vpmoire/measure.h, text arrives
 * formatted by the caller (apps/cmd_measure.c) or, for the camera-test
 * page, by lib/measure.c's vpm_measure_table_row(). */
#ifndef VPM_MEASUREPAGE_H
#define VPM_MEASUREPAGE_H

#include <stddef.h>

#include "vpm_plot.h"
#include "vpmoire/measure.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	const char *title;    /* the frame's file name */
	const char *subtitle; /* NULL: the frame's size, tiles and method */
	const vpm_measurement_t *m;
	const char *const *lines; /* the numbers, one line each; NULL: those of
				     vpm_measure_write_text() */
	size_t n_lines;
	const vpm_footer_item_t *footer;
	size_t n_footer;
} vpm_measure_page_t;

/* The frame (its luma, gamma-encoded for the page) with every tile
 * outlined in its verdict's colour and the worst one drawn bold; beside it
 * the worst tile's spectrum (dB, DC at the centre) with each measured
 * component ringed and numbered as in `lines`; the lines below.
 * VPM_EINVAL (no measurement), VPM_ENOMEM. */
vpm_status_t vpm_measure_page(const vpm_page_t *pg, const vpm_measure_page_t *d);

/* The camera-test page for the prep book, added to `doc`: the rows of
 * vpm_measure_table_row() under its title, the legend of the model column
 * below, the frames' transfer function (may be NULL) in the footer.
 * VPM_EINVAL, VPM_ENOMEM. */
vpm_status_t vpm_measure_table_page(vpm_doc_t *doc, char (*const rows)[VPM_MEASURE_TABLE_COLS][80],
				    size_t n_rows, const char *transfer);

#ifdef __cplusplus
}
#endif
#endif
