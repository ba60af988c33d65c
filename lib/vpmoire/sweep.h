/* vpmoire — research sweeps: one study, millions of set-ups, one CSV.
 *
 * A study is a set of catalog entries (panels, cameras, lenses), numeric
 * axes (stops, wall distances, subject gaps or focus distances, roll,
 * recording and delivery widths), a focus rule and the fixed viewer
 * settings.  Its set-ups are numbered 0 … count−1 in one fixed order, the
 * outermost axis first:
 *
 *   panel, camera, (lens, stop), wall, subject gap | focus, roll,
 *   recording width, delivery width  (the last varies fastest)
 *
 * so index → set-up is a pure function shared by every way of running a
 * sweep: OpenMP threads, MPI ranks, Slurm shards (set-up i belongs to shard
 * I of N when i mod N = I) and `vpmoire merge`.  Each set-up becomes one CSV
 * row: its own parameters, a status, then the SPEC §4 fields of
 * `vpmoire check --json`.  A set-up that is physically impossible (focus
 * closer than the lens can focus, a subject behind the wall, a stop the lens
 * does not have, ...) is still a row: its status names the reason and its
 * result cells are empty, so every index has exactly one row.
 *
 * The output side writes rows under a fixed temporary name beside the
 * destination (".NAME.partial") with a checkpoint (".NAME.ckpt": the study
 * hash, rows and bytes durably written) so that an interrupted sweep resumes
 * exactly where its last checkpoint left it; the file is renamed to NAME
 * when complete.
 *
 * The library never prints and never parses argv; the `vpmoire sweep` and
 * `vpmoire merge` commands do that.
 */
#ifndef VPMOIRE_SWEEP_H
#define VPMOIRE_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ axes */

/* What the values of an axis are. */
typedef enum {
	VPM_SWEEP_LENGTH_M = 0, /* stage distance: bare number metres, units accepted */
	VPM_SWEEP_STOP,		/* T-stop: 2.8, T2.8, f/2.8 */
	VPM_SWEEP_ANGLE_DEG,	/* degrees: 5, -2.5deg */
	VPM_SWEEP_PIXELS	/* whole pixels, or `none` (stored as 0) */
} vpm_sweep_kind_t;

/* One numeric axis: its values in the order given, and the text it was
 * parsed from (owned by the axis). */
typedef struct {
	double *values;
	size_t n;
	char *text;
} vpm_sweep_axis_t;

/* Most values one axis may hold (a resource bound, not physics). */
#define VPM_SWEEP_AXIS_MAX 10000000

/* Parse an axis: a comma-separated list of items, each a single value or a
 * range A:B:STEP (units on every part, e.g. `1.5m:8m:0.1m`, `5ft:8ft:6in`,
 * `2.8,4,5.6`, `-5:5:2.5`).  A range holds A, A+STEP, ... up to B inclusive
 * (B is kept when it lies within 1e-9 steps of the grid); values are rounded
 * to 12 significant digits so that the CSV shows what was computed.  Length
 * `flags` are those of vpm_units_parse_length() (ALLOW_ZERO, ALLOW_INF; an
 * infinite value is allowed only as a single item).  At most `max_values`
 * values (0 means VPM_SWEEP_AXIS_MAX).  On success *axis owns new memory
 * (release it with vpm_sweep_axis_free()).  VPM_EPARSE (malformed item, a
 * range without a step), VPM_ERANGE (zero or negative step, B below A, a
 * value out of range, too many values), VPM_ENOMEM, VPM_EINVAL (NULL). */
vpm_status_t vpm_sweep_axis_parse(const char *text, vpm_sweep_kind_t kind, unsigned flags,
				  size_t max_values, vpm_sweep_axis_t *axis);

/* Free an axis's memory and zero it; NULL and an empty axis are fine. */
void vpm_sweep_axis_free(vpm_sweep_axis_t *axis);

/* ------------------------------------------------------------ study */

