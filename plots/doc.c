/* Documents: pages recorded once, replayed into PDF, PNG or SVG, written
 * through a temporary file and renamed into place (lib/vpmoire/atomic.h). */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "plot_private.h"
#include "vpmoire/atomic.h"

#define PT_PER_MM (72.0 / 25.4)
#define MAX_IMAGE_PX 32767 /* cairo's largest image side */

struct vpm_doc {
	vpm_doc_options_t opt;
	char *title, *font; /* owned copies of opt.title, opt.font */
	double w_mm, h_mm;
	int n, cap;
	cairo_surface_t **rec;
	cairo_t **cr;
};

vpm_doc_options_t vpm_doc_options_default(void)
{
	vpm_doc_options_t o;

	o.paper = VPM_DOC_A4;
	o.landscape = 1;
	o.width_mm = 0.0;
	o.height_mm = 0.0;
	o.png_dpi = 150.0;
	o.margin_mm = 12.0;
	o.title = NULL;
	o.font = VPM_PLOT_DEFAULT_FONT;
	o.page_numbers = 1;
	return o;
}

static char *dup_string(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = malloc(strlen(s) + 1);
	if (d)
		strcpy(d, s);
	return d;
}

vpm_status_t vpm_doc_alloc(const vpm_doc_options_t *opt, vpm_doc_t **doc)
{
	vpm_doc_t *d;
	double w, h;

	if (!opt || !doc)
		return vpm_error_set(VPM_EINVAL, "document: NULL argument");
	switch (opt->paper) {
	case VPM_DOC_A4: /* ISO 216 */
		w = 210.0;
		h = 297.0;
		break;
	case VPM_DOC_LETTER: /* ANSI A, 8.5 × 11 in */
		w = 215.9;
		h = 279.4;
		break;
	case VPM_DOC_CUSTOM:
		w = opt->width_mm;
		h = opt->height_mm;
		if (!(w >= 10.0 && w <= 5000.0 && h >= 10.0 && h <= 5000.0))
			return vpm_error_set(VPM_EINVAL,
					     "document: page %g × %g mm is not within 10..5000 mm",
					     w, h);
		break;
	default: return vpm_error_set(VPM_EINVAL, "document: unknown paper %d", (int)opt->paper);
	}
	if (opt->paper != VPM_DOC_CUSTOM && opt->landscape) {
		double t = w;

		w = h;
		h = t;
	}
	if (!(opt->png_dpi >= 10.0 && opt->png_dpi <= 2400.0))
		return vpm_error_set(VPM_EINVAL,
				     "document: PNG resolution %g dpi is not within 10..2400",
				     opt->png_dpi);
	if (!(opt->margin_mm >= 0.0 && opt->margin_mm < fmin(w, h) / 3.0))
		return vpm_error_set(VPM_EINVAL,
				     "document: margin %g mm does not fit a %g × %g mm page",
				     opt->margin_mm, w, h);
	d = calloc(1, sizeof *d);
	if (!d)
		return vpm_error_set(VPM_ENOMEM, "document: out of memory");
	d->opt = *opt;
	d->title = dup_string(opt->title);
	d->font = dup_string(opt->font ? opt->font : VPM_PLOT_DEFAULT_FONT);
	if ((opt->title && !d->title) || !d->font) {
		vpm_doc_free(d);
		return vpm_error_set(VPM_ENOMEM, "document: out of memory");
	}
	d->opt.title = d->title;
	d->opt.font = d->font;
	d->w_mm = w;
	d->h_mm = h;
	*doc = d;
	return VPM_OK;
}

void vpm_doc_free(vpm_doc_t *doc)
{
	int k;

	if (!doc)
		return;
	for (k = 0; k < doc->n; k++) {
		cairo_destroy(doc->cr[k]);
		/* Finish before the last reference goes: cairo 1.16.0's SVG
		 * backend takes a reference on every recording it replays as a
		 * source and never drops it, so the destroy alone would keep the
		 * page's whole recording (its drawing commands, up to a megabyte
		 * a page) alive until exit.  Finishing frees the commands now;
		 * only the surface's small header stays (tests/lsan.supp). */
		cairo_surface_finish(doc->rec[k]);
		cairo_surface_destroy(doc->rec[k]);
	}
	free(doc->cr);
	free(doc->rec);
	free(doc->title);
	free(doc->font);
	free(doc);
}

