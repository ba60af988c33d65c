/* vpmoire focus: where to put focus (and which stop) so the whole subject
 * stays sharp and the wall's moire and grid are least visible, compared
 * with focusing on the subject's centre.  The search is lib/plan.c
 * (vpm_plan_focus_ex); the page is plots/focuspage.c. */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"
#include "focuspage.h"
#include "vpm_plot.h"

#define MAX_STOPS 16
/* exit status when no stop given holds the subject (outputs still written) */
#define EXIT_INFEASIBLE 3

static const char focus_help_head[] =
	"Usage: vpmoire focus [OPTIONS]\n"
	"\n"
	"Where to put focus on a micro stage: given the subject's depth range, the wall\n"
	"distance, the lens and the stops, recommends the focus distance and stop that\n"
	"keep the whole subject inside the depth of field and make the wall's moire and\n"
	"LED grid least visible (usually: focus a little closer than the subject, so the\n"
	"subject sits at the back of the depth of field and the wall falls further out\n"
	"of focus), and compares it with the naive choice, focus on the subject's centre.\n"
	"\n"
	"Subject and wall (distances from the sensor plane):\n"
	"  --subject D           the subject's centre (with --subject-depth)\n"
	"  --subject-depth D     its depth front to back (default 0: a flat subject)\n"
	"  --subject-near D      or give its near edge ...\n"
	"  --subject-far D       ... and its far edge\n"
	"  --wall D              camera to wall (required)\n"
	"  --stop T              a stop to consider (repeat; default: the lens's widest,\n"
	"                        then T2.8, T4, T5.6 and T8 within its range, and the\n"
	"                        widest third stop that holds the subject, marked +)\n"
	"\n"
	"RECOMMENDED is, of the stops whose depth of field holds the whole subject\n"
	"(within the lens's stops and close focus), the one whose wall is least visible.\n"
	"When no stop given holds the subject, the table, the JSON and the figure are\n"
	"still written: they say so, with the deepest subject each stop can hold and the\n"
	"widest stop of the lens that holds it (or the deepest subject at its narrowest).\n"
	"\n";

static const char focus_help_tail[] =
	"\n"
	"Output:\n"
	"  --json                one JSON object: `feasible`, `recommended` and `naive`\n"
	"                        (focus_m, stop, dof_near_m, dof_far_m, wall_blur_mm,\n"
	"                        moire_visibility, grid_visibility, risk, ...) and every\n"
	"                        stop under `stops` (max_depth_m where it is too wide);\n"
	"                        infeasible: `recommended` null and `stop_needed`\n"
	"  -o, --output FILE     the side-view figure: focus.pdf, .png or .svg\n"
	"  --paper a4|letter     page size, landscape (default a4)\n"
	"  --dpi N               PNG resolution (default 150)\n"
	"  --title TEXT          the stage or rig name for the figure's title\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 with a recommendation; 3 when no stop given holds the subject\n"
	"(outputs written, the reason on stderr); 2 bad usage or input (nothing\n"
	"written); 1 runtime failure.\n"
	"\n"
	"Example (the reference micro stage: a subject 30 cm deep whose centre is 1 m\n"
	"from the camera and 5 ft from the wall):\n"
	"  vpmoire focus --panel aoto-rm1.5 --camera bmd-ursa-mini-pro-4.6k-g2 \\\n"
	"      --lens zeiss-cp3-28 --wall 2.524m --subject 1m --subject-depth 0.3m \\\n"
	"      --stop T2.8 --stop T4 --stop T5.6 -o focus.pdf\n";

enum {
	OPT_SUBJECT_DEPTH = OPT_SETUP_LAST + 1,
	OPT_SUBJECT_NEAR,
	OPT_SUBJECT_FAR,
	OPT_PAPER,
	OPT_DPI,
	OPT_TITLE
};

/* One stop's plan. */
typedef struct {
	double stop;
	int feasible;	    /* some focus keeps the whole subject sharp */
	char reason[256];   /* why not, in the user's units */
	double max_depth_m; /* not feasible: the deepest subject this stop holds
			       around the same centre (0: none; NAN: unknown) */
	int added;	    /* not asked for: the widest stop that holds the subject */
	int dark;	    /* past the exposure budget: not a candidate */
	vpm_focus_choice_t best, naive;
} stop_plan_t;

