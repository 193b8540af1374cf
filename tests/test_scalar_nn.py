"""Neuron, Layer and MLP built from scalar Values: the interface chapter 6's benchmark uses, gradients, training."""

from __future__ import annotations

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
