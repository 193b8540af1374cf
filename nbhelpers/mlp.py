"""Chapter 6: a multi-layer perceptron (MLP) on the array engine of chapter 5.

``MLP(2, [8, 8, 1])`` reads "2 inputs, two hidden layers of 8 neurons, 1 output". Every hidden layer computes
``activation(X @ W + b)``; the last layer is linear and returns one *score* per output (the loss turns scores
into probabilities). Weights and biases are :class:`~nbhelpers.tensor.Tensor` objects, so the optimizers of
chapter 3 train them directly::

    >>> model = MLP(2, [8, 8, 1], seed=0)
    >>> model
    MLP(2, [8, 8, 1], activation='relu'): 105 parameters
    >>> scores = model(np.zeros((5, 2))); scores.shape
    (5, 1)

For speed, a layer is *one* node of the graph (:func:`dense`): its forward value and, right beside it, its
backward rule, exactly what ``(X @ W + b).relu()`` builds from four smaller nodes (the tests check that the two
agree, gradients included). The optional extras of the chapter's "making training work" section live here too:
the initialisation (``init``), ``dropout`` and ``batch_norm``.
"""

from __future__ import annotations

import math

import numpy as np

from nbhelpers._validate import as_bool, as_choice, as_float_array, as_int, as_int_list, as_scalar, as_seed, describe
from nbhelpers.divergence import DivergenceError
from nbhelpers.tensor import Tensor, _node

__all__ = ["MLP", "Layer", "dense", "batch_norm", "dropout", "INITS", "init_std", "HIDDEN_ACTIVATIONS"]

#: Activations a hidden layer may use.
HIDDEN_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "linear")

#: Ways to set the starting weights: the two good rules, and three bad ones the chapter demonstrates.
INITS = {
    "auto": "He for relu / leaky_relu, Xavier for the others",
    "he": "normal, std sqrt(2 / n_in): keeps the signal's size through relu layers",
    "xavier": "normal, std sqrt(2 / (n_in + n_out)) (Glorot): for tanh and sigmoid",
    "small": "normal, std 0.01: the signal (and the gradient) shrinks layer after layer",
    "large": "normal, std 1: tanh and sigmoid saturate, relu outputs blow up",
    "zeros": "all zero: every neuron of a layer stays identical forever",
}


def _activation_name(name, what: str = "hidden-layer activation") -> str:
    return as_choice(name, what, HIDDEN_ACTIVATIONS, {"identity": "linear", "none": "linear",
                                                      "leakyrelu": "leaky_relu", "logistic": "sigmoid"})


def init_std(init, n_in: int, n_out: int, activation: str = "relu") -> float:
    """Standard deviation of the normal distribution a layer's weights start from, for rule ``init``.

    >>> round(float(init_std("he", 8, 8)), 4), round(float(init_std("xavier", 8, 8)), 4)
    (0.5, 0.3536)
    """
    n_in, n_out = as_int(n_in, "n_in", minimum=1, example="8"), as_int(n_out, "n_out", minimum=1, example="8")
    activation = _activation_name(activation)
    if not isinstance(init, str):
        return as_scalar(init, "init (as a number: the weights' standard deviation)", minimum=0, maximum=1e3,
                         example="0.1, or a name such as 'he'")
    key = as_choice(init, "init", tuple(INITS))
    if key == "auto":
        key = "he" if activation in ("relu", "leaky_relu") else "xavier"
    return {"he": np.sqrt(2.0 / n_in), "xavier": np.sqrt(2.0 / (n_in + n_out)), "small": 0.01, "large": 1.0,
            "zeros": 0.0}[key]


# ----------------------------------------------------------------------------------------------- fused ops

def _apply(z: np.ndarray, activation: str) -> np.ndarray:
    """The activation of a fresh array ``z`` (relu and tanh overwrite it: one pass less over a big batch)."""
    if activation == "relu":
        return np.maximum(z, 0.0, out=z)
    if activation == "tanh":
        return np.tanh(z, out=z)
    if activation == "sigmoid":
        e = np.exp(-np.abs(z))
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    if activation == "leaky_relu":
        return np.where(z > 0, z, 0.01 * z)
    return z


def _slope(out: np.ndarray, activation: str):
    """The activation's derivative, written in terms of its *output* (all five allow it)."""
    if activation == "relu":
        return out > 0
    if activation == "tanh":
        return 1.0 - out * out
    if activation == "sigmoid":
        return out * (1.0 - out)
    if activation == "leaky_relu":
        return np.where(out > 0, 1.0, 0.01)
    return None


