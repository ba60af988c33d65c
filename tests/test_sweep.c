/* Research sweeps: axes and ranges, the study's index mapping, shards,
 * CSV rows (against `vpmoire check --json`), resumable output, and the
 * `vpmoire sweep` / `vpmoire merge` commands as a user runs them,
 * including a sweep killed midway and resumed. */
#include <config.h>

#include <criterion/criterion.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/sweep.h"

TestSuite(sweep, .fini = tu_cleanup_tmpdir);

/* ------------------------------------------------------------ axes */

static vpm_sweep_axis_t axis(const char *text, vpm_sweep_kind_t kind, unsigned flags)
{
	vpm_sweep_axis_t a;
	vpm_status_t st = vpm_sweep_axis_parse(text, kind, flags, 0, &a);

	cr_assert_eq(st, VPM_OK, "'%s': %s", text, vpm_error_message());
	return a;
}

Test(sweep, ranges_include_their_end_and_take_units)
{
	vpm_sweep_axis_t a = axis("1.5m:8m:0.1m", VPM_SWEEP_LENGTH_M, 0);
	size_t i;

	/* (8 - 1.5) / 0.1 + 1 = 66 values; rounding to 12 digits makes the
	 * fourth value exactly the double 1.8, not 1.5 + 3 x 0.1 */
	cr_assert_eq(a.n, 66);
	cr_assert_eq(a.values[0], 1.5);
	cr_assert_eq(a.values[3], 1.8);
	cr_assert_eq(a.values[65], 8.0);
	for (i = 1; i < a.n; i++)
		cr_assert(fabs(a.values[i] - a.values[i - 1] - 0.1) < 1e-12);
	cr_assert_str_eq(a.text, "1.5m:8m:0.1m");
	vpm_sweep_axis_free(&a);

	/* feet and inches on every part: 5 ft, 5 ft 6 in, 6 ft (0.3048 m/ft) */
	a = axis("5ft:6ft:6in", VPM_SWEEP_LENGTH_M, 0);
	cr_assert_eq(a.n, 3);
	cr_assert_float_eq(a.values[0], 1.524, 1e-12);
	cr_assert_float_eq(a.values[1], 1.6764, 1e-12);
	cr_assert_float_eq(a.values[2], 1.8288, 1e-12);
	vpm_sweep_axis_free(&a);

	/* a range whose end is off the grid stops below it; lists mix */
	a = axis("1:2:0.3, 350cm", VPM_SWEEP_LENGTH_M, 0);
	cr_assert_eq(a.n, 5);
	cr_assert_float_eq(a.values[3], 1.9, 1e-12);
	cr_assert_float_eq(a.values[4], 3.5, 1e-12);
	vpm_sweep_axis_free(&a);

	a = axis("T2.1,2.8,f/4,5.6:8:2.4", VPM_SWEEP_STOP, 0);
	cr_assert_eq(a.n, 5);
	cr_assert_eq(a.values[0], 2.1);
	cr_assert_eq(a.values[2], 4.0);
	cr_assert_eq(a.values[4], 8.0);
	vpm_sweep_axis_free(&a);

	a = axis("-5:5:2.5", VPM_SWEEP_ANGLE_DEG, 0);
	cr_assert_eq(a.n, 5);
	cr_assert_eq(a.values[0], -5.0);
	cr_assert_eq(a.values[2], 0.0);
	vpm_sweep_axis_free(&a);

	a = axis("1920,none,3840:4096:256", VPM_SWEEP_PIXELS, 0);
	cr_assert_eq(a.n, 4);
	cr_assert_eq(a.values[1], 0.0);
	cr_assert_eq(a.values[3], 4096.0);
	vpm_sweep_axis_free(&a);

	a = axis("0,1.524", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_ZERO);
	cr_assert_eq(a.n, 2);
	vpm_sweep_axis_free(&a);
	a = axis("2m,inf", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_INF);
	cr_assert(isinf(a.values[1]));
	vpm_sweep_axis_free(&a);
	vpm_sweep_axis_free(NULL);
}

Test(sweep, bad_ranges_are_refused_with_a_reason)
{
	static const struct {
		const char *text;
		vpm_sweep_kind_t kind;
		vpm_status_t st;
		const char *says;
	} cases[] = {
		{ "1.5m:8m:0", VPM_SWEEP_LENGTH_M, VPM_ERANGE, "step must be greater than zero" },
		{ "1.5m:8m:-0.1m", VPM_SWEEP_LENGTH_M, VPM_ERANGE,
		  "step must be greater than zero" },
		{ "8m:1.5m:0.1m", VPM_SWEEP_LENGTH_M, VPM_ERANGE, "below the start" },
		{ "1.5m:8m", VPM_SWEEP_LENGTH_M, VPM_EPARSE, "START:END:STEP" },
		{ "1:2:3:4", VPM_SWEEP_LENGTH_M, VPM_EPARSE, "START:END:STEP" },
		{ "2m,,3m", VPM_SWEEP_LENGTH_M, VPM_EPARSE, "empty value" },
		{ "", VPM_SWEEP_LENGTH_M, VPM_EPARSE, "empty value" },
		{ "3 parsecs", VPM_SWEEP_LENGTH_M, VPM_EPARSE, "not a length" },
		{ "1m:inf:1m", VPM_SWEEP_LENGTH_M, VPM_ERANGE, "infinite" },
		{ "1:1e9:1", VPM_SWEEP_LENGTH_M, VPM_ERANGE, "coarser step" },
		{ "T0.2", VPM_SWEEP_STOP, VPM_ERANGE, "between 0.5 and 128" },
		{ "1920:3840:0.5", VPM_SWEEP_PIXELS, VPM_ERANGE, "whole numbers" },
		{ "0", VPM_SWEEP_LENGTH_M, VPM_ERANGE, "greater than zero" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		vpm_sweep_axis_t a = { NULL, 0, NULL };
		vpm_status_t st = vpm_sweep_axis_parse(cases[i].text, cases[i].kind, 0, 0, &a);
		cr_assert_eq(st, cases[i].st, "'%s': status %d (%s)", cases[i].text, st,
			     vpm_error_message());
		cr_assert(strstr(vpm_error_message(), cases[i].says) != NULL, "'%s': %s",
			  cases[i].text, vpm_error_message());
		cr_assert_null(a.values);
	}
	{
		vpm_sweep_axis_t a;
		/* a caller's own bound on the number of values */
		cr_assert_eq(vpm_sweep_axis_parse("1m:2m:0.1m", VPM_SWEEP_LENGTH_M, 0, 10, &a),
			     VPM_ERANGE);
		cr_assert_eq(vpm_sweep_axis_parse(NULL, VPM_SWEEP_LENGTH_M, 0, 0, &a), VPM_EINVAL);
	}
}

/* ------------------------------------------------------------ the study */

static const vpm_panel_t test_panels[] = {
	{ .name = "p-a", .pitch_mm = 1.5625, .emitter_mm = 0.17 },
	{ .name = "p-b", .pitch_mm = 2.8409, .emitter_mm = 0.17 },
};
static const vpm_camera_t test_cameras[] = {
	{ .name = "cam", .width_px = 4608, .photosite_um = 5.5, .cfa = "bayer", .fill = 1.0 },
};
/* A T2.1 and a T2.9 prime, close focus from the sensor plane */
static const vpm_lens_t test_lenses[] = {
	{ .name = "l-28", .focal_mm = 28, .max_t = 2.1, .min_t = 22, .close_focus_m = 0.24 },
	{ .name = "l-15", .focal_mm = 15, .max_t = 2.9, .min_t = 22, .close_focus_m = 0.3 },
};

static vpm_sweep_study_t small_study(void)
{
	vpm_sweep_study_t s = vpm_sweep_study_default();

	s.panels = test_panels;
	s.n_panels = 2;
	s.cameras = test_cameras;
	s.n_cameras = 1;
	s.lenses = test_lenses;
	s.n_lenses = 2;
	s.stops = axis("2.8,4", VPM_SWEEP_STOP, 0);
	s.walls = axis("2m:4m:1m", VPM_SWEEP_LENGTH_M, 0);
	s.gaps = axis("1m,1.5m", VPM_SWEEP_LENGTH_M, 0);
	s.rolls = axis("0,5", VPM_SWEEP_ANGLE_DEG, 0);
	s.description = "--test small";
	return s;
}

static void study_release(vpm_sweep_study_t *s)
{
	vpm_sweep_axis_free(&s->stops);
	vpm_sweep_axis_free(&s->walls);
	vpm_sweep_axis_free(&s->gaps);
	vpm_sweep_axis_free(&s->focus);
	vpm_sweep_axis_free(&s->rolls);
	vpm_sweep_axis_free(&s->recording);
	vpm_sweep_axis_free(&s->delivery);
}

Test(sweep, index_mapping_is_mixed_radix_last_axis_fastest)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;
	vpm_sweep_point_t p;
	uint64_t dims[VPM_SWEEP_DIMS], i;
	unsigned char seen[96];

	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK, "%s", vpm_error_message());
	/* 2 panels x 1 camera x (2 lenses x 2 stops) x 3 walls x 2 gaps x 2 rolls */
	cr_assert_eq(vpm_sweep_count(sw), 96);
	vpm_sweep_dims(sw, dims);
	cr_assert(dims[0] == 2 && dims[1] == 1 && dims[2] == 4 && dims[3] == 3 && dims[4] == 2 &&
		  dims[5] == 2 && dims[6] == 1 && dims[7] == 1);

	cr_assert_eq(vpm_sweep_point(sw, 0, &p), VPM_OK);
	cr_assert(p.panel == 0 && p.lens == 0 && p.stop == 2.8 && p.wall_m == 2.0 &&
		  p.subject_gap_m == 1.0 && p.setup.roll_deg == 0.0);
	cr_assert_eq(p.focus_m, 1.0); /* focus on the subject: 2 m - 1 m */
	cr_assert_eq(p.setup.pitch_mm, 1.5625);
	cr_assert_eq(p.setup.focal_mm, 28.0);
	cr_assert_eq(p.reason, VPM_SWEEP_OK);
	cr_assert_eq(vpm_sweep_point(sw, 1, &p), VPM_OK);
	cr_assert(p.setup.roll_deg == 5.0 && p.subject_gap_m == 1.0); /* roll fastest */
	cr_assert_eq(vpm_sweep_point(sw, 2, &p), VPM_OK);
	cr_assert(p.setup.roll_deg == 0.0 && p.subject_gap_m == 1.5);
	cr_assert_eq(vpm_sweep_point(sw, 12, &p), VPM_OK);
	cr_assert(p.lens == 0 && p.stop == 4.0 && p.wall_m == 2.0); /* 12 = 3 x 2 x 2 */
	cr_assert_eq(vpm_sweep_point(sw, 95, &p), VPM_OK);
	cr_assert(p.panel == 1 && p.lens == 1 && p.stop == 4.0 && p.wall_m == 4.0 &&
		  p.subject_gap_m == 1.5 && p.setup.roll_deg == 5.0);
	cr_assert_eq(p.setup.pitch_mm, 2.8409);
	cr_assert_eq(vpm_sweep_point(sw, 96, &p), VPM_EINVAL);

	/* a bijection: every combination exactly once */
	memset(seen, 0, sizeof seen);
	for (i = 0; i < 96; i++) {
		size_t lens_stop, code;
		cr_assert_eq(vpm_sweep_point(sw, i, &p), VPM_OK);
		lens_stop = p.lens * 2 + (p.stop == 4.0);
		code = ((((p.panel * 4 + lens_stop) * 3 + p.wall) * 2 + p.focus_axis) * 2 + p.roll);
		cr_assert_eq(code, i);
		cr_assert_eq(seen[code], 0);
		seen[code] = 1;
	}
	vpm_sweep_free(sw);
	study_release(&s);
}

