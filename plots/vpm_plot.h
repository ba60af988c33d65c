/* vpmoire — the chart library: pages, axes, colour scales, heatmaps,
 * contours, labels, legends, tables and previs primitives on cairo.
 *
 * plots/ only draws the numbers it is given; it never computes physics.
 *
 *   vpm_doc_options_t o = vpm_doc_options_default();   (A4 landscape)
 *   vpm_doc_t *doc;  vpm_page_t pg;  vpm_plot_t p;
 *   vpm_doc_alloc(&o, &doc);
 *   vpm_doc_page_add(doc, &pg);                 draw with pg.cr ...
 *   vpm_plot_init(&p, pg.cr, area, &xaxis, &yaxis);
 *   vpm_plot_heatmap(&p, &grid, &cmap);  vpm_plot_axes(&p);
 *   vpm_plot_release(&p);
 *   vpm_doc_save(doc, "chart.pdf");             and/or "chart.png", "chart.svg"
 *   vpm_doc_free(doc);
 *
 * Pages are recorded once (cairo recording surfaces) and replayed into PDF
 * (all pages in one file), PNG or SVG (one file per page), so every format
 * comes from the same drawing code.
 *
 * Coordinates: page millimetres, origin at the top-left corner, y down.  A
 * vpm_plot_t maps data coordinates into a rectangle of the page.  Text
 * sizes are points on the printed page (1 pt = 25.4/72 mm), never below
 * VPM_PLOT_MIN_TEXT_PT.
 */
#ifndef VPM_PLOT_H
#define VPM_PLOT_H

#include <stddef.h>

#include <cairo.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VPM_PLOT_MM_PER_PT (25.4 / 72.0)
#define VPM_PLOT_MIN_TEXT_PT 7.0 /* smallest text on a printed page */

/* An sRGB colour, components in [0, 1], with alpha. */
typedef struct {
	double r, g, b, a;
} vpm_color_t;

/* An axis-aligned rectangle in page millimetres, x0 <= x1, y0 <= y1. */
typedef struct {
	double x0, y0, x1, y1;
} vpm_box_t;

/* 1 when the two boxes share interior area (touching edges do not count). */
int vpm_box_overlap(vpm_box_t a, vpm_box_t b);

/* ================================================================ colour */

/* An opaque sRGB colour; components are clamped to [0, 1]. */
vpm_color_t vpm_color_rgb(double r, double g, double b);

/* The same colour with alpha `a` (clamped to [0, 1]). */
vpm_color_t vpm_color_alpha(vpm_color_t c, double a);

/* sRGB (D65) to CIELAB: lab[0] = L* in [0, 100], lab[1] = a*, lab[2] = b*. */
void vpm_color_to_lab(vpm_color_t c, double lab[3]);

/* CIELAB (D65) to opaque sRGB, clipped to the gamut per component. */
vpm_color_t vpm_color_from_lab(double l_star, double a_star, double b_star);

/* The lightness L* of the colour's luminance: the grey a greyscale printer
 * or photocopier makes of it (alpha ignored). */
double vpm_color_grey_lightness(vpm_color_t c);

/* The sequential visibility map at t in [0, 1] (clamped; NaN gives mid
 * grey): pale cream (t = 0, low visibility) through yellow, orange, red and
 * purple to near black (t = 1).  Built from anchors in CIELAB with strictly
 * falling L* and parametrised by CIELAB arc length, so equal steps in t are
 * equal colour differences (ΔE*ab); ordered by lightness alone, so it reads
 * with any colour-vision deficiency and in greyscale. */
vpm_color_t vpm_color_sequential(double t);

/* The risk palette: level 0 safe (pale blue-green, L* 93), 1 caution
 * (amber, L* 70), 2 risky (dark red, L* 38).  Levels outside 0..2 are
 * clamped.  The lightness steps keep the three apart in greyscale. */
vpm_color_t vpm_color_risk(int level);

/* ================================================================ colour scales */

typedef enum {
	VPM_CMAP_SEQUENTIAL = 0, /* vpm_color_sequential() over [min, max] */
	VPM_CMAP_RISK		 /* three classes split at caution_at, risky_at */
} vpm_cmap_kind_t;

