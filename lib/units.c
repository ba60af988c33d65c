/* Lengths with units: the parser behind every distance flag and CSV cell. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/units.h"

/* Longest text we quote back in a message. */
#define QUOTE_MAX 40

typedef enum { U_NONE = 0, U_M, U_CM, U_MM, U_UM, U_FT, U_IN } unit_kind_t;

static const struct {
	const char *word;
	unit_kind_t kind;
} unit_words[] = {
	{ "m", U_M },
	{ "metre", U_M },
	{ "metres", U_M },
	{ "meter", U_M },
	{ "meters", U_M },
	{ "cm", U_CM },
	{ "mm", U_MM },
	{ "um", U_UM },
	{ "\xc2\xb5m", U_UM }, /* µ U+00B5 */
	{ "\xce\xbcm", U_UM }, /* μ U+03BC */
	{ "micron", U_UM },
	{ "microns", U_UM },
	{ "ft", U_FT },
	{ "feet", U_FT },
	{ "foot", U_FT },
	{ "'", U_FT },
	{ "\xe2\x80\xb2", U_FT }, /* ′ */
	{ "in", U_IN },
	{ "inch", U_IN },
	{ "inches", U_IN },
	{ "\"", U_IN },
	{ "''", U_IN },
	{ "\xe2\x80\xb3", U_IN }, /* ″ */
};

static double unit_metres(unit_kind_t k)
{
	switch (k) {
	case U_M: return 1.0;
	case U_CM: return 1e-2;
	case U_MM: return 1e-3;
	case U_UM: return 1e-6;
	case U_FT: return VPM_M_PER_FT;
	case U_IN: return VPM_M_PER_IN;
	case U_NONE: break;
	}
	return 1.0;
}

static double bare_metres(vpm_unit_t bare)
{
	switch (bare) {
	case VPM_UNIT_MM: return 1e-3;
	case VPM_UNIT_UM: return 1e-6;
	case VPM_UNIT_M: break;
	}
	return 1.0;
}

/* Quote user text for a message, cut after `max` bytes and with control
 * bytes hidden. */
static const char *quote_n(const char *text, size_t max, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; text[i] != '\0' && n + 4 < size; i++) {
		unsigned char c = (unsigned char)text[i];
		if (i >= max) {
			buf[n++] = '.';
			buf[n++] = '.';
			buf[n++] = '.';
			break;
		}
		buf[n++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[n] = '\0';
	return buf;
}

/* ... shortened to QUOTE_MAX, for the length and number messages. */
static const char *quote(const char *text, char *buf, size_t size)
{
	return quote_n(text, QUOTE_MAX, buf, size);
}

/* Whole, for the flag grammars whose messages show all the user typed. */
#define QUOTE_ALL(text, buf) quote_n((text), sizeof(buf), (buf), sizeof(buf))

static const char *skip_blank(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Scan a decimal number [+-]digits[.digits][e[+-]digits] at p.  Returns the
 * end, or p itself when there is no number.  *neg_out tells a leading '-'. */
static const char *scan_number(const char *p, int allow_sign, double *value, int *erange)
{
	const char *q = p;
	int digits = 0;
	char tmp[128];
	size_t len;

	*erange = 0;
	if (allow_sign && (*q == '+' || *q == '-'))
		q++;
	while (isdigit((unsigned char)*q)) {
		q++;
		digits++;
	}
	if (*q == '.') {
		q++;
		while (isdigit((unsigned char)*q)) {
			q++;
			digits++;
		}
	}
	if (digits == 0)
		return p;
	if (*q == 'e' || *q == 'E') {
		const char *e = q + 1;
		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char)*e)) {
			while (isdigit((unsigned char)*e))
				e++;
			q = e;
		}
	}
	len = (size_t)(q - p);
	if (len >= sizeof tmp) {
		*erange = 1;
		return q;
	}
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	errno = 0;
	*value = strtod(tmp, NULL);
	if (errno == ERANGE || !isfinite(*value))
		*erange = 1;
	return q;
}

/* Match the longest unit word at p (ASCII case-insensitive). */
static const char *scan_unit(const char *p, unit_kind_t *kind)
{
	size_t best = 0, i;

	*kind = U_NONE;
	for (i = 0; i < sizeof unit_words / sizeof unit_words[0]; i++) {
		const char *w = unit_words[i].word;
		size_t n = strlen(w);
		if (n > best && strncasecmp(p, w, n) == 0) {
			/* A word unit must not run into more letters ("mx"). */
			unsigned char next = (unsigned char)p[n];
			if (isalpha((unsigned char)w[0]) && isalpha(next))
				continue;
			best = n;
			*kind = unit_words[i].kind;
		}
	}
	return p + best;
}

