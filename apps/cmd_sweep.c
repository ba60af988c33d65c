/* vpmoire sweep: every combination of catalog entries and ranges, one CSV
 * row each, on all cores (OpenMP) and, built --with-mpi, across a cluster.
 *
 * The study (lib/study.c), its rows, shards and resumable output
 * (lib/sweep.c) and the run itself (vpm_sweep_run(), lib/sweep_engine.c)
 * live in the library; this file parses the flags, draws the progress,
 * turns Ctrl-C into a stop request, carries the rows between MPI ranks and
 * prints the outcome. */
#include <config.h>

#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_MPI
#include <mpi.h>
#endif

#include "cli.h"
#include "commands.h"
#include "vpmoire/catalog.h"
#include "vpmoire/study.h"
#include "vpmoire/sweep.h"
#include "vpmoire/units.h"

static const char sweep_help[] =
	"Usage: vpmoire sweep [OPTIONS] [@STUDY.args]\n"
	"\n"
	"Evaluates every combination of the panels, cameras, lenses, stops and distances\n"
	"given (the same evaluation as 'vpmoire check') and writes one CSV row per set-up:\n"
	"its parameters, a status, then the fields of 'vpmoire check --json'.\n"
	"\n"
	"The study:\n"
	"  --panels SEL          LED panels: names, globs ('roe-*'), or 'all'; comma-separated\n"
	"  --cameras SEL         cameras, the same way\n"
	"  --lenses SEL          lenses: names, globs, 'all', or a series (\"ZEISS CP.3\")\n"
	"                        (--panel, --camera, --lens are the same; repeats add up)\n"
	"  --stop LIST           stops, e.g. 2.8 or T2.1,T2.8,T4 or 2:8:1 (default 2.8);\n"
	"                        'lens': each lens's widest stop and every full stop\n"
	"                        (2.8, 4, 5.6, 8, 11, 16, 22) narrower, down to its\n"
	"                        smallest; 'lens-thirds': the same in third stops\n"
	"  --wall RANGE          camera to wall (required), e.g. 1.5m:8m:0.1m or 2m,3m,5m\n"
	"  --subject-gap RANGE   the subject's centre in front of the wall (default 5ft)\n"
	"  --focus-rule RULE     subject: focus on the subject, wall - gap (default)\n"
	"                        back-of-dof: keep the subject (--subject-depth) inside the\n"
	"                          depth of field with the wall as soft as possible\n"
	"                          (a few hundred evaluations per set-up)\n"
	"                        wall: focus on the wall (the worst case)\n"
	"  --subject-depth D     depth of the subject, centred on wall - gap (default 0)\n"
	"  --focus RANGE         fixed focus distances instead of a subject ('inf' allowed)\n"
	"  --roll RANGE          camera roll in degrees (default 0)\n"
	"  --recording-px LIST   in-camera recording widths ('none' = no downscale)\n"
	"  --delivery-px LIST    delivery widths ('none' = no downscale)\n"
	"  Ranges are START:END:STEP with units on each part (END included), lists are\n"
	"  comma-separated, and both mix: 2m:4m:0.5m,6m.  The other set-up flags below take\n"
	"  one value for the whole study; raw equipment numbers override every entry.\n"
	"\n"
	"Output:\n"
	"  -o, --output FILE     write FILE (default '-': standard output); FILE appears\n"
	"                        only when complete: rows go to .FILE.partial with a\n"
	"                        checkpoint .FILE.ckpt beside it until then\n"
	"  --resume              continue an interrupted sweep to FILE from its last\n"
	"                        checkpoint (starts afresh when there is none)\n"
	"  --checkpoint SECONDS  how often to checkpoint (default 1)\n"
	"  --count               print the number of set-ups and the estimated time and\n"
	"                        output size, and stop\n"
	"  -j, --jobs N          threads (default: all cores)\n"
	"  --shard I/N           compute only set-ups i with i mod N = I (0 <= I < N), for\n"
	"                        job arrays; 'vpmoire merge' joins the parts\n"
	"  --max-setups N        refuse larger studies (default 1000000000)\n"
	"  -q, --quiet           no progress on standard error\n"
	"  -h, --help            show this help\n"
	"\n"
	"Rows come in a fixed order (panel, camera, lens, stop, wall, gap or focus, roll,\n"
	"recording, delivery; the last varies fastest) whatever the number of threads,\n"
	"shards or MPI ranks.  A set-up that cannot be shot (focus closer than the lens\n"
	"focuses, subject behind the wall or the camera, a stop the lens does not have, a\n"
	"depth of field too shallow for the subject) is a row whose status names the\n"
	"reason and whose results are empty.  Infinite or absent values are empty cells.\n"
	"\n"
	"A study can live in a file of flags, one per line ('--wall 1.5m:8m:0.1m'), with\n"
	"'#' comments: vpmoire sweep @study.args.  Ctrl-C finishes the current block,\n"
	"checkpoints and exits 1; run the same command with --resume to continue.  Built\n"
	"with MPI (./configure --with-mpi), 'mpirun -np N vpmoire sweep ...' splits the\n"
	"study across the ranks and rank 0 writes the same CSV as a single process.\n"
	"\n";

