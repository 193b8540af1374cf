"""Chapter 4's figures: the 2-2-1 network as a diagram (forward values, backward gradients), loss curves,
gradient-check bars, the letter images and the robustness bar chart.

:func:`backprop_steps` computes, for one sample, every value and gradient of the 2-2-1 sigmoid network in the
order a person works them out by hand; :func:`draw_backprop_diagram` draws the network as it stands after any
of those steps. The static figure in the chapter and the step-through panel both use them.

Weight names follow the chapter: ``h1 = sigmoid(w1 x1 + w2 x2 + b1)``, ``h2 = sigmoid(w3 x1 + w4 x2 + b2)``,
``y_hat = sigmoid(w5 h1 + w6 h2 + b3)``, loss ``L = (y_hat - y)^2``. In :class:`Step` dictionaries the output's key
is ``"o"``; the figures and texts call it ŷ, as the chapter does. Numbers are written to four significant digits,
the precision of the chapter's hand calculation. In matrix form ``W1 = [[w1, w3], [w2, w4]]``
(one row per input, one column per hidden neuron) and ``W2 = [[w5], [w6]]``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.patches import Circle, Rectangle

from nbhelpers._validate import as_axes_list, as_float_array, as_labels, as_scalar, check_drawing_args
from nbhelpers.activations import sigmoid
from nbhelpers.plotting import PALETTE

__all__ = [
    "Step", "backprop_steps", "weights_by_name", "draw_backprop_diagram", "plot_loss_curves",
    "plot_gradient_check", "show_letters", "plot_probabilities", "plot_success_fractions",
    "plot_output_gradients", "plot_newcomers",
]

FORWARD_COLOUR = PALETTE[0]  # blue: values flowing forward
BACKWARD_COLOUR = PALETTE[5]  # vermillion: gradients flowing back
ACTIVE_COLOUR = PALETTE[1]  # orange: what the current step computes

# where each node sits in the diagram
_POS = {"x1": (0.0, 1.4), "x2": (0.0, 0.0), "h1": (1.7, 1.4), "h2": (1.7, 0.0), "o": (3.4, 0.7), "L": (4.8, 0.7)}
_RADIUS = 0.3
# each weight: (from node, to node)
_EDGES = {"w1": ("x1", "h1"), "w2": ("x2", "h1"), "w3": ("x1", "h2"), "w4": ("x2", "h2"),
          "w5": ("h1", "o"), "w6": ("h2", "o")}
_BIAS_OF = {"b1": "h1", "b2": "h2", "b3": "o"}
_SHOWN = {"o": "ŷ"}  # how a node's key is written in the figure


def _g(value) -> str:
    """A number to four significant digits, as the chapter writes them."""
    return f"{value:.4g}"


class Step(NamedTuple):
    """The state after one step of working through the network by hand."""

    phase: str  #: "start", "forward" or "backward"
    text: str  #: what this step computes, with its numbers
    values: dict  #: node -> value known so far (x1, x2, h1, h2, o, L)
    node_grads: dict  #: node -> dL/dnode known so far (o, h1, h2)
    grads: dict  #: weight or bias name -> dL/dweight known so far
    active: tuple  #: names (nodes, weights, biases) this step computes


def weights_by_name(W1, b1, W2, b2) -> dict:
    """The chapter's names for the 2-2-1 network's numbers: {"w1": W1[0, 0], ..., "b3": b2[0]}."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    W1 = as_float_array(W1, "W1", shape=(2, 2), hint="The 2-2-1 network's W1 is 2x2: one row per input.", max_abs=1e100)
    b1 = as_float_array(b1, "b1", shape=(2,), max_abs=1e100)
    W2 = as_float_array(W2, "W2", shape=(2, 1), hint="W2 is 2x1: one row per hidden neuron.", max_abs=1e100)
    b2 = as_float_array(b2, "b2", shape=(1,), max_abs=1e100)
    return {"w1": W1[0, 0], "w2": W1[1, 0], "w3": W1[0, 1], "w4": W1[1, 1], "w5": W2[0, 0], "w6": W2[1, 0],
            "b1": b1[0], "b2": b1[1], "b3": b2[0]}


