/* vpmoire validate: the verdict against field observations. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
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

typedef struct {
	char kind[VPM_OBS_TEXT];
	int n, lenient, strict;
} kind_row_t;

int cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_SETUP_LONGOPTS,
		{ "fit", no_argument, NULL, OPT_FIT },
		{ "min-agreement", required_argument, NULL, OPT_MIN_AGREE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_predict_workspace_t *ws = NULL;
	vpm_observations_t obs = { NULL, 0 };
	vpm_status_t st;
	const char *file;
	int opt, rc, fit = 0, lenient = 0, strict = 0, missed = 0, nk = 0;
	double min_agree = 5.0 / 6.0;
	kind_row_t kinds[16];
	char model[400];

	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(validate_help, stdout); return EXIT_OK;
		case OPT_FIT: fit = 1; break;
		case OPT_MIN_AGREE:
			if (vpm_units_parse_number(optarg, &min_agree) != VPM_OK ||
			    !(min_agree >= 0.0 && min_agree <= 1.0))
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
	ws = vpm_predict_workspace_alloc();
	if (!ws) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	vpm_model_describe(&obs.obs[0].setup, model, sizeof model);
	printf("Field observations: %s (%zu cases)\n%s\n\n", file, obs.n, model);
	printf("%-22s %-8s %-6s %8s  %-8s %-8s %-8s\n", "case", "kind", "seen", "V", "verdict",
	       "lenient", "strict");
	for (size_t i = 0; i < obs.n; i++) {
		const vpm_observation_t *o = &obs.obs[i];
		vpm_judgement_t j;
		int k;

		st = vpm_observation_judge(o, -1.0, ws, &j);
		if (st != VPM_OK) {
			rc = cli_fail_status(st, file);
			goto out;
		}
		printf("%-22s %-8s %-6s %8.2f  %-8s %-8s %-8s\n", o->id, o->kind,
		       o->moire ? "moire" : "clean", j.visibility, vpm_risk_label(j.risk),
		       j.lenient ? "agree" : "DISAGREE", j.strict ? "agree" : "-");
		lenient += j.lenient;
		strict += j.strict;
		missed += o->moire && j.risk == VPM_RISK_SAFE;
		for (k = 0; k < nk; k++)
			if (strcmp(kinds[k].kind, o->kind) == 0)
				break;
		if (k == nk && nk < 16) {
			memset(&kinds[nk], 0, sizeof kinds[nk]);
			snprintf(kinds[nk].kind, sizeof kinds[nk].kind, "%s", o->kind);
			nk++;
		}
		if (k < 16) {
			kinds[k].n++;
			kinds[k].lenient += j.lenient;
			kinds[k].strict += j.strict;
		}
	}
	printf("\n%-10s %6s %16s %16s\n", "source", "cases", "lenient", "strict");
	for (int k = 0; k < nk; k++)
		printf("%-10s %6d %9d (%3.0f%%) %9d (%3.0f%%)\n", kinds[k].kind, kinds[k].n,
		       kinds[k].lenient, 100.0 * kinds[k].lenient / kinds[k].n, kinds[k].strict,
		       100.0 * kinds[k].strict / kinds[k].n);
	printf("%-10s %6zu %9d (%3.0f%%) %9d (%3.0f%%)\n", "all", obs.n, lenient,
	       100.0 * lenient / obs.n, strict, 100.0 * strict / obs.n);
	printf("observed moire judged SAFE: %d\n", missed);
	if (fit) {
		static const double grid[] = { 0.0,  0.05, 0.1,	 0.15, 0.2,  0.25, 0.3,
					       0.35, 0.4,  0.45, 0.5,  0.55, 0.6 };
		vpm_fit_t f;

		st = vpm_observations_fit_edge(&obs, grid, sizeof grid / sizeof grid[0], ws, &f);
		if (st != VPM_OK) {
			rc = cli_fail_status(st, file);
			goto out;
		}
		printf("\nsoft pupil edge   lenient   strict   moire judged SAFE\n");
		for (size_t g = 0; g < f.n_grid; g++)
			printf("  %4.2f           %3d/%zu    %3d/%zu   %d\n", grid[g],
			       f.grid_lenient[g], f.n, f.grid_strict[g], f.n, f.grid_missed[g]);
		printf("\nfit of the soft pupil edge (grid 0 to 0.6, step 0.05):\n"
		       "  on all cases: edge %.2f, lenient %d/%zu, strict %d/%zu, moire judged "
		       "SAFE %d\n"
		       "  leave-one-out (each case judged with the edge fitted on the others): "
		       "lenient %d/%zu (%.0f%%), strict %d/%zu, moire judged SAFE %d\n",
		       f.best, f.lenient, f.n, f.strict, f.n, f.missed, f.loo_lenient, f.n,
		       100.0 * f.loo_lenient / f.n, f.loo_strict, f.n, f.loo_missed);
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
		goto out;
	}
	if ((double)lenient < min_agree * (double)obs.n - 1e-9 || missed > 0) {
		rc = cli_fail(EXIT_RUNTIME,
			      "agreement below the threshold: lenient %d/%zu (need %.0f%%), "
			      "observed moire judged SAFE %d (need 0)",
			      lenient, obs.n, 100.0 * min_agree, missed);
		goto out;
	}
	rc = EXIT_OK;
out:
	vpm_observations_free(&obs);
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
	return rc;
}
