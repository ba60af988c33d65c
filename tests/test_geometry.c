/* Geometry: thin lens from the sensor plane, magnification, blur, DOF.
 *
 * Conventions are stated per test: published stills DOF tables use LENS
 * distances (from the lens); vpmoire's stage distances are SENSOR-PLANE
 * distances (from the film plane, as on a cine focus scale). */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "vpmoire/geometry.h"

#define FT 304.8 /* mm */
#define IN 25.4	 /* mm */

Test(geometry, focus_object_is_the_larger_root)
{
	const double f = 28.0, X = 1000.0;
	double s = 0.0, v;

	cr_assert_eq(vpm_geometry_focus_object_mm(f, X, &s), VPM_OK);
	/* s² − X·s + X·f = 0 and the larger root */
	cr_assert_float_eq(s * s - X * s + X * f, 0.0, 1e-7);
	cr_assert_gt(s, X / 2.0);
	cr_assert_float_eq(s, (X + sqrt(X * X - 4.0 * X * f)) / 2.0, 1e-9);
	/* the sensor then sits v_f behind the lens and X = s_f + v_f */
	v = vpm_geometry_image_mm(f, s);
	cr_assert_float_eq(v, f * s / (s - f), 1e-12);
	cr_assert_float_eq(vpm_geometry_sensor_distance_mm(s, v), X, 1e-9);
	cr_assert_float_eq(1.0 / s + 1.0 / v, 1.0 / f, 1e-15);
}

Test(geometry, focus_at_infinity)
{
	double s = 0.0;

	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, INFINITY, &s), VPM_OK);
	cr_assert(isinf(s) && s > 0);
	cr_assert_eq(vpm_geometry_image_mm(50.0, INFINITY), 50.0);
	cr_assert(isinf(vpm_geometry_sensor_distance_mm(INFINITY, 50.0)));
	/* blur of a wall at 2.5 m (lens distance) with focus at infinity:
	 * f²/(N·s) */
	cr_assert_float_eq(vpm_geometry_blur_mm(50.0, 2.8, 2500.0, INFINITY),
			   2500.0 / (2.8 * 2500.0), 1e-15);
	cr_assert_eq(vpm_geometry_blur_mm(50.0, 2.8, INFINITY, INFINITY), 0.0);
}

