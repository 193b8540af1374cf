"""Chapter 1's panel, driven headlessly: change the controls, check what was drawn and said."""

from __future__ import annotations

import numpy as np

from nbhelpers.widgets.neuron import NeuronPanel


def _dashed_line(panel):
    ax = panel.figure.axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata())


def test_sliders_move_the_line_and_update_the_count():
    panel = NeuronPanel(w1=1.0, w2=1.0, b=-1.5, gate="and")
    assert panel.message == "The line puts 4 of 4 AND points on the right side."
    x, y = _dashed_line(panel)
    assert np.allclose(y, -(x - 1.5))  # x1 + x2 - 1.5 = 0
    count = panel.draw_count
    panel.controls["b"].value = -0.5
    assert panel.draw_count == count + 1
    x, y = _dashed_line(panel)
    assert np.allclose(y, -(x - 0.5))
    assert panel.message.startswith("The line puts 2 of 4")
    panel.controls["gate"].value = "or"
    assert panel.message == "The line puts 4 of 4 OR points on the right side."


def test_activation_changes_the_surface_but_not_the_line():
    panel = NeuronPanel()
    before = _dashed_line(panel)
    panel.controls["activation"].value = "tanh"
    assert "tanh" in panel.figure.axes[1].get_ylabel()  # the colour bar names the activation
    after = _dashed_line(panel)
    assert np.allclose(before[1], after[1])


def test_vertical_line_when_w2_is_zero():
    panel = NeuronPanel(w1=2.0, w2=0.0, b=-1.0)
    x, _ = _dashed_line(panel)
    assert np.allclose(x, 0.5)


def test_fallback_display_has_a_picture_and_a_note():
    panel = NeuronPanel()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
