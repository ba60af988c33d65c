/* The LED stage: `key = value` descriptions and the geometry of its LED
 * surfaces and floor (coordinates in lib/vpmoire/stage.h). */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "error.h"
#include "nameset.h"
#include "vpmoire/stage.h"
#include "vpmoire/units.h"

#define PI 3.14159265358979323846
#define STAGE_FILE_MAX (1u << 20)
#define HIT_EPS 1e-9

/* ------------------------------------------------------------ keys */

static const char *const key_names[VPM_STAGE_NKEYS] = {
	"name",
	"panel",
	"wall_width",
	"wall_height",
	"cabinets_across",
	"cabinets_down",
	"wall_bottom",
	"curve_radius",
	"side_walls",
	"side_wall_width",
	"side_wall_cabinets",
	"side_wall_angle",
	"floor_width",
	"floor_depth",
	"floor_offset",
	"ceiling",
};

static const char *const key_flags[VPM_STAGE_NKEYS] = {
	"--stage-name",	     "--panel",		  "--wall-width",	  "--wall-height",
	"--cabinets-across", "--cabinets-down",	  "--wall-bottom",	  "--curve-radius",
	"--side-walls",	     "--side-wall-width", "--side-wall-cabinets", "--side-wall-angle",
	"--floor-width",     "--floor-depth",	  "--floor-offset",	  "--ceiling",
};

const char *vpm_stage_key_name(vpm_stage_key_t key)
{
	return (int)key >= 0 && key < VPM_STAGE_NKEYS ? key_names[key] : NULL;
}

const char *vpm_stage_key_flag(vpm_stage_key_t key)
{
	return (int)key >= 0 && key < VPM_STAGE_NKEYS ? key_flags[key] : NULL;
}

/* Key text folded for comparison: lower case, `-` and blanks as `_`,
 * leading dashes dropped, runs of separators squeezed. */
static void fold_key(const char *in, char *out, size_t size)
{
	size_t n = 0;
	int sep = 0;

	while (*in == '-')
		in++;
	for (; *in && n + 1 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (c == '-' || c == '_' || c == ' ' || c == '\t') {
			sep = n > 0;
			continue;
		}
		if (sep && n + 2 < size)
			out[n++] = '_';
		sep = 0;
		out[n++] = (char)tolower(c);
	}
	out[n] = '\0';
}

VPM_STATUS_FN(vpm_stage_key_find, (const char *text, vpm_stage_key_t *key), (text, key))
{
	char f[96];
	size_t best = 99, d;
	int i, besti = -1;

	if (text == NULL || key == NULL)
		return vpm_error(VPM_EINVAL, "stage key: NULL argument");
	fold_key(text, f, sizeof f);
	for (i = 0; i < VPM_STAGE_NKEYS; i++)
		if (strcmp(f, key_names[i]) == 0) {
			*key = (vpm_stage_key_t)i;
			return VPM_OK;
		}
	/* "stage_name" as a file key too (the flag spelling) */
	if (strcmp(f, "stage_name") == 0) {
		*key = VPM_STAGE_NAME;
		return VPM_OK;
	}
	for (i = 0; i < VPM_STAGE_NKEYS; i++) {
		d = vpm_edit_distance(f, key_names[i]);
		if (d < best) {
			best = d;
			besti = i;
		}
	}
	if (besti >= 0 && best <= 3)
		return vpm_error(VPM_ENOTFOUND, "unknown key '%s'; did you mean '%s'?", text,
				 key_names[besti]);
	return vpm_error(VPM_ENOTFOUND,
			 "unknown key '%s' (keys: name, panel, wall_width, wall_height, "
			 "cabinets_across, cabinets_down, wall_bottom, curve_radius, side_walls, "
			 "side_wall_width, side_wall_cabinets, side_wall_angle, floor_width, "
			 "floor_depth, floor_offset, ceiling)",
			 text);
}

/* ------------------------------------------------------------ description */

void vpm_stage_desc_init(vpm_stage_desc_t *d)
{
	memset(d, 0, sizeof *d);
	d->side_wall_angle_deg = 90.0;
}

/* "FILE:LINE:COL: key" or "--flag": where a key's value came from. */
static const char *where(const vpm_stage_desc_t *d, vpm_stage_key_t key, char *buf, size_t size)
{
	if ((d->given >> key) & 1u && (d->in_file >> key) & 1u)
		snprintf(buf, size, "%s: %s", d->origin[key], key_names[key]);
	else
		snprintf(buf, size, "%s", key_flags[key]);
	return buf;
}

