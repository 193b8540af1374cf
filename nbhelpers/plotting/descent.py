"""Chapter 3's figures: loss curves and surfaces with the path gradient descent took, loss per step, line fits.

Every function draws on an ``ax`` it is given (or builds a figure with :func:`~nbhelpers.plotting.new_figure`).
Paths come from :func:`nbhelpers.descent.descend`. A path that diverged is drawn up to its last finite point
and labelled "diverged at step k" on the plot itself, so a figure is never blank and never plots NaN.
"""

from __future__ import annotations

import math

import numpy as np

from nbhelpers._validate import as_float_array, as_scalar, check_drawing_args, describe
from matplotlib.colors import LinearSegmentedColormap, LogNorm
from matplotlib.ticker import FuncFormatter, NullFormatter

from nbhelpers.descent import DescentPath, descend, get_landscape
from nbhelpers.plotting import PALETTE, new_figure

__all__ = [
    "PATH_COLORS", "PATH_MARKERS", "DIVERGED_COLOR", "LANDSCAPE_CMAP", "plot_curve_path", "plot_loss_per_step",
    "plot_contour", "plot_paths_2d", "learning_rate_figure", "plot_line_fit", "plot_loss_curves", "verdict",
    "running_mean", "PLOT_FLOOR",
]

#: Colours and markers of successive paths on one plot (blue circles, orange squares, green triangles, ...).
PATH_COLORS = [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3], PALETTE[4]]
PATH_MARKERS = ["o", "s", "^", "D", "v"]
#: The colour of the words "diverged" on a plot (vermillion).
DIVERGED_COLOR = PALETTE[5]
#: Losses *above the best one* smaller than this are drawn at it (a log scale cannot show 0).
PLOT_FLOOR = 1e-12
#: Loss surfaces: white at the bottom of a valley, grey up the slopes (paths in colour stand out on it).
LANDSCAPE_CMAP = LinearSegmentedColormap.from_list("course_landscape", ["#FFFFFF", "#8C8C8C"])


