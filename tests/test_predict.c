/* The analytic moiré predictor (SPEC §2 steps 1–10): reference stage,
 * limits and symmetries, merging, every validation error, and agreement of
 * the pruned fast path with an exhaustive evaluation. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "predict_private.h"
#include "testutil.h"
#include "vpmoire/content.h"
#include "vpmoire/geometry.h"
#include "vpmoire/otf.h"
#include "vpmoire/panel.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static vpm_predict_workspace_t *ws;

static void setup_ws(void)
{
	ws = vpm_predict_workspace_alloc();
	cr_assert_not_null(ws);
}

static void teardown_ws(void)
{
	vpm_predict_workspace_free(ws);
	ws = NULL;
}

TestSuite(predict, .init = setup_ws, .fini = teardown_ws);

/* The SPEC §2 chain: every test below that checks closed forms or the
 * reference chain runs on it (the field model has its own tests). */
static vpm_setup_t ideal_default(void)
{
	vpm_setup_t s = vpm_setup_default();

	s.model = VPM_MODEL_IDEAL;
	return s;
}

/* The reference micro stage in raw numbers: camera BMD URSA Mini Pro 4.6K
 * G2 (5.5 µm, 4608 photosites across, Bayer, no OLPF, fill 1), ZEISS CP.3
 * 28 mm, subject 1.524 m (5 ft) in front of the wall and 1 m from the
 * camera: wall 2.524 m, focus 1.0 m (sensor-plane distances). */
static vpm_setup_t micro_stage(double pitch_mm, double emitter_mm, double stop)
{
	vpm_setup_t s = ideal_default();

	s.pitch_mm = pitch_mm;
	s.emitter_mm = emitter_mm;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.cfa = VPM_CFA_BAYER;
	s.olpf_um = 0.0;
	s.fill = 1.0;
	s.focal_mm = 28.0;
	s.stop = stop;
	s.wall_m = 2.524;
	s.focus_m = 1.0;
	return s;
}

static vpm_result_t run(const vpm_setup_t *s)
{
	vpm_result_t r;
	vpm_status_t st = vpm_predict(s, ws, &r);

	cr_assert_eq(st, VPM_OK, "vpm_predict: %s", vpm_error_message());
	return r;
}

static void assert_finite_result(const vpm_result_t *r)
{
	const double v[] = { r->magnification,	  r->led_frequency_cy_mm,
			     r->led_pitch_px,	  r->nyquist_cy_mm,
			     r->wall_blur_mm,	  r->wall_blur_pitches,
			     r->defocus_waves,	  r->coc_mm,
			     r->dof_near_m,	  r->hyperfocal_m,
			     r->moire_visibility, r->moire_modulation,
			     r->moire_beat_cy_mm, r->moire_cy_deg,
			     r->grid_visibility,  r->grid_modulation,
			     r->grid_cy_mm,	  r->grid_cy_deg };

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		cr_assert(isfinite(v[i]), "field %zu is %g", i, v[i]);
	cr_assert(!isnan(r->dof_far_m));
	for (size_t i = 0; i < r->n_top; i++)
		cr_assert(isfinite(r->top[i].visibility) && isfinite(r->top[i].modulation) &&
			  isfinite(r->top[i].nu_cy_mm));
}

Test(predict, defaults_and_names)
{
	vpm_setup_t s = vpm_setup_default();
	vpm_model_choice_t c;

	cr_assert_float_eq(s.aspect, 16.0 / 9.0, 1e-15);
	cr_assert_eq(s.view_heights, 1.5);
	cr_assert_eq(s.luminance_cd_m2, 100.0);
	cr_assert_eq(s.grade_gain, 1.0);
	cr_assert_eq(s.roll_deg, 0.0);
	cr_assert_eq(s.tolerance, 0.10);
	cr_assert_eq(s.chroma, VPM_CHROMA_AUTO);
	cr_assert_eq(s.model, VPM_MODEL_FIELD);
	cr_assert_eq(s.viewing, VPM_VIEWING_AUTO);
	cr_assert_eq(s.resample, VPM_RESAMPLE_AUTO);
	cr_assert_eq(s.band, VPM_BAND_AUTO);
	cr_assert_lt(s.pupil_edge, 0.0);
	cr_assert_eq(s.content_contrast, 0.0);
	/* the field model resolves AUTO to its own choices (doc/model.md) */
	cr_assert_eq(vpm_setup_model(&s, &c), VPM_OK);
	cr_assert_eq(c.chroma, VPM_CHROMA_OPPONENT);
	cr_assert_eq(c.resample, VPM_RESAMPLE_LANCZOS3);
	cr_assert_eq(c.band, VPM_BAND_EXPECTED);
	cr_assert_eq(c.viewing, VPM_VIEWING_UHD_TV); /* no delivery: UHD TV, 1.5 H */
	cr_assert_eq(c.view_heights, 1.5);
	cr_assert_eq(c.pupil_edge, VPM_FIELD_PUPIL_EDGE);
	s.delivery_px = 1920;
	cr_assert_eq(vpm_setup_model(&s, &c), VPM_OK);
	cr_assert_eq(c.viewing, VPM_VIEWING_HD_TV);
	cr_assert_eq(c.view_heights, 3.0);
	/* the ideal chain resolves to SPEC §2 exactly */
	s.model = VPM_MODEL_IDEAL;
	cr_assert_eq(vpm_setup_model(&s, &c), VPM_OK);
	cr_assert_eq(c.chroma, VPM_CHROMA_FULL);
	cr_assert_eq(c.resample, VPM_RESAMPLE_BOX);
	cr_assert_eq(c.band, VPM_BAND_WORST);
	cr_assert_eq(c.viewing, VPM_VIEWING_CUSTOM);
	cr_assert_eq(c.view_heights, 1.5);
	cr_assert_eq(c.luminance_cd_m2, 100.0);
	cr_assert_eq(c.pupil_edge, 0.0);
	cr_assert_str_eq(vpm_model_name(VPM_MODEL_FIELD), "field");
	cr_assert_str_eq(vpm_model_name(VPM_MODEL_IDEAL), "ideal");
	cr_assert_str_eq(vpm_band_name(VPM_BAND_EXPECTED), "expected");
	cr_assert_str_eq(vpm_chroma_name(VPM_CHROMA_OPPONENT), "opponent");
	cr_assert_eq(s.cfa, VPM_CFA_BAYER);
	cr_assert_eq(s.fill, 1.0);
	cr_assert_eq(s.olpf_um, 0.0);
	cr_assert(isinf(s.focus_m));
	cr_assert_eq(s.caution_at, 1.0);
	cr_assert_eq(s.risky_at, 3.0);
	cr_assert_eq(s.lens_mtf_n, 0);
	cr_assert_str_eq(vpm_risk_name(VPM_RISK_SAFE), "safe");
	cr_assert_str_eq(vpm_risk_name(VPM_RISK_CAUTION), "caution");
	cr_assert_str_eq(vpm_risk_name(VPM_RISK_RISKY), "risky");
	cr_assert_str_eq(vpm_channel_name(VPM_CHANNEL_LUMA), "luma");
	cr_assert_str_eq(vpm_channel_name(VPM_CHANNEL_RED), "red");
	cr_assert_str_eq(vpm_channel_name(VPM_CHANNEL_BLUE), "blue");
	cr_assert_null(vpm_channel_name(VPM_CHANNEL_NONE));
	vpm_predict_workspace_free(NULL);
}

/* Risk classes (SPEC §2 step 10, defaults 1 and 3): SAFE below caution_at,
 * CAUTION from it, RISKY from risky_at.  Regression (issue 13): the
 * predictor called a NaN visibility RISKY and the FFT engine called it SAFE;
 * both now classify through vpm_risk_classify(), where NaN is RISKY. */
Test(predict, risk_classes_are_one_rule_and_nan_is_never_safe)
{
	cr_assert_eq(vpm_risk_classify(0.0, 1.0, 3.0), VPM_RISK_SAFE);
	cr_assert_eq(vpm_risk_classify(0.997, 1.0, 3.0), VPM_RISK_SAFE);
	cr_assert_eq(vpm_risk_classify(1.0, 1.0, 3.0), VPM_RISK_CAUTION);
	cr_assert_eq(vpm_risk_classify(2.913, 1.0, 3.0), VPM_RISK_CAUTION);
	cr_assert_eq(vpm_risk_classify(3.0, 1.0, 3.0), VPM_RISK_RISKY);
	cr_assert_eq(vpm_risk_classify(INFINITY, 1.0, 3.0), VPM_RISK_RISKY);
	cr_assert_eq(vpm_risk_classify(NAN, 1.0, 3.0), VPM_RISK_RISKY);
	cr_assert_eq(vpm_risk_classify(-NAN, 0.5, 7.25), VPM_RISK_RISKY);
	cr_assert_eq(vpm_risk_classify(2.0, 2.0, 2.0), VPM_RISK_RISKY);
	cr_assert_str_eq(vpm_risk_label(VPM_RISK_SAFE), "SAFE");
	cr_assert_str_eq(vpm_risk_label(VPM_RISK_CAUTION), "CAUTION");
	cr_assert_str_eq(vpm_risk_label(VPM_RISK_RISKY), "RISKY");
	/* the verdict's visibility is the larger of moiré and grid, as fmax() */
	cr_assert_eq(vpm_visibility_verdict(0.385, 2.71), 2.71);
	cr_assert_eq(vpm_visibility_verdict(4.02, 0.0), 4.02);
	cr_assert_eq(vpm_visibility_verdict(NAN, 0.61), 0.61);
	cr_assert(isnan(vpm_visibility_verdict(NAN, NAN)));
	cr_assert_eq(vpm_risk_classify(vpm_visibility_verdict(NAN, NAN), 1.0, 3.0), VPM_RISK_RISKY);
}

