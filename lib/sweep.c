/* Research sweeps: the study's index mapping, CSV rows, shards, and an
 * output that survives being killed (checkpoint and resume). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "vpmoire/atomic.h"
#include "vpmoire/geometry.h"
#include "vpmoire/plan.h"
#include "vpmoire/sweep.h"
#include "vpmoire/units.h"

/* The reference micro stage's subject: 5 ft in front of the wall. */
#define DEFAULT_GAP_M (5.0 * VPM_M_PER_FT)
#define DEFAULT_MAX_SETUPS 1000000000ULL
/* Relative slack for comparing stops and distances (float noise). */
#define REL_EPS 1e-9

typedef struct {
	size_t lens;
	double stop;
} lens_stop_t;

struct vpm_sweep {
	vpm_setup_t base;
	vpm_panel_t *panels;
	vpm_camera_t *cameras;
	vpm_lens_t *lenses;
	size_t n_panels, n_cameras, n_lenses;
	lens_stop_t *lens_stops;
	size_t n_lens_stops;
	vpm_sweep_focus_rule_t focus_rule;
	double subject_depth_m;
	/* numeric axes, never empty after vpm_sweep_alloc() */
	double *walls, *focus_axis, *rolls, *recording, *delivery;
	size_t n_walls, n_focus_axis, n_rolls, n_recording, n_delivery;
	uint64_t dims[VPM_SWEEP_DIMS];
	uint64_t count;
	char *description;
	size_t row_max;
	uint64_t hash; /* the whole study: the three below and the header */
	/* what makes a study: its flags (description, axes), the resolved
	 * catalog entries' values, and the model (version and options) */
	uint64_t id_flags, id_catalog, id_model;
};

/* ============================================================ identity */

/* FNV-1a 64, fed field by field (never whole structs: padding bytes are
 * not values).  Doubles are hashed by their bits, so a catalog value
 * edited in its last digit is a different study. */
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv_bytes(uint64_t x, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < n; i++)
		x = (x ^ p[i]) * FNV_PRIME;
	return x;
}

static uint64_t fnv_str(uint64_t x, const char *s)
{
	/* the terminating NUL too, so that "ab","c" and "a","bc" differ */
	return fnv_bytes(x, s ? s : "", strlen(s ? s : "") + 1);
}

static uint64_t fnv_num(uint64_t x, double v)
{
	uint64_t bits;

	if (v == 0.0)
		v = 0.0; /* -0 and +0 are the same value */
	memcpy(&bits, &v, sizeof bits);
	return fnv_bytes(x, &bits, sizeof bits);
}

static uint64_t fnv_int(uint64_t x, int64_t v)
{
	return fnv_bytes(x, &v, sizeof v);
}

/* Every value of a resolved catalog entry that can change a row: what
 * vpm_setup_apply_panel/camera/lens() copy into a set-up, the lens limits
 * the sweep checks (stops, close focus), and the names printed in the row.
 * Provenance (maker, source, file, line) does not change a row. */
static uint64_t id_catalog(const vpm_sweep_t *sw)
{
	uint64_t x = FNV_OFFSET;
	size_t i;
	int k;

	x = fnv_int(x, (int64_t)sw->n_panels);
	for (i = 0; i < sw->n_panels; i++) {
		const vpm_panel_t *p = &sw->panels[i];
		x = fnv_str(x, p->name);
		x = fnv_num(x, p->pitch_mm);
		x = fnv_num(x, p->emitter_mm);
	}
	x = fnv_int(x, (int64_t)sw->n_cameras);
	for (i = 0; i < sw->n_cameras; i++) {
		const vpm_camera_t *c = &sw->cameras[i];
		x = fnv_str(x, c->name);
		x = fnv_num(x, c->photosite_um);
		x = fnv_int(x, c->width_px);
		x = fnv_num(x, c->olpf_um);
		x = fnv_num(x, c->fill);
		x = fnv_str(x, c->cfa);
		x = fnv_num(x, c->coc_mm);
	}
	x = fnv_int(x, (int64_t)sw->n_lenses);
	for (i = 0; i < sw->n_lenses; i++) {
		const vpm_lens_t *l = &sw->lenses[i];
		x = fnv_str(x, l->name);
		x = fnv_num(x, l->focal_mm);
		x = fnv_num(x, l->max_t);
		x = fnv_num(x, l->min_t);
		x = fnv_num(x, l->close_focus_m);
		x = fnv_num(x, l->mtf_stop);
		x = fnv_num(x, l->pupil_edge);
		x = fnv_num(x, l->transmission);
		x = fnv_int(x, l->mtf_n);
		for (k = 0; k < l->mtf_n && k < VPM_LENS_MTF_MAX; k++) {
			x = fnv_num(x, l->mtf_cy_mm[k]);
			x = fnv_num(x, l->mtf[k]);
		}
	}
	return x;
}

/* The model: the program's version (its formulas and constants) and every
 * option of the base set-up that is not set per set-up. */
static uint64_t id_model(const vpm_sweep_t *sw)
{
	const vpm_setup_t *b = &sw->base;
	uint64_t x = FNV_OFFSET;

	x = fnv_str(x, PACKAGE_VERSION);
	x = fnv_num(x, VPM_FIELD_PUPIL_EDGE);
	x = fnv_num(x, VPM_FIELD_TRANSMISSION);
	x = fnv_num(x, b->transmission);
	x = fnv_int(x, b->model);
	x = fnv_int(x, b->viewing);
	x = fnv_int(x, b->resample);
	x = fnv_int(x, b->band);
	x = fnv_int(x, b->chroma);
	x = fnv_num(x, b->pupil_edge);
	x = fnv_num(x, b->content_contrast);
	x = fnv_num(x, b->aspect);
	x = fnv_num(x, b->view_heights);
	x = fnv_num(x, b->luminance_cd_m2);
	x = fnv_num(x, b->grade_gain);
	x = fnv_num(x, b->tolerance);
	x = fnv_num(x, b->caution_at);
	x = fnv_num(x, b->risky_at);
	return x;
}

static uint64_t fnv_axis(uint64_t x, const double *v, size_t n)
{
	size_t i;

	x = fnv_int(x, (int64_t)n);
	for (i = 0; i < n; i++)
		x = fnv_num(x, v[i]);
	return x;
}

/* The flags: the description the caller gave and the axes it resolved to. */
static uint64_t id_flags(const vpm_sweep_t *sw)
{
	uint64_t x = FNV_OFFSET;
	size_t i;

	x = fnv_str(x, sw->description);
	x = fnv_int(x, (int64_t)sw->count);
	x = fnv_int(x, sw->focus_rule);
	x = fnv_num(x, sw->subject_depth_m);
	x = fnv_int(x, (int64_t)sw->n_lens_stops);
	for (i = 0; i < sw->n_lens_stops; i++) {
		x = fnv_int(x, (int64_t)sw->lens_stops[i].lens);
		x = fnv_num(x, sw->lens_stops[i].stop);
	}
	x = fnv_axis(x, sw->walls, sw->n_walls);
	x = fnv_axis(x, sw->focus_axis, sw->n_focus_axis);
	x = fnv_axis(x, sw->rolls, sw->n_rolls);
	x = fnv_axis(x, sw->recording, sw->n_recording);
	x = fnv_axis(x, sw->delivery, sw->n_delivery);
	return x;
}

/* ============================================================ axes */

/* Round to 12 significant digits: a range's 1.5 + 3 × 0.1 becomes 1.8, so
 * the value computed is the value printed (and what `check` would read). */
static double round12(double v)
{
	char buf[40];

	if (!isfinite(v) || v == 0.0)
		return v;
	snprintf(buf, sizeof buf, "%.12g", v);
	return strtod(buf, NULL);
}

static vpm_status_t parse_value(const char *text, vpm_sweep_kind_t kind, unsigned flags, double *v)
{
	switch (kind) {
	case VPM_SWEEP_LENGTH_M: return vpm_units_parse_length(text, VPM_UNIT_M, flags, v);
	case VPM_SWEEP_STOP: return vpm_units_parse_stop(text, v);
	case VPM_SWEEP_ANGLE_DEG: return vpm_units_parse_angle(text, v);
	case VPM_SWEEP_PIXELS: {
		long n;
		vpm_status_t st;
		if (strcasecmp(text, "none") == 0) {
			*v = 0.0;
			return VPM_OK;
		}
		st = vpm_units_parse_count(text, 1000000, &n);
		if (st == VPM_OK)
			*v = (double)n;
		return st;
	}
	}
	return vpm_error(VPM_EINVAL, "unknown axis kind");
}

