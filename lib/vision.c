/* The viewer: viewing angle, cycles per degree, Barten's CSF; colour
 * vision (luminance and opponent-colour mechanisms); viewing profiles. */
#include <config.h>

#include <math.h>
#include <stddef.h>
#include <strings.h>

#include "error.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double vpm_vision_angle_deg(double aspect, double view_heights)
{
	return 2.0 * atan(aspect / (2.0 * view_heights)) * (180.0 / M_PI);
}

double vpm_vision_cy_deg(double nu_cy_mm, double width_mm, double angle_deg)
{
	return fabs(nu_cy_mm) * width_mm / angle_deg;
}

void vpm_vision_csf_init(vpm_vision_csf_t *csf, double luminance_cd_m2, double field_deg)
{
	double L = luminance_cd_m2, X0 = field_deg;

	csf->k_exp = 0.0016 * pow(1.0 + 100.0 / L, 0.08);
	csf->k_field = 1.0 + 144.0 / (X0 * X0);
	csf->k_lum = 63.0 / pow(L, 0.83);
}

double vpm_vision_csf_eval(const vpm_vision_csf_t *csf, double u_cy_deg)
{
	double u2 = u_cy_deg * u_cy_deg, lowpass;

	if (!(u2 > 0.0))
		return 0.0;
	/* 1/(1 − exp(−0.02u²)) = −1/expm1(−0.02u²): accurate at small u */
	lowpass = -1.0 / expm1(-0.02 * u2);
	if (!isfinite(lowpass))
		return 0.0;
	return 5200.0 * exp(-csf->k_exp * u2) /
	       sqrt((csf->k_field + 0.64 * u2) * (csf->k_lum + lowpass));
}

double vpm_vision_csf(double u_cy_deg, double luminance_cd_m2, double field_deg)
{
	vpm_vision_csf_t csf;

	vpm_vision_csf_init(&csf, luminance_cd_m2, field_deg);
	return vpm_vision_csf_eval(&csf, u_cy_deg);
}

double vpm_vision_csf_peak(double luminance_cd_m2, double field_deg, double *u_peak)
{
	/* S is unimodal in u; search log u in [log 0.05, log 60]. */
	const double g = 0.6180339887498949;
	double a = log(0.05), b = log(60.0);
	double c = b - g * (b - a), d = a + g * (b - a);
	vpm_vision_csf_t csf;
	double fc, fd;

	vpm_vision_csf_init(&csf, luminance_cd_m2, field_deg);
	fc = vpm_vision_csf_eval(&csf, exp(c));
	fd = vpm_vision_csf_eval(&csf, exp(d));

	while (b - a > 1e-10) {
		if (fc > fd) {
			b = d;
			d = c;
			fd = fc;
			c = b - g * (b - a);
			fc = vpm_vision_csf_eval(&csf, exp(c));
		} else {
			a = c;
			c = d;
			fc = fd;
			d = a + g * (b - a);
			fd = vpm_vision_csf_eval(&csf, exp(d));
		}
	}
	if (u_peak)
		*u_peak = exp(0.5 * (a + b));
	return vpm_vision_csf_eval(&csf, exp(0.5 * (a + b)));
}

/* ---- Colour vision ---- */

/* Linear Rec. 709 RGB → CIE 1931 XYZ, D65 white at Y = 1: the four-decimal
 * matrix of IEC 61966-2-1:1999 (sRGB shares the BT.709 primaries and D65;
 * ITU-R BT.709-6 Table 1 items 1.3–1.4).  Checked against colour-science's
 * sRGB_TO_XYZ_MATRIX (colour.readthedocs.io, colour.models.rgb.dataset.srgb,
 * v0.3.9).  Its middle row is the Rec. 709 luminance 0.2126, 0.7152, 0.0722. */
static const double rgb_to_xyz[3][3] = {
	{ 0.4124, 0.3576, 0.1805 },
	{ 0.2126, 0.7152, 0.0722 },
	{ 0.0193, 0.1192, 0.9505 },
};