/* The report contract's table (issue 13: `check --json` and the sweep's
 * CSV rows wrote the list each): SPEC's names in SPEC's order
 * (tu_spec_fields), the values of the result, absent frequencies NaN and
 * an absent channel NULL. */
Test(predict, report_fields_are_the_contract)
{
	size_t i, n;
	const char *const *spec = tu_spec_fields(&n);
	vpm_result_t r;
	double num = 0.0;
	const char *text = "x";

	cr_assert_eq(n, (size_t)VPM_REPORT_FIELDS);
	for (i = 0; i < n; i++)
		cr_assert_str_eq(vpm_report_field_name(i), spec[i]);
	cr_assert_null(vpm_report_field_name(VPM_REPORT_FIELDS));
	memset(&r, 0, sizeof r);
	r.magnification = 0.011555;
	r.hyperfocal_m = 11.922;
	r.moire_visibility = 0.385;
	r.moire_beat_cy_mm = 35.52;
	r.moire_channel = VPM_CHANNEL_NONE;
	r.grid_channel = VPM_CHANNEL_LUMA;
	r.grid_cy_mm = 55.39;
	r.risk = VPM_RISK_CAUTION;
	cr_assert_eq(vpm_report_field_value(0, &r, &num, &text), 0);
	cr_assert_eq(num, 0.011555);
	cr_assert_null(text);
	cr_assert_eq(vpm_report_field_value(7, &r, &num, &text), 0);
	cr_assert_eq(num, 11.922);
	cr_assert_eq(vpm_report_field_value(8, &r, &num, &text), 0);
	cr_assert_eq(num, 0.385);
	/* no moiré component: no beat frequency, no channel */
	cr_assert_eq(vpm_report_field_value(10, &r, &num, &text), 0);
	cr_assert(isnan(num));
	cr_assert_eq(vpm_report_field_value(12, &r, &num, &text), 1);
	cr_assert_null(text);
	cr_assert(isnan(num));
	cr_assert_eq(vpm_report_field_value(15, &r, &num, &text), 0);
	cr_assert_eq(num, 55.39);
	cr_assert_eq(vpm_report_field_value(16, &r, &num, &text), 1);
	cr_assert_str_eq(text, "caution");
	r.moire_channel = VPM_CHANNEL_RED;
	cr_assert_eq(vpm_report_field_value(10, &r, &num, &text), 0);
	cr_assert_eq(num, 35.52);
	cr_assert_eq(vpm_report_field_value(12, &r, &num, &text), 1);
	cr_assert_str_eq(text, "red");
	num = 2.5;
	text = "kept";
	cr_assert_eq(vpm_report_field_value(VPM_REPORT_FIELDS, &r, &num, &text), -1);
	cr_assert_eq(num, 2.5);
	cr_assert_str_eq(text, "kept");
}

/* Geometry fields of the reference stage: m = v_f/s_w = 0.011555,
 * ν0 = 55.39 cy/mm (3.28 photosites per LED), blur 0.2418 mm at T2.1
 * (13.4 LED pitches, 25.9 waves at 555 nm), CoC = W/1000. */
Test(predict, reference_stage_geometry)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.1);
	vpm_result_t r = run(&s);
	double s_f, v_f;

	cr_assert_eq(vpm_geometry_focus_object_mm(28.0, 1000.0, &s_f), VPM_OK);
	v_f = vpm_geometry_image_mm(28.0, s_f);
	cr_assert_float_eq(r.magnification, v_f / (2524.0 - v_f), 1e-14);
	cr_assert_float_eq(r.magnification, 0.011555, 1e-6);
	cr_assert_float_eq(r.led_frequency_cy_mm, 1.0 / (1.5625 * r.magnification), 1e-9);
	cr_assert_float_eq(r.led_pitch_px, 1.5625 * r.magnification / 0.0055, 1e-9);
	cr_assert_float_eq(r.led_pitch_px, 3.283, 1e-3);
	cr_assert_float_eq(r.nyquist_cy_mm, 1.0 / 0.011, 1e-9);
	cr_assert_float_eq(r.wall_blur_mm, 0.2418, 1e-4);
	cr_assert_float_eq(r.wall_blur_pitches, r.wall_blur_mm / (1.5625 * r.magnification), 1e-12);
	cr_assert_float_eq(r.defocus_waves, r.wall_blur_mm / (8 * 2.1 * 555e-6), 1e-9);
	cr_assert_float_eq(r.coc_mm, 4608 * 0.0055 / 1000.0, 1e-15);
	cr_assert(r.dof_near_m < 1.0 && 1.0 < r.dof_far_m, "DOF %g–%g m", r.dof_near_m,
		  r.dof_far_m);
	assert_finite_result(&r);
	/* an explicit CoC overrides W/1000 */
	s.coc_mm = 0.025;
	cr_assert_eq(run(&s).coc_mm, 0.025);
}

/* The reference-stage verdicts (raw-number panels: 1.5625 mm with a
 * ~0.35 mm emitter, ROE BP2V2 2.8409 mm with ~0.5 mm), chroma `luma`,
 * default δ = 0.10. */
Test(predict, reference_stage_verdicts)
{
	const double stops[3] = { 2.1, 2.8, 4.0 };
	double prev[2] = { 0.0, 0.0 };

	for (int k = 0; k < 3; k++) {
		vpm_setup_t a = micro_stage(1.5625, 0.35, stops[k]);
		vpm_setup_t b = micro_stage(500.0 / 176.0, 0.5, stops[k]);
		vpm_result_t ra, rb;

		a.chroma = b.chroma = VPM_CHROMA_LUMA;
		ra = run(&a);
		rb = run(&b);
		cr_log_info(
			"T%.1f  1.56 mm: moire V %.3f (mod %.4f, %.2f cy/mm %s) grid V %.3f "
			"(mod %.4f, %.2f cy/mm) %s | 2.84 mm: moire V %.3f (mod %.4f, %.2f cy/mm %s) "
			"grid V %.3f (mod %.4f, %.2f cy/mm) %s",
			stops[k], ra.moire_visibility, ra.moire_modulation, ra.moire_beat_cy_mm,
			vpm_channel_name(ra.moire_channel), ra.grid_visibility, ra.grid_modulation,
			ra.grid_cy_mm, vpm_risk_name(ra.risk), rb.moire_visibility,
			rb.moire_modulation, rb.moire_beat_cy_mm,
			vpm_channel_name(rb.moire_channel), rb.grid_visibility, rb.grid_modulation,
			rb.grid_cy_mm, vpm_risk_name(rb.risk));
		if (k == 0)
			cr_assert_eq(ra.risk, VPM_RISK_SAFE, "1.5 mm at T2.1: V %g",
				     vpm_result_visibility(&ra));
		if (k == 1)
			cr_assert_neq(rb.risk, VPM_RISK_SAFE, "2.84 mm at T2.8: V %g",
				      vpm_result_visibility(&rb));
		cr_assert_gt(vpm_result_visibility(&rb), vpm_result_visibility(&ra),
			     "T%g: 2.84 mm %g vs 1.5 mm %g", stops[k], vpm_result_visibility(&rb),
			     vpm_result_visibility(&ra));
		/* stopping down sharpens the wall: visibility does not fall */
		cr_assert_geq(vpm_result_visibility(&ra), prev[0], "1.5 mm T%g", stops[k]);
		cr_assert_geq(vpm_result_visibility(&rb), prev[1], "2.84 mm T%g", stops[k]);
		prev[0] = vpm_result_visibility(&ra);
		prev[1] = vpm_result_visibility(&rb);
		assert_finite_result(&ra);
		assert_finite_result(&rb);
	}
}

/* The verdicts do not hinge on the emitter estimate: 0.2–0.6 mm. */
Test(predict, reference_stage_emitter_sensitivity)
{
	for (double e = 0.15; e <= 0.601; e += 0.05) {
		vpm_setup_t a = micro_stage(1.5625, e, 2.1);
		vpm_setup_t b = micro_stage(500.0 / 176.0, e, 2.8);

		a.chroma = b.chroma = VPM_CHROMA_LUMA;
		cr_assert_eq(run(&a).risk, VPM_RISK_SAFE, "1.5 mm, e = %g mm", e);
		cr_assert_neq(run(&b).risk, VPM_RISK_SAFE, "2.84 mm, e = %g mm", e);
	}
}

/* White-box consistency: with the wall in focus (w = 0), δ = 0, a mono
 * sensor and no OLPF, the resolved fundamental (1, 0) has modulation
 * 2·|sinc(e/p)|·MTF_diff(ν0)·|sinc(φ·a·ν0)| and visibility
 * g·modulation·S(u). */
