#!/usr/bin/env python3
"""The micro-stage study (datasets/study-micro-stage.md) with pandas and
matplotlib: every catalog panel, the reference camera and lens at T2.1,
T2.8 and T4, the wall 1.8-6.1 m in 5 cm steps, focus on a subject 5 ft
(1.524 m) in front of the wall, judged by the vectorised vpmoire.predict; the same
set-ups as study-micro-stage.args.  Writes, under OUTDIR:

  study-micro-stage.csv          the DataFrame (one row per set-up)
  visibility-vs-wall-T2.8.png    visibility against camera-to-wall distance
  safe-up-to.png                 the furthest safe distance of each panel, per stop

    python3 datasets/study-micro-stage.py OUTDIR [--csv datasets/study-micro-stage.csv]

With --csv it reads the CLI's sweep CSV instead of computing (its first
line is a '#' comment: pandas.read_csv(path, comment='#')).
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import vpmoire  # noqa: E402

GAP_M = 1.524  # 5 ft, the study's subject-to-wall gap
STOPS = (2.1, 2.8, 4.0)


def compute():
    import pandas as pd
    cat = vpmoire.default_catalog()
    walls = np.round(np.arange(1.8, 6.1 + 1e-9, 0.05), 12)
    stops = np.array(STOPS)[:, None]  # broadcast: 3 stops x 87 walls per panel
    frames = []
    for p in cat.panels:
        df = vpmoire.predict_frame(panel=p.name, camera="bmd-ursa-mini-pro-4.6k-g2",
                                   lens="zeiss-cp3-28", stop=stops, wall_m=walls,
                                   subject_m=walls - GAP_M, errors="nan")
        df.insert(0, "panel", p.name)
        df.insert(1, "pitch_mm", p.pitch_mm)
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    df["visibility"] = np.fmax(df["moire_visibility"], df["grid_visibility"])
    return df


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--csv", help="read a `vpmoire sweep` CSV instead of computing")
    a = ap.parse_args(argv)
    os.makedirs(a.outdir, exist_ok=True)
    if a.csv:
        df = vpmoire.read_sweep(a.csv)
        df["visibility"] = np.fmax(df["moire_visibility"], df["grid_visibility"])
    else:
        df = compute()
        df.to_csv(os.path.join(a.outdir, "study-micro-stage.csv"), index=False)
    df = df[df["status"].isin([0, "ok"])]

    fig, ax = plt.subplots(figsize=(9, 5.5))
    t28 = df[np.isclose(df["stop"], 2.8)]
    for panel, g in sorted(t28.groupby("panel"), key=lambda kv: kv[1]["pitch_mm"].iloc[0]):
        ax.plot(g["wall_m"], g["visibility"], label="%s (%.2f mm)" % (panel,
                                                                       g["pitch_mm"].iloc[0]))
    ax.axhline(1.0, color="k", lw=0.8, ls="--")
    ax.axhline(3.0, color="k", lw=0.8, ls=":")
    ax.set_yscale("log")
    ax.set_xlabel("camera to wall (m); subject 5 ft in front of the wall, in focus")
    ax.set_ylabel("visibility (1 = caution, 3 = risky)")
    ax.set_title("Micro stage, URSA Mini Pro 4.6K G2 + CP.3 28 mm at T2.8")
    ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(a.outdir, "visibility-vs-wall-T2.8.png"), dpi=120)
    plt.close(fig)

    # the furthest distance of the first safe run from 1.8 m, per panel and stop
    rows = []
    for (panel, stop), g in df.groupby(["panel", "stop"]):
        g = g.sort_values("wall_m")
        safe = (g["risk"] == "safe").to_numpy()
        k = np.argmin(safe) if not safe.all() else len(safe)
        rows.append((panel, g["pitch_mm"].iloc[0], stop,
                     g["wall_m"].iloc[k - 1] if k > 0 else np.nan))
    fig, ax = plt.subplots(figsize=(9, 5.5))
    for stop in STOPS:
        r = sorted((x for x in rows if np.isclose(x[2], stop)), key=lambda x: x[1])
        ax.plot([x[1] for x in r], [x[3] for x in r], "o-", label="T%g" % stop)
    ax.set_xlabel("LED pitch (mm)")
    ax.set_ylabel("safe from 1.8 m up to (m)")
    ax.set_title("How far back the camera can go and stay safe")
    ax.legend()
    fig.tight_layout()
    fig.savefig(os.path.join(a.outdir, "safe-up-to.png"), dpi=120)
    plt.close(fig)
    print("wrote %d set-ups' figures to %s" % (len(df), a.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
