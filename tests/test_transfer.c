/* Camera transfer functions against the makers' published points. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>

#include "testutil.h"
#include "vpmoire/transfer.h"

/* ITU-R BT.709-6 item 1.2: the two branches meet at L = 0.018, V = 0.081
 * (within 3e-4: the published constants are rounded, 0.08125 on the power
 * branch);
 * L = 1 gives V = 1; 18% grey: 1.099·0.18^0.45 − 0.099 = 0.40901. */
Test(transfer, bt709_published_points)
{
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_BT709, 0.018), 0.081, 3e-4);
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_BT709, 0.0179), 4.5 * 0.0179,
			   1e-12);
	cr_assert_float_eq(1.099 * pow(0.018, 0.45) - 0.099, 0.081, 3e-4);
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_BT709, 1.0), 1.0, 1e-12);
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_BT709, 0.18), 0.40901, 1e-5);
	cr_assert_float_eq(vpm_transfer_to_linear(VPM_TRANSFER_BT709, 0.40901), 0.18, 1e-5);
	cr_assert_float_eq(vpm_transfer_to_linear(VPM_TRANSFER_BT709, 0.0405), 0.009, 1e-12);
}

/* Sony's S-Log3 summary: 18% grey records code 420 of 1023 (41% IRE),
 * 90% white code 598 (61% IRE, (598 − 64)/876), black (0%) code 95. */
Test(transfer, slog3_published_points)
{
	double grey = vpm_transfer_from_linear(VPM_TRANSFER_SLOG3, 0.18) * 1023.0;
	double white = vpm_transfer_from_linear(VPM_TRANSFER_SLOG3, 0.90) * 1023.0;
	double black = vpm_transfer_from_linear(VPM_TRANSFER_SLOG3, 0.0) * 1023.0;

	cr_assert_float_eq(grey, 420.0, 1e-9);
	cr_assert_float_eq((white - 64.0) / 876.0, 0.61, 0.005);
	cr_assert_float_eq(black, 95.0, 1e-9);
	cr_assert_float_eq(vpm_transfer_to_linear(VPM_TRANSFER_SLOG3, 420.0 / 1023.0), 0.18, 1e-12);
}

/* IEC 61966-2-1: the branches meet at L = 0.0031308, V = 0.04045; 18%
 * grey encodes to 1.055·0.18^(1/2.4) − 0.055 = 0.46135 (118/255). */
Test(transfer, srgb_published_points)
{
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_SRGB, 0.0031308), 0.04045, 1e-5);
	cr_assert_float_eq(vpm_transfer_from_linear(VPM_TRANSFER_SRGB, 0.18), 0.46135, 1e-5);
	cr_assert_float_eq(vpm_transfer_to_linear(VPM_TRANSFER_SRGB, 1.0), 1.0, 1e-12);
}

/* Every curve inverts itself on both branches. */
Test(transfer, round_trips)
{
	const double L[] = { 0.0, 0.0037, 0.01125, 0.0172, 0.18, 0.734, 1.0 };

	for (int t = VPM_TRANSFER_LINEAR; t <= VPM_TRANSFER_SRGB; t++)
		for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
			double c = vpm_transfer_from_linear((vpm_transfer_t)t, L[i]);
			cr_assert_float_eq(vpm_transfer_to_linear((vpm_transfer_t)t, c), L[i],
					   1e-12, "%s at %g", vpm_transfer_name((vpm_transfer_t)t),
					   L[i]);
		}
}

Test(transfer, names_and_errors)
{
	vpm_transfer_t t = VPM_TRANSFER_LINEAR;

	cr_assert_eq(vpm_transfer_parse("slog3", &t), VPM_OK);
	cr_assert_eq(t, VPM_TRANSFER_SLOG3);
	cr_assert_eq(vpm_transfer_parse("bt709", &t), VPM_OK);
	cr_assert_eq(t, VPM_TRANSFER_BT709);
	cr_assert_eq(vpm_transfer_parse("logc9", &t), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "logc9") != NULL);
	cr_assert_eq(vpm_transfer_parse(NULL, &t), VPM_EPARSE);
	cr_assert_str_eq(vpm_transfer_name((vpm_transfer_t)7), "unknown");
	cr_assert(isnan(vpm_transfer_to_linear((vpm_transfer_t)7, 0.5)));
}
