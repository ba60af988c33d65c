/* vpmoire — the FFT engine: what the camera records, simulated (SPEC §3).
 *
 * A square patch of the frame, n × n photosites, is rendered on a grid
 * `supersample` times finer than the photosites: the wall's emitters with
 * their size, shape and RGB layout, the wall at any yaw and pitch to the
 * camera, the camera rolled, and optional content shown on the wall at one
 * content pixel per LED.  Each grid sample is the emitter pattern averaged
 * by a tent (a box of one sample convolved with itself) around the
 * sample's point on the wall: exact for square emitters, and its sinc²
 * response keeps LED harmonics near the grid's sampling frequency from
 * folding onto the moiré (its in-band response is divided out).  A margin
 * around the patch holds the blur; beyond the blur radius the wall fades
 * to its mean light so the periodic grid's seam stays out of the patch.
 *
 * Each colour is convolved by FFT (FFTW) with the lens PSF computed from
 * the pupil by FFT (defocus W020 = c/(8Nλ) from the local wall distance,
 * diffraction, optional spherical aberration W040; a wall at an angle is
 * cut into depth slices 0.25 wave apart, each with its PSF), the four-spot
 * OLPF and the photosite aperture.  The scene's spectrum is a real-to-
 * complex FFT of the grid (or, for a white wall square to the camera, the
 * product of two 1-D FFTs: the scene is a(x)·b(y)); the PSF's is a DCT-I
 * of its quarter (the PSF is even in x and y); and the photosite samples
 * come from the product folded onto the photosite-rate grid and one small
 * inverse FFT (sampling every ss-th grid sample is that fold).  Then the
 * CFA, demosaicing, optional resampling to the recording and delivery
 * widths, and the measurement: the spectrum of each channel on its own
 * samples (luma on the full mosaic, red and blue on their sub-lattices,
 * before demosaicing), its LED components located, and their modulation,
 * frequency and visibility computed exactly as SPEC §2 steps 8–10 do.
 *
 * Conventions.  Sensor coordinates x to the right, y down, in mm from the
 * optical axis, as the picture is seen (the lens's inversion is undone).
 * The wall's yaw turns its right side away from the camera for positive
 * angles, its pitch turns its top away; roll as SPEC §2 (LED harmonic
 * (k, l) lands at ν0·R(θ)·(k, l)).  Signed blur: positive when the wall is
 * beyond the focused distance.  Wavelengths: red 625 nm, green (and mono)
 * 555 nm, blue 465 nm, as the predictor's channels.
 *
 *   vpm_fftsim_t *sim = vpm_fftsim_alloc();
 *   vpm_fftsim_options_t o = vpm_fftsim_options_default();
 *   vpm_fftsim_result_t r;
 *   if (vpm_fftsim_run(sim, &setup, &o, &r) != VPM_OK) puts(vpm_error_message());
 *   vpm_fftsim_free(sim);
 */
#ifndef VPMOIRE_FFTSIM_H
#define VPMOIRE_FFTSIM_H

#include <stddef.h>
#include <stdint.h>

#include "vpmoire/pngio.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VPM_EMITTER_SQUARE = 0, /* side e (the SPEC's emitter) */
	VPM_EMITTER_ROUND	/* disc of diameter e */
} vpm_emitter_shape_t;

typedef enum {
	VPM_RGB_COINCIDENT = 0, /* the three chips on top of each other (the SPEC's model) */
	VPM_RGB_ROW,		/* red, green, blue in a horizontal row, chip_spacing apart */
	VPM_RGB_DELTA /* a triangle of side chip_spacing (red and green above, blue below) */
} vpm_rgb_layout_t;

typedef enum {
	VPM_DEMOSAIC_BILINEAR = 0,
	VPM_DEMOSAIC_HAMILTON_ADAMS /* edge-aware: gradient-steered green, colour differences */
} vpm_demosaic_t;

typedef enum {
	VPM_PLANNER_MEASURE = 0, /* FFTW_MEASURE, kept as wisdom */
	VPM_PLANNER_ESTIMATE	 /* FFTW_ESTIMATE: no planning time (tests) */
} vpm_planner_t;