/* When no stop holds the subject: the nearest feasible options. */
typedef struct {
	int have_stop;			    /* a stop of the lens's range holds the subject */
	stop_plan_t need;		    /* ... its plan (when have_stop) */
	double widest_stop, narrowest_stop; /* the range searched */
	double max_stop;		    /* the exposure budget's narrowest stop */
	int light_limited;		    /* ... which is narrower than the lens's */
	char budget[300];		    /* ... described */
	double narrowest_depth_m;	    /* !have_stop: the deepest subject the
				     narrowest stop holds (0: none) */
	int shown;			    /* the stop given whose naive view is drawn */
} nearest_t;

static const char *fmt_len(double m, vpm_units_system_t u, char *buf, size_t n)
{
	if (isinf(m))
		snprintf(buf, n, "infinity");
	else
		vpm_units_format_length(m, u, u == VPM_UNITS_METRIC ? 3 : 1, buf, n);
	return buf;
}

/* "at T4 the depth of field holds at most 3.2 cm around 0.500 m" */
static void infeasible_reason(stop_plan_t *p, vpm_subject_t subj, vpm_units_system_t u)
{
	char a[48], b[48];
	double centre = 0.5 * (subj.near_m + subj.far_m);

	if (isnan(p->max_depth_m))
		snprintf(p->reason, sizeof p->reason,
			 "at T%g no focus holds the subject from %s to %s", p->stop,
			 fmt_len(subj.near_m, u, a, sizeof a), fmt_len(subj.far_m, u, b, sizeof b));
	else if (p->max_depth_m <= 0.0)
		snprintf(p->reason, sizeof p->reason,
			 "at T%g no focus the lens reaches holds a subject at %s", p->stop,
			 fmt_len(centre, u, a, sizeof a));
	else
		snprintf(p->reason, sizeof p->reason,
			 "depth of field too shallow: at T%g it holds a subject at most %s deep "
			 "around %s",
			 p->stop, fmt_len(p->max_depth_m, u, a, sizeof a),
			 fmt_len(centre, u, b, sizeof b));
}

/* ------------------------------------------------------------ JSON */

static void json_choice(FILE *fp, const char *key, const vpm_focus_choice_t *c, const char *indent)
{
	const vpm_result_t *r = &c->result;

	fprintf(fp, "%s\"%s\": {\"focus_m\": ", indent, key);
	cli_json_number(fp, c->focus_m);
	fputs(", \"stop\": ", fp);
	cli_json_number(fp, c->stop);
	fputs(", \"dof_near_m\": ", fp);
	cli_json_number(fp, r->dof_near_m);
	fputs(", \"dof_far_m\": ", fp);
	cli_json_number(fp, r->dof_far_m);
	fputs(", \"wall_blur_mm\": ", fp);
	cli_json_number(fp, r->wall_blur_mm);
	fputs(", \"wall_blur_pitches\": ", fp);
	cli_json_number(fp, r->wall_blur_pitches);
	fputs(", \"moire_visibility\": ", fp);
	cli_json_number(fp, r->moire_visibility);
	fputs(", \"grid_visibility\": ", fp);
	cli_json_number(fp, r->grid_visibility);
	fputs(", \"visibility\": ", fp);
	cli_json_number(fp, vpm_result_visibility(r));
	fprintf(fp, ", \"risk\": \"%s\", \"subject_sharp\": %s}", vpm_risk_name(r->risk),
		c->subject_sharp ? "true" : "false");
}

/* A stop that is not a candidate: only its centre focus, for the table
 * and the page. */
static vpm_status_t naive_only(stop_plan_t *p, const vpm_setup_t *ss, vpm_subject_t subj,
			       vpm_predict_workspace_t *ws)
{
	vpm_result_t r;
	vpm_status_t st = vpm_predict(ss, ws, &r);

	if (st != VPM_OK)
		return st;
	p->naive.stop = ss->stop;
	p->naive.focus_m = ss->focus_m;
	p->naive.result = r;
	p->naive.subject_sharp = vpm_plan_subject_in_dof(&r, subj);
	return VPM_OK;
}