static int is_inf_word(const char *p, const char **end)
{
	static const char *words[] = { "infinity", "inf", "\xe2\x88\x9e" };
	size_t i;

	for (i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(p, words[i], n) == 0) {
			*end = p + n;
			return 1;
		}
	}
	return 0;
}

static vpm_status_t bad(const char *text, const char *at, const char *what)
{
	char q[QUOTE_MAX + 8];

	return vpm_error(VPM_EPARSE, "'%s' is not a length: %s at column %d",
			 quote(text, q, sizeof q), what, (int)(at - text) + 1);
}

VPM_STATUS_FN(vpm_units_parse_length,
	      (const char *text, vpm_unit_t bare, unsigned flags, double *metres),
	      (text, bare, flags, metres))
{
	const char *p, *q, *end;
	double v = 0.0, inches = 0.0, m;
	unit_kind_t unit;
	int erange, negative;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || metres == NULL)
		return vpm_error(VPM_EINVAL, "no length given");
	p = skip_blank(text);
	if (*p == '\0')
		return vpm_error(VPM_EPARSE,
				 "empty length: expected a number such as 3.5m or 11ft");

	negative = (*p == '-');
	if (is_inf_word(p + (*p == '+' || *p == '-'), &end) && *skip_blank(end) == '\0') {
		if (!(flags & VPM_UNITS_ALLOW_INF))
			return vpm_error(VPM_ERANGE, "'%s': an infinite length is not allowed here",
					 quote(text, qb, sizeof qb));
		if (negative)
			return vpm_error(VPM_ERANGE, "'%s': negative infinity is not a length",
					 quote(text, qb, sizeof qb));
		*metres = INFINITY;
		return VPM_OK;
	}
	q = scan_number(p, 1, &v, &erange);
	if (q == p)
		return bad(text, p, "expected a number");
	if (erange)
		return vpm_error(VPM_ERANGE, "'%s': number out of range",
				 quote(text, qb, sizeof qb));
	p = skip_blank(q);
	q = scan_unit(p, &unit);
	if (unit == U_NONE && *p != '\0')
		return bad(text, p, "expected a unit (m, cm, mm, um, ft, in)");
	p = skip_blank(q);

	if (unit == U_FT && *p != '\0') {
		/* feet followed by inches: 11'6", 5 ft 6 in, 11'6 */
		unit_kind_t u2;
		q = scan_number(p, 0, &inches, &erange);
		if (q == p)
			return bad(text, p, "expected inches after feet");
		if (erange)
			return vpm_error(VPM_ERANGE, "'%s': number out of range",
					 quote(text, qb, sizeof qb));
		p = skip_blank(q);
		q = scan_unit(p, &u2);
		if (u2 != U_NONE && u2 != U_IN)
			return bad(text, p, "expected inches (in or \") after feet");
		if (u2 == U_NONE && *p != '\0')
			return bad(text, p, "expected inches (in or \") after feet");
		p = skip_blank(q);
		if (inches >= 12.0)
			return vpm_error(VPM_ERANGE, "'%s': inches after feet must be below 12",
					 quote(text, qb, sizeof qb));
	}
	if (*p != '\0')
		return bad(text, p, "unexpected text after the length");

	if (unit == U_NONE)
		m = v * bare_metres(bare);
	else
		m = v * unit_metres(unit);
	if (inches > 0.0)
		m += (v < 0 || negative ? -1.0 : 1.0) * inches * VPM_M_PER_IN;
	/* Nothing a camera sees is further than a million kilometres; larger
	 * values are typing accidents or hostile input. */
	if (!isfinite(m) || fabs(m) > VPM_UNITS_MAX_M)
		return vpm_error(VPM_ERANGE, "'%s': length out of range (at most %g m)",
				 quote(text, qb, sizeof qb), VPM_UNITS_MAX_M);
	if (m < 0.0 && !(flags & VPM_UNITS_ALLOW_NEGATIVE))
		return vpm_error(VPM_ERANGE, "'%s': a length must not be negative",
				 quote(text, qb, sizeof qb));
	if (m == 0.0) {
		m = 0.0; /* no negative zero */
		if (!(flags & VPM_UNITS_ALLOW_ZERO))
			return vpm_error(VPM_ERANGE, "'%s': a length must be greater than zero",
					 quote(text, qb, sizeof qb));
	}
	*metres = m;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_number, (const char *text, double *value), (text, value))
{
	const char *p, *q;
	double v = 0.0;
	int erange;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || value == NULL)
		return vpm_error(VPM_EINVAL, "no number given");
	p = skip_blank(text);
	q = scan_number(p, 1, &v, &erange);
	if (q == p)
		return vpm_error(VPM_EPARSE, "'%s' is not a number: expected a number at column %d",
				 quote(text, qb, sizeof qb), (int)(p - text) + 1);
	if (erange)
		return vpm_error(VPM_ERANGE, "'%s': number out of range",
				 quote(text, qb, sizeof qb));
	p = skip_blank(q);
	if (*p != '\0')
		return vpm_error(VPM_EPARSE, "'%s' is not a number: unexpected text at column %d",
				 quote(text, qb, sizeof qb), (int)(p - text) + 1);
	*value = (v == 0.0) ? 0.0 : v;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_angle, (const char *text, double *degrees), (text, degrees))
{
	const char *p, *q;
	double v = 0.0;
	int erange;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || degrees == NULL)
		return vpm_error(VPM_EINVAL, "no angle given");
	p = skip_blank(text);
	q = scan_number(p, 1, &v, &erange);
	if (q == p)
		return vpm_error(VPM_EPARSE, "'%s' is not an angle: expected a number of degrees",
				 quote(text, qb, sizeof qb));
	if (erange)
		return vpm_error(VPM_ERANGE, "'%s': angle out of range",
				 quote(text, qb, sizeof qb));
	p = skip_blank(q);
	if (strncasecmp(p, "deg", 3) == 0) {
		p += 3;
		if (strncasecmp(p, "rees", 4) == 0)
			p += 4;
	} else if (strncmp(p, "\xc2\xb0", 2) == 0) {
		p += 2;
	} else if (strncasecmp(p, "rad", 3) == 0) {
		p += 3;
		v *= 180.0 / M_PI;
	}
	p = skip_blank(p);
	if (*p != '\0')
		return vpm_error(VPM_EPARSE, "'%s' is not an angle: unexpected text at column %d",
				 quote(text, qb, sizeof qb), (int)(p - text) + 1);
	if (fabs(v) > 360.0)
		return vpm_error(VPM_ERANGE, "'%s': an angle must lie within ±360°",
				 quote(text, qb, sizeof qb));
	*degrees = (v == 0.0) ? 0.0 : v;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_stop, (const char *text, double *stop), (text, stop))
{
	const char *p;
	double v;
	vpm_status_t st;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || stop == NULL)
		return vpm_error(VPM_EINVAL, "no stop given");
	p = skip_blank(text);
	if (*p == 'T' || *p == 't')
		p++;
	else if (*p == 'f' || *p == 'F') {
		p++;
		if (*p == '/')
			p++;
	}
	st = vpm_units_parse_number(p, &v);
	if (st != VPM_OK)
		return vpm_error(VPM_EPARSE, "'%s' is not a stop: expected e.g. 2.8, T2.8 or f/2.8",
				 quote(text, qb, sizeof qb));
	if (!(v >= 0.5 && v <= 128.0))
		return vpm_error(VPM_ERANGE, "'%s': a stop must lie between 0.5 and 128",
				 quote(text, qb, sizeof qb));
	*stop = v;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_count, (const char *text, long max, long *count), (text, max, count))
{
	const char *p, *q;
	long v = 0;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || count == NULL)
		return vpm_error(VPM_EINVAL, "no count given");
	p = skip_blank(text);
	q = p;
	while (isdigit((unsigned char)*q)) {
		if (v > (max - (*q - '0')) / 10)
			return vpm_error(VPM_ERANGE, "'%s': must be at most %ld",
					 quote(text, qb, sizeof qb), max);
		v = v * 10 + (*q - '0');
		q++;
	}
	if (q == p || *skip_blank(q) != '\0')
		return vpm_error(VPM_EPARSE, "'%s' is not a whole number of pixels",
				 quote(text, qb, sizeof qb));
	if (v <= 0)
		return vpm_error(VPM_ERANGE, "'%s': must be greater than zero",
				 quote(text, qb, sizeof qb));
	*count = v;
	return VPM_OK;
}

