"""Build the chapters' .ipynb files from their readable sources in notebooks/src/, or check they agree.

    python tools/notebooks.py build     # write notebooks/*.ipynb from notebooks/src/*.py
    python tools/notebooks.py check     # exit 1 if any notebook differs from what its source builds

Sources use the "percent" format (also read by jupytext, VS Code and Spyder):

    # %% [markdown]
    # # A title
    # Some *markdown*, each line behind "# ".

    # %%
    x = 1 + 1          # a code cell

Two things are filled in from ``nbhelpers/_meta.py``, the one place that names the release and the repository:

- ``# %% [setup]`` becomes the standard setup cell (in Colab: install this release's helpers, or the default
  branch with a note when the release tag is missing; then the environment check and seeding);
- ``{{BADGES}}`` in markdown becomes the Colab and Binder badges of that chapter.

Notebooks are written without outputs, with stable cell ids, so diffs stay small.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nbhelpers import _meta  # noqa: E402

SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"

SETUP_CELL = '''\
# Setup: run this cell first. In Colab it installs the course helpers; elsewhere it only checks and imports.
import sys

NBHELPERS_VERSION = "{version}"  # the helper release this chapter was written for
COURSE_REPOSITORY = "{repository_url}"


class SetupProblem(Exception):
    def _render_traceback_(self):  # Jupyter shows the sentence alone, with no traceback
        return [f"SetupProblem: {{self}}"]


if "google.colab" in sys.modules:  # Colab: install the helpers of this chapter's release
    import subprocess

    def pip_install(ref=""):  # a release tag, or "" for the repository's default branch
        spec = f"nbhelpers @ git+{{COURSE_REPOSITORY}}" + (f"@{{ref}}" if ref else "")
        run = subprocess.run([sys.executable, "-m", "pip", "install", "-q", spec], capture_output=True, text=True)
        said = [line.strip(" │╰─>") for line in run.stderr.splitlines() if line.strip()] or ["no message"]
        return run.returncode == 0, next((s for s in said if s.startswith(("fatal:", "ERROR:"))), said[-1])

    installed, pip_said = pip_install(f"v{{NBHELPERS_VERSION}}")
    if not installed:
        installed, pip_said = pip_install()
        if not installed:
            raise SetupProblem(f"Could not install the course helpers from {{COURSE_REPOSITORY}} (pip said: "
                               f"{{pip_said}}); check that this runtime is online, then run this cell again.")
        print(f"Note: release v{{NBHELPERS_VERSION}} is not published, so the helpers come from the default branch.")
        NBHELPERS_VERSION = None  # the branch may be newer than this chapter's release: accept its version
try:
    import nbhelpers
except ModuleNotFoundError:
    raise SetupProblem(
        "The course helpers (nbhelpers) are not installed for this kernel. Fix: in a terminal in the course "
        "folder run  pip install -r requirements.txt  then restart the kernel (Kernel > Restart Kernel)."
    ) from None
rng = nbhelpers.setup_notebook(NBHELPERS_VERSION, seed=0)  # checks versions, seeds numpy and random'''


def colab_url(name: str) -> str:
    return f"https://colab.research.google.com/github/{_meta.REPOSITORY}/blob/{_meta.BADGE_REF}/notebooks/{name}"


def binder_url(name: str) -> str:
    return f"https://mybinder.org/v2/gh/{_meta.REPOSITORY}/{_meta.BADGE_REF}?urlpath=lab/tree/notebooks/{name}"


def badges(name: str) -> str:
    return (
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(name)}) "
        f"[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder_url(name)})"
    )


def setup_code() -> str:
    return SETUP_CELL.format(version=_meta.__version__, repository_url=_meta.REPOSITORY_URL)


_MARKER = re.compile(r"^# %%(?:\s*\[(\w+)\])?\s*$")


def parse(text: str) -> list[tuple[str, str]]:
    """Split a percent-format source into ``(kind, text)`` cells; kind is 'code', 'markdown' or 'setup'."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        match = _MARKER.match(line)
        if match:
            cells.append((match.group(1) or "code", []))
        elif cells:
            cells[-1][1].append(line)
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"code before the first '# %%' marker: {line!r}")
    result = []
    for kind, lines in cells:
        if kind not in ("code", "markdown", "setup"):
            raise ValueError(f"unknown cell kind [{kind}]; use [markdown], [setup] or none")
        if kind == "markdown":
            bad = [ln for ln in lines if ln.strip() and not (ln == "#" or ln.startswith("# "))]
            if bad:
                raise ValueError(f"markdown lines must start with '# ': {bad[0]!r}")
            lines = [ln[2:] if ln.startswith("# ") else "" for ln in lines]
        body = "\n".join(lines).strip("\n")
        result.append((kind, body))
    return result


def build_notebook(source: Path) -> nbformat.NotebookNode:
    name = source.with_suffix(".ipynb").name
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
    }
    for index, (kind, body) in enumerate(parse(source.read_text(encoding="utf-8"))):
        cell_id = f"{source.stem[:2]}-{index:03d}"
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(body.replace("{{BADGES}}", badges(name)), id=cell_id)
        elif kind == "setup":
            if body:
                raise ValueError(f"{source.name}: the [setup] cell is generated; leave it empty")
            cell = nbformat.v4.new_code_cell(setup_code(), id=cell_id)
        else:
            cell = nbformat.v4.new_code_cell(body, id=cell_id)
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def render(source: Path) -> str:
    return nbformat.writes(build_notebook(source)) + "\n"


def sources() -> list[Path]:
    return sorted(p for p in SRC.glob("[0-9]*.py"))


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "build"
    if command not in ("build", "check"):
        print(__doc__)
        return 2
    stale = []
    for source in sources():
        target = OUT / source.with_suffix(".ipynb").name
        text = render(source)
        if command == "build":
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                target.write_text(text, encoding="utf-8")
                print(f"wrote {target.relative_to(ROOT)}")
        elif not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target.relative_to(ROOT))
    if stale:
        print("out of date (run: python tools/notebooks.py build):", *stale, sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