/* Where focus is put for each set-up. */
typedef enum {
	/* focus on the subject: subject centre `gap` in front of the wall,
	 * focus = wall − gap (the reference micro stage: gap 5 ft) */
	VPM_SWEEP_FOCUS_SUBJECT = 0,
	/* the subject (centre wall − gap, depth `subject_depth_m`) kept inside
	 * the depth of field with the wall as soft as possible:
	 * vpm_plan_focus(); costs a few hundred predictions per set-up */
	VPM_SWEEP_FOCUS_BACK_OF_DOF,
	/* focus on the wall itself (the worst case for moiré) */
	VPM_SWEEP_FOCUS_WALL,
	/* focus distances given as an axis (`focus`), INFINITY allowed */
	VPM_SWEEP_FOCUS_FIXED
} vpm_sweep_focus_rule_t;

/* Which stops each lens is swept at. */
typedef enum {
	VPM_SWEEP_STOPS_LIST = 0,   /* the `stops` axis, the same for every lens */
	VPM_SWEEP_STOPS_LENS,	    /* the lens's widest stop (max_t), then every
				    * full stop 1.4, 2, 2.8, 4, 5.6, 8, 11, 16, 22
				    * narrower than it, to its min_t (22 when
				    * unknown) */
	VPM_SWEEP_STOPS_LENS_THIRDS /* max_t, then the third-stop series of
				     * vpm_plan_stop_series() down to min_t */
} vpm_sweep_stops_t;

/* A study as the caller describes it.  Entries are copied by value by
 * vpm_sweep_alloc(); the strings they point to (names) must outlive the
 * sweep.  An entry whose name is NULL is custom equipment (raw numbers) and
 * has an empty name cell.  A lens with max_t = 0 has no stop range. */
typedef struct {
	vpm_setup_t base; /* viewer, delivery, tolerance, thresholds, chroma;
			   * equipment, stop, distances, roll and pixel
			   * widths are set per set-up */
	const vpm_panel_t *panels;
	size_t n_panels;
	const vpm_camera_t *cameras;
	size_t n_cameras;
	const vpm_lens_t *lenses;
	size_t n_lenses;
	vpm_sweep_stops_t stop_mode;
	vpm_sweep_axis_t stops; /* VPM_SWEEP_STOPS_LIST */
	vpm_sweep_axis_t walls; /* camera to wall, m (required) */
	vpm_sweep_focus_rule_t focus_rule;
	vpm_sweep_axis_t gaps;	    /* SUBJECT / BACK_OF_DOF: subject centre in
				     * front of the wall, m (empty: 1.524 m) */
	double subject_depth_m;	    /* subject depth, centred on wall − gap */
	vpm_sweep_axis_t focus;	    /* FIXED: focus distances, m */
	vpm_sweep_axis_t rolls;	    /* degrees (empty: base.roll_deg) */
	vpm_sweep_axis_t recording; /* pixels, 0 = none (empty: base) */
	vpm_sweep_axis_t delivery;  /* pixels, 0 = none (empty: base) */
	const char *description;    /* the study as flags, written into the
				     * CSV's first line and hashed; one line */
	uint64_t max_setups;	    /* refuse bigger studies (0: 1e9) */
} vpm_sweep_study_t;

/* An empty study: default set-up, focus rule SUBJECT, stops from a list. */
vpm_sweep_study_t vpm_sweep_study_default(void);

typedef struct vpm_sweep vpm_sweep_t;

/* Check a study and prepare its index mapping (copies entries and axes).
 * VPM_EINVAL (no panels/cameras/lenses/walls, a lens stop mode on a custom
 * lens, an empty axis where one is required, a description with a line
 * break), VPM_ELIMIT (more set-ups than max_setups: the message gives the
 * count and how to shrink it), VPM_ENOMEM.  *out is NULL on failure. */
vpm_status_t vpm_sweep_alloc(const vpm_sweep_study_t *study, vpm_sweep_t **out);
void vpm_sweep_free(vpm_sweep_t *sweep); /* NULL is a no-op */

/* Number of set-ups; the study hash (FNV-1a 64 of the study's flags, the
 * values of its resolved catalog entries, the model version and options,
 * and the header: the same for every shard, rank and resumed run of a
 * study). */
uint64_t vpm_sweep_count(const vpm_sweep_t *sweep);
uint64_t vpm_sweep_hash(const vpm_sweep_t *sweep);

