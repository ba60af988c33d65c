/* Measuring the recorded patch: windowed spectra, LED components located
 * and their modulation read from interpolated peaks; resampling to the
 * recording and delivery widths.
 *
 * Modulation: the patch minus its mean, times a 4-term Blackman–Harris
 * window (sidelobes −92 dB, so a grid component 40 dB stronger than the
 * moiré does not leak into it), zero-padded to twice its size; a cosine of
 * modulation M on a mean m̄ gives a peak |D| = M·m̄·Σw/2 (Σw over both
 * axes), located and read by fitting a parabola to the log magnitude
 * through the three bins around the maximum, per axis.  A rectangular
 * window would lose up to 36% of a peak that falls between two bins
 * (SPEC §3); the fitted Blackman–Harris peak is within 0.1%.
 */
#include <config.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "error.h"
#include "fftsim_private.h"
#include "vpmoire/content.h"
#include "vpmoire/otf.h"
#include "vpmoire/sensor.h"
#include "vpmoire/vision.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

double vpm_fftsim_window(int n, double *w)
{
	/* Harris 1978, Proc. IEEE 66(1), 4-term minimum sidelobe. */
	const double a0 = 0.35875, a1 = 0.48829, a2 = 0.14128, a3 = 0.01168;
	double sum = 0.0;

	for (int i = 0; i < n; i++) {
		double t = n > 1 ? 2.0 * M_PI * i / (n - 1) : 0.0;
		w[i] = a0 - a1 * cos(t) + a2 * cos(2.0 * t) - a3 * cos(3.0 * t);
		sum += w[i];
	}
	return sum;
}

static int signed_bin(int i, int n)
{
	return i < (n + 1) / 2 ? i : i - n;
}

/* ---------------------------------------------------------------- resampling */

typedef struct {
	int src, dst;
	double re, im;
} tap_t;

/* The 1-D map from the 2n-point spectrum to the 2m-point one: filter,
 * phase of the output sample positions, fold.  Bin n (Nyquist of the
 * extension) is split half to +n, half to −n.  Returns the tap count. */
static int resample_taps(int n, int m, tap_t *t, vpm_resample_t kernel)
{
	int n2 = 2 * n, m2 = 2 * m, k = 0;
	/* output j sits at input-index coordinate s0 + j·n/m */
	double s0 = 0.5 * ((double)n / m - 1.0);

	for (int i = 0; i < n2; i++) {
		int f = signed_bin(i, n2);
		int copies = (f == -n) ? 2 : 1;
		for (int c = 0; c < copies; c++) {
			int ff = (copies == 2 && c == 1) ? n : f;
			double g = vpm_sensor_resample_transfer(kernel, (double)ff / m2) *
				   (copies == 2 ? 0.5 : 1.0);
			double ph = 2.0 * M_PI * ff * s0 / n2;
			t[k].src = i;
			t[k].dst = ((ff % m2) + m2) % m2;
			t[k].re = g * cos(ph);
			t[k].im = g * sin(ph);
			k++;
		}
	}
	return k;
}

