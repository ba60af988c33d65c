/* vpm_predict_batch (lib/batch.c): every row equals the vpm_predict() call
 * it stands for, strides and broadcasting, the text fields' codes, and
 * every error path. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vpmoire/batch.h"
#include "vpmoire/catalog.h"
#include "vpmoire/geometry.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/report.h"
#include "vpmoire/setupfield.h"

/* The reference micro stage in raw numbers (tests/test_predict.c): BMD
 * URSA Mini Pro 4.6K G2 (5.5 µm, 4608 across, Bayer, no OLPF), ZEISS CP.3
 * 28 mm at T2.8, the 1.5625 mm panel with a 0.35 mm emitter, wall 2.524 m,
 * focus 1.0 m; the field model (the default). */
static vpm_setup_t micro_stage(void)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.35;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = 2.8;
	s.wall_m = 2.524;
	s.focus_m = 1.0;
	return s;
}

/* one workspace for every reference call (its first use is the costly one) */
static vpm_predict_workspace_t *ws;

static void ws_alloc(void)
{
	ws = vpm_predict_workspace_alloc();
	cr_assert_not_null(ws);
}

static void ws_free(void)
{
	vpm_predict_workspace_free(ws);
	ws = NULL;
}

TestSuite(batch, .init = ws_alloc, .fini = ws_free);

static void expect_row(const vpm_setup_t *s, const double *row)
{
	vpm_result_t r;

	cr_assert_eq(vpm_predict(s, ws, &r), VPM_OK, "%s", vpm_error_message());
	for (size_t j = 0; j < VPM_REPORT_FIELDS; j++) {
		double num;
		const char *text;
		const char *name = vpm_report_field_name(j);

		if (vpm_report_field_value(j, &r, &num, &text) == 1) {
			double code = strcmp(name, "risk") == 0 ? (double)r.risk
								: (double)r.moire_channel;
			cr_expect_eq(row[j], code, "%s: %g, not %g", name, row[j], code);
		} else if (isnan(num)) {
			cr_expect(isnan(row[j]), "%s: %g, not NaN", name, row[j]);
		} else {
			/* the same computation: bit for bit, whatever the thread */
			cr_expect_eq(row[j], num, "%s: %.17g, not %.17g", name, row[j], num);
		}
	}
}

/* 300 set-ups: walls 1.7–7.68 m in a strided column (every other element of
 * an interleaved array), three stops cycling with stride 1 over a 3-array
 * indexed i mod 3 by repetition, and a broadcast focal length (stride 0). */
