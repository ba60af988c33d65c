/* The parallel sweep driver (vpmoire/sweep.h, "engine"). */
#include <config.h>

#include <inttypes.h>
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

int vpm_sweep_jobs(int jobs)
{
#ifdef _OPENMP
	return jobs > 0 ? jobs : omp_get_max_threads();
#else
	(void)jobs;
	return 1; /* built without OpenMP */
#endif
}

VPM_STATUS_FN(vpm_sweep_forecast,
	      (const vpm_sweep_t *sw, vpm_sweep_shard_t shard, int threads,
	       vpm_sweep_forecast_t *fc),
	      (sw, shard, threads, fc))
{
	vpm_status_t st;

	if (sw == NULL || fc == NULL || threads < 1)
		return vpm_error(VPM_EINVAL, "vpm_sweep_forecast: no sweep, result or threads");
	memset(fc, 0, sizeof *fc);
	fc->total = vpm_sweep_count(sw);
	vpm_sweep_dims(sw, fc->dims);
	fc->shard = shard;
	fc->rows = vpm_sweep_shard_rows(fc->total, shard);
	fc->threads = threads;
	if ((st = vpm_sweep_estimate(sw, shard, 300, &fc->est)) != VPM_OK)
		return st;
	fc->seconds = fc->est.seconds_per_setup * (double)fc->rows / threads;
	fc->bytes = (double)fc->est.head_bytes + fc->est.bytes_per_row * (double)fc->rows;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_forecast_write, (FILE * fp, const vpm_sweep_forecast_t *fc), (fp, fc))
{
	const uint64_t *d;
	const vpm_sweep_estimate_t *e;
	char tb[32], bb[32];

	if (fp == NULL || fc == NULL)
		return vpm_error(VPM_EINVAL, "vpm_sweep_forecast_write: no stream or forecast");
	d = fc->dims;
	e = &fc->est;
	fprintf(fp,
		"set-ups: %" PRIu64 " (%" PRIu64 " panels x %" PRIu64 " cameras x %" PRIu64
		" lens-stops x %" PRIu64 " walls x %" PRIu64 " gaps or focus x %" PRIu64
		" rolls x %" PRIu64 " recording x %" PRIu64 " delivery)\n",
		fc->total, d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]);
	if (fc->shard.count > 1)
		fprintf(fp, "shard %" PRIu64 "/%" PRIu64 ": %" PRIu64 " set-ups\n", fc->shard.index,
			fc->shard.count, fc->rows);
	if (e->sampled == 0) {
		fprintf(fp, "estimated time: 0 s\nestimated output: %zu bytes\n", e->head_bytes);
	} else {
		vpm_units_format_duration(fc->seconds, tb, sizeof tb);
		fprintf(fp,
			"estimated time: %s with %d thread%s (%.0f set-ups/s per thread, timed on "
			"%" PRIu64 " set-ups)\n",
			tb, fc->threads, fc->threads == 1 ? "" : "s",
			e->seconds_per_setup > 0 ? 1.0 / e->seconds_per_setup : 0.0, e->sampled);
		vpm_units_format_bytes(fc->bytes, bb, sizeof bb);
		fprintf(fp, "estimated output: %s (%.0f bytes per row)\n", bb, e->bytes_per_row);
	}
	return ferror(fp) ? vpm_error(VPM_EIO, "cannot write the forecast") : VPM_OK;
}

vpm_sweep_run_opts_t vpm_sweep_run_opts_default(void)
{
	vpm_sweep_run_opts_t o;

	memset(&o, 0, sizeof o);
	o.output = "-";
	o.shard.count = 1;
	o.jobs = 1;
	o.checkpoint_s = 1.0;
	return o;
}

VPM_STATUS_FN(vpm_sweep_run_opts_set,
	      (vpm_sweep_run_opts_t * o, const char *name, const char *text, const char *origin),
	      (o, name, text, origin))
{
	const char *at = origin ? origin : "", *sep = origin ? ": " : "";
	vpm_status_t st = VPM_OK;
	long n;

	if (o == NULL || name == NULL)
		return vpm_error(VPM_EINVAL, "vpm_sweep_run_opts_set: no options or name");
	if (strcmp(name, "resume") == 0) {
		o->resume = 1;
		return VPM_OK;
	}
	if (strcmp(name, "output") != 0 && strcmp(name, "jobs") != 0 &&
	    strcmp(name, "shard") != 0 && strcmp(name, "checkpoint") != 0)
		return vpm_error(VPM_ENOTFOUND, "--%s is not a flag of a run", name);
	if (text == NULL)
		return vpm_error(VPM_EINVAL, "--%s needs a value", name);
	if (strcmp(name, "output") == 0)
		o->output = text;
	else if (strcmp(name, "jobs") == 0) {
		if ((st = vpm_units_parse_count(text, 4096, &n)) == VPM_OK)
			o->jobs = (int)n;
	} else if (strcmp(name, "shard") == 0)
		st = vpm_sweep_shard_parse(text, &o->shard);
	else if (strcmp(name, "checkpoint") == 0 &&
		 vpm_units_parse_interval(text, 0.0, 86400.0, 0, &o->checkpoint_s) != VPM_OK)
		return vpm_error(
			VPM_ERANGE,
			"%s%s--checkpoint: expected seconds between checkpoints, 0 to 86400", at,
			sep);
	return st == VPM_OK ? VPM_OK : vpm_error_prefix(st, "%s%s--%s", at, sep, name);
}

