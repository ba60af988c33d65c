/* Units parser: every accepted form and every rejected one. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "vpmoire/units.h"

/* Parse with a bare unit and flags; expect metres within 1e-12 relative. */
static void accept(const char *text, vpm_unit_t bare, unsigned flags, double metres)
{
	double m = -1.0;
	vpm_status_t st = vpm_units_parse_length(text, bare, flags, &m);

	cr_assert_eq(st, VPM_OK, "'%s' should parse: %s", text, vpm_error_message());
	if (isinf(metres))
		cr_assert(isinf(m) && m > 0, "'%s' should be +inf", text);
	else
		cr_assert(fabs(m - metres) <= 1e-12 * fabs(metres) + 1e-15,
			  "'%s' gave %.15g m, expected %.15g m", text, m, metres);
}

static void reject(const char *text, vpm_unit_t bare, unsigned flags, vpm_status_t want,
		   const char *needle)
{
	double m = 12.345;
	vpm_status_t st = vpm_units_parse_length(text, bare, flags, &m);

	cr_assert_eq(st, want, "'%s' should fail with %d, got %d (%s)", text, want, st,
		     vpm_error_message());
	cr_assert_eq(m, 12.345, "a failed parse must not touch the output");
	if (needle != NULL)
		cr_assert(strstr(vpm_error_message(), needle) != NULL, "message for '%s' was '%s'",
			  text, vpm_error_message());
}

Test(units, bare_numbers_use_the_fields_unit)
{
	accept("3.5", VPM_UNIT_M, 0, 3.5);
	accept("2.385", VPM_UNIT_MM, 0, 2.385e-3);
	accept("5.5", VPM_UNIT_UM, 0, 5.5e-6);
	accept("  7.25\t", VPM_UNIT_M, 0, 7.25);
	accept("+1.5", VPM_UNIT_M, 0, 1.5);
	accept(".75", VPM_UNIT_M, 0, 0.75);
	accept("4.", VPM_UNIT_M, 0, 4.0);
	accept("1e3", VPM_UNIT_MM, 0, 1.0);
	accept("2.5E-1", VPM_UNIT_M, 0, 0.25);
}

Test(units, metric_suffixes)
{
	accept("3.5m", VPM_UNIT_MM, 0, 3.5);
	accept("3.5 m", VPM_UNIT_MM, 0, 3.5);
	accept("350cm", VPM_UNIT_M, 0, 3.5);
	accept("28mm", VPM_UNIT_M, 0, 0.028);
	accept("28 MM", VPM_UNIT_M, 0, 0.028);
	accept("5.5um", VPM_UNIT_M, 0, 5.5e-6);
	accept("5.5\xc2\xb5m", VPM_UNIT_M, 0, 5.5e-6); /* µ, micro sign U+00B5 */
	accept("5.5\xce\xbcm", VPM_UNIT_M, 0, 5.5e-6); /* μ, Greek mu U+03BC */
	accept("2 metres", VPM_UNIT_MM, 0, 2.0);
	accept("2 meters", VPM_UNIT_MM, 0, 2.0);
	accept("3 microns", VPM_UNIT_M, 0, 3e-6);
}

Test(units, feet_and_inches)
{
	const double ft = 0.3048, in = 0.0254;

	accept("11ft", VPM_UNIT_M, 0, 11 * ft);
	accept("11 feet", VPM_UNIT_M, 0, 11 * ft);
	accept("1 foot", VPM_UNIT_M, 0, ft);
	accept("11'", VPM_UNIT_M, 0, 11 * ft);
	accept("11'6\"", VPM_UNIT_M, 0, 11 * ft + 6 * in);
	accept("11' 6\"", VPM_UNIT_M, 0, 11 * ft + 6 * in);
	accept("11'6", VPM_UNIT_M, 0, 11 * ft + 6 * in);
	accept("5 ft 6 in", VPM_UNIT_M, 0, 5 * ft + 6 * in);
	accept("5ft6in", VPM_UNIT_M, 0, 5 * ft + 6 * in);
	accept("5 ft 6.5 inches", VPM_UNIT_M, 0, 5 * ft + 6.5 * in);
	accept("6in", VPM_UNIT_M, 0, 6 * in);
	accept("6 inch", VPM_UNIT_M, 0, 6 * in);
	accept("6\"", VPM_UNIT_M, 0, 6 * in);
	accept("6''", VPM_UNIT_M, 0, 6 * in);
	accept("8\xe2\x80\xb2 3\xe2\x80\xb3", VPM_UNIT_M, 0, 8 * ft + 3 * in); /* ′ ″ */
	/* 5 ft, the reference micro stage's subject-to-wall gap */
	accept("5ft", VPM_UNIT_M, 0, 1.524);
}

