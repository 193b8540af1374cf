"""Chapter 4 exercises: backpropagation."""

from __future__ import annotations

import numpy as np

from nbhelpers.activations import sigmoid
from nbhelpers.exercises import (
    Case,
    ChoiceExercise,
    Exercise,
    FunctionExercise,
    NotYet,
    ValueExercise,
    is_placeholder,
    NotAttempted,
    _short,
)
from nbhelpers.gradcheck import numerical_gradient, relative_error

__all__ = ["partial_w5", "gradient_shape", "neuron_backward", "find_the_bug", "bce_sigmoid_grad",
           "buggy_dense_backward", "EXERCISES"]


# ----------------------------------------------------------------------------------------------- 1. by hand

def _alice_numbers():
    h = float(sigmoid(-3.0))  # both hidden neurons: sigmoid(1*(-2) + 1*(-1) + 0)
    o = float(sigmoid(2 * h))
    dL_do = -2 * (1 - o)
    do_dz = o * (1 - o)
    return h, o, dL_do, do_dz


def _check_partial_w5(answer):
    h, _, dL_do, do_dz = _alice_numbers()
    expected = dL_do * do_dz * h
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise NotYet(f"answer with one number such as -0.5; got {_short(answer)}.") from None
    close = lambda a, b: abs(a - b) <= 0.02 * abs(b) + 2e-5
    if close(value, expected):
        return f"dL/dw5 = {dL_do:.4f} x {do_dz:.4f} x {h:.4f} = {expected:.5f}."
    if close(value, -expected):
        raise NotYet(f"{value:g} has the wrong sign. dL/dy_pred = -2(y - y_pred) is negative for Alice (y = 1, "
                     "y_pred = 0.524), and the other two factors are positive.")
    if close(value, dL_do * h):
        raise NotYet(f"{value:g} leaves out the sigmoid's derivative at the output, "
                     "dy_pred/dz = y_pred (1 - y_pred): the chain has three links here.")
    if close(value, dL_do * do_dz):
        raise NotYet(f"{value:g} is dL/db3: for w5 the last link is dz/dw5 = h1, the input that w5 multiplies.")
    raise NotYet(f"{value:g} is not it. Multiply the three links: dL/dy_pred, dy_pred/dz (the sigmoid's slope at the "
                 "output) and dz/dw5.")


partial_w5 = Exercise(
    "a partial derivative by hand: dL/dw5 for Alice",
    checker=_check_partial_w5,
    hints=[
        "w5 connects h1 to the output: z_o = w5 h1 + w6 h2 + b3. Chain: dL/dw5 = dL/dy_pred * dy_pred/dz_o * dz_o/dw5.",
        "dL/dy_pred = -0.952 and dy_pred/dz_o = y_pred (1 - y_pred) = 0.249, both from the worked example. "
        "And dz_o/dw5 is what w5 multiplies.",
        "dz_o/dw5 = h1 = 0.0474. Multiply the three numbers.",
    ],
    solution="""
        h1 = 0.0474                            # the hidden neuron w5 listens to
        dL_dypred = -0.952                     # -2 (y - y_pred)
        dypred_dz = 0.249                      # y_pred (1 - y_pred), the sigmoid's slope at the output
        answer = dL_dypred * dypred_dz * h1    # about -0.0113
    """,
    mistakes=["answer = 0.0113", "answer = -0.952 * 0.0474", "answer = -0.952 * 0.249", "answer = 0.5"],
)


# ----------------------------------------------------------------------------------------------- 2. shapes

gradient_shape = ValueExercise(
    "the shape of a weight gradient",
    expected=(30, 5),
    hints=["A gradient always has the shape of the thing it is the gradient of.",
           "dW = X.T @ dz: (30, n) @ (n, 5). The batch size n disappears in the sum."],
    solution="answer = (30, 5)   # like W: one row per input, one column per neuron; the batch is summed over",
    mistakes=["answer = (3, 5)", "answer = (5, 30)", "answer = (3, 30)"],
)


# ----------------------------------------------------------------------------------------------- 3. a sigmoid neuron

