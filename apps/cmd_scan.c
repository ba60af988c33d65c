/* vpmoire scan: scan bands, refresh and PWM against the shutter (issue 16). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "scanpage.h"

static const char scan_help[] =
	"Usage: vpmoire scan [OPTIONS]\n"
	"\n"
	"Will the wall's PWM band against the shutter?  Band period in rows, depth,\n"
	"light or dark bands, low-grey breakup, and a verdict on the moire scale.\n"
	"\n"
	"  --panel NAME      catalog panel (refresh, scan, PWM bits where published)\n"
	"  --refresh HZ      PWM refresh rate (overrides the panel's)\n"
	"  --scan N          1/N scan multiplex (default: the panel's, else 1)\n"
	"  --bits B          PWM grey bits (default: the panel's, else 16)\n"
	"  --pwm SCHEME      conventional (default, the worst case) or scrambled\n"
	"  --camera NAME     catalog camera (readout time where measured, rows)\n"
	"  --readout MS      rolling-shutter readout time in ms (overrides the camera's)\n"
	"  --rows N          rows read in that time (default: the camera's height)\n"
	"  --global          a global shutter (no bands; frame-to-frame flicker instead)\n"
	"  --fps F           frame rate (default 24)\n"
	"  --shutter DEG     shutter angle (default 180)\n"
	"  --exposure T      exposure time instead: 1/50, 0.02 (seconds) or 180deg@24\n"
	"  --grey G          drive level 0-1 of the area you watch (default 0.18)\n"
	"  --genlock         the processor is locked to the camera (bands stand still)\n"
	"  --processor F     shutter-sync, extended-bits or frame-remap (repeatable)\n"
	"  --catalog FILE    an extra catalog file (repeatable)\n"
	"  --json            JSON: band_period_rows, band_depth, exposure_periods, risk\n"
	"  --table FILE      safe-settings page, 24-60 fps x 90-360 deg (.pdf/.png/.svg)\n"
	"  --symptom S       triage: bands-shutter, light-bands, dark-bands, dark-areas,\n"
	"                    rolling-bands, moves-with-distance, moves-with-focus\n"
	"  -h, --help        show this help\n"
	"\n"
	"Example (the reference micro stage, readout given by hand):\n"
	"  vpmoire scan --panel aoto-rm1.5 --scan 8 --bits 14 \\\n"
	"      --camera bmd-ursa-mini-pro-4.6k-g2 --readout 15 --fps 25 --shutter 172.8\n";

#define ARG(n, v)                             \
	{                                     \
		n, required_argument, NULL, v \
	}
#define FLAG(n, v)                      \
	{                               \
		n, no_argument, NULL, v \
	}

/* A positive number for `flag`, at most `max`; 0 or 2 (printed). */
static int num(const char *flag, const char *arg, double max, double *out)
{
	if (vpm_units_parse_interval(arg, 0.0, max, 1, out) == VPM_OK)
		return 0;
	return cli_usage("scan", "--%s: '%s' is not a number above 0 and at most %g", flag, arg,
			 max);
}

/* A whole number for `flag` (scan ratio, bits, rows); 0 or 2 (printed). */
static int whole(const char *flag, const char *arg, double max, int *out)
{
	double v = 0;
	int rc = num(flag, arg, max, &v);

	if (rc == 0 && v != floor(v))
		rc = cli_usage("scan", "--%s: '%s' is not a whole number", flag, arg);
	*out = (int)v;
	return rc;
}

/* The safe-settings page (plots/scanpage.c) saved to `path`. */
static int table(const vpm_temporal_t *t, const char *path, const char *rig)
{
	vpm_scantable_t tab;
	vpm_status_t st;

	if ((st = vpm_scantable_fill(&tab, t, rig)) != VPM_OK)
		return cli_fail_status(st, "--table");
	st = vpm_scanpage_save(&tab.page, path);
	return st ? cli_fail_status(st, path) : 0;
}