Test(predict, fundamental_is_the_product_of_factors)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r;
	const vpm_component_t *c = NULL;
	double nu0, want, S, u, W;

	s.pitch_mm = 2.6;
	s.emitter_mm = 0.61;
	s.photosite_um = 4.7;
	s.width_px = 5000;
	s.fill = 0.83;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 50.0;
	s.stop = 2.8;
	s.wall_m = 5.0;
	s.focus_m = 5.0;
	s.tolerance = 0.0;
	s.grade_gain = 1.7;
	r = run(&s);
	cr_assert_float_eq(r.wall_blur_mm, 0.0, 1e-15);
	nu0 = r.led_frequency_cy_mm;
	for (size_t i = 0; i < r.n_top; i++)
		if (r.top[i].k == 1 && r.top[i].l == 0)
			c = &r.top[i];
	cr_assert_not_null(c, "(1, 0) is among the strongest");
	cr_assert_eq(c->aliased, 0);
	cr_assert_eq(c->channel, VPM_CHANNEL_LUMA);
	want = 2.0 * vpm_panel_emitter_factor(0.61, 2.6, 1) *
	       vpm_otf_diffraction_cy_mm(nu0, 555.0, 2.8) *
	       vpm_otf_photosite(nu0, 0.0, 0.83 * 0.0047);
	cr_assert_float_eq(c->modulation, want, 1e-12 * want);
	cr_assert_float_eq(c->nu_x_cy_mm, nu0, 1e-9);
	cr_assert_float_eq(c->nu_y_cy_mm, 0.0, 1e-12);
	W = 5000 * 0.0047;
	u = nu0 * W / vpm_vision_angle_deg(16.0 / 9.0, 1.5);
	S = vpm_vision_csf(u, 100.0, vpm_vision_angle_deg(16.0 / 9.0, 1.5));
	cr_assert_float_eq(c->cy_deg, u, 1e-9);
	cr_assert_float_eq(c->visibility, 1.7 * want * S, 1e-9 * c->visibility);
	/* with the OLPF its factor multiplies in */
	s.olpf_um = 3.3;
	r = run(&s);
	for (size_t i = 0; i < r.n_top; i++)
		if (r.top[i].k == 1 && r.top[i].l == 0)
			cr_assert_float_eq(r.top[i].modulation,
					   want * vpm_otf_olpf(nu0, 0.0, 0.0033), 1e-12 * want);
}

/* No defocus, no OLPF, ν → 0: no attenuation (a very coarse LED image:
 * the fundamental is nearly unattenuated but for the emitter). */
Test(predict, no_attenuation_at_low_frequency)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r;

	s.pitch_mm = 50.0;
	s.emitter_mm = 0.5;
	s.photosite_um = 1.0;
	s.width_px = 20000;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 100.0;
	s.stop = 2.0;
	s.wall_m = 2.0;
	s.focus_m = 2.0;
	s.tolerance = 0.0;
	r = run(&s);
	cr_assert_lt(r.led_frequency_cy_mm, 0.5);
	for (size_t i = 0; i < r.n_top; i++)
		if (r.top[i].k == 1 && r.top[i].l == 0) {
			double e = vpm_panel_emitter_factor(0.5, 50.0, 1);

			cr_assert_float_eq(r.top[i].modulation, 2.0 * e, 2e-3);
			cr_assert_leq(r.top[i].modulation, 2.0 * e);
		}
	/* every component: modulation ≤ 2 (every factor ≤ 1) */
	for (size_t i = 0; i < r.n_top; i++)
		cr_assert_leq(r.top[i].modulation, 2.0);
}

/* Step 7: harmonics folding onto one frequency merge (worst-case phase).
 * Focus at infinity puts ν0 = (X_w − f)/(f·p) exactly: 50 mm, 2 mm pitch,
 * wall 16.05 m gives 160 cy/mm = 0.8 LEDs per 5 µm photosite.  Mono, f/2:
 * cut-off 900.9 cy/mm, so |k|, |l| ≤ 5.  Harmonics 1 and 4 fold to ∓40
 * cy/mm, l = ±5 to 0: the group at (40, 0) is {(1,0), (4,0), (1,5),
 * (1,−5)}.  The beat is 40 cy/mm = a 5.00-photosite fringe (optics-
 * reference §8: 0.8 LEDs/px → 5.00 px). */
Test(predict, merging_and_fringe_period)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r;
	vpm_predict_stats_t st;
	const int mem[4][2] = { { 1, 0 }, { 4, 0 }, { 1, 5 }, { 1, -5 } };
	double sum = 0.0, w, nu0;

	s.pitch_mm = 2.0;
	s.emitter_mm = 0.37;
	s.photosite_um = 5.0;
	s.width_px = 4000;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 50.0;
	s.stop = 2.0;
	s.wall_m = 16.05;
	s.focus_m = INFINITY;
	r = run(&s);
	vpm_predict_workspace_stats(ws, &st);
	cr_assert_eq(st.general_channels, 1, "the rational ratio needs the grouped path");
	nu0 = r.led_frequency_cy_mm;
	cr_assert_float_eq(nu0, 160.0, 1e-9);
	cr_assert_eq(r.moire_channel, VPM_CHANNEL_LUMA);
	cr_assert_float_eq(r.moire_beat_cy_mm, 40.0, 1e-6);
	cr_assert_float_eq(vpm_sensor_period_px(r.moire_beat_cy_mm, 0.005), 5.00, 1e-6);
	/* the merged modulation: 2 × the sum of the members' amplitudes */
	w = vpm_geometry_defocus_waves(r.wall_blur_mm, 2.0, 555.0);
	for (int i = 0; i < 4; i++) {
		int k = mem[i][0], l = mem[i][1];
		double nu = nu0 * sqrt((double)(k * k + l * l));
		double sh = vpm_otf_shear(nu, 555.0, 2.0);

		sum += vpm_panel_emitter_factor(0.37, 2.0, k) *
		       vpm_panel_emitter_factor(0.37, 2.0, l) *
		       vpm_otf_defocus_factor(sh, w, 0.10) *
		       vpm_otf_photosite(nu0 * k, nu0 * l, 0.005);
	}
	cr_assert_float_eq(r.moire_modulation, 2.0 * sum, 1e-12 * sum);
	/* the mirrored group (0, 40) ties: it ranks first (k = 0) */
	cr_assert_float_eq(r.top[0].visibility, r.top[1].visibility, 1e-12 * r.top[0].visibility);
	/* 1.25 LEDs per photosite: ν0 = 250 cy/mm, beat 50 cy/mm = 4.00 px */
	s.wall_m = 25.05;
	s.stop = 4.0;
	r = run(&s);
	cr_assert_float_eq(r.led_frequency_cy_mm, 250.0, 1e-9);
	cr_assert_float_eq(r.moire_beat_cy_mm, 50.0, 1e-6);
	cr_assert_float_eq(vpm_sensor_period_px(r.moire_beat_cy_mm, 0.005), 4.00, 1e-6);
}

Test(predict, mono_has_no_chroma_channel)
{
	vpm_setup_t s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	vpm_result_t r;
	int chroma = 0;

	r = run(&s);
	for (size_t i = 0; i < r.n_top; i++)
		chroma |= r.top[i].channel != VPM_CHANNEL_LUMA;
	cr_assert(chroma, "a Bayer sensor shows red/blue components here");
	s.cfa = VPM_CFA_MONO;
	r = run(&s);
	for (size_t i = 0; i < r.n_top; i++)
		cr_assert_eq(r.top[i].channel, VPM_CHANNEL_LUMA);
	cr_assert(r.moire_channel == VPM_CHANNEL_LUMA || r.moire_channel == VPM_CHANNEL_NONE);
	cr_assert(r.grid_channel == VPM_CHANNEL_LUMA || r.grid_channel == VPM_CHANNEL_NONE);
}

static void assert_same(const vpm_result_t *a, const vpm_result_t *b, double rel, const char *what)
{
#define SAME(x)                                                                     \
	cr_assert(fabs(a->x - b->x) <= rel * fmax(fabs(a->x), fabs(b->x)) + 1e-300, \
		  "%s: " #x " %.15g vs %.15g", what, a->x, b->x)
	SAME(moire_visibility);
	SAME(moire_modulation);
	SAME(moire_beat_cy_mm);
	SAME(moire_cy_deg);
	SAME(grid_visibility);
	SAME(grid_modulation);
	SAME(grid_cy_mm);
	SAME(magnification);
	SAME(wall_blur_mm);
#undef SAME
	cr_assert_eq(a->moire_channel, b->moire_channel, "%s", what);
	cr_assert_eq(a->grid_channel, b->grid_channel, "%s", what);
	cr_assert_eq(a->risk, b->risk, "%s", what);
	cr_assert_eq(a->n_top, b->n_top, "%s", what);
	for (size_t i = 0; i < a->n_top; i++)
		cr_assert(fabs(a->top[i].visibility - b->top[i].visibility) <=
				  rel * a->top[i].visibility,
			  "%s: top %zu %.15g vs %.15g", what, i, a->top[i].visibility,
			  b->top[i].visibility);
}

/* Roll by 90° (or 180°, 270°, −90°) gives the same result as 0°. */
Test(predict, roll_quarter_turns)
{
	const double rolls[] = { 90.0, 180.0, 270.0, -90.0, 360.0 };
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r0 = run(&s);

	for (size_t i = 0; i < sizeof rolls / sizeof rolls[0]; i++) {
		vpm_result_t r;

		s.roll_deg = rolls[i];
		r = run(&s);
		assert_same(&r0, &r, 1e-12, "roll");
	}
}

Test(predict, small_roll_is_finite)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r;

	s.roll_deg = 3.0;
	r = run(&s);
	assert_finite_result(&r);
	cr_assert_gt(vpm_result_visibility(&r), 0.0);
}

Test(predict, focus_at_infinity)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r;

	s.focus_m = INFINITY;
	r = run(&s);
	assert_finite_result(&r);
	cr_assert(isinf(r.dof_far_m) && r.dof_far_m > 0);
	cr_assert(isfinite(r.hyperfocal_m) && r.hyperfocal_m > 0);
	/* near limit = H with focus at infinity (sensor plane) */
	cr_assert_float_eq(r.dof_near_m, (28.0 * 28.0 / (2.8 * r.coc_mm) + 28.0) / 1000.0, 1e-9);
	/* blur f²/(N·s_w) */
	cr_assert_float_eq(r.wall_blur_mm, 28.0 * 28.0 / (2.8 * (2524.0 - 28.0)), 1e-12);
	cr_assert_float_eq(r.magnification, 28.0 / (2524.0 - 28.0), 1e-14);
}

