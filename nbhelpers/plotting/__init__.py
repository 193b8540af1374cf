"""Figures with one look across the course.

Two classes are always blue circles and orange squares (Okabe-Ito colours, safe for colour-blind readers,
with different marker shapes too); decision surfaces always use :data:`SURFACE_CMAP`, from blue (class 0)
through white (undecided) to orange (class 1).

Functions take an ``ax`` to draw on, or make a new figure with :func:`new_figure`. Figures are
``matplotlib.figure.Figure`` objects that pyplot does not track: a chapter shows one by ending a cell with it,
and widgets and tests can redraw them without leaking memory.
"""

from __future__ import annotations

import numpy as np
from matplotlib import rcParams
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.ticker import MaxNLocator

from nbhelpers._validate import as_float_array, as_interval, as_scalar, check_drawing_args
from nbhelpers.activations import get_activation

__all__ = [
    "CLASS_COLORS", "CLASS_MARKERS", "SURFACE_CMAP", "PALETTE", "use_course_style", "new_figure",
    "scatter_classes", "plot_surface", "plot_neuron_plane", "draw_neuron_line", "draw_weight_arrow", "grid_points",
    "BOUNDARY_STYLE", "tidy_ticks",
]

#: Okabe-Ito palette: blue, orange, bluish green, reddish purple, sky blue, vermillion, yellow, black.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CLASS_COLORS = PALETTE[:4]
CLASS_MARKERS = ["o", "s", "^", "D"]
SURFACE_CMAP = LinearSegmentedColormap.from_list("course_surface", [PALETTE[0], "#FFFFFF", PALETTE[1]])
#: How every figure draws a decision boundary (a neuron's line z = 0, a network's 0.5 contour): dashed black.
BOUNDARY_STYLE = {"color": "black", "linestyle": "--", "linewidth": 1.5}


def tidy_ticks(ax, nbins: int = 5) -> None:
    """At most about ``nbins`` ticks per axis, so labels such as -0.50 and -0.25 never run into each other."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    ax.xaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=[1, 2, 2.5, 5, 10]))


def use_course_style() -> None:
    """Set matplotlib defaults used by every chapter (sizes, grid, colour cycle)."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    from cycler import cycler

    rcParams.update({
        "figure.dpi": 100,
        "figure.figsize": (6.0, 4.0),
        "axes.grid": True,
        "grid.alpha": 0.3,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 11,
        "axes.labelsize": 10,
        "legend.fontsize": 9,
        "axes.prop_cycle": cycler(color=PALETTE),
    })


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, **subplot_kw):
    """A new figure and its axes, untracked by pyplot: ``fig, ax = new_figure()``.

    ``ax`` is one Axes for a 1x1 grid, else an array of Axes as from ``plt.subplots``.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if figsize is None:
        figsize = (4.2 * ncols, 3.6 * nrows)
    from matplotlib.figure import Figure  # here, not at the top: most of matplotlib's import time, paid at first use

    fig = Figure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=True, subplot_kw=subplot_kw or None)
    return fig, axes


def scatter_classes(ax, X, y, *, labels=None, size: float = 40, hollow: bool = False, legend: bool = True):
    """Scatter 2-D points coloured and shaped by class (0 = blue circles, 1 = orange squares, ...).

    ``hollow=True`` draws open markers: used for test points, so they stand apart from training points.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    X = as_float_array(X, "X", shape=(None, 2), hint="Each point is a row of two coordinates.")
    y = as_float_array(y, "y (the class of each point)").ravel()
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"y must have one label per row of X ({X.shape[0]}); got {y.shape[0]} labels.")
    classes = np.unique(y)
    if len(classes) > len(CLASS_COLORS):
        raise ValueError(f"scatter_classes draws at most {len(CLASS_COLORS)} classes; got {len(classes)}.")
    for k, cls in enumerate(sorted(classes)):
        index = int(cls) if float(cls).is_integer() and 0 <= cls < len(CLASS_COLORS) else k
        mask = y == cls
        name = labels[index] if labels is not None else f"class {cls:g}"
        colour = CLASS_COLORS[index]
        ax.scatter(X[mask, 0], X[mask, 1], s=size, marker=CLASS_MARKERS[index], label=name,
                   facecolors="none" if hollow else colour, edgecolors=colour if hollow else "black",
                   linewidths=1.6 if hollow else 0.9, zorder=3)
    if legend:
        ax.legend(loc="best", framealpha=0.8)
    return ax


