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

vpm_status_t vpm_fftsim_measure_channel(fft_ctx_t *fft, const meas_channel_t *ch,
					const meas_setup_t *ms, double *pad, meas_list_t *list)
{
	int n = ch->n, n2 = 2 * n, ld = 2 * (n2 / 2 + 1);
	double *w = NULL, sw, mean = 0.0, fbin, nu_c, smin, norm, radius;
	const double *J = ms->jac;
	fft_entry_t *plan;
	found_t *found = NULL;
	size_t nf = 0, capf = 0;
	half_t h;
	vpm_status_t st;
	int kmax;

	if ((st = vpm_fft_plan(fft, FFT_R2C, n2, n2, pad, &plan)) != VPM_OK)
		return st;
	for (size_t i = 0; i < (size_t)n * n; i++)
		mean += ch->img[i];
	mean /= (double)n * n;
	if (!(mean > 0.0))
		return VPM_OK; /* a black patch has no modulation */
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
	h.d = (const fftw_complex *)pad;
	h.n0 = n2;
	h.n1 = n2;
	fbin = 1.0 / (n2 * ch->pitch_mm);
	norm = 2.0 / (mean * sw * sw);
	radius = 2.0 + 2.0 * ms->chirp_bins;

	/* Harmonics that pass the lens: |ν| < 1/(λN); |ν| ≥ σ_min·|(k, l)|/p. */
	nu_c = 1.0 / (ch->wavelength_nm * 1e-6 * ms->stop);
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
	for (int k = 0; k <= kmax; k++) {
		for (int l = -kmax; l <= kmax; l++) {
			double nx, ny, fx, fy, gain, bx, by, best = 0.0, ox, oy, rx, ry, la, px, py;
			double mod, mx, my, mag0;
			int aliased, ibx = 0, iby = 0, have = 0, r;
			size_t i;

			if (k == 0 && l <= 0)
				continue;
			/* local frequency of harmonic (k, l): ∇ of 2π(k·u + l·v)/p */
			nx = (k * J[0] + l * J[2]) / ms->pitch_mm;
			ny = (k * J[1] + l * J[3]) / ms->pitch_mm;
			if (hypot(nx, ny) >= nu_c)
				continue;
			vpm_sensor_chain_apply(&ch->chain, nx, ny, &fx, &fy, &gain, &aliased);
			/* closer to DC than two bins of the unpadded patch: a
			 * fringe longer than half the patch cannot be measured */
			if (hypot(fx, fy) * n * ch->pitch_mm < 2.0)
				continue;
			canonical(&fx, &fy);
			bx = fx / fbin;
			by = fy / fbin;
			r = (int)ceil(radius);
			for (int iy = (int)floor(by) - r; iy <= (int)ceil(by) + r; iy++)
				for (int ix = (int)floor(bx) - r; ix <= (int)ceil(bx) + r; ix++) {
					double v;
					if (hypot(ix - bx, iy - by) > radius)
						continue;
					v = half_mag(&h, ix, iy);
					if (v > best && is_local_max(&h, ix, iy)) {
						best = v;
						ibx = ix;
						iby = iy;
						have = 1;
					}
				}
			if (!have)
				continue;
			mag0 = log(best);
			log_parabola(log(fmax(half_mag(&h, ibx - 1, iby), 1e-300)), mag0,
				     log(fmax(half_mag(&h, ibx + 1, iby), 1e-300)), &ox, &rx);
			log_parabola(log(fmax(half_mag(&h, ibx, iby - 1), 1e-300)), mag0,
				     log(fmax(half_mag(&h, ibx, iby + 1), 1e-300)), &oy, &ry);
			la = mag0 + rx + ry;
			px = ibx + ox;
			py = iby + oy;
			mod = norm * exp(la);
			mx = px * fbin;
			my = py * fbin;
			canonical(&mx, &my);
			{
				/* canonical peak bin for de-duplication */
				int cbx = ibx, cby = iby;
				double dist = hypot(px - bx, py - by);
				if (cbx < 0 || (cbx == 0 && cby < 0)) {
					cbx = -cbx;
					cby = -cby;
				}
				for (i = 0; i < nf; i++)
					if (found[i].bx == cbx && found[i].by == cby)
						break;
				if (i < nf) {
					/* one peak, two harmonics: the nearer owns it;
					 * coincident ones (within half a padded bin)
					 * count as aliased if either is (the safe side) */
					if (fabs(dist - found[i].dist) < 0.5) {
						found[i].c.aliased |= aliased;
					} else if (dist < found[i].dist) {
						found[i].c.k = k;
						found[i].c.l = l;
						found[i].c.aliased = aliased;
						found[i].dist = dist;
					}
					continue;
				}
				if (nf == capf) {
					size_t cap = capf ? 2 * capf : 64;
					found_t *p = realloc(found, cap * sizeof *p);
					if (p == NULL) {
						free(found);
						return vpm_error(VPM_ENOMEM, "out of memory");
					}
					found = p;
					capf = cap;
				}
				found[nf].bx = cbx;
				found[nf].by = cby;
				found[nf].dist = dist;
				found[nf].c.k = k;
				found[nf].c.l = l;
				found[nf].c.channel = ch->channel;
				found[nf].c.aliased = aliased;
				found[nf].c.nu_x_cy_mm = mx;
				found[nf].c.nu_y_cy_mm = my;
				found[nf].c.nu_cy_mm = hypot(mx, my);
				found[nf].c.modulation = mod;
				nf++;
			}
		}
	}
	for (size_t i = 0; i < nf; i++) {
		vpm_component_t *c = &found[i].c;
		double u = vpm_vision_cy_deg(c->nu_cy_mm, ms->width_mm, ms->angle_deg);
		c->cy_deg = u;
		double S = ms->opponent ? vpm_vision_colour_eval(&ch->vc, u)
					: vpm_vision_csf(u, ms->luminance, ms->angle_deg);

		if (ms->content_contrast > 0.0)
			S /= vpm_content_masking(ms->content_contrast *
						 vpm_vision_csf(u, ms->luminance, ms->angle_deg));
		c->visibility = ms->gain * ch->weight * c->modulation * S;
		if ((st = list_push(list, c)) != VPM_OK) {
			free(found);
			return st;
		}
	}
	free(found);
	return VPM_OK;
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
