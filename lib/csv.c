/* A strict CSV reader: RFC 4180 quoting, BOM, CRLF, comments, UTF-8 checks. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "vpmoire/csv.h"

struct vpm_csv {
	char *name;
	FILE *fp;		  /* file source, or NULL */
	const unsigned char *mem; /* memory source */
	size_t mem_len, mem_pos;
	unsigned flags;
	size_t max_record;
	long line;    /* current line, 1-based */
	int col;      /* current column in characters, 1-based */
	int at_start; /* nothing read yet: look for a BOM */
	int peeked;   /* one byte of look-ahead, or -2 for none */
	/* record storage */
	char *buf;
	size_t buf_len, buf_cap;
	size_t *starts; /* offset of each field in buf */
	int *cols;
	char **fields;
	size_t nf, nf_cap;
};

static int raw_get(vpm_csv_t *c)
{
	if (c->fp != NULL)
		return getc(c->fp);
	if (c->mem_pos < c->mem_len)
		return c->mem[c->mem_pos++];
	return EOF;
}

static int get(vpm_csv_t *c)
{
	int ch;

	if (c->peeked != -2) {
		ch = c->peeked;
		c->peeked = -2;
		return ch;
	}
	return raw_get(c);
}

static int peek(vpm_csv_t *c)
{
	if (c->peeked == -2)
		c->peeked = raw_get(c);
	return c->peeked;
}

