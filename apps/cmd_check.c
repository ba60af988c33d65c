/* vpmoire check: one set-up, a verdict first, then the numbers behind it. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char check_help_head[] =
	"Usage: vpmoire check [OPTIONS]\n"
	"\n"
	"Will this LED wall show moire or its pixel grid in camera?  Evaluates one set-up\n"
	"with the analytic chain (lens defocus and diffraction, OLPF, photosites, Bayer\n"
	"sampling, delivery, and the viewer's contrast sensitivity) and prints the\n"
	"verdict (SAFE, CAUTION or RISKY), the numbers behind it, and what would fix it.\n"
	"\n"
	"Stop and distances (from the sensor plane, as on the lens's focus scale):\n"
	"  --stop T          stop, e.g. 2.8, T2.8 or f/2.8 (default: the lens's widest)\n"
	"  --wall D          camera to wall (required)\n"
	"  --focus D         focus distance, or 'inf' (default: the subject)\n"
	"  --subject D       camera to subject; checks it is inside the depth of field\n"
	"\n"
	"A shot that moves (any of these judges the verdict along the move, t 0 to 1,\n"
	"and names the worst point and where the verdict changes):\n"
	"  --wall-to D       camera to wall at the end (a push-in or pull-out)\n"
	"  --focus-to D      focus at the end, or 'inf' (a focus pull; default: focus\n"
	"                    follows the subject when it starts on it, else stays)\n"
	"  --subject-to D    camera to subject at the end (a subject walking)\n"
	"  --subject2 D      a second subject (stays on its mark); both must stay sharp\n"
	"  --move MODE       'camera' (default): the camera travels alone past the\n"
	"                    subjects; 'together': the subject travels with the camera\n"
	"\n";

static const char check_help_tail[] =
	"\n"
	"  --json            print one JSON object (fields of the SPEC's check contract)\n"
	"  -h, --help        show this help\n"
	"\n"
	"Example (the reference micro stage: subject 5 ft in front of the wall, camera\n"
	"1 m from the subject, focus on the subject):\n"
	"  vpmoire check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --stop T2.8 --wall 2.524m --subject 1m\n"
	"A push-in from 5 m to 3 m, focus on a subject 1 m in front of the wall:\n"
	"  vpmoire check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --stop T2.8 --wall 5m --subject 4m --wall-to 3m\n";

enum { OPT_WALL_TO = OPT_SETUP_LAST + 1, OPT_FOCUS_TO, OPT_SUBJECT_TO, OPT_SUBJECT2, OPT_MOVE };

int cmd_check(int argc, char **argv)
{
	static const struct option move_options[] = {
		{ "wall-to", required_argument, NULL, OPT_WALL_TO },
		{ "focus-to", required_argument, NULL, OPT_FOCUS_TO },
		{ "subject-to", required_argument, NULL, OPT_SUBJECT_TO },
		{ "subject2", required_argument, NULL, OPT_SUBJECT2 },
		{ "move", required_argument, NULL, OPT_MOVE },
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
	vpm_plan_shot_options_t po = vpm_plan_shot_options_default();
	vpm_plan_shot_t p;
	vpm_exposure_t ex;
	vpm_check_report_t info = { 0 }; /* subject_m: the decided point's, from p */
	vpm_move_ends_t *ends = &po.ends;
	/* where the move flags go, in the order of move_options */
	double *move_to[] = { &ends->wall_to_m, &ends->focus_to_m, &ends->subject_to_m,
			      &po.subject2_m };
	vpm_status_t st;
	int opt, rc, json = 0, judged = 0;

	cli_options_init(&longopts, groups);
	cli_options_add(&longopts, move_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":h", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(check_help_head, groups, check_help_tail);
		case OPT_JSON: json = 1; break;
		case OPT_WALL_TO:
		case OPT_FOCUS_TO:
		case OPT_SUBJECT_TO:
		case OPT_SUBJECT2:
			/* a distance > 0 (the parser's rule); 'inf' only for --focus-to */
			if (vpm_units_parse_length(optarg, VPM_UNIT_M,
						   opt == OPT_FOCUS_TO ? VPM_UNITS_ALLOW_INF : 0,
						   move_to[opt - OPT_WALL_TO]) != VPM_OK)
				return cli_usage("check", "--%s: %s",
						 move_options[opt - OPT_WALL_TO].name,
						 vpm_error_message());
			po.moving = 1;
			break;
		case OPT_MOVE:
			if (strcmp(optarg, "camera") == 0)
				ends->together = 0;
			else if (strcmp(optarg, "together") == 0)
				ends->together = 1;
			else
				return cli_usage("check",
						 "--move: expected 'camera' or 'together', not '%s'",
						 optarg);
			po.moving = 1;
			break;
		default:
			if ((rc = cli_setup_getopt("check", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if ((rc = cli_parse_end("check", &cs, argc, argv, "3.5m")) != 0)
		return rc;
	if (ends->subject_to_m > 0.0 && !(cs.subject_m > 0.0))
		return cli_usage("check",
				 "--subject-to needs --subject (where the subject starts)");
	if (po.moving && !(ends->wall_to_m > 0.0 || ends->focus_to_m > 0.0 ||
			   ends->subject_to_m > 0.0 || po.subject2_m > 0.0))
		return cli_usage("check",
				 "--move needs --wall-to, --focus-to, --subject-to or --subject2");
	rc = cli_single_setup("check", &cs, &cat, &s, &lens, &camera, &panel);
	if (rc == 0)
		rc = cli_exposure_budget(&cs, panel, &ex, &po.max_stop);
	if (rc != 0)
		goto out;
	ws = vpm_predict_workspace_alloc();
	if (ws == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	/* a move is judged whole; the report is its worst point's */
	po.subject_m = cs.subject_m;
	po.advise = 1;
	po.catalog = cat;
	po.lens = lens;
	po.try_delivery = 1;
	if ((st = vpm_plan_shot(&s, &po, ws, &p)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	judged = 1;
	info.panel = panel ? panel->name : NULL;
	info.camera = camera ? camera->name : NULL;
	info.lens = lens ? lens->name : NULL;
	info.max_stop = po.max_stop;
	info.exposure = &ex;
	info.units = cs.units;
	st = vpm_report_check_plan(stdout, &p, &info, json);
	if (st != VPM_OK || fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else
		rc = EXIT_OK;
out:
	if (judged)
		vpm_plan_shot_free(&p);
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
	return rc;
}
