/* vpmoire shotlist: a shotlist CSV and a stage in, previs pages (PDF, PNG
 * or SVG) with a verdict per shot and a summary of the day out. */
#include <config.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"
#include "outset.h"
#include "previs.h"
#include "vpm_plot.h"
#include "vpmoire/frame.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"

static const char shotlist_help[] =
	"Usage: vpmoire shotlist SHOTS.csv --stage STAGE -o previs.pdf [OPTIONS]\n"
	"\n"
	"Previs for a day on an LED stage: for every shot of a shotlist, a to-scale plan,\n"
	"the frame as the lens sees it (with the part that runs past the wall hatched as\n"
	"set extension), the moire/LED-grid verdict of 'vpmoire check' and a\n"
	"recommendation; a summary page of every shot comes first.  Shots are sorted by\n"
	"their id.  A bad row stops the run (exit 2, nothing written) with\n"
	"SHOTS.csv:LINE:COLUMN and the reason; --keep-going renders the good rows and\n"
	"lists the rejected ones on the summary page.\n"
	"\n"
	"Input:\n"
	"  --stage FILE          stage description (key = value; see vpmoire-shotlist(1))\n"
	"  stage keys as flags (override the file):\n"
	"    --panel NAME --wall-width D --wall-height D --cabinets-across N\n"
	"    --cabinets-down N --wall-bottom D --curve-radius D --side-walls none|left|right|both\n"
	"    --side-wall-width D --side-wall-cabinets N --side-wall-angle DEG\n"
	"    --floor-width D --floor-depth D --floor-offset D --ceiling D --stage-name TEXT\n"
	"  --camera NAME         camera for rows with an empty camera cell\n"
	"  --lens-set SERIES     read bare focal lengths as lenses of this series\n"
	"                        (e.g. \"ZEISS CP.3\")\n"
	"  --keep-going          skip bad rows (listed on the summary page) instead of stopping\n"
	"  --catalog FILE        extra catalog CSV (repeatable)\n"
	"Output:\n"
	"  -o, --output FILE     the PDF: summary page, then one page per shot\n"
	"  --format png|svg      also one image per page, written to --outdir\n"
	"  --outdir DIR          directory for the images, summary.png and shot-ID.png;\n"
	"                        characters other than letters, digits, '-' and '.' in an\n"
	"                        id become '_'; when two ids give the same name (1/A and\n"
	"                        1_A, or 1a and 1A, which are one file on macOS/Windows\n"
	"                        disks) the id written as is keeps it, the other gets\n"
	"                        shot-1_A-2.png (-3, ... in page order) and is listed.\n"
	"                        The images are replaced as a set: a failure leaves the\n"
	"                        previous ones whole; other files in DIR are kept\n"
	"  --paper a4|letter     page size, landscape (default a4)\n"
	"  --units m|ft          distances in metres or feet and inches (default m)\n"
	"Delivery and viewing (every shot; a row's own recording/delivery cells win):\n"
	"  --recording-px N --delivery-px N --coc MM --tolerance D --chroma-weight full|luma\n"
	"  --aspect A --view-heights H --luminance CD --gain G --caution-at V --risky-at V\n"
	"  --model field|ideal --viewing NAME --resample K --band B --pupil-edge E\n"
	"  --content C --transmission TAU (see vpmoire check --help)\n"
	"Exposure budget (recommendations never need a stop the light cannot give):\n"
	"  --wall-nits CD --brightness B --ei N --shutter S --nd D --lit-by lights|wall\n"
	"  --max-stop T          (see vpmoire check --help; the wall's peak white comes\n"
	"                        from the stage's panel in the catalog)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Shotlist columns (header names are matched loosely, any order; units in cells):\n"
	"  shot, description, size, camera, lens, stop, camera distance, camera offset,\n"
	"  camera height, pan, tilt, roll, subject distance, subject offset,\n"
	"  subject height, pose, focus (distance | subject | back-of-dof), recording,\n"
	"  delivery, notes.  Other columns are kept and shown with the notes.\n"
	"\n"
	"Example (the reference micro stage):\n"
	"  vpmoire shotlist datasets/shotlist-example.csv --stage datasets/stage-micro.stage \\\n"
	"      -o previs.pdf\n";

/* snprintf through a function: messages and cells are cut to their
 * buffers on purpose (the table shortens long cells anyway). */
static int xsnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* Option codes beyond the shared ones. */
enum {
	OPT_STAGE = 3000,
	OPT_OUTPUT,
	OPT_FORMAT,
	OPT_OUTDIR,
	OPT_KEEP_GOING,
	OPT_LENS_SET,
	OPT_PAPER,
	OPT_STAGE_KEY = 4000 /* + vpm_stage_key_t */
};

typedef struct {
	const vpm_shot_t *shot;
	vpm_shot_eval_t ev;
	int page; /* 1-based page in the PDF */
} shot_run_t;

/* A shot's verdict; -1: no LED in the frame. */
static const char *risk_upper(int risk)
{
	return risk < 0 ? "NO LED" : vpm_risk_label((vpm_risk_t)risk);
}

/* A length for the page, its blanks non-breaking so "1.25 m" never wraps. */
static const char *len_str(double m, vpm_units_system_t u, int dec, char *buf, size_t n)
{
	char tmp[64];
	size_t i, k = 0;

	vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? dec : 1, tmp, sizeof tmp);
	for (i = 0; tmp[i] && k + 3 < n; i++) {
		if (tmp[i] == ' ') {
			buf[k++] = '\xC2';
			buf[k++] = '\xA0';
		} else {
			buf[k++] = tmp[i];
		}
	}
	if (n > 0)
		buf[k < n ? k : n - 1] = '\0';
	return buf;
}

/* "centred", or "0.35 m right of centre". */
static const char *offset_str(double m, vpm_units_system_t u, char *buf, size_t n)
{
	char l[48];

	if (fabs(m) < 0.005) {
		xsnprintf(buf, n, "centred");
		return buf;
	}
	xsnprintf(buf, n, "%s %s of centre", len_str(fabs(m), u, 2, l, sizeof l),
		  m < 0 ? "left" : "right");
	return buf;
}

static int level_of(const vpm_setup_t *s, double v)
{
	return (int)vpm_risk_classify(v, s->caution_at, s->risky_at);
}

/* Whole per cents of the four edge shares that add up to the rounded total
 * (largest remainders get the leftover points), so that the page's parts
 * sum to the number it prints for the whole. */
static void edge_percents(const vpm_coverage_t *c, int pct[4])
{
	double rem[4];
	/* rint rounds as printf's %.0f does for the total printed beside */
	int k, sum = 0, total = (int)rint(100.0 * c->extension_share);

	for (k = 0; k < 4; k++) {
		double x = 100.0 * c->edge_share[k];
		pct[k] = (int)floor(x);
		rem[k] = x - pct[k];
		sum += pct[k];
	}
	while (sum < total) {
		int m = -1;
		for (k = 0; k < 4; k++)
			if (c->edge_share[k] > 0.0 && (m < 0 || rem[k] > rem[m]))
				m = k;
		if (m < 0)
			break;
		pct[m]++;
		rem[m] = -1.0;
		sum++;
	}
}

/* Short edge letters "L, R" or names with their shares "left (12 %) and
 * right (14 %)"; the shares add up to the frame's extension share. */
static void edges_text(const vpm_coverage_t *c, int letters, char *buf, size_t size)
{
	static const char *const names[4] = { "left", "right", "top", "bottom" };
	static const char *const lets[4] = { "L", "R", "T", "B" };
	size_t n = 0;
	int k, count = 0, total = 0, pct[4];

	buf[0] = '\0';
	edge_percents(c, pct);
	for (k = 0; k < 4; k++)
		if (c->edge_share[k] >= 0.0005)
			total++;
	for (k = 0; k < 4; k++) {
		int w;
		if (c->edge_share[k] < 0.0005)
			continue;
		count++;
		if (letters)
			w = xsnprintf(buf + n, size - n, "%s%s", count > 1 ? " " : "", lets[k]);
		else if (pct[k] < 1)
			w = xsnprintf(buf + n, size - n, "%s%s (<1\xC2\xA0%%)",
				      count == 1       ? ""
				      : count == total ? " and "
						       : ", ",
				      names[k]);
		else
			w = xsnprintf(buf + n, size - n, "%s%s (%d\xC2\xA0%%)",
				      count == 1       ? ""
				      : count == total ? " and "
						       : ", ",
				      names[k], pct[k]);
		if (w < 0 || (size_t)w >= size - n)
			break;
		n += (size_t)w;
	}
}

