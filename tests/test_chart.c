/* The safe-shot chart: lib/chart.c (every cell is vpm_predict on the cell's
 * set-up, states of impossible cells, threads, runs) and `vpmoire chart` as
 * a DP runs it (pages, text, random cells against `vpmoire check --json`,
 * a golden PNG, bad flags that leave no file). */
#include <config.h>

#include <cairo.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/catalog.h"
#include "vpmoire/chart.h"
#include "vpmoire/plan.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"

/* The reference micro stage (the models/ catalogs and their sources): AOTO
 * RM1.5 (1.5625 mm pitch, 0.17 mm emitter), URSA Mini Pro 4.6K G2 (4608 ×
 * 5.5 µm, Bayer, no OLPF, CoC 0.025 mm). */
#define RIG "--panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2"

static vpm_setup_t reference_setup(double focal_mm, double stop)
{
	vpm_setup_t s = vpm_setup_default();

	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.17;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.coc_mm = 0.025;
	s.focal_mm = focal_mm;
	s.stop = stop;
	return s;
}

/* Two CP.3-like columns: 28 mm (T2.1–T22, close focus 0.24 m) and 85 mm
 * (close focus 1.0 m). */
static void two_columns(vpm_chart_column_t cols[2], double stop)
{
	cols[0].setup = reference_setup(28.0, stop);
	cols[0].close_focus_m = 0.24;
	cols[0].widest_stop = 2.1;
	cols[0].narrowest_stop = 22.0;
	cols[1].setup = reference_setup(85.0, stop);
	cols[1].close_focus_m = 1.0;
	cols[1].widest_stop = 2.1;
	cols[1].narrowest_stop = 22.0;
}

/* ================================================================ library */

Test(chart_lib, every_cell_is_the_predictor_on_its_setup)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = NULL;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	size_t i, j, ok = 0;

	two_columns(cols, 2.8);
	sp.columns = cols;
	sp.nx = 2;
	sp.wall_min_m = 1.37;
	sp.wall_max_m = 5.93;
	sp.ny = 37;
	sp.subject_gap_m = 1.524;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(c->nx, 2);
	cr_assert_eq(c->ny, 37);
	cr_assert_float_eq(c->focal_mm[1], 85.0, 0.0);
	/* rows: cell centres, evenly spaced between the edges */
	cr_assert_float_eq(c->wall_m[0], 1.37 + (5.93 - 1.37) * 0.5 / 37, 1e-12);
	cr_assert_float_eq(c->wall_m[36], 5.93 - (5.93 - 1.37) * 0.5 / 37, 1e-12);
	for (j = 0; j < c->ny; j++) {
		for (i = 0; i < c->nx; i++) {
			const vpm_chart_cell_t *cell = &c->cells[j * c->nx + i];
			vpm_setup_t s = cols[i].setup;
			vpm_result_t r;
			double centre = c->wall_m[j] - 1.524;

			cr_assert_float_eq(cell->wall_m, c->wall_m[j], 0.0);
			cr_assert_float_eq(cell->subject_near_m, centre, 1e-15);
			if (centre <= 0.0) {
				cr_assert_eq(cell->state, VPM_CELL_NO_ROOM, "row %zu", j);
				continue;
			}
			if (centre < cols[i].close_focus_m) {
				cr_assert_eq(cell->state, VPM_CELL_CLOSE_FOCUS, "row %zu col %zu",
					     j, i);
				cr_assert(isnan(cell->visibility));
				continue;
			}
			cr_assert_eq(cell->state, VPM_CELL_OK, "row %zu col %zu", j, i);
			/* the same call `check` makes, with focus on the subject */
			s.wall_m = c->wall_m[j];
			s.focus_m = centre;
			cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
			cr_assert_eq(cell->focus_m, centre);
			cr_assert_eq(cell->moire_visibility, r.moire_visibility, "row %zu col %zu",
				     j, i);
			cr_assert_eq(cell->grid_visibility, r.grid_visibility);
			cr_assert_eq(cell->visibility, vpm_result_visibility(&r));
			cr_assert_eq(cell->risk, r.risk);
			cr_assert_eq(cell->wall_blur_mm, r.wall_blur_mm);
			cr_assert_eq(cell->dof_far_m, r.dof_far_m);
			ok++;
		}
	}
	cr_assert_gt(ok, 50);
	/* 85 mm: close focus 1.0 m, so nothing below a wall at 2.524 m; the
	 * first shootable row's lower edge is what the chart reports */
	for (j = 0; c->cells[j * 2 + 1].state != VPM_CELL_OK; j++)
		;
	cr_assert_geq(c->wall_m[j] - 1.524, 1.0);
	cr_assert_lt(c->wall_m[j - 1] - 1.524, 1.0);
	cr_assert_float_eq(vpm_chart_column_first_m(c, 1), 1.37 + (5.93 - 1.37) * j / 37.0, 1e-12);
	vpm_chart_free(c);
	vpm_predict_workspace_free(ws);
}

Test(chart_lib, a_stop_the_lens_lacks_blocks_its_column)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = NULL;
	size_t j;

	/* the CP.3 15 mm opens only to T2.9 */
	two_columns(cols, 2.1);
	cols[0].widest_stop = 2.9;
	sp.columns = cols;
	sp.nx = 2;
	sp.ny = 12;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK, "%s", vpm_error_message());
	for (j = 0; j < c->ny; j++) {
		cr_assert_eq(c->cells[j * 2].state, VPM_CELL_STOP);
		cr_assert(isnan(c->cells[j * 2].visibility));
	}
	cr_assert(isnan(vpm_chart_column_first_m(c, 0)));
	cr_assert(isfinite(vpm_chart_column_first_m(c, 1)));
	vpm_chart_free(c);
	/* and a stop beyond its narrowest end */
	two_columns(cols, 32.0);
	sp.columns = cols;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK);
	cr_assert_eq(c->cells[5 * 2 + 1].state, VPM_CELL_STOP);
	vpm_chart_free(c);
}

Test(chart_lib, back_of_dof_cells_hold_the_subject_and_beat_the_centre)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = NULL;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	size_t i, j, ok = 0, dof = 0, nearer = 0;

	two_columns(cols, 4.0);
	sp.columns = cols;
	sp.nx = 2;
	sp.wall_min_m = 1.8;
	sp.wall_max_m = 6.3;
	sp.ny = 18;
	sp.rule = VPM_CHART_FOCUS_BACK_OF_DOF;
	sp.subject_depth_m = 0.12;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK, "%s", vpm_error_message());
	for (j = 0; j < c->ny; j++) {
		for (i = 0; i < c->nx; i++) {
			const vpm_chart_cell_t *cell = &c->cells[j * c->nx + i];
			double centre = c->wall_m[j] - sp.subject_gap_m;
			vpm_setup_t s = cols[i].setup;
			vpm_result_t r, rc;

			cr_assert_float_eq(cell->subject_far_m - cell->subject_near_m, 0.12, 1e-12);
			if (cell->state == VPM_CELL_DOF) {
				dof++;
				continue;
			}
			if (cell->state != VPM_CELL_OK)
				continue;
			ok++;
			/* the whole subject inside the DOF, focus no further than its
			 * centre, never worse than focusing on the centre */
			cr_assert_leq(cell->dof_near_m, cell->subject_near_m * (1 + 1e-9));
			cr_assert_geq(cell->dof_far_m, cell->subject_far_m * (1 - 1e-9));
			cr_assert_leq(cell->focus_m, centre + 1e-12);
			cr_assert_geq(cell->focus_m, cols[i].close_focus_m);
			s.wall_m = c->wall_m[j];
			s.focus_m = cell->focus_m;
			cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK);
			cr_assert_eq(r.moire_visibility, cell->moire_visibility);
			s.focus_m = centre;
			cr_assert_eq(vpm_predict(&s, ws, &rc), VPM_OK);
			if (vpm_plan_subject_in_dof(&rc, (vpm_subject_t){ cell->subject_near_m,
									  cell->subject_far_m }))
				cr_assert_leq(cell->visibility,
					      vpm_result_visibility(&rc) * (1 + 1e-12));
			nearer += cell->focus_m < centre;
		}
	}
	/* 0.12 m at T4 fits at most distances; near the wall the 85 mm's DOF is
	 * too shallow for it */
	cr_assert_gt(ok, 10);
	cr_assert_gt(nearer, 0, "the planner never moved focus closer");
	(void)dof;
	vpm_chart_free(c);
	vpm_predict_workspace_free(ws);
}

