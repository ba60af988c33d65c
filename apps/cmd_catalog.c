/* vpmoire catalog: list and show the equipment the toolkit knows. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char catalog_help[] =
	"Usage: vpmoire catalog list cameras|lenses|panels [OPTIONS]\n"
	"       vpmoire catalog show NAME [OPTIONS]\n"
	"       vpmoire catalog path\n"
	"\n"
	"List the equipment catalogs as aligned tables, show one entry with every value\n"
	"and its source, or print where the installed catalogs are read from.\n"
	"\n"
	"Options:\n"
	"  --catalog FILE   also read this catalog CSV (repeatable); rows override the\n"
	"                   installed ones by name. VPMOIRE_CATALOG_PATH (a ':' list of\n"
	"                   files or directories) is read before --catalog files.\n"
	"  --units m|ft     distances in metres (default) or feet and inches\n"
	"  -h, --help       show this help\n";

int cmd_catalog(int argc, char **argv)
{
	cli_options_t longopts;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	const char *verb, *what = NULL;
	int opt, rc;
	vpm_status_t st;

	/* of the set-up flags, the catalogs and the units */
	cli_options_init(&longopts, 0);
	cli_options_add_setup(&longopts, OPT_CATALOG);
	cli_options_add_setup(&longopts, OPT_UNITS);
	cli_parse_begin(&cs);
	while ((opt = getopt_long(argc, argv, "+h", longopts.opt, NULL)) != -1) {
		if (opt == 'h')
			return cli_help(catalog_help, 0, "");
		if ((rc = cli_setup_getopt("catalog", &cs, opt, argv)) != 0)
			return rc;
	}
	/* options may also follow the verb: parse the rest after it */
	if (optind >= argc)
		return cli_usage("catalog", "expected list, show or path");
	verb = argv[optind++];
	if (optind < argc && argv[optind][0] != '-')
		what = argv[optind++];
	while ((opt = getopt_long(argc, argv, "h", longopts.opt, NULL)) != -1) {
		if (opt == 'h')
			return cli_help(catalog_help, 0, "");
		if (opt == '?' || opt == ':')
			return cli_usage("catalog", "unknown option or missing value: '%s'",
					 argv[optind - 1]);
		if (cli_setup_option(&cs, opt, optarg) < 0)
			return EXIT_USAGE;
	}
	if (what == NULL && optind < argc)
		what = argv[optind++];
	if (optind < argc)
		return cli_usage("catalog", "unexpected argument '%s'", argv[optind]);

	if (strcmp(verb, "path") == 0) {
		printf("%s\n", cli_catalog_dir());
		return EXIT_OK;
	}
	if (strcmp(verb, "list") != 0 && strcmp(verb, "show") != 0)
		return cli_usage("catalog", "unknown verb '%s': expected list, show or path", verb);
	if (what == NULL)
		return cli_usage("catalog", strcmp(verb, "list") == 0
						    ? "list what? cameras, lenses or panels"
						    : "show what? give a catalog name");
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if (strcmp(verb, "list") == 0) {
		static const char *const kinds[] = { "cameras", "camera", "lenses", "lens",
						     "panels",	"panel",  NULL };
		static const vpm_catalog_kind_t kind[] = { VPM_CATALOG_CAMERAS, VPM_CATALOG_LENSES,
							   VPM_CATALOG_PANELS };
		int k = cli_choice_index(what, kinds);

		if (k < 0) {
			vpm_catalog_free(cat);
			return cli_usage("catalog",
					 "cannot list '%s': use cameras, lenses or panels", what);
		}
		st = vpm_report_catalog_list(stdout, cat, kind[k / 2], cs.units);
	} else {
		st = vpm_report_catalog_show(stdout, cat, what, cs.units);
	}
	/* a write error is cli_finish_stdout()'s to report, with its reason */
	if (st == VPM_OK || st == VPM_EIO)
		rc = EXIT_OK;
	else
		rc = cli_fail(st == VPM_ENOTFOUND ? EXIT_USAGE : EXIT_RUNTIME, "%s",
			      vpm_error_message());
	vpm_catalog_free(cat);
	return rc;
}