VPM_STATUS_FN(vpm_stage_desc_find_panel,
	      (const vpm_stage_desc_t *d, const vpm_catalog_t *cat, const vpm_panel_t **panel),
	      (d, cat, panel))
{
	char buf[VPM_STAGE_ORIGIN_MAX + 32];
	vpm_status_t st;

	if (d == NULL || cat == NULL || panel == NULL)
		return vpm_error(VPM_EINVAL, "stage panel: NULL argument");
	st = vpm_catalog_find_panel(cat, d->panel, panel);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "%s", where(d, VPM_STAGE_PANEL, buf, sizeof buf));
	return VPM_OK;
}

static vpm_status_t set_text(char *dst, const char *value, const char *what)
{
	size_t n = strlen(value);

	if (n == 0)
		return vpm_error(VPM_EPARSE, "expected %s, found nothing", what);
	if (n >= VPM_STAGE_TEXT_MAX)
		return vpm_error(VPM_ERANGE, "longer than %d bytes", VPM_STAGE_TEXT_MAX - 1);
	memcpy(dst, value, n + 1);
	return VPM_OK;
}

static vpm_status_t set_value(vpm_stage_desc_t *d, vpm_stage_key_t key, const char *value)
{
	long n;
	double m;
	vpm_status_t st;

	switch (key) {
	case VPM_STAGE_NAME: return set_text(d->name, value, "the stage's name");
	case VPM_STAGE_PANEL: return set_text(d->panel, value, "a panel name from the catalog");
	case VPM_STAGE_CABINETS_ACROSS:
	case VPM_STAGE_CABINETS_DOWN:
	case VPM_STAGE_SIDE_WALL_CABINETS:
		if ((st = vpm_units_parse_count(value, 10000, &n)) != VPM_OK)
			return st;
		if (key == VPM_STAGE_CABINETS_ACROSS)
			d->cabinets_across = n;
		else if (key == VPM_STAGE_CABINETS_DOWN)
			d->cabinets_down = n;
		else
			d->side_wall_cabinets = n;
		return VPM_OK;
	case VPM_STAGE_SIDE_WALLS:
		if (strcasecmp(value, "none") == 0 || strcasecmp(value, "no") == 0)
			d->side_walls = VPM_SIDE_NONE;
		else if (strcasecmp(value, "left") == 0)
			d->side_walls = VPM_SIDE_LEFT;
		else if (strcasecmp(value, "right") == 0)
			d->side_walls = VPM_SIDE_RIGHT;
		else if (strcasecmp(value, "both") == 0)
			d->side_walls = VPM_SIDE_BOTH;
		else
			return vpm_error(VPM_EPARSE,
					 "expected none, left, right or both, found '%s'", value);
		return VPM_OK;
	case VPM_STAGE_SIDE_WALL_ANGLE:
		if ((st = vpm_units_parse_angle(value, &m)) != VPM_OK)
			return st;
		if (!(m >= 45.0 && m <= 180.0))
			return vpm_error(VPM_ERANGE,
					 "%g degrees: expected 45 to 180 (90 = square to the main "
					 "wall, 180 = in line with it)",
					 m);
		d->side_wall_angle_deg = m;
		return VPM_OK;
	case VPM_STAGE_CURVE_RADIUS:
		if (strcasecmp(value, "flat") == 0 || strcasecmp(value, "none") == 0) {
			d->curve_radius_m = 0.0;
			return VPM_OK;
		}
		return vpm_units_parse_length(value, VPM_UNIT_M, VPM_UNITS_ALLOW_ZERO,
					      &d->curve_radius_m);
	case VPM_STAGE_WALL_BOTTOM:
		return vpm_units_parse_length(value, VPM_UNIT_M, VPM_UNITS_ALLOW_ZERO,
					      &d->wall_bottom_m);
	case VPM_STAGE_FLOOR_OFFSET:
		return vpm_units_parse_length(value, VPM_UNIT_M,
					      VPM_UNITS_ALLOW_ZERO | VPM_UNITS_ALLOW_NEGATIVE,
					      &d->floor_offset_m);
	case VPM_STAGE_WALL_WIDTH:
		return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->wall_width_m);
	case VPM_STAGE_WALL_HEIGHT:
		return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->wall_height_m);
	case VPM_STAGE_SIDE_WALL_WIDTH:
		return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->side_wall_width_m);
	case VPM_STAGE_FLOOR_WIDTH:
		return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->floor_width_m);
	case VPM_STAGE_FLOOR_DEPTH:
		return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->floor_depth_m);
	case VPM_STAGE_CEILING: return vpm_units_parse_length(value, VPM_UNIT_M, 0, &d->ceiling_m);
	case VPM_STAGE_NKEYS: break;
	}
	return vpm_error(VPM_EINVAL, "stage key %d out of range", (int)key);
}

