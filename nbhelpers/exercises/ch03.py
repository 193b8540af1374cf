"""Chapter 3 exercises: gradient descent."""

from __future__ import annotations

import numpy as np

from nbhelpers.descent import descend, get_landscape, mse_line_gradient
from nbhelpers.exercises import Case, ChoiceExercise, Exercise, FunctionExercise, NotYet, _short

__all__ = ["one_step", "mse_gradient", "find_learning_rate", "predict_divergence", "EXERCISES"]


def _number(answer, what: str) -> float:
    """The learner's answer as a float, or a kind NotYet."""
    if isinstance(answer, (bool, np.bool_, str)):
        raise NotYet(f"answer with one number ({what}); got {_short(answer)}.")
    if answer is None:
        raise NotYet("your answer is None: did you forget to assign the number?")
    try:
        value = float(np.asarray(answer, dtype=float).item())
    except (TypeError, ValueError):
        raise NotYet(f"answer with one number ({what}); got {_short(answer)}.") from None
    if not np.isfinite(value):
        raise NotYet(f"your answer is {value}; {what} is an ordinary finite number.")
    return value


# --------------------------------------------------------------------------------------- one step by hand

_W0, _LR0 = 1.0, 0.1  # L(w) = (w - 3)^2 at w = 1: dL/dw = 2 (1 - 3) = -4, so w <- 1 - 0.1 * (-4) = 1.4
_GRAD0 = 2 * (_W0 - 3.0)
_STEP_ANSWER = _W0 - _LR0 * _GRAD0


def _check_one_step(answer):
    value = _number(answer, "the new value of w")
    if np.isclose(value, _STEP_ANSWER, atol=1e-6):
        return "w = 1 - 0.1 * (-4) = 1.4: the gradient is negative, so the step goes to larger w, towards 3."
    if np.isclose(value, _W0 + _LR0 * _GRAD0, atol=1e-6):
        raise NotYet(f"{value:g} moves w uphill, away from the minimum at 3: the update *subtracts* the learning "
                     "rate times the gradient.")
    if np.isclose(value, _W0 - _GRAD0, atol=1e-6):
        raise NotYet(f"{value:g} is a step of the full gradient: multiply the gradient by the learning rate "
                     "(0.1) before you subtract it.")
    if np.isclose(value, _W0 - _LR0 * (_W0 - 3.0), atol=1e-6):
        raise NotYet(f"{value:g} uses w - 3 as the slope; the derivative of (w - 3)^2 is 2 (w - 3).")
    if np.isclose(value, _GRAD0, atol=1e-6) or np.isclose(value, _LR0 * _GRAD0, atol=1e-6):
        raise NotYet(f"{value:g} is the gradient (or the step), not the new w: new w = old w - lr * gradient.")
    raise NotYet(f"{value:g} is not the new w. First compute the slope dL/dw = 2 (w - 3) at w = 1.")


one_step = Exercise(
    "one update step by hand",
    checker=_check_one_step,
    hints=[
        "The update rule is  w_new = w - learning_rate * dL/dw.",
        "For L(w) = (w - 3)^2 the slope is dL/dw = 2 (w - 3); at w = 1 that is 2 * (1 - 3) = -4.",
        "w_new = 1 - 0.1 * (-4).",
    ],
    solution="""
        w, lr = 1.0, 0.1
        gradient = 2 * (w - 3)        # the slope of (w - 3)^2 at w = 1: -4
        answer = w - lr * gradient    # 1 - 0.1 * (-4) = 1.4
    """,
    mistakes=[
        "answer = 1.0 + 0.1 * (2 * (1.0 - 3))   # 0.6: added the gradient, moving uphill",
        "answer = 1.0 - 2 * (1.0 - 3)           # 5.0: forgot the learning rate",
        "answer = 1.0 - 0.1 * (1.0 - 3)         # 1.2: forgot the 2 of the derivative",
        "answer = 0.1 * 2 * (1.0 - 3)           # -0.4: the step, not the new w",
    ],
)


# --------------------------------------------------------------------------------------- gradient of MSE

def _mse_gradient_reference(w, b, x, y):
    """Reference: the gradient of mean((w x + b - y)^2) with respect to (w, b), as [dL/dw, dL/db]."""
    return mse_line_gradient(w, b, x, y)


_rng = np.random.default_rng(3)
_x_case = np.round(_rng.uniform(-1, 3, size=6), 2)
_y_case = np.round(2 * _x_case - 1 + _rng.normal(scale=0.5, size=6), 2)

