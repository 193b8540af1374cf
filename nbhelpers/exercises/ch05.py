"""Chapter 5 exercises: computation graphs and automatic differentiation."""

from __future__ import annotations

import math

from nbhelpers.engine import Value
from nbhelpers.exercises import (
    Case,
    ChoiceExercise,
    Exercise,
    FunctionExercise,
    NotYet,
    is_placeholder,
    NotAttempted,
)

__all__ = ["predict_reuse", "by_hand", "why_double", "fix_loop", "add_operation", "EXERCISES"]


def _check_reuse(answer):
    try:
        got = float(answer)
    except (TypeError, ValueError):
        raise NotYet(f"answer with one number, the gradient da; got {answer!r}.") from None
    if math.isclose(got, 2.0):
        return "b = a + a = 2a, so a small nudge of a moves b twice as far: db/da = 2."
    if math.isclose(got, 1.0):
        raise NotYet("1 counts only one of the two uses of a. Nudge a by 0.001: how much does a + a move?")
    raise NotYet(f"{got:g} is not it: b = a + a = 2a. If a grows by 0.001, how much does b grow?")


predict_reuse = Exercise(
    "predict the gradient of a + a",
    checker=_check_reuse,
    hints=[
        "b = a + a is the same as b = 2a. If a grows by a tiny amount, how much does b grow?",
        "Each of the two uses of a passes a gradient of 1 back to a; the two contributions add up.",
    ],
    solution="answer = 2.0   # b = a + a = 2a, so db/da = 2: one 1 from each use of a",
    mistakes=["answer = 1.0", "answer = 6.0", "answer = 'two'"],
)


# x = 3, y = -2, w = -1.5;  u = x * y;  v = u + x;  L = v * w
_X, _Y, _W = 3.0, -2.0, -1.5
_BY_HAND = {"x": (_Y + 1.0) * _W, "y": _X * _W, "w": _X * _Y + _X}  # (1.5, -4.5, -3.0)


def _check_by_hand(answer):
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise NotYet("answer with three numbers in a tuple: (dL_dx, dL_dy, dL_dw).")
    try:
        got = [float(a) for a in answer]
    except (TypeError, ValueError):
        raise NotYet(f"the three gradients should be plain numbers; got {answer!r}.") from None
    expected = [_BY_HAND["x"], _BY_HAND["y"], _BY_HAND["w"]]
    wrong = [name for name, g, e in zip("xyw", got, expected) if not math.isclose(g, e, rel_tol=1e-6, abs_tol=1e-9)]
    if not wrong:
        return "dL/dx = 1.5 collects both uses of x (through u and through v), exactly as the engine does."
    if "x" in wrong and math.isclose(got[0], _Y * _W):
        raise NotYet(f"dL/dx = {got[0]:g} counts only the path through u = x*y. x is also used directly in "
                     "v = u + x: add that path's contribution too.")
    if "x" in wrong and math.isclose(got[0], _W):
        raise NotYet(f"dL/dx = {got[0]:g} counts only the path through v = u + x. x is also used in u = x*y: "
                     "add that path's contribution (dL/du times du/dx).")
    parts = {"x": "dL/dx: x reaches L twice, through u = x*y and through v = u + x; add both paths",
             "y": "dL/dy: y reaches L only through u; dL/dy = dL/du * du/dy, and du/dy = x",
             "w": "dL/dw: L = v*w, so dL/dw is the forward value of v"}
    raise NotYet("not yet right: " + "; ".join(parts[n] for n in wrong) + ".")


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
        "answer = (-2.0 * -1.5, 3.0 * -1.5, -3.0)",  # only the path through u
        "answer = (-1.5, -4.5, -3.0)",  # only the path through v
        "answer = (1.5, -4.5, -1.5)",  # dL/dw mixed up with dL/dv
        "answer = (1.5, -4.5)",
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
    mistakes=['answer = "a"', 'answer = "d"'],
)


def train(w0, steps, lr):
    """Reference: gradient descent on L = (3w - 6)^2 with the scalar engine, resetting the gradient each step."""
    w = Value(w0)
    for _ in range(steps):
        loss = (w * 3.0 - 6.0) ** 2
        w.grad = 0.0  # forget the previous step's gradient
        loss.backward()
        w.data -= lr * w.grad
    return w.data


