/* FFTW plumbing for the FFT engine: plans made once per size and kept,
 * wisdom read and written, threads, and a clock around every transform. */
#include <config.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fftsim_private.h"
#include "vpmoire/atomic.h"

/* FFTW's planner and wisdom are process-wide and not thread-safe: every
 * call into them goes through this lock (fftw_execute is thread-safe). */
static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static int threads_ready; /* under planner_lock */

double vpm_fft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int vpm_fft_good_size(int min)
{
	int n = min < 2 ? 2 : min;

	if (n % 2)
		n++;
	for (;; n += 2) {
		int r = n;

		while (r % 2 == 0)
			r /= 2;
		while (r % 3 == 0)
			r /= 3;
		while (r % 5 == 0)
			r /= 5;
		while (r % 7 == 0)
			r /= 7;
		if (r == 1)
			return n;
	}
}

void vpm_fft_set_options(fft_ctx_t *ctx, vpm_planner_t planner, int threads,
			 const char *wisdom_path)
{
	ctx->flags = planner == VPM_PLANNER_ESTIMATE ? FFTW_ESTIMATE : FFTW_MEASURE;
	if (threads <= 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (int)(n > 64 ? 64 : n) : 1;
	}
	ctx->threads = threads;
	pthread_mutex_lock(&planner_lock);
#ifdef HAVE_FFTW3_THREADS
	if (!threads_ready)
		threads_ready = fftw_init_threads() ? 1 : -1;
#else
	threads_ready = -1;
#endif
	if (wisdom_path != NULL &&
	    (ctx->wisdom_path == NULL || strcmp(ctx->wisdom_path, wisdom_path) != 0)) {
		char *copy = strdup(wisdom_path);
		if (copy != NULL) {
			free(ctx->wisdom_path);
			ctx->wisdom_path = copy;
			/* A missing or unreadable file is not an error. */
			(void)fftw_import_wisdom_from_filename(copy);
		}
	} else if (wisdom_path == NULL) {
		free(ctx->wisdom_path);
		ctx->wisdom_path = NULL;
	}
	pthread_mutex_unlock(&planner_lock);
}

void vpm_fft_save_wisdom(fft_ctx_t *ctx)
{
	vpm_atomic_file_t *af;

	if (ctx->wisdom_path == NULL || !ctx->wisdom_new || ctx->flags == FFTW_ESTIMATE)
		return;
	/* Best effort: a read-only cache directory must not fail a run. */
	if (vpm_atomic_open(ctx->wisdom_path, &af) != VPM_OK) {
		vpm_error_clear();
		return;
	}
	pthread_mutex_lock(&planner_lock);
	fftw_export_wisdom_to_file(vpm_atomic_stream(af));
	pthread_mutex_unlock(&planner_lock);
	if (vpm_atomic_commit(af) != VPM_OK)
		vpm_error_clear();
	ctx->wisdom_new = 0;
}

static int same_entry(const fft_entry_t *e, fft_kind_t kind, int n0, int n1)
{
	return e->kind == kind && e->n0 == n0 && e->n1 == n1;
}

vpm_status_t vpm_fft_plan(fft_ctx_t *ctx, fft_kind_t kind, int n0, int n1, void *data,
			  fft_entry_t **out)
{
	fft_entry_t *e;
	fftw_plan p = NULL;
	int i;

	for (i = 0; i < ctx->n; i++)
		if (same_entry(&ctx->e[i], kind, n0, n1)) {
			*out = &ctx->e[i];
			return VPM_OK;
		}
	if (ctx->n == FFT_CACHE) {
		/* Forget the oldest plan (sizes change only between runs). */
		pthread_mutex_lock(&planner_lock);
		fftw_destroy_plan(ctx->e[0].plan);
		pthread_mutex_unlock(&planner_lock);
		memmove(&ctx->e[0], &ctx->e[1], (FFT_CACHE - 1) * sizeof ctx->e[0]);
		ctx->n--;
	}
	pthread_mutex_lock(&planner_lock);
#ifdef HAVE_FFTW3_THREADS
	if (threads_ready > 0)
		fftw_plan_with_nthreads(ctx->threads);
#endif
	switch (kind) {
	case FFT_R2C: p = fftw_plan_dft_r2c_2d(n0, n1, data, data, ctx->flags); break;
	case FFT_C2R: p = fftw_plan_dft_c2r_2d(n0, n1, data, data, ctx->flags); break;
	case FFT_C2C_FWD: p = fftw_plan_dft_2d(n0, n1, data, data, FFTW_FORWARD, ctx->flags); break;
	case FFT_C2C_BWD:
		p = fftw_plan_dft_2d(n0, n1, data, data, FFTW_BACKWARD, ctx->flags);
		break;
	case FFT_R2C_1D: p = fftw_plan_dft_r2c_1d(n0, data, data, ctx->flags); break;
	case FFT_DCT1:
		p = fftw_plan_r2r_2d(n0, n1, data, data, FFTW_REDFT00, FFTW_REDFT00, ctx->flags);
		break;
	}
	pthread_mutex_unlock(&planner_lock);
	if (p == NULL)
		return vpm_error(VPM_ENOMEM, "FFTW could not plan a %d x %d transform", n0, n1);
	e = &ctx->e[ctx->n++];
	e->kind = kind;
	e->n0 = n0;
	e->n1 = n1;
	e->plan = p;
	e->last = NULL;
	e->runs = 0;
	ctx->wisdom_new = 1;
	*out = e;
	return VPM_OK;
}

void vpm_fft_execute_raw(const fft_entry_t *e, void *data)
{
	switch (e->kind) {
	case FFT_R2C:
	case FFT_R2C_1D: fftw_execute_dft_r2c(e->plan, data, data); break;
	case FFT_C2R: fftw_execute_dft_c2r(e->plan, data, data); break;
	case FFT_C2C_FWD:
	case FFT_C2C_BWD: fftw_execute_dft(e->plan, data, data); break;
	case FFT_DCT1: fftw_execute_r2r(e->plan, data, data); break;
	}
}

size_t vpm_fft_doubles(const fft_entry_t *e)
{
	switch (e->kind) {
	case FFT_R2C:
	case FFT_C2R: return (size_t)e->n0 * (size_t)(2 * (e->n1 / 2 + 1));
	case FFT_R2C_1D: return (size_t)(2 * (e->n0 / 2 + 1));
	case FFT_DCT1: return (size_t)e->n0 * (size_t)e->n1;
	default: return (size_t)e->n0 * (size_t)e->n1 * 2;
	}
}

void vpm_fft_exec(fft_ctx_t *ctx, fft_entry_t *e, void *data)
{
	double t0 = vpm_fft_now();

	vpm_fft_execute_raw(e, data);
	ctx->seconds += vpm_fft_now() - t0;
	ctx->count++;
	e->last = data;
	e->runs++;
}

void vpm_fft_reset_counts(fft_ctx_t *ctx)
{
	ctx->seconds = 0.0;
	ctx->count = 0;
	for (int i = 0; i < ctx->n; i++) {
		ctx->e[i].runs = 0;
		ctx->e[i].last = NULL;
	}
}

void vpm_fft_release(fft_ctx_t *ctx)
{
	pthread_mutex_lock(&planner_lock);
	for (int i = 0; i < ctx->n; i++)
		fftw_destroy_plan(ctx->e[i].plan);
	pthread_mutex_unlock(&planner_lock);
	ctx->n = 0;
	free(ctx->wisdom_path);
	ctx->wisdom_path = NULL;
}