Test(sweep, impossible_setups_get_a_status_in_a_fixed_order)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;
	vpm_sweep_point_t p;

	vpm_sweep_axis_free(&s.walls);
	vpm_sweep_axis_free(&s.gaps);
	vpm_sweep_axis_free(&s.rolls);
	/* walls 0.5 m and 2 m; gaps 0.3 m, 1.8 m, 2.5 m */
	s.walls = axis("0.5m,2m", VPM_SWEEP_LENGTH_M, 0);
	s.gaps = axis("0.3m,1.8m,2.5m", VPM_SWEEP_LENGTH_M, 0);
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK, "%s", vpm_error_message());
	/* 28 mm, T2.8, wall 0.5 m, gap 0.3 m: subject at 0.2 m, inside the
	 * 0.24 m close focus of the lens */
	cr_assert_eq(vpm_sweep_point(sw, 0, &p), VPM_OK);
	cr_assert_eq(p.reason, VPM_SWEEP_FOCUS_TOO_CLOSE);
	/* wall 0.5 m, gap 1.8 m: the subject would be behind the camera */
	cr_assert_eq(vpm_sweep_point(sw, 1, &p), VPM_OK);
	cr_assert_eq(p.reason, VPM_SWEEP_SUBJECT_BEHIND_CAMERA);
	/* wall 2 m, gap 1.8 m: subject at 0.2 m again */
	cr_assert_eq(vpm_sweep_point(sw, 4, &p), VPM_OK);
	cr_assert_eq(p.reason, VPM_SWEEP_FOCUS_TOO_CLOSE);
	/* wall 2 m, gap 0.3 m: fine */
	cr_assert_eq(vpm_sweep_point(sw, 3, &p), VPM_OK);
	cr_assert_eq(p.reason, VPM_SWEEP_OK);
	/* the 15 mm is a T2.9 lens: T2.8 is not on it, whatever the distance */
	cr_assert_eq(vpm_sweep_point(sw, 12, &p), VPM_OK);
	cr_assert(p.lens == 1 && p.stop == 2.8);
	cr_assert_eq(p.reason, VPM_SWEEP_STOP_OUTSIDE_LENS);
	cr_assert_str_eq(vpm_sweep_reason_name(p.reason), "stop-outside-lens");
	vpm_sweep_free(sw);

	/* a subject deeper than its gap reaches behind the wall */
	s.subject_depth_m = 1.0;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	cr_assert_eq(vpm_sweep_point(sw, 3, &p), VPM_OK);
	cr_assert_eq(p.reason, VPM_SWEEP_SUBJECT_BEHIND_WALL);
	vpm_sweep_free(sw);
	study_release(&s);
}

Test(sweep, lens_stop_modes_follow_the_lens)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;
	uint64_t dims[VPM_SWEEP_DIMS];
	vpm_sweep_point_t p;
	vpm_lens_t custom = { .focal_mm = 50 };

	s.stop_mode = VPM_SWEEP_STOPS_LENS;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	vpm_sweep_dims(sw, dims);
	/* T2.1 lens: 2.1 2.8 4 5.6 8 11 16 22; T2.9 lens: 2.9 4 5.6 8 11 16 22 */
	cr_assert_eq(dims[2], 8 + 7);
	cr_assert_eq(vpm_sweep_point(sw, 0, &p), VPM_OK);
	cr_assert_eq(p.stop, 2.1);
	cr_assert_eq(vpm_sweep_point(sw, 7 * 12, &p), VPM_OK);
	cr_assert_eq(p.stop, 22.0);
	cr_assert_eq(vpm_sweep_point(sw, 8 * 12, &p), VPM_OK);
	cr_assert(p.lens == 1 && p.stop == 2.9);
	vpm_sweep_free(sw);

	/* third stops: 2.1 then the 21 entries of the series above it up to 22 */
	s.stop_mode = VPM_SWEEP_STOPS_LENS_THIRDS;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	vpm_sweep_dims(sw, dims);
	cr_assert_eq(dims[2], 22 + 19);
	vpm_sweep_free(sw);

	/* a lens given by its focal length alone has no stops of its own */
	s.lenses = &custom;
	s.n_lenses = 1;
	s.stop_mode = VPM_SWEEP_STOPS_LENS;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_EINVAL);
	cr_assert_null(sw);
	study_release(&s);
}

