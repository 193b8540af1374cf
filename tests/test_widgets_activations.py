"""Chapter 2's panel, driven headlessly: change the controls, check what was drawn and said."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from nbhelpers import activations as A
from nbhelpers.plotting import grid_points
from nbhelpers.widgets.activations import FLAT_SLOPE, ActivationPanel


def _curve_axes(panel):
    return panel.figure.axes[0]


def _plane_image(panel):
    return np.asarray(panel.figure.axes[1].images[0].get_array())


def _curves(panel):
    """The function and derivative lines of the left panel, by label."""
    return {ln.get_label(): (np.asarray(ln.get_xdata()), np.asarray(ln.get_ydata()))
            for ln in _curve_axes(panel).get_lines() if not ln.get_label().startswith("_")}


def _band(panel):
    """The shaded stretch of z the square covers: (left, right)."""
    (span,) = [p for p in _curve_axes(panel).patches if p.get_label() == "z on the square"]
    if hasattr(span, "get_width"):  # matplotlib >= 3.9 draws the span as a Rectangle
        xs = [span.get_x(), span.get_x() + span.get_width()]
    else:  # older versions, as a Polygon
        xs = np.asarray(span.get_xy())[:, 0]
    return float(np.min(xs)), float(np.max(xs))


def _expected_plane(name, w1, w2, b):
    xx, _, points = grid_points(ActivationPanel.xlim, ActivationPanel.ylim, ActivationPanel.resolution)
    z = points @ np.array([w1, w2]) + b
    act = A.get_activation(name)
    return z, act.function(z).reshape(xx.shape), act.derivative(z)


def _numbers(message):
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", message)]


def test_starts_with_sigmoid_and_draws_function_slope_and_plane():
    panel = ActivationPanel()
    curves = _curves(panel)
    z, f = curves["sigmoid(z)"]
    _, df = curves["sigmoid'(z)"]
    assert np.allclose(f, A.sigmoid(z)) and np.allclose(df, A.sigmoid_derivative(z))
    assert np.allclose(_plane_image(panel), _expected_plane("sigmoid", 1.0, 1.0, 0.0)[1])
    assert _band(panel) == pytest.approx((-4.0, 4.0))
    assert panel.message.startswith("sigmoid: on this square z runs from -4.0 to 4.0; the neuron outputs 0.018 to 0.982")


@pytest.mark.parametrize("name", A.ELEMENTWISE)
def test_every_activation_in_the_dropdown_draws_what_it_says(name):
    panel = ActivationPanel(w1=2.0, w2=-1.0, b=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        panel.controls["activation"].value = name
    curves = _curves(panel)
    z, f = curves[f"{name}(z)"]
    act = A.get_activation(name)
    assert np.allclose(f, act.function(z))
    assert np.allclose(curves[f"{name}'(z)"][1], act.derivative(z))
    _, values, slopes = _expected_plane(name, 2.0, -1.0, 0.5)
    assert np.allclose(_plane_image(panel), values)
    assert panel.message.startswith(f"{name}: on this square z runs from -5.5 to 6.5")  # 0.5 ± 2 * (2 + 1)
    flat = float(np.mean(np.abs(slopes) < FLAT_SLOPE))
    assert panel.message.endswith(f"the slope is below {FLAT_SLOPE} on {flat:.0%} of it.")


def test_sliders_move_the_band_the_plane_and_the_message():
    panel = ActivationPanel("relu", w1=1.0, w2=0.0, b=0.0)
    # z = x1 on the square: the left half (x1 <= 0, 51 of 101 grid columns) is ReLU's flat floor
    assert "outputs 0 to 2" in panel.message and panel.message.endswith("on 50% of it.")
    count = panel.draw_count
    panel.controls["b"].value = 1.0
    assert panel.draw_count == count + 1
    assert _band(panel) == pytest.approx((-1.0, 3.0))
    assert np.allclose(_plane_image(panel), _expected_plane("relu", 1.0, 0.0, 1.0)[1])
    assert "outputs 0 to 3" in panel.message and panel.message.endswith("on 26% of it.")  # x1 <= -1: 26 of 101
    panel.controls["b"].value = -5.0  # every sum negative: a dead unit, flat everywhere
    assert np.all(_plane_image(panel) == 0)
    assert panel.message.endswith("on 100% of it.")


def test_large_weights_saturate_the_sigmoid():
    panel = ActivationPanel("sigmoid", w1=5.0, w2=5.0, b=0.0)
    lo, hi = _band(panel)
    assert (lo, hi) == pytest.approx((-20.0, 20.0))
    z, _ = _curves(panel)["sigmoid(z)"]
    assert z.min() <= lo and z.max() >= hi  # the curve is drawn wide enough to hold the whole band
    flat = _numbers(panel.message)[-1]
    assert flat > 50  # most of the square sits on the flat tails
    _, _, slopes = _expected_plane("sigmoid", 5.0, 5.0, 0.0)
    assert flat == round(100 * np.mean(slopes < FLAT_SLOPE))


def test_dashed_line_is_where_the_sum_is_zero():
    panel = ActivationPanel("tanh", w1=1.0, w2=2.0, b=1.0)
    (line,) = [ln for ln in panel.figure.axes[1].get_lines() if ln.get_linestyle() == "--"]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert np.allclose(1.0 * x + 2.0 * y + 1.0, 0.0)


def test_colour_scale_fixed_for_bounded_and_white_on_the_line_for_unbounded():
    panel = ActivationPanel("tanh", w1=0.2, w2=0.2, b=0.0)
    assert panel.figure.axes[1].images[0].get_clim() == (-1.0, 1.0)
    panel.controls["activation"].value = "linear"  # outputs -0.8 .. 0.8: a scale of nice size, 0 in the middle
    image = panel.figure.axes[1].images[0]
    assert image.get_clim() == (-1.0, 1.0)
    panel.controls["w1"].value = 3.0  # outputs up to 3 * 2 + 0.2 * 2 = 6.4: the scale grows to the next nice size
    assert image.get_clim() == (-10.0, 10.0)
    assert np.allclose(image.cmap(image.norm(0.0))[:3], 1.0, atol=0.02)  # white where the output is 0


def test_dead_relu_is_white_with_a_readable_colour_bar():
    # chapter 2's suggestion: ReLU, b = -5: every output is 0
    panel = ActivationPanel("relu", w1=1.5, w2=1.0, b=0.5)
    panel.controls["b"].value = -5.0
    image = panel.figure.axes[1].images[0]
    assert np.all(_plane_image(panel) == 0)
    lo, hi = image.get_clim()
    assert lo == 0.0 and hi >= 1.0, "ReLU never goes below 0, and a flat plane still gets a readable scale"
    assert np.allclose(image.cmap(image.norm(0.0))[:3], 1.0, atol=0.01), "a dead ReLU's plane is white, as the text says"
    ticks = panel.figure.axes[2].get_yticks()
    assert min(abs(np.diff(ticks))) >= 0.1  # not a scale of +-0.001


def test_rejects_softmax_and_unknown_names_clearly():
    with pytest.raises(ValueError, match="one neuron's activation"):
        ActivationPanel("softmax")
    with pytest.raises(ValueError, match="unknown activation 'swishy'"):
        ActivationPanel("swishy")


def test_fallback_display_has_a_picture_and_a_note():
    panel = ActivationPanel()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
    assert panel.message in bundle["text/plain"]


def test_sliders_do_not_redraw_while_dragging():
    panel = ActivationPanel()
    assert all(not panel.controls[name].continuous_update for name in ("w1", "w2", "b"))
