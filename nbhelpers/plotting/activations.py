"""Chapter 2's figures: activation functions, their slopes, and what one neuron draws with each.

Every function here draws with the course look (see :mod:`nbhelpers.plotting`): functions solid blue,
derivatives dashed orange, surfaces in :data:`~nbhelpers.plotting.SURFACE_CMAP`, axis labels everywhere.

>>> fig = plot_activation_gallery(["sigmoid", "relu"])
>>> [ax.get_xlabel() for ax in fig.axes]
['z', 'z']
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import Normalize
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from nbhelpers._validate import as_float_array, as_scalar, check_drawing_args
from nbhelpers.activations import get_activation, softmax
from nbhelpers.plotting import CLASS_MARKERS, PALETTE, SURFACE_CMAP, draw_neuron_line, grid_points, new_figure

__all__ = [
    "BOUNDED_RANGES", "GALLERY", "plot_activation", "plot_activation_gallery", "plot_softmax",
    "neuron_plane_values", "plot_neuron_activation", "plot_neuron_gallery", "plot_gradient_products",
    "plot_dying_relu", "plot_mystery_curve",
]

#: Output ranges of the bounded activations, used as fixed colour scales; the others get a scale symmetric
#: around 0 that fits the values shown (so white always means "output 0", or 0.5 for sigmoid and step).
BOUNDED_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "step": (0.0, 1.0)}

#: The activations of the chapter's gallery, in teaching order.
GALLERY = ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "gelu")

#: What to notice about each activation's picture: the panel titles.
_NOTICE = {
    "sigmoid": "squashes into (0, 1); slope at most {max_slope:.2g}",
    "tanh": "squashes into (-1, 1), centred on 0; slope up to {max_slope:.2g}",
    "relu": "0 for z < 0, then z; slope 0 or 1",
    "leaky_relu": "like ReLU, but slope {alpha:g} for z < 0",
    "linear": "z itself: slope 1 everywhere, no bend",
    "step": "all or nothing; slope 0 everywhere",
    "gelu": "a smooth ReLU that dips to {min_value:.2f}",
}


def _params(activation_name: str, params: dict) -> dict:
    """Keyword arguments that apply to this activation (only leaky_relu takes one: alpha)."""
    if not params:
        return {}
    if activation_name != "leaky_relu" or set(params) != {"alpha"}:
        raise ValueError(f"only leaky_relu takes an extra setting (alpha); got {sorted(params)} for {activation_name!r}.")
    return params


def plot_activation(ax, activation, z=None, *, derivative: bool = True, title: str | None = None, legend: bool = True,
                    **params):
    """Draw an activation (solid blue) and its derivative (dashed orange) against ``z``.

    Parameters
    ----------
    ax : matplotlib Axes
    activation : str, a name such as "sigmoid" (softmax is not element-wise: use :func:`plot_softmax`)
    z : array of inputs, default 401 points from -5 to 5
    derivative : draw the derivative too
    title : default: the name and what to notice
    **params : ``alpha`` for leaky_relu

    Returns the list of drawn lines, function first.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    act = get_activation(activation)
    if act.name == "softmax":
        raise ValueError("softmax acts on a whole vector of scores, not on each number: draw it with plot_softmax.")
    params = _params(act.name, params)
    z = np.linspace(-5.0, 5.0, 401) if z is None else as_float_array(z, "z", shape=(None,))
    values = act.function(z, **params)
    lines = ax.plot(z, values, color=PALETTE[0], lw=2.2, label=f"{act.name}(z)")
    if derivative:
        slopes = act.derivative(z, **params)
        lines += ax.plot(z, slopes, color=PALETTE[1], lw=2, ls="--", label=f"{act.name}'(z)")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel("value")
    if title is None:
        slopes = act.derivative(z, **params)
        notice = _NOTICE.get(act.name, "range {output_range}").format(
            max_slope=float(np.max(slopes)), alpha=params.get("alpha", 0.01), min_value=float(np.min(values)),
            output_range=act.output_range)
        title = f"{act.name}: {notice}"
    ax.set_title(title)
    if legend:
        ax.legend(loc="upper left")
    return lines