Test(sweep, studies_beyond_the_limit_say_how_to_shrink)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;

	s.max_setups = 95;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_ELIMIT);
	cr_assert(strstr(vpm_error_message(), "96 set-ups") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "--max-setups") != NULL);
	s.max_setups = 96;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	vpm_sweep_free(sw);
	s.n_panels = 0;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_EINVAL);
	s.n_panels = 2;
	s.description = "two\nlines";
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_EINVAL);
	study_release(&s);
}

Test(sweep, shards_cover_every_index_exactly_once)
{
	static const uint64_t totals[] = { 0, 1, 7, 100, 101, 1000 };
	static const uint64_t counts[] = { 1, 2, 3, 7, 16, 1000, 1001 };
	size_t a, b;
	vpm_sweep_shard_t sh;

	for (a = 0; a < sizeof totals / sizeof totals[0]; a++)
		for (b = 0; b < sizeof counts / sizeof counts[0]; b++) {
			uint64_t total = totals[a], n = counts[b], i, r, sum = 0;
			unsigned char *seen = calloc(total + 1, 1);
			for (i = 0; i < n; i++) {
				vpm_sweep_shard_t s = { i, n };
				uint64_t rows = vpm_sweep_shard_rows(total, s);
				sum += rows;
				for (r = 0; r < rows; r++) {
					uint64_t g = vpm_sweep_shard_index(s, r);
					cr_assert_lt(g, total);
					cr_assert_eq(g % n, i);
					cr_assert_eq(seen[g], 0);
					seen[g] = 1;
				}
			}
			cr_assert_eq(sum, total, "%lu in %lu shards", (unsigned long)total,
				     (unsigned long)n);
			free(seen);
		}
	cr_assert_eq(vpm_sweep_shard_parse("3/16", &sh), VPM_OK);
	cr_assert(sh.index == 3 && sh.count == 16);
	cr_assert_eq(vpm_sweep_shard_parse("16/16", &sh), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--array=0-15") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_sweep_shard_parse("0/0", &sh), VPM_ERANGE);
	cr_assert_eq(vpm_sweep_shard_parse("a/b", &sh), VPM_EPARSE);
	cr_assert_eq(vpm_sweep_shard_parse("-1/4", &sh), VPM_EPARSE);
	cr_assert_eq(vpm_sweep_shard_parse("1/4x", &sh), VPM_EPARSE);
	cr_assert_eq(vpm_sweep_shard_parse("1", &sh), VPM_EPARSE);
}

/* ------------------------------------------------------------ rows */

static vpm_catalog_t *source_catalog(void)
{
	char dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();

	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_not_null(cat);
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	return cat;
}

static size_t count_char(const char *s, size_t n, char c)
{
	size_t k = 0, i;

	for (i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

/* The n-th comma-separated cell of a line (0-based), into buf. */
static const char *cell(const char *line, int n, char *buf, size_t size)
{
	const char *p = line, *e;
	size_t len;

	while (n-- > 0) {
		p = strchr(p, ',');
		cr_assert_not_null(p);
		p++;
	}
	e = p + strcspn(p, ",\n");
	len = (size_t)(e - p) < size - 1 ? (size_t)(e - p) : size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

/* The value of a field in `check --json` as the CSV would print it. */
static const char *json_cell(const char *json, const char *key, char *buf, size_t size)
{
	char pat[128];
	const char *p, *e;
	size_t len;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	p = strstr(json, pat);
	cr_assert_not_null(p, "no %s in %s", key, json);
	p += strlen(pat);
	if (strncmp(p, "null", 4) == 0) {
		buf[0] = '\0';
		return buf;
	}
	if (*p == '"')
		p++;
	e = p + strcspn(p, "\",\n");
	len = (size_t)(e - p) < size - 1 ? (size_t)(e - p) : size - 1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

Test(sweep, header_is_parameters_status_then_the_spec_fields)
{
	const char *h = vpm_sweep_header();
	char want[2048] = "panel,pitch_mm,camera,lens,focal_mm,stop,wall_m,subject_gap_m,subject_m,"
			  "focus_m,roll_deg,recording_px,delivery_px,status";
	size_t i, nspec;
	const char *const *spec_fields = tu_spec_fields(&nspec);

	for (i = 0; i < nspec; i++) {
		strcat(want, ",");
		strcat(want, spec_fields[i]);
	}
	strcat(want, "\n");
	cr_assert_str_eq(h, want);
}

/* The reference micro stage (camera 1 m from the subject, subject 5 ft in
 * front of the wall) swept at three walls, and each row checked cell by
 * cell against `vpmoire check --json` of the same set-up. */
Test(sweep, rows_equal_check_json_cell_for_cell)
{
	vpm_catalog_t *cat = source_catalog();
	const vpm_panel_t *panel;
	const vpm_camera_t *camera;
	const vpm_lens_t *lens;
	vpm_panel_t pv;
	vpm_camera_t cv;
	vpm_lens_t lv;
	vpm_sweep_study_t s = vpm_sweep_study_default();
	vpm_sweep_t *sw;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	char *row, buf[128], want[128];
	size_t len, i, nh, nspec;
	const char *const *spec_fields = tu_spec_fields(&nspec);
	uint64_t k;
	static const char *const walls[] = { "2.524", "3.7", "6.1" };

	cr_assert_eq(vpm_catalog_find_panel(cat, "aoto-rm1.5", &panel), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &camera), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &lens), VPM_OK);
	pv = *panel;
	cv = *camera;
	lv = *lens;
	s.panels = &pv;
	s.n_panels = 1;
	s.cameras = &cv;
	s.n_cameras = 1;
	s.lenses = &lv;
	s.n_lenses = 1;
	s.stops = axis("2.8", VPM_SWEEP_STOP, 0);
	s.walls = axis("2.524,3.7,6.1", VPM_SWEEP_LENGTH_M, 0);
	s.gaps = axis("5ft", VPM_SWEEP_LENGTH_M, 0);
	s.description = "--reference";
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK, "%s", vpm_error_message());
	row = malloc(vpm_sweep_row_max(sw) + 1);
	nh = count_char(vpm_sweep_header(), strlen(vpm_sweep_header()), ',');
	for (k = 0; k < 3; k++) {
		char args[1024], subj[64];
		tu_run_t r;
		cr_assert_eq(vpm_sweep_row(sw, k, ws, row, vpm_sweep_row_max(sw), &len), VPM_OK,
			     "%s", vpm_error_message());
		row[len] = '\0'; /* rows are bytes for a file, not strings */
		cr_assert_eq(row[len - 1], '\n');
		cr_assert_eq(count_char(row, len, ','), nh, "%.*s", (int)len, row);
		cr_assert(strstr(row, "inf") == NULL && strstr(row, "nan") == NULL, "%s", row);
		cr_assert_str_eq(cell(row, 13, buf, sizeof buf), "ok");
		cr_assert_str_eq(cell(row, 0, buf, sizeof buf), "aoto-rm1.5");
		cr_assert_str_eq(cell(row, 6, buf, sizeof buf), walls[k]);
		/* subject = wall - 5 ft, printed as check would read it back */
		snprintf(subj, sizeof subj, "%s", cell(row, 8, buf, sizeof buf));
		snprintf(args, sizeof args,
			 "check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 "
			 "--lens zeiss-cp3-28 --stop 2.8 --wall %s --subject %s --json",
			 walls[k], subj);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 0, "%s", r.err);
		/* the CSV keeps ten significant digits (%.10g), check --json
		 * every digit a double needs: the same number to 10 digits, and
		 * the same text where it is not a number */
		for (i = 0; i < nspec; i++) {
			const char *c = cell(row, 14 + (int)i, buf, sizeof buf);
			const char *j = json_cell(r.out, spec_fields[i], want, sizeof want);
			char *e1, *e2;
			double a = strtod(c, &e1), b = strtod(j, &e2);

			if (*c && !*e1 && *j && !*e2)
				cr_assert(fabs(a - b) <= 5e-10 * fabs(b), "wall %s, %s: %s vs %s",
					  walls[k], spec_fields[i], c, j);
			else
				cr_assert_str_eq(c, j, "wall %s, %s", walls[k], spec_fields[i]);
		}
		tu_run_free(&r);
	}
	cr_assert_eq(vpm_sweep_row(sw, 3, ws, row, vpm_sweep_row_max(sw), &len), VPM_EINVAL);
	cr_assert_eq(vpm_sweep_row(sw, 0, ws, row, 10, &len), VPM_EINVAL);
	free(row);
	vpm_predict_workspace_free(ws);
	vpm_sweep_free(sw);
	study_release(&s);
	vpm_catalog_free(cat);
}

Test(sweep, status_rows_have_empty_results_and_full_width)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	char *buf;
	size_t len, nh = count_char(vpm_sweep_header(), strlen(vpm_sweep_header()), ',');
	char want[256];

	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	buf = malloc(vpm_sweep_row_max(sw));
	/* set-up 72: second panel (48 each), T2.8 on the T2.9 15 mm (lens-stop 2
	 * of 4, 12 each) */
	cr_assert_eq(vpm_sweep_row(sw, 48 + 24, ws, buf, vpm_sweep_row_max(sw), &len), VPM_OK);
	snprintf(want, sizeof want, "p-b,2.8409,cam,l-15,15,2.8,2,1,1,1,0,,,stop-outside-lens%s\n",
		 ",,,,,,,,,,,,,,,,,");
	cr_assert_eq(count_char(buf, len, ','), nh);
	cr_assert_eq(strncmp(buf, want, len), 0, "%.*s", (int)len, buf);
	free(buf);
	vpm_predict_workspace_free(ws);
	vpm_sweep_free(sw);
	study_release(&s);
}