def verdict(path: DescentPath) -> str:
    """A few words for a title: 'crawls', 'zigzags', 'bounces', 'reaches the minimum', 'diverges'."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    losses = path.losses
    if path.status == "moving" and len(losses) > 2 and np.allclose(losses, losses[0], rtol=1e-9, atol=1e-12) \
            and path.zigzag_fraction() > 0.5:
        return "bounces between two points, never closer"
    if path.status == "diverged":
        return f"diverges (blows up at step {path.diverged_at})"
    if path.status == "growing":
        return "overshoots more each step: diverges"
    if path.status == "converged":
        return f"reaches the minimum by step {path.converged_at}"
    if path.zigzag_fraction() > 0.5:
        return "zigzags, still on its way"
    return "nearly there" if path.nearly_there() else "crawls, still on its way"


def _label_divergence(ax, path: DescentPath) -> None:
    if path.status in ("diverged", "growing"):
        text = (f"DIVERGED at step {path.diverged_at}" if path.status == "diverged"
                else "DIVERGING: the loss grows")
        ax.text(0.5, 0.93, text, transform=ax.transAxes, ha="center", va="top", fontsize=11, fontweight="bold",
                color=DIVERGED_COLOR, bbox={"facecolor": "white", "edgecolor": DIVERGED_COLOR, "alpha": 0.9})


def _plain_log_labels(ax) -> None:
    """On a log axis spanning less than two powers of 10, label ticks as plain numbers (2, 3, 4, 6), not 6x10^0."""
    lo, hi = ax.get_ylim()
    if lo > 0 and hi / lo < 100:
        plain = FuncFormatter(lambda v, _: f"{v:g}")
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(plain)
    else:
        ax.yaxis.set_minor_formatter(NullFormatter())


def _off_picture_note(ax, outside: int, total: int) -> None:
    """Say under the x axis how many steps are not drawn (a note there never covers the curve or the legend)."""
    if outside:
        ax.set_xlabel(f"{ax.get_xlabel()}\n({outside} of {total} steps are off the picture)")


def _view(lo, hi, values, max_zoom_out):
    """Widen (lo, hi) to show ``values``, but never beyond ``max_zoom_out`` times the width around the centre."""
    centre, half = (lo + hi) / 2, (hi - lo) / 2
    finite = values[np.isfinite(values)]
    if finite.size:
        lo, hi = min(lo, finite.min()), max(hi, finite.max())
    lo, hi = max(lo, centre - max_zoom_out * half), min(hi, centre + max_zoom_out * half)
    pad = 0.04 * (hi - lo)
    return lo - pad, hi + pad


def plot_curve_path(ax, landscape, path: DescentPath, *, color=None, marker="o", title: str | None = None,
                    max_zoom_out: float = 4.0, show_minima: bool = True):
    """A 1-D loss curve with the steps of ``path`` on it (start hollow, each step joined to the next).

    The view widens to follow the path, up to ``max_zoom_out`` times the landscape's range; steps beyond it are
    counted in a note rather than squeezing the curve flat.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    landscape = get_landscape(landscape)
    if landscape.dims != 1:
        raise ValueError(f"plot_curve_path draws 1-D landscapes; {landscape.name!r} has {landscape.dims} variables "
                         "(use plot_paths_2d).")
    color = color or PATH_COLORS[0]
    ws = path.points[:, 0]
    lo, hi = _view(*landscape.xlim, ws, max_zoom_out)
    grid = np.linspace(lo, hi, 400)
    ax.plot(grid, landscape.on_grid(grid), color="0.35", lw=2, label=f"${landscape.formula}$", zorder=1)
    inside = (ws >= lo) & (ws <= hi)
    ax.plot(ws[inside], path.losses[inside], "-", color=color, lw=1, alpha=0.7, zorder=2)
    ax.plot(ws[inside], path.losses[inside], marker, color=color, ms=5, zorder=3, label=f"steps (lr = {path.lr:g})")
    ax.plot(ws[:1], path.losses[:1], marker, ms=10, mfc="white", mec=color, mew=2, zorder=4, label="start")
    if show_minima:
        for m in landscape.minima[:, 0]:
            ax.plot([m], [landscape.on_grid(m)], "*", color="black", ms=11, zorder=4)
    curve_top = float(np.max(landscape.on_grid(grid)))
    ax.set_xlim(lo, hi)
    ax.set_ylim(min(0.0, float(np.min(landscape.on_grid(grid)))) - 0.05 * curve_top, 1.15 * curve_top)
    ax.set_xlabel("w (the parameter)")
    _off_picture_note(ax, int((~inside).sum()), len(ws) - 1)
    ax.set_ylabel("loss L(w)")
    ax.set_title(title or f"lr = {path.lr:g}: {verdict(path)}")
    _label_divergence(ax, path)
    return ax


