/* Equipment catalogs: CSV files validated row by row, looked up by name. */
#include <config.h>

#include <ctype.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "arena.h"
#include "error.h"
#include "nameset.h"
#include "vpmoire/catalog.h"
#include "vpmoire/csv.h"
#include "vpmoire/units.h"

/* ------------------------------------------------------------ the catalog */

typedef struct {
	void *items;
	size_t n, cap, item_size;
} vec_t;

struct vpm_catalog {
	vec_t vec[VPM_CATALOG_KINDS];
	vpm_arena_t *arena;
	/* each kind's names (case-insensitive) → index, so a look-up by exact
	 * name is O(1): a study naming 100,000 entries one by one stays linear */
	vpm_nameset_t index[VPM_CATALOG_KINDS];
	int indexed[VPM_CATALOG_KINDS]; /* 0: not built (out of memory): scan */
};

static const size_t item_sizes[VPM_CATALOG_KINDS] = { sizeof(vpm_camera_t), sizeof(vpm_lens_t),
						      sizeof(vpm_panel_t), sizeof(vpm_processor_t),
						      sizeof(vpm_price_t) };

static void *vec_at(const vec_t *v, size_t i)
{
	return (char *)v->items + i * v->item_size;
}

static void *vec_push(vec_t *v)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 32;
		void *ni = realloc(v->items, cap * v->item_size);
		if (ni == NULL)
			return NULL;
		v->items = ni;
		v->cap = cap;
	}
	memset(vec_at(v, v->n), 0, v->item_size);
	return vec_at(v, v->n++);
}

vpm_catalog_t *vpm_catalog_alloc(void)
{
	vpm_catalog_t *cat = calloc(1, sizeof *cat);
	int k;

	if (cat == NULL) {
		vpm_error(VPM_ENOMEM, "out of memory allocating a catalog");
		return NULL;
	}
	for (k = 0; k < VPM_CATALOG_KINDS; k++) {
		cat->vec[k].item_size = item_sizes[k];
		vpm_nameset_init(&cat->index[k], 1);
		cat->indexed[k] = 1; /* empty and complete */
	}
	return cat;
}

void vpm_catalog_free(vpm_catalog_t *cat)
{
	int k;

	if (cat == NULL)
		return;
	for (k = 0; k < VPM_CATALOG_KINDS; k++) {
		free(cat->vec[k].items);
		vpm_nameset_free(&cat->index[k]);
	}
	vpm_arena_free(cat->arena);
	free(cat);
}

const char *vpm_catalog_kind_name(vpm_catalog_kind_t kind)
{
	switch (kind) {
	case VPM_CATALOG_CAMERAS: return "cameras";
	case VPM_CATALOG_LENSES: return "lenses";
	case VPM_CATALOG_PANELS: return "panels";
	case VPM_CATALOG_PROCESSORS: return "processors";
	case VPM_CATALOG_PRICES: return "prices";
	case VPM_CATALOG_KINDS: break;
	}
	return "?";
}

size_t vpm_catalog_count(const vpm_catalog_t *cat, vpm_catalog_kind_t kind)
{
	if (cat == NULL || kind < 0 || kind >= VPM_CATALOG_KINDS)
		return 0;
	return cat->vec[kind].n;
}

const vpm_camera_t *vpm_catalog_camera(const vpm_catalog_t *cat, size_t i)
{
	return (cat && i < cat->vec[VPM_CATALOG_CAMERAS].n)
		       ? vec_at(&cat->vec[VPM_CATALOG_CAMERAS], i)
		       : NULL;
}

const vpm_lens_t *vpm_catalog_lens(const vpm_catalog_t *cat, size_t i)
{
	return (cat && i < cat->vec[VPM_CATALOG_LENSES].n)
		       ? vec_at(&cat->vec[VPM_CATALOG_LENSES], i)
		       : NULL;
}

int vpm_lens_is_zoom(const vpm_lens_t *lens)
{
	return lens != NULL && lens->focal_max_mm > lens->focal_mm;
}

double vpm_lens_max_t_at(const vpm_lens_t *lens, double focal_mm)
{
	double x;

	if (lens == NULL || !isfinite(focal_mm))
		return NAN;
	if (!vpm_lens_is_zoom(lens))
		return focal_mm == lens->focal_mm ? lens->max_t : NAN;
	if (focal_mm < lens->focal_mm || focal_mm > lens->focal_max_mm)
		return NAN;
	if (!(lens->max_t_long > 0.0))
		return lens->max_t;
	/* the catalog's ramp: linear in focal length between the two ends */
	x = (focal_mm - lens->focal_mm) / (lens->focal_max_mm - lens->focal_mm);
	return lens->max_t + x * (lens->max_t_long - lens->max_t);
}

const vpm_panel_t *vpm_catalog_panel(const vpm_catalog_t *cat, size_t i)
{
	return (cat && i < cat->vec[VPM_CATALOG_PANELS].n)
		       ? vec_at(&cat->vec[VPM_CATALOG_PANELS], i)
		       : NULL;
}

const vpm_processor_t *vpm_catalog_processor(const vpm_catalog_t *cat, size_t i)
{
	return (cat && i < cat->vec[VPM_CATALOG_PROCESSORS].n)
		       ? vec_at(&cat->vec[VPM_CATALOG_PROCESSORS], i)
		       : NULL;
}

const vpm_price_t *vpm_catalog_price(const vpm_catalog_t *cat, size_t i)
{
	return (cat && i < cat->vec[VPM_CATALOG_PRICES].n)
		       ? vec_at(&cat->vec[VPM_CATALOG_PRICES], i)
		       : NULL;
}

/* ------------------------------------------------------------ columns */

typedef enum {
	C_STR,	/* text */
	C_NAME, /* lookup key */
	C_NUM,	/* number > 0 (or empty when optional) */
	C_INT,	/* whole number > 0 */
	C_FILL, /* number in (0, 1] */
	C_CFA,	/* bayer | mono | rgbw */
	C_MTF,	/* "10:0.95 20:0.88" */
	C_OLPF	/* number >= 0 */
} col_type_t;

typedef struct {
	const char *name;
	col_type_t type;
	int required;
	size_t offset;
	double max; /* physical upper limit for numbers */
} col_t;

#define CAM(f) offsetof(vpm_camera_t, f)
#define LENS(f) offsetof(vpm_lens_t, f)
#define PAN(f) offsetof(vpm_panel_t, f)
#define PROC(f) offsetof(vpm_processor_t, f)
#define PRICE(f) offsetof(vpm_price_t, f)

static const col_t camera_cols[] = {
	{ "name", C_NAME, 1, CAM(name), 0 },
	{ "maker", C_STR, 0, CAM(maker), 0 },
	{ "model", C_STR, 0, CAM(model), 0 },
	{ "mode", C_STR, 0, CAM(mode), 0 },
	{ "width_mm", C_NUM, 1, CAM(width_mm), 100 },
	{ "height_mm", C_NUM, 0, CAM(height_mm), 100 },
	{ "width_px", C_INT, 1, CAM(width_px), 100000 },
	{ "height_px", C_INT, 0, CAM(height_px), 100000 },
	{ "photosite_um", C_NUM, 0, CAM(photosite_um), 100 },
	{ "cfa", C_CFA, 0, CAM(cfa), 0 },
	{ "olpf_um", C_OLPF, 0, CAM(olpf_um), 100 },
	{ "fill", C_FILL, 0, CAM(fill), 1 },
	{ "coc_mm", C_NUM, 0, CAM(coc_mm), 1 },
	{ "readout_ms", C_NUM, 0, CAM(readout_ms), 1000 },
	{ "source", C_STR, 0, CAM(source), 0 },
	{ NULL, C_STR, 0, 0, 0 },
};

