/* The vpmoire program as a user meets it: help, version, catalogs, exit
 * codes and one-line messages. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#ifdef HAVE_JANSSON
#include <jansson.h>
#endif

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

/* Run `vpmoire ARGS` with its standard output on /dev/full: every write
 * fails with ENOSPC.  Returns the exit status; stderr in *err (malloc'd). */
static int run_to_dev_full(const char *args, char **err)
{
	char cmd[8192];
	int st;

	snprintf(cmd, sizeof cmd, "cd '%s' && '%s/apps/vpmoire' %s >/dev/full 2>'%s'", tu_tmpdir(),
		 tu_builddir(), args, tu_tmp("full.err"));
	st = system(cmd);
	*err = tu_slurp(tu_tmp("full.err"));
	if (*err == NULL)
		*err = strdup("");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Issue 14: `vpmoire catalog list panels > /dev/full` printed nothing and
 * exited 0.  One rule for every command (apps/main.c): what went to
 * standard output must have been written, else exit 1 with one line. */
Test(cli, write_errors_on_standard_output_exit_1)
{
	static const char *const cases[] = {
		"--help",
		"--version",
		"catalog --help",
		"catalog list panels",
		"catalog list cameras",
		"catalog list lenses",
		"catalog show aoto-rm1.5",
		"check --help",
		"sweep --help",
		"merge --help",
		"chart --help",
		"focus --help",
		"simulate --help",
		"shotlist --help",
		"validate --help",
		"check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 "
		"--stop T2.8 --wall 8.28ft --focus 1m --json",
		"sweep --panels aoto-rm1.5 --cameras bmd-ursa-mini-pro-4.6k-g2 --lenses zeiss-cp3-28 "
		"--wall 2m --count",
	};
	size_t i;

	if (!tu_exists("/dev/full"))
		cr_skip_test("no /dev/full on this system");
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *err;
		int st = run_to_dev_full(cases[i], &err);
		cr_assert_eq(st, 1, "'%s' > /dev/full gave %d: %s", cases[i], st, err);
		cr_assert_eq(tu_lines(err), 1, "'%s': %s", cases[i], err);
		cr_assert(strncmp(err, "vpmoire: cannot write", 21) == 0, "'%s': %s", cases[i],
			  err);
		free(err);
	}
	/* the same commands to a working output still exit 0 */
	{
		tu_run_t r = tu_vpmoire("catalog list panels");
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_str_eq(r.err, "");
		tu_run_free(&r);
	}
}

Test(cli, usage_errors_exit_2_with_one_line)
{
	const char *cases[] = { "",
				"frobnicate",
				"--frob",
				"catalog",
				"catalog list",
				"catalog list widgets",
				"catalog list panels --nope",
				"catalog show" };
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i]);
		cr_assert_eq(r.status, 2, "'vpmoire %s' gave %d", cases[i], r.status);
		if (cases[i][0] != '\0')
			cr_assert_eq(tu_lines(r.err), 1, "'vpmoire %s' stderr: %s", cases[i],
				     r.err);
		cr_assert(strncmp(r.err, "vpmoire", 7) == 0 || cases[i][0] == '\0');
		tu_run_free(&r);
	}
}

/* The flag grammars live in lib/units.c and the choices in one helper
 * (apps/cli.c cli_parse_choice, issue 13); the program prefixes the flag.
 * These are the exact lines users see, kept word for word. */
#define MSG_RIG                                                                             \
	"--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 --stop " \
	"T2.8 --wall 2m --subject 1m"
