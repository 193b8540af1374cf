"""A neuron, a layer and a multi-layer perceptron built from scalar ``Value``s (chapter 5).

Every weight is its own :class:`~nbhelpers.engine.Value`, so ``loss.backward()`` fills in every weight's
gradient. Slow (one Python object per number) but every step is visible; chapter 6 trains the same kind of
network with the array engine. A neuron records its weighted sum ``b + w1 x1 + ... + wn xn`` as one node with
2n + 1 inputs (see :meth:`Neuron._forward`): the same numbers as writing it out with ``*`` and ``+``, to the last
bit, with a graph about eight times smaller for a 2-16-16-1 network.

>>> model = MLP(2, [4, 1], activation="tanh", seed=0)
>>> out = model([0.5, -1.0])          # one output neuron: a single Value
>>> out.backward()
>>> len(model.parameters()), type(out).__name__
(17, 'Value')
"""

from __future__ import annotations

import math

import numbers

import numpy as np

from nbhelpers._validate import as_choice, as_int, as_scalar, as_seed, describe
from nbhelpers.engine import Value

__all__ = ["Module", "Neuron", "Layer", "MLP", "ACTIVATIONS"]

#: activations a neuron may use; "linear" means none (the weighted sum itself)
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


def _check_activation(name) -> str:
    return as_choice(name, "activation", ACTIVATIONS)


def _check_count(n, what: str) -> int:
    # one Python object per weight: 10,000 inputs or neurons is already slow
    return as_int(n, what, minimum=1, maximum=10_000, example="4")


def _check_rng(rng):
    if rng is not None and not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0), or None; got {describe(rng)}.")
    return rng if rng is not None else np.random.default_rng(0)


def _check_sample(x, n: int) -> list:
    """One sample as a list of ``n`` finite numbers or Values, checked once where it comes in (not per neuron)."""
    example = str([0.5, -1.0, 2.0, 0.0][:n]) if n <= 4 else f"a list of {n} numbers"
    if isinstance(x, (str, bytes)) or not hasattr(x, "__len__"):
        raise TypeError(f"x must be one sample as a list of {n} numbers (or Values); got {describe(x)}. Pass e.g. "
                        f"{example}, or one row of a data array: model(X[0].tolist()).")
    items = list(x)
    if len(items) != n:
        raise ValueError(f"x must be one sample: this model takes {n} inputs; got {len(items)}. Pass one row of "
                         f"{n} numbers; for many samples call the model once per row: [model(row) for row in X].")
    for i, v in enumerate(items):
        if (type(v) is float and v - v == 0.0) or isinstance(v, Value):  # the usual case, checked fast
            continue
        try:
            items[i] = as_scalar(v, f"x[{i}]")  # x must hold finite numbers: the shared validator says why not
        except TypeError as err:
            raise TypeError(f"{err} Replace that entry of x by a number (or a Value).") from None
        except ValueError as err:
            raise ValueError(f"{err} Replace that entry of x, or drop the sample (find such rows of a data array "
                             "with ~np.isfinite(X).all(axis=1)).") from None
    return items


