"""Chapter 6 exercises: training a multi-layer perceptron."""

from __future__ import annotations

import numpy as np

from nbhelpers.exercises import (
    ChoiceExercise,
    Exercise,
    NotYet,
    ValueExercise,
    is_placeholder,
    NotAttempted,
)

__all__ = ["count_parameters", "training_loop", "spiral_architecture", "spot_the_bug", "test_accuracy",
           "EXERCISES"]


def _uses_placeholder(function) -> bool:
    """True when the learner's function still contains the blank ``____``."""
    code = getattr(function, "__code__", None)
    return code is not None and "____" in code.co_names


# ----------------------------------------------------------------------------------------------- parameters

count_parameters = ValueExercise(
    "count the parameters of MLP(2, [8, 8, 1])",
    expected=105,
    rtol=0.0,
    atol=0.0,
    hints=[
        "Each layer has a weight matrix of shape (inputs, neurons) and one bias per neuron.",
        "Layer 1: 2*8 + 8. Layer 2: 8*8 + 8. Layer 3: 8*1 + 1. Add them up.",
    ],
    solution="answer = (2 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1)   # 24 + 72 + 9 = 105",
    mistakes=["answer = 2 * 8 + 8 * 8 + 8 * 1   # forgot the biases", "answer = 17"],
)


# ----------------------------------------------------------------------------------------------- the loop

def _loop_setup():
    from nbhelpers.datasets import make_moons
    from nbhelpers.mlp import MLP
    from nbhelpers.optim import SGD

    X, y = make_moons(40, noise=0.05, random_state=0)
    model = MLP(2, [8, 1], activation="tanh", seed=0)
    return model, SGD(model.parameters(), lr=0.5), X, y


def _reference_losses(epochs: int, variant: str = "right"):
    from nbhelpers.training import bce_loss

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
        raise NotYet("pass your function itself, without parentheses: .check(train).")
    epochs = 30
    model, optimizer, X, y = _loop_setup()
    try:
        losses = train(model, optimizer, X, y, epochs)
    except Exception as err:
        if _uses_placeholder(train):
            raise NotAttempted() from None
        raise NotYet(f"calling train(model, optimizer, X, y, {epochs}) raised {type(err).__name__}: {err}") from None
    if is_placeholder(losses):
        raise NotAttempted()
    if losses is None:
        raise NotYet("train returned None: end it with `return losses`.")
    try:
        losses = np.asarray(losses, dtype=float).ravel()
    except (TypeError, ValueError):
        raise NotYet("train should return a list of numbers (loss.item() of each epoch).") from None
    if len(losses) != epochs:
        raise NotYet(f"train should return one loss per epoch ({epochs}); got {len(losses)}.")
    expected = np.asarray(_reference_losses(epochs))
    if np.allclose(losses, expected, rtol=1e-6, atol=1e-9):
        return (f"the loss fell from {expected[0]:.3f} to {expected[-1]:.3f} in {epochs} epochs, exactly as the "
                "reference loop's did.")
    if np.allclose(losses, losses[0]):
        raise NotYet("the loss never changed, so the weights never moved: the update needs loss.backward() to fill "
                     "the gradients and then optimizer.step() to use them, in that order (and zero_grad before "
                     "backward, not between backward and step).")
    if np.allclose(losses, _reference_losses(epochs, "no zero_grad"), rtol=1e-6):
        raise NotYet("the gradients pile up from one epoch to the next: call optimizer.zero_grad() before "
                     "loss.backward() in every epoch.")
    first = int(np.argmax(~np.isclose(losses, expected, rtol=1e-6, atol=1e-9)))
    raise NotYet(f"your losses differ from the reference from epoch {first} on: expected {expected[first]:.4f}, got "
                 f"{losses[first]:.4f}. Use bce_loss(model(X), y) for the loss, and return loss.item() of each epoch.")