/* X ≤ 4f is refused with VPM_EGEOMETRY; nothing is written, no NaN. */
Test(predict, closer_than_4f_is_refused)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r, orig;

	memset(&r, 0x5a, sizeof r);
	orig = r;
	s.focus_m = 0.112; /* 4f = 0.112 m */
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "--focus") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "closer than the lens can focus") != NULL);
	cr_assert(memcmp(&r, &orig, sizeof r) == 0, "result untouched");
	s.focus_m = 1.0;
	s.wall_m = 0.1;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EGEOMETRY);
	cr_assert(strstr(vpm_error_message(), "--wall") != NULL, "%s", vpm_error_message());
	cr_assert(memcmp(&r, &orig, sizeof r) == 0);
	/* just beyond 4f works and is finite */
	s.wall_m = 0.1125;
	s.focus_m = 0.1125;
	r = run(&s);
	assert_finite_result(&r);
}

/* Every validation error: field, bad value, status, flag in the message. */
Test(predict, every_validation_error)
{
	vpm_setup_t base = micro_stage(1.5625, 0.35, 2.8), s;
	vpm_result_t r;

#define EXPECT(field_expr, status, needle)                                                   \
	do {                                                                                 \
		s = base;                                                                    \
		field_expr;                                                                  \
		cr_assert_eq(vpm_setup_validate(&s), status, "%s: got %d (%s)", #field_expr, \
			     vpm_setup_validate(&s), vpm_error_message());                   \
		cr_assert(strstr(vpm_error_message(), needle) != NULL, "%s: message '%s'",   \
			  #field_expr, vpm_error_message());                                 \
		cr_assert_eq(vpm_predict(&s, ws, &r), status, "%s", #field_expr);            \
	} while (0)

	cr_assert_eq(vpm_setup_validate(&base), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_setup_validate(NULL), VPM_EINVAL);
	cr_assert_eq(vpm_predict(&base, NULL, &r), VPM_EINVAL);
	cr_assert_eq(vpm_predict(&base, ws, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_predict(NULL, ws, &r), VPM_EINVAL);

	EXPECT(s.pitch_mm = 0.0, VPM_EINVAL, "--pitch");
	EXPECT(s.pitch_mm = -1.5, VPM_EINVAL, "--pitch");
	EXPECT(s.pitch_mm = NAN, VPM_EINVAL, "--pitch");
	EXPECT(s.pitch_mm = INFINITY, VPM_ERANGE, "--pitch");
	EXPECT(s.pitch_mm = 0.005, VPM_ERANGE, "--pitch");
	EXPECT(s.pitch_mm = 150.0, VPM_ERANGE, "--pitch");
	EXPECT(s.emitter_mm = 0.0, VPM_EINVAL, "--emitter");
	EXPECT(s.emitter_mm = -0.2, VPM_EINVAL, "--emitter");
	EXPECT(s.emitter_mm = NAN, VPM_EINVAL, "--emitter");
	EXPECT(s.emitter_mm = 1.5625, VPM_ERANGE, "--emitter");
	EXPECT(s.emitter_mm = 2.0, VPM_ERANGE, "--emitter");
	EXPECT(s.photosite_um = 0.0, VPM_EINVAL, "--photosite");
	EXPECT(s.photosite_um = NAN, VPM_EINVAL, "--photosite");
	EXPECT(s.photosite_um = 0.05, VPM_ERANGE, "--photosite");
	EXPECT(s.photosite_um = 500.0, VPM_ERANGE, "--photosite");
	EXPECT(s.width_px = 0, VPM_EINVAL, "--width-px");
	EXPECT(s.width_px = -4608, VPM_EINVAL, "--width-px");
	EXPECT(s.width_px = 20000000, VPM_ERANGE, "--width-px");
	EXPECT(s.olpf_um = -1.0, VPM_EINVAL, "--olpf");
	EXPECT(s.olpf_um = NAN, VPM_EINVAL, "--olpf");
	EXPECT(s.olpf_um = 1000.0, VPM_ERANGE, "--olpf");
	EXPECT(s.fill = 0.0, VPM_EINVAL, "--fill");
	EXPECT(s.fill = 1.2, VPM_ERANGE, "--fill");
	EXPECT(s.fill = NAN, VPM_EINVAL, "--fill");
	EXPECT(s.cfa = (vpm_cfa_t)7, VPM_EINVAL, "--cfa");
	EXPECT(s.recording_px = -1, VPM_EINVAL, "--recording-px");
	EXPECT(s.recording_px = 5000000, VPM_ERANGE, "--recording-px");
	EXPECT(s.delivery_px = -1920, VPM_EINVAL, "--delivery-px");
	EXPECT(s.delivery_px = 5000000, VPM_ERANGE, "--delivery-px");
	EXPECT(s.focal_mm = 0.0, VPM_EINVAL, "--focal");
	EXPECT(s.focal_mm = NAN, VPM_EINVAL, "--focal");
	EXPECT(s.focal_mm = 6000.0, VPM_ERANGE, "--focal");
	EXPECT(s.stop = 0.4, VPM_ERANGE, "--stop");
	EXPECT(s.stop = 0.0, VPM_EINVAL, "--stop");
	EXPECT(s.stop = -2.8, VPM_EINVAL, "--stop");
	EXPECT(s.stop = NAN, VPM_EINVAL, "--stop");
	EXPECT(s.stop = 200.0, VPM_ERANGE, "--stop");
	EXPECT((s.lens_mtf_n = -1), VPM_EINVAL, "--lens");
	EXPECT((s.lens_mtf_n = 2, s.lens_mtf_stop = 2.8, s.lens_mtf_cy_mm[0] = 20,
		s.lens_mtf_cy_mm[1] = 10, s.lens_mtf[0] = 0.8, s.lens_mtf[1] = 0.9),
	       VPM_EINVAL, "--lens");
	EXPECT((s.lens_mtf_n = 1, s.lens_mtf_stop = 0.0, s.lens_mtf_cy_mm[0] = 20,
		s.lens_mtf[0] = 0.8),
	       VPM_ERANGE, "--lens");
	EXPECT((s.lens_mtf_n = 1, s.lens_mtf_stop = 2.8, s.lens_mtf_cy_mm[0] = 20,
		s.lens_mtf[0] = 1.8),
	       VPM_ERANGE, "--lens");
	EXPECT(s.wall_m = 0.0, VPM_EINVAL, "--wall");
	EXPECT(s.wall_m = -3.0, VPM_EINVAL, "--wall");
	EXPECT(s.wall_m = NAN, VPM_EINVAL, "--wall");
	EXPECT(s.wall_m = INFINITY, VPM_ERANGE, "--wall");
	EXPECT(s.wall_m = 2e5, VPM_ERANGE, "--wall");
	EXPECT(s.wall_m = 0.05, VPM_EGEOMETRY, "--wall");
	EXPECT(s.focus_m = 0.0, VPM_EINVAL, "--focus");
	EXPECT(s.focus_m = -1.0, VPM_EINVAL, "--focus");
	EXPECT(s.focus_m = NAN, VPM_EINVAL, "--focus");
	EXPECT(s.focus_m = 2e5, VPM_ERANGE, "--focus");
	EXPECT(s.focus_m = 0.1, VPM_EGEOMETRY, "--focus");
	/* the 4f limit is vpm_geometry_closest_focus_m()'s (issue 13): 37.7 mm
	 * gives 4f = 0.1508 m; at it, an error naming the limit; beyond, OK */
	EXPECT((s.focal_mm = 37.7, s.focus_m = 0.1508), VPM_EGEOMETRY, "--focus: focus 0.1508 m "
	       "is closer than the lens can focus (4f = 0.1508 m)");
	EXPECT((s.focal_mm = 37.7, s.focus_m = 0.1508, s.wall_m = 0.1508), VPM_EGEOMETRY,
	       "--wall: the wall at 0.1508 m is closer than the lens can focus (4f = 0.1508 m)");
	s = base;
	s.focal_mm = 37.7;
	s.focus_m = vpm_geometry_closest_focus_m(37.7, 0.0, 1.0) * (1.0 + 1e-6);
	cr_assert_eq(vpm_setup_validate(&s), VPM_OK, "%s", vpm_error_message());
	EXPECT(s.aspect = 0.0, VPM_EINVAL, "--aspect");
	EXPECT(s.aspect = 50.0, VPM_ERANGE, "--aspect");
	EXPECT(s.view_heights = -1.5, VPM_EINVAL, "--view-heights");
	EXPECT(s.view_heights = NAN, VPM_EINVAL, "--view-heights");
	EXPECT(s.luminance_cd_m2 = 0.0, VPM_EINVAL, "--luminance");
	EXPECT(s.luminance_cd_m2 = 1e7, VPM_ERANGE, "--luminance");
	EXPECT(s.grade_gain = 0.0, VPM_EINVAL, "--gain"); /* the flag is --gain (apps/cli.c) */
	EXPECT(s.grade_gain = INFINITY, VPM_ERANGE, "--gain");
	EXPECT(s.roll_deg = NAN, VPM_EINVAL, "--roll");
	EXPECT(s.roll_deg = INFINITY, VPM_ERANGE, "--roll");
	EXPECT(s.roll_deg = 400.0, VPM_ERANGE, "--roll");
	EXPECT(s.tolerance = -0.1, VPM_EINVAL, "--tolerance");
	EXPECT(s.tolerance = 1.0, VPM_ERANGE, "--tolerance");
	EXPECT(s.tolerance = NAN, VPM_EINVAL, "--tolerance");
	EXPECT(s.chroma = (vpm_chroma_t)5, VPM_EINVAL, "--chroma-weight");
	EXPECT(s.coc_mm = -0.03, VPM_EINVAL, "--coc");
	EXPECT(s.coc_mm = 50.0, VPM_ERANGE, "--coc");
	EXPECT(s.caution_at = 0.0, VPM_EINVAL, "--caution-at");
	EXPECT(s.risky_at = NAN, VPM_EINVAL, "--risky-at");
	EXPECT((s.caution_at = 5.0, s.risky_at = 2.0), VPM_ERANGE, "--risky-at");
#undef EXPECT
}

/* Issue 14: every numeric quantity has a physical range, and a value
 * outside it is refused (VPM_ERANGE) with the flag, the range and why,
 * instead of a confident verdict: a 1e-300 mm lens gave SAFE with an LED
 * frequency of 1e300 cy/mm; a 1-pixel recording gave SAFE at 0 cy/mm.
 * The ends of each range are accepted. */
Test(predict, physical_ranges_name_flag_range_and_reason)
{
	vpm_setup_t base = micro_stage(1.5625, 0.35, 2.8), s;
	vpm_result_t r;

#define REFUSED(field_expr, needle, range)                                                  \
	do {                                                                                \
		s = base;                                                                   \
		field_expr;                                                                 \
		cr_assert_eq(vpm_setup_validate(&s), VPM_ERANGE, "%s: %s", #field_expr,     \
			     vpm_error_message());                                          \
		cr_assert(strncmp(vpm_error_message(), needle, strlen(needle)) == 0,        \
			  "%s: '%s'", #field_expr, vpm_error_message());                    \
		cr_assert(strstr(vpm_error_message(), range) != NULL, "%s: '%s'",           \
			  #field_expr, vpm_error_message());                                \
		/* a reason follows the range */                                            \
		cr_assert_gt(strlen(strstr(vpm_error_message(), range)), strlen(range) + 4, \
			     "%s: no reason in '%s'", #field_expr, vpm_error_message());    \
		cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ERANGE);                          \
	} while (0)
#define ACCEPTED(field_expr)                                                                \
	do {                                                                                \
		s = base;                                                                   \
		field_expr;                                                                 \
		cr_assert_eq(vpm_setup_validate(&s), VPM_OK, "%s: %s", #field_expr,         \
			     vpm_error_message());                                          \
	} while (0)

	REFUSED(s.focal_mm = 1e-300, "--focal: focal length 1e-300 mm", "[1, 2000] mm");
	REFUSED(s.focal_mm = 0.75, "--focal:", "[1, 2000] mm");
	REFUSED((s.focal_mm = 2500.0, s.wall_m = s.focus_m = 50.0), "--focal:", "[1, 2000] mm");
	ACCEPTED((s.focal_mm = 1.0));
	ACCEPTED((s.focal_mm = 2000.0, s.wall_m = s.focus_m = 50.0));
	REFUSED(s.recording_px = 1, "--recording-px: recording width 1 px", "[64, 1000000] px");
	REFUSED(s.recording_px = 63, "--recording-px:", "[64, 1000000] px");
	ACCEPTED(s.recording_px = 64);
	ACCEPTED(s.recording_px = 0); /* none */
	REFUSED(s.delivery_px = 2, "--delivery-px: delivery width 2 px", "[64, 1000000] px");
	ACCEPTED(s.delivery_px = 64);
	REFUSED(s.width_px = 2, "--width-px: sensor width 2 px", "[64, 1000000] px");
	ACCEPTED(s.width_px = 64);
	REFUSED(s.emitter_mm = 1e-301, "--emitter:", "[0.001, 100] mm");
	ACCEPTED(s.emitter_mm = 0.001);
	REFUSED(s.photosite_um = 1e-300, "--photosite:", "[0.1, 100] um");
	ACCEPTED(s.photosite_um = 0.1);
	REFUSED(s.fill = 0.01, "--fill:", "[0.05, 1]");
	ACCEPTED(s.fill = 0.05);
	REFUSED(s.aspect = 0.1, "--aspect:", "[0.2, 10]");
	ACCEPTED(s.aspect = 0.2);
	REFUSED(s.view_heights = 0.05, "--view-heights:", "[0.25, 100] picture heights");
	ACCEPTED(s.view_heights = 0.25);
	REFUSED(s.luminance_cd_m2 = 0.01, "--luminance:", "[0.1, 10000] cd/m2");
	REFUSED(s.luminance_cd_m2 = 50000.0, "--luminance:", "[0.1, 10000] cd/m2");
	ACCEPTED(s.luminance_cd_m2 = 10000.0);
	REFUSED(s.grade_gain = 500.0, "--gain:", "[0.01, 100]");
	REFUSED(s.grade_gain = 0.001, "--gain:", "[0.01, 100]");
	ACCEPTED(s.grade_gain = 0.01);
	REFUSED(s.coc_mm = 1e-9, "--coc:", "[0.001, 10] mm");
	ACCEPTED(s.coc_mm = 0.0); /* width / 1000 */
	REFUSED(s.stop = 200.0, "--stop: stop 200", "[0.5, 128]");
	REFUSED(s.pitch_mm = 1e-300, "--pitch: LED pitch 1e-300 mm", "[0.01, 100] mm");
#undef REFUSED
#undef ACCEPTED
}

/* Resource limits: a structure far coarser than the diffraction period,
 * and a roll that needs the grouped enumeration of too many harmonics,
 * are refused quickly with VPM_ELIMIT (no hang, no NaN). */
Test(predict, resource_limits)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r;

	s.pitch_mm = 100.0;
	s.emitter_mm = 10.0;
	s.photosite_um = 5.0;
	s.width_px = 4000;
	s.focal_mm = 1000.0;
	s.stop = 0.5;
	s.wall_m = 4.1;
	s.focus_m = 4.1;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ELIMIT, "%s", vpm_error_message());
	s.pitch_mm = 5.0;
	s.emitter_mm = 1.0;
	s.roll_deg = 5.0;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ELIMIT, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "roll") != NULL, "%s", vpm_error_message());
}

Test(predict, top_list_and_risk_thresholds)
{
	vpm_setup_t s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	vpm_result_t r = run(&s);
	double W = 4608 * 0.0055, th = vpm_vision_angle_deg(16.0 / 9.0, 1.5);

	cr_assert_gt(r.n_top, 0);
	cr_assert_leq(r.n_top, VPM_TOP_COMPONENTS);
	cr_assert_float_eq(r.top[0].visibility, vpm_result_visibility(&r), 0.0);
	for (size_t i = 0; i < r.n_top; i++) {
		const vpm_component_t *c = &r.top[i];
		double w = 1.0; /* chroma `full`: every channel weighs 1 */

		if (i > 0)
			cr_assert_geq(r.top[i - 1].visibility, c->visibility);
		cr_assert(c->k > 0 || (c->k == 0 && c->l > 0), "canonical (%d, %d)", c->k, c->l);
		cr_assert(c->nu_x_cy_mm > 0 || (c->nu_x_cy_mm == 0 && c->nu_y_cy_mm >= 0));
		cr_assert_float_eq(c->nu_cy_mm, hypot(c->nu_x_cy_mm, c->nu_y_cy_mm), 1e-12);
		cr_assert_float_eq(c->cy_deg, c->nu_cy_mm * W / th, 1e-9);
		cr_assert_float_eq(c->visibility,
				   w * c->modulation * vpm_vision_csf(c->cy_deg, 100.0, th),
				   1e-9 * c->visibility);
		/* folded into the zone of its lattice */
		{
			double P = c->channel == VPM_CHANNEL_LUMA ? 0.0055 : 0.011;

			cr_assert_leq(fabs(c->nu_x_cy_mm), 0.5 / P + 1e-9);
			cr_assert_leq(fabs(c->nu_y_cy_mm), 0.5 / P + 1e-9);
		}
	}
	cr_assert_eq(r.risk, VPM_RISK_RISKY);
	s.caution_at = 100.0;
	s.risky_at = 200.0;
	cr_assert_eq(run(&s).risk, VPM_RISK_SAFE);
	s.caution_at = 1.0;
	s.risky_at = 200.0;
	cr_assert_eq(run(&s).risk, VPM_RISK_CAUTION);
	/* the grade gain scales every visibility */
	s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	s.grade_gain = 2.5;
	cr_assert_float_eq(run(&s).grid_visibility, 2.5 * r.grid_visibility,
			   1e-12 * r.grid_visibility);
	/* chroma `luma` weights red and blue components down */
	s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	s.chroma = VPM_CHROMA_LUMA;
	cr_assert_leq(run(&s).moire_visibility, r.moire_visibility);
}

/* A measured lens MTF can only lower visibilities; a delivery downscale
 * can turn a resolved LED grid into moiré. */
Test(predict, lens_mtf_and_delivery)
{
	vpm_setup_t s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	vpm_result_t ideal = run(&s), lens, del;

	s.lens_mtf_n = 3;
	s.lens_mtf_stop = 2.8;
	s.lens_mtf_cy_mm[0] = 10;
	s.lens_mtf_cy_mm[1] = 20;
	s.lens_mtf_cy_mm[2] = 40;
	s.lens_mtf[0] = 0.92;
	s.lens_mtf[1] = 0.80;
	s.lens_mtf[2] = 0.55;
	lens = run(&s);
	cr_assert_lt(lens.grid_visibility, ideal.grid_visibility);
	cr_assert_leq(lens.moire_visibility, ideal.moire_visibility);
	/* the same curve again (cached in the workspace) gives the same answer */
	{
		vpm_result_t again = run(&s);

		assert_same(&lens, &again, 0.0, "cached lens curve");
	}
	s = micro_stage(500.0 / 176.0, 0.5, 2.8);
	s.cfa = VPM_CFA_MONO;
	/* delivered 900 px across: P = 5.12 photosites, so the LED fundamental
	 * (5.97 photosites per LED, resolved by the sensor) folds */
	s.delivery_px = 900;
	del = run(&s);
	cr_assert_eq(del.moire_channel, VPM_CHANNEL_LUMA);
	cr_assert_gt(del.moire_visibility, 0.0);
	assert_finite_result(&del);
}

/* The pruned fast path, the grouped path and the exhaustive evaluation of
 * every group give the same result on random set-ups. */
static double uni(unsigned *seed, double a, double b)
{
	*seed = *seed * 1103515245u + 12345u;
	return a + (b - a) * ((*seed >> 8) & 0xffffff) / 16777216.0;
}

Test(predict, fast_path_equals_exhaustive, .timeout = 300)
{
	vpm_predict_workspace_t *wg = vpm_predict_workspace_alloc();
	vpm_predict_workspace_t *we = vpm_predict_workspace_alloc();
	unsigned seed = 20240917u;
	long fast_groups = 0, all_groups = 0;

	vpm_predict_workspace_set_mode(wg, VPM_PREDICT_GENERAL);
	vpm_predict_workspace_set_mode(we, VPM_PREDICT_EXHAUSTIVE);
	for (int t = 0; t < 150; t++) {
		vpm_setup_t s = ideal_default();
		vpm_result_t a, b, c;
		vpm_predict_stats_t st;
		int pick;

		s.pitch_mm = uni(&seed, 1.2, 4.0);
		s.emitter_mm = s.pitch_mm * uni(&seed, 0.05, 0.6);
		s.photosite_um = uni(&seed, 3.0, 8.3);
		s.width_px = (int)uni(&seed, 3000, 8000);
		s.olpf_um = uni(&seed, 0, 1) < 0.3 ? uni(&seed, 2, 8) : 0.0;
		s.fill = uni(&seed, 0.6, 1.0);
		s.cfa = uni(&seed, 0, 1) < 0.25 ? VPM_CFA_MONO : VPM_CFA_BAYER;
		if (uni(&seed, 0, 1) < 0.25)
			s.recording_px = (int)(s.width_px * uni(&seed, 0.4, 0.95));
		if (uni(&seed, 0, 1) < 0.3)
			s.delivery_px = uni(&seed, 0, 1) < 0.5 ? 1920 : 3840;
		s.focal_mm = uni(&seed, 18, 100);
		s.stop = uni(&seed, 1.4, 8);
		s.wall_m = uni(&seed, 1.5, 8);
		s.focus_m = uni(&seed, 0, 1) < 0.2 ? INFINITY : uni(&seed, 0.5, 1.2) * s.wall_m;
		if (isfinite(s.focus_m) && uni(&seed, 0, 1) < 0.3)
			s.wall_m = s.focus_m;
		pick = (int)uni(&seed, 0, 6);
		s.roll_deg = pick == 0 ? uni(&seed, -10, 10) : pick == 1 ? 90.0 : 0.0;
		s.tolerance = uni(&seed, 0, 1) < 0.3 ? 0.0 : uni(&seed, 0, 0.3);
		s.chroma = uni(&seed, 0, 1) < 0.5 ? VPM_CHROMA_LUMA : VPM_CHROMA_FULL;
		s.luminance_cd_m2 = uni(&seed, 20, 300);
		if (uni(&seed, 0, 1) < 0.3) {
			s.lens_mtf_n = 3;
			s.lens_mtf_stop = 4.0;
			s.lens_mtf_cy_mm[0] = 10;
			s.lens_mtf_cy_mm[1] = 20;
			s.lens_mtf_cy_mm[2] = 40;
			s.lens_mtf[0] = 0.9;
			s.lens_mtf[1] = 0.75;
			s.lens_mtf[2] = 0.5;
		}
		cr_assert_eq(vpm_predict(&s, ws, &a), VPM_OK, "%d: %s", t, vpm_error_message());
		vpm_predict_workspace_stats(ws, &st);
		fast_groups += st.evaluated;
		cr_assert_eq(vpm_predict(&s, wg, &b), VPM_OK, "%d: %s", t, vpm_error_message());
		cr_assert_eq(vpm_predict(&s, we, &c), VPM_OK, "%d: %s", t, vpm_error_message());
		vpm_predict_workspace_stats(we, &st);
		all_groups += st.evaluated;
		assert_same(&a, &b, 1e-9, "fast vs grouped");
		assert_same(&a, &c, 1e-9, "fast vs exhaustive");
		assert_finite_result(&a);
	}
	cr_log_info("groups evaluated: pruned %ld, exhaustive %ld", fast_groups, all_groups);
	cr_assert_lt(fast_groups * 10, all_groups, "pruning should skip most groups");
	vpm_predict_workspace_free(wg);
	vpm_predict_workspace_free(we);
}

/* Never a NaN, over a wide sweep of legal set-ups. */
Test(predict, never_nan, .timeout = 120)
{
	unsigned seed = 77u;

	for (int t = 0; t < 400; t++) {
		vpm_setup_t s = ideal_default();
		vpm_result_t r;
		vpm_status_t st;

		s.pitch_mm = uni(&seed, 0.6, 12.0);
		s.emitter_mm = s.pitch_mm * uni(&seed, 0.01, 0.95);
		s.photosite_um = uni(&seed, 1.0, 10.0);
		s.width_px = (int)uni(&seed, 500, 12000);
		s.olpf_um = uni(&seed, 0, 1) < 0.5 ? uni(&seed, 0.5, 10.0) : 0.0;
		s.fill = uni(&seed, 0.1, 1.0);
		s.focal_mm = uni(&seed, 8.0, 300.0);
		s.stop = uni(&seed, 0.7, 22.0);
		s.wall_m = 4.0 * s.focal_mm / 1000.0 * uni(&seed, 1.01, 200.0);
		s.focus_m = uni(&seed, 0, 1) < 0.2
				    ? INFINITY
				    : 4.0 * s.focal_mm / 1000.0 * uni(&seed, 1.01, 300.0);
		s.tolerance = uni(&seed, 0.0, 0.5);
		s.delivery_px = uni(&seed, 0, 1) < 0.3 ? (int)uni(&seed, 200, 4000) : 0;
		st = vpm_predict(&s, ws, &r);
		cr_assert(st == VPM_OK || st == VPM_ELIMIT, "%d: %d %s", t, st,
			  vpm_error_message());
		if (st == VPM_OK)
			assert_finite_result(&r);
	}
}

/* Fuzz finding (tests/fuzz/regressions/study/focal-2.3mm-null-offset): a
 * 2.3 mm lens 8 m from a 2.6 mm wall images the LEDs at 0.00075 mm, far
 * finer than any pass band, so no harmonic is a candidate; the fast path
 * then computed `ws->cand + 0` with ws->cand still NULL (undefined
 * behaviour, reported by clang's UBSan in the sweep's --count probe).  The
 * set-up is simply safe, with nothing visible.  This runs in a fresh
 * workspace, as the sweep's probe did; the UB itself is caught only by
 * clang (`make fuzz-smoke` replays the input), gcc's UBSan has no check for
 * it. */
Test(predict, no_candidate_harmonic_at_all)
{
	vpm_predict_workspace_t *fresh = vpm_predict_workspace_alloc();
	vpm_setup_t s = ideal_default();
	vpm_result_t r;

	cr_assert_not_null(fresh);
	s.pitch_mm = 2.6;
	s.emitter_mm = 0.2;
	s.photosite_um = 4.5;
	s.width_px = 4608;
	s.focal_mm = 2.3;
	s.stop = 2.8;
	s.wall_m = 8.0;
	s.focus_m = 8.0;
	cr_assert_eq(vpm_predict(&s, fresh, &r), VPM_OK, "%s", vpm_error_message());
	assert_finite_result(&r);
	cr_assert_eq(r.risk, VPM_RISK_SAFE);
	cr_assert_float_eq(r.moire_visibility, 0.0, 1e-12);
	cr_assert_float_eq(r.grid_visibility, 0.0, 1e-12);
	vpm_predict_workspace_free(fresh);
}

/* ------------------------------------------------------------------------
 * The field model (doc/model.md).  Each ingredient is checked on its own
 * against the formula it stands for; the ideal chain above stays SPEC §2. */

static const vpm_component_t *find_component(const vpm_result_t *r, int k, int l, vpm_channel_t ch)
{
	for (size_t i = 0; i < r->n_top; i++)
		if (r->top[i].k == k && r->top[i].l == l && r->top[i].channel == ch)
			return &r->top[i];
	return NULL;
}

/* A workspace that ran the field model runs the ideal chain exactly as a
 * fresh one (the field tables must not leak into it). */
Test(predict, field_then_ideal_on_one_workspace)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_predict_workspace_t *fresh = vpm_predict_workspace_alloc();
	vpm_result_t a, b;

	s.model = VPM_MODEL_FIELD;
	(void)run(&s);
	s.model = VPM_MODEL_IDEAL;
	a = run(&s);
	cr_assert_eq(vpm_predict(&s, fresh, &b), VPM_OK);
	cr_assert_eq(a.moire_visibility, b.moire_visibility);
	cr_assert_eq(a.grid_visibility, b.grid_visibility);
	cr_assert_eq(a.risk, b.risk);
	cr_assert(isnan(a.moire_visibility_expected));
	cr_assert_eq(a.moire_visibility_worst, a.moire_visibility);
	vpm_predict_workspace_free(fresh);
}

