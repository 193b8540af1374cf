"""Loss functions and their gradients (chapter 4), in NumPy, stable at the extremes.

Each loss comes as a pair: ``name(pred, target)`` returns the loss (a float, averaged over the batch) and
``name_grad(pred, target)`` returns dLoss/dpred, an array shaped like ``pred``. Together they start every
backward pass::

    out = net.forward(X)
    loss = mse(out, y)
    net.backward(mse_grad(out, y))

Conventions
-----------
- ``mse`` and the binary cross-entropies average over *every element* (for one output column: over samples).
- ``softmax_cross_entropy`` averages over *samples* (rows); its classes are the columns.
- A target of shape ``(n,)`` is accepted for a prediction of shape ``(n, 1)`` (it is read as a column), so the
  classic broadcasting trap, ``(n, 1) - (n,)`` silently making an ``(n, n)`` matrix, cannot happen here.
- Losses that take probabilities clip them to ``[eps, 1 - eps]`` so ``log(0)`` never occurs; the
  ``..._with_logits`` forms take the pre-activation ``z`` instead and are exact for any ``z``.

>>> round(mse([[0.0], [0.0], [0.0], [0.0]], [1, 0, 0, 1]), 3)
0.5
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from nbhelpers._validate import as_choice, as_float_array, as_int, as_labels, as_scalar, finite_result
from nbhelpers.activations import sigmoid, softmax

__all__ = [
    "mse", "mse_grad", "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "softmax_cross_entropy", "softmax_cross_entropy_grad", "hinge", "hinge_grad",
    "one_hot", "Loss", "LOSSES", "get_loss", "EPS",
]

#: how far from 0 and 1 probabilities are clipped before taking a logarithm
EPS = 1e-12


def _pair(pred, target, what: str, names=("pred", "target")):
    """Return ``pred`` and ``target`` as float arrays of the same shape, or raise one clear error."""
    p = as_float_array(pred, f"{what}: {names[0]} (the prediction)", finite=False)
    t = as_float_array(target, f"{what}: {names[1]} (the target)", finite=False)
    if p.ndim == 2 and p.shape[1] == 1 and t.shape == (p.shape[0],):
        t = t.reshape(-1, 1)  # labels (n,) against a single output column (n, 1)
    if p.shape != t.shape:
        raise ValueError(f"{what}: {names[0]} (the prediction) has shape {p.shape} but {names[1]} (the target) has "
                         f"shape {t.shape}; give one target per prediction (for one output column, y of shape (n,) or "
                         "(n, 1)).")
    if p.size == 0:
        raise ValueError(f"{what}: {names[0]} (the prediction) is empty; pass at least one sample.")
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(t))):
        raise ValueError(f"{what}: {names[0]} (the prediction) or {names[1]} (the target) contains NaN or infinity "
                         "(did training diverge?).")
    return p, t


def _check_binary(t, what):
    if np.any((t < 0) | (t > 1)):
        raise ValueError(f"{what}: targets must lie between 0 and 1 (class labels 0 and 1); got values from "
                         f"{t.min():g} to {t.max():g}.")


def _check_eps(eps, what) -> float:
    """``eps`` must be tiny: it moves every probability by up to eps, and past 1e-300 its log overflows."""
    return as_scalar(eps, f"{what}: eps (how far probabilities are kept from 0 and 1)", minimum=1e-300,
                     maximum=1e-2, example="1e-12")


def _check_probabilities(p, what):
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"{what} takes probabilities between 0 and 1 (a sigmoid output); got values from "
                         f"{p.min():g} to {p.max():g}. For raw scores use binary_cross_entropy_with_logits.")


# ----------------------------------------------------------------------------------------------- MSE

def mse(pred, target) -> float:
    """Mean squared error: the average of ``(pred - target)**2`` over every element.

    >>> mse([0.5, 1.0], [1.0, 1.0])
    0.125
    """
    p, t = _pair(pred, target, "mse")
    with np.errstate(all="ignore"):
        value = np.mean((p - t) ** 2)
    return float(finite_result(value, "mse: the squared error", "use smaller predictions and targets"))


def mse_grad(pred, target) -> np.ndarray:
    """dMSE/dpred = ``2 (pred - target) / N``, N the number of elements; shaped like ``pred``.

    >>> mse_grad([0.5, 1.0], [1.0, 1.0])
    array([-0.5,  0. ])
    """
    p, t = _pair(pred, target, "mse_grad")
    with np.errstate(all="ignore"):
        grad = 2.0 * (p - t) / p.size
    return finite_result(grad, "mse_grad: the gradient", "use smaller predictions and targets")


# ----------------------------------------------------------------------------------------------- binary cross-entropy

def binary_cross_entropy(prob, target, eps: float = EPS) -> float:
    """Binary cross-entropy of probabilities: mean of ``-(y log p + (1 - y) log(1 - p))``.

    ``p`` is clipped to ``[eps, 1 - eps]`` so a confident wrong answer costs a large finite amount, never inf.

    >>> round(binary_cross_entropy([0.9, 0.2], [1, 0]), 4)
    0.1643
    """
    eps = _check_eps(eps, "binary_cross_entropy")
    p, t = _pair(prob, target, "binary_cross_entropy", ("prob", "target"))
    _check_probabilities(p, "binary_cross_entropy")
    _check_binary(t, "binary_cross_entropy")
    # log p and log(1 - p), each kept >= log(eps); 1 - p is formed before clipping so p = 1 - 1e-300 stays exact
    log_p, log_q = np.log(np.clip(p, eps, 1.0)), np.log(np.clip(1.0 - p, eps, 1.0))
    return float(np.mean(-(t * log_p + (1 - t) * log_q)))


def binary_cross_entropy_grad(prob, target, eps: float = EPS) -> np.ndarray:
    """dBCE/dp = ``(p - y) / (p (1 - p)) / N``, with ``p`` clipped like the loss.

    Multiplied by the sigmoid's derivative ``p (1 - p)`` this becomes ``(p - y) / N``: see
    :func:`binary_cross_entropy_with_logits_grad`, which skips the division and is exact.
    """
    eps = _check_eps(eps, "binary_cross_entropy_grad")
    p, t = _pair(prob, target, "binary_cross_entropy_grad", ("prob", "target"))
    _check_probabilities(p, "binary_cross_entropy_grad")
    _check_binary(t, "binary_cross_entropy_grad")
    pc, qc = np.clip(p, eps, 1.0), np.clip(1.0 - p, eps, 1.0)
    with np.errstate(all="ignore"):
        grad = (pc - t) / pc / qc / p.size  # divided one factor at a time: pc * qc could underflow to 0
    return finite_result(grad, "binary_cross_entropy_grad: the gradient", "use a larger eps such as 1e-12")


def binary_cross_entropy_with_logits(z, target) -> float:
    """BCE of ``sigmoid(z)``, computed from ``z`` without ever forming ``log(0)``.

    Uses ``max(z, 0) - z y + log(1 + e^-|z|)``, the same number as BCE(sigmoid(z), y) for moderate z and
    finite for any z.

    >>> round(binary_cross_entropy_with_logits([1000.0], [0.0]), 1)
    1000.0
    """
    z, t = _pair(z, target, "binary_cross_entropy_with_logits", ("z", "target"))
    _check_binary(t, "binary_cross_entropy_with_logits")
    with np.errstate(all="ignore"):
        value = np.mean(np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z))))
    return float(finite_result(value, "binary_cross_entropy_with_logits: the loss", "use smaller scores"))


def binary_cross_entropy_with_logits_grad(z, target) -> np.ndarray:
    """dBCE/dz for a sigmoid output: ``(sigmoid(z) - y) / N``, the famous "prediction minus label"."""
    z, t = _pair(z, target, "binary_cross_entropy_with_logits_grad", ("z", "target"))
    _check_binary(t, "binary_cross_entropy_with_logits_grad")
    return (sigmoid(z) - t) / z.size


# ----------------------------------------------------------------------------------------------- softmax cross-entropy

def one_hot(labels, n_classes: int | None = None) -> np.ndarray:
    """Class numbers ``(n,)`` to one-hot rows ``(n, n_classes)``.

    >>> one_hot([0, 2, 1])
    array([[1., 0., 0.],
           [0., 0., 1.],
           [0., 1., 0.]])
    """
    k = None if n_classes is None else as_int(n_classes, "n_classes", minimum=1, maximum=1000, example="3")
    y = as_labels(labels, "one_hot: labels", n_classes=k)
    if y.size == 0:
        raise ValueError("one_hot takes a non-empty list of class numbers of shape (n,); got an empty one.")
    k = int(y.max()) + 1 if k is None else k
    out = np.zeros((y.size, k))
    out[np.arange(y.size), y] = 1.0
    return out


def _logits_and_targets(logits, labels, what):
    z = as_float_array(logits, f"{what}: logits (the scores)", finite=False)
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"{what}: logits (the scores) must have shape (n_samples, n_classes) with at least 2 "
                         f"classes; got {z.shape}.")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"{what}: logits (the scores) contain NaN or infinity (did training diverge?).")
    y = as_float_array(labels, f"{what}: labels")
    if y.ndim == 1:
        if y.shape[0] != z.shape[0]:
            raise ValueError(f"{what}: {z.shape[0]} rows of logits but {y.shape[0]} labels; give one label per row; "
                             f"got logits of shape {z.shape}.")
        y = one_hot(as_labels(y, f"{what}: labels", n_classes=z.shape[1]), z.shape[1])
    else:
        if y.shape != z.shape:
            raise ValueError(f"{what}: one-hot targets must have the scores' shape {z.shape}; got {y.shape}.")
        if np.any(y < 0) or not np.allclose(y.sum(axis=1), 1.0):
            raise ValueError(f"{what}: each row of targets must be probabilities summing to 1 (one-hot rows).")
    return z, y


def softmax_cross_entropy(logits, labels) -> float:
    """Cross-entropy of ``softmax(logits)`` against class numbers ``(n,)`` or one-hot rows, averaged over rows.

    Computed with log-sum-exp, so huge scores do not overflow.

    >>> round(softmax_cross_entropy([[2.0, 1.0, 0.1]], [0]), 4)
    0.417
    """
    z, y = _logits_and_targets(logits, labels, "softmax_cross_entropy")
    with np.errstate(over="ignore"):  # scores more than 1.8e308 apart: -inf here, whose exp is exactly 0
        shifted = z - z.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    # only the target classes count: 0 * log(0) would be NaN, so the classes with target 0 are left out
    with np.errstate(invalid="ignore", over="ignore"):
        picked = np.where(y > 0, y * log_probs, 0.0)
        value = -np.sum(picked) / z.shape[0]
    return float(finite_result(value, "softmax_cross_entropy: the loss", "the true class's score is more than "
                               "1.8e308 below the best one; use smaller scores"))


def softmax_cross_entropy_grad(logits, labels) -> np.ndarray:
    """dLoss/dlogits = ``(softmax(logits) - one_hot) / n``: again prediction minus label."""
    z, y = _logits_and_targets(logits, labels, "softmax_cross_entropy_grad")
    return (softmax(z, axis=1) - y) / z.shape[0]


# ----------------------------------------------------------------------------------------------- hinge

def hinge(scores, target) -> float:
    """Hinge (max-margin) loss, labels -1 or +1: mean of ``max(0, 1 - y * score)``.

    >>> hinge([2.0, 0.5, -1.0], [1, 1, 1])
    0.8333333333333334
    """
    s, t = _pair(scores, target, "hinge", ("scores", "target"))
    if not np.all(np.isin(t, (-1.0, 1.0))):
        raise ValueError(f"hinge: target must be labels -1 or +1; got {np.unique(t)[:4].tolist()}. Turn 0/1 labels "
                         "into -1/+1 with 2 * y - 1.")
    with np.errstate(all="ignore"):
        value = np.mean(np.maximum(0.0, 1.0 - t * s))
    return float(finite_result(value, "hinge: the mean margin", "use smaller scores"))


def hinge_grad(scores, target) -> np.ndarray:
    """dHinge/dscore = ``-y / N`` where the margin ``y * score`` is below 1, else 0."""
    s, t = _pair(scores, target, "hinge_grad", ("scores", "target"))
    if not np.all(np.isin(t, (-1.0, 1.0))):
        raise ValueError(f"hinge_grad: target must be labels -1 or +1; got {np.unique(t)[:4].tolist()}. Turn 0/1 "
                         "labels into -1/+1 with 2 * y - 1.")
    return np.where(t * s < 1.0, -t, 0.0) / s.size


# ----------------------------------------------------------------------------------------------- registry

class Loss(NamedTuple):
    """A loss with its gradient, looked up by name with :func:`get_loss`."""

    name: str
    function: Callable
    gradient: Callable
    takes: str


LOSSES = {
    loss.name: loss
    for loss in [
        Loss("mse", mse, mse_grad, "any prediction"),
        Loss("bce", binary_cross_entropy, binary_cross_entropy_grad, "probabilities (a sigmoid output)"),
        Loss("bce_logits", binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad,
             "scores z before the sigmoid"),
        Loss("softmax_ce", softmax_cross_entropy, softmax_cross_entropy_grad, "scores before the softmax"),
        Loss("hinge", hinge, hinge_grad, "scores, labels -1/+1"),
    ]
}


def get_loss(name) -> Loss:
    """The :class:`Loss` called ``name``: "mse", "bce", "bce_logits", "softmax_ce" or "hinge".

    >>> get_loss("mse").gradient([1.0], [0.0])
    array([2.])
    """
    if isinstance(name, Loss):
        return name
    key = as_choice(name, "loss", tuple(LOSSES), {"binary_cross_entropy": "bce", "cross_entropy": "softmax_ce",
                                                   "mean_squared_error": "mse"})
    return LOSSES[key]
