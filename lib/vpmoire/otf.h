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

/* ---- Field lens model: a soft-edged pupil, in wave optics.
 *
 * Real lenses have a soft-edged out-of-focus blur spot (vignetting,
 * residual aberrations, the iris), so at strong defocus the hard pupil
 * edge's high-frequency sidelobes of vpm_otf_hopkins() overstate what a
 * camera records.  The field model gives the pupil an amplitude
 * transmission A(ρ) = 1 for ρ ≤ 1 − ε and the raised cosine cos²(π/2·t) =
 * (1 + cos πt)/2, t = (ρ − (1 − ε))/ε, for 1 − ε < ρ ≤ 1 (an edge ε of the
 * pupil radius wide; ε = 0 is the hard pupil), i.e. an intensity
 * transmission A² = cos⁴(π/2·t) on the edge.  A is smooth (C¹) at both ends
 * of the edge (an amplitude with a kink at ρ = 1 diffracts strongly).
 *
 * The defocus factor is the exact incoherent OTF of this pupil with the
 * defocus phase 2π·W020·ρ² (wave optics, as a pupil FFT would give it),
 * where that matters, and its geometric limit where the OTF is tiny anyway:
 *
 *  - wave branch, κ = 4π·w·s·(1 − s/2) < 2π·12: for pure defocus the two
 *    sheared pupil copies differ in phase by 4π·w·s·x, linear in x, so
 *    H(s, w) = ∫ Y_s(x)·cos(4π·w·s·x) dx with a profile Y_s (the pupil
 *    overlap integrated along y) that does not depend on w; Y_s is
 *    tabulated once per table and H is a cosine sum over it (otf.c).
 *    Against a pupil FFT of the same pupil (tests/test_otf.c) the factor
 *    agrees to 1.1e-7 (ε = 0.2) and 2e-8 (ε = 0.5) at w = 0 … 8 waves, and
 *    against nested adaptive quadrature of the definition to 2.3e-8
 *    (ε = 0.2), 2.3e-9 (0.5), 1.1e-7 (0.1), 5.5e-7 (0.05), 1.1e-5
 *    (0.01; the table resolves the edge less well as ε → 0).  ε = 0 (and a
 *    NULL table) uses the exact Hopkins OTF instead.
 *  - geometric branch, κ > 2π·16: F = |G(4π·w·s)|·D̃(s), the OTF of the
 *    blur spot in the ray limit (A² mapped onto the blur disc),
 *      G(x) = ∫₀¹ A²(ρ) J0(xρ) 2ρ dρ / ∫₀¹ A²(ρ) 2ρ dρ  (2·J1(x)/x, ε = 0),
 *    times D̃, the in-focus MTF of the apodized pupil.
 *  - between the two, a smoothstep blend in κ: the factor is continuous.
 *    There and beyond (checked to 128 periods) the factor differs from
 *    exact wave optics by at most 2.5e-5 (ε = 0.2) and 1.1e-6 (ε = 0.5)
 *    in the window, 7.3e-6 (ε = 0.05) beyond it, more for a pupil edge
 *    under 0.05 and the hard pupil: little, because the OTF itself has
 *    fallen about that far.
 *
 * At w = 0 the factor is D̃(s), the normalised autocorrelation of A (the
 * classical diffraction MTF for ε = 0): the soft edge lowers the MTF at
 * high s (D̃ = 0.0073 vs 0.104 at s = 1.6 for ε = 0.5).  The former model,
 * |G(4π·w·s)|·D(s) with the hard pupil's D everywhere, erred by up to
 * 0.24 (ε = 0.2, w = 0.5) and still 0.017 at w = 8: at small defocus the
 * geometric limit does not hold.
 *
 * A vpm_otf_field_t holds the tables for one ε; it is read-only after
 * allocation and may be shared by any number of threads. */
typedef struct vpm_otf_field vpm_otf_field_t;

