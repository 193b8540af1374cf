"""Chapter 6 exercises: training a multi-layer perceptron."""

from __future__ import annotations

import numpy as np

from nbhelpers.exercises import (
    ChoiceExercise, Exercise, NotAttempted, NotYet, ValueExercise, _short, call, is_placeholder, read_sizes, trusted,
)
from nbhelpers.datasets import make_circles, make_moons, make_spiral, train_test_split
from nbhelpers.mlp import MLP
from nbhelpers.optim import SGD
from nbhelpers.training import bce_loss, fit

__all__ = ["count_parameters", "training_loop", "spiral_architecture", "spot_the_bug", "test_accuracy",
           "EXERCISES"]


# ----------------------------------------------------------------------------------------------- parameters

count_parameters = ValueExercise(
    "count the parameters of MLP(2, [8, 8, 1])",
    expected=105,
    example="42",
    diagnoses={
        2 * 8 + 8 * 8 + 8 * 1: "that counts the weights only: every neuron also has one bias",
        8 + 8 + 1: "that counts the neurons; each neuron holds several numbers (one weight per input, and a bias)",
        2 * 8 + 8 * 8 + 8 * 1 + 2 + 8 + 8: "the biases belong to the neurons of each layer (8, 8 and 1), not to the "
                                           "inputs of each layer",
    },
    hints=[
        "Each layer has a weight matrix of shape (inputs, neurons) and one bias per neuron.",
        "Layer 1 takes 2 inputs into 8 neurons, layer 2 takes 8 into 8, layer 3 takes 8 into 1. Count each "
        "layer's weights and biases.",
        "Layer 1: 2*8 + 8. Layer 2: 8*8 + 8. Layer 3: 8*1 + 1. Add them up.",
    ],
    solution="answer = (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1)   # 24 + 72 + 9 = 105",
    mistakes=[("answer = 2 * 8 + 8 * 8 + 8 * 1   # forgot the biases", "weights only"),
              ("answer = 17", "counts the neurons"), ("answer = 104", "must be exact"),
              ("answer = 105.5", "whole number")],
)


# ----------------------------------------------------------------------------------------------- the loop

def _loop_setup():
    X, y = make_moons(40, noise=0.05, random_state=0)
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    return model, SGD(model.parameters(), lr=0.5), X, y


def _reference_losses(epochs: int, variant: str = "right"):
    model, optimizer, X, y = _loop_setup()
    losses = []
    for _ in range(epochs):
        loss = bce_loss(model(X), y)
        if variant != "no zero_grad":
            optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def _check_training_loop(train):
    if not callable(train):
        raise NotYet("pass your function itself, without parentheses: .check(train)")
    epochs = 30
    with trusted():
        model, optimizer, X, y = _loop_setup()  # fresh for every check: the learner's function may change them
    losses = call(train, model, optimizer, X, y, epochs, where=f"calling train(model, optimizer, X, y, {epochs})",
                  copy_inputs=False)
    if is_placeholder(losses):
        raise NotAttempted()
    if losses is None:
        raise NotYet("train returned None: end it with `return losses`")
    if isinstance(losses, str):
        raise NotYet("train returned text; it should return the list of losses, one number per epoch")
    try:
        losses = np.asarray(losses, dtype=float).ravel()
    except (TypeError, ValueError, RecursionError):
        raise NotYet("train should return a list of numbers (loss.item() of each epoch)") from None
    if len(losses) != epochs:
        raise NotYet(f"train should return one loss per epoch ({epochs} of them); got {len(losses)}")
    with trusted():
        expected = np.asarray(_reference_losses(epochs))
        piled_up = np.asarray(_reference_losses(epochs, "no zero_grad"))
    if np.allclose(losses, expected, rtol=1e-6, atol=1e-9):
        return (f"the loss fell from {expected[0]:.3f} to {expected[-1]:.3f} in {epochs} epochs, exactly as the "
                "reference loop's did.")
    if not np.all(np.isfinite(losses)):
        raise NotYet("some losses are NaN or infinite: the training diverged. Did the update step run more than "
                     "once per epoch, or on gradients that were never reset?")
    if np.allclose(losses, losses[0]):
        raise NotYet("the loss never changed, so the weights never moved: the update needs loss.backward() to fill "
                     "the gradients and then optimizer.step() to use them, in that order (and zero_grad before "
                     "backward, not between backward and step)")
    if np.allclose(losses, piled_up, rtol=1e-6):
        raise NotYet("the gradients pile up from one epoch to the next: call optimizer.zero_grad() before "
                     "loss.backward() in every epoch")
    first = int(np.argmax(~np.isclose(losses, expected, rtol=1e-6, atol=1e-9)))
    raise NotYet(f"your losses differ from the reference loop's from epoch {first} on. Use bce_loss(model(X), y) "
                 "for the loss, and return loss.item() of each epoch",
                 later=f"At epoch {first} the reference loss is {expected[first]:.6f}; yours is {losses[first]:.6f}.")