VPM_STATUS_FN(vpm_stage_desc_set,
	      (vpm_stage_desc_t * d, vpm_stage_key_t key, const char *value, const char *origin,
	       long line, int col),
	      (d, key, value, origin, line, col))
{
	vpm_status_t st;

	if (d == NULL || value == NULL || (int)key < 0 || key >= VPM_STAGE_NKEYS)
		return vpm_error(VPM_EINVAL, "stage: bad key or NULL value");
	st = set_value(d, key, value);
	if (st != VPM_OK) {
		if (origin != NULL)
			return vpm_error_prefix(st, "%s:%ld:%d: %s", origin, line, col,
						key_names[key]);
		return vpm_error_prefix(st, "%s", key_flags[key]);
	}
	d->given |= 1u << key;
	if (origin != NULL)
		d->in_file |= 1u << key;
	else
		d->in_file &= ~(1u << key);
	if (origin != NULL)
		snprintf(d->origin[key], sizeof d->origin[key], "%s:%ld:%d", origin, line, col);
	else
		snprintf(d->origin[key], sizeof d->origin[key], "%s", key_flags[key]);
	return VPM_OK;
}

/* Column (1-based, in characters) of byte offset `off` of a line. */
static int char_col(const char *line, size_t off)
{
	int col = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* Length of the valid UTF-8 prefix of s[0..n). */
static size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		size_t k, len;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4;
		else
			return i;
		if (i + len > n)
			return i;
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
		i += len;
	}
	return n;
}

