/* vpmoire — temporal artefacts: scan bands, refresh and PWM against the
 * shutter (issue 16).  The model and its sources: doc/model.md, section
 * "Temporal artefacts".
 *
 * Model choices, each from a published source:
 *
 * - The wall's light for one pixel is a rectangular pulse train of period
 *   P = 1/refresh: the grey level's on-time is one pulse per period under
 *   conventional PWM, and `scramble_segments` equal pulses spread over the
 *   period under scrambled PWM ("Scrambled PWM spreads the same on-time
 *   over sixteen sub-periods", stoatworks-labs/pitch README at commit
 *   0e8e63b9, https://github.com/stoatworks-labs/pitch).  A 1/N scan
 *   multiplex lights a row 1/N of the time, so the on-time is grey/N of a
 *   period (the ROE glossary's scan-ratio definition,
 *   https://www.roevisual.com/nl-en/knowledge-and-support/thesaurus-led-technology-for-virtual-production-xr-film).
 * - A rolling shutter starts row i at i·readout/rows and every row
 *   integrates for the same exposure E; the rows therefore band with a
 *   period of P/(readout/rows) rows (the same README, "Row r of H
 *   integrates from r × Readout / H ... the rows band with a period of
 *   P / (Readout / H) rows").
 * - The light caught by one row is the integral of the pulse train over
 *   its window; with E = n·P + r it is n·w + (the part of one pulse of
 *   width w inside a window of length r), which ranges from
 *   max(0, r + w − P) to min(r, w) as the window slides: a closed form
 *   (vpm_temporal_pulse_depth).  A whole number of periods (r = 0) gives
 *   no band at all (PatternFlow PR 439,
 *   https://github.com/engmung/PatternFlow/pull/439: "300 Hz is the
 *   lowest refresh that 1/25, 1/30, 1/50, 1/60 and 1/100 s all divide").
 * - Polarity: a little longer than whole periods gives light bands, a
 *   little shorter dark ones (Brompton, "Why ShutterSync is a game changer
 *   for LED on camera",
 *   https://www.bromptontech.com/why-shuttersync-is-a-game-changer-for-led-on-camera/).
 * - Visibility: the bands are a luminance grating along the picture's
 *   height; its modulation is half the peak-to-peak over mean (a cosine of
 *   modulation m has peak-to-peak 2m), and its frequency at the viewer
 *   uses the same viewing angle and Barten CSF as the moiré verdict (SPEC
 *   §2 steps 8–9, lib/vision.c).  The rows sample the band pattern, so a
 *   band period under two rows folds as SPEC §2 step 5 folds a frequency.
 */
#include <config.h>

#include <math.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "nameset.h"
#include "vpmoire/predict.h"
#include "vpmoire/report.h"
#include "vpmoire/temporal.h"
#include "vpmoire/vision.h"

/* A residual below this many periods counts as a whole number: exposures
 * are given as decimal fractions of a second (1/50 = 0.02 is not exact in
 * binary), so 0.02 s × 300 Hz is 6 + 9e-16, not 6. */
#define WHOLE_EPS 1e-9

/* Scrambled PWM's sub-periods: sixteen (stoatworks-labs/pitch README,
 * commit 0e8e63b9: "spreads the same on-time over sixteen sub-periods"). */
#define DEFAULT_SEGMENTS 16

/* Brompton Extended Bit Depth: "+2.3 bits at 24 fps / 180°" (up to 3.3),
 * https://www.bromptontech.com/online-help/Content/Tessera%20User%20Manual/03.%20Feature%20Topics/12.1.5%20-%20Extended%20Bit%20Depth.htm */
#define DEFAULT_EXTRA_BITS 2.3

/* The drive level of a mid-grey: 18% (the photographic standard grey
 * card, Kodak Gray Card R-27, 18% reflectance; ISO 2721 mid-tone).  Low
 * greys band deepest, so 0.18 sits on the cautious side of mid-tones. */
#define DEFAULT_GREY 0.18

/* When the grey code is unknown, 16 bits: the deepest published for the
 * catalog's VP panels (ROE Black Pearl BP2 V2, pixel-peeker roe.ts). */
#define DEFAULT_BITS 16

