"""The scalar autodiff engine of chapter 5: a ``Value`` is one number that remembers how it was made.

Every operation does two things on one line each: it computes its result (the forward value) and it writes
down its *local derivatives*, the derivative of the result with respect to each input, evaluated right now.
``backward()`` then walks the recorded graph from the output back to the inputs and applies the chain rule:
each input's gradient grows by (local derivative) x (gradient of the result).

>>> a = Value(2.0); b = Value(-3.0)
>>> c = a * b + a          # a is used twice: its gradient collects both uses
>>> c.backward()
>>> c.data, a.grad, b.grad
(-4.0, -2.0, 2.0)

Design notes (why it is fast enough to train a small network):

- a node stores its inputs and its local derivatives as plain tuples (``_prev`` and ``_local``), not a
  closure that captures the node itself. Nothing points back from an input to its result, so a graph holds
  no reference cycles: when the last name for it goes away, reference counting frees it at once, and
  Python's cyclic garbage collector never has to hunt through it;
- ``__slots__`` keeps each node small and its attributes quick to reach;
- ``backward()`` sorts the graph with a loop and an explicit stack, not recursion, so a chain of a million
  operations works;
- gradients of the values you created (the leaves: weights, inputs) *accumulate* over calls to
  ``backward()``, as in PyTorch, while every intermediate node starts again from zero on each call.
  That is why a training loop resets the leaves with ``zero_grad()`` before each backward pass.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["Value", "as_value", "topological_order"]

_EXP_LIMIT = 709.78  # math.exp overflows a float above this


def _number(x, what: str = "a Value") -> float:
    """``x`` as a float, or one clear TypeError/ValueError saying what was expected."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        kind = type(x).__name__
        shape = getattr(x, "shape", None)
        got = f"an array of shape {shape}" if shape is not None else (
            f"{kind} {x!r}" if len(repr(x)) < 40 else kind)
        raise TypeError(f"{what} holds one plain number such as 2.0; got {got}. "
                        "For many numbers, make one Value per number (or use the array engine, Tensor).")
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{what} needs a finite number; got {x}.")
    return x


def as_value(x) -> "Value":
    """``x`` itself if it is a Value, else a new leaf Value holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x)


class Value:
    """One number in a computation graph: ``data``, ``grad`` (dOutput/dthis after ``backward()``), ``label``.

    Create leaves with ``Value(2.0)`` or ``Value(2.0, label="w")``; every arithmetic operation on Values
    (or on a Value and a plain number, either side) makes a new Value that remembers its inputs.

    >>> x = Value(3.0, label="x")
    >>> y = x ** 2 + 1
    >>> y.backward(); y.data, x.grad
    (10.0, 6.0)
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_op", "label")
    __array_ufunc__ = None  # numpy scalars on the left (np.float64(2) * v) hand over to Value's own methods

    def __init__(self, data, _prev: tuple = (), _local: tuple = (), _op: str = "", label: str = ""):
        self.data = data if _prev else _number(data)  # results of operations are already floats
        self.grad = 0.0
        self._prev = _prev    # the Values this one was computed from
        self._local = _local  # d(this)/d(each of _prev), evaluated at the forward values
        self._op = _op        # the operation's name, for printing and drawing
        self.label = label

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ----------------------------------------------------------------- arithmetic: forward value, local derivatives
    def __add__(self, other):
        other = as_value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")  # d(a+b)/da = 1, d(a+b)/db = 1

    def __sub__(self, other):
        other = as_value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")  # d(a-b)/da = 1, d(a-b)/db = -1

    def __mul__(self, other):
        other = as_value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")  # d(ab)/da = b, d/db = a

    def __truediv__(self, other):
        other = as_value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"division by a Value equal to 0 ({self.data:g} / 0).")
        return Value(a / b, (self, other), (1.0 / b, -a / (b * b)), "/")  # d(a/b)/da = 1/b, d/db = -a/b^2

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError("Value ** takes a plain number as the exponent, e.g. x ** 2 (a Value exponent is not "
                            "supported; write (x.log() * y).exp() for x ** y with x > 0).")
        n = _number(n, "the exponent")
        x = self.data
        if x < 0 and not n.is_integer():
            raise ValueError(f"a negative number ({x:g}) to the non-integer power {n:g} is not a real number.")
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"0 to the negative power {n:g} is infinite.")
        local = n * x ** (n - 1) if n != 0 else 0.0  # d(x^n)/dx = n x^(n-1)
        return Value(x**n, (self,), (local,), f"**{n:g}")

    def __neg__(self):
        return Value(-self.data, (self,), (-1.0,), "neg")  # d(-a)/da = -1

    def __radd__(self, other):  # 2 + v
        return self + other

    def __rmul__(self, other):  # 2 * v
        return self * other

    def __rsub__(self, other):  # 2 - v
        return as_value(other) - self

    def __rtruediv__(self, other):  # 2 / v
        return as_value(other) / self

    # ----------------------------------------------------------------- functions
    def exp(self):
        if self.data > _EXP_LIMIT:
            raise OverflowError(f"exp({self.data:g}) is too large for a float (the limit is exp(709)); "
                                "scale the inputs down, or use sigmoid/tanh, which never overflow.")
        e = math.exp(self.data)
        return Value(e, (self,), (e,), "exp")  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive number; got {self.data:g} (add a small epsilon, e.g. "
                             "(p + 1e-12).log(), or make sure the input is a probability above 0).")
        return Value(math.log(self.data), (self,), (1.0 / self.data,), "log")  # d(ln x)/dx = 1/x

    def tanh(self):
        t = math.tanh(self.data)
        return Value(t, (self,), (1.0 - t * t,), "tanh")  # d(tanh x)/dx = 1 - tanh(x)^2

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))  # never overflows
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")  # d(sigma)/dx = sigma (1 - sigma)

    def relu(self):
        x = self.data
        return Value(x if x > 0 else 0.0, (self,), (1.0 if x > 0 else 0.0,), "relu")  # slope 1 right of 0, else 0

    # ----------------------------------------------------------------- backward
    def backward(self) -> None:
        """Fill in ``grad`` of every Value this one was computed from: d(self)/d(that Value).

        Leaves (Values you created, with no inputs) *add* to their ``grad`` on every call, as in PyTorch; call
        ``zero_grad()`` on a model (or set ``v.grad = 0.0``) before the next backward pass. Intermediate Values
        start from zero on every call, so a second call adds exactly the same amount again to the leaves.
        """
        order = topological_order(self)
        for node in order:  # intermediate results start from zero; leaves keep what they had
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self) = 1
        for node in reversed(order):  # from the output back to the inputs: the chain rule, one node at a time
            g = node.grad
            for parent, local in zip(node._prev, node._local):
                parent.grad += local * g


def topological_order(root) -> list:
    """Every node ``root`` depends on, inputs before the results made from them (``root`` last).

    A depth-first search with an explicit stack of (node, iterator over its inputs), so graphs of any depth
    work (no recursion). Works on any object with a ``_prev`` tuple of inputs.
    """
    order, seen = [], {id(root)}
    stack = [(root, iter(root._prev))]
    while stack:
        node, inputs = stack[-1]
        for parent in inputs:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append((parent, iter(parent._prev)))
                break
        else:  # every input is placed: place this node
            stack.pop()
            order.append(node)
    return order