Test(units, infinity_only_when_allowed)
{
	accept("inf", VPM_UNIT_M, VPM_UNITS_ALLOW_INF, INFINITY);
	accept("Infinity", VPM_UNIT_M, VPM_UNITS_ALLOW_INF, INFINITY);
	accept(" \xe2\x88\x9e ", VPM_UNIT_M, VPM_UNITS_ALLOW_INF, INFINITY);
	reject("inf", VPM_UNIT_M, 0, VPM_ERANGE, "infinite");
	reject("-inf", VPM_UNIT_M, VPM_UNITS_ALLOW_INF, VPM_ERANGE, "negative");
}

Test(units, negatives_and_zero_only_when_allowed)
{
	accept("-1.25m", VPM_UNIT_M, VPM_UNITS_ALLOW_NEGATIVE, -1.25);
	accept("-5'6\"", VPM_UNIT_M, VPM_UNITS_ALLOW_NEGATIVE, -(5 * 0.3048 + 6 * 0.0254));
	accept("0", VPM_UNIT_M, VPM_UNITS_ALLOW_ZERO, 0.0);
	reject("-1.25m", VPM_UNIT_M, 0, VPM_ERANGE, "negative");
	reject("-3", VPM_UNIT_MM, VPM_UNITS_ALLOW_ZERO, VPM_ERANGE, "negative");
	reject("0", VPM_UNIT_M, 0, VPM_ERANGE, "greater than zero");
	reject("0.0mm", VPM_UNIT_M, 0, VPM_ERANGE, "greater than zero");
	reject("-0", VPM_UNIT_M, 0, VPM_ERANGE, NULL);
}

Test(units, garbage_is_rejected_with_a_column)
{
	reject("", VPM_UNIT_M, 0, VPM_EPARSE, "empty");
	reject("   ", VPM_UNIT_M, 0, VPM_EPARSE, "empty");
	reject("abc", VPM_UNIT_M, 0, VPM_EPARSE, "column 1");
	reject("3.5x", VPM_UNIT_M, 0, VPM_EPARSE, "column 4");
	reject("3.5 mx", VPM_UNIT_M, 0, VPM_EPARSE, "column 5");
	reject("3.5mm extra", VPM_UNIT_M, 0, VPM_EPARSE, "unexpected text");
	reject("3,5", VPM_UNIT_M, 0, VPM_EPARSE, "column 2");
	reject("1.2.3", VPM_UNIT_M, 0, VPM_EPARSE, NULL);
	reject("0x10", VPM_UNIT_M, 0, VPM_EPARSE, NULL);
	reject("nan", VPM_UNIT_M, VPM_UNITS_ALLOW_INF, VPM_EPARSE, NULL);
	reject("NaN m", VPM_UNIT_M, 0, VPM_EPARSE, NULL);
	reject("m", VPM_UNIT_M, 0, VPM_EPARSE, "expected a number");
	reject("--3", VPM_UNIT_M, VPM_UNITS_ALLOW_NEGATIVE, VPM_EPARSE, NULL);
	reject("11'6cm", VPM_UNIT_M, 0, VPM_EPARSE, "inches");
	reject("11'x", VPM_UNIT_M, 0, VPM_EPARSE, "inches");
	reject("3m 6in", VPM_UNIT_M, 0, VPM_EPARSE, NULL);
	reject("5 ft 14 in", VPM_UNIT_M, 0, VPM_ERANGE, "below 12");
}

Test(units, huge_and_hostile_numbers)
{
	reject("1e309", VPM_UNIT_M, 0, VPM_ERANGE, "range");
	reject("1e308 ft", VPM_UNIT_M, 0, VPM_ERANGE, "at most");
	reject("2e9", VPM_UNIT_M, 0, VPM_ERANGE, "at most");
	reject("1e-400", VPM_UNIT_M, 0, VPM_ERANGE, "range");
	/* 200 digits: too long to be a sensible number */
	{
		char big[256];
		memset(big, '9', 200);
		big[200] = '\0';
		reject(big, VPM_UNIT_M, 0, VPM_ERANGE, NULL);
	}
	cr_assert_eq(vpm_units_parse_length(NULL, VPM_UNIT_M, 0, NULL), VPM_EINVAL);
}

