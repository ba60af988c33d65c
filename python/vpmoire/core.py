"""Catalogs, set-ups and the predictor (one set-up, or NumPy arrays of them)."""
import math
import os

import numpy as np

from ._ffi import ffi, lib, _paths

STATUS_NAMES = ("ok", "einval", "erange", "enomem", "eio", "eparse", "enotfound",
                "egeometry", "elimit", "einternal")


class Error(Exception):
    """A library error: `message` is vpm_error_message(), `status` the
    vpm_status_t name ("einval", "egeometry", ...)."""

    def __init__(self, status, message):
        self.status = STATUS_NAMES[status] if 0 <= status < len(STATUS_NAMES) else str(status)
        self.message = message
        super().__init__(message)


def _text(p):
    return None if p == ffi.NULL else ffi.string(p).decode()


def _raise(status, context=None):
    msg = _text(lib.vpm_error_message()) or _text(lib.vpm_strerror(status))
    raise Error(status, "%s: %s" % (context, msg) if context else msg)


def _check(status, context=None):
    if status != lib.VPM_OK:
        _raise(status, context)


# The report contract (SPEC §2 step 10), from the library's own table.
REPORT_FIELDS = tuple(_text(lib.vpm_report_field_name(i)) for i in range(17))
_TEXT_FIELDS = ("moire_channel", "risk")
_CHANNELS = np.array(["luma", "red", "blue", None], dtype=object)  # code -1 is index 3
_RISKS = np.array(["safe", "caution", "risky"], dtype=object)

# The library's table of set-up fields (lib/vpmoire/setupfield.h): the
# numbers of `check --json`'s "setup" object that may be arrays
# (vpm_predict_batch's names, in its order), the vpm_raw_field_t bit of
# those, and of cfa, that win over a catalog entry, and the int ones.
_SETUP_TABLE = tuple(lib.vpm_setup_field(i) for i in range(lib.vpm_setup_field_count()))
NUMBER_FIELDS = tuple(_text(f.name) for f in _SETUP_TABLE if f.is_int >= 0)
_RAW_BITS = {_text(f.name): f.raw for f in _SETUP_TABLE if f.raw}
_INT_FIELDS = tuple(_text(f.name) for f in _SETUP_TABLE if f.is_int == 1)
# Text fields of the "setup" object and the parser of each.
_CHOICES = {"model": (lib.vpm_model_parse, "vpm_model_t *"),
            "band": (lib.vpm_band_parse, "vpm_band_t *"),
            "chroma_weight": (lib.vpm_chroma_parse, "vpm_chroma_t *"),
            "resample": (lib.vpm_resample_parse, "vpm_resample_t *"),
            "viewing": (lib.vpm_viewing_parse, "vpm_viewing_t *")}
_SETUP_ATTR = {"chroma_weight": "chroma"}
SETUP_FIELDS = ("panel", "camera", "lens", "cfa", "subject_m") + NUMBER_FIELDS + tuple(_CHOICES)


def _default_catalog_dir():
    env = os.environ.get("VPMOIRE_DATADIR")
    if env:
        return env
    p = _paths()
    if p is not None and getattr(p, "DATADIR", None) and os.path.isdir(p.DATADIR):
        return p.DATADIR
    for d in ("/usr/local/share/vpmoire", "/usr/share/vpmoire"):
        if os.path.isdir(d):
            return d
    raise Error(6, "no catalogs found: set VPMOIRE_DATADIR to the directory of "
                   "cameras.csv, lenses.csv and panels.csv (the tree's models/)")


class Entry:
    """One catalog row: its columns as attributes (and as_dict())."""

    def __init__(self, kind, ptr, fields):
        self.kind = kind
        self._ptr = ptr
        for f in fields:
            v = getattr(ptr, f)
            if isinstance(v, ffi.CData):
                v = _text(v) if ffi.typeof(v) is ffi.typeof("char *") else list(v)
            setattr(self, f, v)

    def as_dict(self):
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __repr__(self):
        return "<vpmoire %s %r>" % (self.kind, self.name)


_KIND_FIELDS = {
    "cameras": ("name", "maker", "model", "mode", "width_mm", "height_mm", "width_px",
                "height_px", "photosite_um", "cfa", "olpf_um", "fill", "coc_mm", "source",
                "file", "line"),
    "lenses": ("name", "maker", "series", "focal_mm", "max_t", "min_t", "close_focus_m",
               "image_circle_mm", "mtf_stop", "mtf_n", "source", "file", "line",
               "pupil_edge", "transmission", "squeeze", "squeeze_position", "focal_max_mm",
               "max_t_long"),
    "panels": ("name", "maker", "model", "pitch_mm", "emitter_mm", "package",
               "cabinet_w_mm", "cabinet_h_mm", "cabinet_px_w", "cabinet_px_h", "weight_kg",
               "power_max_w", "power_typ_w", "source", "file", "line", "brightness_nits"),
}


