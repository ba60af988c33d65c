/* The lens PSF from its pupil, by FFT.
 *
 * Incoherent imaging with a circular pupil of working f-number N: the
 * coherent transfer function is the pupil P(ρ) = exp(2πi·W(ρ)) inside
 * |ν| ≤ 1/(2λN) (ρ = 2λN|ν|), the amplitude PSF is its Fourier transform
 * and the intensity PSF is |·|² (Goodman, Introduction to Fourier Optics,
 * §6.2–6.4).  W(ρ) = W020·ρ² + W040·ρ⁴ in waves: defocus and third-order
 * spherical aberration.  The PSF's transform, the OTF, is the pupil's
 * autocorrelation — for W040 = 0 the Hopkins OTF that the analytic chain
 * integrates.
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fftsim_private.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Signed index of DFT bin i of n (0 … n/2 − 1 up, then negative). */
static int signed_bin(int i, int n)
{
	return i < (n + 1) / 2 ? i : i - n;
}

/* Area of a pupil cell (bin fx, fy; radius r in bins) inside the circle,
 * 0 … 1, by 8 × 8 sub-samples where the edge crosses the cell. */
static double pupil_weight(int fx, int fy, double r)
{
	double d2 = (double)fx * fx + (double)fy * fy, lo = r - 0.75, hi = r + 0.75;
	int in = 0;

	if (lo > 0.0 && d2 <= lo * lo)
		return 1.0;
	if (d2 >= hi * hi)
		return 0.0;
	for (int j = 0; j < 8; j++)
		for (int i = 0; i < 8; i++) {
			double x = fx - 0.5 + (i + 0.5) / 8.0, y = fy - 0.5 + (j + 0.5) / 8.0;
			in += x * x + y * y <= r * r;
		}
	return in / 64.0;
}

vpm_status_t vpm_fftsim_psf(fft_ctx_t *fft, int win, int fine, double sample_mm,
			    double wavelength_nm, double stop, double w020_waves, double w040_waves,
			    double pupil_edge, fftw_complex *pupil, fftw_complex *crop, double *psf)
{
	int mf = fine * win;
	double lambda_mm = wavelength_nm * 1e-6;
	/* pupil radius 1/(2λN) in bins of 1/(win·sample) */
	double r = win * sample_mm / (2.0 * lambda_mm * stop);
	fft_entry_t *bwd, *fwd = NULL, *cbwd = NULL;
	vpm_status_t st;
	double sum = 0.0;

	if (fine < 1 || win < 4 || mf / fine != win)
		return vpm_error(VPM_EINTERNAL, "PSF window %d x %d", win, fine);
	if (r >= 0.5 * mf - 1.0)
		return vpm_error(VPM_EINTERNAL, "pupil radius %g bins does not fit %d", r, mf);
	/* plan first: FFTW_MEASURE overwrites the arrays */
	if ((st = vpm_fft_plan(fft, FFT_C2C_BWD, mf, mf, pupil, &bwd)) != VPM_OK)
		return st;
	if (fine > 1) {
		if ((st = vpm_fft_plan(fft, FFT_C2C_FWD, mf, mf, pupil, &fwd)) != VPM_OK)
			return st;
		if ((st = vpm_fft_plan(fft, FFT_C2C_BWD, win, win, crop, &cbwd)) != VPM_OK)
			return st;
	}

	memset(pupil, 0, (size_t)mf * mf * sizeof *pupil);
	VPM_OMP_FOR
	for (int j = 0; j < mf; j++) {
		int fy = signed_bin(j, mf);
		/* only the cells the pupil covers: |fx| < r + 1 */
		int span = (int)ceil(r + 1.0);
		if (abs(fy) > span)
			continue;
		for (int fx = -span; fx <= span; fx++) {
			double wgt = pupil_weight(fx, fy, r);
			double rho2 = ((double)fx * fx + (double)fy * fy) / (r * r);
			double ph;
			size_t i = (size_t)(fx < 0 ? fx + mf : fx);

			if (wgt == 0.0)
				continue;
			if (rho2 > 1.0)
				rho2 = 1.0;
			/* the field model's soft pupil edge (doc/model.md §4): amplitude
			 * cos² over the outer `pupil_edge` of the radius (intensity cos⁴),
			 * the profile of vpm_otf_field_alloc() */
			if (pupil_edge > 0.0) {
				double rho = sqrt(rho2),
				       t = (rho - (1.0 - pupil_edge)) / pupil_edge;

				if (t > 0.0) {
					double c = cos(0.5 * M_PI * fmin(t, 1.0));

					wgt *= c * c;
				}
			}
			ph = 2.0 * M_PI * (w020_waves * rho2 + w040_waves * rho2 * rho2);
			pupil[(size_t)j * mf + i][0] = wgt * cos(ph);
			pupil[(size_t)j * mf + i][1] = wgt * sin(ph);
		}
	}
	vpm_fft_exec(fft, bwd, pupil);
	/* intensity PSF on the fine grid */
	for (size_t k = 0; k < (size_t)mf * mf; k++) {
		double re = pupil[k][0], im = pupil[k][1];
		pupil[k][0] = re * re + im * im;
		pupil[k][1] = 0.0;
	}
	if (fine == 1) {
		for (int j = 0; j < win; j++)
			for (int i = 0; i < win; i++) {
				int sx = signed_bin(i, win), sy = signed_bin(j, win);
				double v = pupil[(size_t)j * win + i][0];
				psf[(size_t)(sy + win / 2) * win + (size_t)(sx + win / 2)] = v;
				sum += v;
			}
	} else {
		/* Band-limit to the output grid: keep the spectrum's bins
		 * |k| ≤ win/2 (the OTF there is exact: the fine grid holds the
		 * whole pupil autocorrelation), then back to win × win. */
		vpm_fft_exec(fft, fwd, pupil);
		for (int j = 0; j < win; j++) {
			int ky = signed_bin(j, win);
			int sj = ky < 0 ? ky + mf : ky;
			for (int i = 0; i < win; i++) {
				int kx = signed_bin(i, win);
				int si = kx < 0 ? kx + mf : kx;
				crop[(size_t)j * win + i][0] = pupil[(size_t)sj * mf + si][0];
				crop[(size_t)j * win + i][1] = pupil[(size_t)sj * mf + si][1];
			}
		}
		vpm_fft_exec(fft, cbwd, crop);
		for (int j = 0; j < win; j++)
			for (int i = 0; i < win; i++) {
				int sx = signed_bin(i, win), sy = signed_bin(j, win);
				double v = crop[(size_t)j * win + i][0];
				psf[(size_t)(sy + win / 2) * win + (size_t)(sx + win / 2)] = v;
				sum += v;
			}
	}
	if (!(sum > 0.0) || !isfinite(sum))
		return vpm_error(VPM_EINTERNAL, "PSF sums to %g", sum);
	for (size_t k = 0; k < (size_t)win * win; k++)
		psf[k] /= sum;
	return VPM_OK;
}