Test(chart_lib, a_deep_subject_cannot_be_held)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = NULL;
	size_t j;

	/* 85 mm at T2.1, a subject 0.8 m deep about 1.5 m away: the DOF is a
	 * few centimetres */
	two_columns(cols, 2.1);
	sp.columns = cols;
	sp.nx = 2;
	sp.wall_min_m = 3.0;
	sp.wall_max_m = 3.5;
	sp.ny = 4;
	sp.rule = VPM_CHART_FOCUS_BACK_OF_DOF;
	sp.subject_depth_m = 0.8;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK, "%s", vpm_error_message());
	for (j = 0; j < c->ny; j++)
		cr_assert_eq(c->cells[j * 2 + 1].state, VPM_CELL_DOF, "row %zu: %s", j,
			     vpm_chart_cell_state_name(c->cells[j * 2 + 1].state));
	vpm_chart_free(c);
}

Test(chart_lib, threads_do_not_change_a_number)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *a = NULL, *b = NULL;

	two_columns(cols, 2.8);
	sp.columns = cols;
	sp.nx = 2;
	sp.ny = 41;
	sp.threads = 1;
	cr_assert_eq(vpm_chart_compute(&sp, &a), VPM_OK);
	sp.threads = 3;
	cr_assert_eq(vpm_chart_compute(&sp, &b), VPM_OK);
	cr_assert_eq(memcmp(a->cells, b->cells, 2 * 41 * sizeof *a->cells), 0);
	vpm_chart_free(a);
	vpm_chart_free(b);
}

static size_t last_done, last_total, calls;

static void count_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	calls++;
	if (done > last_done)
		last_done = done;
	last_total = total;
}

Test(chart_lib, progress_reaches_the_total)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = NULL;

	two_columns(cols, 2.8);
	sp.columns = cols;
	sp.nx = 2;
	sp.ny = 23;
	sp.progress = count_progress;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_OK);
	cr_assert_eq(last_total, 46);
	cr_assert_eq(last_done, 46);
	cr_assert_eq(calls, 23, "one call per row");
	vpm_chart_free(c);
}

Test(chart_lib, bad_specs_name_the_field)
{
	vpm_chart_column_t cols[2];
	vpm_chart_spec_t sp = vpm_chart_spec_default();
	vpm_chart_t *c = (vpm_chart_t *)&sp; /* must be reset to NULL on failure */

	two_columns(cols, 2.8);
	cr_assert_eq(vpm_chart_compute(NULL, &c), VPM_EINVAL);
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL); /* no columns */
	cr_assert_null(c);
	cr_assert(strstr(vpm_error_message(), "no columns"));
	sp.columns = cols;
	sp.nx = 2;
	sp.ny = 1;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL);
	sp.ny = 10;
	sp.wall_min_m = 4.0;
	sp.wall_max_m = 3.0;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "camera-to-wall"));
	sp.wall_min_m = 1.5;
	sp.wall_max_m = 8.0;
	sp.subject_gap_m = 0.0;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--subject-gap"));
	sp.subject_gap_m = 1.524;
	sp.rule = VPM_CHART_FOCUS_BACK_OF_DOF;
	sp.subject_depth_m = -0.1;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL);
	cr_assert(strstr(vpm_error_message(), "--subject-depth"));
	sp.rule = VPM_CHART_FOCUS_SUBJECT;
	cols[1].setup.pitch_mm = 0.0;
	cr_assert_neq(vpm_chart_compute(&sp, &c), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "column 2"), "%s", vpm_error_message());
	cols[1].setup.pitch_mm = 1.5625;
	cols[0].close_focus_m = -1.0;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_EINVAL);
	cols[0].close_focus_m = 0.24;
	sp.nx = 20000;
	sp.ny = 20000;
	cr_assert_eq(vpm_chart_compute(&sp, &c), VPM_ERANGE);
	cr_assert_null(c);
	vpm_chart_free(NULL);
}

/* The chart's safe-zone rule (issue 13: it lived in apps/cmd_chart.c).  A
 * hand-made column of 12 rows of 0.15 m from 1.6 m: not possible, then
 * safe (1 row), caution, safe (1 row: chance alignment), caution, safe
 * (2 rows, 0.30 m), caution, safe (2 rows), caution, safe to the top
 * (2 rows).  Named: the zone at the closest distance whatever its size,
 * then runs of at least two rows and 0.2 m. */
Test(chart_lib, safe_zones_marks_and_closest_distance)
{
	static const int risk[12] = { -1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0 };
	vpm_chart_cell_t cells[12];
	double wall[12], focal = 28.0;
	vpm_chart_t c = { 1, 12, &focal, wall, 1.6, 3.4, cells };
	vpm_chart_zone_t z[4];
	size_t n = 99, j;
	int from = -1;
	double m;

	memset(cells, 0, sizeof cells);
	for (j = 0; j < 12; j++) {
		wall[j] = 1.6 + 0.15 * (j + 0.5);
		cells[j].state = risk[j] < 0 ? VPM_CELL_CLOSE_FOCUS : VPM_CELL_OK;
		cells[j].risk = risk[j] < 0 ? VPM_RISK_SAFE : (vpm_risk_t)risk[j];
	}
	/* first shootable cell 1.75 m; 28 mm focuses from 0.24 m (catalog),
	 * 1.524 m gap: the exact closest distance is 1.764 m */
	cr_assert_float_eq(vpm_chart_column_closest_m(&c, 0, VPM_CHART_FOCUS_SUBJECT, 1.524, 0.24),
			   1.764, 1e-12);
	cr_assert_float_eq(vpm_chart_column_closest_m(&c, 0, VPM_CHART_FOCUS_SUBJECT, 1.524, 0.0),
			   1.75, 1e-12); /* 4f = 0.112 m: the cell's edge */
	cr_assert_float_eq(vpm_chart_column_closest_m(&c, 0, VPM_CHART_FOCUS_BACK_OF_DOF, 1.524,
						      0.24),
			   1.75, 1e-12);
	cr_assert_eq(vpm_chart_column_zones(&c, 0, 1.764, z, 4, &n), VPM_OK);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(z[0].from_m, 1.764, 1e-12); /* raised to the closest */
	cr_assert_float_eq(z[0].to_m, 1.9, 1e-12);
	cr_assert(z[0].at_closest && !z[0].to_top);
	cr_assert_float_eq(z[1].from_m, 2.35, 1e-12); /* the lone row at 2.05 m is skipped */
	cr_assert_float_eq(z[1].to_m, 2.65, 1e-12);
	cr_assert(!z[1].at_closest && !z[1].to_top);
	cr_assert_float_eq(z[2].from_m, 2.8, 1e-12);
	cr_assert_float_eq(z[2].to_m, 3.1, 1e-12); /* the lone top row is skipped too */
	cr_assert(!z[2].to_top);
	cr_assert_eq(vpm_chart_column_zones(&c, 0, NAN, z, 1, &n), VPM_OK);
	cr_assert_eq(n, 3, "counted beyond max");
	cr_assert_float_eq(z[0].from_m, 1.75, 1e-12); /* closest unknown: the cell's edge */
	/* the marker: the top of the zone at the closest distance */
	m = vpm_chart_column_mark_m(&c, 0, &from);
	cr_assert_float_eq(m, 1.9, 1e-12);
	cr_assert_eq(from, 0);
	/* without it (first shootable row caution), the zone reaching the top */
	cells[1].risk = VPM_RISK_CAUTION;
	cells[10].risk = VPM_RISK_SAFE;
	m = vpm_chart_column_mark_m(&c, 0, &from);
	cr_assert_float_eq(m, 2.8, 1e-12);
	cr_assert_eq(from, 1);
	cr_assert_eq(vpm_chart_column_zones(&c, 0, 1.764, z, 4, &n), VPM_OK);
	cr_assert_eq(n, 2);
	cr_assert(z[1].to_top);
	cr_assert_float_eq(z[1].from_m, 2.8, 1e-12);
	/* a top zone narrower than 0.2 m is no marker */
	for (j = 8; j < 11; j++)
		cells[j].risk = VPM_RISK_CAUTION;
	m = vpm_chart_column_mark_m(&c, 0, &from);
	cr_assert(isnan(m));
	cr_assert_eq(from, 0);
	cr_assert(isnan(vpm_chart_column_mark_m(&c, 1, &from)));
	cr_assert_eq(vpm_chart_column_zones(&c, 1, NAN, z, 4, &n), VPM_EINVAL);
	cr_assert_eq(vpm_chart_column_zones(&c, 0, NAN, NULL, 4, &n), VPM_EINVAL);
}

