/* Private: the pieces of the FFT engine (fftsim*.c). */
#ifndef VPM_PRIVATE_FFTSIM_H
#define VPM_PRIVATE_FFTSIM_H

#include <stddef.h>

#include <fftw3.h>

#include "vpmoire/fftsim.h"
#include "vpmoire/sensor.h"

/* OpenMP pragmas only when the compiler was asked for OpenMP (otherwise
 * -Wunknown-pragmas would fire). */
#ifdef _OPENMP
#define VPM_OMP_FOR _Pragma("omp parallel for schedule(static)")
#else
#define VPM_OMP_FOR
#endif

/* ---------------------------------------------------------------- FFTW */

typedef enum {
	FFT_R2C = 0, /* 2-D in-place real → complex, rows padded to 2(n1/2 + 1) */
	FFT_C2R,     /* 2-D in-place complex → real */
	FFT_C2C_FWD, /* 2-D in-place complex, e^{−2πi…} */
	FFT_C2C_BWD, /* 2-D in-place complex, e^{+2πi…} */
	FFT_R2C_1D,  /* 1-D in-place real → complex of length n0 (n1 = 1) */
	FFT_DCT1     /* 2-D in-place real-even DFT (REDFT00, DCT-I), n0 × n1 */
} fft_kind_t;

typedef struct {
	fft_kind_t kind;
	int n0, n1;
	fftw_plan plan;
	void *last; /* the array it last ran on (for re-timing) */
	long runs;  /* executions in the current run */
} fft_entry_t;

#define FFT_CACHE 32

typedef struct {
	fft_entry_t e[FFT_CACHE];
	int n;
	unsigned flags; /* FFTW_MEASURE or FFTW_ESTIMATE */
	int threads;
	char *wisdom_path;
	int wisdom_new; /* plans made since the wisdom was read */
	double seconds; /* in fftw_execute during the current run */
	int count;
} fft_ctx_t;

/* Find or make the plan for an n0 × n1 transform of `kind` on `data`
 * (fftw_malloc'd, its contents destroyed when a plan is made).  VPM_ENOMEM
 * when FFTW cannot plan. */
vpm_status_t vpm_fft_plan(fft_ctx_t *ctx, fft_kind_t kind, int n0, int n1, void *data,
			  fft_entry_t **out);

/* Execute a plan on `data` (same kind, size and alignment), timed. */
void vpm_fft_exec(fft_ctx_t *ctx, fft_entry_t *e, void *data);

/* The same, untimed; and the number of doubles the plan's array spans. */
void vpm_fft_execute_raw(const fft_entry_t *e, void *data);
size_t vpm_fft_doubles(const fft_entry_t *e);

/* Forget the run counters; release every plan. */
void vpm_fft_reset_counts(fft_ctx_t *ctx);
void vpm_fft_release(fft_ctx_t *ctx);

/* Wisdom: import once per path, export (atomically, best effort) when
 * plans were made.  Threads: set up FFTW's threads once per process. */
void vpm_fft_set_options(fft_ctx_t *ctx, vpm_planner_t planner, int threads,
			 const char *wisdom_path);
void vpm_fft_save_wisdom(fft_ctx_t *ctx);

/* Monotonic seconds. */
double vpm_fft_now(void);

/* A size n ≥ min whose only prime factors are 2, 3, 5 and 7, even. */
int vpm_fft_good_size(int min);

/* ---------------------------------------------------------------- PSF */

/* The lens PSF for one colour and one defocus, `win` × `win` samples of
 * pitch `sample_mm`, centred on sample (win/2, win/2), summing to 1:
 * |FT(pupil)|² with the pupil exp(2πi(W020 ρ² + W040 ρ⁴)) inside a circle
 * whose edge samples are weighted by their covered area.  The pupil grid is
 * `fine` times finer than the output; with fine > 1 the fine PSF is
 * band-limited to the output grid's Nyquist (its spectrum cropped) before
 * it is resampled, so the output's DFT is the OTF up to that Nyquist.
 * `pupil` holds (fine·win)² complex values, `crop` win² (used when
 * fine > 1). */
vpm_status_t vpm_fftsim_psf(fft_ctx_t *fft, int win, int fine, double sample_mm,
			    double wavelength_nm, double stop, double w020_waves, double w040_waves,
			    double pupil_edge, fftw_complex *pupil, fftw_complex *crop,
			    double *psf);

/* ---------------------------------------------------------------- demosaic */

/* RGGB mosaic (n × n, even n) → interleaved RGB (n × n × 3). */
void vpm_fftsim_demosaic(const double *mosaic, int n, vpm_demosaic_t method, double *rgb);

/* ---------------------------------------------------------------- measurement */

/* 4-term Blackman–Harris window of n points (symmetric); returns Σw. */
double vpm_fftsim_window(int n, double *w);

