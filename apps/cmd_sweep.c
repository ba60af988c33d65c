/* vpmoire sweep: every combination of catalog entries and ranges, one CSV
 * row each, on all cores (OpenMP) and, built --with-mpi, across a cluster.
 *
 * The study's index mapping, the rows, shards and the resumable output live
 * in lib/sweep.c; this file parses the flags (and @study files), runs the
 * blocks in parallel, writes them in order and reports progress. */
#include <config.h>

#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
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

/* An axis flag as given, and where (for messages). */
typedef struct {
	const char *text;
	const char *origin; /* "study.args:3:8" or NULL on the command line */
} given_t;

typedef struct {
	cli_setup_t cs;
	char *sel[3]; /* panels, cameras, lenses (comma-joined, malloc'd) */
	size_t sel_n[3], sel_cap[3]; /* their lengths and capacities (amortised
				      * appends: a study naming 100,000 entries one
				      * flag each stays linear) */
	given_t stop, wall, gap, focus, roll, recording, delivery;
	const char *focus_rule_text;
	double subject_depth_m;
	int depth_given;
	const char *output;
	int resume, count_only, quiet, jobs;
	vpm_sweep_shard_t shard;
	uint64_t max_setups;
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

typedef struct {
	int argc;
	char **argv;
	char **origin; /* per argument: "file:line:col" or NULL */
	char **own;    /* strings to free */
	size_t nown, cap_own;
	int cap;
} args_t;

static int args_push(args_t *a, char *s, char *origin)
{
	if (a->argc + 1 >= a->cap) {
		int nc = a->cap ? 2 * a->cap : 64;
		char **nv = realloc(a->argv, (size_t)nc * sizeof *nv);
		char **no;
		if (nv == NULL)
			return -1;
		a->argv = nv;
		no = realloc(a->origin, (size_t)nc * sizeof *no);
		if (no == NULL)
			return -1;
		a->origin = no;
		a->cap = nc;
	}
	a->argv[a->argc] = s;
	a->origin[a->argc] = origin;
	a->argc++;
	a->argv[a->argc] = NULL;
	return 0;
}

static char *args_own(args_t *a, char *s)
{
	if (s == NULL)
		return NULL;
	if (a->nown == a->cap_own) {
		size_t nc = a->cap_own ? 2 * a->cap_own : 64;
		char **no = realloc(a->own, nc * sizeof *no);
		if (no == NULL) {
			free(s);
			return NULL;
		}
		a->own = no;
		a->cap_own = nc;
	}
	a->own[a->nown++] = s;
	return s;
}

static void args_free(args_t *a)
{
	size_t i;

	for (i = 0; i < a->nown; i++)
		free(a->own[i]);
	free(a->own);
	free(a->argv);
	free(a->origin);
}

static char *strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *strf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* Longest line of a study file, in bytes. */
#define STUDY_LINE_MAX 65536

/* Read one line of at most STUDY_LINE_MAX bytes into buf (NUL-terminated,
 * newline kept).  Returns its length, -1 at the end of the file, -2 for a
 * longer line and -3 for a NUL byte; reading stops there, so neither a
 * gigabyte line nor `@/dev/zero` is ever held in memory. */
static ssize_t study_line(FILE *fp, char *buf)
{
	size_t n = 0;
	int ch;

	while ((ch = getc(fp)) != EOF) {
		if (ch == '\0')
			return -3;
		if (n == STUDY_LINE_MAX)
			return -2;
		buf[n++] = (char)ch;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	return n == 0 && ch == EOF ? -1 : (ssize_t)n;
}

/* Read one study file: one flag per line, '#' comments, blank lines. */
static int read_study(args_t *a, const char *path)
{
	FILE *fp = fopen(path, "r");
	char *line;
	ssize_t n;
	long lineno = 0;
	int rc = 0;

	/* as for every input file: missing or a directory is bad input (2),
	 * a file the system cannot read a runtime failure (1) */
	if (fp == NULL)
		return cli_fail(errno == ENOENT ? EXIT_USAGE : EXIT_RUNTIME,
				"@%s: cannot read the study file: %s", path, strerror(errno));
	{
		struct stat sb;
		if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
			fclose(fp);
			return cli_fail(EXIT_USAGE, "@%s is a directory, not a study file", path);
		}
	}
	line = malloc(STUDY_LINE_MAX + 1);
	if (line == NULL) {
		fclose(fp);
		return cli_fail(EXIT_RUNTIME, "out of memory");
	}
	while ((n = study_line(fp, line)) != -1) {
		char *s = line, *e, *val, *flag;
		lineno++;
		if (n == -2) {
			rc = cli_fail(EXIT_USAGE, "%s:%ld: line longer than %d bytes", path, lineno,
				      STUDY_LINE_MAX);
			break;
		}
		if (n == -3) {
			rc = cli_fail(EXIT_USAGE, "%s:%ld: NUL byte: not a text file", path,
				      lineno);
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			continue;
		if (*s != '-') {
			rc = cli_fail(
				EXIT_USAGE,
				"%s:%ld:%d: expected a flag such as --wall 1.5m:8m:0.1m (one per "
				"line)",
				path, lineno, (int)(s - line) + 1);
			break;
		}
		e = s;
		while (*e && *e != ' ' && *e != '\t' && *e != '=')
			e++;
		val = e;
		if (*val) {
			*val++ = '\0';
			while (*val == ' ' || *val == '\t')
				val++;
		}
		{
			/* trailing blanks, then one pair of matching quotes */
			size_t vl = strlen(val);
			while (vl > 0 && (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
				val[--vl] = '\0';
			if (vl >= 2 && (val[0] == '"' || val[0] == '\'') && val[vl - 1] == val[0]) {
				val[vl - 1] = '\0';
				val++;
			}
		}
		flag = args_own(a, strdup(s));
		if (flag == NULL || args_push(a, flag,
					      args_own(a, strf("%s:%ld:%d", path, lineno,
							       (int)(s - line) + 1))) != 0) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
			break;
		}
		if (*val) {
			char *v = args_own(a, strdup(val));
			if (v == NULL || args_push(a, v,
						   args_own(a, strf("%s:%ld:%d", path, lineno,
								    (int)(val - line) + 1))) != 0) {
				rc = cli_fail(EXIT_RUNTIME, "out of memory");
				break;
			}
		}
	}
	if (rc == 0 && ferror(fp))
		rc = cli_fail(EXIT_USAGE, "@%s: cannot read the study file", path);
	free(line);
	fclose(fp);
	return rc;
}

static int expand_args(int argc, char **argv, args_t *a)
{
	int i, rc;

	memset(a, 0, sizeof *a);
	for (i = 0; i < argc; i++) {
		if (i > 0 && argv[i][0] == '@' && argv[i][1] != '\0') {
			if ((rc = read_study(a, argv[i] + 1)) != 0)
				return rc;
		} else if (args_push(a, argv[i], NULL) != 0) {
			return cli_fail(EXIT_RUNTIME, "out of memory");
		}
	}
	return 0;
}

/* "vpmoire sweep: [origin: ]--flag: message (see ...)" */
static int flag_fail(const given_t *g, const char *flag, const char *msg)
{
	if (g != NULL && g->origin != NULL)
		return cli_fail(EXIT_USAGE, "%s: --%s: %s", g->origin, flag, msg);
	return cli_fail(EXIT_USAGE, "--%s: %s", flag, msg);
}

/* ------------------------------------------------------------ selections */

static int has_glob(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

static const char *entry_name(const vpm_catalog_t *cat, vpm_catalog_kind_t k, size_t i)
{
	switch (k) {
	case VPM_CATALOG_PANELS: return vpm_catalog_panel(cat, i)->name;
	case VPM_CATALOG_CAMERAS: return vpm_catalog_camera(cat, i)->name;
	default: return vpm_catalog_lens(cat, i)->name;
	}
}

static const void *entry_at(const vpm_catalog_t *cat, vpm_catalog_kind_t k, size_t i)
{
	switch (k) {
	case VPM_CATALOG_PANELS: return vpm_catalog_panel(cat, i);
	case VPM_CATALOG_CAMERAS: return vpm_catalog_camera(cat, i);
	default: return vpm_catalog_lens(cat, i);
	}
}

/* The entries selected so far: the list's capacity and a hash table of
 * the entries in it (open addressing on the pointer), so that "each entry
 * once" costs O(1) per entry, not a scan of the list (`--panels all` over
 * a catalog of a million rows). */
typedef struct {
	size_t cap;
	const void **seen;
	size_t seen_cap; /* 0 or a power of two; at most half full */
} selection_t;

static size_t ptr_slot(const void *e, size_t mask)
{
	uint64_t x = (uint64_t)(uintptr_t)e;

	x ^= x >> 33; /* a 64-bit mix (splitmix64's finaliser) */
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x & mask;
}

/* 1 when e was in the table, 0 when added, -1 when out of memory. */
static int seen_add(selection_t *sel, const void *e, size_t n)
{
	size_t i;

	if (2 * (n + 1) > sel->seen_cap) {
		size_t nc = sel->seen_cap ? 2 * sel->seen_cap : 64, k;
		const void **nt = calloc(nc, sizeof *nt);
		if (nt == NULL)
			return -1;
		for (k = 0; k < sel->seen_cap; k++)
			if (sel->seen[k] != NULL) {
				for (i = ptr_slot(sel->seen[k], nc - 1); nt[i] != NULL;
				     i = (i + 1) & (nc - 1))
					;
				nt[i] = sel->seen[k];
			}
		free((void *)sel->seen);
		sel->seen = nt;
		sel->seen_cap = nc;
	}
	for (i = ptr_slot(e, sel->seen_cap - 1); sel->seen[i] != NULL;
	     i = (i + 1) & (sel->seen_cap - 1))
		if (sel->seen[i] == e)
			return 1;
	sel->seen[i] = e;
	return 0;
}

static int add_entry(const void ***list, size_t *n, selection_t *sel, const void *e)
{
	int r = seen_add(sel, e, *n);

	if (r != 0)
		return r < 0 ? -1 : 0; /* each entry once, where it first appears */
	if (*n == sel->cap) {
		size_t nc = sel->cap ? 2 * sel->cap : 16;
		const void **nl = realloc((void *)*list, nc * sizeof *nl);
		if (nl == NULL)
			return -1;
		*list = nl;
		sel->cap = nc;
	}
	(*list)[(*n)++] = e;
	return 0;
}

/* Resolve "a,b*,all,ZEISS CP.3" into catalog entries, in order given. */
static int resolve(const vpm_catalog_t *cat, vpm_catalog_kind_t k, const char *flag,
		   const char *sel, const void ***out, size_t *n)
{
	char *copy = strdup(sel), *item, *next;
	size_t i, count = vpm_catalog_count(cat, k);
	selection_t chosen = { 0, NULL, 0 };
	const char *kind = k == VPM_CATALOG_PANELS    ? "panel"
			   : k == VPM_CATALOG_CAMERAS ? "camera"
						      : "lens";
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (copy == NULL)
		return cli_fail(EXIT_RUNTIME, "out of memory");
	for (item = copy; item != NULL; item = next) {
		char *t = item, *e;
		next = strchr(item, ',');
		if (next != NULL)
			*next++ = '\0';
		while (*t == ' ' || *t == '\t')
			t++;
		e = t + strlen(t);
		while (e > t && (e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (*t == '\0') {
			rc = cli_usage("sweep", "--%s: empty name in '%s'", flag, sel);
			break;
		}
		if (strcasecmp(t, "all") == 0) {
			for (i = 0; i < count && rc == 0; i++)
				if (add_entry(out, n, &chosen, entry_at(cat, k, i)) != 0)
					rc = cli_fail(EXIT_RUNTIME, "out of memory");
			continue;
		}
		if (has_glob(t)) {
			size_t found = 0;
			char *p;
			for (p = t; *p; p++)
				if (*p >= 'A' && *p <= 'Z')
					*p = (char)(*p - 'A' + 'a');
			for (i = 0; i < count && rc == 0; i++)
				if (fnmatch(t, entry_name(cat, k, i), 0) == 0) {
					found++;
					if (add_entry(out, n, &chosen, entry_at(cat, k, i)) != 0)
						rc = cli_fail(EXIT_RUNTIME, "out of memory");
				}
			if (rc == 0 && found == 0)
				rc = cli_fail(
					EXIT_USAGE,
					"--%s: '%s' matches no %s (see 'vpmoire catalog list %ss')",
					flag, t, kind, k == VPM_CATALOG_LENSES ? "lense" : kind);
			continue;
		}
		{
			const void *exact = vpm_catalog_lookup(cat, k, t);

			if (exact != NULL) {
				if (add_entry(out, n, &chosen, exact) != 0)
					rc = cli_fail(EXIT_RUNTIME, "out of memory");
				continue;
			}
		}
		if (k == VPM_CATALOG_LENSES) {
			const vpm_lens_t *series[256];
			size_t ns = 0;
			if (vpm_catalog_find_series(cat, t, series, 256, &ns) == VPM_OK && ns > 0) {
				for (i = 0; i < ns && rc == 0; i++)
					if (add_entry(out, n, &chosen, series[i]) != 0)
						rc = cli_fail(EXIT_RUNTIME, "out of memory");
				continue;
			}
		}
		{
			vpm_status_t st;
			const void *e1 = NULL;
			char ctx[64];
			if (k == VPM_CATALOG_PANELS) {
				const vpm_panel_t *p;
				st = vpm_catalog_find_panel(cat, t, &p);
				e1 = p;
			} else if (k == VPM_CATALOG_CAMERAS) {
				const vpm_camera_t *c;
				st = vpm_catalog_find_camera(cat, t, &c);
				e1 = c;
			} else {
				const vpm_lens_t *l;
				st = vpm_catalog_find_lens(cat, t, &l);
				e1 = l;
			}
			if (st != VPM_OK) {
				snprintf(ctx, sizeof ctx, "--%s", flag);
				rc = cli_fail_status(st, ctx);
				break;
			}
			if (add_entry(out, n, &chosen, e1) != 0)
				rc = cli_fail(EXIT_RUNTIME, "out of memory");
		}
		if (rc != 0)
			break;
	}
	free(copy);
	free((void *)chosen.seen);
	if (rc != 0) {
		free((void *)*out);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

/* ------------------------------------------------------------ description */

typedef struct {
	char *s;
	size_t n, cap;
	int oom;
} sbuf_t;

static void sb_add(sbuf_t *b, const char *t)
{
	size_t l = strlen(t);

	if (b->oom)
		return;
	if (b->n + l + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		char *ns;
		while (nc < b->n + l + 1)
			nc *= 2;
		ns = realloc(b->s, nc);
		if (ns == NULL) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = nc;
	}
	memcpy(b->s + b->n, t, l + 1);
	b->n += l;
}

static int isalnum_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* " --flag value", the value quoted for a shell when it needs it */
static void sb_flag(sbuf_t *b, const char *flag, const char *value)
{
	const char *p;
	int plain = value != NULL && value[0] != '\0';

	sb_add(b, b->n ? " --" : "--");
	sb_add(b, flag);
	if (value == NULL)
		return;
	sb_add(b, " ");
	for (p = value; *p && plain; p++)
		if (!(isalnum_ascii(*p) || strchr("._,:/+-=@%^", *p) != NULL))
			plain = 0;
	if (plain) {
		sb_add(b, value);
		return;
	}
	sb_add(b, "'");
	for (p = value; *p; p++) {
		char c[2] = { *p, '\0' };
		sb_add(b, *p == '\'' ? "'\\''" : c);
	}
	sb_add(b, "'");
}

static void sb_num(sbuf_t *b, const char *flag, double v)
{
	char t[40];

	snprintf(t, sizeof t, "%.10g", v);
	sb_flag(b, flag, t);
}

static void sb_names(sbuf_t *b, const char *flag, const void *const *e, size_t n,
		     vpm_catalog_kind_t k)
{
	sbuf_t names = { NULL, 0, 0, 0 };
	size_t i;

	for (i = 0; i < n; i++) {
		const char *nm = k == VPM_CATALOG_PANELS    ? ((const vpm_panel_t *)e[i])->name
				 : k == VPM_CATALOG_CAMERAS ? ((const vpm_camera_t *)e[i])->name
							    : ((const vpm_lens_t *)e[i])->name;
		if (i)
			sb_add(&names, ",");
		sb_add(&names, nm);
	}
	if (names.oom)
		b->oom = 1;
	else if (n > 0)
		sb_flag(b, flag, names.s);
	free(names.s);
}

/* ------------------------------------------------------------ options */

static int parse_options(args_t *a, opts_t *o)
{
	static const struct option longopts[] = {
		CLI_SETUP_LONGOPTS,
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
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt, rc;

	memset(o, 0, sizeof *o);
	cli_setup_init(&o->cs);
	o->output = "-";
	o->shard.index = 0;
	o->shard.count = 1;
	o->checkpoint_s = 1.0;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(a->argc, a->argv, "+:ho:j:q", longopts, NULL)) != -1) {
		/* where the flag came from (an @file line), for messages */
		const char *origin = optind - 1 < a->argc ? a->origin[optind - 1] : NULL;
		given_t g = { optarg, origin };
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
		case OPT_STOP: o->stop = g; break;
		case OPT_WALL: o->wall = g; break;
		case OPT_FOCUS: o->focus = g; break;
		case OPT_SUBJECT_GAP: o->gap = g; break;
		case OPT_ROLL: o->roll = g; break;
		case OPT_RECORDING_PX: o->recording = g; break;
		case OPT_DELIVERY_PX: o->delivery = g; break;
		case OPT_SUBJECT_DEPTH:
			if (vpm_units_parse_length(optarg, VPM_UNIT_M, VPM_UNITS_ALLOW_ZERO,
						   &o->subject_depth_m) != VPM_OK)
				return flag_fail(&g, "subject-depth", vpm_error_message());
			o->depth_given = 1;
			break;
		case OPT_FOCUS_RULE:
			if (strcmp(optarg, "subject") != 0 && strcmp(optarg, "back-of-dof") != 0 &&
			    strcmp(optarg, "wall") != 0)
				return flag_fail(
					&g, "focus-rule",
					"use subject, back-of-dof or wall (or --focus D for "
					"fixed focus distances)");
			o->focus_rule_text = optarg;
			break;
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
			o->max_setups = (uint64_t)v;
			break;
		}
		case OPT_CHECKPOINT:
			if (vpm_units_parse_number(optarg, &o->checkpoint_s) != VPM_OK ||
			    !(o->checkpoint_s >= 0.0) || o->checkpoint_s > 86400.0)
				return flag_fail(&g, "checkpoint",
						 "expected seconds between checkpoints, 0 to 86400");
			break;
		case OPT_UNITS:
			return flag_fail(&g, "units",
					 "sweep CSVs are always in metres (SPEC field names)");
		case ':':
			if (origin != NULL)
				return cli_usage("sweep", "%s: option '%s' needs a value", origin,
						 a->argv[optind - 1]);
			return cli_usage("sweep", "option '%s' needs a value", a->argv[optind - 1]);
		case '?':
			if (origin != NULL)
				return cli_usage("sweep", "%s: unknown option '%s'", origin,
						 a->argv[optind - 1]);
			return cli_usage("sweep", "unknown option '%s'", a->argv[optind - 1]);
		default:
			rc = cli_setup_option(&o->cs, opt, optarg);
			if (rc < 0)
				return EXIT_USAGE;
			if (rc == 0)
				return cli_usage("sweep", "unexpected option '%s'",
						 a->argv[optind - 1]);
		}
	}
	if (optind < a->argc) {
		if (a->origin[optind] != NULL)
			return cli_usage("sweep", "%s: unexpected argument '%s'", a->origin[optind],
					 a->argv[optind]);
		return cli_usage("sweep", "unexpected argument '%s'", a->argv[optind]);
	}
	return 0;
}

static int parse_axis(const given_t *g, const char *flag, vpm_sweep_kind_t kind, unsigned flags,
		      vpm_sweep_axis_t *ax)
{
	if (g->text == NULL)
		return 0;
	if (vpm_sweep_axis_parse(g->text, kind, flags, 0, ax) != VPM_OK)
		return flag_fail(g, flag, vpm_error_message());
	return 0;
}

/* ------------------------------------------------------------ the study */

typedef struct {
	vpm_sweep_study_t study;
	vpm_panel_t *panels;
	vpm_camera_t *cameras;
	vpm_lens_t *lenses;
	sbuf_t desc;
} study_t;

static void study_free(study_t *s)
{
	vpm_sweep_axis_free(&s->study.stops);
	vpm_sweep_axis_free(&s->study.walls);
	vpm_sweep_axis_free(&s->study.gaps);
	vpm_sweep_axis_free(&s->study.focus);
	vpm_sweep_axis_free(&s->study.rolls);
	vpm_sweep_axis_free(&s->study.recording);
	vpm_sweep_axis_free(&s->study.delivery);
	free(s->panels);
	free(s->cameras);
	free(s->lenses);
	free(s->desc.s);
}

#define GIVEN(o, opt) cli_setup_given(&(o)->cs, opt)

static int build_study(opts_t *o, const vpm_catalog_t *cat, study_t *s)
{
	vpm_sweep_study_t *st = &s->study;
	const vpm_setup_t *raw = &o->cs.raw;
	const void **sel[3] = { NULL, NULL, NULL };
	size_t nsel[3] = { 0, 0, 0 }, i;
	int rc = 0, k;
	static const char *const selflag[3] = { "panels", "cameras", "lenses" };
	static const vpm_catalog_kind_t kinds[3] = { VPM_CATALOG_PANELS, VPM_CATALOG_CAMERAS,
						     VPM_CATALOG_LENSES };
	enum { RULE_SUBJECT, RULE_BACK, RULE_WALL, RULE_FIXED } rule = RULE_SUBJECT;

	memset(s, 0, sizeof *s);
	*st = vpm_sweep_study_default();
	/* viewer and planning settings: one value for the whole study */
	st->base = *raw;
	st->max_setups = o->max_setups;

	if (o->wall.text == NULL)
		return cli_usage("sweep",
				 "--wall is required (camera to wall, e.g. --wall 1.5m:8m:0.1m)");
	if (o->focus.text != NULL)
		rule = RULE_FIXED;
	if (o->focus_rule_text != NULL) {
		if (rule == RULE_FIXED)
			return cli_usage("sweep", "--focus gives fixed focus distances: leave out "
						  "--focus-rule");
		rule = strcmp(o->focus_rule_text, "back-of-dof") == 0 ? RULE_BACK
		       : strcmp(o->focus_rule_text, "wall") == 0      ? RULE_WALL
								      : RULE_SUBJECT;
	}
	if (o->gap.text != NULL && (rule == RULE_FIXED || rule == RULE_WALL))
		return cli_usage("sweep", "--subject-gap needs --focus-rule subject or back-of-dof "
					  "(not --focus or --focus-rule wall)");
	if (o->depth_given && (rule == RULE_FIXED || rule == RULE_WALL))
		return cli_usage("sweep",
				 "--subject-depth needs --focus-rule subject or back-of-dof");
	st->focus_rule = rule == RULE_SUBJECT ? VPM_SWEEP_FOCUS_SUBJECT
			 : rule == RULE_BACK  ? VPM_SWEEP_FOCUS_BACK_OF_DOF
			 : rule == RULE_WALL  ? VPM_SWEEP_FOCUS_WALL
					      : VPM_SWEEP_FOCUS_FIXED;
	st->subject_depth_m = o->subject_depth_m;

	/* numeric axes */
	if (o->stop.text != NULL && strcmp(o->stop.text, "lens") == 0)
		st->stop_mode = VPM_SWEEP_STOPS_LENS;
	else if (o->stop.text != NULL && strcmp(o->stop.text, "lens-thirds") == 0)
		st->stop_mode = VPM_SWEEP_STOPS_LENS_THIRDS;
	else {
		given_t g = o->stop.text ? o->stop : (given_t){ "2.8", NULL };
		if ((rc = parse_axis(&g, "stop", VPM_SWEEP_STOP, 0, &st->stops)) != 0)
			return rc;
	}
	if ((rc = parse_axis(&o->wall, "wall", VPM_SWEEP_LENGTH_M, 0, &st->walls)) != 0 ||
	    (rc = parse_axis(&o->gap, "subject-gap", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_ZERO,
			     &st->gaps)) != 0 ||
	    (rc = parse_axis(&o->focus, "focus", VPM_SWEEP_LENGTH_M, VPM_UNITS_ALLOW_INF,
			     &st->focus)) != 0 ||
	    (rc = parse_axis(&o->roll, "roll", VPM_SWEEP_ANGLE_DEG, 0, &st->rolls)) != 0 ||
	    (rc = parse_axis(&o->recording, "recording-px", VPM_SWEEP_PIXELS, 0, &st->recording)) !=
		    0 ||
	    (rc = parse_axis(&o->delivery, "delivery-px", VPM_SWEEP_PIXELS, 0, &st->delivery)) != 0)
		return rc;

	/* equipment */
	for (k = 0; k < 3; k++)
		if (o->sel[k] != NULL &&
		    (rc = resolve(cat, kinds[k], selflag[k], o->sel[k], &sel[k], &nsel[k])) != 0)
			goto out;
	if (o->sel[2] != NULL && GIVEN(o, OPT_FOCAL)) {
		rc = cli_usage("sweep",
			       "--focal makes a lens of its own: give --lenses or --focal, "
			       "not both");
		goto out;
	}
	/* panels */
	if (nsel[0] == 0) {
		if (!GIVEN(o, OPT_PITCH) || !GIVEN(o, OPT_EMITTER)) {
			rc = cli_usage("sweep",
				       "no LED panel: give --panels NAMES (or all), or --pitch "
				       "MM with --emitter MM");
			goto out;
		}
		nsel[0] = 1;
		s->panels = calloc(1, sizeof *s->panels);
	} else {
		s->panels = calloc(nsel[0], sizeof *s->panels);
		for (i = 0; s->panels && i < nsel[0]; i++)
			s->panels[i] = *(const vpm_panel_t *)sel[0][i];
	}
	if (nsel[1] == 0) {
		if (!GIVEN(o, OPT_PHOTOSITE) || !GIVEN(o, OPT_WIDTH_PX)) {
			rc = cli_usage("sweep", "no camera: give --cameras NAMES (or all), or "
						"--photosite UM with --width-px N");
			goto out;
		}
		nsel[1] = 1;
		s->cameras = calloc(1, sizeof *s->cameras);
		if (s->cameras != NULL) {
			s->cameras[0].cfa = "bayer";
			s->cameras[0].fill = 1.0;
		}
	} else {
		s->cameras = calloc(nsel[1], sizeof *s->cameras);
		for (i = 0; s->cameras && i < nsel[1]; i++)
			s->cameras[i] = *(const vpm_camera_t *)sel[1][i];
	}
	if (nsel[2] == 0) {
		if (!GIVEN(o, OPT_FOCAL)) {
			rc = cli_usage("sweep",
				       "no lens: give --lenses NAMES (a series, or all), or "
				       "--focal MM");
			goto out;
		}
		nsel[2] = 1;
		s->lenses = calloc(1, sizeof *s->lenses);
		if (s->lenses != NULL)
			s->lenses[0].focal_mm = raw->focal_mm;
	} else {
		s->lenses = calloc(nsel[2], sizeof *s->lenses);
		for (i = 0; s->lenses && i < nsel[2]; i++)
			s->lenses[i] = *(const vpm_lens_t *)sel[2][i];
	}
	if (s->panels == NULL || s->cameras == NULL || s->lenses == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	/* raw numbers win over the catalog, on every entry (the study's
	 * identity covers the entries as edited) */
	{
		unsigned given = cli_setup_raw(&o->cs);

		for (i = 0; i < nsel[0]; i++)
			vpm_panel_override(&s->panels[i], raw, given);
		for (i = 0; i < nsel[1]; i++)
			vpm_camera_override(&s->cameras[i], raw, given);
	}
	st->panels = s->panels;
	st->n_panels = nsel[0];
	st->cameras = s->cameras;
	st->n_cameras = nsel[1];
	st->lenses = s->lenses;
	st->n_lenses = nsel[2];

	/* the study as flags, in one fixed order: the CSV's first line */
	if (o->sel[0])
		sb_names(&s->desc, "panels", sel[0], nsel[0], VPM_CATALOG_PANELS);
	if (o->sel[1])
		sb_names(&s->desc, "cameras", sel[1], nsel[1], VPM_CATALOG_CAMERAS);
	if (o->sel[2])
		sb_names(&s->desc, "lenses", sel[2], nsel[2], VPM_CATALOG_LENSES);
	if (GIVEN(o, OPT_PITCH))
		sb_num(&s->desc, "pitch", raw->pitch_mm);
	if (GIVEN(o, OPT_EMITTER))
		sb_num(&s->desc, "emitter", raw->emitter_mm);
	if (GIVEN(o, OPT_PHOTOSITE))
		sb_num(&s->desc, "photosite", raw->photosite_um);
	if (GIVEN(o, OPT_WIDTH_PX))
		sb_num(&s->desc, "width-px", raw->width_px);
	if (GIVEN(o, OPT_OLPF))
		sb_num(&s->desc, "olpf", raw->olpf_um);
	if (GIVEN(o, OPT_FILL))
		sb_num(&s->desc, "fill", raw->fill);
	if (GIVEN(o, OPT_CFA))
		sb_flag(&s->desc, "cfa", raw->cfa == VPM_CFA_MONO ? "mono" : "bayer");
	if (GIVEN(o, OPT_COC))
		sb_num(&s->desc, "coc", raw->coc_mm);
	if (GIVEN(o, OPT_FOCAL))
		sb_num(&s->desc, "focal", raw->focal_mm);
	sb_flag(&s->desc, "stop", o->stop.text ? o->stop.text : "2.8");
	sb_flag(&s->desc, "wall", o->wall.text);
	if (rule == RULE_FIXED) {
		sb_flag(&s->desc, "focus", o->focus.text);
	} else {
		sb_flag(&s->desc, "focus-rule",
			o->focus_rule_text ? o->focus_rule_text : "subject");
		if (rule != RULE_WALL) {
			sb_flag(&s->desc, "subject-gap", o->gap.text ? o->gap.text : "5ft");
			sb_num(&s->desc, "subject-depth", o->subject_depth_m);
		}
	}
	if (o->roll.text)
		sb_flag(&s->desc, "roll", o->roll.text);
	else
		sb_num(&s->desc, "roll", raw->roll_deg);
	sb_flag(&s->desc, "recording-px", o->recording.text ? o->recording.text : "none");
	sb_flag(&s->desc, "delivery-px", o->delivery.text ? o->delivery.text : "none");
	sb_num(&s->desc, "tolerance", raw->tolerance);
	sb_flag(&s->desc, "model", vpm_model_name(raw->model));
	sb_flag(&s->desc, "chroma-weight", vpm_chroma_name(raw->chroma));
	sb_flag(&s->desc, "viewing", vpm_viewing_name(raw->viewing));
	sb_flag(&s->desc, "resample", vpm_resample_name(raw->resample));
	sb_flag(&s->desc, "band", vpm_band_name(raw->band));
	if (raw->pupil_edge >= 0.0)
		sb_num(&s->desc, "pupil-edge", raw->pupil_edge);
	if (raw->content_contrast > 0.0)
		sb_num(&s->desc, "content", raw->content_contrast);
	sb_num(&s->desc, "aspect", raw->aspect);
	sb_num(&s->desc, "view-heights", raw->view_heights);
	sb_num(&s->desc, "luminance", raw->luminance_cd_m2);
	sb_num(&s->desc, "gain", raw->grade_gain);
	sb_num(&s->desc, "caution-at", raw->caution_at);
	sb_num(&s->desc, "risky-at", raw->risky_at);
	for (k = 0; k < o->cs.catalogs.n; k++)
		sb_flag(&s->desc, "catalog", o->cs.catalogs.files[k]);
	if (s->desc.oom) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	st->description = s->desc.s;
out:
	for (k = 0; k < 3; k++)
		free((void *)sel[k]);
	return rc;
}

/* ------------------------------------------------------------ engine */

/* Set-ups are evaluated in blocks (one thread each, its own workspace),
 * blocks in batches; a batch's rows are written in order before the next
 * one starts, so memory stays bounded whatever the study's size. */
typedef struct {
	const vpm_sweep_t *sw;
	vpm_sweep_shard_t shard;
	int jobs;
	size_t block_rows, nblocks, block_cap;
	vpm_predict_workspace_t **ws;
	char *buf;
	size_t *len;
	vpm_status_t *st;
	char (*msg)[256];
	char err[256];
} engine_t;

static void engine_free(engine_t *e)
{
	int t;

	if (e->ws != NULL)
		for (t = 0; t < e->jobs; t++)
			vpm_predict_workspace_free(e->ws[t]);
	free(e->ws);
	free(e->buf);
	free(e->len);
	free(e->st);
	free(e->msg);
	memset(e, 0, sizeof *e);
}

static int engine_init(engine_t *e, const vpm_sweep_t *sw, vpm_sweep_shard_t shard, int jobs,
		       size_t block_rows, size_t nblocks)
{
	int t;

	memset(e, 0, sizeof *e);
	e->sw = sw;
	e->shard = shard;
	e->jobs = jobs;
	e->block_rows = block_rows;
	e->nblocks = nblocks;
	e->block_cap = block_rows * vpm_sweep_row_max(sw);
	e->ws = calloc((size_t)jobs, sizeof *e->ws);
	e->buf = malloc(nblocks * e->block_cap);
	e->len = calloc(nblocks, sizeof *e->len);
	e->st = calloc(nblocks, sizeof *e->st);
	e->msg = calloc(nblocks, sizeof *e->msg);
	if (e->ws == NULL || e->buf == NULL || e->len == NULL || e->st == NULL || e->msg == NULL) {
		engine_free(e);
		return -1;
	}
	for (t = 0; t < jobs; t++)
		if ((e->ws[t] = vpm_predict_workspace_alloc()) == NULL) {
			engine_free(e);
			return -1;
		}
	return 0;
}

/* Local rows [first, first + n) into e->buf, contiguous; *out bytes. */
static vpm_status_t engine_batch(engine_t *e, uint64_t first, uint64_t n, size_t *out)
{
	long nb = (long)((n + e->block_rows - 1) / e->block_rows), b;
	size_t at = 0;

	*out = 0;
#ifdef _OPENMP
#pragma omp parallel for schedule(dynamic, 1) num_threads(e->jobs)
#endif
	for (b = 0; b < nb; b++) {
#ifdef _OPENMP
		int t = omp_get_thread_num();
#else
		int t = 0;
#endif
		uint64_t f = first + (uint64_t)b * e->block_rows;
		uint64_t c = first + n - f < e->block_rows ? first + n - f : e->block_rows;
		e->st[b] = vpm_sweep_rows(e->sw, e->shard, f, c, e->ws[t],
					  e->buf + (size_t)b * e->block_cap, e->block_cap,
					  &e->len[b]);
		if (e->st[b] != VPM_OK)
			snprintf(e->msg[b], sizeof e->msg[b], "%s", vpm_error_message());
	}
	for (b = 0; b < nb; b++) {
		if (e->st[b] != VPM_OK) {
			snprintf(e->err, sizeof e->err, "%s", e->msg[b]);
			return e->st[b];
		}
		memmove(e->buf + at, e->buf + (size_t)b * e->block_cap, e->len[b]);
		at += e->len[b];
	}
	*out = at;
	return VPM_OK;
}

/* ------------------------------------------------------------ progress */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void fmt_duration(double s, char *buf, size_t size)
{
	if (!isfinite(s) || s < 0)
		snprintf(buf, size, "?");
	else if (s < 100)
		snprintf(buf, size, "%.1f s", s);
	else {
		long t = (long)(s + 0.5);
		if (t >= 3600)
			snprintf(buf, size, "%ldh%02ldm%02lds", t / 3600, t / 60 % 60, t % 60);
		else
			snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
	}
}

static void fmt_bytes(double b, char *buf, size_t size)
{
	if (b < 1e3)
		snprintf(buf, size, "%.0f bytes", b);
	else if (b < 1e6)
		snprintf(buf, size, "%.1f kB", b / 1e3);
	else if (b < 1e9)
		snprintf(buf, size, "%.1f MB", b / 1e6);
	else
		snprintf(buf, size, "%.2f GB", b / 1e9);
}

typedef struct {
	int on, tty;
	double t0, last;
	uint64_t start_rows, total;
} progress_t;

static void progress(progress_t *p, uint64_t rows, int final)
{
	double t = now_s(), el = t - p->t0, rate, eta;
	double frac = p->total ? (double)rows / (double)p->total : 1.0;
	char etab[32];

	if (!p->on)
		return;
	if (!final && t - p->last < (p->tty ? 0.1 : 5.0))
		return;
	p->last = t;
	rate = el > 0 ? (double)(rows - p->start_rows) / el : 0.0;
	eta = rate > 0 ? (double)(p->total - rows) / rate : NAN;
	fmt_duration(eta, etab, sizeof etab);
	if (p->tty) {
		char bar[31];
		int i, fill = (int)(frac * 30.0);
		for (i = 0; i < 30; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[30] = '\0';
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
	uint64_t nlocal = vpm_sweep_shard_rows(total, o->shard), nsample, k;
	vpm_predict_workspace_t *ws;
	char *row, tb[32], bb[32];
	size_t len, rowmax = vpm_sweep_row_max(sw), headlen;
	double bytes = 0.0, t0, el, per;
	int threads = o->jobs * g_ranks;

	vpm_sweep_dims(sw, dims);
	printf("set-ups: %" PRIu64 " (%" PRIu64 " panels x %" PRIu64 " cameras x %" PRIu64
	       " lens-stops x %" PRIu64 " walls x %" PRIu64 " gaps or focus x %" PRIu64
	       " rolls x %" PRIu64 " recording x %" PRIu64 " delivery)\n",
	       total, dims[0], dims[1], dims[2], dims[3], dims[4], dims[5], dims[6], dims[7]);
	if (o->shard.count > 1)
		printf("shard %" PRIu64 "/%" PRIu64 ": %" PRIu64 " set-ups\n", o->shard.index,
		       o->shard.count, nlocal);
	headlen = vpm_sweep_comment(sw, NULL, 0) + strlen(vpm_sweep_header()) +
		  (o->shard.count > 1 ? 24 : 0);
	nsample = nlocal < 300 ? nlocal : 300;
	if (nsample == 0) {
		printf("estimated time: 0 s\nestimated output: %zu bytes\n", headlen);
		return EXIT_OK;
	}
	ws = vpm_predict_workspace_alloc();
	row = malloc(rowmax);
	if (ws == NULL || row == NULL) {
		vpm_predict_workspace_free(ws);
		free(row);
		return cli_fail(EXIT_RUNTIME, "out of memory");
	}
	/* set-ups spread evenly over the study: near and far walls differ in cost */
	t0 = now_s();
	for (k = 0; k < nsample; k++) {
		uint64_t r = (uint64_t)((double)k * (double)nlocal / (double)nsample);
		vpm_status_t st = vpm_sweep_row(sw, vpm_sweep_shard_index(o->shard, r), ws, row,
						rowmax, &len);
		if (st != VPM_OK) {
			vpm_predict_workspace_free(ws);
			free(row);
			return cli_fail_status(st, NULL);
		}
		bytes += (double)len;
	}
	el = now_s() - t0;
	per = el / (double)nsample;
	fmt_duration(per * (double)nlocal / threads, tb, sizeof tb);
	printf("estimated time: %s with %d thread%s (%.0f set-ups/s per thread, timed on %" PRIu64
	       " set-ups)\n",
	       tb, threads, threads == 1 ? "" : "s", per > 0 ? 1.0 / per : 0.0, nsample);
	fmt_bytes((double)headlen + bytes / (double)nsample * (double)nlocal, bb, sizeof bb);
	printf("estimated output: %s (%.0f bytes per row)\n", bb, bytes / (double)nsample);
	vpm_predict_workspace_free(ws);
	free(row);
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
	engine_t eng;
	progress_t prog;
	vpm_status_t st = VPM_OK;
	int ok = 1, rc = EXIT_OK, stopped = 0, failed_rank = 0;
	/* back-of-dof set-ups cost a few hundred evaluations each: small blocks */
	size_t block_rows = o->focus_rule_text != NULL &&
					    strcmp(o->focus_rule_text, "back-of-dof") == 0
				    ? 2
				    : 64;
	/* many blocks per batch: the threads wait for the slowest block at the
	 * end of each batch, so 16 per thread keep that wait near 1/16 block */
	size_t nblocks = (size_t)(16 * o->jobs) < 32 ? 32 : (size_t)(16 * o->jobs);
	double last_ckpt, t_start;
	uint64_t ctl[2];
	char errmsg[512] = "";

	/* every rank uses rank 0's batch size, so that all agree on the split */
	batch_rows = (uint64_t)(nblocks * block_rows);
#ifdef HAVE_MPI
	if (g_mpi)
		MPI_Bcast(&batch_rows, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD);
#endif
	nblocks = (size_t)((batch_rows + block_rows - 1) / block_rows);
	if (engine_init(&eng, sw, o->shard, o->jobs, block_rows, nblocks) != 0)
		ok = 0;
#ifdef HAVE_MPI
	if (g_mpi) {
		int all;
		MPI_Allreduce(&ok, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
		if (!all && ok) {
			engine_free(&eng);
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
		engine_free(&eng);
		return rc != EXIT_OK ? rc : EXIT_RUNTIME;
	}
	done = ctl[1];

	memset(&prog, 0, sizeof prog);
	prog.on = g_rank == 0 && !o->quiet;
	prog.tty = cli_stderr_is_tty();
	prog.t0 = t_start = last_ckpt = now_s();
	prog.last = prog.tty ? 0.0 : prog.t0;
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
		st = n > 0 ? engine_batch(&eng, first, n, &len) : VPM_OK;
		if (g_rank == 0) {
			int k;
			if (st != VPM_OK) {
				snprintf(errmsg, sizeof errmsg, "%s", eng.err);
				failed_rank = 1;
			} else {
				st = vpm_sweep_output_write(out, eng.buf, len, n);
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
					MPI_Recv(eng.buf, (int)h.len, MPI_BYTE, k, 2,
						 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
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
				st = vpm_sweep_output_write(out, eng.buf, (size_t)h.len, kn);
				if (st != VPM_OK)
					snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
#endif
			}
			if (st == VPM_OK && (g_stop || now_s() - last_ckpt >= o->checkpoint_s)) {
				st = vpm_sweep_output_checkpoint(out);
				if (st != VPM_OK)
					snprintf(errmsg, sizeof errmsg, "%s", vpm_error_message());
				last_ckpt = now_s();
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
				snprintf(h.msg, sizeof h.msg, "%s", eng.err);
			MPI_Send(&h, (int)sizeof h, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
			if (h.len > 0)
				MPI_Send(eng.buf, (int)h.len, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
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
	engine_free(&eng);
	if (g_rank != 0)
		return EXIT_OK;

	if (st != VPM_OK) {
		/* the last checkpoint stays: nothing written before it is lost */
		int direct = strcmp(o->output, "-") == 0;
		vpm_sweep_output_close(out);
		if (prog.on && prog.tty)
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
		if (prog.on && prog.tty)
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
		double el = now_s() - t_start;
		char tb[32];
		fmt_duration(el, tb, sizeof tb);
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
	args_t a;
	opts_t o;
	study_t s;
	vpm_catalog_t *cat = NULL;
	vpm_sweep_t *sw = NULL;
	vpm_status_t st;
	int rc, k;

	memset(&s, 0, sizeof s);
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
	if ((rc = build_study(&o, cat, &s)) != 0)
		goto out;
	st = vpm_sweep_alloc(&s.study, &sw);
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
	study_free(&s);
	vpm_catalog_free(cat);
	for (k = 0; k < 3; k++)
		free(o.sel[k]);
	args_free(&a);
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