vpm_temporal_t vpm_temporal_default(void)
{
	vpm_setup_t s = vpm_setup_default();
	vpm_temporal_t t;

	memset(&t, 0, sizeof t);
	t.scan_ratio = 1;
	t.pwm_bits = DEFAULT_BITS;
	t.pwm_scheme = VPM_PWM_CONVENTIONAL;
	t.scramble_segments = DEFAULT_SEGMENTS;
	t.grey = DEFAULT_GREY;
	t.extra_bits = DEFAULT_EXTRA_BITS;
	t.remap_sources = 2;
	/* 24 fps at 180°: the cinema convention (the URSA manual: "180
	 * degrees is the optimum shutter angle ... in most conditions") */
	t.fps = 24.0;
	t.shutter_deg = 180.0;
	t.shutter = VPM_SHUTTER_ROLLING;
	t.aspect = s.aspect;
	t.view_heights = s.view_heights;
	t.luminance_cd_m2 = s.luminance_cd_m2;
	t.grade_gain = s.grade_gain;
	t.caution_at = s.caution_at;
	t.risky_at = s.risky_at;
	return t;
}

void vpm_temporal_apply_panel(vpm_temporal_t *t, const vpm_panel_t *p)
{
	if (t == NULL || p == NULL)
		return;
	if (p->refresh_hz > 0)
		t->refresh_hz = p->refresh_hz;
	if (p->scan_ratio > 0)
		t->scan_ratio = p->scan_ratio;
	if (p->pwm_bits > 0)
		t->pwm_bits = p->pwm_bits;
}

void vpm_temporal_apply_camera(vpm_temporal_t *t, const vpm_camera_t *c)
{
	if (t == NULL || c == NULL)
		return;
	if (c->readout_ms > 0)
		t->readout_ms = c->readout_ms;
	if (c->height_px > 0)
		t->rows = c->height_px;
}

void vpm_temporal_override(vpm_temporal_t *t, const vpm_temporal_t *raw)
{
	if (t == NULL || raw == NULL)
		return;
	if (raw->refresh_hz > 0)
		t->refresh_hz = raw->refresh_hz;
	if (raw->scan_ratio > 0)
		t->scan_ratio = raw->scan_ratio;
	if (raw->pwm_bits > 0)
		t->pwm_bits = raw->pwm_bits;
	if (raw->readout_ms > 0)
		t->readout_ms = raw->readout_ms;
	if (raw->rows > 0)
		t->rows = raw->rows;
}

vpm_status_t vpm_temporal_resolve(vpm_temporal_t *t, const vpm_panel_t *panel,
				  const vpm_camera_t *camera, const vpm_temporal_t *raw, char *rig,
				  size_t rig_size)
{
	if (t == NULL || raw == NULL)
		return vpm_error(VPM_EINVAL, "%s", "temporal set-up: NULL argument");
	vpm_temporal_apply_panel(t, panel);
	vpm_temporal_apply_camera(t, camera);
	vpm_temporal_override(t, raw);
	if (rig != NULL && rig_size > 0)
		snprintf(rig, rig_size, "%s, %s%s", panel ? panel->name : "wall by numbers",
			 camera ? camera->name : "camera by numbers",
			 (panel && !(panel->scan_ratio && panel->pwm_bits) &&
			  !(raw->scan_ratio && raw->pwm_bits))
				 ? "; scan and bits unpublished, assumed"
				 : "");
	if (!(t->refresh_hz > 0))
		return vpm_error(VPM_EINVAL, "--refresh is required: %s publishes no refresh rate",
				 panel ? panel->name : "no --panel given, so nothing");
	if (t->shutter == VPM_SHUTTER_ROLLING && !(t->readout_ms > 0))
		return vpm_error(VPM_EINVAL,
				 "--readout is required: %s has no published readout time "
				 "(or give --global)",
				 camera ? camera->name : "no --camera given");
	if (t->shutter == VPM_SHUTTER_ROLLING && t->rows < 1)
		return camera ? vpm_error(VPM_EINVAL,
					  "--rows is required: %s has no published height",
					  camera->name)
			      : vpm_error(VPM_EINVAL, "--rows is required: %s",
					  "no --camera given");
	return VPM_OK;
}

vpm_status_t vpm_temporal_set_pwm(vpm_temporal_t *t, const char *name)
{
	static const char *const names[] = { "conventional", "scrambled" }; /* vpm_pwm_scheme_t */
	int k = vpm_name_index(name, names, 2);

	if (t == NULL || k < 0)
		return vpm_error(VPM_EINVAL, "'%s': give conventional or scrambled",
				 name ? name : "");
	t->pwm_scheme = (vpm_pwm_scheme_t)k;
	return VPM_OK;
}

