/* vpmoire — the predictor over many set-ups at once, for array callers.
 *
 * A base set-up plus, for any of its numbers, an array of values (one per
 * set-up, or one for all): vpm_predict() runs over the N set-ups on OpenMP
 * threads, one workspace per thread, and the report contract of each lands
 * in one row of a caller's array.  Built for the Python package (python/),
 * which hands NumPy arrays over without copying them; any caller holding
 * strided arrays of doubles can use it.
 *
 *   vpm_setup_t base = ...;                        (equipment, stop, ...)
 *   double walls[3] = { 2.0, 2.5, 3.0 }, focus = 1.0;
 *   vpm_batch_field_t f[2] = { { "wall_m", walls, 1 }, { "focus_m", &focus, 0 } };
 *   double res[3 * VPM_REPORT_FIELDS];
 *   vpm_predict_batch(&base, f, 2, 3, 0, res, NULL);
 */
#ifndef VPMOIRE_BATCH_H
#define VPMOIRE_BATCH_H

#include <stddef.h>

#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One set-up number that varies over a batch: its name as the "setup"
 * object of `vpmoire check --json` spells it ("wall_m", "focus_m", "stop",
 * "focal_mm", "pitch_mm", "emitter_mm", "photosite_um", "width_px",
 * "olpf_um", "fill", "recording_px", "delivery_px", "roll_deg",
 * "tolerance", "aspect", "view_heights", "luminance_cd_m2", "pupil_edge",
 * "content_contrast", "grade_gain"; also the vpm_setup_t numbers
 * "caution_at", "risky_at", "coc_mm", "transmission", "squeeze"), and the value of
 * set-up i at values[i * stride] (stride in doubles; 0 gives every set-up
 * values[0]).  The pixel widths must be whole numbers; a NaN recording_px
 * or delivery_px means none (0), as check --json prints null for none. */
typedef struct {
	const char *name;
	const double *values;
	ptrdiff_t stride;
} vpm_batch_field_t;

/* Evaluate n set-ups: set-up i is *base with each of the n_fields fields
 * set to its i-th value, judged by vpm_predict().  Row i of `results`
 * (n × VPM_REPORT_FIELDS doubles, row-major) receives the report contract
 * in vpm_report_field_name() order: the numbers as vpm_report_field_value()
 * gives them (NaN where absent), and the two text fields as codes:
 * moire_channel the vpm_channel_t (-1 for none), risk the vpm_risk_t.  A
 * set-up that fails has a row of NaN and, when `status` is not NULL,
 * status[i] its vpm_status_t (VPM_OK otherwise).  `threads` <= 0 uses
 * OpenMP's default.  Returns VPM_OK when every set-up succeeded; else the
 * status of the first failing set-up (lowest i), with its message
 * prefixed "set-up i: ", after evaluating all of them.  VPM_EINVAL up
 * front (nothing evaluated) for a NULL argument or an unknown or repeated
 * field name; VPM_ENOMEM when a workspace cannot be allocated. */
vpm_status_t vpm_predict_batch(const vpm_setup_t *base, const vpm_batch_field_t *fields,
			       size_t n_fields, size_t n, int threads, double *results,
			       int *status);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_BATCH_H */
