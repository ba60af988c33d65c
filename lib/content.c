/* Content masking: the masking function and a content image's contrast. */
#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "error.h"
#include "vpmoire/content.h"
#include "vpmoire/pngio.h"

double vpm_content_masking(double m)
{
	/* Daly (1993) eq. 14.7 constants */
	const double k1 = 0.0153, k2 = 392.498, s = 0.7, b = 4.0;
	double t;

	if (!(m > 0.0) || !isfinite(m))
		return 1.0;
	t = k1 * pow(k2 * m, s);
	return pow(1.0 + pow(t, b), 1.0 / b);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define TILES 16

VPM_STATUS_FN(vpm_content_contrast,
	      (const float *px, int width, int height, int channels, double *contrast),
	      (px, width, height, channels, contrast))
{
	int nx, ny, n = 0;
	double c[TILES * TILES];

	if (!px || !contrast || width < 1 || height < 1 || (channels != 1 && channels != 3))
		return vpm_error(VPM_EINVAL, "content image: bad dimensions");
	nx = width / 8 < TILES ? (width / 8 > 0 ? width / 8 : 1) : TILES;
	ny = height / 8 < TILES ? (height / 8 > 0 ? height / 8 : 1) : TILES;
	for (int ty = 0; ty < ny; ty++)
		for (int tx = 0; tx < nx; tx++) {
			int x0 = (int)((long)tx * width / nx),
			    x1 = (int)((long)(tx + 1) * width / nx);
			int y0 = (int)((long)ty * height / ny),
			    y1 = (int)((long)(ty + 1) * height / ny);
			double sum = 0.0, sum2 = 0.0, cnt = 0.0, mean, var;

			for (int y = y0; y < y1; y++)
				for (int x = x0; x < x1; x++) {
					const float *p = px + ((size_t)y * width + x) * channels;
					/* Rec. 709 luminance of linear RGB */
					double Y = channels == 3 ? 0.2126 * p[0] + 0.7152 * p[1] +
									   0.0722 * p[2]
								 : p[0];

					if (!isfinite(Y))
						Y = 0.0;
					sum += Y;
					sum2 += Y * Y;
					cnt += 1.0;
				}
			mean = cnt > 0.0 ? sum / cnt : 0.0;
			var = cnt > 0.0 ? sum2 / cnt - mean * mean : 0.0;
			c[n++] = mean > 1e-9 && var > 0.0 ? sqrt(var) / mean : 0.0;
		}
	qsort(c, (size_t)n, sizeof c[0], cmp_double);
	*contrast = fmin(c[(int)floor(0.1 * (n - 1))], VPM_CONTENT_MAX_CONTRAST);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_content_contrast_png, (const char *path, double *contrast), (path, contrast))
{
	vpm_image_t *img = NULL;
	unsigned long w, h;
	vpm_status_t st = vpm_png_declared_size(path, &w, &h);

	/* bounded before decoding: the image is held as linear RGB floats and,
	 * while libpng decodes, 16-bit RGB too (18 bytes a pixel) */
	if (st == VPM_OK && (double)w * (double)h > VPM_CONTENT_MAX_PIXELS)
		return vpm_error(VPM_ELIMIT,
				 "%s: %lu x %lu pixels is more than the %.0f million a content "
				 "image may have (%.1f GB to decode): give a smaller copy",
				 path, w, h, VPM_CONTENT_MAX_PIXELS / 1e6,
				 VPM_CONTENT_MAX_PIXELS * 18.0 / 1e9);
	if (st == VPM_OK)
		st = vpm_png_read(path, 0, &img);
	if (st != VPM_OK)
		return st;
	st = vpm_content_contrast(img->pixels, img->width, img->height, img->channels, contrast);
	vpm_image_free(img);
	return st;
}