Test(chart_lib, runs_of_safe_cells)
{
	/* a hand-made column: safe, safe, caution, safe, not possible, safe, safe */
	static const int risk[7] = { 0, 0, 1, 0, -1, 0, 0 };
	vpm_chart_cell_t cells[7];
	double wall[7];
	double focal = 35.0;
	vpm_chart_t c = { 1, 7, &focal, wall, 2.0, 5.5, cells };
	vpm_chart_run_t runs[4];
	size_t n = 99, j;

	memset(cells, 0, sizeof cells);
	for (j = 0; j < 7; j++) {
		wall[j] = 2.0 + 0.5 * (j + 0.5);
		cells[j].state = risk[j] < 0 ? VPM_CELL_CLOSE_FOCUS : VPM_CELL_OK;
		cells[j].risk = risk[j] < 0 ? VPM_RISK_SAFE : (vpm_risk_t)risk[j];
	}
	cr_assert_eq(vpm_chart_column_runs(&c, 0, VPM_RISK_SAFE, runs, 4, &n), VPM_OK);
	cr_assert_eq(n, 3);
	cr_assert_float_eq(runs[0].from_m, 2.0, 1e-12);
	cr_assert_float_eq(runs[0].to_m, 3.0, 1e-12);
	cr_assert_eq(runs[0].rows, 2);
	cr_assert_float_eq(runs[1].from_m, 3.5, 1e-12);
	cr_assert_float_eq(runs[1].to_m, 4.0, 1e-12);
	cr_assert_float_eq(runs[2].from_m, 4.5, 1e-12);
	cr_assert_float_eq(runs[2].to_m, 5.5, 1e-12);
	/* caution or better: the first three rows join */
	cr_assert_eq(vpm_chart_column_runs(&c, 0, VPM_RISK_CAUTION, runs, 1, &n), VPM_OK);
	cr_assert_eq(n, 2, "counted beyond max");
	cr_assert_float_eq(runs[0].to_m, 4.0, 1e-12);
	cr_assert_eq(vpm_chart_column_runs(&c, 1, VPM_RISK_SAFE, runs, 4, &n), VPM_EINVAL);
	cr_assert_eq(vpm_chart_column_runs(&c, 0, VPM_RISK_SAFE, NULL, 4, &n), VPM_EINVAL);
	cr_assert_float_eq(vpm_chart_column_first_m(&c, 0), 2.0, 1e-12);
	cr_assert(isnan(vpm_chart_column_first_m(&c, 3)));
	cr_assert_str_eq(vpm_chart_cell_state_name(VPM_CELL_DOF), "dof");
}

/* ================================================================ the command */

TestSuite(chart_cli, .fini = tu_cleanup_tmpdir);

Test(chart_lib, columns_of_a_range_and_of_lenses)
{
	vpm_setup_t base = vpm_setup_default();
	vpm_chart_column_t cols[3];
	vpm_lens_t l[2];
	const vpm_lens_t *lp[2] = { &l[0], &l[1] };

	base.stop = 2.8;
	base.lens_mtf_n = 2;
	/* 15 to 135 mm in three log cells: 15·9^(1/6) = 15·3^(1/3) = 21.6337,
	 * 15·9^(1/2) = 45, 15·9^(5/6) = 15·3^(5/3) = 93.603772 */
	cr_assert_eq(vpm_chart_columns_range(&base, 15.0, 135.0, 3, cols), VPM_OK);
	cr_assert_float_eq(cols[0].setup.focal_mm, 21.633744, 1e-6);
	cr_assert_float_eq(cols[1].setup.focal_mm, 45.0, 1e-12);
	cr_assert_float_eq(cols[2].setup.focal_mm, 93.603772, 1e-6);
	cr_assert_eq(cols[1].setup.lens_mtf_n, 0);
	cr_assert_eq(cols[1].setup.stop, 2.8);
	cr_assert(cols[2].close_focus_m == 0.0 && cols[2].widest_stop == 0.0 &&
		  cols[2].narrowest_stop == 0.0);
	cr_assert_eq(vpm_chart_columns_range(&base, 135.0, 15.0, 3, cols), VPM_EINVAL);
	cr_assert_eq(vpm_chart_columns_range(&base, 15.0, 135.0, 0, cols), VPM_EINVAL);

	memset(l, 0, sizeof l);
	l[0].focal_mm = 32.0;
	l[0].max_t = 2.1;
	l[0].min_t = 22.0;
	l[0].close_focus_m = 0.24;
	l[1].focal_mm = 85.0;
	l[1].max_t = 2.9;
	l[1].min_t = 16.0;
	l[1].close_focus_m = 0.965;
	cr_assert_eq(vpm_chart_columns_lenses(&base, lp, 2, cols), VPM_OK);
	cr_assert_eq(cols[0].setup.focal_mm, 32.0);
	cr_assert_eq(cols[1].setup.focal_mm, 85.0);
	cr_assert_eq(cols[1].setup.lens_mtf_n, 0); /* the lens's (none), not the base's */
	cr_assert_eq(cols[0].close_focus_m, 0.24);
	cr_assert_eq(cols[1].widest_stop, 2.9);
	cr_assert_eq(cols[1].narrowest_stop, 16.0);
	lp[1] = NULL;
	cr_assert_eq(vpm_chart_columns_lenses(&base, lp, 2, cols), VPM_EINVAL);
}

