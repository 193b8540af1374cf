"""Every chapter is stored clean, matches its source, and carries the setup cell and badges of this release."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebooks as builder  # noqa: E402  (tools/notebooks.py)

from nbhelpers import _meta  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SOURCES = builder.sources()


def test_every_source_has_a_notebook_and_back():
    assert [p.stem for p in SOURCES] == [p.stem for p in NOTEBOOKS]
    assert NOTEBOOKS, "no chapters found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {index} has stored outputs"
            assert cell.get("execution_count") is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_notebook_is_built_from_its_source(source):
    target = ROOT / "notebooks" / source.with_suffix(".ipynb").name
    assert target.read_text(encoding="utf-8") == builder.render(source), (
        f"{target.name} is out of date with {source.name}: run  python tools/notebooks.py build"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_cells_carry_badges_and_the_guarded_install(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    first_md = "".join(nb["cells"][0]["source"])
    assert builder.colab_url(path.name) in first_md and builder.binder_url(path.name) in first_md
    assert "urlpath=lab/tree/notebooks/" + path.name in first_md
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code = "".join(first_code["source"])
    assert 'if "google.colab" in sys.modules' in code, "the install must only run in Colab"
    assert f'COURSE_REPOSITORY = "{_meta.REPOSITORY_URL}"' in code
    version = re.search(r'NBHELPERS_VERSION = "([^"]+)"', code).group(1)
    assert version == _meta.__version__, "the notebook must name the helper release it was written for"
    # the release tag first, then the default branch (tests/test_release.py runs this logic against a real repo)
    assert 'pip_install(f"v{NBHELPERS_VERSION}")' in code and "pip_install()" in code
    assert "check=True" not in code, "a failed install must end in one sentence, not a CalledProcessError"
    assert "setup_notebook(NBHELPERS_VERSION" in code


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_template_parts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for part in ("**You will learn**", "**Time:**", "## Summary", "**Common pitfalls**", "简体中文", "繁體中文"):
        assert part in text, f"{path.name} lacks {part!r}"
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert ".check(" in code, f"{path.name} has no checked exercise"


def test_repository_address_lives_in_one_place():
    # the notebooks, README and environment files may only name the repository through _meta's value
    pattern = re.compile(r"github\.com/([\w.-]+/[\w.-]+?)(?:[/@?#)\s\"]|\.git|$)")
    for path in [*NOTEBOOKS, ROOT / "README.md"]:
        for repo in pattern.findall(path.read_text(encoding="utf-8")):
            assert repo == _meta.REPOSITORY, f"{path.name} names another repository: {repo}"


def test_builder_rejects_bad_sources(tmp_path):
    with pytest.raises(ValueError, match="markdown lines must start"):
        builder.parse("# %% [markdown]\nnot a comment\n")
    with pytest.raises(ValueError, match="unknown cell kind"):
        builder.parse("# %% [raw]\nx\n")
