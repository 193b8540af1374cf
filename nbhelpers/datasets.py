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

    >>> names, X, y = people(); names[0], X[0].tolist(), float(y[0])
    ('Alice', [-2.0, -1.0], 1.0)
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


# ================================================================================================ chapter 6
# Two-dimensional datasets for training networks on the plane, a train/test split, and a small real dataset.
# Every generator takes ``n_samples``, ``noise`` (standard deviation of Gaussian jitter added to each point,
# in the units of the plane) and ``random_state`` (``seed`` is accepted as another name for it), and returns
# ``(X, y)``: X of shape (n_samples, 2), y integer class labels 0, 1 (, 2). Points lie roughly in [-1.5, 1.5].

__all__ += [
    "make_linear", "make_circles", "make_xor", "make_gaussians", "make_moons", "make_spiral", "make_dataset",
    "DATASETS_2D", "train_test_split", "load_digits",
]


def _generator(random_state, seed) -> np.random.Generator:
    """One seeded Generator from ``random_state`` or its other name ``seed`` (a number or a Generator)."""
    if seed is not None:
        if random_state not in (None, 0) and random_state is not seed and random_state != seed:
            raise ValueError(f"give the seed once: random_state={random_state!r} and seed={seed!r} disagree.")
        random_state = seed
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None:
        random_state = 0
    if isinstance(random_state, (bool, np.bool_)) or not isinstance(random_state, (int, np.integer)) or random_state < 0:
        raise TypeError(f"random_state must be a whole number >= 0 (such as 0) or a numpy Generator; got {random_state!r}.")
    return np.random.default_rng(int(random_state))


def _check_size(n_samples, noise, minimum: int = 2) -> tuple[int, float]:
    if isinstance(n_samples, (bool, np.bool_)) or not isinstance(n_samples, (int, np.integer)):
        raise TypeError(f"n_samples must be a whole number such as 200; got {n_samples!r}.")
    if n_samples < minimum:
        raise ValueError(f"n_samples must be at least {minimum} (one point per class); got {n_samples}.")
    try:
        noise = float(noise)
    except (TypeError, ValueError):
        raise TypeError(f"noise must be a number such as 0.1; got {noise!r}.") from None
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a number >= 0 such as 0.1 (0 = no noise); got {noise!r}.")
    return int(n_samples), noise


def _split_counts(n_samples: int, n_classes: int) -> list[int]:
    """How many points each class gets: as equal as possible, the first classes get the extra ones."""
    base, extra = divmod(n_samples, n_classes)
    return [base + (k < extra) for k in range(n_classes)]


def _finish(parts, noise, rng):
    """Stack per-class point arrays, add the noise, shuffle, return (X, y)."""
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(p), k, dtype=int) for k, p in enumerate(parts)])
    X = X + rng.normal(0.0, noise, X.shape) if noise > 0 else X
    order = rng.permutation(len(X))
    return X[order], y[order]


