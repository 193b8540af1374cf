"""Chapter 6: losses, input features and the training loop, on the array engine.

Losses take the model's *scores* (a Tensor, shape (n, 1) or (n,) for two classes, (n, k) for k classes) and
the labels, and return a one-number Tensor you can call ``backward()`` on. Each is one node of the graph: the
forward value and its gradient side by side (the chapter builds the same losses from small Tensor operations
and checks that they agree).

===============  ==============================  ==========================================================
loss             labels                          use it for
===============  ==============================  ==========================================================
``mse_loss``     targets (numbers)               regression; classification works but is a poor fit
``hinge_loss``   -1 / +1                         max-margin classification (SVM-style): only near misses count
``bce_loss``     0 / 1                           two classes, with probabilities (sigmoid of the score)
``cross_entropy_loss``  0 .. k-1                 k classes (softmax of the k scores)
===============  ==============================  ==========================================================

The training loop of the chapter, written once for reuse: :class:`Trainer` (train some epochs, or one step,
record a :class:`History`, stop on divergence, at a target accuracy, or early when the test loss stops
improving) and :func:`fit` (build one and train).
"""

from __future__ import annotations

import math

import numpy as np

from nbhelpers._validate import (as_bool, as_choice, as_float_array, as_int, as_labels, as_optional_int, as_scalar,
                                 as_seed, describe, finite_result)
from nbhelpers.divergence import DivergenceError, DivergenceWatch, trivial_baseline
from nbhelpers.optim import make_optimizer
from nbhelpers.tensor import Tensor, _node

__all__ = [
    "mse_loss", "hinge_loss", "bce_loss", "cross_entropy_loss", "l2_penalty", "l1_penalty", "LOSSES",
    "canonical_loss", "Objective",
    "FEATURES", "FEATURE_COLUMNS", "make_features", "feature_names", "accuracy", "History", "Trainer", "fit",
]


# ----------------------------------------------------------------------------------------------- checks

def _as_scores(scores, what: str) -> Tensor:
    if not isinstance(scores, Tensor):
        raise TypeError(f"{what} takes the model's scores as a Tensor (what model(X) returns); got "
                        f"{describe(scores)}. Wrap an array with Tensor(array) if you mean a constant.")
    if scores.data.dtype.kind not in "fiu":
        raise TypeError(f"{what} takes scores that are real numbers; got a Tensor of dtype {scores.data.dtype}.")
    if not np.isfinite(scores.data).all():
        raise ValueError(f"{what}: the scores contain NaN or infinity (did training diverge?); pass finite scores.")
    if scores.size == 0:
        raise ValueError(f"{what}: the scores are empty; pass at least one sample.")
    return scores


def _binary_targets(scores: Tensor, y, what: str, name: str = "y (the labels)") -> np.ndarray:
    """Labels (the argument ``name``) as a float array shaped like the (n,) or (n, 1) scores."""
    t = as_float_array(y, f"{what}: {name}")
    n = scores.shape[0] if scores.ndim else 0
    if scores.ndim not in (1, 2) or (scores.ndim == 2 and scores.shape[1] != 1):
        raise ValueError(f"{what} needs one score per sample, shape (n,) or (n, 1); got {scores.shape}. "
                         "For several classes use cross_entropy_loss.")
    if t.size != n:
        raise ValueError(f"{what}: {n} scores but {t.size} labels; give one label per sample (got y of shape "
                         f"{t.shape}).")
    return t.reshape(scores.shape)


def _label_array(scores, y):
    """The training loop's case, found cheaply: ``y`` an array of numbers, one per float score of a (n,) or (n, 1)
    Tensor, returned shaped like the scores; None for anything else (the loss's full checks then read it). The
    caller still checks the labels' values on every call, so new labels are checked too; the scores need no check
    of their own, as the loss is finite exactly when they are (else the full checks speak)."""
    x = scores.data if isinstance(scores, Tensor) else None
    if x is not None and type(y) is np.ndarray and y.dtype.kind in "fiu" and x.dtype.char == "d" \
            and x.ndim in (1, 2) and y.size == x.shape[0] == x.size > 0:
        return y.reshape(x.shape)
    return None


def _mean_node(value: float, parent: Tensor, grad: np.ndarray, op: str) -> Tensor:
    """A one-number Tensor whose gradient with respect to ``parent`` is ``grad`` (times the incoming one)."""
    return _node(np.array(float(value)), (parent,), lambda g: (g * grad,), op)


# ----------------------------------------------------------------------------------------------- loss values
# Each loss's value from an array of scores ``x`` and targets ``t`` of the same shape, checked by the caller: shared
# by the loss functions below (which add the gradient) and by the Trainer's records (which need no gradient).

def _mse_value(x: np.ndarray, t: np.ndarray) -> tuple:
    """(mean squared error, the differences x - t)."""
    with np.errstate(all="ignore"):
        diff = x - t
        return np.mean(diff * diff), diff


def _hinge_value(x: np.ndarray, t: np.ndarray) -> tuple:
    """(mean hinge loss, each point's max(0, 1 - t x)) for targets -1 / +1."""
    margin = 1.0 - t * x  # (never warns, even for inf or NaN scores: their loss is not finite, as callers check)
    np.maximum(margin, 0.0, out=margin)
    with np.errstate(over="ignore"):  # (the sum of scores near 1e308 overflows: also not finite)
        return float(margin.sum()) / margin.size, margin


