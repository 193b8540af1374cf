"""Draw a computation graph with matplotlib alone (no Graphviz needed), laid out left to right.

Each value is a box showing its label, its data and (optionally) its gradient; each operation is a small
circle between its inputs and its result. Inputs sit on the left, the output on the right.

Works with any node that has ``data`` and its inputs in ``_prev`` (the chapter's own ``Value``,
:class:`nbhelpers.engine.Value`) or ``_parents`` (:class:`nbhelpers.tensor.Tensor`); ``grad``, ``_op``/``op``
and ``label`` are used when present.

>>> from nbhelpers.engine import Value
>>> a = Value(2.0, label="a"); b = Value(-3.0, label="b")
>>> fig = draw_graph(a * b + a)
"""

from __future__ import annotations

import textwrap

import numpy as np

from nbhelpers._validate import check_drawing_args
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from nbhelpers.plotting import PALETTE, new_figure

__all__ = ["draw_graph", "graph_layout", "MAX_NODES"]

#: graphs with more value nodes than this are refused: the drawing would be unreadable
MAX_NODES = 60

_LEAF_COLOUR = "#D6E9F5"  # light blue: values you created (inputs, weights)
_INNER_COLOUR = "#F2F2F2"  # light grey: intermediate results
_OUTPUT_COLOUR = "#FBE3B5"  # light orange: the output
_X_STEP, _Y_STEP = 3.2, 1.25  # distance between columns and between rows
_BOX_W, _BOX_H, _OP_R = 2.0, 0.95, 0.28


def _inputs(node) -> tuple:
    prev = getattr(node, "_prev", None)
    if prev is None:
        prev = getattr(node, "_parents", None)
    if prev is None or not hasattr(node, "data"):
        raise TypeError(f"draw_graph needs a Value (or Tensor) from a computation; got {type(node).__name__}.")
    return tuple(prev)


def _op(node) -> str:
    return str(getattr(node, "_op", getattr(node, "op", "")) or "")