static vpm_status_t open_common(const char *name, unsigned flags, vpm_csv_t **out)
{
	vpm_csv_t *c = calloc(1, sizeof *c);

	*out = NULL;
	if (c == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory opening %s", name);
	c->name = strdup(name);
	if (c->name == NULL) {
		free(c);
		return vpm_error(VPM_ENOMEM, "out of memory opening %s", name);
	}
	c->flags = flags;
	c->max_record = VPM_CSV_MAX_RECORD;
	c->line = 1;
	c->col = 1;
	c->at_start = 1;
	c->peeked = -2;
	*out = c;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_csv_open, (const char *path, unsigned flags, vpm_csv_t **out), (path, flags, out))
{
	vpm_status_t st;
	vpm_csv_t *c;

	if (path == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "no CSV file given");
	st = open_common(path, flags, &c);
	if (st != VPM_OK)
		return st;
	c->fp = fopen(path, "rb");
	if (c->fp == NULL) {
		int e = errno;
		vpm_csv_close(c);
		*out = NULL;
		return vpm_error_open(path, e);
	}
	{
		/* a directory opens but cannot be read: bad input, said as such
		 * (not "empty file", not a read error) */
		struct stat sb;
		if (fstat(fileno(c->fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			vpm_csv_close(c);
			*out = NULL;
			return vpm_error(VPM_EINVAL, "%s is a directory, not a CSV file", path);
		}
	}
	*out = c;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_csv_open_memory,
	      (const char *name, const char *data, size_t len, unsigned flags, vpm_csv_t **out),
	      (name, data, len, flags, out))
{
	vpm_status_t st;

	if (name == NULL || out == NULL || (data == NULL && len > 0))
		return vpm_error(VPM_EINVAL, "no CSV data given");
	st = open_common(name, flags, out);
	if (st != VPM_OK)
		return st;
	(*out)->mem = (const unsigned char *)data;
	(*out)->mem_len = len;
	return VPM_OK;
}

void vpm_csv_set_max_record(vpm_csv_t *csv, size_t bytes)
{
	if (csv != NULL && bytes > 0)
		csv->max_record = bytes;
}

const char *vpm_csv_name(const vpm_csv_t *csv)
{
	return csv != NULL ? csv->name : "";
}

void vpm_csv_close(vpm_csv_t *csv)
{
	if (csv == NULL)
		return;
	if (csv->fp != NULL)
		fclose(csv->fp);
	free(csv->name);
	free(csv->buf);
	free(csv->starts);
	free(csv->cols);
	free(csv->fields);
	free(csv);
}

static vpm_status_t put(vpm_csv_t *c, int ch)
{
	if (c->buf_len + 1 >= c->buf_cap) {
		size_t cap = c->buf_cap ? 2 * c->buf_cap : 256;
		char *nb;
		if (c->buf_len >= c->max_record)
			return vpm_error(VPM_ELIMIT, "%s:%ld: record longer than %zu bytes",
					 c->name, c->line, c->max_record);
		if (cap > c->max_record + 2)
			cap = c->max_record + 2;
		nb = realloc(c->buf, cap);
		if (nb == NULL)
			return vpm_error(VPM_ENOMEM, "%s:%ld: out of memory", c->name, c->line);
		c->buf = nb;
		c->buf_cap = cap;
	}
	c->buf[c->buf_len++] = (char)ch;
	return VPM_OK;
}

static vpm_status_t begin_field(vpm_csv_t *c)
{
	if (c->nf == c->nf_cap) {
		size_t cap = c->nf_cap ? 2 * c->nf_cap : 16;
		size_t *ns;
		int *nc;
		char **nfp;
		if (cap > 100000)
			return vpm_error(VPM_ELIMIT,
					 "%s:%ld: more than 100000 fields in one record", c->name,
					 c->line);
		ns = realloc(c->starts, cap * sizeof *ns);
		if (ns == NULL)
			return vpm_error(VPM_ENOMEM, "%s: out of memory", c->name);
		c->starts = ns;
		nc = realloc(c->cols, cap * sizeof *nc);
		if (nc == NULL)
			return vpm_error(VPM_ENOMEM, "%s: out of memory", c->name);
		c->cols = nc;
		nfp = realloc(c->fields, cap * sizeof *nfp);
		if (nfp == NULL)
			return vpm_error(VPM_ENOMEM, "%s: out of memory", c->name);
		c->fields = nfp;
		c->nf_cap = cap;
	}
	c->starts[c->nf] = c->buf_len;
	c->cols[c->nf] = c->col;
	c->nf++;
	return VPM_OK;
}

/* Read one UTF-8 character (first byte b0 already read) into the record,
 * checking that it is well formed. */
static vpm_status_t put_utf8(vpm_csv_t *c, int b0)
{
	int need, i, ch;
	unsigned cp;
	vpm_status_t st;

	if (b0 == 0)
		/* UTF-16 (spreadsheets' "Unicode text") and binary files */
		return vpm_error(
			VPM_EPARSE,
			"%s:%ld:%d: NUL byte: not a text file (UTF-16? save it as CSV UTF-8)",
			c->name, c->line, c->col);
	if (b0 < 0x80)
		return put(c, b0);
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		need = 1;
		cp = (unsigned)b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		need = 2;
		cp = (unsigned)b0 & 0x0f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		need = 3;
		cp = (unsigned)b0 & 0x07;
	} else {
		goto invalid;
	}
	if ((st = put(c, b0)) != VPM_OK)
		return st;
	for (i = 0; i < need; i++) {
		ch = peek(c);
		if (ch == EOF || (ch & 0xc0) != 0x80)
			goto invalid;
		get(c);
		cp = (cp << 6) | ((unsigned)ch & 0x3f);
		if ((st = put(c, ch)) != VPM_OK)
			return st;
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		goto invalid;
	return VPM_OK;
invalid:
	return vpm_error(VPM_EPARSE, "%s:%ld:%d: invalid UTF-8 (save the file as UTF-8)", c->name,
			 c->line, c->col);
}

static void trim_field(vpm_csv_t *c, size_t i, int quoted)
{
	char *s = c->buf + c->starts[i];
	size_t len = strlen(s), lead = 0;

	if (quoted)
		return;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	while (s[lead] == ' ' || s[lead] == '\t')
		lead++;
	if (lead > 0) {
		memmove(s, s + lead, len - lead + 1);
		c->cols[i] += (int)lead;
	}
}

VPM_STATUS_FN(vpm_csv_next, (vpm_csv_t * c, vpm_csv_row_t *row, int *eof), (c, row, eof))
{
	vpm_status_t st;
	int ch, quoted, field_quoted = 0, field_text = 0;
	long quote_line = 0;
	int quote_col = 0;
	size_t i;

	if (c == NULL || row == NULL || eof == NULL)
		return vpm_error(VPM_EINVAL, "CSV reader: NULL argument");
	*eof = 0;
	if (c->at_start) {
		c->at_start = 0;
		if (peek(c) == 0xef) {
			get(c);
			if (get(c) != 0xbb || get(c) != 0xbf)
				return vpm_error(VPM_EPARSE,
						 "%s:1:1: invalid UTF-8 (damaged byte-order mark)",
						 c->name);
		}
	}

next_record:
	c->buf_len = 0;
	c->nf = 0;
	row->line = c->line;
	ch = peek(c);
	if (ch == EOF) {
		*eof = 1;
		return VPM_OK;
	}
	/* blank lines and comments */
	if (ch == '\n' || ch == '\r') {
		get(c);
		if (ch == '\r' && peek(c) == '\n')
			get(c);
		c->line++;
		c->col = 1;
		goto next_record;
	}
	if (ch == '#' && (c->flags & VPM_CSV_COMMENTS)) {
		while ((ch = get(c)) != EOF && ch != '\n')
			;
		c->line++;
		c->col = 1;
		goto next_record;
	}

	if ((st = begin_field(c)) != VPM_OK)
		return st;
	quoted = 0;
	for (;;) {
		ch = get(c);
		if (quoted) {
			if (ch == EOF)
				return vpm_error(VPM_EPARSE,
						 "%s:%ld:%d: quoted field never closed (missing \")",
						 c->name, quote_line, quote_col);
			if (ch == '"') {
				c->col++;
				if (peek(c) == '"') {
					get(c);
					c->col++;
					if ((st = put(c, '"')) != VPM_OK)
						return st;
					continue;
				}
				quoted = 0;
				ch = peek(c);
				if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF &&
				    ch != ' ' && ch != '\t')
					return vpm_error(
						VPM_EPARSE,
						"%s:%ld:%d: expected a comma after the closing quote",
						c->name, c->line, c->col);
				continue;
			}
			if (ch == '\n') {
				c->line++;
				c->col = 1;
				if ((st = put(c, ch)) != VPM_OK)
					return st;
				continue;
			}
			st = put_utf8(c, ch);
			if (st != VPM_OK)
				return st;
			c->col++;
			continue;
		}
		if (ch == EOF || ch == '\n' || ch == '\r' || ch == ',') {
			if ((st = put(c, '\0')) != VPM_OK)
				return st;
			trim_field(c, c->nf - 1, field_quoted);
			field_quoted = 0;
			field_text = 0;
			if (ch == ',') {
				c->col++;
				if ((st = begin_field(c)) != VPM_OK)
					return st;
				continue;
			}
			if (ch == '\r' && peek(c) == '\n')
				get(c);
			if (ch != EOF) {
				c->line++;
				c->col = 1;
			}
			break;
		}
		if (ch == '"') {
			/* An opening quote counts only at the start of a field
			 * (after optional blanks); elsewhere it is literal.  A flag,
			 * not a scan of the field so far: a field of a million
			 * quotes must not take a million squared steps. */
			if (!field_text && !field_quoted) {
				c->buf_len = c->starts[c->nf - 1];
				c->cols[c->nf - 1] = c->col;
				quoted = 1;
				field_quoted = 1;
				quote_line = c->line;
				quote_col = c->col;
				c->col++;
				continue;
			}
		}
		if (field_quoted && ch != ' ' && ch != '\t')
			return vpm_error(VPM_EPARSE,
					 "%s:%ld:%d: expected a comma after the closing quote",
					 c->name, c->line, c->col);
		if (field_quoted)
			continue; /* blanks after a closing quote */
		if (ch != ' ' && ch != '\t')
			field_text = 1;
		st = put_utf8(c, ch);
		if (st != VPM_OK)
			return st;
		c->col++;
	}

	if (c->fp != NULL && ferror(c->fp))
		return vpm_error(VPM_EIO, "%s: read error: %s", c->name, strerror(errno));
	for (i = 0; i < c->nf; i++)
		c->fields[i] = c->buf + c->starts[i];
	row->n = c->nf;
	row->field = c->fields;
	row->column = c->cols;
	return VPM_OK;
}