/* A run in progress: its options, where it stands and its first failure. */
typedef struct {
	const vpm_sweep_t *sw;
	const vpm_sweep_run_opts_t *o;
	const vpm_sweep_transport_t *tr; /* NULL: a single process */
	int rank, ranks;
	vpm_sweep_engine_t *eng;
	vpm_sweep_output_t *out;
	vpm_sweep_progress_t p;
	vpm_status_t st;
	int computing; /* the failure is a batch's, not the output's */
	char msg[512];
} run_t;

static void run_bcast(const run_t *r, uint64_t *v, int n)
{
	if (r->tr != NULL)
		r->tr->bcast(r->tr->ctx, v, n);
}

static void run_progress(run_t *r, vpm_sweep_run_event_t ev)
{
	r->p.done = vpm_sweep_output_rows_done(r->out);
	if (r->o->progress != NULL)
		r->o->progress(r->o->ctx, ev, &r->p);
}

/* Keep the first failure and its message. */
static void run_fail(run_t *r, vpm_status_t st, int computing)
{
	if (st == VPM_OK || r->st != VPM_OK)
		return;
	r->st = st;
	r->computing = computing;
	snprintf(r->msg, sizeof r->msg, "%s", vpm_error_message());
}

/* Rank 0: write rank k's rows of the round starting at `base`. */
static void run_collect(run_t *r, uint64_t base, uint64_t batch_rows)
{
	char *buf = vpm_sweep_engine_buffer(r->eng);
	int k;

	for (k = 1; k < r->ranks; k++) {
		vpm_sweep_part_t h;
		uint64_t kf = base + (uint64_t)k * batch_rows, kn = 0;

		r->tr->recv(r->tr->ctx, k, &h, buf);
		if (kf < r->p.total)
			kn = r->p.total - kf < batch_rows ? r->p.total - kf : batch_rows;
		if (r->st != VPM_OK)
			continue; /* drain the others, write nothing more */
		if (h.status != VPM_OK) {
			r->st = (vpm_status_t)h.status;
			r->computing = 1;
			snprintf(r->msg, sizeof r->msg, "rank %d: %.*s", k, (int)sizeof h.msg,
				 h.msg);
			continue;
		}
		run_fail(r, vpm_sweep_output_write(r->out, buf, (size_t)h.len, kn), 0);
	}
}

/* Rank other than 0: hand the batch to rank 0. */
static void run_send(run_t *r, vpm_status_t st, size_t len)
{
	vpm_sweep_part_t h;

	memset(&h, 0, sizeof h);
	h.status = st;
	h.len = st == VPM_OK ? (int64_t)len : 0;
	if (st != VPM_OK)
		snprintf(h.msg, sizeof h.msg, "%s", vpm_error_message());
	r->tr->send(r->tr->ctx, &h, vpm_sweep_engine_buffer(r->eng));
}

/* The batches, from the first row not yet written; 1 when stopped. */
static int run_batches(run_t *r, uint64_t batch_rows)
{
	const vpm_sweep_run_opts_t *o = r->o;
	uint64_t base, total = r->p.total;
	double last_ckpt = now_s();

	for (base = r->p.first; base < total; base += batch_rows * (uint64_t)r->ranks) {
		uint64_t first = base + (uint64_t)r->rank * batch_rows, n = 0, stop = 0;
		vpm_status_t st = VPM_OK;
		size_t len = 0;

		if (first < total)
			n = total - first < batch_rows ? total - first : batch_rows;
		if (n > 0)
			st = vpm_sweep_engine_run(r->eng, first, n, &len);
		if (r->rank == 0) {
			int asked;

			run_fail(r, st, 1);
			if (st == VPM_OK)
				run_fail(r,
					 vpm_sweep_output_write(r->out,
								vpm_sweep_engine_buffer(r->eng),
								len, n),
					 0);
			if (r->ranks > 1)
				run_collect(r, base, batch_rows);
			run_progress(r, VPM_SWEEP_RUN_BATCH);
			/* a stop asked for up to here (even by the callback)
			 * ends the run at this batch, checkpointed */
			asked = o->stop != NULL && *o->stop;
			if (r->st == VPM_OK && (asked || now_s() - last_ckpt >= o->checkpoint_s)) {
				run_fail(r, vpm_sweep_output_checkpoint(r->out), 0);
				last_ckpt = now_s();
			}
			stop = r->st != VPM_OK || asked;
		} else {
			run_send(r, st, len);
		}
		run_bcast(r, &stop, 1);
		if (stop)
			return 1;
	}
	return 0;
}

