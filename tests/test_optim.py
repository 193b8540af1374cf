"""The optimizers of chapter 3 that every later chapter trains with: they reach minima, match hand computations,
report divergence in one sentence, and reject bad settings clearly."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from nbhelpers.optim import (
    SGD, Adam, ConstantLR, DivergenceError, ExponentialDecay, Momentum, Optimizer, Parameter, StepDecay,
    make_optimizer,
)
from nbhelpers.tensor import Tensor

# A convex quadratic L(w) = 1/2 w.A.w - c.w with A symmetric positive definite: its minimum is A^-1 c.
A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
C = np.array([1.0, -2.0, 0.5])
W_STAR = np.linalg.solve(A, C)


def _minimize(opt_factory, steps, start=(2.0, 2.0, -2.0), schedule=None):
    w = Parameter(start, name="w")
    opt = opt_factory([w])
    for t in range(steps):
        opt.zero_grad()
        w.grad += A @ w.data - C  # the gradient of the quadratic
        if schedule is not None:
            opt.lr = schedule(t)
        opt.step()
    return w.data


@pytest.mark.parametrize("name,factory,steps", [
    ("sgd", lambda p: SGD(p, lr=0.3), 300),
    ("momentum", lambda p: Momentum(p, lr=0.05, beta=0.9), 300),
    ("adam", lambda p: Adam(p, lr=0.05), 3000),
    ("make_optimizer adam", lambda p: make_optimizer("Adam", p, lr=0.05), 3000),
])
def test_each_optimizer_reaches_the_minimum_of_a_convex_quadratic(name, factory, steps):
    assert np.all(np.linalg.eigvalsh(A) > 0)  # the test problem really is convex
    final = _minimize(factory, steps)
    assert np.allclose(final, W_STAR, atol=1e-4), f"{name} ended at {final}, the minimum is {W_STAR}"


def test_adam_also_reaches_the_minimum_under_a_decaying_learning_rate():
    final = _minimize(lambda p: Adam(p, lr=0.2), 500, schedule=ExponentialDecay(0.2, rate=0.99))
    assert np.allclose(final, W_STAR, atol=1e-4)


def test_sgd_and_momentum_first_steps_by_hand():
    # L(w) = w^2, gradient 2w, from w = 1 with lr = 0.1.
    # SGD:      w1 = 1 - 0.1 * 2 = 0.8;   w2 = 0.8 - 0.1 * 1.6 = 0.64
    # Momentum: v1 = 2, w1 = 1 - 0.1 * 2 = 0.8;   v2 = 0.9 * 2 + 1.6 = 3.4, w2 = 0.8 - 0.1 * 3.4 = 0.46
    for opt_class, expected in [(SGD, [0.8, 0.64]), (Momentum, [0.8, 0.46])]:
        w = Parameter([1.0])
        opt = opt_class([w], lr=0.1)
        got = []
        for _ in range(2):
            opt.zero_grad()
            w.grad = 2 * w.data
            opt.step()
            got.append(float(w.data[0]))
        assert got == pytest.approx(expected, abs=1e-12), opt_class.__name__


def test_adam_first_two_steps_match_a_hand_computation():
    # L(w) = w^2, gradient 2w, from w = 1, lr = 0.1, beta1 = 0.9, beta2 = 0.999, eps = 1e-8.
    # Step 1: g = 2.        m = 0.1 * 2 = 0.2              v = 0.001 * 4 = 0.004
    #         m_hat = 0.2 / (1 - 0.9) = 2                  v_hat = 0.004 / (1 - 0.999) = 4, sqrt = 2
    #         w1 = 1 - 0.1 * 2 / (2 + 1e-8) = 0.9 (to 1e-9): Adam's first step is lr in size, whatever g is.
    # Step 2: g = 2 * 0.9 = 1.8
    #         m = 0.9 * 0.2 + 0.1 * 1.8 = 0.36             v = 0.999 * 0.004 + 0.001 * 3.24 = 0.007236
    #         m_hat = 0.36 / (1 - 0.9^2) = 0.36 / 0.19     v_hat = 0.007236 / (1 - 0.999^2) = 0.007236 / 0.001999
    #         w2 = 0.9 - 0.1 * (0.36 / 0.19) / sqrt(0.007236 / 0.001999) = 0.9 - 0.0995878 = 0.8004122
    hand_w1 = 1 - 0.1 * 2 / (2 + 1e-8)
    hand_w2 = 0.9 - 0.1 * (0.36 / 0.19) / (math.sqrt(0.007236 / 0.001999) + 1e-8)
    assert hand_w1 == pytest.approx(0.9, abs=1e-9)
    assert hand_w2 == pytest.approx(0.8004122, abs=1e-7)

    w = Parameter([1.0])
    opt = Adam([w], lr=0.1)
    opt.zero_grad()
    w.grad = 2 * w.data
    opt.step()
    assert w.data[0] == pytest.approx(hand_w1, abs=1e-12)
    assert opt.m[0][0] == pytest.approx(0.2) and opt.v[0][0] == pytest.approx(0.004)
    opt.zero_grad()
    w.grad = 2 * w.data
    opt.step()
    assert opt.m[0][0] == pytest.approx(0.36, abs=1e-9) and opt.v[0][0] == pytest.approx(0.007236, abs=1e-11)
    assert w.data[0] == pytest.approx(hand_w2, abs=1e-8)


def test_adam_first_step_has_the_same_size_for_a_large_and_a_tiny_gradient():
    w = Parameter([1.0, 1.0])
    opt = Adam([w], lr=0.1)
    w.grad = np.array([2.0, 0.002])  # a thousand times smaller in the second coordinate
    opt.step()
    assert w.data == pytest.approx([0.9, 0.9], abs=1e-5)


def test_weight_decay_pulls_towards_zero():
    w = Parameter([2.0])
    SGD([w], lr=0.1, weight_decay=0.5).step()  # zero gradient: w <- w - 0.1 * 0.5 * w = 0.95 w
    assert w.data[0] == pytest.approx(1.9)


def test_zero_grad_and_the_interface_other_chapters_use():
    w, b = Parameter(np.ones((2, 3)), name="W"), Parameter(np.zeros(3), name="b")
    opt = SGD([w, b], lr=0.5)
    w.grad += 1.0
    b.grad += 2.0
    opt.step()
    assert np.allclose(w.data, 0.5) and np.allclose(b.data, -1.0)
    opt.zero_grad()
    assert np.all(w.grad == 0) and np.all(b.grad == 0) and w.grad.shape == (2, 3)
    assert opt.steps == 1 and "SGD(lr=0.5, 2 parameters)" == repr(opt)
    assert repr(w) == "Parameter(W, shape=(2, 3))"


def test_a_single_parameter_and_a_tensor_both_work():
    p = Parameter([1.0, 2.0])
    assert SGD(p, lr=0.1).params == [p]
    t = Tensor([3.0])
    loss = (t * t).sum()
    loss.backward()  # d(t^2)/dt = 6
    Momentum([t], lr=0.1).step()
    assert t.data[0] == pytest.approx(3.0 - 0.6)


def test_parameters_with_no_gradient_yet_do_not_move():
    class Bare:
        def __init__(self):
            self.data, self.grad = np.array([1.0]), None

    bare = Bare()
    Adam([bare], lr=0.1).step()
    assert bare.data[0] == 1.0


# ----------------------------------------------------------------------------------------------- divergence

def test_divergence_is_reported_in_one_sentence_without_overflow_warnings():
    w = Parameter([1.0])
    opt = SGD([w], lr=1.5)  # w <- w - 1.5 * 2w = -2w: doubles in size every step, overflows near step 1024
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "RuntimeWarning: overflow" may reach the learner first
        with pytest.raises(DivergenceError) as info:
            for _ in range(2000):
                opt.zero_grad()
                with np.errstate(over="ignore"):  # our own gradient code may overflow; the optimizer must not warn
                    w.grad = 2 * w.data
                opt.step()
    message = str(info.value)
    assert message.startswith(f"training diverged at step {opt.steps}: a ")
    assert "a parameter reached 1.05e+06, past the limit 1e+06" in message  # a million times its start: long before inf
    assert "The learning rate 1.5 is too large" in message and "\n" not in message
    assert opt.steps == 20
    assert isinstance(info.value, FloatingPointError)  # older code catching FloatingPointError still works


@pytest.mark.parametrize("opt_class", [SGD, Momentum, Adam])
def test_an_update_that_overflows_raises_divergence_and_no_warning(opt_class):
    w = Parameter([1e308])
    opt = opt_class([w], lr=1e10) if opt_class is Adam else opt_class([w], lr=10.0)
    w.grad = np.array([-1e308])  # a finite gradient whose step overflows to inf (whose square, for Adam)
    reason = "a gradient reached 1e\\+308, so large that its square overflows" if opt_class is Adam else \
        "a parameter became inf or NaN"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergenceError, match=f"step 1: {reason}.*The learning rate"):
            opt.step()
    if opt_class is Adam:  # Adam stops before it moves
        assert w.data.tolist() == [1e308]


def test_a_nan_gradient_stops_before_any_parameter_moves():
    a, b = Parameter([1.0]), Parameter([2.0])
    opt = Momentum([a, b], lr=0.1)
    a.grad, b.grad = np.array([1.0]), np.array([np.nan])
    with pytest.raises(DivergenceError, match="a gradient is inf or NaN"):
        opt.step()
    assert a.data[0] == 1.0 and b.data[0] == 2.0


# ----------------------------------------------------------------------------------------------- schedules

def test_step_and_exponential_decay_values():
    step = StepDecay(0.1, factor=0.5, every=10)
    assert [step(t) for t in (0, 9, 10, 19, 20, 35)] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])
    expo = ExponentialDecay(0.2, rate=0.9)
    assert expo.values(4) == pytest.approx([0.2, 0.18, 0.162, 0.1458])
    assert ConstantLR(0.3).values(3) == pytest.approx([0.3, 0.3, 0.3])
    assert repr(step) == "StepDecay(0.1, factor=0.5, every=10)"


def test_a_schedule_drives_the_optimizer_learning_rate():
    w = Parameter([0.0])
    opt = SGD([w], lr=1.0)
    schedule = StepDecay(1.0, factor=0.5, every=1)
    for t in range(3):  # gradient 1 each step: w moves by -1, -0.5, -0.25
        w.grad = np.ones(1)
        opt.lr = schedule(t)
        opt.step()
    assert w.data[0] == pytest.approx(-1.75)


# ----------------------------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("call,error,words", [
    (lambda: SGD([Parameter([1.0])], lr=0), ValueError, "lr (the learning rate) must be a positive number"),
    (lambda: SGD([Parameter([1.0])], lr=-0.1), ValueError, "got -0.1"),
    (lambda: SGD([Parameter([1.0])], lr=float("nan")), ValueError, "lr (the learning rate) must be a finite number"),
    (lambda: SGD([Parameter([1.0])], lr="0.1"), TypeError, "Write the number without quotes: 0.1"),
    (lambda: SGD([Parameter([1.0])], lr=True), TypeError, "lr (the learning rate) must be a single number"),
    (lambda: SGD([], lr=0.1), ValueError, "no parameters"),
    (lambda: SGD(3, lr=0.1), TypeError, "list of parameters"),
    (lambda: SGD([np.ones(2)], lr=0.1), TypeError, ".data and .grad"),
    (lambda: SGD([Parameter([1.0])], weight_decay=-1), ValueError, "weight_decay must be a number >= 0"),
    (lambda: Momentum([Parameter([1.0])], beta=1.0), ValueError, "beta must be a number in [0, 1)"),
    (lambda: Adam([Parameter([1.0])], beta2=1.5), ValueError, "beta2 must be a number in [0, 1)"),
    (lambda: Adam([Parameter([1.0])], eps=0), ValueError, "eps must be a number in (0, 1]"),
    (lambda: make_optimizer("adamw", [Parameter([1.0])], lr=0.1), ValueError, "choose one of 'sgd'"),
    (lambda: Parameter("1.0"), TypeError, "without quotes"),
    (lambda: Parameter([[1.0], [2.0, 3.0]]), TypeError, "equal-length rows"),
    (lambda: StepDecay(0.1, factor=0), ValueError, "factor must be a number in (0, 1]"),
    (lambda: StepDecay(0.1, every=0), ValueError, "every (steps between decays) must be a whole number"),
    (lambda: ExponentialDecay(0.1, rate=1.5), ValueError, "rate must be a number in (0, 1]"),
    (lambda: ExponentialDecay(0.1)(-1), ValueError, "step (the step number) must be a whole number >= 0"),
    (lambda: ExponentialDecay(0.1)(2.5), TypeError, "step (the step number) must be a whole number"),
])
def test_bad_settings_get_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_wrong_gradient_shape_and_a_bad_learning_rate_set_by_hand():
    w = Parameter(np.zeros(3))
    opt = SGD([w], lr=0.1)
    w.grad = np.zeros(2)
    with pytest.raises(ValueError, match=r"shape \(3,\) but its gradient has shape \(2,\)"):
        opt.step()
    w.grad = np.zeros(3)
    opt.lr = -1
    with pytest.raises(ValueError, match=r"lr \(the learning rate\) must be a positive number"):
        opt.step()


def test_optimizer_base_class_is_abstract():
    with pytest.raises(NotImplementedError):
        p = Parameter([1.0])
        Optimizer([p], lr=0.1).step()


def _run(opt_class, flat: bool, steps: int = 6, replace_state: bool = False, **settings):
    """Parameters after ``steps`` updates of three parameters of different shapes, all at once or one at a time."""
    rng = np.random.default_rng(3)
    params = [Parameter(rng.normal(size=shape)) for shape in ((3, 4), (4,), ())]
    opt = opt_class(params, lr=0.05, **settings)
    if not flat:  # the same optimizer, made to take the per-parameter path
        opt._flat_ready = lambda grads: False
    if replace_state:  # a learner's own velocity array for one parameter: used, not the flat one
        opt.velocity[1] = np.full(4, 0.25)
    for _ in range(steps):
        for p in params:
            p.grad = rng.normal(size=p.data.shape) + np.sign(p.data)
        opt.step()
    return [p.data.copy() for p in params], opt


@pytest.mark.parametrize("opt_class, settings", [
    (SGD, {}), (SGD, {"weight_decay": 0.1}), (Momentum, {"beta": 0.8}), (Momentum, {"weight_decay": 0.1}),
    (Adam, {}), (Adam, {"weight_decay": 0.1, "beta1": 0.5}),
])
def test_updating_all_parameters_at_once_gives_the_same_numbers_as_one_at_a_time(opt_class, settings):
    at_once, opt = _run(opt_class, flat=True, **settings)
    one_by_one, _ = _run(opt_class, flat=False, **settings)
    assert opt._flat_ready([p.grad for p in opt.params])  # (the first run did take the flat path)
    for a, b in zip(at_once, one_by_one):
        np.testing.assert_array_equal(a, b)  # bit for bit: every formula works number by number


def test_the_optimizers_memory_is_one_array_seen_per_parameter():
    _, adam = _run(Adam, flat=True)
    assert adam.m[0].shape == (3, 4) and adam.v[2].shape == ()
    assert np.shares_memory(adam.m[0], adam._m) and adam.m[1][0] == adam._m[12]
    # a velocity replaced by hand is respected: the optimizer goes back to one parameter at a time
    replaced, momentum = _run(Momentum, flat=True, replace_state=True)
    assert not momentum._flat_ready([p.grad for p in momentum.params])
    expected, _ = _run(Momentum, flat=False, replace_state=True)
    for a, b in zip(replaced, expected):
        np.testing.assert_array_equal(a, b)


def test_a_subclass_with_its_own_rule_is_used_as_written():
    class HalfSGD(SGD):
        def _update(self, i, p, grad):
            p.data -= 0.5 * self.lr * grad

    p = Parameter([1.0, 2.0])
    opt = HalfSGD([p], lr=0.2)
    p.grad = np.array([1.0, 1.0])
    opt.step()
    np.testing.assert_allclose(p.data, [0.9, 1.9])