Test(batch, rows_equal_single_predictions)
{
	enum { N = 300 };
	static double wall_focus[2 * N], stops[N], results[N * VPM_REPORT_FIELDS];
	static int status[N];
	const double focal = 32.0, stop_list[3] = { 2.1, 2.8, 5.6 };
	vpm_setup_t base = micro_stage();
	vpm_batch_field_t f[3] = {
		{ "wall_m", wall_focus, 2 },
		{ "focus_m", wall_focus + 1, 2 },
		{ "stop", stops, 1 },
	};
	vpm_batch_field_t g[1] = { { "focal_mm", &focal, 0 } };

	for (size_t i = 0; i < N; i++) {
		wall_focus[2 * i] = 1.7 + 0.02 * (double)i;
		wall_focus[2 * i + 1] = 0.4 * wall_focus[2 * i];
		stops[i] = stop_list[i % 3];
	}
	cr_assert_eq(vpm_predict_batch(&base, f, 3, N, 2, results, status), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_str_eq(vpm_error_message(), "");
	for (size_t i = 0; i < N; i += 7) {
		vpm_setup_t s = micro_stage();

		s.wall_m = wall_focus[2 * i];
		s.focus_m = wall_focus[2 * i + 1];
		s.stop = stops[i];
		cr_expect_eq(status[i], VPM_OK);
		expect_row(&s, results + i * VPM_REPORT_FIELDS);
	}
	/* stride 0: one value for every set-up; Nyquist is 1/(2a) = 1/0.011 */
	cr_assert_eq(vpm_predict_batch(&base, g, 1, 4, 0, results, NULL), VPM_OK);
	for (size_t i = 0; i < 4; i++) {
		vpm_setup_t s = micro_stage();

		s.focal_mm = 32.0;
		expect_row(&s, results + i * VPM_REPORT_FIELDS);
		cr_expect_float_eq(results[i * VPM_REPORT_FIELDS + 2], 1.0 / 0.011, 1e-9);
	}
}

/* Pixel counts arrive as doubles: whole numbers, NaN as none. */
Test(batch, pixel_fields)
{
	const double width[2] = { 4096.0, 4096.5 }, delivery[1] = { NAN };
	double results[2 * VPM_REPORT_FIELDS];
	int status[2];
	vpm_setup_t base = micro_stage(), s = micro_stage();
	vpm_batch_field_t f[2] = { { "width_px", width, 1 }, { "delivery_px", delivery, 0 } };

	cr_assert_eq(vpm_predict_batch(&base, f, 2, 2, 1, results, status), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "set-up 1: width_px: 4096.5 is not a whole number of pixels");
	cr_expect_eq(status[0], VPM_OK);
	cr_expect_eq(status[1], VPM_EINVAL);
	s.width_px = 4096;
	s.delivery_px = 0;
	expect_row(&s, results);
	for (size_t j = 0; j < VPM_REPORT_FIELDS; j++)
		cr_expect(isnan(results[VPM_REPORT_FIELDS + j]));
}

/* A set-up that cannot be judged is a row of NaN and a status; the call
 * reports the first one, with vpm_predict's own message. */
Test(batch, failing_setups)
{
	/* focus 0.1 m is closer than 4f = 0.112 m for 28 mm (SPEC §1) */
	const double focus[5] = { 1.0, 0.1, 1.2, 0.1, 1.3 };
	double results[5 * VPM_REPORT_FIELDS];
	int status[5];
	char expected[600];
	vpm_setup_t base = micro_stage(), bad = micro_stage();
	vpm_result_t r;
	vpm_batch_field_t f[1] = { { "focus_m", focus, 1 } };
	vpm_status_t st;

	bad.focus_m = 0.1;
	st = vpm_predict(&bad, ws, &r);
	cr_assert_neq(st, VPM_OK);
	snprintf(expected, sizeof expected, "set-up 1: %s", vpm_error_message());
	cr_assert_eq(vpm_predict_batch(&base, f, 1, 5, 2, results, status), st);
	cr_assert_str_eq(vpm_error_message(), expected);
	cr_expect_eq(status[1], (int)st);
	cr_expect_eq(status[3], (int)st);
	cr_expect_eq(status[4], VPM_OK);
	cr_expect(isnan(results[3 * VPM_REPORT_FIELDS]));
	cr_expect(results[4 * VPM_REPORT_FIELDS] > 0.0);
}

Test(batch, bad_arguments)
{
	const double v[1] = { 2.0 };
	double results[VPM_REPORT_FIELDS];
	vpm_setup_t base = micro_stage();
	vpm_batch_field_t unknown[1] = { { "wall", v, 0 } };
	vpm_batch_field_t twice[2] = { { "stop", v, 0 }, { "stop", v, 0 } };
	vpm_batch_field_t null_values[1] = { { "stop", NULL, 0 } };

	cr_expect_eq(vpm_predict_batch(&base, unknown, 1, 1, 0, results, NULL), VPM_EINVAL);
	cr_expect(strncmp(vpm_error_message(), "wall: not a set-up field", 24) == 0, "%s",
		  vpm_error_message());
	cr_expect_eq(vpm_predict_batch(&base, twice, 2, 1, 0, results, NULL), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "stop: given twice");
	cr_expect_eq(vpm_predict_batch(&base, null_values, 1, 1, 0, results, NULL), VPM_EINVAL);
	cr_expect_eq(vpm_predict_batch(NULL, NULL, 0, 1, 0, results, NULL), VPM_EINVAL);
	cr_expect_eq(vpm_predict_batch(&base, NULL, 0, 1, 0, NULL, NULL), VPM_EINVAL);
	/* nothing to do is fine, and clears the message */
	cr_expect_eq(vpm_predict_batch(&base, NULL, 0, 0, 0, NULL, NULL), VPM_OK);
	cr_expect_str_eq(vpm_error_message(), "");
}

/* The set-up field table (lib/vpmoire/setupfield.h) that a batch's names
 * come from: each name is its field's key in check --json's "setup"
 * object (but the four check --json does not write), offsets and raw bits
 * are distinct, and the numbers come first, as a batch takes them. */
Test(batch, setup_field_table)
{
	static const char *const unwritten[] = { "caution_at", "risky_at", "coc_mm",
						 "transmission" };
	vpm_setup_t s = micro_stage();
	vpm_result_t r;
	vpm_plan_t plan;
	vpm_check_report_t info = { 0 };
	char *json = NULL, *setup, *end;
	size_t len = 0, n = vpm_setup_field_count(), numbers = 0;
	unsigned raw_seen = 0;
	FILE *fp;

	memset(&plan, 0, sizeof plan);
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
	fp = open_memstream(&json, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(vpm_report_check_json(fp, &s, &r, &plan, &info), VPM_OK);
	fclose(fp);
	setup = strstr(json, "\"setup\": {");
	cr_assert_not_null(setup);
	end = strstr(setup, "\n  }");
	cr_assert_not_null(end);
	*end = '\0';

	cr_assert_eq(n, 26);
	for (size_t i = 0; i < n; i++) {
		const vpm_setup_field_t *f = vpm_setup_field(i);
		char key[64];
		int skip = 0;

		cr_assert_not_null(f);
		cr_expect_eq(vpm_setup_field_find(f->name), f, "%s", f->name);
		for (size_t k = 0; k < sizeof unwritten / sizeof unwritten[0]; k++)
			skip |= strcmp(f->name, unwritten[k]) == 0;
		snprintf(key, sizeof key, "\n    \"%s\": ", f->name);
		cr_expect_eq(strstr(setup, key) != NULL, !skip, "%s", f->name);
		cr_expect(f->offset < sizeof(vpm_setup_t), "%s", f->name);
		for (size_t j = 0; j < i; j++)
			cr_expect_neq(vpm_setup_field(j)->offset, f->offset, "%s", f->name);
		cr_expect_eq(raw_seen & f->raw, 0u, "%s", f->name);
		raw_seen |= f->raw;
		if (f->is_int >= 0) {
			cr_expect_eq(numbers, i, "%s: a number after cfa", f->name);
			numbers++;
		}
	}
	free(json);
	/* a batch takes the numbers, cfa is not one; every raw bit has its field */
	cr_expect_eq(numbers, 25);
	cr_expect_eq(raw_seen, (1u << 13) - 1);
	cr_expect_eq(vpm_setup_field(n), NULL);
	cr_expect_eq(vpm_setup_field_find("pitch_mm")->offset, offsetof(vpm_setup_t, pitch_mm));
	cr_expect_eq(vpm_setup_field_find("width_px")->is_int, 1);
	cr_expect_eq(vpm_setup_field_find("delivery_px")->nan_is_none, 1);
	cr_expect_eq(vpm_setup_field_find("squeeze")->raw, (unsigned)VPM_RAW_SQUEEZE);
	cr_expect_str_eq(vpm_setup_field_find("stop")->flag, "stop");
	cr_expect_eq(vpm_setup_field_find("cfa")->offset, offsetof(vpm_setup_t, cfa));
	cr_expect_eq(vpm_setup_field_find("wall"), NULL);
	cr_expect_eq(vpm_setup_field_find("subject_m"), NULL);
	cr_expect_eq(vpm_setup_field_find(NULL), NULL);
}

/* cfa is in the table but a batch cannot vary it, and the message is
 * the one a batch always gave. */
Test(batch, cfa_cannot_vary)
{
	const double v[1] = { 1.0 };
	double results[VPM_REPORT_FIELDS];
	vpm_setup_t base = micro_stage();
	vpm_batch_field_t cfa[1] = { { "cfa", v, 0 } };

	cr_expect_eq(vpm_predict_batch(&base, cfa, 1, 1, 0, results, NULL), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(),
			 "cfa: not a set-up field that can vary (one of pitch_mm, emitter_mm, "
			 "photosite_um, width_px, olpf_um, fill, focal_mm, stop, wall_m, focus_m, "
			 "recording_px, delivery_px, roll_deg, tolerance, aspect, view_heights, "
			 "luminance_cd_m2, pupil_edge, content_contrast, grade_gain, caution_at, "
			 "risky_at, coc_mm, transmission, squeeze)");
}