/* How values become colours.  Start from vpm_cmap_sequential() or
 * vpm_cmap_risk() and change fields. */
typedef struct {
	vpm_cmap_kind_t kind;
	double min, max;       /* sequential: the values at the two ends (clamped beyond) */
	int log;	       /* sequential: map log10(v); min and max must be > 0 */
	double caution_at;     /* class 1 from this value (default 1) */
	double risky_at;       /* class 2 from this value (default 3) */
	int hatch_risky;       /* heatmaps hatch cells >= risky_at (default 1) */
	vpm_color_t nan_color; /* cells without a value (light grey) */
} vpm_cmap_t;

/* A sequential map over [min, max], linear or log10, thresholds 1 and 3. */
vpm_cmap_t vpm_cmap_sequential(double min, double max, int log);

/* The three-colour risk map with the given thresholds; min/max 0.1 and 10
 * (used only for the colour bar's extent). */
vpm_cmap_t vpm_cmap_risk(double caution_at, double risky_at);

/* Check a map: finite ends, min < max, both > 0 when log, thresholds
 * finite and caution_at <= risky_at.  VPM_EINVAL with a message. */
vpm_status_t vpm_cmap_validate(const vpm_cmap_t *m);

/* Risk class of a value: 0, 1, 2, or -1 for NaN. */
int vpm_cmap_level(const vpm_cmap_t *m, double v);

/* Position of a value along the map, in [0, 1] (clamped; NaN gives NaN). */
double vpm_cmap_fraction(const vpm_cmap_t *m, double v);

/* The colour of a value (nan_color for NaN). */
vpm_color_t vpm_cmap_color(const vpm_cmap_t *m, double v);

/* ================================================================ axes and ticks */

typedef enum { VPM_AXIS_LINEAR = 0, VPM_AXIS_LOG } vpm_axis_scale_t;

/* "Nice" ticks inside [lo, hi] (either order; lo != hi, both finite): the
 * multiples of a step 1, 2 or 5 × 10^k whose count is closest to `target`
 * (ties go to the larger step).  Writes at most `max` ticks in increasing
 * order to `ticks`, their count to *n and the step to *step (either may be
 * NULL).  VPM_EINVAL for bad arguments, VPM_ERANGE when more than `max`
 * ticks would be needed. */
vpm_status_t vpm_axis_nice_ticks(double lo, double hi, int target, double *ticks, int max, int *n,
				 double *step);

/* Ticks for a log10 axis over [lo, hi] (0 < lo < hi): 1-2-5 in each decade
 * when the range spans at most 3 decades, else the powers of ten only (every
 * second or third one for very wide ranges).  Same conventions as above. */
vpm_status_t vpm_axis_log_ticks(double lo, double hi, double *ticks, int max, int *n);

/* Ticks of a secondary scale s = v × factor (feet on a metre axis: factor
 * 1 / 0.3048), at nice values of s — whole numbers only when `whole` — for
 * the primary range [lo, hi].  Returns each tick's position in primary units
 * (`primary`) and its secondary value (`secondary`); either may be NULL. */
vpm_status_t vpm_axis_secondary_ticks(double lo, double hi, double factor, int target, int whole,
				      double *primary, double *secondary, int max, int *n);

/* A tick label for value v on a scale of step `step` (decimals as the step
 * needs; 0 for step <= 0 prints %g; never "-0").  Returns buf. */
char *vpm_axis_format(double v, double step, char *buf, size_t size);

/* One axis of a plot.  Start from vpm_axis_default(). */
typedef struct {
	double min, max;	/* data range, left→right or bottom→top */
	vpm_axis_scale_t scale; /* linear (default) or log10 */
	const char *title;	/* with its unit: "Focal length (mm)" */
	int target_ticks;	/* about this many nice ticks (6) */
	const double *ticks;	/* explicit ticks (a lens series), or NULL */
	int nticks;
	int grid;		 /* vpm_plot_grid() draws lines at the ticks (1) */
	double secondary_factor; /* 0: none; else a scale v × factor on the opposite
				       side (linear axes only) */
	const char *secondary_title;
	int secondary_whole;		/* secondary ticks at whole units only (1) */
	int hidden;			/* no frame side, ticks or labels */
	const char *const *tick_labels; /* with explicit ticks: the text of each tick
					   (nticks strings, not copied; NULL entries
					   print the value), e.g. a category axis; NULL
					   (default): the values */
} vpm_axis_t;

