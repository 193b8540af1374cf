"""Optimizers (chapter 3), with one interface that every later chapter uses to train.

A *parameter* is any object with a ``.data`` NumPy array (updated in place) and a ``.grad`` array of the
same shape (or ``None`` before the first backward pass): :class:`Parameter` here, the layers of chapter 4's
network, and the ``Tensor`` of chapter 5's array engine all qualify. The training loop is always::

    opt = Adam(model.parameters(), lr=0.01)
    for step in range(steps):
        loss = ...            # forward pass
        opt.zero_grad()       # forget the previous step's gradients
        ...                   # backward pass fills every p.grad
        opt.step()            # move every p.data a little downhill

When a gradient or an update is infinite or NaN, ``step()`` raises :class:`DivergenceError` with a
sentence that says so and what to try, instead of training on NaN silently (and without a cascade of NumPy
overflow warnings first).

Learning-rate schedules (:class:`StepDecay`, :class:`ExponentialDecay`) are plain functions of the step
number; a training loop sets ``opt.lr = schedule(step)`` before each ``opt.step()``.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Parameter", "DivergenceError", "Optimizer", "SGD", "Momentum", "Adam", "make_optimizer",
    "Schedule", "ConstantLR", "StepDecay", "ExponentialDecay",
]


class Parameter:
    """A trainable array with a gradient slot: ``Parameter([1.0, 2.0]).data``, ``.grad``.

    >>> p = Parameter([1.0, 2.0]); p.grad
    array([0., 0.])
    """

    def __init__(self, data, name: str = ""):
        if isinstance(data, str) or data is None:
            raise TypeError(f"a Parameter holds numbers (a number, list or NumPy array); got {data!r}.")
        try:
            self.data = np.array(data, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(f"a Parameter holds numbers (a number, list or NumPy array); got {type(data).__name__}."
                            ) from None
        self.grad = np.zeros_like(self.data)
        self.name = name

    def __repr__(self):
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape})"


class DivergenceError(FloatingPointError):
    """Training produced inf or NaN: the learning rate is (almost always) too large."""


def _check_lr(lr) -> float:
    if isinstance(lr, (bool, np.bool_)) or not np.isscalar(lr) or isinstance(lr, str) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"the learning rate must be a positive number such as 0.1; got {lr!r}.")
    return float(lr)


def _check_fraction(value, name: str, example: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not np.isscalar(value) or isinstance(value, str) or not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), e.g. {example}; got {value!r}.")
    return float(value)


def _check_nonnegative(value, name: str) -> float:
    if isinstance(value, (bool, np.bool_)) or not np.isscalar(value) or isinstance(value, str) \
            or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a number >= 0 such as 0.0 or 1e-4; got {value!r}.")
    return float(value)


class Optimizer:
    """Base class: holds the parameters and the learning rate; subclasses define ``_update``.

    ``params`` is a list of parameters (one parameter on its own is accepted too). ``lr`` may be changed
    between steps, e.g. by a schedule: ``opt.lr = schedule(step)``.
    """

    def __init__(self, params, lr: float):
        if hasattr(params, "data") and hasattr(params, "grad"):  # a single parameter: the list of one
            params = [params]
        try:
            self.params = list(params)
        except TypeError:
            raise TypeError(f"the optimizer needs a list of parameters, e.g. [w, b]; got {type(params).__name__}."
                            ) from None
        if not self.params:
            raise ValueError("the optimizer got no parameters; pass model.parameters() (a non-empty list).")
        for p in self.params:
            if not hasattr(p, "data") or not hasattr(p, "grad"):
                raise TypeError(f"each parameter needs .data and .grad arrays; got {type(p).__name__}.")
        self.lr = _check_lr(lr)
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every gradient to zero (backward passes *add* into ``.grad``)."""
        for p in self.params:
            p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        """Update every parameter from its gradient; raise :class:`DivergenceError` on inf/NaN.

        All gradients are checked before any parameter moves, so a NaN gradient leaves the parameters as they were.
        """
        self.lr = _check_lr(self.lr)  # it may have been changed by hand or by a schedule
        self.steps += 1
        grads = []
        for i, p in enumerate(self.params):
            grad = np.zeros_like(p.data) if p.grad is None else np.asarray(p.grad, dtype=float)
            if grad.shape != np.shape(p.data):
                raise ValueError(f"parameter {i} has shape {np.shape(p.data)} but its gradient has shape {grad.shape}.")
            if not np.all(np.isfinite(grad)):
                raise DivergenceError(
                    f"training diverged at step {self.steps}: a gradient is inf or NaN, so the loss has blown up. "
                    f"Lower the learning rate (now {self.lr:g}) and start again."
                )
            grads.append(grad)
        for i, (p, grad) in enumerate(zip(self.params, grads)):
            with np.errstate(over="ignore", invalid="ignore"):  # the check below reports it in one sentence
                self._update(i, p, grad)
            if not np.all(np.isfinite(p.data)):
                raise DivergenceError(
                    f"training diverged at step {self.steps}: a parameter became inf or NaN. "
                    f"Lower the learning rate (now {self.lr:g}) and start again."
                )

    def _update(self, i: int, p, grad) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g}, {len(self.params)} parameters)"


