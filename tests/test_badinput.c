/* Bad input as a crew or a researcher meets it (issue 8): one test per row
 * of the table in tests/README.md.  Every case runs the built program as a
 * user would and checks the exit status (2 bad input, 0 accepted), that the
 * message is exactly one line naming the flag or FILE:LINE:COL, and what it
 * says.  No case may crash, hang, print NaN or write an output. */
#include <config.h>

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"

TestSuite(badinput, .fini = tu_cleanup_tmpdir);

#define RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28"
#define CHECK "check " RIG " --stop T2.8 "
#define STAGE "--stage '%s/datasets/stage-micro.stage' --camera bmd-ursa-mini-pro-4.6k-g2 "
#define SHOT_HEAD "shot,lens,stop,camera distance,focus\n"
#define PANEL_HEAD "name,pitch_mm,emitter_mm\n"

/* Does `text` hold the word `w` (case-insensitive, not inside a longer
 * word: "luminance" holds no NaN)? */
static int has_word(const char *text, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = text; *p != '\0'; p++)
		if (strncasecmp(p, w, n) == 0 && (p == text || !isalpha((unsigned char)p[-1])) &&
		    !isalpha((unsigned char)p[n]))
			return 1;
	return 0;
}

/* Run vpmoire with ARGS; expect `status`, and for a refusal exactly one
 * line on stderr containing every needle (NULL-terminated list). */
static void expect(const char *args, int status, ...)
{
	tu_run_t r = tu_vpmoire(args);
	va_list ap;
	const char *needle;

	cr_assert_eq(r.status, status, "vpmoire %s\nexit %d, expected %d; stderr: %s", args,
		     r.status, status, r.err);
	if (status != 0) {
		cr_assert_eq(tu_lines(r.err), 1, "vpmoire %s\nnot one line: %s", args, r.err);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0, "%s", r.err);
	}
	va_start(ap, status);
	while ((needle = va_arg(ap, const char *)) != NULL)
		cr_assert(strstr(r.err, needle) != NULL, "vpmoire %s\nstderr '%s' lacks '%s'", args,
			  r.err, needle);
	va_end(ap);
	cr_assert(!has_word(r.out, "nan") && !has_word(r.err, "-nan"), "vpmoire %s printed NaN: %s",
		  args, r.out);
	tu_run_free(&r);
}

/* Shell text for a file in the scratch directory holding `text`. */
static const char *file(const char *name, const char *text)
{
	cr_assert_not_null(tu_write(name, text));
	return name; /* tu_vpmoire runs in the scratch directory */
}

static void shotlist(const char *csv_name, int status, const char *needle)
{
	char args[8192];

	snprintf(args, sizeof args, "shotlist '%s' " STAGE "-o out.pdf", csv_name, tu_srcdir());
	expect(args, status, needle, (char *)NULL);
	if (status != 0)
		cr_assert(!tu_exists(tu_tmp("out.pdf")), "a refused shotlist wrote its PDF");
	remove(tu_tmp("out.pdf"));
}

static void catalog(const char *csv_name, int status, const char *needle)
{
	char args[4200];

	snprintf(args, sizeof args, "catalog list panels --catalog '%s'", csv_name);
	expect(args, status, needle, (char *)NULL);
}

/* ------------------------------------------------------------ rows */

Test(badinput, malformed_numbers)
{
	expect(CHECK "--wall 3..5m --focus 1m", 2, "--wall: '3..5m' is not a length", "column 3",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1,5m", 2, "--focus: '1,5m' is not a length", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --stop T2,8", 2, "--stop: 'T2,8' is not a stop",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --width-px 4608.5", 2, "--width-px", (char *)NULL);
	catalog(file("c.csv", PANEL_HEAD "p1,1.5.2,0.2\n"), 2,
		"c.csv:2:4: pitch_mm: '1.5.2' is not a number");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2;8,3m,2m\n"), 2,
		 "s.csv:2:16: stop: 'T2;8' is not a stop");
	expect("sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
	       "--wall 2m:4m:0..1m --count",
	       2, "--wall", (char *)NULL);
}

