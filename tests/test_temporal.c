/* Temporal artefacts (issue 16): scan bands, refresh and PWM against the
 * shutter.  Every expected value is a closed form worked by hand below;
 * the published checks they reproduce are named at each test.
 *
 * The band depth of a rectangular pulse train of duty w (fraction of a
 * period) seen through an exposure of E' = n + r periods is
 *   (min(r, w) − max(0, r + w − 1)) / (w·E')            (peak-to-peak/mean)
 */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/temporal.h"
#include "vpmoire/vision.h"

#ifdef HAVE_JANSSON
#include <jansson.h>
#endif

/* A rolling-shutter camera reading 2160 rows in 15 ms, a static-drive wall. */
static vpm_temporal_t rig(double refresh_hz)
{
	vpm_temporal_t t = vpm_temporal_default();

	t.refresh_hz = refresh_hz;
	t.readout_ms = 15.0;
	t.rows = 2160;
	return t;
}

/* stoatworks-labs/pitch README (commit 0e8e63b9): "a shutter of whole
 * refresh periods leaves no band at all". */
Test(temporal, whole_periods_have_no_bands)
{
	vpm_temporal_t t = rig(3840.0);
	vpm_temporal_result_t r;
	int k;

	for (k = 1; k <= 160; k++) {
		t.exposure_s = k / 3840.0; /* k whole periods, ≤ 1/24 s */
		cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
		cr_assert_lt(r.band_depth, 1e-12, "k = %d: depth %g", k, r.band_depth);
		cr_assert_eq(r.polarity, VPM_BANDS_NONE);
		cr_assert_eq(r.risk, VPM_RISK_SAFE);
	}
	/* 180° at 24 fps on a 7680 Hz wall: 1/48 s = 160 periods exactly */
	t = rig(7680.0);
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.exposure_periods, 160.0, 1e-9);
	cr_assert_lt(r.band_depth, 1e-12);
	/* a continuous drive (grey 1, static scan) never bands */
	cr_assert_float_eq(vpm_temporal_pulse_depth(6.51, 1.0, NULL), 0.0, 0.0);
}

/* PatternFlow PR 439: "325.5 Hz at 1/50 s = 6.51 periods per exposure:
 * the whole picture bands; 1/60 s = 5.43". */
Test(temporal, refresh_325_5_hz)
{
	vpm_temporal_t t = rig(325.5);
	vpm_temporal_result_t r;
	double u, v;

	t.exposure_s = 1.0 / 50.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.exposure_periods, 6.51, 1e-12);
	/* grey 0.18 (duty 0.18 < r = 0.51): depth = w/(w·6.51) = 1/6.51 */
	cr_assert_float_eq(r.band_depth, 1.0 / 6.51, 1e-12);
	/* the bands repeat every P/(15 ms/2160) = 2160/(325.5·0.015) = 442.396
	 * rows: about five bands down the picture, all of it banded */
	cr_assert_float_eq(r.band_period_rows, 2160.0 / (325.5 * 0.015), 1e-9);
	cr_assert_lt(r.band_period_rows, 2160.0 / 4.0);
	cr_assert_eq(r.risk, VPM_RISK_RISKY);
	/* the verdict is the moiré one: (depth/2)·S(u), u = rows·aspect/(period·Θ) */
	u = 2160.0 * (16.0 / 9.0) / (r.band_period_rows * vpm_vision_angle_deg(16.0 / 9.0, 1.5));
	v = 0.5 * r.band_depth * vpm_vision_csf(u, 100.0, vpm_vision_angle_deg(16.0 / 9.0, 1.5));
	cr_assert_float_eq(r.band_cy_deg, u, 1e-12);
	cr_assert_float_eq(r.visibility, v, 1e-12);
	cr_assert_eq(r.risk, vpm_risk_classify(v, 1.0, 3.0));

	t.exposure_s = 1.0 / 60.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.exposure_periods, 5.425, 1e-12); /* "5.43" */
	cr_assert_float_eq(r.band_depth, 1.0 / 5.425, 1e-12);
}

/* PatternFlow PR 439: "300 Hz is the lowest refresh that 1/25, 1/30, 1/50,
 * 1/60 and 1/100 s all divide" (300 = lcm(25, 30, 50, 60, 100)). */
