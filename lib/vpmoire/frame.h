/* vpmoire — what the camera frames on an LED stage: pinhole projection with
 * pan, tilt and roll, the share of the frame that runs past the wall (set
 * extension), the wall points that decide the moiré verdict, and the
 * outlines a previs page draws.
 *
 * Stage coordinates are those of vpmoire/stage.h (metres; x across the
 * main wall to the right, y up from the floor, z from the wall towards the
 * camera).
 *
 * Camera convention (documented in doc/vpmoire-shotlist.1):
 *  - The camera's position is the centre of its sensor plane, from which
 *    every stage distance is measured (SPEC §1).
 *  - The frame is a pinhole projection from that point with image distance
 *    equal to the focal length: a wall at distance D is covered over
 *    D × sensor width / focal length, the convention of cine field-of-view
 *    calculators (pCAM).  It ignores focus breathing and the lens's own
 *    length (errors of the order of f / D, 1-2 % on a micro stage).
 *  - Orientation: with pan = tilt = roll = 0 the camera looks straight at
 *    the main wall (along −z), its image rows level.  Pan turns it to the
 *    right (towards +x), tilt up, roll turns the camera clockwise as its
 *    operator sees it from behind (a dutch angle: level lines of the stage
 *    then lean counter-clockwise in the picture).  Applied as on a geared
 *    head: pan about the vertical, then tilt, then roll about the lens axis.
 *  - Image coordinates (u, v) are millimetres on the sensor as seen on the
 *    monitor (the image is not inverted): u to the right, v up, (0, 0) at
 *    the centre; the frame is |u| <= W/2, |v| <= H/2 for the sensor area
 *    W × H of the camera mode.
 */
#ifndef VPMOIRE_FRAME_H
#define VPMOIRE_FRAME_H

#include <stddef.h>

#include "vpmoire/predict.h"
#include "vpmoire/stage.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- the camera */

typedef struct {
	vpm_vec3_t position_m; /* centre of the sensor plane */
	double pan_deg, tilt_deg, roll_deg;
	double focal_mm;
	double sensor_w_mm, sensor_h_mm; /* the recorded sensor area */
} vpm_view_t;

/* Unit vectors of the camera in stage coordinates: right and up span the
 * image, forward is the optical axis. */
typedef struct {
	vpm_vec3_t right, up, forward;
} vpm_view_basis_t;

void vpm_view_basis(const vpm_view_t *view, vpm_view_basis_t *b);

/* Project a stage point into the image: (u, v) in sensor mm and its depth
 * along the optical axis (m).  Returns 1 when the point is in front of the
 * camera (depth > 1 mm), else 0 (u, v then untouched). */
int vpm_view_project(const vpm_view_t *view, vpm_vec3_t p, double *u_mm, double *v_mm,
		     double *depth_m);

/* The (not normalised) direction of the ray through image point (u, v):
 * f·forward + u·right + v·up, in mm. */
vpm_vec3_t vpm_view_ray(const vpm_view_t *view, double u_mm, double v_mm);

/* Check a view: finite position, focal length and sensor size > 0, angles
 * within ±360.  VPM_EINVAL with a message. */
vpm_status_t vpm_view_validate(const vpm_view_t *view);

/* ---------------------------------------------------------------- set extension */

/* What the frame sees, as shares of the frame's area (image space). */
typedef struct {
	double led_share;	/* lands on an LED surface */
	double floor_share;	/* lands on the stage floor in front of the walls */
	double extension_share; /* neither: needs a set extension (or is off the set) */
	double edge_share[4];	/* extension_share split by the edge it lies beyond:
				   left, right, top, bottom.  A sample beyond two
				   edges (a corner) counts half to each, so the four
				   add up to extension_share */
	unsigned edges;		/* VPM_EDGE_* bits with any extension */
	double surface_share[VPM_STAGE_MAX_SURFACES]; /* led_share per surface */
	int nx, ny;				      /* sampling grid used */
} vpm_coverage_t;

/* Sample the frame on an nx × ny grid of pixel centres (ny = 0: chosen
 * from the sensor's aspect) and classify each ray with vpm_stage_trace().
 * The shares are exact to about one sample width (1/nx of the frame per
 * straight edge).  nx from 16 to 4096.  VPM_EINVAL. */
vpm_status_t vpm_frame_coverage(const vpm_stage_t *st, const vpm_view_t *view, int nx, int ny,
				vpm_coverage_t *out);

