/* The table of vpm_setup_t's named fields (lib/vpmoire/setupfield.h): each
 * field's names, where it lies, the grammar of its flag's value and its
 * valid range, the one range that both the flag (vpm_setup_flag_parse())
 * and vpm_setup_validate() (through vpm_setup_field_check()) hold it to. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "nameset.h"
#include "vpmoire/catalog.h"
#include "vpmoire/content.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/setupfield.h"
#include "vpmoire/units.h"

/* The grammar of a flag's value. */
typedef enum {
	K_LENGTH,  /* vpm_units_parse_length(), a bare number in the field's unit */
	K_COUNT,   /* vpm_units_parse_count(): a whole number of pixels */
	K_NUMBER,  /* vpm_units_parse_interval() over the range */
	K_STOP,	   /* vpm_units_parse_stop(): 2.8, T2.8, f/2.8 */
	K_ANGLE,   /* vpm_units_parse_angle(): 5, 5deg, 0.1rad */
	K_ASPECT,  /* vpm_units_parse_aspect(): 2.39 or 16:9 */
	K_CONTENT, /* "flat", an RMS contrast, or a PNG of the content */
	K_CFA	   /* a vpm_cfa_t name */
} kind_t;

/* One field: its public entry, its flag's grammar, its range, and the
 * words of vpm_setup_field_check()'s messages: "--FLAG: WHAT V UNIT is
 * outside [LO, HI] UNIT: WHY". */
typedef struct {
	vpm_setup_field_t f;
	kind_t kind;
	vpm_setup_range_t range;
	const char *what, *why;
} row_t;

