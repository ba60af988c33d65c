/* `vpmoire shotlist` as a VP supervisor runs it: the example day renders to
 * a PDF of one summary page plus one page per shot whose text agrees with
 * the summary; a broken CSV stops with FILE:LINE:COL and leaves no file;
 * --keep-going renders the rest; images per page; verdicts equal `vpmoire
 * check` for the same set-up. */
#include <config.h>

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static int pdf_pages(const char *pdf)
{
	char cmd[4200], *out, *p;
	int n = -1;

	snprintf(cmd, sizeof cmd, "pdfinfo '%s' 2>/dev/null", pdf);
	out = tu_capture(cmd);
	if (out && (p = strstr(out, "Pages:")) != NULL)
		n = atoi(p + 6);
	free(out);
	return n;
}

/* The text of one page (0: all), layout kept. */
static char *pdf_text(const char *pdf, int page)
{
	char cmd[4200];

	if (page > 0)
		snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' - 2>/dev/null", page,
			 page, pdf);
	else
		snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' - 2>/dev/null", pdf);
	return tu_capture(cmd);
}

static const char *example(const char *name)
{
	static char buf[2][4096];
	static int i;

	i ^= 1;
	snprintf(buf[i], sizeof buf[i], "%s/datasets/%s", tu_srcdir(), name);
	return buf[i];
}

/* Rows of the example shotlist (non-empty lines after the header). */
static int example_rows(void)
{
	char *text = tu_slurp(example("shotlist-example.csv")), *p;
	int lines = 0, nonempty = 0;

	cr_assert_not_null(text);
	for (p = text; *p; p++) {
		if (*p == '\n') {
			lines++;
			continue;
		}
		if (p == text || p[-1] == '\n')
			nonempty++;
	}
	free(text);
	return nonempty - 1;
}

/* Files in the scratch directory whose name contains `part`. */
static int files_like(const char *part)
{
	char cmd[4200], *out;
	int n;

	snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c -- '%s'", tu_tmpdir(), part);
	out = tu_capture(cmd);
	n = out ? atoi(out) : -1;
	free(out);
	return n;
}

TestSuite(shotlist_cli, .fini = tu_cleanup_tmpdir);

Test(shotlist_cli, help)
{
	tu_run_t r = tu_vpmoire("shotlist --help");

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "Usage: vpmoire shotlist SHOTS.csv --stage STAGE") != NULL);
	cr_assert(strstr(r.out, "--keep-going") != NULL);
	tu_run_free(&r);
	r = tu_vpmoire("--help");
	cr_assert(strstr(r.out, "shotlist") != NULL);
	tu_run_free(&r);
}

Test(shotlist_cli, example_day_renders_and_agrees)
{
	char args[8192], *all, *summary, *line, *save;
	int rows = example_rows(), k = 0;
	tu_run_t r;

	if (!tu_have("pdfinfo") || !tu_have("pdftotext"))
		cr_skip_test("poppler-utils (pdfinfo, pdftotext) not installed");
	cr_assert_geq(rows, 12);
	snprintf(args, sizeof args, "shotlist '%s' --stage '%s' -o day.pdf",
		 example("shotlist-example.csv"), example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(pdf_pages(tu_tmp("day.pdf")), rows + 1);
	cr_assert_eq(files_like(".tmp-"), 0);
	all = pdf_text(tu_tmp("day.pdf"), 0);
	summary = pdf_text(tu_tmp("day.pdf"), 1);
	cr_assert_not_null(all);
	cr_assert(strstr(summary, "Shotlist previs") != NULL);
	/* rig names and the stage */
	cr_assert(strstr(all, "zeiss-cp3-35") && strstr(all, "cooke-s4i-12") &&
		  strstr(all, "sigma-ff-hs-20"));
	cr_assert(strstr(all, "URSA Mini Pro 4.6K G2") && strstr(all, "KOMODO 6K") &&
		  strstr(all, "FX6"));
	cr_assert(strstr(all, "aoto-rm1.5") != NULL);
	/* stdout has a line per shot, sorted: "ID VERDICT V x.xx ..."; page
	 * k + 2 is that shot, with the same verdict, and the summary row says
	 * the same verdict and visibility */
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char id[64], verdict[32], want[160], *page;
		double v;
		if (strncmp(line, "wrote ", 6) == 0)
			continue;
		cr_assert_eq(sscanf(line, "%63s %31s V %lf", id, verdict, &v), 3, "%s", line);
		page = pdf_text(tu_tmp("day.pdf"), k + 2);
		snprintf(want, sizeof want, "Shot %s ", id);
		cr_assert(strstr(page, want) != NULL, "page %d is not shot %s", k + 2, id);
		cr_assert(strstr(page, verdict) != NULL, "page %d lacks %s", k + 2, verdict);
		snprintf(want, sizeof want, "visibility %.2f", v);
		cr_assert(strstr(page, want) != NULL, "page %d lacks '%s'", k + 2, want);
		/* the summary row of this shot: same verdict, visibility to 0.05 */
		{
			char *row = summary, *hit = NULL, *vp;
			size_t idl = strlen(id);
			while ((row = strstr(row, id)) != NULL) {
				if ((row == summary || row[-1] == '\n' || row[-1] == ' ') &&
				    row[idl] == ' ') {
					hit = row;
					break;
				}
				row += idl;
			}
			cr_assert_not_null(hit, "no summary row for %s", id);
			vp = strstr(hit, verdict);
			cr_assert(vp != NULL && vp < strchr(hit, '\n'),
				  "summary row of %s lacks %s", id, verdict);
			/* one decimal, whole numbers from 100 up */
			cr_assert_float_eq(strtod(vp + strlen(verdict), NULL), v,
					   v < 100 ? 0.051 : 0.51);
		}
		free(page);
		k++;
	}
	cr_assert_eq(k, rows);
	free(all);
	free(summary);
	tu_run_free(&r);
	remove(tu_tmp("day.pdf"));
}

