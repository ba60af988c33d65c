/* vpmoire chart: safe-shot charts for the prep book.  Focal length ×
 * camera-to-wall distance for one panel and camera at one or more stops;
 * one page per stop (and per panel and camera).  Cells come from
 * lib/chart.c (vpm_predict, as `check`), pages from plots/chartsheet.c. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chartsheet.h"
#include "cli.h"
#include "commands.h"
#include "vpm_plot.h"
#include "vpmoire/chart.h"

#define MAX_LIST 16   /* panels, cameras, stops, lenses, outputs */
#define MAX_COLS 2000 /* columns of a continuous focal range */
#define MAX_ROWS 2000
#define MAX_SERIES 64 /* lenses of one series */

static const char chart_help_head[] =
	"Usage: vpmoire chart [OPTIONS] -o chart.pdf\n"
	"\n"
	"Safe-shot charts for the prep book: for one LED panel and one camera at one or\n"
	"more stops, which focal lengths at which camera-to-wall distances are safe, need\n"
	"care, or will show moire or the LED grid.  Across: the lenses of a series (one\n"
	"column per lens) or a continuous focal range; up: the distance from the sensor\n"
	"to the wall (metres left, feet right).  One page per stop (and per panel and\n"
	"camera when several are given), with the V = 1 and V = 3 contours, the lenses'\n"
	"close-focus limit, the edge of each lens's safe zone and a reading guide.  Every\n"
	"cell is the verdict `vpmoire check` gives for the same set-up.\n"
	"\n"
	"Lenses (one of):\n"
	"  --series NAME         a lens series from the catalog, e.g. \"ZEISS CP.3\"\n"
	"  --lens NAME           a lens; repeat for several (one column each); a zoom\n"
	"                        alone: its focal range, continuous, with its stop ramp\n"
	"  --focal-range A:B     a continuous range of ideal lenses, e.g. 15:135 (mm);\n"
	"                        with --series its lenses are marked on the axis\n"
	"Stops and placement:\n"
	"  --stop T              stop, e.g. T2.8 (repeat for one page per stop; default:\n"
	"                        the widest stop of the first lens)\n"
	"  --subject-gap D       the subject's distance in front of the wall (default 5ft)\n"
	"  --focus-rule RULE     subject: focus on the subject (default); back-of-dof:\n"
	"                        focus placed by the planner (as `vpmoire focus`) so a\n"
	"                        subject --subject-depth deep stays sharp with the wall\n"
	"                        as far out of focus as it can be\n"
	"  --subject-depth D     the subject's depth for back-of-dof (default 0.3m)\n"
	"  --wall-range A:B      camera-to-wall distances (default: from the gap rounded\n"
	"                        down to 0.5 m, to 5 m beyond the gap rounded up)\n"
	"  --cells NXxNY         grid: NX focal lengths (continuous ranges only) x NY\n"
	"                        distances (default 200x200; '300' sets NY)\n"
	"  --max-memory SIZE     refuse charts that would need more, e.g. 1G (default 2G)\n"
	"  --panel and --camera may be repeated: one page per combination.\n"
	"\n";

static const char chart_help_tail[] =
	"\n"
	"Output:\n"
	"  -o, --output FILE     chart.pdf (all pages), chart.png or chart.svg (one file\n"
	"                        per page: chart.png, chart-2.png, ...); may be repeated\n"
	"  --chart-data FILE     every cell as CSV (set-up, focus, visibilities, risk)\n"
	"  --colours risk|visibility  three risk classes (default) or the visibility\n"
	"                        on a log colour scale\n"
	"  --paper a4|letter     page size, landscape (default a4)\n"
	"  --dpi N               PNG resolution (default 150)\n"
	"  --title TEXT          the stage or rig name for the page titles\n"
	"  -j, --jobs N          threads (default: all cores)\n"
	"  -q, --quiet           no summary on standard output and no progress bar\n"
	"  -h, --help            show this help\n"
	"\n"
	"Without -o only the summary (safe distances per lens and stop) is printed.\n"
	"\n"
	"Example (the reference micro stage, subject 5 ft in front of the wall):\n"
	"  vpmoire chart --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --series \"ZEISS CP.3\" --stop T2.1 --stop T2.8 --stop T4 \\\n"
	"      --subject-gap 5ft -o safe-shot-chart.pdf\n";