def plot_loss_per_step(ax, paths, labels=None, *, log: bool | None = None, title: str | None = None):
    """Loss after each step, for one path or a list of them (log scale when every loss is positive)."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if isinstance(paths, DescentPath):
        paths = [paths]
    if not paths:
        raise ValueError("plot_loss_per_step needs at least one path from descend().")
    labels = labels or [f"{p.optimizer}, lr = {p.lr:g}" for p in paths]
    if log is None:
        log = all(np.all(p.losses > 0) for p in paths)
    for k, (path, label) in enumerate(zip(paths, labels)):
        colour, marker = PATH_COLORS[k % len(PATH_COLORS)], PATH_MARKERS[k % len(PATH_MARKERS)]
        losses = np.maximum(path.losses, 1e-16) if log else path.losses
        steps = np.arange(len(losses))
        ax.plot(steps, losses, "-", color=colour, marker=marker, ms=3, lw=1.5, label=label)
        if path.status == "diverged":
            # the X sits at the step that blew up (its loss is off the scale: drawn at the top edge)
            ax.plot([path.diverged_at], [0.97], "X", color=DIVERGED_COLOR, ms=12, zorder=5, clip_on=False,
                    transform=ax.get_xaxis_transform())
            ax.plot([steps[-1], path.diverged_at], [losses[-1], losses[-1]], ":", color=DIVERGED_COLOR, lw=1)
            # said once, by the X (the banner below is only for runs that grow without blowing up)
            # (bottom right: a loss that blows up climbs to the top right, so the bottom right is free)
            ax.annotate(f"diverged at step {path.diverged_at}", (path.diverged_at, 0.97),
                        xycoords=ax.get_xaxis_transform(), xytext=(0.97, 0.06 + 0.08 * k), textcoords="axes fraction",
                        ha="right", va="bottom", fontsize=10, color=DIVERGED_COLOR, fontweight="bold",
                        arrowprops={"arrowstyle": "->", "color": DIVERGED_COLOR, "lw": 1})
    if log:
        ax.set_yscale("log")
        _plain_log_labels(ax)
    ax.set_xlabel("step")
    ax.set_ylabel("loss" + (" (log scale)" if log else ""))
    if len(paths) > 1:
        ax.legend(loc="best")
    ax.set_title(title or "Loss after each step")
    if len(paths) == 1 and paths[0].status == "growing":
        _label_divergence(ax, paths[0])
    return ax


def plot_contour(ax, landscape, *, resolution: int = 120, levels: int = 14, xlim=None, ylim=None):
    """Contours of a 2-D landscape (darker = higher loss), minima as black stars."""
    check_drawing_args(locals(), optional=("xlim", "ylim"))  # every argument checked by name, one sentence each
    landscape = get_landscape(landscape)
    if landscape.dims != 2:
        raise ValueError(f"plot_contour draws 2-D landscapes; {landscape.name!r} has one variable "
                         "(use plot_curve_path).")
    xlim, ylim = xlim or landscape.xlim, ylim or landscape.ylim
    xs, ys = np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    zz = landscape.on_grid(xx, yy)
    shift = float(zz.min()) - 1e-3 * (float(zz.max()) - float(zz.min()) + 1e-12)
    heights = zz - shift  # positive, so the levels can be spaced on a log scale (more lines near the bottom)
    bounds = np.geomspace(heights.min(), heights.max(), levels)
    ax.contourf(xx, yy, heights, levels=bounds, cmap=LANDSCAPE_CMAP, norm=LogNorm())
    ax.contour(xx, yy, heights, levels=bounds, colors="0.45", linewidths=0.6)
    ax.plot(landscape.minima[:, 0], landscape.minima[:, 1], "*", color="black", ms=13, zorder=5, label="minimum")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("x (first parameter)")
    ax.set_ylabel("y (second parameter)")
    return ax


def plot_paths_2d(ax, landscape, paths, labels=None, *, title: str | None = None, max_zoom_out: float = 3.0,
                  legend: bool = True):
    """A 2-D landscape's contours with one or more paths drawn over them (start hollow, end filled).

    A path is drawn until it first leaves the picture; the steps after that are counted in a note instead of
    being drawn as lines across the whole plot.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    landscape = get_landscape(landscape)
    if isinstance(paths, DescentPath):
        paths = [paths]
    labels = labels or [f"{p.optimizer}, lr = {p.lr:g}" for p in paths]
    every = np.vstack([p.points for p in paths]) if paths else np.empty((0, 2))
    xlim = _view(*landscape.xlim, every[:, 0], max_zoom_out)
    ylim = _view(*landscape.ylim, every[:, 1], max_zoom_out)
    plot_contour(ax, landscape, xlim=xlim, ylim=ylim)
    off_picture = 0
    for k, (path, label) in enumerate(zip(paths, labels)):
        colour, marker = PATH_COLORS[k % len(PATH_COLORS)], PATH_MARKERS[k % len(PATH_MARKERS)]
        pts = path.points
        outside = ((pts[:, 0] < xlim[0]) | (pts[:, 0] > xlim[1]) | (pts[:, 1] < ylim[0]) | (pts[:, 1] > ylim[1]))
        if outside.any():  # draw up to and including the first step out (the axes clip it), not the rest
            first_out = int(np.argmax(outside))
            off_picture += len(pts) - 1 - first_out
            pts = pts[:first_out + 1]
        ax.plot(pts[:, 0], pts[:, 1], "-", color=colour, lw=1.6, marker=marker, ms=3.5, label=label, zorder=3)
        ax.plot(pts[:1, 0], pts[:1, 1], marker, ms=10, mfc="white", mec=colour, mew=2, zorder=4)
        if path.status == "diverged" and not outside.any():
            ax.plot(pts[-1:, 0], pts[-1:, 1], "X", color=DIVERGED_COLOR, ms=12, zorder=5)
    if off_picture:
        _off_picture_note(ax, off_picture, sum(len(p.points) - 1 for p in paths))
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    if legend and paths:
        ax.legend(loc="lower right", framealpha=0.85)
    if title is not None:
        ax.set_title(title)
    if len(paths) == 1:
        _label_divergence(ax, paths[0])
    return ax