/* A linear axis over [min, max] titled `title` (not copied). */
vpm_axis_t vpm_axis_default(double min, double max, const char *title);

/* ================================================================ label placement */

typedef enum {
	VPM_PLACE_NONE = 0, /* nothing fits: the label was skipped */
	VPM_PLACE_NEAR,	    /* placed next to its anchor */
	VPM_PLACE_LEADER    /* placed further away: draw a leader line */
} vpm_place_t;

/* Occupied areas of a page region, to keep labels from overlapping. */
typedef struct {
	vpm_box_t bounds; /* labels must lie inside */
	size_t n, cap;
	vpm_box_t *boxes;
} vpm_placer_t;

/* Start with nothing occupied (no allocation yet). */
void vpm_placer_init(vpm_placer_t *p, vpm_box_t bounds);

/* Free the list; the placer may be initialised again. */
void vpm_placer_release(vpm_placer_t *p);

/* Mark a box as occupied (a marker, a legend).  VPM_ENOMEM. */
vpm_status_t vpm_placer_reserve(vpm_placer_t *p, vpm_box_t box);

/* 1 when `box` lies inside the bounds and overlaps nothing occupied. */
int vpm_placer_fits(const vpm_placer_t *p, vpm_box_t box);

/* Place a w × h mm label for the anchor (x, y): tries the eight positions
 * around it at distance `gap_mm` (right, upper right, lower right, left,
 * ..., above, below), then the same at three and six times the distance
 * (a leader line is then needed).  The chosen box is reserved and stored in
 * *box; *how says which case applied (VPM_PLACE_NONE: *box untouched).
 * VPM_EINVAL (NULL, negative size), VPM_ENOMEM. */
vpm_status_t vpm_placer_place(vpm_placer_t *p, double x, double y, double w, double h,
			      double gap_mm, vpm_box_t *box, vpm_place_t *how);

/* ================================================================ contours */

/* One contour line in data coordinates. */
typedef struct {
	size_t n;      /* points */
	double *x, *y; /* owned by the vpm_contour_t */
	int closed;    /* 1 when the last point joins the first */
} vpm_polyline_t;

typedef struct {
	double level;
	size_t count; /* polylines */
	vpm_polyline_t *lines;
} vpm_contour_t;

/* Marching squares on node values z[j·nx + i] at (x[i], y[j]) (x and y
 * strictly monotonic, nx, ny >= 2): the lines where z = level, crossing
 * points linearly interpolated along cell edges, nodes with z >= level
 * counted inside.  Saddle cells are resolved by the mean of their four
 * corners.  Cells with a NaN corner are skipped.  With `log_z` the field
 * and the level are interpolated as log10 (values <= 0 count as NaN).
 * Segments are joined into polylines.  On success *out is a new contour
 * (free with vpm_contour_free(); count may be 0).  VPM_EINVAL, VPM_ENOMEM. */
vpm_status_t vpm_contour_compute(const double *x, const double *y, size_t nx, size_t ny,
				 const double *z, double level, int log_z, vpm_contour_t **out);

/* Free a contour; NULL is a no-op. */
void vpm_contour_free(vpm_contour_t *c);

/* ================================================================ documents */

typedef enum { VPM_DOC_A4 = 0, VPM_DOC_LETTER, VPM_DOC_CUSTOM } vpm_doc_paper_t;
typedef enum { VPM_DOC_PDF = 0, VPM_DOC_PNG, VPM_DOC_SVG } vpm_doc_format_t;

/* Document options.  Start from vpm_doc_options_default(). */
typedef struct {
	vpm_doc_paper_t paper;	    /* A4 (default) or Letter, or CUSTOM */
	int landscape;		    /* 1 (default) */
	double width_mm, height_mm; /* CUSTOM only (portrait/landscape ignored) */
	double png_dpi;		    /* PNG resolution (150) */
	double margin_mm;	    /* page margin (12) */
	const char *title;	    /* PDF metadata title, or NULL */
	const char *font;	    /* font family ("DejaVu Sans") */
	int page_numbers;	    /* "Page k of n" at the bottom right (1) */
} vpm_doc_options_t;

