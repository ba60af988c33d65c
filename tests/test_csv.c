/* CSV reader: quoting, BOM, CRLF, comments, UTF-8 and limits. */
#include <config.h>

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/csv.h"

static vpm_csv_t *mem(const char *text, unsigned flags)
{
	vpm_csv_t *c = NULL;

	cr_assert_eq(vpm_csv_open_memory("mem.csv", text, strlen(text), flags, &c), VPM_OK);
	return c;
}

static void next_ok(vpm_csv_t *c, vpm_csv_row_t *row)
{
	int eof = 1;

	cr_assert_eq(vpm_csv_next(c, row, &eof), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(eof, 0);
}

static void expect_eof(vpm_csv_t *c)
{
	vpm_csv_row_t row;
	int eof = 0;

	cr_assert_eq(vpm_csv_next(c, &row, &eof), VPM_OK);
	cr_assert_eq(eof, 1);
}

Test(csv, plain_rows_with_lines_and_columns)
{
	vpm_csv_t *c = mem("a,bb,ccc\n1,22,333\n", 0);
	vpm_csv_row_t r;

	next_ok(c, &r);
	cr_assert_eq(r.n, 3);
	cr_assert_str_eq(r.field[1], "bb");
	cr_assert_eq(r.line, 1);
	cr_assert_eq(r.column[2], 6);
	next_ok(c, &r);
	cr_assert_str_eq(r.field[2], "333");
	cr_assert_eq(r.line, 2);
	expect_eof(c);
	vpm_csv_close(c);
}

Test(csv, quotes_commas_newlines_and_doubled_quotes)
{
	vpm_csv_t *c = mem("name,note\n\"a, b\",\"say \"\"hi\"\"\nnext line\"\nx,11'6\"\n", 0);
	vpm_csv_row_t r;

	next_ok(c, &r);
	next_ok(c, &r);
	cr_assert_str_eq(r.field[0], "a, b");
	cr_assert_str_eq(r.field[1], "say \"hi\"\nnext line");
	cr_assert_eq(r.line, 2);
	next_ok(c, &r);
	cr_assert_eq(r.line, 4, "line numbers count the newline inside the quoted field");
	cr_assert_str_eq(r.field[1], "11'6\"", "a quote inside an unquoted field is literal");
	expect_eof(c);
	vpm_csv_close(c);
}

Test(csv, bom_crlf_blank_lines_comments_and_trimming)
{
	vpm_csv_t *c = mem("\xef\xbb\xbf# comment\r\na , b\r\n\r\n  c,\" d \"\r\n",
			   VPM_CSV_COMMENTS);
	vpm_csv_row_t r;

	next_ok(c, &r);
	cr_assert_eq(r.line, 2);
	cr_assert_str_eq(r.field[0], "a");
	cr_assert_str_eq(r.field[1], "b");
	cr_assert_eq(r.column[1], 5, "column of the first character after trimming");
	next_ok(c, &r);
	cr_assert_eq(r.line, 4);
	cr_assert_str_eq(r.field[0], "c");
	cr_assert_str_eq(r.field[1], " d ", "quoted blanks are kept");
	expect_eof(c);
	vpm_csv_close(c);
}

Test(csv, comments_are_data_without_the_flag)
{
	vpm_csv_t *c = mem("#a,b\n", 0);
	vpm_csv_row_t r;

	next_ok(c, &r);
	cr_assert_str_eq(r.field[0], "#a");
	vpm_csv_close(c);
}

Test(csv, empty_fields_and_last_line_without_newline)
{
	vpm_csv_t *c = mem("a,,c,\nx,y,z,w", 0);
	vpm_csv_row_t r;

	next_ok(c, &r);
	cr_assert_eq(r.n, 4);
	cr_assert_str_eq(r.field[1], "");
	cr_assert_str_eq(r.field[3], "");
	next_ok(c, &r);
	cr_assert_str_eq(r.field[3], "w");
	expect_eof(c);
	vpm_csv_close(c);
}

Test(csv, utf8_is_checked_and_columns_count_characters)
{
	vpm_csv_t *c = mem("\xc2\xb5m,x\n", 0);
	vpm_csv_row_t r;
	int eof;

	next_ok(c, &r);
	cr_assert_eq(r.column[1], 4, "µm is two characters, so x starts at column 4");
	vpm_csv_close(c);

	c = mem("ok,caf\xe9\n", 0); /* Latin-1 é */
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "mem.csv:1:7") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "UTF-8") != NULL);
	vpm_csv_close(c);

	c = mem("\xc0\xaf\n", 0); /* overlong '/' */
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_EPARSE);
	vpm_csv_close(c);
}