/* Largest patch side in photosites and supersampling factor accepted. */
#define VPM_FFTSIM_MAX_PATCH 32768
#define VPM_FFTSIM_MAX_SUPERSAMPLE 64

/* Options of one simulation.  Start from vpm_fftsim_options_default();
 * fields are only ever added at the end. */
typedef struct {
	double yaw_deg;	   /* wall yaw (0); |yaw| < 80 */
	double pitch_deg;  /* wall pitch angle (0); |pitch| < 80 */
	int patch_px;	   /* photosites across and down the patch (512), even */
	int supersample;   /* grid samples per photosite; 0 = automatic (see below) */
	double patch_x_px; /* patch centre from the frame centre, photosites (0) */
	double patch_y_px;
	vpm_emitter_shape_t shape;  /* square */
	vpm_rgb_layout_t layout;    /* coincident */
	double chip_spacing_mm;	    /* centre distance of the chips; 0 = 1.5 × emitter */
	double spherical_waves;	    /* W040 at 555 nm, waves (0) */
	vpm_demosaic_t demosaic;    /* bilinear */
	const vpm_image_t *content; /* linear RGB shown on the wall, one pixel per LED,
				       centred on the patch; NULL = a white wall */
	size_t max_memory_bytes;    /* refuse above this estimate (4 GiB) */
	vpm_planner_t planner;	    /* measure */
	int threads;		    /* FFTW/OpenMP threads; 0 = all processors */
	const char *wisdom_path;    /* FFTW wisdom file read and updated; NULL = none */
} vpm_fftsim_options_t;

/* Defaults above.  Automatic supersampling: the grid has at least 8
 * samples per photosite and per LED pitch (8 × max(1, a/(p·m))), rounded
 * up to an even number with no prime factor above 7: its Nyquist frequency
 * is 8× the photosite Nyquist and 4× the LED fundamental (doubling it
 * changes the measured moiré of the reference stage by 0.05%), and the lens
 * PSF is computed on a finer pupil grid when the optical cut-off lies
 * beyond it. */
vpm_fftsim_options_t vpm_fftsim_options_default(void);

/* Sizes and memory of a simulation, computed without allocating. */
typedef struct {
	int patch_px;	     /* photosites across the patch */
	int margin_px;	     /* rendered around it so blur does not wrap */
	int supersample;     /* grid samples per photosite */
	int grid_n;	     /* FFT grid side (samples) */
	int psf_n;	     /* PSF window side (grid samples) */
	int psf_fine;	     /* the pupil FFT's refinement factor (≥ 1) */
	int n_psf;	     /* PSFs per colour (wall depth range / 0.25 wave) */
	int colours;	     /* rendered colours: 3 (Bayer) or 1 (mono) */
	int recorded_px;     /* side of the recorded patch after recording/delivery */
	double sample_um;    /* grid sample pitch on the sensor */
	size_t memory_bytes; /* estimate of everything the run allocates */
} vpm_fftsim_size_t;

/* Validate the set-up and options and size the simulation.  VPM_EINVAL /
 * VPM_ERANGE / VPM_EGEOMETRY (a message naming the field or flag),
 * VPM_ELIMIT when a size overflows or the grid would exceed 2^20 samples
 * a side (a size refusal, bad input as the memory limit is).  Does not
 * check max_memory_bytes. */
vpm_status_t vpm_fftsim_estimate(const vpm_setup_t *setup, const vpm_fftsim_options_t *opt,
				 vpm_fftsim_size_t *out);

/* What a simulation measured (SPEC §4 field names, measured) and facts
 * about the run. */
