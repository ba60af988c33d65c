/* vpmoire measure: LED moiré measured on real camera frames (issue 15). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "measurepage.h"
#include "vpmoire/measure.h"

enum { OPT_TRANSFER = 3000, OPT_REGION, OPT_TILE, OPT_PAGE, OPT_TABLE, OPT_MJSON, OPT_CROP };

static const char measure_help_head[] =
	"Usage: vpmoire measure [OPTIONS] FRAME[@WALL,FOCUS,STOP]...\n"
	"\n"
	"Measures the LED grid and the moire on frames from the camera (8- or 16-bit PNG\n"
	"or TIFF): the luma's spectrum in a region, or over the whole frame in tiles, its\n"
	"peaks' frequencies and modulations, and their visibility with the vision model of\n"
	"`check`.  Given the set-up (the flags of `check`), the LED harmonics are looked\n"
	"for where it puts them and the prediction is printed beside the measurement.\n"
	"FRAME@WALL,FOCUS,STOP gives one frame its own distances and stop.\n"
	"\n"
	"  --transfer NAME   the frame's transfer function: linear (default), bt709,\n"
	"                    slog3 or srgb.  ARRI LogC4 and Blackmagic Film are not offered:\n"
	"                    their published formulas are not yet cited here.\n"
	"  --region X,Y,W,H  measure this rectangle (its largest centred square)\n"
	"  --tile N          tile side over the whole frame, even, 32-4096 (256)\n"
	"  --crop            the frame is a 1:1 crop of the sensor (pixel = photosite)\n"
	"  --page FILE       annotated frame and worst tile's spectrum, a page per frame\n"
	"  --table FILE      the camera-test table (needs the set-up): each frame's\n"
	"                    measured and predicted verdict and whether the model holds\n"
	"  --json            one JSON object: {\"frames\": [...]}\n"
	"  --stop, --wall, --focus  as for `check`; set-up flags need --wall or FRAME@\n"
	"  -h, --help        show this help\n\n";

static const char measure_help_tail[] =
	"\n"
	"Example: vpmoire measure --transfer slog3 --panel roe-bp2v2 \\\n"
	"    --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 \\\n"
	"    --table test-day.pdf A001.tif@5m,3.5m,2.8 A002.tif@5m,5m,4\n";

/* Measure one frame; *m receives the measurement (exit code returned). */
static int measure_one(const char *arg, vpm_transfer_t tr, const vpm_measure_options_t *base,
		       cli_setup_t *cs, int with_setup, vpm_measurement_t **m, char *name,
		       size_t size, vpm_setup_t *sp)
{
	vpm_measure_options_t o = *base;
	vpm_catalog_t *cat = NULL;
	vpm_image_t *img = NULL;
	vpm_setup_t s = vpm_setup_default();
	const vpm_lens_t *lens;
	const vpm_camera_t *cam;
	const vpm_panel_t *panel;
	char *at, *f[3] = { NULL, NULL, NULL };
	vpm_status_t st;
	int rc = 0;

	snprintf(name, size, "%s", arg);
	if ((at = strrchr(name, '@')) != NULL) {
		*at++ = '\0';
		f[0] = strtok(at, ",");
		f[1] = strtok(NULL, ",");
		f[2] = strtok(NULL, ",");
		if (!f[2] || !with_setup)
			return cli_usage("measure",
					 "'%s': FRAME@WALL,FOCUS,STOP needs all three "
					 "and the set-up flags",
					 arg);
		if (cli_setup_option(cs, OPT_WALL, f[0]) < 0 ||
		    cli_setup_option(cs, OPT_FOCUS, f[1]) < 0 ||
		    cli_setup_option(cs, OPT_STOP, f[2]) < 0)
			return EXIT_USAGE;
	}
	if (with_setup) {
		if ((rc = cli_load_catalogs(&cs->catalogs, &cat)) != 0)
			return rc;
		rc = cli_setup_build(cs, cat, &s, &lens, &cam, &panel);
		if (rc == 0)
			rc = cli_setup_geometry("measure", cs, &s);
		vpm_catalog_free(cat);
		if (rc != 0)
			return rc;
		o.setup = &s;
	}
	if ((st = vpm_frame_read(name, tr, 0, &img)) != VPM_OK)
		return cli_fail_status(st, NULL); /* the message names the file */
	st = vpm_measure_frame(img, &o, m);
	vpm_image_free(img);
	*sp = s;
	return st == VPM_OK ? 0 : cli_fail_status(st, name);
}

/* The annotated page of a frame, added to `doc`. */
static vpm_status_t add_page(vpm_doc_t *doc, const vpm_measurement_t *m, const char *name,
			     const char *transfer)
{
	vpm_footer_item_t foot[2] = { { "Transfer", transfer }, { "Tool", "vpmoire measure" } };
	vpm_measure_page_t d = { name, NULL, m, NULL, 0, foot, 2 };
	vpm_page_t pg;
	vpm_status_t st = vpm_doc_page_add(doc, &pg);

	return st == VPM_OK ? vpm_measure_page(&pg, &d) : st;
}