/* ------------------------------------------------------------ output */

static vpm_sweep_t *output_study(const char *desc)
{
	vpm_sweep_study_t s = small_study();
	vpm_sweep_t *sw;

	s.description = desc;
	cr_assert_eq(vpm_sweep_alloc(&s, &sw), VPM_OK);
	study_release(&s);
	return sw;
}

/* Write local rows [from, to) of a shard through the output. */
static void put_rows(const vpm_sweep_t *sw, vpm_sweep_output_t *o, vpm_sweep_shard_t sh,
		     uint64_t from, uint64_t to, vpm_predict_workspace_t *ws)
{
	size_t cap = 32 * vpm_sweep_row_max(sw), len;
	char *buf = malloc(cap);
	uint64_t r;

	for (r = from; r < to; r += 32) {
		uint64_t n = to - r < 32 ? to - r : 32;
		cr_assert_eq(vpm_sweep_rows(sw, sh, r, n, ws, buf, cap, &len), VPM_OK);
		cr_assert_eq(vpm_sweep_output_write(o, buf, len, n), VPM_OK, "%s",
			     vpm_error_message());
	}
	free(buf);
}

Test(sweep, output_resumes_from_its_checkpoint_after_a_torn_write)
{
	vpm_sweep_t *sw = output_study("--resume-test");
	vpm_sweep_shard_t all = { 0, 1 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_sweep_output_t *o;
	char u[4200], r[4200], partial[4200], ckpt[4200], *a, *b;
	FILE *fp;

	snprintf(u, sizeof u, "%s", tu_tmp("u.csv"));
	snprintf(r, sizeof r, "%s", tu_tmp("r.csv"));
	/* uninterrupted */
	cr_assert_eq(vpm_sweep_output_open(sw, u, all, 0, &o), VPM_OK, "%s", vpm_error_message());
	put_rows(sw, o, all, 0, 96, ws);
	cr_assert_eq(vpm_sweep_output_commit(o), VPM_OK, "%s", vpm_error_message());

	/* 50 rows checkpointed, 25 more and half a row written: a crash */
	vpm_sweep_partial_path(r, partial, sizeof partial);
	vpm_sweep_checkpoint_path(r, ckpt, sizeof ckpt);
	cr_assert(strstr(partial, "/.r.csv.partial") != NULL, "%s", partial);
	cr_assert(strstr(ckpt, "/.r.csv.ckpt") != NULL, "%s", ckpt);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 0, &o), VPM_OK);
	put_rows(sw, o, all, 0, 50, ws);
	cr_assert_eq(vpm_sweep_output_checkpoint(o), VPM_OK);
	put_rows(sw, o, all, 50, 75, ws);
	vpm_sweep_output_close(o);
	fp = fopen(partial, "ab");
	fputs("p-b,2.84", fp);
	fclose(fp);
	cr_assert(!tu_exists(r), "the output must not appear before it is complete");
	cr_assert(tu_exists(ckpt));

	/* a fresh start would throw the rows away: refused, with the way out */
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 0, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--resume") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "50 of 96") != NULL, "%s", vpm_error_message());
	/* another study, another shard: refused */
	{
		vpm_sweep_t *other = output_study("--another-study");
		vpm_sweep_shard_t half = { 0, 2 };
		cr_assert_eq(vpm_sweep_output_open(other, r, all, 1, &o), VPM_EINVAL);
		cr_assert(strstr(vpm_error_message(), "another study") != NULL, "%s",
			  vpm_error_message());
		cr_assert_eq(vpm_sweep_output_open(sw, r, half, 1, &o), VPM_EINVAL);
		cr_assert(strstr(vpm_error_message(), "shard 0/1") != NULL, "%s",
			  vpm_error_message());
		vpm_sweep_free(other);
	}
	/* standard output cannot resume */
	cr_assert_eq(vpm_sweep_output_open(sw, "-", all, 1, &o), VPM_EINVAL);

	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_OK, "%s", vpm_error_message());
	cr_assert(vpm_sweep_output_resumed(o));
	cr_assert_eq(vpm_sweep_output_rows_done(o), 50);
	/* committing early is refused and keeps everything */
	put_rows(sw, o, all, 50, 95, ws);
	cr_assert_eq(vpm_sweep_output_checkpoint(o), VPM_OK);
	cr_assert_eq(vpm_sweep_output_commit(o), VPM_EINVAL);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_OK);
	cr_assert_eq(vpm_sweep_output_rows_done(o), 95);
	put_rows(sw, o, all, 95, 96, ws);
	cr_assert_eq(vpm_sweep_output_commit(o), VPM_OK, "%s", vpm_error_message());

	a = tu_slurp(u);
	b = tu_slurp(r);
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(a, b);
	cr_assert(!tu_exists(partial) && !tu_exists(ckpt));
	/* the first line says what it is, how many set-ups, and which catalog
	 * values and model they were computed with */
	{
		char want[256];
		uint64_t n = 0;
		snprintf(want, sizeof want,
			 "# vpmoire " PACKAGE_VERSION " sweep (96 set-ups; catalog %016" PRIx64
			 "; model %016" PRIx64 "): --resume-test\n",
			 vpm_sweep_id_catalog(sw), vpm_sweep_id_model(sw));
		cr_assert(strncmp(a, want, strlen(want)) == 0, "%.120s", a);
		cr_assert_eq(vpm_sweep_comment_parse(a, &n), VPM_OK);
		cr_assert_eq(n, 96);
		/* an older vpmoire's line is still read */
		cr_assert_eq(vpm_sweep_comment_parse("# vpmoire 0.1.0 sweep (17 set-ups): x", &n),
			     VPM_OK);
		cr_assert_eq(n, 17);
		cr_assert_eq(vpm_sweep_comment_parse("# something else", &n), VPM_EPARSE);
	}
	free(a);
	free(b);
	vpm_predict_workspace_free(ws);
	vpm_sweep_free(sw);
}

/* Hardening regression: an output under a regular file (the checkpoint
 * cannot even be looked for) and a damaged checkpoint.  The message used
 * to be built from the output's paths after they were freed, printing
 * garbage ("vpmoire: \xef\xbf\xbd$\xef\xbf\xbdU is not a readable sweep
 * checkpoint"); under AddressSanitizer this test aborted. */
