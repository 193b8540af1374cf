"""Install files agree with each other, only nbhelpers is packaged, and CI runs the README's test command.

The install story in four files:

- ``requirements.txt``: what a learner installs (ranges), including the helper package;
- ``requirements-test.txt``: what the browser test and handouts add; the README's test command installs both;
- ``constraints.txt``: one known-good set of exact versions, used by Binder (through environment.yml) and by
  workshops; ``constraints-oldest.txt``: the oldest supported versions, CI's second environment;
- ``environment.yml``: conda and Binder; installs requirements.txt at the versions of constraints.txt.
"""

from __future__ import annotations

import ast
import json
import os
import re
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import notebooks as builder  # noqa: E402  (tools/notebooks.py)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def _requirements(path: Path) -> dict[str, str]:
    """name -> version specifier of each requirement line (options such as -e, -r, -c are left out)."""
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        found[canonicalize_name(req.name)] = str(req.specifier)
    return found


def _pins(path: Path) -> dict[str, Version]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.+!-]+)", line)
        assert match, f"{path.name}: every line must be an exact pin name==version; got {line!r}"
        pins[canonicalize_name(match.group(1))] = Version(match.group(2))
    return pins


def _environment_yml() -> tuple[dict[str, str], list[str]]:
    """The conda packages (name -> version text) and the pip lines of environment.yml."""
    packages, pip = {}, []
    in_pip = in_deps = False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#")[0].rstrip()
        if re.match(r"^\w", line):
            in_deps = line.startswith("dependencies:")
            continue
        if not in_deps or not line.strip():
            continue
        if re.match(r"^\s{2}- pip:\s*$", line):
            in_pip = True
            continue
        if in_pip and re.match(r"^\s{6}- ", line):
            pip.append(line.strip()[2:].strip())
            continue
        in_pip = False
        m = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+)\s*(.*)$", line)
        assert m, f"environment.yml: cannot read the line {raw!r}"
        packages[m.group(1).lower()] = m.group(2).replace(" ", "")
    return packages, pip


def _pyproject() -> str:
    return (ROOT / "pyproject.toml").read_text()


def _declared_dependencies() -> list[Requirement]:
    deps = re.search(r"dependencies = \[(.*?)\]", _pyproject(), re.DOTALL).group(1)
    return [Requirement(d) for d in re.findall(r'"([^"]+)"', deps)]


# ---------------------------------------------------------------------------------------------------------------
# requirements, constraints and environment.yml agree


def test_environment_yml_installs_requirements_at_the_known_good_set():
    conda, pip = _environment_yml()
    assert "-r requirements.txt" in pip, "Binder ignores requirements.txt, so environment.yml must install it"
    assert "-c constraints.txt" in pip, "Binder should get the known-good set CI passed with"
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines(), "requirements.txt installs nbhelpers"
    req = _requirements(ROOT / "requirements.txt")
    for name, spec in conda.items():  # anything installed by conda must be what requirements.txt asks for
        if name in ("python", "pip"):
            continue
        assert name in req, f"environment.yml installs {name}, which requirements.txt does not name"
        if re.fullmatch(r"==?[\d.]+(\.\*)?", spec):  # conda's pin, e.g. numpy=2.1
            version = spec.lstrip("=").removesuffix(".*")
            assert SpecifierSet(req[name]).contains(version), f"environment.yml: {name}{spec} is outside {req[name]}"
        else:
            assert SpecifierSet(spec) == SpecifierSet(req[name]), f"{name}: environment.yml {spec}, requirements {req[name]}"
    # repo2docker (Binder) uses binder/ or .binder/ instead of the root files when one exists
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()


def test_environment_python_is_the_one_the_known_good_set_was_recorded_on():
    conda, _ = _environment_yml()
    python = conda.get("python", "")
    match = re.fullmatch(r"=(\d+)\.(\d+)", python)
    assert match, f"environment.yml should pin python to a minor version, e.g. python=3.11; got python{python}"
    header = (ROOT / "constraints.txt").read_text()
    recorded = re.search(r"Python (\d+)\.(\d+)", header)
    assert recorded, "constraints.txt must say which Python its set was recorded on"
    assert match.groups() == recorded.groups(), "environment.yml's Python must be the one constraints.txt was made on"
    requires = tomllib.loads(_pyproject())["project"]["requires-python"] if tomllib else ">=3.10"
    assert SpecifierSet(requires).contains(f"{match.group(1)}.{match.group(2)}")


def test_known_good_set_pins_every_requirement_inside_its_range():
    pins = _pins(ROOT / "constraints.txt")
    for file in ("requirements.txt", "requirements-test.txt"):
        for name, spec in _requirements(ROOT / file).items():
            assert name in pins, f"constraints.txt does not pin {name} (from {file})"
            assert SpecifierSet(spec).contains(pins[name]), f"constraints.txt pins {name}=={pins[name]}, outside {spec}"
    assert "nbhelpers" not in pins, "the helper package comes from this folder, not from a pin"


