/* The set-up flags' grammar and ranges (lib/setupfield.c): what each flag
 * takes, each bound, what it refuses with which message, and that the
 * ranges a flag is parsed into are the ones vpm_setup_validate() holds a
 * set-up to. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vpmoire/vpmoire.h"

/* A valid set-up by raw numbers (the shape of `vpmoire check --pitch 2
 * --emitter 0.5 --photosite 5 --width-px 4000 --focal 35 --stop 2.8 --wall
 * 3 --focus 2`). */
static vpm_setup_t base(void)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 2.0;
	s.emitter_mm = 0.5;
	s.photosite_um = 5.0;
	s.width_px = 4000;
	s.focal_mm = 35.0;
	s.stop = 2.8;
	s.wall_m = 3.0;
	s.focus_m = 2.0;
	return s;
}

static double get(const vpm_setup_field_t *f, const vpm_setup_t *s)
{
	const char *p = (const char *)s + f->offset;

	return f->is_int == 1 ? (double)*(const int *)(const void *)p
			      : *(const double *)(const void *)p;
}

static void set(const vpm_setup_field_t *f, vpm_setup_t *s, double v)
{
	char *p = (char *)s + f->offset;

	if (f->is_int == 1)
		*(int *)(void *)p = (int)v;
	else
		*(double *)(void *)p = v;
}

/* Values each flag takes, with units, and each bound of its range. */
static const struct {
	const char *flag, *arg, *field;
	double want;
} goods[] = {
	{ "pitch", "2.6", "pitch_mm", 2.6 },
	{ "pitch", "2.6mm", "pitch_mm", 2.6 },
	{ "pitch", "0.26cm", "pitch_mm", 2.6 },
	{ "pitch", "0.01", "pitch_mm", 0.01 },
	{ "pitch", "100", "pitch_mm", 100.0 },
	{ "emitter", "500um", "emitter_mm", 0.5 },
	{ "emitter", "0.001", "emitter_mm", 0.001 },
	{ "photosite", "5.5", "photosite_um", 5.5 },
	{ "photosite", "0.0055mm", "photosite_um", 5.5 },
	{ "photosite", "0.1", "photosite_um", 0.1 },
	{ "photosite", "100um", "photosite_um", 100.0 },
	{ "width-px", "4096", "width_px", 4096.0 },
	{ "width-px", "64", "width_px", 64.0 },
	{ "width-px", "1000000", "width_px", 1e6 },
	{ "olpf", "0", "olpf_um", 0.0 },
	{ "olpf", "100", "olpf_um", 100.0 },
	{ "fill", "0.05", "fill", 0.05 },
	{ "fill", "1", "fill", 1.0 },
	{ "focal", "28", "focal_mm", 28.0 },
	{ "focal", "2.8cm", "focal_mm", 28.0 },
	{ "focal", "1", "focal_mm", 1.0 },
	{ "focal", "2000", "focal_mm", 2000.0 },
	{ "stop", "T2.8", "stop", 2.8 },
	{ "stop", "f/4", "stop", 4.0 },
	{ "stop", "0.5", "stop", 0.5 },
	{ "stop", "128", "stop", 128.0 },
	{ "wall", "3.5m", "wall_m", 3.5 },
	{ "wall", "350cm", "wall_m", 3.5 },
	{ "wall", "11ft", "wall_m", 3.3528 },
	{ "wall", "100000", "wall_m", 1e5 },
	{ "focus", "2", "focus_m", 2.0 },
	{ "focus", "inf", "focus_m", INFINITY },
	{ "recording-px", "1920", "recording_px", 1920.0 },
	{ "delivery-px", "64", "delivery_px", 64.0 },
	{ "roll", "5deg", "roll_deg", 5.0 },
	{ "roll", "-360", "roll_deg", -360.0 },
	{ "tolerance", "0", "tolerance", 0.0 },
	{ "tolerance", "0.99", "tolerance", 0.99 },
	{ "aspect", "16:9", "aspect", 16.0 / 9.0 },
	{ "aspect", "0.2", "aspect", 0.2 },
	{ "aspect", "10", "aspect", 10.0 },
	{ "view-heights", "0.25", "view_heights", 0.25 },
	{ "view-heights", "100", "view_heights", 100.0 },
	{ "luminance", "0.1", "luminance_cd_m2", 0.1 },
	{ "luminance", "10000", "luminance_cd_m2", 10000.0 },
	{ "pupil-edge", "0", "pupil_edge", 0.0 },
	{ "pupil-edge", "0.9", "pupil_edge", 0.9 },
	{ "content", "flat", "content_contrast", 0.0 },
	{ "content", "0.3", "content_contrast", 0.3 },
	{ "content", "10", "content_contrast", 10.0 },
	{ "gain", "0.01", "grade_gain", 0.01 },
	{ "gain", "100", "grade_gain", 100.0 },
	{ "caution-at", "1e6", "caution_at", 1e6 },
	{ "risky-at", "0.5", "risky_at", 0.5 },
	{ "coc", "0.03", "coc_mm", 0.03 },
	{ "coc", "1um", "coc_mm", 0.001 },
	{ "coc", "10", "coc_mm", 10.0 },
	{ "transmission", "0.25", "transmission", 0.25 },
	{ "transmission", "1", "transmission", 1.0 },
	{ "squeeze", "0.25", "squeeze", 0.25 },
	{ "squeeze", "4", "squeeze", 4.0 },
};