/* The field model scores from interpolated sensitivity tables; they agree
 * with the formulas to 1e-6 over a grid of set-ups and deliveries. */
Test(predict, field_tables_equal_the_formulas)
{
	vpm_predict_workspace_t *exact = vpm_predict_workspace_alloc();
	const int deliveries[3] = { 0, 1920, 3840 };
	int n = 0;

	vpm_predict_workspace_set_exact_csf(exact, 1);
	for (int p = 0; p < 2; p++)
		for (int d = 0; d < 3; d++)
			for (double f = 18.0; f <= 100.0; f *= 1.37)
				for (double wall = 1.7; wall < 7.0; wall *= 1.31) {
					vpm_setup_t s = micro_stage(p ? 2.8409 : 1.5625,
								    p ? 0.17 : 0.35, 2.8);
					vpm_result_t a, b;

					s.model = VPM_MODEL_FIELD;
					s.focal_mm = f;
					s.wall_m = wall;
					s.focus_m = wall / 2.524;
					s.delivery_px = deliveries[d];
					a = run(&s);
					cr_assert_eq(vpm_predict(&s, exact, &b), VPM_OK);
					cr_assert_float_eq(a.moire_visibility, b.moire_visibility,
							   1e-6 * b.moire_visibility + 1e-12);
					cr_assert_float_eq(a.grid_visibility, b.grid_visibility,
							   1e-6 * b.grid_visibility + 1e-12);
					n++;
				}
	cr_assert_gt(n, 100);
	vpm_predict_workspace_free(exact);
}

