/* vpmoire — the exposure budget: which stops the light allows.
 *
 * On an LED stage the wall is both the background and often the key light.
 * Its content must be exposed as the DP wants it, so the wall's luminance,
 * the camera's exposure index, the shutter and any ND that stays in decide
 * the smallest usable stop; advice never goes past it (doc/model.md,
 * "Exposure budget").
 */
#ifndef VPMOIRE_EXPOSURE_H
#define VPMOIRE_EXPOSURE_H

#include <stddef.h>

#include "vpmoire/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reflected-light meter calibration constant K (cd/m²·s): a luminance L
 * is rendered mid-grey at N²/t = L·S/K (ISO 2720:1974; 12.5 is the value
 * Canon, Nikon and Sekonic use). */
#define VPM_EXPOSURE_K 12.5

/* Incident-light meter calibration constant C (lux·s) for a flat receptor:
 * N²/t = E·S/C (ISO 2720:1974 gives 240–400; 250 is the lowest common
 * value, which allows the most light and so the widest budget). */
#define VPM_EXPOSURE_C 250.0

/* The wall's peak white when the panel catalog gives none (cd/m²): the
 * lowest published maximum among the LED-volume panels we have sources for
 * (Sony Crystal LED ZRD-2, 1000 cd/m²; DisplayDaily, "Sony Crystal LED",
 * https://displaydaily.com/crystal-led/).  Lower is the cautious side: it
 * allows fewer stops. */
#define VPM_EXPOSURE_WALL_NITS 1000.0

/* The content's mid-grey as a fraction of the wall's peak white: the 18 %
 * grey card, the reflectance a reflected-light meter renders mid-grey
 * (Kodak Gray Card R-27; ISO 2720's K is calibrated near it). */
#define VPM_EXPOSURE_KEY 0.18

typedef enum {
	VPM_LIT_BY_LIGHTS = 0, /* the subject has its own lights: only the wall's
				* own exposure limits the stop */
	VPM_LIT_BY_WALL	       /* the subject is lit by the wall alone (a micro stage
				* with no other light): the subject's exposure too */
} vpm_lit_by_t;

typedef struct {
	double wall_nits;  /* the panel's peak white, cd/m² (0: VPM_EXPOSURE_WALL_NITS) */
	double brightness; /* the processor's brightness setting, 0–1 of peak (1) */
	double key;	   /* content mid-grey as a fraction of peak white (0.18) */
	double ei;	   /* the camera's exposure index (800) */
	double shutter_s;  /* exposure time in seconds (1/48: 180° at 24 fps) */
	double nd_stops;   /* ND that stays in front of the lens, in stops (0) */
	vpm_lit_by_t lit_by;
	double max_stop; /* > 0: the DP's own narrowest stop (--max-stop),
			    * replacing the computed budget */
} vpm_exposure_t;

/* wall 0 (the default), brightness 1, key 0.18, EI 800, 1/48 s, no ND,
 * lit by lights, no override.  EI 800 is the base exposure index of ARRI
 * ALEXA cameras, the usual rating of digital cinema cameras (give --ei for
 * another); 1/48 s is the 180-degree shutter at 24 fps. */
vpm_exposure_t vpm_exposure_default(void);

/* Ranges: wall 0 or 1–100000 cd/m², brightness [0.0001, 1], key [0.0001,
 * 1], EI 25–102400, shutter 1/100000–1 s, ND density 0–6 (0–19.93 stops),
 * max stop 0 or 0.5–128 (lib/exposure.c says where each comes from).
 * VPM_EINVAL / VPM_ERANGE with a message naming the flag. */
vpm_status_t vpm_exposure_validate(const vpm_exposure_t *e);

/* Parse the value `arg` of the vpmoire exposure flag `flag` (without
 * dashes: wall-nits, brightness 40% or 0.4, ei, shutter 1/48 or 180deg@24,
 * nd as an optical density (0.3 a stop; stored in stops), lit-by lights or
 * wall, max-stop T8) into *e, in the range vpm_exposure_validate() holds.
 * The message names the flag ("--ei: '10' must lie in [25, 102400]");
 * nothing is stored on failure.  VPM_EPARSE, VPM_ERANGE, VPM_EINVAL (also
 * for a flag that is not one of these). */
vpm_status_t vpm_exposure_flag_parse(const char *flag, const char *arg, vpm_exposure_t *e);

/* Is `flag` (without dashes) one that vpm_exposure_flag_parse() takes? */
int vpm_exposure_flag_known(const char *flag);

/* The narrowest T-stop at which the key is exposed mid-grey:
 *   the wall:    T² = L·S·t / (K·2^nd), L = key·brightness·peak;
 *   lit by the wall, also the subject: T² = E·S·t / (C·2^nd), with the
 *   illuminance E = π·L at most (a Lambertian wall filling the half-space
 *   in front of the subject; a finite wall gives less), so the budget is
 *   an upper bound.
 * The smaller of the two applies; max_stop > 0 replaces both.  Validates
 * first. */
vpm_status_t vpm_exposure_max_stop(const vpm_exposure_t *e, double *t_stop);

/* "wall 1500 cd/m2 at 100 %, EI 800, 1/48 s, no ND: T19 at most" style
 * summary; returns the length snprintf needed. */
int vpm_exposure_describe(const vpm_exposure_t *e, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_EXPOSURE_H */
