"""The setup cell's helper: finds what is missing or too old and says the one command that fixes it."""

from __future__ import annotations

import os
import random
from pathlib import Path
from importlib import metadata

import numpy as np
import pytest

import nbhelpers
from nbhelpers import environment
from nbhelpers.environment import EnvironmentProblem, check_environment, setup_notebook


def test_this_environment_is_fine():
    assert check_environment(nbhelpers.__version__) == []


def test_version_mismatch_between_chapter_and_helpers_is_reported():
    problems = check_environment("0.0.1")
    assert len(problems) == 1 and "written for nbhelpers 0.0.1" in problems[0]
    with pytest.raises(EnvironmentProblem) as info:
        setup_notebook("0.0.1", quiet=True)
    assert "pip install -r requirements.txt" in str(info.value)


def test_old_or_missing_packages_are_reported(monkeypatch):
    real = metadata.version

    def fake(name):
        if name == "ipywidgets":
            return "7.6.5"
        if name == "matplotlib":
            raise metadata.PackageNotFoundError(name)
        return real(name)

    monkeypatch.setattr(environment.metadata, "version", fake)
    problems = check_environment()
    assert "ipywidgets 7.6.5 is too old (need 7.7 or newer)." in problems
    assert "matplotlib is not installed (need 3.8 or newer)." in problems


def test_colab_fix_command_names_the_matching_release(monkeypatch):
    monkeypatch.setattr(environment, "in_colab", lambda: True)
    command = environment.fix_command()
    assert f"git+{nbhelpers._meta.REPOSITORY_URL}@v{nbhelpers.__version__}" in command
    assert f'"nbhelpers @ git+{nbhelpers._meta.REPOSITORY_URL}")' in command, "the default branch, for a missing tag"
    assert "Restart session" in command


@pytest.mark.parametrize("text,expected", [("3.8.0", (3, 8, 0)), ("7.7.1", (7, 7, 1)), ("2.0.0rc1", (2, 0, 0)),
                                           ("1.26", (1, 26))])
def test_version_parsing(text, expected):
    assert environment._version_tuple(text) == expected


def test_setup_seeds_everything_the_same_way(capsys):
    rng = setup_notebook(nbhelpers.__version__, seed=3)
    first = (rng.random(), np.random.rand(), random.random())
    assert "Ready: nbhelpers" in capsys.readouterr().out
    rng = setup_notebook(nbhelpers.__version__, seed=3, quiet=True)
    assert (rng.random(), np.random.rand(), random.random()) == first
    with pytest.raises(TypeError, match="whole number"):
        setup_notebook(seed=0.5)


def test_course_figures_are_shown_uncropped_and_others_cropped_in_a_kernel():
    """setup_notebook shows constrained-layout figures (every course figure) without IPython's "tight" cropping,
    which measured them again to cut margins constrained layout has already fitted: the picture has exactly the
    figure's size. A pyplot figure without a layout engine is still cropped, so its labels are never cut off."""
    import base64
    import struct

    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    code = "\n".join([
        "from nbhelpers import setup_notebook",
        "setup_notebook(quiet=True)",
        "from nbhelpers.plotting import new_figure",
        "fig, ax = new_figure(figsize=(4.2, 3.6))",
        "ax.plot([0, 1], [0, 1]); ax.set_title('a title'); ax.set_ylabel('a label')",
        "display(fig)",
        "import matplotlib.pyplot as plt",
        "mine = plt.figure(figsize=(6, 4)); mine.gca().plot([0, 1]); mine.gca().set_ylabel('a long label')",
        "display(mine); plt.close(mine)",
        "setup_notebook(quiet=True)  # (a second run of the setup cell changes nothing more)",
        "display(fig)",
    ])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    env_path = os.pathsep.join([str(Path(__file__).resolve().parent.parent), os.environ.get("PYTHONPATH", "")])
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = env_path
    try:
        nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    finally:
        if old is None:
            os.environ.pop("PYTHONPATH")
        else:
            os.environ["PYTHONPATH"] = old
    sizes = [struct.unpack(">II", base64.b64decode(o["data"]["image/png"])[16:24])
             for o in nb.cells[0].outputs if o.get("output_type") == "display_data"]
    assert len(sizes) == 3, nb.cells[0].outputs
    assert sizes[0] == sizes[2] == (420, 360)  # 4.2 x 3.6 inches at 100 dpi: not cropped
    assert sizes[1] != (600, 400) and sizes[1][0] < 600  # pyplot's figure: cropped to its drawing, as before
