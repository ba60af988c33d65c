/* The vpmoire program as a user meets it: help, version, catalogs, exit
 * codes and one-line messages. */
#include <config.h>

#include <criterion/criterion.h>
#include <string.h>

#include "testutil.h"

Test(cli, help_and_version)
{
	tu_run_t r = tu_vpmoire("--help");

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "Usage: vpmoire COMMAND") != NULL);
	cr_assert(strstr(r.out, "check") && strstr(r.out, "catalog"));
	tu_run_free(&r);
	r = tu_vpmoire("--version");
	cr_assert_eq(r.status, 0);
	cr_assert_str_eq(r.out, "vpmoire " PACKAGE_VERSION "\n");
	tu_run_free(&r);
	r = tu_vpmoire("catalog --help");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "catalog list cameras|lenses|panels") != NULL);
	tu_run_free(&r);
}

Test(cli, usage_errors_exit_2_with_one_line)
{
	const char *cases[] = { "", "frobnicate", "--frob", "catalog", "catalog list",
				"catalog list widgets", "catalog list panels --nope",
				"catalog show" };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i]);
		cr_assert_eq(r.status, 2, "'vpmoire %s' gave %d", cases[i], r.status);
		if (cases[i][0] != '\0')
			cr_assert_eq(tu_lines(r.err), 1, "'vpmoire %s' stderr: %s", cases[i], r.err);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0 || cases[i][0] == '\0');
		tu_run_free(&r);
	}
}

Test(cli, catalog_list_panels_is_an_aligned_table)
{
	tu_run_t r = tu_vpmoire("catalog list panels");
	char *line2, *p;
	size_t w1;

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "NAME", 4) == 0);
	cr_assert(strstr(r.out, "roe-bp2v2") && strstr(r.out, "aoto-rm1.5"));
	cr_assert_geq(tu_lines(r.out), 11);
	/* the PITCH column ends at the same place on the header and the rows */
	p = strstr(r.out, "PITCH mm");
	cr_assert_not_null(p);
	w1 = (size_t)(p - r.out) + strlen("PITCH mm");
	line2 = strchr(r.out, '\n') + 1;
	cr_assert(line2[w1 - 1] != ' ' && line2[w1] == ' ', "pitch column misaligned:\n%s", r.out);
	tu_run_free(&r);

	r = tu_vpmoire("catalog list cameras");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "bmd-ursa-mini-pro-4.6k-g2") != NULL);
	tu_run_free(&r);
	r = tu_vpmoire("catalog list lenses --units ft");
	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "zeiss-cp3-28") != NULL);
	tu_run_free(&r);
}

Test(cli, catalog_show_and_did_you_mean)
{
	tu_run_t r = tu_vpmoire("catalog show ROE-BP2V2");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "panel roe-bp2v2") && strstr(r.out, "source"));
	tu_run_free(&r);
	r = tu_vpmoire("catalog show roe-bp2v3");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "did you mean roe-bp2v2") != NULL, "%s", r.err);
	tu_run_free(&r);
}

Test(cli, broken_catalog_names_file_line_and_column)
{
	const char *path = tu_write("broken.csv", "name,maker,model,pitch_mm,emitter_mm\n"
						  "good-1,A,B,2.5,0.3\n"
						  "bad-1,A,B,abc,0.3\n");
	tu_run_t r = tu_vpmoire("catalog list panels --catalog broken.csv");

	cr_assert(tu_exists(path));
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "broken.csv:3:11:") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, "pitch_mm") != NULL, "%s", r.err);
	cr_assert_eq(tu_lines(r.err), 1);
	cr_assert_str_eq(r.out, "");
	tu_run_free(&r);
}

Test(cli, user_catalog_overrides_and_env_path)
{
	tu_write("mine.csv", "name,maker,model,pitch_mm,emitter_mm\n"
			     "roe-bp2v2,ROE,Measured,2.8409,0.42\n"
			     "house-2.6,House,Two Six,2.6,0.3\n");
	tu_run_t r = tu_vpmoire("catalog show roe-bp2v2 --catalog mine.csv");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "0.42 mm") != NULL, "%s", r.out);
	tu_run_free(&r);
	r = tu_vpmoire("catalog list panels");
	cr_assert(strstr(r.out, "house-2.6") == NULL);
	tu_run_free(&r);
	{
		char args[4400];
		snprintf(args, sizeof args, "catalog list panels");
		setenv("VPMOIRE_CATALOG_PATH", tu_tmp("mine.csv"), 1);
		r = tu_vpmoire(args);
		unsetenv("VPMOIRE_CATALOG_PATH");
	}
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "house-2.6") != NULL);
	tu_run_free(&r);
	setenv("VPMOIRE_CATALOG_PATH", tu_tmp("missing.csv"), 1);
	r = tu_vpmoire("catalog list panels");
	unsetenv("VPMOIRE_CATALOG_PATH");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "missing.csv") != NULL);
	tu_run_free(&r);
}