enum {
	OPT_SERIES = OPT_SETUP_LAST + 1,
	OPT_FOCAL_RANGE,
	OPT_SUBJECT_GAP,
	OPT_FOCUS_RULE,
	OPT_SUBJECT_DEPTH,
	OPT_WALL_RANGE,
	OPT_CELLS,
	OPT_CHART_DATA,
	OPT_COLOURS,
	OPT_PAPER,
	OPT_DPI,
	OPT_TITLE,
	OPT_MAX_MEMORY
};

typedef struct {
	const char *panels[MAX_LIST], *cameras[MAX_LIST], *lenses[MAX_LIST], *outputs[MAX_LIST];
	int npanels, ncameras, nlenses, noutputs;
	double stops[MAX_LIST];
	int nstops;
	const char *series;
	double focal_lo_mm, focal_hi_mm; /* 0: no continuous range */
	double gap_m, depth_m;
	int rule;
	double wall_lo_m, wall_hi_m; /* 0: default */
	long nx, ny;
	const char *data_path;
	int by_visibility, letter, quiet, jobs;
	double dpi;
	const char *title;
	size_t max_memory_bytes;
} chart_opts_t;

/* ------------------------------------------------------------ progress */

typedef struct {
	cli_progress_t bar;
	int page, pages;
} progress_t;

/* A bar on stderr, only once a chart has taken more than a second. */
static void on_progress(void *ctx, size_t done, size_t total)
{
	progress_t *p = ctx;
	double el, frac = total ? (double)done / (double)total : 1.0;
	char bar[31];

	if (!cli_progress_due(&p->bar, 1.0, 0.1, done >= total, &el))
		return;
	cli_progress_bar(frac, bar);
	fprintf(stderr, "\rchart page %d of %d [%s] %5.1f%%  %.1f s ", p->page, p->pages, bar,
		100.0 * frac, el);
	fflush(stderr);
	p->bar.shown = 1;
}

/* ------------------------------------------------------------ parsing */

/* --focal-range, --wall-range: FROM:TO (lib/units.c) */
static int parse_range(const char *flag, const char *arg, vpm_unit_t bare, double *lo, double *hi)
{
	if (vpm_units_parse_range(arg, bare, lo, hi) != VPM_OK)
		return cli_usage("chart", "--%s: %s", flag, vpm_error_message());
	return 0;
}

static int add_to(const char **list, int *n, const char *what, const char *v)
{
	if (*n == MAX_LIST)
		return cli_usage("chart", "at most %d %s", MAX_LIST, what);
	list[(*n)++] = v;
	return 0;
}

/* ------------------------------------------------------------ outputs */

/* One file the chart will write: output `out` (-1 for --chart-data), page
 * `page` (0-based; PNG and SVG write one file per page). */
typedef struct {
	cli_file_id_t id;
	char *name;
	int out, page;
} target_t;

static int target_cmp(const void *a, const void *b)
{
	const target_t *x = a, *y = b;
	int c = cli_file_id_cmp(&x->id, &y->id);

	if (c != 0)
		return c;
	return x->out != y->out ? (x->out < y->out ? -1 : 1) : (x->page - y->page);
}

/* Refuse, before anything is computed or written, two outputs that are one
 * file: `-o a.png -o ./a.png`, `-o c.png -o c-2.png` for a chart of two or
 * more pages (page 2 of c.png is c-2.png), or --chart-data naming an -o
 * file.  Returns 0 or the exit status after the message. */