class SGD(Optimizer):
    """Plain gradient descent: ``w <- w - lr * (dL/dw + weight_decay * w)``."""

    def __init__(self, params, lr: float = 0.1, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")

    def _update(self, i, p, grad):
        p.data -= self.lr * (grad + self.weight_decay * p.data)


class Momentum(Optimizer):
    """Gradient descent with momentum: a velocity that remembers past steps.

    ``v <- beta * v + dL/dw``; ``w <- w - lr * v``.
    """

    def __init__(self, params, lr: float = 0.1, beta: float = 0.9, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta = _check_fraction(beta, "beta", "0.9")
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        self.velocity = [np.zeros_like(p.data) for p in self.params]

    def _update(self, i, p, grad):
        v = self.velocity[i]
        v *= self.beta
        v += grad + self.weight_decay * p.data
        p.data -= self.lr * v


class Adam(Optimizer):
    """Adam: momentum on the gradient and on its square, with bias correction.

    ``m <- b1 m + (1 - b1) g``; ``v <- b2 v + (1 - b2) g^2``;
    ``w <- w - lr * m_hat / (sqrt(v_hat) + eps)`` with ``m_hat = m / (1 - b1^t)``, ``v_hat = v / (1 - b2^t)``.
    """

    def __init__(self, params, lr: float = 0.01, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
                 weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta1 = _check_fraction(beta1, "beta1", "0.9")
        self.beta2 = _check_fraction(beta2, "beta2", "0.999")
        if isinstance(eps, (bool, np.bool_)) or not np.isscalar(eps) or isinstance(eps, str) \
                or not np.isfinite(eps) or eps <= 0:
            raise ValueError(f"eps must be a small positive number such as 1e-8; got {eps!r}.")
        self.eps = float(eps)
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        self.m = [np.zeros_like(p.data) for p in self.params]
        self.v = [np.zeros_like(p.data) for p in self.params]

    def _update(self, i, p, grad):
        grad = grad + self.weight_decay * p.data
        self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * grad
        self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * grad**2
        m_hat = self.m[i] / (1 - self.beta1**self.steps)
        v_hat = self.v[i] / (1 - self.beta2**self.steps)
        p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


_OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, params, lr: float, **kwargs) -> Optimizer:
    """Build an optimizer by name: "sgd", "momentum" or "adam"."""
    key = str(name).strip().lower()
    if key not in _OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(map(repr, _OPTIMIZERS))}.")
    return _OPTIMIZERS[key](params, lr=lr, **kwargs)


# ----------------------------------------------------------------------------------------------- schedules

class Schedule:
    """A learning-rate schedule: ``schedule(step)`` is the learning rate for step 0, 1, 2, ...

    Use it in a training loop by setting the optimizer's rate before each update::

        schedule = ExponentialDecay(0.1, rate=0.99)
        for step in range(steps):
            ...
            opt.lr = schedule(step)
            opt.step()
    """

    def __init__(self, lr0: float):
        self.lr0 = _check_lr(lr0)

    def __call__(self, step: int) -> float:
        if isinstance(step, (bool, np.bool_)) or not isinstance(step, (int, np.integer)) or step < 0:
            raise ValueError(f"the step number must be a whole number >= 0 such as 0 or 10; got {step!r}.")
        return float(self._rate(int(step)))

    def _rate(self, step: int) -> float:  # pragma: no cover - subclasses
        raise NotImplementedError

    def values(self, steps: int) -> np.ndarray:
        """The learning rates of steps ``0 .. steps-1`` as an array (for plotting)."""
        if isinstance(steps, (bool, np.bool_)) or not isinstance(steps, (int, np.integer)) or steps < 0:
            raise ValueError(f"steps must be a whole number >= 0 such as 100; got {steps!r}.")
        return np.array([self(t) for t in range(int(steps))], dtype=float)


class ConstantLR(Schedule):
    """The same learning rate at every step: ``lr_t = lr0``."""

    def _rate(self, step):
        return self.lr0

    def __repr__(self):
        return f"ConstantLR({self.lr0:g})"


class StepDecay(Schedule):
    """Multiply the learning rate by ``factor`` every ``every`` steps: ``lr_t = lr0 * factor ** (t // every)``.

    >>> s = StepDecay(0.1, factor=0.5, every=10); s(0), s(9), s(10), s(25)
    (0.1, 0.1, 0.05, 0.025)
    """

    def __init__(self, lr0: float, factor: float = 0.5, every: int = 10):
        super().__init__(lr0)
        if isinstance(factor, (bool, np.bool_)) or not np.isscalar(factor) or isinstance(factor, str) \
                or not 0 < factor <= 1:
            raise ValueError(f"factor must be a number in (0, 1], e.g. 0.5 to halve the rate; got {factor!r}.")
        if isinstance(every, (bool, np.bool_)) or not isinstance(every, (int, np.integer)) or every < 1:
            raise ValueError(f"every must be a whole number of steps >= 1 such as 10; got {every!r}.")
        self.factor, self.every = float(factor), int(every)

    def _rate(self, step):
        return self.lr0 * self.factor ** (step // self.every)

    def __repr__(self):
        return f"StepDecay({self.lr0:g}, factor={self.factor:g}, every={self.every})"


class ExponentialDecay(Schedule):
    """Multiply the learning rate by ``rate`` at every step: ``lr_t = lr0 * rate ** t``.

    >>> s = ExponentialDecay(0.1, rate=0.9); round(s(0), 6), round(s(1), 6), round(s(2), 6)
    (0.1, 0.09, 0.081)
    """

    def __init__(self, lr0: float, rate: float = 0.99):
        super().__init__(lr0)
        if isinstance(rate, (bool, np.bool_)) or not np.isscalar(rate) or isinstance(rate, str) or not 0 < rate <= 1:
            raise ValueError(f"rate must be a number in (0, 1], e.g. 0.99 (1% smaller each step); got {rate!r}.")
        self.rate = float(rate)

    def _rate(self, step):
        return self.lr0 * self.rate**step

    def __repr__(self):
        return f"ExponentialDecay({self.lr0:g}, rate={self.rate:g})"
