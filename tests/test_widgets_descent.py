"""Chapter 3's panels, driven headlessly: change the controls, check what was drawn and what the panel says."""

from __future__ import annotations

import numpy as np

from nbhelpers.widgets.descent import LearningRatePanel, OptimizerPanel


def _path_line(ax):
    """The drawn steps: the line with markers that is not the curve and not the start marker."""
    lines = [ln for ln in ax.get_lines() if str(ln.get_label()).startswith("steps")]
    assert len(lines) == 1
    return np.asarray(lines[0].get_xdata(), dtype=float), np.asarray(lines[0].get_ydata(), dtype=float)


def _texts(panel):
    return " ".join(t.get_text() for ax in panel.figure.axes for t in ax.texts)


def _all_plotted_numbers(panel):
    values = []
    for ax in panel.figure.axes:
        for line in ax.get_lines():
            values.append(np.asarray(line.get_xdata(), dtype=float))
            values.append(np.asarray(line.get_ydata(), dtype=float))
    return np.concatenate(values)


def test_learning_rate_panel_draws_the_path_and_the_loss_per_step():
    panel = LearningRatePanel(lr=0.3, start=0.0, steps=20)
    assert panel.message.startswith("Learning rate 0.3: reached the minimum at w = 3 (within 0.001) at step 9 of 20")
    left, right = panel.figure.axes
    ws, losses = _path_line(left)
    assert ws[0] == 0.0 and abs(ws[-1] - 3.0) < 1e-6 and len(ws) == 21
    assert np.allclose(losses, (ws - 3.0) ** 2)
    (loss_line,) = [ln for ln in right.get_lines() if ln.get_marker() == "o"]
    assert np.allclose(loss_line.get_ydata(), np.maximum(losses, 1e-16)) and right.get_yscale() == "log"
    assert left.get_xlabel() and left.get_ylabel() and right.get_xlabel() and right.get_ylabel()
    assert "reaches the minimum by step 9" in left.get_title()


def test_moving_the_controls_redraws_once_each():
    panel = LearningRatePanel(lr=0.1, start=0.0, steps=20)
    count = panel.draw_count
    panel.controls["steps"].value = 5
    assert panel.draw_count == count + 1 and len(_path_line(panel.figure.axes[0])[0]) == 6
    panel.controls["start"].value = 6.0
    ws, _ = _path_line(panel.figure.axes[0])
    assert ws[0] == 6.0 and ws[1] < 6.0  # walks downhill towards 3 from the right
    panel.controls["lr"].value = 0.001
    assert "The steps are small" in panel.message and "crawls" in panel.figure.axes[0].get_title()


def test_a_diverging_run_is_drawn_and_said_plainly():
    panel = LearningRatePanel(lr=3.0, start=0.0, steps=50)
    k = panel.path.diverged_at  # the step the course's one definition of divergence names
    assert k is not None and 2 <= k <= 10
    assert panel.message.startswith(f"Learning rate 3: gradient descent diverged at step {k} ")
    assert "every learning rate above 1 diverges" in panel.message
    assert f"DIVERGED at step {k}" in _texts(panel)
    numbers = _all_plotted_numbers(panel)
    assert numbers.size > 0 and np.all(np.isfinite(numbers)), "no NaN or inf may be drawn"
    ws, _ = _path_line(panel.figure.axes[0])
    assert len(ws) >= 1  # never a blank plot: at least the start is on the curve
    assert f"diverged at step {k}" in " ".join(t.get_text() for t in panel.figure.axes[1].texts)


def test_a_slowly_growing_run_is_called_diverging():
    panel = LearningRatePanel(lr=1.1, start=0.0, steps=20)
    assert "so this run is diverging" in panel.message
    assert "DIVERGING" in _texts(panel)
    panel.controls["lr"].value = 0.95
    assert "zigzags" in panel.message and "DIVERG" not in _texts(panel)


def test_the_second_curve_and_which_valley():
    panel = LearningRatePanel(lr=0.3, start=6.5, steps=60, curve="two_valleys")
    assert "the shallower minimum at w = 4.861" in panel.message
    panel.controls["lr"].value = 0.5
    assert "the deeper minimum at w = 0.8851" in panel.message