Test(units, plain_numbers)
{
	double v;

	cr_assert_eq(vpm_units_parse_number("2.385", &v), VPM_OK);
	cr_assert_float_eq(v, 2.385, 1e-15);
	cr_assert_eq(vpm_units_parse_number(" -0.125 ", &v), VPM_OK);
	cr_assert_float_eq(v, -0.125, 1e-15);
	cr_assert_eq(vpm_units_parse_number("2.8mm", &v), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_number("", &v), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_number("inf", &v), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_number("1e999", &v), VPM_ERANGE);
}

Test(units, stops)
{
	double s;

	cr_assert_eq(vpm_units_parse_stop("2.8", &s), VPM_OK);
	cr_assert_float_eq(s, 2.8, 1e-15);
	cr_assert_eq(vpm_units_parse_stop("T2.1", &s), VPM_OK);
	cr_assert_float_eq(s, 2.1, 1e-15);
	cr_assert_eq(vpm_units_parse_stop("t4", &s), VPM_OK);
	cr_assert_float_eq(s, 4.0, 1e-15);
	cr_assert_eq(vpm_units_parse_stop("f/5.6", &s), VPM_OK);
	cr_assert_float_eq(s, 5.6, 1e-15);
	cr_assert_eq(vpm_units_parse_stop("F11", &s), VPM_OK);
	cr_assert_float_eq(s, 11.0, 1e-15);
	cr_assert_eq(vpm_units_parse_stop("T0", &s), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_stop("0.3", &s), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_stop("200", &s), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_stop("T", &s), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_stop("wide", &s), VPM_EPARSE);
}

Test(units, angles_and_counts)
{
	double d;
	long n;

	cr_assert_eq(vpm_units_parse_angle("-12.5", &d), VPM_OK);
	cr_assert_float_eq(d, -12.5, 1e-15);
	cr_assert_eq(vpm_units_parse_angle("5deg", &d), VPM_OK);
	cr_assert_float_eq(d, 5.0, 1e-15);
	cr_assert_eq(vpm_units_parse_angle("5 \xc2\xb0", &d), VPM_OK);
	cr_assert_float_eq(d, 5.0, 1e-15);
	cr_assert_eq(vpm_units_parse_angle("0.5rad", &d), VPM_OK);
	cr_assert_float_eq(d, 28.64788975654116, 1e-12);
	cr_assert_eq(vpm_units_parse_angle("400", &d), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_angle("5 degs", &d), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_count("1920", 100000, &n), VPM_OK);
	cr_assert_eq(n, 1920);
	cr_assert_eq(vpm_units_parse_count("0", 100000, &n), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_count("-4", 100000, &n), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_count("19.5", 100000, &n), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_count("99999999999999999999", 100000, &n), VPM_ERANGE);
}

Test(units, systems)
{
	vpm_units_system_t u;

	cr_assert_eq(vpm_units_parse_system("ft", &u), VPM_OK);
	cr_assert_eq(u, VPM_UNITS_IMPERIAL);
	cr_assert_eq(vpm_units_parse_system("M", &u), VPM_OK);
	cr_assert_eq(u, VPM_UNITS_METRIC);
	cr_assert_eq(vpm_units_parse_system("cubits", &u), VPM_EPARSE);
}

/* The flag grammars (issue 13): what `--shutter`, `--brightness`,
 * `--aspect`, `--focal A:B`, `--focal-range`, `--wall-range` and `--cells`
 * accept, and the exact messages the program prints after the flag. */

typedef struct {
	const char *text;
	vpm_status_t st;
	double want;	 /* when st is VPM_OK */
	const char *msg; /* the whole message otherwise */
} grammar_case_t;

/* Each case through `fn`: the value within 1e-15 relative, or the status
 * and exactly the message, with the output untouched. */
