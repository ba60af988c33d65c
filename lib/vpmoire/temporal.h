/* vpmoire — temporal artefacts: scan lines, refresh and PWM against the
 * shutter (issue 16; doc/model.md §"Temporal artefacts").
 *
 * An LED wall makes grey by pulse-width modulation repeated at its refresh
 * rate, with its rows multiplexed (the scan ratio).  A CMOS camera with a
 * rolling shutter starts row i's exposure at i·(readout/rows); each row
 * integrates its own window of the pulse train.  When the exposure holds a
 * whole number of refresh periods every row catches the same light; when
 * it does not, rows catch different amounts and the picture bands with a
 * period of P/(readout/rows) rows (P = 1/refresh).  The depth of the bands
 * is a closed-form overlap of a rectangular pulse with the window, and
 * their visibility uses the same viewer and CSF as the moiré verdict
 * (lib/vision.c, SPEC §2 steps 8–9) and the one risk rule
 * (vpm_risk_classify()).
 */
#ifndef VPMOIRE_TEMPORAL_H
#define VPMOIRE_TEMPORAL_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/status.h"
#include "vpmoire/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How the wall spreads a grey level's on-time over one refresh period. */
typedef enum {
	VPM_PWM_CONVENTIONAL = 0, /* one pulse per period (the worst case) */
	VPM_PWM_SCRAMBLED	  /* split into `scramble_segments` pulses */
} vpm_pwm_scheme_t;

typedef enum { VPM_SHUTTER_ROLLING = 0, VPM_SHUTTER_GLOBAL } vpm_shutter_kind_t;

/* Which way the bands go (Brompton's ShutterSync note: light scan lines
 * mean the shutter is open a little too long, dark a little too short). */
typedef enum {
	VPM_BANDS_NONE = 0, /* a whole number of periods: no bands */
	VPM_BANDS_LIGHT,    /* exposure a little longer than whole periods */
	VPM_BANDS_DARK,	    /* a little shorter */
	VPM_BANDS_EVEN	    /* exactly half way: light and dark alike */
} vpm_band_polarity_t;

/* Named processor features (bits of vpm_temporal_t.processor). */
#define VPM_PROC_SHUTTER_SYNC 1u  /* PWM re-timed to fit the exposure (needs genlock) */
#define VPM_PROC_EXTENDED_BITS 2u /* extra grey bits from the processor */
#define VPM_PROC_FRAME_REMAP 4u	  /* several sources interleaved in one frame */

/* The largest values vpm_temporal_evaluate() takes (the flags of `vpmoire
 * scan` and the shotlist's columns check the same): bounds against typos,
 * far beyond real equipment. */
#define VPM_TEMPORAL_MAX_REFRESH_HZ \
	1e6 /* LED walls refresh at a few kHz (7680 Hz: ROE BP2 V2, models/panels.csv) */
#define VPM_TEMPORAL_MAX_SCAN \
	256 /* the catalog's multiplex ratios are 1/8 and 1/20 (models/panels.csv) */
#define VPM_TEMPORAL_MAX_BITS \
	24 /* the catalog's grey codes are 15 and 16 bits (models/panels.csv) */
#define VPM_TEMPORAL_MAX_FPS 10000.0 /* high-speed cameras reach thousands of frames a second */
#define VPM_TEMPORAL_MAX_READOUT_MS 1000.0 /* rows are read within a frame: a second at 1 fps */
#define VPM_TEMPORAL_MAX_ROWS 1000000	   /* as vpm_setup_t's widest sensor (lib/setupfield.c) */

/* One temporal set-up.  Start from vpm_temporal_default(). */
typedef struct {
	/* the wall */
	double refresh_hz;	     /* PWM refresh rate (0 = unknown: an error) */
	int scan_ratio;		     /* N of a 1/N multiplex; 1 = static drive */
	int pwm_bits;		     /* grey bits of the PWM (0 = unknown: 16) */
	vpm_pwm_scheme_t pwm_scheme; /* CONVENTIONAL */
	int scramble_segments;	     /* pulses per period when scrambled (16) */
	double grey;		     /* drive level 0..1 (0.18) */
	int genlock;		     /* 1: refresh locked to the camera's frame rate */
	double phase_deg;	     /* genlock phase of the refresh (0..360) */
	unsigned processor;	     /* VPM_PROC_* bits */
	double extra_bits;	     /* VPM_PROC_EXTENDED_BITS: bits added (2.3) */
	int remap_sources;	     /* VPM_PROC_FRAME_REMAP: sources per frame (2) */
	/* the camera */
	double fps;		    /* frame rate */
	double shutter_deg;	    /* shutter angle (used when exposure_s is 0) */
	double exposure_s;	    /* exposure time; 0 = from shutter_deg */
	double readout_ms;	    /* rolling-shutter readout of the frame */
	int rows;		    /* rows read in that time */
	vpm_shutter_kind_t shutter; /* ROLLING */
	/* the viewer (vpm_setup_default()'s values) */
	double aspect, view_heights, luminance_cd_m2, grade_gain;
	double caution_at, risky_at;
} vpm_temporal_t;

