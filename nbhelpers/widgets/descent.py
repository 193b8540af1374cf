"""Chapter 3's panels: gradient descent on a curve (the learning rate) and on a surface (the optimizers).

Both redraw on slider release, in place: the curve or the contours are drawn once per view, the path and the
loss per step move over them. A run that diverges is drawn up to its last finite step, with "DIVERGED at step
k" on the plot and a plain sentence under it, never a NaN plot or an empty figure.
"""

from __future__ import annotations

import re

import numpy as np

from nbhelpers.descent import descend, get_landscape
from nbhelpers.plotting.descent import DIVERGED_COLOR, PATH_COLORS, plot_contour, verdict
from nbhelpers.widgets import Panel, dropdown, int_slider, log_slider, set_limits, slider

__all__ = ["LearningRatePanel", "OptimizerPanel", "describe", "bounces", "LOSS_FLOOR"]

#: the bottom of the loss-per-step plot (a log scale cannot show 0)
LOSS_FLOOR = 1e-10
_ZOOMS = (1.0, 2.0, 4.0)  # how far a view may widen to follow a path, in steps (so it rarely changes)


def bounces(path) -> bool:
    """True when a run zigzags without getting anywhere: every step lands as high as the one before."""
    if path.status != "moving" or path.steps_taken < 4 or path.zigzag_fraction() <= 0.5:
        return False
    losses = np.asarray(path.losses, dtype=float)
    tail = losses[-4:]
    return bool(np.ptp(tail) <= 1e-9 * max(1.0, abs(tail[0])) and tail[-1] > 1e-6 * max(1.0, losses[0]))


def describe(path) -> str:
    """The panel's sentence about a run (starting in lower case): the path's verdict, with "bouncing forever"
    said plainly and one step in the singular."""
    if bounces(path):
        a, b = path.points[-2], path.points[-1]
        where = (f"w = {a[0]:.4g} and w = {b[0]:.4g}" if a.size == 1 else
                 "(" + ", ".join(f"{v:.3g}" for v in a) + ") and (" + ", ".join(f"{v:.3g}" for v in b) + ")")
        text = (f"it zigzags between {where} forever: each step overshoots the minimum by exactly as much as it "
                f"started from, so it never gets closer (loss {path.losses[-1]:.4g} after {path.steps_taken} "
                f"step{'s' if path.steps_taken != 1 else ''}). A smaller learning rate settles.")
    else:
        text = re.sub(r"\b(after|in) 1 steps\b", r"\1 1 step", path.message)
    return text


def _title_verdict(path) -> str:
    return "bounces back and forth forever" if bounces(path) else verdict(path)


def _pick_zoom(lo, hi, values, current=None) -> float:
    """How far (1x, 2x or 4x around its centre) the view (lo, hi) must widen to hold ``values``; the current
    zoom is kept while it still holds them and is not more than twice too wide."""
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    need = float(np.max(np.abs(finite - centre)) / half) if finite.size else 1.0
    if current is not None and need <= current * 1.04 and (current == _ZOOMS[0] or need > current / 2):
        return current
    return next((z for z in _ZOOMS if need <= z * 1.04), _ZOOMS[-1])


def _zoom_view(lo, hi, zoom):
    centre, half = (lo + hi) / 2, (hi - lo) / 2 * zoom
    pad = 0.04 * 2 * half
    return centre - half - pad, centre + half + pad