_TRAIN_MISTAKE = """
def train(model, optimizer, X, y, epochs):
    losses = []
    for epoch in range(epochs):
        loss = bce_loss(model(X), y)
        {body}
        losses.append(loss.item())
    {ret}
"""

training_loop = Exercise(
    "write the training loop",
    checker=_check_training_loop,
    answer_name="train",
    kind="function",
    hints=[
        "Each epoch does five things: run the model, measure the loss, clear the old gradients, compute the new "
        "ones, move the parameters. Which object (model, loss, optimizer) does each?",
        "zero_grad must come before backward: backward adds into .grad, it never overwrites it. And step() comes "
        "last, when the gradients are ready.",
        "scores = model(X); loss = bce_loss(scores, y); optimizer.zero_grad(); loss.backward(); optimizer.step().",
    ],
    context={"bce_loss": bce_loss},
    solution="""
        def train(model, optimizer, X, y, epochs):
            losses = []
            for epoch in range(epochs):
                scores = model(X)               # 1. forward pass
                loss = bce_loss(scores, y)      # 2. how wrong is it?
                optimizer.zero_grad()           # 3. forget the last epoch's gradients
                loss.backward()                 # 4. fill every parameter's .grad
                optimizer.step()                # 5. move the parameters downhill
                losses.append(loss.item())
            return losses
    """,
    mistakes=[
        (_TRAIN_MISTAKE.format(body="loss.backward()\n        optimizer.step()", ret="return losses"), "pile up"),
        (_TRAIN_MISTAKE.format(body="loss.backward()\n        optimizer.zero_grad()\n        optimizer.step()",
                               ret="return losses"), "never changed"),
        (_TRAIN_MISTAKE.format(body="optimizer.zero_grad()\n        loss.backward()\n        optimizer.step()",
                               ret="pass"), "returned None"),
        (_TRAIN_MISTAKE.format(body="optimizer.zero_grad()\n        loss.backward()\n        optimizer.step()\n"
                                    "        optimizer.step()", ret="return losses"), "differ from the reference"),
    ],
)


# ----------------------------------------------------------------------------------------------- spiral

_SPIRAL_EPOCHS = 1000
_MAX_PARAMETERS = 20_000


_SPIRAL_ACTIVATIONS = ("relu", "tanh", "sigmoid", "leaky_relu", "linear")


def _check_spiral(answer):
    if isinstance(answer, str) or not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise NotYet("answer with a pair (hidden, activation), e.g. ([8], 'tanh')")
    hidden, activation = answer
    if is_placeholder(hidden) or is_placeholder(activation):
        raise NotAttempted()
    # every size check comes first, from the numbers alone, before anything is built or trained
    hidden = read_sizes(hidden, "the hidden layer sizes", max_layers=8, max_width=1024)
    if not isinstance(activation, str):
        raise NotYet(f"the activation should be a name such as 'relu' or 'tanh'; got {_short(activation)}")
    name = activation.strip().lower().replace("-", "_").replace(" ", "_")
    if name not in _SPIRAL_ACTIVATIONS:
        raise NotYet(f"{activation!r} is not an activation the MLP knows; choose one of "
                     f"{', '.join(map(repr, _SPIRAL_ACTIVATIONS))}")
    sizes = [2] + hidden + [1]
    n_parameters = sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))
    if n_parameters > _MAX_PARAMETERS:
        raise NotYet(f"that network has {n_parameters} parameters; stay under {_MAX_PARAMETERS} so the check runs in "
                     "seconds (two layers of 16 to 64 neurons are plenty)")
    with trusted():  # the checker's own work: training the network the learner described
        model = MLP(2, hidden + [1], activation=name, seed=0)
        X, y = make_spiral(200, noise=0.05, random_state=0)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
        history = fit(model, X_train, y_train, X_test, y_test, epochs=_SPIRAL_EPOCHS, lr=0.02, target_accuracy=0.95)
    reached = history.train_acc[-1]
    if reached < 0.95:
        why = ("a network without hidden layers draws one straight line" if not hidden else
               "with a linear activation, stacked layers collapse into one straight line" if name == "linear" else
               "it is too small to wind its boundary around both arms: try more neurons or a second layer")
        raise NotYet(f"after {_SPIRAL_EPOCHS} epochs of Adam (lr 0.02) it reached only {reached:.0%} training "
                     f"accuracy; {why}")
    return (f"{model!r} reached {reached:.0%} training accuracy on the spiral after {history.epoch[-1]:g} epochs "
            f"(test accuracy {history.test_acc[-1]:.0%}).")


