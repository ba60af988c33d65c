/* The parallel sweep driver (vpmoire/sweep.h, "engine"). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "error.h"
#include "vpmoire/sweep.h"

struct vpm_sweep_engine {
	const vpm_sweep_t *sw;
	vpm_sweep_shard_t shard;
	int jobs;
	size_t batch_rows, block_rows, nblocks, block_cap;
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

uint64_t vpm_sweep_batch_rows(const vpm_sweep_t *sw, int jobs)
{
	uint64_t nblocks = jobs > 2 ? 16 * (uint64_t)jobs : 32;

	return nblocks * vpm_sweep_block_rows(sw);
}

VPM_STATUS_FN(vpm_sweep_engine_alloc,
	      (const vpm_sweep_t *sw, vpm_sweep_shard_t shard, int jobs, uint64_t batch_rows,
	       vpm_sweep_engine_t **out),
	      (sw, shard, jobs, batch_rows, out))
{
	vpm_sweep_engine_t *e;
	size_t block_rows;
	int t;

	if (out != NULL)
		*out = NULL;
	if (sw == NULL || out == NULL || jobs < 1 || batch_rows > SIZE_MAX / 2)
		return vpm_error(VPM_EINVAL, "sweep engine: no sweep or threads");
#ifndef _OPENMP
	jobs = 1; /* built without OpenMP */
#endif
	if (batch_rows == 0)
		batch_rows = vpm_sweep_batch_rows(sw, jobs);
	if ((e = calloc(1, sizeof *e)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	block_rows = (size_t)vpm_sweep_block_rows(sw);
	e->sw = sw;
	e->shard = shard;
	e->jobs = jobs;
	e->batch_rows = (size_t)batch_rows;
	e->block_rows = block_rows;
	e->nblocks = (e->batch_rows + block_rows - 1) / block_rows;
	e->block_cap = block_rows * vpm_sweep_row_max(sw);
	e->ws = calloc((size_t)jobs, sizeof *e->ws);
	if (e->block_cap / block_rows == vpm_sweep_row_max(sw) &&
	    e->nblocks <= SIZE_MAX / e->block_cap)
		e->buf = malloc(e->nblocks * e->block_cap);
	e->len = calloc(e->nblocks, sizeof *e->len);
	e->st = calloc(e->nblocks, sizeof *e->st);
	e->msg = calloc(e->nblocks, sizeof *e->msg);
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
	if (e == NULL || out == NULL || n > e->batch_rows)
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

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

VPM_STATUS_FN(vpm_sweep_estimate,
	      (const vpm_sweep_t *sw, vpm_sweep_shard_t shard, uint64_t max_sample,
	       vpm_sweep_estimate_t *est),
	      (sw, shard, max_sample, est))
{
	uint64_t nlocal, k;
	vpm_predict_workspace_t *ws;
	size_t len, rowmax;
	double bytes = 0.0, t0;
	char *row;

	if (sw == NULL || est == NULL)
		return vpm_error(VPM_EINVAL, "vpm_sweep_estimate: no sweep or result");
	memset(est, 0, sizeof *est);
	nlocal = vpm_sweep_shard_rows(vpm_sweep_count(sw), shard);
	rowmax = vpm_sweep_row_max(sw);
	/* the first line, "# shard I/N\n" (at most 24 bytes), the header */
	est->head_bytes = vpm_sweep_comment(sw, NULL, 0) + strlen(vpm_sweep_header()) +
			  (shard.count > 1 ? 24 : 0);
	est->sampled = nlocal < max_sample ? nlocal : max_sample;
	if (est->sampled == 0)
		return VPM_OK;
	ws = vpm_predict_workspace_alloc();
	row = malloc(rowmax);
	if (ws == NULL || row == NULL) {
		vpm_predict_workspace_free(ws);
		free(row);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	t0 = now_s();
	for (k = 0; k < est->sampled; k++) {
		uint64_t r = (uint64_t)((double)k * (double)nlocal / (double)est->sampled);
		vpm_status_t st = vpm_sweep_row(sw, vpm_sweep_shard_index(shard, r), ws, row,
						rowmax, &len);
		if (st != VPM_OK) {
			vpm_predict_workspace_free(ws);
			free(row);
			return st;
		}
		bytes += (double)len;
	}
	est->seconds_per_setup = (now_s() - t0) / (double)est->sampled;
	est->bytes_per_row = bytes / (double)est->sampled;
	vpm_predict_workspace_free(ws);
	free(row);
	return VPM_OK;
}
