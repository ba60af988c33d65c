/* Private: camera frames read as code values (lib/png_io.c, lib/tiff_io.c). */
#ifndef VPM_PRIVATE_FRAMEIO_H
#define VPM_PRIVATE_FRAMEIO_H

#include "vpmoire/pngio.h"

/* Whether the n bytes at b begin with the PNG signature (libpng's
 * png_sig_cmp: the 8 bytes of the PNG specification, section 5.2). */
int vpm_png_has_signature(const unsigned char *b, size_t n);

/* A PNG's samples as stored, with no transfer function undone: grey
 * expanded to RGB, palettes expanded, alpha dropped, each sample over
 * 2^bits − 1.  Statuses as vpm_png_read(). */
vpm_status_t vpm_png_read_codes(const char *path, int max_side, vpm_image_t **out);

/* The same for a TIFF (libtiff): 8 or 16-bit unsigned samples, 1, 3 or 4
 * per pixel (the fourth ignored), contiguous or separate planes.
 * VPM_EPARSE names what is not read. */
vpm_status_t vpm_tiff_read_codes(const char *path, int max_side, vpm_image_t **out);

#endif
