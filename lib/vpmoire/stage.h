/* vpmoire — the LED stage: its description (a small `key = value` file or
 * command-line flags) and its geometry (LED surfaces with their cabinet
 * grid, and the floor).
 *
 * Stage coordinates, in metres (every shotlist position is given in them):
 *   x  across the main wall, to the right as seen by a camera facing it;
 *   y  up from the stage floor (y = 0);
 *   z  from the main wall towards the camera: the flat main wall lies in the
 *      plane z = 0; a curved main wall touches z = 0 at its centre and bends
 *      towards the camera at its ends (concave, seen from the stage).
 * The origin is on the floor below the centre of the main wall.
 *
 *   vpm_stage_desc_t d;  vpm_stage_t st;
 *   vpm_stage_desc_init(&d);
 *   vpm_stage_desc_read(&d, "micro.stage");      file:line:col errors
 *   vpm_stage_desc_set(&d, "wall_bottom", "0.3m", NULL, 0, 0);   flags on top
 *   vpm_stage_build(&d, panel, &st);             panel from the catalog
 */
#ifndef VPMOIRE_STAGE_H
#define VPMOIRE_STAGE_H

#include <stddef.h>

#include "vpmoire/catalog.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A point or direction in stage coordinates (metres). */
typedef struct {
	double x, y, z;
} vpm_vec3_t;

/* ---------------------------------------------------------------- description */

/* The keys of a stage description.  In a file they are written `key =
 * value`, case-insensitively, with `-` or a blank allowed for `_`; as
 * flags they are `--wall-width` and so on (vpm_stage_key_flag()). */
typedef enum {
	VPM_STAGE_NAME = 0,	      /* text: the stage's name for page titles */
	VPM_STAGE_PANEL,	      /* catalog name of the LED panel (cabinet) */
	VPM_STAGE_WALL_WIDTH,	      /* length: main wall width (arc length if curved) */
	VPM_STAGE_WALL_HEIGHT,	      /* length: main wall height */
	VPM_STAGE_CABINETS_ACROSS,    /* count: cabinets across the main wall */
	VPM_STAGE_CABINETS_DOWN,      /* count: cabinets down the main wall */
	VPM_STAGE_WALL_BOTTOM,	      /* length: height of the bottom edge above the floor (0) */
	VPM_STAGE_CURVE_RADIUS,	      /* length: radius of a curved main wall (absent: flat) */
	VPM_STAGE_SIDE_WALLS,	      /* none | left | right | both (none) */
	VPM_STAGE_SIDE_WALL_WIDTH,    /* length: width of each side wall */
	VPM_STAGE_SIDE_WALL_CABINETS, /* count: cabinets across each side wall */
	VPM_STAGE_SIDE_WALL_ANGLE,    /* angle between main and side wall, 45..180 deg (90) */
	VPM_STAGE_FLOOR_WIDTH,	      /* length: floor width (default: the walls' span) */
	VPM_STAGE_FLOOR_DEPTH,	      /* length: floor depth from the main wall (4 m) */
	VPM_STAGE_FLOOR_OFFSET,	      /* length: floor centre right of the wall centre (0) */
	VPM_STAGE_CEILING,	      /* length: ceiling height (optional; walls must fit) */
	VPM_STAGE_NKEYS
} vpm_stage_key_t;

typedef enum {
	VPM_SIDE_NONE = 0,
	VPM_SIDE_LEFT = 1,
	VPM_SIDE_RIGHT = 2,
	VPM_SIDE_BOTH = 3
} vpm_side_walls_t;

#define VPM_STAGE_TEXT_MAX 128
#define VPM_STAGE_ORIGIN_MAX 600

/* A stage as written by a crew: values as given (0 = not given), and where
 * each came from, for messages.  Start with vpm_stage_desc_init(). */
typedef struct {
	char name[VPM_STAGE_TEXT_MAX];
	char panel[VPM_STAGE_TEXT_MAX];
	double wall_width_m, wall_height_m;
	long cabinets_across, cabinets_down;
	double wall_bottom_m;
	double curve_radius_m;
	vpm_side_walls_t side_walls;
	double side_wall_width_m;
	long side_wall_cabinets;
	double side_wall_angle_deg;
	double floor_width_m, floor_depth_m, floor_offset_m;
	double ceiling_m;
	unsigned given;	  /* bit (1 << key) per key given */
	unsigned in_file; /* bit (1 << key) per key whose origin is a file */
	/* origin of each key: "FILE:LINE:COL" or "--flag" */
	char origin[VPM_STAGE_NKEYS][VPM_STAGE_ORIGIN_MAX];
} vpm_stage_desc_t;

