/* What the camera frames: pinhole projection with pan, tilt and roll, the
 * set-extension share against a hand-computed case, the wall points behind
 * the verdict (equal to a direct vpm_predict of the same set-up), and the
 * outlines the previs pages draw. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/frame.h"
#include "vpmoire/stage.h"
#include "vpmoire/units.h"

#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

/* Blackmagic URSA Mini Pro 4.6K G2, 4.6K 16:9: 25.34 x 14.25 mm
 * (models/cameras.csv). */
#define SW 25.34
#define SH 14.25

static vpm_panel_t rm15(void)
{
	vpm_panel_t p;

	memset(&p, 0, sizeof p);
	p.name = "aoto-rm1.5";
	p.pitch_mm = 1.5625;
	p.emitter_mm = 0.17;
	p.cabinet_w_mm = 500.0;
	p.cabinet_h_mm = 500.0;
	return p;
}

static vpm_stage_t stage_from(const char *text)
{
	vpm_stage_desc_t d;
	vpm_stage_t st;
	vpm_panel_t p = rm15();

	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_parse(&d, "t", text, strlen(text)), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_stage_build(&d, &p, &st), VPM_OK, "%s", vpm_error_message());
	return st;
}

static vpm_view_t view_at(double x, double y, double z, double focal)
{
	vpm_view_t v;

	memset(&v, 0, sizeof v);
	v.position_m.x = x;
	v.position_m.y = y;
	v.position_m.z = z;
	v.focal_mm = focal;
	v.sensor_w_mm = SW;
	v.sensor_h_mm = SH;
	return v;
}

/* The reference rig from the shipped catalogs, focus 1 m, T2.8. */
static vpm_setup_t reference_setup(vpm_catalog_t **catp)
{
	char dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l;
	vpm_setup_t s = vpm_setup_default();

	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, "aoto-rm1.5", &p), VPM_OK);
	cr_assert_eq(vpm_catalog_find_camera(cat, "bmd-ursa-mini-pro-4.6k-g2", &c), VPM_OK);
	cr_assert_eq(vpm_catalog_find_lens(cat, "zeiss-cp3-28", &l), VPM_OK);
	vpm_setup_apply_panel(&s, p);
	vpm_setup_apply_camera(&s, c);
	vpm_setup_apply_lens(&s, l);
	s.stop = 2.8;
	s.focus_m = 1.0;
	*catp = cat;
	return s;
}

/* The hand-computed case of issue 6.  Convention (lib/vpmoire/frame.h): a
 * pinhole at the sensor plane with image distance f, so a wall at distance D
 * is covered over D·W/f.  A 28 mm lens on the 25.34 mm wide sensor covers
 * 3 × 25.34 / 28 = 2.715 m at 3 m: inside a 4 m wide wall, no extension.
 * At 6 m it covers 5.430 m, so 1 − 4/5.430 = 26.3 % of the frame's area
 * runs past the wall, half past each side.  The wall is 10 m high and the
 * lens 5 m up, so nothing runs past the top or bottom (the frame is
 * 3.05 m high at 6 m).  Sampling on 640 columns: within 1/640 per edge. */
