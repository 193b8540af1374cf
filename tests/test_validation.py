"""Issue 13: bad input gets one clear sentence (shared validators), and training that diverges says so (one
definition, nbhelpers.divergence), the shipped data is verified, and no RuntimeWarning escapes at the extremes."""

import gzip
import hashlib
import warnings
from importlib import resources

import numpy as np
import pytest

from nbhelpers import _validate as V
from nbhelpers.activations import relu_derivative, sigmoid, softmax
from nbhelpers.datasets import DIGITS_SHA256, _read_digits, load_digits, make_spiral
from nbhelpers.descent import DescentPath, descend, fit_line, noisy_line, numerical_gradient
from nbhelpers.divergence import DivergenceError, DivergenceWatch, trivial_baseline
from nbhelpers.losses import binary_cross_entropy, binary_cross_entropy_grad, mse, softmax_cross_entropy
from nbhelpers.mlp import MLP, Layer, dense
from nbhelpers.network import Network, train_many
from nbhelpers.optim import SGD, Adam, Momentum, Parameter
from nbhelpers.plotting.mlp import animate_training, confusion_matrix
from nbhelpers.tensor import Tensor
from nbhelpers.training import Trainer, fit
from nbhelpers.widgets.playground import parse_hidden

X_MOONS = np.array([[0.0, 0.1], [1.0, 0.9], [0.2, -0.1], [0.9, 1.1]] * 5)
Y_MOONS = np.array([0, 1, 0, 1] * 5)


def _one_sentence(err):
    text = str(err.value)
    assert "\n" not in text and text.endswith((".", "?")), text
    return text


# ----------------------------------------------------------------------------------------------- the validators

@pytest.mark.parametrize("value, words", [
    (np.array([1 + 2j, 3.0]), "complex"), ([[None, None]], "None"), (np.array([True, False]), "True/False"),
    (["1", "2"], "text"), ([[1.0, 2.0], [3.0]], "equal-length rows"), ("0.1", "without quotes"),
])
def test_as_float_array_refuses_what_is_not_numbers(value, words):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning on the way
        with pytest.raises(TypeError) as err:
            V.as_float_array(value, "X")
    assert words in _one_sentence(err) and err.value.args[0].startswith("X must be")


def test_as_float_array_reports_nan_as_bad_data_with_where():
    with pytest.raises(ValueError, match=r"X contains NaN or infinity \(1 of 4 values, the first at index \(1, 0\)\)"):
        V.as_float_array([[1.0, 2.0], [np.nan, 3.0]], "X")


@pytest.mark.parametrize("value, kind, words", [
    ("10", TypeError, "Write the number without quotes: 10."), (2.5, TypeError, "Round it first"),
    (10.0, TypeError, "without a decimal point: 10"), (True, TypeError, "whole number"), (-1, ValueError, ">= 0"),
])
def test_as_int_one_policy_no_strings_no_floats(value, kind, words):
    with pytest.raises(kind) as err:
        V.as_int(value, "epochs", minimum=0)
    assert words in _one_sentence(err) and "epochs" in str(err.value)


def test_seeds_and_option_names():
    with pytest.raises(ValueError, match="Seeds cannot be negative"):
        MLP(2, [1], seed=-1)
    with pytest.raises(TypeError, match="without quotes: 0"):
        Network([2, 1], seed="0")
    with pytest.raises(ValueError, match=r"Did you mean 'sigmoid'\?"):
        dense(np.ones((1, 2)), Tensor(np.ones((2, 1))), Tensor(np.zeros(1)), "sigmod")
    for bad in ("softmax", "zero_grad"):  # neither acts as linear nor calls a method
        with pytest.raises(ValueError, match="choose one of 'relu', 'tanh'"):
            Layer(2, 2, bad, rng=np.random.default_rng(0))


# ----------------------------------------------------------------------------------------------- worst cases

def test_fit_reports_bad_data_before_training_not_divergence():
    X = X_MOONS.copy()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="X_train contains NaN or infinity .* bad data"):
        fit(MLP(2, [8, 1]), X, Y_MOONS)


def test_models_refuse_nan_and_none():
    X = X_MOONS.copy()
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        MLP(2, [8, 1])(X)
    with pytest.raises(TypeError, match="None"):
        MLP(2, [8, 1]).predict_scores([[None, None]])


