/* Shared helpers for the libFuzzer targets (tests/fuzz/README.md).
 *
 * The targets are built by `make fuzz` with clang -fsanitize=fuzzer, never
 * by the default build.  A finding is a sanitizer report, a crash, a hang
 * (libFuzzer -timeout) or a broken invariant: FUZZ_ASSERT() aborts, which
 * libFuzzer records as a crash with the input that caused it. */
#ifndef VPM_FUZZ_COMMON_H
#define VPM_FUZZ_COMMON_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vpmoire/vpmoire.h"

#define FUZZ_ASSERT(cond)                                                                    \
	do {                                                                                 \
		if (!(cond)) {                                                               \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, \
				#cond);                                                      \
			abort();                                                             \
		}                                                                            \
	} while (0)

/* The input as a NUL-terminated string (malloc'd; embedded NULs stay). */
static inline char *fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Write the input to this process's scratch file and return its path
 * (readers that only take a path: the catalog loader, the PNG reader, the
 * sweep's @study files).  Under TMPDIR or /tmp, one name per process. */
static inline const char *fuzz_file(const char *suffix, const uint8_t *data, size_t size)
{
	static char path[512];
	FILE *fp;

	if (path[0] == '\0') {
		const char *dir = getenv("TMPDIR");
		snprintf(path, sizeof path, "%s/vpm-fuzz-%ld%s", dir && *dir ? dir : "/tmp",
			 (long)getpid(), suffix);
	}
	fp = fopen(path, "wb");
	if (fp == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, fp) != size)
		abort();
	if (fclose(fp) != 0)
		abort();
	return path;
}

/* The shipped catalogs, loaded once (models/ of the source tree). */
static inline const vpm_catalog_t *fuzz_catalog(void)
{
	static vpm_catalog_t *cat;
	if (cat == NULL) {
		cat = vpm_catalog_alloc();
		if (cat == NULL || vpm_catalog_load_dir(cat, VPM_SRC_MODELS) != VPM_OK) {
			fprintf(stderr, "fuzz: cannot load %s: %s\n", VPM_SRC_MODELS,
				vpm_error_message());
			abort();
		}
	}
	return cat;
}

/* A result the program prints must hold no NaN (SPEC §4: infinity is
 * printed as null, NaN never). */
static inline void fuzz_check_result(const vpm_result_t *r)
{
	size_t i;

	FUZZ_ASSERT(!isnan(r->magnification) && !isnan(r->led_frequency_cy_mm));
	FUZZ_ASSERT(!isnan(r->nyquist_cy_mm) && !isnan(r->wall_blur_mm) && !isnan(r->coc_mm));
	FUZZ_ASSERT(!isnan(r->dof_near_m) && !isnan(r->dof_far_m) && !isnan(r->hyperfocal_m));
	FUZZ_ASSERT(!isnan(r->moire_visibility) && !isnan(r->moire_modulation));
	FUZZ_ASSERT(!isnan(r->grid_visibility) && !isnan(r->grid_modulation));
	FUZZ_ASSERT(r->n_top <= VPM_TOP_COMPONENTS);
	for (i = 0; i < r->n_top; i++)
		FUZZ_ASSERT(!isnan(r->top[i].visibility) && !isnan(r->top[i].modulation));
}

#endif