_DENSE_NAMES = {name: f"dense:{name}" for name in HIDDEN_ACTIVATIONS}  # each layer node's op


def dense(X, W: Tensor, b: Tensor, activation: str = "linear") -> Tensor:
    """``activation(X @ W + b)`` as one node of the graph: a fully connected layer.

    ``X`` may be a Tensor (it then receives a gradient) or a plain array (the network's input: no gradient is
    computed for it, which saves one matrix product per step).

    >>> W, b = Tensor([[1.0], [-1.0]]), Tensor([0.5])
    >>> dense(np.array([[2.0, 3.0]]), W, b, "relu").data.tolist()   # relu(2 - 3 + 0.5)
    [[0.0]]
    """
    activation = _activation_name(activation, "activation of dense")
    if not isinstance(W, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"dense takes the weights W and biases b as Tensors; got {describe(W)} and {describe(b)}.")
    track_x = isinstance(X, Tensor)
    x = X.data if track_x else as_float_array(X, "X", shape=(None, W.shape[0]) if W.ndim == 2 else None)
    if W.ndim != 2 or b.shape != (W.shape[1],) or x.ndim != 2 or x.shape[1] != W.shape[0]:
        raise ValueError(f"dense needs X (n, n_in), W (n_in, n_out) and b (n_out,); got X {x.shape}, W {W.shape} and "
                         f"b {b.shape}.")
    with np.errstate(over="ignore", invalid="ignore"):
        return _dense(X, x, W, b, activation, track_x)


def _dense(X, x: np.ndarray, W: Tensor, b: Tensor, activation: str, track_x: bool) -> Tensor:
    """:func:`dense` without its argument checks, for callers that checked them once (``MLP.__call__``): ``x``
    is ``X``'s array, already a float array of shape (n, n_in); the caller holds ``np.errstate``."""
    z = x @ W.data
    z += b.data  # in place: no second (n, n_out) array
    out = np.maximum(z, 0.0, out=z) if activation == "relu" else _apply(z, activation)  # (relu: one call less)
    if not math.isfinite(np.vdot(out, out)) and not np.isfinite(out).all():  # (the sum of squares first: cheaper,
        # and finite exactly when every value is, unless the squares overflow) training reports the divergence
        raise DivergenceError("dense: the layer's outputs overflowed to infinity or NaN, so its weights or inputs are "
                              "far too large (training diverged?); lower the learning rate, or scale X.")

    def grad_fn(g):
        slope = out > 0 if activation == "relu" else _slope(out, activation)
        gz = g if slope is None else g * slope  # back through the activation
        if track_x:  # dX, then dW and db (the sum over the batch)
            return gz @ W.data.T, x.T @ gz, np.add.reduce(gz, 0)
        return x.T @ gz, np.add.reduce(gz, 0)

    return _node(out, (X, W, b) if track_x else (W, b), grad_fn, _DENSE_NAMES[activation])


def batch_norm(Z: Tensor, gamma: Tensor, beta: Tensor, eps: float = 1e-5):
    """Batch normalisation in training mode, as one node: ``gamma * (Z - mean) / sqrt(var + eps) + beta``.

    Mean and variance are taken over the batch (axis 0), per column. Returns ``(out, mean, var)``: the caller
    keeps running averages of ``mean`` and ``var`` for evaluation.
    """
    if not all(isinstance(t, Tensor) for t in (Z, gamma, beta)):
        raise TypeError("batch_norm takes Z, gamma and beta as Tensors.")
    if Z.ndim != 2 or Z.shape[0] < 2 or gamma.shape != (Z.shape[1],) or beta.shape != (Z.shape[1],):
        raise ValueError(f"batch_norm needs Z of shape (n >= 2, k) and gamma, beta of shape (k,); got Z {Z.shape}, "
                         f"gamma {gamma.shape}, beta {beta.shape}.")
    eps = as_scalar(eps, "eps", minimum=0, maximum=1, min_open=True, example="1e-5")
    z = Z.data
    mean = z.mean(axis=0)
    var = z.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (z - mean) * inv_std
    n = z.shape[0]

    def grad_fn(g):
        dxhat = g * gamma.data
        dz = inv_std / n * (n * dxhat - dxhat.sum(axis=0) - xhat * (dxhat * xhat).sum(axis=0))
        return dz, (g * xhat).sum(axis=0), g.sum(axis=0)

    return Tensor(gamma.data * xhat + beta.data, (Z, gamma, beta), grad_fn, "batch_norm"), mean, var


