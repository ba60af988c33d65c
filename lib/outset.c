/* A set of output files swapped in as a whole (vpmoire/outset.h).
 *
 * Design.  Every member is written into a hidden staging folder made with
 * the mode of any new folder (0777 less the umask); the caller writes
 * each file there atomically (lib/atomic.c) as it would anywhere.  All the
 * work that can fail for want of space or a file-size limit happens there,
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
 *     complete, and the commit fails with VPM_EIO.  SIGINT, SIGTERM and
 *     SIGHUP are blocked for the few renames of the swap, so such a signal
 *     ends the program before the swap (old set, staging removed) or after
 *     it (new set), never between two renames.  Only SIGKILL (or a power
 *     cut) in those microseconds can leave part of each set, with the
 *     staging folder and its backups kept, as with any other SIGKILL
 *     midway.
 *
 * A member whose real name is an existing device or pipe (/dev/null, a
 * FIFO) is written in place, as single outputs are: it has no previous
 * version to keep.  A signal while the set is being written removes the
 * staging folder: the set is published (active_set below) to
 * vpm_atomic_cleanup_signal(), which the program's handler calls; it
 * removes the library's temporary files first, then the staging folder. */
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

#include "error.h"
#include "nameset.h"
#include "outset_private.h"
#include "vpmoire/outset.h"

struct vpm_outset {
	char *dir;     /* as given, without trailing slashes, for messages */
	char *staging; /* the staging folder */
	int fresh;     /* DIR did not exist: rename the staging folder onto it */
	size_t n;
	char **tmp;		/* where member i is written: staging/NAME, or its real name */
	char **final;		/* DIR/NAME */
	char **backup;		/* staging/.old-NAME */
	unsigned char *special; /* written in place (device, pipe) */
};

/* ------------------------------------------------------------ signals */

/* The set being written, for the signal cleanup; NULL outside begin …
 * commit.  One set at a time: the first of those open together. */
static vpm_outset_t *_Atomic active_set;

static void publish(vpm_outset_t *set)
{
	vpm_outset_t *none = NULL;

	atomic_compare_exchange_strong(&active_set, &none, set);
}

static void unpublish(vpm_outset_t *set)
{
	atomic_compare_exchange_strong(&active_set, &set, NULL);
}

void vpm_outset_cleanup_signal(void)
{
	const vpm_outset_t *set = atomic_load(&active_set);
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		if (!set->special[i])
			unlink(set->tmp[i]);
	rmdir(set->staging);
}

/* The signals held off during the swap. */
static void swap_signals(sigset_t *s)
{
	sigemptyset(s);
	sigaddset(s, SIGINT);
	sigaddset(s, SIGTERM);
	sigaddset(s, SIGHUP);
}

/* ------------------------------------------------------------ helpers */

static char *join(const char *dir, const char *prefix, const char *name)
{
	size_t n = strlen(dir) + strlen(prefix) + strlen(name) + 2;
	char *p = malloc(n);

	if (p != NULL)
		snprintf(p, n, "%s%s%s%s", dir, dir[0] && dir[strlen(dir) - 1] != '/' ? "/" : "",
			 prefix, name);
	return p;
}

/* Make the staging folder set->staging, whose last six characters are
 * replaced by a random suffix (in the member paths too) until mkdir
 * succeeds.  The set is published to the signal cleanup before the folder
 * exists, so no signal finds it unlisted. */
static int make_staging(vpm_outset_t *set)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static _Atomic unsigned long long counter;
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

		r += 0x9e3779b97f4a7c15ULL * (atomic_fetch_add(&counter, 1) + 1);
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
		publish(set);
		if (mkdir(set->staging, 0777) == 0)
			return 0;
		unpublish(set);
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

static void set_free(vpm_outset_t *set)
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

