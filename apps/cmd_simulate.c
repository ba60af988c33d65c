/* vpmoire simulate: render what the camera records with the FFT engine,
 * measure the moiré in it, and show it (SPEC §3). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"
#include "spectrumpage.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/pngio.h"

enum {
	OPT_YAW = OPT_SETUP_LAST + 1,
	OPT_PITCH_ANGLE,
	OPT_PATCH,
	OPT_PATCH_AT,
	OPT_SUPERSAMPLE,
	OPT_OUTDIR,
	OPT_DEMOSAIC,
	OPT_MAX_MEMORY,
	OPT_EMITTER_SHAPE,
	OPT_RGB_LAYOUT,
	OPT_CHIP_SPACING,
	OPT_SPHERICAL,
	OPT_PLANNER,
	OPT_THREADS
};

static const char simulate_help_head[] =
	"Usage: vpmoire simulate [OPTIONS]\n"
	"\n"
	"Simulate what the camera records: renders a patch of the LED wall as the camera\n"
	"sees it (emitters, wall angle, camera roll, optional content), blurs it with the\n"
	"lens PSF computed from the pupil (defocus, diffraction), the OLPF and the\n"
	"photosites, samples it on the Bayer CFA, demosaics it, and measures the moire\n"
	"and LED-grid components in its spectrum.  Writes the recorded patch (16-bit\n"
	"PNG), a contrast-stretched view in which the moire is easy to see, the spectrum\n"
	"with the sampling zones marked, and the measured values next to the fast\n"
	"predictor's (as 'vpmoire check' with planning tolerance 0, the same perfect\n"
	"lens the simulation renders).\n"
	"\n"
	"Stop and distances (from the sensor plane, as on the lens's focus scale):\n"
	"  --stop T          stop, e.g. 2.8, T2.8 or f/2.8 (default: the lens's widest)\n"
	"  --wall D          camera to wall along the lens axis (required)\n"
	"  --focus D         focus distance, or 'inf' (default: the subject)\n"
	"  --subject D       camera to subject\n"
	"\n";

static const char simulate_help_tail[] =
	"Simulation:\n"
	"  --yaw DEG             wall yaw: positive turns its right side away (default 0)\n"
	"  --pitch-angle DEG     wall pitch angle: positive turns its top away (default 0)\n"
	"                        (--pitch is the LED pitch)\n"
	"  --content PNG         show this image on the wall, one pixel per LED, centred\n"
	"                        on the patch (default: a white wall); at most 16384\n"
	"                        pixels a side\n"
	"  --patch N             photosites across the simulated patch (default 512)\n"
	"  --patch-at X,Y        patch centre from the frame centre, photosites (default 0,0)\n"
	"  --supersample N       grid samples per photosite (default: 8, or 8 per LED pitch\n"
	"                        when the LEDs image closer than a photosite)\n"
	"  --emitter-shape square|round   shape of each chip (default square)\n"
	"  --rgb-layout coincident|row|delta   chip arrangement (default coincident)\n"
	"  --chip-spacing MM     centre distance of the chips (default 1.5 x emitter)\n"
	"  --spherical W         spherical aberration W040, waves at 555 nm (default 0)\n"
	"  --demosaic bilinear|hamilton-adams   (default bilinear)\n"
	"  --max-memory SIZE     refuse larger simulations, e.g. 2G, 512M (default 4G);\n"
	"                        the --content image counts (18 bytes a pixel)\n"
	"  --planner measure|estimate   FFTW planning (default measure, kept as wisdom in\n"
	"                        $XDG_CACHE_HOME/vpmoire or ~/.cache/vpmoire)\n"
	"  --threads N           threads (default: all processors)\n"
	"Output:\n"
	"  --outdir DIR          where to write recorded.png, stretched.png, spectrum.png\n"
	"                        and simulate.json (default: the current directory), as a\n"
	"                        set: a failure leaves the previous four as they were\n"
	"  --json                print the JSON (measured and predicted) on stdout\n"
	"  -h, --help            show this help\n"
	"\n"
	"The spectrum PNG shows each colour's spectrum in its own colour (log scale,\n"
	"0 to -90 dB modulation), DC at the centre, the image edge at the final Nyquist;\n"
	"white square: red/blue Nyquist; grey diamond: green quincunx zone; yellow ring:\n"
	"measured moire; cyan ring: measured LED grid.\n"
	"\n"
	"Example (the reference micro stage with a 2.84 mm panel):\n"
	"  vpmoire simulate --panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --stop T2.8 --wall 5m --focus 3.5m --outdir sim\n";

/* A flag's value refused by the library's parser: its message. */
static int bad_flag(const char *flag)
{
	fprintf(stderr, "%s: --%s: %s\n", cli_progname, flag, vpm_error_message());
	return EXIT_USAGE;
}

/* ------------------------------------------------------------ command */