static const char sweep_help_setup[] =
	"Equipment numbers (override that field of every selected entry, or make one\n"
	"unnamed entry when no selection is given):\n"
	"  --pitch MM  --emitter MM          LED pitch, emitter size\n"
	"  --photosite UM  --width-px N      photosite pitch, photosites across\n"
	"  --olpf UM  --fill F  --cfa bayer|mono  --coc MM\n"
	"  --focal MM                        an unnamed lens, instead of --lenses\n"
	"  --catalog FILE                    extra catalog CSV (repeatable)\n"
	"One value for the whole study (as in 'vpmoire check'):\n"
	"  --tolerance D  --chroma-weight full|luma  --aspect A  --view-heights H\n"
	"  --luminance CD  --gain G  --caution-at V  --risky-at V\n"
	"Distances take units: 3.5 (metres), 3.5m, 350cm, 11ft, 11'6\", \"5 ft 6 in\".\n";

static const char sweep_help_tail[] =
	"\n"
	"Example (every panel, three stops, the reference camera and lens, micro-stage\n"
	"distances, subject 5 ft in front of the wall):\n"
	"  vpmoire sweep --panels all --cameras bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lenses zeiss-cp3-28 --stop 2.1,2.8,4 --wall 1.8m:6.1m:0.05m \\\n"
	"      --subject-gap 5ft -o micro.csv\n";

/* Options of sweep beyond the shared set-up flags (each its own code, so
 * that getopt_long() still finds abbreviations such as --subject ambiguous). */
enum {
	OPT_PANELS = OPT_SETUP_LAST + 1,
	OPT_CAMERAS,
	OPT_LENSES,
	OPT_SUBJECT_GAP,
	OPT_SUBJECT_DEPTH,
	OPT_FOCUS_RULE,
	OPT_RESUME,
	OPT_COUNT,
	OPT_SHARD,
	OPT_MAX_SETUPS,
	OPT_CHECKPOINT
};

typedef struct {
	cli_setup_t cs;
	vpm_study_spec_t spec;	  /* the study's flags, for vpm_study_build() */
	vpm_sweep_run_opts_t run; /* output, shard, resume, jobs, checkpoint */
	int count_only, quiet;
} opts_t;

/* ------------------------------------------------------------ MPI */

static int g_rank = 0, g_ranks = 1;
#ifdef HAVE_MPI
static int g_mpi = 0;
#endif

/* Launched by mpirun or srun?  Then MPI is initialised; a plain run never
 * touches it (no singleton start-up). */
static void mpi_start(int *argc, char ***argv)
{
#ifdef HAVE_MPI
	int provided;
	if (getenv("OMPI_COMM_WORLD_SIZE") == NULL && getenv("PMI_SIZE") == NULL &&
	    getenv("PMIX_RANK") == NULL)
		return;
	if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
		return;
	g_mpi = 1;
	MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
	MPI_Comm_size(MPI_COMM_WORLD, &g_ranks);
	if (g_rank != 0) {
		/* one voice: rank 0 reports for everyone */
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen("/dev/null", "w", stderr) == NULL)
			return;
	}
#else
	(void)argc;
	(void)argv;
#endif
}

static void mpi_stop(void)
{
#ifdef HAVE_MPI
	if (g_mpi)
		MPI_Finalize();
#endif
}