Test(sweep, output_open_errors_name_the_right_file)
{
	vpm_sweep_t *sw = output_study("--open-errors");
	vpm_sweep_shard_t all = { 0, 1 };
	vpm_sweep_output_t *o = NULL;
	char under[4200], want[4300], out[4200], ckpt[4200];
	FILE *fp;

	snprintf(under, sizeof under, "%s/x.csv", tu_write("plain-file", "not a directory\n"));
	cr_assert_eq(vpm_sweep_output_open(sw, under, all, 0, &o), VPM_EIO);
	cr_assert_null(o);
	snprintf(want, sizeof want, "cannot write %s: Not a directory", under);
	cr_assert_str_eq(vpm_error_message(), want);

	snprintf(out, sizeof out, "%s", tu_tmp("damaged.csv"));
	vpm_sweep_checkpoint_path(out, ckpt, sizeof ckpt);
	fp = fopen(ckpt, "w");
	cr_assert_not_null(fp);
	fputs("vpmoire-sweep-checkpoint 1\nstudy zz\n", fp);
	fclose(fp);
	cr_assert_eq(vpm_sweep_output_open(sw, out, all, 1, &o), VPM_EIO);
	cr_assert(strncmp(vpm_error_message(), ckpt, strlen(ckpt)) == 0, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "is not a readable sweep checkpoint") != NULL, "%s",
		  vpm_error_message());
	cr_assert(!tu_exists(out));
	remove(ckpt);
	vpm_sweep_free(sw);
}

/* Issue 14: a study is its flags, the VALUES of its catalog entries and
 * its model.  Editing one number of a catalog row (same names, same flags)
 * is another study; so is another model option. */
Test(sweep, study_identity_covers_catalog_values_and_model)
{
	vpm_sweep_study_t s = small_study();
	vpm_panel_t panels[2];
	vpm_lens_t lenses[2];
	vpm_sweep_t *a, *b;
	char la[1024], lb[1024];

	memcpy(panels, test_panels, sizeof panels);
	memcpy(lenses, test_lenses, sizeof lenses);
	s.panels = panels;
	s.lenses = lenses;
	cr_assert_eq(vpm_sweep_alloc(&s, &a), VPM_OK, "%s", vpm_error_message());
	vpm_sweep_comment(a, la, sizeof la);

	/* the same study again: the same identity, the same first line */
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_eq(vpm_sweep_hash(a), vpm_sweep_hash(b));
	vpm_sweep_comment(b, lb, sizeof lb);
	cr_assert_null(vpm_sweep_comment_differs(la, lb));
	vpm_sweep_free(b);

	/* an emitter edited in its third decimal: catalog values differ */
	panels[1].emitter_mm = 0.171;
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_neq(vpm_sweep_hash(a), vpm_sweep_hash(b));
	cr_assert_neq(vpm_sweep_id_catalog(a), vpm_sweep_id_catalog(b));
	cr_assert_eq(vpm_sweep_id_flags(a), vpm_sweep_id_flags(b));
	cr_assert_eq(vpm_sweep_id_model(a), vpm_sweep_id_model(b));
	vpm_sweep_comment(b, lb, sizeof lb);
	cr_assert_str_eq(vpm_sweep_comment_differs(la, lb), "catalog values differ");
	vpm_sweep_free(b);
	panels[1].emitter_mm = test_panels[1].emitter_mm;

	/* a lens's close focus (changes which rows are focus-too-close) */
	lenses[0].close_focus_m = 0.25;
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_neq(vpm_sweep_id_catalog(a), vpm_sweep_id_catalog(b));
	vpm_sweep_free(b);
	lenses[0].close_focus_m = test_lenses[0].close_focus_m;

	/* provenance does not change a row: the same study */
	panels[0].source = "another brochure";
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_eq(vpm_sweep_hash(a), vpm_sweep_hash(b));
	vpm_sweep_free(b);

	/* a model option, even one the description does not mention */
	s.base.content_contrast = 0.35;
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_neq(vpm_sweep_id_model(a), vpm_sweep_id_model(b));
	cr_assert_eq(vpm_sweep_id_catalog(a), vpm_sweep_id_catalog(b));
	vpm_sweep_comment(b, lb, sizeof lb);
	cr_assert_str_eq(vpm_sweep_comment_differs(la, lb), "model options differ");
	vpm_sweep_free(b);
	s.base = vpm_sweep_study_default().base;

	/* other flags */
	s.description = "--test other";
	cr_assert_eq(vpm_sweep_alloc(&s, &b), VPM_OK);
	cr_assert_neq(vpm_sweep_id_flags(a), vpm_sweep_id_flags(b));
	vpm_sweep_comment(b, lb, sizeof lb);
	cr_assert_str_eq(vpm_sweep_comment_differs(la, lb), "flags differ");
	vpm_sweep_free(b);
	cr_assert_str_eq(vpm_sweep_comment_differs(la, "# vpmoire 0.0.1 sweep (96 set-ups): x\n"),
			 "vpmoire versions differ");

	vpm_sweep_free(a);
	study_release(&s);
}

/* Write a checkpointed partial output of 40 of the 96 rows to `path`. */
static void interrupted_output(const vpm_sweep_t *sw, const char *path)
{
	vpm_sweep_shard_t all = { 0, 1 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_sweep_output_t *o;

	cr_assert_eq(vpm_sweep_output_open(sw, path, all, 0, &o), VPM_OK, "%s",
		     vpm_error_message());
	put_rows(sw, o, all, 0, 40, ws);
	cr_assert_eq(vpm_sweep_output_checkpoint(o), VPM_OK);
	vpm_sweep_output_close(o);
	vpm_predict_workspace_free(ws);
}

/* Replace "KEY OLD" by "KEY NEW" in a checkpoint file. */
static void tamper(const char *ckpt, const char *key, unsigned long long value)
{
	char *t = tu_slurp(ckpt), *p, *e, out[2048];
	FILE *fp;

	cr_assert_not_null(t);
	p = strstr(t, key);
	cr_assert_not_null(p, "%s", t);
	e = strchr(p, '\n');
	snprintf(out, sizeof out, "%.*s%s %llu%s", (int)(p - t), t, key, value, e);
	fp = fopen(ckpt, "wb");
	fputs(out, fp);
	fclose(fp);
	free(t);
}

/* Issue 14: --resume trusts nothing it has not checked.  The checkpoint's
 * rows and bytes must agree with the partial file (its length, its line
 * count, a whole last row ending in a newline) before anything is
 * appended; any disagreement is refused with the reason. */
Test(sweep, resume_checks_the_checkpoint_against_the_partial_file)
{
	vpm_sweep_t *sw = output_study("--ckpt-check");
	vpm_sweep_shard_t all = { 0, 1 };
	vpm_sweep_output_t *o = NULL;
	char r[4200], partial[4200], ckpt[4200], *good, *t;
	unsigned long long bytes, rows;
	size_t n;
	FILE *fp;

	snprintf(r, sizeof r, "%s", tu_tmp("cc.csv"));
	vpm_sweep_partial_path(r, partial, sizeof partial);
	vpm_sweep_checkpoint_path(r, ckpt, sizeof ckpt);
	interrupted_output(sw, r);
	good = tu_slurp(ckpt);
	cr_assert_not_null(good);
	t = strstr(good, "\nbytes ");
	cr_assert_not_null(t);
	bytes = strtoull(t + 7, NULL, 10);
	t = strstr(good, "\nrows ");
	rows = strtoull(t + 6, NULL, 10);
	cr_assert_eq(rows, 40);
	t = tu_slurp(partial);
	cr_assert_eq(tu_lines(t), 2 + 40); /* first line, header, rows */
	free(t);

	/* rows tampered: 41 claimed, 40 there */
	tamper(ckpt, "rows", 41);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert_null(o);
	cr_assert(strstr(vpm_error_message(), "records 41 rows") != NULL, "%s",
		  vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "hold 40") != NULL, "%s", vpm_error_message());
	/* rows beyond the study */
	tamper(ckpt, "rows", 97);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "more than the 96") != NULL, "%s",
		  vpm_error_message());
	tamper(ckpt, "rows", 40);

	/* bytes tampered: ending inside the last row (torn) */
	tamper(ckpt, "bytes", bytes - 5);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "does not end a line at byte") != NULL, "%s",
		  vpm_error_message());
	/* bytes beyond the file */
	tamper(ckpt, "bytes", bytes + 1000);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "fewer than the") != NULL, "%s", vpm_error_message());
	tamper(ckpt, "bytes", bytes);

	/* the partial file truncated below its checkpoint */
	t = tu_slurp(partial);
	n = strlen(t);
	cr_assert_eq(n, bytes);
	fp = fopen(partial, "wb");
	fwrite(t, 1, n - 100, fp);
	fclose(fp);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "fewer than the") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), partial) != NULL, "%s", vpm_error_message());

	/* a row torn in the middle, the length kept: 3 commas turned to ';' */
	{
		char *torn = strdup(t), *q = torn + n - 2;
		int k = 0;
		while (k < 3 && q > torn) {
			if (*q == ',') {
				*q = ';';
				k++;
			}
			q--;
		}
		fp = fopen(partial, "wb");
		fwrite(torn, 1, n, fp);
		fclose(fp);
		free(torn);
	}
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), ":42: a torn row") != NULL, "%s",
		  vpm_error_message());

	/* another study's head */
	fp = fopen(partial, "wb");
	fputc('#', fp);
	fwrite(t + 1, 1, 10, fp);
	fputc('X', fp);
	fwrite(t + 12, 1, n - 12, fp);
	fclose(fp);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "does not begin with this study's head") != NULL,
		  "%s", vpm_error_message());

	/* restored, it resumes where it stopped, and nothing was lost */
	fp = fopen(partial, "wb");
	fwrite(t, 1, n, fp);
	fclose(fp);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_sweep_output_rows_done(o), 40);
	vpm_sweep_output_close(o);

	/* an older vpmoire's checkpoint cannot vouch for the catalog values */
	fp = fopen(ckpt, "wb");
	fprintf(fp,
		"vpmoire-sweep-checkpoint 1\nstudy 0123456789abcdef\nshard 0/1\n"
		"set-ups 96\nrows 40\nbytes %llu\n",
		bytes);
	fclose(fp);
	cr_assert_eq(vpm_sweep_output_open(sw, r, all, 1, &o), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "older vpmoire") != NULL, "%s", vpm_error_message());
	remove(ckpt);
	remove(partial);
	free(t);
	free(good);
	vpm_sweep_free(sw);
}

