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

When an update makes a parameter infinite or NaN, ``step()`` raises :class:`DivergenceError` with a
sentence that says so and what to try, instead of training on NaN silently.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Parameter", "DivergenceError", "Optimizer", "SGD", "Momentum", "Adam", "make_optimizer"]


class Parameter:
    """A trainable array with a gradient slot: ``Parameter([1.0, 2.0]).data``, ``.grad``."""

    def __init__(self, data, name: str = ""):
        self.data = np.array(data, dtype=float)
        self.grad = np.zeros_like(self.data)
        self.name = name

    def __repr__(self):
        label = f"{self.name}, " if self.name else ""
        return f"Parameter({label}shape={self.data.shape})"


class DivergenceError(FloatingPointError):
    """Training produced inf or NaN: the learning rate is (almost always) too large."""


class Optimizer:
    """Base class: holds the parameters and the learning rate; subclasses define ``_update``."""

    def __init__(self, params, lr: float):
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimizer got no parameters; pass model.parameters() (a non-empty list).")
        for p in self.params:
            if not hasattr(p, "data") or not hasattr(p, "grad"):
                raise TypeError(f"each parameter needs .data and .grad arrays; got {type(p).__name__}.")
        if not np.isscalar(lr) or not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"the learning rate must be a positive number such as 0.1; got {lr!r}.")
        self.lr = float(lr)
        self.steps = 0

    def zero_grad(self) -> None:
        """Set every gradient to zero (backward passes *add* into ``.grad``)."""
        for p in self.params:
            p.grad = np.zeros_like(p.data)

    def step(self) -> None:
        """Update every parameter from its gradient; raise :class:`DivergenceError` on inf/NaN."""
        self.steps += 1
        for i, p in enumerate(self.params):
            grad = np.zeros_like(p.data) if p.grad is None else np.asarray(p.grad, dtype=float)
            if grad.shape != np.shape(p.data):
                raise ValueError(f"parameter {i} has shape {np.shape(p.data)} but its gradient has shape {grad.shape}.")
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
        self.weight_decay = float(weight_decay)

    def _update(self, i, p, grad):
        p.data -= self.lr * (grad + self.weight_decay * p.data)


class Momentum(Optimizer):
    """Gradient descent with momentum: a velocity that remembers past steps.

    ``v <- beta * v + dL/dw``; ``w <- w - lr * v``.
    """

    def __init__(self, params, lr: float = 0.1, beta: float = 0.9, weight_decay: float = 0.0):
        super().__init__(params, lr)
        if not 0 <= beta < 1:
            raise ValueError(f"beta must be in [0, 1), e.g. 0.9; got {beta!r}.")
        self.beta, self.weight_decay = float(beta), float(weight_decay)
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
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"{name} must be in [0, 1); got {beta!r}.")
        self.beta1, self.beta2, self.eps, self.weight_decay = float(beta1), float(beta2), float(eps), float(weight_decay)
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
