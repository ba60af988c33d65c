/* libFuzzer target: the stage file reader (lib/stage.c) and the stage it
 * builds, traced with a fan of rays as the frame code does.
 *
 * Input: a stage file (`key = value` lines). */
#include <config.h>

#include "fuzz_common.h"
#include "vpmoire/stage.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	vpm_stage_desc_t d;
	vpm_stage_t stage;
	const vpm_panel_t *panel;
	size_t i;
	char edges[128];

	vpm_stage_desc_init(&d);
	if (vpm_stage_desc_parse(&d, "fuzz.stage", (const char *)data, size) != VPM_OK) {
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		return 0;
	}
	if (d.panel[0] == '\0' ||
	    vpm_catalog_find_panel(fuzz_catalog(), d.panel, &panel) != VPM_OK) {
		if (vpm_catalog_find_panel(fuzz_catalog(), "aoto-rm1.5", &panel) != VPM_OK)
			abort();
	}
	if (vpm_stage_build(&d, panel, &stage) != VPM_OK) {
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(stage.n_surfaces >= 1 && stage.n_surfaces <= VPM_STAGE_MAX_SURFACES);
	for (i = 0; i < stage.n_surfaces; i++) {
		const vpm_surface_t *sf = &stage.surface[i];
		vpm_vec3_t p, t, nrm;
		FUZZ_ASSERT(isfinite(sf->width_m) && sf->width_m > 0.0);
		FUZZ_ASSERT(isfinite(sf->height_m) && sf->height_m > 0.0);
		p = vpm_surface_point(sf, 0.5 * sf->width_m, sf->bottom_m + 0.5 * sf->height_m);
		t = vpm_surface_tangent(sf, 0.5 * sf->width_m);
		nrm = vpm_surface_normal(sf, 0.5 * sf->width_m);
		FUZZ_ASSERT(isfinite(p.x) && isfinite(p.y) && isfinite(p.z));
		FUZZ_ASSERT(isfinite(t.x) && isfinite(nrm.z));
	}
	/* a fan of rays from a camera 3 m in front of the wall */
	for (i = 0; i < 16; i++) {
		double a = (double)i / 15.0 * 3.0 - 1.5;
		vpm_vec3_t o = { 0.0, 1.5, 3.0 }, dir = { sin(a), 0.05 * (double)i - 0.4, -cos(a) };
		vpm_hit_t hit;
		vpm_stage_trace(&stage, o, dir, &hit);
	}
	vpm_stage_edges_name((unsigned)size, edges, sizeof edges);
	return 0;
}