def dropout(H: Tensor, p: float, rng: np.random.Generator) -> Tensor:
    """Inverted dropout, as one node: zero each value with probability ``p``, scale the rest by 1 / (1 - p)."""
    if not isinstance(H, Tensor):
        raise TypeError(f"dropout takes a Tensor; got {describe(H)}.")
    p = as_scalar(p, "p (the fraction dropped)", minimum=0, maximum=1, max_open=True, example="0.2")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0); got {describe(rng)}.")
    mask = (rng.random(H.shape) >= p) / (1.0 - p)
    return Tensor(H.data * mask, (H,), lambda g: (g * mask,), "dropout")


# ----------------------------------------------------------------------------------------------- layers

class Layer:
    """One fully connected layer: weights ``W`` (n_in, n_out), biases ``b`` (n_out,), then ``activation``.

    With ``batch_norm=True`` the weighted sums are normalised over the batch (with a learned scale ``gamma``
    and shift ``beta``) before the activation; ``dropout=p`` zeroes a fraction ``p`` of the outputs while
    training.
    """

    def __init__(self, n_in: int, n_out: int, activation: str = "relu", *, rng: np.random.Generator,
                 init="auto", batch_norm: bool = False, dropout: float = 0.0, init_for: str | None = None):
        n_in = as_int(n_in, "n_in", minimum=1, maximum=100_000, example="2")
        n_out = as_int(n_out, "n_out", minimum=1, maximum=100_000, example="8")
        if n_in * n_out > 10**8:
            raise ValueError(f"a layer of {n_in} x {n_out} weights is far too large for this course; keep n_in * n_out "
                             "under 100 million.")
        self.activation = activation = _activation_name(activation, "layer activation")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0); got {describe(rng)}.")
        batch_norm = as_bool(batch_norm, "batch_norm")
        dropout = as_scalar(dropout, "dropout (the fraction dropped)", minimum=0, maximum=1, max_open=True,
                            example="0.2")
        init_for = activation if init_for is None else _activation_name(init_for, "init_for")
        std = init_std(init, n_in, n_out, init_for)  # init_for: the network's hidden activation
        self.W = Tensor(rng.normal(0.0, std, (n_in, n_out)) if std > 0 else np.zeros((n_in, n_out)))
        self.b = Tensor(np.zeros(n_out))
        self.batch_norm = bool(batch_norm)
        self.dropout = float(dropout)
        if self.batch_norm:
            self.gamma, self.beta = Tensor(np.ones(n_out)), Tensor(np.zeros(n_out))
            self.running_mean, self.running_var = np.zeros(n_out), np.ones(n_out)

    def parameters(self) -> list:
        return [self.W, self.b] + ([self.gamma, self.beta] if self.batch_norm else [])

    def forward(self, X, training: bool, rng: np.random.Generator) -> Tensor:
        training = as_bool(training, "training")
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy Generator such as np.random.default_rng(0); got {describe(rng)}.")
        if not isinstance(X, Tensor):
            X = as_float_array(X, "X", shape=(None, self.W.shape[0]))
        if not self.batch_norm:
            H = dense(X, self.W, self.b, self.activation)
        else:
            Z = dense(X, self.W, self.b, "linear")
            if training and Z.shape[0] > 1:
                Z, mean, var = batch_norm(Z, self.gamma, self.beta)
                self.running_mean = 0.9 * self.running_mean + 0.1 * mean
                self.running_var = 0.9 * self.running_var + 0.1 * var
            else:
                scale = self.gamma * (1.0 / np.sqrt(self.running_var + 1e-5))
                Z = (Z - self.running_mean) * scale + self.beta
            H = _activate_tensor(Z, self.activation)
        if training and self.dropout > 0:
            H = dropout(H, self.dropout, rng)
        return H

    def forward_numpy(self, x: np.ndarray) -> np.ndarray:
        """The same layer in evaluation mode, with plain NumPy (no graph): for predictions and pictures."""
        x = as_float_array(x, "x", shape=(None, self.W.shape[0]), hint="One row per sample.")
        with np.errstate(all="ignore"):  # an overflow shows as inf, which the caller (training) reports
            z = x @ self.W.data + self.b.data
        if self.batch_norm:
            z = (z - self.running_mean) / np.sqrt(self.running_var + 1e-5) * self.gamma.data + self.beta.data
        return _apply(z, self.activation)


def _activate_tensor(Z: Tensor, activation: str) -> Tensor:
    if activation == "linear":
        return Z
    if activation == "leaky_relu":
        return Z.leaky_relu(0.01)
    return getattr(Z, activation)()