Test(chart_lib, csv_rows_of_a_tiny_chart)
{
	vpm_chart_cell_t cells[2];
	double wall[2] = { 2.25, 2.75 }, focal = 28.0;
	vpm_chart_t c = { 1, 2, &focal, wall, 2.0, 3.0, cells };
	vpm_lens_t l;
	const vpm_lens_t *lp[1] = { &l };
	char text[2048];
	size_t len;
	FILE *fp = tmpfile();

	cr_assert_not_null(fp);
	memset(cells, 0, sizeof cells);
	memset(&l, 0, sizeof l);
	l.name = "zeiss-cp3-28";
	cells[0].state = VPM_CELL_CLOSE_FOCUS;
	cells[0].wall_m = 2.25;
	cells[0].focus_m = NAN;
	cells[0].subject_near_m = cells[0].subject_far_m = NAN;
	cells[0].moire_visibility = cells[0].grid_visibility = cells[0].visibility = NAN;
	cells[0].wall_blur_mm = cells[0].wall_blur_pitches = NAN;
	cells[0].dof_near_m = cells[0].dof_far_m = NAN;
	cells[1].state = VPM_CELL_OK;
	cells[1].wall_m = 2.75;
	cells[1].focus_m = 1.226;
	cells[1].subject_near_m = cells[1].subject_far_m = 1.226;
	cells[1].moire_visibility = 0.25;
	cells[1].grid_visibility = 1.5;
	cells[1].visibility = 1.5;
	cells[1].risk = VPM_RISK_CAUTION;
	cells[1].wall_blur_mm = 0.125;
	cells[1].wall_blur_pitches = 6.5;
	cells[1].dof_near_m = 1.125;
	cells[1].dof_far_m = INFINITY;
	cr_assert_eq(vpm_chart_write_csv_header(fp), VPM_OK);
	cr_assert_eq(vpm_chart_write_csv(fp, 3, "aoto-rm1.5", NULL, lp, &c, 2.8), VPM_OK);
	rewind(fp);
	len = fread(text, 1, sizeof text - 1, fp);
	text[len] = '\0';
	fclose(fp);
	/* absent numbers (NaN, infinity) are empty fields; the camera NULL
	 * too; the risk only where the cell has a verdict */
	cr_assert_str_eq(text,
			 "page,panel,camera,lens,focal_mm,stop,wall_m,focus_m,subject_near_m,"
			 "subject_far_m,state,moire_visibility,grid_visibility,visibility,risk,"
			 "wall_blur_mm,wall_blur_pitches,dof_near_m,dof_far_m\n"
			 "3,aoto-rm1.5,,zeiss-cp3-28,28,2.7999999999999998,2.25,,,,close-focus,,,,"
			 ",,,,\n"
			 "3,aoto-rm1.5,,zeiss-cp3-28,28,2.7999999999999998,2.75,1.226,1.226,1.226,"
			 "ok,0.25,1.5,1.5,caution,0.125,6.5,1.125,\n");
	cr_assert_eq(vpm_chart_write_csv(NULL, 1, NULL, NULL, NULL, &c, 2.8), VPM_EINVAL);
}

Test(chart_cli, pages_axis_titles_and_the_rig)
{
	char cmd[8192], *txt, *info;
	tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T2.8 --stop T4 "
				"--cells 24 -o chart.pdf");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Page 2: T4"), "%s", r.out);
	cr_assert(strstr(r.out, "wrote chart.pdf (2 pages)"), "%s", r.out);
	cr_assert(tu_exists(tu_tmp("chart.pdf")));
	if (!tu_have("pdfinfo") || !tu_have("pdftotext")) {
		tu_run_free(&r);
		cr_skip_test("poppler-utils (pdfinfo, pdftotext) is not installed");
	}
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", tu_tmp("chart.pdf"));
	info = tu_capture(cmd);
	cr_assert(strstr(info, "Pages:           2"), "%s", info);
	snprintf(cmd, sizeof cmd, "pdftotext '%s' -", tu_tmp("chart.pdf"));
	txt = tu_capture(cmd);
	cr_assert(strstr(txt, "Focal length (mm)"), "no x axis title");
	cr_assert(strstr(txt, "Camera (sensor) to wall (m)"), "no metre axis title");
	cr_assert(strstr(txt, "Camera (sensor) to wall (ft)"), "no feet axis title");
	cr_assert(strstr(txt, "AOTO RM1.5"), "no panel name");
	cr_assert(strstr(txt, "URSA Mini Pro 4.6K G2"), "no camera name");
	cr_assert(strstr(txt, "ZEISS CP.3"), "no lens series");
	cr_assert(strstr(txt, "Safe-shot chart at T2.8"));
	cr_assert(strstr(txt, "Safe-shot chart at T4"));
	/* the footer states every assumption */
	cr_assert(strstr(txt, "Assumptions:"));
	cr_assert(strstr(txt, "vpmoire " PACKAGE_VERSION " analytic predictor"));
	cr_assert(strstr(txt, "CoC: 0.025 mm"));
	cr_assert(strstr(txt, "caution from V = 1, risky from V = 3"));
	cr_assert(strstr(txt, "1.52 m (5' 0\") in front of the wall"));
	/* the 15 mm opens only to T2.9: not at T2.8 */
	cr_assert(strstr(txt, "opens only to T2.9"));
	free(info);
	free(txt);
	tu_run_free(&r);
}

/* One CSV row of --chart-data, split at commas (no quoted fields here). */
typedef struct {
	char panel[64], camera[64], lens[64], state[16], risk[16];
	char focal[40], stop[40], wall[40], focus[40];
	double moire, grid;
} row_t;

static int parse_row(char *line, row_t *r)
{
	char *f[19];
	int n = 0;
	char *p = line;

	while (n < 19) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n != 19)
		return 0;
	snprintf(r->panel, sizeof r->panel, "%s", f[1]);
	snprintf(r->camera, sizeof r->camera, "%s", f[2]);
	snprintf(r->lens, sizeof r->lens, "%s", f[3]);
	snprintf(r->focal, sizeof r->focal, "%s", f[4]);
	snprintf(r->stop, sizeof r->stop, "%s", f[5]);
	snprintf(r->wall, sizeof r->wall, "%s", f[6]);
	snprintf(r->focus, sizeof r->focus, "%s", f[7]);
	snprintf(r->state, sizeof r->state, "%s", f[10]);
	r->moire = strtod(f[11], NULL);
	r->grid = strtod(f[12], NULL);
	snprintf(r->risk, sizeof r->risk, "%s", f[14]);
	return 1;
}

static double json_number(const char *json, const char *key)
{
	char k[96];
	const char *p;

	snprintf(k, sizeof k, "\"%s\": ", key);
	p = strstr(json, k);
	cr_assert_not_null(p, "no %s in %s", key, json);
	return strtod(p + strlen(k), NULL);
}

/* Pick `count` random shootable cells of a --chart-data file (fixed seed)
 * and run `vpmoire check --json` with the same set-up for each. */
static void cells_agree_with_check(const char *csv_name, const char *extra, int count,
				   unsigned seed)
{
	char *csv = tu_slurp(tu_tmp(csv_name)), *line, *save = NULL;
	char **ok = NULL;
	size_t nok = 0, cap = 0;
	int k;

	cr_assert_not_null(csv);
	line = strtok_r(csv, "\n", &save); /* header */
	cr_assert(strncmp(line, "page,panel,camera,lens,focal_mm,stop,wall_m,focus_m", 51) == 0,
		  "%s", line);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		if (strstr(line, ",ok,") == NULL)
			continue;
		if (nok == cap) {
			cap = cap ? 2 * cap : 256;
			ok = realloc(ok, cap * sizeof *ok);
		}
		ok[nok++] = line;
	}
	cr_assert_gt(nok, (size_t)count, "only %zu shootable cells", nok);
	srand(seed);
	for (k = 0; k < count; k++) {
		char buf[1024], args[2048];
		row_t row;
		tu_run_t r;
		size_t pick = (size_t)rand() % nok;

		snprintf(buf, sizeof buf, "%s", ok[pick]);
		cr_assert(parse_row(buf, &row));
		if (row.lens[0])
			snprintf(args, sizeof args,
				 "check --panel %s --camera %s --lens %s --stop %s --wall %s --focus %s "
				 "--json %s",
				 row.panel, row.camera, row.lens, row.stop, row.wall, row.focus,
				 extra);
		else
			snprintf(args, sizeof args,
				 "check --panel %s --camera %s --focal %s --stop %s --wall %s --focus %s "
				 "--json %s",
				 row.panel, row.camera, row.focal, row.stop, row.wall, row.focus,
				 extra);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 0, "%s: %s", args, r.err);
		/* both print %.10g of the same double */
		cr_assert_float_eq(json_number(r.out, "moire_visibility"), row.moire,
				   1e-9 * fmax(1.0, row.moire), "%s", args);
		cr_assert_float_eq(json_number(r.out, "grid_visibility"), row.grid,
				   1e-9 * fmax(1.0, row.grid), "%s", args);
		snprintf(buf, sizeof buf, "\"risk\": \"%s\"", row.risk);
		cr_assert(strstr(r.out, buf), "%s: %s", args, r.out);
		tu_run_free(&r);
	}
	free(ok);
	free(csv);
}

