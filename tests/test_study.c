/* The sweep's library side beyond lib/sweep.c: catalog selection
 * (vpm_catalog_select), study files and the study they build (lib/study.c),
 * the parallel engine (lib/sweep_engine.c) and the shard merge
 * (lib/merge.c).  Expected values are read off the inputs by hand. */
#define _GNU_SOURCE /* fmemopen, open_memstream */
#include <config.h>

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/merge.h"
#include "vpmoire/study.h"
#include "vpmoire/sweep.h"

#define PANEL_HEAD "name,maker,model,pitch_mm,emitter_mm\n"

/* Four panels of a hand-written catalog. */
static vpm_catalog_t *four_panels(void)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *path = tu_write("four.csv",
				    PANEL_HEAD "roe-bp2v2,ROE Visual,BP2,2.8409,0.17\n"
					       "aoto-rm1.5,AOTO,RM1.5,1.5625,0.17\n"
					       "roe-ruby-rb2.3,ROE Visual,RB2.3,2.3148,0.17\n"
					       "house-1.9,House,Wall,1.9,0.25\n");

	cr_assert_not_null(cat);
	cr_assert_eq(vpm_catalog_load_file(cat, path, NULL), VPM_OK, "%s", vpm_error_message());
	return cat;
}

static const char *pname(const void *e)
{
	return ((const vpm_panel_t *)e)->name;
}

Test(select, globs_names_and_each_entry_once)
{
	vpm_catalog_t *cat = four_panels();
	const void **e = NULL;
	size_t n = 99;

	/* the glob (upper case folded) takes both ROE panels in catalog order;
	 * roe-bp2v2 named again and aoto-rm1.5 twice are kept once */
	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS,
					" ROE-* , aoto-rm1.5,roe-bp2v2,AOTO-RM1.5", &e, &n),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(n, 3);
	cr_assert_str_eq(pname(e[0]), "roe-bp2v2");
	cr_assert_str_eq(pname(e[1]), "roe-ruby-rb2.3");
	cr_assert_str_eq(pname(e[2]), "aoto-rm1.5");
	cr_assert_float_eq(((const vpm_panel_t *)e[1])->pitch_mm, 2.3148, 1e-12);
	free((void *)e);

	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS, "h*,all", &e, &n), VPM_OK);
	cr_assert_eq(n, 4, "'all' adds the three not yet selected");
	cr_assert_str_eq(pname(e[0]), "house-1.9");
	cr_assert_str_eq(pname(e[3]), "roe-ruby-rb2.3");
	free((void *)e);

	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS, "*-rb?.?", &e, &n), VPM_OK);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(pname(e[0]), "roe-ruby-rb2.3");
	free((void *)e);
	vpm_catalog_free(cat);
}

Test(select, errors_name_the_item)
{
	vpm_catalog_t *cat = four_panels();
	const void **e = (const void **)&e;
	size_t n = 7;

	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS, "roe-*,zz*", &e, &n),
		     VPM_ENOTFOUND);
	cr_assert_str_eq(vpm_error_message(),
			 "'zz*' matches no panel (see 'vpmoire catalog list panels')");
	cr_assert_null(e);
	cr_assert_eq(n, 0);
	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS, "all,", &e, &n), VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(), "empty name in 'all,'");
	cr_assert_eq(vpm_catalog_select(cat, VPM_CATALOG_PANELS, "nothing-like-it", &e, &n),
		     VPM_ENOTFOUND);
	cr_assert_null(e);
	cr_assert_eq(vpm_catalog_select(NULL, VPM_CATALOG_PANELS, "all", &e, &n), VPM_EINVAL);
	vpm_catalog_free(cat);
}

static FILE *text_file(const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	cr_assert_not_null(fp);
	return fp;
}