/* Colour: with opponent scoring a component's visibility is its modulation
 * times vpm_vision_colour_eval() of its channel (doc/model.md §1); the
 * modulation itself does not change.  Checked in the ideal chain so that
 * only the scoring differs from the proven numbers. */
Test(predict, opponent_colour_scores_each_channel)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t full, opp;
	double X0 = vpm_vision_angle_deg(16.0 / 9.0, 1.5);
	int seen = 0;

	s.chroma = VPM_CHROMA_FULL;
	full = run(&s);
	s.chroma = VPM_CHROMA_OPPONENT;
	opp = run(&s);
	for (size_t i = 0; i < opp.n_top; i++) {
		const vpm_component_t *c = &opp.top[i];
		const vpm_component_t *f = find_component(&full, c->k, c->l, c->channel);
		vpm_vision_colour_t vc;
		int ci = c->channel == VPM_CHANNEL_RED ? 1 : c->channel == VPM_CHANNEL_BLUE ? 2 : 0;

		vpm_vision_colour_init(&vc, ci, 100.0, X0);
		cr_assert_float_eq(c->visibility,
				   c->modulation * vpm_vision_colour_eval(&vc, c->cy_deg),
				   1e-9 * c->visibility);
		if (f) {
			cr_assert_float_eq(c->modulation, f->modulation, 1e-12);
			if (c->channel != VPM_CHANNEL_LUMA)
				cr_assert_lt(c->visibility, f->visibility);
			else
				cr_assert_float_eq(c->visibility, f->visibility,
						   1e-12 * f->visibility);
			seen++;
		}
	}
	cr_assert_gt(seen, 0);
	/* the blue ripple at 14.7 cy/deg no longer counts as luminance */
	cr_assert_lt(opp.moire_visibility, 0.5 * full.moire_visibility);
}

