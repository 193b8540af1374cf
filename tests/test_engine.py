"""The scalar autodiff engine: gradients against numerical ones, accumulation rules, depth, memory, bad input."""

from __future__ import annotations

import gc
import math
import warnings

import numpy as np
import pytest

from nbhelpers.engine import Value, as_value, topological_order

H = 1e-6


def numerical_gradient(f, xs, h=H):
    grads = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        grads.append((f(up) - f(down)) / (2 * h))
    return np.array(grads)


def random_expression(xs, seed, n_ops=14):
    """A random formula over xs using every operation, kept inside each operation's domain."""
    pick = np.random.default_rng(seed)
    pool = list(xs)
    for _ in range(n_ops):
        op = pick.choice(["+", "-", "*", "/", "**", "exp", "log", "tanh", "sigmoid", "relu", "neg", "rsub", "rdiv"])
        p, q = pool[pick.integers(len(pool))], pool[pick.integers(len(pool))]
        c = float(pick.uniform(0.5, 2.0))
        if op == "+":
            r = p + q if pick.random() < 0.5 else c + p
        elif op == "-":
            r = p - q if pick.random() < 0.5 else p - c
        elif op == "*":
            r = p * q if pick.random() < 0.5 else c * p
        elif op == "/":
            r = p / (q * q + 1.0)
        elif op == "**":
            r = (p * p + 0.5) ** float(pick.choice([0.5, -1.0, 1.5])) if pick.random() < 0.5 else p ** 3
        elif op == "exp":
            r = p.tanh().exp()
        elif op == "log":
            r = (p * p + 0.5).log()
        elif op == "neg":
            r = -p
        elif op == "rsub":
            r = c - p
        elif op == "rdiv":
            r = c / (p * p + 1.0)
        else:
            r = getattr(p, op)()
        pool.append(r)
    return sum(pool[len(xs):], pool[0])


@pytest.mark.parametrize("seed", range(40))
def test_random_expressions_match_numerical_gradients(seed):
    numbers = np.random.default_rng(1000 + seed).uniform(-2, 2, size=4).tolist()
    xs = [Value(v) for v in numbers]
    out = random_expression(xs, seed)
    out.backward()
    expected = numerical_gradient(lambda vs: random_expression([Value(v) for v in vs], seed).data, numbers)
    got = np.array([x.grad for x in xs])
    assert np.allclose(got, expected, rtol=1e-5, atol=1e-6), (got, expected)


OPS = {
    "add": (lambda a, b: a + b, 2),
    "sub": (lambda a, b: a - b, 2),
    "mul": (lambda a, b: a * b, 2),
    "div": (lambda a, b: a / b, 2),
    "pow2": (lambda a: a**2, 1),
    "pow-half": (lambda a: (a * a) ** 0.5, 1),
    "pow-neg": (lambda a: a**-2, 1),
    "neg": (lambda a: -a, 1),
    "exp": (lambda a: a.exp(), 1),
    "log": (lambda a: (a * a).log(), 1),
    "tanh": (lambda a: a.tanh(), 1),
    "sigmoid": (lambda a: a.sigmoid(), 1),
    "relu": (lambda a: a.relu(), 1),
    "radd": (lambda a: 2.5 + a, 1),
    "rsub": (lambda a: 2.5 - a, 1),
    "rmul": (lambda a: 2.5 * a, 1),
    "rdiv": (lambda a: 2.5 / a, 1),
}


@pytest.mark.parametrize("name", OPS)
@pytest.mark.parametrize("point", [-1.7, -0.3, 0.6, 2.2])
def test_each_operation_local_derivative(name, point):
    f, arity = OPS[name]
    numbers = [point, 0.8 - point][:arity]
    xs = [Value(v) for v in numbers]
    out = f(*xs)
    out.backward()
    expected = numerical_gradient(lambda vs: f(*[Value(v) for v in vs]).data, numbers)
    assert np.allclose([x.grad for x in xs], expected, rtol=1e-6, atol=1e-7)


def test_worked_example_and_docstring_numbers():
    a, b, c, d = Value(1.5), Value(-2.0), Value(4.0), Value(-3.0)
    L = (a * b + c) * d
    L.backward()
    assert L.data == -3.0
    assert (a.grad, b.grad, c.grad, d.grad) == (6.0, -4.5, -3.0, 1.0)
    a, b = Value(2.0), Value(-3.0)
    out = a * b + a
    out.backward()
    assert (out.data, a.grad, b.grad) == (-4.0, -2.0, 2.0)


