/* Sampling: CFA channels, per-axis folds, recording and delivery stages. */
#include <config.h>

#include <gsl/gsl_integration.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/otf.h"
#include "vpmoire/sensor.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double vpm_sensor_wavelength_nm(vpm_channel_t channel)
{
	switch (channel) {
	case VPM_CHANNEL_LUMA: return VPM_WAVELENGTH_LUMA_NM;
	case VPM_CHANNEL_RED: return VPM_WAVELENGTH_RED_NM;
	case VPM_CHANNEL_BLUE: return VPM_WAVELENGTH_BLUE_NM;
	case VPM_CHANNEL_NONE: break;
	}
	return 0.0;
}

double vpm_sensor_weight(vpm_channel_t channel, vpm_chroma_t chroma)
{
	switch (channel) {
	case VPM_CHANNEL_LUMA: return 1.0;
	case VPM_CHANNEL_RED: return chroma == VPM_CHROMA_LUMA ? 0.2126 : 1.0;
	case VPM_CHANNEL_BLUE: return chroma == VPM_CHROMA_LUMA ? 0.0722 : 1.0;
	case VPM_CHANNEL_NONE: break;
	}
	return 0.0;
}

int vpm_sensor_channels(vpm_cfa_t cfa, double photosite_mm, vpm_chroma_t chroma,
			vpm_sensor_channel_t out[3])
{
	static const vpm_channel_t order[3] = { VPM_CHANNEL_LUMA, VPM_CHANNEL_RED,
						VPM_CHANNEL_BLUE };
	int n;

	if (cfa == VPM_CFA_BAYER)
		n = 3;
	else if (cfa == VPM_CFA_MONO)
		n = 1;
	else
		return 0;
	for (int i = 0; i < n; i++) {
		out[i].channel = order[i];
		out[i].wavelength_nm = vpm_sensor_wavelength_nm(order[i]);
		out[i].lattice_mm = i == 0 ? photosite_mm : 2.0 * photosite_mm;
		out[i].weight = vpm_sensor_weight(order[i], chroma);
	}
	return n;
}

/* lround() without the library call (it is the predictor's innermost
 * operation): truncate, then step away from zero when the remainder is at
 * least one half.  x − (double)n is exact for |x| < 2^52. */
static long round_half_away(double x)
{
	long n;
	double r;

	if (!(fabs(x) < 4.0e15))
		return lround(x);
	n = (long)x;
	r = x - (double)n;
	if (r >= 0.5)
		n++;
	else if (r <= -0.5)
		n--;
	return n;
}

double vpm_sensor_fold(double nu_cy_mm, double pitch_mm, long *n)
{
	long k = round_half_away(nu_cy_mm * pitch_mm);

	if (n)
		*n = k;
	return k == 0 ? nu_cy_mm : nu_cy_mm - (double)k / pitch_mm;
}

/* ------------------------------------------------------------------------
 * Resampling kernels (recording and delivery downscales)
 *
 * A resizer that reduces by any factor stretches its kernel to the output
 * pitch P and sums the input under it; in the frequency domain that is the
 * kernel's Fourier transform at ξ = ν·P, followed by sampling (the fold).
 * The kernels are even, so H(ξ) = 2∫₀^R k(x)·cos(2πξx) dx / (2∫₀^R k(x) dx)
 * (normalised to DC gain 1, as resizers normalise their weights).  The
 * integrand is smooth on each unit interval (the kernels are piecewise
 * smooth with breaks at integers), so a 48-point Gauss–Legendre rule per
 * interval is exact to rounding for ξ up to the table's end (the cosine has
 * at most 16 periods per interval there). */

#define RS_XI_MAX 8 /* table range in cycles per output pixel */
#define RS_PER 256  /* table points per cycle per pixel */
#define RS_N (RS_XI_MAX * RS_PER + 2)
#define RS_GL 64 /* nodes per unit interval: the cosine has ≤ 8 periods there */

static double keys_cubic(double x)
{
	/* Keys (1981) eq. (15) with a = −0.5 */
	const double a = -0.5;

	x = fabs(x);
	if (x <= 1.0)
		return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
	if (x < 2.0)
		return ((a * x - 5.0 * a) * x + 8.0 * a) * x - 4.0 * a;
	return 0.0;
}

