/* Catalog loader: the shipped catalogs, every kind of bad row, lookups and
 * overrides. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"

static vpm_catalog_t *shipped(void)
{
	char dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();

	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_not_null(cat);
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	return cat;
}

Test(catalog, shipped_catalogs_are_complete)
{
	vpm_catalog_t *cat = shipped();
	size_t i, j, nmodels = 0;
	const char *series[64];
	size_t nseries = 0;

	cr_assert_geq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 10);
	/* at least 15 distinct camera models */
	for (i = 0; i < vpm_catalog_count(cat, VPM_CATALOG_CAMERAS); i++) {
		const vpm_camera_t *c = vpm_catalog_camera(cat, i);
		int seen = 0;
		for (j = 0; j < i; j++)
			if (strcmp(vpm_catalog_camera(cat, j)->model, c->model) == 0)
				seen = 1;
		nmodels += !seen;
		cr_assert(c->source && c->source[0], "%s has no source", c->name);
		cr_assert_gt(c->photosite_um, 0.5);
		cr_assert_lt(c->photosite_um, 20.0);
	}
	cr_assert_geq(nmodels, 15);
	for (i = 0; i < vpm_catalog_count(cat, VPM_CATALOG_LENSES); i++) {
		const vpm_lens_t *l = vpm_catalog_lens(cat, i);
		int seen = 0;
		for (j = 0; j < nseries; j++)
			if (strcmp(series[j], l->series) == 0)
				seen = 1;
		if (!seen && nseries < 64)
			series[nseries++] = l->series;
		cr_assert(l->source && l->source[0], "%s has no source", l->name);
	}
	cr_assert_geq(nseries, 5);
	for (i = 0; i < vpm_catalog_count(cat, VPM_CATALOG_PANELS); i++) {
		const vpm_panel_t *p = vpm_catalog_panel(cat, i);
		cr_assert(p->source && p->source[0], "%s has no source", p->name);
		cr_assert_lt(p->emitter_mm, p->pitch_mm);
	}
	vpm_catalog_free(cat);
}

Test(catalog, reference_micro_stage_gear)
{
	vpm_catalog_t *cat = shipped();
	const vpm_camera_t *cam;
	const vpm_lens_t *lens, *cp3[16];
	const vpm_panel_t *pan;
	size_t n, i;
	/* ZEISS CP.3 focal lengths (models/lenses.csv; unconfirmed, see models/README.md) */
	const double cp3_focal[] = { 15, 18, 21, 25, 28, 35, 50, 85, 100, 135 };

	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &cam), VPM_OK);
	cr_assert_float_eq(cam->photosite_um, 5.5, 0.01); /* 25.34 mm / 4608 */
	cr_assert_eq(cam->width_px, 4608);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-12k", &cam), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-pocket-6k", &cam), VPM_OK);
	cr_assert_eq(vpm_catalog_find_panel(cat, "roe-bp2v2", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 500.0 / 176.0, 1e-3); /* ROE brochure: 500 mm, 176 px */
	cr_assert_eq(vpm_catalog_find_panel(cat, "aoto-rm1.5", &pan), VPM_OK);
	cr_assert(pan->pitch_mm > 1.4 && pan->pitch_mm < 1.6);
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &lens), VPM_OK);
	cr_assert_float_eq(lens->focal_mm, 28.0, 1e-12);
	cr_assert_eq(vpm_catalog_find_series(cat, "ZEISS CP.3", cp3, 16, &n), VPM_OK);
	cr_assert_eq(n, 10);
	for (i = 0; i < n; i++)
		cr_assert_float_eq(cp3[i]->focal_mm, cp3_focal[i], 1e-12);
	vpm_catalog_free(cat);
}

Test(catalog, lookup_is_case_insensitive_and_by_words)
{
	vpm_catalog_t *cat = shipped();
	const vpm_camera_t *cam;
	const vpm_lens_t *lens;
	const vpm_panel_t *pan;
	const vpm_lens_t *ser[32];
	size_t n;

	cr_assert_eq(vpm_catalog_find_camera(cat, "BMD-URSA-Mini-Pro-4.6K-G2", &cam), VPM_OK);
	cr_assert_str_eq(cam->name, "bmd-ursa-mini-pro-4.6k-g2");
	cr_assert_eq(vpm_catalog_find_lens(cat, "CP.3 28mm", &lens), VPM_OK);
	cr_assert_str_eq(lens->name, "zeiss-cp3-28");
	cr_assert_eq(vpm_catalog_find_lens(cat, "ZEISS CP.3 85", &lens), VPM_OK);
	cr_assert_str_eq(lens->name, "zeiss-cp3-85");
	cr_assert_eq(vpm_catalog_find_panel(cat, "black pearl bp2 v2", &pan), VPM_OK);
	cr_assert_str_eq(pan->name, "roe-bp2v2");
	cr_assert_eq(vpm_catalog_find_series(cat, "cp3", ser, 32, &n), VPM_OK);
	cr_assert_eq(n, 10);
	vpm_catalog_free(cat);
}