static const char *broken_csv(void)
{
	return tu_write("broken.csv",
			"shot,camera,lens,stop,camera distance,subject distance,focus\n"
			"1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m,subject\n"
			"2,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,,2.7m,1.5m,subject\n"
			"3,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,T2.8,2.7 parsecs,1.5m,subject\n"
			"4,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-21,T4,3m,1.5m,subject\n");
}

/* Each shot's recommendation is advice the stage allows: in the ideal chain
 * shots 1A and 1B of the example are safe only with camera and subject some 6 m and 3 m
 * further from the wall (`check` says so too), which the 3.05 m floor of the
 * micro stage cannot give: the page says so instead of advising it (or, as
 * it once did, mislabelling it as a focus change of "0.00 m"). */
Test(shotlist_cli, recommendations_fit_the_stage)
{
	static const char *const shots[] = { "1A", "1B" };
	char args[8192], *all, *p;
	size_t i;
	tu_run_t r;

	if (!tu_have("pdftotext"))
		cr_skip_test("poppler-utils (pdftotext) not installed");
	/* the ideal chain, which calls these shots unsafe */
	snprintf(args, sizeof args, "shotlist '%s' --stage '%s' --model ideal -o advice.pdf",
		 example("shotlist-example.csv"), example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	all = pdf_text(tu_tmp("advice.pdf"), 0);
	cr_assert_not_null(all);
	for (p = all; *p; p++) /* lines wrap anywhere: search one long line */
		if (*p == '\n')
			*p = ' ';
	for (p = all; (p = strstr(p, "move focus ")) != NULL; p++) {
		double d = 0.0;
		cr_assert_eq(sscanf(p, "move focus %lf", &d), 1, "%.60s", p);
		cr_assert_gt(d, 0.0, "a focus move of nothing: %.60s", p);
	}
	for (i = 0; i < sizeof shots / sizeof shots[0]; i++) {
		char want[64], *page = all, *end;
		snprintf(want, sizeof want, "Shot %s ", shots[i]);
		page = strstr(all, want);
		cr_assert_not_null(page, "no page for shot %s", shots[i]);
		end = strstr(page + 1, "Shot ");
		/* nothing on this stage is SAFE in the ideal chain: the page says
		 * so, and why, instead of advising a move off the floor */
		p = strstr(page, "no camera position on the stage is safe");
		cr_assert(p != NULL && (end == NULL || p < end),
			  "shot %s: no word of the stage being too small", shots[i]);
		p = strstr(page, "further from the wall");
		cr_assert(p == NULL || (end != NULL && p > end),
			  "shot %s: a move the floor does not allow", shots[i]);
	}
	free(all);
}

Test(shotlist_cli, broken_csv_stops_and_writes_nothing)
{
	char args[8192];
	tu_run_t r;

	broken_csv();
	remove(tu_tmp("broken.pdf"));
	snprintf(args, sizeof args, "shotlist broken.csv --stage '%s' -o broken.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	/* the empty stop of line 3 starts at column 42 */
	cr_assert(strstr(r.err, "broken.csv:3:42: stop: missing stop") != NULL, "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cr_assert_eq(tu_exists(tu_tmp("broken.pdf")), 0);
	cr_assert_eq(files_like(".tmp-"), 0);
	tu_run_free(&r);
}

Test(shotlist_cli, keep_going_renders_the_good_rows)
{
	char args[8192], *text;
	tu_run_t r;

	broken_csv();
	snprintf(args, sizeof args,
		 "shotlist broken.csv --stage '%s' -o kept.pdf --keep-going --units ft",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 2, "%s", r.err);
	cr_assert(strstr(r.err, "broken.csv:4:") != NULL);
	if (!tu_have("pdfinfo") || !tu_have("pdftotext")) {
		tu_run_free(&r);
		cr_skip_test("poppler-utils not installed");
	}
	cr_assert_eq(pdf_pages(tu_tmp("kept.pdf")), 2 + 1);
	text = pdf_text(tu_tmp("kept.pdf"), 1);
	cr_assert(strstr(text, "Rejected rows (2") != NULL, "%s", text);
	cr_assert(strstr(text, "broken.csv:3:42: stop: missing stop") != NULL, "%s", text);
	cr_assert(strstr(text, "2 rows rejected") != NULL);
	free(text);
	/* feet and inches on request */
	text = pdf_text(tu_tmp("kept.pdf"), 2);
	cr_assert(strstr(text, "'") != NULL && strstr(text, "\"") != NULL);
	free(text);
	tu_run_free(&r);
	remove(tu_tmp("kept.pdf"));
}

/* The names in directory `dir` of the scratch directory, sorted, one a
 * line, hidden ones included (malloc'd). */
static char *listing(const char *dir)
{
	char cmd[4300];

	snprintf(cmd, sizeof cmd, "cd '%s/%s' && ls -A | LC_ALL=C sort", tu_tmpdir(), dir);
	return tu_capture(cmd);
}

/* Ids that become the same file name (issue 14): 1/A, 1_A and 1:A all map
 * to shot-1_A, and 1_a is the same file on a case-insensitive disk.  Each
 * shot gets its own image, the id written as is keeps the plain name, the
 * others a numbered one listed on stdout; the count printed is the files
 * written, and a second run gives the same names. */
Test(shotlist_cli, colliding_ids_get_their_own_images)
{
	char args[8192], *first, *names, *files[5];
	size_t len[5];
	tu_run_t r;
	int i, j;

	tu_write("same.csv", "Shot,Camera,Lens,Stop,Camera distance,Subject distance\n"
			     "1/A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m\n"
			     "1_A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,T2.8,2.7m,1.5m\n"
			     "1:A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,3.1m,1.5m\n"
			     "1_a,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-21,T4,2.5m,1.5m\n");
	snprintf(args, sizeof args, "shotlist same.csv --stage '%s' --format png --outdir same",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "wrote 5 png files to same\n") != NULL, "%s", r.out);
	names = listing("same");
	cr_assert_str_eq(names, "shot-1_A-2.png\nshot-1_A-3.png\nshot-1_A.png\nshot-1_a-4.png\n"
				"summary.png\n");
	free(names);
	/* the id that is already a file name keeps it; the others are listed */
	cr_assert(strstr(r.out, "(shot-1_A.png is shot 1_A's)") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "  shot 1/A is shot-1_A-") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "  shot 1:A is shot-1_A-") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "  shot 1_a is shot-1_a-4.png") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "shot 1_A is") == NULL, "%s", r.out);
	/* five different pages, none written over another */
	{
		static const char *const f[5] = { "same/summary.png", "same/shot-1_A.png",
						  "same/shot-1_A-2.png", "same/shot-1_A-3.png",
						  "same/shot-1_a-4.png" };
		for (i = 0; i < 5; i++) {
			FILE *fp = fopen(tu_tmp(f[i]), "rb");
			cr_assert_not_null(fp, "%s", f[i]);
			files[i] = malloc(1 << 22);
			len[i] = fread(files[i], 1, 1 << 22, fp);
			fclose(fp);
			cr_assert(len[i] > 8 && memcmp(files[i], "\x89PNG", 4) == 0, "%s", f[i]);
		}
		for (i = 0; i < 5; i++)
			for (j = i + 1; j < 5; j++)
				cr_assert(len[i] != len[j] ||
						  memcmp(files[i], files[j], len[i]) != 0,
					  "%s and %s are the same page", f[i], f[j]);
		for (i = 0; i < 5; i++)
			free(files[i]);
	}
	/* predictable: the same shotlist gives the same names */
	first = strdup(r.out);
	tu_run_free(&r);
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, first);
	free(first);
	tu_run_free(&r);
}

