"""Chapter 1's panel: one neuron over the plane, with a logic gate's four points."""

from __future__ import annotations

import numpy as np

from nbhelpers.activations import get_activation
from nbhelpers.datasets import logic_gate
from nbhelpers.plotting import scatter_classes
from nbhelpers.widgets import Panel, dropdown, slider
from nbhelpers.widgets._plane import NeuronPlane

__all__ = ["NeuronPanel", "ON_LINE"]

#: |z| below this counts as "exactly on the line" (slider values such as 0.1 are not exact in binary).
ON_LINE = 1e-9


class NeuronPanel(Panel):
    """Chapter 1: sliders for a 2-input neuron's w1, w2 and b over a logic gate's truth table.

    The plane is coloured by the neuron's output, the dashed line is where ``w1 x1 + w2 x2 + b = 0``, and the
    message counts the points on the right side of it. A point exactly on the line (z = 0, output 0.5) is on
    neither side: the neuron cannot decide there, as the chapter's gate exercises say.

    ``activations`` lists the activations offered; chapter 1 teaches only the sigmoid, so by default there is
    no choice to make (later chapters may pass more, e.g. ``("sigmoid", "tanh", "relu")``).

    >>> panel = NeuronPanel(w1=1.0, w2=1.0, b=-2.0, gate="and")
    >>> panel.message
    'The line puts 3 of 4 AND points on the right side; 1 sits exactly on the line (z = 0), on neither side.'
    """

    figsize = (6.0, 4.2)
    rows = [["w1", "w2", "b"], ["activation", "gate"]]
    fallback_note = "Interactive panel (w1, w2, b): open this notebook in Jupyter with a live kernel to use the controls."

    def __init__(self, w1=1.0, w2=1.0, b=-1.5, activation="sigmoid", gate="and", activations=("sigmoid",)):
        names = [get_activation(n).name for n in activations]
        if any(n == "softmax" for n in names):
            raise ValueError("activations: one neuron's output goes through an element-wise activation; "
                             f"softmax acts on a whole vector, so leave it out (got {list(activations)}).")
        activation = get_activation(activation).name
        if activation not in names:
            names.append(activation)
        controls = {
            "w1": slider("w1", w1, -5, 5),
            "w2": slider("w2", w2, -5, 5),
            "b": slider("b", b, -5, 5),
            "activation": dropdown("activation", names, activation),
            "gate": dropdown("points", ["and", "or", "nand", "xor"], gate),
        }
        if len(names) == 1:  # nothing to choose: keep the control (tests and code can set it) but do not show it
            controls["activation"].layout.display = "none"
        self._gate = None
        super().__init__(controls)

    def setup(self, figure):
        ax = figure.add_subplot()
        self.plane = NeuronPlane(ax, self.frame, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), resolution=81, contours=False)
        self.frame.animate(ax.title)
        self.ax = ax

    def _show_points(self, gate):
        if gate == self._gate:
            return
        for collection in list(self.ax.collections):
            if collection is not self.plane.contours:
                self.frame.forget(collection)
                collection.remove()
        X, y = logic_gate(gate)
        scatter_classes(self.ax, X, y, size=70, legend=False)
        self.frame.animate(*self.ax.collections)  # over the coloured plane, which is animated too
        self._gate = gate

    def draw(self, figure, w1, w2, b, activation, gate):
        self.plane.update([w1, w2], b, activation)
        self._show_points(gate)
        # the points are animated: a new gate leaves the background (the colour bar, the axes) as it was
        self.frame.background_key = self.plane.background_key()
        if abs(w1) < 1e-12 and abs(w2) < 1e-12:
            self.ax.title.set_text(f"w = [0, 0], b = {b:.2g}: no line, the output is the same everywhere")
        else:
            self.ax.title.set_text(f"w = [{w1:.2g}, {w2:.2g}], b = {b:.2g}: the line splits the plane")
        X, y = logic_gate(gate)
        z = X @ np.array([w1, w2]) + b
        on_line = np.abs(z) < ON_LINE
        correct = int(np.sum(((z > 0) == (y == 1)) & ~on_line))
        message = f"The line puts {correct} of 4 {gate.upper()} points on the right side"
        n_on = int(on_line.sum())
        if n_on:
            message += (f"; {n_on} {'sits' if n_on == 1 else 'sit'} exactly on the line (z = 0), on neither side")
        return message + "."
