/* A set of names with a number each (an index into the caller's array), by
 * open addressing: finding or adding a name costs O(1) on average, so the
 * duplicate-name checks of the readers (catalog rows, shotlist ids) are
 * linear in the rows, not quadratic.  Private to the library.
 *
 * The set keeps pointers to the names, not copies: they must stay valid
 * (and unchanged) while in the set. */
#ifndef VPM_NAMESET_H
#define VPM_NAMESET_H

#include <stddef.h>
#include <stdint.h>

#include "vpmoire/status.h"

typedef struct {
	const char *name;
	size_t value;
} vpm_nameset_slot_t;

typedef struct {
	vpm_nameset_slot_t *slots; /* NULL name: empty */
	size_t cap, n;		   /* cap is 0 or a power of two */
	int fold;		   /* ASCII case folded, as strcasecmp() in the C locale */
} vpm_nameset_t;

/* An empty set; `fold` 1 makes "P1" and "p1" one name. */
void vpm_nameset_init(vpm_nameset_t *set, int fold);

/* Free the table (not the names); the set is empty again. */
void vpm_nameset_free(vpm_nameset_t *set);

/* Is `name` in the set?  1 (and its value in *value, may be NULL) or 0. */
int vpm_nameset_find(const vpm_nameset_t *set, const char *name, size_t *value);

/* Add `name` with `value` unless it is there already.  *found (may be
 * NULL) is set to 1 when it was, with the earlier value in *old (may be
 * NULL), the set unchanged; 0 when added.  VPM_ENOMEM. */
vpm_status_t vpm_nameset_add(vpm_nameset_t *set, const char *name, size_t value, int *found,
			     size_t *old);

/* Replace the value of a name in the set (no-op when absent). */
void vpm_nameset_set(vpm_nameset_t *set, const char *name, size_t value);

/* The position of `text` among names[0..n-1], ASCII case-insensitive (as
 * the small enums' parsers take their names), or -1; NULL text gives -1. */
int vpm_name_index(const char *text, const char *const *names, int n);

/* names[0..n-1] as words: "a", "a or b", "a, b or c"; cut to `size`.
 * Returns `buf`. */
char *vpm_name_list(const char *const *names, int n, char *buf, size_t size);

/* Levenshtein distance between two names (insertions, deletions and
 * substitutions, each 1), over their first 128 bytes: the "did you mean"
 * suggestions of catalog names and stage keys. */
size_t vpm_edit_distance(const char *a, const char *b);

#endif