static const col_t lens_cols[] = {
	{ "name", C_NAME, 1, LENS(name), 0 },
	{ "maker", C_STR, 0, LENS(maker), 0 },
	{ "series", C_STR, 0, LENS(series), 0 },
	{ "focal_mm", C_NUM, 1, LENS(focal_mm), 5000 },
	{ "max_t", C_NUM, 1, LENS(max_t), 128 },
	{ "min_t", C_NUM, 0, LENS(min_t), 128 },
	{ "close_focus_m", C_NUM, 0, LENS(close_focus_m), 100 },
	{ "image_circle_mm", C_NUM, 0, LENS(image_circle_mm), 200 },
	{ "mtf_stop", C_NUM, 0, LENS(mtf_stop), 128 },
	{ "mtf_points", C_MTF, 0, 0, 0 },
	{ "pupil_edge", C_NUM, 0, LENS(pupil_edge), 0.9 },
	{ "transmission", C_FILL, 0, LENS(transmission), 1 },
	{ "source", C_STR, 0, LENS(source), 0 },
	/* anamorphic squeezes run 1.25x-2x in cine catalogs (models/lenses.csv
	 * sources); 4 leaves room without accepting a typo like 20 */
	{ "squeeze", C_NUM, 0, LENS(squeeze), 4 },
	{ "squeeze_position", C_STR, 0, LENS(squeeze_position), 0 },
	{ "focal_max_mm", C_NUM, 0, LENS(focal_max_mm), 5000 },
	{ "max_t_long", C_NUM, 0, LENS(max_t_long), 128 },
	{ NULL, C_STR, 0, 0, 0 },
};

static const col_t panel_cols[] = {
	{ "name", C_NAME, 1, PAN(name), 0 },
	{ "maker", C_STR, 0, PAN(maker), 0 },
	{ "model", C_STR, 0, PAN(model), 0 },
	{ "pitch_mm", C_NUM, 1, PAN(pitch_mm), 100 },
	{ "emitter_mm", C_NUM, 1, PAN(emitter_mm), 100 },
	{ "package", C_STR, 0, PAN(package), 0 },
	{ "cabinet_w_mm", C_NUM, 0, PAN(cabinet_w_mm), 10000 },
	{ "cabinet_h_mm", C_NUM, 0, PAN(cabinet_h_mm), 10000 },
	{ "cabinet_px_w", C_INT, 0, PAN(cabinet_px_w), 100000 },
	{ "cabinet_px_h", C_INT, 0, PAN(cabinet_px_h), 100000 },
	{ "weight_kg", C_NUM, 0, PAN(weight_kg), 10000 },
	{ "power_max_w", C_NUM, 0, PAN(power_max_w), 100000 },
	{ "power_typ_w", C_NUM, 0, PAN(power_typ_w), 100000 },
	{ "brightness_nits", C_NUM, 0, PAN(brightness_nits), 100000 },
	{ "refresh_hz", C_NUM, 0, PAN(refresh_hz), 1000000 },
	{ "scan_ratio", C_INT, 0, PAN(scan_ratio), 256 },
	{ "pwm_bits", C_INT, 0, PAN(pwm_bits), 24 },
	{ "source", C_STR, 0, PAN(source), 0 },
	{ NULL, C_STR, 0, 0, 0 },
};

/* Limits: 1e9 px per port and device, far above any 100G link; 1024 ports
 * and 16 bits per colour; 1000 Hz. */
static const col_t processor_cols[] = {
	{ "name", C_NAME, 1, PROC(name), 0 },
	{ "processor", C_NAME, 1, PROC(processor), 0 },
	{ "maker", C_STR, 0, PROC(maker), 0 },
	{ "model", C_STR, 0, PROC(model), 0 },
	{ "ports", C_INT, 1, PROC(ports), 1024 },
	{ "bits", C_INT, 1, PROC(bits), 16 },
	{ "fps", C_NUM, 1, PROC(fps), 1000 },
	{ "port_px", C_NUM, 1, PROC(port_px), 1e9 },
	{ "device_px", C_NUM, 0, PROC(device_px), 1e9 },
	{ "panels_per_port", C_INT, 0, PROC(panels_per_port), 100000 },
	{ "disagrees", C_STR, 0, PROC(disagrees), 0 },
	{ "source", C_STR, 1, PROC(source), 0 },
	{ NULL, C_STR, 0, 0, 0 },
};

static const col_t price_cols[] = {
	{ "name", C_NAME, 1, PRICE(name), 0 },
	{ "price_usd_low", C_NUM, 0, PRICE(price_usd_low), 1e9 },
	{ "price_usd_high", C_NUM, 0, PRICE(price_usd_high), 1e9 },
	{ "date", C_STR, 0, PRICE(date), 0 },
	{ "power_max_w", C_NUM, 0, PRICE(power_max_w), 100000 },
	{ "power_typ_w", C_NUM, 0, PRICE(power_typ_w), 100000 },
	{ "weight_kg", C_NUM, 0, PRICE(weight_kg), 10000 },
	{ "source", C_STR, 1, PRICE(source), 0 },
	{ NULL, C_STR, 0, 0, 0 },
};

static const col_t *kind_cols[VPM_CATALOG_KINDS] = { camera_cols, lens_cols, panel_cols,
						     processor_cols, price_cols };

static int find_col(const col_t *cols, const char *name)
{
	int i;

	for (i = 0; cols[i].name != NULL; i++)
		if (strcasecmp(cols[i].name, name) == 0)
			return i;
	return -1;
}

/* ------------------------------------------------------------ loading */

typedef struct {
	const char *file;
	long line;
	int col;
	const char *column; /* header name */
} where_t;

static vpm_status_t row_error(const where_t *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static vpm_status_t row_error(const where_t *w, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return vpm_error(VPM_EPARSE, "%s:%ld:%d: %s: %s", w->file, w->line, w->col, w->column, msg);
}

static int valid_name(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!isalnum(*p))
		return 0;
	for (; *p; p++)
		if (!isalnum(*p) && *p != '-' && *p != '.' && *p != '_' && *p != '+')
			return 0;
	return 1;
}

static vpm_status_t parse_mtf(const where_t *w, const char *text, vpm_lens_t *lens)
{
	char buf[512], *tok, *save = NULL;
	int n = 0;

	if (strlen(text) >= sizeof buf)
		return row_error(w, "%s", "too long");
	strcpy(buf, text);
	for (tok = strtok_r(buf, " \t;", &save); tok != NULL; tok = strtok_r(NULL, " \t;", &save)) {
		char *colon = strchr(tok, ':');
		double f, m;
		if (colon == NULL)
			return row_error(w, "'%s' is not a cy_mm:modulation pair", tok);
		*colon = '\0';
		if (vpm_units_parse_number(tok, &f) != VPM_OK ||
		    vpm_units_parse_number(colon + 1, &m) != VPM_OK)
			return row_error(w, "'%s' is not a cy_mm:modulation pair", text);
		if (n == VPM_LENS_MTF_MAX)
			return row_error(w, "more than 8 points in '%s'", text);
		if (!(f > 0.0 && f < 2000.0) || !(m > 0.0 && m <= 1.0))
			return row_error(
				w,
				"'%s': frequencies must be in (0, 2000) cy/mm and modulations in (0, 1]",
				text);
		if (n > 0 && f <= lens->mtf_cy_mm[n - 1])
			return row_error(w, "'%s': frequencies must increase", text);
		lens->mtf_cy_mm[n] = f;
		lens->mtf[n] = m;
		n++;
	}
	lens->mtf_n = n;
	return VPM_OK;
}

