"""The array engine (end of chapter 5): reverse-mode autodiff where every value is a NumPy array.

Same idea and API as the scalar ``Value`` engine, but one node holds a whole array, so an MLP's forward and
backward passes are a handful of matrix products instead of thousands of Python objects.

Each operation computes its forward value and, right beside it, a small function that turns the gradient of
the result into the gradients of its inputs. Those functions capture the inputs, never the result, so the
graph holds no reference cycles and is freed as soon as it is dropped.

A new operation (chapter 6 fuses a whole layer into one) is written the same way:
``Tensor(result, (input_1, input_2), grad_fn, "name")``, where ``grad_fn(g)`` receives the gradient of the
result and returns one gradient per input, each of that input's shape. Plain arrays that need no gradient
are captured by ``grad_fn`` rather than passed as inputs.

>>> x = Tensor([[1.0, 2.0]]); w = Tensor([[3.0], [4.0]])
>>> y = (x @ w).sum(); y.backward(); w.grad.ravel().tolist()
[1.0, 2.0]
"""

from __future__ import annotations

import itertools
import numbers
import operator
import os

import numpy as np

from nbhelpers import _validate

__all__ = ["Tensor", "as_tensor"]

_FLOATS = (float, np.float64)  # what NumPy's arithmetic returns: taken as they are
_PACKAGE_DIR = os.path.dirname(os.path.abspath(os.path.dirname(__file__))) + os.sep  # the folder holding nbhelpers
_OWN_FILE = {}  # file name -> whether it is the package's own (its grad_fns are tested, so backward trusts them)
_OWN_CODE = {}  # ... and by code object of a grad_fn, to look it up in one step
_TICK = itertools.count()  # numbers the results in the order they are made: an input is always made before its result
_BY_TICK = operator.attrgetter("_n")


def _own(grad_fn) -> bool:
    """True for a grad_fn written in the package (tested against numerical gradients); a learner's own operation's
    grad_fn is False, and what it returns is checked (one gradient per input, each of its input's shape)."""
    code = getattr(grad_fn, "__code__", None)
    if code is None:
        return False
    own = _OWN_FILE.get(code.co_filename)
    if own is None:
        path = os.path.abspath(code.co_filename)
        own = _OWN_FILE[code.co_filename] = path.startswith(_PACKAGE_DIR + "nbhelpers" + os.sep)
    return own


def _unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back down to ``shape``: the gradient of NumPy broadcasting.

    An input that was stretched (broadcast) to reach the result's shape was *used* once per copy, so its
    gradient is the sum over the copies: over the leading axes it lacked and over its axes of size 1.
    """
    if grad.shape == shape:  # not broadcast: nothing to sum
        return grad if type(grad) is np.ndarray else np.asarray(grad)
    if grad.ndim > len(shape):
        grad = grad.sum(axis=tuple(range(grad.ndim - len(shape))))
    axes = tuple(axis for axis, size in enumerate(shape) if size == 1 and grad.shape[axis] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return np.asarray(grad)


def _as_index(index):
    """An index NumPy accepts: Tensors become their arrays, whole-number float arrays become integer arrays."""
    if isinstance(index, tuple):
        return tuple(_as_index(i) for i in index)
    if isinstance(index, Tensor):
        index = index.data
    if isinstance(index, (bool, np.bool_)):
        raise IndexError(f"a Tensor is indexed by whole numbers, slices, or integer or True/False arrays; got {index!r} "
                         "on its own (NumPy would add a dimension). Use x[0], x[1:3] or x[mask] with a mask array.")
    if isinstance(index, (list, np.ndarray)):
        array = np.asarray(index)
        if array.dtype.kind == "f":
            if not np.all(np.isfinite(array)) or not np.all(array == np.round(array)):
                raise IndexError("index arrays must hold whole numbers (class labels such as 0, 1, 2); "
                                 f"got {array.ravel()[:4].tolist()}...")
            return array.astype(np.intp)
        if array.dtype.kind in "biu":
            return array
    return index


def _finite(compute, what: str) -> np.ndarray:
    """``compute()`` with NumPy's overflow warning held back; one sentence if the result is not finite (+, -, *, /,
    ** and @ of finite numbers that overflow: ``Tensor(1e308) * 10``). About 4 us per operation; chapter 6's
    layers (``mlp.dense``) and losses work on the arrays directly and check once per layer instead."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = compute()
    if not np.isfinite(out).all():
        raise OverflowError(f"{what} gives numbers too large for a float (beyond about 1.8e308); scale the inputs "
                            "or the constant down.")
    return out