#define MSG_CHART "chart --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 "
#define MSG_HINT " (see 'vpmoire chart --help')\n"
Test(cli, flag_value_messages_word_for_word)
{
	static const char *const cases[][2] = {
		{ "check " MSG_RIG " --shutter 1/0",
		  "vpmoire: --shutter: '1/0' is not an exposure time: use 1/48, 0.0208 (seconds, "
		  "up to 1) or 180deg@24 (shutter angle at frames per second)\n" },
		{ "check " MSG_RIG " --brightness 140%",
		  "vpmoire: --brightness: '140' must lie in (0, 100]\n" },
		{ "check " MSG_RIG " --brightness 1.5",
		  "vpmoire: --brightness: '1.5' must lie in (0, 1]\n" },
		{ "check " MSG_RIG " --aspect 0:1",
		  "vpmoire: --aspect: '0:1' is not an aspect such as 16:9 or 2.39\n" },
		{ "check " MSG_RIG " --aspect 12:1",
		  "vpmoire: --aspect: '12:1' must lie between 0.2 and 10\n" },
		{ "check " MSG_RIG " --focal 28:",
		  "vpmoire: --focal: expected MM or A:B such as 28:100, found '28:'\n" },
		{ "check " MSG_RIG " --focal 100:28",
		  "vpmoire: --focal: '100:28': a zoom's long end must be beyond its short end\n" },
		{ "check " MSG_RIG " --focal 0:28",
		  "vpmoire: --focal: '0': a length must be greater than zero\n" },
		{ "check " MSG_RIG " --cfa foveon",
		  "vpmoire: --cfa: 'foveon' is not a CFA: use bayer or mono\n" },
		{ "check " MSG_RIG " --lit-by sun",
		  "vpmoire: --lit-by: 'sun' is not a lighting: use lights or wall\n" },
		{ MSG_CHART "--focal-range 50:20 --stop T2.8",
		  "vpmoire chart: --focal-range: '50:20': the end must be beyond the start" MSG_HINT },
		{ MSG_CHART "--focal-range 135 --stop T2.8",
		  "vpmoire chart: --focal-range: expected FROM:TO such as 15:135, found '135'" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --wall-range 2m:",
		  "vpmoire chart: --wall-range: expected FROM:TO such as 1.5m:9m, found '2m:'" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --cells 20x",
		  "vpmoire chart: --cells: '20x': expected NXxNY, at most 2000x2000, such as "
		  "200x200" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --cells 1",
		  "vpmoire chart: --cells: '1': at least 2 cells each way" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --focus-rule middle",
		  "vpmoire chart: --focus-rule: expected subject or back-of-dof, found 'middle'" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --colors rainbow",
		  "vpmoire chart: --colours: expected risk or visibility, found 'rainbow'" MSG_HINT },
		{ MSG_CHART "--series 'ZEISS CP.3' --paper a3",
		  "vpmoire chart: --paper: expected a4 or letter, found 'a3'" MSG_HINT },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i][0]);

		cr_assert_eq(r.status, 2, "'vpmoire %s' gave %d", cases[i][0], r.status);
		cr_assert_str_eq(r.err, cases[i][1], "'vpmoire %s'", cases[i][0]);
		tu_run_free(&r);
	}
	/* the choices are case-blind */
	{
		tu_run_t r = tu_vpmoire("check " MSG_RIG " --cfa MONO --lit-by Wall --json");

		cr_assert_eq(r.status, 0, "%s", r.err);
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

/* ---------------------------------------------------------------- check */

#define REF_RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28"
#define FOIL_RIG "--panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28"
/* subject 5 ft (1.524 m) in front of the wall, camera 1 m from the subject */
#define REF_GEO "--wall 2.524m --subject 1m"

/* The value of "key": in a flat JSON text (first occurrence), as a string. */
static int json_get(const char *json, const char *key, char *out, size_t size)
{
	char pat[128];
	const char *p, *e;

	snprintf(pat, sizeof pat, "\"%s\": ", key);
	p = strstr(json, pat);
	if (p == NULL)
		return 0;
	p += strlen(pat);
	e = p;
	if (*p == '"') {
		p++;
		e = strchr(p, '"');
	} else {
		while (*e && *e != ',' && *e != '\n' && *e != '}')
			e++;
	}
	if (e == NULL || (size_t)(e - p) >= size)
		return 0;
	memcpy(out, p, (size_t)(e - p));
	out[e - p] = '\0';
	return 1;
}

static double json_num(const char *json, const char *key)
{
	char v[64];

	cr_assert(json_get(json, key, v, sizeof v), "no %s in %s", key, json);
	return strtod(v, NULL);
}

static void assert_contract(const char *json)
{
	size_t i, n;
	const char *const *contract = tu_spec_fields(&n);
	char v[64];

	for (i = 0; i < n; i++)
		cr_assert(json_get(json, contract[i], v, sizeof v), "field %s missing:\n%s",
			  contract[i], json);
	/* no non-finite number leaks into the JSON (": nan", ": inf", ": -inf") */
	cr_assert(strstr(json, ": nan") == NULL && strstr(json, ": inf") == NULL &&
			  strstr(json, ": -inf") == NULL && strstr(json, ": -nan") == NULL,
		  "%s", json);
}

#ifdef HAVE_JANSSON
/* The type of each field of the contract (tu_spec_fields): a finite number;
 * a number, or null where the value is infinite or does not exist (the far
 * limit of the depth of field beyond the hyperfocal distance; the beat of a
 * set-up without moiré, the grid frequency of one without a visible grid);
 * a channel name; a risk class. */
typedef enum { T_NUMBER, T_NUMBER_OR_NULL, T_CHANNEL, T_RISK } field_type_t;

static const struct {
	const char *name;
	field_type_t type;
} contract_types[] = {
	{ "magnification", T_NUMBER },
	{ "led_frequency_cy_mm", T_NUMBER },
	{ "nyquist_cy_mm", T_NUMBER },
	{ "wall_blur_mm", T_NUMBER },
	{ "coc_mm", T_NUMBER },
	{ "dof_near_m", T_NUMBER },
	{ "dof_far_m", T_NUMBER_OR_NULL },
	{ "hyperfocal_m", T_NUMBER },
	{ "moire_visibility", T_NUMBER },
	{ "moire_modulation", T_NUMBER },
	{ "moire_beat_cy_mm", T_NUMBER_OR_NULL },
	{ "moire_cy_deg", T_NUMBER_OR_NULL },
	{ "moire_channel", T_CHANNEL },
	{ "grid_visibility", T_NUMBER },
	{ "grid_modulation", T_NUMBER },
	{ "grid_cy_mm", T_NUMBER_OR_NULL },
	{ "risk", T_RISK },
};

/* Parse the output as JSON (an object), check every contract field is
 * there, first and in order, with its type, and that the fields agree with
 * each other.  Returns the parsed object (json_decref it). */
static json_t *assert_contract_parsed(const char *text)
{
	json_error_t err;
	json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	const char *const *contract;
	const char *key, *s;
	json_t *v, *ch;
	size_t i, n;

	cr_assert_not_null(o, "not JSON: line %d column %d: %s\n%s", err.line, err.column, err.text,
			   text);
	cr_assert(json_is_object(o), "%s", text);
	contract = tu_spec_fields(&n);
	cr_assert_eq(n, sizeof contract_types / sizeof contract_types[0]);
	i = 0;
	json_object_foreach(o, key, v)
	{
		if (i < n) /* the contract's fields come first, in its order */
			cr_assert_str_eq(key, contract[i], "field %zu", i);
		i++;
	}
	cr_assert_geq(i, n);
	for (i = 0; i < n; i++) {
		cr_assert_str_eq(contract_types[i].name, contract[i]);
		v = json_object_get(o, contract[i]);
		cr_assert_not_null(v, "field %s missing", contract[i]);
		switch (contract_types[i].type) {
		case T_NUMBER:
			cr_assert(json_is_number(v), "%s is not a number", contract[i]);
			cr_assert(isfinite(json_number_value(v)), "%s", contract[i]);
			break;
		case T_NUMBER_OR_NULL:
			cr_assert(json_is_number(v) || json_is_null(v), "%s: not a number or null",
				  contract[i]);
			break;
		case T_CHANNEL:
			s = json_string_value(v);
			cr_assert(json_is_null(v) || (s != NULL && (strcmp(s, "luma") == 0 ||
								    strcmp(s, "red") == 0 ||
								    strcmp(s, "blue") == 0)),
				  "%s: not luma, red, blue or null", contract[i]);
			break;
		case T_RISK:
			s = json_string_value(v);
			cr_assert(s != NULL &&
					  (strcmp(s, "safe") == 0 || strcmp(s, "caution") == 0 ||
					   strcmp(s, "risky") == 0),
				  "%s: not safe, caution or risky", contract[i]);
			break;
		}
	}
	/* non-negative where physics says so; the beat exists iff a channel does */
	cr_assert_gt(json_number_value(json_object_get(o, "magnification")), 0.0);
	cr_assert_gt(json_number_value(json_object_get(o, "nyquist_cy_mm")), 0.0);
	cr_assert_geq(json_number_value(json_object_get(o, "moire_visibility")), 0.0);
	cr_assert_geq(json_number_value(json_object_get(o, "grid_visibility")), 0.0);
	ch = json_object_get(o, "moire_channel");
	cr_assert_eq(json_is_null(ch), json_is_null(json_object_get(o, "moire_beat_cy_mm")));
	cr_assert_eq(json_is_null(ch), json_is_null(json_object_get(o, "moire_cy_deg")));
	cr_assert_eq(json_is_null(json_object_get(o, "grid_cy_mm")),
		     json_is_null(json_object_get(o, "grid_channel")));
	return o;
}
#endif

Test(check, json_contract_for_catalog_and_raw_numbers)
{
	tu_run_t r = tu_vpmoire("check " REF_RIG " --stop T2.8 " REF_GEO " --json");
	tu_run_t q;

	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_contract(r.out);
	/* the same rig as raw numbers gives the same numbers */
	q = tu_vpmoire("check --pitch 1.5625 --emitter 0.17 --photosite 5.5um --width-px 4608 "
		       "--focal 28 --coc 0.025 --stop 2.8 --wall 2.524 --focus 1m --json");
	cr_assert_eq(q.status, 0, "%s", q.err);
	assert_contract(q.out);
	cr_assert_float_eq(json_num(q.out, "moire_visibility"), json_num(r.out, "moire_visibility"),
			   1e-9);
	cr_assert_float_eq(json_num(q.out, "grid_visibility"), json_num(r.out, "grid_visibility"),
			   1e-9);
	/* nyquist 1/(2a) = 1/(2 x 0.0055 mm) */
	cr_assert_float_eq(json_num(q.out, "nyquist_cy_mm"), 1.0 / 0.011, 1e-6);
	tu_run_free(&r);
	tu_run_free(&q);
}

/* The same contract, read by a JSON parser (jansson): the output is one
 * valid JSON object whose contract fields come first, in order, each of its
 * type, for a set-up with moiré, one focused past the hyperfocal distance
 * (far limit infinite: null), and one without moiré (no channel: nulls). */
Test(check, json_contract_parses_with_types)
{
#ifdef HAVE_JANSSON
	const char *cases[] = {
		"check " REF_RIG " --stop T2.8 " REF_GEO " --json",
		"check " FOIL_RIG " --stop T4 --wall 3.85m --focus inf --json",
		"check --pitch 1.5625 --emitter 0.17 --photosite 5.5um --width-px 4608 --focal 28 "
		"--coc 0.025 --stop 2.8 --wall 2.524 --focus 1m --json",
		"check --pitch 1.5625 --emitter 0.17 --photosite 5.5um --width-px 4608 --focal 28 "
		"--stop 5.6 --wall 3.17m --focus 0.9m --model ideal --json",
		/* the wall 100 m away and far out of focus: no moiré component */
		"check --pitch 1.5625 --emitter 0.17 --photosite 5.5um --width-px 4608 --focal 28 "
		"--stop 1.4 --wall 100m --focus 0.5m --json",
	};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		tu_run_t r = tu_vpmoire(cases[k]);
		json_t *o;

		cr_assert_eq(r.status, 0, "%s: %s", cases[k], r.err);
		o = assert_contract_parsed(r.out);
		if (k == 1)
			cr_assert(json_is_null(json_object_get(o, "dof_far_m")), "%s", r.out);
		else
			cr_assert(json_is_number(json_object_get(o, "dof_far_m")), "%s", r.out);
		cr_assert_eq(json_is_null(json_object_get(o, "moire_channel")), k == 4, "%s",
			     r.out);
		json_decref(o);
		tu_run_free(&r);
	}
#else
	cr_skip_test("built without jansson (Debian: libjansson-dev): JSON not parsed");
#endif
}