class _LossPerStep:
    """The right-hand plot of both panels: the loss after each step, on a log scale from LOSS_FLOOR up to a
    whole decade (losses below the floor rest on it: the run has reached the minimum for all the eye can see)."""

    def __init__(self, ax, frame):
        self.ax = ax
        (self.line,) = ax.plot([], [], "-", color=PATH_COLORS[0], marker="o", ms=3, lw=1.5)
        (self.cross,) = ax.plot([], [], "X", color=DIVERGED_COLOR, ms=12, zorder=5)
        self.note = ax.text(0, 0, "", ha="right", va="top", fontsize=9, color=DIVERGED_COLOR, fontweight="bold")
        ax.set_yscale("log")
        self._top_set = False
        ax.set_xlabel("step")
        ax.set_ylabel("loss (log scale)")
        ax.set_title("Loss after each step")
        frame.animate(self.line, self.cross, self.note)

    def limits(self) -> tuple:
        """The plot's limits now (with the curve or contours beside it, all a panel's background depends on)."""
        return tuple(map(float, self.ax.get_xlim() + self.ax.get_ylim()))

    def update(self, path, steps):
        losses = np.maximum(np.asarray(path.losses, dtype=float), LOSS_FLOOR)
        x = np.arange(len(losses))
        self.line.set_data(x, losses)
        top = self.ax.get_ylim()[1] if self._top_set else None
        need = float(losses.max())
        if top is None or need > top or need < top / 1e4:  # the top moves in whole decades, and rarely
            top = 10.0 ** max(np.ceil(np.log10(need) + 0.05), np.log10(LOSS_FLOOR) + 2)
            self._top_set = True
        span = next((n for n in (10, 20, 50, 100, 200, 500) if n >= steps), steps)  # whole numbers: rarely new
        set_limits(self.ax, (-0.02 * span, span * 1.02), (LOSS_FLOOR, top))
        diverged = path.status == "diverged"
        self.cross.set_data(x[-1:] if diverged else [], losses[-1:] if diverged else [])
        self.note.set_text(f"diverged at step {path.diverged_at}" if diverged else "")
        if diverged:
            self.note.set_position((x[-1], losses[-1] / 2))


def _divergence_label(ax):
    return ax.text(0.5, 0.93, "", transform=ax.transAxes, ha="center", va="top", fontsize=11, fontweight="bold",
                   color=DIVERGED_COLOR, bbox={"facecolor": "white", "edgecolor": DIVERGED_COLOR, "alpha": 0.9})


def _show_divergence(label, path):
    if path.status in ("diverged", "growing"):
        label.set_text(f"DIVERGED at step {path.diverged_at}" if path.status == "diverged"
                       else "DIVERGING: the loss grows")
        label.set_visible(True)
    else:
        label.set_text("")
        label.set_visible(False)


