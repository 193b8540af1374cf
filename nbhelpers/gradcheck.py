"""Gradient checking: compare hand-written (analytic) gradients with numerical ones from central differences.

For every number ``w`` a function reads, nudge it both ways and measure the slope::

    dL/dw  ~  (L(w + eps) - L(w - eps)) / (2 eps)

That costs two evaluations per number, far too slow for training, but perfect for testing a backward pass:
if the two disagree, the backward pass has a bug. The function ``f`` takes no arguments and reads the arrays
(or :class:`~nbhelpers.optim.Parameter` objects) you list; they are changed in place and always restored::

    w = np.array([0.5, -0.3]); b = np.array(0.1)
    f = lambda: float(np.sum((x @ w + b - y) ** 2))
    numerical = numerical_gradient(f, [w, b])
    report = gradient_check(f, [w, b], [dw, db])      # dw, db from your backward pass
    print(report)                                       # one row per array, and whether it passed

The *relative error* of an array is ``|analytic - numerical| / (|analytic| + |numerical|)`` with ``|.|`` the
Euclidean norm: about 1e-7 or smaller means the two agree; 1e-2 or larger means a bug. An array also passes when
every entry differs by less than ``atol`` (1e-8): a gradient that is exactly 0 has a numerical twin of about 1e-11,
rounding noise, and their relative error says nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from nbhelpers._validate import as_callable, as_float_array, as_scalar, describe

__all__ = ["numerical_gradient", "relative_error", "gradient_check", "GradCheckReport", "check_network"]


def _arrays(params) -> list[np.ndarray]:
    if isinstance(params, np.ndarray) or hasattr(params, "data"):
        params = [params]
    if not isinstance(params, (list, tuple)) or not params:
        raise TypeError("params must be a non-empty list of NumPy float arrays (or Parameters) that the function "
                        "reads; got " + type(params).__name__ + ".")
    arrays = []
    for i, p in enumerate(params):
        a = p.data if hasattr(p, "data") and not isinstance(p, np.ndarray) else p
        if not isinstance(a, np.ndarray) or a.dtype.kind != "f" or a.size == 0:
            raise TypeError(f"params[{i}] must be a NumPy float array (changed in place while checking); got "
                            f"{type(a).__name__}{'' if not isinstance(a, np.ndarray) else ' of dtype ' + str(a.dtype)}. "
                            f"{' (it is empty)' if isinstance(a, np.ndarray) and a.size == 0 else ''}. Use "
                            "np.array(..., dtype=float), and np.array(0.5) for a single number.")
        if not np.all(np.isfinite(a)):
            raise ValueError(f"params[{i}] contains NaN or infinity; a slope can only be measured at finite numbers.")
        arrays.append(a)
    return arrays


def _value(f: Callable) -> float:
    value = f()
    try:
        value = float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        shape = f" of shape {np.shape(value)}" if isinstance(value, np.ndarray) else ""
        raise TypeError(f"the function must return a single number (the loss); got {type(value).__name__}{shape}. "
                        "Average or sum it, e.g. float(np.mean(...)).") from None
    if not np.isfinite(value):
        raise ValueError("the function returned NaN or infinity, so no slope can be measured; check its inputs.")
    return value


def numerical_gradient(f: Callable, params, eps: float = 1e-6) -> list[np.ndarray]:
    """Central-difference gradient of ``f()`` with respect to every element of every array in ``params``.

    Returns a list of arrays shaped like ``params``. The arrays are restored exactly afterwards.

    >>> w = np.array([1.0, 2.0])
    >>> [np.round(g, 6) for g in numerical_gradient(lambda: float(np.sum(w ** 2)), [w])]
    [array([2., 4.])]
    """
    as_callable(f, "f", "lambda: float(np.sum(w ** 2))")
    eps = as_scalar(eps, "eps (the size of the nudge)", minimum=0, maximum=1, min_open=True, max_open=True,
                    example="1e-6")
    grads = []
    for a in _arrays(params):
        g = np.zeros_like(a)
        flat, gflat = a.reshape(-1), g.reshape(-1)
        if not np.shares_memory(flat, a):
            raise ValueError("every array must be contiguous so it can be nudged in place; pass np.ascontiguousarray(a).")
        for i in range(flat.size):
            old = flat[i]
            flat[i] = old + eps
            plus = _value(f)
            flat[i] = old - eps
            minus = _value(f)
            flat[i] = old
            with np.errstate(all="ignore"):
                gflat[i] = (plus - minus) / (2 * eps)
        if not np.all(np.isfinite(g)):
            raise ValueError("numerical_gradient: the slope overflowed float64 (the function changes by more than "
                             "1e308 over the nudge); check the function's scale.")
        grads.append(g)
    return grads


def relative_error(analytic, numerical) -> float:
    """``|a - n| / (|a| + |n|)`` with Euclidean norms (0 when both are zero). Scale-free: 1e-7 is tiny, 1e-2 a bug.

    >>> relative_error([1.0, 2.0], [1.0, 2.0]), round(relative_error([1.0], [3.0]), 3)
    (0.0, 0.5)
    """
    a = as_float_array(analytic, "analytic")
    n = as_float_array(numerical, "numerical")
    if a.shape != n.shape:
        raise ValueError(f"the analytic gradient has shape {a.shape} but the numerical one {n.shape}: a gradient "
                         "always has the shape of its parameter.")
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(n), initial=0.0)), 1e-300)
    a, n = a / scale, n / scale  # scale-free, and no overflow in the norms for huge gradients
    denominator = np.linalg.norm(a) + np.linalg.norm(n)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - n) / denominator)


class GradCheckReport:
    """The result of :func:`gradient_check`: one row per array, ``passed``, ``worst`` and a printable table."""

    def __init__(self, names, analytic, numerical, tol, atol=1e-8):
        if isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple)) or \
                not all(isinstance(n, str) for n in names):
            raise TypeError(f"names must be a list of text labels, one per array; got {describe(names)}.")
        for label, arrays in (("analytic", analytic), ("numerical", numerical)):
            if not isinstance(arrays, (list, tuple)) or len(arrays) != len(names):
                raise ValueError(f"{label} must be a list of {len(names)} arrays, one per name; got {describe(arrays)}.")
        analytic = [as_float_array(a, f"analytic[{i}]") for i, a in enumerate(analytic)]
        numerical = [as_float_array(a, f"numerical[{i}]") for i, a in enumerate(numerical)]
        tol = as_scalar(tol, "tol", minimum=0, min_open=True, example="1e-6")
        atol = as_scalar(atol, "atol", minimum=0, example="1e-8")
        self.names, self.analytic, self.numerical, self.tol, self.atol = list(names), analytic, numerical, tol, atol
        self.errors = [relative_error(a, n) for a, n in zip(analytic, numerical)]
        self.max_abs_diffs = [float(np.max(np.abs(a - n))) if a.size else 0.0 for a, n in zip(analytic, numerical)]

    @property
    def ok(self) -> list[bool]:
        """Per array: relative error within ``tol``, or every entry within ``atol`` (both near zero)."""
        return [e <= self.tol or d <= self.atol for e, d in zip(self.errors, self.max_abs_diffs)]

    @property
    def passed(self) -> bool:
        return all(self.ok)

    @property
    def max_error(self) -> float:
        return max(self.errors)

    @property
    def worst(self) -> str:
        """The name of the array with the largest relative error."""
        scores = [e if not ok else -1.0 for e, ok in zip(self.errors, self.ok)]
        return self.names[int(np.argmax(scores))] if not self.passed else self.names[int(np.argmax(self.errors))]

    def rows(self) -> list[tuple]:
        """``(name, shape, relative error, largest absolute difference, ok)`` per array."""
        return [(n, a.shape, e, d, ok)
                for n, a, e, d, ok in zip(self.names, self.analytic, self.errors, self.max_abs_diffs, self.ok)]

    def __str__(self):
        lines = [f"{'parameter':<10} {'shape':<10} {'relative error':>15} {'max |diff|':>12}  verdict"]
        for name, shape, err, diff, ok in self.rows():
            lines.append(f"{name:<10} {shape!s:<10} {err:>15.2e} {diff:>12.2e}  {'ok' if ok else 'MISMATCH'}")
        verdict = "PASSED" if self.passed else f"FAILED: {self.worst} disagrees most"
        lines.append(f"{verdict} (tolerance {self.tol:g} on the relative error)")
        return "\n".join(lines)

    def __repr__(self):
        return f"GradCheckReport(passed={self.passed}, max_error={self.max_error:.2e})"

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` with the table when any array disagrees."""
        if not self.passed:
            raise AssertionError("the gradient check failed:\n" + str(self))