static vpm_status_t parse_cell(const where_t *w, const col_t *c, const char *text, void *item,
			       vpm_arena_t **arena)
{
	char *base = item;
	double v;
	vpm_status_t st;

	if (text[0] == '\0') {
		if (c->required)
			return row_error(w, "%s", "missing value");
		return VPM_OK;
	}
	switch (c->type) {
	case C_NAME:
		if (!valid_name(text))
			return row_error(w, "'%s' is not a valid name (letters, digits, - . _ +)",
					 text);
		/* fall through */
	case C_STR: {
		char *s = vpm_arena_strdup(arena, text);
		if (s == NULL)
			return vpm_error(VPM_ENOMEM, "%s:%ld: out of memory", w->file, w->line);
		*(const char **)(base + c->offset) = s;
		return VPM_OK;
	}
	case C_CFA: {
		static const char *cfas[] = { "bayer", "mono", "rgbw" };
		size_t i;
		for (i = 0; i < 3; i++)
			if (strcasecmp(text, cfas[i]) == 0) {
				*(const char **)(base + c->offset) = cfas[i];
				return VPM_OK;
			}
		return row_error(w, "'%s' is not a CFA (bayer, mono or rgbw)", text);
	}
	case C_MTF: return parse_mtf(w, text, item);
	case C_INT: {
		long n;
		st = vpm_units_parse_count(text, (long)c->max, &n);
		if (st != VPM_OK)
			return row_error(w, "'%s' is not a whole number above zero", text);
		*(int *)(base + c->offset) = (int)n;
		return VPM_OK;
	}
	case C_NUM:
	case C_FILL:
	case C_OLPF:
		st = vpm_units_parse_number(text, &v);
		if (st != VPM_OK) {
			double m;
			/* "2.5mm" in pitch_mm: the unit is in the column's name */
			if (vpm_units_parse_length(text, VPM_UNIT_M,
						   VPM_UNITS_ALLOW_ZERO | VPM_UNITS_ALLOW_NEGATIVE,
						   &m) == VPM_OK)
				return row_error(w,
						 "'%s' is not a number: write the bare number, in "
						 "the unit the column's name ends with",
						 text);
			return row_error(w, "'%s' is not a number", text);
		}
		if (c->type == C_OLPF ? !(v >= 0.0) : !(v > 0.0))
			return row_error(w, "'%s' must %s", text,
					 c->type == C_OLPF ? "not be negative"
							   : "be greater than zero");
		if (v > c->max)
			return row_error(w, "'%s' is above the limit of %g", text, c->max);
		*(double *)(base + c->offset) = v;
		return VPM_OK;
	}
	return vpm_error(VPM_EINTERNAL, "unknown column type");
}

/* Checks across cells of one row, after all cells are read. */
static vpm_status_t check_row(vpm_catalog_kind_t kind, void *item, const char *file, long line,
			      const int *colpos, const col_t *cols)
{
	where_t w = { file, line, 1, "" };

#define AT(colname)                                        \
	do {                                               \
		int ci_ = find_col(cols, colname);         \
		w.col = colpos[ci_] > 0 ? colpos[ci_] : 1; \
		w.column = colname;                        \
	} while (0)

	if (kind == VPM_CATALOG_CAMERAS) {
		vpm_camera_t *c = item;
		double derived = c->width_mm * 1000.0 / c->width_px;
		if (c->photosite_um == 0.0) {
			c->photosite_um = derived;
		} else if (fabs(c->photosite_um - derived) > 0.02 * derived) {
			char msg[160];
			AT("photosite_um");
			snprintf(msg, sizeof msg,
				 "%g µm disagrees with width_mm/width_px = %.3f µm",
				 c->photosite_um, derived);
			return row_error(&w, "%s", msg);
		}
		if (c->fill == 0.0)
			c->fill = 1.0;
		if (c->cfa == NULL)
			c->cfa = "bayer";
		if (c->model == NULL)
			c->model = c->name;
	} else if (kind == VPM_CATALOG_LENSES) {
		vpm_lens_t *l = item;
		if (l->min_t != 0.0 && l->min_t < l->max_t) {
			AT("min_t");
			return row_error(&w, "%s",
					 "the smallest opening (min_t) is below the widest (max_t)");
		}
		if (l->mtf_n > 0 && l->mtf_stop == 0.0) {
			AT("mtf_stop");
			return row_error(&w, "%s",
					 "an MTF curve needs the stop it was measured at");
		}
		if (l->mtf_n == 0)
			l->mtf_stop = 0.0;
		if (l->series == NULL)
			l->series = l->name;
		if (l->squeeze == 0.0)
			l->squeeze = 1.0;
		if (l->squeeze < 1.0) {
			AT("squeeze");
			return row_error(&w, "%s",
					 "an anamorphic squeeze is at least 1 (1 = spherical)");
		}
		if (l->squeeze_position != NULL && strcmp(l->squeeze_position, "front") != 0 &&
		    strcmp(l->squeeze_position, "rear") != 0) {
			AT("squeeze_position");
			return row_error(&w, "%s", "expected front or rear");
		}
		if (l->focal_max_mm != 0.0 && l->focal_max_mm <= l->focal_mm) {
			AT("focal_max_mm");
			return row_error(&w, "%s",
					 "a zoom's long end (focal_max_mm) must exceed focal_mm");
		}
		if (l->max_t_long != 0.0 && l->focal_max_mm == 0.0) {
			AT("max_t_long");
			return row_error(&w, "%s", "a stop ramp (max_t_long) needs focal_max_mm");
		}
		if (l->max_t_long != 0.0 && l->max_t_long < l->max_t) {
			AT("max_t_long");
			return row_error(
				&w, "%s",
				"the long end's widest stop is below the short end's (max_t)");
		}
		if (l->max_t_long != 0.0 && l->min_t != 0.0 && l->min_t < l->max_t_long) {
			AT("min_t");
			return row_error(
				&w, "%s",
				"the smallest opening (min_t) is below the long end's widest");
		}
	} else if (kind == VPM_CATALOG_PROCESSORS) {
		vpm_processor_t *p = item;
		if (p->device_px > 0.0 && p->device_px < p->port_px) {
			AT("device_px");
			return row_error(&w, "%s", "the device carries fewer pixels than one port");
		}
		if (p->model == NULL)
			p->model = p->processor;
	} else if (kind == VPM_CATALOG_PRICES) {
		vpm_price_t *p = item;
		if ((p->price_usd_low > 0.0) != (p->price_usd_high > 0.0)) {
			AT(p->price_usd_low > 0.0 ? "price_usd_high" : "price_usd_low");
			return row_error(&w, "%s",
					 "give both ends of the price range (or neither)");
		}
		if (p->price_usd_high < p->price_usd_low) {
			AT("price_usd_high");
			return row_error(&w, "%s", "the high price is below the low one");
		}
		if (p->price_usd_low > 0.0 && (p->date == NULL || p->date[0] == '\0')) {
			AT("date");
			return row_error(&w, "%s", "a price needs the date it was quoted");
		}
		if (p->power_typ_w > 0.0 && p->power_max_w > 0.0 &&
		    p->power_typ_w > p->power_max_w) {
			AT("power_typ_w");
			return row_error(&w, "%s", "typical power is above the maximum");
		}
	} else {
		vpm_panel_t *p = item;
		if (p->emitter_mm >= p->pitch_mm) {
			char msg[160];
			AT("emitter_mm");
			snprintf(msg, sizeof msg, "%g mm must be smaller than the pitch (%g mm)",
				 p->emitter_mm, p->pitch_mm);
			return row_error(&w, "%s", msg);
		}
		if (p->cabinet_w_mm > 0 && p->cabinet_px_w > 0) {
			double derived = p->cabinet_w_mm / p->cabinet_px_w;
			if (fabs(derived - p->pitch_mm) > 0.01 * p->pitch_mm) {
				char msg[160];
				AT("pitch_mm");
				snprintf(msg, sizeof msg,
					 "%g mm disagrees with cabinet_w_mm/cabinet_px_w = %.4f mm",
					 p->pitch_mm, derived);
				return row_error(&w, "%s", msg);
			}
		}
		if (p->model == NULL)
			p->model = p->name;
	}
#undef AT
	return VPM_OK;
}