def test_oldest_set_is_the_declared_floors_and_colab():
    pins = _pins(ROOT / "constraints-oldest.txt")
    for dep in _declared_dependencies():
        floors = [s.version for s in dep.specifier if s.operator == ">="]
        assert floors, f"pyproject.toml: {dep} needs a lower bound"
        name = canonicalize_name(dep.name)
        assert name in pins, f"constraints-oldest.txt must pin {name} to its oldest supported version"
        floor = Version(floors[0])
        assert pins[name] in dep.specifier and pins[name].release[:2] == floor.release[:2], (
            f"constraints-oldest.txt pins {name}=={pins[name]}, but the declared floor is {floor}")
    assert str(pins["ipywidgets"]) == "7.7.1", "Colab ships ipywidgets 7.7.1"


def test_installed_versions_are_inside_the_declared_ranges():
    for dep in _declared_dependencies():
        installed = metadata.version(dep.name)
        assert dep.specifier.contains(installed, prereleases=True), f"{dep.name} {installed} is outside {dep}"


@pytest.mark.skipif(os.environ.get("NNFZ_EXPECT_OLDEST") != "1",
                    reason="only in CI's oldest-versions environment (NNFZ_EXPECT_OLDEST=1)")
def test_this_environment_really_has_the_oldest_versions():
    for name, version in _pins(ROOT / "constraints-oldest.txt").items():
        assert Version(metadata.version(name)) == version, f"{name} {metadata.version(name)} installed, not {version}"


def test_package_dependencies_are_ranges_within_requirements():
    req = _requirements(ROOT / "requirements.txt")
    for dep in _declared_dependencies():
        name = canonicalize_name(dep.name)
        assert "==" not in str(dep.specifier), f"{dep}: declare a range, not an exact pin"
        assert SpecifierSet(req[name]) == dep.specifier, f"{name}: pyproject says {dep}, requirements.txt {req[name]}"
    deps = [str(d) for d in _declared_dependencies()]
    assert any(d.startswith("ipywidgets") and "<9" in d and ">=7.7" in d for d in deps)  # Colab ships 7.7.1
    assert any(d.startswith("numpy") and ">=1.26" in d for d in deps)


def test_only_nbhelpers_is_packaged():
    if tomllib is None:
        return
    config = tomllib.loads(_pyproject())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert include == ["nbhelpers", "nbhelpers.*"]
    assert config["project"]["requires-python"] == ">=3.10"


# ---------------------------------------------------------------------------------------------------------------
# Everything the chapters and the helpers import is installed by requirements.txt (so by Binder and Colab too)


def _imports(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Top-level modules imported (required, optional); optional = inside try/except ImportError."""
    required, optional = set(), set()

    def visit(node, guarded):
        if isinstance(node, ast.Try):
            catches = {getattr(h.type, "id", None) for h in node.handlers} | {
                getattr(e, "id", None) for h in node.handlers if isinstance(h.type, ast.Tuple) for e in h.type.elts}
            inner = guarded or bool(catches & {"ImportError", "ModuleNotFoundError", "Exception"})
            for child in node.body:
                visit(child, inner)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            names = []
        for name in names:
            (optional if guarded else required).add(name.split(".")[0])
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return required, optional


def _provided_modules() -> set[str]:
    """Modules provided by requirements.txt's distributions and everything they depend on."""
    wanted = set(_requirements(ROOT / "requirements.txt"))
    seen, todo = set(), list(wanted)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    modules = set()
    for dist in metadata.distributions():
        if canonicalize_name(dist.metadata["Name"] or "") in seen:
            modules |= _top_level_modules(dist)
    return modules


def _top_level_modules(dist: metadata.Distribution) -> set[str]:
    """The importable top-level names a distribution installs, read from its RECORD of files.

    Not ``metadata.packages_distributions()``: before Python 3.11 it reads only ``top_level.txt``, which wheels
    built with meson or scikit-build (numpy, matplotlib, contourpy...) do not have, so it would find nothing.
    """
    names = set((dist.read_text("top_level.txt") or "").split())
    for file in dist.files or []:
        parts = file.parts
        if not parts or parts[0] in ("..", "__pycache__") or parts[0].endswith((".dist-info", ".data", ".egg-info")):
            continue
        top = parts[0]
        if len(parts) > 1:  # a package folder (or namespace package)
            names.add(top)
        elif top.endswith(".py"):
            names.add(top[:-3])
        elif re.search(r"\.(so|pyd)$", top):  # a compiled module, e.g. _cffi_backend.cpython-311-x86_64-linux-gnu.so
            names.add(top.split(".")[0])
    return {n for n in names if n.isidentifier()}


def test_everything_the_chapters_and_helpers_import_is_installed_by_requirements():
    provided = _provided_modules() | set(sys.stdlib_module_names) | {"nbhelpers", "__future__"}
    sources = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "nbhelpers").rglob("*.py")}
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        sources[nb.name] = "\n".join(ln for ln in code.splitlines() if not ln.lstrip().startswith(("%", "!")))
    missing = []
    for name, text in sources.items():
        required, _optional = _imports(ast.parse(text))
        missing += [f"{name} imports {module}" for module in sorted(required - provided)]
    assert not missing, ("not installed by requirements.txt (add it, or import it inside try/except ImportError "
                         "with a message): " + "; ".join(missing))


