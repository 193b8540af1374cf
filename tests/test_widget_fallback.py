"""Widget panels work with ipywidgets 7.7 (Colab) and 8, and degrade to a figure and a note without a front end.

Run in both CI environments (newest and oldest declared versions), these tests check what a Panel sends to a
front end: the live widget for Jupyter/Colab/VS Code, an HTML figure with a one-line note for an HTML export or
a Lab without the widget extension, a PNG, and a one-line note for a terminal; never a raw ``VBox(...)`` repr.
A real kernel (no browser) runs a small notebook to check that the Output widget receives the redrawn figure,
and tools/handouts.py's checker, which CI runs over every chapter, is shown to catch a bare widget.
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import ipywidgets
import nbformat
import pytest

from nbhelpers.widgets import Panel, slider
from nbhelpers.widgets.neuron import NeuronPanel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import handouts  # noqa: E402  (tools/handouts.py)

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class Slope(Panel):
    """The smallest panel: one slider, one line."""

    figsize = (3, 2)

    def __init__(self, a=1.0):
        super().__init__({"a": slider("a", a, -2, 2)})

    def draw(self, figure, a):
        ax = figure.add_subplot()
        ax.plot([0, 1], [0, a])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        return f"slope {a:.1f}"


def test_ipywidgets_version_is_one_the_course_supports():
    major_minor = tuple(int(p) for p in ipywidgets.__version__.split(".")[:2])
    assert (7, 7) <= major_minor < (9, 0), f"ipywidgets {ipywidgets.__version__} is outside the declared range"


@pytest.mark.parametrize("make", [Slope, NeuronPanel], ids=["Slope", "NeuronPanel"])
def test_bundle_has_widget_html_png_and_a_one_line_note(make):
    panel = make()
    bundle = panel._repr_mimebundle_()
    view = bundle[WIDGET_MIME]
    assert view["model_id"] == panel.widget.model_id and view["version_major"] == 2
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(PNG_MAGIC) and len(png) > 1000
    html_text = bundle["text/html"]
    assert f'src="data:image/png;base64,{bundle["image/png"]}"' in html_text
    note = bundle["text/plain"]
    assert "\n" not in note and note.startswith("Interactive panel") and panel.message in note
    assert panel.message in html_text
    assert not re.match(r"\s*\w+\(", note), "the note must not be a widget's repr"


def test_bundle_follows_the_controls():
    panel = Slope()
    first = panel._repr_mimebundle_()
    panel.controls["a"].value = -1.5
    second = panel._repr_mimebundle_()
    assert panel.message == "slope -1.5" and "slope -1.5" in second["text/plain"]
    assert first["image/png"] != second["image/png"], "the static figure must show the current settings"


def test_html_is_escaped():
    class Shouty(Slope):
        def draw(self, figure, a):
            super().draw(figure, a)
            return "a <b> & c"

    assert "a &lt;b&gt; &amp; c" in Shouty()._repr_mimebundle_()["text/html"]


def test_widget_tree_is_made_of_supported_parts():
    # the same widget classes and traits exist in ipywidgets 7.7 and 8
    panel = NeuronPanel()
    assert isinstance(panel.widget, ipywidgets.VBox)
    controls_box, output, status = panel.widget.children
    assert isinstance(output, ipywidgets.Output) and isinstance(status, ipywidgets.HTML)
    assert list(controls_box.children) == list(panel.controls.values())
    assert all(getattr(c, "continuous_update", False) is False for c in panel.controls.values()
               if isinstance(c, ipywidgets.FloatSlider))


# --------------------------------------------------------------------------------------------------------------
# In a real kernel, with no front end: what a notebook stores and what an HTML export shows.

KERNEL_NOTEBOOK = [
    ("import nbhelpers\nrng = nbhelpers.setup_notebook(seed=0, quiet=True)\n"
     "from nbhelpers.widgets.neuron import NeuronPanel\npanel = NeuronPanel(w1=1.0, w2=1.0, b=-1.5, gate='and')"),
    "panel",
    "panel.controls['b'].value = -0.5\nprint(panel.draw_count, panel.message)",
]


@pytest.fixture(scope="module")
def executed():
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in KERNEL_NOTEBOOK]
    km = handouts._kernel_manager()
    try:
        NotebookClient(nb, km=km, timeout=120, store_widget_state=True,
                       resources={"metadata": {"path": str(ROOT)}}).execute()
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    return nb


def test_in_a_kernel_the_cell_shows_one_panel_and_nothing_else(executed):
    outputs = executed.cells[1].outputs
    assert len(outputs) == 1, f"expected only the panel, got {[o.output_type for o in outputs]}"
    data = outputs[0]["data"]
    assert {WIDGET_MIME, "text/html", "image/png", "text/plain"} <= set(data)
    assert data["text/plain"].endswith("The line puts 4 of 4 AND points on the right side.")
    assert not executed.cells[0].outputs, "building a panel must not print or show a stray figure"


def test_in_a_kernel_the_output_widget_holds_the_redrawn_figure(executed):
    printed = "".join(o.get("text", "") for o in executed.cells[2].outputs)
    assert printed.strip() == "2 The line puts 2 of 4 AND points on the right side."
    state = executed.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    outputs = [m["state"].get("outputs", []) for m in state.values() if m["model_name"] == "OutputModel"]
    assert len(outputs) == 1, "the panel has one Output widget"
    # clear_output(wait=True) then display: after two draws the Output widget holds exactly one figure
    assert len(outputs[0]) == 1 and "image/png" in outputs[0][0]["data"]


def test_html_export_without_widget_state_shows_figure_and_note(executed):
    page = handouts.to_html(nbformat.from_dict(executed), "fallback")
    assert "nbhelpers-panel-fallback" in page and "with a live kernel to use the controls" in page
    assert 'type="application/vnd.jupyter.widget-view+json"' not in page
    assert "VBox(" not in page and "interactive(" not in page


def test_handout_checker_accepts_panels_and_catches_bare_widgets(executed):
    assert handouts.problems(executed) == []
    bare = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("interact(f, a=1)")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": "x"},
        "text/plain": "interactive(children=(IntSlider(value=1, description='a', max=3, min=-1), Output()))",
    })]
    error = nbformat.v4.new_code_cell("1/0")
    error.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError", evalue="division by zero",
                                            traceback=[])]
    warn = nbformat.v4.new_code_cell("import warnings")
    warn.outputs = [nbformat.v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    bare.cells = [cell, error, warn]
    found = handouts.problems(bare)
    assert any("no static figure" in p for p in found)
    assert any("raw widget repr" in p for p in found)
    assert any("ZeroDivisionError" in p for p in found)
    assert any("stderr" in p for p in found)
