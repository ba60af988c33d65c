/* Viewer: viewing angle, cycles per degree, Barten's CSF (SPEC §2 steps
 * 8–9).  The S(u) values below were computed by hand from the SPEC formula
 * with bc(1) (scale=20, L = 100, X0 = 61.301336°), independently of the C
 * code:
 *   echo "scale=20; x0=61.301336; l=100; u=4;
 *     n=5200*e(-0.0016*u^2*e(0.08*l(1+100/l)));
 *     d=sqrt((1+144/x0^2+0.64*u^2)*(63/e(0.83*l(l))+1/(1-e(-0.02*u^2))));
 *     n/d" | bc -l
 */
#include <config.h>

#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "vpmoire/status.h"
#include "vpmoire/vision.h"

/* 16:9 at 1.5 picture heights: Θ = 2·atan((16/9)/3) = 61.3013°
 * (bc: 61.30133591410573174679). */
Test(vision, viewing_angle)
{
	cr_assert_float_eq(vpm_vision_angle_deg(16.0 / 9.0, 1.5), 61.301335914, 1e-8);
	/* 4:3 at 1 picture height: 2·atan(2/3) = 67.38° */
	cr_assert_float_eq(vpm_vision_angle_deg(4.0 / 3.0, 1.0), 67.380135052, 1e-8);
	/* 1:1 at 0.5 heights: 90° */
	cr_assert_float_eq(vpm_vision_angle_deg(1.0, 0.5), 90.0, 1e-12);
}

Test(vision, cycles_per_degree)
{
	/* 35.5 cy/mm over a 25.344 mm recorded width shown across 61.3° */
	cr_assert_float_eq(vpm_vision_cy_deg(35.521, 25.344, 61.301336), 14.6855563, 1e-6);
	cr_assert_float_eq(vpm_vision_cy_deg(-10.0, 20.0, 40.0), 5.0, 1e-15);
}

Test(vision, barten_hand_values)
{
	const double X0 = 61.301336;

	cr_assert_float_eq(vpm_vision_csf(1.0, 100.0, X0), 556.32899939839, 1e-8);
	cr_assert_float_eq(vpm_vision_csf(4.0, 100.0, X0), 671.96882675155, 1e-8);
	cr_assert_float_eq(vpm_vision_csf(16.0, 100.0, X0), 170.10268434372, 1e-8);
	/* prepared constants give the same numbers */
	{
		vpm_vision_csf_t c;

		vpm_vision_csf_init(&c, 100.0, X0);
		cr_assert_eq(vpm_vision_csf_eval(&c, 4.0), vpm_vision_csf(4.0, 100.0, X0));
	}
}

/* SPEC §2 step 9: peak S ≈ 729 near 2.5 cy/deg for L = 100 (a threshold
 * modulation of 0.14 %), with X0 = Θ. */
Test(vision, barten_peak)
{
	double th = vpm_vision_angle_deg(16.0 / 9.0, 1.5), u = 0.0;
	double peak = vpm_vision_csf_peak(100.0, th, &u);

	cr_assert_float_eq(peak, 729.0, 0.5, "peak %g", peak);
	cr_assert_float_eq(u, 2.5, 0.1, "at %g cy/deg", u);
	cr_assert_float_eq(1.0 / peak, 0.0014, 0.00005);
	/* it is a maximum */
	cr_assert_geq(peak, vpm_vision_csf(u * 1.01, 100.0, th));
	cr_assert_geq(peak, vpm_vision_csf(u * 0.99, 100.0, th));
	/* brighter displays are seen better */
	cr_assert_gt(vpm_vision_csf_peak(300.0, th, NULL), peak);
	cr_assert_lt(vpm_vision_csf_peak(10.0, th, NULL), peak);
}

Test(vision, barten_limits)
{
	cr_assert_eq(vpm_vision_csf(0.0, 100.0, 60.0), 0.0);
	cr_assert_gt(vpm_vision_csf(1e-6, 100.0, 60.0), 0.0);
	cr_assert_lt(vpm_vision_csf(1e-6, 100.0, 60.0), 1e-2);
	cr_assert_lt(vpm_vision_csf(60.0, 100.0, 60.0), 5.0);
	cr_assert_lt(vpm_vision_csf(150.0, 100.0, 60.0), 1e-3);
	cr_assert(isfinite(vpm_vision_csf(1e4, 100.0, 60.0)));
}