typedef struct {
	double moire_visibility, moire_modulation, moire_beat_cy_mm, moire_cy_deg;
	vpm_channel_t moire_channel; /* VPM_CHANNEL_NONE when no aliased component */
	double grid_visibility, grid_modulation, grid_cy_mm, grid_cy_deg;
	vpm_channel_t grid_channel;
	vpm_risk_t risk;
	size_t n_top; /* strongest measured components, by visibility */
	vpm_component_t top[VPM_TOP_COMPONENTS];
	/* the run */
	vpm_fftsim_size_t size;
	double magnification;	 /* v_f / s at the patch centre's wall point */
	double led_pitch_px;	 /* LED image pitch at the patch centre, photosites (x axis) */
	double wall_m;		 /* sensor-plane distance of the patch centre's wall point */
	double blur_mm;		 /* signed blur-circle diameter there */
	double defocus_waves;	 /* |W020| at 555 nm there */
	double final_pitch_mm;	 /* pixel pitch of the recorded patch (a, or recording/delivery) */
	double bin_cy_mm;	 /* one FFT bin of the measured luma patch, 1/(n·P) */
	double exposure;	 /* linear scale that put the patch mean at 18% */
	double clipped_fraction; /* share of recorded samples at or above 1 after exposure */
	double seconds;		 /* wall-clock time of the run */
	double fft_seconds;	 /* of which inside FFTW */
	int n_fft;		 /* FFTs executed */
	/* A component that could reach the caution threshold (its upper
	 * bound: a perfect lens at the patch's defocus) but cannot be
	 * measured in this patch: its beat is longer than the patch resolves
	 * (under 1.5 periods), or it and its own mirror (near a lattice's
	 * Nyquist) fall closer than the window tells apart.  The verdict is then never SAFE: RISKY, by the
	 * predictor's rule for a visibility it cannot compute. */
	int unmeasurable;
	double unmeasurable_cy_mm; /* its recorded frequency (NaN when none) */
	/* Walls at an angle chirp each component across the patch; they are
	 * also measured over tiles (3 × 3, half the patch a side, overlapping
	 * by half), each with the wall's mapping at its own centre.
	 * n_tiles = 0 for a wall square to the camera.  The verdict is the
	 * worst of the whole patch and the tiles. */
	int n_tiles;
	struct {
		double x_px, y_px; /* tile centre from the patch centre, photosites */
		int side_px;	   /* on the measured luma samples */
		double moire_visibility, moire_modulation, moire_beat_cy_mm;
		vpm_risk_t risk;
	} tile[9];
	int worst_tile;	 /* index of the tile of largest moiré visibility (−1 none) */
	int centre_tile; /* index of the tile on the patch centre (−1 none) */
} vpm_fftsim_result_t;

typedef struct vpm_fftsim vpm_fftsim_t;

/* An engine: FFTW plans (made once per size, kept between runs), buffers
 * and the images of the last run.  NULL with a message when out of memory.
 * One engine per thread. */
vpm_fftsim_t *vpm_fftsim_alloc(void);
void vpm_fftsim_free(vpm_fftsim_t *sim); /* NULL is a no-op */

/* Simulate one set-up (the predictor's vpm_setup_t: equipment, stop,
 * wall, focus, roll, recording/delivery and viewer; its tolerance is not
 * used: the simulation is one exact lens at one exact distance).
 * With content on the wall the measured components include the content's
 * own structure near the LED frequencies: measure the wall on a white wall
 * (content NULL) and show the content in the images.
 * Statuses of vpm_fftsim_estimate(), VPM_ELIMIT when the memory estimate
 * exceeds opt->max_memory_bytes (the message gives the estimate and the
 * grid), VPM_ENOMEM.  Wisdom is read from and written to
 * opt->wisdom_path when given; failing to do either is not an error. */
vpm_status_t vpm_fftsim_run(vpm_fftsim_t *sim, const vpm_setup_t *setup,
			    const vpm_fftsim_options_t *opt, vpm_fftsim_result_t *out);

/* Simulate as vpm_fftsim_run(), the wall's moiré measured without its
 * content: with opt->content, a run on the white wall gives the
 * measurements, then a run with the content gives the images (and
 * out->exposure, out->clipped_fraction); out->seconds, fft_seconds and
 * n_fft add up both runs.  Statuses of vpm_fftsim_run(). */
vpm_status_t vpm_fftsim_run_content(vpm_fftsim_t *sim, const vpm_setup_t *setup,
				    const vpm_fftsim_options_t *opt, vpm_fftsim_result_t *out);

