"""Neuron, Layer and MLP built from scalar Values: the interface chapter 6's benchmark uses, gradients, training."""

from __future__ import annotations

import math

import numpy as np
import pytest

from nbhelpers.datasets import logic_gate
from nbhelpers.engine import Value
from nbhelpers.optim import Adam
from nbhelpers.scalar_nn import MLP, Layer, Neuron


def test_the_interface_chapter_6_relies_on():
    model = MLP(2, [16, 16, 1], activation="relu", seed=0)
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    params = model.parameters()
    assert len(params) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1) == 337
    assert all(isinstance(p, Value) for p in params)
    out.backward()
    assert any(p.grad != 0.0 for p in params)
    model.zero_grad()
    assert all(p.grad == 0.0 for p in params)
    # the last layer is linear, the hidden ones ReLU
    assert [n.activation for n in model.layers[-1].neurons] == ["linear"]
    assert {n.activation for layer in model.layers[:-1] for n in layer.neurons} == {"relu"}


def test_several_outputs_give_a_list():
    out = MLP(3, [4, 2], seed=1)([1.0, 2.0, 3.0])
    assert isinstance(out, list) and len(out) == 2 and all(isinstance(o, Value) for o in out)


def test_seed_sets_the_starting_weights():
    a, b, c = MLP(2, [3, 1], seed=7), MLP(2, [3, 1], seed=7), MLP(2, [3, 1], seed=8)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]
    assert [p.data for p in a.parameters()] != [p.data for p in c.parameters()]


def test_linear_output_can_be_negative_and_large():
    model = MLP(1, [1], seed=0)
    neuron = model.layers[0].neurons[0]
    neuron.w[0].data, neuron.b.data = -3.0, -1.0
    assert model([2.0]).data == -7.0


def test_neuron_computes_activation_of_weighted_sum():
    n = Neuron(2, activation="sigmoid")
    n.w[0].data, n.w[1].data, n.b.data = 0.0, 1.0, 4.0
    assert round(n([2.0, 3.0]).data, 7) == 0.9990889  # chapter 1's reference neuron
    for name, f in [("tanh", np.tanh), ("relu", lambda z: max(z, 0.0)), ("linear", lambda z: z)]:
        n = Neuron(3, activation=name, rng=np.random.default_rng(2))
        x = [0.3, -1.2, 2.0]
        z = sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data
        assert np.isclose(n(x).data, f(z))


def test_gradients_match_numerical_gradients():
    model = MLP(2, [3, 2, 1], activation="tanh", seed=4)
    X = [[0.5, -1.0], [1.5, 0.2], [-0.7, 0.9]]
    y = [1.0, -0.5, 0.25]

    def loss_value():
        return sum(((model(x) - t) ** 2 for x, t in zip(X, y)), Value(0.0))

    loss = loss_value()
    model.zero_grad()
    loss.backward()
    h = 1e-6
    for p in model.parameters():
        old = p.data
        p.data = old + h
        up = loss_value().data
        p.data = old - h
        down = loss_value().data
        p.data = old
        assert np.isclose(p.grad, (up - down) / (2 * h), rtol=1e-5, atol=1e-7)


def test_training_learns_xor():
    X, y = logic_gate("xor")
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    losses = []
    for _ in range(200):
        loss = sum((model(x) - t) ** 2 for x, t in zip(X.tolist(), y.tolist())) / 4
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.2 * p.grad
        losses.append(loss.data)
    assert losses[0] > 0.5 and losses[-1] < 0.01
    assert np.array_equal([model(x).data > 0.5 for x in X.tolist()], y > 0.5)


def test_forgetting_zero_grad_changes_training():
    # the chapter's point, checked: without zero_grad the gradients of all past steps pile up
    def run(reset):
        model = MLP(2, [3, 1], activation="tanh", seed=1)
        for _ in range(5):
            loss = (model([1.0, -1.0]) - 1.0) ** 2
            if reset:
                model.zero_grad()
            loss.backward()
            for p in model.parameters():
                p.data -= 0.05 * p.grad
        return [p.data for p in model.parameters()]

    assert not np.allclose(run(True), run(False))


def test_numpy_rows_as_inputs_and_the_course_optimizers():
    X, y = logic_gate("xor")
    model = MLP(2, [4, 1], activation="tanh", seed=0)
    opt = Adam(model.parameters(), lr=0.05)
    first = None
    for _ in range(60):
        loss = sum((model(x) - t) ** 2 for x, t in zip(X, y)) / 4  # numpy rows and numpy numbers
        opt.zero_grad()
        loss.backward()
        opt.step()
        first = float(loss.data) if first is None else first
    assert float(loss.data) < first / 2


def test_layer_and_reprs():
    layer = Layer(3, 2, activation="tanh", rng=np.random.default_rng(0))
    assert len(layer([1.0, 2.0, 3.0])) == 2 and len(layer.parameters()) == 8
    assert repr(layer) == "Layer(3 -> 2, tanh)"
    assert repr(MLP(2, [4, 1])) == "MLP(Layer(2 -> 4, relu), Layer(4 -> 1, linear))"


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="takes 2 inputs; got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="one sample as a list of 2 numbers"):
        MLP(2, [3, 1])(1.0)
    with pytest.raises(TypeError, match="one sample"):
        MLP(2, [3, 1])("ab")
    with pytest.raises(ValueError, match="unknown activation 'softmax'"):
        MLP(2, [3, 1], activation="softmax")
    with pytest.raises(ValueError, match="layer_sizes must be a non-empty list"):
        MLP(2, 16)
    with pytest.raises(ValueError, match="layer_sizes must be a non-empty list"):
        MLP(2, [])
    with pytest.raises(ValueError, match="must be a whole number from 1 to 10,000"):
        MLP(2, [0, 1])
    with pytest.raises(TypeError, match="n_inputs must be a whole number"):
        MLP(2.5, [1])
    with pytest.raises(TypeError, match=r"x\[0\] must be a single number .*got the text 'a'\. Replace that entry"):
        MLP(2, [1])(["a", 1.0])


