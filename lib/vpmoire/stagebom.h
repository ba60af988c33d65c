/* vpmoire — the stage's bill of materials and the inverse design: what a
 * wall takes to build and run (cabinets, pixels, processor ports, power,
 * circuits, heat, weight, cost), and which catalog panel a shotlist needs.
 *
 *   vpm_bom_options_t o = vpm_bom_options_default();   10 bit, 60 Hz, SX40
 *   vpm_bom_t bom;
 *   vpm_bom_compute(&stage, panel, cat, &o, &bom);
 *   vpm_bom_summary(&bom, buf, sizeof buf);             one line of totals
 *
 * The arithmetic and its sources (doc/vpmoire-stage.1 repeats them):
 *  - ports: whole cabinets per data port, floor(port px / cabinet px), at
 *    most the processor's panels-per-port cap; a port never spans two
 *    walls.  The naive count ceil(pixels / port px) is kept to show that it
 *    undercounts.  Port capacity is the processor maker's table
 *    (models/processors.csv) at the bit depth asked and the lowest
 *    tabulated frame rate at or above the one asked;
 *  - circuits: a continuous load may use 80 % of the breaker (NEC 2023
 *    210.19(A)(1) and 210.20(A): conductors and overcurrent devices rated at
 *    least 125 % of the continuous load); whole cabinets per circuit at
 *    their maximum power, so 120 V × 20 A × 0.8 = 1920 W and 230 V × 16 A
 *    × 0.8 = 2944 W per circuit.  IEC 60364-4-43 / BS 7671 Reg. 433.1.1
 *    only ask design current <= rated current; the same 80 % is applied at
 *    230 V as a planning margin (an assumption stated on the sheet);
 *  - heat: 1 W = 3.412 BTU/h (InfoComm AV math,
 *    https://infocomm.org/filestore/av-math-online/groups/61.html);
 *  - weight: cabinets plus 10 % for cabling and rigging, the allowance of
 *    LED.FYI's bill of materials
 *    (https://docs.led.fyi/bom-and-export/bill-of-materials.html);
 *  - cost: cabinets × the panel's price range, plus processors × theirs,
 *    from models/prices.csv.
 */
#ifndef VPMOIRE_STAGEBOM_H
#define VPMOIRE_STAGEBOM_H

#include <stddef.h>
#include <stdio.h>

#include "vpmoire/catalog.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"
#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Heat per watt (InfoComm AV math, see above). */
#define VPM_BTU_H_PER_W 3.412
/* Continuous loads use at most this share of a breaker (NEC 210.19/210.20). */
#define VPM_CONTINUOUS_LOAD 0.8
/* Cabling and rigging on top of the cabinets' weight (LED.FYI, see above). */
#define VPM_CABLING_ALLOWANCE 0.10

typedef struct {
	int bits;		/* bit depth per colour of the data (10) */
	double fps;		/* frame rate the wall runs at, Hz (60) */
	const char *processor;	/* processors.csv `processor` key ("brompton-sx40") */
	double cabling;		/* weight allowance for cabling (VPM_CABLING_ALLOWANCE) */
	double continuous_load; /* usable share of a breaker (VPM_CONTINUOUS_LOAD) */
} vpm_bom_options_t;

vpm_bom_options_t vpm_bom_options_default(void);

/* One wall, or the totals.  Counts of 0 with has_* = 0 mean "unknown". */
typedef struct {
	char name[32]; /* "main wall", "left side wall", ..., "total" */
	long cabinets_across, cabinets_down, cabinets;
	double width_m, height_m;
	long width_px, height_px;	 /* total: widths added, tallest height */
	double aspect;			 /* width_px / height_px */
	long cabinets_per_port;		 /* whole cabinets one port carries */
	long processor_ports;		 /* ports with whole-cabinet packing */
	long naive_ports;		 /* ceil(pixels / port px): undercounts */
	int has_power;			 /* the panel's maximum power is known */
	double power_max_w, power_typ_w; /* power_typ_w 0 when unknown */
	long cabinets_per_circuit_120, cabinets_per_circuit_230;
	long circuits_120v_20a, circuits_230v_16a;
	double heat_btu_h, heat_typ_btu_h; /* at maximum and typical power */
	int has_weight;
	double weight_kg; /* with the cabling allowance */
	int has_price;
	double cost_usd_low, cost_usd_high; /* cabinets (total: and processors) */
} vpm_bom_wall_t;

#define VPM_BOM_FLAGS_MAX 8
#define VPM_BOM_FLAG_LEN 320

typedef struct {
	vpm_bom_options_t opt;
	const vpm_panel_t *panel;
	const vpm_processor_t *capacity; /* the capacity-table row used */
	size_t n_walls;
	vpm_bom_wall_t wall[VPM_STAGE_MAX_SURFACES];
	vpm_bom_wall_t total;
	long processors; /* devices needed: ports and the device pixel cap */
	int has_processor_price;
	double processor_usd_low, processor_usd_high; /* per device */
	/* the per-cabinet figures used, and where from */
	double cabinet_power_max_w, cabinet_power_typ_w, cabinet_weight_kg;
	double cabinet_usd_low, cabinet_usd_high;
	char power_from[48]; /* "panels.csv", "prices.csv (estimate)" or "" */
	size_t n_flags;	     /* sources that disagree, figures that are missing */
	char flag[VPM_BOM_FLAGS_MAX][VPM_BOM_FLAG_LEN];
} vpm_bom_t;