Test(check, reference_micro_stage_verdicts)
{
	const char *stops[] = { "2.1", "2.8", "4" };
	double vref[3], vfoil[3];
	char args[512], v[32];
	int i;

	for (i = 0; i < 3; i++) {
		tu_run_t a, b;
		snprintf(args, sizeof args,
			 "check %s --stop T%s %s --model ideal --chroma-weight luma --json",
			 REF_RIG, stops[i], REF_GEO);
		a = tu_vpmoire(args);
		snprintf(args, sizeof args,
			 "check %s --stop T%s %s --model ideal --chroma-weight luma --json",
			 FOIL_RIG, stops[i], REF_GEO);
		b = tu_vpmoire(args);
		cr_assert_eq(a.status, 0, "%s", a.err);
		cr_assert_eq(b.status, 0, "%s", b.err);
		vref[i] = fmax(json_num(a.out, "moire_visibility"),
			       json_num(a.out, "grid_visibility"));
		vfoil[i] = fmax(json_num(b.out, "moire_visibility"),
				json_num(b.out, "grid_visibility"));
		if (i == 0) {
			cr_assert(json_get(a.out, "risk", v, sizeof v));
			cr_assert_str_eq(v, "safe", "1.5 mm panel at T2.1 (luma weighting)");
		}
		if (i == 1) {
			cr_assert(json_get(b.out, "risk", v, sizeof v));
			cr_assert_str_neq(v, "safe", "2.84 mm panel at T2.8");
		}
		cr_assert_gt(vfoil[i], vref[i], "T%s: 2.84 mm %g vs 1.5 mm %g", stops[i], vfoil[i],
			     vref[i]);
		tu_run_free(&a);
		tu_run_free(&b);
	}
	for (i = 1; i < 3; i++) {
		cr_assert_geq(vref[i], vref[i - 1], "1.5 mm panel visibility fell stopping down");
		cr_assert_geq(vfoil[i], vfoil[i - 1],
			      "2.84 mm panel visibility fell stopping down");
	}
}