VPM_STATUS_FN(vpm_stage_desc_parse,
	      (vpm_stage_desc_t * d, const char *name, const char *text, size_t len),
	      (d, name, text, len))
{
	long first_line[VPM_STAGE_NKEYS] = { 0 };
	const char *p = text, *end = text + len;
	char line[4096];
	long lineno = 0;
	size_t bad;

	if (d == NULL || name == NULL || (text == NULL && len > 0))
		return vpm_error(VPM_EINVAL, "stage: NULL argument");
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t i, eq, ks, ke, vs, ve;
		vpm_stage_key_t key;
		vpm_status_t st;
		char keytext[128];

		lineno++;
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n >= sizeof line)
			return vpm_error(VPM_ELIMIT, "%s:%ld:1: line longer than %zu bytes", name,
					 lineno, sizeof line - 1);
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		bad = utf8_valid_prefix((const unsigned char *)line, n);
		if (bad < n)
			return vpm_error(VPM_EPARSE, "%s:%ld:%d: invalid UTF-8", name, lineno,
					 char_col(line, bad));
		if (memchr(line, '\0', n) != NULL)
			return vpm_error(VPM_EPARSE, "%s:%ld:1: NUL byte in a text file", name,
					 lineno);
		for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t'); i++)
			;
		if (i == n || line[i] == '#')
			continue;
		ks = i;
		for (eq = i; eq < n && line[eq] != '='; eq++)
			;
		if (eq == n)
			return vpm_error(VPM_EPARSE, "%s:%ld:%d: expected 'key = value'", name,
					 lineno, char_col(line, ks));
		for (ke = eq; ke > ks && (line[ke - 1] == ' ' || line[ke - 1] == '\t'); ke--)
			;
		if (ke == ks)
			return vpm_error(VPM_EPARSE, "%s:%ld:%d: expected a key before '='", name,
					 lineno, char_col(line, eq));
		if (ke - ks >= sizeof keytext)
			return vpm_error(VPM_EPARSE, "%s:%ld:%d: key too long", name, lineno,
					 char_col(line, ks));
		memcpy(keytext, line + ks, ke - ks);
		keytext[ke - ks] = '\0';
		if (vpm_stage_key_find(keytext, &key) != VPM_OK)
			return vpm_error_prefix(VPM_EPARSE, "%s:%ld:%d", name, lineno,
						char_col(line, ks));
		for (vs = eq + 1; vs < n && (line[vs] == ' ' || line[vs] == '\t'); vs++)
			;
		/* a comment after the value needs a blank before its '#' */
		for (ve = vs; ve < n; ve++)
			if (line[ve] == '#' && ve > vs &&
			    (line[ve - 1] == ' ' || line[ve - 1] == '\t'))
				break;
		while (ve > vs && (line[ve - 1] == ' ' || line[ve - 1] == '\t'))
			ve--;
		if (ve == vs)
			return vpm_error(VPM_EPARSE, "%s:%ld:%d: %s: expected a value after '='",
					 name, lineno, char_col(line, eq + 1), key_names[key]);
		if (first_line[key] != 0)
			return vpm_error(VPM_EPARSE,
					 "%s:%ld:%d: %s is given twice (first on line %ld)", name,
					 lineno, char_col(line, ks), key_names[key],
					 first_line[key]);
		first_line[key] = lineno;
		line[ve] = '\0';
		st = vpm_stage_desc_set(d, key, line + vs, name, lineno, char_col(line, vs));
		if (st != VPM_OK)
			return st;
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_stage_desc_read, (vpm_stage_desc_t * d, const char *path), (d, path))
{
	FILE *fp;
	char *buf;
	size_t n;
	vpm_status_t st;
	int err;

	if (d == NULL || path == NULL)
		return vpm_error(VPM_EINVAL, "stage: NULL argument");
	fp = fopen(path, "rb");
	if (fp == NULL) {
		err = errno;
		return vpm_error(err == ENOENT ? VPM_ENOTFOUND : VPM_EIO, "%s: %s", path,
				 strerror(err));
	}
	{
		/* a directory is bad input (exit 2), like a missing file, not a
		 * read error (exit 1) */
		struct stat sb;
		if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(fp);
			return vpm_error(VPM_EINVAL, "%s is a directory, not a stage file", path);
		}
	}
	buf = malloc(STAGE_FILE_MAX + 1);
	if (buf == NULL) {
		fclose(fp);
		return vpm_error(VPM_ENOMEM, "%s: out of memory", path);
	}
	n = fread(buf, 1, STAGE_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		err = errno;
		fclose(fp);
		free(buf);
		return vpm_error(VPM_EIO, "%s: %s", path, strerror(err));
	}
	fclose(fp);
	if (n > STAGE_FILE_MAX) {
		free(buf);
		return vpm_error(VPM_ELIMIT, "%s: larger than 1 MiB; is this a stage file?", path);
	}
	st = vpm_stage_desc_parse(d, path, buf, n);
	free(buf);
	return st;
}

/* ------------------------------------------------------------ geometry */

static vpm_vec3_t v3(double x, double y, double z)
{
	vpm_vec3_t v = { x, y, z };
	return v;
}

vpm_vec3_t vpm_surface_point(const vpm_surface_t *sf, double s_m, double y_m)
{
	if (sf->kind == VPM_SURFACE_ARC) {
		double a = sf->a0_rad + s_m / sf->radius_m;
		return v3(sf->cx_m + sf->radius_m * sin(a), y_m, sf->cz_m - sf->radius_m * cos(a));
	}
	return v3(sf->x0_m + s_m * sf->dx, y_m, sf->z0_m + s_m * sf->dz);
}

vpm_vec3_t vpm_surface_tangent(const vpm_surface_t *sf, double s_m)
{
	if (sf->kind == VPM_SURFACE_ARC) {
		double a = sf->a0_rad + s_m / sf->radius_m;
		return v3(cos(a), 0.0, sin(a));
	}
	return v3(sf->dx, 0.0, sf->dz);
}

vpm_vec3_t vpm_surface_normal(const vpm_surface_t *sf, double s_m)
{
	vpm_vec3_t t = vpm_surface_tangent(sf, s_m);
	return v3(-t.z, 0.0, t.x);
}

static int in_surface(const vpm_surface_t *sf, double s, double y)
{
	const double eps = 1e-12;
	return s >= -eps && s <= sf->width_m + eps && y >= sf->bottom_m - eps &&
	       y <= sf->bottom_m + sf->height_m + eps;
}