/* Defaults: scan 1, 16 bits, conventional PWM, 16 scrambled segments, grey
 * 0.18, no genlock, rolling shutter, 24 fps at 180°, viewer and risk
 * thresholds of vpm_setup_default().  refresh_hz, readout_ms and rows are
 * 0 (unknown) and must be set. */
vpm_temporal_t vpm_temporal_default(void);

/* Fill the wall fields from a catalog panel (refresh_hz, scan_ratio,
 * pwm_bits where published; unknown ones are left as they are) and the
 * camera fields (readout_ms, height_px as rows where known). */
void vpm_temporal_apply_panel(vpm_temporal_t *t, const vpm_panel_t *p);
void vpm_temporal_apply_camera(vpm_temporal_t *t, const vpm_camera_t *c);

/* Raw numbers win over the catalog: every field of refresh_hz, scan_ratio,
 * pwm_bits, readout_ms and rows that is above zero in `raw` replaces t's. */
void vpm_temporal_override(vpm_temporal_t *t, const vpm_temporal_t *raw);

/* The whole temporal set-up of a wall and a camera: the catalog entries'
 * numbers (either may be NULL), then every field above zero in `raw`.
 * Refuses (VPM_EINVAL, the message naming the missing flag: "--refresh
 * is required: ...", "--readout is required: ...", "--rows is required:
 * ...") when the refresh rate, or for a rolling shutter the readout time
 * or the rows, is still unknown.  `rig` (may be NULL) receives the
 * equipment's line for reports: "PANEL, CAMERA" (or "wall by numbers",
 * "camera by numbers"), with "; scan and bits unpublished, assumed" when
 * the panel publishes neither and `raw` gives not both. */
vpm_status_t vpm_temporal_resolve(vpm_temporal_t *t, const vpm_panel_t *panel,
				  const vpm_camera_t *camera, const vpm_temporal_t *raw, char *rig,
				  size_t rig_size);

/* Set t->pwm_scheme from its name: "conventional" or "scrambled" (ASCII
 * case-insensitive).  VPM_EINVAL with "'NAME': give conventional or
 * scrambled". */
vpm_status_t vpm_temporal_set_pwm(vpm_temporal_t *t, const char *name);

/* Add a named processor feature to t->processor: "shutter-sync",
 * "extended-bits" or "frame-remap".  Shutter sync and frame remapping
 * lock the wall's refresh to the camera, so they set t->genlock too.
 * VPM_EINVAL with "'NAME': give shutter-sync, extended-bits or
 * frame-remap". */
vpm_status_t vpm_temporal_add_processor(vpm_temporal_t *t, const char *name);

typedef struct {
	double exposure_s;	 /* the exposure used */
	double refresh_period_s; /* P = 1/refresh */
	double row_time_s;	 /* readout / rows (0 for a global shutter) */
	double exposure_periods; /* E/P: refresh periods per exposure */
	double band_period_rows; /* period of the light waveform / row time
				      (P / row time for conventional PWM);
				      0 for a global shutter */
	double band_depth;	 /* peak-to-peak over mean across rows; 0 = none */
	vpm_band_polarity_t polarity;
	double flicker_depth;	     /* frame to frame (global shutter, not locked) */
	double low_grey;	     /* the darkest grey the PWM can show, 1 LSB */
	double low_grey_depth;	     /* band depth at low_grey (breakup) */
	double duty;		     /* lit fraction of a period at `grey` */
	double band_cy_deg;	     /* band frequency at the viewer */
	double drift_rows_per_frame; /* how far bands roll each frame; 0 when locked */
	int remap_overrun;	     /* exposure longer than the camera's remapped slot */
	double visibility;	     /* same scale as moiré: 1 = threshold */
	vpm_risk_t risk;
} vpm_temporal_result_t;

/* The temporal verdict of one set-up.  VPM_EINVAL with a message naming
 * the quantity (refresh, scan, bits, grey, frame rate, shutter, exposure,
 * readout, rows) when one is missing or out of range; never a NaN. */
vpm_status_t vpm_temporal_evaluate(const vpm_temporal_t *t, vpm_temporal_result_t *r);

/* The closed-form overlap of a rectangular pulse train with an exposure
 * window: for an exposure of `periods` waveform periods and a pulse
 * lasting `duty` of each period, the peak-to-peak over the mean of the
 * light caught as the window's start slides over one period.  0 for a
 * whole number of periods or duty 1; NaN-free for periods > 0, duty in
 * (0, 1].  *polarity (may be NULL) receives the band polarity. */
