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

- nothing points back from an input to its result, so a graph holds no reference cycles: when the last name
  for it goes away, reference counting frees it at once;
- the constructor takes the inputs and their local derivatives as two tuples, as in chapter 5, but keeps them in
  fixed slots of the node (``_a``/``_da`` and ``_b``/``_db``; ``_rest`` for a rare third input) rather than in
  the tuples. Every object that holds other objects, tuples included, is one more thing Python's cyclic garbage
  collector walks each time it checks all memory, and it does so again and again while a network's graph of
  tens of thousands of nodes grows; one object per node instead of three makes that walk a third as long and
  the engine about twice as fast. ``_prev`` and ``_local`` still give the tuples back, for reading and drawing;
- ``backward()`` sorts the graph with a loop and an explicit stack, not recursion, so a chain of a million
  operations works; the order is the one :func:`topological_order` gives, so the gradients are the same to the
  last bit;
- a result that overflows (``Value(1e200) * Value(1e200)``) and a gradient that does (the slope of ``x ** 0.5``
  at 0 is infinite) raise a clear error instead of carrying ``inf`` on silently;
- gradients of the values you created (the leaves: weights, inputs) *accumulate* over calls to
  ``backward()``, as in PyTorch, while every intermediate node starts again from zero on each call.
  That is why a training loop resets the leaves with ``zero_grad()`` before each backward pass.
"""

from __future__ import annotations

import math
from operator import attrgetter

from nbhelpers import _validate

__all__ = ["Value", "as_value", "topological_order"]

_EXP_LIMIT = 709.78  # math.exp overflows a float above this
_describe = getattr(_validate, "describe", None) or _validate._describe  # what came, said briefly
_FIX = "For many numbers, make one Value per number (or use the array engine, Tensor)."


def _number(x, what: str = "a Value") -> float:
    """``x`` as a float, or one clear TypeError/ValueError saying what was expected (the shared validator)."""
    if isinstance(x, (str, bytes, complex, list, tuple, dict, set)) or getattr(x, "ndim", 0):  # not 1 real
        raise TypeError(f"{what} holds one plain number such as 2.0; got {_describe(x)}. {_FIX}")
    try:
        return _validate.as_scalar(x, what)
    except TypeError as err:
        raise TypeError(f"{err} {_FIX}") from None


def _checked(data, prev, op: str) -> float:
    """The slow path of ``Value(...)``: a leaf's number checked, or a result that overflowed refused."""
    if not prev:
        return _number(data)
    try:
        number = float(data)
    except (TypeError, ValueError):
        number = None
    if number is None or isinstance(data, (bool, complex, str)) or getattr(data, "ndim", 0):
        raise TypeError(f"the result of an operation ({op or 'unnamed'}) must be one plain number such as 2.0; got "
                        f"{_describe(data)}.")
    if not math.isfinite(number):
        inputs = ", ".join(f"{p.data:.6g}" for p in prev if isinstance(p, Value))
        raise OverflowError(f"the result of {op or 'an operation'} on ({inputs}) is {number}: too large for a "
                            "float (above about 1.8e308). Scale the numbers down (normalise the inputs, use a "
                            "smaller learning rate).")
    return number


def as_value(x) -> "Value":
    """``x`` itself if it is a Value, else a new leaf Value holding the number ``x``."""
    return x if isinstance(x, Value) else Value(x)