Test(badinput, wrong_units)
{
	expect(CHECK "--wall 3kg --focus 1m", 2,
	       "--wall: '3kg' is not a length: expected a unit (m, cm, mm, um, ft, in) at column 2",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --roll 5furlongs", 2, "--roll", (char *)NULL);
	expect(CHECK "--wall 11ft 6 --focus 1m", 2, "unexpected argument '6'", (char *)NULL);
	/* catalog numbers are bare: the unit is the column's */
	catalog(file("c.csv", PANEL_HEAD "p1,2.5mm,0.2\n"), 2,
		"c.csv:2:4: pitch_mm: '2.5mm' is not a number: write the bare number");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3 kg,2m\n"), 2,
		 "s.csv:2:21: camera distance: '3 kg' is not a length: expected a unit");
}

Test(badinput, missing_columns)
{
	catalog(file("c.csv", "name,pitch_mm\np1,2.5\n"), 2,
		"c.csv:1:1: missing column 'emitter_mm'");
	catalog(file("c.csv", "name,maker\np1,acme\n"), 2, "not a catalog");
	shotlist(file("s.csv", "shot,lens,camera distance\n1,zeiss-cp3-28,3m\n"), 2,
		 "s.csv:1:1: no stop column");
	/* a row shorter than the header */
	catalog(file("c.csv", PANEL_HEAD "p1,2.5\n"), 2,
		"c.csv:2:4: expected 3 fields as in the header, found 2");
}

Test(badinput, duplicate_headers)
{
	catalog(file("c.csv", "name,pitch_mm,pitch_mm,emitter_mm\n"), 2,
		"c.csv:1:15: column 'pitch_mm' appears twice");
	shotlist(file("s.csv",
		      "shot,lens,stop,T-stop,camera distance\n1,zeiss-cp3-28,T2.8,T4,3m\n"),
		 2, "s.csv:1:16: T-stop: this column and column 11 ('stop') both give the stop");
	catalog(file("c.csv", PANEL_HEAD "p1,2.5,0.2\nP1,2.6,0.2\n"), 2,
		"c.csv:3:1: name: 'P1' is already used at line 2");
}

Test(badinput, bom_and_crlf_files_are_read)
{
	char args[8192];

	catalog(file("c.csv", "\xef\xbb\xbf"
			      "name,pitch_mm,emitter_mm\r\nbom-crlf,2.5,0.2\r\n"),
		0, "");
	expect("catalog show bom-crlf --catalog c.csv", 0, (char *)NULL);
	shotlist(file("s.csv", "\xef\xbb\xbf"
			       "shot,lens,stop,camera distance,focus\r\n"
			       "1,zeiss-cp3-28,T2.8,3m,2m\r\n"),
		 0, "");
	file("crlf.stage", "\xef\xbb\xbf"
			   "name = CRLF stage\r\npanel = aoto-rm1.5\r\n"
			   "cabinets_across = 6\r\ncabinets_down = 3\r\n");
	snprintf(args, sizeof args,
		 "shotlist s.csv --stage crlf.stage --camera bmd-ursa-mini-pro-4.6k-g2 -o out.pdf");
	expect(args, 0, (char *)NULL);
	file("crlf.args", "--panels aoto-rm1.5\r\n--cameras bmd-ursa-mini-pro-4.6k-g2\r\n"
			  "--lenses zeiss-cp3-28\r\n--wall 2m:3m:0.5m\r\n");
	expect("sweep @crlf.args --count", 0, (char *)NULL);
}

