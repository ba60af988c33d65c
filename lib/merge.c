/* Joining the shards of a sweep (vpmoire/merge.h). */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "vpmoire/merge.h"
#include "vpmoire/sweep.h"

typedef struct {
	const char *name;
	FILE *fp;
	vpm_sweep_shard_t shard;
	uint64_t rows, expect;
	long line;
} part_t;

struct vpm_sweep_merge {
	part_t *parts, **by_index;
	size_t nparts, added;
	char *first, *head, *line; /* study line, header; the line buffer */
	size_t cap, head_commas;
	uint64_t total; /* set-ups of the study */
};

/* Read one line (with its '\n') of at most VPM_MERGE_LINE_MAX bytes into
 * m->line; 1 for a line, 0 at end of file, -1 on a torn last line, -2 for
 * a line too long, -3 for a NUL byte (a binary file), -4 on a read error
 * or out of memory. */
static int read_line(vpm_sweep_merge_t *m, part_t *p, size_t *len)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = getc_unlocked(p->fp); /* one thread reads each part */
		if (c == EOF)
			break;
		if (n + 2 > m->cap) {
			size_t nc = m->cap ? m->cap * 2 : 4096;
			char *nb;
			if (nc > VPM_MERGE_LINE_MAX + 2)
				nc = VPM_MERGE_LINE_MAX + 2;
			if (n + 2 > nc) {
				p->line++;
				return -2;
			}
			nb = realloc(m->line, nc);
			if (nb == NULL)
				return -4;
			m->line = nb;
			m->cap = nc;
		}
		if (c == '\0') {
			p->line++;
			return -3;
		}
		m->line[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (ferror(p->fp))
		return -4;
	*len = n;
	if (n == 0)
		return 0;
	m->line[n] = '\0';
	p->line++;
	return m->line[n - 1] != '\n' ? -1 : 1;
}

/* The error for a line a merge cannot take (read_line() below -1). */
static vpm_status_t bad_line(const part_t *p, int r)
{
	switch (r) {
	case -2:
		return vpm_error(VPM_ELIMIT,
				 "%s:%ld: line longer than %d bytes: not a vpmoire sweep", p->name,
				 p->line, VPM_MERGE_LINE_MAX);
	case -3:
		return vpm_error(VPM_EPARSE, "%s:%ld: NUL byte: not a text file", p->name, p->line);
	default: return vpm_error(VPM_EIO, "%s: read error: %s", p->name, strerror(errno));
	}
}

static size_t commas(const char *s, size_t n)
{
	size_t c = 0, i;

	for (i = 0; i < n; i++)
		c += s[i] == ',';
	return c;
}

VPM_STATUS_FN(vpm_sweep_merge_alloc, (size_t nparts, vpm_sweep_merge_t **out), (nparts, out))
{
	vpm_sweep_merge_t *m;

	if (out != NULL)
		*out = NULL;
	if (out == NULL || nparts == 0)
		return vpm_error(VPM_EINVAL, "give the shard files to join");
	if ((m = calloc(1, sizeof *m)) == NULL ||
	    (m->parts = calloc(nparts, sizeof *m->parts)) == NULL) {
		free(m);
		return vpm_error(VPM_ENOMEM, "out of memory");
	}
	m->nparts = nparts;
	*out = m;
	return VPM_OK;
}

void vpm_sweep_merge_free(vpm_sweep_merge_t *m)
{
	if (m == NULL)
		return;
	free(m->parts);
	free(m->by_index);
	free(m->first);
	free(m->head);
	free(m->line);
	free(m);
}

