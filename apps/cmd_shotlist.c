/* vpmoire shotlist: a shotlist CSV and a stage in, previs pages (PDF, PNG
 * or SVG) with a verdict per shot and a summary of the day out. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"
#include "previsbook.h"
#include "vpm_plot.h"
#include "vpmoire/frame.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"

static const char shotlist_help[] =
	"Usage: vpmoire shotlist SHOTS.csv --stage STAGE -o previs.pdf [OPTIONS]\n"
	"\n"
	"Previs for a day on an LED stage: for every shot of a shotlist, a to-scale plan,\n"
	"the frame as the lens sees it (with the part that runs past the wall hatched as\n"
	"set extension), the moire/LED-grid verdict of 'vpmoire check' and a\n"
	"recommendation; a summary page of every shot comes first.  Shots are sorted by\n"
	"their id.  A bad row stops the run (exit 2, nothing written) with\n"
	"SHOTS.csv:LINE:COLUMN and the reason; --keep-going renders the good rows and\n"
	"lists the rejected ones on the summary page.\n"
	"\n"
	"Input:\n"
	"  --stage FILE          stage description (key = value; see vpmoire-shotlist(1))\n"
	"  stage keys as flags (override the file):\n"
	"    --panel NAME --wall-width D --wall-height D --cabinets-across N\n"
	"    --cabinets-down N --wall-bottom D --curve-radius D --side-walls none|left|right|both\n"
	"    --side-wall-width D --side-wall-cabinets N --side-wall-angle DEG\n"
	"    --floor-width D --floor-depth D --floor-offset D --ceiling D --stage-name TEXT\n"
	"  --camera NAME         camera for rows with an empty camera cell\n"
	"  --lens-set SERIES     read bare focal lengths as lenses of this series\n"
	"                        (e.g. \"ZEISS CP.3\")\n"
	"  --keep-going          skip bad rows (listed on the summary page) instead of stopping\n"
	"  --catalog FILE        extra catalog CSV (repeatable)\n"
	"Output:\n"
	"  -o, --output FILE     the PDF: summary page, then one page per shot\n"
	"  --format png|svg      also one image per page, written to --outdir\n"
	"  --outdir DIR          directory for the images, summary.png and shot-ID.png;\n"
	"                        characters other than letters, digits, '-' and '.' in an\n"
	"                        id become '_'; when two ids give the same name (1/A and\n"
	"                        1_A, or 1a and 1A, which are one file on macOS/Windows\n"
	"                        disks) the id written as is keeps it, the other gets\n"
	"                        shot-1_A-2.png (-3, ... in page order) and is listed.\n"
	"                        The images are replaced as a set: a failure leaves the\n"
	"                        previous ones whole; other files in DIR are kept\n"
	"  --paper a4|letter     page size, landscape (default a4)\n"
	"  --units m|ft          distances in metres or feet and inches (default m)\n"
	"Delivery and viewing (every shot; a row's own recording/delivery cells win):\n"
	"  --recording-px N --delivery-px N --coc MM --tolerance D --chroma-weight full|luma\n"
	"  --aspect A --view-heights H --luminance CD --gain G --caution-at V --risky-at V\n"
	"  --model field|ideal --viewing NAME --resample K --band B --pupil-edge E\n"
	"  --content C --transmission TAU (see vpmoire check --help)\n"
	"Exposure budget (recommendations never need a stop the light cannot give):\n"
	"  --wall-nits CD --brightness B --ei N --shutter S --nd D --lit-by lights|wall\n"
	"  --max-stop T          (see vpmoire check --help; the wall's peak white comes\n"
	"                        from the stage's panel in the catalog)\n"
	"Scan bands (vpmoire scan's verdict per shot, for rows with a frame rate):\n"
	"  --fps F               frame rate of rows without an fps cell; their shutter is\n"
	"                        --shutter's exposure when given, else 180 degrees\n"
	"  -h, --help            show this help\n"
	"\n"
	"Shotlist columns (header names are matched loosely, any order; units in cells):\n"
	"  shot, description, size, camera, lens, stop, camera distance, camera offset,\n"
	"  camera height, pan, tilt, roll, subject distance, subject offset,\n"
	"  subject height, pose, focus (distance | subject | back-of-dof), recording,\n"
	"  delivery, notes, fps, shutter (an angle, or an exposure 1/50), readout (ms;\n"
	"  the catalog camera's when empty).  Other columns are kept and shown with\n"
	"  the notes.\n"
	"  A shot that moves (optional): camera distance end (push-in or pull-out),\n"
	"  focus end (a focus pull), second subject distance (to the wall; both\n"
	"  subjects must stay sharp).  It is judged along the move; its worst point\n"
	"  decides the verdict.\n"
	"\n"
	"Example (the reference micro stage):\n"
	"  vpmoire shotlist datasets/shotlist-example.csv --stage datasets/stage-micro.stage \\\n"
	"      -o previs.pdf\n";

/* Option codes beyond the shared ones. */
enum {
	OPT_STAGE = 3000,
	OPT_OUTPUT,
	OPT_FORMAT,
	OPT_OUTDIR,
	OPT_KEEP_GOING,
	OPT_LENS_SET,
	OPT_FPS,
	OPT_PAPER,
	OPT_STAGE_KEY = 4000 /* + vpm_stage_key_t */
};