/* The capacity-table row of `processor` (processors.csv key) for `bits` at
 * the lowest tabulated frame rate >= fps.  VPM_ENOTFOUND (no such processor,
 * the known ones listed), VPM_ERANGE (no row for that bit depth or rate). */
vpm_status_t vpm_processor_capacity(const vpm_catalog_t *cat, const char *processor, int bits,
				    double fps, const vpm_processor_t **row);

/* The bill of materials of a built stage with its panel (`panel` must be
 * the stage's; prices and processors come from `cat`).  Whole cabinets are
 * required: VPM_EINVAL for a panel without cabinet size or pixels.  Also
 * the statuses of vpm_processor_capacity(), and VPM_ERANGE for a cabinet
 * with more pixels than one port carries.  `opt` may be NULL. */
vpm_status_t vpm_bom_compute(const vpm_stage_t *st, const vpm_panel_t *panel,
			     const vpm_catalog_t *cat, const vpm_bom_options_t *opt,
			     vpm_bom_t *out);

/* The cabinet grid that covers a requested wall: columns and rows rounded
 * up (LED.FYI's bill of materials, docs.led.fyi/bom-and-export/
 * bill-of-materials.html), so a 13 × 9 ft wall of 0.5 m cabinets is 8 × 6.
 * VPM_EINVAL for a panel without cabinet size, VPM_ERANGE for sizes that
 * are not positive or need over a million cabinets. */
vpm_status_t vpm_bom_cover(const vpm_panel_t *panel, double width_m, double height_m, long *across,
			   long *down);

/* The stage totals in one line for a page or a terminal ("40 cabinets,
 * 3200 × 1280 px, 10 ports, 7000 W max: 4 × 20 A at 120 V ...").  Returns
 * buf (always terminated). */
char *vpm_bom_summary(const vpm_bom_t *bom, char *buf, size_t size);

/* ---------------------------------------------------------------- inverse design */

typedef struct {
	const vpm_panel_t *panel;
	int fits; /* 0: no stage could be built with it (`why`) */
	char why[256];
	long cabinets; /* on this stage */
	int has_price;
	double cost_usd_low, cost_usd_high; /* cabinets and processors for this wall */
	size_t n_unsafe;		    /* shots that are not SAFE */
	size_t worst_shot;		    /* index of the largest visibility */
	double worst_visibility;
	unsigned char *unsafe;	 /* per shot: 1 = not SAFE (owned) */
	size_t n_unsafe_fixable; /* ... of the shots some panel makes SAFE */
} vpm_design_candidate_t;

typedef struct {
	size_t n_candidates;
	vpm_design_candidate_t *cand; /* coarsest pitch first, then cheapest */
	size_t n_shots;
	int chosen;		      /* the coarsest candidate keeping every shot SAFE that
		      * some panel makes SAFE, or -1 */
	int decider;		      /* the next coarser candidate that fits: its unsafe shots
		      * (of those) decide the choice (-1: none coarser) */
	unsigned char *beyond_panels; /* per shot: 1 = no candidate makes it
				       * SAFE: the shot, not the panel, must
				       * change (owned) */
	size_t n_beyond;
} vpm_design_t;

/* For every catalog panel with a cabinet size, rebuild the stage of `d`
 * with it (walls of the same size, rounded up to whole cabinets) and
 * evaluate every shot of `sl` (its verdict by vpm_shot_evaluate_ex(),
 * without advice; `defaults` as for the shotlist).  Candidates are ordered coarsest first; the chosen one is the
 * coarsest (then cheapest) that keeps every shot SAFE.  `bo` (may be NULL)
 * prices each candidate.  VPM_ENOMEM, VPM_EINVAL; the statuses of building
 * the original stage.  Free with vpm_design_free(). */
vpm_status_t vpm_stage_design(const vpm_stage_desc_t *d, const vpm_shotlist_t *sl,
			      const vpm_catalog_t *cat, const vpm_setup_t *defaults,
			      const vpm_bom_options_t *bo, vpm_design_t *out);

void vpm_design_free(vpm_design_t *ds); /* NULL is a no-op; the struct is zeroed */

/* The bill of materials (and the design when `ds` and `sl` are not NULL)
 * as text for a terminal: a line per wall, the totals, the flags, the
 * design's choice, deciding shots and candidates.  VPM_EIO when the stream
 * fails. */
vpm_status_t vpm_bom_write_text(FILE *fp, const vpm_bom_t *bom, const vpm_design_t *ds,
				const vpm_shotlist_t *sl);

/* The bill of materials (and the design when not NULL) as one JSON object:
 * {"walls": [...], "total": {...}, "processor": ..., "flags": [...],
 * "design": {...}}; unknown numbers are null.  `sl` names the design's
 * shots.  VPM_EIO when the stream fails. */
vpm_status_t vpm_bom_write_json(FILE *fp, const vpm_bom_t *bom, const vpm_design_t *ds,
				const vpm_shotlist_t *sl);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_STAGEBOM_H */