def _bce_value(x: np.ndarray, t: np.ndarray) -> tuple:
    """(mean binary cross-entropy, e^-|x|) for labels 0 / 1, computed stably: max(x, 0) - x t + log(1 + e^-|x|)."""
    e = np.exp(-np.abs(x))  # (at most 1: never overflows)
    with np.errstate(over="ignore", invalid="ignore"):  # (inf or NaN scores give a loss that is not finite)
        terms = np.maximum(x, 0) - x * t + np.log1p(e)
        return terms.sum() / terms.size, e  # the mean (np.mean's own sum and division, less overhead)


def _log_softmax_rows(x: np.ndarray) -> np.ndarray:
    """log softmax of each row of ``x``, shifted by the row's largest score so that nothing overflows."""
    with np.errstate(over="ignore"):  # a spread beyond 1.8e308 gives -inf here, whose exp is exactly 0
        shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


# ----------------------------------------------------------------------------------------------- losses

def mse_loss(scores: Tensor, targets) -> Tensor:
    """Mean squared error: mean((score - target)^2).

    >>> mse_loss(Tensor([[1.0], [3.0]]), [0.0, 1.0]).item()   # (1 + 4) / 2
    2.5
    """
    s = _as_scores(scores, "mse_loss")
    t = _binary_targets(s, targets, "mse_loss", "targets") if s.ndim <= 2 and (s.ndim < 2 or s.shape[1] == 1) else \
        as_float_array(targets, "mse_loss: targets")
    if t.shape != s.shape:
        raise ValueError(f"mse_loss: targets of shape {t.shape} do not match scores of shape {s.shape}.")
    value, diff = _mse_value(s.data, t)
    finite_result(value, "mse_loss: the squared error", "use smaller scores or targets")
    return _mean_node(value, s, 2.0 * diff / diff.size, "mse")


def hinge_loss(scores: Tensor, y) -> Tensor:
    """Hinge (max-margin) loss for labels -1 / +1: mean(max(0, 1 - y * score)).

    Points on the right side with a margin of at least 1 cost nothing; the rest cost how far they fall short.

    >>> hinge_loss(Tensor([2.0, 0.5, -1.0]), [1, 1, 1]).item()   # (0 + 0.5 + 2) / 3
    0.8333333333333334
    """
    t = _label_array(scores, y)
    if t is not None and (np.abs(t) == 1).all():  # the training loop's case: labels -1 / +1 (see _label_array)
        value, margin = _hinge_value(scores.data, t)
        if math.isfinite(value):
            return _mean_node(value, scores, (margin > 0) * (t * (-1.0 / t.size)), "hinge")
    s = _as_scores(scores, "hinge_loss")
    t = _binary_targets(s, y, "hinge_loss")
    if not (np.abs(t) == 1).all():
        found = ", ".join(f"{v:g}" for v in np.unique(t)[:4])
        raise ValueError(f"hinge_loss needs labels -1 and +1; got {found}. For labels 0/1 pass 2 * y - 1.")
    value, margin = _hinge_value(s.data, t)
    finite_result(value, "hinge_loss: the mean margin", "use smaller scores")
    return _mean_node(value, s, (margin > 0) * (t * (-1.0 / t.size)), "hinge")


def bce_loss(scores: Tensor, y) -> Tensor:
    """Binary cross-entropy on scores (logits) for labels 0 / 1: mean(-log p(correct)), p = sigmoid(score).

    Computed stably as mean(max(s, 0) - s * y + log(1 + e^-|s|)), so huge scores give no overflow or log(0).

    >>> round(bce_loss(Tensor([0.0]), [1]).item(), 4)   # p = 0.5: -log 0.5
    0.6931
    """
    t = _label_array(scores, y)
    if t is not None and ((t == 0) | (t == 1)).all():  # the training loop's case: labels 0 / 1 (see _label_array)
        value, e = _bce_value(scores.data, t)
        if math.isfinite(value):
            return _bce_node(value, scores, scores.data, t, e)
    s = _as_scores(scores, "bce_loss")
    t = _binary_targets(s, y, "bce_loss")
    if not np.all((t == 0) | (t == 1)):
        found = ", ".join(f"{v:g}" for v in np.unique(t)[:4])
        raise ValueError(f"bce_loss needs labels 0 and 1; got {found}. For labels -1/+1 pass (y + 1) / 2.")
    x = s.data
    value, e = _bce_value(x, t)
    finite_result(value, "bce_loss: the loss", "use smaller scores")
    return _bce_node(value, s, x, t, e)


def _bce_node(value, scores: Tensor, x: np.ndarray, t: np.ndarray, e: np.ndarray) -> Tensor:
    """bce_loss's node: its gradient with respect to each score is (sigmoid(score) - label) / n."""
    d = 1 + e
    prob = np.where(x >= 0, 1 / d, e / d)  # sigmoid, without overflow
    return _mean_node(value, scores, (prob - t) / t.size, "bce")