vpm_status_t vpm_temporal_add_processor(vpm_temporal_t *t, const char *name)
{
	static const char *const names[] = { "shutter-sync", "extended-bits", "frame-remap" };
	static const unsigned bits[] = { VPM_PROC_SHUTTER_SYNC, VPM_PROC_EXTENDED_BITS,
					 VPM_PROC_FRAME_REMAP };
	int k = vpm_name_index(name, names, 3);

	if (t == NULL || k < 0)
		return vpm_error(VPM_EINVAL,
				 "'%s': give shutter-sync, extended-bits or frame-remap",
				 name ? name : "");
	t->processor |= bits[k];
	/* both re-time the wall to the camera's frames (VPM_PROC_* comments) */
	if (bits[k] != VPM_PROC_EXTENDED_BITS)
		t->genlock = 1;
	return VPM_OK;
}

const char *vpm_band_polarity_name(vpm_band_polarity_t p)
{
	switch (p) {
	case VPM_BANDS_NONE: return "none";
	case VPM_BANDS_LIGHT: return "light";
	case VPM_BANDS_DARK: return "dark";
	case VPM_BANDS_EVEN: return "even";
	}
	return NULL;
}

double vpm_temporal_pulse_depth(double periods, double duty, vpm_band_polarity_t *polarity)
{
	double n, r, hi, lo, mean;

	if (polarity)
		*polarity = VPM_BANDS_NONE;
	if (!(periods > 0) || !isfinite(periods) || !(duty > 0) || duty >= 1.0)
		return 0.0;
	n = floor(periods);
	r = periods - n;
	if (r < WHOLE_EPS || 1.0 - r < WHOLE_EPS)
		return 0.0;
	/* the part of one pulse of width `duty` (in periods) inside a window
	 * of length r, as the window's start slides over one period */
	hi = fmin(r, duty);
	lo = fmax(0.0, r + duty - 1.0);
	mean = duty * periods;
	if (!(hi > lo))
		return 0.0;
	if (polarity)
		*polarity = fabs(r - 0.5) < WHOLE_EPS ? VPM_BANDS_EVEN
			    : r < 0.5		      ? VPM_BANDS_LIGHT
						      : VPM_BANDS_DARK;
	return (hi - lo) / mean;
}

static vpm_status_t check(const vpm_temporal_t *t, double *exposure_s)
{
	double e;

	if (!(t->refresh_hz > 0) || !isfinite(t->refresh_hz) ||
	    t->refresh_hz > VPM_TEMPORAL_MAX_REFRESH_HZ)
		return vpm_error(VPM_EINVAL,
				 "refresh rate %g Hz: give the panel's refresh "
				 "(above 0, at most 1 MHz)",
				 t->refresh_hz);
	if (t->scan_ratio < 1 || t->scan_ratio > VPM_TEMPORAL_MAX_SCAN)
		return vpm_error(VPM_EINVAL, "scan ratio 1/%d: give 1 (static) to 1/256",
				 t->scan_ratio);
	if (t->pwm_bits < 1 || t->pwm_bits > VPM_TEMPORAL_MAX_BITS)
		return vpm_error(VPM_EINVAL, "PWM bits %d: give 1 to 24", t->pwm_bits);
	if (t->scramble_segments < 1 || t->scramble_segments > 4096)
		return vpm_error(VPM_EINVAL, "scrambled PWM segments %d: give 1 to 4096",
				 t->scramble_segments);
	if (!(t->grey >= 0.0 && t->grey <= 1.0))
		return vpm_error(VPM_EINVAL, "grey level %g: give 0 to 1", t->grey);
	if (!(t->fps > 0) || t->fps > VPM_TEMPORAL_MAX_FPS || !isfinite(t->fps))
		return vpm_error(VPM_EINVAL, "frame rate %g fps: give above 0, at most 10000",
				 t->fps);
	if ((t->processor & VPM_PROC_EXTENDED_BITS) && !(t->extra_bits >= 0 && t->extra_bits <= 8))
		return vpm_error(VPM_EINVAL, "extended bit depth +%g bits: give 0 to 8",
				 t->extra_bits);
	if ((t->processor & VPM_PROC_FRAME_REMAP) &&
	    (t->remap_sources < 1 || t->remap_sources > 64))
		return vpm_error(VPM_EINVAL, "frame remapping with %d sources: give 1 to 64",
				 t->remap_sources);
	if (!(t->phase_deg >= -360.0 && t->phase_deg <= 360.0))
		return vpm_error(VPM_EINVAL, "genlock phase %g degrees: give -360 to 360",
				 t->phase_deg);
	if (t->exposure_s != 0.0) {
		if (!(t->exposure_s > 0) || !isfinite(t->exposure_s))
			return vpm_error(VPM_EINVAL, "exposure %g s: give a time above 0",
					 t->exposure_s);
		e = t->exposure_s;
	} else {
		if (!(t->shutter_deg > 0 && t->shutter_deg <= 360.0))
			return vpm_error(VPM_EINVAL,
					 "shutter angle %g degrees: give above 0, "
					 "at most 360",
					 t->shutter_deg);
		e = t->shutter_deg / 360.0 / t->fps;
	}
	/* an exposure cannot outlast its frame (a 360° shutter is the limit) */
	if (e > (1.0 + 1e-9) / t->fps)
		return vpm_error(VPM_EINVAL,
				 "exposure %g s is longer than one frame at %g fps "
				 "(%g s)",
				 e, t->fps, 1.0 / t->fps);
	if (t->shutter == VPM_SHUTTER_ROLLING) {
		if (!(t->readout_ms > 0) || !isfinite(t->readout_ms) ||
		    t->readout_ms > VPM_TEMPORAL_MAX_READOUT_MS)
			return vpm_error(VPM_EINVAL,
					 "readout time %g ms: give the camera's "
					 "rolling-shutter readout (above 0)",
					 t->readout_ms);
		if (t->rows < 1 || t->rows > VPM_TEMPORAL_MAX_ROWS)
			return vpm_error(VPM_EINVAL, "rows %d: give the rows read out (at least 1)",
					 t->rows);
	}
	if (!(t->aspect > 0) || !(t->view_heights > 0) || !(t->luminance_cd_m2 > 0) ||
	    !(t->grade_gain >= 0) || !isfinite(t->aspect) || !isfinite(t->view_heights) ||
	    !isfinite(t->luminance_cd_m2) || !isfinite(t->grade_gain))
		return vpm_error(VPM_EINVAL, "viewer: aspect, picture heights and luminance "
					     "must be above 0");
	if (!(t->caution_at > 0) || !(t->risky_at >= t->caution_at))
		return vpm_error(VPM_EINVAL,
				 "risk thresholds %g and %g: caution must be above 0 "
				 "and risky no lower",
				 t->caution_at, t->risky_at);
	*exposure_s = e;
	return VPM_OK;
}

