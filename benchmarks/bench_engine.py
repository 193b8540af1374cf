"""Chapter 5's engines: how long one MLP training step takes.

1. The lean scalar ``Value`` (nbhelpers.engine) against a straightforward closure-per-node engine written
   below, on node-for-node the same graph: a 2-16-16-1 ReLU network, a batch of 32 points, squared error,
   backward, one gradient step. The closure engine is what one writes first: each result stores a small
   function that captures the result itself, which makes a reference cycle per node, so dropping the graph
   leaves garbage that only Python's cyclic garbage collector can free.
2. The scalar engine against the array engine (nbhelpers.tensor) on the same network and batch.
3. A sum of a million terms through the scalar engine (its backward pass is iterative, so this works).

    python benchmarks/run.py engine
"""

from __future__ import annotations

import gc
import time

import nbhelpers  # noqa: F401  (first: NumPy then starts with one BLAS thread, as in the chapters)
import numpy as np

try:
    from run import best_of
except ImportError:  # run directly: python benchmarks/bench_engine.py
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import best_of

from nbhelpers.engine import Value
from nbhelpers.scalar_nn import MLP
from nbhelpers.tensor import Tensor

SIZES = [2, 16, 16, 1]
BATCH = 32
LR = 0.01


class ClosureValue:
    """The baseline: a plain class whose results carry a ``_backward`` closure that refers to the result."""

    def __init__(self, data, inputs=(), op=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(inputs)
        self._op = op
        self._backward = None

    def __add__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data + other.data, (self, other), "+")

        def backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = backward  # out -> backward -> out: a reference cycle
        return out

    def __mul__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data * other.data, (self, other), "*")

        def backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = backward
        return out

    def __pow__(self, n):
        out = ClosureValue(self.data**n, (self,), f"**{n}")

        def backward():
            self.grad += n * self.data ** (n - 1) * out.grad

        out._backward = backward
        return out

    def relu(self):
        out = ClosureValue(self.data if self.data > 0 else 0.0, (self,), "relu")

        def backward():
            self.grad += (1.0 if out.data > 0 else 0.0) * out.grad

        out._backward = backward
        return out

    def __sub__(self, other):
        other = other if isinstance(other, ClosureValue) else ClosureValue(other)
        out = ClosureValue(self.data - other.data, (self, other), "-")

        def backward():
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = backward
        return out

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def backward(self):
        # the same iterative topological sort as the lean engine, so only the node design differs
        order, seen, stack = [], {id(self)}, [(self, iter(self._prev))]
        while stack:
            node, inputs = stack[-1]
            for parent in inputs:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(parent._prev)))
                    break
            else:
                stack.pop()
                order.append(node)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad = 1.0
        for node in reversed(order):
            if node._backward is not None:
                node._backward()


def make_data(seed: int = 1):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(BATCH, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0)
    return X, y


def make_weights(seed: int = 0):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)), np.zeros(n_out))
            for n_in, n_out in zip(SIZES[:-1], SIZES[1:])]


def scalar_params(V, weights):
    """Layers of neurons as (list of weight Values, bias Value), from the same numbers for every engine."""
    return [[([V(w) for w in W[:, j]], V(b[j])) for j in range(W.shape[1])] for W, b in weights]


def scalar_forward(layers, x):
    for i, layer in enumerate(layers):
        out = []
        for w, b in layer:
            z = sum((wi * xi for wi, xi in zip(w, x)), b)
            out.append(z.relu() if i < len(layers) - 1 else z)
        x = out
    return x[0]


def scalar_step(V, layers, X, y):
    """One training step; every input number is made a Value, so both engines build the very same graph."""
    params = [p for layer in layers for w, b in layer for p in (*w, b)]
    for p in params:
        p.grad = 0.0
    loss = V(0.0)
    for xi, yi in zip(X.tolist(), y.tolist()):
        loss = loss + (scalar_forward(layers, [V(v) for v in xi]) - V(yi)) ** 2
    loss = loss * V(1.0 / len(X))
    loss.backward()
    for p in params:
        p.data -= LR * p.grad
    return loss.data


def tensor_params(weights):
    return [(Tensor(W), Tensor(b)) for W, b in weights]


def tensor_step(layers, X, y):
    for W, b in layers:
        W.zero_grad()
        b.zero_grad()
    h = Tensor(X)
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        if i < len(layers) - 1:
            h = h.relu()
    loss = ((h.reshape(-1) - y) ** 2).mean()
    loss.backward()
    for W, b in layers:
        W.data -= LR * W.grad
        b.data -= LR * b.grad
    return loss.item()


def package_mlp_step(model, X, y):
    model.zero_grad()
    loss = sum(((model(xi) - yi) ** 2 for xi, yi in zip(X.tolist(), y.tolist())), Value(0.0)) * (1.0 / len(X))
    loss.backward()
    for p in model.parameters():
        p.data -= LR * p.grad
    return loss.data


