"""Check the learner's environment and prepare a notebook: versions, seeds, inline figures.

Every chapter's setup cell calls :func:`setup_notebook`. It says plainly what is missing or too old and
the one command that fixes it, instead of letting a chapter fail later with a ModuleNotFoundError.
"""

from __future__ import annotations

import random
import sys
from importlib import metadata

from nbhelpers._meta import INSTALL_SPEC, MINIMUM_PYTHON, MINIMUM_VERSIONS, REPOSITORY_URL, __version__

__all__ = ["EnvironmentProblem", "check_environment", "setup_notebook", "in_colab", "in_kernel"]


class EnvironmentProblem(RuntimeError):
    """Raised by :func:`setup_notebook` when the environment cannot run the course."""


def in_colab() -> bool:
    """True when running inside Google Colab."""
    return "google.colab" in sys.modules


def in_kernel() -> bool:
    """True inside a Jupyter kernel (JupyterLab, Colab, VS Code...), where rich output and widgets can show."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _version_tuple(text: str) -> tuple[int, ...]:
    """'3.8.0rc1' -> (3, 8, 0): the leading numeric parts of a version string."""
    parts = []
    for piece in text.split("."):
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        if not digits:
            break
        parts.append(int(digits))
        if len(digits) != len(piece):
            break
    return tuple(parts)


def fix_command() -> str:
    """The one command that installs or repairs the course's packages where the learner is."""
    if in_colab():
        return (f'%pip install -q "{INSTALL_SPEC}"  (or, if that release is not published, the default branch: '
                f'%pip install -q "nbhelpers @ git+{REPOSITORY_URL}"), then Runtime > Restart session and run the '
                "setup cell again")
    return "pip install -r requirements.txt  (in a terminal, in the course folder; then restart the kernel)"


def check_environment(expected_version: str | None = None) -> list[str]:
    """List what is missing or too old for the course; an empty list means all is well.

    Parameters
    ----------
    expected_version : str, optional
        The nbhelpers release the chapter was written for. A different installed release is reported,
        because then the text and the helpers may disagree.

    Examples
    --------
    >>> check_environment()
    []
    """
    problems = []
    if sys.version_info[:2] < MINIMUM_PYTHON:
        need = ".".join(map(str, MINIMUM_PYTHON))
        problems.append(f"Python {need} or newer is needed; this kernel runs Python {sys.version.split()[0]}.")
    for package, minimum in MINIMUM_VERSIONS.items():
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            problems.append(f"{package} is not installed (need {minimum} or newer).")
            continue
        if _version_tuple(installed) < _version_tuple(minimum):
            problems.append(f"{package} {installed} is too old (need {minimum} or newer).")
    if expected_version is not None and expected_version != __version__:
        problems.append(
            f"this chapter was written for nbhelpers {expected_version}, but nbhelpers {__version__} "
            "is installed, so the text and the helpers may disagree."
        )
    return problems


def _enable_inline_figures() -> None:
    """Show matplotlib figures as images in Jupyter/Colab (no-op outside IPython)."""
    if in_kernel():
        from IPython import get_ipython

        shell = get_ipython()
        shell.run_line_magic("matplotlib", "inline")
        _uncropped_constrained_figures(shell)


def _uncropped_constrained_figures(shell) -> None:
    """Show figures laid out by constrained layout (every course figure: ``plotting.new_figure``) without IPython's
    "tight" cropping, which measures every drawn artist once more (a quarter of a figure's drawing time) to cut
    margins that constrained layout has already fitted. Other figures, such as a learner's pyplot ones, are
    cropped as before. Where IPython's picture maker cannot take the change (not a ``functools.partial``, as in
    older IPython), nothing changes."""
    import functools

    from matplotlib.figure import Figure
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    formatter = shell.display_formatter.formatters["image/png"]
    try:
        shown = formatter.lookup_by_type(Figure)
    except KeyError:  # (figures shown some other way: nothing to change)
        return
    if getattr(shown, "uncropped_constrained", False) or not isinstance(shown, functools.partial):
        return

    def png(figure):
        if isinstance(figure.get_layout_engine(), ConstrainedLayoutEngine):
            return shown.func(figure, *shown.args, **{**shown.keywords, "bbox_inches": None})
        return shown(figure)

    png.uncropped_constrained = True
    formatter.for_type(Figure, png)


def setup_notebook(expected_version: str | None = None, seed: int = 0, quiet: bool = False):
    """Check the environment, seed every random generator and set up figures; return a NumPy Generator.

    Parameters
    ----------
    expected_version : str, optional
        The nbhelpers release the chapter was written for (the setup cell passes it).
    seed : int
        Seed for ``random``, ``numpy.random`` and the returned generator, so every run shows the same numbers.
    quiet : bool
        Do not print the one-line summary.

    Returns
    -------
    numpy.random.Generator
        ``rng``, seeded with ``seed``.

    Examples
    --------
    >>> rng = setup_notebook(seed=0, quiet=True)
    >>> round(float(rng.random()), 4)
    0.637
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"seed must be a whole number such as 0; got {seed!r}.")
    problems = check_environment(expected_version)
    if problems:
        lines = "\n  - ".join(problems)
        raise EnvironmentProblem(
            f"This environment cannot run the course yet:\n  - {lines}\nFix: {fix_command()}"
        )
    import numpy as np

    from nbhelpers import plotting

    random.seed(seed)
    np.random.seed(seed)
    _enable_inline_figures()
    plotting.use_course_style()
    if not quiet:
        versions = " · ".join(f"{name} {metadata.version(name)}" for name in MINIMUM_VERSIONS)
        print(f"Ready: nbhelpers {__version__} · {versions} · seed {seed}")
    return np.random.default_rng(seed)
