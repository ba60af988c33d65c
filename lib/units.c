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

/* Quote user text for a message, shortened and with control bytes hidden. */
static const char *quote(const char *text, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; text[i] != '\0' && n + 4 < size; i++) {
		unsigned char c = (unsigned char)text[i];
		if (i >= QUOTE_MAX) {
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