def _gc_seconds(function) -> tuple[float, float]:
    """(wall time, time spent inside the garbage collector) of one call."""
    spent, started = [0.0], [0.0]

    def callback(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - started[0]

    gc.callbacks.append(callback)
    try:
        t0 = time.perf_counter()
        function()
        return time.perf_counter() - t0, spent[0]
    finally:
        gc.callbacks.remove(callback)


def check_same_gradients():
    """The benchmark compares like with like: both scalar engines and the array engine agree."""
    X, y = make_data()
    weights = make_weights()
    lean, closure, arrays = scalar_params(Value, weights), scalar_params(ClosureValue, weights), tensor_params(weights)
    losses = [scalar_step(Value, lean, X, y), scalar_step(ClosureValue, closure, X, y), tensor_step(arrays, X, y)]
    assert np.allclose(losses, losses[0]), losses
    for (W, b), lean_layer, closure_layer in zip(arrays, lean, closure):
        for j, ((wl, bl), (wc, bc)) in enumerate(zip(lean_layer, closure_layer)):
            assert np.allclose([p.grad for p in wl], W.grad[:, j]) and np.allclose([p.grad for p in wc], W.grad[:, j])
            assert np.isclose(bl.grad, b.grad[j]) and np.isclose(bc.grad, b.grad[j])
    return losses[0]


def main():
    loss = check_same_gradients()
    nodes = _count_nodes()
    print(f"network {'-'.join(map(str, SIZES))} (ReLU), batch {BATCH}, squared error; first-step loss {loss:.4f} "
          f"in all three engines, {nodes} nodes per scalar graph")
    X, y = make_data()
    weights = make_weights()

    lean = scalar_params(Value, weights)
    closure = scalar_params(ClosureValue, weights)
    t_lean = best_of(lambda: scalar_step(Value, lean, X, y), repeat=7)
    t_closure = best_of(lambda: scalar_step(ClosureValue, closure, X, y), repeat=7)
    print(f"scalar step, lean Value (slots, local derivatives as numbers): {t_lean * 1e3:7.1f} ms")
    print(f"scalar step, closure-per-node baseline:                     {t_closure * 1e3:7.1f} ms")
    print(f"  -> the lean Value is {t_closure / t_lean:.1f}x faster per training step on the same graph")

    wall, in_gc = min((_gc_seconds(lambda: scalar_step(ClosureValue, closure, X, y)) for _ in range(5)),
                      key=lambda t: t[0])
    print(f"  closure baseline: {100 * in_gc / wall:.0f}% of a step is spent in the garbage collector")
    gc.disable()
    try:
        t_closure_nogc = best_of(lambda: scalar_step(ClosureValue, closure, X, y), repeat=7)
        t_lean_nogc = best_of(lambda: scalar_step(Value, lean, X, y), repeat=7)
    finally:
        gc.enable()
        gc.collect()
    print(f"  with the garbage collector switched off: lean {t_lean_nogc * 1e3:.1f} ms, "
          f"closure {t_closure_nogc * 1e3:.1f} ms ({t_closure_nogc / t_lean_nogc:.1f}x)")

    model = MLP(2, SIZES[1:], activation="relu", seed=0)
    t_model = best_of(lambda: package_mlp_step(model, X, y), repeat=7)
    print(f"scalar step, nbhelpers.scalar_nn.MLP (plain numbers as inputs): {t_model * 1e3:7.1f} ms")

    arrays = tensor_params(weights)
    t_array = best_of(lambda: tensor_step(arrays, X, y), repeat=7, number=20)
    print(f"array step, nbhelpers.tensor.Tensor:                        {t_array * 1e3:7.3f} ms")
    print(f"  -> the array engine is {t_lean / t_array:.0f}x faster than the lean scalar engine on this step")

    for n in (100_000, 1_000_000):
        terms = [Value(float(i % 7)) for i in range(n)]
        t0 = time.perf_counter()
        total = sum(terms)
        t1 = time.perf_counter()
        total.backward()
        t2 = time.perf_counter()
        assert total.data == sum(float(i % 7) for i in range(n)) and all(t.grad == 1.0 for t in terms[:100])
        print(f"sum of {n:>9,} Values: forward {t1 - t0:.2f} s, backward {t2 - t1:.2f} s (no RecursionError)")
        del total, terms


def _count_nodes() -> int:
    from nbhelpers.engine import topological_order

    X, y = make_data()
    layers = scalar_params(Value, make_weights())
    loss = Value(0.0)
    for xi, yi in zip(X.tolist(), y.tolist()):
        loss = loss + (scalar_forward(layers, [Value(v) for v in xi]) - Value(yi)) ** 2
    return len(topological_order(loss * Value(1.0 / len(X))))


if __name__ == "__main__":
    main()
