"""Studies on top of the predictor: sweeps as DataFrames, focus placement,
chart grids, the FFT engine through the command, and the sweep CSV."""
import itertools
import os
import shutil
import subprocess

import numpy as np

from ._ffi import ffi, lib, _paths
from .core import (NUMBER_FIELDS, Error, _base_setup, _check, _focus_default, _result_dict,
                   _text, predict_arrays)


def sweep(panels, cameras, lenses, catalog=None, threads=0, **axes):
    """Every combination of catalog names (panels × cameras × lenses) and
    the numeric axes given as keywords (any set-up number, e.g.
    stop=[2.8, 4], wall_m=np.arange(2, 8.01, 0.5), subject_m=...), judged by
    the vectorised predictor.  Returns a pandas DataFrame, one row per
    set-up in that order (the last axis varies fastest): panel, camera,
    lens, the axes, status (0 = judged, else the vpm_status_t of a set-up
    that cannot be shot, its result cells NaN) and the report contract."""
    import pandas as pd
    names = [list(x) if isinstance(x, (list, tuple)) else [x] for x in (panels, cameras, lenses)]
    keys = list(axes)
    vals = [np.atleast_1d(np.asarray(axes[k], dtype=float)) for k in keys]
    grids = np.meshgrid(*vals, indexing="ij") if vals else []
    frames = []
    for p, c, l in itertools.product(*names):
        kw = {k: g for k, g in zip(keys, grids)}
        res = predict_arrays(catalog=catalog, threads=threads, errors="nan", panel=p, camera=c,
                             lens=l, **kw)
        cols = {"panel": p, "camera": c, "lens": l}
        for k, g in zip(keys, grids):
            cols[k] = g.reshape(-1)
        for k, v in res.items():
            cols[k] = v.reshape(-1)
        frames.append(pd.DataFrame(cols))
    return pd.concat(frames, ignore_index=True)


def focus(subject_m, subject_depth_m=0.0, catalog=None, **setup):
    """Where to put focus (vpm_plan_focus, as `vpmoire focus` does for one
    stop): the whole subject (centre subject_m from the sensor plane,
    subject_depth_m deep) inside the depth of field with the wall least
    visible.  Returns {"best": ..., "naive": ...}, each with stop, focus_m,
    subject_sharp and the full result (predict()'s fields)."""
    kw = dict(setup, subject_m=subject_m)
    kw.setdefault("focus_m", subject_m)
    kw = _focus_default(kw)
    scalars = {k: kw[k] for k in NUMBER_FIELDS if kw.get(k) is not None}
    s, _, _ = _base_setup(kw, catalog, scalars)
    half = subject_depth_m / 2.0
    subj = ffi.new("vpm_subject_t *", (subject_m - half, subject_m + half))
    ws = lib.vpm_predict_workspace_alloc()
    if ws == ffi.NULL:
        raise MemoryError("vpmoire: out of memory")
    best = ffi.new("vpm_focus_choice_t *")
    naive = ffi.new("vpm_focus_choice_t *")
    try:
        _check(lib.vpm_plan_focus(s, subj[0], ws, best, naive))
    finally:
        lib.vpm_predict_workspace_free(ws)

    def choice(c):
        return {"stop": c.stop, "focus_m": c.focus_m, "subject_sharp": bool(c.subject_sharp),
                "result": _result_dict(ffi.addressof(c, "result"), s, None)}
    return {"best": choice(best[0]), "naive": choice(naive[0])}