Test(catalog, unknown_names_suggest_the_closest)
{
	vpm_catalog_t *cat = shipped();
	const vpm_panel_t *pan;
	const vpm_lens_t *lens;
	const vpm_lens_t *ser[4];
	size_t n;

	cr_assert_eq(vpm_catalog_find_panel(cat, "roe-bp2v3", &pan), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "did you mean") != NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "roe-bp2v2") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-29", &lens), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "zeiss-cp3-28") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, "qqqqqqqqqqqqqqqqqqqqqq", &pan), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "catalog list panels") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_catalog_find_series(cat, "zeis cp.4", ser, 4, &n), VPM_ENOTFOUND);
	cr_assert_eq(vpm_catalog_find_lens(cat, "", &lens), VPM_EINVAL);
	vpm_catalog_free(cat);
}

Test(catalog, ambiguous_words_list_the_candidates)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *path = tu_write("amb.csv", "name,maker,series,focal_mm,max_t\n"
					       "x-25,Acme,Prime,25,2\n"
					       "x-35,Acme,Prime,35,2\n");
	const vpm_lens_t *lens;

	cr_assert_eq(vpm_catalog_load_file(cat, path, NULL), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_lens(cat, "acme prime", &lens), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "x-25") && strstr(vpm_error_message(), "x-35"), "%s",
		  vpm_error_message());
	vpm_catalog_free(cat);
}

/* One bad catalog: load must fail with VPM_EPARSE and "file:line:col". */
static void bad(const char *text, const char *where, const char *needle)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *path = tu_write("bad.csv", text);
	char loc[4200];
	vpm_status_t st = vpm_catalog_load_file(cat, path, NULL);

	cr_assert_eq(st, VPM_EPARSE, "expected a parse error for:\n%s\ngot %d: %s", text, st,
		     vpm_error_message());
	snprintf(loc, sizeof loc, "%s:%s:", path, where);
	cr_assert(strstr(vpm_error_message(), loc) != NULL, "message '%s' lacks '%s'",
		  vpm_error_message(), loc);
	if (needle)
		cr_assert(strstr(vpm_error_message(), needle) != NULL, "message '%s' lacks '%s'",
			  vpm_error_message(), needle);
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 0, "a failed load adds nothing");
	vpm_catalog_free(cat);
}

#define PANEL_HEAD "name,maker,model,pitch_mm,emitter_mm\n"