vpm_status_t vpm_fftsim_resample(fft_ctx_t *fft, const double *in, int n, int m, double *out,
				 fftw_complex *ext, fftw_complex *out2, vpm_resample_t kernel)
{
	int n2 = 2 * n, m2 = 2 * m, nt;
	fft_entry_t *fwd, *bwd;
	tap_t *taps;
	vpm_status_t st;
	double norm = 1.0 / ((double)n2 * n2);

	if ((st = vpm_fft_plan(fft, FFT_C2C_FWD, n2, n2, ext, &fwd)) != VPM_OK)
		return st;
	if ((st = vpm_fft_plan(fft, FFT_C2C_BWD, m2, m2, out2, &bwd)) != VPM_OK)
		return st;
	taps = malloc(((size_t)n2 + 1) * sizeof *taps);
	if (taps == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	nt = resample_taps(n, m, taps, kernel);
	/* mirror extension: no jump at the patch edges */
	VPM_OMP_FOR
	for (int y = 0; y < n2; y++) {
		int sy = y < n ? y : n2 - 1 - y;
		for (int x = 0; x < n2; x++) {
			int sx = x < n ? x : n2 - 1 - x;
			ext[(size_t)y * n2 + x][0] = in[(size_t)sy * n + sx];
			ext[(size_t)y * n2 + x][1] = 0.0;
		}
	}
	vpm_fft_exec(fft, fwd, ext);
	memset(out2, 0, (size_t)m2 * m2 * sizeof *out2);
	for (int a = 0; a < nt; a++) {
		const tap_t *ty = &taps[a];
		const fftw_complex *row = ext + (size_t)ty->src * n2;
		fftw_complex *orow = out2 + (size_t)ty->dst * m2;
		for (int b = 0; b < nt; b++) {
			const tap_t *tx = &taps[b];
			double fr = ty->re * tx->re - ty->im * tx->im;
			double fi = ty->re * tx->im + ty->im * tx->re;
			double vr = row[tx->src][0], vi = row[tx->src][1];
			orow[tx->dst][0] += vr * fr - vi * fi;
			orow[tx->dst][1] += vr * fi + vi * fr;
		}
	}
	free(taps);
	vpm_fft_exec(fft, bwd, out2);
	for (int y = 0; y < m; y++)
		for (int x = 0; x < m; x++)
			out[(size_t)y * m + x] = out2[(size_t)y * m2 + x][0] * norm;
	return VPM_OK;
}

/* ---------------------------------------------------------------- spectra */

typedef struct {
	const fftw_complex *d; /* r2c half spectrum, rows of n1/2 + 1 */
	int n0, n1;
} half_t;

/* Bring a signed bin into the stored half: the spectrum is periodic in
 * both axes, and D(−k) = conj D(k).  Returns 1 when conjugated. */
static int half_index(const half_t *h, int *kx, int *ky)
{
	int conj = 0;

	*kx %= h->n1;
	if (*kx < 0)
		*kx += h->n1;
	if (*kx > h->n1 / 2) {
		*kx = h->n1 - *kx;
		*ky = -*ky;
		conj = 1;
	}
	*ky %= h->n0;
	if (*ky < 0)
		*ky += h->n0;
	return conj;
}

/* |D| at signed bin (kx, ky). */
static double half_mag(const half_t *h, int kx, int ky)
{
	const double *v;

	half_index(h, &kx, &ky);
	v = h->d[(size_t)ky * (size_t)(h->n1 / 2 + 1) + (size_t)kx];
	return hypot(v[0], v[1]);
}

static int is_local_max(const half_t *h, int kx, int ky)
{
	double v = half_mag(h, kx, ky);

	for (int dy = -1; dy <= 1; dy++)
		for (int dx = -1; dx <= 1; dx++)
			if ((dx || dy) && half_mag(h, kx + dx, ky + dy) > v)
				return 0;
	return v > 0.0;
}

/* Parabola through the log magnitudes at −1, 0, +1: offset of the vertex
 * (clamped to ±0.5) and the rise of the log there. */
static void log_parabola(double lm, double l0, double lp, double *off, double *rise)
{
	double den = lm - 2.0 * l0 + lp, t;

	if (!(den < 0.0)) {
		*off = 0.0;
		*rise = 0.0;
		return;
	}
	t = 0.5 * (lm - lp) / den;
	if (t > 0.5)
		t = 0.5;
	if (t < -0.5)
		t = -0.5;
	*off = t;
	/* a main lobe sampled every half bin rises less than 0.3 dB between
	 * samples; more means the neighbours are not on this peak's lobe */
	*rise = fmin(0.25 * (lp - lm) * t, 0.1);
}

/* Per-channel bookkeeping of located peaks. */
typedef struct {
	vpm_component_t c;
	int bx, by;  /* the peak bin, canonical half-plane */
	double dist; /* from the harmonic's expected position, padded bins */
} found_t;

static void canonical(double *x, double *y)
{
	if (*x < 0.0 || (*x == 0.0 && *y < 0.0)) {
		*x = -*x;
		*y = -*y;
	}
}

static vpm_status_t list_push(meas_list_t *list, const vpm_component_t *c)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? 2 * list->cap : 64;
		vpm_component_t *p = realloc(list->c, cap * sizeof *p);
		if (p == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		list->c = p;
		list->cap = cap;
	}
	list->c[list->n++] = *c;
	return VPM_OK;
}

/* A harmonic that reaches the sensor: where it lands and how strong it can
 * be at most. */
typedef struct {
	int k, l, aliased;
	double fx, fy; /* recorded frequency, cy/mm, signed as folded */
	double bx, by; /* the same in padded bins, canonical half-plane */
	double bound;  /* upper bound of its modulation */
	int cluster;   /* −1 isolated, else its cluster's id */
} cand_t;

/* Σ_j w_j e^{−2πiνj}: the window's transform at ν cycles per sample, in
 * closed form.  The window is Σ_m (−1)^m a_m cos(2πmj/(n − 1)) (Harris
 * 1978), so its transform is Σ_m (−1)^m a_m [D(ν − m/(n−1)) + D(ν +
 * m/(n−1))]/2 with the Dirichlet kernel D(ν) = Σ_{j<n} e^{−2πiνj} =
 * e^{−πiν(n−1)}·sin(πνn)/sin(πν). */