@pytest.mark.parametrize("bad, error, words", [
    ([1.0, float("nan")], ValueError, r"x\[1\] must be a finite number .*got nan\. Replace that entry of x, or drop"),
    ([float("-inf"), 1.0], ValueError, r"x\[0\] must be a finite number .*got -inf\. Replace"),
    ([None, 1.0], TypeError, r"x\[0\] must be a single number .*got NoneType None\. Replace that entry"),
    ([1 + 2j, 1.0], TypeError, r"x\[0\] must be a single number .*complex"),
    ([True, 1.0], TypeError, r"x\[0\] must be a single number .*bool True"),
    ([10**400, 1.0], TypeError, r"x\[0\] must be a single number .*got int"),
    ("ab", TypeError, r"x must be one sample as a list of 2 numbers .*got the text 'ab'\. Pass e\.g\. \[0\.5, -1\.0\]"),
    ([1.0], ValueError, r"takes 2 inputs; got 1\. Pass one row of 2 numbers"),
])
@pytest.mark.parametrize("make", [lambda: MLP(2, [3, 1]), lambda: Layer(2, 3),
                                  lambda: Neuron(2, rng=np.random.default_rng(0))])
def test_a_bad_sample_gets_one_sentence_with_the_entry_and_a_fix(make, bad, error, words):
    with pytest.raises(error, match=words) as info:
        make()(bad)
    assert "\n" not in str(info.value)


def test_numbers_of_other_kinds_are_accepted_as_plain_floats():
    model = MLP(2, [3, 1], seed=0)
    expected = model([1.0, 2.0]).data
    assert model([np.float64(1.0), np.int64(2)]).data == expected == model([1, 2]).data


def test_a_sample_is_checked_once_per_call_not_once_per_neuron(monkeypatch):
    import nbhelpers.scalar_nn as scalar_nn

    calls = []
    checked = scalar_nn._check_sample
    monkeypatch.setattr(scalar_nn, "_check_sample", lambda x, n: calls.append(n) or checked(x, n))
    model = MLP(2, [16, 16, 1], seed=0)
    model([0.5, -1.0])
    assert calls == [2]  # once for the model, not 33 times (once per neuron)
    model.layers[1]([0.0] * 16)
    assert calls == [2, 16]


# ------------------------------------------------------------------ issue 15: a weighted sum is one node

def _written_out(model, x):
    """The same network with each weighted sum written out as sum(wi * xi ..., b): 2n nodes per neuron."""
    for k, layer in enumerate(model.layers):
        x = [sum((wi * xi for wi, xi in zip(n.w, x)), n.b) for n in layer.neurons]
        x = [z if n.activation == "linear" else getattr(z, n.activation)() for z, n in zip(x, layer.neurons)]
    return x[0]


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_one_node_per_weighted_sum_gives_the_same_numbers_to_the_last_bit(activation):
    # micrograd's demo in miniature (hinge loss + L2, inputs as Values, full-batch SGD), once with the package's
    # neurons and once with every weighted sum written out: every loss, gradient and weight exactly equal
    rng = np.random.default_rng(5)
    X, y = rng.uniform(-1, 1, (16, 2)).tolist(), np.where(rng.random(16) > 0.5, 1.0, -1.0).tolist()
    runs = []
    for forward in (lambda m, x: m(x), _written_out):
        model = MLP(2, [8, 8, 1], activation=activation, seed=3)
        params, history = model.parameters(), []
        for step in range(3):
            scores = [forward(model, [Value(v) for v in row]) for row in X]
            loss = sum((1 + -t * s).relu() for t, s in zip(y, scores)) * (1.0 / len(X))
            loss = loss + 1e-4 * sum(p * p for p in params)
            model.zero_grad()
            loss.backward()
            history.append((loss.data, [p.grad for p in params]))
            for p in params:
                p.data -= 0.5 * p.grad
        runs.append((history, [p.data for p in params]))
    assert runs[0] == runs[1]
    assert any(g != 0.0 for g in runs[0][0][-1][1])  # not a comparison of zeros


def test_a_neuron_is_two_nodes_and_its_local_derivatives_are_the_inputs_and_weights():
    from nbhelpers.engine import topological_order

    neuron = Neuron(3, "tanh", rng=np.random.default_rng(0))
    xs = [Value(0.5), Value(-1.0), Value(2.0)]
    out = neuron(xs)
    z = out._prev[0]
    assert out._op == "tanh" and z._op == "w·x+b"
    assert z._prev == (neuron.b, neuron.w[0], xs[0], neuron.w[1], xs[1], neuron.w[2], xs[2])
    assert z._local == (1.0, 0.5, neuron.w[0].data, -1.0, neuron.w[1].data, 2.0, neuron.w[2].data)
    assert len(topological_order(out)) == 2 + 4 + 3  # z and tanh, the 4 parameters, the 3 inputs
    plain = neuron([0.5, -1.0, 2.0])  # plain numbers are constants: no node for them
    assert plain._prev[0]._prev == (neuron.b, *neuron.w) and plain.data == out.data


def test_the_same_value_twice_in_a_sample_gets_both_contributions():
    neuron = Neuron(2, "linear", rng=np.random.default_rng(1))
    v = Value(1.5)
    neuron([v, v]).backward()
    assert math.isclose(v.grad, neuron.w[0].data + neuron.w[1].data, rel_tol=1e-15)
    assert (neuron.w[0].grad, neuron.w[1].grad, neuron.b.grad) == (1.5, 1.5, 1.0)