/* ---------------------------------------------------------------- the verdict */

/* One wall point that the verdict is evaluated at.  The fast predictor
 * (SPEC §2) assumes the wall parallel to the sensor; for a camera panned or
 * tilted against the wall, or a curved wall, the chain is run at each
 * point of the frame that lands on LED (SPEC §3 allows this) with
 *  - wall distance = the point's depth along the optical axis (the focus
 *    scale distance of a sensor-parallel plane through it), and
 *  - the LED pitch (and emitter) scaled by the local foreshortening along
 *    the LED rows and along the columns, each relative to a parallel wall
 *    at that depth (two evaluations when they differ), and
 *  - roll = the camera roll plus the local tilt of the LED rows in the
 *    picture (perspective).
 * For a flat wall square to the camera every point gives the set-up of
 * `vpmoire check --wall DISTANCE`, which is then evaluated once. */
typedef struct {
	double u_mm, v_mm;    /* frame point */
	int on_led;	      /* the ray meets an LED surface */
	int surface;	      /* which, or -1 */
	vpm_vec3_t point;     /* where (stage m) */
	double depth_m;	      /* along the optical axis from the sensor plane */
	double scale_rows;    /* pitch factor along the LED rows */
	double scale_cols;    /* pitch factor along the LED columns */
	double row_angle_deg; /* camera roll + perspective tilt of the LED rows */
	double incidence_deg; /* angle between the ray and the LED surface's normal */
} vpm_probe_t;

#define VPM_FRAME_PROBES 9

/* The probes: the frame centre first, then the middles of the edges and
 * the corners (at 45 % of the frame's width and height from the centre).
 * When none of them lands on LED, a finer 7 × 5 grid is searched and its
 * first nine LED points are used.  *n receives the number of probes
 * written (0 when no LED is in frame). */
void vpm_frame_probes(const vpm_stage_t *st, const vpm_view_t *view,
		      vpm_probe_t out[VPM_FRAME_PROBES], size_t *n);

/* The set-up(s) of one probe: `base` (equipment, stop, focus, delivery,
 * viewer; its pitch_mm, emitter_mm and roll_deg are the panel's and the
 * camera's) with wall_m = depth, pitch and emitter scaled and roll set.
 * Writes 1 or 2 set-ups (rows and columns scale differently) and returns
 * their number. */
size_t vpm_frame_probe_setups(const vpm_setup_t *base, const vpm_probe_t *p, vpm_setup_t out[2]);

typedef struct {
	int has_led;	     /* 0: no LED in frame (result holds DOF only, risk safe) */
	vpm_result_t result; /* the worst point's result: the verdict */
	vpm_setup_t setup;   /* its set-up, as `vpmoire check` evaluates it */
	int probe;	     /* index of the worst probe, -1 without LED */
	size_t n_probes;
	vpm_probe_t probes[VPM_FRAME_PROBES];
	size_t evaluated; /* distinct set-ups evaluated */
} vpm_frame_verdict_t;

/* Evaluate every probe's set-up(s) with vpm_predict() (identical set-ups
 * once) and keep the one of largest max(moiré, grid) visibility.  Without
 * LED in frame the depth of field is still reported (wall_m is then placed
 * far behind the focus).  Statuses of vpm_predict(); VPM_EINVAL. */
vpm_status_t vpm_frame_verdict(const vpm_stage_t *st, const vpm_view_t *view,
			       const vpm_setup_t *base, vpm_predict_workspace_t *ws,
			       vpm_frame_verdict_t *out);

/* ---------------------------------------------------------------- the subject */

typedef enum { VPM_POSE_STANDING = 0, VPM_POSE_SEATED } vpm_pose_t;

/* A person on the stage floor, facing the camera. */
typedef struct {
	int present;
	double x_m, z_m; /* where the feet are */
	double height_m; /* standing height (1.75 m by default) */
	vpm_pose_t pose; /* seated: on a 0.45 m seat */
} vpm_figure_t;

/* The eye point (standing: 0.936 × height; seated: seat plus the upper
 * body's share), and the top of the head. */
vpm_vec3_t vpm_figure_eyes(const vpm_figure_t *fig);
double vpm_figure_top_m(const vpm_figure_t *fig);

/* ---------------------------------------------------------------- outlines */

