"""The C side: libvpmoire's declarations for cffi, and finding the library.

ABI mode (cffi.FFI().dlopen): nothing is compiled when the package is
installed, so `pip install ./python` needs no compiler and no Python
headers, and one package works with any build of the library whose
structures match these declarations (python/tests checks them against the
C compiler's sizeof/offsetof).  The declarations below restate the public
headers in lib/vpmoire/ (predict.h, catalog.h, batch.h, plan.h, chart.h,
status.h, types.h, setupfield.h); keep them in step when a structure grows (fields are
only ever added at the end of a structure).
"""
import ctypes.util
import os

import cffi

CDEF = r"""
typedef enum {
    VPM_OK = 0, VPM_EINVAL, VPM_ERANGE, VPM_ENOMEM, VPM_EIO, VPM_EPARSE,
    VPM_ENOTFOUND, VPM_EGEOMETRY, VPM_ELIMIT, VPM_EINTERNAL
} vpm_status_t;
const char *vpm_strerror(vpm_status_t status);
const char *vpm_error_message(void);
void vpm_error_clear(void);

typedef enum { VPM_CFA_BAYER = 0, VPM_CFA_MONO } vpm_cfa_t;
typedef enum { VPM_CHROMA_FULL = 0, VPM_CHROMA_LUMA, VPM_CHROMA_OPPONENT,
               VPM_CHROMA_AUTO } vpm_chroma_t;
typedef enum { VPM_MODEL_FIELD = 0, VPM_MODEL_IDEAL } vpm_model_t;
typedef enum { VPM_BAND_AUTO = 0, VPM_BAND_WORST, VPM_BAND_EXPECTED } vpm_band_t;
typedef enum { VPM_RESAMPLE_AUTO = 0, VPM_RESAMPLE_BOX, VPM_RESAMPLE_BICUBIC,
               VPM_RESAMPLE_LANCZOS3 } vpm_resample_t;
typedef enum { VPM_CHANNEL_NONE = -1, VPM_CHANNEL_LUMA = 0, VPM_CHANNEL_RED = 1,
               VPM_CHANNEL_BLUE = 2 } vpm_channel_t;
typedef enum { VPM_RISK_SAFE = 0, VPM_RISK_CAUTION, VPM_RISK_RISKY } vpm_risk_t;
typedef enum { VPM_VIEWING_AUTO = 0, VPM_VIEWING_CUSTOM, VPM_VIEWING_CINEMA,
               VPM_VIEWING_UHD_TV, VPM_VIEWING_HD_TV, VPM_VIEWING_GRADING,
               VPM_VIEWING_PHONE } vpm_viewing_t;

typedef struct {
    double pitch_mm; double emitter_mm;
    double photosite_um; int width_px; double olpf_um; double fill;
    vpm_cfa_t cfa; int recording_px;
    double focal_mm; double stop; int lens_mtf_n; double lens_mtf_stop;
    double lens_mtf_cy_mm[8]; double lens_mtf[8];
    double wall_m; double focus_m;
    int delivery_px; double aspect; double view_heights; double luminance_cd_m2;
    double grade_gain; double roll_deg; double tolerance; vpm_chroma_t chroma;
    double coc_mm; double caution_at; double risky_at;
    vpm_model_t model; vpm_viewing_t viewing; vpm_resample_t resample; vpm_band_t band;
    double pupil_edge; double content_contrast; double transmission;
    double squeeze;
} vpm_setup_t;

typedef struct {
    vpm_model_t model; vpm_chroma_t chroma; vpm_resample_t resample; vpm_band_t band;
    vpm_viewing_t viewing; double view_heights; double luminance_cd_m2; double aspect;
    double pupil_edge; double content_contrast;
} vpm_model_choice_t;

typedef struct {
    int k, l; vpm_channel_t channel; int aliased;
    double nu_x_cy_mm; double nu_y_cy_mm; double nu_cy_mm; double cy_deg;
    double modulation; double visibility; double visibility_worst;
    double visibility_expected;
} vpm_component_t;

typedef struct {
    double magnification; double led_frequency_cy_mm; double led_pitch_px;
    double nyquist_cy_mm; double wall_blur_mm; double wall_blur_pitches;
    double defocus_waves; double coc_mm; double dof_near_m; double dof_far_m;
    double hyperfocal_m;
    double moire_visibility, moire_modulation, moire_beat_cy_mm, moire_cy_deg;
    vpm_channel_t moire_channel;
    double grid_visibility, grid_modulation, grid_cy_mm, grid_cy_deg;
    vpm_channel_t grid_channel;
    vpm_risk_t risk;
    size_t n_top;
    vpm_component_t top[8];
    vpm_model_choice_t choice;
    double moire_visibility_worst; double grid_visibility_worst;
    double moire_visibility_expected; double grid_visibility_expected;
    int driver_is_moire;
    double f_number;
    double led_frequency_x_cy_mm; double led_frequency_y_cy_mm; double squeeze;
} vpm_result_t;

typedef struct vpm_predict_workspace vpm_predict_workspace_t;
vpm_setup_t vpm_setup_default(void);
vpm_predict_workspace_t *vpm_predict_workspace_alloc(void);
void vpm_predict_workspace_free(vpm_predict_workspace_t *ws);
vpm_status_t vpm_predict(const vpm_setup_t *setup, vpm_predict_workspace_t *ws,
                         vpm_result_t *out);
const char *vpm_risk_name(vpm_risk_t risk);
const char *vpm_channel_name(vpm_channel_t channel);
double vpm_result_visibility(const vpm_result_t *r);
const char *vpm_report_field_name(size_t i);
int vpm_report_field_value(size_t i, const vpm_result_t *r, double *number,
                           const char **text);
const char *vpm_model_name(vpm_model_t model);
vpm_status_t vpm_model_parse(const char *name, vpm_model_t *out);
const char *vpm_band_name(vpm_band_t band);
vpm_status_t vpm_band_parse(const char *name, vpm_band_t *out);
const char *vpm_chroma_name(vpm_chroma_t chroma);
vpm_status_t vpm_chroma_parse(const char *name, vpm_chroma_t *out);
const char *vpm_resample_name(vpm_resample_t kernel);
vpm_status_t vpm_resample_parse(const char *name, vpm_resample_t *out);
vpm_status_t vpm_viewing_parse(const char *name, vpm_viewing_t *out);
const char *vpm_viewing_name(vpm_viewing_t v);

typedef struct {
    const char *name; const double *values; ptrdiff_t stride;
} vpm_batch_field_t;
vpm_status_t vpm_predict_batch(const vpm_setup_t *base, const vpm_batch_field_t *fields,
                               size_t n_fields, size_t n, int threads, double *results,
                               int *status);

typedef struct {
    const char *name; const char *flag; size_t offset; int is_int; int nan_is_none;
    unsigned raw;
} vpm_setup_field_t;
size_t vpm_setup_field_count(void);
const vpm_setup_field_t *vpm_setup_field(size_t i);
const vpm_setup_field_t *vpm_setup_field_find(const char *name);

typedef enum { VPM_CATALOG_CAMERAS = 0, VPM_CATALOG_LENSES, VPM_CATALOG_PANELS,
               VPM_CATALOG_KINDS } vpm_catalog_kind_t;
typedef struct {
    const char *name, *maker, *model, *mode;
    double width_mm, height_mm; int width_px, height_px; double photosite_um;
    const char *cfa; double olpf_um; double fill; double coc_mm;
    const char *source; const char *file; long line;
    double readout_ms;
} vpm_camera_t;
typedef struct {
    const char *name, *maker, *series;
    double focal_mm, max_t, min_t; double close_focus_m; double image_circle_mm;
    double mtf_stop; int mtf_n; double mtf_cy_mm[8], mtf[8];
    const char *source; const char *file; long line;
    double pupil_edge; double transmission;
    double squeeze; const char *squeeze_position; double focal_max_mm; double max_t_long;
} vpm_lens_t;
typedef struct {
    const char *name, *maker, *model; double pitch_mm, emitter_mm;
    const char *package; double cabinet_w_mm, cabinet_h_mm;
    int cabinet_px_w, cabinet_px_h; double weight_kg, power_max_w, power_typ_w;
    const char *source; const char *file; long line; double brightness_nits;
    double refresh_hz; int scan_ratio; int pwm_bits;
} vpm_panel_t;
typedef struct vpm_catalog vpm_catalog_t;
vpm_catalog_t *vpm_catalog_alloc(void);
void vpm_catalog_free(vpm_catalog_t *cat);
vpm_status_t vpm_catalog_load_file(vpm_catalog_t *cat, const char *path,
                                   vpm_catalog_kind_t *kind);
vpm_status_t vpm_catalog_load_dir(vpm_catalog_t *cat, const char *dir);
vpm_status_t vpm_catalog_load_path(vpm_catalog_t *cat, const char *list);
size_t vpm_catalog_count(const vpm_catalog_t *cat, vpm_catalog_kind_t kind);
const vpm_camera_t *vpm_catalog_camera(const vpm_catalog_t *cat, size_t i);
const vpm_lens_t *vpm_catalog_lens(const vpm_catalog_t *cat, size_t i);
const vpm_panel_t *vpm_catalog_panel(const vpm_catalog_t *cat, size_t i);
vpm_status_t vpm_catalog_find_camera(const vpm_catalog_t *cat, const char *name,
                                     const vpm_camera_t **out);
vpm_status_t vpm_catalog_find_lens(const vpm_catalog_t *cat, const char *name,
                                   const vpm_lens_t **out);
vpm_status_t vpm_catalog_find_panel(const vpm_catalog_t *cat, const char *name,
                                    const vpm_panel_t **out);
void vpm_setup_from_catalog(const vpm_setup_t *defaults, unsigned raw,
                            const vpm_panel_t *panel, const vpm_camera_t *camera,
                            const vpm_lens_t *lens, vpm_setup_t *out,
                            const vpm_lens_t **lens_used);
vpm_status_t vpm_lens_check(const vpm_lens_t *l, double stop, double focus_m);

typedef struct { double near_m, far_m; } vpm_subject_t;
int vpm_plan_subject_in_dof(const vpm_result_t *r, vpm_subject_t subject);
typedef struct {
    double stop; double focus_m; vpm_result_t result; int subject_sharp;
} vpm_focus_choice_t;
vpm_status_t vpm_plan_focus(const vpm_setup_t *setup, vpm_subject_t subject,
                            vpm_predict_workspace_t *ws, vpm_focus_choice_t *best,
                            vpm_focus_choice_t *naive);

typedef enum { VPM_CHART_FOCUS_SUBJECT = 0, VPM_CHART_FOCUS_BACK_OF_DOF }
    vpm_chart_focus_rule_t;
typedef enum { VPM_CELL_OK = 0, VPM_CELL_NO_ROOM, VPM_CELL_CLOSE_FOCUS, VPM_CELL_STOP,
               VPM_CELL_DOF, VPM_CELL_LIMIT } vpm_cell_state_t;
typedef struct {
    vpm_setup_t setup; double close_focus_m; double widest_stop; double narrowest_stop;
} vpm_chart_column_t;
typedef void (*vpm_chart_progress_fn)(void *ctx, size_t done, size_t total);
typedef struct {
    const vpm_chart_column_t *columns; size_t nx;
    double wall_min_m, wall_max_m; size_t ny;
    vpm_chart_focus_rule_t rule;
    double subject_gap_m; double subject_depth_m; int focus_steps; int threads;
    vpm_chart_progress_fn progress; void *progress_ctx;
} vpm_chart_spec_t;
vpm_chart_spec_t vpm_chart_spec_default(void);
typedef struct {
    vpm_cell_state_t state; double wall_m; double focus_m;
    double subject_near_m, subject_far_m;
    double moire_visibility, grid_visibility; double visibility; vpm_risk_t risk;
    double wall_blur_mm, wall_blur_pitches; double dof_near_m, dof_far_m;
} vpm_chart_cell_t;
typedef struct {
    size_t nx, ny; double *focal_mm; double *wall_m; double wall_min_m, wall_max_m;
    vpm_chart_cell_t *cells;
} vpm_chart_t;
vpm_status_t vpm_chart_compute(const vpm_chart_spec_t *spec, vpm_chart_t **out);
void vpm_chart_free(vpm_chart_t *chart);
const char *vpm_chart_cell_state_name(vpm_cell_state_t state);
"""

