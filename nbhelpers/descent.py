"""Gradient descent on functions of a few variables (chapter 3): loss landscapes, paths, a line fit.

Three things live here, all NumPy only (no plotting):

- :class:`Landscape`: a loss of one or two variables with its gradient and its known minima. The course's
  landscapes are in :data:`LANDSCAPES`: two 1-D curves (``"parabola"``, ``"two_valleys"``) and four
  surfaces (``"bowl"``, ``"ellipse"``, ``"valley"``, ``"two_minima"``).
- :func:`descend`: run an optimizer of :mod:`nbhelpers.optim` on such a function and return the
  :class:`DescentPath` (every point, every loss, and whether the run converged, crawled or diverged).
- The line fit ``y = w x + b`` by gradient descent on the mean squared error: :func:`noisy_line`,
  :func:`mse_line`, :func:`mse_line_gradient`, :func:`least_squares_line` and :func:`fit_line` (batch,
  mini-batch or stochastic, counting the gradient evaluations each step costs).

>>> path = descend("parabola", start=0.0, lr=0.1, steps=60)
>>> path.status, round(float(path.final[0]), 4)
('converged', 3.0)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nbhelpers._validate import (as_bool, as_callable, as_choice, as_float_array, as_int, as_scalar, as_seed, describe,
                                 finite_result)
from nbhelpers.divergence import DivergenceError, DivergenceWatch
from nbhelpers.optim import Optimizer, Parameter, Schedule, make_optimizer

__all__ = [
    "Landscape", "LANDSCAPES", "get_landscape", "numerical_gradient", "DescentPath", "descend",
    "noisy_line", "mse_line", "mse_line_gradient", "least_squares_line", "line_fit_landscape", "LineFit",
    "fit_line",
]


# ----------------------------------------------------------------------------------------------- landscapes

class Landscape:
    """A loss of one or two variables, its gradient, and where its minima are.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"valley"``.
    function : callable
        Elementwise loss: ``function(w)`` for one variable, ``function(x, y)`` for two (arrays welcome).
    gradient : callable
        Elementwise gradient: returns ``dL/dw``, or the pair ``(dL/dx, dL/dy)``.
    minima : list of points
        Every local minimum (the global one first).
    xlim, ylim : (float, float)
        The region worth drawing (``ylim`` only for two variables).
    start : point
        A good default start.
    formula : str
        The loss in LaTeX (without dollars), for titles.
    stable_lr : float, optional
        For a quadratic, plain gradient descent converges exactly when ``0 < lr < stable_lr``.

    >>> bowl = get_landscape("bowl"); bowl([1.0, 2.0]), bowl.gradient([1.0, 2.0]).tolist()
    (5.0, [2.0, 4.0])
    """

    def __init__(self, name: str, function: Callable, gradient: Callable, *, minima, xlim, ylim=None, start=None,
                 formula: str = "", stable_lr: float | None = None, description: str = ""):
        for label, text in (("name", name), ("formula", formula), ("description", description)):
            if not isinstance(text, str):
                raise TypeError(f"{label} must be text; got {describe(text)}.")
        self.name = name
        self._function = as_callable(function, "function", "lambda w: (w - 3) ** 2")
        self._gradient = as_callable(gradient, "gradient", "lambda w: 2 * (w - 3)")
        self.xlim = tuple(as_float_array(xlim, "xlim", shape=(2,), hint="Give (low, high)."))
        self.ylim = None if ylim is None else tuple(as_float_array(ylim, "ylim", shape=(2,), hint="Give (low, high)."))
        self.dims = 1 if ylim is None else 2
        minima = as_float_array(minima, "minima", nonempty=True)
        if minima.size % self.dims:
            raise ValueError(f"minima must be points of {self.dims} number(s) each; got shape {minima.shape}.")
        self.minima = minima.reshape(-1, self.dims)
        start = self.minima[0] + 1.0 if start is None else as_float_array(start, "start")
        if start.size != self.dims:
            raise ValueError(f"start must be a point of {self.dims} number(s); got shape {start.shape}.")
        self.start = start.reshape(self.dims)
        self.formula = formula
        self.stable_lr = None if stable_lr is None else as_scalar(stable_lr, "stable_lr", minimum=0, min_open=True)
        self.description = description

    # -- one point
    def _point(self, point) -> np.ndarray:
        names = "w" if self.dims == 1 else "(x, y)"
        array = as_float_array(point, "point", hint=f"The {self.name} landscape takes {self.dims} number(s): {names}.")
        if array.ndim == 0 and self.dims == 1:
            array = array.reshape(1)
        if array.shape != (self.dims,):
            raise ValueError(f"the {self.name} landscape takes a point of {self.dims} number(s) {names}; "
                             f"got shape {array.shape}.")
        return array

    def value(self, point) -> float:
        """The loss at one point (a number for 1-D landscapes, a pair ``(x, y)`` for 2-D ones)."""
        p = self._point(point)
        with np.errstate(all="ignore"):
            value = float(self._function(*p))
        return finite_result(value, f"the {self.name} loss at {p.tolist()}", "use a point nearer the minimum")

    __call__ = value

    def gradient(self, point) -> np.ndarray:
        """The gradient at one point, as an array of shape ``(dims,)``."""
        p = self._point(point)
        with np.errstate(all="ignore"):
            grad = np.asarray(self._gradient(*p), dtype=float).reshape(self.dims)
        return finite_result(grad, f"the {self.name} gradient at {p.tolist()}", "use a point nearer the minimum")

    # -- many points at once (for drawing)
    def on_grid(self, *coords):
        """Evaluate elementwise on arrays: ``on_grid(ws)`` or ``on_grid(xx, yy)``."""
        if len(coords) != self.dims:
            raise ValueError(f"the {self.name} landscape takes {self.dims} coordinate array(s); got {len(coords)}.")
        arrays = [as_float_array(c, f"coords[{i}] (a coordinate array)") for i, c in enumerate(coords)]
        with np.errstate(all="ignore"):
            values = np.asarray(self._function(*arrays), dtype=float)
        return finite_result(values, f"the {self.name} loss on the grid", "use a smaller region")

    def nearest_minimum(self, point) -> tuple[int, float]:
        """Index of the minimum nearest to ``point`` and the distance to it."""
        p = self._point(point)
        with np.errstate(all="ignore"):
            distances = finite_result(np.linalg.norm(self.minima - p, axis=1), "the distance to the minima",
                                      "use a point nearer the landscape")
        i = int(np.argmin(distances))
        return i, float(distances[i])

    def __repr__(self):
        return f"Landscape({self.name!r}, {self.dims}-D, minima={np.round(self.minima, 3).tolist()})"


# parabola: L(w) = (w - 3)^2, curvature 2, so plain gradient descent is stable for lr < 2 / 2 = 1
_parabola = Landscape(
    "parabola",
    lambda w: (w - 3.0) ** 2,
    lambda w: 2.0 * (w - 3.0),
    minima=[3.0], xlim=(-2.0, 8.0), start=0.0, formula=r"L(w) = (w - 3)^2", stable_lr=1.0,
    description="a single smooth valley with its minimum at w = 3",
)

# two_valleys: with u = w - 3, L = (u^2 - 4)^2 / 16 + u / 4 + 0.6; dL/du = (u^3 - 4u + 1) / 4
_u_roots = np.sort(np.roots([1.0, 0.0, -4.0, 1.0]).real)  # -2.1149, 0.2541, 1.8608: min, max, min
_two_valleys = Landscape(
    "two_valleys",
    lambda w: ((w - 3.0) ** 2 - 4.0) ** 2 / 16.0 + (w - 3.0) / 4.0 + 0.6,
    lambda w: ((w - 3.0) ** 3 - 4.0 * (w - 3.0) + 1.0) / 4.0,
    minima=[3.0 + _u_roots[0], 3.0 + _u_roots[2]], xlim=(-1.0, 7.0), start=6.5,
    formula=r"L(w) = \frac{((w-3)^2 - 4)^2}{16} + \frac{w - 3}{4} + 0.6",
    description="a deep valley near w = 0.9 and a shallower one near w = 4.9",
)

_bowl = Landscape(
    "bowl",
    lambda x, y: x**2 + y**2,
    lambda x, y: (2.0 * x, 2.0 * y),
    minima=[[0.0, 0.0]], xlim=(-3.0, 3.0), ylim=(-3.0, 3.0), start=[-2.5, 2.0], formula=r"L = x^2 + y^2",
    stable_lr=1.0, description="a round bowl: the gradient points straight at the minimum from everywhere",
)

# ellipse: curvatures 1 (along x) and 10 (along y); plain descent is stable only for lr < 2 / 10
_ellipse = Landscape(
    "ellipse",
    lambda x, y: 0.5 * x**2 + 5.0 * y**2,
    lambda x, y: (x, 10.0 * y),
    minima=[[0.0, 0.0]], xlim=(-5.5, 5.5), ylim=(-2.5, 2.5), start=[-5.0, 1.5], formula=r"L = \frac{1}{2}x^2 + 5y^2",
    stable_lr=0.2, description="a stretched bowl: ten times steeper across (y) than along (x)",
)

# valley: curvatures 0.1 (along the floor, x) and 10 (across, y): a ratio of 100. Plain descent must keep
# lr < 2 / 10 = 0.2 not to blow up across the valley, so along the floor each step shrinks x by only 1 - 0.1 lr.
_valley = Landscape(
    "valley",
    lambda x, y: 0.05 * x**2 + 5.0 * y**2,
    lambda x, y: (0.1 * x, 10.0 * y),
    minima=[[0.0, 0.0]], xlim=(-5.5, 5.5), ylim=(-2.5, 2.5), start=[-5.0, 1.5], formula=r"L = 0.05x^2 + 5y^2",
    stable_lr=0.2, description="a long narrow valley: steep across (y), nearly flat along its floor (x)",
)

# two_minima: L = (x^2 - 1)^2 + 0.3 x + y^2; dL/dx = 4x^3 - 4x + 0.3 = 0 at the two minima and the saddle
_x_roots = np.sort(np.roots([4.0, 0.0, -4.0, 0.3]).real)  # -1.0356, 0.0754, 0.9601
_two_minima = Landscape(
    "two_minima",
    lambda x, y: (x**2 - 1.0) ** 2 + 0.3 * x + y**2,
    lambda x, y: (4.0 * x**3 - 4.0 * x + 0.3, 2.0 * y),
    minima=[[_x_roots[0], 0.0], [_x_roots[2], 0.0]], xlim=(-2.0, 2.0), ylim=(-1.5, 1.5), start=[1.5, 1.0],
    formula=r"L = (x^2 - 1)^2 + 0.3x + y^2",
    description="two valleys: a deeper one on the left (x = -1.04) and a shallower one on the right (x = 0.96)",
)

#: The course's landscapes by name.
LANDSCAPES = {ls.name: ls for ls in (_parabola, _two_valleys, _bowl, _ellipse, _valley, _two_minima)}


def get_landscape(name) -> Landscape:
    """A landscape by name: ``"parabola"``, ``"two_valleys"`` (1-D); ``"bowl"``, ``"ellipse"``, ``"valley"``,
    ``"two_minima"`` (2-D)."""
    if isinstance(name, Landscape):
        return name
    return LANDSCAPES[as_choice(name, "landscape", tuple(LANDSCAPES))]


def numerical_gradient(function: Callable, point, h: float = 1e-6) -> np.ndarray:
    """Central differences: ``(f(p + h e_i) - f(p - h e_i)) / 2h`` for every coordinate ``i``.

    >>> numerical_gradient(lambda p: p[0] ** 2 + 3 * p[1], [2.0, 0.0]).round(6).tolist()
    [4.0, 3.0]
    """
    as_callable(function, "function")
    p = as_float_array(point, "point", nonempty=True).reshape(-1)
    h = as_scalar(h, "h (the size of the nudge)", minimum=0, maximum=1, min_open=True, example="1e-6")
    grad = np.zeros_like(p)
    with np.errstate(all="ignore"):
        for i in range(p.size):
            step = np.zeros_like(p)
            step[i] = h
            grad[i] = (_loss_value(function, p + step) - _loss_value(function, p - step)) / (2 * h)
    return finite_result(grad, "numerical_gradient: the function or its slope", "use a point where it is finite")


# ----------------------------------------------------------------------------------------------- descent

class DescentPath:
    """What :func:`descend` returns: the points visited, the loss at each, and how the run went.

    Attributes
    ----------
    points : ndarray, shape (k + 1, dims)
        ``points[0]`` is the start, ``points[t]`` the position after step ``t``. A diverged run stops at the
        last finite point, so nothing here is ever NaN or infinite.
    losses : ndarray, shape (k + 1,)
        The loss at each point.
    status : str
        ``"converged"`` (reached a minimum within ``tol``), ``"moving"`` (still on its way), ``"growing"``
        (finite, but the loss rose: diverging slowly) or ``"diverged"`` (blew past ``limit`` or to inf/NaN).
    message : str
        One sentence a learner can read, e.g. "gradient descent diverged at step 9 (...): ...".
    diverged_at : int or None
        The step at which divergence was detected.
    converged_at : int or None
        For a converged run, the first step from which the path stays within ``tol`` of the minimum.
    gradient_evaluations : int
        How many times the gradient was computed.
    """

    def __init__(self, points, losses, *, lr, optimizer, steps, diverged_at=None, divergence="", tol=1e-3,
                 landscape=None, gradient_evaluations=0, gradient_norm=np.nan):
        self.points = as_float_array(points, "points", shape=(None, None), hint="One row per point visited.",
                                     nonempty=True)
        self.losses = as_float_array(losses, "losses", shape=(len(self.points),), hint="One loss per point.")
        self.lr = as_scalar(lr, "lr (the learning rate)", minimum=0, min_open=True, example="0.1")
        if not isinstance(optimizer, str):
            raise TypeError(f"optimizer must be the optimizer's name such as 'sgd'; got {describe(optimizer)}.")
        self.optimizer = optimizer
        self.steps = as_int(steps, "steps", minimum=0, example="50")
        self.diverged_at = None if diverged_at is None else as_int(diverged_at, "diverged_at", minimum=0)
        if not isinstance(divergence, str):
            raise TypeError(f"divergence must be text (why it diverged); got {describe(divergence)}.")
        if landscape is not None and not isinstance(landscape, Landscape):
            raise TypeError(f"landscape must be a Landscape or None; got {describe(landscape)}.")
        gradient_evaluations = as_int(gradient_evaluations, "gradient_evaluations", minimum=0)
        if not (isinstance(gradient_norm, float) and (np.isnan(gradient_norm) or gradient_norm == np.inf)):
            gradient_norm = as_scalar(gradient_norm, "gradient_norm", minimum=0)  # nan = not measured, inf = overflowed
        self.tol = tol = as_scalar(tol, "tol", minimum=0, min_open=True, example="1e-3")
        self.landscape = landscape
        self.gradient_evaluations = gradient_evaluations
        self.final_gradient_norm = float(gradient_norm)
        self.converged_at: int | None = None
        self.status, self.message = self._classify(divergence)

    # -- convenience
    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final(self) -> np.ndarray:
        return self.points[-1]

    @property
    def final_loss(self) -> float:
        return float(self.losses[-1])

    @property
    def steps_taken(self) -> int:
        return len(self.points) - 1

    def distances_to(self, target) -> np.ndarray:
        """Distance of every point of the path to ``target``."""
        target = as_float_array(target, "target").reshape(-1)
        if target.size != self.points.shape[1]:
            raise ValueError(f"target must have {self.points.shape[1]} coordinate(s); got {target.size}.")
        with np.errstate(all="ignore"):
            distances = np.linalg.norm(self.points - target, axis=1)
        return finite_result(distances, "the distance to target", "use a target nearer the path")

    def first_step_within(self, target, tol: float) -> int | None:
        """The first step whose point is within ``tol`` of ``target`` (and stays there), or None."""
        tol = as_scalar(tol, "tol", minimum=0, min_open=True, example="1e-3")
        inside = self.distances_to(target) < tol
        if not inside[-1]:
            return None
        outside = np.flatnonzero(~inside)
        return 0 if outside.size == 0 else int(outside[-1] + 1)

    def zigzag_fraction(self) -> float:
        """Fraction of consecutive steps that point back against the previous one (1.0 = pure zigzag)."""
        moves = np.diff(self.points, axis=0)
        if len(moves) < 2:
            return 0.0
        dots = np.einsum("ij,ij->i", moves[1:], moves[:-1])
        return float(np.mean(dots < 0))

    def nearly_there(self) -> bool:
        """True when the path has covered more than 95% of the way to the nearest minimum of its landscape."""
        if self.landscape is None or not len(self.landscape.minima) or self.steps_taken == 0:
            return False
        index, distance = self.landscape.nearest_minimum(self.final)
        start = float(np.linalg.norm(self.points[0] - self.landscape.minima[index]))
        return start > 0 and distance < 0.05 * start

    def raise_if_diverged(self) -> DescentPath:
        """Raise :class:`DivergenceError` with :attr:`message` if the run diverged; else return the path."""
        if self.diverged:
            raise DivergenceError(self.message)
        return self

    # -- the verdict
    def _point_text(self, point) -> str:
        if point.size == 1:
            return f"w = {point[0]:.4g}"
        return "(" + ", ".join(f"{v:.3g}" for v in point) + ")"

    def _classify(self, divergence: str):
        n, k = self.steps, self.steps_taken
        loss0, loss = float(self.losses[0]), float(self.losses[-1])
        if self.diverged_at is not None:
            why = ("each step overshot the minimum by more than the last" if self.landscape is not None
                   else "the steps grew instead of settling")
            return "diverged", (f"gradient descent diverged at step {self.diverged_at} ({divergence}): {why}, "
                                f"so lower the learning rate (now {self.lr:g}).")
        if self.landscape is not None and len(self.landscape.minima):
            index, distance = self.landscape.nearest_minimum(self.final)
            arrived = distance < self.tol
            where = self._point_text(self.landscape.minima[index])
            if len(self.landscape.minima) > 1:
                where = ("the deeper minimum" if index == 0 else "the shallower minimum") + f" at {where}"
            else:
                where = f"the minimum at {where}"
        else:
            arrived = self.final_gradient_norm < self.tol
            where = f"a flat point at {self._point_text(self.final)}"
        if arrived:
            target = self.final if self.landscape is None else self.landscape.minima[index]
            self.converged_at = self.first_step_within(target, self.tol)
            return "converged", (f"reached {where} (within {self.tol:g}) at step {self.converged_at} of {n}; "
                                 f"loss {loss:.4g}.")
        if k > 0 and loss > loss0 + 1e-12 * max(1.0, abs(loss0)):
            return "growing", (f"the loss grew from {loss0:.3g} to {loss:.3g} in {k} steps: each step overshoots "
                               f"the minimum by more than the last, so this run is diverging; lower the learning "
                               f"rate (now {self.lr:g}).")
        if self.zigzag_fraction() > 0.5:
            how = " It zigzags: each step overshoots and comes back, so a smaller learning rate may get there sooner."
        elif self.nearly_there():
            how = " It is nearly there: a few more steps would finish the job."
        elif self.optimizer == "sgd":
            how = " The steps are small: a larger learning rate or more steps would get closer."
        else:
            how = " More steps, or another learning rate, would get closer."
        return "moving", (f"still on its way after {k} steps: at {self._point_text(self.final)}, loss {loss:.4g} "
                          f"(it started at {loss0:.4g}).{how}")

    def __repr__(self):
        return f"<DescentPath {self.optimizer} lr={self.lr:g}: {self.status}, {self.steps_taken} steps>"


def _as_steps(steps) -> int:
    return as_int(steps, "steps", minimum=0, maximum=10**6, example="50")


def _make_optimizer(optimizer, params, lr, kwargs) -> tuple[Optimizer, str]:
    if isinstance(optimizer, str):
        opt = make_optimizer(optimizer, params, lr, **kwargs)
        return opt, type(opt).__name__.lower()
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        return optimizer(params, lr=lr, **kwargs), optimizer.__name__.lower()
    raise TypeError(f"optimizer must be a name ('sgd', 'momentum', 'adam') or an Optimizer class; got {optimizer!r}.")


def _loss_value(f, point) -> float:
    """``f(point)`` as a float, or one clear error if the function returns something else."""
    value = f(point)
    try:
        return float(np.asarray(value, dtype=float).reshape(()))
    except (TypeError, ValueError):
        raise TypeError(f"the function must return a single number (the loss); got {describe(value)}.") from None


def _gradient_value(grad_fn, point, shape) -> np.ndarray:
    """``grad_fn(point)`` as a float array of the point's shape, or one clear error."""
    value = grad_fn(point)
    try:
        return np.asarray(value, dtype=float).reshape(shape)
    except (TypeError, ValueError):
        raise TypeError(f"the gradient must return {int(np.prod(shape))} number(s), one per coordinate; got "
                        f"{describe(value)}.") from None


