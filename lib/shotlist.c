/* Shotlists: CSV rows to shots, and one shot evaluated on a stage
 * (lib/vpmoire/shotlist.h). */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "error.h"
#include "nameset.h"
#include "vpmoire/csv.h"
#include "vpmoire/geometry.h"
#include "vpmoire/sensor.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/temporal.h"
#include "vpmoire/units.h"

/* ------------------------------------------------------------ fields */

static const char *const a_id[] = { "shot",	   "shot id",  "shotid", "id", "shot no", "shot nr",
				    "shot number", "shot num", "no",	 "nr", "number",  NULL };
static const char *const a_desc[] = { "description", "desc", "shot description",
				      "action",	     "what", NULL };
static const char *const a_size[] = { "size", "shot size", "framing", "shot type", "type", NULL };
static const char *const a_camera[] = {
	"camera", "camera body", "body", "cam", "camera mode", NULL
};
static const char *const a_lens[] = { "lens",	    "focal length", "focal",
				      "lens focal", "lens name",    NULL };
static const char *const a_stop[] = { "stop",	  "t stop", "tstop", "f stop", "fstop",
				      "aperture", "iris",   "t",     NULL };
static const char *const a_cdist[] = { "camera distance",
				       "cam distance",
				       "camera to wall",
				       "cam to wall",
				       "camera wall distance",
				       "camera distance to wall",
				       "distance to wall",
				       "camera dist",
				       "cam dist",
				       "camera z",
				       "cam z",
				       "distance",
				       "wall distance",
				       NULL };
static const char *const a_coff[] = { "camera offset",	       "cam offset", "camera lateral",
				      "camera lateral offset", "camera x",   "cam x",
				      "lateral offset",	       "offset",     NULL };
static const char *const a_cheight[] = { "camera height", "cam height", "lens height",
					 "camera y",	  "cam y",	NULL };
static const char *const a_pan[] = { "pan", "camera pan", NULL };
static const char *const a_tilt[] = { "tilt", "camera tilt", NULL };
static const char *const a_roll[] = { "roll", "camera roll", "dutch", "dutch angle", NULL };
static const char *const a_sdist[] = { "subject distance",
				       "subject to wall",
				       "subject wall distance",
				       "subject distance to wall",
				       "subject dist",
				       "talent distance",
				       "talent to wall",
				       "subject z",
				       "subject",
				       NULL };
static const char *const a_soff[] = { "subject offset", "subject lateral", "subject lateral offset",
				      "subject x",	"talent offset",   NULL };
static const char *const a_sheight[] = { "subject height", "talent height", "person height",
					 "height of subject", NULL };
static const char *const a_pose[] = { "pose", "subject pose", "talent pose", NULL };
static const char *const a_focus[] = { "focus",	     "focus distance", "focus dist",
				       "focus mode", "focus setting",  "focus to",
				       NULL };
static const char *const a_rec[] = { "recording", "recording width", "recording resolution", "rec",
				     "rec width", "record width",    "recording format",     NULL };
static const char *const a_del[] = { "delivery",    "delivery width",  "delivery resolution",
				     "deliverable", "delivery format", NULL };
static const char *const a_notes[] = { "notes", "note", "comments", "comment", "remarks", NULL };
static const char *const a_fps[] = { "fps", "frame rate", "framerate", "frames per second", NULL };
static const char *const a_shutter[] = { "shutter", "shutter angle", "exposure", "shutter speed",
					 NULL };
static const char *const a_readout[] = { "readout", "readout time", "sensor readout", NULL };

static const char *const a_cend[] = { "camera distance end",
				      "end camera distance",
				      "camera end",
				      "camera distance to",
				      "camera to",
				      "push to",
				      "move to",
				      "camera end distance",
				      NULL };
static const char *const a_fend[] = { "focus end",	    "end focus",
				      "focus pull",	    "pull to",
				      "focus pull to",	    "pull focus to",
				      "focus end distance", NULL };
static const char *const a_s2[] = { "second subject distance",
				    "second subject",
				    "subject 2 distance",
				    "subject 2",
				    "subject2",
				    "subject2 distance",
				    "second subject to wall",
				    NULL };

static const char *const *const aliases[VPM_SHOT_NFIELDS] = {
	a_id,  a_desc,	a_size, a_camera,  a_lens,    a_stop,	 a_cdist, a_coff,  a_cheight,
	a_pan, a_tilt,	a_roll, a_sdist,   a_soff,    a_sheight, a_pose,  a_focus, a_rec,
	a_del, a_notes, a_fps,	a_shutter, a_readout, a_cend,	 a_fend,  a_s2,
};

static const char *const field_names[VPM_SHOT_NFIELDS] = {
	"shot",
	"description",
	"size",
	"camera",
	"lens",
	"stop",
	"camera distance",
	"camera offset",
	"camera height",
	"pan",
	"tilt",
	"roll",
	"subject distance",
	"subject offset",
	"subject height",
	"pose",
	"focus",
	"recording",
	"delivery",
	"notes",
	"fps",
	"shutter",
	"readout",
	"camera distance end",
	"focus end",
	"second subject distance",
};

const char *vpm_shot_field_name(vpm_shot_field_t f)
{
	return (int)f >= 0 && f < VPM_SHOT_NFIELDS ? field_names[f] : NULL;
}

const char *const *vpm_shot_field_aliases(vpm_shot_field_t f)
{
	return (int)f >= 0 && f < VPM_SHOT_NFIELDS ? aliases[f] : NULL;
}

/* Columns holding lengths (their header may name the unit). */
static int is_length_field(int f)
{
	return f == VPM_SHOT_CAM_DISTANCE || f == VPM_SHOT_CAM_OFFSET || f == VPM_SHOT_CAM_HEIGHT ||
	       f == VPM_SHOT_SUBJECT_DISTANCE || f == VPM_SHOT_SUBJECT_OFFSET ||
	       f == VPM_SHOT_SUBJECT_HEIGHT || f == VPM_SHOT_FOCUS ||
	       f == VPM_SHOT_CAM_DISTANCE_END || f == VPM_SHOT_FOCUS_END ||
	       f == VPM_SHOT_SUBJECT2_DISTANCE;
}

/* ------------------------------------------------------------ headers */

/* Fold a header: lower case, every run of other than letters and digits
 * becomes one blank; a trailing unit word (m, cm, mm, ft, in, deg, px) is
 * removed and returned.  "Camera distance (ft)" -> "camera distance", "ft". */
static void fold_header(const char *in, char *out, size_t size, char *unit, size_t usize)
{
	static const char *const units[] = { "m",  "cm",     "mm",     "ft",	 "feet",
					     "in", "inch",   "inches", "deg",	 "degrees",
					     "px", "pixels", "metres", "meters", NULL };
	size_t n = 0, i;
	int blank = 0;
	char *last;

	unit[0] = '\0';
	for (; *in && n + 2 < size; in++) {
		unsigned char c = (unsigned char)*in;
		if (isalnum(c) || c >= 0x80) {
			if (blank && n > 0)
				out[n++] = ' ';
			blank = 0;
			out[n++] = (char)tolower(c);
		} else {
			blank = 1;
		}
	}
	out[n] = '\0';
	last = strrchr(out, ' ');
	if (last != NULL)
		for (i = 0; units[i]; i++)
			if (strcmp(last + 1, units[i]) == 0) {
				snprintf(unit, usize, "%s", units[i]);
				*last = '\0';
				break;
			}
}

static int find_field(const char *folded)
{
	int f, k;

	for (f = 0; f < VPM_SHOT_NFIELDS; f++)
		for (k = 0; aliases[f][k]; k++)
			if (strcmp(folded, aliases[f][k]) == 0)
				return f;
	return -1;
}

/* The suffix to append to a bare number of a length column whose header
 * names a unit ("" when none or metres). */
static const char *unit_suffix(const char *unit)
{
	if (strcmp(unit, "cm") == 0)
		return "cm";
	if (strcmp(unit, "mm") == 0)
		return "mm";
	if (strcmp(unit, "ft") == 0 || strcmp(unit, "feet") == 0)
		return "ft";
	if (strcmp(unit, "in") == 0 || strcmp(unit, "inch") == 0 || strcmp(unit, "inches") == 0)
		return "in";
	return "";
}

/* ------------------------------------------------------------ parsing */

typedef struct {
	int field_col[VPM_SHOT_NFIELDS];  /* CSV field index of each column, -1 */
	char suffix[VPM_SHOT_NFIELDS][8]; /* unit of bare numbers */
	size_t ncols;
	char **col_header; /* header text per CSV field */
	int *col_field;	   /* field of each CSV column, -1 unknown */
} header_map_t;

static vpm_status_t row_error(char *buf, size_t size, vpm_status_t st, const char *name, long line,
			      int col, const char *header, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));

