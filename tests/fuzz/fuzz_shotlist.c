/* libFuzzer target: the shotlist reader (lib/shotlist.c over lib/csv.c)
 * and each shot's evaluation on the reference micro stage, as `vpmoire
 * shotlist` does it (lib/frame.c, lib/plan.c, lib/predict.c).
 *
 * Input: byte 0 picks the options (bit 0 keep going, bit 1 a default
 * camera, bit 2 a lens set for bare focal lengths); the rest is the CSV. */
#include <config.h>

#include "fuzz_common.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const vpm_stage_t *micro_stage(void)
{
	static vpm_stage_t stage;
	static int ready;
	vpm_stage_desc_t d;
	const vpm_panel_t *panel;

	if (ready)
		return &stage;
	vpm_stage_desc_init(&d);
	if (vpm_stage_desc_read(&d, VPM_SRC_DATASETS "/stage-micro.stage") != VPM_OK ||
	    vpm_catalog_find_panel(fuzz_catalog(), d.panel, &panel) != VPM_OK ||
	    vpm_stage_build(&d, panel, &stage) != VPM_OK) {
		fprintf(stderr, "fuzz: the micro stage: %s\n", vpm_error_message());
		abort();
	}
	ready = 1;
	return &stage;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static vpm_predict_workspace_t *ws;
	vpm_shotlist_options_t opt = vpm_shotlist_options_default();
	vpm_shotlist_t *sl = NULL;
	vpm_setup_t defaults = vpm_setup_default();
	vpm_status_t st;
	size_t i;
	vpm_shot_options_t shot_opt;
	char where[512];

	if (size < 1)
		return 0;
	if (ws == NULL && (ws = vpm_predict_workspace_alloc()) == NULL)
		abort();
	opt.catalog = fuzz_catalog();
	opt.keep_going = data[0] & 1;
	opt.default_camera = (data[0] & 2) ? "bmd-ursa-mini-pro-4.6k-g2" : NULL;
	opt.lens_set = (data[0] & 4) ? "ZEISS CP.3" : NULL;
	st = vpm_shotlist_parse("fuzz.csv", (const char *)data + 1, size - 1, &opt, &sl);
	if (st != VPM_OK) {
		FUZZ_ASSERT(sl == NULL);
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(sl != NULL);
	FUZZ_ASSERT(opt.keep_going || sl->n_rejected == 0);
	for (i = 0; i < sl->n_rejected; i++)
		FUZZ_ASSERT(sl->rejected[i].message != NULL && sl->rejected[i].message[0] != '\0');
	vpm_shotlist_sort(sl);
	for (i = 0; i + 1 < sl->n; i++)
		FUZZ_ASSERT(vpm_shot_id_compare(sl->shot[i].id, sl->shot[i + 1].id) <= 0);
	/* two shots: the evaluation costs ~30 ms a shot under the sanitizers,
	 * and the reader, not the physics, is what this target is for */
	/* the reader, not the planner: advice is tested in tests/test_advice.c */
	shot_opt = vpm_shot_options_default();
	shot_opt.advise = 0;
	for (i = 0; i < sl->n && i < 2; i++) {
		vpm_shot_eval_t ev;
		vpm_shot_field_t field;
		const vpm_shot_t *shot = &sl->shot[i];
		FUZZ_ASSERT(shot->camera != NULL && shot->focal_mm > 0.0 && shot->stop > 0.0);
		FUZZ_ASSERT(isfinite(shot->cam_distance_m));
		vpm_shotlist_where(sl, i, VPM_SHOT_LENS, where, sizeof where);
		st = vpm_shot_evaluate_ex(shot, micro_stage(), &defaults, &shot_opt, ws, &ev,
					  &field);
		if (st == VPM_OK) {
			FUZZ_ASSERT(!isnan(ev.focus_m));
			FUZZ_ASSERT(ev.plan.n <= VPM_PLAN_MAX_ADVICE);
		} else {
			FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		}
	}
	vpm_shotlist_free(sl);
	return 0;
}
