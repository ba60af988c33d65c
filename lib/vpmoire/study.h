/* vpmoire — a sweep study as flags: study files and the study they build.
 *
 * A study file (`vpmoire sweep @study.args`) is a list of sweep flags, one
 * per line ("--wall 1.5m:8m:0.1m" or "--wall=1.5m:8m:0.1m"), with blank
 * lines and '#' comments; a value may be quoted once ('...' or "...").
 * vpm_study_args_read() turns it into an argv-like list whose every item
 * remembers where it came from ("study.args:3:8"), for messages.
 *
 * vpm_study_build() turns the flags, once parsed (vpm_study_spec_t: the
 * texts as given), into the vpm_sweep_study_t of sweep.h: it resolves the
 * catalog selections (vpm_catalog_select()), parses the axes, applies the
 * raw equipment numbers to every entry, and writes the study's canonical
 * command line (its description, hashed into the study's identity).
 */
#ifndef VPMOIRE_STUDY_H
#define VPMOIRE_STUDY_H

#include <stdint.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/status.h"
#include "vpmoire/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ study files */

/* An argument list: argv[argc] is NULL; origin[i] is "file:line:column" for
 * an item read from a study file and NULL for one given directly.  The
 * fields after `origin` are private. */
typedef struct {
	int argc;
	char **argv;
	char **origin;
	int cap;
	char **own; /* private: strings owned by the list */
	size_t n_own, cap_own;
} vpm_study_args_t;

/* Longest line of a study file, in bytes. */
#define VPM_STUDY_LINE_MAX 65536

/* Append `arg` (not copied: it must outlive the list) with `origin` (NULL,
 * or a string that must outlive it).  VPM_ENOMEM, VPM_EINVAL (NULL). */
vpm_status_t vpm_study_args_push(vpm_study_args_t *args, char *arg, char *origin);

/* Read the study file `fp` (called `name` in messages) and append its
 * flags to `args`: a line "--flag value" gives two items, "--flag" one,
 * each with origin "name:line:column".  Reading stops at the first bad
 * line, so neither a gigabyte line nor `@/dev/zero` is held in memory:
 * VPM_EPARSE "name:L:C: expected a flag such as --wall 1.5m:8m:0.1m (one
 * per line)" for a line not starting with '-', "name:L: NUL byte: not a
 * text file"; VPM_ELIMIT "name:L: line longer than 65536 bytes"; VPM_EPARSE
 * "@name: cannot read the study file" on a read error (bad input,
 * as the file is); VPM_ENOMEM.  The
 * items read before an error stay in `args`. */
vpm_status_t vpm_study_args_read(vpm_study_args_t *args, FILE *fp, const char *name);

/* The list of `argc` arguments `argv` (which must outlive it) with every
 * "@FILE" after the first read in its place (vpm_study_args_read()); "@"
 * alone is an argument.  `args` is reset first.  A study file that does not
 * exist is bad input: VPM_ENOTFOUND "@FILE: cannot read the study file:
 * REASON", as is a directory: VPM_EINVAL "@FILE is a directory, not a study
 * file"; VPM_EIO (the same message) when the system cannot open it; the
 * statuses of vpm_study_args_read().  On failure the list holds the
 * arguments before the error; free it either way. */
vpm_status_t vpm_study_args_expand(vpm_study_args_t *args, int argc, char **argv);

/* Release the list's memory and zero it; a zeroed list is fine. */
void vpm_study_args_free(vpm_study_args_t *args);

/* ------------------------------------------------------------ the study */

/* One flag of a study as given: its text (NULL when not given) and where
 * it came from ("study.args:3:8", NULL for the command line). */
typedef struct {
	const char *text;
	const char *origin;
} vpm_study_flag_t;

/* A study's flags, before anything is checked.  Strings are borrowed and
 * must outlive the built study. */
