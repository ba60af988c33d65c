/* A set of names by open addressing (linear probing, FNV-1a hash, at most
 * half full). */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "nameset.h"

static unsigned char fold_char(int fold, unsigned char c)
{
	return fold && c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint64_t name_hash(int fold, const char *s)
{
	uint64_t x = 1469598103934665603ULL;

	for (; *s; s++)
		x = (x ^ fold_char(fold, (unsigned char)*s)) * 1099511628211ULL;
	return x;
}

static int name_eq(int fold, const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (fold_char(fold, (unsigned char)*a) != fold_char(fold, (unsigned char)*b))
			return 0;
	return *a == *b;
}

void vpm_nameset_init(vpm_nameset_t *set, int fold)
{
	set->slots = NULL;
	set->cap = 0;
	set->n = 0;
	set->fold = fold;
}

void vpm_nameset_free(vpm_nameset_t *set)
{
	if (set == NULL)
		return;
	free(set->slots);
	vpm_nameset_init(set, set->fold);
}

/* The slot holding `name`, or the empty slot where it would go. */
static vpm_nameset_slot_t *probe(const vpm_nameset_t *set, const char *name)
{
	size_t mask = set->cap - 1, i = (size_t)name_hash(set->fold, name) & mask;

	while (set->slots[i].name != NULL && !name_eq(set->fold, set->slots[i].name, name))
		i = (i + 1) & mask;
	return &set->slots[i];
}

int vpm_nameset_find(const vpm_nameset_t *set, const char *name, size_t *value)
{
	const vpm_nameset_slot_t *s;

	if (set == NULL || set->cap == 0 || name == NULL)
		return 0;
	s = probe(set, name);
	if (s->name == NULL)
		return 0;
	if (value != NULL)
		*value = s->value;
	return 1;
}

static vpm_status_t grow(vpm_nameset_t *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	vpm_nameset_t bigger = { NULL, cap, 0, set->fold };

	if (cap < set->cap || cap > SIZE_MAX / sizeof *bigger.slots)
		return vpm_error(VPM_ENOMEM, "out of memory (name index)");
	bigger.slots = calloc(cap, sizeof *bigger.slots);
	if (bigger.slots == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory (name index)");
	for (i = 0; i < set->cap; i++)
		if (set->slots[i].name != NULL) {
			*probe(&bigger, set->slots[i].name) = set->slots[i];
			bigger.n++;
		}
	free(set->slots);
	*set = bigger;
	return VPM_OK;
}

vpm_status_t vpm_nameset_add(vpm_nameset_t *set, const char *name, size_t value, int *found,
			     size_t *old)
{
	vpm_nameset_slot_t *s;
	vpm_status_t st;

	if (set == NULL || name == NULL)
		return vpm_error(VPM_EINVAL, "name index: NULL argument");
	if (found != NULL)
		*found = 0;
	if (set->cap > 0) {
		s = probe(set, name);
		if (s->name != NULL) {
			if (found != NULL)
				*found = 1;
			if (old != NULL)
				*old = s->value;
			return VPM_OK;
		}
	}
	/* at most half full: probes stay short */
	if (2 * (set->n + 1) > set->cap && (st = grow(set)) != VPM_OK)
		return st;
	s = probe(set, name);
	s->name = name;
	s->value = value;
	set->n++;
	return VPM_OK;
}

void vpm_nameset_set(vpm_nameset_t *set, const char *name, size_t value)
{
	vpm_nameset_slot_t *s;

	if (set == NULL || set->cap == 0 || name == NULL)
		return;
	s = probe(set, name);
	if (s->name != NULL)
		s->value = value;
}

size_t vpm_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[129];

	if (la > 128)
		la = 128;
	if (lb > 128)
		lb = 128;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

int vpm_name_index(const char *text, const char *const *names, int n)
{
	if (text != NULL)
		for (int i = 0; i < n; i++)
			if (strcasecmp(text, names[i]) == 0)
				return i;
	return -1;
}

char *vpm_name_list(const char *const *names, int n, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (int i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					i == 0	     ? ""
					: i == n - 1 ? " or "
						     : ", ",
					names[i]);
	return buf;
}