int vpm_doc_page_count(const vpm_doc_t *doc)
{
	return doc ? doc->n : 0;
}

/* Page millimetres on a context whose user space is points. */
static void setup_mm(cairo_t *cr, const char *font)
{
	cairo_scale(cr, PT_PER_MM, PT_PER_MM);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	vpm_priv_set_font_family(cr, font);
}

vpm_status_t vpm_doc_page_add(vpm_doc_t *doc, vpm_page_t *page)
{
	cairo_rectangle_t ext;
	cairo_surface_t *rec;
	cairo_t *cr;

	if (!doc || !page)
		return vpm_error_set(VPM_EINVAL, "document: NULL argument");
	if (doc->n == doc->cap) {
		int cap = doc->cap ? 2 * doc->cap : 4;
		cairo_surface_t **nr = realloc(doc->rec, (size_t)cap * sizeof *nr);
		cairo_t **nc;

		if (!nr)
			return vpm_error_set(VPM_ENOMEM, "document: out of memory for %d pages",
					     cap);
		doc->rec = nr;
		nc = realloc(doc->cr, (size_t)cap * sizeof *nc);
		if (!nc)
			return vpm_error_set(VPM_ENOMEM, "document: out of memory for %d pages",
					     cap);
		doc->cr = nc;
		doc->cap = cap;
	}
	/* cairo keeps a recording's extents in whole units: round the page up
	 * (the output surfaces crop to the exact size), or the last fraction of
	 * a point at the right and bottom would be lost on replay */
	ext.x = 0.0;
	ext.y = 0.0;
	ext.width = ceil(doc->w_mm * PT_PER_MM);
	ext.height = ceil(doc->h_mm * PT_PER_MM);
	rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &ext);
	cr = cairo_create(rec);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
		cairo_status_t cs = cairo_status(cr);

		cairo_destroy(cr);
		cairo_surface_destroy(rec);
		return vpm_error_set(cs == CAIRO_STATUS_NO_MEMORY ? VPM_ENOMEM : VPM_EINTERNAL,
				     "document: cannot start page %d: %s", doc->n + 1,
				     cairo_status_to_string(cs));
	}
	setup_mm(cr, doc->font);
	doc->rec[doc->n] = rec;
	doc->cr[doc->n] = cr;
	page->cr = cr;
	page->width_mm = doc->w_mm;
	page->height_mm = doc->h_mm;
	page->margin_mm = doc->opt.margin_mm;
	page->index = doc->n;
	doc->n++;
	return VPM_OK;
}

vpm_status_t vpm_doc_format_from_path(const char *path, vpm_doc_format_t *format)
{
	const char *dot, *slash;

	if (!path || !format)
		return vpm_error_set(VPM_EINVAL, "document: NULL path");
	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash)) {
		if (strcasecmp(dot, ".pdf") == 0)
			*format = VPM_DOC_PDF;
		else if (strcasecmp(dot, ".png") == 0)
			*format = VPM_DOC_PNG;
		else if (strcasecmp(dot, ".svg") == 0)
			*format = VPM_DOC_SVG;
		else
			dot = NULL;
		if (dot)
			return VPM_OK;
	}
	return vpm_error_set(VPM_EINVAL, "%s: unknown output format (expected .pdf, .png or .svg)",
			     path);
}

vpm_status_t vpm_doc_page_path(const char *path, int index, char *buf, size_t size)
{
	const char *dot, *slash;
	size_t stem;
	int len;

	if (!path || !buf || size == 0 || index < 0)
		return vpm_error_set(VPM_EINVAL, "document: invalid page path arguments");
	if (index == 0)
		len = snprintf(buf, size, "%s", path);
	else {
		dot = strrchr(path, '.');
		slash = strrchr(path, '/');
		if (!dot || (slash && dot < slash))
			dot = path + strlen(path);
		stem = (size_t)(dot - path);
		len = snprintf(buf, size, "%.*s-%d%s", (int)stem, path, index + 1, dot);
	}
	if (len < 0 || (size_t)len >= size)
		return vpm_error_set(VPM_ERANGE, "%s: page file name too long", path);
	return VPM_OK;
}

