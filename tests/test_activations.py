"""Activations: reference values, derivatives against central differences, stability at the extremes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from nbhelpers import activations as A


def test_reference_values():
    assert A.sigmoid([-2, 0, 2]) == pytest.approx([0.1192, 0.5, 0.8808], abs=1e-4)
    assert A.tanh([-2, 0, 2]) == pytest.approx([-0.9640, 0, 0.9640], abs=1e-4)
    assert A.softmax([[2.0, 1.0, 0.1]]) == pytest.approx(np.array([[0.6590, 0.2424, 0.0986]]), abs=1e-4)


ELEMENTWISE = [a for a in A.ACTIVATIONS.values() if a.name not in ("softmax", "step")]


@pytest.mark.parametrize("act", ELEMENTWISE, ids=lambda a: a.name)
def test_derivative_matches_central_differences(act):
    z = np.array([-3.0, -1.2, -0.3, 0.4, 1.1, 2.5, 30.0, -30.0])
    h = 1e-6
    numeric = (act.function(z + h) - act.function(z - h)) / (2 * h)
    assert act.derivative(z) == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize("act", list(A.ACTIVATIONS.values()), ids=lambda a: a.name)
def test_extremes_do_not_warn_or_nan(act):
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, slopes = act.function(z), act.derivative(z)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))


def test_sigmoid_extremes_exact():
    assert A.sigmoid([-1000.0, 1000.0]).tolist() == [0.0, 1.0]
    assert A.sigmoid_derivative(0.0) == 0.25


def test_softmax_rows_sum_to_one_and_jacobian_matches_numeric():
    z = np.array([[1000.0, 999.0, 0.0], [0.2, -0.4, 1.3]])
    s = A.softmax(z)
    assert s.sum(axis=1) == pytest.approx([1.0, 1.0])
    v = z[1]
    h = 1e-6
    numeric = np.array([(A.softmax(v + h * e) - A.softmax(v - h * e)) / (2 * h) for e in np.eye(3)]).T
    assert A.softmax_jacobian(v) == pytest.approx(numeric, abs=1e-6)


def test_lookup_by_name_and_errors():
    assert A.get_activation("ReLU").name == "relu"
    assert A.get_activation("identity").name == "linear"
    with pytest.raises(ValueError) as info:
        A.get_activation("swish2")
    assert "unknown activation 'swish2'" in str(info.value) and "'tanh'" in str(info.value)
    with pytest.raises(TypeError, match="must be a name"):
        A.get_activation(3)
    with pytest.raises(TypeError, match=r"z \(the pre-activation\) must be numbers"):
        A.sigmoid("abc")


# ------------------------------------------------------------------------------------ chapter 2 additions

ALL_ELEMENTWISE = [A.get_activation(n) for n in A.ELEMENTWISE]  # step too: its slope is 0 away from its jump


def _central(f, z, h):
    return (f(z + h) - f(z - h)) / (2 * h)


def test_elementwise_list_is_every_activation_but_softmax():
    assert set(A.ELEMENTWISE) == set(A.ACTIVATIONS) - {"softmax"}
    assert A.ELEMENTWISE[:3] == ("sigmoid", "tanh", "relu")


@pytest.mark.parametrize("act", ALL_ELEMENTWISE, ids=lambda a: a.name)
def test_derivative_matches_central_differences_on_a_dense_grid(act):
    # 400 points from -8 to 8, none at ReLU's kink z = 0 (the grid has an even number of points)
    z = np.linspace(-8.0, 8.0, 400)
    assert not np.any(z == 0)
    numeric = _central(act.function, z, 1e-6)
    assert np.max(np.abs(act.derivative(z) - numeric)) < 1e-6


@pytest.mark.parametrize("act", ALL_ELEMENTWISE, ids=lambda a: a.name)
@pytest.mark.parametrize("z0", [-1000.0, 1000.0])
def test_derivative_matches_central_differences_at_1000_without_warnings(act, z0):
    z = np.array([z0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        slope = act.derivative(z)
        numeric = _central(act.function, z, 1e-5)
    assert np.all(np.isfinite(slope)) and np.all(np.isfinite(numeric))
    assert slope == pytest.approx(numeric, abs=1e-6)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.3])
def test_leaky_relu_derivative_with_other_alphas(alpha):
    z = np.array([-4.0, -0.5, 0.5, 4.0])
    numeric = _central(lambda v: A.leaky_relu(v, alpha=alpha), z, 1e-6)
    assert A.leaky_relu_derivative(z, alpha=alpha) == pytest.approx(numeric, abs=1e-6)
    assert A.leaky_relu(-2.0, alpha) == pytest.approx(-2.0 * alpha)


@pytest.mark.parametrize("act", list(A.ACTIVATIONS.values()), ids=lambda a: a.name)
def test_huge_inputs_stay_finite_and_quiet(act):
    z = np.array([-1e300, -1000.0, 1000.0, 1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, slopes = act.function(z), act.derivative(z)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))


def test_gelu_clip_changes_nothing_where_it_applies():
    # beyond |z| = 10 the unclipped formula (where it does not overflow) gives the same numbers
    z = np.array([-60.0, -12.0, -10.5, 10.5, 12.0, 60.0])
    c = np.sqrt(2 / np.pi)
    t = np.tanh(c * (z + 0.044715 * z**3))
    unclipped = 0.5 * z * (1 + t)
    unclipped_slope = 0.5 * (1 + t) + 0.5 * z * (1 - t**2) * c * (1 + 3 * 0.044715 * z**2)
    assert np.array_equal(A.gelu(z), unclipped)
    assert np.array_equal(A.gelu_derivative(z), unclipped_slope)
    assert A.gelu(1e300) == 1e300 and A.gelu(-1e300) == 0.0


def test_softmax_jacobian_matches_central_differences_for_a_batch_and_large_logits():
    rng = np.random.default_rng(7)
    batch = np.vstack([rng.normal(size=(3, 4)), [1000.0, 1001.0, 1002.0, 999.0]])
    jac = A.softmax_jacobian(batch)
    assert jac.shape == (4, 4, 4)
    h = 1e-6
    for row, J in zip(batch, jac):
        numeric = np.array([(A.softmax(row + h * e) - A.softmax(row - h * e)) / (2 * h) for e in np.eye(4)]).T
        assert J == pytest.approx(numeric, abs=1e-6)
        assert J.sum(axis=0) == pytest.approx(np.zeros(4), abs=1e-12)  # the outputs always sum to 1


def test_shapes_are_kept():
    for act in A.ACTIVATIONS.values():
        if act.name == "softmax":
            continue
        for z in (0.5, np.zeros(3), np.zeros((2, 3))):
            assert np.shape(act.function(z)) == np.shape(z), act.name
            assert np.shape(act.derivative(z)) == np.shape(z), act.name


def test_ranges_and_peak_slopes():
    z = np.random.default_rng(3).normal(scale=20, size=10_000)
    assert np.all((A.sigmoid(z) >= 0) & (A.sigmoid(z) <= 1))
    assert np.all((A.tanh(z) >= -1) & (A.tanh(z) <= 1))
    assert np.all(A.relu(z) >= 0)
    grid = np.linspace(-10, 10, 20_001)
    assert A.sigmoid_derivative(grid).max() == pytest.approx(0.25)
    assert grid[np.argmax(A.sigmoid_derivative(grid))] == pytest.approx(0.0)
    assert A.tanh_derivative(grid).max() == pytest.approx(1.0)
    assert A.gelu(grid).min() == pytest.approx(-0.17, abs=0.005)


def test_softmax_properties():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    assert A.softmax(z + 1234.5) == pytest.approx(A.softmax(z))  # shifting every score changes nothing
    assert A.softmax(z, axis=0) == pytest.approx(A.softmax(z.T).T)
    assert A.softmax([1000.0, 1001.0, 1002.0]) == pytest.approx([0.0900, 0.2447, 0.6652], abs=1e-4)
    assert A.softmax([-1000.0, -1001.0]) == pytest.approx(A.softmax([0.0, -1.0]))
    for zz in (-3.0, 0.0, 2.5):  # sigmoid is a softmax against a fixed 0
        assert A.softmax([zz, 0.0])[0] == pytest.approx(float(A.sigmoid(zz)))


def test_sigmoid_split_by_sign_is_exact_on_both_sides():
    z = np.array([-40.0, -5.0, 5.0, 40.0])
    assert A.sigmoid(z) + A.sigmoid(-z) == pytest.approx(np.ones(4), abs=1e-15)
    assert A.sigmoid(-40.0) == pytest.approx(np.exp(-40.0) / (1 + np.exp(-40.0)), rel=1e-12)  # not rounded to 0


def test_clear_errors_for_bad_input():
    with pytest.raises(TypeError, match=r"z \(the pre-activation\) must be numbers"):
        A.relu(None)
    with pytest.raises(TypeError, match="alpha .* must be a single number"):
        A.leaky_relu([1.0], alpha="0.1")
    with pytest.raises(TypeError, match="alpha"):
        A.leaky_relu_derivative([1.0], alpha=[0.1])
    with pytest.raises(ValueError, match="finite"):
        A.leaky_relu([1.0], alpha=float("nan"))
    with pytest.raises(ValueError, match=r"axis \(of softmax\) must be a whole number from -1 to 0"):
        A.softmax([1.0, 2.0], axis=1)
    with pytest.raises(TypeError, match="axis"):
        A.softmax([[1.0, 2.0]], axis=0.5)
    with pytest.raises(ValueError, match="at least one score"):
        A.softmax(np.zeros((2, 0)))
    with pytest.raises(ValueError, match="single number"):
        A.softmax(3.0)
