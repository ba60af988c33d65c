/* vpmoire — equipment catalogs: cameras, lenses, LED panels.
 *
 * Catalogs are CSV files with a header row (see models/README.md).  A
 * catalog object holds any number of loaded files; a later row with the
 * same `name` overrides an earlier one (so a user's file extends or
 * overrides the installed catalogs).  Every row is validated on load, and a
 * bad one is reported as "file:line:column: field: what is wrong".
 * Strings are owned by the catalog and live until vpm_catalog_free().
 * Unknown optional numbers are 0.
 */
#ifndef VPMOIRE_CATALOG_H
#define VPMOIRE_CATALOG_H

#include <stddef.h>

#include "vpmoire/predict.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VPM_CATALOG_CAMERAS = 0,
	VPM_CATALOG_LENSES,
	VPM_CATALOG_PANELS,
	VPM_CATALOG_PROCESSORS, /* LED processors: one row per port-capacity table entry */
	VPM_CATALOG_PRICES,	/* dated price ranges (and second-source panel figures) */
	VPM_CATALOG_KINDS
} vpm_catalog_kind_t;

typedef struct {
	const char *name, *maker, *model, *mode;
	double width_mm, height_mm; /* active area of the mode */
	int width_px, height_px;    /* photosites across and down */
	double photosite_um;	    /* pitch */
	const char *cfa;	    /* "bayer", "mono" or "rgbw" */
	double olpf_um;		    /* four-spot split; 0 = none or unknown */
	double fill;		    /* linear fill factor (1 when not given) */
	double coc_mm;		    /* default CoC; 0 = use W/1000 */
	const char *source;
	const char *file; /* where the row came from */
	long line;
	double readout_ms; /* rolling-shutter readout of this mode, top to bottom,
			    * as measured (0 = not published; issue 16) */
} vpm_camera_t;

typedef struct {
	const char *name, *maker, *series;
	double focal_mm, max_t, min_t; /* widest and smallest T-stop */
	double close_focus_m;	       /* from the sensor plane; 0 = unknown */
	double image_circle_mm;
	double mtf_stop; /* stop of the MTF curve; 0 = none */
	int mtf_n;
	double mtf_cy_mm[VPM_LENS_MTF_MAX], mtf[VPM_LENS_MTF_MAX];
	const char *source;
	const char *file;
	long line;
	double pupil_edge;   /* soft edge of the out-of-focus blur spot (field model,
			    * doc/model.md §4) where measured; 0 = not known */
	double transmission; /* transmittance τ (T = N/√τ) where published; 0 = not
			      * known (the field model's default) */
	/* anamorphics and zooms (issue 19) */
	double squeeze;		      /* anamorphic squeeze S; 1 = spherical (empty cell) */
	const char *squeeze_position; /* "front" or "rear" anamorphic element; NULL */
	double focal_max_mm;	      /* a zoom's long end (focal_mm is the short end); 0 = prime */
	double max_t_long;	      /* a zoom's widest stop at the long end (the ramp is
			      * linear in focal length from max_t); 0 = no ramp */
} vpm_lens_t;

/* Is this lens a zoom (a focal range rather than one focal length)? */
int vpm_lens_is_zoom(const vpm_lens_t *lens);

/* A zoom's widest T-stop at focal length f (mm): max_t at the short end,
 * max_t_long at the long end, linear in f between (the ramp of the maker's
 * figures); max_t for a prime or a zoom without a ramp.  NAN when f is
 * outside the zoom's range (a prime accepts only its focal length). */
double vpm_lens_max_t_at(const vpm_lens_t *lens, double focal_mm);

