"""Chapter 3 exercises: gradient descent."""

from __future__ import annotations

import numpy as np

from nbhelpers.descent import descend, get_landscape, mse_line_gradient
from nbhelpers.exercises import (
    Case, ChoiceExercise, Diagnosis, Exercise, FunctionExercise, NotYet, ValueExercise, read_number,
)

__all__ = ["one_step", "mse_gradient", "find_learning_rate", "predict_divergence", "EXERCISES"]


def _number(answer, what: str) -> float:
    """The learner's answer as a float, by the course's number policy."""
    return read_number(answer, "your answer", example=what)


# --------------------------------------------------------------------------------------- one step by hand

_W0, _LR0 = 1.0, 0.1  # L(w) = (w - 3)^2 at w = 1: dL/dw = 2 (1 - 3) = -4, so w <- 1 - 0.1 * (-4) = 1.4
_GRAD0 = 2 * (_W0 - 3.0)
_STEP_ANSWER = _W0 - _LR0 * _GRAD0

one_step = ValueExercise(
    "one update step by hand",
    expected=_STEP_ANSWER,
    example="0.5",
    what="your new w",
    diagnoses={
        _W0 + _LR0 * _GRAD0: "that moves w uphill, away from the minimum at 3: the update *subtracts* the learning "
                             "rate times the gradient",
        _W0 - _GRAD0: "that is a step of the full gradient: multiply the gradient by the learning rate (0.1) "
                      "before you subtract it",
        _W0 - _LR0 * (_W0 - 3.0): "that uses w - 3 as the slope; the derivative of (w - 3)^2 has one more factor",
        _GRAD0: "that is the gradient itself, not the new w: new w = old w - lr * gradient",
        _LR0 * _GRAD0: "that is the step lr * gradient, not the new w: new w = old w - lr * gradient",
    },
    remark="w = 1 - 0.1 * (-4) = 1.4: the gradient is negative, so the step goes to larger w, towards 3.",
    hints=[
        "The update rule is  w_new = w - learning_rate * dL/dw.",
        "For L(w) = (w - 3)^2 the slope is dL/dw = 2 (w - 3); work it out at w = 1.",
        "dL/dw = 2 * (1 - 3) = -4, so w_new = 1 - 0.1 * (-4).",
    ],
    solution="""
        w, lr = 1.0, 0.1
        gradient = 2 * (w - 3)        # the slope of (w - 3)^2 at w = 1: -4
        answer = w - lr * gradient    # 1 - 0.1 * (-4) = 1.4
    """,
    mistakes=[
        ("answer = 1.0 + 0.1 * (2 * (1.0 - 3))   # 0.6: added the gradient, moving uphill", "uphill"),
        ("answer = 1.0 - 2 * (1.0 - 3)           # 5.0: forgot the learning rate", "full gradient"),
        ("answer = 1.0 - 0.1 * (1.0 - 3)         # 1.2: forgot the 2 of the derivative", "w - 3 as the slope"),
        ("answer = 0.1 * 2 * (1.0 - 3)           # -0.4: the step, not the new w", "the step lr"),
        ("answer = -4.0", "the gradient itself"),
        ("answer = 2.0", "is not it"),
    ],
)


# --------------------------------------------------------------------------------------- gradient of MSE

def _mse_gradient_reference(w, b, x, y):
    """Reference: the gradient of mean((w x + b - y)^2) with respect to (w, b), as [dL/dw, dL/db]."""
    return mse_line_gradient(w, b, x, y)


_rng = np.random.default_rng(3)
_x_case = np.round(_rng.uniform(-1, 3, size=6), 2)
_y_case = np.round(2 * _x_case - 1 + _rng.normal(scale=0.5, size=6), 2)

def _mse_forgot_two(w, b, x, y):
    e = w * x + b - y
    return np.array([np.mean(e * x), np.mean(e)])


def _mse_sum(w, b, x, y):
    e = w * x + b - y
    return np.array([np.sum(2 * e * x), np.sum(2 * e)])


def _mse_no_x(w, b, x, y):
    e = w * x + b - y
    return np.array([np.mean(2 * e), np.mean(2 * e)])


