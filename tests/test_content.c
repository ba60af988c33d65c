/* Content masking (lib/content.c): Daly's masking function and the
 * contrast of a planned content image.  Expected values by hand:
 * python3 -c "k1,k2,s,b=0.0153,392.498,0.7,4;
 *   print((1+(k1*(k2*m)**s)**b)**(1/b))" for m = 1, 10, 0.1. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/content.h"
#include "vpmoire/pngio.h"

TestSuite(content, .fini = tu_cleanup_tmpdir);

Test(content, daly_masking_function)
{
	cr_assert_eq(vpm_content_masking(0.0), 1.0);
	cr_assert_float_eq(vpm_content_masking(1.0), 1.1897247198404057, 1e-12);
	cr_assert_float_eq(vpm_content_masking(10.0), 5.018211823227479, 1e-12);
	cr_assert_float_eq(vpm_content_masking(0.1), 1.0003973669416737, 1e-12);
	/* far above threshold it rises with the Legge–Foley slope 0.7 */
	cr_assert_float_eq(log(vpm_content_masking(1e4) / vpm_content_masking(1e3)) / log(10.0),
			   0.7, 1e-6);
	cr_assert_eq(vpm_content_masking(NAN), 1.0);
	cr_assert_eq(vpm_content_masking(INFINITY), 1.0);
	cr_assert_eq(vpm_content_masking(-1.0), 1.0);
}

/* A flat image has no contrast; stripes of 0 and 1 have std/mean = 1 in
 * every tile; an image whose left half is flat and right half striped has
 * its flat tiles as the 10th percentile: 0. */
Test(content, contrast_of_images)
{
	const int w = 256, h = 128;
	float *px = malloc((size_t)w * h * 3 * sizeof *px);
	double c;

	cr_assert_not_null(px);
	for (int i = 0; i < w * h * 3; i++)
		px[i] = 0.4f;
	cr_assert_eq(vpm_content_contrast(px, w, h, 3, &c), VPM_OK);
	cr_assert_float_eq(c, 0.0, 1e-12);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int k = 0; k < 3; k++)
				px[((size_t)y * w + x) * 3 + k] = (float)(x & 1);
	cr_assert_eq(vpm_content_contrast(px, w, h, 3, &c), VPM_OK);
	cr_assert_float_eq(c, 1.0, 1e-6);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w / 2; x++)
			for (int k = 0; k < 3; k++)
				px[((size_t)y * w + x) * 3 + k] = 0.5f;
	cr_assert_eq(vpm_content_contrast(px, w, h, 3, &c), VPM_OK);
	cr_assert_float_eq(c, 0.0, 1e-12);
	cr_assert_eq(vpm_content_contrast(NULL, w, h, 3, &c), VPM_EINVAL);
	cr_assert_eq(vpm_content_contrast(px, 0, h, 3, &c), VPM_EINVAL);
	free(px);
}

/* The same through a PNG file (8-bit sRGB: 0 and 255 decode to 0 and 1). */
Test(content, contrast_of_a_png)
{
	const int w = 64, h = 64;
	uint8_t *img = malloc((size_t)w * h);
	double c;

	cr_assert_not_null(img);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			img[y * w + x] = (x & 1) ? 255 : 0;
	cr_assert_eq(vpm_png_write(tu_tmp("stripes.png"), w, h, 1, 8, img), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_content_contrast_png(tu_tmp("stripes.png"), &c), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_float_eq(c, 1.0, 1e-4);
	cr_assert_eq(vpm_content_contrast_png(tu_tmp("no-such.png"), &c), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "no-such.png"));
	free(img);
}

/* A content PNG is bounded before it is decoded (issue 14): a 33-byte file
 * whose header claims 16384 x 16384 pixels (4.8 GB to decode) is refused
 * with VPM_ELIMIT by the library and with exit 2 by check, naming
 * --content; the declared size is read from the IHDR chunk exactly. */
Test(content, huge_declared_png_is_refused_before_decoding)
{
	static const unsigned char head[33] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0,
						0,    0,   13,  'I', 'H', 'D', 'R', 0,    0,
						0x40, 0,   0,   0,   0x40, 0, 8,   2,   0,
						0,    0,   0,   0,   0,   0 };
	const char *path = tu_tmp("huge.png");
	unsigned long w = 0, h = 0;
	double c = -1.0;
	FILE *fp = fopen(path, "wb");
	tu_run_t r;
	char args[4200];

	cr_assert_not_null(fp);
	cr_assert_eq(fwrite(head, 1, sizeof head, fp), sizeof head);
	fclose(fp);
	cr_assert_eq(vpm_png_declared_size(path, &w, &h), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(w, 16384ul);
	cr_assert_eq(h, 16384ul);
	cr_assert_eq(vpm_content_contrast_png(path, &c), VPM_ELIMIT);
	cr_assert(strstr(vpm_error_message(), "64 million") != NULL, "%s", vpm_error_message());
	cr_assert_eq(c, -1.0, "nothing computed");
	cr_assert_eq(vpm_png_declared_size(tu_tmp("no-such.png"), &w, &h), VPM_ENOTFOUND);
	snprintf(args, sizeof args,
		 "check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 "
		 "--wall 2.5m --content '%s'",
		 path);
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "--content") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	tu_run_free(&r);
}

/* One lit pixel in each 12 x 12 tile of black: every tile's std/mean is
 * sqrt(143) = 11.96, beyond what a set-up takes, so the measured contrast
 * is capped at VPM_CONTENT_MAX_CONTRAST; 10 x 10 tiles give sqrt(99). */
Test(content, sparse_specks_are_capped)
{
	const int w = 192, h = 192;
	float *px = calloc((size_t)w * h * 3, sizeof *px);
	double c;

	cr_assert_not_null(px);
	for (int y = 0; y < h; y += 12)
		for (int x = 0; x < w; x += 12)
			for (int k = 0; k < 3; k++)
				px[((size_t)y * w + x) * 3 + k] = 1.0f;
	cr_assert_eq(vpm_content_contrast(px, w, h, 3, &c), VPM_OK);
	cr_assert_float_eq(c, VPM_CONTENT_MAX_CONTRAST, 1e-12);
	memset(px, 0, (size_t)w * h * 3 * sizeof *px);
	for (int y = 0; y < 160; y += 10)
		for (int x = 0; x < 160; x += 10)
			for (int k = 0; k < 3; k++)
				px[((size_t)y * 160 + x) * 3 + k] = 1.0f;
	cr_assert_eq(vpm_content_contrast(px, 160, 160, 3, &c), VPM_OK);
	cr_assert_float_eq(c, sqrt(99.0), 1e-5);
	free(px);
}