/* ---- Colour vision ----
 * The expected numbers below were computed independently in python3
 * (double precision) from the published matrices and formula, not from
 * the C code:
 *   M   = Rec. 709 → XYZ (IEC 61966-2-1), rows .4124 .3576 .1805 /
 *         .2126 .7152 .0722 / .0193 .1192 .9505
 *   O   = S-CIELAB xyz2opp, rows .2787336 .7218031 −.1065520 /
 *         −.4487736 .2898056 .0771569 / .0859513 −.5899859 .5011089
 *   W = M·(1,1,1); X = M·rgb; k = X[1]/W[1]; o = O·(X − k·W);
 *   rg = o[1]/(O·W)[0]; by = o[2]/(O·W)[0]
 *   csf(f) = a1·exp(−b1·f^c1) + a2·exp(−b2·f^c2) with Johnson & Fairchild's
 *   (2003) parameters (rg 109.14130 .00038 3.42436 93.59711 .00367 2.16771;
 *   by 7.032845 .000004 4.258205 40.690950 .103909 1.648658). */

Test(vision, opponent_luma_is_luminance_only)
{
	vpm_vision_opponent_t o = vpm_vision_opponent(0);

	/* a neutral ripple: luminance contrast 1, exactly no colour */
	cr_assert_eq(o.lum, 1.0, "lum %.17g", o.lum);
	cr_assert_eq(o.rg, 0.0, "rg %.17g", o.rg);
	cr_assert_eq(o.by, 0.0, "by %.17g", o.by);
}

Test(vision, opponent_red_blue)
{
	vpm_vision_opponent_t r = vpm_vision_opponent(1), b = vpm_vision_opponent(2);

	/* Rec. 709 luminance shares */
	cr_assert_float_eq(r.lum, 0.2126, 1e-15);
	cr_assert_float_eq(b.lum, 0.0722, 1e-15);
	/* python3, see above */
	cr_assert_float_eq(r.rg, -0.12720974800861967, 1e-13, "%.17g", r.rg);
	cr_assert_float_eq(r.by, -0.10137591034216496, 1e-13, "%.17g", r.by);
	cr_assert_float_eq(b.rg, 0.01959914338360878, 1e-13, "%.17g", b.rg);
	cr_assert_float_eq(b.by, 0.5128258233821447, 1e-13, "%.17g", b.by);
	/* a red ripple is mostly red–green, a blue one blue–yellow */
	cr_assert_gt(fabs(r.rg), fabs(r.by));
	cr_assert_gt(fabs(b.by), 20.0 * fabs(b.rg));
}

Test(vision, opponent_no_channel)
{
	const int bad[] = { -1, 3, 42, -2147483647 };

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		vpm_vision_opponent_t o = vpm_vision_opponent(bad[i]);

		cr_assert(o.lum == 0.0 && o.rg == 0.0 && o.by == 0.0, "channel %d", bad[i]);
	}
}

