/* vpmoire — the LED lattice and its spatial spectrum (SPEC §2 steps 2, 4).
 *
 * A panel is a square lattice of pitch p.  In each cell every colour
 * channel emits from a square of side e (the light-emitting area of that
 * channel), centred at an offset from the cell centre.  With uniform
 * radiance inside the squares, the radiance relative to its mean has the
 * Fourier coefficients, at harmonic (k, l) of the lattice,
 *   c(k, l) = sinc(k·e/p)·sinc(l·e/p)·exp(−2πi·(k·dx + l·dy)/p),
 * so a harmonic with amplitude |c| is a cosine of modulation 2|c| once its
 * ± pair is added.  The predictor uses the neutral case (every channel the
 * same square, no offset); the offsets are here for renderers and for RGB
 * layouts.  Lengths in mm on the wall.
 *
 * (The catalog's vpm_panel_t, in catalog.h, is a catalog row; this is the
 * physical lattice.)
 */
#ifndef VPMOIRE_PANEL_H
#define VPMOIRE_PANEL_H

#include "vpmoire/status.h"
#include "vpmoire/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Channels are indexed by vpm_channel_t: luma (the white, neutral emitter),
 * red, blue.  A neutral panel has the same square in every slot. */
#define VPM_PANEL_CHANNELS 3

typedef struct {
	double pitch_mm;			/* lattice pitch p */
	double emitter_mm[VPM_PANEL_CHANNELS];	/* side of the emitting square */
	double offset_x_mm[VPM_PANEL_CHANNELS]; /* emitter centre − cell centre */
	double offset_y_mm[VPM_PANEL_CHANNELS];
} vpm_panel_lattice_t;

/* A neutral lattice: every channel a centred square of side emitter_mm. */
vpm_panel_lattice_t vpm_panel_lattice_neutral(double pitch_mm, double emitter_mm);

/* Check a lattice: pitch in [0.01, 100] mm, each emitter in (0, pitch),
 * each offset finite and keeping its square inside the cell.  VPM_EINVAL /
 * VPM_ERANGE with a message naming --pitch or --emitter. */
vpm_status_t vpm_panel_lattice_validate(const vpm_panel_lattice_t *lattice);

/* 1-D emitter factor |sinc(k·e/p)| of harmonic k (no unit). */
double vpm_panel_emitter_factor(double emitter_mm, double pitch_mm, int k);

/* |c(k, l)| of one channel: |sinc(k·e/p)·sinc(l·e/p)|.  0 for a channel
 * index outside 0 … 2. */
double vpm_panel_harmonic_amplitude(const vpm_panel_lattice_t *lattice, vpm_channel_t channel,
				    int k, int l);

/* The complex coefficient c(k, l) of one channel (see above): *re, *im. */
void vpm_panel_harmonic(const vpm_panel_lattice_t *lattice, vpm_channel_t channel, int k, int l,
			double *re, double *im);

/* Fraction of the cell area that emits in one channel, (e/p)². */
double vpm_panel_fill_fraction(const vpm_panel_lattice_t *lattice, vpm_channel_t channel);

/* Frequency of the LED fundamental on the sensor, 1/(p·m) cycles/mm, for
 * a wall imaged at magnification m. */
double vpm_panel_fundamental_cy_mm(double pitch_mm, double magnification);

/* Exact area fraction of the rectangle [x0, x1] × [y0, y1] (mm on the wall,
 * cell centres at multiples of the pitch) covered by the emitters of one
 * channel: a box-filtered, alias-free sample of the emitter pattern for
 * renderers.  The mean over a cell is the fill fraction.  A degenerate
 * rectangle gives the point value (0 or 1). */
double vpm_panel_coverage(const vpm_panel_lattice_t *lattice, vpm_channel_t channel, double x0,
			  double x1, double y0, double y1);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_PANEL_H */
