"""Input checks shared by the helpers: one clear sentence for each mistake a learner can make.

Every public function of the package checks what it takes with these validators, at its entry, so a mistake
is answered in one sentence that names the argument, says what came and how to fix it, instead of a NumPy
traceback from deep inside or a silent NaN.

One policy for the whole package:

- **Numbers are numbers.** ``int``, ``float``, NumPy numbers, lists and arrays of them are accepted.
  Strings are refused everywhere, *numeric strings too* (``"0.1"``, ``"10"``): a string usually means a value
  was read from a text box or a file and not converted, and accepting it in some places only would hide that.
- **Refused where numbers are meant:** ``None``, complex numbers (NumPy would silently drop the imaginary part),
  ``True``/``False`` (they would count as 1 and 0), object arrays (``None`` or other objects inside: NumPy
  would turn ``None`` into NaN), ragged lists (rows of different lengths).
- **Finite.** NaN and infinity are refused in inputs: they are bad data, reported before any work is done.
- **Whole numbers** (sizes, counts, epochs, seeds) must be ``int`` (or a NumPy integer): ``2.5`` and ``10.0``
  are refused rather than silently rounded.
- **Names of options** are matched case-insensitively (``"ReLU"``, ``"leaky-relu"``); an unknown name lists the
  valid ones and suggests the nearest (``"sigmod"``: did you mean ``'sigmoid'``?).

>>> as_float_array([1, 2], "x", shape=(2,))
array([1., 2.])
>>> as_int(10, "epochs", minimum=0)
10
"""

from __future__ import annotations

import difflib
import math
import numbers

import numpy as np

__all__ = [
    "describe", "as_float_array", "as_scalar", "as_int", "as_optional_int", "as_seed", "as_choice", "as_bool",
    "as_labels", "as_callable", "as_int_list", "finite_result", "MAX_CLASSES",
]

#: The largest number of classes a label array may imply (labels run 0 .. k-1): guards against a typo such as
#: a label of 10**9 making a helper allocate a billion-by-billion table.
MAX_CLASSES = 1000


