/* Contour lines by marching squares, joined into polylines.
 *
 * Node (i, j) holds z[j·nx + i] at (x[i], y[j]).  A cell's corners are
 * numbered counter-clockwise from (i, j): c0 (i, j), c1 (i+1, j),
 * c2 (i+1, j+1), c3 (i, j+1); its edges bottom (c0 c1), right (c1 c2),
 * top (c3 c2), left (c0 c3).  Every edge of the grid has one id, so the two
 * segments that meet at a crossing point share it; chains of segments are
 * then walked edge to edge. */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "plot_private.h"

typedef struct {
	const double *x, *y, *z;
	size_t nx, ny;
	size_t nh; /* horizontal edges: (nx - 1) · ny */
	double level;
	int log_z;
} field_t;

static double value(const field_t *f, size_t i, size_t j)
{
	double v = f->z[j * f->nx + i];

	if (f->log_z)
		return v > 0.0 ? log10(v) : NAN;
	return v;
}

static size_t edge_h(const field_t *f, size_t i, size_t j)
{
	return j * (f->nx - 1) + i;
}

static size_t edge_v(const field_t *f, size_t i, size_t j)
{
	return f->nh + j * f->nx + i;
}

/* The crossing point on an edge, linear interpolation between its nodes. */
static void edge_point(const field_t *f, size_t e, double *px, double *py)
{
	size_t i, j, i1, j1;
	double z0, z1, t;

	if (e < f->nh) {
		i = e % (f->nx - 1);
		j = e / (f->nx - 1);
		i1 = i + 1;
		j1 = j;
	} else {
		i = (e - f->nh) % f->nx;
		j = (e - f->nh) / f->nx;
		i1 = i;
		j1 = j + 1;
	}
	z0 = value(f, i, j);
	z1 = value(f, i1, j1);
	/* The nodes lie on both sides of the level, so z0 != z1. */
	t = (f->level - z0) / (z1 - z0);
	*px = f->x[i] + t * (f->x[i1] - f->x[i]);
	*py = f->y[j] + t * (f->y[j1] - f->y[j]);
}

static int monotonic(const double *v, size_t n)
{
	size_t k;
	int up = v[1] > v[0];

	for (k = 0; k < n; k++) {
		if (!isfinite(v[k]))
			return 0;
		if (k > 0 && (up ? !(v[k] > v[k - 1]) : !(v[k] < v[k - 1])))
			return 0;
	}
	return 1;
}

void vpm_contour_free(vpm_contour_t *c)
{
	size_t k;

	if (!c)
		return;
	for (k = 0; k < c->count; k++) {
		free(c->lines[k].x);
		free(c->lines[k].y);
	}
	free(c->lines);
	free(c);
}

/* Append the chain of edges chain[0..n) as a polyline. */
static vpm_status_t add_line(vpm_contour_t *c, size_t *cap, const field_t *f, const size_t *chain,
			     size_t n, int closed)
{
	vpm_polyline_t *pl;
	size_t k;

	if (c->count == *cap) {
		size_t nc = *cap ? 2 * *cap : 8;
		vpm_polyline_t *nl = realloc(c->lines, nc * sizeof *nl);

		if (!nl)
			return vpm_error_set(VPM_ENOMEM, "contour: out of memory");
		c->lines = nl;
		*cap = nc;
	}
	pl = &c->lines[c->count];
	pl->x = malloc(n * sizeof *pl->x);
	pl->y = malloc(n * sizeof *pl->y);
	if (!pl->x || !pl->y) {
		free(pl->x);
		free(pl->y);
		return vpm_error_set(VPM_ENOMEM, "contour: out of memory for %zu points", n);
	}
	for (k = 0; k < n; k++)
		edge_point(f, chain[k], &pl->x[k], &pl->y[k]);
	pl->n = n;
	pl->closed = closed;
	c->count++;
	return VPM_OK;
}

/* Follow segments from edge `e` along segment `s`, writing the edges met to
 * chain; returns their number and whether the chain closed on itself. */
static size_t walk(const size_t *seg, const long *at, unsigned char *used, size_t e, size_t s,
		   size_t *chain, int *closed)
{
	size_t n = 0, start = e;

	chain[n++] = e;
	*closed = 0;
	for (;;) {
		size_t e2 = seg[2 * s] == e ? seg[2 * s + 1] : seg[2 * s];
		long s2;

		used[s] = 1;
		if (e2 == start) {
			*closed = 1;
			return n;
		}
		chain[n++] = e2;
		s2 = at[2 * e2] == (long)s ? at[2 * e2 + 1] : at[2 * e2];
		if (s2 < 0 || used[s2])
			return n;
		e = e2;
		s = (size_t)s2;
	}
}