/* A frequency of f cycles per row folded into the rows' own zone (SPEC §2
 * step 5's fold with lround): |f − round(f)|. */
static double fold_per_row(double f)
{
	return fabs(f - (double)lround(f));
}

vpm_status_t vpm_temporal_evaluate(const vpm_temporal_t *t, vpm_temporal_result_t *out)
{
	vpm_temporal_result_t r;
	double e = 0.0, bits, levels, code, grey_q, segments, periods_w, angle, mod, step;
	vpm_status_t st;

	if (t == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "%s", "temporal set-up or result is NULL");
	if ((st = check(t, &e)) != VPM_OK)
		return st;
	memset(&r, 0, sizeof r);
	r.exposure_s = e;
	r.refresh_period_s = 1.0 / t->refresh_hz;
	/* one product, one rounding: 0.02 × 300 stays within 1e-15 of 6 */
	r.exposure_periods = e * t->refresh_hz;

	/* the grey level as the PWM can show it: a code of 2^bits − 1 levels
	 * (plus the processor's extra bits, which are fractional) */
	bits = t->pwm_bits + ((t->processor & VPM_PROC_EXTENDED_BITS) ? t->extra_bits : 0.0);
	levels = pow(2.0, bits) - 1.0;
	code = floor(t->grey * levels + 0.5);
	grey_q = code / levels;
	r.low_grey = 1.0 / levels;
	r.duty = grey_q / t->scan_ratio;

	/* scrambled PWM cannot split fewer LSB pulses than the code holds */
	segments = 1.0;
	if (t->pwm_scheme == VPM_PWM_SCRAMBLED)
		segments = fmax(1.0, fmin((double)t->scramble_segments, code));
	periods_w = r.exposure_periods * segments;
	r.band_depth = vpm_temporal_pulse_depth(periods_w, r.duty, &r.polarity);
	/* the darkest step: one LSB, a single pulse however the PWM is set */
	r.low_grey_depth = vpm_temporal_pulse_depth(r.exposure_periods, r.low_grey / t->scan_ratio,
						    NULL);

	/* ShutterSync re-times the PWM so that the exposure holds whole
	 * cycles (Brompton, the ShutterSync note above; patents US 11,445,123
	 * B2, US 11,722,777 B2): no bands, unless the exposure is shorter
	 * than one refresh period, which it cannot fit */
	if ((t->processor & VPM_PROC_SHUTTER_SYNC) && r.exposure_periods >= 1.0) {
		r.band_depth = r.low_grey_depth = 0.0;
		r.polarity = VPM_BANDS_NONE;
	}
	/* multi-camera frame remapping shows this camera's content for
	 * 1/n of each frame; a longer exposure sees the other sources */
	if ((t->processor & VPM_PROC_FRAME_REMAP) && e > (1.0 + 1e-9) / (t->remap_sources * t->fps))
		r.remap_overrun = 1;

	angle = vpm_vision_angle_deg(t->aspect, t->view_heights);
	if (t->shutter == VPM_SHUTTER_GLOBAL) {
		/* every row starts together: no bands within a frame, but
		 * unless the wall is locked to the camera each frame starts at
		 * another phase, and the whole picture flickers */
		r.flicker_depth = t->genlock ? 0.0 : r.band_depth;
		r.band_depth = 0.0;
		r.polarity = VPM_BANDS_NONE;
		/* a flicker of the whole field is not a spatial grating:
		 * Barten's peak sensitivity bounds it from above */
		mod = 0.5 * r.flicker_depth;
		r.visibility = t->grade_gain * mod *
			       vpm_vision_csf_peak(t->luminance_cd_m2, angle, NULL);
	} else {
		double f_row, u;

		r.row_time_s = t->readout_ms * 1e-3 / t->rows;
		r.band_period_rows = r.refresh_period_s / segments / r.row_time_s;
		/* cycles per picture height → per degree: the picture height
		 * subtends angle/aspect degrees (SPEC §2 step 8's mean angle) */
		f_row = fold_per_row(1.0 / r.band_period_rows);
		u = f_row * t->rows * t->aspect / angle;
		r.band_cy_deg = u;
		mod = 0.5 * r.band_depth;
		r.visibility = (u > 0 && mod > 0)
				       ? t->grade_gain * mod *
						 vpm_vision_csf(u, t->luminance_cd_m2, angle)
				       : 0.0;
		/* without genlock the wall's phase moves by the fractional
		 * part of refresh/fps every frame, and the bands roll */
		if (!t->genlock && !(t->processor & VPM_PROC_SHUTTER_SYNC)) {
			step = t->refresh_hz * segments / t->fps;
			r.drift_rows_per_frame = (step - floor(step + 0.5)) * r.band_period_rows;
			if (fabs(r.drift_rows_per_frame) < WHOLE_EPS * r.band_period_rows)
				r.drift_rows_per_frame = 0.0;
		}
	}
	r.risk = vpm_risk_classify(r.visibility, t->caution_at, t->risky_at);
	if (r.remap_overrun)
		r.risk = VPM_RISK_RISKY;
	*out = r;
	return VPM_OK;
}

