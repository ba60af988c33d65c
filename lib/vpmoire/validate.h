/* vpmoire — the field model against what crews saw (doc/model.md §9).
 *
 * A field observation is a set-up someone filmed (or a vendor's rule turned
 * into one) and what was seen: moiré (or the LED grid) or a clean picture.
 * datasets/field-observations.csv holds them, each with its source and the
 * assumptions made.  The verdict agrees *leniently* when a clean case is
 * SAFE or CAUTION and a moiré case CAUTION or RISKY, and *strictly* when a
 * clean case is SAFE and a moiré case RISKY.
 */
#ifndef VPMOIRE_VALIDATE_H
#define VPMOIRE_VALIDATE_H

#include <stddef.h>

#include "vpmoire/catalog.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VPM_OBS_TEXT 48

typedef struct {
	char id[VPM_OBS_TEXT];
	char kind[VPM_OBS_TEXT]; /* paper, vendor, rental, forum, article */
	int moire;		 /* 1: moiré or the grid was seen; 0: clean */
	vpm_setup_t setup;	 /* from the catalogs and the row's numbers */
	long line;		 /* line in the file */
	char *source_url;	 /* owned */
	char *claim;		 /* owned */
	char *assumptions;	 /* owned */
} vpm_observation_t;

typedef struct {
	vpm_observation_t *obs;
	size_t n;
} vpm_observations_t;

/* Read a field-observation CSV (header: id, kind, observed, panel,
 * pitch_mm, emitter_mm, camera, photosite_um, width_px, olpf_um, focal_mm,
 * stop, wall_m, focus_m, delivery_px, source_url, claim, assumptions;
 * '#' comment lines).  Catalog names are looked up in `cat` (may be NULL
 * when every row gives raw numbers); raw numbers win.  Each set-up starts
 * from `base` (its model and viewer choices), is validated, and must
 * name a source.  Errors are "FILE:LINE:COLUMN: ..." (VPM_EPARSE,
 * VPM_ENOTFOUND, or the set-up's status).  Free with
 * vpm_observations_free(). */
vpm_status_t vpm_observations_read(const char *path, const vpm_catalog_t *cat,
				   const vpm_setup_t *base, vpm_observations_t *out);
void vpm_observations_free(vpm_observations_t *obs); /* NULL is a no-op */

/* One observation judged. */
typedef struct {
	double visibility; /* max(moiré, grid) */
	vpm_risk_t risk;
	int lenient; /* 1 when it agrees leniently */
	int strict;  /* 1 when it agrees strictly */
} vpm_judgement_t;

/* Judge one observation with its own set-up, the pupil edge replaced by
 * `pupil_edge` when ≥ 0.  Status of vpm_predict(). */
vpm_status_t vpm_observation_judge(const vpm_observation_t *o, double pupil_edge,
				   vpm_predict_workspace_t *ws, vpm_judgement_t *out);

/* Fit of a constant on the observations with leave-one-out
 * cross-validation.  The grid of candidates is grid[0 … n_grid − 1]
 * (e.g. pupil edges 0, 0.05, …, 0.6).  A candidate's score is, in order:
 * fewest moiré cases judged SAFE, most lenient agreements, most strict
 * agreements, then the smaller value (the harder pupil: the safe side). */
#define VPM_FIT_GRID_MAX 32

typedef struct {
	double best;	     /* the candidate chosen on all observations */
	int lenient, strict; /* its agreements on all of them */
	int missed;	     /* moiré cases it calls SAFE */
	int loo_lenient;     /* held-out cases that agree (leave-one-out) */
	int loo_strict;
	int loo_missed;
	size_t n;
	/* every candidate's score on all cases (the first VPM_FIT_GRID_MAX) */
	size_t n_grid;
	int grid_lenient[VPM_FIT_GRID_MAX], grid_strict[VPM_FIT_GRID_MAX],
		grid_missed[VPM_FIT_GRID_MAX];
} vpm_fit_t;

/* Evaluate every observation at every candidate (n × n_grid predictions)
 * and fit.  VPM_EINVAL for no observations or no grid; VPM_ELIMIT when
 * n × n_grid overflows; VPM_ENOMEM; the
 * status of a failed prediction (message names the observation). */
vpm_status_t vpm_observations_fit_edge(const vpm_observations_t *obs, const double *grid,
				       size_t n_grid, vpm_predict_workspace_t *ws, vpm_fit_t *out);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_VALIDATE_H */