static vpm_status_t row_error(char *buf, size_t size, vpm_status_t st, const char *name, long line,
			      int col, const char *header, const char *fmt, ...)
{
	char what[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(buf, size, "%s:%ld:%d: %s: %s", name, line, col, header, what);
	return st;
}

static int char_len(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

/* A cell of the current row: its text ("" when the row is short) and
 * column (the end of the row when missing). */
typedef struct {
	const vpm_csv_row_t *row;
	const header_map_t *map;
	const char *name;
	char *msg;
	size_t msgsize;
} rowctx_t;

static const char *cell(const rowctx_t *rc, int f, int *col)
{
	int k = rc->map->field_col[f];
	const vpm_csv_row_t *r = rc->row;

	if (k >= 0 && (size_t)k < r->n) {
		*col = r->column[k];
		return r->field[k];
	}
	if (r->n > 0)
		*col = r->column[r->n - 1] + char_len(r->field[r->n - 1]) + 1;
	else
		*col = 1;
	return "";
}

static const char *hdr(const rowctx_t *rc, int f)
{
	int k = rc->map->field_col[f];
	return k >= 0 ? rc->map->col_header[k] : field_names[f];
}

#define FAIL(st, f, col, ...)                                                               \
	row_error(rc->msg, rc->msgsize, (st), rc->name, rc->row->line, (col), hdr(rc, (f)), \
		  __VA_ARGS__)

/* A length cell: `bare` unit for bare numbers unless the header names one. */
static vpm_status_t parse_len(const rowctx_t *rc, int f, unsigned flags, double *m, int *given)
{
	int col;
	const char *t = cell(rc, f, &col);
	char buf[256];
	double dummy;
	vpm_status_t st;

	*given = 0;
	if (t[0] == '\0')
		return VPM_OK;
	if (rc->map->suffix[f][0] && vpm_units_parse_number(t, &dummy) == VPM_OK) {
		snprintf(buf, sizeof buf, "%s%s", t, rc->map->suffix[f]);
		t = buf;
	}
	st = vpm_units_parse_length(t, VPM_UNIT_M, flags, m);
	if (st != VPM_OK)
		return FAIL(st, f, col, "%s", vpm_error_message());
	*given = 1;
	return VPM_OK;
}

static vpm_status_t parse_angle_cell(const rowctx_t *rc, int f, double lim, double *deg)
{
	int col;
	const char *t = cell(rc, f, &col);
	vpm_status_t st;

	*deg = 0.0;
	if (t[0] == '\0')
		return VPM_OK;
	st = vpm_units_parse_angle(t, deg);
	if (st != VPM_OK)
		return FAIL(st, f, col, "%s", vpm_error_message());
	if (!(fabs(*deg) <= lim))
		return FAIL(VPM_ERANGE, f, col, "%g degrees: expected -%g to %g", *deg, lim, lim);
	return VPM_OK;
}

/* A positive number of `what` within (0, hi], from a cell with an optional
 * unit word the caller strips (none here: the header says "fps", "ms"). */
static vpm_status_t parse_pos_cell(const rowctx_t *rc, int f, double hi, const char *what,
				   double *v)
{
	int col;
	const char *t = cell(rc, f, &col);

	*v = 0.0;
	if (t[0] == '\0')
		return VPM_OK;
	if (vpm_units_parse_number(t, v) != VPM_OK)
		return FAIL(VPM_EPARSE, f, col, "'%s': expected %s", t, what);
	if (!(*v > 0.0 && *v <= hi))
		return FAIL(VPM_ERANGE, f, col, "%g: expected %s, above 0 and at most %g", *v, what,
			    hi);
	return VPM_OK;
}

/* fps (up to 1000: high-speed cinema cameras), shutter as an angle (up to
 * 360 degrees) or an exposure "1/50", readout in ms (up to 100: slower
 * sensors are not made for moving pictures). */
static vpm_status_t parse_scan_cells(const rowctx_t *rc, vpm_shot_t *s)
{
	int col;
	const char *t;
	vpm_status_t st;
	double den;

	if ((st = parse_pos_cell(rc, VPM_SHOT_FPS, VPM_TEMPORAL_MAX_FPS, "a frame rate", &s->fps)) != VPM_OK)
		return st;
	if ((st = parse_pos_cell(rc, VPM_SHOT_READOUT, VPM_TEMPORAL_MAX_READOUT_MS, "a readout time in ms",
				 &s->readout_ms)) != VPM_OK)
		return st;
	s->shutter_deg = s->exposure_s = 0.0;
	t = cell(rc, VPM_SHOT_SHUTTER, &col);
	if (t[0] == '\0')
		return VPM_OK;
	if (strncmp(t, "1/", 2) == 0) {
		if (vpm_units_parse_number(t + 2, &den) != VPM_OK || !(den >= 1.0 && den <= 1e5))
			return FAIL(VPM_EPARSE, VPM_SHOT_SHUTTER, col,
				    "'%s': expected an exposure 1/N (N from 1 to 100000) or an "
				    "angle in degrees",
				    t);
		s->exposure_s = 1.0 / den;
		return VPM_OK;
	}
	if (vpm_units_parse_number(t, &s->shutter_deg) != VPM_OK &&
	    vpm_units_parse_angle(t, &s->shutter_deg) != VPM_OK)
		return FAIL(VPM_EPARSE, VPM_SHOT_SHUTTER, col,
			    "'%s': expected a shutter angle in degrees or an exposure 1/N", t);
	if (!(s->shutter_deg > 0.0 && s->shutter_deg <= 360.0))
		return FAIL(VPM_ERANGE, VPM_SHOT_SHUTTER, col,
			    "%g degrees: expected a shutter angle above 0 and at most 360",
			    s->shutter_deg);
	return VPM_OK;
}

static vpm_status_t parse_width_cell(const rowctx_t *rc, int f, long *px)
{
	static const struct {
		const char *name;
		long px;
	} named[] = {
		{ "hd", 1920 },	    { "fhd", 1920 },	{ "1080p", 1920 },  { "2k", 2048 },
		{ "uhd", 3840 },    { "4k uhd", 3840 }, { "uhd 4k", 3840 }, { "4k", 4096 },
		{ "4k dci", 4096 }, { "dci 4k", 4096 }, { "8k uhd", 7680 }, { "uhd 8k", 7680 },
	};
	int col;
	const char *t = cell(rc, f, &col);
	char folded[64], unit[16];
	size_t i;
	vpm_status_t st;

	*px = 0;
	if (t[0] == '\0')
		return VPM_OK;
	fold_header(t, folded, sizeof folded, unit, sizeof unit);
	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcmp(folded, named[i].name) == 0) {
			*px = named[i].px;
			return VPM_OK;
		}
	/* "3840x2160": the width */
	{
		char w[32];
		size_t n = strspn(t, "0123456789");
		if (n > 0 && n < sizeof w && (t[n] == 'x' || t[n] == 'X')) {
			memcpy(w, t, n);
			w[n] = '\0';
			t = w;
			st = vpm_units_parse_count(t, 100000, px);
			if (st != VPM_OK)
				return FAIL(st, f, col, "%s", vpm_error_message());
			return VPM_OK;
		}
	}
	st = vpm_units_parse_count(t, 100000, px);
	if (st != VPM_OK)
		return FAIL(VPM_EPARSE, f, col,
			    "'%s': expected a width in pixels (1920, 3840, 4096) or HD, 2K, UHD, 4K",
			    t);
	return VPM_OK;
}

/* Is the cell a plain focal length ("28", "28mm")? */
static int focal_length(const char *t, double *f_mm)
{
	double m;

	if (vpm_units_parse_length(t, VPM_UNIT_MM, 0, &m) != VPM_OK)
		return 0;
	*f_mm = m * 1000.0;
	return 1;
}

static vpm_status_t parse_row(const rowctx_t *rc, const vpm_shotlist_options_t *opt, vpm_shot_t *s,
			      vpm_shotlist_arena_t **arena)
{
	int col, given;
	const char *t;
	vpm_status_t st;
	size_t k;
	char extra[4096];
	size_t ne = 0;

	memset(s, 0, sizeof *s);
	s->line = rc->row->line;
	for (k = 0; k < VPM_SHOT_NFIELDS; k++) {
		int c = rc->map->field_col[k];
		s->col[k] = c >= 0 && (size_t)c < rc->row->n ? rc->row->column[c] : 0;
	}

	/* shot id */
	t = cell(rc, VPM_SHOT_ID, &col);
	if (t[0] == '\0')
		return FAIL(VPM_EPARSE, VPM_SHOT_ID, col, "missing shot id");
	if (strlen(t) >= VPM_SHOT_ID_MAX)
		return FAIL(VPM_ERANGE, VPM_SHOT_ID, col, "shot id longer than %d bytes",
			    VPM_SHOT_ID_MAX - 1);
	snprintf(s->id, sizeof s->id, "%s", t);

	/* camera */
	t = cell(rc, VPM_SHOT_CAMERA, &col);
	if (t[0] == '\0') {
		if (opt->default_camera == NULL)
			return FAIL(
				VPM_EPARSE, VPM_SHOT_CAMERA, col,
				"missing camera (a catalog name, e.g. "
				"bmd-ursa-mini-pro-4.6k-g2; see 'vpmoire catalog list cameras')");
		t = opt->default_camera;
	}
	st = vpm_catalog_find_camera(opt->catalog, t, &s->camera);
	if (st != VPM_OK)
		return FAIL(st, VPM_SHOT_CAMERA, col, "%s", vpm_error_message());

	/* lens: a focal length, or a catalog name */
	t = cell(rc, VPM_SHOT_LENS, &col);
	if (t[0] == '\0')
		return FAIL(VPM_EPARSE, VPM_SHOT_LENS, col,
			    "missing lens (a catalog name such as zeiss-cp3-50 or \"CP.3 50mm\", "
			    "or a focal length such as 50mm)");
	if (focal_length(t, &s->focal_mm)) {
		if (!(s->focal_mm >= 1.0 && s->focal_mm <= 2000.0))
			return FAIL(VPM_ERANGE, VPM_SHOT_LENS, col,
				    "focal length %g mm: expected 1 to 2000 mm", s->focal_mm);
		if (opt->lens_set != NULL) {
			const vpm_lens_t *set[64];
			size_t n = 0, i;
			st = vpm_catalog_find_series(opt->catalog, opt->lens_set, set, 64, &n);
			if (st != VPM_OK)
				return FAIL(st, VPM_SHOT_LENS, col, "lens set: %s",
					    vpm_error_message());
			for (i = 0; i < n; i++)
				if (fabs(set[i]->focal_mm - s->focal_mm) < 0.5)
					s->lens = set[i];
			if (s->lens == NULL)
				return FAIL(VPM_ENOTFOUND, VPM_SHOT_LENS, col,
					    "the lens set '%s' has no %g mm lens", opt->lens_set,
					    s->focal_mm);
			s->focal_mm = s->lens->focal_mm;
		}
	} else {
		st = vpm_catalog_find_lens(opt->catalog, t, &s->lens);
		if (st != VPM_OK)
			return FAIL(st, VPM_SHOT_LENS, col, "%s", vpm_error_message());
		s->focal_mm = s->lens->focal_mm;
	}

	/* stop */
	t = cell(rc, VPM_SHOT_STOP, &col);
	if (t[0] == '\0')
		return FAIL(VPM_EPARSE, VPM_SHOT_STOP, col, "missing stop (e.g. T2.8)");
	st = vpm_units_parse_stop(t, &s->stop);
	if (st != VPM_OK)
		return FAIL(st, VPM_SHOT_STOP, col, "%s", vpm_error_message());
	if (s->lens != NULL && s->lens->max_t > 0.0 && s->stop < s->lens->max_t - 1e-9)
		return FAIL(VPM_ERANGE, VPM_SHOT_STOP, col, "T%g is wider than the %s opens (T%g)",
			    s->stop, s->lens->name, s->lens->max_t);

	/* camera position */
	if ((st = parse_len(rc, VPM_SHOT_CAM_DISTANCE, 0, &s->cam_distance_m, &given)) != VPM_OK)
		return st;
	if (!given) {
		cell(rc, VPM_SHOT_CAM_DISTANCE, &col);
		return FAIL(VPM_EPARSE, VPM_SHOT_CAM_DISTANCE, col,
			    "missing camera distance to the wall (e.g. 2.5m or 8ft)");
	}
	if ((st = parse_len(rc, VPM_SHOT_CAM_OFFSET,
			    VPM_UNITS_ALLOW_ZERO | VPM_UNITS_ALLOW_NEGATIVE, &s->cam_offset_m,
			    &given)) != VPM_OK)
		return st;
	if ((st = parse_len(rc, VPM_SHOT_CAM_HEIGHT, 0, &s->cam_height_m, &given)) != VPM_OK)
		return st;
	if ((st = parse_angle_cell(rc, VPM_SHOT_PAN, 180.0, &s->pan_deg)) != VPM_OK)
		return st;
	if ((st = parse_angle_cell(rc, VPM_SHOT_TILT, 89.0, &s->tilt_deg)) != VPM_OK)
		return st;
	if ((st = parse_angle_cell(rc, VPM_SHOT_ROLL, 90.0, &s->roll_deg)) != VPM_OK)
		return st;

	/* subject */
	if ((st = parse_len(rc, VPM_SHOT_SUBJECT_DISTANCE, 0, &s->subject_distance_m,
			    &s->has_subject)) != VPM_OK)
		return st;
	if ((st = parse_len(rc, VPM_SHOT_SUBJECT_OFFSET,
			    VPM_UNITS_ALLOW_ZERO | VPM_UNITS_ALLOW_NEGATIVE, &s->subject_offset_m,
			    &given)) != VPM_OK)
		return st;
	if ((st = parse_len(rc, VPM_SHOT_SUBJECT_HEIGHT, 0, &s->subject_height_m, &given)) !=
	    VPM_OK)
		return st;
	if (!given)
		s->subject_height_m = 1.75;
	else if (!(s->subject_height_m >= 0.3 && s->subject_height_m <= 2.5)) {
		cell(rc, VPM_SHOT_SUBJECT_HEIGHT, &col);
		return FAIL(VPM_ERANGE, VPM_SHOT_SUBJECT_HEIGHT, col,
			    "%.2f m: expected a person's standing height, 0.3 to 2.5 m",
			    s->subject_height_m);
	}
	t = cell(rc, VPM_SHOT_POSE, &col);
	if (t[0] == '\0' || strcasecmp(t, "standing") == 0 || strcasecmp(t, "stand") == 0)
		s->pose = VPM_POSE_STANDING;
	else if (strcasecmp(t, "seated") == 0 || strcasecmp(t, "sitting") == 0 ||
		 strcasecmp(t, "sit") == 0)
		s->pose = VPM_POSE_SEATED;
	else
		return FAIL(VPM_EPARSE, VPM_SHOT_POSE, col, "'%s': expected standing or seated", t);

	/* focus */
	t = cell(rc, VPM_SHOT_FOCUS, &col);
	if (t[0] == '\0') {
		if (!s->has_subject)
			return FAIL(VPM_EPARSE, VPM_SHOT_FOCUS, col,
				    "missing focus: give a distance, or a subject distance to "
				    "focus on the subject");
		s->focus_mode = VPM_FOCUS_SUBJECT;
	} else {
		char f[64], unit[16];
		fold_header(t, f, sizeof f, unit, sizeof unit);
		if (strcmp(f, "subject") == 0 || strcmp(f, "on subject") == 0 ||
		    strcmp(f, "eyes") == 0) {
			s->focus_mode = VPM_FOCUS_SUBJECT;
		} else if (strcmp(f, "back of dof") == 0 || strcmp(f, "back of the dof") == 0 ||
			   strcmp(f, "bod") == 0 || strcmp(f, "back") == 0) {
			s->focus_mode = VPM_FOCUS_BACK_OF_DOF;
		} else {
			if ((st = parse_len(rc, VPM_SHOT_FOCUS, VPM_UNITS_ALLOW_INF, &s->focus_m,
					    &given)) != VPM_OK) {
				/* say what else the cell may hold */
				size_t l = strlen(rc->msg);
				snprintf(rc->msg + l, rc->msgsize - l,
					 " (or write 'subject' or 'back-of-dof')");
				return st;
			}
			s->focus_mode = VPM_FOCUS_DISTANCE;
		}
		if (s->focus_mode != VPM_FOCUS_DISTANCE && !s->has_subject)
			return FAIL(VPM_EPARSE, VPM_SHOT_FOCUS, col,
				    "'%s' needs a subject distance in this row", t);
	}

	/* recording and delivery */
	if ((st = parse_width_cell(rc, VPM_SHOT_RECORDING, &s->recording_px)) != VPM_OK)
		return st;
	if ((st = parse_width_cell(rc, VPM_SHOT_DELIVERY, &s->delivery_px)) != VPM_OK)
		return st;

	/* frame rate, shutter and readout: the scan-band verdict */
	if ((st = parse_scan_cells(rc, s)) != VPM_OK)
		return st;
	/* a move: where the camera ends, a focus pull, a second subject */
	if ((st = parse_len(rc, VPM_SHOT_CAM_DISTANCE_END, 0, &s->cam_distance_end_m, &given)) !=
	    VPM_OK)
		return st;
	s->has_move |= given;
	if ((st = parse_len(rc, VPM_SHOT_FOCUS_END, VPM_UNITS_ALLOW_INF, &s->focus_end_m,
			    &given)) != VPM_OK)
		return st;
	s->has_move |= given;
	if ((st = parse_len(rc, VPM_SHOT_SUBJECT2_DISTANCE, 0, &s->subject2_distance_m, &given)) !=
	    VPM_OK)
		return st;
	s->has_move |= given;
	if (s->subject2_distance_m > 0.0 && s->subject2_distance_m >= s->cam_distance_m) {
		cell(rc, VPM_SHOT_SUBJECT2_DISTANCE, &col);
		return FAIL(VPM_ERANGE, VPM_SHOT_SUBJECT2_DISTANCE, col,
			    "the second subject (%.3f m from the wall) must stand between the "
			    "camera (%.3f m) and the wall",
			    s->subject2_distance_m, s->cam_distance_m);
	}

	/* text and the columns nobody documented */
	extra[0] = '\0';
	for (k = 0; k < rc->row->n && k < rc->map->ncols; k++) {
		const char *v = rc->row->field[k];
		int w;
		if (rc->map->col_field[k] >= 0 || v[0] == '\0')
			continue;
		w = snprintf(extra + ne, sizeof extra - ne, "%s%s: %s", ne ? "; " : "",
			     rc->map->col_header[k][0] ? rc->map->col_header[k] : "(no header)", v);
		if (w > 0 && (size_t)w < sizeof extra - ne)
			ne += (size_t)w;
	}
	{
		const char *d = cell(rc, VPM_SHOT_DESCRIPTION, &col);
		const char *z = cell(rc, VPM_SHOT_SIZE, &col);
		const char *n = cell(rc, VPM_SHOT_NOTES, &col);
		s->description = vpm_arena_strdup(arena, d);
		s->size = vpm_arena_strdup(arena, z);
		s->notes = vpm_arena_strdup(arena, n);
		s->extra = vpm_arena_strdup(arena, extra);
		if (!s->description || !s->size || !s->notes || !s->extra)
			return row_error(rc->msg, rc->msgsize, VPM_ENOMEM, rc->name, rc->row->line,
					 1, "row", "out of memory");
	}
	return VPM_OK;
}

#undef FAIL

vpm_shotlist_options_t vpm_shotlist_options_default(void)
{
	vpm_shotlist_options_t o;

	memset(&o, 0, sizeof o);
	return o;
}

void vpm_shotlist_free(vpm_shotlist_t *sl)
{
	size_t i;

	if (sl == NULL)
		return;
	for (i = 0; i < sl->n_rejected; i++)
		free(sl->rejected[i].message);
	free(sl->rejected);
	free(sl->shot);
	vpm_arena_free(sl->arena);
	free(sl);
}

static vpm_status_t add_reject(vpm_shotlist_t *sl, long line, const char *id, const char *msg)
{
	size_t n = sl->n_rejected;
	vpm_shot_reject_t *r = sl->rejected;

	/* the capacity doubles (16, 32, 64, ...): a million rejected rows are
	 * not a million reallocations */
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0)) {
		r = realloc(sl->rejected, (n == 0 ? 16 : 2 * n) * sizeof *r);
		if (r == NULL)
			return vpm_error(VPM_ENOMEM, "%s: out of memory", sl->name);
		sl->rejected = r;
	}
	r = &sl->rejected[sl->n_rejected];
	r->line = line;
	snprintf(r->id, sizeof r->id, "%s", id ? id : "");
	r->message = strdup(msg);
	if (r->message == NULL)
		return vpm_error(VPM_ENOMEM, "%s: out of memory", sl->name);
	sl->n_rejected++;
	return VPM_OK;
}

