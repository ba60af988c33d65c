/* The stage's bill of materials and the inverse design (see
 * lib/vpmoire/stagebom.h for the arithmetic and its sources). */
#include <config.h>

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/report.h"
#include "vpmoire/stagebom.h"

/* Mains circuits planned (volts, amps): the North American 120 V / 20 A
 * branch circuit and the European 230 V / 16 A one (IEC 60038 nominal
 * 230 V; 16 A the usual rating of a CEE 7 or IEC 60309 socket circuit). */
#define V_US 120.0
#define A_US 20.0
#define V_EU 230.0
#define A_EU 16.0

vpm_bom_options_t vpm_bom_options_default(void)
{
	vpm_bom_options_t o;

	memset(&o, 0, sizeof o);
	o.bits = 10;
	o.fps = 60.0;
	o.processor = "brompton-sx40";
	o.cabling = VPM_CABLING_ALLOWANCE;
	o.continuous_load = VPM_CONTINUOUS_LOAD;
	return o;
}

VPM_STATUS_FN(vpm_processor_capacity,
	      (const vpm_catalog_t *cat, const char *processor, int bits, double fps,
	       const vpm_processor_t **row),
	      (cat, processor, bits, fps, row))
{
	size_t i, n = vpm_catalog_count(cat, VPM_CATALOG_PROCESSORS);
	const vpm_processor_t *best = NULL;
	int known = 0, has_bits = 0;
	char names[256] = "";

	if (cat == NULL || processor == NULL || row == NULL)
		return vpm_error(VPM_EINVAL, "no processor given");
	*row = NULL;
	if (!(fps > 0.0) || !isfinite(fps))
		return vpm_error(VPM_ERANGE, "--fps: expected a frame rate above 0 Hz");
	for (i = 0; i < n; i++) {
		const vpm_processor_t *p = vpm_catalog_processor(cat, i);
		if (strcasecmp(p->processor, processor) != 0) {
			if (strstr(names, p->processor) == NULL &&
			    strlen(names) + strlen(p->processor) + 3 < sizeof names) {
				if (names[0])
					strcat(names, ", ");
				strcat(names, p->processor);
			}
			continue;
		}
		known = 1;
		if (p->bits != bits)
			continue;
		has_bits = 1;
		/* the lowest tabulated rate at or above the one asked: a port's
		 * pixels fall as the rate rises, so this never overstates them */
		if (p->fps + 1e-9 >= fps && (best == NULL || p->fps < best->fps))
			best = p;
	}
	if (!known)
		return vpm_error(VPM_ENOTFOUND, "--processor: no processor '%s' in the catalog%s%s",
				 processor, names[0] ? " (known: " : "", names[0] ? names : "");
	if (!has_bits)
		return vpm_error(VPM_ERANGE,
				 "--bits: %s publishes no port capacity at %d bit per colour",
				 processor, bits);
	if (best == NULL)
		return vpm_error(VPM_ERANGE,
				 "--fps: %s publishes no port capacity at %g Hz or above (%d bit)",
				 processor, fps, bits);
	*row = best;
	return VPM_OK;
}

VPM_STATUS_FN(vpm_bom_cover,
	      (const vpm_panel_t *panel, double width_m, double height_m, long *across, long *down),
	      (panel, width_m, height_m, across, down))
{
	double a, d;

	if (panel == NULL || across == NULL || down == NULL)
		return vpm_error(VPM_EINVAL, "no panel given");
	if (panel->cabinet_w_mm <= 0.0 || panel->cabinet_h_mm <= 0.0)
		return vpm_error(VPM_EINVAL, "%s: the catalog has no cabinet size for this panel",
				 panel->name);
	if (!(width_m > 0.0) || !(height_m > 0.0))
		return vpm_error(VPM_ERANGE, "wall size must be above zero");
	/* 1 µm of slack: a wall given as exactly n cabinets stays n */
	a = ceil(width_m * 1000.0 / panel->cabinet_w_mm - 1e-6);
	d = ceil(height_m * 1000.0 / panel->cabinet_h_mm - 1e-6);
	if (!(a * d <= 1e6))
		return vpm_error(VPM_ERANGE, "a wall of %g x %g m needs over a million cabinets",
				 width_m, height_m);
	*across = (long)a;
	*down = (long)d;
	return VPM_OK;
}