def gradient_check(f: Callable, params, analytic=None, *, names: Sequence[str] | None = None, eps: float = 1e-6,
                   tol: float = 1e-6, atol: float = 1e-8) -> GradCheckReport:
    """Compare analytic gradients with central differences of ``f()``; return a :class:`GradCheckReport`.

    ``analytic`` lists one gradient per entry of ``params``; leave it out when ``params`` are Parameters whose
    ``.grad`` already holds it.

    >>> w = np.array([1.0, -2.0]); f = lambda: float(np.sum(w ** 3))
    >>> gradient_check(f, [w], [3 * w ** 2]).passed, gradient_check(f, [w], [2 * w]).passed
    (True, False)
    """
    as_callable(f, "f", "lambda: float(np.sum(w ** 2))")
    tol = as_scalar(tol, "tol", minimum=0, min_open=True, example="1e-6")
    atol = as_scalar(atol, "atol", minimum=0, example="1e-8")
    arrays = _arrays(params)
    plist = [params] if isinstance(params, np.ndarray) or hasattr(params, "data") else list(params)
    if analytic is None:
        analytic = [getattr(p, "grad", None) for p in plist]
        if any(g is None for g in analytic):
            raise ValueError("no analytic gradients given and some params have no .grad: pass them as the third "
                             "argument, one per parameter.")
    elif isinstance(analytic, np.ndarray) and len(arrays) == 1:
        analytic = [analytic]
    if isinstance(analytic, (str, bytes)) or not isinstance(analytic, (list, tuple)):
        raise TypeError(f"analytic must be a list of gradient arrays, one per parameter; got {describe(analytic)}.")
    analytic = [as_float_array(g, f"analytic[{i}]") for i, g in enumerate(analytic)]
    if len(analytic) != len(arrays):
        raise ValueError(f"give one analytic gradient per parameter: {len(arrays)} parameters, {len(analytic)} "
                         "gradients.")
    for i, (g, a) in enumerate(zip(analytic, arrays)):
        if g.shape != a.shape:
            raise ValueError(f"analytic[{i}] (a gradient) has shape {g.shape} but params[{i}] has shape {a.shape}: a gradient "
                             "always has the shape of its parameter.")
    if names is None:
        names = [getattr(p, "name", "") or f"param {i}" for i, p in enumerate(plist)]
    elif isinstance(names, (str, bytes)) or not isinstance(names, (list, tuple)) or len(names) != len(arrays):
        raise TypeError(f"names must be a list of {len(arrays)} text labels, one per parameter; got {describe(names)}.")
    numerical = numerical_gradient(f, arrays, eps=eps)
    return GradCheckReport(names, analytic, numerical, tol, atol)