def descend(function, start=None, *, lr: float = 0.1, steps: int = 50, optimizer="sgd", gradient=None,
            schedule: Schedule | None = None, limit: float = 1e6, tol: float = 1e-3,
            raise_on_divergence: bool = False, **optimizer_kwargs) -> DescentPath:
    """Run an optimizer on a function of a few variables and return the path it took.

    Parameters
    ----------
    function : Landscape, str or callable
        A landscape (or its name), or any ``f(point) -> number`` where ``point`` is an array of shape ``(d,)``.
    start : number or sequence, optional
        Where to start (default: the landscape's ``start``).
    lr, steps : float, int
        Learning rate and number of steps.
    optimizer : str or Optimizer class
        ``"sgd"``, ``"momentum"`` or ``"adam"`` (extra keyword arguments such as ``beta`` go to it).
    gradient : callable, optional
        ``gradient(point) -> array (d,)``; default: the landscape's, or central differences.
    schedule : Schedule, optional
        Learning-rate schedule; ``lr`` is then ignored after the first step (``schedule(t)`` sets it).
    limit : float
        A coordinate whose size passes ``limit`` counts as diverged (long before it overflows to inf).
        Divergence is the package's one definition (:mod:`nbhelpers.divergence`): this coordinate limit, a loss
        or gradient that becomes inf/NaN, or a loss more than 10,000 times its starting size above its best for
        3 steps in a row.
    tol : float
        Distance to a minimum (or gradient size, for a plain function) that counts as "converged".
    raise_on_divergence : bool
        Raise :class:`~nbhelpers.optim.DivergenceError` instead of returning a diverged path.

    Returns
    -------
    DescentPath

    >>> descend("parabola", start=0.0, lr=1.5, steps=50).status
    'diverged'
    """
    landscape = None
    if gradient is not None:
        as_callable(gradient, "gradient", "lambda p: 2 * p")
    if isinstance(function, (Landscape, str)):
        landscape = get_landscape(function)
        f = landscape.value
        grad_fn = gradient or landscape.gradient
        if start is None:
            start = landscape.start
    elif callable(function):
        f = function
        grad_fn = gradient or (lambda p: numerical_gradient(f, p))
        if start is None:
            raise ValueError("descend needs a start point for a plain function, e.g. descend(f, start=[1.0, 2.0]).")
    else:
        raise TypeError(f"function must be a landscape name, a Landscape or a callable f(point); got {function!r}.")
    if gradient is not None:
        as_callable(gradient, "gradient", "lambda p: 2 * p")

    start = as_float_array(start, "start", nonempty=True)
    start = start.reshape(-1) if start.ndim <= 1 else as_float_array(start, "start", shape=(None,))
    if landscape is not None and start.size != landscape.dims:
        raise ValueError(f"the {landscape.name} landscape takes a start of {landscape.dims} number(s); "
                         f"got {start.size}.")
    steps = _as_steps(steps)
    limit = as_scalar(limit, "limit (the coordinate size that counts as diverged)", minimum=0, min_open=True,
                      example="1e6")
    tol = as_scalar(tol, "tol (the distance that counts as arrived)", minimum=0, min_open=True, example="1e-3")
    raise_on_divergence = as_bool(raise_on_divergence, "raise_on_divergence")
    if schedule is not None and not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule such as StepDecay(0.1) or None; got {describe(schedule)}.")
    if np.max(np.abs(start)) >= limit:
        raise ValueError(f"the start {start.tolist()} is already past the limit {limit:g}; start nearer 0 or raise "
                         "the limit.")

    param = Parameter(start.copy())
    opt, name = _make_optimizer(optimizer, [param], lr, optimizer_kwargs)
    # the package's one divergence test (nbhelpers.divergence): the optimizer watches the coordinates (with this
    # function's limit), the watch below the loss
    opt.watch.param_limit, opt.watch.param_name = limit, ("w" if start.size == 1 else "a coordinate")
    opt.watch.what = "gradient descent"
    watch = DivergenceWatch(opt.lr, what="gradient descent")
    with np.errstate(all="ignore"):
        points, losses = [start.copy()], [_loss_value(f, start.copy())]
    if not np.isfinite(losses[0]):
        raise ValueError(f"the loss at the start point {start.tolist()} is {losses[0]}; start somewhere it is finite.")
    watch.check_loss(losses[0], step=0)
    diverged_at, why, evaluations, grad = None, "", 0, np.full(start.shape, np.nan)
    with np.errstate(all="ignore"):  # overflow is detected and reported below, not warned about
        for t in range(1, steps + 1):
            grad = _gradient_value(grad_fn, param.data.copy(), start.shape)
            evaluations += 1
            if schedule is not None:
                opt.lr = schedule(t - 1)
            param.grad = grad
            try:
                opt.step()
                point = param.data.copy()
                loss = _loss_value(f, point)
                watch.check_loss(loss, step=t, lr=opt.lr)
            except DivergenceError as err:
                diverged_at, why = t, err.reason
                break
            points.append(point)
            losses.append(loss)
        last = points[-1]
        final_grad = _gradient_value(grad_fn, last.copy(), start.shape)
        grad_norm = float(np.linalg.norm(final_grad)) if np.all(np.isfinite(final_grad)) else float("inf")
    path = DescentPath(points, losses, lr=opt.lr if schedule is None else schedule.lr0, optimizer=name, steps=steps,
                       diverged_at=diverged_at, divergence=why, tol=tol, landscape=landscape,
                       gradient_evaluations=evaluations, gradient_norm=grad_norm)
    if raise_on_divergence:
        path.raise_if_diverged()
    return path