Test(catalog, each_kind_of_bad_row)
{
	bad(PANEL_HEAD "p1,A,B,abc,0.2\n", "2:8", "pitch_mm: 'abc' is not a number");
	bad(PANEL_HEAD "p1,A,B,-1.5,0.2\n", "2:8", "greater than zero");
	bad(PANEL_HEAD "p1,A,B,0,0.2\n", "2:8", "greater than zero");
	bad(PANEL_HEAD "p1,A,B,,0.2\n", "2:8", "missing value");
	bad(PANEL_HEAD "p1,A,B,1.5,1.6\n", "2:12", "smaller than the pitch");
	bad(PANEL_HEAD "p1,A,B,1.5\n", "2:8", "expected 5 fields");
	bad(PANEL_HEAD "p1,A,B,1.5,0.2,extra\n", "2:16", "expected 5 fields");
	bad(PANEL_HEAD "p1,A,B,1.5,0.2\np1,A,C,2.5,0.2\n", "3:1", "already used at line 2");
	bad(PANEL_HEAD "bad name!,A,B,1.5,0.2\n", "2:1", "not a valid name");
	bad(PANEL_HEAD "p1,A,B,1e999,0.2\n", "2:8", "not a number");
	bad(PANEL_HEAD "p1,A,B,nan,0.2\n", "2:8", "not a number");
	bad(PANEL_HEAD "p1,A,B,500,0.2\n", "2:8", "above the limit");
	bad("name,maker,model,pitch_mm,emitter_mm,colour\n", "1:38",
	    "unknown panels column 'colour'");
	bad("name,pitch_mm,pitch_mm,emitter_mm\n", "1:15", "appears twice");
	bad("name,maker,model,pitch_mm\n", "1:1", "missing column 'emitter_mm'");
	bad("name,maker\n", "1:1", "not a catalog");
	bad("", "1:1", "empty catalog");
	bad(PANEL_HEAD "p1,A,B,2.5,0.2,,\n", "2:16", NULL);
	bad("name,pitch_mm,emitter_mm,cabinet_w_mm,cabinet_px_w\np1,2.5,0.2,500,176\n", "2:4",
	    "disagrees with cabinet_w_mm/cabinet_px_w");
	/* cameras */
	bad("name,width_mm,width_px,photosite_um\nc1,25.34,4608,7.2\n", "2:15", "disagrees");
	bad("name,width_mm,width_px,cfa\nc1,25.34,4608,xtrans\n", "2:15", "not a CFA");
	bad("name,width_mm,width_px\nc1,25.34,46.08\n", "2:10", "whole number");
	bad("name,width_mm,width_px,fill\nc1,25.34,4608,1.5\n", "2:15", "above the limit");
	bad("name,width_mm,width_px,olpf_um\nc1,25.34,4608,-2\n", "2:15", "not be negative");
	/* lenses */
	bad("name,focal_mm,max_t,min_t\nl1,28,22,2.1\n", "2:10", "smallest opening");
	bad("name,focal_mm,max_t,mtf_points\nl1,28,2.1,10:0.9\n", "2:1", "measured at");
	bad("name,focal_mm,max_t,mtf_stop,mtf_points\nl1,28,2.1,4,20:0.9 10:0.95\n", "2:13",
	    "must increase");
	bad("name,focal_mm,max_t,mtf_stop,mtf_points\nl1,28,2.1,4,10-0.9\n", "2:13", "pair");
	bad("name,focal_mm,max_t,mtf_stop,mtf_points\nl1,28,2.1,4,10:1.2\n", "2:13", "(0, 1]");
	/* CSV-level problems keep their place too */
	bad(PANEL_HEAD "p1,\"A,B,1.5,0.2\n", "2:4", "never closed");
	bad(PANEL_HEAD "p1,A\xff,B,1.5,0.2\n", "2:5", "UTF-8");
}

/* Hardening: a name with no letter or digit in it (bytes that are not
 * ASCII, punctuation) used to be reported as an "empty panel name". */
Test(catalog, a_name_without_letters_is_quoted_back)
{
	vpm_catalog_t *cat = shipped();
	const vpm_panel_t *pan;

	cr_assert_eq(vpm_catalog_find_panel(cat, "\xff\xfe", &pan), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "'\xff\xfe' is not a panel name") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, "--\n", &pan), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "'--?' is not a panel name") != NULL, "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, "  ", &pan), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(), "empty panel name");
	vpm_catalog_free(cat);
}

Test(catalog, missing_file)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();

	cr_assert_eq(vpm_catalog_load_file(cat, tu_tmp("absent.csv"), NULL), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "absent.csv") != NULL);
	cr_assert_eq(vpm_catalog_load_dir(cat, tu_tmp("nodir")), VPM_ENOTFOUND);
	vpm_catalog_free(cat);
	vpm_catalog_free(NULL);
}

Test(catalog, user_rows_extend_and_override)
{
	vpm_catalog_t *cat = shipped();
	size_t before = vpm_catalog_count(cat, VPM_CATALOG_PANELS);
	const vpm_panel_t *pan;
	vpm_catalog_kind_t kind;
	const char *path = tu_write("mine.csv",
				    "# a rental house's own measurements\n" PANEL_HEAD
				    "roe-bp2v2,ROE Visual,Black Pearl BP2 V2,2.8409,0.31\n"
				    "house-1.9,House,Wall,1.9,0.25\n");

	cr_assert_eq(vpm_catalog_load_file(cat, path, &kind), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(kind, VPM_CATALOG_PANELS);
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), before + 1,
		     "one new, one replaced");
	cr_assert_eq(vpm_catalog_find_panel(cat, "roe-bp2v2", &pan), VPM_OK);
	cr_assert_float_eq(pan->emitter_mm, 0.31, 1e-12, "the user's row wins");
	cr_assert_str_eq(pan->file, path);
	cr_assert_eq(pan->line, 3);
	cr_assert_eq(vpm_catalog_find_panel(cat, "house-1.9", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 1.9, 1e-12);
	vpm_catalog_free(cat);
}

