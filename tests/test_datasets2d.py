"""Chapter 6's datasets: the 2-D generators, the train/test split and the shipped digits."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from nbhelpers import datasets as ds
from nbhelpers.datasets import (
    DATASETS_2D,
    load_digits,
    make_circles,
    make_dataset,
    make_gaussians,
    make_linear,
    make_moons,
    make_spiral,
    make_xor,
    train_test_split,
)

ROOT = Path(__file__).resolve().parents[1]
MAKERS = [make_linear, make_circles, make_xor, make_gaussians, make_moons, make_spiral]


@pytest.mark.parametrize("maker", MAKERS, ids=lambda f: f.__name__)
def test_shape_labels_balance_and_range(maker):
    X, y = maker(201, noise=0.1, random_state=3)
    assert X.shape == (201, 2) and y.shape == (201,)
    assert X.dtype == float and np.issubdtype(y.dtype, np.integer)
    assert sorted(np.unique(y).tolist()) == [0, 1]
    assert abs(int((y == 0).sum()) - int((y == 1).sum())) <= 1
    assert np.all(np.isfinite(X)) and np.abs(X).max() < 2.2


@pytest.mark.parametrize("maker", MAKERS, ids=lambda f: f.__name__)
def test_seeded_and_deterministic(maker):
    a = maker(100, noise=0.2, random_state=7)
    b = maker(100, noise=0.2, random_state=7)
    c = maker(100, noise=0.2, random_state=8)
    d = maker(100, noise=0.2, seed=7)  # the other name of the seed
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.allclose(a[0], c[0])
    assert np.array_equal(a[0], d[0])


@pytest.mark.parametrize("maker", MAKERS, ids=lambda f: f.__name__)
def test_noise_moves_the_points(maker):
    clean, _ = maker(300, noise=0.0, random_state=1)
    noisy, _ = maker(300, noise=0.3, random_state=1)
    assert not np.allclose(clean, noisy)


def test_geometry_without_noise():
    X, y = make_linear(400, noise=0.0)
    gap = (X[:, 1] - X[:, 0]) / np.sqrt(2)  # signed distance from the line x2 = x1
    assert np.all(gap[y == 1] >= 0.1 - 1e-12) and np.all(gap[y == 0] <= -0.1 + 1e-12)
    X, y = make_circles(400, noise=0.0, factor=0.4)
    r = np.hypot(*X.T)
    assert r[y == 1].max() <= 0.4 and r[y == 0].min() >= 0.7 and r.max() <= 1.0
    X, y = make_xor(400, noise=0.0)
    assert np.all((np.sign(X[:, 0]) != np.sign(X[:, 1])) == (y == 1))
    X, y = make_gaussians(2000, noise=0.0)
    assert np.allclose(X[y == 0].mean(axis=0), [-0.5, -0.5], atol=0.03)
    assert np.allclose(X[y == 0].std(axis=0), 0.25, atol=0.02)
    X, y = make_moons(200, noise=0.0)
    upper = X[y == 0] - [-0.5, -0.25]
    assert np.allclose(np.hypot(*upper.T), 1.0)  # the upper moon is a half circle of radius 1
    X, y = make_spiral(300, noise=0.0, n_classes=3)
    r = np.hypot(*X.T)
    assert r.min() >= 0.15 - 1e-12 and r.max() <= 1.0 + 1e-12
    assert np.bincount(y).tolist() == [100, 100, 100]


def test_spiral_arms_are_interleaved():
    # along a ray from the centre, the class changes several times: the arms wind around each other
    X, y = make_spiral(4000, noise=0.0, random_state=0)
    angle = np.arctan2(X[:, 1], X[:, 0])
    changes = []
    for direction in np.linspace(-3, 3, 13):
        ray = np.abs(angle - direction) < 0.03
        order = np.argsort(np.hypot(*X[ray].T))
        changes.append(np.count_nonzero(np.diff(y[ray][order])))
    assert min(changes) >= 1 and max(changes) >= 2  # a line through the centre cannot separate them


def test_make_dataset_by_name():
    assert set(DATASETS_2D) == {"linear", "circles", "xor", "gaussians", "moons", "spiral", "spiral3"}
    X, y = make_dataset("spiral3", 90, noise=0.0)
    assert np.bincount(y).tolist() == [30, 30, 30]
    a = make_dataset("Moons", 50, 0.1, random_state=2)
    b = make_moons(50, 0.1, random_state=2)
    assert np.array_equal(a[0], b[0])
    with pytest.raises(ValueError, match="unknown dataset 'spirals?'.*choose one of"):
        make_dataset("spirals", 10)


@pytest.mark.parametrize("call, kind, words", [
    (lambda: make_moons(1), ValueError, "n_samples must be a whole number from 2 to"),
    (lambda: make_moons(10.5), TypeError, "whole number"),
    (lambda: make_moons(10, noise=-0.1), ValueError, r"noise \(the spread of the jitter\) must be a number in \[0, 1000\]"),
    (lambda: make_moons(10, noise="lots"), TypeError, r"noise .* must be a single number"),
    (lambda: make_moons(10, random_state="a"), TypeError, "random_state must be a whole number"),
    (lambda: make_moons(10, random_state=3, seed=4), ValueError, "give the seed once"),
    (lambda: make_circles(10, factor=0.9), ValueError, "factor"),
    (lambda: make_spiral(10, n_classes=7), ValueError, r"n_classes \(spiral arms\) must be a whole number from 2 to 4"),
    (lambda: make_spiral(10, turns=0), ValueError, "turns"),
])
def test_bad_arguments_say_what_to_do(call, kind, words):
    with pytest.raises(kind, match=words):
        call()


def test_split_is_stratified_disjoint_and_seeded():
    X, y = make_spiral(300, noise=0.1, n_classes=3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)
    assert len(X_train) == 240 and len(X_test) == 60
    assert np.bincount(y_test).tolist() == [20, 20, 20]
    rows = {tuple(r) for r in X_train} | {tuple(r) for r in X_test}
    assert rows == {tuple(r) for r in X} and len(rows) == 300  # every point exactly once
    again = train_test_split(X, y, test_size=0.2, random_state=1)
    assert np.array_equal(again[0], X_train) and np.array_equal(again[3], y_test)
    other = train_test_split(X, y, test_size=0.2, random_state=2)
    assert not np.array_equal(other[0], X_train)
    # labels stay attached to their points
    lookup = {tuple(r): c for r, c in zip(X, y)}
    assert all(lookup[tuple(r)] == c for r, c in zip(X_test, y_test))
    X_tr, X_te, *_ = train_test_split(X, y, test_size=0.5, stratify=False)
    assert len(X_tr) == len(X_te) == 150


@pytest.mark.parametrize("kwargs, words", [
    ({"test_size": 0}, r"must be a number in \(0, 1\)"),
    ({"test_size": 1.5}, r"must be a number in \(0, 1\)"),
    ({"test_size": "half"}, "fraction"),
])
def test_split_bad_arguments(kwargs, words):
    X, y = make_moons(20)
    with pytest.raises((ValueError, TypeError), match=words):
        train_test_split(X, y, **kwargs)


def test_split_shape_mismatch_and_tiny_sets():
    X, y = make_moons(20)
    with pytest.raises(ValueError, match="one label per row"):
        train_test_split(X, y[:10])
    with pytest.raises(ValueError, match="one label per row"):
        train_test_split(X, y.reshape(-1, 1))
    with pytest.raises(ValueError, match="would be empty"):
        train_test_split(X[:2], y[:2], test_size=0.1)


def test_digits_are_shipped_and_load():
    X, y = load_digits()
    assert X.shape == (1797, 64) and y.shape == (1797,)
    assert X.min() == 0 and X.max() == 16 and np.all(X == np.round(X))
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert y[:10].tolist() == list(range(10))
    zero = X[0].reshape(8, 8)
    assert zero[3:5, 3:5].sum() < zero[3:5, [1, 6]].sum()  # a zero: ink on the sides, a hole in the middle


def test_digits_file_and_licence_note():
    path = ROOT / "nbhelpers" / "data" / "digits.csv.gz"
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    note = (ROOT / "nbhelpers" / "data" / "README.md").read_text(encoding="utf-8")
    assert digest in note  # the note names exactly this file
    assert "CC BY 4.0" in note and "Alpaydin" in note and "UCI" in note


def test_existing_functions_untouched():
    X, y = ds.logic_gate("xor")
    assert y.tolist() == [0.0, 1.0, 1.0, 0.0]
    names, X, y = ds.people()
    assert names[0] == "Alice"
