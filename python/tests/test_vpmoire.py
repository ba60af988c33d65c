"""The Python package against the command line and the C library
(run by tests/python.sh in `make check`, on the just-built library)."""
import json
import math
import os
import subprocess

import numpy as np
import pytest

import vpmoire
from vpmoire._ffi import ffi

SRC = os.environ.get("VPM_TEST_SRCDIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("VPM_TEST_BUILDDIR", SRC)
PROGRAM = os.path.join(BUILD, "apps", "vpmoire")
RIG = dict(camera="bmd-ursa-mini-pro-4.6k-g2", lens="zeiss-cp3-28")

# 24 set-ups: three panels x the reference micro stage moved (wall 1.9–6.1 m,
# subject 1.524 m (5 ft) in front of it), stops, and a few viewer options;
# each as predict() keywords and as check's flags.
PANELS = ("aoto-rm1.5", "roe-bp2v2", "absen-pl2.9-plus-v2")
SAMPLE = []
for i, panel in enumerate(PANELS):
    for j, (wall, stop) in enumerate(((1.9, 2.1), (2.524, 2.8), (3.3, 4.0), (4.05, 2.8),
                                      (4.8, 5.6), (5.45, 2.1), (6.1, 8.0), (2.2, 11.0))):
        kw = dict(RIG, panel=panel, stop=stop, wall_m=wall, subject_m=round(wall - 1.524, 6))
        if j == 3:
            kw["model"] = "ideal"
        if j == 5:
            kw["delivery_px"] = 1920
        if j == 6:
            kw["roll_deg"] = 12.5
        SAMPLE.append(kw)
FLAGS = {"panel": "--panel", "camera": "--camera", "lens": "--lens", "stop": "--stop",
         "wall_m": "--wall", "subject_m": "--subject", "model": "--model",
         "delivery_px": "--delivery-px", "roll_deg": "--roll"}


def check_json(kw):
    args = [PROGRAM, "check", "--json"]
    for k, v in kw.items():
        args += [FLAGS[k], str(v)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def same(ours, printed):
    """check --json prints every number so that it reads back as the same
    double (the shortest of 15 to 17 significant digits) and null for a
    missing one: ours must equal it to 1e-12 relative (in fact exactly)."""
    if printed is None:
        return ours is None or (isinstance(ours, float) and not math.isfinite(ours))
    if isinstance(printed, str):
        return ours == printed
    return math.isclose(ours, printed, rel_tol=1e-12, abs_tol=0.0)


def test_sample_size():
    assert len(SAMPLE) >= 20


@pytest.mark.parametrize("kw", SAMPLE, ids=lambda kw: "%s-%g-%g" % (kw["panel"], kw["wall_m"],
                                                                      kw["stop"]))
def test_predict_equals_check_json(kw):
    ref = check_json(kw)
    ours = vpmoire.predict(**kw)
    for name in vpmoire.REPORT_FIELDS + ("led_pitch_px", "wall_blur_pitches", "defocus_waves",
                                         "visibility", "f_number", "subject_in_dof"):
        assert same(ours[name], ref[name]), (name, ours[name], ref[name])
    # the vectorised path gives the same numbers, bit for bit
    arr = vpmoire.predict(**dict(kw, wall_m=np.array([kw["wall_m"]])))
    for name in vpmoire.REPORT_FIELDS:
        a, b = arr[name][0], ours[name]
        assert (a == b) or (a is None and b is None) or (
            isinstance(b, float) and math.isnan(a) and math.isnan(b)), name


def test_vectorised_equals_single_over_sample():
    walls = np.array([kw["wall_m"] for kw in SAMPLE[:8]])
    stops = np.array([kw["stop"] for kw in SAMPLE[:8]])
    arr = vpmoire.predict(**dict(RIG, panel=PANELS[0], wall_m=walls, stop=stops,
                                 focus_m=walls - 1.524))
    for i in range(8):
        one = vpmoire.predict(**dict(RIG, panel=PANELS[0], wall_m=walls[i], stop=stops[i],
                                     focus_m=walls[i] - 1.524))
        for name in ("magnification", "moire_visibility", "grid_visibility", "dof_far_m"):
            assert arr[name][i] == one[name]
        assert arr["risk"][i] == one["risk"]


def test_broadcasting_shapes():
    walls = np.linspace(2.0, 8.0, 13)
    stops = np.array([[2.1], [2.8], [5.6]])
    res = vpmoire.predict(**dict(RIG, panel="aoto-rm1.5"), wall_m=walls, stop=stops, focus_m=1.0)
    for name in vpmoire.REPORT_FIELDS:
        assert res[name].shape == (3, 13)
    assert res["status"].shape == (3, 13) and (res["status"] == 0).all()
    # Nyquist 1/(2a) of the 5.5 um photosites in every cell
    assert np.allclose(res["nyquist_cy_mm"], 1 / 0.011, rtol=1e-14)
    # row 1, column 0 is stop 2.8 at wall 2.0 m
    one = vpmoire.predict(**dict(RIG, panel="aoto-rm1.5"), wall_m=2.0, stop=2.8, focus_m=1.0)
    assert res["moire_visibility"][1, 0] == one["moire_visibility"]
    df = vpmoire.predict_frame(**dict(RIG, panel="aoto-rm1.5"), wall_m=walls, stop=stops,
                               focus_m=1.0)
    assert len(df) == 39 and list(df.columns[:2]) == ["wall_m", "stop"]
    assert df["stop"].iloc[13] == 2.8 and df["wall_m"].iloc[13] == 2.0


def test_raw_numbers_and_focal_array():
    # raw numbers, no catalog: the 28 mm focal from an array
    res = vpmoire.predict(pitch_mm=1.5625, emitter_mm=0.35, photosite_um=5.5, width_px=4608,
                          focal_mm=[28.0, 35.0], stop=2.8, wall_m=2.524, focus_m=1.0)
    mag = vpmoire.predict(pitch_mm=1.5625, emitter_mm=0.35, photosite_um=5.5, width_px=4608,
                          focal_mm=35.0, stop=2.8, wall_m=2.524, focus_m=1.0)["magnification"]
    assert res["magnification"][1] == mag
    # with a lens, each focal length is judged with the base it builds
    res = vpmoire.predict(**dict(RIG, panel="aoto-rm1.5"), focal_mm=[28.0, 30.0, 28.0], stop=2.8,
                          wall_m=2.524, focus_m=1.0)
    lens28 = vpmoire.predict(**dict(RIG, panel="aoto-rm1.5"), stop=2.8, wall_m=2.524,
                             focus_m=1.0)
    assert res["moire_visibility"][0] == lens28["moire_visibility"]
    assert res["moire_visibility"][2] == lens28["moire_visibility"]


def cli_error(args):
    r = subprocess.run([PROGRAM, "check"] + args, capture_output=True, text=True)
    assert r.returncode == 2
    return r.stderr.strip()


def test_errors_carry_the_library_message():
    with pytest.raises(vpmoire.Error) as e:
        vpmoire.predict(**dict(RIG, panel="no-such-panel"), wall_m=3.0, focus_m=1.0)
    assert e.value.status == "enotfound"
    assert "no-such-panel" in str(e.value)
    # focus closer than 4f: the predictor's own message, as check prints it
    msg = cli_error(["--panel", "aoto-rm1.5", "--camera", RIG["camera"], "--focal", "28",
                     "--stop", "2.8", "--wall", "3", "--focus", "0.1"])
    with pytest.raises(vpmoire.Error) as e:
        vpmoire.predict(panel="aoto-rm1.5", camera=RIG["camera"], focal_mm=28.0, stop=2.8,
                        wall_m=3.0, focus_m=0.1)
    assert str(e.value) in msg, (str(e.value), msg)
    # in a batch: the first failing set-up, by index, with the same message
    with pytest.raises(vpmoire.Error) as e2:
        vpmoire.predict(panel="aoto-rm1.5", camera=RIG["camera"], focal_mm=28.0, stop=2.8,
                        wall_m=3.0, focus_m=[1.0, 2.0, 0.1, 0.1])
    assert str(e2.value) == "set-up 2: " + str(e.value)
    res = vpmoire.predict(panel="aoto-rm1.5", camera=RIG["camera"], focal_mm=28.0, stop=2.8,
                          wall_m=3.0, focus_m=[1.0, 0.1], errors="nan")
    assert res["status"][0] == 0 and res["status"][1] != 0
    assert math.isnan(res["magnification"][1]) and res["risk"][1] is None
    with pytest.raises(TypeError):
        vpmoire.predict(wall=3.0)


def test_catalog_objects():
    cat = vpmoire.Catalog()
    names = {p.name for p in cat.panels}
    assert "aoto-rm1.5" in names
    cam = cat.camera(RIG["camera"])
    assert cam.photosite_um == 5.5 and cam.width_px == 4608
    assert cat.frame("lenses").shape[0] == len(cat.lenses)


def test_sweep_csv_reads_cleanly():
    import pandas as pd
    path = os.path.join(SRC, "datasets", "study-micro-stage.csv")
    with open(path) as f:
        assert f.readline().startswith("# vpmoire")
        header = f.readline().strip().split(",")
    df = pd.read_csv(path, comment="#")
    assert list(df.columns) == header and len(df) == 3915  # the study's 3915 set-ups
    assert df["moire_visibility"].dtype == np.float64
    a = np.genfromtxt(path, delimiter=",", names=True, skip_header=1, dtype=None,
                      encoding="utf-8")
    assert a.dtype.names == tuple(header) and a.shape == (3915,)
    assert np.array_equal(a["wall_m"], df["wall_m"].to_numpy())
    assert vpmoire.read_sweep(path).equals(df)


def test_sweep_frame_matches_predict():
    df = vpmoire.sweep(["aoto-rm1.5", "roe-bp2v2"], RIG["camera"], RIG["lens"],
                       stop=[2.8, 4.0], wall_m=[2.524, 3.5], focus_m=1.0)
    assert len(df) == 8 and (df["status"] == 0).all()
    row = df.iloc[5]  # roe-bp2v2, stop 2.8, wall 3.5
    assert (row["panel"], row["stop"], row["wall_m"]) == ("roe-bp2v2", 2.8, 3.5)
    one = vpmoire.predict(**dict(RIG, panel="roe-bp2v2"), stop=2.8, wall_m=3.5, focus_m=1.0)
    assert row["moire_visibility"] == one["moire_visibility"]


def test_focus_keeps_the_subject_sharp():
    plan = vpmoire.focus(1.0, 0.1, **dict(RIG, panel="aoto-rm1.5"), stop=2.8, wall_m=2.524)
    best = plan["best"]
    assert best["subject_sharp"]
    assert best["result"]["dof_near_m"] <= 0.95 and best["result"]["dof_far_m"] >= 1.05


def test_struct_layouts_match_the_compiler():
    cc = os.environ.get("VPM_TEST_CC", "cc")
    src = os.path.join(BUILD, "tests", "py-layout.c")
    exe = os.path.join(BUILD, "tests", "py-layout")
    with open(src, "w") as f:
        f.write('#include <stdio.h>\n#include "vpmoire/vpmoire.h"\nint main(void){\n')
        for s in vpmoire._ffi.STRUCTS:
            f.write('printf("%%s %%zu\\n", "%s", sizeof(%s));\n' % (s, s))
        f.write("return 0;}\n")
    try:
        r = subprocess.run(cc.split() + ["-I", os.path.join(SRC, "lib"), src, "-o", exe],
                           capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip("no C compiler: " + r.stderr[:200])
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    finally:
        for p in (src, exe):
            if os.path.exists(p):
                os.remove(p)
    for line in out.split("\n"):
        if line:
            name, size = line.split()
            assert ffi.sizeof(name) == int(size), name
