/* The parallel sweep driver (vpmoire/sweep.h, "engine"). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "error.h"
#include "vpmoire/sweep.h"

struct vpm_sweep_engine {
	const vpm_sweep_t *sw;
	vpm_sweep_shard_t shard;
	int jobs;
	size_t block_rows, nblocks, block_cap;
	vpm_predict_workspace_t **ws; /* one per thread */
	char *buf;		      /* nblocks × block_cap */
	size_t *len;		      /* per block */
	vpm_status_t *st;	      /* per block */
	char (*msg)[256];	      /* per block: the failing block's message */
};

void vpm_sweep_engine_free(vpm_sweep_engine_t *e)
{
	int t;

	if (e == NULL)
		return;
	if (e->ws != NULL)
		for (t = 0; t < e->jobs; t++)
			vpm_predict_workspace_free(e->ws[t]);
	free(e->ws);
	free(e->buf);
	free(e->len);
	free(e->st);
	free(e->msg);
	free(e);
}

VPM_STATUS_FN(vpm_sweep_engine_alloc,
	      (const vpm_sweep_t *sw, vpm_sweep_shard_t shard, int jobs, size_t block_rows,
	       size_t nblocks, vpm_sweep_engine_t **out),
	      (sw, shard, jobs, block_rows, nblocks, out))
{
	vpm_sweep_engine_t *e;
	int t;

	if (out != NULL)
		*out = NULL;
	if (sw == NULL || out == NULL || jobs < 1 || block_rows == 0 || nblocks == 0)
		return vpm_error(VPM_EINVAL, "sweep engine: no sweep, threads, blocks or rows");
#ifndef _OPENMP
	jobs = 1; /* built without OpenMP */
#endif
	if ((e = calloc(1, sizeof *e)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	e->sw = sw;
	e->shard = shard;
	e->jobs = jobs;
	e->block_rows = block_rows;
	e->nblocks = nblocks;
	e->block_cap = block_rows * vpm_sweep_row_max(sw);
	e->ws = calloc((size_t)jobs, sizeof *e->ws);
	if (e->block_cap / block_rows == vpm_sweep_row_max(sw) &&
	    nblocks <= SIZE_MAX / e->block_cap)
		e->buf = malloc(nblocks * e->block_cap);
	e->len = calloc(nblocks, sizeof *e->len);
	e->st = calloc(nblocks, sizeof *e->st);
	e->msg = calloc(nblocks, sizeof *e->msg);
	if (e->ws == NULL || e->buf == NULL || e->len == NULL || e->st == NULL || e->msg == NULL) {
		vpm_sweep_engine_free(e);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	for (t = 0; t < jobs; t++)
		if ((e->ws[t] = vpm_predict_workspace_alloc()) == NULL) {
			vpm_sweep_engine_free(e);
			return vpm_error(VPM_ENOMEM, "out of memory");
		}
	*out = e;
	return VPM_OK;
}

uint64_t vpm_sweep_engine_batch_rows(const vpm_sweep_engine_t *e)
{
	return e ? (uint64_t)e->block_rows * e->nblocks : 0;
}

size_t vpm_sweep_engine_capacity(const vpm_sweep_engine_t *e)
{
	return e ? e->nblocks * e->block_cap : 0;
}

char *vpm_sweep_engine_buffer(vpm_sweep_engine_t *e)
{
	return e ? e->buf : NULL;
}

VPM_STATUS_FN(vpm_sweep_engine_run,
	      (vpm_sweep_engine_t * e, uint64_t first, uint64_t n, size_t *out), (e, first, n, out))
{
	long nb, b;
	size_t at = 0;

	if (out != NULL)
		*out = 0;
	if (e == NULL || out == NULL || n > vpm_sweep_engine_batch_rows(e))
		return vpm_error(VPM_EINVAL, "sweep engine: more rows than a batch holds");
	nb = (long)((n + e->block_rows - 1) / e->block_rows);
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->jobs)
#endif
	for (b = 0; b < nb; b++) {
#ifdef _OPENMP
		int t = omp_get_thread_num();
#else
		int t = 0;
#endif
		uint64_t f = first + (uint64_t)b * e->block_rows;
		uint64_t c = first + n - f < e->block_rows ? first + n - f : e->block_rows;
		e->st[b] = vpm_sweep_rows(e->sw, e->shard, f, c, e->ws[t],
					  e->buf + (size_t)b * e->block_cap, e->block_cap,
					  &e->len[b]);
		/* the message is per thread: keep it with its block */
		if (e->st[b] != VPM_OK)
			snprintf(e->msg[b], sizeof e->msg[b], "%s", vpm_error_message());
	}
	for (b = 0; b < nb; b++) {
		if (e->st[b] != VPM_OK)
			return vpm_error(e->st[b], "%s", e->msg[b]);
		memmove(e->buf + at, e->buf + (size_t)b * e->block_cap, e->len[b]);
		at += e->len[b];
	}
	*out = at;
	return VPM_OK;
}