typedef vpm_previs_run_t shot_run_t;

/* The settings every shot's check command repeats when the user gave them. */
static const struct {
	int opt;
	unsigned bit;
} given_bits[] = {
	{ OPT_COC, VPM_SHOT_GIVEN_COC },
	{ OPT_TOLERANCE, VPM_SHOT_GIVEN_TOLERANCE },
	{ OPT_CHROMA, VPM_SHOT_GIVEN_CHROMA },
	{ OPT_MODEL, VPM_SHOT_GIVEN_MODEL },
	{ OPT_VIEWING, VPM_SHOT_GIVEN_VIEWING },
	{ OPT_RESAMPLE, VPM_SHOT_GIVEN_RESAMPLE },
	{ OPT_BAND, VPM_SHOT_GIVEN_BAND },
	{ OPT_PUPIL_EDGE, VPM_SHOT_GIVEN_PUPIL_EDGE },
	{ OPT_CONTENT, VPM_SHOT_GIVEN_CONTENT },
	{ OPT_ASPECT, VPM_SHOT_GIVEN_ASPECT },
	{ OPT_VIEW_HEIGHTS, VPM_SHOT_GIVEN_VIEW_HEIGHTS },
	{ OPT_LUMINANCE, VPM_SHOT_GIVEN_LUMINANCE },
	{ OPT_GAIN, VPM_SHOT_GIVEN_GAIN },
	{ OPT_CAUTION_AT, VPM_SHOT_GIVEN_CAUTION_AT },
	{ OPT_RISKY_AT, VPM_SHOT_GIVEN_RISKY_AT },
};

/* ------------------------------------------------------------ files */

/* Is one of the command's single files (an input, or the PDF) also one of
 * the images, under its name in --outdir?  Only that name could be the
 * same file: the images are written by renaming over their names, never
 * through a link into another file.  The PDF ends in .pdf and the images
 * in .png or .svg, so for it this is a guard, not a case seen. */
static int clashes_with_image(const char *file, const char *what, const char *outdir, char **names,
			      size_t pages)
{
	const char *base;
	char path[4096];
	size_t i;

	if (file == NULL)
		return 0;
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	for (i = 0; i < pages; i++)
		if (strcasecmp(names[i], base) == 0)
			break;
	if (i == pages)
		return 0;
	/* a path too long to write here is no file the image could be */
	if ((size_t)snprintf(path, sizeof path, "%s/%s", outdir, names[i]) >= sizeof path ||
	    !cli_same_file(file, path))
		return 0;
	return cli_fail(EXIT_USAGE,
			"%s %s is also the image %s that --outdir would write: "
			"choose another --outdir",
			what, file, path);
}

/* Render every page into the set's staging folder. */
static int write_images(vpm_doc_t *doc, vpm_outset_t *set, size_t pages)
{
	vpm_status_t st;
	size_t i;

	for (i = 0; i < pages; i++)
		if ((st = vpm_doc_save_page(doc, (int)i, vpm_outset_path(set, i))) != VPM_OK)
			/* the message names the file, under its real name */
			return cli_fail_status(vpm_outset_error(set, st), NULL);
	return EXIT_OK;
}

/* ------------------------------------------------------------ command */