class Catalog:
    """The equipment catalogs, loaded as the command line loads them: the
    installed models/ (or `directory`), then each entry of
    $VPMOIRE_CATALOG_PATH (':'-separated files or directories), then
    `files`; a later row with the same name overrides an earlier one."""

    def __init__(self, directory=None, files=()):
        cat = lib.vpm_catalog_alloc()
        if cat == ffi.NULL:
            raise MemoryError("vpmoire: out of memory")
        self._cat = ffi.gc(cat, lib.vpm_catalog_free)
        self.directory = directory or _default_catalog_dir()
        _check(lib.vpm_catalog_load_dir(self._cat, self.directory.encode()))
        _check(lib.vpm_catalog_load_path(
            self._cat, os.environ.get("VPMOIRE_CATALOG_PATH", "").encode()))
        for e in files:
            if os.path.isdir(e):
                _check(lib.vpm_catalog_load_dir(self._cat, os.fspath(e).encode()))
            else:
                _check(lib.vpm_catalog_load_file(self._cat, os.fspath(e).encode(), ffi.NULL))

    def _list(self, kind, index, getter):
        n = lib.vpm_catalog_count(self._cat, index)
        return [Entry(kind, getter(self._cat, i), _KIND_FIELDS[kind]) for i in range(n)]

    @property
    def cameras(self):
        return self._list("cameras", lib.VPM_CATALOG_CAMERAS, lib.vpm_catalog_camera)

    @property
    def lenses(self):
        return self._list("lenses", lib.VPM_CATALOG_LENSES, lib.vpm_catalog_lens)

    @property
    def panels(self):
        return self._list("panels", lib.VPM_CATALOG_PANELS, lib.vpm_catalog_panel)

    def _find(self, fn, ctype, kind, name):
        out = ffi.new(ctype)
        _check(fn(self._cat, name.encode(), out), "--" + kind)
        return Entry({"camera": "cameras", "lens": "lenses", "panel": "panels"}[kind],
                     out[0], _KIND_FIELDS[{"camera": "cameras", "lens": "lenses",
                                           "panel": "panels"}[kind]])

    def camera(self, name):
        """The camera named `name` (as --camera finds it); Error otherwise."""
        return self._find(lib.vpm_catalog_find_camera, "vpm_camera_t **", "camera", name)

    def lens(self, name):
        return self._find(lib.vpm_catalog_find_lens, "vpm_lens_t **", "lens", name)

    def panel(self, name):
        return self._find(lib.vpm_catalog_find_panel, "vpm_panel_t **", "panel", name)

    def frame(self, kind):
        """A pandas DataFrame of one kind ("cameras", "lenses", "panels")."""
        import pandas as pd
        return pd.DataFrame([e.as_dict() for e in getattr(self, kind)]).drop(columns="kind")


_default = None


def default_catalog():
    """The Catalog() every call without catalog= uses (loaded once)."""
    global _default
    if _default is None:
        _default = Catalog()
    return _default


def _check_keys(kw):
    for k in kw:
        if k not in SETUP_FIELDS:
            raise TypeError("vpmoire: unknown set-up field %r (one of %s)"
                            % (k, ", ".join(SETUP_FIELDS)))


