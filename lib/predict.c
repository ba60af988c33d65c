/* The fast analytic moiré predictor: SPEC §2 steps 1–10.
 *
 * How it stays fast and exact
 * ---------------------------
 * Every LED harmonic (k, l) below the diffraction cut-off is a candidate
 * component; close-ups have tens of thousands per channel.  A component's
 * visibility is a product of cheap factors (emitter, OLPF, photosite,
 * stage boxes, aberration, CSF) and one expensive one, the defocus factor
 * (exact Hopkins OTF, max over the nine planning-tolerance defocus values).
 * Replacing that factor by vpm_otf_defocus_bound() (never below it, and
 * non-increasing in |ν|) gives an upper bound of the visibility.  A
 * component or merged group whose bound is below the current "threshold"
 * (the visibility it would have to beat to change the result: the best of
 * its kind, moiré or grid, or the eighth entry of the top list, whichever
 * is smaller) cannot change the result and is never evaluated exactly.
 *
 * Grouping (step 7) makes skipping delicate: a skipped component could add
 * to a group that is reported.  With the camera roll a multiple of 90° the
 * problem is separable per sensor axis: the final frequency of harmonic
 * (i, j) (sensor-axis indices) is (F(i·ν0), F(j·ν0)) with one fold chain
 * F, so two harmonics can only merge if two 1-D rounded keys coincide.
 * When a channel has no such 1-D coincidence every group is a single
 * harmonic (proof in the comment of channel_setup_fast()), and components
 * can be skipped one by one, with 1-D tables and an envelope that stops
 * whole rows early.  Otherwise (another roll, or a rational LED/photosite
 * ratio that folds several harmonics onto one frequency) the channel
 * enumerates every harmonic, groups them in a hash table and bounds each
 * group by the sum of its members' bounds: slower, equally exact.
 *
 * Order of work: seeds (the lowest harmonics and the first aliased ones,
 * evaluated in descending bound order) set a first threshold; a collection
 * pass keeps every group whose bound reaches it; the survivors go into a
 * max-heap on their bound and are taken from the top while the threshold
 * rises: a bound made with the CSF peak is first refined with the CSF at
 * the group's frequency, a refined one is evaluated exactly.  The
 * threshold only ever grows, so every skip is justified by the final one.
 *
 * Cost: on the reference rig (roll 0) about 230 harmonics are bounded and
 * 17 exact defocus factors computed per set-up (≈15,000 set-ups/s on one
 * core).  The grouped enumeration (any other roll) visits every harmonic
 * below the cut-off, ~10,000 per set-up on the same grid (≈300/s), and is
 * refused with VPM_ELIMIT beyond MAX_GENERAL harmonics.
 */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "nameset.h"
#include "predict_private.h"
#include "vpmoire/content.h"
#include "vpmoire/geometry.h"
#include "vpmoire/otf.h"
#include "vpmoire/panel.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/setupfield.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Largest harmonic index per axis (LED image pitch over the diffraction
 * period) and largest grouped enumeration, beyond which vpm_predict()
 * reports VPM_ELIMIT instead of running for minutes. */
#define MAX_AXIS 200000L
#define MAX_GENERAL 4000000L

#define KEY_SCALE 1e6 /* step 7: compare frequencies rounded to 1e-6 cy/mm */
#define SEEDS_MAX 24  /* 12 lowest harmonics + 6 first aliased ones */

/* ------------------------------------------------------------------------
 * Defaults, names, validation */

vpm_setup_t vpm_setup_default(void)
{
	vpm_setup_t s;

	memset(&s, 0, sizeof s);
	s.olpf_um = 0.0;
	s.fill = 1.0;
	s.cfa = VPM_CFA_BAYER;
	s.recording_px = 0;
	s.lens_mtf_n = 0;
	s.focus_m = INFINITY;
	s.delivery_px = 0;
	s.aspect = 16.0 / 9.0;
	s.view_heights = 1.5;
	s.luminance_cd_m2 = 100.0;
	s.grade_gain = 1.0;
	s.roll_deg = 0.0;
	s.tolerance = 0.10;
	s.chroma = VPM_CHROMA_AUTO;
	s.coc_mm = 0.0;
	s.caution_at = 1.0;
	s.risky_at = 3.0;
	s.model = VPM_MODEL_FIELD;
	s.viewing = VPM_VIEWING_AUTO;
	s.resample = VPM_RESAMPLE_AUTO;
	s.band = VPM_BAND_AUTO;
	s.pupil_edge = -1.0;
	s.content_contrast = 0.0;
	s.transmission = -1.0;
	s.squeeze = 1.0;
	return s;
}

double vpm_setup_f_number(const vpm_setup_t *s)
{
	if (!s)
		return NAN;
	if (s->model == VPM_MODEL_IDEAL)
		return s->stop;
	return s->stop * sqrt(s->transmission > 0.0 ? s->transmission : VPM_FIELD_TRANSMISSION);
}

const char *vpm_model_name(vpm_model_t model)
{
	switch (model) {
	case VPM_MODEL_FIELD: return "field";
	case VPM_MODEL_IDEAL: return "ideal";
	}
	return NULL;
}

const char *vpm_band_name(vpm_band_t band)
{
	switch (band) {
	case VPM_BAND_AUTO: return "auto";
	case VPM_BAND_WORST: return "worst";
	case VPM_BAND_EXPECTED: return "expected";
	}
	return NULL;
}

const char *vpm_chroma_name(vpm_chroma_t chroma)
{
	switch (chroma) {
	case VPM_CHROMA_FULL: return "full";
	case VPM_CHROMA_LUMA: return "luma";
	case VPM_CHROMA_OPPONENT: return "opponent";
	case VPM_CHROMA_AUTO: return "auto";
	}
	return NULL;
}

/* One parser for the small enums: names[i] is the name of value i. */
static vpm_status_t parse_enum(const char *what, const char *flag, const char *name,
			       const char *const *names, int n, int *out)
{
	char list[160];
	int i = vpm_name_index(name, names, n);

	if (i >= 0) {
		*out = i;
		return VPM_OK;
	}
	return vpm_error(VPM_EINVAL, "%s: unknown %s '%s' (expected %s)", flag, what,
			 name ? name : "", vpm_name_list(names, n, list, sizeof list));
}

VPM_STATUS_FN(vpm_model_parse, (const char *name, vpm_model_t *out), (name, out))
{
	static const char *const names[] = { "field", "ideal" };
	int v;
	vpm_status_t st = parse_enum("model", "--model", name, names, 2, &v);

	if (st == VPM_OK)
		*out = (vpm_model_t)v;
	return st;
}

VPM_STATUS_FN(vpm_band_parse, (const char *name, vpm_band_t *out), (name, out))
{
	static const char *const names[] = { "auto", "worst", "expected" };
	int v;
	vpm_status_t st = parse_enum("focus-band statistic", "--band", name, names, 3, &v);

	if (st == VPM_OK)
		*out = (vpm_band_t)v;
	return st;
}

VPM_STATUS_FN(vpm_chroma_parse, (const char *name, vpm_chroma_t *out), (name, out))
{
	static const char *const names[] = { "full", "luma", "opponent", "auto" };
	int v;
	vpm_status_t st = parse_enum("chroma weighting", "--chroma-weight", name, names, 4, &v);

	if (st == VPM_OK)
		*out = (vpm_chroma_t)v;
	return st;
}

VPM_STATUS_FN(vpm_setup_model, (const vpm_setup_t *s, vpm_model_choice_t *out), (s, out))
{
	int field;
	const vpm_viewing_profile_t *vp;
	vpm_model_choice_t c;

	if (!s || !out)
		return vpm_error(VPM_EINVAL, "vpm_setup_model: no set-up");
	if (s->model != VPM_MODEL_FIELD && s->model != VPM_MODEL_IDEAL)
		return vpm_error(VPM_EINVAL, "--model: unknown model (%d)", (int)s->model);
	field = s->model == VPM_MODEL_FIELD;
	memset(&c, 0, sizeof c);
	c.model = s->model;
	c.chroma = s->chroma == VPM_CHROMA_AUTO ? (field ? VPM_CHROMA_OPPONENT : VPM_CHROMA_FULL)
						: s->chroma;
	c.resample = s->resample == VPM_RESAMPLE_AUTO
			     ? (field ? VPM_RESAMPLE_LANCZOS3 : VPM_RESAMPLE_BOX)
			     : s->resample;
	c.band = s->band == VPM_BAND_AUTO ? (field ? VPM_BAND_EXPECTED : VPM_BAND_WORST) : s->band;
	c.viewing = s->viewing;
	if (c.viewing == VPM_VIEWING_AUTO)
		c.viewing = field ? vpm_viewing_for_delivery(s->delivery_px) : VPM_VIEWING_CUSTOM;
	vp = vpm_viewing_profile(c.viewing);
	if (vp) {
		c.view_heights = vp->view_heights;
		c.luminance_cd_m2 = vp->luminance_cd_m2;
		c.aspect = vp->aspect;
	} else {
		c.viewing = VPM_VIEWING_CUSTOM;
		c.view_heights = s->view_heights;
		c.luminance_cd_m2 = s->luminance_cd_m2;
		c.aspect = s->aspect;
	}
	c.pupil_edge = field ? (s->pupil_edge < 0.0 ? VPM_FIELD_PUPIL_EDGE : s->pupil_edge) : 0.0;
	c.content_contrast = field ? s->content_contrast : 0.0;
	*out = c;
	return VPM_OK;
}