int vpm_surface_intersect(const vpm_surface_t *sf, vpm_vec3_t o, vpm_vec3_t d, int bounded,
			  double *t_out, double *s_out, double *y_out)
{
	if (sf->kind == VPM_SURFACE_FLAT) {
		/* plane through (x0, z0) with normal n = (−dz, dx) */
		double nx = -sf->dz, nz = sf->dx;
		double den = nx * d.x + nz * d.z;
		double t, s, y;
		if (fabs(den) < 1e-15)
			return 0;
		t = (nx * (sf->x0_m - o.x) + nz * (sf->z0_m - o.z)) / den;
		if (!(t > HIT_EPS))
			return 0;
		s = (o.x + t * d.x - sf->x0_m) * sf->dx + (o.z + t * d.z - sf->z0_m) * sf->dz;
		y = o.y + t * d.y;
		if (bounded && !in_surface(sf, s, y))
			return 0;
		*t_out = t;
		*s_out = s;
		*y_out = y;
		return 1;
	} else {
		double ox = o.x - sf->cx_m, oz = o.z - sf->cz_m;
		double a = d.x * d.x + d.z * d.z;
		double b = 2.0 * (ox * d.x + oz * d.z);
		double c = ox * ox + oz * oz - sf->radius_m * sf->radius_m;
		double disc = b * b - 4.0 * a * c, sq, roots[2];
		double amid = sf->a0_rad + 0.5 * sf->width_m / sf->radius_m;
		int k;
		if (a < 1e-30 || disc < 0.0)
			return 0;
		sq = sqrt(disc);
		/* numerically stable roots */
		{
			double q = -0.5 * (b + (b >= 0 ? sq : -sq));
			double r1 = q / a, r2 = q != 0.0 ? c / q : r1;
			roots[0] = fmin(r1, r2);
			roots[1] = fmax(r1, r2);
		}
		for (k = 0; k < 2; k++) {
			double t = roots[k], px, pz, ang, da, s, y;
			if (!(t > HIT_EPS))
				continue;
			px = ox + t * d.x;
			pz = oz + t * d.z;
			ang = atan2(px, -pz);
			da = remainder(ang - amid, 2.0 * PI);
			s = 0.5 * sf->width_m + sf->radius_m * da;
			y = o.y + t * d.y;
			if (bounded && !in_surface(sf, s, y))
				continue;
			*t_out = t;
			*s_out = s;
			*y_out = y;
			return 1;
		}
		return 0;
	}
}

/* Is a floor point in front of the main wall? */
static int floor_in_front(const vpm_stage_t *st, double x, double z)
{
	const vpm_surface_t *m = &st->surface[0];

	if (x < st->floor_x0_m || x > st->floor_x1_m || z < 0.0 || z > st->floor_depth_m)
		return 0;
	if (m->kind == VPM_SURFACE_ARC) {
		double dx = x - m->cx_m;
		double half = 0.5 * m->width_m / m->radius_m;
		if (fabs(dx) <= m->radius_m * sin(half)) {
			double zarc = m->cz_m - sqrt(m->radius_m * m->radius_m - dx * dx);
			return z >= zarc;
		}
	}
	return 1;
}

void vpm_stage_trace(const vpm_stage_t *st, vpm_vec3_t o, vpm_vec3_t d, vpm_hit_t *hit)
{
	size_t i;
	double t, s, y, best_t = INFINITY;
	int best = -1;
	double best_s = 0, best_y = 0;

	hit->kind = VPM_HIT_NOTHING;
	hit->surface = -1;
	hit->t = INFINITY;
	hit->edges = 0;
	hit->s_m = hit->y_m = 0.0;
	hit->point = o;
	for (i = 0; i < st->n_surfaces; i++)
		if (vpm_surface_intersect(&st->surface[i], o, d, 1, &t, &s, &y) && t < best_t) {
			best_t = t;
			best = (int)i;
			best_s = s;
			best_y = y;
		}
	/* the floor, when the ray reaches it before any LED */
	if (d.y < 0.0 && o.y > 0.0) {
		double tf = -o.y / d.y;
		if (tf < best_t && floor_in_front(st, o.x + tf * d.x, o.z + tf * d.z)) {
			hit->kind = VPM_HIT_FLOOR;
			hit->t = tf;
			hit->point = v3(o.x + tf * d.x, 0.0, o.z + tf * d.z);
			return;
		}
	}
	if (best >= 0) {
		hit->kind = VPM_HIT_LED;
		hit->surface = best;
		hit->t = best_t;
		hit->s_m = best_s;
		hit->y_m = best_y;
		hit->point = v3(o.x + best_t * d.x, o.y + best_t * d.y, o.z + best_t * d.z);
		return;
	}
	/* Nothing hit: which edges does it pass?  Over or under a surface it
	 * spans (nearest first), else beside the whole wall. */
	best_t = INFINITY;
	for (i = 0; i < st->n_surfaces; i++) {
		const vpm_surface_t *sf = &st->surface[i];
		if (vpm_surface_intersect(sf, o, d, 0, &t, &s, &y) && s >= 0.0 &&
		    s <= sf->width_m && t < best_t) {
			best_t = t;
			hit->edges = y > sf->bottom_m + sf->height_m ? VPM_EDGE_TOP
								     : VPM_EDGE_BOTTOM;
		}
	}
	if (best_t < INFINITY)
		return;
	{
		const vpm_surface_t *m = &st->surface[0];
		if (vpm_surface_intersect(m, o, d, 0, &t, &s, &y)) {
			hit->edges = s < 0.0 ? VPM_EDGE_LEFT : VPM_EDGE_RIGHT;
			if (y > m->bottom_m + m->height_m)
				hit->edges |= VPM_EDGE_TOP;
			else if (y < m->bottom_m)
				hit->edges |= VPM_EDGE_BOTTOM;
		} else {
			vpm_vec3_t tc = vpm_surface_tangent(m, 0.5 * m->width_m);
			hit->edges = tc.x * d.x + tc.z * d.z < 0.0 ? VPM_EDGE_LEFT : VPM_EDGE_RIGHT;
			if (d.y > 0.0)
				hit->edges |= VPM_EDGE_TOP;
		}
	}
}