/* A range's step, in the unit of its ends; any sign is accepted here so
 * that the caller can say "must be positive". */
static vpm_status_t parse_step(const char *text, vpm_sweep_kind_t kind, double *v)
{
	switch (kind) {
	case VPM_SWEEP_LENGTH_M:
		return vpm_units_parse_length(text, VPM_UNIT_M,
					      VPM_UNITS_ALLOW_ZERO | VPM_UNITS_ALLOW_NEGATIVE, v);
	case VPM_SWEEP_ANGLE_DEG: return vpm_units_parse_angle(text, v);
	case VPM_SWEEP_STOP:
	case VPM_SWEEP_PIXELS: {
		const char *t = text;
		if (kind == VPM_SWEEP_STOP && (*t == 'T' || *t == 't'))
			t++;
		return vpm_units_parse_number(t, v);
	}
	}
	return vpm_error(VPM_EINVAL, "unknown axis kind");
}

static vpm_status_t axis_push(vpm_sweep_axis_t *a, size_t *cap, size_t max, double v)
{
	if (a->n >= max)
		return vpm_error(VPM_ERANGE, "more than %zu values", max);
	if (a->n == *cap) {
		size_t nc = *cap ? 2 * *cap : 16;
		double *nv;
		if (nc > max)
			nc = max;
		nv = realloc(a->values, nc * sizeof *nv);
		if (nv == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		a->values = nv;
		*cap = nc;
	}
	a->values[a->n++] = v;
	return VPM_OK;
}

/* Trim blanks in place; returns the start. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

static vpm_status_t parse_item(char *item, vpm_sweep_kind_t kind, unsigned flags, size_t max,
			       vpm_sweep_axis_t *a, size_t *cap)
{
	char *c1 = strchr(item, ':'), *c2;
	double lo, hi, step, q;
	uint64_t n, i;
	vpm_status_t st;

	if (c1 == NULL) {
		double v;
		if ((st = parse_value(item, kind, flags, &v)) != VPM_OK)
			return st;
		return axis_push(a, cap, max, v);
	}
	c2 = strchr(c1 + 1, ':');
	if (c2 == NULL || strchr(c2 + 1, ':') != NULL)
		return vpm_error(VPM_EPARSE,
				 "'%s' is not a range: expected START:END:STEP, e.g. 1.5m:8m:0.1m",
				 item);
	*c1 = '\0';
	*c2 = '\0';
	{
		char *ta = trim(item), *tb = trim(c1 + 1), *ts = trim(c2 + 1);
		unsigned fl = flags & ~(unsigned)VPM_UNITS_ALLOW_INF;
		if ((st = parse_value(ta, kind, fl, &lo)) != VPM_OK ||
		    (st = parse_value(tb, kind, fl, &hi)) != VPM_OK)
			return vpm_error_prefix(st, "range %s:%s:%s", ta, tb, ts);
		if ((st = parse_step(ts, kind, &step)) != VPM_OK)
			return vpm_error_prefix(st, "range %s:%s:%s: step", ta, tb, ts);
		if (!(step > 0.0))
			return vpm_error(VPM_ERANGE,
					 "range %s:%s:%s: the step must be greater than zero", ta,
					 tb, ts);
		if (kind == VPM_SWEEP_PIXELS && (step != floor(step) || lo == 0.0 || hi == 0.0))
			return vpm_error(
				VPM_ERANGE,
				"range %s:%s:%s: pixel ranges take whole numbers above zero", ta,
				tb, ts);
		q = (hi - lo) / step;
		if (q < -REL_EPS)
			return vpm_error(VPM_ERANGE, "range %s:%s:%s: the end lies below the start",
					 ta, tb, ts);
		if (!(q + 1.0 <= (double)max))
			return vpm_error(
				VPM_ERANGE,
				"range %s:%s:%s has %.0f values, more than %zu: use a coarser step",
				ta, tb, ts, floor(q + REL_EPS) + 1.0, max);
		n = (uint64_t)floor(q + REL_EPS) + 1;
		for (i = 0; i < n; i++) {
			double v = round12(lo + (double)i * step);
			if (kind == VPM_SWEEP_PIXELS)
				v = floor(v + 0.5);
			if ((st = axis_push(a, cap, max, v)) != VPM_OK)
				return vpm_error_prefix(st, "range %s:%s:%s", ta, tb, ts);
		}
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_axis_parse,
	      (const char *text, vpm_sweep_kind_t kind, unsigned flags, size_t max_values,
	       vpm_sweep_axis_t *axis),
	      (text, kind, flags, max_values, axis))
{
	vpm_sweep_axis_t a = { NULL, 0, NULL };
	size_t cap = 0;
	char *copy, *item;
	vpm_status_t st = VPM_OK;

	if (text == NULL || axis == NULL)
		return vpm_error(VPM_EINVAL, "no values given");
	if (max_values == 0 || max_values > VPM_SWEEP_AXIS_MAX)
		max_values = VPM_SWEEP_AXIS_MAX;
	copy = strdup(text);
	a.text = strdup(text);
	if (copy == NULL || a.text == NULL) {
		free(copy);
		free(a.text);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	/* strtok would skip empty items; an empty item is an error */
	item = copy;
	for (;;) {
		char *comma = strchr(item, ',');
		char *t;
		if (comma != NULL)
			*comma = '\0';
		t = trim(item);
		if (*t == '\0') {
			st = vpm_error(VPM_EPARSE,
				       "'%s': empty value in the list (expected e.g. 2.8,4,5.6)",
				       text);
			break;
		}
		if ((st = parse_item(t, kind, flags, max_values, &a, &cap)) != VPM_OK)
			break;
		if (comma == NULL)
			break;
		item = comma + 1;
	}
	free(copy);
	if (st != VPM_OK) {
		vpm_sweep_axis_free(&a);
		return st;
	}
	*axis = a;
	return VPM_OK;
}

void vpm_sweep_axis_free(vpm_sweep_axis_t *axis)
{
	if (axis == NULL)
		return;
	free(axis->values);
	free(axis->text);
	axis->values = NULL;
	axis->text = NULL;
	axis->n = 0;
}

/* ============================================================ study */

vpm_sweep_study_t vpm_sweep_study_default(void)
{
	vpm_sweep_study_t s;

	memset(&s, 0, sizeof s);
	s.base = vpm_setup_default();
	s.stop_mode = VPM_SWEEP_STOPS_LIST;
	s.focus_rule = VPM_SWEEP_FOCUS_SUBJECT;
	return s;
}

void vpm_sweep_free(vpm_sweep_t *sw)
{
	if (sw == NULL)
		return;
	free(sw->panels);
	free(sw->cameras);
	free(sw->lenses);
	free(sw->lens_stops);
	free(sw->walls);
	free(sw->focus_axis);
	free(sw->rolls);
	free(sw->recording);
	free(sw->delivery);
	free(sw->description);
	free(sw);
}

static void *dup_array(const void *src, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = malloc(n * size);
	if (p != NULL)
		memcpy(p, src, n * size);
	return p;
}