Test(setupfield, parses_values_with_units_and_each_bound)
{
	for (size_t i = 0; i < sizeof goods / sizeof goods[0]; i++) {
		const vpm_setup_field_t *f = vpm_setup_field_find(goods[i].field);
		vpm_setup_t s = base();
		vpm_status_t st;
		double v;

		cr_assert_not_null(f, "%s", goods[i].field);
		cr_expect_str_eq(f->flag, goods[i].flag);
		st = vpm_setup_flag_parse(goods[i].flag, goods[i].arg, &s);
		cr_expect_eq(st, VPM_OK, "--%s %s: %s", goods[i].flag, goods[i].arg,
			     vpm_error_message());
		v = get(f, &s);
		if (isinf(goods[i].want))
			cr_expect(isinf(v) && v > 0, "--%s %s", goods[i].flag, goods[i].arg);
		else
			cr_expect(fabs(v - goods[i].want) <= 1e-12 * fabs(goods[i].want),
				  "--%s %s gave %.17g, expected %.17g", goods[i].flag, goods[i].arg,
				  v, goods[i].want);
		/* the set-up the flag gave is one vpm_setup_validate() takes
		 * (but the 4f and pitch rules, which tie fields together) */
		cr_expect_eq(vpm_setup_field_check(f, &s), VPM_OK, "--%s %s: %s", goods[i].flag,
			     goods[i].arg, vpm_error_message());
	}
}

Test(setupfield, parses_the_enums)
{
	vpm_setup_t s = base();

	cr_assert_eq(vpm_setup_flag_parse("cfa", "MONO", &s), VPM_OK);
	cr_expect_eq(s.cfa, VPM_CFA_MONO);
	cr_assert_eq(vpm_setup_flag_parse("cfa", "bayer", &s), VPM_OK);
	cr_expect_eq(s.cfa, VPM_CFA_BAYER);
	cr_assert_eq(vpm_setup_flag_parse("model", "ideal", &s), VPM_OK);
	cr_expect_eq(s.model, VPM_MODEL_IDEAL);
	cr_assert_eq(vpm_setup_flag_parse("viewing", "cinema", &s), VPM_OK);
	cr_expect_eq(s.viewing, VPM_VIEWING_CINEMA);
	cr_assert_eq(vpm_setup_flag_parse("chroma-weight", "luma", &s), VPM_OK);
	cr_expect_eq(s.chroma, VPM_CHROMA_LUMA);
	cr_assert_eq(vpm_setup_flag_parse("resample", "box", &s), VPM_OK);
	cr_expect_eq(s.resample, VPM_RESAMPLE_BOX);
	cr_assert_eq(vpm_setup_flag_parse("band", "worst", &s), VPM_OK);
	cr_expect_eq(s.band, VPM_BAND_WORST);
	cr_expect(vpm_setup_flag_known("chroma-weight"));
	cr_expect(vpm_setup_flag_known("pitch"));
	cr_expect(!vpm_setup_flag_known("panel"));
	cr_expect(!vpm_setup_flag_known("subject"));
	cr_expect(!vpm_setup_flag_known(NULL));
}