Test(chart_cli, random_cells_agree_with_check, .timeout = 120)
{
	tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T2.1 --stop T4 "
				"--cells 40 --chart-data cells.csv -q");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_eq(r.out[0], '\0', "-q prints nothing: %s", r.out);
	/* 2 stops × 40 rows × 10 lenses, plus the header */
	{
		char *csv = tu_slurp(tu_tmp("cells.csv"));
		cr_assert_eq(tu_lines(csv), 801);
		cr_assert(strstr(csv, ",stop,"), "the CP.3 15 mm has no T2.1");
		free(csv);
	}
	cells_agree_with_check("cells.csv", "", 10, 20251125u);
	tu_run_free(&r);
}

Test(chart_cli, continuous_range_and_back_of_dof_cells_agree_with_check, .timeout = 120)
{
	tu_run_t r = tu_vpmoire("chart " RIG " --focal-range 18:110 --stop T2.8 --cells 23x17 "
				"--wall-range 1.8m:6m --subject-gap 1.2m --tolerance 0.05 "
				"--chart-data cont.csv -q");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cells_agree_with_check("cont.csv", "--tolerance 0.05", 6, 7u);
	tu_run_free(&r);
	r = tu_vpmoire("chart " RIG " --lens zeiss-cp3-35 --lens zeiss-cp3-25 --stop T4 --cells 15 "
		       "--focus-rule back-of-dof --subject-depth 0.1m --chart-data dof.csv -q");
	cr_assert_eq(r.status, 0, "%s", r.err);
	cells_agree_with_check("dof.csv", "", 6, 11u);
	tu_run_free(&r);
}

/* Compare two images: the fraction of pixels that differ by more than 40 in
 * a channel, and the mean absolute channel difference. */
static void compare(cairo_surface_t *a, cairo_surface_t *b, double *frac_bad, double *mean)
{
	int w = cairo_image_surface_get_width(a), h = cairo_image_surface_get_height(a);
	int sa = cairo_image_surface_get_stride(a), sb = cairo_image_surface_get_stride(b);
	const unsigned char *da, *db;
	int x, y, c, bad = 0;
	double sum = 0.0;

	cr_assert_eq(w, cairo_image_surface_get_width(b));
	cr_assert_eq(h, cairo_image_surface_get_height(b));
	cairo_surface_flush(a);
	cairo_surface_flush(b);
	da = cairo_image_surface_get_data(a);
	db = cairo_image_surface_get_data(b);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint32_t pa = *(const uint32_t *)(da + y * sa + 4 * x);
			uint32_t pb = *(const uint32_t *)(db + y * sb + 4 * x);
			int worst = 0;

			for (c = 0; c < 24; c += 8) {
				int d = abs((int)((pa >> c) & 255) - (int)((pb >> c) & 255));
				sum += d;
				if (d > worst)
					worst = d;
			}
			bad += worst > 40;
		}
	}
	*frac_bad = (double)bad / (w * h);
	*mean = sum / (3.0 * w * h);
}

Test(chart_cli, golden_png_of_a_tiny_chart)
{
	char golden[4200];
	const char *update = getenv("VPM_UPDATE_GOLDEN");
	cairo_surface_t *now, *ref, *other;
	double bad, mean;
	tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T2.8 --cells 24 "
				"--dpi 40 --model ideal -q -o tiny.png");

	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	snprintf(golden, sizeof golden, "%s/tests/golden/chart-tiny.png", tu_srcdir());
	if (update && *update == '1') {
		char cmd[8400];
		snprintf(cmd, sizeof cmd, "cp '%s' '%s'", tu_tmp("tiny.png"), golden);
		cr_assert_eq(system(cmd), 0);
	}
	now = cairo_image_surface_create_from_png(tu_tmp("tiny.png"));
	ref = cairo_image_surface_create_from_png(golden);
	cr_assert_eq(cairo_surface_status(now), CAIRO_STATUS_SUCCESS);
	cr_assert_eq(cairo_surface_status(ref), CAIRO_STATUS_SUCCESS,
		     "cannot read %s (VPM_UPDATE_GOLDEN=1 writes it)", golden);
	/* A4 landscape at 40 dpi */
	cr_assert_eq(cairo_image_surface_get_width(now), 468);
	cr_assert_eq(cairo_image_surface_get_height(now), 331);
	/* tolerance for antialiasing and font hinting differences */
	compare(now, ref, &bad, &mean);
	cr_assert_lt(bad, 0.01, "%.2f%% of the pixels differ", 100 * bad);
	cr_assert_lt(mean, 2.0, "mean difference %g", mean);
	/* the comparison notices another stop */
	r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T4 --cells 24 --dpi 40 -q "
		       "--model ideal -o other.png");
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	other = cairo_image_surface_create_from_png(tu_tmp("other.png"));
	compare(other, ref, &bad, &mean);
	cr_assert_gt(bad, 0.02, "a different chart passed: %.2f%% bad", 100 * bad);
	cairo_surface_destroy(now);
	cairo_surface_destroy(ref);
	cairo_surface_destroy(other);
}

Test(chart_cli, png_and_svg_write_one_file_per_page)
{
	tu_run_t r;

	/* under --enable-sanitizers: unwind through cairo (no frame pointers)
	 * so that tests/lsan.supp can name the SVG renderer; see there */
	tu_asan_full_unwind();
	r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T2.8 --stop T4 "
		       "--cells 12 --dpi 30 -q -o pages.png -o pages.svg");

	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(tu_exists(tu_tmp("pages.png")));
	cr_assert(tu_exists(tu_tmp("pages-2.png")));
	cr_assert(tu_exists(tu_tmp("pages.svg")));
	cr_assert(tu_exists(tu_tmp("pages-2.svg")));
	cr_assert(!tu_exists(tu_tmp("pages-3.png")));
	tu_run_free(&r);
}

Test(chart_cli, bad_flags_exit_2_and_write_nothing)
{
	static const char *bad[][2] = {
		{ "--series 'ZEISS CP.3' --cells 1x1", "--cells" },
		{ "--series 'ZEISS CP.3' --cells 20x", "--cells" },
		{ "--series 'ZEISS CP.3' --stop T0", "--stop" },
		{ "--series 'ZEISS CP.3' --focus-rule middle", "--focus-rule" },
		{ "--series 'ZEISS CP.9'", "--series" },
		{ "--stop T2.8", "give the lenses" },
		{ "--focal 28 --stop T2.8", "--focal" },
		{ "--focal-range 50:20 --stop T2.8", "--focal-range" },
		{ "--series 'ZEISS CP.3' --wall-range 5m:2m", "--wall-range" },
		{ "--series 'ZEISS CP.3' --wall 3m", "--wall" },
		{ "--series 'ZEISS CP.3' --subject-gap -1m", "--subject-gap" },
		{ "--series 'ZEISS CP.3' --colours rainbow", "--colours" },
		{ "--series 'ZEISS CP.3' --paper a3", "--paper" },
		{ "--series 'ZEISS CP.3' --frobnicate", "--frobnicate" },
		{ "--series 'ZEISS CP.3' --focus-rule back-of-dof --subject-depth 4m",
		  "--subject-depth" },
		{ "--focal-range 20:80", "--stop is required" },
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char args[1024];
		tu_run_t r;

		snprintf(args, sizeof args, "chart " RIG " %s -o bad.pdf --chart-data bad.csv",
			 bad[i][0]);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%s: exit %d, %s", args, r.status, r.err);
		cr_assert(strstr(r.err, bad[i][1]), "%s: %s", args, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "one line: %s", r.err);
		cr_assert(!tu_exists(tu_tmp("bad.pdf")), "%s left a PDF", args);
		cr_assert(!tu_exists(tu_tmp("bad.csv")), "%s left a CSV", args);
		tu_run_free(&r);
	}
	{
		/* an output with an unknown extension, before anything is computed */
		tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' -o chart.txt");
		cr_assert_eq(r.status, 2);
		cr_assert(strstr(r.err, "chart.txt"));
		tu_run_free(&r);
	}
	{
		/* a directory that does not exist: a runtime failure, nothing left */
		tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --cells 8 -q "
					"-o no/such/dir/chart.pdf");
		cr_assert_eq(r.status, 1, "%s", r.err);
		tu_run_free(&r);
	}
}

