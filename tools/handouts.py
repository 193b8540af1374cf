"""Run the chapters and check that each makes a good page; ``python tools/handouts.py`` builds the course website.

    python tools/handouts.py            # the same as  python tools/website.py : every chapter, then build/site/
    python tools/handouts.py 01 03      # some chapters (by the start of their file name)

The handouts are the course website now (tools/website.py): one page per chapter, as a learner sees it after
*Run All*, with every figure, the animation and typeset maths, loading nothing from other sites. This module keeps
what the site builder and the tests use: :func:`execute` runs a chapter top to bottom in a fresh kernel of this
Python (in the notebooks/ folder, as nbval does), :func:`problems` says what keeps an executed chapter from making a
page that stands on its own (an error, anything written to stderr, a widget without its static figure, such as a
raw ``interactive(...)`` repr), :func:`summary` counts its figures, animations and panels.
"""

from __future__ import annotations

import argparse
import atexit
import html
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CELL_TIMEOUT_S = 600
# A widget's text/plain that is only the repr of the widget object, e.g. "interactive(children=(...))".
RAW_WIDGET_REPR = re.compile(r"^\s*[A-Za-z_][\w.]*\((children|value|layout|description|_dom_classes|options)\b")


def chapters(selection: list[str] | None = None) -> list[Path]:
    """The chapters' notebooks, in order; ``selection`` keeps those whose file name starts with one of its items."""
    found = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    if selection:
        found = [p for p in found if any(p.name.startswith(s) for s in selection)]
    return found


# What running the chapters needs in this Python, as (module, the requirement that provides it).
NEEDS = [("numpy", "numpy"), ("matplotlib", "matplotlib"), ("ipywidgets", "ipywidgets"), ("ipykernel", "ipykernel"),
         ("nbformat", "nbformat"), ("nbclient", "nbclient"), ("nbconvert", "nbconvert")]
_SOCKETS = None


def missing_tools() -> list[str]:
    """Requirements this Python lacks for running the chapters (and what the helpers themselves need)."""
    import importlib.util

    lacking = [req for module, req in NEEDS if importlib.util.find_spec(module) is None]
    if importlib.util.find_spec("nbhelpers") is None and not (ROOT / "nbhelpers").is_dir():
        lacking.append("nbhelpers (pip install -e .)")
    return lacking


def nbformat():
    import nbformat as module

    return module


def _kernel_manager():
    """A kernel of *this* Python environment (not whatever a user-level 'python3' kernelspec points at)."""
    import ipykernel.kernelspec
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpec

    global _SOCKETS
    km = KernelManager(kernel_name="python3")
    km._kernel_spec = KernelSpec(resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict())
    if os.name == "posix":
        # Local sockets instead of TCP: nothing leaves the machine, and the kernel does not warn (once per chapter)
        # that it "is running over TCP without encryption".
        if _SOCKETS is None:
            _SOCKETS = tempfile.mkdtemp(prefix="nnfz-kernels-")
            atexit.register(shutil.rmtree, _SOCKETS, ignore_errors=True)
        km.transport = "ipc"
        km.ip = os.path.join(_SOCKETS, f"k{len(os.listdir(_SOCKETS))}-{os.getpid()}-{id(km)}")
    return km


def execute(path: Path):
    """Run a chapter top to bottom in a fresh kernel (working directory: its folder) and return the notebook."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    km = _kernel_manager()
    client = NotebookClient(nb, km=km, timeout=CELL_TIMEOUT_S, allow_errors=False,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    finally:  # nbclient leaves a kernel it did not start running; stop it before the next chapter starts its own
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return nb


def _images(data: dict) -> int:
    count = int("image/png" in data or "image/svg+xml" in data or "image/jpeg" in data)
    return count


def _is_animation(data: dict) -> bool:
    text = data.get("text/html", "")
    if isinstance(text, list):
        text = "".join(text)
    return "<video" in text or ("Animation" in text and "<script" in text) or "image/gif" in data


def problems(nb) -> list[str]:
    """What keeps an executed chapter from making a good handout (empty: fine)."""
    found = []
    for index, cell in enumerate(nb.cells):
        outputs = cell.get("outputs", [])
        for position, out in enumerate(outputs):
            kind = out.get("output_type")
            if kind == "error":
                found.append(f"cell {index} raised {out.get('ename')}: {out.get('evalue')}")
            elif kind == "stream" and out.get("name") == "stderr":
                text = "".join(out.get("text", ""))
                found.append(f"cell {index} wrote to stderr: {text.strip()[:200]}")
            data = out.get("data", {})
            if WIDGET_MIME not in data:
                continue
            html_text = "".join(data.get("text/html", ""))
            plain = "".join(data.get("text/plain", ""))
            after = outputs[position + 1].get("data", {}) if position + 1 < len(outputs) else {}
            if "nbhelpers-panel-fallback" in "".join(after.get("text/html", "")):
                continue  # a panel: the widget alone, then the copy of its picture with a note (nbhelpers.widgets)
            if "image/png" not in data and "<img" not in html_text:
                found.append(f"cell {index} shows a widget with no static figure to fall back on "
                             f"(outside a live kernel it would show: {plain.strip()[:80]!r})")
            if RAW_WIDGET_REPR.match(plain) or RAW_WIDGET_REPR.match(re.sub(r"<[^>]+>", "", html_text)):
                found.append(f"cell {index} falls back to a raw widget repr: {plain.strip()[:80]!r}; display a "
                             "nbhelpers.widgets.Panel instead, which falls back to its figure and a note")
            if "\n" in plain.strip():
                found.append(f"cell {index}: a widget's fallback note must be one line; got {plain.strip()[:80]!r}")
    return found


def summary(nb) -> dict:
    """How many figures, animations and widget panels an executed chapter shows."""
    counts = {"figures": 0, "animations": 0, "panels": 0}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                counts["panels"] += 1
            elif _is_animation(data):
                counts["animations"] += 1
            else:
                counts["figures"] += _images(data)
    return counts


def to_html(nb, title: str) -> str:
    """The executed notebook as one HTML page (figures embedded; widget panels as their static fallback)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    # No widget state is stored, so nbconvert skips each widget view and shows the panel's figure and note.
    nb.metadata.pop("widgets", None)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def title_of(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return fallback


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    import website  # tools/website.py

    return website.main(argv)


if __name__ == "__main__":
    sys.exit(main())