Test(study_args, flags_values_and_origins)
{
	static const char text[] = "# a study\n"
				   "--wall 2m:3m:0.5m\n"
				   "\n"
				   "  --stop=\"T2.8,T4\"\r\n"
				   "\t--quiet\n"
				   "--roll '5 deg'  \n";
	vpm_study_args_t a;
	FILE *fp = text_file(text);

	memset(&a, 0, sizeof a);
	cr_assert_eq(vpm_study_args_push(&a, "sweep", NULL), VPM_OK);
	cr_assert_eq(vpm_study_args_read(&a, fp, "s.args"), VPM_OK, "%s", vpm_error_message());
	fclose(fp);
	cr_assert_eq(a.argc, 8);
	cr_assert_null(a.origin[0]);
	cr_assert_str_eq(a.argv[1], "--wall");
	cr_assert_str_eq(a.origin[1], "s.args:2:1");
	cr_assert_str_eq(a.argv[2], "2m:3m:0.5m");
	cr_assert_str_eq(a.origin[2], "s.args:2:8");
	/* "  --stop=" then a quoted value: the flag at column 3, the value
	 * inside the quotes at column 11; the CR is dropped */
	cr_assert_str_eq(a.argv[3], "--stop");
	cr_assert_str_eq(a.origin[3], "s.args:4:3");
	cr_assert_str_eq(a.argv[4], "T2.8,T4");
	cr_assert_str_eq(a.origin[4], "s.args:4:11");
	cr_assert_str_eq(a.argv[5], "--quiet");
	cr_assert_str_eq(a.origin[5], "s.args:5:2");
	cr_assert_str_eq(a.argv[7], "5 deg");
	cr_assert_str_eq(a.origin[7], "s.args:6:9");
	cr_assert_null(a.argv[8]);
	vpm_study_args_free(&a);
	cr_assert_eq(a.argc, 0);
}

Test(study_args, a_bad_line_is_named)
{
	vpm_study_args_t a;
	FILE *fp = text_file("--wall 2m\n# fine\n   wall 3m\n--stop 4\n");

	memset(&a, 0, sizeof a);
	cr_assert_eq(vpm_study_args_read(&a, fp, "bad.args"), VPM_EPARSE);
	fclose(fp);
	cr_assert_str_eq(vpm_error_message(),
			 "bad.args:3:4: expected a flag such as --wall 1.5m:8m:0.1m (one per line)");
	cr_assert_eq(a.argc, 2, "the lines before it were read, none after");
	vpm_study_args_free(&a);

	fp = fmemopen((void *)"--wall\0 2m\n", 11, "r");
	cr_assert_not_null(fp);
	cr_assert_eq(vpm_study_args_read(&a, fp, "nul.args"), VPM_EPARSE);
	fclose(fp);
	cr_assert_str_eq(vpm_error_message(), "nul.args:1: NUL byte: not a text file");
	vpm_study_args_free(&a);
}

Test(study_args, an_endless_line_stops_at_the_limit)
{
	size_t n = VPM_STUDY_LINE_MAX + 100; /* line 2: 65,566 bytes */
	char *text = malloc(n);
	vpm_study_args_t a;
	FILE *fp;

	cr_assert_not_null(text);
	memcpy(text, "--wall 2m\n--roll ", 17);
	memset(text + 17, '1', n - 17);
	fp = fmemopen(text, n, "r");
	memset(&a, 0, sizeof a);
	cr_assert_eq(vpm_study_args_read(&a, fp, "huge.args"), VPM_ELIMIT);
	cr_assert_str_eq(vpm_error_message(), "huge.args:2: line longer than 65536 bytes");
	fclose(fp);
	free(text);
	vpm_study_args_free(&a);
}

/* A study of raw equipment only: pitch 2.5 mm, emitter 0.5 mm, photosite
 * 5.5 um, 4000 photosites, a 35 mm lens, walls at 2 m and 3 m. */
static vpm_study_spec_t raw_spec(void)
{
	vpm_study_spec_t sp = vpm_study_spec_default();

	sp.raw.pitch_mm = 2.5;
	sp.raw.emitter_mm = 0.5;
	sp.raw.photosite_um = 5.5;
	sp.raw.width_px = 4000;
	sp.raw.focal_mm = 35.0;
	sp.raw_given = VPM_RAW_PITCH | VPM_RAW_EMITTER | VPM_RAW_PHOTOSITE | VPM_RAW_WIDTH_PX |
		       VPM_RAW_FOCAL;
	sp.wall.text = "2m,3m";
	return sp;
}