/* Axis lengths in index order (panel, camera, lens-stop pairs, wall,
 * gap/focus, roll, recording, delivery). */
#define VPM_SWEEP_DIMS 8
void vpm_sweep_dims(const vpm_sweep_t *sweep, uint64_t dims[VPM_SWEEP_DIMS]);

/* Why a set-up has no result (the CSV `status` cell). */
typedef enum {
	VPM_SWEEP_OK = 0,		 /* "ok" */
	VPM_SWEEP_STOP_OUTSIDE_LENS,	 /* "stop-outside-lens": wider than max_t or
				      * narrower than min_t of a catalog lens */
	VPM_SWEEP_SUBJECT_BEHIND_WALL,	 /* "subject-behind-wall" */
	VPM_SWEEP_SUBJECT_BEHIND_CAMERA, /* "subject-behind-camera" */
	VPM_SWEEP_FOCUS_TOO_CLOSE,	 /* "focus-too-close": within 4f, or closer than
				    * the catalog lens's close focus */
	VPM_SWEEP_DOF_TOO_SHALLOW,	 /* "dof-too-shallow": BACK_OF_DOF found no
				    * focus holding the whole subject */
	VPM_SWEEP_IMPOSSIBLE,		 /* "impossible-geometry": vpm_setup_validate()
				    * VPM_EGEOMETRY (e.g. wall within f) */
	VPM_SWEEP_OUT_OF_RANGE,		 /* "out-of-range": VPM_ERANGE */
	VPM_SWEEP_INVALID,		 /* "invalid": VPM_EINVAL */
	VPM_SWEEP_LIMIT			 /* "predictor-limit": VPM_ELIMIT (more LED
				    * harmonics than the predictor evaluates) */
} vpm_sweep_reason_t;

/* "ok", "stop-outside-lens", ... (never NULL). */
const char *vpm_sweep_reason_name(vpm_sweep_reason_t reason);

/* One set-up of the study, before evaluation. */
typedef struct {
	uint64_t index;
	size_t panel, camera, lens, wall, focus_axis, roll, recording, delivery; /* positions */
	vpm_setup_t setup; /* complete; for BACK_OF_DOF focus is the subject
			       * centre until evaluated */
	double stop, wall_m;
	double subject_gap_m;	   /* NAN without a subject */
	double subject_m;	   /* subject centre from the sensor, NAN without */
	double focus_m;		   /* NAN until evaluated under BACK_OF_DOF */
	vpm_sweep_reason_t reason; /* known before evaluation; OK otherwise */
} vpm_sweep_point_t;

/* The set-up with number `index` (< vpm_sweep_count()).  VPM_EINVAL when
 * out of range.  No allocation. */
vpm_status_t vpm_sweep_point(const vpm_sweep_t *sweep, uint64_t index, vpm_sweep_point_t *pt);

/* Bytes one CSV row can take at most, newline included. */
size_t vpm_sweep_row_max(const vpm_sweep_t *sweep);

/* The CSV header line (with '\n'): parameter columns
 *   panel,pitch_mm,camera,lens,focal_mm,stop,wall_m,subject_gap_m,
 *   subject_m,focus_m,roll_deg,recording_px,delivery_px,status
 * then the SPEC §4 fields magnification … risk.  Static, never NULL. */
const char *vpm_sweep_header(void);

/* The first CSV line (with '\n'):
 *   "# vpmoire VERSION sweep (COUNT set-ups; catalog C; model M): DESCRIPTION"
 * where C and M are 16 hex digits identifying the study beyond its flags:
 * C the values of the resolved catalog entries (every value that changes
 * a row: pitch, emitter, photosite, focal length, stops, MTF, ...), M the
 * model (vpmoire's version and the base set-up's model and viewer
 * options).  Returns its length (excluding NUL), truncated to size like
 * snprintf. */
size_t vpm_sweep_comment(const vpm_sweep_t *sweep, char *buf, size_t size);

/* Read COUNT back from such a line (also from one of an older vpmoire,
 * without the identity).  VPM_EPARSE when it is not one. */
