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
  fixed slots of the node (``_a``/``_da`` and ``_b``/``_db``; ``_rest`` for a third input and more) rather than
  in the tuples. Every object that holds other objects, tuples included, is one more thing Python's cyclic
  garbage collector walks each time it checks all memory, and it does so again and again while a network's graph
  of tens of thousands of nodes grows; one object per node instead of three makes that walk a third as long.
  ``_prev`` and ``_local`` still give the tuples back, for reading and drawing;
- a node may have any number of inputs: ``Value(result, (x1, ..., xn), (d1, ..., dn), name)`` keeps those after
  the second in one flat tuple, each followed by its derivative (``_rest = (x3, d3, x4, d4, ...)``: one object
  more per node, not one per input). :mod:`nbhelpers.scalar_nn` records a neuron's weighted sum that way: one
  node, where writing it out with ``*`` and ``+`` makes 2n, and the same numbers to the last bit;
- the built-in operations fill those slots directly (:func:`_unary` / :func:`_binary`), so the checks of
  ``Value(...)`` run where numbers come in from outside (a leaf, a plain-number operand), not once per node;
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
from itertools import chain

from nbhelpers import _validate

__all__ = ["Value", "as_value", "topological_order"]

_EXP_LIMIT = 709.78  # math.exp overflows a float above this
_describe = _validate.describe  # what came, said briefly
_FIX = "For many numbers, make one Value per number (or use the array engine, Tensor)."


def _number(x, what: str = "a Value") -> float:
    """``x`` as a float, or one clear TypeError/ValueError saying what was expected (the shared validator)."""
    if isinstance(x, (str, bytes, complex, list, tuple, dict, set)) or getattr(x, "ndim", 0):  # not 1 real
        raise TypeError(f"{what} holds one plain number such as 2.0; got {_describe(x)}. {_FIX}")
    try:
        return _validate.as_scalar(x, what)
    except TypeError as err:
        raise TypeError(f"{err} {_FIX}") from None
    except ValueError as err:
        raise ValueError(f"{err} Replace it by a finite number, or drop it.") from None


def _not_finite(number, inputs, op: str):
    """The error for a result that is not a finite float: one sentence, with its inputs and a fix."""
    shown = ", ".join(f"{p.data:.6g}" for p in inputs if isinstance(p, Value))
    if number != number and all(math.isfinite(p.data) for p in inputs if isinstance(p, Value)):
        return OverflowError(f"the result of {op or 'an operation'} on ({shown}) is nan, not a number; compute "
                             "the result from finite inputs only.")
    if any(not math.isfinite(p.data) for p in inputs if isinstance(p, Value)):
        return OverflowError(f"the result of {op or 'an operation'} on ({shown}) is {number}: an input's data is "
                             "already infinite or NaN (was .data set by hand, or a learning rate too large?). "
                             "Give every input a finite number.")
    return OverflowError(f"the result of {op or 'an operation'} on ({shown}) is {number}: too large for a float "
                         "(above about 1.8e308). Scale the numbers down (normalise the inputs, use a smaller "
                         "learning rate).")