static const char *item_name(vpm_catalog_kind_t kind, const void *item)
{
	const char *name = NULL;

	switch (kind) {
	case VPM_CATALOG_CAMERAS: name = ((const vpm_camera_t *)item)->name; break;
	case VPM_CATALOG_LENSES: name = ((const vpm_lens_t *)item)->name; break;
	case VPM_CATALOG_PANELS: name = ((const vpm_panel_t *)item)->name; break;
	case VPM_CATALOG_PROCESSORS: name = ((const vpm_processor_t *)item)->name; break;
	case VPM_CATALOG_PRICES: name = ((const vpm_price_t *)item)->name; break;
	case VPM_CATALOG_KINDS: break;
	}
	return name ? name : "";
}

static long item_line(vpm_catalog_kind_t kind, const void *item)
{
	switch (kind) {
	case VPM_CATALOG_CAMERAS: return ((const vpm_camera_t *)item)->line;
	case VPM_CATALOG_LENSES: return ((const vpm_lens_t *)item)->line;
	case VPM_CATALOG_PANELS: return ((const vpm_panel_t *)item)->line;
	case VPM_CATALOG_PROCESSORS: return ((const vpm_processor_t *)item)->line;
	case VPM_CATALOG_PRICES: return ((const vpm_price_t *)item)->line;
	case VPM_CATALOG_KINDS: break;
	}
	return 0;
}

static void item_set_origin(vpm_catalog_kind_t kind, void *item, const char *file, long line)
{
	switch (kind) {
	case VPM_CATALOG_CAMERAS:
		((vpm_camera_t *)item)->file = file;
		((vpm_camera_t *)item)->line = line;
		break;
	case VPM_CATALOG_LENSES:
		((vpm_lens_t *)item)->file = file;
		((vpm_lens_t *)item)->line = line;
		break;
	case VPM_CATALOG_PANELS:
		((vpm_panel_t *)item)->file = file;
		((vpm_panel_t *)item)->line = line;
		break;
	case VPM_CATALOG_PROCESSORS:
		((vpm_processor_t *)item)->file = file;
		((vpm_processor_t *)item)->line = line;
		break;
	case VPM_CATALOG_PRICES:
		((vpm_price_t *)item)->file = file;
		((vpm_price_t *)item)->line = line;
		break;
	case VPM_CATALOG_KINDS: break;
	}
}

static vpm_status_t detect_kind(const vpm_csv_row_t *hdr, const char *file,
				vpm_catalog_kind_t *kind)
{
	size_t i;

	for (i = 0; i < hdr->n; i++) {
		if (strcasecmp(hdr->field[i], "photosite_um") == 0 ||
		    strcasecmp(hdr->field[i], "width_px") == 0) {
			*kind = VPM_CATALOG_CAMERAS;
			return VPM_OK;
		}
		if (strcasecmp(hdr->field[i], "focal_mm") == 0) {
			*kind = VPM_CATALOG_LENSES;
			return VPM_OK;
		}
		if (strcasecmp(hdr->field[i], "pitch_mm") == 0) {
			*kind = VPM_CATALOG_PANELS;
			return VPM_OK;
		}
		if (strcasecmp(hdr->field[i], "port_px") == 0) {
			*kind = VPM_CATALOG_PROCESSORS;
			return VPM_OK;
		}
		if (strcasecmp(hdr->field[i], "price_usd_low") == 0) {
			*kind = VPM_CATALOG_PRICES;
			return VPM_OK;
		}
	}
	return vpm_error(
		VPM_EPARSE,
		"%s:%ld:1: not a catalog: the header needs width_px (cameras), focal_mm (lenses), "
		"pitch_mm (panels), port_px (processors) or price_usd_low (prices)",
		file, hdr->line);
}

VPM_STATUS_FN(vpm_catalog_load_file,
	      (vpm_catalog_t * cat, const char *path, vpm_catalog_kind_t *kind_out),
	      (cat, path, kind_out))
{
	vpm_csv_t *csv = NULL;
	vpm_csv_row_t row;
	vpm_catalog_kind_t kind = VPM_CATALOG_CAMERAS;
	const col_t *cols;
	vec_t fresh = { NULL, 0, 0, 0 }, *dest;
	vpm_arena_t *arena = NULL;
	int map[64], colpos[32], eof, ncols = 0;
	const char *file;
	vpm_nameset_t names; /* names of the rows read (case-insensitive) */
	vpm_status_t st;
	size_t i, j;

	vpm_nameset_init(&names, 1);
	if (cat == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "no catalog file given");
	st = vpm_csv_open(path, VPM_CSV_COMMENTS, &csv);
	if (st != VPM_OK)
		return st;
	st = vpm_csv_next(csv, &row, &eof);
	if (st != VPM_OK)
		goto out;
	if (eof) {
		st = vpm_error(VPM_EPARSE, "%s:1:1: empty catalog file: expected a header row",
			       path);
		goto out;
	}
	if ((st = detect_kind(&row, path, &kind)) != VPM_OK)
		goto out;
	if ((unsigned)kind >= VPM_CATALOG_KINDS) {
		st = vpm_error(VPM_EINVAL, "%s: unknown catalog kind", path);
		goto out;
	}
	cols = kind_cols[kind];
	dest = &cat->vec[kind];
	for (i = 0; cols[i].name != NULL; i++)
		ncols++;
	if (row.n > 64) {
		st = vpm_error(VPM_EPARSE, "%s:%ld:1: too many columns (%zu)", path, row.line,
			       row.n);
		goto out;
	}
	for (i = 0; i < (size_t)ncols; i++)
		colpos[i] = 0;
	for (i = 0; i < row.n; i++) {
		int ci = find_col(cols, row.field[i]);
		if (ci < 0) {
			st = vpm_error(VPM_EPARSE, "%s:%ld:%d: unknown %s column '%s'", path,
				       row.line, row.column[i], vpm_catalog_kind_name(kind),
				       row.field[i]);
			goto out;
		}
		for (j = 0; j < i; j++)
			if (map[j] == ci) {
				st = vpm_error(VPM_EPARSE, "%s:%ld:%d: column '%s' appears twice",
					       path, row.line, row.column[i], row.field[i]);
				goto out;
			}
		map[i] = ci;
		colpos[ci] = -1; /* present */
	}
	for (i = 0; i < (size_t)ncols; i++)
		if (cols[i].required && colpos[i] == 0) {
			st = vpm_error(VPM_EPARSE, "%s:%ld:1: missing column '%s'", path, row.line,
				       cols[i].name);
			goto out;
		}
	{
		size_t nheader = row.n;
		fresh.item_size = item_sizes[kind];
		file = vpm_arena_strdup(&arena, path);
		if (file == NULL) {
			st = vpm_error(VPM_ENOMEM, "out of memory reading %s", path);
			goto out;
		}
		for (;;) {
			void *item;
			st = vpm_csv_next(csv, &row, &eof);
			if (st != VPM_OK)
				goto out;
			if (eof)
				break;
			if (row.n != nheader) {
				int col = row.n > nheader ? row.column[nheader]
							  : row.column[row.n - 1];
				st = vpm_error(
					VPM_EPARSE,
					"%s:%ld:%d: expected %zu fields as in the header, found %zu",
					path, row.line, col, nheader, row.n);
				goto out;
			}
			item = vec_push(&fresh);
			if (item == NULL) {
				st = vpm_error(VPM_ENOMEM, "out of memory reading %s", path);
				goto out;
			}
			for (i = 0; i < (size_t)ncols; i++)
				colpos[i] = 0;
			for (i = 0; i < row.n; i++) {
				where_t w = { path, row.line, row.column[i], cols[map[i]].name };
				colpos[map[i]] = row.column[i];
				st = parse_cell(&w, &cols[map[i]], row.field[i], item, &arena);
				if (st != VPM_OK)
					goto out;
			}
			st = check_row(kind, item, path, row.line, colpos, cols);
			if (st != VPM_OK)
				goto out;
			item_set_origin(kind, item, file, row.line);
			{
				/* names live in the arena: stable while the rows move */
				int dup = 0;
				size_t first = 0;
				st = vpm_nameset_add(&names, item_name(kind, item), fresh.n - 1,
						     &dup, &first);
				if (st != VPM_OK)
					goto out;
				if (dup) {
					int ci = find_col(cols, "name");
					st = vpm_error(
						VPM_EPARSE,
						"%s:%ld:%d: name: '%s' is already used at line %ld",
						path, row.line, colpos[ci] > 0 ? colpos[ci] : 1,
						item_name(kind, item),
						item_line(kind, vec_at(&fresh, first)));
					goto out;
				}
			}
		}
	}
	/* Every row is good: merge, overriding entries of the same name (an
	 * index of the names already loaded, so that this is linear too). */
	vpm_nameset_free(&names);
	for (j = 0; j < dest->n; j++)
		if ((st = vpm_nameset_add(&names, item_name(kind, vec_at(dest, j)), j, NULL,
					  NULL)) != VPM_OK)
			goto out;
	for (i = 0; i < fresh.n; i++) {
		void *item = vec_at(&fresh, i), *dst = NULL;
		vec_t *v = dest;
		if (vpm_nameset_find(&names, item_name(kind, item), &j))
			dst = vec_at(v, j);
		if (dst == NULL && (dst = vec_push(v)) == NULL) {
			st = vpm_error(VPM_ENOMEM, "out of memory reading %s", path);
			goto out; /* entries merged so far stay valid: their strings are kept */
		}
		memcpy(dst, item, v->item_size);
	}
	vpm_arena_splice(&cat->arena, arena);
	arena = NULL;
	if (kind_out != NULL)
		*kind_out = kind;
	/* the look-up index of this kind, anew (merged rows may carry new name
	 * strings); without memory for it, look-ups scan */
	vpm_nameset_free(&cat->index[kind]);
	cat->indexed[kind] = 1;
	for (j = 0; j < dest->n && cat->indexed[kind]; j++)
		if (vpm_nameset_add(&cat->index[kind], item_name(kind, vec_at(dest, j)), j, NULL,
				    NULL) != VPM_OK)
			cat->indexed[kind] = 0;
	if (!cat->indexed[kind])
		vpm_nameset_free(&cat->index[kind]);
	st = VPM_OK;
out:
	if (st == VPM_ENOMEM && arena != NULL) {
		vpm_arena_splice(&cat->arena, arena); /* partially merged rows may point here */
		vpm_nameset_free(&cat->index[kind]);  /* and the index may be stale: scan */
		cat->indexed[kind] = 0;
	} else
		vpm_arena_free(arena);
	free(fresh.items);
	vpm_nameset_free(&names);
	vpm_csv_close(csv);
	return st;
}

