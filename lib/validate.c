/* Field observations: reading, judging, and the leave-one-out fit. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/csv.h"
#include "vpmoire/units.h"
#include "vpmoire/validate.h"

enum {
	C_ID,
	C_KIND,
	C_OBSERVED,
	C_PANEL,
	C_PITCH,
	C_EMITTER,
	C_CAMERA,
	C_PHOTOSITE,
	C_WIDTH,
	C_OLPF,
	C_FOCAL,
	C_STOP,
	C_WALL,
	C_FOCUS,
	C_DELIVERY,
	C_URL,
	C_CLAIM,
	C_ASSUMPTIONS,
	C_CFA, /* optional: bayer or mono (empty: the catalog camera's, else bayer) */
	C_N
};
#define C_REQUIRED C_CFA

static const char *const col_names[C_N] = {
	"id",	      "kind",	"observed",	"panel",    "pitch_mm",
	"emitter_mm", "camera", "photosite_um", "width_px", "olpf_um",
	"focal_mm",   "stop",	"wall_m",	"focus_m",  "delivery_px",
	"source_url", "claim",	"assumptions",	"cfa"
};

void vpm_observations_free(vpm_observations_t *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++) {
		free(o->obs[i].source_url);
		free(o->obs[i].claim);
		free(o->obs[i].assumptions);
	}
	free(o->obs);
	o->obs = NULL;
	o->n = 0;
}

