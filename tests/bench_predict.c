/* Benchmark of the analytic predictor (run by `make bench`, not a test).
 *
 * The reference rig (BMD URSA Mini Pro 4.6K G2: 5.5 µm, 4608 photosites,
 * Bayer, no OLPF; the 1.5625 mm panel with a 0.35 mm emitter and the ROE
 * BP2V2 2.8409 mm with 0.5 mm; T2.8, δ = 0.10) over a grid of camera-to-
 * wall distances 1.5–8 m (0.1 m steps) × focal lengths 15–135 mm (2 mm
 * steps), focused on a subject at the reference stage's proportion of the
 * wall distance (1.0 m of 2.524 m).  One core, one workspace.
 *
 * Prints set-ups per second (CPU time of this thread, best pass) for the
 * field model (the default) and the ideal chain, and
 * checks a random sample of the exact defocus factors the predictor used
 * against adaptive quadrature (GSL QAWO on the x-form, each of the nine
 * planning-tolerance values), printing the largest error.  Targets:
 * ≥ 10,000 set-ups/s and max error ≤ 1e-4.  Exit status 1 only when the
 * accuracy target is missed (speed depends on the machine). */
#include <config.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "predict_private.h"
#include "vpmoire/otf.h"
#include "vpmoire/predict.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define SAMPLE 20000

typedef struct {
	double s, w, tol, value;
} otf_use_t;

typedef struct {
	otf_use_t *buf;
	long seen;
	unsigned long long rng;
} reservoir_t;