/* The text of a lens: its catalog name, or "50 mm". */
static const char *lens_name(const vpm_shot_t *s, char *buf, size_t n)
{
	if (s->lens)
		return s->lens->name;
	xsnprintf(buf, n, "%g mm lens", s->focal_mm);
	return buf;
}

static const char *probe_place(const vpm_probe_t *p, const vpm_view_t *v)
{
	double u = p->u_mm / v->sensor_w_mm, w = p->v_mm / v->sensor_h_mm;

	if (fabs(u) < 0.05 && fabs(w) < 0.05)
		return "the frame centre";
	if (fabs(w) < 0.05)
		return u < 0 ? "the left edge" : "the right edge";
	if (fabs(u) < 0.05)
		return w > 0 ? "the top edge" : "the bottom edge";
	if (w > 0)
		return u < 0 ? "the top-left corner" : "the top-right corner";
	return u < 0 ? "the bottom-left corner" : "the bottom-right corner";
}

/* ------------------------------------------------------------ one page */

typedef struct {
	const vpm_stage_t *stage;
	const cli_setup_t *cs;
	const char *shots_name;
	vpm_units_system_t u;
	double px0, px1, pz0, pz1; /* plan extent, same for every shot */
	double sd0, sd1, sy0, sy1; /* side-view extent, same for every shot */
	vpm_footer_item_t footer[8];
	size_t n_footer;
	char foot_viewer[160], foot_thr[96], foot_misc[400], foot_ver[64];
} ctx_t;

static void check_command(const ctx_t *c, const shot_run_t *r, char *buf, size_t size)
{
	const vpm_setup_t *s = &r->ev.verdict.setup;
	const vpm_setup_t *b = &r->ev.base;
	size_t n = 0;
	int w;

#define ADD(...)                                               \
	do {                                                   \
		w = xsnprintf(buf + n, size - n, __VA_ARGS__); \
		if (w > 0 && (size_t)w < size - n)             \
			n += (size_t)w;                        \
	} while (0)
	ADD("Same verdict as: vpmoire check --panel %s --camera %s", c->stage->panel,
	    r->shot->camera->name);
	if (r->shot->lens)
		ADD(" --lens %s", r->shot->lens->name);
	else
		ADD(" --focal %g", r->shot->focal_mm);
	ADD(" --stop %g --wall %.6gm", s->stop, s->wall_m);
	/* check reads "inf" (not "infm") as focus at infinity */
	if (isinf(s->focus_m))
		ADD(" --focus inf");
	else
		ADD(" --focus %.6gm", s->focus_m);
	if (fabs(s->pitch_mm - c->stage->pitch_mm) > 1e-12 ||
	    fabs(s->emitter_mm - c->stage->emitter_mm) > 1e-12)
		ADD(" --pitch %.6g --emitter %.6g", s->pitch_mm, s->emitter_mm);
	if (s->roll_deg != 0.0)
		ADD(" --roll %.6g", s->roll_deg);
	if (s->recording_px > 0)
		ADD(" --recording-px %d", s->recording_px);
	if (s->delivery_px > 0)
		ADD(" --delivery-px %d", s->delivery_px);
	if (cli_setup_given(c->cs, OPT_COC))
		ADD(" --coc %g", b->coc_mm);
	if (cli_setup_given(c->cs, OPT_TOLERANCE))
		ADD(" --tolerance %g", b->tolerance);
	if (cli_setup_given(c->cs, OPT_CHROMA))
		ADD(" --chroma-weight %s", vpm_chroma_name(b->chroma));
	if (cli_setup_given(c->cs, OPT_MODEL))
		ADD(" --model %s", vpm_model_name(b->model));
	if (cli_setup_given(c->cs, OPT_VIEWING))
		ADD(" --viewing %s", vpm_viewing_name(b->viewing));
	if (cli_setup_given(c->cs, OPT_RESAMPLE))
		ADD(" --resample %s", vpm_resample_name(b->resample));
	if (cli_setup_given(c->cs, OPT_BAND))
		ADD(" --band %s", vpm_band_name(b->band));
	if (cli_setup_given(c->cs, OPT_PUPIL_EDGE))
		ADD(" --pupil-edge %g", b->pupil_edge);
	if (cli_setup_given(c->cs, OPT_CONTENT))
		ADD(" --content %g", b->content_contrast);
	if (cli_setup_given(c->cs, OPT_ASPECT))
		ADD(" --aspect %g", b->aspect);
	if (cli_setup_given(c->cs, OPT_VIEW_HEIGHTS))
		ADD(" --view-heights %g", b->view_heights);
	if (cli_setup_given(c->cs, OPT_LUMINANCE))
		ADD(" --luminance %g", b->luminance_cd_m2);
	if (cli_setup_given(c->cs, OPT_GAIN))
		ADD(" --gain %g", b->grade_gain);
	if (cli_setup_given(c->cs, OPT_CAUTION_AT))
		ADD(" --caution-at %g", b->caution_at);
	if (cli_setup_given(c->cs, OPT_RISKY_AT))
		ADD(" --risky-at %g", b->risky_at);
#undef ADD
}

/* The first piece of advice the stage allows: moving camera and subject
 * further from the wall is kept only while the camera stays on the floor
 * (*far is set to such advice that does not fit).  NULL when none. */
/* The one-line recommendation: the planner's first piece of advice (the
 * least change that makes the shot SAFE, else the best it found). */
static void recommendation(const ctx_t *c, const shot_run_t *r, char *buf, size_t size)
{
	const vpm_shot_eval_t *e = &r->ev;
	const vpm_result_t *res = &e->verdict.result;
	char line[400], ed[96];
	size_t n = 0;
	int w;

#define ADD(...)                                               \
	do {                                                   \
		w = xsnprintf(buf + n, size - n, __VA_ARGS__); \
		if (w > 0 && (size_t)w < size - n)             \
			n += (size_t)w;                        \
	} while (0)
	ADD("Recommendation: ");
	if (e->subject_in_dof == 0)
		ADD("as listed the subject's eyes are OUTSIDE the depth of field; ");
	if (!e->verdict.has_led) {
		ADD("no LED wall in frame, so no moir\xC3\xA9 risk");
	} else if (res->risk == VPM_RISK_SAFE) {
		ADD("no moir\xC3\xA9 risk as planned");
	} else if (e->plan.n > 0) {
		vpm_setup_t before = e->base;

		before.focus_m = e->focus_m;
		vpm_advice_describe(&e->plan.advice[0], &before, c->u, line, sizeof line);
		ADD("%s", line);
		if (e->plan.n > 1 && e->plan.advice[1].risk == VPM_RISK_SAFE) {
			vpm_advice_describe(&e->plan.advice[1], &before, c->u, line, sizeof line);
			ADD("; or %s", line);
		}
		if (!e->plan.safe)
			ADD("; nothing on this stage makes it SAFE (%s)", e->plan.why);
	} else {
		ADD("%s: %s; keep busy or dark content on the wall behind the subject, or use a "
		    "finer pitch",
		    vpm_risk_label(res->risk),
		    e->plan.why[0] ? e->plan.why : "no change within reach helps");
	}
	if (e->coverage.extension_share >= 0.0005) {
		edges_text(&e->coverage, 0, ed, sizeof ed);
		ADD("; plan a set extension past the %s edge%s (%.0f\xC2\xA0%% of the frame)", ed,
		    strstr(ed, " and ") || strchr(ed, ',') ? "s" : "",
		    100.0 * e->coverage.extension_share);
	}
	ADD(".");
#undef ADD
}

