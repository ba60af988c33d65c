/* PNG in (libpng's simplified reader, to linear light) and out (the
 * classic writer, through an atomic temporary file). */
#include <config.h>

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "frameio.h"
#include "vpmoire/atomic.h"
#include "vpmoire/pngio.h"

VPM_STATUS_FN(vpm_image_alloc, (int width, int height, int channels, vpm_image_t **out),
	      (width, height, channels, out))
{
	vpm_image_t *img;
	size_t n;

	if (out == NULL)
		return vpm_error(VPM_EINVAL, "no image pointer");
	*out = NULL;
	if (width < 1 || height < 1 || width > VPM_PNG_MAX_SIDE || height > VPM_PNG_MAX_SIDE)
		return vpm_error(VPM_EINVAL, "image size %d x %d is outside 1 ... %d pixels", width,
				 height, VPM_PNG_MAX_SIDE);
	if (channels != 1 && channels != 3)
		return vpm_error(VPM_EINVAL, "an image has 1 or 3 channels, not %d", channels);
	/* overflow-checked width × height × channels × sizeof(float) */
	n = (size_t)width;
	if (n > SIZE_MAX / (size_t)height)
		return vpm_error(VPM_ELIMIT, "image %d x %d is too large", width, height);
	n *= (size_t)height;
	if (n > SIZE_MAX / ((size_t)channels * sizeof(float)))
		return vpm_error(VPM_ELIMIT, "image %d x %d is too large", width, height);
	img = calloc(1, sizeof *img);
	if (img == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	img->pixels = calloc(n * (size_t)channels, sizeof(float));
	if (img->pixels == NULL) {
		free(img);
		return vpm_error(VPM_ENOMEM, "out of memory for a %d x %d image", width, height);
	}
	img->width = width;
	img->height = height;
	img->channels = channels;
	*out = img;
	return VPM_OK;
}

void vpm_image_free(vpm_image_t *image)
{
	if (image == NULL)
		return;
	free(image->pixels);
	free(image);
}

VPM_STATUS_FN(vpm_png_read, (const char *path, int max_side, vpm_image_t **out),
	      (path, max_side, out))
{
	png_image pi;
	FILE *fp;
	uint16_t *buf = NULL;
	vpm_image_t *img = NULL;
	vpm_status_t st;
	size_t n, i;

	if (out == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "no PNG file given");
	*out = NULL;
	if (max_side < 1 || max_side > VPM_PNG_MAX_SIDE)
		max_side = VPM_PNG_MAX_SIDE;
	fp = fopen(path, "rb");
	if (fp == NULL)
		return vpm_error_open(path, errno);
	memset(&pi, 0, sizeof pi);
	pi.version = PNG_IMAGE_VERSION;
	/* The simplified API catches libpng's longjmp itself and reports
	 * failures in pi.message, freeing what it allocated. */
	if (!png_image_begin_read_from_stdio(&pi, fp)) {
		st = vpm_error(VPM_EPARSE, "%s: not a readable PNG (%s)", path, pi.message);
		png_image_free(&pi);
		fclose(fp);
		return st;
	}
	if (pi.width > (png_uint_32)max_side || pi.height > (png_uint_32)max_side) {
		st = vpm_error(VPM_ERANGE, "%s: %u x %u pixels is larger than %d x %d", path,
			       (unsigned)pi.width, (unsigned)pi.height, max_side, max_side);
		png_image_free(&pi);
		fclose(fp);
		return st;
	}
	/* 16-bit linear RGB: libpng undoes sRGB/gAMA and composites alpha on
	 * black. */
	pi.format = PNG_FORMAT_LINEAR_RGB;
	n = (size_t)pi.width * (size_t)pi.height * 3; /* ≤ 3 · 2^32: fits size_t on 64-bit */
	if (n / 3 / pi.width != pi.height || n > SIZE_MAX / sizeof(uint16_t)) {
		png_image_free(&pi);
		fclose(fp);
		return vpm_error(VPM_ELIMIT, "%s: image too large", path);
	}
	st = vpm_image_alloc((int)pi.width, (int)pi.height, 3, &img);
	if (st == VPM_OK) {
		buf = malloc(n * sizeof(uint16_t));
		if (buf == NULL)
			st = vpm_error(VPM_ENOMEM, "%s: out of memory for %u x %u pixels", path,
				       (unsigned)pi.width, (unsigned)pi.height);
	}
	if (st != VPM_OK) {
		png_image_free(&pi);
		fclose(fp);
		vpm_image_free(img);
		return vpm_error_prefix(st, "%s", path);
	}
	if (!png_image_finish_read(&pi, NULL, buf, 0, NULL)) {
		st = vpm_error(VPM_EPARSE, "%s: corrupt PNG (%s)", path, pi.message);
		png_image_free(&pi);
		fclose(fp);
		free(buf);
		vpm_image_free(img);
		return st;
	}
	png_image_free(&pi);
	fclose(fp);
	for (i = 0; i < n; i++)
		img->pixels[i] = (float)buf[i] / 65535.0f;
	free(buf);
	*out = img;
	return VPM_OK;
}

int vpm_png_has_signature(const unsigned char *b, size_t n)
{
	return n >= 8 && png_sig_cmp(b, 0, 8) == 0;
}

VPM_STATUS_FN(vpm_png_declared_size,
	      (const char *path, unsigned long *width, unsigned long *height),
	      (path, width, height))
{
	unsigned char b[24];
	FILE *fp;
	size_t got;

	if (path == NULL || width == NULL || height == NULL)
		return vpm_error(VPM_EINVAL, "no PNG file given");
	fp = fopen(path, "rb");
	if (fp == NULL)
		return vpm_error_open(path, errno);
	got = fread(b, 1, sizeof b, fp);
	fclose(fp);
	if (got != sizeof b || !vpm_png_has_signature(b, got) || memcmp(b + 12, "IHDR", 4) != 0)
		return vpm_error(VPM_EPARSE, "%s: not a PNG (no signature and IHDR chunk)", path);
	*width = (unsigned long)b[16] << 24 | (unsigned long)b[17] << 16 |
		 (unsigned long)b[18] << 8 | b[19];
	*height = (unsigned long)b[20] << 24 | (unsigned long)b[21] << 16 |
		  (unsigned long)b[22] << 8 | b[23];
	return VPM_OK;
}

/* libpng reports errors through these; the error handler must not
 * return, so it jumps back into vpm_png_write(). */
typedef struct {
	jmp_buf jmp;
	char msg[256];
	FILE *fp; /* the stream written to */
	int err;  /* errno of a failed write, 0 if none */
} png_ctx_t;

static void on_png_error(png_structp png, png_const_charp msg)
{
	png_ctx_t *c = png_get_error_ptr(png);

	snprintf(c->msg, sizeof c->msg, "%s", msg ? msg : "libpng error");
	longjmp(c->jmp, 1);
}

/* Our own write and flush functions, so that a failed write keeps the
 * system's reason (ENOSPC, EFBIG) rather than libpng's "Write Error". */
static void on_png_write(png_structp png, png_bytep data, size_t n)
{
	png_ctx_t *c = png_get_io_ptr(png);

	errno = 0;
	if (fwrite(data, 1, n, c->fp) != n) {
		c->err = errno ? errno : EIO;
		png_error(png, strerror(c->err));
	}
}

static void on_png_flush(png_structp png)
{
	png_ctx_t *c = png_get_io_ptr(png);

	errno = 0;
	if (fflush(c->fp) != 0) {
		c->err = errno ? errno : EIO;
		png_error(png, strerror(c->err));
	}
}

static void on_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static int host_is_little_endian(void)
{
	const uint16_t one = 1;
	unsigned char b;

	memcpy(&b, &one, 1);
	return b == 1;
}

VPM_STATUS_FN(vpm_png_write,
	      (const char *path, int width, int height, int channels, int bit_depth,
	       const void *pixels),
	      (path, width, height, channels, bit_depth, pixels))
{
	vpm_atomic_file_t *af = NULL;
	png_structp png = NULL;
	png_infop info = NULL;
	png_ctx_t ctx;
	size_t row_bytes;
	vpm_status_t st;

	if (path == NULL || pixels == NULL)
		return vpm_error(VPM_EINVAL, "no PNG file or pixels given");
	if (width < 1 || height < 1 || width > VPM_PNG_MAX_SIDE || height > VPM_PNG_MAX_SIDE)
		return vpm_error(VPM_EINVAL, "%s: image size %d x %d is outside 1 ... %d", path,
				 width, height, VPM_PNG_MAX_SIDE);
	if (channels != 1 && channels != 3)
		return vpm_error(VPM_EINVAL, "%s: %d channels (1 or 3 expected)", path, channels);
	if (bit_depth != 8 && bit_depth != 16)
		return vpm_error(VPM_EINVAL, "%s: bit depth %d (8 or 16 expected)", path,
				 bit_depth);
	row_bytes = (size_t)width * (size_t)channels * (size_t)(bit_depth / 8);
	st = vpm_atomic_open(path, &af);
	if (st != VPM_OK)
		return st;
	memset(&ctx, 0, sizeof ctx);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_png_error, on_png_warning);
	if (png != NULL)
		info = png_create_info_struct(png);
	if (png == NULL || info == NULL) {
		png_destroy_write_struct(&png, &info);
		vpm_atomic_abort(af);
		return vpm_error(VPM_ENOMEM, "%s: out of memory", path);
	}
	/* png, info and af are not changed after this point, so they keep
	 * their values across the longjmp. */
	if (setjmp(ctx.jmp)) {
		png_destroy_write_struct(&png, &info);
		vpm_atomic_abort(af);
		return vpm_error(VPM_EIO, "cannot write %s: %s", path, ctx.msg);
	}
	ctx.fp = vpm_atomic_stream(af);
	png_set_write_fn(png, &ctx, on_png_write, on_png_flush);
	png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth,
		     channels == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_sRGB_gAMA_and_cHRM(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
	png_write_info(png, info);
	if (bit_depth == 16 && host_is_little_endian())
		png_set_swap(png); /* PNG stores 16-bit samples big-endian */
	for (int y = 0; y < height; y++)
		png_write_row(png, (png_const_bytep)pixels + (size_t)y * row_bytes);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return vpm_atomic_commit(af);
}

/* ---------------------------------------------------------------- code values */

typedef struct {
	jmp_buf jmp;
	char msg[200];
} read_ctx_t;

static void on_read_error(png_structp png, png_const_charp msg)
{
	read_ctx_t *ctx = png_get_error_ptr(png);

	snprintf(ctx->msg, sizeof ctx->msg, "%s", msg);
	longjmp(ctx->jmp, 1);
}

static void on_read_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

vpm_status_t vpm_png_read_codes(const char *path, int max_side, vpm_image_t **out)
{
	FILE *fp;
	png_structp png;
	png_infop info = NULL;
	read_ctx_t ctx;
	vpm_image_t *volatile img = NULL;
	png_bytep *volatile rows = NULL;
	volatile png_uint_32 nrows = 0;
	volatile vpm_status_t st = VPM_OK;
	png_uint_32 w, h;
	int depth, ctype;

	if (out == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "no PNG file given");
	*out = NULL;
	volatile int limit = max_side < 1 || max_side > VPM_PNG_MAX_SIDE ? VPM_PNG_MAX_SIDE
									 : max_side;

	fp = fopen(path, "rb");
	if (fp == NULL)
		return vpm_error_open(path, errno);
	memset(&ctx, 0, sizeof ctx);
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_read_error, on_read_warning);
	if (png == NULL || (info = png_create_info_struct(png)) == NULL) {
		png_destroy_read_struct(&png, NULL, NULL);
		fclose(fp);
		return vpm_error(VPM_ENOMEM, "%s: out of memory", path);
	}
	if (setjmp(ctx.jmp)) {
		st = vpm_error(VPM_EPARSE, "%s: not a readable PNG (%s)", path, ctx.msg);
		goto done;
	}
	png_init_io(png, fp);
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, NULL, NULL, NULL);
	if (w > (png_uint_32)limit || h > (png_uint_32)limit) {
		st = vpm_error(VPM_ERANGE, "%s: %u x %u pixels is larger than %d x %d", path,
			       (unsigned)w, (unsigned)h, (int)limit, (int)limit);
		goto done;
	}
	/* samples as stored: expand palettes and low bit depths to 8 bits,
	 * grey to RGB, drop alpha; 16-bit samples come big-endian */
	png_set_expand(png);
	png_set_gray_to_rgb(png);
	png_set_strip_alpha(png);
	png_read_update_info(png, info);
	depth = png_get_bit_depth(png, info);
	if (png_get_channels(png, info) != 3) {
		st = vpm_error(VPM_EPARSE, "%s: unexpected PNG layout", path);
		goto done;
	}
	if ((st = vpm_image_alloc((int)w, (int)h, 3, (vpm_image_t **)&img)) != VPM_OK) {
		st = vpm_error_prefix(st, "%s", path);
		goto done;
	}
	rows = calloc(h, sizeof *rows);
	if (rows == NULL) {
		st = vpm_error(VPM_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	nrows = h;
	for (png_uint_32 y = 0; y < h; y++) {
		rows[y] = malloc(png_get_rowbytes(png, info));
		if (rows[y] == NULL) {
			st = vpm_error(VPM_ENOMEM, "%s: out of memory", path);
			goto done;
		}
	}
	png_read_image(png, rows);
	for (png_uint_32 y = 0; y < h; y++)
		for (png_uint_32 x = 0; x < 3 * w; x++) {
			double v = depth == 16
					   ? (rows[y][2 * x] << 8 | rows[y][2 * x + 1]) / 65535.0
					   : rows[y][x] / 255.0;
			img->pixels[(size_t)y * 3 * w + x] = (float)v;
		}
done:
	for (png_uint_32 y = 0; y < nrows; y++)
		free(rows[y]);
	free(rows);
	png_destroy_read_struct(&png, &info, NULL);
	fclose(fp);
	if (st != VPM_OK) {
		vpm_image_free(img);
		return st;
	}
	*out = img;
	return VPM_OK;
}