training_loop = Exercise(
    "write the training loop",
    checker=_check_training_loop,
    answer_name="train",
    hints=[
        "Five steps each epoch: scores = model(X); loss = bce_loss(scores, y); optimizer.zero_grad(); "
        "loss.backward(); optimizer.step().",
        "zero_grad must come before backward: backward adds into .grad, it never overwrites it.",
        "Record the loss with losses.append(loss.item()) and finish with return losses.",
    ],
    solution="""
        from nbhelpers.training import bce_loss

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
        """
        from nbhelpers.training import bce_loss
        def train(model, optimizer, X, y, epochs):
            losses = []
            for epoch in range(epochs):
                loss = bce_loss(model(X), y)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            return losses
        """,
        """
        from nbhelpers.training import bce_loss
        def train(model, optimizer, X, y, epochs):
            losses = []
            for epoch in range(epochs):
                loss = bce_loss(model(X), y)
                loss.backward()
                optimizer.zero_grad()
                optimizer.step()
                losses.append(loss.item())
            return losses
        """,
        """
        from nbhelpers.training import bce_loss
        def train(model, optimizer, X, y, epochs):
            losses = []
            for epoch in range(epochs):
                loss = bce_loss(model(X), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        """,
    ],
)


# ----------------------------------------------------------------------------------------------- spiral

_SPIRAL_EPOCHS = 1000
_MAX_PARAMETERS = 20_000


def _check_spiral(answer):
    from nbhelpers.datasets import make_spiral, train_test_split
    from nbhelpers.mlp import MLP
    from nbhelpers.training import fit

    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise NotYet("answer with a pair (hidden, activation), e.g. ([8], 'tanh').")
    hidden, activation = answer
    if isinstance(hidden, (int, np.integer)):
        hidden = [hidden]
    try:
        model = MLP(2, list(hidden) + [1], activation=activation, seed=0)
    except (TypeError, ValueError) as err:
        raise NotYet(f"that network cannot be built: {err}") from None
    if model.n_parameters > _MAX_PARAMETERS:
        raise NotYet(f"that network has {model.n_parameters} parameters; stay under {_MAX_PARAMETERS} so the check "
                     "runs in seconds (two layers of 16 to 64 neurons are plenty).")
    X, y = make_spiral(200, noise=0.05, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    history = fit(model, X_train, y_train, X_test, y_test, epochs=_SPIRAL_EPOCHS, lr=0.02, target_accuracy=0.95)
    reached = history.train_acc[-1]
    if reached < 0.95:
        why = ("a network without hidden layers draws one straight line" if not list(hidden) else
               "with a linear activation, stacked layers collapse into one straight line" if model.activation ==
               "linear" else "it is too small to wind its boundary around both arms: try more neurons or a second "
               "layer")
        raise NotYet(f"after {_SPIRAL_EPOCHS} epochs of Adam (lr 0.02) it reached only {reached:.0%} training "
                     f"accuracy; {why}.")
    return (f"{model!r} reached {reached:.0%} training accuracy on the spiral after {history.epoch[-1]:g} epochs "
            f"(test accuracy {history.test_acc[-1]:.0%}).")


spiral_architecture = Exercise(
    "an architecture for the spiral",
    checker=_check_spiral,
    hints=[
        "A single straight line gets about half the spiral right. The boundary has to wind around the centre.",
        "One hidden layer of 2 or 4 neurons is too few; try two hidden layers of 16, with relu or tanh.",
    ],
    solution="answer = ([16, 16], 'relu')   # two hidden layers of 16: reaches 95% in well under a second",
    mistakes=["answer = ([2], 'relu')", "answer = ([], 'relu')", "answer = ([16, 16], 'linear')"],
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
        "Run it in your head: after line 4 every parameter's .grad holds the gradient. What does line 5 do to it?",
        "optimizer.step() moves each weight by -lr * grad. What is grad at that moment?",
    ],
    solution="answer = 5   # zero_grad() between backward() and step() erases the gradients before the update",
    mistakes=["answer = 4", "answer = 6", "answer = 7"],
)


# ----------------------------------------------------------------------------------------------- accuracy

def _reference_accuracy(model, X_test, y_test):
    scores = model(X_test).data.ravel()
    return float(np.mean((scores > 0).astype(int) == np.asarray(y_test).ravel()))


_CASES = []


def _accuracy_cases():
    """Three trained-for-a-moment models with their test sets (built once, on the first check)."""
    if not _CASES:
        from nbhelpers.datasets import make_circles, make_moons, train_test_split
        from nbhelpers.mlp import MLP
        from nbhelpers.training import fit

        for maker, seed, epochs in ((make_moons, 0, 15), (make_circles, 1, 10), (make_moons, 2, 3)):
            X, y = maker(120, noise=0.25, random_state=seed)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=seed)
            model = MLP(2, [8, 1], activation="tanh", seed=seed)
            fit(model, X_train, y_train, epochs=epochs, lr=0.05)
            _CASES.append((model, X_test, y_test))
    return _CASES


def _check_accuracy(function):
    if not callable(function):
        raise NotYet("pass your function itself, without parentheses: .check(test_accuracy).")
    for i, (model, X_test, y_test) in enumerate(_accuracy_cases(), start=1):
        try:
            got = function(model, X_test, y_test)
        except Exception as err:
            if _uses_placeholder(function):
                raise NotAttempted() from None
            raise NotYet(f"on test set {i} your function raised {type(err).__name__}: {err}") from None
        expected = _reference_accuracy(model, X_test, y_test)
        if is_placeholder(got):
            raise NotAttempted()
        if got is None:
            raise NotYet("your function returned None: did you forget `return`?")
        try:
            got = float(np.asarray(got, dtype=float))
        except (TypeError, ValueError):
            raise NotYet(f"return one number (a fraction between 0 and 1); got {got!r}.") from None
        if np.isclose(got, expected):
            continue
        if np.isclose(got, 100 * expected):
            raise NotYet(f"on test set {i} you returned {got:g}, a percentage; return the fraction {expected:g}.")
        if np.isclose(got, expected * len(y_test)):
            raise NotYet(f"on test set {i} you returned {got:g}, the number of correct answers; divide by the "
                         f"number of test points ({len(y_test)}) to get the fraction.")
        n = len(y_test)
        scores = model(X_test).data
        if np.isclose(got, np.mean((scores > 0).astype(int) == np.asarray(y_test))):
            raise NotYet(f"on test set {i} you got {got:.3f}, not {expected:.3f}: model(X_test) has shape ({n}, 1) "
                         f"and y_test ({n},), so comparing them makes an ({n}, {n}) table. Flatten the scores first: "
                         ".ravel().")
        if np.isclose(got, np.mean((scores.ravel() > 0.5).astype(int) == y_test)):
            raise NotYet(f"on test set {i} you got {got:.3f}, not {expected:.3f}: the model outputs scores, not "
                         "probabilities; class 1 means score > 0 (probability > 0.5).")
        raise NotYet(f"on test set {i} you got {got:.4g}; the test accuracy is {expected:.4g}.")
    return "your function agrees on all three test sets."


test_accuracy = Exercise(
    "compute test accuracy",
    checker=_check_accuracy,
    answer_name="test_accuracy",
    hints=[
        "Scores first: model(X_test).data, shape (n, 1). Class 1 where the score is above 0.",
        "predicted = (model(X_test).data.ravel() > 0).astype(int); then the fraction of predicted == y_test.",
    ],
    solution="""
        def test_accuracy(model, X_test, y_test):
            scores = model(X_test).data.ravel()      # one score per test point
            predicted = (scores > 0).astype(int)     # class 1 where the score is positive
            return np.mean(predicted == y_test)      # fraction right, between 0 and 1
    """,
    mistakes=[
        "def test_accuracy(model, X_test, y_test):\n    return np.mean((model(X_test).data > 0) == y_test)",
        "def test_accuracy(model, X_test, y_test):\n    return np.sum((model(X_test).data.ravel() > 0) == y_test)",
        "def test_accuracy(model, X_test, y_test):\n"
        "    return 100 * np.mean((model(X_test).data.ravel() > 0) == y_test)",
        "def test_accuracy(model, X_test, y_test):\n    return np.mean((model(X_test).data.ravel() > 0.5) == y_test)",
    ],
)

EXERCISES = [count_parameters, training_loop, spiral_architecture, spot_the_bug, test_accuracy]
