/* The stage's bill of materials (lib/stagebom.c): cabinets, ports against
 * the processor maker's table, circuits, heat, weight, cost, the flags, the
 * inverse design, and `vpmoire stage` (JSON read by jansson). */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "vpmoire/vpmoire.h"

static vpm_catalog_t *cat;

static void setup(void)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/models", tu_srcdir());
	cat = vpm_catalog_alloc();
	cr_assert_not_null(cat);
	cr_assert_eq(vpm_catalog_load_dir(cat, dir), VPM_OK, "%s", vpm_error_message());
}

static void teardown(void)
{
	vpm_catalog_free(cat);
	cat = NULL;
}

TestSuite(stagebom, .init = setup, .fini = teardown);

/* A stage from text, built with its catalog panel. */
static void build(const char *text, vpm_stage_t *st, const vpm_panel_t **panel)
{
	vpm_stage_desc_t d;
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_parse(&d, "test.stage", text, strlen(text)), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, d.panel, panel), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, *panel, st), VPM_OK, "%s", vpm_error_message());
}

static void micro(vpm_stage_t *st, const vpm_panel_t **panel)
{
	char path[4096];
	vpm_stage_desc_t d;
	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(vpm_catalog_find_panel(cat, d.panel, panel), VPM_OK);
	cr_assert_eq(vpm_stage_build(&d, *panel, st), VPM_OK, "%s", vpm_error_message());
}

/* The seed article: a 9 x 13 ft wall of 0.5 m cabinets is 48 cabinets
 * (13 ft = 3.962 m -> 8 columns, 9 ft = 2.743 m -> 6 rows, rounded up). */
