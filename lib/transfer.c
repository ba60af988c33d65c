/* Camera transfer functions (see vpmoire/transfer.h).
 *
 * BT.709: ITU-R Recommendation BT.709-6 (06/2015), Part 1, item 1.2,
 * https://www.itu.int/rec/R-REC-BT.709-6-201506-I: V = 1.099·L^0.45 − 0.099
 * for 1 ≥ L ≥ 0.018, V = 4.500·L for 0.018 > L ≥ 0.
 *
 * S-Log3: Sony, "Technical Summary for S-Gamut3.Cine/S-Log3 and
 * S-Gamut3/S-Log3", https://pro.sony/s3/cms-static-content/uploadfile/06/1237494271406.pdf:
 * for reflection in ≥ 0.01125, out = (420 + log10((in + 0.01)/(0.18 + 0.01))·261.5)/1023,
 * else out = (in·(171.2102946929 − 95)/0.01125 + 95)/1023, out a 10-bit
 * full-range code value normalised by 1023.
 *
 * sRGB: IEC 61966-2-1:1999, section 5.2 (also
 * https://www.w3.org/Graphics/Color/srgb): V = 12.92·L for L ≤ 0.0031308,
 * V = 1.055·L^(1/2.4) − 0.055 above.
 */
#include <config.h>

#include <math.h>
#include <string.h>

#include "error.h"
#include "vpmoire/transfer.h"

/* ITU-R BT.709-6 item 1.2 */
#define BT709_ALPHA 1.099
#define BT709_BETA 0.018
#define BT709_GAMMA 0.45
#define BT709_SLOPE 4.5

/* Sony S-Log3 technical summary (above) */
#define SLOG3_BREAK_IN 0.01125
#define SLOG3_BREAK_CODE 171.2102946929
#define SLOG3_BLACK_CODE 95.0
#define SLOG3_GREY_CODE 420.0
#define SLOG3_SLOPE 261.5

/* IEC 61966-2-1 */
#define SRGB_BREAK 0.0031308
#define SRGB_SLOPE 12.92
#define SRGB_GAMMA 2.4
#define SRGB_A 0.055

static const char *const names[] = { "linear", "bt709", "slog3", "srgb" };

vpm_status_t vpm_transfer_parse(const char *text, vpm_transfer_t *out)
{
	for (size_t i = 0; text != NULL && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (vpm_transfer_t)i;
			return VPM_OK;
		}
	return vpm_error(VPM_EPARSE,
			 "unknown transfer '%s' (expected linear, bt709, slog3 or srgb)",
			 text ? text : "(null)");
}

const char *vpm_transfer_name(vpm_transfer_t transfer)
{
	return (unsigned)transfer < sizeof names / sizeof names[0] ? names[transfer] : "unknown";
}

double vpm_transfer_to_linear(vpm_transfer_t transfer, double code)
{
	switch (transfer) {
	case VPM_TRANSFER_LINEAR: return code;
	case VPM_TRANSFER_BT709:
		if (code < BT709_SLOPE * BT709_BETA)
			return code / BT709_SLOPE;
		return pow((code + (BT709_ALPHA - 1.0)) / BT709_ALPHA, 1.0 / BT709_GAMMA);
	case VPM_TRANSFER_SLOG3: {
		double c = code * 1023.0;
		if (c >= SLOG3_BREAK_CODE)
			return pow(10.0, (c - SLOG3_GREY_CODE) / SLOG3_SLOPE) * (0.18 + 0.01) -
			       0.01;
		return (c - SLOG3_BLACK_CODE) * SLOG3_BREAK_IN /
		       (SLOG3_BREAK_CODE - SLOG3_BLACK_CODE);
	}
	case VPM_TRANSFER_SRGB:
		if (code <= SRGB_SLOPE * SRGB_BREAK)
			return code / SRGB_SLOPE;
		return pow((code + SRGB_A) / (1.0 + SRGB_A), SRGB_GAMMA);
	}
	return NAN;
}

double vpm_transfer_from_linear(vpm_transfer_t transfer, double linear)
{
	switch (transfer) {
	case VPM_TRANSFER_LINEAR: return linear;
	case VPM_TRANSFER_BT709:
		if (linear < BT709_BETA)
			return BT709_SLOPE * linear;
		return BT709_ALPHA * pow(linear, BT709_GAMMA) - (BT709_ALPHA - 1.0);
	case VPM_TRANSFER_SLOG3:
		if (linear >= SLOG3_BREAK_IN)
			return (SLOG3_GREY_CODE +
				log10((linear + 0.01) / (0.18 + 0.01)) * SLOG3_SLOPE) /
			       1023.0;
		return (linear * (SLOG3_BREAK_CODE - SLOG3_BLACK_CODE) / SLOG3_BREAK_IN +
			SLOG3_BLACK_CODE) /
		       1023.0;
	case VPM_TRANSFER_SRGB:
		if (linear <= SRGB_BREAK)
			return SRGB_SLOPE * linear;
		return (1.0 + SRGB_A) * pow(linear, 1.0 / SRGB_GAMMA) - SRGB_A;
	}
	return NAN;
}
