"""Chapter 5's panel: one neuron's computation graph, redrawn with its gradients as you move the sliders."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from nbhelpers.engine import Value
from nbhelpers.plotting.graph import draw_graph
from nbhelpers.widgets import Panel, slider


def _fmt(value: float) -> str:
    """Four decimals, without a minus sign on a value that rounds to zero ("-0.0000" reads as negative)."""
    text = f"{value:.4f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text

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

    figsize = (7.6, 3.2)
    layout = None  # the graph fills a fixed axes: nothing to lay out
    rows = [["x1", "w1", "x2"], ["w2", "b", "show_grad"]]
    status_lines = 3

    def __init__(self, x1=1.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2, show_grad=True):
        controls = {
            "x1": slider("x1", x1, -3, 3),
            "w1": slider("w1", w1, -3, 3),
            "x2": slider("x2", x2, -3, 3),
            "w2": slider("w2", w2, -3, 3),
            "b": slider("b", b, -3, 3),
            "show_grad": widgets.Checkbox(value=show_grad, description="show gradients (after backward)",
                                          indent=False, layout=widgets.Layout(width="auto")),
        }
        super().__init__(controls)

    def setup(self, figure):
        self.ax = figure.add_axes([0.0, 0.0, 1.0, 0.9])
        self._scratch = Figure(figsize=self.figsize).add_axes([0.0, 0.0, 1.0, 0.9])  # never drawn
        self._shape = None

    def draw(self, figure, x1, w1, x2, w2, b, show_grad):
        y, leaves = neuron_graph(x1, w1, x2, w2, b)
        if show_grad:
            y.backward()
        title = ("After backward(): each grad says how much y moves per unit nudge of that value" if show_grad
                 else "Forward pass only: every gradient is still 0")
        # The graph's shape never changes, only its numbers: lay it out on a scratch axes (cheap, never drawn)
        # and copy the texts onto the drawn graph, whose boxes and arrows stay in the cached background.
        scratch = self._scratch
        for artist in list(scratch.get_children()):
            if isinstance(artist, (Text, Patch)) and artist not in (scratch.patch, scratch.title, *scratch.spines.values(),
                                                                   scratch._left_title, scratch._right_title):
                artist.remove()
        draw_graph(y, ax=scratch, show_grad=show_grad, title=title)
        shape = [(type(a).__name__, a.get_position() if isinstance(a, Text) else None) for a in scratch.texts]
        if shape != self._shape:  # first time (or another layout): draw the graph itself
            self._shape = shape
            for artist in list(self.ax.texts) + list(self.ax.patches):
                self.frame.forget(artist)
                artist.remove()
            draw_graph(y, ax=self.ax, show_grad=show_grad, title=title)
            self.frame.animate(*self.ax.texts, self.ax.title)
            self.frame.invalidate()
        else:
            for mine, new in zip(self.ax.texts, scratch.texts):
                if mine.get_text() != new.get_text():
                    mine.set_text(new.get_text())
            self.ax.title.set_text(scratch.title.get_text())
        if not show_grad:
            return f"y = {_fmt(y.data)}. Tick the box to run backward() and see the gradients."
        message = (f"y = {_fmt(y.data)};  dy/dw1 = {_fmt(leaves['w1'].grad)},  dy/dw2 = {_fmt(leaves['w2'].grad)},  "
                   f"dy/db = {_fmt(leaves['b'].grad)}.")
        if 1 - y.data**2 < 0.05:
            message += " tanh is saturated (|z| is large): every gradient is nearly 0, so these weights would barely learn."
        elif x1 == 0 or x2 == 0:
            message += " An input of 0 gives its weight a gradient of 0: that weight cannot affect y."
        return message
