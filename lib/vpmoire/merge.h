/* vpmoire — joining the shards of a sweep (`vpmoire sweep --shard I/N`)
 * into the CSV a single run would have written, byte for byte.
 *
 * Shard I holds set-ups I, I+N, I+2N, ... in order, so merged row g is the
 * next row of shard g mod N.  Rows are copied as lines, unchanged; each
 * shard's first line (the study), "# shard I/N" line, header and row count
 * are checked before anything is trusted.  The caller opens the parts and
 * the output; messages name the parts by the names it gives.
 */
#ifndef VPMOIRE_MERGE_H
#define VPMOIRE_MERGE_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest line a merge reads (a row is a few hundred bytes, the first line
 * a study's flags); anything longer is not a sweep. */
#define VPM_MERGE_LINE_MAX (1 << 20)

typedef struct vpm_sweep_merge vpm_sweep_merge_t;

/* A merge of `nparts` parts.  VPM_EINVAL (0 parts), VPM_ENOMEM. */
vpm_status_t vpm_sweep_merge_alloc(size_t nparts, vpm_sweep_merge_t **out);

/* Free the merge; the parts' streams are the caller's to close.  NULL is a
 * no-op. */
void vpm_sweep_merge_free(vpm_sweep_merge_t *m);

/* Add the next part, `fp` read from its start (`name` for messages, both
 * must outlive the merge), and read its first three lines: the study line
 * (the same as the first part's, else "NAME:1:1: another study than FIRST
 * (what differs)"), the shard line and the CSV header (the same as the
 * first part's).  VPM_EPARSE for a line that is not what it should be,
 * VPM_ELIMIT for a line longer than VPM_MERGE_LINE_MAX, VPM_EIO for a read
 * error, VPM_EINVAL for more parts than allocated, VPM_ENOMEM. */
vpm_status_t vpm_sweep_merge_add(vpm_sweep_merge_t *m, FILE *fp, const char *name);

/* After every part is added: each shard of one N exactly once.
 * VPM_EPARSE "shard 1/3 is missing (2 of 3 parts given)", "A and B are both
 * shard 0/3", "A is shard 0/2 but B is of 3 shards"; VPM_ENOMEM. */
vpm_status_t vpm_sweep_merge_check(vpm_sweep_merge_t *m);

/* Write the merged CSV to `out` (`out_name` for messages): the first line,
 * the header, then every row, taken from the parts in turn.  VPM_EPARSE for
 * an incomplete part, a torn or malformed row (another field count than the
 * header's) or a part with rows to spare; VPM_EIO for a read or write
 * error ("cannot write OUT_NAME: reason").  On failure `out` holds a
 * prefix of the result: write it to a temporary file. */
vpm_status_t vpm_sweep_merge_write(vpm_sweep_merge_t *m, FILE *out, const char *out_name);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_MERGE_H */