/* ---------------------------------------------------------------- atomic files */

/* An output being written: a vpm_atomic_file_t (lib/vpmoire/atomic.h:
 * temporary file beside the destination, renamed on commit, removed on
 * abort or by the signal handler) plus the first write error cairo met. */
typedef struct {
	vpm_atomic_file_t *f;
	const char *path;
	int err; /* errno of the first failed write, 0 if none */
} sink_t;

static vpm_status_t sink_open(sink_t *s, const char *path)
{
	s->err = 0;
	s->path = path;
	return vpm_atomic_open(path, &s->f);
}

static cairo_status_t sink_write(void *closure, const unsigned char *data, unsigned int length)
{
	sink_t *s = closure;
	FILE *fp = vpm_atomic_stream(s->f);

	if (s->err)
		return CAIRO_STATUS_WRITE_ERROR;
	if (fwrite(data, 1, length, fp) != length) {
		s->err = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Remove the temporary file; a no-op on a sink already finished. */
static void sink_abort(sink_t *s)
{
	vpm_atomic_abort(s->f);
	s->f = NULL;
}

/* Push buffered bytes to the temporary file, so that a full disk shows up
 * before any file of a set is renamed. */
static vpm_status_t sink_flush(sink_t *s)
{
	FILE *fp = vpm_atomic_stream(s->f);
	int e = s->err;

	if (!e && (fflush(fp) != 0 || ferror(fp)))
		e = errno ? errno : EIO;
	if (e) {
		sink_abort(s);
		return vpm_error_set(VPM_EIO, "cannot write %s: %s", s->path, strerror(e));
	}
	return VPM_OK;
}

static vpm_status_t sink_commit(sink_t *s)
{
	vpm_status_t st = vpm_atomic_commit(s->f);

	s->f = NULL;
	return st;
}

/* ---------------------------------------------------------------- rendering */

static vpm_status_t cairo_failure(cairo_status_t cs, const sink_t *s)
{
	if (cs == CAIRO_STATUS_WRITE_ERROR || s->err)
		return vpm_error_set(VPM_EIO, "%s: write failed: %s", s->path,
				     strerror(s->err ? s->err : EIO));
	if (cs == CAIRO_STATUS_NO_MEMORY)
		return vpm_error_set(VPM_ENOMEM, "%s: out of memory while rendering", s->path);
	return vpm_error_set(VPM_EINTERNAL, "%s: cairo: %s", s->path, cairo_status_to_string(cs));
}

/* Pages [k0, k1) must have been drawn whole.  A cairo context that meets
 * an error (a string cut inside a UTF-8 character, an invalid matrix, ...)
 * ignores every later drawing call, so such a page would be written with
 * its end silently missing: that is an error, never a short page. */
static vpm_status_t pages_status(const vpm_doc_t *doc, int k0, int k1, const char *path)
{
	int k;

	for (k = k0; k < k1; k++) {
		cairo_status_t cs = cairo_status(doc->cr[k]);

		if (cs == CAIRO_STATUS_SUCCESS)
			cs = cairo_surface_status(doc->rec[k]);
		if (cs != CAIRO_STATUS_SUCCESS)
			return vpm_error_set(cs == CAIRO_STATUS_NO_MEMORY ? VPM_ENOMEM
									  : VPM_EINTERNAL,
					     "%s: page %d of %d could not be drawn: cairo: %s",
					     path, k + 1, doc->n, cairo_status_to_string(cs));
	}
	return VPM_OK;
}

/* Replay page k onto cr (whose user space is points), then its number. */
static void replay(const vpm_doc_t *doc, int k, cairo_t *cr)
{
	cairo_save(cr);
	cairo_set_source_surface(cr, doc->rec[k], 0.0, 0.0);
	cairo_paint(cr);
	cairo_restore(cr);
	if (doc->opt.page_numbers && doc->n > 1) {
		vpm_text_style_t st = vpm_text_style(7.5);
		char buf[48];

		cairo_save(cr);
		setup_mm(cr, doc->font);
		snprintf(buf, sizeof buf, "Page %d of %d", k + 1, doc->n);
		st.halign = 1.0;
		st.valign = 1.0;
		st.color = VPM_INK_SOFT;
		vpm_text_draw(cr, doc->w_mm - doc->opt.margin_mm,
			      doc->h_mm - fmin(doc->opt.margin_mm, 10.0) / 3.0, buf, &st);
		cairo_restore(cr);
	}
}

/* Replay pages [k0, k1) into a vector surface, one page each, and finish
 * it; the surface's status. */
static cairo_status_t render_vector(const vpm_doc_t *doc, int k0, int k1, cairo_surface_t *surf)
{
	cairo_t *cr = cairo_create(surf);
	cairo_status_t cs;
	int k;

	for (k = k0; k < k1; k++) {
		replay(doc, k, cr);
		cairo_show_page(cr);
	}
	cs = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surf);
	return cs != CAIRO_STATUS_SUCCESS ? cs : cairo_surface_status(surf);
}

/* Render pages [k0, k1) as SVG into an open sink.
 *
 * Its own function, never inlined, for one reason: cairo 1.16's SVG backend
 * keeps a snapshot of every recording it replays once a second SVG surface
 * has been made in the process, and never frees it (reproduced with cairo
 * alone; fixed upstream after 1.16).  A chart written as several SVG pages
 * therefore "leaks" some 50 KB per page at exit.  tests/lsan.supp names
 * this function so that LeakSanitizer forgives exactly those blocks; a leak
 * anywhere else, cairo objects of ours included, is still reported. */
static __attribute__((noinline)) vpm_status_t render_svg_pages(const vpm_doc_t *doc, int k0, int k1,
							       sink_t *s)
{
	double wpt = doc->w_mm * PT_PER_MM, hpt = doc->h_mm * PT_PER_MM;
	cairo_surface_t *surf = cairo_svg_surface_create_for_stream(sink_write, s, wpt, hpt);
	cairo_status_t cs = render_vector(doc, k0, k1, surf);

	/* not a tail call: this frame stays on the stack while cairo works */
	cairo_surface_destroy(surf);
	return cs == CAIRO_STATUS_SUCCESS ? VPM_OK : cairo_failure(cs, s);
}

/* Render pages [k0, k1) into an open sink in `format`. */
static vpm_status_t render(const vpm_doc_t *doc, int k0, int k1, vpm_doc_format_t format, sink_t *s)
{
	double wpt = doc->w_mm * PT_PER_MM, hpt = doc->h_mm * PT_PER_MM;
	cairo_surface_t *surf;
	cairo_status_t cs;
	cairo_t *cr;

	if (format == VPM_DOC_PNG) {
		double scale = doc->opt.png_dpi / 72.0;
		double wpx = ceil(wpt * scale - 1e-6), hpx = ceil(hpt * scale - 1e-6);

		if (wpx > MAX_IMAGE_PX || hpx > MAX_IMAGE_PX)
			return vpm_error_set(VPM_ERANGE,
					     "%s: %g × %g pixels exceed cairo's limit of %d",
					     s->path, wpx, hpx, MAX_IMAGE_PX);
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)wpx, (int)hpx);
		cr = cairo_create(surf);
		cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
		cairo_paint(cr);
		cairo_scale(cr, scale, scale);
		replay(doc, k0, cr);
		cs = cairo_status(cr);
		cairo_destroy(cr);
		if (cs == CAIRO_STATUS_SUCCESS)
			cs = cairo_surface_status(surf);
		if (cs == CAIRO_STATUS_SUCCESS)
			cs = cairo_surface_write_to_png_stream(surf, sink_write, s);
		cairo_surface_destroy(surf);
		return cs == CAIRO_STATUS_SUCCESS ? VPM_OK : cairo_failure(cs, s);
	}
	if (format == VPM_DOC_PDF) {
		surf = cairo_pdf_surface_create_for_stream(sink_write, s, wpt, hpt);
#if CAIRO_VERSION >= CAIRO_VERSION_ENCODE(1, 16, 0)
		if (doc->title)
			cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, doc->title);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR,
					       "vpmoire " PACKAGE_VERSION);
