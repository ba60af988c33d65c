/* vpmoire — the fast analytic moiré predictor (SPEC §2).
 *
 * One set-up in, every quantity of the `vpmoire check --json` contract out,
 * plus the strongest spectral components so a user can see *why*.
 *
 *   vpm_setup_t s = vpm_setup_default();
 *   s.pitch_mm = 1.5625; s.emitter_mm = 0.5; ...
 *   vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
 *   vpm_result_t r;
 *   if (vpm_predict(&s, ws, &r) != VPM_OK) puts(vpm_error_message());
 *   vpm_predict_workspace_free(ws);
 *
 * Units: mm for optics, metres for stage distances (measured from the sensor
 * plane, as on a cine focus scale), µm for photosites and the OLPF split.
 */
#ifndef VPMOIRE_PREDICT_H
#define VPMOIRE_PREDICT_H

#include <stddef.h>

#include "vpmoire/status.h"
#include "vpmoire/types.h"
#include "vpmoire/vision.h"

#ifdef __cplusplus
extern "C" {
#endif

/* vpm_cfa_t, vpm_chroma_t, vpm_model_t, vpm_band_t, vpm_resample_t,
 * vpm_channel_t and vpm_risk_t live in vpmoire/types.h. */

/* Most points of a catalog lens MTF curve (frequency, modulation). */
#define VPM_LENS_MTF_MAX 8

/* One set-up.  Start from vpm_setup_default() and set fields; new fields are
 * only ever added at the end. */
typedef struct {
	/* LED panel */
	double pitch_mm;   /* LED pitch p */
	double emitter_mm; /* side of the square emitting area of one channel, e */
	/* camera */
	double photosite_um; /* photosite pitch a */
	int width_px;	     /* photosites across the recorded area, W_px */
	double olpf_um;	     /* four-spot OLPF split d; 0 = no OLPF */
	double fill;	     /* linear fill factor φ of the photosite aperture, (0, 1] */
	vpm_cfa_t cfa;
	int recording_px; /* in-camera recording width; 0 = same as width_px */
	/* lens */
	double focal_mm;      /* f */
	double stop;	      /* T-stop, used as the f-number N */
	int lens_mtf_n;	      /* 0 = ideal lens; else points of a measured MTF */
	double lens_mtf_stop; /* stop N_cat the curve was measured at */
	double lens_mtf_cy_mm[VPM_LENS_MTF_MAX];
	double lens_mtf[VPM_LENS_MTF_MAX];
	/* geometry: distances from the sensor plane */
	double wall_m;	/* X_w */
	double focus_m; /* X_f; INFINITY for focus at infinity */
	/* delivery and viewer */
	int delivery_px;	/* 0 = no delivery downscale */
	double aspect;		/* display aspect α (16/9) */
	double view_heights;	/* viewing distance in picture heights h (1.5) */
	double luminance_cd_m2; /* mean display luminance L (100) */
	double grade_gain;	/* g (1) */
	double roll_deg;	/* camera roll θ (0) */
	double tolerance;	/* planning tolerance δ (0.10) */
	vpm_chroma_t chroma;	/* chroma weighting (full) */
	double coc_mm;		/* circle of confusion for DOF; 0 = W/1000 */
	double caution_at;	/* risk threshold: caution from this visibility (1) */
	double risky_at;	/* risk threshold: risky from this visibility (3) */
	/* the field model (doc/model.md); AUTO and negative values mean "the
	 * model's own choice", resolved by vpm_setup_model() */
	vpm_model_t model;	 /* field (default) or ideal */
	vpm_viewing_t viewing;	 /* AUTO: ideal → view_heights and luminance as set;
				   * field → the profile for the delivery */
	vpm_resample_t resample; /* AUTO: ideal → box; field → Lanczos-3 */
	vpm_band_t band;	 /* AUTO: ideal → worst; field → expected */
	double pupil_edge;	 /* soft pupil edge ε of the lens (field model); < 0:
				   * the model's default VPM_FIELD_PUPIL_EDGE */
	double content_contrast; /* RMS luminance contrast of the wall content that
				   * masks the pattern (field model); 0 = flat */
	double transmission;	 /* the lens's transmittance τ: a T-stop T is the
				   * f-number N = T·√τ (field model; the ideal chain
				   * uses the stop as N, SPEC §1); <= 0: the model's
				   * default VPM_FIELD_TRANSMISSION */
	double squeeze;		 /* anamorphic squeeze S (1 = spherical, the default; 2 for a
			 * 2x anamorphic): the lens images the wall with
			 * horizontal magnification m/S and vertical m, and the
			 * delivery desqueezes by S (doc/model.md, anamorphic
			 * lenses).  0 is read as 1. */
} vpm_setup_t;

/* The field model's default soft pupil edge: the fraction of the pupil
 * radius over which a real lens's out-of-focus blur spot fades out.  Not
 * published for any lens; fitted on datasets/field-observations.csv
 * (leave-one-out cross-validated; doc/model.md, `vpmoire validate --fit`). */
#define VPM_FIELD_PUPIL_EDGE 0.45

/* The field model's default lens transmittance when the catalog gives
 * none: 2^(-1/6) = 0.891, a T-stop 1/6 stop slower than the f-number.
 * Cine primes' T-stops sit 0 to 1/3 stop above their f-numbers (T = N/√τ;
 * Sony, "What is a T-stop", support article 00347434); the middle of that
 * range, with the planning tolerance on the stop (±δ on N, doc/model.md)
 * covering either end. */
#define VPM_FIELD_TRANSMISSION 0.8908987181403393

/* The working f-number the optics of a set-up use: the stop itself in
 * the ideal chain (SPEC §1), stop·√τ in the field model.  NAN for a
 * NULL set-up. */
double vpm_setup_f_number(const vpm_setup_t *setup);

/* Every choice a set-up resolves to under its model: what the footers of
 * every page print. */
typedef struct {
	vpm_model_t model;
	vpm_chroma_t chroma;	 /* FULL, LUMA or OPPONENT */
	vpm_resample_t resample; /* BOX, BICUBIC or LANCZOS3 */
	vpm_band_t band;	 /* WORST or EXPECTED */
	vpm_viewing_t viewing;	 /* a profile, or CUSTOM */
	double view_heights;	 /* picture heights */
	double luminance_cd_m2;	 /* Barten's L */
	double aspect;		 /* display aspect */
	double pupil_edge;	 /* 0 in the ideal chain (hard pupil) */
	double content_contrast; /* 0 = flat */
} vpm_model_choice_t;

/* Resolve the AUTO choices of a set-up under its model.  Does not
 * validate the set-up; VPM_EINVAL on an unknown enum value. */
vpm_status_t vpm_setup_model(const vpm_setup_t *setup, vpm_model_choice_t *out);

/* "field" or "ideal" (NULL if unknown); parse accepts them
 * case-insensitively (VPM_EINVAL with a message otherwise). */
const char *vpm_model_name(vpm_model_t model);
vpm_status_t vpm_model_parse(const char *name, vpm_model_t *out);

/* "worst" or "expected" ("auto"); parse as above. */
const char *vpm_band_name(vpm_band_t band);
vpm_status_t vpm_band_parse(const char *name, vpm_band_t *out);

/* "full", "luma", "opponent" ("auto"); parse as above. */
const char *vpm_chroma_name(vpm_chroma_t chroma);
vpm_status_t vpm_chroma_parse(const char *name, vpm_chroma_t *out);

/* A one-line summary of the model choices for page footers, e.g.
 * "field model: opponent colour CSFs, viewing uhd-tv (1.5 picture heights,
 * 100 cd/m2), Lanczos-3 resampling, soft pupil edge 0.30, expected over
 * the focus band (+-10%), flat wall content".  Writes at most n bytes
 * (NUL-terminated); returns the length it needed. */
int vpm_model_describe(const vpm_setup_t *setup, char *buf, size_t n);

/* The SPEC §2 defaults: aspect 16/9, 1.5 picture heights, 100 cd/m², gain 1,
 * roll 0, δ = 0.10, chroma full, Bayer, fill 1, no OLPF, focus at infinity,
 * thresholds 1 and 3.  Equipment and distances are zero and must be set. */
vpm_setup_t vpm_setup_default(void);

/* Check every field of a set-up for sign, range and physical possibility
 * (focus and wall further than 4f, wall in front of the lens, ...), without
 * evaluating it.  Returns VPM_OK, VPM_EINVAL, VPM_ERANGE or VPM_EGEOMETRY
 * with a message naming the field. */
vpm_status_t vpm_setup_validate(const vpm_setup_t *setup);

/* One spectral component after sampling. */
typedef struct {
	int k, l; /* LED harmonic (one of the ± pair) */
	vpm_channel_t channel;
	int aliased;	   /* 1 when any fold moved it */
	double nu_x_cy_mm; /* final frequency vector on the sensor, cy/mm */
	double nu_y_cy_mm;
	double nu_cy_mm;	    /* its length */
	double cy_deg;		    /* at the viewer */
	double modulation;	    /* 2 × summed amplitude of merged components */
	double visibility;	    /* V of SPEC §2 step 9: the statistic that drives */
	double visibility_worst;    /* its worst case over the focus band */
	double visibility_expected; /* its mean over the band; NAN in the ideal chain */
} vpm_component_t;

#define VPM_TOP_COMPONENTS 8

typedef struct {
	double magnification;	    /* m = v_f / s_w */
	double led_frequency_cy_mm; /* ν0 = 1 / (p·m) */
	double led_pitch_px;	    /* LED image pitch in photosites, p·m / a */
	double nyquist_cy_mm;	    /* 1 / (2a) */
	double wall_blur_mm;	    /* blur-circle diameter c on the sensor */
	double wall_blur_pitches;   /* c / (p·m): wall blur in LED pitches */
	double defocus_waves;	    /* W020 = c / (8·N·λ) at 555 nm */
	double coc_mm;		    /* CoC used for the DOF */
	double dof_near_m;	    /* from the sensor plane */
	double dof_far_m;	    /* INFINITY when beyond hyperfocal */
	double hyperfocal_m;	    /* focus setting X_H */
	double moire_visibility, moire_modulation, moire_beat_cy_mm, moire_cy_deg;
	vpm_channel_t moire_channel; /* VPM_CHANNEL_NONE when no aliased component */
	double grid_visibility, grid_modulation, grid_cy_mm, grid_cy_deg;
	vpm_channel_t grid_channel;
	vpm_risk_t risk;
	size_t n_top; /* strongest components, by visibility */
	vpm_component_t top[VPM_TOP_COMPONENTS];
	/* added with the field model */
	vpm_model_choice_t choice;	  /* what the set-up resolved to */
	double moire_visibility_worst;	  /* the same components' worst case over */
	double grid_visibility_worst;	  /* the focus band, and their mean (NAN */
	double moire_visibility_expected; /* in the ideal chain, which takes the */
	double grid_visibility_expected;  /* worst case by definition) */
	int driver_is_moire;		  /* 1: moiré drives the verdict; 0: the grid */
	double f_number;		  /* the working f-number of the optics (blur, diffraction,
			  * depth of field): vpm_setup_f_number() */
	/* added with anamorphic lenses: the LED lattice's fundamental along the
	 * sensor's rows (x) and columns (y) with the camera level; S·ν0 and ν0
	 * (led_frequency_cy_mm is the vertical ν0, unchanged by a squeeze) */
	double led_frequency_x_cy_mm;
	double led_frequency_y_cy_mm;
	double squeeze; /* the squeeze S the result was computed with */
} vpm_result_t;

typedef struct vpm_predict_workspace vpm_predict_workspace_t;

/* Scratch memory for vpm_predict(): allocate once per thread, reuse for
 * millions of set-ups.  Returns NULL (with a message) when out of memory. */
vpm_predict_workspace_t *vpm_predict_workspace_alloc(void);
void vpm_predict_workspace_free(vpm_predict_workspace_t *ws); /* NULL is a no-op */

/* Evaluate one set-up (SPEC §2 steps 1–10).  Validates it first.  On
 * success fills *out; on failure leaves *out untouched and returns the
 * status of vpm_setup_validate(), VPM_ENOMEM, or VPM_ELIMIT when the LED
 * image is so coarse or so fine that its harmonics cannot be enumerated.
 * Where a kind (moiré or grid) has no component, its visibility,
 * modulation and frequencies are 0 and its channel VPM_CHANNEL_NONE.
 * Thread-safe with one workspace per thread. */
vpm_status_t vpm_predict(const vpm_setup_t *setup, vpm_predict_workspace_t *ws, vpm_result_t *out);

/* "safe", "caution", "risky"; "luma", "red", "blue" or NULL for NONE. */
const char *vpm_risk_name(vpm_risk_t risk);
const char *vpm_channel_name(vpm_channel_t channel);

/* The verdict as the commands print it: "SAFE", "CAUTION", "RISKY"; "?"
 * for a value outside the enum. */
const char *vpm_risk_label(vpm_risk_t risk);

/* The visibility that decides the verdict (SPEC §2 step 9): the larger of
 * the moiré's and the LED grid's.  As fmax(): a NaN on one side gives the
 * other. */
double vpm_visibility_verdict(double moire_visibility, double grid_visibility);

/* vpm_visibility_verdict() of a result's moiré and grid visibilities. */
double vpm_result_visibility(const vpm_result_t *r);

/* The report contract (SPEC §2 step 10): the fields every writer of a
 * verdict gives, by name and in this order, defined once.  `check --json`
 * opens with them and a sweep's CSV rows end with them. */
#define VPM_REPORT_FIELDS 17

/* The name of report field i ("magnification", ..., "risk"); NULL for
 * i >= VPM_REPORT_FIELDS. */
const char *vpm_report_field_name(size_t i);

/* The value of report field i in a result: a number in *number (NaN when
 * absent: no moiré or no grid component gives no frequency) and *text
 * NULL, or for a text field (moire_channel, risk) the text in *text (NULL
 * when absent) and *number NaN.  Returns 1 for a text field, 0 for a
 * number, -1 for i >= VPM_REPORT_FIELDS (nothing written). */
int vpm_report_field_value(size_t i, const vpm_result_t *r, double *number, const char **text);

/* The risk class of a visibility: SAFE below caution_at, CAUTION below
 * risky_at, RISKY from risky_at up.  A NaN visibility is RISKY, never
 * SAFE: a verdict that could not be computed must not clear a shot. */
vpm_risk_t vpm_risk_classify(double visibility, double caution_at, double risky_at);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_PREDICT_H */
