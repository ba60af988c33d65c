/* Units parser: every accepted form and every rejected one. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
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

/* A failed parse leaves the output alone and says `needle`. */
static void expect_fail(vpm_status_t st, vpm_status_t want, double out, const char *needle)
{
	cr_assert_eq(st, want, "status %d, expected %d (%s)", st, want, vpm_error_message());
	cr_assert_eq(out, 12.345, "a failed parse must not touch the output");
	cr_assert_str_eq(vpm_error_message(), needle);
}

Test(units, intervals)
{
	double v = 12.345;

	cr_assert_eq(vpm_units_parse_interval("0.735", 0.25, 1.0, 0, &v), VPM_OK);
	cr_assert_float_eq(v, 0.735, 1e-15);
	cr_assert_eq(vpm_units_parse_interval("0.25", 0.25, 1.0, 0, &v), VPM_OK, "closed below");
	cr_assert_float_eq(v, 0.25, 1e-15);
	v = 12.345;
	expect_fail(vpm_units_parse_interval("0", 0.0, 1.0, 1, &v), VPM_ERANGE, v,
		    "'0' must lie in (0, 1]");
	expect_fail(vpm_units_parse_interval("1.0625", 0.25, 1.0, 0, &v), VPM_ERANGE, v,
		    "'1.0625' must lie in [0.25, 1]");
	expect_fail(vpm_units_parse_interval("0.7x", 0.25, 1.0, 0, &v), VPM_EPARSE, v,
		    "'0.7x' is not a number: unexpected text at column 4");
	cr_assert_eq(vpm_units_parse_interval(NULL, 0.0, 1.0, 0, &v), VPM_EINVAL);
}

Test(units, fractions)
{
	double f = 12.345;

	cr_assert_eq(vpm_units_parse_fraction("37.5%", &f), VPM_OK);
	cr_assert_float_eq(f, 0.375, 1e-15);
	cr_assert_eq(vpm_units_parse_fraction("0.615", &f), VPM_OK);
	cr_assert_float_eq(f, 0.615, 1e-15);
	cr_assert_eq(vpm_units_parse_fraction("100%", &f), VPM_OK);
	cr_assert_float_eq(f, 1.0, 1e-15);
	cr_assert_eq(vpm_units_parse_fraction(" 42.5 %", &f), VPM_OK, "blanks around the number");
	cr_assert_float_eq(f, 0.425, 1e-15);
	f = 12.345;
	/* the per cent form quotes the number without its sign */
	expect_fail(vpm_units_parse_fraction("140%", &f), VPM_ERANGE, f,
		    "'140' must lie in (0, 100]");
	expect_fail(vpm_units_parse_fraction("0%", &f), VPM_ERANGE, f, "'0' must lie in (0, 100]");
	expect_fail(vpm_units_parse_fraction("1.25", &f), VPM_ERANGE, f,
		    "'1.25' must lie in (0, 1]");
	expect_fail(vpm_units_parse_fraction("half%", &f), VPM_EPARSE, f,
		    "'half' is not a number: expected a number at column 1");
	expect_fail(vpm_units_parse_fraction("%", &f), VPM_EPARSE, f,
		    "'' is not a number: expected a number at column 1");
	expect_fail(vpm_units_parse_fraction("40%%", &f), VPM_EPARSE, f,
		    "'40%' is not a number: unexpected text at column 3");
}