/* X ≤ 4f is "closer than the lens can focus": an error, never a NaN. */
Test(geometry, closer_than_4f_is_refused)
{
	double s = 123.0;

	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, 200.0, &s), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "closer than the lens can focus") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(s, 123.0, "output untouched on error");
	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, 150.0, &s), VPM_EGEOMETRY);
	/* just beyond 4f works: s_f → 2f */
	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, 200.001, &s), VPM_OK);
	cr_assert(isfinite(s) && fabs(s - 100.0) < 0.5, "s = %g", s);
	s = 123.0;
	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, -1.0, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, 0.0, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(50.0, NAN, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(0.0, 1000.0, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(-50.0, 1000.0, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(NAN, 1000.0, &s), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_focus_object_mm(INFINITY, 1000.0, &s), VPM_EINVAL);
	cr_assert_eq(s, 123.0, "no error path writes the output");
}

/* The closest focus is the catalog's close focus, never inside 4f (issue 13:
 * one definition for the chart, the planners and the pages).  28 mm:
 * 4f = 0.112 m; the ZEISS CP.3 28 mm focuses to 0.24 m (models/lenses.csv). */
Test(geometry, closest_focus_is_close_focus_or_4f)
{
	cr_assert_float_eq(vpm_geometry_focus_limit_m(28.0), 0.112, 1e-15);
	cr_assert_float_eq(vpm_geometry_focus_limit_m(137.5), 0.55, 1e-15);
	cr_assert_float_eq(vpm_geometry_closest_focus_m(28.0, 0.24, 1.0), 0.24, 0.0);
	cr_assert_float_eq(vpm_geometry_closest_focus_m(28.0, 0.0, 1.0), 0.112, 1e-15);
	cr_assert_float_eq(vpm_geometry_closest_focus_m(137.5, 0.45, 1.0), 0.55, 1e-15);
	/* the margin scales 4f, never the catalog's close focus */
	cr_assert_float_eq(vpm_geometry_closest_focus_m(28.0, 0.0, 1.02), 0.11424, 1e-15);
	cr_assert_float_eq(vpm_geometry_closest_focus_m(28.0, 0.24, 1.02), 0.24, 0.0);
	cr_assert_float_eq(vpm_geometry_closest_focus_m(137.5, 0.55, 1.02), 0.561, 1e-15);
	/* an unknown close focus (NaN) leaves 4f, as fmax() */
	cr_assert_float_eq(vpm_geometry_closest_focus_m(28.0, NAN, 1.0), 0.112, 1e-15);
}

/* vpm_geometry_focus_object_mm() refuses exactly where the one rule,
 * vpm_geometry_closest_focus_m(), puts the closest focus (issue 13): for a
 * 37.7 mm lens 4f = 4 x 37.7 mm = 0.1508 m (hand calculation).  At the
 * limit an error naming it; a hair beyond, the object distance of the thin
 * lens, s_f = (X/2)(1 + sqrt(1 - 4f/X)) -> 2f = 75.4 mm. */
Test(geometry, focus_limit_is_the_closest_focus_rule)
{
	const double f = 37.7, limit_m = vpm_geometry_closest_focus_m(f, 0.0, 1.0);
	double s = -7.0;

	cr_assert_float_eq(limit_m, 0.1508, 1e-15);
	cr_assert_eq(vpm_geometry_focus_object_mm(f, limit_m * 1000.0, &s), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "(4f = 0.1508 m)") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(s, -7.0, "output untouched on error");
	cr_assert_eq(vpm_geometry_focus_object_mm(f, 0.5 * limit_m * 1000.0, &s), VPM_EGEOMETRY);
	cr_assert_eq(vpm_geometry_focus_object_mm(f, limit_m * 1000.0 * (1.0 + 1e-9), &s), VPM_OK);
	cr_assert(fabs(s - 2.0 * f) < 0.01, "s = %.6g mm, expected about 2f = 75.4 mm", s);
	/* 4 x 4f = 0.6032 m: s_f = 301.6 (1 + sqrt(3/4)) = 562.79 mm */
	cr_assert_eq(vpm_geometry_focus_object_mm(f, 4.0 * limit_m * 1000.0, &s), VPM_OK);
	cr_assert_float_eq(s, 301.6 * (1.0 + sqrt(0.75)), 1e-9);
}

/* Sensor-plane ↔ lens distances (SPEC §1): s = X − v_f, X = s + v_f. */
Test(geometry, sensor_plane_conversion)
{
	const double f = 85.0;
	double s_f, v_f, s_w, m;

	cr_assert_eq(vpm_geometry_focus_object_mm(f, 1500.0, &s_f), VPM_OK);
	v_f = vpm_geometry_image_mm(f, s_f);
	s_w = vpm_geometry_lens_distance_mm(8000.0, v_f);
	cr_assert_float_eq(s_w, 8000.0 - v_f, 1e-12);
	cr_assert_float_eq(vpm_geometry_sensor_distance_mm(s_w, v_f), 8000.0, 1e-9);
	/* magnification v_f/s_w; optics-reference §1: up to 5 % different from
	 * f/(s_w − f) for an 85 mm focused at 1.5 m with the wall at 8 m */
	m = vpm_geometry_magnification(v_f, s_w);
	cr_assert_float_eq(m, v_f / s_w, 1e-15);
	{
		double infocus = f / (s_w - f), rel = fabs(m - infocus) / infocus;

		cr_assert(rel > 0.03 && rel < 0.06, "relative difference %g", rel);
	}
	/* in focus, v_f/s = f/(s − f) exactly */
	cr_assert_float_eq(vpm_geometry_magnification(v_f, s_f), f / (s_f - f), 1e-15);
}

Test(geometry, blur_circle_and_defocus)
{
	const double f = 50.0, N = 2.8;
	double s_f, s_w;

	/* optics-reference §4: b = f²|D − u|/(N(u − f)D) */
	cr_assert_eq(vpm_geometry_blur_mm(f, N, 3000.0, 3000.0), 0.0);
	cr_assert_float_eq(vpm_geometry_blur_mm(f, N, 5000.0, 3000.0),
			   2500.0 * 2000.0 / (2.8 * 2950.0 * 5000.0), 1e-15);
	/* optics-reference §3: typical LED-wall defocus, 50 mm f/2.8 focused at
	 * 3 m with the wall at 5 m: B = 121 µm ≈ 9.8 waves (lens distances) */
	cr_assert_float_eq(vpm_geometry_blur_mm(f, N, 5000.0, 3000.0), 0.121, 5e-4);
	cr_assert_float_eq(vpm_geometry_defocus_waves(0.121065, N, 555.0), 9.74, 0.01);
	/* optics-reference §3: W020 = 2 waves at f/2.8, 550 nm ↔ B = 24.64 µm */
	cr_assert_float_eq(vpm_geometry_defocus_waves(0.02464, 2.8, 550.0), 2.0, 1e-3);
	/* symmetric use in the predictor: sensor-plane inputs */
	cr_assert_eq(vpm_geometry_focus_object_mm(28.0, 1000.0, &s_f), VPM_OK);
	s_w = 2524.0 - vpm_geometry_image_mm(28.0, s_f);
	cr_assert_float_eq(vpm_geometry_blur_mm(28.0, 2.1, s_w, s_f), 0.2418, 1e-4);
}

/* http://insyncpubs.com/articles/?id=11: 50 mm
 * f/4 focused at 10 ft, CoC 0.030 → 8′8.9″ to 11′8.2″ (recomputed values;
 * the article prints 8′9″–11′8″).  Convention: LENS distances. */
Test(geometry, dof_published_row_feet_lens_distances)
{
	vpm_dof_t d;

	cr_assert_eq(vpm_geometry_dof_lens_mm(50.0, 4.0, 0.030, 10.0 * FT, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, 8 * FT + 8.9 * IN, 0.05 * IN, "near %g in", d.near_mm / IN);
	cr_assert_float_eq(d.far_mm, 11 * FT + 8.2 * IN, 0.05 * IN, "far %g in", d.far_mm / IN);
	/* APS-C row of the same source, CoC 0.019: 9′2.0″–11′0.0″ */
	cr_assert_eq(vpm_geometry_dof_lens_mm(50.0, 4.0, 0.019, 10.0 * FT, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, 9 * FT + 2.0 * IN, 0.05 * IN);
	cr_assert_float_eq(d.far_mm, 11 * FT + 0.0 * IN, 0.05 * IN);
}

/* magnus-karlsson.nu DOF page: 50 mm f/5.6 at 2.5 m, CoC 0.033 (implied)
 * → 2.117 m to 3.053 m, hyperfocal 13.58 m.  Convention: LENS distances. */
Test(geometry, dof_published_row_metres_lens_distances)
{
	vpm_dof_t d;

	cr_assert_eq(vpm_geometry_dof_lens_mm(50.0, 5.6, 0.033, 2500.0, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, 2117.0, 0.5);
	cr_assert_float_eq(d.far_mm, 3053.0, 0.5);
	cr_assert_float_eq(d.hyperfocal_mm, 13580.0, 5.0);
	/* illuma.blogspot.com: 50 mm f/4, CoC 0.018: H = 34,772 mm (with + f) */
	cr_assert_eq(vpm_geometry_dof_lens_mm(50.0, 4.0, 0.018, 1e7, &d), VPM_OK);
	cr_assert_float_eq(d.hyperfocal_mm, 34772.0, 0.5);
	/* [derived] 50 mm f/2.8 at 3 m, CoC 0.025: H 35.76 m, 2.771–3.270 m */
	cr_assert_eq(vpm_geometry_dof_lens_mm(50.0, 2.8, 0.025, 3000.0, &d), VPM_OK);
	cr_assert_float_eq(d.hyperfocal_mm, 35764.0, 1.0);
	cr_assert_float_eq(d.near_mm, 2771.0, 0.5);
	cr_assert_float_eq(d.far_mm, 3270.0, 0.5);
}

Test(geometry, dof_lens_edge_cases)
{
	vpm_dof_t d;
	const double f = 35.0, N = 2.0, C = 0.025, H = f * f / (N * C) + f;

	/* focus at infinity: near = H − f, far infinite */
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, C, INFINITY, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, H - f, 1e-9);
	cr_assert(isinf(d.far_mm));
	/* focus beyond H: far infinite */
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, C, H * 1.5, &d), VPM_OK);
	cr_assert(isinf(d.far_mm));
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, C, 30.0, &d), VPM_EGEOMETRY);
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, 0.0, 3000.0, &d), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, -2.0, C, 3000.0, &d), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_dof_lens_mm(0.0, N, C, 3000.0, &d), VPM_EINVAL);
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, C, NAN, &d), VPM_EGEOMETRY);
}

