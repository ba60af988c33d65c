/* Reports: the text and JSON of the commands (see vpmoire/report.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "vpmoire/report.h"

/* ------------------------------------------------------------ JSON */

void vpm_json_number(FILE *fp, double v)
{
	if (!isfinite(v))
		fputs("null", fp);
	else if (v == 0.0)
		fputs("0", fp);
	else
		fprintf(fp, "%.10g", v);
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

vpm_status_t vpm_report_check_json(FILE *fp, const vpm_setup_t *s, const vpm_result_t *r,
				   const vpm_plan_t *plan, const vpm_check_report_t *info)
{
	jw_t w = { NULL, "  ", 1 };
	double subject_m, max_stop;
	size_t i;

	if (fp == NULL || s == NULL || r == NULL || plan == NULL || info == NULL)
		return vpm_error(VPM_EINVAL, "report: NULL argument");
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
	fprintf(fp, ",\n  \"setup\": {");
	w.first = 1;
	w.indent = "    ";
	jw_str(&w, "panel", info->panel);
	jw_str(&w, "camera", info->camera);
	jw_str(&w, "lens", info->lens);
	jw_num(&w, "pitch_mm", s->pitch_mm);
	jw_num(&w, "emitter_mm", s->emitter_mm);
	jw_num(&w, "photosite_um", s->photosite_um);
	jw_num(&w, "width_px", s->width_px);
	jw_num(&w, "olpf_um", s->olpf_um);
	jw_num(&w, "fill", s->fill);
	jw_str(&w, "cfa", s->cfa == VPM_CFA_MONO ? "mono" : "bayer");
	jw_num(&w, "focal_mm", s->focal_mm);
	jw_num(&w, "stop", s->stop);
	jw_num(&w, "wall_m", s->wall_m);
	jw_num(&w, "focus_m", s->focus_m);
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
	fprintf(fp, "%s]\n}\n", plan->n ? "\n  " : "");
	return ferror(fp) ? vpm_error(VPM_EIO, "report: cannot write") : VPM_OK;
}

static const char *fmt_len(double m, vpm_units_system_t u, char *buf)
{
	return vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? 3 : 1, buf, 48);
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
	fprintf(fp, "  %-18s wall %s, focus %s\n", "distances", fmt_len(s->wall_m, u, b1),
		isinf(s->focus_m) ? "infinity" : fmt_len(s->focus_m, u, b2));
	fprintf(fp, "  %-18s %.2f photosites per LED (%.1f cy/mm; Nyquist %.1f cy/mm)\n",
		"LED image pitch", r->led_pitch_px, r->led_frequency_cy_mm, r->nyquist_cy_mm);
	fprintf(fp, "  %-18s %.3f mm on the sensor = %.1f LED pitches (%.1f waves of defocus)\n",
		"wall blur", r->wall_blur_mm, r->wall_blur_pitches, r->defocus_waves);
	fprintf(fp, "  %-18s %s to %s (CoC %.3f mm; hyperfocal %s)\n", "depth of field",
		fmt_len(r->dof_near_m, u, b1),
		isinf(r->dof_far_m) ? "infinity" : fmt_len(r->dof_far_m, u, b2), r->coc_mm,
		fmt_len(r->hyperfocal_m, u, b3));
	if (subject_m > 0) {
		vpm_subject_t subj = { subject_m, subject_m };
		fprintf(fp, "  %-18s %s, %s the depth of field\n", "subject",
			fmt_len(subject_m, u, b1),
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