# ----------------------------------------------------------------------------------------------- line fit

def noisy_line(n_samples: int = 50, slope: float = 2.0, intercept: float = -1.0, noise: float = 0.5,
               random_state: int = 0):
    """Points scattered around the line ``y = slope * x + intercept``: ``(x, y)``, each of shape (n,).

    ``x`` is uniform on [-1, 3]; ``y`` adds Gaussian noise of standard deviation ``noise``.

    >>> x, y = noisy_line(5, random_state=0); x.shape, y.shape
    ((5,), (5,))
    """
    n_samples = as_int(n_samples, "n_samples", minimum=2, maximum=10**7, example="50",
                       hint="A line needs two points.")
    slope = as_scalar(slope, "slope", minimum=-1e100, maximum=1e100, example="2.0")
    intercept = as_scalar(intercept, "intercept", minimum=-1e100, maximum=1e100, example="-1.0")
    noise = as_scalar(noise, "noise (a standard deviation)", minimum=0, maximum=1e100, example="0.5")
    generator = np.random.default_rng(as_seed(random_state, "random_state", allow_none=False, allow_generator=False))
    x = generator.uniform(-1.0, 3.0, size=n_samples)
    y = slope * x + intercept + noise * generator.normal(size=n_samples)
    return x, y


def _xy(x, y):
    x, y = as_float_array(x, "x"), as_float_array(y, "y")
    x = x.reshape(-1) if x.ndim <= 1 else as_float_array(x, "x", shape=(None,))
    y = y.reshape(-1) if y.ndim <= 1 else as_float_array(y, "y", shape=(None,))
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length (one y per x); got {x.size} x values and {y.size} y values.")
    if x.size == 0:
        raise ValueError("x and y are empty; pass at least one point.")
    return x, y