static void grammar(vpm_status_t (*fn)(const char *, double *), const grammar_case_t *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		double v = 12.345;
		vpm_status_t st = fn(c[i].text, &v);

		cr_assert_eq(st, c[i].st, "'%s': status %d, expected %d (%s)", c[i].text, st,
			     c[i].st, vpm_error_message());
		if (st == VPM_OK) {
			cr_assert(fabs(v - c[i].want) <= 1e-15 * fabs(c[i].want),
				  "'%s' gave %.17g, expected %.17g", c[i].text, v, c[i].want);
		} else {
			cr_assert_eq(v, 12.345, "'%s': a failed parse touched the output",
				     c[i].text);
			cr_assert_str_eq(vpm_error_message(), c[i].msg, "'%s'", c[i].text);
		}
	}
}

/* --fill, --transmission: (0, 1] and [0.25, 1] */
static vpm_status_t fill(const char *t, double *v)
{
	return vpm_units_parse_interval(t, 0.0, 1.0, 1, v);
}
static vpm_status_t transmission(const char *t, double *v)
{
	return vpm_units_parse_interval(t, 0.25, 1.0, 0, v);
}

Test(units, intervals)
{
	static const grammar_case_t f[] = {
		{ "0.735", VPM_OK, 0.735, NULL },
		{ "1", VPM_OK, 1.0, NULL },
		{ "0", VPM_ERANGE, 0, "'0' must lie in (0, 1]" },
		{ "0.7x", VPM_EPARSE, 0, "'0.7x' is not a number: unexpected text at column 4" },
	};
	static const grammar_case_t t[] = {
		{ "0.25", VPM_OK, 0.25, NULL },
		{ "1.0625", VPM_ERANGE, 0, "'1.0625' must lie in [0.25, 1]" },
	};
	double v;

	grammar(fill, f, sizeof f / sizeof f[0]);
	grammar(transmission, t, sizeof t / sizeof t[0]);
	cr_assert_eq(vpm_units_parse_interval(NULL, 0.0, 1.0, 0, &v), VPM_EINVAL);
}

Test(units, fractions)
{
	/* the per cent form quotes the number without its sign */
	static const grammar_case_t c[] = {
		{ "37.5%", VPM_OK, 0.375, NULL },
		{ "0.615", VPM_OK, 0.615, NULL },
		{ "100%", VPM_OK, 1.0, NULL },
		{ " 42.5 %", VPM_OK, 0.425, NULL },
		{ "140%", VPM_ERANGE, 0, "'140' must lie in (0, 100]" },
		{ "0%", VPM_ERANGE, 0, "'0' must lie in (0, 100]" },
		{ "1.25", VPM_ERANGE, 0, "'1.25' must lie in (0, 1]" },
		{ "half%", VPM_EPARSE, 0, "'half' is not a number: expected a number at column 1" },
		{ "%", VPM_EPARSE, 0, "'' is not a number: expected a number at column 1" },
		{ "40%%", VPM_EPARSE, 0, "'40%' is not a number: unexpected text at column 3" },
	};

	grammar(vpm_units_parse_fraction, c, sizeof c / sizeof c[0]);
}

Test(units, aspects)
{
	static const grammar_case_t c[] = {
		{ "16:9", VPM_OK, 16.0 / 9.0, NULL },
		{ "2.39", VPM_OK, 2.39, NULL },
		{ "2.39:1", VPM_OK, 2.39, NULL },
		{ " 4 : 3 ", VPM_OK, 4.0 / 3.0, NULL },
		{ "0:1", VPM_EPARSE, 0, "'0:1' is not an aspect such as 16:9 or 2.39" },
		{ "16:", VPM_EPARSE, 0, "'16:' is not an aspect such as 16:9 or 2.39" },
		{ "16:9:1", VPM_EPARSE, 0, "'16:9:1' is not an aspect such as 16:9 or 2.39" },
		{ "-16:-9", VPM_EPARSE, 0, "'-16:-9' is not an aspect such as 16:9 or 2.39" },
		{ "137:1", VPM_ERANGE, 0, "'137:1' must lie between 0.2 and 10" },
		{ "0.15", VPM_ERANGE, 0, "'0.15' must lie in [0.2, 10]" },
		{ "wide", VPM_EPARSE, 0, "'wide' is not a number: expected a number at column 1" },
	};

	grammar(vpm_units_parse_aspect, c, sizeof c / sizeof c[0]);
}

#define NOT_EXPOSURE                                                                            \
	"' is not an exposure time: use 1/48, 0.0208 (seconds, up to 1) or 180deg@24 (shutter " \
	"angle at frames per second)"
