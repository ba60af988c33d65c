/* A string arena: strings copied into large chunks, freed all at once.
 * Private to the library (catalog and shotlist keep their names here). */
#ifndef VPM_ARENA_H
#define VPM_ARENA_H

#include <stddef.h>

struct vpm_arena {
	struct vpm_arena *next;
	size_t used, size;
	char data[];
};
typedef struct vpm_arena vpm_arena_t;

/* A copy of s in the arena *arena (a new chunk is pushed when needed; start
 * with NULL), or NULL when out of memory. */
char *vpm_arena_strdup(vpm_arena_t **arena, const char *s);

/* Free every chunk. */
void vpm_arena_free(vpm_arena_t *arena);

/* Move every chunk of `from` onto *to. */
void vpm_arena_splice(vpm_arena_t **to, vpm_arena_t *from);

#endif
