/* Label placement: a list of occupied boxes and a candidate search. */
#include <config.h>

#include <math.h>
#include <stdlib.h>

#include "plot_private.h"

int vpm_box_overlap(vpm_box_t a, vpm_box_t b)
{
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

void vpm_placer_init(vpm_placer_t *p, vpm_box_t bounds)
{
	p->bounds = bounds;
	p->n = 0;
	p->cap = 0;
	p->boxes = NULL;
}

void vpm_placer_release(vpm_placer_t *p)
{
	if (!p)
		return;
	free(p->boxes);
	p->boxes = NULL;
	p->n = 0;
	p->cap = 0;
}

vpm_status_t vpm_placer_reserve(vpm_placer_t *p, vpm_box_t box)
{
	if (!p)
		return vpm_error_set(VPM_EINVAL, "label placer: NULL");
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		vpm_box_t *nb;

		if (cap > ((size_t)-1) / sizeof *nb)
			return vpm_error_set(VPM_ENOMEM, "label placer: too many boxes");
		nb = realloc(p->boxes, cap * sizeof *nb);
		if (!nb)
			return vpm_error_set(VPM_ENOMEM,
					     "label placer: out of memory for %zu boxes", cap);
		p->boxes = nb;
		p->cap = cap;
	}
	p->boxes[p->n++] = box;
	return VPM_OK;
}

int vpm_placer_fits(const vpm_placer_t *p, vpm_box_t box)
{
	size_t i;

	if (box.x0 < p->bounds.x0 || box.x1 > p->bounds.x1 || box.y0 < p->bounds.y0 ||
	    box.y1 > p->bounds.y1)
		return 0;
	for (i = 0; i < p->n; i++)
		if (vpm_box_overlap(box, p->boxes[i]))
			return 0;
	return 1;
}

vpm_status_t vpm_placer_place(vpm_placer_t *p, double x, double y, double w, double h,
			      double gap_mm, vpm_box_t *box, vpm_place_t *how)
{
	/* Candidate directions, in order of preference: right of the anchor
	 * (reading order), its diagonals, left, then above and below.  (dx, dy)
	 * say on which side of the anchor the box goes, -1, 0 or 1. */
	static const int dir[8][2] = { { 1, 0 },   { 1, -1 }, { 1, 1 },	 { -1, 0 },
				       { -1, -1 }, { -1, 1 }, { 0, -1 }, { 0, 1 } };
	static const double ring[3] = { 1.0, 3.0, 6.0 };
	int r, d;

	if (!p || !box || !how || !(w >= 0.0) || !(h >= 0.0) || !(gap_mm >= 0.0) || !isfinite(x) ||
	    !isfinite(y))
		return vpm_error_set(VPM_EINVAL, "label placer: invalid label or anchor");
	*how = VPM_PLACE_NONE;
	for (r = 0; r < 3; r++) {
		double g = gap_mm * ring[r];

		for (d = 0; d < 8; d++) {
			vpm_box_t b;
			double cx = x + dir[d][0] * (g + w / 2.0);
			double cy = y + dir[d][1] * (g + h / 2.0);

			b.x0 = cx - w / 2.0;
			b.x1 = cx + w / 2.0;
			b.y0 = cy - h / 2.0;
			b.y1 = cy + h / 2.0;
			if (vpm_placer_fits(p, b)) {
				vpm_status_t st = vpm_placer_reserve(p, b);

				if (st != VPM_OK)
					return st;
				*box = b;
				*how = r == 0 ? VPM_PLACE_NEAR : VPM_PLACE_LEADER;
				return VPM_OK;
			}
		}
	}
	return VPM_OK;
}
