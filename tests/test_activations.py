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
    with pytest.raises(TypeError, match="takes numbers"):
        A.sigmoid("abc")