int vpm_model_describe(const vpm_setup_t *s, char *buf, size_t n)
{
	vpm_model_choice_t c;
	static const char *const chroma[] = { "full-weight colour (achromatic CSF)",
					      "luminance-share colour weights",
					      "opponent-colour CSFs" };
	static const char *const rs[] = { "", "box", "bicubic", "Lanczos-3" };
	char edge[96] = "", content[48] = "flat wall content";

	if (vpm_setup_model(s, &c) != VPM_OK)
		return snprintf(buf, n, "unknown model");
	if (c.model == VPM_MODEL_FIELD)
		snprintf(edge, sizeof edge, ", soft pupil edge %.2f, f-number T x %.3f",
			 c.pupil_edge,
			 sqrt(s->transmission > 0.0 ? s->transmission : VPM_FIELD_TRANSMISSION));
	if (c.content_contrast > 0.0)
		snprintf(content, sizeof content, "content masking (RMS contrast %.2f)",
			 c.content_contrast);
	return snprintf(buf, n,
			"%s model: %s, viewing %s (%.3g picture heights, %.3g cd/m2), %s "
			"resampling%s, %s over the focus %s (+-%.0f%%), %s",
			vpm_model_name(c.model), chroma[c.chroma < 3 ? c.chroma : 0],
			vpm_viewing_name(c.viewing), c.view_heights, c.luminance_cd_m2,
			rs[c.resample <= VPM_RESAMPLE_LANCZOS3 ? c.resample : 1], edge,
			c.band == VPM_BAND_WORST ? "worst case" : "expected value",
			c.model == VPM_MODEL_FIELD ? "and stop bands" : "band",
			100.0 * s->tolerance, content);
}

const char *vpm_risk_name(vpm_risk_t risk)
{
	switch (risk) {
	case VPM_RISK_SAFE: return "safe";
	case VPM_RISK_CAUTION: return "caution";
	case VPM_RISK_RISKY: return "risky";
	}
	return "unknown";
}

const char *vpm_risk_label(vpm_risk_t risk)
{
	switch (risk) {
	case VPM_RISK_SAFE: return "SAFE";
	case VPM_RISK_CAUTION: return "CAUTION";
	case VPM_RISK_RISKY: return "RISKY";
	}
	return "?";
}

double vpm_visibility_verdict(double moire_visibility, double grid_visibility)
{
	return fmax(moire_visibility, grid_visibility);
}

double vpm_result_visibility(const vpm_result_t *r)
{
	return vpm_visibility_verdict(r->moire_visibility, r->grid_visibility);
}

/* The report contract's fields, in the contract's order. */
typedef enum {
	F_MAGNIFICATION,
	F_LED_FREQUENCY,
	F_NYQUIST,
	F_WALL_BLUR,
	F_COC,
	F_DOF_NEAR,
	F_DOF_FAR,
	F_HYPERFOCAL,
	F_MOIRE_VISIBILITY,
	F_MOIRE_MODULATION,
	F_MOIRE_BEAT,
	F_MOIRE_CY_DEG,
	F_MOIRE_CHANNEL,
	F_GRID_VISIBILITY,
	F_GRID_MODULATION,
	F_GRID_CY_MM,
	F_RISK,
	F_COUNT
} report_field_t;

static const char *const report_names[F_COUNT] = {
	[F_MAGNIFICATION] = "magnification",
	[F_LED_FREQUENCY] = "led_frequency_cy_mm",
	[F_NYQUIST] = "nyquist_cy_mm",
	[F_WALL_BLUR] = "wall_blur_mm",
	[F_COC] = "coc_mm",
	[F_DOF_NEAR] = "dof_near_m",
	[F_DOF_FAR] = "dof_far_m",
	[F_HYPERFOCAL] = "hyperfocal_m",
	[F_MOIRE_VISIBILITY] = "moire_visibility",
	[F_MOIRE_MODULATION] = "moire_modulation",
	[F_MOIRE_BEAT] = "moire_beat_cy_mm",
	[F_MOIRE_CY_DEG] = "moire_cy_deg",
	[F_MOIRE_CHANNEL] = "moire_channel",
	[F_GRID_VISIBILITY] = "grid_visibility",
	[F_GRID_MODULATION] = "grid_modulation",
	[F_GRID_CY_MM] = "grid_cy_mm",
	[F_RISK] = "risk",
};

_Static_assert(F_COUNT == VPM_REPORT_FIELDS, "VPM_REPORT_FIELDS counts the report's fields");

const char *vpm_report_field_name(size_t i)
{
	return i < F_COUNT ? report_names[i] : NULL;
}

int vpm_report_field_value(size_t i, const vpm_result_t *r, double *number, const char **text)
{
	/* a kind without a component has no frequency (its visibility and
	 * modulation are 0, see vpm_predict()) */
	int moire = r->moire_channel != VPM_CHANNEL_NONE;
	int grid = r->grid_channel != VPM_CHANNEL_NONE;
	double v = NAN;
	const char *t = NULL;

	switch ((report_field_t)i) {
	case F_MAGNIFICATION: v = r->magnification; break;
	case F_LED_FREQUENCY: v = r->led_frequency_cy_mm; break;
	case F_NYQUIST: v = r->nyquist_cy_mm; break;
	case F_WALL_BLUR: v = r->wall_blur_mm; break;
	case F_COC: v = r->coc_mm; break;
	case F_DOF_NEAR: v = r->dof_near_m; break;
	case F_DOF_FAR: v = r->dof_far_m; break;
	case F_HYPERFOCAL: v = r->hyperfocal_m; break;
	case F_MOIRE_VISIBILITY: v = r->moire_visibility; break;
	case F_MOIRE_MODULATION: v = r->moire_modulation; break;
	case F_MOIRE_BEAT: v = moire ? r->moire_beat_cy_mm : NAN; break;
	case F_MOIRE_CY_DEG: v = moire ? r->moire_cy_deg : NAN; break;
	case F_MOIRE_CHANNEL: t = vpm_channel_name(r->moire_channel); break;
	case F_GRID_VISIBILITY: v = r->grid_visibility; break;
	case F_GRID_MODULATION: v = r->grid_modulation; break;
	case F_GRID_CY_MM: v = grid ? r->grid_cy_mm : NAN; break;
	case F_RISK: t = vpm_risk_name(r->risk); break;
	case F_COUNT:
	default: return -1;
	}
	*number = v;
	*text = t;
	return i == F_MOIRE_CHANNEL || i == F_RISK;
}

vpm_risk_t vpm_risk_classify(double visibility, double caution_at, double risky_at)
{
	/* written as "below the threshold" so that NaN falls through to RISKY */
	return visibility < caution_at ? VPM_RISK_SAFE
	       : visibility < risky_at ? VPM_RISK_CAUTION
				       : VPM_RISK_RISKY;
}

const char *vpm_channel_name(vpm_channel_t channel)
{
	switch (channel) {
	case VPM_CHANNEL_LUMA: return "luma";
	case VPM_CHANNEL_RED: return "red";
	case VPM_CHANNEL_BLUE: return "blue";
	case VPM_CHANNEL_NONE: break;
	}
	return NULL;
}

/* Every numeric quantity of a set-up has a physical range, checked here
 * once for every command (check, sweep, chart, focus, shotlist, simulate):
 * each field against its range in the set-up field table
 * (vpm_setup_field_check(), lib/setupfield.c, the ranges the flags are
 * parsed into), then the rules that tie fields together. */
VPM_STATUS_FN(vpm_setup_validate, (const vpm_setup_t *s), (s))
{
	double near_m;
	vpm_status_t st;

	if (!s)
		return vpm_error(VPM_EINVAL, "no set-up");
	for (size_t i = 0; i < vpm_setup_field_count(); i++)
		if ((st = vpm_setup_field_check(vpm_setup_field(i), s)) != VPM_OK)
			return st;
	if (s->emitter_mm >= s->pitch_mm)
		return vpm_error(VPM_ERANGE,
				 "--emitter: emitter %g mm must be smaller than the LED pitch %g mm",
				 s->emitter_mm, s->pitch_mm);
	st = vpm_otf_aberration_check(s->lens_mtf_n, s->lens_mtf_cy_mm, s->lens_mtf,
				      s->lens_mtf_stop);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--lens");
	/* the closest a thin lens focuses, 4f, by the one rule (a set-up
	 * carries no catalog close focus: vpm_lens_check() adds that) */
	near_m = vpm_geometry_closest_focus_m(s->focal_mm, 0.0, 1.0);
	if (s->wall_m <= near_m)
		return vpm_error(
			VPM_EGEOMETRY,
			"--wall: the wall at %.4g m is closer than the lens can focus (4f = %.4g m)",
			s->wall_m, near_m);
	if (s->focus_m <= near_m)
		return vpm_error(
			VPM_EGEOMETRY,
			"--focus: focus %.4g m is closer than the lens can focus (4f = %.4g m)",
			s->focus_m, near_m);
	if (s->chroma != VPM_CHROMA_FULL && s->chroma != VPM_CHROMA_LUMA &&
	    s->chroma != VPM_CHROMA_OPPONENT && s->chroma != VPM_CHROMA_AUTO)
		return vpm_error(VPM_EINVAL, "--chroma-weight: unknown chroma weighting (%d)",
				 (int)s->chroma);
	if (s->model != VPM_MODEL_FIELD && s->model != VPM_MODEL_IDEAL)
		return vpm_error(VPM_EINVAL, "--model: unknown model (%d)", (int)s->model);
	if ((int)s->viewing < (int)VPM_VIEWING_AUTO || (int)s->viewing > (int)VPM_VIEWING_PHONE)
		return vpm_error(VPM_EINVAL, "--viewing: unknown viewing profile (%d)",
				 (int)s->viewing);
	if ((int)s->resample < (int)VPM_RESAMPLE_AUTO ||
	    (int)s->resample > (int)VPM_RESAMPLE_LANCZOS3)
		return vpm_error(VPM_EINVAL, "--resample: unknown resampling kernel (%d)",
				 (int)s->resample);
	if ((int)s->band < (int)VPM_BAND_AUTO || (int)s->band > (int)VPM_BAND_EXPECTED)
		return vpm_error(VPM_EINVAL, "--band: unknown focus-band statistic (%d)",
				 (int)s->band);
	if (s->risky_at < s->caution_at)
		return vpm_error(VPM_ERANGE,
				 "--risky-at: risky threshold %g is below the caution threshold %g",
				 s->risky_at, s->caution_at);
	return VPM_OK;
}