Test(stagebom, seed_wall_is_48_cabinets)
{
	const vpm_panel_t *p;
	long a = 0, d = 0;
	vpm_stage_t st;
	vpm_bom_t b;
	char text[256];

	cr_assert_eq(vpm_catalog_find_panel(cat, "absen-pl1.9-plus-v2", &p), VPM_OK);
	cr_assert_eq(vpm_bom_cover(p, 13 * 0.3048, 9 * 0.3048, &a, &d), VPM_OK);
	cr_assert_eq(a, 8);
	cr_assert_eq(d, 6);
	/* exactly 4.000 m stays 8 columns, 4.001 m needs a ninth */
	cr_assert_eq(vpm_bom_cover(p, 4.0, 3.0, &a, &d), VPM_OK);
	cr_assert_eq(a, 8);
	cr_assert_eq(vpm_bom_cover(p, 4.001, 3.0, &a, &d), VPM_OK);
	cr_assert_eq(a, 9);
	cr_assert_eq(vpm_bom_cover(p, -1.0, 3.0, &a, &d), VPM_ERANGE);

	snprintf(text, sizeof text,
		 "panel = absen-pl1.9-plus-v2\ncabinets_across = 8\n"
		 "cabinets_down = 6\n");
	build(text, &st, &p);
	cr_assert_eq(vpm_bom_compute(&st, p, cat, NULL, &b), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(b.total.cabinets, 48);
	cr_assert_eq(b.total.width_px, 8 * 256);
	cr_assert_eq(b.total.height_px, 6 * 256);
	cr_assert_float_eq(b.total.aspect, 2048.0 / 1536.0, 1e-12);
}

/* Port packing against Brompton's published Tessera 1G port table
 * (models/processors.csv): 48 cabinets of 256 x 256 px at 12 bit, 60 Hz.
 * 350,000 / 65,536 = 5.34 -> 5 whole cabinets per port -> ceil(48/5) = 10
 * ports; the naive 3,145,728 / 350,000 = 8.99 -> 9 undercounts by one. */
Test(stagebom, ports_whole_cabinets_vs_naive)
{
	const vpm_panel_t *p;
	vpm_stage_t st;
	vpm_bom_t b;
	vpm_bom_options_t o = vpm_bom_options_default();

	build("panel = absen-pl1.9-plus-v2\ncabinets_across = 8\ncabinets_down = 6\n", &st, &p);
	o.bits = 12;
	o.fps = 60;
	cr_assert_eq(vpm_bom_compute(&st, p, cat, &o, &b), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(b.capacity->port_px, 350000.0, 0.0);
	cr_assert_eq(b.total.cabinets_per_port, 5);
	cr_assert_eq(b.total.processor_ports, 10);
	cr_assert_eq(b.total.naive_ports, 9);
	cr_assert_eq(b.processors, 1);
	/* 8 bit: 525,000 / 65,536 = 8.01 -> 8 per port -> 6 ports */
	o.bits = 8;
	cr_assert_eq(vpm_bom_compute(&st, p, cat, &o, &b), VPM_OK);
	cr_assert_eq(b.total.cabinets_per_port, 8);
	cr_assert_eq(b.total.processor_ports, 6);
	/* NovaStar MX40 Pro at 8 bit: 659,722 / 65,536 = 10.07 -> 10 per port */
	o.processor = "novastar-mx40-pro";
	cr_assert_eq(vpm_bom_compute(&st, p, cat, &o, &b), VPM_OK);
	cr_assert_eq(b.total.cabinets_per_port, 10);
	cr_assert_eq(b.total.processor_ports, 5);
	/* at 10 bit NovaStar's sheets disagree (329,861 vs 494,791 px with some
	 * receiving cards): the row's figure is used and the other flagged:
	 * 329,861 / 65,536 = 5.03 -> 5 per port -> 10 ports */
	o.bits = 10;
	cr_assert_eq(vpm_bom_compute(&st, p, cat, &o, &b), VPM_OK);
	cr_assert_eq(b.total.cabinets_per_port, 5);
	cr_assert_eq(b.total.processor_ports, 10);
	cr_assert_not_null(strstr(b.flag[0], "novastar-mx40-pro-10b-60: sources disagree: 494,791"),
			   "%s", b.flag[0]);
}

/* The capacity table as Brompton publishes it (v3.5.2), and the frame-rate
 * rule: the lowest tabulated rate at or above the one asked. */
Test(stagebom, capacity_table_lookup)
{
	static const struct {
		int bits;
		double fps, port_px;
	} tab[] = { { 8, 60, 525000 },	    { 10, 60, 420000 },	 { 12, 60, 350000 },
		    { 8, 24, 1312500 },	    { 10, 24, 1050000 }, { 12, 24, 875000 },
		    { 8, 120, 262500 },	    { 10, 120, 210000 }, { 12, 120, 175000 },
		    { 12, 25, 350000 }, /* 25 Hz -> the 60 Hz row */
		    { 10, 23.976, 1050000 } };
	const vpm_processor_t *r;
	size_t i;

	for (i = 0; i < sizeof tab / sizeof tab[0]; i++) {
		cr_assert_eq(vpm_processor_capacity(cat, "brompton-sx40", tab[i].bits, tab[i].fps,
						    &r),
			     VPM_OK, "%s", vpm_error_message());
		cr_assert_float_eq(r->port_px, tab[i].port_px, 0.0, "%d bit %g Hz", tab[i].bits,
				   tab[i].fps);
	}
	cr_assert_eq(vpm_processor_capacity(cat, "brompton-sx40", 12, 144, &r), VPM_ERANGE);
	cr_assert_not_null(strstr(vpm_error_message(), "--fps"));
	cr_assert_eq(vpm_processor_capacity(cat, "brompton-sx40", 9, 60, &r), VPM_ERANGE);
	cr_assert_not_null(strstr(vpm_error_message(), "--bits"));
	cr_assert_eq(vpm_processor_capacity(cat, "brompton-sx99", 10, 60, &r), VPM_ENOTFOUND);
	cr_assert_not_null(strstr(vpm_error_message(), "brompton-sx40"), "lists the known ones");
	cr_assert_eq(vpm_processor_capacity(cat, "brompton-sx40", 10, 0.0, &r), VPM_ERANGE);
}

/* The reference micro stage: 40 AOTO RM1.5-class cabinets of 320 x 320 px,
 * 175 W max / 58.75 W typical and 7.5 kg each (the class estimate of
 * models/prices.csv).  By hand:
 *   power 40 x 175 = 7000 W max, 40 x 58.75 = 2350 W typical;
 *   120 V x 20 A x 0.8 = 1920 W per circuit -> floor(1920/175) = 10
 *   cabinets per circuit -> 40/10 = 4 circuits (the seed's four 20 A);
 *   230 V x 16 A x 0.8 = 2944 W -> floor(2944/175) = 16 per circuit ->
 *   ceil(40/16) = 3 circuits;
 *   heat 7000 x 3.412 = 23,884 BTU/h max, 2350 x 3.412 = 8,018.2 typical;
 *   weight 40 x 7.5 x 1.10 = 330 kg; cost 40 x $1000..2000.
 *   ports at 10 bit, 60 Hz: 420,000 / 102,400 = 4.10 -> 4 per port -> 10;
 *   at 12 bit: 350,000 / 102,400 = 3.42 -> 3 -> 14 ports, naive
 *   ceil(4,096,000 / 350,000 = 11.7) = 12. */
Test(stagebom, micro_stage_hand_calculation)
{
	const vpm_panel_t *p;
	vpm_stage_t st;
	vpm_bom_t b;
	vpm_bom_options_t o = vpm_bom_options_default();
	char line[512];

	micro(&st, &p);
	cr_assert_eq(vpm_bom_compute(&st, p, cat, NULL, &b), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(b.n_walls, 1);
	cr_assert_eq(b.total.cabinets, 40);
	cr_assert_eq(b.total.width_px, 3200);
	cr_assert_eq(b.total.height_px, 1280);
	cr_assert_float_eq(b.total.power_max_w, 7000.0, 1e-9);
	cr_assert_float_eq(b.total.power_typ_w, 2350.0, 1e-9);
	cr_assert_eq(b.total.cabinets_per_circuit_120, 10);
	cr_assert_eq(b.total.circuits_120v_20a, 4);
	cr_assert_eq(b.total.cabinets_per_circuit_230, 16);
	cr_assert_eq(b.total.circuits_230v_16a, 3);
	cr_assert_float_eq(b.total.heat_btu_h, 23884.0, 1e-6);
	cr_assert_float_eq(b.total.heat_typ_btu_h, 8018.2, 1e-6);
	cr_assert_float_eq(b.total.weight_kg, 330.0, 1e-9);
	cr_assert(b.total.has_price);
	cr_assert_float_eq(b.total.cost_usd_low, 40000.0, 1e-9);
	cr_assert_float_eq(b.total.cost_usd_high, 80000.0, 1e-9);
	cr_assert_eq(b.total.processor_ports, 10);
	cr_assert_eq(b.wall[0].processor_ports, 10);
	cr_assert_str_eq(b.power_from, "prices.csv (see its source)");
	vpm_bom_summary(&b, line, sizeof line);
	cr_assert_not_null(strstr(line, "4 \xC3\x97 20 A at 120 V"), "%s", line);
	cr_assert_not_null(strstr(line, "23884 BTU/h"), "%s", line);

	o.bits = 12;
	cr_assert_eq(vpm_bom_compute(&st, p, cat, &o, &b), VPM_OK);
	cr_assert_eq(b.total.cabinets_per_port, 3);
	cr_assert_eq(b.total.processor_ports, 14);
	cr_assert_eq(b.total.naive_ports, 12);
}

/* Side walls: each wall is packed and fed on its own, the totals add up. */
Test(stagebom, side_walls_add_up)
{
	const vpm_panel_t *p;
	vpm_stage_t st;
	vpm_bom_t b;
	size_t i;
	long cab = 0, ports = 0, c120 = 0;

	build("panel = roe-bp2v2\ncabinets_across = 12\ncabinets_down = 5\nside_walls = both\n"
	      "side_wall_cabinets = 3\n",
	      &st, &p);
	cr_assert_eq(vpm_bom_compute(&st, p, cat, NULL, &b), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(b.n_walls, 3);
	for (i = 0; i < b.n_walls; i++) {
		cab += b.wall[i].cabinets;
		ports += b.wall[i].processor_ports;
		c120 += b.wall[i].circuits_120v_20a;
	}
	cr_assert_eq(b.wall[1].cabinets, 15);
	cr_assert_eq(cab, 60 + 15 + 15);
	cr_assert_eq(b.total.cabinets, cab);
	cr_assert_eq(b.total.processor_ports, ports);
	cr_assert_eq(b.total.circuits_120v_20a, c120);
	/* 190 W: floor(1920 / 190) = 10 per circuit: 6 + 2 + 2 */
	cr_assert_eq(c120, 10);
	cr_assert_eq(b.total.width_px, (12 + 3 + 3) * 176);
}

/* Sources that disagree are flagged, and the maker's panels.csv figure is
 * used as it is, not averaged with the second one. */
Test(stagebom, disagreeing_sources_are_flagged)
{
	const vpm_panel_t *p;
	vpm_stage_t st;
	vpm_bom_t b;
	size_t i;
	int power = 0, weight = 0;

	build("panel = absen-pl2.5-plus-v2\ncabinets_across = 4\ncabinets_down = 2\n", &st, &p);
	cr_assert_eq(vpm_bom_compute(&st, p, cat, NULL, &b), VPM_OK, "%s", vpm_error_message());
	cr_assert_float_eq(b.cabinet_power_max_w, 145.0, 0.0, "the manual's 145 W, not 152.5");
	cr_assert_float_eq(b.cabinet_weight_kg, 7.5, 0.0);
	for (i = 0; i < b.n_flags; i++) {
		power += strstr(b.flag[i], "maximum power: sources disagree") != NULL;
		weight += strstr(b.flag[i], "weight: sources disagree") != NULL;
	}
	cr_assert_eq(power, 1);
	cr_assert_eq(weight, 1);
	cr_assert_float_eq(b.total.power_max_w, 8 * 145.0, 1e-9);
}

/* A panel without cabinet size cannot make a bill of materials. */
Test(stagebom, errors)
{
	vpm_panel_t p;
	vpm_stage_t st;
	const vpm_panel_t *real;
	vpm_bom_t b;
	vpm_bom_options_t o = vpm_bom_options_default();

	micro(&st, &real);
	p = *real;
	p.cabinet_px_w = 0;
	cr_assert_eq(vpm_bom_compute(&st, &p, cat, NULL, &b), VPM_EINVAL);
	cr_assert_eq(vpm_bom_compute(NULL, real, cat, NULL, &b), VPM_EINVAL);
	o.processor = "nothing-here";
	cr_assert_eq(vpm_bom_compute(&st, real, cat, &o, &b), VPM_ENOTFOUND);
	o = vpm_bom_options_default();
	o.continuous_load = 1.5;
	cr_assert_eq(vpm_bom_compute(&st, real, cat, &o, &b), VPM_ERANGE);
}

/* Catalog rows are validated like every other catalog. */
Test(stagebom, catalog_rows_checked)
{
	const char *bad = tu_write("prices-bad.csv",
				   "name,price_usd_low,price_usd_high,date,source\n"
				   "aoto-rm1.5,2000,1000,2024-01,made up\n");
	const char *nodate = tu_write("prices-nodate.csv",
				      "name,price_usd_low,price_usd_high,date,source\n"
				      "aoto-rm1.5,1000,2000,,made up\n");
	vpm_catalog_kind_t k;

	cr_assert_eq(vpm_catalog_load_file(cat, bad, &k), VPM_EPARSE);
	cr_assert_not_null(strstr(vpm_error_message(), ":2:"), "%s", vpm_error_message());
	cr_assert_not_null(strstr(vpm_error_message(), "price_usd_high"));
	cr_assert_eq(vpm_catalog_load_file(cat, nodate, &k), VPM_EPARSE);
	cr_assert_not_null(strstr(vpm_error_message(), "date"));
	cr_assert_geq(vpm_catalog_count(cat, VPM_CATALOG_PROCESSORS), 18);
	cr_assert_not_null(vpm_catalog_lookup(cat, VPM_CATALOG_PRICES, "aoto-rm1.5"));
	tu_cleanup_tmpdir();
}

/* Inverse design on shots of the example shotlist (three of them, to keep
 * the test short): a panel is named, the candidates come coarsest first,
 * and the deciding shots are those the next coarser panel fails. */
Test(stagebom, inverse_design, .timeout = 600)
{
	char path[4096];
	const char *shots;
	vpm_stage_desc_t d;
	vpm_shotlist_options_t so = vpm_shotlist_options_default();
	vpm_shotlist_t *sl = NULL;
	vpm_design_t ds;
	vpm_setup_t defaults = vpm_setup_default();
	size_t i, k, ndec = 0;

	snprintf(path, sizeof path, "%s/datasets/stage-micro.stage", tu_srcdir());
	vpm_stage_desc_init(&d);
	cr_assert_eq(vpm_stage_desc_read(&d, path), VPM_OK);
	/* shots 1A, 1C, 1D and 3D of datasets/shotlist-example.csv, as they
	 * stand there (the whole file takes a minute of CPU: every shot on
	 * every panel) */
	{
		char ex[4096], *all, *line, *save = NULL, *text;
		size_t used = 0;
		snprintf(ex, sizeof ex, "%s/datasets/shotlist-example.csv", tu_srcdir());
		all = tu_slurp(ex);
		cr_assert_not_null(all);
		text = calloc(strlen(all) + 1, 1);
		cr_assert_not_null(text);
		for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			if (used == 0 || strncmp(line, "1A,", 3) == 0 ||
			    strncmp(line, "1C,", 3) == 0 || strncmp(line, "1D,", 3) == 0 ||
			    strncmp(line, "3D,", 3) == 0)
				used += (size_t)sprintf(text + used, "%s\n", line);
		shots = tu_write("design.csv", text);
		free(text);
		free(all);
	}
	so.catalog = cat;
	cr_assert_eq(vpm_shotlist_read(shots, &so, &sl), VPM_OK, "%s", vpm_error_message());
	cr_assert_eq(sl->n, 4);
	cr_assert_eq(vpm_stage_design(&d, sl, cat, &defaults, NULL, &ds), VPM_OK, "%s",
		     vpm_error_message());
	cr_assert_gt(ds.n_candidates, 10);
	for (i = 1; i < ds.n_candidates; i++)
		cr_assert_geq(ds.cand[i - 1].panel->pitch_mm, ds.cand[i].panel->pitch_mm);
	cr_assert_geq(ds.chosen, 0, "a panel is named");
	/* every coarser candidate that fits fails a shot some panel can keep SAFE */
	for (i = 0; i < (size_t)ds.chosen; i++)
		if (ds.cand[i].fits)
			cr_assert_gt(ds.cand[i].n_unsafe_fixable, 0, "%s", ds.cand[i].panel->name);
	cr_assert_eq(ds.cand[ds.chosen].n_unsafe_fixable, 0);
	if (ds.chosen > 0) {
		cr_assert_geq(ds.decider, 0);
		for (k = 0; k < ds.n_shots; k++)
			ndec += ds.cand[ds.decider].unsafe[k] && !ds.beyond_panels[k];
		cr_assert_gt(ndec, 0, "deciding shots named");
	}
	/* the AOTO has a price: its cost is 40 cabinets x $1000..2000 */
	for (i = 0; i < ds.n_candidates; i++)
		if (strcmp(ds.cand[i].panel->name, "aoto-rm1.5") == 0) {
			cr_assert(ds.cand[i].has_price);
			cr_assert_float_eq(ds.cand[i].cost_usd_low, 40000.0, 1e-9);
		}
	vpm_design_free(&ds);
	vpm_design_free(&ds); /* freed twice is fine: zeroed */
	vpm_shotlist_free(sl);
	tu_cleanup_tmpdir();
}

/* `vpmoire stage --json`: the contract's keys per wall and in total, read
 * by jansson, with the micro stage's hand-calculated numbers. */
Test(stagebom, cli_json)
{
	char args[8192];
	tu_run_t r;
	json_error_t err;
	json_t *o, *walls, *total;
	static const char *keys[] = { "cabinets",	   "width_px",	   "height_px",
				      "power_max_w",	   "power_typ_w",  "circuits_120v_20a",
				      "circuits_230v_16a", "heat_btu_h",   "weight_kg",
				      "processor_ports",   "cost_usd_low", "cost_usd_high" };
	size_t i;

	snprintf(args, sizeof args, "stage '%s/datasets/stage-micro.stage' --json", tu_srcdir());
	r = tu_vpmoire(args);
	cr_assert_eq(r.status, 0, "%s", r.err);
	o = json_loads(r.out, JSON_REJECT_DUPLICATES, &err);
	cr_assert_not_null(o, "%s: %s", err.text, r.out);
	walls = json_object_get(o, "walls");
	total = json_object_get(o, "total");
	cr_assert(json_is_array(walls));
	cr_assert_eq(json_array_size(walls), 1);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		cr_assert(json_is_number(json_object_get(total, keys[i])), "total %s", keys[i]);
		cr_assert(json_is_number(json_object_get(json_array_get(walls, 0), keys[i])),
			  "wall %s", keys[i]);
	}
	cr_assert_float_eq(json_number_value(json_object_get(total, "circuits_120v_20a")), 4.0,
			   0.0);
	cr_assert_float_eq(json_number_value(json_object_get(total, "heat_btu_h")), 23884.0, 1e-6);
	cr_assert_float_eq(json_number_value(json_object_get(total, "cabinets")), 40.0, 0.0);
	json_decref(o);
	tu_run_free(&r);
	tu_cleanup_tmpdir();
}

/* Bad input: exit 2 and one line naming the flag or the file. */
Test(stagebom, cli_bad_input)
{
	static const struct {
		const char *args, *says;
	} cases[] = {
		{ "--bits 9", "--bits" },
		{ "--bits ten", "--bits" },
		{ "--fps 0", "--fps" },
		{ "--fps 500", "--fps" },
		{ "--processor nope", "--processor" },
		{ "-o sheet.txt", "sheet.txt" },
		{ "--panel no-such-panel", "no-such-panel" },
	};
	char args[8192];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_t r;
		snprintf(args, sizeof args, "stage '%s/datasets/stage-micro.stage' %s", tu_srcdir(),
			 cases[i].args);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2, "%s: status %d, %s", cases[i].args, r.status, r.err);
		cr_assert_eq(tu_lines(r.err), 1, "%s: %s", cases[i].args, r.err);
		cr_assert_not_null(strstr(r.err, cases[i].says), "%s: %s", cases[i].args, r.err);
		cr_assert_str_eq(r.out, "", "nothing on stdout");
		tu_run_free(&r);
	}
	{
		const char *bad = tu_write("bad.stage",
					   "panel = aoto-rm1.5\ncabinets_across = x\n");
		tu_run_t r;
		snprintf(args, sizeof args, "stage '%s'", bad);
		r = tu_vpmoire(args);
		cr_assert_eq(r.status, 2);
		cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
		cr_assert_not_null(strstr(r.err, "bad.stage:2:"), "%s", r.err);
		tu_run_free(&r);
		r = tu_vpmoire("stage /nonexistent/x.stage");
		cr_assert_eq(r.status, 2, "%s", r.err);
		cr_assert_eq(tu_lines(r.err), 1, "%s", r.err);
		tu_run_free(&r);
	}
	tu_cleanup_tmpdir();
}