def test_a_value_used_twice_accumulates():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0
    x, y, w = Value(3.0), Value(-2.0), Value(-1.5)
    L = (x * y + x) * w
    L.backward()
    assert (x.grad, y.grad, w.grad) == (1.5, -4.5, -3.0)


def test_backward_twice_doubles_leaves_but_not_intermediates():
    w = Value(1.0)
    h = w * 3.0
    L = h * h  # 9 w^2
    L.backward()
    assert (w.grad, h.grad, L.grad) == (18.0, 6.0, 1.0)
    L.backward()
    # leaves accumulate like PyTorch (exactly twice), intermediates are recomputed (no compounding to 3x)
    assert (w.grad, h.grad, L.grad) == (36.0, 6.0, 1.0)
    w.grad = 0.0
    L.backward()
    assert w.grad == 18.0


def test_backward_on_a_deeper_chain_twice_is_exactly_twice():
    w = Value(0.7)
    y = w
    for _ in range(10):
        y = (y * 1.1).tanh() + w
    y.backward()
    once = w.grad
    y.backward()
    assert math.isclose(w.grad, 2 * once, rel_tol=1e-12)


def test_backward_on_a_leaf_output():
    x = Value(4.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_gradient_of_a_value_not_on_the_path_stays_zero():
    x, unused = Value(1.0), Value(5.0)
    (x * 2).backward()
    assert unused.grad == 0.0 and x.grad == 2.0


def test_long_chain_has_no_recursion_error():
    # 200,000 nodes deep: two hundred times Python's default recursion limit (the benchmark runs a million)
    terms = [Value(float(i % 5)) for i in range(100_000)]
    total = sum(terms)
    assert len(topological_order(total)) > 200_000
    total.backward()
    assert total.data == float(sum(i % 5 for i in range(100_000)))
    assert terms[0].grad == 1.0 and terms[-1].grad == 1.0
    del total  # freeing a deep chain must not crash either


def test_graph_has_no_reference_cycles():
    # the lean design: dropping a graph frees it by reference counting; the cyclic collector finds nothing
    gc.collect()
    gc.disable()
    try:
        xs = [Value(float(i)) for i in range(50)]
        y = sum(((x * 2.0 - 1.0) ** 2).tanh() for x in xs)
        y.backward()
        del y, xs
        found = gc.collect()
    finally:
        gc.enable()
    assert found == 0


def test_values_are_small_slotted_objects():
    v = Value(1.0)
    assert not hasattr(v, "__dict__")
    with pytest.raises(AttributeError):
        v.something_else = 1


def test_numbers_on_either_side_and_numpy_scalars():
    v = Value(2.0)
    for result, expected in [(v + 1, 3.0), (1 + v, 3.0), (v - 1, 1.0), (1 - v, -1.0), (v * 3, 6.0), (3 * v, 6.0),
                             (v / 4, 0.5), (4 / v, 2.0), (v ** 3, 8.0), (-v, -2.0)]:
        assert isinstance(result, Value) and result.data == expected
    for result in (np.float64(3.0) * v, v * np.float64(3.0), np.float32(3.0) + v, v + np.int64(3)):
        assert isinstance(result, Value)
    y = np.float64(3.0) * v
    y.backward()
    assert v.grad == 3.0


def test_extreme_inputs_stay_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Value(-1000.0).sigmoid().data == 0.0
        assert Value(1000.0).sigmoid().data == 1.0
        assert Value(1000.0).tanh().data == 1.0
        s = Value(-800.0)
        s.sigmoid().backward()
        assert s.grad == 0.0


@pytest.mark.parametrize("bad", ["a", None, [1.0, 2.0], np.array([1.0, 2.0]), True, {"x": 1}])
def test_bad_input_gives_a_clear_type_error(bad):
    with pytest.raises(TypeError, match="one plain number|a single number"):
        Value(bad)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_input_is_refused(bad):
    with pytest.raises(ValueError, match="finite"):
        Value(bad)


def test_arithmetic_with_bad_operands_is_clear():
    v = Value(2.0)
    with pytest.raises(TypeError, match="one plain number|a single number"):
        v + "a"
    with pytest.raises(TypeError, match="one plain number|a single number"):
        v * np.array([1.0, 2.0])
    with pytest.raises(TypeError, match="exponent"):
        v ** Value(2.0)
    with pytest.raises(TypeError, match="exponent"):
        v ** "2"


def test_math_errors_are_explained():
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(0.0).log()
    with pytest.raises(ValueError, match="log needs a positive number"):
        Value(-1.0).log()
    with pytest.raises(OverflowError, match="too large"):
        Value(1000.0).exp()
    with pytest.raises(ZeroDivisionError, match="division by a Value equal to 0"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="not a real number"):
        Value(-4.0) ** 0.5


def test_power_zero_and_relu_at_zero():
    x = Value(0.0)
    (x ** 0).backward()
    assert x.grad == 0.0
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0  # the convention at the kink


def test_as_value_and_repr_and_labels():
    v = Value(2.0, label="w")
    assert as_value(v) is v
    assert as_value(3).data == 3.0
    assert repr(v) == "Value(w: data=2, grad=0)"
    out = v * 2
    assert out._op == "*" and out._prev[0] is v and out._local == (2.0, 2.0)


def test_topological_order_puts_inputs_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    position = {id(n): i for i, n in enumerate(order)}
    assert order[-1] is e and {id(n) for n in order} == {id(n) for n in (a, b, c, d, e)} and len(order) == 5
    for node in order:
        for parent in node._prev:
            assert position[id(parent)] < position[id(node)]


# ------------------------------------------------------------------ issue 13: extremes and bad input, one sentence each

def test_zero_to_a_positive_power_is_fine_and_an_infinite_slope_is_reported():
    assert (Value(0.0) ** 0.5).data == 0.0 and (Value(0.0) ** 2).data == 0.0
    x = Value(0.0)
    (x ** 1.5).backward()  # slope 1.5 * 0 ** 0.5 = 0
    assert x.grad == 0.0
    x = Value(0.0, label="x")
    y = x ** 0.5  # the forward value is fine; its slope at 0 is vertical
    with pytest.raises(OverflowError, match=r"gradient of the Value 'x' became inf.*x \*\* 0.5 at x = 0"):
        y.backward()
    with pytest.raises(ZeroDivisionError, match="0 to the negative power -0.5 is infinite"):
        Value(0.0) ** -0.5


@pytest.mark.parametrize("make", [
    lambda: Value(10.0) ** 400,
    lambda: Value(1e200) * Value(1e200),
    lambda: Value(1e308) + Value(1e308),
    lambda: Value(-1e308) - 1e308,
    lambda: 1.0 / Value(1e-310),
    lambda: Value(1e-300) ** -2,
    lambda: Value(700.0).exp() * 1e100,
])
def test_a_result_that_overflows_raises_a_clear_error(make):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OverflowError, match="too large for a float"):
            make()