Test(csv, malformed_quotes_name_the_place)
{
	vpm_csv_row_t r;
	int eof;
	vpm_csv_t *c = mem("a,b\n1,\"open\n2,3\n", 0);

	next_ok(c, &r);
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "mem.csv:2:3") != NULL, "%s", vpm_error_message());
	vpm_csv_close(c);

	c = mem("\"a\"b,c\n", 0);
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "mem.csv:1:4") != NULL, "%s", vpm_error_message());
	vpm_csv_close(c);
}

Test(csv, record_length_limit)
{
	size_t n = 5000;
	char *big = malloc(n + 2);
	vpm_csv_t *c;
	vpm_csv_row_t r;
	int eof;

	memset(big, 'x', n);
	big[n] = '\0';
	c = mem(big, 0);
	vpm_csv_set_max_record(c, 1000);
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_ELIMIT);
	cr_assert(strstr(vpm_error_message(), "longer than 1000") != NULL, "%s",
		  vpm_error_message());
	vpm_csv_close(c);
	free(big);
}

/* Hardening regression: whether a '"' opens a quoted field used to be
 * decided by rescanning the field so far, so a field of a million quotes
 * (a hand-edited file gone wrong, or hostile input) took ~5e11 steps: a
 * hang.  Now one pass.  The timeout guards the hang; it is no benchmark. */
Test(csv, a_field_of_a_million_quotes_is_read_in_one_pass, .timeout = 60)
{
	size_t n = 1000000;
	char *text = malloc(n + 16);
	vpm_csv_t *c;
	vpm_csv_row_t r;

	text[0] = 'a';
	memset(text + 1, '"', n);
	strcpy(text + 1 + n, ",b\n");
	c = mem(text, 0);
	vpm_csv_set_max_record(c, 2 * n);
	next_ok(c, &r);
	cr_assert_eq(r.n, 2);
	cr_assert_eq(strlen(r.field[0]), n + 1, "the quotes are literal text");
	cr_assert_str_eq(r.field[1], "b");
	vpm_csv_close(c);
	free(text);
	/* blanks before a quote still open a quoted field; text before it does not */
	c = mem("  \"x, y\",a\"b\n", 0);
	next_ok(c, &r);
	cr_assert_eq(r.n, 2);
	cr_assert_str_eq(r.field[0], "x, y");
	cr_assert_str_eq(r.field[1], "a\"b");
	vpm_csv_close(c);
}

/* Hardening: a NUL byte (a UTF-16 export, a binary file) used to cut the
 * field short silently; now it is an error at its place. */
Test(csv, nul_bytes_are_refused_at_their_place)
{
	static const char text[] = "h1,h2\nv1,v\0x\n";
	vpm_csv_t *c = NULL;
	vpm_csv_row_t r;
	int eof;

	cr_assert_eq(vpm_csv_open_memory("u16.csv", text, sizeof text - 1, 0, &c), VPM_OK);
	next_ok(c, &r);
	cr_assert_eq(vpm_csv_next(c, &r, &eof), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "u16.csv:2:5: NUL byte") != NULL, "%s",
		  vpm_error_message());
	vpm_csv_close(c);
}

Test(csv, files_and_missing_files)
{
	const char *path = tu_write("f.csv", "h1,h2\nv1,v2\n");
	vpm_csv_t *c = NULL;
	vpm_csv_row_t r;

	cr_assert_eq(vpm_csv_open(path, 0, &c), VPM_OK);
	next_ok(c, &r);
	next_ok(c, &r);
	cr_assert_str_eq(r.field[1], "v2");
	cr_assert_str_eq(vpm_csv_name(c), path);
	vpm_csv_close(c);
	cr_assert_eq(vpm_csv_open(tu_tmp("nope.csv"), 0, &c), VPM_ENOTFOUND);
	cr_assert_null(c);
	cr_assert(strstr(vpm_error_message(), "nope.csv") != NULL);
	vpm_csv_close(NULL);
}