/* Focus uncertainty: the expected value over the band is the mean of the
 * nine |H| (composite Simpson in the field model), never above the worst
 * case; with δ = 0 the two coincide. */
Test(predict, band_expected_and_worst)
{
	for (int m = 0; m < 2; m++) {
		vpm_setup_t s = micro_stage(2.8409, 0.17, 2.8);
		vpm_result_t e, w;

		s.model = m ? VPM_MODEL_IDEAL : VPM_MODEL_FIELD;
		s.band = VPM_BAND_EXPECTED;
		e = run(&s);
		s.band = VPM_BAND_WORST;
		w = run(&s);
		cr_assert_leq(e.moire_visibility, e.moire_visibility_worst * (1 + 1e-12));
		cr_assert_leq(e.grid_visibility, e.grid_visibility_worst * (1 + 1e-12));
		/* the worst case reported is that of the driving components: at
		 * most the worst case over all of them */
		cr_assert_leq(fmax(e.moire_visibility_worst, e.grid_visibility_worst),
			      fmax(w.moire_visibility, w.grid_visibility) * (1 + 1e-9));
		s.tolerance = 0.0;
		s.band = VPM_BAND_EXPECTED;
		e = run(&s);
		cr_assert_float_eq(e.grid_visibility, e.grid_visibility_worst,
				   1e-12 * e.grid_visibility);
	}
}

/* Viewing follows delivery: HD delivery is seen from 3 picture heights,
 * so a component's angular frequency is ν·W/Θ with Θ = 2·atan(16/9/6). */
Test(predict, viewing_follows_delivery)
{
	vpm_setup_t s = micro_stage(2.8409, 0.17, 2.8);
	vpm_result_t r;
	double W = 4608 * 5.5e-3, theta = 2.0 * atan((16.0 / 9.0) / 6.0) * 180.0 / M_PI;

	s.model = VPM_MODEL_FIELD;
	s.delivery_px = 1920;
	r = run(&s);
	cr_assert_eq(r.choice.viewing, VPM_VIEWING_HD_TV);
	cr_assert_eq(r.choice.view_heights, 3.0);
	cr_assert_gt(r.n_top, 0);
	cr_assert_float_eq(r.top[0].cy_deg, r.top[0].nu_cy_mm * W / theta, 1e-9);
	/* an explicit viewer wins */
	s.viewing = VPM_VIEWING_CUSTOM;
	s.view_heights = 2.0;
	r = run(&s);
	cr_assert_eq(r.choice.view_heights, 2.0);
	s.viewing = VPM_VIEWING_CINEMA;
	r = run(&s);
	cr_assert_eq(r.choice.luminance_cd_m2, 48.0);
}

/* Content masking divides each component's sensitivity by Daly's
 * elevation at the content's contrast in threshold units (doc/model.md
 * §6).  Values of E by hand (python): E(1) = 1.1897247198, E(10) =
 * 5.0182118232, E(0.1) = 1.0003973669. */
Test(predict, content_masking)
{
	vpm_setup_t s = micro_stage(2.8409, 0.17, 2.8);
	vpm_predict_workspace_t *exact = vpm_predict_workspace_alloc();
	vpm_result_t flat, busy;
	double X0 = vpm_vision_angle_deg(16.0 / 9.0, 1.5);

	cr_assert_float_eq(vpm_content_masking(0.0), 1.0, 0.0);
	cr_assert_float_eq(vpm_content_masking(1.0), 1.1897247198404057, 1e-12);
	cr_assert_float_eq(vpm_content_masking(10.0), 5.018211823227479, 1e-12);
	cr_assert_float_eq(vpm_content_masking(0.1), 1.0003973669416737, 1e-12);
	cr_assert_eq(vpm_content_masking(NAN), 1.0);
	cr_assert_eq(vpm_content_masking(-3.0), 1.0);
	vpm_predict_workspace_set_exact_csf(exact, 1);
	s.model = VPM_MODEL_FIELD;
	cr_assert_eq(vpm_predict(&s, exact, &flat), VPM_OK);
	s.content_contrast = 0.2;
	cr_assert_eq(vpm_predict(&s, exact, &busy), VPM_OK);
	cr_assert_gt(busy.n_top, 0);
	for (size_t i = 0; i < busy.n_top; i++) {
		const vpm_component_t *b = &busy.top[i];
		const vpm_component_t *f = find_component(&flat, b->k, b->l, b->channel);
		double E = vpm_content_masking(0.2 * vpm_vision_csf(b->cy_deg, 100.0, X0));

		if (!f)
			continue;
		cr_assert_float_eq(b->visibility, f->visibility / E, 1e-9 * f->visibility);
		cr_assert_gt(E, 1.0);
	}
	/* the ideal chain ignores it */
	s.model = VPM_MODEL_IDEAL;
	cr_assert_eq(vpm_predict(&s, exact, &busy), VPM_OK);
	s.content_contrast = 0.0;
	cr_assert_eq(vpm_predict(&s, exact, &flat), VPM_OK);
	cr_assert_eq(busy.moire_visibility, flat.moire_visibility);
	vpm_predict_workspace_free(exact);
}

/* The field model's enums and edge are validated like every field. */
Test(predict, field_setup_errors)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r;

	s.pupil_edge = 0.95;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--pupil-edge"));
	s.pupil_edge = NAN;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EINVAL);
	s.pupil_edge = -1.0;
	s.model = (vpm_model_t)7;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--model"));
	s.model = VPM_MODEL_FIELD;
	s.content_contrast = -0.5;
	cr_assert_neq(vpm_predict(&s, ws, &r), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "--content"));
	s.content_contrast = 0.0;
	s.viewing = (vpm_viewing_t)99;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EINVAL);
	{
		vpm_model_t m;
		vpm_band_t b;
		vpm_chroma_t c;

		cr_assert_eq(vpm_model_parse("IDEAL", &m), VPM_OK);
		cr_assert_eq(m, VPM_MODEL_IDEAL);
		cr_assert_eq(vpm_model_parse("perfect", &m), VPM_EINVAL);
		cr_assert(strstr(vpm_error_message(), "field or ideal"), "%s", vpm_error_message());
		cr_assert_eq(vpm_band_parse("worst", &b), VPM_OK);
		cr_assert_eq(b, VPM_BAND_WORST);
		cr_assert_eq(vpm_chroma_parse("opponent", &c), VPM_OK);
		cr_assert_eq(c, VPM_CHROMA_OPPONENT);
		cr_assert_eq(vpm_chroma_parse("rainbow", &c), VPM_EINVAL);
	}
}

