/* vpmoire — camera transfer functions: code values of an exported frame
 * back to linear light, for measuring real camera frames (issue 15).
 *
 * Only curves whose maker publishes the formula are here, each cited in
 * lib/transfer.c: linear, ITU-R BT.709, Sony S-Log3 and sRGB.  ARRI LogC4 and
 * Blackmagic Film are left out until their published formulas are cited.
 * Code values are normalised full range, 0 … 1 (code / (2^bits − 1)).
 */
#ifndef VPMOIRE_TRANSFER_H
#define VPMOIRE_TRANSFER_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VPM_TRANSFER_LINEAR = 0, /* code = linear light */
	VPM_TRANSFER_BT709,	 /* ITU-R BT.709-6 OETF */
	VPM_TRANSFER_SLOG3,	 /* Sony S-Log3 */
	VPM_TRANSFER_SRGB	 /* IEC 61966-2-1 sRGB (stills, `vpmoire simulate`'s PNGs) */
} vpm_transfer_t;

/* "linear", "bt709", "slog3", "srgb"; VPM_EPARSE naming the choices for anything
 * else (including NULL). */
vpm_status_t vpm_transfer_parse(const char *text, vpm_transfer_t *out);

/* The name vpm_transfer_parse() accepts; "unknown" for a bad value. */
const char *vpm_transfer_name(vpm_transfer_t transfer);

/* Linear scene light (1 = the curve's reference white; S-Log3: scene
 * reflectance, 0.18 = 18% grey) of a normalised full-range code value.
 * NaN in, NaN out; an unknown curve gives NaN. */
double vpm_transfer_to_linear(vpm_transfer_t transfer, double code);

/* The inverse: the code value a camera would record for linear light
 * (what simulated test frames are encoded with).  NaN for an unknown curve. */
double vpm_transfer_from_linear(vpm_transfer_t transfer, double linear);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_TRANSFER_H */