def _same_gradient(g):
    """The grad_fn of ``a + b`` for two single numbers: each gets the result's gradient as it is."""
    return g, g


def _check_broadcast(a: np.ndarray, b: np.ndarray, op: str) -> None:
    if a.shape == b.shape:
        return
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"cannot {op} shapes {a.shape} and {b.shape}: broadcasting needs each trailing dimension to be "
            "equal or 1 (reshape one of them, e.g. b.reshape(1, -1))."
        ) from None


def as_tensor(value) -> "Tensor":
    """``value`` itself if it is a Tensor, else a constant Tensor holding it."""
    return value if isinstance(value, Tensor) else Tensor(value)


def _operand(value, symbol: str) -> "Tensor":
    """The other operand of ``Tensor <symbol> value`` as a Tensor; one sentence naming the operator otherwise."""
    if isinstance(value, Tensor):
        return value
    if type(value) is float or type(value) is int:
        if value - value == 0:  # a finite number: the common case, at once
            return Tensor(value)
    elif type(value) is np.ndarray and value.dtype.kind == "f" and np.isfinite(value).all():
        return Tensor(value)
    return Tensor(_validate.as_float_array(value, f"the other operand of Tensor {symbol}"))


def _axis(axis, ndim: int, what: str, *, several: bool = True):
    """``axis`` checked for a Tensor of ``ndim`` dimensions: None (all of them, if ``several``), a whole number
    from -ndim to ndim - 1, or (if ``several``) a tuple of distinct ones."""
    if axis is None and several:
        return None
    if ndim == 0:
        raise ValueError(f"{what} of a Tensor holding a single number has no axis to work along; got axis={axis!r}. "
                         + ("Leave axis=None." if several else "Give it a dimension first, e.g. x.reshape(1)."))
    name = f"axis (of {what}, for a Tensor of {ndim} dimension{'s' if ndim > 1 else ''})"
    if several and isinstance(axis, (tuple, list)):
        axes = tuple(_validate.as_int(i, name, minimum=-ndim, maximum=ndim - 1, example="0 or (0, 1)") for i in axis)
        if len({i % ndim for i in axes}) != len(axes):
            raise ValueError(f"{name} names the same axis twice; got {tuple(axis)!r}.")
        return axes
    return _validate.as_int(axis, name, minimum=-ndim, maximum=ndim - 1, example="0 or -1")


def _check_node(parents, grad_fn, op) -> None:
    """One sentence for a hand-made operation ``Tensor(result, parents, grad_fn, op)`` built wrongly."""
    if type(op) is not str:
        raise TypeError(f"op (the operation's name) must be text such as 'exp'; got {_validate.describe(op)}.")
    if not isinstance(parents, tuple) or not all(isinstance(p, Tensor) for p in parents):
        got = _validate.describe(parents) if not isinstance(parents, tuple) else \
            "a tuple holding " + ", ".join(_validate.describe(p) for p in parents if not isinstance(p, Tensor))
        raise TypeError(f"the inputs of an operation (_parents) must be a tuple of Tensors, e.g. (a, b); got {got}. "
                        "Wrap constants with Tensor(...) or capture them in grad_fn instead.")
    raise TypeError(f"an operation needs grad_fn, a function from the result's gradient to one gradient per input, "
                    f"e.g. lambda g: (g * 2,); got {_validate.describe(grad_fn)}.")


