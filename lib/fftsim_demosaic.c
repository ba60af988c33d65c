/* Demosaicing an RGGB mosaic: bilinear, and Hamilton–Adams (edge-aware).
 *
 * Hamilton & Adams, "Adaptive color plan interpolation in single sensor
 * color electronic camera", US patent 5,629,734 (1997): green at a red or
 * blue site is interpolated along the direction (horizontal or vertical)
 * where the green gradient plus the second difference of the site's own
 * colour is smaller, with that second difference as a correction; red and
 * blue are then filled in as colour differences to green, the diagonal
 * ones again along the smoother diagonal.
 */
#include <config.h>

#include <math.h>

#include "fftsim_private.h"

/* RGGB: colour of photosite (x, y): 0 red, 1 green, 2 blue. */
static int cfa_colour(int x, int y)
{
	if ((y & 1) == 0)
		return (x & 1) == 0 ? 0 : 1;
	return (x & 1) == 0 ? 1 : 2;
}

/* Mirror an index into [0, n) about the edge samples; a step of two keeps
 * the Bayer parity (−1 → 1, n → n − 2). */
static int mirror(int i, int n)
{
	while (i < 0 || i >= n) {
		if (i < 0)
			i = -i;
		if (i >= n)
			i = 2 * (n - 1) - i;
	}
	return i;
}

static double at(const double *m, int n, int x, int y)
{
	return m[(size_t)mirror(y, n) * (size_t)n + (size_t)mirror(x, n)];
}

static void bilinear(const double *m, int n, double *rgb)
{
	VPM_OMP_FOR
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n; x++) {
			double *o = rgb + ((size_t)y * (size_t)n + (size_t)x) * 3;
			double c = at(m, n, x, y);
			double h = 0.5 * (at(m, n, x - 1, y) + at(m, n, x + 1, y));
			double v = 0.5 * (at(m, n, x, y - 1) + at(m, n, x, y + 1));
			double cross = 0.25 * (at(m, n, x - 1, y) + at(m, n, x + 1, y) +
					       at(m, n, x, y - 1) + at(m, n, x, y + 1));
			double diag = 0.25 * (at(m, n, x - 1, y - 1) + at(m, n, x + 1, y - 1) +
					      at(m, n, x - 1, y + 1) + at(m, n, x + 1, y + 1));

			switch (cfa_colour(x, y)) {
			case 0:
				o[0] = c;
				o[1] = cross;
				o[2] = diag;
				break;
			case 2:
				o[0] = diag;
				o[1] = cross;
				o[2] = c;
				break;
			default:
				/* green: red neighbours left/right on red rows */
				if ((y & 1) == 0) {
					o[0] = h;
					o[2] = v;
				} else {
					o[0] = v;
					o[2] = h;
				}
				o[1] = c;
			}
		}
	}
}

static void hamilton_adams(const double *m, int n, double *rgb)
{
	/* Pass 1: green everywhere. */
	VPM_OMP_FOR
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n; x++) {
			double *o = rgb + ((size_t)y * (size_t)n + (size_t)x) * 3;
			double c = at(m, n, x, y);
			double gl, gr, gu, gd, lap_h, lap_v, dh, dv, gh, gv;

			if (cfa_colour(x, y) == 1) {
				o[1] = c;
				continue;
			}
			gl = at(m, n, x - 1, y);
			gr = at(m, n, x + 1, y);
			gu = at(m, n, x, y - 1);
			gd = at(m, n, x, y + 1);
			lap_h = 2.0 * c - at(m, n, x - 2, y) - at(m, n, x + 2, y);
			lap_v = 2.0 * c - at(m, n, x, y - 2) - at(m, n, x, y + 2);
			dh = fabs(gl - gr) + fabs(lap_h);
			dv = fabs(gu - gd) + fabs(lap_v);
			gh = 0.5 * (gl + gr) + 0.25 * lap_h;
			gv = 0.5 * (gu + gd) + 0.25 * lap_v;
			o[1] = dh < dv ? gh : dv < dh ? gv : 0.5 * (gh + gv);
		}
	}
	/* Pass 2: red and blue as differences to green. */
	VPM_OMP_FOR
	for (int y = 0; y < n; y++) {
		for (int x = 0; x < n; x++) {
			double *o = rgb + ((size_t)y * (size_t)n + (size_t)x) * 3;
			int col = cfa_colour(x, y);
#define G(xx, yy) rgb[((size_t)mirror(yy, n) * (size_t)n + (size_t)mirror(xx, n)) * 3 + 1]
#define M(xx, yy) at(m, n, xx, yy)
			if (col == 1) {
				/* green site: horizontal neighbours are red on red rows */
				double dh = 0.5 * ((M(x - 1, y) - G(x - 1, y)) +
						   (M(x + 1, y) - G(x + 1, y)));
				double dv = 0.5 * ((M(x, y - 1) - G(x, y - 1)) +
						   (M(x, y + 1) - G(x, y + 1)));
				if ((y & 1) == 0) {
					o[0] = o[1] + dh;
					o[2] = o[1] + dv;
				} else {
					o[0] = o[1] + dv;
					o[2] = o[1] + dh;
				}
			} else {
				/* red or blue site: the other colour sits on the diagonals */
				double c = M(x, y);
				double a1 = M(x - 1, y - 1), a2 = M(x + 1, y + 1);
				double b1 = M(x + 1, y - 1), b2 = M(x - 1, y + 1);
				double dn = fabs(a1 - a2) +
					    fabs(2.0 * o[1] - G(x - 1, y - 1) - G(x + 1, y + 1));
				double dp = fabs(b1 - b2) +
					    fabs(2.0 * o[1] - G(x + 1, y - 1) - G(x - 1, y + 1));
				double vn = o[1] +
					    0.5 * ((a1 - G(x - 1, y - 1)) + (a2 - G(x + 1, y + 1)));
				double vp = o[1] +
					    0.5 * ((b1 - G(x + 1, y - 1)) + (b2 - G(x - 1, y + 1)));
				double other = dn < dp ? vn : dp < dn ? vp : 0.5 * (vn + vp);
				if (col == 0) {
					o[0] = c;
					o[2] = other;
				} else {
					o[2] = c;
					o[0] = other;
				}
			}
#undef G
#undef M
		}
	}
}

void vpm_fftsim_demosaic(const double *mosaic, int n, vpm_demosaic_t method, double *rgb)
{
	if (method == VPM_DEMOSAIC_HAMILTON_ADAMS)
		hamilton_adams(mosaic, n, rgb);
	else
		bilinear(mosaic, n, rgb);
}
