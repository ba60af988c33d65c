/* Sets of output files replaced as a whole (lib/outset.c): a new folder
 * appears complete, an existing one keeps its other files, an abort or a
 * failed swap leaves the previous set whole and no staging folder, and
 * every refusal is a status with a message. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

TestSuite(outset, .fini = tu_cleanup_tmpdir);

/* Write `text` to `path` through the library's atomic writer, as the
 * commands write their members. */
static void write_member(const char *path, const char *text)
{
	vpm_atomic_file_t *f;

	cr_assert_eq(vpm_atomic_open(path, &f), VPM_OK, "%s", vpm_error_message());
	fputs(text, vpm_atomic_stream(f));
	cr_assert_eq(vpm_atomic_commit(f), VPM_OK, "%s", vpm_error_message());
}

static void write_plain(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	cr_assert_not_null(fp, "cannot write %s", path);
	fputs(text, fp);
	fclose(fp);
}

/* Does the file at `path` hold exactly `text`? */
static int holds(const char *path, const char *text)
{
	char *got = tu_slurp(path);
	int same = got != NULL && strcmp(got, text) == 0;

	free(got);
	return same;
}

/* How many entries of `dir` have a name starting with ".prefix" and
 * holding ".tmp-" (a staging folder or a temporary file). */
static int staging_in(const char *dir, const char *prefix)
{
	char want[256];
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	snprintf(want, sizeof want, ".%s", prefix);
	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, want, strlen(want)) == 0 && strstr(e->d_name, ".tmp-");
	closedir(d);
	return n;
}

/* The number of entries of `dir` other than "." and "..", -1 when it
 * cannot be read. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static const char *const three[3] = { "recorded-2.385.png", "spectrum.png", "run.json" };

Test(outset, a_new_folder_appears_complete)
{
	char dir[4200], path[4400];
	vpm_outset_t *set;
	size_t i;

	snprintf(dir, sizeof dir, "%s", tu_tmp("fresh"));
	cr_assert_eq(vpm_outset_begin(dir, three, 3, "--outdir", &set), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_str_empty(vpm_error_message());
	/* the staging folder sits beside the folder, which is not there yet */
	cr_assert_eq(staging_in(tu_tmpdir(), "fresh"), 1);
	cr_assert(!tu_exists(dir));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, three[i]);
		cr_assert_str_eq(vpm_outset_final(set, i), path);
		cr_assert(strstr(vpm_outset_path(set, i), "/.fresh.tmp-") != NULL, "%s",
			  vpm_outset_path(set, i));
		write_member(vpm_outset_path(set, i), three[i]);
		cr_assert(!tu_exists(dir), "%s appeared before the swap", dir);
	}
	cr_assert_null(vpm_outset_path(set, 3));
	cr_assert_null(vpm_outset_final(set, 3));
	cr_assert_eq(vpm_outset_commit(set), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(entries(dir), 3);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, three[i]);
		cr_assert(holds(path, three[i]), "%s", path);
	}
	cr_assert_eq(staging_in(tu_tmpdir(), "fresh"), 0);
}

Test(outset, an_existing_folder_keeps_its_other_files)
{
	static const char *const names[2] = { "a.txt", "b.txt" };
	char dir[4200], path[4400];
	vpm_outset_t *set;

	/* a trailing slash, as a user may type it */
	snprintf(dir, sizeof dir, "%s/", tu_tmp("old"));
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%skeep.txt", dir);
	write_plain(path, "kept 7.31\n");
	snprintf(path, sizeof path, "%sa.txt", dir);
	write_plain(path, "previous a\n");
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK, "%s",
		     vpm_error_message());
	/* the staging folder is inside the folder */
	cr_assert_eq(staging_in(dir, "vpmoire-set"), 1);
	cr_assert_str_eq(vpm_outset_final(set, 0), path);
	write_member(vpm_outset_path(set, 0), "new a\n");
	write_member(vpm_outset_path(set, 1), "new b\n");
	cr_assert(holds(path, "previous a\n"), "a.txt replaced before the swap");
	cr_assert_eq(vpm_outset_commit(set), VPM_OK, "%s", vpm_error_message());
	cr_assert(holds(path, "new a\n"));
	snprintf(path, sizeof path, "%sb.txt", dir);
	cr_assert(holds(path, "new b\n"));
	snprintf(path, sizeof path, "%skeep.txt", dir);
	cr_assert(holds(path, "kept 7.31\n"));
	cr_assert_eq(entries(dir), 3, "the backups or the staging folder stayed");
}