typedef struct {
	const char *name, *maker, *model;
	double pitch_mm, emitter_mm;
	const char *package;
	double cabinet_w_mm, cabinet_h_mm;
	int cabinet_px_w, cabinet_px_h;
	double weight_kg, power_max_w, power_typ_w;
	const char *source;
	const char *file;
	long line;
	double brightness_nits; /* peak white luminance, cd/m² (0 = not published) */
	double refresh_hz;	/* PWM refresh rate (0 = not published; issue 16) */
	int scan_ratio;		/* N of a 1/N scan multiplex (0 = not published) */
	int pwm_bits;		/* grey bits of the PWM (0 = not published) */
} vpm_panel_t;

/* One row of an LED processor's published output-port capacity table
 * (models/processors.csv): the pixels one data port carries at a bit depth
 * and frame rate.  Rows of one device share `processor`. */
typedef struct {
	const char *name;      /* row key, e.g. "brompton-sx40-12b-60" */
	const char *processor; /* the device's key, e.g. "brompton-sx40" */
	const char *maker, *model;
	int ports;	       /* data ports (1G outputs) per device */
	int bits;	       /* bit depth per colour of this row */
	double fps;	       /* frame rate of this row, Hz */
	double port_px;	       /* pixels per port at bits/fps */
	double device_px;      /* the device's pixel cap at this rate (0 = none published) */
	int panels_per_port;   /* cabinets per port cap (0 = none published) */
	const char *disagrees; /* another source's figure, or NULL: flagged, not used */
	const char *source;
	const char *file;
	long line;
} vpm_processor_t;

/* A dated price range of a panel (per cabinet) or a processor (per device)
 * from models/prices.csv, keyed by the item's catalog name.  Panel rows may
 * also carry a second source's power and weight figures: used where
 * panels.csv has none, flagged where it disagrees (never averaged). */
typedef struct {
	const char *name;		      /* the panel's or processor's catalog name */
	double price_usd_low, price_usd_high; /* per cabinet / device; 0 = no price */
	const char *date;		      /* when the price was quoted (YYYY-MM) */
	double power_max_w, power_typ_w;      /* second-source panel figures; 0 = none */
	double weight_kg;
	const char *source;
	const char *file;
	long line;
} vpm_price_t;

typedef struct vpm_catalog vpm_catalog_t;

/* An empty catalog, or NULL when out of memory. */
vpm_catalog_t *vpm_catalog_alloc(void);
void vpm_catalog_free(vpm_catalog_t *cat); /* NULL is a no-op */

/* Load one catalog file; its kind is told by its header (cameras have
 * photosite columns, lenses focal_mm, panels pitch_mm, processors port_px,
 * prices price_usd_low).  All rows are
 * validated before any is added, so a failed load changes nothing.
 * VPM_ENOTFOUND / VPM_EIO (file), VPM_EPARSE (row, "file:line:col: ..."),
 * VPM_ENOMEM.  *kind may be NULL. */
vpm_status_t vpm_catalog_load_file(vpm_catalog_t *cat, const char *path, vpm_catalog_kind_t *kind);

/* Load cameras.csv, lenses.csv, panels.csv, processors.csv and prices.csv
 * from a directory (each one that exists; VPM_ENOTFOUND when none of the
 * first three does). */
vpm_status_t vpm_catalog_load_dir(vpm_catalog_t *cat, const char *dir);

/* Load each entry of a ':'-separated list (the VPMOIRE_CATALOG_PATH of
 * the program and the Python package): a directory as
 * vpm_catalog_load_dir(), anything else as vpm_catalog_load_file(); empty
 * entries are skipped, NULL or "" loads nothing.  Stops at the first
 * failure with its status and message. */
vpm_status_t vpm_catalog_load_path(vpm_catalog_t *cat, const char *list);

/* Number of entries of a kind, and entry i (in load order). */
size_t vpm_catalog_count(const vpm_catalog_t *cat, vpm_catalog_kind_t kind);
const vpm_camera_t *vpm_catalog_camera(const vpm_catalog_t *cat, size_t i);
const vpm_lens_t *vpm_catalog_lens(const vpm_catalog_t *cat, size_t i);
const vpm_panel_t *vpm_catalog_panel(const vpm_catalog_t *cat, size_t i);
const vpm_processor_t *vpm_catalog_processor(const vpm_catalog_t *cat, size_t i);
const vpm_price_t *vpm_catalog_price(const vpm_catalog_t *cat, size_t i);