def chart(focal_mm, wall_min_m=1.5, wall_max_m=8.0, rows=200, subject_gap_m=1.524,
          subject_depth_m=0.3, rule="subject", catalog=None, threads=0, **setup):
    """The safe-shot chart's data (vpm_chart_compute): columns at the given
    focal lengths (one lens each: `lens` is then a series or a lens of
    it; give focal_mm with raw numbers otherwise), rows of camera-to-wall
    distances.  Returns a pandas DataFrame, one row per cell: focal_mm,
    wall_m, state, focus_m, visibilities, risk, blur and depth of field.
    The page itself is `vpmoire chart` (plots/ is not in the library)."""
    import pandas as pd
    focal = np.atleast_1d(np.asarray(focal_mm, dtype=float))
    cols = ffi.new("vpm_chart_column_t[]", len(focal))
    kw = dict(setup)
    kw.setdefault("wall_m", 1.0)
    kw.setdefault("focus_m", 1.0)
    for i, f in enumerate(focal):
        scal = {k: kw[k] for k in NUMBER_FIELDS if kw.get(k) is not None}
        scal["focal_mm"] = float(f)
        s, lens, _ = _base_setup(dict(kw, focal_mm=f), catalog, scal)
        cols[i].setup = s[0]
        if lens != ffi.NULL:
            cols[i].close_focus_m = lens.close_focus_m
            cols[i].widest_stop = lens.max_t
            cols[i].narrowest_stop = lens.min_t
    spec = ffi.new("vpm_chart_spec_t *", lib.vpm_chart_spec_default())
    spec.columns = cols
    spec.nx = len(focal)
    spec.wall_min_m, spec.wall_max_m, spec.ny = wall_min_m, wall_max_m, rows
    spec.subject_gap_m, spec.subject_depth_m = subject_gap_m, subject_depth_m
    spec.rule = {"subject": lib.VPM_CHART_FOCUS_SUBJECT,
                 "back-of-dof": lib.VPM_CHART_FOCUS_BACK_OF_DOF}[rule]
    spec.threads = threads
    out = ffi.new("vpm_chart_t **")
    _check(lib.vpm_chart_compute(spec, out))
    ch = ffi.gc(out[0], lib.vpm_chart_free)
    recs = []
    for j in range(ch.ny):
        for i in range(ch.nx):
            c = ch.cells[j * ch.nx + i]
            recs.append({"focal_mm": ch.focal_mm[i], "wall_m": c.wall_m,
                         "state": _text(lib.vpm_chart_cell_state_name(c.state)),
                         "focus_m": c.focus_m, "moire_visibility": c.moire_visibility,
                         "grid_visibility": c.grid_visibility, "visibility": c.visibility,
                         "risk": _text(lib.vpm_risk_name(c.risk)) if c.state == 0 else None,
                         "wall_blur_mm": c.wall_blur_mm,
                         "wall_blur_pitches": c.wall_blur_pitches,
                         "dof_near_m": c.dof_near_m, "dof_far_m": c.dof_far_m})
    return pd.DataFrame(recs)


def _program():
    env = os.environ.get("VPMOIRE_PROGRAM")
    if env:
        return env
    p = _paths()
    if p is not None and getattr(p, "BINDIR", None):
        cand = os.path.join(p.BINDIR, "vpmoire")
        if os.path.exists(cand):
            return cand
    found = shutil.which("vpmoire")
    if not found:
        raise Error(6, "the vpmoire program was not found: install vpmoire or set "
                       "VPMOIRE_PROGRAM")
    return found


def run_command(*args):
    """Run the `vpmoire` program (for pages: `chart`, `focus`, `simulate`
    with --out/--outdir); Error with its one-line message when it fails."""
    r = subprocess.run([_program()] + [str(a) for a in args], capture_output=True, text=True)
    if r.returncode != 0:
        raise Error(1 if r.returncode == 2 else 9, r.stderr.strip().splitlines()[-1]
                    if r.stderr.strip() else "vpmoire exited with %d" % r.returncode)
    return r.stdout


def simulate(*args):
    """The FFT engine through `vpmoire simulate ARGS` (its flags as the man
    page gives them, e.g. "--panel", "aoto-rm1.5", ..., "--outdir", d):
    returns its standard output.  Not wrapped array by array yet."""
    return run_command("simulate", *args)


def read_sweep(path):
    """A `vpmoire sweep` CSV as a pandas DataFrame.  Its first line is a
    '#' comment (the study); pandas skips it with comment='#', which is
    safe because no cell of a sweep row holds '#'."""
    import pandas as pd
    return pd.read_csv(path, comment="#")