def _base_setup(kw, catalog, scalars, varying=()):
    """The base vpm_setup_t of a call, as `vpmoire check` builds it from
    its flags (apps/cli.c cli_setup_build): defaults, then the text
    choices and the scalar numbers, then vpm_setup_from_catalog().
    Returns (setup cdata, lens pointer or NULL)."""
    _check_keys(kw)
    d = ffi.new("vpm_setup_t *", lib.vpm_setup_default())
    raw = 0
    for k, (parse, ctype) in _CHOICES.items():
        if kw.get(k) is not None:
            out = ffi.new(ctype)
            _check(parse(str(kw[k]).encode(), out), k)
            setattr(d, _SETUP_ATTR.get(k, k), out[0])
    if kw.get("cfa") is not None:
        c = str(kw["cfa"]).lower()
        if c not in ("bayer", "mono"):
            raise Error(1, "cfa: %r is not bayer or mono" % kw["cfa"])
        d.cfa = lib.VPM_CFA_MONO if c == "mono" else lib.VPM_CFA_BAYER
        raw |= _RAW_BITS["cfa"]
    if ("view_heights" in kw or "luminance_cd_m2" in kw) and kw.get("viewing") is None:
        d.viewing = lib.VPM_VIEWING_CUSTOM  # as --view-heights/--luminance do
    for k, v in scalars.items():
        if k in _INT_FIELDS:
            v = 0 if v is None or (isinstance(v, float) and math.isnan(v)) else int(v)
        setattr(d, k, v)
        raw |= _RAW_BITS.get(k, 0)
    for k in kw:
        raw |= _RAW_BITS.get(k, 0)
    cat = None
    ents = {}
    for kind, fn, ctype in (("panel", lib.vpm_catalog_find_panel, "vpm_panel_t **"),
                            ("camera", lib.vpm_catalog_find_camera, "vpm_camera_t **"),
                            ("lens", lib.vpm_catalog_find_lens, "vpm_lens_t **")):
        ents[kind] = ffi.NULL
        if kw.get(kind) is not None:
            cat = cat or catalog or default_catalog()
            out = ffi.new(ctype)
            _check(fn(cat._cat, str(kw[kind]).encode(), out), "--" + kind)
            ents[kind] = out[0]
    s = ffi.new("vpm_setup_t *")
    lens_used = ffi.new("vpm_lens_t **")
    lib.vpm_setup_from_catalog(d, raw, ents["panel"], ents["camera"], ents["lens"], s,
                               lens_used)
    # the command's own checks (apps/cli.c), with its words
    if s.pitch_mm == 0 and "pitch_mm" not in varying:
        raise Error(1, "no LED panel: give panel=NAME or pitch_mm with emitter_mm")
    if s.emitter_mm == 0 and "emitter_mm" not in varying:
        raise Error(1, "emitter_mm is needed with pitch_mm")
    if s.photosite_um == 0 and "photosite_um" not in varying:
        raise Error(1, "no camera: give camera=NAME or photosite_um with width_px")
    if s.width_px == 0 and "width_px" not in varying:
        raise Error(1, "width_px is needed with photosite_um")
    if s.focal_mm == 0 and "focal_mm" not in varying:
        raise Error(1, "no lens: give lens=NAME or focal_mm")
    if s.stop == 0 and "stop" not in kw:
        raise Error(1, "stop is required with focal_mm (e.g. stop=2.8)")
    return s, lens_used[0], cat


def _focus_default(kw):
    """focus_m defaults to subject_m, as check's --focus does; wall_m is
    required."""
    kw = dict(kw)
    if kw.get("wall_m") is None:
        raise Error(1, "wall_m is required (camera to wall, metres)")
    if kw.get("focus_m") is None:
        if kw.get("subject_m") is None:
            raise Error(1, "give focus_m (or subject_m to focus on the subject)")
        kw["focus_m"] = kw["subject_m"]
    if isinstance(kw["focus_m"], str) and kw["focus_m"] in ("inf", "infinity"):
        kw["focus_m"] = math.inf
    return kw


def _result_dict(r, s, subject_m):
    """Every field of `check --json` a result has, by its name there."""
    out = {}
    num = ffi.new("double *")
    text = ffi.new("char **")
    for i, name in enumerate(REPORT_FIELDS):
        if lib.vpm_report_field_value(i, r, num, text) == 1:
            out[name] = _text(text[0])
        else:
            out[name] = num[0]
    none = r.grid_channel == lib.VPM_CHANNEL_NONE
    out.update({
        "grid_cy_deg": math.nan if none else r.grid_cy_deg,
        "grid_channel": _text(lib.vpm_channel_name(r.grid_channel)),
        "led_pitch_px": r.led_pitch_px,
        "wall_blur_pitches": r.wall_blur_pitches,
        "defocus_waves": r.defocus_waves,
        "visibility": lib.vpm_result_visibility(r),
        "model": _text(lib.vpm_model_name(r.choice.model)),
        "verdict_driver": "moire" if r.driver_is_moire else "grid",
        "verdict_statistic": "worst" if r.choice.band == lib.VPM_BAND_WORST else "expected",
        "moire_visibility_expected": r.moire_visibility_expected,
        "moire_visibility_worst": r.moire_visibility_worst,
        "grid_visibility_expected": r.grid_visibility_expected,
        "grid_visibility_worst": r.grid_visibility_worst,
        "viewing": _text(lib.vpm_viewing_name(r.choice.viewing)),
        "view_heights": r.choice.view_heights,
        "luminance_cd_m2": r.choice.luminance_cd_m2,
        "chroma": _text(lib.vpm_chroma_name(r.choice.chroma)),
        "resample": _text(lib.vpm_resample_name(r.choice.resample)),
        "pupil_edge": r.choice.pupil_edge,
        "content_contrast": r.choice.content_contrast,
        "f_number": r.f_number,
    })
    out["components"] = [{
        "k": c.k, "l": c.l, "channel": _text(lib.vpm_channel_name(c.channel)),
        "aliased": bool(c.aliased), "cy_mm": c.nu_cy_mm, "cy_deg": c.cy_deg,
        "modulation": c.modulation, "visibility": c.visibility,
        "visibility_worst": c.visibility_worst,
        "visibility_expected": c.visibility_expected} for c in r.top[0:r.n_top]]
    if subject_m is not None and subject_m > 0:
        subj = ffi.new("vpm_subject_t *", (subject_m, subject_m))
        out["subject_in_dof"] = bool(lib.vpm_plan_subject_in_dof(r, subj[0]))
    return out


