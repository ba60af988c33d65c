/* The sweep driver as a library user runs it (vpm_sweep_run()): the CSV of
 * `vpmoire sweep`, byte for byte, its progress, a stop request that leaves
 * a resumable output, two ranks over a transport, and the flags, study
 * files and --count forecast the command hands over to the library. */
#include <config.h>

#include <criterion/criterion.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/study.h"
#include "vpmoire/sweep.h"

TestSuite(sweep_run, .fini = tu_cleanup_tmpdir);

/* 15 panels x 2 stops x 69 walls = 2070 set-ups: two batches of 2048 rows
 * on one or two threads. */
#define CAMERA "bmd-ursa-mini-pro-4.6k-g2"
#define LENS "zeiss-cp3-28"
#define WALLS "2m:8.8m:0.1m"
#define STUDY_FLAGS \
	"--panels all --cameras " CAMERA " --lenses " LENS " --stop 2.8,4 --wall " WALLS " -j 2"
#define ROWS 2070

/* A built study and its sweep, from flag names and values. */
typedef struct {
	vpm_catalog_t *cat;
	vpm_study_spec_t spec;
	vpm_study_t *study;
	vpm_sweep_t *sw;
} study_t;

static void study_open(study_t *s, const char *const *flags)
{
	char dir[4096];
	size_t i;

	memset(s, 0, sizeof *s);
	s->cat = vpm_catalog_alloc();
	cr_assert_not_null(s->cat);
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(s->cat, dir), VPM_OK, "%s", vpm_error_message());
	s->spec = vpm_study_spec_default();
	for (i = 0; flags[i] != NULL; i += 2) {
		vpm_study_flag_t f = { flags[i + 1], NULL };
		cr_assert_eq(vpm_study_spec_set(&s->spec, flags[i], f), VPM_OK, "%s",
			     vpm_error_message());
	}
	cr_assert_eq(vpm_study_build(&s->spec, s->cat, &s->study), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_sweep_alloc(vpm_study_sweep(s->study), &s->sw), VPM_OK, "%s",
		     vpm_error_message());
}

static void study_close(study_t *s)
{
	vpm_sweep_free(s->sw);
	vpm_study_free(s->study);
	vpm_study_spec_free(&s->spec);
	vpm_catalog_free(s->cat);
}

static const char *const study_flags[] = { "panels", "all",   "cameras", CAMERA, "lenses", LENS,
					   "stop",   "2.8,4", "wall",	 WALLS,	 NULL };

/* What the progress callback saw; it may ask to stop after `stop_after`
 * batches. */
typedef struct {
	int begin, batch, end;
	vpm_sweep_progress_t last, at_begin;
	int monotonic;
	int stop_after;
	volatile sig_atomic_t stop;
} seen_t;

static void on_progress(void *ctx, vpm_sweep_run_event_t ev, const vpm_sweep_progress_t *p)
{
	seen_t *s = ctx;

	if (s->batch + s->end > 0 && p->done < s->last.done)
		s->monotonic = 0;
	s->last = *p;
	if (ev == VPM_SWEEP_RUN_BEGIN) {
		s->begin++;
		s->at_begin = *p;
	} else if (ev == VPM_SWEEP_RUN_BATCH) {
		if (++s->batch == s->stop_after)
			s->stop = 1;
	} else {
		s->end++;
	}
}

static vpm_sweep_run_opts_t run_opts(const char *out, seen_t *seen)
{
	vpm_sweep_run_opts_t o = vpm_sweep_run_opts_default();

	memset(seen, 0, sizeof *seen);
	seen->monotonic = 1;
	o.output = out;
	o.jobs = 2;
	o.progress = on_progress;
	o.ctx = seen;
	o.stop = &seen->stop;
	return o;
}

static void same_bytes(const char *a, const char *b)
{
	char *x = tu_slurp(a), *y = tu_slurp(b);

	cr_assert_not_null(x, "%s missing", a);
	cr_assert_not_null(y, "%s missing", b);
	cr_assert_eq(strlen(x), strlen(y), "%s and %s differ in length", a, b);
	cr_assert(strcmp(x, y) == 0, "%s and %s differ", a, b);
	free(x);
	free(y);
}

