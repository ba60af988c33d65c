/* vpmoire — will an LED wall show moiré in camera?  Umbrella header.
 *
 * Include this one header to use the whole library:
 *   status.h    status codes, per-thread error messages
 *   units.h     lengths with units (m, cm, mm, µm, ft, in)
 *   csv.h       CSV reading
 *   catalog.h   equipment catalogs (cameras, lenses, LED panels)
 *   geometry.h  thin-lens stage geometry, blur, depth of field
 *   otf.h       diffraction, exact defocus OTF, OLPF, photosite, aberrations
 *   panel.h     the LED lattice and its spectrum
 *   sensor.h    CFA channels, folds, recording and delivery stages
 *   vision.h    viewing angle, Barten's contrast sensitivity
 *   predict.h   the fast analytic moiré predictor
 *   plan.h      focus placement and stop/focus advice on top of the predictor
 *   atomic.h    output files that appear whole or not at all
 *   chart.h     safe-shot chart grids (focal length x wall distance)
 *   sweep.h     research sweeps: study enumeration, shards, checkpointed CSV
 *   stage.h     stage descriptions (walls, cabinets)
 *   frame.h     pinhole framing, set-extension share, per-shot set-ups
 *   shotlist.h  shotlist CSV reading
 *   fftsim.h    the FFT engine: render, blur, sample, demosaic, measure
 *   pngio.h     PNG reading and writing
 * Link with `pkg-config --libs vpmoire`.
 */
#ifndef VPMOIRE_VPMOIRE_H
#define VPMOIRE_VPMOIRE_H

#include "vpmoire/atomic.h"
#include "vpmoire/catalog.h"
#include "vpmoire/chart.h"
#include "vpmoire/content.h"
#include "vpmoire/csv.h"
#include "vpmoire/exposure.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/frame.h"
#include "vpmoire/geometry.h"
#include "vpmoire/otf.h"
#include "vpmoire/panel.h"
#include "vpmoire/plan.h"
#include "vpmoire/pngio.h"
#include "vpmoire/predict.h"
#include "vpmoire/sensor.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"
#include "vpmoire/status.h"
#include "vpmoire/sweep.h"
#include "vpmoire/types.h"
#include "vpmoire/units.h"
#include "vpmoire/validate.h"
#include "vpmoire/vision.h"

#endif /* VPMOIRE_VPMOIRE_H */