static vpm_status_t shot_page(vpm_doc_t *doc, const ctx_t *c, const shot_run_t *r)
{
	const vpm_shot_t *s = r->shot;
	const vpm_shot_eval_t *e = &r->ev;
	const vpm_result_t *res = &e->verdict.result;
	const vpm_stage_t *st = c->stage;
	const vpm_surface_t *m = &st->surface[0];
	vpm_paths_t plan, frame, section;
	vpm_plan_marks_t mk;
	double cam_d = 0.0;
	int wall_hit = 0;
	char chdim[48], wtop[64], wbot[64];
	vpm_previs_shot_t p;
	vpm_previs_row_t rows[12];
	vpm_page_t pg;
	vpm_status_t rc;
	char title[256], subtitle[512], vnote[64], wall[192], cdim[48], sdim[48], cap[256];
	char hzl[96], rec[768], notes[1200], cmd[600], lens[64];
	char r_moire[160], r_grid[160], r_wall[256], r_blur[160], r_led[160], r_focus[200];
	char r_dof[200], r_ext[200], r_cam[256], r_subj[200], r_warn[300];
	char b1[48], b2[48], b3[48], ed[96];
	double pu[VPM_FRAME_PROBES], pv[VPM_FRAME_PROBES];
	size_t nr = 0, i;
	int worst = -1;

	vpm_paths_init(&plan);
	vpm_paths_init(&frame);
	vpm_paths_init(&section);
	memset(&mk, 0, sizeof mk);
	mk.dof_near_m = res->dof_near_m;
	mk.dof_far_m = res->dof_far_m;
	mk.focus_m = e->focus_m;
	mk.beyond_m = 0.8;
	mk.max_ray_m = 2.0 * hypot(c->px1 - c->px0, c->pz1 - c->pz0);
	mk.cabinet_depth_m = 0.10;
	if ((rc = vpm_frame_plan_paths(st, &e->view, &e->figure, &mk, &plan)) != VPM_OK ||
	    (rc = vpm_frame_paths(st, &e->view, &e->figure, &frame)) != VPM_OK ||
	    (rc = vpm_frame_section_paths(st, &e->view, &e->figure, &mk, &section, &cam_d,
					  &wall_hit)) != VPM_OK)
		goto out;
	len_str(e->view.position_m.y, c->u, 2, chdim, sizeof chdim);
	xsnprintf(wtop, sizeof wtop, "top %s",
		  len_str(m->bottom_m + m->height_m, c->u, 2, b1, sizeof b1));
	xsnprintf(wbot, sizeof wbot, "bottom %s", len_str(m->bottom_m, c->u, 2, b1, sizeof b1));

	/* heading */
	xsnprintf(title, sizeof title, "Shot %s%s%s%s%s", s->id, s->size[0] ? " \xC2\xB7 " : "",
		  s->size, s->description[0] ? " \xC2\xB7 " : "", s->description);
	xsnprintf(subtitle, sizeof subtitle,
		  "%s %s (%s) \xC2\xB7 %s \xC2\xB7 T%g \xC2\xB7 focus %s \xC2\xB7 %s \xC2\xB7 %s",
		  s->camera->maker, s->camera->model, s->camera->mode,
		  lens_name(s, lens, sizeof lens), s->stop,
		  isinf(e->focus_m) ? "infinity" : len_str(e->focus_m, c->u, 2, b1, sizeof b1),
		  st->name, c->shots_name);
	if (e->verdict.has_led)
		xsnprintf(vnote, sizeof vnote, "visibility %.2f", vpm_result_visibility(res));
	else
		xsnprintf(vnote, sizeof vnote, "no LED wall in frame");
	xsnprintf(wall, sizeof wall,
		  "LED wall %s \xC2\xB7 %ld \xC3\x97 %ld cabinets \xC2\xB7 %s \xC3\x97 %s%s",
		  st->panel, m->cabinets_across, m->cabinets_down,
		  len_str(m->width_m, c->u, 2, b1, sizeof b1),
		  len_str(m->height_m, c->u, 2, b2, sizeof b2),
		  st->n_surfaces > 1 ? " + side walls" : "");
	len_str(s->cam_distance_m, c->u, 2, cdim, sizeof cdim);
	len_str(s->subject_distance_m, c->u, 2, sdim, sizeof sdim);

	/* frame */
	if (e->coverage.extension_share < 0.0005)
		xsnprintf(cap, sizeof cap, "No set extension: the frame stays on the LED wall%s",
			  e->coverage.floor_share >= 0.0005 ? " and the stage floor" : "");
	else {
		edges_text(&e->coverage, 0, ed, sizeof ed);
		xsnprintf(cap, sizeof cap,
			  "Set extension: %.0f\xC2\xA0%% of the frame, past the %s edge%s",
			  100.0 * e->coverage.extension_share, ed,
			  strstr(ed, " and ") || strchr(ed, ',') ? "s (the parts add up)" : "");
	}
	xsnprintf(hzl, sizeof hzl, "horizon \xC2\xB7 lens height %s",
		  len_str(e->view.position_m.y, c->u, 2, b1, sizeof b1));
	for (i = 0; i < e->verdict.n_probes; i++) {
		pu[i] = e->verdict.probes[i].u_mm;
		pv[i] = e->verdict.probes[i].v_mm;
	}
	worst = e->verdict.probe;

	/* numbers */
	if (!e->verdict.has_led) {
		xsnprintf(r_moire, sizeof r_moire, "no LED wall in frame");
		rows[nr++] = (vpm_previs_row_t){ "Moir\xC3\xA9", r_moire, 0 };
	} else {
		if (res->moire_channel == VPM_CHANNEL_NONE)
			xsnprintf(r_moire, sizeof r_moire, "none (no aliased LED component)");
		else
			xsnprintf(r_moire, sizeof r_moire,
				  "visibility %.2f (%s, %.1f cy/deg on screen, beat amplitude %.3g "
				  "\xC3\x97 mean level)",
				  res->moire_visibility, vpm_channel_name(res->moire_channel),
				  res->moire_cy_deg, res->moire_modulation);
		rows[nr++] = (vpm_previs_row_t){ "Moir\xC3\xA9", r_moire,
						 level_of(&e->base, res->moire_visibility) };
		if (res->grid_channel == VPM_CHANNEL_NONE)
			xsnprintf(r_grid, sizeof r_grid, "none resolved");
		else
			xsnprintf(r_grid, sizeof r_grid,
				  "visibility %.2f (LED structure resolved, %.1f cy/deg on screen)",
				  res->grid_visibility, res->grid_cy_deg);
		rows[nr++] = (vpm_previs_row_t){ "LED grid", r_grid,
						 level_of(&e->base, res->grid_visibility) };
		{
			const vpm_probe_t *pr = &e->verdict.probes[e->verdict.probe];
			if (e->verdict.evaluated <= 1)
				xsnprintf(r_wall, sizeof r_wall,
					  "%s from the sensor along the lens axis, square to the "
					  "camera (the set-up of 'vpmoire check')",
					  len_str(e->verdict.setup.wall_m, c->u, 3, b1, sizeof b1));
			else
				xsnprintf(
					r_wall, sizeof r_wall,
					"checked at %zu points in frame; worst at %s: %s along the "
					"lens axis, seen %.0f\xC2\xB0 off the wall's normal, LED pitch "
					"\xC3\x97 %.2f there",
					e->verdict.n_probes, probe_place(pr, &e->view),
					len_str(pr->depth_m, c->u, 2, b1, sizeof b1),
					pr->incidence_deg,
					e->verdict.setup.pitch_mm / c->stage->pitch_mm);
		}
		rows[nr++] = (vpm_previs_row_t){ "Wall", r_wall, -1 };
		xsnprintf(r_blur, sizeof r_blur,
			  "%.3f mm on the sensor = %.1f LED pitches (%.1f waves of defocus)",
			  res->wall_blur_mm, res->wall_blur_pitches, res->defocus_waves);
		rows[nr++] = (vpm_previs_row_t){ "Wall blur", r_blur, -1 };
		xsnprintf(
			r_led, sizeof r_led,
			"%.2f photosites per LED (%.1f \xC2\xB5m; %.1f cy/mm vs Nyquist %.1f cy/mm)",
			res->led_pitch_px, 1000.0 / res->led_frequency_cy_mm,
			res->led_frequency_cy_mm, res->nyquist_cy_mm);
		rows[nr++] = (vpm_previs_row_t){ "LED pitch on sensor", r_led, -1 };
	}
	switch (s->focus_mode) {
	case VPM_FOCUS_SUBJECT:
		xsnprintf(r_focus, sizeof r_focus, "%s, on the subject's eyes",
			  len_str(e->focus_m, c->u, 2, b1, sizeof b1));
		break;
	case VPM_FOCUS_BACK_OF_DOF:
		if (e->focus_planned)
			xsnprintf(r_focus, sizeof r_focus,
				  "%s: subject at the back of the depth of field (focus on the "
				  "subject, %s, gives visibility %.2f)",
				  len_str(e->focus_m, c->u, 2, b1, sizeof b1),
				  len_str(e->naive_focus_m, c->u, 2, b2, sizeof b2),
				  vpm_result_visibility(&e->naive_result));
		else
			xsnprintf(r_focus, sizeof r_focus, "%s, on the subject (no wall behind it)",
				  len_str(e->focus_m, c->u, 2, b1, sizeof b1));
		break;
	default:
		xsnprintf(r_focus, sizeof r_focus, "%s, as listed",
			  isinf(e->focus_m) ? "infinity"
					    : len_str(e->focus_m, c->u, 2, b1, sizeof b1));
		break;
	}
	rows[nr++] = (vpm_previs_row_t){ "Focus", r_focus, -1 };
	{
		int n = xsnprintf(r_dof, sizeof r_dof, "%s to %s (CoC %.3f mm)",
				  len_str(res->dof_near_m, c->u, 2, b1, sizeof b1),
				  isinf(res->dof_far_m)
					  ? "infinity"
					  : len_str(res->dof_far_m, c->u, 2, b2, sizeof b2),
				  res->coc_mm);
		/* "sharp" by the rule of the summary (subject_sharp) */
		if (e->subject_in_dof >= 0 && n > 0 && (size_t)n < sizeof r_dof)
			xsnprintf(r_dof + n, sizeof r_dof - (size_t)n, "; subject's eyes at %s: %s",
				  len_str(e->subject_depth_m, c->u, 2, b3, sizeof b3),
				  e->subject_sharp    ? "sharp"
				  : e->subject_in_dof ? "SOFT: inside this depth of field, but the "
							"lens cannot focus that close"
						      : "OUTSIDE the depth of field");
	}
	rows[nr++] = (vpm_previs_row_t){ "Depth of field", r_dof, e->subject_sharp == 0 ? 2 : -1 };
	edges_text(&e->coverage, 0, ed, sizeof ed);
	xsnprintf(r_ext, sizeof r_ext,
		  "%.0f\xC2\xA0%% of the frame%s%s%s \xC2\xB7 LED %.0f\xC2\xA0%% \xC2\xB7 floor "
		  "%.0f\xC2\xA0%%",
		  100.0 * e->coverage.extension_share, ed[0] ? ": " : "", ed,
		  strstr(ed, " and ") ? " (by the edge it lies beyond; a corner counts half to "
					"each of its two edges)"
				      : "",
		  100.0 * e->coverage.led_share, 100.0 * e->coverage.floor_share);
	rows[nr++] = (vpm_previs_row_t){ "Set extension", r_ext, -1 };
	xsnprintf(r_cam, sizeof r_cam,
		  "%s from the wall, %s, lens %s high \xC2\xB7 pan %g\xC2\xB0, tilt "
		  "%g\xC2\xB0, roll %g\xC2\xB0",
		  len_str(s->cam_distance_m, c->u, 2, b1, sizeof b1),
		  offset_str(s->cam_offset_m, c->u, b2, sizeof b2),
		  len_str(e->view.position_m.y, c->u, 2, b3, sizeof b3), s->pan_deg, s->tilt_deg,
		  s->roll_deg);
	rows[nr++] = (vpm_previs_row_t){ "Camera", r_cam, -1 };
	if (s->has_subject) {
		vpm_vec3_t eyes = vpm_figure_eyes(&e->figure);
		char b4[48];
		xsnprintf(r_subj, sizeof r_subj, "%s from the wall, %s, %s %s (eyes %s)",
			  len_str(s->subject_distance_m, c->u, 2, b1, sizeof b1),
			  offset_str(s->subject_offset_m, c->u, b2, sizeof b2),
			  s->pose == VPM_POSE_SEATED ? "seated," : "standing,",
			  len_str(s->subject_height_m, c->u, 2, b3, sizeof b3),
			  len_str(eyes.y, c->u, 2, b4, sizeof b4));
		rows[nr++] = (vpm_previs_row_t){ "Subject", r_subj, -1 };
	}
	if (e->warnings) {
		size_t n = 0;
		int w;
		r_warn[0] = '\0';
#define W(bit, text)                                                                       \
	if (e->warnings & (bit)) {                                                         \
		w = xsnprintf(r_warn + n, sizeof r_warn - n, "%s%s", n ? "; " : "", text); \
		if (w > 0 && (size_t)w < sizeof r_warn - n)                                \
			n += (size_t)w;                                                    \
	}
		W(VPM_SHOT_WARN_CAMERA_OFF_FLOOR, "the camera stands outside the stage floor");
		W(VPM_SHOT_WARN_SUBJECT_OFF_FLOOR, "the subject stands outside the stage floor");
		W(VPM_SHOT_WARN_CLOSE_FOCUS, "focus is nearer than the lens's close focus");
		W(VPM_SHOT_WARN_ABOVE_CEILING, "the camera is above the ceiling");
		W(VPM_SHOT_WARN_SUBJECT_OUT_OF_FRAME, "the subject's eyes are out of frame");
#undef W
		rows[nr++] = (vpm_previs_row_t){ "Warnings", r_warn, 1 };
	}

	recommendation(c, r, rec, sizeof rec);
	notes[0] = '\0';
	if (s->notes[0] || s->extra[0])
		xsnprintf(notes, sizeof notes, "%s%s%s%s", s->notes[0] ? "Notes: " : "", s->notes,
			  s->notes[0] && s->extra[0] ? " \xC2\xB7 " : "", s->extra);
	cmd[0] = '\0';
	if (e->verdict.has_led)
		check_command(c, r, cmd, sizeof cmd);

	memset(&p, 0, sizeof p);
	p.title = title;
	p.subtitle = subtitle;
	p.risk = e->verdict.has_led ? (int)res->risk : -1;
	p.verdict = risk_upper(p.risk);
	p.verdict_note = vnote;
	p.plan = &plan;
	p.plan_x0_m = c->px0;
	p.plan_x1_m = c->px1;
	p.plan_z0_m = c->pz0;
	p.plan_z1_m = c->pz1;
	p.cam_x_m = e->view.position_m.x;
	p.cam_z_m = e->view.position_m.z;
	p.pan_deg = e->view.pan_deg;
	p.has_subject = s->has_subject;
	p.subject_x_m = e->figure.x_m;
	p.subject_z_m = e->figure.z_m;
	p.wall_z_m = 0.0;
	p.wall_label = wall;
	p.camera_dim = cdim;
	p.subject_dim = s->has_subject ? sdim : NULL;
	p.section = &section;
	p.section_d0_m = c->sd0;
	p.section_d1_m = c->sd1;
	p.section_y0_m = c->sy0;
	p.section_y1_m = c->sy1;
	p.section_cam_d_m = cam_d;
	p.cam_y_m = e->view.position_m.y;
	p.tilt_deg = e->view.tilt_deg;
	p.cam_height_dim = chdim;
	p.wall_top_label = wall_hit ? wtop : NULL;
	p.wall_bottom_label = wall_hit && m->bottom_m > 0.0 ? wbot : NULL;
	p.sensor_w_mm = e->view.sensor_w_mm;
	p.sensor_h_mm = e->view.sensor_h_mm;
	p.frame = &frame;
	p.frame_caption = cap;
	p.horizon_label = hzl;
	p.probe_u_mm = pu;
	p.probe_v_mm = pv;
	p.n_probes = e->verdict.n_probes;
	p.worst_probe = worst;
	p.rows = rows;
	p.n_rows = nr;
	p.recommendation = rec;
	p.notes = notes[0] ? notes : NULL;
	p.check_command = cmd[0] ? cmd : NULL;
	p.footer_heading = "Assumptions";
	p.footer = c->footer;
	p.n_footer = c->n_footer;
	if ((rc = vpm_doc_page_add(doc, &pg)) != VPM_OK)
		goto out;
	rc = vpm_previs_shot_page(&pg, &p);
out:
	vpm_paths_release(&plan);
	vpm_paths_release(&frame);
	vpm_paths_release(&section);
	return rc;
}