static void window_ft(int n, double nu, double *re, double *im)
{
	static const double a[4] = { 0.35875, -0.48829, 0.14128, -0.01168 };
	double sr = 0.0, si = 0.0;

	for (int m = 0; m < 4; m++)
		for (int sgn = -1; sgn <= 1; sgn += 2) {
			double v = nu + sgn * (double)m / (n - 1), s = sin(M_PI * v), amp, ph;
			if (m == 0 && sgn == 1)
				break; /* the m = 0 term is D(ν) once, at full weight */
			amp = fabs(s) < 1e-12
				      ? (double)n * (((long)lround(v) * (n - 1)) % 2 ? -1 : 1)
				      : sin(M_PI * v * n) / s;
			ph = -M_PI * v * (n - 1);
			amp *= m == 0 ? a[0] : 0.5 * a[m];
			sr += amp * cos(ph);
			si += amp * sin(ph);
		}
	*re = sr;
	*im = si;
}

/* Distance in padded bins between two points of the periodic spectrum. */
static double wrap_dist(double ax, double ay, double bx, double by, int n2)
{
	double dx = fmod(fabs(ax - bx), n2), dy = fmod(fabs(ay - by), n2);

	dx = fmin(dx, n2 - dx);
	dy = fmin(dy, n2 - dy);
	return hypot(dx, dy);
}

/* Visibility of modulation `mod` at `nu_cy_mm` on this channel (SPEC §2
 * step 10, as the predictor scores it); *u gets cycles per degree. */
static double score(const meas_channel_t *ch, const meas_setup_t *ms, double fx_cy_mm,
		    double fy_cy_mm, double mod, double *u)
{
	double S, sq = ms->squeeze > 0.0 ? ms->squeeze : 1.0;

	/* the delivery desqueezes: x frequencies reach the viewer divided by S */
	*u = vpm_vision_cy_deg(hypot(fx_cy_mm / sq, fy_cy_mm), ms->width_mm, ms->angle_deg);
	S = ms->opponent ? vpm_vision_colour_eval(&ch->vc, *u)
			 : vpm_vision_csf(*u, ms->luminance, ms->angle_deg);
	if (ms->content_contrast > 0.0)
		S /= vpm_content_masking(ms->content_contrast *
					 vpm_vision_csf(*u, ms->luminance, ms->angle_deg));
	return ms->gain * ch->weight * mod * S;
}

/* The complex spectrum at signed padded bin (kx, ky). */
static void half_value(const half_t *h, int kx, int ky, double *re, double *im)
{
	int conj = half_index(h, &kx, &ky);
	const double *v = h->d[(size_t)ky * (size_t)(h->n1 / 2 + 1) + (size_t)kx];

	*re = v[0];
	*im = conj ? -v[1] : v[1];
}

/* Joint least-squares fit of a component, idx[0], with the neighbours
 * whose lobes reach it, idx[1..m−1], over the padded bins within the main
 * lobe (±8) of idx[0]:
 * D(k) = Σ_h [c_h·W(k/N − f_h) + c̄_h·W(k/N + f_h)] + d·W(k/N), W the 2-D
 * window transform (separable: Wx·Wy), f_h in cycles per sample; unknowns
 * Re c_h, Im c_h, d.  *mod = 2|c_0|/mean.  Solved by SVD (GSL); bins that
 * wrap onto their conjugates enter twice, which leaves the solution as it
 * is.  VPM_ENOMEM. */