/* Copy an axis, or a single default value when it is empty. */
static vpm_status_t take_axis(const vpm_sweep_axis_t *a, double dflt, double **out, size_t *n)
{
	if (a->n == 0) {
		*out = malloc(sizeof **out);
		if (*out == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		(*out)[0] = dflt;
		*n = 1;
		return VPM_OK;
	}
	*out = dup_array(a->values, a->n, sizeof **out);
	if (*out == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	*n = a->n;
	return VPM_OK;
}

static const double full_stops[] = { 1.0, 1.4, 2.0, 2.8, 4.0, 5.6, 8.0, 11.0, 16.0, 22.0 };

/* The stops of one lens under a lens stop mode (at most 1 + series). */
static size_t lens_stops(const vpm_lens_t *l, vpm_sweep_stops_t mode, double *out)
{
	const double *series;
	size_t n = 0, i, ns;
	double narrow = l->min_t > 0.0 ? l->min_t : 22.0;

	if (mode == VPM_SWEEP_STOPS_LENS) {
		series = full_stops;
		ns = sizeof full_stops / sizeof full_stops[0];
	} else {
		series = vpm_plan_stop_series(&ns);
	}
	out[n++] = l->max_t;
	for (i = 0; i < ns; i++)
		if (series[i] > l->max_t * (1.0 + REL_EPS) && series[i] <= narrow * (1.0 + REL_EPS))
			out[n++] = series[i];
	return n;
}

static size_t name_len(const char *s)
{
	return s ? strlen(s) : 0;
}

VPM_STATUS_FN(vpm_sweep_alloc, (const vpm_sweep_study_t *st_in, vpm_sweep_t **out), (st_in, out))
{
	vpm_sweep_t *sw;
	vpm_status_t st;
	size_t i, j, nseries, maxname[3] = { 0, 0, 0 };
	uint64_t max, count;
	const vpm_sweep_study_t *s = st_in;

	if (out == NULL || s == NULL)
		return vpm_error(VPM_EINVAL, "sweep: NULL argument");
	*out = NULL;
	if (s->n_panels == 0 || s->panels == NULL)
		return vpm_error(VPM_EINVAL, "the study has no LED panel");
	if (s->n_cameras == 0 || s->cameras == NULL)
		return vpm_error(VPM_EINVAL, "the study has no camera");
	if (s->n_lenses == 0 || s->lenses == NULL)
		return vpm_error(VPM_EINVAL, "the study has no lens");
	if (s->walls.n == 0)
		return vpm_error(VPM_EINVAL, "the study has no wall distance");
	if (s->stop_mode == VPM_SWEEP_STOPS_LIST && s->stops.n == 0)
		return vpm_error(VPM_EINVAL, "the study has no stop");
	if (s->focus_rule == VPM_SWEEP_FOCUS_FIXED && s->focus.n == 0)
		return vpm_error(VPM_EINVAL, "the study has no focus distance");
	if (!(s->subject_depth_m >= 0.0) || !isfinite(s->subject_depth_m))
		return vpm_error(VPM_EINVAL, "the subject depth must be zero or positive");
	if (s->description != NULL && strpbrk(s->description, "\r\n") != NULL)
		return vpm_error(VPM_EINVAL, "the study description must be one line");
	if (s->stop_mode != VPM_SWEEP_STOPS_LIST)
		for (i = 0; i < s->n_lenses; i++)
			if (!(s->lenses[i].max_t > 0.0))
				return vpm_error(
					VPM_EINVAL,
					"the lens's own stops need catalog lenses (%s has no "
					"stop range): give the stops as numbers",
					s->lenses[i].name ? s->lenses[i].name
							  : "a lens given by --focal");

	sw = calloc(1, sizeof *sw);
	if (sw == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	sw->base = s->base;
	sw->focus_rule = s->focus_rule;
	sw->subject_depth_m = s->subject_depth_m;
	sw->n_panels = s->n_panels;
	sw->n_cameras = s->n_cameras;
	sw->n_lenses = s->n_lenses;
	sw->panels = dup_array(s->panels, s->n_panels, sizeof *sw->panels);
	sw->cameras = dup_array(s->cameras, s->n_cameras, sizeof *sw->cameras);
	sw->lenses = dup_array(s->lenses, s->n_lenses, sizeof *sw->lenses);
	sw->description = strdup(s->description ? s->description : "");
	vpm_plan_stop_series(&nseries);
	if (s->stop_mode == VPM_SWEEP_STOPS_LIST)
		sw->lens_stops = calloc(s->n_lenses * s->stops.n, sizeof *sw->lens_stops);
	else
		sw->lens_stops = calloc(s->n_lenses * (nseries + 1), sizeof *sw->lens_stops);
	if (sw->panels == NULL || sw->cameras == NULL || sw->lenses == NULL ||
	    sw->description == NULL || sw->lens_stops == NULL) {
		vpm_sweep_free(sw);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	for (i = 0; i < s->n_lenses; i++) {
		if (s->stop_mode == VPM_SWEEP_STOPS_LIST) {
			for (j = 0; j < s->stops.n; j++) {
				sw->lens_stops[sw->n_lens_stops].lens = i;
				sw->lens_stops[sw->n_lens_stops++].stop = s->stops.values[j];
			}
		} else {
			double stops[64];
			size_t n = lens_stops(&s->lenses[i], s->stop_mode, stops);
			for (j = 0; j < n; j++) {
				sw->lens_stops[sw->n_lens_stops].lens = i;
				sw->lens_stops[sw->n_lens_stops++].stop = stops[j];
			}
		}
	}
	st = take_axis(&s->walls, 0.0, &sw->walls, &sw->n_walls);
	if (st == VPM_OK) {
		if (s->focus_rule == VPM_SWEEP_FOCUS_FIXED)
			st = take_axis(&s->focus, 0.0, &sw->focus_axis, &sw->n_focus_axis);
		else if (s->focus_rule == VPM_SWEEP_FOCUS_WALL)
			st = take_axis(&(vpm_sweep_axis_t){ NULL, 0, NULL }, NAN, &sw->focus_axis,
				       &sw->n_focus_axis);
		else
			st = take_axis(&s->gaps, DEFAULT_GAP_M, &sw->focus_axis, &sw->n_focus_axis);
	}
	if (st == VPM_OK)
		st = take_axis(&s->rolls, s->base.roll_deg, &sw->rolls, &sw->n_rolls);
	if (st == VPM_OK)
		st = take_axis(&s->recording, s->base.recording_px, &sw->recording,
			       &sw->n_recording);
	if (st == VPM_OK)
		st = take_axis(&s->delivery, s->base.delivery_px, &sw->delivery, &sw->n_delivery);
	if (st != VPM_OK) {
		vpm_sweep_free(sw);
		return st;
	}

	sw->dims[0] = sw->n_panels;
	sw->dims[1] = sw->n_cameras;
	sw->dims[2] = sw->n_lens_stops;
	sw->dims[3] = sw->n_walls;
	sw->dims[4] = sw->n_focus_axis;
	sw->dims[5] = sw->n_rolls;
	sw->dims[6] = sw->n_recording;
	sw->dims[7] = sw->n_delivery;
	max = s->max_setups ? s->max_setups : DEFAULT_MAX_SETUPS;
	count = 1;
	for (i = 0; i < VPM_SWEEP_DIMS; i++) {
		if (sw->dims[i] != 0 && count > UINT64_MAX / sw->dims[i]) {
			count = UINT64_MAX;
			break;
		}
		count *= sw->dims[i];
	}
	if (count > max) {
		double c = 1.0;
		for (i = 0; i < VPM_SWEEP_DIMS; i++)
			c *= (double)sw->dims[i];
		st = vpm_error(
			VPM_ELIMIT,
			"the study has %.4g set-ups, more than the limit of %" PRIu64 " (%" PRIu64
			" panels x %" PRIu64 " cameras x %" PRIu64 " lens-stops x %" PRIu64
			" walls x %" PRIu64 " gaps/focus x %" PRIu64 " rolls x %" PRIu64
			" recording x %" PRIu64
			" delivery): use coarser steps or fewer entries, or raise --max-setups",
			c, max, sw->dims[0], sw->dims[1], sw->dims[2], sw->dims[3], sw->dims[4],
			sw->dims[5], sw->dims[6], sw->dims[7]);
		vpm_sweep_free(sw);
		return st;
	}
	sw->count = count;

	for (i = 0; i < sw->n_panels; i++)
		if (name_len(sw->panels[i].name) > maxname[0])
			maxname[0] = name_len(sw->panels[i].name);
	for (i = 0; i < sw->n_cameras; i++)
		if (name_len(sw->cameras[i].name) > maxname[1])
			maxname[1] = name_len(sw->cameras[i].name);
	for (i = 0; i < sw->n_lenses; i++)
		if (name_len(sw->lenses[i].name) > maxname[2])
			maxname[2] = name_len(sw->lenses[i].name);
	/* 3 names, 28 numbers of at most 24 bytes, a status, a channel, a
	 * risk, commas and the newline */
	sw->row_max = maxname[0] + maxname[1] + maxname[2] + 28 * 24 + 3 * 32 + 64;

	sw->id_flags = id_flags(sw);
	sw->id_catalog = id_catalog(sw);
	sw->id_model = id_model(sw);
	{
		/* the whole study: its three parts and the CSV header */
		uint64_t x = FNV_OFFSET;
		x = fnv_int(x, (int64_t)sw->id_flags);
		x = fnv_int(x, (int64_t)sw->id_catalog);
		x = fnv_int(x, (int64_t)sw->id_model);
		sw->hash = fnv_str(x, vpm_sweep_header());
	}
	*out = sw;
	return VPM_OK;
}

uint64_t vpm_sweep_count(const vpm_sweep_t *sw)
{
	return sw ? sw->count : 0;
}

uint64_t vpm_sweep_hash(const vpm_sweep_t *sw)
{
	return sw ? sw->hash : 0;
}

uint64_t vpm_sweep_id_flags(const vpm_sweep_t *sw)
{
	return sw ? sw->id_flags : 0;
}

uint64_t vpm_sweep_id_catalog(const vpm_sweep_t *sw)
{
	return sw ? sw->id_catalog : 0;
}

uint64_t vpm_sweep_id_model(const vpm_sweep_t *sw)
{
	return sw ? sw->id_model : 0;
}

void vpm_sweep_dims(const vpm_sweep_t *sw, uint64_t dims[VPM_SWEEP_DIMS])
{
	memcpy(dims, sw->dims, sizeof sw->dims);
}

size_t vpm_sweep_row_max(const vpm_sweep_t *sw)
{
	return sw->row_max;
}

uint64_t vpm_sweep_block_rows(const vpm_sweep_t *sw)
{
	/* back-of-dof set-ups cost a few hundred evaluations each: small
	 * blocks keep the threads evenly loaded */
	return sw != NULL && sw->focus_rule == VPM_SWEEP_FOCUS_BACK_OF_DOF ? 2 : 64;
}

const char *vpm_sweep_reason_name(vpm_sweep_reason_t r)
{
	switch (r) {
	case VPM_SWEEP_OK: return "ok";
	case VPM_SWEEP_STOP_OUTSIDE_LENS: return "stop-outside-lens";
	case VPM_SWEEP_SUBJECT_BEHIND_WALL: return "subject-behind-wall";
	case VPM_SWEEP_SUBJECT_BEHIND_CAMERA: return "subject-behind-camera";
	case VPM_SWEEP_FOCUS_TOO_CLOSE: return "focus-too-close";
	case VPM_SWEEP_DOF_TOO_SHALLOW: return "dof-too-shallow";
	case VPM_SWEEP_IMPOSSIBLE: return "impossible-geometry";
	case VPM_SWEEP_OUT_OF_RANGE: return "out-of-range";
	case VPM_SWEEP_INVALID: return "invalid";
	case VPM_SWEEP_LIMIT: return "predictor-limit";
	}
	return "invalid";
}

/* Can lens l focus at x (m, from the sensor)?  No thin lens focuses within
 * 4f; a catalog lens not closer than its close-focus mark. */
static int focus_reachable(const vpm_lens_t *l, double focal_mm, double x)
{
	if (!(x > vpm_geometry_closest_focus_m(focal_mm, 0.0, 1.0)))
		return 0;
	return !(l->close_focus_m > 0.0 && x < l->close_focus_m * (1.0 - REL_EPS));
}

VPM_STATUS_FN(vpm_sweep_point, (const vpm_sweep_t *sw, uint64_t index, vpm_sweep_point_t *pt),
	      (sw, index, pt))
{
	uint64_t q;
	const lens_stop_t *ls;
	const vpm_lens_t *lens;
	vpm_setup_t *s;
	double fa;

	if (sw == NULL || pt == NULL)
		return vpm_error(VPM_EINVAL, "sweep: NULL argument");
	if (index >= sw->count)
		return vpm_error(VPM_EINVAL, "set-up %" PRIu64 " is beyond the study's %" PRIu64,
				 index, sw->count);
	pt->index = index;
	q = index;
	/* mixed radix, the last axis fastest */
	pt->delivery = (size_t)(q % sw->dims[7]);
	q /= sw->dims[7];
	pt->recording = (size_t)(q % sw->dims[6]);
	q /= sw->dims[6];
	pt->roll = (size_t)(q % sw->dims[5]);
	q /= sw->dims[5];
	pt->focus_axis = (size_t)(q % sw->dims[4]);
	q /= sw->dims[4];
	pt->wall = (size_t)(q % sw->dims[3]);
	q /= sw->dims[3];
	ls = &sw->lens_stops[q % sw->dims[2]];
	q /= sw->dims[2];
	pt->camera = (size_t)(q % sw->dims[1]);
	q /= sw->dims[1];
	pt->panel = (size_t)q;
	pt->lens = ls->lens;
	lens = &sw->lenses[ls->lens];

	s = &pt->setup;
	/* the entries carry the raw numbers already (vpm_panel_override(),
	 * vpm_camera_override()); the stop is the study's */
	vpm_setup_from_catalog(&sw->base, VPM_RAW_STOP, &sw->panels[pt->panel],
			       &sw->cameras[pt->camera], lens, s, NULL);
	s->stop = ls->stop;
	s->wall_m = sw->walls[pt->wall];
	s->roll_deg = sw->rolls[pt->roll];
	s->recording_px = (int)sw->recording[pt->recording];
	s->delivery_px = (int)sw->delivery[pt->delivery];
	pt->stop = s->stop;
	pt->wall_m = s->wall_m;
	pt->subject_gap_m = NAN;
	pt->subject_m = NAN;
	pt->reason = VPM_SWEEP_OK;
	fa = sw->focus_axis[pt->focus_axis];

	switch (sw->focus_rule) {
	case VPM_SWEEP_FOCUS_SUBJECT:
	case VPM_SWEEP_FOCUS_BACK_OF_DOF: {
		double half = 0.5 * sw->subject_depth_m;
		pt->subject_gap_m = fa;
		pt->subject_m = round12(s->wall_m - fa);
		s->focus_m = pt->subject_m;
		pt->focus_m = sw->focus_rule == VPM_SWEEP_FOCUS_SUBJECT ? s->focus_m : NAN;
		if (sw->focus_rule == VPM_SWEEP_FOCUS_SUBJECT ? fa - half < 0.0 : fa - half <= 0.0)
			pt->reason = VPM_SWEEP_SUBJECT_BEHIND_WALL;
		else if (!(pt->subject_m - half > 0.0))
			pt->reason = VPM_SWEEP_SUBJECT_BEHIND_CAMERA;
		else if (!focus_reachable(lens, s->focal_mm,
					  sw->focus_rule == VPM_SWEEP_FOCUS_SUBJECT
						  ? s->focus_m
						  : pt->subject_m - half))
			pt->reason = VPM_SWEEP_FOCUS_TOO_CLOSE;
		break;
	}
	case VPM_SWEEP_FOCUS_WALL:
		s->focus_m = s->wall_m;
		pt->focus_m = s->focus_m;
		if (!focus_reachable(lens, s->focal_mm, s->focus_m))
			pt->reason = VPM_SWEEP_FOCUS_TOO_CLOSE;
		break;
	case VPM_SWEEP_FOCUS_FIXED:
		s->focus_m = fa;
		pt->focus_m = fa;
		if (!focus_reachable(lens, s->focal_mm, s->focus_m))
			pt->reason = VPM_SWEEP_FOCUS_TOO_CLOSE;
		break;
	}
	/* a stop the lens does not have comes first: it is the equipment */
	if ((lens->max_t > 0.0 && s->stop < lens->max_t * (1.0 - REL_EPS)) ||
	    (lens->min_t > 0.0 && s->stop > lens->min_t * (1.0 + REL_EPS)))
		pt->reason = VPM_SWEEP_STOP_OUTSIDE_LENS;
	return VPM_OK;
}

/* ============================================================ CSV */

/* The CSV header: the point's columns, then the report contract's fields
 * (vpm_report_field_name(), the library's one table), built once. */
static const char header_point[] =
	"panel,pitch_mm,camera,lens,focal_mm,stop,wall_m,subject_gap_m,subject_m,focus_m,"
	"roll_deg,recording_px,delivery_px,status";
static char header[sizeof header_point + 32 * VPM_REPORT_FIELDS + 2];
static size_t header_len;
static pthread_once_t header_once = PTHREAD_ONCE_INIT;

static void header_build(void)
{
	size_t i, k = sizeof header_point - 1;

	memcpy(header, header_point, k);
	for (i = 0; i < VPM_REPORT_FIELDS; i++)
		k += (size_t)snprintf(header + k, sizeof header - k, ",%s",
				      vpm_report_field_name(i));
	header[k++] = '\n';
	header[k] = '\0';
	header_len = k;
}

const char *vpm_sweep_header(void)
{
	pthread_once(&header_once, header_build);
	return header;
}

size_t vpm_sweep_comment(const vpm_sweep_t *sw, char *buf, size_t size)
{
	int n = snprintf(buf, size,
			 "# vpmoire %s sweep (%" PRIu64 " set-ups; catalog %016" PRIx64
			 "; model %016" PRIx64 "): %s\n",
			 PACKAGE_VERSION, sw->count, sw->id_catalog, sw->id_model, sw->description);
	return n < 0 ? 0 : (size_t)n;
}

/* The parts of a first line; the pointers point into the line. */
typedef struct {
	const char *version;
	size_t version_len;
	uint64_t count;
	int has_ids;
	uint64_t catalog, model;
	const char *description; /* to the end of the line */
} comment_t;

static vpm_status_t comment_split(const char *line, comment_t *c)
{
	const char *p;
	char *end;
	unsigned long long n;

	memset(c, 0, sizeof *c);
	if (line == NULL || strncmp(line, "# vpmoire ", 10) != 0 ||
	    (p = strstr(line, " sweep (")) == NULL)
		return vpm_error(VPM_EPARSE,
				 "not a vpmoire sweep: its first line should start with "
				 "'# vpmoire VERSION sweep (N set-ups)'");
	c->version = line + 10;
	c->version_len = (size_t)(p - c->version);
	p += 8;
	errno = 0;
	n = strtoull(p, &end, 10);
	if (end == p || errno != 0 || strncmp(end, " set-ups", 8) != 0)
		return vpm_error(VPM_EPARSE,
				 "not a vpmoire sweep: its first line does not give the "
				 "number of set-ups");
	c->count = n;
	p = end + 8;
	if (strncmp(p, "; catalog ", 10) == 0) {
		/* "; catalog HEX; model HEX" */
		unsigned long long cat, mod;
		errno = 0;
		cat = strtoull(p + 10, &end, 16);
		if (errno != 0 || end != p + 26 || strncmp(end, "; model ", 8) != 0)
			return vpm_error(VPM_EPARSE, "not a vpmoire sweep: its first line has a "
						     "malformed catalog identity");
		p = end + 8;
		mod = strtoull(p, &end, 16);
		if (errno != 0 || end != p + 16)
			return vpm_error(VPM_EPARSE, "not a vpmoire sweep: its first line has a "
						     "malformed model identity");
		c->has_ids = 1;
		c->catalog = cat;
		c->model = mod;
		p = end;
	}
	if (*p != ')')
		return vpm_error(VPM_EPARSE,
				 "not a vpmoire sweep: its first line does not give the "
				 "number of set-ups");
	p++;
	c->description = strncmp(p, ": ", 2) == 0 ? p + 2 : p;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_comment_parse, (const char *line, uint64_t *count), (line, count))
{
	comment_t c;
	vpm_status_t st = comment_split(line, &c);

	if (st == VPM_OK)
		*count = c.count;
	return st;
}

/* Length of a description, without the line end. */
static size_t desc_len(const char *d)
{
	return strcspn(d, "\r\n");
}

const char *vpm_sweep_comment_differs(const char *a, const char *b)
{
	comment_t ca, cb;

	if (comment_split(a, &ca) != VPM_OK || comment_split(b, &cb) != VPM_OK)
		return strcmp(a ? a : "", b ? b : "") != 0 ? "first lines differ" : NULL;
	if (ca.version_len != cb.version_len || memcmp(ca.version, cb.version, ca.version_len) != 0)
		return "vpmoire versions differ";
	if (ca.has_ids != cb.has_ids)
		return "one was written without a study identity";
	if (ca.has_ids && ca.catalog != cb.catalog)
		return "catalog values differ";
	if (ca.has_ids && ca.model != cb.model)
		return "model options differ";
	if (desc_len(ca.description) != desc_len(cb.description) ||
	    memcmp(ca.description, cb.description, desc_len(ca.description)) != 0)
		return "flags differ";
	if (ca.count != cb.count)
		return "set-up counts differ";
	return strcmp(a, b) != 0 ? "first lines differ" : NULL;
}

/* Append helpers: p moves forward, never past end (checked by the caller's
 * row_max bound; snprintf truncation is detected once at the end). */
static char *put_str(char *p, char *end, const char *s)
{
	while (s && *s && p < end)
		*p++ = *s++;
	return p;
}

static char *put_num(char *p, char *end, double v)
{
	int n;

	if (!isfinite(v) || p >= end)
		return p;
	if (v == 0.0)
		return put_str(p, end, "0");
	n = snprintf(p, (size_t)(end - p), "%.10g", v);
	if (n < 0)
		return p;
	return (size_t)n < (size_t)(end - p) ? p + n : end;
}

static char *put_comma(char *p, char *end)
{
	if (p < end)
		*p++ = ',';
	return p;
}

static vpm_sweep_reason_t reason_of(vpm_status_t st)
{
	switch (st) {
	case VPM_EGEOMETRY: return VPM_SWEEP_IMPOSSIBLE;
	case VPM_ERANGE: return VPM_SWEEP_OUT_OF_RANGE;
	case VPM_ELIMIT: return VPM_SWEEP_LIMIT;
	default: return VPM_SWEEP_INVALID;
	}
}

static int fatal(vpm_status_t st)
{
	return st == VPM_ENOMEM || st == VPM_EINTERNAL || st == VPM_EIO;
}

VPM_STATUS_FN(vpm_sweep_row,
	      (const vpm_sweep_t *sw, uint64_t index, vpm_predict_workspace_t *ws, char *buf,
	       size_t size, size_t *len),
	      (sw, index, ws, buf, size, len))
{
	vpm_sweep_point_t pt;
	vpm_result_t r;
	vpm_status_t st;
	char *p = buf, *end;
	int i;

	if (sw == NULL || ws == NULL || buf == NULL || len == NULL)
		return vpm_error(VPM_EINVAL, "sweep row: NULL argument");
	if (size < sw->row_max)
		return vpm_error(VPM_EINVAL, "sweep row: buffer of %zu bytes, %zu needed", size,
				 sw->row_max);
	if ((st = vpm_sweep_point(sw, index, &pt)) != VPM_OK)
		return st;
	if (pt.reason == VPM_SWEEP_OK) {
		if (sw->focus_rule == VPM_SWEEP_FOCUS_BACK_OF_DOF) {
			double half = 0.5 * sw->subject_depth_m;
			vpm_subject_t subj = { pt.subject_m - half, pt.subject_m + half };
			vpm_focus_choice_t best, naive;
			st = vpm_setup_validate(&pt.setup);
			if (st == VPM_OK) {
				st = vpm_plan_focus(&pt.setup, subj, ws, &best, &naive);
				if (st == VPM_EGEOMETRY)
					pt.reason = VPM_SWEEP_DOF_TOO_SHALLOW;
				else if (st == VPM_OK) {
					r = best.result;
					pt.focus_m = best.focus_m;
					if (!focus_reachable(&sw->lenses[pt.lens],
							     pt.setup.focal_mm, best.focus_m))
						pt.reason = VPM_SWEEP_FOCUS_TOO_CLOSE;
				}
			}
		} else {
			st = vpm_predict(&pt.setup, ws, &r);
		}
		if (fatal(st))
			return st;
		if (st != VPM_OK && pt.reason == VPM_SWEEP_OK)
			pt.reason = reason_of(st);
	}

	end = buf + size - 1;
	p = put_str(p, end, sw->panels[pt.panel].name);
	p = put_comma(p, end);
	p = put_num(p, end, pt.setup.pitch_mm);
	p = put_comma(p, end);
	p = put_str(p, end, sw->cameras[pt.camera].name);
	p = put_comma(p, end);
	p = put_str(p, end, sw->lenses[pt.lens].name);
	p = put_comma(p, end);
	p = put_num(p, end, pt.setup.focal_mm);
	p = put_comma(p, end);
	p = put_num(p, end, pt.stop);
	p = put_comma(p, end);
	p = put_num(p, end, pt.wall_m);
	p = put_comma(p, end);
	p = put_num(p, end, pt.subject_gap_m);
	p = put_comma(p, end);
	p = put_num(p, end, pt.subject_m);
	p = put_comma(p, end);
	p = put_num(p, end, pt.focus_m);
	p = put_comma(p, end);
	p = put_num(p, end, pt.setup.roll_deg);
	p = put_comma(p, end);
	p = put_num(p, end, pt.setup.recording_px > 0 ? pt.setup.recording_px : NAN);
	p = put_comma(p, end);
	p = put_num(p, end, pt.setup.delivery_px > 0 ? pt.setup.delivery_px : NAN);
	p = put_comma(p, end);
	p = put_str(p, end, vpm_sweep_reason_name(pt.reason));
	if (pt.reason != VPM_SWEEP_OK) {
		for (i = 0; i < VPM_REPORT_FIELDS; i++)
			p = put_comma(p, end);
	} else {
		/* the report contract, from the library's one table: the order
		 * and the absent values of `check --json` */
		for (i = 0; i < VPM_REPORT_FIELDS; i++) {
			double num;
			const char *text;

			p = put_comma(p, end);
			if (vpm_report_field_value((size_t)i, &r, &num, &text))
				p = put_str(p, end, text);
			else
				p = put_num(p, end, num);
		}
	}
	if (p >= end)
		return vpm_error(VPM_EINTERNAL, "sweep row %" PRIu64 " longer than %zu bytes",
				 index, sw->row_max);
	*p++ = '\n';
	*len = (size_t)(p - buf);
	return VPM_OK;
}

/* ============================================================ shards */

VPM_STATUS_FN(vpm_sweep_shard_parse, (const char *text, vpm_sweep_shard_t *shard), (text, shard))
{
	unsigned long long i, n;
	const char *p = text;
	char *end;

	if (text == NULL || shard == NULL)
		return vpm_error(VPM_EINVAL, "no shard given");
	if (!(*p >= '0' && *p <= '9'))
		goto bad;
	errno = 0;
	i = strtoull(p, &end, 10);
	if (errno != 0 || *end != '/')
		goto bad;
	p = end + 1;
	if (!(*p >= '0' && *p <= '9'))
		goto bad;
	n = strtoull(p, &end, 10);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (n == 0 || n > 1000000)
		return vpm_error(VPM_ERANGE, "'%s': the number of shards must lie in 1 to 1000000",
				 text);
	if (i >= n)
		return vpm_error(VPM_ERANGE,
				 "'%s': shard numbers run from 0 to %llu (with Slurm, use "
				 "--array=0-%llu)",
				 text, n - 1, n - 1);
	shard->index = i;
	shard->count = n;
	return VPM_OK;
bad:
	return vpm_error(VPM_EPARSE, "'%s' is not a shard: expected I/N, e.g. 3/16", text);
}

uint64_t vpm_sweep_shard_rows(uint64_t total, vpm_sweep_shard_t shard)
{
	if (shard.count == 0 || shard.index >= total)
		return 0;
	return (total - shard.index + shard.count - 1) / shard.count;
}

uint64_t vpm_sweep_shard_index(vpm_sweep_shard_t shard, uint64_t local_row)
{
	return shard.index + local_row * shard.count;
}

VPM_STATUS_FN(vpm_sweep_rows,
	      (const vpm_sweep_t *sw, vpm_sweep_shard_t shard, uint64_t first, uint64_t count,
	       vpm_predict_workspace_t *ws, char *buf, size_t size, size_t *len),
	      (sw, shard, first, count, ws, buf, size, len))
{
	size_t at = 0, n;
	uint64_t r;
	vpm_status_t st;

	if (sw == NULL || buf == NULL || len == NULL)
		return vpm_error(VPM_EINVAL, "sweep rows: NULL argument");
	*len = 0;
	for (r = first; r < first + count; r++) {
		if (size - at < sw->row_max)
			return vpm_error(VPM_EINVAL, "sweep rows: buffer too small");
		st = vpm_sweep_row(sw, vpm_sweep_shard_index(shard, r), ws, buf + at, size - at,
				   &n);
		if (st != VPM_OK)
			return st;
		at += n;
	}
	*len = at;
	return VPM_OK;
}

/* ============================================================ output */

struct vpm_sweep_output {
	int fd;
	int direct; /* stdout or a device: no partial file, no checkpoint */
	int close_fd;
	int failed;
	int resumed;
	int complete; /* --resume found the finished output: write nothing */
	char *path, *partial, *ckpt;
	uint64_t hash, id_catalog, id_model, id_flags, total;
	vpm_sweep_shard_t shard;
	uint64_t shard_rows;
	uint64_t rows, bytes; /* written so far */
};

static size_t sidecar(const char *path, const char *suffix, char *buf, size_t size)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	int n = snprintf(buf, size, "%.*s.%s.%s", dirlen, path, base, suffix);

	return n < 0 ? 0 : (size_t)n;
}

size_t vpm_sweep_partial_path(const char *path, char *buf, size_t size)
{
	return sidecar(path, "partial", buf, size);
}

size_t vpm_sweep_checkpoint_path(const char *path, char *buf, size_t size)
{
	return sidecar(path, "ckpt", buf, size);
}

static char *sidecar_dup(const char *path, const char *suffix)
{
	size_t n = sidecar(path, suffix, NULL, 0);
	char *s = malloc(n + 1);

	if (s != NULL)
		sidecar(path, suffix, s, n + 1);
	return s;
}

static void output_free(vpm_sweep_output_t *o)
{
	if (o == NULL)
		return;
	if (o->close_fd && o->fd >= 0)
		close(o->fd);
	free(o->path);
	free(o->partial);
	free(o->ckpt);
	free(o);
}

static vpm_status_t write_all(vpm_sweep_output_t *o, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(o->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			int e = n < 0 ? errno : EIO;
			o->failed = 1;
			return vpm_error(VPM_EIO, "cannot write %s: %s",
					 o->direct ? (o->path ? o->path : "the standard output")
						   : o->partial,
					 strerror(e));
		}
		buf += n;
		len -= (size_t)n;
		o->bytes += (uint64_t)n;
	}
	return VPM_OK;
}

typedef struct {
	uint64_t hash, id_catalog, id_model, id_flags;
	uint64_t shard_index, shard_count, total, rows, bytes;
} ckpt_t;

/* 0 = read, 1 = absent, -1 = malformed, -2 = cannot be opened (errno set:
 * an unwritable or missing directory, for instance), -3 = written by an
 * older vpmoire (format 1, without the study's parts) */
static int ckpt_read(const char *path, ckpt_t *c)
{
	FILE *fp = fopen(path, "r");
	int n, version = 0;

	if (fp == NULL)
		return errno == ENOENT ? 1 : -2;
	if (fscanf(fp, "vpmoire-sweep-checkpoint %d\n", &version) != 1 || version != 2) {
		/* a whole format-1 checkpoint is an older vpmoire's */
		n = version == 1 ? fscanf(fp,
					  "study %" SCNx64 "\nshard %" SCNu64 "/%" SCNu64
					  "\nset-ups %" SCNu64 "\nrows %" SCNu64 "\nbytes %" SCNu64,
					  &c->hash, &c->shard_index, &c->shard_count, &c->total,
					  &c->rows, &c->bytes)
				 : 0;
		fclose(fp);
		return n == 6 ? -3 : -1;
	}
	n = fscanf(fp,
		   "study %" SCNx64 "\ncatalog %" SCNx64 "\nmodel %" SCNx64 "\nflags %" SCNx64
		   "\nshard %" SCNu64 "/%" SCNu64 "\nset-ups %" SCNu64 "\nrows %" SCNu64
		   "\nbytes %" SCNu64,
		   &c->hash, &c->id_catalog, &c->id_model, &c->id_flags, &c->shard_index,
		   &c->shard_count, &c->total, &c->rows, &c->bytes);
	fclose(fp);
	return n == 9 ? 0 : -1;
}

/* What differs between a checkpoint's study and this one, or NULL. */
static const char *ckpt_differs(const ckpt_t *c, const vpm_sweep_t *sw)
{
	if (c->id_catalog != sw->id_catalog)
		return "catalog values differ";
	if (c->id_model != sw->id_model)
		return "model version or options differ";
	if (c->id_flags != sw->id_flags || c->total != sw->count)
		return "flags differ";
	if (c->hash != sw->hash)
		return "the CSV header differs";
	return NULL;
}

/* The head this run writes: first line, "# shard I/N" when N > 1, header.
 * malloc'd; NULL when out of memory. */
static char *head_text(const vpm_sweep_t *sw, vpm_sweep_shard_t shard, size_t *len)
{
	size_t n = vpm_sweep_comment(sw, NULL, 0);
	const char *hd = vpm_sweep_header();
	size_t cap = n + 64 + header_len + 1;
	char *h = malloc(cap);
	size_t k;

	if (h == NULL)
		return NULL;
	k = vpm_sweep_comment(sw, h, n + 1);
	if (shard.count > 1)
		k += (size_t)snprintf(h + k, cap - k, "# shard %" PRIu64 "/%" PRIu64 "\n",
				      shard.index, shard.count);
	memcpy(h + k, hd, header_len + 1);
	*len = k + header_len;
	return h;
}

/* Before appending to a partial file, check that it is what its checkpoint
 * says: at least `bytes` long, this study's head, exactly head + `rows`
 * lines in its first `bytes` bytes, the last of them a whole row (as many
 * fields as the header) ending in a newline.  Nothing is guessed: any
 * mismatch is refused with its reason (VPM_EINVAL), VPM_EIO on a read
 * error.  `fd` is open for reading. */
static vpm_status_t check_partial(const vpm_sweep_output_t *o, const vpm_sweep_t *sw,
				  const ckpt_t *c, int fd, uint64_t size)
{
	char buf[65536];
	size_t head_len = 0, head_lines = 0, i, fields = 0, want_fields = 1;
	const char *hd;
	char *head = head_text(sw, o->shard, &head_len);
	uint64_t pos = 0, lines = 0, last_start = 0;
	vpm_status_t st = VPM_OK;

	if (head == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	for (i = 0; i < head_len; i++)
		head_lines += head[i] == '\n';
	for (hd = vpm_sweep_header(), i = 0; hd[i]; i++)
		want_fields += hd[i] == ',';
#define REFUSE(...)                                      \
	do {                                             \
		st = vpm_error(VPM_EINVAL, __VA_ARGS__); \
		goto done;                               \
	} while (0)
	if (size < c->bytes)
		REFUSE("cannot resume %s: %s holds %" PRIu64 " bytes, fewer than the %" PRIu64
		       " its checkpoint %s records (delete both to start over)",
		       o->path, o->partial, size, c->bytes, o->ckpt);
	if (c->bytes < head_len)
		REFUSE("cannot resume %s: its checkpoint %s records %" PRIu64
		       " bytes, fewer than the %zu of the study's head lines (delete it and %s "
		       "to start over)",
		       o->path, o->ckpt, c->bytes, head_len, o->partial);
	/* one pass over the checkpointed bytes */
	while (pos < c->bytes) {
		size_t want = c->bytes - pos < sizeof buf ? (size_t)(c->bytes - pos) : sizeof buf;
		ssize_t got = pread(fd, buf, want, (off_t)pos);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			st = vpm_error(VPM_EIO, "cannot resume %s: cannot read %s: %s", o->path,
				       o->partial, strerror(e));
			goto done;
		}
		if (got == 0)
			REFUSE("cannot resume %s: %s ended at byte %" PRIu64
			       " while being read (delete it and %s to start over)",
			       o->path, o->partial, pos, o->ckpt);
		if (pos < head_len) {
			size_t k = head_len - pos < (size_t)got ? (size_t)(head_len - pos)
								: (size_t)got;
			if (memcmp(buf, head + pos, k) != 0)
				REFUSE("cannot resume %s: %s does not begin with this study's "
				       "head lines (delete it and %s to start over)",
				       o->path, o->partial, o->ckpt);
		}
		for (i = 0; i < (size_t)got; i++) {
			if (buf[i] == '\0')
				REFUSE("cannot resume %s: %s holds a NUL byte at byte %" PRIu64
				       ": not a sweep output (delete it and %s to start over)",
				       o->path, o->partial, pos + i, o->ckpt);
			if (buf[i] == ',') {
				fields++;
			} else if (buf[i] == '\n') {
				lines++;
				if (lines > head_lines && fields + 1 != want_fields)
					REFUSE("cannot resume %s: %s:%" PRIu64
					       ": a torn row (%zu fields, %zu expected) before its "
					       "checkpoint (delete it and %s to start over)",
					       o->path, o->partial, lines, fields + 1, want_fields,
					       o->ckpt);
				fields = 0;
				last_start = pos + i + 1;
			}
		}
		pos += (uint64_t)got;
	}
	if (last_start != c->bytes)
		REFUSE("cannot resume %s: %s does not end a line at byte %" PRIu64
		       ", where its checkpoint %s ends: the last checkpointed row is torn "
		       "(delete both to start over)",
		       o->path, o->partial, c->bytes, o->ckpt);
	if (lines != head_lines + c->rows)
		REFUSE("cannot resume %s: its checkpoint %s records %" PRIu64
		       " rows, but the first %" PRIu64 " bytes of %s hold %" PRIu64
		       " (delete both to start over)",
		       o->path, o->ckpt, c->rows, c->bytes, o->partial,
		       lines >= head_lines ? lines - head_lines : 0);
#undef REFUSE
done:
	free(head);
	return st;
}

static vpm_status_t lock_fd(int fd, const char *path)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_SETLK, &fl) != 0) {
		if (errno == EACCES || errno == EAGAIN)
			return vpm_error(VPM_EIO, "another vpmoire sweep is writing %s", path);
		/* file systems without locks: carry on */
	}
	return VPM_OK;
}