mse_gradient = FunctionExercise(
    "the gradient of the mean squared error",
    reference=_mse_gradient_reference,
    answer_name="mse_gradient",
    cases=[
        Case(1.0, 0.0, np.array([1.0, 2.0]), np.array([1.0, 3.0]), note="two points; the answer is [-2, -1]"),
        Case(0.5, 1.0, _x_case, _y_case, note="six noisy points"),
        Case(2.0, -1.0, np.array([0.0, 1.0, 2.0]), np.array([-1.0, 1.0, 3.0]),
             note="the line passes through every point, so the loss is at its minimum and the gradient is zero"),
        Case(-1.0, 2.0, _x_case[:3], _y_case[:3], note="a line far from the points"),
    ],
    hints=[
        "Start from the error of each point, e = w * x + b - y (an array). The loss is np.mean(e ** 2).",
        "By the chain rule, d(e^2)/dw = 2 e * x and d(e^2)/db = 2 e. Average each over the points.",
        "return np.array([np.mean(2 * e * x), np.mean(2 * e)])",
    ],
    solution="""
        def mse_gradient(w, b, x, y):
            error = w * x + b - y                 # one error per point
            dL_dw = np.mean(2 * error * x)        # d(error^2)/dw = 2 error x, averaged
            dL_db = np.mean(2 * error)            # d(error^2)/db = 2 error, averaged
            return np.array([dL_dw, dL_db])
    """,
    mistakes=[
        # forgot the factor 2 from the derivative of the square
        "def mse_gradient(w, b, x, y):\n    e = w * x + b - y\n    return np.array([np.mean(e * x), np.mean(e)])",
        # summed instead of averaged: right direction, n times too long
        "def mse_gradient(w, b, x, y):\n    e = w * x + b - y\n    return np.array([np.sum(2 * e * x), np.sum(2 * e)])",
        # error the other way round: the gradient points the wrong way
        "def mse_gradient(w, b, x, y):\n    e = y - (w * x + b)\n    return np.array([np.mean(2 * e * x), np.mean(2 * e)])",
        # forgot the inner derivative x for w
        "def mse_gradient(w, b, x, y):\n    e = w * x + b - y\n    return np.array([np.mean(2 * e), np.mean(2 * e)])",
    ],
)


# --------------------------------------------------------------------------------------- find a learning rate

FIND_LR_LANDSCAPE = "ellipse"
FIND_LR_START = (-5.0, 1.5)
FIND_LR_STEPS = 50
FIND_LR_TOL = 0.01


def _check_learning_rate(answer):
    lr = _number(answer, "a learning rate such as 0.05")
    if lr <= 0:
        raise NotYet(f"a learning rate must be positive (the step goes *against* the gradient by lr times it); "
                     f"got {lr:g}.")
    path = descend(FIND_LR_LANDSCAPE, FIND_LR_START, lr=lr, steps=FIND_LR_STEPS, tol=FIND_LR_TOL)
    if path.status == "converged":
        return (f"with lr = {lr:g}, gradient descent is within {FIND_LR_TOL:g} of the minimum from step "
                f"{path.converged_at} on (of {FIND_LR_STEPS}). Any rate from about 0.12 to 0.19 works here.")
    if path.status in ("diverged", "growing"):
        raise NotYet(f"with lr = {lr:g} the run diverges: the steep direction (y, curvature 10) is unstable for any "
                     "learning rate above 2 / 10 = 0.2. Try a smaller one.")
    x, y = path.final
    if abs(x) >= abs(y):
        raise NotYet(f"with lr = {lr:g}, after {FIND_LR_STEPS} steps it is still at ({x:.3g}, {y:.3g}), "
                     f"{np.hypot(x, y):.3g} from the minimum: along the flat direction (x) the steps are too short. "
                     "Try a larger learning rate.")
    raise NotYet(f"with lr = {lr:g}, after {FIND_LR_STEPS} steps it is still at ({x:.3g}, {y:.3g}): it zigzags "
                 "across the steep direction (y), overshooting almost as far as it came. Try a slightly smaller "
                 "learning rate.")


find_learning_rate = Exercise(
    "find a learning rate that converges in 50 steps",
    checker=_check_learning_rate,
    hints=[
        ("Try a few values with descend('ellipse', lr=..., steps=50, tol=0.01) and read .message; 0.01 crawls "
         "and 0.3 blows up, so the answer is in between."),
        ("Each step multiplies x by (1 - lr) and y by (1 - 10 lr). Both factors must be well below 1 in size: "
         "lr large enough for x, but 10 lr not much above 1 for y."),
        "The best rate makes the two factors equally small: 1 - lr = -(1 - 10 lr), so lr = 2 / 11, about 0.18.",
    ],
    solution="""
        from nbhelpers.descent import descend

        for lr in [0.01, 0.05, 0.1, 0.15, 0.2, 0.3]:          # try a few, read what happened
            print(lr, descend("ellipse", lr=lr, steps=50, tol=0.01).status)
        answer = 2 / 11   # about 0.18: shrinks x by 1 - lr and y by |1 - 10 lr| equally fast
    """,
    mistakes=["answer = 0.05", "answer = 0.3", "answer = 0.199", "answer = -0.15"],
)
find_learning_rate.landscape = get_landscape(FIND_LR_LANDSCAPE)


# --------------------------------------------------------------------------------------- predict divergence

predict_divergence = ChoiceExercise(
    "which learning rate diverges?",
    options=[0.1, 0.4, 0.6],
    correct=0.6,
    explanations={
        0.6: "each step multiplies the distance to the minimum by 1 - 4 * 0.6 = -1.4: it overshoots to the other "
             "side and lands farther away every time.",
        0.4: "0.4 does overshoot (the factor is 1 - 4 * 0.4 = -0.6, so w flips sides), but the distance still "
             "shrinks to 0.6 of itself each step: it zigzags in and converges.",
        0.1: "0.1 is the safest of the three: the factor 1 - 4 * 0.1 = 0.6 shrinks the distance without "
             "overshooting.",
    },
    hints=[
        "For L(w) = 2 w^2 the gradient is 4 w, so one step gives w_new = w - lr * 4 w = (1 - 4 lr) w.",
        "The run diverges when the factor (1 - 4 lr) is larger than 1 in size, i.e. when lr > 0.5.",
    ],
    solution="answer = 0.6   # w_new = (1 - 4 * 0.6) w = -1.4 w: each step lands farther from 0",
    mistakes=["answer = 0.4", "answer = 0.1", "answer = 0.5"],
)

EXERCISES = [one_step, mse_gradient, find_learning_rate, predict_divergence]
