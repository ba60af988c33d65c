/* vpmoire — LED moiré measured on real camera frames (issue 15).
 *
 * A frame exported from the camera (8- or 16-bit PNG or TIFF) is read as
 * code values, turned back into linear light by its transfer function
 * (vpmoire/transfer.h), and its luma (ITU-R BT.709 weights) measured in a
 * region or over the whole frame in tiles, with the FFT engine's
 * measurement (Blackman–Harris window, interpolated peaks, SPEC §3):
 *
 *  - without a set-up, every spectral peak at or above a modulation floor
 *    is reported with its frequency in cycles per pixel (pitch_mm = 1) and
 *    its visibility scored by the same vision model as `check` (the
 *    viewing defaults of vpm_setup_default(), the frame's width as the
 *    picture width);
 *  - with a set-up (the stage's panel, camera, lens, stop and distances,
 *    square to the camera), the LED harmonics are looked for where the
 *    set-up puts them, near-Nyquist pairs and long beats fitted jointly as
 *    the FFT engine does, each labelled moiré (aliased) or grid, in cycles
 *    per mm on the sensor (the frame's pixel pitch is the sensor width over
 *    the frame's width, or the photosite for a 1:1 crop), and the analytic
 *    prediction is computed beside it.
 *
 * The verdict of a tile is SAFE / CAUTION / RISKY on its largest
 * visibility (the predictor's rule); a component that could matter and
 * cannot be measured in the tile makes it RISKY, flagged unmeasurable.
 */
#ifndef VPMOIRE_MEASURE_H
#define VPMOIRE_MEASURE_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/pngio.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/transfer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Read a frame's code values (PNG or TIFF, told apart by their
 * signatures; 8 or 16 bits; grey, RGB, or RGBA with alpha ignored), each
 * normalised full range (code / (2^bits − 1)), and decode them with
 * `transfer` to linear light: a 3-channel image.  TIFF: contiguous or
 * separate planes, unsigned integer samples.  VPM_ENOTFOUND (no file),
 * VPM_EIO, VPM_EPARSE (neither format, or a layout not read: the message
 * says which), VPM_ERANGE (a side over `max_side`), VPM_ENOMEM.  Messages
 * start with the path; *out is NULL on failure. */
vpm_status_t vpm_frame_read(const char *path, vpm_transfer_t transfer, int max_side,
			    vpm_image_t **out);

/* A rectangle of the frame, pixels from its top-left corner. */
typedef struct {
	int x_px, y_px, w_px, h_px;
} vpm_region_t;

/* Options; start from vpm_measure_options_default(). */
typedef struct {
	int tile_px;		  /* tile side over the whole frame (256), even, 32 … 4096 */
	int use_region;		  /* measure `region` only (0) */
	vpm_region_t region;	  /* its largest centred square is measured */
	const vpm_setup_t *setup; /* NULL: peaks without a lattice */
	double min_modulation;	  /* peaks below are not reported (0.002) */
	int crop;		  /* the frame's pixels are photosites (a 1:1 crop of the sensor),
		     not the whole sensor width scaled to the frame (0) */
} vpm_measure_options_t;

vpm_measure_options_t vpm_measure_options_default(void);

#define VPM_MEASURE_MAX_COMPONENTS 8

/* One measured square of the frame. */
typedef struct {
	int x_px, y_px, side_px; /* top-left corner and side, frame pixels */
	size_t n;		 /* components, strongest visibility first */
	vpm_component_t c[VPM_MEASURE_MAX_COMPONENTS];
	double visibility; /* largest (0 when none) */
	vpm_risk_t risk;
	int unmeasurable; /* a component that could matter cannot be measured here */
} vpm_measure_tile_t;

typedef struct {
	int width_px, height_px; /* of the frame */
	double pitch_mm;	 /* frame pixel pitch on the sensor; 1 without a set-up */
	int with_setup;
	size_t n_tiles;
	vpm_measure_tile_t *tiles;
	size_t worst; /* the tile of largest visibility */
	vpm_risk_t risk;
	double caution_at, risky_at; /* the thresholds used (the set-up's) */
	int have_prediction;	     /* with a set-up: the analytic chain's result */
	vpm_result_t prediction;
	/* for drawing: the worst tile's spectrum, spectrum_n² values in dB
	 * (0 dB = modulation 1, DC at (n/2, n/2)), and the frame's linear luma */
	int spectrum_n;
	float *spectrum_db;
	float *luma; /* width_px × height_px */
} vpm_measurement_t;

/* Measure `frame` (linear light, 1 or 3 channels).  VPM_EINVAL naming the
 * option (a region outside the frame or under 32 pixels, a bad tile side,
 * a frame smaller than one tile), the set-up's statuses (vpm_predict()),
 * VPM_ENOMEM.  *out is NULL on failure; free with vpm_measurement_free(). */
vpm_status_t vpm_measure_frame(const vpm_image_t *frame, const vpm_measure_options_t *opt,
			       vpm_measurement_t **out);

void vpm_measurement_free(vpm_measurement_t *m); /* NULL is a no-op */

/* The measurement as text lines (the verdict, the worst tile, its
 * components strongest first, the prediction beside them when a set-up
 * was given), each line ending in '\n', written to `fp`.  `name` labels
 * the frame.  VPM_EIO when the stream reports an error. */
vpm_status_t vpm_measure_write_text(const vpm_measurement_t *m, const char *name, FILE *fp);

/* The same as one JSON object (no trailing newline): "frame", "risk",
 * "visibility", "unmeasurable", "pitch_mm", "units" ("cy/mm" or
 * "cy/px"), "worst_tile" {x_px, y_px, side_px}, "tiles" (each tile's
 * corner, risk and visibility), "components" (nu_x, nu_y, nu, cy_deg,
 * modulation, visibility, kind: "moire", "grid" or "peak") and, with a
 * set-up, "predicted" {risk, visibility, moire_modulation,
 * moire_beat_cy_mm, grid_modulation, grid_cy_mm} and "agreement".
 * Non-finite numbers are written as null.  VPM_EIO. */
vpm_status_t vpm_measure_write_json(const vpm_measurement_t *m, const char *name, FILE *fp);

/* One row of the camera-test table for a frame measured with set-up `s`
 * (its name, wall / focus, stop, predicted and measured verdicts, the
 * modulation of the component that drives each (the predictor's moiré or
 * grid, whichever is more visible; the measured most visible), and the
 * agreement), each cell at most 79 bytes; and the header. */
#define VPM_MEASURE_TABLE_COLS 7
void vpm_measure_table_row(const vpm_measurement_t *m, const vpm_setup_t *s, const char *name,
			   char cells[VPM_MEASURE_TABLE_COLS][80]);
const char *const *vpm_measure_table_header(void);

/* Whether the model's verdict holds for a frame: "holds" (the same
 * class), "safe side" (the model predicted worse than was measured) or
 * "FAILS" (the frame shows worse than predicted).  The text, JSON and
 * table say "not measurable here" instead when the worst tile holds a
 * component that cannot be measured in it. */
const char *vpm_measure_agreement(vpm_risk_t predicted, vpm_risk_t measured);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_MEASURE_H */