Test(check, human_report_leads_with_the_verdict)
{
	tu_run_t r = tu_vpmoire("check " REF_RIG " --stop T2.8 " REF_GEO " --units ft");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strncmp(r.out, "SAFE", 4) == 0 || strncmp(r.out, "CAUTION", 7) == 0 ||
			  strncmp(r.out, "RISKY", 5) == 0,
		  "%s", r.out);
	cr_assert(strstr(r.out, "photosites per LED") && strstr(r.out, "LED pitches") &&
			  strstr(r.out, "depth of field") && strstr(r.out, "strongest moire") &&
			  strstr(r.out, "strongest grid"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "8' 3.4\"") != NULL, "wall in feet and inches:\n%s", r.out);
	tu_run_free(&r);
}

Test(check, advice_is_what_check_then_says)
{
	/* RISKY: the reference stage at T2.8 in the ideal chain, and the 2.84 mm
	 * foil in the field model (camera 1.5 m from the subject).  The advised stop, focus and wall, fed back
	 * to check with the same model, give the advised verdicts. */
	static const char *const rigs[2] = { REF_RIG " --model ideal", FOIL_RIG " --model field" };
	static const char *const geos[2] = { REF_GEO, "--wall 3m --subject 1.5m" };

	for (int k = 0; k < 2; k++) {
		const char *adv;
		char v[64], args[640];
		double before;
		tu_run_t r;

		snprintf(args, sizeof args, "check %s --stop T2.8 %s --json", rigs[k], geos[k]);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 0, "%s", r.err);
		before = json_num(r.out, "visibility");
		cr_assert(json_get(r.out, "risk", v, sizeof v));
		cr_assert_str_eq(v, "risky", "%s", args);
		adv = strstr(r.out, "\"advice\"");
		cr_assert_not_null(adv);
		cr_assert(json_get(adv, "change", v, sizeof v), "no advice: %s", r.out);
		while ((adv = strstr(adv, "{\"change\"")) != NULL) {
			double stop = json_num(adv, "stop"), focus = json_num(adv, "focus_m");
			double wall = json_num(adv, "wall_m"), vis = json_num(adv, "visibility");
			double dpx = json_num(adv, "delivery_px");
			char lens[64] = "", more[128] = "";
			tu_run_t q;
			cr_assert_lt(vis, before);
			/* another lens or delivery: name them as a DP would */
			if (json_get(adv, "lens", lens, sizeof lens) && strcmp(lens, "null") != 0)
				snprintf(more, sizeof more, " --lens %s", lens);
			if (dpx > 0)
				snprintf(more + strlen(more), sizeof more - strlen(more),
					 " --delivery-px %.0f", dpx);
			snprintf(args, sizeof args,
				 "check %s --stop %.17g --wall %.17g --focus %.17g%s --json",
				 rigs[k], stop, wall, focus, more);
			q = tu_vpmoire(args);
			cr_assert_eq(q.status, 0, "%s", q.err);
			cr_assert_float_eq(json_num(q.out, "visibility"), vis, 1e-9 * (1 + vis),
					   "%s", args);
			tu_run_free(&q);
			adv++;
		}
		tu_run_free(&r);
	}
}