def test_a_gradient_that_overflows_raises_a_clear_error():
    a = Value(1e-300, label="a")
    out = a.log() * 1e10  # forward fine (-6.9e12); d out/da = 1e10 / 1e-300 overflows
    with pytest.raises(OverflowError, match="gradient of the Value 'a' became inf"):
        out.backward()


@pytest.mark.parametrize("bad", [1 + 2j, np.complex128(1.0), "2.0", b"2", np.array([None], dtype=object),
                                 np.array(None, dtype=object), [None], object()])
def test_more_bad_input_is_refused_in_one_sentence(bad):
    with pytest.raises(TypeError, match="(one plain number|a single number).*Value per number"):
        Value(bad)
    with pytest.raises(TypeError, match="(one plain number|a single number)"):
        Value(1.0) * bad


def test_a_new_operation_with_mismatched_inputs_is_refused():
    x = Value(1.0)
    with pytest.raises(ValueError, match="one local derivative per input"):
        Value(2.0, (x,), ())
    with pytest.raises(ValueError, match="one local derivative per input"):
        Value(2.0, (x, x, x), (1.0, 1.0))
    with pytest.raises(TypeError, match="not a Value"):
        Value(2.0, (1.5,), (1.0,)).backward()


def test_a_new_operation_with_three_inputs():
    a, b, c = Value(2.0), Value(3.0), Value(4.0)
    out = Value(a.data * b.data * c.data, (a, b, c), (b.data * c.data, a.data * c.data, a.data * b.data), "abc")
    assert out._prev == (a, b, c) and out._local == (12.0, 8.0, 6.0)
    (out * 2.0).backward()
    assert (a.grad, b.grad, c.grad) == (24.0, 16.0, 12.0)
    assert topological_order(out)[-1] is out and len(topological_order(out)) == 4


