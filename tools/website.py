"""The course as a static website: run every chapter once, then build the site with Sphinx into build/site/.

    python tools/website.py                 # every chapter, then the site in build/site/ (open build/site/index.html)
    python tools/website.py --out DIR       # somewhere else
    python tools/website.py --jobs 1        # run the chapters one at a time (default: as many as there are cores, max 3)
    python tools/website.py --no-run        # only run Sphinx again on the pages of the last run (after editing docs/)

Each chapter page is the notebook as a learner sees it after *Run All*: the prose with typeset maths, the code,
what it prints, every figure and the training animation; where a widget panel stands, its static figure and a
one-line note. Below each exercise, its hints and its solution are folded (click to open). Every page has Colab
and Binder launch links; the site has a sidebar and a search box, reads on a phone, and loads nothing from other
sites (MathJax is served from the site itself), so it can be published as it is on GitHub Pages.

The chapters run in this Python environment (a fresh kernel each, in the notebooks/ folder, as nbval does), with
the checks of tools/handouts.py: a chapter that raises, writes to stderr or shows a bare widget stops the build,
naming the chapter and the cell. Sphinx's configuration is docs/conf.py; the pages are assembled in build/site-src/.
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import os
import re
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import handouts  # noqa: E402  (tools/handouts.py: runs a chapter and checks it makes a good page)

DOCS = ROOT / "docs"
DEFAULT_OUT = ROOT / "build" / "site"
SOURCE = ROOT / "build" / "site-src"
# What building the site needs, as (module, the requirement that provides it).
NEEDS = [("sphinx", "sphinx"), ("myst_nb", "myst-nb"), ("sphinx_book_theme", "sphinx-book-theme"),
         ("sphinx_togglebutton", "sphinx-togglebutton"), ("sphinx-mathjax-offline", "sphinx-mathjax-offline")]
BADGE = re.compile(r"\[!\[([^\]]*)\]\([^)]*\)\]\(([^)]+)\)")  # [![Open In Colab](badge.svg)](link)


def missing_tools() -> list[str]:
    """Requirements this Python lacks for building the site (chapters and their kernel, Sphinx and its parts)."""
    lacking = handouts.missing_tools()
    for module, requirement in NEEDS:
        if importlib.util.find_spec(module) is None:
            lacking.append(requirement)
    return lacking


def _exercise_notes(module, code: str) -> list[str]:
    """MyST blocks with the hints and solution of each exercise this code cell checks, folded."""
    blocks = []
    for name in dict.fromkeys(re.findall(r"\bex\.(\w+)\.check\(", code)):
        exercise = getattr(module, name, None)
        if exercise is None:
            continue
        title = getattr(exercise, "title", name)
        parts = []
        hints = list(getattr(exercise, "hints", []))
        for number, hint in enumerate(hints, 1):
            parts.append(f":::{{admonition}} Hint {number} of {len(hints)}: {title}\n:class: dropdown tip\n"
                         f"{hint}\n:::")
        solution = getattr(exercise, "solution_code", "")
        if solution:
            parts.append(f":::{{admonition}} Solution: {title}\n:class: dropdown\n```python\n{solution}\n```\n:::")
        if parts:
            blocks.append("\n\n".join(parts))
    return blocks


def for_the_site(nb, name: str):
    """The executed chapter as a site page: badges as plain links, widgets as their figure, exercises folded."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    exercises = None
    match = re.match(r"(\d\d)_", name)
    if match:
        try:
            exercises = importlib.import_module(f"nbhelpers.exercises.ch{match.group(1)}")
        except ImportError:
            exercises = None
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            # badge images live on other sites; the page links to the same places in plain text
            cell.source = BADGE.sub(lambda m: f"[{m.group(1)}]({m.group(2)})", cell.source)
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None:  # no live kernel on a web page: show the panel's figure and note
                data.pop(handouts.WIDGET_MIME, None)
        if exercises is not None:
            for block in _exercise_notes(exercises, cell.source):
                cells.append(handouts.nbformat().v4.new_markdown_cell(block))
    nb.cells = cells
    return nb


def _chapter_links(name: str) -> str:
    import notebooks as builder  # tools/notebooks.py: the one place that writes Colab and Binder links

    return f"[Open in Colab]({builder.colab_url(name)}) · [Launch on Binder]({builder.binder_url(name)})"