/* ------------------------------------------------------------------------
 * Workspace */

typedef struct {
	double amp;   /* E·OLPF·photosite·boxes·aberration: amplitude without defocus */
	long long r2; /* k² + l² */
	int k, l;     /* LED harmonic (canonical member of the ± pair) */
	int next;     /* next member of the group, −1 */
} member_t;

typedef struct {
	double bound;  /* upper bound of V (with the CSF peak while !have_S) */
	double amp_db; /* Σ members' amplitude × defocus bound */
	double fx, fy; /* final frequency, canonical sign */
	double u, S;   /* cycles/degree and CSF (once have_S) */
	int have_S;
	long long kx, ky;
	int first; /* first member */
	int rep;   /* representative member: smallest (r2, k, l) */
	int ch;	   /* index into the channel array */
	int aliased;
} group_t;

typedef struct {
	uint64_t hk;	/* hash of (key x, key y, aliased) */
	uint32_t stamp; /* valid when equal to the workspace's ghash_stamp */
	int32_t group;
} gslot_t;

/* A channel's sensitivity on u = 0 … CSF_TAB_U cycles/degree (field model) */
#define CSF_TAB_PER 64
#define CSF_TAB_U 64.0
#define CSF_TAB_N (64 * CSF_TAB_PER + 3)
#define CSF_TAB_SLOTS 4
typedef struct {
	int used, opponent, nch;
	double L, X0, content;
	unsigned long stamp;
	double v[3][CSF_TAB_N];
} csf_tab_t;

typedef struct {
	uint64_t key; /* (r2 << 2) | channel index */
	uint32_t gen;
	int have_d;
	double ab, db, d;      /* d: the defocus factor that drives (band statistic) */
	double d_worst, d_exp; /* worst case and mean over the band (NAN: unknown) */
} cache_t;

typedef struct {
	vpm_sensor_channel_t sc;
	vpm_sensor_chain_t chain;
	double lambda_mm, nu_c, w, wmin, cw;
	double smax;		/* bound of the channel's CSF over u > 0 */
	vpm_vision_colour_t vc; /* opponent-colour CSF (chroma opponent) */
	long K;			/* |k|, |l| ≤ K below the cut-off */
	int fast;
	int i_alias; /* first aliased axis index (fast path), −1 if none */
	int n_seed;  /* harmonics the seed phase handled (sensor-axis indices) */
	int seed_i[SEEDS_MAX], seed_j[SEEDS_MAX];
	double *ax, *fx, *mx;
	unsigned char *al;
	size_t cap;
} chan_t;

struct vpm_predict_workspace {
	vpm_otf_aberration_t *ab;
	int ab_n;
	double ab_stop, ab_nu[VPM_LENS_MTF_MAX], ab_mtf[VPM_LENS_MTF_MAX];
	double csf_L, csf_X0, csf_peak;

	chan_t ch[3];
	double *etab; /* |sinc(i·e/p)| */
	size_t etab_cap;

	cache_t *cache;
	size_t cache_cap, cache_used;
	uint32_t gen; /* cache generation: one per evaluation */

	/* 1-D key set for the coincidence check */
	long long *kset;
	uint32_t *kset_gen;
	size_t kset_cap;
	uint32_t kset_stamp;

	/* grouped enumeration: one slot per group, fingerprint inside, so a
	 * probe touches one cache line */
	gslot_t *ghash;
	size_t ghash_cap;
	uint32_t ghash_stamp;

	member_t *mem;
	size_t mem_n, mem_cap;
	group_t *grp;
	size_t grp_n, grp_cap;
	int *cand;
	size_t cand_n, cand_cap;

	/* result state of the running evaluation */
	vpm_component_t top[VPM_TOP_COMPONENTS];
	long long top_r2[VPM_TOP_COMPONENTS];
	size_t n_top;
	vpm_component_t best[2]; /* 0: grid (resolved), 1: moiré (aliased) */
	long long best_r2[2];
	int have_best[2];

	/* parameters of the running evaluation */
	double nu0, stop, tolerance, gain, width_mm, angle_deg, lum, olpf_mm, aperture_mm;
	double squeeze;	 /* anamorphic S: sensor x frequency = S × the lens's (doc/model.md) */
	double stop_tol; /* the field model's planning tolerance on N (0: none) */
	vpm_vision_csf_t csf;
	int quarter; /* roll in quarter turns, or −1 */
	double cos_t, sin_t;

	/* the field model */
	vpm_model_choice_t choice;
	int opponent;	      /* channels scored with vpm_vision_colour_eval() */
	vpm_otf_field_t *fo;  /* soft-pupil defocus table (field model), or NULL */
	int field;	      /* this evaluation uses it (the table outlives ideal runs) */
	csf_tab_t *tabs;      /* CSF_TAB_SLOTS sensitivity tables (field model) */
	const csf_tab_t *tab; /* the one in use, or NULL: exact values */
	unsigned long tab_clock;
	int exact_csf; /* tests: never tabulate */
	double fo_edge;

	vpm_predict_mode_t mode;
	vpm_predict_otf_hook_t hook;
	void *hook_ctx;
	vpm_predict_stats_t stats;
};

static int grow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void **p = pp;
	size_t n = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	q = realloc(*p, n * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = n;
	return 0;
}

vpm_predict_workspace_t *vpm_predict_workspace_alloc(void)
{
	vpm_predict_workspace_t *ws = calloc(1, sizeof *ws);

	if (!ws) {
		vpm_error(VPM_ENOMEM, "out of memory for a predictor workspace");
		return NULL;
	}
	ws->ab = vpm_otf_aberration_alloc();
	if (!ws->ab) {
		free(ws);
		return NULL;
	}
	ws->csf_L = -1.0;
	/* a cache big enough for typical set-ups; it grows when needed */
	ws->cache_cap = 4096;
	ws->cache = calloc(ws->cache_cap, sizeof *ws->cache);
	if (!ws->cache) {
		vpm_predict_workspace_free(ws);
		vpm_error(VPM_ENOMEM, "out of memory for a predictor workspace");
		return NULL;
	}
	return ws;
}

void vpm_predict_workspace_free(vpm_predict_workspace_t *ws)
{
	if (!ws)
		return;
	vpm_otf_aberration_free(ws->ab);
	for (int c = 0; c < 3; c++) {
		free(ws->ch[c].ax);
		free(ws->ch[c].fx);
		free(ws->ch[c].mx);
		free(ws->ch[c].al);
	}
	free(ws->etab);
	free(ws->cache);
	free(ws->kset);
	free(ws->kset_gen);
	free(ws->ghash);
	free(ws->mem);
	free(ws->grp);
	free(ws->cand);
	vpm_otf_field_free(ws->fo);
	free(ws->tabs);
	free(ws);
}

void vpm_predict_workspace_set_exact_csf(vpm_predict_workspace_t *ws, int exact)
{
	ws->exact_csf = exact;
}

void vpm_predict_workspace_set_mode(vpm_predict_workspace_t *ws, vpm_predict_mode_t mode)
{
	ws->mode = mode;
}

void vpm_predict_workspace_set_otf_hook(vpm_predict_workspace_t *ws, vpm_predict_otf_hook_t hook,
					void *ctx)
{
	ws->hook = hook;
	ws->hook_ctx = ctx;
}

void vpm_predict_workspace_stats(const vpm_predict_workspace_t *ws, vpm_predict_stats_t *out)
{
	*out = ws->stats;
}

/* ------------------------------------------------------------------------
 * Per-|ν| cache of the aberration factor, the defocus bound and the exact
 * defocus factor, keyed by (channel, k² + l²).  Generation stamps make
 * "clear" O(1). */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static int cache_rehash(vpm_predict_workspace_t *ws)
{
	size_t ncap = ws->cache_cap * 2;
	cache_t *n = calloc(ncap, sizeof *n);

	if (!n)
		return -1;
	for (size_t i = 0; i < ws->cache_cap; i++) {
		cache_t *e = &ws->cache[i];
		size_t h;

		if (e->gen != ws->gen)
			continue;
		h = mix64(e->key) & (ncap - 1);
		while (n[h].gen == ws->gen)
			h = (h + 1) & (ncap - 1);
		n[h] = *e;
	}
	free(ws->cache);
	ws->cache = n;
	ws->cache_cap = ncap;
	return 0;
}