Test(outset, an_abort_leaves_the_previous_set_and_no_staging_folder)
{
	static const char *const names[2] = { "a.txt", "b.txt" };
	char dir[4200], fresh[4200], path[4400];
	vpm_outset_t *set;
	vpm_atomic_file_t *f;

	snprintf(dir, sizeof dir, "%s", tu_tmp("kept"));
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/a.txt", dir);
	write_plain(path, "previous a\n");
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "new a\n");
	/* a member half written: its temporary file goes too */
	cr_assert_eq(vpm_atomic_open(vpm_outset_path(set, 1), &f), VPM_OK);
	fputs("half", vpm_atomic_stream(f));
	fflush(vpm_atomic_stream(f));
	vpm_outset_abort(set);
	vpm_atomic_abort(f);
	cr_assert(holds(path, "previous a\n"));
	cr_assert_eq(entries(dir), 1);

	/* a new folder is not made at all */
	snprintf(fresh, sizeof fresh, "%s", tu_tmp("never"));
	cr_assert_eq(vpm_outset_begin(fresh, names, 2, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "new a\n");
	vpm_outset_abort(set);
	cr_assert(!tu_exists(fresh));
	cr_assert_eq(staging_in(tu_tmpdir(), "never"), 0);
	vpm_outset_abort(NULL);
	cr_assert_eq(vpm_outset_commit(NULL), VPM_OK);
}

/* Expect vpm_outset_begin(dir, names, n, label) to fail with `want` and a
 * message holding `says`, and to create nothing. */
static void refused(const char *dir, const char *const *names, size_t n, const char *label,
		    vpm_status_t want, const char *says)
{
	vpm_outset_t *set = (vpm_outset_t *)1;
	vpm_status_t st = vpm_outset_begin(dir, names, n, label, &set);

	cr_assert_eq(st, want, "%s: status %d (%s)", dir, (int)st, vpm_error_message());
	cr_assert_null(set);
	cr_assert(strstr(vpm_error_message(), says) != NULL, "'%s' lacks '%s'", vpm_error_message(),
		  says);
}

Test(outset, bad_names_are_refused)
{
	static const char *const slash[2] = { "ok.png", "sub/x.png" };
	static const char *const hidden[1] = { ".hidden.png" };
	static const char *const empty[1] = { "" };
	static const char *const twice[3] = { "a.png", "b.png", "a.png" };
	char dir[4200];

	snprintf(dir, sizeof dir, "%s", tu_tmp("names"));
	refused(dir, slash, 2, NULL, VPM_EINVAL, "'sub/x.png'");
	refused(dir, hidden, 1, NULL, VPM_EINVAL, "'.hidden.png'");
	refused(dir, empty, 1, NULL, VPM_EINVAL, "output name ''");
	refused(dir, twice, 3, NULL, VPM_EINVAL, "output name 'a.png' is given twice");
	refused(dir, NULL, 2, NULL, VPM_EINVAL, "file names");
	cr_assert(!tu_exists(dir), "a refusal created %s", dir);
	cr_assert_eq(staging_in(tu_tmpdir(), "names"), 0);
}