def mse_line(w, b, x, y) -> float:
    """Mean squared error of the line ``w x + b`` on the points: ``mean((w x + b - y)^2)``."""
    x, y = _xy(x, y)
    w, b = as_scalar(w, "w"), as_scalar(b, "b")
    with np.errstate(all="ignore"):
        value = np.mean((w * x + b - y) ** 2)
    return float(finite_result(value, "mse_line: the squared error", "use smaller w, b or data"))


def mse_line_gradient(w, b, x, y) -> np.ndarray:
    """Gradient of :func:`mse_line` with respect to ``(w, b)``, as an array ``[dL/dw, dL/db]``.

    With the error ``e = w x + b - y``: ``dL/dw = mean(2 e x)`` and ``dL/db = mean(2 e)``.

    >>> mse_line_gradient(1.0, 0.0, [1.0, 2.0], [1.0, 3.0]).tolist()
    [-2.0, -1.0]
    """
    x, y = _xy(x, y)
    w, b = as_scalar(w, "w"), as_scalar(b, "b")
    with np.errstate(all="ignore"):
        error = w * x + b - y
        grad = np.array([np.mean(2 * error * x), np.mean(2 * error)])
    return finite_result(grad, "mse_line_gradient: the gradient", "use smaller w, b or data")


def least_squares_line(x, y) -> tuple[float, float]:
    """The best line in closed form: ``w = cov(x, y) / var(x)``, ``b = mean(y) - w mean(x)``.

    >>> least_squares_line([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
    (2.0, 1.0)
    """
    x, y = _xy(x, y)
    with np.errstate(all="ignore"):
        spread = np.mean((x - x.mean()) ** 2)
        if spread == 0:
            raise ValueError("all x values are equal, so no single line fits best; use points with different x.")
        w = float(np.mean((x - x.mean()) * (y - y.mean())) / spread)
        b = float(y.mean() - w * x.mean())
    finite_result([w, b, spread], "least_squares_line: the fit", "use smaller x and y")
    return w, b