Test(units, aspects)
{
	double a = 12.345;

	cr_assert_eq(vpm_units_parse_aspect("16:9", &a), VPM_OK);
	cr_assert_float_eq(a, 16.0 / 9.0, 1e-15);
	cr_assert_eq(vpm_units_parse_aspect("2.39", &a), VPM_OK);
	cr_assert_float_eq(a, 2.39, 1e-15);
	cr_assert_eq(vpm_units_parse_aspect("2.39:1", &a), VPM_OK);
	cr_assert_float_eq(a, 2.39, 1e-15);
	cr_assert_eq(vpm_units_parse_aspect(" 4 : 3 ", &a), VPM_OK);
	cr_assert_float_eq(a, 4.0 / 3.0, 1e-15);
	a = 12.345;
	expect_fail(vpm_units_parse_aspect("0:1", &a), VPM_EPARSE, a,
		    "'0:1' is not an aspect such as 16:9 or 2.39");
	expect_fail(vpm_units_parse_aspect("16:", &a), VPM_EPARSE, a,
		    "'16:' is not an aspect such as 16:9 or 2.39");
	expect_fail(vpm_units_parse_aspect("16:9:1", &a), VPM_EPARSE, a,
		    "'16:9:1' is not an aspect such as 16:9 or 2.39");
	expect_fail(vpm_units_parse_aspect("-16:-9", &a), VPM_EPARSE, a,
		    "'-16:-9' is not an aspect such as 16:9 or 2.39");
	expect_fail(vpm_units_parse_aspect("137:1", &a), VPM_ERANGE, a,
		    "'137:1' must lie between 0.2 and 10");
	expect_fail(vpm_units_parse_aspect("0.15", &a), VPM_ERANGE, a,
		    "'0.15' must lie in [0.2, 10]");
	expect_fail(vpm_units_parse_aspect("wide", &a), VPM_EPARSE, a,
		    "'wide' is not a number: expected a number at column 1");
}

Test(units, shutters)
{
	static const char msg[] = "' is not an exposure time: use 1/48, 0.0208 (seconds, up to "
				  "1) or 180deg@24 (shutter angle at frames per second)";
	static const char *const bad[] = { "1/0",      "1/100001", "1/",   "1/x",    "0",
					   "1.5",      "2e-6",	   "abc",  "",	     "s",
					   "@24",      "172.8@",   "0@24", "361@24", "180@0.5",
					   "180@1001", "1/48ss",   " 1/48" };
	char want[256];
	double s = 12.345;
	size_t i;

	cr_assert_eq(vpm_units_parse_shutter("1/48", &s), VPM_OK);
	cr_assert_float_eq(s, 1.0 / 48.0, 1e-15);
	cr_assert_eq(vpm_units_parse_shutter("1/50s", &s), VPM_OK);
	cr_assert_float_eq(s, 0.02, 1e-15);
	cr_assert_eq(vpm_units_parse_shutter("1/100000S", &s), VPM_OK);
	cr_assert_float_eq(s, 1e-5, 1e-20);
	cr_assert_eq(vpm_units_parse_shutter("0.0208", &s), VPM_OK);
	cr_assert_float_eq(s, 0.0208, 1e-15);
	cr_assert_eq(vpm_units_parse_shutter("0.0125s", &s), VPM_OK);
	cr_assert_float_eq(s, 0.0125, 1e-15);
	/* 172.8 degrees at 25 fps: 0.48 of a frame, 19.2 ms */
	cr_assert_eq(vpm_units_parse_shutter("172.8deg@25", &s), VPM_OK);
	cr_assert_float_eq(s, 0.0192, 1e-15);
	cr_assert_eq(vpm_units_parse_shutter("360@23.976", &s), VPM_OK);
	cr_assert_float_eq(s, 1.0 / 23.976, 1e-15);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vpm_status_t st;

		s = 12.345;
		st = vpm_units_parse_shutter(bad[i], &s);
		cr_assert(st == VPM_EPARSE || st == VPM_ERANGE, "'%s': status %d", bad[i], st);
		snprintf(want, sizeof want, "'%s%s", bad[i], msg);
		expect_fail(st, st, s, want);
	}
	/* out of range is told apart from malformed */
	cr_assert_eq(vpm_units_parse_shutter("1/0", &s), VPM_ERANGE);
	cr_assert_eq(vpm_units_parse_shutter("1/x", &s), VPM_EPARSE);
	/* a line: control bytes shown as '?' */
	cr_assert_eq(vpm_units_parse_shutter("1/\n5", &s), VPM_EPARSE);
	cr_assert(strncmp(vpm_error_message(), "'1/?5' is not", 13) == 0, "%s",
		  vpm_error_message());
}

