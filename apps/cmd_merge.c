/* vpmoire merge: join the shards of a sweep (`vpmoire sweep --shard I/N`)
 * into the CSV a single run would have written, byte for byte.
 *
 * Shard I holds set-ups I, I+N, I+2N, ... in order, so the merged row g
 * is the next row of shard g mod N.  Rows are copied as lines, unchanged;
 * each shard's first line (the study), header and row count are checked
 * before anything is trusted. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "vpmoire/atomic.h"
#include "vpmoire/sweep.h"

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

typedef struct {
	const char *path;
	FILE *fp;
	vpm_sweep_shard_t shard;
	uint64_t rows, expect;
	long line;
} part_t;

/* Longest line merge reads: a sweep row is a few hundred bytes and the
 * first line a study's flags; anything longer is not a sweep (and an
 * endless input such as /dev/zero must not grow memory without bound). */
#define MERGE_LINE_MAX (1 << 20)

/* Read one line (with its '\n') of at most MERGE_LINE_MAX bytes; 1 for a
 * line, 0 at end of file, -1 on a torn last line, -2 for a line too long,
 * -3 for a NUL byte (a binary file), -4 on a read error. */
static int read_line(part_t *p, char **buf, size_t *cap, ssize_t *len)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = getc_unlocked(p->fp); /* one thread reads each part */
		if (c == EOF)
			break;
		if (n + 2 > *cap) {
			size_t nc = *cap ? *cap * 2 : 4096;
			char *nb;
			if (nc > MERGE_LINE_MAX + 2)
				nc = MERGE_LINE_MAX + 2;
			if (n + 2 > nc) {
				p->line++;
				return -2;
			}
			nb = realloc(*buf, nc);
			if (nb == NULL)
				return -4;
			*buf = nb;
			*cap = nc;
		}
		if (c == '\0') {
			p->line++;
			return -3;
		}
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (ferror(p->fp))
		return -4;
	*len = (ssize_t)n;
	if (n == 0)
		return 0;
	(*buf)[n] = '\0';
	p->line++;
	if ((*buf)[n - 1] != '\n')
		return -1;
	return 1;
}

/* Report a line merge cannot take (read_line() below -1); 0 otherwise. */
static int bad_line(const part_t *p, int r)
{
	switch (r) {
	case -2:
		return cli_fail(EXIT_USAGE, "%s:%ld: line longer than %d bytes: not a vpmoire sweep",
				p->path, p->line, MERGE_LINE_MAX);
	case -3: return cli_fail(EXIT_USAGE, "%s:%ld: NUL byte: not a text file", p->path, p->line);
	case -4: return cli_fail(EXIT_RUNTIME, "%s: read error: %s", p->path, strerror(errno));
	default: return 0;
	}
}

