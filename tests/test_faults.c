/* Output faults (issue 8, SPEC §4 "nothing is left half-written"): every
 * command that writes files meets an unwritable directory, a full disk, a
 * file-size limit and a kill midway.  Each must exit 1 with one line that
 * names the file and the system's reason, and leave either no output or the
 * previous complete one under the real name; only SIGKILL may leave a
 * hidden ".NAME.tmp-XXXXXX" behind (SIGINT/SIGTERM remove it).
 *
 * Faults are made without privileges, so they work for root in CI too:
 *   - unwritable: the output's directory is a regular file (ENOTDIR) or
 *     does not exist (ENOENT) — root cannot write there either;
 *   - full disk: the output name is a symlink to /dev/full (ENOSPC; the
 *     atomic writer writes devices in place, lib/atomic.c);
 *   - file-size limit: `ulimit -f` with SIGXFSZ ignored (EFBIG), which fails
 *     a regular temporary file midway, as a disk filling up would;
 *   - killed: the command stops itself (SIGSTOP, tests/stoprename.c preloaded)
 *     just before renaming its finished temporary file over the real name,
 *     then is sent SIGKILL, SIGTERM or SIGINT.
 *
 * Sets of files (simulate's --outdir, the shotlist's page images; issue 14)
 * are replaced as a whole: a full disk on the set's last file, or a kill
 * just before the set is swapped in, leaves every previous file of the set
 * and no staging folder (lib/outset.c). */
#include <config.h>

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

TestSuite(faults, .fini = tu_cleanup_tmpdir);

#define RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2"

/* Each writing command; @SRC@ stands for the source tree, @OUT@ for the
 * output path. */
typedef struct {
	const char *name;
	const char *args;
	const char *ext; /* output file extension, or "/" for an --outdir */
	/* 1 for a command whose write errors lose the system's reason (ENOSPC,
	 * EFBIG); the test then only asks for "cannot write".  simulate's PNGs
	 * said libpng's "Write Error" until lib/png_io.c wrote through its own
	 * function; none is exempt now. */
	int reason_lost;
} writer_t;

static const writer_t writers[] = {
	/* chart and focus write a PNG page, the shotlist a PDF */
	{ "chart",
	  "chart " RIG " --series 'ZEISS CP.3' --stop T2.8 --cells 12 -q --dpi 300 -o '@OUT@'",
	  ".png", 0 },
	{ "focus",
	  "focus " RIG " --lens zeiss-cp3-28 --wall 2.524m --subject 1m --subject-depth 0.3m "
	  "--dpi 300 -o '@OUT@'",
	  ".png", 0 },
	{ "shotlist",
	  "shotlist '@SRC@/datasets/shotlist-example.csv' --stage '@SRC@/datasets/stage-micro.stage' "
	  "-o '@OUT@'",
	  ".pdf", 0 },
	{ "sweep",
	  "sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
	  "--wall 2m:4m:0.01m -o '@OUT@'",
	  ".csv", 0 },
	{ "simulate",
	  "simulate " RIG " --lens zeiss-cp3-28 --wall 5m --focus 3.5m --patch 128 "
	  "--planner estimate --threads 1 --outdir '@OUT@'",
	  "/", 0 },
	/* merge's inputs: two shards made by make_shards() */
	{ "merge", "merge -o '@OUT@' shard-0.csv shard-1.csv", ".csv", 0 },
};

#define NWRITERS (sizeof writers / sizeof writers[0])

/* The files simulate writes into its --outdir, in the order written. */
static const char *const sim_set[4] = { "recorded.png", "stretched.png", "spectrum.png",
					"simulate.json" };

/* Write `text` to `path` (any path, not only the scratch directory's). */
static void tu_write_path(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	cr_assert_not_null(fp, "%s: %s", path, strerror(errno));
	fputs(text, fp);
	cr_assert_eq(fclose(fp), 0);
}

/* Command text `args` with @SRC@ and @OUT@ filled in. */
static void expand(const char *args, const char *out, char *buf, size_t size)
{
	const char *p = args;
	size_t n = 0;

	while (*p != '\0' && n + 1 < size) {
		const char *sub = NULL;
		if (strncmp(p, "@SRC@", 5) == 0)
			sub = tu_srcdir();
		else if (strncmp(p, "@OUT@", 5) == 0)
			sub = out;
		if (sub != NULL) {
			size_t k = strlen(sub);
			cr_assert(n + k + 1 < size, "command too long");
			memcpy(buf + n, sub, k);
			n += k;
			p += 5;
		} else {
			buf[n++] = *p++;
		}
	}
	buf[n] = '\0';
}

