/* vpmoire check: one set-up, a verdict first, then the numbers behind it. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char check_help_head[] =
	"Usage: vpmoire check [OPTIONS]\n"
	"\n"
	"Will this LED wall show moire or its pixel grid in camera?  Evaluates one set-up\n"
	"with the analytic chain (lens defocus and diffraction, OLPF, photosites, Bayer\n"
	"sampling, delivery, and the viewer's contrast sensitivity) and prints the\n"
	"verdict (SAFE, CAUTION or RISKY), the numbers behind it, and what would fix it.\n"
	"\n"
	"Stop and distances (from the sensor plane, as on the lens's focus scale):\n"
	"  --stop T          stop, e.g. 2.8, T2.8 or f/2.8 (default: the lens's widest)\n"
	"  --wall D          camera to wall (required)\n"
	"  --focus D         focus distance, or 'inf' (default: the subject)\n"
	"  --subject D       camera to subject; checks it is inside the depth of field\n"
	"\n";

static const char check_help_tail[] =
	"\n"
	"  --json            print one JSON object (fields of the SPEC's check contract)\n"
	"  -h, --help        show this help\n"
	"\n"
	"Example (the reference micro stage: subject 5 ft in front of the wall, camera\n"
	"1 m from the subject, focus on the subject):\n"
	"  vpmoire check --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --stop T2.8 --wall 2.524m --subject 1m\n";

/* Indentation of the object being printed ("  " top level, "    " nested). */
static const char *json_indent = "  ";

static void json_field(FILE *fp, const char *key, double v, int *first)
{
	fprintf(fp, "%s\n%s\"%s\": ", *first ? "" : ",", json_indent, key);
	cli_json_number(fp, v);
	*first = 0;
}

static void json_str_field(FILE *fp, const char *key, const char *v, int *first)
{
	fprintf(fp, "%s\n%s\"%s\": ", *first ? "" : ",", json_indent, key);
	cli_json_string(fp, v);
	*first = 0;
}

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