/* ------------------------------------------------------------ the commands */

#define REF_RIG "--cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28"

Test(sweep, command_writes_csv_to_stdout_or_a_file)
{
	tu_run_t r = tu_vpmoire("sweep --panels aoto-rm1.5,roe-bp2v2 " REF_RIG
				" --stop 2.8,4 --wall 2.5m:3m:0.25m -q");
	char *f;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "# vpmoire " PACKAGE_VERSION " sweep (12 set-ups; catalog ",
			  strlen("# vpmoire " PACKAGE_VERSION " sweep (12 set-ups; catalog ")) == 0,
		  "%s", r.out);
	cr_assert(strstr(r.out, "): --panels aoto-rm1.5,roe-bp2v2 --cameras") != NULL, "%s", r.out);
	cr_assert_eq(tu_lines(r.out), 2 + 12);
	cr_assert(strstr(r.out, "\npanel,pitch_mm,") != NULL);
	cr_assert_str_eq(r.err, "");
	tu_run_free(&r);

	r = tu_vpmoire("sweep --panels aoto-rm1.5,roe-bp2v2 " REF_RIG
		       " --stop 2.8,4 --wall 2.5m:3m:0.25m -o out.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert(strstr(r.err, "12 set-ups") != NULL, "%s", r.err);
	f = tu_slurp(tu_tmp("out.csv"));
	cr_assert_not_null(f);
	cr_assert_eq(tu_lines(f), 14);
	cr_assert(!tu_exists(tu_tmp(".out.csv.partial")) && !tu_exists(tu_tmp(".out.csv.ckpt")));
	free(f);
	tu_run_free(&r);

	r = tu_vpmoire("sweep --panels 'aoto-*' " REF_RIG " --stop lens --wall 2.5m --count");
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* CP.3 28 mm: T2.1 and the full stops 2.8 ... 22 */
	cr_assert(strstr(r.out, "set-ups: 8 (1 panels x 1 cameras x 8 lens-stops") != NULL, "%s",
		  r.out);
	cr_assert(strstr(r.out, "estimated time:") && strstr(r.out, "estimated output:"));
	tu_run_free(&r);
}

Test(sweep, study_files_hold_one_flag_per_line)
{
	tu_run_t r;

	tu_write("study.args", "# micro stage\n"
			       "--panels all\n"
			       "\n"
			       "--cameras bmd-ursa-mini-pro-4.6k-g2\n"
			       "--lenses \"ZEISS CP.3\"   # a comment-looking value is not one\n");
	tu_write("geo.args", "  --stop 2.8,4\n--wall=2m:3m:0.5m\n--subject-gap 5ft\n");
	r = tu_vpmoire("sweep @study.args --lenses zeiss-cp3-28 @geo.args --count");
	cr_assert_eq(r.status, 2, "%s", r.err); /* the comment made the series unknown */
	cr_assert_eq(tu_lines(r.err), 1);
	tu_run_free(&r);

	tu_write("study.args", "# micro stage\n"
			       "--panels all\n"
			       "\n"
			       "--cameras bmd-ursa-mini-pro-4.6k-g2\r\n"
			       "--lenses ZEISS CP.3\n");
	r = tu_vpmoire("sweep @study.args @geo.args --count");
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* 15 panels x 10 CP.3 lenses x 2 stops x 3 walls */
	cr_assert(strstr(r.out, "set-ups: 900 ") != NULL, "%s", r.out);
	tu_run_free(&r);

	tu_write("bad.args", "--panels all\n# fine\nwall 2m\n");
	r = tu_vpmoire("sweep @bad.args");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "bad.args:3:1: expected a flag") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	tu_run_free(&r);

	tu_write("bad.args", "--panels all\n--wall   1m:2m:0\n");
	r = tu_vpmoire("sweep @bad.args " REF_RIG);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "bad.args:2:10: --wall:") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "greater than zero") != NULL, "%s", r.err);
	tu_run_free(&r);

	tu_write("bad.args", "--panels all\n--frobnicate 3\n");
	r = tu_vpmoire("sweep @bad.args");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "bad.args:2:1: unknown option '--frobnicate'") != NULL, "%s",
		  r.err);
	tu_run_free(&r);

	r = tu_vpmoire("sweep @missing.args");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "missing.args") != NULL, "%s", r.err);
	tu_run_free(&r);
}

/* Hardening regression: study lines were read with getline(), which holds
 * a whole line in memory however long: `vpmoire sweep @/dev/zero` grew
 * without end.  Lines are now read up to 64 KiB, and a NUL byte (a binary
 * file) stops the reading at once. */
Test(sweep, endless_or_binary_study_files_are_refused_at_once)
{
	tu_run_t r = tu_vpmoire("sweep @/dev/zero --count");
	FILE *fp;
	int i;

	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "/dev/zero:1: NUL byte: not a text file") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	tu_run_free(&r);

	fp = fopen(tu_tmp("long.args"), "w");
	cr_assert_not_null(fp);
	fputs("--panels all\n--wall ", fp);
	for (i = 0; i < 70000; i++)
		fputc('1', fp);
	fclose(fp);
	r = tu_vpmoire("sweep @long.args --count");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "long.args:2: line longer than 65536 bytes") != NULL, "%s", r.err);
	tu_run_free(&r);
}