/* The command line of writer w with output `out`. */
static void command(const writer_t *w, const char *out, char *buf, size_t size)
{
	expand(w->args, out, buf, size);
}

/* Run `vpmoire ARGS` with a shell prefix (ulimit, trap) in the scratch dir. */
static tu_run_t run_with(const char *prefix, const char *args)
{
	char cmd[16384];
	const char *out = tu_tmp("f.out"), *err = tu_tmp("f.err");
	tu_run_t r;
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && %s '%s/apps/vpmoire' %s >'%s' 2>'%s'", tu_tmpdir(),
		 prefix, tu_builddir(), args, out, err);
	st = system(cmd);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : -1;
	r.out = tu_slurp(out);
	r.err = tu_slurp(err);
	if (r.out == NULL)
		r.out = strdup("");
	if (r.err == NULL)
		r.err = strdup("");
	return r;
}

static int writing_in(const char *dir, const char *name, const char *what);

static void assert_one_line_exit_1(const tu_run_t *r, const char *what, const char *needle1,
				   const char *needle2)
{
	cr_assert_eq(r->status, 1, "%s: exit %d, stderr: %s", what, r->status, r->err);
	cr_assert_eq(tu_lines(r->err), 1, "%s: not one line: %s", what, r->err);
	cr_assert(strncmp(r->err, "vpmoire", 7) == 0, "%s: %s", what, r->err);
	cr_assert(strstr(r->err, needle1) != NULL, "%s: '%s' lacks '%s'", what, r->err, needle1);
	if (needle2 != NULL)
		cr_assert(strstr(r->err, needle2) != NULL, "%s: '%s' lacks '%s'", what, r->err,
			  needle2);
}

/* An output whose directory is a regular file, and one whose directory
 * does not exist: exit 1, "cannot ..." naming the path and the reason. */
/* The two shards merge joins, in the scratch directory. */
static void make_shards(void)
{
	static const char study[] = "sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 "
				    "--lenses zeiss-cp3-28 --wall 2m:4m:0.01m -q";
	char args[512];
	int k;

	for (k = 0; k < 2; k++) {
		tu_run_t r;
		snprintf(args, sizeof args, "%s --shard %d/2 -o shard-%d.csv", study, k, k);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 0, "%s", r.err);
		tu_run_free(&r);
	}
}

Test(faults, unwritable_directory_exits_1_naming_the_file)
{
	size_t i;

	make_shards();

	tu_write("plain", "a regular file, not a directory\n");
	for (i = 0; i < NWRITERS; i++) {
		const writer_t *w = &writers[i];
		char out[512], args[8192];
		tu_run_t r;

		snprintf(out, sizeof out, "plain/out%s", w->ext[0] == '/' ? "" : w->ext);
		command(w, out, args, sizeof args);
		r = tu_vpmoire(args);
		assert_one_line_exit_1(&r, w->name, "plain/", "Not a directory");
		/* named once ("out.pdf: cannot write out.pdf" said it twice) */
		{
			const char *first = strstr(r.err, out);
			cr_assert(first != NULL && strstr(first + 1, out) == NULL,
				  "%s names the file twice: %s", w->name, r.err);
		}
		tu_run_free(&r);

		snprintf(out, sizeof out, "no/such/dir/out%s", w->ext[0] == '/' ? "" : w->ext);
		command(w, out, args, sizeof args);
		r = tu_vpmoire(args);
		assert_one_line_exit_1(&r, w->name, "no/such/dir", "No such file or directory");
		tu_run_free(&r);
		cr_assert(!tu_exists(tu_tmp("no")), "%s created a directory", w->name);
	}
}

/* The output is /dev/full (through a symlink with the right extension):
 * ENOSPC at the first flush, exit 1, and the symlink is left alone. */
