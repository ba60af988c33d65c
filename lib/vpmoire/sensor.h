/* vpmoire — sampling: CFA channels, folds, recording and delivery stages
 * (SPEC §2 steps 5–6).
 *
 * A channel is a wavelength and a square sampling lattice: luma at 555 nm
 * on the photosite pitch a (a white-balanced mosaic of neutral wall content
 * samples luminance at every photosite); with a Bayer CFA also red (625 nm)
 * and blue (465 nm) on the lattice of pitch 2a, whose reciprocal lattice
 * holds every Bayer colour carrier.  A frequency folds into a lattice's
 * zone per axis: ν′ = ν − n/P, n = lround(ν·P).  Later stages (in-camera
 * recording, delivery) first average over their own pixel (a continuous
 * box, |sinc(P·ν)| per axis) and then fold on their pitch.  Frequencies in
 * cycles/mm on the sensor, pitches in mm.
 */
#ifndef VPMOIRE_SENSOR_H
#define VPMOIRE_SENSOR_H

#include "vpmoire/status.h"
#include "vpmoire/types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	vpm_channel_t channel;
	double wavelength_nm; /* 555, 625 or 465 */
	double lattice_mm;    /* first sampling pitch: a (luma) or 2a (red, blue) */
	double weight;	      /* w_c of SPEC §2 step 9 */
} vpm_sensor_channel_t;

/* Wavelength of a channel in nm (555, 625, 465); 0 for NONE. */
double vpm_sensor_wavelength_nm(vpm_channel_t channel);

/* Visibility weight w_c: 1 for luma; red/blue 1 with `full`, 0.2126 and
 * 0.0722 (their Rec. 709 luminance share) with `luma`. */
double vpm_sensor_weight(vpm_channel_t channel, vpm_chroma_t chroma);

/* The channels a CFA samples, in out[0 … n−1] (luma first); returns n:
 * 3 for Bayer, 1 for mono, 0 for an unknown CFA. */
int vpm_sensor_channels(vpm_cfa_t cfa, double photosite_mm, vpm_chroma_t chroma,
			vpm_sensor_channel_t out[3]);

/* Fold one axis onto a lattice of pitch P: returns ν − n/P with
 * n = lround(ν·P) (halves away from zero), and stores n in *n (may be
 * NULL). */
double vpm_sensor_fold(double nu_cy_mm, double pitch_mm, long *n);

/* The sampling stages one channel goes through. */
#define VPM_SENSOR_STAGES 3
typedef struct {
	int n_stages;			    /* 1 … 3 */
	double pitch_mm[VPM_SENSOR_STAGES]; /* stage 0: the channel lattice */
	int box[VPM_SENSOR_STAGES];	    /* 1: resampling filter before the fold */
	vpm_resample_t kernel;		    /* that filter (VPM_RESAMPLE_BOX by default) */
} vpm_sensor_chain_t;

/* Transfer function H(ξ) of a resampling kernel at ξ = ν·P cycles per
 * output pixel, the kernel stretched to the output pitch P as a resizer
 * does when it reduces (DC gain 1, signed):
 *   box        sinc(ξ), the area average;
 *   bicubic    Keys (1981) cubic convolution, a = −0.5 (IEEE Trans. ASSP
 *              29(6), 1153–1160; FFmpeg's and Pillow's "bicubic");
 *   lanczos3   sinc(x)·sinc(x/3) on |x| < 3 (Duchon 1979, J. Appl. Meteor.
 *              18, 1016; Turkowski 1990, Graphics Gems I; ImageMagick's
 *              default for reductions, FFmpeg's "lanczos").
 * The last two are tabulated once (thread-safe) from their kernels by
 * Gauss–Legendre quadrature; |error| < 1e-6.  VPM_RESAMPLE_AUTO is box. */
double vpm_sensor_resample_transfer(vpm_resample_t kernel, double xi);

/* "box", "bicubic", "lanczos3" ("auto" for AUTO); NULL if unknown. */
const char *vpm_resample_name(vpm_resample_t kernel);

/* Parse a kernel name (case-insensitive; also "auto").  VPM_EINVAL with a
 * message listing the names otherwise. */
vpm_status_t vpm_resample_parse(const char *name, vpm_resample_t *out);

/* As vpm_sensor_chain_init(), with the given resampling kernel for the
 * recording and delivery stages (AUTO means box). */
vpm_status_t vpm_sensor_chain_init_kernel(vpm_sensor_chain_t *chain, double lattice_mm,
					  double photosite_mm, int width_px, int recording_px,
					  int delivery_px, vpm_resample_t kernel);

/* Stages of one channel: its lattice, then in-camera recording at
 * P = W/recording_px when 0 < recording_px < width_px, then delivery at
 * P = W/delivery_px when 0 < delivery_px < the previous stage's pixel
 * count; W = width_px·photosite_mm.  VPM_EINVAL for non-positive lattice,
 * photosite or width, or negative pixel counts. */
vpm_status_t vpm_sensor_chain_init(vpm_sensor_chain_t *chain, double lattice_mm,
				   double photosite_mm, int width_px, int recording_px,
				   int delivery_px);

/* One axis through a chain: returns the final frequency, multiplies *gain
 * by each box's |sinc(P·ν)| (at the frequency entering that stage) and
 * sets *moved to 1 when any fold moved it (n ≠ 0), else leaves it. */
double vpm_sensor_chain_axis(const vpm_sensor_chain_t *chain, double nu_cy_mm, double *gain,
			     int *moved);

/* Both axes: final (fx, fy), the box gain product and the aliased flag. */
void vpm_sensor_chain_apply(const vpm_sensor_chain_t *chain, double nu_x_cy_mm, double nu_y_cy_mm,
			    double *fx, double *fy, double *gain, int *aliased);

/* Period in photosites of a fringe at frequency ν on a sensor of pitch a:
 * 1/(|ν|·a); INFINITY for ν = 0. */
double vpm_sensor_period_px(double nu_cy_mm, double photosite_mm);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_SENSOR_H */