_NEURON_CASES = [
    (np.array([-2.0, -1.0]), np.array([1.0, 1.0]), 0.0, 1.0),
    (np.array([0.5, 2.0, -1.0]), np.array([0.3, -0.2, 0.8]), 0.1, 0.0),
    (np.array([3.0]), np.array([-0.5]), 2.0, 1.0),
    (np.array([1.0, -1.0]), np.array([2.0, 1.5]), -0.3, 0.0),
]


def _neuron_loss(x, w, b, y):
    return float((y - sigmoid(np.dot(w, x) + b)) ** 2)


def _check_neuron_backward(answer):
    if not callable(answer):
        raise NotYet(f"expected a function; got {_short(answer)}. Pass the function itself: "
                     ".check(neuron_backward).")
    for x, w0, b0, y in _NEURON_CASES:
        where = f"x={_short(x)}, w={_short(w0)}, b={b0:g}, y={y:g}"
        try:
            result = answer(x.copy(), w0.copy(), b0, y)
        except NotImplementedError:
            raise NotAttempted() from None
        except Exception as err:
            raise NotYet(f"for {where} your function raised {type(err).__name__}: {err}.") from None
        if is_placeholder(result):
            raise NotAttempted()
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise NotYet(f"return the pair (dL/dw, dL/db); for {where} got {_short(result)}.")
        dw = np.asarray(result[0], dtype=float)
        db = np.asarray(result[1], dtype=float)
        if dw.shape != w0.shape:
            raise NotYet(f"dL/dw must have the shape of w, {w0.shape}; for {where} got {dw.shape}.")
        if db.size != 1:
            raise NotYet(f"dL/db must be one number (b is one number); for {where} got shape {db.shape}.")
        # the numerical gradient from central differences: the judge is gradient checking, not a formula
        w, b = w0.copy(), np.array(b0)
        num_w, num_b = numerical_gradient(lambda x=x, w=w, b=b, y=y: _neuron_loss(x, w, b, y), [w, b])
        error = max(relative_error(dw, num_w), relative_error(db.reshape(()), num_b))
        if not error < 1e-5:
            raise NotYet(f"the gradient check disagrees for {where}: your (dw, db) = ({_short(dw)}, "
                         f"{float(db.ravel()[0]):.6g}), central differences give ({_short(num_w)}, {float(num_b):.6g}), "
                         f"relative error {error:.2g}.")
    return "your gradients match central differences on all 4 neurons (relative error below 1e-5)."


neuron_backward = Exercise(
    "the backward pass of a sigmoid neuron",
    checker=_check_neuron_backward,
    answer_name="neuron_backward",
    hints=[
        "Forward first: z = np.dot(w, x) + b, p = sigmoid(z), L = (y - p)**2. Then walk back one link at a time.",
        "dL/dp = -2 (y - p); dp/dz = p (1 - p); dz/dw = x and dz/db = 1.",
        "dz = -2 * (y - p) * p * (1 - p); return dz * x, dz.",
    ],
    solution="""
        from nbhelpers.activations import sigmoid

        def neuron_backward(x, w, b, y):
            z = np.dot(w, x) + b
            p = sigmoid(z)                      # forward
            dL_dp = -2 * (y - p)                # the loss (y - p)**2
            dL_dz = dL_dp * p * (1 - p)         # through the sigmoid
            return dL_dz * x, dL_dz             # dz/dw = x, dz/db = 1
    """,
    mistakes=[
        # forgot the sigmoid's derivative
        "from nbhelpers.activations import sigmoid\n"
        "def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p)\n"
        "    return dz * x, dz",
        # multiplied by the weights instead of the inputs
        "from nbhelpers.activations import sigmoid\n"
        "def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p) * p * (1 - p)\n"
        "    return dz * w, dz",
        # the sign flipped
        "from nbhelpers.activations import sigmoid\n"
        "def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = 2 * (y - p) * p * (1 - p)\n"
        "    return dz * x, dz",
        # returned one number for dw
        "from nbhelpers.activations import sigmoid\n"
        "def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p) * p * (1 - p)\n"
        "    return np.sum(dz * x), dz",
    ],
)


