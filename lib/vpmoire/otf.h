/* vpmoire — optical transfer functions (SPEC §2 step 4).
 *
 * Everything here is a factor in [−1, 1] (most in [0, 1]) that multiplies
 * the amplitude of one spatial frequency on its way from the wall to the
 * photosites: diffraction, defocus (the exact Hopkins OTF of a circular
 * pupil), lens aberrations from a catalog MTF curve, the four-spot OLPF and
 * the photosite aperture.
 *
 * Units: frequencies in cycles/mm on the sensor, lengths in mm, wavelengths
 * in nm, defocus as the Seidel coefficient W020 in waves.  The normalised
 * shear of a frequency ν is s = 2·λ·N·ν; the incoherent cut-off is s = 2,
 * i.e. ν = 1/(λN).
 */
#ifndef VPMOIRE_OTF_H
#define VPMOIRE_OTF_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* sinc(x) = sin(πx)/(πx), sinc(0) = 1. */
double vpm_otf_sinc(double x);

/* Normalised shear s = 2·λ·N·|ν| of a frequency (λ in nm, ν in cy/mm). */
double vpm_otf_shear(double nu_cy_mm, double wavelength_nm, double stop);

/* Incoherent diffraction cut-off 1/(λN) in cycles/mm. */
double vpm_otf_cutoff_cy_mm(double wavelength_nm, double stop);

/* Diffraction MTF of a circular pupil at normalised shear s (Goodman §6.3):
 * (2/π)(acos(s/2) − (s/2)·sqrt(1 − s²/4)); 1 at s = 0, 0 for |s| ≥ 2. */
double vpm_otf_diffraction(double s);

/* The same at a frequency: MTF(ν; λ, N). */
double vpm_otf_diffraction_cy_mm(double nu_cy_mm, double wavelength_nm, double stop);

/* The exact, signed OTF of a defocused, otherwise perfect circular pupil
 * (Hopkins 1955), at normalised shear s and defocus W020 = w020 waves:
 *   H(s, w) = (4/π) ∫₀^{acos(s/2)} sin²t · cos(4π·w·s·(cos t − s/2)) dt.
 * Negative values are contrast reversal.  H(s, 0) is the diffraction MTF,
 * |H(s, w)| ≤ H(s, 0), H(s, −w) = H(s, w), 0 for |s| ≥ 2.  Accurate to
 * better than 1e-9 absolute (Gauss–Legendre with the node count scaled to
 * the oscillations, or, for strong defocus at low s, the closed form of the
 * full half-pupil integral through Bessel J1 and Struve H1 minus a short
 * Gauss–Legendre remainder).  Never allocates; thread-safe. */
double vpm_otf_hopkins(double s, double w020_waves);

/* The same at a frequency: H(2λNν, w). */
double vpm_otf_hopkins_cy_mm(double nu_cy_mm, double wavelength_nm, double stop, double w020_waves);

/* H(s, w0 + j·dw) for j = 0 … n−1 in out[j], sharing one set of quadrature
 * nodes (the phases of the n equally spaced defocus values follow by the
 * angle-addition recurrence).  1 ≤ n ≤ VPM_OTF_SERIES_MAX; other n leave
 * out untouched. */
#define VPM_OTF_SERIES_MAX 16
void vpm_otf_hopkins_series(double s, double w0_waves, double dw_waves, int n, double *out);

/* The planning-tolerance defocus factor of SPEC §2 step 4: the largest
 * |H(s, w′)| over the nine w′ = w·(1 − δ + δ·j/4), j = 0 … 8.  With
 * δ = 0 it is |H(s, w)|.  Always ≥ |H(s, w)| and ≤ the diffraction MTF. */
double vpm_otf_defocus_factor(double s, double w020_waves, double tolerance);

/* A cheap, rigorous upper bound on |H(s, w)| for every |w| ≥ w_min (waves):
 * the smallest of the diffraction MTF, sqrt(1 − s²/4)/(π²·w·s) (one
 * integration by parts) and (4/π)·4.12·b^{−3/2}, b = 4π·w·s (split the
 * x-form integral near its square-root end point, integrate the rest by
 * parts twice).  Non-increasing in s and in |w|.  Used to skip components
 * before any integral is evaluated. */
double vpm_otf_defocus_bound(double s, double w_min_waves);

/* Four-spot birefringent OLPF with split d (mm): |cos(π·d·νx)|·|cos(π·d·νy)|.
 * d = 0 gives 1. */
double vpm_otf_olpf(double nu_x_cy_mm, double nu_y_cy_mm, double split_mm);

/* Square photosite aperture of side a·φ (mm): |sinc(a·φ·νx)·sinc(a·φ·νy)|. */
double vpm_otf_photosite(double nu_x_cy_mm, double nu_y_cy_mm, double aperture_mm);

/* Lens aberrations from a catalog MTF curve measured at stop N_cat:
 *   factor(ν) = min(1, MTF_cat(ν) / MTF_diffraction(ν; 555 nm, N_cat)).
 * MTF_cat is interpolated with GSL through (0, 1) and the catalog points
 * (Steffen's monotone cubic with three or more points, linear with two);
 * beyond the last catalog frequency the ratio at the last point is held
 * (a measured curve says nothing there, and holding the ratio keeps the
 * factor continuous and never lets it exceed 1).  A lens with no points is
 * ideal: factor 1. */
typedef struct vpm_otf_aberration vpm_otf_aberration_t;

/* Allocate an (ideal) aberration model; NULL with a message when out of
 * memory.  Free with vpm_otf_aberration_free() (NULL is a no-op). */
vpm_otf_aberration_t *vpm_otf_aberration_alloc(void);
void vpm_otf_aberration_free(vpm_otf_aberration_t *ab);

/* Set the catalog curve: n points (0 … VPM_LENS_MTF_MAX; 0 = ideal lens)
 * of frequency nu_cy_mm[i] (strictly increasing, > 0, below the 555 nm
 * cut-off at `stop`) and modulation mtf[i] in [0, 1], measured at `stop`
 * (≥ 0.5).  Copies the data.  VPM_EINVAL / VPM_ERANGE with a message
 * naming the lens MTF; on error the model is left ideal. */
vpm_status_t vpm_otf_aberration_set(vpm_otf_aberration_t *ab, int n, const double *nu_cy_mm,
				    const double *mtf, double stop);

/* Check a catalog curve as vpm_otf_aberration_set() would, without an
 * object: VPM_OK, VPM_EINVAL or VPM_ERANGE with a message. */
vpm_status_t vpm_otf_aberration_check(int n, const double *nu_cy_mm, const double *mtf,
				      double stop);

/* The factor at |ν| (cy/mm), in [0, 1]. */
double vpm_otf_aberration_factor(const vpm_otf_aberration_t *ab, double nu_cy_mm);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_OTF_H */
