/* A set of output files swapped in as a whole (see outset.h).
 *
 * Design.  Every member is written into a hidden staging folder made with
 * the mode of any new folder (0777 less the umask); the library writes
 * each file there atomically (lib/atomic.c) as it would anywhere.  All the
 * work that can fail for want of space or a file-size limit happens here,
 * before anything under the real names changes: a full disk midway leaves
 * the previous set exactly as it was, and the staging folder is removed.
 *
 * The swap, once every member is complete:
 *
 *   - DIR did not exist: the staging folder was made beside it
 *     (PARENT/.DIR.tmp-XXXXXX) and one rename(2) puts the whole folder in
 *     place.  Atomic: DIR appears complete or not at all, also for SIGKILL.
 *
 *   - DIR exists (it may hold other files, and may be the current
 *     directory, so it is never renamed or exchanged itself): the staging
 *     folder is made inside it (DIR/.vpmoire-set.tmp-XXXXXX, so on the same
 *     file system even when DIR is a mount point).  Only this set's files
 *     are replaced; other files in DIR are left alone.  Each previous
 *     member is first hard-linked into the staging folder as a backup (on a
 *     file system without hard links it is moved there just before its
 *     replacement instead), then each new member is renamed over its real
 *     name.  If a rename fails, every member already moved is put back from
 *     its backup (or removed when it had none), so the previous set is again
 *     complete, and the command exits 1.  SIGINT, SIGTERM and SIGHUP are
 *     blocked for the few renames of the swap, so such a signal ends the
 *     command before the swap (old set, staging removed) or after it (new
 *     set), never between two renames.  Only SIGKILL (or a power cut) in
 *     those microseconds can leave part of each set, with the staging
 *     folder and its backups kept, as with any other SIGKILL midway.
 *
 * A member whose real name is an existing device or pipe (/dev/null, a
 * FIFO) is written in place, as single outputs are: it has no previous
 * version to keep.  A signal while the set is being written removes the
 * staging folder (the handler below runs before the program's own, which
 * removes the library's temporary files). */
#include <config.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "outset.h"

struct cli_outset {
	char *dir;     /* as given, for messages */
	char *staging; /* the staging folder */
	int fresh;     /* DIR did not exist: rename the staging folder onto it */
	size_t n;
	char **tmp;		/* where member i is written: staging/NAME, or its real name */
	char **final;		/* DIR/NAME */
	char **backup;		/* staging/.old-NAME */
	unsigned char *special; /* written in place (device, pipe) */
};

/* ------------------------------------------------------------ signals */

static const int set_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIGS (sizeof set_sigs / sizeof set_sigs[0])
static struct sigaction prev_action[NSIGS];
static int installed;
static pthread_t set_main_thread;
/* The set being written, for the handler; NULL outside begin … commit. */
static cli_outset_t *_Atomic active_set;

/* Remove what the set wrote so far (async-signal-safe: unlink and rmdir
 * on paths that were complete before the set was published). */
static void remove_staging_from_handler(const cli_outset_t *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		if (!set->special[i])
			unlink(set->tmp[i]);
	rmdir(set->staging);
}

static void on_signal(int sig)
{
	size_t k;

	/* only the main thread writes; the program's handler passes a signal
	 * caught by a worker thread on to it */
	if (pthread_equal(pthread_self(), set_main_thread)) {
		cli_outset_t *set = atomic_load(&active_set);
		if (set != NULL) {
			vpm_atomic_cleanup_signal(); /* the files being written first */
			remove_staging_from_handler(set);
		}
	}
	for (k = 0; k < NSIGS; k++)
		if (set_sigs[k] == sig)
			break;
	if (k < NSIGS && prev_action[k].sa_handler != SIG_DFL &&
	    prev_action[k].sa_handler != SIG_IGN) {
		prev_action[k].sa_handler(sig);
		return;
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;
	size_t k;

	if (installed)
		return;
	cli_install_signal_cleanup();
	set_main_thread = pthread_self();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (k = 0; k < NSIGS; k++)
		sigaddset(&sa.sa_mask, set_sigs[k]);
	sa.sa_flags = SA_RESTART;
	for (k = 0; k < NSIGS; k++)
		sigaction(set_sigs[k], &sa, &prev_action[k]);
	installed = 1;
}

/* ------------------------------------------------------------ helpers */

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "",
			 name);
	return p;
}

/* Make the staging folder set->staging, whose last six characters are
 * replaced by a random suffix (in the member paths too) until mkdir
 * succeeds.  The set is published to the handler before the folder exists,
 * so no signal finds it unlisted. */