Test(units, shutters)
{
	static const grammar_case_t c[] = {
		{ "1/48", VPM_OK, 1.0 / 48.0, NULL },
		{ "1/50s", VPM_OK, 0.02, NULL },
		{ "1/100000S", VPM_OK, 1e-5, NULL },
		{ "0.0208", VPM_OK, 0.0208, NULL },
		{ "0.0125s", VPM_OK, 0.0125, NULL },
		/* 172.8 degrees at 25 fps: 0.48 of a frame, 19.2 ms */
		{ "172.8deg@25", VPM_OK, 0.0192, NULL },
		{ "360@23.976", VPM_OK, 1.0 / 23.976, NULL },
		/* out of range is told apart from malformed */
		{ "1/0", VPM_ERANGE, 0, "'1/0" NOT_EXPOSURE },
		{ "1/100001", VPM_ERANGE, 0, "'1/100001" NOT_EXPOSURE },
		{ "2e-6", VPM_ERANGE, 0, "'2e-6" NOT_EXPOSURE },
		{ "1.5", VPM_ERANGE, 0, "'1.5" NOT_EXPOSURE },
		{ "0@24", VPM_ERANGE, 0, "'0@24" NOT_EXPOSURE },
		{ "361@24", VPM_ERANGE, 0, "'361@24" NOT_EXPOSURE },
		{ "180@0.5", VPM_ERANGE, 0, "'180@0.5" NOT_EXPOSURE },
		{ "180@1001", VPM_ERANGE, 0, "'180@1001" NOT_EXPOSURE },
		{ "1/", VPM_EPARSE, 0, "'1/" NOT_EXPOSURE },
		{ "1/x", VPM_EPARSE, 0, "'1/x" NOT_EXPOSURE },
		{ "", VPM_EPARSE, 0, "'" NOT_EXPOSURE },
		{ "s", VPM_EPARSE, 0, "'s" NOT_EXPOSURE },
		{ "@24", VPM_EPARSE, 0, "'@24" NOT_EXPOSURE },
		{ "172.8@", VPM_EPARSE, 0, "'172.8@" NOT_EXPOSURE },
		{ "1/48ss", VPM_EPARSE, 0, "'1/48ss" NOT_EXPOSURE },
		{ " 1/48", VPM_EPARSE, 0, "' 1/48" NOT_EXPOSURE },
		/* one line: control bytes shown as '?' */
		{ "1/\n5", VPM_EPARSE, 0, "'1/?5" NOT_EXPOSURE },
	};

	grammar(vpm_units_parse_shutter, c, sizeof c / sizeof c[0]);
}

Test(units, ranges)
{
	static const struct {
		const char *text;
		vpm_unit_t bare;
		vpm_status_t st;
		double lo, hi;
		const char *msg;
	} c[] = {
		{ "15:135", VPM_UNIT_MM, VPM_OK, 0.015, 0.135, NULL },
		{ "1.8m:20ft", VPM_UNIT_M, VPM_OK, 1.8, 20 * 0.3048, NULL },
		{ "50:20", VPM_UNIT_MM, VPM_EINVAL, 0, 0,
		  "'50:20': the end must be beyond the start" },
		{ "3.5m:3.5m", VPM_UNIT_M, VPM_EINVAL, 0, 0,
		  "'3.5m:3.5m': the end must be beyond the start" },
		{ ":135", VPM_UNIT_MM, VPM_EPARSE, 0, 0,
		  "expected FROM:TO such as 15:135, found ':135'" },
		{ "6m", VPM_UNIT_M, VPM_EPARSE, 0, 0,
		  "expected FROM:TO such as 1.5m:9m, found '6m'" },
		{ "2m:", VPM_UNIT_M, VPM_EPARSE, 0, 0,
		  "expected FROM:TO such as 1.5m:9m, found '2m:'" },
		/* a side that is not a length: that side's own message */
		{ "0:135", VPM_UNIT_MM, VPM_ERANGE, 0, 0,
		  "'0': a length must be greater than zero" },
		{ "15:far", VPM_UNIT_MM, VPM_EPARSE, 0, 0,
		  "'far' is not a length: expected a number at column 1" },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		double lo = 12.345, hi = 12.345;
		vpm_status_t st = vpm_units_parse_range(c[i].text, c[i].bare, &lo, &hi);

		cr_assert_eq(st, c[i].st, "'%s': %d (%s)", c[i].text, st, vpm_error_message());
		if (st == VPM_OK) {
			cr_assert_float_eq(lo, c[i].lo, 1e-15);
			cr_assert_float_eq(hi, c[i].hi, 1e-15);
		} else {
			cr_assert(lo == 12.345 && hi == 12.345, "'%s' touched the range",
				  c[i].text);
			cr_assert_str_eq(vpm_error_message(), c[i].msg);
		}
	}
}