def line_fit_landscape(x, y, margin: float = 2.0) -> Landscape:
    """The MSE of the line ``w x + b`` on the points, as a 2-D :class:`Landscape` over ``(w, b)``.

    Its one minimum is the least-squares line; it is drawn ``margin`` around it. Use it with :func:`descend`
    and the contour plots: ``descend(line_fit_landscape(x, y), [0.0, 0.0], lr=0.2)``.
    """
    x, y = _xy(x, y)
    margin = as_scalar(margin, "margin", minimum=0, maximum=1e100, min_open=True, example="2.0")
    w_best, b_best = least_squares_line(x, y)

    def loss(w, b):  # elementwise over arrays of w and b (for contour grids), a mean over the points
        w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
        errors = np.multiply.outer(w, x) + b[..., None] - y
        return np.mean(errors**2, axis=-1)

    def gradient(w, b):
        return tuple(mse_line_gradient(w, b, x, y))

    return Landscape("line_fit", loss, gradient, minima=[[w_best, b_best]],
                     xlim=(w_best - margin, w_best + margin), ylim=(b_best - margin, b_best + margin),
                     start=[0.0, 0.0], formula=r"L(w, b) = \mathrm{mean}((w x + b - y)^2)",
                     description="the mean squared error of the line w x + b on the data")


