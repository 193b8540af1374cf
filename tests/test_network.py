"""Chapter 4's network: the worked example's numbers, gradients against central differences, training results,
the gradient-accumulation contract the optimizers rely on, and clear errors for bad input."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.activations import sigmoid, softmax
from nbhelpers.datasets import letters, logic_gate, people
from nbhelpers.gradcheck import check_network, gradient_check
from nbhelpers.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    mse,
    mse_grad,
    softmax_cross_entropy_grad,
)
from nbhelpers.network import BackwardError, Dense, Network, init_scale, train_many
from nbhelpers.optim import SGD, Adam, Momentum, Parameter

ALL_ONES = [(np.ones((2, 2)), np.zeros(2)), (np.ones((2, 1)), np.zeros(1))]


# ----------------------------------------------------------------------------------------------- the worked example

def test_always_zero_prediction_has_mse_one_half():
    _, _, y = people()
    assert mse(np.zeros(4), y) == 0.5


def test_worked_example_forward_and_backward():
    net = Network.from_weights(ALL_ONES, activations="sigmoid")
    x = np.array([[-2.0, -1.0]])  # Alice
    out = net.forward(x)
    h = net.layers[0].forward(x, cache=False)
    assert np.round(h, 4).tolist() == [[0.0474, 0.0474]]
    assert round(float(out[0, 0]), 3) == 0.524
    dL_dypred = mse_grad(out, [[1.0]])  # MSE over one sample: -2 (y - y_pred)
    assert round(float(dL_dypred[0, 0]), 4) == -0.9526
    assert round(-2 * (1 - 0.524), 3) == -0.952  # the hand value, from y_pred rounded to 0.524
    y_pred = float(out[0, 0])
    assert round(1.0 * y_pred * (1 - y_pred), 3) == 0.249  # dy_pred/dh1 = w5 sigma'(z_out)
    assert round(-2.0 * float(h[0, 0]) * (1 - float(h[0, 0])), 4) == -0.0904  # dh1/dw1 = x1 sigma'(z_h1)
    net.backward(dL_dypred)
    W1 = net.parameters()[0]
    assert W1.name == "W1"
    assert round(float(W1.grad[0, 0]), 4) == 0.0215  # full precision 0.02147
    assert round(-0.952 * 0.249 * -0.0904, 4) == 0.0214  # the product of the hand-rounded factors
    # w1 and w3 (W1[0, 0], W1[0, 1]) are twins when all weights are equal
    assert W1.grad[0, 0] == W1.grad[0, 1]


def test_worked_example_agrees_with_a_nudge():
    def loss(w1):
        W1 = np.ones((2, 2))
        W1[0, 0] = w1
        net = Network.from_weights([(W1, np.zeros(2)), ALL_ONES[1]])
        return mse(net.predict(np.array([[-2.0, -1.0]])), [[1.0]])

    numerical = (loss(1 + 1e-6) - loss(1 - 1e-6)) / 2e-6
    assert numerical == pytest.approx(0.021470, abs=1e-6)


# ----------------------------------------------------------------------------------------------- gradients

SHAPES = [
    ([2, 1], ["sigmoid"]),
    ([2, 2, 1], ["sigmoid", "sigmoid"]),
    ([3, 5, 2], ["tanh", "linear"]),
    ([2, 16, 16, 1], ["relu", "relu", "linear"]),
    ([4, 6, 3], ["leaky_relu", "softmax"]),
    ([3, 4, 4, 2], ["gelu", "tanh", "sigmoid"]),
    ([5, 3, 1], ["relu", "sigmoid"]),
]


@pytest.mark.parametrize("sizes,activations", SHAPES, ids=lambda v: str(v))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_analytic_gradients_match_central_differences(sizes, activations, seed):
    rng = np.random.default_rng(100 + seed)
    net = Network(sizes, activations, seed=seed)
    X = rng.normal(size=(7, sizes[0]))
    Y = rng.normal(size=(7, sizes[-1]))
    report = check_network(net, X, Y, "mse")
    assert report.passed, str(report)
    assert report.max_error < 1e-6


def test_backward_returns_the_input_gradient():
    rng = np.random.default_rng(0)
    net = Network([3, 4, 2], ["tanh", "sigmoid"], seed=0)
    X = rng.normal(size=(5, 3))
    Y = rng.normal(size=(5, 2))
    dX = net.backward(mse_grad(net.forward(X), Y))
    report = gradient_check(lambda: mse(net.predict(X), Y), [X], [dX], names=["X"])
    assert report.passed, str(report)


def test_backward_from_logits_is_prediction_minus_label():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(6, 2))
    y = (rng.random((6, 1)) > 0.5).astype(float)
    a = Network([2, 3, 1], ["tanh", "sigmoid"], seed=3)
    b = Network([2, 3, 1], ["tanh", "sigmoid"], seed=3)
    p = a.forward(X)
    a.backward(binary_cross_entropy_grad(p, y))
    b.forward(X)
    b.backward_from_logits((p - y) / len(y))
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert np.allclose(pa.grad, pb.grad)
    # and it is right: check against central differences of BCE
    report = gradient_check(lambda: binary_cross_entropy(b.predict(X), y), b.parameters())
    assert report.passed, str(report)


def test_softmax_output_with_cross_entropy_shortcut():
    X, y, _ = letters()
    net = Network([30, 5, 3], ["sigmoid", "softmax"], seed=0)
    P = net.forward(X)
    assert np.allclose(P.sum(axis=1), 1)
    net.backward_from_logits(softmax_cross_entropy_grad(np.log(P), y))  # softmax(log P) = P
    from nbhelpers.losses import softmax_cross_entropy

    report = gradient_check(lambda: softmax_cross_entropy(np.log(net.predict(X)), y), net.parameters())
    assert report.passed, str(report)


# ----------------------------------------------------------------------------------------------- accumulate, zero_grad

def test_gradients_accumulate_until_zero_grad():
    X = np.array([[-2.0, -1.0]])
    net = Network.from_weights(ALL_ONES)
    net.backward(mse_grad(net.forward(X), [[1.0]]))
    once = [p.grad.copy() for p in net.parameters()]
    net.backward(mse_grad(net.forward(X), [[1.0]]))
    for p, g in zip(net.parameters(), once):
        assert np.allclose(p.grad, 2 * g)
    net.zero_grad()
    assert all(np.all(p.grad == 0) for p in net.parameters())
    net.backward(mse_grad(net.forward(X), [[1.0]]))
    for p, g in zip(net.parameters(), once):
        assert np.allclose(p.grad, g)


def test_optimizer_zero_grad_works_with_the_network():
    X = np.array([[-2.0, -1.0]])
    net = Network.from_weights(ALL_ONES)
    opt = SGD(net.parameters(), lr=0.1)
    net.backward(mse_grad(net.forward(X), [[1.0]]))
    first = net.parameters()[0].grad.copy()
    opt.zero_grad()  # replaces each .grad with a fresh zero array
    net.backward(mse_grad(net.forward(X), [[1.0]]))
    assert np.allclose(net.parameters()[0].grad, first)


def test_one_backward_per_forward():
    net = Network([2, 3, 1], seed=0)
    with pytest.raises(BackwardError, match="call forward"):
        net.backward(np.ones((1, 1)))
    net.forward(np.ones((4, 2)))
    net.backward(np.ones((4, 1)))
    with pytest.raises(BackwardError, match="second backward"):
        net.backward(np.ones((4, 1)))
    layer = Dense(2, 3, rng=np.random.default_rng(0))
    with pytest.raises(BackwardError):
        layer.backward(np.ones((1, 3)))


def test_predict_does_not_disturb_a_pending_backward():
    rng = np.random.default_rng(2)
    X, other = rng.normal(size=(5, 2)), rng.normal(size=(9, 2))
    a, b = Network([2, 4, 1], "tanh", seed=1), Network([2, 4, 1], "tanh", seed=1)
    a.forward(X)
    a.predict(other)
    a.backward(np.ones((5, 1)))
    b.forward(X)
    b.backward(np.ones((5, 1)))
    for pa, pb in zip(a.parameters(), b.parameters()):
        assert np.array_equal(pa.grad, pb.grad)


# ----------------------------------------------------------------------------------------------- the interface chapter 6 uses

@pytest.mark.parametrize("optimizer", [SGD, Momentum, Adam])
def test_chapter_6_interface_trains_with_every_optimizer(optimizer):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(64, 2))
    y = (X[:, :1] * X[:, 1:])  # a product: needs the hidden layers
    net = Network([2, 16, 16, 1], activations=["relu", "relu", "linear"], seed=0)
    assert all(isinstance(p, Parameter) for p in net.parameters()) and len(net.parameters()) == 6
    out = net.forward(X)
    assert out.shape == (64, 1)
    dX = net.backward(mse_grad(out, y))
    assert dX.shape == (64, 2)
    opt = optimizer(net.parameters(), lr=0.01 if optimizer is Adam else 0.05)
    start = mse(net.predict(X), y)
    for _ in range(300):
        opt.zero_grad()
        out = net.forward(X)
        net.backward(mse_grad(out, y))
        opt.step()
    assert mse(net.predict(X), y) < 0.5 * start


def test_initialisation_by_activation():
    net = Network([400, 300, 300, 1], ["relu", "tanh", "sigmoid"], seed=0)
    W1, W2, W3 = (layer.W.data for layer in net.layers)
    assert W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.03)  # He for ReLU
    assert W2.std() == pytest.approx(np.sqrt(2 / 600), rel=0.03)  # Xavier for tanh
    assert W3.std() == pytest.approx(np.sqrt(2 / 301), rel=0.1)  # Xavier for sigmoid
    assert all(np.all(layer.b.data == 0) for layer in net.layers)
    assert init_scale(2, 2, "relu", "small") == 0.1 and init_scale(2, 2, "relu", 0.5) == 0.5
    assert init_scale(16, 16, "relu", "xavier") == pytest.approx(0.25)


def test_same_seed_same_network():
    a, b, c = (Network([2, 3, 1], seed=s) for s in (7, 7, 8))
    assert all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))
    assert not np.array_equal(a.parameters()[0].data, c.parameters()[0].data)
    assert "layer 1: 2 -> 3 sigmoid" in a.summary() and a.n_parameters == 13


# ----------------------------------------------------------------------------------------------- training results

def test_per_sample_sgd_on_four_people_generalises_to_emily_and_frank():
    _, X, y = people()
    net = Network([2, 2, 1], "sigmoid", seed=0, init=1.0)
    opt = SGD(net.parameters(), lr=0.1)
    for _ in range(1000):
        for x_i, y_i in zip(X, y):
            opt.zero_grad()
            out = net.forward(x_i.reshape(1, 2))
            net.backward(mse_grad(out, [[y_i]]))
            opt.step()
    emily, frank = net.predict(np.array([[-7.0, -3.0], [20.0, 2.0]]))[:, 0]
    assert emily > 0.9 and frank < 0.1
    assert mse(net.predict(X), y) < 0.01


@pytest.mark.parametrize("loss", ["bce", "mse"])
def test_train_many_takes_the_steps_of_one_network_alone(loss):
    X, y = logic_gate("xor")
    runs = train_many(X, y, [2, 3, 1], ["tanh", "sigmoid"], seeds=[0, 1, 2], lr=0.5, epochs=60, loss=loss,
                      record_every=20)
    assert runs.predictions.shape == (3, 4) and runs.losses.shape == (4, 3)
    for k, seed in enumerate([0, 1, 2]):
        net = Network([2, 3, 1], ["tanh", "sigmoid"], seed=seed)
        opt = SGD(net.parameters(), lr=0.5)
        for _ in range(60):
            opt.zero_grad()
            p = net.forward(X)
            if loss == "bce":
                net.backward_from_logits((p - y[:, None]) / 4)
            else:
                net.backward(mse_grad(p, y))
            opt.step()
        assert np.allclose(net.predict(X)[:, 0], runs.predictions[k])
        assert np.allclose(net.layers[0].W.data, runs.weights[0][k]) and np.allclose(net.layers[1].b.data, runs.biases[1][k])
        final = binary_cross_entropy(net.predict(X), y) if loss == "bce" else mse(net.predict(X), y)
        assert runs.losses[-1, k] == pytest.approx(final)


def test_robustness_study_fractions_quoted_in_the_chapter():
    X, y = logic_gate("xor")
    fractions = []
    for sizes, acts, init in [([2, 2, 1], ["relu", "sigmoid"], "small"), ([2, 2, 1], ["tanh", "sigmoid"], "xavier"),
                              ([2, 4, 1], ["tanh", "sigmoid"], "xavier")]:
        runs = train_many(X, y, sizes, acts, range(100), init=init, lr=0.5, epochs=2000)
        fractions.append(float(np.mean(np.all(np.abs(runs.predictions - y) < 0.25, axis=1))))
    assert fractions == [0.15, 0.59, 1.00]


# ----------------------------------------------------------------------------------------------- bad input

def _forwarded_layer():
    layer = Dense(3, 2, "tanh", rng=np.random.default_rng(0))
    layer.forward(np.ones((4, 3)))
    return layer


@pytest.mark.parametrize("call,error,words", [
    (lambda: Network([2]), ValueError, "at least one layer"),
    (lambda: Network("2,2,1"), ValueError, "at least one layer"),
    (lambda: Network([2, 0, 1]), ValueError, "whole number >= 1"),
    (lambda: Network([2, 2.5, 1]), ValueError, "whole number >= 1"),
    (lambda: Network([2, 2, 1], ["relu"]), ValueError, "one activation per layer: 2 names"),
    (lambda: Network([2, 2, 1], ["relu", "sigmod"]), ValueError, "choose one of 'sigmoid'"),
    (lambda: Network([2, 2, 1], ["softmax", "sigmoid"]), ValueError, "output layer only"),
    (lambda: Network([2, 2, 1], init="glorious"), ValueError, "unknown init"),
    (lambda: Network([2, 2, 1], init=-1.0), ValueError, "must be a number in [0, 1000]"),
    (lambda: Network([2, 2, 1], init=["he"]), ValueError, "one init per layer"),
    (lambda: Network([2, 2, 1]).forward([1.0, 2.0]), ValueError, "X.reshape(1, -1)"),
    (lambda: Network([2, 2, 1]).forward(np.ones((4, 3))), ValueError, "(n_samples, 2)"),
    (lambda: Network([2, 2, 1]).forward("xy"), TypeError, "must be numbers"),
    (lambda: Network([2, 2, 1]).forward([[1.0, np.nan]]), ValueError, "NaN"),
    (lambda: Network.from_weights([]), TypeError, "non-empty list"),
    (lambda: Network.from_weights([(np.ones((2, 3)), np.zeros(3)), (np.ones((2, 1)), np.zeros(1))]), ValueError,
     "one row per neuron of the layer before"),
    (lambda: Network.from_weights([(np.ones((2, 3)), np.zeros(2))]), ValueError, "One bias per neuron"),
    (lambda: Dense(0, 2), ValueError, "n_in must be a whole number"),
    (lambda: Dense(3, 2).forward(np.ones((4, 2))), ValueError, "(n_samples, 3)"),
    (lambda: _forwarded_layer().backward(np.ones((4, 3))), ValueError, "output (4, 2)"),
    (lambda: _forwarded_layer().backward_from_z(np.ones(4)), ValueError, "output (4, 2)"),
    (lambda: train_many(*logic_gate("xor"), [2, 2, 1], ["tanh", "relu"], range(3)), ValueError, "'sigmoid' output"),
    (lambda: train_many(*logic_gate("xor"), [2, 2, 1], "sigmoid", range(3), loss="hinge"), ValueError, "choose one of 'bce', 'mse'"),
    (lambda: train_many(*logic_gate("xor"), [2, 2, 1], "sigmoid", []), ValueError, "seeds is empty"),
    (lambda: train_many(*logic_gate("xor"), [2, 2, 1], "sigmoid", [0], lr=-1), ValueError, "positive number"),
])
def test_bad_input_gets_one_clear_sentence(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
    assert str(info.value).count("\n") == 0


def _forwarded():
    net = Network([2, 2, 1], seed=0)
    net.forward(np.ones((4, 2)))
    return net


@pytest.mark.parametrize("dout,error,words", [
    (np.ones(4), ValueError, "Did you mean .reshape(-1, 1)?"),
    (np.ones((4, 2)), ValueError, "output's shape (4, 1)"),
    (np.full((4, 1), np.nan), ValueError, "NaN"),
    ("grad", TypeError, "must be numbers"),
])
def test_bad_output_gradient(dout, error, words):
    with pytest.raises(error) as info:
        _forwarded().backward(dout)
    assert words in str(info.value)


def test_softmax_output_forward_is_a_distribution():
    net = Network([3, 4, 5], ["tanh", "softmax"], seed=0)
    P = net.forward(np.random.default_rng(0).normal(size=(6, 3)))
    assert np.allclose(P.sum(axis=1), 1) and np.allclose(P, softmax(np.log(P), axis=1))
    assert sigmoid(0.0) == 0.5