#define ROW(field, flag, is_int, nan_none, raw, kind, range, what, why)                      \
	{                                                                                    \
		{ #field, flag, offsetof(vpm_setup_t, field), is_int, nan_none, raw }, kind, \
			range, what, why                                                     \
	}
/* vpm_setup_range_t from [lo, hi] and what else it is: an open end, valid
 * +infinity, 0 as "none", a negative as "auto" */
enum { LO_OPEN = 1, HI_OPEN = 2, OR_INF = 4, OR_NONE = 8, OR_AUTO = 16 };
#define RANGE(lo, hi, bits, unit)                                                  \
	{                                                                          \
		lo, hi, !!((bits)&LO_OPEN), !!((bits)&HI_OPEN), !!((bits)&OR_INF), \
			!!((bits)&OR_NONE), !!((bits)&OR_AUTO), unit               \
	}

/* The pixel widths of a picture: below 64 px (a thumbnail) no LED
 * structure shows at all; no camera sensor has more than a million
 * photosites across. */
#define PX_MIN 64.0
#define PX_MAX 1000000.0

/* The numbers first, in the order vpm_predict_batch has always listed
 * them; the pixel counts of the delivery take NaN as "none".  The ranges
 * hold every value in the shipped catalogs and the examples with a wide
 * margin; each says where its bounds come from. */
static const row_t rows[] = {
	ROW(pitch_mm, "pitch", 0, 0, VPM_RAW_PITCH, K_LENGTH, RANGE(0.01, 100.0, 0, "mm"),
	    "LED pitch",
	    "the finest micro-LED walls are about 0.4 mm, the coarsest screens about 40 mm"),
	ROW(emitter_mm, "emitter", 0, 0, VPM_RAW_EMITTER, K_LENGTH, RANGE(0.001, 100.0, 0, "mm"),
	    "emitter size",
	    "an LED's emitting area is at least a micrometre across (micro-LED chips are 3 to "
	    "50 um)"),
	ROW(photosite_um, "photosite", 0, 0, VPM_RAW_PHOTOSITE, K_LENGTH,
	    RANGE(0.1, 100.0, 0, "um"), "photosite pitch",
	    "the smallest photosites made are about 0.6 um (phones), the largest about 25 um"),
	ROW(width_px, "width-px", 1, 0, VPM_RAW_WIDTH_PX, K_COUNT, RANGE(PX_MIN, PX_MAX, 0, "px"),
	    "sensor width",
	    "no camera sensor has fewer than 64 photosites across or more than a million"),
	/* an OLPF splits light by about one photosite pitch: at most the
	 * largest photosite (100 um, above), 0 for none */
	ROW(olpf_um, "olpf", 0, 0, VPM_RAW_OLPF, K_LENGTH, RANGE(0.0, 100.0, 0, "um"), "OLPF split",
	    NULL),
	ROW(fill, "fill", 0, 0, VPM_RAW_FILL, K_NUMBER, RANGE(0.05, 1.0, 0, ""), "fill factor",
	    "a photosite's aperture covers at least a twentieth of its pitch (microlenses make "
	    "it 0.5 to 1)"),
	ROW(focal_mm, "focal", 0, 0, VPM_RAW_FOCAL, K_LENGTH, RANGE(1.0, 2000.0, 0, "mm"),
	    "focal length", "1 to 2000 mm covers every cine and photo lens"),
	ROW(stop, "stop", 0, 0, VPM_RAW_STOP, K_STOP, RANGE(0.5, 128.0, 0, ""), "stop",
	    "no lens opens wider than f/0.5 (the limit of a lens in air) or is used beyond "
	    "f/128"),
	/* 100 km: beyond any stage; the lens's 4f is vpm_setup_validate()'s */
	ROW(wall_m, "wall", 0, 0, 0, K_LENGTH, RANGE(0.0, 1e5, LO_OPEN, "m"), "wall distance",
	    NULL),
	ROW(focus_m, "focus", 0, 0, 0, K_LENGTH, RANGE(0.0, 1e5, LO_OPEN | OR_INF, "m"),
	    "focus distance", "use inf for infinity"),
	ROW(recording_px, "recording-px", 1, 1, 0, K_COUNT, RANGE(PX_MIN, PX_MAX, OR_NONE, "px"),
	    "recording width",
	    "a picture narrower than 64 px (a thumbnail) shows no LED structure at all"),
	ROW(delivery_px, "delivery-px", 1, 1, 0, K_COUNT, RANGE(PX_MIN, PX_MAX, OR_NONE, "px"),
	    "delivery width",
	    "a picture narrower than 64 px (a thumbnail) shows no LED structure at all"),
	ROW(roll_deg, "roll", 0, 0, 0, K_ANGLE, RANGE(-360.0, 360.0, 0, "deg"), "camera roll",
	    "a full turn"),
	/* SPEC §2: the band w·(1 − δ ... 1 + δ) */
	ROW(tolerance, "tolerance", 0, 0, 0, K_NUMBER, RANGE(0.0, 1.0, HI_OPEN, ""),
	    "planning tolerance", "a distance cannot be off by all of itself"),
	ROW(aspect, "aspect", 0, 0, 0, K_ASPECT, RANGE(0.2, 10.0, 0, ""), "display aspect",
	    "from a 1:5 vertical strip to a 10:1 panorama (cinema is 1.33 to 2.76, vertical "
	    "video 0.56)"),
	ROW(view_heights, "view-heights", 0, 0, 0, K_NUMBER,
	    RANGE(0.25, 100.0, 0, "picture heights"), "viewing distance",
	    "viewers sit from a quarter of the picture height (a headset) to 100 heights away "
	    "(a stadium screen)"),
	ROW(luminance_cd_m2, "luminance", 0, 0, 0, K_NUMBER, RANGE(0.1, 10000.0, 0, "cd/m2"),
	    "display luminance",
	    "a dim cinema at 0.1 cd/m2 to the 10000 cd/m2 peak of HDR (SMPTE ST 2084), where "
	    "the contrast-sensitivity model holds"),
	ROW(pupil_edge, "pupil-edge", 0, 0, VPM_RAW_PUPIL_EDGE, K_NUMBER,
	    RANGE(0.0, 0.9, OR_AUTO, ""), "soft pupil edge",
	    "a fraction of the pupil radius, and a blur spot with no flat centre is no lens's"),
	/* the cap is vpm_content_contrast_png()'s (lib/vpmoire/content.h) */
	ROW(content_contrast, "content", 0, 0, 0, K_CONTENT,
	    RANGE(0.0, VPM_CONTENT_MAX_CONTRAST, 0, ""), "content contrast", NULL),
	ROW(grade_gain, "gain", 0, 0, 0, K_NUMBER, RANGE(0.01, 100.0, 0, ""), "grade gain",
	    "a grade lifts or lowers the wall by at most about 6.6 stops"),
	/* a visibility is a multiple of the threshold of seeing: a million
	 * times it is no threshold a shot could meet, only a typo */
	ROW(caution_at, "caution-at", 0, 0, 0, K_NUMBER, RANGE(0.0, 1e6, LO_OPEN, ""),
	    "caution threshold", NULL),
	ROW(risky_at, "risky-at", 0, 0, 0, K_NUMBER, RANGE(0.0, 1e6, LO_OPEN, ""),
	    "risky threshold", NULL),
	ROW(coc_mm, "coc", 0, 0, VPM_RAW_COC, K_LENGTH, RANGE(0.001, 10.0, OR_NONE, "mm"),
	    "circle of confusion",
	    "a circle of confusion below 1 um is finer than any photosite (0 means width/1000)"),
	/* a transmittance is at most 1; below 0.25 a lens would lose two stops
	 * to its glass, more than any cine lens (T/f differences are 0-1/3
	 * stop); 0 or negative: the lens catalog's, else
	 * VPM_FIELD_TRANSMISSION */
	ROW(transmission, "transmission", 0, 0, VPM_RAW_TRANSMISSION, K_NUMBER,
	    RANGE(0.25, 1.0, OR_NONE | OR_AUTO, ""), "lens transmittance", NULL),
	/* cine anamorphics squeeze 1.25x to 2x (Cooke, ARRI/ZEISS and Atlas
	 * datasheets cited in models/lenses.csv); [0.25, 4] keeps S and 1/S of
	 * any of them, 0 means spherical */
	ROW(squeeze, "squeeze", 0, 0, VPM_RAW_SQUEEZE, K_NUMBER, RANGE(0.25, 4.0, OR_NONE, ""),
	    "anamorphic squeeze", "1 = spherical"),
	/* an enum, not a number: the catalog's camera sets it, so it has a
	 * raw bit, but a batch cannot vary it */
	ROW(cfa, "cfa", -1, 0, VPM_RAW_CFA, K_CFA, RANGE(0.0, 0.0, 0, ""), "colour filter array",
	    NULL),
};
#undef ROW
#define N_FIELDS (sizeof rows / sizeof rows[0])

/* vpm_cfa_t's names, in its order */
static const char *const cfa_names[] = { "bayer", "mono" };

size_t vpm_setup_field_count(void)
{
	return N_FIELDS;
}

const vpm_setup_field_t *vpm_setup_field(size_t i)
{
	return i < N_FIELDS ? &rows[i].f : NULL;
}

const vpm_setup_field_t *vpm_setup_field_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(rows[i].f.name, name) == 0)
			return &rows[i].f;
	return NULL;
}