Test(frame, set_extension_hand_computed)
{
	vpm_stage_t st = stage_from("panel=x\nwall_width=4m\nwall_height=10m\nfloor_depth=20m\n");
	vpm_view_t v = view_at(0.0, 5.0, 3.0, 28.0);
	vpm_coverage_t c;
	double cover6 = 6.0 * SW / 28.0, want = 1.0 - 4.0 / cover6;

	cr_assert_eq(vpm_frame_coverage(&st, &v, 640, 0, &c), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(3.0 * SW / 28.0, 2.715, 0.001);
	cr_assert_eq(c.extension_share, 0.0);
	cr_assert_eq(c.led_share, 1.0);
	cr_assert_eq(c.edges, 0u);
	cr_assert_eq(c.ny, 360); /* 640 × 14.25 / 25.34 */

	v.position_m.z = 6.0;
	cr_assert_eq(vpm_frame_coverage(&st, &v, 640, 0, &c), VPM_OK);
	cr_assert_float_eq(want, 0.2634, 0.0001);
	cr_assert_float_eq(c.extension_share, want, 2.0 / 640);
	cr_assert_float_eq(c.edge_share[0], want / 2, 1.0 / 640);
	cr_assert_float_eq(c.edge_share[1], want / 2, 1.0 / 640);
	cr_assert_eq(c.edge_share[2], 0.0);
	cr_assert_eq(c.edge_share[3], 0.0);
	cr_assert_eq(c.edges, (unsigned)(VPM_EDGE_LEFT | VPM_EDGE_RIGHT));
	cr_assert_float_eq(c.led_share + c.floor_share + c.extension_share, 1.0, 1e-12);
	/* finer sampling converges on the exact share */
	cr_assert_eq(vpm_frame_coverage(&st, &v, 2048, 0, &c), VPM_OK);
	cr_assert_float_eq(c.extension_share, want, 2.0 / 2048);
}

/* A low camera tilted down sees the floor in front of the wall; a 0.4 m
 * riser under the wall shows as extension at the bottom edge. */
Test(frame, floor_and_riser)
{
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n"
				    "wall_bottom=0.4m\nfloor_depth=3m\n");
	vpm_view_t v = view_at(0.0, 1.0, 2.5, 18.0);
	vpm_coverage_t c;

	v.tilt_deg = -10.0;
	cr_assert_eq(vpm_frame_coverage(&st, &v, 320, 0, &c), VPM_OK);
	cr_assert_gt(c.floor_share, 0.05);
	cr_assert_gt(c.edge_share[3], 0.0);
	cr_assert(c.edges & VPM_EDGE_BOTTOM);
	cr_assert_float_eq(c.led_share + c.floor_share + c.extension_share, 1.0, 1e-12);
}

/* Known points through pan, tilt and roll. */
Test(frame, projection_pan_tilt_roll)
{
	vpm_view_t v = view_at(0.0, 1.5, 3.0, 28.0);
	vpm_vec3_t wall_centre = { 0.0, 1.5, 0.0 }, right = { 1.0, 1.5, 0.0 };
	vpm_vec3_t behind = { 0.0, 1.5, 4.0 };
	double u, w, d;

	/* straight on: the point ahead is the centre, 1 m right is f/3 right */
	cr_assert(vpm_view_project(&v, wall_centre, &u, &w, &d));
	cr_assert_float_eq(u, 0.0, 1e-12);
	cr_assert_float_eq(w, 0.0, 1e-12);
	cr_assert_float_eq(d, 3.0, 1e-12);
	cr_assert(vpm_view_project(&v, right, &u, &w, &d));
	cr_assert_float_eq(u, 28.0 / 3.0, 1e-12);
	cr_assert_eq(vpm_view_project(&v, behind, &u, &w, &d), 0);
	/* pan 10° right: the point ahead moves left by f·tan 10° */
	v.pan_deg = 10.0;
	cr_assert(vpm_view_project(&v, wall_centre, &u, &w, &d));
	cr_assert_float_eq(u, -28.0 * tan(10 * DEG), 1e-12);
	cr_assert_float_eq(w, 0.0, 1e-12);
	cr_assert_float_eq(d, 3.0 * cos(10 * DEG), 1e-12);
	/* tilt 10° up: it moves down by f·tan 10° */
	v.pan_deg = 0.0;
	v.tilt_deg = 10.0;
	cr_assert(vpm_view_project(&v, wall_centre, &u, &w, &d));
	cr_assert_float_eq(u, 0.0, 1e-12);
	cr_assert_float_eq(w, -28.0 * tan(10 * DEG), 1e-12);
	/* roll 30° clockwise (seen from behind): a point to the right rises
	 * counter-clockwise in the picture */
	v.tilt_deg = 0.0;
	v.roll_deg = 30.0;
	cr_assert(vpm_view_project(&v, right, &u, &w, &d));
	cr_assert_float_eq(u, 28.0 / 3.0 * cos(30 * DEG), 1e-12);
	cr_assert_float_eq(w, 28.0 / 3.0 * sin(30 * DEG), 1e-12);
}

/* The basis stays orthonormal, and a ray through any image point projects
 * back onto it. */