vpm_status_t vpm_temporal_grid(const vpm_temporal_t *base, const double *fps, size_t n_fps,
			       const double *angle_deg, size_t n_angle, double reference_deg,
			       vpm_temporal_cell_t *cells, double *nearest_safe_deg)
{
	vpm_temporal_t t;
	vpm_temporal_result_t r;
	vpm_status_t st;
	size_t i, j;

	if (base == NULL || fps == NULL || angle_deg == NULL || cells == NULL || n_fps == 0 ||
	    n_angle == 0)
		return vpm_error(VPM_EINVAL, "%s", "temporal grid: no frame rates or angles");
	if (!(reference_deg > 0 && reference_deg <= 360))
		return vpm_error(VPM_EINVAL,
				 "reference shutter %g degrees: give above 0, at "
				 "most 360",
				 reference_deg);
	t = *base;
	t.exposure_s = 0.0;
	for (i = 0; i < n_fps; i++) {
		double best = NAN, k_step, a;
		int k;

		t.fps = fps[i];
		for (j = 0; j < n_angle; j++) {
			vpm_temporal_cell_t *c = &cells[i * n_angle + j];

			t.shutter_deg = angle_deg[j];
			if ((st = vpm_temporal_evaluate(&t, &r)) != VPM_OK)
				return st;
			c->exposure_periods = r.exposure_periods;
			c->band_depth = r.band_depth;
			c->visibility = r.visibility;
			c->polarity = r.polarity;
			c->risk = r.risk;
		}
		if (nearest_safe_deg == NULL)
			continue;
		/* the whole-period angles first (exact zeros of the bands),
		 * then a 0.1° scan for walls safe between them */
		k_step = 360.0 * fps[i] / base->refresh_hz;
		for (k = 1; k_step * k <= 360.0 + 1e-9 && k <= 100000; k++) {
			t.shutter_deg = fmin(360.0, k_step * k);
			if (vpm_temporal_evaluate(&t, &r) == VPM_OK && r.risk == VPM_RISK_SAFE &&
			    (isnan(best) ||
			     fabs(t.shutter_deg - reference_deg) < fabs(best - reference_deg)))
				best = t.shutter_deg;
		}
		for (k = 1; k <= 3600; k++) {
			a = 0.1 * k;
			if (!isnan(best) && fabs(a - reference_deg) >= fabs(best - reference_deg))
				continue;
			t.shutter_deg = a;
			if (vpm_temporal_evaluate(&t, &r) == VPM_OK && r.risk == VPM_RISK_SAFE)
				best = a;
		}
		nearest_safe_deg[i] = best;
	}
	return VPM_OK;
}