static int make_staging(cli_outset_t *set)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long long counter;
	char *x = set->staging + strlen(set->staging) - 6;
	struct timespec ts;
	unsigned long long r;
	size_t k, len = strlen(set->staging);
	int tries, i;

	clock_gettime(CLOCK_REALTIME, &ts);
	r = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 24) ^
	    ((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)set;
	for (tries = 0; tries < 1000; tries++) {
		unsigned long long z;

		r += 0x9e3779b97f4a7c15ULL * ++counter;
		z = (r ^ (r >> 31)) * 0xd6e8feb86659fd93ULL;
		z ^= z >> 29;
		for (i = 0; i < 6; i++, z /= 62)
			x[i] = digits[z % 62];
		/* the member paths start with the staging folder's */
		for (k = 0; k < set->n; k++) {
			if (!set->special[k])
				memcpy(set->tmp[k], set->staging, len);
			memcpy(set->backup[k], set->staging, len);
		}
		atomic_store(&active_set, set);
		if (mkdir(set->staging, 0777) == 0)
			return 0;
		atomic_store(&active_set, NULL);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static void set_free(cli_outset_t *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++) {
		if (set->tmp != NULL && (set->special == NULL || !set->special[i]))
			free(set->tmp[i]);
		if (set->final != NULL)
			free(set->final[i]);
		if (set->backup != NULL)
			free(set->backup[i]);
	}
	free(set->tmp);
	free(set->final);
	free(set->backup);
	free(set->special);
	free(set->staging);
	free(set->dir);
	free(set);
}

/* ------------------------------------------------------------ API */

int cli_outset_begin(const char *flag, const char *dir, const char *const *names, size_t n,
		     cli_outset_t **out)
{
	cli_outset_t *set;
	struct stat sb;
	size_t i, len;

	*out = NULL;
	if (dir == NULL || dir[0] == '\0')
		return cli_fail(EXIT_USAGE, "%s: give a directory", flag);
	for (i = 0; i < n; i++)
		if (names[i][0] == '\0' || names[i][0] == '.' || strchr(names[i], '/') != NULL)
			return cli_fail(EXIT_RUNTIME, "internal error: output name '%s'", names[i]);
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return cli_fail(EXIT_USAGE, "%s %s: not a directory", flag, dir);
	} else if (errno != ENOENT) {
		/* e.g. a path through a regular file: ENOTDIR */
		return cli_fail(EXIT_RUNTIME, "%s: cannot create %s: %s", flag, dir,
				strerror(errno));
	}
	set = calloc(1, sizeof *set);
	if (set == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");
	set->fresh = stat(dir, &sb) != 0;
	set->n = n;
	set->dir = strdup(dir);
	set->tmp = calloc(n + 1, sizeof *set->tmp);
	set->final = calloc(n + 1, sizeof *set->final);
	set->backup = calloc(n + 1, sizeof *set->backup);
	set->special = calloc(n + 1, 1);
	/* DIR without its trailing slashes: the staging folder of a new DIR is
	 * PARENT/.BASE.tmp-XXXXXX */
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (set->dir != NULL)
		set->dir[len] = '\0';
	if (set->dir != NULL) {
		size_t sz = len + 64;
		set->staging = malloc(sz);
		if (set->staging != NULL) {
			if (!set->fresh) {
				snprintf(set->staging, sz, "%s%s.vpmoire-set.tmp-XXXXXX", set->dir,
					 set->dir[len - 1] == '/' ? "" : "/");
			} else {
				const char *slash = strrchr(set->dir, '/');
				if (slash == NULL)
					snprintf(set->staging, sz, ".%s.tmp-XXXXXX", set->dir);
				else
					snprintf(set->staging, sz, "%.*s.%s.tmp-XXXXXX",
						 (int)(slash - set->dir + 1), set->dir, slash + 1);
			}
		}
	}
	if (set->dir == NULL || set->staging == NULL || set->tmp == NULL || set->final == NULL ||
	    set->backup == NULL || set->special == NULL) {
		set_free(set);
		return cli_fail(EXIT_RUNTIME, "out of memory");
	}
	for (i = 0; i < n; i++) {
		char old[300];

		snprintf(old, sizeof old, ".old-%s", names[i]);
		set->final[i] = join(dir, names[i]);
		set->backup[i] = join(set->staging, old);
		if (set->final[i] == NULL || set->backup[i] == NULL) {
			set_free(set);
			return cli_fail(EXIT_RUNTIME, "out of memory");
		}
		if (!set->fresh && stat(set->final[i], &sb) == 0) {
			if (S_ISDIR(sb.st_mode)) {
				int rc = cli_fail(EXIT_USAGE,
						  "%s: %s is a directory, not an output file", flag,
						  set->final[i]);
				set_free(set);
				return rc;
			}
			set->special[i] = !S_ISREG(sb.st_mode);
		}
		set->tmp[i] = set->special[i] ? set->final[i] : join(set->staging, names[i]);
		if (set->tmp[i] == NULL) {
			set_free(set);
			return cli_fail(EXIT_RUNTIME, "out of memory");
		}
	}
	install_handlers();
	if (make_staging(set) != 0) {
		int e = errno;
		/* the staging folder sits in DIR or beside it: its failure is
		 * DIR's (ENOENT for a missing parent, EACCES, EROFS) */
		set_free(set);
		return cli_fail(EXIT_RUNTIME, "%s: cannot %s %s: %s", flag,
				stat(dir, &sb) == 0 ? "write in" : "create", dir, strerror(e));
	}
	/* the handler reads the paths above; they are complete now */
	*out = set;
	return 0;
}

const char *cli_outset_path(const cli_outset_t *set, size_t i)
{
	return set != NULL && i < set->n ? set->tmp[i] : NULL;
}

const char *cli_outset_final(const cli_outset_t *set, size_t i)
{
	return set != NULL && i < set->n ? set->final[i] : NULL;
}

/* Empty the staging folder (ours alone: anything in it goes) and remove it. */
static void remove_staging(const cli_outset_t *set)
{
	DIR *d = opendir(set->staging);
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *p;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if ((p = join(set->staging, e->d_name)) != NULL) {
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	rmdir(set->staging);
}

void cli_outset_abort(cli_outset_t *set)
{
	if (set == NULL)
		return;
	remove_staging(set);
	atomic_store(&active_set, NULL);
	set_free(set);
}

int cli_outset_fail(cli_outset_t *set, vpm_status_t st)
{
	const char *msg = vpm_error_message();
	char buf[4096];
	size_t k = 0, sl = set ? strlen(set->staging) : 0;

	/* "cannot write DIR/.vpmoire-set.tmp-Ab12Cd/x.png" → "DIR/x.png" */
	while (*msg != '\0' && k + 1 < sizeof buf) {
		if (sl > 0 && strncmp(msg, set->staging, sl) == 0) {
			size_t dl = strlen(set->dir);
			if (k + dl + 1 >= sizeof buf)
				break;
			memcpy(buf + k, set->dir, dl);
			k += dl;
			msg += sl;
		} else {
			buf[k++] = *msg++;
		}
	}
	buf[k] = '\0';
	return cli_fail(cli_exit_code(st), "%s", buf);
}

/* Put members [0, done) back as they were before the swap. */
static void roll_back(const cli_outset_t *set, const unsigned char *had_old, size_t done)
{
	while (done-- > 0) {
		if (set->special[done])
			continue;
		if (had_old[done])
			rename(set->backup[done], set->final[done]);
		else
			unlink(set->final[done]);
	}
}

int cli_outset_commit(cli_outset_t *set)
{
	sigset_t block, saved;
	unsigned char *had_old, *aside;
	size_t i, done = 0;
	int e = 0, rc = 0, moved = 0;
	const char *failed = NULL;
	struct stat sb;

	if (set == NULL)
		return 0;
	sigemptyset(&block);
	for (i = 0; i < NSIGS; i++)
		sigaddset(&block, set_sigs[i]);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	if (set->fresh) {
		if (rename(set->staging, set->dir) == 0) {
			moved = 1;
			goto done;
		}
		if (errno != EEXIST && errno != ENOTEMPTY) {
			e = errno;
			failed = set->dir;
			goto fail;
		}
		/* DIR appeared meanwhile: replace the members one by one */
	}
	had_old = calloc(set->n + 1, 1);
	aside = calloc(set->n + 1, 1);
	if (had_old == NULL || aside == NULL) {
		free(had_old);
		free(aside);
		e = ENOMEM;
		failed = set->dir;
		goto fail;
	}
	/* backups first: no real name changes until each previous member is
	 * kept under a second name */
	for (i = 0; i < set->n; i++) {
		if (set->special[i] || lstat(set->final[i], &sb) != 0)
			continue;
		had_old[i] = 1;
		if (link(set->final[i], set->backup[i]) != 0)
			aside[i] = 1; /* no hard links here: moved aside just before */
	}
	for (i = 0; i < set->n && e == 0; i++) {
		if (set->special[i])
			continue;
		if (aside[i] && rename(set->final[i], set->backup[i]) != 0) {
			e = errno;
			failed = set->final[i];
			break;
		}
		if (rename(set->tmp[i], set->final[i]) != 0) {
			e = errno;
			failed = set->final[i];
			if (aside[i])
				rename(set->backup[i], set->final[i]);
			break;
		}
		done = i + 1;
	}
	if (e != 0)
		roll_back(set, had_old, done);
	free(had_old);
	free(aside);
	if (e != 0)
		goto fail;
done:
	if (!moved)
		remove_staging(set); /* the backups */
	atomic_store(&active_set, NULL);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	set_free(set);
	return rc;
fail:
	rc = cli_fail(EXIT_RUNTIME, "cannot replace %s: %s (the previous files are kept)", failed,
		      strerror(e));
	remove_staging(set);
	atomic_store(&active_set, NULL);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	set_free(set);
	return rc;
}
