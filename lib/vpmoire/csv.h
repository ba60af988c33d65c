/* vpmoire — a strict, small CSV reader (RFC 4180 plus what spreadsheets do).
 *
 * Quoted fields may hold commas, doubled quotes and line breaks; a quote in
 * the middle of an unquoted field is literal (so 11'6" needs no quoting).
 * A UTF-8 byte-order mark and CRLF line ends are accepted; blank lines are
 * skipped; with VPM_CSV_COMMENTS, lines starting with '#' are skipped too.
 * Unquoted fields lose leading and trailing blanks.  Invalid UTF-8 and
 * records longer than the limit are errors that name line and column.
 */
#ifndef VPMOIRE_CSV_H
#define VPMOIRE_CSV_H

#include <stddef.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct vpm_csv vpm_csv_t;

enum {
	VPM_CSV_COMMENTS = 1u << 0 /* skip lines whose first byte is '#' */
};

/* Default longest record, in bytes. */
#define VPM_CSV_MAX_RECORD (1u << 20)

/* One record.  Field texts are NUL-terminated and owned by the reader; they
 * stay valid until the next vpm_csv_next() or vpm_csv_close(). */
typedef struct {
	size_t n;	   /* number of fields */
	char **field;	   /* field texts */
	const int *column; /* 1-based column (in characters) where each field starts */
	long line;	   /* 1-based line where the record starts */
} vpm_csv_row_t;

/* Open a file.  `path` "-" is not special.  VPM_ENOTFOUND (no such file),
 * VPM_EIO (message names the file and the system error), VPM_EINVAL (a
 * directory) or VPM_ENOMEM.  *out is NULL on failure. */
vpm_status_t vpm_csv_open(const char *path, unsigned flags, vpm_csv_t **out);

/* Read from memory (not copied: keep `data` alive).  `name` is used in
 * messages in place of a file name. */
vpm_status_t vpm_csv_open_memory(const char *name, const char *data, size_t len, unsigned flags,
				 vpm_csv_t **out);

/* Set the longest record accepted (bytes); default VPM_CSV_MAX_RECORD. */
void vpm_csv_set_max_record(vpm_csv_t *csv, size_t bytes);

/* Read the next record into *row.  At the end of input returns VPM_OK with
 * *eof set to 1.  Errors: VPM_EPARSE ("name:line:col: ..."), VPM_ELIMIT
 * (record too long), VPM_EIO, VPM_ENOMEM. */
vpm_status_t vpm_csv_next(vpm_csv_t *csv, vpm_csv_row_t *row, int *eof);

/* The name given at open (file path). */
const char *vpm_csv_name(const vpm_csv_t *csv);

/* Close and free; NULL is a no-op. */
void vpm_csv_close(vpm_csv_t *csv);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_CSV_H */