static vpm_status_t write_head(vpm_sweep_output_t *o, const vpm_sweep_t *sw)
{
	char small[4096], *line = small;
	size_t n = vpm_sweep_comment(sw, small, sizeof small);
	vpm_status_t st;

	if (n >= sizeof small) {
		line = malloc(n + 1);
		if (line == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		vpm_sweep_comment(sw, line, n + 1);
	}
	st = write_all(o, line, n);
	if (line != small)
		free(line);
	if (st == VPM_OK && o->shard.count > 1) {
		char sl[64];
		int k = snprintf(sl, sizeof sl, "# shard %" PRIu64 "/%" PRIu64 "\n", o->shard.index,
				 o->shard.count);
		st = write_all(o, sl, (size_t)k);
	}
	if (st == VPM_OK) {
		const char *hd = vpm_sweep_header(); /* sets header_len */

		st = write_all(o, hd, header_len);
	}
	return st;
}

/* Is `path` this study's (shard's) finished output?  Its head must be the
 * one this run would write and it must hold exactly the shard's rows. */
static int already_complete(const vpm_sweep_t *sw, const char *path, vpm_sweep_shard_t shard,
			    uint64_t rows)
{
	FILE *fp = fopen(path, "rb");
	char *want = NULL, *got = NULL;
	size_t n = vpm_sweep_comment(sw, NULL, 0), lines = 0, head_lines;
	int c, ok = 0;

	if (fp == NULL)
		return 0;
	want = malloc(n + 128);
	got = malloc(n + 128);
	if (want != NULL && got != NULL) {
		size_t k = vpm_sweep_comment(sw, want, n + 1);
		if (shard.count > 1)
			k += (size_t)snprintf(want + k, 128, "# shard %" PRIu64 "/%" PRIu64 "\n",
					      shard.index, shard.count);
		ok = fread(got, 1, k, fp) == k && memcmp(got, want, k) == 0;
	}
	free(want);
	free(got);
	if (ok) {
		/* the header and one line per row follow */
		head_lines = shard.count > 1 ? 2 : 1;
		rewind(fp);
		while ((c = getc(fp)) != EOF)
			lines += c == '\n';
		ok = !ferror(fp) && lines == head_lines + 1 + rows;
	}
	fclose(fp);
	return ok;
}

VPM_STATUS_FN(vpm_sweep_output_open,
	      (const vpm_sweep_t *sw, const char *path, vpm_sweep_shard_t shard, int resume,
	       vpm_sweep_output_t **out),
	      (sw, path, shard, resume, out))
{
	vpm_sweep_output_t *o;
	struct stat sb;
	ckpt_t c;
	vpm_status_t st;
	int have;

	if (sw == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "sweep output: NULL argument");
	*out = NULL;
	if (shard.count == 0 || shard.index >= shard.count)
		return vpm_error(VPM_EINVAL, "sweep output: bad shard");
	o = calloc(1, sizeof *o);
	if (o == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	o->fd = -1;
	o->hash = sw->hash;
	o->id_catalog = sw->id_catalog;
	o->id_model = sw->id_model;
	o->id_flags = sw->id_flags;
	o->total = sw->count;
	o->shard = shard;
	o->shard_rows = vpm_sweep_shard_rows(sw->count, shard);

	if (path == NULL || strcmp(path, "-") == 0 ||
	    (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode))) {
		if (resume) {
			output_free(o);
			return vpm_error(VPM_EINVAL,
					 "--resume needs an output file (-o FILE): "
					 "standard output and devices cannot be resumed");
		}
		o->direct = 1;
		if (path == NULL || strcmp(path, "-") == 0) {
			o->fd = STDOUT_FILENO;
		} else {
			o->path = strdup(path);
			o->fd = open(path, O_WRONLY);
			o->close_fd = 1;
			if (o->path == NULL || o->fd < 0) {
				int e = errno;
				output_free(o);
				return vpm_error(VPM_EIO, "cannot write %s: %s", path, strerror(e));
			}
		}
		if ((st = write_head(o, sw)) != VPM_OK) {
			output_free(o);
			return st;
		}
		*out = o;
		return VPM_OK;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		output_free(o);
		return vpm_error(VPM_EINVAL, "%s is a directory, not an output file", path);
	}
	o->path = strdup(path);
	o->partial = sidecar_dup(path, "partial");
	o->ckpt = sidecar_dup(path, "ckpt");
	if (o->path == NULL || o->partial == NULL || o->ckpt == NULL) {
		output_free(o);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	have = ckpt_read(o->ckpt, &c);
	if (have < 0) {
		/* the message is made before `o` (and its paths) are freed */
		if (have == -2)
			st = vpm_error(VPM_EIO, "cannot write %s: %s", path, strerror(errno));
		else if (have == -3)
			st = vpm_error(VPM_EINVAL,
				       "cannot resume %s: its checkpoint %s was written by an older "
				       "vpmoire, which did not record the study's catalog values: "
				       "delete it and %s to start over",
				       path, o->ckpt, o->partial);
		else
			st = vpm_error(
				VPM_EIO,
				"%s is not a readable sweep checkpoint: delete it (and %s) to "
				"start over",
				o->ckpt, o->partial);
		output_free(o);
		return st;
	}
	if (have == 0 && !resume) {
		st = vpm_error(VPM_EINVAL,
			       "an interrupted sweep to %s exists (%" PRIu64 " of %" PRIu64
			       " rows in %s): add --resume to continue it, or delete %s and %s to "
			       "start over",
			       path, c.rows,
			       vpm_sweep_shard_rows(c.total, (vpm_sweep_shard_t){ c.shard_index,
										  c.shard_count }),
			       o->partial, o->partial, o->ckpt);
		output_free(o);
		return st;
	}
	if (have == 0) {
		const char *differs = ckpt_differs(&c, sw);
		if (differs != NULL) {
			st = vpm_error(
				VPM_EINVAL,
				"cannot resume %s: its checkpoint %s belongs to another study "
				"(%s): run the original command again, or delete %s and %s "
				"to start over",
				path, o->ckpt, differs, o->partial, o->ckpt);
			output_free(o);
			return st;
		}
		if (c.shard_index != shard.index || c.shard_count != shard.count) {
			st = vpm_error(VPM_EINVAL,
				       "cannot resume %s: it holds shard %" PRIu64 "/%" PRIu64
				       ", not %" PRIu64 "/%" PRIu64,
				       path, c.shard_index, c.shard_count, shard.index,
				       shard.count);
			output_free(o);
			return st;
		}
		if (c.rows > o->shard_rows) {
			st = vpm_error(VPM_EINVAL,
				       "cannot resume %s: its checkpoint %s records %" PRIu64
				       " rows, more than the %" PRIu64
				       " of this shard (delete it and %s to start over)",
				       path, o->ckpt, c.rows, o->shard_rows, o->partial);
			output_free(o);
			return st;
		}
		o->fd = open(o->partial, O_RDWR);
		o->close_fd = 1;
		if (o->fd < 0) {
			int e = errno;
			st = vpm_error(VPM_EIO,
				       "cannot resume %s: %s: %s (delete %s to start over)", path,
				       o->partial, strerror(e), o->ckpt);
			output_free(o);
			return st;
		}
		if ((st = lock_fd(o->fd, path)) != VPM_OK) {
			output_free(o);
			return st;
		}
		if (fstat(o->fd, &sb) != 0) {
			int e = errno;
			st = vpm_error(VPM_EIO, "cannot resume %s: %s: %s", path, o->partial,
				       strerror(e));
			output_free(o);
			return st;
		}
		if ((st = check_partial(o, sw, &c, o->fd, (uint64_t)sb.st_size)) != VPM_OK) {
			output_free(o);
			return st;
		}
		/* rows after the checkpoint may be torn: cut them off */
		if (ftruncate(o->fd, (off_t)c.bytes) != 0 ||
		    lseek(o->fd, (off_t)c.bytes, SEEK_SET) < 0) {
			int e = errno;
			st = vpm_error(VPM_EIO, "cannot resume %s: %s", o->partial, strerror(e));
			output_free(o);
			return st;
		}
		o->rows = c.rows;
		o->bytes = c.bytes;
		o->resumed = 1;
		*out = o;
		return VPM_OK;
	}
	if (resume && have == 1 && already_complete(sw, path, shard, o->shard_rows)) {
		/* a requeued job whose output is already there: nothing to do */
		o->complete = 1;
		o->rows = o->shard_rows;
		o->resumed = 1;
		*out = o;
		return VPM_OK;
	}
	/* fresh start; lock before truncating, in case another run writes it */
	o->fd = open(o->partial, O_WRONLY | O_CREAT, 0666);
	o->close_fd = 1;
	if (o->fd < 0) {
		int e = errno;
		st = vpm_error(VPM_EIO, "cannot write %s: %s", o->partial, strerror(e));
		output_free(o);
		return st;
	}
	if ((st = lock_fd(o->fd, path)) != VPM_OK) {
		output_free(o);
		return st;
	}
	if (ftruncate(o->fd, 0) != 0) {
		int e = errno;
		st = vpm_error(VPM_EIO, "cannot write %s: %s", o->partial, strerror(e));
		output_free(o);
		return st;
	}
	if ((st = write_head(o, sw)) != VPM_OK || (st = vpm_sweep_output_checkpoint(o)) != VPM_OK) {
		output_free(o);
		return st;
	}
	*out = o;
	return VPM_OK;
}

uint64_t vpm_sweep_output_rows_done(const vpm_sweep_output_t *o)
{
	return o ? o->rows : 0;
}

int vpm_sweep_output_resumed(const vpm_sweep_output_t *o)
{
	return o ? o->resumed : 0;
}

VPM_STATUS_FN(vpm_sweep_output_write,
	      (vpm_sweep_output_t * o, const char *buf, size_t len, uint64_t rows),
	      (o, buf, len, rows))
{
	vpm_status_t st;

	if (o == NULL || (buf == NULL && len > 0))
		return vpm_error(VPM_EINVAL, "sweep output: NULL argument");
	if (o->failed)
		return vpm_error(VPM_EIO, "the sweep output failed earlier");
	if (o->rows + rows > o->shard_rows)
		return vpm_error(VPM_EINTERNAL, "sweep output: more rows than the study has");
	st = write_all(o, buf, len);
	if (st == VPM_OK)
		o->rows += rows;
	return st;
}

VPM_STATUS_FN(vpm_sweep_output_checkpoint, (vpm_sweep_output_t * o), (o))
{
	vpm_atomic_file_t *af;
	vpm_status_t st;

	if (o == NULL)
		return vpm_error(VPM_EINVAL, "sweep output: NULL argument");
	if (o->failed)
		return vpm_error(VPM_EIO, "the sweep output failed earlier");
	if (o->direct || o->complete)
		return VPM_OK;
#ifdef HAVE_FSYNC
	if (fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS) {
		int e = errno;
		o->failed = 1;
		return vpm_error(VPM_EIO, "cannot write %s: %s", o->partial, strerror(e));
	}
#endif
	if ((st = vpm_atomic_open(o->ckpt, &af)) != VPM_OK)
		return st;
	fprintf(vpm_atomic_stream(af),
		"vpmoire-sweep-checkpoint 2\nstudy %016" PRIx64 "\ncatalog %016" PRIx64
		"\nmodel %016" PRIx64 "\nflags %016" PRIx64 "\nshard %" PRIu64 "/%" PRIu64
		"\nset-ups %" PRIu64 "\nrows %" PRIu64 "\nbytes %" PRIu64 "\n",
		o->hash, o->id_catalog, o->id_model, o->id_flags, o->shard.index, o->shard.count,
		o->total, o->rows, o->bytes);
	return vpm_atomic_commit(af);
}

VPM_STATUS_FN(vpm_sweep_output_commit, (vpm_sweep_output_t * o), (o))
{
	vpm_status_t st = VPM_OK;

	if (o == NULL)
		return vpm_error(VPM_EINVAL, "sweep output: NULL argument");
	if (o->failed) {
		output_free(o);
		return vpm_error(VPM_EIO, "the sweep output failed earlier");
	}
	if (o->rows != o->shard_rows) {
		st = vpm_error(VPM_EINVAL, "sweep output: %" PRIu64 " of %" PRIu64 " rows written",
			       o->rows, o->shard_rows);
		output_free(o);
		return st;
	}
	if (o->direct || o->complete) {
		output_free(o);
		return VPM_OK;
	}
#ifdef HAVE_FSYNC
	if (fsync(o->fd) != 0 && errno != EINVAL && errno != EROFS) {
		int e = errno;
		st = vpm_error(VPM_EIO, "cannot write %s: %s", o->partial, strerror(e));
		output_free(o);
		return st;
	}
#endif
	if (close(o->fd) != 0) {
		int e = errno;
		o->fd = -1;
		st = vpm_error(VPM_EIO, "cannot write %s: %s", o->partial, strerror(e));
		output_free(o);
		return st;
	}
	o->fd = -1;
	if (rename(o->partial, o->path) != 0) {
		int e = errno;
		st = vpm_error(VPM_EIO, "cannot rename %s to %s: %s", o->partial, o->path,
			       strerror(e));
		output_free(o);
		return st;
	}
	unlink(o->ckpt);
	output_free(o);
	return VPM_OK;
}

void vpm_sweep_output_close(vpm_sweep_output_t *o)
{
	output_free(o);
}