Test(temporal, refresh_300_hz_divides_the_common_shutters)
{
	static const double s[] = { 25, 30, 50, 60, 100 };
	vpm_temporal_t t = rig(300.0);
	vpm_temporal_result_t r;
	int f, i;

	t.fps = 25.0;
	for (i = 0; i < 5; i++) {
		t.exposure_s = 1.0 / s[i];
		cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
		cr_assert_float_eq(r.exposure_periods, 300.0 / s[i], 1e-12);
		cr_assert_lt(r.band_depth, 1e-12, "1/%g s", s[i]);
	}
	/* every whole refresh below 300 Hz bands at one of them at least */
	for (f = 1; f < 300; f++) {
		double worst = 0.0;

		for (i = 0; i < 5; i++)
			worst = fmax(worst, vpm_temporal_pulse_depth(f / s[i], 0.18, NULL));
		cr_assert_gt(worst, 0.01, "%d Hz", f);
	}
}

/* Brompton (ShutterSync note): light scan lines = shutter a little too
 * long, dark = a little too short. */
Test(temporal, light_and_dark_bands)
{
	vpm_band_polarity_t p;
	double d;

	/* 6.05 periods, duty 0.18: hi = 0.05, lo = 0 → 0.05/(0.18·6.05) */
	d = vpm_temporal_pulse_depth(6.05, 0.18, &p);
	cr_assert_eq(p, VPM_BANDS_LIGHT);
	cr_assert_float_eq(d, 0.05 / (0.18 * 6.05), 1e-9);
	/* 5.95: hi = 0.18, lo = 0.95 + 0.18 − 1 = 0.13 → 0.05/(0.18·5.95) */
	d = vpm_temporal_pulse_depth(5.95, 0.18, &p);
	cr_assert_eq(p, VPM_BANDS_DARK);
	cr_assert_float_eq(d, 0.05 / (0.18 * 5.95), 1e-9);
	vpm_temporal_pulse_depth(6.5, 0.18, &p);
	cr_assert_eq(p, VPM_BANDS_EVEN);
	cr_assert_str_eq(vpm_band_polarity_name(VPM_BANDS_DARK), "dark");
}

/* The same README: the band period is P/(Tr/H) rows. */
Test(temporal, band_period_is_refresh_period_over_row_time)
{
	vpm_temporal_t t = rig(3840.0);
	vpm_temporal_result_t r;

	t.shutter_deg = 172.8;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	/* (1/3840 s) / (0.015 s / 2160) = 2160/57.6 = 37.5 rows */
	cr_assert_float_eq(r.band_period_rows, 37.5, 1e-9);
	cr_assert_float_eq(r.row_time_s, 0.015 / 2160.0, 1e-18);
	t.readout_ms = 27.0; /* Sony FX2's slowest mode (ymcinema.com, 2025) */
	t.rows = 2160;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_period_rows, 2160.0 / (3840.0 * 0.027), 1e-9);
}

/* The README's PWM check ("0.769 > 0.460 > 0.084 at 10%, 50%, 90% grey
 * under Conventional; 0.019 under Scrambled at 50%") is a sampled
 * measurement; the closed form at 1.3 periods gives 1/1.3 = 0.76923,
 * 0.3/0.65 = 0.46154, 0.1/1.17 = 0.08547, and scrambled (16 pulses: 20.8
 * sub-periods, r = 0.8: (0.5 − 0.3)/(0.5·20.8)) = 0.019231. */
Test(temporal, pwm_depth_by_grey)
{
	vpm_temporal_t t = rig(1000.0);
	vpm_temporal_result_t r;

	cr_assert_float_eq(vpm_temporal_pulse_depth(1.3, 0.1, NULL), 1.0 / 1.3, 1e-12);
	cr_assert_float_eq(vpm_temporal_pulse_depth(1.3, 0.5, NULL), 0.3 / 0.65, 1e-12);
	cr_assert_float_eq(vpm_temporal_pulse_depth(1.3, 0.9, NULL), 0.1 / 1.17, 1e-12);
	cr_assert_float_eq(vpm_temporal_pulse_depth(20.8, 0.5, NULL), 0.2 / 10.4, 1e-12);

	/* through the model: 1.3 ms at 1 kHz, 16-bit grey 0.5 → code 32768 */
	t.exposure_s = 1.3e-3;
	t.grey = 0.5;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_depth, 0.3 / (32768.0 / 65535.0 * 1.3), 1e-12);
	t.pwm_scheme = VPM_PWM_SCRAMBLED;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_depth, 0.2 / (32768.0 / 65535.0 * 20.8), 1e-9);
	cr_assert_float_eq(r.band_period_rows, 144.0 / 16.0, 1e-9); /* 2160/(1000·0.015)/16 */
	/* at 3 LSB scrambling cannot split into more than 3 pulses */
	t.grey = 3.0 / 65535.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_period_rows, 144.0 / 3.0, 1e-9);
	/* low-grey breakup: one LSB, one pulse, r = 0.3: 1/1.3 */
	cr_assert_float_eq(r.low_grey, 1.0 / 65535.0, 1e-18);
	cr_assert_float_eq(r.low_grey_depth, 1.0 / 1.3, 1e-9);
}

