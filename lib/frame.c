/* What the camera frames on an LED stage: pinhole projection, set-extension
 * share, the wall points behind the verdict, and previs outlines
 * (conventions in lib/vpmoire/frame.h). */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "vpmoire/frame.h"
#include "vpmoire/geometry.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)
#define NEAR_M 0.05	 /* outlines are clipped this close to the sensor */
#define MIN_DEPTH_M 1e-3 /* vpm_view_project() */

/* ------------------------------------------------------------ vectors */

static vpm_vec3_t v3(double x, double y, double z)
{
	vpm_vec3_t v = { x, y, z };
	return v;
}

static vpm_vec3_t vadd(vpm_vec3_t a, vpm_vec3_t b)
{
	return v3(a.x + b.x, a.y + b.y, a.z + b.z);
}

static vpm_vec3_t vsub(vpm_vec3_t a, vpm_vec3_t b)
{
	return v3(a.x - b.x, a.y - b.y, a.z - b.z);
}

static vpm_vec3_t vscale(vpm_vec3_t a, double k)
{
	return v3(a.x * k, a.y * k, a.z * k);
}

static double vdot(vpm_vec3_t a, vpm_vec3_t b)
{
	return a.x * b.x + a.y * b.y + a.z * b.z;
}

static double vlen(vpm_vec3_t a)
{
	return sqrt(vdot(a, a));
}

/* ------------------------------------------------------------ the camera */

void vpm_view_basis(const vpm_view_t *view, vpm_view_basis_t *b)
{
	double p = view->pan_deg * DEG, t = view->tilt_deg * DEG, r = view->roll_deg * DEG;
	double sp = sin(p), cp = cos(p), st = sin(t), ct = cos(t), sr = sin(r), cr = cos(r);
	/* pan about the vertical, then tilt: forward, a level right, and up */
	vpm_vec3_t f = v3(sp * ct, st, -cp * ct);
	vpm_vec3_t r0 = v3(cp, 0.0, sp);
	vpm_vec3_t u0 = v3(-sp * st, ct, cp * st); /* r0 × f */

	/* roll: the camera's top turns towards its right */
	b->forward = f;
	b->up = vadd(vscale(u0, cr), vscale(r0, sr));
	b->right = vsub(vscale(r0, cr), vscale(u0, sr));
}

int vpm_view_project(const vpm_view_t *view, vpm_vec3_t p, double *u_mm, double *v_mm,
		     double *depth_m)
{
	vpm_view_basis_t b;
	vpm_vec3_t d = vsub(p, view->position_m);
	double z;

	vpm_view_basis(view, &b);
	z = vdot(d, b.forward);
	if (!(z > MIN_DEPTH_M))
		return 0;
	*u_mm = view->focal_mm * vdot(d, b.right) / z;
	*v_mm = view->focal_mm * vdot(d, b.up) / z;
	if (depth_m)
		*depth_m = z;
	return 1;
}

vpm_vec3_t vpm_view_ray(const vpm_view_t *view, double u_mm, double v_mm)
{
	vpm_view_basis_t b;

	vpm_view_basis(view, &b);
	return vadd(vscale(b.forward, view->focal_mm),
		    vadd(vscale(b.right, u_mm), vscale(b.up, v_mm)));
}

VPM_STATUS_FN(vpm_view_validate, (const vpm_view_t *view), (view))
{
	if (view == NULL)
		return vpm_error(VPM_EINVAL, "view: NULL");
	if (!isfinite(view->position_m.x) || !isfinite(view->position_m.y) ||
	    !isfinite(view->position_m.z))
		return vpm_error(VPM_EINVAL, "camera position is not finite");
	if (!(view->focal_mm > 0.0 && isfinite(view->focal_mm)))
		return vpm_error(VPM_EINVAL, "focal length %g mm is not a positive number",
				 view->focal_mm);
	if (!(view->sensor_w_mm > 0.0 && view->sensor_h_mm > 0.0 && isfinite(view->sensor_w_mm) &&
	      isfinite(view->sensor_h_mm)))
		return vpm_error(VPM_EINVAL, "sensor size %g x %g mm is not positive",
				 view->sensor_w_mm, view->sensor_h_mm);
	if (!(fabs(view->pan_deg) <= 360.0 && fabs(view->tilt_deg) <= 360.0 &&
	      fabs(view->roll_deg) <= 360.0))
		return vpm_error(VPM_EINVAL, "pan, tilt and roll must lie within 360 degrees");
	return VPM_OK;
}

/* ------------------------------------------------------------ coverage */

VPM_STATUS_FN(vpm_frame_coverage,
	      (const vpm_stage_t *st, const vpm_view_t *view, int nx, int ny, vpm_coverage_t *out),
	      (st, view, nx, ny, out))
{
	vpm_view_basis_t b;
	long counts[3] = { 0, 0, 0 };
	double edge[4] = { 0, 0, 0, 0 }; /* in samples; corner samples split */
	long surf[VPM_STAGE_MAX_SURFACES] = { 0 };
	double total;
	vpm_status_t rc;
	int i, j, k;

	if (st == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "frame coverage: NULL argument");
	if ((rc = vpm_view_validate(view)) != VPM_OK)
		return rc;
	if (nx < 16 || nx > 4096)
		return vpm_error(VPM_EINVAL, "frame coverage: %d samples across (16 to 4096)", nx);
	if (ny <= 0)
		ny = (int)lround(nx * view->sensor_h_mm / view->sensor_w_mm);
	if (ny < 4)
		ny = 4;
	if (ny > 4096)
		return vpm_error(VPM_EINVAL, "frame coverage: %d samples down (at most 4096)", ny);
	memset(out, 0, sizeof *out);
	vpm_view_basis(view, &b);
	for (j = 0; j < ny; j++) {
		double v = (0.5 - (j + 0.5) / ny) * view->sensor_h_mm;
		for (i = 0; i < nx; i++) {
			double u = (-0.5 + (i + 0.5) / nx) * view->sensor_w_mm;
			vpm_vec3_t d = vadd(vscale(b.forward, view->focal_mm),
					    vadd(vscale(b.right, u), vscale(b.up, v)));
			vpm_hit_t h;
			vpm_stage_trace(st, view->position_m, d, &h);
			counts[h.kind]++;
			if (h.kind == VPM_HIT_LED && h.surface >= 0)
				surf[h.surface]++;
			if (h.kind == VPM_HIT_NOTHING) {
				/* every such ray passes one edge, or two at a
				 * corner (vpm_stage_trace); each sample is
				 * shared out whole, so the edges partition the
				 * extension */
				int nb = 0;
				for (k = 0; k < 4; k++)
					nb += (h.edges >> k) & 1u;
				for (k = 0; k < 4; k++)
					if (h.edges & (1u << k))
						edge[k] += 1.0 / nb;
			}
		}
	}
	total = (double)nx * ny;
	out->nx = nx;
	out->ny = ny;
	out->led_share = counts[VPM_HIT_LED] / total;
	out->floor_share = counts[VPM_HIT_FLOOR] / total;
	out->extension_share = counts[VPM_HIT_NOTHING] / total;
	for (k = 0; k < 4; k++) {
		out->edge_share[k] = edge[k] / total;
		if (edge[k] > 0)
			out->edges |= 1u << k;
	}
	for (k = 0; k < VPM_STAGE_MAX_SURFACES; k++)
		out->surface_share[k] = surf[k] / total;
	return VPM_OK;
}

