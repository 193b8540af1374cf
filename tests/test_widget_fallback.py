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
    *rows, image, status, probe = panel.widget.children
    assert isinstance(image, ipywidgets.Image) and isinstance(status, ipywidgets.HTML)
    assert probe is panel.width_probe and isinstance(probe, ipywidgets.DOMWidget)  # an anywidget (7.7 and 8)
    assert [c for row in rows for c in row.children] == list(panel.controls.values())
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


def test_in_a_kernel_the_cell_shows_the_panel_and_a_copy_for_reopening(executed):
    outputs = executed.cells[1].outputs
    assert len(outputs) == 2, f"expected the panel and its saved copy, got {[o.output_type for o in outputs]}"
    live, copy = outputs[0]["data"], outputs[1]["data"]
    assert set(live) == {WIDGET_MIME}, "the live output is the widget alone (an export shows the copy instead)"
    assert {"text/html", "text/plain"} <= set(copy) and WIDGET_MIME not in copy
    assert '<img src="data:image/png;base64,' in copy["text/html"]
    assert "nbhelpers-panel-fallback" in copy["text/html"]
    assert not executed.cells[0].outputs, "building a panel must not print or show a stray figure"


def test_in_a_kernel_the_image_widget_and_the_copy_hold_the_redrawn_figure(executed):
    printed = "".join(o.get("text", "") for o in executed.cells[2].outputs)
    assert printed.strip() == "2 The line puts 2 of 4 AND points on the right side."
    state = executed.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    images = [m for m in state.values() if m["model_name"] == "ImageModel"]
    assert len(images) == 1
    # the copy shown after the widget was updated with the second drawing (display_id update)
    copy = executed.cells[1].outputs[1]["data"]
    assert copy["text/plain"].startswith("The line puts 2 of 4 AND points")
    png = re.search(r'src="data:image/png;base64,([^"]+)"', copy["text/html"]).group(1)
    assert base64.b64decode(png).startswith(PNG_MAGIC)


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


# --------------------------------------------------------------------------------------------------------------
# The message under a panel keeps its height, and the frame machinery sends only what changed.

def test_message_lines_are_reserved_so_the_page_does_not_jump():
    from nbhelpers.widgets.descent import LearningRatePanel

    panel = LearningRatePanel(lr=0.3)
    heights = set()
    for lr in (0.3, 1.0, 3.0):
        panel.controls["lr"].value = lr
        heights.add(re.search(r"min-height:([\d.]+)em", panel.status.value).group(1))
    assert heights == {f"{1.4 * panel.status_lines:.2f}"}
    assert len(panel.message) > 150  # a long message (the diverging one) that needs the reserved lines


def test_frames_are_png_bytes_at_twice_the_css_size():
    panel = Slope()
    png = bytes(panel.frame.image.value)
    assert png.startswith(PNG_MAGIC)
    import struct

    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (600, 400)  # figsize (3, 2) at 100 CSS px per inch, 2 pixels per CSS px
    assert panel.frame.image.layout.width == "300px" and panel.frame.image.layout.max_width == "100%"


def test_reopen_copy_is_hidden_while_live_and_follows_the_frames():
    from nbhelpers.widgets import FALLBACK_CLASS, LIVE_CLASS

    panel = NeuronPanel()
    assert LIVE_CLASS in panel.widget._dom_classes

    class Handle:
        bundles = []

        def update(self, bundle, raw=False):
            self.bundles.append(bundle)

    panel._handles = [Handle()]
    panel.controls["b"].value = -0.5
    (bundle,) = Handle.bundles
    assert FALLBACK_CLASS in bundle["text/html"] and ":has(" in bundle["text/html"]
    png = re.search(r'src="data:image/png;base64,([^"]+)"', bundle["text/html"]).group(1)
    assert base64.b64decode(png) == bytes(panel.frame.image.value)  # the frame shown now
    assert "live kernel" in bundle["text/plain"] and "\n" not in bundle["text/plain"]