def backprop_steps(x, y, W1=None, b1=None, W2=None, b2=None) -> list[Step]:
    """Every forward value and backward gradient of the 2-2-1 sigmoid network on one sample, step by step.

    Defaults: every weight 1, every bias 0 (the chapter's worked example). The loss is ``(y_hat - y)^2``.

    >>> steps = backprop_steps([-2, -1], 1)
    >>> round(steps[3].values["o"], 3), round(steps[-1].grads["w1"], 4)
    (0.524, 0.0215)
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    x = as_float_array(x, "x", shape=(2,), hint="One person: two numbers, e.g. [-2, -1].", max_abs=1e100)
    y = as_scalar(y, "y (the label)", minimum=-1e100, maximum=1e100, example="1")
    W1 = np.ones((2, 2)) if W1 is None else W1
    b1 = np.zeros(2) if b1 is None else b1
    W2 = np.ones((2, 1)) if W2 is None else W2
    b2 = np.zeros(1) if b2 is None else b2
    w = weights_by_name(W1, b1, W2, b2)

    values, node_grads, grads = {"x1": x[0], "x2": x[1]}, {}, {}
    steps = []

    def add(phase, text, active):
        plain = lambda d: {k: float(v) for k, v in d.items()}  # noqa: E731 - plain floats, not NumPy scalars
        steps.append(Step(phase, text, plain(values), plain(node_grads), plain(grads), tuple(active)))

    add("start", f"Start: the input x = ({x[0]:g}, {x[1]:g}) with label y = {y:g}. Press 'next' to run forward.",
        ["x1", "x2"])
    z1 = w["w1"] * x[0] + w["w2"] * x[1] + w["b1"]
    values["h1"] = float(sigmoid(z1))
    add("forward", f"Forward: h1 = σ(w1·x1 + w2·x2 + b1) = σ({_g(z1)}) = {_g(values['h1'])}", ["h1", "w1", "w2", "b1"])
    z2 = w["w3"] * x[0] + w["w4"] * x[1] + w["b2"]
    values["h2"] = float(sigmoid(z2))
    add("forward", f"Forward: h2 = σ(w3·x1 + w4·x2 + b2) = σ({_g(z2)}) = {_g(values['h2'])}", ["h2", "w3", "w4", "b2"])
    z3 = w["w5"] * values["h1"] + w["w6"] * values["h2"] + w["b3"]
    values["o"] = float(sigmoid(z3))
    add("forward", f"Forward: ŷ = σ(w5·h1 + w6·h2 + b3) = σ({_g(z3)}) = {_g(values['o'])}", ["o", "w5", "w6", "b3"])
    values["L"] = float((values["o"] - y) ** 2)
    add("forward", f"Loss: L = (ŷ - y)² = ({_g(values['o'])} - {y:g})² = {_g(values['L'])}. Now backward.", ["L"])

    node_grads["o"] = 2.0 * (values["o"] - y)
    add("backward", f"Backward: ∂L/∂ŷ = 2(ŷ - y) = {_g(node_grads['o'])}", ["o"])
    do_dz3 = values["o"] * (1 - values["o"])
    dz3 = node_grads["o"] * do_dz3
    grads["w5"], grads["w6"], grads["b3"] = dz3 * values["h1"], dz3 * values["h2"], dz3
    add("backward", f"Backward: ∂L/∂w5 = ∂L/∂ŷ · σ'(z_ŷ) · h1 = {_g(node_grads['o'])} · {_g(do_dz3)} · "
        f"{_g(values['h1'])} = {_g(grads['w5'])}; same for w6 (· h2) and b3 (· 1)", ["w5", "w6", "b3"])
    node_grads["h1"], node_grads["h2"] = dz3 * w["w5"], dz3 * w["w6"]
    add("backward", f"Backward: ∂L/∂h1 = ∂L/∂ŷ · σ'(z_ŷ) · w5 = {_g(node_grads['h1'])}; "
        f"∂L/∂h2 = ∂L/∂ŷ · σ'(z_ŷ) · w6 = {_g(node_grads['h2'])}. Computed once, reused for every weight below.",
        ["h1", "h2"])
    dh1_dz1 = values["h1"] * (1 - values["h1"])
    dz1 = node_grads["h1"] * dh1_dz1
    grads["w1"], grads["w2"], grads["b1"] = dz1 * x[0], dz1 * x[1], dz1
    add("backward", f"Backward: ∂L/∂w1 = ∂L/∂h1 · σ'(z_h1) · x1 = {_g(node_grads['h1'])} · {_g(dh1_dz1)} · {x[0]:g} "
        f"= {_g(grads['w1'])}; w2 and b1 reuse ∂L/∂h1 · σ'(z_h1) (· x2, · 1)", ["w1", "w2", "b1"])
    dh2_dz2 = values["h2"] * (1 - values["h2"])
    dz2 = node_grads["h2"] * dh2_dz2
    grads["w3"], grads["w4"], grads["b2"] = dz2 * x[0], dz2 * x[1], dz2
    add("backward", f"Backward: ∂L/∂w3 = ∂L/∂h2 · σ'(z_h2) · x1 = {_g(grads['w3'])}; ∂L/∂w4 = {_g(grads['w4'])}; "
        f"∂L/∂b2 = {_g(grads['b2'])}. Every weight now knows its share of the blame.", ["w3", "w4", "b2"])
    return steps


def draw_backprop_diagram(ax, step: Step, weights: dict | None = None, title: str | None = None, *,
                          highlight: bool = True):
    """Draw the 2-2-1 network as it stands after ``step``: node values (blue), gradients (vermillion).

    ``weights`` (from :func:`weights_by_name`) labels each edge with its weight (dark grey, a value), its gradient
    once known written below it in vermillion; numbers have four significant digits. The current step's nodes and
    edges are drawn thick and orange (``highlight=False``: nothing is, as in a summary picture).
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    ax.set_xlim(-0.45, 5.25)
    ax.set_ylim(-0.6, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    active = set(step.active) if highlight else set()
    for wname, (a, b) in _EDGES.items():
        (xa, ya), (xb, yb) = _POS[a], _POS[b]
        on = wname in active
        ax.plot([xa, xb], [ya, yb], color=ACTIVE_COLOUR if on else "0.6", lw=3 if on else 1.2, zorder=1)
        t = 0.3 if wname in ("w2", "w3") else 0.5  # where along the edge the label sits (apart where edges cross)
        xm, ym = xa + t * (xb - xa), ya + t * (yb - ya)
        label = wname if weights is None else f"{wname}={_g(weights[wname])}"
        box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85}
        known = wname in step.grads
        # the weight itself is a value (dark grey); its gradient, written just below it, is vermillion
        ax.text(xm, ym + (0.07 if known else 0.0), label, ha="center", va="bottom" if known else "center",
                fontsize=8, zorder=4, color="0.25", bbox=box)
        if known:
            ax.text(xm, ym - 0.07, f"∂L/∂{wname}={_g(step.grads[wname])}", ha="center", va="top", fontsize=8,
                    zorder=4, color=BACKWARD_COLOUR, bbox=box)
    ax.plot([_POS["o"][0], _POS["L"][0]], [_POS["o"][1], _POS["L"][1]], color="0.6", lw=1.2, ls="--", zorder=1)
    for node, (xn, yn) in _POS.items():
        on = node in active
        ax.add_patch(Circle((xn, yn), _RADIUS, fc="white", ec=ACTIVE_COLOUR if on else "0.3", lw=3 if on else 1.3,
                            zorder=2))
        lines = [_SHOWN.get(node, node)]
        if node in step.values:
            lines.append(_g(step.values[node]))
        ax.text(xn, yn, "\n".join(lines), ha="center", va="center",
                fontsize=9, color=FORWARD_COLOUR, zorder=3)
        if node in step.node_grads:
            ax.text(xn, yn - _RADIUS - 0.04, f"∂L/∂{_SHOWN.get(node, node)}={_g(step.node_grads[node])}", ha="center", va="top", fontsize=8,
                    color=BACKWARD_COLOUR, zorder=3)
    for bname, node in _BIAS_OF.items():
        if bname in step.grads:
            xn, yn = _POS[node]
            ax.text(xn, yn + _RADIUS + 0.04, f"∂L/∂{bname}={_g(step.grads[bname])}", ha="center", va="bottom", fontsize=8,
                    color=BACKWARD_COLOUR, zorder=3)
    ax.set_title(title if title is not None else step.phase.capitalize(), fontsize=10)
    return ax


