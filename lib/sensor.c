/* Sampling: CFA channels, per-axis folds, recording and delivery stages. */
#include <config.h>

#include <math.h>
#include <stddef.h>

#include "error.h"
#include "vpmoire/otf.h"
#include "vpmoire/sensor.h"

double vpm_sensor_wavelength_nm(vpm_channel_t channel)
{
	switch (channel) {
	case VPM_CHANNEL_LUMA: return 555.0;
	case VPM_CHANNEL_RED: return 625.0;
	case VPM_CHANNEL_BLUE: return 465.0;
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

vpm_status_t vpm_sensor_chain_init(vpm_sensor_chain_t *chain, double lattice_mm,
				   double photosite_mm, int width_px, int recording_px,
				   int delivery_px)
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
			*gain *= fabs(vpm_otf_sinc(P * nu));
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