def test_module_finder_reads_wheels_without_top_level_txt():
    # numpy's and matplotlib's wheels have no top_level.txt (Python 3.10's packages_distributions() misses them)
    for dist, module in (("numpy", "numpy"), ("matplotlib", "matplotlib"), ("matplotlib", "mpl_toolkits"),
                         ("ipywidgets", "ipywidgets"), ("nbformat", "nbformat")):
        assert module in _top_level_modules(metadata.distribution(dist)), f"{dist} should provide {module}"
    assert {"numpy", "matplotlib", "ipywidgets", "IPython"} <= _provided_modules()


def test_import_scanner_tells_required_from_optional():
    required, optional = _imports(ast.parse(
        "import numpy as np\nfrom matplotlib.figure import Figure\n"
        "try:\n    import torch\nexcept ImportError:\n    torch = None\n"
        "def f():\n    import scipy.special\n"))
    assert required == {"numpy", "matplotlib", "scipy"} and optional == {"torch"}


# ---------------------------------------------------------------------------------------------------------------
# README: the two set-up commands, badges that open JupyterLab on the chapter; CI runs what the README says


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"<!-- (?:open|test)-command -->\s*```(?:bash|sh)?\n(.*?)\n```", text, re.DOTALL)


def test_readme_has_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    open_cmd, test_cmd = commands
    for cmd in commands:
        assert "\n" not in cmd.strip(), "each set-up command is one line a learner can paste"
        assert "pip install -r requirements.txt" in cmd
    assert "jupyter lab" in open_cmd
    assert "requirements-test.txt" not in open_cmd, "learners do not need the test tools (Playwright is big)"
    assert "pytest" in test_cmd and "-r requirements-test.txt" in test_cmd


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_readme_badges_open_each_chapter_in_jupyterlab(path):
    readme = (ROOT / "README.md").read_text()
    assert f"](notebooks/{path.name})" in readme, f"README's chapter table does not link {path.name}"
    assert builder.colab_url(path.name) in readme, f"README has no Colab badge for {path.name}"
    assert builder.binder_url(path.name) in readme, f"README has no Binder badge for {path.name}"
    assert builder.binder_url(path.name).endswith(f"?urlpath=lab/tree/notebooks/{path.name}")


def test_every_binder_link_opens_an_existing_chapter_in_jupyterlab():
    names = {p.name for p in NOTEBOOKS}
    texts = [(ROOT / "README.md").read_text(), *(p.read_text(encoding="utf-8") for p in NOTEBOOKS)]
    links = [link for t in texts for link in re.findall(r"https://mybinder\.org/v2/gh/[^)\s\"]+", t)]
    assert links
    for link in links:
        match = re.search(r"\?urlpath=lab/tree/notebooks/([\w.-]+\.ipynb)$", link)
        assert match, f"a Binder link must open JupyterLab on a chapter (urlpath=lab/tree/notebooks/...): {link}"
        # the README lists all six chapters from the start; a link to a chapter not written yet is allowed there
        assert match.group(1) in names or re.fullmatch(r"0[1-6]_\w+\.ipynb", match.group(1)), link


def test_ci_runs_the_readme_test_command_with_the_browser_and_both_environments():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci, ".ci/run must take its command from the README, so the two cannot drift"
    assert "NNFZ_REQUIRE_BROWSER=1" in ci, "in CI the browser test must run, not skip"
    assert "apt-get install" in ci and "chromium" in ci
    assert "-c constraints-oldest.txt" in ci and "NNFZ_EXPECT_OLDEST=1" in ci
    assert "tools/handouts.py" in ci


# ---------------------------------------------------------------------------------------------------------------
# The instructor's guide follows the chapters: every chapter has its section, and what it names exists


def _guide_sections() -> dict[str, str]:
    guide = (ROOT / "docs" / "instructors.md").read_text(encoding="utf-8")
    parts = re.split(r"^### (Chapter \d+ · .+)$", guide, flags=re.MULTILINE)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts) - 1, 2)}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_instructors_guide_covers_the_chapter_and_names_real_exercises(path):
    import importlib

    nb = json.loads(path.read_text(encoding="utf-8"))
    title = re.search(r"^# (Chapter \d+ · .+)$", "".join(nb["cells"][0]["source"]), re.MULTILINE).group(1).strip()
    sections = _guide_sections()
    assert title in sections, f"docs/instructors.md has no section '### {title}'"
    text = sections[title]
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    exercises = importlib.import_module(f"nbhelpers.exercises.ch{path.name[:2]}")
    for name in sorted(set(re.findall(r"`ex\.(\w+)", text))):
        assert hasattr(exercises, name), f"the guide's {title} names ex.{name}, which the chapter does not have"
        assert f"ex.{name}.check(" in code, f"the guide names ex.{name}, which {path.name} never checks"
    for widget in sorted(set(re.findall(r"`(\w+(?:Panel|Stepper)|Playground)`", text))):
        assert f"{widget}(" in code, f"the guide's {title} names the widget {widget}, which {path.name} does not show"
