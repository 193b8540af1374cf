"""Chapter 4 exercises: backpropagation."""

from __future__ import annotations

import numpy as np

from nbhelpers.activations import sigmoid
from nbhelpers.exercises import (
    Case, ChoiceExercise, Diagnosis, Exercise, FunctionExercise, NotAttempted, NotYet, ValueExercise, _short, call,
    is_placeholder,
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


_H, _O, _DL_DO, _DO_DZ = _alice_numbers()

partial_w5 = ValueExercise(
    "a partial derivative by hand: dL/dw5 for Alice",
    expected=_DL_DO * _DO_DZ * _H,
    digits=3,  # from the three-digit numbers the chapter prints, the product is right to about 3 digits
    example="-0.5",
    diagnoses={
        -_DL_DO * _DO_DZ * _H: "the sign is wrong. dL/dy_pred = -2(y - y_pred) is negative for Alice (y = 1, "
                               "y_pred = 0.524), and the other two factors are positive",
        _DL_DO * _H: "that leaves out the sigmoid's derivative at the output, dy_pred/dz = y_pred (1 - y_pred): the "
                     "chain has three links here",
        _DL_DO * _DO_DZ: "that is dL/db3: for w5 the last link is dz/dw5, the input that w5 multiplies",
    },
    remark=f"dL/dw5 = {_DL_DO:.4f} x {_DO_DZ:.4f} x {_H:.4f} = {_DL_DO * _DO_DZ * _H:.5f}.",
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
    mistakes=[("answer = 0.0113", "sign is wrong"), ("answer = -0.952 * 0.0474", "three links"),
              ("answer = -0.952 * 0.249", "dL/db3"), ("answer = 0.5", "is not it")],
)


# ----------------------------------------------------------------------------------------------- 2. shapes

gradient_shape = ValueExercise(
    "the shape of a weight gradient",
    expected=(30, 5),
    what="your shape",
    diagnoses={
        (5, 30): "rows and columns are swapped: think of which shape the weight matrix itself has",
        (3, 5): "that is the shape of the layer's output A (and of dA), one row per image; the weight gradient does "
                "not depend on the batch size",
        (3, 30): "that is the shape of the input X (and of dX), one row per image",
    },
    hints=["A gradient always has the shape of the thing it is the gradient of.",
           "dW = X.T @ dz: (30, n) @ (n, 5). The batch size n disappears in the sum."],
    solution="answer = (30, 5)   # like W: one row per input, one column per neuron; the batch is summed over",
    mistakes=[("answer = (3, 5)", "the layer's output"), ("answer = (5, 30)", "swapped"),
              ("answer = (3, 30)", "shape of the input X"), ("answer = 150", "a single number")],
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


def _neuron_variants(x, w, b, y):
    """The typical wrong answers (dL/dw, dL/db) for one neuron, with what to tell a learner who gives them."""
    p = float(sigmoid(np.dot(w, x) + b))
    dz = -2 * (y - p) * p * (1 - p)
    return [
        ((-2 * (y - p) * x, -2 * (y - p)),
         "your gradients leave out the sigmoid's slope: between dL/dp and dz/dw there is dp/dz = p (1 - p)"),
        ((dz * w, dz), "your dL/dw multiplies by the weights; dz/dw is the input that each weight multiplies"),
        ((-dz * x, -dz), "your gradients have the wrong sign: dL/dp of (y - p)^2 is -2 (y - p), with a minus from "
                         "the inner derivative of y - p"),
    ]


def _close(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-10))


def _check_neuron_backward(answer):
    if not callable(answer):
        raise NotYet(f"expected a function; got {_short(answer)}. Pass the function itself: "
                     ".check(neuron_backward)")
    first_error = None
    matches = None
    for x, w0, b0, y in _NEURON_CASES:
        where = f"x={_short(x)}, w={_short(w0)}, b={b0:g}, y={y:g}"
        result = call(answer, x, w0, b0, y, where=f"for {where}")
        if is_placeholder(result):
            raise NotAttempted()
        if isinstance(result, str) or not isinstance(result, (tuple, list)) or len(result) != 2:
            raise NotYet(f"return the pair (dL/dw, dL/db); for {where} got {_short(result)}")
        try:
            dw = np.asarray(result[0], dtype=float)
            db = np.asarray(result[1], dtype=float)
        except (TypeError, ValueError):
            raise NotYet(f"dL/dw and dL/db should be numbers; for {where} got {_short(result)}") from None
        if dw.shape != w0.shape:
            raise NotYet(f"dL/dw must have the shape of w, {w0.shape}, one number per weight; for {where} got "
                         f"shape {dw.shape}")
        if db.size != 1:
            raise NotYet(f"dL/db must be one number (b is one number); for {where} got shape {db.shape}")
        variants = _neuron_variants(x, w0, b0, y)
        hits = {i for i, ((vw, vb), _) in enumerate(variants) if _close(dw, vw) and _close(db.reshape(()), vb)}
        matches = hits if matches is None else matches & hits
        # the judge is gradient checking (central differences), as the chapter taught
        w, b = w0.copy(), np.array(b0)
        num_w, num_b = numerical_gradient(lambda x=x, w=w, b=b, y=y: _neuron_loss(x, w, b, y), [w, b])
        error = max(relative_error(dw, num_w), relative_error(db.reshape(()), num_b))
        if not error < 1e-5 and first_error is None:
            first_error = (where, error, num_w, num_b)
    if first_error is None:
        return "your gradients match central differences on all 4 neurons (relative error below 1e-5)."
    if matches:
        raise NotYet(_neuron_variants(*_NEURON_CASES[0])[min(matches)][1])
    where, error, num_w, num_b = first_error
    raise NotYet(f"the gradient check disagrees for {where}: relative error {error:.2g} between your (dL/dw, dL/db) "
                 "and central differences. Walk back one link at a time: dL/dp, then dp/dz, then dz/dw and dz/db",
                 later=f"Central differences give dL/dw = {_short(num_w)}, dL/db = {float(num_b):.6g} there.")


neuron_backward = Exercise(
    "the backward pass of a sigmoid neuron",
    checker=_check_neuron_backward,
    answer_name="neuron_backward",
    kind="function",
    hints=[
        "Forward first: z = np.dot(w, x) + b, p = sigmoid(z), L = (y - p)**2. Then walk back one link at a time.",
        "dL/dp = -2 (y - p); dp/dz = p (1 - p); dz/dw = x and dz/db = 1.",
        "dz = -2 * (y - p) * p * (1 - p); return dz * x, dz.",
    ],
    context={"sigmoid": sigmoid},
    solution="""
        def neuron_backward(x, w, b, y):
            z = np.dot(w, x) + b
            p = sigmoid(z)                      # forward
            dL_dp = -2 * (y - p)                # the loss (y - p)**2
            dL_dz = dL_dp * p * (1 - p)         # through the sigmoid
            dL_dw = dL_dz * x                   # dz/dw = x
            dL_db = dL_dz                       # dz/db = 1
            return dL_dw, dL_db
    """,
    mistakes=[
        ("def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p)\n"
         "    return dz * x, dz", "leave out the sigmoid's slope"),
        ("def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p) * p * (1 - p)\n"
         "    return dz * w, dz", "multiplies by the weights"),
        ("def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = 2 * (y - p) * p * (1 - p)\n"
         "    return dz * x, dz", "wrong sign"),
        ("def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -2 * (y - p) * p * (1 - p)\n"
         "    return np.sum(dz * x), dz", "one number per weight"),
        ("def neuron_backward(x, w, b, y):\n    p = sigmoid(np.dot(w, x) + b)\n    dz = -(y - p) * p * (1 - p)\n"
         "    return dz * x, dz", "Walk back one link at a time"),
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
        "This layer's W and b pass, so the lines that compute them are fine. What does this layer hand to the "
        "layer below, and through which gradient should it go?",
    ],
    solution='answer = "D"   # dX = dz @ W.T: pass back the gradient *after* going through the activation',
    mistakes=[('answer = "B"', "line B is right"), ('answer = "A"', "line A is right"),
              ('answer = "C"', "line C is right"), ('answer = "E"', "not one of the choices")],
)


# ----------------------------------------------------------------------------------------------- 5. BCE + sigmoid

def _bce_sigmoid_grad(z, y):
    """Reference: d/dz of BCE(sigmoid(z), y) for one sample is sigmoid(z) - y."""
    return sigmoid(z) - y


def _bce_dp(z, y):
    p = sigmoid(z)
    return -(y / p) + (1 - y) / (1 - p)


def _mse_through_sigmoid(z, y):
    p = sigmoid(z)
    return 2 * (p - y) * p * (1 - p)


# one sample, as the prompt says: z and y are plain numbers (a function written with math.exp is fine)
bce_sigmoid_grad = FunctionExercise(
    "the gradient of cross-entropy through a sigmoid",
    reference=_bce_sigmoid_grad,
    answer_name="bce_sigmoid_grad",
    cases=[
        Case(0.0, 1.0, note="an undecided output"),
        Case(2.0, 0.0),
        Case(-3.0, 1.0),
        Case(0.5, 1.0),
        Case(40.0, 0.0, note="a very confident wrong answer: the gradient must stay about 1, not 0 or NaN"),
        Case(-800.0, 1.0, note="an extreme score: no NaN"),
    ],
    diagnoses=[
        Diagnosis(_bce_dp, "that is dL/dp, the slope with respect to the probability p; the question asks for "
                           "dL/dz, one link further: multiply by dp/dz = p (1 - p), and simplify"),
        Diagnosis(lambda z, y: y - sigmoid(z),
                  "your gradient has the wrong sign: when p is above the label y, raising z makes the loss worse, "
                  "so dL/dz must be positive there"),
        Diagnosis(_mse_through_sigmoid,
                  "that is the gradient of the squared error through a sigmoid; with cross-entropy, dL/dp has "
                  "p (1 - p) in its denominators, which cancels against dp/dz"),
    ],
    hints=[
        "Two links: dL/dp = -y/p + (1 - y)/(1 - p) for L = -(y log p + (1 - y) log(1 - p)), and dp/dz = p (1 - p).",
        "Multiply them and simplify: the p (1 - p) cancels the denominators.",
        "The result is just p - y, with p = sigmoid(z). Computing it that way never divides by zero.",
    ],
    context={"sigmoid": sigmoid},
    solution="""
        def bce_sigmoid_grad(z, y):
            p = sigmoid(z)
            # dL/dp * dp/dz = (-(y / p) + (1 - y) / (1 - p)) * p * (1 - p), which simplifies to:
            return p - y
    """,
    mistakes=[
        ("def bce_sigmoid_grad(z, y):\n    p = sigmoid(z)\n    return -(y / p) + (1 - y) / (1 - p)", "that is dL/dp"),
        ("def bce_sigmoid_grad(z, y):\n    return y - sigmoid(z)", "wrong sign"),
        ("def bce_sigmoid_grad(z, y):\n    p = sigmoid(z)\n    return 2 * (p - y) * p * (1 - p)", "squared error"),
        ("def bce_sigmoid_grad(z, y):\n    p = 1 / (1 + math.exp(-z))\n    return p - y", "math.exp overflows"),
    ],
)


EXERCISES = [partial_w5, gradient_shape, neuron_backward, find_the_bug, bce_sigmoid_grad]
