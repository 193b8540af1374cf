"""Chapter 5 exercises: computation graphs and automatic differentiation."""

from __future__ import annotations

import math

import numpy as np

from nbhelpers import engine
from nbhelpers.exercises import (
    Case, ChoiceExercise, Diagnosis, Exercise, FunctionExercise, NotAttempted, NotYet, ValueExercise, _short, call,
    is_placeholder, read_number,
)

__all__ = ["predict_reuse", "by_hand", "why_double", "fix_loop", "add_operation", "EXERCISES"]


predict_reuse = ValueExercise(
    "predict the gradient of a + a",
    expected=2.0,
    example="0.5",
    diagnoses={1.0: "1 counts only one of the two uses of a. Nudge a by 0.001: how much does a + a move?",
               0.0: "a does change b: nudge a by 0.001 and see how much a + a moves",
               3.0: "3 is the value of a; the question asks how fast b changes when a changes",
               6.0: "6 is the value of b; the question asks how fast b changes when a changes"},
    remark="b = a + a = 2a, so a small nudge of a moves b twice as far: db/da = 2.",
    hints=[
        "If a grows by a tiny amount, say 0.001, how much does b = a + a grow?",
        "Each of the two uses of a passes a gradient of 1 back to a; the two contributions add up.",
    ],
    solution="answer = 2.0   # b = a + a = 2a, so db/da = 2: one 1 from each use of a",
    mistakes=[("answer = 1.0", "only one of the two uses"), ("answer = 6.0", "the value of b"),
              ("answer = 'two'", "not a number"), ("answer = 4.0", "is not it")],
)


# x = 3, y = -2, w = -1.5;  u = x * y;  v = u + x;  L = v * w
_X, _Y, _W = 3.0, -2.0, -1.5
_BY_HAND = {"x": (_Y + 1.0) * _W, "y": _X * _W, "w": _X * _Y + _X}  # (1.5, -4.5, -3.0)


def _check_by_hand(answer):
    if isinstance(answer, str) and "," in answer:
        answer = [part for part in answer.strip().strip("()[]").split(",")]
    if isinstance(answer, str) or not isinstance(answer, (tuple, list, np.ndarray)) or np.ndim(answer) != 1 \
            or len(answer) != 3:
        raise NotYet("answer with three numbers in a tuple: (dL_dx, dL_dy, dL_dw)")
    got = [read_number(a, f"your {name}") for a, name in zip(answer, ("dL_dx", "dL_dy", "dL_dw"))]
    expected = [_BY_HAND["x"], _BY_HAND["y"], _BY_HAND["w"]]
    wrong = [name for name, g, e in zip("xyw", got, expected) if not math.isclose(g, e, rel_tol=1e-6, abs_tol=1e-9)]
    if not wrong:
        return "dL/dx = 1.5 collects both uses of x (through u and through v), exactly as the engine does."
    if "x" in wrong and math.isclose(got[0], _Y * _W):
        raise NotYet(f"dL/dx = {got[0]:g} counts only the path through u = x*y. x is also used directly in "
                     "v = u + x: add that path's contribution too")
    if "x" in wrong and math.isclose(got[0], _W):
        raise NotYet(f"dL/dx = {got[0]:g} counts only the path through v = u + x. x is also used in u = x*y: "
                     "add that path's contribution (dL/du times du/dx)")
    if "w" in wrong and math.isclose(got[2], _W):
        raise NotYet(f"dL/dw = {got[2]:g} is dL/dv, the gradient of the other factor: L = v*w, so dL/dw is the "
                     "forward value of v")
    parts = {"x": "dL/dx: x reaches L twice, through u = x*y and through v = u + x; add both paths",
             "y": "dL/dy: y reaches L only through u; dL/dy = dL/du * du/dy, and du/dy = x",
             "w": "dL/dw: L = v*w, so dL/dw is the forward value of v"}
    raise NotYet("not yet right: " + "; ".join(parts[n] for n in wrong))


by_hand = Exercise(
    "a graph's gradients by hand",
    checker=_check_by_hand,
    hints=[
        "Go backwards from L. L = v * w, so dL/dv = w = -1.5 and dL/dw = v. Compute v in a forward pass first.",
        "v = u + x, so dL/du = dL/dv * 1, and x gets dL/dv * 1 from this use. u = x * y, so dL/dy = dL/du * x.",
        "x is used twice: dL/dx = (dL/du * y) + (dL/dv * 1). Add the two contributions.",
    ],
    solution="""
        x, y, w = 3.0, -2.0, -1.5
        u = x * y                      # -6
        v = u + x                      # -3
        dL_dv = w                      # L = v * w
        dL_dw = v
        dL_du = dL_dv * 1.0            # v = u + x
        dL_dy = dL_du * x              # u = x * y
        dL_dx = dL_du * y + dL_dv * 1.0  # x is used twice: add both paths
        answer = (dL_dx, dL_dy, dL_dw)   # (1.5, -4.5, -3.0)
    """,
    mistakes=[
        ("answer = (-2.0 * -1.5, 3.0 * -1.5, -3.0)", "only the path through u"),
        ("answer = (-1.5, -4.5, -3.0)", "only the path through v"),
        ("answer = (1.5, -4.5, -1.5)", "is dL/dv"),
        ("answer = (1.5, -4.5)", "three numbers"),
        ("answer = (1.5, 4.5, -3.0)", "y reaches L only through u"),
    ],
)