/* The field model (doc/model.md) on the reference micro stage: the seed
 * article's everyday shot (1.5 mm wall, 28 mm at T2.8, subject 5 ft from
 * the wall, camera 1 m from the subject) showed "not any detectable
 * moiré": SAFE for HD and UHD delivery.  The same shot on 2.84 mm panels
 * ("many more challenges due to moiré") is not SAFE at camera resolution
 * or UHD.  The ideal chain stays the upper bound. */
Test(check, field_model_reference_stage)
{
	static const char *const deliveries[3] = { "", "--delivery-px 1920", "--delivery-px 3840" };
	char args[640], v[32];

	for (int d = 0; d < 3; d++) {
		tu_run_t f, i;

		snprintf(args, sizeof args, "check %s --stop T2.8 %s %s --json", REF_RIG, REF_GEO,
			 deliveries[d]);
		f = tu_vpmoire(args);
		cr_assert_eq(f.status, 0, "%s", f.err);
		cr_assert(json_get(f.out, "risk", v, sizeof v));
		cr_assert_str_eq(v, "safe", "%s", args);
		cr_assert(json_get(f.out, "model", v, sizeof v));
		cr_assert_str_eq(v, "field");
		cr_assert_leq(json_num(f.out, "moire_visibility"),
			      json_num(f.out, "moire_visibility_worst"));
		snprintf(args, sizeof args, "check %s --stop T2.8 %s %s --model ideal --json",
			 REF_RIG, REF_GEO, deliveries[d]);
		i = tu_vpmoire(args);
		cr_assert_eq(i.status, 0, "%s", i.err);
		cr_assert_gt(json_num(i.out, "visibility"), json_num(f.out, "visibility"));
		tu_run_free(&f);
		tu_run_free(&i);
		if (d == 1)
			continue;
		snprintf(args, sizeof args, "check %s --stop T2.8 %s %s --json", FOIL_RIG, REF_GEO,
			 deliveries[d]);
		f = tu_vpmoire(args);
		cr_assert_eq(f.status, 0, "%s", f.err);
		cr_assert(json_get(f.out, "risk", v, sizeof v));
		cr_assert_str_neq(v, "safe", "%s", args);
		tu_run_free(&f);
	}
}

