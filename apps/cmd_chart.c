/* vpmoire chart: safe-shot charts for the prep book.  Focal length ×
 * camera-to-wall distance for one panel and camera at one or more stops;
 * one page per stop (and per panel and camera).  The plan (lenses, stops,
 * rows, memory) comes from lib/chartplan.c, the cells from lib/chart.c
 * (vpm_predict, as `check`), the pages from plots/chartsheet.c. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "chartsheet.h"
#include "cli.h"
#include "commands.h"
#include "vpm_plot.h"
#include "vpmoire/chart.h"

#define MAX_LIST 16 /* panels, cameras, stops, lenses, outputs */

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

/* The flags; the chart's own (lenses, stops, distances, cells, memory) go
 * to the library's request, planned by vpm_chart_plan(). */
typedef struct {
	const char *panels[MAX_LIST], *cameras[MAX_LIST], *lenses[MAX_LIST], *outputs[MAX_LIST];
	int npanels, ncameras, nlenses, noutputs;
	double stops[MAX_LIST];
	int nstops;
	vpm_chart_request_t rq;
	int rule;
	long nx, ny;
	const char *data_path;
	int by_visibility, letter, quiet, jobs;
	double dpi;
	const char *title;
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

static int add_to(const char **list, int *n, const char *what, const char *v)
{
	if (*n == MAX_LIST)
		return cli_usage("chart", "at most %d %s", MAX_LIST, what);
	list[(*n)++] = v;
	return 0;
}

/* ------------------------------------------------------------ outputs */

/* The files output `path` writes for `pages` pages: PNG and SVG one a
 * page. */
static int output_files(const char *path, int pages)
{
	vpm_doc_format_t fmt = VPM_DOC_PDF;

	vpm_doc_format_from_path(path, &fmt);
	return fmt == VPM_DOC_PDF ? 1 : pages;
}

/* Refuse, before anything is computed or written, two outputs that are one
 * file: `-o a.png -o ./a.png`, `-o c.png -o c-2.png` for a chart of two or
 * more pages (page 2 of c.png is c-2.png), or --chart-data naming an -o
 * file.  The targets' owner is the output (-1: --chart-data), page the
 * page (0-based).  Returns 0 or the exit status after the message. */
static int check_outputs_distinct(const chart_opts_t *o, int pages)
{
	size_t n = 0, cap = o->data_path ? 1 : 0, i;
	cli_target_t *t;
	const cli_target_t *a, *b;
	int k, p, rc = 0;

	for (k = 0; k < o->noutputs; k++)
		cap += (size_t)output_files(o->outputs[k], pages);
	if (cap < 2)
		return 0;
	t = calloc(cap, sizeof *t);
	if (t == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");
	for (k = 0; k < o->noutputs && rc == 0; k++)
		for (p = 0; p < output_files(o->outputs[k], pages) && rc == 0; p++) {
			size_t len = strlen(o->outputs[k]) + 16;
			char *name = malloc(len);
			if (name == NULL ||
			    vpm_doc_page_path(o->outputs[k], p, name, len) != VPM_OK) {
				free(name);
				rc = cli_fail(EXIT_RUNTIME, "out of memory");
			} else {
				t[n++] = (cli_target_t){ .path = name, .owner = k, .page = p };
			}
		}
	if (o->data_path)
		t[n++] = (cli_target_t){ .path = o->data_path, .owner = -1 };
	if (rc == 0 && cli_find_clash(t, n, &a, &b)) {
		if (a->owner < 0 || b->owner < 0) {
			const cli_target_t *x = a->owner < 0 ? b : a;
			rc = cli_usage("chart",
				       "--chart-data: '%s' is also written by --output '%s'%s: "
				       "give the CSV another name",
				       o->data_path, o->outputs[x->owner],
				       x->page ? " (a page)" : "");
		} else if (a->owner == b->owner) {
			rc = cli_usage("chart", "--output: '%s' names one file twice",
				       o->outputs[a->owner]);
		} else if (a->page == 0 && b->page == 0) {
			rc = cli_usage("chart", "--output: '%s' and '%s' are the same file",
				       o->outputs[a->owner], o->outputs[b->owner]);
		} else {
			const cli_target_t *x = a->page ? a : b, *y = a->page ? b : a;
			rc = cli_usage("chart",
				       "--output: page %d of '%s' is written to %s, which --output "
				       "'%s'%s also writes: give the outputs names apart",
				       x->page + 1, o->outputs[x->owner], x->path,
				       o->outputs[y->owner], y->page ? " (another page)" : "");
		}
	}
	for (i = 0; i < n; i++)
		if (t[i].owner >= 0)
			free((char *)t[i].path);
	free(t);
	return rc;
}

/* ------------------------------------------------------------ main */

/* A refusal of vpm_chart_plan() and its kin as a usage error (the request's
 * flags), anything else (a lens not found, no memory) as it comes. */
static int plan_fail(vpm_status_t st)
{
	if (st == VPM_EINVAL || st == VPM_ELIMIT)
		return cli_usage("chart", "%s", vpm_error_message());
	return cli_fail_status(st, NULL);
}

/* The set-up of panel `ip` and camera `ic` with the plan's first lens, or,
 * for a continuous range (no lens), an ideal lens at the range's short end
 * given as a raw --focal for this one build.  Prints errors; an exit code. */
static int build_base(cli_setup_t *cs, const vpm_catalog_t *cat, const chart_opts_t *o,
		      const vpm_chart_plan_t *plan, int ip, int ic, vpm_setup_t *base,
		      const vpm_camera_t **camera, const vpm_panel_t **panel)
{
	const unsigned long long focal = 1ull << (OPT_FOCAL - OPT_PANEL);
	const vpm_lens_t *lens = plan->n_lenses ? plan->lenses[0] : NULL;
	int rc;

	cs->panel = o->panels[ip];
	cs->camera = o->cameras[ic];
	cs->lens = lens ? lens->name : NULL;
	if (!lens) {
		cs->raw.focal_mm = plan->focal_lo_mm;
		cs->given |= focal;
	}
	rc = cli_setup_build(cs, cat, base, NULL, camera, panel);
	if (!lens)
		cs->given &= ~focal;
	return rc;
}

int cmd_chart(int argc, char **argv)
{
	static const struct option chart_options[] = {
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
		{ NULL, 0, NULL, 0 },
	};
	/* choices in the order of their values (vpm_chart_focus_rule_t) */
	static const char *const rules[] = { "subject", "back-of-dof", NULL };
	static const char *const colours[] = { "risk", "visibility", NULL };
	chart_opts_t o;
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_doc_t *doc = NULL;
	vpm_atomic_file_t *data = NULL;
	FILE *dfp = NULL;
	vpm_chart_plan_t *plan = NULL;
	progress_t prog;
	int opt, rc = 0, ip, ic, page = 0;
	size_t is;
	long n;
	vpm_status_t st;

	memset(&o, 0, sizeof o);
	memset(&prog, 0, sizeof prog);
	o.rq = vpm_chart_request_default();
	o.rule = (int)o.rq.rule;
	o.nx = (long)o.rq.nx;
	o.ny = (long)o.rq.ny;
	o.dpi = 150.0;
	cli_options_init(&longopts, CLI_OPTS_SETUP | CLI_OPTS_GEOMETRY);
	cli_options_add(&longopts, chart_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":ho:j:q", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(chart_help_head, CLI_OPTS_SETUP, chart_help_tail);
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
		case OPT_SERIES: o.rq.series = optarg; break;
		case OPT_FOCAL_RANGE:
			if (vpm_units_parse_range(optarg, VPM_UNIT_MM, &o.rq.focal_lo_mm,
						  &o.rq.focal_hi_mm) != VPM_OK)
				return cli_usage("chart", "--focal-range: %s", vpm_error_message());
			o.rq.focal_lo_mm *= 1e3;
			o.rq.focal_hi_mm *= 1e3;
			break;
		case OPT_SUBJECT_GAP:
			if (cli_parse_distance("subject-gap", optarg, 0, &o.rq.subject_gap_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_SUBJECT_DEPTH:
			if (cli_parse_distance("subject-depth", optarg, 0, &o.rq.subject_depth_m) !=
			    0)
				return EXIT_USAGE;
			break;
		case OPT_FOCUS_RULE:
			if ((rc = cli_parse_choice("chart", "focus-rule", NULL, optarg, rules,
						   &o.rule)) != 0)
				return rc;
			break;
		case OPT_WALL_RANGE:
			if (vpm_units_parse_range(optarg, VPM_UNIT_M, &o.rq.wall_min_m,
						  &o.rq.wall_max_m) != VPM_OK)
				return cli_usage("chart", "--wall-range: %s", vpm_error_message());
			break;
		case OPT_MAX_MEMORY:
			if (vpm_units_parse_bytes(optarg, &o.rq.max_memory_bytes) != VPM_OK)
				return cli_usage("chart", "--max-memory: %s", vpm_error_message());
			break;
		case OPT_CELLS:
			if (vpm_units_parse_grid(optarg, VPM_CHART_MAX_NX, VPM_CHART_MAX_NY, &o.nx,
						 &o.ny) != VPM_OK)
				return cli_usage("chart", "--cells: %s", vpm_error_message());
			break;
		case OPT_CHART_DATA: o.data_path = optarg; break;
		case OPT_COLOURS:
			if ((rc = cli_parse_choice("chart", "colours", NULL, optarg, colours,
						   &o.by_visibility)) != 0)
				return rc;
			break;
		case OPT_PAPER:
			if ((rc = cli_parse_choice("chart", "paper", NULL, optarg, cli_papers,
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
	if (cli_setup_given(&cs, OPT_FOCAL) && cs.focal_hi_mm > 0.0 && o.rq.focal_lo_mm == 0.0) {
		/* --focal A:B, a zoom's range: the continuous axis */
		o.rq.focal_lo_mm = cs.focal_lo_mm;
		o.rq.focal_hi_mm = cs.focal_hi_mm;
		cs.given &= ~(1ull << (OPT_FOCAL - OPT_PANEL));
		cs.focal_lo_mm = cs.focal_hi_mm = 0.0;
	}
	if (cli_setup_given(&cs, OPT_FOCAL))
		return cli_usage("chart", "--focal: give the lenses with --series, --lens, "
					  "--focal A:B or --focal-range A:B");
	o.rq.lens_names = o.lenses;
	o.rq.n_lens_names = (size_t)o.nlenses;
	o.rq.stops = o.stops;
	o.rq.n_stops = (size_t)o.nstops;
	o.rq.rule = (vpm_chart_focus_rule_t)o.rule;
	o.rq.nx = (size_t)o.nx;
	o.rq.ny = (size_t)o.ny;
	if ((st = vpm_chart_request_check(&o.rq)) != VPM_OK)
		return plan_fail(st);

	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if (o.npanels == 0)
		o.panels[o.npanels++] = NULL;
	if (o.ncameras == 0)
		o.cameras[o.ncameras++] = NULL;
	o.rq.sheets = (size_t)o.npanels * (size_t)o.ncameras;
	o.rq.raster_dpi = o.noutputs > 0 ? o.dpi : 0.0;
	if ((st = vpm_chart_plan(cat, &o.rq, &plan)) != VPM_OK) {
		rc = plan_fail(st);
		goto out;
	}
	/* check every combination's equipment before computing anything */
	for (ip = 0; ip < o.npanels; ip++)
		for (ic = 0; ic < o.ncameras; ic++) {
			vpm_setup_t base;
			if ((rc = build_base(&cs, cat, &o, plan, ip, ic, &base, NULL, NULL)) != 0)
				goto out;
		}
	if ((st = vpm_chart_plan_check_memory(plan)) != VPM_OK) {
		rc = plan_fail(st);
		goto out;
	}
	if ((rc = check_outputs_distinct(&o, (int)plan->pages)) != 0)
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
	prog.pages = (int)plan->pages;

	for (ip = 0; ip < o.npanels; ip++)
		for (ic = 0; ic < o.ncameras; ic++) {
			vpm_setup_t base;
			const vpm_panel_t *panel = NULL;
			const vpm_camera_t *camera = NULL;
			vpm_chartsheet_t pc;

			if ((rc = build_base(&cs, cat, &o, plan, ip, ic, &base, &camera, &panel)) !=
			    0)
				goto out;
			if ((st = vpm_chart_plan_columns(plan, &base)) != VPM_OK) {
				rc = cli_fail_status(st, "chart");
				goto out;
			}
			vpm_chartsheet_from_plan(&pc, plan, panel, camera);
			pc.by_visibility = o.by_visibility;
			pc.title = o.title;
			pc.units = cs.units;
			for (is = 0; is < plan->n_stops; is++) {
				double stop = plan->stops[is];
				vpm_chart_t *chart = NULL;

				base.stop = stop;
				prog.page = ++page;
				if (page == 1)
					cli_progress_start(&prog.bar,
							   !o.quiet && cli_stderr_is_tty(), 0);
				st = vpm_chart_plan_compute(plan, is, o.jobs, on_progress, &prog,
							    &chart);
				/* end the bar's line before anything else is printed */
				cli_progress_end(&prog.bar);
				if (st != VPM_OK) {
					rc = cli_fail_status(st, "chart");
					goto out;
				}
				if (dfp)
					vpm_chart_write_csv(dfp, page, panel ? panel->name : NULL,
							    camera ? camera->name : NULL,
							    plan->csv_lenses, chart, stop);
				if (!o.quiet)
					vpm_chartsheet_summary(stdout, &pc, chart, stop, page);
				if (doc)
					st = vpm_chartsheet_page_add(doc, &pc, chart, stop, &base);
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
	vpm_chart_plan_free(plan);
	vpm_catalog_free(cat);
	return rc;
}