/* ------------------------------------------------------------------------
 * Anamorphic lenses (issue 19; doc/model.md, "Anamorphic lenses") */

/* A 2x squeeze doubles the LED lattice's horizontal frequency on the
 * sensor and leaves the vertical one: ν0 = 1/(p·m) from the vertical
 * magnification m, which does not change. */
Test(predict, anamorphic_doubles_the_horizontal_led_frequency)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r1 = run(&s), r2;

	cr_assert_eq(r1.led_frequency_x_cy_mm, r1.led_frequency_cy_mm, "equal without squeeze");
	cr_assert_eq(r1.led_frequency_y_cy_mm, r1.led_frequency_cy_mm);
	s.squeeze = 2.0;
	r2 = run(&s);
	cr_assert_eq(r2.led_frequency_x_cy_mm, 2.0 * r1.led_frequency_cy_mm, "exactly twice");
	cr_assert_eq(r2.led_frequency_y_cy_mm, r1.led_frequency_cy_mm, "the same vertically");
	cr_assert_eq(r2.magnification, r1.magnification, "m is the vertical magnification");
	cr_assert_eq(r2.wall_blur_mm, r1.wall_blur_mm, "c is the vertical blur diameter");
	cr_assert_eq(r2.dof_near_m, r1.dof_near_m, "DOF on the vertical CoC");
	cr_assert_eq(r2.squeeze, 2.0);
	/* 1.5x: 1.5 ν0; the hand value ν0 = 1/(p·m), m = v_f/s_w */
	s.squeeze = 1.5;
	r2 = run(&s);
	cr_assert_float_eq(r2.led_frequency_x_cy_mm,
			   1.5 / (1.5625 * r1.magnification), 1e-12 * r2.led_frequency_x_cy_mm);
	assert_finite_result(&r2);
}

/* S = 1 (and 0, read as 1) is the spherical predictor bit for bit. */
Test(predict, squeeze_one_is_spherical_bit_for_bit)
{
	vpm_setup_t s = micro_stage(2.84, 0.72, 4.0);
	vpm_result_t a, b;

	a = run(&s);
	s.squeeze = 0.0;
	b = run(&s);
	cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
	s.squeeze = 1.0;
	b = run(&s);
	cr_assert_eq(memcmp(&a, &b, sizeof a), 0);
}

/* The closed form of one squeezed component (SPEC §2's product of factors
 * with the anamorphic geometry): harmonic (1, 0) reaches the sensor at
 * (S·ν0, 0); the lens (diffraction through the elliptical pupil) passes
 * OTF_circ(ν0), the circular pupil's OTF at the unsqueezed frequency; the
 * photosite sees S·ν0; the viewer, after the desqueeze, ν0 again.
 * Harmonic (0, 1) is the spherical one exactly. */
Test(predict, anamorphic_fundamental_is_the_product_of_factors)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r;
	const vpm_component_t *cx = NULL, *cy = NULL;
	const double S2 = 1.8;
	double nu0, W, u, csf, want_x, want_y;

	s.pitch_mm = 2.6;
	s.emitter_mm = 0.61;
	s.photosite_um = 4.7;
	s.width_px = 5000;
	s.fill = 0.83;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 50.0;
	s.stop = 2.8;
	s.wall_m = 5.0;
	s.focus_m = 5.0;
	s.tolerance = 0.0;
	s.grade_gain = 1.7;
	s.squeeze = S2;
	r = run(&s);
	nu0 = r.led_frequency_cy_mm;
	for (size_t i = 0; i < r.n_top; i++) {
		if (r.top[i].k == 1 && r.top[i].l == 0)
			cx = &r.top[i];
		if (r.top[i].k == 0 && r.top[i].l == 1)
			cy = &r.top[i];
	}
	cr_assert_not_null(cx, "(1, 0) is among the strongest");
	cr_assert_not_null(cy, "(0, 1) is among the strongest");
	cr_assert_eq(cx->aliased, 0, "1.8 x 38 cy/mm is below Nyquist (106 cy/mm)");
	want_x = 2.0 * vpm_panel_emitter_factor(0.61, 2.6, 1) *
		 vpm_otf_diffraction_cy_mm(nu0, 555.0, 2.8) *
		 vpm_otf_photosite(S2 * nu0, 0.0, 0.83 * 0.0047);
	want_y = 2.0 * vpm_panel_emitter_factor(0.61, 2.6, 1) *
		 vpm_otf_diffraction_cy_mm(nu0, 555.0, 2.8) *
		 vpm_otf_photosite(0.0, nu0, 0.83 * 0.0047);
	cr_assert_float_eq(cx->modulation, want_x, 1e-12 * want_x);
	cr_assert_float_eq(cy->modulation, want_y, 1e-12 * want_y);
	cr_assert_float_eq(cx->nu_x_cy_mm, S2 * nu0, 1e-9);
	cr_assert_float_eq(cy->nu_y_cy_mm, nu0, 1e-9);
	/* the viewer: desqueezed, both harmonics are ν0 on the picture */
	W = 5000 * 0.0047;
	u = nu0 * W / vpm_vision_angle_deg(16.0 / 9.0, 1.5);
	csf = vpm_vision_csf(u, 100.0, vpm_vision_angle_deg(16.0 / 9.0, 1.5));
	cr_assert_float_eq(cx->cy_deg, u, 1e-9);
	cr_assert_float_eq(cy->cy_deg, u, 1e-9);
	cr_assert_float_eq(cx->visibility, 1.7 * want_x * csf, 1e-9 * cx->visibility);
}

/* The elliptical blur (horizontal c/S, vertical c) at the squeezed
 * frequency S·ν0 attenuates exactly as the circular blur c at ν0: with
 * defocus, the squeezed (1, 0) differs from the spherical one only by the
 * photosite factor at S·ν0 instead of ν0. */
Test(predict, anamorphic_elliptical_blur_closed_form)
{
	vpm_setup_t s = ideal_default();
	vpm_result_t r1, r2;
	const vpm_component_t *a = NULL, *b = NULL;
	const double ap = 0.0047, S2 = 1.3;
	double nu0, want;

	s.pitch_mm = 2.6;
	s.emitter_mm = 0.61;
	s.photosite_um = 4.7;
	s.width_px = 5000;
	s.cfa = VPM_CFA_MONO;
	s.focal_mm = 50.0;
	s.stop = 2.8;
	s.wall_m = 5.0;
	s.focus_m = 4.2; /* defocused wall: the Hopkins factor is well below 1 */
	s.tolerance = 0.0;
	r1 = run(&s);
	s.squeeze = S2;
	r2 = run(&s);
	nu0 = r1.led_frequency_cy_mm;
	for (size_t i = 0; i < r1.n_top; i++)
		if (r1.top[i].k == 1 && r1.top[i].l == 0)
			a = &r1.top[i];
	for (size_t i = 0; i < r2.n_top; i++)
		if (r2.top[i].k == 1 && r2.top[i].l == 0)
			b = &r2.top[i];
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_lt(a->modulation, 0.9 * 2.0 * vpm_panel_emitter_factor(0.61, 2.6, 1) *
					    vpm_otf_photosite(nu0, 0.0, ap),
		     "the blur matters here");
	want = a->modulation * vpm_otf_photosite(S2 * nu0, 0.0, ap) /
	       vpm_otf_photosite(nu0, 0.0, ap);
	cr_assert_float_eq(b->modulation, want, 1e-12 * want);
}

/* A square LED lattice looks the same after a quarter turn of the camera,
 * squeeze or not: roll 90° with S = 2 is roll 0° with S = 2. */
Test(predict, anamorphic_roll_quarter_turn)
{
	vpm_setup_t s = micro_stage(1.5625, 0.35, 2.8);
	vpm_result_t r0, r;

	s.squeeze = 2.0;
	r0 = run(&s);
	s.roll_deg = 90.0;
	r = run(&s);
	assert_same(&r0, &r, 1e-12, "roll 90 with squeeze 2");
	s.roll_deg = 180.0;
	r = run(&s);
	assert_same(&r0, &r, 1e-12, "roll 180 with squeeze 2");
}

/* S and 1/S: the sensor sees horizontal LED frequencies S·ν0 and ν0/S,
 * whose product is ν0² whatever S. */
Test(predict, anamorphic_squeeze_and_its_inverse)
{
	vpm_setup_t s = micro_stage(2.84, 0.72, 2.8);
	vpm_result_t a, b;

	s.squeeze = 1.8;
	a = run(&s);
	s.squeeze = 1.0 / 1.8;
	b = run(&s);
	cr_assert_float_eq(a.led_frequency_x_cy_mm * b.led_frequency_x_cy_mm,
			   a.led_frequency_cy_mm * a.led_frequency_cy_mm,
			   1e-12 * a.led_frequency_cy_mm * a.led_frequency_cy_mm);
	cr_assert_eq(a.led_frequency_y_cy_mm, b.led_frequency_y_cy_mm);
}

Test(predict, squeeze_is_validated)
{
	vpm_setup_t s = micro_stage(2.84, 0.72, 2.8);
	vpm_result_t r;

	s.squeeze = 5.0;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--squeeze") != NULL, "%s", vpm_error_message());
	s.squeeze = NAN;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EINVAL);
	s.squeeze = -2.0;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_EINVAL);
	s.squeeze = 0.25;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
}