Test(frame, rays_project_back)
{
	vpm_view_t v = view_at(-0.7, 1.2, 2.6, 35.0);
	vpm_view_basis_t b;
	double uv[][2] = { { 0, 0 }, { 12.1, -6.9 }, { -10.3, 4.4 }, { 3.3, 7.0 } };
	size_t i;

	v.pan_deg = 23.7;
	v.tilt_deg = -8.3;
	v.roll_deg = 4.9;
	vpm_view_basis(&v, &b);
	cr_assert_float_eq(b.right.x * b.up.x + b.right.y * b.up.y + b.right.z * b.up.z, 0, 1e-15);
	cr_assert_float_eq(b.forward.x * b.up.x + b.forward.y * b.up.y + b.forward.z * b.up.z, 0,
			   1e-15);
	cr_assert_float_eq(hypot(hypot(b.up.x, b.up.y), b.up.z), 1.0, 1e-15);
	for (i = 0; i < sizeof uv / sizeof uv[0]; i++) {
		vpm_vec3_t r = vpm_view_ray(&v, uv[i][0], uv[i][1]), p;
		double u, w, k = 2.37 / 35.0;
		p.x = v.position_m.x + k * r.x;
		p.y = v.position_m.y + k * r.y;
		p.z = v.position_m.z + k * r.z;
		cr_assert(vpm_view_project(&v, p, &u, &w, NULL));
		cr_assert_float_eq(u, uv[i][0], 1e-12);
		cr_assert_float_eq(w, uv[i][1], 1e-12);
	}
}

Test(frame, invalid_views)
{
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n");
	vpm_view_t v = view_at(0.0, 1.5, 3.0, 0.0);
	vpm_coverage_t c;

	cr_assert_eq(vpm_frame_coverage(&st, &v, 320, 0, &c), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "focal length") != NULL);
	v.focal_mm = 28.0;
	cr_assert_eq(vpm_frame_coverage(&st, &v, 8, 0, &c), VPM_EINVAL);
	v.sensor_h_mm = -1.0;
	cr_assert_eq(vpm_view_validate(&v), VPM_EINVAL);
}

/* Square to a flat wall, the verdict is the set-up of `vpmoire check --wall
 * DISTANCE`, evaluated once, with exactly its numbers. */
Test(frame, verdict_square_on_equals_check)
{
	vpm_catalog_t *cat;
	vpm_setup_t base = reference_setup(&cat), direct;
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n"
				    "wall_bottom=0.4m\n");
	/* the reference micro stage: subject 5 ft in front of the wall,
	 * camera 1 m from the subject, lens at the subject's eye height */
	vpm_view_t v = view_at(0.0, 1.64, 2.524, 28.0);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_frame_verdict_t fv;
	vpm_result_t r;
	size_t i;

	cr_assert_not_null(ws);
	cr_assert_eq(vpm_frame_verdict(&st, &v, &base, ws, &fv), VPM_OK, "%s", vpm_error_message());
	cr_assert(fv.has_led);
	cr_assert_eq(fv.n_probes, 9);
	cr_assert_eq(fv.evaluated, 1);
	cr_assert_eq(fv.probe, 0);
	for (i = 0; i < fv.n_probes; i++) {
		cr_assert_float_eq(fv.probes[i].scale_rows, 1.0, 1e-12);
		cr_assert_float_eq(fv.probes[i].scale_cols, 1.0, 1e-12);
		cr_assert_float_eq(fv.probes[i].depth_m, 2.524, 1e-12);
	}
	direct = base;
	direct.wall_m = 2.524;
	cr_assert_eq(fv.setup.wall_m, direct.wall_m);
	cr_assert_eq(fv.setup.pitch_mm, direct.pitch_mm);
	cr_assert_eq(fv.setup.emitter_mm, direct.emitter_mm);
	cr_assert_eq(fv.setup.roll_deg, 0.0);
	cr_assert_eq(vpm_predict(&direct, ws, &r), VPM_OK);
	cr_assert_eq(fv.result.risk, r.risk);
	cr_assert_eq(fv.result.moire_visibility, r.moire_visibility);
	cr_assert_eq(fv.result.grid_visibility, r.grid_visibility);
	cr_assert_eq(fv.result.wall_blur_mm, r.wall_blur_mm);
	cr_assert_eq(fv.result.dof_near_m, r.dof_near_m);
	/* a camera roll is the check's --roll and nothing else */
	v.roll_deg = 7.5;
	direct.roll_deg = 7.5;
	cr_assert_eq(vpm_frame_verdict(&st, &v, &base, ws, &fv), VPM_OK);
	cr_assert_eq(fv.evaluated, 1);
	cr_assert_eq(fv.setup.roll_deg, 7.5);
	cr_assert_eq(vpm_predict(&direct, ws, &r), VPM_OK);
	cr_assert_eq(fv.result.moire_visibility, r.moire_visibility);
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
}

/* Panned against the wall: the centre point lies z/cos(pan) along the
 * axis, seen at the pan angle, its LED rows foreshortened by cos(pan); the
 * verdict is the worst point and equals vpm_predict of its own set-up. */
