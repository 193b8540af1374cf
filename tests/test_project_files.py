"""Install files agree with each other, only nbhelpers is packaged, and CI runs the README's test command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None


def _requirements(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        name = re.match(r"[A-Za-z0-9_.-]+", line).group(0).lower()
        found[name] = line[len(name):].replace(" ", "")
    return found


def _environment_yml() -> tuple[dict[str, str], list[str]]:
    packages, pip = {}, []
    in_pip = in_deps = False
    for raw in (ROOT / "environment.yml").read_text().splitlines():
        line = raw.split("#")[0].rstrip()
        if re.match(r"^\w", line):
            in_deps = line.startswith("dependencies:")
            continue
        if not in_deps:
            continue
        if re.match(r"^\s{2}- pip:\s*$", line):
            in_pip = True
            continue
        if in_pip and re.match(r"^\s{6}- ", line):
            pip.append(line.strip()[2:].strip())
            continue
        in_pip = False
        m = re.match(r"^\s{2}- ([A-Za-z0-9_.-]+)(.*)$", line)
        if m and m.group(1) not in ("python", "pip"):
            packages[m.group(1).lower()] = m.group(2).replace(" ", "")
    return packages, pip


def test_environment_yml_matches_requirements():
    req = _requirements(ROOT / "requirements.txt")
    env, pip = _environment_yml()
    assert env == req, "environment.yml (Binder) and requirements.txt must name the same packages and ranges"
    assert "-e ." in pip, "Binder ignores requirements.txt, so environment.yml must install the helper package"
    assert "-e ." in (ROOT / "requirements.txt").read_text().splitlines()


def test_package_dependencies_are_ranges_within_requirements():
    text = (ROOT / "pyproject.toml").read_text()
    deps = re.search(r"dependencies = \[(.*?)\]", text, re.S).group(1)
    req = _requirements(ROOT / "requirements.txt")
    for dep in re.findall(r'"([^"]+)"', deps):
        name = re.match(r"[A-Za-z0-9_.-]+", dep).group(0).lower()
        assert "==" not in dep, f"{dep}: declare a range, not an exact pin"
        assert req[name] == dep[len(name):], f"{name}: pyproject says {dep}, requirements.txt says {req[name]}"
    assert '"ipywidgets>=7.7,<9"' in deps  # Colab still ships 7.7.1
    assert '"numpy>=1.26,<3"' in deps


def test_only_nbhelpers_is_packaged():
    if tomllib is None:
        return
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    assert include == ["nbhelpers", "nbhelpers.*"]
    assert config["project"]["requires-python"] == ">=3.10"


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"<!-- (?:open|test)-command -->\s*```(?:bash|sh)?\n(.*?)\n```", text, re.S)


def test_readme_has_exactly_two_setup_commands():
    commands = _readme_commands()
    assert len(commands) == 2
    open_cmd, test_cmd = commands
    for cmd in commands:
        assert "\n" not in cmd.strip(), "each set-up command is one line a learner can paste"
        assert "pip install -r requirements.txt" in cmd
    assert "jupyter lab" in open_cmd
    assert "pytest" in test_cmd


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci, ".ci/run must take its command from the README, so the two cannot drift"
