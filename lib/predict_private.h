/* Private: predictor hooks for tests and benchmarks (not installed). */
#ifndef VPM_PRIVATE_PREDICT_H
#define VPM_PRIVATE_PREDICT_H

#include "vpmoire/predict.h"

typedef enum {
	VPM_PREDICT_AUTO = 0,  /* separable fast path where exact, pruning on */
	VPM_PREDICT_GENERAL,   /* grouped enumeration of every channel, pruning on */
	VPM_PREDICT_EXHAUSTIVE /* grouped enumeration, every group evaluated */
} vpm_predict_mode_t;

/* Choose how vpm_predict() evaluates (all modes give the same result). */
void vpm_predict_workspace_set_mode(vpm_predict_workspace_t *ws, vpm_predict_mode_t mode);

/* Called for every exact defocus factor vpm_predict() computes: normalised
 * shear s, defocus w (waves), tolerance δ and the value (max |H| over the
 * nine w′).  NULL turns it off. */
typedef void (*vpm_predict_otf_hook_t)(void *ctx, double s, double w, double tolerance,
				       double value);
void vpm_predict_workspace_set_otf_hook(vpm_predict_workspace_t *ws, vpm_predict_otf_hook_t hook,
					void *ctx);

/* The field model scores from interpolated tables of its sensitivities;
 * exact = 1 evaluates the formulas at every component instead (tests). */
void vpm_predict_workspace_set_exact_csf(vpm_predict_workspace_t *ws, int exact);

/* Work done by the last vpm_predict() call. */
typedef struct {
	long components;      /* harmonics looked at (bounded) */
	long candidates;      /* groups whose bound passed the first threshold */
	long evaluated;	      /* groups evaluated exactly */
	long otf_evals;	      /* exact defocus factors computed (cache misses) */
	int general_channels; /* channels that needed the grouped enumeration */
} vpm_predict_stats_t;
void vpm_predict_workspace_stats(const vpm_predict_workspace_t *ws, vpm_predict_stats_t *out);

#endif