/* VPMOIRE_CATALOG_PATH's list: a directory loads its catalogs, a file
 * itself, in order (later rows override), empty entries skipped; the
 * first entry that fails stops the load with its status. */
Test(catalog, path_list_loads_directories_and_files_in_order)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *pan;
	char list[8192], models[4096];
	const char *a = tu_write("a.csv", PANEL_HEAD "roe-bp2v2,ROE Visual,Black Pearl BP2 V2,"
						     "2.8409,0.31\n");
	const char *b = tu_write("b.csv", PANEL_HEAD "roe-bp2v2,ROE Visual,Black Pearl BP2 V2,"
						     "2.8409,0.42\n");

	snprintf(models, sizeof models, "%s/models", tu_srcdir());
	snprintf(list, sizeof list, ":%s::%s:%s:", models, a, b);
	cr_assert_not_null(cat);
	cr_assert_eq(vpm_catalog_load_path(cat, NULL), VPM_OK);
	cr_assert_eq(vpm_catalog_load_path(cat, ""), VPM_OK);
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 0);
	cr_assert_eq(vpm_catalog_load_path(cat, list), VPM_OK, "%s", vpm_error_message());
	cr_assert_gt(vpm_catalog_count(cat, VPM_CATALOG_CAMERAS), 10, "the directory loaded");
	cr_assert_eq(vpm_catalog_find_panel(cat, "roe-bp2v2", &pan), VPM_OK);
	cr_assert_float_eq(pan->emitter_mm, 0.42, 1e-12, "the last entry wins");
	cr_assert_str_eq(pan->file, b);
	snprintf(list, sizeof list, "%s:%s", a, tu_tmp("absent.csv"));
	cr_assert_eq(vpm_catalog_load_path(cat, list), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "absent.csv") != NULL, "%s", vpm_error_message());
	vpm_catalog_free(cat);
}

/* Issue 14: the duplicate-name check compared each row with every earlier
 * one (quadratic: a million-row catalog never finished).  It is a hash
 * set now; what it finds must not change: names compare case-insensitively,
 * the first use is named, and a later file overrides by name. */
Test(catalog, duplicate_names_are_found_among_many_rows)
{
	const int rows = 20000;
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *pan;
	FILE *fp = fopen(tu_tmp("many.csv"), "w");
	int i;

	cr_assert_not_null(fp);
	fputs(PANEL_HEAD, fp);
	for (i = 0; i < rows; i++)
		fprintf(fp, "gen-p%d,Gen,M%d,%.4f,0.25\n", i, i, 1.5 + 0.0001 * i);
	fclose(fp);
	cr_assert_eq(vpm_catalog_load_file(cat, tu_tmp("many.csv"), NULL), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), (size_t)rows);
	cr_assert_eq(vpm_catalog_find_panel(cat, "GEN-P12345", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 2.7345, 1e-12);
	cr_assert_eq(pan->line, 2 + 12345);

	/* the same rows and, last, a name used 12346 rows earlier in other case */
	fp = fopen(tu_tmp("many.csv"), "a");
	fputs("GEN-P12345,Gen,Mx,2.5,0.2\n", fp);
	fclose(fp);
	vpm_catalog_free(cat);
	cat = vpm_catalog_alloc();
	cr_assert_eq(vpm_catalog_load_file(cat, tu_tmp("many.csv"), NULL), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(),
			 "many.csv:20002:1: name: 'GEN-P12345' is already used at line 12347") !=
			  NULL,
		  "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 0, "a failed load adds nothing");

	/* names that only look alike are different */
	cr_assert_eq(vpm_catalog_load_file(cat,
					   tu_write("alike.csv", PANEL_HEAD
						    "p-1,A,B,1.5,0.2\np-10,A,B,1.6,0.2\n"
						    "p1,A,B,1.7,0.2\np-1a,A,B,1.8,0.2\n"),
					   NULL),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 4);
	/* a second file overrides by name (any case) and adds the rest */
	cr_assert_eq(vpm_catalog_load_file(cat,
					   tu_write("over.csv", PANEL_HEAD
						    "P-10,A,B,2.6,0.3\nnew,A,B,1.9,0.2\n"),
					   NULL),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), 5);
	cr_assert_eq(vpm_catalog_find_panel(cat, "p-10", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 2.6, 1e-12);
	cr_assert_eq(vpm_catalog_find_panel(cat, "p-1", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 1.5, 1e-12);
	vpm_catalog_free(cat);
}

Test(catalog, derived_and_default_fields)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_camera_t *cam;
	const vpm_lens_t *lens;
	vpm_setup_t s = vpm_setup_default();
	const char *cams = tu_write("c.csv", "name,width_mm,width_px\nmy-cam,23.76,4320\n");
	const char *lenses = tu_write("l.csv", "name,series,focal_mm,max_t,mtf_stop,mtf_points\n"
					       "my-35,Mine,35,1.8,4,10:0.95 20:0.9 40:0.78\n");

	cr_assert_eq(vpm_catalog_load_file(cat, cams, NULL), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_load_file(cat, lenses, NULL), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_camera(cat, "my-cam", &cam), VPM_OK);
	cr_assert_float_eq(cam->photosite_um, 5.5, 1e-12); /* 23.76 mm / 4320 */
	cr_assert_float_eq(cam->fill, 1.0, 0.0);
	cr_assert_str_eq(cam->cfa, "bayer");
	cr_assert_eq(vpm_catalog_find_lens(cat, "my-35", &lens), VPM_OK);
	cr_assert_eq(lens->mtf_n, 3);
	cr_assert_float_eq(lens->mtf[2], 0.78, 1e-12);
	vpm_setup_apply_camera(&s, cam);
	vpm_setup_apply_lens(&s, lens);
	cr_assert_eq(s.width_px, 4320);
	cr_assert_float_eq(s.focal_mm, 35.0, 0.0);
	cr_assert_eq(s.lens_mtf_n, 3);
	cr_assert_float_eq(s.lens_mtf_stop, 4.0, 0.0);
	cr_assert_float_eq(s.lens_mtf_cy_mm[1], 20.0, 0.0);
	vpm_catalog_free(cat);
}