Test(badinput, non_utf8_text_and_names)
{
	/* Latin-1 bytes in a cell: the place, and what to do */
	catalog(file("c.csv", PANEL_HEAD "p\xe9,2.5,0.2\n"), 2,
		"c.csv:2:2: invalid UTF-8 (save the file as UTF-8)");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2\xe9m\n"), 2,
		 "s.csv:2:25: invalid UTF-8");
	/* UTF-16 (spreadsheets' "Unicode text"): NUL bytes */
	{
		static const char u16[] = "n\0a\0m\0e\0,\0";
		FILE *fp = fopen(tu_tmp("u16.csv"), "wb");
		fwrite(u16, 1, sizeof u16 - 1, fp);
		fclose(fp);
		catalog("u16.csv", 2, "u16.csv:1:2: NUL byte");
	}
	/* a file NAME that is not UTF-8 is just a name */
	file("\xe9t\xe9.csv", PANEL_HEAD "latin-1-name,2.5,0.2\n");
	expect("catalog show latin-1-name --catalog '\xe9t\xe9.csv'", 0, (char *)NULL);
	/* an equipment name made of such bytes is quoted back, on one line */
	expect("check --panel $(printf '\\377\\n') --camera bmd-ursa-mini-pro-4.6k-g2 "
	       "--lens zeiss-cp3-28 --wall 3m --focus 1m",
	       2, "is not a panel name", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --units \"$(printf 'ft\\nx')\"", 2,
	       "--units: 'ft?x' is not a unit system", (char *)NULL);
}

Test(badinput, empty_files)
{
	catalog(file("c.csv", ""), 2, "c.csv:1:1: empty catalog file: expected a header row");
	shotlist(file("s.csv", ""), 2, "s.csv:1:1: empty shotlist: expected a header row");
	{
		char args[4200];
		file("empty.stage", "");
		file("s2.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2m\n");
		snprintf(args, sizeof args, "shotlist s2.csv --stage empty.stage -o out.pdf");
		expect(args, 2, "empty.stage: no LED panel: add 'panel = NAME'", (char *)NULL);
	}
	file("empty.args", "");
	expect("sweep @empty.args --count", 2, "--wall is required", (char *)NULL);
	file("comments.args", "# nothing but a comment\n\n");
	expect("sweep @comments.args --count", 2, "--wall is required", (char *)NULL);
}

Test(badinput, one_row_files)
{
	/* a header alone: a catalog adds nothing; a shotlist has no shot */
	catalog(file("c.csv", PANEL_HEAD), 0, "");
	shotlist(file("s.csv", SHOT_HEAD), 2, "s.csv: no shots: the file has a header but no rows");
	/* one row without a final newline is a whole row */
	catalog(file("c.csv", PANEL_HEAD "one-row,2.5,0.2"), 0, "");
	expect("catalog show one-row --catalog c.csv", 0, (char *)NULL);
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2m"), 0, "");
	/* a header row that is only a comment */
	catalog(file("c.csv", "# a panel\n"), 2, "c.csv:1:1: empty catalog file");
}

Test(badinput, nan_and_inf_text)
{
	expect(CHECK "--wall nan --focus 1m", 2, "--wall: 'nan' is not a length", (char *)NULL);
	expect(CHECK "--wall inf --focus 1m", 2,
	       "--wall: 'inf': an infinite length is not allowed here", (char *)NULL);
	expect(CHECK "--wall 3m --focus -inf", 2, "--focus", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --fill NaN", 2, "--fill: 'NaN' is not a number",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --stop inf", 2, "--stop: 'inf' is not a stop",
	       (char *)NULL);
	/* focus at infinity is a real setting, and infinity prints as null */
	{
		tu_run_t r = tu_vpmoire(CHECK "--wall 3m --focus inf --json");
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(strstr(r.out, "\"dof_far_m\": null") != NULL, "%s", r.out);
		cr_assert(!has_word(r.out, "nan") && !has_word(r.out, "inf"), "%s", r.out);
		tu_run_free(&r);
	}
	catalog(file("c.csv", PANEL_HEAD "p1,inf,0.2\n"), 2,
		"c.csv:2:4: pitch_mm: 'inf' is not a number");
	catalog(file("c.csv", PANEL_HEAD "p1,nan,0.2\n"), 2,
		"c.csv:2:4: pitch_mm: 'nan' is not a number");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,nan,2m\n"), 2,
		 "s.csv:2:21: camera distance: 'nan' is not a length");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,inf,2m\n"), 2,
		 "s.csv:2:21: camera distance: 'inf': an infinite length is not allowed here");
}