Test(sweep_run, writes_the_csv_of_the_command_with_its_progress)
{
	study_t s;
	seen_t seen;
	vpm_sweep_run_opts_t o;
	vpm_sweep_progress_t res;
	tu_run_t r = tu_vpmoire("sweep " STUDY_FLAGS " -q -o cli.csv");
	char *csv;

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	study_open(&s, study_flags);
	cr_assert_eq(vpm_sweep_count(s.sw), ROWS);
	o = run_opts(tu_tmp("lib.csv"), &seen);
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_eq(vpm_error_message(), "");
	same_bytes(tu_tmp("cli.csv"), tu_tmp("lib.csv"));
	csv = tu_slurp(tu_tmp("lib.csv"));
	cr_assert_eq(tu_lines(csv), 2 + ROWS);
	free(csv);
	cr_assert(!tu_exists(tu_tmp(".lib.csv.partial")) && !tu_exists(tu_tmp(".lib.csv.ckpt")));
	/* done of total, nothing resumed or stopped */
	cr_assert_eq(res.total, ROWS);
	cr_assert_eq(res.done, ROWS);
	cr_assert_eq(res.first, 0);
	cr_assert(res.opened && !res.resumed && !res.stopped);
	/* one start, a report per batch of 2048 rows, one end */
	cr_assert_eq(seen.begin, 1);
	cr_assert_eq(seen.at_begin.done, 0);
	cr_assert_eq(seen.at_begin.total, ROWS);
	cr_assert_eq(seen.batch, 2);
	cr_assert_eq(seen.end, 1);
	cr_assert_eq(seen.last.done, ROWS);
	cr_assert(seen.monotonic);
	study_close(&s);
}

Test(sweep_run, a_stop_request_leaves_an_output_that_resumes_to_the_same_bytes)
{
	study_t s;
	seen_t seen;
	vpm_sweep_run_opts_t o;
	vpm_sweep_progress_t res;

	study_open(&s, study_flags);
	o = run_opts(tu_tmp("whole.csv"), &seen);
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());

	/* stop after the first batch: its rows are checkpointed, no final file */
	o = run_opts(tu_tmp("cut.csv"), &seen);
	seen.stop_after = 1;
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert(res.stopped && res.opened);
	cr_assert_eq(res.done, 2048);
	cr_assert_eq(res.total, ROWS);
	cr_assert_eq(seen.batch, 1);
	cr_assert_eq(seen.end, 0);
	cr_assert(!tu_exists(tu_tmp("cut.csv")));
	cr_assert(tu_exists(tu_tmp(".cut.csv.partial")) && tu_exists(tu_tmp(".cut.csv.ckpt")));

	/* starting afresh over it is refused before anything is computed */
	o = run_opts(tu_tmp("cut.csv"), &seen);
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "add --resume") != NULL, "%s", vpm_error_message());
	cr_assert(!res.opened);
	cr_assert_eq(seen.begin, 0);

	/* resumed: the rest only, and the very bytes of the whole run */
	o = run_opts(tu_tmp("cut.csv"), &seen);
	o.resume = 1;
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert(res.resumed && !res.stopped);
	cr_assert_eq(res.first, 2048);
	cr_assert_eq(res.done, ROWS);
	cr_assert(seen.at_begin.resumed);
	cr_assert_eq(seen.at_begin.first, 2048);
	cr_assert_eq(seen.batch, 1);
	cr_assert_eq(seen.end, 1);
	same_bytes(tu_tmp("whole.csv"), tu_tmp("cut.csv"));
	cr_assert(!tu_exists(tu_tmp(".cut.csv.ckpt")));

	/* resuming the finished output again computes nothing */
	o = run_opts(tu_tmp("cut.csv"), &seen);
	o.resume = 1;
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert(res.resumed);
	cr_assert_eq(res.first, ROWS);
	cr_assert_eq(seen.batch + seen.end, 0);
	same_bytes(tu_tmp("whole.csv"), tu_tmp("cut.csv"));
	study_close(&s);
}

Test(sweep_run, a_shard_equals_the_command_shard)
{
	study_t s;
	seen_t seen;
	vpm_sweep_run_opts_t o;
	vpm_sweep_progress_t res;
	tu_run_t r = tu_vpmoire("sweep " STUDY_FLAGS " --shard 2/3 -q -o cli-shard.csv");

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	study_open(&s, study_flags);
	o = run_opts(tu_tmp("lib-shard.csv"), &seen);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "shard", "2/3", NULL), VPM_OK);
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(res.total, ROWS / 3);
	cr_assert_eq(seen.batch, 1);
	same_bytes(tu_tmp("cli-shard.csv"), tu_tmp("lib-shard.csv"));
	study_close(&s);
}

/* ------------------------------------------------------------ two ranks */

/* Two ranks in one process: a FIFO of messages to each rank. */
typedef struct msg {
	struct msg *next;
	size_t len;
	char data[];
} msg_t;

