"""The array engine: every operation's gradient against numerical gradients (with broadcasting), agreement
with the scalar engine, accumulation rules, clear errors, and the optimizer interface chapter 6 relies on."""

from __future__ import annotations

import gc
import warnings

import numpy as np
import pytest

from nbhelpers.engine import Value
from nbhelpers.optim import SGD, Adam
from nbhelpers.tensor import Tensor, as_tensor

RNG = np.random.default_rng(5)


def numerical_gradients(f, arrays, h=1e-6):
    """d f(arrays) / d arrays[i], elementwise central differences; f returns a float."""
    grads = []
    for array in arrays:
        grad = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            old = array[index]
            array[index] = old + h
            up = f(arrays)
            array[index] = old - h
            down = f(arrays)
            array[index] = old
            grad[index] = (up - down) / (2 * h)
        grads.append(grad)
    return grads


def check_gradients(f, shapes, *, positive=False, seed=0, weights=True):
    """f maps Tensors to a Tensor; its weighted sum's gradient must match the numerical one."""
    rng = np.random.default_rng(seed)
    arrays = [rng.uniform(0.5, 2.0, size=s) if positive else rng.normal(size=s) for s in shapes]
    out_shape = f(*[Tensor(a) for a in arrays]).shape
    mix = rng.normal(size=out_shape) if weights else np.ones(out_shape)  # a non-uniform upstream gradient

    def scalar(arrs):
        return float((f(*[Tensor(a) for a in arrs]).data * mix).sum())

    tensors = [Tensor(a) for a in arrays]
    (f(*tensors) * mix).sum().backward()
    expected = numerical_gradients(scalar, [a.copy() for a in arrays])
    for t, e in zip(tensors, expected):
        assert t.grad.shape == t.shape
        assert np.allclose(t.grad, e, rtol=1e-5, atol=1e-6), (t.grad, e)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
}
SHAPE_PAIRS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((3, 1), (1, 4)),
               ((2, 3, 4), (3, 1)), ((), (2, 3)), ((4,), ())]


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
def test_binary_operations_with_broadcasting(name, shapes):
    check_gradients(BINARY[name], shapes, positive=(name == "div"))


UNARY = {
    "exp": lambda a: a.exp(),
    "log": lambda a: a.log(),
    "tanh": lambda a: a.tanh(),
    "sigmoid": lambda a: a.sigmoid(),
    "relu": lambda a: a.relu(),
    "leaky_relu": lambda a: a.leaky_relu(0.1),
    "square": lambda a: a**2,
    "sqrt": lambda a: a**0.5,
    "reciprocal": lambda a: a**-1,
    "neg": lambda a: -a,
    "rsub": lambda a: 3.0 - a,
    "rdiv": lambda a: 3.0 / a,
    "radd": lambda a: 3.0 + a,
    "rmul": lambda a: 3.0 * a,
    "T": lambda a: a.T,
    "reshape": lambda a: a.reshape(4, 3),
    "reshape_tuple": lambda a: a.reshape((2, 6)),
    "log_softmax": lambda a: a.log_softmax(),
    "log_softmax_axis0": lambda a: a.log_softmax(axis=0),
}


@pytest.mark.parametrize("name", UNARY)
def test_unary_operations(name):
    positive = name in ("log", "sqrt", "reciprocal", "rdiv")
    check_gradients(UNARY[name], [(3, 4)], positive=positive)


REDUCTIONS = {
    "sum": lambda a: a.sum(),
    "sum0": lambda a: a.sum(axis=0),
    "sum1": lambda a: a.sum(axis=1),
    "sum-1": lambda a: a.sum(axis=-1),
    "sum01": lambda a: a.sum(axis=(0, 1)),
    "sum_keep": lambda a: a.sum(axis=1, keepdims=True),
    "sum_keep_all": lambda a: a.sum(keepdims=True),
    "mean": lambda a: a.mean(),
    "mean0": lambda a: a.mean(axis=0),
    "mean-1_keep": lambda a: a.mean(axis=-1, keepdims=True),
    "mean_tuple": lambda a: a.mean(axis=(0, 2)),
}