/* ------------------------------------------------------------ summary */

#define SUM_COLS 13
#define SUM_PAGE_COL (SUM_COLS - 1)

static vpm_status_t add_summary(vpm_doc_t *doc, const vpm_doc_options_t *dopt, const ctx_t *c,
				shot_run_t *runs, size_t n, const vpm_shotlist_t *sl, int *pages)
{
	static const char *const header[SUM_COLS] = { "Shot",	 "Size",    "Description",
						      "Camera",	 "Mode",    "Lens",
						      "Stop",	 "Focus",   "Depth of field",
						      "Subject", "Verdict", "Set extension",
						      "Page" };
	static const double widths[SUM_COLS] = { 0.55, 0.55, 1.35, 1.3, 1.15, 1.2, 0.55,
						 1.1,  1.45, 0.75, 1.7, 1.3,  0.5 };
	static const double align[SUM_COLS] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	/* numbers and verdicts are never cut short: their columns widen */
	static const int whole[SUM_COLS] = { 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1 };
	const char **cells = NULL, **rejected = NULL;
	char *text = NULL;
	vpm_color_t *fill = NULL;
	vpm_previs_summary_t s;
	char subtitle[512], counts[256], b1[48], b2[48];
	size_t i, cell_len = 64;
	int risky = 0, caution = 0, safe = 0, noled = 0, ext = 0, soft = 0;
	vpm_status_t rc = VPM_OK;
	const vpm_surface_t *m = &c->stage->surface[0];

	cells = calloc(n * SUM_COLS + 1, sizeof *cells);
	text = calloc(n * SUM_COLS + 1, cell_len);
	fill = calloc(n + 1, sizeof *fill);
	rejected = calloc(sl->n_rejected + 1, sizeof *rejected);
	if (!cells || !text || !fill || !rejected) {
		rc = VPM_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		const vpm_shot_t *sh = runs[i].shot;
		const vpm_shot_eval_t *e = &runs[i].ev;
		const vpm_result_t *r = &e->verdict.result;
		char *t = text + i * SUM_COLS * cell_len, ed[32], lens[64];
		int risk = e->verdict.has_led ? (int)r->risk : -1, k;

		for (k = 0; k < SUM_COLS; k++)
			cells[i * SUM_COLS + k] = t + k * cell_len;
		xsnprintf(t, cell_len, "%s", sh->id);
		xsnprintf(t + 1 * cell_len, cell_len, "%s", sh->size);
		xsnprintf(t + 2 * cell_len, cell_len, "%s", sh->description);
		xsnprintf(t + 3 * cell_len, cell_len, "%s", sh->camera->model);
		xsnprintf(t + 4 * cell_len, cell_len, "%s", sh->camera->mode);
		xsnprintf(t + 5 * cell_len, cell_len, "%s", lens_name(sh, lens, sizeof lens));
		xsnprintf(t + 6 * cell_len, cell_len, "T%g", sh->stop);
		xsnprintf(t + 7 * cell_len, cell_len, "%s%s",
			  isinf(e->focus_m) ? "inf" : len_str(e->focus_m, c->u, 2, b1, sizeof b1),
			  sh->focus_mode == VPM_FOCUS_BACK_OF_DOF && e->focus_planned ? " (back)"
										      : "");
		xsnprintf(t + 8 * cell_len, cell_len, "%s \xE2\x80\x93 %s",
			  len_str(r->dof_near_m, c->u, 2, b1, sizeof b1),
			  isinf(r->dof_far_m) ? "inf"
					      : len_str(r->dof_far_m, c->u, 2, b2, sizeof b2));
		/* the same rule as the shot page (vpm_shot_eval_t.subject_sharp) */
		xsnprintf(t + 9 * cell_len, cell_len, "%s",
			  e->subject_sharp < 0 ? "\xE2\x80\x94"
			  : e->subject_sharp   ? "sharp"
					       : "SOFT");
		if (risk >= 0 && vpm_result_visibility(r) > 0.0)
			/* which kind drives: the moiré or the LED grid; whole
			 * numbers from 100 up, so the cell stays short */
			xsnprintf(t + 10 * cell_len, cell_len,
				  vpm_result_visibility(r) < 100.0 ? "%s %.1f %s" : "%s %.0f %s",
				  risk_upper(risk), vpm_result_visibility(r),
				  r->driver_is_moire ? "moir\xC3\xA9" : "grid");
		else if (risk >= 0)
			xsnprintf(t + 10 * cell_len, cell_len, "%s %.1f", risk_upper(risk),
				  vpm_result_visibility(r));
		else
			xsnprintf(t + 10 * cell_len, cell_len, "no LED");
		edges_text(&e->coverage, 1, ed, sizeof ed);
		if (e->coverage.extension_share >= 0.005)
			xsnprintf(t + 11 * cell_len, cell_len, "%.0f\xC2\xA0%% (%s)",
				  100.0 * e->coverage.extension_share, ed);
		else if (e->coverage.extension_share >= 0.0005)
			xsnprintf(t + 11 * cell_len, cell_len, "<1\xC2\xA0%% (%s)", ed);
		else
			xsnprintf(t + 11 * cell_len, cell_len, "none");
		xsnprintf(t + SUM_PAGE_COL * cell_len, cell_len, "%d", runs[i].page);
		if (risk == 2)
			fill[i] = vpm_color_alpha(vpm_color_risk(2), 0.30);
		else if (risk == 1)
			fill[i] = vpm_color_alpha(vpm_color_risk(1), 0.40);
		else
			fill[i] = vpm_color_alpha(vpm_color_rgb(1, 1, 1), 0.0);
		risky += risk == 2;
		caution += risk == 1;
		safe += risk == 0;
		noled += risk < 0;
		ext += e->coverage.extension_share >= 0.0005;
		soft += e->subject_sharp == 0;
	}
	for (i = 0; i < sl->n_rejected; i++)
		rejected[i] = sl->rejected[i].message;
	xsnprintf(subtitle, sizeof subtitle,
		  "%s \xC2\xB7 %s: %s, %ld \xC3\x97 %ld cabinets (%s \xC3\x97 %s), %.4g mm pitch%s",
		  c->shots_name, c->stage->name, c->stage->panel, m->cabinets_across,
		  m->cabinets_down, len_str(m->width_m, c->u, 2, b1, sizeof b1),
		  len_str(m->height_m, c->u, 2, b2, sizeof b2), c->stage->pitch_mm,
		  m->kind == VPM_SURFACE_ARC ? ", curved" : "");
	xsnprintf(counts, sizeof counts,
		  "%zu shot%s: %d risky \xC2\xB7 %d caution \xC2\xB7 %d safe%s%s \xC2\xB7 %d need a "
		  "set extension%s%s%s",
		  n, n == 1 ? "" : "s", risky, caution, safe,
		  noled ? " \xC2\xB7 no LED in frame: " : "",
		  noled ? (xsnprintf(b1, sizeof b1, "%d", noled), b1) : "", ext,
		  soft ? " \xC2\xB7 " : "", soft ? (xsnprintf(b2, sizeof b2, "%d", soft), b2) : "",
		  soft ? " with the subject not sharp" : "");
	if (sl->n_rejected) {
		size_t l = strlen(counts);
		xsnprintf(counts + l, sizeof counts - l, " \xC2\xB7 %zu row%s rejected",
			  sl->n_rejected, sl->n_rejected == 1 ? "" : "s");
	}
	memset(&s, 0, sizeof s);
	s.title = "Shotlist previs";
	s.subtitle = subtitle;
	s.counts = counts;
	s.table.ncols = SUM_COLS;
	s.table.nrows = n;
	s.table.header = header;
	s.table.cells = cells;
	s.table.widths = widths;
	s.table.align = align;
	s.table.row_fill = fill;
	s.table.zebra = 0;
	s.table.size_pt = 8.0;
	s.table.whole = whole;
	s.rejected = rejected;
	s.n_rejected = sl->n_rejected;
	s.explain =
		"Verdict: visibility of the strongest moir\xC3\xA9 or LED-grid pattern over the "
		"wall points in frame (1 = just visible on a flat field such as a sky, for "
		"the viewer of the shot's delivery), and which of the two drives it; "
		"caution from 1, risky from 3; rows tinted by risk. Set extension: share of "
		"the frame that sees neither the LED wall nor the stage floor, and the wall "
		"edges it passes (L left, R right, T top, B bottom). Focus (back): subject "
		"placed at the back of the depth of field to blur the wall. Subject: sharp "
		"when the subject's eyes are inside the depth of field at a focus the lens "
		"can reach (not nearer than its close focus), else SOFT; the shot page says "
		"why. Mode: the camera's recording mode (sensor area used).";
	s.footer_heading = "Assumptions";
	s.footer = c->footer;
	s.n_footer = c->n_footer;
	/* page numbers need the summary's own length: count, then number */
	{
		int np = 0;
		if ((rc = vpm_previs_summary_count(dopt, &s, &np)) != VPM_OK)
			goto out;
		for (i = 0; i < n; i++) {
			runs[i].page = np + 1 + (int)i;
			xsnprintf(text + (i * SUM_COLS + SUM_PAGE_COL) * cell_len, cell_len, "%d",
				  runs[i].page);
		}
	}
	rc = vpm_previs_summary_pages(doc, &s, pages);
out:
	free(cells);
	free(text);
	free(fill);
	free(rejected);
	return rc;
}

