"""Chapter 6's MLP on the array engine: shapes, seeds, initialisation, the fused layer op against the small
Tensor operations it replaces, every gradient against central differences, dropout and batch norm."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers.mlp import MLP, batch_norm, dense, dropout, init_std
from nbhelpers.tensor import Tensor


def numerical_grad(f, array, eps=1e-6):
    """Central differences of the number f() with respect to every entry of ``array`` (changed in place)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + eps
        up = f()
        array[index] = old - eps
        down = f()
        array[index] = old
        grad[index] = (up - down) / (2 * eps)
    return grad


def test_reads_like_the_chapter():
    model = MLP(2, [8, 8, 1], seed=0)
    assert repr(model) == "MLP(2, [8, 8, 1], activation='relu'): 105 parameters"
    assert model.n_parameters == 2 * 8 + 8 + 8 * 8 + 8 + 8 * 1 + 1
    assert [p.shape for p in model.parameters()] == [(2, 8), (8,), (8, 8), (8,), (8, 1), (1,)]
    assert [w.shape for w in model.weights()] == [(2, 8), (8, 8), (8, 1)]
    out = model(np.zeros((5, 2)))
    assert isinstance(out, Tensor) and out.shape == (5, 1)
    assert model.n_outputs == 1 and model.n_inputs == 2


def test_same_seed_same_network_other_seed_other_network():
    a, b, c = MLP(2, [4, 1], seed=3), MLP(2, [4, 1], seed=3), MLP(2, [4, 1], seed=4)
    assert all(np.array_equal(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))
    assert not np.allclose(a.parameters()[0].data, c.parameters()[0].data)


def test_weights_are_what_the_notebook_draws():
    # the chapter builds its own MLP with these exact lines; the package must agree number for number
    rng = np.random.default_rng(0)
    sizes = [2, 8, 8, 1]
    mine = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        mine += [rng.normal(0, np.sqrt(2 / n_in), (n_in, n_out)), np.zeros(n_out)]
    model = MLP(2, [8, 8, 1], seed=0)
    assert all(np.array_equal(p.data, q) for p, q in zip(model.parameters(), mine))


def test_init_rules():
    assert init_std("he", 8, 4) == pytest.approx(0.5)
    assert init_std("xavier", 6, 2) == pytest.approx(0.5)
    assert init_std("auto", 8, 4, "relu") == init_std("he", 8, 4)
    assert init_std("auto", 8, 4, "tanh") == init_std("xavier", 8, 4)
    assert init_std(0.3, 8, 4) == 0.3
    wide = MLP(200, [300, 1], seed=0, init="he")
    assert wide.layers[0].W.data.std() == pytest.approx(np.sqrt(2 / 200), rel=0.02)
    assert np.all(MLP(2, [3, 1], init="zeros").layers[0].W.data == 0)
    assert MLP(2, [50, 1], init="small").layers[0].W.data.std() == pytest.approx(0.01, rel=0.2)
    with pytest.raises(ValueError, match="unknown init 'glorot'.*choose one of"):
        MLP(2, [3, 1], init="glorot")
    with pytest.raises(ValueError, match="standard deviation"):
        init_std(-1.0, 2, 2)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_dense_matches_the_small_operations_it_fuses(activation):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(5, 3))
    w, b = rng.normal(size=(3, 4)), rng.normal(size=4)
    upstream = rng.normal(size=(5, 4))
    # composed: X @ W + b, then the activation, each its own node
    X1, W1, b1 = Tensor(x), Tensor(w), Tensor(b)
    z = X1 @ W1 + b1
    h = {"relu": z.relu, "tanh": z.tanh, "sigmoid": z.sigmoid, "leaky_relu": z.leaky_relu,
         "linear": lambda: z}[activation]()
    (h * upstream).sum().backward()
    # fused: one node
    X2, W2, b2 = Tensor(x), Tensor(w), Tensor(b)
    out = dense(X2, W2, b2, activation)
    (out * upstream).sum().backward()
    assert np.allclose(out.data, h.data)
    for fused, small in ((X2, X1), (W2, W1), (b2, b1)):
        assert np.allclose(fused.grad, small.grad)


def test_dense_with_a_plain_array_input_skips_its_gradient():
    W, b = Tensor(np.ones((2, 3))), Tensor(np.zeros(3))
    out = dense(np.ones((4, 2)), W, b, "relu")
    assert out._parents == (W, b)
    out.sum().backward()
    assert np.allclose(W.grad, 4.0) and np.allclose(b.grad, 4.0)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_every_gradient_matches_central_differences(activation):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(6, 3))
    model = MLP(3, [5, 4, 2], activation=activation, seed=1)
    weights = rng.normal(size=(6, 2))

    def loss_value():
        return float((model.predict_scores(X) * weights).sum())

    model.zero_grad()
    (model(X) * weights).sum().backward()
    for p in model.parameters():
        assert np.allclose(p.grad, numerical_grad(loss_value, p.data), atol=1e-6), activation


def test_gradients_accumulate_until_zero_grad():
    model = MLP(2, [3, 1], seed=0)
    X = np.array([[1.0, 2.0], [0.5, -1.0]])
    model(X).sum().backward()
    first = model.parameters()[0].grad.copy()
    model(X).sum().backward()  # backward twice without zero_grad: the gradients add up
    assert np.allclose(model.parameters()[0].grad, 2 * first)
    model.zero_grad()
    assert all(np.all(p.grad == 0) for p in model.parameters())


