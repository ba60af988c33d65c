/* vpmoire catalog: list and show the equipment the toolkit knows. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"

static const char catalog_help[] =
	"Usage: vpmoire catalog list cameras|lenses|panels [OPTIONS]\n"
	"       vpmoire catalog show NAME [OPTIONS]\n"
	"       vpmoire catalog path\n"
	"\n"
	"List the equipment catalogs as aligned tables, show one entry with every value\n"
	"and its source, or print where the installed catalogs are read from.\n"
	"\n"
	"Options:\n"
	"  --catalog FILE   also read this catalog CSV (repeatable); rows override the\n"
	"                   installed ones by name. VPMOIRE_CATALOG_PATH (a ':' list of\n"
	"                   files or directories) is read before --catalog files.\n"
	"  --units m|ft     distances in metres (default) or feet and inches\n"
	"  -h, --help       show this help\n";

/* Display width of UTF-8 text (one column per code point). */
static int text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

#define MAXCOLS 12

typedef struct {
	int ncols;
	const char *head[MAXCOLS];
	int right[MAXCOLS];
	char **cells; /* rows × ncols */
	size_t nrows, cap;
} table_t;

static int table_add(table_t *t, char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
		if (nc == NULL)
			return -1;
		t->cells = nc;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->nrows * t->ncols + i] = strdup(cells[i]);
		if (t->cells[t->nrows * t->ncols + i] == NULL)
			return -1;
	}
	t->nrows++;
	return 0;
}