VPM_STATUS_FN(vpm_catalog_load_dir, (vpm_catalog_t * cat, const char *dir), (cat, dir))
{
	static const char *files[] = { "cameras.csv", "lenses.csv", "panels.csv", "processors.csv",
				       "prices.csv" };
	char path[4096];
	int found = 0;
	size_t i;

	if (cat == NULL || dir == NULL)
		return vpm_error(VPM_EINVAL, "no catalog directory given");
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *fp;
		vpm_status_t st;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, files[i]) >= sizeof path)
			return vpm_error(VPM_EINVAL, "catalog directory path too long");
		fp = fopen(path, "rb");
		if (fp == NULL)
			continue;
		fclose(fp);
		if (i < 3)
			found++;
		st = vpm_catalog_load_file(cat, path, NULL);
		if (st != VPM_OK)
			return st;
	}
	if (found == 0)
		return vpm_error(VPM_ENOTFOUND,
				 "%s: no cameras.csv, lenses.csv or panels.csv there", dir);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_catalog_load_path, (vpm_catalog_t * cat, const char *list), (cat, list))
{
	size_t at = 0;

	if (cat == NULL)
		return vpm_error(VPM_EINVAL, "no catalog given");
	while (list != NULL && list[at] != '\0') {
		size_t len = strcspn(list + at, ":");
		char *entry;
		struct stat sb;
		vpm_status_t st;

		if (len == 0) { /* "a::b", a leading or trailing ':' */
			at++;
			continue;
		}
		if ((entry = strndup(list + at, len)) == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		st = stat(entry, &sb) == 0 && S_ISDIR(sb.st_mode)
			     ? vpm_catalog_load_dir(cat, entry)
			     : vpm_catalog_load_file(cat, entry, NULL);
		free(entry);
		if (st != VPM_OK)
			return st;
		at += len;
	}
	return VPM_OK;
}

/* ------------------------------------------------------------ lookup */

#define MAX_TOKENS 24
#define TOKEN_LEN 32

typedef struct {
	int n;
	char tok[MAX_TOKENS][TOKEN_LEN];
} tokens_t;

/* Lower-case alphanumerics only: "URSA Mini Pro 4.6K" -> "ursaminipro46k". */
static void normalise(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; s && *s && n + 1 < size; s++)
		if (isalnum((unsigned char)*s))
			out[n++] = (char)tolower((unsigned char)*s);
	out[n] = '\0';
}

/* Words of a text, normalised ("CP.3" -> "cp3"). */
static void add_tokens(tokens_t *t, const char *s)
{
	while (s && *s) {
		char word[TOKEN_LEN];
		size_t n = 0;
		while (*s && !isalnum((unsigned char)*s) && *s != '.')
			s++;
		while (*s && (isalnum((unsigned char)*s) || *s == '.')) {
			if (*s != '.' && n + 1 < sizeof word)
				word[n++] = (char)tolower((unsigned char)*s);
			s++;
		}
		word[n] = '\0';
		if (n > 0 && t->n < MAX_TOKENS)
			strcpy(t->tok[t->n++], word);
	}
}

static int has_token(const tokens_t *t, const char *w)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->tok[i], w) == 0)
			return 1;
	return 0;
}

/* Exact keys and words of an entry. */
static void entry_keys(vpm_catalog_kind_t kind, const void *item, char keys[][128], int *nkeys,
		       tokens_t *t)
{
	char buf[256];

	*nkeys = 0;
	t->n = 0;
#define KEY(...)                                        \
	do {                                            \
		snprintf(buf, sizeof buf, __VA_ARGS__); \
		normalise(buf, keys[(*nkeys)++], 128);  \
	} while (0)
	if (kind == VPM_CATALOG_CAMERAS) {
		const vpm_camera_t *c = item;
		const char *mk = c->maker ? c->maker : "", *md = c->mode ? c->mode : "";
		KEY("%s", c->name);
		KEY("%s", c->model);
		KEY("%s %s", mk, c->model);
		KEY("%s %s", c->model, md);
		KEY("%s %s %s", mk, c->model, md);
		add_tokens(t, c->name);
		add_tokens(t, mk);
		add_tokens(t, c->model);
		add_tokens(t, md);
	} else if (kind == VPM_CATALOG_LENSES) {
		const vpm_lens_t *l = item;
		const char *mk = l->maker ? l->maker : "";
		KEY("%s", l->name);
		KEY("%s %g", l->series, l->focal_mm);
		KEY("%s %gmm", l->series, l->focal_mm);
		KEY("%s %s %g", mk, l->series, l->focal_mm);
		KEY("%s %s %gmm", mk, l->series, l->focal_mm);
		add_tokens(t, l->name);
		add_tokens(t, mk);
		add_tokens(t, l->series);
		snprintf(buf, sizeof buf, "%g %gmm", l->focal_mm, l->focal_mm);
		add_tokens(t, buf);
	} else {
		const vpm_panel_t *p = item;
		const char *mk = p->maker ? p->maker : "";
		KEY("%s", p->name);
		KEY("%s", p->model);
		KEY("%s %s", mk, p->model);
		add_tokens(t, p->name);
		add_tokens(t, mk);
		add_tokens(t, p->model);
	}
#undef KEY
}

/* Distance from a query to an entry: the best over its keys, also allowing
 * the query to be a prefix or a part of a key. */
