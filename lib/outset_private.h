/* Private: the output set's part of the signal cleanup (lib/outset.c). */
#ifndef VPM_OUTSET_PRIVATE_H
#define VPM_OUTSET_PRIVATE_H

/* Remove what the set being written (if any) has in its staging folder,
 * and the folder.  Only async-signal-safe calls (unlink, rmdir on paths
 * complete before the set was published); vpm_atomic_cleanup_signal()
 * calls it after removing the atomic temporary files, which may lie in
 * the staging folder. */
void vpm_outset_cleanup_signal(void);

#endif