int cmd_shotlist(int argc, char **argv)
{
	static const struct option shotlist_options[] = {
		{ "stage", required_argument, NULL, OPT_STAGE },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "outdir", required_argument, NULL, OPT_OUTDIR },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ "lens-set", required_argument, NULL, OPT_LENS_SET },
		{ "fps", required_argument, NULL, OPT_FPS },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ NULL, 0, NULL, 0 },
	};
	/* the set-up flags it takes beside those of given_bits */
	static const int setup_flags[] = { OPT_CAMERA,	     OPT_CATALOG,     OPT_UNITS,
					   OPT_RECORDING_PX, OPT_DELIVERY_PX, OPT_TRANSMISSION };
	cli_options_t longopts;
	const char *stage_file = NULL, *output = NULL, *format = NULL, *outdir = NULL;
	const char *lens_set = NULL, *shots_path, *stage_flag[VPM_STAGE_NKEYS] = { NULL };
	int keep_going = 0, letter = 0, opt, rc, k, summary_pages = 0;
	double fps = 0.0;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_shot_options_t shot_opt;
	vpm_exposure_t exposure;
	vpm_stage_desc_t desc;
	vpm_stage_t stage;
	const vpm_panel_t *panel;
	vpm_shotlist_options_t so;
	vpm_shotlist_t *sl = NULL;
	vpm_predict_workspace_t *ws = NULL;
	shot_run_t *runs = NULL;
	vpm_shot_eval_t *evals = NULL;
	vpm_doc_t *doc = NULL;
	vpm_status_t st;
	vpm_previs_book_t c;
	unsigned given = 0;
	size_t i, n = 0, pages = 0, *owner = NULL;
	char **names = NULL;
	vpm_outset_t *set = NULL;
	const char *base;

	cli_options_init(&longopts, CLI_OPTS_EXPOSURE);
	cli_options_add(&longopts, shotlist_options);
	for (i = 0; i < sizeof setup_flags / sizeof setup_flags[0]; i++)
		cli_options_add_setup(&longopts, setup_flags[i]);
	for (i = 0; i < sizeof given_bits / sizeof given_bits[0]; i++)
		cli_options_add_setup(&longopts, given_bits[i].opt);
	/* the stage keys as flags, spelled as the library spells them */
	for (k = 0; k < VPM_STAGE_NKEYS; k++)
		cli_options_add_one(&longopts, vpm_stage_key_flag((vpm_stage_key_t)k) + 2,
				    required_argument, OPT_STAGE_KEY + k);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":ho:", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(shotlist_help, stdout); return EXIT_OK;
		case 'o':
		case OPT_OUTPUT: output = optarg; break;
		case OPT_STAGE: stage_file = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTDIR: outdir = optarg; break;
		case OPT_KEEP_GOING: keep_going = 1; break;
		case OPT_LENS_SET: lens_set = optarg; break;
		case OPT_FPS:
			if (vpm_units_parse_number(optarg, &fps) != VPM_OK ||
			    !(fps > 0 && fps <= 1000))
				return cli_usage("shotlist",
						 "--fps: '%s': expected a frame rate above "
						 "0 and at most 1000",
						 optarg);
			break;
		case OPT_PAPER:
			if ((rc = cli_parse_choice("shotlist", "paper", NULL, optarg, cli_papers,
						   &letter)) != 0)
				return rc;
			break;
		default:
			if (opt >= OPT_STAGE_KEY && opt < OPT_STAGE_KEY + VPM_STAGE_NKEYS) {
				stage_flag[opt - OPT_STAGE_KEY] = optarg;
				break;
			}
			if ((rc = cli_setup_getopt("shotlist", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return cli_usage("shotlist", "give the shotlist CSV (vpmoire shotlist SHOTS.csv "
					     "--stage STAGE -o previs.pdf)");
	if (optind + 1 < argc)
		return cli_usage("shotlist", "unexpected argument '%s'", argv[optind + 1]);
	shots_path = argv[optind];
	if (format != NULL && strcmp(format, "png") != 0 && strcmp(format, "svg") != 0 &&
	    strcmp(format, "pdf") != 0)
		return cli_usage("shotlist", "--format: expected pdf, png or svg, found '%s'",
				 format);
	if (format != NULL && strcmp(format, "pdf") == 0)
		format = NULL;
	if (format != NULL && outdir == NULL)
		return cli_usage("shotlist",
				 "--format %s writes one image per page: give --outdir DIR",
				 format);
	if (outdir != NULL && format == NULL)
		format = "png";
	if (output == NULL && outdir == NULL)
		return cli_usage("shotlist", "give -o previs.pdf (or --format png --outdir DIR)");
	if (output != NULL) {
		vpm_doc_format_t f;
		if (vpm_doc_format_from_path(output, &f) != VPM_OK || f != VPM_DOC_PDF)
			return cli_usage("shotlist",
					 "-o %s: the output is a PDF (name it .pdf); use --format "
					 "png --outdir DIR for images",
					 output);
	}
	if (stage_file == NULL && stage_flag[VPM_STAGE_PANEL] == NULL)
		return cli_usage("shotlist", "give --stage FILE (or the stage as flags: --panel, "
					     "--wall-width, --wall-height, ...)");

	/* the stage: the file, then flags on top */
	if ((st = vpm_stage_desc_load(&desc, stage_file, stage_flag)) != VPM_OK)
		return cli_fail_status(st, NULL);
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if ((st = vpm_stage_desc_resolve(&desc, cat, &panel, &stage)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}

	/* the shotlist */
	so = vpm_shotlist_options_default();
	so.catalog = cat;
	so.default_camera = cli_setup_given(&cs, OPT_CAMERA) ? cs.camera : NULL;
	so.lens_set = lens_set;
	so.keep_going = keep_going;
	if ((st = vpm_shotlist_read(shots_path, &so, &sl)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	vpm_shotlist_sort(sl);

	/* evaluate every shot before anything is written */
	ws = vpm_predict_workspace_alloc();
	runs = calloc(sl->n + 1, sizeof *runs);
	evals = calloc(sl->n + 1, sizeof *evals);
	if (ws == NULL || runs == NULL || evals == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	shot_opt = vpm_shot_options_default();
	shot_opt.catalog = cat;
	shot_opt.fps = fps;
	if (cli_setup_given(&cs, OPT_SHUTTER))
		shot_opt.exposure_s = cs.exposure.shutter_s;
	if ((rc = cli_exposure_budget(&cs, panel, &exposure, &shot_opt.max_stop)) != 0)
		goto out;
	st = vpm_shotlist_evaluate_all(sl, &stage, &cs.raw, &shot_opt, keep_going, ws, evals, &n);
	for (i = 0; i < sl->n_rejected; i++)
		cli_fail(0, "%s (row skipped)", sl->rejected[i].message); /* one line each */
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	/* runs[] point at the shots only now that the list no longer moves */
	for (i = 0; i < n; i++) {
		runs[i].shot = &sl->shot[i];
		runs[i].ev = evals[i];
	}

	/* pages */
	for (i = 0; i < sizeof given_bits / sizeof given_bits[0]; i++)
		if (cli_setup_given(&cs, given_bits[i].opt))
			given |= given_bits[i].bit;
	base = strrchr(shots_path, '/');
	if ((st = vpm_previs_book_init(&c, &stage, &cs.raw, given, base ? base + 1 : shots_path,
				       cs.units, runs, n)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	if ((st = vpm_previs_book_render(&c, panel, cat, letter, runs, n, sl, &doc,
					 &summary_pages)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}

	pages = (size_t)vpm_doc_page_count(doc);
	if (outdir != NULL) {
		if ((st = vpm_previs_book_image_names(format, summary_pages, runs, n, &names,
						      &owner)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		if ((rc = clashes_with_image(output, "-o", outdir, names, pages)) != 0 ||
		    (rc = clashes_with_image(shots_path, "the shotlist", outdir, names, pages)) !=
			    0 ||
		    (rc = clashes_with_image(stage_file, "--stage", outdir, names, pages)) != 0)
			goto out;
	}

	/* The images go into a staging folder first, then the PDF is written,
	 * then the images are swapped in as a set (lib/outset.c): a failure
	 * anywhere before the swap leaves the previous PDF and images as they
	 * were. */
	cli_install_signal_cleanup();
	if (outdir != NULL) {
		if ((st = vpm_outset_begin(outdir, (const char *const *)names, pages, "--outdir",
					   &set)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		if ((rc = write_images(doc, set, pages)) != EXIT_OK)
			goto out;
	}
	if (output != NULL && (st = vpm_doc_save(doc, output)) != VPM_OK) {
		rc = cli_fail_status(st, NULL); /* the message names the file */
		goto out;
	}
	if (set != NULL) {
		st = vpm_outset_commit(set);
		set = NULL;
		if (st != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
	}

	/* a line per shot for the terminal (a write error shows below) */
	for (i = 0; i < n; i++)
		(void)vpm_report_shot_line(stdout, runs[i].shot, &runs[i].ev);
	if (output != NULL)
		printf("wrote %s: %d page%s (%d summary, %zu shot%s)\n", output,
		       vpm_doc_page_count(doc), vpm_doc_page_count(doc) == 1 ? "" : "s",
		       summary_pages, n, n == 1 ? "" : "s");
	if (outdir != NULL) {
		printf("wrote %zu %s file%s to %s\n", pages, format, pages == 1 ? "" : "s", outdir);
		/* shots whose plain file name another shot has (see vpm_previs_book_image_names) */
		for (i = (size_t)summary_pages; i < pages; i++)
			if (owner[i] != i)
				printf("  shot %s is %s (%s is shot %s's)\n",
				       runs[i - summary_pages].shot->id, names[i], names[owner[i]],
				       runs[owner[i] - summary_pages].shot->id);
	}
	rc = fflush(stdout) != 0 || ferror(stdout)
		     ? cli_fail(EXIT_RUNTIME, "cannot write the output")
		     : EXIT_OK;
out:
	vpm_outset_abort(set);
	vpm_previs_book_names_free(names, pages);
	free(owner);
	vpm_doc_free(doc);
	free(runs);
	free(evals);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
	vpm_catalog_free(cat);
	return rc;
}