static double lanczos3(double x)
{
	x = fabs(x);
	if (x >= 3.0)
		return 0.0;
	return vpm_otf_sinc(x) * vpm_otf_sinc(x / 3.0);
}

typedef struct {
	double (*k)(double);
	int support;
} rs_kernel_t;

static const rs_kernel_t rs_kernels[2] = { { keys_cubic, 2 }, { lanczos3, 3 } };

/* value and ξ-derivative per table point, for cubic Hermite interpolation
 * (error ~ h⁴·|H⁗|/384 < 1e-7 with h = 1/256) */
static double rs_val[2][RS_N], rs_der[2][RS_N], rs_dc[2];
static const gsl_integration_glfixed_table *rs_gl;
static pthread_once_t rs_once = PTHREAD_ONCE_INIT;

/* 2∫₀^R k(x)·cos(2πξx) dx and its ξ-derivative, not normalised. */
static double rs_integral(const rs_kernel_t *kr, double xi, double *deriv)
{
	double sum = 0.0, dsum = 0.0;

	for (int i = 0; i < kr->support; i++)
		for (size_t j = 0; j < rs_gl->n; j++) {
			double xj, wj, kx;

			gsl_integration_glfixed_point(i, i + 1, j, &xj, &wj, rs_gl);
			kx = wj * kr->k(xj);
			sum += kx * cos(2.0 * M_PI * xi * xj);
			dsum -= kx * 2.0 * M_PI * xj * sin(2.0 * M_PI * xi * xj);
		}
	if (deriv)
		*deriv = 2.0 * dsum;
	return 2.0 * sum;
}

static void rs_init(void)
{
	rs_gl = gsl_integration_glfixed_table_alloc(RS_GL);
	if (!rs_gl)
		return;
	for (int k = 0; k < 2; k++) {
		rs_dc[k] = rs_integral(&rs_kernels[k], 0.0, NULL);
		for (int i = 0; i < RS_N; i++) {
			double d;

			rs_val[k][i] = rs_integral(&rs_kernels[k], (double)i / RS_PER, &d) /
				       rs_dc[k];
			rs_der[k][i] = d / rs_dc[k];
		}
	}
}

double vpm_sensor_resample_transfer(vpm_resample_t kernel, double xi)
{
	int k, i;
	double t, u, h = 1.0 / RS_PER, p0, p1, m0, m1;

	xi = fabs(xi);
	switch (kernel) {
	case VPM_RESAMPLE_BICUBIC: k = 0; break;
	case VPM_RESAMPLE_LANCZOS3: k = 1; break;
	case VPM_RESAMPLE_AUTO:
	case VPM_RESAMPLE_BOX:
	default: return vpm_otf_sinc(xi);
	}
	pthread_once(&rs_once, rs_init);
	if (!rs_gl || !isfinite(xi))
		return 0.0; /* out of memory at first use: no pass band (never NaN) */
	if (!(xi < RS_XI_MAX))
		/* beyond the table (a chain of more than 16 input pixels per
		 * output pixel): direct quadrature */
		return rs_integral(&rs_kernels[k], xi, NULL) / rs_dc[k];
	t = xi * RS_PER;
	i = (int)t;
	u = t - i;
	p0 = rs_val[k][i];
	p1 = rs_val[k][i + 1];
	m0 = rs_der[k][i] * h;
	m1 = rs_der[k][i + 1] * h;
	return (2 * u * u * u - 3 * u * u + 1) * p0 + (u * u * u - 2 * u * u + u) * m0 +
	       (-2 * u * u * u + 3 * u * u) * p1 + (u * u * u - u * u) * m1;
}

const char *vpm_resample_name(vpm_resample_t kernel)
{
	switch (kernel) {
	case VPM_RESAMPLE_AUTO: return "auto";
	case VPM_RESAMPLE_BOX: return "box";
	case VPM_RESAMPLE_BICUBIC: return "bicubic";
	case VPM_RESAMPLE_LANCZOS3: return "lanczos3";
	}
	return NULL;
}