static unsigned long long next_rand(unsigned long long *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void record_otf(void *ctx, double s, double w, double tol, double value)
{
	reservoir_t *r = ctx;
	otf_use_t u = { s, w, tol, value };

	if (r->seen < SAMPLE) {
		r->buf[r->seen] = u;
	} else {
		unsigned long long j = next_rand(&r->rng) % (unsigned long long)(r->seen + 1);

		if (j < SAMPLE)
			r->buf[j] = u;
	}
	r->seen++;
}

struct xform {
	double c;
};

static double amplitude(double x, void *p)
{
	const struct xform *q = p;
	double y = x + q->c;

	return sqrt(fmax(0.0, 1.0 - y * y));
}

/* H(s, w) = (4/π) ∫₀^{1−s/2} sqrt(1 − (x + s/2)²) cos(4π·w·s·x) dx, QAWO. */
static double ref_hopkins(double s, double w, gsl_integration_workspace *ws,
			  gsl_integration_qawo_table *t)
{
	struct xform q = { s / 2.0 };
	gsl_function F = { amplitude, &q };
	double L = 1.0 - s / 2.0, r = 0.0, e = 0.0;

	if (L <= 0.0)
		return 0.0;
	gsl_integration_qawo_table_set(t, 4.0 * M_PI * w * s, L, GSL_INTEG_COSINE);
	if (gsl_integration_qawo(&F, 0.0, 1e-13, 0.0, 50000, ws, t, &r, &e) != GSL_SUCCESS)
		return NAN;
	return 4.0 / M_PI * r;
}

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int grid_pass(vpm_predict_workspace_t *ws, vpm_model_t model, long *n,
		     vpm_predict_stats_t *sum)
{
	vpm_setup_t s = vpm_setup_default();

	s.model = model;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.cfa = VPM_CFA_BAYER;
	s.stop = 2.8;
	for (int p = 0; p < 2; p++) {
		s.pitch_mm = p ? 500.0 / 176.0 : 1.5625;
		s.emitter_mm = p ? 0.5 : 0.35;
		for (int iw = 0; iw <= 65; iw++) {
			for (int f = 15; f <= 135; f += 2) {
				vpm_result_t r;
				vpm_predict_stats_t st;

				s.focal_mm = f;
				s.wall_m = 1.5 + 0.1 * iw;
				s.focus_m = s.wall_m * (1.0 / 2.524);
				if (vpm_predict(&s, ws, &r) != VPM_OK) {
					fprintf(stderr, "bench_predict: %s\n", vpm_error_message());
					return -1;
				}
				vpm_predict_workspace_stats(ws, &st);
				sum->components += st.components;
				sum->candidates += st.candidates;
				sum->evaluated += st.evaluated;
				sum->otf_evals += st.otf_evals;
				(*n)++;
			}
		}
	}
	return 0;
}

int main(void)
{
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_predict_stats_t sum = { 0 };
	reservoir_t res = { NULL, 0, 0x9E3779B97F4A7C15ULL };
	double best = 0.0, total_t = 0.0, worst_err = 0.0, worst_s = 0, worst_w = 0;
	long total_n = 0, passes = 0, checked = 0;
	gsl_integration_workspace *gws;
	gsl_integration_qawo_table *tab;

	if (!ws)
		return 1;
	/* warm-up (Gauss–Legendre rules, workspace growth) */
	{
		long n = 0;
		vpm_predict_stats_t tmp = { 0 };

		if (grid_pass(ws, VPM_MODEL_FIELD, &n, &tmp) != 0)
			return 1;
	}
	/* the ideal chain (SPEC §2) */
	{
		double t0 = cpu_seconds(), dt;
		long n = 0;
		vpm_predict_stats_t tmp = { 0 };

		if (grid_pass(ws, VPM_MODEL_IDEAL, &n, &tmp) != 0)
			return 1;
		t0 = cpu_seconds();
		n = 0;
		memset(&tmp, 0, sizeof tmp); /* count the timed pass only */
		if (grid_pass(ws, VPM_MODEL_IDEAL, &n, &tmp) != 0)
			return 1;
		dt = cpu_seconds() - t0;
		printf("bench_predict: ideal chain (--model ideal): %.0f set-ups/s/core, %.1f exact "
		       "defocus factors per set-up\n",
		       n / dt, (double)tmp.otf_evals / n);
	}
	while (total_t < 3.0 || passes < 3) {
		long n = 0;
		double t0 = cpu_seconds(), dt;

		memset(&sum, 0, sizeof sum);
		if (grid_pass(ws, VPM_MODEL_FIELD, &n, &sum) != 0)
			return 1;
		dt = cpu_seconds() - t0;
		total_t += dt;
		total_n += n;
		passes++;
		if (n / dt > best)
			best = n / dt;
	}
	printf("bench_predict: field model (the default): reference rig, %ld set-ups per pass (2 panels x 66 distances "
	       "1.5-8 m x 61 focal lengths 15-135 mm, T2.8)\n",
	       total_n / passes);
	printf("bench_predict: %.0f set-ups/s/core (best of %ld passes; mean %.0f)\n", best, passes,
	       total_n / total_t);
	printf("bench_predict: per set-up: %.1f harmonics bounded, %.1f candidates, %.1f groups "
	       "evaluated, %.1f exact defocus factors\n",
	       (double)sum.components / (total_n / passes),
	       (double)sum.candidates / (total_n / passes),
	       (double)sum.evaluated / (total_n / passes),
	       (double)sum.otf_evals / (total_n / passes));

	/* accuracy: sample the exact Hopkins factors one pass of the ideal
	 * chain uses (the field model's OTF is checked in tests/test_otf.c) */
	res.buf = malloc(SAMPLE * sizeof *res.buf);
	if (!res.buf)
		return 1;
	vpm_predict_workspace_set_otf_hook(ws, record_otf, &res);
	{
		long n = 0;
		vpm_predict_stats_t tmp = { 0 };

		if (grid_pass(ws, VPM_MODEL_IDEAL, &n, &tmp) != 0)
			return 1;
	}
	vpm_predict_workspace_set_otf_hook(ws, NULL, NULL);
	gsl_set_error_handler_off();
	gws = gsl_integration_workspace_alloc(50000);
	tab = gsl_integration_qawo_table_alloc(1.0, 1.0, GSL_INTEG_COSINE, 50);
	{
		long m = res.seen < SAMPLE ? res.seen : SAMPLE;
		double wmax = 0.0;

		for (long i = 0; i < m; i++) {
			const otf_use_t *u = &res.buf[i];
			double ref = 0.0, err;

			for (int j = 0; j <= 8; j++) {
				double wj = u->tol > 0 ? u->w * (1.0 - u->tol + u->tol * j / 4.0)
						       : u->w;
				double h = ref_hopkins(u->s, wj, gws, tab);

				ref = fmax(ref, fabs(h));
				if (u->tol == 0.0)
					break;
			}
			err = fabs(ref - u->value);
			if (!(err <= worst_err)) {
				worst_err = err;
				worst_s = u->s;
				worst_w = u->w;
			}
			wmax = fmax(wmax, u->w);
			checked++;
		}
		printf("bench_predict: %ld of %ld defocus factors checked against GSL QAWO "
		       "(9 tolerance values each, w up to %.0f waves): max |error| %.2g "
		       "(at s = %.4g, w = %.4g)\n",
		       checked, res.seen, wmax, worst_err, worst_s, worst_w);
	}
	printf("bench_predict: speed %s (target 10000/s), accuracy %s (target 1e-4)\n",
	       best >= 10000.0 ? "met" : "BELOW TARGET", worst_err <= 1e-4 ? "met" : "MISSED");
	gsl_integration_qawo_table_free(tab);
	gsl_integration_workspace_free(gws);
	free(res.buf);
	vpm_predict_workspace_free(ws);
	return worst_err <= 1e-4 ? 0 : 1;
}