/* The row of a table entry, or NULL when f is not one. */
static const row_t *row_of(const vpm_setup_field_t *f)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		if (f == &rows[i].f)
			return &rows[i];
	return NULL;
}

const vpm_setup_range_t *vpm_setup_field_range(const vpm_setup_field_t *f)
{
	const row_t *r = f ? row_of(f) : NULL;

	return r && r->kind != K_CFA ? &r->range : NULL;
}

/* A value as the messages print it: an int field's in full, else %g. */
static const char *num(const row_t *r, double v, char *buf, size_t n)
{
	snprintf(buf, n, r->f.is_int == 1 && isfinite(v) ? "%.0f" : "%g", v);
	return buf;
}

/* The range check of one value of the row's field (the messages of
 * vpm_setup_field_check()). */
static vpm_status_t check_value(const row_t *r, double v)
{
	const vpm_setup_range_t *g = &r->range;
	const char *sp = *g->unit ? " " : "";
	char vb[32], lb[32], hb[32];
	/* the range holds only positive values */
	int positive = g->lo > 0.0 || (g->lo == 0.0 && g->lo_open);

	if (isnan(v))
		return vpm_error(VPM_EINVAL, "--%s: %s is not a number", r->f.flag, r->what);
	if ((g->zero_is_none && v == 0.0) || (g->negative_auto && v < 0.0) ||
	    (g->inf_ok && v == INFINITY))
		return VPM_OK;
	if ((g->zero_is_none || (g->lo == 0.0 && !g->lo_open)) && v < 0.0)
		return vpm_error(VPM_EINVAL, "--%s: %s %s%s%s is negative", r->f.flag, r->what,
				 num(r, v, vb, sizeof vb), sp, g->unit);
	if (positive && v <= 0.0)
		return vpm_error(VPM_EINVAL, "--%s: %s %s%s%s is not positive", r->f.flag, r->what,
				 num(r, v, vb, sizeof vb), sp, g->unit);
	if ((g->lo_open ? v <= g->lo : v < g->lo) || (g->hi_open ? v >= g->hi : v > g->hi) ||
	    !isfinite(v))
		return vpm_error(VPM_ERANGE, "--%s: %s %s%s%s is outside %s%s, %s%s%s%s%s%s%s",
				 r->f.flag, r->what, num(r, v, vb, sizeof vb), sp, g->unit,
				 g->lo_open ? "(" : "[", num(r, g->lo, lb, sizeof lb),
				 num(r, g->hi, hb, sizeof hb), g->hi_open ? ")" : "]", sp, g->unit,
				 g->zero_is_none ? " (or none)" : "", r->why ? ": " : "",
				 r->why ? r->why : "");
	return VPM_OK;
}

