/* vpmoire — what the wall shows: contrast masking by the content (field
 * model, doc/model.md §6).
 *
 * A pattern is harder to see on a busy picture than on a flat sky.  The
 * field model divides a component's sensitivity by the threshold elevation
 * of a masker of the content's contrast (Daly 1993, "The visible
 * differences predictor", in Digital Images and Human Vision, MIT Press,
 * ch. 14, masking function eq. 14.7; slope from Legge & Foley 1980, JOSA
 * 70(12) 1458–1471).  The default is a flat field (no masking): the safe
 * side.
 */
#ifndef VPMOIRE_CONTENT_H
#define VPMOIRE_CONTENT_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Threshold elevation (≥ 1) for a masker of contrast m in threshold units
 * (its contrast times the CSF at the pattern's frequency):
 *   E(m) = (1 + (k1·(k2·m)^s)^b)^(1/b),  k1 = 0.0153, k2 = 392.498,
 *   s = 0.7, b = 4 (Daly 1993 eq. 14.7 constants; s = 0.7 is the
 *   Legge–Foley slope).  E(0) = 1; non-finite or negative m gives 1. */
double vpm_content_masking(double masker_threshold_units);

/* The most pixels a content image may have: 64 million, above the largest
 * LED volume in our sources (the Toei stage, 19200 x 3200 = 61 million
 * pixels); decoding takes 18 bytes a pixel (1.2 GB at the limit). */
#define VPM_CONTENT_MAX_PIXELS 64e6

/* The largest content contrast a set-up takes (content_contrast, --content
 * C), a bound on the input rather than a measured value: RMS contrast is
 * std(Y)/mean(Y), and a tile reaches 10 only when it is nearly black with
 * a few bright pixels (one lit pixel among N gives sqrt(N - 1): 10 at
 * N = 101), which is no masker.  Contrasts measured from a picture are
 * capped here; larger given ones are refused (vpm_setup_validate()). */
#define VPM_CONTENT_MAX_CONTRAST 10.0

/* The RMS luminance contrast of a planned content image where the pattern
 * shows first: the image (linear light, Rec. 709 luminance) is cut into
 * 16 × 16 tiles (fewer for small images, each at least 8 pixels), each
 * tile's contrast is std(Y)/mean(Y) (0 for a black tile), and the 10th
 * percentile over tiles is returned (the flat areas, not the average),
 * at most VPM_CONTENT_MAX_CONTRAST.
 * VPM_ELIMIT, before anything is decoded, for an image of more than
 * VPM_CONTENT_MAX_PIXELS; else the status of vpm_png_read() (messages
 * start with the path). */
vpm_status_t vpm_content_contrast_png(const char *path, double *contrast);

/* The same from an image already read (1 or 3 channels). */
vpm_status_t vpm_content_contrast(const float *pixels, int width, int height, int channels,
				  double *contrast);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_CONTENT_H */