/* Resample an n × n image of pitch P to m × m samples over the same width
 * (pitch n·P/m): mirror-extended to 2n, filtered by the continuous pixel box
 * sinc(P_out·ν) per axis, folded (m < n) or zero-padded (m > n) in the DFT.
 * `ext` holds (2n)² and `out2` (2m)² complex values. */
vpm_status_t vpm_fftsim_resample(fft_ctx_t *fft, const double *in, int n, int m, double *out,
				 fftw_complex *ext, fftw_complex *out2, vpm_resample_t kernel);

/* One measured channel: its samples and how to find the LED components. */
typedef struct {
	vpm_channel_t channel;
	const double *img; /* n × n */
	int n;
	double pitch_mm;	  /* final sample pitch */
	double wavelength_nm;	  /* cut-off for harmonics (the shortest rendered) */
	vpm_sensor_chain_t chain; /* lattice and stages with the effective pitches */
	double weight;		  /* w_c */
	vpm_vision_colour_t vc;	  /* opponent-colour CSF (when ms->opponent) */
} meas_channel_t;

/* What the measurement needs from the set-up. */
typedef struct {
	double jac[4];	   /* du/dx, du/dy, dv/dx, dv/dy at the patch centre */
	double chirp_bins; /* extra search radius for walls at an angle (unpadded bins) */
	double pitch_mm;   /* LED pitch p */
	double stop;
	double width_mm;  /* W = W_px·a */
	double angle_deg; /* Θ */
	double luminance, gain;
	double caution_at, risky_at;
	int opponent;		 /* score with the channels' opponent-colour CSFs */
	double content_contrast; /* masking by the wall content; 0 = flat */
	double emitter_fill;	 /* e/p of square emitters (bounds harmonic (k, l) by
				    |sinc(k·e/p)·sinc(l·e/p)|); 0 = no bound (round) */
	double olpf_split_mm;	 /* the four-spot OLPF's split d (0 = none) */
	double aperture_mm;	 /* the photosite's square aperture, fill·a */
	double defocus_waves;	  /* |W020| over the patch at 555 nm (0 for a wall at
				     an angle, whose focus plane may cross it) */
	double defocus_tolerance; /* the planning tolerance δ on it (SPEC §2 step 4) */
	double squeeze; /* anamorphic S: the lens sees (ν_x/S, ν_y), the viewer
			 * the desqueezed picture (doc/model.md §12); 0 = 1 */
} meas_setup_t;

/* Component list of a measurement. */
typedef struct {
	vpm_component_t *c;
	size_t n, cap;
	/* a component that could change the verdict but cannot be measured
	 * in this patch (its beat too long, or a neighbour or mirror closer
	 * than the window resolves): set, never cleared, by the measurement */
	int unmeasurable;
	double unmeasurable_cy_mm;  /* its recorded frequency */
	double unmeasurable_bound;  /* the upper bound of its visibility */
} meas_list_t;

/* Measure one channel's LED components into `list` (appended).  Isolated
 * components are read from their interpolated peak; components whose
 * window lobes overlap a neighbour's, their own mirror's (near a lattice's
 * Nyquist) or DC's (long beats) are fitted jointly: a linear least-squares
 * fit of every member's complex amplitude, with its mirror, and the
 * residual DC, at their expected frequencies, to the spectrum around them.
 * A component nearer than 1.5 bins of the patch to DC or to its own mirror
 * cannot be measured: when its visibility bound reaches ms->caution_at it
 * sets list->unmeasurable.  Two harmonics folded within 1.5 bins of each
 * other are one fringe on the picture and are measured as one.  `pad`
 * holds a (2n) × 2(n + 1) real array (in-place r2c). */
vpm_status_t vpm_fftsim_measure_channel(fft_ctx_t *fft, const meas_channel_t *ch,
					const meas_setup_t *ms, double *pad, meas_list_t *list);

/* Every peak of one channel's windowed spectrum whose modulation is at
 * least `min_modulation`, found without a lattice (a real frame measured
 * without its set-up): local maxima of the zero-padded spectrum, read as
 * isolated components, farther than 1.5 bins from DC; k = l = 0 and
 * aliased = 0 (not identified); visibility scored as the components'.
 * Appended to `list`; `pad` as for vpm_fftsim_measure_channel(). */
vpm_status_t vpm_fftsim_measure_peaks(fft_ctx_t *fft, const meas_channel_t *ch,
				      const meas_setup_t *ms, double min_modulation, double *pad,
				      meas_list_t *list);

/* The windowed spectrum in dB of one n × n image, fftshifted into
 * out[(y·n + x)·3 + colour].  `buf` holds n × 2(n/2 + 1) doubles. */
vpm_status_t vpm_fftsim_spectrum_db(fft_ctx_t *fft, const double *img, int stride, int n,
				    double *buf, float *out, int colour);

#endif
