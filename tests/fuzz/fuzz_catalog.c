/* libFuzzer target: the CSV reader (lib/csv.c) and the catalog loader
 * (lib/catalog.c), then name lookups and a prediction with each entry
 * loaded, as `vpmoire check --catalog FILE` would use it.
 *
 * Input: a catalog file (cameras, lenses or panels CSV). */
#include <config.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every record of the input through the bare CSV reader, with and without
 * comments and with a small record limit: no crash, columns increase. */
static void csv_walk(const uint8_t *data, size_t size, unsigned flags, size_t limit)
{
	vpm_csv_t *csv;
	vpm_csv_row_t row;
	int eof = 0;
	long last_line = 0;

	if (vpm_csv_open_memory("fuzz.csv", (const char *)data, size, flags, &csv) != VPM_OK)
		abort();
	if (limit)
		vpm_csv_set_max_record(csv, limit);
	for (;;) {
		size_t i;
		if (vpm_csv_next(csv, &row, &eof) != VPM_OK || eof)
			break;
		FUZZ_ASSERT(row.n >= 1 && row.line > last_line);
		last_line = row.line;
		for (i = 0; i < row.n; i++) {
			FUZZ_ASSERT(row.column[i] >= 1);
			FUZZ_ASSERT(limit == 0 || strlen(row.field[i]) <= limit);
		}
	}
	vpm_csv_close(csv);
}

/* Equipment of the reference rig, to predict with one entry swapped in. */
static vpm_setup_t reference(void)
{
	const vpm_catalog_t *base = fuzz_catalog();
	const vpm_panel_t *p;
	const vpm_camera_t *c;
	const vpm_lens_t *l;
	vpm_setup_t s = vpm_setup_default();

	if (vpm_catalog_find_panel(base, "aoto-rm1.5", &p) != VPM_OK ||
	    vpm_catalog_find_camera(base, "bmd-ursa-mini-pro-4.6k-g2", &c) != VPM_OK ||
	    vpm_catalog_find_lens(base, "zeiss-cp3-28", &l) != VPM_OK)
		abort();
	vpm_setup_apply_panel(&s, p);
	vpm_setup_apply_camera(&s, c);
	vpm_setup_apply_lens(&s, l);
	s.stop = 2.8;
	s.wall_m = 3.0;
	s.focus_m = 2.0;
	return s;
}

static void predict_with(const vpm_setup_t *s, vpm_predict_workspace_t *ws)
{
	vpm_result_t r;

	if (vpm_predict(s, ws, &r) == VPM_OK)
		fuzz_check_result(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static vpm_predict_workspace_t *ws;
	const char *path;
	vpm_catalog_t *cat;
	vpm_catalog_kind_t kind;
	vpm_setup_t ref;
	size_t i, n;

	csv_walk(data, size, 0, 0);
	csv_walk(data, size, VPM_CSV_COMMENTS, 64);
	if (ws == NULL && (ws = vpm_predict_workspace_alloc()) == NULL)
		abort();
	ref = reference();
	path = fuzz_file(".csv", data, size);
	cat = vpm_catalog_alloc();
	if (cat == NULL)
		abort();
	if (vpm_catalog_load_file(cat, path, &kind) != VPM_OK) {
		/* a failed load adds nothing */
		for (i = 0; i < VPM_CATALOG_KINDS; i++)
			FUZZ_ASSERT(vpm_catalog_count(cat, (vpm_catalog_kind_t)i) == 0);
		FUZZ_ASSERT(vpm_error_message()[0] != '\0');
		vpm_catalog_free(cat);
		return 0;
	}
	/* loading the same file again overrides every entry by name */
	n = vpm_catalog_count(cat, kind);
	FUZZ_ASSERT(vpm_catalog_load_file(cat, path, NULL) == VPM_OK);
	FUZZ_ASSERT(vpm_catalog_count(cat, kind) == n);
	for (i = 0; i < n && i < 16; i++) {
		vpm_setup_t s = ref;
		if (kind == VPM_CATALOG_PANELS) {
			const vpm_panel_t *e = vpm_catalog_panel(cat, i), *found;
			FUZZ_ASSERT(vpm_catalog_find_panel(cat, e->name, &found) == VPM_OK);
			FUZZ_ASSERT(found == e);
			vpm_setup_apply_panel(&s, e);
		} else if (kind == VPM_CATALOG_CAMERAS) {
			const vpm_camera_t *e = vpm_catalog_camera(cat, i), *found;
			FUZZ_ASSERT(vpm_catalog_find_camera(cat, e->name, &found) == VPM_OK);
			FUZZ_ASSERT(found == e);
			vpm_setup_apply_camera(&s, e);
		} else if (kind == VPM_CATALOG_PROCESSORS || kind == VPM_CATALOG_PRICES) {
			/* no set-up fields: looked up by exact name only */
			FUZZ_ASSERT(vpm_catalog_lookup(cat, kind, kind == VPM_CATALOG_PRICES
							 ? vpm_catalog_price(cat, i)->name
							 : vpm_catalog_processor(cat, i)->name) != NULL);
			continue;
		} else {
			const vpm_lens_t *e = vpm_catalog_lens(cat, i), *found, *series[64];
			size_t ns;
			FUZZ_ASSERT(vpm_catalog_find_lens(cat, e->name, &found) == VPM_OK);
			FUZZ_ASSERT(found == e);
			(void)vpm_catalog_find_series(cat, e->series, series, 64, &ns);
			vpm_setup_apply_lens(&s, e);
			s.stop = e->max_t;
		}
		predict_with(&s, ws);
	}
	/* look-ups that miss: "did you mean" over whatever was loaded */
	{
		const vpm_panel_t *p;
		const vpm_camera_t *c;
		const vpm_lens_t *l;
		char q[64];
		size_t len = size < sizeof q - 1 ? size : sizeof q - 1;
		memcpy(q, data, len);
		q[len] = '\0';
		(void)vpm_catalog_find_panel(cat, q, &p);
		(void)vpm_catalog_find_camera(cat, q, &c);
		(void)vpm_catalog_find_lens(cat, q, &l);
		(void)vpm_catalog_find_lens(cat, "zeiss 28mm", &l);
	}
	vpm_catalog_free(cat);
	return 0;
}