Test(study, raw_equipment_and_its_description)
{
	vpm_catalog_t *cat = four_panels();
	vpm_study_spec_t sp = raw_spec();
	vpm_study_t *s = NULL;
	const vpm_sweep_study_t *st;
	static const char head[] =
		"--pitch 2.5 --emitter 0.5 --photosite 5.5 --width-px 4000 --focal 35 --stop 2.8 "
		"--wall 2m,3m --focus-rule subject --subject-gap 5ft --subject-depth 0 --roll 0 "
		"--recording-px none --delivery-px none --tolerance ";

	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_OK, "%s", vpm_error_message());
	st = vpm_study_sweep(s);
	cr_assert_eq(st->n_panels, 1);
	cr_assert_null(st->panels[0].name, "an unnamed panel");
	cr_assert_float_eq(st->panels[0].pitch_mm, 2.5, 1e-15);
	cr_assert_float_eq(st->cameras[0].photosite_um, 5.5, 1e-15);
	cr_assert_str_eq(st->cameras[0].cfa, "bayer");
	cr_assert_float_eq(st->lenses[0].focal_mm, 35.0, 1e-15);
	cr_assert_eq(st->walls.n, 2);
	cr_assert_float_eq(st->walls.values[1], 3.0, 1e-15);
	cr_assert_eq(st->stops.n, 1);
	cr_assert_float_eq(st->stops.values[0], 2.8, 1e-15);
	cr_assert_eq(st->focus_rule, VPM_SWEEP_FOCUS_SUBJECT);
	cr_assert_eq(strncmp(vpm_study_description(s), head, sizeof head - 1), 0, "%s",
		     vpm_study_description(s));
	cr_assert_str_eq(st->description, vpm_study_description(s));
	vpm_study_free(s);
	vpm_catalog_free(cat);
}

Test(study, selections_override_and_quote)
{
	vpm_catalog_t *cat = four_panels();
	vpm_study_spec_t sp = raw_spec();
	vpm_study_t *s = NULL;
	const vpm_sweep_study_t *st;

	/* panels by glob; the raw pitch overrides every selected panel */
	sp.panels = "roe-*";
	sp.raw_given &= ~(unsigned)VPM_RAW_EMITTER;
	sp.gap.text = "1 m";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_OK, "%s", vpm_error_message());
	st = vpm_study_sweep(s);
	cr_assert_eq(st->n_panels, 2);
	cr_assert_str_eq(st->panels[1].name, "roe-ruby-rb2.3");
	cr_assert_float_eq(st->panels[1].pitch_mm, 2.5, 1e-15, "the raw pitch wins");
	cr_assert_float_eq(st->panels[1].emitter_mm, 0.17, 1e-15, "the catalog emitter stays");
	cr_assert_eq(strncmp(vpm_study_description(s),
			     "--panels roe-bp2v2,roe-ruby-rb2.3 --pitch 2.5 --photosite", 56),
		     0, "%s", vpm_study_description(s));
	cr_assert_not_null(strstr(vpm_study_description(s), " --subject-gap '1 m' "),
			   "a value with a blank is quoted: %s", vpm_study_description(s));
	vpm_study_free(s);
	vpm_catalog_free(cat);
}

