/* vpmoire — the small shared types: sensor mosaics, chroma weighting,
 * model, band and resampler choices, colour channels and risk classes.
 *
 * The bottom of the header tree: it includes nothing, and every header
 * that needs one of these enums (predict.h, panel.h, sensor.h, ...)
 * includes it instead of a header above it.  The names are those the
 * headers always had; vpmoire/predict.h still provides them all.
 */
#ifndef VPMOIRE_TYPES_H
#define VPMOIRE_TYPES_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	VPM_CFA_BAYER = 0, /* RGGB mosaic: luma at pitch a, red and blue at 2a */
	VPM_CFA_MONO	   /* no colour filter: luma only */
} vpm_cfa_t;

typedef enum {
	VPM_CHROMA_FULL = 0, /* red/blue weighted 1 (upper bound) */
	VPM_CHROMA_LUMA,     /* red 0.2126, blue 0.0722 (luminance share) */
	VPM_CHROMA_OPPONENT, /* luminance + red–green + blue–yellow mechanisms,
			      * each with its own CSF (field model) */
	VPM_CHROMA_AUTO	     /* full in the ideal chain, opponent in the field model */
} vpm_chroma_t;

/* Which chain judges a set-up (SPEC §5).  The ideal chain is SPEC §2
 * exactly; the field model (the default) adds what real lenses,
 * resamplers, deliveries and viewers do: doc/model.md. */
typedef enum { VPM_MODEL_FIELD = 0, VPM_MODEL_IDEAL } vpm_model_t;

/* Which statistic over the planning band of defocus drives the verdict:
 * AUTO is the worst case in the ideal chain (SPEC §2 step 4) and the
 * expected value (mean over the band) in the field model. */
typedef enum { VPM_BAND_AUTO = 0, VPM_BAND_WORST, VPM_BAND_EXPECTED } vpm_band_t;

/* Kernel of the recording and delivery downscales.  AUTO: box in the ideal
 * chain (SPEC §2 step 6), Lanczos-3 in the field model. */
typedef enum {
	VPM_RESAMPLE_AUTO = 0,
	VPM_RESAMPLE_BOX,
	VPM_RESAMPLE_BICUBIC,
	VPM_RESAMPLE_LANCZOS3
} vpm_resample_t;

typedef enum {
	VPM_CHANNEL_NONE = -1,
	VPM_CHANNEL_LUMA = 0, /* 555 nm, photosite lattice */
	VPM_CHANNEL_RED = 1,  /* 625 nm, lattice of pitch 2a */
	VPM_CHANNEL_BLUE = 2  /* 465 nm, lattice of pitch 2a */
} vpm_channel_t;

/* The channels' wavelengths in nm, defined once (vpm_sensor_wavelength_nm()
 * gives them by channel): luma at 555 nm, the peak of the photopic
 * luminosity function V(λ) (CIE 1924); red 625 nm and blue 465 nm, the
 * dominant wavelengths the predictor and the FFT engine give the Bayer
 * mosaic's red and blue photosites. */
#define VPM_WAVELENGTH_LUMA_NM 555.0
#define VPM_WAVELENGTH_RED_NM 625.0
#define VPM_WAVELENGTH_BLUE_NM 465.0

typedef enum { VPM_RISK_SAFE = 0, VPM_RISK_CAUTION, VPM_RISK_RISKY } vpm_risk_t;

#ifdef __cplusplus
}
#endif
#endif /* VPMOIRE_TYPES_H */
