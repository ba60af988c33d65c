/* vpmoire — shotlists: a spreadsheet's CSV export in, one evaluated set-up
 * per shot out (frame, set extension, moiré verdict, focus, advice).
 *
 *   vpm_shotlist_options_t o = vpm_shotlist_options_default();
 *   o.catalog = cat;
 *   vpm_shotlist_t *sl;
 *   vpm_shotlist_read("shots.csv", &o, &sl);      "shots.csv:7:31: stop: ..."
 *   vpm_shotlist_sort(sl);
 *   for each shot: vpm_shot_evaluate(&sl->shot[i], &stage, &defaults, ws, &ev, &field);
 *   vpm_shotlist_free(sl);
 *
 * Columns are found by their header, in any order and under the names
 * spreadsheets use (vpm_shot_field_aliases()); a unit in a header ("Camera
 * distance (ft)", "focus_m") is the unit of that column's bare numbers.
 * Unknown columns are kept with each shot (`extra`).
 */
#ifndef VPMOIRE_SHOTLIST_H
#define VPMOIRE_SHOTLIST_H

#include <stddef.h>

#include "vpmoire/catalog.h"
#include "vpmoire/frame.h"
#include "vpmoire/move.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/stage.h"
#include "vpmoire/status.h"
#include "vpmoire/temporal.h"
#include "vpmoire/units.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The documented columns. */
typedef enum {
	VPM_SHOT_ID = 0,	   /* shot id: "1", "12A" (required, unique) */
	VPM_SHOT_DESCRIPTION,	   /* text */
	VPM_SHOT_SIZE,		   /* ECU, CU, MCU, MS, WS, ... (text) */
	VPM_SHOT_CAMERA,	   /* catalog camera (required unless a default is given) */
	VPM_SHOT_LENS,		   /* catalog lens or a focal length (required) */
	VPM_SHOT_STOP,		   /* T-stop (required) */
	VPM_SHOT_CAM_DISTANCE,	   /* camera (sensor plane) to the wall (required) */
	VPM_SHOT_CAM_OFFSET,	   /* camera right of the wall's centre (0) */
	VPM_SHOT_CAM_HEIGHT,	   /* lens height above the floor (subject's eyes, else 1.5 m) */
	VPM_SHOT_PAN,		   /* degrees, + to the right (0) */
	VPM_SHOT_TILT,		   /* degrees, + up (0) */
	VPM_SHOT_ROLL,		   /* degrees, dutch angle (0) */
	VPM_SHOT_SUBJECT_DISTANCE, /* subject to the wall (none) */
	VPM_SHOT_SUBJECT_OFFSET,   /* subject right of the wall's centre (0) */
	VPM_SHOT_SUBJECT_HEIGHT,   /* the subject's standing height (1.75 m) */
	VPM_SHOT_POSE,		   /* standing | seated (standing) */
	VPM_SHOT_FOCUS,		   /* a distance, `subject`, `back-of-dof` or `inf` */
	VPM_SHOT_RECORDING,	   /* recording width in pixels (or HD, 2K, UHD, 4K) */
	VPM_SHOT_DELIVERY,	   /* delivery width in pixels (same names) */
	VPM_SHOT_NOTES,		   /* text */
	VPM_SHOT_FPS,		   /* frame rate (none: no scan-band verdict) */
	VPM_SHOT_SHUTTER,	   /* shutter angle in degrees, or an exposure "1/50" (180) */
	VPM_SHOT_READOUT,	   /* sensor readout in ms (the catalog camera's) */
	/* a shot that moves (issue 19): all optional */
	VPM_SHOT_CAM_DISTANCE_END,  /* camera to the wall at the end of the move */
	VPM_SHOT_FOCUS_END,	    /* focus pulled to this distance (or inf) by the end */
	VPM_SHOT_SUBJECT2_DISTANCE, /* a second subject to the wall (stays on its mark) */
	VPM_SHOT_NFIELDS
} vpm_shot_field_t;

/* The canonical header of a field ("camera distance") and its accepted
 * spellings (NULL-terminated), or NULL out of range. */
const char *vpm_shot_field_name(vpm_shot_field_t f);
const char *const *vpm_shot_field_aliases(vpm_shot_field_t f);

typedef enum {
	VPM_FOCUS_DISTANCE = 0, /* a distance from the sensor plane (or infinity) */
	VPM_FOCUS_SUBJECT,	/* on the subject's eyes */
	VPM_FOCUS_BACK_OF_DOF	/* subject at the back of the DOF (vpm_plan_focus()) */
} vpm_focus_mode_t;

#define VPM_SHOT_ID_MAX 64