@pytest.mark.parametrize("name", REDUCTIONS)
def test_reductions(name):
    shape = (2, 3, 4) if name == "mean_tuple" else (3, 4)
    check_gradients(REDUCTIONS[name], [shape])


def test_matmul():
    check_gradients(lambda a, b: a @ b, [(3, 4), (4, 2)])
    check_gradients(lambda a, b: a @ b.T, [(3, 4), (5, 4)])


INDEXES = {
    "row": lambda a: a[1],
    "slice": lambda a: a[:, 1:3],
    "int_arrays": lambda a: a[np.arange(3), np.array([0, 2, 1])],
    "repeated": lambda a: a[np.array([0, 0, 2])],  # the same row twice: its gradient adds up
    "float_labels": lambda a: a[np.arange(3), np.array([3.0, 0.0, 3.0])],
    "bool_mask": lambda a: a[a.data > 0],
    "tensor_index": lambda a: a[Tensor([2.0, 1.0])],
}


@pytest.mark.parametrize("name", INDEXES)
def test_indexing(name):
    check_gradients(INDEXES[name], [(3, 4)])


def test_repeated_index_gradient_value():
    a = Tensor([1.0, 2.0, 3.0])
    a[np.array([0, 0, 2])].sum().backward()
    assert a.grad.tolist() == [2.0, 0.0, 1.0]


def test_cross_entropy_pattern_matches_numerical_gradients():
    y = np.array([0, 2, 1, 2])

    def loss(logits, W):
        scores = logits @ W
        return -scores.log_softmax(axis=1)[np.arange(4), y].mean()

    check_gradients(loss, [(4, 3), (3, 3)], weights=False)


def test_log_softmax_and_sigmoid_are_stable_at_extremes():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        logits = Tensor([[1000.0, 0.0, -1000.0]])
        out = logits.log_softmax()
        assert np.all(np.isfinite(out.data)) and np.isclose(out.data[0, 0], 0.0)
        out.sum().backward()
        assert np.all(np.isfinite(logits.grad))
        s = Tensor([-1000.0, 0.0, 1000.0])
        assert np.allclose(s.sigmoid().data, [0.0, 0.5, 1.0])


def random_program(xs, seed, n_ops=10):
    """The same random elementwise formula for Values or Tensors (only operations both engines have)."""
    pick = np.random.default_rng(seed)
    pool = list(xs)
    for _ in range(n_ops):
        op = pick.choice(["+", "-", "*", "/", "**", "exp", "log", "tanh", "sigmoid", "relu"])
        p, q = pool[pick.integers(len(pool))], pool[pick.integers(len(pool))]
        if op == "+":
            r = p + q
        elif op == "-":
            r = p - q
        elif op == "*":
            r = p * q
        elif op == "/":
            r = p / (q * q + 1.0)
        elif op == "**":
            r = p**3
        elif op == "exp":
            r = p.tanh().exp()
        elif op == "log":
            r = (p * p + 0.5).log()
        else:
            r = getattr(p, op)()
        pool.append(r)
    total = pool[0]
    for r in pool[len(xs):]:
        total = total + r
    return total


@pytest.mark.parametrize("seed", range(15))
def test_random_programs_match_numerical_and_scalar_engine(seed):
    rng = np.random.default_rng(200 + seed)
    arrays = [rng.uniform(-2, 2, size=5) for _ in range(3)]
    tensors = [Tensor(a) for a in arrays]
    random_program(tensors, seed).sum().backward()
    expected = numerical_gradients(lambda arrs: float(random_program([Tensor(a) for a in arrs], seed).data.sum()),
                                   [a.copy() for a in arrays])
    for t, e in zip(tensors, expected):
        assert np.allclose(t.grad, e, rtol=1e-5, atol=1e-6)
    # the scalar engine, element by element, gives the same gradients
    for k in range(5):
        values = [Value(float(a[k])) for a in arrays]
        random_program(values, seed).backward()
        assert np.allclose([v.grad for v in values], [t.grad[k] for t in tensors], rtol=1e-9, atol=1e-12)


