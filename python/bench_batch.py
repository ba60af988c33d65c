"""Benchmark (make bench; not a test): the vectorised predict over 1,000,000
set-ups against the C library's per-core throughput.

The set-ups are tests/bench_predict.c's reference grid (BMD URSA Mini Pro
4.6K G2 in raw numbers: 5.5 um, 4608 across, Bayer; the 1.5625 mm panel
with a 0.35 mm emitter and the ROE BP2V2 2.8409 mm with 0.5 mm; T2.8;
walls 1.5-8 m x focal lengths 15-135 mm, focus at wall/2.524), repeated to
1,000,000.  Throughput per core is set-ups over the process's CPU time
(every thread's), the measure bench_predict prints; the target is >= 80 %.

    python3 python/bench_batch.py [tests/bench_predict] [N]
"""
import re
import subprocess
import sys
import time

import numpy as np

import vpmoire


def grid(n):
    pitch = np.array([1.5625, 500.0 / 176.0])
    emitter = np.array([0.35, 0.5])
    p, w, f = np.meshgrid(np.arange(2), 1.5 + 0.1 * np.arange(66), np.arange(15, 136, 2),
                          indexing="ij")
    reps = -(-n // p.size)
    p, w, f = (np.tile(a.reshape(-1), reps)[:n] for a in (p, w, f))
    return dict(pitch_mm=pitch[p], emitter_mm=emitter[p], photosite_um=5.5, width_px=4608,
                stop=2.8, focal_mm=f.astype(float), wall_m=w, focus_m=w / 2.524)


def main():
    prog = sys.argv[1] if len(sys.argv) > 1 else "tests/bench_predict"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1000000
    out = subprocess.run([prog], capture_output=True, text=True, check=True).stdout
    m = re.search(r"bench_predict: (\d+) set-ups/s/core \(best", out)
    c_rate = float(m.group(1))
    setup = grid(n)
    vpmoire.predict(**{k: (v[:2000] if np.ndim(v) else v) for k, v in setup.items()})  # warm
    c0, t0 = time.process_time(), time.perf_counter()
    res = vpmoire.predict(**setup)
    cpu, wall = time.process_time() - c0, time.perf_counter() - t0
    assert (res["status"] == 0).all()
    py_rate = n / cpu
    print("bench_batch: vpmoire.predict over %d set-ups: %.2f s wall, %.2f s CPU, "
          "%.0f set-ups/s/core" % (n, wall, cpu, py_rate))
    print("bench_batch: C library (bench_predict) %.0f set-ups/s/core; ratio %.0f %% "
          "(target >= 80 %%)" % (c_rate, 100.0 * py_rate / c_rate))


if __name__ == "__main__":
    main()