def plot_loss_curves(ax, curves: dict, *, every: int = 1, xlabel: str = "epoch", ylabel: str = "loss",
                     log: bool = False, title: str = "The loss falls as training goes on"):
    """Plot one or more loss curves, ``{label: values}``; ``every`` is how many epochs lie between values."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if not isinstance(curves, dict) or not curves:
        raise TypeError("curves must be a dict {label: list of losses}, e.g. {'train': losses}.")
    for label, values in curves.items():
        values = as_float_array(values, f"the curve {label!r}", shape=(None,))
        ax.plot(np.arange(len(values)) * every, values, lw=2, label=str(label))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_gradient_check(ax, reports: dict, *, title: str = "Gradient check: relative error per parameter"):
    """Grouped bars of each parameter's relative error (log scale), one group per report, tolerance dashed."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if not isinstance(reports, dict) or not reports:
        raise TypeError("reports must be a dict {label: GradCheckReport}.")
    names = list(next(iter(reports.values())).names)
    width = 0.8 / len(reports)
    tol = None
    for k, (label, report) in enumerate(reports.items()):
        errors = np.maximum(np.asarray(report.errors, dtype=float), 1e-16)  # log scale needs > 0
        ax.bar(np.arange(len(names)) + (k - (len(reports) - 1) / 2) * width, errors, width=width, label=label,
               color=PALETTE[k % len(PALETTE)], hatch=["", "//", "xx", ".."][k % 4], edgecolor="black", lw=0.6)
        tol = report.tol
    ax.axhline(tol, color="black", ls="--", lw=1, label=f"tolerance {tol:g}")
    ax.set_yscale("log")
    ax.set_xticks(np.arange(len(names)), names)
    ax.set_xlabel("parameter")
    ax.set_ylabel("relative error (log scale)")
    ax.set_title(title)
    ax.legend()
    return ax