vpm_doc_options_t vpm_doc_options_default(void);

typedef struct vpm_doc vpm_doc_t;

/* One page being drawn. */
typedef struct {
	cairo_t *cr; /* draws in page mm; owned by the document */
	double width_mm, height_mm;
	double margin_mm;
	int index; /* 0-based */
} vpm_page_t;

/* A new, empty document.  Copies the options (the strings too).  VPM_EINVAL
 * for impossible sizes, resolutions or margins, VPM_ENOMEM. */
vpm_status_t vpm_doc_alloc(const vpm_doc_options_t *opt, vpm_doc_t **doc);

/* Free a document and its pages; NULL is a no-op. */
void vpm_doc_free(vpm_doc_t *doc);

/* Start a new page, white, with the document font selected.  page->cr stays
 * valid until the document is freed; draw each page before saving.
 * VPM_ENOMEM, VPM_EINTERNAL (a cairo failure). */
vpm_status_t vpm_doc_page_add(vpm_doc_t *doc, vpm_page_t *page);

/* The number of pages added so far. */
int vpm_doc_page_count(const vpm_doc_t *doc);

/* The format named by a path's extension: .pdf, .png, .svg (any case).
 * VPM_EINVAL for anything else. */
vpm_status_t vpm_doc_format_from_path(const char *path, vpm_doc_format_t *format);

/* The file of page `index` (0-based) when a format writes one file per page:
 * index 0 is `path` itself, index k is "name-(k+1).ext" ("chart.png",
 * "chart-2.png", ...).  VPM_EINVAL, VPM_ERANGE (buffer too small). */
vpm_status_t vpm_doc_page_path(const char *path, int index, char *buf, size_t size);

/* Write the document in the format of `path`: PDF holds every page; PNG and
 * SVG write one file per page (vpm_doc_page_path()).  Every file is written
 * to a temporary file in the destination directory and renamed into place
 * only when all of them are complete; on failure nothing is left behind.
 * VPM_EINVAL (no page, unknown extension), VPM_ERANGE (image too large for
 * cairo), VPM_EIO (the directory or the disk), VPM_EINTERNAL. */
vpm_status_t vpm_doc_save(vpm_doc_t *doc, const char *path);

/* Write page `index` alone to `path` exactly (any of the three formats).
 * Statuses as vpm_doc_save(), VPM_ERANGE for a page that does not exist. */
vpm_status_t vpm_doc_save_page(vpm_doc_t *doc, int index, const char *path);

/* ================================================================ text */

#define VPM_TEXT_BASELINE (-1.0) /* valign: the anchor is on the baseline */

typedef struct {
	double size_pt; /* raised to VPM_PLOT_MIN_TEXT_PT when smaller */
	int bold;
	int italic;
	vpm_color_t color; /* (black) */
	double angle_deg;  /* counter-clockwise on the page */
	double halign;	   /* 0 left, 0.5 centre, 1 right of the anchor */
	double valign;	   /* 0 top, 0.5 middle (of the capitals), 1 bottom, or
			      VPM_TEXT_BASELINE */
	int halo;	   /* a white outline, for text over colour */
} vpm_text_style_t;

/* How many bytes of the UTF-8 text s[0..n) to keep so that at most `max`
 * are kept and the cut falls between characters, never inside one: n when
 * n <= max, else the largest length <= max that ends before a lead byte.
 * (cairo refuses a string cut inside a character and stops drawing.) */
size_t vpm_text_utf8_cut(const char *s, size_t n, size_t max);

/* Black, upright, left/baseline-anchored text of the given size. */
vpm_text_style_t vpm_text_style(double size_pt);

/* Width (advance) and height (ascent + descent) of unrotated text, in mm. */
void vpm_text_measure(cairo_t *cr, const char *text, const vpm_text_style_t *st, double *w_mm,
		      double *h_mm);