/* An empty description (nothing given). */
void vpm_stage_desc_init(vpm_stage_desc_t *d);

/* The key's file spelling ("wall_width") and flag spelling ("--wall-width"),
 * or NULL for a key out of range. */
const char *vpm_stage_key_name(vpm_stage_key_t key);
const char *vpm_stage_key_flag(vpm_stage_key_t key);

/* Look a key up by its spelling (file or flag form, case-insensitive,
 * `-`, `_` and blanks alike, leading dashes ignored).  VPM_ENOTFOUND with a
 * "did you mean" message when there is no such key. */
vpm_status_t vpm_stage_key_find(const char *text, vpm_stage_key_t *key);

/* Set one key from its text (lengths take units, bare numbers are metres;
 * counts are whole numbers; side_walls is a word; the angle takes degrees).
 * `origin` says where the text came from: NULL means the key's flag, else
 * a file name, with `line` and `col` (1-based) of the value.  A key set
 * again overrides the earlier value (flags after a file).  Errors carry
 * the origin: "FILE:LINE:COL: wall_width: ..." or "--wall-width: ...":
 * VPM_EPARSE (malformed), VPM_ERANGE (out of range), VPM_EINVAL (NULL). */
vpm_status_t vpm_stage_desc_set(vpm_stage_desc_t *d, vpm_stage_key_t key, const char *value,
				const char *origin, long line, int col);

/* Read a stage file: UTF-8 text (a byte-order mark and CRLF are fine), one
 * `key = value` per line; blank lines and lines starting with `#` are
 * skipped, as is a `#` comment after a value when a blank precedes it.
 * Keys already set are overridden; a key given twice in the file is an
 * error.  VPM_EIO / VPM_ENOTFOUND (the file), VPM_EINVAL (a directory),
 * VPM_EPARSE / VPM_ERANGE
 * ("FILE:LINE:COL: what was expected"), VPM_ELIMIT (file over 1 MiB). */
vpm_status_t vpm_stage_desc_read(vpm_stage_desc_t *d, const char *path);

/* Same, from memory; `name` stands for the file in messages. */
vpm_status_t vpm_stage_desc_parse(vpm_stage_desc_t *d, const char *name, const char *text,
				  size_t len);

/* ---------------------------------------------------------------- geometry */

typedef enum {
	VPM_SURFACE_FLAT = 0, /* a vertical rectangle */
	VPM_SURFACE_ARC	      /* a vertical cylindrical band, concave towards the stage */
} vpm_surface_kind_t;

#define VPM_STAGE_MAX_SURFACES 3

/* One LED surface.  Its horizontal parameter s runs from 0 to width_m,
 * left to right as seen from the stage; y from bottom_m to bottom_m +
 * height_m. */
typedef struct {
	vpm_surface_kind_t kind;
	const char *name; /* "main wall", "left side wall", "right side wall" */
	/* flat: starts at (x0, z0) on the floor plan and runs along (dx, dz) */
	double x0_m, z0_m, dx, dz;
	/* arc: centre (cx, cz) on the plan, radius; s = 0 at angle a0_rad,
	 * where a point is (cx + r·sin a, cz − r·cos a) and a grows with s */
	double cx_m, cz_m, radius_m, a0_rad;
	double width_m, bottom_m, height_m;
	long cabinets_across, cabinets_down; /* 0 when the panel has no cabinet size */
	double cabinet_w_m, cabinet_h_m;
} vpm_surface_t;

/* A stage ready for geometry: surface 0 is the main wall. */
typedef struct {
	char name[VPM_STAGE_TEXT_MAX];
	char panel[VPM_STAGE_TEXT_MAX]; /* catalog name of the panel */
	double pitch_mm, emitter_mm;	/* from the panel */
	size_t n_surfaces;
	vpm_surface_t surface[VPM_STAGE_MAX_SURFACES];
	double floor_x0_m, floor_x1_m; /* floor extent across */
	double floor_depth_m;	       /* floor from z = 0 to this z */
	double ceiling_m;	       /* 0 = not given */
	double room_x0_m, room_x1_m;   /* plan extent of walls and floor */
	double room_z0_m, room_z1_m;
} vpm_stage_t;

/* The description's panel from the catalog (vpm_catalog_find_panel()); its
 * failure's message starts with where the name came from, "FILE:LINE:COL:
 * panel: " or "--panel: ".  VPM_ENOTFOUND (with suggestions), VPM_EINVAL. */