/* ------------------------------------------------------------ probes */

static double round_to(double x, double q)
{
	return round(x / q) * q;
}

/* Image displacement (du, dv) of a small step along `dir` at `p`. */
static void image_step(const vpm_view_t *view, vpm_vec3_t p, vpm_vec3_t dir, double eps, double *du,
		       double *dv)
{
	double u0, v0, u1, v1;

	if (!vpm_view_project(view, vsub(p, vscale(dir, eps)), &u0, &v0, NULL) ||
	    !vpm_view_project(view, vadd(p, vscale(dir, eps)), &u1, &v1, NULL)) {
		*du = *dv = 0.0;
		return;
	}
	*du = u1 - u0;
	*dv = v1 - v0;
}

static int probe_at(const vpm_stage_t *st, const vpm_view_t *view, double u, double v,
		    vpm_probe_t *p)
{
	vpm_view_basis_t b;
	vpm_vec3_t d = vpm_view_ray(view, u, v);
	vpm_hit_t h;
	vpm_view_t level = *view;
	const vpm_surface_t *sf;
	vpm_vec3_t tan, up = v3(0.0, 1.0, 0.0), n;
	double eps, du, dv, k, twist;

	memset(p, 0, sizeof *p);
	p->u_mm = u;
	p->v_mm = v;
	p->surface = -1;
	vpm_stage_trace(st, view->position_m, d, &h);
	if (h.kind != VPM_HIT_LED)
		return 0;
	vpm_view_basis(view, &b);
	sf = &st->surface[h.surface];
	p->on_led = 1;
	p->surface = h.surface;
	p->point = h.point;
	p->depth_m = vdot(vsub(h.point, view->position_m), b.forward);
	/* local foreshortening: the image step of a wall step, against the
	 * f/depth of a sensor-parallel plane at the same depth */
	tan = vpm_surface_tangent(sf, h.s_m);
	eps = 1e-4 * p->depth_m;
	image_step(view, h.point, tan, eps, &du, &dv);
	k = hypot(du, dv) / (2.0 * eps) * p->depth_m / view->focal_mm;
	p->scale_rows = round_to(k, 1e-9);
	image_step(view, h.point, up, eps, &du, &dv);
	k = hypot(du, dv) / (2.0 * eps) * p->depth_m / view->focal_mm;
	p->scale_cols = round_to(k, 1e-9);
	/* tilt of the LED rows in the picture from perspective alone (the
	 * same view without roll), then the camera's roll on top */
	level.roll_deg = 0.0;
	image_step(&level, h.point, tan, eps, &du, &dv);
	twist = atan2(dv, du) / DEG;
	if (twist > 90.0)
		twist -= 180.0;
	else if (twist <= -90.0)
		twist += 180.0;
	p->row_angle_deg = view->roll_deg + round_to(twist, 1e-9);
	n = vpm_surface_normal(sf, h.s_m);
	p->incidence_deg = acos(fmin(1.0, fabs(vdot(d, n)) / vlen(d))) / DEG;
	return 1;
}

void vpm_frame_probes(const vpm_stage_t *st, const vpm_view_t *view,
		      vpm_probe_t out[VPM_FRAME_PROBES], size_t *n)
{
	static const double pos[VPM_FRAME_PROBES][2] = {
		{ 0, 0 },  { -1, 0 }, { 1, 0 },	  { 0, 1 },  { 0, -1 },
		{ -1, 1 }, { 1, 1 },  { -1, -1 }, { 1, -1 },
	};
	double hw = 0.45 * view->sensor_w_mm, hh = 0.45 * view->sensor_h_mm;
	size_t i, k = 0;
	int a, c;

	for (i = 0; i < VPM_FRAME_PROBES; i++)
		if (probe_at(st, view, pos[i][0] * hw, pos[i][1] * hh, &out[k]))
			k++;
	/* nothing at those points: look closer (a sliver of wall) */
	for (c = 0; k == 0 && c < 5; c++)
		for (a = 0; a < 7 && k < VPM_FRAME_PROBES; a++)
			if (probe_at(st, view, (-1.0 + a / 3.0) * 0.49 * view->sensor_w_mm,
				     (1.0 - c / 2.0) * 0.49 * view->sensor_h_mm, &out[k]))
				k++;
	*n = k;
}

size_t vpm_frame_probe_setups(const vpm_setup_t *base, const vpm_probe_t *p, vpm_setup_t out[2])
{
	out[0] = *base;
	out[0].wall_m = p->depth_m;
	out[0].roll_deg = p->row_angle_deg;
	out[0].pitch_mm = base->pitch_mm * p->scale_rows;
	out[0].emitter_mm = base->emitter_mm * p->scale_rows;
	if (fabs(p->scale_rows - p->scale_cols) <= 1e-9)
		return 1;
	out[1] = out[0];
	out[1].pitch_mm = base->pitch_mm * p->scale_cols;
	out[1].emitter_mm = base->emitter_mm * p->scale_cols;
	return 2;
}

static int same_setup(const vpm_setup_t *a, const vpm_setup_t *b)
{
	return fabs(a->wall_m - b->wall_m) <= 1e-9 * fabs(a->wall_m) &&
	       fabs(a->pitch_mm - b->pitch_mm) <= 1e-12 * a->pitch_mm &&
	       fabs(a->emitter_mm - b->emitter_mm) <= 1e-12 * fmax(a->emitter_mm, 1e-300) &&
	       fabs(a->roll_deg - b->roll_deg) <= 1e-9;
}