VPM_STATUS_FN(vpm_sweep_merge_add, (vpm_sweep_merge_t * m, FILE *fp, const char *name),
	      (m, fp, name))
{
	part_t *p;
	size_t len = 0;
	uint64_t total = 0;
	int r;

	if (m == NULL || fp == NULL || name == NULL || m->added == m->nparts)
		return vpm_error(VPM_EINVAL, "merge: more parts than announced");
	p = &m->parts[m->added++];
	p->name = name;
	p->fp = fp;
	/* the study line: every part's the same */
	if ((r = read_line(m, p, &len)) < -1)
		return bad_line(p, r);
	if (r <= 0)
		return vpm_error(VPM_EPARSE, "%s:1:1: empty: not a vpmoire sweep", name);
	if (vpm_sweep_comment_parse(m->line, &total) != VPM_OK)
		return vpm_error_prefix(VPM_EPARSE, "%s:1:1", name);
	if (m->first == NULL) {
		if ((m->first = strdup(m->line)) == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		m->total = total;
	} else if (strcmp(m->first, m->line) != 0) {
		const char *what = vpm_sweep_comment_differs(m->first, m->line);
		return vpm_error(VPM_EPARSE, "%s:1:1: another study than %s (%s)", name,
				 m->parts[0].name, what ? what : "their first lines differ");
	}
	/* "# shard I/N" */
	if ((r = read_line(m, p, &len)) < -1)
		return bad_line(p, r);
	if (r <= 0 || strncmp(m->line, "# shard ", 8) != 0)
		return vpm_error(VPM_EPARSE,
				 "%s:2:1: not a shard: expected '# shard I/N' (written by "
				 "'vpmoire sweep --shard I/N' with N > 1)",
				 name);
	m->line[len - 1] = '\0';
	if (vpm_sweep_shard_parse(m->line + 8, &p->shard) != VPM_OK)
		return vpm_error_prefix(VPM_EPARSE, "%s:2:9", name);
	p->expect = vpm_sweep_shard_rows(m->total, p->shard);
	/* the CSV header */
	if ((r = read_line(m, p, &len)) < -1)
		return bad_line(p, r);
	if (r <= 0)
		return vpm_error(VPM_EPARSE, "%s:3:1: the CSV header is missing", name);
	if (m->head == NULL) {
		if ((m->head = strdup(m->line)) == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		m->head_commas = commas(m->line, len);
	} else if (strcmp(m->head, m->line) != 0) {
		return vpm_error(VPM_EPARSE, "%s:3:1: its header differs from %s's", name,
				 m->parts[0].name);
	}
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_merge_check, (vpm_sweep_merge_t * m), (m))
{
	uint64_t count, g;
	size_t i;

	if (m == NULL || m->added != m->nparts)
		return vpm_error(VPM_EINVAL, "merge: not every part was added");
	count = m->parts[0].shard.count;
	/* every part of the same N (a shard of another N named first) */
	if ((uint64_t)m->nparts != count)
		for (i = 0; i < m->nparts; i++)
			if (m->parts[i].shard.count != count)
				return vpm_error(VPM_EPARSE,
						 "%s is shard %" PRIu64 "/%" PRIu64
						 " but %s is of %" PRIu64 " shards",
						 m->parts[i].name, m->parts[i].shard.index,
						 m->parts[i].shard.count, m->parts[0].name, count);
	free(m->by_index);
	if ((m->by_index = calloc((size_t)count, sizeof *m->by_index)) == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	for (i = 0; i < m->nparts; i++) {
		part_t *p = &m->parts[i];
		if (p->shard.count != count)
			return vpm_error(VPM_EPARSE,
					 "%s is shard %" PRIu64 "/%" PRIu64 " but %s is of %" PRIu64
					 " shards",
					 p->name, p->shard.index, p->shard.count, m->parts[0].name,
					 count);
		if (m->by_index[p->shard.index] != NULL)
			return vpm_error(VPM_EPARSE,
					 "%s and %s are both shard %" PRIu64 "/%" PRIu64,
					 m->by_index[p->shard.index]->name, p->name, p->shard.index,
					 count);
		m->by_index[p->shard.index] = p;
	}
	for (g = 0; g < count; g++)
		if (m->by_index[g] == NULL)
			return vpm_error(VPM_EPARSE,
					 "shard %" PRIu64 "/%" PRIu64 " is missing (%zu of %" PRIu64
					 " parts given)",
					 g, count, m->nparts, count);
	return VPM_OK;
}

VPM_STATUS_FN(vpm_sweep_merge_write, (vpm_sweep_merge_t * m, FILE *out, const char *out_name),
	      (m, out, out_name))
{
	uint64_t count, g;
	size_t i, len = 0;
	int r;

	if (m == NULL || out == NULL || out_name == NULL || m->by_index == NULL)
		return vpm_error(VPM_EINVAL, "merge: check the parts before writing");
	count = m->parts[0].shard.count;
	fputs(m->first, out);
	fputs(m->head, out);
	for (g = 0; g < m->total; g++) {
		part_t *p = m->by_index[g % count];
		if ((r = read_line(m, p, &len)) < -1)
			return bad_line(p, r);
		if (r == 0)
			return vpm_error(
				VPM_EPARSE,
				"%s: %" PRIu64 " rows, %" PRIu64 " expected: the shard is "
				"incomplete (rerun it, with --resume if it was interrupted)",
				p->name, p->rows, p->expect);
		if (r < 0 || commas(m->line, len) != m->head_commas)
			return vpm_error(VPM_EPARSE,
					 "%s:%ld:1: a torn or malformed row (%zu fields, %zu "
					 "expected)",
					 p->name, p->line, commas(m->line, len) + 1,
					 m->head_commas + 1);
		p->rows++;
		if (fwrite(m->line, 1, len, out) != len)
			return vpm_error(VPM_EIO, "cannot write %s: %s", out_name, strerror(errno));
	}
	for (i = 0; i < m->nparts; i++) {
		part_t *p = &m->parts[i];
		if ((r = read_line(m, p, &len)) < -1)
			return bad_line(p, r);
		if (r != 0)
			return vpm_error(VPM_EPARSE,
					 "%s:%ld:1: more rows than shard %" PRIu64 "/%" PRIu64
					 " of %" PRIu64 " set-ups has",
					 p->name, p->line, p->shard.index, p->shard.count,
					 m->total);
		if (ferror(p->fp))
			return vpm_error(VPM_EIO, "%s: read error", p->name);
	}
	return VPM_OK;
}
