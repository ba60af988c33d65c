/* The stage: `key = value` descriptions (every error with file:line:col),
 * wall sizes in whole cabinets, side walls and curved walls, and ray
 * tracing against LED, floor and the wall's edges. */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/stage.h"

#define PI 3.14159265358979323846

/* The reference cabinet: AOTO RM1.5, 500 x 500 mm, 1.5625 mm pitch
 * (models/panels.csv). */
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

static vpm_status_t parse(vpm_stage_desc_t *d, const char *text)
{
	vpm_stage_desc_init(d);
	return vpm_stage_desc_parse(d, "t.stage", text, strlen(text));
}

static void build_ok(const char *text, vpm_stage_t *st)
{
	vpm_stage_desc_t d;
	vpm_panel_t p = rm15();

	cr_assert_eq(parse(&d, text), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_build(&d, &p, st), VPM_OK, "%s", vpm_error_message());
}

/* The message of a failing parse or build, which must start with `prefix`. */
static void fails_with(const char *text, vpm_status_t want, const char *prefix, const char *word)
{
	vpm_stage_desc_t d;
	vpm_stage_t st;
	vpm_panel_t p = rm15();
	vpm_status_t s = parse(&d, text);

	if (s == VPM_OK)
		s = vpm_stage_build(&d, &p, &st);
	cr_assert_eq(s, want, "'%s' gave %d: %s", text, s, vpm_error_message());
	cr_assert(strncmp(vpm_error_message(), prefix, strlen(prefix)) == 0,
		  "'%s': message '%s' does not start with '%s'", text, vpm_error_message(), prefix);
	if (word)
		cr_assert(strstr(vpm_error_message(), word) != NULL, "'%s': '%s' lacks '%s'", text,
			  vpm_error_message(), word);
}

Test(stage, reference_micro_stage_file)
{
	char path[4096];
	vpm_stage_desc_t d;
	vpm_stage_t st;
	vpm_panel_t p = rm15();
	const vpm_surface_t *m;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_eq(d.panel, "aoto-rm1.5");
	cr_assert_eq(vpm_stage_build(&d, &p, &st), VPM_OK, "%s", vpm_error_message());
	m = &st.surface[0];
	/* 40 cabinets of 0.5 m: 10 across, 4 down */
	cr_assert_eq(m->cabinets_across * m->cabinets_down, 40);
	cr_assert_float_eq(m->width_m, 5.0, 1e-12);
	cr_assert_float_eq(m->height_m, 2.0, 1e-12);
	cr_assert_float_eq(m->bottom_m, 0.40, 1e-12);
	cr_assert_eq(m->kind, VPM_SURFACE_FLAT);
	cr_assert_eq(st.n_surfaces, 1);
	/* the 10 x 20 ft room: 20 ft across, 10 ft deep, 10 ft high */
	cr_assert_float_eq(st.floor_x1_m - st.floor_x0_m, 20 * 0.3048, 1e-9);
	cr_assert_float_eq(st.floor_depth_m, 10 * 0.3048, 1e-9);
	cr_assert_float_eq(st.ceiling_m, 10 * 0.3048, 1e-9);
	cr_assert_float_eq(st.floor_x0_m, -10 * 0.3048, 1e-9);
	cr_assert_float_eq(st.pitch_mm, 1.5625, 1e-12);
	cr_assert(strstr(st.name, "micro") != NULL);
}

Test(stage, lengths_are_whole_cabinets)
{
	vpm_stage_t st;

	/* 16' 5" = 5.004 m: within 10 mm of 10 cabinets, so exactly 5 m */
	build_ok("panel = x\nwall_width = 16' 5\"\nwall_height = 2m\n", &st);
	cr_assert_eq(st.surface[0].cabinets_across, 10);
	cr_assert_float_eq(st.surface[0].width_m, 5.0, 1e-12);
	/* a count and a matching length agree */
	build_ok("panel=x\ncabinets_across=6\nwall_width=300cm\ncabinets_down=3\n", &st);
	cr_assert_float_eq(st.surface[0].height_m, 1.5, 1e-12);
	/* 5.1 m is 10.2 cabinets */
	fails_with("panel=x\nwall_width = 5.1m\nwall_height=2m\n", VPM_EINVAL,
		   "t.stage:2:14: wall_width: 5.100 m is 10.20 cabinets", "cabinets_across");
	fails_with("panel=x\ncabinets_across=6\nwall_width=3.2m\nwall_height=2m\n", VPM_EINVAL,
		   "t.stage:3:12: wall_width: 3.200 m does not match cabinets_across", NULL);
	fails_with("panel=x\nwall_height=2m\n", VPM_EINVAL, "stage: give wall_width", NULL);
}