/* What each flag refuses, with the exact message (the program prints it
 * after "vpmoire: "). */
static const struct {
	const char *flag, *arg;
	vpm_status_t st;
	const char *msg;
} bads[] = {
	{ "pitch", "200", VPM_ERANGE,
	  "--pitch: LED pitch 200 mm is outside [0.01, 100] mm: the finest micro-LED walls are "
	  "about 0.4 mm, the coarsest screens about 40 mm" },
	{ "pitch", "0.009", VPM_ERANGE,
	  "--pitch: LED pitch 0.009 mm is outside [0.01, 100] mm: the finest micro-LED walls "
	  "are about 0.4 mm, the coarsest screens about 40 mm" },
	{ "pitch", "0", VPM_ERANGE, "--pitch: '0': a length must be greater than zero" },
	{ "pitch", "abc", VPM_EPARSE,
	  "--pitch: 'abc' is not a length: expected a number at column 1" },
	{ "pitch", "", VPM_EPARSE,
	  "--pitch: empty length: expected a number such as 3.5m or 11ft" },
	{ "width-px", "63", VPM_ERANGE,
	  "--width-px: sensor width 63 px is outside [64, 1000000] px: no camera sensor has "
	  "fewer than 64 photosites across or more than a million" },
	{ "width-px", "1000001", VPM_ERANGE, "--width-px: '1000001': must be at most 1000000" },
	{ "width-px", "4.5", VPM_EPARSE, "--width-px: '4.5' is not a whole number of pixels" },
	{ "olpf", "-1", VPM_ERANGE, "--olpf: '-1': a length must not be negative" },
	{ "olpf", "101", VPM_ERANGE, "--olpf: OLPF split 101 um is outside [0, 100] um" },
	{ "fill", "0.049", VPM_ERANGE, "--fill: '0.049' must lie in [0.05, 1]" },
	{ "fill", "1.01", VPM_ERANGE, "--fill: '1.01' must lie in [0.05, 1]" },
	{ "fill", "x", VPM_EPARSE, "--fill: 'x' is not a number: expected a number at column 1" },
	{ "focal", "2001", VPM_ERANGE,
	  "--focal: focal length 2001 mm is outside [1, 2000] mm: 1 to 2000 mm covers every "
	  "cine and photo lens" },
	{ "focal", "0.9", VPM_ERANGE,
	  "--focal: focal length 0.9 mm is outside [1, 2000] mm: 1 to 2000 mm covers every cine "
	  "and photo lens" },
	{ "stop", "T200", VPM_ERANGE, "--stop: 'T200': a stop must lie between 0.5 and 128" },
	{ "stop", "0.4", VPM_ERANGE, "--stop: '0.4': a stop must lie between 0.5 and 128" },
	{ "wall", "inf", VPM_ERANGE, "--wall: 'inf': an infinite length is not allowed here" },
	{ "wall", "100001", VPM_ERANGE, "--wall: wall distance 100001 m is outside (0, 100000] m" },
	{ "focus", "100001", VPM_ERANGE,
	  "--focus: focus distance 100001 m is outside (0, 100000] m: use inf for infinity" },
	{ "recording-px", "63", VPM_ERANGE,
	  "--recording-px: recording width 63 px is outside [64, 1000000] px (or none): a "
	  "picture narrower than 64 px (a thumbnail) shows no LED structure at all" },
	{ "delivery-px", "0", VPM_ERANGE, "--delivery-px: '0': must be greater than zero" },
	{ "roll", "361", VPM_ERANGE, "--roll: '361': an angle must lie within ±360°" },
	{ "tolerance", "1", VPM_ERANGE, "--tolerance: '1' must lie in [0, 1)" },
	{ "tolerance", "-0.01", VPM_ERANGE, "--tolerance: '-0.01' must lie in [0, 1)" },
	{ "aspect", "12:1", VPM_ERANGE, "--aspect: '12:1' must lie between 0.2 and 10" },
	{ "aspect", "0.19", VPM_ERANGE, "--aspect: '0.19' must lie in [0.2, 10]" },
	{ "view-heights", "0.24", VPM_ERANGE, "--view-heights: '0.24' must lie in [0.25, 100]" },
	{ "luminance", "10001", VPM_ERANGE, "--luminance: '10001' must lie in [0.1, 10000]" },
	{ "pupil-edge", "0.91", VPM_ERANGE, "--pupil-edge: '0.91' must lie in [0, 0.9]" },
	{ "pupil-edge", "-0.1", VPM_ERANGE, "--pupil-edge: '-0.1' must lie in [0, 0.9]" },
	{ "content", "10.5", VPM_ERANGE, "--content: RMS contrast '10.5' must lie in [0, 10]" },
	{ "content", "/nonexistent/x.png", VPM_ENOTFOUND,
	  "--content: /nonexistent/x.png: No such file or directory" },
	{ "gain", "0.009", VPM_ERANGE, "--gain: '0.009' must lie in [0.01, 100]" },
	{ "gain", "101", VPM_ERANGE, "--gain: '101' must lie in [0.01, 100]" },
	{ "caution-at", "0", VPM_ERANGE, "--caution-at: '0' must lie in (0, 1e+06]" },
	{ "coc", "20", VPM_ERANGE,
	  "--coc: circle of confusion 20 mm is outside [0.001, 10] mm (or none): a circle of "
	  "confusion below 1 um is finer than any photosite (0 means width/1000)" },
	{ "coc", "0", VPM_ERANGE, "--coc: '0': a length must be greater than zero" },
	{ "transmission", "0", VPM_ERANGE, "--transmission: '0' must lie in [0.25, 1]" },
	{ "squeeze", "4.5", VPM_ERANGE, "--squeeze: '4.5' must lie in [0.25, 4]" },
	{ "cfa", "x", VPM_EPARSE, "--cfa: 'x' is not a CFA: use bayer or mono" },
	{ "model", "x", VPM_EINVAL, "--model: unknown model 'x' (expected field or ideal)" },
	{ "viewing", "x", VPM_EINVAL,
	  "--viewing: unknown viewing profile 'x' (expected cinema, uhd-tv, hd-tv, grading, "
	  "phone, custom or auto)" },
	{ "nope", "1", VPM_EINVAL, "--nope is not a set-up flag" },
};