/* One row.  Strings are owned by the shotlist. */
typedef struct {
	char id[VPM_SHOT_ID_MAX];
	const char *description, *size, *notes;
	const char *extra;	    /* unknown columns: "Header: value; ..." or "" */
	const vpm_camera_t *camera; /* from the catalog */
	const vpm_lens_t *lens;	    /* NULL when the cell is a focal length */
	double focal_mm;
	double stop;
	double cam_distance_m, cam_offset_m, cam_height_m; /* cam_height_m 0: default */
	double pan_deg, tilt_deg, roll_deg;
	int has_subject;
	double subject_distance_m, subject_offset_m, subject_height_m;
	vpm_pose_t pose;
	vpm_focus_mode_t focus_mode;
	double focus_m;			/* VPM_FOCUS_DISTANCE only */
	long recording_px, delivery_px; /* 0 = not given */
	long line;			/* CSV line of the row */
	int col[VPM_SHOT_NFIELDS];	/* column of each cell (0: no such column) */
	double fps;			/* frame rate; 0 = not given */
	double shutter_deg;		/* shutter angle; 0 = not given */
	double exposure_s;		/* exposure given as "1/50"; 0 = not given */
	double readout_ms;		/* sensor readout; 0 = the catalog camera's */
	/* a shot that moves: has_move when any of the move's cells is given */
	int has_move;
	double cam_distance_end_m;  /* 0: the camera does not travel */
	double focus_end_m;	    /* 0: no focus pull (focus on the subject follows it) */
	double subject2_distance_m; /* second subject to the wall; 0: none */
} vpm_shot_t;

/* A row that was not used, with the reason ("FILE:LINE:COL: column: ..."). */
typedef struct {
	long line;
	char id[VPM_SHOT_ID_MAX]; /* "" when the id itself was bad */
	char *message;
} vpm_shot_reject_t;

typedef struct vpm_arena vpm_shotlist_arena_t; /* opaque: the shots' strings */

typedef struct {
	char *name; /* the file name used in messages */
	size_t n;
	vpm_shot_t *shot;
	size_t n_rejected;
	vpm_shot_reject_t *rejected;
	char *header[VPM_SHOT_NFIELDS]; /* each field's header as written, or NULL */
	vpm_shotlist_arena_t *arena;
} vpm_shotlist_t;

typedef struct {
	const vpm_catalog_t *catalog; /* required */
	const char *default_camera;   /* for rows without a camera cell, or NULL; it must
				       * be a camera of the catalog (the read fails with
				       * "--camera: " and the lookup's message) */
	const char *lens_set;	      /* series for bare focal lengths ("ZEISS CP.3"), or NULL */
	int keep_going;		      /* reject bad rows instead of failing */
} vpm_shotlist_options_t;

vpm_shotlist_options_t vpm_shotlist_options_default(void);

/* Read a shotlist CSV (vpm_csv reader: quotes, a byte-order mark, CRLF and
 * `#` comment lines are fine; rows whose cells are all empty are skipped).
 * Header problems (a required column missing, two columns with the same
 * meaning or name) always fail.  A bad row fails the read (strict), or is
 * listed in ->rejected with its reason (keep_going).  Messages read
 * "FILE:LINE:COL: column: what was expected".  VPM_EPARSE (text),
 * VPM_ENOTFOUND (catalog name, with suggestions; the file), VPM_ERANGE,
 * VPM_EIO, VPM_ENOMEM, VPM_ELIMIT.  *out is NULL on failure; free with
 * vpm_shotlist_free(). */
vpm_status_t vpm_shotlist_read(const char *path, const vpm_shotlist_options_t *opt,
			       vpm_shotlist_t **out);

/* Same, from memory; `name` stands for the file in messages. */
vpm_status_t vpm_shotlist_parse(const char *name, const char *data, size_t len,
				const vpm_shotlist_options_t *opt, vpm_shotlist_t **out);

void vpm_shotlist_free(vpm_shotlist_t *sl); /* NULL is a no-op */

/* Order the shots by id, numbers by value ("2" < "10" < "10A" < "10b"). */
void vpm_shotlist_sort(vpm_shotlist_t *sl);
int vpm_shot_id_compare(const char *a, const char *b);

/* Move shot i to the rejected list with `message` (copied).  VPM_ENOMEM,
 * VPM_EINVAL. */
vpm_status_t vpm_shotlist_reject(vpm_shotlist_t *sl, size_t i, const char *message);

/* "FILE:LINE:COL: header" for shot i's cell of field f (the end of the row
 * when the row has no such cell).  Returns buf. */
char *vpm_shotlist_where(const vpm_shotlist_t *sl, size_t i, vpm_shot_field_t f, char *buf,
			 size_t size);

