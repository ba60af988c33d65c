/* Atomic outputs: temporary file beside the destination, then rename(2). */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
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
#include "outset_private.h"
#include "vpmoire/atomic.h"

struct vpm_atomic_file {
	char *path;
	char *tmp;
	FILE *fp;
	int slot;
	int direct; /* writing straight into a device or pipe */
};

/* Temporary paths registered for the signal handler: a fixed table of
 * fixed buffers, so the handler touches no allocator. */
#define SLOTS 16
#define SLOT_PATH 4096
static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_used[SLOTS];

static int slot_take(const char *tmp)
{
	int i;

	if (strlen(tmp) >= SLOT_PATH)
		return -1;
	for (i = 0; i < SLOTS; i++)
		if (!slot_used[i]) {
			strcpy(slot_path[i], tmp);
			/* the path is complete before the handler may read it */
			atomic_thread_fence(memory_order_seq_cst);
			slot_used[i] = 1;
			return i;
		}
	return -1;
}

static void slot_release(int i)
{
	if (i >= 0)
		slot_used[i] = 0;
}

/* Create the temporary file: `tmp` ends in "XXXXXX", replaced by a random
 * suffix.  The name is registered for the signal handler BEFORE the file
 * exists, so a SIGINT/SIGTERM at any moment (in any thread: OpenMP workers
 * take signals too) finds it; mkstemp() would create first and leave a
 * window.  The mode is 0666 less the umask, as for any output.  Returns
 * the descriptor (slot in *slot, -1 when the table is full) or -1 with
 * errno set. */
static int create_tmp(char *tmp, int *slot)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned long counter;
	char *x = tmp + strlen(tmp) - 6;
	struct timespec ts;
	unsigned long long r;
	int tries, i, fd;

	clock_gettime(CLOCK_REALTIME, &ts);
	r = (unsigned long long)ts.tv_nsec ^ ((unsigned long long)ts.tv_sec << 20) ^
	    ((unsigned long long)getpid() << 40) ^ (unsigned long long)(uintptr_t)tmp;
	for (tries = 0; tries < 1000; tries++) {
		r += 0x9e3779b97f4a7c15ULL * (++counter); /* splitmix64 step */
		{
			unsigned long long z = r;
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			z ^= z >> 31;
			for (i = 0; i < 6; i++, z /= 62)
				x[i] = digits[z % 62];
		}
		*slot = slot_take(tmp);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0)
			return fd;
		{
			int e = errno;
			slot_release(*slot);
			*slot = -1;
			errno = e;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

void vpm_atomic_cleanup_signal(void)
{
	int i;

	for (i = 0; i < SLOTS; i++)
		if (slot_used[i])
			unlink(slot_path[i]);
	/* then the output set's staging folder, which the files above may be
	 * in (lib/outset.c) */
	vpm_outset_cleanup_signal();
}

VPM_STATUS_FN(vpm_atomic_open, (const char *path, vpm_atomic_file_t **out), (path, out))
{
	vpm_atomic_file_t *f;
	const char *slash, *base;
	size_t dirlen, n;
	int fd;

	if (out == NULL || path == NULL || path[0] == '\0')
		return vpm_error(VPM_EINVAL, "no output file given");
	*out = NULL;
	f = calloc(1, sizeof *f);
	if (f == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	f->slot = -1;
	f->path = strdup(path);
	slash = strrchr(path, '/');
	base = slash ? slash + 1 : path;
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	n = dirlen + strlen(base) + 16;
	f->tmp = malloc(n);
	if (f->path == NULL || f->tmp == NULL) {
		vpm_atomic_abort(f);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	f->tmp[0] = '\0'; /* nothing to remove until mkstemp made it */
	if (base[0] == '\0') {
		vpm_atomic_abort(f);
		return vpm_error(VPM_EINVAL, "%s: an output file name is needed, not a directory",
				 path);
	}
	{
		/* A device or pipe (/dev/stdout, /dev/full, a FIFO) is written in
		 * place: renaming over it would replace the device node. */
		struct stat sb;
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			vpm_atomic_abort(f);
			return vpm_error(VPM_EINVAL, "%s is a directory, not an output file", path);
		}
		if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			f->fp = fopen(path, "wb");
			if (f->fp == NULL) {
				int e = errno;
				f->tmp[0] = '\0';
				vpm_atomic_abort(f);
				return vpm_error(VPM_EIO, "cannot write %s: %s", path, strerror(e));
			}
			strcpy(f->tmp, path);
			f->direct = 1;
			*out = f;
			return VPM_OK;
		}
	}
	snprintf(f->tmp, n, "%.*s.%s.tmp-XXXXXX", (int)dirlen, path, base);
	fd = create_tmp(f->tmp, &f->slot);
	if (fd < 0) {
		int e = errno;
		char dir[4096];
		snprintf(dir, sizeof dir, "%.*s", dirlen ? (int)dirlen : 1, dirlen ? path : ".");
		f->tmp[0] = '\0';
		vpm_atomic_abort(f);
		return vpm_error(VPM_EIO, "cannot write %s: %s (directory %s)", path, strerror(e),
				 dir);
	}
	f->fp = fdopen(fd, "wb");
	if (f->fp == NULL) {
		int e = errno;
		close(fd);
		vpm_atomic_abort(f);
		return vpm_error(VPM_EIO, "cannot write %s: %s", path, strerror(e));
	}
	*out = f;
	return VPM_OK;
}

FILE *vpm_atomic_stream(vpm_atomic_file_t *f)
{
	return f ? f->fp : NULL;
}

const char *vpm_atomic_tmp_path(const vpm_atomic_file_t *f)
{
	return f ? f->tmp : NULL;
}

VPM_STATUS_FN(vpm_atomic_commit, (vpm_atomic_file_t * f), (f))
{
	int e = 0;

	if (f == NULL)
		return vpm_error(VPM_EINVAL, "no output file");
	if (fflush(f->fp) != 0 || ferror(f->fp))
		e = errno ? errno : EIO;
#ifdef HAVE_FSYNC
	if (e == 0 && !f->direct && fsync(fileno(f->fp)) != 0 && errno != EINVAL && errno != EROFS)
		e = errno;
#endif
	if (fclose(f->fp) != 0 && e == 0)
		e = errno ? errno : EIO;
	f->fp = NULL;
	if (e == 0 && !f->direct && rename(f->tmp, f->path) != 0)
		e = errno;
	if (e != 0) {
		vpm_status_t st = vpm_error(VPM_EIO, "cannot write %s: %s", f->path, strerror(e));
		vpm_atomic_abort(f);
		return st;
	}
	slot_release(f->slot);
	f->tmp[0] = '\0';
	vpm_atomic_abort(f);
	return VPM_OK;
}

void vpm_atomic_abort(vpm_atomic_file_t *f)
{
	if (f == NULL)
		return;
	if (f->fp != NULL)
		fclose(f->fp);
	if (f->tmp != NULL && f->tmp[0] != '\0' && !f->direct)
		unlink(f->tmp);
	slot_release(f->slot);
	free(f->tmp);
	free(f->path);
	free(f);
}