Test(stage, syntax_errors_name_line_and_column)
{
	fails_with("panel = x\nwall_widht = 5m\n", VPM_EPARSE,
		   "t.stage:2:1: unknown key 'wall_widht'", "did you mean 'wall_width'");
	fails_with("panel = x\n  wall width 5m\n", VPM_EPARSE,
		   "t.stage:2:3: expected 'key = value'", NULL);
	fails_with("panel = x\nwall_width =   \n", VPM_EPARSE,
		   "t.stage:2:13: wall_width: expected a value", NULL);
	fails_with("panel = x\n = 5\n", VPM_EPARSE, "t.stage:2:2: expected a key", NULL);
	fails_with("panel = x\nwall_width = 5m\nWall-Width = 5m\n", VPM_EPARSE,
		   "t.stage:3:1: wall_width is given twice (first on line 2)", NULL);
	fails_with("panel = x\nwall_width = 5 parsecs\n", VPM_EPARSE,
		   "t.stage:2:14: wall_width: ", "parsecs");
	fails_with("panel = x\ncabinets_down = 4.5\n", VPM_EPARSE,
		   "t.stage:2:17: cabinets_down: ", NULL);
	fails_with("panel = x\nside_walls = some\n", VPM_EPARSE,
		   "t.stage:2:14: side_walls: ", "none, left, right or both");
	fails_with("panel = x\nside_wall_angle = 30\n", VPM_ERANGE,
		   "t.stage:2:19: side_wall_angle: 30 degrees", NULL);
	fails_with("panel = x\nwall_bottom = -1m\n", VPM_ERANGE,
		   "t.stage:2:15: wall_bottom: ", NULL);
	fails_with("name = caf\xC3\n", VPM_EPARSE, "t.stage:1:11: invalid UTF-8", NULL);
}

Test(stage, bom_crlf_comments_and_key_spellings)
{
	vpm_stage_t st;

	build_ok("\xEF\xBB\xBF# a stage\r\n\r\nPanel = aoto\r\nWall Width = 5m   # ten cabinets\r\n"
		 "--cabinets-down = 4\r\nname = Stage#2\r\n",
		 &st);
	cr_assert_float_eq(st.surface[0].width_m, 5.0, 1e-12);
	cr_assert_eq(st.surface[0].cabinets_down, 4);
	/* '#' without a blank before it belongs to the value */
	cr_assert_str_eq(st.name, "Stage#2");
}

Test(stage, flags_override_the_file_and_name_themselves)
{
	vpm_stage_desc_t d;
	vpm_stage_t st;
	vpm_panel_t p = rm15();
	vpm_stage_key_t k;

	cr_assert_eq(parse(&d, "panel = x\nwall_width = 5m\nwall_height = 2m\n"), VPM_OK);
	cr_assert_eq(vpm_stage_key_find("--wall-bottom", &k), VPM_OK);
	cr_assert_eq(k, VPM_STAGE_WALL_BOTTOM);
	cr_assert_str_eq(vpm_stage_key_flag(k), "--wall-bottom");
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_WALL_BOTTOM, "1ft", NULL, 0, 0), VPM_OK);
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_WALL_WIDTH, "4.1m", NULL, 0, 0), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, &p, &st), VPM_EINVAL);
	cr_assert(strncmp(vpm_error_message(), "--wall-width: 4.100 m is 8.20 cabinets", 38) == 0,
		  "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_WALL_WIDTH, "4m", NULL, 0, 0), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, &p, &st), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(st.surface[0].bottom_m, 0.3048, 1e-12);
	cr_assert_eq(vpm_stage_desc_set(&d, VPM_STAGE_CEILING, "tall", NULL, 0, 0), VPM_EPARSE);
	cr_assert(strncmp(vpm_error_message(), "--ceiling: ", 11) == 0, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_key_find("floor_dept", &k), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "floor_depth") != NULL);
}

Test(stage, geometry_errors)
{
	/* 5 m wide on a 1.5 m radius would wrap 191 degrees */
	fails_with("panel=x\nwall_width=5m\nwall_height=2m\ncurve_radius=1.5m\n", VPM_EGEOMETRY,
		   "t.stage:4:14: curve_radius: a 5.000 m wide wall", "at most 180");
	fails_with("panel=x\nwall_width=5m\nwall_height=2m\nwall_bottom=1m\nceiling=2.5m\n",
		   VPM_EGEOMETRY, "t.stage:5:9: ceiling: the wall's top edge (3.000 m)", NULL);
	fails_with("panel=x\nwall_width=5m\nwall_height=2m\nside_walls=both\n", VPM_EINVAL,
		   "stage: give side_wall_width", NULL);
}