/* Things worth a warning on the shot's page. */
enum {
	VPM_SHOT_WARN_CAMERA_OFF_FLOOR = 1u << 0,    /* camera outside the stage floor */
	VPM_SHOT_WARN_SUBJECT_OFF_FLOOR = 1u << 1,   /* subject outside the stage floor */
	VPM_SHOT_WARN_CLOSE_FOCUS = 1u << 2,	     /* focus nearer than the lens's close focus */
	VPM_SHOT_WARN_ABOVE_CEILING = 1u << 3,	     /* camera above the ceiling */
	VPM_SHOT_WARN_SUBJECT_OUT_OF_FRAME = 1u << 4 /* the subject's eyes are not in frame */
};

/* Most verdict changes a shot's move keeps (the rest merge into the last). */
#define VPM_SHOT_MOVE_SEGMENTS 16

/* A shot's move, judged at the wall point that decides the start's verdict
 * (vpm_move_judge()): its depth, the subject's and the second subject's
 * shortened by the camera's travel along the lens axis. */
typedef struct {
	int active;	 /* 0: the shot does not move */
	vpm_move_t move; /* along the lens axis, from the sensor plane */
	double cam_x_m;	 /* the camera on the plan at the end (x, z) */
	double cam_z_m;
	size_t n_samples;
	vpm_move_sample_t worst;
	vpm_risk_t start_risk; /* the start's verdict, before the move */
	double start_visibility;
	size_t n_segments;
	vpm_move_segment_t segments[VPM_SHOT_MOVE_SEGMENTS];
	double subject_soft_t0, subject_soft_t1;   /* NAN: sharp all along */
	double subject2_soft_t0, subject2_soft_t1; /* NAN: sharp (or none) */
} vpm_shot_move_t;

/* One shot, evaluated on a stage. */
typedef struct {
	vpm_view_t view;
	vpm_figure_t figure;
	vpm_setup_t base;	   /* equipment, stop, focus, delivery (wall_m unset) */
	double subject_depth_m;	   /* the eyes along the optical axis; 0 without subject */
	double focus_m;		   /* the focus used */
	int focus_planned;	   /* 1 when back-of-dof moved the focus */
	double naive_focus_m;	   /* back-of-dof: focus on the subject instead */
	vpm_result_t naive_result; /* ... and its verdict */
	vpm_frame_verdict_t verdict;
	vpm_coverage_t coverage;
	int subject_in_dof; /* -1 without subject */
	unsigned warnings;  /* VPM_SHOT_WARN_* */
	vpm_plan_t plan;    /* advice when the shot is not SAFE (vpm_plan_advise_within()) */
	int subject_sharp;  /* the one rule for "sharp" on every page: -1 without
			       subject; 1 when the subject's eyes are inside the
			       depth of field at a focus the lens can reach (not
			       nearer than its close focus); else 0 */
	int scan;	    /* the scan-band verdict (vpm_temporal_shot()): 1
					judged in `scan_result`; 0 no frame rate for the
					shot; -1 unknown (the panel's refresh or the
					camera's readout is not published) */
	vpm_temporal_result_t scan_result;
	double scan_fps, scan_shutter_deg; /* what it was judged at */
	vpm_shot_move_t move;		   /* a shot that moves: the worst point decides the
			       * verdict (verdict.result and verdict.setup are
			       * then the worst point's) and the subject must
			       * stay sharp all along */
} vpm_shot_eval_t;

/* Samples across the frame for the set-extension share. */
#define VPM_SHOT_COVERAGE_NX 640

/* Evaluate a shot on a stage.  `defaults` carries the viewer and delivery
 * settings shared by all shots (vpm_setup_default() plus flags; its
 * recording/delivery/CoC apply where the row gives none).  The set-up is
 * built as `vpmoire check` builds it: defaults, then the stage's panel, the
 * camera and the lens from the catalog, then the row's stop, roll,
 * recording and delivery widths; the wall distance comes from the frame
 * (vpm_frame_verdict()).  On failure *field (may be NULL) names the cell
 * to blame.  Statuses of vpm_predict() and VPM_EGEOMETRY for a subject
 * behind the camera or the wall. */
vpm_status_t vpm_shot_evaluate(const vpm_shot_t *shot, const vpm_stage_t *st,
			       const vpm_setup_t *defaults, vpm_predict_workspace_t *ws,
			       vpm_shot_eval_t *out, vpm_shot_field_t *field);

/* What the advice of a shot may draw on. */
typedef struct {
	const vpm_catalog_t *catalog; /* for other lenses of the shot's series (NULL: none) */
	double max_stop;	      /* the exposure budget's narrowest stop (0: none) */
	int try_delivery;	      /* offer an HD delivery (1) */
	int advise;		      /* plan advice for a shot that is not SAFE (1) */
	double fps;		      /* frame rate of rows without one (0: none) */
	double exposure_s;	      /* exposure of rows without a shutter (0: 180 degrees) */
} vpm_shot_options_t;

/* catalog NULL, no budget, delivery offered, advice planned, no frame
 * rate.  The scan-band verdict needs the catalog (the stage's panel). */
