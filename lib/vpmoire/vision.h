/* vpmoire — the viewer (SPEC §2 steps 8–9).
 *
 * A frequency on the sensor becomes cycles per degree at the viewer through
 * the horizontal viewing angle of the picture, and its visibility is its
 * modulation times Barten's contrast sensitivity (Barten 1999, the simple
 * closed form used in SPEC §2 step 9).  The field model adds colour vision
 * (a luminance and two opponent-colour mechanisms, each with its own CSF)
 * and viewing profiles taken from the broadcast and cinema standards.
 */
#ifndef VPMOIRE_VISION_H
#define VPMOIRE_VISION_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Horizontal viewing angle Θ = 2·atan(α/(2h)) in degrees for display
 * aspect α (width/height) seen from h picture heights. */
double vpm_vision_angle_deg(double aspect, double view_heights);

/* u = |ν|·W/Θ cycles/degree for ν cycles/mm on a recorded width W mm shown
 * across Θ degrees (the mean over the picture width). */
double vpm_vision_cy_deg(double nu_cy_mm, double width_mm, double angle_deg);

/* Barten's contrast sensitivity at u cycles/degree, mean luminance L
 * (cd/m²) and field size X0 (degrees):
 *   S(u) = 5200·exp(−0.0016·u²·(1 + 100/L)^0.08) /
 *          sqrt((1 + 144/X0² + 0.64·u²)·(63/L^0.83 + 1/(1 − exp(−0.02·u²)))).
 * S(0) = 0 (the limit).  Inputs must be positive and finite. */
double vpm_vision_csf(double u_cy_deg, double luminance_cd_m2, double field_deg);

/* Barten's CSF with the terms that depend only on L and X0 computed once
 * (for loops over many frequencies at one viewing condition). */
typedef struct {
	double k_exp;	/* 0.0016·(1 + 100/L)^0.08 */
	double k_field; /* 1 + 144/X0² */
	double k_lum;	/* 63/L^0.83 */
} vpm_vision_csf_t;

/* Prepare the constants for luminance L (cd/m²) and field X0 (degrees). */
void vpm_vision_csf_init(vpm_vision_csf_t *csf, double luminance_cd_m2, double field_deg);

/* S(u) with prepared constants; equal to vpm_vision_csf(u, L, X0). */
double vpm_vision_csf_eval(const vpm_vision_csf_t *csf, double u_cy_deg);

/* The peak of S over u > 0 (golden-section search on log u, relative
 * accuracy ~1e-9); stores its frequency in *u_peak (may be NULL). */
double vpm_vision_csf_peak(double luminance_cd_m2, double field_deg, double *u_peak);

/* ---- Colour vision: one luminance and two opponent-colour mechanisms ----
 *
 * An aliased ripple of modulation M in one camera channel is, after
 * demosaicing, a ripple ΔRGB on a neutral (white-balanced) field of mean
 * RGB = (1,1,1)·mean, in linear Rec. 709 RGB: luma (M,M,M), red (M,0,0),
 * blue (0,0,M).  It is split into the part proportional to white, a
 * luminance contrast (its Rec. 709 Y), and an isoluminant remainder whose
 * red–green and blue–yellow contrasts are taken in the opponent space of
 * Poirson & Wandell used by S-CIELAB (Zhang & Wandell 1997).  Each
 * mechanism has its own CSF; they add by Minkowski summation, exponent 2. */

/* Contrasts per unit modulation of one camera channel: lum (Rec. 709
 * luminance, ΔY/Y_white), rg and by (signed opponent contrasts ΔO2/O1_white
 * and ΔO3/O1_white of the isoluminant remainder). */
typedef struct {
	double lum, rg, by;
} vpm_vision_opponent_t;

/* The contrasts of camera channel 0 (luma), 1 (red) or 2 (blue), the
 * indices of vpm_channel_t: luma (1, 0, 0) exactly, red (0.2126, −0.1272,
 * −0.1014), blue (0.0722, 0.0196, 0.5128).  Any other channel (such as
 * VPM_CHANNEL_NONE, −1) is not seen: (0, 0, 0). */
vpm_vision_opponent_t vpm_vision_opponent(int channel);