Test(sweep, bad_input_exits_2_with_one_line)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "sweep --panels all " REF_RIG, "--wall is required" },
		{ "sweep --panels roe-bp2v3 " REF_RIG " --wall 2m", "did you mean" },
		{ "sweep --panels 'nope-*' " REF_RIG " --wall 2m", "matches no panel" },
		{ "sweep --panels all " REF_RIG " --wall 1m:2m:0", "--wall" },
		{ "sweep --panels all " REF_RIG " --wall 2m --stop T0.1", "--stop" },
		{ "sweep --panels all " REF_RIG " --wall 2m --shard 3/3", "--array=0-2" },
		{ "sweep --panels all " REF_RIG " --wall 2m --shard x", "I/N" },
		{ "sweep --panels all " REF_RIG " --wall 2m --resume",
		  "--resume needs an output file" },
		{ "sweep --panels all " REF_RIG " --wall 2m --focus 1m --subject-gap 1m",
		  "--subject-gap" },
		{ "sweep --panels all " REF_RIG " --wall 2m --focus-rule sideways",
		  "--focus-rule" },
		{ "sweep --panels all " REF_RIG " --wall 1m:9m:0.001m --max-setups 1000",
		  "--max-setups" },
		{ "sweep --panels all " REF_RIG " --wall 2m --units ft", "metres" },
		{ "sweep --panels all " REF_RIG " --wall 2m --focal 50", "--focal" },
		{ "sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --focal 50 --wall 2m "
		  "--stop lens",
		  "stop range" },
		{ "sweep --panels all " REF_RIG " --wall 2m --jobs 0", "--jobs" },
		{ "sweep " REF_RIG " --wall 2m", "no LED panel" },
		{ "sweep --panels all " REF_RIG " --wall 2m stray", "unexpected argument" },
		{ "merge", "give the shard files" },
		{ "merge nothing.csv", "nothing.csv" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i].args);
		cr_assert_eq(r.status, 2, "'%s' gave %d: %s", cases[i].args, r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "'%s': %s", cases[i].args, r.err);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0, "%s", r.err);
		cr_assert(strstr(r.err, cases[i].says) != NULL, "'%s': %s", cases[i].args, r.err);
		cr_assert_str_eq(r.out, "");
		tu_run_free(&r);
	}
}

/* Issue 14: "each entry once" scanned the list for every entry selected
 * (quadratic for `--panels all` over a large catalog); now a hash set.  An
 * entry named again, by a pattern, by `all` or in another case, is still
 * taken once, where it first appears. */
Test(sweep, entries_selected_twice_are_taken_once)
{
	tu_run_t r = tu_vpmoire("sweep --panels roe-bp2v2,'aoto-*',all,AOTO-RM1.5,roe-bp2v2 " REF_RIG
				" --stop 2.8 --wall 2m -q");
	const char *p;

	cr_assert_eq(r.status, 0, "%s", r.err);
	/* the 15 shipped panels, once each, roe-bp2v2 first and aoto-rm1.5 second */
	cr_assert_eq(tu_lines(r.out), 2 + 15, "%s", r.out);
	p = strstr(r.out, "\nroe-bp2v2,");
	cr_assert_not_null(p, "%s", r.out);
	cr_assert(strncmp(strchr(p + 1, '\n'), "\naoto-rm1.5,", 12) == 0, "%s", r.out);
	cr_assert_null(strstr(p + 1, "\nroe-bp2v2,"), "roe-bp2v2 twice");
	tu_run_free(&r);
}

#define MERGE_STUDY "sweep --panels all " REF_RIG " --stop 2.8,4 --wall 2m:4m:0.25m -q"

