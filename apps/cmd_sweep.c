/* vpmoire sweep: every combination of catalog entries and ranges, one CSV
 * row each, on all cores (OpenMP) and, built --with-mpi, across a cluster.
 *
 * The study's index mapping, the rows, shards and the resumable output live
 * in lib/sweep.c; this file parses the flags (and @study files), runs the
 * blocks in parallel, writes them in order and reports progress. */
#include <config.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif
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

/* Options of sweep beyond the shared set-up flags. */
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
	char *sel[3];		     /* panels, cameras, lenses (comma-joined, malloc'd) */
	size_t sel_n[3], sel_cap[3]; /* their lengths and capacities (amortised
				      * appends: a study naming 100,000 entries one
				      * flag each stays linear) */
	vpm_study_spec_t spec;	     /* the study's flags, for vpm_study_build() */
	const char *output;
	int resume, count_only, quiet, jobs;
	vpm_sweep_shard_t shard;
	double checkpoint_s;
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

/* ------------------------------------------------------------ @files */

/* The arguments with every @STUDY file read in its place (lib/study.c
 * parses the files; opening them is ours). */
static int expand_args(int argc, char **argv, vpm_study_args_t *a)
{
	vpm_status_t st = VPM_OK;
	int i;

	memset(a, 0, sizeof *a);
	for (i = 0; i < argc && st == VPM_OK; i++) {
		const char *path = argv[i] + 1;
		FILE *fp;
		struct stat sb;

		if (i == 0 || argv[i][0] != '@' || argv[i][1] == '\0') {
			st = vpm_study_args_push(a, argv[i], NULL);
			continue;
		}
		/* as for every input file: missing or a directory is bad input
		 * (2), a file the system cannot read a runtime failure (1) */
		if ((fp = fopen(path, "r")) == NULL)
			return cli_fail(errno == ENOENT ? EXIT_USAGE : EXIT_RUNTIME,
					"@%s: cannot read the study file: %s", path,
					strerror(errno));
		if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(fp);
			return cli_fail(EXIT_USAGE, "@%s is a directory, not a study file", path);
		}
		st = vpm_study_args_read(a, fp, path);
		fclose(fp);
	}
	return st == VPM_OK ? 0 : cli_fail_status(st, NULL);
}