spiral_architecture = Exercise(
    "an architecture for the spiral",
    checker=_check_spiral,
    hints=[
        "A single straight line gets about half the spiral right. The boundary has to wind around the centre.",
        "One hidden layer of 2 or 4 neurons is too few: give the network more neurons, or a second layer.",
        "Two hidden layers of 16, with relu or tanh, are enough: ([16, 16], 'relu').",
    ],
    solution="answer = ([16, 16], 'relu')   # two hidden layers of 16: reaches 95% in well under a second",
    mistakes=[("answer = ([2], 'relu')", "too small"), ("answer = ([], 'relu')", "without hidden layers"),
              ("answer = ([16, 16], 'linear')", "collapse"), ("answer = ([10**8], 'relu')", "or fewer"),
              ("answer = ([2] * 2000, 'tanh')", "layers; stay at"), ("answer = ([200, 200], 'relu')", "parameters"),
              ("answer = ([16], 'softplus')", "not an activation")],
)


# ----------------------------------------------------------------------------------------------- bug hunt

spot_the_bug = ChoiceExercise(
    "spot the bug in the loop",
    options=[1, 2, 3, 4, 5, 6],
    correct=5,
    explanations={
        5: "zero_grad() between backward() and step() wipes the fresh gradients just before they are used, so "
           "every step moves the weights by nothing. Zero the gradients before backward().",
        1: "making the optimizer once, before the loop, is right.",
        2: "looping over epochs is right.",
        3: "the forward pass on the training data is right.",
        4: "the loss and then backward() are right; the trouble is what happens to the gradients next.",
        6: "step() is right; look at what happens to the gradients just before it.",
    },
    hints=[
        "Follow one weight's .grad through one pass of the loop: what does it hold after each line?",
        "optimizer.step() moves each weight by -lr * grad. What is grad at the moment step() runs?",
        "backward() fills .grad; zero_grad() empties it. Which comes just before step() here?",
    ],
    solution="answer = 5   # zero_grad() between backward() and step() erases the gradients before the update",
    mistakes=[("answer = 4", "the loss and then backward"), ("answer = 6", "step() is right"),
              ("answer = 7", "not one of the choices"), ("answer = 1", "optimizer once")],
)


# ----------------------------------------------------------------------------------------------- accuracy

def _reference_accuracy(model, X_test, y_test):
    scores = model(X_test).data.ravel()
    return float(np.mean((scores > 0).astype(int) == np.asarray(y_test).ravel()))


def _broadcast_accuracy(model, X_test, y_test):
    return float(np.mean((model(X_test).data > 0) == np.asarray(y_test)))


def _count_correct(model, X_test, y_test):
    return float(np.sum((model(X_test).data.ravel() > 0) == np.asarray(y_test)))


def _percent(model, X_test, y_test):
    return 100 * _reference_accuracy(model, X_test, y_test)


def _half_threshold(model, X_test, y_test):
    return float(np.mean((model(X_test).data.ravel() > 0.5) == np.asarray(y_test)))


_ACCURACY_MISTAKES = [
    (_broadcast_accuracy, "model(X_test) has shape (n, 1) and y_test (n,), so comparing them makes an (n, n) table "
                          "of every score against every label: flatten the scores first, with .ravel()"),
    (_count_correct, "you returned the number of correct answers; divide by the number of test points to get the "
                     "fraction"),
    (_percent, "you returned a percentage; return the fraction, between 0 and 1"),
    (_half_threshold, "the model outputs scores, not probabilities: class 1 means score > 0 (which is probability "
                      "> 0.5)"),
]

_CASES = []


