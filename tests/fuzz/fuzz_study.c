/* libFuzzer target: the sweep study reader, the whole way a study file
 * goes: `vpmoire sweep @FILE --count` reads the @file (apps/cmd_sweep.c),
 * parses every flag and range (lib/sweep.c vpm_sweep_axis_parse), builds
 * the study from the catalogs and sizes it (vpm_sweep_alloc), then prints
 * the count.  Nothing is evaluated or written (--count).
 *
 * Input: a study file (one flag per line, '#' comments). */
#include <config.h>

#include <getopt.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
int cmd_sweep(int argc, char **argv); /* apps/cmd_sweep.c */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* the command reads the catalogs of the source tree, as in the build tree */
	setenv("VPMOIRE_CATALOG_PATH", "", 1);
	return 0;
}

/* GNU getopt keeps a pointer into the previous argv between calls unless
 * optind is 0; a real process parses once, the fuzzer many times. */
static void getopt_reset(void)
{
	static char prog[] = "x";
	char *argv[] = { prog, NULL };

	optind = 0;
	opterr = 0;
	(void)getopt(1, argv, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char at[600], sweep[] = "sweep", count[] = "--count";
	char *argv[4];
	int rc;

	snprintf(at, sizeof at, "@%s", fuzz_file(".args", data, size));
	argv[0] = sweep;
	argv[1] = at;
	argv[2] = count;
	argv[3] = NULL;
	getopt_reset();
	rc = cmd_sweep(3, argv);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
	fflush(stdout);
	return 0;
}
