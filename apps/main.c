/* vpmoire: will this LED wall show moiré in camera, and what keeps it away? */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

typedef struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} command_t;

static const command_t commands[] = {
	{ "check", cmd_check, "one set-up: moire and LED-grid verdict with the numbers behind it" },
	{ "catalog", cmd_catalog, "list and show cameras, lenses and LED panels" },
	{ "sweep", cmd_sweep,
	  "every combination of panels, cameras, lenses and distances, as CSV" },
	{ "merge", cmd_merge, "join the shards of a sweep into one CSV" },
	{ "simulate", cmd_simulate,
	  "render what the camera records (FFT engine) and measure its moire" },
	{ "chart", cmd_chart,
	  "safe-shot chart pages: focal length x camera-to-wall distance per stop" },
	{ "focus", cmd_focus,
	  "where to focus so the subject stays sharp and the wall least visible" },
	{ "shotlist", cmd_shotlist,
	  "previs PDF of a shotlist on an LED stage: frames, set extensions, verdicts" },
	{ "measure", cmd_measure,
	  "measure the LED grid and moire on camera frames, beside the prediction" },
	{ "scan", cmd_scan,
	  "scan bands: the wall's refresh and PWM against the shutter, safe settings" },
	{ "stage", cmd_stage, "an LED stage's bill of materials, and the panel a shotlist needs" },
	{ "validate", cmd_validate,
	  "the verdict against field observations: agreement per case and per source" },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"Usage: vpmoire COMMAND [OPTIONS]\n"
		"\n"
		"Tells a cinematographer, before the shoot, whether an LED wall will show moire or\n"
		"its pixel grid in camera, and which lens, stop, focus and camera position keep\n"
		"it away.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(fp,
		"\n"
		"Options:\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show the version\n"
		"\n"
		"'vpmoire COMMAND --help' describes each command.  Example, the reference micro\n"
		"stage (camera 1 m from the subject, subject 5 ft in front of the wall):\n"
		"  vpmoire check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
		"      --lens zeiss-cp3-28 --stop T2.8 --wall 8.28ft --focus 1m\n"
		"\n"
		"Exit status: 0 success, 1 runtime failure, 2 bad usage or bad input.\n"
		"Manual: man vpmoire (and man vpmoire-COMMAND).\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* one rule for every command: what was printed on standard output
	 * must have reached it (a full disk, /dev/full, a closed pipe), else
	 * exit 1 with the reason */
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return cli_finish_stdout(EXIT_OK);
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		printf("vpmoire %s\n", PACKAGE_VERSION);
		return cli_finish_stdout(EXIT_OK);
	}
	for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return cli_finish_stdout(commands[i].run(argc - 1, argv + 1));
	if (argv[1][0] == '-')
		return cli_usage(NULL, "unknown option '%s'", argv[1]);
	return cli_usage(NULL, "unknown command '%s'", argv[1]);
}