/* ------------------------------------------------------------ files */

/* A shot id as a file name: letters, digits, '-' and '.' are kept, any
 * other byte becomes '_'. */
static void safe_name(const char *id, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; id[i] && n + 1 < size; i++) {
		unsigned char ch = (unsigned char)id[i];
		buf[n++] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
					   (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'
				   ? (char)ch
				   : '_';
	}
	buf[n] = '\0';
}

/* A set of file names compared without regard to ASCII case (as macOS and
 * Windows disks compare them, where previs folders end up): open
 * addressing over names owned by the caller, each with the page that owns
 * it and, for a name that several shots want, the next suffix to try. */
typedef struct {
	const char *name;
	size_t page;
	int next_suffix;
} name_slot_t;

typedef struct {
	name_slot_t *slot;
	size_t mask;
} name_table_t;

static size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ULL & (size_t)-1; /* FNV-1a */

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		h = (h ^ (size_t)(c >= 'A' && c <= 'Z' ? c + 32 : c)) * (size_t)1099511628211ULL;
	}
	return h;
}

/* The slot of `name`: its entry, or the empty slot where it would go. */
static name_slot_t *name_find(name_table_t *t, const char *name)
{
	size_t i = name_hash(name) & t->mask;

	while (t->slot[i].name != NULL && strcasecmp(t->slot[i].name, name) != 0)
		i = (i + 1) & t->mask;
	return &t->slot[i];
}