typedef struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	msg_t *head[2], *tail[2];
	int calls[2]; /* transport calls per rank */
} wire_t;

typedef struct {
	wire_t *w;
	int rank;
} end_t;

static void wire_put(wire_t *w, int to, const void *a, size_t na, const void *b, size_t nb)
{
	msg_t *m = malloc(sizeof *m + na + nb);

	if (m == NULL)
		abort();
	m->next = NULL;
	m->len = na + nb;
	memcpy(m->data, a, na);
	if (nb > 0)
		memcpy(m->data + na, b, nb);
	pthread_mutex_lock(&w->mu);
	if (w->tail[to] != NULL)
		w->tail[to]->next = m;
	else
		w->head[to] = m;
	w->tail[to] = m;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
}

static msg_t *wire_get(wire_t *w, int me)
{
	msg_t *m;

	pthread_mutex_lock(&w->mu);
	while (w->head[me] == NULL)
		pthread_cond_wait(&w->cv, &w->mu);
	m = w->head[me];
	w->head[me] = m->next;
	if (w->head[me] == NULL)
		w->tail[me] = NULL;
	pthread_mutex_unlock(&w->mu);
	return m;
}

static void t_bcast(void *ctx, uint64_t *v, int n)
{
	end_t *e = ctx;

	e->w->calls[e->rank]++;
	if (e->rank == 0) {
		wire_put(e->w, 1, v, (size_t)n * sizeof *v, NULL, 0);
	} else {
		msg_t *m = wire_get(e->w, 1);
		memcpy(v, m->data, (size_t)n * sizeof *v);
		free(m);
	}
}

static int t_all_min(void *ctx, int v)
{
	end_t *e = ctx;
	msg_t *m;
	int other;

	e->w->calls[e->rank]++;
	wire_put(e->w, 1 - e->rank, &v, sizeof v, NULL, 0);
	m = wire_get(e->w, e->rank);
	memcpy(&other, m->data, sizeof other);
	free(m);
	return other < v ? other : v;
}

static void t_send(void *ctx, const vpm_sweep_part_t *part, const char *rows)
{
	end_t *e = ctx;

	e->w->calls[e->rank]++;
	wire_put(e->w, 0, part, sizeof *part, rows, part->len > 0 ? (size_t)part->len : 0);
}

static void t_recv(void *ctx, int from, vpm_sweep_part_t *part, char *rows)
{
	end_t *e = ctx;
	msg_t *m = wire_get(e->w, 0);

	(void)from;
	e->w->calls[e->rank]++;
	memcpy(part, m->data, sizeof *part);
	if (part->len > 0)
		memcpy(rows, m->data + sizeof *part, (size_t)part->len);
	free(m);
}

typedef struct {
	const vpm_sweep_t *sw;
	vpm_sweep_run_opts_t o;
	vpm_sweep_progress_t res;
	vpm_status_t st;
} rank_run_t;

static void *rank_main(void *arg)
{
	rank_run_t *r = arg;

	r->st = vpm_sweep_run(r->sw, &r->o, &r->res);
	return NULL;
}