static void print_json(const stop_plan_t *plans, int n, int rec, const nearest_t *near,
		       vpm_subject_t subj, const vpm_setup_t *s, const char *panel,
		       const char *camera, const char *lens)
{
	FILE *fp = stdout;
	int i;

	fputs("{\n  \"subject_near_m\": ", fp);
	cli_json_number(fp, subj.near_m);
	fputs(",\n  \"subject_far_m\": ", fp);
	cli_json_number(fp, subj.far_m);
	fputs(",\n  \"wall_m\": ", fp);
	cli_json_number(fp, s->wall_m);
	fputs(",\n  \"focal_mm\": ", fp);
	cli_json_number(fp, s->focal_mm);
	fputs(",\n  \"panel\": ", fp);
	cli_json_string(fp, panel);
	fputs(",\n  \"camera\": ", fp);
	cli_json_string(fp, camera);
	fputs(",\n  \"lens\": ", fp);
	cli_json_string(fp, lens);
	fputs(",\n  \"exposure_max_stop\": ", fp);
	cli_json_number(fp, near->max_stop);
	fprintf(fp, ",\n  \"feasible\": %s,\n", rec >= 0 ? "true" : "false");
	if (rec >= 0) {
		json_choice(fp, "recommended", &plans[rec].best, "  ");
		fputs(",\n", fp);
		json_choice(fp, "naive", &plans[rec].naive, "  ");
	} else {
		/* no stop given holds the subject: the nearest feasible stop */
		fputs("  \"recommended\": null,\n  \"stop_needed\": ", fp);
		if (near->have_stop) {
			cli_json_number(fp, near->need.stop);
			fputs(",\n", fp);
			json_choice(fp, "at_stop_needed", &near->need.best, "  ");
		} else {
			fputs("null,\n  \"narrowest_stop\": ", fp);
			cli_json_number(fp, near->narrowest_stop);
			fputs(",\n  \"narrowest_stop_max_depth_m\": ", fp);
			cli_json_number(fp, near->narrowest_depth_m);
		}
	}
	fputs(",\n  \"stops\": [", fp);
	for (i = 0; i < n; i++) {
		fprintf(fp, "%s\n    {\"stop\": ", i ? "," : "");
		cli_json_number(fp, plans[i].stop);
		fprintf(fp, ", \"feasible\": %s, \"added\": %s, ",
			plans[i].feasible ? "true" : "false", plans[i].added ? "true" : "false");
		if (plans[i].feasible) {
			json_choice(fp, "recommended", &plans[i].best, "");
			fputs(", ", fp);
		} else {
			fputs("\"reason\": ", fp);
			cli_json_string(fp, plans[i].reason);
			fputs(", \"max_depth_m\": ", fp);
			cli_json_number(fp, plans[i].max_depth_m);
			fputs(", ", fp);
		}
		json_choice(fp, "naive", &plans[i].naive, "");
		fputc('}', fp);
	}
	fputs("\n  ]\n}\n", fp);
}

/* ------------------------------------------------------------ terminal */

/* The line that says the subject cannot be held, and what would hold it
 * (stdout, stderr and the page say the same). */
static void infeasible_text(const stop_plan_t *plans, int n, const nearest_t *near,
			    vpm_subject_t subj, vpm_units_system_t u, char *buf, size_t size)
{
	char a[48], b[48], c[48], d[48];
	const stop_plan_t *deepest = NULL;
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
			     fmt_len(subj.near_m, u, a, sizeof a),
			     fmt_len(subj.far_m, u, b, sizeof b),
			     fmt_len(subj.far_m - subj.near_m, u, c, sizeof c),
			     dark ? " with the light there is" : "");
	if (k >= size)
		return;
	if (near->have_stop)
		k += (size_t)snprintf(buf + k, size - k,
				      "; nearest feasible: T%g holds it (focus %s)",
				      near->need.stop,
				      fmt_len(near->need.best.focus_m, u, d, sizeof d));
	else if (near->narrowest_depth_m > 0.0)
		k += (size_t)snprintf(buf + k, size - k,
				      "; no stop %s holds it: even at T%.3g a subject at most %s deep",
				      near->light_limited ? "the light allows" : "of the lens",
				      near->narrowest_stop,
				      fmt_len(near->narrowest_depth_m, u, d, sizeof d));
	else
		k += (size_t)snprintf(buf + k, size - k, "; no stop %s holds it, not even T%.3g",
				      near->light_limited ? "the light allows" : "of the lens",
				      near->narrowest_stop);
	if (k >= size)
		return;
	if (deepest != NULL && deepest->max_depth_m > 0.0)
		snprintf(buf + k, size - k, "; or a shallower subject: at T%g at most %s deep",
			 deepest->stop, fmt_len(deepest->max_depth_m, u, a, sizeof a));
}