/* Whether a simulation sized `sz` (vpm_fftsim_estimate()) fits
 * opt->max_memory_bytes, together with its content image (opt->content;
 * only its size is read): 18 bytes a pixel while the PNG is decoded, 12
 * kept through the run.  VPM_ELIMIT with the sizes, naming the content
 * image `content_name` and the flags that change them (--patch,
 * --supersample, --max-memory); VPM_EINVAL. */
vpm_status_t vpm_fftsim_check_memory(const vpm_fftsim_options_t *opt, const vpm_fftsim_size_t *sz,
				     const char *content_name);

/* The largest side of a content PNG vpm_fftsim_prepare() reads, in pixels. */
#define VPM_FFTSIM_MAX_CONTENT_SIDE 16384

/* Ready a run of `setup` as `vpmoire simulate` does, refusing what does
 * not fit before the large work.  With a content PNG `content_path` (NULL:
 * a white wall) its size is read from its header, so that
 * vpm_fftsim_estimate() and vpm_fftsim_check_memory() count it before any
 * pixel is decoded (a file without a usable header is decoded at once,
 * for the reader's message); then the PNG is decoded (at most
 * VPM_FFTSIM_MAX_CONTENT_SIDE a side) into *content (vpm_image_free();
 * NULL without content or on failure), set as opt->content, and its
 * masking contrast (vpm_content_contrast()) stored in
 * setup->content_contrast.  Statuses of those functions; the reader's and
 * the contrast's messages after "--content: "; VPM_EINVAL when the file
 * changed size between its header and its decoding, or for NULL. */
vpm_status_t vpm_fftsim_prepare(vpm_setup_t *setup, vpm_fftsim_options_t *opt,
				const char *content_path, vpm_image_t **content);

/* The predictor's verdict beside a simulation of `setup`: vpm_predict() on
 * the perfect lens at the exact distance the simulation renders
 * (tolerance 0), or with setup->tolerance when `keep_tolerance` (the user
 * gave one).  *tolerance (may be NULL) receives the tolerance used.
 * Statuses of vpm_predict(); VPM_ENOMEM; VPM_EINVAL for NULL. */
vpm_status_t vpm_fftsim_predict(const vpm_setup_t *setup, int keep_tolerance, vpm_result_t *out,
				double *tolerance);

/* Write the last run's recorded patch (vpm_fftsim_recorded_u16()) as a
 * 16-bit RGB PNG to `recorded` and its contrast-stretched view
 * (vpm_fftsim_stretched_u8()) as an 8-bit one to `stretched`; *zoom (may
 * be NULL) receives the view's magnification.  Statuses of those
 * functions and vpm_png_write(); VPM_ENOMEM; VPM_EINVAL before a run. */
vpm_status_t vpm_fftsim_write_pngs(const vpm_fftsim_t *sim, const char *recorded,
				   const char *stretched, int *zoom);

/* The FFTW wisdom file simulations keep by default:
 * $XDG_CACHE_HOME/vpmoire/fftw-wisdom when XDG_CACHE_HOME is an absolute
 * path, else $HOME/.cache/vpmoire/fftw-wisdom; the directories are made
 * when missing.  A new string (free()), or NULL when neither variable is
 * an absolute path, the folder cannot be made, or out of memory: the run
 * then keeps no wisdom. */
char *vpm_fftsim_wisdom_path(void);

/* The images of the last successful run (NULL before one; owned by the
 * engine, valid until the next run or vpm_fftsim_free()). */

/* Irradiance sampled at the photosite centres of one colour (0 red,
 * 1 green, 2 blue; 0 only for mono), before the CFA: n × n, *n_px = n. */
const double *vpm_fftsim_plane(const vpm_fftsim_t *sim, int colour, int *n_px);

/* The raw mosaic (white-balanced, so a neutral wall reads the same in
 * every colour): n × n. */
const double *vpm_fftsim_mosaic(const vpm_fftsim_t *sim, int *n_px);

