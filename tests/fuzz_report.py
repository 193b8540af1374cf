"""Print the fuzz table: ``python -m tests.fuzz_report [--details] [module ...]`` from the repository root.

Every public callable of nbhelpers with bad arguments (see ``tests/fuzz_harness.py``), per module: calls, clear
package errors, accepted, wrongly accepted, raw errors, NaN returned, hangs. ``engine`` and ``tensor`` are the
array and scalar engines (another helper's files) and are listed apart. ``--details`` lists every call that was
not a clear error or a correct acceptance.
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fuzz_harness as fh  # noqa: E402


def main(argv) -> int:
    details = "--details" in argv
    wanted = [a for a in argv if not a.startswith("--")] or None
    start = time.process_time()
    rows, missing = fh.run_all(wanted)
    spent = time.process_time() - start
    package = [m for m in fh.MATH_MODULES + fh.PLOTTING_MODULES if wanted is None or m in wanted]
    engines = [m for m in fh.ENGINE_MODULES if wanted is None or m in wanted]
    lines, total = fh.table([r for r in rows if r[0] in package], package)
    print("\n".join(lines))
    if engines:
        print("\nengine and tensor (the perf helper's files), apart:")
        print("\n".join(fh.table([r for r in rows if r[0] in engines], engines)[0]))
    print(f"\n{len(rows)} calls of {len({r[1] for r in rows})} callables in {spent:.1f} s of CPU time")
    if missing:
        print("no baseline recipe for:", ", ".join(missing))
    if details:
        for short, qualname, param, kind, outcome, detail in rows:
            if outcome not in ("clear", "accepted"):
                print(f"{outcome:>16}  {qualname}({param}={kind}): {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