/* Room to quote a whole argument in a message (the message buffer holds
 * 1024 bytes). */
#define QUOTE_ARG 960

VPM_STATUS_FN(vpm_units_parse_interval,
	      (const char *text, double lo, double hi, unsigned open, double *value),
	      (text, lo, hi, open, value))
{
	double v;
	vpm_status_t st;
	char qb[QUOTE_ARG];

	if (text == NULL || value == NULL)
		return vpm_error(VPM_EINVAL, "no number given");
	if ((st = vpm_units_parse_number(text, &v)) != VPM_OK)
		return st;
	if ((open & VPM_UNITS_LO_OPEN ? !(v > lo) : !(v >= lo)) ||
	    (open & VPM_UNITS_HI_OPEN ? !(v < hi) : !(v <= hi)))
		return vpm_error(VPM_ERANGE, "'%s' must lie in %s%g, %g%s", QUOTE_ALL(text, qb),
				 open & VPM_UNITS_LO_OPEN ? "(" : "[", lo, hi,
				 open & VPM_UNITS_HI_OPEN ? ")" : "]");
	*value = v;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_fraction, (const char *text, double *fraction), (text, fraction))
{
	char b[64];
	size_t n;
	int pct;
	double v;
	vpm_status_t st;

	if (text == NULL || fraction == NULL)
		return vpm_error(VPM_EINVAL, "no fraction given");
	/* "40%": the number before the sign, in per cent (the messages quote
	 * it without the sign) */
	n = strlen(text);
	pct = n > 0 && n < sizeof b && text[n - 1] == '%';
	if (pct) {
		memcpy(b, text, n - 1);
		b[n - 1] = '\0';
	}
	st = vpm_units_parse_interval(pct ? b : text, 0.0, pct ? 100.0 : 1.0, 1, &v);
	if (st != VPM_OK)
		return st;
	*fraction = pct ? v / 100.0 : v;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_aspect, (const char *text, double *aspect), (text, aspect))
{
	const char *colon;
	char a[64], qb[QUOTE_ARG];
	double w, h, r;

	if (text == NULL || aspect == NULL)
		return vpm_error(VPM_EINVAL, "no aspect given");
	colon = strchr(text, ':');
	if (colon == NULL)
		return vpm_units_parse_interval(text, 0.2, 10.0, 0, aspect);
	/* W:H, both positive numbers */
	if ((size_t)(colon - text) >= sizeof a)
		return vpm_error(VPM_EPARSE, "'%s' is not an aspect such as 16:9 or 2.39",
				 QUOTE_ALL(text, qb));
	memcpy(a, text, (size_t)(colon - text));
	a[colon - text] = '\0';
	if (vpm_units_parse_number(a, &w) != VPM_OK ||
	    vpm_units_parse_number(colon + 1, &h) != VPM_OK || !(w > 0) || !(h > 0))
		return vpm_error(VPM_EPARSE, "'%s' is not an aspect such as 16:9 or 2.39",
				 QUOTE_ALL(text, qb));
	r = w / h;
	if (!(r >= 0.2 && r <= 10.0))
		return vpm_error(VPM_ERANGE, "'%s' must lie between 0.2 and 10",
				 QUOTE_ALL(text, qb));
	*aspect = r;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_shutter, (const char *text, double *seconds), (text, seconds))
{
	char buf[64], qb[QUOTE_ARG];
	const char *at;
	size_t n;
	double a = 0.0, b = 0.0, v = 0.0;
	vpm_status_t st;

	if (text == NULL || seconds == NULL)
		return vpm_error(VPM_EINVAL, "no exposure time given");
	n = strlen(text);
	at = strchr(text, '@');
	if (n >= sizeof buf) {
		st = VPM_EPARSE; /* too long to be any of the forms */
	} else if (at != NULL) {
		/* ANGLE@FPS: the angle's share of one frame */
		memcpy(buf, text, (size_t)(at - text));
		buf[at - text] = '\0';
		st = vpm_units_parse_angle(buf, &a);
		if (st == VPM_OK)
			st = vpm_units_parse_number(at + 1, &b);
		if (st == VPM_OK && !(a > 0.0 && a <= 360.0 && b >= 1.0 && b <= 1000.0))
			st = VPM_ERANGE;
		if (st == VPM_OK)
			v = a / 360.0 / b;
	} else {
		/* 1/N or seconds, an "s" after either */
		memcpy(buf, text, n + 1);
		if (n > 0 && (buf[n - 1] == 's' || buf[n - 1] == 'S'))
			buf[n - 1] = '\0';
		if (strncmp(buf, "1/", 2) == 0) {
			st = vpm_units_parse_number(buf + 2, &b);
			if (st == VPM_OK && !(b >= 1.0 && b <= 100000.0))
				st = VPM_ERANGE;
			if (st == VPM_OK)
				v = 1.0 / b;
		} else {
			st = vpm_units_parse_number(buf, &v);
			if (st == VPM_OK && !(v >= 1e-5 && v <= 1.0))
				st = VPM_ERANGE;
		}
	}
	if (st == VPM_OK) {
		*seconds = v;
		return VPM_OK;
	}
	return vpm_error(st,
			 "'%s' is not an exposure time: use 1/48, 0.0208 (seconds, up to 1) or "
			 "180deg@24 (shutter angle at frames per second)",
			 QUOTE_ALL(text, qb));
}