Test(stage, missing_file_and_panel)
{
	vpm_stage_desc_t d;
	vpm_stage_t st;

	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, tu_tmp("no-such.stage")), VPM_ENOTFOUND);
	cr_assert(strstr(vpm_error_message(), "no-such.stage") != NULL);
	cr_assert_eq(vpm_stage_build(&d, NULL, &st), VPM_EINVAL);
}

Test(stage, side_walls_square_to_the_main_wall)
{
	vpm_stage_t st;
	vpm_vec3_t p, n;

	build_ok("panel=x\ncabinets_across=10\ncabinets_down=4\nside_walls=both\n"
		 "side_wall_cabinets=4\n",
		 &st);
	cr_assert_eq(st.n_surfaces, 3);
	/* left wall: from its far end (z = 2 m) to the main wall's left end */
	p = vpm_surface_point(&st.surface[1], 0.0, 0.0);
	cr_assert_float_eq(p.x, -2.5, 1e-12);
	cr_assert_float_eq(p.z, 2.0, 1e-12);
	p = vpm_surface_point(&st.surface[1], 2.0, 0.0);
	cr_assert_float_eq(p.z, 0.0, 1e-12);
	n = vpm_surface_normal(&st.surface[1], 1.0);
	cr_assert_float_eq(n.x, 1.0, 1e-12); /* faces into the stage */
	/* right wall: from the main wall's right end towards the camera */
	p = vpm_surface_point(&st.surface[2], 2.0, 1.0);
	cr_assert_float_eq(p.x, 2.5, 1e-12);
	cr_assert_float_eq(p.z, 2.0, 1e-12);
	cr_assert_float_eq(p.y, 1.0, 1e-12);
	n = vpm_surface_normal(&st.surface[2], 1.0);
	cr_assert_float_eq(n.x, -1.0, 1e-12);
	/* floor default: as wide as the walls' span, 4 m deep */
	cr_assert_float_eq(st.floor_x1_m - st.floor_x0_m, 5.0, 1e-12);
	cr_assert_float_eq(st.floor_depth_m, 4.0, 1e-12);
}

Test(stage, side_walls_at_120_degrees)
{
	vpm_stage_t st;
	vpm_vec3_t p;

	/* 120° between main and side wall: the side wall leans out by 30° */
	build_ok("panel=x\ncabinets_across=10\ncabinets_down=4\nside_walls=right\n"
		 "side_wall_width=2m\nside_wall_angle=120\n",
		 &st);
	p = vpm_surface_point(&st.surface[1], 2.0, 0.0);
	cr_assert_float_eq(p.x, 2.5 + 2.0 * cos(60.0 * PI / 180.0), 1e-12);
	cr_assert_float_eq(p.z, 2.0 * sin(60.0 * PI / 180.0), 1e-12);
}

Test(stage, curved_wall_geometry)
{
	vpm_stage_t st;
	const vpm_surface_t *m;
	vpm_vec3_t p, n;
	double half = 5.0 / (2.0 * 6.0);

	build_ok("panel=x\ncabinets_across=10\ncabinets_down=4\ncurve_radius=6m\n", &st);
	m = &st.surface[0];
	cr_assert_eq(m->kind, VPM_SURFACE_ARC);
	/* the middle of the arc touches z = 0 and faces the camera */
	p = vpm_surface_point(m, 2.5, 1.0);
	cr_assert_float_eq(p.x, 0.0, 1e-12);
	cr_assert_float_eq(p.z, 0.0, 1e-12);
	n = vpm_surface_normal(m, 2.5);
	cr_assert_float_eq(n.z, 1.0, 1e-12);
	/* the right end: R sin φ across, R (1 − cos φ) towards the camera */
	p = vpm_surface_point(m, 5.0, 0.0);
	cr_assert_float_eq(p.x, 6.0 * sin(half), 1e-12);
	cr_assert_float_eq(p.z, 6.0 * (1.0 - cos(half)), 1e-12);
}

