/* vpmoire — files that appear whole or not at all.
 *
 * Output is written to a hidden temporary file beside the destination
 * (".NAME.tmp-XXXXXX") and renamed over it only when every byte has been
 * written and flushed to disk, so a full disk, an error or a killed process
 * never leaves a half-written output under the real name.
 */
#ifndef VPMOIRE_ATOMIC_H
#define VPMOIRE_ATOMIC_H

#include <stdio.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vpm_atomic_file vpm_atomic_file_t;

/* Create the temporary file for `path`.  VPM_EIO (unwritable directory,
 * message names it), VPM_ENOMEM.  *out is NULL on failure. */
vpm_status_t vpm_atomic_open(const char *path, vpm_atomic_file_t **out);

/* The open stream to write to, and the temporary file's path (for writers
 * such as cairo that want a file name; close nothing yourself). */
FILE *vpm_atomic_stream(vpm_atomic_file_t *f);
const char *vpm_atomic_tmp_path(const vpm_atomic_file_t *f);

/* Flush, sync and rename over the destination; frees `f` whatever
 * happens.  On any write error the temporary file is removed and VPM_EIO
 * returned with the system's reason ("No space left on device"). */
vpm_status_t vpm_atomic_commit(vpm_atomic_file_t *f);

/* Give up: remove the temporary file and free `f`.  NULL is a no-op. */
void vpm_atomic_abort(vpm_atomic_file_t *f);

/* Remove every temporary file still open in this process, then the
 * staging folder of the output set being written (outset.h), if any.
 * Only async-signal-safe calls: meant for a SIGINT/SIGTERM/SIGHUP handler,
 * the one place a program hooks the library's clean-up into its signals
 * (the library installs no handler). */
void vpm_atomic_cleanup_signal(void);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_ATOMIC_H */