def _predict_one(kw, catalog):
    kw = _focus_default(kw)
    scalars = {k: kw[k] for k in NUMBER_FIELDS if kw.get(k) is not None}
    s, lens, _ = _base_setup(kw, catalog, scalars)
    subject = kw.get("subject_m")
    if subject is not None and subject >= s.wall_m:
        raise Error(1, "subject_m must be closer to the camera than wall_m")
    _check(lib.vpm_lens_check(lens, s.stop, s.focus_m))
    ws = lib.vpm_predict_workspace_alloc()
    if ws == ffi.NULL:
        raise MemoryError("vpmoire: out of memory")
    try:
        r = ffi.new("vpm_result_t *")
        _check(lib.vpm_predict(s, ws, r))
    finally:
        lib.vpm_predict_workspace_free(ws)
    return _result_dict(r, s, subject)


def predict_arrays(catalog=None, threads=0, errors="raise", **setup):
    """The vectorised predictor: any number field of the set-up may be an
    array; they broadcast together (NumPy rules) and every set-up of the
    broadcast shape is judged in C (vpm_predict_batch: OpenMP threads, the
    GIL released).  Returns a dict of arrays of that shape keyed by the
    report contract's names (REPORT_FIELDS): floats, and object arrays of
    text for moire_channel and risk, plus "status" (0 = judged).
    errors="raise" raises Error with the first failing set-up's message;
    errors="nan" leaves NaN (and None) in its cells and its vpm_status_t in
    "status"."""
    if errors not in ("raise", "nan"):
        raise ValueError("errors must be 'raise' or 'nan'")
    _check_keys(setup)
    kw = _focus_default(setup)
    arrays, scalars = {}, {}
    for k in NUMBER_FIELDS + ("subject_m",):
        v = kw.get(k)
        if v is None:
            continue
        a = np.asarray(v, dtype=np.float64)
        if a.ndim == 0 and k != "subject_m":
            scalars[k] = float(a)
        else:
            arrays[k] = a
    shape = np.broadcast_shapes(*[a.shape for a in arrays.values()]) if arrays else ()
    n = int(np.prod(shape, dtype=np.int64))
    subject = arrays.pop("subject_m", None)
    # a focal length other than the lens's drops the lens (and its MTF):
    # judge each distinct focal length with the base it builds
    groups = [(None, scalars)]
    if "focal_mm" in arrays and kw.get("lens") is not None:
        fa = np.broadcast_to(arrays.pop("focal_mm"), shape)
        groups = [(fa == f, dict(scalars, focal_mm=float(f))) for f in np.unique(fa)]
    results = np.full((n, len(REPORT_FIELDS)), np.nan)
    status = np.zeros(n, dtype=np.intc)
    first_error = None
    for mask, sc in groups:
        s, lens, _ = _base_setup(kw, catalog, sc, varying=tuple(arrays))
        flat = {k: np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)
                for k, a in arrays.items()}
        idx = None
        if mask is not None:
            idx = np.flatnonzero(mask.reshape(-1))
            flat = {k: np.ascontiguousarray(a[idx]) for k, a in flat.items()}
        m = n if idx is None else len(idx)
        keep = []
        fields = ffi.new("vpm_batch_field_t[]", max(len(flat), 1))
        for j, (k, a) in enumerate(flat.items()):
            name = ffi.new("char[]", k.encode())
            keep.append(name)
            fields[j].name = name
            fields[j].values = ffi.cast("const double *", ffi.from_buffer(a))
            fields[j].stride = 1
        res = np.empty((m, len(REPORT_FIELDS)))
        st = np.empty(m, dtype=np.intc)
        rc = lib.vpm_predict_batch(s, fields, len(flat), m, threads,
                                   ffi.cast("double *", ffi.from_buffer(res)),
                                   ffi.cast("int *", ffi.from_buffer(st)))
        if rc != lib.VPM_OK and first_error is None:
            first_error = Error(rc, _text(lib.vpm_error_message()))
        if idx is None:
            results, status = res, st
        else:
            results[idx] = res
            status[idx] = st
    # the command's own checks on every set-up: the lens's stop range and
    # close focus (vpm_lens_check), and a subject in front of the wall
    if lens != ffi.NULL and kw.get("lens") is not None:
        stop = np.broadcast_to(np.asarray(kw.get("stop", s.stop), float), shape).reshape(-1)
        focus = np.broadcast_to(np.asarray(kw["focus_m"], float), shape).reshape(-1)
        lo, hi, close = lens.max_t, lens.min_t, lens.close_focus_m
        bad = (stop < lo * (1 - 1e-9)) | ((hi > 0) & (stop > hi * (1 + 1e-9))) | \
              ((close > 0) & np.isfinite(focus) & (focus < close))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            lib.vpm_lens_check(lens, float(stop[i]), float(focus[i]))
            err = Error(2, "set-up %d: %s" % (i, _text(lib.vpm_error_message())))
            if first_error is None or i < int(first_error.message.split(":")[0].split()[-1]):
                first_error = err
            results[bad] = np.nan
            status[bad] = 2
    if subject is not None:
        wall = np.broadcast_to(np.asarray(kw["wall_m"], float), shape).reshape(-1)
        sub = np.broadcast_to(subject, shape).reshape(-1)
        bad = sub >= wall
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            if first_error is None:
                first_error = Error(1, "set-up %d: subject_m must be closer to the camera "
                                       "than wall_m" % i)
            results[bad] = np.nan
            status[bad] = 1
    if first_error is not None and errors == "raise":
        raise first_error
    out = {}
    for j, name in enumerate(REPORT_FIELDS):
        col = results[:, j]
        if name in _TEXT_FIELDS:
            table = _RISKS if name == "risk" else _CHANNELS
            ok = status == 0
            txt = np.full(n, None, dtype=object)
            codes = col[ok].astype(np.int64)
            txt[ok] = table[codes if name == "risk" else np.where(codes < 0, 3, codes)]
            out[name] = txt.reshape(shape)
        else:
            out[name] = col.reshape(shape)
    out["status"] = status.reshape(shape)
    return out