def check_network(net, X, y, loss="mse", *, eps: float = 1e-6, tol: float = 1e-6) -> GradCheckReport:
    """Gradient-check a network's ``backward`` on data ``(X, y)`` with a loss from :mod:`nbhelpers.losses`.

    Runs ``zero_grad``, ``forward``, ``backward(loss gradient)`` and compares every ``.grad`` with central
    differences of ``loss(net.predict(X), y)``. For "softmax_ce" and "bce_logits" the network's output layer
    must be linear (the loss applies the softmax or sigmoid itself).
    """
    from nbhelpers.losses import get_loss

    from nbhelpers.network import Network

    if not isinstance(net, Network):
        raise TypeError(f"net must be a Network (nbhelpers.network) to gradient-check; got {describe(net)}.")
    chosen = get_loss(loss)
    eps = as_scalar(eps, "eps (the size of the nudge)", minimum=0, maximum=1, min_open=True, max_open=True,
                    example="1e-6")
    tol = as_scalar(tol, "tol", minimum=0, min_open=True, example="1e-6")
    X = as_float_array(X, "X", shape=(None, None), nonempty=True, hint="One row per sample.")
    targets = as_float_array(y, "y (the targets)")
    if targets.ndim == 0 or len(targets) != len(X):
        raise ValueError(f"y must hold one target per row of X ({len(X)}); got {describe(targets)}.")
    net.zero_grad()
    out = net.forward(X)
    net.backward(chosen.gradient(out, y))
    f = lambda: chosen.function(net.predict(X), y)
    return gradient_check(f, net.parameters(), eps=eps, tol=tol)