/* The page box (axis-aligned, including rotation) the text would cover at
 * anchor (x, y) mm, without drawing. */
vpm_box_t vpm_text_box(cairo_t *cr, double x_mm, double y_mm, const char *text,
		       const vpm_text_style_t *st);

/* Draw UTF-8 text at anchor (x, y) mm; returns the box it covers.  The text
 * stays text in PDF and SVG (selectable, found by pdftotext). */
vpm_box_t vpm_text_draw(cairo_t *cr, double x_mm, double y_mm, const char *text,
			const vpm_text_style_t *st);

/* Text wrapped at spaces into lines of at most width_mm (a word longer than
 * the width gets a line of its own); '\n' starts a new paragraph.  (x, y) is
 * the top-left corner; the style's halign aligns lines inside the width,
 * valign and angle are ignored.  Draws only when `draw`; returns the height
 * used in mm. */
double vpm_text_wrap(cairo_t *cr, double x_mm, double y_mm, double width_mm, const char *text,
		     const vpm_text_style_t *st, int draw);

/* ================================================================ page furniture */

/* Title (15 pt bold) and optional subtitle (10.5 pt grey) at the top-left
 * margin.  Returns the y (mm) just below them. */
double vpm_page_title(const vpm_page_t *pg, const char *title, const char *subtitle);

/* One assumption in a footer: "key: value". */
typedef struct {
	const char *key;
	const char *value;
} vpm_footer_item_t;

/* The assumptions footer at the bottom margin, above a thin rule: the
 * heading in bold, then every item, separated by " · " and wrapped between
 * items (inside an item only when it is wider than a line), 7.5 pt.  When
 * `draw` is 0 only measures.  Returns the y (mm) of the footer's top edge. */
double vpm_page_footer(const vpm_page_t *pg, const char *heading, const vpm_footer_item_t *items,
		       size_t n, int draw);

/* A boxed note (a chart's reading guide): a bold heading and wrapped text
 * in a light grey rounded box `width_mm` wide with its top-left corner at
 * (x, y).  Draws only when `draw`; returns the box. */
vpm_box_t vpm_note_box(cairo_t *cr, double x_mm, double y_mm, double width_mm, const char *heading,
		       const char *text, double size_pt, int draw);

/* ================================================================ plots */

/* A rectangle of a page with data coordinates.  Fields may be read; set them
 * through vpm_plot_init(). */
typedef struct {
	cairo_t *cr;
	vpm_box_t area; /* the data rectangle on the page, mm */
	vpm_axis_t x, y;
	vpm_placer_t labels; /* occupied areas: markers, labels */
} vpm_plot_t;

/* Map data onto `area` of the page drawn by `cr` (both axes' strings are
 * not copied and must outlive the plot).  Log axes need min, max > 0.
 * VPM_EINVAL with a message for empty areas or ranges. */
vpm_status_t vpm_plot_init(vpm_plot_t *p, cairo_t *cr, vpm_box_t area, const vpm_axis_t *x,
			   const vpm_axis_t *y);

/* A plot whose data coordinates are the page's millimetres (y down), with
 * hidden axes: the primitives below then draw on the page directly. */
vpm_status_t vpm_plot_init_page(vpm_plot_t *p, const vpm_page_t *pg);

/* Free the label list.  NULL is a no-op. */
void vpm_plot_release(vpm_plot_t *p);

/* Data to page mm along each axis. */
double vpm_plot_x(const vpm_plot_t *p, double x);
double vpm_plot_y(const vpm_plot_t *p, double y);

/* Grid lines at the major ticks of axes with `grid` set. */
void vpm_plot_grid(const vpm_plot_t *p, vpm_color_t color);

/* The frame, ticks, tick labels (9 pt; a label that would overlap its
 * neighbour is skipped) and axis titles (10 pt), and the secondary scales
 * on the opposite sides. */
void vpm_plot_axes(const vpm_plot_t *p);

/* A grid of values for heatmaps and contours: z[j·nx + i] belongs to the
 * cell centred at (x[i], y[j]).  Cell edges are the given ones or else
 * halfway between centres (geometric mean on a log axis), the outer ones
 * mirrored.  Non-uniform x (a lens series' focal lengths) is fine. */
