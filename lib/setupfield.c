/* The table of vpm_setup_t's named fields (lib/vpmoire/setupfield.h). */
#include <config.h>

#include <string.h>

#include "vpmoire/catalog.h"
#include "vpmoire/predict.h"
#include "vpmoire/setupfield.h"

#define FIELD(field, flag, is_int, nan_none, raw)                                 \
	{                                                                         \
#field, flag, offsetof(vpm_setup_t, field), is_int, nan_none, raw \
	}

/* The numbers first, in the order vpm_predict_batch has always listed
 * them; the pixel counts of the delivery take NaN as "none". */
static const vpm_setup_field_t setup_fields[] = {
	FIELD(pitch_mm, "pitch", 0, 0, VPM_RAW_PITCH),
	FIELD(emitter_mm, "emitter", 0, 0, VPM_RAW_EMITTER),
	FIELD(photosite_um, "photosite", 0, 0, VPM_RAW_PHOTOSITE),
	FIELD(width_px, "width-px", 1, 0, VPM_RAW_WIDTH_PX),
	FIELD(olpf_um, "olpf", 0, 0, VPM_RAW_OLPF),
	FIELD(fill, "fill", 0, 0, VPM_RAW_FILL),
	FIELD(focal_mm, "focal", 0, 0, VPM_RAW_FOCAL),
	FIELD(stop, "stop", 0, 0, VPM_RAW_STOP),
	FIELD(wall_m, "wall", 0, 0, 0),
	FIELD(focus_m, "focus", 0, 0, 0),
	FIELD(recording_px, "recording-px", 1, 1, 0),
	FIELD(delivery_px, "delivery-px", 1, 1, 0),
	FIELD(roll_deg, "roll", 0, 0, 0),
	FIELD(tolerance, "tolerance", 0, 0, 0),
	FIELD(aspect, "aspect", 0, 0, 0),
	FIELD(view_heights, "view-heights", 0, 0, 0),
	FIELD(luminance_cd_m2, "luminance", 0, 0, 0),
	FIELD(pupil_edge, "pupil-edge", 0, 0, VPM_RAW_PUPIL_EDGE),
	FIELD(content_contrast, "content", 0, 0, 0),
	FIELD(grade_gain, "gain", 0, 0, 0),
	FIELD(caution_at, "caution-at", 0, 0, 0),
	FIELD(risky_at, "risky-at", 0, 0, 0),
	FIELD(coc_mm, "coc", 0, 0, VPM_RAW_COC),
	FIELD(transmission, "transmission", 0, 0, VPM_RAW_TRANSMISSION),
	FIELD(squeeze, "squeeze", 0, 0, VPM_RAW_SQUEEZE),
	/* an enum, not a number: the catalog's camera sets it, so it has a
	 * raw bit, but a batch cannot vary it */
	FIELD(cfa, "cfa", -1, 0, VPM_RAW_CFA),
};
#undef FIELD
#define N_FIELDS (sizeof setup_fields / sizeof setup_fields[0])

size_t vpm_setup_field_count(void)
{
	return N_FIELDS;
}

const vpm_setup_field_t *vpm_setup_field(size_t i)
{
	return i < N_FIELDS ? &setup_fields[i] : NULL;
}

const vpm_setup_field_t *vpm_setup_field_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(setup_fields[i].name, name) == 0)
			return &setup_fields[i];
	return NULL;
}