vpm_status_t vpm_sweep_comment_parse(const char *line, uint64_t *count);

/* Compare the first lines of two sweep outputs: NULL when they are of one
 * study, else what differs, as a short phrase for a message: "vpmoire
 * versions differ", "catalog values differ", "model options differ",
 * "flags differ", "set-up counts differ", "first lines differ". */
const char *vpm_sweep_comment_differs(const char *a, const char *b);

/* The parts of a study's identity (vpm_sweep_hash() combines them with the
 * header): flags (description and resolved axes), catalog values, model. */
uint64_t vpm_sweep_id_flags(const vpm_sweep_t *sweep);
uint64_t vpm_sweep_id_catalog(const vpm_sweep_t *sweep);
uint64_t vpm_sweep_id_model(const vpm_sweep_t *sweep);

/* Evaluate set-up `index` and format its CSV row (with '\n') into buf,
 * which must hold vpm_sweep_row_max() bytes; *len receives its length.
 * Numbers are printed "%.10g" (0 as "0"), infinite or absent values as
 * empty cells.  Uses `ws` only (no allocation): thread-safe with one
 * workspace per thread.  An impossible set-up is a row with a status, not
 * an error; errors are VPM_EINVAL (bad index, small buffer), VPM_ENOMEM and
 * VPM_EINTERNAL from the predictor. */
vpm_status_t vpm_sweep_row(const vpm_sweep_t *sweep, uint64_t index, vpm_predict_workspace_t *ws,
			   char *buf, size_t size, size_t *len);

/* ------------------------------------------------------------ shards */

/* Part `index` of `count` interleaved parts: set-ups i with
 * i mod count = index.  {0, 1} is the whole study. */
typedef struct {
	uint64_t index, count;
} vpm_sweep_shard_t;

/* Parse "I/N" (0 ≤ I < N ≤ 1e6).  VPM_EPARSE / VPM_ERANGE. */
vpm_status_t vpm_sweep_shard_parse(const char *text, vpm_sweep_shard_t *shard);

/* Rows of a shard of a study of `total` set-ups, and the study index of
 * its local row r (r-th set-up of the shard). */
uint64_t vpm_sweep_shard_rows(uint64_t total, vpm_sweep_shard_t shard);
uint64_t vpm_sweep_shard_index(vpm_sweep_shard_t shard, uint64_t local_row);

/* Format `count` consecutive local rows of a shard, from `first`, into buf
 * (capacity `size` ≥ count × vpm_sweep_row_max()).  *len receives the bytes
 * written.  Statuses of vpm_sweep_row(). */
vpm_status_t vpm_sweep_rows(const vpm_sweep_t *sweep, vpm_sweep_shard_t shard, uint64_t first,
			    uint64_t count, vpm_predict_workspace_t *ws, char *buf, size_t size,
			    size_t *len);

/* ------------------------------------------------------------ engine */

/* The parallel driver: set-ups are evaluated in blocks of
 * vpm_sweep_block_rows() (one OpenMP thread each, with its own workspace),
 * blocks in batches; a batch's rows come back contiguous and in order, so
 * memory stays bounded whatever the study's size and the rows do not
 * depend on the number of threads.  All memory is allocated once. */
typedef struct vpm_sweep_engine vpm_sweep_engine_t;

/* Rows per block: 64, or 2 under VPM_SWEEP_FOCUS_BACK_OF_DOF (a few hundred
 * predictions per set-up). */
uint64_t vpm_sweep_block_rows(const vpm_sweep_t *sweep);

/* Rows per batch for `jobs` threads: 16 blocks per thread, at least 32
 * blocks (the threads wait for the slowest block at the end of a batch, so
 * 16 per thread keep that wait near 1/16 of a block). */
uint64_t vpm_sweep_batch_rows(const vpm_sweep_t *sweep, int jobs);

/* An engine for the local rows of `shard`, `batch_rows` rows per batch
 * (0: vpm_sweep_batch_rows(sweep, jobs)), with `jobs` threads (1 without
 * OpenMP).  VPM_EINVAL (NULL sweep, jobs < 1), VPM_ENOMEM.  *out is NULL
 * on failure. */