static void print_json(const vpm_setup_t *s, const vpm_result_t *r, double subject_m,
		       const vpm_plan_t *plan, double max_stop, const char *panel,
		       const char *camera, const char *lens)
{
	FILE *fp = stdout;
	int first = 1;
	size_t i;

	fputc('{', fp);
	/* the contract, from the library's one table */
	for (i = 0; i < VPM_REPORT_FIELDS; i++) {
		double num;
		const char *text;

		if (vpm_report_field_value(i, r, &num, &text))
			json_str_field(fp, vpm_report_field_name(i), text, &first);
		else
			json_field(fp, vpm_report_field_name(i), num, &first);
	}
	/* beyond the contract: what a user needs to see why */
	json_field(fp, "grid_cy_deg", r->grid_channel == VPM_CHANNEL_NONE ? NAN : r->grid_cy_deg,
		   &first);
	json_str_field(fp, "grid_channel", vpm_channel_name(r->grid_channel), &first);
	json_field(fp, "led_pitch_px", r->led_pitch_px, &first);
	json_field(fp, "wall_blur_pitches", r->wall_blur_pitches, &first);
	json_field(fp, "defocus_waves", r->defocus_waves, &first);
	json_field(fp, "visibility", vpm_result_visibility(r), &first);
	/* the field model (SPEC §5): which chain, what drives, both band statistics */
	json_str_field(fp, "model", vpm_model_name(r->choice.model), &first);
	json_str_field(fp, "verdict_driver", r->driver_is_moire ? "moire" : "grid", &first);
	json_str_field(fp, "verdict_statistic",
		       r->choice.band == VPM_BAND_WORST ? "worst" : "expected", &first);
	json_field(fp, "moire_visibility_expected", r->moire_visibility_expected, &first);
	json_field(fp, "moire_visibility_worst", r->moire_visibility_worst, &first);
	json_field(fp, "grid_visibility_expected", r->grid_visibility_expected, &first);
	json_field(fp, "grid_visibility_worst", r->grid_visibility_worst, &first);
	json_str_field(fp, "viewing", vpm_viewing_name(r->choice.viewing), &first);
	json_field(fp, "view_heights", r->choice.view_heights, &first);
	json_field(fp, "luminance_cd_m2", r->choice.luminance_cd_m2, &first);
	json_str_field(fp, "chroma", vpm_chroma_name(r->choice.chroma), &first);
	json_str_field(fp, "resample", vpm_resample_name(r->choice.resample), &first);
	json_field(fp, "pupil_edge", r->choice.pupil_edge, &first);
	json_field(fp, "content_contrast", r->choice.content_contrast, &first);
	fprintf(fp, ",\n  \"setup\": {");
	first = 1;
	json_indent = "    ";
	json_str_field(fp, "panel", panel, &first);
	json_str_field(fp, "camera", camera, &first);
	json_str_field(fp, "lens", lens, &first);
	json_field(fp, "pitch_mm", s->pitch_mm, &first);
	json_field(fp, "emitter_mm", s->emitter_mm, &first);
	json_field(fp, "photosite_um", s->photosite_um, &first);
	json_field(fp, "width_px", s->width_px, &first);
	json_field(fp, "olpf_um", s->olpf_um, &first);
	json_field(fp, "fill", s->fill, &first);
	json_str_field(fp, "cfa", s->cfa == VPM_CFA_MONO ? "mono" : "bayer", &first);
	json_field(fp, "focal_mm", s->focal_mm, &first);
	json_field(fp, "stop", s->stop, &first);
	json_field(fp, "wall_m", s->wall_m, &first);
	json_field(fp, "focus_m", s->focus_m, &first);
	json_field(fp, "subject_m", subject_m > 0 ? subject_m : NAN, &first);
	json_field(fp, "recording_px", s->recording_px > 0 ? s->recording_px : NAN, &first);
	json_field(fp, "delivery_px", s->delivery_px > 0 ? s->delivery_px : NAN, &first);
	json_field(fp, "roll_deg", s->roll_deg, &first);
	json_field(fp, "tolerance", s->tolerance, &first);
	json_str_field(fp, "chroma_weight", vpm_chroma_name(r->choice.chroma), &first);
	json_field(fp, "aspect", r->choice.aspect, &first);
	json_field(fp, "view_heights", r->choice.view_heights, &first);
	json_field(fp, "luminance_cd_m2", r->choice.luminance_cd_m2, &first);
	json_str_field(fp, "model", vpm_model_name(s->model), &first);
	json_str_field(fp, "viewing", vpm_viewing_name(r->choice.viewing), &first);
	json_str_field(fp, "resample", vpm_resample_name(r->choice.resample), &first);
	json_str_field(fp, "band", vpm_band_name(r->choice.band), &first);
	json_field(fp, "pupil_edge", r->choice.pupil_edge, &first);
	json_field(fp, "content_contrast", r->choice.content_contrast, &first);
	json_field(fp, "grade_gain", s->grade_gain, &first);
	json_indent = "  ";
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
		cli_json_string(fp, vpm_channel_name(c->channel));
		fprintf(fp, ", \"aliased\": %s, \"cy_mm\": ", c->aliased ? "true" : "false");
		cli_json_number(fp, c->nu_cy_mm);
		fputs(", \"cy_deg\": ", fp);
		cli_json_number(fp, c->cy_deg);
		fputs(", \"modulation\": ", fp);
		cli_json_number(fp, c->modulation);
		fputs(", \"visibility\": ", fp);
		cli_json_number(fp, c->visibility);
		fputs(", \"visibility_worst\": ", fp);
		cli_json_number(fp, c->visibility_worst);
		fputs(", \"visibility_expected\": ", fp);
		cli_json_number(fp, c->visibility_expected);
		fputc('}', fp);
	}
	fprintf(fp, "%s],\n  \"f_number\": ", r->n_top ? "\n  " : "");
	cli_json_number(fp, r->f_number);
	fputs(",\n  \"exposure_max_stop\": ", fp);
	cli_json_number(fp, max_stop);
	fputs(",\n  \"advice_why\": ", fp);
	if (plan->n > 0 && !plan->safe)
		cli_json_string(fp, plan->why);
	else
		fputs("null", fp);
	fputs(",\n  \"advice\": [", fp);
	for (i = 0; i < plan->n; i++) {
		const vpm_advice_t *adv = plan->advice;

		fprintf(fp, "%s\n    {\"change\": \"%s\", \"stop\": ", i ? "," : "",
			advice_kind(adv[i].kind));
		cli_json_number(fp, adv[i].stop);
		fputs(", \"focus_m\": ", fp);
		cli_json_number(fp, adv[i].focus_m);
		fputs(", \"wall_m\": ", fp);
		cli_json_number(fp, adv[i].wall_m);
		fputs(", \"camera_move_m\": ", fp);
		cli_json_number(fp, adv[i].camera_move_m);
		fputs(", \"focal_mm\": ", fp);
		cli_json_number(fp, adv[i].focal_mm);
		fputs(", \"lens\": ", fp);
		if (adv[i].lens)
			cli_json_string(fp, adv[i].lens->name);
		else
			fputs("null", fp);
		fprintf(fp, ", \"delivery_px\": %d", adv[i].delivery_px);
		fputs(", \"visibility\": ", fp);
		cli_json_number(fp, adv[i].visibility);
		fprintf(fp, ", \"risk\": \"%s\"}", vpm_risk_name(adv[i].risk));
	}
	fprintf(fp, "%s]\n}\n", plan->n ? "\n  " : "");
}