/* ---------------------------------------------------------------- triage */

static const char *const symptom_names[VPM_SYMPTOMS] = {
	"bands-shutter", "light-bands",		"dark-bands",	    "dark-areas",
	"rolling-bands", "moves-with-distance", "moves-with-focus",
};

const char *vpm_symptom_name(vpm_symptom_t s)
{
	return (unsigned)s < VPM_SYMPTOMS ? symptom_names[s] : NULL;
}

vpm_status_t vpm_symptom_parse(const char *name, vpm_symptom_t *out)
{
	int i;

	if (name != NULL && out != NULL)
		for (i = 0; i < VPM_SYMPTOMS; i++)
			if (strcasecmp(name, symptom_names[i]) == 0) {
				*out = (vpm_symptom_t)i;
				return VPM_OK;
			}
	return vpm_error(VPM_EINVAL,
			 "unknown symptom '%s': give bands-shutter, light-bands, dark-bands, "
			 "dark-areas, rolling-bands, moves-with-distance or moves-with-focus",
			 name ? name : "(null)");
}

static const char SRC_BANDS[] =
	"stoatworks-labs/pitch README (commit 0e8e63b9); PatternFlow PR 439 "
	"(https://github.com/engmung/PatternFlow/pull/439)";
static const char SRC_BROMPTON[] =
	"Brompton, Why ShutterSync is a game changer for LED on camera "
	"(https://www.bromptontech.com/why-shuttersync-is-a-game-changer-for-led-on-camera/)";
static const char SRC_MOIRE[] = "SPEC §2 (spatial aliasing of the LED grid); stoatworks-labs/pitch "
				"README: moire swims with camera scale and dies under focus";

