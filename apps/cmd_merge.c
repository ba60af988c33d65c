/* vpmoire merge: join the shards of a sweep (`vpmoire sweep --shard I/N`)
 * into the CSV a single run would have written, byte for byte.  The
 * merge itself (framing checks, rows in order) is lib/merge.c; this file
 * parses argv, opens the parts and the output and turns statuses into
 * messages and exit codes. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "vpmoire/atomic.h"
#include "vpmoire/merge.h"

static const char merge_help[] =
	"Usage: vpmoire merge [-o FILE] SHARD.csv...\n"
	"\n"
	"Joins the parts written by 'vpmoire sweep --shard I/N' (for example by a Slurm job\n"
	"array) into the single CSV one 'vpmoire sweep' run would have written, byte for\n"
	"byte.  Give every part once, in any order.  The parts must come from the same\n"
	"study (same first line and header) and be complete; a missing, repeated or\n"
	"incomplete part is an error that names it.\n"
	"\n"
	"  -o, --output FILE     write FILE (default '-': standard output); FILE is written\n"
	"                        under a temporary name and appears only when complete\n"
	"  -h, --help            show this help\n"
	"\n"
	"Example:\n"
	"  vpmoire merge -o study.csv study-*-of-16.csv\n";

/* Make room for one open file per part. */
static void raise_fd_limit(size_t need)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need + 16) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need + 16 ? need + 16
										      : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = { { "output", required_argument, NULL, 'o' },
						  { "help", no_argument, NULL, 'h' },
						  { NULL, 0, NULL, 0 } };
	const char *output = "-";
	FILE **fps = NULL, *out = stdout;
	vpm_sweep_merge_t *m = NULL;
	vpm_atomic_file_t *af = NULL;
	size_t nparts, i;
	vpm_status_t st;
	int opt, rc = EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(merge_help, stdout); return EXIT_OK;
		case 'o': output = optarg; break;
		case ':': return cli_usage("merge", "option '%s' needs a value", argv[optind - 1]);
		default: return cli_usage("merge", "unknown option '%s'", argv[optind - 1]);
		}
	}
	nparts = (size_t)(argc - optind);
	if (nparts == 0)
		return cli_usage("merge", "give the shard files to join");
	raise_fd_limit(nparts);
	fps = calloc(nparts, sizeof *fps);
	if (fps == NULL || vpm_sweep_merge_alloc(nparts, &m) != VPM_OK) {
		free(fps);
		return cli_fail(EXIT_RUNTIME, "out of memory");
	}
	/* open and check the framing of every part, in the order given */
	for (i = 0; i < nparts && rc == 0; i++) {
		const char *path = argv[optind + (int)i];
		struct stat sb;
		if ((fps[i] = fopen(path, "r")) == NULL)
			rc = cli_fail(errno == ENOENT ? EXIT_USAGE : EXIT_RUNTIME, "%s: %s", path,
				      strerror(errno));
		else if (fstat(fileno(fps[i]), &sb) == 0 && S_ISDIR(sb.st_mode))
			/* a directory is bad input (2), as a missing file is */
			rc = cli_fail(EXIT_USAGE, "%s is a directory, not a shard file", path);
		else if ((st = vpm_sweep_merge_add(m, fps[i], path)) != VPM_OK)
			rc = cli_fail_status(st, NULL);
	}
	if (rc == 0 && (st = vpm_sweep_merge_check(m)) != VPM_OK)
		rc = cli_fail_status(st, NULL);
	if (rc == 0 && strcmp(output, "-") != 0) {
		/* writing over a part while reading it would lose its rows: the
		 * same file by device and inode, whatever the names say */
		for (i = 0; i < nparts && rc == 0; i++)
			if (cli_same_file(output, argv[optind + (int)i]))
				rc = cli_usage("merge",
					       "-o %s: this file is also the input %s: write the "
					       "merged CSV to another file",
					       output, argv[optind + (int)i]);
		if (rc == 0 && (st = vpm_atomic_open(output, &af)) != VPM_OK)
			rc = cli_fail_status(st, NULL);
		if (rc == 0) {
			out = vpm_atomic_stream(af);
			cli_install_signal_cleanup();
		}
	}
	if (rc == 0 && (st = vpm_sweep_merge_write(m, out, af ? output : "the output")) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		vpm_atomic_abort(af);
		af = NULL;
	}
	if (rc == 0 && af != NULL) {
		if ((st = vpm_atomic_commit(af)) != VPM_OK)
			rc = cli_fail_status(st, NULL);
	} else if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output: %s", strerror(errno));
	}
	for (i = 0; i < nparts; i++)
		if (fps[i] != NULL)
			fclose(fps[i]);
	free(fps);
	vpm_sweep_merge_free(m);
	return rc;
}
