"""Chapter 1, tested: a neuron, a layer, and the forward pass of a small network.

Conventions used throughout the course: one sample is a vector ``x`` of shape ``(n_inputs,)``; a batch is a
matrix ``X`` of shape ``(n_samples, n_inputs)``, one sample per row; a layer's weights ``W`` have shape
``(n_inputs, n_outputs)`` so that ``X @ W + b`` has one row per sample and one column per neuron.
"""

from __future__ import annotations

import numpy as np

from nbhelpers._validate import as_bool, as_float_array, as_scalar, finite_result
from nbhelpers.activations import get_activation

__all__ = ["neuron_forward", "Neuron", "layer_forward", "network_forward"]


def neuron_forward(x, w, b, activation="sigmoid"):
    """Output of one neuron: ``activation(w . x + b)``.

    Parameters
    ----------
    x : array of shape (n_inputs,) or (n_samples, n_inputs)
    w : array of shape (n_inputs,)
    b : number
    activation : str, name of an activation (see :func:`nbhelpers.activations.get_activation`)

    Examples
    --------
    >>> round(float(neuron_forward([2, 3], [0, 1], 4)), 7)
    0.9990889
    """
    w = as_float_array(w, "w", shape=(None,), hint="The weights are one number per input, e.g. [0, 1].")
    b = as_scalar(b, "b (the bias)")
    x = as_float_array(x, "x")
    if x.ndim not in (1, 2) or x.shape[-1] != w.shape[0]:
        raise ValueError(
            f"x must have {w.shape[0]} inputs to match the {w.shape[0]} weights in w, as shape "
            f"({w.shape[0]},) or (n_samples, {w.shape[0]}); got shape {x.shape}."
        )
    act = get_activation(activation)
    with np.errstate(all="ignore"):
        z = x @ w + b
    return act.function(finite_result(z, "the weighted sum w·x + b", "use smaller weights or inputs"))


class Neuron:
    """A neuron that remembers its weights, bias and activation.

    >>> n = Neuron([0, 1], 4)
    >>> round(float(n([2, 3])), 4)
    0.9991
    """

    def __init__(self, weights, bias, activation="sigmoid"):
        self.weights = as_float_array(weights, "weights", shape=(None,))
        self.bias = as_scalar(bias, "bias")
        self.activation = get_activation(activation).name

    def __call__(self, x):
        return neuron_forward(x, self.weights, self.bias, self.activation)

    def __repr__(self):
        return f"Neuron(weights={self.weights.tolist()}, bias={self.bias}, activation={self.activation!r})"


def layer_forward(X, W, b, activation="sigmoid"):
    """Forward pass of a dense layer: ``activation(X @ W + b)``.

    ``X`` is (n_samples, n_in) or a single sample (n_in,); ``W`` is (n_in, n_out); ``b`` is (n_out,).
    """
    W = as_float_array(W, "W", shape=(None, None), hint="W has one row per input and one column per neuron.")
    n_in, n_out = W.shape
    b = as_float_array(b, "b", shape=(n_out,), hint=f"One bias per neuron: {n_out} numbers.")
    X = as_float_array(X, "X")
    if X.ndim not in (1, 2) or X.shape[-1] != n_in:
        hint = " Did you mean X.reshape(-1, 1), one sample per row?" if X.ndim == 1 and n_in == 1 else ""
        raise ValueError(f"X must have shape (n_samples, {n_in}) to match W of shape {W.shape}; got {X.shape}.{hint}")
    act = get_activation(activation)
    with np.errstate(all="ignore"):
        Z = X @ W + b
    return act.function(finite_result(Z, "the weighted sums X @ W + b", "use smaller weights or inputs"))


def network_forward(x, layers, return_all=False):
    """Run ``x`` through ``layers``, a list of ``(W, b, activation)`` triples, first layer first.

    Returns the output, or with ``return_all=True`` the list ``[x, a1, a2, ...]`` of every layer's output.

    >>> W1, b1 = np.array([[0, 0], [1, 1]]), np.zeros(2)   # both hidden neurons have weights [0, 1]
    >>> W2, b2 = np.array([[0], [1]]), np.zeros(1)
    >>> np.round(network_forward([2, 3], [(W1, b1, "sigmoid"), (W2, b2, "sigmoid")]), 4)
    array([0.7216])
    """
    return_all = as_bool(return_all, "return_all")
    if not isinstance(layers, (list, tuple)) or not layers:
        raise TypeError("layers must be a non-empty list of (W, b, activation) triples, first layer first.")
    outputs = [as_float_array(x, "x")]
    for i, layer in enumerate(layers):
        if not isinstance(layer, (list, tuple)) or len(layer) != 3:
            raise TypeError(f"layer {i} must be a (W, b, activation) triple; got {layer!r:.60}.")
        W, b, activation = layer
        try:
            outputs.append(layer_forward(outputs[-1], W, b, activation))
        except ValueError as err:
            raise ValueError(f"layer {i}: {err}") from None
    return outputs if return_all else outputs[-1]