VPM_STATUS_FN(vpm_frame_verdict,
	      (const vpm_stage_t *st, const vpm_view_t *view, const vpm_setup_t *base,
	       vpm_predict_workspace_t *ws, vpm_frame_verdict_t *out),
	      (st, view, base, ws, out))
{
	vpm_setup_t done[2 * VPM_FRAME_PROBES];
	size_t ndone = 0, i, j, k, m;
	double best = -1.0;
	vpm_status_t rc;

	if (st == NULL || base == NULL || ws == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "frame verdict: NULL argument");
	if ((rc = vpm_view_validate(view)) != VPM_OK)
		return rc;
	memset(out, 0, sizeof *out);
	out->probe = -1;
	vpm_frame_probes(st, view, out->probes, &out->n_probes);
	for (i = 0; i < out->n_probes; i++) {
		vpm_setup_t s[2];
		m = vpm_frame_probe_setups(base, &out->probes[i], s);
		for (k = 0; k < m; k++) {
			vpm_result_t r;
			for (j = 0; j < ndone; j++)
				if (same_setup(&done[j], &s[k]))
					break;
			if (j < ndone)
				continue;
			done[ndone++] = s[k];
			rc = vpm_predict(&s[k], ws, &r);
			if (rc != VPM_OK)
				return vpm_error_prefix(rc, "the wall point at %s%s of the frame",
							i == 0 ? "the centre" : "the edge",
							k ? " (LED columns)" : "");
			if (vpm_result_visibility(&r) > best) {
				best = vpm_result_visibility(&r);
				out->result = r;
				out->setup = s[k];
				out->probe = (int)i;
			}
		}
	}
	out->evaluated = ndone;
	if (out->probe >= 0) {
		out->has_led = 1;
		return VPM_OK;
	}
	/* No LED in frame: the depth of field still matters to the crew. */
	{
		vpm_setup_t s = *base;
		vpm_result_t r;
		s.wall_m = isfinite(s.focus_m) ? fmax(1000.0, 10.0 * s.focus_m) : 1e6;
		if ((rc = vpm_predict(&s, ws, &r)) != VPM_OK)
			return rc;
		memset(&out->result, 0, sizeof out->result);
		out->result.coc_mm = r.coc_mm;
		out->result.dof_near_m = r.dof_near_m;
		out->result.dof_far_m = r.dof_far_m;
		out->result.hyperfocal_m = r.hyperfocal_m;
		out->result.nyquist_cy_mm = r.nyquist_cy_mm;
		out->result.moire_channel = VPM_CHANNEL_NONE;
		out->result.grid_channel = VPM_CHANNEL_NONE;
		out->result.risk = VPM_RISK_SAFE;
		out->setup = s;
		out->has_led = 0;
	}
	return VPM_OK;
}

/* ------------------------------------------------------------ the subject */

#define SEAT_M 0.45
#define HIP_FRAC 0.52 /* hip joint height / standing height */

vpm_vec3_t vpm_figure_eyes(const vpm_figure_t *fig)
{
	double y = fig->pose == VPM_POSE_SEATED ? SEAT_M + 0.02 + (0.936 - HIP_FRAC) * fig->height_m
						: 0.936 * fig->height_m;
	return v3(fig->x_m, y, fig->z_m);
}

double vpm_figure_top_m(const vpm_figure_t *fig)
{
	return fig->pose == VPM_POSE_SEATED ? SEAT_M + 0.02 + (1.0 - HIP_FRAC) * fig->height_m
					    : fig->height_m;
}

/* Right half of a standing person seen from the front, from the neck down
 * to the crotch, in units of the standing height (x across, y up); the
 * head is an ellipse above it.  Shoulder width 0.26 H, hips 0.19 H, head
 * 0.095 H wide and 0.13 H high: adult proportions after Drillis & Contini's
 * segment lengths. */
static const double standing_half[][2] = {
	{ 0.026, 0.866 }, { 0.030, 0.852 }, { 0.062, 0.840 }, { 0.108, 0.828 }, { 0.126, 0.812 },
	{ 0.134, 0.790 }, { 0.136, 0.720 }, { 0.140, 0.620 }, { 0.134, 0.530 }, { 0.126, 0.465 },
	{ 0.118, 0.440 }, { 0.106, 0.436 }, { 0.100, 0.470 }, { 0.104, 0.540 }, { 0.100, 0.600 },
	{ 0.094, 0.560 }, { 0.095, 0.520 }, { 0.088, 0.420 }, { 0.078, 0.290 }, { 0.070, 0.120 },
	{ 0.066, 0.040 }, { 0.082, 0.012 }, { 0.080, 0.000 }, { 0.026, 0.000 }, { 0.030, 0.040 },
	{ 0.032, 0.120 }, { 0.034, 0.290 }, { 0.018, 0.440 }, { 0.000, 0.470 },
};
#define N_STANDING (sizeof standing_half / sizeof standing_half[0])
#define HEAD_STEPS 10 /* points on the right half of the head */
#define HEAD_CY 0.935
#define HEAD_RX 0.048
#define HEAD_RY 0.065

/* Seated, facing the camera: the upper body from the standing outline down
 * to the lap (points 0..8 above), then knees and shins in metres: x in
 * units of H, y in metres. */
#define N_SEATED_UPPER 9
static const double seated_legs_half[][2] = {
	{ 0.130, 0.56 }, { 0.125, 0.52 }, { 0.100, 0.47 }, { 0.085, 0.40 },
	{ 0.075, 0.08 }, { 0.090, 0.02 }, { 0.088, 0.00 }, { 0.030, 0.00 },
	{ 0.032, 0.06 }, { 0.030, 0.40 }, { 0.000, 0.44 },
};
#define N_SEATED_LEGS (sizeof seated_legs_half / sizeof seated_legs_half[0])

/* Outline of the figure in its own plane: across (m, +right) and height
 * (m).  Returns the number of points (at most max). */
static size_t figure_outline(const vpm_figure_t *fig, double *a, double *h, size_t max)
{
	double H = fig->height_m;
	double half_a[64], half_h[64];
	double base = fig->pose == VPM_POSE_SEATED ? SEAT_M + 0.02 - HIP_FRAC * H : 0.0;
	size_t n = 0, i;
	int k;

	/* the head: from the crown down the right side to the jaw */
	for (k = 0; k <= HEAD_STEPS; k++) {
		double t = 0.5 * PI - (0.5 * PI + 1.15) * k / HEAD_STEPS;
		half_a[n] = HEAD_RX * cos(t) * H;
		half_h[n++] = base + (HEAD_CY + HEAD_RY * sin(t)) * H;
	}
	if (fig->pose == VPM_POSE_SEATED) {
		for (i = 0; i < N_SEATED_UPPER; i++) {
			half_a[n] = standing_half[i][0] * H;
			half_h[n++] = base + standing_half[i][1] * H;
		}
		for (i = 0; i < N_SEATED_LEGS; i++) {
			half_a[n] = seated_legs_half[i][0] * H;
			half_h[n++] = seated_legs_half[i][1];
		}
	} else {
		for (i = 0; i < N_STANDING; i++) {
			half_a[n] = standing_half[i][0] * H;
			half_h[n++] = standing_half[i][1] * H;
		}
	}
	if (2 * n > max)
		return 0;
	/* right half top to bottom, then the left half back up */
	for (i = 0; i < n; i++) {
		a[i] = half_a[i];
		h[i] = half_h[i];
	}
	for (i = 0; i < n; i++) {
		a[n + i] = -half_a[n - 1 - i];
		h[n + i] = half_h[n - 1 - i];
	}
	return 2 * n;
}

