/* vpmoire program: what every subcommand shares (errors, catalogs, the
 * equipment and geometry flags, output). */
#ifndef VPM_APP_CLI_H
#define VPM_APP_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <sys/types.h>

#include "vpmoire/vpmoire.h"

/* Exit codes (SPEC §4). */
#define EXIT_OK 0
#define EXIT_RUNTIME 1
#define EXIT_USAGE 2

extern const char *cli_progname; /* "vpmoire" */

/* Print "vpmoire: MESSAGE" (one line) on stderr and return `code`. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A usage error: message, a hint to `vpmoire CMD --help`, returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Report the library's current message (prefixed with `context` when not
 * NULL) and return the exit code for `st`. */
int cli_fail_status(vpm_status_t st, const char *context);

/* Catalog files given with --catalog (repeatable). */
typedef struct {
	const char *files[64];
	int n;
} cli_catalogs_t;

/* Load the installed (or, in the build tree, the source tree's) catalogs,
 * then VPMOIRE_CATALOG_PATH, then --catalog files, later ones overriding.
 * On failure prints the error and returns the exit code (non-zero). */
int cli_load_catalogs(const cli_catalogs_t *extra, vpm_catalog_t **out);

/* Where the base catalogs are read from. */
const char *cli_catalog_dir(void);

/* ---- set-up flags shared by check, simulate, chart, focus and sweep ---- */

/* Option codes for getopt_long (above any single character). */
enum {
	OPT_PANEL = 1000,
	OPT_CAMERA,
	OPT_LENS,
	OPT_PITCH,
	OPT_EMITTER,
	OPT_PHOTOSITE,
	OPT_WIDTH_PX,
	OPT_OLPF,
	OPT_FILL,
	OPT_CFA,
	OPT_FOCAL,
	OPT_STOP,
	OPT_WALL,
	OPT_FOCUS,
	OPT_SUBJECT,
	OPT_RECORDING_PX,
	OPT_DELIVERY_PX,
	OPT_ROLL,
	OPT_COC,
	OPT_TOLERANCE,
	OPT_CHROMA,
	OPT_ASPECT,
	OPT_VIEW_HEIGHTS,
	OPT_LUMINANCE,
	OPT_GAIN,
	OPT_CAUTION_AT,
	OPT_RISKY_AT,
	OPT_CATALOG,
	OPT_UNITS,
	OPT_JSON,
	OPT_HELP,
	OPT_MODEL,
	OPT_VIEWING,
	OPT_RESAMPLE,
	OPT_BAND,
	OPT_PUPIL_EDGE,
	OPT_CONTENT,
	OPT_TRANSMISSION,
	OPT_WALL_NITS,
	OPT_BRIGHTNESS,
	OPT_EI,
	OPT_SHUTTER,
	OPT_ND,
	OPT_LIT_BY,
	OPT_MAX_STOP,
	OPT_SQUEEZE,
	OPT_SETUP_LAST
};

/* Help text for the set-up flags (equipment, lens, delivery, viewer). */
extern const char cli_setup_help[];
/* ... and for the exposure budget's flags. */
extern const char cli_exposure_help[];

/* Parsed set-up flags.  Raw numbers override catalog entries. */
typedef struct {
	const char *panel, *camera, *lens;
	vpm_setup_t raw;	  /* values given on the command line */
	unsigned long long given; /* bit per OPT_* - OPT_PANEL that was given */
	double subject_m;	  /* --subject, 0 when not given */
	cli_catalogs_t catalogs;
	vpm_units_system_t units;
	vpm_exposure_t exposure;	 /* --wall-nits ... --max-stop */
	double focal_lo_mm, focal_hi_mm; /* --focal A:B (a zoom's range); 0: not given */
} cli_setup_t;

/* Handle one set-up option: returns 1 if `opt` was one (parsing `arg`),
 * 0 if not, or -1 after printing an error for a bad value (exit 2). */
int cli_setup_option(cli_setup_t *cs, int opt, const char *arg);

/* For the `default:` of a command's getopt_long loop (optstring starting
 * with ':'): getopt's complaints (':' a missing value, '?' an unknown
 * option) and the shared set-up options.  0 when `opt` was taken, else the
 * exit status to return (2, after printing the error). */
int cli_setup_getopt(const char *cmd, cli_setup_t *cs, int opt, char **argv);

/* Was this option given? */
int cli_setup_given(const cli_setup_t *cs, int opt);

/* The raw numbers given (VPM_RAW_* bits of vpm_setup_from_catalog()). */
unsigned cli_setup_raw(const cli_setup_t *cs);

/* Build the set-up: catalog equipment first, then raw numbers on top.
 * The lens found (if any) is returned in *lens (may be NULL).  Requires
 * panel, camera and focal length; stop defaults to the lens's widest.
 * Geometry (wall/focus) is not required here.  Prints errors; returns an
 * exit code (0 = fine). */
int cli_setup_build(cli_setup_t *cs, const vpm_catalog_t *cat, vpm_setup_t *out,
		    const vpm_lens_t **lens, const vpm_camera_t **camera,
		    const vpm_panel_t **panel);

/* The geometry of a single set-up from --wall, --focus and --subject:
 * the wall, focus (or, without --focus, focus on the subject), and checks
 * that a stop is known and the subject is in front of the wall.  `cmd`
 * names the command in messages.  Call after cli_setup_build().  Prints
 * errors; returns an exit code (0 = fine). */
int cli_setup_geometry(const char *cmd, const cli_setup_t *cs, vpm_setup_t *s);