Test(frame, verdict_panned_is_worst_point)
{
	vpm_catalog_t *cat;
	vpm_setup_t base = reference_setup(&cat), s[2];
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n");
	vpm_view_t v = view_at(-0.4, 1.2, 2.5, 28.0);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_frame_verdict_t fv;
	vpm_result_t r;
	double p = 20.0, best = 0.0;
	size_t i, k, m;

	v.pan_deg = p;
	cr_assert_eq(vpm_frame_verdict(&st, &v, &base, ws, &fv), VPM_OK, "%s", vpm_error_message());
	cr_assert(fv.has_led);
	cr_assert_float_eq(fv.probes[0].u_mm, 0.0, 1e-12);
	cr_assert_float_eq(fv.probes[0].depth_m, 2.5 / cos(p * DEG), 1e-9);
	cr_assert_float_eq(fv.probes[0].incidence_deg, p, 1e-6);
	cr_assert_float_eq(fv.probes[0].scale_rows, cos(p * DEG), 1e-6);
	cr_assert_float_eq(fv.probes[0].scale_cols, 1.0, 1e-6);
	cr_assert_float_eq(fv.probes[0].row_angle_deg, 0.0, 1e-6);
	cr_assert_gt(fv.evaluated, 1);
	cr_assert_eq(vpm_predict(&fv.setup, ws, &r), VPM_OK);
	cr_assert_eq(r.moire_visibility, fv.result.moire_visibility);
	cr_assert_eq(r.grid_visibility, fv.result.grid_visibility);
	cr_assert_eq(r.risk, fv.result.risk);
	for (i = 0; i < fv.n_probes; i++) {
		m = vpm_frame_probe_setups(&base, &fv.probes[i], s);
		for (k = 0; k < m; k++) {
			cr_assert_eq(vpm_predict(&s[k], ws, &r), VPM_OK);
			best = fmax(best, vpm_result_visibility(&r));
		}
	}
	cr_assert_eq(best, vpm_result_visibility(&fv.result));
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
}