class LineFit:
    """What :func:`fit_line` returns.

    Attributes: ``w``, ``b`` (final), ``params`` (shape (steps + 1, 2): ``(w, b)`` before each step and at the
    end), ``losses`` (full-data MSE at each of those), ``examples`` (cumulative count of per-example gradient
    evaluations: what the steps cost so far), ``lrs`` (the learning rate of each step), ``batch_size``.
    """

    def __init__(self, params, losses, examples, lrs, batch_size, n_samples):
        self.params = as_float_array(params, "params", shape=(None, 2), hint="One (w, b) row per step.", nonempty=True)
        self.losses = as_float_array(losses, "losses", shape=(len(self.params),), hint="One loss per row of params.")
        examples = as_float_array(examples, "examples", shape=(len(self.params),))
        if np.any(examples < 0) or np.any(examples > 1e15) or np.any(examples != np.round(examples)):
            raise ValueError("examples must be whole counts of gradient evaluations, from 0 up.")
        self.examples = examples.astype(int)
        self.lrs = as_float_array(lrs, "lrs", shape=(len(self.params) - 1,), hint="One learning rate per step.")
        self.n_samples = as_int(n_samples, "n_samples", minimum=1)
        self.batch_size = as_int(batch_size, "batch_size", minimum=1, maximum=self.n_samples)
        self.w, self.b = float(self.params[-1, 0]), float(self.params[-1, 1])

    def __repr__(self):
        return (f"<LineFit batch_size={self.batch_size}: w={self.w:.4f}, b={self.b:.4f}, "
                f"loss {self.losses[-1]:.4f} after {len(self.lrs)} steps>")