static const vpm_price_t *price_of(const vpm_catalog_t *cat, const char *name)
{
	return name ? vpm_catalog_lookup(cat, VPM_CATALOG_PRICES, name) : NULL;
}

static void add_flag(vpm_bom_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_flag(vpm_bom_t *b, const char *fmt, ...)
{
	va_list ap;

	if (b->n_flags >= VPM_BOM_FLAGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(b->flag[b->n_flags++], VPM_BOM_FLAG_LEN, fmt, ap);
	va_end(ap);
}

/* A figure from panels.csv, else from prices.csv; two that differ by more
 * than rounding are flagged and the maker's panels.csv figure is used. */
static double pick(vpm_bom_t *b, const char *what, const char *unit, double primary, double second,
		   int *from_second)
{
	*from_second = 0;
	if (primary > 0.0) {
		if (second > 0.0 && fabs(second - primary) > 0.005 * primary)
			add_flag(b,
				 "%s %s: sources disagree: %g %s (panels.csv) vs %g %s "
				 "(prices.csv); %g %s used, not averaged",
				 b->panel->name, what, primary, unit, second, unit, primary, unit);
		return primary;
	}
	if (second > 0.0) {
		*from_second = 1;
		return second;
	}
	return 0.0;
}

static long ceil_div(long a, long b)
{
	return b > 0 ? (a + b - 1) / b : 0;
}

/* Power, heat, weight and cost of `cab` cabinets into w. */
static void wall_loads(const vpm_bom_t *b, vpm_bom_wall_t *w)
{
	double c1 = V_US * A_US * b->opt.continuous_load, c2 = V_EU * A_EU * b->opt.continuous_load;

	w->has_power = b->cabinet_power_max_w > 0.0;
	if (w->has_power) {
		w->power_max_w = (double)w->cabinets * b->cabinet_power_max_w;
		w->power_typ_w = (double)w->cabinets * b->cabinet_power_typ_w;
		/* whole cabinets per circuit: a cabinet's supply is not split */
		w->cabinets_per_circuit_120 = (long)floor(c1 / b->cabinet_power_max_w + 1e-9);
		w->cabinets_per_circuit_230 = (long)floor(c2 / b->cabinet_power_max_w + 1e-9);
		w->circuits_120v_20a = ceil_div(w->cabinets, w->cabinets_per_circuit_120);
		w->circuits_230v_16a = ceil_div(w->cabinets, w->cabinets_per_circuit_230);
		w->heat_btu_h = w->power_max_w * VPM_BTU_H_PER_W;
		w->heat_typ_btu_h = w->power_typ_w * VPM_BTU_H_PER_W;
	}
	w->has_weight = b->cabinet_weight_kg > 0.0;
	if (w->has_weight)
		w->weight_kg = (double)w->cabinets * b->cabinet_weight_kg * (1.0 + b->opt.cabling);
	w->has_price = b->cabinet_usd_low > 0.0;
	if (w->has_price) {
		w->cost_usd_low = (double)w->cabinets * b->cabinet_usd_low;
		w->cost_usd_high = (double)w->cabinets * b->cabinet_usd_high;
	}
}

VPM_STATUS_FN(vpm_bom_compute,
	      (const vpm_stage_t *st, const vpm_panel_t *panel, const vpm_catalog_t *cat,
	       const vpm_bom_options_t *opt, vpm_bom_t *out),
	      (st, panel, cat, opt, out))
{
	vpm_bom_t b;
	const vpm_price_t *pr;
	vpm_bom_wall_t *t = &b.total;
	long cab_px;
	double total_px = 0.0;
	int second;
	size_t i;
	vpm_status_t s;

	if (st == NULL || panel == NULL || cat == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "bill of materials: no stage, panel or catalog");
	memset(&b, 0, sizeof b);
	b.opt = opt ? *opt : vpm_bom_options_default();
	b.panel = panel;
	if (!(b.opt.cabling >= 0.0 && b.opt.cabling < 10.0) ||
	    !(b.opt.continuous_load > 0.0 && b.opt.continuous_load <= 1.0))
		return vpm_error(VPM_ERANGE, "bill of materials: cabling allowance or "
					     "continuous-load share out of range");
	if (panel->cabinet_w_mm <= 0.0 || panel->cabinet_h_mm <= 0.0 || panel->cabinet_px_w <= 0 ||
	    panel->cabinet_px_h <= 0)
		return vpm_error(VPM_EINVAL,
				 "%s: the catalog has no cabinet size and pixels for this panel: "
				 "a bill of materials needs whole cabinets",
				 panel->name);
	if ((s = vpm_processor_capacity(cat, b.opt.processor, b.opt.bits, b.opt.fps,
					&b.capacity)) != VPM_OK)
		return s;
	if (b.capacity->disagrees != NULL && b.capacity->disagrees[0] != '\0')
		add_flag(&b, "%s: sources disagree: %s; the table row's %.0f px used",
			 b.capacity->name, b.capacity->disagrees, b.capacity->port_px);
	cab_px = (long)panel->cabinet_px_w * panel->cabinet_px_h;
	if ((double)cab_px > b.capacity->port_px)
		return vpm_error(VPM_ERANGE,
				 "%s: a cabinet of %ld px is more than one %s port carries (%.0f "
				 "px at %d bit, %g Hz)",
				 panel->name, cab_px, b.capacity->processor, b.capacity->port_px,
				 b.capacity->bits, b.capacity->fps);

	pr = price_of(cat, panel->name);
	b.cabinet_power_max_w = pick(&b, "maximum power", "W", panel->power_max_w,
				     pr ? pr->power_max_w : 0.0, &second);
	snprintf(b.power_from, sizeof b.power_from, "%s",
		 b.cabinet_power_max_w <= 0.0 ? ""
		 : second		      ? "prices.csv (see its source)"
					      : "panels.csv");
	b.cabinet_power_typ_w = pick(&b, "typical power", "W", panel->power_typ_w,
				     pr ? pr->power_typ_w : 0.0, &second);
	b.cabinet_weight_kg = pick(&b, "weight", "kg", panel->weight_kg, pr ? pr->weight_kg : 0.0,
				   &second);
	if (pr != NULL && pr->price_usd_low > 0.0) {
		b.cabinet_usd_low = pr->price_usd_low;
		b.cabinet_usd_high = pr->price_usd_high;
	}
	if (b.cabinet_power_max_w <= 0.0)
		add_flag(&b, "%s: maximum power not in the catalogs: no circuits or heat",
			 panel->name);
	else if (b.cabinet_power_typ_w <= 0.0)
		add_flag(&b, "%s: typical power not in the catalogs", panel->name);
	if (b.cabinet_weight_kg <= 0.0)
		add_flag(&b, "%s: weight not in the catalogs", panel->name);
	if (b.cabinet_usd_low <= 0.0)
		add_flag(&b, "%s: no price in prices.csv", panel->name);

	b.n_walls = st->n_surfaces;
	snprintf(t->name, sizeof t->name, "total");
	t->cabinets_per_port = (long)floor(b.capacity->port_px / (double)cab_px);
	if (b.capacity->panels_per_port > 0 && t->cabinets_per_port > b.capacity->panels_per_port)
		t->cabinets_per_port = b.capacity->panels_per_port;
	for (i = 0; i < b.n_walls; i++) {
		const vpm_surface_t *sf = &st->surface[i];
		vpm_bom_wall_t *w = &b.wall[i];
		double px;
		snprintf(w->name, sizeof w->name, "%s", sf->name ? sf->name : "wall");
		w->cabinets_across = sf->cabinets_across;
		w->cabinets_down = sf->cabinets_down;
		w->cabinets = sf->cabinets_across * sf->cabinets_down;
		w->width_m = sf->width_m;
		w->height_m = sf->height_m;
		w->width_px = sf->cabinets_across * panel->cabinet_px_w;
		w->height_px = sf->cabinets_down * panel->cabinet_px_h;
		w->aspect = w->height_px > 0 ? (double)w->width_px / (double)w->height_px : 0.0;
		w->cabinets_per_port = t->cabinets_per_port;
		w->processor_ports = ceil_div(w->cabinets, w->cabinets_per_port);
		px = (double)w->width_px * (double)w->height_px;
		w->naive_ports = (long)ceil(px / b.capacity->port_px - 1e-12);
		total_px += px;
		wall_loads(&b, w);
		t->cabinets += w->cabinets;
		t->width_m += w->width_m;
		t->height_m = fmax(t->height_m, w->height_m);
		t->width_px += w->width_px;
		t->height_px = w->height_px > t->height_px ? w->height_px : t->height_px;
		t->processor_ports += w->processor_ports;
		t->circuits_120v_20a += w->circuits_120v_20a;
		t->circuits_230v_16a += w->circuits_230v_16a;
	}
	t->naive_ports = (long)ceil(total_px / b.capacity->port_px - 1e-12);
	t->aspect = t->height_px > 0 ? (double)t->width_px / (double)t->height_px : 0.0;
	{
		/* circuits of the walls added (each wall fed on its own) */
		long c120 = t->circuits_120v_20a, c230 = t->circuits_230v_16a;
		wall_loads(&b, t);
		t->cabinets_per_circuit_120 = b.wall[0].cabinets_per_circuit_120;
		t->cabinets_per_circuit_230 = b.wall[0].cabinets_per_circuit_230;
		t->circuits_120v_20a = c120;
		t->circuits_230v_16a = c230;
	}
	/* devices: enough ports, and the device's own pixel cap */
	b.processors = ceil_div(t->processor_ports, b.capacity->ports);
	if (b.capacity->device_px > 0.0) {
		long by_px = (long)ceil(total_px / b.capacity->device_px - 1e-12);
		if (by_px > b.processors)
			b.processors = by_px;
	}
	pr = price_of(cat, b.capacity->processor);
	if (pr != NULL && pr->price_usd_low > 0.0) {
		b.has_processor_price = 1;
		b.processor_usd_low = pr->price_usd_low;
		b.processor_usd_high = pr->price_usd_high;
		if (t->has_price) {
			t->cost_usd_low += (double)b.processors * pr->price_usd_low;
			t->cost_usd_high += (double)b.processors * pr->price_usd_high;
		}
	} else {
		add_flag(&b, "%s: no price in prices.csv: the cost covers the cabinets only",
			 b.capacity->processor);
	}
	*out = b;
	return VPM_OK;
}

static char *thousands(double v, char *buf, size_t size)
{
	if (v >= 10000.0)
		snprintf(buf, size, "%.0fk", v / 1000.0);
	else
		snprintf(buf, size, "%.0f", v);
	return buf;
}

char *vpm_bom_summary(const vpm_bom_t *b, char *buf, size_t size)
{
	const vpm_bom_wall_t *t;
	size_t n;
	char a[32], c[32];

	if (buf == NULL || size == 0)
		return buf;
	buf[0] = '\0';
	if (b == NULL)
		return buf;
	t = &b->total;
	n = (size_t)snprintf(buf, size, "%ld cabinets, %ld \xC3\x97 %ld px, %ld %s port%s (%ld %s)",
			     t->cabinets, t->width_px, t->height_px, t->processor_ports,
			     b->capacity ? b->capacity->processor : "?",
			     t->processor_ports == 1 ? "" : "s", b->processors,
			     b->processors == 1 ? "processor" : "processors");
	if (n < size && t->has_power)
		n += (size_t)snprintf(buf + n, size - n,
				      ", %.0f W max: %ld \xC3\x97 20 A at 120 V, %ld \xC3\x97 16 A "
				      "at 230 V, %.0f BTU/h",
				      t->power_max_w, t->circuits_120v_20a, t->circuits_230v_16a,
				      t->heat_btu_h);
	if (n < size && t->has_weight)
		n += (size_t)snprintf(buf + n, size - n, ", %.0f kg with cabling", t->weight_kg);
	if (n < size && t->has_price)
		snprintf(buf + n, size - n, ", $%s\xE2\x80\x93%s",
			 thousands(t->cost_usd_low, a, 32), thousands(t->cost_usd_high, c, 32));
	return buf;
}

/* ---------------------------------------------------------------- inverse design */

void vpm_design_free(vpm_design_t *ds)
{
	size_t i;

	if (ds == NULL)
		return;
	for (i = 0; i < ds->n_candidates; i++)
		free(ds->cand[i].unsafe);
	free(ds->cand);
	free(ds->beyond_panels);
	memset(ds, 0, sizeof *ds);
	ds->chosen = ds->decider = -1;
}

static int by_pitch_then_cost(const void *pa, const void *pb)
{
	const vpm_design_candidate_t *a = pa, *b = pb;

	if (a->panel->pitch_mm != b->panel->pitch_mm)
		return a->panel->pitch_mm > b->panel->pitch_mm ? -1 : 1;
	if (a->has_price != b->has_price)
		return a->has_price ? -1 : 1;
	if (a->has_price && a->cost_usd_low != b->cost_usd_low)
		return a->cost_usd_low < b->cost_usd_low ? -1 : 1;
	return strcmp(a->panel->name, b->panel->name);
}

/* The walls of `orig` in whole cabinets of `p`, rounded up. */
static void resize_desc(vpm_stage_desc_t *d, const vpm_stage_t *orig, const vpm_panel_t *p)
{
	double cw = p->cabinet_w_mm / 1000.0;
	const vpm_surface_t *m = &orig->surface[0];

	snprintf(d->panel, sizeof d->panel, "%s", p->name);
	d->given &= ~((1u << VPM_STAGE_WALL_WIDTH) | (1u << VPM_STAGE_WALL_HEIGHT) |
		      (1u << VPM_STAGE_SIDE_WALL_WIDTH));
	if (vpm_bom_cover(p, m->width_m, m->height_m, &d->cabinets_across, &d->cabinets_down) !=
	    VPM_OK)
		d->cabinets_across = d->cabinets_down = 0; /* the build then says why */
	d->given |= (1u << VPM_STAGE_CABINETS_ACROSS) | (1u << VPM_STAGE_CABINETS_DOWN);
	if (orig->n_surfaces > 1) {
		d->side_wall_cabinets = (long)ceil(orig->surface[1].width_m / cw - 1e-6);
		d->given |= 1u << VPM_STAGE_SIDE_WALL_CABINETS;
	}
}

VPM_STATUS_FN(vpm_stage_design,
	      (const vpm_stage_desc_t *d, const vpm_shotlist_t *sl, const vpm_catalog_t *cat,
	       const vpm_setup_t *defaults, const vpm_bom_options_t *bo, vpm_design_t *out),
	      (d, sl, cat, defaults, bo, out))
{
	vpm_stage_t orig;
	const vpm_panel_t *p0;
	vpm_predict_workspace_t *ws = NULL;
	vpm_design_t ds;
	vpm_shot_options_t so;
	size_t i, j, np;
	vpm_status_t s;

	if (d == NULL || sl == NULL || cat == NULL || defaults == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "design: no stage, shotlist, catalog or defaults");
	memset(&ds, 0, sizeof ds);
	ds.chosen = ds.decider = -1;
	*out = ds;
	if ((s = vpm_catalog_find_panel(cat, d->panel, &p0)) != VPM_OK)
		return s;
	if ((s = vpm_stage_build(d, p0, &orig)) != VPM_OK)
		return s;
	np = vpm_catalog_count(cat, VPM_CATALOG_PANELS);
	ds.cand = calloc(np ? np : 1, sizeof *ds.cand);
	ws = vpm_predict_workspace_alloc();
	if (ds.cand == NULL || ws == NULL) {
		s = vpm_error(VPM_ENOMEM, "design: out of memory");
		goto fail;
	}
	ds.n_shots = sl->n;
	so = vpm_shot_options_default();
	so.advise = 0; /* the verdict only: advice is the shotlist's business */
	so.try_delivery = 0;
	for (i = 0; i < np; i++) {
		const vpm_panel_t *p = vpm_catalog_panel(cat, i);
		vpm_design_candidate_t *c;
		vpm_stage_desc_t dd = *d;
		vpm_stage_t st;
		vpm_bom_t bom;
		if (p->cabinet_w_mm <= 0.0 || p->cabinet_px_w <= 0 || p->cabinet_px_h <= 0)
			continue; /* no whole cabinets, no wall */
		c = &ds.cand[ds.n_candidates++];
		c->panel = p;
		c->unsafe = calloc(sl->n ? sl->n : 1, 1);
		if (c->unsafe == NULL) {
			s = vpm_error(VPM_ENOMEM, "design: out of memory");
			goto fail;
		}
		resize_desc(&dd, &orig, p);
		if (vpm_stage_build(&dd, p, &st) != VPM_OK) {
			snprintf(c->why, sizeof c->why, "%s", vpm_error_message());
			continue;
		}
		c->fits = 1;
		if (vpm_bom_compute(&st, p, cat, bo, &bom) == VPM_OK) {
			c->cabinets = bom.total.cabinets;
			c->has_price = bom.total.has_price;
			c->cost_usd_low = bom.total.cost_usd_low;
			c->cost_usd_high = bom.total.cost_usd_high;
		} else {
			c->cabinets = st.surface[0].cabinets_across * st.surface[0].cabinets_down;
		}
		c->worst_visibility = -1.0;
		for (j = 0; j < sl->n; j++) {
			vpm_shot_eval_t ev;
			double v;
			s = vpm_shot_evaluate_ex(&sl->shot[j], &st, defaults, &so, ws, &ev, NULL);
			if (s == VPM_ENOMEM)
				goto fail;
			if (s != VPM_OK) {
				/* a shot this stage cannot frame rules the panel out */
				c->fits = 0;
				snprintf(c->why, sizeof c->why, "shot %s: %s", sl->shot[j].id,
					 vpm_error_message());
				break;
			}
			v = ev.verdict.has_led ? vpm_result_visibility(&ev.verdict.result) : 0.0;
			if (ev.verdict.has_led && ev.verdict.result.risk != VPM_RISK_SAFE) {
				c->unsafe[j] = 1;
				c->n_unsafe++;
			}
			if (v > c->worst_visibility) {
				c->worst_visibility = v;
				c->worst_shot = j;
			}
		}
	}
	qsort(ds.cand, ds.n_candidates, sizeof *ds.cand, by_pitch_then_cost);
	/* a shot that no panel makes SAFE is not the panel's to fix (the
	 * shotlist's advice moves the camera, the stop or the focus): it is
	 * listed, and the choice is made on the others */
	ds.beyond_panels = calloc(sl->n ? sl->n : 1, 1);
	if (ds.beyond_panels == NULL) {
		s = vpm_error(VPM_ENOMEM, "design: out of memory");
		goto fail;
	}
	for (j = 0; j < sl->n; j++) {
		int any = 0;
		for (i = 0; i < ds.n_candidates && !any; i++)
			any = ds.cand[i].fits && !ds.cand[i].unsafe[j];
		ds.beyond_panels[j] = (unsigned char)!any;
		ds.n_beyond += !any;
	}
	for (i = 0; i < ds.n_candidates; i++) {
		vpm_design_candidate_t *c = &ds.cand[i];
		c->n_unsafe_fixable = 0;
		for (j = 0; j < sl->n; j++)
			c->n_unsafe_fixable += c->unsafe[j] && !ds.beyond_panels[j];
	}
	for (i = 0; i < ds.n_candidates; i++)
		if (ds.cand[i].fits && ds.cand[i].n_unsafe_fixable == 0) {
			ds.chosen = (int)i;
			break;
		}
	if (ds.chosen > 0)
		for (i = (size_t)ds.chosen; i-- > 0;)
			if (ds.cand[i].fits) {
				ds.decider = (int)i;
				break;
			}
	vpm_predict_workspace_free(ws);
	*out = ds;
	return VPM_OK;
fail:
	vpm_predict_workspace_free(ws);
	vpm_design_free(&ds);
	return s;
}

/* ---------------------------------------------------------------- text and JSON */

/* The ids of the shots flagged in `set` (leaving out those no panel makes
 * SAFE when `fixable`), then a newline. */
static void print_ids(FILE *fp, const vpm_design_t *ds, const vpm_shotlist_t *sl,
		      const unsigned char *set, int fixable)
{
	size_t k;

	for (k = 0; k < ds->n_shots; k++)
		if (set[k] && !(fixable && ds->beyond_panels[k]))
			fprintf(fp, " %s", sl->shot[k].id);
	fprintf(fp, "\n");
}

VPM_STATUS_FN(vpm_bom_write_text,
	      (FILE * fp, const vpm_bom_t *b, const vpm_design_t *ds, const vpm_shotlist_t *sl),
	      (fp, b, ds, sl))
{
	char line[1024];
	size_t i;

	if (fp == NULL || b == NULL || b->capacity == NULL)
		return vpm_error(VPM_EINVAL, "no bill of materials to write");
	for (i = 0; i < b->n_walls; i++) {
		const vpm_bom_wall_t *w = &b->wall[i];
		fprintf(fp,
			"%-16s %ld x %ld = %ld cabinets, %ld x %ld px (%.3f:1), %ld ports "
			"(naive %ld)",
			w->name, w->cabinets_across, w->cabinets_down, w->cabinets, w->width_px,
			w->height_px, w->aspect, w->processor_ports, w->naive_ports);
		if (w->has_power)
			fprintf(fp, ", %.0f W max, %ld x 20 A at 120 V, %ld x 16 A at 230 V",
				w->power_max_w, w->circuits_120v_20a, w->circuits_230v_16a);
		fprintf(fp, "\n");
	}
	fprintf(fp, "total            %s\n", vpm_bom_summary(b, line, sizeof line));
	for (i = 0; i < b->n_flags; i++)
		fprintf(fp, "flag: %s\n", b->flag[i]);
	if (ds == NULL || sl == NULL)
		goto done;
	if (ds->chosen >= 0)
		fprintf(fp,
			"design: %s (%.2f mm), the coarsest panel keeping SAFE every shot a panel "
			"can (%zu of %zu)\n",
			ds->cand[ds->chosen].panel->name, ds->cand[ds->chosen].panel->pitch_mm,
			ds->n_shots - ds->n_beyond, ds->n_shots);
	else
		fprintf(fp, "design: no catalog panel keeps all %zu shots SAFE\n", ds->n_shots);
	if (ds->decider >= 0) {
		fprintf(fp, "deciding shots (not SAFE on %s):", ds->cand[ds->decider].panel->name);
		print_ids(fp, ds, sl, ds->cand[ds->decider].unsafe, 1);
	}
	if (ds->n_beyond > 0) {
		fprintf(fp, "not SAFE on any panel (change the shot, see vpmoire shotlist):");
		print_ids(fp, ds, sl, ds->beyond_panels, 0);
	}
	for (i = 0; i < ds->n_candidates; i++) {
		const vpm_design_candidate_t *c = &ds->cand[i];
		fprintf(fp, "  %-26s %6.3f mm  ", c->panel->name, c->panel->pitch_mm);
		if (!c->fits)
			fprintf(fp, "does not fit: %s\n", c->why);
		else if (c->has_price)
			fprintf(fp, "%4ld cabinets  $%.0f-%.0f  ", c->cabinets, c->cost_usd_low,
				c->cost_usd_high);
		else
			fprintf(fp, "%4ld cabinets  no price  ", c->cabinets);
		if (c->fits) {
			fprintf(fp, "not SAFE:");
			print_ids(fp, ds, sl, c->unsafe, 0);
		}
	}
done:
	if (ferror(fp))
		return vpm_error(VPM_EIO, "cannot write the output");
	return VPM_OK;
}

/* Keys here, numbers and strings through the library's one JSON writer
 * (lib/report.c). */
static void json_str(FILE *fp, const char *s)
{
	vpm_json_string(fp, s ? s : "");
}

static void json_num(FILE *fp, const char *key, int known, double v, int last)
{
	fprintf(fp, "\"%s\": ", key);
	vpm_json_number(fp, known ? v : NAN);
	fputs(last ? "" : ", ", fp);
}

static void json_wall(FILE *fp, const vpm_bom_wall_t *w)
{
	fputs("{\"name\": ", fp);
	json_str(fp, w->name);
	fputs(", ", fp);
	json_num(fp, "cabinets_across", w->cabinets_across > 0, (double)w->cabinets_across, 0);
	json_num(fp, "cabinets_down", w->cabinets_down > 0, (double)w->cabinets_down, 0);
	json_num(fp, "cabinets", 1, (double)w->cabinets, 0);
	json_num(fp, "width_m", 1, w->width_m, 0);
	json_num(fp, "height_m", 1, w->height_m, 0);
	json_num(fp, "width_px", 1, (double)w->width_px, 0);
	json_num(fp, "height_px", 1, (double)w->height_px, 0);
	json_num(fp, "aspect", w->aspect > 0, w->aspect, 0);
	json_num(fp, "cabinets_per_port", 1, (double)w->cabinets_per_port, 0);
	json_num(fp, "processor_ports", 1, (double)w->processor_ports, 0);
	json_num(fp, "naive_ports", 1, (double)w->naive_ports, 0);
	json_num(fp, "power_max_w", w->has_power, w->power_max_w, 0);
	json_num(fp, "power_typ_w", w->has_power && w->power_typ_w > 0, w->power_typ_w, 0);
	json_num(fp, "circuits_120v_20a", w->has_power, (double)w->circuits_120v_20a, 0);
	json_num(fp, "circuits_230v_16a", w->has_power, (double)w->circuits_230v_16a, 0);
	json_num(fp, "heat_btu_h", w->has_power, w->heat_btu_h, 0);
	json_num(fp, "heat_typ_btu_h", w->has_power && w->power_typ_w > 0, w->heat_typ_btu_h, 0);
	json_num(fp, "weight_kg", w->has_weight, w->weight_kg, 0);
	json_num(fp, "cost_usd_low", w->has_price, w->cost_usd_low, 0);
	json_num(fp, "cost_usd_high", w->has_price, w->cost_usd_high, 1);
	fputc('}', fp);
}

VPM_STATUS_FN(vpm_bom_write_json,
	      (FILE * fp, const vpm_bom_t *b, const vpm_design_t *ds, const vpm_shotlist_t *sl),
	      (fp, b, ds, sl))
{
	size_t i, j;

	if (fp == NULL || b == NULL || b->capacity == NULL)
		return vpm_error(VPM_EINVAL, "no bill of materials to write");
	fputs("{\"panel\": ", fp);
	json_str(fp, b->panel->name);
	fputs(", \"processor\": {\"name\": ", fp);
	json_str(fp, b->capacity->processor);
	fprintf(fp, ", \"table_row\": ");
	json_str(fp, b->capacity->name);
	fprintf(fp, ", \"bits\": %d, ", b->opt.bits);
	json_num(fp, "fps", 1, b->opt.fps, 0);
	json_num(fp, "port_px", 1, b->capacity->port_px, 0);
	fprintf(fp, "\"ports_per_device\": %d, ", b->capacity->ports);
	json_num(fp, "devices", 1, (double)b->processors, 0);
	json_num(fp, "price_usd_low", b->has_processor_price, b->processor_usd_low, 0);
	json_num(fp, "price_usd_high", b->has_processor_price, b->processor_usd_high, 1);
	fputs("}, \"walls\": [", fp);
	for (i = 0; i < b->n_walls; i++) {
		if (i)
			fputs(", ", fp);
		json_wall(fp, &b->wall[i]);
	}
	fputs("], \"total\": ", fp);
	json_wall(fp, &b->total);
	fputs(", \"flags\": [", fp);
	for (i = 0; i < b->n_flags; i++) {
		if (i)
			fputs(", ", fp);
		json_str(fp, b->flag[i]);
	}
	fputc(']', fp);
	if (ds != NULL && sl != NULL) {
		fputs(", \"design\": {\"chosen\": ", fp);
		if (ds->chosen >= 0)
			json_str(fp, ds->cand[ds->chosen].panel->name);
		else
			fputs("null", fp);
		fputs(", \"deciding_shots\": [", fp);
		if (ds->decider >= 0)
			for (i = 0, j = 0; i < ds->n_shots; i++)
				if (ds->cand[ds->decider].unsafe[i] && !ds->beyond_panels[i]) {
					if (j++)
						fputs(", ", fp);
					json_str(fp, sl->shot[i].id);
				}
		fputs("], \"beyond_any_panel\": [", fp);
		for (i = 0, j = 0; i < ds->n_shots; i++)
			if (ds->beyond_panels[i]) {
				if (j++)
					fputs(", ", fp);
				json_str(fp, sl->shot[i].id);
			}
		fputs("], \"candidates\": [", fp);
		for (i = 0; i < ds->n_candidates; i++) {
			const vpm_design_candidate_t *c = &ds->cand[i];
			if (i)
				fputs(", ", fp);
			fputs("{\"panel\": ", fp);
			json_str(fp, c->panel->name);
			fputs(", ", fp);
			json_num(fp, "pitch_mm", 1, c->panel->pitch_mm, 0);
			fprintf(fp, "\"fits\": %s, ", c->fits ? "true" : "false");
			json_num(fp, "cabinets", c->fits, (double)c->cabinets, 0);
			json_num(fp, "unsafe_shots", c->fits, (double)c->n_unsafe, 0);
			json_num(fp, "cost_usd_low", c->fits && c->has_price, c->cost_usd_low, 0);
			json_num(fp, "cost_usd_high", c->fits && c->has_price, c->cost_usd_high, 1);
			fputc('}', fp);
		}
		fputs("]}", fp);
	}
	fputs("}\n", fp);
	if (ferror(fp))
		return vpm_error(VPM_EIO, "cannot write the JSON output");
	return VPM_OK;
}