def grid_points(xlim, ylim, resolution: int = 100):
    """A ``resolution`` x ``resolution`` grid over the rectangle: ``(xx, yy, points)``, points of shape (r*r, 2)."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    xs = np.linspace(xlim[0], xlim[1], resolution)
    ys = np.linspace(ylim[0], ylim[1], resolution)
    xx, yy = np.meshgrid(xs, ys)
    return xx, yy, np.column_stack([xx.ravel(), yy.ravel()])


def plot_surface(ax, predict, xlim=(-2, 2), ylim=(-2, 2), *, resolution: int = 100, vmin: float = 0.0,
                 vmax: float = 1.0, boundary: float | None = 0.5, colorbar: bool = False, label: str = "output"):
    """Colour the plane by ``predict(points)`` (points of shape (n, 2) -> n numbers) and draw the boundary.

    Returns the filled contour set. The boundary is the contour at level ``boundary`` (None: no line), dashed as
    every boundary in the course is (:data:`BOUNDARY_STYLE`).
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    vmin, vmax = as_interval(vmin, vmax)  # the colour range
    if boundary is not None:
        as_scalar(boundary, "boundary (the level of the line; None for no line)", example="0.5")
    xx, yy, points = grid_points(xlim, ylim, resolution)
    values = as_float_array(predict(points), "what predict(points) returned", finite=False)
    if values.size != xx.size:
        raise ValueError(f"predict must return one number per point ({xx.size} points); got {values.size} numbers.")
    values = values.reshape(xx.shape)
    if not np.all(np.isfinite(values)):
        raise ValueError("the function to draw returned NaN or infinity; check its weights (did training diverge?).")
    levels = np.linspace(vmin, vmax, 21)
    filled = ax.contourf(xx, yy, np.clip(values, vmin, vmax), levels=levels, cmap=SURFACE_CMAP, vmin=vmin, vmax=vmax,
                         alpha=0.8)
    if boundary is not None and values.min() < boundary < values.max():
        ax.contour(xx, yy, values, levels=[boundary], colors=BOUNDARY_STYLE["color"],
                   linestyles=BOUNDARY_STYLE["linestyle"], linewidths=BOUNDARY_STYLE["linewidth"])
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label=label, ticks=np.linspace(vmin, vmax, 5))
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    tidy_ticks(ax)
    return filled


def draw_neuron_line(ax, w, b, xlim, ylim) -> None:
    """Draw, dashed, the line where a 2-input neuron's weighted sum is zero: ``w[0] x1 + w[1] x2 + b = 0``."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    x1 = np.linspace(xlim[0], xlim[1], 2)
    if abs(w[1]) > 1e-12:
        ax.plot(x1, -(w[0] * x1 + b) / w[1], label="w·x + b = 0", **BOUNDARY_STYLE)
    elif abs(w[0]) > 1e-12:  # w2 = 0: the line is vertical
        ax.axvline(-b / w[0], label="w·x + b = 0", **BOUNDARY_STYLE)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)


def draw_weight_arrow(ax, w, b, xlim, ylim, *, length: float | None = None) -> None:
    """Draw the weight vector ``w`` as an arrow starting on the line ``w·x + b = 0``, pointing to its "yes" side.

    The arrow starts at the point of the line nearest the middle of the view and is ``length`` long (default: a
    quarter of the view's width); nothing is drawn when ``w`` is zero (then there is no line).
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    w = as_float_array(w, "w", shape=(2,), hint="A neuron on the plane has two weights.")
    norm = float(np.hypot(*w))
    if norm < 1e-12:
        return
    centre = np.array([(xlim[0] + xlim[1]) / 2, (ylim[0] + ylim[1]) / 2])
    foot = centre - (w @ centre + b) / norm**2 * w  # the point of the line nearest the centre
    along = np.array([-w[1], w[0]]) / norm * 0.2 * (xlim[1] - xlim[0])  # slide along the line, off the middle
    if xlim[0] <= (foot + along)[0] <= xlim[1] and ylim[0] <= (foot + along)[1] <= ylim[1]:
        foot = foot + along  # (the middle of a gate's square is where its points sit)
    length = length if length is not None else 0.25 * (xlim[1] - xlim[0])
    tip = foot + length * w / norm
    ax.annotate("", xy=tip, xytext=foot, zorder=6,
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 2, "mutation_scale": 18})
    ax.annotate("w", xy=(foot + tip) / 2, xytext=(-14, 2), textcoords="offset points", fontsize=12,
                fontweight="bold", zorder=6)


def plot_neuron_plane(ax, w, b, activation="sigmoid", *, X=None, y=None, xlim=(-2, 2), ylim=(-2, 2),
                      resolution: int = 80, title: str | None = None, arrow: bool = False):
    """What one 2-input neuron computes over the plane, with its line ``w1 x1 + w2 x2 + b = 0`` dashed.

    Optionally overlays labelled points ``(X, y)`` (for example a logic gate's truth table), and with
    ``arrow=True`` the weight vector ``w`` as an arrow from the line towards the "yes" side.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    w = as_float_array(w, "w", shape=(2,), hint="A neuron on the plane has two weights, e.g. [1.0, -1.0].")
    if (X is None) != (y is None):
        raise ValueError(f"give both X and y (the points and their labels) to mark points, or neither; got only "
                         f"{'X' if y is None else 'y'}.")
    act = get_activation(activation)
    lo, hi = {"tanh": (-1.0, 1.0)}.get(act.name, (0.0, 1.0))
    values_at = lambda points: act.function(points @ w + b)  # noqa: E731
    plot_surface(ax, values_at, xlim, ylim, resolution=resolution, vmin=lo, vmax=hi, boundary=None,
                 colorbar=True, label=f"{act.name}(w·x + b)")
    draw_neuron_line(ax, w, b, xlim, ylim)
    if arrow:
        draw_weight_arrow(ax, w, b, xlim, ylim)
    tidy_ticks(ax)
    if X is not None and y is not None:
        scatter_classes(ax, X, y, size=70, legend=False)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title is None:
        title = (f"w = [{w[0]:.2g}, {w[1]:.2g}], b = {b:.2g}: the line splits the plane" if np.any(np.abs(w) > 1e-12)
                 else f"w = [0, 0], b = {b:.2g}: no line, the same output everywhere")
    ax.set_title(title)
    return ax