/* The one rule that builds a set-up (issue 13: was written in apps/cli.c,
 * lib/shotlist.c, apps/cmd_sweep.c and lib/validate.c): the defaults, the
 * panel, camera and lens from the catalog, then the raw numbers flagged;
 * a raw focal length other than the lens's drops the lens; without a
 * stop, the lens's widest.  Entries from models/ (aoto-rm1.5: 1.5625 mm
 * pitch, 0.17 mm emitter; URSA Mini Pro 4.6K G2: 5.5 um x 4608, CoC
 * 0.025 mm; ZEISS CP.3 28 mm: T2.1 to T22). */
Test(catalog, setup_from_catalog_is_entries_then_raw_numbers)
{
	vpm_catalog_t *cat = shipped();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l, *used = NULL;
	vpm_setup_t d = vpm_setup_default(), s;

	cr_assert_eq(vpm_catalog_find_panel(cat, "aoto-rm1.5", &p), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &c), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &l), VPM_OK);
	d.wall_m = 2.524;
	d.pitch_mm = 2.913; /* not flagged: the catalog wins */
	vpm_setup_from_catalog(&d, 0, p, c, l, &s, &used);
	cr_assert_float_eq(s.pitch_mm, 1.5625, 1e-15);
	cr_assert_float_eq(s.emitter_mm, 0.17, 1e-15);
	cr_assert_float_eq(s.photosite_um, 5.5, 1e-15);
	cr_assert_eq(s.width_px, 4608);
	cr_assert_float_eq(s.coc_mm, 0.025, 1e-15);
	cr_assert_float_eq(s.focal_mm, 28.0, 0.0);
	cr_assert_float_eq(s.stop, 2.1, 1e-15);	  /* the lens's widest */
	cr_assert_float_eq(s.wall_m, 2.524, 0.0); /* the rest stays the caller's */
	cr_assert_eq(used, l);
	/* raw numbers win, each on its own field */
	d.emitter_mm = 0.41;
	d.photosite_um = 4.37;
	d.width_px = 6144;
	d.olpf_um = 3.1;
	d.fill = 0.83;
	d.cfa = VPM_CFA_MONO;
	d.coc_mm = 0.019;
	d.transmission = 0.77;
	d.pupil_edge = 0.0;
	d.stop = 3.7;
	vpm_setup_from_catalog(&d,
			       VPM_RAW_PITCH | VPM_RAW_EMITTER | VPM_RAW_PHOTOSITE |
				       VPM_RAW_WIDTH_PX | VPM_RAW_OLPF | VPM_RAW_FILL |
				       VPM_RAW_CFA | VPM_RAW_COC | VPM_RAW_TRANSMISSION |
				       VPM_RAW_PUPIL_EDGE | VPM_RAW_STOP,
			       p, c, l, &s, &used);
	cr_assert_float_eq(s.pitch_mm, 2.913, 0.0);
	cr_assert_float_eq(s.emitter_mm, 0.41, 0.0);
	cr_assert_float_eq(s.photosite_um, 4.37, 0.0);
	cr_assert_eq(s.width_px, 6144);
	cr_assert_float_eq(s.olpf_um, 3.1, 0.0);
	cr_assert_float_eq(s.fill, 0.83, 0.0);
	cr_assert_eq(s.cfa, VPM_CFA_MONO);
	cr_assert_float_eq(s.coc_mm, 0.019, 0.0);
	cr_assert_float_eq(s.transmission, 0.77, 0.0);
	cr_assert_float_eq(s.pupil_edge, 0.0, 0.0);
	cr_assert_float_eq(s.stop, 3.7, 0.0);
	cr_assert_eq(used, l);
	/* the same focal length keeps the lens; another one drops it */
	d.focal_mm = 28.0;
	vpm_setup_from_catalog(&d, VPM_RAW_FOCAL, p, c, l, &s, &used);
	cr_assert_eq(used, l);
	d.focal_mm = 31.5;
	vpm_setup_from_catalog(&d, VPM_RAW_FOCAL, p, c, l, &s, &used);
	cr_assert_null(used);
	cr_assert_float_eq(s.focal_mm, 31.5, 0.0);
	cr_assert_eq(s.lens_mtf_n, 0);
	cr_assert_eq(s.stop, 0.0); /* no lens, no stop given: unknown */
	/* no entries at all: the defaults and raw numbers as they are */
	d = vpm_setup_default();
	d.pitch_mm = 2.84;
	d.focal_mm = 40.0;
	vpm_setup_from_catalog(&d, VPM_RAW_FOCAL, NULL, NULL, NULL, &s, NULL);
	cr_assert_float_eq(s.pitch_mm, 2.84, 0.0);
	cr_assert_float_eq(s.focal_mm, 40.0, 0.0);
	cr_assert_eq(s.cfa, VPM_CFA_BAYER);
	vpm_catalog_free(cat);
}