def _checked(data, prev, op: str) -> float:
    """The slow path of ``Value(...)``: a leaf's number checked, or a result that overflowed refused."""
    if not prev:
        return _number(data)
    try:
        number = float(data)
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or isinstance(data, (bool, complex, str)) or getattr(data, "ndim", 0):
        raise TypeError(f"the result of an operation ({op or 'unnamed'}) must be one plain number such as 2.0; got "
                        f"{_describe(data)}. Compute it from the inputs' .data, e.g. Value(math.sin(x.data), (x,), "
                        "(math.cos(x.data),), 'sin').")
    if not math.isfinite(number):
        raise _not_finite(number, prev, op)
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
        if label.__class__ is not str or _op.__class__ is not str:
            _check_names(label, _op)
        self.data = data
        self.grad = 0.0
        self._op = _op        # the operation's name, for printing and drawing
        self.label = label
        # the inputs (_prev) and d(this)/d(each input) (_local), kept in slots: see the design notes above
        if _prev.__class__ is not tuple or _local.__class__ is not tuple:
            _prev, _local = _as_tuples(_prev, _local)
        if len(_prev) != len(_local):
            raise ValueError(f"a Value made from {len(_prev)} input(s) needs one local derivative per input; got "
                             f"{len(_local)}: pass e.g. _prev=(self,), _local=(d_result_d_self,).")
        if not _prev:  # a leaf
            self._a = self._b = None
            return
        self._a, self._da = _prev[0], _local[0]
        if len(_prev) == 1:
            self._b = None
            return
        self._b, self._db = _prev[1], _local[1]
        # inputs from the third on: one tuple of inputs and one of local derivatives (not a tuple per pair)
        self._rest = tuple(chain.from_iterable(zip(_prev[2:], _local[2:]))) if len(_prev) > 2 else None

    @property
    def _prev(self) -> tuple:
        """The Values this one was computed from (empty for a leaf)."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._a,)
        return (self._a, self._b) + (self._rest[::2] if self._rest else ())

    @property
    def _local(self) -> tuple:
        """d(this)/d(each of ``_prev``), evaluated at the forward values."""
        if self._a is None:
            return ()
        if self._b is None:
            return (self._da,)
        return (self._da, self._db) + (self._rest[1::2] if self._rest else ())

    def __repr__(self):
        name = f"{self.label}: " if self.label else ""
        return f"Value({name}data={self.data:.6g}, grad={self.grad:.6g})"

    # ----------------------------------------------------------------- arithmetic: forward value, local derivatives
    # _binary(result, name, first input, d result/d first, second input, d result/d second); _unary likewise
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _binary(self.data + other.data, "+", self, 1.0, other, 1.0)  # d(a+b)/da = 1, d(a+b)/db = 1

    def __sub__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _binary(self.data - other.data, "-", self, 1.0, other, -1.0)  # d(a-b)/da = 1, d(a-b)/db = -1

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return _binary(self.data * other.data, "*", self, other.data, other, self.data)  # d(ab)/da = b, d/db = a

    def __truediv__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        a, b = self.data, other.data
        if b == 0:
            raise ZeroDivisionError(f"division by a Value equal to 0 ({a:g} / 0); keep the divisor away from 0, "
                                    "e.g. x / (y + 1e-12) when y is never negative.")
        q = a / b
        return _binary(q, "/", self, 1.0 / b, other, -q / b)  # d(a/b)/da = 1/b, d/db = -a/b^2 = -(a/b)/b

    def __pow__(self, n):
        if isinstance(n, Value):
            raise TypeError("Value ** takes a plain number as the exponent, e.g. x ** 2 (a Value exponent is not "
                            "supported; write (x.log() * y).exp() for x ** y with x > 0).")
        n = _number(n, "the exponent")
        x = self.data
        if x < 0 and not n.is_integer():
            raise ValueError(f"a negative number ({x:g}) to the non-integer power {n:g} is not a real number; use a "
                             "whole-number exponent, or a positive base such as (x * x + 1e-12) ** (n / 2).")
        if x == 0 and n < 0:
            raise ZeroDivisionError(f"0 to the negative power {n:g} is infinite (a division by zero); keep the base "
                                    "away from 0, e.g. (x + 1e-12) ** n when x is never negative.")
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
        return _unary(out, f"**{n:g}", self, local)

    def __neg__(self):
        return _unary(-self.data, "neg", self, -1.0)  # d(-a)/da = -1

    __radd__ = __add__  # 2 + v: addition and multiplication do not care about the order
    __rmul__ = __mul__  # 2 * v

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
        return _unary(e, "exp", self, e)  # d(e^x)/dx = e^x

    def log(self):
        if self.data <= 0:
            raise ValueError(f"log needs a positive number; got {self.data:g} (add a small epsilon, e.g. "
                             "(p + 1e-12).log(), or make sure the input is a probability above 0).")
        return _unary(math.log(self.data), "log", self, 1.0 / self.data)  # d(ln x)/dx = 1/x

    def tanh(self):
        t = math.tanh(self.data)
        return _unary(t, "tanh", self, 1.0 - t * t)  # d(tanh x)/dx = 1 - tanh(x)^2

    def sigmoid(self):
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))  # never overflows
        return _unary(s, "sigmoid", self, s * (1.0 - s))  # d(sigma)/dx = sigma (1 - sigma)

    def relu(self):
        x = self.data
        return _unary(x if x > 0 else 0.0, "relu", self, 1.0 if x > 0 else 0.0)  # slope 1 right of 0, else 0

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
                rest = node._rest
                if rest is not None:  # (x3, d3, x4, d4, ...): zip(it, it) hands out the pairs
                    rest = iter(rest)
                    for parent, local in zip(rest, rest):
                        parent.grad += local * g
        # an inf or NaN anywhere is handed on down to the leaves (inf * 0 is NaN, not 0), so they show it
        for leaf in leaves:
            if leaf.grad - leaf.grad != 0.0:
                _explain_bad_gradient(results, leaves)


_new = object.__new__  # a Value with empty slots, without running __init__ (the operations fill the slots)


def _unary(data, op: str, a, da):
    """The result of a one-input operation: ``Value(data, (a,), (da,), op)``, without re-checking ``a``."""
    if data - data != 0.0:  # inf or NaN: refuse it here, so no infinity spreads silently
        raise _not_finite(data, (a,), op)
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._op = op
    out.label = ""
    out._a = a
    out._da = da
    out._b = None
    return out


def _binary(data, op: str, a, da, b, db):
    """The result of a two-input operation: ``Value(data, (a, b), (da, db), op)``, without re-checking them."""
    if data - data != 0.0:
        raise _not_finite(data, (a, b), op)
    out = _new(Value)  # one store per line: a, b, c, d = ... would build and drop a tuple each time
    out.data = data
    out.grad = 0.0
    out._op = op
    out.label = ""
    out._a = a
    out._da = da
    out._b = b
    out._db = db
    out._rest = None
    return out


def _check_names(label, op) -> None:
    if not isinstance(label, str):
        raise TypeError(f"label must be text such as 'w' (it names the Value in printouts and drawings); got "
                        f"{_describe(label)}. Write label='w', or leave it out.")
    if not isinstance(op, str):
        raise TypeError(f"_op must be the operation's name as text such as 'sin'; got {_describe(op)}. Write e.g. "
                        "Value(result, (x,), (local,), 'sin').")


def _as_tuples(prev, local) -> tuple:
    """The inputs and local derivatives of ``Value(data, _prev, _local)`` as tuples, or one clear error."""
    for name, items, example in (("_prev", prev, "(self,)"), ("_local", local, "(d_result_d_self,)")):
        if isinstance(items, (str, bytes, dict)) or not hasattr(items, "__iter__"):
            raise TypeError(f"{name} must be a tuple, even for one input: write {example} with a trailing comma; "
                            f"got {_describe(items)}.")
    return tuple(prev), tuple(local)


def _results_in_order(root) -> tuple:
    """(results, leaves): the intermediate Values ``root`` depends on in :func:`topological_order`'s order
    (``root`` last, leaves left out), and the leaves it depends on, each once.

    The same depth-first search as :func:`topological_order`, on the slots: a node goes on the stack with a
    ``None`` above it, then its inputs, first input on top; when the ``None`` comes back off, all its inputs
    are placed and so is it. Each result's ``grad`` is reset to 0 as it is placed.
    """
    if root._a is None:
        return [], [root]
    results, leaves, seen, stack = [], [], set(), [root]
    push, pop, place, leaf, mark = stack.append, stack.pop, results.append, leaves.append, seen.add
    while stack:
        node = pop()
        if node is None:  # the inputs of the node under the marker are all placed
            node = pop()
            node.grad = 0.0
            place(node)
            continue
        if node in seen:  # reached again through another path: already placed
            continue
        mark(node)
        push(node)
        push(None)
        b = node._b
        if b is not None:
            if node._rest is not None:
                for parent in node._rest[-2::-2]:  # the inputs, last first
                    if parent._a is not None:
                        push(parent)
                    elif parent not in seen:
                        mark(parent)
                        leaf(parent)
            if b._a is not None:
                push(b)
            elif b not in seen:
                mark(b)
                leaf(b)
        a = node._a
        if a._a is not None:
            push(a)
        elif a not in seen:
            mark(a)
            leaf(a)
    return results, leaves


def _explain_bad_gradient(results, leaves) -> None:
    for node in results + leaves:
        if not math.isfinite(node.grad):
            what = f"the Value {node.label!r}" if node.label else (
                f"a Value made by {node._op!r}" if node._op else "an input Value")
            raise OverflowError(f"backward(): the gradient of {what} became {node.grad} (data {node.data:.6g}): a "
                                "slope along the way is too steep for a float, e.g. x ** 0.5 at x = 0, log near 0 "
                                "or a huge number. Move the input away from that point or scale it down.")


def topological_order(root) -> list:
    """Every node ``root`` depends on, inputs before the results made from them (``root`` last).

    A depth-first search with an explicit stack of (node, iterator over its inputs), so graphs of any depth
    work (no recursion). Works on any object with a ``_prev`` tuple of inputs (the chapter's own Value too).
    """
    if not hasattr(root, "_prev"):
        raise TypeError(f"root must be a Value, the output of a computation such as loss = (a * b).relu(); got "
                        f"{_describe(root)}. Pass that Value: topological_order(loss).")
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