Test(faults, full_disk_exits_1_with_no_space_left)
{
	size_t i;

	make_shards();

	for (i = 0; i < NWRITERS; i++) {
		const writer_t *w = &writers[i];
		char out[512], link[4300], args[8192], target[64];
		tu_run_t r;
		ssize_t n;

		if (w->ext[0] == '/') {
			/* simulate: the directory's first file is /dev/full */
			snprintf(out, sizeof out, "full-%s", w->name);
			mkdir(tu_tmp(out), 0777);
			snprintf(link, sizeof link, "%s/recorded.png", tu_tmp(out));
		} else {
			snprintf(out, sizeof out, "full-%s%s", w->name, w->ext);
			snprintf(link, sizeof link, "%s", tu_tmp(out));
		}
		cr_assert_eq(symlink("/dev/full", link), 0, "symlink %s", link);
		command(w, out, args, sizeof args);
		r = tu_vpmoire(args);
		assert_one_line_exit_1(&r, w->name,
				       w->reason_lost ? "cannot write" : "No space left on device",
				       NULL);
		n = readlink(link, target, sizeof target - 1);
		cr_assert(n > 0, "%s replaced the /dev/full symlink", w->name);
		target[n] = '\0';
		cr_assert_str_eq(target, "/dev/full");
		tu_run_free(&r);
	}
}

/* A regular output that cannot grow past a few kilobytes (EFBIG midway, as
 * a filling disk): exit 1 with the reason; the previous file of that name
 * is untouched and no temporary file is left. */
Test(faults, write_failing_midway_keeps_the_previous_file)
{
	size_t i, k;

	make_shards();

	for (i = 0; i < NWRITERS; i++) {
		const writer_t *w = &writers[i];
		char out[512], args[8192], dest[4300];
		char *prev;
		tu_run_t r;

		if (w->ext[0] == '/') {
			/* simulate: the whole previous set, each file checked */
			snprintf(out, sizeof out, "big-%s", w->name);
			mkdir(tu_tmp(out), 0777);
			for (k = 3; k-- > 0;) {
				snprintf(dest, sizeof dest, "%s/%s", tu_tmp(out), sim_set[k + 1]);
				tu_write_path(dest, "previous complete output\n");
			}
			snprintf(dest, sizeof dest, "%s/recorded.png", tu_tmp(out));
		} else {
			snprintf(out, sizeof out, "big-%s%s", w->name, w->ext);
			snprintf(dest, sizeof dest, "%s", tu_tmp(out));
		}
		tu_write_path(dest, "previous complete output\n");
		command(w, out, args, sizeof args);
		/* 4 blocks: 2 KiB in dash, 4 KiB in bash; every output is larger */
		r = run_with("ulimit -f 4 && trap '' XFSZ &&", args);
		assert_one_line_exit_1(&r, w->name,
				       w->reason_lost ? "cannot write" : "File too large", NULL);
		prev = tu_slurp(dest);
		cr_assert_not_null(prev);
		cr_assert_str_eq(prev, "previous complete output\n", "%s changed %s", w->name,
				 dest);
		free(prev);
		for (k = 0; w->ext[0] == '/' && k < 4; k++) {
			snprintf(dest, sizeof dest, "%s/%s", tu_tmp(out), sim_set[k]);
			prev = tu_slurp(dest);
			cr_assert(prev && strcmp(prev, "previous complete output\n") == 0,
				  "%s changed %s", w->name, dest);
			free(prev);
		}
		{
			char dir[4300];
			snprintf(dir, sizeof dir, "%s", dest);
			*strrchr(dir, '/') = '\0';
			cr_assert_eq(writing_in(dir, NULL, ".tmp-"), 0, "%s left a temporary file",
				     w->name);
			if (strcmp(w->name, "sweep") == 0) {
				/* a sweep keeps its rows for --resume (vpmoire-sweep(1)) */
				cr_assert(strstr(r.err, "--resume") != NULL, "%s", r.err);
			}
		}
		tu_run_free(&r);
	}
}

/* ------------------------------------------------------------ killed midway */

/* Does dir hold a file being written: a hidden name containing `what`
 * (".tmp-", or ".partial" for a sweep), and starting with ".name" when
 * name is not NULL? */
static int writing_in(const char *dir, const char *name, const char *what)
{
	char prefix[512];
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	snprintf(prefix, sizeof prefix, ".%s", name ? name : "");
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    strstr(e->d_name, what) != NULL)
			n++;
	closedir(d);
	return n;
}

/* The bytes of file `path` (malloc'd, *len set), or NULL. */
static char *read_bytes(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long n;

	*len = 0;
	if (fp == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)n + 1)) != NULL)
		*len = fread(buf, 1, (size_t)n, fp);
	fclose(fp);
	return buf;
}

