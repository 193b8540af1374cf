"""Run every benchmark in this folder and print what it measured.

    python benchmarks/run.py            # all of them
    python benchmarks/run.py widgets    # only bench_*widgets*.py
    python benchmarks/run.py widgets_panels --before before.json   # every panel, before -> after

``--before FILE`` (a table saved by ``bench_widgets_panels.py --save FILE``, e.g. run against another checkout
with ``PYTHONPATH=/path/to/it``) adds a "before" column to the panels' table.

Benchmarks measure; they never fail a build (speed is reported in issue notes, not asserted in tests).
Each ``bench_*.py`` defines ``main()`` that prints its own figures.
"""

from __future__ import annotations

import importlib.util
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def best_of(function, repeat: int = 5, number: int = 1) -> float:
    """Best wall-clock time of ``number`` calls of ``function`` over ``repeat`` rounds, in seconds per call."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            function()
        times.append((time.perf_counter() - start) / number)
    return min(times)


def main(argv: list[str]) -> int:
    pattern = argv[1] if len(argv) > 1 and not argv[1].startswith("--") else ""
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.processor() or 'cpu'}")
    sys.path.insert(0, str(HERE))
    for path in sorted(HERE.glob("bench_*.py")):
        if pattern not in path.stem:
            continue
        print(f"\n== {path.stem} ==")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.main([a for a in argv[1:] if a != pattern]) if path.stem == "bench_widgets_panels" else module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