def cross_entropy_loss(scores: Tensor, y) -> Tensor:
    """Softmax cross-entropy for k classes: mean(-log softmax(scores)[label]); labels 0 .. k-1.

    >>> round(cross_entropy_loss(Tensor([[2.0, 1.0, 0.1]]), [0]).item(), 4)   # -log 0.659
    0.417
    """
    s = _as_scores(scores, "cross_entropy_loss")
    if s.ndim != 2 or s.shape[1] < 2:
        raise ValueError(f"cross_entropy_loss needs k >= 2 scores per sample, shape (n, k); got {s.shape}. "
                         "With a single score per sample use bce_loss.")
    n, k = s.shape
    labels = as_labels(y, "cross_entropy_loss: labels", n, n_classes=k)
    log_probs = _log_softmax_rows(s.data)
    if not np.all(np.isfinite(log_probs[np.arange(n), labels])):
        raise ValueError("cross_entropy_loss: the scores are so far apart (more than 1.8e308) that the loss "
                         "overflows float64; use smaller scores.")
    rows = np.arange(n)
    grad = np.exp(log_probs)
    grad[rows, labels] -= 1.0
    return _mean_node(-log_probs[rows, labels].mean(), s, grad / n, "cross_entropy")


def _penalty_params(params, name: str) -> list:
    """The parameters a penalty (``name``) was given, as a non-empty list of Tensors; one sentence otherwise."""
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise TypeError(f"{name} takes a list of Tensors such as model.weights(); got {describe(params)}.")
    params = list(params)
    if not params:
        raise ValueError(f"{name} got no parameters; pass model.weights() or model.parameters().")
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(f"{name} takes Tensors such as model.weights(); got {describe(p)} in the list.")
    return params


def l2_penalty(params, strength: float) -> Tensor:
    """``strength * sum of squares`` of the given parameters (L2 weight decay), as one node.

    >>> w = Tensor([[1.0, 2.0]]); l2_penalty([w], 0.1).item()
    0.5
    """
    if params.__class__ is not list or not params or not all([p.__class__ is Tensor for p in params]):
        params = _penalty_params(params, "l2_penalty")  # (a list of Tensors, what model.parameters() gives, is)
    if type(strength) is not float or not 0.0 <= strength < math.inf:  # a plain float in range passes at once
        strength = as_scalar(strength, "strength (of L2)", minimum=0, example="1e-3")
    datas = [p.data for p in params]
    # vdot: the sum of squares in one call; it never warns (an overflow is inf, caught below), nor does float math
    value = strength * float(sum(map(np.vdot, datas, datas)))
    if not math.isfinite(value):
        finite_result(value, "l2_penalty: the sum of squares", "use smaller weights")

    def grad_fn(g):
        scale = 2.0 * strength * float(g)  # d(strength * w^2)/dw = 2 strength w, times the incoming gradient
        return tuple([scale * d for d in datas])

    return _node(np.array(value), tuple(params), grad_fn, "l2")


def l1_penalty(params, strength: float) -> Tensor:
    """``strength * sum of absolute values`` of the given parameters (L1), as one node. Its gradient,
    ``strength * sign(w)``, pushes every weight towards 0 by the same amount, so small weights reach 0 and stay:
    L1 makes a network use few connections (L2 only shrinks them).

    >>> w = Tensor([[1.0, -2.0]]); l1_penalty([w], 0.1).item()
    0.30000000000000004
    """
    params = _penalty_params(params, "l1_penalty")
    strength = as_scalar(strength, "strength (of L1)", minimum=0, maximum=1e6, example="1e-3")
    datas = [p.data for p in params]
    value = strength * sum(float(np.abs(d).sum()) for d in datas)
    return Tensor(np.float64(value), tuple(params), lambda g: tuple(strength * g * np.sign(d) for d in datas), "l1")


#: Loss names the Trainer and the playground accept. "cross-entropy" picks bce (one score) or softmax (k scores).
LOSSES = ("cross-entropy", "hinge", "mse")


def canonical_loss(loss) -> str:
    """The loss name of :data:`LOSSES` that ``loss`` stands for ("bce", "softmax", "log-loss" ... are
    "cross-entropy"; "squared-error" is "mse"; "max-margin" is "hinge"); one clear error for anything else.
    The Trainer, ``fit`` and the playground all read loss names through it.

    >>> canonical_loss("BCE"), canonical_loss("squared_error")
    ('cross-entropy', 'mse')
    """
    return as_choice(loss, "loss", LOSSES, {"crossentropy": "cross-entropy", "ce": "cross-entropy",
                                            "bce": "cross-entropy", "log-loss": "cross-entropy",
                                            "softmax": "cross-entropy", "binary-cross-entropy": "cross-entropy",
                                            "squared-error": "mse", "max-margin": "hinge"},
                     normalize=lambda text: text.strip().lower().replace("_", "-").replace(" ", "-"))