Test(study, errors)
{
	vpm_catalog_t *cat = four_panels();
	vpm_study_spec_t sp = raw_spec();
	vpm_study_t *s = (vpm_study_t *)&s;

	sp.wall.text = NULL;
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "--wall is required (camera to wall, e.g. --wall 1.5m:8m:0.1m)");
	cr_assert_null(s);
	sp = raw_spec();
	sp.wall = (vpm_study_flag_t){ "2m:1m:0.5m", "s.args:2:8" };
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_ERANGE);
	cr_assert_eq(strncmp(vpm_error_message(), "s.args:2:8: --wall: ", 20), 0, "%s",
		     vpm_error_message());
	sp = raw_spec();
	sp.panels = "roe-*,nope*";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_ENOTFOUND);
	cr_assert_str_eq(vpm_error_message(),
			 "--panels: 'nope*' matches no panel (see 'vpmoire catalog list panels')");
	sp = raw_spec();
	sp.panels = ",";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "--panels: empty name in ','");
	sp = raw_spec();
	sp.focus.text = "3m";
	sp.focus_rule.text = "wall";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "--focus gives fixed focus distances: leave out --focus-rule");
	sp = raw_spec();
	sp.focus_rule = (vpm_study_flag_t){ "middle", "s.args:5:14" };
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(), "s.args:5:14: --focus-rule: use subject, "
					      "back-of-dof or wall (or --focus D for fixed focus "
					      "distances)");
	sp = raw_spec();
	sp.subject_depth.text = "30 cm";
	sp.focus_rule.text = "wall";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "--subject-depth needs --focus-rule subject or back-of-dof");
	sp = raw_spec();
	sp.raw_given &= ~(unsigned)VPM_RAW_WIDTH_PX;
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "no camera: give --cameras NAMES (or all), or "
					      "--photosite UM with --width-px N");
	vpm_catalog_free(cat);
}

Test(engine, rows_as_a_single_thread_writes_them)
{
	vpm_catalog_t *cat = four_panels();
	vpm_study_spec_t sp = raw_spec();
	vpm_study_t *s = NULL;
	vpm_sweep_t *sw = NULL;
	vpm_sweep_engine_t *e = NULL;
	vpm_sweep_shard_t shard = { 1, 2 };
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	char *one;
	size_t len = 0, len1 = 0, cap;

	/* 2 walls x 7 stops = 14 set-ups; shard 1/2 holds 7 of them.  Under
	 * back-of-dof a block is 2 rows, so a batch of 6 is 3 blocks */
	sp.stop.text = "2:8:1";
	sp.focus_rule.text = "back-of-dof";
	cr_assert_eq(vpm_study_build(&sp, cat, &s), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_sweep_alloc(vpm_study_sweep(s), &sw), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_sweep_count(sw), 14);
	cr_assert_eq(vpm_sweep_block_rows(sw), 2);
	/* 16 blocks per thread, at least 32 blocks */
	cr_assert_eq(vpm_sweep_batch_rows(sw, 1), 64);
	cr_assert_eq(vpm_sweep_batch_rows(sw, 4), 128);
	cr_assert_eq(vpm_sweep_engine_alloc(sw, shard, 2, 6, &e), VPM_OK);
	cr_assert_eq(vpm_sweep_engine_capacity(e), 6 * vpm_sweep_row_max(sw));
	cr_assert_eq(vpm_sweep_engine_run(e, 1, 7, &len), VPM_EINVAL, "7 rows > one batch");
	cr_assert_eq(vpm_sweep_engine_run(e, 1, 5, &len), VPM_OK, "%s", vpm_error_message());
	cap = 5 * vpm_sweep_row_max(sw);
	one = malloc(cap);
	cr_assert_not_null(one);
	cr_assert_eq(vpm_sweep_rows(sw, shard, 1, 5, ws, one, cap, &len1), VPM_OK);
	cr_assert_eq(len, len1);
	cr_assert_eq(memcmp(vpm_sweep_engine_buffer(e), one, len), 0);
	free(one);
	vpm_predict_workspace_free(ws);
	vpm_sweep_engine_free(e);
	{
		/* the --count estimate: the 7 rows of shard 1/2, all sampled, so
		 * its mean row is the bytes of all 7 over 7 */
		vpm_sweep_estimate_t est;
		size_t all = 0, cap7 = 7 * vpm_sweep_row_max(sw);
		char *seven = malloc(cap7);
		ws = vpm_predict_workspace_alloc();
		cr_assert_not_null(seven);
		cr_assert_eq(vpm_sweep_rows(sw, shard, 0, 7, ws, seven, cap7, &all), VPM_OK);
		cr_assert_eq(vpm_sweep_estimate(sw, shard, 300, &est), VPM_OK);
		cr_assert_eq(est.sampled, 7);
		cr_assert_float_eq(est.bytes_per_row, (double)all / 7.0, 1e-9);
		cr_assert_eq(est.head_bytes,
			     vpm_sweep_comment(sw, NULL, 0) + strlen(vpm_sweep_header()) + 24);
		cr_assert_eq(vpm_sweep_estimate(sw, shard, 3, &est), VPM_OK);
		cr_assert_eq(est.sampled, 3);
		free(seven);
		vpm_predict_workspace_free(ws);
	}
	vpm_sweep_free(sw);
	vpm_study_free(s);
	vpm_catalog_free(cat);
}

