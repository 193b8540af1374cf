"""Activation functions and their derivatives, vectorised over NumPy arrays and stable at the extremes.

Each function takes ``z`` (a number or an array of pre-activations) and returns an array of the same shape.
Look one up by name with :func:`get_activation`::

    >>> act = get_activation("sigmoid")
    >>> act.function([0.0]), act.derivative([0.0])
    (array([0.5]), array([0.25]))
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import numpy as np

from nbhelpers._validate import as_choice, as_float_array, as_int, as_scalar

__all__ = [
    "sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu", "relu_derivative",
    "leaky_relu", "leaky_relu_derivative", "linear", "linear_derivative", "step", "step_derivative",
    "gelu", "gelu_derivative", "softmax", "softmax_jacobian", "Activation", "ACTIVATIONS", "get_activation",
    "ELEMENTWISE",
]


def _as_array(z) -> np.ndarray:
    """The pre-activations as a float array: numbers only, finite (NaN in, NaN out would hide a bug upstream)."""
    return as_float_array(z, "z (the pre-activation)")


def _as_alpha(alpha) -> float:
    """The leaky slope as a float in [0, 1], or one clear error."""
    return as_scalar(alpha, "alpha (the slope for negative inputs)", minimum=0, maximum=1, example="0.01")


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), computed so that no exponential overflows.

    >>> np.round(sigmoid([-2, 0, 2]), 4)
    array([0.1192, 0.5   , 0.8808])
    """
    z = _as_array(z)
    # For z >= 0 use 1/(1+e^-z); for z < 0 the equal form e^z/(1+e^z). Each exponent is <= 0.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)); at most 0.25, at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Hyperbolic tangent, range (-1, 1).

    >>> np.round(tanh([-2, 0, 2]), 4)
    array([-0.964,  0.   ,  0.964])
    """
    return np.tanh(_as_array(z))


def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)^2."""
    return 1.0 - np.tanh(_as_array(z)) ** 2


def relu(z):
    """Rectified linear unit max(0, z)."""
    return np.maximum(0.0, _as_array(z))


def relu_derivative(z):
    """1 where z > 0, else 0 (we take 0 at z = 0, as most libraries do)."""
    return (_as_array(z) > 0).astype(float)


def leaky_relu(z, alpha: float = 0.01):
    """z for z > 0, alpha * z otherwise: negative inputs keep a small slope, so the unit cannot die."""
    z = _as_array(z)
    return np.where(z > 0, z, _as_alpha(alpha) * z)


def leaky_relu_derivative(z, alpha: float = 0.01):
    """1 where z > 0, else alpha."""
    return np.where(_as_array(z) > 0, 1.0, _as_alpha(alpha))


def linear(z):
    """The identity: no activation at all (used for regression outputs)."""
    return _as_array(z).copy()


def linear_derivative(z):
    """Derivative of the identity: 1 everywhere."""
    return np.ones_like(_as_array(z))


def step(z):
    """Heaviside step: 1 where z >= 0, else 0 (the perceptron's all-or-nothing activation)."""
    return (_as_array(z) >= 0).astype(float)


def step_derivative(z):
    """0 everywhere (undefined at 0): why a step cannot be trained by gradient descent."""
    return np.zeros_like(_as_array(z))


_GELU_C = np.sqrt(2.0 / np.pi)
# Beyond |z| = 10 the tanh below is exactly +-1 in float64, so clipping there changes no result and keeps z**3
# from overflowing for huge inputs.
_GELU_CLIP = 10.0


def gelu(z):
    """GELU, tanh approximation: 0.5 z (1 + tanh(sqrt(2/pi) (z + 0.044715 z^3))).

    A smooth ReLU with a small dip below zero (minimum about -0.17 near z = -0.75).

    >>> np.round(gelu([-1.0, 0.0, 1.0]), 4)
    array([-0.1588,  0.    ,  0.8412])
    """
    z = _as_array(z)
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    return 0.5 * z * (1.0 + np.tanh(_GELU_C * (zc + 0.044715 * zc**3)))


def gelu_derivative(z):
    """Derivative of the tanh-approximated GELU."""
    z = _as_array(z)
    zc = np.clip(z, -_GELU_CLIP, _GELU_CLIP)
    t = np.tanh(_GELU_C * (zc + 0.044715 * zc**3))
    return 0.5 * (1.0 + t) + 0.5 * zc * (1.0 - t**2) * _GELU_C * (1.0 + 3 * 0.044715 * zc**2)


def softmax(z, axis: int = -1):
    """Softmax along ``axis``: exponentiate, then divide by the sum. Stable: subtracts the max first.

    >>> np.round(softmax([[2.0, 1.0, 0.1]]), 4)
    array([[0.659 , 0.2424, 0.0986]])
    """
    z = _as_array(z)
    if z.ndim == 0:
        raise ValueError("softmax needs a vector of scores, e.g. [2.0, 1.0, 0.1]; got a single number.")
    axis = as_int(axis, "axis (of softmax)", minimum=-z.ndim, maximum=z.ndim - 1, example="-1",
                  hint="Use axis=-1 (the default) for one row of scores per sample.")
    if z.shape[axis] == 0:
        raise ValueError(f"softmax needs at least one score along axis {axis}; got shape {z.shape}.")
    with np.errstate(over="ignore"):  # scores more than 1.8e308 apart: the difference is -inf, its exp exactly 0
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(z):
    """Jacobian of softmax over the last axis: J[..., i, j] = s_i (delta_ij - s_j), shape (..., k, k).

    >>> np.round(softmax_jacobian([0.0, 0.0]), 3)
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    s = softmax(z, axis=-1)
    return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])


class Activation(NamedTuple):
    """An activation with its derivative and the facts a learner needs to pick it."""

    name: str
    function: Callable
    derivative: Callable
    output_range: str
    use: str


ACTIVATIONS = {
    a.name: a
    for a in [
        Activation("sigmoid", sigmoid, sigmoid_derivative, "(0, 1)", "binary-classification output; soft on/off switches"),
        Activation("tanh", tanh, tanh_derivative, "(-1, 1)", "hidden layers of small networks (zero-centred)"),
        Activation("relu", relu, relu_derivative, "[0, inf)", "default for hidden layers"),
        Activation("leaky_relu", leaky_relu, leaky_relu_derivative, "(-inf, inf)", "hidden layers, avoids dead units"),
        Activation("linear", linear, linear_derivative, "(-inf, inf)", "regression output"),
        Activation("step", step, step_derivative, "{0, 1}", "the historical perceptron; not trainable by gradients"),
        Activation("gelu", gelu, gelu_derivative, "about [-0.17, inf)", "hidden layers of transformers"),
        Activation("softmax", softmax, softmax_jacobian, "(0, 1), sums to 1", "multi-class output"),
    ]
}


#: The activations that act on each number separately (every one except softmax), in teaching order.
ELEMENTWISE = tuple(name for name in ACTIVATIONS if name != "softmax")


def get_activation(name):
    """Return the :class:`Activation` called ``name`` (for example "sigmoid", "tanh", "relu").

    Raises a clear ``ValueError`` that lists the valid names when ``name`` is unknown.

    >>> get_activation("relu").output_range
    '[0, inf)'
    """
    if isinstance(name, Activation):
        return name
    key = as_choice(name, "activation", tuple(ACTIVATIONS),
                    {"identity": "linear", "none": "linear", "logistic": "sigmoid", "leakyrelu": "leaky_relu"})
    return ACTIVATIONS[key]
