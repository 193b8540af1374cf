"""Chapter 1's panel, driven headlessly: change the controls, check what was drawn and said."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.activations import sigmoid
from nbhelpers.exercises import ch01
from nbhelpers.widgets.neuron import NeuronPanel


def _dashed_line(panel):
    ax = panel.figure.axes[0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    return np.asarray(line.get_xdata()), np.asarray(line.get_ydata()), line.get_visible()


def _plane(panel):
    return np.asarray(panel.figure.axes[0].images[0].get_array())


def test_sliders_move_the_line_and_update_the_count():
    panel = NeuronPanel(w1=1.0, w2=1.0, b=-1.5, gate="and")
    assert panel.message == "The line puts 4 of 4 AND points on the right side."
    x, y, _ = _dashed_line(panel)
    assert np.allclose(y, -(x - 1.5))  # x1 + x2 - 1.5 = 0
    count = panel.draw_count
    panel.controls["b"].value = -0.5
    assert panel.draw_count == count + 1
    x, y, _ = _dashed_line(panel)
    assert np.allclose(y, -(x - 0.5))
    assert panel.message.startswith("The line puts 2 of 4")
    panel.controls["gate"].value = "or"
    assert panel.message == "The line puts 4 of 4 OR points on the right side."


def test_the_plane_shows_the_neurons_output_in_place():
    panel = NeuronPanel(w1=2.0, w2=-1.0, b=0.5)
    image = panel.figure.axes[0].images[0]
    xs = np.linspace(-0.5, 1.5, image.get_array().shape[1])
    xx, yy = np.meshgrid(xs, xs)
    assert np.allclose(_plane(panel), sigmoid(2.0 * xx - yy + 0.5))
    panel.controls["w2"].value = 1.0
    assert panel.figure.axes[0].images[0] is image, "the image is updated, not drawn anew"
    assert np.allclose(_plane(panel), sigmoid(2.0 * xx + yy + 0.5))
    assert image.get_clim() == (0.0, 1.0) and image.norm(0.5) == pytest.approx(0.5)  # white on the line


def test_a_point_on_the_line_is_on_neither_side_as_the_exercise_says():
    panel = NeuronPanel(w1=1.0, w2=1.0, b=-2.0, gate="and")  # (1, 1) has z = 0
    assert panel.message == ("The line puts 3 of 4 AND points on the right side; 1 sits exactly on the line "
                             "(z = 0), on neither side.")
    rejected = ch01.and_gate.evaluate(([1.0, 1.0], -2.0))
    assert not rejected.passed and "exactly on the line" in str(rejected)
    panel.controls["b"].value = -1.5
    assert panel.message == "The line puts 4 of 4 AND points on the right side."
    assert ch01.and_gate.evaluate(([1.0, 1.0], -1.5)).passed


def test_only_the_chapters_activation_unless_asked_for_more():
    panel = NeuronPanel()
    assert list(panel.controls["activation"].options) == ["sigmoid"]
    assert panel.controls["activation"].layout.display == "none"  # nothing to choose: not shown
    wider = NeuronPanel(activations=("sigmoid", "tanh", "relu"))
    assert list(wider.controls["activation"].options) == ["sigmoid", "tanh", "relu"]
    assert wider.controls["activation"].layout.display != "none"
    before = _dashed_line(wider)
    wider.controls["activation"].value = "tanh"
    assert "tanh" in wider.figure.axes[1].get_ylabel()  # the colour bar names the activation
    assert np.allclose(before[1], _dashed_line(wider)[1])
    with pytest.raises(ValueError, match="softmax"):
        NeuronPanel(activations=("sigmoid", "softmax"))


@pytest.mark.parametrize("name", ["relu", "linear", "gelu", "tanh"])
def test_white_sits_on_the_dashed_line_for_every_activation(name):
    panel = NeuronPanel(w1=3.0, w2=1.0, b=-1.0, activation=name, activations=("sigmoid", name))
    image = panel.figure.axes[0].images[0]
    rgba = image.cmap(image.norm(0.0))  # each of these outputs 0 at z = 0, on the line
    assert np.allclose(rgba[:3], 1.0, atol=0.02), f"{name}: the colour on the line is {rgba}, not white"
    lo, hi = image.get_clim()
    assert lo <= panel.plane.values.min() and hi >= panel.plane.values.max()  # nothing clipped


def test_vertical_line_when_w2_is_zero_and_no_line_when_both_are():
    panel = NeuronPanel(w1=2.0, w2=0.0, b=-1.0)
    x, _, visible = _dashed_line(panel)
    assert np.allclose(x, 0.5) and visible
    panel.controls["w1"].value = 0.0
    assert not _dashed_line(panel)[2]
    assert "no line" in panel.figure.axes[0].get_title() and "splits" not in panel.figure.axes[0].get_title()


def test_a_change_that_draws_nothing_new_sends_nothing():
    panel = NeuronPanel()
    frames, draws = panel.frame.frames, panel.draw_count
    panel.controls["activation"].value = "sigmoid"  # the same value: no change at all
    panel.controls["w1"].value = 0.5
    panel.controls["w1"].value = 1.0  # back to the first picture: drawn and sent again (it differs from 0.5's)
    assert panel.draw_count == draws + 2 and panel.frame.frames == frames + 2
    panel.update()  # a forced redraw of the same picture: drawn, but the identical frame is not sent
    assert panel.draw_count == draws + 3 and panel.frame.frames == frames + 2


def test_fallback_display_has_a_picture_and_a_note():
    panel = NeuronPanel()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