/* Open the output on rank 0 and agree on the first row to compute. */
static vpm_status_t run_open(run_t *r)
{
	vpm_status_t st = VPM_OK;
	uint64_t ctl[2] = { 1, 0 };

	if (r->rank == 0) {
		st = vpm_sweep_output_open(r->sw, r->o->output, r->o->shard, r->o->resume, &r->out);
		ctl[0] = st == VPM_OK;
		ctl[1] = st == VPM_OK ? vpm_sweep_output_rows_done(r->out) : 0;
	}
	run_bcast(r, ctl, 2);
	if (!ctl[0])
		return r->rank == 0 ? st : vpm_error(VPM_EIO, "rank 0 cannot open the output");
	r->p.first = r->p.done = ctl[1];
	r->p.opened = 1;
	if (r->rank == 0) {
		r->p.resumed = vpm_sweep_output_resumed(r->out);
		run_progress(r, VPM_SWEEP_RUN_BEGIN);
	}
	return VPM_OK;
}

/* Rank 0 after the batches: the failure, the stop, or the commit. */
static vpm_status_t run_finish(run_t *r, int stopped)
{
	const char *out = r->o->output;
	vpm_status_t st;

	r->p.done = vpm_sweep_output_rows_done(r->out);
	if (r->st != VPM_OK) {
		/* the last checkpoint stays: nothing written before it is lost */
		if (r->computing || out == NULL || strcmp(out, "-") == 0)
			return vpm_error(r->st, "%s", r->msg);
		return vpm_error(r->st,
				 "%s; the rows up to the last checkpoint are kept: fix the cause "
				 "and run the same command with --resume",
				 r->msg);
	}
	if (stopped && r->p.done < r->p.total) {
		r->p.stopped = 1;
		return VPM_OK;
	}
	if (r->p.total > r->p.first)
		run_progress(r, VPM_SWEEP_RUN_END);
	st = vpm_sweep_output_commit(r->out);
	r->out = NULL;
	if (st != VPM_OK) {
		snprintf(r->msg, sizeof r->msg, "%s", vpm_error_message());
		return vpm_error(st, "%s; the rows are kept: run the same command with --resume",
				 r->msg);
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_run,
	      (const vpm_sweep_t *sw, const vpm_sweep_run_opts_t *o, vpm_sweep_progress_t *result),
	      (sw, o, result))
{
	run_t r;
	uint64_t batch_rows;
	vpm_status_t st;
	int ok;

	if (result != NULL)
		memset(result, 0, sizeof *result);
	if (sw == NULL || o == NULL)
		return vpm_error(VPM_EINVAL, "vpm_sweep_run: no sweep or options");
	memset(&r, 0, sizeof r);
	r.sw = sw;
	r.o = o;
	r.tr = o->transport;
	r.rank = r.tr ? r.tr->rank : 0;
	r.ranks = r.tr ? r.tr->size : 1;
	r.p.total = vpm_sweep_shard_rows(vpm_sweep_count(sw), o->shard);

	/* every rank uses rank 0's batch size, so that all agree on the split */
	batch_rows = vpm_sweep_batch_rows(sw, o->jobs);
	run_bcast(&r, &batch_rows, 1);
	st = vpm_sweep_engine_alloc(sw, o->shard, o->jobs, batch_rows, &r.eng);
	ok = st == VPM_OK;
	if (r.tr != NULL)
		ok = r.tr->all_min(r.tr->ctx, ok);
	if (!ok) {
		vpm_sweep_engine_free(r.eng);
		return st != VPM_OK ? st : vpm_error(VPM_ENOMEM, "out of memory");
	}
	if ((st = run_open(&r)) == VPM_OK) {
		int stopped = run_batches(&r, batch_rows);
		if (r.rank == 0) /* rank 0 reports */
			st = run_finish(&r, stopped);
	}
	vpm_sweep_output_close(r.out);
	vpm_sweep_engine_free(r.eng);
	if (result != NULL)
		*result = r.p;
	return st;
}