vpm_status_t vpm_sweep_engine_alloc(const vpm_sweep_t *sweep, vpm_sweep_shard_t shard, int jobs,
				    uint64_t batch_rows, vpm_sweep_engine_t **out);
void vpm_sweep_engine_free(vpm_sweep_engine_t *e); /* NULL is a no-op */

/* The batch buffer (vpm_sweep_engine_capacity() bytes: the rows of a
 * batch at vpm_sweep_row_max() each), which a caller may also fill itself
 * (MPI rank 0 receives the other ranks' rows into it). */
char *vpm_sweep_engine_buffer(vpm_sweep_engine_t *e);
size_t vpm_sweep_engine_capacity(const vpm_sweep_engine_t *e);

/* Evaluate local rows [first, first + n) of the shard (n at most the batch
 * rows) into the buffer, contiguous and in order; *len receives the bytes.
 * On failure the status and message are those of the first failing block
 * (vpm_sweep_rows()); VPM_EINVAL for n beyond a batch. */
vpm_status_t vpm_sweep_engine_run(vpm_sweep_engine_t *e, uint64_t first, uint64_t n, size_t *len);

/* What `vpmoire sweep --count` reports beyond the count. */
typedef struct {
	uint64_t sampled;	  /* set-ups evaluated */
	double seconds_per_setup; /* one thread's wall-clock time per set-up */
	double bytes_per_row;	  /* mean row length, newline included */
	size_t head_bytes;	  /* the lines before the rows */
} vpm_sweep_estimate_t;

/* Time and size a shard from up to `max_sample` of its set-ups, spread
 * evenly over it (near and far walls differ in cost), on the calling
 * thread.  An empty shard samples nothing (zero time and rows).
 * VPM_EINVAL (NULL), VPM_ENOMEM, and the statuses of vpm_sweep_row(). */
vpm_status_t vpm_sweep_estimate(const vpm_sweep_t *sweep, vpm_sweep_shard_t shard,
				uint64_t max_sample, vpm_sweep_estimate_t *est);

/* ------------------------------------------------------------ output */

typedef struct vpm_sweep_output vpm_sweep_output_t;

/* Paths of the in-progress file and checkpoint for destination `path`:
 * ".NAME.partial" and ".NAME.ckpt" in NAME's directory.  Return the length
 * like snprintf. */
size_t vpm_sweep_partial_path(const char *path, char *buf, size_t size);
size_t vpm_sweep_checkpoint_path(const char *path, char *buf, size_t size);

/* Open the output of a sweep (or of one shard of it).  `path` NULL or "-"
 * writes to standard output (no checkpoint, no resume); a path that exists
 * and is not a regular file (a device, a FIFO) is written in place, also
 * without checkpoints.  Otherwise rows go to ".NAME.partial".
 *
 * Fresh start (resume = 0): the first line, a "# shard I/N" line when N > 1,
 * and the header are written and checkpointed.  If a checkpoint of an
 * earlier run exists, VPM_EINVAL says how to resume or start over.
 * Resume (resume = 1): the checkpoint is read and must belong to this study
 * and shard (else VPM_EINVAL); the partial file is cut back to the
 * checkpointed length and writing continues from its row count
 * (vpm_sweep_output_rows_done()).  Without a checkpoint it starts fresh,
 * unless NAME already is this study's (shard's) finished output: same first
 * lines and every row; then nothing is written and rows_done is the total
 * (a requeued job that had finished).  Another process writing the same output: VPM_EIO.  VPM_ENOMEM. */
vpm_status_t vpm_sweep_output_open(const vpm_sweep_t *sweep, const char *path,
				   vpm_sweep_shard_t shard, int resume, vpm_sweep_output_t **out);

/* Rows of this shard already in the output (from the checkpoint). */
uint64_t vpm_sweep_output_rows_done(const vpm_sweep_output_t *o);

/* Did it resume from a checkpoint? */
int vpm_sweep_output_resumed(const vpm_sweep_output_t *o);

/* Append `rows` complete rows (len bytes).  VPM_EIO with the system's
 * reason (e.g. "No space left on device"); the checkpoint stays at the
 * last durable point. */