def _checked_gradients(node, parents, grads) -> tuple:
    """What ``node``'s grad_fn returned, as a tuple of one gradient per input, each of its input's shape (a number
    for a single-number input); one sentence if not."""
    name = f"the grad_fn of operation {node.op or '(unnamed)'!r}"
    try:
        grads = tuple(grads)
    except TypeError:
        raise TypeError(f"{name} must return one gradient per input, as a tuple; got "
                        f"{_validate.describe(grads)}.") from None
    if len(grads) != len(parents):
        raise ValueError(f"{name} must return one gradient per input ({len(parents)}); got {len(grads)}.")
    for i, (parent, pg) in enumerate(zip(parents, grads)):
        if pg is not None and np.shape(pg) != parent.data.shape:
            raise ValueError(f"{name} returned a gradient of shape {np.shape(pg)} for input {i}, of shape "
                             f"{parent.data.shape}; each gradient must have its input's shape (sum over what was "
                             "broadcast).")
    return grads


class Tensor:
    """A NumPy array that remembers how it was computed, so ``backward()`` can fill in gradients.

    Attributes: ``data`` (the array), ``grad`` (same shape; filled by ``backward()``; a leaf's starts at zeros),
    ``op`` (the operation
    that made it, "" for a leaf).
    """

    __slots__ = ("data", "_grad", "op", "_parents", "_grad_fn", "_n")
    __array_priority__ = 1000  # make ndarray + Tensor call Tensor.__radd__
    __array_ufunc__ = None  # ndarray (or numpy scalar) op Tensor hands over to Tensor's own methods

    def __init__(self, data, _parents: tuple = (), _grad_fn=None, op: str = ""):
        if _parents:  # the result of an operation: a float array or number (anything else is checked)
            if type(_parents) is not tuple or type(op) is not str or not callable(_grad_fn):
                _check_node(_parents, _grad_fn, op)
            for p in _parents:
                if p.__class__ is not Tensor and not isinstance(p, Tensor):
                    _check_node(_parents, _grad_fn, op)
            if type(data) is not np.ndarray or data.dtype.char != "d":
                data = np.asarray(data, dtype=float) if type(data) in _FLOATS else \
                    _validate.as_float_array(data, f"the result of {op or 'an operation'}", finite=False)
            self.data = data
            self._grad = None
            self._n = next(_TICK)
        else:  # a leaf made by the user: checked by the shared validator, and copied (never shares your array)
            if type(op) is not str:
                _check_node((), None, op)
            if isinstance(data, Tensor):
                data = data.data
            if type(data) is float or type(data) is int:  # plain numbers and float arrays: the quick check
                ok = data - data == 0  # False for NaN and infinity
            elif type(data) is np.ndarray and data.dtype.kind == "f":
                ok = bool(np.isfinite(data).all())
            else:
                ok = False
            if not ok:  # anything else, and every refusal, goes through the shared validator
                data = _validate.as_float_array(data, "a Tensor's data")
            self.data = np.array(data, dtype=float)
            self._grad = None  # zeros, made when first asked for (see the grad property)
        self.op = op
        self._parents = _parents
        self._grad_fn = _grad_fn

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        return self.data.size

    def item(self) -> float:
        """The single number this tensor holds (any shape of size 1)."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor holding one number; this one has shape {self.shape}.")
        return float(self.data.reshape(()))

    def numpy(self) -> np.ndarray:
        return self.data

    def __len__(self):
        if not self.data.ndim:
            raise TypeError("a Tensor holding a single number has no length; use .item() for the number.")
        return len(self.data)

    def __repr__(self):
        op = f", op={self.op!r}" if self.op else ""
        return f"Tensor(shape={self.shape}{op})" if self.size > 6 else f"Tensor({self.data.tolist()}{op})"

    @property
    def grad(self):
        """The gradient, an array shaped like ``data``: a leaf's is zeros until ``backward()`` adds to it (the
        zeros are made when first asked for, so ``zero_grad()`` costs nothing), a result's is None until then."""
        g = self._grad
        if g is None and not self._parents:
            g = self._grad = np.zeros(self.data.shape)
        return g

    @grad.setter
    def grad(self, value):
        self._grad = value

    def zero_grad(self) -> None:
        """Set ``.grad`` to zeros (a new array): backward passes add into a leaf's ``.grad``."""
        self._grad = None if not self._parents else np.zeros(self.data.shape)

    # ------------------------------------------------------------------ arithmetic
    def __add__(self, other):
        other = _operand(other, "+")
        a, b = self, other
        if not a.data.ndim and not b.data.ndim:  # two single numbers (a loss plus a penalty): plain float math
            total = float(a.data) + float(b.data)  # (inf if it overflows, never a warning)
            if total - total == 0:
                return _node(np.array(total), (a, b), _same_gradient, "+")
        _check_broadcast(a.data, b.data, "add")
        return _node(_finite(lambda: a.data + b.data, "Tensor + Tensor"), (a, b),
                     lambda g: (_unbroadcast(g, a.shape), _unbroadcast(g, b.shape)), "+")

    def __mul__(self, other):
        constant = not isinstance(other, Tensor)
        other = _operand(other, "*")
        _check_broadcast(self.data, other.data, "multiply")
        a, b = self, other
        out = _finite(lambda: a.data * b.data, "Tensor * that number" if constant else "Tensor * Tensor")
        return _node(out, (a, b),
                     lambda g: (_unbroadcast(g * b.data, a.shape), _unbroadcast(g * a.data, b.shape)), "*")

    def __pow__(self, exponent):
        if isinstance(exponent, (bool, np.bool_)) or not isinstance(exponent, numbers.Real):
            raise TypeError(f"Tensor ** takes a plain number as the exponent, e.g. x ** 2; got {type(exponent).__name__}.")
        a, n = self, _validate.as_scalar(exponent, "the exponent of Tensor **", example="2")
        if n < 0 and np.any(a.data == 0):
            raise ZeroDivisionError(f"0 to the negative power {n:g} is infinite (a division by zero?).")
        if not n.is_integer() and np.any(a.data < 0):
            raise ValueError(f"a negative number to the non-integer power {n:g} is not a real number.")
        if n == 0:
            return _node(np.ones_like(a.data), (a,), lambda g: (np.zeros_like(g),), "**0")
        out = _finite(lambda: a.data ** n, f"Tensor ** {n:g}")
        return _node(out, (a,), lambda g: (g * n * a.data ** (n - 1),), f"**{n:g}")

    def __matmul__(self, other, constant: bool = False):
        constant = constant or not isinstance(other, Tensor)
        other = _operand(other, "@")
        a, b = self, other
        if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
            hint = " Make a single sample a row with x.reshape(1, -1)." if a.ndim == 1 else ""
            raise ValueError(f"cannot matrix-multiply shapes {a.shape} @ {b.shape}: need (n, k) @ (k, m).{hint}")
        out = _finite(lambda: a.data @ b.data, "Tensor @ that array" if constant else "Tensor @ Tensor")
        return _node(out, (a, b), lambda g: (g @ b.data.T, a.data.T @ g), "@")

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-_operand(other, "-"))

    def __truediv__(self, other):
        return self * _operand(other, "/") ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return _operand(other, "-") - self

    def __rtruediv__(self, other):
        return _operand(other, "/") / self

    def __rmatmul__(self, other):
        return Tensor.__matmul__(_operand(other, "@"), self, constant=True)

    def _no_comparison(self, other):
        raise TypeError("Tensors cannot be compared with <, <=, > or >= (a comparison has no gradient); compare "
                        f"their arrays instead, e.g. x.data > 0 (got a comparison with {_validate.describe(other)}).")

    __lt__ = __le__ = __gt__ = __ge__ = _no_comparison

    # ------------------------------------------------------------------ elementwise functions
    def exp(self):
        a = self
        if np.any(a.data > 709.78):
            raise OverflowError("exp of a number above 709 is too large for a float; scale the inputs down, or use "
                                "sigmoid, tanh or log_softmax, which never overflow.")
        out = np.exp(a.data)
        return _node(out, (a,), lambda g: (g * out,), "exp")

    def log(self):
        a = self
        if np.any(a.data <= 0):
            raise ValueError("log of a number <= 0: the input must be positive (add a small epsilon, or use log_softmax).")
        return _node(np.log(a.data), (a,), lambda g: (g / a.data,), "log")

    def tanh(self):
        a, out = self, np.tanh(self.data)
        return _node(out, (a,), lambda g: (g * (1 - out**2),), "tanh")

    def sigmoid(self):
        a = self
        e = np.exp(-np.abs(a.data))
        out = np.where(a.data >= 0, 1 / (1 + e), e / (1 + e))
        return _node(out, (a,), lambda g: (g * out * (1 - out),), "sigmoid")

    def relu(self):
        a = self
        mask = a.data > 0
        return _node(a.data * mask, (a,), lambda g: (g * mask,), "relu")

    def leaky_relu(self, alpha: float = 0.01):
        if type(alpha) is not float or not 0.0 <= alpha <= 1.0:
            alpha = _validate.as_scalar(alpha, "alpha (leaky_relu's slope for negative inputs)", minimum=0, maximum=1,
                                        example="0.01")
        a = self
        slope = np.where(a.data > 0, 1.0, alpha)
        return _node(a.data * slope, (a,), lambda g: (g * slope,), "leaky_relu")

    # ------------------------------------------------------------------ reductions and shapes
    def sum(self, axis=None, keepdims: bool = False):
        a = self
        if axis is not None:
            axis = _axis(axis, a.data.ndim, "sum")
        if keepdims is not False and keepdims is not True:
            keepdims = _validate.as_bool(keepdims, "keepdims")

        def grad_fn(g):
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return (np.broadcast_to(g, a.shape).copy(),)

        return _node(np.sum(a.data, axis=axis, keepdims=keepdims), (a,), grad_fn, "sum")

    def mean(self, axis=None, keepdims: bool = False):
        axis = _axis(axis, self.data.ndim, "mean")
        keepdims = _validate.as_bool(keepdims, "keepdims")
        count = self.size if axis is None else int(np.prod([self.shape[i] for i in np.atleast_1d(axis)]))
        if count == 0:
            raise ValueError(f"mean of an empty Tensor (shape {self.shape}, along axis={axis!r}) is undefined; pass at "
                             "least one value.")
        return self.sum(axis=axis, keepdims=keepdims) * (1.0 / count)

    def reshape(self, *shape):
        """The same numbers in a new shape: ``x.reshape(2, 3)`` or ``x.reshape((2, 3))``; one size may be -1."""
        a = self
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        dims = tuple(_validate.as_int(n, "each size given to reshape", minimum=-1, example="4 or -1") for n in shape)
        known = int(np.prod([n for n in dims if n != -1]))
        if dims.count(-1) > 1 or (known != a.size if -1 not in dims else known == 0 or a.size % known):
            raise ValueError(f"cannot reshape a Tensor of shape {a.shape} ({a.size} numbers) into {dims}: the sizes "
                             f"must multiply to {a.size} (at most one of them -1, which is worked out for you).")
        shape = dims
        return _node(a.data.reshape(shape), (a,), lambda g: (g.reshape(a.shape),), "reshape")

    @property
    def T(self):
        a = self
        return _node(a.data.T, (a,), lambda g: (g.T,), "T")

    def __getitem__(self, index):
        a, index = self, _as_index(index)
        try:
            picked = a.data[index]
        except (IndexError, TypeError, ValueError) as err:
            raise IndexError(f"cannot index a Tensor of shape {a.shape} with {index!r:.60}: {err}. Use whole numbers "
                             "from -n to n-1, slices, or integer or True/False arrays.") from None

        def grad_fn(g):
            full = np.zeros_like(a.data)
            np.add.at(full, index, g)  # repeated indices add up
            return (full,)

        return _node(picked, (a,), grad_fn, "[]")

    def log_softmax(self, axis: int = -1):
        """log(softmax(x)) along ``axis``, computed stably (for cross-entropy)."""
        a = self
        axis = _axis(axis, a.data.ndim, "log_softmax", several=False)
        shifted = a.data - a.data.max(axis=axis, keepdims=True)
        out = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
        soft = np.exp(out)
        return _node(out, (a,), lambda g: (g - soft * g.sum(axis=axis, keepdims=True),), "log_softmax")

    # ------------------------------------------------------------------ backward
    def backward(self, grad=None) -> None:
        """Fill ``.grad`` of every tensor this one depends on.

        Leaves (tensors you created) *accumulate* into ``.grad`` on every call, as in PyTorch, which is why a
        training loop calls ``zero_grad()``; intermediate tensors get fresh gradients each time. Every tensor's
        ``.grad`` is an array of its own: changing one in place never changes another's.
        """
        if grad is None:
            if self.data.size != 1:
                raise ValueError(
                    f"backward() without a gradient needs a single number, but this tensor has shape {self.shape}: "
                    "reduce it first (e.g. loss.mean().backward()) or pass grad=np.ones(shape)."
                )
            grad = np.ones(self.data.shape) if self.data.ndim else np.array(1.0)  # (np.array: the cheaper call)
        else:
            grad = np.array(_validate.as_float_array(grad.data if isinstance(grad, Tensor) else grad,
                                                     "grad (the gradient backward starts from)"), dtype=float)
            if grad.shape != self.shape:
                raise ValueError(f"backward(grad) needs grad of shape {self.shape}; got {grad.shape}.")

        # The walk visits the results (nodes with inputs) from this one back to the first operation; a result's
        # gradient is complete when it is visited, since everything that used it comes earlier. Leaves only
        # collect their inputs' contributions and take them at the end.
        grads = {self: grad}  # gradients received so far, by result (a Tensor hashes by identity)
        leaves = {}  # ... and by leaf
        summed = set()  # leaves whose gradient is a sum made here (a new array, nobody else's)
        owned = set()  # ids of the arrays already given to a node as its .grad in this pass
        pop, get, own_code = grads.pop, grads.get, _OWN_CODE
        for node in _results_last_first(self):
            g = pop(node, None)
            if g is None:
                continue
            if type(g) is not np.ndarray:
                g = np.asarray(g)  # NumPy turns 0-d results into scalars; keep every gradient an array
            if g.base is not None or id(g) in owned:  # shared with another node (x + x, reshape): copy
                g = g.copy()
            owned.add(id(g))
            node._grad = g  # an intermediate result: its gradient is this pass's alone
            parents, fn = node._parents, node._grad_fn
            out = fn(g)
            own = own_code.get(getattr(fn, "__code__", None))
            if own is None:
                own = own_code[getattr(fn, "__code__", None)] = _own(fn)
            if not own:  # a learner's own operation: one gradient per input, each of its input's shape
                out = _checked_gradients(node, parents, out)
            for parent, pg in zip(parents, out):
                if pg is None:  # no gradient for this input
                    continue
                if parent._parents:
                    before = get(parent)
                    grads[parent] = pg if before is None else before + pg
                elif parent in leaves:
                    leaves[parent] = leaves[parent] + pg
                    summed.add(parent)
                else:
                    leaves[parent] = pg
        if not self._parents:  # backward() of a leaf itself
            leaves[self] = pop(self)
        for leaf, g in leaves.items():  # a leaf adds to what it had (a new array, never shared with another node)
            if g is None:
                continue
            if type(g) is not np.ndarray:
                g = np.asarray(g)
            old = leaf._grad
            if old is None:  # zeros: the gradient itself (a copy unless it is a new sum)
                leaf._grad = g if leaf in summed else g.copy()
            else:
                leaf._grad = np.asarray(old + g)


