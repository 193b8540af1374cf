"""Small datasets for the course, generated or typed in (nothing is downloaded).

Functions return ``(X, y)`` NumPy arrays, like scikit-learn's ``make_*`` functions.
"""

from __future__ import annotations

import numpy as np

__all__ = ["logic_gate", "GATES", "people", "letters"]

GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
    "xor": [0, 1, 1, 0],
}


def logic_gate(name: str):
    """Truth table of a two-input logic gate as ``(X, y)``: X is (4, 2) with rows 00, 01, 10, 11.

    >>> X, y = logic_gate("xor"); y
    array([0., 1., 1., 0.])
    """
    key = str(name).strip().lower()
    if key not in GATES:
        raise ValueError(f"unknown gate {name!r}; choose one of {', '.join(repr(g) for g in GATES)}.")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return X, np.array(GATES[key], dtype=float)


def people():
    """Four people as ``(names, X, y)``: X = (weight - 135 lb, height - 66 in), y = 1 for F, 0 for M.

    >>> names, X, y = people(); names[0], X[0], y[0]
    ('Alice', array([-2., -1.]), 1.0)
    """
    names = ["Alice", "Bob", "Charlie", "Diana"]
    X = np.array([[-2, -1], [25, 6], [17, 4], [-15, -6]], dtype=float)
    y = np.array([1, 0, 0, 1], dtype=float)
    return names, X, y


_LETTER_ROWS = {
    "A": ["01110", "10001", "10001", "11111", "10001", "10001"],
    "B": ["11110", "10001", "11110", "10001", "10001", "11110"],
    "C": ["01111", "10000", "10000", "10000", "10000", "01111"],
}


def letters():
    """The letters A, B, C as 6x5-pixel images: ``(X, y, names)`` with X of shape (3, 30) and y = [0, 1, 2].

    Reshape a row with ``X[i].reshape(6, 5)`` to see the image.
    """
    names = list(_LETTER_ROWS)
    X = np.array([[int(p) for row in _LETTER_ROWS[n] for p in row] for n in names], dtype=float)
    return X, np.arange(len(names)), names