# The structures python/tests compares with the C compiler's layout.
STRUCTS = ("vpm_setup_t", "vpm_result_t", "vpm_model_choice_t", "vpm_component_t",
           "vpm_camera_t", "vpm_lens_t", "vpm_panel_t", "vpm_batch_field_t", "vpm_setup_field_t",
           "vpm_focus_choice_t", "vpm_chart_column_t", "vpm_chart_spec_t",
           "vpm_chart_cell_t", "vpm_chart_t")

# The shared library's soname: libtool's -version-info current - age (0:0:0).
SONAME = "libvpmoire.so.0"

ffi = cffi.FFI()
ffi.cdef(CDEF)


def _paths():
    try:
        from . import _paths as p  # written by `make install` (python/Makefile.am rules)
        return p
    except ImportError:
        return None


def library_candidates():
    """Where the library is looked for, in order: $VPMOIRE_LIBRARY, the
    libdir recorded when the package was installed with the library, then
    the system's search (ctypes.util.find_library, i.e. ldconfig)."""
    out = []
    env = os.environ.get("VPMOIRE_LIBRARY")
    if env:
        out.append(env)
    p = _paths()
    if p is not None and getattr(p, "LIBDIR", None):
        out.append(os.path.join(p.LIBDIR, SONAME))
    found = ctypes.util.find_library("vpmoire")
    if found:
        out.append(found)
    out.append(SONAME)
    return out


def _open():
    errors = []
    for cand in library_candidates():
        try:
            return ffi.dlopen(cand), cand
        except OSError as e:
            errors.append("%s (%s)" % (cand, e))
            if os.environ.get("VPMOIRE_LIBRARY") == cand:
                break  # an explicit choice that fails is an error, not a fallback
    raise ImportError("vpmoire: cannot load libvpmoire: tried " + "; ".join(errors) +
                      ". Install vpmoire (make install) or set VPMOIRE_LIBRARY to the "
                      "path of libvpmoire.so.0")


lib, library_path = _open()