Test(sweep, merged_shards_equal_the_single_run)
{
	tu_run_t r = tu_vpmoire(MERGE_STUDY " -o single.csv");
	char *a, *b, *c;
	size_t n;
	FILE *fp;

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire(MERGE_STUDY " --shard 0/3 -o s0.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire(MERGE_STUDY " --shard 1/3 -o s1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire(MERGE_STUDY " --shard 2/3 -o s2.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	c = tu_slurp(tu_tmp("s2.csv"));
	cr_assert(strstr(c, "\n# shard 2/3\npanel,") != NULL);
	free(c);

	r = tu_vpmoire("merge -o merged.csv s2.csv s0.csv s1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	a = tu_slurp(tu_tmp("single.csv"));
	b = tu_slurp(tu_tmp("merged.csv"));
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	/* 15 panels x 2 stops x 9 walls = 270 rows after the two head lines */
	cr_assert_eq(tu_lines(a), 272);
	cr_assert_str_eq(a, b);
	free(b);
	r = tu_vpmoire("merge s0.csv s1.csv s2.csv");
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, a);
	tu_run_free(&r);

	/* missing, repeated, foreign and incomplete parts */
	r = tu_vpmoire("merge -o m2.csv s0.csv s2.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "shard 1/3 is missing") != NULL, "%s", r.err);
	cr_assert(!tu_exists(tu_tmp("m2.csv")));
	tu_run_free(&r);
	r = tu_vpmoire("merge s0.csv s1.csv s1.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "are both shard 1/3") != NULL, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("merge single.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "single.csv:2:1: not a shard") != NULL, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire(MERGE_STUDY " --stop 5.6 --shard 1/3 -o other.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("merge s0.csv other.csv s2.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "other.csv:1:1: another study") != NULL, "%s", r.err);
	tu_run_free(&r);
	/* cut the last row of shard 1 */
	c = tu_slurp(tu_tmp("s1.csv"));
	n = strlen(c);
	cr_assert(n > 2);
	n--;
	while (n > 0 && c[n - 1] != '\n')
		n--;
	fp = fopen(tu_tmp("s1.csv"), "wb");
	fwrite(c, 1, n, fp);
	fclose(fp);
	free(c);
	r = tu_vpmoire("merge -o m3.csv s0.csv s1.csv s2.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "s1.csv: 89 rows, 90 expected") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	cr_assert(!tu_exists(tu_tmp("m3.csv")));
	tu_run_free(&r);
	free(a);
}

/* A panel catalog of one entry with the given emitter size. */
static void write_panel(const char *emitter)
{
	char text[256];

	snprintf(text, sizeof text,
		 "name,maker,model,pitch_mm,emitter_mm\nt-panel,Test,P2.6,2.6041,%s\n", emitter);
	cr_assert_not_null(tu_write("tpanel.csv", text));
}

#define EDIT_STUDY                                                                         \
	"sweep --catalog tpanel.csv --panels t-panel " REF_RIG " --stop 2.8,4,5.6 --wall " \
	"2m:4m:0.02m -q"

/* Issue 14: editing a catalog value (same name, same flags) between an
 * interrupted run and its --resume, or between two shards, used to mix two
 * studies in one CSV.  Now --resume and merge refuse, saying what differs. */
Test(sweep, resume_and_merge_refuse_edited_catalog_values)
{
	char cmd[8192];
	tu_run_t r;
	char *a, *b;
	int st;

	write_panel("0.5");
	r = tu_vpmoire(EDIT_STUDY " -o u.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);

	/* interrupted: the output hits a 4 KiB file-size limit (EFBIG) */
	snprintf(cmd, sizeof cmd,
		 "cd '%s' && ulimit -f 8 && trap '' XFSZ && '%s/apps/vpmoire' " EDIT_STUDY
		 " -o r.csv 2>/dev/null",
		 tu_tmpdir(), tu_builddir());
	st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %d", st);
	cr_assert(tu_exists(tu_tmp(".r.csv.partial")) && tu_exists(tu_tmp(".r.csv.ckpt")));

	/* the emitter edited: refused, nothing appended */
	write_panel("0.52");
	r = tu_vpmoire(EDIT_STUDY " -o r.csv --resume");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "catalog values differ") != NULL, "%s", r.err);
	cr_assert(!tu_exists(tu_tmp("r.csv")));
	cr_assert(tu_exists(tu_tmp(".r.csv.partial")) && tu_exists(tu_tmp(".r.csv.ckpt")));
	tu_run_free(&r);

	/* put back: it resumes to the uninterrupted CSV */
	write_panel("0.5");
	r = tu_vpmoire(EDIT_STUDY " -o r.csv --resume");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	a = tu_slurp(tu_tmp("u.csv"));
	b = tu_slurp(tu_tmp("r.csv"));
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_str_eq(a, b);
	free(b);

	/* shards computed with different values are not merged */
	r = tu_vpmoire(EDIT_STUDY " --shard 0/2 -o e0.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	write_panel("0.52");
	r = tu_vpmoire(EDIT_STUDY " --shard 1/2 -o e1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("merge -o em.csv e0.csv e1.csv");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "e1.csv:1:1: another study than e0.csv (catalog values differ)") !=
			  NULL,
		  "%s", r.err);
	cr_assert(!tu_exists(tu_tmp("em.csv")));
	tu_run_free(&r);
	/* the same values: merged, equal to the single run */
	write_panel("0.5");
	r = tu_vpmoire(EDIT_STUDY " --shard 1/2 -o e1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("merge -o em.csv e0.csv e1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	b = tu_slurp(tu_tmp("em.csv"));
	cr_assert_not_null(b);
	cr_assert_str_eq(a, b);
	free(a);
	free(b);
}

/* Issue 14: merge read lines without bound (`merge /dev/zero` grew memory
 * until killed), and `merge -o s1.csv s0.csv s1.csv` truncated a part
 * while reading it. */
Test(sweep, merge_bounds_its_lines_and_never_writes_over_an_input)
{
	tu_run_t r;
	FILE *fp;
	char *a, *b, cmd[4400];
	int i;

	r = tu_vpmoire("merge /dev/zero");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "/dev/zero:1: NUL byte: not a text file") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	tu_run_free(&r);

	/* 2 MiB without a line end */
	fp = fopen(tu_tmp("long.csv"), "wb");
	cr_assert_not_null(fp);
	for (i = 0; i < 2 * 1048576; i++)
		fputc('x', fp);
	fclose(fp);
	r = tu_vpmoire("merge long.csv");
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "long.csv:1: line longer than 1048576 bytes") != NULL, "%s", r.err);
	tu_run_free(&r);

	r = tu_vpmoire(MERGE_STUDY " --shard 0/2 -o w0.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire(MERGE_STUDY " --shard 1/2 -o w1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	a = tu_slurp(tu_tmp("w1.csv"));
	snprintf(cmd, sizeof cmd, "ln -f '%s' '%s' && ln -sf w0.csv '%s'", tu_tmp("w1.csv"),
		 tu_tmp("hard.csv"), tu_tmp("soft.csv"));
	cr_assert_eq(system(cmd), 0);
	{
		static const char *const outs[] = { "w1.csv", "./w1.csv", "hard.csv", "soft.csv" };
		size_t k;
		for (k = 0; k < sizeof outs / sizeof outs[0]; k++) {
			char args[256];
			snprintf(args, sizeof args, "merge -o %s w0.csv w1.csv", outs[k]);
			r = tu_vpmoire(args);
			cr_assert_eq(r.status, 2, "%s: %s", args, r.err);
			cr_assert(strstr(r.err, "is also the input") != NULL, "%s: %s", args, r.err);
			cr_assert_eq(tu_lines(r.err), 1);
			tu_run_free(&r);
		}
	}
	b = tu_slurp(tu_tmp("w1.csv"));
	cr_assert_str_eq(a, b, "the part was changed");
	free(a);
	free(b);
	r = tu_vpmoire("merge -o w.csv w0.csv w1.csv");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
}

/* ------------------------------------------------------------ kill and resume */

/* Start `vpmoire ARGS` in the scratch directory; returns its pid. */
static pid_t spawn(const char *args, const char *err)
{
	char cmd[8192];
	pid_t pid;

	snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s/apps/vpmoire' %s 2>'%s'", tu_tmpdir(),
		 tu_builddir(), args, err);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Rows in a checkpoint file, or 0. */
static unsigned long ckpt_rows(const char *path)
{
	char *t = tu_slurp(path), *p;
	unsigned long rows = 0;

	if (t == NULL)
		return 0;
	p = strstr(t, "\nrows ");
	if (p != NULL)
		rows = strtoul(p + 6, NULL, 10);
	free(t);
	return rows;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Wait until the checkpoint holds more than `after` rows; 0 if the run
 * ended first. */
static int wait_for_checkpoint(pid_t pid, const char *ckpt, unsigned long after)
{
	int i, st;

	for (i = 0; i < 60000; i++) {
		if (ckpt_rows(ckpt) > after)
			return 1;
		if (waitpid(pid, &st, WNOHANG) == pid)
			return 0;
		sleep_ms(1);
	}
	return 0;
}

/* Long enough to be stopped twice (15 panels x 3 stops x 401 walls, a
 * checkpoint every 20 ms), short enough for a test. */
#define KILL_STUDY                                                               \
	"sweep --panels all " REF_RIG " --stop 2.8,4,5.6 --wall 2m:6m:0.01m -q " \
	"--checkpoint 0.02"

Test(sweep, killed_and_interrupted_sweeps_resume_to_the_uninterrupted_csv)
{
	tu_run_t r = tu_vpmoire(KILL_STUDY " -o u.csv");
	char ckpt[4200];
	unsigned long killed_at, stopped_at;
	char *a, *b, *err;
	pid_t pid;
	int st;

	snprintf(ckpt, sizeof ckpt, "%s", tu_tmp(".k.csv.ckpt"));

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);

	/* SIGKILL midway: no handler runs, the checkpoint is all there is */
	pid = spawn(KILL_STUDY " -o k.csv", tu_tmp("k1.err"));
	cr_assert(wait_for_checkpoint(pid, ckpt, 0), "the sweep ended before it could be killed");
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	cr_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	killed_at = ckpt_rows(ckpt);
	cr_assert_gt(killed_at, 0);
	cr_assert_lt(killed_at, 18045);
	cr_assert(!tu_exists(tu_tmp("k.csv")));

	/* without --resume the interrupted run is not thrown away */
	r = tu_vpmoire(KILL_STUDY " -o k.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--resume") != NULL, "%s", r.err);
	tu_run_free(&r);

	/* resumed, then Ctrl-C: the block finishes, a checkpoint, exit 1 */
	pid = spawn(KILL_STUDY " -o k.csv --resume", tu_tmp("k2.err"));
	cr_assert(wait_for_checkpoint(pid, ckpt, killed_at), "the resumed sweep ended too soon");
	kill(pid, SIGINT);
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 1, "status %d", st);
	err = tu_slurp(tu_tmp("k2.err"));
	cr_assert(strstr(err, "interrupted after") && strstr(err, "--resume"), "%s", err);
	cr_assert_eq(tu_lines(err), 1, "%s", err);
	free(err);
	stopped_at = ckpt_rows(ckpt);
	cr_assert_gt(stopped_at, killed_at);
	cr_assert(!tu_exists(tu_tmp("k.csv")));

	r = tu_vpmoire(KILL_STUDY " -o k.csv --resume");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	a = tu_slurp(tu_tmp("u.csv"));
	b = tu_slurp(tu_tmp("k.csv"));
	cr_assert_not_null(a);
	cr_assert_not_null(b);
	cr_assert_eq(strlen(a), strlen(b));
	cr_assert(strcmp(a, b) == 0, "the resumed CSV differs from the uninterrupted one");
	cr_assert_eq(tu_lines(b), 18045 + 2);
	cr_assert(!tu_exists(ckpt) && !tu_exists(tu_tmp(".k.csv.partial")));
	free(b);

	/* a requeued job whose output is complete has nothing left to do */
	r = tu_vpmoire("sweep --panels all " REF_RIG " --stop 2.8,4,5.6 --wall 2m:6m:0.01m "
		       "-o k.csv --resume");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "k.csv is already complete (18045 set-ups)") != NULL, "%s", r.err);
	tu_run_free(&r);
	b = tu_slurp(tu_tmp("k.csv"));
	cr_assert(strcmp(a, b) == 0);
	free(a);
	free(b);
}

Test(sweep, write_errors_exit_1_with_the_reason)
{
	tu_run_t r = tu_vpmoire("sweep --panels all " REF_RIG " --wall 2m:3m:0.5m -o /dev/full");

	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "No space left on device") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("sweep --panels all " REF_RIG " --wall 2m -o no/such/dir/x.csv");
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert(strstr(r.err, "no/such/dir/.x.csv.partial") != NULL, "%s", r.err);
	tu_run_free(&r);
}