VPM_STATUS_FN(vpm_units_parse_range,
	      (const char *text, vpm_unit_t bare, double *from_m, double *to_m),
	      (text, bare, from_m, to_m))
{
	const char *colon;
	char a[128], qb[QUOTE_ARG];
	double lo, hi;
	vpm_status_t st;

	if (text == NULL || from_m == NULL || to_m == NULL)
		return vpm_error(VPM_EINVAL, "no range given");
	colon = strchr(text, ':');
	if (colon == NULL || colon == text || colon[1] == '\0' ||
	    (size_t)(colon - text) >= sizeof a)
		return vpm_error(VPM_EPARSE, "expected FROM:TO such as %s, found '%s'",
				 bare == VPM_UNIT_MM ? "15:135" : "1.5m:9m", QUOTE_ALL(text, qb));
	memcpy(a, text, (size_t)(colon - text));
	a[colon - text] = '\0';
	if ((st = vpm_units_parse_length(a, bare, 0, &lo)) != VPM_OK ||
	    (st = vpm_units_parse_length(colon + 1, bare, 0, &hi)) != VPM_OK)
		return st;
	if (!(hi > lo))
		return vpm_error(VPM_EINVAL, "'%s': the end must be beyond the start",
				 QUOTE_ALL(text, qb));
	*from_m = lo;
	*to_m = hi;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_grid, (const char *text, long max_x, long max_y, long *nx, long *ny),
	      (text, max_x, max_y, nx, ny))
{
	const char *x;
	char a[64], qb[QUOTE_ARG];
	long cx, cy;

	if (text == NULL || nx == NULL || ny == NULL)
		return vpm_error(VPM_EINVAL, "no grid given");
	x = strpbrk(text, "xX");
	cx = *nx;
	if (x == NULL) {
		if (vpm_units_parse_count(text, max_y, &cy) != VPM_OK)
			return vpm_error(VPM_EPARSE, "'%s': expected NXxNY or NY, at most %ld rows",
					 QUOTE_ALL(text, qb), max_y);
	} else {
		if (x == text || (size_t)(x - text) >= sizeof a)
			return vpm_error(VPM_EPARSE, "expected NXxNY such as 200x200, found '%s'",
					 QUOTE_ALL(text, qb));
		memcpy(a, text, (size_t)(x - text));
		a[x - text] = '\0';
		if (vpm_units_parse_count(a, max_x, &cx) != VPM_OK ||
		    vpm_units_parse_count(x + 1, max_y, &cy) != VPM_OK)
			return vpm_error(VPM_EPARSE,
					 "'%s': expected NXxNY, at most %ldx%ld, such as 200x200",
					 QUOTE_ALL(text, qb), max_x, max_y);
	}
	if (cx < 2 || cy < 2)
		return vpm_error(VPM_ERANGE, "'%s': at least 2 cells each way",
				 QUOTE_ALL(text, qb));
	*nx = cx;
	*ny = cy;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_pair, (const char *text, double *x, double *y), (text, x, y))
{
	char *end, qb[QUOTE_ARG];
	double a, b;

	if (text == NULL || x == NULL || y == NULL)
		return vpm_error(VPM_EINVAL, "no point given");
	a = strtod(text, &end);
	if (end == text || *end != ',' || (b = strtod(end + 1, &end), *end != '\0') ||
	    !isfinite(a) || !isfinite(b))
		return vpm_error(VPM_EPARSE, "expected X,Y such as -1500,0, found '%s'",
				 QUOTE_ALL(text, qb));
	*x = a;
	*y = b;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_units_parse_system, (const char *text, vpm_units_system_t *system),
	      (text, system))
{
	static const char *metric[] = { "m", "metric", "metres", "meters", "si" };
	static const char *imperial[] = { "ft", "feet", "imperial", "us", "ft-in" };
	size_t i;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || system == NULL)
		return vpm_error(VPM_EINVAL, "no unit system given");
	for (i = 0; i < sizeof metric / sizeof metric[0]; i++)
		if (strcasecmp(text, metric[i]) == 0) {
			*system = VPM_UNITS_METRIC;
			return VPM_OK;
		}
	for (i = 0; i < sizeof imperial / sizeof imperial[0]; i++)
		if (strcasecmp(text, imperial[i]) == 0) {
			*system = VPM_UNITS_IMPERIAL;
			return VPM_OK;
		}
	return vpm_error(VPM_EPARSE, "'%s' is not a unit system: use m or ft",
			 quote(text, qb, sizeof qb));
}