def _nodes(root) -> list:
    """Every node ``root`` depends on, inputs first (an iterative depth-first search)."""
    order, seen = [], {id(root)}
    stack = [(root, iter(_inputs(root)))]
    while stack:
        node, inputs = stack[-1]
        for parent in inputs:
            if id(parent) not in seen:
                seen.add(id(parent))
                if len(seen) > MAX_NODES:
                    raise ValueError(f"this graph has more than {MAX_NODES} values, too many to draw readably; "
                                     "draw a smaller expression (one neuron, not a whole network).")
                stack.append((parent, iter(_inputs(parent))))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def graph_layout(root) -> dict:
    """Positions ``{id(node): (x, y)}`` for every value node: column = longest path from an input.

    Within a column, nodes are ordered by the average height of their neighbours (a few sweeps back and
    forth), which keeps most edges from crossing.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    order = _nodes(root)
    column = {}
    for node in order:  # inputs come first, so their columns are known
        column[id(node)] = 1 + max((column[id(p)] for p in _inputs(node)), default=-1)
    # push inputs right, next to the first operation that uses them, so edges stay short
    users: dict[int, list] = {}
    for node in order:
        for p in _inputs(node):
            users.setdefault(id(p), []).append(node)
    for node in reversed(order):
        if node is not root and id(node) in users:
            column[id(node)] = min(column[id(u)] for u in users[id(node)]) - 1
    by_column: dict[int, list] = {}
    for node in order:
        by_column.setdefault(column[id(node)], []).append(node)
    rank = {id(n): float(i) for nodes in by_column.values() for i, n in enumerate(nodes)}

    def neighbours(node, direction):
        return _inputs(node) if direction == "in" else users.get(id(node), [])

    for sweep in range(4):  # barycentre ordering, alternating directions
        direction = "in" if sweep % 2 == 0 else "out"
        columns = sorted(by_column) if direction == "in" else sorted(by_column, reverse=True)
        for c in columns:
            nodes = by_column[c]

            def key(n, direction=direction):
                near = [rank[id(m)] for m in neighbours(n, direction)]
                return sum(near) / len(near) if near else rank[id(n)]

            nodes.sort(key=key)
            for i, n in enumerate(nodes):
                rank[id(n)] = i - (len(nodes) - 1) / 2
    return {id(n): (column[id(n)] * _X_STEP, -rank[id(n)] * _Y_STEP) for n in order}


def _number(value) -> str:
    array = np.asarray(value, dtype=float)
    if array.size == 1:
        return f"{float(array.reshape(())):.4g}"
    if array.size <= 3 and array.ndim == 1:  # a short row: its numbers; a matrix, however small: its shape
        return "[" + ", ".join(f"{v:.2g}" for v in array.ravel()) + "]"
    return "shape " + "x".join(map(str, array.shape))


def draw_graph(root, ax=None, *, show_grad: bool = True, title: str | None = None, figsize=None):
    """Draw the graph that computed ``root``, left to right; returns the figure.

    Parameters
    ----------
    root : Value or Tensor
        The output of a computation (its inputs are found by following ``_prev`` / ``_parents``).
    ax : matplotlib Axes, optional
        Draw here; by default a new figure sized to the graph.
    show_grad : bool
        Also print each value's gradient (run ``root.backward()`` first to fill them in).
    title : str, optional
        A title that says what to notice.
    """
    check_drawing_args(locals(), optional=("ax",))  # every argument checked by name, one sentence each
    positions = graph_layout(root)
    order = _nodes(root)
    if ax is None:
        columns = len({x for x, _ in positions.values()})
        rows = max(sum(1 for x2, _ in positions.values() if x2 == x) for x, _ in positions.values())
        size = figsize or (max(4.0, 2.2 * columns + 0.6), max(2.2, 0.95 * rows + 1.0))
        fig, ax = new_figure(figsize=size)
    fig = ax.figure
    ax.set_axis_off()
    ax.set_aspect("equal")

    def arrow(start, end, rad=0.0, colour="#555555"):
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=9, lw=1.0, color=colour,
                                     shrinkA=0, shrinkB=0, zorder=1, connectionstyle=f"arc3,rad={rad}"))

    for node in order:
        x, y = positions[id(node)]
        inputs = _inputs(node)
        colour = _OUTPUT_COLOUR if node is root else (_INNER_COLOUR if inputs else _LEAF_COLOUR)
        ax.add_patch(FancyBboxPatch((x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                                    boxstyle="round,pad=0.02,rounding_size=0.12", facecolor=colour,
                                    edgecolor="#333333", lw=1.0, zorder=2, gid="value"))
        label = str(getattr(node, "label", "") or "")
        lines = ([label] if label else []) + [f"data {_number(node.data)}"]
        grad = getattr(node, "grad", None)
        if show_grad:
            lines.append("grad " + ("–" if grad is None else _number(grad)))
        ax.text(x, y, "\n".join(lines), ha="center", va="center", fontsize=8, zorder=3, family="monospace")
        if inputs:  # the operation that made this value: a circle just to its left
            ox, oy = x - _BOX_W / 2 - 0.55, y
            ax.add_patch(Circle((ox, oy), _OP_R, facecolor="white", edgecolor=PALETTE[0], lw=1.3, zorder=2,
                                gid="op"))
            ax.text(ox, oy, _op(node) or "?", ha="center", va="center", fontsize=8 if len(_op(node)) < 4 else 6,
                    color=PALETTE[0], zorder=3, fontweight="bold")
            arrow((ox + _OP_R, oy), (x - _BOX_W / 2, y))
            count = {id(p): sum(q is p for q in inputs) for p in inputs}
            uses: dict[int, int] = {}
            for parent in inputs:
                px, py = positions[id(parent)]
                k = uses[id(parent)] = uses.get(id(parent), 0) + 1
                side = np.sign(py - oy)
                start, end, rad = (px + _BOX_W / 2, py), (ox - _OP_R * 0.9, oy + 0.5 * _OP_R * side), 0.0
                if ox - px > _X_STEP:  # the edge skips a column: leave from the box's top or bottom and bow
                    up = 1 if py >= oy else -1  # around the boxes in between
                    start, rad = (px + _BOX_W / 4, py + up * _BOX_H / 2), -0.35 * up
                    end = (ox - _OP_R * 0.7, oy + up * 0.7 * _OP_R)
                elif count[id(parent)] > 1:  # the same input used twice (a + a): one arrow per use, both visible
                    sign = 1 if k % 2 else -1
                    start = (px + _BOX_W / 2, py + sign * 0.22)
                    end = (ox - _OP_R * 0.7, oy + sign * 0.7 * _OP_R)
                    rad = -0.25 * sign
                arrow(start, end, rad)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    ax.set_xlim(min(xs) - _BOX_W / 2 - 1.0, max(xs) + _BOX_W / 2 + 0.2)
    ax.set_ylim(min(ys) - _BOX_H, max(ys) + _BOX_H)
    if title is None:
        title = ("Forward values and gradients: each grad is d(output)/d(that value)" if show_grad
                 else "Forward values: inputs on the left, the output on the right")
    width = fig.get_size_inches()[0] * (ax.get_position().width if ax is not None else 1.0)
    ax.set_title(textwrap.fill(title, max(30, int(width * 10))))
    return fig