static cache_t *cache_get(vpm_predict_workspace_t *ws, int c, long long r2)
{
	uint64_t key = ((uint64_t)r2 << 2) | (uint64_t)c;
	size_t mask = ws->cache_cap - 1, h = mix64(key) & mask;
	cache_t *e;
	chan_t *ch = &ws->ch[c];
	double nu, s;

	while (ws->cache[h].gen == ws->gen) {
		if (ws->cache[h].key == key)
			return &ws->cache[h];
		h = (h + 1) & mask;
	}
	if (2 * (ws->cache_used + 1) > ws->cache_cap) {
		if (cache_rehash(ws) != 0)
			return NULL;
		return cache_get(ws, c, r2);
	}
	ws->cache_used++;
	e = &ws->cache[h];
	e->key = key;
	e->gen = ws->gen;
	e->have_d = 0;
	nu = ws->nu0 * sqrt((double)r2);
	s = 2.0 * ch->lambda_mm * ws->stop * nu;
	e->ab = vpm_otf_aberration_factor(ws->ab, nu);
	/* in the field model the f-number varies over N(1 ± δ): the bound
	 * takes the smallest shear and the least defocus of that box */
	if (!ws->field) {
		e->db = vpm_otf_defocus_bound(s, ch->wmin);
	} else if (ws->stop_tol > 0.0) {
		/* the f-number band N(1 - δ), N, N(1 + δ) of cache_defocus():
		 * shear s·q, least defocus w(1 - δ)/q² */
		e->db = vpm_otf_field_bound(ws->fo, s, ch->wmin);
		for (int j = 0; j < 2; j++) {
			double q = 1.0 + ws->stop_tol * (2 * j - 1);

			e->db = fmax(e->db, vpm_otf_field_bound(ws->fo, s * q, ch->w / (q * q)));
		}
	} else {
		e->db = vpm_otf_field_bound(ws->fo, s, ch->wmin);
	}
	e->d = 0.0;
	return e;
}

/* Exact defocus factor of SPEC §2 step 4 (with the planning tolerance). */
static double cache_defocus(vpm_predict_workspace_t *ws, int c, long long r2, cache_t *e)
{
	if (!e->have_d) {
		chan_t *ch = &ws->ch[c];
		double s = 2.0 * ch->lambda_mm * ws->stop * ws->nu0 * sqrt((double)r2);

		if (ws->field && ws->stop_tol > 0.0) {
			/* the planning tolerance on the stop (doc/model.md §5): the
			 * f-number at N(1 - δ), N, N(1 + δ); shear s ∝ N, defocus
			 * in waves w ∝ 1/N² (blur c ∝ 1/N, w = c/(8Nλ)).  A
			 * plus-shaped rule over the (N, focus) band: the nine
			 * focus values at N, the centre focus at N(1 ± δ); the mean
			 * by Simpson's rule over a uniform N, the worst of all. */
			double wo, ex = vpm_otf_field_factor(ws->fo, s, ch->w, ws->tolerance, &wo);

			ex *= 4.0 / 6.0;
			for (int j = 0; j < 2; j++) {
				double q = 1.0 + ws->stop_tol * (2 * j - 1);
				double de = vpm_otf_field_factor(ws->fo, s * q, ch->w / (q * q),
								 0.0, NULL);
				ex += de / 6.0;
				wo = fmax(wo, de);
			}
			e->d_exp = fmin(ex, wo);
			e->d_worst = wo;
		} else if (ws->field) {
			e->d_exp = vpm_otf_field_factor(ws->fo, s, ch->w, ws->tolerance,
							&e->d_worst);
		} else if (ws->choice.band == VPM_BAND_WORST) {
			/* the ideal chain exactly as SPEC §2 step 4 */
			e->d_worst = vpm_otf_defocus_factor(s, ch->w, ws->tolerance);
			e->d_exp = NAN;
		} else {
			/* an ideal lens judged by the mean over the band */
			double h[9], mx = 0.0, sum = 0.0;
			int n = ws->tolerance > 0.0 ? 9 : 1;
			double w0 = ch->w * (1.0 - ws->tolerance);
			double dw = n > 1 ? ch->w * ws->tolerance / 4.0 : 0.0;

			vpm_otf_hopkins_series(s, w0, dw, n, h);
			for (int j = 0; j < n; j++) {
				mx = fmax(mx, fabs(h[j]));
				sum += fabs(h[j]);
			}
			e->d_worst = mx;
			e->d_exp = sum / n;
		}
		e->d = ws->choice.band == VPM_BAND_WORST ? e->d_worst : e->d_exp;
		e->have_d = 1;
		ws->stats.otf_evals++;
		if (ws->hook)
			ws->hook(ws->hook_ctx, s, ch->w, ws->tolerance, e->d);
	}
	return e->d;
}

/* ------------------------------------------------------------------------
 * Ranking: visibility descending, then channel, then |ν| (r2), then k, l,
 * so that the result does not depend on the order of evaluation. */

static int ranks_before(double v, int channel, long long r2, int k, int l, const vpm_component_t *b,
			long long b_r2)
{
	if (v != b->visibility)
		return v > b->visibility;
	if (channel != (int)b->channel)
		return channel < (int)b->channel;
	if (r2 != b_r2)
		return r2 < b_r2;
	if (k != b->k)
		return k < b->k;
	return l < b->l;
}

static double threshold(const vpm_predict_workspace_t *ws, int aliased)
{
	double t = ws->have_best[aliased] ? ws->best[aliased].visibility : 0.0;

	if (ws->n_top < VPM_TOP_COMPONENTS)
		return 0.0;
	return fmin(t, ws->top[VPM_TOP_COMPONENTS - 1].visibility);
}

static void record(vpm_predict_workspace_t *ws, const vpm_component_t *cp, long long r2)
{
	int a = cp->aliased ? 1 : 0;
	size_t pos;

	if (!(cp->visibility > 0.0))
		return;
	if (!ws->have_best[a] || ranks_before(cp->visibility, cp->channel, r2, cp->k, cp->l,
					      &ws->best[a], ws->best_r2[a])) {
		ws->best[a] = *cp;
		ws->best_r2[a] = r2;
		ws->have_best[a] = 1;
	}
	pos = ws->n_top;
	while (pos > 0 && ranks_before(cp->visibility, cp->channel, r2, cp->k, cp->l,
				       &ws->top[pos - 1], ws->top_r2[pos - 1]))
		pos--;
	if (pos >= VPM_TOP_COMPONENTS)
		return;
	{
		size_t last = ws->n_top < VPM_TOP_COMPONENTS ? ws->n_top : VPM_TOP_COMPONENTS - 1;

		for (size_t i = last; i > pos; i--) {
			ws->top[i] = ws->top[i - 1];
			ws->top_r2[i] = ws->top_r2[i - 1];
		}
	}
	ws->top[pos] = *cp;
	ws->top_r2[pos] = r2;
	if (ws->n_top < VPM_TOP_COMPONENTS)
		ws->n_top++;
}

/* Evaluate one group exactly and record it. */
static int evaluate_group(vpm_predict_workspace_t *ws, const group_t *g)
{
	chan_t *ch = &ws->ch[g->ch];
	const member_t *rep = &ws->mem[g->rep];
	double sum = 0.0, sum_w = 0.0, sum_e = 0.0;
	vpm_component_t cp;

	for (int m = g->first; m >= 0; m = ws->mem[m].next) {
		const member_t *mb = &ws->mem[m];
		cache_t *e = cache_get(ws, g->ch, mb->r2);

		if (!e)
			return -1;
		sum += mb->amp * cache_defocus(ws, g->ch, mb->r2, e);
		sum_w += mb->amp * e->d_worst;
		sum_e += mb->amp * e->d_exp;
	}
	ws->stats.evaluated++;
	cp.k = rep->k;
	cp.l = rep->l;
	cp.channel = ch->sc.channel;
	cp.aliased = g->aliased;
	cp.nu_x_cy_mm = g->fx;
	cp.nu_y_cy_mm = g->fy;
	cp.nu_cy_mm = sqrt(g->fx * g->fx + g->fy * g->fy);
	cp.cy_deg = g->u;
	cp.modulation = 2.0 * sum;
	/* V = g·w_c·modulation·S: cw = 2·g·w_c and sum is the amplitude */
	cp.visibility = ch->cw * sum * g->S;
	cp.visibility_worst = ch->cw * sum_w * g->S;
	cp.visibility_expected = ch->cw * sum_e * g->S; /* NAN when unknown */
	record(ws, &cp, rep->r2);
	return 0;
}

/* ------------------------------------------------------------------------
 * Components */

/* Canonical LED label of the ± pair: k > 0, or k = 0 and l > 0. */
static void canon_label(int *k, int *l)
{
	if (*k < 0 || (*k == 0 && *l < 0)) {
		*k = -*k;
		*l = -*l;
	}
}

/* Canonical sign of a final frequency from its rounded keys. */
static void canon_freq(double *fx, double *fy, long long *kx, long long *ky)
{
	if (*kx < 0 || (*kx == 0 && *ky < 0)) {
		*fx = -*fx;
		*fy = -*fy;
		*kx = -*kx;
		*ky = -*ky;
	}
}