/* The bytes of the file being written for `name` in dir (see writing_in). */
static char *read_writing(const char *dir, const char *name, const char *what, size_t *len)
{
	char prefix[600], path[8192];
	DIR *d = opendir(dir);
	struct dirent *e;
	char *buf = NULL;

	*len = 0;
	snprintf(prefix, sizeof prefix, ".%s", name);
	if (d == NULL)
		return NULL;
	while (buf == NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 &&
		    strstr(e->d_name, what) != NULL) {
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			buf = read_bytes(path, len);
		}
	closedir(d);
	return buf;
}

/* Start `vpmoire ARGS` in the scratch directory with tests/stoprename.c
 * preloaded, so that it stops itself (SIGSTOP) just before renaming its
 * finished temporary file onto `base`: the new output is complete on disk,
 * the real name must still hold the previous one.  Returns the stopped pid,
 * or -1 when the command ended without reaching that rename.  Deterministic:
 * no race with the writer, whatever the machine's speed. */
static pid_t start_and_stop_writing(const char *args, const char *base)
{
	char cmd[16384], shim[4200], asan[4200];
	const char *old_asan = getenv("ASAN_OPTIONS");
	int status;
	pid_t pid;

	snprintf(shim, sizeof shim, "%s/tests/.libs/libstoprename.so", tu_builddir());
	cr_assert(access(shim, R_OK) == 0, "%s: %s (make check builds it)", shim, strerror(errno));
	snprintf(cmd, sizeof cmd, "cd '%s' && exec '%s/apps/vpmoire' %s >/dev/null 2>&1",
		 tu_tmpdir(), tu_builddir(), args);
	/* a sanitized program wants its runtime first among the preloads */
	snprintf(asan, sizeof asan, "%s%sverify_asan_link_order=0", old_asan ? old_asan : "",
		 old_asan && *old_asan ? ":" : "");
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		setenv("LD_PRELOAD", shim, 1);
		setenv("VPM_TEST_STOP_RENAME", base, 1);
		setenv("ASAN_OPTIONS", asan, 1);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, WUNTRACED), pid);
	return WIFSTOPPED(status) ? pid : -1;
}

/* Kill writer w with `sig` while it writes; check what is left.  The file
 * checked is the one written last (simulate: simulate.json after the three
 * PNGs), so that a stop in any of a command's files leaves it untouched. */
