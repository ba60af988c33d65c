/* Private helpers shared by the files of plots/ (not installed). */
#ifndef VPM_PLOT_PRIVATE_H
#define VPM_PLOT_PRIVATE_H

#include <cairo.h>

#include "vpm_plot.h"

#define VPM_PLOT_DEFAULT_FONT "DejaVu Sans"
#define VPM_PLOT_PI 3.14159265358979323846

/* Colours used across the library. */
#define VPM_INK vpm_color_rgb(0.13, 0.13, 0.13)	     /* text and frames */
#define VPM_INK_SOFT vpm_color_rgb(0.38, 0.38, 0.38) /* secondary text */
#define VPM_WHITE vpm_color_rgb(1.0, 1.0, 1.0)

static inline void vpm_priv_source(cairo_t *cr, vpm_color_t c)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a);
}

/* Attach the document's font family to a page's context; text.c reads it. */
void vpm_priv_set_font_family(cairo_t *cr, const char *family);

/* Apply a line style (colour, width, dash, round caps) to `cr`. */
void vpm_priv_line(cairo_t *cr, const vpm_line_style_t *ls);

/* Stroke the current path with the style, with its white underlay when
 * ls->halo; the path is consumed. */
void vpm_priv_stroke(cairo_t *cr, const vpm_line_style_t *ls);

/* A marker path centred at page (x, y) mm. */
void vpm_priv_marker_path(cairo_t *cr, double x, double y, vpm_marker_t shape, double size_mm);

/* Diagonal hatch lines over `box` (page mm), clipped by the caller. */
void vpm_priv_hatch_lines(cairo_t *cr, vpm_box_t box, double spacing_mm, double angle_deg);

#endif