def _accuracy_cases():
    """Three trained-for-a-moment models with their test sets (built once, on the first check).

    The learner's function only ever sees deep copies of these, so nothing it does can change them.
    """
    if not _CASES:
        with trusted():
            for maker, seed, epochs in ((make_moons, 0, 15), (make_circles, 1, 10), (make_moons, 2, 3)):
                X, y = maker(120, noise=0.25, random_state=seed)
                X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=seed)
                model = MLP(2, [8, 1], activation="tanh", seed=seed)
                fit(model, X_train, y_train, epochs=epochs, lr=0.05)
                # unbalanced on purpose (every class-1 point, two thirds of class 0): on a balanced test set the
                # (n, n) broadcasting slip gives exactly 0.5 whatever the model, and could not be told apart
                keep = (y_test == 1) | (np.cumsum(y_test == 0) % 3 != 0)
                _CASES.append((model, X_test[keep], y_test[keep]))
    return _CASES


def _check_accuracy(function):
    if not callable(function):
        raise NotYet("pass your function itself, without parentheses: .check(test_accuracy)")
    results = []
    for i, (model, X_test, y_test) in enumerate(_accuracy_cases(), start=1):
        got = call(function, model, X_test, y_test, where=f"on test set {i}")  # deep copies of model and data
        if is_placeholder(got):
            raise NotAttempted()
        if got is None:
            raise NotYet("your function returned None: did you forget `return`?")
        if isinstance(got, str) or isinstance(got, (bool, np.bool_)):
            raise NotYet(f"return one number (a fraction between 0 and 1); got {_short(got)}")
        try:
            array = np.asarray(got, dtype=float)
        except (TypeError, ValueError, RecursionError):
            raise NotYet(f"return one number (a fraction between 0 and 1); got {_short(got)}") from None
        if array.size != 1:
            raise NotYet(f"on test set {i} your function returned {array.size} numbers (shape {array.shape}); "
                         "return one number, the fraction of test points it gets right (np.mean of the matches)")
        results.append((float(array.reshape(-1)[0]), model, X_test, y_test))
    expected = [_reference_accuracy(m, X, y) for _, m, X, y in results]
    if all(np.isclose(g, e, rtol=1e-9, atol=1e-12) for (g, *_), e in zip(results, expected)):
        return "your function agrees on all three test sets."
    for mistake, message in _ACCURACY_MISTAKES:  # a mistake is named only if it explains every test set
        if all(np.isclose(g, mistake(m, X, y), rtol=1e-9, atol=1e-12) for g, m, X, y in results):
            raise NotYet(message)
    for i, ((g, m, X, y), e) in enumerate(zip(results, expected), start=1):
        if not np.isclose(g, e, rtol=1e-9, atol=1e-12):
            outside = " (a fraction lies between 0 and 1)" if not 0 <= g <= 1 else ""
            raise NotYet(f"on test set {i} your function returned {g:.4g}{outside}, which is not its test accuracy. "
                         "Predict class 1 where the score is above 0, then take the fraction of predictions that "
                         "equal y_test", later=f"The test accuracy of set {i} is {e:.4g}.")
    raise NotYet("your function does not agree with the test accuracy")  # not reached


test_accuracy = Exercise(
    "compute test accuracy",
    checker=_check_accuracy,
    answer_name="test_accuracy",
    kind="function",
    hints=[
        "Scores first: model(X_test).data, shape (n, 1). Class 1 where the score is above 0.",
        "Compare the predicted classes with y_test element by element (mind the shapes) and take the fraction "
        "that match.",
        "predicted = (model(X_test).data.ravel() > 0).astype(int); return np.mean(predicted == y_test).",
    ],
    solution="""
        def test_accuracy(model, X_test, y_test):
            scores = model(X_test).data.ravel()      # one score per test point
            predicted = (scores > 0).astype(int)     # class 1 where the score is positive
            return np.mean(predicted == y_test)      # fraction right, between 0 and 1
    """,
    mistakes=[
        ("def test_accuracy(model, X_test, y_test):\n    return np.mean((model(X_test).data > 0) == y_test)",
         "(n, n) table"),
        ("def test_accuracy(model, X_test, y_test):\n    return np.sum((model(X_test).data.ravel() > 0) == y_test)",
         "number of correct answers"),
        ("def test_accuracy(model, X_test, y_test):\n"
         "    return 100 * np.mean((model(X_test).data.ravel() > 0) == y_test)", "percentage"),
        ("def test_accuracy(model, X_test, y_test):\n    return np.mean((model(X_test).data.ravel() > 0.5) == y_test)",
         "scores, not probabilities"),
        ("def test_accuracy(model, X_test, y_test):\n    return 0.5", "which is not its test accuracy"),
    ],
)

EXERCISES = [count_parameters, training_loop, spiral_architecture, spot_the_bug, test_accuracy]
