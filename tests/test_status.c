/* Status codes and the per-thread message (lib/vpmoire/status.h): every
 * error sets a message, and a status-returning call that succeeds leaves no
 * message behind, whatever failed before it (issue 13). */
#include <config.h>

#include <criterion/criterion.h>
#include <string.h>

#include "vpmoire/catalog.h"
#include "vpmoire/predict.h"
#include "vpmoire/status.h"
#include "vpmoire/units.h"

/* The bug: a failing call, then a successful one, and the message of the
 * failure was still there, so a caller could print it for the success. */
Test(status, success_after_failure_leaves_no_message)
{
	double m;

	cr_assert_eq(vpm_units_parse_length("3kg", VPM_UNIT_M, 0, &m), VPM_EPARSE);
	cr_assert(strstr(vpm_error_message(), "kg") != NULL, "%s", vpm_error_message());
	cr_assert_eq(vpm_units_parse_length("3.25m", VPM_UNIT_M, 0, &m), VPM_OK);
	cr_assert_str_empty(vpm_error_message());
	cr_assert_float_eq(m, 3.25, 1e-12);
}

/* The same across modules: a catalog miss, then a prediction. */
Test(status, success_in_another_module_clears_the_message)
{
	vpm_catalog_t *cat = vpm_catalog_alloc();
	const vpm_panel_t *p;
	vpm_predict_workspace_t *ws = vpm_predict_workspace_alloc();
	vpm_setup_t s = vpm_setup_default();
	vpm_result_t r;

	cr_assert_not_null(cat);
	cr_assert_not_null(ws);
	cr_assert_neq(vpm_catalog_find_panel(cat, "no-such-panel-2.385", &p), VPM_OK);
	cr_assert_str_not_empty(vpm_error_message());
	/* AOTO RM1.5-like wall, a 4.6K Bayer sensor, 28 mm at T2.8 */
	s.pitch_mm = 1.5625;
	s.emitter_mm = 0.17;
	s.photosite_um = 5.5;
	s.width_px = 4608;
	s.focal_mm = 28.0;
	s.stop = 2.8;
	s.wall_m = 4.35;
	s.focus_m = 2.385;
	cr_assert_eq(vpm_predict(&s, ws, &r), VPM_OK, "%s", vpm_error_message());
	cr_assert_str_empty(vpm_error_message());
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
}

/* A failure after a failure carries its own message, not the first one. */
Test(status, each_failure_has_its_own_message)
{
	double v;

	cr_assert_eq(vpm_units_parse_length("3kg", VPM_UNIT_M, 0, &v), VPM_EPARSE);
	cr_assert_neq(vpm_units_parse_stop("T200", &v), VPM_OK);
	cr_assert(strstr(vpm_error_message(), "kg") == NULL, "%s", vpm_error_message());
	cr_assert(strstr(vpm_error_message(), "200") != NULL, "%s", vpm_error_message());
}

/* vpm_error_set is the public way in (used by the page renderers). */
Test(status, error_set_and_clear)
{
	cr_assert_eq(vpm_error_set(VPM_ERANGE, "value %d of %s", 7, "x"), VPM_ERANGE);
	cr_assert_str_eq(vpm_error_message(), "value 7 of x");
	vpm_error_clear();
	cr_assert_str_empty(vpm_error_message());
	cr_assert_str_eq(vpm_strerror(VPM_OK), "success");
	cr_assert_str_eq(vpm_strerror(VPM_EPARSE), "parse error");
}
