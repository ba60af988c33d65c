/* vpmoire validate: the verdict against field observations. */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"

static const char validate_help[] =
	"Usage: vpmoire validate [OPTIONS] [FILE]\n"
	"\n"
	"Does the verdict agree with what crews saw?  Reads field observations (default:\n"
	"the field-observations.csv shipped with vpmoire: set-ups from papers, vendor\n"
	"and rental guidance and forum reports, each with its source and assumptions),\n"
	"judges each with the chosen model, and prints the agreement table: per case,\n"
	"strict (clean -> SAFE, moire -> RISKY) and lenient (clean -> SAFE or CAUTION,\n"
	"moire -> CAUTION or RISKY), per kind of source, and in total.\n"
	"\n"
	"Exits 1 when the lenient agreement is below --min-agreement or any case with\n"
	"observed moire is judged SAFE; 0 otherwise.\n"
	"\n"
	"Options:\n"
	"  --fit                 also fit the soft pupil edge on the cases (grid 0 to 0.6\n"
	"                        in steps of 0.05) and report its leave-one-out agreement\n"
	"  --min-agreement F     lenient agreement required, 0-1 (default 0.833 = 5 in 6)\n"
	"  --model field|ideal   and the other model and viewer flags of 'vpmoire check'\n"
	"                        (--viewing, --chroma-weight, --resample, --band,\n"
	"                        --tolerance, --pupil-edge, --caution-at, --risky-at)\n"
	"  --catalog FILE        extra catalog CSV (repeatable)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Example:\n"
	"  vpmoire validate                  # the shipped cases with the field model\n"
	"  vpmoire validate --model ideal    # the same with the SPEC's worst-case chain\n";

enum { OPT_FIT = OPT_SETUP_LAST + 1, OPT_MIN_AGREE };

static const char *default_file(void)
{
	static char path[4096];
	struct stat sb;
	const char *models = cli_catalog_dir();
	size_t n = strlen(models);

	/* the source tree keeps it in datasets/, beside models/ */
	if (n >= 6 && strcmp(models + n - 6, "models") == 0) {
		snprintf(path, sizeof path, "%.*sdatasets/field-observations.csv", (int)(n - 6),
			 models);
		if (stat(path, &sb) == 0)
			return path;
	}
	snprintf(path, sizeof path, "%s/field-observations.csv", models);
	return path;
}

int cmd_validate(int argc, char **argv)
{
	static const struct option validate_options[] = {
		{ "fit", no_argument, NULL, OPT_FIT },
		{ "min-agreement", required_argument, NULL, OPT_MIN_AGREE },
		{ NULL, 0, NULL, 0 },
	};
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_observations_t obs = { NULL, 0 };
	vpm_status_t st;
	const char *file;
	int opt, rc, fit = 0;
	double min_agree = VPM_VALIDATE_MIN_AGREEMENT;
	vpm_validate_summary_t sum;

	cli_options_init(&longopts, CLI_OPTS_SETUP);
	cli_options_add(&longopts, validate_options);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, ":h", longopts.opt, NULL)) != -1) {
		switch (opt) {
		case 'h': return cli_help(validate_help, 0, "");
		case OPT_FIT: fit = 1; break;
		case OPT_MIN_AGREE:
			if (vpm_units_parse_interval(optarg, 0.0, 1.0, 0, &min_agree) != VPM_OK)
				return cli_usage("validate",
						 "--min-agreement: '%s' is not a fraction in [0, 1]",
						 optarg);
			break;
		default:
			if ((rc = cli_setup_getopt("validate", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (argc - optind > 1)
		return cli_usage("validate", "unexpected argument '%s'", argv[optind + 1]);
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	file = optind < argc ? argv[optind] : default_file();
	st = vpm_observations_read(file, cat, &cs.raw, &obs);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	st = vpm_report_validate(stdout, &obs, file, fit, NULL, &sum);
	if (st != VPM_OK && st != VPM_EIO) {
		rc = cli_fail_status(st, file);
		goto out;
	}
	if (st == VPM_EIO || fflush(stdout) != 0 || ferror(stdout)) {
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
		goto out;
	}
	rc = vpm_validate_passed(&sum, min_agree) == VPM_OK
		     ? EXIT_OK
		     : cli_fail(EXIT_RUNTIME, "%s", vpm_error_message());
out:
	vpm_observations_free(&obs);
	vpm_catalog_free(cat);
	return rc;
}