def fit_line(x, y, *, lr: float = 0.1, steps: int = 100, batch_size: int | None = None, optimizer="sgd",
             schedule: Schedule | None = None, start=(0.0, 0.0), random_state: int = 0,
             **optimizer_kwargs) -> LineFit:
    """Fit ``y = w x + b`` by gradient descent on the mean squared error.

    ``batch_size=None`` (or ``len(x)``) is batch gradient descent: every step uses every point. A smaller
    ``batch_size`` is mini-batch descent, and ``batch_size=1`` stochastic gradient descent: each epoch the
    points are shuffled (``np.random.default_rng(random_state).permutation``) and taken in consecutive
    batches; the last batch of an epoch may be smaller. Each step costs one gradient evaluation per
    example in its batch; ``LineFit.examples`` adds those up.

    Raises :class:`~nbhelpers.optim.DivergenceError` if the fit diverges, by the package's one definition
    (:mod:`nbhelpers.divergence`).

    >>> x, y = noisy_line(50, random_state=0)
    >>> fit = fit_line(x, y, lr=0.1, steps=500)
    >>> [round(v, 3) for v in (fit.w, fit.b)] == [round(v, 3) for v in least_squares_line(x, y)]
    True
    """
    x, y = _xy(x, y)
    n = x.size
    steps = _as_steps(steps)
    batch_size = n if batch_size is None else as_int(batch_size, "batch_size", minimum=1, maximum=n,
                                                     example=f"{min(n, 10)} (None = all {n} points)")
    start = as_float_array(start, "start", shape=(2,), hint="Start with two numbers, (w, b), e.g. (0.0, 0.0).")
    if schedule is not None and not isinstance(schedule, Schedule):
        raise TypeError(f"schedule must be a Schedule such as StepDecay(0.1) or None; got {describe(schedule)}.")
    param = Parameter(start.copy(), name="(w, b)")
    opt, _ = _make_optimizer(optimizer, [param], lr, optimizer_kwargs)
    opt.watch.what = "the line fit"
    watch = DivergenceWatch(opt.lr, what="the line fit")  # the package's one divergence test, on the loss
    generator = np.random.default_rng(as_seed(random_state, "random_state", allow_none=False, allow_generator=False))
    order, cursor = np.arange(n), n  # cursor = n: shuffle before the first mini-batch
    params, losses, examples, lrs = [start.copy()], [mse_line(*start, x, y)], [0], []
    watch.check_loss(losses[0], step=0)
    with np.errstate(all="ignore"):  # a blow-up is reported as DivergenceError instead
        for t in range(steps):
            if batch_size == n:
                batch = slice(None)
                used = n
            else:
                if cursor >= n:
                    order, cursor = generator.permutation(n), 0
                batch = order[cursor:cursor + batch_size]
                cursor += batch_size
                used = len(batch)
            if schedule is not None:
                opt.lr = schedule(t)
            opt.zero_grad()
            param.grad = mse_line_gradient(param.data[0], param.data[1], x[batch], y[batch])
            opt.step()  # raises DivergenceError if (w, b) became inf/NaN or exploded
            params.append(param.data.copy())
            loss = float(np.mean((param.data[0] * x + param.data[1] - y) ** 2))
            watch.check_loss(loss, step=t + 1, lr=opt.lr)  # inf/NaN, or far above its start for 3 steps
            losses.append(loss)
            examples.append(examples[-1] + used)
            lrs.append(opt.lr)
    return LineFit(params, losses, examples, lrs, batch_size, n)