vpm_status_t vpm_temporal_triage(vpm_symptom_t s, const vpm_temporal_t *t, vpm_triage_t *out)
{
	vpm_triage_t g;
	vpm_temporal_result_t r;
	vpm_status_t st;
	double step = NAN, p = NAN, below = NAN, above = NAN;

	if (out == NULL || (unsigned)s >= VPM_SYMPTOMS)
		return vpm_error(VPM_EINVAL, "%s", "unknown symptom");
	memset(&g, 0, sizeof g);
	g.symptom = s;
	g.shutter_deg = NAN;
	if (t != NULL) {
		if ((st = vpm_temporal_evaluate(t, &r)) != VPM_OK)
			return st;
		/* whole-period shutter angles are multiples of 360·fps/refresh */
		step = 360.0 * t->fps / t->refresh_hz;
		p = r.exposure_periods;
		below = floor(p + WHOLE_EPS) * step;
		above = ceil(p - WHOLE_EPS) * step;
		if (fabs(p - floor(p + 0.5)) < WHOLE_EPS) /* already whole */
			below = above = floor(p + 0.5) * step;
		if (!(below > 0))
			below = NAN;
		if (above > 360.0 + 1e-9)
			above = NAN;
	}
	switch (s) {
	case VPM_SYMPTOM_BANDS_MOVE_WITH_SHUTTER:
		g.artefact = "scan bands (rolling shutter against the PWM refresh)";
		g.cause = "the exposure does not hold a whole number of refresh periods, so rows "
			  "catch different amounts of light";
		g.fix = "set the shutter to a whole number of refresh periods "
			"(angle = k x 360 x fps / refresh)";
		g.source = SRC_BANDS;
		if (t != NULL)
			g.shutter_deg = isnan(below)	       ? above
					: isnan(above)	       ? below
					: (p - floor(p) < 0.5) ? below
							       : above;
		break;
	case VPM_SYMPTOM_LIGHT_BANDS:
		g.artefact = "scan bands, light";
		g.cause = "the shutter is open a little too long: a little more than a whole "
			  "number of refresh periods";
		g.fix = "shorten the shutter to the whole-period angle just below";
		g.source = SRC_BROMPTON;
		g.shutter_deg = below;
		break;
	case VPM_SYMPTOM_DARK_BANDS:
		g.artefact = "scan bands, dark";
		g.cause = "the shutter is open a little too short: a little less than a whole "
			  "number of refresh periods";
		g.fix = "lengthen the shutter to the whole-period angle just above";
		g.source = SRC_BROMPTON;
		g.shutter_deg = above;
		break;
	case VPM_SYMPTOM_DARK_AREAS_ONLY:
		g.artefact = "low-grey PWM breakup";
		g.cause = "a dark level is a short pulse that a short exposure either catches or "
			  "misses; worst when the shutter is shorter than one PWM cycle";
		g.fix = "lengthen the exposure to at least 2-3 refresh periods on a whole-period "
			"angle, or use scrambled PWM, the processor's shutter sync or extended "
			"bit depth";
		g.source = "Brompton ShutterSync note (artefacts only in dark areas = shutter "
			   "shorter than one PWM cycle); rule of thumb of 2-3 periods: "
			   "https://github.com/hzeller/rpi-rgb-led-matrix/issues/49";
		if (t != NULL) {
			double k = fmax(3.0, ceil(p - WHOLE_EPS));

			g.shutter_deg = k * step <= 360.0 + 1e-9 ? k * step : above;
		}
		break;
	case VPM_SYMPTOM_ROLLING_BANDS:
		g.artefact = "scan bands rolling through the picture";
		g.cause = "the wall's refresh is not locked to the camera: its phase moves every "
			  "frame (bands stand at 60 fps and crawl at 59.94)";
		g.fix = "genlock the processor to the camera (refresh a whole multiple of the "
			"frame rate), then set a whole-period shutter";
		g.source = SRC_BANDS;
		break;
	case VPM_SYMPTOM_MOVES_WITH_DISTANCE:
		g.artefact = "moire (spatial aliasing), not a temporal artefact";
		g.cause = "the LED grid's image beats against the photosites; its frequency "
			  "changes with the wall's magnification";
		g.fix = "change camera-to-wall distance, focal length or focus; run vpmoire check";
		g.source = SRC_MOIRE;
		break;
	case VPM_SYMPTOM_MOVES_WITH_FOCUS:
		g.artefact = "moire (spatial aliasing), not a temporal artefact";
		g.cause = "lens blur of the wall sets how much LED grid reaches the sensor";
		g.fix = "throw the wall further out of focus (focus nearer, open the stop); run "
			"vpmoire check or vpmoire focus";
		g.source = SRC_MOIRE;
		break;
	default: return vpm_error(VPM_EINVAL, "%s", "unknown symptom");
	}
	*out = g;
	return VPM_OK;
}

vpm_status_t vpm_temporal_shot(const vpm_panel_t *panel, const vpm_camera_t *camera, double fps,
			       double shutter_deg, double readout_ms, vpm_temporal_result_t *r)
{
	vpm_temporal_t t = vpm_temporal_default();

	if (panel == NULL || camera == NULL || r == NULL)
		return vpm_error(VPM_EINVAL, "%s", "temporal verdict: no panel or camera");
	if (!(panel->refresh_hz > 0))
		return vpm_error(VPM_ENOTFOUND, "panel %s: refresh rate not in the catalog",
				 panel->name ? panel->name : "?");
	if (!(readout_ms > 0 || camera->readout_ms > 0) || camera->height_px <= 0)
		return vpm_error(VPM_ENOTFOUND, "camera %s: readout time not in the catalog",
				 camera->name ? camera->name : "?");
	vpm_temporal_apply_panel(&t, panel);
	vpm_temporal_apply_camera(&t, camera);
	if (readout_ms > 0)
		t.readout_ms = readout_ms;
	t.fps = fps;
	t.shutter_deg = shutter_deg;
	return vpm_temporal_evaluate(&t, r);
}

/* ---------------------------------------------------------------- reports */

/* Keys here, numbers and strings through the library's one JSON writer
 * (lib/report.c). */
static void json_num(FILE *fp, const char *key, double v)
{
	fprintf(fp, ",\n  \"%s\": ", key);
	vpm_json_number(fp, v);
}

static void json_str(FILE *fp, const char *key, const char *v)
{
	fprintf(fp, ",\n  \"%s\": ", key);
	vpm_json_string(fp, v ? v : "");
}

