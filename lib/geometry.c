/* Thin-lens stage geometry: focus, magnification, blur, depth of field. */
#include <config.h>

#include <ctype.h>
#include <math.h>
#include <stddef.h>

#include "error.h"
#include "vpmoire/geometry.h"

static int positive(double x)
{
	return x > 0.0 && isfinite(x);
}

double vpm_geometry_focus_limit_m(double focal_mm)
{
	return 4.0 * focal_mm * 1e-3;
}

double vpm_geometry_closest_focus_m(double focal_mm, double close_focus_m, double margin)
{
	return fmax(vpm_geometry_focus_limit_m(focal_mm) * margin, close_focus_m);
}

VPM_STATUS_FN(vpm_geometry_focus_object_mm, (double focal_mm, double focus_mm, double *object_mm),
	      (focal_mm, focus_mm, object_mm))
{
	double disc, near_m;

	if (!positive(focal_mm))
		return vpm_error(VPM_EINVAL, "focal length %g mm is not a positive number",
				 focal_mm);
	if (isnan(focus_mm) || focus_mm <= 0.0)
		return vpm_error(VPM_EINVAL, "focus distance %g m is not a positive number",
				 focus_mm / 1000.0);
	if (isinf(focus_mm)) {
		*object_mm = INFINITY;
		return VPM_OK;
	}
	/* the one rule for the closest focus: here the thin lens's 4f */
	near_m = vpm_geometry_closest_focus_m(focal_mm, 0.0, 1.0);
	if (focus_mm <= near_m * 1000.0)
		return vpm_error(VPM_EGEOMETRY,
				 "focus %.4g m is closer than the lens can focus (4f = %.4g m)",
				 focus_mm / 1000.0, near_m);
	/* s_f = (X + sqrt(X² − 4Xf))/2 = (X/2)(1 + sqrt(1 − 4f/X)) */
	disc = 1.0 - 4.0 * focal_mm / focus_mm;
	*object_mm = 0.5 * focus_mm * (1.0 + sqrt(disc));
	return VPM_OK;
}

double vpm_geometry_image_mm(double focal_mm, double object_mm)
{
	if (isinf(object_mm))
		return focal_mm;
	return focal_mm * object_mm / (object_mm - focal_mm);
}

double vpm_geometry_lens_distance_mm(double sensor_distance_mm, double image_mm)
{
	return sensor_distance_mm - image_mm;
}

double vpm_geometry_sensor_distance_mm(double lens_distance_mm, double image_mm)
{
	return lens_distance_mm + image_mm;
}

double vpm_geometry_magnification(double image_mm, double object_mm)
{
	return image_mm / object_mm;
}

double vpm_geometry_blur_mm(double focal_mm, double stop, double object_mm, double focus_object_mm)
{
	double f2 = focal_mm * focal_mm;

	if (isinf(object_mm) && isinf(focus_object_mm))
		return 0.0;
	if (isinf(focus_object_mm))
		return f2 / (stop * object_mm);
	if (isinf(object_mm))
		return f2 / (stop * (focus_object_mm - focal_mm));
	return f2 * fabs(object_mm - focus_object_mm) /
	       (stop * object_mm * (focus_object_mm - focal_mm));
}

double vpm_geometry_defocus_waves(double blur_mm, double stop, double wavelength_nm)
{
	return blur_mm / (8.0 * stop * wavelength_nm * 1e-6);
}

VPM_STATUS_FN(vpm_geometry_dof_lens_mm,
	      (double focal_mm, double stop, double coc_mm, double focus_object_mm, vpm_dof_t *out),
	      (focal_mm, stop, coc_mm, focus_object_mm, out))
{
	double f = focal_mm, s = focus_object_mm, H;

	if (!positive(f))
		return vpm_error(VPM_EINVAL, "focal length %g mm is not a positive number", f);
	if (!positive(stop))
		return vpm_error(VPM_EINVAL, "stop %g is not a positive number", stop);
	if (!positive(coc_mm))
		return vpm_error(VPM_EINVAL, "circle of confusion %g mm is not a positive number",
				 coc_mm);
	if (isnan(s) || s <= f)
		return vpm_error(VPM_EGEOMETRY,
				 "focused object at %g mm is not beyond the focal length %g mm", s,
				 f);
	H = f * f / (stop * coc_mm) + f;
	out->hyperfocal_mm = H;
	if (isinf(s)) {
		out->near_mm = H - f;
		out->far_mm = INFINITY;
		return VPM_OK;
	}
	out->near_mm = s * (H - f) / (H + s - 2.0 * f);
	out->far_mm = s < H ? s * (H - f) / (H - s) : INFINITY;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_geometry_dof_mm,
	      (double focal_mm, double stop, double coc_mm, double focus_mm, vpm_dof_t *out),
	      (focal_mm, stop, coc_mm, focus_mm, out))
{
	double s_f, v_f, H;
	vpm_dof_t lens;
	vpm_status_t st;

	st = vpm_geometry_focus_object_mm(focal_mm, focus_mm, &s_f);
	if (st != VPM_OK)
		return st;
	st = vpm_geometry_dof_lens_mm(focal_mm, stop, coc_mm, s_f, &lens);
	if (st != VPM_OK)
		return st;
	v_f = vpm_geometry_image_mm(focal_mm, s_f);
	H = lens.hyperfocal_mm;
	out->near_mm = vpm_geometry_sensor_distance_mm(lens.near_mm, v_f);
	out->far_mm = vpm_geometry_sensor_distance_mm(lens.far_mm, v_f);
	out->hyperfocal_mm = H * H / (H - focal_mm);
	return VPM_OK;
}

double vpm_geometry_coc_default_mm(double sensor_width_mm)
{
	return sensor_width_mm / 1000.0;
}

double vpm_geometry_coc_diagonal_mm(double width_mm, double height_mm, double divisor)
{
	return hypot(width_mm, height_mm) / divisor;
}

static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

VPM_STATUS_FN(vpm_geometry_coc_format_mm, (const char *format, double *coc_mm), (format, coc_mm))
{
	static const struct {
		const char *name;
		double coc;
	} formats[] = {
		{ "s35", 0.025 },   { "super35", 0.025 },    { "35mm-cine", 0.025 },
		{ "ff", 0.030 },    { "full-frame", 0.030 }, { "35mm", 0.030 },
		{ "aps-c", 0.019 }, { "apsc", 0.019 },	     { "16mm", 0.0125 },
		{ "s16", 0.0125 },  { "super16", 0.0125 },
	};

	if (!format || !coc_mm)
		return vpm_error(VPM_EINVAL, "no format name");
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		if (name_eq(format, formats[i].name)) {
			*coc_mm = formats[i].coc;
			return VPM_OK;
		}
	}
	return vpm_error(VPM_ENOTFOUND, "unknown format '%s' (known: s35, ff, aps-c, 16mm)",
			 format);
}