def make_linear(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """Two classes on either side of a straight line (the diagonal x2 = x1), with a gap between them.

    >>> X, y = make_linear(100, noise=0.0); X.shape, sorted(set(y.tolist()))
    ((100, 2), [0, 1])
    >>> bool(np.all((X[:, 1] > X[:, 0]) == (y == 1)))  # with no noise, a line separates them exactly
    True
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    parts = []
    for k, count in enumerate(_split_counts(n_samples, 2)):
        # distance from the line in [0.1, 1.0) on the class's side, position along the line in [-1, 1]
        across = rng.uniform(0.1, 1.0, count) * (1 if k == 1 else -1)
        along = rng.uniform(-1.0, 1.0, count)
        parts.append(np.column_stack([along - across, along + across]) / np.sqrt(2))
    return _finish(parts, noise, rng)


def make_circles(n_samples: int = 200, noise: float = 0.1, random_state=0, *, factor: float = 0.5, seed=None):
    """A disc of class 1 (radius up to ``factor``) inside a ring of class 0 (radius 0.7 to 1).

    >>> X, y = make_circles(200, noise=0.0); r = np.hypot(X[:, 0], X[:, 1])
    >>> bool(r[y == 1].max() <= 0.5 < 0.7 <= r[y == 0].min())
    True
    """
    n_samples, noise = _check_size(n_samples, noise)
    if not 0 < factor < 0.7:
        raise ValueError(f"factor (the inner disc's radius) must be between 0 and 0.7; got {factor!r}.")
    rng = _generator(random_state, seed)
    outer, inner = _split_counts(n_samples, 2)
    parts = []
    for count, (r_lo, r_hi) in ((outer, (0.7, 1.0)), (inner, (0.0, factor))):
        radius = rng.uniform(r_lo, r_hi, count)
        angle = rng.uniform(0, 2 * np.pi, count)
        parts.append(np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]))
    return _finish(parts, noise, rng)


def make_xor(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """The four quadrants: class 1 where exactly one coordinate is positive (XOR), class 0 elsewhere.

    >>> X, y = make_xor(200, noise=0.0)
    >>> bool(np.all(((X[:, 0] > 0) != (X[:, 1] > 0)) == (y == 1)))
    True
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    parts = []
    for k, count in enumerate(_split_counts(n_samples, 2)):
        pts = rng.uniform(0.05, 1.0, (count, 2)) * rng.choice([-1.0, 1.0], (count, 1))  # quadrant I or III
        if k == 1:
            pts[:, 1] *= -1  # quadrant II or IV: signs differ
        parts.append(pts)
    return _finish(parts, noise, rng)


def make_gaussians(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """Two round clouds, class 0 around (-0.5, -0.5) and class 1 around (0.5, 0.5), each of spread 0.25.

    >>> X, y = make_gaussians(400, noise=0.0); np.round(X[y == 1].mean(axis=0), 1)
    array([0.5, 0.5])
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    parts = [rng.normal(centre, 0.25, (count, 2))
             for centre, count in zip((-0.5, 0.5), _split_counts(n_samples, 2))]
    return _finish(parts, noise, rng)


def make_moons(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """Two interleaving half circles (as scikit-learn's ``make_moons``, moved so they are centred on 0).

    Class 0 is the upper moon, class 1 the lower one.

    >>> X, y = make_moons(100, noise=0.0); X.shape, int(y.sum())
    ((100, 2), 50)
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    upper, lower = _split_counts(n_samples, 2)
    t0 = np.linspace(0, np.pi, upper)
    t1 = np.linspace(0, np.pi, lower)
    parts = [np.column_stack([np.cos(t0) - 0.5, np.sin(t0) - 0.25]),
             np.column_stack([0.5 - np.cos(t1), 0.25 - np.sin(t1)])]
    return _finish(parts, noise, rng)


def make_spiral(n_samples: int = 200, noise: float = 0.1, random_state=0, *, n_classes: int = 2,
                turns: float = 1.5, seed=None):
    """Interleaved spiral arms, one per class (2 by default; ``n_classes=3`` for three arms).

    Each arm starts near the centre (radius 0.15) and winds ``turns`` times around it, out to radius 1.

    >>> X, y = make_spiral(300, noise=0.0, n_classes=3); X.shape, np.bincount(y).tolist()
    ((300, 2), [100, 100, 100])
    """
    n_samples, noise = _check_size(n_samples, noise, minimum=2)
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, (int, np.integer)) or not 2 <= n_classes <= 4:
        raise ValueError(f"n_classes must be 2, 3 or 4 spiral arms; got {n_classes!r}.")
    if n_samples < n_classes:
        raise ValueError(f"n_samples must be at least n_classes ({n_classes}); got {n_samples}.")
    if not 0 < float(turns) <= 3:
        raise ValueError(f"turns must be between 0 and 3 (how far each arm winds); got {turns!r}.")
    rng = _generator(random_state, seed)
    parts = []
    for k, count in enumerate(_split_counts(n_samples, n_classes)):
        t = rng.uniform(0.15, 1.0, count)  # distance from the centre
        angle = 2 * np.pi * (turns * t + k / n_classes)
        parts.append(np.column_stack([t * np.cos(angle), t * np.sin(angle)]))
    return _finish(parts, noise, rng)


_MAKERS = {
    "linear": (make_linear, {}),
    "circles": (make_circles, {}),
    "xor": (make_xor, {}),
    "gaussians": (make_gaussians, {}),
    "moons": (make_moons, {}),
    "spiral": (make_spiral, {}),
    "spiral3": (make_spiral, {"n_classes": 3}),
}

#: Names accepted by :func:`make_dataset` ("spiral3" is the spiral with three arms).
DATASETS_2D = tuple(_MAKERS)


def make_dataset(name: str, n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """One of the 2-D datasets by name: "linear", "circles", "xor", "gaussians", "moons", "spiral", "spiral3".

    >>> X, y = make_dataset("spiral3", 90); np.bincount(y).tolist()
    [30, 30, 30]
    """
    key = str(name).strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    key = {"gaussian": "gaussians", "circle": "circles", "moon": "moons", "spiral2": "spiral"}.get(key, key)
    if key not in _MAKERS:
        raise ValueError(f"unknown dataset {name!r}; choose one of {', '.join(map(repr, DATASETS_2D))}.")
    maker, extra = _MAKERS[key]
    return maker(n_samples, noise, random_state, seed=seed, **extra)


# Two regression datasets (a number to predict at each point, not a class), as in TensorFlow Playground: targets
# lie in [-1, 1] and are drawn with a continuous colour map.

def make_plane(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """Regression on a tilted plane: points uniform in [-1, 1]², target ``(x1 + x2) / 2`` (plus noise on it).

    >>> X, y = make_plane(100, noise=0.0); X.shape, y.dtype.kind, bool(np.allclose(y, X.sum(axis=1) / 2))
    ((100, 2), 'f', True)
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = X.sum(axis=1) / 2
    return X, np.clip(y + rng.normal(0.0, noise, n_samples), -1, 1) if noise > 0 else y


def make_bumps(n_samples: int = 200, noise: float = 0.1, random_state=0, *, seed=None):
    """Regression on four Gaussian bumps, two up (+1) and two down (-1), at the corners of a square.

    >>> X, y = make_bumps(200, noise=0.0); X.shape, bool(-1 <= y.min() < 0 < y.max() <= 1)
    ((200, 2), True)
    """
    n_samples, noise = _check_size(n_samples, noise)
    rng = _generator(random_state, seed)
    X = rng.uniform(-1.0, 1.0, (n_samples, 2))
    y = np.zeros(n_samples)
    for (cx, cy), sign in (((-0.5, -0.5), 1), ((0.5, 0.5), 1), ((-0.5, 0.5), -1), ((0.5, -0.5), -1)):
        y += sign * np.exp(-((X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2) / (2 * 0.2 ** 2))
    return X, np.clip(y + rng.normal(0.0, noise, n_samples), -1, 1) if noise > 0 else np.clip(y, -1, 1)


#: The regression datasets by name (a number at each point): "plane" and "bumps".
REGRESSION_2D = {"plane": make_plane, "bumps": make_bumps}
__all__ += ["make_plane", "make_bumps", "REGRESSION_2D"]


def train_test_split(X, y, test_size: float = 0.3, random_state=0, *, stratify: bool = True, seed=None):
    """Shuffle and split ``(X, y)`` into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    ``test_size`` is the fraction held out for testing. With ``stratify=True`` (the default) each class is
    split in the same proportion, so a small test set still holds every class.

    >>> X, y = make_moons(100); X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
    >>> X_train.shape, X_test.shape, np.bincount(y_test).tolist()
    ((80, 2), (20, 2), [10, 10])
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X and y must have one label per row: X has shape {X.shape}, y has shape {y.shape} "
                         "(y should be a flat array of labels, e.g. y.ravel()).")
    try:
        test_size = float(test_size)
    except (TypeError, ValueError):
        raise TypeError(f"test_size must be a fraction such as 0.3; got {test_size!r}.") from None
    if not 0 < test_size < 1:
        raise ValueError(f"test_size must be a fraction strictly between 0 and 1, such as 0.3; got {test_size!r}.")
    rng = _generator(random_state, seed)
    n = len(X)
    if stratify:
        test_index = []
        for cls in np.unique(y):
            members = rng.permutation(np.flatnonzero(y == cls))
            take = round(test_size * len(members))
            test_index.append(members[:take])
        test_index = np.concatenate(test_index)
    else:
        test_index = rng.permutation(n)[: round(test_size * n)]
    is_test = np.zeros(n, dtype=bool)
    is_test[test_index] = True
    if is_test.all() or not is_test.any():
        raise ValueError(f"with {n} samples and test_size={test_size}, one of the two parts would be empty; "
                         "use more samples or a test_size nearer 0.5.")
    train_order = rng.permutation(np.flatnonzero(~is_test))
    test_order = rng.permutation(np.flatnonzero(is_test))
    return X[train_order], X[test_order], y[train_order], y[test_order]


def load_digits():
    """The UCI handwritten digits: ``(X, y)`` with X of shape (1797, 64), pixel values 0..16, y the digit 0..9.

    Each row is an 8x8 image: ``X[i].reshape(8, 8)``. The file ships with the package (see
    ``nbhelpers/data/README.md`` for its source and licence, CC BY 4.0); nothing is downloaded.

    >>> X, y = load_digits(); X.shape, y[:5].tolist()
    ((1797, 64), [0, 1, 2, 3, 4])
    """
    import gzip
    from importlib import resources

    source = resources.files("nbhelpers").joinpath("data", "digits.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    return table[:, :-1].astype(float), table[:, -1].astype(int)