def test_text_labels_and_bad_counts():
    with pytest.raises(TypeError, match="text labels such as 'cat'.*np.unique"):
        fit(MLP(2, [1]), X_MOONS[:2], ["cat", "dog"])
    with pytest.raises(TypeError, match="without quotes: 10"):
        fit(MLP(2, [1]), X_MOONS, Y_MOONS, epochs="10")
    with pytest.raises(TypeError, match="batch_size must be a whole number"):
        fit(MLP(2, [1]), X_MOONS, Y_MOONS, batch_size=2.5)


def test_losses_at_their_limits():
    with pytest.raises(ValueError, match=r"eps .* must be a number in \[1e-300, 0.01\]"):
        binary_cross_entropy([0.9], [1], eps=0.7)
    with pytest.raises(ValueError, match="finite"):
        binary_cross_entropy([0.9], [1], eps=float("nan"))
    assert binary_cross_entropy([0.9], [1]) == pytest.approx(-np.log(0.9))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert softmax_cross_entropy([[1e308, -1e308, 0.0]], [0]) == 0.0  # log-sum-exp, no NaN
        assert binary_cross_entropy([1.0, 1e-300], [0, 1], eps=1e-300) == pytest.approx(690.7755, rel=1e-6)
        assert np.all(np.isfinite(binary_cross_entropy_grad([1.0, 1e-300], [0, 1], eps=1e-300)))
        assert np.all(np.isfinite(softmax([1e308, -1e308])))
        with pytest.raises(ValueError, match="overflowed"):
            mse([1e308], [-1e308])
        with pytest.raises(ValueError, match="overflowed"):
            softmax_cross_entropy([[-1e308, 1e308]], [0])


def test_activations_refuse_nan():
    with pytest.raises(ValueError, match="NaN"):
        sigmoid([np.nan, 0.0])
    with pytest.raises(ValueError, match="NaN"):
        relu_derivative([np.nan])


def test_descent_arguments():
    with pytest.raises(ValueError, match=r"h \(the size of the nudge\)"):
        numerical_gradient(lambda p: float(p @ p), [1.0], h=0)
    with pytest.raises(TypeError, match="without quotes: 0.1"):
        DescentPath([[0.0]], [1.0], lr="0.1", optimizer="sgd", steps=0)
    with pytest.raises(ValueError, match=r"limit .* must be a positive number"):
        descend("bowl", limit=-1)


def test_parse_hidden_plain_digits_only():
    with pytest.raises(ValueError, match="whole numbers"):
        parse_hidden("8_8")
    assert parse_hidden("8, 8") == [8, 8]


def test_animate_training_every_zero_and_confusion_matrix_huge_label():
    trainer = Trainer(MLP(2, [3, 1]), X_MOONS, Y_MOONS)
    with pytest.raises(ValueError, match="every must be a whole number from 1"):
        animate_training(trainer, 4, every=0)
    with pytest.raises(ValueError, match="at most 1000 classes; got the label 1e\\+09"):
        confusion_matrix([0, 1], [0, 10**9])


# ----------------------------------------------------------------------------------------------- divergence

def test_the_definition_in_its_parts():
    watch = DivergenceWatch(0.5)
    watch.check_loss(1.0, step=0)
    for step in (1, 2):  # far above (more than 10,000 times the start above the best), but only twice
        watch.check_loss(2e4, step=step)
    watch.check_loss(0.5, step=3)  # back down: the count starts again
    watch.check_loss(2e4, step=4)
    watch.check_loss(2e4, step=5)
    with pytest.raises(DivergenceError, match="at step 6: the loss grew from 1 to 2e\\+04.*3 checks in a row.*0.5"):
        watch.check_loss(2e4, step=6)
    chance = DivergenceWatch(1.0, chance=0.5, baseline=np.log(2))
    chance.check_loss(0.7, step=0)
    for step in range(1, 5):
        chance.check_loss(1.5, step=step, accuracy=0.5)
    with pytest.raises(DivergenceError, match="stayed near chance \\(50%, chance 50%\\)"):
        chance.check_loss(1.5, step=5, accuracy=0.5)
    at_baseline = DivergenceWatch(1.0, chance=0.5, baseline=np.log(2))  # not learning is not diverging
    for step in range(20):
        at_baseline.check_loss(np.log(2), step=step, accuracy=0.5)
    assert trivial_baseline([0, 1, 1, 0]) == (0.5, pytest.approx(np.log(2)))


