"""Chapter 4's step-through panel, driven headlessly (press the buttons, read what is drawn and said), and the
chapter's figure functions."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.datasets import letters, people
from nbhelpers.gradcheck import gradient_check
from nbhelpers.losses import mse_grad
from nbhelpers.network import Network
from nbhelpers.plotting import backprop as bp
from nbhelpers.plotting import new_figure
from nbhelpers.widgets.backprop import BackpropStepper


def _texts(panel):
    return [t.get_text() for t in panel.figure.axes[0].texts]


def _press(panel, name, times=1):
    for _ in range(times):
        panel.buttons[name].click()  # runs the on_click handlers, as a browser click does


def test_next_steps_through_forward_then_backward():
    panel = BackpropStepper()
    assert panel.n_steps == 9
    assert panel.message.startswith("Step 0 of 9: Start: the input x = (-2, -1) with label y = 1")
    assert "h1" in _texts(panel) and not any(t.startswith("h1\n") for t in _texts(panel))  # no value yet

    _press(panel, "next")
    assert panel.controls["step"].value == 1
    assert panel.message == "Step 1 of 9 (forward): h1 = σ(w1·x1 + w2·x2 + b1) = σ(-3) = 0.04743"
    assert "h1\n0.04743" in _texts(panel) and "h2" in _texts(panel)  # h2 not computed yet

    _press(panel, "next", 2)
    assert "ŷ\n0.5237" in _texts(panel)
    assert "(forward): ŷ = σ(w5·h1 + w6·h2 + b3) = σ(0.09485)" in panel.message and panel.message.endswith("= 0.5237")

    _press(panel, "next", 2)
    assert panel.message == "Step 5 of 9 (backward): ∂L/∂ŷ = 2(ŷ - y) = -0.9526"
    assert "∂L/∂ŷ=-0.9526" in _texts(panel)
    assert not any("∂L/∂w1" in t for t in _texts(panel))  # w1's gradient comes later

    _press(panel, "next", 3)
    assert panel.controls["step"].value == 8
    assert "= 0.02147" in panel.message and "∂L/∂w1 = ∂L/∂h1 · σ'(z_h1) · x1" in panel.message
    assert "w1=1" in _texts(panel) and "∂L/∂w1=0.02147" in _texts(panel)
    assert not any("∂L/∂w3" in t for t in _texts(panel))

    _press(panel, "next", 3)  # pressing past the end stays on the last step
    assert panel.controls["step"].value == 9
    texts = _texts(panel)
    for name, value in [("w2", "0.01073"), ("w3", "0.02147"), ("w4", "0.01073"), ("w5", "-0.01127"),
                        ("w6", "-0.01127")]:
        assert f"{name}=1" in texts and f"∂L/∂{name}={value}" in texts
    for bias, value in [("b1", "-0.01073"), ("b2", "-0.01073"), ("b3", "-0.2376")]:
        assert f"∂L/∂{bias}={value}" in texts


def test_back_and_reset():
    panel = BackpropStepper()
    _press(panel, "back")  # already at the start: stays
    assert panel.controls["step"].value == 0
    _press(panel, "next", 4)
    _press(panel, "back")
    assert panel.controls["step"].value == 3 and "ŷ = σ" in panel.message
    count = panel.draw_count
    _press(panel, "reset")
    assert panel.controls["step"].value == 0 and panel.draw_count == count + 1
    assert panel.message.startswith("Step 0 of 9")


def test_current_step_is_highlighted():
    panel = BackpropStepper()
    _press(panel, "next")  # computes h1 from w1, w2
    ax = panel.figure.axes[0]
    thick = [ln for ln in ax.get_lines() if ln.get_linewidth() >= 3]
    assert len(thick) == 2  # the edges of w1 and w2
    assert "step 1 of 9: Forward pass" in ax.get_title()


def test_another_person_changes_the_numbers_and_signs():
    panel = BackpropStepper()
    _press(panel, "next", 5)
    assert "-0.9526" in panel.message
    panel.controls["person"].value = "Bob"  # label 0: the output gradient turns positive
    assert panel.message.startswith("Step 5 of 9 (backward): ∂L/∂ŷ = 2(ŷ - y) = ")
    assert float(panel.message.rsplit("= ", 1)[1]) > 0
    assert "Bob, step 5" in panel.figure.axes[0].get_title()


def test_steps_agree_with_the_package_network_for_any_weights_and_person():
    rng = np.random.default_rng(0)
    W1, b1, W2, b2 = rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(2, 1)), rng.normal(size=1)
    _, X, y = people()
    for x_i, y_i in zip(X, y):
        final = bp.backprop_steps(x_i, y_i, W1, b1, W2, b2)[-1]
        net = Network.from_weights([(W1, b1), (W2, b2)])
        net.backward(mse_grad(net.forward(x_i.reshape(1, 2)), [[y_i]]))
        expected = bp.weights_by_name(*(p.grad for p in net.parameters()))
        for name, value in expected.items():
            assert final.grads[name] == pytest.approx(value, rel=1e-10, abs=1e-14)
    panel = BackpropStepper("Diana", W1, b1, W2, b2)
    _press(panel, "next", 9)
    assert f"w1={W1[0, 0]:.4g}" in "".join(_texts(panel))


def test_bad_person_and_fallback_display():
    with pytest.raises(ValueError, match="person must be one of 'Alice'"):
        BackpropStepper(person="Eve")
    panel = BackpropStepper()
    bundle = panel._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == panel.widget.model_id
    assert bundle["image/png"] and "live kernel" in bundle["text/plain"]
    # the buttons are part of the displayed widget
    first_row = panel.widget.children[0].children
    assert all(button in first_row for button in panel.buttons.values())


# ----------------------------------------------------------------------------------------------- figure functions

def test_static_diagram_without_highlight():
    _, ax = new_figure()
    bp.draw_backprop_diagram(ax, bp.backprop_steps([-2, -1], 1)[-1], highlight=False, title="all")
    assert not [ln for ln in ax.get_lines() if ln.get_linewidth() >= 3]
    assert ax.get_title() == "all"


def test_figure_functions_label_their_axes():
    _, axes = new_figure(2, 3)
    axes = axes.ravel()
    bp.plot_loss_curves(axes[0], {"train": [1.0, 0.5, 0.2], "test": [1.0, 0.7, 0.6]}, every=10, log=True)
    assert axes[0].get_xlabel() == "epoch" and axes[0].get_yscale() == "log"
    assert np.allclose(axes[0].get_lines()[0].get_xdata(), [0, 10, 20])

    w = np.array([1.0, 2.0])
    f = lambda: float(np.sum(w**2))
    reports = {"right": gradient_check(f, [w], [2 * w]), "wrong": gradient_check(f, [w], [w])}
    bp.plot_gradient_check(axes[1], reports)
    assert axes[1].get_yscale() == "log" and len(axes[1].patches) == 2

    X, _, names = letters()
    bp.show_letters(axes[2:5], X, names)
    assert axes[2].get_title() == "A" and np.array_equal(axes[3].images[0].get_array(), X[1].reshape(6, 5))

    bp.plot_success_fractions(axes[5], ["a", "b"], [0.15, 1.0], n_runs=100)
    assert [t.get_text() for t in axes[5].texts] == ["15 / 100", "100 / 100"]
    assert "100 seeds" in axes[5].get_ylabel()

    _, ax = new_figure()
    bp.plot_probabilities(ax, np.eye(3), ["A", "B", "C"], ["A", "B", "C"])
    assert ax.get_xlabel() == "predicted class" and len(ax.texts) == 9
    _, ax = new_figure()
    bp.plot_output_gradients(ax, np.array([-6.0, 0.0]))
    mse_line, bce_line = ax.get_lines()
    assert mse_line.get_ydata()[0] < 0.01 and bce_line.get_ydata()[0] > 0.99


@pytest.mark.parametrize("call,error,words", [
    (lambda ax: bp.plot_loss_curves(ax, [1, 2]), TypeError, "dict"),
    (lambda ax: bp.plot_gradient_check(ax, {}), TypeError, "dict"),
    (lambda ax: bp.show_letters([ax], np.ones((2, 30)), ["A", "B"]), ValueError, "one axes per image"),
    (lambda ax: bp.show_letters([ax], np.ones((1, 29)), ["A"]), ValueError, "6x5 pixels"),
    (lambda ax: bp.backprop_steps([1, 2, 3], 1), ValueError, "two numbers"),
    (lambda ax: bp.backprop_steps([1, 2], 1, W1=np.ones((3, 2))), ValueError, "W1 must have shape (2, 2)"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    _, ax = new_figure()
    with pytest.raises(error) as info:
        call(ax)
    assert words in str(info.value)


def test_a_step_seen_before_is_sent_again_as_drawn_and_its_texts_are_current():
    panel = BackpropStepper()
    _press(panel, "next", 3)
    frames, draws = panel.frame.frames, panel.draw_count
    _press(panel, "back")
    assert panel.draw_count == draws + 1 and panel.frame.frames == frames + 1  # drawn (texts) and sent
    assert "h2\n0.04743" in _texts(panel) and not any(t.startswith("ŷ\n") for t in _texts(panel))
    fresh = BackpropStepper()
    _press(fresh, "next", 2)
    assert panel.png() == fresh.png(), "the kept frame of step 2 is the picture step 2 draws"
