"""Graph drawing: one box per value, one circle per operation, left to right, gradients shown after backward()."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from nbhelpers.engine import Value
from nbhelpers.plotting import new_figure
from nbhelpers.plotting.graph import MAX_NODES, draw_graph, graph_layout
from nbhelpers.tensor import Tensor


def _parts(fig):
    ax = fig.axes[0]
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    texts = [t.get_text() for t in ax.texts]
    return ax, boxes, circles, arrows, texts


def _example():
    a, b, c = Value(1.5, label="a"), Value(-2.0, label="b"), Value(4.0, label="c")
    e = a * b
    L = (e + c) * Value(-3.0, label="d")
    L.label = "L"
    return L, (a, b, c, e)


def test_one_box_per_value_one_circle_per_operation():
    L, _ = _example()
    fig = draw_graph(L, show_grad=False)
    ax, boxes, circles, arrows, texts = _parts(fig)
    assert len(boxes) == 7  # a, b, c, d, e, e + c, L
    assert len(circles) == 3  # *, +, *
    assert len(arrows) == 3 + 6  # op -> result, plus one arrow per input
    assert sorted(t for t in texts if len(t) == 1) == ["*", "*", "+"]
    assert any("a\ndata 1.5" == t for t in texts) and any("L\ndata -3" == t for t in texts)
    assert not any("grad" in t for t in texts)
    assert not ax.axison and ax.get_title()


def test_gradients_appear_after_backward():
    L, _ = _example()
    before = _parts(draw_graph(L))[4]
    assert "a\ndata 1.5\ngrad 0" in before
    L.backward()
    after = _parts(draw_graph(L))[4]
    assert "a\ndata 1.5\ngrad 6" in after and "b\ndata -2\ngrad -4.5" in after and "L\ndata -3\ngrad 1" in after


def test_layout_runs_left_to_right():
    L, (a, b, _, _) = _example()
    pos = graph_layout(L)
    assert pos[id(L)][0] == max(x for x, _ in pos.values())
    stack, seen = [L], set()
    while stack:  # every input sits strictly left of the value made from it
        node = stack.pop()
        for parent in node._prev:
            assert pos[id(parent)][0] < pos[id(node)][0]
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    # inputs of the same operation do not sit on top of each other
    assert pos[id(a)] != pos[id(b)]


def test_a_value_used_twice_gets_two_arrows():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    _, boxes, circles, arrows, texts = _parts(draw_graph(b))
    assert len(boxes) == 2 and len(circles) == 1 and len(arrows) == 3
    assert "a\ndata 3\ngrad 2" in texts
    # the two arrows from a must be drawn apart, so a reader sees two uses, not one
    ox = circles[0].center[0]
    into_op = [arrow._posA_posB for arrow in arrows if arrow._posA_posB[1][0] < ox]
    assert len(into_op) == 2 and into_op[0] != into_op[1]
    assert into_op[0][0][1] != into_op[1][0][1]  # different starting heights


def test_draws_on_a_given_axes_and_any_value_like_class():
    class Mini:  # the shape of the chapter's own Value: data, grad, _prev, _op
        def __init__(self, data, prev=(), op=""):
            self.data, self.grad, self._prev, self._op = data, 0.0, prev, op

    x = Mini(2.0)
    y = Mini(4.0, (x, x), "*")
    fig, axes = new_figure(1, 2, figsize=(8, 3))
    returned = draw_graph(y, ax=axes[1], title="given axes")
    assert returned is fig and axes[1].get_title() == "given axes" and len(axes[1].patches) > 0


def test_tensor_graphs_show_shapes_or_small_values():
    W = Tensor(np.ones((3, 2)))
    loss = (Tensor(np.ones((4, 3))) @ W).sum()
    loss.backward()
    texts = _parts(draw_graph(loss))[4]
    assert "data shape 4x3\ngrad shape 4x3" in texts
    assert "data 24\ngrad 1" in texts
    assert "@" in texts and "sum" in texts


def test_long_titles_wrap_in_small_figures():
    a = Value(1.0)
    fig = draw_graph(a + 1, title="a very long title " * 6)
    assert "\n" in fig.axes[0].get_title()


def test_too_large_or_wrong_input_is_refused():
    total = sum(Value(float(i)) for i in range(MAX_NODES))
    with pytest.raises(ValueError, match="too many to draw"):
        draw_graph(total)
    with pytest.raises(TypeError, match="needs a Value"):
        draw_graph(3.0)
