/* vpmoire — a set of output files that replaces the previous set as a whole.
 *
 * simulate's folder (recorded.png, stretched.png, spectrum.png,
 * simulate.json) and the shotlist's page images are sets: a reader must
 * find either the whole previous set or the whole new one, never a mix.
 *
 *     vpm_outset_t *set;
 *     if ((st = vpm_outset_begin(dir, names, n, NULL, &set)) != VPM_OK)
 *             return st;
 *     ... write each file to vpm_outset_path(set, i), e.g. with
 *         vpm_png_write() or vpm_atomic_open() ...
 *     on an error: st = vpm_outset_error(set, st); vpm_outset_abort(set);
 *     when all are written: st = vpm_outset_commit(set);
 *
 * Every file is written into a hidden staging folder first (beside DIR
 * when DIR is new, inside it otherwise); nothing under the real names
 * changes until all of them are complete, and the swap either puts the
 * whole new set in place or leaves the previous one whole (lib/outset.c
 * tells how).
 *
 * Signals: the library installs no handler.  vpm_atomic_cleanup_signal()
 * (atomic.h), called from the program's SIGINT/SIGTERM/SIGHUP handler,
 * also removes the staging folder of the set being written.  Install that
 * handler before vpm_outset_begin() and let the thread that writes the set
 * run it (a handler in another thread should pass the signal on to it, as
 * the vpmoire program does).  The signal cleanup covers one set at a time:
 * the first of the sets open together.  vpm_outset_commit() blocks SIGINT,
 * SIGTERM and SIGHUP in the calling thread for the few renames of the swap
 * (pthread_sigmask, restored before it returns), so such a signal ends the
 * program before the swap or after it, never between two renames.
 */
#ifndef VPMOIRE_OUTSET_H
#define VPMOIRE_OUTSET_H

#include <stddef.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vpm_outset vpm_outset_t;

/* Start a set of `n` files named names[0..n-1] in directory `dir`, which
 * is created (one level) when missing.  The names are plain file names:
 * not empty, no '/', not starting with '.', all different (VPM_EINVAL
 * otherwise).  `label` names the directory's origin at the start of the
 * messages ("--outdir" gives "--outdir: give a directory"); NULL reads
 * "output directory".  Makes the staging folder.  Statuses: VPM_EINVAL
 * (`dir` empty or not a directory, a member's real name is a directory,
 * a bad name), VPM_EIO (`dir` cannot be made or written in: the message
 * gives the system's reason), VPM_ENOMEM.  *out receives the set, NULL on
 * failure; vpm_outset_commit() or vpm_outset_abort() frees it. */
vpm_status_t vpm_outset_begin(const char *dir, const char *const *names, size_t n,
			      const char *label, vpm_outset_t **out);

/* Where to write member i now: inside the staging folder, or the real
 * name itself for an existing device or pipe (/dev/null, a FIFO), which is
 * written in place as single outputs are (atomic.h).  NULL when i is out
 * of range.  Owned by the set. */
const char *vpm_outset_path(const vpm_outset_t *set, size_t i);

/* Member i's real name (DIR/NAME), for messages and listings.  NULL when
 * i is out of range.  Owned by the set. */
const char *vpm_outset_final(const vpm_outset_t *set, size_t i);

/* For a failure while writing a member: reword this thread's error message
 * (vpm_error_message()) so that it names the real directory where it
 * names the staging folder ("cannot write out/.vpmoire-set.tmp-Ab12Cd/x.png:
 * ..." becomes "cannot write out/x.png: ..."), and return `st` unchanged.
 * The set stays open: vpm_outset_abort() it. */
vpm_status_t vpm_outset_error(const vpm_outset_t *set, vpm_status_t st);

/* Swap the complete set in and free `set`, whatever happens.  VPM_EIO when
 * a rename fails ("cannot replace DIR/NAME: REASON (the previous files are
 * kept)"): every member already moved is moved back, so the previous set
 * stays whole, and the staging folder is removed.  NULL is a no-op
 * (VPM_OK). */
vpm_status_t vpm_outset_commit(vpm_outset_t *set);

/* Give up: remove the staging folder and all in it, free `set`; the
 * previous set is untouched.  NULL is a no-op. */
void vpm_outset_abort(vpm_outset_t *set);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_OUTSET_H */
