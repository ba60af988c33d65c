/* The viewer: viewing angle, cycles per degree, Barten's CSF. */
#include <config.h>

#include <math.h>
#include <stddef.h>

#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double vpm_vision_angle_deg(double aspect, double view_heights)
{
	return 2.0 * atan(aspect / (2.0 * view_heights)) * (180.0 / M_PI);
}

double vpm_vision_cy_deg(double nu_cy_mm, double width_mm, double angle_deg)
{
	return fabs(nu_cy_mm) * width_mm / angle_deg;
}

void vpm_vision_csf_init(vpm_vision_csf_t *csf, double luminance_cd_m2, double field_deg)
{
	double L = luminance_cd_m2, X0 = field_deg;

	csf->k_exp = 0.0016 * pow(1.0 + 100.0 / L, 0.08);
	csf->k_field = 1.0 + 144.0 / (X0 * X0);
	csf->k_lum = 63.0 / pow(L, 0.83);
}

double vpm_vision_csf_eval(const vpm_vision_csf_t *csf, double u_cy_deg)
{
	double u2 = u_cy_deg * u_cy_deg, lowpass;

	if (!(u2 > 0.0))
		return 0.0;
	/* 1/(1 − exp(−0.02u²)) = −1/expm1(−0.02u²): accurate at small u */
	lowpass = -1.0 / expm1(-0.02 * u2);
	if (!isfinite(lowpass))
		return 0.0;
	return 5200.0 * exp(-csf->k_exp * u2) /
	       sqrt((csf->k_field + 0.64 * u2) * (csf->k_lum + lowpass));
}

double vpm_vision_csf(double u_cy_deg, double luminance_cd_m2, double field_deg)
{
	vpm_vision_csf_t csf;

	vpm_vision_csf_init(&csf, luminance_cd_m2, field_deg);
	return vpm_vision_csf_eval(&csf, u_cy_deg);
}

double vpm_vision_csf_peak(double luminance_cd_m2, double field_deg, double *u_peak)
{
	/* S is unimodal in u; search log u in [log 0.05, log 60]. */
	const double g = 0.6180339887498949;
	double a = log(0.05), b = log(60.0);
	double c = b - g * (b - a), d = a + g * (b - a);
	vpm_vision_csf_t csf;
	double fc, fd;

	vpm_vision_csf_init(&csf, luminance_cd_m2, field_deg);
	fc = vpm_vision_csf_eval(&csf, exp(c));
	fd = vpm_vision_csf_eval(&csf, exp(d));

	while (b - a > 1e-10) {
		if (fc > fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - g * (b - a);
			fc = vpm_vision_csf_eval(&csf, exp(c));
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + g * (b - a);
			fd = vpm_vision_csf_eval(&csf, exp(d));
		}
	}
	if (u_peak)
		*u_peak = exp(0.5 * (a + b));
	return vpm_vision_csf_eval(&csf, exp(0.5 * (a + b)));
}