/* The value of the row's field in *s, as a double. */
static double field_value(const row_t *r, const vpm_setup_t *s)
{
	const char *p = (const char *)s + r->f.offset;

	if (r->f.is_int == 1)
		return (double)*(const int *)(const void *)p;
	return *(const double *)(const void *)p;
}

VPM_STATUS_FN(vpm_setup_field_check, (const vpm_setup_field_t *f, const vpm_setup_t *s), (f, s))
{
	const row_t *r = f ? row_of(f) : NULL;

	if (r == NULL || s == NULL)
		return vpm_error(VPM_EINVAL, "no set-up field");
	if (r->kind == K_CFA)
		return s->cfa == VPM_CFA_BAYER || s->cfa == VPM_CFA_MONO
			       ? VPM_OK
			       : vpm_error(VPM_EINVAL, "--cfa: unknown colour filter array (%d)",
					   (int)s->cfa);
	return check_value(r, field_value(r, s));
}

/* A length field's unit: the bare unit of its flag, and that unit in
 * metres (the factor vpm_units_parse_length() multiplied by, so that
 * dividing by it gives back the number typed: 0.1 um stays 0.1). */
static vpm_unit_t bare_unit(const row_t *r, double *unit_m)
{
	if (strcmp(r->range.unit, "mm") == 0) {
		*unit_m = 1e-3;
		return VPM_UNIT_MM;
	}
	if (strcmp(r->range.unit, "um") == 0) {
		*unit_m = 1e-6;
		return VPM_UNIT_UM;
	}
	*unit_m = 1.0;
	return VPM_UNIT_M;
}

/* The value of a row's flag, range checked, in *v. */
static vpm_status_t parse_value(const row_t *r, const char *arg, double *v)
{
	const vpm_setup_range_t *g = &r->range;
	vpm_status_t st = VPM_OK;
	double unit_m;
	long n = 0;
	int k;

	switch (r->kind) {
	case K_LENGTH: {
		vpm_unit_t bare = bare_unit(r, &unit_m);
		unsigned flags = (g->lo == 0.0 && !g->lo_open ? VPM_UNITS_ALLOW_ZERO : 0u) |
				 (g->inf_ok ? VPM_UNITS_ALLOW_INF : 0u);

		st = vpm_units_parse_length(arg, bare, flags, v);
		*v /= unit_m;
		break;
	}
	case K_COUNT:
		st = vpm_units_parse_count(arg, (long)g->hi, &n);
		*v = (double)n;
		break;
	case K_NUMBER:
		st = vpm_units_parse_interval(arg, g->lo, g->hi,
					      (g->lo_open ? VPM_UNITS_LO_OPEN : 0u) |
						      (g->hi_open ? VPM_UNITS_HI_OPEN : 0u),
					      v);
		break;
	case K_STOP: st = vpm_units_parse_stop(arg, v); break;
	case K_ANGLE: st = vpm_units_parse_angle(arg, v); break;
	case K_ASPECT: st = vpm_units_parse_aspect(arg, v); break;
	case K_CONTENT:
		if (arg != NULL && strcasecmp(arg, "flat") == 0) {
			*v = 0.0;
			return VPM_OK;
		}
		if (vpm_units_parse_number(arg, v) == VPM_OK) {
			if (!(*v >= g->lo && *v <= g->hi))
				return vpm_error(VPM_ERANGE,
						 "--%s: RMS contrast '%s' must lie in [%g, %g]",
						 r->f.flag, arg, g->lo, g->hi);
			return VPM_OK;
		}
		st = vpm_content_contrast_png(arg, v);
		break;
	case K_CFA:
		if ((k = vpm_name_index(arg, cfa_names, 2)) < 0) {
			char list[64];

			return vpm_error(VPM_EPARSE, "--%s: '%s' is not a CFA: use %s", r->f.flag,
					 arg ? arg : "",
					 vpm_name_list(cfa_names, 2, list, sizeof list));
		}
		*v = k;
		return VPM_OK;
	}
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--%s", r->f.flag);
	return check_value(r, *v);
}

/* The set-up's enums: their flags and parsers (lib/predict.c). */
static const struct {
	const char *flag;
	int prefix; /* the parser's message does not name the flag */
} enums[] = {
	{ "chroma-weight", 0 }, { "model", 0 }, { "viewing", 1 }, { "resample", 1 }, { "band", 0 }
};
#define N_ENUMS (sizeof enums / sizeof enums[0])