#endif
		cs = render_vector(doc, k0, k1, surf);
		cairo_surface_destroy(surf);
		return cs == CAIRO_STATUS_SUCCESS ? VPM_OK : cairo_failure(cs, s);
	}
	return render_svg_pages(doc, k0, k1, s);
}

static vpm_status_t write_file(const vpm_doc_t *doc, int k0, int k1, vpm_doc_format_t format,
			       const char *path)
{
	sink_t s;
	vpm_status_t st = sink_open(&s, path);

	if (st != VPM_OK)
		return st;
	st = render(doc, k0, k1, format, &s);
	if (st == VPM_OK)
		st = sink_flush(&s);
	if (st != VPM_OK) {
		sink_abort(&s);
		return st;
	}
	return sink_commit(&s);
}

vpm_status_t vpm_doc_save_page(vpm_doc_t *doc, int index, const char *path)
{
	vpm_doc_format_t format;
	vpm_status_t st;

	if (!doc)
		return vpm_error_set(VPM_EINVAL, "document: NULL");
	st = vpm_doc_format_from_path(path, &format);
	if (st != VPM_OK)
		return st;
	if (index < 0 || index >= doc->n)
		return vpm_error_set(VPM_ERANGE, "%s: page %d does not exist (the document has %d)",
				     path, index + 1, doc->n);
	if ((st = pages_status(doc, index, index + 1, path)) != VPM_OK)
		return st;
	return write_file(doc, index, index + 1, format, path);
}