static int check_outputs_distinct(const chart_opts_t *o, int pages)
{
	size_t n = 0, cap = o->data_path ? 1 : 0, i;
	target_t *t;
	int k, p, rc = 0;

	for (k = 0; k < o->noutputs; k++) {
		vpm_doc_format_t fmt = VPM_DOC_PDF;
		vpm_doc_format_from_path(o->outputs[k], &fmt);
		cap += fmt == VPM_DOC_PDF ? 1 : (size_t)pages;
	}
	if (cap < 2)
		return 0;
	t = calloc(cap, sizeof *t);
	if (t == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");
	for (k = 0; k < o->noutputs && rc == 0; k++) {
		vpm_doc_format_t fmt = VPM_DOC_PDF;
		int np;
		vpm_doc_format_from_path(o->outputs[k], &fmt);
		np = fmt == VPM_DOC_PDF ? 1 : pages;
		for (p = 0; p < np && rc == 0; p++) {
			size_t len = strlen(o->outputs[k]) + 16;
			t[n].name = malloc(len);
			if (t[n].name == NULL ||
			    vpm_doc_page_path(o->outputs[k], p, t[n].name, len) != VPM_OK) {
				free(t[n].name);
				rc = cli_fail(EXIT_RUNTIME, "out of memory");
				break;
			}
			t[n].out = k;
			t[n].page = p;
			cli_file_id(t[n].name, &t[n].id);
			n++;
		}
	}
	if (rc == 0 && o->data_path) {
		t[n].name = strdup(o->data_path);
		if (t[n].name == NULL) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
		} else {
			t[n].out = -1;
			cli_file_id(t[n].name, &t[n].id);
			n++;
		}
	}
	/* sorted by file, a file written twice is two neighbours */
	if (rc == 0)
		qsort(t, n, sizeof *t, target_cmp);
	for (i = 1; i < n && rc == 0; i++) {
		const target_t *a = &t[i - 1], *b = &t[i];
		if (a->id.special || b->id.special || cli_file_id_cmp(&a->id, &b->id) != 0)
			continue;
		if (a->out < 0 || b->out < 0) {
			const target_t *x = a->out < 0 ? b : a;
			rc = cli_usage("chart",
				       "--chart-data: '%s' is also written by --output '%s'%s: "
				       "give the CSV another name",
				       o->data_path, o->outputs[x->out],
				       x->page ? " (a page)" : "");
		} else if (a->out == b->out) {
			rc = cli_usage("chart", "--output: '%s' names one file twice",
				       o->outputs[a->out]);
		} else if (a->page == 0 && b->page == 0) {
			rc = cli_usage("chart", "--output: '%s' and '%s' are the same file",
				       o->outputs[a->out], o->outputs[b->out]);
		} else {
			const target_t *x = a->page ? a : b, *y = a->page ? b : a;
			rc = cli_usage("chart",
				       "--output: page %d of '%s' is written to %s, which --output "
				       "'%s'%s also writes: give the outputs names apart",
				       x->page + 1, o->outputs[x->out], x->name, o->outputs[y->out],
				       y->page ? " (another page)" : "");
		}
	}
	for (i = 0; i < n; i++)
		free(t[i].name);
	free(t);
	return rc;
}

/* ------------------------------------------------------------ CSV and summary */

/* ------------------------------------------------------------ main */

/* The set-up of panel `ip` and camera `ic` with the first lens, or, for a
 * continuous range (no lens), an ideal lens at the range's short end given
 * as a raw --focal for this one build.  Prints errors; an exit code. */
static int build_base(cli_setup_t *cs, const vpm_catalog_t *cat, const chart_opts_t *o,
		      const vpm_lens_t *lens, int ip, int ic, vpm_setup_t *base,
		      const vpm_camera_t **camera, const vpm_panel_t **panel)
{
	const unsigned long long focal = 1ull << (OPT_FOCAL - OPT_PANEL);
	int rc;

	cs->panel = o->panels[ip];
	cs->camera = o->cameras[ic];
	cs->lens = lens ? lens->name : NULL;
	if (!lens) {
		cs->raw.focal_mm = o->focal_lo_mm;
		cs->given |= focal;
	}
	rc = cli_setup_build(cs, cat, base, NULL, camera, panel);
	if (!lens)
		cs->given &= ~focal;
	return rc;
}

static int cmp_lens(const void *a, const void *b)
{
	const vpm_lens_t *x = *(const vpm_lens_t *const *)a, *y = *(const vpm_lens_t *const *)b;

	return (x->focal_mm > y->focal_mm) - (x->focal_mm < y->focal_mm);
}

