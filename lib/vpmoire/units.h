/* vpmoire — reading and writing lengths with units.
 *
 * Every distance flag and CSV cell goes through this parser, so a crew can
 * type what they think in: `3.5` (the field's bare unit), `3.5m`, `350cm`,
 * `28mm`, `5.5um`/`5.5µm`, `11ft`, `11'6"`, `11' 6`, `5 ft 6 in`, `6in`.
 */
#ifndef VPMOIRE_UNITS_H
#define VPMOIRE_UNITS_H

#include <stddef.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The unit a bare number is read in. */
typedef enum {
	VPM_UNIT_M = 0, /* stage distances */
	VPM_UNIT_MM,	/* pitch, emitter, focal length, CoC */
	VPM_UNIT_UM	/* photosite pitch, OLPF split */
} vpm_unit_t;

/* Flags for vpm_units_parse_length(). */
enum {
	VPM_UNITS_ALLOW_ZERO = 1u << 0,	    /* accept 0 */
	VPM_UNITS_ALLOW_NEGATIVE = 1u << 1, /* accept values below 0 (offsets) */
	VPM_UNITS_ALLOW_INF = 1u << 2	    /* accept `inf`, `infinity`, `∞` */
};

/* Parse a length.  A bare number is in `bare`; a suffix picks another unit
 * (m, cm, mm, um, µm, μm, ft, feet, foot, ', in, inch, inches, ").  Feet and
 * inches combine (`11'6"`, `5 ft 6 in`, `11'6` means 11 ft 6 in).  Leading
 * and trailing blanks are ignored.  On success stores the length in metres.
 * Returns VPM_EPARSE for malformed text (message says what was expected and
 * at which column, 1-based), VPM_ERANGE for negative, zero, infinite or
 * unrepresentable values not allowed by `flags`, VPM_EINVAL for NULL. */
vpm_status_t vpm_units_parse_length(const char *text, vpm_unit_t bare, unsigned flags,
				    double *metres);

/* Parse a plain finite decimal number (`2.8`, `-1e-3`), no unit, the whole
 * text.  VPM_EPARSE if it is not one. */
vpm_status_t vpm_units_parse_number(const char *text, double *value);

/* Parse an angle in degrees: `5`, `-12.5`, `5deg`, `5°`; `rad` suffix also
 * accepted (converted).  VPM_EPARSE / VPM_ERANGE (|angle| > 360). */
vpm_status_t vpm_units_parse_angle(const char *text, double *degrees);

/* Parse a stop: `2.8`, `T2.8`, `t2.8`, `f/2.8`, `f2.8`.  Must lie in
 * [0.5, 128].  VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_units_parse_stop(const char *text, double *stop);

/* Parse a positive whole count (pixels): `1920`, `4096`.  At most `max`.
 * VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_units_parse_count(const char *text, long max, long *count);

/* Which ends of vpm_units_parse_interval()'s range are open. */
enum {
	VPM_UNITS_LO_OPEN = 1u << 0, /* (lo, ...: lo itself is outside */
	VPM_UNITS_HI_OPEN = 1u << 1  /* ..., hi): hi itself is outside */
};

/* Parse a number within [lo, hi] (`open`: VPM_UNITS_LO_OPEN and
 * VPM_UNITS_HI_OPEN exclude an end, so 1 gives (lo, hi]): the plain number
 * of vpm_units_parse_number(), whose status and message come back when the
 * text is not one; VPM_ERANGE ("'TEXT' must lie in [LO, HI]", "(LO, HI)"
 * ...) when it lies outside.  Nothing is stored on failure. */
vpm_status_t vpm_units_parse_interval(const char *text, double lo, double hi, unsigned open,
				      double *value);