Test(check, focus_at_infinity_prints_null_far_limit)
{
	tu_run_t r = tu_vpmoire("check " REF_RIG " --stop T2.8 --wall 6m --focus inf --json");

	cr_assert_eq(r.status, 0, "%s", r.err);
	assert_contract(r.out);
	cr_assert(strstr(r.out, "\"dof_far_m\": null") != NULL, "%s", r.out);
	tu_run_free(&r);
}

Test(check, impossible_setups_exit_2_with_one_line)
{
	const char *cases[][2] = {
		{ "check " REF_RIG " --stop T2.8 --wall 2.5m --focus 0.1m", "focus" },
		{ "check " REF_RIG " --stop T2.8 --wall 0.1m --focus 1m", "wall" },
		{ "check " REF_RIG " --stop T0 --wall 2.5m --focus 1m", "stop" },
		{ "check " REF_RIG " --stop T2.8 --wall -2m --focus 1m", "wall" },
		{ "check " REF_RIG " --stop T2.8 --wall abc --focus 1m", "wall" },
		{ "check " REF_RIG " --stop T2.8 --wall nan --focus 1m", "wall" },
		{ "check " REF_RIG " --stop T2.8 --wall 1e308m --focus 1m", "wall" },
		{ "check " REF_RIG " --stop T2.8 --focus 1m", "--wall" },
		{ "check " REF_RIG " --stop T2.8 --wall 2.5m", "--focus" },
		{ "check --panel roe-bp2v3 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 "
		  "--wall 2.5 --focus 1",
		  "did you mean roe-bp2v2" },
		{ "check " REF_RIG " --focal 0 --stop 2.8 --wall 2.5 --focus 1", "focal" },
		{ "check " REF_RIG " --pitch 1e-300mm --stop 2.8 --wall 2.5 --focus 1", "pitch" },
		{ "check --pitch 2.5 --camera bmd-ursa-mini-pro-4.6k-g2 --lens zeiss-cp3-28 "
		  "--wall 2.5 --focus 1",
		  "--emitter" },
		{ "check " REF_RIG " --wall 2.5 --subject 3m", "--subject" },
		{ "check " REF_RIG " --wall 2.5 --focus 1 --cfa xtrans", "cfa" },
		/* what the lens cannot do (issue 12): CP.3 28 mm is T2.1-T22 and
		 * focuses to 0.24 m from the sensor */
		{ "check " REF_RIG " --stop T1.4 --wall 2.5 --focus 1",
		  "--stop: zeiss-cp3-28 has no T1.4" },
		{ "check " REF_RIG " --stop T32 --wall 2.5 --focus 1",
		  "--stop: zeiss-cp3-28 has no T32" },
		{ "check " REF_RIG " --stop T2.8 --wall 2.5 --focus 0.2m",
		  "--focus: zeiss-cp3-28 focuses no closer than 0.24 m" },
		{ "simulate " REF_RIG " --stop T1.4 --wall 2.5 --focus 1", "--stop" },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r = tu_vpmoire(cases[i][0]);
		cr_assert_eq(r.status, 2, "'%s' gave %d: %s", cases[i][0], r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "'%s': %s", cases[i][0], r.err);
		cr_assert(strstr(r.err, cases[i][1]) != NULL, "'%s': %s", cases[i][0], r.err);
		cr_assert_str_eq(r.out, "");
		tu_run_free(&r);
	}
}

