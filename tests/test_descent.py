"""Chapter 3's reference code: landscapes and their gradients, the descent helper (paths, verdicts, divergence),
the line fit by gradient descent, and the numbers the chapter's exercises and prose rely on."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nbhelpers.descent import (
    LANDSCAPES, DescentPath, descend, fit_line, get_landscape, least_squares_line, mse_line, mse_line_gradient,
    noisy_line, numerical_gradient,
)
from nbhelpers.exercises import ch03
from nbhelpers.optim import Adam, DivergenceError, ExponentialDecay, StepDecay

# ----------------------------------------------------------------------------------------------- landscapes


@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_every_landscape_gradient_matches_central_differences(name):
    landscape = LANDSCAPES[name]
    points = np.random.default_rng(1).uniform(-2, 2, size=(6, landscape.dims))
    for p in points:
        assert np.allclose(landscape.gradient(p), numerical_gradient(landscape.value, p), atol=1e-5), (name, p)


@pytest.mark.parametrize("name", list(LANDSCAPES))
def test_every_listed_minimum_is_a_minimum(name):
    landscape = LANDSCAPES[name]
    values = []
    for m in landscape.minima:
        assert np.linalg.norm(landscape.gradient(m)) < 1e-9
        for direction in np.eye(landscape.dims):  # a little way off in any axis direction is higher
            assert landscape(m + 1e-3 * direction) > landscape(m) < landscape(m - 1e-3 * direction)
        values.append(landscape(m))
    assert values[0] == min(values), "the global (deepest) minimum comes first"


def test_landscape_values_and_shapes():
    assert get_landscape("parabola")(0.0) == 9.0 and get_landscape("parabola")([3.0]) == 0.0
    assert get_landscape("valley")([-5.0, 1.5]) == pytest.approx(0.05 * 25 + 5 * 2.25)
    assert get_landscape("bowl").on_grid(np.zeros((4, 5)), np.ones((4, 5))).shape == (4, 5)
    two = get_landscape("two_minima")
    assert two.minima[:, 0] == pytest.approx([-1.0356, 0.9601], abs=1e-4)
    assert get_landscape("two_valleys").minima[:, 0] == pytest.approx([0.8851, 4.8608], abs=1e-4)
    assert get_landscape("Two Minima") is two


@pytest.mark.parametrize("call,error,words", [
    (lambda: get_landscape("banana"), ValueError, "choose one of 'parabola'"),
    (lambda: get_landscape("bowl")([1.0, 2.0, 3.0]), ValueError, "takes a point of 2 number(s) (x, y); got shape (3,)"),
    (lambda: get_landscape("bowl")("ab"), TypeError, "must be numbers"),
    (lambda: get_landscape("bowl").on_grid(np.ones(3)), ValueError, "takes 2 coordinate array(s); got 1"),
    (lambda: descend("bowl", [1.0]), ValueError, "takes a start of 2 number(s); got 1"),
    (lambda: descend("bowl", steps=-1), ValueError, "steps must be a whole number from 0 to"),
    (lambda: descend("bowl", steps=2.5), TypeError, "steps must be a whole number such as 50; got float 2.5"),
    (lambda: descend("bowl", lr=0), ValueError, "lr (the learning rate) must be a positive number"),
    (lambda: descend("bowl", optimizer="rmsprop"), ValueError, "choose one of 'sgd'"),
    (lambda: descend("bowl", optimizer=3), TypeError, "optimizer must be a name"),
    (lambda: descend(lambda p: p @ p), ValueError, "needs a start point for a plain function"),
    (lambda: descend(42, start=[1.0]), TypeError, "function must be a landscape name"),
    (lambda: descend(lambda p: np.log(p[0]), start=[0.0]), ValueError, "start somewhere it is finite"),
    (lambda: descend("bowl", start=[np.nan, 1.0]), ValueError, "NaN or infinity"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info, np.errstate(divide="ignore"):
        call()
    assert words in str(info.value)
    assert "\n" not in str(info.value)


# ----------------------------------------------------------------------------------------------- descend

@pytest.mark.parametrize("lr", [0.02, 0.1, 0.3, 0.7])
def test_sgd_on_the_parabola_follows_the_closed_form(lr):
    # w_t - 3 = (1 - 2 lr)^t (w_0 - 3): each step multiplies the distance to the minimum by (1 - 2 lr)
    path = descend("parabola", start=0.0, lr=lr, steps=15)
    expected = 3.0 - 3.0 * (1 - 2 * lr) ** np.arange(16)
    assert path.points[:, 0] == pytest.approx(expected, abs=1e-12)
    assert path.losses == pytest.approx((expected - 3.0) ** 2, abs=1e-12)
    assert path.gradient_evaluations == 15 and path.steps_taken == 15


def test_verdicts_for_too_small_about_right_and_too_large():
    nearly = descend("parabola", 0.0, lr=0.1, steps=20)  # 2.965: 99% of the way
    assert nearly.status == "moving" and "nearly there" in nearly.message and nearly.nearly_there()
    small = descend("parabola", 0.0, lr=0.02, steps=20)
    right = descend("parabola", 0.0, lr=0.3, steps=20)
    zigzag = descend("parabola", 0.0, lr=0.95, steps=20)
    growing = descend("parabola", 0.0, lr=1.1, steps=20)
    diverged = descend("parabola", 0.0, lr=3.0, steps=20)
    assert small.status == "moving" and "steps are small" in small.message and not small.nearly_there()
    assert right.status == "converged" and right.converged_at == 9 and "at step 9 of 20" in right.message
    assert zigzag.status == "moving" and "zigzags" in zigzag.message
    assert growing.status == "growing" and "diverging" in growing.message
    assert diverged.status == "diverged" and diverged.diverged_at == 5  # the loss 10,000 times too big, 3 steps


@pytest.mark.parametrize("name,below,above", [("parabola", 0.99, 1.01), ("ellipse", 0.199, 0.201),
                                              ("valley", 0.199, 0.201), ("bowl", 0.99, 1.01)])
def test_stable_learning_rate_is_the_divergence_threshold(name, below, above):
    landscape = get_landscape(name)
    assert landscape.stable_lr == pytest.approx((below + above) / 2)
    assert descend(name, lr=below, steps=300).status != "growing"
    assert descend(name, lr=above, steps=300).status in ("growing", "diverged")


def test_divergence_is_detected_stopped_and_reported_without_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = descend("parabola", start=0.0, lr=1.5, steps=100)
    # the loss 9 * 4^t passes 10,000 times its start at step 7; the third such step in a row, 9, stops the run
    assert path.diverged and path.status == "diverged" and path.diverged_at == 9
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.losses))
    assert len(path.points) == 9  # the start and steps 1-8; step 9 diverged and is not kept
    assert path.message.startswith("gradient descent diverged at step 9 (the loss grew from 9 to 2.36e+06")
    assert "lower the learning rate (now 1.5)" in path.message and "\n" not in path.message
    with pytest.raises(DivergenceError) as info:
        descend("parabola", start=0.0, lr=1.5, steps=100, raise_on_divergence=True)
    assert str(info.value) == path.message
    with pytest.raises(DivergenceError, match="diverged at step 9"):
        path.raise_if_diverged()
    assert descend("parabola", lr=0.1).raise_if_diverged().status in ("converged", "moving")


def test_divergence_to_infinity_in_one_step_is_caught_too():
    # a gradient so large the very first step overflows: reported, not a NaN path, not a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = descend(lambda p: float(p @ p), start=[1.0], gradient=lambda p: np.array([1e308]), lr=10.0)
    assert path.status == "diverged" and path.diverged_at == 1 and len(path.points) == 1
    assert "became inf or NaN" in path.message and "the steps grew instead of settling" in path.message


def test_plain_function_with_numerical_gradient():
    f = lambda p: (p[0] - 1.0) ** 2 + 2.0 * (p[1] + 2.0) ** 2
    path = descend(f, start=[0.0, 0.0], lr=0.1, steps=200)
    assert path.final == pytest.approx([1.0, -2.0], abs=1e-6)
    assert path.status == "converged" and "flat point" in path.message
    assert path.landscape is None and path.optimizer == "sgd"


def test_momentum_and_adam_paths_equal_hand_written_loops():
    ls = get_landscape("valley")
    w, v = np.array(ls.start), np.zeros(2)
    m2, v2, w2 = np.zeros(2), np.zeros(2), np.array(ls.start)
    for t in range(1, 31):
        v = 0.9 * v + ls.gradient(w)
        w = w - 0.05 * v
        g = ls.gradient(w2)
        m2, v2 = 0.9 * m2 + 0.1 * g, 0.999 * v2 + 0.001 * g**2
        w2 = w2 - 0.3 * (m2 / (1 - 0.9**t)) / (np.sqrt(v2 / (1 - 0.999**t)) + 1e-8)
    assert descend(ls, lr=0.05, steps=30, optimizer="momentum").final == pytest.approx(w, abs=1e-12)
    assert descend(ls, lr=0.3, steps=30, optimizer="adam").final == pytest.approx(w2, abs=1e-12)
    assert descend(ls, lr=0.3, steps=30, optimizer=Adam).final == pytest.approx(w2, abs=1e-12)


def test_on_the_valley_momentum_and_adam_beat_plain_descent():
    # the chapter's claim: after 100 steps plain descent (at nearly its largest stable rate) is still far away
    sgd = descend("valley", lr=0.18, steps=100)
    momentum = descend("valley", lr=0.05, steps=100, optimizer="momentum")
    adam = descend("valley", lr=0.3, steps=100, optimizer="adam")
    d = {p.optimizer: float(np.linalg.norm(p.final)) for p in (sgd, momentum, adam)}
    assert d["sgd"] > 0.5 and d["momentum"] < 0.05 and d["adam"] < 0.05


def test_the_start_point_decides_the_minimum_on_two_minima():
    left = descend("two_minima", [-0.1, 1.2], lr=0.05, steps=200)
    right = descend("two_minima", [1.5, 1.0], lr=0.05, steps=200)
    assert "the deeper minimum" in left.message and "the shallower minimum" in right.message
    assert left.final_loss < right.final_loss


def test_schedule_in_descend_and_path_helpers():
    path = descend("parabola", 0.0, lr=0.9, steps=40, schedule=StepDecay(0.9, factor=0.5, every=5))
    assert path.status == "converged" and path.lr == 0.9
    assert path.distances_to([3.0])[0] == 3.0
    assert path.first_step_within([3.0], 1e-3) == path.converged_at
    with pytest.raises(ValueError, match="target must have 1 coordinate"):
        path.distances_to([3.0, 0.0])
    assert isinstance(path, DescentPath) and "converged" in repr(path)
    assert descend("bowl", steps=0).steps_taken == 0


# ----------------------------------------------------------------------------------------------- line fit

def test_mse_gradient_matches_central_differences():
    gen = np.random.default_rng(7)
    for _ in range(5):
        x, y = gen.normal(size=8), gen.normal(size=8)
        w, b = gen.normal(size=2)
        numeric = numerical_gradient(lambda p, x=x, y=y: mse_line(p[0], p[1], x, y), [w, b])
        assert mse_line_gradient(w, b, x, y) == pytest.approx(numeric, abs=1e-6)
        # the exercise's reference is checked the same way
        assert ch03.mse_gradient.reference(w, b, x, y) == pytest.approx(numeric, abs=1e-6)


def test_least_squares_agrees_with_numpy_polyfit():
    x, y = noisy_line(100, slope=-1.5, intercept=0.7, noise=0.3, random_state=4)
    assert least_squares_line(x, y) == pytest.approx(tuple(np.polyfit(x, y, 1)), abs=1e-12)


def test_batch_gradient_descent_agrees_with_least_squares_to_3_decimals():
    x, y = noisy_line(200, random_state=0)
    w_ls, b_ls = least_squares_line(x, y)
    fit = fit_line(x, y, lr=0.2, steps=200)
    assert (round(fit.w, 3), round(fit.b, 3)) == (round(w_ls, 3), round(b_ls, 3))
    assert fit.examples[-1] == 200 * 200 and fit.losses[-1] == pytest.approx(mse_line(w_ls, b_ls, x, y), abs=1e-12)
    assert np.all(np.diff(fit.losses) <= 1e-15), "batch gradient descent with a safe rate never raises the loss"


def test_mini_batches_cost_their_size_and_cover_each_epoch():
    x, y = noisy_line(10, random_state=0)
    fit = fit_line(x, y, lr=0.05, steps=6, batch_size=4)
    assert np.diff(fit.examples).tolist() == [4, 4, 2, 4, 4, 2]  # the last batch of each epoch holds the rest
    sgd = fit_line(x, y, lr=0.05, steps=25, batch_size=1)
    assert sgd.examples[-1] == 25 and len(sgd.losses) == 26 and sgd.batch_size == 1
    again = fit_line(x, y, lr=0.05, steps=25, batch_size=1)
    assert np.array_equal(sgd.params, again.params), "same random_state, same run"
    other = fit_line(x, y, lr=0.05, steps=25, batch_size=1, random_state=1)
    assert not np.array_equal(sgd.params, other.params)


def test_learning_rate_decay_settles_stochastic_gradient_descent():
    x, y = noisy_line(200, random_state=0)
    best = mse_line(*least_squares_line(x, y), x, y)
    constant = fit_line(x, y, lr=0.05, steps=4000, batch_size=1, random_state=1)
    decayed = fit_line(x, y, lr=0.05, steps=4000, batch_size=1, random_state=1, schedule=StepDecay(0.05, 0.5, 500))
    excess = lambda fit: float(np.mean(fit.losses[-500:]) - best)
    assert excess(decayed) * 100 < excess(constant)
    assert decayed.lrs[0] == 0.05 and decayed.lrs[-1] == pytest.approx(0.05 * 0.5**7)


def test_line_fit_divergence_is_reported():
    x, y = noisy_line(50, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergenceError, match="diverged at step"):
            fit_line(x, y, lr=1.0, steps=2000)


@pytest.mark.parametrize("call,error,words", [
    (lambda: mse_line(1.0, 0.0, [1.0, 2.0], [1.0]), ValueError, "same length"),
    (lambda: mse_line_gradient(1.0, 0.0, [], []), ValueError, "empty"),
    (lambda: mse_line_gradient([1.0, 2.0], 0.0, [1.0], [1.0]), TypeError, "w must be a single number"),
    (lambda: least_squares_line([1.0, 1.0], [0.0, 2.0]), ValueError, "all x values are equal"),
    (lambda: fit_line([0.0, 1.0], [0.0, 1.0], batch_size=3), ValueError, "batch_size must be a whole number from 1 to 2"),
    (lambda: fit_line([0.0, 1.0], [0.0, 1.0], start=0.0), ValueError, "start must have shape (2,)"),
    (lambda: noisy_line(1), ValueError, "n_samples must be a whole number from 2 to"),
    (lambda: noisy_line(10, noise=-1), ValueError, "noise (a standard deviation) must be a number in [0,"),
])
def test_line_fit_bad_input(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


# ----------------------------------------------------------------------------------------------- exercise facts

def test_exercise_facts_hold():
    # one step by hand: the answer equals one real step of gradient descent
    step = descend("parabola", start=1.0, lr=0.1, steps=1)
    assert ch03.one_step.evaluate(float(step.final[0])).passed
    # "any rate from about 0.12 to 0.19 works": the edges pass, just outside fails
    for lr, ok in [(0.12, True), (0.19, True), (0.115, False), (0.195, False)]:
        assert ch03.find_learning_rate.evaluate(lr).passed is ok, lr
    # the hint: "0.01 crawls and 0.3 blows up"
    assert descend("ellipse", lr=0.01, steps=50, tol=0.01).status == "moving"
    assert descend("ellipse", lr=0.3, steps=50, tol=0.01).status == "diverged"
    # predict divergence on L(w) = 2 w^2: only 0.6 diverges
    for lr in ch03.predict_divergence.options:
        path = descend(lambda p: 2 * float(p @ p), start=[1.0], gradient=lambda p: 4 * p, lr=lr, steps=60)
        assert (path.status in ("growing", "diverged")) is (lr == ch03.predict_divergence.correct), lr


def test_exponential_decay_in_fit_line():
    x, y = noisy_line(40, random_state=2)
    fit = fit_line(x, y, lr=0.1, steps=5, schedule=ExponentialDecay(0.1, rate=0.5))
    assert fit.lrs == pytest.approx([0.1, 0.05, 0.025, 0.0125, 0.00625])