/* "vpmoire: [origin: ]--flag: message" */
static int flag_fail(const vpm_study_flag_t *g, const char *flag, const char *msg)
{
	if (g != NULL && g->origin != NULL)
		return cli_fail(EXIT_USAGE, "%s: --%s: %s", g->origin, flag, msg);
	return cli_fail(EXIT_USAGE, "--%s: %s", flag, msg);
}

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
	int opt, rc;

	memset(o, 0, sizeof *o);
	cli_options_init(&longopts, CLI_OPTS_SETUP);
	cli_options_add(&longopts, sweep_options);
	cli_parse_begin(&o->cs);
	o->spec = vpm_study_spec_default();
	o->output = "-";
	o->shard.index = 0;
	o->shard.count = 1;
	o->checkpoint_s = 1.0;
	while ((opt = getopt_long(a->argc, a->argv, "+:ho:j:q", longopts.opt, NULL)) != -1) {
		/* where the flag came from (an @file line), for messages */
		const char *origin = optind - 1 < a->argc ? a->origin[optind - 1] : NULL;
		vpm_study_flag_t g = { optarg, origin };
		switch (opt) {
		case 'h':
			fputs(sweep_help, stdout);
			fputs(sweep_help_setup, stdout);
			fputs(sweep_help_tail, stdout);
			return -1;
		case 'o': o->output = optarg; break;
		case 'j': {
			long n;
			if (vpm_units_parse_count(optarg, 4096, &n) != VPM_OK)
				return flag_fail(&g, "jobs", vpm_error_message());
			o->jobs = (int)n;
			break;
		}
		case 'q': o->quiet = 1; break;
		case OPT_PANEL:
		case OPT_PANELS:
		case OPT_CAMERA:
		case OPT_CAMERAS:
		case OPT_LENS:
		case OPT_LENSES: {
			int k = opt == OPT_PANEL || opt == OPT_PANELS	  ? 0
				: opt == OPT_CAMERA || opt == OPT_CAMERAS ? 1
									  : 2;
			size_t l = strlen(optarg), need = o->sel_n[k] + l + 2;

			if (need > o->sel_cap[k]) {
				size_t nc = o->sel_cap[k] ? o->sel_cap[k] : 64;
				char *ns;

				while (nc < need)
					nc *= 2;
				if ((ns = realloc(o->sel[k], nc)) == NULL)
					return cli_fail(EXIT_RUNTIME, "out of memory");
				o->sel[k] = ns;
				o->sel_cap[k] = nc;
			}
			if (o->sel_n[k] > 0)
				o->sel[k][o->sel_n[k]++] = ',';
			memcpy(o->sel[k] + o->sel_n[k], optarg, l + 1);
			o->sel_n[k] += l;
			break;
		}
		case OPT_STOP: o->spec.stop = g; break;
		case OPT_WALL: o->spec.wall = g; break;
		case OPT_FOCUS: o->spec.focus = g; break;
		case OPT_SUBJECT_GAP: o->spec.gap = g; break;
		case OPT_ROLL: o->spec.roll = g; break;
		case OPT_RECORDING_PX: o->spec.recording = g; break;
		case OPT_DELIVERY_PX: o->spec.delivery = g; break;
		case OPT_SUBJECT_DEPTH: o->spec.subject_depth = g; break;
		case OPT_FOCUS_RULE: o->spec.focus_rule = g; break;
		case OPT_RESUME: o->resume = 1; break;
		case OPT_COUNT: o->count_only = 1; break;
		case OPT_SHARD:
			if (vpm_sweep_shard_parse(optarg, &o->shard) != VPM_OK)
				return flag_fail(&g, "shard", vpm_error_message());
			break;
		case OPT_MAX_SETUPS: {
			char *end;
			double v;
			errno = 0;
			v = strtod(optarg, &end);
			if (end == optarg || *end != '\0' || !(v >= 1.0) || v > 1e18 ||
			    v != floor(v))
				return flag_fail(&g, "max-setups",
						 "expected a whole number of set-ups, e.g. 5e9");
			o->spec.max_setups = (uint64_t)v;
			break;
		}
		case OPT_CHECKPOINT:
			if (vpm_units_parse_interval(optarg, 0.0, 86400.0, 0, &o->checkpoint_s) !=
			    VPM_OK)
				return flag_fail(&g, "checkpoint",
						 "expected seconds between checkpoints, 0 to 86400");
			break;
		case OPT_UNITS:
			return flag_fail(&g, "units",
					 "sweep CSVs are always in metres (SPEC field names)");
		case ':':
		case '?':
			/* "[origin: ]option '--x' needs a value", "unknown option '--y'" */
			return cli_usage("sweep", "%s%s%s '%s'%s", origin ? origin : "",
					 origin ? ": " : "",
					 opt == ':' ? "option" : "unknown option",
					 a->argv[optind - 1], opt == ':' ? " needs a value" : "");
		default:
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
	int tty;
	uint64_t start_rows, total;
} progress_t;

/* A bar on a terminal (every 0.1 s from the start), else a line every 5 s. */
static void progress(progress_t *p, uint64_t rows, int final)
{
	double el, rate, eta;
	double frac = p->total ? (double)rows / (double)p->total : 1.0;
	char etab[32];

	if (!cli_progress_due(&p->bar, 0.0, p->tty ? 0.1 : 5.0, final, &el))
		return;
	rate = el > 0 ? (double)(rows - p->start_rows) / el : 0.0;
	eta = rate > 0 ? (double)(p->total - rows) / rate : NAN;
	vpm_units_format_duration(eta, etab, sizeof etab);
	if (p->tty) {
		char bar[31];
		cli_progress_bar(frac, bar);
		fprintf(stderr,
			"\rsweep [%s] %5.1f%%  %" PRIu64 "/%" PRIu64 "  %.0f set-ups/s  ETA %s   ",
			bar, 100.0 * frac, rows, p->total, rate, etab);
		if (final)
			fputc('\n', stderr);
	} else if (!final) {
		fprintf(stderr,
			"vpmoire sweep: %.1f%% (%" PRIu64 " of %" PRIu64
			" set-ups), %.0f set-ups/s, ETA %s\n",
			100.0 * frac, rows, p->total, rate, etab);
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
	uint64_t total = vpm_sweep_count(sw), dims[VPM_SWEEP_DIMS];
	uint64_t nlocal = vpm_sweep_shard_rows(total, o->shard);
	vpm_sweep_estimate_t est;
	vpm_status_t st;
	char tb[32], bb[32];
	int threads = o->jobs * g_ranks;

	vpm_sweep_dims(sw, dims);
	printf("set-ups: %" PRIu64 " (%" PRIu64 " panels x %" PRIu64 " cameras x %" PRIu64
	       " lens-stops x %" PRIu64 " walls x %" PRIu64 " gaps or focus x %" PRIu64
	       " rolls x %" PRIu64 " recording x %" PRIu64 " delivery)\n",
	       total, dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], dims[6], dims[7]);
	if (o->shard.count > 1)
		printf("shard %" PRIu64 "/%" PRIu64 ": %" PRIu64 " set-ups\n", o->shard.index,
		       o->shard.count, nlocal);
	/* 300 set-ups spread over the shard time it within a few per cent */
	if ((st = vpm_sweep_estimate(sw, o->shard, 300, &est)) != VPM_OK)
		return cli_fail_status(st, NULL);
	if (est.sampled == 0) {
		printf("estimated time: 0 s\nestimated output: %zu bytes\n", est.head_bytes);
		return EXIT_OK;
	}
	vpm_units_format_duration(est.seconds_per_setup * (double)nlocal / threads, tb, sizeof tb);
	printf("estimated time: %s with %d thread%s (%.0f set-ups/s per thread, timed on %" PRIu64
	       " set-ups)\n",
	       tb, threads, threads == 1 ? "" : "s",
	       est.seconds_per_setup > 0 ? 1.0 / est.seconds_per_setup : 0.0, est.sampled);
	vpm_units_format_bytes((double)est.head_bytes + est.bytes_per_row * (double)nlocal, bb,
			       sizeof bb);
	printf("estimated output: %s (%.0f bytes per row)\n", bb, est.bytes_per_row);
	return EXIT_OK;
}

/* ------------------------------------------------------------ the run */

#ifdef HAVE_MPI
typedef struct {
	int64_t status, len;
	char msg[256];
} part_head_t;
#endif

static int run(const opts_t *o, const vpm_sweep_t *sw)
{
	uint64_t total = vpm_sweep_count(sw), nlocal = vpm_sweep_shard_rows(total, o->shard);
	uint64_t done = 0, base, batch_rows;
	vpm_sweep_output_t *out = NULL;
	vpm_sweep_engine_t *eng = NULL;
	progress_t prog;
	vpm_status_t st = VPM_OK;
	int ok = 1, rc = EXIT_OK, stopped = 0, failed_rank = 0;
	double last_ckpt, t_start;
	uint64_t ctl[2];
	char errmsg[512] = "";

	/* every rank uses rank 0's batch size, so that all agree on the split */
	batch_rows = vpm_sweep_batch_rows(sw, o->jobs);
#ifdef HAVE_MPI
	if (g_mpi)
		MPI_Bcast(&batch_rows, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
#endif
	if (vpm_sweep_engine_alloc(sw, o->shard, o->jobs, batch_rows, &eng) != VPM_OK)
		ok = 0;
#ifdef HAVE_MPI
	if (g_mpi) {
		int all;
		MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
		if (!all && ok) {
			vpm_sweep_engine_free(eng);
			return EXIT_RUNTIME;
		}
		ok = all;
	}
#endif
	if (!ok)
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
	/* Ctrl-C from here on finishes cleanly, even while the output and its
	 * first checkpoint are being created (no stray temporary file) */
	install_stop();
	if (g_rank == 0 && ok) {
		st = vpm_sweep_output_open(sw, o->output, o->shard, o->resume, &out);
		if (st != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			ok = 0;
		} else {
			done = vpm_sweep_output_rows_done(out);
		}
	}
	/* every rank agrees on where to start */
	ctl[0] = (uint64_t)ok;
	ctl[1] = done;
#ifdef HAVE_MPI
	if (g_mpi)
		MPI_Bcast(ctl, 2, MPI_UINT64_T, 0, MPI_COMM_WORLD);
#endif
	if (!ctl[0]) {
		vpm_sweep_engine_free(eng);
		return rc != EXIT_OK ? rc : EXIT_RUNTIME;
	}
	done = ctl[1];

	memset(&prog, 0, sizeof prog);
	prog.tty = cli_stderr_is_tty();
	cli_progress_start(&prog.bar, g_rank == 0 && !o->quiet, prog.tty);
	t_start = last_ckpt = prog.bar.t0;
	prog.start_rows = done;
	prog.total = nlocal;
	if (g_rank == 0 && !o->quiet && vpm_sweep_output_resumed(out)) {
		if (done == nlocal)
			fprintf(stderr,
				"vpmoire sweep: %s is already complete (%" PRIu64 " set-ups)\n",
				o->output, nlocal);
		else
			fprintf(stderr,
				"vpmoire sweep: resuming %s after %" PRIu64 " of %" PRIu64
				" set-ups\n",
				o->output, done, nlocal);
	}

	for (base = done; base < nlocal; base += batch_rows * (uint64_t)g_ranks) {
		uint64_t first = base + (uint64_t)g_rank * batch_rows, n = 0;
		size_t len = 0;
		int stop;
		if (first < nlocal)
			n = nlocal - first < batch_rows ? nlocal - first : batch_rows;
		st = n > 0 ? vpm_sweep_engine_run(eng, first, n, &len) : VPM_OK;
		if (g_rank == 0) {
			int k;
			if (st != VPM_OK) {
				snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
				failed_rank = 1;
			} else {
				st = vpm_sweep_output_write(out, vpm_sweep_engine_buffer(eng), len,
							    n);
				if (st != VPM_OK)
					snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
			}
			for (k = 1; k < g_ranks; k++) {
#ifdef HAVE_MPI
				part_head_t h;
				uint64_t kf = base + (uint64_t)k * batch_rows, kn = 0;
				MPI_Recv(&h, (int)sizeof h, MPI_BYTE, k, 1, MPI_COMM_WORLD,
					 MPI_STATUS_IGNORE);
				if (h.len > 0)
					MPI_Recv(vpm_sweep_engine_buffer(eng), (int)h.len, MPI_BYTE,
						 k, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
				if (kf < nlocal)
					kn = nlocal - kf < batch_rows ? nlocal - kf : batch_rows;
				if (st != VPM_OK)
					continue; /* drain the others, write nothing more */
				if (h.status != VPM_OK) {
					st = (vpm_status_t)h.status;
					snprintf(errmsg, sizeof errmsg, "rank %d: %s", k, h.msg);
					failed_rank = 1;
					continue;
				}
				st = vpm_sweep_output_write(out, vpm_sweep_engine_buffer(eng),
							    (size_t)h.len, kn);
				if (st != VPM_OK)
					snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
#endif
			}
			if (st == VPM_OK &&
			    (g_stop || cli_now_s() - last_ckpt >= o->checkpoint_s)) {
				st = vpm_sweep_output_checkpoint(out);
				if (st != VPM_OK)
					snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
				last_ckpt = cli_now_s();
			}
			progress(&prog, vpm_sweep_output_rows_done(out), 0);
			stop = st != VPM_OK || g_stop;
		} else {
#ifdef HAVE_MPI
			part_head_t h;
			memset(&h, 0, sizeof h);
			h.status = st;
			h.len = st == VPM_OK ? (int64_t)len : 0;
			if (st != VPM_OK)
				snprintf(h.msg, sizeof h.msg, "%s", vpm_error_message());
			MPI_Send(&h, (int)sizeof h, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
			if (h.len > 0)
				MPI_Send(vpm_sweep_engine_buffer(eng), (int)h.len, MPI_BYTE, 0, 2,
					 MPI_COMM_WORLD);
#endif
			stop = 0;
		}
#ifdef HAVE_MPI
		if (g_mpi)
			MPI_Bcast(&stop, 1, MPI_INT, 0, MPI_COMM_WORLD);
#endif
		if (stop) {
			stopped = 1;
			break;
		}
	}
	vpm_sweep_engine_free(eng);
	if (g_rank != 0)
		return EXIT_OK;

	if (st != VPM_OK) {
		/* the last checkpoint stays: nothing written before it is lost */
		int direct = strcmp(o->output, "-") == 0;
		vpm_sweep_output_close(out);
		if (prog.bar.on && prog.tty)
			fputc('\n', stderr);
		if (direct || failed_rank)
			return cli_fail(cli_exit_code(st) == EXIT_USAGE ? EXIT_RUNTIME
									: cli_exit_code(st),
					"%s", errmsg);
		return cli_fail(EXIT_RUNTIME,
				"%s; the rows up to the last checkpoint are kept: fix the cause and "
				"run the same command with --resume",
				errmsg);
	}
	if (stopped && vpm_sweep_output_rows_done(out) < nlocal) {
		uint64_t r = vpm_sweep_output_rows_done(out);
		vpm_sweep_output_close(out);
		if (prog.bar.on && prog.tty)
			fputc('\n', stderr);
		if (strcmp(o->output, "-") == 0)
			return cli_fail(EXIT_RUNTIME,
					"sweep: interrupted after %" PRIu64 " of %" PRIu64
					" set-ups (standard output cannot be resumed)",
					r, nlocal);
		return cli_fail(EXIT_RUNTIME,
				"sweep: interrupted after %" PRIu64 " of %" PRIu64
				" set-ups; run the same command with --resume to continue",
				r, nlocal);
	}
	if (nlocal > done)
		progress(&prog, vpm_sweep_output_rows_done(out), 1);
	st = vpm_sweep_output_commit(out);
	if (st != VPM_OK)
		return cli_fail(EXIT_RUNTIME,
				"%s; the rows are kept: run the same command with --resume",
				vpm_error_message());
	if (!o->quiet && nlocal > done) {
		double el = cli_now_s() - t_start;
		char tb[32];
		vpm_units_format_duration(el, tb, sizeof tb);
		fprintf(stderr,
			"vpmoire sweep: %" PRIu64
			" set-ups in %s (%.0f set-ups/s, %d thread%s x %d "
			"rank%s)%s%s\n",
			nlocal - done, tb, el > 0 ? (double)(nlocal - done) / el : 0.0, o->jobs,
			o->jobs == 1 ? "" : "s", g_ranks, g_ranks == 1 ? "" : "s",
			strcmp(o->output, "-") ? " -> " : "",
			strcmp(o->output, "-") ? o->output : "");
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
	int rc, k;

	memset(&o, 0, sizeof o);
	rc = expand_args(argc, argv, &a);
	if (rc == 0)
		rc = parse_options(&a, &o);
	if (rc == -1) {
		rc = EXIT_OK; /* --help */
		goto out;
	}
	if (rc != 0)
		goto out;
	if (o.jobs == 0) {
#ifdef _OPENMP
		o.jobs = omp_get_max_threads();
#else
		o.jobs = 1;
#endif
	}
#ifndef _OPENMP
	o.jobs = 1; /* built without OpenMP */
#endif
	if (o.resume && o.count_only) {
		rc = cli_usage("sweep", "--count and --resume do not go together");
		goto out;
	}
	if ((rc = cli_load_catalogs(&o.cs.catalogs, &cat)) != 0)
		goto out;
	o.spec.panels = o.sel[0];
	o.spec.cameras = o.sel[1];
	o.spec.lenses = o.sel[2];
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
	for (k = 0; k < 3; k++)
		free(o.sel[k]);
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