/* Side profile of a standing person facing +d: (forward, height) in units
 * of the standing height. */
static const double standing_side[][2] = {
	{ 0.000, 1.000 },  { 0.040, 0.985 },  { 0.056, 0.950 },	 { 0.062, 0.925 },
	{ 0.050, 0.895 },  { 0.045, 0.878 },  { 0.030, 0.860 },	 { 0.072, 0.790 },
	{ 0.078, 0.740 },  { 0.060, 0.620 },  { 0.062, 0.520 },	 { 0.048, 0.400 },
	{ 0.042, 0.285 },  { 0.035, 0.120 },  { 0.040, 0.040 },	 { 0.095, 0.012 },
	{ 0.095, 0.000 },  { -0.035, 0.000 }, { -0.040, 0.050 }, { -0.050, 0.200 },
	{ -0.032, 0.285 }, { -0.050, 0.400 }, { -0.072, 0.500 }, { -0.058, 0.620 },
	{ -0.062, 0.740 }, { -0.055, 0.820 }, { -0.028, 0.862 }, { -0.050, 0.900 },
	{ -0.058, 0.945 }, { -0.040, 0.985 },
};
#define N_STANDING_SIDE (sizeof standing_side / sizeof standing_side[0])

/* Outline of the figure's profile in the section: forward offset (m,
 * towards the camera) and height (m).  Returns the number of points. */
static size_t figure_profile(const vpm_figure_t *fig, double *f, double *h, size_t max)
{
	double H = fig->height_m;
	size_t n = 0, i;

	if (fig->pose != VPM_POSE_SEATED) {
		for (i = 0; i < N_STANDING_SIDE && n < max; i++, n++) {
			f[n] = standing_side[i][0] * H;
			h[n] = standing_side[i][1] * H;
		}
		return n;
	}
	{
		/* the upper body as standing, lowered onto the seat; then the lap,
		 * knees and shins in front (metres) */
		double base = SEAT_M + 0.02 - HIP_FRAC * H, seat = SEAT_M;
		static const double legs[][2] = {
			{ 0.28, 0.07 },	 { 0.50, 0.07 },  { 0.53, 0.02 },  { 0.50, -0.06 },
			{ 0.47, -0.40 }, { 0.56, -0.43 }, { 0.56, -0.45 }, { 0.42, -0.45 },
			{ 0.42, -0.38 }, { 0.44, -0.06 }, { 0.05, -0.02 },
		};
		for (i = 0; i < 10 && n < max; i++, n++) { /* head to chest, front */
			f[n] = standing_side[i][0] * H;
			h[n] = base + standing_side[i][1] * H;
		}
		for (i = 0; i < sizeof legs / sizeof legs[0] && n < max; i++, n++) {
			f[n] = legs[i][0];
			h[n] = seat + legs[i][1];
		}
		for (i = 22; i < N_STANDING_SIDE && n < max; i++, n++) { /* back, up to the head */
			f[n] = standing_side[i][0] * H;
			h[n] = base + standing_side[i][1] * H;
		}
		return n;
	}
}

/* Horizontal unit vector across the figure as the camera sees it. */
static vpm_vec3_t figure_across(const vpm_figure_t *fig, const vpm_view_t *view)
{
	double cx = view->position_m.x - fig->x_m, cz = view->position_m.z - fig->z_m;
	double l = hypot(cx, cz);

	if (l < 1e-9)
		return v3(1.0, 0.0, 0.0);
	/* facing the camera: its right is the camera's left */
	return v3(cz / l, 0.0, -cx / l);
}

/* ------------------------------------------------------------ paths */

void vpm_paths_init(vpm_paths_t *ps)
{
	ps->n = ps->cap = 0;
	ps->path = NULL;
}

void vpm_paths_release(vpm_paths_t *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++) {
		free(ps->path[i].x);
		free(ps->path[i].y);
	}
	free(ps->path);
	vpm_paths_init(ps);
}

static vpm_status_t add_path(vpm_paths_t *ps, vpm_path_kind_t kind, int surface, int closed,
			     const double *x, const double *y, size_t n)
{
	vpm_path_t *p;

	if (n < 2)
		return VPM_OK;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 32;
		vpm_path_t *np = realloc(ps->path, cap * sizeof *np);
		if (np == NULL)
			return vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
		ps->path = np;
		ps->cap = cap;
	}
	p = &ps->path[ps->n];
	p->kind = kind;
	p->surface = surface;
	p->closed = closed;
	p->n = n;
	p->x = malloc(n * sizeof *p->x);
	p->y = malloc(n * sizeof *p->y);
	if (p->x == NULL || p->y == NULL) {
		free(p->x);
		free(p->y);
		return vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
	}
	memcpy(p->x, x, n * sizeof *x);
	memcpy(p->y, y, n * sizeof *y);
	ps->n++;
	return VPM_OK;
}

/* A growable list of 3D points. */
typedef struct {
	size_t n, cap;
	vpm_vec3_t *p;
} pts_t;

static int pts_push(pts_t *l, vpm_vec3_t p)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		vpm_vec3_t *np = realloc(l->p, cap * sizeof *np);
		if (np == NULL)
			return -1;
		l->p = np;
		l->cap = cap;
	}
	l->p[l->n++] = p;
	return 0;
}

static double depth_of(const vpm_view_t *view, const vpm_view_basis_t *b, vpm_vec3_t p)
{
	return vdot(vsub(p, view->position_m), b->forward);
}

/* Project a 3D outline, clipped to depth >= NEAR_M, and add it: a closed
 * polygon is clipped as a polygon (Sutherland-Hodgman on one plane); an
 * open polyline is split where it leaves the visible half-space. */