static int push_member(vpm_predict_workspace_t *ws, double amp, long long r2, int k, int l)
{
	member_t *m;

	if (grow(&ws->mem, &ws->mem_cap, ws->mem_n + 1, sizeof *ws->mem) != 0)
		return -1;
	m = &ws->mem[ws->mem_n];
	m->amp = amp;
	m->r2 = r2;
	m->k = k;
	m->l = l;
	m->next = -1;
	return (int)ws->mem_n++;
}

/* The sensitivity a component of channel c meets at u cycles/degree:
 * Barten's CSF (SPEC §2 step 9), or the opponent-colour mechanisms of the
 * field model; divided by the masking of the wall content (field model).
 * Never above ws->ch[c].smax. */
static double chan_csf_exact(const vpm_predict_workspace_t *ws, int c, double u)
{
	double S = ws->opponent ? vpm_vision_colour_eval(&ws->ch[c].vc, u)
				: vpm_vision_csf_eval(&ws->csf, u);

	if (ws->choice.content_contrast > 0.0)
		S /= vpm_content_masking(ws->choice.content_contrast *
					 vpm_vision_csf_eval(&ws->csf, u));
	return S;
}

static double chan_csf(const vpm_predict_workspace_t *ws, int c, double u)
{
	const csf_tab_t *t = ws->tab;
	double x, f;
	int i;

	if (!t || !(u < CSF_TAB_U))
		return chan_csf_exact(ws, c, u);
	/* Catmull–Rom between the table points (relative error ~1e-7) */
	x = u * CSF_TAB_PER;
	i = (int)x;
	f = x - i;
	if (i < 1 || i + 2 >= CSF_TAB_N)
		return t->v[c][i] + f * (t->v[c][i + 1] - t->v[c][i]);
	{
		double p0 = t->v[c][i - 1], p1 = t->v[c][i], p2 = t->v[c][i + 1],
		       p3 = t->v[c][i + 2];

		return p1 + 0.5 * f *
				    (p2 - p0 +
				     f * (2.0 * p0 - 5.0 * p1 + 4.0 * p2 - p3 +
					  f * (3.0 * (p1 - p2) + p3 - p0)));
	}
}

/* The field model's sensitivity tables: one per viewing condition, four
 * kept (a sweep over deliveries alternates between a few). */
static void csf_tab_select(vpm_predict_workspace_t *ws, int nch)
{
	csf_tab_t *t = NULL;
	int oldest = 0;

	for (int k = 0; k < CSF_TAB_SLOTS; k++) {
		csf_tab_t *c = &ws->tabs[k];

		if (c->used && c->L == ws->lum && c->X0 == ws->angle_deg &&
		    c->opponent == ws->opponent && c->content == ws->choice.content_contrast &&
		    c->nch >= nch) {
			t = c;
			break;
		}
		if (!ws->tabs[k].used || ws->tabs[k].stamp < ws->tabs[oldest].stamp)
			oldest = k;
	}
	if (!t) {
		t = &ws->tabs[oldest];
		ws->tab = NULL; /* exact values while filling */
		for (int c = 0; c < nch; c++)
			for (int i = 0; i < CSF_TAB_N; i++)
				t->v[c][i] = chan_csf_exact(ws, c, (double)i / CSF_TAB_PER);
		t->used = 1;
		t->L = ws->lum;
		t->X0 = ws->angle_deg;
		t->opponent = ws->opponent;
		t->content = ws->choice.content_contrast;
		t->nch = nch;
	}
	t->stamp = ++ws->tab_clock;
	ws->tab = t;
}

/* The viewer's cycles per degree of a final sensor frequency: the delivery
 * desqueezes by S, so x frequencies reach the viewer divided by S (the
 * picture's vertical scale is the unsqueezed one; doc/model.md).  With
 * S = 1 exactly the spherical formula. */
static double viewer_cy_deg(const vpm_predict_workspace_t *ws, double fx, double fy)
{
	if (ws->squeeze != 1.0)
		fx /= ws->squeeze;
	return vpm_vision_cy_deg(sqrt(fx * fx + fy * fy), ws->width_mm, ws->angle_deg);
}

/* A new group; its CSF is computed now (with_csf) or when it reaches the
 * top of the candidate heap. */
static int push_group(vpm_predict_workspace_t *ws, int c, int aliased, double fx, double fy,
		      long long kx, long long ky, int first, int with_csf)
{
	group_t *g;

	if (grow(&ws->grp, &ws->grp_cap, ws->grp_n + 1, sizeof *ws->grp) != 0)
		return -1;
	g = &ws->grp[ws->grp_n];
	g->ch = c;
	g->aliased = aliased;
	g->fx = fx;
	g->fy = fy;
	g->kx = kx;
	g->ky = ky;
	g->first = first;
	g->rep = first;
	g->bound = 0.0;
	g->amp_db = 0.0;
	g->have_S = 0;
	if (with_csf) {
		g->u = viewer_cy_deg(ws, fx, fy);
		g->S = chan_csf(ws, c, g->u);
		g->have_S = 1;
	}
	return (int)ws->grp_n++;
}

static int push_cand(vpm_predict_workspace_t *ws, int gi)
{
	if (grow(&ws->cand, &ws->cand_cap, ws->cand_n + 1, sizeof *ws->cand) != 0)
		return -1;
	ws->cand[ws->cand_n++] = gi;
	return 0;
}

/* (a, b) turned by q quarter turns counter-clockwise (q = 0..3). */
static void quarter_turn(int q, int a, int b, int *x, int *y)
{
	switch (q) {
	case 1:
		*x = -b;
		*y = a;
		break;
	case 2:
		*x = -a;
		*y = -b;
		break;
	case 3:
		*x = b;
		*y = -a;
		break;
	default:
		*x = a;
		*y = b;
		break;
	}
}

/* LED harmonic (k, l) → sensor frequency ν0·R(θ)·(k, l). */
static void harmonic_freq(const vpm_predict_workspace_t *ws, int k, int l, double *nx, double *ny)
{
	if (ws->quarter >= 0) {
		int x, y;

		quarter_turn(ws->quarter, k, l, &x, &y);
		*nx = x;
		*ny = y;
	} else {
		*nx = k * ws->cos_t - l * ws->sin_t;
		*ny = k * ws->sin_t + l * ws->cos_t;
	}
	/* the anamorphic squeeze compresses the image along the sensor's rows:
	 * frequencies along x grow by S (1 for a spherical lens) */
	*nx *= ws->nu0 * ws->squeeze;
	*ny *= ws->nu0;
}

/* Sensor-axis indices (i, j) → LED label (quarter turns only): the turn
 * back. */
static void axes_to_label(int quarter, int i, int j, int *k, int *l)
{
	quarter_turn(quarter >= 1 && quarter <= 3 ? 4 - quarter : 0, i, j, k, l);
	canon_label(k, l);
}

/* 1-D amplitude of the fast path: emitter × OLPF × photosite × boxes. */
static double axis_amp(const vpm_predict_workspace_t *ws, const chan_t *ch, long i, double *f,
		       int *moved)
{
	double nu = ws->nu0 * (double)i, gain = 1.0;
	double a = ws->etab[i];

	*moved = 0;
	*f = vpm_sensor_chain_axis(&ch->chain, nu, &gain, moved);
	if (ws->olpf_mm > 0.0)
		a *= fabs(cos(M_PI * ws->olpf_mm * nu));
	a *= fabs(vpm_otf_sinc(ws->aperture_mm * nu));
	return a * gain;
}

static long long key_of(double f)
{
	return llround(f * KEY_SCALE);
}

/* Build the 1-D tables of a channel for the separable fast path and decide
 * whether it applies.  Why 1-D keys suffice: merging needs
 * (key(i), key(j)) = ±(key(i′), key(j′)).  If |key| takes distinct values
 * on 0 … K (F is odd, so key(−i) = −key(i)), then |i′| = |i| and
 * |j′| = |j|; the four sign choices give back (i, j), its ± partner, or
 * (−i, j)/(i, −j), which need key(i) = 0 or key(j) = 0, i.e. i = 0 or
 * j = 0, i.e. the ± partner again.  So every group is one harmonic. */
static int channel_setup_fast(vpm_predict_workspace_t *ws, chan_t *ch)
{
	size_t n = (size_t)ch->K + 1, cap;
	int dup = 0;

	if (n > ch->cap) {
		size_t c2 = ch->cap;

		if (grow(&ch->ax, &c2, n, sizeof *ch->ax) != 0)
			return -1;
		c2 = ch->cap;
		if (grow(&ch->fx, &c2, n, sizeof *ch->fx) != 0)
			return -1;
		c2 = ch->cap;
		if (grow(&ch->mx, &c2, n, sizeof *ch->mx) != 0)
			return -1;
		c2 = ch->cap;
		if (grow(&ch->al, &c2, n, sizeof *ch->al) != 0)
			return -1;
		ch->cap = c2;
	}
	cap = 64;
	while (cap < 4 * n)
		cap *= 2;
	if (cap > ws->kset_cap) {
		long long *k2 = realloc(ws->kset, cap * sizeof *k2);
		uint32_t *g2;

		if (!k2)
			return -1;
		ws->kset = k2;
		g2 = realloc(ws->kset_gen, cap * sizeof *g2);
		if (!g2)
			return -1;
		memset(g2, 0, cap * sizeof *g2);
		ws->kset_gen = g2;
		ws->kset_cap = cap;
	}
	if (++ws->kset_stamp == 0) {
		memset(ws->kset_gen, 0, ws->kset_cap * sizeof *ws->kset_gen);
		ws->kset_stamp = 1;
	}
	ch->i_alias = -1;
	for (long i = 0; i <= ch->K; i++) {
		int moved;
		long long key, ak;
		size_t mask = ws->kset_cap - 1, h;

		ch->ax[i] = axis_amp(ws, ch, i, &ch->fx[i], &moved);
		ch->al[i] = (unsigned char)moved;
		if (moved && ch->i_alias < 0)
			ch->i_alias = (int)i;
		key = key_of(ch->fx[i]);
		ak = key < 0 ? -key : key;
		h = mix64((uint64_t)ak) & mask;
		while (ws->kset_gen[h] == ws->kset_stamp) {
			if (ws->kset[h] == ak) {
				dup = 1;
				break;
			}
			h = (h + 1) & mask;
		}
		if (dup)
			break;
		ws->kset[h] = ak;
		ws->kset_gen[h] = ws->kset_stamp;
	}
	if (dup)
		return 1;
	ch->mx[ch->K] = ch->ax[ch->K];
	for (long i = ch->K - 1; i >= 0; i--)
		ch->mx[i] = fmax(ch->ax[i], ch->mx[i + 1]);
	return 0;
}