def test_small_mlp_gradients_equal_the_scalar_engines():
    rng = np.random.default_rng(3)
    X, y = rng.normal(size=(5, 2)), rng.normal(size=5)
    W1, b1, W2, b2 = rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)), rng.normal(size=1)
    # arrays
    tW1, tb1, tW2, tb2 = Tensor(W1), Tensor(b1), Tensor(W2), Tensor(b2)
    out = ((Tensor(X) @ tW1 + tb1).tanh() @ tW2 + tb2).reshape(-1)
    loss = ((out - y) ** 2).mean()
    loss.backward()
    # scalars
    vW1 = [[Value(float(v)) for v in row] for row in W1]
    vb1 = [Value(float(v)) for v in b1]
    vW2 = [Value(float(v)) for v in W2[:, 0]]
    vb2 = Value(float(b2[0]))
    total = Value(0.0)
    for xi, yi in zip(X.tolist(), y.tolist()):
        hidden = [(sum((xi[i] * vW1[i][j] for i in range(2)), vb1[j])).tanh() for j in range(3)]
        o = sum((h * w for h, w in zip(hidden, vW2)), vb2)
        total = total + (o - yi) ** 2
    scalar_loss = total / len(y)
    scalar_loss.backward()
    assert np.isclose(loss.item(), scalar_loss.data)
    assert np.allclose(tW1.grad, [[v.grad for v in row] for row in vW1])
    assert np.allclose(tb1.grad, [v.grad for v in vb1])
    assert np.allclose(tW2.grad[:, 0], [v.grad for v in vW2])
    assert np.allclose(tb2.grad, [vb2.grad])


def test_backward_twice_accumulates_into_leaves_only():
    w = Tensor([1.0, 2.0])
    h = w * 3.0
    loss = (h * h).sum()
    loss.backward()
    assert w.grad.tolist() == [18.0, 36.0] and h.grad.tolist() == [6.0, 12.0]
    loss.backward()
    assert w.grad.tolist() == [36.0, 72.0] and h.grad.tolist() == [6.0, 12.0]
    w.zero_grad()
    loss.backward()
    assert w.grad.tolist() == [18.0, 36.0]


def test_leaf_gradients_are_arrays_and_not_shared():
    s = Tensor(2.0)
    (s * Tensor([1.0, 2.0])).sum().backward()
    assert isinstance(s.grad, np.ndarray) and s.grad.shape == () and float(s.grad) == 3.0
    a = Tensor([1.0, 2.0])
    a.grad = None
    out = a + 0.0
    out.backward(np.ones(2))
    a.grad += 1.0  # changing a leaf's gradient in place must not change another node's
    assert out.grad.tolist() == [1.0, 1.0]


def test_intermediate_gradients_are_never_the_same_array():
    # x + y, x - y, reshape and .T all hand the incoming gradient on unchanged (or as a view of it): each node
    # must still get an array of its own, so changing one gradient in place never changes another's
    w = Tensor([[1.0, 2.0], [3.0, 4.0]])
    a, b = w * 2.0, w * 3.0
    c = a + b
    d = c.reshape(4)
    e = c.T
    loss = (d * d).sum() + (e * 1.0).sum() + (a + a).sum()
    loss.backward()
    nodes = [a, b, c, d, e, loss]
    for i, p in enumerate(nodes):
        for q in nodes[i + 1:]:
            assert p.grad is not q.grad and not np.shares_memory(p.grad, q.grad)
    before = {id(n): n.grad.copy() for n in nodes}
    c.grad += 100.0
    for n in nodes:
        if n is not c:
            assert np.array_equal(n.grad, before[id(n)])
    # the gradients themselves are unchanged by the copies: d(loss)/dw by hand
    cw = 5.0 * w.data
    expected = 5.0 * 2.0 * cw + 5.0 * 1.0 + 2.0 * 2.0
    assert np.allclose(w.grad, expected)