fix_loop = FunctionExercise(
    "fix the training loop",
    reference=train,
    cases=[
        Case(0.0, 3, 0.02, note="three steps from w = 0"),
        Case(5.0, 8, 0.01),
        Case(-1.0, 1, 0.05, note="a single step: the gradient of the first pass only"),
    ],
    rtol=1e-9,
    hints=[
        "Print w.grad after loss.backward() in each step: does it hold this step's gradient only?",
        "Before each loss.backward(), set w.grad = 0.0 (for a model: model.zero_grad()).",
    ],
    solution="""
        from nbhelpers.engine import Value

        def train(w0, steps, lr):
            w = Value(w0)
            for _ in range(steps):
                loss = (w * 3.0 - 6.0) ** 2
                w.grad = 0.0          # forget the previous step's gradient
                loss.backward()
                w.data -= lr * w.grad
            return w.data
    """,
    mistakes=[
        """
        from nbhelpers.engine import Value

        def train(w0, steps, lr):
            w = Value(w0)
            for _ in range(steps):
                loss = (w * 3.0 - 6.0) ** 2
                loss.backward()
                w.data -= lr * w.grad
            return w.data
        """,
        """
        from nbhelpers.engine import Value

        def train(w0, steps, lr):
            w = Value(w0)
            for _ in range(steps):
                loss = (w * 3.0 - 6.0) ** 2
                loss.backward()
                w.grad = 0.0
                w.data -= lr * w.grad
            return w.data
        """,
    ],
)


_POINTS = (-2.0, -0.4, 0.3, 1.7)


def _check_operation(answer):
    if not callable(answer):
        raise NotYet("pass your function itself, without parentheses: .check(sin).")
    for x0 in _POINTS:
        x = Value(x0)
        try:
            out = answer(x)
        except NotImplementedError:
            raise NotAttempted() from None
        except Exception as err:
            raise NotYet(f"sin(Value({x0:g})) raised {type(err).__name__}: {err}.") from None
        if is_placeholder(out):
            raise NotAttempted()
        if not all(hasattr(out, name) for name in ("data", "_prev", "_local")):
            raise NotYet(f"sin should return a new Value (with data, _prev and _local); got {type(out).__name__}.")
        if not math.isclose(float(out.data), math.sin(x0), rel_tol=1e-9, abs_tol=1e-12):
            raise NotYet(f"the forward value for x = {x0:g} is {float(out.data):.6g}, but sin({x0:g}) = "
                         f"{math.sin(x0):.6g}: compute math.sin(self.data).")
        inputs = list(out._prev)
        if not any(p is x for p in inputs):
            raise NotYet("the result does not record its input: give the new Value _prev=(self,), or backward() "
                         "can never reach x.")
        if len(inputs) != len(out._local):
            raise NotYet(f"the result has {len(inputs)} input(s) but {len(out._local)} local derivative(s): give "
                         "one local derivative per input, e.g. _local=(d_out_d_self,).")
        local = float(sum(d for p, d in zip(inputs, out._local) if p is x))
        h = 1e-6
        numerical = (math.sin(x0 + h) - math.sin(x0 - h)) / (2 * h)
        if not math.isclose(local, numerical, rel_tol=1e-5, abs_tol=1e-7):
            raise NotYet(f"at x = {x0:g} your local derivative is {local:.6g}, but the numerical derivative "
                         f"(sin(x+h) - sin(x-h)) / 2h is {numerical:.6g}. What is the derivative of sin?")
    return f"forward values and local derivatives match sin and its numerical slope at x = {list(_POINTS)}."


add_operation = Exercise(
    "add an operation to Value",
    checker=_check_operation,
    answer_name="sin",
    hints=[
        "Copy the shape of tanh above: compute the forward value, then return Value(forward, (self,), (local,), 'sin').",
        "The derivative of sin(x) is cos(x): the local derivative is math.cos(self.data).",
    ],
    solution="""
        import math
        from nbhelpers.engine import Value

        def sin(self):
            s = math.sin(self.data)
            return Value(s, (self,), (math.cos(self.data),), "sin")  # d(sin x)/dx = cos x
    """,
    mistakes=[
        "import math\nfrom nbhelpers.engine import Value\n\n"
        "def sin(self):\n    return Value(math.sin(self.data), (self,), (-math.cos(self.data),), 'sin')",
        "import math\nfrom nbhelpers.engine import Value\n\n"
        "def sin(self):\n    return Value(math.sin(self.data), (), (), 'sin')",
        "import math\nfrom nbhelpers.engine import Value\n\n"
        "def sin(self):\n    return Value(math.sin(self.data), (self,), (math.sin(self.data),), 'sin')",
        "import math\n\ndef sin(self):\n    return math.sin(self.data)",
    ],
)

EXERCISES = [predict_reuse, by_hand, why_double, fix_loop, add_operation]
