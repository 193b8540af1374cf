"""Chapter 4, tested: a small network with hand-written backpropagation, one explicit layer at a time.

A :class:`Dense` layer computes ``a = f(X @ W + b)`` in ``forward`` and, in ``backward``, turns the gradient of
the loss with respect to its output, ``da``, into the gradients of its weights, its bias and its input::

    dz = da * f'(z)           # (n, n_out)   through the activation, element by element
    dW = X.T @ dz             # (n_in, n_out) one entry per weight, summed over the samples
    db = dz.sum(axis=0)       # (n_out,)     one entry per bias
    dX = dz @ W.T             # (n, n_in)    handed to the layer before

A :class:`Network` is a list of layers; its ``backward`` walks them from last to first.

**Gradients accumulate.** ``backward`` *adds* into every parameter's ``.grad`` (as PyTorch and this course's
``Tensor`` do), so a training step is always ``zero_grad(); forward; backward; step``. The optimizers of
:mod:`nbhelpers.optim` zero the same arrays with ``opt.zero_grad()``; ``net.zero_grad()`` does the same. Each
``forward`` allows one ``backward``: a second ``backward`` without a new ``forward`` raises an error instead of
silently doubling the gradients.

>>> net = Network([2, 16, 16, 1], activations=["relu", "relu", "linear"], seed=0)
>>> out = net.forward(np.ones((5, 2))); out.shape
(5, 1)
>>> dX = net.backward(np.ones((5, 1))); dX.shape, net.parameters()[0].grad.shape
((5, 2), (2, 16))
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nbhelpers._validate import (as_choice, as_float_array, as_int, as_int_list, as_scalar, as_seed, describe,
                                 finite_result)
from nbhelpers.activations import get_activation
from nbhelpers.divergence import DivergenceError, DivergenceWatch
from nbhelpers.optim import Parameter

__all__ = ["Dense", "Network", "BackwardError", "init_scale", "activation_derivative", "train_many", "ManyRuns"]

_RELU_LIKE = ("relu", "leaky_relu", "gelu")


class BackwardError(RuntimeError):
    """``backward`` was called without a matching ``forward`` (never, or a second time)."""


def init_scale(n_in: int, n_out: int, activation: str, init="auto") -> float:
    """Standard deviation of a layer's initial weights.

    ``init`` is "auto" (He for ReLU-like activations, Xavier otherwise), "xavier" (Glorot: sqrt(2 / (n_in + n_out))),
    "he" (sqrt(2 / n_in)), "small" (0.1) or a positive number used as the standard deviation itself.

    >>> init_scale(4, 4, "tanh"), init_scale(2, 16, "relu")
    (0.5, 1.0)
    """
    n_in, n_out = as_int(n_in, "n_in", minimum=1, example="2"), as_int(n_out, "n_out", minimum=1, example="2")
    activation = get_activation(activation).name
    if not isinstance(init, str):
        return as_scalar(init, "init (as a number: the weights' standard deviation)", minimum=0, maximum=1e3,
                         example="0.1, or a name such as 'xavier'")
    key = as_choice(init, "init", ("auto", "xavier", "he", "small", "glorot", "kaiming"))
    if key == "auto":
        key = "he" if activation in _RELU_LIKE else "xavier"
    if key in ("xavier", "glorot"):
        return float(np.sqrt(2.0 / (n_in + n_out)))
    if key in ("he", "kaiming"):
        return float(np.sqrt(2.0 / n_in))
    if key == "small":
        return 0.1
    raise ValueError(f"unknown init {init!r}; choose 'auto', 'xavier', 'he', 'small' or a number (a std).")


def activation_derivative(name: str, z, a):
    """f'(z) for an element-wise activation, written with its output ``a = f(z)`` where that is simplest.

    sigmoid: a (1 - a); tanh: 1 - a^2; relu: 1 where z > 0; linear: 1; others from ``nbhelpers.activations``.
    """
    name = get_activation(name).name
    z, a = as_float_array(z, "z"), as_float_array(a, "a (the activation's output)")
    if z.shape != a.shape:
        raise ValueError(f"z and a must have the same shape (a = f(z)); got {z.shape} and {a.shape}.")
    with np.errstate(all="ignore"):
        if name == "sigmoid":
            slope = a * (1.0 - a)
        elif name == "tanh":
            slope = 1.0 - a * a
        else:
            slope = None
    if slope is not None:
        return finite_result(slope, f"the {name} slope", "pass a = f(z), which lies in (-1, 1)")
    if name == "tanh":
        return 1.0 - a * a
    if name == "relu":
        return (z > 0).astype(float)
    if name == "linear":
        return np.ones_like(z)
    return get_activation(name).derivative(z)


def _accumulate(param: Parameter, grad: np.ndarray) -> None:
    if param.grad is None or np.shape(param.grad) != grad.shape:
        param.grad = grad.copy()
    else:
        param.grad += grad


class Dense:
    """A fully connected layer ``a = f(X @ W + b)`` with an explicit forward and backward.

    Parameters
    ----------
    n_in, n_out : int
        Inputs per sample and neurons in the layer. ``W`` is ``(n_in, n_out)``, ``b`` is ``(n_out,)``.
    activation : str
        "sigmoid", "tanh", "relu", "linear", "softmax", ... (see :mod:`nbhelpers.activations`).
    init : str or float
        How to draw the initial weights (see :func:`init_scale`); biases start at 0.
    rng : numpy.random.Generator, optional

    >>> layer = Dense(3, 2, "tanh", rng=np.random.default_rng(0))
    >>> layer.forward(np.ones((4, 3))).shape, layer.backward(np.ones((4, 2))).shape
    ((4, 2), (4, 3))
    """

    def __init__(self, n_in: int, n_out: int, activation: str = "sigmoid", *, init="auto", rng=None, name: str = ""):
        n_in = as_int(n_in, "n_in", minimum=1, maximum=100_000, example="2")
        n_out = as_int(n_out, "n_out", minimum=1, maximum=100_000, example="2")
        self.activation = get_activation(activation).name
        if not isinstance(name, str):
            raise TypeError(f"name must be text such as '1'; got {describe(name)}.")
        rng = np.random.default_rng(as_seed(rng, "rng"))
        std = init_scale(int(n_in), int(n_out), self.activation, init)
        suffix = name or ""
        self.W = Parameter(rng.normal(0.0, std, size=(int(n_in), int(n_out))), name=f"W{suffix}")
        self.b = Parameter(np.zeros(int(n_out)), name=f"b{suffix}")
        self._f = get_activation(self.activation).function
        self._cache = None

    @property
    def n_in(self) -> int:
        return self.W.data.shape[0]

    @property
    def n_out(self) -> int:
        return self.W.data.shape[1]

    def parameters(self) -> list:
        return [self.W, self.b]

    def forward(self, X, *, cache: bool = True) -> np.ndarray:
        """``a = f(X @ W + b)`` for X of shape (n, n_in); remembers X, z and a for ``backward``."""
        if not isinstance(cache, (bool, np.bool_)):
            raise TypeError(f"cache must be True or False; got {describe(cache)}.")
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.n_in:
            raise ValueError(f"X must have shape (n_samples, {self.n_in}) for a layer with {self.n_in} inputs; got "
                             f"{X.shape}.")
        with np.errstate(all="ignore"):
            z = X @ self.W.data + self.b.data  # (n, n_out)
        if not np.all(np.isfinite(z)):
            raise DivergenceError(f"layer {self.W.name[1:] or ''} overflowed: its weighted sums became infinite or NaN, "
                                  "so its weights have blown up (training diverged). Lower the learning rate and "
                                  "start again.".replace("layer  ", "a layer "))
        a = self._f(z)  # (n, n_out)
        if cache:
            self._cache = (X, z, a)
        return a

    def backward(self, da) -> np.ndarray:
        """Given dLoss/da (n, n_out): add dLoss/dW and dLoss/db into ``.grad``; return dLoss/dX (n, n_in)."""
        if self._cache is None:
            raise BackwardError(_BACKWARD_AGAIN)
        _, z, a = self._cache
        da = as_float_array(da, "da (dLoss/da)")
        if da.shape != a.shape:
            raise ValueError(f"da must have the shape of this layer's output {a.shape}; got {da.shape}.")
        if self.activation == "softmax":  # softmax mixes a row's entries: dz_i = a_i (da_i - sum_j da_j a_j)
            dz = a * (da - np.sum(da * a, axis=1, keepdims=True))
        else:
            dz = da * activation_derivative(self.activation, z, a)  # (n, n_out)
        return self.backward_from_z(dz)

    def backward_from_z(self, dz) -> np.ndarray:
        """Same as :meth:`backward`, starting from dLoss/dz (the gradient *before* the activation)."""
        if self._cache is None:
            raise BackwardError(_BACKWARD_AGAIN)
        X, _, a = self._cache
        dz = as_float_array(dz, "dz (dLoss/dz)")
        if dz.shape != a.shape:
            raise ValueError(f"dz must have the shape of this layer's output {a.shape}; got {dz.shape}.")
        self._cache = None  # one backward per forward
        with np.errstate(all="ignore"):
            dW, db, dX = X.T @ dz, dz.sum(axis=0), dz @ self.W.data.T
        if not (np.all(np.isfinite(dW)) and np.all(np.isfinite(dX))):
            raise DivergenceError("backward overflowed: the gradients became infinite or NaN (training diverged, or "
                                  "dz was far too large); lower the learning rate and start again.")
        _accumulate(self.W, dW)  # (n_in, n) @ (n, n_out) -> (n_in, n_out)
        _accumulate(self.b, db)  # (n_out,)
        return dX  # (n, n_out) @ (n_out, n_in) -> (n, n_in)

    def __repr__(self):
        return f"Dense({self.n_in} -> {self.n_out}, {self.activation})"


_BACKWARD_AGAIN = ("backward needs the values of a forward pass and each forward pass allows one backward: call "
                   "forward(X) first (a second backward would add the same gradients again).")


class Network:
    """A stack of :class:`Dense` layers with hand-written backpropagation.

    Parameters
    ----------
    sizes : list of int
        Inputs, then the neurons of each layer: ``[2, 2, 1]`` is 2 inputs, 2 hidden neurons, 1 output.
    activations : str or list of str
        One per layer (``len(sizes) - 1`` names), or one name for every layer. Default: all "sigmoid".
    seed : int, numpy.random.Generator or None
        Where the initial weights come from; the same seed gives the same network.
    init : str, float or list
        Weight initialisation per layer (see :func:`init_scale`); "auto" picks Xavier for tanh/sigmoid and He
        for ReLU.

    >>> net = Network([2, 2, 1], seed=0)
    >>> [p.data.shape for p in net.parameters()]
    [(2, 2), (2,), (2, 1), (1,)]
    """

    def __init__(self, sizes, activations="sigmoid", seed=None, init="auto"):
        if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
            raise ValueError(f"sizes must list the inputs and at least one layer, e.g. [2, 2, 1]; got {describe(sizes)}.")
        sizes = as_int_list(sizes, "sizes", example="[2, 2, 1]")
        if max(sizes) > 100_000 or len(sizes) > 100:
            raise ValueError("sizes is far too large for this course's networks: at most 100 layers of 100,000.")
        n_layers = len(sizes) - 1
        if isinstance(activations, str):
            activations = [activations] * n_layers
        if not isinstance(activations, (list, tuple)) or len(activations) != n_layers:
            raise ValueError(f"give one activation per layer: {n_layers} names for sizes {list(sizes)}; got "
                             f"{activations!r}.")
        inits = list(init) if isinstance(init, (list, tuple)) else [init] * n_layers
        if len(inits) != n_layers:
            raise ValueError(f"give one init per layer ({n_layers}) or one for all; got {len(inits)}.")
        seed = as_seed(seed, "seed")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.sizes = [int(n) for n in sizes]
        self.layers = [Dense(sizes[i], sizes[i + 1], activations[i], init=inits[i], rng=rng, name=str(i + 1))
                       for i in range(n_layers)]
        for layer in self.layers[:-1]:
            if layer.activation == "softmax":
                raise ValueError("softmax belongs on the output layer only; use e.g. 'relu' or 'tanh' for hidden layers.")
        self._out_shape = None

    @classmethod
    def from_weights(cls, weights, activations="sigmoid"):
        """A network with given weights: ``weights`` is a list of ``(W, b)`` pairs, first layer first.

        >>> net = Network.from_weights([(np.ones((2, 2)), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))])
        >>> round(float(net.forward(np.array([[-2.0, -1.0]]))[0, 0]), 3)
        0.524
        """
        if not isinstance(weights, (list, tuple)) or not weights:
            raise TypeError("weights must be a non-empty list of (W, b) pairs, first layer first.")
        Ws = []
        for i, pair in enumerate(weights):
            if not isinstance(pair, (list, tuple)) or len(pair) != 2:
                raise TypeError(f"layer {i} must be a (W, b) pair; got {pair!r:.60}.")
            W = as_float_array(pair[0], f"W of layer {i}", shape=(None, None),
                               hint="W has one row per input and one column per neuron.")
            b = as_float_array(pair[1], f"b of layer {i}", shape=(W.shape[1],),
                               hint=f"One bias per neuron: {W.shape[1]} numbers.")
            if Ws and Ws[-1][0].shape[1] != W.shape[0]:
                raise ValueError(f"layer {i}'s W has {W.shape[0]} rows but layer {i - 1} has {Ws[-1][0].shape[1]} "
                                 "neurons; each W needs one row per neuron of the layer before.")
            Ws.append((W, b))
        net = cls([Ws[0][0].shape[0]] + [W.shape[1] for W, _ in Ws], activations, seed=0)
        for layer, (W, b) in zip(net.layers, Ws):
            layer.W.data[...] = W
            layer.b.data[...] = b
        return net

    # ------------------------------------------------------------------ the two passes
    def _check_input(self, X) -> np.ndarray:
        n_in = self.sizes[0]
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != n_in:
            hint = " One sample? Use X.reshape(1, -1)." if X.ndim == 1 and X.shape[0] == n_in else ""
            raise ValueError(f"X must have shape (n_samples, {n_in}) for a network with {n_in} inputs; got "
                             f"{X.shape}.{hint}")
        return X

    def forward(self, X) -> np.ndarray:
        """Run X (n, n_inputs) through every layer; remember what ``backward`` needs. Returns (n, n_outputs)."""
        out = self._check_input(X)
        for layer in self.layers:
            out = layer.forward(out)
        self._out_shape = out.shape
        return out

    def predict(self, X) -> np.ndarray:
        """The output for X without remembering anything (safe between a forward and its backward)."""
        out = self._check_input(X)
        for layer in self.layers:
            out = layer.forward(out, cache=False)
        return out

    def _check_grad(self, grad, what) -> np.ndarray:
        if self._out_shape is None:
            raise BackwardError(_BACKWARD_AGAIN)
        grad = as_float_array(grad, what, finite=False)
        if grad.shape != self._out_shape:
            hint = " Did you mean .reshape(-1, 1)?" if grad.shape == self._out_shape[:1] else ""
            raise ValueError(f"{what} must have the output's shape {self._out_shape}; got {grad.shape}.{hint}")
        if not np.all(np.isfinite(grad)):
            raise ValueError(f"{what} contains NaN or infinity: check the loss (did training diverge?).")
        self._out_shape = None
        return grad

    def backward(self, dout) -> np.ndarray:
        """Backpropagate dLoss/dout (the output's shape): adds into every ``.grad``; returns dLoss/dX."""
        grad = self._check_grad(dout, "dout (dLoss/doutput)")
        for layer in reversed(self.layers):
            grad = layer.backward(grad)
        return grad

    def backward_from_logits(self, dz) -> np.ndarray:
        """Backpropagate dLoss/dz of the *output layer's pre-activation* (skips its activation's derivative).

        For a sigmoid output with binary cross-entropy, or softmax with cross-entropy, ``dz`` is simply
        ``(prediction - label) / n``: the activation's derivative cancels against the loss's.
        """
        grad = self._check_grad(dz, "dz (dLoss/dz of the output layer)")
        grad = self.layers[-1].backward_from_z(grad)
        for layer in reversed(self.layers[:-1]):
            grad = layer.backward(grad)
        return grad

    # ------------------------------------------------------------------ parameters
    def parameters(self) -> list:
        """Every trainable :class:`~nbhelpers.optim.Parameter`: ``[W1, b1, W2, b2, ...]``."""
        return [p for layer in self.layers for p in layer.parameters()]

    def zero_grad(self) -> None:
        """Set every ``.grad`` to zero (backward adds into them)."""
        for p in self.parameters():
            p.grad = np.zeros_like(p.data)

    @property
    def n_parameters(self) -> int:
        return int(sum(p.data.size for p in self.parameters()))

    def summary(self) -> str:
        """One line per layer with the shapes of W and b, and the total number of parameters."""
        lines = [f"layer {i + 1}: {layer.n_in} -> {layer.n_out} {layer.activation:<8} W {layer.W.data.shape}, "
                 f"b {layer.b.data.shape}" for i, layer in enumerate(self.layers)]
        return "\n".join(lines + [f"{self.n_parameters} parameters"])

    def __repr__(self):
        acts = ", ".join(layer.activation for layer in self.layers)
        return f"Network({self.sizes}, activations=[{acts}])"


# ---------------------------------------------------------------------------------------------------------------
# Many small networks at once (the robustness study of chapter 4)

class ManyRuns(NamedTuple):
    """What :func:`train_many` returns: one entry per seed, stacked along the first axis."""

    predictions: np.ndarray  #: (n_seeds, n_samples) outputs after training
    losses: np.ndarray | None  #: (n_records, n_seeds) loss every ``record_every`` epochs, or None
    weights: list  #: per layer, W of shape (n_seeds, n_in, n_out)
    biases: list  #: per layer, b of shape (n_seeds, n_out)


def train_many(X, y, sizes, activations, seeds, *, init="auto", lr: float = 0.5, epochs: int = 1000,
               loss: str = "bce", record_every: int = 0) -> ManyRuns:
    """Train one network per seed, all at once, with full-batch gradient descent on ``loss`` ("bce" or "mse").

    The output layer must be a single "sigmoid" neuron. Network ``k`` starts exactly as ``Network(sizes,
    activations, seed=seeds[k], init=init)`` and takes the same steps it would take alone (``zero_grad``,
    ``forward``, backward of the loss, ``W -= lr * W.grad``): the weights are only stacked along a new first
    axis, so one matrix product serves every network.

    >>> from nbhelpers.datasets import logic_gate
    >>> runs = train_many(*logic_gate("xor"), [2, 4, 1], ["tanh", "sigmoid"], seeds=range(3), epochs=2000)
    >>> runs.predictions.round().tolist()
    [[0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]]
    """
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ValueError(f"sizes must list the inputs and at least one layer, e.g. [2, 2, 1]; got {describe(sizes)}.")
    sizes = as_int_list(sizes, "sizes", example="[2, 2, 1]")
    X = as_float_array(X, "X", shape=(None, sizes[0]), nonempty=True)
    y = as_float_array(y, "y").reshape(-1)
    if y.shape[0] != X.shape[0] or sizes[-1] != 1:
        raise ValueError(f"train_many needs one 0/1 label per row of X ({X.shape[0]}) and one output neuron; got "
                         f"{y.shape[0]} labels and sizes {list(sizes)}.")
    if isinstance(activations, str):
        acts = [activations] * (len(sizes) - 1)
    elif isinstance(activations, (list, tuple)) and len(activations) == len(sizes) - 1:
        acts = list(activations)
    else:
        raise ValueError(f"give one activation per layer ({len(sizes) - 1} names for sizes {sizes}); got "
                         f"{describe(activations)}.")
    acts = [get_activation(a).name for a in acts]
    if np.any((y != 0) & (y != 1)):
        raise ValueError("train_many needs labels y of 0 and 1 (its output is a probability).")
    if acts[-1] != "sigmoid":
        raise ValueError("train_many needs a 'sigmoid' output layer (its loss compares probabilities with 0/1 labels).")
    loss = as_choice(loss, "loss (of train_many)", ("bce", "mse"))
    lr = as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.5")
    epochs = as_int(epochs, "epochs", minimum=0, maximum=10**6, example="1000")
    record_every = as_int(record_every, "record_every (epochs between recorded losses; 0 = off)", minimum=0,
                          example="10")
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(f"seeds must be a list of whole numbers such as range(100); got {describe(seeds)}.")
    seeds = [as_seed(s, "each of seeds", allow_none=False, allow_generator=False) for s in seeds]
    if not seeds:
        raise ValueError("seeds is empty; pass e.g. range(100).")
    nets = [Network(list(sizes), acts, seed=s, init=init) for s in seeds]
    Ws = [np.stack([net.layers[i].W.data for net in nets]) for i in range(len(acts))]  # (S, n_in, n_out)
    bs = [np.stack([net.layers[i].b.data for net in nets])[:, None, :] for i in range(len(acts))]  # (S, 1, n_out)
    names = [net_layer.activation for net_layer in nets[0].layers]
    fs = [get_activation(a).function for a in names]
    n = X.shape[0]
    target = y[None, :, None]  # (1, n, 1)
    records = []
    # the package's one divergence test (nbhelpers.divergence), parameter side: inf/NaN or exploded weights
    watch = DivergenceWatch(lr)
    watch.check_parameters(Ws + bs, step=0)
    with np.errstate(over="ignore"):
        for epoch in range(epochs + 1):
            activ, zs = [np.broadcast_to(X, (len(seeds),) + X.shape)], []
            for W, b, f in zip(Ws, bs, fs):
                zs.append(activ[-1] @ W + b)  # (S, n, n_out)
                activ.append(f(zs[-1]))
            p = activ[-1]
            if record_every and epoch % record_every == 0:
                z = zs[-1]
                if loss == "bce":
                    records.append(np.mean(np.maximum(z, 0) - z * target + np.log1p(np.exp(-np.abs(z))), axis=(1, 2)))
                else:
                    records.append(np.mean((p - target) ** 2, axis=(1, 2)))
            if epoch == epochs:
                break
            if loss == "bce":
                dz = (p - target) / n  # sigmoid + binary cross-entropy: prediction minus label
            else:
                dz = 2 * (p - target) / n * p * (1 - p)  # MSE, then through the sigmoid
            for i in reversed(range(len(Ws))):
                dW = np.swapaxes(activ[i], 1, 2) @ dz  # (S, n_in, n) @ (S, n, n_out)
                db = dz.sum(axis=1, keepdims=True)  # (S, 1, n_out)
                if i > 0:
                    da = dz @ np.swapaxes(Ws[i], 1, 2)  # (S, n, n_in), with the weights before this update
                    dz = da * activation_derivative(names[i - 1], zs[i - 1], activ[i])
                Ws[i] -= lr * dW
                bs[i] -= lr * db
            watch.check_parameters(Ws + bs, step=epoch + 1, grads=[dz])
    return ManyRuns(p[:, :, 0], np.array(records) if record_every else None, Ws, [b[:, 0, :] for b in bs])