/* The samples a channel is measured on, after any recording and delivery
 * resampling: luma = the full mosaic, red/blue = their sub-lattices.
 * *n_px × *n_px samples of pitch *pitch_mm.  NULL for a channel the CFA
 * does not have. */
const double *vpm_fftsim_channel(const vpm_fftsim_t *sim, vpm_channel_t channel, int *n_px,
				 double *pitch_mm);

/* The recorded patch: demosaiced, resampled, linear RGB, interleaved,
 * *n_px × *n_px × 3, scaled so a white wall's mean is 1. */
const double *vpm_fftsim_recorded(const vpm_fftsim_t *sim, int *n_px);

/* Fill `out` (n × n × 3, n = recorded side) with the recorded patch as
 * 16-bit sRGB, exposed so the patch mean is 18% grey (what a DP would see).
 * VPM_EINVAL before a run. */
vpm_status_t vpm_fftsim_recorded_u16(const vpm_fftsim_t *sim, uint16_t *out);

/* Fill `out` (n × n × 3) with the contrast-stretched view, made so the
 * moiré is easy to see: each colour's deviation from its mean, relative to
 * the mean; the resolved LED-grid components (the measured non-aliased
 * ones) subtracted by a least-squares sinusoid fit at their measured
 * frequencies, so what remains is the beat; one scale for all colours,
 * the 99.5th percentile of what remains (never below a modulation of 0.003,
 * twice the eye's best threshold, so a patch without visible moiré stays
 * near mid-grey) at full scale; mid-grey is no contrast, colour is colour moiré.  The centre
 * of the patch is magnified by an integer factor (1 … 8, stored in *zoom,
 * may be NULL) so the moiré's period spans at least 24 view pixels.
 * VPM_EINVAL before a run; VPM_ENOMEM. */
vpm_status_t vpm_fftsim_stretched_u8(const vpm_fftsim_t *sim, uint8_t *out, int *zoom);

/* The spectrum of the recorded patch: n × n × 3 (red, green, blue), the
 * modulation of each bin in dB (20·log10, 0 dB = modulation 1, floor −160),
 * Blackman–Harris windowed, DC at (n/2, n/2), frequency (i − n/2)/(n·P)
 * cy/mm along x (columns) and y (rows), P = result.final_pitch_mm. */
const float *vpm_fftsim_spectrum(const vpm_fftsim_t *sim, int *n_px);

/* Every LED component the last run measured (all channels, in no
 * particular order); *n receives the count.  NULL before a run. */
const vpm_component_t *vpm_fftsim_components(const vpm_fftsim_t *sim, size_t *n);

/* Run the FFTs of the last run again, on their own (same plans, same
 * sizes, same count, on zeroed buffers), and return the wall-clock and the
 * process CPU time they take (cpu_seconds may be NULL): the benchmark's
 * yardstick.  The run's images stay valid.  VPM_EINVAL before a run. */
vpm_status_t vpm_fftsim_time_ffts(vpm_fftsim_t *sim, double *seconds, double *cpu_seconds);

/* "bilinear" / "hamilton-adams"; parse accepts also "ha" and "edge".
 * VPM_EPARSE naming the choices. */
const char *vpm_fftsim_demosaic_name(vpm_demosaic_t method);
vpm_status_t vpm_fftsim_parse_demosaic(const char *text, vpm_demosaic_t *method);

/* The emitter shapes "square" / "round", the chip layouts "coincident" /
 * "row" / "delta" and the FFTW planners "measure" / "estimate" by name
 * (ASCII case-insensitive).  VPM_EPARSE "'TEXT': use square or round" (the
 * choices of each), VPM_EINVAL for NULL. */
const char *vpm_fftsim_shape_name(vpm_emitter_shape_t shape);
vpm_status_t vpm_fftsim_parse_shape(const char *text, vpm_emitter_shape_t *shape);
const char *vpm_fftsim_layout_name(vpm_rgb_layout_t layout);
vpm_status_t vpm_fftsim_parse_layout(const char *text, vpm_rgb_layout_t *layout);
vpm_status_t vpm_fftsim_parse_planner(const char *text, vpm_planner_t *planner);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_FFTSIM_H */
