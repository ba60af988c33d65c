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
 *   report.h    the commands' text and JSON reports, written to a FILE *
 *   atomic.h    output files that appear whole or not at all
 *   outset.h    sets of output files replaced as a whole
 *   chart.h     safe-shot chart grids (focal length x wall distance)
 *   sweep.h     research sweeps: study enumeration, shards, checkpointed CSV
 *   stage.h     stage descriptions (walls, cabinets)
 *   frame.h     pinhole framing, set-extension share, per-shot set-ups
 *   shotlist.h  shotlist CSV reading
 *   fftsim.h    the FFT engine: render, blur, sample, demosaic, measure
 *   pngio.h     PNG reading and writing
 *   transfer.h  camera transfer functions (BT.709, S-Log3, sRGB)
 *   measure.h   LED moiré measured on camera frames (PNG, TIFF)
 * Link with `pkg-config --libs vpmoire`.
 *
 * ABI, for the 0.x series from its first release on (nothing before it
 * has shipped).  What is stable: the names of the exported
 * functions (exactly the functions declared in these headers; the list is
 * lib/libvpmoire.sym and tests/exports.sh fails if the library exports
 * anything else), the documented meaning of their arguments and statuses,
 * and the numbers of existing enum values (new values are added after the
 * last).  What is not: the size and layout of the structs you declare
 * yourself.  A struct may grow, but only at its end, so existing fields keep
 * their offsets; it still changes size, and since callers allocate these
 * structs (vpm_setup_t s = vpm_setup_default(); vpm_result_t r; ...),
 * a program built against older headers must be recompiled against the new
 * ones.  Beware vpm_setup_t in particular: it is embedded by value in other
 * public structs (vpm_chart_column_t, vpm_frame_verdict_t,
 * vpm_shot_eval_t, vpm_sweep_study_t, vpm_sweep_point_t,
 * vpm_observation_t), and vpm_result_t likewise (vpm_frame_verdict_t,
 * vpm_shot_eval_t, vpm_focus_choice_t and through it vpm_focus_plan_t,
 * vpm_focus_stop_t and vpm_focus_nearest_t), so when either grows, even at its
 * end, every field after it in those structs moves: the enclosing structs
 * change layout, not only size.  0.x makes no promise across minor
 * releases beyond this note; the libtool version (configure.ac,
 * VPM_LT_VERSION) is to be bumped at a release whenever a struct or an
 * exported function changed since the last one.
 */
#ifndef VPMOIRE_VPMOIRE_H
#define VPMOIRE_VPMOIRE_H

#include "vpmoire/atomic.h"
#include "vpmoire/batch.h"
#include "vpmoire/catalog.h"
#include "vpmoire/chart.h"
#include "vpmoire/content.h"
#include "vpmoire/csv.h"
#include "vpmoire/exposure.h"
#include "vpmoire/fftsim.h"
#include "vpmoire/frame.h"
#include "vpmoire/geometry.h"
#include "vpmoire/measure.h"
#include "vpmoire/merge.h"
#include "vpmoire/move.h"
#include "vpmoire/otf.h"
#include "vpmoire/outset.h"
#include "vpmoire/panel.h"
#include "vpmoire/plan.h"
#include "vpmoire/pngio.h"
#include "vpmoire/predict.h"
#include "vpmoire/report.h"
#include "vpmoire/sensor.h"
#include "vpmoire/setupfield.h"
#include "vpmoire/shotlist.h"
#include "vpmoire/stage.h"
#include "vpmoire/stagebom.h"
#include "vpmoire/status.h"
#include "vpmoire/study.h"
#include "vpmoire/sweep.h"
#include "vpmoire/temporal.h"
#include "vpmoire/transfer.h"
#include "vpmoire/types.h"
#include "vpmoire/units.h"
#include "vpmoire/validate.h"
#include "vpmoire/vision.h"

#endif /* VPMOIRE_VPMOIRE_H */
