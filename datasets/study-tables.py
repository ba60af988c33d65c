#!/usr/bin/env python3
"""Print the tables of study-micro-stage.md from study-micro-stage.csv.

    python3 datasets/study-tables.py [datasets/study-micro-stage.csv]

Standard library only.  The CSV's first line is the sweep's metadata (a '#'
comment: the command and the model); the second is the header.
"""
import csv
import sys
from collections import defaultdict


def main(path):
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(line for line in f if not line.startswith("#")))
    runs = defaultdict(list)
    for r in rows:
        vis = max(float(r["moire_visibility"]), float(r["grid_visibility"]))
        runs[(r["panel"], float(r["pitch_mm"]), r["stop"])].append(
            (float(r["wall_m"]), r["risk"], float(r["moire_visibility"]),
             float(r["grid_visibility"]), vis))
    panels = sorted({(k[0], k[1]) for k in runs}, key=lambda p: p[1])
    stops = ("2.1", "2.8", "4")
    print("| panel | pitch (mm) | T2.1 safe / risky from | T2.8 safe / risky from "
          "| T4 safe / risky from |")
    print("|---|---:|---|---|---|")
    for name, pitch in panels:
        cells = []
        for st in stops:
            lst = sorted(runs[(name, pitch, st)])
            ranges, cur = [], None
            for w, risk, *_ in lst:
                if risk == "safe":
                    cur = [w, w] if cur is None else [cur[0], w]
                elif cur:
                    ranges.append(cur)
                    cur = None
            if cur:
                ranges.append(cur)
            safe = ", ".join(f"{a:.2f}" if a == b else f"{a:.2f}–{b:.2f}"
                             for a, b in ranges)
            risky = next((w for w, risk, *_ in lst if risk == "risky"), None)
            cells.append(f"{safe + ' m' if safe else 'never'} / "
                         f"{'%.2f m' % risky if risky else 'never'}")
        print(f"| {name} | {pitch:g} | " + " | ".join(cells) + " |")
    print()
    print("| panel | T2.1 at 2.5 m | T2.8 at 2.5 m | T4 at 2.5 m |")
    print("|---|---|---|---|")
    for name, pitch in panels:
        cells = []
        for st in stops:
            at = [x for x in runs[(name, pitch, st)] if abs(x[0] - 2.5) < 1e-9]
            if at:
                w, risk, mv, gv, v = at[0]
                cells.append(f"{risk} (moiré {mv:.2f}, grid {gv:.2f})")
            else:
                cells.append("-")
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "datasets/study-micro-stage.csv")
