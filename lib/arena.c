/* String arena (lib/arena.h). */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define CHUNK 16384

char *vpm_arena_strdup(vpm_arena_t **arena, const char *s)
{
	size_t n = strlen(s) + 1;
	vpm_arena_t *c = *arena;

	if (c == NULL || c->size - c->used < n) {
		size_t size = n > CHUNK ? n : CHUNK;
		c = malloc(sizeof *c + size);
		if (c == NULL)
			return NULL;
		c->used = 0;
		c->size = size;
		c->next = *arena;
		*arena = c;
	}
	memcpy(c->data + c->used, s, n);
	c->used += n;
	return c->data + c->used - n;
}

void vpm_arena_free(vpm_arena_t *c)
{
	while (c != NULL) {
		vpm_arena_t *next = c->next;
		free(c);
		c = next;
	}
}

void vpm_arena_splice(vpm_arena_t **to, vpm_arena_t *from)
{
	vpm_arena_t *last = from;

	if (from == NULL)
		return;
	while (last->next != NULL)
		last = last->next;
	last->next = *to;
	*to = from;
}