int cmd_simulate(int argc, char **argv)
{
	static const struct option simulate_options[] = {
		{ "yaw", required_argument, NULL, OPT_YAW },
		{ "pitch-angle", required_argument, NULL, OPT_PITCH_ANGLE },
		{ "patch", required_argument, NULL, OPT_PATCH },
		{ "patch-at", required_argument, NULL, OPT_PATCH_AT },
		{ "supersample", required_argument, NULL, OPT_SUPERSAMPLE },
		{ "outdir", required_argument, NULL, OPT_OUTDIR },
		{ "demosaic", required_argument, NULL, OPT_DEMOSAIC },
		{ "max-memory", required_argument, NULL, OPT_MAX_MEMORY },
		{ "emitter-shape", required_argument, NULL, OPT_EMITTER_SHAPE },
		{ "rgb-layout", required_argument, NULL, OPT_RGB_LAYOUT },
		{ "chip-spacing", required_argument, NULL, OPT_CHIP_SPACING },
		{ "spherical", required_argument, NULL, OPT_SPHERICAL },
		{ "planner", required_argument, NULL, OPT_PLANNER },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ NULL, 0, NULL, 0 },
	};
	const unsigned groups = CLI_OPTS_SETUP | CLI_OPTS_GEOMETRY | CLI_OPTS_JSON;
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_fftsim_t *sim = NULL;
	vpm_image_t *content = NULL;
	vpm_outset_t *set = NULL;
	static const char *const set_names[4] = { "recorded.png", "stretched.png", "spectrum.png",
						  "simulate.json" };
	const vpm_lens_t *lens = NULL;
	const vpm_camera_t *camera = NULL;
	const vpm_panel_t *panel = NULL;
	vpm_fftsim_options_t o = vpm_fftsim_options_default();
	vpm_fftsim_result_t m;
	vpm_setup_t s;
	vpm_result_t pr;
	vpm_simulate_report_t ri;
	const char *outdir = ".", *content_path = NULL;
	char *wpath = NULL, *files[4] = { NULL, NULL, NULL, NULL };
	vpm_status_t st;
	int opt, rc, json = 0;
	long n;
	double v;

	memset(&ri, 0, sizeof ri);
	cli_options_init(&longopts, groups);
	cli_options_add(&longopts, simulate_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":h", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(simulate_help_head, groups, simulate_help_tail);
		case OPT_JSON: json = 1; break;
		case OPT_YAW:
			if (vpm_units_parse_angle(optarg, &o.yaw_deg) != VPM_OK)
				return bad_flag("yaw");
			break;
		case OPT_PITCH_ANGLE:
			if (vpm_units_parse_angle(optarg, &o.pitch_deg) != VPM_OK)
				return bad_flag("pitch-angle");
			break;
		case OPT_CONTENT:
			/* the shared flag sets the masking contrast; a PNG is also
			 * rendered on the wall.  The shared parser would decode the
			 * PNG here, before --max-memory is known: a PNG is read
			 * by vpm_fftsim_prepare(), once its size is known to fit,
			 * and its contrast taken from that one decoding. */
			content_path = strcasecmp(optarg, "flat") == 0 ||
						       vpm_units_parse_number(optarg, &v) == VPM_OK
					       ? NULL
					       : optarg;
			if (cli_setup_option(&cs, OPT_CONTENT, content_path ? "0" : optarg) < 0)
				return EXIT_USAGE;
			break;
		case OPT_PATCH:
			if (vpm_units_parse_count(optarg, VPM_FFTSIM_MAX_PATCH, &n) != VPM_OK)
				return bad_flag("patch");
			o.patch_px = (int)n;
			break;
		case OPT_PATCH_AT:
			if (vpm_units_parse_pair(optarg, &o.patch_x_px, &o.patch_y_px) != VPM_OK) {
				fprintf(stderr,
					"%s: --patch-at: '%s' is not X,Y in photosites (e.g. "
					"-1500,0)\n",
					cli_progname, optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_SUPERSAMPLE:
			if (vpm_units_parse_count(optarg, VPM_FFTSIM_MAX_SUPERSAMPLE, &n) != VPM_OK)
				return bad_flag("supersample");
			o.supersample = (int)n;
			break;
		case OPT_OUTDIR: outdir = optarg; break;
		case OPT_DEMOSAIC:
			if (vpm_fftsim_parse_demosaic(optarg, &o.demosaic) != VPM_OK)
				return bad_flag("demosaic");
			break;
		case OPT_MAX_MEMORY:
			if (vpm_units_parse_bytes(optarg, &o.max_memory_bytes) != VPM_OK)
				return bad_flag("max-memory");
			break;
		case OPT_EMITTER_SHAPE:
			if (vpm_fftsim_parse_shape(optarg, &o.shape) != VPM_OK)
				return cli_usage("simulate", "--emitter-shape: %s",
						 vpm_error_message());
			break;
		case OPT_RGB_LAYOUT:
			if (vpm_fftsim_parse_layout(optarg, &o.layout) != VPM_OK)
				return cli_usage("simulate", "--rgb-layout: %s",
						 vpm_error_message());
			break;
		case OPT_CHIP_SPACING:
			if (vpm_units_parse_length(optarg, VPM_UNIT_MM, 0, &v) != VPM_OK)
				return bad_flag("chip-spacing");
			o.chip_spacing_mm = v * 1e3;
			break;
		case OPT_SPHERICAL:
			if (vpm_units_parse_number(optarg, &o.spherical_waves) != VPM_OK ||
			    fabs(o.spherical_waves) > 50.0) {
				fprintf(stderr,
					"%s: --spherical: '%s' is not a number of waves in "
					"[-50, 50]\n",
					cli_progname, optarg);
				return EXIT_USAGE;
			}
			break;
		case OPT_PLANNER:
			if (vpm_fftsim_parse_planner(optarg, &o.planner) != VPM_OK)
				return cli_usage("simulate", "--planner: %s", vpm_error_message());
			break;
		case OPT_THREADS:
			if (vpm_units_parse_count(optarg, 1024, &n) != VPM_OK)
				return bad_flag("threads");
			o.threads = (int)n;
			break;
		default:
			if ((rc = cli_setup_getopt("simulate", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if ((rc = cli_parse_end("simulate", &cs, argc, argv, "5m")) != 0)
		return rc;
	if (o.patch_px % 2 != 0 || o.patch_px < 16)
		return cli_usage("simulate", "--patch: %d is not an even number of at least 16",
				 o.patch_px);
	if ((rc = cli_single_setup("simulate", &cs, &cat, &s, &lens, &camera, &panel)) != 0)
		goto out;
	/* the content, the size and the memory: refusals stop here */
	if ((st = vpm_fftsim_prepare(&s, &o, content_path, &content)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	/* The four files are a set (lib/outset.c): written into a staging
	 * folder and swapped in together, so a failure leaves the previous
	 * recorded.png, stretched.png, spectrum.png and simulate.json as they
	 * were; a refusal above has created nothing.  A signal removes the
	 * staging folder (the program's handler). */
	cli_install_signal_cleanup();
	if ((st = vpm_outset_begin(outdir, set_names, 4, "--outdir", &set)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	for (int i = 0; i < 4; i++)
		if ((files[i] = strdup(vpm_outset_final(set, i))) == NULL) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
			goto out;
		}
	if (o.planner == VPM_PLANNER_MEASURE)
		wpath = vpm_fftsim_wisdom_path();
	o.wisdom_path = wpath;

	if ((sim = vpm_fftsim_alloc()) == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	st = vpm_fftsim_predict(&s, cli_setup_given(&cs, OPT_TOLERANCE), &pr, &ri.tolerance);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	if (!json && cli_stderr_is_tty())
		fprintf(stderr, "simulating %d x %d photosites (%dx supersampled)...\n", o.patch_px,
			o.patch_px, o.supersample ? o.supersample : 0);
	/* with content the wall's moiré is measured on the white wall; the
	 * pictures come from the run with the content */
	st = vpm_fftsim_run_content(sim, &s, &o, &m);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	if ((st = vpm_fftsim_write_pngs(sim, vpm_outset_path(set, 0), vpm_outset_path(set, 1),
					&ri.zoom)) != VPM_OK ||
	    (st = vpm_spectrum_png(vpm_outset_path(set, 2), sim, &s, &m, o.content != NULL)) !=
		    VPM_OK) {
		rc = cli_fail_status(vpm_outset_error(set, st), NULL);
		goto out;
	}
	ri.panel = panel ? panel->name : NULL;
	ri.camera = camera ? camera->name : NULL;
	ri.lens = lens ? lens->name : NULL;
	ri.content = content_path;
	for (int i = 0; i < 4; i++)
		ri.files[i] = files[i];
	{
		vpm_atomic_file_t *af;
		st = vpm_atomic_open(vpm_outset_path(set, 3), &af);
		if (st == VPM_OK) {
			st = vpm_report_simulate_json(vpm_atomic_stream(af), &s, &o, &m, &pr, &ri);
			/* a write error is the commit's to report, with its reason */
			if (st == VPM_OK || st == VPM_EIO)
				st = vpm_atomic_commit(af);
			else
				vpm_atomic_abort(af);
		}
		if (st != VPM_OK) {
			rc = cli_fail_status(vpm_outset_error(set, st), NULL);
			goto out;
		}
	}
	st = vpm_outset_commit(set);
	set = NULL;
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	st = json ? vpm_report_simulate_json(stdout, &s, &o, &m, &pr, &ri)
		  : vpm_report_simulate_text(stdout, &s, &m, &pr, &ri);
	if (st != VPM_OK)
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else
		rc = EXIT_OK;
out:
	vpm_outset_abort(set);
	for (int i = 0; i < 4; i++)
		free(files[i]);
	free(wpath);
	vpm_fftsim_free(sim);
	vpm_image_free(content);
	vpm_catalog_free(cat);
	return rc;
}