Test(badinput, values_outside_physical_limits)
{
	expect(CHECK "--wall 1e308m --focus 1m", 2,
	       "--wall: '1e308m': length out of range (at most 1e+09 m)", (char *)NULL);
	expect(CHECK "--wall 1e400 --focus 1m", 2, "--wall: '1e400': number out of range",
	       (char *)NULL);
	expect("check --pitch 1e-300mm --emitter 1e-301mm --camera bmd-ursa-mini-pro-4.6k-g2 "
	       "--lens zeiss-cp3-28 --wall 3m --focus 1m",
	       2, "--pitch: LED pitch 1e-300 mm is outside [0.01, 100] mm", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --focal 0", 2,
	       "--focal: '0': a length must be greater than zero", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --focal -28", 2,
	       "--focal: '-28': a length must not be negative", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --stop T200", 2,
	       "--stop: 'T200': a stop must lie between 0.5 and 128", (char *)NULL);
	expect(CHECK "--wall 0.05m --focus 1m", 2,
	       "--wall: the wall at 0.05 m is closer than the lens can focus", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --photosite 1e-300mm", 2, "--photosite", (char *)NULL);
	catalog(file("c.csv", PANEL_HEAD "p1,500,0.2\n"), 2,
		"c.csv:2:4: pitch_mm: '500' is above the limit of 100");
	catalog(file("c.csv", PANEL_HEAD "p1,1.5,1.6\n"), 2,
		"c.csv:2:8: emitter_mm: 1.6 mm must be smaller than the pitch");
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,1e308m,2m\n"), 2,
		 "s.csv:2:21: camera distance: '1e308m': length out of range");
}

Test(badinput, unknown_catalog_names)
{
	char args[4200];

	expect("check --panel aoto-rm1.6 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 "
	       "--wall 3m --focus 1m",
	       2, "--panel: unknown panel 'aoto-rm1.6': did you mean aoto-rm1.5?", (char *)NULL);
	expect("catalog show zeiss-cp3-29", 2, "no catalog entry 'zeiss-cp3-29'",
	       "lenses: unknown lens 'zeiss-cp3-29': did you mean zeiss-cp3-21, zeiss-cp3-25 or "
	       "zeiss-cp3-28?",
	       (char *)NULL);
	shotlist(file("s.csv", SHOT_HEAD "1,zeiss-cp3-29,T2.8,3m,2m\n"), 2,
		 "s.csv:2:3: lens: unknown lens 'zeiss-cp3-29': did you mean");
	file("bad.stage", "panel = aoto-rm1.6\ncabinets_across = 4\ncabinets_down = 2\n");
	file("s2.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2m\n");
	snprintf(args, sizeof args,
		 "shotlist s2.csv --stage bad.stage --camera bmd-ursa-mini-pro-4.6k-g2 -o out.pdf");
	expect(args, 2, "bad.stage:1:9: panel: unknown panel 'aoto-rm1.6'", (char *)NULL);
	expect("sweep --panels all --cameras nope --lenses zeiss-cp3-28 --wall 2m --count", 2,
	       "nope", (char *)NULL);
}

Test(badinput, contradictory_flags)
{
	char args[4200];

	expect("sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
	       "--wall 2m --count --resume",
	       2, "--count and --resume do not go together", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --caution-at 5 --risky-at 1", 2,
	       "--risky-at: risky threshold 1 is below the caution threshold 5", (char *)NULL);
	file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2m\n");
	snprintf(args, sizeof args, "shotlist s.csv " STAGE "-o out.pdf --format png", tu_srcdir());
	expect(args, 2, "--format png writes one image per page: give --outdir DIR", (char *)NULL);
	expect("check --pitch 2.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 --wall 3m "
	       "--focus 1m",
	       2, "--emitter is needed with --pitch", (char *)NULL);
	/* the sweep's output cannot be both a shard and the whole (resume of another shard) */
	expect("sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
	       "--wall 2m --shard 3/2 --count",
	       2, "--shard", (char *)NULL);
}

/* A file of 100 MB without a newline is refused at the record limit (1 MiB)
 * without reading the rest into memory; the limit is a size, so the test
 * needs no clock. */
