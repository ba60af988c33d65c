/* Shared helpers for the Criterion suites: paths, temporary files, and
 * running the vpmoire program as a user would. */
#ifndef VPM_TESTUTIL_H
#define VPM_TESTUTIL_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The source and build trees (exported by make check; "." otherwise). */
static inline const char *tu_srcdir(void)
{
	const char *s = getenv("VPM_TEST_SRCDIR");
	return s && *s ? s : ".";
}

static inline const char *tu_builddir(void)
{
	const char *s = getenv("VPM_TEST_BUILDDIR");
	return s && *s ? s : ".";
}

/* A fresh scratch directory under the build tree, one per process. */
static inline const char *tu_tmpdir(void)
{
	static char dir[2048];
	if (dir[0] == '\0') {
		char base[1900];
		snprintf(base, sizeof base, "%s/tests", tu_builddir());
		mkdir(base, 0777);
		snprintf(base, sizeof base, "%s/tests/tmp", tu_builddir());
		mkdir(base, 0777);
		snprintf(dir, sizeof dir, "%s/t%ld", base, (long)getpid());
		mkdir(dir, 0777);
	}
	return dir;
}

/* Path of a file in the scratch directory (static buffer ring). */
static inline const char *tu_tmp(const char *name)
{
	static char buf[8][4096];
	static int i;
	i = (i + 1) % 8;
	snprintf(buf[i], sizeof buf[i], "%s/%s", tu_tmpdir(), name);
	return buf[i];
}

/* Write text to a scratch file and return its path. */
static inline const char *tu_write(const char *name, const char *text)
{
	const char *path = tu_tmp(name);
	FILE *fp = fopen(path, "wb");
	if (fp == NULL)
		return NULL;
	fputs(text, fp);
	fclose(fp);
	return path;
}

static inline int tu_exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* Read a whole file (malloc'd, NUL-terminated) or NULL. */
static inline char *tu_slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;
	if (fp == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf != NULL) {
		size_t got = fread(buf, 1, (size_t)n, fp);
		buf[got] = '\0';
	}
	fclose(fp);
	return buf;
}

/* Remove this test process's scratch directory (tests/tmp/t<pid>); 0 on
 * success. */
static inline int tu_remove_tmpdir(void)
{
	char cmd[4200];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_tmpdir());
	return system(cmd) == 0 ? 0 : -1;
}

/* The .fini of every suite that writes files. */
static inline void tu_cleanup_tmpdir(void)
{
	if (tu_remove_tmpdir() != 0)
		fprintf(stderr, "could not remove %s\n", tu_tmpdir());
}

/* The fields of the `vpmoire check --json` contract (SPEC §4), in order;
 * *n is set to their number. */
static inline const char *const *tu_spec_fields(size_t *n)
{
	static const char *const fields[] = {
		"magnification",
		"led_frequency_cy_mm",
		"nyquist_cy_mm",
		"wall_blur_mm",
		"coc_mm",
		"dof_near_m",
		"dof_far_m",
		"hyperfocal_m",
		"moire_visibility",
		"moire_modulation",
		"moire_beat_cy_mm",
		"moire_cy_deg",
		"moire_channel",
		"grid_visibility",
		"grid_modulation",
		"grid_cy_mm",
		"risk",
	};

	*n = sizeof fields / sizeof fields[0];
	return fields;
}

/* Standard output of a shell command (malloc'd; "" when it printed
 * nothing), or NULL when it cannot be started. */
static inline char *tu_capture(const char *cmd)
{
	char buf[8192], *out = NULL;
	size_t n = 0;
	FILE *fp = popen(cmd, "r");

	if (fp == NULL)
		return NULL;
	for (;;) {
		size_t k = fread(buf, 1, sizeof buf, fp);
		char *o;
		if (k == 0)
			break;
		o = realloc(out, n + k + 1);
		if (o == NULL)
			break;
		out = o;
		memcpy(out + n, buf, k);
		n += k;
		out[n] = '\0';
	}
	pclose(fp);
	return out ? out : strdup("");
}

/* Is `tool` on the PATH? */
static inline int tu_have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Make AddressSanitizer unwind every allocation's stack fully (slow; only
 * for commands whose leaks must be matched by name in tests/lsan.supp).
 * Without sanitizers nothing reads the variable. */
static inline void tu_asan_full_unwind(void)
{
	const char *old = getenv("ASAN_OPTIONS");
	char buf[1024];

	snprintf(buf, sizeof buf, "%s%sfast_unwind_on_malloc=0", old ? old : "",
		 old && *old ? ":" : "");
	setenv("ASAN_OPTIONS", buf, 1);
}

/* Output of a command run through the shell. */
typedef struct {
	int status; /* exit status, or 128+signal */
	char *out;  /* stdout, malloc'd */
	char *err;  /* stderr, malloc'd */
} tu_run_t;

/* Run `vpmoire ARGS` (ARGS is shell text) with the built program. */
static inline tu_run_t tu_vpmoire(const char *args)
{
	char cmd[16384];
	const char *out = tu_tmp("run.out"), *err = tu_tmp("run.err");
	tu_run_t r;
	int st;
	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/apps/vpmoire' %s >'%s' 2>'%s'", tu_tmpdir(),
		 tu_builddir(), args, out, err);
	st = system(cmd);
	if (WIFEXITED(st))
		r.status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r.status = 128 + WTERMSIG(st);
	else
		r.status = -1;
	r.out = tu_slurp(out);
	r.err = tu_slurp(err);
	if (r.out == NULL)
		r.out = strdup("");
	if (r.err == NULL)
		r.err = strdup("");
	return r;
}

static inline void tu_run_free(tu_run_t *r)
{
	free(r->out);
	free(r->err);
}

/* Number of lines in a text. */
static inline int tu_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#endif