class MLP:
    """A multi-layer perceptron: ``MLP(n_inputs, layer_sizes)``, the last size being the number of outputs.

    Parameters
    ----------
    n_inputs : int
        Numbers per sample (2 for points on the plane; more with extra input features; 64 for 8x8 digits).
    layer_sizes : list of int
        Neurons per layer; the last entry is the output layer (1 score for two classes, k for k classes).
        ``[8, 8, 1]``: two hidden layers of 8 and one output.
    activation : str
        For the hidden layers: "relu" (default), "tanh", "sigmoid", "leaky_relu" or "linear". The output
        layer is always linear.
    seed : int
        Seeds the starting weights (and dropout's random masks): the same seed gives the same network.
    init : str or float
        Starting weights (the same rule for every layer, chosen by the hidden activation): "auto" (default: He
        for relu and leaky_relu, Xavier otherwise), "he", "xavier", or the bad ones the
        chapter shows, "small", "large", "zeros"; a number is used as the standard deviation.
    dropout : float
        Fraction of each hidden layer's outputs zeroed at random while training (0 = off).
    batch_norm : bool
        Normalise each hidden layer's weighted sums over the batch before the activation.

    Calling the model on ``X`` of shape (n, n_inputs) returns a Tensor of scores, shape (n, n_outputs).
    ``model.train()`` / ``model.eval()`` switch dropout and batch norm between training and evaluation.
    """

    def __init__(self, n_inputs: int, layer_sizes, activation: str = "relu", seed: int = 0, *, init="auto",
                 dropout: float = 0.0, batch_norm: bool = False):
        self.n_inputs = as_int(n_inputs, "n_inputs (the number of inputs)", minimum=1, maximum=100_000, example="2")
        if isinstance(layer_sizes, (int, np.integer)) and not isinstance(layer_sizes, bool):
            layer_sizes = [layer_sizes]
        self.layer_sizes = as_int_list(layer_sizes, "layer_sizes", example="[8, 8, 1]", nonempty=False)
        if not self.layer_sizes:
            raise ValueError("layer_sizes needs at least the output layer, e.g. [1] (a linear model) or [8, 8, 1].")
        if max(self.layer_sizes) > 100_000 or len(self.layer_sizes) > 100:
            raise ValueError(f"layer_sizes {self.layer_sizes!r:.60} is far too large for this course's networks; use "
                             "at most 100 layers of at most 100,000 neurons.")
        self.activation = _activation_name(activation)
        self.seed = as_seed(seed, "seed", allow_none=False, allow_generator=False)
        dropout = as_scalar(dropout, "dropout (the fraction of outputs dropped)", minimum=0, maximum=1, max_open=True,
                            example="0.2")
        self.init, self.dropout, self.batch_norm = init, dropout, as_bool(batch_norm, "batch_norm")
        init_std(init, 1, 1, self.activation)  # validate early, with one clear message
        rng = np.random.default_rng(self.seed)
        fan_in = [self.n_inputs] + self.layer_sizes[:-1]
        last = len(self.layer_sizes) - 1
        self.layers = [
            Layer(n_in, n_out, "linear" if i == last else self.activation, rng=rng, init=init,
                  batch_norm=self.batch_norm and i != last, dropout=0.0 if i == last else dropout,
                  init_for=self.activation)
            for i, (n_in, n_out) in enumerate(zip(fan_in, self.layer_sizes))
        ]
        self._rng = np.random.default_rng(self.seed + 1)  # dropout masks
        self.training = True

    # -- the model's interface, the same as chapter 4's network and chapter 5's scalar MLP
    def __call__(self, X) -> Tensor:
        if type(X) is np.ndarray and X.dtype.char == "d" and X.ndim == 2 and X.shape[1] == self.n_inputs \
                and math.isfinite(np.vdot(X, X)):
            H = X  # what _check_input returns for a finite float array of the right shape, found cheaply
        else:
            H = X if isinstance(X, Tensor) else self._check_input(X)
            if isinstance(H, Tensor):
                self._check_input(H.data)
        for layer in self.layers:
            if layer.batch_norm or layer.dropout:
                for layer in self.layers:
                    H = layer.forward(H, self.training, self._rng)
                return H
        # the common case, plain layers: X was checked once above, so each layer runs unchecked
        with np.errstate(over="ignore", invalid="ignore"):
            for layer in self.layers:
                track = isinstance(H, Tensor)
                H = _dense(H, H.data if track else H, layer.W, layer.b, layer.activation, track)
        return H

    def parameters(self) -> list:
        """Every trainable Tensor, layer by layer: [W1, b1, W2, b2, ...]."""
        return [p for layer in self.layers for p in layer.parameters()]

    def weights(self) -> list:
        """The weight matrices only (what L2 weight decay shrinks; biases are left alone)."""
        return [layer.W for layer in self.layers]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero (backward passes add into ``.grad``)."""
        for p in self.parameters():
            p.zero_grad()

    def train(self) -> MLP:
        """Training mode: dropout drops, batch norm uses the batch's statistics."""
        self.training = True
        return self

    def eval(self) -> MLP:
        """Evaluation mode: dropout off, batch norm uses its running averages."""
        self.training = False
        return self

    # -- fast predictions (no graph): evaluation mode, plain NumPy
    def predict_scores(self, X) -> np.ndarray:
        """Scores for ``X`` as a NumPy array of shape (n, n_outputs), in evaluation mode, without a graph."""
        h = self._check_input(X)
        for layer in self.layers:
            h = layer.forward_numpy(h)
        return h

    def _predict_unchecked(self, x: np.ndarray) -> np.ndarray:
        """:meth:`predict_scores` for a float array ``x`` of shape (n, n_inputs) already checked by the caller
        (the Trainer, once): evaluation mode, plain NumPy, the caller holds ``np.errstate``."""
        if any(layer.batch_norm for layer in self.layers):
            return self.predict_scores(x)
        h = x
        for layer in self.layers:
            h = _apply(h @ layer.W.data + layer.b.data, layer.activation)
        return h

    def hidden_outputs(self, X, layer: int = 0) -> np.ndarray:
        """What the neurons of hidden layer ``layer`` (0 = the first) output for ``X``: shape (n, neurons)."""
        if len(self.layers) < 2:
            raise ValueError("this model has no hidden layer (it is linear): there are no hidden outputs.")
        layer = as_int(layer, "layer (the index of a hidden layer)", minimum=0, maximum=len(self.layers) - 2,
                       example="0")
        h = self._check_input(X)
        for lay in self.layers[: layer + 1]:
            h = lay.forward_numpy(h)
        return h

    # -- saving and restoring the weights (early stopping, rolling back a diverged step)
    def get_state(self) -> list:
        """A copy of every parameter (and batch-norm running average), to restore later with set_state."""
        state = [p.data.copy() for p in self.parameters()]
        for layer in self.layers:
            if layer.batch_norm:
                state += [layer.running_mean.copy(), layer.running_var.copy()]
        return state

    def set_state(self, state) -> None:
        """Put back parameters saved by :meth:`get_state`."""
        if not isinstance(state, (list, tuple)):
            raise TypeError(f"state must be the list that get_state() returned; got {describe(state)}.")
        params = self.parameters()
        extra = [layer for layer in self.layers if layer.batch_norm]
        if len(state) != len(params) + 2 * len(extra):
            raise ValueError("this state was saved from a different network (the number of arrays differs).")
        for p, saved in zip(params, state):
            if p.data.shape != np.shape(saved):
                raise ValueError(f"this state was saved from a different network: shape {np.shape(saved)} "
                                 f"where {p.data.shape} is needed.")
            p.data[...] = saved
        rest = state[len(params):]
        for i, layer in enumerate(extra):
            layer.running_mean, layer.running_var = rest[2 * i].copy(), rest[2 * i + 1].copy()

    @property
    def n_outputs(self) -> int:
        return self.layer_sizes[-1]

    @property
    def n_parameters(self) -> int:
        """How many numbers training adjusts."""
        return int(sum(p.size for p in self.parameters()))

    def __repr__(self):
        extras = "".join([f", init={self.init!r}" if self.init != "auto" else "",
                          f", dropout={self.dropout:g}" if self.dropout else "",
                          ", batch_norm=True" if self.batch_norm else ""])
        return (f"MLP({self.n_inputs}, {self.layer_sizes}, activation={self.activation!r}{extras}): "
                f"{self.n_parameters} parameters")

    # -- input checks
    def _shape_message(self, shape) -> str:
        hint = " Did you mean X.reshape(1, -1)?" if len(shape) == 1 and shape[0] == self.n_inputs else ""
        return (f"X must have shape (n, {self.n_inputs}): one row per sample, {self.n_inputs} inputs each; "
                f"got {tuple(shape)}.{hint}")

    def _check_input(self, X) -> np.ndarray:
        if isinstance(X, Tensor):
            X = X.data
        x = as_float_array(X, "X")  # refuses text, None, complex, NaN and infinity: bad data, not a result
        if x.ndim != 2 or x.shape[1] != self.n_inputs:
            raise ValueError(self._shape_message(x.shape))
        return x
