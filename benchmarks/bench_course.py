"""The course as a learner runs it: CPU seconds per chapter in a fresh kernel, and import times.

1. Every chapter is executed top to bottom in a fresh Jupyter kernel (nbclient), with a tiny cell after each
   code cell that reads the kernel's own CPU clock, so each cell's CPU time is known; the total is the kernel's
   CPU time from its start to the end of the last cell (its own start-up included).
2. Every module of ``nbhelpers`` is imported in a fresh Python process, timing the CPU it takes (NumPy and
   matplotlib included where the module needs them).

PyTorch is hidden from the kernels unless ``--with-torch`` is given: it is not in requirements.txt (a learner's
install has no torch, so the chapters' optional PyTorch cells print a note and move on), but it may be installed
here for the engine benchmarks.

Targets (issue 15): at most 10 s of CPU per chapter (15 s for chapter 6), 60 s for the whole course, and every
import well under a second.

    python benchmarks/run.py course               # all chapters and imports
    python benchmarks/bench_course.py 05 06       # only chapters 5 and 6, with their slowest cells
    python benchmarks/bench_course.py --with-torch 06
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(os.environ.get("COURSE_ROOT") or Path(__file__).resolve().parent.parent)  # another checkout: "before"
NOTEBOOKS = ROOT / "notebooks"
MARK = "__cpu_mark__"
PROBE = f"import resource as _r; _u = _r.getrusage(_r.RUSAGE_SELF); print('{MARK}', _u.ru_utime + _u.ru_stime)"
LIMITS = {"06": 15.0}  # CPU seconds per chapter; the rest 10
LIMIT, COURSE_LIMIT, IMPORT_LIMIT = 10.0, 60.0, 1.0


def _hide(packages) -> str:
    """A folder that, put first on the kernel's path, makes ``import torch`` fail as if it were not installed."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="course-bench-"))
    for name in packages:
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(f"raise ImportError('{name} is hidden by bench_course.py')\n")
    return str(folder)


HIDDEN = ["torch"]


def chapter_cpu(path: Path, timeout: int = 600) -> tuple[float, list]:
    """(kernel CPU seconds for the whole chapter, [(cpu seconds, cell number, first line) per code cell])."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    cells, sources = [nbformat.v4.new_code_cell(PROBE)], []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type == "code":
            sources.append(cell.source)
            cells.append(nbformat.v4.new_code_cell(PROBE))
    nb.cells = cells
    paths = ([_hide(HIDDEN)] if HIDDEN else []) + [str(ROOT), os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), MPLBACKEND="agg")
    old = os.environ.copy()
    os.environ.update(env)
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}},
                                allow_errors=True)
        client.execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    marks = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source == PROBE:
            text = "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")
            marks.append(float(text.split(MARK)[1].split()[0]) if MARK in text else float("nan"))
    per_cell = [(after - before, i + 1, src.strip().splitlines()[0][:60] if src.strip() else "")
                for i, (before, after, src) in enumerate(zip(marks, marks[1:], sources))]
    return marks[-1], per_cell


def import_cpu(module: str, python: str = sys.executable) -> float:
    """CPU seconds a fresh process spends on ``import module`` (best of three)."""
    code = f"import time; t = time.process_time(); import {module}; print(time.process_time() - t)"
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", MPLBACKEND="agg")
    best = float("inf")
    for _ in range(3):
        out = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        best = min(best, float(out.stdout.strip().splitlines()[-1]))
    return best


def modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "nbhelpers").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if any(p.startswith("_") and p != "__init__" for p in parts[1:]) and parts[-1] not in ("_validate",):
            continue
        names.append(".".join(parts))
    return names


def main(chapters: list[str] | None = None, show_cells: int = 3):
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if chapters:
        paths = [p for p in paths if p.name[:2] in chapters]
    total = 0.0
    hidden = f"; hidden from the kernels: {', '.join(HIDDEN)} (not in requirements.txt)" if HIDDEN else ""
    print(f"Chapters, each in a fresh kernel (kernel CPU seconds, its start-up included{hidden}):")
    for path in paths:
        start = time.perf_counter()
        cpu, cells = chapter_cpu(path)
        wall = time.perf_counter() - start
        total += cpu
        limit = LIMITS.get(path.name[:2], LIMIT)
        slow = sorted(cells, reverse=True)[:show_cells]
        print(f"  {path.stem:28s} {cpu:6.1f} s CPU ({cpu / limit:4.2f}x the {limit:g} s budget; {wall:5.1f} s wall)")
        for seconds, number, line in slow:
            print(f"      cell {number:3d}: {seconds:5.2f} s  {line}")
    if not chapters:
        print(f"  the whole course: {total:.1f} s CPU ({total / COURSE_LIMIT:.2f}x the {COURSE_LIMIT:g} s budget)")
        print("Importing each nbhelpers module in a fresh process (CPU seconds, best of 3):")
        for name in modules():
            seconds = import_cpu(name)
            print(f"  {name:40s} {seconds:5.2f} s ({seconds / IMPORT_LIMIT:4.2f}x the {IMPORT_LIMIT:g} s budget)")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--with-torch" in args:
        args.remove("--with-torch")
        HIDDEN.clear()
    main(args or None, show_cells=12 if args else 3)