static const char *fmt_len(double m, vpm_units_system_t u, char *buf)
{
	return vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? 3 : 1, buf, 48);
}

static void print_component(const char *label, double vis, double mod, double cy_mm, double cy_deg,
			    vpm_channel_t ch)
{
	if (ch == VPM_CHANNEL_NONE) {
		printf("  %-18s none\n", label);
		return;
	}
	/* the component's cosine amplitude over the mean level: a Fourier
	 * amplitude ratio, not a contrast (summed harmonics can exceed 1) */
	printf("  %-18s visibility %.2f: %s, %.1f cy/mm on the sensor (%.1f cy/deg on screen), "
	       "amplitude %.3g x mean level\n",
	       label, vis, vpm_channel_name(ch), cy_mm, cy_deg, mod);
}

static void print_human(const vpm_setup_t *s, const vpm_result_t *r, double subject_m,
			const vpm_plan_t *plan, const vpm_exposure_t *ex, double max_stop,
			const char *panel, const char *camera, const char *lens,
			vpm_units_system_t u)
{
	char b1[48], b2[48], b3[48], line[400];
	double v = vpm_result_visibility(r);
	size_t i;

	printf("%s  visibility %.2f (moire %.2f, LED grid %.2f; caution from %g, risky from %g)\n",
	       vpm_risk_label(r->risk), v, r->moire_visibility, r->grid_visibility, s->caution_at,
	       s->risky_at);
	{
		char model[400];

		vpm_model_describe(s, model, sizeof model);
		printf("  %-18s %s\n", "model", model);
		if (v > 0.0)
			printf("  %-18s %s drives the verdict (%s over the focus band); worst case "
			       "in the band %.2f (moire %.2f, LED grid %.2f)\n",
			       "verdict", r->driver_is_moire ? "the moire" : "the LED grid",
			       r->choice.band == VPM_BAND_WORST ? "worst case" : "expected value",
			       vpm_visibility_verdict(r->moire_visibility_worst,
						      r->grid_visibility_worst),
			       r->moire_visibility_worst, r->grid_visibility_worst);
	}
	printf("  %-18s %s%s%.4g mm pitch; %s%s%.2f um photosites x %d, %s, %s; %s%s%g mm at T%g\n",
	       "rig", panel ? panel : "", panel ? ", " : "", s->pitch_mm, camera ? camera : "",
	       camera ? ", " : "", s->photosite_um, s->width_px,
	       s->cfa == VPM_CFA_MONO ? "mono" : "Bayer", s->olpf_um > 0 ? "OLPF" : "no OLPF",
	       lens ? lens : "", lens ? ", " : "", s->focal_mm, s->stop);
	if (r->f_number != s->stop)
		printf("  %-18s f/%.3g at T%g (transmittance %.3f); the optics use the f-number\n",
		       "aperture", r->f_number, s->stop, (r->f_number / s->stop) * (r->f_number / s->stop));
	printf("  %-18s wall %s, focus %s\n", "distances", fmt_len(s->wall_m, u, b1),
	       isinf(s->focus_m) ? "infinity" : fmt_len(s->focus_m, u, b2));
	printf("  %-18s %.2f photosites per LED (%.1f cy/mm; Nyquist %.1f cy/mm)\n",
	       "LED image pitch", r->led_pitch_px, r->led_frequency_cy_mm, r->nyquist_cy_mm);
	printf("  %-18s %.3f mm on the sensor = %.1f LED pitches (%.1f waves of defocus)\n",
	       "wall blur", r->wall_blur_mm, r->wall_blur_pitches, r->defocus_waves);
	printf("  %-18s %s to %s (CoC %.3f mm; hyperfocal %s)\n", "depth of field",
	       fmt_len(r->dof_near_m, u, b1),
	       isinf(r->dof_far_m) ? "infinity" : fmt_len(r->dof_far_m, u, b2), r->coc_mm,
	       fmt_len(r->hyperfocal_m, u, b3));
	if (subject_m > 0) {
		vpm_subject_t subj = { subject_m, subject_m };
		printf("  %-18s %s, %s the depth of field\n", "subject", fmt_len(subject_m, u, b1),
		       vpm_plan_subject_in_dof(r, subj) ? "inside" : "OUTSIDE");
	}
	print_component("strongest moire", r->moire_visibility, r->moire_modulation,
			r->moire_beat_cy_mm, r->moire_cy_deg, r->moire_channel);
	print_component("strongest grid", r->grid_visibility, r->grid_modulation, r->grid_cy_mm,
			r->grid_cy_deg, r->grid_channel);
	if (r->n_top > 0) {
		printf("  components (strongest first):\n");
		printf("    %4s %4s  %-5s  %-8s %9s %9s %11s %10s\n", "k", "l", "chan", "kind",
		       "cy/mm", "cy/deg", "amp/mean", "visibility");
		for (i = 0; i < r->n_top; i++) {
			const vpm_component_t *c = &r->top[i];
			printf("    %4d %4d  %-5s  %-8s %9.2f %9.2f %11.3g %10.3f\n", c->k, c->l,
			       vpm_channel_name(c->channel), c->aliased ? "moire" : "grid",
			       c->nu_cy_mm, c->cy_deg, c->modulation, c->visibility);
		}
	}
	vpm_exposure_describe(ex, line, sizeof line);
	printf("  %-18s %s\n", "exposure budget", line);
	if (s->stop > max_stop * (1.0 + 1e-9))
		printf("  %-18s T%g is past what the light allows (T%.3g): the shot may be "
		       "underexposed\n",
		       "", s->stop, max_stop);
	if (r->risk == VPM_RISK_SAFE) {
		printf("  %-18s none needed\n", "what would help");
		return;
	}
	for (i = 0; i < plan->n; i++) {
		vpm_advice_describe(&plan->advice[i], s, u, line, sizeof line);
		printf("  %-18s %s\n", i == 0 ? "what would help" : "", line);
	}
	if (!plan->safe)
		printf("  %-18s nothing within reach makes it SAFE: %s; try a finer pitch, "
		       "busier or darker wall content, or a softer grade\n",
		       plan->n ? "" : "what would help", plan->why);
}