/* Red–green and blue–yellow contrast sensitivity at u cycles/degree:
 * Johnson & Fairchild's (2003) fits to Mullen (1985),
 *   S(u) = a1·exp(−b1·u^c1) + a2·exp(−b2·u^c2),
 * with every parameter positive, so both fall monotonically from
 * S(0) = a1 + a2 (202.74 and 47.72).  |u| is used; NaN gives 0. */
double vpm_vision_csf_rg(double u_cy_deg);
double vpm_vision_csf_by(double u_cy_deg);

/* One channel's combined sensitivity at one viewing condition, prepared
 * once for many frequencies. */
typedef struct {
	vpm_vision_csf_t lum;	 /* Barten at L and X0 */
	vpm_vision_opponent_t w; /* the channel's contrasts per unit modulation */
	double bound;		 /* ≥ vpm_vision_colour_eval(u) for every u */
} vpm_vision_colour_t;

/* Prepare channel `channel` (0 luma, 1 red, 2 blue) at mean luminance L
 * (cd/m²) and field X0 (degrees), both positive and finite.  Finds
 * Barten's peak (vpm_vision_csf_peak) for the bound. */
void vpm_vision_colour_init(vpm_vision_colour_t *vc, int channel, double luminance_cd_m2,
			    double field_deg);

/* The same from Barten constants already prepared and their peak
 * (vpm_vision_csf_peak at the same L and X0), to share them between the
 * channels of one set-up. */
void vpm_vision_colour_init_csf(vpm_vision_colour_t *vc, int channel, const vpm_vision_csf_t *csf,
				double csf_peak);

/* S_eff(u) = sqrt((w.lum·S_Barten(u))² + (w.rg·S_rg(u))² + (w.by·S_by(u))²);
 * for the luma channel exactly vpm_vision_csf_eval(&vc->lum, u). */
double vpm_vision_colour_eval(const vpm_vision_colour_t *vc, double u_cy_deg);

/* ---- Viewing profiles ---- */

typedef enum {
	VPM_VIEWING_AUTO = 0, /* the model's choice (vpm_viewing_for_delivery) */
	VPM_VIEWING_CUSTOM,   /* view_heights and luminance as the user set them */
	VPM_VIEWING_CINEMA,
	VPM_VIEWING_UHD_TV,
	VPM_VIEWING_HD_TV,
	VPM_VIEWING_GRADING,
	VPM_VIEWING_PHONE
} vpm_viewing_t;

/* A standard viewing condition.  luminance_cd_m2 is used as Barten's mean
 * luminance L: it is the standard's reference (peak) white, not an
 * average picture level, because moiré shows on bright flat areas (sky,
 * white set walls) whose local mean is near white, and Barten's S grows
 * with L, so white is the cautious choice. */
typedef struct {
	vpm_viewing_t id;
	const char *name;	/* "cinema", "uhd-tv", "hd-tv", "grading", "phone" */
	double view_heights;	/* viewing distance in picture heights */
	double luminance_cd_m2; /* reference white, used as Barten's L */
	double aspect;		/* width/height of the picture */
	const char *source;	/* standard or study, and clause */
	const char *summary;	/* one line for footers and --help */
} vpm_viewing_profile_t;

/* The profile of v (static storage; never free it), or NULL for AUTO,
 * CUSTOM or an unknown value. */
const vpm_viewing_profile_t *vpm_viewing_profile(vpm_viewing_t v);

/* Parse a profile name, case-insensitive: the profile names, "auto" and
 * "custom".  VPM_EINVAL with a message listing the names otherwise (or
 * when name or out is NULL). */
vpm_status_t vpm_viewing_parse(const char *name, vpm_viewing_t *out);

/* "auto", "custom" or the profile's name; NULL if v is unknown. */
const char *vpm_viewing_name(vpm_viewing_t v);

/* The profile the field model picks for a delivery width in pixels:
 * 3840 and wider → UHD TV; 1 … 3839 → HD TV; 0 or less (no delivery: the
 * picture seen at camera resolution) → UHD TV. */
vpm_viewing_t vpm_viewing_for_delivery(int delivery_px);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_VISION_H */