/* Issue 14: two outputs that are one file (a page of one output named as
 * another output, the same file by another name, --chart-data over an -o
 * file) wrote one over the other.  Refused before anything is written. */
Test(chart_cli, outputs_that_are_one_file_are_refused_before_writing)
{
	static const char *bad[][2] = {
		/* two pages: page 2 of c.png is c-2.png */
		{ "--stop T2.8 --stop T4 -o c.png -o c-2.png",
		  "page 2 of 'c.png' is written to c-2.png" },
		{ "--stop T2.8 --stop T4 -o c-2.svg -o c.svg", "page 2 of 'c.svg' is written to" },
		{ "--stop T2.8 -o c.pdf -o ./c.pdf", "'c.pdf' and './c.pdf' are the same file" },
		{ "--stop T2.8 -o c.pdf -o sub/../c.pdf", "are the same file" },
		{ "--stop T2.8 -o c.pdf --chart-data ./c.pdf",
		  "--chart-data: './c.pdf' is also written" },
		{ "--stop T2.8 --stop T4 -o c.png --chart-data c-2.png",
		  "--chart-data: 'c-2.png'" },
		/* an existing file by a symbolic link */
		{ "--stop T2.8 -o old.pdf -o link.pdf", "are the same file" },
	};
	size_t i;
	char cmd[4400];

	mkdir(tu_tmp("sub"), 0777);
	tu_write("old.pdf", "previous\n");
	snprintf(cmd, sizeof cmd, "ln -sf old.pdf '%s'", tu_tmp("link.pdf"));
	cr_assert_eq(system(cmd), 0);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char args[1024];
		tu_run_t r;
		char *prev;

		snprintf(args, sizeof args, "chart " RIG " --series 'ZEISS CP.3' --cells 8 -q %s",
			 bad[i][0]);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%s: exit %d, %s", args, r.status, r.err);
		cr_assert(strstr(r.err, bad[i][1]), "%s: %s", args, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "one line: %s", r.err);
		cr_assert(!tu_exists(tu_tmp("c.png")) && !tu_exists(tu_tmp("c-2.png")) &&
				  !tu_exists(tu_tmp("c.pdf")) && !tu_exists(tu_tmp("c.svg")) &&
				  !tu_exists(tu_tmp("c-2.svg")),
			  "%s wrote a file", args);
		prev = tu_slurp(tu_tmp("old.pdf"));
		cr_assert_str_eq(prev, "previous\n");
		free(prev);
		tu_run_free(&r);
	}
	{
		/* one page: c.png and c-2.png are two files, both written */
		tu_run_t r = tu_vpmoire("chart " RIG " --series 'ZEISS CP.3' --stop T2.8 --cells 8 "
					"--dpi 30 -q -o c.png -o c-2.png --chart-data c.csv");
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert(tu_exists(tu_tmp("c.png")) && tu_exists(tu_tmp("c-2.png")) &&
			  tu_exists(tu_tmp("c.csv")));
		tu_run_free(&r);
	}
}

Test(chart_cli, help_names_the_flags)
{
	tu_run_t r = tu_vpmoire("chart --help");

	cr_assert_eq(r.status, 0);
	cr_assert(strstr(r.out, "--series"));
	cr_assert(strstr(r.out, "--focus-rule"));
	cr_assert(strstr(r.out, "--cells"));
	cr_assert(strstr(r.out, "--chart-data"));
	cr_assert(strstr(r.out, "--panel NAME"), "the shared equipment flags");
	tu_run_free(&r);
}

/* A zoom's columns (issue 19): its range on the log axis, its close focus,
 * its squeeze, and per column the ramp's widest stop.  Zoom 20-180 mm,
 * T2.8 to T4: in three cells the middle column is 20·9^(1/2) = 60 mm,
 * where the ramp gives T2.8 + 1.2 × 40/160 = T3.1. */
Test(chart_lib, columns_of_a_zoom_follow_its_stop_ramp)
{
	vpm_setup_t base = vpm_setup_default();
	vpm_chart_column_t cols[3];
	vpm_lens_t z;

	memset(&z, 0, sizeof z);
	z.name = "zoom-20-180";
	z.focal_mm = 20.0;
	z.focal_max_mm = 180.0;
	z.max_t = 2.8;
	z.max_t_long = 4.0;
	z.min_t = 22.0;
	z.close_focus_m = 0.9;
	z.squeeze = 1.8;
	base.stop = 4.0;
	cr_assert_eq(vpm_chart_columns_zoom(&base, &z, 3, cols), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(cols[1].setup.focal_mm, 60.0, 1e-12);
	cr_assert_float_eq(cols[1].widest_stop, 3.1, 1e-12);
	cr_assert_eq(cols[1].narrowest_stop, 22.0);
	cr_assert_eq(cols[1].close_focus_m, 0.9);
	cr_assert_eq(cols[1].setup.squeeze, 1.8);
	/* 20·9^(5/6) = 124.807 mm: T2.8 + 1.2 × 104.807/160 = T3.586 */
	cr_assert_float_eq(cols[2].widest_stop,
			   2.8 + 1.2 * (20.0 * pow(9.0, 5.0 / 6.0) - 20.0) / 160.0, 1e-12);
	z.focal_max_mm = 0.0; /* a prime is not a zoom */
	cr_assert_eq(vpm_chart_columns_zoom(&base, &z, 3, cols), VPM_EINVAL);
	cr_assert_eq(vpm_chart_columns_zoom(&base, NULL, 3, cols), VPM_EINVAL);
}

/* ================================================================ planning */

static vpm_catalog_t *plan_cat;

static void plan_setup(void)
{
	char dir[4096];

	plan_cat = vpm_catalog_alloc();
	cr_assert_not_null(plan_cat);
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cr_assert_eq(vpm_catalog_load_dir(plan_cat, dir), VPM_OK, "%s", vpm_error_message());
}

static void plan_teardown(void)
{
	vpm_catalog_free(plan_cat);
	plan_cat = NULL;
}

/* A refused request: its status and the whole message. */
static void assert_refused(const vpm_chart_request_t *rq, vpm_status_t want, const char *msg)
{
	vpm_chart_plan_t *plan = (vpm_chart_plan_t *)1;

	cr_assert_eq(vpm_chart_plan(plan_cat, rq, &plan), want, "%s", vpm_error_message());
	cr_assert_null(plan);
	cr_assert_str_eq(vpm_error_message(), msg);
}

/* The ten CP.3 primes (models/lenses.csv): 15 and 18 mm open to T2.9, the
 * rest to T2.1, so the first lens's widest stop, T2.9, is the default. */
Test(chart_plan, a_series_is_one_column_per_lens_by_focal_length, .init = plan_setup,
     .fini = plan_teardown)
{
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;
	size_t i;

	rq.series = "cp3";
	rq.sheets = 3;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_eq(vpm_error_message(), "");
	cr_assert_eq(plan->n_lenses, 10);
	cr_assert_eq(plan->nx, 10);
	cr_assert_eq(plan->ny, 200);
	cr_assert_eq(plan->continuous, 0);
	cr_assert_null(plan->zoom);
	cr_assert_eq(plan->n_marks, 0);
	cr_assert_str_eq(plan->series_name, "ZEISS CP.3");
	for (i = 0; i < plan->nx; i++) {
		if (i > 0)
			cr_assert_lt(plan->lenses[i - 1]->focal_mm, plan->lenses[i]->focal_mm);
		cr_assert_eq(plan->column_lenses[i], plan->lenses[i]);
		cr_assert_eq(plan->csv_lenses[i], plan->lenses[i]);
	}
	cr_assert_eq(plan->lenses[0]->focal_mm, 15.0);
	cr_assert_eq(plan->n_stops, 1);
	cr_assert_eq(plan->stops[0], 2.9);
	cr_assert_eq(plan->pages, 3);
	/* the default rows for the 5 ft gap: floor(2 × 1.524) / 2 = 1.5 m up
	 * to ceil(1.524 + 5) = 7 m */
	cr_assert_eq(plan->wall_min_m, 1.5);
	cr_assert_eq(plan->wall_max_m, 7.0);
	vpm_chart_plan_free(plan);

	/* a 2.74 m gap: floor(5.48) / 2 = 2.5 m to ceil(7.74) = 8 m; a
	 * 0.2 m gap: no lower than 0.5 m, to ceil(5.2) = 6 m */
	rq.subject_gap_m = 2.74;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->wall_min_m, 2.5);
	cr_assert_eq(plan->wall_max_m, 8.0);
	vpm_chart_plan_free(plan);
	rq.subject_gap_m = 0.2;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->wall_min_m, 0.5);
	cr_assert_eq(plan->wall_max_m, 6.0);
	vpm_chart_plan_free(plan);
	/* rows given are kept */
	rq.wall_min_m = 1.37;
	rq.wall_max_m = 5.93;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->wall_min_m, 1.37);
	cr_assert_eq(plan->wall_max_m, 5.93);
	vpm_chart_plan_free(plan);
	vpm_chart_plan_free(NULL);
}

