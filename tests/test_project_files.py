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
import shutil
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


def _commands(path: Path, *names: str) -> list[str]:
    """The one-line code blocks that follow ``<!-- NAME -->`` markers in a markdown file, in the order asked."""
    text = path.read_text(encoding="utf-8")
    found = []
    for name in names:
        match = re.search(rf"<!-- {name} -->\s*```(?:bash|sh)?\n(.*?)\n```", text, re.DOTALL)
        assert match, f"{path.name} has no code block after <!-- {name} -->"
        found.append(match.group(1).strip())
    return found


def _readme_commands() -> list[str]:
    return _commands(ROOT / "README.md", "open-command", "reopen-command", "test-command")


def test_readme_has_the_open_reopen_and_test_commands():
    open_cmd, reopen_cmd, test_cmd = commands = _readme_commands()
    for cmd in commands:
        assert "\n" not in cmd, "each set-up command is one line a learner can paste"
    for cmd in (open_cmd, test_cmd):
        assert "pip install -r requirements.txt" in cmd
    assert "jupyter lab" in open_cmd
    assert "requirements-test.txt" not in open_cmd, "learners do not need the test tools (Playwright is big)"
    assert "pytest" in test_cmd and "-r requirements-test.txt" in test_cmd
    # reopening installs nothing (offline, an editable reinstall would fail: it needs setuptools from the index)
    assert "pip" not in reopen_cmd and "venv" not in reopen_cmd.replace(".venv/", "")
    assert open_cmd.endswith(" && " + reopen_cmd), "the open command ends by doing what the reopen command does"
    # as root (Docker, cloud machines) JupyterLab refuses to start without --allow-root; it is a no-op otherwise
    assert "--allow-root" in reopen_cmd
    assert "--ServerApp.root_dir=." in reopen_cmd and reopen_cmd.endswith("notebooks/01_neuron.ipynb")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_reopen_command_serves_the_course_folder_and_opens_chapter_1(tmp_path):
    """Run the README's reopen command (this environment's jupyter) and ask the server what it serves."""
    import subprocess
    import time
    import urllib.parse
    import urllib.request

    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"no jupyter next to {sys.executable} (install requirements.txt)")
    words = _readme_commands()[1].split()
    assert words[0] == ".venv/bin/jupyter"
    port, token = _free_port(), "course-test"
    # The "browser" is echo: the server's log then says which page JupyterLab would open.
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"), "JUPYTER_CONFIG_DIR": str(tmp_path),
           "BROWSER": "echo BROWSER-OPENS %s"}
    server = subprocess.Popen(
        [str(jupyter), *words[1:], f"--ServerApp.port={port}",
         "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", "--ServerApp.ip=127.0.0.1"],
        cwd=ROOT, env=env, stdout=(tmp_path / "server.log").open("w"), stderr=subprocess.STDOUT, text=True)
    log = (tmp_path / "server.log").read_text
    try:
        def get(path):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}",
                                             headers={"Authorization": f"token {token}"})
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.loads(response.read())

        deadline = time.monotonic() + 90
        while True:
            try:
                listing = get("/api/contents/notebooks")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail("JupyterLab did not start with the README's reopen command:\n" + log()[-3000:])
                time.sleep(0.5)
        assert "01_neuron.ipynb" in {item["name"] for item in listing["content"]}
        root = {item["name"] for item in get("/api/contents/")["content"]}
        assert {"README.md", "notebooks", "docs"} <= root, f"the file browser should show the course folder: {root}"
        while "BROWSER-OPENS" not in log() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.3)  # the server opens the browser just after it starts listening
        # the browser is given a local page that redirects to the notebook; read it while the server still runs
        opened = re.findall(r"BROWSER-OPENS (file:\S+)", log())
        assert opened, f"JupyterLab opened no page:\n{log()[-2000:]}"
        redirect = Path(urllib.parse.unquote(urllib.parse.urlsplit(opened[0]).path)).read_text()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    target = re.search(r'<a href="([^"]+)"', redirect)
    assert target and urllib.parse.urlsplit(target.group(1)).path == "/lab/tree/notebooks/01_neuron.ipynb", (
        f"JupyterLab should open chapter 1; it opens: {redirect[-600:]}")


def _setuptools_77_here() -> None:
    try:
        found = Version(metadata.version("setuptools"))
    except metadata.PackageNotFoundError:
        found = None
    if found is None or found < Version("77"):
        pytest.skip(f"building the helpers without the index needs setuptools>=77 here (found {found}); "
                    "pip install -r requirements-test.txt")


