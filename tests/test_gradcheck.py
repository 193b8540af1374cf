"""The gradient checker: right answers pass, wrong ones fail and are located, arrays are restored, bad input is
explained."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.gradcheck import (
    GradCheckReport,
    check_network,
    gradient_check,
    numerical_gradient,
    relative_error,
)
from nbhelpers.network import Network
from nbhelpers.optim import Parameter


def test_numerical_gradient_of_known_functions():
    w = np.array([[1.0, -2.0], [0.5, 3.0]])
    b = np.array(0.7)  # a single number as a 0-d array
    f = lambda: float(np.sum(np.sin(w)) * b**2)
    gw, gb = numerical_gradient(f, [w, b])
    assert np.allclose(gw, np.cos(w) * 0.49, atol=1e-8)
    assert np.allclose(gb, 2 * 0.7 * np.sum(np.sin(w)), atol=1e-8)


def test_arrays_are_restored_exactly():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(3, 4))
    before = w.copy()
    numerical_gradient(lambda: float(np.sum(w**3)), [w])
    assert np.array_equal(w, before)


def test_parameters_are_accepted_and_their_grad_used():
    p = Parameter([1.0, 2.0, 3.0], name="w")
    f = lambda: float(np.sum(p.data**2))
    p.grad = 2 * p.data
    report = gradient_check(f, [p])
    assert report.passed and report.names == ["w"]
    p.grad = p.data.copy()  # wrong: half the true gradient
    assert not gradient_check(f, [p]).passed


def test_a_wrong_gradient_is_caught_and_located():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=3), rng.normal(size=(2, 2))
    f = lambda: float(np.sum(a**2) + np.sum(np.exp(b)))
    good = gradient_check(f, [a, b], [2 * a, np.exp(b)], names=["a", "b"])
    assert good.passed and good.max_error < 1e-8
    bad = gradient_check(f, [a, b], [2 * a, b], names=["a", "b"])  # b's gradient is wrong
    assert not bad.passed and bad.worst == "b"
    assert bad.errors[0] < 1e-8 and bad.errors[1] > 1e-2
    text = str(bad)
    assert "MISMATCH" in text and "FAILED: b disagrees most" in text and text.count("ok") >= 1
    assert "PASSED" in str(good)
    with pytest.raises(AssertionError, match="gradient check failed"):
        bad.raise_if_failed()
    good.raise_if_failed()
    assert isinstance(bad, GradCheckReport) and "passed=False" in repr(bad)


def test_zero_gradients_pass_despite_rounding_noise():
    w = np.array([0.3, -0.2])
    f = lambda: float(np.sum(w**2) * 0 + 1e-3 * np.sum(np.cos(w) * 0))
    report = gradient_check(f, [w], [np.zeros(2)])
    assert report.passed
    wrong = gradient_check(f, [w], [np.array([0.0, 1e-3])])
    assert not wrong.passed


def test_relative_error():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert relative_error(1e-9 * np.array([1.0, 2.0]), 1e-9 * np.array([1.0, 2.1])) == pytest.approx(
        relative_error([1.0, 2.0], [1.0, 2.1]))  # scale-free
    with pytest.raises(ValueError, match="shape of its parameter"):
        relative_error([1.0, 2.0], [1.0])


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear", "leaky_relu", "gelu"])
def test_check_network_passes_and_catches_a_missing_activation_derivative(activation):
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    net = Network([3, 5, 2], [activation, "linear"], seed=4)
    assert check_network(net, X, y, "mse").passed
    if activation == "linear":
        return  # its derivative is 1: forgetting it changes nothing
    hidden = net.layers[0]
    hidden.backward = hidden.backward_from_z  # the planted bug: skip f'(z) in the hidden layer
    report = check_network(net, X, y, "mse")
    assert not report.passed and report.worst in ("W1", "b1")
    assert report.errors[2] < 1e-6 and report.errors[3] < 1e-6  # the output layer is still right


def test_check_network_with_other_losses():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(8, 2))
    assert check_network(Network([2, 4, 3], ["tanh", "linear"], seed=0), X, rng.integers(0, 3, 8), "softmax_ce").passed
    y01 = (rng.random((8, 1)) > 0.5).astype(float)
    assert check_network(Network([2, 4, 1], ["relu", "sigmoid"], seed=0), X, y01, "bce").passed
    assert check_network(Network([2, 4, 1], ["relu", "linear"], seed=0), X, 2 * y01 - 1, "hinge").passed


@pytest.mark.parametrize("call,error,words", [
    (lambda: numerical_gradient("loss", [np.ones(2)]), TypeError, "f must be a function"),
    (lambda: numerical_gradient(lambda: 0.0, [np.ones(2, dtype=int)]), TypeError, "float array"),
    (lambda: numerical_gradient(lambda: 0.0, [[1.0, 2.0]]), TypeError, "np.array(..., dtype=float)"),
    (lambda: numerical_gradient(lambda: 0.0, []), TypeError, "non-empty list"),
    (lambda: numerical_gradient(lambda: np.ones(3), [np.ones(2)]), TypeError, "single number"),
    (lambda: numerical_gradient(lambda: float("nan"), [np.ones(2)]), ValueError, "NaN"),
    (lambda: numerical_gradient(lambda: 0.0, [np.ones(2)], eps=0), ValueError, "eps (the size of the nudge) must be a number in (0, 1)"),
    (lambda: numerical_gradient(lambda: 0.0, [np.ones((3, 3)).T[:, :2]]), ValueError, "contiguous"),
    (lambda: gradient_check(lambda: 0.0, [np.ones(2)], [np.ones(3)]), ValueError, "shape of its parameter"),
    (lambda: gradient_check(lambda: 0.0, [np.ones(2), np.ones(2)], [np.ones(2)]), ValueError,
     "one analytic gradient per parameter"),
    (lambda: gradient_check(lambda: 0.0, [np.ones(2)]), ValueError, "pass them as the third argument"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert str(info.value).count("\n") == 0