int cmd_scan(int argc, char **argv)
{
	static const struct option scan_options[] = {
		ARG("refresh", 'R'),   ARG("scan", 'S'),    ARG("bits", 'B'),
		ARG("pwm", 'P'),       ARG("readout", 'O'), ARG("rows", 'W'),
		FLAG("global", 'G'),   ARG("fps", 'F'),	    ARG("shutter", 's'),
		ARG("exposure", 'e'),  ARG("grey", 'g'),    FLAG("genlock", 'L'),
		ARG("processor", 'p'), ARG("table", 't'),   ARG("symptom", 'y'),
		{ NULL, 0, NULL, 0 },
	};
	cli_options_t lo;
	vpm_temporal_t t = vpm_temporal_default(), raw;
	vpm_temporal_result_t r;
	vpm_triage_t tri;
	vpm_symptom_t sym = VPM_SYMPTOMS;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	const vpm_panel_t *panel = NULL;
	const vpm_camera_t *camera = NULL;
	const char *table_path = NULL;
	int opt, rc = 0, json = 0;
	char rig[200];

	/* of the set-up flags, the panel, the camera and the catalogs */
	cli_options_init(&lo, CLI_OPTS_JSON);
	cli_options_add_setup(&lo, OPT_PANEL);
	cli_options_add_setup(&lo, OPT_CAMERA);
	cli_options_add_setup(&lo, OPT_CATALOG);
	cli_options_add(&lo, scan_options);
	cli_parse_begin(&cs);
	memset(&raw, 0, sizeof raw); /* zero: not given */
	while (rc == 0 && (opt = getopt_long(argc, argv, ":h", lo.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(scan_help, 0, "");
		case OPT_JSON: json = 1; break;
		case 'R': rc = num("refresh", optarg, VPM_TEMPORAL_MAX_REFRESH_HZ, &raw.refresh_hz); break;
		case 'S': rc = whole("scan", optarg, VPM_TEMPORAL_MAX_SCAN, &raw.scan_ratio); break;
		case 'B': rc = whole("bits", optarg, VPM_TEMPORAL_MAX_BITS, &raw.pwm_bits); break;
		case 'O': rc = num("readout", optarg, VPM_TEMPORAL_MAX_READOUT_MS, &raw.readout_ms); break;
		case 'W': rc = whole("rows", optarg, VPM_TEMPORAL_MAX_ROWS, &raw.rows); break;
		case 'F': rc = num("fps", optarg, VPM_TEMPORAL_MAX_FPS, &t.fps); break;
		case 's': rc = num("shutter", optarg, 360, &t.shutter_deg); break;
		case 'e':
			if (vpm_units_parse_shutter(optarg, &t.exposure_s) != VPM_OK)
				rc = cli_usage("scan", "--exposure: %s", vpm_error_message());
			break;
		case 'G': t.shutter = VPM_SHUTTER_GLOBAL; break;
		case 'L': t.genlock = 1; break;
		case 't': table_path = optarg; break;
		case 'g':
			if (vpm_units_parse_interval(optarg, 0.0, 1.0, 0, &t.grey) != VPM_OK)
				rc = cli_usage("scan", "--grey: '%s' is not a level from 0 to 1",
					       optarg);
			break;
		case 'P':
			if (vpm_temporal_set_pwm(&t, optarg) != VPM_OK)
				rc = cli_usage("scan", "--pwm: %s", vpm_error_message());
			break;
		case 'p':
			if (vpm_temporal_add_processor(&t, optarg) != VPM_OK)
				rc = cli_usage("scan", "--processor: %s", vpm_error_message());
			break;
		case 'y':
			if (vpm_symptom_parse(optarg, &sym) != VPM_OK)
				rc = cli_usage("scan", "--symptom: %s", vpm_error_message());
			break;
		default: rc = cli_setup_getopt("scan", &cs, opt, argv);
		}
	}
	if (rc == 0 && optind < argc)
		rc = cli_usage("scan", "unexpected argument '%s'", argv[optind]);
	if (rc == 0 && table_path && vpm_doc_format_from_path(table_path, &(vpm_doc_format_t){ 0 }))
		rc = cli_usage("scan", "--table: %s", vpm_error_message());
	if (rc != 0)
		return rc;
	if ((cs.panel || cs.camera) && (rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if (cs.panel && vpm_catalog_find_panel(cat, cs.panel, &panel) != VPM_OK)
		rc = cli_fail(EXIT_USAGE, "--panel: %s", vpm_error_message());
	else if (cs.camera && vpm_catalog_find_camera(cat, cs.camera, &camera) != VPM_OK)
		rc = cli_fail(EXIT_USAGE, "--camera: %s", vpm_error_message());
	else if (vpm_temporal_resolve(&t, panel, camera, &raw, rig, sizeof rig) != VPM_OK ||
		 vpm_temporal_evaluate(&t, &r) != VPM_OK)
		rc = cli_usage("scan", "%s", vpm_error_message());
	else if (sym != VPM_SYMPTOMS && vpm_temporal_triage(sym, &t, &tri) != VPM_OK)
		rc = cli_fail_status(VPM_EINVAL, "--symptom");
	if (rc == 0 && table_path)
		rc = table(&t, table_path, rig);
	vpm_catalog_free(cat);
	if (rc != 0)
		return rc;
	if (json)
		vpm_temporal_print_json(stdout, &t, &r, sym != VPM_SYMPTOMS ? &tri : NULL);
	else
		vpm_temporal_print(stdout, &t, &r, sym != VPM_SYMPTOMS ? &tri : NULL, rig);
	return EXIT_OK;
}