int cmd_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_SETUP_LONGOPTS,
		CLI_GEOMETRY_LONGOPTS,
		CLI_EXPOSURE_LONGOPTS,
		{ "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cli_setup_t cs;
	vpm_catalog_t *cat = NULL;
	vpm_predict_workspace_t *ws = NULL;
	const vpm_lens_t *lens = NULL;
	const vpm_camera_t *camera = NULL;
	const vpm_panel_t *panel = NULL;
	vpm_setup_t s;
	vpm_result_t r;
	vpm_plan_t plan;
	vpm_exposure_t ex;
	const vpm_lens_t *series[64];
	double max_stop = 0.0;
	vpm_status_t st;
	int opt, rc, json = 0;

	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(check_help_head, stdout);
			fputs(cli_setup_help, stdout);
			fputs(cli_exposure_help, stdout);
			fputs(check_help_tail, stdout);
			return EXIT_OK;
		case OPT_JSON: json = 1; break;
		default:
			if ((rc = cli_setup_getopt("check", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage("check", "unexpected argument '%s'", argv[optind]);
	if (!cli_setup_given(&cs, OPT_WALL))
		return cli_usage("check", "--wall is required (camera to wall, e.g. --wall 3.5m)");
	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	rc = cli_setup_build(&cs, cat, &s, &lens, &camera, &panel);
	if (rc == 0)
		rc = cli_setup_geometry("check", &cs, &s);
	if (rc == 0 && vpm_lens_check(lens, s.stop, s.focus_m) != VPM_OK)
		rc = cli_fail(EXIT_USAGE, "%s", vpm_error_message());
	if (rc == 0)
		rc = cli_exposure_budget(&cs, panel, &ex, &max_stop);
	if (rc != 0)
		goto out;
	ws = vpm_predict_workspace_alloc();
	if (ws == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	st = vpm_predict(&s, ws, &r);
	if (st != VPM_OK) {
		rc = cli_fail_status(st, NULL);
		goto out;
	}
	memset(&plan, 0, sizeof plan);
	if (r.risk != VPM_RISK_SAFE) {
		vpm_plan_limits_t L = vpm_plan_limits_default();

		L.lens = lens;
		L.subject.near_m = L.subject.far_m = cs.subject_m;
		L.max_stop = max_stop;
		L.try_delivery = 1;
		if (lens != NULL && lens->series != NULL && lens->series[0] != '\0') {
			size_t ns = 0;

			if (vpm_catalog_find_series(cat, lens->series, series, 64, &ns) == VPM_OK) {
				L.series = series;
				L.n_series = ns < 64 ? ns : 64;
			}
		}
		st = vpm_plan_advise_within(&s, &L, ws, &plan);
		if (st != VPM_OK) {
			rc = cli_fail_status(st, "advice");
			goto out;
		}
	}
	if (json)
		print_json(&s, &r, cs.subject_m, &plan, max_stop, panel ? panel->name : NULL,
			   camera ? camera->name : NULL, lens ? lens->name : NULL);
	else
		print_human(&s, &r, cs.subject_m, &plan, &ex, max_stop, panel ? panel->name : NULL,
			    camera ? camera->name : NULL, lens ? lens->name : NULL, cs.units);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else
		rc = EXIT_OK;
out:
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
	return rc;
}