#ifdef HAVE_MPI
/* The run's transport (vpm_sweep_transport_t) over MPI_COMM_WORLD. */
static void mpi_bcast(void *ctx, uint64_t *v, int n)
{
	(void)ctx;
	MPI_Bcast(v, n, MPI_UINT64_T, 0, MPI_COMM_WORLD);
}

static int mpi_all_min(void *ctx, int v)
{
	int all;

	(void)ctx;
	MPI_Allreduce(&v, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	return all;
}

static void mpi_send(void *ctx, const vpm_sweep_part_t *h, const char *rows)
{
	(void)ctx;
	MPI_Send(h, (int)sizeof *h, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
	if (h->len > 0)
		MPI_Send(rows, (int)h->len, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
}

static void mpi_recv(void *ctx, int from, vpm_sweep_part_t *h, char *rows)
{
	(void)ctx;
	MPI_Recv(h, (int)sizeof *h, MPI_BYTE, from, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
	if (h->len > 0)
		MPI_Recv(rows, (int)h->len, MPI_BYTE, from, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
}
#endif

/* ------------------------------------------------------------ options */

static int parse_options(vpm_study_args_t *a, opts_t *o)
{
	/* of the geometry flags, --stop, --wall and --focus (no --subject) */
	static const struct option sweep_options[] = {
		{ "stop", required_argument, NULL, OPT_STOP },
		{ "wall", required_argument, NULL, OPT_WALL },
		{ "focus", required_argument, NULL, OPT_FOCUS },
		{ "panels", required_argument, NULL, OPT_PANELS },
		{ "cameras", required_argument, NULL, OPT_CAMERAS },
		{ "lenses", required_argument, NULL, OPT_LENSES },
		{ "subject-gap", required_argument, NULL, OPT_SUBJECT_GAP },
		{ "subject-depth", required_argument, NULL, OPT_SUBJECT_DEPTH },
		{ "focus-rule", required_argument, NULL, OPT_FOCUS_RULE },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "resume", no_argument, NULL, OPT_RESUME },
		{ "count", no_argument, NULL, OPT_COUNT },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "max-setups", required_argument, NULL, OPT_MAX_SETUPS },
		{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	cli_options_t longopts;
	int opt, rc, idx = -1;
	vpm_status_t st;

	memset(o, 0, sizeof *o);
	cli_options_init(&longopts, CLI_OPTS_SETUP);
	cli_options_add(&longopts, sweep_options);
	cli_parse_begin(&o->cs);
	o->spec = vpm_study_spec_default();
	o->run = vpm_sweep_run_opts_default();
	o->run.jobs = 0; /* all cores */
	while ((opt = getopt_long(a->argc, a->argv, "+:ho:j:q", longopts.opt, &idx)) != -1) {
		/* where the flag came from (an @file line), for messages */
		const char *origin = optind - 1 < a->argc ? a->origin[optind - 1] : NULL;
		vpm_study_flag_t g = { optarg, origin };
		const char *name = opt == 'o'	? "output"
				   : opt == 'j' ? "jobs"
				   : idx >= 0	? longopts.opt[idx].name
						: "";

		idx = -1;
		switch (opt) {
		case 'h':
			fputs(sweep_help, stdout);
			fputs(sweep_help_setup, stdout);
			fputs(sweep_help_tail, stdout);
			return -1;
		case 'q': o->quiet = 1; break;
		case OPT_COUNT: o->count_only = 1; break;
		case OPT_UNITS:
			return cli_fail(
				EXIT_USAGE,
				"%s%s--units: sweep CSVs are always in metres (SPEC field names)",
				origin ? origin : "", origin ? ": " : "");
		case ':':
		case '?':
			/* "[origin: ]option '--x' needs a value", "unknown option '--y'" */
			return cli_usage("sweep", "%s%s%s '%s'%s", origin ? origin : "",
					 origin ? ": " : "",
					 opt == ':' ? "option" : "unknown option",
					 a->argv[optind - 1], opt == ':' ? " needs a value" : "");
		default:
			/* the run's flags (output, jobs, ...), the study's
			 * (selections, axes, focus rule, ...), the set-up's */
			st = vpm_sweep_run_opts_set(&o->run, name, optarg, origin);
			if (st == VPM_ENOTFOUND)
				st = vpm_study_spec_set(&o->spec, name, g);
			if (st == VPM_OK)
				break;
			if (st != VPM_ENOTFOUND)
				return cli_fail_status(st, NULL);
			rc = cli_setup_option(&o->cs, opt, optarg);
			if (rc < 0)
				return EXIT_USAGE;
			if (rc == 0)
				return cli_usage("sweep", "unexpected option '%s'",
						 a->argv[optind - 1]);
		}
	}
	if (optind < a->argc)
		return cli_usage("sweep", "%s%sunexpected argument '%s'",
				 a->origin[optind] ? a->origin[optind] : "",
				 a->origin[optind] ? ": " : "", a->argv[optind]);
	return 0;
}

/* ------------------------------------------------------------ progress */

typedef struct {
	cli_progress_t bar;
	int tty, quiet;
	const char *output;
} progress_t;

/* At the start, what is resumed; then a bar on a terminal (every 0.1 s from
 * the start), else a line every 5 s. */
static void progress(void *ctx, vpm_sweep_run_event_t ev, const vpm_sweep_progress_t *p)
{
	progress_t *pr = ctx;
	double el, rate, eta;
	double frac = p->total ? (double)p->done / (double)p->total : 1.0;
	char etab[32];

	if (ev == VPM_SWEEP_RUN_BEGIN) {
		pr->tty = cli_stderr_is_tty();
		cli_progress_start(&pr->bar, !pr->quiet, pr->tty);
		if (!pr->quiet && p->resumed && p->first == p->total)
			fprintf(stderr,
				"vpmoire sweep: %s is already complete (%" PRIu64 " set-ups)\n",
				pr->output, p->total);
		else if (!pr->quiet && p->resumed)
			fprintf(stderr,
				"vpmoire sweep: resuming %s after %" PRIu64 " of %" PRIu64
				" set-ups\n",
				pr->output, p->first, p->total);
		return;
	}
	if (!cli_progress_due(&pr->bar, 0.0, pr->tty ? 0.1 : 5.0, ev == VPM_SWEEP_RUN_END, &el))
		return;
	rate = el > 0 ? (double)(p->done - p->first) / el : 0.0;
	eta = rate > 0 ? (double)(p->total - p->done) / rate : NAN;
	vpm_units_format_duration(eta, etab, sizeof etab);
	if (pr->tty) {
		char bar[31];
		cli_progress_bar(frac, bar);
		fprintf(stderr,
			"\rsweep [%s] %5.1f%%  %" PRIu64 "/%" PRIu64 "  %.0f set-ups/s  ETA %s   ",
			bar, 100.0 * frac, p->done, p->total, rate, etab);
		/* a bar stands on the line until the last frame ends it */
		pr->bar.shown = ev != VPM_SWEEP_RUN_END;
		if (ev == VPM_SWEEP_RUN_END)
			fputc('\n', stderr);
	} else if (ev != VPM_SWEEP_RUN_END) {
		fprintf(stderr,
			"vpmoire sweep: %.1f%% (%" PRIu64 " of %" PRIu64
			" set-ups), %.0f set-ups/s, ETA %s\n",
			100.0 * frac, p->done, p->total, rate, etab);
	}
	fflush(stderr);
}

/* ------------------------------------------------------------ signals */

static volatile sig_atomic_t g_stop = 0;

static void on_stop(int sig)
{
	g_stop = 1;
	signal(sig, SIG_DFL); /* a second Ctrl-C stops at once (the checkpoint stays) */
}

static void install_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* ------------------------------------------------------------ --count */

static int count_only(const opts_t *o, const vpm_sweep_t *sw)
{
	vpm_sweep_forecast_t fc;
	vpm_status_t st = vpm_sweep_forecast(sw, o->run.shard, o->run.jobs * g_ranks, &fc);

	if (st == VPM_OK)
		st = vpm_sweep_forecast_write(stdout, &fc);
	return st == VPM_OK ? EXIT_OK : cli_fail_status(st, NULL);
}

/* ------------------------------------------------------------ the run */

static int run(const opts_t *o, const vpm_sweep_t *sw)
{
	vpm_sweep_run_opts_t ro = o->run;
	vpm_sweep_progress_t res;
	progress_t pr;
	vpm_status_t st;
	int direct = strcmp(o->run.output, "-") == 0;
#ifdef HAVE_MPI
	vpm_sweep_transport_t mpi = { g_rank,	   g_ranks,  NULL,    mpi_bcast,
				      mpi_all_min, mpi_send, mpi_recv };
#endif

	memset(&pr, 0, sizeof pr);
	pr.quiet = o->quiet;
	pr.output = o->run.output;
	ro.progress = progress;
	ro.ctx = &pr;
	ro.stop = &g_stop;
#ifdef HAVE_MPI
	if (g_mpi)
		ro.transport = &mpi;
#endif
	/* Ctrl-C from here on finishes cleanly, even while the output and its
	 * first checkpoint are being created (no stray temporary file) */
	install_stop();
	st = vpm_sweep_run(sw, &ro, &res);
	if (g_rank != 0)
		return st == VPM_OK ? EXIT_OK : EXIT_RUNTIME;
	cli_progress_end(&pr.bar);
	if (st != VPM_OK)
		return res.opened ? cli_fail(EXIT_RUNTIME, "%s", vpm_error_message())
				  : cli_fail_status(st, NULL);
	if (res.stopped)
		return cli_fail(EXIT_RUNTIME,
				"sweep: interrupted after %" PRIu64 " of %" PRIu64 " set-ups%s",
				res.done, res.total,
				direct ? " (standard output cannot be resumed)"
				       : "; run the same command with --resume to continue");
	if (!o->quiet && res.total > res.first) {
		double el = cli_now_s() - pr.bar.t0;
		char tb[32];
		vpm_units_format_duration(el, tb, sizeof tb);
		fprintf(stderr,
			"vpmoire sweep: %" PRIu64
			" set-ups in %s (%.0f set-ups/s, %d thread%s x %d "
			"rank%s)%s%s\n",
			res.total - res.first, tb,
			el > 0 ? (double)(res.total - res.first) / el : 0.0, o->run.jobs,
			o->run.jobs == 1 ? "" : "s", g_ranks, g_ranks == 1 ? "" : "s",
			direct ? "" : " -> ", direct ? "" : o->run.output);
	}
	return EXIT_OK;
}

/* ------------------------------------------------------------ main */

static int sweep_main(int argc, char **argv)
{
	vpm_study_args_t a;
	opts_t o;
	vpm_study_t *s = NULL;
	vpm_catalog_t *cat = NULL;
	vpm_sweep_t *sw = NULL;
	vpm_status_t st;
	int rc;

	memset(&o, 0, sizeof o);
	/* @STUDY files read in place */
	st = vpm_study_args_expand(&a, argc, argv);
	rc = st == VPM_OK ? parse_options(&a, &o) : cli_fail_status(st, NULL);
	if (rc == -1) {
		rc = EXIT_OK; /* --help */
		goto out;
	}
	if (rc != 0)
		goto out;
	o.run.jobs = vpm_sweep_jobs(o.run.jobs);
	if (o.run.resume && o.count_only) {
		rc = cli_usage("sweep", "--count and --resume do not go together");
		goto out;
	}
	if ((rc = cli_load_catalogs(&o.cs.catalogs, &cat)) != 0)
		goto out;
	o.spec.raw = o.cs.raw;
	o.spec.raw_given = cli_setup_raw(&o.cs);
	o.spec.catalogs = o.cs.catalogs.files;
	o.spec.n_catalogs = (size_t)o.cs.catalogs.n;
	st = vpm_study_build(&o.spec, cat, &s);
	if (st == VPM_EINVAL) { /* flags that do not go together */
		rc = cli_usage("sweep", "%s", vpm_error_message());
		goto out;
	}
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	st = vpm_sweep_alloc(vpm_study_sweep(s), &sw);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, "sweep");
		goto out;
	}
	if (o.count_only)
		rc = g_rank == 0 ? count_only(&o, sw) : EXIT_OK;
	else
		rc = run(&o, sw);
out:
	vpm_sweep_free(sw);
	vpm_study_free(s);
	vpm_catalog_free(cat);
	vpm_study_spec_free(&o.spec);
	vpm_study_args_free(&a);
	return rc;
}

int cmd_sweep(int argc, char **argv)
{
	int rc;

	mpi_start(&argc, &argv);
	rc = sweep_main(argc, argv);
	mpi_stop();
	return rc;
}