/* Two hand-written shards of a 3-set-up study (an older first line,
 * without the study identity, which vpm_sweep_comment_parse() reads). */
#define FIRST "# vpmoire 0.9 sweep (3 set-ups): --wall 2m,3m,4m\n"
#define HEAD "wall_m,risk\n"

static vpm_status_t merge2(const char *s0, const char *s1, char **out, size_t *outlen)
{
	vpm_sweep_merge_t *m = NULL;
	FILE *a = text_file(s0), *b = text_file(s1), *o = open_memstream(out, outlen);
	vpm_status_t st;

	cr_assert_not_null(o);
	cr_assert_eq(vpm_sweep_merge_alloc(2, &m), VPM_OK);
	/* given in the other order: the shard lines decide */
	st = vpm_sweep_merge_add(m, b, "part-1.csv");
	if (st == VPM_OK)
		st = vpm_sweep_merge_add(m, a, "part-0.csv");
	if (st == VPM_OK)
		st = vpm_sweep_merge_check(m);
	if (st == VPM_OK)
		st = vpm_sweep_merge_write(m, o, "out.csv");
	fclose(o);
	fclose(a);
	fclose(b);
	vpm_sweep_merge_free(m);
	return st;
}

Test(merge, two_shards_interleave)
{
	char *out = NULL;
	size_t len = 0;

	cr_assert_eq(merge2(FIRST "# shard 0/2\n" HEAD "2,safe\n4,risky\n",
			    FIRST "# shard 1/2\n" HEAD "3,caution\n", &out, &len),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_str_eq(out, FIRST HEAD "2,safe\n3,caution\n4,risky\n");
	free(out);
}

Test(merge, broken_shards_are_named)
{
	char *out = NULL;
	size_t len = 0;

	cr_assert_eq(merge2(FIRST "# shard 0/2\n" HEAD "2,safe\n",
			    FIRST "# shard 1/2\n" HEAD "3,caution\n", &out, &len),
		     VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(),
			 "part-0.csv: 1 rows, 2 expected: the shard is incomplete (rerun it, "
			 "with --resume if it was interrupted)");
	free(out);
	cr_assert_eq(merge2(FIRST "# shard 0/2\n" HEAD "2,safe\n4\n",
			    FIRST "# shard 1/2\n" HEAD "3,caution\n", &out, &len),
		     VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(),
			 "part-0.csv:5:1: a torn or malformed row (1 fields, 2 expected)");
	free(out);
	cr_assert_eq(merge2(FIRST "# shard 0/2\n" HEAD "2,safe\n4,risky\n",
			    FIRST "# shard 0/2\n" HEAD "2,safe\n4,risky\n", &out, &len),
		     VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(), "part-1.csv and part-0.csv are both shard 0/2");
	free(out);
	cr_assert_eq(merge2(FIRST "# shard 0/2\n" HEAD "2,safe\n4,risky\n",
			    "# vpmoire 0.9 sweep (3 set-ups): --wall 2m,3m,5m\n# shard 1/2\n" HEAD
			    "3,caution\n",
			    &out, &len),
		     VPM_EPARSE);
	cr_assert_eq(strncmp(vpm_error_message(), "part-0.csv:1:1: another study than part-1.csv (",
			     47),
		     0, "%s", vpm_error_message());
	free(out);
}