mse_gradient = FunctionExercise(
    "the gradient of the mean squared error",
    reference=_mse_gradient_reference,
    answer_name="my_mse_gradient",
    cases=[
        Case(1.0, 0.0, np.array([1.0, 2.0]), np.array([1.0, 3.0]), note="two points"),
        Case(0.5, 1.0, _x_case, _y_case, note="six noisy points"),
        Case(2.0, -1.0, np.array([0.0, 1.0, 2.0]), np.array([-1.0, 1.0, 3.0]),
             note="the line passes through every point, so the loss is at its minimum and the gradient is zero"),
        Case(-1.0, 2.0, _x_case[:3], _y_case[:3], note="a line far from the points"),
    ],
    diagnoses=[
        Diagnosis(_mse_forgot_two,
                  "your gradient points the right way but is half as long as it should be: the derivative of "
                  "error^2 is 2 error (times the error's own derivative). The factor 2 is missing"),
        Diagnosis(_mse_sum,
                  "your gradient points the right way but grows with the number of points: the loss is the *mean* "
                  "of the squared errors, so average over the points (np.mean) instead of adding up (np.sum)"),
        Diagnosis(lambda w, b, x, y: -_mse_gradient_reference(w, b, x, y),
                  "your gradient has the wrong sign, it points uphill: with the error taken as y - (w x + b), its "
                  "derivative brings a minus sign. Take the error as prediction minus target, w * x + b - y"),
        Diagnosis(_mse_no_x,
                  "your dL/dw equals your dL/db: the error depends on w through w * x, so each point's part of "
                  "dL/dw has an extra factor x (the chain rule's inner derivative)"),
    ],
    hints=[
        "Start from the error of each point, e = w * x + b - y (an array). The loss is np.mean(e ** 2).",
        "By the chain rule, d(e^2)/dw = 2 e * x and d(e^2)/db = 2 e. Average each over the points.",
        "return np.array([np.mean(2 * e * x), np.mean(2 * e)])",
    ],
    solution="""
        def my_mse_gradient(w, b, x, y):
            error = w * x + b - y                 # one error per point
            dL_dw = np.mean(2 * error * x)        # d(error^2)/dw = 2 error x, averaged
            dL_db = np.mean(2 * error)            # d(error^2)/db = 2 error, averaged
            return np.array([dL_dw, dL_db])
    """,
    mistakes=[
        ("def my_mse_gradient(w, b, x, y):\n    e = w * x + b - y\n    return np.array([np.mean(e * x), np.mean(e)])",
         "factor 2 is missing"),
        ("def my_mse_gradient(w, b, x, y):\n    e = w * x + b - y\n"
         "    return np.array([np.sum(2 * e * x), np.sum(2 * e)])", "np.mean"),
        ("def my_mse_gradient(w, b, x, y):\n    e = y - (w * x + b)\n"
         "    return np.array([np.mean(2 * e * x), np.mean(2 * e)])", "wrong sign"),
        ("def my_mse_gradient(w, b, x, y):\n    e = w * x + b - y\n    return np.array([np.mean(2 * e), np.mean(2 * e)])",
         "extra factor x"),
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
    context={"descend": descend},
    solution="""
        for lr in [0.01, 0.05, 0.1, 0.15, 0.2, 0.3]:          # try a few, read what happened
            print(lr, descend("ellipse", lr=lr, steps=50, tol=0.01).status)
        answer = 2 / 11   # about 0.18: shrinks x by 1 - lr and y by |1 - 10 lr| equally fast
    """,
    mistakes=[("answer = 0.05", "steps are too short"), ("answer = 0.3", "diverges"),
              ("answer = 0.199", "zigzags"), ("answer = -0.15", "must be positive")],
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
        0.4: "0.4 does overshoot (the factor 1 - 4 * 0.4 is negative, so w flips sides), but the factor's size is "
             "below 1, so the distance still shrinks each step: it zigzags in and converges.",
        0.1: "0.1 is the safest of the three: the factor 1 - 4 * 0.1 is positive and below 1, so it shrinks the "
             "distance without overshooting.",
    },
    hints=[
        "For L(w) = 2 w^2 the gradient is 4 w, so one step gives w_new = w - lr * 4 w = (1 - 4 lr) w.",
        "The run diverges when the factor (1 - 4 lr) is larger than 1 in size. Work the factor out for each rate.",
        "|1 - 4 lr| > 1 means lr > 0.5: only one of the three rates is that large.",
    ],
    solution="answer = 0.6   # w_new = (1 - 4 * 0.6) w = -1.4 w: each step lands farther from 0",
    mistakes=[("answer = 0.4", "zigzags in"), ("answer = 0.1", "safest"), ("answer = 0.5", "not one of the choices")],
)

EXERCISES = [one_step, mse_gradient, find_learning_rate, predict_divergence]