/* Lenses given by name are sorted, and the stops given are the pages. */
Test(chart_plan, lenses_by_name_and_stops_given, .init = plan_setup, .fini = plan_teardown)
{
	const char *names[] = { "zeiss-cp3-85", "zeiss-cp3-28", "zeiss-cp3-50" };
	const double stops[] = { 2.8, 4.0, 5.6 };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;
	vpm_chart_spec_t spec;
	vpm_setup_t base = reference_setup(28.0, 2.8);

	rq.lens_names = names;
	rq.n_lens_names = 3;
	rq.stops = stops;
	rq.n_stops = 3;
	rq.ny = 37;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->nx, 3);
	cr_assert_null(plan->series_name);
	cr_assert_str_eq(plan->lenses[0]->name, "zeiss-cp3-28");
	cr_assert_str_eq(plan->lenses[1]->name, "zeiss-cp3-50");
	cr_assert_str_eq(plan->lenses[2]->name, "zeiss-cp3-85");
	cr_assert_eq(plan->n_stops, 3);
	cr_assert_eq(plan->pages, 3);
	cr_assert_eq(vpm_chart_plan_columns(plan, &base), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->columns[2].setup.focal_mm, 85.0);
	cr_assert_eq(plan->columns[2].close_focus_m, 1.0);
	cr_assert_eq(vpm_chart_plan_spec(plan, 1, &spec), VPM_OK);
	cr_assert_eq(spec.columns, plan->columns);
	cr_assert_eq(spec.nx, 3);
	cr_assert_eq(spec.ny, 37);
	cr_assert_eq(spec.wall_min_m, 1.5);
	cr_assert_eq(spec.wall_max_m, 7.0);
	cr_assert_eq(spec.subject_gap_m, 1.524);
	cr_assert_eq(spec.focus_steps, 16);
	cr_assert_eq(plan->columns[0].setup.stop, 4.0);
	cr_assert_eq(plan->columns[2].setup.stop, 4.0);
	cr_assert_eq(vpm_chart_plan_spec(plan, 3, &spec), VPM_EINVAL);
	cr_assert_eq(vpm_chart_plan_columns(plan, NULL), VPM_EINVAL);
	vpm_chart_plan_free(plan);
}

/* A zoom alone spans its range; its default stop is the ramp's long end
 * (Premista 80-250: T2.9 to T3.5), or its widest without a ramp
 * (Premista 28-100: T2.9). */
Test(chart_plan, a_zoom_alone_is_its_range_at_its_long_end_stop, .init = plan_setup,
     .fini = plan_teardown)
{
	const char *names[] = { "fujinon-premista-80-250" };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;
	vpm_chart_spec_t spec;
	vpm_setup_t base = reference_setup(80.0, 3.5);
	size_t i;

	rq.lens_names = names;
	rq.n_lens_names = 1;
	rq.nx = 23;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_not_null(plan->zoom);
	cr_assert_str_eq(plan->zoom->name, "fujinon-premista-80-250");
	cr_assert_eq(plan->continuous, 1);
	cr_assert_eq(plan->focal_lo_mm, 80.0);
	cr_assert_eq(plan->focal_hi_mm, 250.0);
	cr_assert_eq(plan->nx, 23);
	cr_assert_eq(plan->n_stops, 1);
	cr_assert_eq(plan->stops[0], 3.5);
	cr_assert_str_eq(plan->series_name, plan->zoom->series);
	for (i = 0; i < plan->nx; i++) {
		cr_assert_null(plan->column_lenses[i]);
		cr_assert_eq(plan->csv_lenses[i], plan->zoom);
	}
	cr_assert_eq(vpm_chart_plan_columns(plan, &base), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_chart_plan_spec(plan, 0, &spec), VPM_OK);
	/* the columns follow the ramp, the last one nearly at T3.5 */
	cr_assert_lt(plan->columns[0].widest_stop, plan->columns[22].widest_stop);
	cr_assert_leq(plan->columns[22].widest_stop, 3.5);
	cr_assert_eq(plan->columns[22].setup.stop, 3.5);
	vpm_chart_plan_free(plan);

	names[0] = "fujinon-premista-28-100";
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->stops[0], 2.9);
	cr_assert_eq(plan->focal_hi_mm, 100.0);
	vpm_chart_plan_free(plan);
}

/* A series with a focal range: ideal lenses across, the series as marks;
 * a stop must be given. */
Test(chart_plan, a_series_on_a_range_is_marks, .init = plan_setup, .fini = plan_teardown)
{
	const double stop = 2.8;
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;

	rq.series = "ZEISS CP.3";
	rq.focal_lo_mm = 15.0;
	rq.focal_hi_mm = 135.0;
	rq.nx = 41;
	assert_refused(&rq, VPM_EINVAL, "--stop is required with --focal-range (e.g. --stop T2.8)");
	rq.stops = &stop;
	rq.n_stops = 1;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->continuous, 1);
	cr_assert_eq(plan->n_lenses, 0);
	cr_assert_eq(plan->nx, 41);
	cr_assert_eq(plan->n_marks, 10);
	cr_assert_eq(plan->marks[9]->focal_mm, 135.0);
	cr_assert_str_eq(plan->series_name, "ZEISS CP.3");
	cr_assert_null(plan->csv_lenses[0]);
	vpm_chart_plan_free(plan);

	/* no catalog is needed for a range alone */
	rq.series = NULL;
	cr_assert_eq(vpm_chart_plan(NULL, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->n_marks, 0);
	vpm_chart_plan_free(plan);
}

/* Every refusal, with its status and the message `vpmoire chart` prints
 * after "vpmoire chart: " (VPM_EINVAL) or "vpmoire: " (VPM_ENOTFOUND). */