/* Find an entry by name, case-insensitively: the `name` key, or the words
 * of maker/model/mode (cameras), series and focal length (lenses, e.g.
 * "CP.3 28mm"), maker/model (panels).  VPM_ENOTFOUND with "did you mean"
 * suggestions, or VPM_EINVAL when the words fit several entries (listed). */
vpm_status_t vpm_catalog_find_camera(const vpm_catalog_t *cat, const char *name,
				     const vpm_camera_t **out);
vpm_status_t vpm_catalog_find_lens(const vpm_catalog_t *cat, const char *name,
				   const vpm_lens_t **out);
vpm_status_t vpm_catalog_find_panel(const vpm_catalog_t *cat, const char *name,
				    const vpm_panel_t **out);

/* The entry of `kind` named exactly `name` (ASCII case-insensitive, no
 * fuzzy matching, no message), or NULL: a hash look-up, O(1). */
const void *vpm_catalog_lookup(const vpm_catalog_t *cat, vpm_catalog_kind_t kind, const char *name);

/* The lenses of a series ("ZEISS CP.3", "cp3"), sorted by focal length:
 * stores up to `max` pointers in out[] and the number found in *n.
 * VPM_ENOTFOUND with suggestions when no series matches. */
vpm_status_t vpm_catalog_find_series(const vpm_catalog_t *cat, const char *series,
				     const vpm_lens_t **out, size_t max, size_t *n);

/* Select entries of `kind` by a comma-separated list of items, as
 * `vpmoire sweep --panels` takes it: "all" (every entry, in catalog order),
 * a glob with * ? or [...] (matched against the lower-case names with
 * fnmatch(3); it must match at least one entry), an exact name, a lens
 * series ("ZEISS CP.3", lenses only), or any name vpm_catalog_find_*()
 * accepts.  Blanks around items are ignored.  Each entry appears once, where
 * it is first selected.  On success *entries is a new array of *n pointers
 * into the catalog (vpm_panel_t, vpm_camera_t or vpm_lens_t by kind) that the
 * caller releases with free().  VPM_EPARSE for an empty item ("empty name in
 * 'a,,b'"), VPM_ENOTFOUND for a glob that matches nothing or an unknown
 * name, VPM_EINVAL for words that fit several entries (or a NULL argument),
 * VPM_ENOMEM.  On failure *entries is NULL and *n is 0. */
vpm_status_t vpm_catalog_select(const vpm_catalog_t *cat, vpm_catalog_kind_t kind,
				const char *selection, const void ***entries, size_t *n);

/* Copy catalog equipment into a set-up (pitch/emitter; photosite/width/
 * OLPF/fill/CFA/CoC; focal and MTF curve).  A camera with CFA "rgbw" is
 * modelled as Bayer (documented approximation). */
void vpm_setup_apply_panel(vpm_setup_t *s, const vpm_panel_t *p);
void vpm_setup_apply_camera(vpm_setup_t *s, const vpm_camera_t *c);
void vpm_setup_apply_lens(vpm_setup_t *s, const vpm_lens_t *l);

/* Raw numbers the user gave, which win over the catalog: the bits of
 * vpm_setup_from_catalog()'s and the overrides' `raw` argument, each
 * naming the vpm_setup_t field whose value is taken. */
