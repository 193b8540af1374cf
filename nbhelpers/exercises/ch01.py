"""Chapter 1 exercises: the neuron."""

from __future__ import annotations

import numpy as np

from nbhelpers._validate import as_float_array, as_scalar
from nbhelpers.activations import sigmoid
from nbhelpers.datasets import logic_gate
from nbhelpers.exercises import Case, ChoiceExercise, Exercise, FunctionExercise, NotYet, ValueExercise

__all__ = ["and_gate", "or_gate", "neuron", "predict_output", "xor_best_line", "layer_shape", "EXERCISES"]


def _gate_checker(gate: str):
    X, y = logic_gate(gate)

    def check(answer):
        if not isinstance(answer, (tuple, list)) or len(answer) != 2:
            raise NotYet("answer with the pair (w, b): two weights and a bias, e.g. ([1.0, 1.0], -0.5).")
        w, b = answer
        try:
            w = as_float_array(w, "w", shape=(2,))
            b = as_scalar(b, "b")
        except (TypeError, ValueError) as err:
            raise NotYet(str(err)) from None
        z = X @ w + b
        said = (z > 0).astype(float)  # the neuron "says 1" when sigmoid(z) > 0.5, i.e. when z > 0
        for xi, zi, si, yi in zip(X, z, said, y):
            if zi == 0:
                raise NotYet(f"input {xi.astype(int).tolist()} sits exactly on the line (z = 0, output 0.5), so the "
                             "neuron cannot decide: move the line a little by changing b.")
            if si != yi:
                raise NotYet(f"for input {xi.astype(int).tolist()} the weighted sum is z = {zi:g}, so the neuron "
                             f"says {int(si)} (sigmoid(z) = {float(sigmoid(zi)):.3f}); {gate.upper()} needs {int(yi)}.")
        return f"all four rows of the {gate.upper()} truth table come out right (z = {np.round(z, 3).tolist()})."

    return check


and_gate = Exercise(
    "AND by hand",
    checker=_gate_checker("and"),
    hints=[
        "Only the input [1, 1] may give a positive weighted sum z = w1*x1 + w2*x2 + b.",
        "Try equal weights, w = [1, 1]. Then z is b for [0, 0], 1 + b for one input on, 2 + b for both on.",
        "With w = [1, 1] you need 1 + b < 0 < 2 + b, so any b between -2 and -1, e.g. b = -1.5.",
    ],
    solution="w_and = [1.0, 1.0]\nb_and = -1.5\nanswer = (w_and, b_and)",
    mistakes=["answer = ([1.0, 1.0], -1.0)", "answer = ([1.0, 1.0], -0.5)", "answer = (1.0, -1.5)"],
)

or_gate = Exercise(
    "OR by hand",
    checker=_gate_checker("or"),
    hints=[
        "Now every input except [0, 0] must give a positive weighted sum.",
        "With w = [1, 1] you need b < 0 < 1 + b.",
    ],
    solution="w_or = [1.0, 1.0]\nb_or = -0.5\nanswer = (w_or, b_or)",
    mistakes=["answer = ([1.0, 1.0], -1.5)", "answer = ([1.0, 1.0], 0.0)"],
)


def _neuron_reference(x, w, b):
    """Reference: sigmoid of the weighted sum plus bias."""
    return sigmoid(np.dot(w, x) + b)


neuron = FunctionExercise(
    "the forward pass of a neuron",
    reference=_neuron_reference,
    answer_name="neuron",
    cases=[
        Case(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0, note="the chapter's worked example"),
        Case(np.array([1.0, -1.0]), np.array([0.5, 0.5]), 0.0),
        Case(np.array([0.0, 0.0]), np.array([1.0, 1.0]), -2.0, note="only the bias counts here"),
        Case(np.array([1.0, 2.0, 3.0]), np.array([0.1, -0.2, 0.3]), -1.0, note="three inputs"),
    ],
    hints=[
        "Multiply each input by its weight and add the products up: np.dot(w, x). Then add b.",
        "Finish with the activation: return sigmoid(np.dot(w, x) + b).",
    ],
    solution="""
        from nbhelpers.activations import sigmoid

        def neuron(x, w, b):
            z = np.dot(w, x) + b      # weighted sum plus bias
            return sigmoid(z)         # the activation makes the call
    """,
    mistakes=[
        "from nbhelpers.activations import sigmoid\ndef neuron(x, w, b):\n    return sigmoid(np.dot(w, x))",
        "def neuron(x, w, b):\n    return np.dot(w, x) + b",
        "from nbhelpers.activations import sigmoid\ndef neuron(x, w, b):\n    return sigmoid(np.sum(x) + b)",
    ],
)

predict_output = ValueExercise(
    "predict the output",
    expected=float(sigmoid(1.5)),
    rtol=0.0,
    atol=0.006,
    hints=[
        "First the weighted sum: z = 1*3 + (-2)*1 + 0.5.",
        "z = 1.5. Now sigmoid(1.5) = 1 / (1 + e^-1.5), and e^-1.5 is about 0.223.",
    ],
    solution="z = 1 * 3 + (-2) * 1 + 0.5   # = 1.5\nanswer = 1 / (1 + np.exp(-z))   # about 0.82",
    mistakes=["answer = 1.5", "answer = 0.5"],
)

xor_best_line = ChoiceExercise(
    "one line against XOR",
    options=[1, 2, 3, 4],
    correct=3,
    explanations={
        4: "no line gets all four: the two 1s sit on one diagonal and the two 0s on the other.",
        2: "you can do better: a line that cuts off one corner gets that corner and two of the others right.",
        1: "even a line that puts every point on one side already gets two of them right.",
    },
    hints=["Draw the four points; the 1s are at [0, 1] and [1, 0]. Cut off a single corner with a line."],
    solution="answer = 3   # e.g. cut off [1, 1]: it and both 1s are right, [0, 0] is wrong",
    mistakes=["answer = 4", "answer = 2"],
)

layer_shape = ValueExercise(
    "the shape of a weight matrix",
    expected=(3, 5),
    hints=["With X @ W, W needs one row per input and one column per neuron."],
    solution="answer = (3, 5)   # 3 inputs (rows), 5 neurons (columns)",
    mistakes=["answer = (5, 3)", "answer = (3,)"],
)

EXERCISES = [and_gate, or_gate, neuron, predict_output, xor_best_line, layer_shape]