vpm_shot_options_t vpm_shot_options_default(void);

/* As vpm_shot_evaluate(), with advice from vpm_plan_advise_within() judged
 * by re-evaluating the whole shot on its stage for each candidate (the
 * change applied to the row: stop, focus held at a distance, camera
 * distance, subject distance, lens, delivery; a candidate that leaves the
 * floor, the lens's close focus or the frame's geometry is not offered).
 * `opt` may be NULL (the defaults). */
vpm_status_t vpm_shot_evaluate_ex(const vpm_shot_t *shot, const vpm_stage_t *st,
				  const vpm_setup_t *defaults, const vpm_shot_options_t *opt,
				  vpm_predict_workspace_t *ws, vpm_shot_eval_t *out,
				  vpm_shot_field_t *field);

/* Evaluate every shot of `sl` (vpm_shot_evaluate_ex(), arguments as there)
 * into out[0..*n), out[i] belonging to sl->shot[i] once the call returns;
 * `out` holds sl->n evaluations.  A shot that fails stops the run with its
 * status and the message "FILE:LINE:COL: header: reason" (the cell to
 * blame, vpm_shotlist_where()), or with `keep_going` is moved to
 * sl->rejected with that message (vpm_shotlist_reject()) and the run goes
 * on; VPM_ENOMEM always stops it.  *n receives the shots evaluated so far
 * on failure too.  No shot left is VPM_EPARSE: "FILE: no shots: the file
 * has a header but no rows", or with rows rejected "FILE: no shot could be
 * rendered".  VPM_EINVAL for NULL arguments. */
vpm_status_t vpm_shotlist_evaluate_all(vpm_shotlist_t *sl, const vpm_stage_t *st,
				       const vpm_setup_t *defaults, const vpm_shot_options_t *opt,
				       int keep_going, vpm_predict_workspace_t *ws,
				       vpm_shot_eval_t *out, size_t *n);

/* ------------------------------------------------------------ words of a shot
 * What the previs pages and the terminal say about an evaluated shot, one
 * definition each.  The texts are UTF-8, cut to `size` bytes. */

/* Whole per cents of the four edge shares of `c` (left, right, top,
 * bottom), adding up to the rounded extension share: largest remainders
 * get the leftover points. */
void vpm_shot_edge_percents(const vpm_coverage_t *c, int pct[4]);

/* The edges the set extension lies beyond: letters "L R" (`letters` 1) or
 * names with their shares "left (12 %) and right (14 %)" (shares from
 * vpm_shot_edge_percents()); "" without set extension. */
void vpm_shot_edges_text(const vpm_coverage_t *c, int letters, char *buf, size_t size);

/* The one-line recommendation for a shot: the planner's first piece of
 * advice (and a second that makes it SAFE too), or why nothing helps, then
 * the set extension to plan; distances in `units`. */
void vpm_shot_recommendation(const vpm_shot_eval_t *e, vpm_units_system_t units, char *buf,
			     size_t size);

/* Which settings the user gave for every shot: vpm_shot_check_command()
 * repeats these on the command line. */
enum {
	VPM_SHOT_GIVEN_COC = 1u << 0,
	VPM_SHOT_GIVEN_TOLERANCE = 1u << 1,
	VPM_SHOT_GIVEN_CHROMA = 1u << 2,
	VPM_SHOT_GIVEN_MODEL = 1u << 3,
	VPM_SHOT_GIVEN_VIEWING = 1u << 4,
	VPM_SHOT_GIVEN_RESAMPLE = 1u << 5,
	VPM_SHOT_GIVEN_BAND = 1u << 6,
	VPM_SHOT_GIVEN_PUPIL_EDGE = 1u << 7,
	VPM_SHOT_GIVEN_CONTENT = 1u << 8,
	VPM_SHOT_GIVEN_ASPECT = 1u << 9,
	VPM_SHOT_GIVEN_VIEW_HEIGHTS = 1u << 10,
	VPM_SHOT_GIVEN_LUMINANCE = 1u << 11,
	VPM_SHOT_GIVEN_GAIN = 1u << 12,
	VPM_SHOT_GIVEN_CAUTION_AT = 1u << 13,
	VPM_SHOT_GIVEN_RISKY_AT = 1u << 14
};

/* "Same verdict as: vpmoire check --panel ... --camera ... --stop ...
 * --wall ...m --focus ...m ...": the `vpmoire check` command that gives the
 * deciding wall point's verdict of shot `shot` evaluated as `e` on `stage`,
 * with the settings flagged in `given` (VPM_SHOT_GIVEN_*) from e->base. */
void vpm_shot_check_command(const vpm_stage_t *stage, const vpm_shot_t *shot,
			    const vpm_shot_eval_t *e, unsigned given, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_SHOTLIST_H */