def predict(catalog=None, threads=0, errors="raise", **setup):
    """Judge set-ups.  Keywords are the names of `vpmoire check --json`'s
    "setup" object: panel, camera, lens (catalog names), pitch_mm,
    emitter_mm, photosite_um, width_px, olpf_um, fill, cfa, focal_mm, stop,
    wall_m, focus_m (default subject_m; math.inf or "inf" for infinity),
    subject_m, recording_px, delivery_px, roll_deg, tolerance,
    chroma_weight, aspect, view_heights, luminance_cd_m2, model, viewing,
    resample, band, pupil_edge, content_contrast, grade_gain (and the
    set-up's caution_at, risky_at, coc_mm, transmission).

    All scalars: one set-up, a dict of every field `check --json` gives
    (the report contract, the extra numbers, "components", and
    "subject_in_dof" with subject_m).  Any number an array (or list):
    predict_arrays(), a dict of arrays of the broadcast shape."""
    _check_keys(setup)
    if any(k in NUMBER_FIELDS + ("subject_m",) and v is not None and np.ndim(v) > 0
           for k, v in setup.items()):
        return predict_arrays(catalog=catalog, threads=threads, errors=errors, **setup)
    return _predict_one(setup, catalog)


def predict_frame(catalog=None, threads=0, errors="raise", **setup):
    """predict_arrays() as a pandas DataFrame: one row per set-up (the
    broadcast shape flattened, C order), the array inputs as columns first,
    then the report contract and status."""
    import pandas as pd
    res = predict_arrays(catalog=catalog, threads=threads, errors=errors, **setup)
    shape = res["status"].shape
    cols = {}
    for k, v in setup.items():
        if k in NUMBER_FIELDS + ("subject_m",) and v is not None and np.ndim(v) > 0:
            cols[k] = np.broadcast_to(np.asarray(v, float), shape).reshape(-1)
    for k, v in res.items():
        cols[k] = v.reshape(-1)
    return pd.DataFrame(cols)
