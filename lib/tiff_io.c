/* Camera frames from TIFF files, as code values (libtiff). */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

#include "error.h"
#include "frameio.h"

/* libtiff reports through handlers; keep the last message (per thread). */
static _Thread_local char tiff_msg[200];

static void on_tiff_error(const char *module, const char *fmt, va_list ap)
{
	(void)module;
	vsnprintf(tiff_msg, sizeof tiff_msg, fmt, ap);
}

static void on_tiff_warning(const char *module, const char *fmt, va_list ap)
{
	(void)module;
	(void)fmt;
	(void)ap;
}

vpm_status_t vpm_tiff_read_codes(const char *path, int max_side, vpm_image_t **out)
{
	TIFF *tif;
	FILE *probe;
	uint32_t w = 0, h = 0;
	uint16_t bits = 0, spp = 0, planar = PLANARCONFIG_CONTIG, format = SAMPLEFORMAT_UINT;
	vpm_image_t *img = NULL;
	unsigned char *line = NULL;
	vpm_status_t st = VPM_OK;

	if (out == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "no TIFF file given");
	*out = NULL;
	if (max_side < 1 || max_side > VPM_PNG_MAX_SIDE)
		max_side = VPM_PNG_MAX_SIDE;
	probe = fopen(path, "rb");
	if (probe == NULL)
		return vpm_error_open(path, errno);
	fclose(probe);
	TIFFSetErrorHandler(on_tiff_error);
	TIFFSetWarningHandler(on_tiff_warning);
	tiff_msg[0] = '\0';
	tif = TIFFOpen(path, "r");
	if (tif == NULL)
		return vpm_error(VPM_EPARSE, "%s: not a readable TIFF (%s)", path, tiff_msg);
	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bits);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
	if (w == 0 || h == 0 || w > (uint32_t)max_side || h > (uint32_t)max_side) {
		st = vpm_error(VPM_ERANGE, "%s: %u x %u pixels is outside 1 ... %d a side", path,
			       (unsigned)w, (unsigned)h, max_side);
		goto done;
	}
	if ((bits != 8 && bits != 16) || (spp != 1 && spp != 3 && spp != 4) ||
	    format != SAMPLEFORMAT_UINT) {
		st = vpm_error(VPM_EPARSE,
			       "%s: %u-bit, %u samples per pixel, sample format %u: only 8 or "
			       "16-bit unsigned grey, RGB or RGBA TIFFs are read",
			       path, (unsigned)bits, (unsigned)spp, (unsigned)format);
		goto done;
	}
	if ((st = vpm_image_alloc((int)w, (int)h, 3, &img)) != VPM_OK) {
		st = vpm_error_prefix(st, "%s", path);
		goto done;
	}
	line = _TIFFmalloc(TIFFScanlineSize(tif));
	if (line == NULL) {
		st = vpm_error(VPM_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	for (int plane = 0; plane < (planar == PLANARCONFIG_SEPARATE ? spp : 1); plane++)
		for (uint32_t y = 0; y < h; y++) {
			if (TIFFReadScanline(tif, line, y, (uint16_t)plane) < 0) {
				st = vpm_error(VPM_EPARSE, "%s: corrupt TIFF at row %u (%s)", path,
					       (unsigned)y, tiff_msg);
				goto done;
			}
			for (uint32_t x = 0; x < w; x++) {
				int per = planar == PLANARCONFIG_SEPARATE ? 1 : spp;
				for (int s = 0; s < per; s++) {
					int chan = planar == PLANARCONFIG_SEPARATE ? plane : s;
					size_t i = (size_t)x * per + (size_t)s;
					double v = bits == 16
							   ? ((const uint16_t *)line)[i] / 65535.0
							   : line[i] / 255.0;
					float *px = img->pixels + ((size_t)y * w + x) * 3;
					if (spp == 1) {
						px[0] = px[1] = px[2] = (float)v;
					} else if (chan < 3) {
						px[chan] = (float)v;
					}
				}
			}
		}
done:
	if (line != NULL)
		_TIFFfree(line);
	TIFFClose(tif);
	if (st != VPM_OK) {
		vpm_image_free(img);
		return st;
	}
	*out = img;
	return VPM_OK;
}