def show_letters(axes, X, names, *, titles=None, shape=(6, 5), marked=None):
    """Show each row of ``X`` as a ``shape`` image (dark = 1) on its own axes, titled by ``names``.

    ``marked``: for each image, the indices (into its row of pixels) to outline in vermillion, e.g. the pixels
    that were flipped to damage it.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    X = as_float_array(X, "X", shape=(None, shape[0] * shape[1]),
                       hint=f"Each row is one image of {shape[0]}x{shape[1]} pixels.")
    axes = np.array(as_axes_list(axes, "axes"), dtype=object)  # flat, as before
    if len(axes) < len(X):
        raise ValueError(f"show_letters needs one axes per image: {len(X)} images, {len(axes)} axes.")
    if marked is not None and len(marked) != len(X):
        raise ValueError(f"marked must give one list of pixel indices per image ({len(X)}); got {len(marked)}.")
    for i, (ax, row) in enumerate(zip(axes, X)):
        ax.imshow(row.reshape(shape), cmap="Greys", vmin=0, vmax=1)
        for pixel in ([] if marked is None else marked[i]):
            r, c = divmod(int(pixel), shape[1])
            ax.add_patch(Rectangle((c - 0.45, r - 0.45), 0.9, 0.9, fill=False, ec=BACKWARD_COLOUR, lw=2.5, zorder=3))
        ax.set_xticks(range(shape[1]))
        ax.set_yticks(range(shape[0]))
        ax.set_xticklabels([])
        ax.set_yticklabels([])
        ax.grid(False)
        for spine in ax.spines.values():  # a full frame: the image's edge is part of the picture
            spine.set_visible(True)
        ax.set_xlabel(f"{shape[1]} columns")
        ax.set_ylabel(f"{shape[0]} rows")
        ax.set_title(titles[i] if titles is not None else str(names[i]))
    return axes


def plot_probabilities(ax, P, row_names, class_names, *, title="Predicted probability of each class"):
    """A table of probabilities as a heat map, one row per image, with the numbers written in."""
    check_drawing_args(locals(), required=("class_names",))  # every argument checked by name, one sentence each
    P = as_float_array(P, "P", shape=(len(row_names), len(class_names)))
    ax.imshow(P, cmap="Blues", vmin=0, vmax=1)
    for i in range(P.shape[0]):
        for j in range(P.shape[1]):
            ax.text(j, i, f"{P[i, j]:.2f}", ha="center", va="center", color="white" if P[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(class_names)), class_names)
    ax.set_yticks(range(len(row_names)), row_names)
    ax.grid(False)
    ax.set_xlabel("predicted class")
    ax.set_ylabel("input image")
    ax.set_title(title)
    return ax


def plot_success_fractions(ax, labels, fractions, n_runs: int, *, title="How often does XOR training succeed?"):
    """Bars of the fraction of runs that succeeded, with the count written on each bar."""
    check_drawing_args(locals(), required=("labels",))  # every argument checked by name, one sentence each
    fractions = as_float_array(fractions, "fractions", shape=(len(labels),))
    bars = ax.bar(range(len(labels)), fractions, color=[PALETTE[k % len(PALETTE)] for k in range(len(labels))],
                  edgecolor="black", lw=0.8)
    for bar, f in zip(bars, fractions):
        ax.text(bar.get_x() + bar.get_width() / 2, f + 0.02, f"{round(f * n_runs)} / {n_runs}", ha="center",
                va="bottom")
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 1.12)
    ax.set_ylabel(f"fraction of {n_runs} seeds that learned XOR")
    ax.set_xlabel("set-up")
    ax.set_title(title)
    return ax


def plot_output_gradients(ax, z=None, *, label: float = 1.0,
                          title="Confidently wrong: MSE's gradient vanishes, cross-entropy's does not"):
    """|dLoss/dz| of a sigmoid output against its pre-activation z, for MSE and for binary cross-entropy."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    label = as_scalar(label, "label", minimum=0, maximum=1, example="1.0")
    z = np.linspace(-8, 8, 401) if z is None else as_float_array(z, "z", shape=(None,))
    p = sigmoid(z)
    ax.plot(z, np.abs(2 * (p - label) * p * (1 - p)), lw=2, color=PALETTE[0], label="MSE: |2(p - y) p (1 - p)|")
    ax.plot(z, np.abs(p - label), lw=2, ls="--", color=PALETTE[1], label="cross-entropy: |p - y|")
    ax.set_xlabel(f"z, the output neuron's weighted sum (label y = {label:g})")
    ax.set_ylabel("|dLoss/dz|, the size of the step")
    ax.set_title(title)
    ax.legend()
    return ax


def plot_newcomers(ax, X, y, names, *, size: float = 120):
    """Mark new points (not trained on) as hollow class markers with a white halo, so they stay visible on a
    coloured surface of either class, and write each one's name beside it."""
    from nbhelpers.plotting import CLASS_COLORS, CLASS_MARKERS

    check_drawing_args(locals())  # every argument checked by name, one sentence each
    X = as_float_array(X, "X", shape=(None, 2), nonempty=True, hint="Each point is a row of two coordinates.")
    y = as_labels(y, "y", len(X), n_classes=len(CLASS_MARKERS))
    if len(names) != len(X):
        raise ValueError(f"give one label and one name per point ({len(X)}); got {len(y)} labels, "
                         f"{len(names)} names.")
    for point, label, name in zip(X, y, names):
        k = int(label)
        ax.scatter(*point, s=size, marker=CLASS_MARKERS[k], facecolors="white", edgecolors="white", linewidths=5,
                   zorder=3)
        ax.scatter(*point, s=size, marker=CLASS_MARKERS[k], facecolors="white", edgecolors=CLASS_COLORS[k],
                   linewidths=2.2, zorder=4)
        ax.annotate(name, point, xytext=(9, -13), textcoords="offset points", zorder=5,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    return ax
