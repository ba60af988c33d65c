/* vpmoire focus: where to put focus (and which stop) so the whole subject
 * stays sharp and the wall's moire and grid are least visible, compared
 * with focusing on the subject's centre.  The plan is lib/focusplan.c
 * (vpm_focus_plan_stops); the page is plots/focuspage.c. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "focuspage.h"
#include "vpm_plot.h"

#define MAX_STOPS VPM_FOCUS_MAX_STOPS
/* exit status when no stop given holds the subject (outputs still written) */
#define EXIT_INFEASIBLE 3

static const char focus_help_head[] =
	"Usage: vpmoire focus [OPTIONS]\n"
	"\n"
	"Where to put focus on a micro stage: given the subject's depth range, the wall\n"
	"distance, the lens and the stops, recommends the focus distance and stop that\n"
	"keep the whole subject inside the depth of field and make the wall's moire and\n"
	"LED grid least visible (usually: focus a little closer than the subject, so the\n"
	"subject sits at the back of the depth of field and the wall falls further out\n"
	"of focus), and compares it with the naive choice, focus on the subject's centre.\n"
	"\n"
	"Subject and wall (distances from the sensor plane):\n"
	"  --subject D           the subject's centre (with --subject-depth)\n"
	"  --subject-depth D     its depth front to back (default 0: a flat subject)\n"
	"  --subject-near D      or give its near edge ...\n"
	"  --subject-far D       ... and its far edge\n"
	"  --wall D              camera to wall (required)\n"
	"  --stop T              a stop to consider (repeat; default: the lens's widest,\n"
	"                        then T2.8, T4, T5.6 and T8 within its range, and the\n"
	"                        widest third stop that holds the subject, marked +)\n"
	"\n"
	"RECOMMENDED is, of the stops whose depth of field holds the whole subject\n"
	"(within the lens's stops and close focus), the one whose wall is least visible.\n"
	"When no stop given holds the subject, the table, the JSON and the figure are\n"
	"still written: they say so, with the deepest subject each stop can hold and the\n"
	"widest stop of the lens that holds it (or the deepest subject at its narrowest).\n"
	"\n";

static const char focus_help_tail[] =
	"\n"
	"Output:\n"
	"  --json                one JSON object: `feasible`, `recommended` and `naive`\n"
	"                        (focus_m, stop, dof_near_m, dof_far_m, wall_blur_mm,\n"
	"                        moire_visibility, grid_visibility, risk, ...) and every\n"
	"                        stop under `stops` (max_depth_m where it is too wide);\n"
	"                        infeasible: `recommended` null and `stop_needed`\n"
	"  -o, --output FILE     the side-view figure: focus.pdf, .png or .svg\n"
	"  --paper a4|letter     page size, landscape (default a4)\n"
	"  --dpi N               PNG resolution (default 150)\n"
	"  --title TEXT          the stage or rig name for the figure's title\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 with a recommendation; 3 when no stop given holds the subject\n"
	"(outputs written, the reason on stderr); 2 bad usage or input (nothing\n"
	"written); 1 runtime failure.\n"
	"\n"
	"Example (the reference micro stage: a subject 30 cm deep whose centre is 1 m\n"
	"from the camera and 5 ft from the wall):\n"
	"  vpmoire focus --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --wall 2.524m --subject 1m --subject-depth 0.3m \\\n"
	"      --stop T2.8 --stop T4 --stop T5.6 -o focus.pdf\n";

enum {
	OPT_SUBJECT_DEPTH = OPT_SETUP_LAST + 1,
	OPT_SUBJECT_NEAR,
	OPT_SUBJECT_FAR,
	OPT_PAPER,
	OPT_DPI,
	OPT_TITLE
};