static int row_is_empty(const vpm_csv_row_t *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->field[i][0] != '\0')
			return 0;
	return 1;
}

static vpm_status_t read_header(vpm_shotlist_t *sl, const vpm_csv_row_t *row, header_map_t *map,
				const vpm_shotlist_options_t *opt)
{
	int first_col[VPM_SHOT_NFIELDS];
	size_t i, j;
	int f;

	map->ncols = row->n;
	map->col_header = calloc(row->n, sizeof *map->col_header);
	map->col_field = calloc(row->n, sizeof *map->col_field);
	if (map->col_header == NULL || map->col_field == NULL)
		return vpm_error(VPM_ENOMEM, "%s: out of memory", sl->name);
	for (f = 0; f < VPM_SHOT_NFIELDS; f++) {
		map->field_col[f] = -1;
		map->suffix[f][0] = '\0';
		first_col[f] = 0;
	}
	for (i = 0; i < row->n; i++) {
		char folded[256], unit[16];
		map->col_header[i] = vpm_arena_strdup(&sl->arena, row->field[i]);
		if (map->col_header[i] == NULL)
			return vpm_error(VPM_ENOMEM, "%s: out of memory", sl->name);
		fold_header(row->field[i], folded, sizeof folded, unit, sizeof unit);
		f = folded[0] ? find_field(folded) : -1;
		if (f < 0 && unit[0]) {
			/* the last word was not a unit after all */
			char whole[300];
			snprintf(whole, sizeof whole, "%s %s", folded, unit);
			f = find_field(whole);
			if (f >= 0)
				unit[0] = '\0';
		}
		map->col_field[i] = f;
		if (f >= 0) {
			if (map->field_col[f] >= 0)
				return vpm_error(VPM_EPARSE,
						 "%s:%ld:%d: %s: this column and column %d ('%s') "
						 "both give the %s; keep one",
						 sl->name, row->line, row->column[i], row->field[i],
						 first_col[f], map->col_header[map->field_col[f]],
						 field_names[f]);
			map->field_col[f] = (int)i;
			first_col[f] = row->column[i];
			sl->header[f] = map->col_header[i];
			if (is_length_field(f))
				snprintf(map->suffix[f], sizeof map->suffix[f], "%s",
					 unit_suffix(unit));
		} else if (folded[0]) {
			/* unknown columns are kept, but two of the same name are ambiguous */
			for (j = 0; j < i; j++)
				if (map->col_field[j] < 0 &&
				    strcasecmp(row->field[j], row->field[i]) == 0)
					return vpm_error(VPM_EPARSE,
							 "%s:%ld:%d: %s: duplicate column header "
							 "(also column %d)",
							 sl->name, row->line, row->column[i],
							 row->field[i], row->column[j]);
		}
	}
	{
		static const int required[] = { VPM_SHOT_ID, VPM_SHOT_LENS, VPM_SHOT_STOP,
						VPM_SHOT_CAM_DISTANCE, VPM_SHOT_CAMERA };
		for (j = 0; j < sizeof required / sizeof required[0]; j++) {
			int r = required[j], k;
			char names[512];
			size_t n = 0;
			if (map->field_col[r] >= 0)
				continue;
			if (r == VPM_SHOT_CAMERA && opt->default_camera != NULL)
				continue;
			names[0] = '\0';
			for (k = 0; aliases[r][k] && k < 5; k++) {
				int w = snprintf(names + n, sizeof names - n, "%s'%s'",
						 k ? ", " : "", aliases[r][k]);
				if (w > 0 && (size_t)w < sizeof names - n)
					n += (size_t)w;
			}
			return vpm_error(VPM_EPARSE,
					 "%s:%ld:1: no %s column (a header such as %s)%s", sl->name,
					 row->line, field_names[r], names,
					 r == VPM_SHOT_CAMERA ? ", or give --camera" : "");
		}
	}
	return VPM_OK;
}