VPM_STATUS_FN(vpm_resample_parse, (const char *name, vpm_resample_t *out), (name, out))
{
	static const vpm_resample_t all[] = { VPM_RESAMPLE_AUTO, VPM_RESAMPLE_BOX,
					      VPM_RESAMPLE_BICUBIC, VPM_RESAMPLE_LANCZOS3 };

	if (!name)
		return vpm_error(VPM_EINVAL, "no resampling kernel");
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcasecmp(name, vpm_resample_name(all[i])) == 0) {
			*out = all[i];
			return VPM_OK;
		}
	if (strcasecmp(name, "lanczos") == 0 || strcasecmp(name, "lanczos-3") == 0) {
		*out = VPM_RESAMPLE_LANCZOS3;
		return VPM_OK;
	}
	return vpm_error(VPM_EINVAL,
			 "unknown resampling kernel '%s' (expected box, bicubic, lanczos3 or auto)",
			 name);
}

VPM_STATUS_FN(vpm_sensor_chain_init,
	      (vpm_sensor_chain_t * chain, double lattice_mm, double photosite_mm, int width_px,
	       int recording_px, int delivery_px),
	      (chain, lattice_mm, photosite_mm, width_px, recording_px, delivery_px))
{
	return vpm_sensor_chain_init_kernel(chain, lattice_mm, photosite_mm, width_px, recording_px,
					    delivery_px, VPM_RESAMPLE_BOX);
}

VPM_STATUS_FN(vpm_sensor_chain_init_kernel,
	      (vpm_sensor_chain_t * chain, double lattice_mm, double photosite_mm, int width_px,
	       int recording_px, int delivery_px, vpm_resample_t kernel),
	      (chain, lattice_mm, photosite_mm, width_px, recording_px, delivery_px, kernel))
{
	double width_mm;
	int px;

	if (!(lattice_mm > 0.0) || !isfinite(lattice_mm))
		return vpm_error(VPM_EINVAL, "sampling lattice %g mm is not a positive number",
				 lattice_mm);
	if (!(photosite_mm > 0.0) || !isfinite(photosite_mm))
		return vpm_error(VPM_EINVAL, "--photosite: %g mm is not a positive number",
				 photosite_mm);
	if (width_px < 1)
		return vpm_error(VPM_EINVAL, "--width-px: %d photosites is not a positive count",
				 width_px);
	if (recording_px < 0)
		return vpm_error(VPM_EINVAL, "--recording-px: %d is negative", recording_px);
	if (delivery_px < 0)
		return vpm_error(VPM_EINVAL, "--delivery-px: %d is negative", delivery_px);
	width_mm = width_px * photosite_mm;
	chain->kernel = kernel == VPM_RESAMPLE_AUTO ? VPM_RESAMPLE_BOX : kernel;
	chain->n_stages = 1;
	chain->pitch_mm[0] = lattice_mm;
	chain->box[0] = 0;
	px = width_px;
	if (recording_px > 0 && recording_px < px) {
		chain->pitch_mm[chain->n_stages] = width_mm / recording_px;
		chain->box[chain->n_stages] = 1;
		chain->n_stages++;
		px = recording_px;
	}
	if (delivery_px > 0 && delivery_px < px) {
		chain->pitch_mm[chain->n_stages] = width_mm / delivery_px;
		chain->box[chain->n_stages] = 1;
		chain->n_stages++;
	}
	return VPM_OK;
}

double vpm_sensor_chain_axis(const vpm_sensor_chain_t *chain, double nu_cy_mm, double *gain,
			     int *moved)
{
	double nu = nu_cy_mm;

	for (int i = 0; i < chain->n_stages; i++) {
		double P = chain->pitch_mm[i];
		long n;

		if (chain->box[i])
			*gain *=
				chain->kernel == VPM_RESAMPLE_BOX
					? fabs(vpm_otf_sinc(P * nu))
					: fabs(vpm_sensor_resample_transfer(chain->kernel, P * nu));
		nu = vpm_sensor_fold(nu, P, &n);
		if (n != 0)
			*moved = 1;
	}
	return nu;
}

void vpm_sensor_chain_apply(const vpm_sensor_chain_t *chain, double nu_x_cy_mm, double nu_y_cy_mm,
			    double *fx, double *fy, double *gain, int *aliased)
{
	int moved = 0;

	*gain = 1.0;
	*fx = vpm_sensor_chain_axis(chain, nu_x_cy_mm, gain, &moved);
	*fy = vpm_sensor_chain_axis(chain, nu_y_cy_mm, gain, &moved);
	*aliased = moved;
}

double vpm_sensor_period_px(double nu_cy_mm, double photosite_mm)
{
	if (nu_cy_mm == 0.0)
		return INFINITY;
	return 1.0 / (fabs(nu_cy_mm) * photosite_mm);
}
