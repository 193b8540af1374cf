"""Make a release of the course in one command: bump the version, rebuild the notebooks, commit and tag.

    python tools/release.py 0.1.1           # bump to 0.1.1, rebuild notebooks, commit "Release 0.1.1", tag v0.1.1
    python tools/release.py 0.1.1 --push    # the same, then push the branch and the tag to origin
    python tools/release.py --check         # exit 1 unless version, notebooks and CHANGELOG agree (CI runs this)

The version lives in one place, ``nbhelpers/_meta.py``. Every chapter's setup cell names it: in Colab it installs
``nbhelpers @ git+<repository>@v<version>``, so the tag must exist on GitHub before learners open the chapters
(until it does, the cell falls back to the default branch with a note). CHANGELOG.md must have a section for the
new version: write it under ``## Unreleased`` and this command renames that heading to ``## <version> - <date>``.

Before it changes anything it checks: the version is new and looks like 1.2.3, the git work tree is clean, and the
changelog has something to say. Push yourself afterwards (``git push origin HEAD v<version>``) or pass --push.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
META = ROOT / "nbhelpers" / "_meta.py"
CHANGELOG = ROOT / "CHANGELOG.md"
VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)
RELEASE_HEADING = re.compile(r"^## (\d+\.\d+\.\d+)\b", re.MULTILINE)
UNRELEASED = re.compile(r"^## Unreleased[ \t]*\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)


class ReleaseProblem(Exception):
    """A reason not to release (or, with --check, a disagreement between the version's places)."""


def current_version(root: Path = ROOT) -> str:
    return VERSION_LINE.search((root / "nbhelpers" / "_meta.py").read_text(encoding="utf-8")).group(1)


def problems(root: Path = ROOT) -> list[str]:
    """Where the version, the notebooks' setup cells and the changelog disagree (empty: they agree)."""
    version = current_version(root)
    found = []
    changelog = root / "CHANGELOG.md"
    releases = RELEASE_HEADING.findall(changelog.read_text(encoding="utf-8")) if changelog.exists() else []
    if not releases:
        found.append("CHANGELOG.md has no release section (a heading like '## 0.1.0 - 2026-12-01')")
    elif releases[0] != version:
        found.append(f"the newest release in CHANGELOG.md is {releases[0]}, but nbhelpers/_meta.py says {version}")
    for path in sorted((root / "notebooks").glob("[0-9]*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = next(("".join(c["source"]) for c in cells if c["cell_type"] == "code"), "")
        named = re.search(r'^NBHELPERS_VERSION = "([^"]+)"', code, re.MULTILINE)
        if not named or named.group(1) != version:
            found.append(f"{path.name}'s setup cell installs release {named.group(1) if named else '(none)'}, "
                         f"not {version}: run  python tools/notebooks.py build")
    return found


def _git(*args: str, root: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def release(version: str, root: Path = ROOT, push: bool = False, today: datetime.date | None = None) -> None:
    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise ReleaseProblem(f"the version must look like 1.2.3; got {version!r}")
    old = current_version(root)
    if tuple(map(int, version.split("."))) <= tuple(map(int, old.split("."))):
        raise ReleaseProblem(f"the version must be newer than the current {old}; got {version}")
    if _git("status", "--porcelain", root=root):
        raise ReleaseProblem("the git work tree has uncommitted changes: commit or stash them first")
    if _git("tag", "--list", f"v{version}", root=root):
        raise ReleaseProblem(f"the tag v{version} exists already")
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    unreleased = UNRELEASED.search(changelog)
    if not unreleased or not unreleased.group(1).strip():
        raise ReleaseProblem("CHANGELOG.md needs a '## Unreleased' section that says what changed; write it first")
    date = (today or datetime.date.today()).isoformat()
    (root / "CHANGELOG.md").write_text(
        changelog[:unreleased.start()] + f"## Unreleased\n\n## {version} - {date}\n"
        + changelog[unreleased.start():].split("\n", 1)[1],
        encoding="utf-8")
    meta = root / "nbhelpers" / "_meta.py"
    meta.write_text(VERSION_LINE.sub(f'__version__ = "{version}"', meta.read_text(encoding="utf-8"), count=1),
                    encoding="utf-8")
    # A fresh interpreter, so the builder reads the new version from _meta.py.
    subprocess.run([sys.executable, str(root / "tools" / "notebooks.py"), "build"], cwd=root, check=True)
    left = problems(root)
    if left:
        raise ReleaseProblem("after the bump: " + "; ".join(left))
    _git("add", "-A", root=root)
    _git("commit", "-q", "-m", f"Release {version}", root=root)
    _git("tag", "-a", f"v{version}", "-m", f"nbhelpers {version}", root=root)
    print(f"released {version}: committed and tagged v{version}")
    if push:
        _git("push", "origin", "HEAD", f"v{version}", root=root)
        print(f"pushed the branch and v{version} to origin")
    else:
        print(f"publish it with:  git push origin HEAD v{version}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("version", nargs="?", help="the new version, e.g. 0.1.1")
    parser.add_argument("--push", action="store_true", help="push the branch and the tag to origin afterwards")
    parser.add_argument("--check", action="store_true", help="only check that version, notebooks and CHANGELOG agree")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        for line in found:
            print(f"release check: {line}", file=sys.stderr)
        if not found:
            print(f"release check: version {current_version()}, the notebooks' setup cells and CHANGELOG.md agree")
        return 1 if found else 0
    if not args.version:
        parser.error("give the new version, e.g.  python tools/release.py 0.1.1  (or --check)")
    try:
        release(args.version, push=args.push)
    except ReleaseProblem as err:
        print(f"release: not released: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