static size_t entry_distance(const char *q, char keys[][128], int nkeys)
{
	size_t best = (size_t)-1;
	int i;

	for (i = 0; i < nkeys; i++) {
		size_t d = vpm_edit_distance(q, keys[i]);
		if (q[0] != '\0' && strstr(keys[i], q) != NULL)
			d = d < 2 ? d : 2;
		if (d < best)
			best = d;
	}
	return best;
}

const void *vpm_catalog_lookup(const vpm_catalog_t *cat, vpm_catalog_kind_t kind, const char *name)
{
	const vec_t *v;
	size_t i;

	if (cat == NULL || name == NULL || (unsigned)kind >= VPM_CATALOG_KINDS)
		return NULL;
	v = &cat->vec[kind];
	if (cat->indexed[kind])
		return vpm_nameset_find(&cat->index[kind], name, &i) ? vec_at(v, i) : NULL;
	for (i = 0; i < v->n; i++)
		if (strcasecmp(item_name(kind, vec_at(v, i)), name) == 0)
			return vec_at(v, i);
	return NULL;
}

static vpm_status_t find_item(const vpm_catalog_t *cat, vpm_catalog_kind_t kind, const char *query,
			      const void **out)
{
	const vec_t *v = &cat->vec[kind];
	char q[128], keys[8][128];
	tokens_t qt, et;
	const void *exact = NULL, *word = NULL;
	int nexact = 0, nword = 0, nkeys, k;
	size_t i;
	const char *what = kind == VPM_CATALOG_CAMERAS	? "camera"
			   : kind == VPM_CATALOG_LENSES ? "lens"
							: "panel";
	char list[512] = "";

	normalise(query, q, sizeof q);
	qt.n = 0;
	add_tokens(&qt, query);
	if (q[0] == '\0') {
		/* nothing but blanks or punctuation (or bytes that are not ASCII):
		 * say what was typed, control bytes shown as '?' */
		char shown[48];
		size_t n;
		for (n = 0; query[n] != '\0' && n + 1 < sizeof shown; n++)
			shown[n] = ((unsigned char)query[n] < 0x20 || query[n] == 0x7f) ? '?'
											: query[n];
		shown[n] = '\0';
		if (query[strspn(query, " \t")] == '\0')
			return vpm_error(VPM_EINVAL, "empty %s name", what);
		return vpm_error(VPM_ENOTFOUND,
				 "'%s' is not a %s name: names are letters and digits (see "
				 "'vpmoire catalog list')",
				 shown, what);
	}

	/* 1. the name key itself, exactly (case-insensitive) */
	if (cat->indexed[kind]) {
		if (vpm_nameset_find(&cat->index[kind], query, &i)) {
			*out = vec_at(v, i);
			return VPM_OK;
		}
	} else {
		for (i = 0; i < v->n; i++)
			if (strcasecmp(item_name(kind, vec_at(v, i)), query) == 0) {
				*out = vec_at(v, i);
				return VPM_OK;
			}
	}
	/* 2. a normalised key; 3. all words of the query */
	for (i = 0; i < v->n; i++) {
		const void *item = vec_at(v, i);
		int all = qt.n > 0;
		entry_keys(kind, item, keys, &nkeys, &et);
		for (k = 0; k < nkeys; k++)
			if (strcmp(keys[k], q) == 0) {
				if (exact != item)
					nexact++;
				exact = item;
				break;
			}
		for (k = 0; k < qt.n; k++)
			if (!has_token(&et, qt.tok[k]))
				all = 0;
		if (all) {
			word = item;
			nword++;
			if (strlen(list) + 80 < sizeof list) {
				if (list[0])
					strcat(list, ", ");
				strcat(list, item_name(kind, item));
			}
		}
	}
	if (nexact == 1) {
		*out = exact;
		return VPM_OK;
	}
	if (nexact == 0 && nword == 1) {
		*out = word;
		return VPM_OK;
	}
	if (nexact > 1 || nword > 1)
		return vpm_error(VPM_EINVAL, "%s '%s' is ambiguous: it fits %s%s", what, query,
				 list, strlen(list) + 80 >= sizeof list ? ", ..." : "");

	/* not found: suggest the closest names */
	{
		const void *best[3] = { NULL, NULL, NULL };
		size_t bestd[3] = { (size_t)-1, (size_t)-1, (size_t)-1 };
		size_t limit = strlen(q) / 2 + 2;
		for (i = 0; i < v->n; i++) {
			const void *item = vec_at(v, i);
			size_t d;
			int s;
			entry_keys(kind, item, keys, &nkeys, &et);
			d = entry_distance(q, keys, nkeys);
			if (d > limit)
				continue;
			for (s = 0; s < 3; s++)
				if (d < bestd[s]) {
					int t;
					for (t = 2; t > s; t--) {
						best[t] = best[t - 1];
						bestd[t] = bestd[t - 1];
					}
					best[s] = item;
					bestd[s] = d;
					break;
				}
		}
		if (best[0] == NULL)
			return vpm_error(VPM_ENOTFOUND,
					 "unknown %s '%s' (see `vpmoire catalog list %s`)", what,
					 query, vpm_catalog_kind_name(kind));
		return vpm_error(VPM_ENOTFOUND, "unknown %s '%s': did you mean %s%s%s%s%s?", what,
				 query, item_name(kind, best[0]), best[1] ? ", " : "",
				 best[1] ? item_name(kind, best[1]) : "", best[2] ? " or " : "",
				 best[2] ? item_name(kind, best[2]) : "");
	}
}