vpm_status_t vpm_contour_compute(const double *x, const double *y, size_t nx, size_t ny,
				 const double *z, double level, int log_z, vpm_contour_t **out)
{
	field_t f;
	vpm_contour_t *c = NULL;
	size_t *seg = NULL, *chain = NULL, nseg = 0, ncell, nedge, i, j, e, cap = 0;
	long *at = NULL;
	unsigned char *used = NULL;
	vpm_status_t st = VPM_OK;

	if (!x || !y || !z || !out)
		return vpm_error_set(VPM_EINVAL, "contour: NULL argument");
	if (nx < 2 || ny < 2)
		return vpm_error_set(VPM_EINVAL, "contour: grid %zu × %zu is smaller than 2 × 2",
				     nx, ny);
	if (nx > SIZE_MAX / 64 / ny)
		return vpm_error_set(VPM_ENOMEM, "contour: grid %zu × %zu is too large", nx, ny);
	if (!monotonic(x, nx) || !monotonic(y, ny))
		return vpm_error_set(VPM_EINVAL, "contour: coordinates must be finite and strictly "
						 "monotonic");
	if (!isfinite(level) || (log_z && !(level > 0.0)))
		return vpm_error_set(VPM_EINVAL, "contour: level %g is not usable%s", level,
				     log_z ? " on a log scale" : "");
	f.x = x;
	f.y = y;
	f.z = z;
	f.nx = nx;
	f.ny = ny;
	f.nh = (nx - 1) * ny;
	f.level = log_z ? log10(level) : level;
	f.log_z = log_z;
	ncell = (nx - 1) * (ny - 1);
	nedge = f.nh + nx * (ny - 1);

	c = calloc(1, sizeof *c);
	seg = malloc(4 * ncell * sizeof *seg); /* at most 2 segments per cell */
	at = malloc(2 * nedge * sizeof *at);   /* segments meeting at an edge */
	used = calloc(2 * ncell, 1);
	chain = malloc((2 * ncell + 1) * sizeof *chain);
	if (!c || !seg || !at || !used || !chain) {
		st = vpm_error_set(VPM_ENOMEM, "contour: out of memory for %zu × %zu", nx, ny);
		goto fail;
	}
	c->level = level;
	for (e = 0; e < 2 * nedge; e++)
		at[e] = -1;

	for (j = 0; j + 1 < ny; j++) {
		for (i = 0; i + 1 < nx; i++) {
			double v[4] = { value(&f, i, j), value(&f, i + 1, j),
					value(&f, i + 1, j + 1), value(&f, i, j + 1) };
			size_t ed[4] = { edge_h(&f, i, j), edge_v(&f, i + 1, j),
					 edge_h(&f, i, j + 1), edge_v(&f, i, j) };
			size_t pair[4], np = 0, k;
			int in[4], code = 0;

			if (isnan(v[0]) || isnan(v[1]) || isnan(v[2]) || isnan(v[3]))
				continue;
			for (k = 0; k < 4; k++) {
				in[k] = v[k] >= f.level;
				code |= in[k] << k;
			}
			if (code == 0 || code == 15)
				continue;
			if (code == 5 || code == 10) {
				/* Saddle: the mean of the corners decides whether the
				 * inside corners connect through the centre. */
				int centre_in = (v[0] + v[1] + v[2] + v[3]) / 4.0 >= f.level;

				if (centre_in == (code == 5)) {
					/* cut off c1 (bottom, right) and c3 (top, left) */
					pair[0] = ed[0], pair[1] = ed[1];
					pair[2] = ed[2], pair[3] = ed[3];
				} else {
					/* cut off c0 (left, bottom) and c2 (right, top) */
					pair[0] = ed[3], pair[1] = ed[0];
					pair[2] = ed[1], pair[3] = ed[2];
				}
				np = 4;
			} else {
				/* Edge k joins corners k and k+1 (mod 4). */
				for (k = 0; k < 4; k++)
					if (in[k] != in[(k + 1) % 4])
						pair[np++] = ed[k];
			}
			for (k = 0; k + 1 < np; k += 2) {
				size_t a = pair[k], b = pair[k + 1];

				seg[2 * nseg] = a;
				seg[2 * nseg + 1] = b;
				at[2 * a + (at[2 * a] >= 0)] = (long)nseg;
				at[2 * b + (at[2 * b] >= 0)] = (long)nseg;
				nseg++;
			}
		}
	}

	/* Open chains first, starting at edges with a single segment (grid
	 * border or a NaN neighbour), then the closed loops left over. */
	for (e = 0; e < nedge && st == VPM_OK; e++) {
		int closed;
		size_t n;

		if (at[2 * e] < 0 || at[2 * e + 1] >= 0 || used[at[2 * e]])
			continue;
		n = walk(seg, at, used, e, (size_t)at[2 * e], chain, &closed);
		st = add_line(c, &cap, &f, chain, n, closed);
	}
	for (i = 0; i < nseg && st == VPM_OK; i++) {
		int closed;
		size_t n;

		if (used[i])
			continue;
		n = walk(seg, at, used, seg[2 * i], i, chain, &closed);
		st = add_line(c, &cap, &f, chain, n, closed);
	}
	if (st != VPM_OK)
		goto fail;
	free(seg);
	free(at);
	free(used);
	free(chain);
	*out = c;
	return VPM_OK;
fail:
	free(seg);
	free(at);
	free(used);
	free(chain);
	vpm_contour_free(c);
	return st;
}
