"""Chapter 1 exercises: the neuron."""

from __future__ import annotations

import numpy as np

from nbhelpers.activations import sigmoid
from nbhelpers.datasets import logic_gate
from nbhelpers.exercises import (
    Case, ChoiceExercise, Diagnosis, Exercise, FunctionExercise, NotYet, ValueExercise, _short, read_number,
)

__all__ = ["and_gate", "or_gate", "neuron", "predict_output", "xor_best_line", "layer_shape", "EXERCISES"]


def _read_pair(answer):
    """The pair (w, b) of a gate answer: two weights and a bias, each by the number policy."""
    if isinstance(answer, str) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise NotYet("answer with the pair (w, b): two weights and a bias, e.g. ([0.5, 0.5], 0.0)")
    w, b = answer
    if isinstance(w, str) or not isinstance(w, (tuple, list, np.ndarray)) or np.ndim(w) != 1 or len(w) != 2:
        raise NotYet(f"w should be two weights, one per input, in a list such as [0.5, 0.5]; got {_short(w)}")
    weights = np.array([read_number(v, f"weight {i + 1} of w") for i, v in enumerate(w)])
    return weights, read_number(b, "the bias b")


def _gate_checker(gate: str):
    X, y = logic_gate(gate)

    def check(answer):
        w, b = _read_pair(answer)
        z = X @ w + b
        said = (z > 0).astype(float)  # the neuron "says 1" when sigmoid(z) > 0.5, i.e. when z > 0
        for xi, zi, si, yi in zip(X, z, said, y):
            if abs(zi) < 1e-12:
                raise NotYet(f"input {xi.astype(int).tolist()} sits exactly on the line (z = 0, output 0.5), so the "
                             "neuron cannot decide: move the line a little by changing b")
            if si != yi:
                raise NotYet(f"for input {xi.astype(int).tolist()} the weighted sum is z = {zi:g}, so the neuron "
                             f"says {int(si)} (sigmoid(z) = {float(sigmoid(zi)):.3f}); {gate.upper()} needs {int(yi)}")
        return f"all four rows of the {gate.upper()} truth table come out right (z = {np.round(z, 3).tolist()})."

    return check


and_gate = Exercise(
    "AND by hand",
    checker=_gate_checker("and"),
    hints=[
        "Only the input [1, 1] may give a positive weighted sum z = w1*x1 + w2*x2 + b.",
        "Try equal weights, w = [1, 1]. Then z is b for [0, 0], 1 + b for one input on, 2 + b for both on. "
        "Which b makes only the last one positive?",
        "With w = [1, 1] you need 1 + b < 0 < 2 + b, so any b between -2 and -1, e.g. b = -1.5.",
    ],
    solution="w_and = [1.0, 1.0]\nb_and = -1.5\nanswer = (w_and, b_and)",
    mistakes=[("answer = ([1.0, 1.0], -1.0)", "exactly on the line"),
              ("answer = ([1.0, 1.0], -0.5)", "AND needs 0"),
              ("answer = (1.0, -1.5)", "w should be two weights")],
)

or_gate = Exercise(
    "OR by hand",
    checker=_gate_checker("or"),
    hints=[
        "Now every input except [0, 0] must give a positive weighted sum.",
        "Keep equal weights, w = [1, 1]: z is b for [0, 0] and 1 + b for one input on. Which b makes the first "
        "negative and the second positive?",
        "With w = [1, 1] you need b < 0 < 1 + b: any b between -1 and 0, e.g. b = -0.5.",
    ],
    solution="w_or = [1.0, 1.0]\nb_or = -0.5\nanswer = (w_or, b_or)",
    mistakes=[("answer = ([1.0, 1.0], -1.5)", "OR needs 1"), ("answer = ([1.0, 1.0], 0.0)", "exactly on the line")],
)


def _neuron_reference(x, w, b):
    """Reference: sigmoid of the weighted sum plus bias."""
    return sigmoid(np.dot(w, x) + b)