static vpm_status_t add_projected(vpm_paths_t *ps, const vpm_view_t *view, vpm_path_kind_t kind,
				  int surface, int closed, const vpm_vec3_t *in, size_t n)
{
	vpm_view_basis_t b;
	pts_t out = { 0, 0, NULL };
	double *u = NULL, *v = NULL;
	vpm_status_t rc = VPM_OK;
	size_t i, k;

	vpm_view_basis(view, &b);
	for (i = 0; i < n; i++) {
		size_t j = (i + 1) % n;
		vpm_vec3_t a = in[i], c = in[j];
		double da = depth_of(view, &b, a), dc = depth_of(view, &b, c);
		int last = !closed && i + 1 == n;
		if (da >= NEAR_M && pts_push(&out, a))
			goto nomem;
		if (last)
			break;
		if ((da >= NEAR_M) != (dc >= NEAR_M)) {
			double t = (NEAR_M - da) / (dc - da);
			if (pts_push(&out, vadd(a, vscale(vsub(c, a), t))))
				goto nomem;
			/* an open polyline that leaves the half-space ends a piece */
			if (!closed && da >= NEAR_M) {
				if (pts_push(&out, v3(NAN, NAN, NAN)))
					goto nomem;
			}
		}
	}
	u = malloc((out.n + 1) * sizeof *u);
	v = malloc((out.n + 1) * sizeof *v);
	if (u == NULL || v == NULL)
		goto nomem;
	k = 0;
	for (i = 0; i <= out.n; i++) {
		double uu, vv;
		if (i == out.n || isnan(out.p[i].x)) {
			if ((rc = add_path(ps, kind, surface, closed, u, v, k)) != VPM_OK)
				break;
			k = 0;
			continue;
		}
		if (vpm_view_project(view, out.p[i], &uu, &vv, NULL)) {
			u[k] = uu;
			v[k] = vv;
			k++;
		}
	}
	free(u);
	free(v);
	free(out.p);
	return rc;
nomem:
	free(u);
	free(v);
	free(out.p);
	return vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
}

#define EDGE_STEPS 48

/* z of the floor's back edge at x: the curved wall's foot where it has one. */
static double floor_back_z(const vpm_stage_t *st, double x)
{
	const vpm_surface_t *m = &st->surface[0];

	if (m->kind == VPM_SURFACE_ARC) {
		double dx = x - m->cx_m, half = 0.5 * m->width_m / m->radius_m;
		if (fabs(dx) <= m->radius_m * sin(half))
			return m->cz_m - sqrt(m->radius_m * m->radius_m - dx * dx);
	}
	return 0.0;
}

static vpm_status_t led_outline_3d(const vpm_surface_t *sf, pts_t *l)
{
	int k;
	double top = sf->bottom_m + sf->height_m;

	l->n = 0;
	for (k = 0; k <= EDGE_STEPS; k++)
		if (pts_push(l, vpm_surface_point(sf, sf->width_m * k / EDGE_STEPS, sf->bottom_m)))
			return vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
	for (k = EDGE_STEPS; k >= 0; k--)
		if (pts_push(l, vpm_surface_point(sf, sf->width_m * k / EDGE_STEPS, top)))
			return vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
	return VPM_OK;
}

VPM_STATUS_FN(vpm_frame_paths,
	      (const vpm_stage_t *st, const vpm_view_t *view, const vpm_figure_t *fig,
	       vpm_paths_t *out),
	      (st, view, fig, out))
{
	pts_t l = { 0, 0, NULL };
	vpm_status_t rc;
	size_t i;
	long k;
	int j;

	if (st == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "frame outlines: NULL argument");
	if ((rc = vpm_view_validate(view)) != VPM_OK)
		return rc;

	/* floor: front edge right to left, then the back edge left to right */
	if (pts_push(&l, v3(st->floor_x1_m, 0.0, st->floor_depth_m)) ||
	    pts_push(&l, v3(st->floor_x0_m, 0.0, st->floor_depth_m)))
		goto nomem;
	for (j = 0; j <= 4 * EDGE_STEPS; j++) {
		double x = st->floor_x0_m +
			   (st->floor_x1_m - st->floor_x0_m) * j / (4.0 * EDGE_STEPS);
		if (pts_push(&l, v3(x, 0.0, floor_back_z(st, x))))
			goto nomem;
	}
	if ((rc = add_projected(out, view, VPM_PATH_FLOOR, -1, 1, l.p, l.n)) != VPM_OK)
		goto fail;

	for (i = 0; i < st->n_surfaces; i++) {
		const vpm_surface_t *sf = &st->surface[i];
		if ((rc = led_outline_3d(sf, &l)) != VPM_OK)
			goto fail;
		if ((rc = add_projected(out, view, VPM_PATH_LED, (int)i, 1, l.p, l.n)) != VPM_OK)
			goto fail;
		for (k = 1; k < sf->cabinets_across; k++) {
			vpm_vec3_t seg[2];
			double s = sf->cabinet_w_m * k;
			seg[0] = vpm_surface_point(sf, s, sf->bottom_m);
			seg[1] = vpm_surface_point(sf, s, sf->bottom_m + sf->height_m);
			if ((rc = add_projected(out, view, VPM_PATH_SEAM, (int)i, 0, seg, 2)) !=
			    VPM_OK)
				goto fail;
		}
		for (k = 1; k < sf->cabinets_down; k++) {
			double y = sf->bottom_m + sf->cabinet_h_m * k;
			l.n = 0;
			for (j = 0; j <= EDGE_STEPS; j++)
				if (pts_push(&l, vpm_surface_point(sf, sf->width_m * j / EDGE_STEPS,
								   y)))
					goto nomem;
			if ((rc = add_projected(out, view, VPM_PATH_SEAM, (int)i, 0, l.p, l.n)) !=
			    VPM_OK)
				goto fail;
		}
	}

	if (fig != NULL && fig->present) {
		double a[128], h[128];
		size_t n = figure_outline(fig, a, h, 128);
		vpm_vec3_t across = figure_across(fig, view);
		l.n = 0;
		for (i = 0; i < n; i++)
			if (pts_push(&l, v3(fig->x_m + a[i] * across.x, h[i],
					    fig->z_m + a[i] * across.z)))
				goto nomem;
		if ((rc = add_projected(out, view, VPM_PATH_FIGURE, -1, 1, l.p, l.n)) != VPM_OK)
			goto fail;
	}

	/* horizon: image points whose ray is level, ray·ŷ = 0 */
	{
		vpm_view_basis_t b;
		double f = view->focal_mm, W = view->sensor_w_mm, H = view->sensor_h_mm;
		double hx[2], hy[2];
		vpm_view_basis(view, &b);
		if (fabs(b.up.y) >= fabs(b.right.y) && fabs(b.up.y) > 1e-9) {
			for (j = 0; j < 2; j++) {
				hx[j] = (j ? 3.0 : -3.0) * W;
				hy[j] = -(f * b.forward.y + hx[j] * b.right.y) / b.up.y;
			}
			if ((rc = add_path(out, VPM_PATH_HORIZON, -1, 0, hx, hy, 2)) != VPM_OK)
				goto fail;
		} else if (fabs(b.right.y) > 1e-9) {
			for (j = 0; j < 2; j++) {
				hy[j] = (j ? 3.0 : -3.0) * H;
				hx[j] = -(f * b.forward.y + hy[j] * b.up.y) / b.right.y;
			}
			if ((rc = add_path(out, VPM_PATH_HORIZON, -1, 0, hx, hy, 2)) != VPM_OK)
				goto fail;
		}
	}
	free(l.p);
	return VPM_OK;
nomem:
	rc = vpm_error(VPM_ENOMEM, "previs outlines: out of memory");
fail:
	free(l.p);
	return rc;
}