static void kill_midway(const writer_t *w, int sig)
{
	char out[512], args[8192], dest[4900], dir[4300], base[512];
	const char *what = strcmp(w->name, "sweep") == 0 ? ".partial" : ".tmp-";
	char *prev, *fresh;
	size_t nprev, nfresh;
	int status, was_prev, is_fresh;
	pid_t pid;

	snprintf(out, sizeof out, "kill%d-%s%s", sig, w->name, w->ext[0] == '/' ? "" : w->ext);
	if (w->ext[0] == '/') {
		snprintf(dir, sizeof dir, "%s", tu_tmp(out));
		mkdir(dir, 0777);
		snprintf(base, sizeof base, "simulate.json");
	} else {
		snprintf(dir, sizeof dir, "%s", tu_tmpdir());
		snprintf(base, sizeof base, "%s", out);
	}
	snprintf(dest, sizeof dest, "%s/%s", dir, base);
	{
		FILE *fp = fopen(dest, "w");
		cr_assert_not_null(fp);
		fputs("previous complete output\n", fp);
		fclose(fp);
	}
	command(w, out, args, sizeof args);
	/* simulate has a directory of its own; the others share the scratch
	 * directory with earlier runs (a SIGKILL leaves its temporary file,
	 * under another name) */
	pid = start_and_stop_writing(args, base);
	cr_assert(pid > 0, "%s: the command never renamed onto %s (%s)", w->name, base, args);
	/* stopped with the new output complete under its temporary name: the
	 * real name still holds the previous file */
	fresh = read_writing(dir, base, what, &nfresh);
	cr_assert(fresh != NULL && nfresh > 0, "%s: no temporary file beside %s", w->name, base);
	prev = tu_slurp(dest);
	cr_assert(prev != NULL && strcmp(prev, "previous complete output\n") == 0,
		  "%s: %s replaced before the output was complete", w->name, dest);
	free(prev);
	kill(pid, sig);
	kill(pid, SIGCONT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	prev = read_bytes(dest, &nprev);
	cr_assert_not_null(prev);
	was_prev = nprev == strlen("previous complete output\n") &&
		   memcmp(prev, "previous complete output\n", nprev) == 0;
	/* A catchable signal may land on a worker thread (OpenMP, FFTW) while
	 * the main thread renames: then the finished output is already in
	 * place, whole.  Either way the real name holds a complete file. */
	is_fresh = nprev == nfresh && memcmp(prev, fresh, nprev) == 0;
	if (strcmp(w->name, "sweep") == 0 && sig != SIGKILL) {
		/* Ctrl-C finishes the block being computed (vpmoire-sweep(1)):
		 * either that was the last one and the CSV is complete, or the
		 * run stops with exit 1, keeping its rows for --resume. */
		cr_assert(WIFEXITED(status), "sweep: status %#x", status);
		if (WEXITSTATUS(status) == 0)
			cr_assert(is_fresh, "sweep: %s is not the finished CSV", dest);
		else
			cr_assert(WEXITSTATUS(status) == 1 && was_prev,
				  "sweep: exit %d, %s changed", WEXITSTATUS(status), dest);
	} else {
		cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig,
			  "%s: expected death by signal %d, status %#x", w->name, sig, status);
		if (sig == SIGKILL)
			cr_assert(was_prev, "%s: %s changed by SIGKILL", w->name, dest);
		else
			cr_assert(was_prev || is_fresh,
				  "%s: %s holds neither the previous nor the "
				  "finished output after signal %d",
				  w->name, dest, sig);
	}
	free(prev);
	free(fresh);
	if (sig != SIGKILL && writing_in(dir, base, ".tmp-") != 0) {
		char cmd[8400];
		snprintf(cmd, sizeof cmd, "ls -la '%s' >&2", dir);
		if (system(cmd) != 0)
			cr_log_warn("cannot list %s", dir);
		cr_assert_fail("%s: signal %d left a temporary file in %s (status %#x)", w->name,
			       sig, dir, status);
	}
}

Test(faults, killed_midway_leaves_the_previous_file, .timeout = 600)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT };
	size_t i, k;

	make_shards();
	for (i = 0; i < NWRITERS; i++)
		for (k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
			if (writers[i].ext[0] != '/') /* sets: killed_before_the_swap below */
				kill_midway(&writers[i], sigs[k]);
}

/* ------------------------------------------------------------ sets of files */

/* The commands that write a set of files into a directory (@OUT@), and the
 * set's files in the order they are written.  The shotlist's three shots
 * are written by three_shots(); its PDF goes beside the directory. */
typedef struct {
	const char *name;
	const char *args;
	const char *member[4];
} set_writer_t;

static const set_writer_t set_writers[] = {
	{ "simulate",
	  "simulate " RIG " --lens zeiss-cp3-28 --wall 5m --focus 3.5m --patch 128 "
	  "--planner estimate --threads 1 --outdir '@OUT@'",
	  { "recorded.png", "stretched.png", "spectrum.png", "simulate.json" } },
	{ "shotlist",
	  "shotlist three.csv --stage '@SRC@/datasets/stage-micro.stage' -o '@OUT@.pdf' "
	  "--format png --outdir '@OUT@'",
	  { "summary.png", "shot-1.png", "shot-2.png", "shot-3.png" } },
};

#define NSETS (sizeof set_writers / sizeof set_writers[0])

static void three_shots(void)
{
	tu_write("three.csv", "Shot,Camera,Lens,Stop,Camera distance,Subject distance\n"
			      "1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m\n"
			      "2,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,T2.8,2.7m,1.5m\n"
			      "3,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,3.1m,1.5m\n");
}

/* Give every member of set w in `dir` the text "previous NAME\n". */
static void previous_set(const set_writer_t *w, const char *dir)
{
	char path[4600], text[128];
	size_t k;

	mkdir(dir, 0777);
	for (k = 0; k < 4; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, w->member[k]);
		snprintf(text, sizeof text, "previous %s\n", w->member[k]);
		tu_write_path(path, text);
	}
}