int cmd_measure(int argc, char **argv)
{
	static const struct option measure_options[] = {
		{ "transfer", required_argument, NULL, OPT_TRANSFER },
		{ "region", required_argument, NULL, OPT_REGION },
		{ "tile", required_argument, NULL, OPT_TILE },
		{ "page", required_argument, NULL, OPT_PAGE },
		{ "table", required_argument, NULL, OPT_TABLE },
		{ "json", no_argument, NULL, OPT_MJSON },
		{ "crop", no_argument, NULL, OPT_CROP },
		{ NULL, 0, NULL, 0 },
	};
	vpm_measure_options_t o = vpm_measure_options_default();
	vpm_transfer_t tr = VPM_TRANSFER_LINEAR;
	const char *page = NULL, *table = NULL;
	vpm_doc_t *pdoc = NULL, *tdoc = NULL;
	vpm_doc_options_t dopt = vpm_doc_options_default();
	vpm_doc_format_t fmt;
	cli_options_t longopts;
	cli_setup_t cs;
	char(*row)[VPM_MEASURE_TABLE_COLS][80] = NULL, name[4096], end;
	int opt, rc = 0, json = 0, with_setup, nrows = 0;

	cli_options_init(&longopts, CLI_OPTS_SETUP | CLI_OPTS_GEOMETRY);
	cli_options_add(&longopts, measure_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":h", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(measure_help_head, CLI_OPTS_SETUP, measure_help_tail);
		case OPT_TRANSFER:
			if (vpm_transfer_parse(optarg, &tr) != VPM_OK)
				return cli_usage("measure", "--transfer: %s", vpm_error_message());
			break;
		case OPT_REGION:
			if (sscanf(optarg, "%d,%d,%d,%d%c", &o.region.x_px, &o.region.y_px,
				   &o.region.w_px, &o.region.h_px, &end) != 4)
				return cli_usage("measure",
						 "--region '%s': expected X,Y,W,H in pixels",
						 optarg);
			o.use_region = 1;
			break;
		case OPT_TILE:
			if (sscanf(optarg, "%d%c", &o.tile_px, &end) != 1)
				return cli_usage("measure",
						 "--tile '%s': expected a number of pixels",
						 optarg);
			break;
		case OPT_PAGE:
		case OPT_TABLE:
			if (vpm_doc_format_from_path(optarg, &fmt) != VPM_OK)
				return cli_usage("measure",
						 "--%s: '%s': use a .pdf, .png or .svg file",
						 opt == OPT_PAGE ? "page" : "table", optarg);
			*(opt == OPT_PAGE ? &page : &table) = optarg;
			break;
		case OPT_MJSON: json = 1; break;
		case OPT_CROP: o.crop = 1; break;
		default:
			if ((rc = cli_setup_getopt("measure", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return cli_usage("measure", "no FRAME given");
	with_setup = cs.given != 0 || cs.panel || cs.camera || cs.lens;
	if (with_setup && !cli_setup_given(&cs, OPT_WALL) && !strchr(argv[optind], '@'))
		return cli_usage("measure", "--wall is required with the set-up flags");
	if (table && !with_setup)
		return cli_usage("measure", "--table needs the set-up (the flags of check)");
	dopt.title = "vpmoire measure";
	if ((page && vpm_doc_alloc(&dopt, &pdoc) != VPM_OK) ||
	    (table && vpm_doc_alloc(&dopt, &tdoc) != VPM_OK) ||
	    !(row = calloc((size_t)(argc - optind), sizeof *row))) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	if (json)
		printf("{\"frames\": [");
	for (int i = optind; i < argc && rc == 0; i++) {
		vpm_measurement_t *m = NULL;
		vpm_setup_t s = vpm_setup_default();
		vpm_status_t st = VPM_OK;
		if ((rc = measure_one(argv[i], tr, &o, &cs, with_setup, &m, name, sizeof name,
				      &s)) != 0)
			break;
		st = json ? (fputs(i > optind ? ", " : "", stdout),
			     vpm_measure_write_json(m, name, stdout))
			  : vpm_measure_write_text(m, name, stdout);
		if (st == VPM_OK && pdoc)
			st = add_page(pdoc, m, name, vpm_transfer_name(tr));
		if (st == VPM_OK && tdoc)
			vpm_measure_table_row(m, &s, name, row[nrows++]);
		vpm_measurement_free(m);
		if (st != VPM_OK)
			rc = cli_fail_status(st, name);
	}
	if (json && rc == 0)
		printf("]}\n");
	if (rc == 0 && pdoc) {
		vpm_status_t st = vpm_doc_save(pdoc, page);
		if (st != VPM_OK)
			rc = cli_fail_status(st, NULL);
	}
	if (rc == 0 && tdoc) {
		vpm_status_t st = vpm_measure_table_page(tdoc, row, (size_t)nrows,
							 vpm_transfer_name(tr));
		if (st == VPM_OK)
			st = vpm_doc_save(tdoc, table);
		if (st != VPM_OK)
			rc = cli_fail_status(st, NULL);
	}
out:
	free(row);
	vpm_doc_free(pdoc);
	vpm_doc_free(tdoc);
	return rc;
}