char *vpm_stage_edges_name(unsigned edges, char *buf, size_t size)
{
	static const char *const names[4] = { "left", "right", "top", "bottom" };
	size_t n = 0;
	int i;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < 4; i++)
		if (edges & (1u << i)) {
			int w = snprintf(buf + n, size - n, "%s%s", n ? ", " : "", names[i]);
			if (w < 0 || (size_t)w >= size - n)
				break;
			n += (size_t)w;
		}
	return buf;
}

/* A wall size from a length or a cabinet count: whole cabinets. */
static vpm_status_t cabinets(const vpm_stage_desc_t *d, vpm_stage_key_t len_key,
			     vpm_stage_key_t count_key, double cab_m, double *size_m, long *count)
{
	int has_len = (d->given >> len_key) & 1u, has_count = (d->given >> count_key) & 1u;
	double len = len_key == VPM_STAGE_WALL_WIDTH	? d->wall_width_m
		     : len_key == VPM_STAGE_WALL_HEIGHT ? d->wall_height_m
							: d->side_wall_width_m;
	long n = count_key == VPM_STAGE_CABINETS_ACROSS ? d->cabinets_across
		 : count_key == VPM_STAGE_CABINETS_DOWN ? d->cabinets_down
							: d->side_wall_cabinets;
	char w1[VPM_STAGE_ORIGIN_MAX + 64], w2[VPM_STAGE_ORIGIN_MAX + 64];

	if (!has_len && !has_count)
		return vpm_error(VPM_EINVAL, "stage: give %s (a length) or %s (a count)",
				 key_names[len_key], key_names[count_key]);
	if (cab_m <= 0.0) {
		if (!has_len)
			return vpm_error(VPM_EINVAL,
					 "%s: the panel has no cabinet size in the catalog; give %s "
					 "as a length instead",
					 where(d, count_key, w1, sizeof w1), key_names[len_key]);
		*size_m = len;
		*count = 0;
		return VPM_OK;
	}
	if (has_count) {
		if (has_len && fabs(len - (double)n * cab_m) > 0.001)
			return vpm_error(VPM_EINVAL,
					 "%s: %.3f m does not match %s = %ld cabinets of %.3f m "
					 "(%.3f m)",
					 where(d, len_key, w1, sizeof w1), len,
					 key_names[count_key], n, cab_m, (double)n * cab_m);
		*size_m = (double)n * cab_m;
		*count = n;
		return VPM_OK;
	}
	{
		double q = len / cab_m;
		long k = lround(q);
		double tol = fmax(0.010, 0.02 * cab_m);
		if (k < 1 || fabs(len - (double)k * cab_m) > tol)
			return vpm_error(
				VPM_EINVAL,
				"%s: %.3f m is %.2f cabinets of %.3f m; give a whole number "
				"of cabinets (%ld = %.3f m) or use %s",
				where(d, len_key, w2, sizeof w2), len, q, cab_m, k < 1 ? 1L : k,
				(double)(k < 1 ? 1 : k) * cab_m, key_names[count_key]);
		*size_m = (double)k * cab_m;
		*count = k;
	}
	return VPM_OK;
}

