"""Chapter 5's panel: one neuron's computation graph, redrawn with its gradients as you move the sliders."""

from __future__ import annotations

import textwrap

import ipywidgets as widgets

from nbhelpers.engine import Value
from nbhelpers.plotting.graph import _OP_R, _inputs, _nodes, _number, draw_graph  # the graph's own text rules
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
    scroll_when_narrow = True  # its boxes cannot get narrower without their text: in a narrow window it scrolls
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
        self._shape = None
        self._title = None

    def draw(self, figure, x1, w1, x2, w2, b, show_grad):
        y, leaves = neuron_graph(x1, w1, x2, w2, b)
        if show_grad:
            y.backward()
        title = ("After backward(): each grad says how much y moves per unit nudge of that value" if show_grad
                 else "Forward pass only: every gradient is still 0")
        # The graph's shape never changes, only its numbers: it is drawn once, then the text of each value's
        # box is rewritten in place (the boxes and arrows stay in the cached background).
        nodes = _nodes(y)
        if self._shape is None or len(nodes) != len(self._shape):
            for artist in list(self.ax.texts) + list(self.ax.patches):
                self.frame.forget(artist)
                artist.remove()
            draw_graph(y, ax=self.ax, show_grad=show_grad, title=title)
            texts = iter(self.ax.texts)
            self._shape = []
            for node in nodes:  # draw_graph writes each value's box text, then (if it has inputs) its operation
                self._shape.append(next(texts))
                if _inputs(node):
                    next(texts)
            for text in self.ax.texts:  # boxes and operations: 9 pt at the panel's displayed size (static figure: 8)
                text.set_fontsize(9)
                if text not in self._shape and len(text.get_text()) > 3:  # "tanh" is wider than its circle:
                    tx, ty = text.get_position()  # written just above it instead
                    text.set_position((tx, ty + _OP_R + 0.04))
                    text.set_verticalalignment("bottom")
            self.frame.animate(*self.ax.texts, self.ax.title)
            self._title = title
            self.frame.invalidate()
        else:
            for text, node in zip(self._shape, nodes):
                label = str(getattr(node, "label", "") or "")
                lines = ([label] if label else []) + [f"data {_number(node.data)}"]
                if show_grad:
                    lines.append("grad " + ("–" if node.grad is None else _number(node.grad)))
                new = "\n".join(lines)
                if text.get_text() != new:
                    text.set_text(new)
            if title != self._title:  # wrapped as draw_graph wraps it
                width = self.figure.get_size_inches()[0] * self.ax.get_position().width
                self.ax.title.set_text(textwrap.fill(title, max(30, int(width * 10))))
                self._title = title
        if not show_grad:
            return f"y = {_fmt(y.data)}. Tick the box to run backward() and see the gradients."
        message = (f"y = {_fmt(y.data)};  dy/dw1 = {_fmt(leaves['w1'].grad)},  dy/dw2 = {_fmt(leaves['w2'].grad)},  "
                   f"dy/db = {_fmt(leaves['b'].grad)}.")
        if 1 - y.data**2 < 0.05:
            message += " tanh is saturated (|z| is large): every gradient is nearly 0, so these weights would barely learn."
        elif x1 == 0 or x2 == 0:
            message += " An input of 0 gives its weight a gradient of 0: that weight cannot affect y."
        return message