class Objective:
    """A loss plus how it reads scores: the labels it needs, predicted classes, and confidence in [0, 1].

    Labels handed to an Objective are always class numbers 0 .. k-1; it converts them for the loss (hinge and
    mse use -1 / +1 targets). Every binary objective predicts class 1 where the score is positive.

    >>> obj = Objective("hinge", n_classes=2); obj.loss_name, obj.predict(np.array([[0.3], [-2.0]])).tolist()
    ('hinge', [1, 0])
    """

    def __init__(self, loss: str = "cross-entropy", n_classes: int = 2, *, regression: bool = False):
        self.regression = as_bool(regression, "regression")
        if self.regression:  # one number per point to predict, not a class: only the squared error fits
            if canonical_loss(loss) != "mse":
                raise ValueError(f"a regression (numbers to predict, not classes) is trained with the 'mse' loss; "
                                 f"got {loss!r}.")
            self.name = self.loss_name = "mse"
            self.n_classes, self.n_outputs = 0, 1
            return
        key = canonical_loss(loss)
        n_classes = as_int(n_classes, "n_classes (a classifier's number of classes)", minimum=2, maximum=1000,
                           example="2")
        if n_classes > 2 and key != "cross-entropy":
            raise ValueError(f"the {key} loss here handles two classes; with {n_classes} classes choose "
                             "'cross-entropy' (softmax over one score per class).")
        self.name, self.n_classes = key, int(n_classes)
        self.n_outputs = 1 if n_classes == 2 else n_classes
        self.loss_name = {"cross-entropy": "bce" if n_classes == 2 else "softmax cross-entropy"}.get(key, key)

    def targets(self, y: np.ndarray) -> np.ndarray:
        """Labels 0 .. k-1 converted to what the loss wants (a regression's numbers are used as they are)."""
        if self.regression:
            return as_float_array(y, "y (the regression targets)").ravel()
        y = as_labels(y, "y", n_classes=self.n_classes)
        return 2.0 * y - 1.0 if self.name in ("hinge", "mse") else y

    def loss(self, scores: Tensor, targets) -> Tensor:
        """The loss of ``scores`` against already-converted ``targets`` (see :meth:`targets`)."""
        as_float_array(targets, "targets (the labels as Objective.targets(y) returns them)")
        return self._loss(scores, targets)

    def _loss(self, scores: Tensor, targets) -> Tensor:
        """:meth:`loss` for the Trainer, whose targets were checked once when it was made."""
        if self.name == "hinge":
            return hinge_loss(scores, targets)
        if self.name == "mse":
            return mse_loss(scores, targets)
        return bce_loss(scores, targets) if self.n_classes == 2 else cross_entropy_loss(scores, targets)

    def _scores(self, scores) -> np.ndarray:
        scores = as_float_array(scores.data if isinstance(scores, Tensor) else scores, "scores", nonempty=True)
        k = self.n_outputs
        if scores.ndim != 2 and not (k == 1 and scores.ndim == 1) or scores.ndim == 2 and scores.shape[1] != k:
            raise ValueError(f"scores must have shape (n, {k}) for this {self.n_classes}-class objective; got "
                             f"{scores.shape}.")
        return scores

    def _value(self, scores: np.ndarray, targets: np.ndarray) -> float:
        """The loss of a float array of scores, shaped as :meth:`_scores` wants, against targets checked once
        (the Trainer's records): the number the loss function gives, without building its node and gradient."""
        if self.n_classes > 2:
            value = -_log_softmax_rows(scores)[np.arange(len(scores)), targets].mean()
        else:
            value_of = _hinge_value if self.name == "hinge" else _mse_value if self.name == "mse" else _bce_value
            value = value_of(scores, targets.reshape(scores.shape))[0]
        if math.isfinite(value):
            return float(value)
        return self._loss(Tensor(scores), targets).item()  # not finite: the loss function says so in its sentence

    def predict(self, scores: np.ndarray) -> np.ndarray:
        """Predicted class numbers from a (n, 1) or (n, k) array of scores."""
        return self._classes(self._scores(scores))

    def _classes(self, scores: np.ndarray) -> np.ndarray:
        """:meth:`predict` for scores already shaped and checked."""
        if self.regression:
            return scores.reshape(len(scores), -1)[:, 0]
        if self.n_classes == 2:
            return (scores.reshape(len(scores), -1)[:, 0] > 0).astype(int)
        return np.argmax(scores, axis=1)

    def confidence(self, scores: np.ndarray) -> np.ndarray:
        """For two classes: a number in [0, 1] per sample, above 0.5 for class 1 (the sigmoid for
        cross-entropy, (score + 1) / 2 clipped for hinge and mse). For k classes: softmax probabilities (n, k)."""
        scores = self._scores(scores)
        if self.regression:  # the predicted number itself
            return scores.reshape(len(scores), -1)[:, 0]
        if self.n_classes > 2:
            with np.errstate(over="ignore"):
                e = np.exp(scores - scores.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        s = scores.reshape(len(scores), -1)[:, 0]
        if self.name == "cross-entropy":
            e = np.exp(-np.abs(s))
            return np.where(s >= 0, 1 / (1 + e), e / (1 + e))
        return np.clip((s + 1.0) / 2.0, 0.0, 1.0)

    def __repr__(self):
        if self.regression:
            return "Objective('mse', regression=True)"
        return f"Objective({self.name!r}, n_classes={self.n_classes})"


# ----------------------------------------------------------------------------------------------- features

#: Input features for points (x1, x2) of the plane, by name, with what they hold.
FEATURES = {
    "x1, x2": ["x1", "x2"],
    "squares": ["x1", "x2", "x1²", "x2²", "x1·x2"],
    "sines": ["x1", "x2", "sin(πx1)", "sin(πx2)"],
    "all": ["x1", "x2", "x1²", "x2²", "x1·x2", "sin(πx1)", "sin(πx2)"],
}


#: Every input column :func:`make_features` can build, in order; a list of these names picks columns one by one.
FEATURE_COLUMNS = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin(πx1)", "sin(πx2)")
_COLUMN_ALIASES = {"x1^2": "x1²", "x1**2": "x1²", "x2^2": "x2²", "x2**2": "x2²", "x1*x2": "x1·x2", "x1x2": "x1·x2",
                   "sin x1": "sin(πx1)", "sin(x1)": "sin(πx1)", "sin(pi x1)": "sin(πx1)", "sin(pi*x1)": "sin(πx1)",
                   "sin x2": "sin(πx2)", "sin(x2)": "sin(πx2)", "sin(pi x2)": "sin(πx2)", "sin(pi*x2)": "sin(πx2)"}


def _features_key(kind) -> str:
    return as_choice(kind, "features", tuple(FEATURES), {"plain": "x1, x2", "x1,x2": "x1, x2", "x": "x1, x2",
                                                          "none": "x1, x2", "square": "squares", "sine": "sines",
                                                          "sin": "sines"}, normalize=lambda t: t.strip().lower())


def _feature_columns(kind) -> list:
    """The column names for ``kind``: a name of :data:`FEATURES` or a list of names of :data:`FEATURE_COLUMNS`."""
    if isinstance(kind, str):
        return list(FEATURES[_features_key(kind)])
    try:
        columns = None if isinstance(kind, (bytes, dict)) else list(kind)
    except TypeError:
        columns = None
    if columns is None or not all(isinstance(n, str) for n in columns):
        raise TypeError(f"features must be a name such as 'squares' or a list of columns such as ['x1', 'x1²']; "
                        f"got {describe(kind)}.")
    kind = columns
    names = [_COLUMN_ALIASES.get(n.strip().lower(), n.strip()) for n in kind]
    unknown = [n for n in names if n not in FEATURE_COLUMNS]
    if unknown or not names or len(set(names)) != len(names):
        what = f"the unknown column {unknown[0]!r}" if unknown else ("no column" if not names else "a column twice")
        raise ValueError(f"features must be one or more of the columns {', '.join(FEATURE_COLUMNS)}, each once; "
                         f"got {what} in {list(kind)!r}.")
    return sorted(names, key=FEATURE_COLUMNS.index)


def feature_names(kind="x1, x2") -> list:
    """The names of the columns :func:`make_features` builds, e.g. ['x1', 'x2', 'x1²', 'x2²', 'x1·x2']."""
    return _feature_columns(kind)


def make_features(X, kind="x1, x2") -> np.ndarray:
    """Extra input columns computed from the points (x1, x2): "x1, x2" (none), "squares" (adds x1², x2², x1·x2),
    "sines" (adds sin(πx1), sin(πx2)) or "all"; or a list of the columns wanted, one by one (as the playground's
    input toggles), in the order of :data:`FEATURE_COLUMNS`.

    >>> make_features(np.array([[2.0, 3.0]]), "squares").tolist()
    [[2.0, 3.0, 4.0, 9.0, 6.0]]
    >>> make_features(np.array([[2.0, 3.0]]), ["x1·x2", "x2"]).tolist()
    [[3.0, 6.0]]
    """
    names = _feature_columns(kind)
    X = as_float_array(X, "X (points of the plane)", shape=(None, 2), hint="One row (x1, x2) per point.")
    if names == ["x1", "x2"]:
        return X.copy()
    if np.max(np.abs(X), initial=0.0) > 1e150:
        raise ValueError("make_features: X holds numbers beyond 1e150, whose squares overflow float64; got "
                         f"values up to {np.max(np.abs(X)):.3g}. Scale the points first.")
    x1, x2 = X[:, 0], X[:, 1]
    make = {"x1": lambda: x1, "x2": lambda: x2, "x1²": lambda: x1 * x1, "x2²": lambda: x2 * x2,
            "x1·x2": lambda: x1 * x2, "sin(πx1)": lambda: np.sin(np.pi * x1), "sin(πx2)": lambda: np.sin(np.pi * x2)}
    return np.column_stack([make[n]() for n in names])


# ----------------------------------------------------------------------------------------------- training

def accuracy(predicted, y) -> float:
    """Fraction of predicted labels equal to the true ones, a number in [0, 1].

    >>> accuracy([0, 1, 1, 0], [0, 1, 0, 0])
    0.75
    """
    predicted, y = as_labels(predicted, "predicted"), as_labels(y, "y")
    if predicted.shape != y.shape:
        raise ValueError(f"accuracy: {predicted.size} predictions but {y.size} labels; got predicted of shape "
                         f"{predicted.shape} and y of shape {y.shape}.")
    return float(np.mean(predicted == y)) if y.size else float("nan")


class History:
    """What happened during training, one entry per recorded epoch (lists of equal length).

    ``epoch``, ``train_loss``, ``test_loss``, ``train_acc``, ``test_acc`` (test entries are NaN without test
    data); ``stopped`` says why training ended early (None if it ran all its epochs); ``diverged`` is True when
    it stopped because the loss or the weights became infinite or NaN.
    """

    FIELDS = ("epoch", "train_loss", "test_loss", "train_acc", "test_acc")

    def __init__(self):
        for field in self.FIELDS:
            setattr(self, field, [])
        self.stopped: str | None = None
        self.diverged = False
        self.states: dict = {}

    def record(self, **values) -> None:
        if len(values) == 5 and all(type(values.get(f)) is float and not math.isinf(values[f]) for f in self.FIELDS):
            for field in self.FIELDS:  # the Trainer's own floats (NaN marks "no test data"): nothing to convert
                getattr(self, field).append(values[field])
            return
        missing = [f for f in self.FIELDS if f not in values]
        if missing or set(values) - set(self.FIELDS):
            raise TypeError(f"record takes exactly the fields {', '.join(self.FIELDS)}; got {sorted(values)}.")
        numbers = {f: as_scalar(values[f], f) if not (isinstance(values[f], float) and np.isnan(values[f]))
                   else float("nan") for f in self.FIELDS}  # NaN marks "no test data"
        for field in self.FIELDS:
            getattr(self, field).append(numbers[field])

    def __len__(self):
        return len(self.epoch)

    def last(self, field: str) -> float:
        """The most recent value of ``field`` (e.g. "test_acc")."""
        values = getattr(self, as_choice(field, "field", self.FIELDS))
        return values[-1] if values else float("nan")

    def best(self, field: str = "test_loss"):
        """``(epoch, value)`` where ``field`` was best (lowest for a loss, highest for an accuracy)."""
        field = as_choice(field, "field", self.FIELDS)
        values = np.asarray(getattr(self, field))
        if not len(values) or np.all(np.isnan(values)):
            return None, float("nan")
        i = int(np.nanargmin(values) if "loss" in field else np.nanargmax(values))
        return self.epoch[i], float(values[i])

    def __repr__(self):
        if not self.epoch:
            return "History(empty)"
        text = (f"History({len(self)} records, epoch {self.epoch[-1]:g}: train loss {self.train_loss[-1]:.4f}, "
                f"train accuracy {self.train_acc[-1]:.1%}")
        if not np.isnan(self.test_acc[-1]):
            text += f", test accuracy {self.test_acc[-1]:.1%}"
        return text + (f"; stopped: {self.stopped}" if self.stopped else "") + ")"


def _targets(y, what: str, n: int) -> np.ndarray:
    """A regression's targets: one finite number per row of X."""
    values = as_float_array(y, what).ravel()
    if values.size != n:
        raise ValueError(f"{what} must be one number per row of X ({n}); got shape {np.shape(y)}.")
    return values


class Trainer:
    """The chapter's training loop, kept alive between calls so a widget can train a few epochs at a time.

    Each step: take a mini-batch, forward pass, loss (plus L2), zero the gradients, backward, optimizer step.
    After each epoch the loss and accuracy on the training and test sets are recorded in :attr:`history`.

    Parameters
    ----------
    model : MLP (or anything with ``__call__``, ``parameters()``, ``weights()`` and ``predict_scores``)
    X_train, y_train : arrays; labels are class numbers 0 .. k-1
    X_test, y_test : arrays, optional
    loss : "cross-entropy" (default), "hinge" or "mse"
    optimizer : "sgd", "momentum" or "adam"; lr : learning rate
    l2 : strength of L2 weight decay on the weight matrices (0 = off); l1 : strength of L1 (0 = off)
    batch_size : samples per step (None = the whole training set: full-batch)
    seed : shuffling of the mini-batches
    patience : early stopping: stop when the test loss has not improved for this many epochs, and restore the
        weights of the best epoch (needs test data)
    target_accuracy : stop as soon as the training accuracy reaches this fraction (e.g. 0.95)

    Training that diverges, by the package's one definition (:class:`~nbhelpers.divergence.DivergenceWatch`:
    a loss, weight or gradient that becomes infinite or NaN; a loss more than 10,000 times its starting size
    above its best for 3 checks in a row; a weight a million times its starting size; or, for 5 epochs in a row,
    accuracy at chance with a loss over twice the trivial baseline), stops, rolls the weights back to the last
    good epoch, and says so in ``history.stopped`` (with ``history.diverged = True``), instead of raising.
    NaN or infinity in the data is refused as bad data before any training (a ``ValueError``).
    """

    def __init__(self, model, X_train, y_train, X_test=None, y_test=None, *, loss="cross-entropy",
                 optimizer: str = "adam", lr: float = 0.01, l2: float = 0.0, batch_size=None, seed: int = 0,
                 patience=None, target_accuracy=None, n_classes=None, l1: float = 0.0):
        if not (callable(model) and hasattr(model, "parameters") and hasattr(model, "predict_scores")):
            raise TypeError(f"model must be a network such as MLP(2, [8, 8, 1]); got {describe(model)}.")
        self.model = model
        n_in = getattr(model, "n_inputs", None)
        self.X_train = as_float_array(X_train, "X_train", shape=(None, n_in) if n_in else (None, None),
                                      hint=f"One row per sample, {n_in} inputs each, to match the model." if n_in
                                      else "", nonempty=True)
        n_in = self.X_train.shape[1] if n_in is None else n_in
        regression = isinstance(loss, Objective) and loss.regression
        labels = _targets if regression else as_labels  # a regression's targets are numbers, not classes
        self.y_train = labels(y_train, "y_train", len(self.X_train))
        if (X_test is None) != (y_test is None):
            raise ValueError("give both X_test and y_test, or neither.")
        self.X_test = None if X_test is None else as_float_array(X_test, "X_test", shape=(None, n_in))
        self.y_test = None if y_test is None else labels(y_test, "y_test", len(self.X_test))
        if regression:
            self.n_classes = 0
        else:
            seen = int(max(self.y_train.max(initial=0), -1 if self.y_test is None else self.y_test.max(initial=0))) + 1
            n_classes = as_optional_int(n_classes, "n_classes", minimum=2, maximum=1000)
            if n_classes is not None and n_classes < seen:
                raise ValueError(f"n_classes is {n_classes} but the labels go up to {seen - 1}; "
                                 f"give n_classes >= {seen}.")
            self.n_classes = max(2, seen) if n_classes is None else n_classes
        self.objective = loss if isinstance(loss, Objective) else Objective(loss, self.n_classes)
        n_out = getattr(model, "n_outputs", self.objective.n_outputs)
        if n_out != self.objective.n_outputs:
            need = self.objective.n_outputs
            raise ValueError(f"with {self.n_classes} classes and the {self.objective.name} loss the last layer "
                             f"needs {need} output{'s' if need > 1 else ''}; this model has {n_out}. "
                             f"End layer_sizes with {need}.")
        self.targets_train = self.objective.targets(self.y_train)
        self.targets_test = None if self.y_test is None else self.objective.targets(self.y_test)
        self.l2 = as_scalar(l2, "l2 (the weight-decay strength)", minimum=0, example="1e-3 (0 = off)")
        self.l1 = as_scalar(l1, "l1 (the L1 penalty's strength)", minimum=0, example="1e-3 (0 = off)")
        self.batch_size = as_optional_int(batch_size, "batch_size", minimum=1, example="32 (None = the whole set)")
        self.optimizer = make_optimizer(optimizer, model.parameters(), lr)
        self.optimizer_name = str(optimizer)
        self.patience = as_optional_int(patience, "patience (epochs without improvement)", minimum=1, example="10")
        if self.patience is not None and self.X_test is None:
            raise ValueError("early stopping (patience) watches the test loss: give X_test and y_test too.")
        self.target_accuracy = None if target_accuracy is None else as_scalar(
            target_accuracy, "target_accuracy", minimum=0, maximum=1, min_open=True, example="0.95")
        seed = as_seed(seed, "seed")
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(len(self.X_train))
        self._position = len(self.X_train)  # start of a fresh epoch on the first step
        self.steps = 0
        self.epoch = 0.0
        self.history = History()
        self._good_state = model.get_state()
        self._record()
        self._best = (self.history.test_loss[0], self._good_state, 0.0)  # (test loss, state, epoch): early stopping
        chance, baseline = (None, None) if regression else trivial_baseline(self.y_train, self.objective.name,
                                                                              self.n_classes)  # (no classes)
        # the package's one divergence test, on the loss of every step and the accuracy of every record
        self.watch = DivergenceWatch(self.optimizer.lr, chance=chance, baseline=baseline)
        self.watch.check_loss(self.history.train_loss[0], step=0)

    # -- what the loop measures
    def evaluate(self, X, y_targets, y_labels):
        """(loss, accuracy) of the model on a data set, in evaluation mode and without L2."""
        X = as_float_array(X, "X", shape=(None, None), nonempty=True)
        if not self.objective.regression:  # a regression's targets are numbers, not labels
            y_labels = as_labels(y_labels, "y_labels", len(X))
        y_targets = as_float_array(y_targets, "y_targets", shape=(len(X),))
        return self._evaluate(X, y_targets, y_labels)

    def _evaluate(self, X, y_targets, y_labels):
        """:meth:`evaluate` on the Trainer's own data, checked once in ``__init__``: no checks again each epoch."""
        unchecked = getattr(self.model, "_predict_unchecked", None)  # (the course's MLP: its scores' shape is known)
        with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported as divergence, just below
            scores = (unchecked or self.model.predict_scores)(X)
        if not np.isfinite(scores).all():
            self.watch.fail(self.steps, "the network's outputs became infinite or NaN", self.optimizer.lr)
        if unchecked is None:  # another model's predict_scores: read its scores as the objective wants them
            scores = self.objective._scores(scores)
        loss = self.objective._value(scores, y_targets)  # (what the loss function gives, without a graph)
        if self.objective.regression:
            return loss, float("nan")  # no classes, no accuracy
        return loss, float(np.mean(self.objective._classes(scores) == y_labels))

    def _record(self) -> None:
        train_loss, train_acc = self._evaluate(self.X_train, self.targets_train, self.y_train)
        if self.X_test is not None and len(self.X_test):
            test_loss, test_acc = self._evaluate(self.X_test, self.targets_test, self.y_test)
        else:
            test_loss = test_acc = float("nan")
        self.history.record(epoch=self.epoch, train_loss=train_loss, test_loss=test_loss, train_acc=train_acc,
                            test_acc=test_acc)

    # -- one update
    def _batch(self) -> np.ndarray:
        n = len(self.X_train)
        size = n if self.batch_size is None else min(self.batch_size, n)
        if self._position >= n:
            self._order = self._rng.permutation(n) if size < n else self._order
            self._position = 0
        index = self._order[self._position: self._position + size]
        self._position += size
        return index

    def _update(self) -> float:
        with np.errstate(over="ignore", invalid="ignore"):  # overflows surface as DivergenceError instead
            return self._update_step()

    def _update_step(self) -> float:
        index = self._batch()
        self.model.train()
        scores = self.model(self.X_train[index])  # forward pass
        if not np.all(np.isfinite(scores.data)):
            self.watch.fail(self.steps + 1, "the network's outputs became infinite or NaN", self.optimizer.lr)
        loss = self.objective._loss(scores, self.targets_train[index])  # how wrong it is
        if self.l2:
            loss = loss + l2_penalty(self.model.weights(), self.l2)  # plus the weight penalty
        if self.l1:
            loss = loss + l1_penalty(self.model.weights(), self.l1)
        value = loss.item()
        self.watch.check_loss(value, step=self.steps + 1, lr=self.optimizer.lr)
        self.optimizer.zero_grad()  # forget the last step's gradients
        loss.backward()  # fill every parameter's .grad
        self.optimizer.step()  # move each parameter a little downhill
        self.steps += 1
        return value

    def _watch_record(self) -> None:
        """The divergence test on the record just made: full training loss and accuracy."""
        try:
            accuracy = None if self.objective.regression else self.history.train_acc[-1]
            self.watch.check_loss(self.history.train_loss[-1], step=self.steps, accuracy=accuracy,
                                  lr=self.optimizer.lr)
        except DivergenceError:
            for field in History.FIELDS:  # the record of a diverged epoch is not kept
                getattr(self.history, field).pop()
            raise

    def _stop_diverged(self, err) -> None:
        self.model.set_state(self._good_state)  # the weights of the last recorded epoch (or step)
        self.epoch = self.history.epoch[-1]
        self.history.diverged = True
        reason = getattr(err, "reason", str(err))
        step = getattr(err, "step", self.steps + 1)
        self.history.stopped = (f"training diverged at epoch {int(self.epoch) + 1}, step {step}: {reason}. The learning rate {self.optimizer.lr:g} is too large: lower it and "
                                f"train again, or reset. The weights were rolled back to epoch {int(self.epoch)}.")
        self.model.eval()

    def step(self) -> float | None:
        """One optimizer step on one mini-batch; returns its loss (None if training has stopped)."""
        if self.history.diverged:
            return None
        self._good_state = self.model.get_state()
        per_epoch = int(np.ceil(len(self.X_train) / (self.batch_size or len(self.X_train))))
        try:
            value = self._update()
            self.epoch = round(self.epoch + 1.0 / per_epoch, 6)
            self._record()
            self._watch_record()
        except DivergenceError as err:
            self._stop_diverged(err)
            return None
        self.model.eval()
        return value

    def train_epochs(self, epochs: int) -> History:
        """Train ``epochs`` more epochs (fewer if it diverges, reaches the target, or stops early)."""
        epochs = as_int(epochs, "epochs", minimum=0, maximum=10**6, example="100")
        if self.history.diverged:
            return self.history
        self.history.stopped = None
        n = len(self.X_train)
        for _ in range(int(epochs)):
            self._good_state = self.model.get_state()
            try:
                while True:
                    self._update()
                    if self._position >= n:
                        break
                self.epoch = float(np.floor(self.epoch + 1e-9) + 1)
                self._record()
                self._watch_record()
            except DivergenceError as err:
                self._stop_diverged(err)
                break
            if self._check_stops():
                break
        self.model.eval()
        return self.history

    def _check_stops(self) -> bool:
        h = self.history
        if self.target_accuracy is not None and h.train_acc[-1] >= self.target_accuracy - 1e-12:
            h.stopped = f"reached the target training accuracy {self.target_accuracy:.0%} at epoch {self.epoch:g}."
            return True
        if self.patience is not None:
            loss = h.test_loss[-1]
            if loss < self._best[0] - 1e-12:
                self._best = (loss, self.model.get_state(), self.epoch)
            elif self.epoch - self._best[2] >= self.patience:
                self.model.set_state(self._best[1])
                h.stopped = (f"early stopping at epoch {self.epoch:g}: the test loss had not improved for "
                             f"{self.patience} epochs; the weights of epoch {self._best[2]:g} were restored.")
                return True
        return False

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    @lr.setter
    def lr(self, value: float) -> None:
        self.optimizer.lr = as_scalar(value, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")
        self.watch.lr = self.optimizer.lr


def fit(model, X_train, y_train, X_test=None, y_test=None, *, epochs: int = 100, loss="cross-entropy",
        optimizer: str = "adam", lr: float = 0.01, l2: float = 0.0, batch_size=None, seed: int = 0, patience=None,
        target_accuracy=None, snapshot_epochs=(), l1: float = 0.0) -> History:
    """Train ``model`` for ``epochs`` epochs and return its :class:`History` (see :class:`Trainer`).

    ``snapshot_epochs``: epochs at which to keep a copy of the weights, in ``history.states[epoch]``
    (epoch 0 = before training), e.g. to draw the decision boundary as it changes.

    >>> from nbhelpers.mlp import MLP
    >>> from nbhelpers.datasets import make_xor
    >>> X, y = make_xor(100, noise=0.0)
    >>> history = fit(MLP(2, [8, 8, 1], seed=0), X, y, epochs=200, lr=0.05)
    >>> history.train_acc[-1] > 0.95
    True
    """
    epochs = as_int(epochs, "epochs", minimum=0, maximum=10**6, example="100")
    if isinstance(snapshot_epochs, (str, bytes)) or not hasattr(snapshot_epochs, "__iter__"):
        raise TypeError(f"snapshot_epochs must be a list of epochs such as [0, 10, 100]; got {describe(snapshot_epochs)}.")
    wanted = sorted({as_int(e, "each of snapshot_epochs", minimum=0, example="10") for e in snapshot_epochs})
    trainer = Trainer(model, X_train, y_train, X_test, y_test, loss=loss, optimizer=optimizer, lr=lr, l2=l2,
                      batch_size=batch_size, seed=seed, patience=patience, target_accuracy=target_accuracy, l1=l1)
    if 0 in wanted:
        trainer.history.states[0] = model.get_state()
    done = 0
    for stop in [e for e in wanted if 0 < e < epochs] + [epochs]:
        trainer.train_epochs(stop - done)
        done = stop
        if trainer.history.stopped:
            break
        if stop in wanted:
            trainer.history.states[stop] = model.get_state()
    if epochs in wanted and epochs not in trainer.history.states and not trainer.history.stopped:
        trainer.history.states[epochs] = model.get_state()
    return trainer.history