/* Published formula evaluated in python3 (see above). */
Test(vision, chroma_csf_values)
{
	const struct {
		double u, rg, by;
	} t[] = {
		{ 0.0, 202.73841, 47.723795 },
		{ 2.0, 200.76333346671748, 36.40917325134335 },
		{ 10.0, 94.31252012866815, 6.9391614727029305 },
		{ 20.0, 8.273728382578618, 1.756789592377238 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		double rg = vpm_vision_csf_rg(t[i].u), by = vpm_vision_csf_by(t[i].u);

		cr_assert_float_eq(rg, t[i].rg, 1e-11 * t[i].rg, "rg(%g) = %.17g", t[i].u, rg);
		cr_assert_float_eq(by, t[i].by, 1e-11 * t[i].by, "by(%g) = %.17g", t[i].u, by);
		/* even in u */
		cr_assert_eq(vpm_vision_csf_rg(-t[i].u), rg);
		cr_assert_eq(vpm_vision_csf_by(-t[i].u), by);
	}
	cr_assert_eq(vpm_vision_csf_rg(NAN), 0.0);
	cr_assert_eq(vpm_vision_csf_by(INFINITY), 0.0);
}

/* The bound of vpm_vision_colour_t relies on this. */
Test(vision, chroma_csf_non_increasing)
{
	double prev_rg = vpm_vision_csf_rg(0.0), prev_by = vpm_vision_csf_by(0.0);

	for (int i = 1; i <= 200000; i++) {
		double u = i * 0.0005; /* 0 … 100 cy/deg */
		double rg = vpm_vision_csf_rg(u), by = vpm_vision_csf_by(u);

		cr_assert_leq(rg, prev_rg, "rg rises at %g", u);
		cr_assert_leq(by, prev_by, "by rises at %g", u);
		cr_assert_geq(by, 0.0);
		prev_rg = rg;
		prev_by = by;
	}
	/* and on a log grid down to 1e-6 cy/deg */
	prev_rg = vpm_vision_csf_rg(0.0);
	prev_by = vpm_vision_csf_by(0.0);
	for (double u = 1e-6; u < 1e3; u *= 1.01) {
		cr_assert_leq(vpm_vision_csf_rg(u), prev_rg, "rg rises at %g", u);
		cr_assert_leq(vpm_vision_csf_by(u), prev_by, "by rises at %g", u);
		prev_rg = vpm_vision_csf_rg(u);
		prev_by = vpm_vision_csf_by(u);
	}
}

Test(vision, colour_luma_is_barten)
{
	const double L[] = { 48.0, 100.0, 213.7 }, X0[] = { 30.0, 61.301336, 11.83 };

	for (size_t i = 0; i < 3; i++) {
		vpm_vision_colour_t vc;

		vpm_vision_colour_init(&vc, 0, L[i], X0[i]);
		for (double u = 0.0; u < 120.0; u += 0.0371)
			cr_assert_eq(vpm_vision_colour_eval(&vc, u), vpm_vision_csf(u, L[i], X0[i]),
				     "u %g L %g", u, L[i]);
		/* the bound is Barten's peak */
		cr_assert_float_eq(vc.bound, vpm_vision_csf_peak(L[i], X0[i], NULL),
				   1e-8 * vc.bound);
	}
}

/* Red and blue against the Minkowski sum evaluated in python3 with an
 * independent Barten (the SPEC formula), L = 100, X0 = 61.301336. */
Test(vision, colour_red_blue_values)
{
	const struct {
		int channel;
		double u, s;
	} t[] = {
		{ 1, 0.5, 75.72676897535653 },	{ 1, 2.0, 154.79060318800168 },
		{ 1, 8.0, 93.69021329870544 },	{ 2, 0.5, 34.11877711651575 },
		{ 2, 2.0, 55.232887701673235 }, { 2, 8.0, 31.687749438024646 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		vpm_vision_colour_t vc;
		double s;

		vpm_vision_colour_init(&vc, t[i].channel, 100.0, 61.301336);
		s = vpm_vision_colour_eval(&vc, t[i].u);
		cr_assert_float_eq(s, t[i].s, 1e-9 * t[i].s, "channel %d u %g: %.17g", t[i].channel,
				   t[i].u, s);
	}
}

Test(vision, colour_bound_and_components)
{
	const double L[] = { 0.5, 48.0, 100.0, 1000.0 }, X0[] = { 8.3, 33.4, 61.3 };

	for (int ch = -1; ch <= 2; ch++)
		for (size_t i = 0; i < sizeof L / sizeof L[0]; i++)
			for (size_t j = 0; j < sizeof X0 / sizeof X0[0]; j++) {
				vpm_vision_colour_t vc;
				double top = 0.0;

				vpm_vision_colour_init(&vc, ch, L[i], X0[j]);
				for (double u = 1e-4; u < 300.0; u *= 1.003) {
					double s = vpm_vision_colour_eval(&vc, u);
					double sl = fabs(vc.w.lum) * vpm_vision_csf(u, L[i], X0[j]);

					cr_assert_leq(s, vc.bound, "ch %d L %g X0 %g u %g", ch,
						      L[i], X0[j], u);
					/* at least each mechanism alone */
					cr_assert_geq(s, sl * (1 - 1e-15));
					cr_assert_geq(s, fabs(vc.w.rg) * vpm_vision_csf_rg(u) *
								 (1 - 1e-15));
					cr_assert_geq(s, fabs(vc.w.by) * vpm_vision_csf_by(u) *
								 (1 - 1e-15));
					top = fmax(top, s);
				}
				/* and the bound is not loose by much */
				if (ch >= 0)
					cr_assert_geq(top, 0.7 * vc.bound, "ch %d L %g X0 %g", ch,
						      L[i], X0[j]);
				else
					cr_assert_eq(vc.bound, 0.0);
			}
}

Test(vision, colour_init_csf_matches_init)
{
	vpm_vision_csf_t csf;
	vpm_vision_colour_t a, b;
	double peak = vpm_vision_csf_peak(73.5, 42.7, NULL);

	vpm_vision_csf_init(&csf, 73.5, 42.7);
	vpm_vision_colour_init(&a, 1, 73.5, 42.7);
	vpm_vision_colour_init_csf(&b, 1, &csf, peak);
	cr_assert_eq(a.bound, b.bound);
	for (double u = 0.01; u < 50.0; u *= 1.37)
		cr_assert_eq(vpm_vision_colour_eval(&a, u), vpm_vision_colour_eval(&b, u));
	/* at u = 0 Barten is 0 but the chromatic CSFs are not */
	cr_assert_float_eq(vpm_vision_colour_eval(&a, 0.0),
			   hypot(a.w.rg * vpm_vision_csf_rg(0.0), a.w.by * vpm_vision_csf_by(0.0)),
			   1e-12);
	cr_assert_eq(vpm_vision_colour_eval(&a, NAN), 0.0);
}

/* ---- Viewing profiles ---- */

Test(vision, viewing_parse)
{
	const struct {
		const char *text;
		vpm_viewing_t v;
	} ok[] = {
		{ "cinema", VPM_VIEWING_CINEMA },   { "CINEMA", VPM_VIEWING_CINEMA },
		{ "uhd-tv", VPM_VIEWING_UHD_TV },   { "UHD-TV", VPM_VIEWING_UHD_TV },
		{ "hd-tv", VPM_VIEWING_HD_TV },	    { "Hd-Tv", VPM_VIEWING_HD_TV },
		{ "grading", VPM_VIEWING_GRADING }, { "Grading", VPM_VIEWING_GRADING },
		{ "phone", VPM_VIEWING_PHONE },	    { "pHONE", VPM_VIEWING_PHONE },
		{ "auto", VPM_VIEWING_AUTO },	    { "AUTO", VPM_VIEWING_AUTO },
		{ "custom", VPM_VIEWING_CUSTOM },
	};
	const char *bad[] = { "", "uhd", "hdtv", "cinema ", "tv", "4k" };
	vpm_viewing_t v;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = VPM_VIEWING_CUSTOM + 100;
		cr_assert_eq(vpm_viewing_parse(ok[i].text, &v), VPM_OK, "%s", ok[i].text);
		cr_assert_eq(v, ok[i].v, "%s", ok[i].text);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		v = VPM_VIEWING_PHONE;
		cr_assert_eq(vpm_viewing_parse(bad[i], &v), VPM_EINVAL, "'%s'", bad[i]);
		cr_assert_eq(v, VPM_VIEWING_PHONE, "untouched on error");
		cr_assert(strstr(vpm_error_message(), "uhd-tv") != NULL, "%s", vpm_error_message());
		cr_assert(strstr(vpm_error_message(), "grading") != NULL);
	}
	cr_assert_eq(vpm_viewing_parse(NULL, &v), VPM_EINVAL);
	cr_assert_eq(vpm_viewing_parse("cinema", NULL), VPM_EINVAL);
}

Test(vision, viewing_names_and_profiles)
{
	const vpm_viewing_t all[] = { VPM_VIEWING_CINEMA, VPM_VIEWING_UHD_TV, VPM_VIEWING_HD_TV,
				      VPM_VIEWING_GRADING, VPM_VIEWING_PHONE };
	const char *names[] = { "cinema", "uhd-tv", "hd-tv", "grading", "phone" };

	cr_assert_str_eq(vpm_viewing_name(VPM_VIEWING_AUTO), "auto");
	cr_assert_str_eq(vpm_viewing_name(VPM_VIEWING_CUSTOM), "custom");
	cr_assert_null(vpm_viewing_name((vpm_viewing_t)77));
	cr_assert_null(vpm_viewing_profile(VPM_VIEWING_AUTO));
	cr_assert_null(vpm_viewing_profile(VPM_VIEWING_CUSTOM));
	cr_assert_null(vpm_viewing_profile((vpm_viewing_t)77));
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
		const vpm_viewing_profile_t *p = vpm_viewing_profile(all[i]);
		vpm_viewing_t back;

		cr_assert_not_null(p);
		cr_assert_eq(p->id, all[i]);
		cr_assert_str_eq(p->name, names[i]);
		cr_assert_str_eq(vpm_viewing_name(all[i]), names[i]);
		cr_assert_eq(vpm_viewing_parse(p->name, &back), VPM_OK);
		cr_assert_eq(back, all[i]);
		cr_assert(p->view_heights > 0.0 && p->luminance_cd_m2 > 0.0 && p->aspect > 1.0);
		cr_assert(p->source && strlen(p->source) > 20);
		cr_assert(p->summary && strlen(p->summary) > 10);
	}
}

