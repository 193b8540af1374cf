"""The array engine's boundary: bad input gets one sentence from the package (naming the argument, saying what came),
correct input is accepted, and the checks leave the training loop's fast paths alone (issues 13 and 15)."""

from __future__ import annotations

import os
import traceback
import warnings

import numpy as np
import pytest

import nbhelpers
from nbhelpers import _validate
from nbhelpers import tensor as tensor_module
from nbhelpers.divergence import DivergenceError
from nbhelpers.mlp import MLP, dense
from nbhelpers.optim import SGD, Parameter
from nbhelpers.tensor import Tensor
from nbhelpers.training import hinge_loss, l2_penalty

PACKAGE = os.path.dirname(nbhelpers.__file__)


def T():
    return Tensor([[1.0, 2.0], [3.0, 4.0]])


def _raising_op(grads):
    t = T()
    return Tensor(2.0, (t,), lambda g: grads, "mine")


BAD = {
    # operators with a non-Tensor operand: the message names the operator
    "add text": (lambda: T() + "a", TypeError, r"other operand of Tensor \+ .*got the text 'a'"),
    "radd None": (lambda: None + T(), TypeError, r"other operand of Tensor \+ .*got NoneType None"),
    "sub object": (lambda: T() - object(), TypeError, r"other operand of Tensor - .*got object"),
    "rsub complex": (lambda: np.array([1j, 2.0]) - T(), TypeError, r"other operand of Tensor - must be real numbers"),
    "mul None inside": (lambda: T() * [[None, None]], TypeError, r"other operand of Tensor \* .*None"),
    "div NaN": (lambda: T() / float("nan"), ValueError, r"other operand of Tensor / contains NaN"),
    "rtruediv ragged": (lambda: [[1.0], [2.0, 3.0]] / T(), TypeError, r"other operand of Tensor / .*got"),
    "matmul text": (lambda: T() @ "w", TypeError, r"other operand of Tensor @ .*got the text 'w'"),
    "shapes do not broadcast": (lambda: T() + np.ones(3), ValueError, r"cannot add shapes \(2, 2\) and \(3,\)"),
    "pow NaN": (lambda: T() ** float("nan"), ValueError, r"exponent of Tensor \*\* must be a finite number.*got nan"),
    "pow text": (lambda: T() ** "2", TypeError, r"exponent.*got str"),
    "compare": (lambda: T() > 0, TypeError, r"cannot be compared.*x\.data > 0 \(got a comparison with int 0\)"),
    # axis and keepdims
    "sum axis out of range": (lambda: T().sum(axis=2), ValueError, r"axis \(of sum, .*2 dimensions\).*from -2 to 1.*got 2"),
    "sum axis float": (lambda: T().sum(axis=1.0), TypeError, r"axis \(of sum.*got float 1\.0"),
    "sum axis text": (lambda: T().sum(axis="0"), TypeError, r"axis \(of sum.*got the text '0'"),
    "sum axis True": (lambda: T().sum(axis=True), TypeError, r"axis \(of sum.*got bool True"),
    "sum axis twice": (lambda: T().sum(axis=(0, -2)), ValueError, r"names the same axis twice; got \(0, -2\)"),
    "sum keepdims 1": (lambda: T().sum(keepdims=1), TypeError, r"keepdims must be True or False; got int 1"),
    "mean axis huge": (lambda: T().mean(axis=10**9), ValueError, r"axis \(of mean.*got 1000000000"),
    "mean keepdims None": (lambda: T().mean(keepdims=None), TypeError, r"keepdims must be True or False; got NoneType"),
    "mean of nothing": (lambda: Tensor(np.empty(0)).mean(), ValueError, r"mean of an empty Tensor \(shape \(0,\)"),
    "sum axis of a number": (lambda: Tensor(3.0).sum(axis=0), ValueError, r"single number has no axis.*got axis=0"),
    "log_softmax axis": (lambda: T().log_softmax(axis=5), ValueError, r"axis \(of log_softmax.*got 5"),
    "log_softmax tuple": (lambda: T().log_softmax(axis=(0, 1)), TypeError, r"axis \(of log_softmax.*got tuple"),
    "log_softmax of a number": (lambda: Tensor(3.0).log_softmax(), ValueError, r"log_softmax of a Tensor holding a "
                                r"single number.*got axis=-1"),
    # reshape, leaky_relu, indexing
    "reshape size": (lambda: T().reshape(3), ValueError, r"cannot reshape a Tensor of shape \(2, 2\) \(4 numbers\) "
                     r"into \(3,\)"),
    "reshape two -1": (lambda: T().reshape(-1, -1), ValueError, r"into \(-1, -1\).*at most one of them -1"),
    "reshape float": (lambda: T().reshape(2.0, 2), TypeError, r"each size given to reshape.*got float 2\.0"),
    "reshape text": (lambda: T().reshape("4"), TypeError, r"each size given to reshape.*got the text '4'"),
    "reshape -2": (lambda: T().reshape(-2, -2), ValueError, r"each size given to reshape.*>= -1.*got -2"),
    "leaky alpha text": (lambda: T().leaky_relu("0.1"), TypeError, r"alpha \(leaky_relu's slope.*got the text"),
    "leaky alpha True": (lambda: T().leaky_relu(True), TypeError, r"alpha .*got bool True"),
    "leaky alpha negative": (lambda: T().leaky_relu(-0.1), ValueError, r"alpha .*in \[0, 1\].*got -0\.1"),
    "leaky alpha None inside": (lambda: T().leaky_relu([[None]]), TypeError, r"alpha .*got list"),
    "index out of range": (lambda: T()[5], IndexError, r"cannot index a Tensor of shape \(2, 2\) with 5: index 5 is "
                           r"out of bounds"),
    "index text": (lambda: T()["a"], IndexError, r"cannot index a Tensor of shape \(2, 2\) with 'a'"),
    "index float": (lambda: T()[1.5], IndexError, r"with 1\.5"),
    "index too many": (lambda: T()[0, 0, 0], IndexError, r"with \(0, 0, 0\): too many indices"),
    "index fractions": (lambda: T()[np.array([0.5])], IndexError, r"whole numbers.*got \[0\.5\]"),
    # a single number, op names, hand-made operations
    "len of a number": (lambda: len(Tensor(1.0)), TypeError, r"single number has no length; use \.item\(\)"),
    "op not text": (lambda: Tensor(1.0, op=3), TypeError, r"op \(the operation's name\) must be text.*got int 3"),
    "parents a list": (lambda: Tensor(2.0, [T()], lambda g: (g,)), TypeError, r"_parents\) must be a tuple of "
                       r"Tensors.*got list"),
    "parents not Tensors": (lambda: Tensor(2.0, (3.0,), lambda g: (g,)), TypeError, r"tuple of Tensors.*got a tuple "
                            r"holding float 3\.0"),
    "grad_fn missing": (lambda: Tensor(2.0, (T(),), None), TypeError, r"needs grad_fn.*got NoneType None"),
    "grad_fn count": (lambda: _raising_op((np.ones((2, 2)), np.ones((2, 2)))).backward(), ValueError,
                      r"grad_fn of operation 'mine' must return one gradient per input \(1\); got 2"),
    "grad_fn shape": (lambda: _raising_op((np.ones(3),)).backward(), ValueError,
                      r"returned a gradient of shape \(3,\) for input 0, of shape \(2, 2\)"),
    "grad_fn not a tuple": (lambda: _raising_op(5).backward(), TypeError, r"one gradient per input, as a tuple; got "
                            r"int 5"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_gets_one_sentence_from_the_package(name):
    call, kind, pattern = BAD[name]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning on the way
        with pytest.raises(kind, match=pattern) as info:
            call()
    message = str(info.value)
    assert "\n" not in message.strip()
    innermost = traceback.extract_tb(info.value.__traceback__)[-1].filename
    assert os.path.abspath(innermost).startswith(PACKAGE), innermost  # raised by the package, not NumPy


def test_grad_fn_returning_a_generator_is_used_not_lost():
    t = T()
    out = Tensor(2.0, (t,), lambda g: (g * np.ones((2, 2)) for _ in range(1)), "gen")
    out.backward()
    assert t.grad.tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_correct_input_is_accepted():
    t = T()
    assert t.reshape((4,)).shape == (4,) and t.reshape([1, 4]).shape == (1, 4) and t.reshape(-1).shape == (4,)
    assert t.reshape(np.int64(4)).shape == (4,) and Tensor(5.0).reshape().shape == ()
    assert t.sum(axis=(0, 1)).item() == 10.0 and t.sum(axis=[-1]).data.tolist() == [3.0, 7.0]
    assert t.sum(axis=np.int64(0), keepdims=np.True_).shape == (1, 2)
    assert t.mean(axis=-1).data.tolist() == [1.5, 3.5] and t.mean(axis=()).data.tolist() == t.data.tolist()
    assert t.leaky_relu(0).data.tolist() == t.data.tolist() and t.leaky_relu(np.float32(0.5)).op == "leaky_relu"
    assert t.log_softmax(axis=0).shape == (2, 2) and (t ** np.int64(2)).data[1, 1] == 16.0
    assert (t + np.float32(1)).data[0, 0] == 2.0 and (t * [1.0, 2.0]).data[1, 1] == 8.0
    assert (2 - t).data[0, 0] == 1.0 and ([[1.0], [1.0]] @ Tensor([[2.0, 3.0]])).shape == (2, 2)


def test_indexing_gradients_with_masks_and_new_axes():
    t = T()
    (t[t.data > 2] * 3).sum().backward()
    assert t.grad.tolist() == [[0.0, 0.0], [3.0, 3.0]]
    t.zero_grad()
    (t[None] * 2).sum().backward()
    assert t.grad.tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_operators_on_valid_numbers_never_call_the_validator(monkeypatch):
    # the hot path: a Tensor, a plain number or a finite float array as the other operand goes straight through
    def refuse(*args, **kwargs):
        raise AssertionError("the validator was called on the fast path")

    t, w = T(), Tensor(np.ones((2, 1)))
    monkeypatch.setattr(_validate, "as_float_array", refuse)
    for result in (t + 1.0, t * 2, t - np.ones(2), t / np.full((2, 2), 2.0), t @ w, 3.0 * t, t.reshape(4)):
        assert isinstance(result, Tensor)
    assert t.leaky_relu(0.1).op == "leaky_relu" and t.sum(axis=0).shape == (2,)
    with pytest.raises(AssertionError, match="validator"):  # ... while anything else is checked
        t + [1.0, 2.0]


# ----------------------------------------------------------------------------------------------- gradients' home

def test_a_leafs_gradient_is_zeros_until_backward_and_after_zero_grad():
    w = Tensor([[1.0, 2.0]])
    assert w.grad.tolist() == [[0.0, 0.0]] and w.grad.shape == w.shape
    (w * 3.0).sum().backward()
    assert w.grad.tolist() == [[3.0, 3.0]]
    (w * 3.0).sum().backward()  # accumulates
    assert w.grad.tolist() == [[6.0, 6.0]]
    w.zero_grad()
    assert w.grad.tolist() == [[0.0, 0.0]]
    (w * 2.0).sum().backward()
    assert w.grad.tolist() == [[2.0, 2.0]]
    r = w * 2.0
    assert r.grad is None  # a result has no gradient before backward
    r.zero_grad()
    assert r.grad.tolist() == [[0.0, 0.0]]


def test_optimizer_zero_grad_for_tensors_and_parameters():
    w, p = Tensor([1.0, 2.0]), Parameter([3.0, 4.0])
    w.grad, p.grad = np.array([5.0, 5.0]), np.array([6.0, 6.0])
    SGD([w, p], lr=0.1).zero_grad()
    assert w.grad.tolist() == [0.0, 0.0] and p.grad.tolist() == [0.0, 0.0] and p.grad.dtype == p.data.dtype
    model = MLP(2, [3, 1], seed=0)
    for q in model.parameters():
        q.grad = np.ones(q.shape)
    model.zero_grad()
    assert all(not q.grad.any() and q.grad.shape == q.shape for q in model.parameters())


def test_a_leafs_gradient_is_its_own_array():
    a, b = Tensor([1.0, 2.0]), Tensor([3.0, 4.0])
    s = a + b
    out = (s * 1.0).sum() + (a * 2.0).sum()  # a gets two contributions (a new sum), b one (the same array as s's)
    out.backward()
    assert a.grad.tolist() == [3.0, 3.0] and b.grad.tolist() == [1.0, 1.0]
    arrays = [a.grad, b.grad, s.grad, out.grad]
    assert len({id(x) for x in arrays}) == 4
    assert not any(np.shares_memory(x, y) for i, x in enumerate(arrays) for y in arrays[i + 1:])
    b.grad += 1.0  # changing one in place changes no other
    assert s.grad.tolist() == [1.0, 1.0] and a.grad.tolist() == [3.0, 3.0]


# ----------------------------------------------------------------------------------------------- fast paths

def test_dense_overflow_check_has_no_false_alarm_for_huge_finite_outputs():
    W, b = Tensor([[1.0]]), Tensor([0.0])
    out = dense(np.array([[1e160]]), W, b, "relu")  # its square overflows, the value does not
    assert out.data[0, 0] == 1e160
    with pytest.raises(DivergenceError, match="overflowed to infinity or NaN"):
        dense(np.array([[1e308]]), Tensor([[10.0]]), b, "relu")


def test_mlp_input_fast_path_refuses_what_the_full_check_refuses():
    model = MLP(2, [3, 1], seed=0)
    X = np.ones((4, 2))
    assert model(X).shape == (4, 1) and model(X * 1e200).shape == (4, 1)  # huge but finite: accepted as before
    X[1, 0] = np.nan
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        model(X)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\)"):
        model(np.ones((4, 3)))


def _hinge_reference(scores, y):
    """hinge_loss's checked path (labels as a list), for comparing the fast path with."""
    return hinge_loss(scores, list(np.ravel(y)))


@pytest.mark.parametrize("labels", [np.array([1.0, -1.0, 1.0, -1.0]), np.array([1, -1, 1, -1]),
                                    np.array([[1.0], [-1.0], [1.0], [-1.0]])])
def test_hinge_fast_path_gives_the_same_bits_as_the_checked_path(labels):
    data = np.array([[0.5], [0.25], [-2.0], [-3.0]])
    s_fast, s_ref = Tensor(data), Tensor(data)
    fast, ref = hinge_loss(s_fast, labels), _hinge_reference(s_ref, labels)
    assert fast.item() == ref.item() == pytest.approx((0.5 + 1.25 + 3.0 + 0.0) / 4)
    fast.backward()
    ref.backward()
    assert s_fast.grad.tobytes() == s_ref.grad.tobytes()


def test_hinge_checks_the_labels_on_every_call():
    s = Tensor(np.array([0.5, -0.5, 2.0]))
    y = np.array([1.0, -1.0, 1.0])
    hinge_loss(s, y)
    y[2] = 0.0  # the same array, changed in place: checked again
    with pytest.raises(ValueError, match=r"hinge_loss needs labels -1 and \+1; got -1, 0, 1"):
        hinge_loss(s, y)
    with pytest.raises(ValueError, match=r"hinge_loss: y \(the labels\) contains NaN"):
        hinge_loss(s, np.array([1.0, np.nan, 1.0]))
    for bad in (np.array([0.5, np.nan, 1.0]), np.array([0.5, np.inf, 1.0])):
        with pytest.raises(ValueError, match="scores contain NaN or infinity"):
            hinge_loss(Tensor(bad, (s,), lambda g: (g,), "bad"), np.array([1.0, -1.0, 1.0]))
    with pytest.raises(ValueError, match="mean margin is too large"):
        hinge_loss(Tensor(np.full(3, -1e308)), np.ones(3))


def test_l2_strength_fast_path_still_refuses_bad_strengths():
    w = Tensor([[1.0, 2.0]])
    assert l2_penalty([w], 0.1).item() == pytest.approx(0.5)
    for bad, kind in ((-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError), ("0.1", TypeError)):
        with pytest.raises(kind, match="strength"):
            l2_penalty([w], bad)


def test_demo_task_gradients_equal_the_numpy_floor():
    """micrograd's demo step with the course's MLP, hinge loss, L2 and SGD matches the same network written out in
    NumPy, step for step, to the last bits (the speed work must not change a single number)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 2))
    y = np.where(rng.random(20) > 0.5, 1.0, -1.0)
    model = MLP(2, [8, 8, 1], seed=0)
    weights = [p.data.copy() for p in model.parameters()]
    optimizer = SGD(model.parameters(), lr=0.5)
    for step in range(5):
        loss = hinge_loss(model(X), y) + l2_penalty(model.parameters(), 1e-4)
        optimizer.zero_grad()
        loss.backward()
        grads = [p.grad.copy() for p in model.parameters()]
        optimizer.step()
        # the same step by hand
        W1, b1, W2, b2, W3, b3 = weights
        h1 = np.maximum(X @ W1 + b1, 0)
        h2 = np.maximum(h1 @ W2 + b2, 0)
        s = h2 @ W3 + b3
        margin = 1 - y[:, None] * s
        gs = (y[:, None] * (margin > 0)) / -len(y)
        g2 = (gs @ W3.T) * (h2 > 0)
        g1 = (g2 @ W2.T) * (h1 > 0)
        expected = [X.T @ g1, g1.sum(0), h1.T @ g2, g2.sum(0), h2.T @ gs, gs.sum(0)]
        expected = [g + 2e-4 * w for g, w in zip(expected, weights)]
        for got, want in zip(grads, expected):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)
        weights = [w - 0.5 * g for w, g in zip(weights, grads)]
        for p, w in zip(model.parameters(), weights):
            np.testing.assert_array_equal(p.data, w)


def test_no_module_state_between_passes():
    # backward keeps nothing between calls (no cache that a later graph could pick up by mistake)
    names = {n for n in vars(tensor_module) if not n.startswith("__")}
    a = Tensor([1.0])
    (a * 2.0).sum().backward()
    assert {n for n in vars(tensor_module) if not n.startswith("__")} == names


def test_optimizer_still_stops_on_a_bad_gradient_or_an_exploded_parameter_among_many():
    # the divergence test looks at all parameters at once (one product over them all): one bad value still counts
    model = MLP(2, [4, 4, 1], seed=0)
    params = model.parameters()
    optimizer = SGD(params, lr=0.1)
    before = [p.data.copy() for p in params]
    for p in params:
        p.grad = np.zeros(p.shape)
    params[3].grad[1] = np.nan
    with pytest.raises(DivergenceError, match="gradient is inf or NaN"):
        optimizer.step()
    assert all(np.array_equal(p.data, b) for p, b in zip(params, before))  # nothing moved
    params[3].grad[1] = 0.0
    params[2].grad[0, 0] = -1e12  # one weight jumps past a million times its start
    with pytest.raises(DivergenceError, match="past the limit"):
        optimizer.step()


@pytest.mark.parametrize("make", [lambda t: t * 1e308, lambda t: 1e308 * t, lambda t: t ** 700,
                                  lambda t: t.reshape(1, 2) @ np.array([[1e308], [1e308]]),
                                  lambda t: np.array([[1e308, 1e308]]) @ t.reshape(2, 1)])
def test_a_number_that_makes_the_result_overflow_gets_one_sentence_and_no_warning(make):
    import warnings

    t = Tensor([2.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a leaked RuntimeWarning would fail here
        with pytest.raises(OverflowError, match="too large for a float") as info:
            make(t)
    assert "\n" not in str(info.value) and "scale" in str(info.value)


def test_an_index_of_true_or_false_alone_is_refused():
    t = Tensor([1.0, 2.0])
    for index in (True, np.bool_(False)):
        with pytest.raises(IndexError, match="whole numbers, slices"):
            t[index]
    assert t[np.array([True, False])].data.tolist() == [1.0]  # a mask array is fine


@pytest.mark.parametrize("make", [lambda: Tensor([1e308]) + Tensor([1e308]), lambda: Tensor([-1e308]) - Tensor([1e308]),
                                  lambda: Tensor([1e200]) * Tensor([1e200]), lambda: Tensor([1e200]) / Tensor([1e-200]),
                                  lambda: Tensor([[1e200]]) @ Tensor([[1e200]])])
def test_two_tensors_whose_result_overflows_get_one_sentence_and_no_warning(make):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(OverflowError, match="too large for a float"):
            make()