def test_predict_scores_equals_the_graph_in_eval_mode():
    model = MLP(2, [6, 6, 3], activation="tanh", seed=5, dropout=0.3, batch_norm=True)
    X = np.random.default_rng(0).normal(size=(10, 2))
    model.train()
    model(X)  # one training pass moves the batch-norm running averages
    model.eval()
    assert np.allclose(model(X).data, model.predict_scores(X))
    assert model.hidden_outputs(X, 1).shape == (10, 6)


def test_dropout_drops_and_rescales_only_while_training():
    H = Tensor(np.ones((2000, 10)))
    out = dropout(H, 0.25, np.random.default_rng(0))
    dropped = np.mean(out.data == 0)
    assert dropped == pytest.approx(0.25, abs=0.02)
    assert np.allclose(out.data[out.data != 0], 1 / 0.75)
    out.sum().backward()
    assert np.allclose(H.grad, out.data)  # the gradient flows through the kept values, scaled the same way
    model = MLP(2, [50, 1], seed=0, dropout=0.5)
    X = np.ones((4, 2))
    model.train()
    assert not np.allclose(model(X).data, model(X).data)  # new masks each call
    model.eval()
    assert np.allclose(model(X).data, model(X).data)


def test_batch_norm_normalises_and_its_gradient_is_right():
    rng = np.random.default_rng(3)
    z = rng.normal(3.0, 2.0, size=(8, 4))
    gamma, beta = rng.normal(size=4), rng.normal(size=4)
    upstream = rng.normal(size=(8, 4))
    Z, G, B = Tensor(z), Tensor(gamma), Tensor(beta)
    out, mean, var = batch_norm(Z, G, B)
    normalised = (out.data - beta) / gamma
    assert np.allclose(normalised.mean(axis=0), 0, atol=1e-9)
    assert np.allclose(normalised.std(axis=0), 1, atol=1e-4)
    assert np.allclose(mean, z.mean(axis=0)) and np.allclose(var, z.var(axis=0))
    (out * upstream).sum().backward()

    def value():
        return float((batch_norm(Tensor(z), Tensor(gamma), Tensor(beta))[0].data * upstream).sum())

    assert np.allclose(Z.grad, numerical_grad(value, z), atol=1e-5)
    assert np.allclose(G.grad, numerical_grad(value, gamma), atol=1e-5)
    assert np.allclose(B.grad, numerical_grad(value, beta), atol=1e-5)


def test_batch_norm_model_keeps_running_averages():
    model = MLP(2, [4, 1], seed=0, batch_norm=True)
    assert len(model.parameters()) == 6  # W, b, gamma, beta, then the output layer's W, b
    X = np.random.default_rng(0).normal(5.0, 1.0, size=(64, 2))
    before = model.layers[0].running_mean.copy()
    model.train()
    model(X)
    assert not np.allclose(model.layers[0].running_mean, before)


def test_state_round_trip_and_mismatch():
    model = MLP(2, [4, 1], seed=0, batch_norm=True)
    state = model.get_state()
    for p in model.parameters():
        p.data += 1.0
    model.layers[0].running_mean += 2.0
    model.set_state(state)
    assert all(np.array_equal(p.data, s) for p, s in zip(model.parameters(), state))
    assert np.all(model.layers[0].running_mean == 0)
    with pytest.raises(ValueError, match="different network"):
        MLP(2, [5, 1]).set_state(MLP(2, [4, 1]).get_state())


@pytest.mark.parametrize("make, kind, words", [
    (lambda: MLP(2, [8, 1])(np.zeros(2)), ValueError, r"shape \(n, 2\).*got \(2,\).*reshape\(1, -1\)"),
    (lambda: MLP(2, [8, 1])(np.zeros((4, 3))), ValueError, r"shape \(n, 2\).*got \(4, 3\)"),
    (lambda: MLP(2, [8, 1])("points"), TypeError, "X must be numbers"),
    (lambda: MLP(2, []), ValueError, "at least the output layer"),
    (lambda: MLP(2, [8, 0, 1]), ValueError, "every entry of layer_sizes must be a whole number >= 1"),
    (lambda: MLP(2, "8, 8"), TypeError, "layer_sizes must be a list of whole numbers"),
    (lambda: MLP(0, [1]), ValueError, "n_inputs"),
    (lambda: MLP(2, [4, 1], activation="swish"), ValueError, "unknown hidden-layer activation 'swish'"),
    (lambda: MLP(2, [4, 1], dropout=1.0), ValueError, "dropout"),
    (lambda: MLP(2, [4, 1], seed="zero"), TypeError, "seed"),
    (lambda: MLP(2, [4, 1]).hidden_outputs(np.zeros((1, 2)), layer=1), ValueError, "index of a hidden layer"),
])
def test_bad_input_gets_one_clear_sentence(make, kind, words):
    with pytest.raises(kind, match=words):
        make()


def test_a_single_number_is_one_output_layer():
    model = MLP(3, 1)
    assert model.layer_sizes == [1] and model.n_parameters == 4
    assert model(Tensor(np.ones((2, 3)))).shape == (2, 1)