/* An input under the name of one of the images: refused before anything
 * is written (it would be replaced by a page). */
Test(shotlist_cli, an_input_is_never_an_output)
{
	char args[8192], *stage = tu_slurp(example("stage-micro.stage")), *after;
	tu_run_t r;

	cr_assert_not_null(stage);
	mkdir(tu_tmp("mixed"), 0777);
	tu_write("mixed/summary.png", stage);
	tu_write("one.csv", "Shot,Camera,Lens,Stop,Camera distance,Subject distance\n"
			    "1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m\n");
	snprintf(args, sizeof args,
		 "shotlist one.csv --stage mixed/summary.png -o mixed.pdf --format png "
		 "--outdir ./mixed");
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "--stage mixed/summary.png") != NULL, "%s", r.err);
	after = tu_slurp(tu_tmp("mixed/summary.png"));
	cr_assert(after != NULL && strcmp(after, stage) == 0, "the stage file was overwritten");
	cr_assert(!tu_exists(tu_tmp("mixed.pdf")) && !tu_exists(tu_tmp("mixed/shot-1.png")));
	free(after);
	free(stage);
	tu_run_free(&r);
}

/* SVG pages (one file each) under the sanitizer build's LeakSanitizer: this
 * path used to leak every page's recording (cairo 1.16's SVG backend keeps
 * them; plots/doc.c finishes them, tests/lsan.supp forgives the header left,
 * matched only with full unwinding).  In a plain build: the pages are
 * written, one SVG each. */
