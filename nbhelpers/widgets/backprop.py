"""Chapter 4's panel: step through the forward and backward pass of the 2-2-1 network, one computation a click."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from nbhelpers.datasets import people
from nbhelpers.plotting.backprop import backprop_steps, draw_backprop_diagram, weights_by_name
from nbhelpers.widgets import Panel

__all__ = ["BackpropStepper"]


class BackpropStepper(Panel):
    """Buttons walk through the 2-2-1 sigmoid network on one person: forward values, then every gradient.

    ``next``, ``back`` and ``reset`` move the ``step`` control; the dropdown picks the person. The weights
    default to the chapter's worked example (all 1, biases 0); pass ``W1, b1, W2, b2`` for others.

    >>> panel = BackpropStepper()
    >>> panel.buttons["next"].click(); panel.message.startswith("Step 1 of 9 (forward): h1")
    True
    """

    figsize = (7.5, 4.4)
    layout = None  # the diagram fills a fixed axes: nothing to lay out

    def __init__(self, person: str = "Alice", W1=None, b1=None, W2=None, b2=None):
        self._names, self._X, self._y = people()
        if person not in self._names:
            raise ValueError(f"person must be one of {', '.join(map(repr, self._names))}; got {person!r}.")
        self._weights = (np.ones((2, 2)) if W1 is None else W1, np.zeros(2) if b1 is None else b1,
                         np.ones((2, 1)) if W2 is None else W2, np.zeros(1) if b2 is None else b2)
        self._named = weights_by_name(*self._weights)
        n_steps = len(backprop_steps(self._X[0], self._y[0], *self._weights)) - 1
        controls = {
            "step": widgets.IntSlider(value=0, min=0, max=n_steps, description="step",
                                      style={"description_width": "initial"}),
            "person": widgets.Dropdown(options=self._names, value=person, description="person"),
        }
        self.buttons = {
            "back": widgets.Button(description="◀ back", tooltip="undo the last step"),
            "next": widgets.Button(description="next ▶", tooltip="compute the next value or gradient",
                                   button_style="primary"),
            "reset": widgets.Button(description="reset", tooltip="back to the start"),
        }
        self.buttons["back"].on_click(lambda _: self._move(-1))
        self.buttons["next"].on_click(lambda _: self._move(+1))
        self.buttons["reset"].on_click(lambda _: self._go(0))
        super().__init__(controls)
        self.widget.children = (widgets.HBox(list(self.buttons.values()) + list(controls.values()),
                                             layout=widgets.Layout(flex_flow="row wrap")),) + self.widget.children[1:]

    @property
    def n_steps(self) -> int:
        return self.controls["step"].max

    def _go(self, step: int) -> None:
        self.controls["step"].value = int(min(max(step, 0), self.n_steps))  # redraws through the observer

    def _move(self, delta: int) -> None:
        self._go(self.controls["step"].value + delta)

    def current(self):
        """The :class:`~nbhelpers.plotting.backprop.Step` shown now."""
        values = self.values()
        i = self._names.index(values["person"])
        return backprop_steps(self._X[i], self._y[i], *self._weights)[values["step"]]

    def setup(self, figure):
        self.ax = figure.add_axes([0.0, 0.0, 1.0, 0.93])
        self._diagram = []

    def draw(self, figure, step, person):
        state = self.current()
        ax = self.ax
        for artist in self._diagram:  # the diagram is redrawn whole: its artists are animated, nothing else is
            self.frame.forget(artist)
            artist.remove()
        heading = {"start": "Start", "forward": "Forward pass", "backward": "Backward pass"}[state.phase]
        draw_backprop_diagram(ax, state, self._named,
                              title=f"{person}, step {step} of {self.n_steps}: {heading} "
                                    "(values in blue, gradients in vermillion)")
        for text in ax.texts:  # at least 9 pt at the panel's displayed size (the static figure uses 8)
            if text.get_fontsize() < 9:
                text.set_fontsize(9)
        self._diagram = self.frame.adopt(ax, keep=[ax.title])
        self.frame.animate(ax.title)
        # the picture follows from the step and the person (the weights are fixed): a step seen before is sent
        # again as it was, without drawing
        self.frame.frame_key = (step, person)
        if step == 0:
            return f"Step 0 of {self.n_steps}: {state.text}"
        return f"Step {step} of {self.n_steps} ({state.phase}): {state.text.split(': ', 1)[1]}"