/* The bound (without CSF and channel weight) of one fast-path harmonic
 * (sensor-axis indices): 0 on success, 1 when it is not below the
 * cut-off, −1 when out of memory. */
typedef struct {
	double bound, fx, fy;
	long long r2;
	int aliased;
	cache_t *e;
} fastc_t;

static int fast_component(vpm_predict_workspace_t *ws, int c, long i, long j, fastc_t *out)
{
	chan_t *ch = &ws->ch[c];
	long ai = i < 0 ? -i : i, aj = j < 0 ? -j : j;
	long long r2 = (long long)i * i + (long long)j * j;
	double amp, fx, fy;
	int al;
	cache_t *e;

	if ((double)r2 * ws->nu0 * ws->nu0 >= ch->nu_c * ch->nu_c)
		return 1;
	al = ch->al[ai] | ch->al[aj];
	e = cache_get(ws, c, r2);
	if (!e)
		return -1;
	amp = ch->ax[ai] * ch->ax[aj] * e->ab;
	fx = i < 0 ? -ch->fx[ai] : ch->fx[ai];
	fy = j < 0 ? -ch->fx[aj] : ch->fx[aj];
	out->bound = amp * e->db;
	out->fx = fx;
	out->fy = fy;
	out->r2 = r2;
	out->aliased = al;
	out->e = e;
	return 0;
}

/* Add one fast-path harmonic as a one-member group (and candidate) when its
 * bound reaches the threshold of its kind. */
static int fast_add(vpm_predict_workspace_t *ws, int c, long i, long j, const double thr[2])
{
	chan_t *ch = &ws->ch[c];
	const double smax = ch->smax;
	fastc_t fc;
	int r = fast_component(ws, c, i, j, &fc), k, l, m, gi;
	long long kx, ky;
	group_t *g;

	if (r != 0)
		return r < 0 ? -1 : 0;
	ws->stats.components++;
	/* cheap test with the CSF peak before computing the CSF */
	if (!(ch->cw * fc.bound * smax > 0.0) || ch->cw * fc.bound * smax < thr[fc.aliased])
		return 0;
	kx = key_of(fc.fx);
	ky = key_of(fc.fy);
	canon_freq(&fc.fx, &fc.fy, &kx, &ky);
	axes_to_label(ws->quarter, (int)i, (int)j, &k, &l);
	{
		double u = viewer_cy_deg(ws, fc.fx, fc.fy);
		double S = chan_csf(ws, c, u);
		double b = ch->cw * fc.bound * S;

		if (!(b > 0.0) || b < thr[fc.aliased])
			return 0;
	}
	m = push_member(ws, ch->ax[i < 0 ? -i : i] * ch->ax[j < 0 ? -j : j] * fc.e->ab, fc.r2, k,
			l);
	if (m < 0)
		return -1;
	gi = push_group(ws, c, fc.aliased, fc.fx, fc.fy, kx, ky, m, 1);
	if (gi < 0)
		return -1;
	g = &ws->grp[gi];
	g->amp_db = fc.bound;
	g->bound = ch->cw * fc.bound * g->S;
	return push_cand(ws, gi);
}

/* Was (i, j) handled by the seed phase?  The recorded list is the only
 * definition, so seeds are never counted twice nor skipped.  Every seed
 * has min(|i|, |j|) ≤ 2, which rejects almost all others at once. */
static int is_seed(const chan_t *ch, long i, long j)
{
	long ai = i < 0 ? -i : i, aj = j < 0 ? -j : j;

	if (ai > 2 && aj > 2)
		return 0;
	for (int q = 0; q < ch->n_seed; q++)
		if (ch->seed_i[q] == i && ch->seed_j[q] == j)
			return 1;
	return 0;
}

static int seed_add(vpm_predict_workspace_t *ws, int c, long i, long j)
{
	chan_t *ch = &ws->ch[c];
	static const double zero[2] = { 0.0, 0.0 };

	if (is_seed(ch, i, j) || ch->n_seed >= SEEDS_MAX)
		return 0;
	ch->seed_i[ch->n_seed] = (int)i;
	ch->seed_j[ch->n_seed] = (int)j;
	ch->n_seed++;
	return fast_add(ws, c, i, j, zero);
}

/* Candidate heap: a binary max-heap on the groups' bounds, over
 * cand[from …]. */
static void heap_down(const group_t *g, int *a, size_t n, size_t root)
{
	for (;;) {
		size_t child = 2 * root + 1;
		int t;

		if (child >= n)
			return;
		if (child + 1 < n && g[a[child + 1]].bound > g[a[child]].bound)
			child++;
		if (!(g[a[child]].bound > g[a[root]].bound))
			return;
		t = a[root];
		a[root] = a[child];
		a[child] = t;
		root = child;
	}
}

/* Evaluate candidates cand[from …] lazily, best bound first: the top of
 * the heap is discarded when its bound cannot reach the threshold of its
 * kind, refined (CSF peak → CSF at its frequency) when its bound is a first
 * one, and evaluated exactly otherwise.  Stops when no bound reaches
 * either threshold.  Thresholds only grow, so a discarded group can never
 * matter later.  Exhaustive: every group with a positive bound. */
static int evaluate_candidates(vpm_predict_workspace_t *ws, size_t from, int exhaustive)
{
	int *a;
	size_t n;
	group_t *grp = ws->grp;

	/* No candidate at all (an LED image far finer than any pass band):
	 * ws->cand may still be NULL, and NULL + 0 is undefined behaviour. */
	if (ws->cand_n <= from)
		return 0;
	a = ws->cand + from;
	n = ws->cand_n - from;
	for (size_t i = n / 2; i-- > 0;)
		heap_down(grp, a, n, i);
	while (n > 0) {
		group_t *g = &grp[a[0]];
		int drop = !(g->bound > 0.0);

		if (!drop && !exhaustive) {
			double t0 = threshold(ws, 0), t1 = threshold(ws, 1);

			if (g->bound < fmin(t0, t1))
				break;
			drop = g->bound < (g->aliased ? t1 : t0);
		}
		if (!drop && !g->have_S) {
			g->u = viewer_cy_deg(ws, g->fx, g->fy);
			g->S = chan_csf(ws, g->ch, g->u);
			g->have_S = 1;
			g->bound = ws->ch[g->ch].cw * g->amp_db * g->S;
			heap_down(grp, a, n, 0);
			continue;
		}
		if (!drop && evaluate_group(ws, g) != 0)
			return -1;
		a[0] = a[--n];
		heap_down(grp, a, n, 0);
	}
	return 0;
}

/* Fast path, seed phase: the lowest harmonics and the first aliased ones. */
static int fast_seeds(vpm_predict_workspace_t *ws, int c)
{
	chan_t *ch = &ws->ch[c];

	ch->n_seed = 0;
	for (long i = 0; i <= 2 && i <= ch->K; i++)
		for (long j = -2; j <= 2; j++) {
			if (i == 0 && j <= 0)
				continue;
			if (j < -ch->K || j > ch->K)
				continue;
			if (seed_add(ws, c, i, j) != 0)
				return -1;
		}
	if (ch->i_alias > 2 && ch->i_alias <= ch->K) {
		long a = ch->i_alias;
		const long sij[6][2] = { { a, 0 },  { 0, a }, { a, 1 },
					 { a, -1 }, { 1, a }, { 1, -a } };

		for (int q = 0; q < 6; q++)
			if (sij[q][1] >= -ch->K && sij[q][1] <= ch->K &&
			    seed_add(ws, c, sij[q][0], sij[q][1]) != 0)
				return -1;
	}
	return 0;
}