Test(shotlist_cli, svg_pages_are_written_and_freed)
{
	char args[8192], *svg, *names;
	tu_run_t r;

	tu_asan_full_unwind();
	tu_write("svg.csv", "Shot,Camera,Lens,Stop,Camera distance,Subject distance\n"
			    "12/A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m\n"
			    "3,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,T2.8,2.7m,1.5m\n");
	snprintf(args, sizeof args,
		 "shotlist svg.csv --stage '%s' -o svg.pdf --format svg --outdir svgs",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "exit %d (a leak report exits 23): %s", r.status, r.err);
	cr_assert(strstr(r.out, "wrote 3 svg files to svgs") != NULL, "%s", r.out);
	names = listing("svgs");
	cr_assert_str_eq(names, "shot-12_A.svg\nshot-3.svg\nsummary.svg\n");
	free(names);
	svg = tu_slurp(tu_tmp("svgs/shot-3.svg"));
	cr_assert(svg != NULL && strstr(svg, "<svg") != NULL && strstr(svg, "</svg>") != NULL);
	free(svg);
	cr_assert_eq(pdf_pages(tu_tmp("svg.pdf")) > 0 || !tu_have("pdfinfo"), 1);
	tu_run_free(&r);
}

Test(shotlist_cli, images_per_page)
{
	char args[8192], *png;
	tu_run_t r;

	tu_write("two.csv", "Shot,Camera,Lens,Stop,Camera distance,Subject distance\n"
			    "12/A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m\n"
			    "3,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-50,T2.8,2.7m,1.5m\n");
	snprintf(args, sizeof args, "shotlist two.csv --stage '%s' --format png --outdir imgs",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(tu_exists(tu_tmp("imgs/summary.png")));
	cr_assert(tu_exists(tu_tmp("imgs/shot-3.png")));
	cr_assert(tu_exists(tu_tmp("imgs/shot-12_A.png")));
	png = tu_slurp(tu_tmp("imgs/shot-3.png"));
	cr_assert(png && memcmp(png, "\x89PNG", 4) == 0);
	free(png);
	tu_run_free(&r);
	remove(tu_tmp("imgs/summary.png"));
	remove(tu_tmp("imgs/shot-3.png"));
	remove(tu_tmp("imgs/shot-12_A.png"));
	remove(tu_tmp("imgs"));
}

static double json_number(const char *json, const char *key)
{
	char k[64];
	const char *p;

	snprintf(k, sizeof k, "\"%s\": ", key);
	p = strstr(json, k);
	cr_assert_not_null(p, "no %s in %s", key, json);
	return strtod(p + strlen(k), NULL);
}

/* The reference micro stage as a shot, and the same set-up through check:
 * same verdict, same visibility. */
Test(shotlist_cli, verdict_equals_check)
{
	char args[8192], verdict[32], want[64];
	double v, vc;
	tu_run_t r, c;

	tu_write("ref.csv", "shot,camera,lens,stop,camera distance,camera height,focus\n"
			    "R,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,2.524m,1.6m,1m\n");
	snprintf(args, sizeof args, "shotlist ref.csv --stage '%s' -o ref.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(sscanf(r.out, "R %31s V %lf", verdict, &v), 2, "%s", r.out);
	c = tu_vpmoire("check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 "
		       "--lens zeiss-cp3-28 --stop T2.8 --wall 2.524m --focus 1m --json");
	cr_assert_eq(c.status, 0, "%s", c.err);
	vc = json_number(c.out, "visibility");
	cr_assert_float_eq(v, vc, 0.0051);
	snprintf(want, sizeof want, "\"risk\": \"%s\"", verdict);
	for (char *p = want; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	cr_assert(strstr(c.out, want) != NULL, "check: %s, shotlist: %s", c.out, verdict);
	tu_run_free(&r);
	tu_run_free(&c);
	remove(tu_tmp("ref.pdf"));
}

Test(shotlist_cli, usage_and_stage_errors)
{
	char args[8192];
	const char *cases[] = {
		"shotlist",
		"shotlist x.csv --stage s.stage",
		"shotlist x.csv --stage s.stage -o out.png",
		"shotlist x.csv --stage s.stage --format tiff --outdir d",
		"shotlist x.csv --stage s.stage --format png",
		"shotlist x.csv -o out.pdf",
		"shotlist x.csv --stage s.stage -o out.pdf --paper a3",
		"shotlist x.csv --stage s.stage -o out.pdf --bogus",
	};
	size_t i;
	tu_run_t r;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		r = tu_vpmoire(cases[i]);
		cr_assert_eq(r.status, 2, "'%s' gave %d", cases[i], r.status);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0, "%s", r.err);
		tu_run_free(&r);
	}
	tu_write("bad.stage", "panel = aoto-rm1.5\nwall_widht = 5m\n");
	broken_csv();
	snprintf(args, sizeof args, "shotlist broken.csv --stage bad.stage -o s.pdf");
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "bad.stage:2:1: unknown key 'wall_widht'; did you mean "
				"'wall_width'?") != NULL,
		  "%s", r.err);
	tu_run_free(&r);
	tu_write("bad.stage", "panel = aoto-rm1.6\ncabinets_across = 10\ncabinets_down = 4\n");
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "bad.stage:1:9: panel: ") != NULL, "%s", r.err);
	tu_run_free(&r);
	/* the stage as flags alone */
	snprintf(args, sizeof args,
		 "shotlist broken.csv --panel aoto-rm1.5 --cabinets-across 10 --cabinets-down 4 "
		 "--keep-going -o flags.pdf");
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(tu_exists(tu_tmp("flags.pdf")));
	tu_run_free(&r);
	remove(tu_tmp("flags.pdf"));
	remove(tu_tmp("s.pdf"));
}