static vpm_status_t parse_csv(vpm_csv_t *csv, const char *name, const vpm_shotlist_options_t *opt,
			      vpm_shotlist_t **out)
{
	vpm_shotlist_t *sl;
	header_map_t map;
	vpm_csv_row_t row;
	vpm_status_t st;
	int eof = 0, have_header = 0;
	size_t cap = 0;
	char msg[2048];
	vpm_nameset_t ids; /* shot ids read so far (case matters) -> index */

	vpm_nameset_init(&ids, 0);
	memset(&map, 0, sizeof map);
	sl = calloc(1, sizeof *sl);
	if (sl == NULL)
		return vpm_error(VPM_ENOMEM, "%s: out of memory", name);
	sl->name = vpm_arena_strdup(&sl->arena, name);
	if (sl->name == NULL) {
		st = vpm_error(VPM_ENOMEM, "%s: out of memory", name);
		goto fail;
	}
	for (;;) {
		rowctx_t rc;
		vpm_shot_t shot;
		size_t i;

		if ((st = vpm_csv_next(csv, &row, &eof)) != VPM_OK)
			goto fail;
		if (eof)
			break;
		if (!have_header) {
			if ((st = read_header(sl, &row, &map, opt)) != VPM_OK)
				goto fail;
			have_header = 1;
			continue;
		}
		if (row_is_empty(&row))
			continue;
		memset(&shot, 0, sizeof shot);
		rc.row = &row;
		rc.map = &map;
		rc.name = sl->name;
		rc.msg = msg;
		rc.msgsize = sizeof msg;
		msg[0] = '\0';
		st = VPM_OK;
		/* a longer row than the header: only empty trailing cells are fine */
		for (i = map.ncols; i < row.n; i++)
			if (row.field[i][0] != '\0') {
				st = row_error(msg, sizeof msg, VPM_EPARSE, sl->name, row.line,
					       row.column[i], "row",
					       "%zu cells but the header has %zu columns", row.n,
					       map.ncols);
				break;
			}
		if (st == VPM_OK)
			st = parse_row(&rc, opt, &shot, &sl->arena);
		if (st == VPM_OK && vpm_nameset_find(&ids, shot.id, &i)) {
			int col;
			cell(&rc, VPM_SHOT_ID, &col);
			st = row_error(msg, sizeof msg, VPM_EPARSE, sl->name, row.line, col,
				       hdr(&rc, VPM_SHOT_ID), "shot '%s' is already on line %ld",
				       shot.id, sl->shot[i].line);
		}
		if (st == VPM_ENOMEM) {
			vpm_error(st, "%s", msg);
			goto fail;
		}
		if (st != VPM_OK) {
			int col;
			const char *id;
			if (!opt->keep_going) {
				vpm_error(st, "%s", msg);
				goto fail;
			}
			id = cell(&rc, VPM_SHOT_ID, &col);
			if ((st = add_reject(sl, row.line, strlen(id) < VPM_SHOT_ID_MAX ? id : "",
					     msg)) != VPM_OK)
				goto fail;
			continue;
		}
		if (sl->n == cap) {
			size_t nc = cap ? 2 * cap : 32;
			vpm_shot_t *ns = realloc(sl->shot, nc * sizeof *ns);
			if (ns == NULL) {
				st = vpm_error(VPM_ENOMEM, "%s: out of memory", name);
				goto fail;
			}
			sl->shot = ns;
			cap = nc;
		}
		{
			/* the index keeps its own copy: shots move when the array grows */
			const char *key = vpm_arena_strdup(&sl->arena, shot.id);
			if (key == NULL ||
			    vpm_nameset_add(&ids, key, sl->n, NULL, NULL) != VPM_OK) {
				st = vpm_error(VPM_ENOMEM, "%s: out of memory", name);
				goto fail;
			}
		}
		sl->shot[sl->n++] = shot;
	}
	if (!have_header) {
		st = vpm_error(VPM_EPARSE, "%s:1:1: empty shotlist: expected a header row", name);
		goto fail;
	}
	free(map.col_header);
	free(map.col_field);
	vpm_nameset_free(&ids);
	*out = sl;
	return VPM_OK;
fail:
	free(map.col_header);
	free(map.col_field);
	vpm_nameset_free(&ids);
	vpm_shotlist_free(sl);
	return st;
}