static vpm_status_t parse_enum(size_t i, const char *arg, vpm_setup_t *s)
{
	vpm_setup_t t = *s;
	vpm_status_t st = VPM_EINTERNAL;

	switch (i) {
	case 0: st = vpm_chroma_parse(arg, &t.chroma); break;
	case 1: st = vpm_model_parse(arg, &t.model); break;
	case 2: st = vpm_viewing_parse(arg, &t.viewing); break;
	case 3: st = vpm_resample_parse(arg, &t.resample); break;
	case 4: st = vpm_band_parse(arg, &t.band); break;
	}
	if (st != VPM_OK)
		return enums[i].prefix ? vpm_error_prefix(st, "--%s", enums[i].flag) : st;
	*s = t;
	return VPM_OK;
}

int vpm_setup_flag_known(const char *flag)
{
	if (flag == NULL)
		return 0;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (rows[i].f.flag && strcmp(rows[i].f.flag, flag) == 0)
			return 1;
	for (size_t i = 0; i < N_ENUMS; i++)
		if (strcmp(enums[i].flag, flag) == 0)
			return 1;
	return 0;
}

VPM_STATUS_FN(vpm_setup_flag_parse, (const char *flag, const char *arg, vpm_setup_t *s),
	      (flag, arg, s))
{
	if (flag == NULL || s == NULL)
		return vpm_error(VPM_EINVAL, "no set-up flag");
	for (size_t i = 0; i < N_FIELDS; i++) {
		const row_t *r = &rows[i];
		char *p = (char *)s + r->f.offset;
		double v = 0.0;
		vpm_status_t st;

		if (r->f.flag == NULL || strcmp(r->f.flag, flag) != 0)
			continue;
		if ((st = parse_value(r, arg, &v)) != VPM_OK)
			return st;
		if (r->kind == K_CFA)
			s->cfa = (vpm_cfa_t)(int)v;
		else if (r->f.is_int == 1)
			*(int *)(void *)p = (int)v;
		else
			*(double *)(void *)p = v;
		return VPM_OK;
	}
	for (size_t i = 0; i < N_ENUMS; i++)
		if (strcmp(enums[i].flag, flag) == 0)
			return parse_enum(i, arg, s);
	return vpm_error(VPM_EINVAL, "--%s is not a set-up flag", flag);
}

VPM_STATUS_FN(vpm_setup_focal_range_parse, (const char *arg, double *lo_mm, double *hi_mm),
	      (arg, lo_mm, hi_mm))
{
	const row_t *r = row_of(vpm_setup_field_find("focal_mm"));
	const char *colon = arg ? strchr(arg, ':') : NULL;
	double lo, hi;
	vpm_status_t st;

	if (lo_mm == NULL || hi_mm == NULL)
		return vpm_error(VPM_EINVAL, "no focal range");
	if (colon == NULL || colon == arg || colon[1] == '\0')
		return vpm_error(VPM_EPARSE,
				 "--focal: expected MM or A:B such as 28:100, found '%s'",
				 arg ? arg : "");
	st = vpm_units_parse_range(arg, VPM_UNIT_MM, &lo, &hi);
	if (st == VPM_EINVAL)
		return vpm_error(VPM_EINVAL,
				 "--focal: '%s': a zoom's long end must be beyond its short end",
				 arg);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--focal");
	/* metres to the field's millimetres (as bare_unit()); each end is a
	 * focal length */
	lo /= 1e-3;
	hi /= 1e-3;
	if ((st = check_value(r, lo)) != VPM_OK || (st = check_value(r, hi)) != VPM_OK)
		return st;
	*lo_mm = lo;
	*hi_mm = hi;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_setup_complete, (const vpm_setup_t *s), (s))
{
	if (s == NULL)
		return vpm_error(VPM_EINVAL, "no set-up");
	if (s->pitch_mm == 0.0)
		return vpm_error(VPM_EINVAL,
				 "no LED panel: give --panel NAME or --pitch MM with --emitter MM");
	if (s->emitter_mm == 0.0)
		return vpm_error(VPM_EINVAL, "--emitter is needed with --pitch (the side of one "
					     "channel's light-emitting area, in mm)");
	if (s->photosite_um == 0.0)
		return vpm_error(VPM_EINVAL, "no camera: give --camera NAME or --photosite UM "
					     "with --width-px N");
	if (s->width_px == 0)
		return vpm_error(VPM_EINVAL, "--width-px is needed with --photosite (photosites "
					     "across the recorded area)");
	if (s->focal_mm == 0.0)
		return vpm_error(VPM_EINVAL, "no lens: give --lens NAME or --focal MM");
	return VPM_OK;
}