why_double = ChoiceExercise(
    "why the gradient doubles",
    options=["a", "b", "c", "d"],
    correct="b",
    explanations={
        "a": "the engine is right: run it on a fresh w and one backward() call gives the correct gradient.",
        "b": "backward() adds into the gradients of the leaves (the values you created), so a second call "
             "adds the same amount again. Reset them (w.grad = 0.0, or model.zero_grad()) before each backward pass.",
        "c": "the loss is the same number both times: the forward pass was not repeated.",
        "d": "calling backward() twice is allowed (PyTorch allows it with retain_graph=True); each call simply adds "
             "to the leaves' gradients.",
    },
    hints=[
        "Print w.grad before the first call, between the calls and after the second. What does each call do to it?",
        "Look at the line `parent.grad += local * g` for a leaf: it adds, and nothing ever resets a leaf.",
    ],
    solution='answer = "b"   # leaves accumulate; reset them with zero_grad() before each backward pass',
    mistakes=[('answer = "a"', "the engine is right"), ('answer = "d"', "is allowed"),
              ('answer = "c"', "the loss is the same")],
)


def train(w0, steps, lr):
    """Reference: gradient descent on L = (3w - 6)^2 with the scalar engine, resetting the gradient each step."""
    w = engine.Value(w0)
    for _ in range(steps):
        loss = (w * 3.0 - 6.0) ** 2
        w.grad = 0.0  # forget the previous step's gradient
        loss.backward()
        w.data -= lr * w.grad
    return w.data


def _train_no_reset(w0, steps, lr):
    w = engine.Value(w0)
    for _ in range(steps):
        loss = (w * 3.0 - 6.0) ** 2
        loss.backward()
        w.data -= lr * w.grad
    return w.data


def _train_reset_late(w0, steps, lr):
    return float(w0)  # w.grad reset between backward() and the update: every step moves w by 0


#: The loop exactly as chapter 5 gives it (it uses the package's engine, imported there as ``engine``).
FIX_LOOP_STARTER = """
def train(w0, steps, lr):
    w = engine.Value(w0)
    for _ in range(steps):
        loss = (w * 3.0 - 6.0) ** 2
        loss.backward()
        w.data -= lr * w.grad
    return w.data
"""

fix_loop = FunctionExercise(
    "fix the training loop",
    reference=train,
    cases=[
        Case(0.0, 3, 0.02, note="three steps from w = 0"),
        Case(5.0, 8, 0.01),
        Case(-1.0, 1, 0.05, note="a single step: the gradient of the first pass only"),
    ],
    rtol=1e-9,
    diagnoses=[
        Diagnosis(_train_no_reset, "the gradient still piles up: each loss.backward() adds this step's gradient to "
                                   "what w.grad already holds, so reset w.grad in every step, before backward()"),
        Diagnosis(_train_reset_late, "w never moves: the reset comes after loss.backward(), so it wipes this step's "
                                     "gradient just before the update uses it. Reset before backward()"),
    ],
    hints=[
        "Print w.grad after loss.backward() in each step: does it hold this step's gradient only?",
        "Before each loss.backward(), set w.grad = 0.0 (for a model: model.zero_grad()).",
    ],
    context={"engine": engine},
    starter=FIX_LOOP_STARTER,
    solution="""
        def train(w0, steps, lr):
            w = engine.Value(w0)
            for _ in range(steps):
                loss = (w * 3.0 - 6.0) ** 2
                w.grad = 0.0          # forget the previous step's gradient
                loss.backward()
                w.data -= lr * w.grad
            return w.data
    """,
    mistakes=[
        (FIX_LOOP_STARTER.replace("    w = engine", "    w = engine").replace("return w.data", "return w.data + 0.0"),
         "still piles up"),
        ("""
        def train(w0, steps, lr):
            w = engine.Value(w0)
            for _ in range(steps):
                loss = (w * 3.0 - 6.0) ** 2
                loss.backward()
                w.grad = 0.0
                w.data -= lr * w.grad
            return w.data
        """, "never moves"),
    ],
)


_POINTS = (-2.0, -0.4, 0.3, 1.7)


class _ChapterValue:
    """The chapter's own first ``Value`` (what a learner's ``sin`` builds in the notebook), for the tests to run
    the solution and the mistakes with: it stores what it is given, as the chapter's class does."""

    def __init__(self, data, _prev=(), _local=(), _op="", label=""):
        self.data = float(data)
        self.grad = 0.0
        self._prev, self._local, self._op, self.label = _prev, _local, _op, label


