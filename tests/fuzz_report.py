"""Print the fuzz table: ``python -m tests.fuzz_report [--details] [module ...]`` from the repository root.

Every public callable of nbhelpers with bad arguments (see ``tests/fuzz_harness.py``), per module: calls, clear
package errors, accepted, wrongly accepted, raw errors, NaN returned, hangs, and the share that is clear or
accepted (``tests/test_fuzz.py`` holds every module, the scalar ``engine`` and the array ``tensor`` too, to 97%;
a module below it is marked ``<``). ``--details`` lists every call that was not a clear error or a correct
acceptance; ``--operators`` adds the engines' arithmetic (``Value(2.0) + bad``, ``bad * Tensor``, ...), reported
but not held to the bar.
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
    package = [m for m in fh.MODULES if wanted is None or m in wanted]
    lines, total = fh.table(rows, package)
    outcomes = {m: [r[4] for r in rows if r[0] == m] for m in package}
    for line in lines:  # mark the modules below the bar of tests/test_fuzz.py
        got = outcomes.get(line.split(" ")[0])
        below = bool(got) and sum(o in ("clear", "accepted") for o in got) / len(got) < 0.97
        print(line + ("  <" if below else ""))
    print(f"\n{len(rows)} calls of {len({r[1] for r in rows})} callables in {spent:.1f} s of CPU time")
    if "--operators" in argv:  # the engines' arithmetic (Value + bad, bad * Tensor, ...): reported, not yet asserted
        engines = [m for m in fh.ENGINE_MODULES if wanted is None or m in wanted]
        ops = fh.run_operators(engines)
        print("\nthe engines' operators (held to the same 97% bar by tests/test_fuzz.py):")
        print("\n".join(fh.table(ops, [f"{m} ops" for m in engines])[0]))
        rows = rows + ops
    if missing:
        print("no baseline recipe for:", ", ".join(missing))
    if details:
        for short, qualname, param, kind, outcome, detail in rows:
            if outcome not in ("clear", "accepted"):
                print(f"{outcome:>16}  {qualname}({param}={kind}): {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