def _index(pages: list[tuple[str, str]]) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("\n\n")[1].strip()
    rows = "\n".join(f"| {n + 1} | [{title}](notebooks/{stem}.ipynb) | {_chapter_links(stem + '.ipynb')} |"
                     for n, (stem, title) in enumerate(pages))
    toc = "\n".join(f"notebooks/{stem}" for stem, _ in pages)
    guides = "\n".join(f"docs/{p.stem}" for p in sorted(DOCS.glob("*.md")))
    return f"""# Neural networks from zero

{intro}

| # | chapter | run it yourself |
|---|---|---|
{rows}

Each page shows a chapter after *Run All*: read it here, or open it in Colab or Binder to run the code, move the
sliders and answer the exercises (their hints and solutions are folded below each one). To run everything on your
own computer, follow the set-up in the course's README.

```{{toctree}}
:maxdepth: 1
:caption: Chapters
:hidden:

{toc}
```

```{{toctree}}
:maxdepth: 1
:caption: For instructors
:hidden:

{guides}
```
"""


def _guide_page(path: Path) -> str:
    """A docs/ page for the site: with the launch links every page carries."""
    text = path.read_text(encoding="utf-8")
    first = "01_neuron.ipynb"
    note = f"\n\n*Run the course:* chapter 1 {_chapter_links(first)}.\n"
    head, _, rest = text.partition("\n")
    return head + note + rest


def assemble(executed: dict[str, object], source: Path = SOURCE) -> None:
    """Write the site's pages into ``source``: index, chapters (executed) and the docs/ guides."""
    import nbformat

    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    (source / "docs").mkdir()
    pages = []
    for name, nb in executed.items():
        page = for_the_site(nb, name)
        nbformat.write(page, source / "notebooks" / name)
        pages.append((Path(name).stem, handouts.title_of(nb, Path(name).stem)))
    for path in sorted(DOCS.glob("*.md")):
        (source / "docs" / path.name).write_text(_guide_page(path), encoding="utf-8")
    (source / "index.md").write_text(_index(pages), encoding="utf-8")


def build(source: Path, out: Path) -> int:
    """Run Sphinx (docs/conf.py) on the assembled pages; 0 when it built without warnings."""
    from sphinx.cmd.build import build_main

    if out.exists():
        shutil.rmtree(out)
    doctrees = source.parent / "site-doctrees"
    return build_main(["-b", "html", "-q", "-W", "--keep-going", "-c", str(DOCS), "-d", str(doctrees),
                       str(source), str(out)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="start of a chapter's file name, e.g. 01 (default: all)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: build/site)")
    parser.add_argument("--jobs", type=int, default=min(3, os.cpu_count() or 1), help="chapters run at once")
    parser.add_argument("--no-run", action="store_true",
                        help="only run Sphinx again, on the pages assembled last time in build/site-src/")
    args = parser.parse_args(argv)

    lacking = missing_tools()
    if lacking:
        print(f"site: this Python ({sys.executable}) cannot build the site: it lacks {', '.join(lacking)}. Run it "
              "with the course's environment after the README's test command:  .venv/bin/python tools/website.py  "
              "(or install them: pip install -r requirements.txt -r requirements-test.txt)", file=sys.stderr)
        return 2
    if args.no_run:
        if not (SOURCE / "index.md").exists():
            print(f"site: nothing assembled in {SOURCE} yet: run  python tools/website.py  first", file=sys.stderr)
            return 2
        return 0 if build(SOURCE, args.out) == 0 else 1
    selected = handouts.chapters(args.chapters)
    if not selected:
        print(f"no chapter matches {args.chapters} in {handouts.NOTEBOOKS}", file=sys.stderr)
        return 2

    def run(path: Path):
        start = time.monotonic()
        try:
            nb = handouts.execute(path)
        except Exception as err:  # noqa: BLE001 - report every chapter's failure, go on with the others
            return path, None, [f"it does not run top to bottom:\n{err}"], 0.0
        return path, nb, handouts.problems(nb), time.monotonic() - start

    executed, failed = {}, []
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        for path, nb, found, seconds in pool.map(run, selected):
            if found:
                failed.append(path.name)
                print(f"FAILED {path.name}:\n  " + "\n  ".join(found), file=sys.stderr)
                continue
            counts = handouts.summary(nb)
            executed[path.name] = nb
            print(f"{path.name}: ran in {seconds:.1f} s: {counts['figures']} figures, {counts['animations']} "
                  f"animations, {counts['panels']} panels")
    if failed:
        print(f"site: {len(failed)} of {len(selected)} chapters failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    assemble(executed)
    start = time.monotonic()
    status = build(SOURCE, args.out)
    if status != 0:
        print(f"site: Sphinx reported problems (above); the pages are in {SOURCE}", file=sys.stderr)
        return 1
    shown = args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out
    print(f"site: {len(executed)} chapters built into {shown} in {time.monotonic() - start:.1f} s "
          f"(open {shown / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
