/* vpmoire — reports: the text and JSON every command prints, composed by the
 * library so that bindings and other front-ends print the same thing.
 *
 * Each writer takes a caller-supplied stream (as GSL's gsl_vector_fprintf()
 * does), writes one report and returns VPM_EIO when the stream reports an
 * error (ferror()), VPM_EINVAL for NULL arguments; the stream is neither
 * flushed nor closed.  JSON numbers and strings go through one pair of
 * helpers, vpm_json_number() and vpm_json_string(): an infinite or
 * not-a-number value is `null` (SPEC §1: JSON has no infinity).
 */
#ifndef VPMOIRE_REPORT_H
#define VPMOIRE_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/exposure.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"
#include "vpmoire/validate.h"
#include "vpmoire/vision.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- JSON */

/* A JSON number: `null` when not finite, `0` for zero, else "%.10g". */
void vpm_json_number(FILE *fp, double v);

/* A JSON string, quoted, with '"', '\\' and control characters escaped;
 * `null` for NULL.  Bytes from 0x80 up pass through (UTF-8 stays UTF-8). */
void vpm_json_string(FILE *fp, const char *s);

/* ---------------------------------------------------------------- check */

/* What a check report says beside the set-up, the result and the advice. */
typedef struct {
	const char *panel, *camera, *lens; /* catalog names, or NULL (raw numbers) */
	double subject_m;		   /* camera to subject (m); 0: none given */
	double max_stop;		   /* the exposure budget's narrowest stop */
	const vpm_exposure_t *exposure;	   /* the budget, described in the text */
	vpm_units_system_t units;	   /* distances in the text */
} vpm_check_report_t;

/* `vpmoire check --json`: one JSON object, the SPEC §4 contract first (the
 * fields of vpm_report_field_name(), in that order), then the field
 * model's choices, the set-up, the components and the advice. */
vpm_status_t vpm_report_check_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info);

/* `vpmoire check`: the verdict line, then the numbers behind it, the
 * exposure budget and what would help (`plan`, used when r is not SAFE). */
vpm_status_t vpm_report_check_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_REPORT_H */