/* ------------------------------------------------------------ plan */

/* Nearest LED surface hit by a level ray in plan (x, z), ignoring heights. */
static int plan_hit(const vpm_stage_t *st, double x, double z, double dx, double dz, double *t_out)
{
	size_t i;
	int best = -1;
	double bt = INFINITY, t, s, y;

	for (i = 0; i < st->n_surfaces; i++) {
		const vpm_surface_t *sf = &st->surface[i];
		vpm_vec3_t o = v3(x, sf->bottom_m + 0.5 * sf->height_m, z);
		if (vpm_surface_intersect(sf, o, v3(dx, 0.0, dz), 1, &t, &s, &y) && t < bt) {
			bt = t;
			best = (int)i;
		}
	}
	*t_out = bt;
	return best;
}

/* How far a ray that misses the walls is drawn: past the main wall's
 * extension by `beyond`, at most max_ray. */
static double miss_length(const vpm_stage_t *st, const vpm_plan_marks_t *mk, double x, double z,
			  double dx, double dz)
{
	const vpm_surface_t *m = &st->surface[0];
	vpm_vec3_t o = v3(x, m->bottom_m + 0.5 * m->height_m, z);
	double t, s, y;

	if (vpm_surface_intersect(m, o, v3(dx, 0.0, dz), 0, &t, &s, &y))
		return fmin(mk->max_ray_m, t + mk->beyond_m);
	return mk->max_ray_m;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define FAN_STEPS 160
#define FAN_MAX (FAN_STEPS + 2 + 4 * VPM_STAGE_MAX_SURFACES)

VPM_STATUS_FN(vpm_frame_plan_paths,
	      (const vpm_stage_t *st, const vpm_view_t *view, const vpm_figure_t *fig,
	       const vpm_plan_marks_t *mk, vpm_paths_t *out),
	      (st, view, fig, mk, out))
{
	vpm_view_basis_t b;
	double cx = view->position_m.x, cz = view->position_m.z;
	double pan = view->pan_deg * DEG;
	double dmin = INFINITY, dmax = -INFINITY, ang[FAN_MAX];
	double px[FAN_MAX + 2], pz[FAN_MAX + 2];
	double fx, fz, fl, ct;
	int nang = 0, i, k;
	size_t s;
	vpm_status_t rc;

	if (st == NULL || mk == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "plan outlines: NULL argument");
	if ((rc = vpm_view_validate(view)) != VPM_OK)
		return rc;
	vpm_view_basis(view, &b);

	/* floor */
	{
		double x[4] = { st->floor_x0_m, st->floor_x1_m, st->floor_x1_m, st->floor_x0_m };
		double z[4] = { 0.0, 0.0, st->floor_depth_m, st->floor_depth_m };
		if ((rc = add_path(out, VPM_PATH_FLOOR, -1, 1, x, z, 4)) != VPM_OK)
			return rc;
	}
	/* LED bands and seam ticks */
	for (s = 0; s < st->n_surfaces; s++) {
		const vpm_surface_t *sf = &st->surface[s];
		double x[2 * (EDGE_STEPS + 1)], z[2 * (EDGE_STEPS + 1)], d = mk->cabinet_depth_m;
		for (k = 0; k <= EDGE_STEPS; k++) {
			double ss = sf->width_m * k / EDGE_STEPS;
			vpm_vec3_t p = vpm_surface_point(sf, ss, 0.0),
				   n = vpm_surface_normal(sf, ss);
			x[k] = p.x;
			z[k] = p.z;
			x[2 * EDGE_STEPS + 1 - k] = p.x - d * n.x;
			z[2 * EDGE_STEPS + 1 - k] = p.z - d * n.z;
		}
		if ((rc = add_path(out, VPM_PATH_LED, (int)s, 1, x, z, 2 * (EDGE_STEPS + 1))) !=
		    VPM_OK)
			return rc;
		for (k = 0; k <= sf->cabinets_across; k++) {
			double ss = fmin(sf->width_m, sf->cabinet_w_m * k);
			vpm_vec3_t p = vpm_surface_point(sf, ss, 0.0),
				   n = vpm_surface_normal(sf, ss);
			double tx[2] = { p.x, p.x - d * n.x }, tz[2] = { p.z, p.z - d * n.z };
			if ((rc = add_path(out, VPM_PATH_SEAM, (int)s, 0, tx, tz, 2)) != VPM_OK)
				return rc;
		}
	}

	/* the horizontal extent of the view: angles (from the pan direction)
	 * of rays around the frame's border, seen from above */
	for (k = 0; k < 4 * 32; k++) {
		double t = (k % 32) / 32.0, u, v, a;
		vpm_vec3_t d;
		switch (k / 32) {
		case 0:
			u = -0.5 + t;
			v = 0.5;
			break;
		case 1:
			u = 0.5;
			v = 0.5 - t;
			break;
		case 2:
			u = 0.5 - t;
			v = -0.5;
			break;
		default:
			u = -0.5;
			v = -0.5 + t;
			break;
		}
		d = vpm_view_ray(view, u * view->sensor_w_mm, v * view->sensor_h_mm);
		if (hypot(d.x, d.z) < 1e-9 * vlen(d))
			continue;
		a = remainder(atan2(d.x, -d.z) - pan, 2.0 * PI);
		dmin = fmin(dmin, a);
		dmax = fmax(dmax, a);
	}
	if (!(dmin < dmax) || dmax - dmin > 0.97 * PI)
		return VPM_OK; /* looking (nearly) straight up or down: no wedge */
	for (k = 0; k <= FAN_STEPS; k++)
		ang[nang++] = dmin + (dmax - dmin) * k / FAN_STEPS;
	/* exact wall ends inside the view */
	for (s = 0; s < st->n_surfaces; s++)
		for (k = 0; k < 2; k++) {
			vpm_vec3_t p = vpm_surface_point(&st->surface[s],
							 k ? st->surface[s].width_m : 0.0, 0.0);
			double a = remainder(atan2(p.x - cx, -(p.z - cz)) - pan, 2.0 * PI);
			if (a > dmin && a < dmax && nang < FAN_MAX)
				ang[nang++] = a;
		}
	qsort(ang, (size_t)nang, sizeof ang[0], cmp_double);

	/* group the intervals between consecutive angles by what their middle
	 * ray meets; each group becomes one wedge from the camera */
	{
		int start = 0;
		while (start < nang - 1) {
			double am = 0.5 * (ang[start] + ang[start + 1]), t;
			int cls = plan_hit(st, cx, cz, sin(pan + am), -cos(pan + am), &t);
			int end = start + 1, n = 0;
			while (end < nang - 1) {
				double a2 = 0.5 * (ang[end] + ang[end + 1]), t2;
				if (plan_hit(st, cx, cz, sin(pan + a2), -cos(pan + a2), &t2) != cls)
					break;
				end++;
			}
			px[n] = cx;
			pz[n++] = cz;
			for (k = start; k <= end; k++) {
				double dx = sin(pan + ang[k]), dz = -cos(pan + ang[k]), len, yy, ss;
				if (cls >= 0) {
					const vpm_surface_t *sf = &st->surface[cls];
					vpm_vec3_t o = v3(cx, sf->bottom_m + 0.5 * sf->height_m,
							  cz);
					if (!vpm_surface_intersect(sf, o, v3(dx, 0.0, dz), 0, &len,
								   &ss, &yy))
						len = miss_length(st, mk, cx, cz, dx, dz);
				} else {
					len = miss_length(st, mk, cx, cz, dx, dz);
				}
				px[n] = cx + len * dx;
				pz[n++] = cz + len * dz;
			}
			if ((rc = add_path(out,
					   cls >= 0 ? VPM_PATH_FRUSTUM_LED : VPM_PATH_FRUSTUM_EXT,
					   cls, 1, px, pz, (size_t)n)) != VPM_OK)
				return rc;
			start = end;
		}
	}

	/* DOF band and focus line at the lens height: a point h ahead (level)
	 * lies at depth h·cos(tilt) on the optical axis */
	fx = b.forward.x;
	fz = b.forward.z;
	fl = hypot(fx, fz);
	ct = fl;
	if (fl > 1e-6) {
		double hmax = mk->max_ray_m * cos(fmax(fabs(dmin), fabs(dmax)));
		fx /= fl;
		fz /= fl;
		if (mk->dof_near_m > 0.0) {
			double hn = fmin(mk->dof_near_m / ct, hmax);
			double hf = isfinite(mk->dof_far_m) ? fmin(mk->dof_far_m / ct, hmax) : hmax;
			double x[4], z[4];
			double as[4] = { dmin, dmax, dmax, dmin }, hs[4] = { hn, hn, hf, hf };
			for (k = 0; k < 4; k++) {
				double r = hs[k] / cos(as[k]);
				x[k] = cx + r * sin(pan + as[k]);
				z[k] = cz - r * cos(pan + as[k]);
			}
			if (hf > hn && (rc = add_path(out, VPM_PATH_DOF, -1, 1, x, z, 4)) != VPM_OK)
				return rc;
		}
		if (mk->focus_m > 0.0 && isfinite(mk->focus_m) && mk->focus_m / ct < hmax) {
			double h = mk->focus_m / ct, x[2], z[2];
			for (k = 0; k < 2; k++) {
				double a = k ? dmax : dmin, r = h / cos(a);
				x[k] = cx + r * sin(pan + a);
				z[k] = cz - r * cos(pan + a);
			}
			if ((rc = add_path(out, VPM_PATH_FOCUS, -1, 0, x, z, 2)) != VPM_OK)
				return rc;
		}
		/* optical axis, level, to the wall or past its edge */
		{
			double t, x[2], z[2];
			double dx = sin(pan), dz = -cos(pan);
			if (plan_hit(st, cx, cz, dx, dz, &t) < 0)
				t = miss_length(st, mk, cx, cz, dx, dz);
			x[0] = cx;
			z[0] = cz;
			x[1] = cx + t * dx;
			z[1] = cz + t * dz;
			if ((rc = add_path(out, VPM_PATH_AXIS, -1, 0, x, z, 2)) != VPM_OK)
				return rc;
		}
	}

	/* the subject's footprint: shoulders across, chest deep */
	if (fig != NULL && fig->present) {
		vpm_vec3_t across = figure_across(fig, view);
		double x[36], z[36], w = 0.13 * fig->height_m, dpt = 0.075 * fig->height_m;
		for (i = 0; i < 36; i++) {
			double a = 2.0 * PI * i / 36.0;
			x[i] = fig->x_m + w * cos(a) * across.x - dpt * sin(a) * across.z;
			z[i] = fig->z_m + w * cos(a) * across.z + dpt * sin(a) * across.x;
		}
		if ((rc = add_path(out, VPM_PATH_FIGURE, -1, 1, x, z, 36)) != VPM_OK)
			return rc;
	}
	return VPM_OK;
}

/* ------------------------------------------------------------ section */

VPM_STATUS_FN(vpm_frame_section_paths,
	      (const vpm_stage_t *st, const vpm_view_t *view, const vpm_figure_t *fig,
	       const vpm_plan_marks_t *mk, vpm_paths_t *out, double *camera_d_m, int *wall_hit),
	      (st, view, fig, mk, out, camera_d_m, wall_hit))
{
	vpm_view_basis_t b;
	vpm_vec3_t c, hd, up = v3(0.0, 1.0, 0.0);
	double pan = view->pan_deg * DEG, tilt, tw, emin = INFINITY, emax = -INFINITY;
	double px[FAN_MAX + 2], py[FAN_MAX + 2], ang[FAN_STEPS + 1];
	int hit, k, nang = 0;
	vpm_status_t rc;

	if (st == NULL || mk == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "section outlines: NULL argument");
	if ((rc = vpm_view_validate(view)) != VPM_OK)
		return rc;
	vpm_view_basis(view, &b);
	c = view->position_m;
	hd = v3(sin(pan), 0.0, -cos(pan));
	tilt = atan2(b.forward.y, hypot(b.forward.x, b.forward.z));

	/* the wall the heading meets; else the main wall's extension */
	hit = plan_hit(st, c.x, c.z, hd.x, hd.z, &tw);
	if (hit < 0) {
		const vpm_surface_t *m = &st->surface[0];
		double s, y;
		vpm_vec3_t o = v3(c.x, m->bottom_m + 0.5 * m->height_m, c.z);
		if (!vpm_surface_intersect(m, o, hd, 0, &tw, &s, &y))
			tw = hypot(st->room_x1_m - st->room_x0_m, st->room_z1_m - st->room_z0_m);
	}
	if (camera_d_m)
		*camera_d_m = tw;
	if (wall_hit)
		*wall_hit = hit >= 0;

	/* floor strip, from the wall to where the floor ends behind the camera */
	{
		double s = 0.0, x[4], y[4];
		while (s < 5.0) {
			double fx = c.x - (s + 0.01) * hd.x, fz = c.z - (s + 0.01) * hd.z;
			if (fx < st->floor_x0_m || fx > st->floor_x1_m || fz < 0.0 ||
			    fz > st->floor_depth_m)
				break;
			s += 0.01;
		}
		x[0] = x[3] = -mk->beyond_m;
		x[1] = x[2] = tw + s;
		y[0] = y[1] = 0.0;
		y[2] = y[3] = -0.12;
		if ((rc = add_path(out, VPM_PATH_FLOOR, -1, 1, x, y, 4)) != VPM_OK)
			return rc;
	}
	/* the LED surface met, and its cabinet rows */
	if (hit >= 0) {
		const vpm_surface_t *sf = &st->surface[hit];
		double d = mk->cabinet_depth_m, top = sf->bottom_m + sf->height_m;
		double x[4] = { -d, 0.0, 0.0, -d }, y[4] = { sf->bottom_m, sf->bottom_m, top, top };
		long r;
		if ((rc = add_path(out, VPM_PATH_LED, hit, 1, x, y, 4)) != VPM_OK)
			return rc;
		for (r = 1; r < sf->cabinets_down; r++) {
			double sx[2] = { -d, 0.0 }, sy[2];
			sy[0] = sy[1] = sf->bottom_m + r * sf->cabinet_h_m;
			if ((rc = add_path(out, VPM_PATH_SEAM, hit, 0, sx, sy, 2)) != VPM_OK)
				return rc;
		}
	}
	if (st->ceiling_m > 0.0) {
		double x[2] = { -mk->beyond_m, tw + 1.0 }, y[2] = { st->ceiling_m, st->ceiling_m };
		if ((rc = add_path(out, VPM_PATH_CEILING, -1, 0, x, y, 2)) != VPM_OK)
			return rc;
	}

	/* the vertical extent of the view along the frame's centre column */
	for (k = 0; k <= 32; k++) {
		vpm_vec3_t d = vpm_view_ray(view, 0.0, (k / 32.0 - 0.5) * view->sensor_h_mm);
		double e = atan2(d.y, d.x * hd.x + d.z * hd.z);
		emin = fmin(emin, e);
		emax = fmax(emax, e);
	}
	if (!(emin < emax) || emax > 0.49 * PI || emin < -0.49 * PI)
		return VPM_OK;
	for (k = 0; k <= FAN_STEPS; k++)
		ang[nang++] = emin + (emax - emin) * k / FAN_STEPS;
	{
		int start = 0;
		while (start < nang - 1) {
			int end, n = 0, cls;
			vpm_hit_t h;
			double em = 0.5 * (ang[start] + ang[start + 1]);
			vpm_stage_trace(st, c, vadd(vscale(hd, cos(em)), vscale(up, sin(em))), &h);
			cls = h.kind == VPM_HIT_LED ? h.surface : h.kind == VPM_HIT_FLOOR ? -2 : -1;
			for (end = start + 1; end < nang - 1; end++) {
				vpm_hit_t h2;
				double e2 = 0.5 * (ang[end] + ang[end + 1]);
				int c2;
				vpm_stage_trace(st, c,
						vadd(vscale(hd, cos(e2)), vscale(up, sin(e2))),
						&h2);
				c2 = h2.kind == VPM_HIT_LED	? h2.surface
				     : h2.kind == VPM_HIT_FLOOR ? -2
								: -1;
				if (c2 != cls)
					break;
			}
			px[n] = tw;
			py[n++] = c.y;
			for (k = start; k <= end; k++) {
				double e = ang[k], len;
				vpm_vec3_t d = vadd(vscale(hd, cos(e)), vscale(up, sin(e)));
				vpm_hit_t h3;
				vpm_stage_trace(st, c, d, &h3);
				if (cls == -2 && e < 0.0)
					len = c.y / -sin(e); /* to the floor plane */
				else if (cls >= 0 && h3.kind == VPM_HIT_LED)
					len = h3.t;
				else if (cls >= 0)
					len = tw / fmax(cos(e), 1e-6);
				else
					len = fmin(mk->max_ray_m,
						   (tw + mk->beyond_m) / fmax(cos(e), 1e-6));
				px[n] = tw - len * cos(e);
				py[n++] = c.y + len * sin(e);
			}
			if ((rc = add_path(out,
					   cls >= 0    ? VPM_PATH_FRUSTUM_LED
					   : cls == -2 ? VPM_PATH_FRUSTUM_FLOOR
						       : VPM_PATH_FRUSTUM_EXT,
					   cls >= 0 ? cls : -1, 1, px, py, (size_t)n)) != VPM_OK)
				return rc;
			start = end;
		}
	}

	/* DOF band, focus and axis: depth D along a ray of elevation e lies
	 * D / cos(e − tilt) from the camera */
	if (mk->dof_near_m > 0.0) {
		double dn = mk->dof_near_m;
		double df = isfinite(mk->dof_far_m) ? mk->dof_far_m : mk->max_ray_m;
		double es[4] = { emin, emax, emax, emin }, ds[4] = { dn, dn, df, df }, x[4], y[4];
		for (k = 0; k < 4; k++) {
			double len = fmin(ds[k] / cos(es[k] - tilt), mk->max_ray_m);
			x[k] = tw - len * cos(es[k]);
			y[k] = c.y + len * sin(es[k]);
		}
		if (df > dn && (rc = add_path(out, VPM_PATH_DOF, -1, 1, x, y, 4)) != VPM_OK)
			return rc;
	}
	if (mk->focus_m > 0.0 && isfinite(mk->focus_m)) {
		double x[2], y[2];
		for (k = 0; k < 2; k++) {
			double e = k ? emax : emin, len = mk->focus_m / cos(e - tilt);
			x[k] = tw - len * cos(e);
			y[k] = c.y + len * sin(e);
		}
		if ((rc = add_path(out, VPM_PATH_FOCUS, -1, 0, x, y, 2)) != VPM_OK)
			return rc;
	}
	{
		vpm_hit_t h;
		double x[2], y[2], len;
		vpm_vec3_t d = vadd(vscale(hd, cos(tilt)), vscale(up, sin(tilt)));
		vpm_stage_trace(st, c, d, &h);
		len = h.kind != VPM_HIT_NOTHING
			      ? h.t
			      : fmin(mk->max_ray_m, (tw + mk->beyond_m) / fmax(cos(tilt), 1e-6));
		x[0] = tw;
		y[0] = c.y;
		x[1] = tw - len * cos(tilt);
		y[1] = c.y + len * sin(tilt);
		if ((rc = add_path(out, VPM_PATH_AXIS, -1, 0, x, y, 2)) != VPM_OK)
			return rc;
	}
	if (fig != NULL && fig->present) {
		double f[64], h[64], x[64], y[64];
		double sd = tw - ((fig->x_m - c.x) * hd.x + (fig->z_m - c.z) * hd.z);
		size_t n = figure_profile(fig, f, h, 64), i;
		for (i = 0; i < n; i++) {
			x[i] = sd + f[i];
			y[i] = h[i];
		}
		if ((rc = add_path(out, VPM_PATH_FIGURE, -1, 1, x, y, n)) != VPM_OK)
			return rc;
	}
	return VPM_OK;
}