/* One file name per page: summary.EXT, summary-2.EXT, ..., then
 * shot-ID.EXT.  Ids that map to the same name (1/A, 1_A and 1:A all give
 * shot-1_A; 1a and 1A are one file on a case-insensitive disk) must not
 * overwrite each other, and the names must not depend on chance:
 *   - an id that is already a safe name keeps shot-ID.EXT (it wins over
 *     ids that only map to it), then the other ids in page order take
 *     their plain name while it is free;
 *   - every shot left gets the first free shot-NAME-2.EXT, -3, ... in
 *     page order, a suffix no other shot's name uses.
 * names[k] are malloc'd (free with free_names); renamed[k] is set for the
 * shots that got a suffix, owner[k] to the page that has their plain
 * name.  0, or the exit code after printing the error. */
static int image_names(const char *ext, int summary_pages, const shot_run_t *runs, size_t n,
		       char ***names_out, size_t **owner_out)
{
	size_t pages = (size_t)summary_pages + n, cap = 16, i, pass;
	char **names = calloc(pages + 1, sizeof *names);
	size_t *owner = calloc(pages + 1, sizeof *owner);
	name_table_t t = { NULL, 0 };
	int rc = 0;

	*names_out = NULL;
	*owner_out = NULL;
	while (cap < 2 * pages + 16)
		cap *= 2;
	t.slot = calloc(cap, sizeof *t.slot);
	t.mask = cap - 1;
	if (names == NULL || owner == NULL || t.slot == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	for (i = 0; i < pages; i++) {
		char name[VPM_SHOT_ID_MAX + 32], safe[VPM_SHOT_ID_MAX + 1];
		owner[i] = i;
		if (i == 0)
			xsnprintf(name, sizeof name, "summary.%s", ext);
		else if (i < (size_t)summary_pages)
			xsnprintf(name, sizeof name, "summary-%zu.%s", i + 1, ext);
		else {
			safe_name(runs[i - summary_pages].shot->id, safe, sizeof safe);
			xsnprintf(name, sizeof name, "shot-%s.%s", safe, ext);
		}
		if ((names[i] = strdup(name)) == NULL) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
			goto out;
		}
	}
	/* pass 0: summaries; 1: ids that are safe names; 2: the other ids */
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < pages; i++) {
			name_slot_t *sl;
			char safe[VPM_SHOT_ID_MAX + 1];
			int summary = i < (size_t)summary_pages, exact = 0;
			if (!summary) {
				const char *id = runs[i - summary_pages].shot->id;
				safe_name(id, safe, sizeof safe);
				exact = strcmp(safe, id) == 0;
			}
			if ((pass == 0) != summary || (pass == 1 && !exact) || (pass == 2 && exact))
				continue;
			sl = name_find(&t, names[i]);
			if (sl->name == NULL) {
				sl->name = names[i];
				sl->page = i;
				sl->next_suffix = 2;
			} else {
				owner[i] = sl->page; /* taken: a suffix below */
			}
		}
	/* pass 3: a numbered name for each shot whose plain name was taken */
	for (i = (size_t)summary_pages; i < pages; i++) {
		name_slot_t *plain, *sl;
		char name[VPM_SHOT_ID_MAX + 32];
		size_t stem = strlen(names[i]) - strlen(ext) - 1;
		if (owner[i] == i)
			continue;
		plain = name_find(&t, names[i]);
		for (;;) {
			xsnprintf(name, sizeof name, "%.*s-%d.%s", (int)stem, names[i],
				  plain->next_suffix++, ext);
			sl = name_find(&t, name);
			if (sl->name == NULL)
				break;
		}
		free(names[i]);
		if ((names[i] = strdup(name)) == NULL) {
			rc = cli_fail(EXIT_RUNTIME, "out of memory");
			goto out;
		}
		sl->name = names[i];
		sl->page = i;
		sl->next_suffix = 2;
	}
out:
	free(t.slot);
	if (rc != 0) {
		for (i = 0; names != NULL && i < pages; i++)
			free(names[i]);
		free(names);
		free(owner);
		return rc;
	}
	*names_out = names;
	*owner_out = owner;
	return 0;
}