/* Looking away from the wall: no LED, no risk, the DOF still reported. */
Test(frame, verdict_without_led)
{
	vpm_catalog_t *cat;
	vpm_setup_t base = reference_setup(&cat);
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n");
	vpm_view_t v = view_at(0.0, 1.5, 2.5, 28.0);
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_frame_verdict_t fv;

	v.pan_deg = 180.0;
	cr_assert_eq(vpm_frame_verdict(&st, &v, &base, ws, &fv), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(fv.has_led, 0);
	cr_assert_eq(fv.n_probes, 0);
	cr_assert_eq(fv.result.risk, VPM_RISK_SAFE);
	cr_assert_eq(fv.result.moire_channel, VPM_CHANNEL_NONE);
	cr_assert_gt(fv.result.dof_near_m, 0.9);
	cr_assert_lt(fv.result.dof_near_m, 1.0);
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
}

Test(frame, figure_proportions)
{
	vpm_figure_t f = { 1, 0.3, 1.5, 1.75, VPM_POSE_STANDING };
	vpm_vec3_t e = vpm_figure_eyes(&f);

	/* eyes at 0.936 of the standing height (Drillis & Contini) */
	cr_assert_float_eq(e.y, 0.936 * 1.75, 1e-12);
	cr_assert_float_eq(e.x, 0.3, 1e-12);
	cr_assert_float_eq(vpm_figure_top_m(&f), 1.75, 1e-12);
	/* seated on a 0.45 m seat: eyes near 1.2 m, head near 1.31 m */
	f.pose = VPM_POSE_SEATED;
	e = vpm_figure_eyes(&f);
	cr_assert_float_eq(e.y, 0.47 + 0.416 * 1.75, 1e-12);
	cr_assert_float_eq(vpm_figure_top_m(&f), 0.47 + 0.48 * 1.75, 1e-12);
}

static size_t count(const vpm_paths_t *ps, vpm_path_kind_t kind)
{
	size_t i, n = 0;

	for (i = 0; i < ps->n; i++)
		n += ps->path[i].kind == kind;
	return n;
}

/* The frame outlines: the wall, its 9 + 3 seams, the floor, the subject's
 * silhouette to true size, and the horizon at v = −f·tan(tilt). */
Test(frame, frame_outlines)
{
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n"
				    "wall_bottom=0.4m\n");
	vpm_view_t v = view_at(0.0, 1.5, 6.0, 18.0);
	vpm_figure_t f = { 1, 0.0, 3.0, 1.75, VPM_POSE_STANDING };
	vpm_paths_t ps;
	double top = -1e9, bottom = 1e9, u, w;
	size_t i, k;

	v.tilt_deg = 6.0;
	vpm_paths_init(&ps);
	cr_assert_eq(vpm_frame_paths(&st, &v, &f, &ps), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(count(&ps, VPM_PATH_LED), 1);
	cr_assert_eq(count(&ps, VPM_PATH_SEAM), 9 + 3);
	cr_assert_eq(count(&ps, VPM_PATH_FLOOR), 1);
	cr_assert_eq(count(&ps, VPM_PATH_FIGURE), 1);
	cr_assert_eq(count(&ps, VPM_PATH_HORIZON), 1);
	for (i = 0; i < ps.n; i++) {
		const vpm_path_t *p = &ps.path[i];
		if (p->kind == VPM_PATH_HORIZON) {
			cr_assert_eq(p->n, 2);
			for (k = 0; k < 2; k++)
				cr_assert_float_eq(p->y[k], -18.0 * tan(6.0 * DEG), 1e-9);
		}
		if (p->kind == VPM_PATH_FIGURE)
			for (k = 0; k < p->n; k++) {
				top = fmax(top, p->y[k]);
				bottom = fmin(bottom, p->y[k]);
			}
	}
	/* the silhouette spans the projections of the head and the feet */
	cr_assert(vpm_view_project(&v, (vpm_vec3_t){ 0.0, 1.75, 3.0 }, &u, &w, NULL));
	cr_assert_float_eq(top, w, 1e-9);
	cr_assert(vpm_view_project(&v, (vpm_vec3_t){ 0.0, 0.0, 3.0 }, &u, &w, NULL));
	cr_assert_float_eq(bottom, w, 1e-9);
	vpm_paths_release(&ps);
	cr_assert_eq(ps.n, 0);
}

/* The plan: wedges that pass the wall's edges exist exactly when the frame
 * runs past them sideways (the hand-computed case again). */
Test(frame, plan_wedges)
{
	vpm_stage_t st = stage_from("panel=x\nwall_width=4m\nwall_height=10m\nfloor_depth=20m\n");
	vpm_view_t v = view_at(0.0, 5.0, 3.0, 28.0);
	vpm_plan_marks_t mk = { 1.8, 2.4, 2.0, 0.8, 20.0, 0.1 };
	vpm_paths_t ps;

	vpm_paths_init(&ps);
	cr_assert_eq(vpm_frame_plan_paths(&st, &v, NULL, &mk, &ps), VPM_OK);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_EXT), 0);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_LED), 1);
	cr_assert_eq(count(&ps, VPM_PATH_DOF), 1);
	cr_assert_eq(count(&ps, VPM_PATH_FOCUS), 1);
	cr_assert_eq(count(&ps, VPM_PATH_SEAM), 9); /* 8 cabinets: 9 ticks */
	vpm_paths_release(&ps);
	v.position_m.z = 6.0;
	cr_assert_eq(vpm_frame_plan_paths(&st, &v, NULL, &mk, &ps), VPM_OK);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_EXT), 2);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_LED), 1);
	vpm_paths_release(&ps);
}

/* The side view of a camera tilted up past the wall's top edge. */
Test(frame, section_tilted_up)
{
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n"
				    "wall_bottom=0.4m\nceiling=3m\n");
	vpm_view_t v = view_at(0.0, 0.7, 2.5, 18.0);
	vpm_figure_t f = { 1, 0.0, 1.2, 1.78, VPM_POSE_STANDING };
	vpm_plan_marks_t mk = { 1.0, 2.0, 1.3, 0.8, 10.0, 0.1 };
	vpm_paths_t ps;
	double d;
	int hit;

	v.tilt_deg = 25.0;
	vpm_paths_init(&ps);
	cr_assert_eq(vpm_frame_section_paths(&st, &v, &f, &mk, &ps, &d, &hit), VPM_OK);
	cr_assert(hit);
	cr_assert_float_eq(d, 2.5, 1e-9);
	cr_assert_eq(count(&ps, VPM_PATH_LED), 1);
	cr_assert_eq(count(&ps, VPM_PATH_SEAM), 3);
	cr_assert_eq(count(&ps, VPM_PATH_CEILING), 1);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_EXT), 1);
	cr_assert_eq(count(&ps, VPM_PATH_FRUSTUM_LED), 1);
	cr_assert_eq(count(&ps, VPM_PATH_FIGURE), 1);
	vpm_paths_release(&ps);
}