vpm_status_t vpm_stage_desc_find_panel(const vpm_stage_desc_t *d, const vpm_catalog_t *cat,
				       const vpm_panel_t **panel);

/* Build the stage from a description and its panel (from the catalog; its
 * cabinet size sets the grid and makes wall sizes whole cabinets).  A wall
 * size given as a length must be a whole number of cabinets (within 2 % of
 * a cabinet, at least 10 mm); it is then set to exactly that many.
 * Defaults: wall_bottom 0, flat, no side walls, side-wall angle 90°, floor
 * as wide as the walls' span and 4 m deep, centred.  VPM_EINVAL / VPM_ERANGE
 * / VPM_EGEOMETRY with the offending key's origin in the message. */
vpm_status_t vpm_stage_build(const vpm_stage_desc_t *d, const vpm_panel_t *panel, vpm_stage_t *out);

/* The description a command works from: `d` initialised, then the stage
 * file `path` (may be NULL), then values[k] (NULL: not given) of each key
 * k on top, as vpm_stage_desc_set() with the key's flag as origin.  A
 * description must name its panel: VPM_EINVAL with "PATH: no LED panel:
 * add 'panel = NAME' (or --panel NAME)" ("stage: ..." without a file).
 * The statuses of vpm_stage_desc_read() and vpm_stage_desc_set(). */
vpm_status_t vpm_stage_desc_load(vpm_stage_desc_t *d, const char *path,
				 const char *const values[VPM_STAGE_NKEYS]);

/* The stage of a description: its panel from the catalog
 * (vpm_stage_desc_find_panel()) in *panel, then vpm_stage_build(). */
vpm_status_t vpm_stage_desc_resolve(const vpm_stage_desc_t *d, const vpm_catalog_t *cat,
				    const vpm_panel_t **panel, vpm_stage_t *out);

/* A point of a surface at (s, y), its unit tangent along s (horizontal) and
 * its unit normal (horizontal, pointing into the stage). */
vpm_vec3_t vpm_surface_point(const vpm_surface_t *sf, double s_m, double y_m);
vpm_vec3_t vpm_surface_tangent(const vpm_surface_t *sf, double s_m);
vpm_vec3_t vpm_surface_normal(const vpm_surface_t *sf, double s_m);

/* First intersection (t > 1e-9) of the ray origin + t·dir with the surface.
 * bounded = 1: only within the surface (0 <= s <= width, bottom <= y <=
 * top); bounded = 0: with its unbounded extension (the plane, or the whole
 * cylinder with s measured from the arc start, in (−π·r, π·r) around the
 * arc's centre).  Stores t (in units of |dir|), s and y; returns 1 on a hit. */
int vpm_surface_intersect(const vpm_surface_t *sf, vpm_vec3_t origin, vpm_vec3_t dir, int bounded,
			  double *t, double *s_m, double *y_m);

/* What a ray meets first. */
typedef enum {
	VPM_HIT_NOTHING = 0, /* no LED and no floor: set extension */
	VPM_HIT_LED,	     /* an LED surface */
	VPM_HIT_FLOOR	     /* the stage floor in front of the walls */
} vpm_hit_kind_t;

/* The wall edges a ray passes (bits). */
enum {
	VPM_EDGE_LEFT = 1u << 0,
	VPM_EDGE_RIGHT = 1u << 1,
	VPM_EDGE_TOP = 1u << 2,
	VPM_EDGE_BOTTOM = 1u << 3
};

typedef struct {
	vpm_hit_kind_t kind;
	int surface;	  /* index for VPM_HIT_LED, else -1 */
	double t;	  /* ray parameter of the hit (INFINITY for nothing) */
	vpm_vec3_t point; /* the hit point */
	double s_m, y_m;  /* surface coordinates for VPM_HIT_LED */
	unsigned edges;	  /* for VPM_HIT_NOTHING: which wall edges the ray passes */
} vpm_hit_t;

/* Trace one ray from `origin` (above the floor) along `dir` (any length).
 * LED surfaces occlude the floor; a ray that meets neither is classified by
 * the edges it passes (see vpm_stage_edges()). */
void vpm_stage_trace(const vpm_stage_t *st, vpm_vec3_t origin, vpm_vec3_t dir, vpm_hit_t *hit);

/* The edge names "left", "right", "top", "bottom" joined with ", " for the
 * bits set in `edges` ("" for none).  Returns buf. */
char *vpm_stage_edges_name(unsigned edges, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_STAGE_H */