# ----------------------------------------------------------------------------------------------- 4. find the bug

def buggy_dense_backward(X, z, W, da):
    """Backward pass of a tanh layer a = tanh(X @ W + b), with one planted bug. Returns (dW, db, dX)."""
    dz = da * (1 - np.tanh(z) ** 2)  # line A
    dW = X.T @ dz  # line B
    db = dz.sum(axis=0)  # line C
    dX = da @ W.T  # line D
    return dW, db, dX


find_the_bug = ChoiceExercise(
    "find the planted bug",
    options=["A", "B", "C", "D"],
    correct="D",
    explanations={
        "A": "line A is right: tanh'(z) = 1 - tanh(z)^2, multiplied element by element.",
        "B": "line B is right: (n_in, n) @ (n, n_out) sums each weight's blame over the samples. The gradient "
             "check agrees: this layer's own W passes.",
        "C": "line C is right: each bias is added to every sample, so its gradient sums over the samples.",
        "D": "line D passes back da, the gradient *before* the tanh, so the layer below never sees tanh's slope; it "
             "must be dz @ W.T. That is why only the earlier layer's gradients fail the check.",
    },
    hints=[
        "Run the gradient check in the cell above: which parameters fail, this layer's or the layer's below?",
        "This layer's W and b pass, so lines A to C are fine. What does this layer hand to the layer below?",
    ],
    solution='answer = "D"   # dX = dz @ W.T: pass back the gradient *after* going through the activation',
    mistakes=['answer = "B"', 'answer = "A"'],
)


# ----------------------------------------------------------------------------------------------- 5. BCE + sigmoid

def _bce_sigmoid_grad(z, y):
    """Reference: d/dz of BCE(sigmoid(z), y) for one sample is sigmoid(z) - y."""
    return sigmoid(z) - y


bce_sigmoid_grad = FunctionExercise(
    "the gradient of cross-entropy through a sigmoid",
    reference=_bce_sigmoid_grad,
    answer_name="bce_sigmoid_grad",
    cases=[
        Case(0.0, 1.0, note="an undecided output"),
        Case(2.0, 0.0),
        Case(-3.0, 1.0),
        Case(np.array([-1.0, 0.5, 4.0]), np.array([0.0, 1.0, 1.0]), note="several samples at once"),
        Case(40.0, 0.0, note="a very confident wrong answer: the gradient must stay about 1, not 0 or NaN"),
        Case(-800.0, 1.0, note="an extreme score: no NaN"),
    ],
    hints=[
        "Two links: dL/dp = -y/p + (1 - y)/(1 - p) for L = -(y log p + (1 - y) log(1 - p)), and dp/dz = p (1 - p).",
        "Multiply them and simplify: the p (1 - p) cancels the denominators.",
        "The result is just p - y, with p = sigmoid(z). Computing it that way never divides by zero.",
    ],
    solution="""
        from nbhelpers.activations import sigmoid

        def bce_sigmoid_grad(z, y):
            p = sigmoid(z)
            # dL/dp * dp/dz = (-(y / p) + (1 - y) / (1 - p)) * p * (1 - p), which simplifies to:
            return p - y
    """,
    mistakes=[
        # dL/dp, not dL/dz
        "from nbhelpers.activations import sigmoid\n"
        "def bce_sigmoid_grad(z, y):\n    p = sigmoid(z)\n    return -(y / p) + (1 - y) / (1 - p)",
        # the sign flipped
        "from nbhelpers.activations import sigmoid\n"
        "def bce_sigmoid_grad(z, y):\n    return y - sigmoid(z)",
        # MSE's gradient
        "from nbhelpers.activations import sigmoid\n"
        "def bce_sigmoid_grad(z, y):\n    p = sigmoid(z)\n    return 2 * (p - y) * p * (1 - p)",
    ],
)


EXERCISES = [partial_w5, gradient_shape, neuron_backward, find_the_bug, bce_sigmoid_grad]