Test(setupfield, refuses_with_the_flag_named)
{
	for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
		vpm_setup_t s = base(), before = s;
		vpm_status_t st = vpm_setup_flag_parse(bads[i].flag, bads[i].arg, &s);

		cr_expect_eq(st, bads[i].st, "--%s %s: status %d (%s)", bads[i].flag, bads[i].arg,
			     st, vpm_error_message());
		cr_expect_str_eq(vpm_error_message(), bads[i].msg, "--%s %s", bads[i].flag,
				 bads[i].arg);
		cr_expect(memcmp(&s, &before, sizeof s) == 0, "--%s %s stored a value",
			  bads[i].flag, bads[i].arg);
	}
}

/* Does the flag take `v` (printed in full), and does the field's check
 * (vpm_setup_validate()'s) take it? */
static void agree(const vpm_setup_field_t *f, double v)
{
	const vpm_setup_range_t *g = vpm_setup_field_range(f);
	vpm_setup_t s = base(), t = base();
	char text[64];
	int parsed, checked;

	if ((g->zero_is_none && v == 0.0) || (g->negative_auto && v < 0.0))
		return; /* "none" and "auto" are the set-up's, not a flag's */
	snprintf(text, sizeof text, "%.17g", v);
	parsed = vpm_setup_flag_parse(f->flag, text, &s) == VPM_OK;
	set(f, &t, v);
	checked = vpm_setup_field_check(f, &t) == VPM_OK;
	cr_expect_eq(parsed, checked, "--%s %s: the flag %s it, the set-up check %s it", f->flag,
		     text, parsed ? "takes" : "refuses", checked ? "takes" : "refuses");
	if (parsed)
		cr_expect_eq(vpm_setup_field_check(f, &s), VPM_OK, "--%s %s", f->flag, text);
}

