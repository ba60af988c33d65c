/* The LED lattice: square emitters on a square grid, and their spectrum. */
#include <config.h>

#include <math.h>

#include "error.h"
#include "vpmoire/otf.h"
#include "vpmoire/panel.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

static const char *const channel_names[VPM_PANEL_CHANNELS] = { "luma", "red", "blue" };

static int valid_channel(vpm_channel_t ch)
{
	return ch >= 0 && ch < VPM_PANEL_CHANNELS;
}

vpm_panel_lattice_t vpm_panel_lattice_neutral(double pitch_mm, double emitter_mm)
{
	vpm_panel_lattice_t p;

	p.pitch_mm = pitch_mm;
	for (int c = 0; c < VPM_PANEL_CHANNELS; c++) {
		p.emitter_mm[c] = emitter_mm;
		p.offset_x_mm[c] = 0.0;
		p.offset_y_mm[c] = 0.0;
	}
	return p;
}

VPM_STATUS_FN(vpm_panel_lattice_validate, (const vpm_panel_lattice_t *lattice), (lattice))
{
	double p;

	if (!lattice)
		return vpm_error(VPM_EINVAL, "no LED lattice");
	p = lattice->pitch_mm;
	if (!(p > 0.0) || !isfinite(p))
		return vpm_error(VPM_EINVAL, "--pitch: LED pitch %g mm is not a positive number",
				 p);
	if (p < 0.01 || p > 100.0)
		return vpm_error(VPM_ERANGE, "--pitch: LED pitch %g mm is outside [0.01, 100] mm",
				 p);
	for (int c = 0; c < VPM_PANEL_CHANNELS; c++) {
		double e = lattice->emitter_mm[c];
		double dx = lattice->offset_x_mm[c], dy = lattice->offset_y_mm[c];

		if (!(e > 0.0) || !isfinite(e))
			return vpm_error(VPM_EINVAL,
					 "--emitter: %s emitter %g mm is not a positive number",
					 channel_names[c], e);
		if (e >= p)
			return vpm_error(
				VPM_ERANGE,
				"--emitter: %s emitter %g mm is not smaller than the pitch %g mm",
				channel_names[c], e, p);
		if (!isfinite(dx) || !isfinite(dy) || fabs(dx) + e / 2 > p / 2 ||
		    fabs(dy) + e / 2 > p / 2)
			return vpm_error(
				VPM_ERANGE,
				"--emitter: %s emitter offset (%g, %g) mm puts it outside its %g mm cell",
				channel_names[c], dx, dy, p);
	}
	return VPM_OK;
}

double vpm_panel_emitter_factor(double emitter_mm, double pitch_mm, int k)
{
	return fabs(vpm_otf_sinc(k * emitter_mm / pitch_mm));
}

double vpm_panel_harmonic_amplitude(const vpm_panel_lattice_t *lattice, vpm_channel_t channel,
				    int k, int l)
{
	double r = lattice->pitch_mm;

	if (!valid_channel(channel))
		return 0.0;
	return fabs(vpm_otf_sinc(k * lattice->emitter_mm[channel] / r) *
		    vpm_otf_sinc(l * lattice->emitter_mm[channel] / r));
}

void vpm_panel_harmonic(const vpm_panel_lattice_t *lattice, vpm_channel_t channel, int k, int l,
			double *re, double *im)
{
	double p = lattice->pitch_mm, amp, ph;

	if (!valid_channel(channel)) {
		*re = *im = 0.0;
		return;
	}
	amp = vpm_otf_sinc(k * lattice->emitter_mm[channel] / p) *
	      vpm_otf_sinc(l * lattice->emitter_mm[channel] / p);
	ph = -2.0 * M_PI * (k * lattice->offset_x_mm[channel] + l * lattice->offset_y_mm[channel]) /
	     p;
	*re = amp * cos(ph);
	*im = amp * sin(ph);
}

double vpm_panel_fill_fraction(const vpm_panel_lattice_t *lattice, vpm_channel_t channel)
{
	double r;

	if (!valid_channel(channel))
		return 0.0;
	r = lattice->emitter_mm[channel] / lattice->pitch_mm;
	return r * r;
}

double vpm_panel_fundamental_cy_mm(double pitch_mm, double magnification)
{
	return 1.0 / (pitch_mm * magnification);
}

/* Emitting length in (−∞, x] relative to the count at the origin cell:
 * G(x) = (cells fully passed)·e + the part of the current cell's square.
 * Squares span [n·p + d − e/2, n·p + d + e/2]. */
static double cumulative(double x, double p, double e, double d)
{
	double u = x - d + e / 2.0; /* 0 at the left edge of square n = 0 */
	double n = floor(u / p);
	double r = u - n * p;

	return n * e + (r < e ? r : e);
}

static double axis_coverage(double x0, double x1, double p, double e, double d)
{
	if (x1 < x0) {
		double t = x0;

		x0 = x1;
		x1 = t;
	}
	if (x1 == x0) {
		double u = x0 - d + e / 2.0;
		double r = u - floor(u / p) * p;

		return r < e ? 1.0 : 0.0;
	}
	return (cumulative(x1, p, e, d) - cumulative(x0, p, e, d)) / (x1 - x0);
}

double vpm_panel_coverage(const vpm_panel_lattice_t *lattice, vpm_channel_t channel, double x0,
			  double x1, double y0, double y1)
{
	double p = lattice->pitch_mm, e;

	if (!valid_channel(channel))
		return 0.0;
	e = lattice->emitter_mm[channel];
	return axis_coverage(x0, x1, p, e, lattice->offset_x_mm[channel]) *
	       axis_coverage(y0, y1, p, e, lattice->offset_y_mm[channel]);
}
