"""Small datasets for the course, generated or typed in (nothing is downloaded).

Functions return ``(X, y)`` NumPy arrays, like scikit-learn's ``make_*`` functions.
"""

from __future__ import annotations

import numpy as np

from nbhelpers._validate import as_choice, as_float_array, as_int, as_scalar, as_seed, describe

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
    key = as_choice(name, "gate", tuple(GATES))
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
    "DATASETS_2D", "train_test_split", "load_digits", "DIGITS_SHA256",
]


def _generator(random_state, seed) -> np.random.Generator:
    """One seeded Generator from ``random_state`` or its other name ``seed`` (a number or a Generator)."""
    random_state = as_seed(random_state, "random_state")
    if seed is not None:
        seed = as_seed(seed, "seed")
        if random_state not in (None, 0) and random_state is not seed and random_state != seed:
            raise ValueError(f"give the seed once: random_state={random_state!r} and seed={seed!r} disagree.")
        random_state = seed
    if isinstance(random_state, np.random.Generator):
        return random_state
    return np.random.default_rng(0 if random_state is None else random_state)


def _check_size(n_samples, noise, minimum: int = 2) -> tuple[int, float]:
    n_samples = as_int(n_samples, "n_samples", minimum=minimum, maximum=10**7, example="200",
                       hint="At least one point per class.")
    noise = as_scalar(noise, "noise (the spread of the jitter)", minimum=0, maximum=1e3, example="0.1 (0 = no noise)")
    return n_samples, noise


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
    factor = as_scalar(factor, "factor (the inner disc's radius)", minimum=0, maximum=0.7, min_open=True,
                       max_open=True, example="0.5")
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
    n_classes = as_int(n_classes, "n_classes (spiral arms)", minimum=2, maximum=4, example="2 or 3")
    if n_samples < n_classes:
        raise ValueError(f"n_samples must be at least n_classes ({n_classes}); got {n_samples}.")
    turns = as_scalar(turns, "turns (how far each arm winds)", minimum=0, maximum=3, min_open=True, example="1.5")
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
    key = as_choice(name, "dataset", DATASETS_2D, {"gaussian": "gaussians", "circle": "circles", "moon": "moons",
                                                    "spiral2": "spiral"},
                    normalize=lambda t: t.strip().lower().replace(" ", "").replace("-", "").replace("_", ""))
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
        y += sign * np.exp(-((X[:, 0] - cx) ** 2 + (X[:, 1] - cy) ** 2) / (2 * 0.3 ** 2))
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
    as_float_array(X, "X", nonempty=True)  # numbers only, finite: checked here, returned as given
    as_float_array(y, "y")
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X and y must have one label per row: X has shape {X.shape}, y has shape {y.shape} "
                         "(y should be a flat array of labels, e.g. y.ravel()).")
    test_size = as_scalar(test_size, "test_size (the fraction held out)", minimum=0, maximum=1, min_open=True,
                          max_open=True, example="0.3")
    if not isinstance(stratify, (bool, np.bool_)):
        raise TypeError(f"stratify must be True or False; got {describe(stratify)}.")
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


#: SHA-256 of the shipped ``data/digits.csv.gz`` (also stated in ``nbhelpers/data/README.md``).
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
_DIGITS_FIX = "reinstall the course package (pip install --force-reinstall nbhelpers, or git checkout nbhelpers/data)"


def _read_digits(data: bytes, sha256: str | None = DIGITS_SHA256, where: str = "nbhelpers/data/digits.csv.gz"):
    """Check and parse the bytes of the digits file: checksum, gzip, 1797 rows of 64 pixels 0..16 and a digit."""
    import gzip
    import hashlib
    import io
    import zlib

    def damaged(what: str):
        return ValueError(f"the digits file {where} is damaged ({what}); {_DIGITS_FIX}.")

    if sha256 is not None:
        digest = hashlib.sha256(data).hexdigest()
        if digest != sha256:
            raise damaged(f"its SHA-256 is {digest[:12]}..., not the {sha256[:12]}... it shipped with")
    try:
        text = gzip.decompress(data).decode("ascii")
        table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as err:
        raise damaged(f"it cannot be read as gzip-compressed numbers: {type(err).__name__}") from None
    if table.shape != (1797, 65):
        raise damaged(f"it holds a table of shape {table.shape}, not 1797 rows of 64 pixels and a label")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 16:
        raise damaged(f"a pixel is {pixels.max() if pixels.max() > 16 else pixels.min()}, outside 0..16")
    if labels.min() < 0 or labels.max() > 9:
        raise damaged(f"a label is {labels.max() if labels.max() > 9 else labels.min()}, not a digit 0..9")
    return pixels.astype(float), labels.astype(int)


def load_digits():
    """The UCI handwritten digits: ``(X, y)`` with X of shape (1797, 64), pixel values 0..16, y the digit 0..9.

    Each row is an 8x8 image: ``X[i].reshape(8, 8)``. The file ships with the package (see
    ``nbhelpers/data/README.md`` for its source and licence, CC BY 4.0); nothing is downloaded. Its SHA-256 is
    verified on every load (:data:`DIGITS_SHA256`), and so are its shape and value ranges: a damaged file gives
    one sentence saying so and how to fix it.

    >>> X, y = load_digits(); X.shape, y[:5].tolist()
    ((1797, 64), [0, 1, 2, 3, 4])
    """
    from importlib import resources

    source = resources.files("nbhelpers").joinpath("data", "digits.csv.gz")
    try:
        data = source.read_bytes()
    except OSError as err:
        raise FileNotFoundError(f"the digits file nbhelpers/data/digits.csv.gz is missing ({type(err).__name__}); "
                                f"{_DIGITS_FIX}.") from None
    return _read_digits(data)
