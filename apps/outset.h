/* vpmoire program: a set of output files that replaces the previous set
 * as a whole (simulate's folder, the shotlist's page images; issue 14).
 *
 *     cli_outset_t *set;
 *     if ((rc = cli_outset_begin("--outdir", dir, names, n, &set)) != 0)
 *             return rc;
 *     ... write each file to cli_outset_path(set, i) ...
 *     on an error: cli_outset_abort(set);   (the previous set is untouched)
 *     when all are written: rc = cli_outset_commit(set);
 *
 * Every file is written into a hidden staging folder first; nothing under
 * the real names changes until all of them are complete.  See outset.c for
 * how the staging folder is swapped in and what a failure leaves. */
#ifndef VPM_APP_OUTSET_H
#define VPM_APP_OUTSET_H

#include <stddef.h>

#include "vpmoire/vpmoire.h"

typedef struct cli_outset cli_outset_t;

/* Start a set of `n` files named names[0..n-1] (plain file names: no '/',
 * not starting with '.', all different) in directory `dir`, which is
 * created (one level) when missing.  `flag` names the option in messages
 * ("--outdir").  Installs the signal cleanup (cli_install_signal_cleanup
 * and the staging folder's own), so a SIGINT/SIGTERM/SIGHUP from now on
 * removes the staging folder.  Prints the error and returns the exit code
 * (2 when `dir` or a member is not something a file can be written to, 1
 * when the folder cannot be made); 0 with *out set. */
int cli_outset_begin(const char *flag, const char *dir, const char *const *names, size_t n,
		     cli_outset_t **out);

/* Where to write member i now: inside the staging folder, or the real
 * name itself for an existing device or pipe (/dev/null, a FIFO), which is
 * written in place as single outputs are (lib/atomic.c). */
const char *cli_outset_path(const cli_outset_t *set, size_t i);

/* The member's real name (DIR/NAME), for messages and listings. */
const char *cli_outset_final(const cli_outset_t *set, size_t i);

/* Report a library failure while writing the set: the message with the
 * staging folder's name replaced by the real directory, one line; returns
 * the exit code.  The set stays open: cli_outset_abort() it. */
int cli_outset_fail(cli_outset_t *set, vpm_status_t st);

/* Swap the complete set in and free `set`.  Prints the error and returns 1
 * when it cannot (every file already moved is moved back, so the previous
 * set stays whole); 0 on success. */
int cli_outset_commit(cli_outset_t *set);

/* Remove the staging folder and all in it, free `set`; NULL is a no-op. */
void cli_outset_abort(cli_outset_t *set);

#endif
