"""Colab's first cell installs the chapter's release, falls back to the default branch, or says why it cannot;
and one command makes a release whose version, notebooks and changelog agree.

The setup cell is run as Colab runs it (an IPython shell with ``google.colab`` imported) against a git repository
made here from the course's files, with real git and real pip, offline: pip gets --no-index, --no-deps and
--no-build-isolation through its environment variables and installs into a folder of its own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import release  # noqa: E402  (tools/release.py)

from nbhelpers import _meta  # noqa: E402

CHAPTER = ROOT / "notebooks" / "01_neuron.ipynb"
PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE"]

# IPython's shell, as in a notebook: an exception's _render_traceback_ is honoured, so what a learner sees is printed.
RUN_AS_COLAB = """
import sys, types
colab = types.ModuleType("google.colab")
sys.modules["google"] = types.ModuleType("google")
sys.modules["google"].colab = sys.modules["google.colab"] = colab
from IPython.core.interactiveshell import InteractiveShell
result = InteractiveShell.instance().run_cell(open(sys.argv[1], encoding="utf-8").read())
if result.success:
    import nbhelpers
    print("INSTALLED-AT", nbhelpers.__file__)
sys.exit(0 if result.success else 3)
"""


def _git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=CI", "-c", "user.email=ci@localhost", *args], cwd=cwd, check=True,
                   capture_output=True)


def _commit_package(repo: Path, version: str, message: str) -> None:
    """Put the helper package, at ``version``, into the repository and commit it."""
    for name in PACKAGE_FILES:
        shutil.copy(ROOT / name, repo / name)
    shutil.rmtree(repo / "nbhelpers", ignore_errors=True)
    shutil.copytree(ROOT / "nbhelpers", repo / "nbhelpers", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    meta = repo / "nbhelpers" / "_meta.py"
    meta.write_text(re.sub(r'^__version__ = "[^"]+"', f'__version__ = "{version}"', meta.read_text(), flags=re.M))
    _git("add", "-A", cwd=repo)
    _git("commit", "-q", "-m", message, cwd=repo)


def _setup_cell() -> str:
    cells = json.loads(CHAPTER.read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def _run_setup_cell(tmp_path: Path, repository_url: str) -> tuple[int, str, Path]:
    code = _setup_cell()
    assert f'COURSE_REPOSITORY = "{_meta.REPOSITORY_URL}"' in code
    cell = tmp_path / "setup_cell.py"
    cell.write_text(code.replace(f'COURSE_REPOSITORY = "{_meta.REPOSITORY_URL}"',
                                 f'COURSE_REPOSITORY = "{repository_url}"'), encoding="utf-8")
    target = tmp_path / "site-packages"
    target.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PYTHON"))}
    env.update(PYTHONPATH=str(target), PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_NO_DEPS="1",
               PIP_NO_BUILD_ISOLATION="0", PIP_TARGET=str(target), PIP_DISABLE_PIP_VERSION_CHECK="1",
               MPLBACKEND="Agg")
    run = subprocess.run([sys.executable, "-c", RUN_AS_COLAB, str(cell)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=600)
    return run.returncode, run.stdout + run.stderr, target


@pytest.fixture
def course_repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed, and pip needs it to install from a repository")
    try:
        setuptools = Version(metadata.version("setuptools"))
    except metadata.PackageNotFoundError:
        setuptools = Version("0")
    if setuptools < Version("77"):
        pytest.skip(f"building the helpers offline needs setuptools>=77 here (found {setuptools}); "
                    "pip install -r requirements-test.txt")
    repo = tmp_path / "nn-from-zero"
    repo.mkdir()
    _git("init", "-q", "-b", "main", cwd=repo)
    # pip's URL parser wants a host, and git takes file://localhost/ as a local path
    return repo, f"file://localhost{repo.as_posix()}"


def test_colab_cell_installs_the_release_the_chapter_was_written_for(course_repo, tmp_path):
    repo, url = course_repo
    _commit_package(repo, _meta.__version__, "the release")
    _git("tag", "-a", f"v{_meta.__version__}", "-m", "release", cwd=repo)
    _commit_package(repo, "99.0.0", "newer work on the default branch")
    code, output, target = _run_setup_cell(tmp_path, url)
    assert code == 0, output
    assert f"Ready: nbhelpers {_meta.__version__} " in output, output  # the tag's version, not the branch's 99.0.0
    assert "Note:" not in output
    assert f"INSTALLED-AT {target}" in output, "the cell must use the helpers it installed"


def test_colab_cell_falls_back_to_the_default_branch_with_a_note_when_the_tag_is_missing(course_repo, tmp_path):
    repo, url = course_repo
    _commit_package(repo, "99.0.0", "no release tag yet")
    code, output, target = _run_setup_cell(tmp_path, url)
    assert code == 0, output
    notes = [line for line in output.splitlines() if line.startswith("Note:")]
    assert notes == [f"Note: release v{_meta.__version__} is not published, so the helpers come from the default "
                     "branch."], output
    assert "Ready: nbhelpers 99.0.0 " in output, output  # setup accepts the branch's version
    assert f"INSTALLED-AT {target}" in output


def test_colab_cell_ends_with_one_sentence_when_nothing_can_be_installed(course_repo, tmp_path):
    _repo, url = course_repo
    code, output, _target = _run_setup_cell(tmp_path, url + "-missing")
    assert code == 3, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, f"one sentence and nothing else, got:\n{output}"
    assert lines[0].startswith(f"SetupProblem: Could not install the course helpers from {url}-missing (pip said: ")
    assert "does not appear to be a git repository" in lines[0] and lines[0].endswith("run this cell again.")
    assert "Traceback" not in output and "CalledProcessError" not in output


# ---------------------------------------------------------------------------------------------------------------
# Releasing: one command; CI checks that the version's places agree


def test_version_notebooks_and_changelog_agree():
    assert release.problems() == [], "run  python tools/release.py --check  for details"


def _course_copy(tmp_path: Path) -> Path:
    """The course's package, chapters, tools and top-level files in a new git repository (CI's copy has no .git)."""
    copy = tmp_path / "course"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for folder in ("nbhelpers", "notebooks", "tools"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "requirements.txt"):
        shutil.copy(ROOT / name, copy / name)
    _git("init", "-q", "-b", "main", cwd=copy)
    _git("add", "-A", cwd=copy)
    _git("commit", "-q", "-m", "start", cwd=copy)
    return copy


def test_release_bumps_rebuilds_commits_and_tags(tmp_path):
    import datetime

    copy = _course_copy(tmp_path)
    old = _meta.__version__
    new = ".".join([*old.split(".")[:2], str(int(old.split(".")[2]) + 1)])
    changelog = copy / "CHANGELOG.md"  # (whatever the course's own Unreleased section says, start from an empty one)
    emptied = re.sub(r"(?ms)^## Unreleased\n.*?(?=^## )", "## Unreleased\n\n", changelog.read_text())
    if emptied != changelog.read_text():
        changelog.write_text(emptied)
        _git("commit", "-q", "-am", "nothing unreleased", cwd=copy)
    with pytest.raises(release.ReleaseProblem, match="Unreleased"):  # nothing written under ## Unreleased
        release.release(new, root=copy)
    changelog.write_text(changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\n- A fix.\n"))
    with pytest.raises(release.ReleaseProblem, match="uncommitted"):
        release.release(new, root=copy)
    _git("commit", "-q", "-am", "changelog", cwd=copy)
    with pytest.raises(release.ReleaseProblem, match="newer than"):
        release.release(old, root=copy)

    release.release(new, root=copy, today=datetime.date(2027, 1, 2))
    assert release.current_version(copy) == new and release.problems(copy) == []
    text = changelog.read_text()
    assert f"## Unreleased\n\n## {new} - 2027-01-02\n\n- A fix.\n" in text
    first_cell = json.loads((copy / "notebooks" / "01_neuron.ipynb").read_text())["cells"][1]
    assert f'NBHELPERS_VERSION = "{new}"' in "".join(first_cell["source"]), "the notebooks were not rebuilt"
    log = subprocess.run(["git", "log", "-1", "--format=%s", f"v{new}"], cwd=copy, capture_output=True, text=True)
    assert log.stdout.strip() == f"Release {new}"
    assert subprocess.run(["git", "status", "--porcelain"], cwd=copy, capture_output=True, text=True).stdout == ""


def test_release_check_names_each_disagreement(tmp_path):
    copy = _course_copy(tmp_path)
    meta = copy / "nbhelpers" / "_meta.py"
    meta.write_text(re.sub(r'^__version__ = "[^"]+"', '__version__ = "9.9.9"', meta.read_text(), flags=re.M))
    found = release.problems(copy)
    assert any("CHANGELOG.md is " in p and "says 9.9.9" in p for p in found), found
    assert sum("setup cell installs release" in p for p in found) == len(list((copy / "notebooks").glob("0*.ipynb")))