def test_optimizer_panel_switches_optimizer_and_surface():
    panel = OptimizerPanel(landscape="valley", optimizer="sgd", lr=0.18, steps=100)
    assert panel.message.startswith("sgd, learning rate 0.18: still on its way after 100 steps")
    panel.controls["optimizer"].value = "momentum"
    panel.controls["lr"].value = 0.05
    assert panel.message.startswith("momentum, learning rate 0.05")
    assert np.linalg.norm(panel.path.final) < 0.05
    count = panel.draw_count
    panel.controls["landscape"].value = "two_minima"
    assert panel.draw_count == count + 1, "a new surface moves the start and redraws once"
    assert (panel.controls["x0"].value, panel.controls["y0"].value) == (1.5, 1.0)
    assert "two_minima" in panel.figure.axes[0].get_title()


def test_optimizer_panel_divergence_is_plain():
    panel = OptimizerPanel(landscape="bowl", optimizer="sgd", lr=1.0, steps=60)
    assert "zigzags" in panel.message  # lr = 1 on x^2 + y^2 flips sign forever: the edge of stability
    panel.controls["landscape"].value = "valley"
    panel.controls["optimizer"].value = "sgd"
    panel.controls["lr"].value = 0.5
    assert "gradient descent diverged at step" in panel.message
    assert "DIVERGED" in _texts(panel)
    assert np.all(np.isfinite(_all_plotted_numbers(panel)))


def test_fallback_display_has_a_picture_and_a_note():
    panel = LearningRatePanel(lr=3.0)
    bundle = panel._repr_mimebundle_()
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
    assert "diverged" in bundle["text/plain"]


def test_lr_one_bounces_forever_and_is_called_so():
    panel = LearningRatePanel(lr=1.0, start=0.0, steps=20)
    assert "zigzags between w = 6 and w = 0 forever" in panel.message or "zigzags between w = 0 and w = 6" in panel.message
    assert "sooner" not in panel.message and "still on its way" not in panel.message
    assert "forever" in panel.figure.axes[0].get_title()
    panel.controls["steps"].value = 1
    assert "1 steps" not in panel.message


def test_beta_is_momentums_and_moving_it_elsewhere_draws_nothing():
    panel = OptimizerPanel(landscape="valley", optimizer="momentum", lr=0.05, steps=100)
    assert "beta 0.9" in panel.message and not panel.controls["beta"].disabled
    count, frames = panel.draw_count, panel.frame.frames
    panel.controls["beta"].value = 0.5
    assert panel.draw_count == count + 1 and panel.frame.frames == frames + 1
    assert "beta 0.5" in panel.message
    panel.controls["optimizer"].value = "sgd"
    assert panel.controls["beta"].disabled
    count, frames = panel.draw_count, panel.frame.frames
    panel.controls["beta"].value = 0.8  # sgd has no momentum: the picture cannot change
    assert panel.draw_count == count and panel.frame.frames == frames


def test_the_loss_plot_keeps_its_axes_while_the_path_moves():
    panel = LearningRatePanel(lr=0.1, start=0.0, steps=20)
    backgrounds = panel.frame.backgrounds
    for lr in (0.12, 0.15, 0.2, 0.25):
        panel.controls["lr"].value = lr
    assert panel.frame.backgrounds == backgrounds, "moving the learning rate only redraws the path, not the axes"


def test_going_back_to_a_view_reuses_its_background_and_draws_the_same_picture():
    # (two_valleys first: its tick labels are the wider ones, so no view here needs the figure laid out again,
    # which would start the kept backgrounds afresh; see test_widgets_readable.py)
    panel = LearningRatePanel(lr=0.1, start=0.0, steps=20, curve="two_valleys")
    panel.controls["steps"].value = 40  # a wider loss plot: its axes are drawn again
    panel.controls["curve"].value = "parabola"  # another curve: drawn again
    backgrounds = panel.frame.backgrounds
    panel.controls["curve"].value = "two_valleys"
    panel.controls["steps"].value = 20  # back to the first view: its background is reused, not drawn
    assert panel.frame.backgrounds == backgrounds
    fresh = LearningRatePanel(lr=0.1, start=0.0, steps=20, curve="two_valleys")
    assert panel.png() == fresh.png(), "a reused background shows exactly what drawing it anew shows"