/* The options' default camera, when given, is one of the catalog's. */
static vpm_status_t check_default_camera(const vpm_shotlist_options_t *opt)
{
	const vpm_camera_t *cam;
	vpm_status_t st;

	if (opt->default_camera == NULL ||
	    (st = vpm_catalog_find_camera(opt->catalog, opt->default_camera, &cam)) == VPM_OK)
		return VPM_OK;
	return vpm_error_prefix(st, "--camera");
}

VPM_STATUS_FN(vpm_shotlist_read,
	      (const char *path, const vpm_shotlist_options_t *opt, vpm_shotlist_t **out),
	      (path, opt, out))
{
	vpm_csv_t *csv;
	vpm_status_t st;

	if (out)
		*out = NULL;
	if (path == NULL || opt == NULL || opt->catalog == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "shotlist: NULL argument");
	if ((st = check_default_camera(opt)) != VPM_OK)
		return st;
	if ((st = vpm_csv_open(path, VPM_CSV_COMMENTS, &csv)) != VPM_OK)
		return st;
	st = parse_csv(csv, path, opt, out);
	vpm_csv_close(csv);
	return st;
}

VPM_STATUS_FN(vpm_shotlist_parse,
	      (const char *name, const char *data, size_t len, const vpm_shotlist_options_t *opt,
	       vpm_shotlist_t **out),
	      (name, data, len, opt, out))
{
	vpm_csv_t *csv;
	vpm_status_t st;

	if (out)
		*out = NULL;
	if (name == NULL || data == NULL || opt == NULL || opt->catalog == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "shotlist: NULL argument");
	if ((st = check_default_camera(opt)) != VPM_OK)
		return st;
	if ((st = vpm_csv_open_memory(name, data, len, VPM_CSV_COMMENTS, &csv)) != VPM_OK)
		return st;
	st = parse_csv(csv, name, opt, out);
	vpm_csv_close(csv);
	return st;
}

/* ------------------------------------------------------------ order */

int vpm_shot_id_compare(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea = a, *eb = b;
			size_t la, lb;
			int c;
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = strncmp(a, b, la);
			if (c != 0)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		{
			int ca = tolower((unsigned char)*a), cb = tolower((unsigned char)*b);
			if (ca != cb)
				return ca < cb ? -1 : 1;
		}
		a++;
		b++;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	return 0;
}

static int cmp_shot(const void *x, const void *y)
{
	const vpm_shot_t *a = x, *b = y;
	int c = vpm_shot_id_compare(a->id, b->id);

	if (c == 0)
		c = strcmp(a->id, b->id);
	if (c == 0)
		c = (a->line > b->line) - (a->line < b->line);
	return c;
}

void vpm_shotlist_sort(vpm_shotlist_t *sl)
{
	if (sl != NULL && sl->n > 1)
		qsort(sl->shot, sl->n, sizeof sl->shot[0], cmp_shot);
}

VPM_STATUS_FN(vpm_shotlist_reject, (vpm_shotlist_t * sl, size_t i, const char *message),
	      (sl, i, message))
{
	vpm_status_t st;

	if (sl == NULL || i >= sl->n || message == NULL)
		return vpm_error(VPM_EINVAL, "shotlist reject: bad argument");
	st = add_reject(sl, sl->shot[i].line, sl->shot[i].id, message);
	if (st != VPM_OK)
		return st;
	memmove(&sl->shot[i], &sl->shot[i + 1], (sl->n - i - 1) * sizeof sl->shot[0]);
	sl->n--;
	return VPM_OK;
}

char *vpm_shotlist_where(const vpm_shotlist_t *sl, size_t i, vpm_shot_field_t f, char *buf,
			 size_t size)
{
	const vpm_shot_t *s = &sl->shot[i];
	int col = (int)f >= 0 && f < VPM_SHOT_NFIELDS ? s->col[f] : 0;
	const char *h = (int)f >= 0 && f < VPM_SHOT_NFIELDS && sl->header[f] ? sl->header[f]
			: vpm_shot_field_name(f) ? vpm_shot_field_name(f)
						 : "row";

	snprintf(buf, size, "%s:%ld:%d: %s", sl->name, s->line, col > 0 ? col : 1, h);
	return buf;
}

/* ------------------------------------------------------------ evaluation */

vpm_shot_options_t vpm_shot_options_default(void)
{
	vpm_shot_options_t o;

	memset(&o, 0, sizeof o);
	o.try_delivery = 1;
	o.advise = 1;
	return o;
}

static vpm_status_t shot_scan(const vpm_shot_t *shot, const vpm_stage_t *st,
			      const vpm_shot_options_t *o, vpm_shot_eval_t *out,
			      vpm_shot_field_t *field);
static vpm_status_t shot_eval(const vpm_shot_t *shot, const vpm_stage_t *st,
			      const vpm_setup_t *defaults, const vpm_shot_options_t *opt,
			      vpm_predict_workspace_t *ws, vpm_shot_eval_t *out,
			      vpm_shot_field_t *field, int judging);

VPM_STATUS_FN(vpm_shot_evaluate,
	      (const vpm_shot_t *shot, const vpm_stage_t *st, const vpm_setup_t *defaults,
	       vpm_predict_workspace_t *ws, vpm_shot_eval_t *out, vpm_shot_field_t *field),
	      (shot, st, defaults, ws, out, field))
{
	return vpm_shot_evaluate_ex(shot, st, defaults, NULL, ws, out, field);
}

VPM_STATUS_FN(vpm_shot_evaluate_ex,
	      (const vpm_shot_t *shot, const vpm_stage_t *st, const vpm_setup_t *defaults,
	       const vpm_shot_options_t *opt, vpm_predict_workspace_t *ws, vpm_shot_eval_t *out,
	       vpm_shot_field_t *field),
	      (shot, st, defaults, opt, ws, out, field))
{
	vpm_shot_options_t o = opt ? *opt : vpm_shot_options_default();
	vpm_status_t rc = shot_eval(shot, st, defaults, &o, ws, out, field, 0);

	if (rc != VPM_OK)
		return rc;
	return shot_scan(shot, st, &o, out, field);
}

VPM_STATUS_FN(vpm_shotlist_evaluate_all,
	      (vpm_shotlist_t * sl, const vpm_stage_t *st, const vpm_setup_t *defaults,
	       const vpm_shot_options_t *opt, int keep_going, vpm_predict_workspace_t *ws,
	       vpm_shot_eval_t *out, size_t *n),
	      (sl, st, defaults, opt, keep_going, ws, out, n))
{
	vpm_status_t s;
	size_t i, good = 0;

	if (n != NULL)
		*n = 0;
	if (sl == NULL || st == NULL || defaults == NULL || ws == NULL || out == NULL || n == NULL)
		return vpm_error(VPM_EINVAL, "shotlist evaluate: NULL argument");
	for (i = 0; i < sl->n;) {
		vpm_shot_field_t field;
		char where[1024], msg[2048];

		s = vpm_shot_evaluate_ex(&sl->shot[i], st, defaults, opt, ws, &out[good], &field);
		if (s == VPM_OK) {
			good++;
			i++;
			continue;
		}
		vpm_shotlist_where(sl, i, field, where, sizeof where);
		snprintf(msg, sizeof msg, "%s: %s", where, vpm_error_message());
		/* running out of memory is no fault of the row */
		if (!keep_going || s == VPM_ENOMEM) {
			*n = good;
			return vpm_error(s, "%s", msg);
		}
		/* the next shot moves into slot i */
		if ((s = vpm_shotlist_reject(sl, i, msg)) != VPM_OK) {
			*n = good;
			return s;
		}
	}
	*n = good;
	if (good == 0 && sl->n_rejected == 0) /* a header and nothing under it */
		return vpm_error(VPM_EPARSE, "%s: no shots: the file has a header but no rows",
				 sl->name);
	if (good == 0)
		return vpm_error(VPM_EPARSE, "%s: no shot could be rendered", sl->name);
	return VPM_OK;
}