neuron = FunctionExercise(
    "the forward pass of a neuron",
    reference=_neuron_reference,
    answer_name="my_neuron",
    cases=[
        Case(np.array([2.0, 3.0]), np.array([0.0, 1.0]), 4.0, note="the chapter's worked example"),
        Case(np.array([1.0, -1.0]), np.array([0.5, 0.5]), 0.0),
        Case(np.array([0.0, 0.0]), np.array([1.0, 1.0]), -2.0, note="only the bias counts here"),
        Case(np.array([1.0, 2.0, 3.0]), np.array([0.1, -0.2, 0.3]), -1.0, note="three inputs"),
    ],
    diagnoses=[
        Diagnosis(lambda x, w, b: sigmoid(np.dot(w, x)),
                  "your function leaves out the bias b: add it to the weighted sum, before the activation"),
        Diagnosis(lambda x, w, b: np.dot(w, x) + b,
                  "your function returns the weighted sum z itself, which can be any number; the neuron's output "
                  "is z passed through the activation, between 0 and 1"),
        Diagnosis(lambda x, w, b: sigmoid(np.sum(x) + b),
                  "your function adds up the inputs without their weights: multiply each input by its weight first"),
    ],
    hints=[
        "Multiply each input by its weight and add the products up: np.dot(w, x). Then add b.",
        "Finish with the activation: return sigmoid(np.dot(w, x) + b).",
    ],
    context={"sigmoid": sigmoid},
    solution="""
        def my_neuron(x, w, b):
            z = np.dot(w, x) + b      # weighted sum plus bias
            return sigmoid(z)         # the activation makes the call
    """,
    mistakes=[
        ("def my_neuron(x, w, b):\n    return sigmoid(np.dot(w, x))", "leaves out the bias"),
        ("def my_neuron(x, w, b):\n    return np.dot(w, x) + b", "returns the weighted sum z itself"),
        ("def my_neuron(x, w, b):\n    return sigmoid(np.sum(x) + b)", "without their weights"),
    ],
)

predict_output = ValueExercise(
    "predict the output",
    expected=float(sigmoid(1.5)),
    decimals=2,
    example="0.42",
    diagnoses={
        1.5: "that is the weighted sum z; the neuron's output is what the sigmoid makes of z",
        0.5: "0.5 is the sigmoid of z = 0, the undecided output; work out z for this input first",
        -0.5: "check the weighted sum: 1 * 3 + (-2) * 1 + 0.5, the bias is added, not subtracted",
    },
    hints=[
        "First the weighted sum: z = 1*3 + (-2)*1 + 0.5.",
        "z = 1.5. Now sigmoid(1.5) = 1 / (1 + e^-1.5), and e^-1.5 is about 0.223.",
    ],
    solution="z = 1 * 3 + (-2) * 1 + 0.5   # = 1.5\nanswer = 1 / (1 + np.exp(-z))   # about 0.82",
    mistakes=[("answer = 1.5", "weighted sum z"), ("answer = 0.5", "undecided output"),
              ("answer = 0.81", "close:"), ("answer = 0.3", "is not it")],
)

xor_best_line = ChoiceExercise(
    "one line against XOR",
    options=[1, 2, 3, 4],
    correct=3,
    explanations={
        3: "e.g. cut off the corner [1, 1]: it and both 1s are right, only [0, 0] is wrong.",
        4: "no line gets all four: the two 1s sit on one diagonal and the two 0s on the other.",
        2: "you can do better: a line that cuts off one corner gets that corner and two of the others right.",
        1: "even a line that puts every point on one side already gets two of them right.",
    },
    hints=["Draw the four points; the 1s are at [0, 1] and [1, 0], the 0s at [0, 0] and [1, 1].",
           "Cut off a single corner with a line: how many of the four points are now on their right side?"],
    solution="answer = 3   # e.g. cut off [1, 1]: it and both 1s are right, [0, 0] is wrong",
    mistakes=[("answer = 4", "no line gets all four"), ("answer = 2", "you can do better"),
              ("answer = 1", "every point on one side")],
)

layer_shape = ValueExercise(
    "the shape of a weight matrix",
    expected=(3, 5),
    what="your shape",
    diagnoses={(5, 3): "rows and columns are swapped: with X @ W, each row of W belongs to one input and each column "
                       "to one neuron"},
    hints=["With X @ W, the inputs of one sample run along a row of X. How must W be laid out for the product to "
           "work?",
           "W needs one row per input and one column per neuron."],
    solution="answer = (3, 5)   # 3 inputs (rows), 5 neurons (columns)",
    mistakes=[("answer = (5, 3)", "swapped"), ("answer = (3,)", "has 1 number"), ("answer = (3, 4)", "each axis")],
)

EXERCISES = [and_gate, or_gate, neuron, predict_output, xor_best_line, layer_shape]