void vpm_temporal_print_json(FILE *fp, const vpm_temporal_t *t, const vpm_temporal_result_t *r,
			     const vpm_triage_t *tri)
{
	fputs("{\n  \"band_period_rows\": ", fp);
	vpm_json_number(fp, r->band_period_rows);
	json_num(fp, "band_depth", r->band_depth);
	json_num(fp, "exposure_periods", r->exposure_periods);
	json_str(fp, "risk", vpm_risk_name(r->risk));
	json_num(fp, "visibility", r->visibility);
	json_str(fp, "band_polarity", vpm_band_polarity_name(r->polarity));
	json_num(fp, "band_cy_deg", r->band_cy_deg);
	json_num(fp, "low_grey", r->low_grey);
	json_num(fp, "low_grey_depth", r->low_grey_depth);
	json_num(fp, "flicker_depth", r->flicker_depth);
	json_num(fp, "drift_rows_per_frame", r->drift_rows_per_frame);
	json_num(fp, "exposure_s", r->exposure_s);
	json_num(fp, "refresh_hz", t->refresh_hz);
	json_num(fp, "scan_ratio", t->scan_ratio);
	json_num(fp, "pwm_bits", t->pwm_bits);
	json_str(fp, "pwm", t->pwm_scheme == VPM_PWM_SCRAMBLED ? "scrambled" : "conventional");
	json_num(fp, "fps", t->fps);
	json_str(fp, "shutter", t->shutter == VPM_SHUTTER_GLOBAL ? "global" : "rolling");
	json_num(fp, "readout_ms", t->readout_ms);
	json_num(fp, "rows", t->rows);
	json_num(fp, "grey", t->grey);
	fprintf(fp, ",\n  \"genlock\": %s", t->genlock ? "true" : "false");
	fprintf(fp, ",\n  \"remap_overrun\": %s", r->remap_overrun ? "true" : "false");
	if (tri != NULL) {
		json_str(fp, "symptom", vpm_symptom_name(tri->symptom));
		json_str(fp, "artefact", tri->artefact);
		json_str(fp, "cause", tri->cause);
		json_str(fp, "fix", tri->fix);
		json_num(fp, "fix_shutter_deg", tri->shutter_deg);
		json_str(fp, "source", tri->source);
	}
	fputs("\n}\n", fp);
}

void vpm_temporal_print(FILE *fp, const vpm_temporal_t *t, const vpm_temporal_result_t *r,
			const vpm_triage_t *tri, const char *rig)
{
	(void)t;
	fprintf(fp, "%s  scan bands, visibility %.2f%s%s%s\n", vpm_risk_label(r->risk),
		r->visibility, rig ? " (" : "", rig ? rig : "", rig ? ")" : "");
	fprintf(fp, "  %-18s %.5g s = %.4g refresh periods of %.4g ms\n", "exposure", r->exposure_s,
		r->exposure_periods, 1e3 * r->refresh_period_s);
	if (r->band_period_rows > 0)
		fprintf(fp,
			"  %-18s depth %.3g%% (peak-to-peak over mean), %s, every %.4g rows "
			"(%.3g cy/deg)\n",
			"bands", 100.0 * r->band_depth, vpm_band_polarity_name(r->polarity),
			r->band_period_rows, r->band_cy_deg);
	else
		fprintf(fp, "  %-18s none within a frame (global shutter)\n", "bands");
	fprintf(fp, "  %-18s depth %.3g%% at the darkest step (grey %.3g)\n", "low-grey breakup",
		100.0 * r->low_grey_depth, r->low_grey);
	if (r->drift_rows_per_frame != 0)
		fprintf(fp, "  %-18s bands move %.3g rows a frame: genlock the processor\n",
			"rolling", r->drift_rows_per_frame);
	if (r->flicker_depth > 0)
		fprintf(fp, "  %-18s %.3g%% frame to frame (global shutter, not locked)\n",
			"flicker", 100.0 * r->flicker_depth);
	if (r->remap_overrun)
		fprintf(fp, "  %-18s the exposure outlasts this camera's slot of the frame\n",
			"frame remapping");
	if (tri != NULL) {
		fprintf(fp, "  %-18s %s: %s\n", "triage", tri->artefact, tri->cause);
		fprintf(fp, "  %-18s %s", "fix", tri->fix);
		if (!isnan(tri->shutter_deg))
			fprintf(fp, " (here: %.1f degrees)", tri->shutter_deg);
		fprintf(fp, "\n  %-18s %s\n", "source", tri->source);
	}
}