static void write_huge_line(const char *name, const char *head)
{
	static char chunk[1 << 16];
	FILE *fp = fopen(tu_tmp(name), "wb");
	int i;

	cr_assert_not_null(fp);
	memset(chunk, 'x', sizeof chunk);
	fputs(head, fp);
	for (i = 0; i < 100 * 16; i++) /* 100 MiB */
		cr_assert_eq(fwrite(chunk, 1, sizeof chunk, fp), sizeof chunk);
	cr_assert_eq(fclose(fp), 0);
}

Test(badinput, huge_lines_and_hostile_sizes, .timeout = 300)
{
	write_huge_line("huge.csv", PANEL_HEAD);
	catalog("huge.csv", 2, "huge.csv:2: record longer than 1048576 bytes");
	write_huge_line("huge-shots.csv", SHOT_HEAD);
	shotlist("huge-shots.csv", 2, "huge-shots.csv:2: record longer than 1048576 bytes");
	remove(tu_tmp("huge-shots.csv"));
	write_huge_line("huge.args", "--panels all\n--wall ");
	expect("sweep @huge.args --count", 2, "huge.args:2: line longer than 65536 bytes",
	       (char *)NULL);
	remove(tu_tmp("huge.args"));
	write_huge_line("huge.stage", "panel = aoto-rm1.5\nname = ");
	{
		char args[4200];
		file("s.csv", SHOT_HEAD "1,zeiss-cp3-28,T2.8,3m,2m\n");
		snprintf(
			args, sizeof args,
			"shotlist s.csv --stage huge.stage --camera bmd-ursa-mini-pro-4.6k-g2 -o out.pdf");
		expect(args, 2, "huge.stage", (char *)NULL);
	}
	remove(tu_tmp("huge.stage"));
	remove(tu_tmp("huge.csv"));
	/* sizes refused before any work, with the estimate and how to shrink it */
	expect("sweep --panels all --cameras all --lenses all --wall 1m:100m:1mm --count", 2,
	       "set-ups, more than the limit of",
	       "use coarser steps or fewer entries, or raise --max-setups", (char *)NULL);
	expect("sweep --panels all --cameras all --lenses all --wall 1m:1e9m:1um --count", 2,
	       "--wall: range 1m:1e9m:1um has", "use a coarser step", (char *)NULL);
	expect("chart --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --series 'ZEISS CP.3' "
	       "--focal-range 15:135 --cells 100000x100000 -o big.pdf",
	       2, "--cells", (char *)NULL);
	/* 2 pages x 2000 x 2000 cells: about 0.53 GiB estimated before any work */
	expect("chart --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --focal-range 15:135 "
	       "--stop T2.8 --stop T4 --cells 2000x2000 "
	       "--max-memory 16M -o big.pdf",
	       2, "the chart needs about 0.5", "above --max-memory", "use fewer --cells",
	       (char *)NULL);
	expect("simulate " RIG " --wall 5m --focus 3.5m --patch 32768 --max-memory 1G --outdir big",
	       2, "the simulation needs", "above --max-memory", "use a smaller --patch",
	       (char *)NULL);
	expect("simulate " RIG " --wall 5m --focus 3.5m --patch 100000", 2, "--patch",
	       (char *)NULL);
	cr_assert(!tu_exists(tu_tmp("big.pdf")) && !tu_exists(tu_tmp("big")));
}

/* Issue 14: one kind of refusal, one exit code in every command.  A size
 * refusal (more memory, samples, set-ups or bytes than allowed) is bad
 * input, 2, wherever it is found: `simulate --patch 32768 --supersample 64`
 * gave 1 ("out of memory" status) while `--max-memory` gave 2.  A
 * directory given where a file is expected is bad input, 2, as a missing
 * file is: `--stage DIR` gave 1 ("Is a directory" read error), `merge DIR`
 * gave 1, a catalog or shotlist DIR said "empty file". */
