"""Chapter 1's reference code: the article's numbers, shapes, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.datasets import letters, logic_gate, people
from nbhelpers.neuron import Neuron, layer_forward, network_forward, neuron_forward


def test_worked_example_neuron():
    assert neuron_forward([2, 3], [0, 1], 4) == pytest.approx(0.9990889, abs=1e-7)
    assert Neuron([0, 1], 4)([2, 3]) == pytest.approx(0.9990889, abs=1e-7)


def test_worked_example_2_2_1_network():
    W1, b1 = np.array([[0.0, 0.0], [1.0, 1.0]]), np.zeros(2)
    W2, b2 = np.array([[0.0], [1.0]]), np.zeros(1)
    x, h, out = network_forward([2, 3], [(W1, b1, "sigmoid"), (W2, b2, "sigmoid")], return_all=True)
    assert h == pytest.approx([0.9525741, 0.9525741], abs=1e-7)
    assert out == pytest.approx([0.7216326], abs=1e-7)


def test_batch_and_single_sample_agree():
    X = np.random.default_rng(0).normal(size=(5, 3))
    w, b = np.array([0.5, -1.0, 2.0]), 0.3
    batch = neuron_forward(X, w, b, "tanh")
    assert batch.shape == (5,)
    assert np.allclose(batch, [neuron_forward(x, w, b, "tanh") for x in X])


@pytest.mark.parametrize("call,error,words", [
    (lambda: neuron_forward([1, 2, 3], [0, 1], 4), ValueError, "x must have 2 inputs"),
    (lambda: neuron_forward([1, 2], [0, 1], [4, 5]), TypeError, "single number"),
    (lambda: neuron_forward("12", [0, 1], 4), TypeError, "must be numbers"),
    (lambda: neuron_forward([1, 2], [0, 1], 4, activation="sigmod"), ValueError, "choose one of 'sigmoid'"),
    (lambda: neuron_forward([1, np.nan], [0, 1], 4), ValueError, "NaN"),
    (lambda: layer_forward([1.0, 2.0, 3.0], np.ones((1, 4)), np.zeros(4)), ValueError, "X.reshape(-1, 1)"),
    (lambda: layer_forward([1.0, 2.0], np.ones((3, 4)), np.zeros(4)), ValueError, "(n_samples, 3)"),
    (lambda: layer_forward(np.ones((2, 3)), np.ones((3, 4)), np.zeros(3)), ValueError, "One bias per neuron"),
    (lambda: network_forward([1, 2], []), TypeError, "non-empty list"),
    (lambda: network_forward([1, 2], [(np.ones((3, 1)), np.zeros(1), "relu")]), ValueError, "layer 0"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert str(info.value).count("\n") == 0


def test_datasets():
    X, y = logic_gate("XOR")
    assert X.shape == (4, 2) and y.tolist() == [0, 1, 1, 0]
    with pytest.raises(ValueError, match="choose one of"):
        logic_gate("xnor2")
    names, Xp, yp = people()
    assert names == ["Alice", "Bob", "Charlie", "Diana"] and Xp.tolist()[1] == [25, 6] and yp.tolist() == [1, 0, 0, 1]
    Xl, yl, letter_names = letters()
    assert Xl.shape == (3, 30) and letter_names == ["A", "B", "C"] and set(np.unique(Xl)) == {0.0, 1.0}
    assert len({tuple(r) for r in Xl}) == 3
