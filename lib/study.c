/* Study files and the study they build (vpmoire/study.h). */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "error.h"
#include "vpmoire/sensor.h"
#include "vpmoire/study.h"

/* ------------------------------------------------------------ study files */

VPM_STATUS_FN(vpm_study_args_push, (vpm_study_args_t * a, char *s, char *origin), (a, s, origin))
{
	if (a == NULL || s == NULL)
		return vpm_error(VPM_EINVAL, "vpm_study_args_push: no list or argument");
	if (a->argc + 1 >= a->cap) {
		int nc = a->cap ? 2 * a->cap : 64;
		char **nv = realloc(a->argv, (size_t)nc * sizeof *nv);
		char **no;
		if (nv == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		a->argv = nv;
		no = realloc(a->origin, (size_t)nc * sizeof *no);
		if (no == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		a->origin = no;
		a->cap = nc;
	}
	a->argv[a->argc] = s;
	a->origin[a->argc] = origin;
	a->argc++;
	a->argv[a->argc] = NULL;
	a->origin[a->argc] = NULL;
	return VPM_OK;
}

/* Keep s (malloc'd) for the list's lifetime; NULL when s is NULL or out
 * of memory (s is freed). */
static char *args_own(vpm_study_args_t *a, char *s)
{
	if (s == NULL)
		return NULL;
	if (a->n_own == a->cap_own) {
		size_t nc = a->cap_own ? 2 * a->cap_own : 64;
		char **no = realloc(a->own, nc * sizeof *no);
		if (no == NULL) {
			free(s);
			return NULL;
		}
		a->own = no;
		a->cap_own = nc;
	}
	a->own[a->n_own++] = s;
	return s;
}

void vpm_study_args_free(vpm_study_args_t *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n_own; i++)
		free(a->own[i]);
	free(a->own);
	free(a->argv);
	free(a->origin);
	memset(a, 0, sizeof *a);
}

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Read one line of at most VPM_STUDY_LINE_MAX bytes into buf (NUL-
 * terminated, newline kept).  Returns its length, -1 at the end of the
 * file, -2 for a longer line and -3 for a NUL byte; reading stops there. */
static ssize_t study_line(FILE *fp, char *buf)
{
	size_t n = 0;
	int ch;

	while ((ch = getc(fp)) != EOF) {
		if (ch == '\0')
			return -3;
		if (n == VPM_STUDY_LINE_MAX)
			return -2;
		buf[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	return n == 0 && ch == EOF ? -1 : (ssize_t)n;
}

/* Append a copy of s with origin "name:line:col". */
static vpm_status_t push_copy(vpm_study_args_t *a, const char *s, const char *name, long lineno,
			      int col)
{
	char *v = args_own(a, strdup(s));
	char *o = v ? args_own(a, strf("%s:%ld:%d", name, lineno, col)) : NULL;

	if (o == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	return vpm_study_args_push(a, v, o);
}

VPM_STATUS_FN(vpm_study_args_read, (vpm_study_args_t * a, FILE *fp, const char *name),
	      (a, fp, name))
{
	char *line;
	ssize_t n;
	long lineno = 0;
	vpm_status_t st = VPM_OK;

	if (a == NULL || fp == NULL || name == NULL)
		return vpm_error(VPM_EINVAL, "vpm_study_args_read: no list or file");
	if ((line = malloc(VPM_STUDY_LINE_MAX + 1)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	while (st == VPM_OK && (n = study_line(fp, line)) != -1) {
		char *s = line, *e, *val;
		lineno++;
		if (n == -2) {
			st = vpm_error(VPM_ELIMIT, "%s:%ld: line longer than %d bytes", name,
				       lineno, VPM_STUDY_LINE_MAX);
			break;
		}
		if (n == -3) {
			st = vpm_error(VPM_EPARSE, "%s:%ld: NUL byte: not a text file", name,
				       lineno);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (*s != '-') {
			st = vpm_error(VPM_EPARSE,
				       "%s:%ld:%d: expected a flag such as --wall 1.5m:8m:0.1m "
				       "(one per line)",
				       name, lineno, (int)(s - line) + 1);
			break;
		}
		/* the flag ends at a blank or '='; the value follows */
		e = s;
		while (*e && *e != ' ' && *e != '\t' && *e != '=')
			e++;
		val = e;
		if (*val) {
			*val++ = '\0';
			while (*val == ' ' || *val == '\t')
				val++;
		}
		{
			/* trailing blanks, then one pair of matching quotes */
			size_t vl = strlen(val);
			while (vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
				val[--vl] = '\0';
			if (vl >= 2 && (val[0] == '"' || val[0] == '\'') && val[vl - 1] == val[0]) {
				val[vl - 1] = '\0';
				val++;
			}
		}
		st = push_copy(a, s, name, lineno, (int)(s - line) + 1);
		if (st == VPM_OK && *val)
			st = push_copy(a, val, name, lineno, (int)(val - line) + 1);
	}
	if (st == VPM_OK && ferror(fp))
		st = vpm_error(VPM_EPARSE, "@%s: cannot read the study file", name);
	free(line);
	return st;
}

VPM_STATUS_FN(vpm_study_args_expand, (vpm_study_args_t * a, int argc, char **argv), (a, argc, argv))
{
	vpm_status_t st = VPM_OK;
	int i;

	if (a == NULL || (argv == NULL && argc > 0))
		return vpm_error(VPM_EINVAL, "vpm_study_args_expand: no list or arguments");
	memset(a, 0, sizeof *a);
	for (i = 0; i < argc && st == VPM_OK; i++) {
		const char *path = argv[i] + 1;
		FILE *fp;
		struct stat sb;

		if (i == 0 || argv[i][0] != '@' || argv[i][1] == '\0') {
			st = vpm_study_args_push(a, argv[i], NULL);
			continue;
		}
		/* as for every input file: missing or a directory is bad input,
		 * a file the system cannot read a runtime failure */
		if ((fp = fopen(path, "r")) == NULL)
			return vpm_error(errno == ENOENT ? VPM_ENOTFOUND : VPM_EIO,
					 "@%s: cannot read the study file: %s", path,
					 strerror(errno));
		if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(fp);
			return vpm_error(VPM_EINVAL, "@%s is a directory, not a study file", path);
		}
		st = vpm_study_args_read(a, fp, path);
		fclose(fp);
	}
	return st;
}

/* ------------------------------------------------------------ description */

typedef struct {
	char *s;
	size_t n, cap;
	int oom;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *t)
{
	size_t l = strlen(t);

	if (b->oom)
		return;
	if (b->n + l + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		char *ns;
		while (nc < b->n + l + 1)
			nc *= 2;
		ns = realloc(b->s, nc);
		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->n, t, l + 1);
	b->n += l;
}

static int isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* " --flag value", the value quoted for a POSIX shell when it needs it */
static void sb_flag(sbuf_t *b, const char *flag, const char *value)
{
	const char *p;
	int plain = value != NULL && value[0] != '\0';

	sb_add(b, b->n ? " --" : "--");
	sb_add(b, flag);
	if (value == NULL)
		return;
	sb_add(b, " ");
	for (p = value; *p && plain; p++)
		if (!(isalnum_ascii(*p) || strchr("._,:/+-=@%^", *p) != NULL))
			plain = 0;
	if (plain) {
		sb_add(b, value);
		return;
	}
	sb_add(b, "'");
	for (p = value; *p; p++) {
		char c[2] = { *p, '\0' };
		sb_add(b, *p == '\'' ? "'\\''" : c);
	}
	sb_add(b, "'");
}

static void sb_num(sbuf_t *b, const char *flag, double v)
{
	char t[40];

	snprintf(t, sizeof t, "%.10g", v);
	sb_flag(b, flag, t);
}

static void sb_names(sbuf_t *b, const char *flag, const void *const *e, size_t n,
		     vpm_catalog_kind_t k)
{
	sbuf_t names = { NULL, 0, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const char *nm = k == VPM_CATALOG_PANELS    ? ((const vpm_panel_t *)e[i])->name
				 : k == VPM_CATALOG_CAMERAS ? ((const vpm_camera_t *)e[i])->name
							    : ((const vpm_lens_t *)e[i])->name;
		if (i)
			sb_add(&names, ",");
		sb_add(&names, nm);
	}
	if (names.oom)
		b->oom = 1;
	else if (n > 0)
		sb_flag(b, flag, names.s);
	free(names.s);
}

/* ------------------------------------------------------------ the study */

struct vpm_study {
	vpm_sweep_study_t study;
	vpm_panel_t *panels;
	vpm_camera_t *cameras;
	vpm_lens_t *lenses;
	sbuf_t desc;
};

vpm_study_spec_t vpm_study_spec_default(void)
{
	vpm_study_spec_t s;

	memset(&s, 0, sizeof s);
	s.raw = vpm_setup_default();
	return s;
}

void vpm_study_spec_free(vpm_study_spec_t *spec)
{
	int k;

	if (spec == NULL)
		return;
	for (k = 0; k < 3; k++) {
		free(spec->own[k]);
		spec->own[k] = NULL;
		spec->own_n[k] = spec->own_cap[k] = 0;
	}
	spec->panels = spec->cameras = spec->lenses = NULL;
}

/* Append a selection to the comma-joined list k (0 panels, 1 cameras,
 * 2 lenses): amortised, so a study naming 100,000 entries one flag each
 * stays linear. */
static vpm_status_t spec_select(vpm_study_spec_t *spec, int k, const char *text)
{
	sbuf_t b = { spec->own[k], spec->own_n[k], spec->own_cap[k], 0 };
	const char **sel[3] = { &spec->panels, &spec->cameras, &spec->lenses };

	if (b.n > 0)
		sb_add(&b, ",");
	sb_add(&b, text);
	spec->own[k] = b.s;
	spec->own_cap[k] = b.cap;
	if (b.oom)
		return vpm_error(VPM_ENOMEM, "out of memory");
	spec->own_n[k] = b.n;
	*sel[k] = b.s;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_study_spec_set,
	      (vpm_study_spec_t * spec, const char *name, vpm_study_flag_t flag),
	      (spec, name, flag))
{
	static const char *const sel[] = {
		"panels", "cameras", "lenses", "panel", "camera", "lens"
	};
	static const struct {
		const char *name;
		size_t off;
	} one[] = {
		{ "stop", offsetof(vpm_study_spec_t, stop) },
		{ "wall", offsetof(vpm_study_spec_t, wall) },
		{ "subject-gap", offsetof(vpm_study_spec_t, gap) },
		{ "subject-depth", offsetof(vpm_study_spec_t, subject_depth) },
		{ "focus-rule", offsetof(vpm_study_spec_t, focus_rule) },
		{ "focus", offsetof(vpm_study_spec_t, focus) },
		{ "roll", offsetof(vpm_study_spec_t, roll) },
		{ "recording-px", offsetof(vpm_study_spec_t, recording) },
		{ "delivery-px", offsetof(vpm_study_spec_t, delivery) },
	};
	size_t i;
	int k = -1, m = -1;
	char *end;
	double v;

	if (spec == NULL || name == NULL)
		return vpm_error(VPM_EINVAL, "vpm_study_spec_set: no spec or name");
	for (i = 0; i < sizeof sel / sizeof sel[0]; i++)
		if (strcmp(name, sel[i]) == 0)
			k = (int)i % 3;
	for (i = 0; i < sizeof one / sizeof one[0]; i++)
		if (strcmp(name, one[i].name) == 0)
			m = (int)i;
	if (k < 0 && m < 0 && strcmp(name, "max-setups") != 0)
		return vpm_error(VPM_ENOTFOUND, "--%s is not a flag of a study", name);
	if (flag.text == NULL)
		return vpm_error(VPM_EINVAL, "--%s needs a value", name);
	if (k >= 0)
		return spec_select(spec, k, flag.text);
	if (m >= 0) {
		*(vpm_study_flag_t *)((char *)spec + one[m].off) = flag;
		return VPM_OK;
	}
	/* max-setups */
	v = strtod(flag.text, &end);
	if (end == flag.text || *end != '\0' || !(v >= 1.0) || v > 1e18 || v != floor(v))
		return vpm_error(VPM_EPARSE,
				 "%s%s--max-setups: expected a whole number of set-ups, e.g. 5e9",
				 flag.origin ? flag.origin : "", flag.origin ? ": " : "");
	spec->max_setups = (uint64_t)v;
	return VPM_OK;
}

void vpm_study_free(vpm_study_t *s)
{
	if (s == NULL)
		return;
	vpm_sweep_axis_free(&s->study.stops);
	vpm_sweep_axis_free(&s->study.walls);
	vpm_sweep_axis_free(&s->study.gaps);
	vpm_sweep_axis_free(&s->study.focus);
	vpm_sweep_axis_free(&s->study.rolls);
	vpm_sweep_axis_free(&s->study.recording);
	vpm_sweep_axis_free(&s->study.delivery);
	free(s->panels);
	free(s->cameras);
	free(s->lenses);
	free(s->desc.s);
	free(s);
}

const vpm_sweep_study_t *vpm_study_sweep(const vpm_study_t *s)
{
	return s ? &s->study : NULL;
}

const char *vpm_study_description(const vpm_study_t *s)
{
	return s && s->desc.s ? s->desc.s : "";
}

/* Parse a given axis; the message names the flag and where it came from. */
static vpm_status_t parse_axis(const vpm_study_flag_t *g, const char *flag, vpm_sweep_kind_t kind,
			       unsigned flags, vpm_sweep_axis_t *ax)
{
	vpm_status_t st;

	if (g->text == NULL)
		return VPM_OK;
	st = vpm_sweep_axis_parse(g->text, kind, flags, 0, ax);
	if (st == VPM_OK)
		return VPM_OK;
	if (g->origin != NULL)
		return vpm_error_prefix(st, "%s: --%s", g->origin, flag);
	return vpm_error_prefix(st, "--%s", flag);
}

/* Resolve one selection; the message names the flag.  Words fitting
 * several entries are, like an unknown name, "not found" here, so that
 * VPM_EINVAL keeps meaning flags that do not go together. */
static vpm_status_t select_flag(const vpm_catalog_t *cat, vpm_catalog_kind_t k, const char *flag,
				const char *text, const void ***out, size_t *n)
{
	vpm_status_t st = vpm_catalog_select(cat, k, text, out, n);

	if (st == VPM_OK || st == VPM_ENOMEM)
		return st;
	return vpm_error_prefix(st == VPM_EPARSE ? VPM_EINVAL : VPM_ENOTFOUND, "--%s", flag);
}

/* The flags checked one by one, as they are read: the focus rule's name
 * and the subject depth. */
static vpm_status_t check_flags(const vpm_study_spec_t *o, double *depth_m)
{
	const vpm_study_flag_t *r = &o->focus_rule, *d = &o->subject_depth;
	static const char rule_help[] = "use subject, back-of-dof or wall (or --focus D for "
					"fixed focus distances)";

	if (r->text != NULL && strcmp(r->text, "subject") != 0 &&
	    strcmp(r->text, "back-of-dof") != 0 && strcmp(r->text, "wall") != 0) {
		if (r->origin != NULL)
			return vpm_error(VPM_EPARSE, "%s: --focus-rule: %s", r->origin, rule_help);
		return vpm_error(VPM_EPARSE, "--focus-rule: %s", rule_help);
	}
	if (d->text != NULL) {
		vpm_status_t st = vpm_units_parse_length(d->text, VPM_UNIT_M, VPM_UNITS_ALLOW_ZERO,
							 depth_m);
		if (st != VPM_OK && d->origin != NULL)
			return vpm_error_prefix(st, "%s: --subject-depth", d->origin);
		if (st != VPM_OK)
			return vpm_error_prefix(st, "--subject-depth");
	}
	return VPM_OK;
}

/* The numeric axes and the focus rule. */
static vpm_status_t build_axes(const vpm_study_spec_t *o, vpm_sweep_study_t *st)
{
	enum { RULE_SUBJECT, RULE_BACK, RULE_WALL, RULE_FIXED } rule = RULE_SUBJECT;
	vpm_status_t rc;
	double depth_m = 0.0;

	if ((rc = check_flags(o, &depth_m)) != VPM_OK)
		return rc;
	if (o->wall.text == NULL)
		return vpm_error(VPM_EINVAL,
				 "--wall is required (camera to wall, e.g. --wall 1.5m:8m:0.1m)");
	if (o->focus.text != NULL)
		rule = RULE_FIXED;
	if (o->focus_rule.text != NULL) {
		if (rule == RULE_FIXED)
			return vpm_error(VPM_EINVAL,
					 "--focus gives fixed focus distances: leave out "
					 "--focus-rule");
		if (strcmp(o->focus_rule.text, "back-of-dof") == 0)
			rule = RULE_BACK;
		else if (strcmp(o->focus_rule.text, "wall") == 0)
			rule = RULE_WALL;
	}
	if (o->gap.text != NULL && (rule == RULE_FIXED || rule == RULE_WALL))
		return vpm_error(VPM_EINVAL, "--subject-gap needs --focus-rule subject or "
					     "back-of-dof (not --focus or --focus-rule wall)");
	if (o->subject_depth.text != NULL && (rule == RULE_FIXED || rule == RULE_WALL))
		return vpm_error(VPM_EINVAL,
				 "--subject-depth needs --focus-rule subject or back-of-dof");
	st->focus_rule = rule == RULE_SUBJECT ? VPM_SWEEP_FOCUS_SUBJECT
			 : rule == RULE_BACK  ? VPM_SWEEP_FOCUS_BACK_OF_DOF
			 : rule == RULE_WALL  ? VPM_SWEEP_FOCUS_WALL
					      : VPM_SWEEP_FOCUS_FIXED;
	st->subject_depth_m = depth_m;

	if (o->stop.text != NULL && strcmp(o->stop.text, "lens") == 0)
		st->stop_mode = VPM_SWEEP_STOPS_LENS;
	else if (o->stop.text != NULL && strcmp(o->stop.text, "lens-thirds") == 0)
		st->stop_mode = VPM_SWEEP_STOPS_LENS_THIRDS;
	else {
		/* no --stop: 2.8, the default vpmoire-sweep(1) documents */
		vpm_study_flag_t g = o->stop.text ? o->stop : (vpm_study_flag_t){ "2.8", NULL };
		if ((rc = parse_axis(&g, "stop", VPM_SWEEP_STOP, 0, &st->stops)) != VPM_OK)
			return rc;
	}
	if ((rc = parse_axis(&o->wall, "wall", VPM_SWEEP_LENGTH_M, 0, &st->walls)) != VPM_OK ||
	    (rc = parse_axis(&o->gap, "subject-gap", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_ZERO,
			     &st->gaps)) != VPM_OK ||
	    (rc = parse_axis(&o->focus, "focus", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_INF,
			     &st->focus)) != VPM_OK ||
	    (rc = parse_axis(&o->roll, "roll", VPM_SWEEP_ANGLE_DEG, 0, &st->rolls)) != VPM_OK ||
	    (rc = parse_axis(&o->recording, "recording-px", VPM_SWEEP_PIXELS, 0, &st->recording)) !=
		    VPM_OK ||
	    (rc = parse_axis(&o->delivery, "delivery-px", VPM_SWEEP_PIXELS, 0, &st->delivery)) !=
		    VPM_OK)
		return rc;
	return VPM_OK;
}

/* The study as flags, in one fixed order: the CSV's first line. */
static void describe(const vpm_study_spec_t *o, const void *const *sel[3], const size_t nsel[3],
		     double depth_m, sbuf_t *d)
{
	const vpm_setup_t *raw = &o->raw;
	unsigned g = o->raw_given;
	size_t k;

	if (o->panels)
		sb_names(d, "panels", sel[0], nsel[0], VPM_CATALOG_PANELS);
	if (o->cameras)
		sb_names(d, "cameras", sel[1], nsel[1], VPM_CATALOG_CAMERAS);
	if (o->lenses)
		sb_names(d, "lenses", sel[2], nsel[2], VPM_CATALOG_LENSES);
	if (g & VPM_RAW_PITCH)
		sb_num(d, "pitch", raw->pitch_mm);
	if (g & VPM_RAW_EMITTER)
		sb_num(d, "emitter", raw->emitter_mm);
	if (g & VPM_RAW_PHOTOSITE)
		sb_num(d, "photosite", raw->photosite_um);
	if (g & VPM_RAW_WIDTH_PX)
		sb_num(d, "width-px", raw->width_px);
	if (g & VPM_RAW_OLPF)
		sb_num(d, "olpf", raw->olpf_um);
	if (g & VPM_RAW_FILL)
		sb_num(d, "fill", raw->fill);
	if (g & VPM_RAW_CFA)
		sb_flag(d, "cfa", raw->cfa == VPM_CFA_MONO ? "mono" : "bayer");
	if (g & VPM_RAW_COC)
		sb_num(d, "coc", raw->coc_mm);
	if (g & VPM_RAW_FOCAL)
		sb_num(d, "focal", raw->focal_mm);
	sb_flag(d, "stop", o->stop.text ? o->stop.text : "2.8");
	sb_flag(d, "wall", o->wall.text);
	if (o->focus.text != NULL) {
		sb_flag(d, "focus", o->focus.text);
	} else {
		sb_flag(d, "focus-rule", o->focus_rule.text ? o->focus_rule.text : "subject");
		if (o->focus_rule.text == NULL || strcmp(o->focus_rule.text, "wall") != 0) {
			/* no --subject-gap: 5 ft, the default of lib/sweep.c (the
			 * reference micro stage's subject, vpmoire-sweep(1)) */
			sb_flag(d, "subject-gap", o->gap.text ? o->gap.text : "5ft");
			sb_num(d, "subject-depth", depth_m);
		}
	}
	if (o->roll.text)
		sb_flag(d, "roll", o->roll.text);
	else
		sb_num(d, "roll", raw->roll_deg);
	sb_flag(d, "recording-px", o->recording.text ? o->recording.text : "none");
	sb_flag(d, "delivery-px", o->delivery.text ? o->delivery.text : "none");
	sb_num(d, "tolerance", raw->tolerance);
	sb_flag(d, "model", vpm_model_name(raw->model));
	sb_flag(d, "chroma-weight", vpm_chroma_name(raw->chroma));
	sb_flag(d, "viewing", vpm_viewing_name(raw->viewing));
	sb_flag(d, "resample", vpm_resample_name(raw->resample));
	sb_flag(d, "band", vpm_band_name(raw->band));
	if (raw->pupil_edge >= 0.0)
		sb_num(d, "pupil-edge", raw->pupil_edge);
	if (raw->content_contrast > 0.0)
		sb_num(d, "content", raw->content_contrast);
	sb_num(d, "aspect", raw->aspect);
	sb_num(d, "view-heights", raw->view_heights);
	sb_num(d, "luminance", raw->luminance_cd_m2);
	sb_num(d, "gain", raw->grade_gain);
	sb_num(d, "caution-at", raw->caution_at);
	sb_num(d, "risky-at", raw->risky_at);
	for (k = 0; k < o->n_catalogs; k++)
		sb_flag(d, "catalog", o->catalogs[k]);
}

/* The equipment: selected entries copied, or one unnamed entry of raw
 * numbers; then the raw numbers override every entry. */
static vpm_status_t build_equipment(const vpm_study_spec_t *o, const void *const *sel[3],
				    const size_t nsel[3], vpm_study_t *s)
{
	const vpm_setup_t *raw = &o->raw;
	unsigned g = o->raw_given;
	size_t i, np = nsel[0], nc = nsel[1], nl = nsel[2];

	if (o->lenses != NULL && (g & VPM_RAW_FOCAL))
		return vpm_error(VPM_EINVAL, "--focal makes a lens of its own: give --lenses or "
					     "--focal, not both");
	if (np == 0 && (!(g & VPM_RAW_PITCH) || !(g & VPM_RAW_EMITTER)))
		return vpm_error(VPM_EINVAL, "no LED panel: give --panels NAMES (or all), or "
					     "--pitch MM with --emitter MM");
	if (nc == 0 && (!(g & VPM_RAW_PHOTOSITE) || !(g & VPM_RAW_WIDTH_PX)))
		return vpm_error(VPM_EINVAL, "no camera: give --cameras NAMES (or all), or "
					     "--photosite UM with --width-px N");
	if (nl == 0 && !(g & VPM_RAW_FOCAL))
		return vpm_error(VPM_EINVAL, "no lens: give --lenses NAMES (a series, or all), "
					     "or --focal MM");
	s->panels = calloc(np ? np : 1, sizeof *s->panels);
	s->cameras = calloc(nc ? nc : 1, sizeof *s->cameras);
	s->lenses = calloc(nl ? nl : 1, sizeof *s->lenses);
	if (s->panels == NULL || s->cameras == NULL || s->lenses == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	for (i = 0; i < np; i++)
		s->panels[i] = *(const vpm_panel_t *)sel[0][i];
	for (i = 0; i < nc; i++)
		s->cameras[i] = *(const vpm_camera_t *)sel[1][i];
	for (i = 0; i < nl; i++)
		s->lenses[i] = *(const vpm_lens_t *)sel[2][i];
	if (nc == 0) {
		/* an unnamed camera: Bayer, fill factor 1 unless given */
		s->cameras[0].cfa = "bayer";
		s->cameras[0].fill = 1.0;
	}
	if (nl == 0)
		s->lenses[0].focal_mm = raw->focal_mm;
	/* raw numbers win over the catalog, on every entry (the study's
	 * identity covers the entries as edited) */
	for (i = 0; i < (np ? np : 1); i++)
		vpm_panel_override(&s->panels[i], raw, g);
	for (i = 0; i < (nc ? nc : 1); i++)
		vpm_camera_override(&s->cameras[i], raw, g);
	s->study.panels = s->panels;
	s->study.n_panels = np ? np : 1;
	s->study.cameras = s->cameras;
	s->study.n_cameras = nc ? nc : 1;
	s->study.lenses = s->lenses;
	s->study.n_lenses = nl ? nl : 1;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_study_build,
	      (const vpm_study_spec_t *o, const vpm_catalog_t *cat, vpm_study_t **out),
	      (o, cat, out))
{
	static const char *const selflag[3] = { "panels", "cameras", "lenses" };
	static const vpm_catalog_kind_t kinds[3] = { VPM_CATALOG_PANELS, VPM_CATALOG_CAMERAS,
						     VPM_CATALOG_LENSES };
	const void **sel[3] = { NULL, NULL, NULL };
	size_t nsel[3] = { 0, 0, 0 };
	vpm_study_t *s;
	vpm_status_t rc = VPM_OK;
	int k;

	if (out != NULL)
		*out = NULL;
	if (o == NULL || cat == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "vpm_study_build: no spec, catalog or result");
	if ((s = calloc(1, sizeof *s)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	s->study = vpm_sweep_study_default();
	/* viewer and planning settings: one value for the whole study */
	s->study.base = o->raw;
	s->study.max_setups = o->max_setups;
	rc = build_axes(o, &s->study);
	for (k = 0; k < 3 && rc == VPM_OK; k++) {
		const char *text = k == 0 ? o->panels : k == 1 ? o->cameras : o->lenses;
		if (text != NULL)
			rc = select_flag(cat, kinds[k], selflag[k], text, &sel[k], &nsel[k]);
	}
	if (rc == VPM_OK)
		rc = build_equipment(o, (const void *const **)sel, nsel, s);
	if (rc == VPM_OK) {
		describe(o, (const void *const **)sel, nsel, s->study.subject_depth_m, &s->desc);
		if (s->desc.oom)
			rc = vpm_error(VPM_ENOMEM, "out of memory");
		s->study.description = s->desc.s;
	}
	for (k = 0; k < 3; k++)
		free((void *)sel[k]);
	if (rc != VPM_OK) {
		vpm_study_free(s);
		return rc;
	}
	*out = s;
	return VPM_OK;
}