static void table_print(const table_t *t)
{
	int w[MAXCOLS], i;
	size_t r;

	for (i = 0; i < t->ncols; i++)
		w[i] = text_width(t->head[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int cw = text_width(t->cells[r * t->ncols + i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (r = 0; r <= t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *s = r == 0 ? t->head[i] : t->cells[(r - 1) * t->ncols + i];
			int pad = w[i] - text_width(s);
			if (t->right[i])
				printf("%*s%s", pad, "", s);
			else if (i + 1 < t->ncols)
				printf("%s%*s", s, pad, "");
			else
				printf("%s", s);
			if (i + 1 < t->ncols)
				fputs("  ", stdout);
		}
		putchar('\n');
	}
}

static void table_free(table_t *t)
{
	size_t k;

	for (k = 0; k < t->nrows * (size_t)t->ncols; k++)
		free(t->cells[k]);
	free(t->cells);
}

static const char *or_dash(const char *s)
{
	return (s && s[0]) ? s : "-";
}

/* A positive number with `decimals` places (-1: shortest form), or "-". */
static void num(char *buf, size_t n, int decimals, double v)
{
	if (!(v > 0))
		snprintf(buf, n, "-");
	else if (decimals < 0)
		snprintf(buf, n, "%g", v);
	else
		snprintf(buf, n, "%.*f", decimals, v);
}

static int list_kind(const vpm_catalog_t *cat, vpm_catalog_kind_t kind, vpm_units_system_t units)
{
	table_t t;
	size_t i, n = vpm_catalog_count(cat, kind);
	char c[MAXCOLS][96];
	char *cells[MAXCOLS];
	int k;

	memset(&t, 0, sizeof t);
	for (k = 0; k < MAXCOLS; k++)
		cells[k] = c[k];
	if (kind == VPM_CATALOG_CAMERAS) {
		static const char *h[] = { "NAME",	"MAKER",      "MODEL",	  "MODE",
					   "SENSOR mm", "PHOTOSITES", "PITCH um", "CFA",
					   "OLPF um",	"CoC mm" };
		static const int right[] = { 0, 0, 0, 0, 1, 1, 1, 0, 1, 1 };
		t.ncols = 10;
		memcpy(t.head, h, sizeof h);
		memcpy(t.right, right, sizeof right);
		for (i = 0; i < n; i++) {
			const vpm_camera_t *e = vpm_catalog_camera(cat, i);
			snprintf(c[0], 96, "%s", e->name);
			snprintf(c[1], 96, "%s", or_dash(e->maker));
			snprintf(c[2], 96, "%s", or_dash(e->model));
			snprintf(c[3], 96, "%s", or_dash(e->mode));
			if (e->height_mm > 0)
				snprintf(c[4], 96, "%.2f x %.2f", e->width_mm, e->height_mm);
			else
				snprintf(c[4], 96, "%.2f wide", e->width_mm);
			if (e->height_px > 0)
				snprintf(c[5], 96, "%d x %d", e->width_px, e->height_px);
			else
				snprintf(c[5], 96, "%d across", e->width_px);
			snprintf(c[6], 96, "%.2f", e->photosite_um);
			snprintf(c[7], 96, "%s", e->cfa);
			num(c[8], 96, 2, e->olpf_um);
			num(c[9], 96, 3, e->coc_mm);
			if (table_add(&t, cells) != 0)
				goto nomem;
		}
	} else if (kind == VPM_CATALOG_LENSES) {
		static const char *h[] = { "NAME",	  "SERIES",	     "FOCAL mm", "STOPS",
					   "CLOSE FOCUS", "IMAGE CIRCLE mm", "MTF" };
		static const int right[] = { 0, 0, 1, 0, 1, 1, 0 };
		t.ncols = 7;
		memcpy(t.head, h, sizeof h);
		memcpy(t.right, right, sizeof right);
		for (i = 0; i < n; i++) {
			const vpm_lens_t *e = vpm_catalog_lens(cat, i);
			snprintf(c[0], 96, "%s", e->name);
			snprintf(c[1], 96, "%s", or_dash(e->series));
			snprintf(c[2], 96, "%g", e->focal_mm);
			if (e->min_t > 0)
				snprintf(c[3], 96, "T%g-T%g", e->max_t, e->min_t);
			else
				snprintf(c[3], 96, "T%g", e->max_t);
			if (e->close_focus_m > 0)
				vpm_units_format_length(e->close_focus_m, units, units ? 0 : 2,
							c[4], 96);
			else
				snprintf(c[4], 96, "-");
			num(c[5], 96, 1, e->image_circle_mm);
			if (e->mtf_n > 0)
				snprintf(c[6], 96, "%d pts @T%g", e->mtf_n, e->mtf_stop);
			else
				snprintf(c[6], 96, "-");
			if (table_add(&t, cells) != 0)
				goto nomem;
		}
	} else {
		static const char *h[] = { "NAME",	 "MAKER",    "MODEL",	   "PITCH mm",
					   "EMITTER mm", "PACKAGE",  "CABINET mm", "CABINET px",
					   "kg",	 "W max/typ" };
		static const int right[] = { 0, 0, 0, 1, 1, 0, 1, 1, 1, 1 };
		t.ncols = 10;
		memcpy(t.head, h, sizeof h);
		memcpy(t.right, right, sizeof right);
		for (i = 0; i < n; i++) {
			const vpm_panel_t *e = vpm_catalog_panel(cat, i);
			snprintf(c[0], 96, "%s", e->name);
			snprintf(c[1], 96, "%s", or_dash(e->maker));
			snprintf(c[2], 96, "%s", or_dash(e->model));
			snprintf(c[3], 96, "%.3f", e->pitch_mm);
			snprintf(c[4], 96, "%.2f", e->emitter_mm);
			snprintf(c[5], 96, "%s", or_dash(e->package));
			if (e->cabinet_w_mm > 0 && e->cabinet_h_mm > 0)
				snprintf(c[6], 96, "%g x %g", e->cabinet_w_mm, e->cabinet_h_mm);
			else
				snprintf(c[6], 96, "-");
			if (e->cabinet_px_w > 0 && e->cabinet_px_h > 0)
				snprintf(c[7], 96, "%d x %d", e->cabinet_px_w, e->cabinet_px_h);
			else
				snprintf(c[7], 96, "-");
			num(c[8], 96, -1, e->weight_kg);
			{
				char pm[32], pt[32];
				num(pm, sizeof pm, -1, e->power_max_w);
				num(pt, sizeof pt, -1, e->power_typ_w);
				snprintf(c[9], 96, "%s/%s", pm, pt);
			}
			if (table_add(&t, cells) != 0)
				goto nomem;
		}
	}
	table_print(&t);
	table_free(&t);
	return EXIT_OK;
nomem:
	table_free(&t);
	return cli_fail(EXIT_RUNTIME, "out of memory");
}

static void show_str(const char *key, const char *v)
{
	if (v && v[0])
		printf("  %-16s %s\n", key, v);
}

static void show_num(const char *key, double v, const char *unit)
{
	if (v > 0)
		printf("  %-16s %g%s%s\n", key, v, unit[0] ? " " : "", unit);
}

static int show(const vpm_catalog_t *cat, const char *name, vpm_units_system_t units)
{
	const vpm_camera_t *cam = NULL;
	const vpm_lens_t *lens = NULL;
	const vpm_panel_t *pan = NULL;
	char buf[64];
	int found = 0, i;

	/* The exact name key is tried in each kind; words only if that fails. */
	if (vpm_catalog_find_camera(cat, name, &cam) == VPM_OK && strcasecmp(cam->name, name) != 0)
		cam = NULL;
	if (vpm_catalog_find_lens(cat, name, &lens) == VPM_OK && strcasecmp(lens->name, name) != 0)
		lens = NULL;
	if (vpm_catalog_find_panel(cat, name, &pan) == VPM_OK && strcasecmp(pan->name, name) != 0)
		pan = NULL;
	if (!cam && !lens && !pan) {
		vpm_status_t s1 = vpm_catalog_find_camera(cat, name, &cam);
		vpm_status_t s2 = vpm_catalog_find_lens(cat, name, &lens);
		vpm_status_t s3 = vpm_catalog_find_panel(cat, name, &pan);
		if (s1 != VPM_OK)
			cam = NULL;
		if (s2 != VPM_OK)
			lens = NULL;
		if (s3 != VPM_OK)
			pan = NULL;
		if (!cam && !lens && !pan) {
			/* one line (SPEC §4) with each kind's hint: run the camera,
			 * lens and panel searches again to collect their messages */
			char hints[3][512] = { "", "", "" };
			if (s1 == VPM_ENOTFOUND || s1 == VPM_EINVAL) {
				vpm_catalog_find_camera(cat, name, &cam);
				snprintf(hints[0], sizeof hints[0], "; cameras: %s",
					 vpm_error_message());
			}
			if (s2 == VPM_ENOTFOUND || s2 == VPM_EINVAL) {
				vpm_catalog_find_lens(cat, name, &lens);
				snprintf(hints[1], sizeof hints[1], "; lenses: %s",
					 vpm_error_message());
			}
			if (s3 == VPM_ENOTFOUND || s3 == VPM_EINVAL) {
				vpm_catalog_find_panel(cat, name, &pan);
				snprintf(hints[2], sizeof hints[2], "; panels: %s",
					 vpm_error_message());
			}
			return cli_fail(EXIT_USAGE, "no catalog entry '%s'%s%s%s", name, hints[0],
					hints[1], hints[2]);
		}
	}
	if (cam) {
		printf("camera %s\n", cam->name);
		show_str("maker", cam->maker);
		show_str("model", cam->model);
		show_str("mode", cam->mode);
		show_num("width", cam->width_mm, "mm");
		show_num("height", cam->height_mm, "mm");
		printf("  %-16s %d x %d\n", "photosites", cam->width_px, cam->height_px);
		printf("  %-16s %.3f um\n", "photosite pitch", cam->photosite_um);
		show_str("cfa", cam->cfa);
		if (cam->olpf_um > 0)
			show_num("olpf split", cam->olpf_um, "um");
		else
			show_str("olpf split",
				 "none or unknown (predictor assumes none: worst case)");
		show_num("fill factor", cam->fill, "");
		show_num("default CoC", cam->coc_mm, "mm");
		show_str("source", cam->source);
		printf("  %-16s %s:%ld\n", "from", cam->file, cam->line);
		found++;
	}
	if (lens) {
		if (found++)
			putchar('\n');
		printf("lens %s\n", lens->name);
		show_str("maker", lens->maker);
		show_str("series", lens->series);
		show_num("focal length", lens->focal_mm, "mm");
		show_num("widest stop", lens->max_t, "(T)");
		show_num("smallest stop", lens->min_t, "(T)");
		if (lens->close_focus_m > 0)
			show_str("close focus", vpm_units_format_length(lens->close_focus_m, units,
									2, buf, sizeof buf));
		show_num("image circle", lens->image_circle_mm, "mm");
		if (lens->mtf_n > 0) {
			printf("  %-16s at T%g:", "MTF", lens->mtf_stop);
			for (i = 0; i < lens->mtf_n; i++)
				printf(" %g cy/mm %.2f%s", lens->mtf_cy_mm[i], lens->mtf[i],
				       i + 1 < lens->mtf_n ? "," : "");
			putchar('\n');
		}
		show_str("source", lens->source);
		printf("  %-16s %s:%ld\n", "from", lens->file, lens->line);
	}
	if (pan) {
		if (found++)
			putchar('\n');
		printf("panel %s\n", pan->name);
		show_str("maker", pan->maker);
		show_str("model", pan->model);
		show_num("pitch", pan->pitch_mm, "mm");
		show_num("emitter", pan->emitter_mm, "mm");
		show_str("package", pan->package);
		if (pan->cabinet_w_mm > 0)
			printf("  %-16s %g x %g mm, %d x %d px\n", "cabinet", pan->cabinet_w_mm,
			       pan->cabinet_h_mm, pan->cabinet_px_w, pan->cabinet_px_h);
		show_num("weight", pan->weight_kg, "kg");
		show_num("power max", pan->power_max_w, "W");
		show_num("power typical", pan->power_typ_w, "W");
		show_str("source", pan->source);
		printf("  %-16s %s:%ld\n", "from", pan->file, pan->line);
	}
	return EXIT_OK;
}

int cmd_catalog(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "units", required_argument, NULL, OPT_UNITS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	const char *verb, *what = NULL;
	int opt, rc;

	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(catalog_help, stdout);
			return EXIT_OK;
		}
		if (opt == '?')
			return cli_usage("catalog", "unknown option '%s'", argv[optind - 1]);
		if (opt == ':')
			return cli_usage("catalog", "option '%s' needs a value", argv[optind - 1]);
		rc = cli_setup_option(&cs, opt, optarg);
		if (rc < 0)
			return EXIT_USAGE;
	}
	/* options may also follow the verb: parse the rest after it */
	if (optind >= argc)
		return cli_usage("catalog", "expected list, show or path");
	verb = argv[optind++];
	if (optind < argc && argv[optind][0] != '-')
		what = argv[optind++];
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (opt == 'h') {
			fputs(catalog_help, stdout);
			return EXIT_OK;
		}
		if (opt == '?' || opt == ':')
			return cli_usage("catalog", "unknown option or missing value: '%s'",
					 argv[optind - 1]);
		if (cli_setup_option(&cs, opt, optarg) < 0)
			return EXIT_USAGE;
	}
	if (what == NULL && optind < argc)
		what = argv[optind++];
	if (optind < argc)
		return cli_usage("catalog", "unexpected argument '%s'", argv[optind]);

	if (strcmp(verb, "path") == 0) {
		printf("%s\n", cli_catalog_dir());
		return EXIT_OK;
	}
	if (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0)
		return cli_usage("catalog", "unknown verb '%s': expected list, show or path", verb);
	if (what == NULL)
		return cli_usage("catalog", strcmp(verb, "list") == 0
						    ? "list what? cameras, lenses or panels"
						    : "show what? give a catalog name");
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if (strcmp(verb, "list") == 0) {
		vpm_catalog_kind_t kind;
		if (strcasecmp(what, "cameras") == 0 || strcasecmp(what, "camera") == 0)
			kind = VPM_CATALOG_CAMERAS;
		else if (strcasecmp(what, "lenses") == 0 || strcasecmp(what, "lens") == 0)
			kind = VPM_CATALOG_LENSES;
		else if (strcasecmp(what, "panels") == 0 || strcasecmp(what, "panel") == 0)
			kind = VPM_CATALOG_PANELS;
		else {
			vpm_catalog_free(cat);
			return cli_usage("catalog",
					 "cannot list '%s': use cameras, lenses or panels", what);
		}
		rc = list_kind(cat, kind, cs.units);
	} else {
		rc = show(cat, what, cs.units);
	}
	vpm_catalog_free(cat);
	return rc;
}