Test(setupfield, the_flag_and_validate_share_each_range)
{
	size_t n = 0;

	for (size_t i = 0; i < vpm_setup_field_count(); i++) {
		const vpm_setup_field_t *f = vpm_setup_field(i);
		const vpm_setup_range_t *g = vpm_setup_field_range(f);
		double lo, hi, in_lo, in_hi, out_lo, out_hi;

		if (g == NULL) {
			cr_expect_str_eq(f->name, "cfa");
			continue;
		}
		cr_assert_not_null(f->flag, "%s", f->name);
		lo = g->lo;
		hi = g->hi;
		if (f->is_int == 1) {
			in_lo = lo;
			in_hi = hi;
			out_lo = lo - 1.0;
			out_hi = hi + 1.0;
		} else {
			in_lo = lo == 0.0 ? (g->lo_open ? 1e-9 : 0.0) : lo + fabs(lo) * 1e-9;
			in_hi = hi - fabs(hi) * 1e-9;
			out_lo = lo == 0.0 ? -1e-6 : lo - fabs(lo) * 1e-6;
			out_hi = hi + fabs(hi) * 1e-6;
		}
		agree(f, in_lo);
		agree(f, in_hi);
		agree(f, out_lo);
		agree(f, out_hi);
		agree(f, (lo + hi) / 2.0);
		if (!g->lo_open && f->is_int != 1)
			agree(f, lo);
		if (!g->hi_open)
			agree(f, hi);
		/* validate refuses the value outside with the field's own message */
		{
			vpm_setup_t t = base();
			char want[1024];
			vpm_status_t st;

			set(f, &t, out_hi);
			st = vpm_setup_field_check(f, &t);
			cr_expect_neq(st, VPM_OK, "%s %g", f->name, out_hi);
			snprintf(want, sizeof want, "%s", vpm_error_message());
			cr_expect_eq(vpm_setup_validate(&t), st, "%s", f->name);
			cr_expect_str_eq(vpm_error_message(), want, "%s", f->name);
		}
		n++;
	}
	cr_expect_eq(n, vpm_setup_field_count() - 1);
	cr_expect_eq(vpm_setup_field_range(NULL), NULL);
	cr_expect_eq(vpm_setup_validate(&(vpm_setup_t){ 0 }), VPM_EINVAL);
}