# ------------------------------------------------------------------ the same numbers as the engine before issue 15

class _TupleValue:
    """The engine as it was before issue 15 (and as chapter 5 writes it): inputs and local derivatives in tuples,
    the graph ordered by topological_order, gradients handed on with ``+=``."""

    def __init__(self, data, prev=(), local=()):
        self.data, self.grad, self._prev, self._local = float(data), 0.0, prev, local

    def __add__(self, o):
        o = o if isinstance(o, _TupleValue) else _TupleValue(o)
        return _TupleValue(self.data + o.data, (self, o), (1.0, 1.0))

    __radd__ = __add__

    def __mul__(self, o):
        o = o if isinstance(o, _TupleValue) else _TupleValue(o)
        return _TupleValue(self.data * o.data, (self, o), (o.data, self.data))

    __rmul__ = __mul__

    def relu(self):
        return _TupleValue(max(self.data, 0.0), (self,), (1.0 if self.data > 0 else 0.0,))

    def backward(self):
        order = topological_order(self)
        for node in order:
            if node._prev:
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            for parent, local in zip(node._prev, node._local):
                parent.grad += local * node.grad


def _train_tiny_mlp(V, steps=3):
    """micrograd's demo in miniature: a 2-8-8-1 ReLU network, hinge loss + L2, full-batch SGD."""
    rng = np.random.default_rng(3)
    X, y = rng.uniform(-1, 1, (24, 2)).tolist(), np.where(rng.random(24) > 0.5, 1.0, -1.0).tolist()
    sizes = [2, 8, 8, 1]
    layers = [[([V(float(w)) for w in rng.normal(0, 0.7, n_in)], V(0.0)) for _ in range(n_out)]
              for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    params = [p for layer in layers for w, b in layer for p in (*w, b)]
    history = []
    for step in range(steps):
        scores = []
        for row in X:
            h = row
            for k, layer in enumerate(layers):
                h = [sum((wi * xi for wi, xi in zip(w, h)), b) for w, b in layer]
                h = [z.relu() for z in h] if k < len(layers) - 1 else h
            scores.append(h[0])
        loss = sum((1 + -yi * si).relu() for yi, si in zip(y, scores)) * (1.0 / len(X))
        loss = loss + 1e-4 * sum(p * p for p in params)
        for p in params:
            p.grad = 0.0
        loss.backward()
        history.append((loss.data, [p.grad for p in params]))
        for p in params:
            p.data -= (1.0 - 0.3 * step) * p.grad
    return history, [p.data for p in params]


def test_training_gives_the_same_numbers_to_the_last_bit_as_the_tuple_engine():
    ours, ours_params = _train_tiny_mlp(Value)
    before, before_params = _train_tiny_mlp(_TupleValue)
    for (loss, grads), (loss_before, grads_before) in zip(ours, before):
        assert loss == loss_before and grads == grads_before  # exactly equal, not merely close
    assert ours_params == before_params
    assert any(g != 0.0 for g in ours[-1][1])  # the comparison is not between zeros


def test_backward_visits_the_graph_in_topological_order():
    from nbhelpers.engine import _results_in_order

    for seed in range(5):
        xs = [Value(v) for v in np.random.default_rng(seed).uniform(0.5, 2.0, 4)]
        out = random_expression(xs, seed, n_ops=30)
        results, _ = _results_in_order(out)
        assert results == [n for n in topological_order(out) if n._prev]


# ------------------------------------------------------------------ issue 13: each sentence names what came and a fix

@pytest.mark.parametrize("make, words", [
    (lambda: Value(1e308) + 1e308, r"result of \+ on \(1e\+308, 1e\+308\) is inf: too large for a float.*Scale"),
    (lambda: 1e308 - Value(-1e308), r"result of - on .* is inf: too large .*Scale the numbers down"),
    (lambda: -Value(1e200) * 1e200, r"result of \* .* is -inf"),
    (lambda: Value(math.inf, (Value(1.0),), (1.0,), "mine"), r"result of mine on \(1\) is inf"),
])
def test_an_overflow_anywhere_names_the_operation_its_inputs_and_a_fix(make, words):
    with pytest.raises(OverflowError, match=words) as info:
        make()
    assert "\n" not in str(info.value)


def test_a_nan_set_by_hand_is_caught_at_the_next_operation():
    w = Value(1.0)
    w.data = float("nan")  # e.g. an update step gone wrong
    with pytest.raises(OverflowError, match=r"an input's data is already infinite or NaN.*Give every input a finite"):
        w * 2.0


@pytest.mark.parametrize("make, error, words", [
    (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, r"equal to 0 \(1 / 0\); keep the divisor away from 0"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, r"infinite .*; keep the base away from 0"),
    (lambda: Value(-4.0) ** 0.5, ValueError, r"not a real number; use a whole-number exponent"),
    (lambda: Value(float("nan")), ValueError, r"finite number .*got nan\. Replace it by a finite number"),
    (lambda: Value(2.0, label=5), TypeError, r"label must be text such as 'w' .*got int 5\. Write label='w'"),
    (lambda: Value(2.0, (Value(1.0),), (1.0,), 7), TypeError, r"_op must be the operation's name as text"),
    (lambda: Value(2.0, "ab", (1.0, 1.0)), TypeError, r"_prev must be a tuple, even for one input: write \(self,\) with a trailing comma; got the text 'ab'"),
    (lambda: Value("x", (Value(1.0),), (1.0,), "sin"), TypeError, r"must be one plain number .*Compute it from"),
])
def test_every_engine_error_says_what_came_and_how_to_fix_it(make, error, words):
    with pytest.raises(error, match=words) as info:
        make()
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("bad", [None, "loss", 2.0, [Value(1.0)], object()])
def test_topological_order_of_something_that_is_not_a_value_is_refused_in_one_sentence(bad):
    with pytest.raises(TypeError, match=r"root must be a Value, .*; got .*\. Pass that Value: topological_order"):
        topological_order(bad)


def test_inputs_given_as_lists_are_accepted_like_tuples():
    a, b = Value(2.0), Value(3.0)
    out = Value(6.0, [a, b], [3.0, 2.0], "mul")
    out.backward()
    assert out._prev == (a, b) and (a.grad, b.grad) == (3.0, 2.0)


def test_the_operations_build_nodes_without_running_the_checks_again(monkeypatch):
    # the checks of Value(...) run where numbers come in (a leaf, a plain-number operand), not once per node
    calls = []
    init = Value.__init__
    monkeypatch.setattr(Value, "__init__", lambda self, *args, **kw: calls.append(args) or init(self, *args, **kw))
    a, b = Value(2.0), Value(3.0)
    out = ((a * b + a - b) / b).tanh().exp().sigmoid().relu() ** 2 + (-a + b).log()
    assert len(calls) == 2 and out.data > 0  # the two leaves only
    a * 2  # a plain-number operand is checked as it becomes a leaf
    assert len(calls) == 3 and calls[-1] == (2,)


def test_large_finite_gradients_are_fine_even_if_their_sum_would_overflow():
    a, c = Value(1.0), Value(-1.0)
    out = a * 1.7e308 + c * 1.7e308  # forward 0; both gradients 1.7e308, their sum would be inf
    out.backward()
    assert (a.grad, c.grad) == (1.7e308, 1.7e308)


def test_an_infinite_gradient_in_the_middle_is_caught_where_it_reaches_the_leaves():
    x = Value(0.0, label="x")
    y = (x ** 0.5) * 0.0 + x  # the steep slope meets a local derivative of 0: inf * 0 is NaN, still caught
    with pytest.raises(OverflowError, match="gradient of the Value 'x' became nan"):
        y.backward()


def test_backward_lists_each_leaf_once():
    from nbhelpers.engine import _results_in_order

    w, x = Value(2.0), Value(3.0)
    out = sum((w * x for _ in range(50)), Value(0.0))
    results, leaves = _results_in_order(out)
    assert len(leaves) == len({id(v) for v in leaves}) == 3  # w, x and the start 0.0, each once (not 101 times)
    assert len(results) == 100


def test_a_forgotten_trailing_comma_is_named():
    x = Value(0.5)
    with pytest.raises(TypeError, match=r"_local must be a tuple, even for one input: write \(d_result_d_self,\) "
                                        r"with a trailing comma; got float 0\.877"):
        Value(math.sin(x.data), (x,), (math.cos(x.data)), "sin")  # (cos) is just cos in brackets
