"""What "training diverged" means in this course: one definition, used by every training loop of the package.

:class:`DivergenceWatch` is that definition. Everything that trains asks it (``Trainer``/``fit`` and the
chapter-6 playground, every optimizer's ``step()``, ``train_many``, ``descend``, ``fit_line``), so a run that
goes wrong stops with a :class:`DivergenceError` (or, in ``Trainer``, a ``history.stopped`` sentence) that names
the step and the learning rate, instead of drawing NaN or quietly returning a useless model.

A run has **diverged** as soon as one of these holds:

1. **Non-finite.** The loss, a parameter or a gradient is infinite or NaN; for Adam, which keeps the squares
   of the gradients, also a gradient so large (beyond ``GRADIENT_LIMIT``, 1.3e154) that its square is.
2. **Blown up.** The loss has been far above where it started for several checks in a row: more than
   ``GROWTH`` (10,000) times the starting scale above its best value, for ``PATIENCE`` (3) consecutive checks.
   The scale is ``max(|start|, |best|, 1e-8)``, so a loss that may be negative is handled too. Why these
   numbers: a healthy run's loss falls, and mini-batch noise moves it by a few times at most, never by four
   orders of magnitude; three checks in a row rule out one unlucky batch. Chapter 3's "too large" learning
   rates that grow the loss by a factor 1,400 in 20 steps are *growing*, not yet diverged; the ones that
   grow it 10,000 times are stopped.
3. **Exploding parameters** (the optimizer-side test: an optimizer sees parameters and gradients, not the
   loss). A parameter whose size passes ``PARAM_GROWTH`` (a million) times its starting size (at least 1)
   has left every sensible region; ``descend`` uses the same rule with its ``limit``.
4. **Stuck at chance** (classification only). For ``PATIENCE_CHANCE`` (5) consecutive checks the accuracy is
   no better than guessing the most common class (within ``CHANCE_MARGIN``, 10 points) *and* the loss is more
   than ``BASELINE_FACTOR`` (2) times the trivial baseline (the loss of predicting the class frequencies:
   ln 2 = 0.693 for two balanced classes). A network that learns anything beats chance, and one that sits at
   chance with twice the baseline loss is confidently wrong: its weights were thrown out of the useful region
   by too large a step. A network that has simply not learned yet stays near the baseline (an all-zero one sits
   exactly on it) and is not stopped.

>>> watch = DivergenceWatch(lr=0.1)
>>> watch.check_loss(1.0, step=1); watch.check_loss(0.5, step=2)
>>> watch.check_loss(float("nan"), step=3)
Traceback (most recent call last):
...
nbhelpers.divergence.DivergenceError: training diverged at step 3: the loss became nan. The learning rate 0.1 is too large: lower it (try 0.01) and start again.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["DivergenceError", "DivergenceWatch", "GROWTH", "PATIENCE", "PARAM_GROWTH", "CHANCE_MARGIN",
           "BASELINE_FACTOR", "PATIENCE_CHANCE", "GRADIENT_LIMIT", "trivial_baseline"]

#: the loss is "far above" when it exceeds its best by this many times the starting scale
GROWTH = 1e4
#: ... for this many consecutive checks
PATIENCE = 3
#: a parameter larger than this many times its starting size (at least 1) has exploded
PARAM_GROWTH = 1e6
#: "at chance": accuracy at most the most common class's share plus this
CHANCE_MARGIN = 0.10
#: ... with a loss more than this many times the trivial baseline
BASELINE_FACTOR = 2.0
#: ... for this many consecutive checks
PATIENCE_CHANCE = 5
#: a gradient beyond this (the square root of the largest float64) has a square that overflows: blown up for an
#: optimizer that keeps squares (Adam sets ``watch.gradient_limit`` to it)
GRADIENT_LIMIT = math.sqrt(np.finfo(float).max)
_TINY = 1e-8


def _quick_ok(arrays, limit: float) -> bool:
    """True if every array is finite with every |value| <= ``limit``, by one sum of squares per array:
    sqrt(sum of squares) bounds each |value|. False means "look closer", not "diverged"."""
    if len(arrays) > 2:  # many small arrays (a network's parameters): one product over all of them, fewer calls
        try:
            flat = np.concatenate([a.ravel() for a in arrays])
        except (AttributeError, TypeError, ValueError):  # not all arrays: one at a time below
            flat = None
        if flat is not None:
            total = float(np.vdot(flat, flat))
            return math.isfinite(total) and math.sqrt(total) <= limit
    total = 0.0
    for a in arrays:
        total += float(np.vdot(a, a))  # inf or NaN if any value is (or if the squares overflow)
    return math.isfinite(total) and math.sqrt(total) <= limit


class DivergenceError(FloatingPointError):
    """Training diverged (see :mod:`nbhelpers.divergence` for the definition): the learning rate is (almost
    always) too large."""


def _advice(lr) -> str:
    if lr is None:
        return "Lower the learning rate and start again."
    return f"The learning rate {lr:g} is too large: lower it (try {lr / 10:g}) and start again."


def trivial_baseline(labels, loss: str = "cross-entropy", n_classes: int | None = None) -> tuple[float, float]:
    """``(chance accuracy, baseline loss)`` of the best constant guess for class labels 0 .. k-1.

    The chance accuracy is the most common class's share; the baseline loss is what predicting the class
    frequencies costs: their entropy for cross-entropy, ``2 min(p, 1 - p)`` for hinge and ``1 - (2p - 1)^2`` for
    mse on -1/+1 targets (p the share of class 1).

    >>> trivial_baseline([0, 1, 0, 1])
    (0.5, 0.6931471805599453)
    """
    from nbhelpers._validate import as_choice, as_int, as_labels

    loss = as_choice(loss, "loss", ("cross-entropy", "hinge", "mse"))
    n_classes = None if n_classes is None else as_int(n_classes, "n_classes", minimum=2, maximum=1000, example="2")
    y = as_labels(labels, "labels", n_classes=n_classes)
    if y.size == 0:
        raise ValueError("labels is empty; pass at least one class label.")
    k = int(max(y.max(initial=0) + 1, n_classes or 2))
    share = np.bincount(y, minlength=k) / max(y.size, 1)
    chance = float(share.max())
    if loss == "hinge":
        return chance, float(2 * min(share[1], 1 - share[1]))
    if loss == "mse":
        return chance, float(1 - (2 * share[1] - 1) ** 2)
    nonzero = share[share > 0]
    return chance, float(-np.sum(nonzero * np.log(nonzero)))


class DivergenceWatch:
    """The package's one test for divergence (see the module docstring), fed one check at a time.

    Parameters
    ----------
    lr : float, optional
        The learning rate, quoted in the message (an optimizer passes its current one with each check).
    what : str
        What is training, for the message ("training", "gradient descent", "the line fit").
    chance, baseline : float, optional
        Chance accuracy and trivial-baseline loss (see :func:`trivial_baseline`): enable the "stuck at chance"
        test, for classifiers.
    param_limit : float, optional
        The size past which a parameter counts as exploded (default: ``PARAM_GROWTH`` times its first size,
        at least 1). ``descend`` passes its ``limit``.
    param_name : str
        How the message calls a parameter ("a parameter", "w", "a coordinate").
    """

    def __init__(self, lr=None, *, what: str = "training", chance=None, baseline=None, param_limit=None,
                 param_name: str = "a parameter"):
        from nbhelpers._validate import as_scalar, describe

        if not isinstance(what, str) or not isinstance(param_name, str):
            raise TypeError(f"what and param_name must be text; got {describe(what)} and {describe(param_name)}.")
        self.lr = None if lr is None else as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True,
                                                    example="0.1")
        self.what, self.param_name = what, param_name
        self.chance = None if chance is None else as_scalar(chance, "chance (accuracy)", minimum=0, maximum=1)
        self.baseline = None if baseline is None else as_scalar(baseline, "baseline (loss)", minimum=0)
        self.param_limit = None if param_limit is None else as_scalar(param_limit, "param_limit", minimum=0,
                                                                      min_open=True, example="1e6")
        self.start = self.best = None
        self._far = self._stuck = 0
        self.gradient_limit = math.inf  # GRADIENT_LIMIT for an optimizer that squares the gradients (Adam)

    def fail(self, step, reason, lr=None) -> None:
        """Raise the :class:`DivergenceError` for ``step``, saying ``reason`` and quoting the learning rate."""
        from nbhelpers._validate import as_int, as_scalar

        step = as_int(step, "step", minimum=0)
        if not isinstance(reason, str):
            raise TypeError(f"reason must be text; got {type(reason).__name__}.")
        if lr is not None:
            lr = as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")
        err = DivergenceError(f"{self.what} diverged at step {step}: {reason}. {_advice(self.lr if lr is None else lr)}")
        err.step, err.reason = step, reason
        raise err

    def check_loss(self, loss, step: int, accuracy=None, lr=None) -> None:
        """Raise :class:`DivergenceError` if ``loss`` (and ``accuracy``, for a classifier) says the run diverged."""
        if not (type(loss) is float and type(step) is int and step >= 0  # what a training loop passes: at once
                and (lr is None or type(lr) is float and 0.0 < lr < math.inf)
                and (accuracy is None or type(accuracy) is float and 0.0 <= accuracy <= 1.0)):
            loss, step, lr, accuracy = self._checked(loss, step, lr, accuracy)
        if not np.isfinite(loss):
            self.fail(step, f"the loss became {loss}", lr)
        if self.start is None:
            self.start = self.best = loss
            return
        scale = max(abs(self.start), abs(self.best), _TINY)
        self._far = self._far + 1 if loss - self.best > GROWTH * scale else 0
        if self._far >= PATIENCE:
            self.fail(step, f"the loss grew from {self.start:.3g} to {loss:.3g}, more than {GROWTH:,.0f} times its "
                            f"starting size above its best for {PATIENCE} checks in a row", lr)
        self.best = min(self.best, loss)
        if accuracy is not None and self.chance is not None and self.baseline is not None:
            stuck = accuracy <= self.chance + CHANCE_MARGIN and loss > BASELINE_FACTOR * self.baseline
            self._stuck = self._stuck + 1 if stuck else 0
            if self._stuck >= PATIENCE_CHANCE:
                self.fail(step, f"the accuracy has stayed near chance ({accuracy:.0%}, chance {self.chance:.0%}) with a loss of {loss:.3g}, more "
                                 f"than {BASELINE_FACTOR:g} times what guessing the class frequencies costs "
                                 f"({self.baseline:.3g}), for {PATIENCE_CHANCE} checks in a row", lr)

    @staticmethod
    def _checked(loss, step, lr, accuracy) -> tuple:
        """check_loss's arguments read by the shared validators; one sentence for a wrong one."""
        from nbhelpers._validate import as_int, as_scalar, describe

        if isinstance(loss, (bool, np.bool_, str, complex)) or np.ndim(loss) if not isinstance(loss, (str, list)) \
                else True:
            raise TypeError(f"loss must be a single number; got {describe(loss)}.")
        try:
            loss = float(loss)
        except (TypeError, ValueError):
            raise TypeError(f"loss must be a single number; got {describe(loss)}.") from None
        step = as_int(step, "step", minimum=0)
        if lr is not None:
            lr = as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")
        if accuracy is not None:
            accuracy = as_scalar(accuracy, "accuracy", minimum=0, maximum=1, example="0.5")
        return loss, step, lr, accuracy

    def check_parameters(self, arrays, step: int, lr=None, grads=None) -> None:
        """Raise :class:`DivergenceError` if a gradient or parameter is non-finite, or a parameter exploded.

        ``arrays`` (and ``grads``) list one array per parameter, each of its own shape: ``[W, b]`` with a matrix
        and a vector, or ``[[1.0, 2.0], [3.0]]``, is one list of two parameters, not a ragged array.
        """
        from nbhelpers._validate import as_float_array, describe

        if isinstance(arrays, (str, bytes)) or not isinstance(arrays, (list, tuple)):
            raise TypeError(f"arrays must be a list of parameter arrays; got {describe(arrays)}.")
        if grads is not None and not isinstance(grads, (list, tuple)):
            raise TypeError(f"grads must be a list of gradient arrays or None; got {describe(grads)}.")
        from nbhelpers._validate import as_int, as_scalar
        step = as_int(step, "step", minimum=0)
        if lr is not None:
            lr = as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")
        arrays = [as_float_array(a, f"arrays[{i}]", finite=False) for i, a in enumerate(arrays)]
        grads = [as_float_array(g, f"grads[{i}]", finite=False) for i, g in enumerate(grads or ())]
        self._check_parameters(arrays, step, lr, grads)

    def _check_parameters(self, arrays, step: int, lr, grads) -> None:
        """:meth:`check_parameters` for callers whose arguments are known good (an optimizer's own arrays)."""
        if self.param_limit is not None and _quick_ok(grads, math.inf) and _quick_ok(arrays, self.param_limit):
            return  # every number finite and none past the limit: the exact tests below would pass too
        for g in grads:
            if not np.all(np.isfinite(g)):
                self.fail(step, "a gradient is inf or NaN, so the loss has blown up", lr)
            if np.size(g) and float(np.max(np.abs(g))) > self.gradient_limit:
                self.fail(step, f"a gradient reached {float(np.max(np.abs(g))):.3g}, so large that its square "
                                "overflows float64: the loss has blown up", lr)
        size = max((float(np.max(np.abs(a))) if np.size(a) else 0.0 for a in arrays), default=0.0)
        if not np.isfinite(size):
            self.fail(step, "a parameter became inf or NaN", lr)
        if self.param_limit is None:
            self.param_limit = PARAM_GROWTH * max(1.0, size)
            return
        if size > self.param_limit:
            self.fail(step, f"{self.param_name} reached {size:.3g}, past the limit {self.param_limit:.3g}", lr)