Test(units, grids)
{
	static const struct {
		const char *text;
		vpm_status_t st;
		long nx, ny; /* NX on entry is 23 */
		const char *msg;
	} c[] = {
		{ "31x17", VPM_OK, 31, 17, NULL },
		{ "311", VPM_OK, 23, 311, NULL }, /* NY alone keeps NX */
		{ "2X1500", VPM_OK, 2, 1500, NULL },
		{ "1x1", VPM_ERANGE, 0, 0, "'1x1': at least 2 cells each way" },
		{ "1", VPM_ERANGE, 0, 0, "'1': at least 2 cells each way" },
		{ "20x", VPM_EPARSE, 0, 0,
		  "'20x': expected NXxNY, at most 2000x1500, such as 200x200" },
		{ "3000x5", VPM_EPARSE, 0, 0,
		  "'3000x5': expected NXxNY, at most 2000x1500, such as 200x200" },
		{ "x5", VPM_EPARSE, 0, 0, "expected NXxNY such as 200x200, found 'x5'" },
		{ "1600", VPM_EPARSE, 0, 0, "'1600': expected NXxNY or NY, at most 1500 rows" },
		{ "many", VPM_EPARSE, 0, 0, "'many': expected NXxNY or NY, at most 1500 rows" },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		long nx = 23, ny = 7;
		vpm_status_t st = vpm_units_parse_grid(c[i].text, 2000, 1500, &nx, &ny);

		cr_assert_eq(st, c[i].st, "'%s': %d (%s)", c[i].text, st, vpm_error_message());
		if (st == VPM_OK) {
			cr_assert(nx == c[i].nx && ny == c[i].ny, "'%s' gave %ldx%ld", c[i].text,
				  nx, ny);
		} else {
			cr_assert(nx == 23 && ny == 7, "'%s' touched the grid", c[i].text);
			cr_assert_str_eq(vpm_error_message(), c[i].msg);
		}
	}
}

/* Fuzz finding (tests/fuzz/regressions/units/system-newline): the text was
 * quoted into the message as typed, so `--units $'cs\n'` printed a
 * two-line error.  Control bytes are now shown as '?', like every other
 * parser's message. */
Test(units, system_message_is_one_line)
{
	vpm_units_system_t u;

	cr_assert_eq(vpm_units_parse_system("cs\n\x01", &u), VPM_EPARSE);
	cr_assert(strchr(vpm_error_message(), '\n') == NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "'cs?\?' is not a unit system") != NULL, "%s",
		  vpm_error_message());
}

Test(units, formatting)
{
	char b[48];

	cr_assert_str_eq(vpm_units_format_length(2.524, VPM_UNITS_METRIC, 3, b, sizeof b),
			 "2.524 m");
	/* 10 ft exactly */
	cr_assert_str_eq(vpm_units_format_length(3.048, VPM_UNITS_IMPERIAL, 1, b, sizeof b),
			 "10' 0.0\"");
	/* DOF check value: 8 ft 8.9 in = 2.6645 m */
	cr_assert_str_eq(vpm_units_format_length(8 * 0.3048 + 8.9 * 0.0254, VPM_UNITS_IMPERIAL, 1,
						 b, sizeof b),
			 "8' 8.9\"");
	/* 11.97 in rounds up to the next foot, never 12.0" */
	cr_assert_str_eq(vpm_units_format_length(2 * 0.3048 + 11.97 * 0.0254, VPM_UNITS_IMPERIAL, 1,
						 b, sizeof b),
			 "3' 0.0\"");
	cr_assert_str_eq(vpm_units_format_length(INFINITY, VPM_UNITS_IMPERIAL, 1, b, sizeof b),
			 "inf");
	cr_assert_str_eq(vpm_units_format_length(-0.0254, VPM_UNITS_IMPERIAL, 0, b, sizeof b),
			 "-0' 1\"");
}

