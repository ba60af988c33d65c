/* vpmoire — the table of vpm_setup_t's fields that callers name: each
 * field's `check --json` name, its command-line flag, where it lies in
 * vpm_setup_t, and its vpm_raw_field_t bit.  Written once here, read by
 * vpm_predict_batch (lib/batch.c), the vpmoire program's raw bits
 * (apps/cli.c) and the Python package (python/vpmoire/core.py). */
#ifndef VPMOIRE_SETUPFIELD_H
#define VPMOIRE_SETUPFIELD_H

#include <stddef.h>

#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One field of vpm_setup_t. */
typedef struct {
	const char *name; /* the "setup" object's key in check --json and a
			   * batch's field name, e.g. "pitch_mm" (caution_at,
			   * risky_at, coc_mm and transmission: the field's
			   * own name; check --json does not write them) */
	const char *flag; /* the vpmoire flag without dashes, e.g. "pitch";
			   * NULL if none */
	size_t offset;	  /* offsetof(vpm_setup_t, field) */
	int is_int;	  /* 1: an int (photosite counts); 0: a double; -1:
			   * neither, an enum check --json writes as text
			   * (cfa), which a batch cannot vary */
	int nan_is_none;  /* a NaN given for it means "none" (0), as check
			   * --json's null does */
	unsigned raw;	  /* its vpm_raw_field_t bit (lib/vpmoire/catalog.h),
			   * or 0 if a catalog entry never sets it */
} vpm_setup_field_t;

/* The number of entries in the table: the numbers a batch may vary
 * (is_int 0 or 1, in vpm_predict_batch's order), then cfa. */
size_t vpm_setup_field_count(void);

/* Entry i of the table (static storage, never freed); NULL if i is not
 * below vpm_setup_field_count(). */
const vpm_setup_field_t *vpm_setup_field(size_t i);

/* The entry whose name is `name` (static storage); NULL if none or if
 * name is NULL.  Sets no error message. */
const vpm_setup_field_t *vpm_setup_field_find(const char *name);

/* What a field's value may be: [lo, hi] in the field's own unit (the one
 * its name ends in; a bare number on its flag is read in it), an end
 * excluded when open.  One range per field, in lib/setupfield.c, where each
 * bound says where it comes from: vpm_setup_field_parse() refuses a flag's
 * value outside it and vpm_setup_validate() a set-up's. */
typedef struct {
	double lo, hi;
	int lo_open, hi_open;
	int inf_ok;	   /* +infinity is valid too (focus at infinity) */
	int zero_is_none;  /* 0 is valid: "none", "not given" (a flag
			    * cannot give it) */
	int negative_auto; /* any negative is valid: "the catalog's or the
			    * model's" (a flag cannot give it) */
	const char *unit;  /* "mm", "um", "m", "px", "deg" or "" */
} vpm_setup_range_t;

/* The range of field `f` (static storage); NULL for cfa, which is an enum,
 * or when f is not an entry of the table. */
const vpm_setup_range_t *vpm_setup_field_range(const vpm_setup_field_t *f);

/* Check the value of field `f` in *s against its range (cfa: one of the
 * vpm_cfa_t values).  VPM_EINVAL for NaN and for a sign the range cannot
 * have ("--pitch: LED pitch -1 mm is not positive"), VPM_ERANGE outside
 * ("--pitch: LED pitch 200 mm is outside [0.01, 100] mm: WHY").  One of
 * the checks of vpm_setup_validate(), which checks every field so. */
vpm_status_t vpm_setup_field_check(const vpm_setup_field_t *f, const vpm_setup_t *s);

/* Parse the value `arg` of the vpmoire set-up flag `flag` (without
 * dashes: "pitch", "focus", "chroma-weight") into its field of *s: every
 * field of the table with a flag, and the set-up's enums (chroma-weight,
 * model, viewing, resample, band).  A length takes the units of
 * vpm_units_parse_length() (a bare number in the field's unit), a pixel
 * count a whole number, stop T2.8 or f/2.8, roll 5deg, aspect 16:9,
 * content "flat", a number or a PNG's path; the value must lie in the
 * field's range (vpm_setup_field_range()).  The message names the flag
 * ("--pitch: ..."); nothing is stored on failure.  VPM_EPARSE, VPM_ERANGE,
 * VPM_EINVAL (also for a flag that is not a set-up flag), or a status of
 * vpm_content_contrast_png(). */
vpm_status_t vpm_setup_flag_parse(const char *flag, const char *arg, vpm_setup_t *s);

/* Is `flag` (without dashes) one that vpm_setup_flag_parse() takes? */
int vpm_setup_flag_known(const char *flag);

/* Parse --focal A:B, a zoom's focal range ("28:100", "28mm:100mm"; a bare
 * number in mm), into *lo_mm and *hi_mm: each end a focal length in the
 * range of the focal_mm field, the long end beyond the short end.
 * VPM_EPARSE ("--focal: expected MM or A:B such as 28:100, found 'ARG'"),
 * VPM_EINVAL (the ends in the wrong order), or the status of a bad end;
 * nothing is stored on failure. */
vpm_status_t vpm_setup_focal_range_parse(const char *arg, double *lo_mm, double *hi_mm);

/* Does the set-up have the equipment a prediction cannot go without: an
 * LED panel (pitch and emitter), a camera (photosite and width) and a lens
 * (focal length), none of them 0 (not given)?  VPM_EINVAL with a message
 * that says which flags give the missing one ("no lens: give --lens NAME
 * or --focal MM"). */
vpm_status_t vpm_setup_complete(const vpm_setup_t *s);

#ifdef __cplusplus
}
#endif

#endif /* VPMOIRE_SETUPFIELD_H */