Test(outset, bad_folders_are_refused_with_the_label)
{
	static const char *const names[2] = { "a.txt", "b.txt" };
	char path[4400], msg[8800];

	refused("", names, 2, "--outdir", VPM_EINVAL, "--outdir: give a directory");
	refused(NULL, names, 2, NULL, VPM_EINVAL, "output directory: give a directory");
	refused(tu_write("afile", "x\n"), names, 2, "--outdir", VPM_EINVAL, ": not a directory");
	snprintf(msg, sizeof msg, "--outdir %s: not a directory", tu_tmp("afile"));
	cr_assert_str_eq(vpm_error_message(), msg);
	/* a path through a regular file cannot be made */
	snprintf(path, sizeof path, "%s/sub", tu_tmp("afile"));
	refused(path, names, 2, "--outdir", VPM_EIO, "--outdir: cannot create");
	/* a missing parent: the staging folder beside it cannot be made */
	snprintf(path, sizeof path, "%s/sub", tu_tmp("missing"));
	refused(path, names, 2, "--outdir", VPM_EIO, "--outdir: cannot create");
	cr_assert(strstr(vpm_error_message(), "No such file or directory") != NULL, "%s",
		  vpm_error_message());
	/* a member that is a directory */
	mkdir(tu_tmp("hasdir"), 0777);
	mkdir(tu_tmp("hasdir/b.txt"), 0777);
	refused(tu_tmp("hasdir"), names, 2, "--outdir", VPM_EINVAL,
		"/hasdir/b.txt is a directory, not an output file");
	cr_assert_eq(entries(tu_tmp("hasdir")), 1);
}

/* A rename of the swap fails after others succeeded (the staged c.txt is
 * gone): VPM_EIO naming the member, every member already moved is put back
 * (or removed when it was new), the signals blocked for the swap are
 * unblocked, and the staging folder with its backups goes. */
Test(outset, a_failed_swap_restores_the_previous_set)
{
	static const char *const names[3] = { "a.txt", "b.txt", "c.txt" };
	char dir[4200], path[4400], msg[8800];
	vpm_outset_t *set;
	sigset_t before, after;

	snprintf(dir, sizeof dir, "%s", tu_tmp("rollback"));
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/a.txt", dir);
	write_plain(path, "previous a\n");
	snprintf(path, sizeof path, "%s/c.txt", dir);
	write_plain(path, "previous c\n");
	cr_assert_eq(vpm_outset_begin(dir, names, 3, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "new a\n");
	write_member(vpm_outset_path(set, 1), "new b\n");
	write_member(vpm_outset_path(set, 2), "new c\n");
	cr_assert_eq(unlink(vpm_outset_path(set, 2)), 0);
	pthread_sigmask(SIG_SETMASK, NULL, &before);
	cr_assert_eq(vpm_outset_commit(set), VPM_EIO);
	snprintf(msg, sizeof msg,
		 "cannot replace %s/c.txt: No such file or directory (the previous files are "
		 "kept)",
		 dir);
	cr_assert_str_eq(vpm_error_message(), msg);
	pthread_sigmask(SIG_SETMASK, NULL, &after);
	cr_assert_eq(sigismember(&after, SIGINT), sigismember(&before, SIGINT));
	cr_assert_eq(sigismember(&after, SIGTERM), sigismember(&before, SIGTERM));
	cr_assert_eq(sigismember(&after, SIGHUP), sigismember(&before, SIGHUP));

	snprintf(path, sizeof path, "%s/a.txt", dir);
	cr_assert(holds(path, "previous a\n"), "a.txt was not put back");
	snprintf(path, sizeof path, "%s/b.txt", dir);
	cr_assert(!tu_exists(path), "b.txt, new in this set, was left");
	snprintf(path, sizeof path, "%s/c.txt", dir);
	cr_assert(holds(path, "previous c\n"));
	cr_assert_eq(entries(dir), 2, "the staging folder or a backup stayed");
}

/* A member's real name that became a folder after the set began fails the
 * swap before any rename: the folder is never moved into the staging
 * folder (which is removed), and the previous set stays. */
Test(outset, a_folder_in_the_way_fails_the_swap)
{
	static const char *const names[2] = { "a.txt", "b.txt" };
	char dir[4200], path[4400], msg[8800];
	vpm_outset_t *set;

	snprintf(dir, sizeof dir, "%s", tu_tmp("inway"));
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/a.txt", dir);
	write_plain(path, "previous a\n");
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "new a\n");
	write_member(vpm_outset_path(set, 1), "new b\n");
	snprintf(path, sizeof path, "%s/b.txt", dir);
	cr_assert_eq(mkdir(path, 0777), 0);
	snprintf(path, sizeof path, "%s/b.txt/inside", dir);
	write_plain(path, "in the way\n");
	cr_assert_eq(vpm_outset_commit(set), VPM_EIO);
	snprintf(msg, sizeof msg, "cannot replace %s/b.txt: Is a directory", dir);
	cr_assert(strncmp(vpm_error_message(), msg, strlen(msg)) == 0, "%s", vpm_error_message());
	snprintf(path, sizeof path, "%s/a.txt", dir);
	cr_assert(holds(path, "previous a\n"));
	snprintf(path, sizeof path, "%s/b.txt/inside", dir);
	cr_assert(holds(path, "in the way\n"));
	cr_assert_eq(entries(dir), 2, "the staging folder stayed");
}