VPM_STATUS_FN(vpm_units_parse_bytes, (const char *text, size_t *bytes), (text, bytes))
{
	const double kib = 1024.0;
	const char *p, *q;
	double v = 0.0, scale = 1.0;
	int erange;
	char qb[QUOTE_MAX + 8];

	if (text == NULL || bytes == NULL)
		return vpm_error(VPM_EINVAL, "no memory size given");
	p = skip_blank(text);
	q = scan_number(p, 0, &v, &erange);
	if (q == p || erange)
		return vpm_error(erange ? VPM_ERANGE : VPM_EPARSE,
				 "'%s' is not a memory size such as 4G or 512M",
				 quote(text, qb, sizeof qb));
	p = skip_blank(q);
	switch (*p) {
	case 'k':
	case 'K':
		scale = kib;
		p++;
		break;
	case 'm':
	case 'M':
		scale = kib * kib;
		p++;
		break;
	case 'g':
	case 'G':
		scale = kib * kib * kib;
		p++;
		break;
	case 't':
	case 'T':
		scale = kib * kib * kib * kib;
		p++;
		break;
	default: break;
	}
	if (scale > 1.0 && (*p == 'i' || *p == 'I'))
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	p = skip_blank(p);
	if (*p != '\0')
		return vpm_error(VPM_EPARSE, "'%s' is not a memory size such as 4G or 512M",
				 quote(text, qb, sizeof qb));
	v *= scale;
	if (!(v >= kib * kib))
		return vpm_error(VPM_ERANGE, "'%s' is less than 1M", quote(text, qb, sizeof qb));
	if (v >= 0.5 * (double)SIZE_MAX)
		return vpm_error(VPM_ERANGE, "'%s' is too large", quote(text, qb, sizeof qb));
	*bytes = (size_t)v;
	return VPM_OK;
}