def plot_activation_gallery(names=GALLERY, z=None, *, ncols: int = 3, leaky_alpha: float = 0.1):
    """A figure with one panel per activation: the function and its derivative side by side.

    Leaky ReLU is drawn with ``leaky_alpha`` (0.1 by default, ten times the usual 0.01) so its slope for
    negative inputs is visible; its title says so.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    names = [get_activation(n).name for n in names]
    if not names:
        raise ValueError("plot_activation_gallery needs at least one activation name, e.g. ['sigmoid', 'relu'].")
    ncols = max(1, min(int(ncols), len(names)))
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(4.2 * ncols, 3.3 * nrows))
    axes = np.atleast_1d(axes).ravel()
    for ax, name in zip(axes, names):
        params = {"alpha": leaky_alpha} if name == "leaky_relu" else {}
        plot_activation(ax, name, z, **params)
    for ax in axes[len(names):]:
        ax.remove()
    return fig


def plot_softmax(logits, class_names=None, *, title: str | None = None):
    """Two bar charts: the scores (logits) a network gives some classes, and the probabilities softmax makes.

    Returns the figure; its two axes hold one bar per class.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    logits = as_float_array(logits, "logits", shape=(None,), hint="Give one score per class, e.g. [2.0, 1.0, 0.1].")
    if logits.size < 2:
        raise ValueError(f"softmax compares two or more scores; got {logits.size}.")
    names = list(class_names) if class_names is not None else [f"class {i}" for i in range(logits.size)]
    if len(names) != logits.size:
        raise ValueError(f"class_names must name each of the {logits.size} scores; got {len(names)} names.")
    probabilities = softmax(logits)
    fig, (left, right) = new_figure(1, 2, figsize=(9, 3.2))
    colours = [PALETTE[i % len(PALETTE)] for i in range(logits.size)]
    left.bar(names, logits, color=colours, edgecolor="black")
    left.axhline(0, color="grey", lw=0.8)
    left.set_xlabel("class")
    left.set_ylabel("score z (logit)")
    left.set_title("What the last layer says: any numbers")
    right.bar(names, probabilities, color=colours, edgecolor="black")
    for i, p in enumerate(probabilities):
        right.text(i, p + 0.02, f"{p:.3f}", ha="center")
    right.set_ylim(0, 1.1)
    right.set_xlabel("class")
    right.set_ylabel("softmax probability")
    right.set_title(title or f"After softmax: all positive, sum {probabilities.sum():.3g}")
    return fig


def neuron_plane_values(w, b, activation="sigmoid", *, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), resolution: int = 101,
                        **params):
    """What a 2-input neuron computes on a grid: ``(xx, yy, z, values)``, each of shape (resolution, resolution).

    ``z = w1 * x1 + w2 * x2 + b`` is the weighted sum and ``values`` the activation of it. The grid's first
    row is the bottom edge (y = ylim[0]), its first column the left edge.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    w = as_float_array(w, "w", shape=(2,), hint="A neuron on the plane has two weights, e.g. [1.0, -1.0].")
    b = as_scalar(b, "b (the bias)")
    act = get_activation(activation)
    if act.name == "softmax":
        raise ValueError("one neuron's activation acts on its own sum: choose sigmoid, tanh, relu, ..., not softmax.")
    xx, yy, points = grid_points(xlim, ylim, int(resolution))
    z = (points @ w + b).reshape(xx.shape)
    return xx, yy, z, act.function(z, **_params(act.name, params))


def _colour_range(name: str, values: np.ndarray) -> tuple[float, float]:
    if name in BOUNDED_RANGES:
        return BOUNDED_RANGES[name]
    reach = float(np.max(np.abs(values)))
    reach = max(reach, 1e-3)
    return -reach, reach


def plot_neuron_activation(ax, w, b, activation="sigmoid", *, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                           resolution: int = 101, colorbar: bool = True, contours: bool = True,
                           title: str | None = None, **params):
    """Colour the plane by what one neuron outputs, ``activation(w1 x1 + w2 x2 + b)``, with its line dashed.

    Bounded activations (sigmoid, tanh, step) use their output range as the colour scale; the others a scale
    symmetric around 0 that fits the values shown. Thin contour lines show the shape: bunched where the output
    changes fast, absent where it is flat. Returns the image (``image.get_array()`` holds the values drawn).
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    act = get_activation(activation)
    xx, yy, _, values = neuron_plane_values(w, b, act.name, xlim=xlim, ylim=ylim, resolution=resolution, **params)
    w = as_float_array(w, "w", shape=(2,))
    lo, hi = _colour_range(act.name, values)
    image = ax.imshow(values, origin="lower", extent=(*xlim, *ylim), cmap=SURFACE_CMAP, norm=Normalize(lo, hi),
                      aspect="auto", interpolation="bilinear")
    if contours and np.ptp(values) > 1e-9 and act.name != "step":
        # nine levels between the ends of the scale, minus the middle one: that is the dashed line's job
        levels = np.delete(np.linspace(lo, hi, 11)[1:-1], 4)
        ax.contour(xx, yy, values, levels=levels, colors="black", linewidths=0.5, alpha=0.5, linestyles="solid")
    draw_neuron_line(ax, w, b, xlim, ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=f"{act.name}(w·x + b)")
    ax.set_title(title or f"{act.name}: w = [{w[0]:.2g}, {w[1]:.2g}], b = {b:.2g}")
    return image


_PLANE_NOTICE = {
    "sigmoid": "a soft step from 0 to 1 across the line",
    "tanh": "a soft step from -1 to 1 across the line",
    "relu": "a flat floor, then a ramp: a hinge along the line",
    "leaky_relu": "a gentle slope, then a steep ramp",
    "linear": "a tilted plane: no edge at all",
    "gelu": "a ramp with a shallow dip before the hinge",
    "step": "a hard edge: 0 or 1, nothing between",
}