class LearningRatePanel(Panel):
    """Chapter 3: gradient descent on a 1-D loss curve.

    Controls: learning rate (log scale, 0.001 to about 3), start point, number of steps, and the curve. Left:
    the curve with every step on it; right: the loss after each step. The message says whether the run
    reached the minimum, is still crawling or zigzagging (or bouncing between two points forever), or diverged
    (and at which step).
    """

    figsize = (7.6, 3.3)
    rows = [["lr", "start"], ["steps", "curve"]]
    status_lines = 3
    fallback_note = ("Interactive panel (learning rate, start, steps): open this notebook in Jupyter with a live "
                     "kernel to use the controls.")

    def __init__(self, lr: float = 0.1, start: float = 0.0, steps: int = 20, curve: str = "parabola",
                 max_steps: int = 100):
        curve = get_landscape(curve).name
        controls = {
            "lr": log_slider("learning rate", lr, -3, 0.5, step=0.05),
            "start": slider("start w", start, -2.0, 8.0, step=0.25),
            "steps": int_slider("steps", steps, 1, max_steps),
            "curve": dropdown("curve", ["parabola", "two_valleys"], curve),
        }
        self.path = None
        self._view = None
        super().__init__(controls)

    def setup(self, figure):
        left, right = figure.subplots(1, 2)
        (self.curve_line,) = left.plot([], [], color="0.35", lw=2, zorder=1)
        (self.stars,) = left.plot([], [], "*", color="black", ms=11, zorder=4)
        colour = PATH_COLORS[0]
        (self.joins,) = left.plot([], [], "-", color=colour, lw=1, alpha=0.7, zorder=2)
        (self.dots,) = left.plot([], [], "o", color=colour, ms=5, zorder=3)
        (self.start_dot,) = left.plot([], [], "o", ms=10, mfc="white", mec=colour, mew=2, zorder=4, label="start")
        self.outside = left.text(0.02, 0.02, "", transform=left.transAxes, fontsize=9, color="0.3")
        self.diverged = _divergence_label(left)
        left.set_xlabel("w (the parameter)")
        left.set_ylabel("loss L(w)")
        self.loss = _LossPerStep(right, self.frame)
        self.frame.animate(self.joins, self.dots, self.start_dot, self.outside, self.diverged, left.title)
        self.left, self.right = left, right

    def _show_curve(self, landscape, ws):
        current = self._view[1] if self._view and self._view[0] == landscape.name else None
        zoom = _pick_zoom(*landscape.xlim, ws, current)
        lo, hi = _zoom_view(*landscape.xlim, zoom)
        if self._view == (landscape.name, zoom):
            return lo, hi
        self._view = (landscape.name, zoom)
        grid = np.linspace(lo, hi, 400)
        heights = landscape.on_grid(grid)
        self.curve_line.set_data(grid, heights)
        self.curve_line.set_label(f"${landscape.formula}$")
        minima = landscape.minima[:, 0]
        self.stars.set_data(minima, landscape.on_grid(minima))
        top = float(np.max(heights))
        set_limits(self.left, (lo, hi), (min(0.0, float(np.min(heights))) - 0.05 * top, 1.15 * top))
        return lo, hi

    def draw(self, figure, lr, start, steps, curve):
        landscape = get_landscape(curve)
        path = self.path = descend(landscape, start, lr=lr, steps=int(steps))
        ws, losses = path.points[:, 0], np.asarray(path.losses, dtype=float)
        lo, hi = self._show_curve(landscape, ws)
        inside = (ws >= lo) & (ws <= hi)
        self.joins.set_data(ws[inside], losses[inside])
        self.dots.set_data(ws[inside], losses[inside])
        self.dots.set_label(f"steps (lr = {path.lr:g})")
        self.start_dot.set_data(ws[:1], losses[:1])
        outside = int((~inside).sum())
        self.outside.set_text(f"{outside} step{'s' if outside != 1 else ''} left the picture" if outside else "")
        _show_divergence(self.diverged, path)
        self.left.title.set_text(f"lr = {path.lr:g}: {_title_verdict(path)}")
        self.loss.update(path, int(steps))
        # what is not animated (the curve, its stars, both plots' limits) follows from these: a background drawn
        # for them before is reused
        self.frame.background_key = (self._view, self.loss.limits())
        limit = ""
        if landscape.stable_lr is not None and path.status in ("diverged", "growing"):
            limit = f" On this curve every learning rate above {landscape.stable_lr:g} diverges."
        return f"Learning rate {lr:.3g}: {describe(path)}{limit}"


