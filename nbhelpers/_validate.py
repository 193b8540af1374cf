"""Input checks shared by the helpers: one clear sentence for each mistake a learner can make."""

from __future__ import annotations

import numpy as np


def _describe(value) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"{type(value).__name__} {value!r}" if len(repr(value)) < 40 else type(value).__name__


def as_float_array(value, name: str, shape: tuple | None = None, hint: str = "") -> np.ndarray:
    """Convert ``value`` to a float array, checking its shape; raise one clear error otherwise.

    ``shape`` may use ``None`` for "any length", e.g. ``(None, 2)`` for "n rows of 2 numbers".

    Examples
    --------
    >>> as_float_array([1, 2], "x", shape=(2,))
    array([1., 2.])
    """
    if isinstance(value, str) or value is None:
        raise TypeError(f"{name} must be numbers (a list or NumPy array); got {_describe(value)}.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be numbers (a list or NumPy array) with equal-length rows; got {_describe(value)}."
        ) from None
    if shape is not None:
        ok = array.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, array.shape))
        if not ok:
            wanted = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
            extra = f" {hint}" if hint else ""
            raise ValueError(f"{name} must have shape {wanted}; got {array.shape}.{extra}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity; pass finite numbers only.")
    return array


def as_scalar(value, name: str) -> float:
    """Return ``value`` as a finite float, or raise one clear error."""
    if isinstance(value, (bool, np.bool_)) or not np.isscalar(value) and np.ndim(value) != 0:
        raise TypeError(f"{name} must be a single number such as 0.5; got {_describe(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a single number such as 0.5; got {_describe(value)}.") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number; got {number}.")
    return number