/* How many members of set w in `dir` still hold their previous text. */
static int previous_members(const set_writer_t *w, const char *dir)
{
	char path[4600], text[128], *got;
	int k, n = 0;

	for (k = 0; k < 4; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, w->member[k]);
		snprintf(text, sizeof text, "previous %s\n", w->member[k]);
		got = tu_slurp(path);
		n += got != NULL && strcmp(got, text) == 0;
		free(got);
	}
	return n;
}

/* A full disk on the set's last file, after the others were written
 * whole: exit 1 with the reason, every earlier member still the previous
 * file (each used to be replaced as soon as it was written), the shotlist's
 * previous PDF kept, and no staging folder left. */
Test(faults, set_full_disk_on_the_last_file_keeps_the_previous_set)
{
	size_t i;

	three_shots();
	for (i = 0; i < NSETS; i++) {
		const set_writer_t *w = &set_writers[i];
		char out[128], dir[4300], last[4600], args[8192];
		tu_run_t r;

		snprintf(out, sizeof out, "setfull-%s", w->name);
		snprintf(dir, sizeof dir, "%s", tu_tmp(out));
		previous_set(w, dir);
		tu_write_path(tu_tmp("setfull-shotlist.pdf"), "previous pdf\n");
		snprintf(last, sizeof last, "%s/%s", dir, w->member[3]);
		cr_assert_eq(unlink(last), 0);
		cr_assert_eq(symlink("/dev/full", last), 0);
		expand(w->args, out, args, sizeof args);
		r = tu_vpmoire(args);
		assert_one_line_exit_1(&r, w->name, "No space left on device", w->member[3]);
		cr_assert(strstr(r.err, ".tmp-") == NULL, "%s names its staging folder: %s",
			  w->name, r.err);
		cr_assert_eq(previous_members(w, dir), 3, "%s replaced part of the set in %s",
			     w->name, dir);
		cr_assert_eq(writing_in(dir, NULL, ".tmp-"), 0, "%s left its staging folder",
			     w->name);
		tu_run_free(&r);
	}
	{
		char *pdf = tu_slurp(tu_tmp("setfull-shotlist.pdf"));
		cr_assert(pdf != NULL && strcmp(pdf, "previous pdf\n") == 0,
			  "the shotlist wrote its PDF although the images failed");
		free(pdf);
	}
}

/* A file-size limit (a disk filling up) in a set written into a folder
 * that does not exist yet: exit 1, and neither the folder nor its staging
 * folder beside it appears. */
Test(faults, set_failing_in_a_new_folder_leaves_no_folder)
{
	size_t i;

	three_shots();
	for (i = 0; i < NSETS; i++) {
		const set_writer_t *w = &set_writers[i];
		char out[128], args[8192];
		tu_run_t r;

		snprintf(out, sizeof out, "setnew-%s", w->name);
		expand(w->args, out, args, sizeof args);
		r = run_with("ulimit -f 4 && trap '' XFSZ &&", args);
		assert_one_line_exit_1(&r, w->name, "File too large", out);
		cr_assert(strstr(r.err, ".tmp-") == NULL, "%s: %s", w->name, r.err);
		cr_assert(!tu_exists(tu_tmp(out)), "%s created %s", w->name, out);
		cr_assert_eq(writing_in(tu_tmpdir(), out, ".tmp-"), 0,
			     "%s left a staging folder beside %s", w->name, out);
		tu_run_free(&r);
	}
}

/* The bytes of each member of set w in `dir` (for comparing after). */
static void read_members(const set_writer_t *w, const char *dir, char *bytes[4], size_t len[4])
{
	char path[4600];
	int k;

	for (k = 0; k < 4; k++) {
		snprintf(path, sizeof path, "%s/%s", dir, w->member[k]);
		bytes[k] = read_bytes(path, &len[k]);
	}
}

/* Do the members of set w in `dir` hold exactly bytes[]? */
static int members_are(const set_writer_t *w, const char *dir, char *bytes[4], size_t len[4])
{
	char *now[4];
	size_t nlen[4];
	int k, same = 1;

	read_members(w, dir, now, nlen);
	for (k = 0; k < 4; k++) {
		same = same && now[k] != NULL && bytes[k] != NULL && nlen[k] == len[k] &&
		       memcmp(now[k], bytes[k], len[k]) == 0;
		free(now[k]);
	}
	return same;
}

/* The name of the staging folder in `dir` whose name starts with
 * ".prefix" and holds ".tmp-" (static buffer), or NULL. */