_new_object = object.__new__


def _node(data, parents: tuple, grad_fn, op: str) -> Tensor:
    """``Tensor(data, parents, grad_fn, op)`` for the package's own operations, whose arguments are right by
    construction (a float64 array or NumPy float, a tuple of Tensors, a function, a name), without the checks that
    a learner's own operation gets (0.5 us a node instead of 0.9 us: a training step makes six or more)."""
    node = _new_object(Tensor)
    node.data = data if data.__class__ is np.ndarray else np.asarray(data, dtype=float)
    node._grad = None
    node._n = next(_TICK)
    node.op = op
    node._parents = parents
    node._grad_fn = grad_fn
    return node


def _results_last_first(root: Tensor) -> list:
    """The results (tensors with inputs) ``root`` depends on, ``root`` first and every result before its inputs.

    Every result is numbered when it is made, and its inputs exist before it, so the newest comes first: find the
    results by following the inputs (with an explicit stack, so graphs of any depth work), then sort them by
    number, newest first. Leaves are left out: they need no order, only their gradients added up."""
    if not root._parents:
        return []
    found, stack = {root}, [root]
    add, push, pop = found.add, stack.append, stack.pop
    while stack:
        for parent in pop()._parents:
            if parent._parents and parent not in found:
                add(parent)
                push(parent)
    return sorted(found, key=_BY_TICK, reverse=True)