Test(units, ranges)
{
	double lo = 12.345, hi = 12.345;

	cr_assert_eq(vpm_units_parse_range("15:135", VPM_UNIT_MM, &lo, &hi), VPM_OK);
	cr_assert_float_eq(lo, 0.015, 1e-15);
	cr_assert_float_eq(hi, 0.135, 1e-15);
	cr_assert_eq(vpm_units_parse_range("1.8m:20ft", VPM_UNIT_M, &lo, &hi), VPM_OK);
	cr_assert_float_eq(lo, 1.8, 1e-15);
	cr_assert_float_eq(hi, 20 * 0.3048, 1e-15);
	lo = hi = 12.345;
	expect_fail(vpm_units_parse_range("50:20", VPM_UNIT_MM, &lo, &hi), VPM_EINVAL, lo,
		    "'50:20': the end must be beyond the start");
	expect_fail(vpm_units_parse_range("3.5m:3.5m", VPM_UNIT_M, &lo, &hi), VPM_EINVAL, hi,
		    "'3.5m:3.5m': the end must be beyond the start");
	expect_fail(vpm_units_parse_range(":135", VPM_UNIT_MM, &lo, &hi), VPM_EPARSE, lo,
		    "expected FROM:TO such as 15:135, found ':135'");
	expect_fail(vpm_units_parse_range("6m", VPM_UNIT_M, &lo, &hi), VPM_EPARSE, lo,
		    "expected FROM:TO such as 1.5m:9m, found '6m'");
	expect_fail(vpm_units_parse_range("2m:", VPM_UNIT_M, &lo, &hi), VPM_EPARSE, hi,
		    "expected FROM:TO such as 1.5m:9m, found '2m:'");
	/* a side that is not a length: that side's own message */
	expect_fail(vpm_units_parse_range("0:135", VPM_UNIT_MM, &lo, &hi), VPM_ERANGE, lo,
		    "'0': a length must be greater than zero");
	expect_fail(vpm_units_parse_range("15:far", VPM_UNIT_MM, &lo, &hi), VPM_EPARSE, hi,
		    "'far' is not a length: expected a number at column 1");
}

Test(units, grids)
{
	long nx = 200, ny = 200;

	cr_assert_eq(vpm_units_parse_grid("23x17", 2000, 2000, &nx, &ny), VPM_OK);
	cr_assert_eq(nx, 23);
	cr_assert_eq(ny, 17);
	cr_assert_eq(vpm_units_parse_grid("311", 2000, 2000, &nx, &ny), VPM_OK);
	cr_assert_eq(nx, 23, "NY alone keeps NX");
	cr_assert_eq(ny, 311);
	cr_assert_eq(vpm_units_parse_grid("2X2000", 2000, 2000, &nx, &ny), VPM_OK);
	cr_assert_eq(nx, 2);
	cr_assert_eq(ny, 2000);
#define GRID_FAIL(text, want, msg)                                                         \
	do {                                                                               \
		nx = ny = 7;                                                               \
		cr_assert_eq(vpm_units_parse_grid(text, 2000, 1500, &nx, &ny), want, "%s", \
			     vpm_error_message());                                         \
		cr_assert(nx == 7 && ny == 7, "a failed parse must not touch the grid");   \
		cr_assert_str_eq(vpm_error_message(), msg);                                \
	} while (0)
	GRID_FAIL("1x1", VPM_ERANGE, "'1x1': at least 2 cells each way");
	GRID_FAIL("1", VPM_ERANGE, "'1': at least 2 cells each way");
	GRID_FAIL("20x", VPM_EPARSE, "'20x': expected NXxNY, at most 2000x1500, such as 200x200");
	GRID_FAIL("3000x5", VPM_EPARSE,
		  "'3000x5': expected NXxNY, at most 2000x1500, such as 200x200");
	GRID_FAIL("x5", VPM_EPARSE, "expected NXxNY such as 200x200, found 'x5'");
	GRID_FAIL("1600", VPM_EPARSE, "'1600': expected NXxNY or NY, at most 1500 rows");
	GRID_FAIL("many", VPM_EPARSE, "'many': expected NXxNY or NY, at most 1500 rows");
#undef GRID_FAIL
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