/* Tabulate for edge width `edge` = ε in [0, 0.9] (a fraction of the pupil
 * radius): G on x ∈ [0, 4096] (quintic Hermite, a priori interpolation
 * error below 1.1e-7; 450 KB) and, for ε > 0, the wave-optics profile Y_s
 * on 513 shears × 256 abscissae (1.05 MB) with the tables of the bound
 * (otf.c).  About 7 ms for ε = 0, 40 ms (ε = 0.05), 60 ms (0.2), 110 ms
 * (0.5), 155 ms (0.9): allocate once per lens, not per set-up.  NULL with
 * a message when edge is outside [0, 0.9] or NaN (VPM_EINVAL) or out of
 * memory (VPM_ENOMEM).  The caller owns the table: free it with
 * vpm_otf_field_free(). */
vpm_otf_field_t *vpm_otf_field_alloc(double edge);

/* Free a table; NULL is a no-op. */
void vpm_otf_field_free(vpm_otf_field_t *f);

/* The edge width ε of the table (fraction of the pupil radius).  A NULL
 * table stands for the hard pupil, ε = 0, in all the field functions. */
double vpm_otf_field_edge(const vpm_otf_field_t *f);

/* The signed geometric spot OTF G(x) at x = π·c·ν = 4π·w·s (G(−x) = G(x),
 * G(0) = 1, |G| ≤ 1), the factor's geometric branch.  From the table for
 * |x| < 4096; beyond, by direct quadrature (cost grows with ε·|x|; 0 once
 * the tail bound of vpm_otf_field_factor() is below 1e-13).  A NULL table
 * gives 2·J1(x)/x. */
double vpm_otf_field_spot(const vpm_otf_field_t *f, double x);

/* The planning-band defocus factor at normalised shear s and defocus W020
 * = w020_waves: over the nine w′ = w·(1 − δ + δ·j/4), j = 0 … 8 (δ =
 * tolerance, as vpm_otf_defocus_factor()), returns the expected value of
 * F(s, w′) for w′ uniform in the band (composite Simpson on the nine
 * points, weights (1, 4, 2, 4, 2, 4, 2, 4, 1)/24) and stores the worst
 * case, the largest of the nine F, in *worst (may be NULL).  δ = 0 or w = 0
 * gives F(s, w) for both.  F(s, w′) is |H(s, w′)| in the wave branch, as
 * above, with F ≤ D̃(s) = F(s, 0); 0 for |s| ≥ 2.  In the geometric branch,
 * where 4π·w′·s ≥ 4096, the factor uses the rigorous tail bound of |G|
 * (1.6·x^(−3/2) for ε = 0, 6.1e-6 at the end of the table; for ε > 0 the
 * smaller of two bounds falling as x^(−3/2) and x^(−5/2), otf.c: at most
 * 6.1e-6 at x = 4096, and 1.3e-7 or less for ε ≥ 0.05) instead of |G|: on
 * the safe side.  No allocation, no error path.  Cost: about 1–1.5 µs when
 * any of the nine is in the wave branch (one interpolated profile, ten
 * cosine sums at once), 0.1 µs in the geometric branch; for ε = 0 the
 * wave branch is vpm_otf_hopkins_series(), 1 µs (w = 0.5) to 9 µs (64
 * periods). */
double vpm_otf_field_factor(const vpm_otf_field_t *f, double s, double w020_waves, double tolerance,
			    double *worst);

/* An upper bound on F(s, w′) for every |w′| ≥ |w_min| (waves),
 * non-increasing in s and in |w_min|, for skipping components before any
 * factor is evaluated; D̃(s) = F(s, 0) at w_min = 0 (exactly where the
 * interpolated D̃ falls; within its wiggles next to s = 2 and s = 0
 * elsewhere: 6e-9 for ε = 0.05, 1.2e-6 for ε = 0.01).  The
 * larger of a wave-optics bound, min(D̃, K_m/(4π·w_min)^m, m = 1, 2, 3)
 * with K_m from the total variation of the tabulated profile's m-th
 * differences (summation by parts, otf.c), and the geometric one,
 * E(4π·w_min·s)·D̃(s) with E(x) ≥ sup_{x′ ≥ x} |G(x′)| (the table's envelope,
 * plus its interpolation error bound, then the tail bound).  For ε = 0 and
 * NULL the wave part is vpm_otf_defocus_bound().  Typically 3–50 times the
 * largest F over w′ ≥ w_min.  About 30 ns. */
double vpm_otf_field_bound(const vpm_otf_field_t *f, double s, double w_min_waves);

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