def plot_neuron_gallery(w, b, names=GALLERY, *, ncols: int = 3, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                        resolution: int = 101, leaky_alpha: float = 0.1):
    """One panel per activation: the same neuron (same w and b) over the plane, with each activation.

    Leaky ReLU is drawn with ``leaky_alpha`` (0.1 by default) so that its slope for negative sums shows.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    names = [get_activation(n).name for n in names]
    if not names:
        raise ValueError("plot_neuron_gallery needs at least one activation name, e.g. ['sigmoid', 'relu'].")
    ncols = max(1, min(int(ncols), len(names)))
    nrows = -(-len(names) // ncols)
    fig, axes = new_figure(nrows, ncols, figsize=(4.4 * ncols, 3.6 * nrows))
    axes = np.atleast_1d(axes).ravel()
    for ax, name in zip(axes, names):
        params = {"alpha": leaky_alpha} if name == "leaky_relu" else {}
        plot_neuron_activation(ax, w, b, name, xlim=xlim, ylim=ylim, resolution=resolution,
                               title=f"{name}: {_PLANE_NOTICE.get(name, '')}", **params)
    for ax in axes[len(names):]:
        ax.remove()
    return fig


def _every_other_power(value, _position) -> str:
    exponent = int(round(np.log10(value))) if value > 0 else 0
    return f"$10^{{{exponent}}}$" if exponent % 2 == 0 else ""


def plot_gradient_products(ax, depths, products: dict, *, bound=None, title: str | None = None,
                           ylabel: str = "product of slopes (log scale)"):
    """Log-scale lines of how a gradient shrinks (or not) with depth, one line per activation.

    Parameters
    ----------
    depths : 1-D array, the number of layers (x axis)
    products : dict name -> 1-D array of the same length, the product of slopes through that many layers
        (or any other size of the backward signal: say which in ``ylabel``)
    bound : optional 1-D array, drawn dashed grey as "sigmoid's best case, (1/4)^n"

    The y axis has a grid line at every power of 10 (labelled every other one), so each step down the grid is a
    factor of 10.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    depths = as_float_array(depths, "depths", shape=(None,))
    if not isinstance(products, dict) or not products:
        raise TypeError("products must be a dict such as {'sigmoid': array, 'relu': array}, one array per activation.")
    for k, (name, values) in enumerate(products.items()):
        values = as_float_array(values, f"products[{name!r}]", shape=(depths.size,),
                                hint="Give one number per depth.")
        ax.semilogy(depths, np.maximum(values, 1e-300), marker=CLASS_MARKERS[k % len(CLASS_MARKERS)], ms=4, lw=2,
                    color=PALETTE[k % len(PALETTE)], label=name)
    if bound is not None:
        bound = as_float_array(bound, "bound", shape=(depths.size,))
        ax.semilogy(depths, bound, color="grey", ls="--", lw=1.5, label="best case for sigmoid: $0.25^n$")
    ax.set_xlabel("layers passed on the way back (1 = the layer next to the output)")
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    # a grid line at every power of 10 (each step down is 10 times smaller), labels on every other one
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=40))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(_every_other_power))
    ax.set_title(title or "Sigmoid slopes multiply to almost nothing; ReLU's stay 1")
    ax.legend(loc="lower left")
    return ax


def plot_dying_relu(ax, z_alive, z_dead, *, title: str | None = None):
    """The ReLU curve with where the data's weighted sums land for a healthy neuron and for a dead one.

    A point on the ramp (z > 0) passes a gradient back; a point on the flat floor passes nothing.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    z_alive = as_float_array(z_alive, "z_alive", shape=(None,))
    z_dead = as_float_array(z_dead, "z_dead", shape=(None,))
    low = min(z_alive.min(), z_dead.min(), -1.0)
    high = max(z_alive.max(), z_dead.max(), 1.0)
    zs = np.linspace(low, high, 300)
    ax.plot(zs, np.maximum(zs, 0), color="grey", lw=2, label="relu(z)")
    alive = (z_alive > 0).mean()
    dead = (z_dead > 0).mean()
    ax.scatter(z_alive, np.maximum(z_alive, 0), s=18, marker=CLASS_MARKERS[0], color=PALETTE[0], edgecolors="black",
               linewidths=0.4, zorder=3, label=f"healthy neuron: {alive:.0%} of points on the ramp")
    ax.scatter(z_dead, np.maximum(z_dead, 0), s=18, marker=CLASS_MARKERS[1], color=PALETTE[1], edgecolors="black",
               linewidths=0.4, zorder=3, label=f"dead neuron: {dead:.0%} of points on the ramp")
    ax.set_xlabel("z = w·x + b for each data point")
    ax.set_ylabel("relu(z)")
    ax.set_title(title or "A dead ReLU: every point lands on the flat floor, where the slope is 0")
    ax.legend(loc="upper left")
    return ax


def plot_mystery_curve(ax, z, values, *, ylabel: str = "value", title: str = "Which activation made this curve?"):
    """Draw a curve without saying what it is (for "which activation is this?" exercises)."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    z = as_float_array(z, "z", shape=(None,))
    values = as_float_array(values, "values", shape=(z.size,), hint="Give one value per z.")
    ax.plot(z, values, color=PALETTE[3], lw=2.4)
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(0, color="grey", lw=0.8)
    ax.set_xlabel("z")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    return ax