/* The scan-band verdict of a shot (lib/temporal.c), when it has a frame
 * rate (its own or the options'): the stage's panel against the shot's
 * camera at its shutter (its own angle or exposure, else the options'
 * exposure, else 180 degrees; an exposure E is the angle 360 * fps * E). */
static vpm_status_t shot_scan(const vpm_shot_t *shot, const vpm_stage_t *st,
			      const vpm_shot_options_t *o, vpm_shot_eval_t *out,
			      vpm_shot_field_t *field)
{
	const vpm_panel_t *panel;
	double fps = shot->fps > 0 ? shot->fps : o->fps, sh;
	vpm_status_t rc;

	out->scan = 0;
	out->scan_fps = out->scan_shutter_deg = 0.0;
	if (!(fps > 0) || o->catalog == NULL)
		return VPM_OK;
	panel = vpm_catalog_lookup(o->catalog, VPM_CATALOG_PANELS, st->panel);
	if (shot->exposure_s > 0)
		sh = 360.0 * fps * shot->exposure_s;
	else if (shot->shutter_deg > 0)
		sh = shot->shutter_deg;
	else if (o->exposure_s > 0)
		sh = 360.0 * fps * o->exposure_s;
	else
		sh = 180.0;
	if (!(sh > 0 && sh <= 360.0 * (1.0 + 1e-9))) {
		if (field)
			*field = shot->exposure_s > 0 || shot->shutter_deg > 0 ? VPM_SHOT_SHUTTER
									       : VPM_SHOT_FPS;
		return vpm_error(VPM_ERANGE,
				 "an exposure of %.4g s is longer than a frame at %g fps (%.4g s)",
				 sh / (360.0 * fps), fps, 1.0 / fps);
	}
	sh = fmin(sh, 360.0);
	out->scan_fps = fps;
	out->scan_shutter_deg = sh;
	if (panel == NULL)
		return VPM_OK;
	rc = vpm_temporal_shot(panel, shot->camera, fps, sh, shot->readout_ms, &out->scan_result);
	if (rc == VPM_ENOTFOUND) {
		vpm_error_clear();
		out->scan = -1;
		return VPM_OK;
	}
	if (rc != VPM_OK)
		return rc;
	out->scan = 1;
	return VPM_OK;
}

/* The planner's judge for a shot: the shot re-evaluated on its stage with
 * the change applied, focus held where the change puts it. */
typedef struct {
	const vpm_shot_t *shot;
	const vpm_stage_t *st;
	const vpm_setup_t *defaults;
	const vpm_shot_options_t *opt;
	vpm_predict_workspace_t *ws;
} shot_judge_t;

static vpm_status_t shot_judge(void *ctx, const vpm_setup_t *changed, const vpm_advice_t *a,
			       vpm_plan_verdict_t *out)
{
	const shot_judge_t *J = ctx;
	vpm_shot_t s = *J->shot;
	vpm_shot_eval_t e;
	vpm_status_t rc;

	(void)changed;
	memset(out, 0, sizeof *out);
	s.stop = a->stop;
	/* a shot that moves keeps its focus on the subject along the move
	 * unless the change is to the focus */
	if (!(s.has_move && s.focus_mode == VPM_FOCUS_SUBJECT && a->kind != VPM_ADVICE_FOCUS)) {
		s.focus_mode = VPM_FOCUS_DISTANCE;
		s.focus_m = a->focus_m;
	}
	if (s.cam_distance_end_m > 0.0 &&
	    (a->kind == VPM_ADVICE_CAMERA || a->kind == VPM_ADVICE_WALL ||
	     a->kind == VPM_ADVICE_LENS))
		s.cam_distance_end_m += a->camera_move_m; /* the same move, from further */
	if (a->delivery_px > 0)
		s.delivery_px = a->delivery_px;
	switch (a->kind) {
	case VPM_ADVICE_CAMERA: s.cam_distance_m += a->camera_move_m; break;
	case VPM_ADVICE_WALL:
		s.cam_distance_m += a->camera_move_m;
		s.subject_distance_m += a->camera_move_m;
		break;
	case VPM_ADVICE_LENS:
		s.cam_distance_m += a->camera_move_m;
		s.lens = a->lens;
		s.focal_mm = a->focal_mm;
		break;
	default: break;
	}
	rc = shot_eval(&s, J->st, J->defaults, J->opt, J->ws, &e, NULL, 1);
	if (rc == VPM_EGEOMETRY || rc == VPM_ERANGE) {
		vpm_error_clear();
		return VPM_OK; /* cannot be shot: not a candidate */
	}
	if (rc != VPM_OK)
		return rc;
	out->feasible = e.verdict.has_led && !(e.warnings & (VPM_SHOT_WARN_CAMERA_OFF_FLOOR |
							     VPM_SHOT_WARN_SUBJECT_OFF_FLOOR |
							     VPM_SHOT_WARN_CLOSE_FOCUS));
	out->visibility = vpm_result_visibility(&e.verdict.result);
	out->risk = e.verdict.result.risk;
	out->subject_sharp = e.subject_sharp != 0; /* the one rule of the pages */
	return VPM_OK;
}

/* How a shot's move ends (doc/model.md, "Shots that move"), judged at the
 * wall point that decides its start: the camera travels perpendicular to
 * the wall, so every depth along the lens axis shortens by the travel
 * times the axis's share of that direction, |forward.z|.  The second
 * subject stands on the camera's line to the wall. */
static vpm_status_t shot_move_ends(const vpm_shot_t *shot, const vpm_shot_eval_t *e,
				   vpm_plan_shot_options_t *po)
{
	vpm_view_basis_t b;
	double along, travel = 0.0;

	vpm_view_basis(&e->view, &b);
	along = fabs(b.forward.z);
	if (shot->cam_distance_end_m > 0.0)
		travel = shot->cam_distance_m - shot->cam_distance_end_m;
	if (travel != 0.0) {
		po->ends.wall_to_m = e->verdict.setup.wall_m - travel * along;
		if (!(po->ends.wall_to_m > vpm_geometry_focus_limit_m(e->verdict.setup.focal_mm)))
			return vpm_error(VPM_EGEOMETRY,
					 "the camera ends %.3f m from the wall: too close to it",
					 shot->cam_distance_end_m);
	}
	if (shot->focus_end_m > 0.0)
		po->ends.focus_to_m = shot->focus_end_m;
	if (shot->subject2_distance_m > 0.0)
		po->subject2_m = (shot->cam_distance_m - shot->subject2_distance_m) * along;
	po->moving = 1;
	return VPM_OK;
}

/* What a shot's pages show of its move (p judged it from the start `start`). */
static void shot_move_keep(const vpm_shot_t *shot, const vpm_result_t *start,
			   const vpm_plan_shot_t *p, vpm_shot_eval_t *e)
{
	const vpm_move_result_t *res = &p->move_result;
	vpm_shot_move_t *m = &e->move;
	size_t i, n;

	m->move = p->move;
	m->active = 1;
	m->cam_x_m = e->view.position_m.x;
	m->cam_z_m = shot->cam_distance_end_m > 0.0 ? shot->cam_distance_end_m
						    : shot->cam_distance_m;
	m->n_samples = res->n_samples;
	m->worst = res->worst;
	m->start_risk = start->risk;
	m->start_visibility = vpm_result_visibility(start);
	n = res->n_segments < VPM_SHOT_MOVE_SEGMENTS ? res->n_segments : VPM_SHOT_MOVE_SEGMENTS;
	for (i = 0; i < n; i++)
		m->segments[i] = res->segments[i];
	for (; i < res->n_segments; i++) { /* too many: the rest merge, the worst kept */
		m->segments[n - 1].t1 = res->segments[i].t1;
		if (res->segments[i].risk > m->segments[n - 1].risk)
			m->segments[n - 1].risk = res->segments[i].risk;
	}
	m->n_segments = n;
	m->subject_soft_t0 = res->subject_soft_t0;
	m->subject_soft_t1 = res->subject_soft_t1;
	m->subject2_soft_t0 = res->subject2_soft_t0;
	m->subject2_soft_t1 = res->subject2_soft_t1;
	if (shot->has_subject && !isnan(res->subject_soft_t0))
		e->subject_in_dof = 0;
}

/* The verdict at the wall point that decides it, the move's worst point
 * and the advice: the pipeline of `vpmoire check` (vpm_plan_shot()), with
 * the shot re-evaluated on its stage as the advice's judge. */
static vpm_status_t shot_plan(const vpm_shot_t *shot, const vpm_stage_t *st,
			      const vpm_setup_t *defaults, const vpm_shot_options_t *opt,
			      vpm_predict_workspace_t *ws, vpm_shot_eval_t *e,
			      vpm_shot_field_t *field, int judging)
{
	vpm_plan_shot_options_t po = vpm_plan_shot_options_default();
	shot_judge_t J = { shot, st, defaults, opt, ws };
	vpm_plan_shot_t p;
	vpm_status_t rc;

	po.start = &e->verdict.result;
	po.subject_m = shot->has_subject ? e->subject_depth_m : 0.0;
	if (shot->has_move) {
		*field = VPM_SHOT_CAM_DISTANCE_END;
		if ((rc = shot_move_ends(shot, e, &po)) != VPM_OK)
			return rc;
	}
	po.advise = !judging && opt->advise;
	po.catalog = opt->catalog;
	po.lens = shot->lens;
	po.max_stop = opt->max_stop;
	po.try_delivery = opt->try_delivery;
	po.judge = shot_judge;
	po.judge_ctx = &J;
	if ((rc = vpm_plan_shot(&e->verdict.setup, &po, ws, &p)) != VPM_OK)
		return rc;
	if (p.moving)
		shot_move_keep(shot, &e->verdict.result, &p, e);
	e->verdict.setup = p.setup;
	e->verdict.result = p.result;
	e->plan = p.plan;
	vpm_plan_shot_free(&p);
	return VPM_OK;
}

