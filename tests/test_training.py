"""Chapter 6's losses, features and training loop: values, gradients (against central differences and against
the same loss built from small Tensor operations), stability, clear errors, and the Trainer's stops."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from test_mlp import numerical_grad

from nbhelpers.datasets import make_circles, make_spiral, make_xor, train_test_split
from nbhelpers.mlp import MLP
from nbhelpers.tensor import Tensor
from nbhelpers.training import (
    FEATURES,
    History,
    Objective,
    Trainer,
    accuracy,
    bce_loss,
    cross_entropy_loss,
    feature_names,
    fit,
    hinge_loss,
    l2_penalty,
    make_features,
    mse_loss,
)

RNG = np.random.default_rng(0)
S1 = RNG.normal(size=(7, 1)) * 2
Y01 = np.array([0, 1, 1, 0, 1, 0, 0])
YPM = 2.0 * Y01 - 1
SK = RNG.normal(size=(7, 3)) * 2
YK = np.array([0, 2, 1, 1, 0, 2, 2])


# ------------------------------------------------------------------------------------------ values

def test_loss_values_match_their_formulas():
    s = S1.ravel()
    assert mse_loss(Tensor(S1), YPM).item() == pytest.approx(np.mean((s - YPM) ** 2))
    assert hinge_loss(Tensor(S1), YPM).item() == pytest.approx(np.mean(np.maximum(0, 1 - YPM * s)))
    p = 1 / (1 + np.exp(-s))
    assert bce_loss(Tensor(S1), Y01).item() == pytest.approx(-np.mean(Y01 * np.log(p) + (1 - Y01) * np.log(1 - p)))
    soft = np.exp(SK) / np.exp(SK).sum(axis=1, keepdims=True)
    assert cross_entropy_loss(Tensor(SK), YK).item() == pytest.approx(-np.mean(np.log(soft[np.arange(7), YK])))
    assert round(cross_entropy_loss(Tensor([[2.0, 1.0, 0.1]]), [0]).item(), 4) == 0.417  # -log(0.6590)


def test_scores_of_shape_n_work_as_well_as_n_by_1():
    assert bce_loss(Tensor(S1.ravel()), Y01).item() == pytest.approx(bce_loss(Tensor(S1), Y01).item())
    assert hinge_loss(Tensor(S1.ravel()), YPM.reshape(-1, 1)).item() == pytest.approx(hinge_loss(Tensor(S1), YPM).item())


@pytest.mark.parametrize("loss, scores, labels", [
    (mse_loss, S1, YPM), (hinge_loss, S1, YPM), (bce_loss, S1, Y01), (cross_entropy_loss, SK, YK),
])
def test_loss_gradients_match_central_differences(loss, scores, labels):
    s = scores.copy()
    T = Tensor(s)
    loss(T, labels).backward()
    expected = numerical_grad(lambda: loss(Tensor(s), labels).item(), s)
    assert np.allclose(T.grad, expected, atol=1e-6)


def test_fused_losses_agree_with_the_same_losses_built_from_small_operations():
    # what the chapter writes in the notebook, with Tensor operations only
    def bce_small(s, y):
        y = Tensor(np.asarray(y, dtype=float).reshape(s.shape))
        abs_s = s.relu() + (-s).relu()
        return (s.relu() - s * y + ((-abs_s).exp() + 1).log()).mean()

    def ce_small(s, y):
        return -s.log_softmax(axis=1)[np.arange(len(y)), y].mean()

    def hinge_small(s, y):
        return (1 - Tensor(y.reshape(s.shape)) * s).relu().mean()

    for fused, small, scores, labels in ((bce_loss, bce_small, S1, Y01), (cross_entropy_loss, ce_small, SK, YK),
                                         (hinge_loss, hinge_small, S1, YPM)):
        a, b = Tensor(scores.copy()), Tensor(scores.copy())
        la, lb = fused(a, labels), small(b, labels)
        la.backward()
        lb.backward()
        assert la.item() == pytest.approx(lb.item())
        assert np.allclose(a.grad, b.grad)


def test_extreme_scores_stay_finite_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = Tensor([[1000.0], [-1000.0]])
        loss = bce_loss(huge, [0, 1])  # confidently wrong both times
        loss.backward()
        assert loss.item() == pytest.approx(1000.0) and np.allclose(huge.grad, [[0.5], [-0.5]])
        assert bce_loss(Tensor([[1000.0]]), [1]).item() == pytest.approx(0.0)
        logits = Tensor([[1000.0, 0.0, -1000.0]])
        assert cross_entropy_loss(logits, [2]).item() == pytest.approx(2000.0)
        assert np.all(np.isfinite(Objective("cross-entropy", 3).confidence(logits.data)))


def test_l2_penalty_value_and_gradient():
    w1, w2 = Tensor([[1.0, -2.0]]), Tensor([3.0])
    penalty = l2_penalty([w1, w2], 0.1)
    assert penalty.item() == pytest.approx(0.1 * (1 + 4 + 9))
    penalty.backward()
    assert np.allclose(w1.grad, [[0.2, -0.4]]) and np.allclose(w2.grad, [0.6])
    with pytest.raises(ValueError, match="no parameters"):
        l2_penalty([], 0.1)


@pytest.mark.parametrize("call, kind, words", [
    (lambda: hinge_loss(Tensor(S1), Y01), ValueError, r"labels -1 and \+1.*2 \* y - 1"),
    (lambda: bce_loss(Tensor(S1), YPM), ValueError, r"labels 0 and 1.*\(y \+ 1\) / 2"),
    (lambda: bce_loss(S1, Y01), TypeError, "Tensor"),
    (lambda: bce_loss(Tensor(SK), YK), ValueError, "cross_entropy_loss"),
    (lambda: bce_loss(Tensor(S1), Y01[:3]), ValueError, "7 scores but 3 labels"),
    (lambda: cross_entropy_loss(Tensor(S1), Y01), ValueError, "bce_loss"),
    (lambda: cross_entropy_loss(Tensor(SK), YK + 1), ValueError, r"labels must be 0 \.\. 2"),
    (lambda: cross_entropy_loss(Tensor(SK), YK + 0.5), ValueError, "whole-number"),
    (lambda: mse_loss(Tensor(SK), YK), ValueError, "do not match"),
])
def test_wrong_labels_or_shapes_get_a_clear_sentence(call, kind, words):
    with pytest.raises(kind, match=words):
        call()


# ------------------------------------------------------------------------------------------ objective, features

def test_objective_converts_labels_and_reads_scores():
    hinge = Objective("hinge")
    assert hinge.targets(np.array([0, 1])).tolist() == [-1.0, 1.0]
    assert hinge.predict(np.array([[0.2], [-0.1]])).tolist() == [1, 0]
    assert np.allclose(hinge.confidence(np.array([[3.0], [0.0], [-0.5]])), [1.0, 0.5, 0.25])
    ce = Objective("cross-entropy")
    assert ce.loss_name == "bce" and ce.n_outputs == 1
    assert np.allclose(ce.confidence(np.array([[0.0]])), [0.5])
    multi = Objective("softmax", 3)
    assert multi.n_outputs == 3 and multi.loss_name == "softmax cross-entropy"
    assert multi.predict(np.array([[0.0, 2.0, 1.0]])).tolist() == [1]
    with pytest.raises(ValueError, match="handles two classes.*cross-entropy"):
        Objective("hinge", 3)
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        Objective("l1")


def test_features():
    X = np.array([[0.5, -1.0]])
    assert make_features(X).tolist() == [[0.5, -1.0]]
    assert make_features(X, "squares").tolist() == [[0.5, -1.0, 0.25, 1.0, -0.5]]
    assert np.allclose(make_features(X, "sines"), [[0.5, -1.0, 1.0, 0.0]], atol=1e-12)
    assert make_features(X, "all").shape == (1, 7)
    for kind in FEATURES:
        assert len(feature_names(kind)) == make_features(X, kind).shape[1]
    with pytest.raises(ValueError, match="unknown features 'cubes'"):
        make_features(X, "cubes")
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        make_features(np.zeros((3, 3)), "squares")


def test_accuracy():
    assert accuracy([0, 1, 1, 0], [0, 1, 0, 0]) == 0.75
    with pytest.raises(ValueError, match="4 predictions but 3 labels"):
        accuracy([0, 1, 1, 0], [0, 1, 0])


# ------------------------------------------------------------------------------------------ training

def _xor_split(n=120, seed=0):
    X, y = make_xor(n, noise=0.05, random_state=seed)
    return train_test_split(X, y, test_size=0.25, random_state=seed)


def test_fit_learns_xor_and_records_history():
    X_train, X_test, y_train, y_test = _xor_split()
    history = fit(MLP(2, [8, 1], "tanh", seed=0), X_train, y_train, X_test, y_test, epochs=150, lr=0.05)
    assert len(history) == 151 and history.epoch[:3] == [0.0, 1.0, 2.0]
    assert history.train_acc[0] < 0.8 and history.train_acc[-1] >= 0.95
    assert history.test_acc[-1] >= 0.9
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]
    assert history.stopped is None and not history.diverged
    assert "train accuracy" in repr(history)


def test_same_seed_same_history():
    X_train, X_test, y_train, y_test = _xor_split()
    runs = [fit(MLP(2, [4, 1], seed=1), X_train, y_train, X_test, y_test, epochs=20, batch_size=8, lr=0.05)
            for _ in range(2)]
    assert runs[0].train_loss == runs[1].train_loss


def test_mini_batches_count_steps():
    X_train, _, y_train, _ = _xor_split()
    trainer = Trainer(MLP(2, [4, 1]), X_train, y_train, batch_size=16)
    trainer.train_epochs(3)
    assert trainer.steps == 3 * int(np.ceil(len(X_train) / 16)) and trainer.epoch == 3
    full = Trainer(MLP(2, [4, 1]), X_train, y_train)
    full.train_epochs(3)
    assert full.steps == 3
    loss = trainer.step()
    assert loss > 0 and trainer.steps == 3 * 6 + 1 and 3 < trainer.epoch < 4
    trainer.train_epochs(1)  # finishes the epoch the step began
    assert trainer.epoch == 4


def test_each_step_is_the_chapter_loop():
    # Trainer's update equals the five lines of the chapter: forward, loss, zero_grad, backward, step
    from nbhelpers.optim import SGD

    X_train, _, y_train, _ = _xor_split()
    a, b = MLP(2, [4, 1], seed=3), MLP(2, [4, 1], seed=3)
    Trainer(a, X_train, y_train, optimizer="sgd", lr=0.1).train_epochs(5)
    opt = SGD(b.parameters(), lr=0.1)
    for _ in range(5):
        loss = bce_loss(b(X_train), y_train)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert all(np.allclose(p.data, q.data) for p, q in zip(a.parameters(), b.parameters()))


def test_divergence_stops_rolls_back_and_says_so():
    X, y = make_circles(100, noise=0.1)
    model = MLP(2, [16, 16, 1], seed=0)
    trainer = Trainer(model, X, y, loss="mse", optimizer="sgd", lr=50.0)
    history = trainer.train_epochs(50)
    assert history.diverged and "diverged" in history.stopped and "learning rate 50 is too large" in history.stopped
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())  # rolled back, nothing NaN
    assert np.all(np.isfinite(history.train_loss))
    epochs = trainer.epoch
    trainer.train_epochs(5)  # stays stopped until the learner changes something
    assert trainer.epoch == epochs and trainer.step() is None


def test_target_accuracy_stops_training():
    X_train, _, y_train, _ = _xor_split()
    history = fit(MLP(2, [8, 1], "tanh", seed=0), X_train, y_train, epochs=500, lr=0.05, target_accuracy=0.9)
    assert history.train_acc[-1] >= 0.9 and history.epoch[-1] < 500
    assert "reached the target training accuracy 90%" in history.stopped


def test_early_stopping_restores_the_best_epoch():
    X, y = make_spiral(80, noise=0.3, random_state=1)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.5)
    model = MLP(2, [64, 64, 1], seed=0)
    trainer = Trainer(model, X_train, y_train, X_test, y_test, lr=0.001, patience=20)
    history = trainer.train_epochs(1000)
    assert history.stopped.startswith("early stopping")
    best_epoch, best_loss = history.best("test_loss")
    assert best_epoch > 0 and history.epoch[-1] == best_epoch + 20
    assert f"weights of epoch {best_epoch:g} were restored" in history.stopped
    restored_loss, _ = trainer.evaluate(X_test, y_test, y_test)
    assert restored_loss == pytest.approx(best_loss)


def test_l2_shrinks_the_weights():
    X_train, _, y_train, _ = _xor_split()
    plain, decayed = MLP(2, [16, 1], seed=0), MLP(2, [16, 1], seed=0)
    fit(plain, X_train, y_train, epochs=200, lr=0.03)
    fit(decayed, X_train, y_train, epochs=200, lr=0.03, l2=0.01)
    norm = lambda m: sum(float((w.data ** 2).sum()) for w in m.weights())
    assert norm(decayed) < 0.7 * norm(plain)


def test_snapshots_for_pictures():
    X_train, _, y_train, _ = _xor_split()
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X_train, y_train, epochs=30, snapshot_epochs=[0, 10, 30])
    assert sorted(history.states) == [0, 10, 30]
    assert all(np.array_equal(a, b) for a, b in zip(history.states[30], model.get_state()))
    assert not np.allclose(history.states[0][0], history.states[10][0])


def test_three_classes_with_cross_entropy():
    X, y = make_spiral(150, noise=0.0, n_classes=3, turns=0.5)
    history = fit(MLP(2, [16, 3], seed=0), X, y, epochs=300, lr=0.03)
    assert history.train_acc[-1] > 0.9


@pytest.mark.parametrize("kwargs, words", [
    ({"model": MLP(2, [4, 3])}, "needs 1 output; this model has 3"),
    ({"y_train": np.arange(20) % 3}, "needs 3 outputs; this model has 1"),
    ({"loss": "hinge", "y_train": np.arange(20) % 3, "model": MLP(2, [4, 3])}, "handles two classes"),
    ({"X_train": np.zeros((20, 3))}, r"X_train must have shape \(n, 2\)"),
    ({"y_train": np.zeros(5)}, "one class label per row"),
    ({"y_train": np.where(np.arange(20) % 2, 1, -1)}, r"\(y_train > 0\)\.astype\(int\)"),
    ({"patience": 5}, "give X_test and y_test"),
    ({"l2": -1}, r"l2 \(the weight-decay strength\) must be a number >= 0"),
    ({"batch_size": 0}, "batch_size"),
    ({"target_accuracy": 95}, r"target_accuracy must be a number in \(0, 1\]"),
    ({"lr": 0}, r"lr \(the learning rate\) must be a positive number"),
    ({"optimizer": "rmsprop"}, "unknown optimizer"),
])
def test_trainer_checks_its_arguments(kwargs, words):
    args = {"model": MLP(2, [4, 1]), "X_train": np.zeros((20, 2)), "y_train": np.arange(20) % 2}
    args.update(kwargs)
    model, X, y = args.pop("model"), args.pop("X_train"), args.pop("y_train")
    with pytest.raises((ValueError, TypeError), match=words):
        Trainer(model, X, y, **args)


def test_history_best_and_last():
    h = History()
    for e, (loss, acc) in enumerate([(0.9, 0.5), (0.4, 0.8), (0.6, 0.9)]):
        h.record(epoch=e, train_loss=loss, test_loss=loss, train_acc=acc, test_acc=acc)
    assert h.best("test_loss") == (1.0, 0.4) and h.best("test_acc") == (2.0, 0.9)
    assert h.last("train_acc") == 0.9 and len(h) == 3


def test_weights_that_overflow_the_outputs_also_count_as_divergence():
    X, y = make_circles(60, noise=0.1)
    model = MLP(2, [8, 1], seed=0)
    trainer = Trainer(model, X, y, optimizer="sgd", lr=0.1)
    trainer.train_epochs(2)
    model.layers[0].W.data *= 1e200  # finite weights whose outputs overflow to infinity
    model.layers[1].W.data *= 1e200
    history = trainer.train_epochs(3)
    assert history.diverged and trainer.epoch == 2
    assert all(np.all(np.isfinite(p.data)) for p in model.parameters())


@pytest.mark.parametrize("loss, n_classes, regression", [
    ("hinge", 2, False), ("mse", 2, False), ("cross-entropy", 2, False), ("cross-entropy", 3, False), ("mse", 0, True),
])
def test_the_trainers_records_give_the_loss_functions_numbers(loss, n_classes, regression):
    """Objective._value (the Trainer's records, no graph) is the loss function's value to the last bit."""
    rng = np.random.default_rng(4)
    objective = Objective(loss, regression=True) if regression else Objective(loss, n_classes=n_classes)
    scores = rng.normal(scale=3.0, size=(40, objective.n_outputs))
    targets = rng.normal(size=40) if regression else objective.targets(rng.integers(0, n_classes, 40))
    assert objective._value(scores, targets) == objective._loss(Tensor(scores), targets).item()


@pytest.mark.parametrize("loss_fn, labels", [(hinge_loss, [1.0, -1.0, -1.0, 1.0, 1.0]), (bce_loss, [1, 0, 0, 1, 1])])
def test_a_label_array_and_a_label_list_give_the_same_loss_and_gradient(loss_fn, labels):
    """The training loop's quick path (an array of labels) and the checked path (a list) agree bit for bit."""
    scores = np.array([[0.3], [-2.0], [0.9], [4.0], [-0.1]])
    results = []
    for y in (np.array(labels), list(labels)):
        s = Tensor(scores)
        loss = loss_fn(s, y)
        loss.backward()
        results.append((loss.item(), s.grad.copy()))
    assert results[0][0] == results[1][0]
    np.testing.assert_array_equal(results[0][1], results[1][1])