/* Sensor-plane DOF (SPEC §2 end): limits are the lens limits + v_f, and the
 * hyperfocal is the focus setting X_H = H²/(H − f) that puts s_f at H. */
Test(geometry, dof_sensor_plane)
{
	const double f = 50.0, N = 4.0, C = 0.030, X = 10.0 * FT;
	double s_f, v_f, s_h;
	vpm_dof_t lens, d;

	cr_assert_eq(vpm_geometry_focus_object_mm(f, X, &s_f), VPM_OK);
	v_f = vpm_geometry_image_mm(f, s_f);
	cr_assert_eq(vpm_geometry_dof_lens_mm(f, N, C, s_f, &lens), VPM_OK);
	cr_assert_eq(vpm_geometry_dof_mm(f, N, C, X, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, lens.near_mm + v_f, 1e-9);
	cr_assert_float_eq(d.far_mm, lens.far_mm + v_f, 1e-9);
	cr_assert_float_eq(d.hyperfocal_mm,
			   lens.hyperfocal_mm * lens.hyperfocal_mm / (lens.hyperfocal_mm - f),
			   1e-9);
	/* the sensor-plane limits bracket the focus setting */
	cr_assert(d.near_mm < X && X < d.far_mm);
	/* X_H is the focus setting that puts the focused object at H */
	cr_assert_eq(vpm_geometry_focus_object_mm(f, d.hyperfocal_mm, &s_h), VPM_OK);
	cr_assert_float_eq(s_h, lens.hyperfocal_mm, 1e-6);
	/* focus at infinity: near limit at X = (H − f) + f = H */
	cr_assert_eq(vpm_geometry_dof_mm(f, N, C, INFINITY, &d), VPM_OK);
	cr_assert_float_eq(d.near_mm, f * f / (N * C) + f, 1e-9);
	cr_assert(isinf(d.far_mm));
	/* errors propagate */
	cr_assert_eq(vpm_geometry_dof_mm(f, N, C, 150.0, &d), VPM_EGEOMETRY);
	cr_assert_eq(vpm_geometry_dof_mm(f, N, -1.0, X, &d), VPM_EINVAL);
}

Test(geometry, circle_of_confusion_helpers)
{
	double c = 0.0;

	/* W/1000 for the BMD URSA Mini Pro 4.6K G2: 4608 × 5.5 µm = 25.344 mm */
	cr_assert_float_eq(vpm_geometry_coc_default_mm(25.344), 0.025344, 1e-15);
	/* equipment.md §6: full-frame diagonal ÷ 1500 = 0.0288 mm */
	cr_assert_float_eq(vpm_geometry_coc_diagonal_mm(36.0, 24.0, 1500.0), 0.02884, 1e-5);
	cr_assert_eq(vpm_geometry_coc_format_mm("S35", &c), VPM_OK);
	cr_assert_float_eq(c, 0.025, 0.0);
	cr_assert_eq(vpm_geometry_coc_format_mm("full-frame", &c), VPM_OK);
	cr_assert_float_eq(c, 0.030, 0.0);
	cr_assert_eq(vpm_geometry_coc_format_mm("aps-c", &c), VPM_OK);
	cr_assert_float_eq(c, 0.019, 0.0);
	cr_assert_eq(vpm_geometry_coc_format_mm("super16", &c), VPM_OK);
	cr_assert_float_eq(c, 0.0125, 0.0);
	c = 7.0;
	cr_assert_eq(vpm_geometry_coc_format_mm("imax", &c), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "imax") != NULL);
	cr_assert_eq(c, 7.0);
	cr_assert_eq(vpm_geometry_coc_format_mm(NULL, &c), VPM_EINVAL);
}