/* Parse a fraction in (0, 1]: "0.4", or a percentage "40%" (stored as
 * 0.4; its messages quote the number without the sign, "'140' must lie in
 * (0, 100]").  VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_units_parse_fraction(const char *text, double *fraction);

/* Parse a picture aspect, width over height: "2.39", or "W:H" such as
 * "16:9" (both sides positive numbers).  Must lie in [0.2, 10].
 * VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_units_parse_aspect(const char *text, double *aspect);

/* Parse an exposure time in seconds: "1/48" or "1/50s" (1/N, N from 1 to
 * 100000), "0.0208" or "0.0208s" (seconds, 1e-5 to 1), or "180deg@24" (a
 * shutter angle above 0 and at most 360 at a frame rate from 1 to 1000
 * fps).  VPM_EPARSE for none of these forms, VPM_ERANGE for one out of its
 * range; the message names the forms. */
vpm_status_t vpm_units_parse_shutter(const char *text, double *seconds);

/* Parse a range of lengths "FROM:TO" (each side as vpm_units_parse_length()
 * with `bare` and no flags: positive and finite), the end beyond the start;
 * stores both in metres.  VPM_EPARSE when the text is not two sides around
 * a colon ("expected FROM:TO such as 15:135, found '...'"), a side's own
 * status and message when it is not a length, VPM_EINVAL when the end is
 * not beyond the start. */
vpm_status_t vpm_units_parse_range(const char *text, vpm_unit_t bare, double *from_m, double *to_m);

/* Parse a grid size "NXxNY" (or "NXXNY"), at most `max_x` x `max_y`, or
 * "NY" alone, which keeps the NX found in *nx on entry.  Both must be at
 * least 2; nothing is stored on failure.  VPM_EPARSE (the message shows
 * the forms and the limits) / VPM_ERANGE (fewer than 2 either way). */
vpm_status_t vpm_units_parse_grid(const char *text, long max_x, long max_y, long *nx, long *ny);

/* Parse a point "X,Y": two finite numbers (strtod's forms, leading blanks
 * allowed, an empty Y reads 0) around a comma, e.g. "-1500,0".  Nothing is stored on failure.
 * VPM_EPARSE ("expected X,Y such as -1500,0, found '...'"), VPM_EINVAL for
 * NULL arguments. */
vpm_status_t vpm_units_parse_pair(const char *text, double *x, double *y);

/* Parse a memory size: "4G", "512M", "2.5GiB", "1048576" (bytes); K, M,
 * G, T are powers of 1024, an optional "B"/"iB" follows.  At least 1 MiB.
 * VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_units_parse_bytes(const char *text, size_t *bytes);

/* How lengths are printed to people. */
typedef enum { VPM_UNITS_METRIC = 0, VPM_UNITS_IMPERIAL } vpm_units_system_t;

/* Parse "m"/"metric"/"metres"/"meters" or "ft"/"feet"/"imperial". */
vpm_status_t vpm_units_parse_system(const char *text, vpm_units_system_t *system);

/* Format a stage distance in metres for people: metric "2.524 m" (decimals
 * places after the point), imperial "8' 3.4\"" (decimals on the inches);
 * infinity prints "inf".  Always NUL-terminates; returns `buf`. */
char *vpm_units_format_length(double metres, vpm_units_system_t system, int decimals, char *buf,
			      size_t size);

/* Format a duration for a progress line: "42.0 s" below 100 s, "2m05s",
 * "1h02m05s" from an hour; "?" when negative or not finite.  Always
 * NUL-terminates; returns `buf`. */
char *vpm_units_format_duration(double seconds, char *buf, size_t size);

/* Format a size in decimal units (SI prefixes, 1 kB = 1000 bytes):
 * "999 bytes", "1.5 kB", "2.5 MB", "3.25 GB".  Returns `buf`. */
char *vpm_units_format_bytes(double bytes, char *buf, size_t size);

/* Largest length accepted, in metres. */
#define VPM_UNITS_MAX_M 1e9

#define VPM_M_PER_FT 0.3048
#define VPM_M_PER_IN 0.0254

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_UNITS_H */
