/* Viewer: viewing angle, cycles per degree, Barten's CSF (SPEC §2 steps
 * 8–9).  The S(u) values below were computed by hand from the SPEC formula
 * with bc(1) (scale=20, L = 100, X0 = 61.301336°), independently of the C
 * code:
 *   echo "scale=20; x0=61.301336; l=100; u=4;
 *     n=5200*e(-0.0016*u^2*e(0.08*l(1+100/l)));
 *     d=sqrt((1+144/x0^2+0.64*u^2)*(63/e(0.83*l(l))+1/(1-e(-0.02*u^2))));
 *     n/d" | bc -l
 */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>

#include "vpmoire/vision.h"

/* 16:9 at 1.5 picture heights: Θ = 2·atan((16/9)/3) = 61.3013°
 * (bc: 61.30133591410573174679). */
Test(vision, viewing_angle)
{
	cr_assert_float_eq(vpm_vision_angle_deg(16.0 / 9.0, 1.5), 61.301335914, 1e-8);
	/* 4:3 at 1 picture height: 2·atan(2/3) = 67.38° */
	cr_assert_float_eq(vpm_vision_angle_deg(4.0 / 3.0, 1.0), 67.380135052, 1e-8);
	/* 1:1 at 0.5 heights: 90° */
	cr_assert_float_eq(vpm_vision_angle_deg(1.0, 0.5), 90.0, 1e-12);
}

Test(vision, cycles_per_degree)
{
	/* 35.5 cy/mm over a 25.344 mm recorded width shown across 61.3° */
	cr_assert_float_eq(vpm_vision_cy_deg(35.521, 25.344, 61.301336), 14.6855563, 1e-6);
	cr_assert_float_eq(vpm_vision_cy_deg(-10.0, 20.0, 40.0), 5.0, 1e-15);
}

Test(vision, barten_hand_values)
{
	const double X0 = 61.301336;

	cr_assert_float_eq(vpm_vision_csf(1.0, 100.0, X0), 556.32899939839, 1e-8);
	cr_assert_float_eq(vpm_vision_csf(4.0, 100.0, X0), 671.96882675155, 1e-8);
	cr_assert_float_eq(vpm_vision_csf(16.0, 100.0, X0), 170.10268434372, 1e-8);
	/* prepared constants give the same numbers */
	{
		vpm_vision_csf_t c;

		vpm_vision_csf_init(&c, 100.0, X0);
		cr_assert_eq(vpm_vision_csf_eval(&c, 4.0), vpm_vision_csf(4.0, 100.0, X0));
	}
}

/* SPEC §2 step 9: peak S ≈ 729 near 2.5 cy/deg for L = 100 (a threshold
 * modulation of 0.14 %), with X0 = Θ. */
Test(vision, barten_peak)
{
	double th = vpm_vision_angle_deg(16.0 / 9.0, 1.5), u = 0.0;
	double peak = vpm_vision_csf_peak(100.0, th, &u);

	cr_assert_float_eq(peak, 729.0, 0.5, "peak %g", peak);
	cr_assert_float_eq(u, 2.5, 0.1, "at %g cy/deg", u);
	cr_assert_float_eq(1.0 / peak, 0.0014, 0.00005);
	/* it is a maximum */
	cr_assert_geq(peak, vpm_vision_csf(u * 1.01, 100.0, th));
	cr_assert_geq(peak, vpm_vision_csf(u * 0.99, 100.0, th));
	/* brighter displays are seen better */
	cr_assert_gt(vpm_vision_csf_peak(300.0, th, NULL), peak);
	cr_assert_lt(vpm_vision_csf_peak(10.0, th, NULL), peak);
}

Test(vision, barten_limits)
{
	cr_assert_eq(vpm_vision_csf(0.0, 100.0, 60.0), 0.0);
	cr_assert_gt(vpm_vision_csf(1e-6, 100.0, 60.0), 0.0);
	cr_assert_lt(vpm_vision_csf(1e-6, 100.0, 60.0), 1e-2);
	cr_assert_lt(vpm_vision_csf(60.0, 100.0, 60.0), 5.0);
	cr_assert_lt(vpm_vision_csf(150.0, 100.0, 60.0), 1e-3);
	cr_assert(isfinite(vpm_vision_csf(1e4, 100.0, 60.0)));
}