def learning_rate_figure(landscape="parabola", lrs=(0.02, 0.3, 1.1), *, start=None, steps: int = 20):
    """The learning-rate story side by side: for each rate, the path on the curve (top) and loss per step (below).

    Returns ``(figure, paths)``.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    landscape = get_landscape(landscape)
    paths = [descend(landscape, start, lr=lr, steps=steps) for lr in lrs]
    fig, axes = new_figure(2, len(paths), figsize=(4.3 * len(paths), 7.0))
    axes = np.asarray(axes).reshape(2, len(paths))
    for k, path in enumerate(paths):
        colour, marker = PATH_COLORS[k % len(PATH_COLORS)], PATH_MARKERS[k % len(PATH_MARKERS)]
        plot_curve_path(axes[0, k], landscape, path, color=colour, marker=marker)
        plot_loss_per_step(axes[1, k], path, title=f"lr = {path.lr:g}: loss after each step")
        axes[1, k].get_lines()[0].set_color(colour)
    return fig, paths


def plot_line_fit(ax, x, y, lines: dict, *, title: str | None = None):
    """Data points (blue circles) and one or more lines ``{label: (w, b)}``."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    x = as_float_array(x, "x", shape=(None,), nonempty=True, max_abs=1e100)
    y = as_float_array(y, "y", shape=(x.size,), hint="Give one y per x.", max_abs=1e100)
    for label, line in lines.items():
        if isinstance(line, (str, bytes, dict)) or not hasattr(line, "__len__") or len(line) != 2:
            raise TypeError(f"lines must map each label to a line (w, b), e.g. {{'fit': (2.0, -1.0)}}; got "
                            f"{describe(line)} for {label!r}.")
        as_scalar(line[0], f"w of line {label!r}", minimum=-1e100, maximum=1e100, example="2.0")
        as_scalar(line[1], f"b of line {label!r}", minimum=-1e100, maximum=1e100, example="-1.0")
    ax.scatter(x, y, s=22, color=PATH_COLORS[0], edgecolors="black", linewidths=0.5, label="data", zorder=3)
    grid = np.linspace(x.min(), x.max(), 2)
    styles = ["-", "--", ":", "-."]
    for k, (label, (w, b)) in enumerate(lines.items()):
        ax.plot(grid, w * grid + b, styles[k % len(styles)], color=PATH_COLORS[(k + 1) % len(PATH_COLORS)], lw=2.2,
                label=f"{label}: y = {w:.3f} x {'+' if b >= 0 else '-'} {abs(b):.3f}")
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)
    return ax


def running_mean(xs, values, width: float):
    """The average of ``values`` over a trailing window ``width`` wide in x (for example 200 units of work).

    Returns ``(xs, means)`` starting where the first full window ends; a window of one point returns the input.

    >>> running_mean([0, 1, 2, 3], [4.0, 2.0, 6.0, 0.0], 2)[1].tolist()
    [3.0, 4.0, 3.0]
    """
    xs = as_float_array(xs, "xs", shape=(None,), nonempty=True)
    values = as_float_array(values, "values", shape=(xs.size,), hint="Give one value per x.")
    width = as_scalar(width, "width", minimum=0, maximum=1e100, min_open=True, example="200")
    with np.errstate(over="ignore"):  # a spacing beyond float64 (xs near +-1e308) is "no window" below
        spacing = float(np.median(np.diff(xs))) if xs.size > 1 else 1.0
    window = max(1, int(round(min(width / spacing, 1e12)))) if 0 < spacing < math.inf else 1
    if window <= 1 or window > values.size:
        return xs, values
    windows = np.lib.stride_tricks.sliding_window_view(values / window, window)  # each term divided first:
    return xs[window - 1:], windows.sum(axis=1)  # the means never overflow, and no running sum loses digits