static void extend_room(vpm_stage_t *st, double x, double z)
{
	st->room_x0_m = fmin(st->room_x0_m, x);
	st->room_x1_m = fmax(st->room_x1_m, x);
	st->room_z0_m = fmin(st->room_z0_m, z);
	st->room_z1_m = fmax(st->room_z1_m, z);
}

VPM_STATUS_FN(vpm_stage_build,
	      (const vpm_stage_desc_t *d, const vpm_panel_t *panel, vpm_stage_t *out),
	      (d, panel, out))
{
	vpm_stage_t st;
	vpm_surface_t *m;
	double cab_w, cab_h, sx0 = INFINITY, sx1 = -INFINITY;
	char w[VPM_STAGE_ORIGIN_MAX + 64];
	vpm_status_t rc;
	size_t i;
	int k;

	if (d == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "stage: NULL argument");
	if (panel == NULL)
		return vpm_error(VPM_EINVAL, "stage: no LED panel (give the key 'panel')");
	memset(&st, 0, sizeof st);
	snprintf(st.name, sizeof st.name, "%s", d->name[0] ? d->name : "LED stage");
	snprintf(st.panel, sizeof st.panel, "%s", panel->name ? panel->name : d->panel);
	st.pitch_mm = panel->pitch_mm;
	st.emitter_mm = panel->emitter_mm;
	cab_w = panel->cabinet_w_mm * 1e-3;
	cab_h = panel->cabinet_h_mm * 1e-3;

	m = &st.surface[0];
	m->name = "main wall";
	m->cabinet_w_m = cab_w;
	m->cabinet_h_m = cab_h;
	if ((rc = cabinets(d, VPM_STAGE_WALL_WIDTH, VPM_STAGE_CABINETS_ACROSS, cab_w, &m->width_m,
			   &m->cabinets_across)) != VPM_OK)
		return rc;
	if ((rc = cabinets(d, VPM_STAGE_WALL_HEIGHT, VPM_STAGE_CABINETS_DOWN, cab_h, &m->height_m,
			   &m->cabinets_down)) != VPM_OK)
		return rc;
	m->bottom_m = d->wall_bottom_m;
	if (d->curve_radius_m > 0.0) {
		double half = 0.5 * m->width_m / d->curve_radius_m;
		if (half > 0.5 * PI + 1e-12)
			return vpm_error(VPM_EGEOMETRY,
					 "%s: a %.3f m wide wall on a %.3f m radius would wrap %.0f "
					 "degrees; at most 180 (radius at least %.3f m)",
					 where(d, VPM_STAGE_CURVE_RADIUS, w, sizeof w), m->width_m,
					 d->curve_radius_m, 2.0 * half * 180.0 / PI,
					 m->width_m / PI);
		m->kind = VPM_SURFACE_ARC;
		m->cx_m = 0.0;
		m->cz_m = d->curve_radius_m;
		m->radius_m = d->curve_radius_m;
		m->a0_rad = -half;
	} else {
		m->kind = VPM_SURFACE_FLAT;
		m->x0_m = -0.5 * m->width_m;
		m->z0_m = 0.0;
		m->dx = 1.0;
		m->dz = 0.0;
	}
	st.n_surfaces = 1;

	if (d->side_walls != VPM_SIDE_NONE) {
		double sw;
		long sn;
		double psi = d->side_wall_angle_deg * PI / 180.0;
		if ((rc = cabinets(d, VPM_STAGE_SIDE_WALL_WIDTH, VPM_STAGE_SIDE_WALL_CABINETS,
				   cab_w, &sw, &sn)) != VPM_OK)
			return rc;
		for (k = 0; k < 2; k++) {
			vpm_surface_t *sf;
			vpm_vec3_t e, t, n;
			double dxw, dzw;
			if (k == 0 && !(d->side_walls & VPM_SIDE_LEFT))
				continue;
			if (k == 1 && !(d->side_walls & VPM_SIDE_RIGHT))
				continue;
			sf = &st.surface[st.n_surfaces++];
			*sf = *m;
			sf->kind = VPM_SURFACE_FLAT;
			sf->width_m = sw;
			sf->cabinets_across = sn;
			sf->radius_m = 0.0;
			if (k == 0) {
				/* away from the left end: cos ψ·t + sin ψ·n */
				e = vpm_surface_point(m, 0.0, 0.0);
				t = vpm_surface_tangent(m, 0.0);
				n = vpm_surface_normal(m, 0.0);
				dxw = cos(psi) * t.x + sin(psi) * n.x;
				dzw = cos(psi) * t.z + sin(psi) * n.z;
				sf->name = "left side wall";
				sf->x0_m = e.x + sw * dxw;
				sf->z0_m = e.z + sw * dzw;
				sf->dx = -dxw;
				sf->dz = -dzw;
			} else {
				/* away from the right end: −cos ψ·t + sin ψ·n */
				e = vpm_surface_point(m, m->width_m, 0.0);
				t = vpm_surface_tangent(m, m->width_m);
				n = vpm_surface_normal(m, m->width_m);
				dxw = -cos(psi) * t.x + sin(psi) * n.x;
				dzw = -cos(psi) * t.z + sin(psi) * n.z;
				sf->name = "right side wall";
				sf->x0_m = e.x;
				sf->z0_m = e.z;
				sf->dx = dxw;
				sf->dz = dzw;
			}
		}
	}

	/* plan extent of the walls */
	st.room_x0_m = st.room_z0_m = INFINITY;
	st.room_x1_m = st.room_z1_m = -INFINITY;
	for (i = 0; i < st.n_surfaces; i++) {
		for (k = 0; k <= 32; k++) {
			vpm_vec3_t p = vpm_surface_point(&st.surface[i],
							 st.surface[i].width_m * k / 32.0, 0.0);
			sx0 = fmin(sx0, p.x);
			sx1 = fmax(sx1, p.x);
			extend_room(&st, p.x, p.z);
		}
	}
	{
		double fw = (d->given >> VPM_STAGE_FLOOR_WIDTH) & 1u ? d->floor_width_m : sx1 - sx0;
		double fc = (d->given >> VPM_STAGE_FLOOR_OFFSET) & 1u ? d->floor_offset_m
								      : 0.5 * (sx0 + sx1);
		st.floor_x0_m = fc - 0.5 * fw;
		st.floor_x1_m = fc + 0.5 * fw;
		st.floor_depth_m = (d->given >> VPM_STAGE_FLOOR_DEPTH) & 1u ? d->floor_depth_m
									    : 4.0;
		extend_room(&st, st.floor_x0_m, 0.0);
		extend_room(&st, st.floor_x1_m, st.floor_depth_m);
	}
	if ((d->given >> VPM_STAGE_CEILING) & 1u) {
		st.ceiling_m = d->ceiling_m;
		if (m->bottom_m + m->height_m > d->ceiling_m + 1e-9)
			return vpm_error(VPM_EGEOMETRY,
					 "%s: the wall's top edge (%.3f m) is above the ceiling "
					 "(%.3f m)",
					 where(d, VPM_STAGE_CEILING, w, sizeof w),
					 m->bottom_m + m->height_m, d->ceiling_m);
	}
	*out = st;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_stage_desc_load,
	      (vpm_stage_desc_t * d, const char *path, const char *const values[VPM_STAGE_NKEYS]),
	      (d, path, values))
{
	vpm_status_t st;

	if (d == NULL || values == NULL)
		return vpm_error(VPM_EINVAL, "stage: NULL argument");
	vpm_stage_desc_init(d);
	if (path != NULL && (st = vpm_stage_desc_read(d, path)) != VPM_OK)
		return st;
	for (int k = 0; k < VPM_STAGE_NKEYS; k++)
		if (values[k] != NULL && (st = vpm_stage_desc_set(d, (vpm_stage_key_t)k, values[k],
								  NULL, 0, 0)) != VPM_OK)
			return st;
	if (!((d->given >> VPM_STAGE_PANEL) & 1u))
		return vpm_error(VPM_EINVAL,
				 "%s: no LED panel: add 'panel = NAME' (or --panel NAME)",
				 path ? path : "stage");
	return VPM_OK;
}

VPM_STATUS_FN(vpm_stage_desc_resolve,
	      (const vpm_stage_desc_t *d, const vpm_catalog_t *cat, const vpm_panel_t **panel,
	       vpm_stage_t *out),
	      (d, cat, panel, out))
{
	vpm_status_t st = vpm_stage_desc_find_panel(d, cat, panel);

	return st != VPM_OK ? st : vpm_stage_build(d, *panel, out);
}
