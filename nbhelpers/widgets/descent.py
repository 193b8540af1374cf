"""Chapter 3's panels: gradient descent on a curve (the learning rate) and on a surface (the optimizers).

Both redraw on slider release. A run that diverges is drawn up to its last finite step, with "DIVERGED at step
k" on the plot and a plain sentence under it, never a NaN plot or an empty figure.
"""

from __future__ import annotations

import ipywidgets as widgets

from nbhelpers.descent import descend, get_landscape
from nbhelpers.plotting.descent import plot_curve_path, plot_loss_per_step, plot_paths_2d
from nbhelpers.widgets import Panel, log_slider, slider

__all__ = ["LearningRatePanel", "OptimizerPanel"]


def _steps_slider(value: int, max_steps: int):
    return widgets.IntSlider(value=value, min=1, max=max_steps, step=1, description="steps", continuous_update=False,
                             style={"description_width": "initial"})


def _sentence(path) -> str:
    text = path.message
    return text[0].upper() + text[1:]


class LearningRatePanel(Panel):
    """Chapter 3: gradient descent on a 1-D loss curve.

    Controls: learning rate (log scale, 0.001 to about 3), start point, number of steps, and the curve. Left:
    the curve with every step on it; right: the loss after each step. The message says whether the run
    reached the minimum, is still crawling or zigzagging, or diverged (and at which step).
    """

    figsize = (10.0, 3.9)
    fallback_note = ("Interactive panel (learning rate, start, steps): open this notebook in Jupyter with a live "
                     "kernel to use the controls.")

    def __init__(self, lr: float = 0.1, start: float = 0.0, steps: int = 20, curve: str = "parabola",
                 max_steps: int = 100):
        curve = get_landscape(curve).name
        controls = {
            "lr": log_slider("learning rate", lr, -3, 0.5, step=0.05),
            "start": slider("start w", start, -2.0, 8.0, step=0.25),
            "steps": _steps_slider(steps, max_steps),
            "curve": widgets.Dropdown(options=["parabola", "two_valleys"], value=curve, description="curve"),
        }
        self.path = None
        super().__init__(controls)

    def draw(self, figure, lr, start, steps, curve):
        landscape = get_landscape(curve)
        path = self.path = descend(landscape, start, lr=lr, steps=int(steps))
        left, right = figure.subplots(1, 2)
        plot_curve_path(left, landscape, path)
        plot_loss_per_step(right, path)
        limit = ""
        if landscape.stable_lr is not None and path.status in ("diverged", "growing"):
            limit = f" On this curve every learning rate above {landscape.stable_lr:g} diverges."
        return f"Learning rate {lr:.3g}: {path.message}{limit}"


class OptimizerPanel(Panel):
    """Chapter 3: plain gradient descent, momentum or Adam on a 2-D loss surface.

    Controls: the surface, the optimizer, its learning rate (log scale), the start point and the number of
    steps. Left: contours with the path; right: the loss after each step. Choosing another surface moves the
    start to that surface's usual start.
    """

    figsize = (10.0, 4.0)
    fallback_note = ("Interactive panel (surface, optimizer, learning rate, start, steps): open this notebook in "
                     "Jupyter with a live kernel to use the controls.")

    def __init__(self, landscape: str = "valley", optimizer: str = "momentum", lr: float = 0.05, start=None,
                 steps: int = 60, max_steps: int = 200):
        landscape = get_landscape(landscape)
        x0, y0 = landscape.start if start is None else start
        controls = {
            "landscape": widgets.Dropdown(options=["bowl", "ellipse", "valley", "two_minima"], value=landscape.name,
                                          description="surface"),
            "optimizer": widgets.Dropdown(options=["sgd", "momentum", "adam"], value=optimizer,
                                          description="optimizer"),
            "lr": log_slider("learning rate", lr, -3, 0, step=0.05),
            "x0": slider("start x", float(x0), -5.0, 5.0, step=0.25),
            "y0": slider("start y", float(y0), -2.5, 2.5, step=0.25),
            "steps": _steps_slider(steps, max_steps),
        }
        self.path = None
        self._moving_start = False
        super().__init__(controls)
        controls["landscape"].observe(self._reset_start, names="value")

    def _reset_start(self, change) -> None:
        """A new surface: put the start where that surface's story begins (one redraw, not three)."""
        x0, y0 = get_landscape(change["new"]).start
        self._moving_start = True
        try:
            self.controls["x0"].value, self.controls["y0"].value = float(x0), float(y0)
        finally:
            self._moving_start = False
        self.update()

    def update(self, change=None) -> None:
        if self._moving_start or (change is not None and change.get("owner") is self.controls["landscape"]):
            return  # _reset_start redraws once the start has moved
        super().update(change)

    def draw(self, figure, landscape, optimizer, lr, x0, y0, steps):
        path = self.path = descend(landscape, [x0, y0], lr=lr, steps=int(steps), optimizer=optimizer)
        left, right = figure.subplots(1, 2)
        plot_paths_2d(left, landscape, path, title=f"{optimizer} on the {landscape} surface", legend=False)
        plot_loss_per_step(right, path)
        return f"{optimizer}, learning rate {lr:.3g}: {path.message}"
