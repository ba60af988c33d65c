/* vpmoire — PNG images in and out (libpng).
 *
 * Content for the FFT engine's wall is read from any PNG libpng reads
 * (grey, RGB, palette, 8 or 16 bits, with or without alpha) and decoded to
 * linear light: the file's sRGB or gAMA encoding is undone by libpng, and
 * transparent pixels are composited onto black (LEDs off).  Outputs are
 * written through vpm_atomic_* (temporary file, renamed when complete), as
 * 8- or 16-bit grey or RGB with an sRGB chunk: the caller encodes.
 */
#ifndef VPMOIRE_PNGIO_H
#define VPMOIRE_PNGIO_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A floating-point image in linear light, rows top to bottom, channels
 * interleaved (1 = grey, 3 = RGB), values nominally in [0, 1]. */
typedef struct {
	int width, height, channels;
	float *pixels; /* width × height × channels */
} vpm_image_t;

/* Largest width or height read or written, in pixels. */
#define VPM_PNG_MAX_SIDE 65536

/* Allocate a zeroed image.  VPM_EINVAL (sides not in 1 … VPM_PNG_MAX_SIDE,
 * channels not 1 or 3), VPM_ELIMIT when width × height × channels
 * overflows (a size refusal, as every other), VPM_ENOMEM.  *out is NULL on failure; free with vpm_image_free(). */
vpm_status_t vpm_image_alloc(int width, int height, int channels, vpm_image_t **out);

/* NULL is a no-op. */
void vpm_image_free(vpm_image_t *image);

/* Read a PNG into a linear RGB image (3 channels; grey files are expanded).
 * VPM_ENOTFOUND (no such file), VPM_EIO (unreadable), VPM_EPARSE (not a
 * PNG or corrupt; the message carries libpng's reason), VPM_ERANGE (a side
 * larger than `max_side`, at most VPM_PNG_MAX_SIDE), VPM_ELIMIT (a size that
 * overflows), VPM_ENOMEM.  Messages
 * start with the path.  *out is NULL on failure. */
vpm_status_t vpm_png_read(const char *path, int max_side, vpm_image_t **out);

/* The width and height a PNG declares in its IHDR chunk (the first chunk,
 * right after the 8-byte signature), read without decoding anything, so a
 * small file claiming a huge image can be refused before memory is spent
 * on it.  VPM_ENOTFOUND, VPM_EIO (unreadable), VPM_EPARSE (not a PNG);
 * messages start with the path. */
vpm_status_t vpm_png_declared_size(const char *path, unsigned long *width, unsigned long *height);

/* Write `pixels` (width × height × channels samples, rows top to bottom;
 * uint8_t when bit_depth is 8, native-endian uint16_t when 16) as a PNG
 * with an sRGB chunk.  channels 1 (grey) or 3 (RGB).  VPM_EINVAL (bad
 * arguments), VPM_EIO (the file cannot be written; nothing is left under
 * `path`), VPM_ENOMEM. */
vpm_status_t vpm_png_write(const char *path, int width, int height, int channels, int bit_depth,
			   const void *pixels);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_PNGIO_H */