char *vpm_units_format_length(double metres, vpm_units_system_t system, int decimals, char *buf,
			      size_t size)
{
	if (size == 0)
		return buf;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (isnan(metres)) {
		snprintf(buf, size, "n/a");
	} else if (isinf(metres)) {
		snprintf(buf, size, metres > 0 ? "inf" : "-inf");
	} else if (system == VPM_UNITS_METRIC) {
		snprintf(buf, size, "%.*f m", decimals, metres);
	} else {
		double in = fabs(metres) / VPM_M_PER_IN, scale = pow(10.0, decimals);
		double ft, rem;
		/* Round the inches first so that 11.99" never prints as 12.0". */
		in = round(in * scale) / scale;
		ft = floor(in / 12.0);
		rem = in - 12.0 * ft;
		if (rem >= 12.0 - 0.5 / scale) {
			ft += 1.0;
			rem = 0.0;
		}
		snprintf(buf, size, "%s%.0f' %.*f\"", metres < 0 ? "-" : "", ft, decimals, rem);
	}
	return buf;
}

char *vpm_units_format_duration(double s, char *buf, size_t size)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, size, "?");
	else if (s < 100)
		snprintf(buf, size, "%.1f s", s);
	else {
		long t = (long)(s + 0.5);
		if (t >= 3600)
			snprintf(buf, size, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60, t % 60);
		else
			snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
	}
	return buf;
}

char *vpm_units_format_bytes(double b, char *buf, size_t size)
{
	if (b < 1e3)
		snprintf(buf, size, "%.0f bytes", b);
	else if (b < 1e6)
		snprintf(buf, size, "%.1f kB", b / 1e3);
	else if (b < 1e9)
		snprintf(buf, size, "%.1f MB", b / 1e6);
	else
		snprintf(buf, size, "%.2f GB", b / 1e9);
	return buf;
}