/* Plain, different file names: VPM_EINVAL naming the first bad one. */
static vpm_status_t check_names(const char *const *names, size_t n)
{
	vpm_nameset_t seen;
	vpm_status_t st = VPM_OK;
	size_t i;
	int dup;

	if (n > 0 && names == NULL)
		return vpm_error(VPM_EINVAL, "an output set needs its file names");
	for (i = 0; i < n; i++)
		if (names[i] == NULL || names[i][0] == '\0' || names[i][0] == '.' ||
		    strchr(names[i], '/') != NULL)
			return vpm_error(VPM_EINVAL,
					 "output name '%s': a plain file name is needed (no '/', "
					 "not starting with '.')",
					 names[i] ? names[i] : "");
	vpm_nameset_init(&seen, 0);
	for (i = 0; i < n && st == VPM_OK; i++) {
		if ((st = vpm_nameset_add(&seen, names[i], i, &dup, NULL)) != VPM_OK)
			break;
		if (dup)
			st = vpm_error(VPM_EINVAL, "output name '%s' is given twice", names[i]);
	}
	vpm_nameset_free(&seen);
	return st;
}

/* Empty the staging folder (ours alone: anything in it goes) and remove it. */
static void remove_staging(const vpm_outset_t *set)
{
	DIR *d = opendir(set->staging);
	struct dirent *e;

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			char *p;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if ((p = join(set->staging, "", e->d_name)) != NULL) {
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	rmdir(set->staging);
}

/* ------------------------------------------------------------ API */

VPM_STATUS_FN(vpm_outset_begin,
	      (const char *dir, const char *const *names, size_t n, const char *label,
	       vpm_outset_t **out),
	      (dir, names, n, label, out))
{
	vpm_outset_t *set;
	struct stat sb;
	vpm_status_t st;
	size_t i, len;

	if (out == NULL)
		return vpm_error(VPM_EINVAL, "vpm_outset_begin: no place for the set");
	*out = NULL;
	if (label == NULL)
		label = "output directory";
	if (dir == NULL || dir[0] == '\0')
		return vpm_error(VPM_EINVAL, "%s: give a directory", label);
	if ((st = check_names(names, n)) != VPM_OK)
		return st;
	if (stat(dir, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode))
			return vpm_error(VPM_EINVAL, "%s %s: not a directory", label, dir);
	} else if (errno != ENOENT) {
		/* e.g. a path through a regular file: ENOTDIR */
		return vpm_error(VPM_EIO, "%s: cannot create %s: %s", label, dir, strerror(errno));
	}
	set = calloc(1, sizeof *set);
	if (set == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
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
	if (set->dir != NULL) {
		size_t sz = len + 64;

		set->dir[len] = '\0';
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
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		set->final[i] = join(dir, "", names[i]);
		set->backup[i] = join(set->staging, ".old-", names[i]);
		if (set->final[i] == NULL || set->backup[i] == NULL) {
			set_free(set);
			return vpm_error(VPM_ENOMEM, "out of memory");
		}
		if (!set->fresh && stat(set->final[i], &sb) == 0) {
			if (S_ISDIR(sb.st_mode)) {
				st = vpm_error(VPM_EINVAL,
					       "%s: %s is a directory, not an output file", label,
					       set->final[i]);
				set_free(set);
				return st;
			}
			set->special[i] = !S_ISREG(sb.st_mode);
		}
		set->tmp[i] = set->special[i] ? set->final[i] : join(set->staging, "", names[i]);
		if (set->tmp[i] == NULL) {
			set_free(set);
			return vpm_error(VPM_ENOMEM, "out of memory");
		}
	}
	if (make_staging(set) != 0) {
		int e = errno;
		/* the staging folder sits in DIR or beside it: its failure is
		 * DIR's (ENOENT for a missing parent, EACCES, EROFS) */
		set_free(set);
		return vpm_error(VPM_EIO, "%s: cannot %s %s: %s", label,
				 stat(dir, &sb) == 0 ? "write in" : "create", dir, strerror(e));
	}
	/* the signal cleanup reads the paths above; they are complete now */
	*out = set;
	return VPM_OK;
}

const char *vpm_outset_path(const vpm_outset_t *set, size_t i)
{
	return set != NULL && i < set->n ? set->tmp[i] : NULL;
}

const char *vpm_outset_final(const vpm_outset_t *set, size_t i)
{
	return set != NULL && i < set->n ? set->final[i] : NULL;
}

void vpm_outset_abort(vpm_outset_t *set)
{
	if (set == NULL)
		return;
	remove_staging(set);
	unpublish(set);
	set_free(set);
}

vpm_status_t vpm_outset_error(const vpm_outset_t *set, vpm_status_t st)
{
	const char *msg = vpm_error_message();
	char buf[4096];
	size_t k = 0, sl = set != NULL ? strlen(set->staging) : 0;

	if (st == VPM_OK || sl == 0)
		return st;
	/* "cannot write DIR/.vpmoire-set.tmp-Ab12Cd/x.png" → "DIR/x.png" */
	while (*msg != '\0' && k + 1 < sizeof buf) {
		if (strncmp(msg, set->staging, sl) == 0) {
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
	return vpm_error(st, "%s", buf);
}

/* Put members [0, done) back as they were before the swap. */
static void roll_back(const vpm_outset_t *set, const unsigned char *had_old, size_t done)
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

/* Rename the members over their real names, each previous one kept as a
 * backup first; on a failure put back those already moved.  0, or the
 * errno with *failed set to the name that could not be replaced. */
static int swap_members(const vpm_outset_t *set, const char **failed)
{
	unsigned char *had_old = calloc(set->n + 1, 1), *aside = calloc(set->n + 1, 1);
	struct stat sb;
	size_t i, done = 0;
	int e = 0;

	if (had_old == NULL || aside == NULL) {
		free(had_old);
		free(aside);
		*failed = set->dir;
		return ENOMEM;
	}
	/* backups first: no real name changes until each previous member is
	 * kept under a second name */
	for (i = 0; i < set->n; i++) {
		if (set->special[i] || lstat(set->final[i], &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			/* made since vpm_outset_begin(): never move a folder
			 * aside into the staging folder, which is removed */
			e = EISDIR;
			*failed = set->final[i];
			break;
		}
		had_old[i] = 1;
		if (link(set->final[i], set->backup[i]) != 0)
			aside[i] = 1; /* no hard links here: moved aside just before */
	}
	for (i = 0; i < set->n && e == 0; i++) {
		if (set->special[i])
			continue;
		if (aside[i] && rename(set->final[i], set->backup[i]) != 0) {
			e = errno;
			*failed = set->final[i];
			break;
		}
		if (rename(set->tmp[i], set->final[i]) != 0) {
			e = errno;
			*failed = set->final[i];
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
	return e;
}

VPM_STATUS_FN(vpm_outset_commit, (vpm_outset_t * set), (set))
{
	sigset_t block, saved;
	vpm_status_t st = VPM_OK;
	const char *failed = NULL;
	int e = 0, moved = 0;

	if (set == NULL)
		return VPM_OK;
	swap_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &saved);
	if (set->fresh) {
		if (rename(set->staging, set->dir) == 0)
			moved = 1;
		else if (errno != EEXIST && errno != ENOTEMPTY) {
			e = errno;
			failed = set->dir;
		}
		/* else DIR appeared meanwhile: replace the members one by one */
	}
	if (!moved && e == 0)
		e = swap_members(set, &failed);
	if (e != 0)
		st = vpm_error(VPM_EIO, "cannot replace %s: %s (the previous files are kept)",
			       failed, strerror(e));
	if (!moved)
		remove_staging(set); /* the backups, or the new set after a failure */
	unpublish(set);
	pthread_sigmask(SIG_SETMASK, &saved, NULL);
	set_free(set);
	return st;
}