vpm_status_t vpm_doc_save(vpm_doc_t *doc, const char *path)
{
	vpm_doc_format_t format;
	vpm_status_t st;
	sink_t *sinks;
	char **names;
	int k;

	if (!doc)
		return vpm_error_set(VPM_EINVAL, "document: NULL");
	st = vpm_doc_format_from_path(path, &format);
	if (st != VPM_OK)
		return st;
	if (doc->n == 0)
		return vpm_error_set(VPM_EINVAL, "%s: the document has no page", path);
	if ((st = pages_status(doc, 0, doc->n, path)) != VPM_OK)
		return st;
	if (format == VPM_DOC_PDF || doc->n == 1)
		return write_file(doc, 0, doc->n, format, path);

	/* One file per page: finish every temporary file before renaming any,
	 * so a failure leaves none of them behind. */
	sinks = calloc((size_t)doc->n, sizeof *sinks);
	names = calloc((size_t)doc->n, sizeof *names);
	if (!sinks || !names) {
		free(sinks);
		free(names);
		return vpm_error_set(VPM_ENOMEM, "%s: out of memory", path);
	}
	for (k = 0; k < doc->n && st == VPM_OK; k++) {
		size_t size = strlen(path) + 16;

		names[k] = malloc(size);
		if (!names[k]) {
			st = vpm_error_set(VPM_ENOMEM, "%s: out of memory", path);
			break;
		}
		st = vpm_doc_page_path(path, k, names[k], size);
		if (st == VPM_OK)
			st = sink_open(&sinks[k], names[k]);
		if (st != VPM_OK)
			break;
		st = render(doc, k, k + 1, format, &sinks[k]);
		if (st == VPM_OK)
			st = sink_flush(&sinks[k]);
	}
	if (st != VPM_OK) {
		for (k = 0; k < doc->n; k++)
			sink_abort(&sinks[k]);
	} else {
		for (k = 0; k < doc->n && st == VPM_OK; k++)
			st = sink_commit(&sinks[k]);
		for (; k < doc->n; k++)
			sink_abort(&sinks[k]);
	}
	for (k = 0; k < doc->n; k++)
		free(names[k]);
	free(names);
	free(sinks);
	return st;
}
