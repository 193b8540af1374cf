"""Chapter 2 exercises: activation functions."""

from __future__ import annotations

import numpy as np

from nbhelpers.activations import sigmoid as _sigmoid
from nbhelpers.activations import sigmoid_derivative as _sigmoid_derivative
from nbhelpers.activations import softmax as _softmax
from nbhelpers.activations import tanh_derivative
from nbhelpers.exercises import Case, ChoiceExercise, Exercise, FunctionExercise, NotYet, compare

__all__ = [
    "collapse", "sigmoid", "sigmoid_derivative", "which_activation", "mystery_curve", "vanishing_bound",
    "output_activations", "OUTPUT_TASKS", "stable_softmax", "EXERCISES",
]


# ------------------------------------------------------------------------- 1. two linear layers are one

def _collapse_cases():
    rng = np.random.default_rng(2)
    # the first case has W2 square, so that the common slip "b1 + b2" runs and gets a real explanation
    shapes = [(2, 3, 3), (3, 4, 2), (2, 5, 1)]
    return [(rng.normal(size=(i, h)), rng.normal(size=h), rng.normal(size=(h, o)), rng.normal(size=o))
            for i, h, o in shapes]


def _check_collapse(answer):
    if not callable(answer):
        raise NotYet("expected a function collapse(W1, b1, W2, b2) that returns the pair (W, b); pass the function "
                     "itself, without parentheses: .check(collapse).")
    for W1, b1, W2, b2 in _collapse_cases():
        shapes = f"W1 {W1.shape}, b1 {b1.shape}, W2 {W2.shape}, b2 {b2.shape}"
        try:
            got = answer(W1.copy(), b1.copy(), W2.copy(), b2.copy())
        except Exception as err:
            raise NotYet(f"for {shapes} your function raised {type(err).__name__}: {err}. Check the order of the "
                         "matrix product: x goes through W1 first, so W = W1 @ W2.") from None
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            raise NotYet(f"return the pair (W, b), e.g. `return W, b`; got {type(got).__name__}.")
        W, b = got
        compare(W, W1 @ W2, what=f"for {shapes}, your W")
        try:
            compare(b, b1 @ W2 + b2, what=f"for {shapes}, your b")
        except NotYet as err:
            raise NotYet(f"{err} Remember that the first bias b1 also passes through the second layer's weights "
                         "W2.") from None
    return "one layer with W = W1 @ W2 and b = b1 @ W2 + b2 computes exactly what the two did."


collapse = Exercise(
    "two linear layers are one",
    checker=_check_collapse,
    answer_name="collapse",
    hints=[
        "Write the second layer's input out: h = x @ W1 + b1, so y = (x @ W1 + b1) @ W2 + b2.",
        "Multiply the bracket out: y = x @ (W1 @ W2) + (b1 @ W2 + b2). Read off W and b.",
    ],
    solution="""
        def collapse(W1, b1, W2, b2):
            W = W1 @ W2          # the two weight matrices, in the order x meets them
            b = b1 @ W2 + b2     # the first bias passes through W2 too
            return W, b
    """,
    mistakes=[
        "def collapse(W1, b1, W2, b2):\n    return W1 @ W2, b1 + b2",
        "def collapse(W1, b1, W2, b2):\n    return W1 @ W2, b2",
        "def collapse(W1, b1, W2, b2):\n    return W2 @ W1, b1 @ W2 + b2",
    ],
)


# ------------------------------------------------------------------------- 2. sigmoid and its derivative