static void print_human(const stop_plan_t *plans, int n, int rec, const nearest_t *near,
			vpm_subject_t subj, const vpm_setup_t *s, const char *rig,
			vpm_units_system_t u)
{
	char a[48], b[48], c[48];
	int i, added = 0;

	printf("Focus plan: subject %s to %s, wall %s; %s\n", fmt_len(subj.near_m, u, a, sizeof a),
	       fmt_len(subj.far_m, u, b, sizeof b), fmt_len(s->wall_m, u, c, sizeof c), rig);
	printf("  %-6s %-10s %-21s %-12s %6s %6s  %-8s | %-10s %6s  %s\n", "stop", "focus",
	       "depth of field", "wall blur", "moire", "grid", "verdict", "naive", "V", "verdict");
	for (i = 0; i < n; i++) {
		const stop_plan_t *q = &plans[i];
		const vpm_result_t *nr = &q->naive.result;
		char st[16];

		snprintf(st, sizeof st, "T%g%s", q->stop, q->added ? "+" : "");
		added |= q->added;
		if (!q->feasible) {
			printf("  %-6s %s\n", st, q->reason);
			continue;
		}
		{
			const vpm_result_t *r = &q->best.result;
			char dof[128], blur[32];
			snprintf(dof, sizeof dof, "%s-%s", fmt_len(r->dof_near_m, u, a, sizeof a),
				 fmt_len(r->dof_far_m, u, b, sizeof b));
			snprintf(blur, sizeof blur, "%.1f pitches", r->wall_blur_pitches);
			printf("  %-6s %-10s %-21s %-12s %6.2f %6.2f  %-8s | %-10s %6.2f  %s%s\n",
			       st, fmt_len(q->best.focus_m, u, c, sizeof c), dof, blur,
			       r->moire_visibility, r->grid_visibility, vpm_risk_label(r->risk),
			       fmt_len(q->naive.focus_m, u, a, sizeof a), vpm_result_visibility(nr),
			       vpm_risk_label(nr->risk),
			       q->naive.subject_sharp ? "" : " (subject not sharp)");
		}
	}
	if (added)
		printf("  + not asked for: the widest stop that holds the subject\n");
	printf("  exposure budget: %s\n", near->budget);
	if (rec < 0) {
		char msg[800];
		infeasible_text(plans, n, near, subj, u, msg, sizeof msg);
		printf("NOT FEASIBLE  %s\n", msg);
		if (near->have_stop) {
			const vpm_focus_choice_t *c2 = &near->need.best;
			printf("  at T%g, focus %s: %s, visibility %.2f (moire %.2f, LED grid "
			       "%.2f); depth of field %s to %s\n",
			       near->need.stop, fmt_len(c2->focus_m, u, a, sizeof a),
			       vpm_risk_label(c2->result.risk), vpm_result_visibility(&c2->result),
			       c2->result.moire_visibility, c2->result.grid_visibility,
			       fmt_len(c2->result.dof_near_m, u, b, sizeof b),
			       fmt_len(c2->result.dof_far_m, u, c, sizeof c));
		}
		return;
	}
	{
		const stop_plan_t *p = &plans[rec];
		printf("RECOMMENDED  T%g, focus %s: %s, visibility %.2f (moire %.2f, LED grid "
		       "%.2f)\n",
		       p->stop, fmt_len(p->best.focus_m, u, a, sizeof a),
		       vpm_risk_label(p->best.result.risk), vpm_result_visibility(&p->best.result),
		       p->best.result.moire_visibility, p->best.result.grid_visibility);
		printf("  depth of field %s to %s holds the subject; wall blur %.3f mm = %.1f LED "
		       "pitches\n",
		       fmt_len(p->best.result.dof_near_m, u, a, sizeof a),
		       fmt_len(p->best.result.dof_far_m, u, b, sizeof b),
		       p->best.result.wall_blur_mm, p->best.result.wall_blur_pitches);
		printf("naive        T%g, focus %s (the subject's centre): %s, visibility %.2f%s\n",
		       p->stop, fmt_len(p->naive.focus_m, u, a, sizeof a),
		       vpm_risk_label(p->naive.result.risk),
		       vpm_result_visibility(&p->naive.result),
		       p->naive.subject_sharp
			       ? ""
			       : "; the subject is not all inside the depth of field");
		{
			double vn = vpm_result_visibility(&p->naive.result),
			       vb = vpm_result_visibility(&p->best.result);
			double gain = vn > 0.0 ? 1.0 - vb / vn : 0.0;

			fmt_len(p->naive.focus_m - p->best.focus_m, u, a, sizeof a);
			if (!p->naive.subject_sharp && p->best.focus_m < p->naive.focus_m)
				printf("  focus %s closer than the centre holds the whole subject "
				       "(visibility %.2f there, %.2f at the centre)\n",
				       a, vb, vn);
			else if (p->best.focus_m < p->naive.focus_m && gain >= 0.005)
				printf("  focus %s closer than the centre lowers the visibility by "
				       "%.0f%%\n",
				       a, 100.0 * gain);
			else
				printf("  focusing closer than the centre does not lower the "
				       "visibility here\n");
		}
	}
}