class Value:
    """One number in a computation graph: ``data``, ``grad`` (dOutput/dthis after ``backward()``), ``label``.

    Create leaves with ``Value(2.0)`` or ``Value(2.0, label="w")``; every arithmetic operation on Values
    (or on a Value and a plain number, either side) makes a new Value that remembers its inputs. A new operation
    is written as in chapter 5: ``Value(result, (inputs...), (local derivatives...), "name")``.

    >>> x = Value(3.0, label="x")
    >>> y = x ** 2 + 1
    >>> y.backward(); y.data, x.grad
    (10.0, 6.0)
    """

    __slots__ = ("data", "grad", "_a", "_da", "_b", "_db", "_rest", "_op", "label")
    __array_ufunc__ = None  # numpy scalars on the left (np.float64(2) * v) hand over to Value's own methods

    def __init__(self, data, _prev: tuple = (), _local: tuple = (), _op: str = "", label: str = ""):
        if type(data) is not float or data - data != 0.0:  # not a finite float: a leaf to check, or an overflow
            data = _checked(data, _prev, _op)
        self.data = data
        self.grad = 0.0
        self._op = _op        # the operation's name, for printing and drawing
        self.label = label
        # the inputs (_prev) and d(this)/d(each input) (_local), kept in slots: see the design notes above
        if len(_prev) == 2 and len(_local) == 2:
            self._a, self._b = _prev
            self._da, self._db = _local
            self._rest = None
        elif len(_prev) == 1 and len(_local) == 1:
            self._a, = _prev
            self._da, = _local
            self._b = None
        elif not _prev and not _local:  # a leaf
            self._a = self._b = None
        else:
            self._store_many(tuple(_prev), tuple(_local))

    def _store_many(self, prev: tuple, local: tuple) -> None:
        if len(prev) != len(local):
            raise ValueError(f"a Value made from {len(prev)} input(s) needs one local derivative per input; got "
                             f"{len(local)}: pass e.g. _prev=(self,), _local=(d_result_d_self,).")
        (self._a, self._b), (self._da, self._db) = prev[:2], local[:2]
        self._rest = tuple(zip(prev[2:], local[2:]))  # (input, local derivative) pairs from the third input on

    @property
    def _prev(self) -> tuple:
        """The Values this one was computed from (empty for a leaf)."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b) + tuple(p for p, _ in self._rest or ())

    @property
    def _local(self) -> tuple:
        """d(this)/d(each of ``_prev``), evaluated at the forward values."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        return (self._da, self._db) + tuple(d for _, d in self._rest or ())

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ----------------------------------------------------------------- arithmetic: forward value, local derivatives
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")  # d(a+b)/da = 1, d(a+b)/db = 1

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")  # d(a-b)/da = 1, d(a-b)/db = -1

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")  # d(ab)/da = b, d/db = a

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"division by a Value equal to 0 ({self.data:g} / 0).")
        q = a / b
        return Value(q, (self, other), (1.0 / b, -q / b), "/")  # d(a/b)/da = 1/b, d/db = -a/b^2 = -(a/b)/b

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError("Value ** takes a plain number as the exponent, e.g. x ** 2 (a Value exponent is not "
                            "supported; write (x.log() * y).exp() for x ** y with x > 0).")
        n = _number(n, "the exponent")
        x = self.data
        if x < 0 and not n.is_integer():
            raise ValueError(f"a negative number ({x:g}) to the non-integer power {n:g} is not a real number.")
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"0 to the negative power {n:g} is infinite (a division by zero).")
        try:
            out = x**n
            if n == 0:
                local = 0.0
            elif x == 0 and n < 1:
                local = math.inf  # the slope of x ** 0.5 at 0 is vertical: backward() says so if it is needed
            else:
                local = n * x ** (n - 1)  # d(x^n)/dx = n x^(n-1)
        except OverflowError:
            raise OverflowError(f"{x:g} ** {n:g} is too large for a float (above about 1.8e308); use a smaller "
                                "exponent or scale the number down.") from None
        return Value(out, (self,), (local,), f"**{n:g}")

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
        A gradient that becomes infinite or NaN raises an OverflowError instead of spreading.
        """
        try:
            results, leaves = _results_in_order(self)  # every intermediate's grad is set to 0 on the way
        except AttributeError:
            raise TypeError("backward() found an input that is not a Value: a new operation must list Values as "
                            "its inputs, e.g. Value(result, (self,), (local,), 'name').") from None
        self.grad += 1.0  # d(self)/d(self) = 1
        for node in reversed(results):  # from the output back to the inputs: the chain rule, one node at a time
            g = node.grad
            node._a.grad += node._da * g
            b = node._b
            if b is not None:
                b.grad += node._db * g
                if node._rest:
                    for parent, local in node._rest:
                        parent.grad += local * g
        total = sum(map(_GRAD, results), sum(map(_GRAD, leaves), self.grad))  # inf or NaN anywhere shows here
        if total - total != 0.0:
            _explain_bad_gradient(results, leaves)


_GRAD = attrgetter("grad")


def _results_in_order(root) -> tuple:
    """(results, leaves): the intermediate Values ``root`` depends on in :func:`topological_order`'s order
    (``root`` last, leaves left out), and the leaves met on the way (some more than once).

    The same depth-first search as :func:`topological_order`, on the slots: a node goes on the stack with a
    ``None`` above it, then its inputs, first input on top; when the ``None`` comes back off, all its inputs
    are placed and so is it. Each result's ``grad`` is reset to 0 as it is placed.
    """
    if root._a is None:
        return [], [root]
    results, leaves, seen, stack = [], [], set(), [root]
    push, pop, place, leaf = stack.append, stack.pop, results.append, leaves.append
    while stack:
        node = pop()
        if node is None:  # the inputs of the node under the marker are all placed
            node = pop()
            node.grad = 0.0
            place(node)
            continue
        if node in seen:  # reached again through another path: already placed
            continue
        seen.add(node)
        push(node)
        push(None)
        b = node._b
        if b is not None:
            for parent, _ in reversed(node._rest or ()):
                if parent._a is None:
                    leaf(parent)
                else:
                    push(parent)
            if b._a is None:
                leaf(b)
            else:
                push(b)
        a = node._a
        if a._a is None:
            leaf(a)
        else:
            push(a)
    return results, leaves


def _explain_bad_gradient(results, leaves) -> None:
    for node in results + leaves:
        if not math.isfinite(node.grad):
            what = f"the Value {node.label!r}" if node.label else (
                f"a Value made by {node._op!r}" if node._op else "an input Value")
            raise OverflowError(f"backward(): the gradient of {what} became {node.grad} (data {node.data:.6g}): a "
                                "slope along the way is too steep for a float, e.g. x ** 0.5 at x = 0, log near 0 "
                                "or a huge number. Move the input away from that point or scale it down.")
    # every gradient is finite: only their sum above overflowed


def topological_order(root) -> list:
    """Every node ``root`` depends on, inputs before the results made from them (``root`` last).

    A depth-first search with an explicit stack of (node, iterator over its inputs), so graphs of any depth
    work (no recursion). Works on any object with a ``_prev`` tuple of inputs (the chapter's own Value too).
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