Test(units, round_trip_through_feet)
{
	/* format then parse gives the length back to the printed precision */
	const double lengths[] = { 0.127, 1.524, 2.385, 6.9137, 12.3456 };
	size_t i;

	for (i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		char b[48];
		double back;
		vpm_units_format_length(lengths[i], VPM_UNITS_IMPERIAL, 2, b, sizeof b);
		cr_assert_eq(vpm_units_parse_length(b, VPM_UNIT_M, 0, &back), VPM_OK, "%s", b);
		cr_assert(fabs(back - lengths[i]) <= 0.005 * 0.0254 + 1e-12, "%s -> %g vs %g", b,
			  back, lengths[i]);
	}
}

Test(units, byte_sizes)
{
	size_t bytes = 0;

	cr_assert_eq(vpm_units_parse_bytes("4G", &bytes), VPM_OK);
	cr_assert_eq(bytes, (size_t)4 << 30);
	cr_assert_eq(vpm_units_parse_bytes("512MiB", &bytes), VPM_OK);
	cr_assert_eq(bytes, (size_t)512 << 20);
	cr_assert_eq(vpm_units_parse_bytes("2.5 GB", &bytes), VPM_OK);
	cr_assert_eq(bytes, (size_t)(2.5 * 1073741824.0));
	cr_assert_eq(vpm_units_parse_bytes("1K", &bytes), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_bytes("lots", &bytes), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_bytes("4X", &bytes), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_bytes("-4G", &bytes), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_bytes("1e30", &bytes), VPM_ERANGE);
}

/* The sweep's progress and --count lines: durations and sizes, by hand. */
Test(units, durations_and_sizes)
{
	char b[32];

	cr_assert_str_eq(vpm_units_format_duration(42.04, b, sizeof b), "42.0 s");
	cr_assert_str_eq(vpm_units_format_duration(99.94, b, sizeof b), "99.9 s");
	/* 125.4 s rounds to 125 s = 2 min 5 s */
	cr_assert_str_eq(vpm_units_format_duration(125.4, b, sizeof b), "2m05s");
	/* 3725 s = 1 h 2 min 5 s */
	cr_assert_str_eq(vpm_units_format_duration(3725.0, b, sizeof b), "1h02m05s");
	cr_assert_str_eq(vpm_units_format_duration(NAN, b, sizeof b), "?");
	cr_assert_str_eq(vpm_units_format_duration(-1.0, b, sizeof b), "?");
	cr_assert_str_eq(vpm_units_format_bytes(999.0, b, sizeof b), "999 bytes");
	cr_assert_str_eq(vpm_units_format_bytes(1534.0, b, sizeof b), "1.5 kB");
	cr_assert_str_eq(vpm_units_format_bytes(2.46e6, b, sizeof b), "2.5 MB");
	cr_assert_str_eq(vpm_units_format_bytes(3.254e9, b, sizeof b), "3.25 GB");
}

Test(units, points_x_comma_y)
{
	double x = 7.0, y = 7.0;

	cr_assert_eq(vpm_units_parse_pair("-1500,0", &x, &y), VPM_OK);
	cr_assert_eq(x, -1500.0);
	cr_assert_eq(y, 0.0);
	cr_assert_eq(vpm_units_parse_pair(" 2.5e2,-0.125", &x, &y), VPM_OK);
	cr_assert_eq(x, 250.0);
	cr_assert_eq(y, -0.125);
	/* strtod's reading: an empty Y is 0 */
	cr_assert_eq(vpm_units_parse_pair("3,", &x, &y), VPM_OK);
	cr_assert_eq(x, 3.0);
	cr_assert_eq(y, 0.0);
	/* refused: nothing stored */
	x = y = 7.0;
	cr_assert_eq(vpm_units_parse_pair("1", &x, &y), VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(), "expected X,Y such as -1500,0, found '1'");
	cr_assert_eq(vpm_units_parse_pair("1,2x", &x, &y), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_pair(",2", &x, &y), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_pair("inf,0", &x, &y), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_pair("0,nan", &x, &y), VPM_EPARSE);
	cr_assert_eq(vpm_units_parse_pair("1;2", &x, &y), VPM_EPARSE);
	cr_assert_eq(x, 7.0);
	cr_assert_eq(y, 7.0);
	cr_assert_eq(vpm_units_parse_pair(NULL, &x, &y), VPM_EINVAL);
	cr_assert_eq(vpm_units_parse_pair("1,2", NULL, &y), VPM_EINVAL);
}
