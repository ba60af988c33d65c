/* libFuzzer target: the PNG content reader of the FFT engine
 * (lib/png_io.c vpm_png_read, libpng underneath), as `vpmoire simulate
 * --content FILE` uses it (read-only use of lib/vpmoire/pngio.h).
 *
 * Input: a PNG file.  Sides are capped at 512 pixels here so that a header
 * claiming a huge image is refused (VPM_ERANGE) rather than allocated. */
#include <config.h>

#include "fuzz_common.h"
#include "vpmoire/pngio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vpm_image_t *img = NULL;
	vpm_status_t st;
	size_t i, n;

	st = vpm_png_read(fuzz_file(".png", data, size), 512, &img);
	if (st != VPM_OK) {
		FUZZ_ASSERT(img == NULL);
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(img != NULL && img->pixels != NULL);
	FUZZ_ASSERT(img->width >= 1 && img->width <= 512 && img->height >= 1 && img->height <= 512);
	FUZZ_ASSERT(img->channels == 3);
	n = (size_t)img->width * (size_t)img->height * (size_t)img->channels;
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(isfinite(img->pixels[i]) && img->pixels[i] >= -1e-6f &&
			    img->pixels[i] <= 1.0f + 1e-6f);
	vpm_image_free(img);
	return 0;
}