typedef enum {
	VPM_PATH_FLOOR = 0,	/* the stage floor (polygon) */
	VPM_PATH_LED,		/* an LED surface (polygon; in plan a band the
				   cabinet depth thick) */
	VPM_PATH_SEAM,		/* a cabinet seam (frame: polyline; plan: tick) */
	VPM_PATH_FIGURE,	/* the subject: silhouette (frame), footprint (plan) */
	VPM_PATH_HORIZON,	/* frame: the horizon (level with the lens) */
	VPM_PATH_FRUSTUM_LED,	/* plan: the part of the view that lands on LED */
	VPM_PATH_FRUSTUM_EXT,	/* plan: the part that passes the wall's edges */
	VPM_PATH_DOF,		/* plan: the depth-of-field band */
	VPM_PATH_FOCUS,		/* plan: the plane of focus */
	VPM_PATH_AXIS,		/* plan: the optical axis up to the wall */
	VPM_PATH_FRUSTUM_FLOOR, /* section: the part of the view that lands on the floor */
	VPM_PATH_CEILING	/* section: the ceiling */
} vpm_path_kind_t;

/* One outline: frame paths are in image mm (u, v); plan paths are stage
 * (x, z) in metres; section paths are (d, y) in metres (see
 * vpm_frame_section_paths()). */
typedef struct {
	vpm_path_kind_t kind;
	int surface; /* LED surface index, or -1 */
	int closed;  /* a polygon */
	size_t n;
	double *x, *y;
} vpm_path_t;

typedef struct {
	size_t n, cap;
	vpm_path_t *path;
} vpm_paths_t;

void vpm_paths_init(vpm_paths_t *ps);
void vpm_paths_release(vpm_paths_t *ps); /* frees every path; may be reused after init */

/* The frame view: the floor, every LED surface and its cabinet seams,
 * the subject's silhouette (true size) and the horizon, each clipped to
 * what lies in front of the camera and projected.  Paths extend beyond
 * the frame; the drawing clips them.  VPM_ENOMEM, VPM_EINVAL. */
vpm_status_t vpm_frame_paths(const vpm_stage_t *st, const vpm_view_t *view, const vpm_figure_t *fig,
			     vpm_paths_t *out);

/* Marks of the plan view (sensor-plane distances along the optical axis). */
typedef struct {
	double dof_near_m, dof_far_m; /* 0: no band; far may be INFINITY */
	double focus_m;		      /* 0 or INFINITY: no focus line */
	double beyond_m;	      /* draw the set-extension wedges this far behind
					 the walls (e.g. 1 m) */
	double max_ray_m;	      /* no ray drawn longer than this */
	double cabinet_depth_m;	      /* thickness of the LED band in plan (0.1) */
} vpm_plan_marks_t;

/* The plan view (top down): floor, LED surfaces as bands with a tick at
 * every cabinet seam, the horizontal extent of the view split into the
 * wedges that land on LED and the wedges that pass the wall's edges, the
 * DOF band and focus line inside the view (at the lens height), the
 * optical axis, and the subject's footprint.  VPM_ENOMEM, VPM_EINVAL. */
vpm_status_t vpm_frame_plan_paths(const vpm_stage_t *st, const vpm_view_t *view,
				  const vpm_figure_t *fig, const vpm_plan_marks_t *marks,
				  vpm_paths_t *out);

/* The section (side view): the vertical plane through the camera along its
 * heading (the pan direction).  x is d, the level distance in front of the
 * wall met by the heading (the wall at d = 0, the camera at d > 0), y the
 * height.  Paths: the floor as a strip below y = 0, the LED surface the
 * heading meets (a band the cabinet depth thick, a seam at every cabinet
 * row), the ceiling, the vertical extent of the view at the frame's centre
 * column split into wedges that land on LED, on the floor and on nothing
 * (set extension, drawn `beyond_m` past the wall), the DOF band, the focus
 * line, the optical axis and the subject's profile.  *camera_d_m receives
 * the camera's d, *wall_hit 1 when the heading meets LED.  VPM_ENOMEM,
 * VPM_EINVAL. */
vpm_status_t vpm_frame_section_paths(const vpm_stage_t *st, const vpm_view_t *view,
				     const vpm_figure_t *fig, const vpm_plan_marks_t *marks,
				     vpm_paths_t *out, double *camera_d_m, int *wall_hit);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_FRAME_H */
