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

``step()`` stops a run that diverges, by the package's one definition (:mod:`nbhelpers.divergence`): an
optimizer sees parameters and gradients, not the loss, so its test is the parameter side of that definition.
A gradient or a parameter that becomes infinite or NaN, or a parameter that grows past a million times its
starting size (at least 1), raises :class:`DivergenceError` with a sentence that names the step and the
learning rate, instead of training on to a loss of 1e80 silently (and without a cascade of NumPy overflow
warnings first).

Learning-rate schedules (:class:`StepDecay`, :class:`ExponentialDecay`) are plain functions of the step
number; a training loop sets ``opt.lr = schedule(step)`` before each ``opt.step()``.
"""

from __future__ import annotations

import math

import numpy as np

from nbhelpers._validate import as_float_array, as_int, as_scalar, as_choice, describe
from nbhelpers.divergence import GRADIENT_LIMIT, DivergenceError, DivergenceWatch

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
        self.data = np.array(as_float_array(data, "data (a Parameter's numbers)"), dtype=float)
        if not isinstance(name, str):
            raise TypeError(f"name must be text such as 'w'; got {describe(name)}.")
        self.grad = np.zeros_like(self.data)
        self.name = name

    def __repr__(self):
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape})"


def _check_lr(lr) -> float:
    return as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")


def _check_fraction(value, name: str, example: str) -> float:
    return as_scalar(value, name, minimum=0, maximum=1, max_open=True, example=example)


def _check_nonnegative(value, name: str) -> float:
    return as_scalar(value, name, minimum=0, example="0.0 or 1e-4")


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
        self.watch = DivergenceWatch(self.lr)  # the package's one divergence test, parameter side
        self.watch.check_parameters([p.data for p in self.params], step=0)

    def zero_grad(self) -> None:
        """Set every gradient to zero (backward passes *add* into ``.grad``)."""
        for p in self.params:
            zero = getattr(p, "zero_grad", None)  # a parameter's own (a Tensor's makes its zeros when asked for)
            if zero is not None:
                zero()
            else:  # np.zeros: the same zeros as np.zeros_like, at an eighth of its cost for small arrays
                data = p.data
                p.grad = np.zeros(data.shape, data.dtype) if type(data) is np.ndarray else np.zeros_like(data)

    def step(self) -> None:
        """Update every parameter from its gradient; raise :class:`DivergenceError` if the run diverged.

        Divergence is the parameter side of :mod:`nbhelpers.divergence`: a gradient or a parameter that is
        infinite or NaN, or a parameter that grew past a million times its starting size. All gradients are
        checked before any parameter moves, so a NaN gradient leaves the parameters as they were.
        """
        lr = self.lr  # it may have been changed by hand or by a schedule: a positive finite float passes at once
        if type(lr) is not float or not 0.0 < lr < math.inf:
            self.lr = _check_lr(lr)
        self.steps += 1
        grads = []
        for i, p in enumerate(self.params):
            grad = p.grad  # read once (a Tensor's grad is a property)
            if grad.__class__ is np.ndarray and grad.dtype.char == "d" and p.data.__class__ is np.ndarray \
                    and grad.shape == p.data.shape:  # what backward() fills in: used as it is
                grads.append(grad)
                continue
            if grad is not None and (type(grad) is not np.ndarray or grad.dtype.kind != "f"):  # set by hand
                as_float_array(grad, f"the gradient (.grad) of parameter {i}", finite=False)  # text, complex, ...
            if grad is None:
                grad = np.zeros_like(p.data)
            elif type(grad) is not np.ndarray or grad.dtype.char != "d":  # (a float64 array is used as it is)
                grad = np.asarray(grad, dtype=float)
            if grad.shape != (p.data.shape if type(p.data) is np.ndarray else np.shape(p.data)):
                raise ValueError(f"parameter {i} has shape {np.shape(p.data)} but its gradient has shape {grad.shape}.")
            grads.append(grad)
        # every gradient in one flat array: checked at once, and (for the course's optimizers) updated at once
        flat = grads[0].ravel() if len(grads) == 1 else np.concatenate([g.ravel() for g in grads])
        self.watch._check_parameters([], self.steps, self.lr, [flat])  # our own arrays: no argument checks
        with np.errstate(all="ignore"):  # the check below reports an overflow in one sentence
            if self._flat_ready(grads):
                self._update_flat(flat)
            else:
                self._update_all(grads)
        self.watch._check_parameters([p.data for p in self.params], self.steps, self.lr, [])

    def _update_all(self, grads: list) -> None:
        """Move every parameter, given its checked gradient (under ``np.errstate``: the caller checks the result)."""
        for i, (p, grad) in enumerate(zip(self.params, grads)):
            self._update(i, p, grad)

    # -- the same update on all parameters at once. Every formula here works number by number, so working on one
    # flat array of all the gradients gives exactly the numbers of the per-parameter loop, in a few NumPy calls
    # instead of a few per parameter (Adam: 10 in all instead of 10 for each weight matrix and bias).
    def _flat_layout(self) -> list:
        """Where each parameter sits in the flat array: (slice, shape), one per parameter."""
        layout, offset = [], 0
        for p in self.params:
            size, shape = int(np.size(p.data)), np.shape(p.data)
            layout.append((slice(offset, offset + size), shape))
            offset += size
        return layout

    def _flat_state(self) -> tuple:
        """A flat array of zeros for all parameters, and views of it shaped like each one (an optimizer's memory,
        such as Momentum's velocity: ``velocity[i]`` is parameter i's part)."""
        layout = self._layout = getattr(self, "_layout", None) or self._flat_layout()
        flat = np.zeros(layout[-1][0].stop if layout else 0)
        return flat, [flat[part].reshape(shape) for part, shape in layout]

    def _flat_ready(self, grads: list) -> bool:
        """True if this optimizer updates all parameters at once and they still have the shapes it laid out."""
        layout = getattr(self, "_layout", None)
        if layout is None or type(self)._update is not type(self)._flat_rule:  # (a subclass's own rule: one at a time)
            return False
        for p, grad, (_, shape) in zip(self.params, grads, layout):
            if grad.shape != shape or p.data.__class__ is not np.ndarray:
                return False
        return True

    _flat_rule = None  # the _update whose formula _update_flat works out for all parameters at once

    def _update_flat(self, flat: np.ndarray) -> None:  # pragma: no cover - optimizers with a _flat_rule
        raise NotImplementedError

    def _move(self, step: np.ndarray) -> None:
        """``p.data -= step`` for every parameter, each by its own part of the flat ``step``."""
        for p, (part, shape) in zip(self.params, self._layout):
            p.data -= step[part].reshape(shape)

    def _flat_params(self) -> np.ndarray:
        return np.concatenate([p.data.ravel() for p in self.params])

    def _update(self, i: int, p, grad) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr:g}, {len(self.params)} parameters)"


class SGD(Optimizer):
    """Plain gradient descent: ``w <- w - lr * (dL/dw + weight_decay * w)``."""

    def __init__(self, params, lr: float = 0.1, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        self._layout = self._flat_layout()

    def _update(self, i, p, grad):
        p.data -= self.lr * (grad + self.weight_decay * p.data if self.weight_decay else grad)

    _flat_rule = _update

    def _update_flat(self, flat):
        self._move(self.lr * (flat + self.weight_decay * self._flat_params() if self.weight_decay else flat))


class Momentum(Optimizer):
    """Gradient descent with momentum: a velocity that remembers past steps.

    ``v <- beta * v + dL/dw``; ``w <- w - lr * v``.
    """

    def __init__(self, params, lr: float = 0.1, beta: float = 0.9, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.beta = _check_fraction(beta, "beta", "0.9")
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        self._velocity, self.velocity = self._flat_state()
        self._views = list(self.velocity)

    def _step(self, v, grad):
        """The formulas above for one array of gradients, ``v`` updated in place: the step to subtract."""
        v *= self.beta
        v += grad
        return self.lr * v

    def _update(self, i, p, grad):
        p.data -= self._step(self.velocity[i], grad + self.weight_decay * p.data if self.weight_decay else grad)

    _flat_rule = _update

    def _flat_ready(self, grads):  # (and the velocity still the flat one: not replaced by hand)
        return super()._flat_ready(grads) and all(a is b for a, b in zip(self.velocity, self._views))

    def _update_flat(self, flat):
        self._move(self._step(self._velocity, flat + self.weight_decay * self._flat_params() if self.weight_decay
                              else flat))


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
        self.eps = as_scalar(eps, "eps", minimum=0, maximum=1, min_open=True, example="1e-8")
        self.weight_decay = _check_nonnegative(weight_decay, "weight_decay")
        (self._m, self.m), (self._v, self.v) = self._flat_state(), self._flat_state()
        self._views = self.m + self.v
        self.watch.gradient_limit = GRADIENT_LIMIT  # a gradient whose square overflows would freeze v at inf

    def _step(self, m, v, grad):
        """The formulas above for one array of gradients, worked in place on its ``m`` and ``v`` (the same
        operations in the same order: the same numbers): the step to subtract."""
        m *= self.beta1
        m += (1 - self.beta1) * grad
        v *= self.beta2
        v += (1 - self.beta2) * np.square(grad)
        step = m / (1 - self.beta1**self.steps)  # m_hat
        step *= self.lr
        denominator = np.sqrt(v / (1 - self.beta2**self.steps))  # sqrt(v_hat)
        denominator += self.eps
        step /= denominator
        return step

    def _update(self, i, p, grad):
        p.data -= self._step(self.m[i], self.v[i], grad + self.weight_decay * p.data if self.weight_decay else grad)

    _flat_rule = _update

    def _flat_ready(self, grads):  # (and m and v still the flat ones: not replaced by hand)
        return super()._flat_ready(grads) and all(a is b for a, b in zip(self.m + self.v, self._views))

    def _update_flat(self, flat):
        self._move(self._step(self._m, self._v, flat + self.weight_decay * self._flat_params() if self.weight_decay
                              else flat))


_OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "adam": Adam}


def make_optimizer(name: str, params, lr: float, **kwargs) -> Optimizer:
    """Build an optimizer by name: "sgd", "momentum" or "adam"."""
    key = as_choice(name, "optimizer", tuple(_OPTIMIZERS), {"gd": "sgd", "gradient_descent": "sgd"})
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
        step = as_int(step, "step (the step number)", minimum=0, example="0 or 10")
        return float(self._rate(step))

    def _rate(self, step: int) -> float:  # pragma: no cover - subclasses
        raise NotImplementedError

    def values(self, steps: int) -> np.ndarray:
        """The learning rates of steps ``0 .. steps-1`` as an array (for plotting)."""
        steps = as_int(steps, "steps", minimum=0, maximum=10**7, example="100")
        return np.array([self(t) for t in range(steps)], dtype=float)


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
        self.factor = as_scalar(factor, "factor", minimum=0, maximum=1, min_open=True, example="0.5 (halve the rate)")
        self.every = as_int(every, "every (steps between decays)", minimum=1, example="10")

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
        self.rate = as_scalar(rate, "rate", minimum=0, maximum=1, min_open=True, example="0.99 (1% smaller each step)")

    def _rate(self, step):
        return self.lr0 * self.rate**step

    def __repr__(self):
        return f"ExponentialDecay({self.lr0:g}, rate={self.rate:g})"