def plot_loss_curves(ax, curves: dict, *, xlabel: str = "step", log: bool = True, title: str | None = None,
                     floor: float | None = None, above: float | None = None, ylabel: str | None = None,
                     legend_loc: str = "upper right", colors=None, smooth: float | None = None):
    """Several curves ``{label: (x_values, values)}`` on one axis (loss curves, or learning rates), the first on top.

    ``floor`` draws the best possible loss as a dotted line. ``above`` plots ``loss - above`` instead, the
    loss *above* the best one, which a log scale shows far more clearly when the best loss is not zero (values
    below :data:`PLOT_FLOOR` are drawn at it, and a note on the plot says so). ``colors`` (one per curve) keeps a
    method's colour from one figure to the next. ``smooth`` draws each curve faintly and, over it, its running
    mean over a window that wide in x (see :func:`running_mean`), so noisy curves can be compared.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    colors = list(colors) if colors is not None else [PATH_COLORS[k % len(PATH_COLORS)] for k in range(len(curves))]
    if len(colors) < len(curves):
        raise ValueError(f"colors must give one colour per curve ({len(curves)}); got {len(colors)}.")
    floored = False
    for k, (label, curve) in enumerate(curves.items()):
        if isinstance(curve, (str, bytes, dict)) or not hasattr(curve, "__len__") or len(curve) != 2:
            raise TypeError(f"curves must map each label to (x_values, values), e.g. {{'train': (steps, losses)}}; "
                            f"got {describe(curve)} for {label!r}.")
        xs = as_float_array(curve[0], f"the x values of curve {label!r}", shape=(None,), nonempty=True)
        values = as_float_array(curve[1], f"the values of curve {label!r}", shape=(xs.size,), finite=False,
                                hint="Give one value per x value.")
        if above is not None:
            floored = floored or bool(np.any(values - above < PLOT_FLOOR))
            values = np.maximum(values - above, PLOT_FLOOR)
        width, order = (1.8 if k == 0 else 1.1), 3 + len(curves) - k  # the first curve on top
        if smooth:
            mx, mean = running_mean(xs, values, smooth)
            ax.plot(xs, values, "-", color=colors[k], lw=0.7, alpha=0.25, zorder=order)
            ax.plot(mx, mean, "-", color=colors[k], lw=2.0, label=label, zorder=order + len(curves))
        else:
            ax.plot(xs, values, "-", color=colors[k], lw=width, label=label, alpha=1.0 if k == 0 else 0.8, zorder=order)
    if floored:
        ax.axhline(PLOT_FLOOR, color="0.4", ls=":", lw=1)
        ax.text(0.98, PLOT_FLOOR, f"{PLOT_FLOOR:.0e}: equal to the best loss to 12 decimals (drawn here)",
                transform=ax.get_yaxis_transform(), ha="right", va="bottom", fontsize=8, color="0.3")
    if floor is not None:  # on a log scale a floor below PLOT_FLOOR is drawn at it, as the curves are
        ax.axhline(max(floor, PLOT_FLOOR) if log and floor > 0 else floor, color="black", ls=":", lw=1.2,
                   label=f"least-squares loss {floor:.4f}" if floor < 1e4 else f"least-squares loss {floor:.4g}")
    if log:
        ax.set_yscale("log")
        _plain_log_labels(ax)
    ax.set_xlabel(xlabel)
    if ylabel is None:
        ylabel = "loss above the least-squares loss" if above is not None else "loss (mean squared error)"
    ax.set_ylabel(ylabel + (", log scale" if log else ""))
    ax.legend(loc=legend_loc)
    if title:
        ax.set_title(title)
    return ax

