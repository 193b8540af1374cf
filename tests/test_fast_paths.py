"""The unchecked fast paths (issue 15) give exactly what the checked public functions give, and still report a
non-finite output as divergence."""

import numpy as np
import pytest

from nbhelpers.datasets import make_moons
from nbhelpers.divergence import DivergenceError
from nbhelpers.mlp import MLP, dense
from nbhelpers.optim import Adam
from nbhelpers.tensor import Tensor
from nbhelpers.training import Trainer, hinge_loss


def _layer_by_layer(model, X):
    """The checked path: every layer's public forward, one after the other."""
    H = X
    for layer in model.layers:
        H = layer.forward(H, model.training, model._rng)
    return H


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "leaky_relu", "linear"])
def test_model_call_matches_the_checked_layers_values_and_gradients(activation):
    X, y = make_moons(40, noise=0.2, random_state=0)
    fast, checked = MLP(2, [5, 4, 1], activation=activation, seed=3), MLP(2, [5, 4, 1], activation=activation, seed=3)
    results = []
    for model, forward in ((fast, lambda m: m(X)), (checked, lambda m: _layer_by_layer(m, X))):
        loss = hinge_loss(forward(model), 2.0 * y - 1.0)
        loss.backward()
        results.append((loss.item(), [p.grad.copy() for p in model.parameters()]))
    assert results[0][0] == results[1][0]
    for g_fast, g_checked in zip(results[0][1], results[1][1]):
        assert np.array_equal(g_fast, g_checked)


def test_predict_unchecked_matches_predict_scores():
    X, _ = make_moons(30, noise=0.2, random_state=1)
    model = MLP(2, [6, 6, 3], activation="tanh", seed=2)
    assert np.array_equal(model._predict_unchecked(X), model.predict_scores(X))


def test_model_call_still_checks_its_input():
    model = MLP(2, [4, 1], seed=0)
    with pytest.raises(ValueError, match="X must have shape"):
        model(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="NaN or infinity"):
        model(np.array([[0.0, np.nan]]))


def test_a_non_finite_output_of_the_fast_path_is_reported_as_divergence():
    model = MLP(2, [4, 1], seed=0)
    model.layers[0].W.data[...] = 1e308  # the first layer's weighted sums overflow to infinity
    with pytest.raises(DivergenceError, match="overflowed"):
        model(np.ones((3, 2)) * 10)


def test_the_public_dense_keeps_its_checks():
    with pytest.raises(TypeError, match="as Tensors"):
        dense(np.ones((2, 2)), np.ones((2, 1)), Tensor([0.0]))
    with pytest.raises(ValueError, match="X"):
        dense(np.ones((2, 3)), Tensor(np.ones((2, 1))), Tensor([0.0]))


def test_trainer_records_what_evaluate_measures():
    X, y = make_moons(60, noise=0.2, random_state=0)
    trainer = Trainer(MLP(2, [8, 1], seed=0), X[:40], y[:40], X[40:], y[40:], lr=0.05)
    trainer.train_epochs(5)
    h = trainer.history
    assert (h.train_loss[-1], h.train_acc[-1]) == trainer.evaluate(X[:40], trainer.targets_train, y[:40])
    assert (h.test_loss[-1], h.test_acc[-1]) == trainer.evaluate(X[40:], trainer.targets_test, y[40:])


def test_trainer_still_stops_when_the_outputs_overflow():
    X, y = make_moons(40, noise=0.2, random_state=0)
    trainer = Trainer(MLP(2, [8, 1], seed=0), X, y, lr=0.05)
    trainer.model.layers[0].W.data[...] = 1e200  # finite weights whose outputs overflow
    history = trainer.train_epochs(3)
    assert history.diverged and "diverged" in history.stopped


def test_adam_in_place_matches_the_textbook_formulas():
    rng = np.random.default_rng(0)
    start, grads = rng.normal(size=(3, 2)), [rng.normal(size=(3, 2)) for _ in range(4)]
    p = Tensor(start)
    opt = Adam([p], lr=0.1, weight_decay=0.01)
    w, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    for t, g in enumerate(grads, start=1):
        p.grad = g.copy()
        opt.step()
        g = g + 0.01 * w
        m = 0.9 * m + (1 - 0.9) * g
        v = 0.999 * v + (1 - 0.999) * g**2
        w = w - 0.1 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    assert np.array_equal(p.data, w)