Test(badinput, one_kind_of_refusal_one_exit_code)
{
	char args[8192];

	mkdir(tu_tmp("adir"), 0777);
	/* sizes */
	expect("simulate " RIG " --stop T2.8 --wall 3m --focus 1m --patch 32768 --supersample 64",
	       2, "--patch 32768 at 64x supersampling", (char *)NULL);
	expect("simulate " RIG " --stop T2.8 --wall 3m --focus 1m --patch 32768 --max-memory 1G", 2,
	       "--max-memory", (char *)NULL);
	expect("chart --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --series 'ZEISS CP.3' "
	       "--stop T2.8 --max-memory 1M",
	       2, "--max-memory", (char *)NULL);
	expect("sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
	       "--wall 1m:9m:0.001m --max-setups 1000 --count",
	       2, "--max-setups", (char *)NULL);
	/* directories where a file is expected */
	snprintf(args, sizeof args,
		 "shotlist '%s/datasets/shotlist-example.csv' --stage adir -o out.pdf", tu_srcdir());
	expect(args, 2, "adir is a directory, not a stage file", (char *)NULL);
	snprintf(args, sizeof args, "shotlist adir " STAGE "-o out.pdf", tu_srcdir());
	expect(args, 2, "adir is a directory, not a CSV file", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --catalog adir", 2, "adir is a directory", (char *)NULL);
	expect("merge adir", 2, "adir is a directory, not a shard file", (char *)NULL);
	expect("sweep @adir --count", 2, "@adir is a directory, not a study file", (char *)NULL);
	expect("validate adir", 2, "adir is a directory", (char *)NULL);
	cr_assert(!tu_exists(tu_tmp("out.pdf")));
	/* a missing file is 2 as well */
	expect("merge no-such.csv", 2, "no-such.csv", (char *)NULL);
	expect("sweep @no-such.args --count", 2, "no-such.args", (char *)NULL);
}

/* Issue 14: absurd but positive numbers were taken at their word:
 * `check --focal 1e-300mm` printed SAFE with an LED frequency of 1e300
 * cy/mm, `--recording-px 1` SAFE at 0 cy/mm.  Every quantity now has a
 * physical range (lib/predict.c, vpm_setup_validate): exit 2, one line
 * with the flag, the range and why; the range's ends still work. */
Test(badinput, absurd_positive_values_are_refused_with_the_range)
{
	expect(CHECK "--wall 3m --focus 1m --focal 1e-300mm --json", 2,
	       "--focal: focal length 1e-300 mm is outside [1, 2000] mm: 1 to 2000 mm covers "
	       "every cine and photo lens",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --recording-px 1 --json", 2,
	       "--recording-px: recording width 1 px is outside [64, 1000000] px", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --delivery-px 8 --json", 2,
	       "--delivery-px: delivery width 8 px is outside [64, 1000000] px", (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --width-px 3 --json", 2, "--width-px: sensor width 3 px",
	       (char *)NULL);
	expect(CHECK "--wall 3m --focus 1m --coc 0.0000001mm --json", 2, "--coc:", "[0.001, 10] mm",
	       (char *)NULL);
	expect("check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --focal 2500 --stop "
	       "T2.8 --wall 30m --focus 20m",
	       2, "--focal:", "[1, 2000] mm", (char *)NULL);
	/* a sweep keeps every index: such a set-up is a row with its status */
	{
		tu_run_t r = tu_vpmoire("sweep --panels aoto-rm1.5 --cameras bmd-ursa-mini-pro-4.6k-g2 "
					"--lenses zeiss-cp3-28 --stop 2.8 --wall 3m --recording-px "
					"32,64 -q");
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_eq(tu_lines(r.out), 4, "%s", r.out);
		cr_assert(strstr(r.out, ",32,,out-of-range,") != NULL, "%s", r.out);
		cr_assert(strstr(r.out, ",64,,ok,") != NULL, "%s", r.out);
		tu_run_free(&r);
	}
	/* the ends of the ranges are set-ups like any other */
	expect(CHECK "--wall 3m --focus 1m --recording-px 64 --json", 0, (char *)NULL);
	expect("check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --focal 2000 --stop "
	       "T2.8 --wall 30m --focus 20m --json",
	       0, (char *)NULL);
}