Test(sweep_run, two_ranks_over_a_transport_write_the_single_process_bytes)
{
	study_t s;
	seen_t seen;
	wire_t w;
	end_t e0 = { &w, 0 }, e1 = { &w, 1 };
	vpm_sweep_transport_t t0 = { 0, 2, &e0, t_bcast, t_all_min, t_send, t_recv };
	vpm_sweep_transport_t t1 = { 1, 2, &e1, t_bcast, t_all_min, t_send, t_recv };
	rank_run_t r1;
	vpm_sweep_run_opts_t o;
	vpm_sweep_progress_t res;
	pthread_t th;
	vpm_status_t st;

	memset(&w, 0, sizeof w);
	pthread_mutex_init(&w.mu, NULL);
	pthread_cond_init(&w.cv, NULL);
	study_open(&s, study_flags);
	o = run_opts(tu_tmp("one.csv"), &seen);
	o.jobs = 1;
	cr_assert_eq(vpm_sweep_run(s.sw, &o, &res), VPM_OK, "%s", vpm_error_message());

	memset(&r1, 0, sizeof r1);
	r1.sw = s.sw;
	r1.o = vpm_sweep_run_opts_default();
	r1.o.transport = &t1;
	cr_assert_eq(pthread_create(&th, NULL, rank_main, &r1), 0);
	o = run_opts(tu_tmp("two.csv"), &seen);
	o.jobs = 1;
	o.transport = &t0;
	st = vpm_sweep_run(s.sw, &o, &res);
	pthread_join(th, NULL);
	cr_assert_eq(st, VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(r1.st, VPM_OK);
	same_bytes(tu_tmp("one.csv"), tu_tmp("two.csv"));
	cr_assert_eq(res.done, ROWS);
	/* rank 1 computed the second batch: one round, one report */
	cr_assert_eq(seen.batch, 1);
	cr_assert(w.calls[1] > 0 && w.calls[0] > 0);
	cr_assert(w.head[0] == NULL && w.head[1] == NULL, "messages left over");
	study_close(&s);
}

/* ------------------------------------------------------------ flags */

Test(sweep_run, run_flags_are_read_as_the_command_reads_them)
{
	vpm_sweep_run_opts_t o = vpm_sweep_run_opts_default();

	cr_assert_str_eq(o.output, "-");
	cr_assert_eq(o.shard.count, 1);
	cr_assert_eq(o.jobs, 1);
	cr_assert_float_eq(o.checkpoint_s, 1.0, 0.0);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "output", "x.csv", NULL), VPM_OK);
	cr_assert_str_eq(o.output, "x.csv");
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "resume", NULL, NULL), VPM_OK);
	cr_assert_eq(o.resume, 1);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "jobs", "12", NULL), VPM_OK);
	cr_assert_eq(o.jobs, 12);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "shard", "3/16", NULL), VPM_OK);
	cr_assert_eq(o.shard.index, 3);
	cr_assert_eq(o.shard.count, 16);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "checkpoint", "30", NULL), VPM_OK);
	cr_assert_float_eq(o.checkpoint_s, 30.0, 0.0);

	cr_assert_eq(vpm_sweep_run_opts_set(&o, "jobs", "5000", "s.args:2:8"), VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(), "s.args:2:8: --jobs: '5000': must be at most 4096");
	cr_assert_eq(o.jobs, 12);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "checkpoint", "-1", NULL), VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(),
			 "--checkpoint: expected seconds between checkpoints, 0 to 86400");
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "shard", "2/2", NULL), VPM_ERANGE);
	cr_assert(strncmp(vpm_error_message(), "--shard: '2/2'", 14) == 0, "%s",
		  vpm_error_message());
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "jobs", NULL, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_sweep_run_opts_set(&o, "wall", "3m", NULL), VPM_ENOTFOUND);

	cr_assert_eq(vpm_sweep_jobs(3), 3);
	cr_assert_geq(vpm_sweep_jobs(0), 1);
}

Test(sweep_run, study_flags_add_up_selections_and_check_the_limit)
{
	vpm_study_spec_t s = vpm_study_spec_default();
	vpm_study_flag_t a = { "roe-*", NULL }, b = { "aoto-rm1.5", "f:1:9" };

	cr_assert_eq(vpm_study_spec_set(&s, "panels", a), VPM_OK);
	cr_assert_eq(vpm_study_spec_set(&s, "panel", b), VPM_OK);
	cr_assert_str_eq(s.panels, "roe-*,aoto-rm1.5");
	cr_assert_null(s.cameras);
	cr_assert_eq(vpm_study_spec_set(&s, "lens", b), VPM_OK);
	cr_assert_str_eq(s.lenses, "aoto-rm1.5");
	cr_assert_eq(vpm_study_spec_set(&s, "wall", a), VPM_OK);
	cr_assert_eq(vpm_study_spec_set(&s, "wall", b), VPM_OK);
	cr_assert_str_eq(s.wall.text, "aoto-rm1.5");
	cr_assert_str_eq(s.wall.origin, "f:1:9");
	cr_assert_eq(vpm_study_spec_set(&s, "subject-gap", a), VPM_OK);
	cr_assert_str_eq(s.gap.text, "roe-*");

	b.text = "5e9";
	cr_assert_eq(vpm_study_spec_set(&s, "max-setups", b), VPM_OK);
	cr_assert_eq(s.max_setups, UINT64_C(5000000000));
	b.text = "1.5";
	cr_assert_eq(vpm_study_spec_set(&s, "max-setups", b), VPM_EPARSE);
	cr_assert_str_eq(vpm_error_message(),
			 "f:1:9: --max-setups: expected a whole number of set-ups, e.g. 5e9");
	b.text = "2e18";
	cr_assert_eq(vpm_study_spec_set(&s, "max-setups", b), VPM_EPARSE);
	cr_assert_eq(s.max_setups, UINT64_C(5000000000));
	cr_assert_eq(vpm_study_spec_set(&s, "jobs", b), VPM_ENOTFOUND);
	b.text = NULL;
	cr_assert_eq(vpm_study_spec_set(&s, "stop", b), VPM_EINVAL);

	vpm_study_spec_free(&s);
	cr_assert_null(s.panels);
	cr_assert_null(s.lenses);
	vpm_study_spec_free(&s);
}