Test(stage, tracing_rays)
{
	vpm_stage_t st;
	vpm_hit_t h;
	vpm_vec3_t o = { 0.0, 1.5, 3.0 };
	vpm_vec3_t fwd = { 0.0, 0.0, -1.0 }, left = { -1.0, 0.0, -1.0 }, up = { 0.0, 1.0, -1.0 };
	vpm_vec3_t down = { 0.0, -1.0, -1.0 }, low = { 0.0, -0.4, -1.0 };
	char buf[64];

	build_ok("panel=x\ncabinets_across=10\ncabinets_down=4\nwall_bottom=0.4m\n", &st);
	vpm_stage_trace(&st, o, fwd, &h);
	cr_assert_eq(h.kind, VPM_HIT_LED);
	cr_assert_float_eq(h.t, 3.0, 1e-12);
	cr_assert_float_eq(h.s_m, 2.5, 1e-12);
	cr_assert_float_eq(h.y_m, 1.5, 1e-12);
	/* 45° left meets z = 0 at x = −3: past the left edge */
	vpm_stage_trace(&st, o, left, &h);
	cr_assert_eq(h.kind, VPM_HIT_NOTHING);
	cr_assert_eq(h.edges, VPM_EDGE_LEFT);
	/* 45° up meets the wall plane at y = 4.5 > 2.4 */
	vpm_stage_trace(&st, o, up, &h);
	cr_assert_eq(h.kind, VPM_HIT_NOTHING);
	cr_assert_eq(h.edges, VPM_EDGE_TOP);
	/* 45° down reaches the floor 1.5 m ahead, at z = 1.5 */
	vpm_stage_trace(&st, o, down, &h);
	cr_assert_eq(h.kind, VPM_HIT_FLOOR);
	cr_assert_float_eq(h.point.z, 1.5, 1e-12);
	/* slope −0.4: at z = 0 it is at y = 0.3, under the 0.4 m riser edge */
	vpm_stage_trace(&st, o, low, &h);
	cr_assert_eq(h.kind, VPM_HIT_NOTHING);
	cr_assert_eq(h.edges, VPM_EDGE_BOTTOM);
	cr_assert_str_eq(vpm_stage_edges_name(VPM_EDGE_LEFT | VPM_EDGE_TOP, buf, sizeof buf),
			 "left, top");
	cr_assert_str_eq(vpm_stage_edges_name(0, buf, sizeof buf), "");
}

Test(stage, curved_wall_is_hit_from_inside)
{
	vpm_stage_t st;
	vpm_hit_t h;
	vpm_vec3_t o = { 0.0, 1.0, 3.0 };
	vpm_vec3_t d = { 0.8, 0.0, -1.0 };
	double t, s, y, R = 6.0;

	build_ok("panel=x\ncabinets_across=10\ncabinets_down=4\ncurve_radius=6m\n", &st);
	vpm_stage_trace(&st, o, d, &h);
	cr_assert_eq(h.kind, VPM_HIT_LED);
	/* the hit lies on the circle of radius R around (0, R) */
	cr_assert_float_eq(hypot(h.point.x, h.point.z - R), R, 1e-9);
	/* the unbounded cylinder is met beyond the arc's end by a wider ray */
	cr_assert(vpm_surface_intersect(&st.surface[0], o, (vpm_vec3_t){ 3.0, 0.0, -1.0 }, 0, &t,
					&s, &y));
	cr_assert_gt(s, st.surface[0].width_m);
}

/* What `vpmoire stage` and `vpmoire shotlist` do with their stage: the
 * file, the flags on top, a panel required, then the panel from the
 * catalog and the built stage. */
Test(stage, load_and_resolve)
{
	const char *flags[VPM_STAGE_NKEYS] = { NULL };
	char path[4096], dir[4096];
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *panel = NULL;
	vpm_stage_desc_t d;
	vpm_stage_t st;

	cr_assert_not_null(cat);
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
	/* flags alone, without a panel: refused, naming the stage */
	flags[VPM_STAGE_WALL_WIDTH] = "5m";
	cr_assert_eq(vpm_stage_desc_load(&d, NULL, flags), VPM_EINVAL);
	cr_assert_str_eq(vpm_error_message(),
			 "stage: no LED panel: add 'panel = NAME' (or --panel NAME)");
	/* the reference micro stage's file, its wall lowered by a flag */
	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	flags[VPM_STAGE_WALL_WIDTH] = NULL;
	flags[VPM_STAGE_WALL_BOTTOM] = "0.1m";
	cr_assert_eq(vpm_stage_desc_load(&d, path, flags), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_desc_resolve(&d, cat, &panel, &st), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_str_eq(panel->name, "aoto-rm1.5");
	cr_assert_eq(st.surface[0].cabinets_across * st.surface[0].cabinets_down, 40);
	cr_assert_float_eq(st.surface[0].bottom_m, 0.1, 1e-12);
	/* a panel flag over the file's, not in the catalog: the flag is named */
	flags[VPM_STAGE_PANEL] = "aoto-rm1.6";
	cr_assert_eq(vpm_stage_desc_load(&d, path, flags), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_stage_desc_resolve(&d, cat, &panel, &st), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "--panel: ", 9) == 0, "%s", vpm_error_message());
	/* a bad flag value: the flag's message */
	flags[VPM_STAGE_PANEL] = NULL;
	flags[VPM_STAGE_CEILING] = "tall";
	cr_assert_eq(vpm_stage_desc_load(&d, path, flags), VPM_EPARSE);
	cr_assert(strncmp(vpm_error_message(), "--ceiling: ", 11) == 0, "%s", vpm_error_message());
	vpm_catalog_free(cat);
}