vpm_status_t vpm_sweep_output_write(vpm_sweep_output_t *o, const char *buf, size_t len,
				    uint64_t rows);

/* Make everything written so far durable (fsync) and record it in the
 * checkpoint (written atomically).  A no-op for standard output.  VPM_EIO. */
vpm_status_t vpm_sweep_output_checkpoint(vpm_sweep_output_t *o);

/* All rows written: flush, sync, rename the partial file to its name and
 * remove the checkpoint.  VPM_EINVAL when rows are missing; VPM_EIO.  Frees
 * `o` whatever happens (on failure the partial file and checkpoint stay for
 * --resume). */
vpm_status_t vpm_sweep_output_commit(vpm_sweep_output_t *o);

/* Stop without finishing: close, keep the partial file and the last
 * checkpoint for a later resume.  Frees `o`; NULL is a no-op. */
void vpm_sweep_output_close(vpm_sweep_output_t *o);

/* ------------------------------------------------------------ run */

/* Threads a sweep runs on when `jobs` are asked for: 0 means every core
 * OpenMP offers; always 1 when built without OpenMP. */
int vpm_sweep_jobs(int jobs);

/* What `vpmoire sweep --count` prints: the study's size and a shard's
 * estimated time and output size. */
typedef struct {
	uint64_t total;		       /* set-ups of the study */
	uint64_t dims[VPM_SWEEP_DIMS]; /* vpm_sweep_dims() */
	vpm_sweep_shard_t shard;       /* as given */
	uint64_t rows;		       /* set-ups of the shard */
	int threads;		       /* as given */
	vpm_sweep_estimate_t est;      /* timed on up to 300 of them */
	double seconds;		       /* wall-clock time on the threads */
	double bytes;		       /* output size, the lines before the rows
					 * included */
} vpm_sweep_forecast_t;

/* Forecast a shard run on `threads` threads in all (threads per process
 * times processes): 300 set-ups spread over the shard time it within a
 * few per cent.  Statuses of vpm_sweep_estimate(); VPM_EINVAL for
 * threads < 1. */
vpm_status_t vpm_sweep_forecast(const vpm_sweep_t *sweep, vpm_sweep_shard_t shard, int threads,
				vpm_sweep_forecast_t *fc);

/* Write a forecast as `vpmoire sweep --count` shows it:
 *   set-ups: N (P panels x C cameras x ... x D delivery)
 *   shard I/N: R set-ups                          (sharded only)
 *   estimated time: T with K threads (R set-ups/s per thread, timed on S set-ups)
 *   estimated output: SIZE (B bytes per row)
 * ("estimated time: 0 s" and the bytes of the first lines when the shard
 * is empty).  VPM_EIO when the stream reports an error, VPM_EINVAL (NULL). */
vpm_status_t vpm_sweep_forecast_write(FILE *fp, const vpm_sweep_forecast_t *fc);

/* Where a run stands: passed to the progress callback and returned. */
typedef struct {
	uint64_t done;	/* rows of the shard in the output */
	uint64_t total; /* rows of the shard */
	uint64_t first; /* rows already in the output when the run began */
	int resumed;	/* it continued an output from its checkpoint (or found
			 * the output complete: first == total) */
	int opened;	/* the output was opened: a failure from here on is one
			 * of the run (writing, computing), not of its input */
	int stopped;	/* stopped on request before the last row: the output
			 * and its checkpoint are kept for a resume */
} vpm_sweep_progress_t;

/* When the progress callback is called (on rank 0 only). */
typedef enum {
	VPM_SWEEP_RUN_BEGIN = 0, /* the output is open, nothing computed yet */
	VPM_SWEEP_RUN_BATCH,	 /* a batch of rows is written */
	VPM_SWEEP_RUN_END	 /* every row is written (only when rows were
				  * computed), before the output is committed */
} vpm_sweep_run_event_t;

/* One batch of rows that a rank hands to rank 0 (multi-process runs). */
typedef struct {
	int64_t status; /* vpm_status_t of computing the batch */
	int64_t len;	/* bytes of rows that follow (0 on failure) */
	char msg[256];	/* the failure's message */
} vpm_sweep_part_t;