Test(sweep_run, study_files_are_read_in_place_of_their_name)
{
	vpm_study_args_t a;
	char at[4200];
	char *argv[] = { "sweep", "-q", at, "--count", NULL };

	tu_write("s.args", "# a study\n--wall 2m:3m:1m\n--panels all\n");
	snprintf(at, sizeof at, "@%s", tu_tmp("s.args"));
	cr_assert_eq(vpm_study_args_expand(&a, 4, argv), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(a.argc, 7);
	cr_assert_str_eq(a.argv[2], "--wall");
	cr_assert_str_eq(a.argv[3], "2m:3m:1m");
	cr_assert_str_eq(a.argv[6], "--count");
	cr_assert_null(a.origin[1]);
	cr_assert(strstr(a.origin[3], "s.args:2:8") != NULL, "%s", a.origin[3]);
	cr_assert_null(a.argv[7]);
	vpm_study_args_free(&a);

	snprintf(at, sizeof at, "@%s", tu_tmp("missing.args"));
	cr_assert_eq(vpm_study_args_expand(&a, 4, argv), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(),
			 "missing.args: cannot read the study file: No such file") != NULL,
		  "%s", vpm_error_message());
	vpm_study_args_free(&a);

	snprintf(at, sizeof at, "@%s", tu_tmpdir());
	cr_assert_eq(vpm_study_args_expand(&a, 4, argv), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "is a directory, not a study file") != NULL);
	vpm_study_args_free(&a);

	/* "@" alone and the program name are arguments, not files */
	argv[0] = "@x";
	at[1] = '\0';
	cr_assert_eq(vpm_study_args_expand(&a, 4, argv), VPM_OK);
	cr_assert_eq(a.argc, 4);
	cr_assert_str_eq(a.argv[2], "@");
	vpm_study_args_free(&a);
}

Test(sweep_run, forecast_counts_the_study_and_its_shard)
{
	static const char *const flags[] = { "panels", "all",  "cameras",    CAMERA, "lenses",
					     LENS,     "wall", "2m:3m:0.5m", NULL };
	study_t s;
	vpm_sweep_forecast_t fc;
	vpm_sweep_shard_t sh = { 1, 4 };
	char buf[2048];
	FILE *fp;
	size_t n;

	study_open(&s, flags);
	cr_assert_eq(vpm_sweep_forecast(s.sw, sh, 4, &fc), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(fc.total, 45);
	cr_assert_eq(fc.dims[0], 15);
	cr_assert_eq(fc.dims[3], 3);
	cr_assert_eq(fc.rows, 11); /* 1, 5, ..., 41 */
	cr_assert_eq(fc.est.sampled, 11);
	cr_assert_gt(fc.est.bytes_per_row, 100.0);
	cr_assert_float_eq(fc.bytes, (double)fc.est.head_bytes + 11 * fc.est.bytes_per_row, 1e-6);
	cr_assert_float_eq(fc.seconds, fc.est.seconds_per_setup * 11 / 4, 1e-12);
	cr_assert_eq(vpm_sweep_forecast(s.sw, sh, 0, &fc), VPM_EINVAL);

	cr_assert_eq(vpm_sweep_forecast(s.sw, sh, 4, &fc), VPM_OK);
	fp = fmemopen(buf, sizeof buf, "w");
	cr_assert_not_null(fp);
	cr_assert_eq(vpm_sweep_forecast_write(fp, &fc), VPM_OK);
	fclose(fp);
	n = strlen("set-ups: 45 (15 panels x 1 cameras x 1 lens-stops x 3 walls x 1 gaps or "
		   "focus x 1 rolls x 1 recording x 1 delivery)\nshard 1/4: 11 set-ups\n"
		   "estimated time: ");
	cr_assert(strncmp(buf,
			  "set-ups: 45 (15 panels x 1 cameras x 1 lens-stops x 3 walls x 1 gaps or "
			  "focus x 1 rolls x 1 recording x 1 delivery)\nshard 1/4: 11 set-ups\n"
			  "estimated time: ",
			  n) == 0,
		  "%s", buf);
	cr_assert(strstr(buf, " with 4 threads (") && strstr(buf, "timed on 11 set-ups)\n"), "%s",
		  buf);
	cr_assert(strstr(buf, "\nestimated output: ") && strstr(buf, " bytes per row)\n"), "%s",
		  buf);
	study_close(&s);
}