double vpm_temporal_pulse_depth(double periods, double duty, vpm_band_polarity_t *polarity);

/* "none", "light", "dark", "even". */
const char *vpm_band_polarity_name(vpm_band_polarity_t p);

/* ---- the safe-settings table ---- */

typedef struct {
	double exposure_periods, band_depth, visibility;
	vpm_band_polarity_t polarity;
	vpm_risk_t risk;
} vpm_temporal_cell_t;

/* Evaluate `base` at every frame rate × shutter angle: cells[i·n_angle + j]
 * holds fps[i] at angle_deg[j].  nearest_safe_deg[i] (may be NULL) receives,
 * for each frame rate, the safe shutter angle nearest to `reference_deg`
 * (searched in 0.1° steps over (0, 360] and at every angle holding a whole
 * number of refresh periods), or NaN when none is safe.  Statuses as
 * vpm_temporal_evaluate(). */
vpm_status_t vpm_temporal_grid(const vpm_temporal_t *base, const double *fps, size_t n_fps,
			       const double *angle_deg, size_t n_angle, double reference_deg,
			       vpm_temporal_cell_t *cells, double *nearest_safe_deg);

/* ---- triage: from what the crew sees to the artefact and its fix ---- */

typedef enum {
	VPM_SYMPTOM_BANDS_MOVE_WITH_SHUTTER = 0, /* "bands-shutter" */
	VPM_SYMPTOM_LIGHT_BANDS,		 /* "light-bands" */
	VPM_SYMPTOM_DARK_BANDS,			 /* "dark-bands" */
	VPM_SYMPTOM_DARK_AREAS_ONLY,		 /* "dark-areas" */
	VPM_SYMPTOM_ROLLING_BANDS,		 /* "rolling-bands" */
	VPM_SYMPTOM_MOVES_WITH_DISTANCE,	 /* "moves-with-distance" */
	VPM_SYMPTOM_MOVES_WITH_FOCUS,		 /* "moves-with-focus" */
	VPM_SYMPTOMS
} vpm_symptom_t;

typedef struct {
	vpm_symptom_t symptom;
	const char *artefact; /* "scan bands", "low-grey PWM breakup", "moire" ... */
	const char *cause;    /* one sentence */
	const char *fix;      /* the setting that fixes it, in words */
	const char *source;   /* where the rule comes from */
	double shutter_deg;   /* a shutter angle that fixes it for the set-up
				 given, or NaN */
} vpm_triage_t;

/* Parse a symptom name (the names above, case-insensitive).  VPM_EINVAL
 * with a message listing them otherwise. */
vpm_status_t vpm_symptom_parse(const char *name, vpm_symptom_t *out);
/* The name of a symptom, or NULL. */
const char *vpm_symptom_name(vpm_symptom_t s);

/* Which artefact the symptom points to and what fixes it.  With a set-up
 * `t` (may be NULL) the fix names a shutter angle: the whole-period angle
 * just below the current one for light bands, just above for dark bands,
 * the nearest for bands that move with the shutter.  VPM_EINVAL for an
 * unknown symptom or a bad set-up. */
vpm_status_t vpm_temporal_triage(vpm_symptom_t s, const vpm_temporal_t *t, vpm_triage_t *out);

/* ---- one shot of a shot list ---- */

/* The temporal verdict of a shot from its catalog panel and camera, frame
 * rate and shutter angle, everything else at vpm_temporal_default();
 * `readout_ms` above 0 replaces the camera's (a measured value the catalog
 * lacks).  VPM_ENOTFOUND when the panel's refresh rate or the readout time
 * is not known (no verdict: the caller shows "unknown"), else as
 * vpm_temporal_evaluate(). */
vpm_status_t vpm_temporal_shot(const vpm_panel_t *panel, const vpm_camera_t *camera, double fps,
			       double shutter_deg, double readout_ms, vpm_temporal_result_t *r);

/* ---- reports ---- */

/* The verdict for a person, a few lines on `fp`: the risk, the exposure in
 * refresh periods, the bands (depth, polarity, period, cy/deg), the
 * low-grey breakup, rolling, flicker and remapping notes, and the triage
 * `tri` (may be NULL).  `rig` names the equipment (may be NULL). */
void vpm_temporal_print(FILE *fp, const vpm_temporal_t *t, const vpm_temporal_result_t *r,
			const vpm_triage_t *tri, const char *rig);

/* The same as one JSON object on `fp` with at least band_period_rows,
 * band_depth, exposure_periods and risk (the `vpmoire scan --json`
 * contract); non-finite numbers are null. */
void vpm_temporal_print_json(FILE *fp, const vpm_temporal_t *t, const vpm_temporal_result_t *r,
			     const vpm_triage_t *tri);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_TEMPORAL_H */
