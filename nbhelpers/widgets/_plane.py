"""What chapters 1 and 2's panels share: one neuron's output over the plane, drawn in place.

:class:`NeuronPlane` builds an image of ``activation(w1 x1 + w2 x2 + b)``, its colour bar, thin contour lines and
the dashed line ``w·x + b = 0`` once, then :meth:`NeuronPlane.update` changes their data. The colour scale puts
white where the dashed line is (the activation's value at z = 0: 0.5 for sigmoid, 0 for tanh, ReLU and linear),
so the white band always sits on the line; bounded activations use their whole output range, the others a scale
of "nice" size (1, 2, 5, 10, ...) that holds the values shown, cut at what the activation can output (ReLU
never goes below 0, so its bar starts at 0).
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, ListedColormap, Normalize

from nbhelpers.activations import get_activation
from nbhelpers.plotting import PALETTE, grid_points
from nbhelpers.widgets.frame import FastImage

__all__ = ["NeuronPlane", "colour_scale", "line_points", "BOUNDED", "FLOORS", "SURFACE_CMAP"]

#: fixed colour scales: the whole output range
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "step": (0.0, 1.0)}
#: the least value an unbounded activation can output (ReLU: 0; GELU dips to about -0.17)
FLOORS = {"relu": 0.0, "gelu": float(np.min(get_activation("gelu").function(np.linspace(-4, 0, 4001))))}
_NICE = (1.0, 2.0, 5.0)
#: the course's surface colours (blue, white, orange) with pure white in the middle, where the dashed line is:
#: the chapters' text says "white means output 0 (0.5 for sigmoid)"
SURFACE_CMAP = LinearSegmentedColormap.from_list("panel_surface", [PALETTE[0], "#FFFFFF", PALETTE[1]])
_CMAPS: dict = {}


def _nice_ceil(value: float) -> float:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is >= value (and at least 1)."""
    if value <= 1.0:
        return 1.0
    exponent = int(np.floor(np.log10(value)))
    for mantissa in _NICE + (10.0,):
        if mantissa * 10**exponent >= value * (1 - 1e-12):
            return mantissa * 10**exponent
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def colour_scale(name: str, values: np.ndarray, current: float | None = None):
    """``(vmin, vmax, cmap)`` for an activation's outputs: white (the map's middle) at its value at z = 0.

    ``current``: the half-width in use; kept while the values fit in it and fill more than a fifth of it, so
    the scale (and the colour bar) does not change on every small move.
    """
    if name in BOUNDED:
        lo, hi = BOUNDED[name]
        return lo, hi, SURFACE_CMAP
    centre = float(get_activation(name).function(np.array(0.0)))
    need = float(np.max(np.abs(np.asarray(values) - centre)))
    if current is not None and (need <= current and (current == 1.0 or need > current / 5)):
        half = current
    else:
        half = _nice_ceil(need)
    lo, hi = max(centre - half, FLOORS.get(name, -np.inf)), centre + half
    cut = round((lo - (centre - half)) / (2 * half), 6)  # the part of the map below what the activation can reach
    if cut <= 0:
        return lo, hi, SURFACE_CMAP
    if cut not in _CMAPS:
        _CMAPS[cut] = ListedColormap(SURFACE_CMAP(np.linspace(cut, 1.0, 256)), name=f"course_surface_from_{cut}")
    return lo, hi, _CMAPS[cut]


def line_points(w, b, xlim, ylim):
    """Two points of the line ``w1 x1 + w2 x2 + b = 0`` spanning the view, or None when w = 0 (no line)."""
    if abs(w[1]) > 1e-12:
        x1 = np.array(xlim, dtype=float)
        return x1, -(w[0] * x1 + b) / w[1]
    if abs(w[0]) > 1e-12:  # w2 = 0: a vertical line
        return np.full(2, -b / w[0]), np.array(ylim, dtype=float)
    return None