sigmoid = FunctionExercise(
    "sigmoid",
    reference=_sigmoid,
    answer_name="sigmoid",
    cases=[
        Case(np.array([-2.0, 0.0, 2.0]), note="the reference values 0.1192, 0.5, 0.8808"),
        Case(0.0, note="a single number: sigmoid(0) is exactly 0.5"),
        Case(np.array([[1.0, -1.0], [3.0, -3.0]]), note="a 2-D array: work on every entry"),
        Case(np.array([-30.0, 30.0]), note="far out the curve is flat, near 0 and near 1"),
    ],
    hints=[
        "The formula is 1 / (1 + e^(-z)). NumPy's np.exp works on whole arrays at once.",
        "Mind the brackets: return 1 / (1 + np.exp(-z)).",
    ],
    solution="""
        def sigmoid(z):
            return 1 / (1 + np.exp(-z))
    """,
    mistakes=[
        "def sigmoid(z):\n    return 1 / 1 + np.exp(-z)",
        "def sigmoid(z):\n    return 1 / (1 + np.exp(z))",
        "def sigmoid(z):\n    return np.tanh(z)",
    ],
)

sigmoid_derivative = FunctionExercise(
    "the derivative of sigmoid",
    reference=_sigmoid_derivative,
    answer_name="sigmoid_derivative",
    cases=[
        Case(0.0, note="at z = 0 the slope is at its largest, 0.25"),
        Case(np.array([-2.0, 0.0, 2.0]), note="the slope is the same at -2 and 2: the curve is symmetric"),
        Case(np.array([[0.5, -1.5], [4.0, -4.0]]), note="a 2-D array"),
        Case(np.array([-1000.0, 1000.0]),
             note="far out on the flat tails the slope is 0; the form e^-z / (1 + e^-z)^2 gives inf / inf = NaN "
                  "there, while s * (1 - s) gives 0"),
    ],
    hints=[
        "The slope of the sigmoid can be written with the sigmoid itself: s * (1 - s), where s = sigmoid(z).",
        "Compute s = 1 / (1 + np.exp(-z)) first, then return s * (1 - s). Not z * (1 - z): the formula needs s.",
    ],
    solution="""
        def sigmoid_derivative(z):
            s = 1 / (1 + np.exp(-z))   # the sigmoid's value
            return s * (1 - s)
    """,
    mistakes=[
        "def sigmoid_derivative(z):\n    return z * (1 - z)",
        "def sigmoid_derivative(z):\n    return 1 / (1 + np.exp(-z))",
        "def sigmoid_derivative(z):\n    return np.exp(-z) / (1 + np.exp(-z)) ** 2",
    ],
)


# ------------------------------------------------------------------------- 3. which activation is this?

def mystery_curve():
    """The curve for :data:`which_activation`: ``(z, values)``, 201 points from -5 to 5.

    It is the derivative of one of the chapter's activations; the exercise asks which.
    """
    z = np.linspace(-5.0, 5.0, 201)
    return z, tanh_derivative(z)


which_activation = ChoiceExercise(
    "which activation's slope is this?",
    options=["sigmoid", "tanh", "relu", "leaky_relu", "linear", "gelu"],
    correct="tanh",
    explanations={
        "tanh": "a bell that peaks at exactly 1 at z = 0: 1 - tanh(z)^2. Sigmoid's bell has the same shape but "
                "peaks at 0.25.",
        "sigmoid": "sigmoid's slope is a bell too, but read the y-axis: its peak is 0.25, and this one reaches 1.",
        "relu": "ReLU's slope is a step: 0 for negative z, then 1. This curve is smooth.",
        "leaky_relu": "leaky ReLU's slope is a step from 0.01 to 1, not a smooth bell.",
        "linear": "the identity's slope is 1 everywhere: a flat line, not a bell.",
        "gelu": "GELU's slope goes from 0 up past 1 and stays near 1 for large z; it does not fall back to 0.",
    },
    hints=[
        "This is a slope (a derivative), not the function. Which activations have a smooth slope that falls to 0 "
        "on both sides?",
        "Two candidates have a bell-shaped slope. Look at the height of the peak.",
    ],
    solution="answer = 'tanh'   # its slope 1 - tanh(z)^2 peaks at 1; sigmoid's peaks at 0.25",
    mistakes=["answer = 'sigmoid'", "answer = 'relu'"],
)


# ------------------------------------------------------------------------- 4. vanishing gradients

_BOUND = 0.25**10