static void free_names(char **names, size_t n)
{
	size_t i;

	for (i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
}

/* Is one of the command's single files (an input, or the PDF) also one of
 * the images, under its name in --outdir?  Only that name could be the
 * same file: the images are written by renaming over their names, never
 * through a link into another file.  The PDF ends in .pdf and the images
 * in .png or .svg, so for it this is a guard, not a case seen. */
static int clashes_with_image(const char *file, const char *what, const char *outdir, char **names,
			      size_t pages)
{
	const char *base;
	char path[4096];
	size_t i;

	if (file == NULL)
		return 0;
	base = strrchr(file, '/');
	base = base ? base + 1 : file;
	for (i = 0; i < pages; i++)
		if (strcasecmp(names[i], base) == 0)
			break;
	if (i == pages)
		return 0;
	xsnprintf(path, sizeof path, "%s/%s", outdir, names[i]);
	if (!cli_same_file(file, path))
		return 0;
	return cli_fail(EXIT_USAGE,
			"%s %s is also the image %s that --outdir would write: "
			"choose another --outdir",
			what, file, path);
}

/* Render every page into the set's staging folder. */
static int write_images(vpm_doc_t *doc, cli_outset_t *set, size_t pages)
{
	vpm_status_t st;
	size_t i;

	for (i = 0; i < pages; i++)
		if ((st = vpm_doc_save_page(doc, (int)i, cli_outset_path(set, i))) != VPM_OK)
			return cli_outset_fail(set, st); /* the message names the file */
	return EXIT_OK;
}

/* ------------------------------------------------------------ command */

int cmd_shotlist(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "stage", required_argument, NULL, OPT_STAGE },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "outdir", required_argument, NULL, OPT_OUTDIR },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ "lens-set", required_argument, NULL, OPT_LENS_SET },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ "camera", required_argument, NULL, OPT_CAMERA },
		{ "catalog", required_argument, NULL, OPT_CATALOG },
		{ "units", required_argument, NULL, OPT_UNITS },
		{ "recording-px", required_argument, NULL, OPT_RECORDING_PX },
		{ "delivery-px", required_argument, NULL, OPT_DELIVERY_PX },
		{ "coc", required_argument, NULL, OPT_COC },
		{ "tolerance", required_argument, NULL, OPT_TOLERANCE },
		{ "chroma-weight", required_argument, NULL, OPT_CHROMA },
		{ "model", required_argument, NULL, OPT_MODEL },
		{ "viewing", required_argument, NULL, OPT_VIEWING },
		{ "resample", required_argument, NULL, OPT_RESAMPLE },
		{ "band", required_argument, NULL, OPT_BAND },
		{ "pupil-edge", required_argument, NULL, OPT_PUPIL_EDGE },
		{ "content", required_argument, NULL, OPT_CONTENT },
		{ "transmission", required_argument, NULL, OPT_TRANSMISSION },
		CLI_EXPOSURE_LONGOPTS,
		{ "aspect", required_argument, NULL, OPT_ASPECT },
		{ "view-heights", required_argument, NULL, OPT_VIEW_HEIGHTS },
		{ "luminance", required_argument, NULL, OPT_LUMINANCE },
		{ "gain", required_argument, NULL, OPT_GAIN },
		{ "caution-at", required_argument, NULL, OPT_CAUTION_AT },
		{ "risky-at", required_argument, NULL, OPT_RISKY_AT },
		{ "stage-name", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_NAME },
		{ "panel", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_PANEL },
		{ "wall-width", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_WALL_WIDTH },
		{ "wall-height", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_WALL_HEIGHT },
		{ "cabinets-across", required_argument, NULL,
		  OPT_STAGE_KEY + VPM_STAGE_CABINETS_ACROSS },
		{ "cabinets-down", required_argument, NULL,
		  OPT_STAGE_KEY + VPM_STAGE_CABINETS_DOWN },
		{ "wall-bottom", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_WALL_BOTTOM },
		{ "curve-radius", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_CURVE_RADIUS },
		{ "side-walls", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_SIDE_WALLS },
		{ "side-wall-width", required_argument, NULL,
		  OPT_STAGE_KEY + VPM_STAGE_SIDE_WALL_WIDTH },
		{ "side-wall-cabinets", required_argument, NULL,
		  OPT_STAGE_KEY + VPM_STAGE_SIDE_WALL_CABINETS },
		{ "side-wall-angle", required_argument, NULL,
		  OPT_STAGE_KEY + VPM_STAGE_SIDE_WALL_ANGLE },
		{ "floor-width", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_FLOOR_WIDTH },
		{ "floor-depth", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_FLOOR_DEPTH },
		{ "floor-offset", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_FLOOR_OFFSET },
		{ "ceiling", required_argument, NULL, OPT_STAGE_KEY + VPM_STAGE_CEILING },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *stage_file = NULL, *output = NULL, *format = NULL, *outdir = NULL;
	const char *lens_set = NULL, *shots_path, *stage_flag[VPM_STAGE_NKEYS] = { NULL };
	int keep_going = 0, letter = 0, opt, rc, k, summary_pages = 0;
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_shot_options_t shot_opt;
	vpm_exposure_t exposure;
	vpm_stage_desc_t desc;
	vpm_stage_t stage;
	const vpm_panel_t *panel;
	vpm_shotlist_options_t so;
	vpm_shotlist_t *sl = NULL;
	vpm_predict_workspace_t *ws = NULL;
	shot_run_t *runs = NULL;
	vpm_doc_t *doc = NULL;
	vpm_doc_options_t dopt;
	vpm_status_t st;
	ctx_t c;
	size_t i, n = 0, pages = 0, *owner = NULL;
	char **names = NULL;
	cli_outset_t *set = NULL;
	const char *base;

	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h': fputs(shotlist_help, stdout); return EXIT_OK;
		case 'o':
		case OPT_OUTPUT: output = optarg; break;
		case OPT_STAGE: stage_file = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTDIR: outdir = optarg; break;
		case OPT_KEEP_GOING: keep_going = 1; break;
		case OPT_LENS_SET: lens_set = optarg; break;
		case OPT_PAPER:
			if (strcmp(optarg, "a4") == 0 || strcmp(optarg, "A4") == 0)
				letter = 0;
			else if (strcmp(optarg, "letter") == 0 || strcmp(optarg, "Letter") == 0)
				letter = 1;
			else
				return cli_usage("shotlist",
						 "--paper: expected a4 or letter, found '%s'",
						 optarg);
			break;
		default:
			if (opt >= OPT_STAGE_KEY && opt < OPT_STAGE_KEY + VPM_STAGE_NKEYS) {
				stage_flag[opt - OPT_STAGE_KEY] = optarg;
				break;
			}
			if ((rc = cli_setup_getopt("shotlist", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind >= argc)
		return cli_usage("shotlist", "give the shotlist CSV (vpmoire shotlist SHOTS.csv "
					     "--stage STAGE -o previs.pdf)");
	if (optind + 1 < argc)
		return cli_usage("shotlist", "unexpected argument '%s'", argv[optind + 1]);
	shots_path = argv[optind];
	if (format != NULL && strcmp(format, "png") != 0 && strcmp(format, "svg") != 0 &&
	    strcmp(format, "pdf") != 0)
		return cli_usage("shotlist", "--format: expected pdf, png or svg, found '%s'",
				 format);
	if (format != NULL && strcmp(format, "pdf") == 0)
		format = NULL;
	if (format != NULL && outdir == NULL)
		return cli_usage("shotlist",
				 "--format %s writes one image per page: give --outdir DIR",
				 format);
	if (outdir != NULL && format == NULL)
		format = "png";
	if (output == NULL && outdir == NULL)
		return cli_usage("shotlist", "give -o previs.pdf (or --format png --outdir DIR)");
	if (output != NULL) {
		vpm_doc_format_t f;
		if (vpm_doc_format_from_path(output, &f) != VPM_OK || f != VPM_DOC_PDF)
			return cli_usage("shotlist",
					 "-o %s: the output is a PDF (name it .pdf); use --format "
					 "png --outdir DIR for images",
					 output);
	}
	if (stage_file == NULL && stage_flag[VPM_STAGE_PANEL] == NULL)
		return cli_usage("shotlist", "give --stage FILE (or the stage as flags: --panel, "
					     "--wall-width, --wall-height, ...)");

	/* the stage: the file, then flags on top */
	vpm_stage_desc_init(&desc);
	if (stage_file != NULL && (st = vpm_stage_desc_read(&desc, stage_file)) != VPM_OK)
		return cli_fail_status(st, NULL);
	for (k = 0; k < VPM_STAGE_NKEYS; k++)
		if (stage_flag[k] != NULL &&
		    (st = vpm_stage_desc_set(&desc, (vpm_stage_key_t)k, stage_flag[k], NULL, 0,
					     0)) != VPM_OK)
			return cli_fail_status(st, NULL);
	if (!((desc.given >> VPM_STAGE_PANEL) & 1u))
		return cli_fail(EXIT_USAGE,
				"%s: no LED panel: add 'panel = NAME' (or --panel NAME)",
				stage_file ? stage_file : "stage");
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	if ((st = vpm_catalog_find_panel(cat, desc.panel, &panel)) != VPM_OK) {
		char where[VPM_STAGE_ORIGIN_MAX + 16];
		if ((desc.in_file >> VPM_STAGE_PANEL) & 1u)
			xsnprintf(where, sizeof where, "%s: panel", desc.origin[VPM_STAGE_PANEL]);
		else
			xsnprintf(where, sizeof where, "--panel");
		rc = cli_fail_status(st, where);
		goto out;
	}
	if ((st = vpm_stage_build(&desc, panel, &stage)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}

	/* the shotlist */
	so = vpm_shotlist_options_default();
	so.catalog = cat;
	so.default_camera = cli_setup_given(&cs, OPT_CAMERA) ? cs.camera : NULL;
	so.lens_set = lens_set;
	so.keep_going = keep_going;
	if (so.default_camera != NULL) {
		const vpm_camera_t *cam;
		if ((st = vpm_catalog_find_camera(cat, so.default_camera, &cam)) != VPM_OK) {
			rc = cli_fail_status(st, "--camera");
			goto out;
		}
	}
	if ((st = vpm_shotlist_read(shots_path, &so, &sl)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	vpm_shotlist_sort(sl);

	/* evaluate every shot before anything is written */
	ws = vpm_predict_workspace_alloc();
	runs = calloc(sl->n + 1, sizeof *runs);
	if (ws == NULL || runs == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	shot_opt = vpm_shot_options_default();
	shot_opt.catalog = cat;
	if ((rc = cli_exposure_budget(&cs, panel, &exposure, &shot_opt.max_stop)) != 0)
		goto out;
	for (i = 0; i < sl->n;) {
		vpm_shot_field_t field;
		st = vpm_shot_evaluate_ex(&sl->shot[i], &stage, &cs.raw, &shot_opt, ws, &runs[n].ev,
					  &field);
		if (st != VPM_OK) {
			char where[1024], msg[2048];
			vpm_shotlist_where(sl, i, field, where, sizeof where);
			xsnprintf(msg, sizeof msg, "%s: %s", where, vpm_error_message());
			if (!keep_going || st == VPM_ENOMEM) {
				rc = cli_fail(cli_exit_code(st), "%s", msg);
				goto out;
			}
			if ((st = vpm_shotlist_reject(sl, i, msg)) != VPM_OK) {
				rc = cli_fail_status(st, NULL);
				goto out;
			}
			continue; /* the next shot moved into slot i */
		}
		n++;
		i++;
	}
	/* runs[] point at the shots only now that the list no longer moves */
	for (i = 0; i < n; i++)
		runs[i].shot = &sl->shot[i];
	for (i = 0; i < sl->n_rejected; i++)
		cli_fail(0, "%s (row skipped)", sl->rejected[i].message); /* one line each */
	if (n == 0) {
		if (sl->n_rejected == 0) /* a header and nothing under it */
			rc = cli_fail(EXIT_USAGE, "%s: no shots: the file has a header but no rows",
				      shots_path);
		else
			rc = cli_fail(EXIT_USAGE, "%s: no shot could be rendered", shots_path);
		goto out;
	}

	/* pages */
	memset(&c, 0, sizeof c);
	c.stage = &stage;
	c.cs = &cs;
	base = strrchr(shots_path, '/');
	c.shots_name = base ? base + 1 : shots_path;
	c.u = cs.units;
	c.px0 = stage.room_x0_m;
	c.px1 = stage.room_x1_m;
	c.pz0 = stage.room_z0_m;
	c.pz1 = stage.room_z1_m;
	for (i = 0; i < n; i++) {
		const vpm_shot_eval_t *e = &runs[i].ev;
		c.px0 = fmin(c.px0, e->view.position_m.x);
		c.px1 = fmax(c.px1, e->view.position_m.x);
		c.pz1 = fmax(c.pz1, e->view.position_m.z);
		if (e->figure.present) {
			c.px0 = fmin(c.px0, e->figure.x_m);
			c.px1 = fmax(c.px1, e->figure.x_m);
		}
	}
	c.px0 -= 0.6;
	c.px1 += 0.6;
	c.pz0 = fmin(c.pz0, 0.0) - 0.8 - 0.35;
	c.pz1 += 0.55;
	/* side view: from behind the wall to behind the farthest camera, floor to
	 * above the ceiling or the highest of wall, camera and subject */
	c.sd0 = -0.8 - 0.15;
	c.sd1 = 1.0;
	c.sy0 = -0.15;
	c.sy1 = fmax(stage.ceiling_m, stage.surface[0].bottom_m + stage.surface[0].height_m);
	for (i = 0; i < n; i++) {
		const vpm_shot_eval_t *e = &runs[i].ev;
		vpm_paths_t tmp;
		vpm_plan_marks_t mk;
		double d = 0.0;
		int hit;
		memset(&mk, 0, sizeof mk);
		mk.beyond_m = 0.8;
		mk.max_ray_m = 10.0;
		mk.cabinet_depth_m = 0.1;
		vpm_paths_init(&tmp);
		if (vpm_frame_section_paths(&stage, &e->view, NULL, &mk, &tmp, &d, &hit) == VPM_OK)
			c.sd1 = fmax(c.sd1, d + 0.45);
		vpm_paths_release(&tmp);
		c.sy1 = fmax(c.sy1, e->view.position_m.y + 0.2);
		if (e->figure.present)
			c.sy1 = fmax(c.sy1, vpm_figure_top_m(&e->figure));
	}
	c.sy1 += 0.25;
	if (cs.raw.model == VPM_MODEL_FIELD && cs.raw.viewing == VPM_VIEWING_AUTO)
		xsnprintf(c.foot_viewer, sizeof c.foot_viewer,
			  "%.4g:1 picture; viewing follows each shot's delivery (hd-tv at 3 "
			  "picture heights below 3840 px, else uhd-tv at 1.5); grade gain %.3g",
			  cs.raw.aspect, cs.raw.grade_gain);
	else
		xsnprintf(c.foot_viewer, sizeof c.foot_viewer,
			  "%.4g:1 picture at %.3g picture heights, %.4g cd/m\xC2\xB2, grade gain "
			  "%.3g",
			  cs.raw.aspect, cs.raw.view_heights, cs.raw.luminance_cd_m2,
			  cs.raw.grade_gain);
	xsnprintf(c.foot_thr, sizeof c.foot_thr, "caution from V = %g, risky from V = %g",
		  cs.raw.caution_at, cs.raw.risky_at);
	vpm_model_describe(&cs.raw, c.foot_misc, sizeof c.foot_misc);
	xsnprintf(c.foot_ver, sizeof c.foot_ver, "vpmoire %s", PACKAGE_VERSION);
	c.footer[c.n_footer++] =
		(vpm_footer_item_t){ "Framing", "pinhole from the sensor plane: coverage = "
						"distance \xC3\x97 sensor width / focal length" };
	c.footer[c.n_footer++] =
		(vpm_footer_item_t){ "Verdict", "analytic predictor at the wall points in frame, "
						"worst taken (\xE2\x97\x87 on the frame)" };
	c.footer[c.n_footer++] = (vpm_footer_item_t){ "Viewer", c.foot_viewer };
	c.footer[c.n_footer++] = (vpm_footer_item_t){ "Thresholds", c.foot_thr };
	c.footer[c.n_footer++] = (vpm_footer_item_t){ "Model", c.foot_misc };
	c.footer[c.n_footer++] = (vpm_footer_item_t){ "Version", c.foot_ver };

	dopt = vpm_doc_options_default();
	dopt.paper = letter ? VPM_DOC_LETTER : VPM_DOC_A4;
	dopt.landscape = 1;
	dopt.title = "vpmoire shotlist previs";
	if ((st = vpm_doc_alloc(&dopt, &doc)) != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	if ((st = add_summary(doc, &dopt, &c, runs, n, sl, &summary_pages)) != VPM_OK) {
		rc = cli_fail_status(st, "summary page");
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((st = shot_page(doc, &c, &runs[i])) != VPM_OK) {
			rc = cli_fail_status(st, runs[i].shot->id);
			goto out;
		}

	pages = (size_t)vpm_doc_page_count(doc);
	if (outdir != NULL) {
		if ((rc = image_names(format, summary_pages, runs, n, &names, &owner)) != 0 ||
		    (rc = clashes_with_image(output, "-o", outdir, names, pages)) != 0 ||
		    (rc = clashes_with_image(shots_path, "the shotlist", outdir, names, pages)) !=
			    0 ||
		    (rc = clashes_with_image(stage_file, "--stage", outdir, names, pages)) != 0)
			goto out;
	}

	/* The images go into a staging folder first, then the PDF is written,
	 * then the images are swapped in as a set (apps/outset.c): a failure
	 * anywhere before the swap leaves the previous PDF and images as they
	 * were. */
	cli_install_signal_cleanup();
	if (outdir != NULL) {
		if ((rc = cli_outset_begin("--outdir", outdir, (const char *const *)names, pages,
					   &set)) != 0)
			goto out;
		if ((rc = write_images(doc, set, pages)) != EXIT_OK)
			goto out;
	}
	if (output != NULL && (st = vpm_doc_save(doc, output)) != VPM_OK) {
		rc = cli_fail_status(st, NULL); /* the message names the file */
		goto out;
	}
	if (set != NULL) {
		rc = cli_outset_commit(set);
		set = NULL;
		if (rc != EXIT_OK)
			goto out;
	}

	/* a line per shot for the terminal */
	for (i = 0; i < n; i++) {
		const vpm_shot_eval_t *e = &runs[i].ev;
		char ed[32];
		edges_text(&e->coverage, 1, ed, sizeof ed);
		printf("%-8s %-8s V %6.2f  set extension %3.0f %%%s%s%s%s\n", runs[i].shot->id,
		       risk_upper(e->verdict.has_led ? (int)e->verdict.result.risk : -1),
		       vpm_result_visibility(&e->verdict.result),
		       100.0 * e->coverage.extension_share, ed[0] ? " (" : "", ed, ed[0] ? ")" : "",
		       e->subject_in_dof == 0 ? "  subject outside DOF"
		       : e->subject_sharp == 0
			       ? "  subject soft: focus nearer than the lens's close "
				 "focus"
			       : "");
	}
	if (output != NULL)
		printf("wrote %s: %d page%s (%d summary, %zu shot%s)\n", output,
		       vpm_doc_page_count(doc), vpm_doc_page_count(doc) == 1 ? "" : "s",
		       summary_pages, n, n == 1 ? "" : "s");
	if (outdir != NULL) {
		printf("wrote %zu %s file%s to %s\n", pages, format, pages == 1 ? "" : "s", outdir);
		/* shots whose plain file name another shot has (see image_names) */
		for (i = (size_t)summary_pages; i < pages; i++)
			if (owner[i] != i)
				printf("  shot %s is %s (%s is shot %s's)\n",
				       runs[i - summary_pages].shot->id, names[i], names[owner[i]],
				       runs[owner[i] - summary_pages].shot->id);
	}
	rc = fflush(stdout) != 0 || ferror(stdout)
		     ? cli_fail(EXIT_RUNTIME, "cannot write the output")
		     : EXIT_OK;
out:
	cli_outset_abort(set);
	free_names(names, pages);
	free(owner);
	vpm_doc_free(doc);
	free(runs);
	vpm_predict_workspace_free(ws);
	vpm_shotlist_free(sl);
	vpm_catalog_free(cat);
	return rc;
}
