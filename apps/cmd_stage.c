/* vpmoire stage: a stage file in, its bill of materials out (text, JSON,
 * a stage sheet), and with --shotlist the panel the shots need. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "stagepage.h"
#include "vpm_plot.h"
#include "vpmoire/vpmoire.h"

static const char stage_help[] =
	"Usage: vpmoire stage STAGEFILE [--json] [-o sheet.pdf|png|svg] [OPTIONS]\n"
	"\n"
	"What an LED stage takes to build and run: cabinets across, down and in total\n"
	"per wall, resolution and aspect, processor ports (whole cabinets per port, from\n"
	"the processor maker's capacity table), power at maximum and typical load,\n"
	"circuits at 120 V / 20 A and 230 V / 16 A (80 % continuous load), heat in BTU/h,\n"
	"weight with 10 % for cabling, and a cost range from models/prices.csv.\n"
	"\n"
	"Options:\n"
	"  --json                print the numbers as one JSON object\n"
	"  -o, --output FILE     write the stage sheet (.pdf, .png or .svg)\n"
	"  --shotlist FILE       inverse design: the coarsest catalog panel keeping every\n"
	"                        shot SAFE, the shots that decide it, each panel's cost\n"
	"  --camera NAME         camera for shotlist rows without one\n"
	"  --bits N              bit depth per colour of the video data: 8, 10 or 12 (10)\n"
	"  --fps F               frame rate the wall runs at, Hz (60)\n"
	"  --processor NAME      processor of models/processors.csv (brompton-sx40)\n"
	"  --panel NAME          the stage's panel, overriding the file\n"
	"  --catalog FILE        extra catalog CSV (repeatable)\n"
	"  -h, --help            this help\n"
	"\n"
	"Exit status: 0 done, 2 bad input (one line on stderr naming the flag or file),\n"
	"1 a runtime failure.\n"
	"\n"
	"Example:\n"
	"  vpmoire stage datasets/stage-micro.stage --bits 10 --fps 24 -o sheet.pdf\n"
	"  vpmoire stage datasets/stage-micro.stage --shotlist datasets/shotlist-example.csv\n";

enum { OPT_OUTPUT = OPT_SETUP_LAST + 1, OPT_SHOTLIST, OPT_BITS, OPT_FPS, OPT_PROCESSOR };

int cmd_stage(int argc, char **argv)
{
	static const struct option stage_options[] = {
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "shotlist", required_argument, NULL, OPT_SHOTLIST },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "fps", required_argument, NULL, OPT_FPS },
		{ "processor", required_argument, NULL, OPT_PROCESSOR },
		{ NULL, 0, NULL, 0 },
	};
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_bom_options_t bo = vpm_bom_options_default();
	const char *output = NULL, *shots = NULL, *path;
	int opt, json = 0, rc = EXIT_OK;
	long n;
	vpm_stage_desc_t desc;
	const char *stage_flag[VPM_STAGE_NKEYS] = { NULL };
	vpm_stage_t stage;
	vpm_catalog_t *cat = NULL;
	const vpm_panel_t *panel;
	vpm_shotlist_t *sl = NULL;
	vpm_design_t ds, *dsp = NULL;
	vpm_bom_t bom;
	vpm_doc_t *doc = NULL;
	vpm_status_t st;

	memset(&ds, 0, sizeof ds);
	cli_options_init(&longopts, CLI_OPTS_SETUP | CLI_OPTS_JSON);
	cli_options_add(&longopts, stage_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":ho:", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(stage_help, 0, "");
		case OPT_JSON: json = 1; break;
		case 'o':
		case OPT_OUTPUT: output = optarg; break;
		case OPT_SHOTLIST: shots = optarg; break;
		case OPT_PROCESSOR: bo.processor = optarg; break;
		case OPT_BITS:
			if (vpm_units_parse_count(optarg, 64, &n) != VPM_OK)
				return cli_usage("stage",
						 "--bits: expected 8, 10 or 12, found '%s'",
						 optarg);
			bo.bits = (int)n;
			break;
		case OPT_FPS:
			if (vpm_units_parse_interval(optarg, 0.0, 1000.0, 1, &bo.fps) != VPM_OK)
				return cli_usage("stage",
						 "--fps: expected a frame rate in Hz (0 < F <= "
						 "1000), found '%s'",
						 optarg);
			break;
		default:
			if ((rc = cli_setup_getopt("stage", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return cli_usage("stage", "give the stage file (vpmoire stage STAGEFILE)");
	if (optind + 1 < argc)
		return cli_usage("stage", "unexpected argument '%s'", argv[optind + 1]);
	path = argv[optind];
	if (output != NULL) {
		vpm_doc_format_t f;
		if (vpm_doc_format_from_path(output, &f) != VPM_OK)
			return cli_usage("stage", "-o %s: name the sheet .pdf, .png or .svg",
					 output);
		if (cli_same_file(output, path) || (shots && cli_same_file(output, shots)))
			return cli_usage("stage", "-o %s would overwrite an input", output);
	}

	stage_flag[VPM_STAGE_PANEL] = cs.panel;
	if ((st = vpm_stage_desc_load(&desc, path, stage_flag)) != VPM_OK)
		return cli_fail_status(st, NULL);
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if ((st = vpm_stage_desc_resolve(&desc, cat, &panel, &stage)) != VPM_OK ||
	    (st = vpm_bom_compute(&stage, panel, cat, &bo, &bom)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	if (shots != NULL) {
		vpm_shotlist_options_t so = vpm_shotlist_options_default();
		so.catalog = cat;
		so.default_camera = cs.camera;
		if ((st = vpm_shotlist_read(shots, &so, &sl)) != VPM_OK ||
		    (st = vpm_stage_design(&desc, sl, cat, &cs.raw, &bo, &ds)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		dsp = &ds;
	}
	if (output != NULL) {
		vpm_doc_options_t dopt = vpm_doc_options_default();
		vpm_stagepage_t sp;
		char title[200], sub[300];
		snprintf(title, sizeof title, "Stage sheet: %s", stage.name[0] ? stage.name : path);
		snprintf(sub, sizeof sub, "%s (%.4g mm pitch), %d bit at %g Hz on %s", panel->name,
			 panel->pitch_mm, bo.bits, bo.fps, bo.processor);
		memset(&sp, 0, sizeof sp);
		sp.title = title;
		sp.subtitle = sub;
		sp.stage = &stage;
		sp.bom = &bom;
		sp.design = dsp;
		sp.shots = sl;
		sp.version = "vpmoire " PACKAGE_VERSION;
		dopt.title = "vpmoire stage sheet";
		if ((st = vpm_doc_alloc(&dopt, &doc)) != VPM_OK ||
		    (st = vpm_stagepage_draw(doc, &sp)) != VPM_OK ||
		    (st = vpm_doc_save(doc, output)) != VPM_OK) {
			rc = cli_fail_status(st, output);
			goto out;
		}
	}
	st = json ? vpm_bom_write_json(stdout, &bom, dsp, sl)
		  : vpm_bom_write_text(stdout, &bom, dsp, sl);
	if (st != VPM_OK)
		rc = cli_fail_status(st, NULL);
	else if (output != NULL && !json)
		printf("wrote %s\n", output);
out:
	vpm_doc_free(doc);
	vpm_design_free(&ds);
	vpm_shotlist_free(sl);
	vpm_catalog_free(cat);
	return rc;
}