def test_wheel_ships_the_licence(tmp_path):
    import subprocess
    import zipfile

    _setuptools_77_here()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True,
                   env={**os.environ, "PIP_CONFIG_FILE": os.devnull})
    (wheel,) = tmp_path.glob("nbhelpers-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    licences = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert licences, f"no LICENSE in the wheel: {names}"
    assert "MIT License" in zipfile.ZipFile(wheel).read(licences[0]).decode()
    assert not any(n.startswith(("tests/", "notebooks/", "tools/")) for n in names)


_NO_NETWORK = {name: "http://127.0.0.1:9" for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                                                         "ALL_PROXY", "all_proxy")}


def test_offline_recipe_of_the_instructors_guide_installs_with_the_index_switched_off(tmp_path):
    """docs/instructors.md: wheels into a folder once (kept in build/ and reused), then an install from it offline."""
    import fcntl
    import hashlib
    import platform
    import subprocess

    guide = ROOT / "docs" / "instructors.md"
    fetch, install = _commands(guide, "offline-download", "offline-install")
    assert fetch.startswith("python3 -m venv .venv && ") and install.startswith("python3 -m venv .venv && ")
    fetch, install = fetch.split(" && ", 1)[1], install.split(" && ", 1)[1]
    assert fetch.startswith(".venv/bin/python -m pip wheel -w wheels ") and '"setuptools>=77"' in fetch
    assert install.startswith(".venv/bin/python -m pip install --no-index --find-links wheels ")

    # the course folder as a learner gets it (the helpers are built from it)
    course = tmp_path / "course"
    course.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE", "requirements.txt"):
        shutil.copy(ROOT / name, course / name)
    shutil.copytree(ROOT / "nbhelpers", course / "nbhelpers", ignore=shutil.ignore_patterns("__pycache__"))

    key = hashlib.sha256(((ROOT / "requirements.txt").read_text() + fetch + platform.platform()
                          + sys.version).encode()).hexdigest()[:12]
    wheels = ROOT / "build" / "offline-wheels" / key
    wheels.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_DISABLE_PIP_VERSION_CHECK="1")
    with open(wheels.parent / f"{key}.lock", "w") as lock:  # CI's environments may share the folder
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (wheels / "complete").exists():  # once per requirements.txt, Python and platform
            words = fetch.replace('"setuptools>=77"', "setuptools>=77").split()
            words[words.index("wheels")] = str(wheels)
            run = subprocess.run([sys.executable, *words[1:]], cwd=course, capture_output=True, text=True, env=env,
                                 timeout=1500)
            said = (run.stdout + run.stderr).strip()
            if run.returncode != 0 and re.search(r"(?i)(connection|resolve|network|timed out|no matching dist)", said):
                pytest.skip("the package index cannot be reached to fetch the wheels once: " + said.splitlines()[-1])
            assert run.returncode == 0, said[-3000:]
            (wheels / "complete").write_text(f"made by: {fetch}\n")
    assert list(wheels.glob("setuptools-*.whl")), "the folder must hold setuptools, which builds the helper package"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    words = install.split()
    words[words.index("wheels")] = str(wheels)
    run = subprocess.run([str(python), *words[1:]], cwd=course, capture_output=True, text=True,
                         env={**env, **_NO_NETWORK, "no_proxy": "", "NO_PROXY": ""}, timeout=1500)
    assert run.returncode == 0, "offline install failed:\n" + (run.stdout + run.stderr)[-3000:]
    clean = {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    check = subprocess.run([str(python), "-c", "import nbhelpers, numpy, matplotlib, ipywidgets, jupyterlab, "
                            "pytest, nbval; print(nbhelpers.__version__, nbhelpers.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=clean)
    assert check.returncode == 0, check.stderr
    version, where = check.stdout.split()
    assert version == _meta_version() and Path(where).is_relative_to(course), check.stdout


def _meta_version() -> str:
    from nbhelpers import _meta

    return _meta.__version__


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
    assert "tools/website.py" in ci and "NNFZ_REQUIRE_SITE=1" in ci, "CI builds the course website and tests it"
    assert "tools/release.py --check" in ci
    # the ends of the supported range, found robustly, and said when missing
    assert "python_lane 3.10 3.10.13" in ci and "python_lane 3.13 3.13.0" in ci and "SKIPPED Python" in ci
    assert "fonts-noto-cjk" in ci, "CJK fonts, so the screenshots show the key terms' Chinese names"


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
