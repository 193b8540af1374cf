"""Chapter 1's panel: one neuron over the plane."""

from __future__ import annotations

import ipywidgets as widgets

from nbhelpers.activations import ACTIVATIONS
from nbhelpers.datasets import logic_gate
from nbhelpers.plotting import plot_neuron_plane
from nbhelpers.widgets import Panel, slider

__all__ = ["NeuronPanel"]


class NeuronPanel(Panel):
    """Chapter 1: sliders for a 2-input neuron's w1, w2, b and activation, over a logic gate's truth table."""

    def __init__(self, w1=1.0, w2=1.0, b=-1.5, activation="sigmoid", gate="and"):
        names = [n for n in ACTIVATIONS if n != "softmax"]
        controls = {
            "w1": slider("w1", w1, -5, 5),
            "w2": slider("w2", w2, -5, 5),
            "b": slider("b", b, -5, 5),
            "activation": widgets.Dropdown(options=names, value=activation, description="activation"),
            "gate": widgets.Dropdown(options=["and", "or", "nand", "xor"], value=gate, description="points"),
        }
        super().__init__(controls)

    def draw(self, figure, w1, w2, b, activation, gate):
        ax = figure.add_subplot()
        X, y = logic_gate(gate)
        plot_neuron_plane(ax, [w1, w2], b, activation, X=X, y=y, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5))
        predicted = (X @ [w1, w2] + b >= 0).astype(float)
        correct = int((predicted == y).sum())
        return f"The line puts {correct} of 4 {gate.upper()} points on the right side."