/* Fast path, collection pass with envelope pruning. */
static int fast_collect(vpm_predict_workspace_t *ws, int c)
{
	chan_t *ch = &ws->ch[c];
	double thr[2] = { threshold(ws, 0), threshold(ws, 1) };
	double tenv = fmin(thr[0], thr[1]);
	double scale = ch->cw * ch->smax;

	for (long i = 0; i <= ch->K; i++) {
		cache_t *e = cache_get(ws, c, (long long)i * i);
		double db;

		if (!e)
			return -1;
		db = e->db;
		if (i > 0 && scale * ch->mx[i] * db < tenv)
			break;
		if (i > 0 && scale * ch->ax[i] * db < tenv)
			continue;
		for (long aj = 0; aj <= ch->K; aj++) {
			long long r2 = (long long)i * i + (long long)aj * aj;
			cache_t *ej;

			if ((double)r2 * ws->nu0 * ws->nu0 >= ch->nu_c * ch->nu_c)
				break;
			ej = cache_get(ws, c, r2);
			if (!ej)
				return -1;
			if (scale * ch->ax[i] * ch->mx[aj] * ej->db < tenv)
				break;
			for (int sg = 0; sg < 2; sg++) {
				long j = sg ? -aj : aj;

				if (sg && aj == 0)
					continue;
				if (i == 0 && j <= 0)
					continue;
				if (is_seed(ch, i, j))
					continue;
				if (fast_add(ws, c, i, j, thr) != 0)
					return -1;
			}
		}
	}
	return 0;
}

/* Grouped enumeration of one channel: every harmonic below the cut-off,
 * merged by rounded final frequency and aliased flag; the groups whose
 * bound reaches the current threshold become candidates. */