/* The narrowest stop the light allows for advice: the exposure flags, with
 * the panel's catalog brightness unless --wall-nits is given.  *e receives
 * the budget used (for printing).  Prints errors; returns an exit code. */
int cli_exposure_budget(const cli_setup_t *cs, const vpm_panel_t *panel, vpm_exposure_t *e,
			double *max_stop);

/* Parse a distance flag (bare number = metres) and report errors naming
 * the flag.  Returns 0 or 2. */
int cli_parse_distance(const char *flag, const char *arg, unsigned flags, double *metres);

/* The position of `arg` among `names` (NULL-terminated), ASCII
 * case-insensitive, or -1. */
int cli_choice_index(const char *arg, const char *const names[]);

/* --paper: a4 or letter (index 1: letter), as the pages take them. */
extern const char *const cli_papers[];

/* One of a flag's names, ASCII case-insensitive: *index receives its
 * position in `names` (NULL-terminated) and 0 is returned.  Else prints
 * "vpmoire CMD: --FLAG: expected a, b or c, found 'ARG'" with the hint to
 * `vpmoire CMD --help` (the commands' own flags), or, when `what` is given,
 * "vpmoire: --FLAG: 'ARG' is not WHAT: use a, b or c" (the shared set-up
 * flags, which have no command to name), and returns 2. */
int cli_parse_choice(const char *cmd, const char *flag, const char *what, const char *arg,
		     const char *const names[], int *index);

/* Install SIGINT/SIGTERM handlers that remove temporary outputs. */
void cli_install_signal_cleanup(void);

/* Is stderr a terminal (for progress bars)? */
int cli_stderr_is_tty(void);

/* ---- progress on standard error ---- */

/* The clock and pacing of a progress display; the command draws the line. */
typedef struct {
	int on;	     /* draw at all */
	int shown;   /* a bar stands on the line: end it before other output */
	double t0;   /* when the work began (cli_now_s()) */
	double last; /* when the last frame was drawn */
} cli_progress_t;

/* Seconds on a monotonic clock. */
double cli_now_s(void);

/* Start the clock now.  With `at_once` the first frame is due at once,
 * else only `every_s` (cli_progress_due) after the start. */
void cli_progress_start(cli_progress_t *p, int on, int at_once);

/* Is a frame due?  Not when off, nor before `delay_s` since the start,
 * nor (unless `final`) within `every_s` of the last frame; a due frame
 * counts as drawn now.  *elapsed_s (may be NULL) receives the seconds
 * since the start. */
int cli_progress_due(cli_progress_t *p, double delay_s, double every_s, int final,
		     double *elapsed_s);

/* The 30-character bar of a fraction done: '#' done, '.' to do. */
void cli_progress_bar(double fraction, char bar[31]);

/* End the line of a bar that is shown (a newline), so that what follows
 * starts on its own line. */
void cli_progress_end(cli_progress_t *p);

/* ---- outputs that must not be the same file ---- */

/* Which file a path names, for "same file" checks: an existing regular
 * file by its device and inode (so "x.pdf", "./x.pdf", a symlink and a
 * hard link agree), a file not there yet by its directory's device and
 * inode and its name.  `base` points into the path, which must outlive the
 * id.  `special` is set for an existing non-regular file (a device such as
 * /dev/null, written in place: many outputs may share it). */
typedef struct {
	int exists, special;
	dev_t dev;
	ino_t ino;
	const char *base; /* NULL when the file exists */
} cli_file_id_t;

/* One of the files a command writes (or reads), for cli_find_clash(). */
typedef struct {
	const char *path; /* not copied */
	int owner, page;  /* the caller's: which flag or output, which page */
	cli_file_id_t id; /* set by cli_find_clash() */
} cli_target_t;

/* Find two of the `n` targets that are one file (not a special file, which
 * many may share): sets each id, sorts the targets by file, then owner and
 * page, and returns 1 with *a and *b (may be NULL) the first two
 * neighbours that are one file, in that order; 0 when all are apart. */
int cli_find_clash(cli_target_t *t, size_t n, const cli_target_t **a, const cli_target_t **b);

/* Do two paths name the same (non-special) file? */
int cli_same_file(const char *a, const char *b);

/* ---- standard output ---- */

/* Flush standard output and report a write error on it (a full disk,
 * a closed pipe, /dev/full) as one line: returns `rc` when all went well,
 * else 1 (EXIT_RUNTIME) after printing "vpmoire: cannot write the standard
 * output: REASON".  Every command's result goes through it (apps/main.c). */
int cli_finish_stdout(int rc);

/* ------------------------------------------------------------ option tables and the loop
 * The argument parsing every command shares: its long options built from
 * the shared groups (or some set-up flags only), the start of the getopt
 * loop and --help; for the single-set-up commands (check, focus, simulate)
 * the end of the loop and the one set-up the flags describe. */

/* The groups of shared long options a command takes. */
enum {
	CLI_OPTS_SETUP = 1u << 0,    /* equipment, delivery, viewer (--panel ... --units) */
	CLI_OPTS_GEOMETRY = 1u << 1, /* --stop --wall --focus --subject */
	CLI_OPTS_EXPOSURE = 1u << 2, /* the exposure budget (--wall-nits ... --max-stop) */
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

/* Append the set-up flag (of CLI_OPTS_SETUP) whose code is `val`
 * (OPT_CAMERA, ...): for a command that takes some of them only. */
void cli_options_add_setup(cli_options_t *o, int val);

/* The start of a command's getopt_long() loop: *cs reset to the defaults
 * (vpm_setup_default(), metric units, vpm_exposure_default()), getopt's
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