/* CIE 1931 2° XYZ → opponent O1 (luminance), O2 (red–green), O3
 * (blue–yellow) of Poirson & Wandell (1993) as used by S-CIELAB (Zhang &
 * Wandell 1997, SID J. 5(1) 61–63): Xuemei Zhang's S-CIELAB cmatrix.m,
 * 'xyz2opp', spacetype 2 (copy in Netflix/vmaf,
 * matlab/cid_icid/CID/MatlabFunctions/IAMFilters/S-CIELAB/cmatrix.m). */
static const double xyz_to_opp[3][3] = {
	{ 0.2787336, 0.7218031, -0.1065520 },
	{ -0.4487736, 0.2898056, 0.0771569 },
	{ 0.0859513, -0.5899859, 0.5011089 },
};

/* Johnson & Fairchild (2003), "A top down description of S-CIELAB and
 * CIEDE2000", Color Res. Appl. 28(6) 425–435: sums of two exponentials
 * fitted to Mullen's (1985) red–green and blue–yellow thresholds,
 * S(u) = a1·exp(−b1·u^c1) + a2·exp(−b2·u^c2).  Values as implemented in
 * skyforcetw/cmsjava, src/shu/cms/hvs/ContrastSensitivityFunction.java
 * (written there as exp(b·f^c) with b < 0: the same decreasing function);
 * Pedersen's ColorContrastFiltering.m (Gjøvik) has the same red–green
 * values and the blue–yellow ones with b1 rounded to 0. */
typedef struct {
	double a1, b1, c1, a2, b2, c2;
} chroma_csf_t;

static const chroma_csf_t csf_rg = { 109.14130, 0.00038, 3.42436, 93.59711, 0.00367, 2.16771 };
static const chroma_csf_t csf_by = { 7.032845, 0.000004, 4.258205, 40.690950, 0.103909, 1.648658 };

/* S at u = exp(log_u): u^c = exp(c·log u) shares one log between the four
 * powers of a colour evaluation; log_u = −∞ (u = 0) gives a1 + a2. */
static double chroma_eval(const chroma_csf_t *p, double log_u)
{
	return p->a1 * exp(-p->b1 * exp(p->c1 * log_u)) + p->a2 * exp(-p->b2 * exp(p->c2 * log_u));
}

static double chroma_csf(const chroma_csf_t *p, double u_cy_deg)
{
	double u = fabs(u_cy_deg);

	if (isnan(u))
		return 0.0;
	return chroma_eval(p, u > 0.0 ? log(u) : -INFINITY);
}

double vpm_vision_csf_rg(double u_cy_deg)
{
	return chroma_csf(&csf_rg, u_cy_deg);
}

double vpm_vision_csf_by(double u_cy_deg)
{
	return chroma_csf(&csf_by, u_cy_deg);
}

