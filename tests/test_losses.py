"""Losses and their gradients: known values, gradients against central differences, stability at the extremes,
and clear errors for bad input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nbhelpers.activations import sigmoid, softmax
from nbhelpers.gradcheck import gradient_check
from nbhelpers.losses import (
    LOSSES,
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    get_loss,
    hinge,
    hinge_grad,
    mse,
    mse_grad,
    one_hot,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)


def test_known_values():
    assert mse([0.0, 0.0, 0.0, 0.0], [1, 0, 0, 1]) == 0.5
    assert mse([[0.524]], [[1.0]]) == pytest.approx(0.2266, abs=1e-4)
    assert binary_cross_entropy([0.9, 0.2], [1, 0]) == pytest.approx(-(np.log(0.9) + np.log(0.8)) / 2)
    assert softmax_cross_entropy([[2.0, 1.0, 0.1]], [0]) == pytest.approx(-np.log(0.6590), abs=1e-4)
    assert hinge([2.0, 0.5, -1.0], [1, 1, 1]) == pytest.approx((0 + 0.5 + 2) / 3)
    assert one_hot([0, 2, 1]).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert one_hot([1], n_classes=3).tolist() == [[0, 1, 0]]


def test_mse_gradient_of_the_worked_example():
    # one sample: dL/dy_pred = -2 (y - y_pred)
    assert mse_grad([[0.5237]], [[1.0]])[0, 0] == pytest.approx(-0.9526)


def test_logit_forms_equal_the_probability_forms():
    z = np.linspace(-6, 6, 13)
    y = (np.arange(13) % 2).astype(float)
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(binary_cross_entropy(sigmoid(z), y))
    # BCE's gradient times the sigmoid's slope is prediction minus label
    p = sigmoid(z)
    assert np.allclose(binary_cross_entropy_grad(p, y) * p * (1 - p), binary_cross_entropy_with_logits_grad(z, y))
    assert np.allclose(binary_cross_entropy_with_logits_grad(z, y), (p - y) / 13)
    logits = np.random.default_rng(0).normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    assert np.allclose(softmax_cross_entropy_grad(logits, labels), (softmax(logits) - one_hot(labels, 4)) / 5)
    assert softmax_cross_entropy(logits, labels) == softmax_cross_entropy(logits, one_hot(labels, 4))


CASES = [
    ("mse", lambda r: r.normal(size=(6, 2)), lambda r: r.normal(size=(6, 2))),
    ("bce", lambda r: r.uniform(0.05, 0.95, size=(6, 1)), lambda r: (r.random((6, 1)) > 0.5).astype(float)),
    ("bce_logits", lambda r: r.normal(size=(6, 1)) * 3, lambda r: (r.random((6, 1)) > 0.5).astype(float)),
    ("softmax_ce", lambda r: r.normal(size=(6, 4)) * 2, lambda r: r.integers(0, 4, size=6)),
    ("hinge", lambda r: r.normal(size=(6, 1)) * 2, lambda r: np.where(r.random((6, 1)) > 0.5, 1.0, -1.0)),
]


@pytest.mark.parametrize("name,make_pred,make_target", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradients_match_central_differences(name, make_pred, make_target, seed):
    rng = np.random.default_rng(seed)
    pred, target = make_pred(rng), make_target(rng)
    loss = get_loss(name)
    report = gradient_check(lambda: loss.function(pred, target), [pred], [loss.gradient(pred, target)])
    assert report.passed, str(report)


def test_stable_at_the_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):  # underflow to 0 is harmless
            assert np.isfinite(binary_cross_entropy([0.0, 1.0], [1, 0]))  # log(0) avoided by clipping
            assert binary_cross_entropy([1.0, 0.0], [1, 0]) == pytest.approx(0.0, abs=1e-10)
            assert np.all(np.isfinite(binary_cross_entropy_grad([0.0, 1.0], [1, 0])))
            assert binary_cross_entropy_with_logits([1000.0, -1000.0], [0, 1]) == pytest.approx(1000.0)
            assert binary_cross_entropy_with_logits([1000.0, -1000.0], [1, 0]) == pytest.approx(0.0)
            assert np.allclose(binary_cross_entropy_with_logits_grad([1000.0, -1000.0], [0, 1]), [0.5, -0.5])
            assert softmax_cross_entropy([[1000.0, 0.0]], [1]) == pytest.approx(1000.0)
            assert np.allclose(softmax_cross_entropy_grad([[1000.0, 0.0]], [1]), [[1.0, -1.0]])


def test_a_column_of_predictions_takes_flat_labels_without_broadcasting():
    pred = np.array([[0.2], [0.9], [0.4]])
    y = np.array([0.0, 1.0, 1.0])
    assert mse(pred, y) == pytest.approx(np.mean((pred[:, 0] - y) ** 2))  # not the (3, 3) broadcast
    assert mse_grad(pred, y).shape == (3, 1)
    assert binary_cross_entropy_grad(pred, y).shape == (3, 1)


@pytest.mark.parametrize("call,error,words", [
    (lambda: mse(np.ones((3, 1)), np.ones(4)), ValueError, "one target per prediction"),
    (lambda: mse(np.ones((3, 2)), np.ones(3)), ValueError, "shape (3, 2)"),
    (lambda: mse([], []), ValueError, "empty"),
    (lambda: mse(["a"], [1]), TypeError, "mse: pred (the prediction) must be numbers; got text"),
    (lambda: mse([np.nan], [1.0]), ValueError, "NaN"),
    (lambda: binary_cross_entropy([1.5], [1]), ValueError, "probabilities between 0 and 1"),
    (lambda: binary_cross_entropy([0.5], [2]), ValueError, "class labels 0 and 1"),
    (lambda: binary_cross_entropy_with_logits([0.5], [-1]), ValueError, "between 0 and 1"),
    (lambda: softmax_cross_entropy([1.0, 2.0], [0]), ValueError, "(n_samples, n_classes)"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, "one label per row"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [[1.0, 0.0, 0.0]]), ValueError, "one-hot targets"),
    (lambda: softmax_cross_entropy([[1.0, 2.0]], [2]), ValueError, "labels must be 0 .. 1 (class numbers for 2 classes)"),
    (lambda: hinge([0.5], [0]), ValueError, "2 * y - 1"),
    (lambda: hinge_grad([0.5], [0]), ValueError, "2 * y - 1"),
    (lambda: one_hot([0.5, 1]), ValueError, "whole-number class labels"),
    (lambda: one_hot([[0, 1]]), ValueError, "shape (n,)"),
    (lambda: get_loss("mae"), ValueError, "choose one of 'mse'"),
    (lambda: get_loss(3), TypeError, "loss must be a name, one of"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert str(info.value).count("\n") == 0


def test_registry_names():
    assert set(LOSSES) == {"mse", "bce", "bce_logits", "softmax_ce", "hinge"}
    assert get_loss("Binary cross entropy").name == "bce" and get_loss("cross-entropy").name == "softmax_ce"
