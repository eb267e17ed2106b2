"""Time `seed_demo` on an empty database. Prints one JSON line.

    .venv/bin/python bench/seed.py
"""

from __future__ import annotations

import json
import time

import _django


def main() -> None:
    _django.setup(seed_demo=False)
    from civicgrid.demo.seed import demo_counts, seed_demo

    started = time.perf_counter()
    seed_demo(seed=2018)
    first = time.perf_counter() - started
    started = time.perf_counter()
    seed_demo(seed=2018)
    second = time.perf_counter() - started
    counts = demo_counts()
    print(json.dumps({
        "bench": "seed_demo",
        "seconds": round(first, 2),
        "second_run_seconds": round(second, 3),
        "grids": counts["regions:grid"],
        "places": sum(v for k, v in counts.items() if k.startswith("places:")),
        "people": counts["people"],
    }))


if __name__ == "__main__":
    main()
