/* Test-only preload library for tests/test_faults.c: stop the process
 * (SIGSTOP) just before it renames a finished temporary file onto the name
 * given in VPM_TEST_STOP_RENAME, so that the test can kill it at the one
 * moment that matters — the new output is complete on disk under its
 * temporary name and the real name must still hold the previous file.
 * A name with a '/' in it is matched against the end of the target path at
 * a '/' (or the whole path): "out/recorded.png" stops on the swap of a set
 * of files into out/, not on the rename of recorded.png inside the set's
 * staging folder (out/.vpmoire-set.tmp-XXXXXX/recorded.png).
 *
 * Loaded with LD_PRELOAD; every other rename(2) passes straight through.
 * Never installed, never linked into the library or the program. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rename(const char *from, const char *to);

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

int rename(const char *from, const char *to)
{
	int (*next)(const char *, const char *);
	const char *want = getenv("VPM_TEST_STOP_RENAME");

	*(void **)&next = dlsym(RTLD_NEXT, "rename");
	if (next == NULL) {
		errno = ENOSYS;
		return -1;
	}
	if (want != NULL && to != NULL && strchr(want, '/') == NULL &&
	    strcmp(base_name(to), want) == 0)
		raise(SIGSTOP);
	if (want != NULL && to != NULL && strchr(want, '/') != NULL) {
		size_t nt = strlen(to), nw = strlen(want);
		if (nt >= nw && strcmp(to + nt - nw, want) == 0 &&
		    (nt == nw || to[nt - nw - 1] == '/'))
			raise(SIGSTOP);
	}
	return next(from, to);
}
