"""Chapter 5's panel, driven headlessly: sliders rebuild the neuron's graph and its gradients."""

from __future__ import annotations

import math

from matplotlib.patches import FancyBboxPatch

from nbhelpers.widgets.graph import NeuronGraphPanel, neuron_graph


def _texts(panel):
    return [t.get_text() for t in panel.figure.axes[0].texts]


def test_panel_draws_the_neuron_with_its_gradients():
    panel = NeuronGraphPanel(x1=1.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2)
    y = math.tanh(1.0 * -0.5 + 2.0 * 0.75 + 0.2)
    slope = 1 - y**2
    assert panel.message.startswith(f"y = {y:.4f};  dy/dw1 = {1.0 * slope:.4f},  dy/dw2 = {2.0 * slope:.4f}")
    boxes = [p for p in panel.figure.axes[0].patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 10  # 5 leaves, two products, two sums, y
    assert f"w2\ndata 0.75\ngrad {2.0 * slope:.4g}" in _texts(panel)


def test_sliders_redraw_and_explain_saturation_and_zero_inputs():
    panel = NeuronGraphPanel()
    count = panel.draw_count
    panel.controls["w1"].value = 3.0
    panel.controls["b"].value = 3.0
    assert panel.draw_count == count + 2
    assert "saturated" in panel.message
    panel.controls["w1"].value = -0.5
    panel.controls["b"].value = 0.2
    panel.controls["x1"].value = 0.0
    assert "gradient of 0" in panel.message
    assert any(t.startswith("w1\ndata -0.5\ngrad 0") for t in _texts(panel))


def test_forward_only_mode_hides_gradients():
    panel = NeuronGraphPanel()
    panel.controls["show_grad"].value = False
    assert not any("grad" in t for t in _texts(panel))
    assert "Forward pass only" in panel.figure.axes[0].get_title()
    assert "Tick the box" in panel.message


def test_neuron_graph_matches_the_formula():
    y, leaves = neuron_graph(0.5, 2.0, -1.0, 0.3, 0.1)
    y.backward()
    z = 0.5 * 2.0 - 1.0 * 0.3 + 0.1
    assert math.isclose(y.data, math.tanh(z))
    assert math.isclose(leaves["x2"].grad, 0.3 * (1 - math.tanh(z) ** 2))


def test_fallback_display_has_a_picture_and_a_note():
    bundle = NeuronGraphPanel()._repr_mimebundle_()
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]


def test_no_negative_zero_and_a_label_that_fits():
    panel = NeuronGraphPanel(x1=0.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2)
    panel.controls["x1"].value = -0.0
    assert "-0.0000" not in panel.message
    panel.controls["x2"].value = 0.0
    panel.controls["x1"].value = 0.0
    assert "dy/dw1 = 0.0000" in panel.message and "-0.0000" not in panel.message
    box = panel.controls["show_grad"]
    assert box.layout.width == "auto" and box.indent is False  # the whole label shows (JupyterLab cut it off)


def test_moving_a_slider_changes_only_the_numbers():
    panel = NeuronGraphPanel()
    texts = list(panel.figure.axes[0].texts)
    panel.controls["w1"].value = 1.5
    assert list(panel.figure.axes[0].texts) == texts, "the same text artists, with new numbers"
    assert any(t.get_text().startswith("w1\ndata 1.5") for t in texts)
