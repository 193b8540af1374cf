"""Chapter 3's figures say each thing once, in the right place, and stay readable (nbhelpers.plotting.descent)."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.descent import descend
from nbhelpers.plotting import new_figure
from nbhelpers.plotting.descent import (
    PLOT_FLOOR, learning_rate_figure, plot_curve_path, plot_loss_curves, plot_loss_per_step, plot_paths_2d,
    running_mean, verdict,
)


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def test_a_diverged_run_is_named_once_per_plot_with_the_x_at_the_step_that_blew_up():
    run = descend("parabola", start=0.0, lr=3.0, steps=50)
    assert run.status == "diverged" and run.diverged_at > 1
    fig, ax = new_figure()
    plot_loss_per_step(ax, run)
    said = [t for t in _texts(ax) if "diverged at step" in t.lower()]
    assert said == [f"diverged at step {run.diverged_at}"]  # not also "DIVERGED at step k" on the same plot
    x_marker = next(line for line in ax.get_lines() if line.get_marker() == "X")
    assert x_marker.get_xdata()[0] == run.diverged_at  # not at the last finite step, one too early
    assert len(run.losses) - 1 == run.diverged_at - 1


def test_log_axes_over_less_than_two_powers_of_ten_use_plain_numbers():
    run = descend("parabola", start=0.0, lr=0.02, steps=20)  # loss 9 -> 1.8
    fig, ax = new_figure()
    plot_loss_per_step(ax, run)
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels(which="both") if t.get_text()]
    assert labels and not any("times" in s or "\\times" in s or "10^" in s for s in labels), labels
    assert {"2", "3", "4", "6"} <= set(labels)


def test_steps_off_the_picture_are_counted_in_full_under_the_axis():
    fig, ax = new_figure()
    run = descend("parabola", start=0.0, lr=1.1, steps=20)
    plot_curve_path(ax, "parabola", run)
    assert "(10 of 20 steps are off the picture)" in ax.get_xlabel()
    assert not any("picture" in t for t in _texts(ax))  # nothing drawn over the curve


def test_a_diverging_2d_path_stops_at_the_edge_instead_of_filling_the_plot():
    run = descend("valley", [-5.0, 1.5], lr=0.21, steps=100)
    fig, ax = new_figure()
    plot_paths_2d(ax, "valley", run)
    drawn = max(len(line.get_xdata()) for line in ax.get_lines())
    assert drawn < 30, drawn  # was all 101 points, a wall of lines
    assert "steps are off the picture" in ax.get_xlabel()


def test_eta_one_bounces_and_the_title_says_so():
    run = descend("parabola", start=0.0, lr=1.0, steps=20)
    assert verdict(run) == "bounces between two points, never closer"
    fig, paths = learning_rate_figure("parabola", lrs=(0.3, 1.0), start=0.0, steps=20)
    assert "bounces" in fig.axes[1].get_title()


def test_running_mean_and_smoothed_curves():
    xs, means = running_mean(np.arange(10), np.arange(10.0), 2)
    assert np.allclose(means, np.arange(1, 10) - 0.5) and np.array_equal(xs, np.arange(1, 10))
    same_x, same = running_mean([0, 200, 400], [3.0, 2.0, 1.0], 200)  # one point per window: unchanged
    assert np.array_equal(same, [3.0, 2.0, 1.0])
    fig, ax = new_figure()
    noisy = 1 + 0.5 * np.sin(np.arange(400))
    plot_loss_curves(ax, {"noisy": (np.arange(400), noisy)}, smooth=50, colors=["#123456"])
    faint, bold = ax.get_lines()[:2]
    assert faint.get_alpha() < 0.5 and bold.get_label() == "noisy"
    assert np.ptp(bold.get_ydata()) < 0.2 * np.ptp(noisy)  # the band becomes a readable line
    assert faint.get_color() == bold.get_color() == "#123456"


def test_colours_can_be_kept_per_method_and_must_cover_every_curve():
    fig, ax = new_figure()
    plot_loss_curves(ax, {"a": ([0, 1], [1.0, 0.5]), "b": ([0, 1], [1.0, 0.4])}, colors=["#111111", "#222222"])
    assert [line.get_color() for line in ax.get_lines()[:2]] == ["#111111", "#222222"]
    with pytest.raises(ValueError, match="one colour per curve"):
        plot_loss_curves(ax, {"a": ([0, 1], [1.0, 0.5]), "b": ([0, 1], [1.0, 0.4])}, colors=["#111111"])


def test_the_plot_floor_is_said_on_the_plot():
    fig, ax = new_figure()
    plot_loss_curves(ax, {"exact": (np.arange(5), [1.0, 0.5, 0.5, 0.5, 0.5])}, above=0.5)
    assert any("12 decimals" in t for t in _texts(ax))
    assert np.isclose(ax.get_lines()[0].get_ydata()[-1], PLOT_FLOOR)
    fig, ax = new_figure()
    plot_loss_curves(ax, {"above": (np.arange(3), [1.0, 0.9, 0.8])}, above=0.5)
    assert not _texts(ax)