/* Each profile carries its standard's number. */
Test(vision, viewing_profile_values)
{
	const vpm_viewing_profile_t *c = vpm_viewing_profile(VPM_VIEWING_CINEMA);
	const vpm_viewing_profile_t *u = vpm_viewing_profile(VPM_VIEWING_UHD_TV);
	const vpm_viewing_profile_t *h = vpm_viewing_profile(VPM_VIEWING_HD_TV);
	const vpm_viewing_profile_t *g = vpm_viewing_profile(VPM_VIEWING_GRADING);
	const vpm_viewing_profile_t *p = vpm_viewing_profile(VPM_VIEWING_PHONE);
	/* 6.1-inch 16:9 diagonal → height in cm */
	double phone_h_cm = 6.1 * 2.54 * 9.0 / sqrt(16.0 * 16.0 + 9.0 * 9.0);

	/* SMPTE EG 18: 30° horizontal on a 1.85:1 screen (python3:
	 * 1.85/(2·tan(15°)) = 3.4521469970012117), 48 cd/m² (ST 431-1) */
	cr_assert_float_eq(c->aspect, 1.85, 1e-15);
	cr_assert_float_eq(vpm_vision_angle_deg(c->aspect, c->view_heights), 30.0, 1e-12);
	cr_assert_float_eq(c->view_heights, 3.4521469970012117, 1e-14);
	cr_assert_eq(c->luminance_cd_m2, 48.0);
	/* BT.2246 / BT.1845: UHD 1.5 H; BT.1127 (BT.801): HD 3 H; BT.2035: 100 cd/m² */
	cr_assert_eq(u->view_heights, 1.5);
	cr_assert_eq(u->luminance_cd_m2, 100.0);
	cr_assert_float_eq(u->aspect, 16.0 / 9.0, 1e-15);
	cr_assert_eq(h->view_heights, 3.0);
	cr_assert_eq(h->luminance_cd_m2, 100.0);
	/* SMPTE ST 196 §9 review room 3 H; BT.2035 100 cd/m² */
	cr_assert_eq(g->view_heights, 3.0);
	cr_assert_eq(g->luminance_cd_m2, 100.0);
	/* Bababekova et al. 2011: 32.2 cm; 6.1-inch 16:9 screen 7.5961 cm tall */
	cr_assert_float_eq(phone_h_cm, 7.5961076468668685, 1e-12);
	cr_assert_float_eq(p->view_heights, 32.2 / phone_h_cm, 1e-12);
	cr_assert_eq(p->luminance_cd_m2, 200.0);
	/* the SPEC default (1.5 H at 16:9) is the UHD TV profile */
	cr_assert_float_eq(vpm_vision_angle_deg(u->aspect, u->view_heights), 61.301335914, 1e-8);
}

Test(vision, viewing_for_delivery)
{
	cr_assert_eq(vpm_viewing_for_delivery(3840), VPM_VIEWING_UHD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(4096), VPM_VIEWING_UHD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(7680), VPM_VIEWING_UHD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(3839), VPM_VIEWING_HD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(1920), VPM_VIEWING_HD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(1280), VPM_VIEWING_HD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(1), VPM_VIEWING_HD_TV);
	/* no delivery: the picture seen at camera resolution */
	cr_assert_eq(vpm_viewing_for_delivery(0), VPM_VIEWING_UHD_TV);
	cr_assert_eq(vpm_viewing_for_delivery(-5), VPM_VIEWING_UHD_TV);
}
