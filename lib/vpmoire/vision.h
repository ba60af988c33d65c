/* vpmoire — the viewer (SPEC §2 steps 8–9).
 *
 * A frequency on the sensor becomes cycles per degree at the viewer through
 * the horizontal viewing angle of the picture, and its visibility is its
 * modulation times Barten's contrast sensitivity (Barten 1999, the simple
 * closed form used in SPEC §2 step 9).
 */
#ifndef VPMOIRE_VISION_H
#define VPMOIRE_VISION_H

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

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_VISION_H */