/* The labels of issue 12, each against the number it names. */

/* Sum of the "(N %)" parts after "past the " up to " edge" in a caption,
 * "<1 %" counting 0; *total the number before "% of the frame". */
static int caption_parts(const char *cap, int *total)
{
	const char *p = strstr(cap, "past the "), *end;
	int sum = 0;

	*total = atoi(cap + strlen("Set extension: "));
	cr_assert_not_null(p, "%s", cap);
	end = strstr(p, "edge"); /* the caption may wrap: parts up to "edge(s)" */
	cr_assert_not_null(end, "%s", cap);
	while ((p = strchr(p, '(')) != NULL && p < end) {
		if (p[1] != '<')
			sum += atoi(p + 1);
		p++;
	}
	return sum;
}

Test(shotlist_cli, labels_say_what_the_numbers_are, .timeout = 120)
{
	char args[8192], *sum, *all, *p, *cmd, *nl;
	int pages, page, captions = 0;
	tu_run_t r, c;

	if (!tu_have("pdfinfo") || !tu_have("pdftotext"))
		cr_skip_test("poppler-utils (pdfinfo, pdftotext) not installed");
	/* 9A focus at infinity; 9B focused at 0.8 m on a 100 mm whose close
	 * focus is 0.91 m (the subject at 0.8 m is inside the computed DOF);
	 * 9C a 28 mm 1.2 m from a 3.9 mm wall, focused on it: V above 1000 */
	tu_write("labels.csv",
		 "shot,camera,lens,stop,camera distance,camera height,subject distance,"
		 "subject height,pose,focus\n"
		 "9A,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T4,2.95m,,1.5m,1.75m,seated,inf\n"
		 "9B,red-komodo-6k-17x9,cooke-s4i-100,T8,2.35m,1.67m,1.55m,1.78m,standing,"
		 "0.8m\n"
		 "9C,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T8,1.2m,1.2m,,,,1.2m\n");
	snprintf(args, sizeof args,
		 "shotlist labels.csv --stage '%s' --panel absen-pl3.9-pro-v2 -o labels.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "9B ") && strstr(r.out, "subject soft: focus nearer than the "
							"lens's close focus"),
		  "%s", r.out);
	sum = pdf_text(tu_tmp("labels.pdf"), 1);
	all = pdf_text(tu_tmp("labels.pdf"), 0);
	/* the camera mode has its column */
	cr_assert(strstr(sum, "Mode") && strstr(sum, "4.6K 16:9") && strstr(sum, "6K 17:9"), "%s",
		  sum);
	/* V above 1000 is printed whole, never cut to "RISKY 102..." */
	p = strstr(sum, "RISKY 1");
	cr_assert_not_null(p, "%s", sum);
	{
		char *q;
		cr_assert_gt(strtod(p + 6, &q), 1000.0, "%s", sum);
		cr_assert(strncmp(q, " grid", 5) == 0 || strncmp(q, " moir", 5) == 0, "%.30s", p);
	}
	/* (text columns such as the camera model may end in "..."; numbers never) */
	/* one rule for sharp: the summary says SOFT for 9B, the page says why */
	{
		char *row = strstr(sum, "9B ");
		cr_assert_not_null(row);
		nl = strchr(row, '\n');
		p = strstr(row, "SOFT");
		cr_assert(p != NULL && p < nl, "%s", sum);
	}
	cr_assert(strstr(all, "subject's eyes at 0.80 m: SOFT"), "%s", all);
	cr_assert(strstr(sum, "2 with the subject not sharp"), "%s", sum);
	/* no "modulation %": the moire's amplitude over the mean level */
	cr_assert_null(strstr(all, "modulation"), "%s", all);
	cr_assert(strstr(all, "beat amplitude ") && strstr(all, "mean level"), "%s", all);
	/* the check command of 9A is one that check accepts, with the same
	 * verdict */
	p = strstr(all, "Same verdict as: vpmoire check");
	cr_assert_not_null(p, "%s", all);
	{
		char *f = strstr(p, "--focus inf");
		cr_assert(f != NULL && (f[11] == ' ' || f[11] == '\n'), "%.300s", p);
	}
	cr_assert_null(strstr(all, "infm"));
	cmd = strdup(p + strlen("Same verdict as: vpmoire "));
	nl = strchr(cmd, '\n');
	if (nl)
		*nl = '\0';
	c = tu_vpmoire(cmd);
	cr_assert_eq(c.status, 0, "%s: %s", cmd, c.err);
	{
		char verdict[32];
		cr_assert_eq(sscanf(r.out, "9A %31s", verdict), 1);
		cr_assert_eq(strncmp(c.out, verdict, strlen(verdict)), 0, "check: %.80s, 9A: %s",
			     c.out, verdict);
	}
	free(cmd);
	tu_run_free(&c);
	free(sum);
	free(all);
	tu_run_free(&r);

	/* the example day: on every shot page the per-edge set-extension
	 * shares add up to the share of the frame printed before them */
	snprintf(args, sizeof args, "shotlist '%s' --stage '%s' -o day.pdf",
		 example("shotlist-example.csv"), example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	pages = pdf_pages(tu_tmp("day.pdf"));
	for (page = 2; page <= pages; page++) {
		char *t = pdf_text(tu_tmp("day.pdf"), page), *cap = strstr(t, "Set extension: ");
		int total, parts;
		if (cap != NULL) {
			parts = caption_parts(cap, &total);
			cr_assert_eq(parts, total, "page %d: %s", page, cap);
			captions++;
		}
		free(t);
	}
	cr_assert_geq(captions, 5, "the example has six shots with a set extension");
	tu_run_free(&r);
}

