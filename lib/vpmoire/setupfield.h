/* vpmoire — the table of vpm_setup_t's fields that callers name: each
 * field's `check --json` name, its command-line flag, where it lies in
 * vpm_setup_t, and its vpm_raw_field_t bit.  Written once here, read by
 * vpm_predict_batch (lib/batch.c), the vpmoire program's raw bits
 * (apps/cli.c) and the Python package (python/vpmoire/core.py). */
#ifndef VPMOIRE_SETUPFIELD_H
#define VPMOIRE_SETUPFIELD_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif

#endif /* VPMOIRE_SETUPFIELD_H */