Test(temporal, scan_ratio_shortens_the_pulse)
{
	vpm_temporal_t t = rig(1000.0);
	vpm_temporal_result_t r;

	/* grey 1 on a static drive: continuous light, no bands; on 1/8 scan
	 * the pulse is 1/8 of the period: at 1.3 periods 0.125/(0.125·1.3) */
	t.grey = 1.0;
	t.exposure_s = 1.3e-3;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_depth, 0.0, 0.0);
	t.scan_ratio = 8;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.duty, 0.125, 1e-15);
	cr_assert_float_eq(r.band_depth, 1.0 / 1.3, 1e-12);
}

Test(temporal, global_shutter_genlock_and_processors)
{
	vpm_temporal_t t = rig(325.5);
	vpm_temporal_result_t r;

	t.exposure_s = 1.0 / 50.0;
	t.shutter = VPM_SHUTTER_GLOBAL;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_depth, 0.0, 0.0);
	cr_assert_float_eq(r.flicker_depth, 1.0 / 6.51, 1e-12);
	t.genlock = 1;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.flicker_depth, 0.0, 0.0);
	cr_assert_eq(r.risk, VPM_RISK_SAFE);

	/* rolling, not locked: 325.5/24 = 13.5625 periods a frame, the bands
	 * move (0.5625 − 1)·442.396 rows; genlocked they stand still */
	t = rig(325.5);
	t.exposure_s = 1.0 / 50.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.drift_rows_per_frame, -0.4375 * 2160.0 / (325.5 * 0.015), 1e-9);
	t.genlock = 1;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.drift_rows_per_frame, 0.0, 0.0);

	/* shutter sync: whole cycles in any exposure of at least one period */
	t.processor = VPM_PROC_SHUTTER_SYNC;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.band_depth, 0.0, 0.0);
	/* frame remapping, 2 sources at 24 fps: a 1/48 s slot; 1/40 s overruns */
	t = rig(7680.0);
	t.processor = VPM_PROC_FRAME_REMAP;
	t.exposure_s = 1.0 / 40.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert(r.remap_overrun);
	cr_assert_eq(r.risk, VPM_RISK_RISKY);
	t.exposure_s = 1.0 / 48.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert(!r.remap_overrun);
	/* extended bit depth: the darkest step is 2^-(16 + 2.3) of white */
	t.processor = VPM_PROC_EXTENDED_BITS;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
	cr_assert_float_eq(r.low_grey, 1.0 / (pow(2.0, 18.3) - 1.0), 1e-15);
}

Test(temporal, bad_input_is_refused)
{
	vpm_temporal_t t;
	vpm_temporal_result_t r;

	t = rig(0.0);
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "refresh") != NULL);
	t = rig(3840.0), t.grey = 1.5;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "grey") != NULL);
	t = rig(3840.0), t.shutter_deg = 400.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	t = rig(3840.0), t.exposure_s = 1.0 / 20.0; /* longer than a 24 fps frame */
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	t = rig(3840.0), t.readout_ms = 0.0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "readout") != NULL);
	t = rig(3840.0), t.rows = 0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	t = rig(3840.0), t.fps = NAN;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	t = rig(3840.0), t.scan_ratio = 0;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_EINVAL);
	cr_assert_eq(vpm_temporal_evaluate(NULL, &r), VPM_EINVAL);
	/* a global shutter needs no readout */
	t = rig(3840.0), t.readout_ms = 0.0, t.rows = 0, t.shutter = VPM_SHUTTER_GLOBAL;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r), VPM_OK);
}