/* The entries as a sweep edits them: the same flags, the same fields. */
Test(catalog, raw_numbers_override_entries)
{
	vpm_panel_t p = { .pitch_mm = 1.5625, .emitter_mm = 0.17 };
	vpm_camera_t c = { .photosite_um = 5.5, .width_px = 4608, .cfa = "bayer", .fill = 1.0 };
	vpm_setup_t raw = vpm_setup_default();

	raw.pitch_mm = 2.6;
	raw.emitter_mm = 0.9;
	raw.photosite_um = 3.76;
	raw.cfa = VPM_CFA_MONO;
	raw.coc_mm = 0.031;
	vpm_panel_override(&p, &raw, VPM_RAW_PITCH);
	cr_assert_float_eq(p.pitch_mm, 2.6, 0.0);
	cr_assert_float_eq(p.emitter_mm, 0.17, 0.0);
	vpm_camera_override(&c, &raw, VPM_RAW_CFA | VPM_RAW_COC);
	cr_assert_str_eq(c.cfa, "mono");
	cr_assert_float_eq(c.coc_mm, 0.031, 0.0);
	cr_assert_float_eq(c.photosite_um, 5.5, 0.0);
	cr_assert_eq(c.width_px, 4608);
}

/* A lens row may carry a measured out-of-focus edge (pupil_edge): it goes
 * into the set-up unless the set-up names its own; above 0.9 is refused. */
Test(catalog, lens_pupil_edge)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *path = tu_write("edge.csv", "name,maker,series,focal_mm,max_t,pupil_edge\n"
						"soft-40,X,Soft,40,2,0.35\n"
						"plain-40,X,Plain,40,2,\n");
	const vpm_lens_t *l;
	vpm_setup_t s = vpm_setup_default();

	cr_assert_eq(vpm_catalog_load_file(cat, path, NULL), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_lens(cat, "soft-40", &l), VPM_OK);
	cr_assert_float_eq(l->pupil_edge, 0.35, 1e-15);
	vpm_setup_apply_lens(&s, l);
	cr_assert_float_eq(s.pupil_edge, 0.35, 1e-15);
	s.pupil_edge = 0.1; /* the user's own wins */
	vpm_setup_apply_lens(&s, l);
	cr_assert_float_eq(s.pupil_edge, 0.1, 1e-15);
	s = vpm_setup_default();
	cr_assert_eq(vpm_catalog_find_lens(cat, "plain-40", &l), VPM_OK);
	vpm_setup_apply_lens(&s, l);
	cr_assert_lt(s.pupil_edge, 0.0); /* the model's default */
	vpm_catalog_free(cat);
	cat = vpm_catalog_alloc();
	path = tu_write("edge-bad.csv", "name,maker,series,focal_mm,max_t,pupil_edge\n"
					"hard-40,X,Hard,40,2,1.5\n");
	cr_assert_neq(vpm_catalog_load_file(cat, path, NULL), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "edge-bad.csv:2:"), "%s", vpm_error_message());
	vpm_catalog_free(cat);
}