class OptimizerPanel(Panel):
    """Chapter 3: plain gradient descent, momentum or Adam on a 2-D loss surface.

    Controls: the surface, the optimizer, its learning rate (log scale), momentum's ``beta`` (how much of the
    last step each step keeps; used by momentum only, so it is greyed out for the others), the start point and
    the number of steps. Left: contours with the path; right: the loss after each step. Choosing another surface
    moves the start to that surface's usual start.
    """

    figsize = (7.6, 3.4)
    rows = [["landscape", "optimizer"], ["lr", "beta"], ["x0", "y0", "steps"]]
    status_lines = 3
    fallback_note = ("Interactive panel (surface, optimizer, learning rate, beta, start, steps): open this notebook "
                     "in Jupyter with a live kernel to use the controls.")

    def __init__(self, landscape: str = "valley", optimizer: str = "momentum", lr: float = 0.05, start=None,
                 steps: int = 60, max_steps: int = 200, beta: float = 0.9):
        landscape = get_landscape(landscape)
        x0, y0 = landscape.start if start is None else start
        controls = {
            "landscape": dropdown("surface", ["bowl", "ellipse", "valley", "two_minima"], landscape.name),
            "optimizer": dropdown("optimizer", ["sgd", "momentum", "adam"], optimizer),
            "lr": log_slider("learning rate", lr, -3, 0, step=0.05),
            "beta": slider("beta (momentum)", beta, 0.0, 0.99, step=0.01),
            "x0": slider("start x", float(x0), -5.0, 5.0, step=0.25),
            "y0": slider("start y", float(y0), -2.5, 2.5, step=0.25),
            "steps": int_slider("steps", steps, 1, max_steps),
        }
        controls["beta"].disabled = optimizer != "momentum"
        self.path = None
        self._moving_start = False
        self._view = None
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

    def picture_key(self, landscape, optimizer, lr, beta, x0, y0, steps):
        # beta only matters to momentum: moving it under sgd or adam changes nothing drawn
        return (landscape, optimizer, lr, beta if optimizer == "momentum" else None, x0, y0, steps)

    def update(self, change=None) -> None:
        self.controls["beta"].disabled = self.controls["optimizer"].value != "momentum"
        if self._moving_start or (change is not None and change.get("owner") is self.controls["landscape"]):
            return  # _reset_start redraws once the start has moved
        super().update(change)

    def setup(self, figure):
        left, right = figure.subplots(1, 2)
        colour = PATH_COLORS[0]
        (self.trail,) = left.plot([], [], "-", color=colour, lw=1.6, marker="o", ms=3.5, zorder=3)
        (self.start_dot,) = left.plot([], [], "o", ms=10, mfc="white", mec=colour, mew=2, zorder=4)
        (self.cross,) = left.plot([], [], "X", color=DIVERGED_COLOR, ms=12, zorder=5)
        self.diverged = _divergence_label(left)
        self.loss = _LossPerStep(right, self.frame)
        self.frame.animate(self.trail, self.start_dot, self.cross, self.diverged, left.title)
        self.left, self.right = left, right

    def _show_surface(self, landscape, points):
        current = self._view[1] if self._view and self._view[0] == landscape.name else None
        zoom = max(_pick_zoom(*landscape.xlim, points[:, 0], current),
                   _pick_zoom(*landscape.ylim, points[:, 1], current))  # one zoom for both: the shape stays
        if self._view == (landscape.name, zoom):
            return
        self._view = (landscape.name, zoom)
        xlim, ylim = _zoom_view(*landscape.xlim, zoom), _zoom_view(*landscape.ylim, zoom)
        for artist in list(self.left.collections) + [ln for ln in self.left.get_lines() if ln.get_label() == "minimum"]:
            artist.remove()
        plot_contour(self.left, landscape, xlim=xlim, ylim=ylim, resolution=90)
        self.left.grid(False)

    def draw(self, figure, landscape, optimizer, lr, beta, x0, y0, steps):
        kwargs = {"beta": beta} if optimizer == "momentum" else {}
        path = self.path = descend(landscape, [x0, y0], lr=lr, steps=int(steps), optimizer=optimizer, **kwargs)
        pts = path.points
        self._show_surface(get_landscape(landscape), pts)
        self.trail.set_data(pts[:, 0], pts[:, 1])
        self.trail.set_label(f"{optimizer}, lr = {path.lr:g}")
        self.start_dot.set_data(pts[:1, 0], pts[:1, 1])
        diverged = path.status == "diverged"
        self.cross.set_data(pts[-1:, 0] if diverged else [], pts[-1:, 1] if diverged else [])
        _show_divergence(self.diverged, path)
        self.left.title.set_text(f"{optimizer} on the {landscape} surface")
        self.loss.update(path, int(steps))
        self.frame.background_key = (self._view, self.loss.limits())  # the contours and both plots' limits
        setting = f", beta {beta:g}" if optimizer == "momentum" else ""
        return f"{optimizer}, learning rate {lr:.3g}{setting}: {describe(path)}"