/* How the processes of one run talk (MPI, say), so that the library needs
 * no message-passing library: `size` processes, this one `rank`.  Every
 * callback is collective in the order the run calls it, and gets `ctx`. */
typedef struct {
	int rank, size;
	void *ctx;
	/* every rank receives rank 0's n values */
	void (*bcast)(void *ctx, uint64_t *values, int n);
	/* the smallest of the ranks' values, on every rank */
	int (*all_min)(void *ctx, int value);
	/* a rank other than 0 sends a part and, when part->len > 0, its rows */
	void (*send)(void *ctx, const vpm_sweep_part_t *part, const char *rows);
	/* rank 0 receives rank `from`'s part and its rows (into a buffer of
	 * vpm_sweep_engine_capacity() bytes, the same on every rank) */
	void (*recv)(void *ctx, int from, vpm_sweep_part_t *part, char *rows);
} vpm_sweep_transport_t;

/* How to run a sweep. */
typedef struct {
	const char *output;	 /* path, or NULL or "-" for standard output */
	vpm_sweep_shard_t shard; /* the part of the study to compute */
	int resume;		 /* vpm_sweep_output_open() */
	int jobs;		 /* threads per process (vpm_sweep_jobs()) */
	double checkpoint_s;	 /* seconds between checkpoints (at most one
				   * per batch) */
	/* called on rank 0 at each vpm_sweep_run_event_t; NULL for none */
	void (*progress)(void *ctx, vpm_sweep_run_event_t event, const vpm_sweep_progress_t *p);
	void *ctx;
	/* when *stop becomes non-zero (a signal handler sets it), the run
	 * finishes its batch, checkpoints and returns with `stopped`; NULL
	 * never stops */
	const volatile sig_atomic_t *stop;
	const vpm_sweep_transport_t *transport; /* NULL: a single process */
} vpm_sweep_run_opts_t;

/* Standard output, the whole study, no resume, 1 thread, a checkpoint a
 * second, no callbacks, a single process. */
vpm_sweep_run_opts_t vpm_sweep_run_opts_default(void);

/* Set the run flag `name` (as spelt after "--") from `text` (borrowed;
 * `origin`, "study.args:3:8" or NULL, starts the messages): "output" (a
 * path, "-" for standard output), "resume" (no value), "jobs" (threads, a
 * whole number from 1 to 4096), "shard" (vpm_sweep_shard_parse()),
 * "checkpoint" (seconds from 0 to 86400).
 * VPM_ENOTFOUND when `name` is no run flag (opts unchanged); VPM_EPARSE or
 * VPM_ERANGE "[origin: ]--jobs: reason" for a bad value; VPM_EINVAL (NULL,
 * or no value where one is needed). */
vpm_status_t vpm_sweep_run_opts_set(vpm_sweep_run_opts_t *opts, const char *name, const char *text,
				    const char *origin);

/* Run a sweep (or a shard of it) to its output: open it (resuming from
 * its checkpoint when asked), compute the rows in batches on `jobs`
 * threads (and the ranks of the transport: batch k of each round is rank
 * k's, rank 0 writes them in order), checkpoint every `checkpoint_s` and
 * when stopped, and commit the output once every row is written.  The
 * bytes do not depend on threads, ranks or interruptions.  *result (may be
 * NULL) receives where it stands.  VPM_OK when the output is complete, or
 * when it stopped on request (result->stopped).  Failures: those of
 * vpm_sweep_engine_alloc() and vpm_sweep_output_open() before anything is
 * computed (result->opened is 0); once opened, the message of the
 * computing or writing failure ("rank K: ..." for another rank's), to a
 * file followed by "; the rows up to the last checkpoint are kept: fix the
 * cause and run the same command with --resume" when writing failed,
 * "; the rows are kept: run the same command with --resume" when the
 * commit did.  On ranks other than 0 the result is the run's, and VPM_OK
 * when rank 0 fails after opening. */
vpm_status_t vpm_sweep_run(const vpm_sweep_t *sweep, const vpm_sweep_run_opts_t *opts,
			   vpm_sweep_progress_t *result);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_SWEEP_H */