def describe(value) -> str:
    """A short description of what came, for error messages: ``"str '10'"``, ``"an array of shape (3,)"``."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, str):
        text = repr(value) if len(value) < 30 else repr(value[:27] + "...")
        return f"the text {text}"
    text = repr(value)
    return f"{type(value).__name__} {text}" if len(text) < 40 else type(value).__name__


def _string_hint(value) -> str:
    """A fix for a string that should have been a number."""
    try:
        float(value)
    except (TypeError, ValueError):
        return ""
    return f" Write the number without quotes: {value.strip()}."


def _first_bad_element(array: np.ndarray):
    for item in array.flat:
        if item is None or isinstance(item, (str, bytes, complex, bool, np.bool_)) \
                or not isinstance(item, numbers.Real):
            return item
    return None


def as_float_array(value, name: str, shape: tuple | None = None, hint: str = "", *, finite: bool = True,
                   nonempty: bool = False, max_abs: float | None = None) -> np.ndarray:
    """Convert ``value`` to a float array, checking its type and shape; raise one clear error otherwise.

    ``shape`` may use ``None`` for "any length", e.g. ``(None, 2)`` for "n rows of 2 numbers". Complex, boolean,
    text and object values are refused (see the module's policy), so are NaN and infinity (``finite=False``
    lets them through, for drawing) and, with ``nonempty=True``, an empty array. ``max_abs`` refuses numbers
    larger than that in size, for a helper whose arithmetic on them would overflow float64.

    Examples
    --------
    >>> as_float_array([1, 2], "x", shape=(2,))
    array([1., 2.])
    """
    if value is None or isinstance(value, (str, bytes, dict, set)):
        fix = _string_hint(value) if isinstance(value, str) else ""
        raise TypeError(f"{name} must be numbers (a number, list or NumPy array); got {describe(value)}.{fix}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be numbers with equal-length rows (a list of lists or a NumPy array); got "
                        f"{describe(value)}: its rows have different lengths or it holds non-numbers.") from None
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} must be real numbers; got complex numbers ({describe(array)}). If the imaginary "
                        "parts are 0, pass np.real(...).")
    if kind == "b":
        raise TypeError(f"{name} must be numbers; got True/False values ({describe(array)}). If you mean 1 and 0, "
                        "pass them with .astype(float).")
    if kind in "US":
        item = str(array.flat[0]) if array.size else ""
        raise TypeError(f"{name} must be numbers; got text ({describe(array)}, e.g. {item!r}). Convert it first, "
                        "e.g. np.array(values, dtype=float), or write the numbers without quotes.")
    if kind == "O":
        bad = _first_bad_element(array)
        what = "None (a missing value)" if bad is None else describe(bad)
        raise TypeError(f"{name} must be numbers of one type with equal-length rows; got {what} inside. Fill in "
                        "or remove the missing or non-numeric entries first.")
    if kind not in "iuf":
        raise TypeError(f"{name} must be numbers; got {describe(array)}.")
    array = np.asarray(array, dtype=float)
    if shape is not None:
        ok = array.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, array.shape))
        if not ok:
            wanted = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
            extra = f" {hint}" if hint else ""
            if array.ndim == 2 and len(shape) == 2 and array.shape[::-1] == tuple(
                    s if s is not None else array.shape[1 - i] for i, s in enumerate(shape)) and not extra:
                extra = " Is it transposed? Try .T."
            raise ValueError(f"{name} must have shape {wanted}; got {array.shape}.{extra}")
    if nonempty and array.size == 0:
        raise ValueError(f"{name} is empty; pass at least one value.")
    if finite and not np.isfinite(array).all():
        bad = ~np.isfinite(array)
        where = np.argwhere(bad)[0] if array.ndim else ()
        at = f", the first at index {tuple(int(i) for i in where)}" if array.ndim else ""
        raise ValueError(f"{name} contains NaN or infinity ({int(bad.sum())} of {array.size} values{at}); this is "
                         "bad data: pass finite numbers only (remove or fill in those entries).")
    if max_abs is not None and array.size and not np.max(np.abs(array)) <= max_abs:
        raise ValueError(f"{name} must hold numbers of size at most {max_abs:g}; got values up to "
                         f"{np.max(np.abs(array)):.3g}, too large to compute with in float64. Scale them down first.")
    return array


def as_scalar(value, name: str, *, minimum=None, maximum=None, min_open: bool = False, max_open: bool = False,
              example: str = "0.5", hint: str = "") -> float:
    """Return ``value`` as a finite float inside the given range, or raise one clear error.

    ``minimum``/``maximum`` bound it (``min_open=True`` makes the lower bound strict: ``minimum < value``).

    >>> as_scalar(0.1, "lr", minimum=0, min_open=True)
    0.1
    """
    if isinstance(value, (bool, np.bool_)) or value is None or isinstance(value, (str, bytes, complex, np.complexfloating)) \
            or isinstance(value, np.ndarray) and value.ndim != 0 or not isinstance(value, (numbers.Real, np.ndarray)):
        fix = _string_hint(value) if isinstance(value, str) else ""
        raise TypeError(f"{name} must be a single number such as {example}; got {describe(value)}.{fix}")
    if isinstance(value, np.ndarray) and value.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a single number such as {example}; got {describe(value)}.")
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{name} must be a single number such as {example}; got {describe(value)}.") from None
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number such as {example}; got {number}.")
    low_bad = minimum is not None and (number <= minimum if min_open else number < minimum)
    high_bad = maximum is not None and (number >= maximum if max_open else number > maximum)
    if low_bad or high_bad:
        if minimum is not None and maximum is not None:
            rule = f"in {'(' if min_open else '['}{minimum:g}, {maximum:g}{')' if max_open else ']'}"
        elif minimum == 0 and min_open:
            rule = "positive"
        elif minimum is not None:
            rule = f"{'>' if min_open else '>='} {minimum:g}"
        else:
            rule = f"{'<' if max_open else '<='} {maximum:g}"
        extra = f" {hint}" if hint else ""
        what = f"a {rule} number" if rule == "positive" else f"a number {rule}"
        raise ValueError(f"{name} must be {what} such as {example}; got {number:g}.{extra}")
    return number


def as_int(value, name: str, *, minimum=None, maximum=None, example: str | None = None, hint: str = "") -> int:
    """Return ``value`` as an ``int`` (a whole number, not a float or a string) inside the range, or raise.

    >>> as_int(3, "steps", minimum=0)
    3
    """
    example = example or str(max(minimum or 0, 1) if maximum is None else minimum if minimum is not None else 1)
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        fix = _string_hint(value) if isinstance(value, str) else ""
        if isinstance(value, (float, np.floating)) and np.isfinite(value) and float(value).is_integer():
            fix = f" Write it without a decimal point: {int(value)}."
        elif isinstance(value, (float, np.floating)):
            fix = " Round it first, e.g. int(round(x))." if np.isfinite(value) else ""
        raise TypeError(f"{name} must be a whole number such as {example}; got {describe(value)}.{fix}")
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        if minimum is not None and maximum is not None:
            rule = f"from {minimum:,} to {maximum:,}"
        elif minimum is not None:
            rule = f">= {minimum:,}"
        else:
            rule = f"<= {maximum:,}"
        extra = f" {hint}" if hint else ""
        raise ValueError(f"{name} must be a whole number {rule} such as {example}; got {number}.{extra}")
    return number


def as_optional_int(value, name: str, **kwargs):
    """``None`` or :func:`as_int`."""
    return None if value is None else as_int(value, name, **kwargs)


def as_seed(value, name: str = "seed", *, allow_none: bool = True, allow_generator: bool = True):
    """A seed for ``np.random.default_rng``: a whole number >= 0 (or ``None``, or a ``Generator`` if allowed).

    >>> as_seed(0)
    0
    """
    if value is None and allow_none:
        return None
    if allow_generator and isinstance(value, np.random.Generator):
        return value
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)) or value < 0:
        fix = _string_hint(value) if isinstance(value, str) else ""
        if isinstance(value, (numbers.Integral, np.integer)) and not isinstance(value, (bool, np.bool_)):
            fix = " Seeds cannot be negative: use 0, 1, 2, ..."
        raise (ValueError if fix.startswith(" Seeds") else TypeError)(
            f"{name} must be a whole number >= 0 such as 0 (the same seed gives the same numbers); got "
            f"{describe(value)}.{fix}")
    return int(value)


def _key(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def as_choice(value, name: str, choices, aliases: dict | None = None, *, normalize=_key) -> str:
    """Return the canonical name for ``value`` among ``choices`` (matched case-insensitively, ``-`` = ``_``).

    An unknown name raises a ``ValueError`` that lists the valid ones and suggests the nearest.

    >>> as_choice("ReLU", "activation", ("relu", "tanh"))
    'relu'
    """
    if isinstance(value, str) and isinstance(choices, (tuple, list, dict, frozenset, set)) and value in choices:
        return value  # already a canonical name: the common case, answered without building the table
    choices = tuple(choices)
    valid = ", ".join(map(repr, choices))
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a name, one of {valid}; got {describe(value)}.")
    key = normalize(value)
    table = {normalize(c): c for c in choices}
    for alias, target in (aliases or {}).items():
        table.setdefault(normalize(alias), target)
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
    guess = f" Did you mean {table[close[0]]!r}?" if close else ""
    raise ValueError(f"unknown {name} {value!r}; choose one of {valid}.{guess}")


def as_bool(value, name: str) -> bool:
    """``True`` or ``False`` (also NumPy's), nothing else: ``"no"`` or ``0`` would be too easy to misread."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(value)}.")
    return bool(value)


def as_labels(value, name: str, n: int | None = None, *, n_classes: int | None = None,
              max_classes: int = MAX_CLASSES) -> np.ndarray:
    """Class labels 0, 1, ..., k-1 as a flat ``int`` array (a column ``(n, 1)`` is flattened).

    Refuses text labels (``"cat"``), fractions, negative numbers, NaN, and labels that would imply more than
    ``max_classes`` (or ``n_classes``) classes.

    >>> as_labels([0, 1, 1], "y").tolist()
    [0, 1, 1]
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be class numbers 0, 1, ... (a list or array); got {describe(value)}.")
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a flat list of class numbers 0, 1, ...; got {describe(value)}.") from None
    if raw.dtype.kind in "US" or raw.dtype.kind == "O" and any(isinstance(v, str) for v in raw.flat):
        example = next((v for v in raw.flat if isinstance(v, str)), "") if raw.dtype.kind == "O" else raw.flat[0] if raw.size else ""
        raise TypeError(f"{name} must be class numbers 0, 1, ...; got text labels such as {str(example)!r}. Turn "
                        f"names into numbers first, e.g. names, {name} = np.unique({name}, return_inverse=True).")
    if raw.dtype.kind == "b":
        raw = raw.astype(int)  # True/False labels are the classes 1 and 0
    labels = as_float_array(raw, name)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels.ravel()
    if labels.ndim != 1:
        raise ValueError(f"{name} must be a flat list of class numbers, shape (n,); got shape {labels.shape}. "
                         "Use .ravel() for a column of labels.")
    if n is not None and labels.size != n:
        raise ValueError(f"{name} must hold one class label per row of X ({n}); got {labels.size}.")
    if labels.size and np.any(labels != np.round(labels)):
        raise ValueError(f"{name} must be whole-number class labels 0, 1, ...; got "
                         f"{labels[labels != np.round(labels)][0]:g}. For probabilities or scores, pick the class "
                         "first, e.g. (p > 0.5).astype(int); for whole floats use y.astype(int).")
    if labels.size and labels.min() < 0:
        raise ValueError(f"{name} must hold class numbers 0, 1, ...; got {labels.min():g}. For -1/+1 labels pass "
                         f"({name} > 0).astype(int).")
    limit = max_classes if n_classes is None else n_classes
    if labels.size and labels.max() >= limit:
        if n_classes is not None:
            rule = f"0 .. {n_classes - 1} (class numbers for {n_classes} classes)"
        else:
            rule = f"class numbers 0 .. k-1 with at most {max_classes} classes"
        raise ValueError(f"{name} must be {rule}; got the label {labels.max():g}. Renumber the classes 0, 1, 2, ...")
    return labels.astype(int)


def as_callable(value, name: str, example: str = "lambda p: float(p @ p)"):
    """``value`` if it can be called, else one clear error."""
    if not callable(value):
        raise TypeError(f"{name} must be a function such as {example}; got {describe(value)}.")
    return value


def as_int_list(value, name: str, *, minimum: int = 1, example: str = "[8, 8, 1]", nonempty: bool = True) -> list:
    """A list of whole numbers (layer sizes, say), each >= ``minimum``."""
    if isinstance(value, (str, bytes, dict, set)) or value is None or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list of whole numbers such as {example}; got {describe(value)}.")
    items = list(value)
    if nonempty and not items:
        raise ValueError(f"{name} must not be empty; give e.g. {example}.")
    out = []
    for item in items:
        if isinstance(item, (bool, np.bool_)) or not isinstance(item, (numbers.Integral, np.integer)) or item < minimum:
            raise ValueError(f"every entry of {name} must be a whole number >= {minimum}, e.g. {example}; got "
                             f"{describe(item)} in {items!r:.60}.")
        out.append(int(item))
    return out


def finite_result(value, what: str, fix: str = "use smaller numbers"):
    """Return ``value`` if every number in it is finite; else raise a ``ValueError`` saying ``what`` overflowed.

    Helpers compute under ``np.errstate(all="ignore")`` and hand their result here, so an extreme input gives one
    sentence instead of a RuntimeWarning and a silent inf or NaN.
    """
    if not (math.isfinite(value) if isinstance(value, (float, np.floating)) else np.isfinite(value).all()):
        raise ValueError(f"{what} is too large for float64 (it overflowed to infinity); {fix}.")
    return value


def as_axes(value, name: str = "ax"):
    """A matplotlib Axes (anything that can ``plot`` and belongs to a figure), or one clear error."""
    if not (hasattr(value, "plot") and hasattr(value, "figure") and hasattr(value, "set_xlim")):
        raise TypeError(f"{name} must be a matplotlib Axes to draw on, e.g. fig, ax = new_figure(); got "
                        f"{describe(value)}.")
    return value


def _optional(check):
    rule = lambda value, name: None if value is None else check(value, name)  # noqa: E731
    rule.inner = check  # the rule itself, for a function where this argument is required
    return rule


def _text(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text such as 'loss'; got {describe(value)}.")
    return value


def _limits(value, name, example="(-2, 2)"):
    if value is None:
        raise TypeError(f"{name} must be a pair (low, high) such as {example}; got None.")
    lo_hi = as_float_array(value, name, shape=(2,), hint=f"Give (low, high), e.g. {example}.", max_abs=1e100)
    if not lo_hi[0] < lo_hi[1] or lo_hi[1] - lo_hi[0] > 1e100:
        raise ValueError(f"{name} must be (low, high) with low < high and at most 1e100 apart, e.g. {example}; got "
                         f"{tuple(lo_hi.tolist())}.")
    return value


def as_interval(low, high, names=("vmin", "vmax"), example=(0.0, 1.0)) -> tuple:
    """Two numbers ``low < high`` (finite, at most 1e100 apart) given as two arguments, such as a colour range
    ``vmin, vmax``; one clear error naming both otherwise.

    >>> as_interval(0, 1)
    (0.0, 1.0)
    """
    lo_name, hi_name = names
    low = as_scalar(low, lo_name, example=f"{example[0]:g}")
    high = as_scalar(high, hi_name, example=f"{example[1]:g}")
    if not low < high or high - low > 1e100:
        raise ValueError(f"{lo_name} must be below {hi_name} (and at most 1e100 apart), e.g. {lo_name}={example[0]:g}, "
                         f"{hi_name}={example[1]:g}; got {lo_name}={low:g}, {hi_name}={high:g}.")
    return low, high


def _figsize(value, name):
    size = as_float_array(value, name, shape=(2,), hint="Give (width, height) in inches, e.g. (6, 4).")
    if np.any(size <= 0) or np.any(size > 100):
        raise ValueError(f"{name} must be (width, height) in inches, each in (0, 100], e.g. (6, 4); got "
                         f"{tuple(size.tolist())}.")
    return value


def _features(value, name):
    from nbhelpers.training import FEATURES, _feature_columns
    if not isinstance(value, str) and hasattr(value, "__iter__"):  # a list of columns, as make_features takes
        _feature_columns(value)
        return value
    return as_choice(value, name, tuple(FEATURES), normalize=lambda t: t.strip().lower())


def _colour(value, name):
    from matplotlib.colors import is_color_like
    if isinstance(value, (bool, np.bool_)) or not is_color_like(value):
        raise ValueError(f"{name} must be a colour matplotlib knows, such as 'C0', 'tab:blue' or '#0072b2'; got "
                         f"{describe(value)}.")
    return value


def _colours(value, name):
    for item in _iterable(value, name, "['C0', 'C1']"):
        _colour(item, f"each of {name}")
    return value


def _marker(value, name):
    from matplotlib.markers import MarkerStyle
    if not isinstance(value, str) or value not in MarkerStyle.markers:
        raise ValueError(f"{name} must be a matplotlib marker such as 'o', 's' or '^'; got {describe(value)}.")
    return value


def _legend_loc(value, name):
    from matplotlib.legend import Legend
    return as_choice(value, name, tuple(Legend.codes), normalize=lambda t: t.strip().lower())


def _pair_of_sizes(value, name):
    pair = as_float_array(value, name, shape=(2,), hint="Give (rows, columns), e.g. (6, 5).")
    if np.any(pair < 1) or np.any(pair != np.round(pair)) or np.any(pair > 10_000):
        raise ValueError(f"{name} must be (rows, columns), two whole numbers of at least 1, e.g. (6, 5); got "
                         f"{tuple(pair.tolist())}.")
    return value


def _step(value, name):
    if not all(hasattr(value, a) for a in ("phase", "values", "node_grads", "grads", "active")):
        raise TypeError(f"{name} must be one step of backprop_steps(x, y), e.g. backprop_steps([-2, -1], 1)[3]; got "
                        f"{describe(value)}.")
    return value


def _x_numbers(value, name):
    return as_float_array(value, name, shape=(None,), nonempty=True)


_BOOL = as_bool
#: What an argument of a drawing function must be, by its name (every plotting function checks its arguments
#: with :func:`check_drawing_args` on entry).
DRAWING_RULES = {
    "ax": as_axes, "ax_loss": as_axes, "ax_acc": _optional(as_axes),
    "resolution": lambda v, n: as_int(v, n, minimum=2, maximum=2000, example="100"),
    "ncols": lambda v, n: as_int(v, n, minimum=1, maximum=50, example="3"),
    "nrows": lambda v, n: as_int(v, n, minimum=1, maximum=50, example="1"),
    "every": lambda v, n: as_int(v, n, minimum=1, maximum=10**6, example="10"),
    "epochs": lambda v, n: as_int(v, n, minimum=0, maximum=10**5, example="100"),
    "steps": lambda v, n: as_int(v, n, minimum=0, maximum=10**5, example="20"),
    "levels": lambda v, n: as_int(v, n, minimum=1, maximum=200, example="14"),
    "max_neurons": lambda v, n: as_int(v, n, minimum=1, maximum=256, example="8"),
    "layer": lambda v, n: as_int(v, n, minimum=0, maximum=100, example="0"),
    "dpi": lambda v, n: as_int(v, n, minimum=10, maximum=600, example="100"),
    "n_runs": lambda v, n: as_int(v, n, minimum=1, example="100"),
    "size": lambda v, n: as_scalar(v, n, minimum=0, maximum=1000, min_open=True, example="20"),
    "margin": lambda v, n: as_scalar(v, n, minimum=0, maximum=1e6, example="0.25"),
    "max_zoom_out": lambda v, n: as_scalar(v, n, minimum=1, maximum=1e6, example="3.0"),
    "vmin": lambda v, n: as_scalar(v, n, example="0.0"), "vmax": lambda v, n: as_scalar(v, n, example="1.0"),
    "leaky_alpha": lambda v, n: as_scalar(v, n, minimum=0, maximum=1, example="0.1"),
    "title": _optional(_text), "xlabel": _text, "ylabel": _optional(_text), "label": lambda v, n: v,
    "xlim": _limits, "ylim": _limits, "figsize": _optional(_figsize),  # xlim=None: pass optional=("xlim", ...)
    "legend": _BOOL, "arrow": _BOOL, "hollow": _BOOL, "derivative": _BOOL, "colorbar": _BOOL, "contours": _BOOL,
    "show_grad": _BOOL, "highlight": _BOOL, "show_minima": _BOOL, "log_loss": _BOOL,
    "features": _features,
    "path": lambda v, n: _instance(v, n, "nbhelpers.descent", "DescentPath", "descend(...)"),
    "paths": lambda v, n: _list_of(v, n, "nbhelpers.descent", "DescentPath", "[descend(...), ...]"),
    "trainer": lambda v, n: _instance(v, n, "nbhelpers.training", "Trainer", "Trainer(model, X, y)"),
    "history": lambda v, n: _instance(v, n, "nbhelpers.training", "History", "fit(...)"),
    "model": lambda v, n: _duck(v, n, ("predict_scores", "layer_sizes"), "MLP(2, [8, 1])"),
    "predict": lambda v, n: as_callable(v, n, "lambda points: model.predict_scores(points)"),
    "confidence": lambda v, n: as_callable(v, n, "confidence_function(model)"),
    "animation": lambda v, n: _duck(v, n, ("to_jshtml",), "animate_training(trainer, 20)"),
    "curves": lambda v, n: _mapping(v, n, "{'train': losses}"),
    "lines": lambda v, n: _mapping(v, n, "{'fit': (2.0, -1.0)}"),
    "datasets": lambda v, n: _mapping(v, n, "{'moons': make_moons()}"),
    "products": lambda v, n: _mapping(v, n, "{'sigmoid': products}"),
    "reports": lambda v, n: _mapping(v, n, "{'net': gradient_check(...)}"),
    "labels": _optional(lambda v, n: _names(v, n)), "class_names": _optional(lambda v, n: _names(v, n)),
    "names": lambda v, n: _names(v, n), "titles": _optional(lambda v, n: _names(v, n)),
    "row_names": lambda v, n: _names(v, n),
    "b": lambda v, n: as_scalar(v, n, minimum=-1e100, maximum=1e100, example="0.5"),
    "w": lambda v, n: as_float_array(v, n, shape=(2,), hint="A neuron on the plane has two weights.", max_abs=1e100),
    "values": lambda v, n: as_float_array(v, n, nonempty=True),
    "matrix": lambda v, n: as_float_array(v, n, shape=(None, None), nonempty=True),
    "z": _optional(lambda v, n: as_float_array(v, n, nonempty=True)),
    "z_alive": lambda v, n: as_float_array(v, n, nonempty=True),
    "z_dead": lambda v, n: as_float_array(v, n, nonempty=True),
    "lrs": lambda v, n: [as_scalar(x, f"each of {n}", minimum=0, min_open=True, example="0.1")
                         for x in _iterable(v, n, "(0.02, 0.3, 1.1)")],
    "fractions": lambda v, n: _fractions(v, n),
    "depths": lambda v, n: as_float_array(v, n, shape=(None,), nonempty=True),
    "color": _optional(_colour), "colors": _optional(_colours), "marker": _marker, "legend_loc": _legend_loc,
    "log": _optional(_BOOL),
    "smooth": _optional(lambda v, n: as_scalar(v, n, minimum=0, min_open=True, example="200")),
    "floor": _optional(lambda v, n: as_scalar(v, n, minimum=0, maximum=1e100, example="0.1")),
    "above": _optional(lambda v, n: as_scalar(v, n, minimum=-1e100, maximum=1e100, example="0.1")),
    "n_classes": _optional(lambda v, n: as_int(v, n, minimum=1, maximum=MAX_CLASSES, example="3")),
    "X_train": lambda v, n: as_float_array(v, n, shape=(None, 2), nonempty=True, hint="Each point is a row (x1, x2)."),
    "X_test": _optional(lambda v, n: as_float_array(v, n, shape=(None, 2), hint="Each point is a row (x1, x2).")),
    "y_train": lambda v, n: as_labels(v, n), "y_test": _optional(lambda v, n: as_labels(v, n)),
    "marked": _optional(lambda v, n: [as_int_list(item, f"each list in {n}", minimum=0, example="[0, 5, 12]",
                                                  nonempty=False) for item in _iterable(v, n, "[[0, 5], [3]]")]),
    "nbins": lambda v, n: as_int(v, n, minimum=1, maximum=100, example="5"),
    "length": _optional(lambda v, n: as_scalar(v, n, minimum=0, maximum=1e100, min_open=True, example="0.5")),
    "interval": lambda v, n: as_int(v, n, minimum=1, maximum=100_000, example="400"),
    "quality": lambda v, n: as_int(v, n, minimum=1, maximum=100, example="75"),
    "shape": _pair_of_sizes, "step": _step,
    "weights": _optional(lambda v, n: _mapping(v, n, "weights_by_name(W1, b1, W2, b2)")),
    "fig_or_axes": lambda v, n: v if hasattr(v, "add_subplot") else as_axes_list(v, n, "new_figure(2, 4)[1]"),
    "axes": lambda v, n: as_axes_list(v, n),
    "images": lambda v, n: as_float_array(v, n, nonempty=True),
    "objective": _optional(lambda v, n: _instance(v, n, "nbhelpers.training", "Objective", "Objective('mse', 1)")),
    "boundary": lambda v, n: v if v is None or isinstance(v, (bool, np.bool_)) else as_scalar(v, n, example="0.5"),
}


def _fractions(value, name):
    values = as_float_array(value, name, shape=(None,), nonempty=True)
    if values.min() < 0 or values.max() > 1:
        raise ValueError(f"{name} must be fractions from 0 to 1, e.g. [0.5, 0.9]; got values from {values.min():g} "
                         f"to {values.max():g}.")
    return values


def as_axes_list(value, name: str = "axes", example: str = "new_figure(1, 3)[1]") -> list:
    """One Axes, or a list or grid of them (as ``new_figure(2, 3)[1]``), as a flat list; one clear error otherwise."""
    if hasattr(value, "plot"):
        return [as_axes(value, name)]
    items = _iterable(value, name, example)
    try:
        items = list(np.asarray(items, dtype=object).ravel())  # a grid (rows of Axes) becomes one list
    except ValueError:
        pass
    return [as_axes(a, f"each of {name}") for a in items]


def _iterable(value, name, example):
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name} must be a list such as {example}; got {describe(value)}.")
    items = list(value)
    if not items:
        raise ValueError(f"{name} must not be empty; give e.g. {example}.")
    return items


def _instance(value, name, module, cls, example):
    import importlib
    kind = getattr(importlib.import_module(module), cls)
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {cls} (from {example}); got {describe(value)}.")
    return value


def _list_of(value, name, module, cls, example):
    import importlib
    kind = getattr(importlib.import_module(module), cls)
    items = [value] if isinstance(value, kind) else _iterable(value, name, example)
    for item in items:
        if not isinstance(item, kind):
            raise TypeError(f"{name} must be {cls} objects (from {example}); got {describe(item)} among them.")
    return value


def _duck(value, name, attributes, example):
    if not all(hasattr(value, a) for a in attributes):
        raise TypeError(f"{name} must be what {example} returns; got {describe(value)}.")
    return value


def _mapping(value, name, example):
    if not isinstance(value, dict) or not value:
        raise TypeError(f"{name} must be a dict with at least one entry, such as {example}; got {describe(value)}.")
    return value


def _names(value, name):
    items = _iterable(value, name, "['a', 'b']")
    for item in items:
        if not isinstance(item, (str, int, np.integer)) or isinstance(item, (bool, np.bool_)):
            raise TypeError(f"{name} must be a list of names (text); got {describe(item)} among them.")
    return value


def check_drawing_args(arguments: dict, optional=(), required=()) -> None:
    """Check a drawing function's arguments by name (see :data:`DRAWING_RULES`); call as ``check_drawing_args(locals())``
    on the first line of the function, so a bad ``ax``, ``resolution`` or ``title`` gets one clear sentence.

    ``optional`` names arguments that may be ``None`` there although their rule refuses it (``xlim=None``: the
    data's own limits); ``required`` names arguments whose rule allows ``None`` but that function needs them."""
    for name, value in arguments.items():
        rule = DRAWING_RULES.get(name)
        if rule is not None and name in required:
            rule = getattr(rule, "inner", rule)
        if rule is not None and not (value is None and name in optional):
            rule(value, name)
    for points, labels in (("X_train", "y_train"), ("X_test", "y_test")):  # one label per point
        if arguments.get(points) is not None and arguments.get(labels) is not None:
            as_labels(arguments[labels], labels, len(arguments[points]))