VPM_STATUS_FN(vpm_catalog_find_camera,
	      (const vpm_catalog_t *cat, const char *name, const vpm_camera_t **out),
	      (cat, name, out))
{
	if (cat == NULL || name == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no camera name given");
	return find_item(cat, VPM_CATALOG_CAMERAS, name, (const void **)out);
}

VPM_STATUS_FN(vpm_catalog_find_lens,
	      (const vpm_catalog_t *cat, const char *name, const vpm_lens_t **out),
	      (cat, name, out))
{
	if (cat == NULL || name == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no lens name given");
	return find_item(cat, VPM_CATALOG_LENSES, name, (const void **)out);
}

VPM_STATUS_FN(vpm_catalog_find_panel,
	      (const vpm_catalog_t *cat, const char *name, const vpm_panel_t **out),
	      (cat, name, out))
{
	if (cat == NULL || name == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no panel name given");
	return find_item(cat, VPM_CATALOG_PANELS, name, (const void **)out);
}

static int by_focal(const void *a, const void *b)
{
	const vpm_lens_t *x = *(const vpm_lens_t *const *)a, *y = *(const vpm_lens_t *const *)b;

	return (x->focal_mm > y->focal_mm) - (x->focal_mm < y->focal_mm);
}

VPM_STATUS_FN(vpm_catalog_find_series,
	      (const vpm_catalog_t *cat, const char *series, const vpm_lens_t **out, size_t max,
	       size_t *n),
	      (cat, series, out, max, n))
{
	const vec_t *v;
	char q[128], key[128], seen[512] = "", best[128] = "";
	size_t i, found = 0, bestd = (size_t)-1;
	const char *match = NULL;

	if (cat == NULL || series == NULL || n == NULL || (out == NULL && max > 0))
		return vpm_error(VPM_EINVAL, "no lens series given");
	v = &cat->vec[VPM_CATALOG_LENSES];
	normalise(series, q, sizeof q);
	if (q[0] == '\0')
		return vpm_error(VPM_EINVAL, "empty lens series name");
	/* A series matches by its normalised name, with or without the maker,
	 * or by a unique part of it ("cp3" for "ZEISS CP.3"). */
	for (i = 0; i < v->n; i++) {
		const vpm_lens_t *l = vec_at(v, i);
		char full[256];
		normalise(l->series, key, sizeof key);
		snprintf(full, sizeof full, "%s %s", l->maker ? l->maker : "", l->series);
		normalise(full, full, sizeof full);
		if (strcmp(key, q) == 0 || strcmp(full, q) == 0) {
			match = l->series;
			break;
		}
	}
	if (match == NULL) {
		int nmatch = 0;
		for (i = 0; i < v->n; i++) {
			const vpm_lens_t *l = vec_at(v, i);
			normalise(l->series, key, sizeof key);
			if (strstr(key, q) != NULL &&
			    (match == NULL || strcasecmp(match, l->series) != 0)) {
				if (match != NULL && strcasecmp(match, l->series) != 0)
					nmatch++;
				else if (match == NULL)
					nmatch = 1;
				match = l->series;
			}
		}
		if (nmatch > 1)
			return vpm_error(VPM_EINVAL, "lens series '%s' is ambiguous", series);
	}
	if (match == NULL) {
		for (i = 0; i < v->n; i++) {
			const vpm_lens_t *l = vec_at(v, i);
			size_t d;
			normalise(l->series, key, sizeof key);
			d = vpm_edit_distance(q, key);
			if (d < bestd) {
				bestd = d;
				snprintf(best, sizeof best, "%s", l->series);
			}
			if (strstr(seen, l->series) == NULL &&
			    strlen(seen) + strlen(l->series) + 3 < sizeof seen) {
				if (seen[0])
					strcat(seen, ", ");
				strcat(seen, l->series);
			}
		}
		if (best[0] && bestd <= strlen(q) / 2 + 2)
			return vpm_error(VPM_ENOTFOUND,
					 "unknown lens series '%s': did you mean %s?", series,
					 best);
		return vpm_error(VPM_ENOTFOUND, "unknown lens series '%s' (known: %s)", series,
				 seen);
	}
	for (i = 0; i < v->n; i++) {
		const vpm_lens_t *l = vec_at(v, i);
		if (strcasecmp(l->series, match) != 0)
			continue;
		if (found < max)
			out[found] = l;
		found++;
	}
	if (found > max)
		found = max;
	if (out != NULL)
		qsort((void *)out, found, sizeof *out, by_focal);
	*n = found;
	return VPM_OK;
}

/* ------------------------------------------------------------ set-ups */

void vpm_setup_apply_panel(vpm_setup_t *s, const vpm_panel_t *p)
{
	s->pitch_mm = p->pitch_mm;
	s->emitter_mm = p->emitter_mm;
}

void vpm_setup_apply_camera(vpm_setup_t *s, const vpm_camera_t *c)
{
	s->photosite_um = c->photosite_um;
	s->width_px = c->width_px;
	s->olpf_um = c->olpf_um;
	s->fill = c->fill > 0.0 ? c->fill : 1.0;
	s->cfa = strcmp(c->cfa, "mono") == 0 ? VPM_CFA_MONO : VPM_CFA_BAYER;
	s->coc_mm = c->coc_mm;
}

void vpm_panel_override(vpm_panel_t *p, const vpm_setup_t *values, unsigned raw)
{
	if (raw & VPM_RAW_PITCH)
		p->pitch_mm = values->pitch_mm;
	if (raw & VPM_RAW_EMITTER)
		p->emitter_mm = values->emitter_mm;
}

void vpm_camera_override(vpm_camera_t *c, const vpm_setup_t *values, unsigned raw)
{
	if (raw & VPM_RAW_PHOTOSITE)
		c->photosite_um = values->photosite_um;
	if (raw & VPM_RAW_WIDTH_PX)
		c->width_px = values->width_px;
	if (raw & VPM_RAW_OLPF)
		c->olpf_um = values->olpf_um;
	if (raw & VPM_RAW_FILL)
		c->fill = values->fill;
	if (raw & VPM_RAW_CFA)
		c->cfa = values->cfa == VPM_CFA_MONO ? "mono" : "bayer";
	if (raw & VPM_RAW_COC)
		c->coc_mm = values->coc_mm;
}

void vpm_setup_from_catalog(const vpm_setup_t *defaults, unsigned raw, const vpm_panel_t *panel,
			    const vpm_camera_t *camera, const vpm_lens_t *lens, vpm_setup_t *out,
			    const vpm_lens_t **lens_used)
{
	vpm_setup_t s = *defaults;

	/* the raw numbers edit copies of the entries, so that they win */
	if (panel != NULL) {
		vpm_panel_t p = *panel;

		vpm_panel_override(&p, defaults, raw);
		vpm_setup_apply_panel(&s, &p);
	}
	if (camera != NULL) {
		vpm_camera_t c = *camera;

		vpm_camera_override(&c, defaults, raw);
		vpm_setup_apply_camera(&s, &c);
	}
	if (lens != NULL)
		vpm_setup_apply_lens(&s, lens);
	if (raw & VPM_RAW_PUPIL_EDGE)
		s.pupil_edge = defaults->pupil_edge;
	if (raw & VPM_RAW_TRANSMISSION)
		s.transmission = defaults->transmission;
	if (raw & VPM_RAW_SQUEEZE)
		s.squeeze = defaults->squeeze;
	if (raw & VPM_RAW_FOCAL) {
		s.focal_mm = defaults->focal_mm;
		if (lens != NULL && vpm_lens_is_zoom(lens) &&
		    !isnan(vpm_lens_max_t_at(lens, s.focal_mm))) {
			/* a zoom at a focal length of its range stays the lens;
			 * no curve is kept: it would be the short end's */
			if (fabs(lens->focal_mm - s.focal_mm) > 1e-9)
				s.lens_mtf_n = 0;
		} else if (lens != NULL && fabs(lens->focal_mm - s.focal_mm) > 1e-9) {
			lens = NULL; /* its curve belongs to the catalog focal length */
		}
	}
	if (lens == NULL)
		s.lens_mtf_n = 0;
	if (!(raw & VPM_RAW_STOP))
		s.stop = lens != NULL ? vpm_lens_max_t_at(lens, s.focal_mm) : 0.0;
	*out = s;
	if (lens_used != NULL)
		*lens_used = lens;
}

VPM_STATUS_FN(vpm_lens_check, (const vpm_lens_t *l, double stop, double focus_m),
	      (l, stop, focus_m))
{
	return vpm_lens_check_at(l, l ? l->focal_mm : 0.0, stop, focus_m);
}

VPM_STATUS_FN(vpm_lens_check_at,
	      (const vpm_lens_t *l, double focal_mm, double stop, double focus_m),
	      (l, focal_mm, stop, focus_m))
{
	const double rel = 1e-9; /* "T2.1" given as 2.1 must match a max_t of 2.1 */
	double max_t;

	if (!l)
		return VPM_OK;
	max_t = vpm_lens_max_t_at(l, focal_mm);
	if (vpm_lens_is_zoom(l) && isnan(max_t))
		return vpm_error(VPM_ERANGE, "--focal: %s zooms from %g to %g mm (%g mm given)",
				 l->name, l->focal_mm, l->focal_max_mm, focal_mm);
	if (isnan(max_t))
		max_t = l->max_t;
	if (stop < max_t * (1.0 - rel) || (l->min_t > 0.0 && stop > l->min_t * (1.0 + rel))) {
		if (l->min_t > 0.0)
			return vpm_error(VPM_ERANGE, "--stop: %s has no T%g (T%.3g to T%g)",
					 l->name, stop, max_t, l->min_t);
		return vpm_error(VPM_ERANGE, "--stop: %s opens only to T%.3g (T%g given)", l->name,
				 max_t, stop);
	}
	if (l->close_focus_m > 0.0 && isfinite(focus_m) && focus_m < l->close_focus_m * (1.0 - rel))
		return vpm_error(VPM_ERANGE,
				 "--focus: %s focuses no closer than %.3g m (focus %.3g m asked)",
				 l->name, l->close_focus_m, focus_m);
	return VPM_OK;
}

void vpm_setup_apply_lens(vpm_setup_t *s, const vpm_lens_t *l)
{
	int i;

	s->focal_mm = l->focal_mm;
	s->squeeze = l->squeeze > 0.0 ? l->squeeze : 1.0;
	/* a measured blur-spot edge, unless the set-up names its own */
	if (l->pupil_edge > 0.0 && s->pupil_edge < 0.0)
		s->pupil_edge = l->pupil_edge;
	/* the lens's own transmittance, unless the set-up names its own
	 * (--transmission wins, as --pupil-edge does); else the default */
	if (l->transmission > 0.0 && !(s->transmission > 0.0))
		s->transmission = l->transmission;
	s->lens_mtf_n = l->mtf_n;
	s->lens_mtf_stop = l->mtf_stop;
	for (i = 0; i < l->mtf_n && i < VPM_LENS_MTF_MAX; i++) {
		s->lens_mtf_cy_mm[i] = l->mtf_cy_mm[i];
		s->lens_mtf[i] = l->mtf[i];
	}
}

/* ------------------------------------------------------------ selection */

static const char *select_name(const vpm_catalog_t *cat, vpm_catalog_kind_t k, size_t i)
{
	switch (k) {
	case VPM_CATALOG_PANELS: return vpm_catalog_panel(cat, i)->name;
	case VPM_CATALOG_CAMERAS: return vpm_catalog_camera(cat, i)->name;
	default: return vpm_catalog_lens(cat, i)->name;
	}
}

static const void *select_at(const vpm_catalog_t *cat, vpm_catalog_kind_t k, size_t i)
{
	switch (k) {
	case VPM_CATALOG_PANELS: return vpm_catalog_panel(cat, i);
	case VPM_CATALOG_CAMERAS: return vpm_catalog_camera(cat, i);
	default: return vpm_catalog_lens(cat, i);
	}
}

/* The entries selected so far: the list, its capacity and a hash table of
 * the entries in it (open addressing on the pointer), so that "each entry
 * once" costs O(1) per entry, not a scan of the list (`--panels all` over
 * a catalog of a million rows). */
typedef struct {
	const void **list;
	size_t n, cap;
	const void **seen;
	size_t seen_cap; /* 0 or a power of two; at most half full */
} selection_t;

static size_t ptr_slot(const void *e, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)e;

	/* a 64-bit mix: the finaliser of splitmix64 (Steele, Lea and Flood,
	 * "Fast splittable pseudorandom number generators", OOPSLA 2014) */
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & mask;
}

/* 1 when e was in the table, 0 when added, -1 when out of memory. */
static int seen_add(selection_t *sel, const void *e)
{
	size_t i;

	if (2 * (sel->n + 1) > sel->seen_cap) {
		size_t nc = sel->seen_cap ? 2 * sel->seen_cap : 64, k;
		const void **nt = calloc(nc, sizeof *nt);
		if (nt == NULL)
			return -1;
		for (k = 0; k < sel->seen_cap; k++)
			if (sel->seen[k] != NULL) {
				for (i = ptr_slot(sel->seen[k], nc - 1); nt[i] != NULL;
				     i = (i + 1) & (nc - 1))
					;
				nt[i] = sel->seen[k];
			}
		free((void *)sel->seen);
		sel->seen = nt;
		sel->seen_cap = nc;
	}
	for (i = ptr_slot(e, sel->seen_cap - 1); sel->seen[i] != NULL;
	     i = (i + 1) & (sel->seen_cap - 1))
		if (sel->seen[i] == e)
			return 1;
	sel->seen[i] = e;
	return 0;
}

/* Append e unless already selected; VPM_ENOMEM. */
static vpm_status_t select_add(selection_t *sel, const void *e)
{
	int r = seen_add(sel, e);

	if (r < 0)
		return vpm_error(VPM_ENOMEM, "out of memory");
	if (r > 0)
		return VPM_OK; /* each entry once, where it first appears */
	if (sel->n == sel->cap) {
		size_t nc = sel->cap ? 2 * sel->cap : 16;
		const void **nl = realloc((void *)sel->list, nc * sizeof *nl);
		if (nl == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		sel->list = nl;
		sel->cap = nc;
	}
	sel->list[sel->n++] = e;
	return VPM_OK;
}

/* One item of a selection (blanks trimmed, not empty). */
static vpm_status_t select_item(const vpm_catalog_t *cat, vpm_catalog_kind_t k, char *t,
				selection_t *sel)
{
	size_t i, count = vpm_catalog_count(cat, k);
	const char *kind = k == VPM_CATALOG_PANELS    ? "panel"
			   : k == VPM_CATALOG_CAMERAS ? "camera"
						      : "lens";
	const void *e1 = NULL;
	vpm_status_t st = VPM_OK;

	if (strcasecmp(t, "all") == 0) {
		for (i = 0; i < count && st == VPM_OK; i++)
			st = select_add(sel, select_at(cat, k, i));
		return st;
	}
	if (strpbrk(t, "*?[") != NULL) {
		size_t found = 0;
		char *p;
		for (p = t; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		for (i = 0; i < count && st == VPM_OK; i++)
			if (fnmatch(t, select_name(cat, k, i), 0) == 0) {
				found++;
				st = select_add(sel, select_at(cat, k, i));
			}
		if (st == VPM_OK && found == 0)
			return vpm_error(VPM_ENOTFOUND,
					 "'%s' matches no %s (see 'vpmoire catalog list %ss')", t,
					 kind, k == VPM_CATALOG_LENSES ? "lense" : kind);
		return st;
	}
	if ((e1 = vpm_catalog_lookup(cat, k, t)) != NULL)
		return select_add(sel, e1);
	if (k == VPM_CATALOG_LENSES) {
		const vpm_lens_t *series[256];
		size_t ns = 0;
		if (vpm_catalog_find_series(cat, t, series, 256, &ns) == VPM_OK && ns > 0) {
			for (i = 0; i < ns && st == VPM_OK; i++)
				st = select_add(sel, series[i]);
			return st;
		}
	}
	if (k == VPM_CATALOG_PANELS) {
		const vpm_panel_t *p;
		st = vpm_catalog_find_panel(cat, t, &p);
		e1 = p;
	} else if (k == VPM_CATALOG_CAMERAS) {
		const vpm_camera_t *c;
		st = vpm_catalog_find_camera(cat, t, &c);
		e1 = c;
	} else {
		const vpm_lens_t *l;
		st = vpm_catalog_find_lens(cat, t, &l);
		e1 = l;
	}
	return st != VPM_OK ? st : select_add(sel, e1);
}

VPM_STATUS_FN(vpm_catalog_select,
	      (const vpm_catalog_t *cat, vpm_catalog_kind_t kind, const char *selection,
	       const void ***entries, size_t *n),
	      (cat, kind, selection, entries, n))
{
	char *copy, *item, *next;
	selection_t sel = { NULL, 0, 0, NULL, 0 };
	vpm_status_t st = VPM_OK;

	if (entries != NULL)
		*entries = NULL;
	if (n != NULL)
		*n = 0;
	if (cat == NULL || selection == NULL || entries == NULL || n == NULL ||
	    (kind != VPM_CATALOG_PANELS && kind != VPM_CATALOG_CAMERAS &&
	     kind != VPM_CATALOG_LENSES))
		return vpm_error(VPM_EINVAL, "vpm_catalog_select: no catalog or selection");
	if ((copy = strdup(selection)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	for (item = copy; item != NULL && st == VPM_OK; item = next) {
		char *t = item, *e;
		next = strchr(item, ',');
		if (next != NULL)
			*next++ = '\0';
		while (*t == ' ' || *t == '\t')
			t++;
		e = t + strlen(t);
		while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*t == '\0')
			st = vpm_error(VPM_EPARSE, "empty name in '%s'", selection);
		else
			st = select_item(cat, kind, t, &sel);
	}
	free(copy);
	free((void *)sel.seen);
	if (st != VPM_OK) {
		free((void *)sel.list);
		return st;
	}
	*entries = sel.list;
	*n = sel.n;
	return VPM_OK;
}