static void mat_vec(const double m[3][3], const double v[3], double out[3])
{
	for (int i = 0; i < 3; i++)
		out[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
}

vpm_vision_opponent_t vpm_vision_opponent(int channel)
{
	static const double white_rgb[3] = { 1.0, 1.0, 1.0 };
	vpm_vision_opponent_t w = { 0.0, 0.0, 0.0 };
	double rgb[3] = { 0.0, 0.0, 0.0 }, xyz[3], white[3], iso[3], opp[3], opp_white[3];
	double k;

	switch (channel) {
	case 0: rgb[0] = rgb[1] = rgb[2] = 1.0; break; /* luma: a luminance ripple */
	case 1: rgb[0] = 1.0; break;		       /* red, after demosaicing */
	case 2: rgb[2] = 1.0; break;		       /* blue */
	default: return w;			       /* not a channel: not seen */
	}
	mat_vec(rgb_to_xyz, rgb, xyz);
	mat_vec(rgb_to_xyz, white_rgb, white);
	mat_vec(xyz_to_opp, white, opp_white);

	/* The part proportional to white is a pure luminance ripple of contrast
	 * k = ΔY/Y_white.  The published matrix does not put white at O2 =
	 * O3 = 0 (it gives −0.0527 and +0.0374 for D65), so opponent contrasts
	 * are taken of the isoluminant remainder ΔXYZ − k·XYZ_white, relative
	 * to white: a neutral ripple then has exactly no colour, and the
	 * remainder has ΔY = 0 as Mullen's isoluminant gratings did.  (Its
	 * O1, which is not exactly Y, is left to the luminance term.) */
	k = xyz[1] / white[1];
	for (int i = 0; i < 3; i++)
		iso[i] = xyz[i] - k * white[i];
	mat_vec(xyz_to_opp, iso, opp);

	w.lum = k;
	w.rg = opp[1] / opp_white[0];
	w.by = opp[2] / opp_white[0];
	return w;
}

void vpm_vision_colour_init_csf(vpm_vision_colour_t *vc, int channel, const vpm_vision_csf_t *csf,
				double csf_peak)
{
	double l, r, b;

	vc->lum = *csf;
	vc->w = vpm_vision_opponent(channel);
	/* Each term is at most its own maximum: Barten's peak, and S(0) for the
	 * chromatic CSFs, which only fall (all their parameters are positive).
	 * The factor covers the last bits of the peak search and of rounding. */
	l = vc->w.lum * csf_peak;
	r = vc->w.rg * (csf_rg.a1 + csf_rg.a2);
	b = vc->w.by * (csf_by.a1 + csf_by.a2);
	vc->bound = sqrt(l * l + r * r + b * b) * (1.0 + 1e-9);
}

void vpm_vision_colour_init(vpm_vision_colour_t *vc, int channel, double luminance_cd_m2,
			    double field_deg)
{
	vpm_vision_csf_t csf;

	vpm_vision_csf_init(&csf, luminance_cd_m2, field_deg);
	vpm_vision_colour_init_csf(vc, channel, &csf,
				   vpm_vision_csf_peak(luminance_cd_m2, field_deg, NULL));
}

double vpm_vision_colour_eval(const vpm_vision_colour_t *vc, double u_cy_deg)
{
	double s = vpm_vision_csf_eval(&vc->lum, u_cy_deg), u, log_u, l, r, b;

	/* the luma channel (and an unseen one): Barten alone, bit for bit */
	if (vc->w.rg == 0.0 && vc->w.by == 0.0)
		return vc->w.lum * s;
	u = fabs(u_cy_deg);
	if (isnan(u))
		return 0.0;
	log_u = u > 0.0 ? log(u) : -INFINITY;
	l = vc->w.lum * s;
	r = vc->w.rg * chroma_eval(&csf_rg, log_u);
	b = vc->w.by * chroma_eval(&csf_by, log_u);
	/* Minkowski summation of the three mechanisms, exponent 2 */
	return sqrt(l * l + r * r + b * b);
}

/* ---- Viewing profiles ---- */

/* Picture heights h for a horizontal viewing angle Θ on a picture of
 * aspect α: h = α / (2·tan(Θ/2)) (the inverse of vpm_vision_angle_deg).
 * Cinema: α = 1.85, Θ = 30° → 1.85 / (2·tan 15°) = 3.4521469970012117.
 * Phone: a 6.1-inch 16:9 screen is 6.1·9/√(16² + 9²) in = 7.5961076 cm
 * tall; 32.2 cm / 7.5961076 cm = 4.239013123159384. */
static const vpm_viewing_profile_t profiles[] = {
	{ VPM_VIEWING_CINEMA, "cinema", 3.4521469970012117, 48.0, 1.85,
	  "SMPTE EG 18-1994 (Design of Effective Cine Theaters): horizontal viewing angle of at "
	  "least 30 degrees, here on a 1.85:1 (DCI flat) screen; SMPTE ST 431-1:2006 (ISO "
	  "26431-1) section 5: screen luminance 48 cd/m2 (14 fL)",
	  "cinema: 1.85:1 screen seen at 30 degrees (3.45 picture heights), 48 cd/m2" },
	{ VPM_VIEWING_UHD_TV, "uhd-tv", 1.5, 100.0, 16.0 / 9.0,
	  "Report ITU-R BT.2246 section 2.5.3 and Rec. ITU-R BT.1845: 3840x2160 designed for "
	  "1.5 picture heights; Rec. ITU-R BT.2035 section 3.2: reference white 100 cd/m2",
	  "UHD TV: 16:9 at 1.5 picture heights, 100 cd/m2" },
	{ VPM_VIEWING_HD_TV, "hd-tv", 3.0, 100.0, 16.0 / 9.0,
	  "Rec. ITU-R BT.1127 Annex 1 section 1.1 (after Report ITU-R BT.801): HDTV defined for "
	  "viewing at 3 picture heights; Rec. ITU-R BT.2035 section 3.2: reference white 100 "
	  "cd/m2",
	  "HD TV: 16:9 at 3 picture heights, 100 cd/m2" },
	{ VPM_VIEWING_GRADING, "grading", 3.0, 100.0, 16.0 / 9.0,
	  "SMPTE ST 196:2003 section 9: review-room observers at 3 +/- 1 picture heights; Rec. "
	  "ITU-R BT.2035 section 3.2: reference white 100 cd/m2",
	  "grading: reference monitor at 3 picture heights, 100 cd/m2" },
	{ VPM_VIEWING_PHONE, "phone", 4.239013123159384, 200.0, 16.0 / 9.0,
	  "Bababekova et al. 2011, Optom. Vis. Sci. 88(7) 795-797: phones held at 32.2 cm on "
	  "average for web pages (36.2 cm for text); a 6.1-inch 16:9 picture 7.60 cm tall; "
	  "200 cd/m2 is an assumption (indoor brightness), not a measurement",
	  "phone: 6.1-inch 16:9 at 32.2 cm (4.24 picture heights), 200 cd/m2" },
};

#define N_PROFILES (sizeof profiles / sizeof profiles[0])

const vpm_viewing_profile_t *vpm_viewing_profile(vpm_viewing_t v)
{
	for (size_t i = 0; i < N_PROFILES; i++)
		if (profiles[i].id == v)
			return &profiles[i];
	return NULL;
}

const char *vpm_viewing_name(vpm_viewing_t v)
{
	const vpm_viewing_profile_t *p;

	if (v == VPM_VIEWING_AUTO)
		return "auto";
	if (v == VPM_VIEWING_CUSTOM)
		return "custom";
	p = vpm_viewing_profile(v);
	return p ? p->name : NULL;
}

VPM_STATUS_FN(vpm_viewing_parse, (const char *name, vpm_viewing_t *out), (name, out))
{
	static const vpm_viewing_t all[] = { VPM_VIEWING_AUTO,	 VPM_VIEWING_CUSTOM,
					     VPM_VIEWING_CINEMA, VPM_VIEWING_UHD_TV,
					     VPM_VIEWING_HD_TV,	 VPM_VIEWING_GRADING,
					     VPM_VIEWING_PHONE };

	if (!name)
		return vpm_error(VPM_EINVAL, "no viewing profile");
	if (!out)
		return vpm_error(VPM_EINVAL, "viewing profile '%s': nowhere to store it", name);
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcasecmp(name, vpm_viewing_name(all[i])) == 0) {
			*out = all[i];
			return VPM_OK;
		}
	return vpm_error(VPM_EINVAL,
			 "unknown viewing profile '%s' (expected cinema, uhd-tv, hd-tv, grading, "
			 "phone, custom or auto)",
			 name);
}

vpm_viewing_t vpm_viewing_for_delivery(int delivery_px)
{
	/* no delivery: the picture at camera resolution, judged as UHD */
	if (delivery_px <= 0 || delivery_px >= 3840)
		return VPM_VIEWING_UHD_TV;
	return VPM_VIEWING_HD_TV;
}