/* vpmoire validate: the shipped field observations agree with the field
 * model (at least 5 in 6 leniently, no observed moiré called SAFE: exit
 * 0); the ideal chain, which cries wolf, falls below (exit 1). */
Test(validate, field_model_agrees_with_the_field)
{
	tu_run_t r = tu_vpmoire("validate");
	const char *all;
	int n = 0, lenient = 0;

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "field model:"), "%s", r.out);
	all = strstr(r.out, "\nall ");
	cr_assert_not_null(all, "%s", r.out);
	cr_assert_eq(sscanf(all, "\nall %d %d", &n, &lenient), 2);
	cr_assert_geq(n, 20);
	cr_assert_geq(6 * lenient, 5 * n);
	cr_assert(strstr(r.out, "observed moire judged SAFE: 0"));
	tu_run_free(&r);
	r = tu_vpmoire("validate --model ideal");
	cr_assert_eq(r.status, 1, "%s", r.out);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "agreement below the threshold"));
	tu_run_free(&r);
}

/* --fit reports every candidate edge and the leave-one-out agreement. */
Test(validate, fit_is_cross_validated, .timeout = 120)
{
	tu_run_t r = tu_vpmoire("validate --fit");
	int loo = -1, n = 0;
	const char *p;

	cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
	p = strstr(r.out, "leave-one-out");
	cr_assert_not_null(p, "%s", r.out);
	p = strstr(p, "lenient ");
	cr_assert_not_null(p);
	cr_assert_eq(sscanf(p, "lenient %d/%d", &loo, &n), 2);
	cr_assert_geq(6 * loo, 5 * n, "leave-one-out %d/%d", loo, n);
	cr_assert(strstr(r.out, "  0.50 "), "%s", r.out);
	tu_run_free(&r);
}

/* Bad observation files and bad model flags: one line, exit 2. */
Test(validate, bad_input)
{
	tu_run_t r;

	tu_write("bad.csv",
		 "id,kind,observed,panel,pitch_mm,emitter_mm,camera,photosite_um,width_px,"
		 "olpf_um,focal_mm,stop,wall_m,focus_m,delivery_px,source_url,claim,assumptions\n"
		 "x1,paper,moire,,2.5,,,5,4000,,50,abc,5,3,,http://x,c,a\n");
	r = tu_vpmoire("validate bad.csv");
	cr_assert_eq(r.status, 2);
	cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
	cr_assert(strstr(r.err, "bad.csv:2:34: stop: 'abc' is not a number"), "%s", r.err);
	tu_run_free(&r);
	tu_write("nosrc.csv",
		 "id,kind,observed,panel,pitch_mm,emitter_mm,camera,photosite_um,width_px,"
		 "olpf_um,focal_mm,stop,wall_m,focus_m,delivery_px,source_url,claim,assumptions\n"
		 "x1,paper,seen,,2.5,,,5,4000,,50,2.8,5,3,,,c,a\n");
	r = tu_vpmoire("validate nosrc.csv");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "observed: 'seen'"), "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("check --model perfect");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--model: unknown model 'perfect'"), "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("check --viewing imax");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--viewing"), "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("check --pupil-edge 1.5");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--pupil-edge"), "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("check --resample nearest");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--resample"), "%s", r.err);
	tu_run_free(&r);
	r = tu_vpmoire("check --content no-such.png");
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "--content: ") && strstr(r.err, "no-such.png"), "%s", r.err);
	tu_run_free(&r);
}

/* check --json names the model and both band statistics; the human report
 * says which kind drives the verdict and prints the model line. */
Test(check, json_and_report_name_the_model)
{
	tu_run_t r = tu_vpmoire("check " FOIL_RIG " --stop T2.8 " REF_GEO " --json");
	char v[64];

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(json_get(r.out, "model", v, sizeof v));
	cr_assert_str_eq(v, "field");
	cr_assert(json_get(r.out, "verdict_driver", v, sizeof v));
	cr_assert_str_eq(v, "grid");
	cr_assert(json_get(r.out, "verdict_statistic", v, sizeof v));
	cr_assert_str_eq(v, "expected");
	cr_assert(json_get(r.out, "viewing", v, sizeof v));
	cr_assert_str_eq(v, "uhd-tv");
	cr_assert_leq(json_num(r.out, "grid_visibility"), json_num(r.out, "grid_visibility_worst"));
	cr_assert_null(strstr(r.out, ": nan"));
	cr_assert_null(strstr(r.out, ": -nan"));
	tu_run_free(&r);
	r = tu_vpmoire("check " FOIL_RIG " --stop T2.8 " REF_GEO " --model ideal --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(json_get(r.out, "model", v, sizeof v));
	cr_assert_str_eq(v, "ideal");
	cr_assert(strstr(r.out, "\"moire_visibility_expected\": null"), "%s", r.out);
	tu_run_free(&r);
	r = tu_vpmoire("check " FOIL_RIG " --stop T2.8 " REF_GEO " --delivery-px 1920");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "field model: opponent-colour CSFs, viewing hd-tv (3 picture "
				"heights"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "the LED grid drives the verdict"), "%s", r.out);
	tu_run_free(&r);
}