def test_backward_with_an_explicit_seed_gradient():
    x = Tensor([1.0, 2.0, 3.0])
    y = x * x
    y.backward(np.array([1.0, 0.0, 2.0]))
    assert x.grad.tolist() == [2.0, 0.0, 12.0]
    z = Tensor([[1.0, 2.0]])
    (z * 2).backward(Tensor([[1.0, 1.0]]))
    assert z.grad.tolist() == [[2.0, 2.0]]


def test_deep_graph_has_no_recursion_error():
    x = Tensor([1.0, 2.0])
    y = x
    for _ in range(3000):  # 6000 nodes deep
        y = y + x
    y.sum().backward()
    assert x.grad.tolist() == [3001.0, 3001.0]


def test_graph_has_no_reference_cycles():
    """A dropped graph is freed by reference counting alone: the collector finds none of its Tensors or gradient
    functions. (Only ours are counted: other threads of the test process, such as the browser tests' Playwright
    loop, may leave cycles of their own at any time.)"""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds stays in gc.garbage, to look at
    try:
        W = Tensor(np.ones((3, 2)))
        loss = ((Tensor(np.ones((4, 3))) @ W).relu().sigmoid() ** 2).mean()
        loss.backward()
        del loss, W
        gc.collect()
        ours = [o for o in gc.garbage if isinstance(o, Tensor)
                or getattr(o, "__module__", None) == "nbhelpers.tensor" and callable(o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert ours == []


def test_numpy_on_the_left_hands_over_to_tensor():
    t = Tensor([1.0, 2.0])
    for result in (np.array([1.0, 1.0]) + t, np.float64(2.0) * t, np.array(3.0) - t, [1.0, 1.0] + t):
        assert isinstance(result, Tensor)
    y = (np.array([2.0, 3.0]) * t).sum()
    y.backward()
    assert t.grad.tolist() == [2.0, 3.0]


def test_basics_and_repr():
    t = Tensor([[1.0, 2.0, 3.0]])
    assert t.shape == (1, 3) and t.ndim == 2 and t.size == 3 and len(t) == 1
    assert t.numpy() is t.data
    assert Tensor([4.0]).item() == 4.0 and Tensor([[4.0]]).item() == 4.0 and Tensor(4.0).item() == 4.0
    assert repr(Tensor([1.0, 2.0])) == "Tensor([1.0, 2.0])"
    assert repr(Tensor(np.zeros((3, 3)))) == "Tensor(shape=(3, 3))"
    assert "op='+'" in repr(t + 1)
    assert as_tensor(t) is t and isinstance(as_tensor(2.0), Tensor)
    assert Tensor(t).data.tolist() == t.data.tolist() and Tensor(t).data is not t.data
    source = np.array([1.0, 2.0])
    copy = Tensor(source)
    source[0] = 99.0
    assert copy.data[0] == 1.0  # a leaf owns a copy of its data


# ------------------------------------------------------------------------------------------------ clear errors

@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_shapes_that_do_not_broadcast(op):
    a, b = Tensor(np.ones((4, 3))), Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shapes \(4, 3\) and \(2, 3\).*broadcasting"):
        BINARY[op](a, b)


def test_backward_on_a_non_scalar_without_a_seed():
    with pytest.raises(ValueError, match=r"single number.*shape \(4, 1\).*mean\(\)"):
        (Tensor(np.ones((4, 2))) @ Tensor(np.ones((2, 1)))).backward()


def test_backward_with_a_wrong_seed():
    t = Tensor([1.0, 2.0]) * 2
    with pytest.raises(ValueError, match=r"grad of shape \(2,\); got \(3,\)"):
        t.backward(np.ones(3))
    with pytest.raises(TypeError, match=r"grad \(the gradient backward starts from\) must be"):
        t.backward("a")
    with pytest.raises(ValueError, match=r"grad \(the gradient backward starts from\) contains NaN"):
        t.backward([1.0, np.nan])


@pytest.mark.parametrize("bad", ["a", None, [[1.0, 2.0], [3.0]], {"a": 1}, "1.5", b"1", [1 + 2j, 3.0],
                                 np.array([1.0, 2.0], dtype=complex), np.array([True, False]), [[None, 1.0]]])
def test_bad_data(bad):
    with pytest.raises(TypeError, match="a Tensor's data must be"):
        Tensor(bad)


@pytest.mark.parametrize("bad", [np.array([1.0, None], dtype=object), [1.0, None], [1.0, float("nan")],
                                 np.array([[0.0, np.inf]])])
def test_missing_or_non_finite_data_is_refused(bad):
    # None inside becomes NaN in NumPy; either way one clear sentence naming the Tensor's data, never a NaN Tensor
    with pytest.raises((TypeError, ValueError), match="a Tensor's data"):
        Tensor(bad)


@pytest.mark.parametrize("op", ["add", "mul", "matmul"])
def test_bad_operands_are_refused_by_the_validator(op):
    t = Tensor([[1.0, 2.0]])
    other, symbol = {"add": (lambda: t + None, "+"), "mul": (lambda: t * "2", "*"),
                     "matmul": (lambda: t @ [[None], [1.0]], "@")}[op]
    with pytest.raises((TypeError, ValueError), match=rf"the other operand of Tensor \{symbol} .*got"):
        other()


def test_non_finite_data():
    with pytest.raises(ValueError, match="NaN or infinity"):
        Tensor([1.0, np.nan])


def test_matmul_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\) @ \(3, 2\)"):
        Tensor(np.ones((3, 4))) @ Tensor(np.ones((3, 2)))
    with pytest.raises(ValueError, match="reshape\\(1, -1\\)"):
        Tensor(np.ones(2)) @ Tensor(np.ones((2, 3)))


def test_math_errors_are_explained():
    with pytest.raises(ValueError, match="log of a number <= 0"):
        Tensor([1.0, 0.0]).log()
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        Tensor([1.0]) / Tensor([0.0])
    with pytest.raises(ValueError, match="not a real number"):
        Tensor([-1.0]) ** 0.5
    with pytest.raises(OverflowError, match="too large"):
        Tensor([1000.0]).exp()
    with pytest.raises(TypeError, match="plain number as the exponent"):
        Tensor([1.0]) ** Tensor([2.0])
    with pytest.raises(TypeError, match="plain number as the exponent"):
        Tensor([1.0]) ** "2"
    with pytest.raises(ValueError, match="one number"):
        Tensor([1.0, 2.0]).item()
    with pytest.raises(IndexError, match="whole numbers"):
        Tensor([1.0, 2.0])[np.array([0.5])]


def test_power_zero_has_zero_gradient_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = Tensor([0.0, 2.0])
        (x**0).sum().backward()
        assert x.grad.tolist() == [0.0, 0.0]


# ------------------------------------------------------------------------------------------------ optimizers

def test_optimizers_train_tensors():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = X @ np.array([2.0, -1.0]) + 0.5
    for make in (lambda ps: SGD(ps, lr=0.1), lambda ps: Adam(ps, lr=0.05)):
        W, b = Tensor(np.zeros(2)), Tensor(0.0)
        opt = make([W, b])
        for _ in range(300):
            loss = (((Tensor(X) * W).sum(axis=1) + b - y) ** 2).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
        assert np.allclose(W.data, [2.0, -1.0], atol=1e-2) and abs(b.item() - 0.5) < 1e-2