static vpm_status_t shot_eval(const vpm_shot_t *shot, const vpm_stage_t *st,
			      const vpm_setup_t *defaults, const vpm_shot_options_t *opt,
			      vpm_predict_workspace_t *ws, vpm_shot_eval_t *out,
			      vpm_shot_field_t *field, int judging)
{
	vpm_shot_eval_t e;
	vpm_setup_t s, d;
	vpm_status_t rc;
	vpm_vec3_t eyes;
	vpm_shot_field_t dummy;

	if (field == NULL)
		field = &dummy;
	*field = VPM_SHOT_ID;
	if (shot == NULL || st == NULL || defaults == NULL || ws == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "shot: NULL argument");
	memset(&e, 0, sizeof e);

	/* the set-up, by the rule `vpmoire check` builds it with: the stage's
	 * panel, the shot's camera and lens, a CoC given for the day, the
	 * shot's focal length when it names no lens, and its stop */
	d = *defaults;
	d.pitch_mm = st->pitch_mm;
	d.emitter_mm = st->emitter_mm;
	d.focal_mm = shot->focal_mm;
	d.stop = shot->stop;
	vpm_setup_from_catalog(&d,
			       VPM_RAW_STOP | (defaults->coc_mm > 0.0 ? VPM_RAW_COC : 0u) |
				       (shot->lens == NULL ? VPM_RAW_FOCAL : 0u),
			       NULL, shot->camera, shot->lens, &s, NULL);
	s.roll_deg = shot->roll_deg;
	if (shot->recording_px > 0)
		s.recording_px = (int)shot->recording_px;
	if (shot->delivery_px > 0)
		s.delivery_px = (int)shot->delivery_px;

	/* the subject, standing on the floor */
	if (shot->has_subject) {
		e.figure.present = 1;
		e.figure.x_m = shot->subject_offset_m;
		e.figure.z_m = shot->subject_distance_m;
		e.figure.height_m = shot->subject_height_m;
		e.figure.pose = shot->pose;
	}
	eyes = vpm_figure_eyes(&e.figure);

	/* the camera */
	e.view.position_m.x = shot->cam_offset_m;
	e.view.position_m.y = shot->cam_height_m > 0.0 ? shot->cam_height_m
			      : shot->has_subject      ? eyes.y
						       : 1.5;
	e.view.position_m.z = shot->cam_distance_m;
	e.view.pan_deg = shot->pan_deg;
	e.view.tilt_deg = shot->tilt_deg;
	e.view.roll_deg = shot->roll_deg;
	e.view.focal_mm = s.focal_mm;
	/* an anamorphic lens of squeeze S sees S times wider than the sensor
	 * (the frame is drawn and judged desqueezed, as it is viewed;
	 * doc/model.md, anamorphic lenses) */
	e.view.sensor_w_mm = shot->camera->width_mm * (s.squeeze > 0.0 ? s.squeeze : 1.0);
	e.view.sensor_h_mm = shot->camera->height_mm;
	*field = VPM_SHOT_CAMERA;
	if ((rc = vpm_view_validate(&e.view)) != VPM_OK)
		return rc;

	e.subject_in_dof = -1;
	if (shot->has_subject) {
		vpm_view_basis_t b;
		double u, v;
		vpm_view_basis(&e.view, &b);
		e.subject_depth_m = (eyes.x - e.view.position_m.x) * b.forward.x +
				    (eyes.y - e.view.position_m.y) * b.forward.y +
				    (eyes.z - e.view.position_m.z) * b.forward.z;
		*field = VPM_SHOT_SUBJECT_DISTANCE;
		if (shot->subject_distance_m >= shot->cam_distance_m)
			return vpm_error(VPM_EGEOMETRY,
					 "the subject (%.3f m from the wall) must stand between the "
					 "camera (%.3f m) and the wall",
					 shot->subject_distance_m, shot->cam_distance_m);
		if (!(e.subject_depth_m > vpm_geometry_focus_limit_m(s.focal_mm)))
			return vpm_error(
				VPM_EGEOMETRY,
				"the subject is %.3f m in front of the lens: closer than it "
				"can focus (4f = %.3f m) or behind the camera",
				e.subject_depth_m, vpm_geometry_focus_limit_m(s.focal_mm));
		if (!vpm_view_project(&e.view, eyes, &u, &v, NULL) ||
		    fabs(u) > 0.5 * e.view.sensor_w_mm || fabs(v) > 0.5 * e.view.sensor_h_mm)
			e.warnings |= VPM_SHOT_WARN_SUBJECT_OUT_OF_FRAME;
	}

	/* focus */
	*field = VPM_SHOT_FOCUS;
	switch (shot->focus_mode) {
	case VPM_FOCUS_DISTANCE: e.focus_m = shot->focus_m; break;
	case VPM_FOCUS_SUBJECT: e.focus_m = e.subject_depth_m; break;
	case VPM_FOCUS_BACK_OF_DOF: {
		vpm_probe_t pr[VPM_FRAME_PROBES];
		size_t np;
		vpm_frame_probes(st, &e.view, pr, &np);
		e.focus_m = e.subject_depth_m;
		if (np > 0 && pr[0].depth_m > e.subject_depth_m) {
			vpm_setup_t ps[2];
			vpm_subject_t subj = { e.subject_depth_m, e.subject_depth_m };
			vpm_focus_choice_t best, naive;
			vpm_frame_probe_setups(&s, &pr[0], ps);
			rc = vpm_plan_focus(&ps[0], subj, ws, &best, &naive);
			if (rc != VPM_OK)
				return rc;
			e.focus_m = best.focus_m;
			e.focus_planned = 1;
			e.naive_focus_m = naive.focus_m;
		}
		break;
	}
	}
	if (!(e.focus_m > vpm_geometry_focus_limit_m(s.focal_mm)))
		return vpm_error(VPM_EGEOMETRY,
				 "focus %.3f m is closer than the lens can focus (4f = %.3f m)",
				 e.focus_m, vpm_geometry_focus_limit_m(s.focal_mm));
	s.focus_m = e.focus_m;
	e.base = s;

	/* the verdict, over the wall points in frame */
	*field = VPM_SHOT_CAM_DISTANCE;
	if ((rc = vpm_frame_verdict(st, &e.view, &s, ws, &e.verdict)) != VPM_OK)
		return rc;
	if (e.focus_planned) {
		vpm_setup_t n = s;
		vpm_frame_verdict_t nv;
		n.focus_m = e.naive_focus_m;
		if ((rc = vpm_frame_verdict(st, &e.view, &n, ws, &nv)) != VPM_OK)
			return rc;
		e.naive_result = nv.result;
	}
	if (!judging &&
	    (rc = vpm_frame_coverage(st, &e.view, VPM_SHOT_COVERAGE_NX, 0, &e.coverage)) != VPM_OK)
		return rc;

	if (shot->has_subject) {
		vpm_subject_t subj = { e.subject_depth_m, e.subject_depth_m };
		e.subject_in_dof = vpm_plan_subject_in_dof(&e.verdict.result, subj);
	}
	/* warnings before advice: the judge needs them for every candidate */
	{
		double x = e.view.position_m.x, z = e.view.position_m.z;
		if (x < st->floor_x0_m || x > st->floor_x1_m || z > st->floor_depth_m)
			e.warnings |= VPM_SHOT_WARN_CAMERA_OFF_FLOOR;
		if (shot->has_subject &&
		    (e.figure.x_m < st->floor_x0_m || e.figure.x_m > st->floor_x1_m ||
		     e.figure.z_m > st->floor_depth_m))
			e.warnings |= VPM_SHOT_WARN_SUBJECT_OFF_FLOOR;
		if (shot->lens != NULL && shot->lens->close_focus_m > 0.0 &&
		    e.focus_m < shot->lens->close_focus_m * (1.0 - 1e-9))
			e.warnings |= VPM_SHOT_WARN_CLOSE_FOCUS;
		if (st->ceiling_m > 0.0 && e.view.position_m.y > st->ceiling_m)
			e.warnings |= VPM_SHOT_WARN_ABOVE_CEILING;
	}
	if (e.verdict.has_led &&
	    (rc = shot_plan(shot, st, defaults, opt, ws, &e, field, judging)) != VPM_OK)
		return rc;

	/* sharp means in the depth of field at a focus the lens can be set to:
	 * a focus nearer than its close focus leaves the subject soft however
	 * deep the computed depth of field */
	e.subject_sharp = e.subject_in_dof < 0
				  ? -1
				  : e.subject_in_dof && !(e.warnings & VPM_SHOT_WARN_CLOSE_FOCUS);
	*out = e;
	return VPM_OK;
}