def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_operation(answer):
    if not callable(answer):
        raise NotYet("pass your function itself, without parentheses: .check(sin)")
    for x0 in _POINTS:
        x = engine.Value(x0)
        try:
            out = call(answer, x, where=f"for sin(Value({x0:g}))", copy_inputs=False)  # x is made fresh here
        except NotYet as err:
            if "has no len()" in str(err) or "is not iterable" in str(err):  # a Value that checks its arguments
                raise NotYet(f"{err} Are _prev and _local tuples? Even for one input they need a trailing comma: "
                             "(self,) and (math.cos(self.data),); (x) is just x in brackets") from None
            raise
        if is_placeholder(out):
            raise NotAttempted()
        if _is_number(out):
            raise NotYet(f"sin should return a new Value, so that the graph records it; for x = {x0:g} it returned "
                         "a plain number. Wrap the result: Value(forward, (self,), (local,), 'sin')")
        if not all(hasattr(out, name) for name in ("data", "_prev", "_local")):
            raise NotYet(f"sin should return a new Value (with data, _prev and _local); got {_short(out)}")
        if not _is_number(out.data) or not math.isclose(float(out.data), math.sin(x0), rel_tol=1e-9, abs_tol=1e-12):
            raise NotYet(f"the forward value for x = {x0:g} is {_short(out.data)}, but it should be sin({x0:g}): "
                         "compute math.sin(self.data)")
        if _is_number(out._prev) or hasattr(out._prev, "data"):
            raise NotYet("_prev must be a tuple of inputs, even for one input: write (self,) with a trailing comma; "
                         "(self) is just self in brackets")
        if _is_number(out._local):
            raise NotYet("_local must be a tuple of local derivatives, one per input, even for one input: write "
                         "(math.cos(self.data),) with a trailing comma; (math.cos(self.data)) is just a number in "
                         "brackets")
        inputs = list(out._prev)
        local = list(out._local)
        if not any(p is x for p in inputs):
            raise NotYet("the result does not record its input: give the new Value _prev=(self,), or backward() "
                         "can never reach x")
        if len(inputs) != len(local):
            raise NotYet(f"the result has {len(inputs)} input(s) but {len(local)} local derivative(s): give "
                         "one local derivative per input")
        if not all(_is_number(d) for d in local):
            raise NotYet("each local derivative should be a plain number, such as math.cos(self.data)")
        derivative = float(sum(d for p, d in zip(inputs, local) if p is x))
        slope = math.cos(x0)
        if math.isclose(derivative, -slope, rel_tol=1e-6):
            raise NotYet(f"at x = {x0:g} your local derivative has the wrong sign (compare it with the numerical "
                         "slope (sin(x+h) - sin(x-h)) / 2h)")
        if math.isclose(derivative, math.sin(x0), rel_tol=1e-6):
            raise NotYet("your local derivative is sin(x) itself, the forward value; the derivative of sin is "
                         "another function")
        if not math.isclose(derivative, slope, rel_tol=1e-5, abs_tol=1e-7):
            h = 1e-6
            numerical = (math.sin(x0 + h) - math.sin(x0 - h)) / (2 * h)
            raise NotYet(f"at x = {x0:g} your local derivative is {derivative:.6g}, but the numerical derivative "
                         f"(sin(x+h) - sin(x-h)) / 2h is {numerical:.6g}. What is the derivative of sin?")
    return f"forward values and local derivatives match sin and its numerical slope at x = {list(_POINTS)}."


add_operation = Exercise(
    "add an operation to Value",
    checker=_check_operation,
    answer_name="sin",
    kind="function",
    hints=[
        "Copy the shape of tanh above: compute the forward value, then return a new Value with its input and its "
        "local derivative.",
        "Return Value(forward, (self,), (local,), 'sin'), with the trailing commas: both are tuples.",
        "The derivative of sin(x) is cos(x): the local derivative is math.cos(self.data).",
    ],
    # the notebook's own Value (the one the learner is building) and math
    context={"Value": _ChapterValue, "math": math},
    solution="""
        def sin(self):
            s = math.sin(self.data)
            return Value(s, (self,), (math.cos(self.data),), "sin")  # d(sin x)/dx = cos x
    """,
    mistakes=[
        ("def sin(self):\n    return Value(math.sin(self.data), (self,), (-math.cos(self.data),), 'sin')",
         "wrong sign"),
        ("def sin(self):\n    return Value(math.sin(self.data), (), (), 'sin')", "does not record its input"),
        ("def sin(self):\n    return Value(math.sin(self.data), (self,), (math.sin(self.data),), 'sin')",
         "sin(x) itself"),
        ("def sin(self):\n    return math.sin(self.data)", "plain number"),
        ("def sin(self):\n    return Value(math.sin(self.data), (self,), (math.cos(self.data)), 'sin')",
         "trailing comma; (math.cos"),
        ("def sin(self):\n    return Value(math.sin(self.data), (self), (math.cos(self.data),), 'sin')",
         "(self) is just self"),
        ("def sin(self):\n    return Value(math.sin(self), (self,), (math.cos(self),), 'sin')", "use its .data"),
    ],
)

EXERCISES = [predict_reuse, by_hand, why_double, fix_loop, add_operation]
