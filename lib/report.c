/* Reports: the text and JSON of the commands (see vpmoire/report.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/report.h"

/* ------------------------------------------------------------ JSON */

void vpm_json_number(FILE *fp, double v)
{
	if (!isfinite(v))
		fputs("null", fp);
	else if (v == 0.0)
		fputs("0", fp);
	else {
		/* the shortest of 15, 16 or 17 significant digits that reads back
		 * as the same double (17 always does: IEEE 754-2008 §5.12.2), so
		 * a script gets the library's value exactly, and 0.1 stays 0.1 */
		char buf[40];
		int p;

		for (p = 15; p <= 17; p++) {
			snprintf(buf, sizeof buf, "%.*g", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		fputs(buf, fp);
	}
}

void vpm_json_string(FILE *fp, const char *s)
{
	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

/* An object being written member by member, one member a line at
 * `indent`: "{" then ("," unless first) "\n" indent "\"key\": " value. */
typedef struct {
	FILE *fp;
	const char *indent;
	int first;
} jw_t;

static void jw_key(jw_t *w, const char *key)
{
	fprintf(w->fp, "%s\n%s\"%s\": ", w->first ? "" : ",", w->indent, key);
	w->first = 0;
}

static void jw_num(jw_t *w, const char *key, double v)
{
	jw_key(w, key);
	vpm_json_number(w->fp, v);
}

static void jw_str(jw_t *w, const char *key, const char *v)
{
	jw_key(w, key);
	vpm_json_string(w->fp, v);
}

/* The "setup" object's equipment and optics, as check and simulate write
 * it (SPEC §4): the names, then the set-up from pitch_mm to focus_m. */
static void jw_setup_optics(jw_t *w, const char *panel, const char *camera, const char *lens,
			    const vpm_setup_t *s)
{
	jw_str(w, "panel", panel);
	jw_str(w, "camera", camera);
	jw_str(w, "lens", lens);
	jw_num(w, "pitch_mm", s->pitch_mm);
	jw_num(w, "emitter_mm", s->emitter_mm);
	jw_num(w, "photosite_um", s->photosite_um);
	jw_num(w, "width_px", s->width_px);
	jw_num(w, "olpf_um", s->olpf_um);
	jw_num(w, "fill", s->fill);
	jw_str(w, "cfa", s->cfa == VPM_CFA_MONO ? "mono" : "bayer");
	jw_num(w, "focal_mm", s->focal_mm);
	jw_num(w, "stop", s->stop);
	jw_num(w, "wall_m", s->wall_m);
	jw_num(w, "focus_m", s->focus_m);
}

/* Every report's distances (vpmoire/report.h). */
const char *vpm_report_length(double m, vpm_units_system_t u, char *buf, size_t n)
{
	if (isinf(m))
		snprintf(buf, n, "infinity");
	else
		vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? 3 : 1, buf, n);
	return buf;
}

/* ------------------------------------------------------------ check */

static const char *advice_kind(vpm_advice_kind_t k)
{
	switch (k) {
	case VPM_ADVICE_STOP: return "stop";
	case VPM_ADVICE_FOCUS: return "focus";
	case VPM_ADVICE_WALL: return "wall";
	case VPM_ADVICE_CAMERA: return "camera";
	case VPM_ADVICE_LENS: return "lens";
	case VPM_ADVICE_DELIVERY: return "delivery";
	default: return "none";
	}
}

/* The check object without its closing brace; the wrappers check the
 * arguments and close it. */
static void check_json_body(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
			    const vpm_plan_t *plan, const vpm_check_report_t *info)
{
	jw_t w = { NULL, "  ", 1 };
	double subject_m, max_stop;
	size_t i;

	w.fp = fp;
	subject_m = info->subject_m;
	max_stop = info->max_stop;

	fputc('{', fp);
	/* the contract, from the library's one table */
	for (i = 0; i < VPM_REPORT_FIELDS; i++) {
		double num;
		const char *text;

		if (vpm_report_field_value(i, r, &num, &text))
			jw_str(&w, vpm_report_field_name(i), text);
		else
			jw_num(&w, vpm_report_field_name(i), num);
	}
	/* beyond the contract: what a user needs to see why */
	jw_num(&w, "grid_cy_deg", r->grid_channel == VPM_CHANNEL_NONE ? NAN : r->grid_cy_deg);
	jw_str(&w, "grid_channel", vpm_channel_name(r->grid_channel));
	jw_num(&w, "led_pitch_px", r->led_pitch_px);
	jw_num(&w, "wall_blur_pitches", r->wall_blur_pitches);
	jw_num(&w, "defocus_waves", r->defocus_waves);
	jw_num(&w, "visibility", vpm_result_visibility(r));
	/* the field model (SPEC §5): which chain, what drives, both band statistics */
	jw_str(&w, "model", vpm_model_name(r->choice.model));
	jw_str(&w, "verdict_driver", r->driver_is_moire ? "moire" : "grid");
	jw_str(&w, "verdict_statistic", r->choice.band == VPM_BAND_WORST ? "worst" : "expected");
	jw_num(&w, "moire_visibility_expected", r->moire_visibility_expected);
	jw_num(&w, "moire_visibility_worst", r->moire_visibility_worst);
	jw_num(&w, "grid_visibility_expected", r->grid_visibility_expected);
	jw_num(&w, "grid_visibility_worst", r->grid_visibility_worst);
	jw_str(&w, "viewing", vpm_viewing_name(r->choice.viewing));
	jw_num(&w, "view_heights", r->choice.view_heights);
	jw_num(&w, "luminance_cd_m2", r->choice.luminance_cd_m2);
	jw_str(&w, "chroma", vpm_chroma_name(r->choice.chroma));
	jw_str(&w, "resample", vpm_resample_name(r->choice.resample));
	jw_num(&w, "pupil_edge", r->choice.pupil_edge);
	jw_num(&w, "content_contrast", r->choice.content_contrast);
	/* anamorphic lenses (issue 19): the LED fundamental along the sensor's
	 * rows and columns, equal without a squeeze */
	jw_num(&w, "led_frequency_x_cy_mm", r->led_frequency_x_cy_mm);
	jw_num(&w, "led_frequency_y_cy_mm", r->led_frequency_y_cy_mm);
	fprintf(fp, ",\n  \"setup\": {");
	w.first = 1;
	w.indent = "    ";
	jw_setup_optics(&w, info->panel, info->camera, info->lens, s);
	jw_num(&w, "subject_m", subject_m > 0 ? subject_m : NAN);
	jw_num(&w, "recording_px", s->recording_px > 0 ? s->recording_px : NAN);
	jw_num(&w, "delivery_px", s->delivery_px > 0 ? s->delivery_px : NAN);
	jw_num(&w, "roll_deg", s->roll_deg);
	jw_num(&w, "tolerance", s->tolerance);
	jw_str(&w, "chroma_weight", vpm_chroma_name(r->choice.chroma));
	jw_num(&w, "aspect", r->choice.aspect);
	jw_num(&w, "view_heights", r->choice.view_heights);
	jw_num(&w, "luminance_cd_m2", r->choice.luminance_cd_m2);
	jw_str(&w, "model", vpm_model_name(s->model));
	jw_str(&w, "viewing", vpm_viewing_name(r->choice.viewing));
	jw_str(&w, "resample", vpm_resample_name(r->choice.resample));
	jw_str(&w, "band", vpm_band_name(r->choice.band));
	jw_num(&w, "pupil_edge", r->choice.pupil_edge);
	jw_num(&w, "content_contrast", r->choice.content_contrast);
	jw_num(&w, "grade_gain", s->grade_gain);
	jw_num(&w, "squeeze", s->squeeze > 0.0 ? s->squeeze : 1.0);
	w.indent = "  ";
	fprintf(fp, "\n  }");
	if (subject_m > 0) {
		vpm_subject_t subj = { subject_m, subject_m };
		fprintf(fp, ",\n  \"subject_in_dof\": %s",
			vpm_plan_subject_in_dof(r, subj) ? "true" : "false");
	}
	fprintf(fp, ",\n  \"components\": [");
	for (i = 0; i < r->n_top; i++) {
		const vpm_component_t *c = &r->top[i];
		fprintf(fp, "%s\n    {\"k\": %d, \"l\": %d, \"channel\": ", i ? "," : "", c->k,
			c->l);
		vpm_json_string(fp, vpm_channel_name(c->channel));
		fprintf(fp, ", \"aliased\": %s, \"cy_mm\": ", c->aliased ? "true" : "false");
		vpm_json_number(fp, c->nu_cy_mm);
		fputs(", \"cy_deg\": ", fp);
		vpm_json_number(fp, c->cy_deg);
		fputs(", \"modulation\": ", fp);
		vpm_json_number(fp, c->modulation);
		fputs(", \"visibility\": ", fp);
		vpm_json_number(fp, c->visibility);
		fputs(", \"visibility_worst\": ", fp);
		vpm_json_number(fp, c->visibility_worst);
		fputs(", \"visibility_expected\": ", fp);
		vpm_json_number(fp, c->visibility_expected);
		fputc('}', fp);
	}
	fprintf(fp, "%s],\n  \"f_number\": ", r->n_top ? "\n  " : "");
	vpm_json_number(fp, r->f_number);
	fputs(",\n  \"exposure_max_stop\": ", fp);
	vpm_json_number(fp, max_stop);
	fputs(",\n  \"advice_why\": ", fp);
	if (plan->n > 0 && !plan->safe)
		vpm_json_string(fp, plan->why);
	else
		fputs("null", fp);
	fputs(",\n  \"advice\": [", fp);
	for (i = 0; i < plan->n; i++) {
		const vpm_advice_t *adv = plan->advice;

		fprintf(fp, "%s\n    {\"change\": \"%s\", \"stop\": ", i ? "," : "",
			advice_kind(adv[i].kind));
		vpm_json_number(fp, adv[i].stop);
		fputs(", \"focus_m\": ", fp);
		vpm_json_number(fp, adv[i].focus_m);
		fputs(", \"wall_m\": ", fp);
		vpm_json_number(fp, adv[i].wall_m);
		fputs(", \"camera_move_m\": ", fp);
		vpm_json_number(fp, adv[i].camera_move_m);
		fputs(", \"focal_mm\": ", fp);
		vpm_json_number(fp, adv[i].focal_mm);
		fputs(", \"lens\": ", fp);
		if (adv[i].lens)
			vpm_json_string(fp, adv[i].lens->name);
		else
			fputs("null", fp);
		fprintf(fp, ", \"delivery_px\": %d", adv[i].delivery_px);
		fputs(", \"visibility\": ", fp);
		vpm_json_number(fp, adv[i].visibility);
		fprintf(fp, ", \"risk\": \"%s\"}", vpm_risk_name(adv[i].risk));
	}
	fprintf(fp, "%s]", plan->n ? "\n  " : "");
}

vpm_status_t vpm_report_check_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info)
{
	if (fp == NULL || s == NULL || r == NULL || plan == NULL || info == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	check_json_body(fp, s, r, plan, info);
	fputs("\n}\n", fp);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

/* A distance for JSON: null for "no such subject" (0). */
static double json_dist(double m)
{
	return m > 0.0 ? m : NAN;
}

static void move_state_json(FILE *fp, const char *key, const vpm_move_state_t *a)
{
	jw_t w = { NULL, "      ", 1 };

	w.fp = fp;
	fprintf(fp, ",\n    \"%s\": {", key);
	jw_num(&w, "wall_m", a->wall_m);
	jw_num(&w, "focus_m", a->focus_m);
	jw_num(&w, "subject_m", json_dist(a->subject_m));
	jw_num(&w, "subject2_m", json_dist(a->subject2_m));
	fputs("\n    }", fp);
}

vpm_status_t vpm_report_check_move_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
					const vpm_plan_t *plan, const vpm_check_report_t *info,
					const vpm_move_t *mv, const vpm_move_result_t *m)
{
	jw_t w = { NULL, "    ", 1 };
	size_t i;

	if (fp == NULL || s == NULL || r == NULL || plan == NULL || info == NULL || mv == NULL ||
	    m == NULL || m->n_segments == 0 || m->segments == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	w.fp = fp;
	check_json_body(fp, s, r, plan, info);
	fputs(",\n  \"move\": {", fp);
	jw_num(&w, "samples", (double)m->n_samples);
	w.first = 0;
	move_state_json(fp, "start", &mv->start);
	move_state_json(fp, "end", &mv->end);
	fputs(",\n    \"worst\": {", fp);
	w.first = 1;
	w.indent = "      ";
	jw_num(&w, "t", m->worst.t);
	jw_num(&w, "wall_m", m->worst.at.wall_m);
	jw_num(&w, "focus_m", m->worst.at.focus_m);
	jw_num(&w, "subject_m", json_dist(m->worst.at.subject_m));
	jw_num(&w, "subject2_m", json_dist(m->worst.at.subject2_m));
	jw_num(&w, "led_pitch_px", m->worst.led_pitch_px);
	jw_num(&w, "visibility", m->worst.visibility);
	jw_str(&w, "risk", vpm_risk_name(m->worst.risk));
	fputs("\n    }", fp);
	w.indent = "    ";
	jw_str(&w, "risk", vpm_risk_name(m->risk));
	fputs(",\n    \"segments\": [", fp);
	for (i = 0; i < m->n_segments; i++) {
		fprintf(fp, "%s\n      {\"t0\": ", i ? "," : "");
		vpm_json_number(fp, m->segments[i].t0);
		fputs(", \"t1\": ", fp);
		vpm_json_number(fp, m->segments[i].t1);
		fprintf(fp, ", \"risk\": \"%s\"}", vpm_risk_name(m->segments[i].risk));
	}
	fputs("\n    ]", fp);
	if (mv->start.subject_m > 0.0) {
		fprintf(fp, ",\n    \"subject_sharp\": %s",
			isnan(m->subject_soft_t0) ? "true" : "false");
		jw_num(&w, "subject_soft_t0", m->subject_soft_t0);
		jw_num(&w, "subject_soft_t1", m->subject_soft_t1);
	}
	if (mv->start.subject2_m > 0.0) {
		fprintf(fp, ",\n    \"subject2_sharp\": %s",
			isnan(m->subject2_soft_t0) ? "true" : "false");
		jw_num(&w, "subject2_soft_t0", m->subject2_soft_t0);
		jw_num(&w, "subject2_soft_t1", m->subject2_soft_t1);
	}
	fputs("\n  }\n}\n", fp);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

static void print_component(FILE *fp, const char *label, double vis, double mod, double cy_mm,
			    double cy_deg, vpm_channel_t ch)
{
	if (ch == VPM_CHANNEL_NONE) {
		fprintf(fp, "  %-18s none\n", label);
		return;
	}
	/* the component's cosine amplitude over the mean level: a Fourier
	 * amplitude ratio, not a contrast (summed harmonics can exceed 1) */
	fprintf(fp,
		"  %-18s visibility %.2f: %s, %.1f cy/mm on the sensor (%.1f cy/deg on screen), "
		"amplitude %.3g x mean level\n",
		label, vis, vpm_channel_name(ch), cy_mm, cy_deg, mod);
}

/* The text body; the wrapper checks the arguments and the stream. */
static void check_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
		       const vpm_plan_t *plan, const vpm_check_report_t *info)
{
	const char *panel = info->panel, *camera = info->camera, *lens = info->lens;
	const double subject_m = info->subject_m, max_stop = info->max_stop;
	const vpm_units_system_t u = info->units;
	char b1[48], b2[48], b3[48], line[400];
	double v = vpm_result_visibility(r);
	size_t i;

	fprintf(fp,
		"%s  visibility %.2f (moire %.2f, LED grid %.2f; caution from %g, risky from %g)\n",
		vpm_risk_label(r->risk), v, r->moire_visibility, r->grid_visibility, s->caution_at,
		s->risky_at);
	{
		char model[400];

		vpm_model_describe(s, model, sizeof model);
		fprintf(fp, "  %-18s %s\n", "model", model);
		if (v > 0.0)
			fprintf(fp,
				"  %-18s %s drives the verdict (%s over the focus band); worst case "
				"in the band %.2f (moire %.2f, LED grid %.2f)\n",
				"verdict", r->driver_is_moire ? "the moire" : "the LED grid",
				r->choice.band == VPM_BAND_WORST ? "worst case" : "expected value",
				vpm_visibility_verdict(r->moire_visibility_worst,
						       r->grid_visibility_worst),
				r->moire_visibility_worst, r->grid_visibility_worst);
	}
	fprintf(fp,
		"  %-18s %s%s%.4g mm pitch; %s%s%.2f um photosites x %d, %s, %s; %s%s%g mm at T%g\n",
		"rig", panel ? panel : "", panel ? ", " : "", s->pitch_mm, camera ? camera : "",
		camera ? ", " : "", s->photosite_um, s->width_px,
		s->cfa == VPM_CFA_MONO ? "mono" : "Bayer", s->olpf_um > 0 ? "OLPF" : "no OLPF",
		lens ? lens : "", lens ? ", " : "", s->focal_mm, s->stop);
	if (r->f_number != s->stop)
		fprintf(fp,
			"  %-18s f/%.3g at T%g (transmittance %.3f); the optics use the f-number\n",
			"aperture", r->f_number, s->stop,
			(r->f_number / s->stop) * (r->f_number / s->stop));
	fprintf(fp, "  %-18s wall %s, focus %s\n", "distances",
		vpm_report_length(s->wall_m, u, b1, sizeof b1),
		vpm_report_length(s->focus_m, u, b2, sizeof b2));
	fprintf(fp, "  %-18s %.2f photosites per LED (%.1f cy/mm; Nyquist %.1f cy/mm)\n",
		"LED image pitch", r->led_pitch_px, r->led_frequency_cy_mm, r->nyquist_cy_mm);
	if (r->squeeze > 0.0 && r->squeeze != 1.0)
		fprintf(fp,
			"  %-18s %gx: LED image %.1f cy/mm across, %.1f cy/mm down; the "
			"delivery desqueezes\n",
			"anamorphic", r->squeeze, r->led_frequency_x_cy_mm,
			r->led_frequency_y_cy_mm);
	fprintf(fp, "  %-18s %.3f mm on the sensor = %.1f LED pitches (%.1f waves of defocus)\n",
		"wall blur", r->wall_blur_mm, r->wall_blur_pitches, r->defocus_waves);
	fprintf(fp, "  %-18s %s to %s (CoC %.3f mm; hyperfocal %s)\n", "depth of field",
		vpm_report_length(r->dof_near_m, u, b1, sizeof b1),
		vpm_report_length(r->dof_far_m, u, b2, sizeof b2), r->coc_mm,
		vpm_report_length(r->hyperfocal_m, u, b3, sizeof b3));
	if (subject_m > 0) {
		vpm_subject_t subj = { subject_m, subject_m };
		fprintf(fp, "  %-18s %s, %s the depth of field\n", "subject",
			vpm_report_length(subject_m, u, b1, sizeof b1),
			vpm_plan_subject_in_dof(r, subj) ? "inside" : "OUTSIDE");
	}
	print_component(fp, "strongest moire", r->moire_visibility, r->moire_modulation,
			r->moire_beat_cy_mm, r->moire_cy_deg, r->moire_channel);
	print_component(fp, "strongest grid", r->grid_visibility, r->grid_modulation, r->grid_cy_mm,
			r->grid_cy_deg, r->grid_channel);
	if (r->n_top > 0) {
		fprintf(fp, "  components (strongest first):\n");
		fprintf(fp, "    %4s %4s  %-5s  %-8s %9s %9s %11s %10s\n", "k", "l", "chan", "kind",
			"cy/mm", "cy/deg", "amp/mean", "visibility");
		for (i = 0; i < r->n_top; i++) {
			const vpm_component_t *c = &r->top[i];
			fprintf(fp, "    %4d %4d  %-5s  %-8s %9.2f %9.2f %11.3g %10.3f\n", c->k,
				c->l, vpm_channel_name(c->channel), c->aliased ? "moire" : "grid",
				c->nu_cy_mm, c->cy_deg, c->modulation, c->visibility);
		}
	}
	vpm_exposure_describe(info->exposure, line, sizeof line);
	fprintf(fp, "  %-18s %s\n", "exposure budget", line);
	if (s->stop > max_stop * (1.0 + 1e-9))
		fprintf(fp,
			"  %-18s T%g is past what the light allows (T%.3g): the shot may be "
			"underexposed\n",
			"", s->stop, max_stop);
	if (r->risk == VPM_RISK_SAFE) {
		fprintf(fp, "  %-18s none needed\n", "what would help");
		return;
	}
	for (i = 0; i < plan->n; i++) {
		vpm_advice_describe(&plan->advice[i], s, u, line, sizeof line);
		fprintf(fp, "  %-18s %s\n", i == 0 ? "what would help" : "", line);
	}
	if (!plan->safe)
		fprintf(fp,
			"  %-18s nothing within reach makes it SAFE: %s; try a finer pitch, "
			"busier or darker wall content, or a softer grade\n",
			plan->n ? "" : "what would help", plan->why);
}

vpm_status_t vpm_report_check_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info)
{
	if (fp == NULL || s == NULL || r == NULL || plan == NULL || info == NULL ||
	    info->exposure == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	check_text(fp, s, r, plan, info);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

static void move_sharp_text(FILE *fp, const char *label, double at_start_m, double soft_t0,
			    double soft_t1)
{
	if (!(at_start_m > 0.0))
		return;
	if (isnan(soft_t0))
		fprintf(fp, "  %-18s inside the depth of field throughout\n", label);
	else
		fprintf(fp, "  %-18s OUTSIDE the depth of field from t %.3f to %.3f\n", label,
			soft_t0, soft_t1);
}

vpm_status_t vpm_report_check_move_text(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
					const vpm_plan_t *plan, const vpm_check_report_t *info,
					const vpm_move_t *mv, const vpm_move_result_t *m)
{
	const vpm_move_sample_t *w;
	vpm_units_system_t u;
	char b1[48], b2[48], b3[48], line[1024];

	if (fp == NULL || s == NULL || r == NULL || plan == NULL || info == NULL ||
	    info->exposure == NULL || mv == NULL || m == NULL || m->n_segments == 0 ||
	    m->segments == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	w = &m->worst;
	u = info->units;
	fprintf(fp, "MOVE %s  worst visibility %.2f at t %.3f (wall %s, focus %s",
		vpm_risk_label(m->risk), w->visibility, w->t,
		vpm_report_length(w->at.wall_m, u, b1, sizeof b1),
		vpm_report_length(w->at.focus_m, u, b2, sizeof b2));
	if (w->at.subject_m > 0.0)
		fprintf(fp, ", subject %s", vpm_report_length(w->at.subject_m, u, b3, sizeof b3));
	fprintf(fp, "; %.2f photosites per LED)\n", w->led_pitch_px);
	fprintf(fp, "  %-18s wall %s -> ", "move",
		vpm_report_length(mv->start.wall_m, u, b1, sizeof b1));
	fprintf(fp, "%s, focus %s -> ", vpm_report_length(mv->end.wall_m, u, b1, sizeof b1),
		vpm_report_length(mv->start.focus_m, u, b2, sizeof b2));
	fprintf(fp, "%s", vpm_report_length(mv->end.focus_m, u, b2, sizeof b2));
	if (mv->start.subject_m > 0.0) {
		fprintf(fp, ", subject %s -> ",
			vpm_report_length(mv->start.subject_m, u, b1, sizeof b1));
		fprintf(fp, "%s", vpm_report_length(mv->end.subject_m, u, b1, sizeof b1));
	}
	if (mv->start.subject2_m > 0.0) {
		fprintf(fp, ", second subject %s -> ",
			vpm_report_length(mv->start.subject2_m, u, b1, sizeof b1));
		fprintf(fp, "%s", vpm_report_length(mv->end.subject2_m, u, b1, sizeof b1));
	}
	fputc('\n', fp);
	vpm_move_describe_segments(m, line, sizeof line);
	fprintf(fp, "  %-18s %s (%s; %zu samples)\n", "along the move", line,
		m->n_segments == 1 ? "the verdict holds throughout" : "where the verdict changes",
		m->n_samples);
	move_sharp_text(fp, "subject", mv->start.subject_m, m->subject_soft_t0, m->subject_soft_t1);
	move_sharp_text(fp, "second subject", mv->start.subject2_m, m->subject2_soft_t0,
			m->subject2_soft_t1);
	fprintf(fp, "at the worst point (t %.3f):\n", w->t);
	check_text(fp, s, r, plan, info);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

vpm_status_t vpm_report_check_plan(FILE *fp, const vpm_plan_shot_t *p,
				   const vpm_check_report_t *info, int json)
{
	vpm_check_report_t at;

	if (p == NULL || info == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	at = *info;
	at.subject_m = p->subject_m;
	if (p->moving)
		return json ? vpm_report_check_move_json(fp, &p->setup, &p->result, &p->plan, &at,
							 &p->move, &p->move_result)
			    : vpm_report_check_move_text(fp, &p->setup, &p->result, &p->plan, &at,
							 &p->move, &p->move_result);
	return json ? vpm_report_check_json(fp, &p->setup, &p->result, &p->plan, &at)
		    : vpm_report_check_text(fp, &p->setup, &p->result, &p->plan, &at);
}

/* ------------------------------------------------------------ focus */

/* "at T4 the depth of field holds at most 3.2 cm around 0.500 m" */
void vpm_focus_stop_reason(vpm_focus_stop_t *p, vpm_subject_t subj, vpm_units_system_t u)
{
	char a[48], b[48];
	double centre = 0.5 * (subj.near_m + subj.far_m);

	if (p == NULL)
		return;

	if (isnan(p->max_depth_m))
		snprintf(p->reason, sizeof p->reason,
			 "at T%g no focus holds the subject from %s to %s", p->stop,
			 vpm_report_length(subj.near_m, u, a, sizeof a),
			 vpm_report_length(subj.far_m, u, b, sizeof b));
	else if (p->max_depth_m <= 0.0)
		snprintf(p->reason, sizeof p->reason,
			 "at T%g no focus the lens reaches holds a subject at %s", p->stop,
			 vpm_report_length(centre, u, a, sizeof a));
	else
		snprintf(p->reason, sizeof p->reason,
			 "depth of field too shallow: at T%g it holds a subject at most %s deep "
			 "around %s",
			 p->stop, vpm_report_length(p->max_depth_m, u, a, sizeof a),
			 vpm_report_length(centre, u, b, sizeof b));
}

/* A stop that is not a candidate: only its centre focus, for the table
 * and the page. */
vpm_status_t vpm_focus_stop_naive(vpm_focus_stop_t *p, const vpm_setup_t *ss, vpm_subject_t subj,
				  vpm_predict_workspace_t *ws)
{
	vpm_result_t r;
	vpm_status_t st;

	if (p == NULL || ss == NULL || ws == NULL)
		return vpm_error(VPM_EINVAL, "focus: NULL argument");
	st = vpm_predict(ss, ws, &r);

	if (st != VPM_OK)
		return st;
	p->naive.stop = ss->stop;
	p->naive.focus_m = ss->focus_m;
	p->naive.result = r;
	p->naive.subject_sharp = vpm_plan_subject_in_dof(&r, subj);
	return VPM_OK;
}

static void json_choice(FILE *fp, const char *key, const vpm_focus_choice_t *c, const char *indent)
{
	const vpm_result_t *r = &c->result;

	fprintf(fp, "%s\"%s\": {\"focus_m\": ", indent, key);
	vpm_json_number(fp, c->focus_m);
	fputs(", \"stop\": ", fp);
	vpm_json_number(fp, c->stop);
	fputs(", \"dof_near_m\": ", fp);
	vpm_json_number(fp, r->dof_near_m);
	fputs(", \"dof_far_m\": ", fp);
	vpm_json_number(fp, r->dof_far_m);
	fputs(", \"wall_blur_mm\": ", fp);
	vpm_json_number(fp, r->wall_blur_mm);
	fputs(", \"wall_blur_pitches\": ", fp);
	vpm_json_number(fp, r->wall_blur_pitches);
	fputs(", \"moire_visibility\": ", fp);
	vpm_json_number(fp, r->moire_visibility);
	fputs(", \"grid_visibility\": ", fp);
	vpm_json_number(fp, r->grid_visibility);
	fputs(", \"visibility\": ", fp);
	vpm_json_number(fp, vpm_result_visibility(r));
	fprintf(fp, ", \"risk\": \"%s\", \"subject_sharp\": %s}", vpm_risk_name(r->risk),
		c->subject_sharp ? "true" : "false");
}

static void focus_json(FILE *fp, const vpm_focus_stop_t *plans, int n, int rec,
		       const vpm_focus_nearest_t *near, vpm_subject_t subj, const vpm_setup_t *s,
		       const char *panel, const char *camera, const char *lens)
{
	int i;

	fputs("{\n  \"subject_near_m\": ", fp);
	vpm_json_number(fp, subj.near_m);
	fputs(",\n  \"subject_far_m\": ", fp);
	vpm_json_number(fp, subj.far_m);
	fputs(",\n  \"wall_m\": ", fp);
	vpm_json_number(fp, s->wall_m);
	fputs(",\n  \"focal_mm\": ", fp);
	vpm_json_number(fp, s->focal_mm);
	fputs(",\n  \"panel\": ", fp);
	vpm_json_string(fp, panel);
	fputs(",\n  \"camera\": ", fp);
	vpm_json_string(fp, camera);
	fputs(",\n  \"lens\": ", fp);
	vpm_json_string(fp, lens);
	fputs(",\n  \"exposure_max_stop\": ", fp);
	vpm_json_number(fp, near->max_stop);
	fprintf(fp, ",\n  \"feasible\": %s,\n", rec >= 0 ? "true" : "false");
	if (rec >= 0) {
		json_choice(fp, "recommended", &plans[rec].best, "  ");
		fputs(",\n", fp);
		json_choice(fp, "naive", &plans[rec].naive, "  ");
	} else {
		/* no stop given holds the subject: the nearest feasible stop */
		fputs("  \"recommended\": null,\n  \"stop_needed\": ", fp);
		if (near->have_stop) {
			vpm_json_number(fp, near->need.stop);
			fputs(",\n", fp);
			json_choice(fp, "at_stop_needed", &near->need.best, "  ");
		} else {
			fputs("null,\n  \"narrowest_stop\": ", fp);
			vpm_json_number(fp, near->narrowest_stop);
			fputs(",\n  \"narrowest_stop_max_depth_m\": ", fp);
			vpm_json_number(fp, near->narrowest_depth_m);
		}
	}
	fputs(",\n  \"stops\": [", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s\n    {\"stop\": ", i ? "," : "");
		vpm_json_number(fp, plans[i].stop);
		fprintf(fp, ", \"feasible\": %s, \"added\": %s, ",
			plans[i].feasible ? "true" : "false", plans[i].added ? "true" : "false");
		if (plans[i].feasible) {
			json_choice(fp, "recommended", &plans[i].best, "");
			fputs(", ", fp);
		} else {
			fputs("\"reason\": ", fp);
			vpm_json_string(fp, plans[i].reason);
			fputs(", \"max_depth_m\": ", fp);
			vpm_json_number(fp, plans[i].max_depth_m);
			fputs(", ", fp);
		}
		json_choice(fp, "naive", &plans[i].naive, "");
		fputc('}', fp);
	}
	fputs("\n  ]\n}\n", fp);
}

/* The line that says the subject cannot be held, and what would hold it
 * (stdout, stderr and the page say the same). */
void vpm_focus_infeasible_text(const vpm_focus_stop_t *plans, int n,
			       const vpm_focus_nearest_t *near, vpm_subject_t subj,
			       vpm_units_system_t u, char *buf, size_t size)
{
	char a[48], b[48], c[48], d[48];
	const vpm_focus_stop_t *deepest = NULL;
	size_t k;
	int i;

	int dark = 0;

	for (i = 0; i < n; i++) {
		dark |= plans[i].dark;
		if (!isnan(plans[i].max_depth_m) &&
		    (deepest == NULL || plans[i].max_depth_m > deepest->max_depth_m))
			deepest = &plans[i];
	}
	k = (size_t)snprintf(buf, size,
			     "no stop given can hold the subject from %s to %s (%s deep) in the "
			     "depth of field%s",
			     vpm_report_length(subj.near_m, u, a, sizeof a),
			     vpm_report_length(subj.far_m, u, b, sizeof b),
			     vpm_report_length(subj.far_m - subj.near_m, u, c, sizeof c),
			     dark ? " with the light there is" : "");
	if (k >= size)
		return;
	if (near->have_stop)
		k += (size_t)snprintf(buf + k, size - k,
				      "; nearest feasible: T%g holds it (focus %s)",
				      near->need.stop,
				      vpm_report_length(near->need.best.focus_m, u, d, sizeof d));
	else if (near->narrowest_depth_m > 0.0)
		k += (size_t)
			snprintf(buf + k, size - k,
				 "; no stop %s holds it: even at T%.3g a subject at most %s deep",
				 near->light_limited ? "the light allows" : "of the lens",
				 near->narrowest_stop,
				 vpm_report_length(near->narrowest_depth_m, u, d, sizeof d));
	else
		k += (size_t)snprintf(buf + k, size - k, "; no stop %s holds it, not even T%.3g",
				      near->light_limited ? "the light allows" : "of the lens",
				      near->narrowest_stop);
	if (k >= size)
		return;
	if (deepest != NULL && deepest->max_depth_m > 0.0)
		snprintf(buf + k, size - k, "; or a shallower subject: at T%g at most %s deep",
			 deepest->stop, vpm_report_length(deepest->max_depth_m, u, a, sizeof a));
}

static void focus_text(FILE *fp, const vpm_focus_stop_t *plans, int n, int rec,
		       const vpm_focus_nearest_t *near, vpm_subject_t subj, const vpm_setup_t *s,
		       const char *rig, vpm_units_system_t u)
{
	char a[48], b[48], c[48];
	int i, added = 0;

	fprintf(fp, "Focus plan: subject %s to %s, wall %s; %s\n",
		vpm_report_length(subj.near_m, u, a, sizeof a),
		vpm_report_length(subj.far_m, u, b, sizeof b),
		vpm_report_length(s->wall_m, u, c, sizeof c), rig);
	fprintf(fp, "  %-6s %-10s %-21s %-12s %6s %6s  %-8s | %-10s %6s  %s\n", "stop", "focus",
		"depth of field", "wall blur", "moire", "grid", "verdict", "naive", "V", "verdict");
	for (i = 0; i < n; i++) {
		const vpm_focus_stop_t *q = &plans[i];
		const vpm_result_t *nr = &q->naive.result;
		char st[16];

		snprintf(st, sizeof st, "T%g%s", q->stop, q->added ? "+" : "");
		added |= q->added;
		if (!q->feasible) {
			fprintf(fp, "  %-6s %s\n", st, q->reason);
			continue;
		}
		{
			const vpm_result_t *r = &q->best.result;
			char dof[128], blur[32];
			snprintf(dof, sizeof dof, "%s-%s",
				 vpm_report_length(r->dof_near_m, u, a, sizeof a),
				 vpm_report_length(r->dof_far_m, u, b, sizeof b));
			snprintf(blur, sizeof blur, "%.1f pitches", r->wall_blur_pitches);
			fprintf(fp,
				"  %-6s %-10s %-21s %-12s %6.2f %6.2f  %-8s | %-10s %6.2f  %s%s\n",
				st, vpm_report_length(q->best.focus_m, u, c, sizeof c), dof, blur,
				r->moire_visibility, r->grid_visibility, vpm_risk_label(r->risk),
				vpm_report_length(q->naive.focus_m, u, a, sizeof a),
				vpm_result_visibility(nr), vpm_risk_label(nr->risk),
				q->naive.subject_sharp ? "" : " (subject not sharp)");
		}
	}
	if (added)
		fprintf(fp, "  + not asked for: the widest stop that holds the subject\n");
	fprintf(fp, "  exposure budget: %s\n", near->budget);
	if (rec < 0) {
		char msg[800];
		vpm_focus_infeasible_text(plans, n, near, subj, u, msg, sizeof msg);
		fprintf(fp, "NOT FEASIBLE  %s\n", msg);
		if (near->have_stop) {
			const vpm_focus_choice_t *c2 = &near->need.best;
			fprintf(fp,
				"  at T%g, focus %s: %s, visibility %.2f (moire %.2f, LED grid "
				"%.2f); depth of field %s to %s\n",
				near->need.stop, vpm_report_length(c2->focus_m, u, a, sizeof a),
				vpm_risk_label(c2->result.risk), vpm_result_visibility(&c2->result),
				c2->result.moire_visibility, c2->result.grid_visibility,
				vpm_report_length(c2->result.dof_near_m, u, b, sizeof b),
				vpm_report_length(c2->result.dof_far_m, u, c, sizeof c));
		}
		return;
	}
	{
		const vpm_focus_stop_t *p = &plans[rec];
		fprintf(fp,
			"RECOMMENDED  T%g, focus %s: %s, visibility %.2f (moire %.2f, LED grid "
			"%.2f)\n",
			p->stop, vpm_report_length(p->best.focus_m, u, a, sizeof a),
			vpm_risk_label(p->best.result.risk), vpm_result_visibility(&p->best.result),
			p->best.result.moire_visibility, p->best.result.grid_visibility);
		fprintf(fp,
			"  depth of field %s to %s holds the subject; wall blur %.3f mm = %.1f LED "
			"pitches\n",
			vpm_report_length(p->best.result.dof_near_m, u, a, sizeof a),
			vpm_report_length(p->best.result.dof_far_m, u, b, sizeof b),
			p->best.result.wall_blur_mm, p->best.result.wall_blur_pitches);
		fprintf(fp,
			"naive        T%g, focus %s (the subject's centre): %s, visibility %.2f%s\n",
			p->stop, vpm_report_length(p->naive.focus_m, u, a, sizeof a),
			vpm_risk_label(p->naive.result.risk),
			vpm_result_visibility(&p->naive.result),
			p->naive.subject_sharp
				? ""
				: "; the subject is not all inside the depth of field");
		{
			double vn = vpm_result_visibility(&p->naive.result),
			       vb = vpm_result_visibility(&p->best.result);
			double gain = vn > 0.0 ? 1.0 - vb / vn : 0.0;

			vpm_report_length(p->naive.focus_m - p->best.focus_m, u, a, sizeof a);
			if (!p->naive.subject_sharp && p->best.focus_m < p->naive.focus_m)
				fprintf(fp,
					"  focus %s closer than the centre holds the whole subject "
					"(visibility %.2f there, %.2f at the centre)\n",
					a, vb, vn);
			else if (p->best.focus_m < p->naive.focus_m && gain >= 0.005)
				fprintf(fp,
					"  focus %s closer than the centre lowers the visibility by "
					"%.0f%%\n",
					a, 100.0 * gain);
			else
				fprintf(fp, "  focusing closer than the centre does not lower the "
					    "visibility here\n");
		}
	}
}

vpm_status_t vpm_report_focus_json(FILE *fp, const vpm_focus_report_t *rep)
{
	if (fp == NULL || rep == NULL || rep->stops == NULL || rep->nearest == NULL ||
	    rep->setup == NULL || rep->n < 1)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	focus_json(fp, rep->stops, rep->n, rep->recommended, rep->nearest, rep->subject, rep->setup,
		   rep->panel, rep->camera, rep->lens);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

vpm_status_t vpm_report_focus_text(FILE *fp, const vpm_focus_report_t *rep)
{
	char rig[400];

	if (fp == NULL || rep == NULL || rep->stops == NULL || rep->nearest == NULL ||
	    rep->setup == NULL || rep->n < 1)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	snprintf(rig, sizeof rig, "%s%s%s%s%s%s%g mm", rep->panel ? rep->panel : "",
		 rep->panel ? ", " : "", rep->camera ? rep->camera : "", rep->camera ? ", " : "",
		 rep->lens ? rep->lens : "", rep->lens ? " " : "", rep->setup->focal_mm);
	focus_text(fp, rep->stops, rep->n, rep->recommended, rep->nearest, rep->subject, rep->setup,
		   rig, rep->units);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

/* ------------------------------------------------------------ shotlist */

vpm_status_t vpm_report_shot_line(FILE *fp, const vpm_shot_t *shot, const vpm_shot_eval_t *e)
{
	char ed[32];

	if (fp == NULL || shot == NULL || e == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	vpm_shot_edges_text(&e->coverage, 1, ed, sizeof ed);
	fprintf(fp, "%-8s %-8s V %6.2f  set extension %3.0f %%%s%s%s%s", shot->id,
		e->verdict.has_led ? vpm_risk_label(e->verdict.result.risk) : "NO LED",
		vpm_result_visibility(&e->verdict.result), 100.0 * e->coverage.extension_share,
		ed[0] ? " (" : "", ed, ed[0] ? ")" : "",
		e->subject_in_dof == 0	? "  subject outside DOF"
		: e->subject_sharp == 0 ? "  subject soft: focus nearer than the lens's close "
					  "focus"
					: "");
	if (e->move.active) {
		const vpm_shot_move_t *mv = &e->move;
		size_t g;

		/* a shot that moves, on its one line: the worst point and the
		 * verdicts along the move */
		fprintf(fp, "  move: worst at t %.2f; t", mv->worst.t);
		for (g = 0; g < mv->n_segments; g++)
			fprintf(fp, "%s %.2f-%.2f %s", g ? "," : "", mv->segments[g].t0,
				mv->segments[g].t1, vpm_risk_label(mv->segments[g].risk));
		if (!isnan(mv->subject2_soft_t0))
			fprintf(fp, "; second subject outside DOF t %.2f-%.2f",
				mv->subject2_soft_t0, mv->subject2_soft_t1);
	}
	fputc('\n', fp);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

/* ------------------------------------------------------------ simulate */

/* The measured values as a result, so that the report-field table reads
 * them as it reads the predictor's. */
static void measured_as_result(const vpm_fftsim_result_t *m, vpm_result_t *r)
{
	memset(r, 0, sizeof *r);
	r->moire_visibility = m->moire_visibility;
	r->moire_modulation = m->moire_modulation;
	r->moire_beat_cy_mm = m->moire_beat_cy_mm;
	r->moire_cy_deg = m->moire_cy_deg;
	r->moire_channel = m->moire_channel;
	r->grid_visibility = m->grid_visibility;
	r->grid_modulation = m->grid_modulation;
	r->grid_cy_mm = m->grid_cy_mm;
	r->grid_cy_deg = m->grid_cy_deg;
	r->grid_channel = m->grid_channel;
	r->risk = m->risk;
}

/* The SPEC §4 moiré and grid fields, measured or predicted: the report
 * table's fields from moire_visibility to risk (the quantities both
 * engines measure), with the moiré's period in photosites after its
 * channel and the grid's cy/deg and channel after its frequency. */
static void sim_fields(jw_t *w, const vpm_result_t *r, double a_mm)
{
	size_t i = 0;
	int on = 0;

	for (i = 0; i < VPM_REPORT_FIELDS; i++) {
		const char *name = vpm_report_field_name(i);
		double num;
		const char *text;

		on |= strcmp(name, "moire_visibility") == 0;
		if (!on)
			continue;
		if (vpm_report_field_value(i, r, &num, &text))
			jw_str(w, name, text);
		else
			jw_num(w, name, num);
		if (strcmp(name, "moire_channel") == 0) {
			int hm = r->moire_channel != VPM_CHANNEL_NONE;
			double mb = r->moire_beat_cy_mm;

			jw_num(w, "moire_period_photosites",
			       hm && mb > 0 ? 1.0 / (mb * a_mm) : NAN);
		} else if (strcmp(name, "grid_cy_mm") == 0) {
			int hg = r->grid_channel != VPM_CHANNEL_NONE;

			jw_num(w, "grid_cy_deg", hg ? r->grid_cy_deg : NAN);
			jw_str(w, "grid_channel", vpm_channel_name(r->grid_channel));
		}
	}
}

static void sim_components(FILE *fp, const vpm_component_t *c, size_t n)
{
	fputs(",\n    \"components\": [", fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "%s\n      {\"k\": %d, \"l\": %d, \"channel\": ", i ? "," : "", c[i].k,
			c[i].l);
		vpm_json_string(fp, vpm_channel_name(c[i].channel));
		fprintf(fp, ", \"aliased\": %s, \"cy_mm\": ", c[i].aliased ? "true" : "false");
		vpm_json_number(fp, c[i].nu_cy_mm);
		fputs(", \"cy_deg\": ", fp);
		vpm_json_number(fp, c[i].cy_deg);
		fputs(", \"modulation\": ", fp);
		vpm_json_number(fp, c[i].modulation);
		fputs(", \"visibility\": ", fp);
		vpm_json_number(fp, c[i].visibility);
		fputc('}', fp);
	}
	fprintf(fp, "%s]", n ? "\n    " : "");
}

static void simulate_json(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_options_t *o,
			  const vpm_fftsim_result_t *m, const vpm_result_t *pr,
			  const vpm_simulate_report_t *ri)
{
	double a = s->photosite_um * 1e-3;
	jw_t w = { NULL, "    ", 1 };
	vpm_result_t mr;

	w.fp = fp;

	fputs("{\n  \"measured\": {", fp);
	measured_as_result(m, &mr);
	sim_fields(&w, &mr, a);
	sim_components(fp, m->top, m->n_top);
	fputs("\n  },\n  \"predicted\": {", fp);
	w.first = 1;
	sim_fields(&w, pr, a);
	jw_num(&w, "tolerance", ri->tolerance);
	jw_str(&w, "assumes", "the wall parallel to the sensor at --wall");
	sim_components(fp, pr->top, pr->n_top);
	fputs("\n  },\n  \"simulation\": {", fp);
	w.first = 1;
	jw_num(&w, "patch_px", m->size.patch_px);
	jw_num(&w, "margin_px", m->size.margin_px);
	jw_num(&w, "supersample", m->size.supersample);
	jw_num(&w, "sample_um", m->size.sample_um);
	jw_num(&w, "grid_n", m->size.grid_n);
	jw_num(&w, "psf_n", m->size.psf_n);
	jw_num(&w, "psf_fine", m->size.psf_fine);
	jw_num(&w, "psfs_per_colour", m->size.n_psf);
	jw_num(&w, "recorded_px", m->size.recorded_px);
	jw_num(&w, "final_pitch_um", m->final_pitch_mm * 1e3);
	jw_num(&w, "bin_cy_mm", m->bin_cy_mm);
	jw_num(&w, "memory_bytes", (double)m->size.memory_bytes);
	jw_num(&w, "yaw_deg", o->yaw_deg);
	jw_num(&w, "pitch_angle_deg", o->pitch_deg);
	jw_num(&w, "roll_deg", s->roll_deg);
	jw_num(&w, "patch_x_px", o->patch_x_px);
	jw_num(&w, "patch_y_px", o->patch_y_px);
	jw_str(&w, "emitter_shape", vpm_fftsim_shape_name(o->shape));
	jw_str(&w, "rgb_layout", vpm_fftsim_layout_name(o->layout));
	jw_num(&w, "spherical_waves", o->spherical_waves);
	jw_str(&w, "demosaic", vpm_fftsim_demosaic_name(o->demosaic));
	jw_str(&w, "content", ri->content);
	jw_str(&w, "measured_on",
	       ri->content ? "the white wall (the content is in the pictures)" : "the white wall");

	jw_num(&w, "magnification", m->magnification);
	jw_num(&w, "led_pitch_px", m->led_pitch_px);
	jw_num(&w, "wall_m", m->wall_m);
	jw_num(&w, "wall_blur_mm", fabs(m->blur_mm));
	jw_num(&w, "defocus_waves", m->defocus_waves);
	jw_num(&w, "exposure", m->exposure);
	jw_num(&w, "stretched_zoom", ri->zoom);
	jw_num(&w, "clipped_fraction", m->clipped_fraction);
	jw_num(&w, "seconds", m->seconds);
	jw_num(&w, "fft_seconds", m->fft_seconds);
	jw_num(&w, "ffts", m->n_fft);
	fputs("\n  },\n  \"setup\": {", fp);
	w.first = 1;
	jw_setup_optics(&w, ri->panel, ri->camera, ri->lens, s);
	jw_num(&w, "recording_px", s->recording_px > 0 ? s->recording_px : NAN);
	jw_num(&w, "delivery_px", s->delivery_px > 0 ? s->delivery_px : NAN);
	fputs("\n  },\n  \"files\": {", fp);
	w.first = 1;
	jw_str(&w, "recorded", ri->files[0]);
	jw_str(&w, "stretched", ri->files[1]);
	jw_str(&w, "spectrum", ri->files[2]);
	jw_str(&w, "json", ri->files[3]);
	fputs("\n  }\n}\n", fp);
}

/* One row of the human summary; "none" where a kind has no component. */
static void summary_row(FILE *fp, const char *label, double mm, double mb, double pitch_mm,
			vpm_channel_t mc, double gm, double gc, vpm_channel_t gch)
{
	char beat[32], period[32], grid[32];

	if (mc != VPM_CHANNEL_NONE) {
		snprintf(beat, sizeof beat, "%.2f", mb);
		snprintf(period, sizeof period, "%.2f", 1.0 / (mb * pitch_mm));
	} else {
		snprintf(beat, sizeof beat, "-");
		snprintf(period, sizeof period, "-");
	}
	if (gch != VPM_CHANNEL_NONE)
		snprintf(grid, sizeof grid, "%.2f", gc);
	else
		snprintf(grid, sizeof grid, "-");
	fprintf(fp, "  %-10s %10.4f %10s %10s %8s   %10.4f %10s\n", label, mm, beat, period,
		mc == VPM_CHANNEL_NONE ? "none" : vpm_channel_name(mc), gm, grid);
}

static void simulate_text(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_result_t *m,
			  const vpm_result_t *pr, const vpm_simulate_report_t *ri)
{
	double a = s->photosite_um * 1e-3;

	fprintf(fp, "simulated %d x %d photosites (%dx supersampled, %d x %d grid) in %.1f s\n",
		m->size.patch_px, m->size.patch_px, m->size.supersample, m->size.grid_n,
		m->size.grid_n, m->seconds);
	fprintf(fp, "  %-10s %10s %10s %10s %8s   %10s %10s\n", "", "moire", "beat", "period",
		"channel", "grid", "grid");
	/* amplitude over the mean level: a Fourier amplitude ratio */
	fprintf(fp, "  %-10s %10s %10s %10s %8s   %10s %10s\n", "", "amp/mean", "cy/mm",
		"photosites", "", "amp/mean", "cy/mm");
	summary_row(fp, "measured", m->moire_modulation, m->moire_beat_cy_mm, a, m->moire_channel,
		    m->grid_modulation, m->grid_cy_mm, m->grid_channel);
	summary_row(fp, "predicted", pr->moire_modulation, pr->moire_beat_cy_mm, a,
		    pr->moire_channel, pr->grid_modulation, pr->grid_cy_mm, pr->grid_channel);
	fprintf(fp,
		"  visibility: measured moire %.2f, grid %.2f (%s); predicted moire %.2f, grid "
		"%.2f (%s)\n",
		m->moire_visibility, m->grid_visibility, vpm_risk_name(m->risk),
		pr->moire_visibility, pr->grid_visibility, vpm_risk_name(pr->risk));
	fprintf(fp, "  wrote %s, %s, %s, %s\n", ri->files[0], ri->files[1], ri->files[2],
		ri->files[3]);
}

vpm_status_t vpm_report_simulate_json(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_options_t *o,
				      const vpm_fftsim_result_t *m, const vpm_result_t *pr,
				      const vpm_simulate_report_t *info)
{
	if (fp == NULL || s == NULL || o == NULL || m == NULL || pr == NULL || info == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	simulate_json(fp, s, o, m, pr, info);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

vpm_status_t vpm_report_simulate_text(FILE *fp, const vpm_setup_t *s, const vpm_fftsim_result_t *m,
				      const vpm_result_t *pr, const vpm_simulate_report_t *info)
{
	if (fp == NULL || s == NULL || m == NULL || pr == NULL || info == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	simulate_text(fp, s, m, pr, info);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

/* ------------------------------------------------------------ catalog */

/* Display width of UTF-8 text (one column per code point). */
static int text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

#define MAXCOLS 12 /* the widest table: cameras and panels, 10 columns */

typedef struct {
	int ncols;
	const char *head[MAXCOLS];
	int right[MAXCOLS];
	char **cells; /* rows × ncols */
	size_t nrows, cap;
} table_t;

static int table_add(table_t *t, char *const *cells)
{
	int i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **nc = realloc(t->cells, cap * t->ncols * sizeof *nc);
		if (nc == NULL)
			return -1;
		t->cells = nc;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		t->cells[t->nrows * t->ncols + i] = strdup(cells[i]);
		if (t->cells[t->nrows * t->ncols + i] == NULL)
			return -1;
	}
	t->nrows++;
	return 0;
}

static void table_print(FILE *fp, const table_t *t)
{
	int w[MAXCOLS], i;
	size_t r;

	for (i = 0; i < t->ncols; i++)
		w[i] = text_width(t->head[i]);
	for (r = 0; r < t->nrows; r++)
		for (i = 0; i < t->ncols; i++) {
			int cw = text_width(t->cells[r * t->ncols + i]);
			if (cw > w[i])
				w[i] = cw;
		}
	for (r = 0; r <= t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			const char *s = r == 0 ? t->head[i] : t->cells[(r - 1) * t->ncols + i];
			int pad = w[i] - text_width(s);
			if (t->right[i])
				fprintf(fp, "%*s%s", pad, "", s);
			else if (i + 1 < t->ncols)
				fprintf(fp, "%s%*s", s, pad, "");
			else
				fprintf(fp, "%s", s);
			if (i + 1 < t->ncols)
				fputs("  ", fp);
		}
		fputc('\n', fp);
	}
}

static void table_free(table_t *t)
{
	size_t k;

	for (k = 0; k < t->nrows * (size_t)t->ncols; k++)
		free(t->cells[k]);
	free(t->cells);
}

static const char *or_dash(const char *s)
{
	return (s && s[0]) ? s : "-";
}

/* A positive number with `decimals` places (-1: shortest form), or "-". */
static void num(char *buf, size_t n, int decimals, double v)
{
	if (!(v > 0))
		snprintf(buf, n, "-");
	else if (decimals < 0)
		snprintf(buf, n, "%g", v);
	else
		snprintf(buf, n, "%.*f", decimals, v);
}

/* One row of `catalog list` for entry i of each kind, into c[0..]. */
typedef void (*list_row_fn)(const vpm_catalog_t *cat, size_t i, vpm_units_system_t units,
			    char c[MAXCOLS][96]);

static void camera_row(const vpm_catalog_t *cat, size_t i, vpm_units_system_t units,
		       char c[MAXCOLS][96])
{
	const vpm_camera_t *e = vpm_catalog_camera(cat, i);

	(void)units;
	snprintf(c[0], 96, "%s", e->name);
	snprintf(c[1], 96, "%s", or_dash(e->maker));
	snprintf(c[2], 96, "%s", or_dash(e->model));
	snprintf(c[3], 96, "%s", or_dash(e->mode));
	if (e->height_mm > 0)
		snprintf(c[4], 96, "%.2f x %.2f", e->width_mm, e->height_mm);
	else
		snprintf(c[4], 96, "%.2f wide", e->width_mm);
	if (e->height_px > 0)
		snprintf(c[5], 96, "%d x %d", e->width_px, e->height_px);
	else
		snprintf(c[5], 96, "%d across", e->width_px);
	snprintf(c[6], 96, "%.2f", e->photosite_um);
	snprintf(c[7], 96, "%s", e->cfa);
	num(c[8], 96, 2, e->olpf_um);
	num(c[9], 96, 3, e->coc_mm);
}

static void lens_row(const vpm_catalog_t *cat, size_t i, vpm_units_system_t units,
		     char c[MAXCOLS][96])
{
	const vpm_lens_t *e = vpm_catalog_lens(cat, i);

	snprintf(c[0], 96, "%s", e->name);
	snprintf(c[1], 96, "%s", or_dash(e->series));
	snprintf(c[2], 96, "%g", e->focal_mm);
	if (e->min_t > 0)
		snprintf(c[3], 96, "T%g-T%g", e->max_t, e->min_t);
	else
		snprintf(c[3], 96, "T%g", e->max_t);
	if (e->close_focus_m > 0)
		vpm_units_format_length(e->close_focus_m, units, units ? 0 : 2, c[4], 96);
	else
		snprintf(c[4], 96, "-");
	num(c[5], 96, 1, e->image_circle_mm);
	if (e->mtf_n > 0)
		snprintf(c[6], 96, "%d pts @T%g", e->mtf_n, e->mtf_stop);
	else
		snprintf(c[6], 96, "-");
}

static void panel_row(const vpm_catalog_t *cat, size_t i, vpm_units_system_t units,
		      char c[MAXCOLS][96])
{
	const vpm_panel_t *e = vpm_catalog_panel(cat, i);
	char pm[32], pt[32];

	(void)units;
	snprintf(c[0], 96, "%s", e->name);
	snprintf(c[1], 96, "%s", or_dash(e->maker));
	snprintf(c[2], 96, "%s", or_dash(e->model));
	snprintf(c[3], 96, "%.3f", e->pitch_mm);
	snprintf(c[4], 96, "%.2f", e->emitter_mm);
	snprintf(c[5], 96, "%s", or_dash(e->package));
	if (e->cabinet_w_mm > 0 && e->cabinet_h_mm > 0)
		snprintf(c[6], 96, "%g x %g", e->cabinet_w_mm, e->cabinet_h_mm);
	else
		snprintf(c[6], 96, "-");
	if (e->cabinet_px_w > 0 && e->cabinet_px_h > 0)
		snprintf(c[7], 96, "%d x %d", e->cabinet_px_w, e->cabinet_px_h);
	else
		snprintf(c[7], 96, "-");
	num(c[8], 96, -1, e->weight_kg);
	num(pm, sizeof pm, -1, e->power_max_w);
	num(pt, sizeof pt, -1, e->power_typ_w);
	snprintf(c[9], 96, "%s/%s", pm, pt);
}

/* The columns of each kind's list: heading and right-aligned (numbers). */
static const struct {
	int ncols;
	const char *head[MAXCOLS];
	int right[MAXCOLS];
	list_row_fn row;
} list_kinds[] = {
	[VPM_CATALOG_CAMERAS] = { 10,
				  { "NAME", "MAKER", "MODEL", "MODE", "SENSOR mm", "PHOTOSITES",
				    "PITCH um", "CFA", "OLPF um", "CoC mm" },
				  { 0, 0, 0, 0, 1, 1, 1, 0, 1, 1 },
				  camera_row },
	[VPM_CATALOG_LENSES] = { 7,
				 { "NAME", "SERIES", "FOCAL mm", "STOPS", "CLOSE FOCUS",
				   "IMAGE CIRCLE mm", "MTF" },
				 { 0, 0, 1, 0, 1, 1, 0 },
				 lens_row },
	[VPM_CATALOG_PANELS] = { 10,
				 { "NAME", "MAKER", "MODEL", "PITCH mm", "EMITTER mm", "PACKAGE",
				   "CABINET mm", "CABINET px", "kg", "W max/typ" },
				 { 0, 0, 0, 1, 1, 0, 1, 1, 1, 1 },
				 panel_row },
};

vpm_status_t vpm_report_catalog_list(FILE *fp, const vpm_catalog_t *cat, vpm_catalog_kind_t kind,
				     vpm_units_system_t units)
{
	table_t t;
	size_t i, n = vpm_catalog_count(cat, kind);
	char c[MAXCOLS][96];
	char *cells[MAXCOLS];
	int k, kd = kind == VPM_CATALOG_CAMERAS || kind == VPM_CATALOG_LENSES
			    ? (int)kind
			    : (int)VPM_CATALOG_PANELS;

	if (fp == NULL || cat == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	memset(&t, 0, sizeof t);
	for (k = 0; k < MAXCOLS; k++)
		cells[k] = c[k];
	t.ncols = list_kinds[kd].ncols;
	for (k = 0; k < t.ncols; k++) {
		t.head[k] = list_kinds[kd].head[k];
		t.right[k] = list_kinds[kd].right[k];
	}
	for (i = 0; i < n; i++) {
		list_kinds[kd].row(cat, i, units, c);
		if (table_add(&t, cells) != 0) {
			table_free(&t);
			return vpm_error(VPM_ENOMEM, "catalog: out of memory");
		}
	}
	table_print(fp, &t);
	table_free(&t);
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

static void show_str(FILE *fp, const char *key, const char *v)
{
	if (v && v[0])
		fprintf(fp, "  %-16s %s\n", key, v);
}

static void show_num(FILE *fp, const char *key, double v, const char *unit)
{
	if (v > 0)
		fprintf(fp, "  %-16s %g%s%s\n", key, v, unit[0] ? " " : "", unit);
}

vpm_status_t vpm_report_catalog_show(FILE *fp, const vpm_catalog_t *cat, const char *name,
				     vpm_units_system_t units)
{
	const vpm_camera_t *cam = NULL;
	const vpm_lens_t *lens = NULL;
	const vpm_panel_t *pan = NULL;
	char buf[64];
	int found = 0, i;

	if (fp == NULL || cat == NULL || name == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	/* The exact name key is tried in each kind; words only if that fails. */
	if (vpm_catalog_find_camera(cat, name, &cam) == VPM_OK && strcasecmp(cam->name, name) != 0)
		cam = NULL;
	if (vpm_catalog_find_lens(cat, name, &lens) == VPM_OK && strcasecmp(lens->name, name) != 0)
		lens = NULL;
	if (vpm_catalog_find_panel(cat, name, &pan) == VPM_OK && strcasecmp(pan->name, name) != 0)
		pan = NULL;
	if (!cam && !lens && !pan) {
		vpm_status_t s1 = vpm_catalog_find_camera(cat, name, &cam);
		vpm_status_t s2 = vpm_catalog_find_lens(cat, name, &lens);
		vpm_status_t s3 = vpm_catalog_find_panel(cat, name, &pan);
		if (s1 != VPM_OK)
			cam = NULL;
		if (s2 != VPM_OK)
			lens = NULL;
		if (s3 != VPM_OK)
			pan = NULL;
		if (!cam && !lens && !pan) {
			/* one line (SPEC §4) with each kind's hint: run the camera,
			 * lens and panel searches again to collect their messages */
			char hints[3][512] = { "", "", "" };
			if (s1 == VPM_ENOTFOUND || s1 == VPM_EINVAL) {
				vpm_catalog_find_camera(cat, name, &cam);
				snprintf(hints[0], sizeof hints[0], "; cameras: %s",
					 vpm_error_message());
			}
			if (s2 == VPM_ENOTFOUND || s2 == VPM_EINVAL) {
				vpm_catalog_find_lens(cat, name, &lens);
				snprintf(hints[1], sizeof hints[1], "; lenses: %s",
					 vpm_error_message());
			}
			if (s3 == VPM_ENOTFOUND || s3 == VPM_EINVAL) {
				vpm_catalog_find_panel(cat, name, &pan);
				snprintf(hints[2], sizeof hints[2], "; panels: %s",
					 vpm_error_message());
			}
			return vpm_error(VPM_ENOTFOUND, "no catalog entry '%s'%s%s%s", name,
					 hints[0], hints[1], hints[2]);
		}
	}
	if (cam) {
		fprintf(fp, "camera %s\n", cam->name);
		show_str(fp, "maker", cam->maker);
		show_str(fp, "model", cam->model);
		show_str(fp, "mode", cam->mode);
		show_num(fp, "width", cam->width_mm, "mm");
		show_num(fp, "height", cam->height_mm, "mm");
		fprintf(fp, "  %-16s %d x %d\n", "photosites", cam->width_px, cam->height_px);
		fprintf(fp, "  %-16s %.3f um\n", "photosite pitch", cam->photosite_um);
		show_str(fp, "cfa", cam->cfa);
		if (cam->olpf_um > 0)
			show_num(fp, "olpf split", cam->olpf_um, "um");
		else
			show_str(fp, "olpf split",
				 "none or unknown (predictor assumes none: worst case)");
		show_num(fp, "fill factor", cam->fill, "");
		show_num(fp, "default CoC", cam->coc_mm, "mm");
		if (cam->readout_ms > 0)
			show_num(fp, "readout", cam->readout_ms, "ms");
		else
			show_str(fp, "readout", "not published (vpmoire scan needs --readout)");
		show_str(fp, "source", cam->source);
		fprintf(fp, "  %-16s %s:%ld\n", "from", cam->file, cam->line);
		found++;
	}
	if (lens) {
		if (found++)
			fputc('\n', fp);
		fprintf(fp, "lens %s\n", lens->name);
		show_str(fp, "maker", lens->maker);
		show_str(fp, "series", lens->series);
		if (vpm_lens_is_zoom(lens))
			fprintf(fp, "  %-16s %g to %g mm (zoom)\n", "focal length", lens->focal_mm,
				lens->focal_max_mm);
		else
			show_num(fp, "focal length", lens->focal_mm, "mm");
		show_num(fp, "widest stop", lens->max_t, "(T)");
		if (lens->max_t_long > 0)
			fprintf(fp, "  %-16s T%g at %g mm, linear in focal length from T%g\n",
				"stop ramp", lens->max_t_long, lens->focal_max_mm, lens->max_t);
		if (lens->squeeze > 0 && lens->squeeze != 1.0)
			fprintf(fp, "  %-16s %gx%s%s\n", "anamorphic", lens->squeeze,
				lens->squeeze_position ? ", " : "",
				lens->squeeze_position ? lens->squeeze_position : "");
		show_num(fp, "smallest stop", lens->min_t, "(T)");
		if (lens->close_focus_m > 0)
			show_str(fp, "close focus",
				 vpm_units_format_length(lens->close_focus_m, units, 2, buf,
							 sizeof buf));
		show_num(fp, "image circle", lens->image_circle_mm, "mm");
		if (lens->mtf_n > 0) {
			fprintf(fp, "  %-16s at T%g:", "MTF", lens->mtf_stop);
			for (i = 0; i < lens->mtf_n; i++)
				fprintf(fp, " %g cy/mm %.2f%s", lens->mtf_cy_mm[i], lens->mtf[i],
					i + 1 < lens->mtf_n ? "," : "");
			fputc('\n', fp);
		}
		show_str(fp, "source", lens->source);
		fprintf(fp, "  %-16s %s:%ld\n", "from", lens->file, lens->line);
	}
	if (pan) {
		if (found++)
			fputc('\n', fp);
		fprintf(fp, "panel %s\n", pan->name);
		show_str(fp, "maker", pan->maker);
		show_str(fp, "model", pan->model);
		show_num(fp, "pitch", pan->pitch_mm, "mm");
		show_num(fp, "emitter", pan->emitter_mm, "mm");
		show_str(fp, "package", pan->package);
		if (pan->cabinet_w_mm > 0)
			fprintf(fp, "  %-16s %g x %g mm, %d x %d px\n", "cabinet",
				pan->cabinet_w_mm, pan->cabinet_h_mm, pan->cabinet_px_w,
				pan->cabinet_px_h);
		show_num(fp, "weight", pan->weight_kg, "kg");
		show_num(fp, "power max", pan->power_max_w, "W");
		show_num(fp, "power typical", pan->power_typ_w, "W");
		show_num(fp, "brightness", pan->brightness_nits, "cd/m2");
		show_num(fp, "refresh", pan->refresh_hz, "Hz");
		if (pan->scan_ratio > 0)
			fprintf(fp, "  %-16s 1/%d\n", "scan", pan->scan_ratio);
		if (pan->pwm_bits > 0)
			fprintf(fp, "  %-16s %d bits\n", "pwm", pan->pwm_bits);
		show_str(fp, "source", pan->source);
		fprintf(fp, "  %-16s %s:%ld\n", "from", pan->file, pan->line);
	}
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

/* ------------------------------------------------------------ validate */

typedef struct {
	char kind[VPM_OBS_TEXT];
	int n, lenient, strict;
} kind_row_t;

static vpm_status_t validate_report(FILE *fp, const vpm_observations_t *obs, const char *file,
				    int fit, vpm_predict_workspace_t *ws,
				    vpm_validate_summary_t *out)
{
	int lenient = 0, strict = 0, missed = 0, nk = 0;
	kind_row_t kinds[16];
	char model[400];
	vpm_status_t st;

	vpm_model_describe(&obs->obs[0].setup, model, sizeof model);
	fprintf(fp, "Field observations: %s (%zu cases)\n%s\n\n", file, obs->n, model);
	fprintf(fp, "%-22s %-8s %-6s %8s  %-8s %-8s %-8s\n", "case", "kind", "seen", "V", "verdict",
		"lenient", "strict");
	for (size_t i = 0; i < obs->n; i++) {
		const vpm_observation_t *o = &obs->obs[i];
		vpm_judgement_t j;
		int k;

		st = vpm_observation_judge(o, -1.0, ws, &j);
		if (st != VPM_OK) {
			return st;
		}
		fprintf(fp, "%-22s %-8s %-6s %8.2f  %-8s %-8s %-8s\n", o->id, o->kind,
			o->moire ? "moire" : "clean", j.visibility, vpm_risk_label(j.risk),
			j.lenient ? "agree" : "DISAGREE", j.strict ? "agree" : "-");
		lenient += j.lenient;
		strict += j.strict;
		missed += o->moire && j.risk == VPM_RISK_SAFE;
		for (k = 0; k < nk; k++)
			if (strcmp(kinds[k].kind, o->kind) == 0)
				break;
		if (k == nk && nk < 16) {
			memset(&kinds[nk], 0, sizeof kinds[nk]);
			snprintf(kinds[nk].kind, sizeof kinds[nk].kind, "%s", o->kind);
			nk++;
		}
		if (k < 16) {
			kinds[k].n++;
			kinds[k].lenient += j.lenient;
			kinds[k].strict += j.strict;
		}
	}
	fprintf(fp, "\n%-10s %6s %16s %16s\n", "source", "cases", "lenient", "strict");
	for (int k = 0; k < nk; k++)
		fprintf(fp, "%-10s %6d %9d (%3.0f%%) %9d (%3.0f%%)\n", kinds[k].kind, kinds[k].n,
			kinds[k].lenient, 100.0 * kinds[k].lenient / kinds[k].n, kinds[k].strict,
			100.0 * kinds[k].strict / kinds[k].n);
	fprintf(fp, "%-10s %6zu %9d (%3.0f%%) %9d (%3.0f%%)\n", "all", obs->n, lenient,
		100.0 * lenient / obs->n, strict, 100.0 * strict / obs->n);
	fprintf(fp, "observed moire judged SAFE: %d\n", missed);
	if (fit) {
		static const double grid[] = { 0.0,  0.05, 0.1,	 0.15, 0.2,  0.25, 0.3,
					       0.35, 0.4,  0.45, 0.5,  0.55, 0.6 };
		vpm_fit_t f;

		st = vpm_observations_fit_edge(obs, grid, sizeof grid / sizeof grid[0], ws, &f);
		if (st != VPM_OK) {
			return st;
		}
		fprintf(fp, "\nsoft pupil edge   lenient   strict   moire judged SAFE\n");
		for (size_t g = 0; g < f.n_grid; g++)
			fprintf(fp, "  %4.2f           %3d/%zu    %3d/%zu   %d\n", grid[g],
				f.grid_lenient[g], f.n, f.grid_strict[g], f.n, f.grid_missed[g]);
		fprintf(fp,
			"\nfit of the soft pupil edge (grid 0 to 0.6, step 0.05):\n"
			"  on all cases: edge %.2f, lenient %d/%zu, strict %d/%zu, moire judged "
			"SAFE %d\n"
			"  leave-one-out (each case judged with the edge fitted on the others): "
			"lenient %d/%zu (%.0f%%), strict %d/%zu, moire judged SAFE %d\n",
			f.best, f.lenient, f.n, f.strict, f.n, f.missed, f.loo_lenient, f.n,
			100.0 * f.loo_lenient / f.n, f.loo_strict, f.n, f.loo_missed);
	}
	out->n = obs->n;
	out->lenient = lenient;
	out->strict = strict;
	out->missed = missed;
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

vpm_status_t vpm_validate_passed(const vpm_validate_summary_t *sum, double min_agreement)
{
	if (sum == NULL)
		return vpm_error(VPM_EINVAL, "validate: NULL summary");
	if ((double)sum->lenient < min_agreement * (double)sum->n - 1e-9 || sum->missed > 0)
		return vpm_error(VPM_ERANGE,
				 "agreement below the threshold: lenient %d/%zu (need %.0f%%), "
				 "observed moire judged SAFE %d (need 0)",
				 sum->lenient, sum->n, 100.0 * min_agreement, sum->missed);
	return VPM_OK;
}

vpm_status_t vpm_report_validate(FILE *fp, const vpm_observations_t *obs, const char *file, int fit,
				 vpm_predict_workspace_t *ws, vpm_validate_summary_t *out)
{
	vpm_predict_workspace_t *own = NULL;
	vpm_status_t st;

	if (fp == NULL || obs == NULL || file == NULL || out == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
	if (obs->n == 0 || obs->obs == NULL)
		return vpm_error(VPM_EINVAL, "%s: no observations", file);
	if (ws == NULL && (ws = own = vpm_predict_workspace_alloc()) == NULL)
		return vpm_error(VPM_ENOMEM, "validate: out of memory");
	st = validate_report(fp, obs, file, fit, ws, out);
	vpm_predict_workspace_free(own);
	return st;
}