Test(setupfield, validate_messages)
{
	vpm_setup_t s = base();

	cr_assert_eq(vpm_setup_validate(&s), VPM_OK, "%s", vpm_error_message());
	s.pitch_mm = NAN;
	cr_expect_eq(vpm_setup_validate(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "--pitch: LED pitch is not a number");
	s = base();
	s.pitch_mm = -1.0;
	cr_expect_eq(vpm_setup_validate(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "--pitch: LED pitch -1 mm is not positive");
	s = base();
	s.coc_mm = -1.0;
	cr_expect_eq(vpm_setup_validate(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "--coc: circle of confusion -1 mm is negative");
	s = base();
	s.tolerance = 1.0;
	cr_expect_eq(vpm_setup_validate(&s), VPM_ERANGE);
	cr_expect_str_eq(vpm_error_message(),
			 "--tolerance: planning tolerance 1 is outside [0, 1): a distance cannot "
			 "be off by all of itself");
	/* the sentinels: 0 and negative transmission, 0 squeeze and CoC,
	 * negative pupil edge, focus at infinity */
	s = base();
	s.transmission = -1.0;
	s.squeeze = 0.0;
	s.coc_mm = 0.0;
	s.pupil_edge = -1.0;
	s.focus_m = INFINITY;
	cr_expect_eq(vpm_setup_validate(&s), VPM_OK, "%s", vpm_error_message());
	s.transmission = 0.0;
	cr_expect_eq(vpm_setup_validate(&s), VPM_OK, "%s", vpm_error_message());
	/* the rules that tie fields together stay */
	s = base();
	s.emitter_mm = 2.0;
	cr_expect_eq(vpm_setup_validate(&s), VPM_ERANGE);
	cr_expect_str_eq(vpm_error_message(),
			 "--emitter: emitter 2 mm must be smaller than the LED pitch 2 mm");
	s = base();
	s.cfa = (vpm_cfa_t)7;
	cr_expect_eq(vpm_setup_validate(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "--cfa: unknown colour filter array (7)");
}

Test(setupfield, focal_range)
{
	double lo = -1.0, hi = -1.0;

	cr_assert_eq(vpm_setup_focal_range_parse("28:100", &lo, &hi), VPM_OK);
	cr_expect_float_eq(lo, 28.0, 1e-12);
	cr_expect_float_eq(hi, 100.0, 1e-12);
	cr_assert_eq(vpm_setup_focal_range_parse("2.8cm:0.1m", &lo, &hi), VPM_OK);
	cr_expect_float_eq(lo, 28.0, 1e-12);
	cr_expect_float_eq(hi, 100.0, 1e-12);
	lo = hi = -1.0;
	cr_expect_eq(vpm_setup_focal_range_parse(":100", &lo, &hi), VPM_EPARSE);
	cr_expect_str_eq(vpm_error_message(),
			 "--focal: expected MM or A:B such as 28:100, found ':100'");
	cr_expect_eq(vpm_setup_focal_range_parse("100:28", &lo, &hi), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(),
			 "--focal: '100:28': a zoom's long end must be beyond its short end");
	cr_expect_eq(vpm_setup_focal_range_parse("28:3000", &lo, &hi), VPM_ERANGE);
	cr_expect_str_eq(vpm_error_message(),
			 "--focal: focal length 3000 mm is outside [1, 2000] mm: 1 to 2000 mm "
			 "covers every cine and photo lens");
	cr_expect_eq(lo, -1.0);
	cr_expect_eq(hi, -1.0);
}

Test(setupfield, complete)
{
	vpm_setup_t s = base();

	cr_expect_eq(vpm_setup_complete(&s), VPM_OK);
	s.focal_mm = 0.0;
	cr_expect_eq(vpm_setup_complete(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "no lens: give --lens NAME or --focal MM");
	s = base();
	s.emitter_mm = 0.0;
	cr_expect_eq(vpm_setup_complete(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(), "--emitter is needed with --pitch (the side of "
					      "one channel's light-emitting area, in mm)");
	s = base();
	s.pitch_mm = 0.0;
	cr_expect_eq(vpm_setup_complete(&s), VPM_EINVAL);
	cr_expect_str_eq(vpm_error_message(),
			 "no LED panel: give --panel NAME or --pitch MM with --emitter MM");
}

/* The exposure budget's flags (lib/exposure.c): their grammar, ranges and
 * messages, and that vpm_exposure_validate() holds the same ranges. */
Test(setupfield, exposure_flags)
{
	static const struct {
		const char *flag, *arg;
		vpm_status_t st;
		const char *msg;
	} bad[] = {
		{ "wall-nits", "0.5", VPM_ERANGE, "--wall-nits: '0.5' must lie in [1, 100000]" },
		{ "brightness", "140%", VPM_ERANGE, "--brightness: '140' must lie in (0, 100]" },
		{ "brightness", "0.00001", VPM_ERANGE,
		  "--brightness: brightness 1e-05 is outside [0.0001, 1]" },
		{ "ei", "10", VPM_ERANGE, "--ei: '10' must lie in [25, 102400]" },
		{ "nd", "6.5", VPM_ERANGE, "--nd: '6.5' must lie in [0, 6]" },
		{ "max-stop", "T200", VPM_ERANGE,
		  "--max-stop: 'T200': a stop must lie between 0.5 and 128" },
		{ "lit-by", "sun", VPM_EPARSE,
		  "--lit-by: 'sun' is not a lighting: use lights or wall" },
		{ "key", "0.2", VPM_EINVAL, "--key is not an exposure flag" },
	};
	vpm_exposure_t e = vpm_exposure_default(), before;

	cr_assert_eq(vpm_exposure_flag_parse("wall-nits", "100000", &e), VPM_OK);
	cr_expect_eq(e.wall_nits, 1e5);
	cr_assert_eq(vpm_exposure_flag_parse("brightness", "40%", &e), VPM_OK);
	cr_expect_float_eq(e.brightness, 0.4, 1e-15);
	cr_assert_eq(vpm_exposure_flag_parse("ei", "25", &e), VPM_OK);
	cr_expect_eq(e.ei, 25.0);
	cr_assert_eq(vpm_exposure_flag_parse("shutter", "180deg@24", &e), VPM_OK);
	cr_expect_float_eq(e.shutter_s, 1.0 / 48.0, 1e-15);
	cr_assert_eq(vpm_exposure_flag_parse("nd", "0.3", &e), VPM_OK);
	cr_expect_float_eq(e.nd_stops, 0.3 / log10(2.0), 1e-12); /* about a stop */
	cr_assert_eq(vpm_exposure_flag_parse("nd", "6", &e), VPM_OK);
	cr_expect_eq(vpm_exposure_validate(&e), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_exposure_flag_parse("lit-by", "Wall", &e), VPM_OK);
	cr_expect_eq(e.lit_by, VPM_LIT_BY_WALL);
	cr_assert_eq(vpm_exposure_flag_parse("max-stop", "T8", &e), VPM_OK);
	cr_expect_eq(e.max_stop, 8.0);
	cr_expect(vpm_exposure_flag_known("nd"));
	cr_expect(!vpm_exposure_flag_known("pitch"));
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		before = e;
		cr_expect_eq(vpm_exposure_flag_parse(bad[i].flag, bad[i].arg, &e), bad[i].st,
			     "--%s %s", bad[i].flag, bad[i].arg);
		cr_expect_str_eq(vpm_error_message(), bad[i].msg);
		cr_expect(memcmp(&e, &before, sizeof e) == 0, "--%s %s stored", bad[i].flag,
			  bad[i].arg);
	}
	/* validate's range is the flag's: just past density 6, in stops */
	e = vpm_exposure_default();
	e.nd_stops = 6.0 / log10(2.0) * (1.0 + 1e-9);
	cr_expect_eq(vpm_exposure_validate(&e), VPM_ERANGE);
	cr_expect(strncmp(vpm_error_message(), "--nd: ND density 6 is outside [0, 6]", 36) == 0,
		  "%s", vpm_error_message());
	e = vpm_exposure_default();
	e.wall_nits = 0.5;
	cr_expect_eq(vpm_exposure_validate(&e), VPM_ERANGE);
	cr_expect_str_eq(vpm_error_message(),
			 "--wall-nits: wall peak luminance (cd/m2) 0.5 is outside [1, 100000]");
	e = vpm_exposure_default();
	e.key = 2.0;
	cr_expect_eq(vpm_exposure_validate(&e), VPM_ERANGE);
	cr_expect_str_eq(vpm_error_message(), "--key: content mid-grey 2 is outside [0.0001, 1]");
}
