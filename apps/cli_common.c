/* The argument parsing that check, focus, simulate and shotlist share
 * (see cli_common.h). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cli_common.h"

static const struct option setup_options[] = { CLI_SETUP_LONGOPTS, { NULL, 0, NULL, 0 } };
static const struct option geometry_options[] = { CLI_GEOMETRY_LONGOPTS, { NULL, 0, NULL, 0 } };
static const struct option exposure_options[] = { CLI_EXPOSURE_LONGOPTS, { NULL, 0, NULL, 0 } };

void cli_options_add_one(cli_options_t *o, const char *name, int has_arg, int val)
{
	if (o->n >= CLI_OPTIONS_MAX)
		return;
	o->opt[o->n].name = name;
	o->opt[o->n].has_arg = has_arg;
	o->opt[o->n].flag = NULL;
	o->opt[o->n].val = val;
	o->n++;
	memset(&o->opt[o->n], 0, sizeof o->opt[o->n]);
}

void cli_options_add(cli_options_t *o, const struct option *more)
{
	for (; more->name != NULL; more++)
		cli_options_add_one(o, more->name, more->has_arg, more->val);
}

void cli_options_add_setup(cli_options_t *o, int val)
{
	const struct option *p;

	for (p = setup_options; p->name != NULL; p++)
		if (p->val == val)
			cli_options_add_one(o, p->name, p->has_arg, p->val);
}

void cli_options_init(cli_options_t *o, unsigned groups)
{
	memset(o, 0, sizeof *o);
	if (groups & CLI_OPTS_SETUP)
		cli_options_add(o, setup_options);
	if (groups & CLI_OPTS_GEOMETRY)
		cli_options_add(o, geometry_options);
	if (groups & CLI_OPTS_EXPOSURE)
		cli_options_add(o, exposure_options);
	if (groups & CLI_OPTS_JSON)
		cli_options_add_one(o, "json", no_argument, OPT_JSON);
	cli_options_add_one(o, "help", no_argument, 'h');
}

void cli_parse_begin(cli_setup_t *cs)
{
	cli_setup_init(cs);
	opterr = 0;
	optind = 1;
}

int cli_help(const char *head, unsigned groups, const char *tail)
{
	fputs(head, stdout);
	if (groups & CLI_OPTS_SETUP)
		fputs(cli_setup_help, stdout);
	if (groups & CLI_OPTS_EXPOSURE)
		fputs(cli_exposure_help, stdout);
	fputs(tail, stdout);
	return EXIT_OK;
}

int cli_parse_end(const char *cmd, const cli_setup_t *cs, int argc, char **argv,
		  const char *wall_example)
{
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	if (!cli_setup_given(cs, OPT_WALL))
		return cli_usage(cmd, "--wall is required (camera to wall, e.g. --wall %s)",
				 wall_example);
	return 0;
}

int cli_single_setup(const char *cmd, cli_setup_t *cs, vpm_catalog_t **cat, vpm_setup_t *s,
		     const vpm_lens_t **lens, const vpm_camera_t **camera,
		     const vpm_panel_t **panel)
{
	int rc;

	if ((rc = cli_load_catalogs(&cs->catalogs, cat)) != 0)
		return rc;
	rc = cli_setup_build(cs, *cat, s, lens, camera, panel);
	if (rc == 0)
		rc = cli_setup_geometry(cmd, cs, s);
	if (rc == 0 && vpm_lens_check_at(*lens, s->focal_mm, s->stop, s->focus_m) != VPM_OK)
		rc = cli_fail(EXIT_USAGE, "%s", vpm_error_message());
	return rc;
}
