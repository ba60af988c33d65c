/* vpmoire — thin-lens stage geometry (SPEC §1, §2 steps 1–3, DOF).
 *
 * Two conventions, never mixed silently:
 *  - a *sensor-plane* distance X is what a cine focus scale and a tape from
 *    the film plane give (every stage distance in vpmoire's input/output);
 *  - a *lens* distance s is measured from the (thin) lens, as in the
 *    textbook formulas and in published still-photography DOF tables.
 * For a lens of focal length f focused at X_f, the focused object sits at
 * s_f = (X_f + sqrt(X_f² − 4·X_f·f))/2 and the sensor at v_f =
 * f·s_f/(s_f − f) behind the lens; any other object at sensor-plane
 * distance X is at s = X − v_f, and an object at s is reported at
 * X = s + v_f.  All lengths in mm; INFINITY is a valid focus distance.
 */
#ifndef VPMOIRE_GEOMETRY_H
#define VPMOIRE_GEOMETRY_H

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Focused object distance s_f (lens distance, mm) for a focus setting X_f
 * (sensor plane, mm): the larger root of s² − X_f·s + X_f·f = 0.  X_f =
 * INFINITY gives INFINITY.  VPM_EINVAL for a focal length or distance that
 * is not a positive number, VPM_EGEOMETRY ("closer than the lens can
 * focus") when X_f ≤ 4f. */
vpm_status_t vpm_geometry_focus_object_mm(double focal_mm, double focus_mm, double *object_mm);

/* The thin lens's focus limit 4f, in metres from the sensor plane, for a
 * focal length in mm: object and image distances meet at 2f there, and no
 * closer focus exists. */
double vpm_geometry_focus_limit_m(double focal_mm);

/* The closest a lens focuses, in metres from the sensor plane: its close
 * focus close_focus_m from the catalog (0 when unknown), never closer than
 * the thin-lens limit 4f × margin.  margin is 1 for the limit itself; a
 * search that must stay strictly beyond 4f passes a little more than 1
 * (vpm_plan uses VPM_PLAN_FOCUS_MARGIN).  margin scales 4f only, never the
 * catalog value. */
double vpm_geometry_closest_focus_m(double focal_mm, double close_focus_m, double margin);

/* Image distance v = f·s/(s − f) behind the lens for an object at lens
 * distance s > f (mm); f for s = INFINITY. */
double vpm_geometry_image_mm(double focal_mm, double object_mm);

/* Lens distance s = X − v_f of an object at sensor-plane distance X when
 * the sensor sits v_f behind the lens (mm). */
double vpm_geometry_lens_distance_mm(double sensor_distance_mm, double image_mm);

/* Sensor-plane distance X = s + v_f of an object at lens distance s (mm);
 * INFINITY stays INFINITY. */
double vpm_geometry_sensor_distance_mm(double lens_distance_mm, double image_mm);

/* Magnification of an object at lens distance s on a sensor v_f behind
 * the lens: m = v_f/s (the chief ray decides the scale of a blurred image;
 * equal to f/(s − f) when the object is in focus). */
double vpm_geometry_magnification(double image_mm, double object_mm);

/* Blur-circle diameter on the sensor (mm) of an object at lens distance
 * s_obj when the lens (f, stop N) is focused at lens distance s_f:
 * c = f²·|s_obj − s_f| / (N·s_obj·(s_f − f)); f²/(N·s_obj) when s_f is
 * infinite. */
double vpm_geometry_blur_mm(double focal_mm, double stop, double object_mm, double focus_object_mm);

/* Defocus W020 in waves at wavelength λ (nm) for a blur circle c (mm) at
 * stop N: w = c / (8·N·λ). */
double vpm_geometry_defocus_waves(double blur_mm, double stop, double wavelength_nm);

/* Depth of field (thin lens, circle of confusion C). */
typedef struct {
	double near_mm;	      /* near limit */
	double far_mm;	      /* far limit; INFINITY beyond hyperfocal */
	double hyperfocal_mm; /* see the two functions below */
} vpm_dof_t;

/* DOF in LENS distances, as in published stills tables (Greenleaf,
 * DOFMaster): H = f²/(N·C) + f, near = s_f(H − f)/(H + s_f − 2f)
 * (H − f at infinity), far = s_f(H − f)/(H − s_f) when s_f < H, else
 * INFINITY; out->hyperfocal_mm = H.  focus_object_mm is the lens distance
 * s_f (> f, or INFINITY).  VPM_EINVAL for non-positive inputs,
 * VPM_EGEOMETRY when s_f ≤ f. */
vpm_status_t vpm_geometry_dof_lens_mm(double focal_mm, double stop, double coc_mm,
				      double focus_object_mm, vpm_dof_t *out);

/* DOF in SENSOR-PLANE distances for a focus setting X_f (SPEC §2 end): the
 * lens-distance limits reported as X = s + v_f, and the hyperfocal as the
 * focus setting X_H = H²/(H − f) that puts s_f at H.  Statuses as
 * vpm_geometry_focus_object_mm() plus VPM_EINVAL for a bad stop or CoC. */
vpm_status_t vpm_geometry_dof_mm(double focal_mm, double stop, double coc_mm, double focus_mm,
				 vpm_dof_t *out);

/* The default circle of confusion: recorded sensor width W / 1000 (mm). */
double vpm_geometry_coc_default_mm(double sensor_width_mm);

/* The "diagonal ÷ divisor" rule (1500 is the usual divisor, attributed to
 * the ASC manual): sqrt(w² + h²)/divisor, mm. */
double vpm_geometry_coc_diagonal_mm(double width_mm, double height_mm, double divisor);

/* Conventional CoC of a named format (mm), case-insensitive:
 *   "s35", "super35", "35mm-cine"  0.025  (usual 35 mm motion picture)
 *   "ff", "full-frame", "35mm"     0.030  (Canon / DOFMaster full frame)
 *   "aps-c", "apsc"                0.019  (0.030 / 1.6)
 *   "16mm", "s16", "super16"       0.0125 (half the 35 mm cine value, as
 *                                          older tables scale it)
 * Sources: Wikipedia's depth-of-field text, mirrored at
 * https://www.liquisearch.com/depth_of_field/circle_of_confusion_criterion_for_depth_of_field
 * (0.025 mm for 35 mm cine; older tables 0.05 for 35 mm and 0.025 for 16 mm);
 * http://insyncpubs.com/articles/?id=11 (0.030 full frame, 0.019 APS-C);
 * https://www.toolsforfilm.com/tools/circle-of-confusion (diagonal ÷ 1500).
 * VPM_ENOTFOUND for another name. */
vpm_status_t vpm_geometry_coc_format_mm(const char *format, double *coc_mm);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_GEOMETRY_H */