def _check_vanishing_bound(answer):
    if answer is None or isinstance(answer, (str, bool, np.bool_)) or np.ndim(answer) != 0:
        raise NotYet(f"answer with one number, such as 1e-3; got {answer!r:.60}.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise NotYet(f"answer with one number, such as 1e-3; got {answer!r:.60}.") from None
    if np.isclose(value, _BOUND, rtol=1e-3, atol=0.0):
        return f"0.25 ** 10 = {_BOUND:.3g}: less than a millionth of the gradient is left, in the best case."
    known = {0.25 * 10: "that is 0.25 times 10; the slopes multiply, so it is 0.25 to the power 10.",
             0.5**10: "0.5 is the sigmoid's value at z = 0, but its largest slope is 0.25.",
             0.25**20: "that is the bound for 20 layers; the question asks about 10."}
    for wrong, why in known.items():
        if np.isclose(value, wrong, rtol=1e-3, atol=0.0):
            raise NotYet(f"your answer is {value:.3g}: {why}")
    raise NotYet(f"your answer is {value:.3g}, which is not the product of ten slopes of 0.25 each.")


vanishing_bound = Exercise(
    "the best case through 10 sigmoid layers",
    checker=_check_vanishing_bound,
    hints=[
        "The sigmoid's slope is at most 0.25. Through 10 layers, 10 such slopes multiply together.",
        "0.25 to the power 10: in Python, 0.25 ** 10.",
    ],
    solution="answer = 0.25 ** 10   # about 9.5e-07: less than one millionth",
    mistakes=["answer = 0.25 * 10", "answer = 0.5 ** 10", "answer = 0.25 ** 20", "answer = 0.001"],
)


# ------------------------------------------------------------------------- 5. choosing the output activation

#: The three tasks of :data:`output_activations`, in the order of the answer.
OUTPUT_TASKS = (
    "a) Read a handwritten digit: the network has 10 output neurons, one per digit 0-9, and must give the "
    "probability of each (exactly one digit is right).",
    "b) Predict tomorrow's temperature in degrees Celsius (it can be below zero): one output neuron.",
    "c) Decide whether an email is spam: one output neuron giving the probability that it is.",
)

_OUTPUT_EXPECTED = ("softmax", "linear", "sigmoid")
_OUTPUT_ALIASES = {"identity": "linear", "none": "linear", "no activation": "linear", "logistic": "sigmoid",
                   "leaky relu": "leaky_relu", "leakyrelu": "leaky_relu"}
_OUTPUT_WHY = {
    ("a", "sigmoid"): "sigmoid gives each digit its own number between 0 and 1, but they need not add up to 1; "
                      "with exactly one right answer among 10, softmax shares one unit of probability among them.",
    ("a", "linear"): "raw scores are not probabilities: they can be negative and need not add up to 1.",
    ("a", "relu"): "ReLU outputs are not probabilities: they can exceed 1 and need not add up to 1.",
    ("b", "relu"): "ReLU cannot output anything below 0, and temperatures can be negative.",
    ("b", "sigmoid"): "sigmoid squeezes every output into (0, 1): it could never predict 25 degrees.",
    ("b", "tanh"): "tanh squeezes every output into (-1, 1): it could never predict 25 degrees.",
    ("b", "softmax"): "softmax of a single output is always exactly 1.",
    ("c", "softmax"): "softmax of a single output neuron is always exactly 1, whatever the email. (Softmax over "
                      "two outputs, spam and not spam, would work: that is the same as one sigmoid.)",
    ("c", "linear"): "a raw score can be any number; a probability must lie between 0 and 1.",
    ("c", "relu"): "ReLU can output numbers above 1, so they are not probabilities.",
}


def _normalise_name(value) -> str:
    text = str(value).strip().lower().replace("-", " ").replace("_", " ")
    text = _OUTPUT_ALIASES.get(text, text)
    return text.replace(" ", "_")


def _check_output_activations(answer):
    if isinstance(answer, str) or not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise NotYet("answer with three names in a tuple, one per task a), b), c), e.g. ('relu', 'tanh', 'relu').")
    for task, name, expected in zip("abc", answer, _OUTPUT_EXPECTED):
        if not isinstance(name, str):
            raise NotYet(f"for task {task}) give the activation's name as text, such as 'tanh'; got {name!r}.")
        got = _normalise_name(name)
        if got != expected:
            why = _OUTPUT_WHY.get((task, got), f"{name!r} does not fit what task {task}) must output.")
            raise NotYet(f"task {task}): {why}")
    return "softmax for one-of-many, nothing (linear) for a quantity, sigmoid for a yes/no probability."


output_activations = Exercise(
    "choose the output activation",
    checker=_check_output_activations,
    hints=[
        "Ask what the output must be: probabilities that add up to 1 over many classes? Any number at all? "
        "One probability between 0 and 1?",
        "Any number (including negative) means no squashing at all: the 'linear' (identity) output.",
    ],
    solution="answer = ('softmax', 'linear', 'sigmoid')",
    mistakes=[
        "answer = ('sigmoid', 'linear', 'sigmoid')",
        "answer = ('softmax', 'relu', 'sigmoid')",
        "answer = ('softmax', 'linear', 'softmax')",
        "answer = 'softmax, linear, sigmoid'",
    ],
)


# ------------------------------------------------------------------------- 6. a softmax that never overflows

stable_softmax = FunctionExercise(
    "a numerically stable softmax",
    reference=_softmax,
    answer_name="softmax",
    cases=[
        Case(np.array([2.0, 1.0, 0.1]), note="the reference values 0.6590, 0.2424, 0.0986"),
        Case(np.array([[2.0, 1.0, 0.1], [1.0, 1.0, 1.0]]),
             note="two samples, one per row: each row must add up to 1 on its own"),
        Case(np.array([1000.0, 1001.0, 1002.0]),
             note="large logits: np.exp(1000) overflows to inf and inf / inf is NaN; subtract the largest "
                  "score first, which does not change the result"),
        Case(np.array([-1000.0, -1001.0, -1002.0]),
             note="very negative logits: every np.exp underflows to 0 and 0 / 0 is NaN; subtracting the "
                  "largest score fixes this too"),
        Case(np.array([[0.0, 800.0], [-5.0, 5.0]]),
             note="scores far apart: subtract each row's largest score, not the smallest"),
    ],
    rtol=1e-6,
    atol=1e-12,
    hints=[
        "softmax(z) = exp(z) / sum(exp(z)), taken along each row. Adding the same number to every score in a "
        "row does not change the result, so subtract the row's largest score first: then no exp exceeds 1.",
        "With rows: shifted = z - np.max(z, axis=-1, keepdims=True); e = np.exp(shifted); "
        "return e / np.sum(e, axis=-1, keepdims=True). keepdims=True keeps the shapes lined up.",
    ],
    solution="""
        def softmax(z):
            z = np.asarray(z, dtype=float)
            shifted = z - np.max(z, axis=-1, keepdims=True)   # the largest score becomes 0
            e = np.exp(shifted)                                # so every exp is between 0 and 1
            return e / np.sum(e, axis=-1, keepdims=True)       # each row adds up to 1
    """,
    mistakes=[
        "def softmax(z):\n    e = np.exp(z)\n    return e / np.sum(e, axis=-1, keepdims=True)",
        "def softmax(z):\n    e = np.exp(z - np.max(z))\n    return e / np.sum(e)",
        "def softmax(z):\n    e = np.exp(z - np.max(z, axis=-1))\n    return e / np.sum(e, axis=-1)",
        "def softmax(z):\n    e = np.exp(z - np.min(z, axis=-1, keepdims=True))\n"
        "    return e / np.sum(e, axis=-1, keepdims=True)",
    ],
)

EXERCISES = [collapse, sigmoid, sigmoid_derivative, which_activation, vanishing_bound, output_activations,
             stable_softmax]
