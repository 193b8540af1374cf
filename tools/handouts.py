"""Rendered handouts: run every chapter and write it as an HTML page, with all its figures, into build/handouts/.

    python tools/handouts.py                    # every chapter in notebooks/
    python tools/handouts.py 01 03_gradient     # some chapters (by the start of their file name)
    python tools/handouts.py --out DIR          # somewhere else than build/handouts/

Each page is the chapter as a learner sees it after *Run All*: the prose, the code, what it prints, every figure
and animation (embedded in the page, so one file is the whole handout) and, where a widget panel stands, its
static figure with a one-line note (a page has no kernel to move sliders). ``index.html`` links the chapters.
Pages open offline; only the formulas need a network (MathJax is loaded from its CDN).

The chapters run in this Python environment (a fresh kernel each, in the notebooks/ folder, as nbval does).
Exits with status 1, naming the chapter and cell, if a chapter raises, writes anything to stderr, or shows a
widget without a static fallback (such as a raw ``interactive(...)`` repr): a handout must stand on its own.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_OUT = ROOT / "build" / "handouts"
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


def _kernel_manager():
    """A kernel of *this* Python environment (not whatever a user-level 'python3' kernelspec points at)."""
    import ipykernel.kernelspec
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpec

    km = KernelManager(kernel_name="python3")
    km._kernel_spec = KernelSpec(resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict())
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


def _index(pages: list[tuple[str, str, dict]]) -> str:
    rows = "\n".join(
        f'<li><a href="{html.escape(name)}">{html.escape(title)}</a> '
        f'<span class="n">{c["figures"]} figures, {c["animations"]} animations, {c["panels"]} panels</span></li>'
        for name, title, c in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Neural networks from zero: handouts</title>
<link rel="icon" href="data:,">
<style>body{{font-family:sans-serif;max-width:46em;margin:3em auto;line-height:1.5}} .n{{color:#666;font-size:90%}}</style>
</head><body>
<h1>Neural networks from zero: handouts</h1>
<p>Every chapter after <em>Run All</em>: prose, code, results and figures. Widget panels show their figure at the
default settings; open the notebooks in Jupyter to move the sliders.</p>
<ol>
{rows}
</ol>
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="start of a chapter's file name, e.g. 01 or 03_gradient")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/handouts)")
    args = parser.parse_args(argv)

    selected = chapters(args.chapters)
    if not selected:
        print(f"no chapter matches {args.chapters} in {NOTEBOOKS}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    pages, failed = [], []
    for path in selected:
        start = time.monotonic()
        try:
            nb = execute(path)
        except Exception as err:  # noqa: BLE001 - CellExecutionError, kernel failures: report, go on with the others
            failed.append(path.name)
            print(f"FAILED {path.name}: it does not run top to bottom:\n{err}", file=sys.stderr)
            continue
        found = problems(nb)
        if found:
            failed.append(path.name)
            print(f"FAILED {path.name}:\n  " + "\n  ".join(found), file=sys.stderr)
            continue
        title = title_of(nb, path.stem)
        target = args.out / path.with_suffix(".html").name
        target.write_text(to_html(nb, title), encoding="utf-8")
        counts = summary(nb)
        pages.append((target.name, title, counts))
        print(f"{path.name}: {counts['figures']} figures, {counts['animations']} animations, "
              f"{counts['panels']} panels -> {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target} "
              f"({time.monotonic() - start:.1f} s)")
    (args.out / "index.html").write_text(_index(pages), encoding="utf-8")
    if failed:
        print(f"handouts: {len(failed)} of {len(selected)} chapters failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"handouts: {len(pages)} chapters written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