/* The per-edge shares partition the set extension (issue 12): a camera
 * panned and tilted at the wall's top-right corner sees past the right edge,
 * the top edge and the corner between them; the four shares add up to the
 * extension share exactly (a corner sample counts half to each edge), and
 * each is at least the area beyond that edge alone. */
Test(frame, edge_shares_add_up_to_the_extension)
{
	vpm_stage_t st = stage_from("panel=x\nwall_width=4m\nwall_height=2m\nfloor_depth=20m\n");
	vpm_view_t v = view_at(0.9, 1.45, 3.0, 18.0);
	vpm_coverage_t c;
	static const double pan[] = { 0.0, 9.5, -14.2, 23.0 }, tilt[] = { 0.0, 7.3, 11.8, -4.1 };
	size_t i;

	for (i = 0; i < sizeof pan / sizeof pan[0]; i++) {
		double sum = 0.0;
		int k;

		v.pan_deg = pan[i];
		v.tilt_deg = tilt[i];
		cr_assert_eq(vpm_frame_coverage(&st, &v, 320, 0, &c), VPM_OK);
		for (k = 0; k < 4; k++) {
			cr_assert_geq(c.edge_share[k], 0.0);
			sum += c.edge_share[k];
		}
		cr_assert_float_eq(sum, c.extension_share, 1e-12, "pan %g tilt %g: %g vs %g",
				   pan[i], tilt[i], sum, c.extension_share);
		cr_assert_gt(c.extension_share, 0.0);
	}
	/* the corner case itself: right, top and both at once */
	v.pan_deg = 9.5;
	v.tilt_deg = 7.3;
	cr_assert_eq(vpm_frame_coverage(&st, &v, 320, 0, &c), VPM_OK);
	cr_assert_gt(c.edge_share[1], 0.0);
	cr_assert_gt(c.edge_share[2], 0.0);
	cr_assert_eq(c.edges & (VPM_EDGE_RIGHT | VPM_EDGE_TOP),
		     (unsigned)(VPM_EDGE_RIGHT | VPM_EDGE_TOP));
}

/* Issue 13: every error of lib/frame.c carries its own message, never one
 * left by an earlier call, and a successful call leaves none. */
Test(frame, errors_carry_their_own_message)
{
	vpm_stage_t st = stage_from("panel=x\ncabinets_across=10\ncabinets_down=4\n");
	vpm_view_t v = view_at(0.0, 1.5, 3.0, 0.0);
	vpm_plan_marks_t mk = { 1.8, 2.4, 2.0, 0.8, 20.0, 0.1 };
	vpm_coverage_t c;
	vpm_paths_t ps;
	double m;
	int hit;

	vpm_paths_init(&ps);
#define STALE() cr_assert_neq(vpm_units_parse_length("2.385kg", VPM_UNIT_M, 0, &m), VPM_OK)
#define OWN(what)                                                    \
	cr_assert(strstr(vpm_error_message(), "kg") == NULL &&       \
			  strstr(vpm_error_message(), what) != NULL, \
		  "'%s' lacks '%s'", vpm_error_message(), what)
	STALE();
	cr_assert_eq(vpm_view_validate(&v), VPM_EINVAL);
	OWN("focal length");
	STALE();
	cr_assert_eq(vpm_frame_coverage(&st, &v, 320, 0, &c), VPM_EINVAL);
	OWN("focal length");
	STALE();
	cr_assert_eq(vpm_frame_paths(&st, &v, NULL, &ps), VPM_EINVAL);
	OWN("focal length");
	STALE();
	cr_assert_eq(vpm_frame_paths(NULL, &v, NULL, &ps), VPM_EINVAL);
	OWN("frame outlines");
	STALE();
	cr_assert_eq(vpm_frame_plan_paths(&st, &v, NULL, &mk, &ps), VPM_EINVAL);
	OWN("focal length");
	STALE();
	cr_assert_eq(vpm_frame_section_paths(&st, &v, NULL, &mk, &ps, &m, &hit), VPM_EINVAL);
	OWN("focal length");
	v.focal_mm = 28.0;
	STALE();
	cr_assert_eq(vpm_frame_coverage(&st, &v, 8, 0, &c), VPM_EINVAL);
	OWN("samples across");
	STALE();
	cr_assert_eq(vpm_frame_paths(&st, &v, NULL, &ps), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_empty(vpm_error_message());
#undef STALE
#undef OWN
	vpm_paths_release(&ps);
}
