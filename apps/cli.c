/* What every vpmoire subcommand shares: messages, exit codes, catalogs and
 * the equipment flags. */
#include <config.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const char *cli_progname = "vpmoire";

/* Print a formatted message as exactly one line: control bytes that came
 * from the user's text (a newline typed into a flag, a CR from a file) are
 * shown as '?' (SPEC §4: one line on stderr). */
static void put_one_line(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
static void put_one_line(const char *fmt, va_list ap)
{
	char buf[4096];
	size_t i;

	vsnprintf(buf, sizeof buf, fmt, ap);
	for (i = 0; buf[i] != '\0'; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	fputs(buf, stderr);
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", cli_progname);
	va_start(ap, fmt);
	put_one_line(fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: ", cli_progname, cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	put_one_line(fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see '%s%s%s --help')\n", cli_progname, cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

/* The exit code for a library status: 2 for bad input, 1 for runtime. */
static int cli_exit_code(vpm_status_t st)
{
	switch (st) {
	case VPM_OK: return EXIT_OK;
	case VPM_ENOMEM:
	case VPM_EIO:
	case VPM_EINTERNAL: return EXIT_RUNTIME;
	default: return EXIT_USAGE;
	}
}

int cli_fail_status(vpm_status_t st, const char *context)
{
	const char *msg = vpm_error_message();

	if (msg[0] == '\0')
		msg = vpm_strerror(st);
	if (context != NULL)
		return cli_fail(cli_exit_code(st), "%s: %s", context, msg);
	return cli_fail(cli_exit_code(st), "%s", msg);
}

/* ------------------------------------------------------------ catalogs */

static int is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Running from the build tree?  Then the source tree's catalogs are the
 * ones that belong to this build, whatever is installed. */
static int running_uninstalled(void)
{
	char exe[PATH_MAX], real_build[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	size_t len;

	if (n <= 0)
		return 0;
	exe[n] = '\0';
	if (realpath(VPM_BUILDDIR, real_build) == NULL)
		return 0;
	len = strlen(real_build);
	return strncmp(exe, real_build, len) == 0 && exe[len] == '/';
}

const char *cli_catalog_dir(void)
{
	if (running_uninstalled() && is_dir(VPM_SRC_MODELS))
		return VPM_SRC_MODELS;
	if (is_dir(VPM_DATADIR))
		return VPM_DATADIR;
	if (is_dir(VPM_SRC_MODELS))
		return VPM_SRC_MODELS;
	return VPM_DATADIR;
}

int cli_load_catalogs(const cli_catalogs_t *extra, vpm_catalog_t **out)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const char *env = getenv("VPMOIRE_CATALOG_PATH");
	vpm_status_t st;
	int i;

	*out = NULL;
	if (cat == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");
	st = vpm_catalog_load_dir(cat, cli_catalog_dir());
	if (st != VPM_OK) {
		vpm_catalog_free(cat);
		return cli_fail(cli_exit_code(st),
				"cannot read the equipment catalogs: %s (reinstall vpmoire or set "
				"VPMOIRE_CATALOG_PATH)",
				vpm_error_message());
	}
	if ((st = vpm_catalog_load_path(cat, env)) != VPM_OK) {
		vpm_catalog_free(cat);
		return cli_fail_status(st, NULL);
	}
	for (i = 0; extra != NULL && i < extra->n; i++) {
		st = vpm_catalog_load_file(cat, extra->files[i], NULL);
		if (st != VPM_OK) {
			vpm_catalog_free(cat);
			return cli_fail_status(st, NULL);
		}
	}
	*out = cat;
	return 0;
}

/* ------------------------------------------------------------ set-up flags */

const char cli_setup_help[] =
	"Equipment (catalog names; see 'vpmoire catalog list'):\n"
	"  --panel NAME          LED panel, e.g. aoto-rm1.5, roe-bp2v2\n"
	"  --camera NAME         camera and mode, e.g. bmd-ursa-mini-pro-4.6k-g2\n"
	"  --lens NAME           lens, e.g. zeiss-cp3-28 or \"CP.3 28mm\"\n"
	"  --catalog FILE        extra catalog CSV (repeatable; overrides by name)\n"
	"Equipment as raw numbers (override the catalog):\n"
	"  --pitch MM            LED pitch (bare number: mm)\n"
	"  --emitter MM          emitter size: side of one channel's light-emitting square\n"
	"  --photosite UM        photosite pitch (bare number: um)\n"
	"  --width-px N          photosites across the recorded area\n"
	"  --olpf UM             four-spot OLPF split (default: none)\n"
	"  --fill F              linear fill factor of the photosite, 0.05-1 (default 1)\n"
	"  --cfa bayer|mono      colour filter array (default bayer)\n"
	"  --focal MM            focal length (bare number: mm); with a zoom --lens, any\n"
	"                        focal length in its range (its stop ramp applies)\n"
	"  --focal A:B           a zoom's focal range, e.g. 28:100 (chart: the focal axis)\n"
	"  --squeeze S           anamorphic squeeze, e.g. 2 or 1.5 (default: the lens's,\n"
	"                        else 1 = spherical)\n"
	"Delivery and viewing:\n"
	"  --recording-px N      in-camera recording width in pixels\n"
	"  --delivery-px N       delivery width in pixels\n"
	"  --roll DEG            camera roll against the LED rows (default 0)\n"
	"  --coc MM              circle of confusion for depth of field (default: camera\n"
	"                        catalog value, else sensor width / 1000)\n"
	"  --aspect A            display aspect (default 16:9)\n"
	"  --viewing NAME        cinema, uhd-tv, hd-tv, grading or phone: viewing distance\n"
	"                        and luminance from the standards (default: from the\n"
	"                        delivery: hd-tv below 3840 px, else uhd-tv)\n"
	"  --view-heights H      viewing distance in picture heights (overrides --viewing)\n"
	"  --luminance CD        mean display luminance, cd/m^2 (overrides --viewing)\n"
	"Model (see 'man vpmoire' and doc/model.md):\n"
	"  --model field|ideal   field: what real lenses, resamplers and viewers do\n"
	"                        (default); ideal: the SPEC's worst-case chain\n"
	"  --chroma-weight opponent|full|luma  how colour moire is scored (default:\n"
	"                        opponent-colour CSFs in the field model, full in ideal)\n"
	"  --resample lanczos3|bicubic|box  recording/delivery downscale (default:\n"
	"                        lanczos3 in the field model, box in ideal)\n"
	"  --tolerance D         planning tolerance on defocus (default 0.10)\n"
	"  --band expected|worst which statistic over that band drives the verdict\n"
	"                        (default: expected in the field model, worst in ideal)\n"
	"  --pupil-edge E        soft edge of the lens's blur spot, 0-0.9 of the pupil\n"
	"                        radius (field model; default: lens catalog, else 0.45)\n"
	"  --content flat|C|FILE.png  wall content that masks the pattern: flat (default),\n"
	"                        an RMS contrast C, or a PNG of the planned content\n"
	"  --transmission TAU    the lens's transmittance: f-number = T-stop x sqrt(TAU)\n"
	"                        (field model; default: lens catalog, else 0.891)\n"
	"  --gain G              grade gain on the wall's contrast (default 1)\n"
	"  --caution-at V        visibility from which a shot needs care (default 1)\n"
	"  --risky-at V          visibility from which a shot is risky (default 3)\n"
	"Output:\n"
	"  --units m|ft          print distances in metres or feet and inches\n"
	"Distances take units: 3.5 (metres), 3.5m, 350cm, 11ft, 11'6\", \"5 ft 6 in\".\n";

const char cli_exposure_help[] =
	"Exposure budget (advice never needs a stop the light cannot give):\n"
	"  --wall-nits CD        the wall's peak white, cd/m^2 (default: panel catalog,\n"
	"                        else 1000, the lowest published for VP panels)\n"
	"  --brightness B        processor brightness, 40% or 0.4 (default 100%)\n"
	"  --ei N                camera exposure index (default 800)\n"
	"  --shutter S           exposure time: 1/48, 0.0208 or 180deg@24 (default 1/48)\n"
	"  --nd D                ND filter that stays in, optical density (0.3 a stop)\n"
	"  --lit-by lights|wall  wall: the subject is lit by the wall alone, so its\n"
	"                        exposure limits the stop too (default lights)\n"
	"  --max-stop T          the narrowest stop advice may use (replaces the budget)\n";

static void cli_setup_init(cli_setup_t *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->raw = vpm_setup_default();
	cs->units = VPM_UNITS_METRIC;
	cs->exposure = vpm_exposure_default();
}

int cli_exposure_budget(const cli_setup_t *cs, const vpm_panel_t *panel, vpm_exposure_t *e,
			double *max_stop)
{
	vpm_status_t st;

	*e = cs->exposure;
	if (!cli_setup_given(cs, OPT_WALL_NITS) && panel != NULL && panel->brightness_nits > 0.0)
		e->wall_nits = panel->brightness_nits;
	if ((st = vpm_exposure_max_stop(e, max_stop)) != VPM_OK)
		return cli_fail_status(st, NULL);
	return 0;
}

int cli_setup_given(const cli_setup_t *cs, int opt)
{
	return opt >= OPT_PANEL && opt < OPT_SETUP_LAST && (cs->given >> (opt - OPT_PANEL)) & 1u;
}

static int bad_value(const char *flag)
{
	cli_fail(EXIT_USAGE, "--%s: %s", flag, vpm_error_message());
	return -1;
}

/* A library error on a flag's value (its message names the flag). */
static int lib_fail(void)
{
	cli_fail(EXIT_USAGE, "%s", vpm_error_message());
	return -1;
}

int cli_choice_index(const char *arg, const char *const names[])
{
	int i;

	for (i = 0; names[i] != NULL; i++)
		if (strcasecmp(arg, names[i]) == 0)
			return i;
	return -1;
}

const char *const cli_papers[] = { "a4", "letter", NULL };

int cli_parse_choice(const char *cmd, const char *flag, const char *what, const char *arg,
		     const char *const names[], int *index)
{
	char list[512];
	size_t len = 0;
	int i;

	if ((i = cli_choice_index(arg, names)) >= 0) {
		*index = i;
		return 0;
	}
	/* "a or b", "a, b or c" */
	list[0] = '\0';
	for (i = 0; names[i] != NULL && len < sizeof list; i++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
					i == 0	       ? ""
					: names[i + 1] ? ", "
						       : " or ",
					names[i]);
	if (what != NULL)
		return cli_fail(EXIT_USAGE, "--%s: '%s' is not %s: use %s", flag, arg, what, list);
	return cli_usage(cmd, "--%s: expected %s, found '%s'", flag, list, arg);
}

int cli_parse_distance(const char *flag, const char *arg, unsigned flags, double *metres)
{
	if (vpm_units_parse_length(arg, VPM_UNIT_M, flags, metres) != VPM_OK) {
		bad_value(flag);
		return EXIT_USAGE;
	}
	return 0;
}

/* The name of a shared option (setup_options, geometry_options,
 * exposure_options), or NULL. */
static const char *setup_flag_name(int opt);

int cli_setup_option(cli_setup_t *cs, int opt, const char *arg)
{
	vpm_setup_t *r = &cs->raw;
	const char *flag;
	vpm_status_t st;

	switch (opt) {
	case OPT_PANEL: cs->panel = arg; break;
	case OPT_CAMERA: cs->camera = arg; break;
	case OPT_LENS: cs->lens = arg; break;
	case OPT_SUBJECT:
		if (cli_parse_distance("subject", arg, 0, &cs->subject_m) != 0)
			return -1;
		break;
	case OPT_CATALOG:
		if (cs->catalogs.n ==
		    (int)(sizeof cs->catalogs.files / sizeof cs->catalogs.files[0])) {
			cli_fail(EXIT_USAGE, "--catalog: at most 64 catalog files");
			return -1;
		}
		cs->catalogs.files[cs->catalogs.n++] = arg;
		break;
	case OPT_UNITS:
		if (vpm_units_parse_system(arg, &cs->units) != VPM_OK)
			return bad_value("units");
		break;
	case OPT_FOCAL:
		cs->focal_lo_mm = cs->focal_hi_mm = 0.0;
		if (strchr(arg, ':') != NULL) {
			/* a zoom's range A:B */
			if (vpm_setup_focal_range_parse(arg, &cs->focal_lo_mm, &cs->focal_hi_mm) !=
			    VPM_OK)
				return lib_fail();
			r->focal_mm = cs->focal_lo_mm;
			break;
		}
		/* one focal length: */
		/* fall through */
	default:
		/* the set-up's and the exposure budget's own flags: the
		 * library's grammar and ranges */
		if ((flag = setup_flag_name(opt)) == NULL)
			return 0;
		if (vpm_setup_flag_known(flag))
			st = vpm_setup_flag_parse(flag, arg, r);
		else if (vpm_exposure_flag_known(flag))
			st = vpm_exposure_flag_parse(flag, arg, &cs->exposure);
		else
			return 0;
		if (st != VPM_OK)
			return lib_fail();
		/* a viewer given by numbers replaces the profile, unless --viewing
		 * names one */
		if ((opt == OPT_VIEW_HEIGHTS || opt == OPT_LUMINANCE) &&
		    !cli_setup_given(cs, OPT_VIEWING))
			r->viewing = VPM_VIEWING_CUSTOM;
		break;
	}
	cs->given |= 1ull << (opt - OPT_PANEL);
	return 1;
}

int cli_setup_build(cli_setup_t *cs, const vpm_catalog_t *cat, vpm_setup_t *out,
		    const vpm_lens_t **lens_out, const vpm_camera_t **camera_out,
		    const vpm_panel_t **panel_out)
{
	vpm_setup_t s;
	const vpm_panel_t *panel = NULL;
	const vpm_camera_t *camera = NULL;
	const vpm_lens_t *lens = NULL;
	vpm_status_t st;

	if (cs->panel != NULL && (st = vpm_catalog_find_panel(cat, cs->panel, &panel)) != VPM_OK)
		return cli_fail_status(st, "--panel");
	if (cs->camera != NULL &&
	    (st = vpm_catalog_find_camera(cat, cs->camera, &camera)) != VPM_OK)
		return cli_fail_status(st, "--camera");
	if (cs->lens != NULL && (st = vpm_catalog_find_lens(cat, cs->lens, &lens)) != VPM_OK)
		return cli_fail_status(st, "--lens");
	if (cs->focal_hi_mm > 0.0)
		return cli_usage(NULL,
				 "--focal %g:%g is a zoom's range: this command needs one "
				 "focal length (--focal F)",
				 cs->focal_lo_mm, cs->focal_hi_mm);
	/* a zoom's focal length must lie in its range (a prime's other focal
	 * length drops the lens, as it always did) */
	if (lens != NULL && vpm_lens_is_zoom(lens) && cli_setup_given(cs, OPT_FOCAL) &&
	    isnan(vpm_lens_max_t_at(lens, cs->raw.focal_mm)))
		return cli_usage(NULL, "--focal: %s zooms from %g to %g mm (%g mm given)",
				 lens->name, lens->focal_mm, lens->focal_max_mm, cs->raw.focal_mm);
	/* the library's one rule: catalog entries, then the raw numbers */
	vpm_setup_from_catalog(&cs->raw, cli_setup_raw(cs), panel, camera, lens, &s, &lens);
	if (vpm_setup_complete(&s) != VPM_OK)
		return cli_usage(NULL, "%s", vpm_error_message());
	*out = s;
	if (lens_out)
		*lens_out = lens;
	if (camera_out)
		*camera_out = camera;
	if (panel_out)
		*panel_out = panel;
	return 0;
}

int cli_setup_geometry(const char *cmd, const cli_setup_t *cs, vpm_setup_t *s)
{
	if (!cli_setup_given(cs, OPT_WALL))
		return cli_usage(cmd, "--wall is required (camera to wall, e.g. --wall 3.5m)");
	s->wall_m = cs->raw.wall_m;
	if (cli_setup_given(cs, OPT_FOCUS))
		s->focus_m = cs->raw.focus_m;
	else if (cs->subject_m > 0)
		s->focus_m = cs->subject_m;
	else
		return cli_usage(cmd, "give --focus D (or --subject D to focus on the subject)");
	if (s->stop == 0.0)
		return cli_usage(cmd, "--stop is required with --focal (e.g. --stop T2.8)");
	if (cs->subject_m > 0 && cs->subject_m >= s->wall_m)
		return cli_usage(cmd, "--subject must be closer to the camera than --wall");
	return 0;
}

/* ------------------------------------------------------------ output */

static pthread_t main_thread;

/* SIGINT, SIGTERM, SIGHUP: remove the temporary files, then die of the
 * signal.  The kernel may hand the signal to any thread (OpenMP and FFTW
 * workers too); it is passed on to the main thread, which does the work, so
 * that the main thread can never rename a file the handler has just
 * removed, nor go on to exit 1 with "cannot write".  pthread_self() and
 * pthread_kill() are async-signal-safe (POSIX.1-2017). */
static void on_signal(int sig)
{
	if (!pthread_equal(pthread_self(), main_thread)) {
		pthread_kill(main_thread, sig);
		return;
	}
	vpm_atomic_cleanup_signal();
	signal(sig, SIG_DFL);
	raise(sig); /* delivered when the handler returns: the process ends */
}

void cli_install_signal_cleanup(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	size_t i;

	main_thread = pthread_self();
	/* sigaction, not signal(): in strict C11 with _XOPEN_SOURCE, glibc's
	 * signal() has System V semantics (the handler is reset to SIG_DFL on
	 * entry), so a signal forwarded to the main thread would kill the
	 * process before the temporary files are removed. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

int cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

double cli_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress_start(cli_progress_t *p, int on, int at_once)
{
	p->on = on;
	p->t0 = cli_now_s();
	p->last = at_once ? 0.0 : p->t0;
}

int cli_progress_due(cli_progress_t *p, double delay_s, double every_s, int final,
		     double *elapsed_s)
{
	double t = cli_now_s();

	if (elapsed_s != NULL)
		*elapsed_s = t - p->t0;
	if (!p->on || t - p->t0 < delay_s || (!final && t - p->last < every_s))
		return 0;
	p->last = t;
	return 1;
}

void cli_progress_bar(double fraction, char bar[31])
{
	int i, fill = (int)(fraction * 30.0);

	for (i = 0; i < 30; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[30] = '\0';
}

void cli_progress_end(cli_progress_t *p)
{
	if (p->shown)
		fputc('\n', stderr);
	p->shown = 0;
}

/* Which file `path` names: an id that compares by the whole text when the
 * path's directory cannot be looked up (writing it fails later with its
 * own message). */
static void file_id(const char *path, cli_file_id_t *id)
{
	struct stat sb;
	const char *slash = strrchr(path, '/');
	char dir[4096];

	memset(id, 0, sizeof *id);
	if (stat(path, &sb) == 0) {
		id->exists = 1;
		id->special = !S_ISREG(sb.st_mode);
		id->dev = sb.st_dev;
		id->ino = sb.st_ino;
		return;
	}
	/* not there yet: its directory and its name */
	if (slash == NULL)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	id->base = slash ? slash + 1 : path;
	if (stat(dir, &sb) == 0) {
		id->dev = sb.st_dev;
		id->ino = sb.st_ino;
	} else {
		id->base = path; /* compare by the whole text */
	}
}

/* Order ids; 0 when they name the same file. */
static int file_cmp(const cli_file_id_t *a, const cli_file_id_t *b)
{
	if (a->exists != b->exists)
		return a->exists < b->exists ? -1 : 1;
	if (a->dev != b->dev)
		return a->dev < b->dev ? -1 : 1;
	if (a->ino != b->ino)
		return a->ino < b->ino ? -1 : 1;
	if (a->exists)
		return 0;
	return strcmp(a->base, b->base);
}

/* Targets by file, then owner and page. */
static int target_cmp(const void *pa, const void *pb)
{
	const cli_target_t *x = pa, *y = pb;
	int c = file_cmp(&x->id, &y->id);

	if (c != 0)
		return c;
	return x->owner != y->owner ? (x->owner < y->owner ? -1 : 1) : (x->page - y->page);
}

int cli_find_clash(cli_target_t *t, size_t n, const cli_target_t **a, const cli_target_t **b)
{
	size_t i;

	for (i = 0; i < n; i++)
		file_id(t[i].path, &t[i].id);
	/* sorted by file, a file written twice is two neighbours */
	qsort(t, n, sizeof *t, target_cmp);
	for (i = 1; i < n; i++) {
		const cli_file_id_t *x = &t[i - 1].id, *y = &t[i].id;
		if (x->special || y->special || file_cmp(x, y) != 0)
			continue;
		if (a)
			*a = &t[i - 1];
		if (b)
			*b = &t[i];
		return 1;
	}
	return 0;
}

int cli_same_file(const char *a, const char *b)
{
	cli_target_t t[2] = { { .path = a }, { .path = b } };

	return cli_find_clash(t, 2, NULL, NULL);
}

int cli_finish_stdout(int rc)
{
	int bad, e;

	errno = 0;
	bad = fflush(stdout) != 0;
	e = errno;
	bad |= ferror(stdout) != 0;
	/* a command that failed has said why already: one line only */
	if (!bad || rc != EXIT_OK)
		return rc;
	if (e != 0)
		return cli_fail(EXIT_RUNTIME, "cannot write the standard output: %s", strerror(e));
	return cli_fail(EXIT_RUNTIME, "cannot write the standard output: a write failed");
}

int cli_setup_getopt(const char *cmd, cli_setup_t *cs, int opt, char **argv)
{
	int rc;

	if (opt == ':')
		return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
	if (opt == '?')
		return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
	rc = cli_setup_option(cs, opt, optarg);
	if (rc < 0)
		return EXIT_USAGE;
	if (rc == 0)
		return cli_usage(cmd, "unexpected option '%s'", argv[optind - 1]);
	return 0;
}

/* ------------------------------------------------------------ option tables and the loop */

/* The set-up flags: equipment, delivery, viewer (cli_setup_help). */
static const struct option setup_options[] = {
	{ "panel", required_argument, NULL, OPT_PANEL },
	{ "camera", required_argument, NULL, OPT_CAMERA },
	{ "lens", required_argument, NULL, OPT_LENS },
	{ "pitch", required_argument, NULL, OPT_PITCH },
	{ "emitter", required_argument, NULL, OPT_EMITTER },
	{ "photosite", required_argument, NULL, OPT_PHOTOSITE },
	{ "width-px", required_argument, NULL, OPT_WIDTH_PX },
	{ "olpf", required_argument, NULL, OPT_OLPF },
	{ "fill", required_argument, NULL, OPT_FILL },
	{ "cfa", required_argument, NULL, OPT_CFA },
	{ "focal", required_argument, NULL, OPT_FOCAL },
	{ "recording-px", required_argument, NULL, OPT_RECORDING_PX },
	{ "delivery-px", required_argument, NULL, OPT_DELIVERY_PX },
	{ "roll", required_argument, NULL, OPT_ROLL },
	{ "coc", required_argument, NULL, OPT_COC },
	{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
	{ "chroma-weight", required_argument, NULL, OPT_CHROMA },
	{ "aspect", required_argument, NULL, OPT_ASPECT },
	{ "view-heights", required_argument, NULL, OPT_VIEW_HEIGHTS },
	{ "luminance", required_argument, NULL, OPT_LUMINANCE },
	{ "gain", required_argument, NULL, OPT_GAIN },
	{ "caution-at", required_argument, NULL, OPT_CAUTION_AT },
	{ "risky-at", required_argument, NULL, OPT_RISKY_AT },
	{ "catalog", required_argument, NULL, OPT_CATALOG },
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "viewing", required_argument, NULL, OPT_VIEWING },
	{ "resample", required_argument, NULL, OPT_RESAMPLE },
	{ "band", required_argument, NULL, OPT_BAND },
	{ "pupil-edge", required_argument, NULL, OPT_PUPIL_EDGE },
	{ "content", required_argument, NULL, OPT_CONTENT },
	{ "transmission", required_argument, NULL, OPT_TRANSMISSION },
	{ "squeeze", required_argument, NULL, OPT_SQUEEZE },
	{ "units", required_argument, NULL, OPT_UNITS },
	{ NULL, 0, NULL, 0 },
};

/* Stop and distances, for commands that take a single set-up. */
static const struct option geometry_options[] = {
	{ "stop", required_argument, NULL, OPT_STOP },
	{ "wall", required_argument, NULL, OPT_WALL },
	{ "focus", required_argument, NULL, OPT_FOCUS },
	{ "subject", required_argument, NULL, OPT_SUBJECT },
	{ NULL, 0, NULL, 0 },
};

/* The exposure budget, for commands that give advice (cli_exposure_help). */
static const struct option exposure_options[] = {
	{ "wall-nits", required_argument, NULL, OPT_WALL_NITS },
	{ "brightness", required_argument, NULL, OPT_BRIGHTNESS },
	{ "ei", required_argument, NULL, OPT_EI },
	{ "shutter", required_argument, NULL, OPT_SHUTTER },
	{ "nd", required_argument, NULL, OPT_ND },
	{ "lit-by", required_argument, NULL, OPT_LIT_BY },
	{ "max-stop", required_argument, NULL, OPT_MAX_STOP },
	{ NULL, 0, NULL, 0 },
};

static const char *setup_flag_name(int opt)
{
	static const struct option *const tables[] = { setup_options, geometry_options,
						       exposure_options };

	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct option *p = tables[t]; p->name != NULL; p++)
			if (p->val == opt)
				return p->name;
	return NULL;
}

/* The raw numbers the flags gave (VPM_RAW_*): the raw bit of each set-up
 * field is the library's (vpm_setup_field_t, lib/setupfield.c); a flag
 * sets it when given, found by the flag's name. */
unsigned cli_setup_raw(const cli_setup_t *cs)
{
	static const struct option *const tables[] = { setup_options, geometry_options };
	unsigned raw = 0;

	for (size_t i = 0; i < vpm_setup_field_count(); i++) {
		const vpm_setup_field_t *f = vpm_setup_field(i);

		if (f->raw == 0 || f->flag == NULL)
			continue;
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
			for (const struct option *p = tables[t]; p->name != NULL; p++)
				if (strcmp(p->name, f->flag) == 0 && cli_setup_given(cs, p->val))
					raw |= f->raw;
	}
	return raw;
}

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