/* Anamorphics and zooms (issue 19): --squeeze and a 2x catalog lens give
 * twice the horizontal LED frequency in check --json (equal without);
 * a zoom takes a focal length of its range with its stop ramp; bad
 * values exit 2 with one line naming the flag. */
#define ANA_RIG "--panel roe-bp2v2 --camera bmd-ursa-mini-pro-4.6k-g2"
Test(check, anamorphic_and_zoom_flags)
{
	const char *bad[][2] = {
		{ "check " ANA_RIG " --lens zeiss-cp3-28 --squeeze 9 --wall 4 --focus 2",
		  "--squeeze" },
		{ "check " ANA_RIG " --lens zeiss-cp3-28 --squeeze abc --wall 4 --focus 2",
		  "--squeeze" },
		{ "check " ANA_RIG " --lens fujinon-premista-80-250 --focal 300 --wall 4 --focus 2",
		  "--focal: fujinon-premista-80-250 zooms from 80 to 250 mm" },
		{ "check " ANA_RIG
		  " --lens fujinon-premista-80-250 --focal 165 --stop 2.9 --wall 4 "
		  "--focus 2",
		  "--stop: fujinon-premista-80-250 opens only to T3.2" },
		{ "check " ANA_RIG " --focal 28:100 --stop 2.8 --wall 4 --focus 2",
		  "zoom's range" },
		{ "check " ANA_RIG " --focal 100:28 --stop 2.8 --wall 4 --focus 2", "--focal" },
	};
	tu_run_t r;
	double fx, fy;

	r = tu_vpmoire("check " ANA_RIG " --lens zeiss-cp3-28 --wall 4 --focus 2 --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	fx = json_num(r.out, "led_frequency_x_cy_mm");
	fy = json_num(r.out, "led_frequency_y_cy_mm");
	cr_assert_eq(fx, fy, "equal without squeeze");
	cr_assert_eq(fx, json_num(r.out, "led_frequency_cy_mm"));
	tu_run_free(&r);
	r = tu_vpmoire("check " ANA_RIG
		       " --lens zeiss-cp3-28 --squeeze 2 --wall 4 --focus 2 --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_float_eq(json_num(r.out, "led_frequency_x_cy_mm"), 2.0 * fx, 1e-6 * fx);
	cr_assert_float_eq(json_num(r.out, "led_frequency_y_cy_mm"), fy, 1e-6 * fy);
	tu_run_free(&r);
	/* the catalog's 2x Cooke: the same geometry at 50 mm */
	r = tu_vpmoire("check " ANA_RIG " --lens cooke-anamorphic-i-50 --wall 4 --focus 2 --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_float_eq(json_num(r.out, "led_frequency_x_cy_mm"),
			   2.0 * json_num(r.out, "led_frequency_y_cy_mm"), 1e-6 * fx);
	cr_assert_float_eq(json_num(r.out, "squeeze"), 2.0, 1e-12);
	tu_run_free(&r);
	/* Premista 80-250 at 165 mm: T2.9 + 0.6 x 85/170 = T3.2 */
	r = tu_vpmoire("check " ANA_RIG " --lens fujinon-premista-80-250 --focal 165 --wall 4 "
		       "--focus 2 --json");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_float_eq(json_num(r.out, "stop"), 3.2, 1e-9);
	cr_assert_float_eq(json_num(r.out, "focal_mm"), 165.0, 1e-9);
	tu_run_free(&r);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		r = tu_vpmoire(bad[i][0]);
		cr_assert_eq(r.status, 2, "'%s' gave %d: %s", bad[i][0], r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "'%s': %s", bad[i][0], r.err);
		cr_assert(strstr(r.err, bad[i][1]) != NULL, "'%s': %s", bad[i][0], r.err);
		tu_run_free(&r);
	}
}