typedef struct {
	/* catalog selections for vpm_catalog_select(), NULL when not given */
	const char *panels, *cameras, *lenses;
	vpm_study_flag_t stop; /* a list, or "lens", "lens-thirds"; NULL: 2.8 */
	vpm_study_flag_t wall, gap, focus, roll, recording, delivery;
	vpm_study_flag_t focus_rule;	/* "subject", "back-of-dof" or "wall" */
	vpm_study_flag_t subject_depth; /* a length, 0 allowed (default 0) */
	vpm_setup_t raw;		/* equipment numbers and viewer settings */
	unsigned raw_given;		/* VPM_RAW_* bits of the numbers given in raw */
	const char *const *catalogs;	/* extra catalog files, for the description */
	size_t n_catalogs;
	uint64_t max_setups; /* vpm_sweep_study_t.max_setups */
	/* private: the selections vpm_study_spec_set() joined */
	char *own[3];
	size_t own_n[3], own_cap[3];
} vpm_study_spec_t;

/* An empty spec: no flags, vpm_setup_default() as raw. */
vpm_study_spec_t vpm_study_spec_default(void);

/* Set the study flag `name` (as spelt after "--") from `flag` (text and
 * origin borrowed: they must outlive the built study).  The selections
 * "panels", "cameras", "lenses" (also "panel", "camera", "lens") add up,
 * comma-joined, in memory the spec owns; "stop", "wall", "subject-gap",
 * "subject-depth", "focus-rule", "focus", "roll", "recording-px" and
 * "delivery-px" take the last value (checked by vpm_study_build());
 * "max-setups" is read at once: a whole number from 1 to 1e18, such as
 * 5e9, else VPM_EPARSE "[origin: ]--max-setups: expected a whole number of
 * set-ups, e.g. 5e9".  VPM_ENOTFOUND when `name` is no study flag (the
 * spec unchanged), VPM_ENOMEM, VPM_EINVAL (NULL). */
vpm_status_t vpm_study_spec_set(vpm_study_spec_t *spec, const char *name, vpm_study_flag_t flag);

/* Release the memory vpm_study_spec_set() took (after the study built
 * from the spec is freed) and forget the selections; a default spec is
 * fine. */
void vpm_study_spec_free(vpm_study_spec_t *spec);

typedef struct vpm_study vpm_study_t;

/* Build the study of `spec` from catalog `cat`.  The rules: --wall is
 * required; --focus (fixed distances) excludes --focus-rule, and both
 * --focus and --focus-rule wall exclude --subject-gap and --subject-depth;
 * without a panel selection the raw pitch and emitter make one unnamed
 * panel, without cameras the raw photosite and width, without lenses the
 * raw focal length (which excludes a lens selection); raw numbers override
 * every selected panel and camera.  Errors, each with a one-line message:
 * VPM_EINVAL for flags that do not go together or a missing one (the
 * message is the advice alone, e.g. "--wall is required (camera to wall,
 * e.g. --wall 1.5m:8m:0.1m)", or "--panels: empty name in 'a,'"),
 * VPM_EPARSE / VPM_ERANGE for an axis, a focus rule or a subject depth
 * that does not parse ("[origin: ]--wall: message"), VPM_ENOTFOUND for a selection naming no
 * entry, or several ("--lenses: unknown lens ..."), VPM_ENOMEM.  *out is
 * NULL on failure; release it with vpm_study_free(). */
vpm_status_t vpm_study_build(const vpm_study_spec_t *spec, const vpm_catalog_t *cat,
			     vpm_study_t **out);

/* The study for vpm_sweep_alloc() (owned by `study`). */
const vpm_sweep_study_t *vpm_study_sweep(const vpm_study_t *study);

/* The study's canonical command line, e.g. "--panels a,b --cameras c ...
 * --risky-at 0.05": every flag in one fixed order, catalog selections as
 * the names they resolved to, numbers "%.10g", values quoted for a POSIX
 * shell when needed.  Owned by `study`. */
const char *vpm_study_description(const vpm_study_t *study);

void vpm_study_free(vpm_study_t *study); /* NULL is a no-op */

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_STUDY_H */
