"""Chapter 5's panel: one neuron's computation graph, redrawn with its gradients as you move the sliders."""

from __future__ import annotations

import ipywidgets as widgets

from nbhelpers.engine import Value
from nbhelpers.plotting.graph import draw_graph
from nbhelpers.widgets import Panel, slider

__all__ = ["NeuronGraphPanel", "neuron_graph"]


def neuron_graph(x1, w1, x2, w2, b):
    """``y = tanh(x1*w1 + x2*w2 + b)`` built from labelled Values: returns ``(y, leaves)`` before backward()."""
    leaves = {name: Value(value, label=name) for name, value in
              (("x1", x1), ("w1", w1), ("x2", x2), ("w2", w2), ("b", b))}
    p1 = leaves["x1"] * leaves["w1"]
    p1.label = "x1*w1"
    p2 = leaves["x2"] * leaves["w2"]
    p2.label = "x2*w2"
    z = p1 + p2 + leaves["b"]
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    return y, leaves


class NeuronGraphPanel(Panel):
    """Sliders for the inputs, weights and bias of ``y = tanh(x1*w1 + x2*w2 + b)``; the graph shows every
    value and, after ``backward()``, every gradient dy/d(value)."""

    figsize = (11.0, 4.2)

    def __init__(self, x1=1.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2, show_grad=True):
        controls = {
            "x1": slider("x1", x1, -3, 3),
            "w1": slider("w1", w1, -3, 3),
            "x2": slider("x2", x2, -3, 3),
            "w2": slider("w2", w2, -3, 3),
            "b": slider("b", b, -3, 3),
            "show_grad": widgets.Checkbox(value=show_grad, description="show gradients (after backward)"),
        }
        super().__init__(controls)

    def draw(self, figure, x1, w1, x2, w2, b, show_grad):
        y, leaves = neuron_graph(x1, w1, x2, w2, b)
        if show_grad:
            y.backward()
        ax = figure.add_subplot()
        title = ("After backward(): each grad says how much y moves per unit nudge of that value" if show_grad
                 else "Forward pass only: every gradient is still 0")
        draw_graph(y, ax=ax, show_grad=show_grad, title=title)
        if not show_grad:
            return f"y = {y.data:.4f}. Tick the box to run backward() and see the gradients."
        message = (f"y = {y.data:.4f};  dy/dw1 = {leaves['w1'].grad:.4f},  dy/dw2 = {leaves['w2'].grad:.4f},  "
                   f"dy/db = {leaves['b'].grad:.4f}.")
        if 1 - y.data**2 < 0.05:
            message += " tanh is saturated (|z| is large): every gradient is nearly 0, so these weights would barely learn."
        elif x1 == 0 or x2 == 0:
            message += " An input of 0 gives its weight a gradient of 0: that weight cannot affect y."
        return message