class Module:
    """What every model part shares: ``parameters()`` and ``zero_grad()``."""

    def parameters(self) -> list:
        return []

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (``backward()`` *adds* to it, so reset before each pass)."""
        for p in self.parameters():
            p.grad = 0.0


class Neuron(Module):
    """``activation(w . x + b)`` with one Value per weight and one for the bias.

    Weights start random with spread ``sqrt(2 / n_inputs)`` for ReLU and ``sqrt(1 / n_inputs)`` otherwise, so
    the weighted sum neither explodes nor vanishes as layers stack; the bias starts at 0.
    """

    def __init__(self, n_inputs: int, activation: str = "relu", rng: np.random.Generator | None = None):
        n_inputs = _check_count(n_inputs, "n_inputs")
        self.activation = _check_activation(activation)
        rng = _check_rng(rng)
        scale = math.sqrt((2.0 if self.activation == "relu" else 1.0) / n_inputs)
        self.w = [Value(float(v)) for v in rng.normal(0.0, scale, size=n_inputs)]
        self.b = Value(0.0)

    def __call__(self, x):
        return self._forward(_check_sample(x, len(self.w)))

    def _forward(self, x: list):
        """The neuron on a sample that is already checked (a Layer checks it once for all its neurons).

        The weighted sum ``b + w1 x1 + ... + wn xn`` is recorded as *one* node with 2n + 1 inputs, made with the
        chapter's own constructor ``Value(result, inputs, local derivatives, name)``: the same products and sums in
        the same order as ``sum((wi * xi for ...), b)``, so the same number to the last bit, and the same local
        derivatives (dz/dwi = xi, dz/dxi = wi, dz/db = 1), but one object instead of 2n. Fewer objects is what
        makes the graph cheap to build, walk, and for Python's garbage collector to look through.
        """
        z, inputs, local = self.b.data, [self.b], [1.0]
        for wi, xi in zip(self.w, x):
            if xi.__class__ is Value:
                z += wi.data * xi.data
                inputs += (wi, xi)
                local += (xi.data, wi.data)
            else:  # a plain number (already checked): a constant, so only the weight needs a derivative
                z += wi.data * xi
                inputs.append(wi)
                local.append(xi)
        z = Value(z, tuple(inputs), tuple(local), "w·x+b")
        return z if self.activation == "linear" else getattr(z, self.activation)()

    def parameters(self):
        return self.w + [self.b]

    def __repr__(self):
        return f"Neuron({len(self.w)} inputs, {self.activation})"


class Layer(Module):
    """``n_outputs`` neurons that all read the same inputs; returns a list of Values."""

    def __init__(self, n_inputs: int, n_outputs: int, activation: str = "relu",
                 rng: np.random.Generator | None = None):
        n_outputs = _check_count(n_outputs, "n_outputs")
        rng = _check_rng(rng)
        self.neurons = [Neuron(n_inputs, activation, rng) for _ in range(n_outputs)]

    def __call__(self, x):
        return self._forward(_check_sample(x, len(self.neurons[0].w)))

    def _forward(self, x: list) -> list:
        return [neuron._forward(x) for neuron in self.neurons]

    def parameters(self):
        return [p for neuron in self.neurons for p in neuron.parameters()]

    def __repr__(self):
        n = self.neurons[0]
        return f"Layer({len(n.w)} -> {len(self.neurons)}, {n.activation})"


class MLP(Module):
    """A multi-layer perceptron of Values: ``MLP(2, [16, 16, 1])`` is 2 inputs, two hidden layers of 16, 1 output.

    Hidden layers use ``activation``; the last layer uses ``output_activation`` ("linear" by default, so the
    output is a raw score). Calling the model on one sample (a list of numbers or Values) returns a single
    Value when the last layer has one neuron, else a list of Values.

    Parameters
    ----------
    n_inputs : int
    layer_sizes : list of int
        Neurons per layer, the last entry being the number of outputs.
    activation : {"relu", "tanh", "sigmoid", "linear"}
    seed : int
        Seeds the random starting weights, so the same seed gives the same network.
    output_activation : str
        Activation of the last layer ("linear" by default).
    """

    def __init__(self, n_inputs: int, layer_sizes, activation: str = "relu", seed: int = 0,
                 output_activation: str = "linear"):
        n_inputs = _check_count(n_inputs, "n_inputs")
        if isinstance(layer_sizes, (int, np.integer)) or not hasattr(layer_sizes, "__len__") or not len(layer_sizes):
            raise ValueError(f"layer_sizes must be a non-empty list of layer widths such as [16, 16, 1]; "
                             f"got {layer_sizes!r}.")
        activation, output_activation = _check_activation(activation), _check_activation(output_activation)
        rng = np.random.default_rng(as_seed(seed, "seed", allow_none=False, allow_generator=False))
        sizes = [n_inputs] + [_check_count(n, "each layer size") for n in layer_sizes]
        last = len(sizes) - 2
        self.layers = [Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, rng)
                       for i in range(len(sizes) - 1)]

    def __call__(self, x):
        x = _check_sample(x, len(self.layers[0].neurons[0].w))
        for layer in self.layers:
            x = layer._forward(x)  # checked once above; every layer's output is a list of Values
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return "MLP(" + ", ".join(repr(layer) for layer in self.layers) + ")"