typedef struct {
	size_t nx, ny;
	const double *x;       /* nx centres, strictly increasing */
	const double *y;       /* ny centres, strictly increasing */
	const double *x_edges; /* nx + 1 edges, or NULL */
	const double *y_edges; /* ny + 1 edges, or NULL */
	const double *z;       /* nx · ny values; NaN = no data */
} vpm_grid_t;

/* Fill each cell with the map's colour, clipped to the plot area; with
 * m->hatch_risky, cells at or above risky_at are also hatched.
 * VPM_EINVAL (bad grid or map), VPM_ENOMEM. */
vpm_status_t vpm_plot_heatmap(vpm_plot_t *p, const vpm_grid_t *g, const vpm_cmap_t *m);

/* A line style: colour, width and dash length in mm (0 = solid), and a
 * white underlay for lines over colour. */
typedef struct {
	vpm_color_t color;
	double width_mm;
	double dash_mm;
	int halo;
} vpm_line_style_t;

vpm_line_style_t vpm_line_style(vpm_color_t color, double width_mm);

/* The contour z = level of a grid (marching squares on the cell centres,
 * see vpm_contour_compute()), clipped to the plot area, with `label`
 * (8 pt, may be NULL) written inline along long enough lines, upright, in a
 * gap of the line, where it overlaps no other label.  VPM_EINVAL, VPM_ENOMEM. */
vpm_status_t vpm_plot_contour(vpm_plot_t *p, const vpm_grid_t *g, double level, int log_z,
			      const vpm_line_style_t *ls, const char *label);

typedef enum {
	VPM_MARKER_CIRCLE = 0,
	VPM_MARKER_SQUARE,
	VPM_MARKER_TRIANGLE,
	VPM_MARKER_DIAMOND,
	VPM_MARKER_CROSS
} vpm_marker_t;

/* A marker of `size_mm` across centred on data (x, y), filled and outlined
 * (alpha 0 skips either); its box is reserved against labels.  VPM_ENOMEM. */
vpm_status_t vpm_plot_marker(vpm_plot_t *p, double x, double y, vpm_marker_t shape, double size_mm,
			     vpm_color_t fill, vpm_color_t stroke);

/* Reserve a w × h mm box centred on data point (x, y) against later labels
 * (contour labels included), e.g. for markers drawn after the contours.
 * VPM_ENOMEM. */
vpm_status_t vpm_plot_reserve(vpm_plot_t *p, double x, double y, double w_mm, double h_mm);

/* Clip drawing to the plot area until vpm_plot_clip_end() (a cairo
 * save/restore pair: calls must nest). */
void vpm_plot_clip_begin(const vpm_plot_t *p);
void vpm_plot_clip_end(const vpm_plot_t *p);

/* A label for data point (x, y) where it overlaps no earlier label or
 * marker and stays inside the plot (vpm_placer_place(), gap 1.6 mm); far
 * placements get a thin leader line; when nothing fits the label is skipped.
 * The style's alignment is ignored.  Returns how it was placed in *how (may
 * be NULL).  VPM_EINVAL, VPM_ENOMEM. */
vpm_status_t vpm_plot_label(vpm_plot_t *p, double x, double y, const char *text,
			    const vpm_text_style_t *st, vpm_place_t *how);

/* Text at data (x, y) with the style's alignment and rotation, no placement
 * check.  Returns the box it covers. */
vpm_box_t vpm_plot_text(const vpm_plot_t *p, double x, double y, const char *text,
			const vpm_text_style_t *st);

/* Previs primitives in data coordinates (page mm for a page plot), not
 * clipped to the area: a segment, a polyline (closed when `closed`), a
 * filled polygon (outline NULL: none), a hatched polygon (lines `spacing_mm`
 * apart at `angle_deg`), an axis-aligned rectangle, an arrow with a head at
 * the end (`heads` 1) or both ends (2). */
void vpm_plot_line(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		   const vpm_line_style_t *ls);
void vpm_plot_polyline(const vpm_plot_t *p, const double *x, const double *y, size_t n, int closed,
		       const vpm_line_style_t *ls);
