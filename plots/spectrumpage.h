/* vpmoire — the spectrum picture of `vpmoire simulate`: each colour's
 * spectrum in its own colour, the sampling zones and the measured moiré
 * and LED-grid components marked.
 *
 * Only draws: the spectrum, the components and the set-up arrive from the
 * FFT engine (lib/vpmoire/fftsim.h) through the caller (apps/cmd_simulate.c).
 */
#ifndef VPM_SPECTRUMPAGE_H
#define VPM_SPECTRUMPAGE_H

#include "vpmoire/fftsim.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write the spectrum of `sim` (dB per colour, 0 to -90) to the 8-bit RGB PNG
 * `path`, enlarged to at least 512 pixels a side, with the red/blue Nyquist
 * square and the green quincunx diamond of a Bayer CFA (from `s`), and, when
 * `content` is 0, rings on the measured moiré and grid components of `m`.
 * VPM_EINVAL (no spectrum), VPM_ENOMEM, VPM_EIO (from vpm_png_write). */
vpm_status_t vpm_spectrum_png(const char *path, const vpm_fftsim_t *sim, const vpm_setup_t *s,
			      const vpm_fftsim_result_t *m, int content);

#ifdef __cplusplus
}
#endif
#endif /* VPM_SPECTRUMPAGE_H */