Test(temporal, safe_settings_grid)
{
	static const double fps[] = { 24, 25 };
	static const double deg[] = { 172.8, 180 };
	vpm_temporal_t t = rig(3840.0), u;
	vpm_temporal_cell_t c[4];
	vpm_temporal_result_t r;
	double near[2];

	cr_assert_eq(vpm_temporal_grid(&t, fps, 2, deg, 2, 180.0, c, near), VPM_OK);
	/* 24 fps, 180°: 1/48 s = 80 periods; 25 fps, 172.8° = 1/52.08 s = 73.728 */
	cr_assert_float_eq(c[1].exposure_periods, 80.0, 1e-9);
	cr_assert_eq(c[1].risk, VPM_RISK_SAFE);
	cr_assert_float_eq(c[2].exposure_periods, 172.8 / 360.0 / 25.0 * 3840.0, 1e-9);
	cr_assert_float_eq(near[0], 180.0, 1e-9); /* a whole-period angle itself */

	/* 325.5 Hz at 24 fps: whole periods every 360·24/325.5 = 26.544°; the
	 * nearest safe angle to 180 lies between 6 and 7 of them, and 180
	 * itself bands */
	t = rig(325.5);
	cr_assert_eq(vpm_temporal_grid(&t, fps, 1, deg + 1, 1, 180.0, c, near), VPM_OK);
	cr_assert_neq(c[0].risk, VPM_RISK_SAFE);
	cr_assert(near[0] >= 6 * 360.0 * 24 / 325.5 - 1e-9 &&
			  near[0] <= 7 * 360.0 * 24 / 325.5 + 1e-9,
		  "nearest %g", near[0]);
	u = t;
	u.shutter_deg = near[0];
	cr_assert_eq(vpm_temporal_evaluate(&u, &r), VPM_OK);
	cr_assert_eq(r.risk, VPM_RISK_SAFE);
	cr_assert_eq(vpm_temporal_grid(&t, fps, 0, deg, 1, 180.0, c, near), VPM_EINVAL);
}

Test(temporal, triage)
{
	vpm_temporal_t t = rig(3840.0);
	vpm_triage_t g;
	vpm_symptom_t s;

	/* 170° at 24 fps on 3840 Hz: 75.56 periods; whole-period angles are
	 * multiples of 360·24/3840 = 2.25°: 75 → 168.75°, 76 → 171° */
	t.shutter_deg = 170.0;
	cr_assert_eq(vpm_temporal_triage(VPM_SYMPTOM_LIGHT_BANDS, &t, &g), VPM_OK);
	cr_assert_float_eq(g.shutter_deg, 168.75, 1e-9);
	cr_assert_eq(vpm_temporal_triage(VPM_SYMPTOM_DARK_BANDS, &t, &g), VPM_OK);
	cr_assert_float_eq(g.shutter_deg, 171.0, 1e-9);
	cr_assert_eq(vpm_temporal_triage(VPM_SYMPTOM_BANDS_MOVE_WITH_SHUTTER, &t, &g), VPM_OK);
	cr_assert_float_eq(g.shutter_deg, 171.0, 1e-9); /* 0.56 past 75: nearer 76 */
	cr_assert_eq(vpm_temporal_triage(VPM_SYMPTOM_MOVES_WITH_DISTANCE, NULL, &g), VPM_OK);
	cr_assert(strstr(g.artefact, "moire") != NULL);
	cr_assert(isnan(g.shutter_deg));
	cr_assert_eq(vpm_symptom_parse("Dark-Bands", &s), VPM_OK);
	cr_assert_eq(s, VPM_SYMPTOM_DARK_BANDS);
	cr_assert_str_eq(vpm_symptom_name(s), "dark-bands");
	cr_assert_eq(vpm_symptom_parse("stripes", &s), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "stripes") != NULL);
}