void vpm_plot_polygon(const vpm_plot_t *p, const double *x, const double *y, size_t n,
		      vpm_color_t fill, const vpm_line_style_t *outline);
void vpm_plot_hatch(const vpm_plot_t *p, const double *x, const double *y, size_t n,
		    const vpm_line_style_t *ls, double spacing_mm, double angle_deg);
void vpm_plot_rect(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		   vpm_color_t fill, const vpm_line_style_t *outline);
void vpm_plot_arrow(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
		    const vpm_line_style_t *ls, int heads);

/* A dimension line between data points 0 and 1, drawn `offset_mm` to the
 * left of the direction 0→1 (negative: right) with extension lines and
 * arrow heads at both ends, and `text` centred along it on its far side
 * (away from the points), upright. */
void vpm_plot_dimension(const vpm_plot_t *p, double x0, double y0, double x1, double y1,
			double offset_mm, const char *text, const vpm_text_style_t *st);

/* ================================================================ legends */

typedef enum {
	VPM_LEGEND_SWATCH = 0, /* a filled square (hatched when `hatch`) */
	VPM_LEGEND_LINE,       /* a short line in `line` style */
	VPM_LEGEND_MARKER      /* a marker filled with `color` */
} vpm_legend_kind_t;

typedef struct {
	vpm_legend_kind_t kind;
	const char *text;
	vpm_color_t color;
	int hatch;
	vpm_line_style_t line;
	vpm_marker_t marker;
} vpm_legend_entry_t;

/* A legend with its top-left corner at (x, y) mm: an optional bold title,
 * then one row per entry (symbol, text) of `size_pt`.  Draws only when
 * `draw`; returns its box. */
vpm_box_t vpm_legend_draw(cairo_t *cr, double x_mm, double y_mm, const char *title,
			  const vpm_legend_entry_t *e, size_t n, double size_pt, int draw);

/* A vertical colour bar filling `bar` (mm), low values at the bottom, with
 * ticks and labels on its right (nice or log ticks of [min, max]), the
 * thresholds caution_at and risky_at marked across the bar and labelled in
 * bold, and `title` above.  A risk map draws its three classes as equal
 * blocks named safe, caution, risky.  Returns the box covered.
 * VPM_EINVAL for a bad map. */
vpm_status_t vpm_colorbar_draw(cairo_t *cr, vpm_box_t bar, const vpm_cmap_t *m, const char *title,
			       vpm_box_t *covered);

/* ================================================================ tables */

/* A table for summary pages. */
typedef struct {
	size_t ncols, nrows;	     /* body rows (the header is extra) */
	const char *const *header;   /* ncols strings, or NULL for none */
	const char *const *cells;    /* nrows × ncols, row-major; NULL = empty */
	const double *widths;	     /* ncols relative widths, or NULL (equal) */
	const double *align;	     /* ncols: 0 left, 0.5 centre, 1 right; NULL left */
	const vpm_color_t *row_fill; /* nrows fills (alpha 0: none), or NULL */
	int zebra;		     /* light stripes on every second row */
	double size_pt;		     /* body text (9) */
	const int *whole;	     /* ncols, or NULL: 1 = never shorten this column's
					text (numbers, verdicts): the column widens to
					its widest cell, taking the room from the
					others */
} vpm_table_t;

/* Draw body rows first_row.. of `t` at (x, y) mm, `width_mm` wide, as many
 * as fit in max_height_mm (the header is repeated on each call).  Columns
 * marked `whole` first widen to their widest cell (header and every body
 * row, so the columns line up from page to page); then a cell too wide for
 * its column is shortened with "…".  *rows_drawn (may be NULL)
 * tells how many rows were drawn, so a caller can continue on a new page;
 * *height_mm (may be NULL) the height used.  VPM_EINVAL (bad table, first
 * row out of range, not even one row fits). */
vpm_status_t vpm_table_draw(cairo_t *cr, double x_mm, double y_mm, double width_mm,
			    double max_height_mm, const vpm_table_t *t, size_t first_row,
			    size_t *rows_drawn, double *height_mm);

#ifdef __cplusplus
}
#endif
#endif /* VPM_PLOT_H */