typedef enum {
	VPM_RAW_PITCH = 1u << 0,	/* pitch_mm (panel) */
	VPM_RAW_EMITTER = 1u << 1,	/* emitter_mm (panel) */
	VPM_RAW_PHOTOSITE = 1u << 2,	/* photosite_um (camera) */
	VPM_RAW_WIDTH_PX = 1u << 3,	/* width_px (camera) */
	VPM_RAW_OLPF = 1u << 4,		/* olpf_um (camera) */
	VPM_RAW_FILL = 1u << 5,		/* fill (camera) */
	VPM_RAW_CFA = 1u << 6,		/* cfa (camera) */
	VPM_RAW_COC = 1u << 7,		/* coc_mm (camera) */
	VPM_RAW_PUPIL_EDGE = 1u << 8,	/* pupil_edge (lens) */
	VPM_RAW_TRANSMISSION = 1u << 9, /* transmission (lens) */
	VPM_RAW_FOCAL = 1u << 10,	/* focal_mm (lens) */
	VPM_RAW_STOP = 1u << 11,	/* stop */
	VPM_RAW_SQUEEZE = 1u << 12	/* squeeze (lens) */
} vpm_raw_field_t;

/* A raw number wins over a catalog entry: the panel's pitch and emitter,
 * the camera's photosite, width, OLPF, fill, CFA and CoC flagged in `raw`
 * (vpm_raw_field_t bits) are replaced by values's.  The one definition of
 * which flag overrides which entry field; vpm_setup_from_catalog() uses
 * them, and a sweep edits its resolved entries with them. */
void vpm_panel_override(vpm_panel_t *p, const vpm_setup_t *values, unsigned raw);
void vpm_camera_override(vpm_camera_t *c, const vpm_setup_t *values, unsigned raw);

/* Build a set-up from catalog entries, the one rule of every command:
 * start from *defaults (vpm_setup_default() plus everything the caller set,
 * raw numbers included), apply the panel, the camera and the lens (each
 * may be NULL: its fields stay those of *defaults), and let the raw numbers
 * flagged in `raw` win over the catalog.  A raw focal length other than
 * the lens's (VPM_RAW_FOCAL) drops the lens: its MTF curve belongs to the
 * catalog focal length; a zoom keeps it for any focal length inside its
 * range (focal_mm … focal_max_mm), without a curve, and without
 * VPM_RAW_STOP takes the ramp's widest stop there (vpm_lens_max_t_at).
 * The lens's anamorphic squeeze applies unless VPM_RAW_SQUEEZE.  Without a lens there is no MTF curve.  Without
 * VPM_RAW_STOP the stop is the lens's widest, or 0 (unknown) without a
 * lens.  *lens_used (may be NULL) receives the lens whose limits apply:
 * `lens`, or NULL when none or dropped.  Checks nothing: call
 * vpm_setup_validate() (or vpm_predict()) on the result. */
void vpm_setup_from_catalog(const vpm_setup_t *defaults, unsigned raw, const vpm_panel_t *panel,
			    const vpm_camera_t *camera, const vpm_lens_t *lens, vpm_setup_t *out,
			    const vpm_lens_t **lens_used);

/* Can this lens do it?  The stop must lie in its range (max_t … min_t;
 * no upper limit when min_t is unknown) and a finite focus distance (from
 * the sensor plane, metres) must be no closer than its close focus (when
 * known).  VPM_OK for a NULL lens; VPM_ERANGE with a message naming
 * --stop or --focus and the lens's limits otherwise. */
vpm_status_t vpm_lens_check(const vpm_lens_t *l, double stop, double focus_m);

/* vpm_lens_check() at focal length focal_mm (mm): for a zoom the focal
 * length must lie in its range and the stop be no wider than the ramp's
 * widest there (vpm_lens_max_t_at); for a prime the same as
 * vpm_lens_check().  VPM_ERANGE naming --focal, --stop or --focus. */
vpm_status_t vpm_lens_check_at(const vpm_lens_t *l, double focal_mm, double stop, double focus_m);

/* "cameras", "lenses", "panels", "processors", "prices". */
const char *vpm_catalog_kind_name(vpm_catalog_kind_t kind);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_CATALOG_H */