/* The shot-list entry point and the shipped catalog's published values. */
Test(temporal, shot_from_catalog)
{
	char dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	vpm_camera_t cam;
	vpm_temporal_result_t r, r2;
	vpm_temporal_t t;

	cr_assert_not_null(cat);
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, "roe-bp2v2", &p), VPM_OK);
	/* ROE BP2 V2: 7680 Hz, 1/8 scan, 16 bits (pixel-peeker roe.ts) */
	cr_assert_float_eq(p->refresh_hz, 7680.0, 0.0);
	cr_assert_eq(p->scan_ratio, 8);
	cr_assert_eq(p->pwm_bits, 16);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &c), VPM_OK);
	/* no published readout: no verdict */
	cr_assert_eq(vpm_temporal_shot(p, c, 25.0, 172.8, 0.0, &r), VPM_ENOTFOUND);
	cam = *c;
	cam.readout_ms = 15.0;
	cr_assert_eq(vpm_temporal_shot(p, &cam, 25.0, 172.8, 0.0, &r), VPM_OK);
	/* a readout given by the caller (a shotlist column) stands in for the
	 * catalog's, and wins over it */
	cr_assert_eq(vpm_temporal_shot(p, c, 25.0, 172.8, 15.0, &r2), VPM_OK);
	cr_assert_float_eq(r2.visibility, r.visibility, 0.0);
	cr_assert_eq(vpm_temporal_shot(p, &cam, 25.0, 172.8, 30.0, &r2), VPM_OK);
	cr_assert_float_eq(r2.band_period_rows, 2592.0 / (7680.0 * 0.030), 1e-9);
	t = vpm_temporal_default();
	t.refresh_hz = 7680, t.scan_ratio = 8, t.pwm_bits = 16, t.readout_ms = 15.0;
	t.rows = 2592, t.fps = 25.0, t.shutter_deg = 172.8;
	cr_assert_eq(vpm_temporal_evaluate(&t, &r2), VPM_OK);
	cr_assert_float_eq(r.visibility, r2.visibility, 0.0);
	cr_assert_float_eq(r.band_period_rows, 2592.0 / (7680.0 * 0.015), 1e-9);
	vpm_catalog_free(cat);
}

/* The set-up as scan builds it: catalog numbers, then the caller's raw
 * ones; what is still unknown is refused naming its flag; the rig line. */
Test(temporal, resolve_from_catalog_and_raw)
{
	vpm_panel_t p = { 0 };
	vpm_camera_t c = { 0 };
	vpm_temporal_t t = vpm_temporal_default(), raw;
	char rig[200];

	p.name = "bp2", p.refresh_hz = 7680, p.scan_ratio = 8, p.pwm_bits = 16;
	c.name = "cam", c.readout_ms = 0, c.height_px = 2592;
	memset(&raw, 0, sizeof raw);
	/* the camera publishes no readout: refused, naming the camera */
	cr_assert_eq(vpm_temporal_resolve(&t, &p, &c, &raw, rig, sizeof rig), VPM_EINVAL);
	cr_assert_str_eq(
		vpm_error_message(),
		"--readout is required: cam has no published readout time (or give --global)");
	cr_assert_str_eq(rig, "bp2, cam");
	raw.readout_ms = 15.0, raw.refresh_hz = 3840; /* raw numbers win */
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_resolve(&t, &p, &c, &raw, NULL, 0), VPM_OK);
	cr_assert_float_eq(t.refresh_hz, 3840.0, 0.0);
	cr_assert_float_eq(t.readout_ms, 15.0, 0.0);
	cr_assert_eq(t.rows, 2592);
	cr_assert_eq(t.scan_ratio, 8);
	/* scan and bits unpublished and not both given: assumed, and said so */
	p.scan_ratio = 0, raw.scan_ratio = 4;
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_resolve(&t, &p, &c, &raw, rig, sizeof rig), VPM_OK);
	cr_assert_str_eq(rig, "bp2, cam; scan and bits unpublished, assumed");
	raw.pwm_bits = 14;
	cr_assert_eq(vpm_temporal_resolve(&t, &p, &c, &raw, rig, sizeof rig), VPM_OK);
	cr_assert_str_eq(rig, "bp2, cam");
	/* nothing given at all */
	memset(&raw, 0, sizeof raw);
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_resolve(&t, NULL, NULL, &raw, rig, sizeof rig), VPM_EINVAL);
	cr_assert_str_eq(
		vpm_error_message(),
		"--refresh is required: no --panel given, so nothing publishes no refresh rate");
	cr_assert_str_eq(rig, "wall by numbers, camera by numbers");
	raw.refresh_hz = 300, raw.readout_ms = 15;
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_resolve(&t, NULL, NULL, &raw, NULL, 0), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "--rows is required: no --camera given");
	c.height_px = 0, c.readout_ms = 15.0; /* a camera without its height */
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_resolve(&t, NULL, &c, &raw, NULL, 0), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "--rows is required: cam has no published height");
	t = vpm_temporal_default(), t.shutter = VPM_SHUTTER_GLOBAL; /* needs no readout */
	cr_assert_eq(vpm_temporal_resolve(&t, NULL, NULL, &raw, NULL, 0), VPM_OK);
}