int cmd_chart(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_SETUP_LONGOPTS,
		CLI_GEOMETRY_LONGOPTS,
		{ "series", required_argument, NULL, OPT_SERIES },
		{ "focal-range", required_argument, NULL, OPT_FOCAL_RANGE },
		{ "subject-gap", required_argument, NULL, OPT_SUBJECT_GAP },
		{ "focus-rule", required_argument, NULL, OPT_FOCUS_RULE },
		{ "subject-depth", required_argument, NULL, OPT_SUBJECT_DEPTH },
		{ "wall-range", required_argument, NULL, OPT_WALL_RANGE },
		{ "cells", required_argument, NULL, OPT_CELLS },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "chart-data", required_argument, NULL, OPT_CHART_DATA },
		{ "colours", required_argument, NULL, OPT_COLOURS },
		{ "colors", required_argument, NULL, OPT_COLOURS },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* choices in the order of their values (vpm_chart_focus_rule_t) */
	static const char *const rules[] = { "subject", "back-of-dof", NULL };
	static const char *const colours[] = { "risk", "visibility", NULL };
	static const char *const papers[] = { "a4", "letter", NULL };
	chart_opts_t o;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_doc_t *doc = NULL;
	vpm_atomic_file_t *data = NULL;
	FILE *dfp = NULL;
	const vpm_lens_t *series[MAX_SERIES], *lenses[MAX_SERIES], *zoom = NULL;
	size_t nseries = 0, nl = 0, nx = 0;
	vpm_chart_column_t *cols = NULL;
	const vpm_lens_t **col_lens = NULL, **data_lens = NULL;
	progress_t prog;
	int opt, rc = 0, ip, ic, is, page = 0, pages;
	long n;
	vpm_status_t st;

	memset(&o, 0, sizeof o);
	memset(&prog, 0, sizeof prog);
	o.gap_m = 1.524;
	o.depth_m = 0.3;
	o.rule = VPM_CHART_FOCUS_SUBJECT;
	o.nx = o.ny = 200;
	o.dpi = 150.0;
	o.max_memory_bytes = (size_t)2 << 30;
	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ho:j:q", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(chart_help_head, stdout);
			fputs(cli_setup_help, stdout);
			fputs(chart_help_tail, stdout);
			return EXIT_OK;
		case 'o':
			if ((rc = add_to(o.outputs, &o.noutputs, "outputs", optarg)) != 0)
				return rc;
			{
				vpm_doc_format_t fmt;
				if (vpm_doc_format_from_path(optarg, &fmt) != VPM_OK)
					return cli_usage(
						"chart",
						"--output: '%s': use a .pdf, .png or .svg file",
						optarg);
			}
			break;
		case 'j':
			if (vpm_units_parse_count(optarg, 1024, &n) != VPM_OK)
				return cli_usage("chart", "--jobs: %s", vpm_error_message());
			o.jobs = (int)n;
			break;
		case 'q': o.quiet = 1; break;
		case OPT_PANEL:
			if ((rc = add_to(o.panels, &o.npanels, "panels", optarg)) != 0)
				return rc;
			break;
		case OPT_CAMERA:
			if ((rc = add_to(o.cameras, &o.ncameras, "cameras", optarg)) != 0)
				return rc;
			break;
		case OPT_LENS:
			if ((rc = add_to(o.lenses, &o.nlenses, "lenses", optarg)) != 0)
				return rc;
			break;
		case OPT_STOP:
			if (o.nstops == MAX_LIST)
				return cli_usage("chart", "at most %d stops", MAX_LIST);
			if (vpm_units_parse_stop(optarg, &o.stops[o.nstops]) != VPM_OK)
				return cli_usage("chart", "--stop: %s", vpm_error_message());
			o.nstops++;
			break;
		case OPT_SERIES: o.series = optarg; break;
		case OPT_FOCAL_RANGE:
			if ((rc = parse_range("focal-range", optarg, VPM_UNIT_MM, &o.focal_lo_mm,
					      &o.focal_hi_mm)) != 0)
				return rc;
			o.focal_lo_mm *= 1e3;
			o.focal_hi_mm *= 1e3;
			break;
		case OPT_SUBJECT_GAP:
			if (cli_parse_distance("subject-gap", optarg, 0, &o.gap_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_SUBJECT_DEPTH:
			if (cli_parse_distance("subject-depth", optarg, 0, &o.depth_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_FOCUS_RULE:
			if ((rc = cli_parse_choice("chart", "focus-rule", NULL, optarg, rules,
						   &o.rule)) != 0)
				return rc;
			break;
		case OPT_WALL_RANGE:
			if ((rc = parse_range("wall-range", optarg, VPM_UNIT_M, &o.wall_lo_m,
					      &o.wall_hi_m)) != 0)
				return rc;
			break;
		case OPT_MAX_MEMORY:
			if (vpm_units_parse_bytes(optarg, &o.max_memory_bytes) != VPM_OK)
				return cli_usage("chart", "--max-memory: %s", vpm_error_message());
			break;
		case OPT_CELLS:
			if (vpm_units_parse_grid(optarg, MAX_COLS, MAX_ROWS, &o.nx, &o.ny) !=
			    VPM_OK)
				return cli_usage("chart", "--cells: %s", vpm_error_message());
			break;
		case OPT_CHART_DATA: o.data_path = optarg; break;
		case OPT_COLOURS:
			if ((rc = cli_parse_choice("chart", "colours", NULL, optarg, colours,
						   &o.by_visibility)) != 0)
				return rc;
			break;
		case OPT_PAPER:
			if ((rc = cli_parse_choice("chart", "paper", NULL, optarg, papers,
						   &o.letter)) != 0)
				return rc;
			break;
		case OPT_DPI:
			if (vpm_units_parse_count(optarg, 1200, &n) != VPM_OK || n < 30)
				return cli_usage("chart", "--dpi: '%s': expected 30 to 1200",
						 optarg);
			o.dpi = (double)n;
			break;
		case OPT_TITLE: o.title = optarg; break;
		case OPT_FOCUS:
		case OPT_WALL:
		case OPT_SUBJECT:
			return cli_usage("chart",
					 "--%s does not apply: the chart sweeps the distances "
					 "(use --wall-range and --subject-gap)",
					 opt == OPT_FOCUS  ? "focus"
					 : opt == OPT_WALL ? "wall"
							   : "subject");
		default:
			if ((rc = cli_setup_getopt("chart", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage("chart", "unexpected argument '%s'", argv[optind]);
	if (cli_setup_given(&cs, OPT_FOCAL) && cs.focal_hi_mm > 0.0 && o.focal_lo_mm == 0.0) {
		/* --focal A:B, a zoom's range: the continuous axis */
		o.focal_lo_mm = cs.focal_lo_mm;
		o.focal_hi_mm = cs.focal_hi_mm;
		cs.given &= ~(1ull << (OPT_FOCAL - OPT_PANEL));
		cs.focal_lo_mm = cs.focal_hi_mm = 0.0;
	}
	if (cli_setup_given(&cs, OPT_FOCAL))
		return cli_usage("chart", "--focal: give the lenses with --series, --lens, "
					  "--focal A:B or --focal-range A:B");
	if (!o.series && o.nlenses == 0 && o.focal_lo_mm == 0)
		return cli_usage("chart", "give the lenses: --series NAME, --lens NAME or "
					  "--focal-range A:B");
	if (o.series && o.nlenses > 0)
		return cli_usage("chart", "give either --series or --lens, not both");
	if (o.nlenses > 0 && o.focal_lo_mm > 0)
		return cli_usage("chart", "give either --lens or --focal-range, not both");
	if (o.rule == VPM_CHART_FOCUS_BACK_OF_DOF && o.depth_m >= o.gap_m * 2.0)
		return cli_usage("chart",
				 "--subject-depth: the subject (%.3g m deep, centre %.3g m "
				 "from the wall) would reach the wall",
				 o.depth_m, o.gap_m);
	if (o.wall_lo_m == 0.0) {
		o.wall_lo_m = fmax(0.5, floor(o.gap_m * 2.0) / 2.0);
		o.wall_hi_m = ceil(o.gap_m + 5.0);
	}
	if (o.nx > MAX_COLS || o.ny > MAX_ROWS)
		return cli_usage("chart", "--cells: at most %dx%d", MAX_COLS, MAX_ROWS);

	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	/* the lenses */
	if (o.series) {
		if ((st = vpm_catalog_find_series(cat, o.series, series, MAX_SERIES, &nseries)) !=
		    VPM_OK) {
			rc = cli_fail_status(st, "--series");
			goto out;
		}
		if (nseries > MAX_SERIES)
			nseries = MAX_SERIES;
		if (o.focal_lo_mm == 0) {
			memcpy(lenses, series, nseries * sizeof *series);
			nl = nseries;
		}
	}
	for (ip = 0; ip < o.nlenses; ip++) {
		const vpm_lens_t *l;
		if ((st = vpm_catalog_find_lens(cat, o.lenses[ip], &l)) != VPM_OK) {
			rc = cli_fail_status(st, "--lens");
			goto out;
		}
		lenses[nl++] = l;
	}
	qsort(lenses, nl, sizeof *lenses, cmp_lens);
	/* a zoom --lens: its range is the continuous axis, its entry the lens
	 * of every column (close focus, stop ramp, squeeze) */
	for (size_t z = 0; z < nl; z++)
		if (vpm_lens_is_zoom(lenses[z]) && nl > 1) {
			rc = cli_usage("chart", "--lens %s is a zoom: chart it on its own",
				       lenses[z]->name);
			goto out;
		}
	if (nl == 1 && vpm_lens_is_zoom(lenses[0]) && !o.series) {
		zoom = lenses[0];
		o.focal_lo_mm = zoom->focal_mm;
		o.focal_hi_mm = zoom->focal_max_mm;
	}
	if (o.nstops == 0) {
		if (nl == 0) {
			rc = cli_usage("chart",
				       "--stop is required with --focal-range (e.g. --stop T2.8)");
			goto out;
		}
		/* a zoom with a stop ramp: the stop it opens to over its whole
		 * range (the long end's widest), so no column is grey for it */
		o.stops[o.nstops++] = zoom && zoom->max_t_long > 0.0 ? zoom->max_t_long
								     : lenses[0]->max_t;
	}
	if (o.npanels == 0)
		o.panels[o.npanels++] = NULL;
	if (o.ncameras == 0)
		o.cameras[o.ncameras++] = NULL;
	nx = o.focal_lo_mm > 0 ? (size_t)o.nx : nl;
	cols = calloc(nx, sizeof *cols);
	col_lens = calloc(nx, sizeof *col_lens);
	data_lens = calloc(nx, sizeof *data_lens);
	if (!cols || !col_lens || !data_lens) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}

	/* check every combination's equipment before computing anything */
	pages = o.npanels * o.ncameras * o.nstops;
	for (ip = 0; ip < o.npanels; ip++)
		for (ic = 0; ic < o.ncameras; ic++) {
			vpm_setup_t base;
			if ((rc = build_base(&cs, cat, &o, nl ? lenses[0] : NULL, ip, ic, &base,
					     NULL, NULL)) != 0)
				goto out;
		}

	/* Bound the work before doing it: the grid of one page, and every page
	 * recorded for the document (its heatmap image and drawing), plus one
	 * PNG raster when pages are written as PNG. */
	{
		double cells = (double)nx * (double)o.ny;
		double est = cells * (double)sizeof(vpm_chart_cell_t) +
			     (double)pages * (cells * 16.0 + 4.0 * 1048576.0);
		if (o.noutputs > 0)
			est += 4.0 * (297.0 / 25.4 * o.dpi) * (297.0 / 25.4 * o.dpi);
		if (est > (double)o.max_memory_bytes) {
			rc = cli_usage(
				"chart",
				"the chart needs about %.2f GiB (%d page%s of %zu x %ld cells), "
				"above --max-memory %.2f GiB: use fewer --cells, stops, panels or "
				"cameras, or raise --max-memory",
				est / 1073741824.0, pages, pages == 1 ? "" : "s", nx, o.ny,
				(double)o.max_memory_bytes / 1073741824.0);
			goto out;
		}
	}
	if ((rc = check_outputs_distinct(&o, pages)) != 0)
		goto out;
	/* Find out now, not after minutes of computing, when an output
	 * cannot be written. */
	for (ip = 0; ip < o.noutputs; ip++) {
		vpm_atomic_file_t *probe = NULL;
		if ((st = vpm_atomic_open(o.outputs[ip], &probe)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		vpm_atomic_abort(probe);
	}

	if (o.noutputs > 0) {
		vpm_doc_options_t dopt = vpm_doc_options_default();
		dopt.paper = o.letter ? VPM_DOC_LETTER : VPM_DOC_A4;
		dopt.png_dpi = o.dpi;
		dopt.title = "vpmoire safe-shot chart";
		if ((st = vpm_doc_alloc(&dopt, &doc)) != VPM_OK) {
			rc = cli_fail_status(st, "document");
			goto out;
		}
	}
	cli_install_signal_cleanup();
	if (o.data_path) {
		if ((st = vpm_atomic_open(o.data_path, &data)) != VPM_OK) {
			rc = cli_fail_status(st, "--chart-data");
			goto out;
		}
		dfp = vpm_atomic_stream(data);
		vpm_chart_write_csv_header(dfp);
	}
	memset(&prog, 0, sizeof prog);
	prog.pages = pages;

	for (ip = 0; ip < o.npanels; ip++)
		for (ic = 0; ic < o.ncameras; ic++) {
			vpm_setup_t base;
			const vpm_panel_t *panel = NULL;
			const vpm_camera_t *camera = NULL;
			vpm_chartsheet_t pc;
			size_t k;

			if ((rc = build_base(&cs, cat, &o, nl ? lenses[0] : NULL, ip, ic, &base,
					     &camera, &panel)) != 0)
				goto out;
			if (zoom)
				vpm_chart_columns_zoom(&base, zoom, nx, cols);
			else if (o.focal_lo_mm > 0)
				vpm_chart_columns_range(&base, o.focal_lo_mm, o.focal_hi_mm, nx,
							cols);
			else
				vpm_chart_columns_lenses(&base, lenses, nl, cols);
			for (k = 0; k < nx; k++) {
				col_lens[k] = o.focal_lo_mm > 0 ? NULL : lenses[k];
				data_lens[k] = zoom; /* the CSV names the zoom per column */
			}
			memset(&pc, 0, sizeof pc);
			pc.panel = panel;
			pc.camera = camera;
			pc.lenses = col_lens;
			pc.categorical = o.focal_lo_mm == 0;
			pc.focal_lo_mm = o.focal_lo_mm;
			pc.focal_hi_mm = o.focal_hi_mm;
			pc.rule = (vpm_chart_focus_rule_t)o.rule;
			pc.gap_m = o.gap_m;
			pc.depth_m = o.depth_m;
			pc.by_visibility = o.by_visibility;
			pc.title = o.title;
			pc.marks = o.focal_lo_mm > 0 ? series : NULL;
			pc.n_marks = o.focal_lo_mm > 0 ? nseries : 0;
			pc.series_name = o.series ? (nseries ? series[0]->series : o.series)
					 : zoom	  ? zoom->series
						  : NULL;
			pc.zoom = zoom;
			pc.units = cs.units;
			for (is = 0; is < o.nstops; is++) {
				vpm_chart_spec_t spec = vpm_chart_spec_default();
				vpm_chart_t *chart = NULL;

				for (k = 0; k < nx; k++)
					cols[k].setup.stop = o.stops[is];
				base.stop = o.stops[is];
				spec.columns = cols;
				spec.nx = nx;
				spec.wall_min_m = o.wall_lo_m;
				spec.wall_max_m = o.wall_hi_m;
				spec.ny = (size_t)o.ny;
				spec.rule = o.rule;
				spec.subject_gap_m = o.gap_m;
				spec.subject_depth_m = o.depth_m;
				spec.threads = o.jobs;
				spec.progress = on_progress;
				spec.progress_ctx = &prog;
				page++;
				prog.page = page;
				if (page == 1)
					cli_progress_start(&prog.bar,
							   !o.quiet && cli_stderr_is_tty(), 0);
				st = vpm_chart_compute(&spec, &chart);
				/* end the bar's line before anything else is printed */
				cli_progress_end(&prog.bar);
				if (st != VPM_OK) {
					rc = cli_fail_status(st, "chart");
					goto out;
				}
				if (dfp)
					vpm_chart_write_csv(dfp, page, panel ? panel->name : NULL,
							    camera ? camera->name : NULL,
							    zoom ? data_lens : col_lens, chart,
							    o.stops[is]);
				if (!o.quiet)
					vpm_chartsheet_summary(stdout, &pc, chart, o.stops[is],
							       page);
				if (doc)
					st = vpm_chartsheet_page_add(doc, &pc, chart, o.stops[is],
								     &base);
				vpm_chart_free(chart);
				if (doc && st != VPM_OK) {
					rc = cli_fail_status(st, NULL);
					goto out;
				}
			}
		}
	cli_progress_end(&prog.bar);
	if (data) {
		st = vpm_atomic_commit(data);
		data = NULL;
		if (st != VPM_OK) {
			rc = cli_fail_status(st, "--chart-data");
			goto out;
		}
	}
	for (ip = 0; doc && ip < o.noutputs; ip++) {
		if ((st = vpm_doc_save(doc, o.outputs[ip])) != VPM_OK) {
			rc = cli_fail_status(st, NULL); /* the message names the file */
			goto out;
		}
		if (!o.quiet)
			printf("%swrote %s (%d page%s)\n", ip == 0 ? "\n" : "", o.outputs[ip], page,
			       page == 1 ? "" : "s");
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
out:
	cli_progress_end(&prog.bar);
	if (data)
		vpm_atomic_abort(data);
	vpm_doc_free(doc);
	free(cols);
	free(col_lens);
	free(data_lens);
	vpm_catalog_free(cat);
	return rc;
}