class NeuronPlane:
    """One neuron's output over a rectangle, drawn once on ``ax`` and updated in place.

    ``frame`` is the panel's :class:`~nbhelpers.widgets.frame.Frame`: the image, the contour lines and the
    dashed line are animated (drawn over the cached background); the colour bar changes only with the scale.
    """

    def __init__(self, ax, frame, *, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), resolution: int = 101,
                 contours: bool = True, label_axes: bool = True):
        self.ax, self.xlim, self.ylim, self.resolution = ax, tuple(xlim), tuple(ylim), int(resolution)
        self.xx, self.yy, self.points = grid_points(self.xlim, self.ylim, self.resolution)
        self.image = FastImage(ax, origin="lower", extent=(*self.xlim, *self.ylim), cmap=SURFACE_CMAP,
                               norm=Normalize(0.0, 1.0), interpolation="bilinear")
        self.image.set_data(np.zeros_like(self.xx))
        ax.add_image(self.image)
        self.contours = LineCollection([], colors="black", linewidths=0.5, alpha=0.5) if contours else None
        if self.contours is not None:
            ax.add_collection(self.contours)
        (self.line,) = ax.plot([], [], "k--", lw=1.5, label="w·x + b = 0")
        ax.set_xlim(self.xlim)
        ax.set_ylim(self.ylim)
        ax.grid(False)  # the image is drawn over the background, so a grid would hide under it anyway
        if label_axes:
            ax.set_xlabel("$x_1$")
            ax.set_ylabel("$x_2$")
        self.colorbar = ax.figure.colorbar(self.image, ax=ax, label="output")
        frame.animate(self.image, self.line, *([self.contours] if self.contours is not None else []))
        self.values = None
        self.z = None
        self._scale = None

    def background_key(self) -> tuple:
        """What the plane's static part (the colour bar: its scale, colour map and label) follows from."""
        return (self._scale[:3] if self._scale else None, self.colorbar.ax.get_ylabel())

    def update(self, w, b, activation: str):
        """Show ``activation(w·x + b)``; returns ``(z, values)`` on the grid (rows from the bottom edge)."""
        act = get_activation(activation)
        w = np.asarray(w, dtype=float)
        z = (self.points @ w + b).reshape(self.xx.shape)
        values = act.function(z)
        self.z, self.values = z, values
        self.image.set_data(values)
        current = self._scale[3] if self._scale and self._scale[2] == act.name else None
        lo, hi, cmap = colour_scale(act.name, values, current)
        if self._scale is None or self._scale[:2] != (lo, hi) or self._scale[2] != act.name:  # a new scale: the colour bar (background) is drawn again
            centre = (lo + hi) / 2 if act.name in BOUNDED else float(act.function(np.array(0.0)))
            self._scale = (lo, hi, act.name, hi - centre)
            self.image.set_cmap(cmap)
            self.image.set_norm(Normalize(lo, hi))
        label = f"{act.name}(w·x + b)"
        if self.colorbar.ax.get_ylabel() != label:
            self.colorbar.set_label(label)
        points = line_points(w, b, self.xlim, self.ylim)
        self.line.set_visible(points is not None)
        if points is not None:
            self.line.set_data(*points)
        if self.contours is not None:
            self.contours.set_segments(self._contour_segments(values, lo, hi, act.name))
        return z, values

    def _contour_segments(self, values, lo, hi, name):
        """Thin lines at the scale's tenths (not its middle: that is the dashed line's job)."""
        if np.ptp(values) <= 1e-9 or name == "step":
            return []
        from contourpy import contour_generator

        generator = contour_generator(self.xx, self.yy, values, line_type="Separate")
        centre = (lo + hi) / 2 if name in BOUNDED else float(get_activation(name).function(np.array(0.0)))
        segments = []
        for level in np.linspace(lo, hi, 11)[1:-1]:
            if abs(level - centre) > 1e-9 and values.min() < level < values.max():
                segments.extend(generator.lines(level))
        return segments