static int general_collect(vpm_predict_workspace_t *ws, int c, int exhaustive)
{
	chan_t *ch = &ws->ch[c];
	long K = ch->K;
	size_t est = (size_t)(M_PI / 2.0 * (double)(K + 1) * (double)(K + 1)) + 16, cap = 64;
	size_t g0 = ws->grp_n;
	double thr[2] = { threshold(ws, 0), threshold(ws, 1) };
	double nuc2 = ch->nu_c * ch->nu_c;

	if (exhaustive)
		thr[0] = thr[1] = 0.0;
	while (cap < 2 * est)
		cap *= 2;
	if (cap > ws->ghash_cap) {
		gslot_t *h2 = realloc(ws->ghash, cap * sizeof *h2);

		if (!h2)
			return -1;
		memset(h2, 0, cap * sizeof *h2);
		ws->ghash = h2;
		ws->ghash_cap = cap;
	}
	if (++ws->ghash_stamp == 0) {
		memset(ws->ghash, 0, ws->ghash_cap * sizeof *ws->ghash);
		ws->ghash_stamp = 1;
	}
	for (long k = 0; k <= K; k++) {
		for (long l = -K; l <= K; l++) {
			long long r2 = (long long)k * k + (long long)l * l;
			double nx, ny, fx, fy, gain, amp;
			long long kx, ky;
			int al, m;
			size_t mask = ws->ghash_cap - 1, h;
			uint64_t hk;
			cache_t *e;

			if (k == 0 && l <= 0)
				continue;
			if ((double)r2 * ws->nu0 * ws->nu0 >= nuc2)
				continue;
			ws->stats.components++;
			harmonic_freq(ws, (int)k, (int)l, &nx, &ny);
			vpm_sensor_chain_apply(&ch->chain, nx, ny, &fx, &fy, &gain, &al);
			e = cache_get(ws, c, r2);
			if (!e)
				return -1;
			amp = ws->etab[k] * ws->etab[l < 0 ? -l : l] *
			      vpm_otf_olpf(nx, ny, ws->olpf_mm) *
			      vpm_otf_photosite(nx, ny, ws->aperture_mm) * gain * e->ab;
			kx = key_of(fx);
			ky = key_of(fy);
			canon_freq(&fx, &fy, &kx, &ky);
			m = push_member(ws, amp, r2, (int)k, (int)l);
			if (m < 0)
				return -1;
			hk = mix64((uint64_t)kx * 0x9E3779B97F4A7C15ULL ^ (uint64_t)ky ^
				   ((uint64_t)al << 63));
			h = hk & mask;
			while (ws->ghash[h].stamp == ws->ghash_stamp) {
				if (ws->ghash[h].hk == hk) {
					group_t *g = &ws->grp[ws->ghash[h].group];

					if (g->kx == kx && g->ky == ky && g->aliased == al)
						break;
				}
				h = (h + 1) & mask;
			}
			if (ws->ghash[h].stamp != ws->ghash_stamp) {
				int gi = push_group(ws, c, al, fx, fy, kx, ky, m, 0);

				if (gi < 0)
					return -1;
				ws->ghash[h].hk = hk;
				ws->ghash[h].group = gi;
				ws->ghash[h].stamp = ws->ghash_stamp;
				ws->grp[gi].amp_db = amp * e->db;
			} else {
				group_t *g = &ws->grp[ws->ghash[h].group];
				member_t *rep = &ws->mem[g->rep], *mb = &ws->mem[m];

				mb->next = g->first;
				g->first = m;
				g->amp_db += amp * e->db;
				if (r2 < rep->r2 ||
				    (r2 == rep->r2 &&
				     (mb->k < rep->k || (mb->k == rep->k && mb->l < rep->l))))
					g->rep = m;
			}
		}
	}
	/* first bound with the CSF peak; the heap refines it on demand */
	for (size_t gi = g0; gi < ws->grp_n; gi++) {
		group_t *g = &ws->grp[gi];

		g->bound = ch->cw * g->amp_db * ch->smax;
		if (g->bound > 0.0 && g->bound >= thr[g->aliased])
			if (push_cand(ws, (int)gi) != 0)
				return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * The predictor */

static vpm_status_t oom(void)
{
	return vpm_error(VPM_ENOMEM, "out of memory in the moiré predictor");
}

VPM_STATUS_FN(vpm_predict,
	      (const vpm_setup_t *setup, vpm_predict_workspace_t *ws, vpm_result_t *out),
	      (setup, ws, out))
{
	vpm_status_t st;
	vpm_result_t r;
	double f, N, Xf, Xw, s_f, v_f, s_w, m, c_blur, a_mm, W, coc, smax;
	vpm_sensor_channel_t sc[3];
	int nch, exhaustive;
	long kmax = 0;

	if (!ws || !out)
		return vpm_error(VPM_EINVAL, "vpm_predict: no workspace or result");
	st = vpm_setup_validate(setup);
	if (st != VPM_OK)
		return st;
	memset(&ws->stats, 0, sizeof ws->stats);
	memset(&r, 0, sizeof r);
	st = vpm_setup_model(setup, &ws->choice);
	if (st != VPM_OK)
		return st;
	r.choice = ws->choice;
	/* the field model's soft-pupil table: rebuilt only when the edge changes */
	ws->field = ws->choice.model == VPM_MODEL_FIELD;
	if (ws->field) {
		if (!ws->fo || ws->fo_edge != ws->choice.pupil_edge) {
			vpm_otf_field_free(ws->fo);
			ws->fo = vpm_otf_field_alloc(ws->choice.pupil_edge);
			if (!ws->fo)
				return vpm_error_prefix(VPM_ENOMEM, "--pupil-edge");
			ws->fo_edge = ws->choice.pupil_edge;
		}
	}

	/* step 1: geometry (mm) */
	f = setup->focal_mm;
	N = vpm_setup_f_number(setup);
	Xf = isinf(setup->focus_m) ? INFINITY : setup->focus_m * 1000.0;
	Xw = setup->wall_m * 1000.0;
	st = vpm_geometry_focus_object_mm(f, Xf, &s_f);
	if (st != VPM_OK)
		return vpm_error_prefix(st, "--focus");
	v_f = vpm_geometry_image_mm(f, s_f);
	s_w = vpm_geometry_lens_distance_mm(Xw, v_f);
	if (!(s_w > f))
		return vpm_error(
			VPM_EGEOMETRY,
			"--wall: the wall at %.4g m is not beyond the focal length in front of the lens",
			setup->wall_m);
	m = vpm_geometry_magnification(v_f, s_w);
	/* steps 2–3 */
	ws->nu0 = vpm_panel_fundamental_cy_mm(setup->pitch_mm, m);
	c_blur = vpm_geometry_blur_mm(f, N, s_w, s_f);
	a_mm = setup->photosite_um / 1000.0;
	W = setup->width_px * a_mm;

	/* anamorphic: horizontal magnification m/S, vertical m (doc/model.md) */
	ws->squeeze = setup->squeeze > 0.0 ? setup->squeeze : 1.0;
	r.magnification = m;
	r.led_frequency_cy_mm = ws->nu0;
	r.led_frequency_x_cy_mm = ws->nu0 * ws->squeeze;
	r.led_frequency_y_cy_mm = ws->nu0;
	r.squeeze = ws->squeeze;
	r.led_pitch_px = setup->pitch_mm * m / a_mm;
	r.nyquist_cy_mm = 1.0 / (2.0 * a_mm);
	r.wall_blur_mm = c_blur;
	r.wall_blur_pitches = c_blur / (setup->pitch_mm * m);
	r.defocus_waves = vpm_geometry_defocus_waves(c_blur, N, VPM_WAVELENGTH_LUMA_NM);
	coc = setup->coc_mm > 0.0 ? setup->coc_mm : vpm_geometry_coc_default_mm(W);
	r.coc_mm = coc;
	{
		vpm_dof_t dof;

		st = vpm_geometry_dof_mm(f, N, coc, Xf, &dof);
		if (st != VPM_OK)
			return st;
		r.dof_near_m = dof.near_mm / 1000.0;
		r.dof_far_m = isinf(dof.far_mm) ? INFINITY : dof.far_mm / 1000.0;
		r.hyperfocal_m = dof.hyperfocal_mm / 1000.0;
	}

	/* lens aberrations: re-initialise only when the curve changed */
	if (setup->lens_mtf_n != ws->ab_n || setup->lens_mtf_stop != ws->ab_stop ||
	    memcmp(setup->lens_mtf_cy_mm, ws->ab_nu, sizeof ws->ab_nu) != 0 ||
	    memcmp(setup->lens_mtf, ws->ab_mtf, sizeof ws->ab_mtf) != 0) {
		st = vpm_otf_aberration_set(ws->ab, setup->lens_mtf_n, setup->lens_mtf_cy_mm,
					    setup->lens_mtf, setup->lens_mtf_stop);
		if (st != VPM_OK) {
			ws->ab_n = -1;
			return vpm_error_prefix(st, "--lens");
		}
		ws->ab_n = setup->lens_mtf_n;
		ws->ab_stop = setup->lens_mtf_stop;
		memcpy(ws->ab_nu, setup->lens_mtf_cy_mm, sizeof ws->ab_nu);
		memcpy(ws->ab_mtf, setup->lens_mtf, sizeof ws->ab_mtf);
	}

	/* step 8 and the CSF peak (cached: sweeps rarely change the viewer) */
	ws->angle_deg = vpm_vision_angle_deg(ws->choice.aspect, ws->choice.view_heights);
	ws->lum = ws->choice.luminance_cd_m2;
	vpm_vision_csf_init(&ws->csf, ws->lum, ws->angle_deg);
	if (ws->csf_L != ws->lum || ws->csf_X0 != ws->angle_deg) {
		ws->csf_peak = vpm_vision_csf_peak(ws->lum, ws->angle_deg, NULL);
		ws->csf_L = ws->lum;
		ws->csf_X0 = ws->angle_deg;
	}
	/* a hair above the located peak: it is found to ~1e-9 */
	smax = ws->csf_peak * (1.0 + 1e-6);

	ws->stop = N;
	ws->tolerance = setup->tolerance;
	ws->stop_tol = ws->field ? setup->tolerance : 0.0;
	r.f_number = N;
	ws->gain = setup->grade_gain;
	ws->width_mm = W;
	ws->olpf_mm = setup->olpf_um / 1000.0;
	ws->aperture_mm = setup->fill * a_mm;
	{
		double q = setup->roll_deg / 90.0;

		if (q == floor(q)) {
			long qi = (long)q % 4;

			ws->quarter = (int)(qi < 0 ? qi + 4 : qi);
		} else {
			ws->quarter = -1;
			ws->cos_t = cos(setup->roll_deg * M_PI / 180.0);
			ws->sin_t = sin(setup->roll_deg * M_PI / 180.0);
		}
	}
	exhaustive = ws->mode == VPM_PREDICT_EXHAUSTIVE;

	/* step 5: channels */
	ws->opponent = ws->choice.chroma == VPM_CHROMA_OPPONENT;
	nch = vpm_sensor_channels(setup->cfa, a_mm,
				  ws->opponent ? VPM_CHROMA_FULL : ws->choice.chroma, sc);
	for (int c = 0; c < nch; c++) {
		chan_t *ch = &ws->ch[c];
		double kf;

		ch->sc = sc[c];
		if (ws->opponent) {
			vpm_vision_colour_init_csf(&ch->vc, (int)sc[c].channel, &ws->csf,
						   ws->csf_peak);
			ch->smax = ch->vc.bound * (1.0 + 1e-6);
		} else {
			ch->smax = smax;
		}
		ch->lambda_mm = sc[c].wavelength_nm * 1e-6;
		ch->nu_c = vpm_otf_cutoff_cy_mm(sc[c].wavelength_nm, N * (1.0 - ws->stop_tol));
		ch->w = vpm_geometry_defocus_waves(c_blur, N, sc[c].wavelength_nm);
		ch->wmin = ch->w * (1.0 - setup->tolerance);
		ch->cw = 2.0 * setup->grade_gain * sc[c].weight;
		kf = floor(ch->nu_c / ws->nu0);
		if (kf > (double)MAX_AXIS)
			return vpm_error(
				VPM_ELIMIT,
				"the LED image pitch (%.4g mm on the sensor) is %.0f times the "
				"diffraction period: too coarse a structure for this predictor",
				setup->pitch_mm * m, kf);
		ch->K = (long)kf;
		if (ch->K > kmax)
			kmax = ch->K;
		st = vpm_sensor_chain_init_kernel(&ch->chain, sc[c].lattice_mm, a_mm,
						  setup->width_px, setup->recording_px,
						  setup->delivery_px, ws->choice.resample);
		if (st != VPM_OK)
			return st;
	}
	if (grow(&ws->etab, &ws->etab_cap, (size_t)kmax + 1, sizeof *ws->etab) != 0)
		return oom();
	/* the field model scores from tables of its sensitivities; the ideal
	 * chain evaluates Barten's formula exactly */
	ws->tab = NULL;
	if (ws->field && !ws->exact_csf) {
		if (!ws->tabs) {
			ws->tabs = calloc(CSF_TAB_SLOTS, sizeof *ws->tabs);
			if (!ws->tabs)
				return oom();
		}
		csf_tab_select(ws, nch);
		/* room for the interpolation's overshoot in the pruning bound */
		for (int c = 0; c < nch; c++)
			ws->ch[c].smax *= 1.0 + 1e-4;
	}
	for (long i = 0; i <= kmax; i++)
		ws->etab[i] = vpm_panel_emitter_factor(setup->emitter_mm, setup->pitch_mm, (int)i);

	/* start a fresh evaluation */
	ws->n_top = 0;
	ws->have_best[0] = ws->have_best[1] = 0;
	ws->mem_n = ws->grp_n = ws->cand_n = 0;
	ws->gen++;
	if (ws->gen == 0) {
		for (size_t i = 0; i < ws->cache_cap; i++)
			ws->cache[i].gen = 0;
		ws->gen = 1;
	}
	ws->cache_used = 0;
	{
		int fast[3] = { 0, 0, 0 };

		for (int c = 0; c < nch; c++) {
			int rc;

			/* the separable fast path uses one axis table for both
			 * sensor axes: a squeeze makes them differ, so it takes
			 * the grouped enumeration (exact, slower) */
			if (ws->quarter < 0 || ws->mode != VPM_PREDICT_AUTO || ws->squeeze != 1.0)
				continue;
			rc = channel_setup_fast(ws, &ws->ch[c]);
			if (rc < 0)
				return oom();
			fast[c] = rc == 0;
		}
		for (int c = 0; c < nch; c++) {
			ws->ch[c].fast = fast[c];
			if (!fast[c]) {
				double est = M_PI / 2.0 * (double)(ws->ch[c].K + 1) *
					     (ws->ch[c].K + 1);

				ws->stats.general_channels++;
				if (est > (double)MAX_GENERAL)
					return vpm_error(
						VPM_ELIMIT,
						"%.3g LED harmonics below the diffraction cut-off "
						"in the %s channel need a grouped enumeration "
						"(camera roll not a multiple of 90 deg, or LED and "
						"photosite pitches in a simple ratio): more than "
						"this predictor enumerates (%ld)",
						est, vpm_channel_name(ws->ch[c].sc.channel),
						MAX_GENERAL);
			}
		}
		/* seeds */
		for (int c = 0; c < nch; c++)
			if (fast[c] && fast_seeds(ws, c) != 0)
				return oom();
		if (evaluate_candidates(ws, 0, exhaustive) != 0)
			return oom();
		/* collection */
		{
			size_t from = ws->cand_n;

			for (int c = 0; c < nch; c++) {
				int rc = fast[c] ? fast_collect(ws, c)
						 : general_collect(ws, c, exhaustive);

				if (rc != 0)
					return oom();
			}
			ws->stats.candidates = (long)(ws->cand_n);
			if (evaluate_candidates(ws, from, exhaustive) != 0)
				return oom();
		}
	}

	/* step 10 */
	if (ws->have_best[1]) {
		const vpm_component_t *b = &ws->best[1];

		r.moire_visibility = b->visibility;
		r.moire_visibility_worst = b->visibility_worst;
		r.moire_visibility_expected = b->visibility_expected;
		r.moire_modulation = b->modulation;
		r.moire_beat_cy_mm = b->nu_cy_mm;
		r.moire_cy_deg = b->cy_deg;
		r.moire_channel = b->channel;
	} else {
		r.moire_channel = VPM_CHANNEL_NONE;
		r.moire_visibility_expected = ws->field || ws->choice.band == VPM_BAND_EXPECTED
						      ? 0.0
						      : NAN;
	}
	if (ws->have_best[0]) {
		const vpm_component_t *b = &ws->best[0];

		r.grid_visibility = b->visibility;
		r.grid_visibility_worst = b->visibility_worst;
		r.grid_visibility_expected = b->visibility_expected;
		r.grid_modulation = b->modulation;
		r.grid_cy_mm = b->nu_cy_mm;
		r.grid_cy_deg = b->cy_deg;
		r.grid_channel = b->channel;
	} else {
		r.grid_channel = VPM_CHANNEL_NONE;
		r.grid_visibility_expected = ws->field || ws->choice.band == VPM_BAND_EXPECTED
						     ? 0.0
						     : NAN;
	}
	r.driver_is_moire = r.moire_visibility >= r.grid_visibility;
	r.risk = vpm_risk_classify(vpm_result_visibility(&r), setup->caution_at, setup->risky_at);
	r.n_top = ws->n_top;
	memcpy(r.top, ws->top, sizeof r.top);
	*out = r;
	return VPM_OK;
}
