/* make bench: a 2048 × 2048-photosite simulation of the reference micro
 * stage (ROE BP2 V2, 2.84 mm, URSA Mini Pro 4.6K G2, 28 mm at T2.8, wall
 * 5 m, focus 3.5 m), timed, and the FFTs it performs timed again on their
 * own.  Target: the whole simulation costs at most 1.5× its FFTs.
 *
 * FFTW_MEASURE plans are kept as wisdom in bench-fftw-wisdom in the
 * current (build) directory, so only the first run pays for planning.  The
 * build machine is shared, so the timed part alternates simulation and
 * FFTs-alone several times and reports medians, by wall clock and by
 * process CPU time.  Two set-ups: the white wall square to the camera (the
 * default simulation; separable scene) and the same wall yawed 20° (every
 * sample rendered through the wall homography, a full 2-D scene FFT and a
 * PSF per depth slice) on a 1024-photosite patch by default (at 2048 its
 * 15 transforms of a 16800² grid take minutes each repetition).
 * Environment: VPM_BENCH_PATCH (2048), VPM_BENCH_YAW_PATCH (1024),
 * VPM_BENCH_SUPERSAMPLE (0 = automatic), VPM_BENCH_THREADS (0 = all),
 * VPM_BENCH_REPEAT (3), VPM_BENCH_YAW (20; 0 skips), VPM_BENCH_WISDOM.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vpmoire/fftsim.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);
	return v && *v ? atoi(v) : def;
}

static double cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double median(double *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			double t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

#define MAXREP 15

/* One set-up: a warm-up run, then `rep` × (simulation, FFTs alone). */
static int bench(vpm_fftsim_t *sim, const vpm_setup_t *s, const vpm_fftsim_options_t *o,
		 const char *label, int rep)
{
	vpm_fftsim_result_t r;
	double wall[MAXREP], cpu[MAXREP], fwall[MAXREP], fcpu[MAXREP], inside[MAXREP];
	double ws, cs, fw, fc, rw, rc;

	if (vpm_fftsim_run(sim, s, o, &r) != VPM_OK) {
		fprintf(stderr, "bench_fftsim: %s\n", vpm_error_message());
		return 1;
	}
	printf("bench_fftsim: %s: first run (planning or wisdom included) %.2f s\n", label,
	       r.seconds);
	for (int i = 0; i < rep; i++) {
		double c0 = cpu_now();
		if (vpm_fftsim_run(sim, s, o, &r) != VPM_OK) {
			fprintf(stderr, "bench_fftsim: %s\n", vpm_error_message());
			return 1;
		}
		cpu[i] = cpu_now() - c0;
		wall[i] = r.seconds;
		inside[i] = r.fft_seconds;
		if (vpm_fftsim_time_ffts(sim, &fwall[i], &fcpu[i]) != VPM_OK) {
			fprintf(stderr, "bench_fftsim: %s\n", vpm_error_message());
			return 1;
		}
	}
	ws = median(wall, rep);
	cs = median(cpu, rep);
	fw = median(fwall, rep);
	fc = median(fcpu, rep);
	rw = ws / fw;
	rc = cs / fc;
	printf("bench_fftsim: %s: %d x %d photosites, %dx supersampled: grid %d x %d, "
	       "%d PSF(s) per colour, %d FFTs\n",
	       label, r.size.patch_px, r.size.patch_px, r.size.supersample, r.size.grid_n,
	       r.size.grid_n, r.size.n_psf, r.n_fft);
	printf("bench_fftsim: %s: median of %d: simulation %.2f s wall (%.2f s in FFTW), "
	       "%.2f s CPU; its FFTs alone %.2f s wall, %.2f s CPU\n",
	       label, rep, ws, median(inside, rep), cs, fw, fc);
	printf("bench_fftsim: %s: ratio %.2f wall, %.2f CPU (target <= 1.5) %s\n", label, rw, rc,
	       rw <= 1.5 || rc <= 1.5 ? "OK" : "SLOW");
	printf("bench_fftsim: %s: measured moire %.4f at %.2f cy/mm (%s), grid %.4f at %.2f "
	       "cy/mm\n",
	       label, r.moire_modulation, r.moire_beat_cy_mm, vpm_channel_name(r.moire_channel),
	       r.grid_modulation, r.grid_cy_mm);
	return 0;
}

int main(void)
{
	vpm_setup_t s = vpm_setup_default();
	vpm_fftsim_options_t o = vpm_fftsim_options_default();
	vpm_fftsim_t *sim;
	const char *wisdom = getenv("VPM_BENCH_WISDOM");
	int rep = env_int("VPM_BENCH_REPEAT", 3), yaw = env_int("VPM_BENCH_YAW", 20), rc;

	setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows while it runs */
	if (rep < 1)
		rep = 1;
	if (rep > MAXREP)
		rep = MAXREP;
	/* the catalog's roe-bp2v2 and bmd-ursa-mini-pro-4.6k-g2, zeiss-cp3-28 */
	s.pitch_mm = 2.8409;
	s.emitter_mm = 0.17;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = 2.8;
	s.wall_m = 5.0;
	s.focus_m = 3.5;
	o.patch_px = env_int("VPM_BENCH_PATCH", 2048);
	o.supersample = env_int("VPM_BENCH_SUPERSAMPLE", 0);
	o.threads = env_int("VPM_BENCH_THREADS", 0);
	o.max_memory_bytes = (size_t)16 << 30;
	o.planner = VPM_PLANNER_MEASURE;
	o.wisdom_path = wisdom && *wisdom ? wisdom : "bench-fftw-wisdom";
	sim = vpm_fftsim_alloc();
	if (sim == NULL)
		return 1;
	rc = bench(sim, &s, &o, "wall square to the camera", rep);
	if (rc == 0 && yaw != 0) {
		char label[64];
		o.yaw_deg = yaw;
		o.patch_px = env_int("VPM_BENCH_YAW_PATCH", 1024);
		snprintf(label, sizeof label, "wall yawed %d deg", yaw);
		rc = bench(sim, &s, &o, label, rep);
	}
	vpm_fftsim_free(sim);
	return rc;
}