Test(chart_plan, each_refusal_says_why, .init = plan_setup, .fini = plan_teardown)
{
	const char *names[] = { "zeiss-cp3-28", "fujinon-premista-80-250" };
	const char *empty[] = { "" };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;

	assert_refused(&rq, VPM_EINVAL,
		       "give the lenses: --series NAME, --lens NAME or --focal-range A:B");
	rq.series = "ZEISS CP.3";
	rq.lens_names = names;
	rq.n_lens_names = 1;
	assert_refused(&rq, VPM_EINVAL, "give either --series or --lens, not both");
	cr_assert_eq(vpm_chart_request_check(&rq), VPM_EINVAL);
	rq.series = NULL;
	rq.focal_lo_mm = 18.5;
	rq.focal_hi_mm = 97.3;
	assert_refused(&rq, VPM_EINVAL, "give either --lens or --focal-range, not both");
	rq.focal_lo_mm = rq.focal_hi_mm = 0.0;
	rq.rule = VPM_CHART_FOCUS_BACK_OF_DOF;
	rq.subject_gap_m = 1.5;
	rq.subject_depth_m = 3.2;
	assert_refused(&rq, VPM_EINVAL,
		       "--subject-depth: the subject (3.2 m deep, centre 1.5 m from the wall) "
		       "would reach the wall");
	rq.subject_depth_m = 2.99;
	cr_assert_eq(vpm_chart_request_check(&rq), VPM_OK, "%s", vpm_error_message());
	rq.nx = 2001;
	assert_refused(&rq, VPM_EINVAL, "--cells: at most 2000x2000");
	rq.nx = 200;
	rq.ny = 2001;
	assert_refused(&rq, VPM_EINVAL, "--cells: at most 2000x2000");
	rq.ny = 200;
	rq.n_lens_names = 2;
	assert_refused(&rq, VPM_EINVAL,
		       "--lens fujinon-premista-80-250 is a zoom: chart it on its own");
	rq.lens_names = empty;
	rq.n_lens_names = 1;
	assert_refused(&rq, VPM_ENOTFOUND, "--lens: empty lens name");
	rq.lens_names = NULL;
	rq.n_lens_names = 0;
	rq.series = "premista";
	assert_refused(&rq, VPM_ENOTFOUND, "--series: lens series 'premista' is ambiguous");
	rq.series = "NO SUCH";
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_ENOTFOUND);
	cr_assert(strncmp(vpm_error_message(), "--series: unknown lens series 'NO SUCH'", 39) == 0,
		  "%s", vpm_error_message());
	/* a series named needs the catalog */
	cr_assert_eq(vpm_chart_plan(NULL, &rq, &plan), VPM_EINVAL);
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, NULL), VPM_EINVAL);
	cr_assert_eq(vpm_chart_plan(plan_cat, NULL, &plan), VPM_EINVAL);
	cr_assert_eq(vpm_chart_plan_check_memory(NULL), VPM_EINVAL);
}

/* The memory bound: one page of cells (sizeof(vpm_chart_cell_t) each),
 * every page's recording (16 bytes a cell and 4 MiB), and an RGBA raster
 * of an A4 page's long side (297 mm) squared at the PNG resolution. */
Test(chart_plan, a_chart_above_the_memory_limit_is_refused, .init = plan_setup,
     .fini = plan_teardown)
{
	const double stops[] = { 2.1, 2.8 };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;
	double cells = 10.0 * 317.0, side = 297.0 / 25.4 * 217.0, est;
	char msg[512];

	rq.series = "ZEISS CP.3";
	rq.stops = stops;
	rq.n_stops = 2;
	rq.sheets = 3;
	rq.ny = 317;
	rq.raster_dpi = 217.0;
	rq.max_memory_bytes = (size_t)40 << 20;
	est = cells * (double)sizeof(vpm_chart_cell_t) + 6.0 * (cells * 16.0 + 4.0 * 1048576.0) +
	      4.0 * side * side;
	cr_assert_gt(est, 40.0 * 1048576.0);
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(plan->pages, 6);
	cr_assert_float_eq(plan->memory_bytes, est, 1e-6 * est);
	cr_assert_eq(vpm_chart_plan_check_memory(plan), VPM_ELIMIT);
	snprintf(msg, sizeof msg,
		 "the chart needs about %.2f GiB (6 pages of 10 x 317 cells), above "
		 "--max-memory 0.04 GiB: use fewer --cells, stops, panels or cameras, or raise "
		 "--max-memory",
		 est / 1073741824.0);
	cr_assert_str_eq(vpm_error_message(), msg);
	vpm_chart_plan_free(plan);
	/* without the raster it fits; no limit at all always fits */
	rq.raster_dpi = 0.0;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_chart_plan_check_memory(plan), VPM_OK, "%s", vpm_error_message());
	vpm_chart_plan_free(plan);
	rq.raster_dpi = 1200.0;
	rq.max_memory_bytes = 0;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_chart_plan_check_memory(plan), VPM_OK, "%s", vpm_error_message());
	vpm_chart_plan_free(plan);
}

static size_t plan_progress_total, plan_progress_calls;

static void plan_progress(void *ctx, size_t done, size_t total)
{
	(void)done;
	*(int *)ctx = 1;
	plan_progress_total = total;
	plan_progress_calls++;
}

/* A page computed from the plan is the chart of its spec at that stop. */
Test(chart_plan, a_page_is_computed_at_its_stop, .init = plan_setup, .fini = plan_teardown)
{
	const char *names[] = { "zeiss-cp3-28", "zeiss-cp3-85" };
	const double stops[] = { 2.8, 8.0 };
	vpm_chart_request_t rq = vpm_chart_request_default();
	vpm_chart_plan_t *plan = NULL;
	vpm_chart_spec_t spec;
	vpm_chart_t *got = (vpm_chart_t *)1, *want = NULL;
	vpm_setup_t base = reference_setup(28.0, 2.8);
	int seen = 0;
	size_t k;

	rq.lens_names = names;
	rq.n_lens_names = 2;
	rq.stops = stops;
	rq.n_stops = 2;
	rq.ny = 12;
	cr_assert_eq(vpm_chart_plan(plan_cat, &rq, &plan), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_chart_plan_columns(plan, &base), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_chart_plan_compute(plan, 1, 1, plan_progress, &seen, &got), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(plan->columns[0].setup.stop, 8.0);
	cr_assert_eq(seen, 1);
	cr_assert_gt(plan_progress_calls, 0);
	cr_assert_eq(plan_progress_total, 2 * 12);
	cr_assert_eq(got->nx, 2);
	cr_assert_eq(got->ny, 12);
	cr_assert_eq(got->focal_mm[1], 85.0);
	cr_assert_float_eq(got->wall_min_m, 1.5, 1e-12);
	cr_assert_float_eq(got->wall_max_m, 7.0, 1e-12);
	/* the same cells as the spec's own computation at T8 */
	cr_assert_eq(vpm_chart_plan_spec(plan, 1, &spec), VPM_OK);
	spec.threads = 1;
	cr_assert_eq(vpm_chart_compute(&spec, &want), VPM_OK);
	for (k = 0; k < 2 * 12; k++) {
		cr_assert_eq(got->cells[k].state, want->cells[k].state);
		cr_assert_eq(got->cells[k].risk, want->cells[k].risk);
		if (got->cells[k].state == VPM_CELL_OK)
			cr_assert_float_eq(got->cells[k].visibility, want->cells[k].visibility,
					   1e-15);
	}
	/* page 0 is at T2.8: the wall blurs otherwise */
	vpm_chart_free(got);
	cr_assert_eq(vpm_chart_plan_compute(plan, 0, 0, NULL, NULL, &got), VPM_OK);
	cr_assert_eq(plan->columns[1].setup.stop, 2.8);
	for (k = 0, seen = 0; k < 2 * 12; k++)
		if (got->cells[k].state == VPM_CELL_OK && want->cells[k].state == VPM_CELL_OK &&
		    got->cells[k].wall_blur_mm != want->cells[k].wall_blur_mm)
			seen++;
	cr_assert_gt(seen, 0);
	vpm_chart_free(got);
	vpm_chart_free(want);
	got = (vpm_chart_t *)1;
	cr_assert_eq(vpm_chart_plan_compute(plan, 2, 0, NULL, NULL, &got), VPM_EINVAL);
	cr_assert_null(got);
	cr_assert_eq(vpm_chart_plan_compute(plan, 0, 0, NULL, NULL, NULL), VPM_EINVAL);
	vpm_chart_plan_free(plan);
}