/* ------------------------------------------------------------ words of a shot */

/* snprintf through a function: the words are cut to the caller's buffer on
 * purpose. */
static int cut_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int cut_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Append to buf (size bytes, *n of them used) what fmt says; a piece cut
 * short fills the buffer, and nothing follows it. */
static void text_add(char *buf, size_t size, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void text_add(char *buf, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*n + 1 >= size)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + *n, size - *n, fmt, ap);
	va_end(ap);
	if (w > 0)
		*n += (size_t)w < size - *n ? (size_t)w : size - *n - 1;
}

/* Whole per cents of the four edge shares that add up to the rounded total
 * (largest remainders get the leftover points), so that the page's parts
 * sum to the number it prints for the whole. */
void vpm_shot_edge_percents(const vpm_coverage_t *c, int pct[4])
{
	double rem[4];
	/* rint rounds as printf's %.0f does for the total printed beside */
	int k, sum = 0, total = (int)rint(100.0 * c->extension_share);

	for (k = 0; k < 4; k++) {
		double x = 100.0 * c->edge_share[k];
		pct[k] = (int)floor(x);
		rem[k] = x - pct[k];
		sum += pct[k];
	}
	while (sum < total) {
		int m = -1;
		for (k = 0; k < 4; k++)
			if (c->edge_share[k] > 0.0 && (m < 0 || rem[k] > rem[m]))
				m = k;
		if (m < 0)
			break;
		pct[m]++;
		rem[m] = -1.0;
		sum++;
	}
}

/* Short edge letters "L, R" or names with their shares "left (12 %) and
 * right (14 %)"; the shares add up to the frame's extension share. */
void vpm_shot_edges_text(const vpm_coverage_t *c, int letters, char *buf, size_t size)
{
	static const char *const names[4] = { "left", "right", "top", "bottom" };
	static const char *const lets[4] = { "L", "R", "T", "B" };
	size_t n = 0;
	int k, count = 0, total = 0, pct[4];

	buf[0] = '\0';
	vpm_shot_edge_percents(c, pct);
	for (k = 0; k < 4; k++)
		if (c->edge_share[k] >= 0.0005)
			total++;
	for (k = 0; k < 4; k++) {
		int w;
		if (c->edge_share[k] < 0.0005)
			continue;
		count++;
		if (letters)
			w = cut_snprintf(buf + n, size - n, "%s%s", count > 1 ? " " : "", lets[k]);
		else if (pct[k] < 1)
			w = cut_snprintf(buf + n, size - n, "%s%s (<1\xC2\xA0%%)",
					 count == 1	  ? ""
					 : count == total ? " and "
							  : ", ",
					 names[k]);
		else
			w = cut_snprintf(buf + n, size - n, "%s%s (%d\xC2\xA0%%)",
					 count == 1	  ? ""
					 : count == total ? " and "
							  : ", ",
					 names[k], pct[k]);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

void vpm_shot_check_command(const vpm_stage_t *stage, const vpm_shot_t *shot,
			    const vpm_shot_eval_t *e, unsigned given, char *buf, size_t size)
{
	const vpm_setup_t *s = &e->verdict.setup;
	const vpm_setup_t *b = &e->base;
	size_t n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';

	text_add(buf, size, &n, "Same verdict as: vpmoire check --panel %s --camera %s",
		 stage->panel, shot->camera->name);
	if (shot->lens)
		text_add(buf, size, &n, " --lens %s", shot->lens->name);
	else
		text_add(buf, size, &n, " --focal %g", shot->focal_mm);
	text_add(buf, size, &n, " --stop %g --wall %.6gm", s->stop, s->wall_m);
	/* check reads "inf" (not "infm") as focus at infinity */
	if (isinf(s->focus_m))
		text_add(buf, size, &n, " --focus inf");
	else
		text_add(buf, size, &n, " --focus %.6gm", s->focus_m);
	if (fabs(s->pitch_mm - stage->pitch_mm) > 1e-12 ||
	    fabs(s->emitter_mm - stage->emitter_mm) > 1e-12)
		text_add(buf, size, &n, " --pitch %.6g --emitter %.6g", s->pitch_mm, s->emitter_mm);
	if (s->roll_deg != 0.0)
		text_add(buf, size, &n, " --roll %.6g", s->roll_deg);
	if (s->recording_px > 0)
		text_add(buf, size, &n, " --recording-px %d", s->recording_px);
	if (s->delivery_px > 0)
		text_add(buf, size, &n, " --delivery-px %d", s->delivery_px);
	if (given & VPM_SHOT_GIVEN_COC)
		text_add(buf, size, &n, " --coc %g", b->coc_mm);
	if (given & VPM_SHOT_GIVEN_TOLERANCE)
		text_add(buf, size, &n, " --tolerance %g", b->tolerance);
	if (given & VPM_SHOT_GIVEN_CHROMA)
		text_add(buf, size, &n, " --chroma-weight %s", vpm_chroma_name(b->chroma));
	if (given & VPM_SHOT_GIVEN_MODEL)
		text_add(buf, size, &n, " --model %s", vpm_model_name(b->model));
	if (given & VPM_SHOT_GIVEN_VIEWING)
		text_add(buf, size, &n, " --viewing %s", vpm_viewing_name(b->viewing));
	if (given & VPM_SHOT_GIVEN_RESAMPLE)
		text_add(buf, size, &n, " --resample %s", vpm_resample_name(b->resample));
	if (given & VPM_SHOT_GIVEN_BAND)
		text_add(buf, size, &n, " --band %s", vpm_band_name(b->band));
	if (given & VPM_SHOT_GIVEN_PUPIL_EDGE)
		text_add(buf, size, &n, " --pupil-edge %g", b->pupil_edge);
	if (given & VPM_SHOT_GIVEN_CONTENT)
		text_add(buf, size, &n, " --content %g", b->content_contrast);
	if (given & VPM_SHOT_GIVEN_ASPECT)
		text_add(buf, size, &n, " --aspect %g", b->aspect);
	if (given & VPM_SHOT_GIVEN_VIEW_HEIGHTS)
		text_add(buf, size, &n, " --view-heights %g", b->view_heights);
	if (given & VPM_SHOT_GIVEN_LUMINANCE)
		text_add(buf, size, &n, " --luminance %g", b->luminance_cd_m2);
	if (given & VPM_SHOT_GIVEN_GAIN)
		text_add(buf, size, &n, " --gain %g", b->grade_gain);
	if (given & VPM_SHOT_GIVEN_CAUTION_AT)
		text_add(buf, size, &n, " --caution-at %g", b->caution_at);
	if (given & VPM_SHOT_GIVEN_RISKY_AT)
		text_add(buf, size, &n, " --risky-at %g", b->risky_at);
}

/* The one-line recommendation: the planner's first piece of advice (the
 * least change that makes the shot SAFE, else the best it found). */
void vpm_shot_recommendation(const vpm_shot_eval_t *e, vpm_units_system_t u, char *buf, size_t size)
{
	const vpm_result_t *res = &e->verdict.result;
	char line[400], ed[96];
	size_t n = 0;

	if (size == 0)
		return;
	buf[0] = '\0';

	text_add(buf, size, &n, "Recommendation: ");
	if (e->subject_in_dof == 0)
		text_add(buf, size, &n,
			 "as listed the subject's eyes are OUTSIDE the depth of field; ");
	if (!e->verdict.has_led) {
		text_add(buf, size, &n, "no LED wall in frame, so no moir\xC3\xA9 risk");
	} else if (res->risk == VPM_RISK_SAFE) {
		text_add(buf, size, &n, "no moir\xC3\xA9 risk as planned");
	} else if (e->plan.n > 0) {
		vpm_setup_t before = e->base;

		before.focus_m = e->focus_m;
		vpm_advice_describe(&e->plan.advice[0], &before, u, line, sizeof line);
		text_add(buf, size, &n, "%s", line);
		if (e->plan.n > 1 && e->plan.advice[1].risk == VPM_RISK_SAFE) {
			vpm_advice_describe(&e->plan.advice[1], &before, u, line, sizeof line);
			text_add(buf, size, &n, "; or %s", line);
		}
		if (!e->plan.safe)
			text_add(buf, size, &n, "; nothing on this stage makes it SAFE (%s)",
				 e->plan.why);
	} else {
		text_add(buf, size, &n,
			 "%s: %s; keep busy or dark content on the wall behind the subject, or use a "
			 "finer pitch",
			 vpm_risk_label(res->risk),
			 e->plan.why[0] ? e->plan.why : "no change within reach helps");
	}
	if (e->coverage.extension_share >= 0.0005) {
		vpm_shot_edges_text(&e->coverage, 0, ed, sizeof ed);
		text_add(buf, size, &n,
			 "; plan a set extension past the %s edge%s (%.0f\xC2\xA0%% of the frame)",
			 ed, strstr(ed, " and ") || strchr(ed, ',') ? "s" : "",
			 100.0 * e->coverage.extension_share);
	}
	text_add(buf, size, &n, ".");
}
