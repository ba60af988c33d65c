"""vpmoire from Python: will this LED wall show moiré in this camera?

    import numpy as np, vpmoire
    r = vpmoire.predict(panel="aoto-rm1.5", camera="bmd-ursa-mini-pro-4.6k-g2",
                        lens="zeiss-cp3-28", stop=2.8, wall_m=2.524, subject_m=1.0)
    r["risk"], r["moire_visibility"]
    a = vpmoire.predict(panel="aoto-rm1.5", camera="bmd-ursa-mini-pro-4.6k-g2",
                        lens="zeiss-cp3-28", stop=[[2.8], [5.6]],
                        wall_m=np.linspace(2, 8, 61), focus_m=1.0)
    a["risk"].shape    # (2, 61)

The library is libvpmoire (C), reached through cffi; see python/README.md.
"""
from ._ffi import library_path
from .core import (Catalog, Error, NUMBER_FIELDS, REPORT_FIELDS, SETUP_FIELDS,
                   default_catalog, predict, predict_arrays, predict_frame)
from .study import chart, focus, read_sweep, simulate, sweep

__version__ = "0.1.0"
__all__ = ["Catalog", "Error", "NUMBER_FIELDS", "REPORT_FIELDS", "SETUP_FIELDS", "chart",
           "default_catalog", "focus", "library_path", "predict", "predict_arrays",
           "predict_frame", "read_sweep", "simulate", "sweep"]
