/* vpmoire — pages of `vpmoire measure`: one frame annotated with its tiles
 * and the worst tile's spectrum, and the camera-test table for the prep
 * book.  Only draws: numbers come from lib/vpmoire/measure.h, text arrives
 * formatted by the caller (apps/cmd_measure.c). */
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

/* The camera-test table: title, the table (rows coloured by the caller;
 * without widths, the seven columns of vpm_measure_table_row() get theirs),
 * a note under it and the footer.  VPM_EINVAL, VPM_ENOMEM. */
vpm_status_t vpm_measure_table_page(const vpm_page_t *pg, const char *title, const char *subtitle,
				    const vpm_table_t *table, const char *note,
				    const vpm_footer_item_t *footer, size_t n_footer);

#ifdef __cplusplus
}
#endif
#endif
