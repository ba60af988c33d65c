/* vpm_predict_batch: vpm_predict() over many set-ups given as strided
 * arrays of their numbers, on OpenMP threads (lib/vpmoire/batch.h). */
#include <config.h>

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "error.h"
#include "vpmoire/batch.h"
#include "vpmoire/setupfield.h"

/* The set-up numbers a batch may vary, by their check --json names: the
 * entries of the set-up field table (lib/vpmoire/setupfield.h) that are
 * numbers, which come first in it. */
typedef vpm_setup_field_t batch_key_t;
#define BATCH_KEYS_MAX 64 /* room for the table's numbers (tests/test_batch.c) */

static size_t batch_n_keys(void)
{
	size_t n = 0;

	while (n < vpm_setup_field_count() && vpm_setup_field(n)->is_int >= 0)
		n++;
	return n < BATCH_KEYS_MAX ? n : BATCH_KEYS_MAX;
}

/* Set-up i: the base with every varying field set.  VPM_EINVAL (with a
 * message) for a pixel count that is not a whole number in int's range. */
static vpm_status_t batch_setup(const vpm_setup_t *base, const vpm_batch_field_t *fields,
				const batch_key_t *const *keys, size_t n_fields, size_t i,
				vpm_setup_t *s)
{
	*s = *base;
	for (size_t f = 0; f < n_fields; f++) {
		double v = fields[f].values[(ptrdiff_t)i * fields[f].stride];
		char *p = (char *)s + keys[f]->offset;

		if (keys[f]->nan_is_none && isnan(v))
			v = 0.0;
		if (keys[f]->is_int) {
			int k;

			if (!(v == floor(v)) || v < INT_MIN || v > INT_MAX)
				return vpm_error(VPM_EINVAL,
						 "%s: %g is not a whole number of pixels",
						 keys[f]->name, v);
			k = (int)v;
			memcpy(p, &k, sizeof k);
		} else {
			memcpy(p, &v, sizeof v);
		}
	}
	return VPM_OK;
}

static void batch_row(const vpm_result_t *r, double *row)
{
	for (size_t j = 0; j < VPM_REPORT_FIELDS; j++) {
		double num;
		const char *text;

		if (vpm_report_field_value(j, r, &num, &text) == 1)
			row[j] = strcmp(vpm_report_field_name(j), "risk") == 0
					 ? (double)r->risk
					 : (double)r->moire_channel;
		else
			row[j] = num;
	}
}

VPM_STATUS_FN(vpm_predict_batch,
	      (const vpm_setup_t *base, const vpm_batch_field_t *fields, size_t n_fields, size_t n,
	       int threads, double *results, int *status),
	      (base, fields, n_fields, n, threads, results, status))
{
	const batch_key_t *keys[BATCH_KEYS_MAX];
	const size_t n_keys = batch_n_keys();
	size_t first_bad = SIZE_MAX;
	int nomem = 0, nthreads = 1;

	if (base == NULL || (n > 0 && results == NULL) || (n_fields > 0 && fields == NULL))
		return vpm_error(VPM_EINVAL, "vpm_predict_batch: NULL argument");
	if (n_fields > n_keys)
		return vpm_error(VPM_EINVAL, "vpm_predict_batch: %zu fields, at most %zu can vary",
				 n_fields, n_keys);
	if (n > SIZE_MAX / VPM_REPORT_FIELDS)
		return vpm_error(VPM_ERANGE, "vpm_predict_batch: %zu set-ups overflow the results",
				 n);
	for (size_t f = 0; f < n_fields; f++) {
		keys[f] = NULL;
		if (fields[f].name == NULL || (n > 0 && fields[f].values == NULL))
			return vpm_error(VPM_EINVAL, "vpm_predict_batch: field %zu is NULL", f);
		for (size_t k = 0; k < n_keys; k++)
			if (strcmp(fields[f].name, vpm_setup_field(k)->name) == 0)
				keys[f] = vpm_setup_field(k);
		if (keys[f] == NULL)
			return vpm_error(
				VPM_EINVAL,
				"%s: not a set-up field that can vary (one of pitch_mm, "
				"emitter_mm, photosite_um, width_px, olpf_um, fill, "
				"focal_mm, stop, wall_m, focus_m, recording_px, "
				"delivery_px, roll_deg, tolerance, aspect, view_heights, "
				"luminance_cd_m2, pupil_edge, content_contrast, grade_gain, "
				"caution_at, risky_at, coc_mm, transmission, squeeze)",
				fields[f].name);
		for (size_t g = 0; g < f; g++)
			if (keys[g] == keys[f])
				return vpm_error(VPM_EINVAL, "%s: given twice", fields[f].name);
	}
#ifdef _OPENMP
	nthreads = threads > 0 ? threads : omp_get_max_threads();
	if ((size_t)nthreads > n / 64 + 1) /* tiny batches are not worth the threads */
		nthreads = (int)(n / 64 + 1);
#else
	(void)threads;
	(void)nthreads;
#endif

#pragma omp parallel num_threads(nthreads)
	{
		/* one workspace per thread, allocated once for the whole batch */
		vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
		size_t my_bad = SIZE_MAX;

		if (ws == NULL) {
#pragma omp atomic write
			nomem = 1;
		}
#pragma omp for schedule(dynamic, 256)
		for (size_t i = 0; i < n; i++) {
			double *row = results + i * VPM_REPORT_FIELDS;
			vpm_setup_t s;
			vpm_result_t r;
			vpm_status_t st = ws == NULL ? VPM_ENOMEM
						     : batch_setup(base, fields, keys, n_fields, i,
								   &s);

			if (st == VPM_OK)
				st = vpm_predict(&s, ws, &r);
			if (st == VPM_OK) {
				batch_row(&r, row);
			} else {
				for (size_t j = 0; j < VPM_REPORT_FIELDS; j++)
					row[j] = NAN;
				if (i < my_bad)
					my_bad = i;
			}
			if (status)
				status[i] = (int)st;
		}
#pragma omp critical(vpm_batch_first_bad)
		if (my_bad < first_bad)
			first_bad = my_bad;
		vpm_predict_workspace_free(ws);
	}
	if (nomem)
		return vpm_error(VPM_ENOMEM, "vpm_predict_batch: out of memory for a workspace");
	if (first_bad != SIZE_MAX) {
		/* the worker's message lives in its own thread: judge that set-up
		 * again here, where the caller reads the message */
		char msg[512];
		vpm_setup_t s;
		vpm_result_t r;
		vpm_predict_workspace_t *ws;
		vpm_status_t st = batch_setup(base, fields, keys, n_fields, first_bad, &s);

		if (st == VPM_OK) {
			ws = vpm_predict_workspace_alloc();
			if (ws == NULL)
				return vpm_error(VPM_ENOMEM, "vpm_predict_batch: out of memory");
			st = vpm_predict(&s, ws, &r);
			vpm_predict_workspace_free(ws);
		}
		if (st == VPM_OK) /* cannot happen: vpm_predict is deterministic */
			return vpm_error(VPM_EINTERNAL, "set-up %zu failed on one thread only",
					 first_bad);
		snprintf(msg, sizeof msg, "%s", vpm_error_message());
		return vpm_error(st, "set-up %zu: %s", first_bad, msg);
	}
	return VPM_OK;
}
