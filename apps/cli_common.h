/* vpmoire program: the argument parsing that the single-set-up commands
 * (check, focus, simulate) and shotlist share: their long options built
 * from the shared groups, the start and end of the getopt loop, --help,
 * and the one set-up the flags describe. */
#ifndef VPM_APP_CLI_COMMON_H
#define VPM_APP_CLI_COMMON_H

#include "cli.h"

/* The groups of shared long options a command takes. */
enum {
	CLI_OPTS_SETUP = 1u << 0,    /* CLI_SETUP_LONGOPTS: equipment, delivery, viewer */
	CLI_OPTS_GEOMETRY = 1u << 1, /* CLI_GEOMETRY_LONGOPTS: --stop --wall --focus --subject */
	CLI_OPTS_EXPOSURE = 1u << 2, /* CLI_EXPOSURE_LONGOPTS: the exposure budget */
	CLI_OPTS_JSON = 1u << 3	     /* --json (OPT_JSON) */
};

/* Room for every command's options (the largest, shotlist, has 50). */
#define CLI_OPTIONS_MAX 128

/* A command's long options, built at run time; `opt` always ends with the
 * all-zero entry getopt_long() looks for. */
typedef struct {
	struct option opt[CLI_OPTIONS_MAX + 1];
	int n;
} cli_options_t;

/* The groups in `groups` (CLI_OPTS_*) and --help (as 'h').  The order of
 * the entries does not matter to getopt_long(): an abbreviation matches,
 * or is ambiguous, by the whole set. */
void cli_options_init(cli_options_t *o, unsigned groups);

/* Append the entries of `more` (ended by an entry with a NULL name).
 * Entries beyond CLI_OPTIONS_MAX are dropped: the tables are fixed, so the
 * commands' tests would show it. */
void cli_options_add(cli_options_t *o, const struct option *more);

/* Append one entry. */
void cli_options_add_one(cli_options_t *o, const char *name, int has_arg, int val);

/* Append the set-up flag (CLI_SETUP_LONGOPTS) whose code is `val`
 * (OPT_CAMERA, ...): for a command that takes some of them only. */
void cli_options_add_setup(cli_options_t *o, int val);

/* The start of a command's getopt_long() loop: cli_setup_init(cs), getopt's
 * own messages off (cli_setup_getopt() words them), argv scanned from its
 * first argument. */
void cli_parse_begin(cli_setup_t *cs);

/* --help: `head`, the shared flags' help of the groups given
 * (CLI_OPTS_SETUP, CLI_OPTS_EXPOSURE), then `tail`, on stdout.  Returns
 * EXIT_OK. */
int cli_help(const char *head, unsigned groups, const char *tail);

/* After the loop of a command that takes no operands and needs --wall:
 * "unexpected argument 'X'", or "--wall is required (camera to wall, e.g.
 * --wall EXAMPLE)" (a usage error, 2); else 0. */
int cli_parse_end(const char *cmd, const cli_setup_t *cs, int argc, char **argv,
		  const char *wall_example);

/* The one set-up of check and simulate: the catalogs (*cat, NULL on their
 * failure; the caller frees it), cli_setup_build(), cli_setup_geometry()
 * and the lens's reach at that stop and focus.  Prints errors; returns an
 * exit code (0 = fine). */
int cli_single_setup(const char *cmd, cli_setup_t *cs, vpm_catalog_t **cat, vpm_setup_t *s,
		     const vpm_lens_t **lens, const vpm_camera_t **camera,
		     const vpm_panel_t **panel);

#endif