static char *dup_text(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* A number field: 1 when present (stored), 0 when empty, −1 on error. */
static int num_field(const vpm_csv_t *csv, const vpm_csv_row_t *row, const int *map, int c,
		     double *v)
{
	const char *t = row->field[map[c]];

	if (*t == '\0')
		return 0;
	if (vpm_units_parse_number(t, v) != VPM_OK || !isfinite(*v)) {
		vpm_error(VPM_EPARSE, "%s:%ld:%d: %s: '%s' is not a number", vpm_csv_name(csv),
			  row->line, row->column[map[c]], col_names[c], t);
		return -1;
	}
	return 1;
}

static vpm_status_t parse_row(const vpm_csv_t *csv, const vpm_csv_row_t *row, const int *map,
			      const vpm_catalog_t *cat, const vpm_setup_t *base,
			      vpm_observation_t *o)
{
	const char *name = vpm_csv_name(csv);
	vpm_setup_t d = *base, s; /* d: the row's own numbers, s: the set-up */
	const vpm_panel_t *panel = NULL;
	const vpm_camera_t *camera = NULL;
	unsigned raw = VPM_RAW_FOCAL | VPM_RAW_STOP;
	double v;
	int r;
	vpm_status_t st;

#define FAIL(c, msg)                                                                            \
	return vpm_error(VPM_EPARSE, "%s:%ld:%d: %s: %s", name, row->line, row->column[map[c]], \
			 col_names[c], msg)
	memset(o, 0, sizeof *o);
	o->line = row->line;
	if (row->n < (size_t)C_REQUIRED)
		return vpm_error(VPM_EPARSE, "%s:%ld:1: %zu fields, expected %d", name, row->line,
				 row->n, C_REQUIRED);
	for (int c = 0; c < C_N; c++)
		if (map[c] >= (int)row->n)
			return vpm_error(VPM_EPARSE, "%s:%ld:1: %zu fields, expected %d", name,
					 row->line, row->n, map[c] + 1);
	if (!*row->field[map[C_ID]] || strlen(row->field[map[C_ID]]) >= VPM_OBS_TEXT)
		return vpm_error(VPM_EPARSE, "%s:%ld:%d: id: empty or longer than %d characters",
				 name, row->line, row->column[map[C_ID]], VPM_OBS_TEXT - 1);
	strcpy(o->id, row->field[map[C_ID]]);
	if (strlen(row->field[map[C_KIND]]) >= VPM_OBS_TEXT || !*row->field[map[C_KIND]])
		return vpm_error(VPM_EPARSE, "%s:%ld:%d: kind: empty or too long", name, row->line,
				 row->column[map[C_KIND]]);
	strcpy(o->kind, row->field[map[C_KIND]]);
	if (strcasecmp(row->field[map[C_OBSERVED]], "moire") == 0)
		o->moire = 1;
	else if (strcasecmp(row->field[map[C_OBSERVED]], "clean") == 0)
		o->moire = 0;
	else
		return vpm_error(VPM_EPARSE, "%s:%ld:%d: observed: '%s' (expected moire or clean)",
				 name, row->line, row->column[map[C_OBSERVED]],
				 row->field[map[C_OBSERVED]]);
	if (!*row->field[map[C_URL]])
		return vpm_error(VPM_EPARSE, "%s:%ld:%d: source_url: every case needs its source",
				 name, row->line, row->column[map[C_URL]]);
	if (*row->field[map[C_PANEL]]) {
		if (!cat ||
		    (st = vpm_catalog_find_panel(cat, row->field[map[C_PANEL]], &panel)) != VPM_OK)
			return vpm_error(VPM_ENOTFOUND, "%s:%ld:%d: panel: no catalog panel '%s'",
					 name, row->line, row->column[map[C_PANEL]],
					 row->field[map[C_PANEL]]);
	}
	if (*row->field[map[C_CAMERA]]) {
		if (!cat || (st = vpm_catalog_find_camera(cat, row->field[map[C_CAMERA]],
							  &camera)) != VPM_OK)
			return vpm_error(VPM_ENOTFOUND, "%s:%ld:%d: camera: no catalog camera '%s'",
					 name, row->line, row->column[map[C_CAMERA]],
					 row->field[map[C_CAMERA]]);
	}
	if ((r = num_field(csv, row, map, C_PITCH, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		d.pitch_mm = v;
		raw |= VPM_RAW_PITCH;
	}
	if ((r = num_field(csv, row, map, C_EMITTER, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		d.emitter_mm = v;
		raw |= VPM_RAW_EMITTER;
	} else if (!*row->field[map[C_PANEL]]) {
		d.emitter_mm = 0.3 * d.pitch_mm; /* documented default of the dataset */
	}
	if ((r = num_field(csv, row, map, C_PHOTOSITE, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		d.photosite_um = v;
		raw |= VPM_RAW_PHOTOSITE;
	}
	if ((r = num_field(csv, row, map, C_WIDTH, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		if (!(v >= 2 && v <= 1e6) || v != floor(v))
			FAIL(C_WIDTH, "not a pixel count");
		d.width_px = (int)v;
		raw |= VPM_RAW_WIDTH_PX;
	}
	if ((r = num_field(csv, row, map, C_OLPF, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		d.olpf_um = v;
		raw |= VPM_RAW_OLPF;
	}
	if (map[C_CFA] >= 0 && *row->field[map[C_CFA]]) {
		if (strcasecmp(row->field[map[C_CFA]], "mono") == 0)
			d.cfa = VPM_CFA_MONO;
		else if (strcasecmp(row->field[map[C_CFA]], "bayer") == 0)
			d.cfa = VPM_CFA_BAYER;
		else
			FAIL(C_CFA, "expected bayer or mono");
		raw |= VPM_RAW_CFA;
	}
	if ((r = num_field(csv, row, map, C_FOCAL, &v)) < 0)
		return VPM_EPARSE;
	if (!r)
		FAIL(C_FOCAL, "a focal length is required");
	d.focal_mm = v; /* no lens: no MTF curve */
	if ((r = num_field(csv, row, map, C_STOP, &v)) < 0)
		return VPM_EPARSE;
	if (!r)
		FAIL(C_STOP, "a stop is required");
	d.stop = v;
	if ((r = num_field(csv, row, map, C_WALL, &v)) < 0)
		return VPM_EPARSE;
	if (!r)
		FAIL(C_WALL, "the camera-to-wall distance is required");
	d.wall_m = v;
	if ((r = num_field(csv, row, map, C_FOCUS, &v)) < 0)
		return VPM_EPARSE;
	if (!r)
		FAIL(C_FOCUS, "the focus distance is required");
	d.focus_m = v;
	if ((r = num_field(csv, row, map, C_DELIVERY, &v)) < 0)
		return VPM_EPARSE;
	if (r) {
		if (!(v >= 1 && v <= 1e6) || v != floor(v))
			FAIL(C_DELIVERY, "not a pixel count");
		d.delivery_px = (int)v;
	}
	/* the library's one rule: catalog entries, then the row's numbers */
	vpm_setup_from_catalog(&d, raw, panel, camera, NULL, &s, NULL);
	if (s.pitch_mm == 0.0)
		FAIL(C_PANEL, "no panel name and no pitch_mm");
	if (s.photosite_um == 0.0 || s.width_px == 0)
		FAIL(C_CAMERA, "no camera name and no photosite_um with width_px");
	st = vpm_setup_validate(&s);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "%s:%ld:1: %s", name, row->line, o->id);
	o->setup = s;
	o->source_url = dup_text(row->field[map[C_URL]]);
	o->claim = dup_text(row->field[map[C_CLAIM]]);
	o->assumptions = dup_text(row->field[map[C_ASSUMPTIONS]]);
	if (!o->source_url || !o->claim || !o->assumptions)
		return vpm_error(VPM_ENOMEM, "out of memory");
	return VPM_OK;
#undef FAIL
}

VPM_STATUS_FN(vpm_observations_read,
	      (const char *path, const vpm_catalog_t *cat, const vpm_setup_t *base,
	       vpm_observations_t *out),
	      (path, cat, base, out))
{
	vpm_csv_t *csv = NULL;
	vpm_csv_row_t row;
	vpm_status_t st;
	int eof = 0, map[C_N], header = 1;
	size_t cap = 0;
	vpm_observations_t o = { NULL, 0 };

	if (!path || !base || !out)
		return vpm_error(VPM_EINVAL, "vpm_observations_read: missing argument");
	st = vpm_csv_open(path, VPM_CSV_COMMENTS, &csv);
	if (st != VPM_OK)
		return st;
	for (;;) {
		st = vpm_csv_next(csv, &row, &eof);
		if (st != VPM_OK || eof)
			break;
		if (header) {
			for (int c = 0; c < C_N; c++) {
				map[c] = -1;
				for (size_t i = 0; i < row.n; i++)
					if (strcasecmp(row.field[i], col_names[c]) == 0)
						map[c] = (int)i;
				if (map[c] < 0 && c < C_REQUIRED) {
					st = vpm_error(VPM_EPARSE, "%s:%ld:1: no column '%s'", path,
						       row.line, col_names[c]);
					break;
				}
			}
			if (st != VPM_OK)
				break;
			header = 0;
			continue;
		}
		if (o.n == cap) {
			size_t nc = cap ? 2 * cap : 32;
			vpm_observation_t *p = realloc(o.obs, nc * sizeof *p);

			if (!p) {
				st = vpm_error(VPM_ENOMEM, "out of memory");
				break;
			}
			o.obs = p;
			cap = nc;
		}
		st = parse_row(csv, &row, map, cat, base, &o.obs[o.n]);
		o.n++; /* even on failure: its strings are freed with the rest */
		if (st != VPM_OK)
			break;
		for (size_t i = 0; i + 1 < o.n; i++)
			if (strcmp(o.obs[i].id, o.obs[o.n - 1].id) == 0) {
				st = vpm_error(VPM_EPARSE, "%s:%ld:1: id '%s' also on line %ld",
					       path, row.line, o.obs[i].id, o.obs[i].line);
				break;
			}
		if (st != VPM_OK)
			break;
	}
	vpm_csv_close(csv);
	if (st == VPM_OK && header)
		st = vpm_error(VPM_EPARSE, "%s: no header line", path);
	if (st == VPM_OK && o.n == 0)
		st = vpm_error(VPM_EPARSE, "%s: no observations", path);
	if (st != VPM_OK) {
		vpm_observations_free(&o);
		return st;
	}
	*out = o;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_observation_judge,
	      (const vpm_observation_t *o, double pupil_edge, vpm_predict_workspace_t *ws,
	       vpm_judgement_t *out),
	      (o, pupil_edge, ws, out))
{
	vpm_setup_t s = o->setup;
	vpm_result_t r;
	vpm_status_t st;

	if (pupil_edge >= 0.0)
		s.pupil_edge = pupil_edge;
	st = vpm_predict(&s, ws, &r);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "%s", o->id);
	out->visibility = vpm_result_visibility(&r);
	out->risk = r.risk;
	if (o->moire) {
		out->lenient = r.risk != VPM_RISK_SAFE;
		out->strict = r.risk == VPM_RISK_RISKY;
	} else {
		out->lenient = r.risk != VPM_RISK_RISKY;
		out->strict = r.risk == VPM_RISK_SAFE;
	}
	return VPM_OK;
}

/* Score of candidate g over the observations except `skip` (−1: none). */
typedef struct {
	int missed, lenient, strict;
} score_t;

static score_t score_of(const vpm_judgement_t *j, const vpm_observations_t *obs, size_t n_grid,
			size_t g, long skip)
{
	score_t sc = { 0, 0, 0 };

	for (size_t i = 0; i < obs->n; i++) {
		const vpm_judgement_t *x = &j[i * n_grid + g];

		if ((long)i == skip)
			continue;
		sc.missed += obs->obs[i].moire && x->risk == VPM_RISK_SAFE;
		sc.lenient += x->lenient;
		sc.strict += x->strict;
	}
	return sc;
}

static int better(score_t a, score_t b)
{
	if (a.missed != b.missed)
		return a.missed < b.missed;
	if (a.lenient != b.lenient)
		return a.lenient > b.lenient;
	return a.strict > b.strict;
}

/* The best candidate, ties to the smaller value (grid ascending). */
static size_t fit_best(const vpm_judgement_t *j, const vpm_observations_t *obs, const double *grid,
		       size_t n_grid, long skip)
{
	size_t best = 0;
	score_t bs = score_of(j, obs, n_grid, 0, skip);

	for (size_t g = 1; g < n_grid; g++) {
		score_t sc = score_of(j, obs, n_grid, g, skip);

		if (better(sc, bs) || (!better(bs, sc) && grid[g] < grid[best])) {
			best = g;
			bs = sc;
		}
	}
	return best;
}

VPM_STATUS_FN(vpm_observations_fit_edge,
	      (const vpm_observations_t *obs, const double *grid, size_t n_grid,
	       vpm_predict_workspace_t *ws, vpm_fit_t *out),
	      (obs, grid, n_grid, ws, out))
{
	vpm_judgement_t *j;
	vpm_fit_t f;
	size_t best;
	score_t sc;

	if (!obs || obs->n == 0 || !grid || n_grid == 0 || !ws || !out)
		return vpm_error(VPM_EINVAL, "fit: no observations or no candidates");
	if (obs->n > ((size_t)-1) / sizeof *j / n_grid)
		return vpm_error(VPM_ELIMIT, "fit: too many observations");
	j = malloc(obs->n * n_grid * sizeof *j);
	if (!j)
		return vpm_error(VPM_ENOMEM, "out of memory for the fit");
	/* candidate outermost: the workspace builds one lens table per edge */
	for (size_t g = 0; g < n_grid; g++)
		for (size_t i = 0; i < obs->n; i++) {
			vpm_status_t st = vpm_observation_judge(&obs->obs[i], grid[g], ws,
								&j[i * n_grid + g]);

			if (st != VPM_OK) {
				free(j);
				return st;
			}
		}
	memset(&f, 0, sizeof f);
	f.n = obs->n;
	f.n_grid = n_grid < VPM_FIT_GRID_MAX ? n_grid : VPM_FIT_GRID_MAX;
	for (size_t g = 0; g < f.n_grid; g++) {
		score_t gs = score_of(j, obs, n_grid, g, -1);

		f.grid_lenient[g] = gs.lenient;
		f.grid_strict[g] = gs.strict;
		f.grid_missed[g] = gs.missed;
	}
	best = fit_best(j, obs, grid, n_grid, -1);
	sc = score_of(j, obs, n_grid, best, -1);
	f.best = grid[best];
	f.lenient = sc.lenient;
	f.strict = sc.strict;
	f.missed = sc.missed;
	for (size_t i = 0; i < obs->n; i++) {
		size_t g = fit_best(j, obs, grid, n_grid, (long)i);
		const vpm_judgement_t *x = &j[i * n_grid + g];

		f.loo_lenient += x->lenient;
		f.loo_strict += x->strict;
		f.loo_missed += obs->obs[i].moire && x->risk == VPM_RISK_SAFE;
	}
	free(j);
	*out = f;
	return VPM_OK;
}