static vpm_status_t fit_cluster(const half_t *h, int n, double mean, const cand_t *cand,
				const size_t *idx, size_t m, double *mod)
{
	enum { R = 8, SIDE = 2 * R + 1 };
	int n2 = 2 * n, cx = (int)lround(cand[idx[0]].bx), cy = (int)lround(cand[idx[0]].by);
	size_t nu = 2 * m + 1, rows = 0;
	gsl_matrix *A = NULL, *V = NULL;
	gsl_vector *S = NULL, *work = NULL, *b = NULL, *x = NULL;
	/* 1-D window transforms on this disk's rows and columns: per member,
	 * at k/N − f and k/N + f, complex; and at k/N for DC */
	double *wx = malloc((m + 1) * SIDE * 4 * sizeof *wx);
	double *wy = malloc((m + 1) * SIDE * 4 * sizeof *wy);
	vpm_status_t st = VPM_OK;

	*mod = 0.0;
	for (int dy = -R; dy <= R; dy++)
		for (int dx = -R; dx <= R; dx++)
			rows += dx * dx + dy * dy <= R * R;
	rows *= 2;
	A = gsl_matrix_alloc(rows, nu);
	V = gsl_matrix_alloc(nu, nu);
	S = gsl_vector_alloc(nu);
	work = gsl_vector_alloc(nu);
	b = gsl_vector_alloc(rows);
	x = gsl_vector_alloc(nu);
	if (!A || !V || !S || !work || !b || !x || !wx || !wy) {
		st = vpm_error(VPM_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < SIDE; i++) {
		double kx = (double)(cx - R + i) / n2, ky = (double)(cy - R + i) / n2;
		for (size_t q = 0; q <= m; q++) {
			double *px = wx + (q * SIDE + (size_t)i) * 4,
			       *py = wy + (q * SIDE + (size_t)i) * 4;
			double fx = q < m ? cand[idx[q]].bx / n2 : 0.0,
			       fy = q < m ? cand[idx[q]].by / n2 : 0.0;
			window_ft(n, kx - fx, &px[0], &px[1]);
			window_ft(n, kx + fx, &px[2], &px[3]);
			window_ft(n, ky - fy, &py[0], &py[1]);
			window_ft(n, ky + fy, &py[2], &py[3]);
		}
	}
	rows = 0;
	for (int dy = -R; dy <= R; dy++)
		for (int dx = -R; dx <= R; dx++) {
			double dr, di;
			size_t ix = (size_t)(dx + R), iy = (size_t)(dy + R);
			if (dx * dx + dy * dy > R * R)
				continue;
			half_value(h, cx + dx, cy + dy, &dr, &di);
			gsl_vector_set(b, rows, dr);
			gsl_vector_set(b, rows + 1, di);
			for (size_t q = 0; q <= m; q++) {
				const double *px = wx + (q * SIDE + ix) * 4,
					     *py = wy + (q * SIDE + iy) * 4;
				/* W(k − f) = Wx(kx − fx)·Wy(ky − fy), and W(k + f) */
				double pr = px[0] * py[0] - px[1] * py[1],
				       pi = px[0] * py[1] + px[1] * py[0];
				double mr = px[2] * py[2] - px[3] * py[3],
				       mi = px[2] * py[3] + px[3] * py[2];
				if (q == m) { /* DC: f = 0, one real coefficient */
					gsl_matrix_set(A, rows, 2 * m, pr);
					gsl_matrix_set(A, rows + 1, 2 * m, pi);
					continue;
				}
				/* c·P + c̄·M with c = a + ib: a(P + M) + b·i(P − M) */
				gsl_matrix_set(A, rows, 2 * q, pr + mr);
				gsl_matrix_set(A, rows + 1, 2 * q, pi + mi);
				gsl_matrix_set(A, rows, 2 * q + 1, -(pi - mi));
				gsl_matrix_set(A, rows + 1, 2 * q + 1, pr - mr);
			}
			rows += 2;
		}
	gsl_linalg_SV_decomp(A, V, S, work);
	{
		/* drop directions the window cannot see (relative singular
		 * value under 1e-9): they carry no measured energy */
		double smax = gsl_vector_get(S, 0);
		for (size_t i = 0; i < nu; i++)
			if (gsl_vector_get(S, i) < 1e-9 * smax)
				gsl_vector_set(S, i, 0.0);
	}
	gsl_linalg_SV_solve(A, V, S, b, x);
	*mod = 2.0 * hypot(gsl_vector_get(x, 0), gsl_vector_get(x, 1)) / mean;
done:
	gsl_matrix_free(A);
	gsl_matrix_free(V);
	gsl_vector_free(S);
	gsl_vector_free(work);
	gsl_vector_free(b);
	gsl_vector_free(x);
	free(wx);
	free(wy);
	return st;
}

/* Read an isolated component from its interpolated peak.  Returns 0 when
 * no peak was found near the expected position. */
static int read_peak(const half_t *h, double bx, double by, double radius, int *pbx, int *pby,
		     double *px, double *py, double *logmag)
{
	double best = 0.0, ox, oy, rx, ry, mag0;
	int ibx = 0, iby = 0, have = 0, r = (int)ceil(radius);

	for (int iy = (int)floor(by) - r; iy <= (int)ceil(by) + r; iy++)
		for (int ix = (int)floor(bx) - r; ix <= (int)ceil(bx) + r; ix++) {
			double v;
			if (hypot(ix - bx, iy - by) > radius)
				continue;
			v = half_mag(h, ix, iy);
			if (v > best && is_local_max(h, ix, iy)) {
				best = v;
				ibx = ix;
				iby = iy;
				have = 1;
			}
		}
	if (!have)
		return 0;
	mag0 = log(best);
	log_parabola(log(fmax(half_mag(h, ibx - 1, iby), 1e-300)), mag0,
		     log(fmax(half_mag(h, ibx + 1, iby), 1e-300)), &ox, &rx);
	log_parabola(log(fmax(half_mag(h, ibx, iby - 1), 1e-300)), mag0,
		     log(fmax(half_mag(h, ibx, iby + 1), 1e-300)), &oy, &ry);
	*logmag = mag0 + rx + ry;
	*px = ibx + ox;
	*py = iby + oy;
	*pbx = ibx;
	*pby = iby;
	return 1;
}

/* Add a measured component, de-duplicating by peak bin: one peak claimed
 * by two harmonics belongs to the nearer; coincident ones (within half a
 * padded bin) count as aliased if either is (the safe side). */
static vpm_status_t found_add(found_t **found, size_t *nf, size_t *capf, int cbx, int cby,
			      double dist, const vpm_component_t *c)
{
	size_t i;

	if (cbx < 0 || (cbx == 0 && cby < 0)) {
		cbx = -cbx;
		cby = -cby;
	}
	for (i = 0; i < *nf; i++)
		if ((*found)[i].bx == cbx && (*found)[i].by == cby)
			break;
	if (i < *nf) {
		found_t *f = &(*found)[i];
		if (fabs(dist - f->dist) < 0.5) {
			f->c.aliased |= c->aliased;
		} else if (dist < f->dist) {
			f->c.k = c->k;
			f->c.l = c->l;
			f->c.aliased = c->aliased;
			f->dist = dist;
		}
		return VPM_OK;
	}
	if (*nf == *capf) {
		size_t cap = *capf ? 2 * *capf : 64;
		found_t *p = realloc(*found, cap * sizeof *p);
		if (p == NULL)
			return vpm_error(VPM_ENOMEM, "out of memory");
		*found = p;
		*capf = cap;
	}
	(*found)[*nf].bx = cbx;
	(*found)[*nf].by = cby;
	(*found)[*nf].dist = dist;
	(*found)[*nf].c = *c;
	(*nf)++;
	return VPM_OK;
}

/* The windowed, zero-padded spectrum of a channel's n × n patch: the
 * patch mean removed, the Blackman–Harris window (vpm_fftsim_window) in
 * both directions, padded to 2n × 2n in `pad` and transformed, read
 * through *h; *mean is the patch mean.  *norm turns a bin's magnitude
 * into the modulation of a sinusoid, 2 / (mean · Σw²); 0 for a black
 * patch, which has no modulation (nothing is transformed then). */
static vpm_status_t padded_spectrum(fft_ctx_t *fft, const meas_channel_t *ch, double *pad,
				    half_t *h, double *mean_out, double *norm)
{
	int n = ch->n, n2 = 2 * n, ld = 2 * (n2 / 2 + 1);
	double *w, sw, mean = 0.0;
	fft_entry_t *plan;
	vpm_status_t st;

	*norm = *mean_out = 0.0;
	if ((st = vpm_fft_plan(fft, FFT_R2C, n2, n2, pad, &plan)) != VPM_OK)
		return st;
	for (size_t i = 0; i < (size_t)n * n; i++)
		mean += ch->img[i];
	mean /= (double)n * n;
	if (!(mean > 0.0))
		return VPM_OK;
	w = malloc((size_t)n * sizeof *w);
	if (w == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	sw = vpm_fftsim_window(n, w);
	memset(pad, 0, (size_t)n2 * ld * sizeof *pad);
	VPM_OMP_FOR
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++)
			pad[(size_t)y * ld + x] = (ch->img[(size_t)y * n + x] - mean) * w[x] * w[y];
	free(w);
	vpm_fft_exec(fft, plan, pad);
	h->d = (const fftw_complex *)pad;
	h->n0 = n2;
	h->n1 = n2;
	*mean_out = mean;
	*norm = 2.0 / (mean * sw * sw);
	return VPM_OK;
}

vpm_status_t vpm_fftsim_measure_channel(fft_ctx_t *fft, const meas_channel_t *ch,
					const meas_setup_t *ms, double *pad, meas_list_t *list)
{
	int n = ch->n, n2 = 2 * n;
	double mean, fbin, nu_c, sq, smin, norm, radius;
	const double *J = ms->jac;
	found_t *found = NULL;
	cand_t *cand = NULL;
	size_t nf = 0, capf = 0, nc = 0, capc = 0, *idx = NULL;
	double *cmod = NULL;
	half_t h;
	vpm_status_t st = VPM_OK;
	int kmax;
	/* window lobes overlap closer than this (padded bins: the
	 * Blackman–Harris main lobe is ±4 bins of the patch, 8 padded; 12
	 * keeps a weak component clear of a strong neighbour's lobe edge,
	 * where a peak read would take the neighbour's slope for its own);
	 * members closer than `resolve` cannot be told apart by the fit */
	const double crowd = 12.0, resolve = 3.0;
	/* harmonics weaker than this are not measured (a tenth of the
	 * modulation the eye sees at its most sensitive, 0.003 — Barten
	 * 1999 — so never within reach of the caution threshold) */
	const double negligible = 3e-4;
	/* a fit takes at most this many members, the strongest bounds */
	const size_t max_members = 8;

	if ((st = padded_spectrum(fft, ch, pad, &h, &mean, &norm)) != VPM_OK || norm == 0.0)
		return st; /* a black patch has no modulation */
	fbin = 1.0 / (n2 * ch->pitch_mm);
	radius = 2.0 + 2.0 * ms->chirp_bins;

	/* Harmonics that pass the lens: |ν| < 1/(λN); |ν| ≥ σ_min·|(k, l)|/p. */
	nu_c = 1.0 / (ch->wavelength_nm * 1e-6 * ms->stop);
	sq = ms->squeeze > 0.0 ? ms->squeeze : 1.0;
	{
		double a = J[0], b = J[1], c = J[2], d = J[3];
		double t = a * a + b * b + c * c + d * d, det = fabs(a * d - b * c);
		double disc = sqrt(fmax(0.0, t * t - 4.0 * det * det));
		smin = sqrt(fmax(0.0, 0.5 * (t - disc)));
	}
	if (!(smin > 0.0))
		return vpm_error(VPM_EINTERNAL, "degenerate wall mapping");
	kmax = (int)ceil(ms->pitch_mm * nu_c / smin);
	if (kmax > 400)
		kmax = 400;
	/* 1. where every harmonic lands, and how strong it can be */
	for (int k = 0; k <= kmax; k++) {
		for (int l = -kmax; l <= kmax; l++) {
			double nx, ny, nl, fx, fy, gain = 1.0, bound;
			int aliased;
			cand_t *c;

			if (k == 0 && l <= 0)
				continue;
			/* local frequency of harmonic (k, l): ∇ of 2π(k·u + l·v)/p */
			nx = (k * J[0] + l * J[2]) / ms->pitch_mm;
			ny = (k * J[1] + l * J[3]) / ms->pitch_mm;
			/* the lens sees the unsqueezed frequency (doc/model.md §12) */
			nl = hypot(nx / sq, ny);
			if (nl >= nu_c)
				continue;
			vpm_sensor_chain_apply(&ch->chain, nx, ny, &fx, &fy, &gain, &aliased);
			/* a cosine pair of Fourier coefficient sinc·sinc (square
			 * emitters, the SPEC's lattice), through a perfect lens at
			 * the patch's defocus (the largest |H| over the planning
			 * tolerance, SPEC §2 step 4; a real lens transfers less) */
			bound = 2.0 * fabs(gain) *
				vpm_otf_defocus_factor(vpm_otf_shear(nl, ch->wavelength_nm,
								     ms->stop),
						       ms->defocus_waves * VPM_WAVELENGTH_LUMA_NM /
							       ch->wavelength_nm,
						       ms->defocus_tolerance);
			/* the OLPF and the photosite aperture act before sampling */
			bound *= fabs(vpm_otf_olpf(nx, ny, ms->olpf_split_mm)) *
				 fabs(vpm_otf_photosite(nx, ny, ms->aperture_mm));
			if (ms->emitter_fill > 0.0)
				bound *= fabs(vpm_otf_sinc(k * ms->emitter_fill) *
					      vpm_otf_sinc(l * ms->emitter_fill));
			if (!(bound > negligible))
				continue;
			if (nc == capc) {
				size_t cap = capc ? 2 * capc : 64;
				cand_t *p = realloc(cand, cap * sizeof *p);
				if (p == NULL) {
					st = vpm_error(VPM_ENOMEM, "out of memory");
					goto done;
				}
				cand = p;
				capc = cap;
			}
			c = &cand[nc++];
			c->k = k;
			c->l = l;
			c->aliased = aliased;
			c->fx = fx;
			c->fy = fy;
			canonical(&fx, &fy);
			c->bx = fx / fbin;
			c->by = fy / fbin;
			c->bound = bound;
			c->cluster = -1;
		}
	}
	/* 2. crowded components: their lobe overlaps a neighbour's, their
	 * own mirror's or DC's */
	for (size_t i = 0; i < nc; i++) {
		if (hypot(cand[i].bx, cand[i].by) < crowd ||
		    wrap_dist(cand[i].bx, cand[i].by, -cand[i].bx, -cand[i].by, n2) < crowd) {
			cand[i].cluster = 1;
			continue;
		}
		for (size_t j = 0; j < nc && cand[i].cluster < 0; j++) {
			double d;
			if (j == i)
				continue;
			d = fmin(wrap_dist(cand[i].bx, cand[i].by, cand[j].bx, cand[j].by, n2),
				 wrap_dist(cand[i].bx, cand[i].by, -cand[j].bx, -cand[j].by, n2));
			if (d < crowd && d >= 0.5)
				cand[i].cluster = 1;
		}
	}
	/* 3. isolated components from their peaks */
	for (size_t i = 0; i < nc; i++) {
		const cand_t *c = &cand[i];
		vpm_component_t comp;
		double px, py, la, mx, my;
		int ibx, iby;

		if (c->cluster >= 0)
			continue;
		if (!read_peak(&h, c->bx, c->by, radius, &ibx, &iby, &px, &py, &la))
			continue;
		mx = px * fbin;
		my = py * fbin;
		canonical(&mx, &my);
		memset(&comp, 0, sizeof comp);
		comp.k = c->k;
		comp.l = c->l;
		comp.channel = ch->channel;
		comp.aliased = c->aliased;
		comp.nu_x_cy_mm = mx;
		comp.nu_y_cy_mm = my;
		comp.nu_cy_mm = hypot(mx, my);
		comp.modulation = norm * exp(la);
		if ((st = found_add(&found, &nf, &capf, ibx, iby, hypot(px - c->bx, py - c->by),
				    &comp)) != VPM_OK)
			goto done;
	}
	/* 4. each crowded component fitted jointly with its neighbours (the
	 * strongest few), at their expected frequencies */
	idx = malloc((nc + 1) * sizeof *idx);
	cmod = malloc((nc + 1) * sizeof *cmod);
	if (idx == NULL || cmod == NULL) {
		st = vpm_error(VPM_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nc; i++) {
		const cand_t *c = &cand[i];
		vpm_component_t comp;
		size_t m = 1;
		int unresolved;

		if (c->cluster < 0)
			continue;
		{
			/* one whose visibility bound is under a tenth of the
			 * caution threshold cannot change the verdict: not
			 * worth a fit (isolated ones are read anyway, cheaply) */
			double u;
			if (score(ch, ms, c->fx, c->fy, c->bound, &u) < 0.1 * ms->caution_at)
				continue;
		}
		/* neighbours whose lobes reach this one's.  One closer than
		 * the window resolves is the same fringe on the picture (two
		 * harmonics folded onto one frequency add up, and the eye sees
		 * the sum): left out of the fit, whose component then takes
		 * both.  Only DC and the component's own mirror (its beat
		 * longer than the patch, or a lattice's Nyquist) make it
		 * unmeasurable: the window cannot separate a cosine from its
		 * own negative frequency. */
		idx[0] = i;
		unresolved = hypot(c->bx, c->by) < resolve;
		{
			double dm = wrap_dist(c->bx, c->by, -c->bx, -c->by, n2);
			if (dm < resolve && dm > 0.0)
				unresolved = 1;
		}
		for (size_t j = 0; j < nc; j++) {
			const cand_t *o = &cand[j];
			double d;
			if (j == i)
				continue;
			d = fmin(wrap_dist(c->bx, c->by, o->bx, o->by, n2),
				 wrap_dist(c->bx, c->by, -o->bx, -o->by, n2));
			/* a neighbour under 1% of this one's bound moves its
			 * reading by less than that: not worth an unknown */
			if (d >= crowd || d < resolve || o->bound < 0.01 * c->bound)
				continue;
			idx[m++] = j;
		}
		if (unresolved) {
			double u, vb = score(ch, ms, c->fx, c->fy, c->bound, &u);
			if (vb >= ms->caution_at && vb > list->unmeasurable_bound) {
				list->unmeasurable = 1;
				list->unmeasurable_cy_mm = hypot(c->fx, c->fy);
				list->unmeasurable_bound = vb;
			}
			continue;
		}
		if (m > max_members) {
			/* strongest bounds first, after the component itself */
			for (size_t a2 = 2; a2 < m; a2++)
				for (size_t b2 = a2;
				     b2 > 1 && cand[idx[b2]].bound > cand[idx[b2 - 1]].bound;
				     b2--) {
					size_t tmp = idx[b2];
					idx[b2] = idx[b2 - 1];
					idx[b2 - 1] = tmp;
				}
			m = max_members;
		}
		if ((st = fit_cluster(&h, n, mean, cand, idx, m, cmod)) != VPM_OK)
			goto done;
		memset(&comp, 0, sizeof comp);
		comp.k = c->k;
		comp.l = c->l;
		comp.channel = ch->channel;
		comp.aliased = c->aliased;
		comp.nu_x_cy_mm = c->bx * fbin;
		comp.nu_y_cy_mm = c->by * fbin;
		comp.nu_cy_mm = hypot(comp.nu_x_cy_mm, comp.nu_y_cy_mm);
		comp.modulation = cmod[0];
		if ((st = found_add(&found, &nf, &capf, (int)lround(c->bx), (int)lround(c->by), 0.0,
				    &comp)) != VPM_OK)
			goto done;
	}
	for (size_t i = 0; i < nf; i++) {
		vpm_component_t *c = &found[i].c;
		double u;
		c->visibility = score(ch, ms, c->nu_x_cy_mm, c->nu_y_cy_mm, c->modulation, &u);
		c->cy_deg = u;
		if ((st = list_push(list, c)) != VPM_OK)
			goto done;
	}
done:
	free(found);
	free(cand);
	free(idx);
	free(cmod);
	return st;
}

vpm_status_t vpm_fftsim_spectrum_db(fft_ctx_t *fft, const double *img, int stride, int n,
				    double *buf, float *out, int colour)
{
	int ld = 2 * (n / 2 + 1);
	double *w, sw, mean = 0.0, norm;
	fft_entry_t *plan;
	half_t h;
	vpm_status_t st;

	if ((st = vpm_fft_plan(fft, FFT_R2C, n, n, buf, &plan)) != VPM_OK)
		return st;
	for (size_t i = 0; i < (size_t)n * n; i++)
		mean += img[i * stride];
	mean /= (double)n * n;
	w = malloc((size_t)n * sizeof *w);
	if (w == NULL)
		return vpm_error(VPM_ENOMEM, "out of memory");
	sw = vpm_fftsim_window(n, w);
	for (int y = 0; y < n; y++)
		for (int x = 0; x < ld; x++)
			buf[(size_t)y * ld + x] =
				x < n ? (img[((size_t)y * n + x) * stride] - mean) * w[x] * w[y]
				      : 0.0;
	free(w);
	vpm_fft_exec(fft, plan, buf);
	h.d = (const fftw_complex *)buf;
	h.n0 = n;
	h.n1 = n;
	norm = mean > 0.0 ? 2.0 / (mean * sw * sw) : 0.0;
	for (int y = 0; y < n; y++)
		for (int x = 0; x < n; x++) {
			double m = norm * half_mag(&h, x - n / 2, y - n / 2);
			double db = m > 1e-8 ? 20.0 * log10(m) : -160.0;
			out[((size_t)y * n + x) * 3 + colour] = (float)db;
		}
	return VPM_OK;
}

/* ---------------------------------------------------------------- peaks */

vpm_status_t vpm_fftsim_measure_peaks(fft_ctx_t *fft, const meas_channel_t *ch,
				      const meas_setup_t *ms, double min_modulation, double *pad,
				      meas_list_t *list)
{
	int n = ch->n, n2 = 2 * n;
	double mean, fbin, norm;
	half_t h;
	vpm_status_t st;
	/* as in the joint fit: nearer DC than 1.5 bins of the patch, a peak
	 * is not resolved from the mean */
	const double resolve = 3.0;

	if ((st = padded_spectrum(fft, ch, pad, &h, &mean, &norm)) != VPM_OK || norm == 0.0)
		return st; /* a black patch has no modulation */
	fbin = 1.0 / (n2 * ch->pitch_mm);
	/* the canonical half-plane: kx in 0 … n, ky signed (kx = 0: ky > 0) */
	for (int ky = -n + 1; ky <= n; ky++)
		for (int kx = 0; kx <= n; kx++) {
			vpm_component_t c;
			double px, py, la, u, mx, my;
			int ibx, iby;

			if (kx == 0 && ky <= 0)
				continue;
			if (hypot(kx, ky) < resolve ||
			    norm * half_mag(&h, kx, ky) < min_modulation ||
			    !is_local_max(&h, kx, ky))
				continue;
			if (!read_peak(&h, kx, ky, 0.0, &ibx, &iby, &px, &py, &la))
				continue;
			memset(&c, 0, sizeof c);
			c.channel = ch->channel;
			c.modulation = norm * exp(la);
			if (c.modulation < min_modulation)
				continue;
			mx = px * fbin;
			my = py * fbin;
			canonical(&mx, &my);
			c.nu_x_cy_mm = mx;
			c.nu_y_cy_mm = my;
			c.nu_cy_mm = hypot(mx, my);
			c.visibility = score(ch, ms, c.nu_x_cy_mm, c.nu_y_cy_mm, c.modulation, &u);
			c.cy_deg = u;
			if ((st = list_push(list, &c)) != VPM_OK)
				return st;
		}
	return VPM_OK;
}