/* A library message naming a member's staging path is reworded to name
 * the real folder, for the new folder and an existing one. */
Test(outset, messages_name_the_real_folder)
{
	static const char *const names[1] = { "x.png" };
	const char *dirs[2];
	vpm_outset_t *set;
	char want[4400];
	int k;

	mkdir(tu_tmp("exists"), 0777);
	dirs[0] = tu_tmp("exists");
	dirs[1] = tu_tmp("notyet");
	for (k = 0; k < 2; k++) {
		cr_assert_eq(vpm_outset_begin(dirs[k], names, 1, NULL, &set), VPM_OK);
		vpm_error_set(VPM_EIO, "cannot write %s: No space left on device",
			      vpm_outset_path(set, 0));
		cr_assert_eq(vpm_outset_error(set, VPM_EIO), VPM_EIO);
		snprintf(want, sizeof want, "cannot write %s/x.png: No space left on device",
			 dirs[k]);
		cr_assert_str_eq(vpm_error_message(), want);
		cr_assert_eq(vpm_outset_error(set, VPM_OK), VPM_OK);
		vpm_outset_abort(set);
	}
	cr_assert(!tu_exists(dirs[1]));
}

/* vpm_atomic_cleanup_signal(), which the program's signal handler calls,
 * removes the temporary files and then the staging folder of the set
 * being written; the set can still be aborted afterwards. */
Test(outset, the_signal_cleanup_removes_the_staging_folder)
{
	static const char *const names[2] = { "done.png", "half.png" };
	char dir[4200];
	vpm_outset_t *set;
	vpm_atomic_file_t *f;

	snprintf(dir, sizeof dir, "%s", tu_tmp("signalled"));
	mkdir(dir, 0777);
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "whole\n");
	cr_assert_eq(vpm_atomic_open(vpm_outset_path(set, 1), &f), VPM_OK);
	cr_assert_eq(staging_in(dir, "vpmoire-set"), 1);
	vpm_atomic_cleanup_signal();
	cr_assert_eq(entries(dir), 0, "the staging folder stayed");
	vpm_atomic_abort(f);
	vpm_outset_abort(set);

	/* after the commit there is nothing to clean: the new set stays */
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK);
	write_member(vpm_outset_path(set, 0), "whole\n");
	write_member(vpm_outset_path(set, 1), "whole too\n");
	cr_assert_eq(vpm_outset_commit(set), VPM_OK);
	vpm_atomic_cleanup_signal();
	cr_assert_eq(entries(dir), 2);
}

/* A member whose real name is a device is written in place, and the
 * device (here a symbolic link to /dev/null) stays as it is. */
Test(outset, a_device_member_is_written_in_place)
{
	static const char *const names[2] = { "sink.png", "file.png" };
	char dir[4200], path[4400];
	vpm_outset_t *set;
	struct stat sb;

	snprintf(dir, sizeof dir, "%s", tu_tmp("device"));
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/sink.png", dir);
	cr_assert_eq(symlink("/dev/null", path), 0);
	cr_assert_eq(vpm_outset_begin(dir, names, 2, NULL, &set), VPM_OK);
	cr_assert_str_eq(vpm_outset_path(set, 0), vpm_outset_final(set, 0));
	cr_assert_str_neq(vpm_outset_path(set, 1), vpm_outset_final(set, 1));
	write_member(vpm_outset_path(set, 0), "into the sink\n");
	write_member(vpm_outset_path(set, 1), "a file\n");
	cr_assert_eq(vpm_outset_commit(set), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(lstat(path, &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "the device link was replaced");
	snprintf(path, sizeof path, "%s/file.png", dir);
	cr_assert(holds(path, "a file\n"));
	cr_assert_eq(entries(dir), 2);
}