def test_trainer_reports_adam_at_lr_1000_on_the_three_class_spiral():
    X, y = make_spiral(300, noise=0.1, n_classes=3)
    h = fit(MLP(2, [8, 8, 3], activation="tanh", seed=0), X, y, epochs=100, optimizer="adam", lr=1000.0)
    assert h.diverged and "training diverged" in h.stopped and "learning rate 1000" in h.stopped


def test_trainer_reports_sgd_at_the_playground_top_rate():
    X, y = make_spiral(100, noise=0.0)
    h = fit(MLP(2, [8, 1], activation="tanh", seed=0), X, y, epochs=100, optimizer="sgd", lr=10.0)
    assert h.diverged and "learning rate 10" in h.stopped


@pytest.mark.parametrize("opt_class", [SGD, Momentum, Adam])
def test_a_hand_written_loop_stops_naming_the_step_and_the_learning_rate(opt_class):
    w = Parameter([1.0])
    opt = opt_class([w], lr={SGD: 1.5, Momentum: 3.0, Adam: 1e7}[opt_class])
    with pytest.raises(DivergenceError) as err:
        for _ in range(200):  # loss w^2 (gradient 2w); SGD at 1.5 doubles w every step
            opt.zero_grad()
            w.grad = 2 * w.data
            opt.step()
    text = _one_sentence(err)
    assert f"at step {opt.steps}" in text and "The learning rate" in text and opt.steps < 100
    assert abs(w.data[0]) < 1e8  # stopped about a million times from the start, not at 1e80


def test_train_many_and_fit_line_diverge_loudly():
    X, y = np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), np.array([0.0, 1, 1, 0])
    with pytest.raises(DivergenceError, match="step"):
        train_many(X * 1e3, y, [2, 4, 1], ["relu", "sigmoid"], range(2), lr=1e5, epochs=200)
    x, t = noisy_line(50, random_state=0)
    with pytest.raises(DivergenceError, match="the line fit diverged at step"):
        fit_line(x, t, lr=1e6, steps=100, optimizer="adam")
    assert fit_line(x, t, lr=0.1, steps=300).losses[-1] < 0.3  # a normal fit still runs


# ----------------------------------------------------------------------------------------------- shipped data

def _damaged_copies():
    data = resources.files("nbhelpers").joinpath("data", "digits.csv.gz").read_bytes()
    rows = gzip.decompress(data).decode("ascii").splitlines()
    label11 = rows[:]
    label11[0] = label11[0].rsplit(",", 1)[0] + ",11"
    pixel999 = rows[:]
    pixel999[5] = "999," + pixel999[5].split(",", 1)[1]
    return {"label 11": gzip.compress("\n".join(label11).encode()),
            "pixel 999": gzip.compress("\n".join(pixel999).encode()),
            "900 rows": gzip.compress("\n".join(rows[:900]).encode()),
            "truncated": data[: len(data) // 2], "not gzip": b"0,1,2\n3,4,5\n"}


def test_the_shipped_file_is_verified():
    data = resources.files("nbhelpers").joinpath("data", "digits.csv.gz").read_bytes()
    assert hashlib.sha256(data).hexdigest() == DIGITS_SHA256
    readme = resources.files("nbhelpers").joinpath("data", "README.md").read_text()
    assert DIGITS_SHA256 in readme
    X, y = load_digits()
    assert X.shape == (1797, 64) and set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize("what, bad", list(_damaged_copies().items()))
def test_a_damaged_file_gives_one_sentence_and_the_fix(what, bad):
    with pytest.raises(ValueError) as err:  # the checksum catches it first ...
        _read_digits(bad)
    assert "is damaged (its SHA-256" in _one_sentence(err) and "reinstall" in str(err.value)
    with pytest.raises(ValueError) as err:  # ... and so do the content checks, without the checksum
        _read_digits(bad, sha256=None)
    text = _one_sentence(err)
    assert "is damaged" in text and "reinstall" in text
    expected = {"label 11": "a label is 11", "pixel 999": "a pixel is 999", "900 rows": "shape (900, 65)",
                "truncated": "cannot be read", "not gzip": "cannot be read"}[what]
    assert expected in text
