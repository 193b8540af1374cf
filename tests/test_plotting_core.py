"""The shared figure helpers of nbhelpers.plotting: one boundary style, readable ticks, the weight arrow."""

from __future__ import annotations

import numpy as np

from nbhelpers.plotting import BOUNDARY_STYLE, new_figure, plot_neuron_plane, plot_surface


def _dashed(line) -> bool:
    return line.get_linestyle() in ("--", "dashed")


def test_surface_boundary_is_dashed_like_every_neuron_line():
    fig, ax = new_figure()
    plot_surface(ax, lambda P: 1 / (1 + np.exp(-(P[:, 0] + P[:, 1]))), (-1, 1), (-1, 1), resolution=40)
    contour = ax.collections[-1]  # the boundary contour is drawn last
    styles = contour.get_linestyles()
    assert styles and all(offset is None or dashes is not None for offset, dashes in styles)
    assert np.allclose(contour.get_edgecolor()[0][:3], 0.0)  # black
    fig2, ax2 = new_figure()
    plot_neuron_plane(ax2, [1.0, 1.0], -1.0, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5))
    line = next(l for l in ax2.get_lines() if l.get_label() == "w·x + b = 0")
    assert _dashed(line) and BOUNDARY_STYLE["linestyle"] == "--"


def test_ticks_never_crowd():
    fig, ax = new_figure()
    plot_neuron_plane(ax, [1.0, 1.0], -1.5, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5))
    ticks = [t for t in ax.get_xticks() if -0.5 <= t <= 1.5]
    assert 3 <= len(ticks) <= 6, ticks  # "-0.50-0.25" came from nine ticks on this width
    assert np.allclose(np.diff(ticks), 0.5)


def test_weight_arrow_starts_on_the_line_and_points_to_the_yes_side():
    w, b = np.array([1.0, 2.0]), -1.0
    fig, ax = new_figure()
    plot_neuron_plane(ax, w, b, xlim=(-0.5, 1.5), ylim=(-0.5, 1.5), arrow=True)
    arrow = next(t for t in ax.texts if t.arrow_patch is not None)
    foot, tip = np.array(arrow.xyann), np.array(arrow.xy)
    assert abs(w @ foot + b) < 1e-9  # on the line z = 0
    assert w @ tip + b > 0  # towards the yes side
    direction = (tip - foot) / np.linalg.norm(tip - foot)
    assert np.allclose(direction, w / np.linalg.norm(w))  # along w, at right angles to the line


def test_zero_weights_title_does_not_promise_a_line():
    fig, ax = new_figure()
    plot_neuron_plane(ax, [0.0, 0.0], 0.5, arrow=True)
    assert "no line" in ax.get_title() and not [t for t in ax.texts if t.arrow_patch is not None]
    fig, ax = new_figure()
    plot_neuron_plane(ax, [1.0, 0.0], 0.5)
    assert "splits the plane" in ax.get_title()