Test(temporal, pwm_and_processor_names)
{
	vpm_temporal_t t = vpm_temporal_default();

	cr_assert_eq(vpm_temporal_set_pwm(&t, "scrambled"), VPM_OK);
	cr_assert_eq(t.pwm_scheme, VPM_PWM_SCRAMBLED);
	cr_assert_eq(vpm_temporal_set_pwm(&t, "Conventional"), VPM_OK);
	cr_assert_eq(t.pwm_scheme, VPM_PWM_CONVENTIONAL);
	cr_assert_eq(vpm_temporal_set_pwm(&t, "sparse"), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "'sparse': give conventional or scrambled");
	/* extended bits leave the wall free-running; the other two lock it */
	cr_assert_eq(vpm_temporal_add_processor(&t, "extended-bits"), VPM_OK);
	cr_assert_eq(t.processor, VPM_PROC_EXTENDED_BITS);
	cr_assert_eq(t.genlock, 0);
	cr_assert_eq(vpm_temporal_add_processor(&t, "frame-remap"), VPM_OK);
	cr_assert_eq(t.processor, VPM_PROC_EXTENDED_BITS | VPM_PROC_FRAME_REMAP);
	cr_assert_eq(t.genlock, 1);
	t = vpm_temporal_default();
	cr_assert_eq(vpm_temporal_add_processor(&t, "shutter-sync"), VPM_OK);
	cr_assert_eq(t.processor, VPM_PROC_SHUTTER_SYNC);
	cr_assert_eq(t.genlock, 1);
	cr_assert_eq(vpm_temporal_add_processor(&t, "sync"), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "'sync': give shutter-sync, extended-bits or frame-remap");
	cr_assert_eq(t.processor, VPM_PROC_SHUTTER_SYNC);
}

#ifdef HAVE_JANSSON
/* `vpmoire scan --json` as a script reads it: the contract's fields with
 * the closed-form values of the 325.5 Hz case (PatternFlow PR 439). */
Test(temporal, scan_json_contract)
{
	tu_run_t run = tu_vpmoire("scan --refresh 325.5 --readout 15 --rows 2160 --exposure 1/60 "
				  "--json");
	json_error_t err;
	json_t *o;

	cr_assert_eq(run.status, 0, "%s", run.err);
	o = json_loads(run.out, 0, &err);
	cr_assert_not_null(o, "%s: %s", err.text, run.out);
	cr_assert_float_eq(json_number_value(json_object_get(o, "exposure_periods")), 5.425, 1e-8);
	cr_assert_float_eq(json_number_value(json_object_get(o, "band_depth")), 1.0 / 5.425, 1e-8);
	cr_assert_float_eq(json_number_value(json_object_get(o, "band_period_rows")),
			   2160.0 / (325.5 * 0.015), 1e-6);
	/* 5.425: 0.425 past 5 periods, under half: light bands */
	cr_assert_str_eq(json_string_value(json_object_get(o, "band_polarity")), "light");
	cr_assert_str_eq(json_string_value(json_object_get(o, "risk")), "risky");
	json_decref(o);
	tu_run_free(&run);

	/* a whole number of periods: depth exactly 0, safe */
	run = tu_vpmoire("scan --refresh 300 --readout 15 --rows 2160 --fps 25 --exposure 1/25 "
			 "--json");
	cr_assert_eq(run.status, 0, "%s", run.err);
	o = json_loads(run.out, 0, &err);
	cr_assert_not_null(o);
	cr_assert_float_eq(json_number_value(json_object_get(o, "band_depth")), 0.0, 0.0);
	cr_assert_str_eq(json_string_value(json_object_get(o, "risk")), "safe");
	json_decref(o);
	tu_run_free(&run);

	/* bad flags: exit 2, one line naming the flag */
	run = tu_vpmoire("scan --refresh 3840 --readout 15 --rows 2160 --shutter 400");
	cr_assert_eq(run.status, 2);
	cr_assert_eq(tu_lines(run.err), 1, "%s", run.err);
	cr_assert(strstr(run.err, "--shutter") != NULL, "%s", run.err);
	tu_run_free(&run);
	run = tu_vpmoire("scan --refresh 3840 --readout 15 --rows 2160 --symptom stripes");
	cr_assert_eq(run.status, 2);
	cr_assert(strstr(run.err, "--symptom") != NULL, "%s", run.err);
	tu_run_free(&run);
}
#endif