/* Issue 13: notes of 600 × "é" (1200 bytes, more than a wrapped line holds)
 * were cut inside a character; cairo then refused the string, stopped
 * drawing the page, and the shot page lost everything after the notes while
 * the command exited 0.  Now the page is whole: the line after the notes
 * ("Same verdict as: vpmoire check ...") and the footer are in the PDF. */
Test(shotlist_cli, long_utf8_notes_keep_the_page_whole)
{
	char csv[2048], args[8192], *text, *notes;
	size_t n, k;
	tu_run_t r;

	if (!tu_have("pdftotext"))
		cr_skip_test("poppler-utils (pdftotext) not installed");
	n = (size_t)snprintf(csv, sizeof csv,
			     "shot,camera,lens,stop,camera distance,subject distance,focus,notes\n"
			     "1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-35,T2.8,2.9m,1.5m,subject,");
	for (k = 0; k < 600; k++, n += 2)
		memcpy(csv + n, "\xC3\xA9", 2);
	memcpy(csv + n, "\n", 2);
	tu_write("eacute.csv", csv);
	snprintf(args, sizeof args, "shotlist eacute.csv --stage '%s' -o eacute.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	text = pdf_text(tu_tmp("eacute.pdf"), 2);
	cr_assert_not_null(text);
	notes = strstr(text, "Notes:");
	cr_assert_not_null(notes, "%s", text);
	cr_assert(strstr(notes, "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9") != NULL, "%s", text);
	cr_assert(strstr(notes, "Same verdict as: vpmoire check") != NULL, "%s", text);
	cr_assert(strstr(notes, "Assumptions") != NULL, "%s", text);
	cr_assert(strstr(notes, "Page 2 of 2") != NULL, "%s", text);
	free(text);
	tu_run_free(&r);
	remove(tu_tmp("eacute.pdf"));
}

/* A shot that moves: the terminal names its worst point and verdict
 * ranges, its page shows the move (the Move row and the strip's caption),
 * a shot without move columns shows neither; a move past the subject is a
 * one-line error naming the cell. */
Test(shotlist_cli, a_shot_that_moves)
{
	char args[8192], *text;
	tu_run_t r;

	tu_write("move.csv",
		 "Shot,Camera,Lens,Stop,Camera distance,Subject distance,Focus,Camera distance "
		 "end,Second subject distance\n"
		 "M1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,3.0m,1.524m,subject,2.4m,2.0m\n"
		 "S1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,3.0m,1.524m,subject,,\n");
	snprintf(args, sizeof args, "shotlist move.csv --stage '%s' -o move.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "\nM1 ") != NULL || strncmp(r.out, "M1 ", 3) == 0, "%s", r.out);
	cr_assert(strstr(r.out, "move: worst at t ") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, " t 0.00-") != NULL, "%s", r.out);
	/* one move line only: S1 does not move */
	cr_assert_eq(strstr(strstr(r.out, "move: worst") + 1, "move: worst"), NULL, "%s", r.out);
	tu_run_free(&r);
	if (tu_have("pdftotext")) {
		text = pdf_text(tu_tmp("move.pdf"), 2);
		cr_assert_not_null(text);
		cr_assert(strstr(text, "Along the move") != NULL, "%s", text);
		cr_assert(strstr(text, "end of move") != NULL, "%s", text);
		free(text);
		text = pdf_text(tu_tmp("move.pdf"), 3);
		cr_assert_not_null(text);
		cr_assert_eq(strstr(text, "Along the move"), NULL);
		free(text);
	}
	tu_write("past.csv",
		 "Shot,Camera,Lens,Stop,Camera distance,Subject distance,Focus,Push to\n"
		 "P1,bmd-ursa-mini-pro-4.6k-g2,zeiss-cp3-28,T2.8,3.0m,1.524m,subject,0.9m\n");
	snprintf(args, sizeof args, "shotlist past.csv --stage '%s' -o past.pdf",
		 example("stage-micro.stage"));
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "past.csv:2:") != NULL && strstr(r.err, "Push to") != NULL, "%s",
		  r.err);
	cr_assert(strstr(r.err, "passes the subject") != NULL, "%s", r.err);
	cr_assert_eq(tu_exists(tu_tmp("past.pdf")), 0);
	tu_run_free(&r);
}