/* Look-up by exact name goes through the catalog's index (issue 14: a
 * study naming 100,000 panels one by one was quadratic): it finds every
 * row of a big catalog in any case, and after a second file overrides a
 * name (in other case) it finds the override, not the old row. */
Test(catalog, exact_names_are_found_through_the_index_after_overrides)
{
	const int rows = 5000;
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *pan;
	FILE *fp = fopen(tu_tmp("idx.csv"), "w");
	char name[32];
	int i;

	cr_assert_not_null(fp);
	fputs(PANEL_HEAD, fp);
	for (i = 0; i < rows; i++)
		fprintf(fp, "idx-p%d,Gen,M%d,%.4f,0.25\n", i, i, 1.5 + 0.0001 * i);
	fclose(fp);
	cr_assert_eq(vpm_catalog_load_file(cat, tu_tmp("idx.csv"), NULL), VPM_OK, "%s",
		     vpm_error_message());
	for (i = 0; i < rows; i += 7) {
		snprintf(name, sizeof name, i % 2 ? "IDX-P%d" : "idx-p%d", i);
		cr_assert_eq(vpm_catalog_find_panel(cat, name, &pan), VPM_OK, "%s", name);
		cr_assert_float_eq(pan->pitch_mm, 1.5 + 0.0001 * i, 1e-9);
	}
	cr_assert_eq(vpm_catalog_load_file(cat,
					   tu_write("over.csv",
						    PANEL_HEAD "IDX-P42,Over,Ride,3.1,0.3\n"),
					   NULL),
		     VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_count(cat, VPM_CATALOG_PANELS), (size_t)rows);
	cr_assert_eq(vpm_catalog_find_panel(cat, "idx-p42", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 3.1, 1e-12);
	cr_assert_str_eq(pan->maker, "Over");
	cr_assert_eq(vpm_catalog_find_panel(cat, "idx-p43", &pan), VPM_OK);
	cr_assert_float_eq(pan->pitch_mm, 1.5043, 1e-9);
	vpm_catalog_free(cat);
}

/* Anamorphics and zooms (issue 19): the squeeze reaches the set-up; a
 * zoom keeps its entry for any focal length of its range and takes the
 * ramp's widest stop there; the rows are checked. */
Test(catalog, anamorphic_and_zoom_lenses)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *path =
		tu_write("zoom.csv",
			 "name,maker,series,focal_mm,max_t,min_t,squeeze,squeeze_position,"
			 "focal_max_mm,max_t_long\n"
			 "ana-50,X,Ana,50,2.3,22,2,front,,\n"
			 "ana-40,X,Ana,40,2.3,22,1.8,rear,,\n"
			 "zoom-80-250,X,Zoom,80,2.9,22,,,250,3.5\n"
			 "flat-28-100,X,Flat,28,2.9,,,,100,\n");
	const vpm_lens_t *l, *used;
	vpm_setup_t d = vpm_setup_default(), s;

	cr_assert_eq(vpm_catalog_load_file(cat, path, NULL), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_lens(cat, "ana-50", &l), VPM_OK);
	cr_assert_eq(l->squeeze, 2.0);
	cr_assert_str_eq(l->squeeze_position, "front");
	cr_assert_eq(vpm_lens_is_zoom(l), 0);
	vpm_setup_from_catalog(&d, 0, NULL, NULL, l, &s, &used);
	cr_assert_eq(s.squeeze, 2.0);
	cr_assert_eq(s.stop, 2.3);
	/* --squeeze wins over the lens's */
	d.squeeze = 1.5;
	vpm_setup_from_catalog(&d, VPM_RAW_SQUEEZE, NULL, NULL, l, &s, &used);
	cr_assert_eq(s.squeeze, 1.5);
	d.squeeze = 1.0;
	/* the zoom: the short end by default, the ramp's stop inside */
	cr_assert_eq(vpm_catalog_find_lens(cat, "zoom-80-250", &l), VPM_OK);
	cr_assert_eq(l->squeeze, 1.0, "an empty squeeze is spherical");
	cr_assert(vpm_lens_is_zoom(l));
	vpm_setup_from_catalog(&d, 0, NULL, NULL, l, &s, &used);
	cr_assert_eq(s.focal_mm, 80.0);
	cr_assert_eq(s.stop, 2.9);
	/* at 165 mm, half-way: T2.9 + (3.5 - 2.9) x 85/170 = T3.2 */
	d.focal_mm = 165.0;
	vpm_setup_from_catalog(&d, VPM_RAW_FOCAL, NULL, NULL, l, &s, &used);
	cr_assert_eq(used, l, "a zoom inside its range stays the lens");
	cr_assert_eq(s.focal_mm, 165.0);
	cr_assert_float_eq(s.stop, 3.2, 1e-12);
	cr_assert_float_eq(vpm_lens_max_t_at(l, 250.0), 3.5, 1e-15);
	cr_assert(isnan(vpm_lens_max_t_at(l, 251.0)));
	cr_assert(isnan(vpm_lens_max_t_at(l, 79.0)));
	/* the stop check follows the ramp */
	cr_assert_eq(vpm_lens_check_at(l, 165.0, 3.2, INFINITY), VPM_OK);
	cr_assert_eq(vpm_lens_check_at(l, 165.0, 2.9, INFINITY), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--stop") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_lens_check_at(l, 300.0, 4.0, INFINITY), VPM_ERANGE);
	cr_assert(strstr(vpm_error_message(), "--focal: zoom-80-250 zooms from 80 to 250 mm") !=
			  NULL,
		  "%s", vpm_error_message());
	/* outside the range the lens is dropped, as for a prime */
	d.focal_mm = 300.0;
	d.stop = 4.0;
	vpm_setup_from_catalog(&d, VPM_RAW_FOCAL | VPM_RAW_STOP, NULL, NULL, l, &s, &used);
	cr_assert_null(used);
	/* a zoom without a ramp keeps its widest stop over the range */
	cr_assert_eq(vpm_catalog_find_lens(cat, "flat-28-100", &l), VPM_OK);
	cr_assert_eq(vpm_lens_max_t_at(l, 71.3), 2.9);
	vpm_catalog_free(cat);
	/* bad rows name file, line and column */
	bad("name,focal_mm,max_t,squeeze\nl1,50,2.3,0.5\n", "2:11", "at least 1");
	bad("name,focal_mm,max_t,squeeze\nl1,50,2.3,12\n", "2:11", "above the limit");
	bad("name,focal_mm,max_t,squeeze,squeeze_position\nl1,50,2.3,2,middle\n", "2:13",
	    "front or rear");
	bad("name,focal_mm,max_t,focal_max_mm\nl1,50,2.3,40\n", "2:11", "long end");
	bad("name,focal_mm,max_t,max_t_long\nl1,50,2.3,4\n", "2:11", "needs focal_max_mm");
	bad("name,focal_mm,max_t,focal_max_mm,max_t_long\nl1,50,2.8,100,2\n", "2:15",
	    "below the short end");
}

/* The shipped anamorphics and zooms carry their squeeze and range. */
Test(catalog, shipped_anamorphics_and_zooms)
{
	vpm_catalog_t *cat = shipped();
	const vpm_lens_t *l;

	/* Cooke Anamorphic/i and ARRI/ZEISS Master Anamorphic: 2x (maker pages,
	 * models/lenses.csv) */
	cr_assert_eq(vpm_catalog_find_lens(cat, "cooke-anamorphic-i-50", &l), VPM_OK);
	cr_assert_eq(l->squeeze, 2.0);
	cr_assert_eq(vpm_catalog_find_lens(cat, "arri-master-anamorphic-75", &l), VPM_OK);
	cr_assert_eq(l->squeeze, 2.0);
	cr_assert_eq(l->max_t, 1.9);
	/* Fujinon Premista 28-100 T2.9 (models/lenses.csv) */
	cr_assert_eq(vpm_catalog_find_lens(cat, "fujinon-premista-28-100", &l), VPM_OK);
	cr_assert_eq(l->focal_mm, 28.0);
	cr_assert_eq(l->focal_max_mm, 100.0);
	cr_assert_eq(vpm_lens_max_t_at(l, 100.0), 2.9);
	vpm_catalog_free(cat);
}