/* ------------------------------------------------------------ main */

int cmd_focus(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_SETUP_LONGOPTS,
		CLI_GEOMETRY_LONGOPTS,
		CLI_EXPOSURE_LONGOPTS,
		{ "subject-depth", required_argument, NULL, OPT_SUBJECT_DEPTH },
		{ "subject-near", required_argument, NULL, OPT_SUBJECT_NEAR },
		{ "subject-far", required_argument, NULL, OPT_SUBJECT_FAR },
		{ "paper", required_argument, NULL, OPT_PAPER },
		{ "dpi", required_argument, NULL, OPT_DPI },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "output", required_argument, NULL, 'o' },
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
	vpm_subject_t subj;
	stop_plan_t plans[MAX_STOPS];
	double stops[MAX_STOPS], depth = 0.0, near_m = 0.0, far_m = 0.0, dpi = 150.0, close_m = 0.0;
	int nstops = 0, opt, rc = 0, json = 0, letter = 0, i, rec = -1, have_depth = 0;
	const char *output = NULL, *title = NULL;
	long n;
	vpm_status_t st;
	char rig[400], ua[48], ub[48];
	int defaulted = 0;
	nearest_t near;
	vpm_focus_plan_t cand[MAX_STOPS];

	cli_setup_init(&cs);
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ho:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(focus_help_head, stdout);
			fputs(cli_setup_help, stdout);
			fputs(cli_exposure_help, stdout);
			fputs(focus_help_tail, stdout);
			return EXIT_OK;
		case 'o': {
			vpm_doc_format_t fmt;
			if (vpm_doc_format_from_path(optarg, &fmt) != VPM_OK)
				return cli_usage("focus",
						 "--output: '%s': use a .pdf, .png or .svg file",
						 optarg);
			output = optarg;
			break;
		}
		case OPT_JSON: json = 1; break;
		case OPT_STOP:
			if (nstops == MAX_STOPS)
				return cli_usage("focus", "at most %d stops", MAX_STOPS);
			if (vpm_units_parse_stop(optarg, &stops[nstops]) != VPM_OK)
				return cli_usage("focus", "--stop: %s", vpm_error_message());
			nstops++;
			break;
		case OPT_SUBJECT_DEPTH:
			if (cli_parse_distance("subject-depth", optarg, VPM_UNITS_ALLOW_ZERO,
					       &depth) != 0)
				return EXIT_USAGE;
			have_depth = 1;
			break;
		case OPT_SUBJECT_NEAR:
			if (cli_parse_distance("subject-near", optarg, 0, &near_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_SUBJECT_FAR:
			if (cli_parse_distance("subject-far", optarg, 0, &far_m) != 0)
				return EXIT_USAGE;
			break;
		case OPT_PAPER:
			if (strcasecmp(optarg, "a4") == 0)
				letter = 0;
			else if (strcasecmp(optarg, "letter") == 0)
				letter = 1;
			else
				return cli_usage("focus",
						 "--paper: expected a4 or letter, found '%s'",
						 optarg);
			break;
		case OPT_DPI:
			if (vpm_units_parse_count(optarg, 1200, &n) != VPM_OK || n < 30)
				return cli_usage("focus", "--dpi: '%s': expected 30 to 1200",
						 optarg);
			dpi = (double)n;
			break;
		case OPT_TITLE: title = optarg; break;
		case OPT_FOCUS:
			return cli_usage("focus",
					 "--focus does not apply: the planner chooses the focus");
		default:
			if ((rc = cli_setup_getopt("focus", &cs, opt, argv)) != 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage("focus", "unexpected argument '%s'", argv[optind]);
	if (!cli_setup_given(&cs, OPT_WALL))
		return cli_usage("focus", "--wall is required (camera to wall, e.g. --wall 2.5m)");
	/* the subject: centre and depth, or near and far */
	if ((near_m > 0) != (far_m > 0))
		return cli_usage("focus", "give both --subject-near and --subject-far");
	if (near_m > 0 && (cs.subject_m > 0 || have_depth))
		return cli_usage("focus",
				 "give --subject (with --subject-depth) or --subject-near and "
				 "--subject-far, not both");
	if (near_m > 0) {
		if (!(far_m >= near_m))
			return cli_usage("focus",
					 "--subject-far (%s) must not be nearer than "
					 "--subject-near (%s)",
					 fmt_len(far_m, cs.units, ua, sizeof ua),
					 fmt_len(near_m, cs.units, ub, sizeof ub));
		subj.near_m = near_m;
		subj.far_m = far_m;
	} else if (cs.subject_m > 0) {
		if (!(depth < 2.0 * cs.subject_m))
			return cli_usage("focus", "--subject-depth: %s reaches behind the camera",
					 fmt_len(depth, cs.units, ua, sizeof ua));
		subj.near_m = cs.subject_m - 0.5 * depth;
		subj.far_m = cs.subject_m + 0.5 * depth;
	} else {
		return cli_usage("focus", "give the subject: --subject D [--subject-depth D] or "
					  "--subject-near D --subject-far D");
	}
	if (!(subj.far_m < cs.raw.wall_m))
		return cli_usage("focus", "the subject (to %s) must be in front of the wall (%s)",
				 fmt_len(subj.far_m, cs.units, ua, sizeof ua),
				 fmt_len(cs.raw.wall_m, cs.units, ub, sizeof ub));

	if ((rc = cli_load_catalogs(&cs.catalogs, &cat)) != 0)
		return rc;
	rc = cli_setup_build(&cs, cat, &s, &lens, &camera, &panel);
	if (rc != 0)
		goto out;
	s.wall_m = cs.raw.wall_m;
	close_m = lens ? lens->close_focus_m : 0.0;
	if (0.5 * (subj.near_m + subj.far_m) <=
	    vpm_geometry_closest_focus_m(s.focal_mm, close_m, 1.0)) {
		rc = cli_usage("focus",
			       "the subject's centre (%s) is closer than the lens can focus (%s)",
			       fmt_len(0.5 * (subj.near_m + subj.far_m), cs.units, ua, sizeof ua),
			       fmt_len(vpm_geometry_closest_focus_m(s.focal_mm, close_m, 1.0),
				       cs.units, ub, sizeof ub));
		goto out;
	}
	if (nstops == 0) {
		static const double full[] = { 2.8, 4.0, 5.6, 8.0 };
		size_t k;
		if (lens == NULL) {
			rc = cli_usage("focus",
				       "--stop is required with --focal (e.g. --stop T2.8)");
			goto out;
		}
		vpm_exposure_t ex;
		double budget = 0.0;

		if ((rc = cli_exposure_budget(&cs, panel, &ex, &budget)) != 0)
			goto out;
		stops[nstops++] = lens->max_t;
		for (k = 0; k < sizeof full / sizeof full[0]; k++)
			if (full[k] > lens->max_t * (1.0 + 1e-9) &&
			    (lens->min_t <= 0 || full[k] <= lens->min_t) &&
			    full[k] <= budget * (1.0 + 1e-9))
				stops[nstops++] = full[k];
		defaulted = 1;
	}
	for (i = 0; lens && i < nstops; i++)
		if (vpm_lens_check(lens, stops[i], INFINITY) != VPM_OK) {
			rc = cli_usage("focus", "%s", vpm_error_message());
			goto out;
		}
	/* the range a stop may come from: the lens's, or with --focal the
	 * stops given up to T22 */
	memset(&near, 0, sizeof near);
	{
		vpm_exposure_t ex;

		if ((rc = cli_exposure_budget(&cs, panel, &ex, &near.max_stop)) != 0)
			goto out;
		vpm_exposure_describe(&ex, near.budget, sizeof near.budget);
	}
	near.widest_stop = lens ? lens->max_t : stops[0];
	for (i = 0; !lens && i < nstops; i++)
		near.widest_stop = fmin(near.widest_stop, stops[i]);
	near.narrowest_stop = lens && lens->min_t > 0 ? lens->min_t : 22.0;
	/* the light allows no smaller stop than the budget's */
	if (near.max_stop < near.narrowest_stop) {
		near.narrowest_stop = fmax(near.max_stop, near.widest_stop);
		near.light_limited = 1;
	}
	/* the widest stop that holds the subject: with the default stops it is
	 * a candidate too (between T2.8 and T4, say, a third stop may hold a
	 * subject that T2.8 cannot, with less of the wall in focus than T4) */
	{
		double need = 0.0;
		vpm_setup_t ss = s;
		ss.stop = near.widest_stop;
		ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
		st = vpm_plan_focus_stop_needed(&ss, subj, close_m, near.widest_stop,
						near.narrowest_stop, &need);
		if (st == VPM_OK) {
			near.have_stop = 1;
			near.need.stop = need;
		} else if (st == VPM_EGEOMETRY) {
			ss.stop = near.narrowest_stop;
			st = vpm_plan_focus_max_depth(&ss, ss.focus_m, close_m,
						      &near.narrowest_depth_m);
			if (st == VPM_EGEOMETRY)
				near.narrowest_depth_m = 0.0;
		}
		if (st != VPM_OK && st != VPM_EGEOMETRY) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		if (near.have_stop && defaulted && nstops < MAX_STOPS) {
			int j, have = 0;
			for (j = 0; j < nstops; j++)
				have |= fabs(stops[j] - need) < 1e-9 * need;
			if (!have) {
				/* keep the list in order of the stop */
				for (j = nstops; j > 0 && stops[j - 1] > need; j--)
					stops[j] = stops[j - 1];
				stops[j] = need;
				nstops++;
				near.need.added = 1;
			}
		}
	}
	ws = vpm_predict_workspace_alloc();
	if (ws == NULL) {
		rc = cli_fail(EXIT_RUNTIME, "out of memory");
		goto out;
	}
	for (i = 0; i < nstops; i++) {
		vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
		vpm_setup_t ss = s;
		stop_plan_t *p = &plans[i];

		memset(p, 0, sizeof *p);
		ss.stop = stops[i];
		ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
		p->stop = stops[i];
		p->added = near.need.added && fabs(stops[i] - near.need.stop) < 1e-9 * stops[i];
		po.close_focus_m = close_m;
		if (stops[i] > near.max_stop * (1.0 + 1e-9)) {
			/* the light cannot expose it: shown, never recommended */
			snprintf(p->reason, sizeof p->reason,
				 "past what the light allows (T%.3g at most; see the exposure "
				 "budget)",
				 near.max_stop);
			p->max_depth_m = NAN;
			p->dark = 1;
			if ((st = naive_only(p, &ss, subj, ws)) != VPM_OK) {
				rc = cli_fail_status(st, NULL);
				goto out;
			}
			continue;
		}
		st = vpm_plan_focus_ex(&ss, subj, &po, ws, &p->best, &p->naive);
		if (st == VPM_EGEOMETRY) {
			/* the naive result is still worth showing, and how deep a
			 * subject this stop could hold */
			st = vpm_plan_focus_max_depth(&ss, ss.focus_m, close_m, &p->max_depth_m);
			if (st == VPM_EGEOMETRY)
				p->max_depth_m = 0.0;
			else if (st != VPM_OK) {
				rc = cli_fail_status(st, NULL);
				goto out;
			}
			infeasible_reason(p, subj, cs.units);
			if ((st = naive_only(p, &ss, subj, ws)) != VPM_OK) {
				rc = cli_fail_status(st, NULL);
				goto out;
			}
			continue;
		}
		if (st != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
		p->feasible = 1;
		p->max_depth_m = NAN;
	}
	/* the recommendation: the rule is the library's */
	for (i = 0; i < nstops; i++) {
		cand[i].stop = plans[i].stop;
		cand[i].feasible = plans[i].feasible;
		cand[i].best = plans[i].best;
		cand[i].naive = plans[i].naive;
	}
	{
		size_t idx = 0;
		/* within the lens and the light */
		st = vpm_plan_focus_pick(cand, (size_t)nstops, lens ? lens->max_t : 0.0,
					 near.narrowest_stop, close_m, &idx);
		if (st == VPM_OK)
			rec = (int)idx;
		else if (st != VPM_EGEOMETRY) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
	}
	if (rec < 0) {
		/* nothing given holds the subject: plan the stop that would, for
		 * the page, and draw the narrowest stop given beside it */
		near.shown = 0;
		for (i = 1; i < nstops; i++)
			if (plans[i].stop > plans[near.shown].stop)
				near.shown = i;
		if (near.have_stop) {
			vpm_plan_focus_options_t po = vpm_plan_focus_options_default();
			vpm_setup_t ss = s;
			double need = near.need.stop;
			memset(&near.need, 0, sizeof near.need);
			near.need.stop = need;
			ss.stop = need;
			ss.focus_m = 0.5 * (subj.near_m + subj.far_m);
			po.close_focus_m = close_m;
			st = vpm_plan_focus_ex(&ss, subj, &po, ws, &near.need.best,
					       &near.need.naive);
			if (st != VPM_OK) {
				rc = cli_fail_status(st, NULL);
				goto out;
			}
			near.need.feasible = 1;
			near.need.max_depth_m = NAN;
		}
	}
	snprintf(rig, sizeof rig, "%s%s%s%s%s%s%g mm", panel ? panel->name : "", panel ? ", " : "",
		 camera ? camera->name : "", camera ? ", " : "", lens ? lens->name : "",
		 lens ? " " : "", s.focal_mm);
	if (output) {
		vpm_focusplan_stop_t fs[MAX_STOPS + 1];
		vpm_focusplan_page_t fpg = { .stops = fs,
					     .n_stops = nstops,
					     .recommended = rec,
					     .shown = near.shown,
					     .subject = subj,
					     .setup = &s,
					     .panel = panel,
					     .camera = camera,
					     .lens = lens,
					     .close_focus_m = close_m,
					     .letter = letter,
					     .dpi = dpi,
					     .title = title,
					     .units = cs.units };
		char why[800];

		cli_install_signal_cleanup();
		for (i = 0; i < nstops + (near.have_stop ? 1 : 0); i++) {
			const stop_plan_t *q = i < nstops ? &plans[i] : &near.need;
			fs[i] = (vpm_focusplan_stop_t){ q->stop,  q->feasible, q->max_depth_m,
							q->added, q->dark,     q->best,
							q->naive };
		}
		if (rec < 0 && near.have_stop)
			fpg.need = &fs[nstops];
		if (rec < 0) {
			infeasible_text(plans, nstops, &near, subj, cs.units, why, sizeof why);
			fpg.why = why;
		}
		if ((st = vpm_focusplan_page_write(output, &fpg, ws)) != VPM_OK) {
			rc = cli_fail_status(st, NULL);
			goto out;
		}
	}
	if (json)
		print_json(plans, nstops, rec, &near, subj, &s, panel ? panel->name : NULL,
			   camera ? camera->name : NULL, lens ? lens->name : NULL);
	else
		print_human(plans, nstops, rec, &near, subj, &s, rig, cs.units);
	if (fflush(stdout) != 0 || ferror(stdout))
		rc = cli_fail(EXIT_RUNTIME, "cannot write the output");
	else if (rec < 0) {
		/* the page and the table are written; the request is not met */
		char msg[800];
		infeasible_text(plans, nstops, &near, subj, cs.units, msg, sizeof msg);
		rc = cli_fail(EXIT_INFEASIBLE, "%s", msg);
	}
out:
	vpm_predict_workspace_free(ws);
	vpm_catalog_free(cat);
	return rc;
}