static const char *staging_in(const char *dir, const char *prefix)
{
	static char found[4600];
	char want[256];
	DIR *d = opendir(dir);
	struct dirent *e;
	const char *r = NULL;

	snprintf(want, sizeof want, ".%s", prefix);
	if (d == NULL)
		return NULL;
	while (r == NULL && (e = readdir(d)) != NULL)
		if (strncmp(e->d_name, want, strlen(want)) == 0 && strstr(e->d_name, ".tmp-")) {
			snprintf(found, sizeof found, "%s/%s", dir, e->d_name);
			r = found;
		}
	closedir(d);
	return r;
}

/* Stop set writer w just before it swaps its finished set in, then send
 * `sig`.  `fresh`: the directory does not exist yet (one rename of the
 * staging folder puts it in place), else it holds a previous set (the
 * members are renamed in one by one, signals held off meanwhile).  After
 * SIGKILL the previous state is intact; after SIGTERM/SIGINT the command
 * dies of the signal with either the whole previous set or the whole new
 * one in place, never a mix, and no staging folder left. */
static void kill_set_before_swap(const set_writer_t *w, int sig, int fresh)
{
	char out[128], dir[4300], stop[256], args[8192], *fresh_bytes[4];
	const char *staging;
	size_t fresh_len[4];
	int status, k;
	pid_t pid;

	snprintf(out, sizeof out, "set%s%d-%s", fresh ? "new" : "old", sig, w->name);
	snprintf(dir, sizeof dir, "%s", tu_tmp(out));
	if (!fresh)
		previous_set(w, dir);
	/* the rename onto the folder, or onto its first member */
	if (fresh)
		snprintf(stop, sizeof stop, "%s", out);
	else
		snprintf(stop, sizeof stop, "%s/%s", out, w->member[0]);
	expand(w->args, out, args, sizeof args);
	pid = start_and_stop_writing(args, stop);
	cr_assert(pid > 0, "%s: never swapped its set in (%s)", w->name, args);

	/* stopped: the new set is complete in the staging folder, nothing
	 * under the real names has changed */
	staging = fresh ? staging_in(tu_tmpdir(), out) : staging_in(dir, "vpmoire-set");
	cr_assert_not_null(staging, "%s: no staging folder", w->name);
	read_members(w, staging, fresh_bytes, fresh_len);
	for (k = 0; k < 4; k++)
		cr_assert(fresh_bytes[k] != NULL && fresh_len[k] > 0, "%s: %s/%s not written",
			  w->name, staging, w->member[k]);
	if (fresh)
		cr_assert(!tu_exists(dir), "%s: %s exists before the swap", w->name, dir);
	else
		cr_assert_eq(previous_members(w, dir), 4, "%s: %s changed before the swap", w->name,
			     dir);

	kill(pid, sig);
	kill(pid, SIGCONT);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == sig,
		  "%s: expected death by signal %d, status %#x", w->name, sig, status);
	if (sig == SIGKILL) {
		if (fresh)
			cr_assert(!tu_exists(dir), "%s: SIGKILL left a partial %s", w->name, dir);
		else
			cr_assert_eq(previous_members(w, dir), 4, "%s: SIGKILL changed %s", w->name,
				     dir);
	} else {
		int was_prev = fresh ? !tu_exists(dir) : previous_members(w, dir) == 4;
		int is_new = members_are(w, dir, fresh_bytes, fresh_len);
		cr_assert(was_prev || is_new,
			  "%s: after signal %d %s holds neither the previous set nor the new "
			  "one",
			  w->name, sig, dir);
		cr_assert_null(fresh ? staging_in(tu_tmpdir(), out) : staging_in(dir, ""),
			       "%s: signal %d left %s", w->name, sig,
			       fresh ? staging_in(tu_tmpdir(), out) : staging_in(dir, ""));
	}
	for (k = 0; k < 4; k++)
		free(fresh_bytes[k]);
}

Test(faults, set_killed_before_the_swap_keeps_a_whole_set, .timeout = 600)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT };
	size_t i, k;
	int fresh;

	three_shots();
	for (i = 0; i < NSETS; i++)
		for (k = 0; k < sizeof sigs / sizeof sigs[0]; k++)
			for (fresh = 0; fresh < 2; fresh++)
				kill_set_before_swap(&set_writers[i], sigs[k], fresh);
}
