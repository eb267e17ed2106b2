"""Locator throughput against the demo district's grids.

Prints one JSON line: batch points/s (1,000,000 points), single lookups (10,000, one at a time,
through the public `locate()` and through the raw index), and a brute-force baseline — a Python
loop over every grid polygon — measured in the same run on a sample of the same points.

    .venv/bin/python bench/locate.py [--points 1000000] [--single 10000] [--baseline 2000]
"""

from __future__ import annotations

import argparse
import json
import platform
import time

import _django
import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--single", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    args = parser.parse_args()
    _django.setup()

    import shapely

    from civicgrid.territory import locator
    from civicgrid.territory.models import Region

    index = locator.get_index()
    district = Region.objects.get(level="district").geometry
    minx, miny, maxx, maxy = district.bounds
    rng = np.random.default_rng(42)
    lngs = rng.uniform(minx - 0.01, maxx + 0.01, args.points)
    lats = rng.uniform(miny - 0.01, maxy + 0.01, args.points)

    locator.locate_many(lngs[:1000], lats[:1000])  # warm-up
    started = time.perf_counter()
    batch = locator.locate_many(lngs, lats)
    batch_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(args.single):
        locator.locate(lngs[i], lats[i])
    single_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(args.single):
        index.locate_code(lngs[i], lats[i])
    raw_seconds = time.perf_counter() - started

    # Baseline: test every grid polygon in turn, first hit wins (what one writes without an index).
    grids = list(zip(index.codes, index.geoms, strict=True))
    started = time.perf_counter()
    brute = []
    for i in range(args.baseline):
        point = shapely.Point(lngs[i], lats[i])
        brute.append(next((code for code, geom in grids if geom.intersects(point)), None))
    brute_seconds = time.perf_counter() - started
    agree = brute == batch[: args.baseline]

    print(json.dumps({
        "bench": "locate",
        "grids": len(index),
        "points": args.points,
        "inside_share": round(sum(c is not None for c in batch) / len(batch), 3),
        "batch_points_per_s": round(args.points / batch_seconds),
        "single_lookups": args.single,
        "single_us_per_lookup": round(single_seconds / args.single * 1e6, 1),
        "single_raw_index_us_per_lookup": round(raw_seconds / args.single * 1e6, 1),
        "baseline_points": args.baseline,
        "baseline_points_per_s": round(args.baseline / brute_seconds),
        "batch_speedup_vs_baseline": round((args.points / batch_seconds) / (args.baseline / brute_seconds), 1),
        "baseline_agrees": agree,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