static size_t commas(const char *s, size_t n)
{
	size_t c = 0, i;

	for (i = 0; i < n; i++)
		c += s[i] == ',';
	return c;
}

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
	part_t *parts = NULL, **by_index = NULL;
	size_t nparts, i;
	char *first = NULL, *head = NULL, *line = NULL;
	size_t cap = 0, head_commas = 0;
	ssize_t len;
	uint64_t total = 0, n = 0, g;
	vpm_atomic_file_t *af = NULL;
	FILE *out = stdout;
	vpm_status_t st;
	int opt, rc = EXIT_OK, r;

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
	parts = calloc(nparts, sizeof *parts);
	if (parts == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");

	/* the framing of every part: study line, shard line, header */
	for (i = 0; i < nparts && rc == 0; i++) {
		part_t *p = &parts[i];
		vpm_sweep_shard_t sh;
		p->path = argv[optind + (int)i];
		p->fp = fopen(p->path, "r");
		if (p->fp == NULL) {
			rc = cli_fail(errno == ENOENT ? EXIT_USAGE : EXIT_RUNTIME, "%s: %s",
				      p->path, strerror(errno));
			break;
		}
		{
			/* a directory is bad input (2), as a missing file is */
			struct stat sb;
			if (fstat(fileno(p->fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
				rc = cli_fail(EXIT_USAGE, "%s is a directory, not a shard file",
					      p->path);
				break;
			}
		}
		r = read_line(p, &line, &cap, &len);
		if ((rc = bad_line(p, r)) != 0)
			break;
		if (r <= 0 || vpm_sweep_comment_parse(line, &total) != VPM_OK) {
			rc = cli_fail(EXIT_USAGE, "%s:1:1: %s", p->path,
				      r <= 0 ? "empty: not a vpmoire sweep" : vpm_error_message());
			break;
		}
		if (first == NULL) {
			first = strdup(line);
			n = total;
		} else if (strcmp(first, line) != 0) {
			const char *what = vpm_sweep_comment_differs(first, line);
			rc = cli_fail(EXIT_USAGE, "%s:1:1: another study than %s (%s)", p->path,
				      parts[0].path, what ? what : "their first lines differ");
			break;
		}
		r = read_line(p, &line, &cap, &len);
		if ((rc = bad_line(p, r)) != 0)
			break;
		if (r <= 0 || strncmp(line, "# shard ", 8) != 0) {
			rc = cli_fail(EXIT_USAGE,
				      "%s:2:1: not a shard: expected '# shard I/N' (written by "
				      "'vpmoire sweep --shard I/N' with N > 1)",
				      p->path);
			break;
		}
		line[len - 1] = '\0';
		if (vpm_sweep_shard_parse(line + 8, &sh) != VPM_OK) {
			rc = cli_fail(EXIT_USAGE, "%s:2:9: %s", p->path, vpm_error_message());
			break;
		}
		p->shard = sh;
		p->expect = vpm_sweep_shard_rows(n, sh);
		r = read_line(p, &line, &cap, &len);
		if ((rc = bad_line(p, r)) != 0)
			break;
		if (r <= 0) {
			rc = cli_fail(EXIT_USAGE, "%s:3:1: the CSV header is missing", p->path);
			break;
		}
		if (head == NULL) {
			head = strdup(line);
			head_commas = commas(line, (size_t)len);
		} else if (strcmp(head, line) != 0) {
			rc = cli_fail(EXIT_USAGE, "%s:3:1: its header differs from %s's", p->path,
				      parts[0].path);
			break;
		}
		if (first == NULL || head == NULL) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
			break;
		}
	}
	if (rc != 0)
		goto out;

	/* every shard exactly once, all of the same N */
	{
		uint64_t count = parts[0].shard.count;
		if ((uint64_t)nparts != count) {
			for (i = 0; i < nparts; i++)
				if (parts[i].shard.count != count)
					break;
			if (i < nparts)
				rc = cli_fail(EXIT_USAGE,
					      "%s is shard %" PRIu64 "/%" PRIu64 " but %s is "
					      "of %" PRIu64 " shards",
					      parts[i].path, parts[i].shard.index,
					      parts[i].shard.count, parts[0].path, count);
		}
		if (rc == 0) {
			by_index = calloc((size_t)count, sizeof *by_index);
			if (by_index == NULL) {
				rc = cli_fail(EXIT_RUNTIME, "out of memory");
				goto out;
			}
			for (i = 0; i < nparts && rc == 0; i++) {
				part_t *p = &parts[i];
				if (p->shard.count != count)
					rc = cli_fail(EXIT_USAGE,
						      "%s is shard %" PRIu64 "/%" PRIu64
						      " but %s is of %" PRIu64 " shards",
						      p->path, p->shard.index, p->shard.count,
						      parts[0].path, count);
				else if (by_index[p->shard.index] != NULL)
					rc = cli_fail(EXIT_USAGE,
						      "%s and %s are both shard %" PRIu64
						      "/%" PRIu64,
						      by_index[p->shard.index]->path, p->path,
						      p->shard.index, count);
				else
					by_index[p->shard.index] = p;
			}
			for (g = 0; g < count && rc == 0; g++)
				if (by_index[g] == NULL)
					rc = cli_fail(EXIT_USAGE,
						      "shard %" PRIu64 "/%" PRIu64
						      " is missing (%zu of %" PRIu64
						      " parts given)",
						      g, count, nparts, count);
		}
		if (rc != 0)
			goto out;
	}

	if (strcmp(output, "-") != 0) {
		/* writing over a part while reading it would lose its rows: the
		 * same file by device and inode, whatever the names say */
		for (i = 0; i < nparts; i++)
			if (cli_same_file(output, parts[i].path)) {
				rc = cli_usage("merge",
					       "-o %s: this file is also the input %s: write the "
					       "merged CSV to another file",
					       output, parts[i].path);
				goto out;
			}
		st = vpm_atomic_open(output, &af);
		if (st != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		out = vpm_atomic_stream(af);
		cli_install_signal_cleanup();
	}
	fputs(first, out);
	fputs(head, out);
	{
		uint64_t count = parts[0].shard.count;
		for (g = 0; g < n; g++) {
			part_t *p = by_index[g % count];
			r = read_line(p, &line, &cap, &len);
			if ((rc = bad_line(p, r)) != 0)
				break;
			if (r == 0) {
				rc = cli_fail(
					EXIT_USAGE,
					"%s: %" PRIu64 " rows, %" PRIu64 " expected: the shard is "
					"incomplete (rerun it, with --resume if it was interrupted)",
					p->path, p->rows, p->expect);
				break;
			}
			if (r < 0 || commas(line, (size_t)len) != head_commas) {
				rc = cli_fail(EXIT_USAGE,
					      "%s:%ld:1: a torn or malformed row (%zu fields, "
					      "%zu expected)",
					      p->path, p->line, commas(line, (size_t)len) + 1,
					      head_commas + 1);
				break;
			}
			p->rows++;
			if (fwrite(line, 1, (size_t)len, out) != (size_t)len) {
				rc = cli_fail(EXIT_RUNTIME, "cannot write %s: %s",
					      af ? output : "the output", strerror(errno));
				break;
			}
		}
		for (i = 0; i < nparts && rc == 0; i++) {
			part_t *p = &parts[i];
			r = read_line(p, &line, &cap, &len);
			if ((rc = bad_line(p, r)) != 0)
				break;
			if (r != 0)
				rc = cli_fail(EXIT_USAGE,
					      "%s:%ld:1: more rows than shard %" PRIu64 "/%" PRIu64
					      " of %" PRIu64 " set-ups has",
					      p->path, p->line, p->shard.index, p->shard.count, n);
			else if (ferror(p->fp))
				rc = cli_fail(EXIT_RUNTIME, "%s: read error", p->path);
		}
	}
	if (rc != 0) {
		vpm_atomic_abort(af);
		af = NULL;
		goto out;
	}
	if (af != NULL) {
		st = vpm_atomic_commit(af);
		af = NULL;
		if (st != VPM_OK)
			rc = cli_fail_status(st, NULL);
	} else if (fflush(stdout) != 0 || ferror(stdout)) {
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output: %s", strerror(errno));
	}
out:
	for (i = 0; parts != NULL && i < nparts; i++)
		if (parts[i].fp != NULL)
			fclose(parts[i].fp);
	free(parts);
	free(by_index);
	free(first);
	free(head);
	free(line);
	return rc;
}