int cmd_focus(int argc, char **argv)
{
	static const struct option focus_options[] = {
		{ "subject-depth", required_argument, NULL, OPT_SUBJECT_DEPTH },
		{ "subject-near", required_argument, NULL, OPT_SUBJECT_NEAR },
		{ "subject-far", required_argument, NULL, OPT_SUBJECT_FAR },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const unsigned groups = CLI_OPTS_SETUP | CLI_OPTS_GEOMETRY | CLI_OPTS_EXPOSURE |
				CLI_OPTS_JSON;
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_predict_workspace_t *ws = NULL;
	const vpm_lens_t *lens = NULL;
	const vpm_camera_t *camera = NULL;
	const vpm_panel_t *panel = NULL;
	vpm_setup_t s;
	vpm_subject_t subj;
	vpm_focus_stop_t plans[MAX_STOPS];
	double stops[MAX_STOPS], depth = 0.0, near_m = 0.0, far_m = 0.0, dpi = 150.0;
	int nstops = 0, opt, rc = 0, json = 0, letter = 0, rec = -1, have_depth = 0;
	const char *output = NULL, *title = NULL;
	long n;
	vpm_status_t st;
	char why[800];
	vpm_focus_report_t rep;
	vpm_focus_nearest_t near;

	cli_options_init(&longopts, groups);
	cli_options_add(&longopts, focus_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":ho:", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(focus_help_head, groups, focus_help_tail);
		case 'o': {
			vpm_doc_format_t fmt;
			if (vpm_doc_format_from_path(optarg, &fmt) != VPM_OK)
				return cli_usage("focus",
						 "--output: '%s': use a .pdf, .png or .svg file",
						 optarg);
			output = optarg;
			break;
		}
		case OPT_JSON: json = 1; break;
		case OPT_STOP:
			if (nstops == MAX_STOPS)
				return cli_usage("focus", "at most %d stops", MAX_STOPS);
			if (vpm_units_parse_stop(optarg, &stops[nstops]) != VPM_OK)
				return cli_usage("focus", "--stop: %s", vpm_error_message());
			nstops++;
			break;
		case OPT_SUBJECT_DEPTH:
			if (cli_parse_distance("subject-depth", optarg, VPM_UNITS_ALLOW_ZERO,
					       &depth) != 0)
				return EXIT_USAGE;
			have_depth = 1;
			break;
		case OPT_SUBJECT_NEAR:
			if (cli_parse_distance("subject-near", optarg, 0, &near_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_SUBJECT_FAR:
			if (cli_parse_distance("subject-far", optarg, 0, &far_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_PAPER:
			if ((rc = cli_parse_choice("focus", "paper", NULL, optarg, cli_papers,
						   &letter)) != 0)
				return rc;
			break;
		case OPT_DPI:
			if (vpm_units_parse_count(optarg, 1200, &n) != VPM_OK || n < 30)
				return cli_usage("focus", "--dpi: '%s': expected 30 to 1200",
						 optarg);
			dpi = (double)n;
			break;
		case OPT_TITLE: title = optarg; break;
		case OPT_FOCUS:
			return cli_usage("focus",
					 "--focus does not apply: the planner chooses the focus");
		default:
			if ((rc = cli_setup_getopt("focus", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if ((rc = cli_parse_end("focus", &cs, argc, argv, "2.5m")) != 0)
		return rc;
	/* the subject: centre and depth, or near and far */
	if ((near_m > 0) != (far_m > 0))
		return cli_usage("focus", "give both --subject-near and --subject-far");
	if (near_m > 0 && (cs.subject_m > 0 || have_depth))
		return cli_usage("focus",
				 "give --subject (with --subject-depth) or --subject-near and "
				 "--subject-far, not both");
	if (vpm_focus_subject(cs.subject_m, depth, near_m, far_m, cs.raw.wall_m, cs.units, &subj) !=
	    VPM_OK)
		return cli_usage("focus", "%s", vpm_error_message());

	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	rc = cli_setup_build(&cs, cat, &s, &lens, &camera, &panel);
	if (rc != 0)
		goto out;
	s.wall_m = cs.raw.wall_m;
	if (vpm_focus_plan_check(&s, subj, lens, stops, nstops, cs.units) != VPM_OK) {
		rc = cli_usage("focus", "%s", vpm_error_message());
		goto out;
	}
	/* the exposure budget, once: it bounds the default stops, the range
	 * a stop may come from and the report */
	memset(&near, 0, sizeof near);
	{
		vpm_exposure_t ex;

		if ((rc = cli_exposure_budget(&cs, panel, &ex, &near.max_stop)) != 0)
			goto out;
		vpm_exposure_describe(&ex, near.budget, sizeof near.budget);
	}
	ws = vpm_predict_workspace_alloc();
	if (ws == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	st = vpm_focus_plan_stops(&s, subj, lens, stops, nstops, cs.units, ws, plans, &nstops, &rec,
				  &near);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	rep.stops = plans;
	rep.n = nstops;
	rep.recommended = rec;
	rep.nearest = &near;
	rep.subject = subj;
	rep.setup = &s;
	rep.panel = panel ? panel->name : NULL;
	rep.camera = camera ? camera->name : NULL;
	rep.lens = lens ? lens->name : NULL;
	rep.units = cs.units;
	if (output) {
		vpm_focusplan_page_t fpg = { .report = &rep,
					     .panel = panel,
					     .camera = camera,
					     .lens = lens,
					     .letter = letter,
					     .dpi = dpi,
					     .title = title };

		cli_install_signal_cleanup();
		if ((st = vpm_focusplan_page_write(output, &fpg, ws)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
	}
	st = json ? vpm_report_focus_json(stdout, &rep) : vpm_report_focus_text(stdout, &rep);
	if (st != VPM_OK || fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else if (rec < 0) {
		/* the page and the table are written; the request is not met */
		vpm_focus_infeasible_text(plans, nstops, &near, subj, cs.units, why, sizeof why);
		rc = cli_fail(EXIT_INFEASIBLE, "%s", why);
	}
out:
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
	return rc;
}
