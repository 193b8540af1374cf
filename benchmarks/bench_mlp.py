"""Chapter 6's training speed: the same task four ways, and the spiral to 95%.

The task (micrograd's classic demo): 100 full-batch SGD steps on 100 moons points, MLP(2, [16, 16, 1]) with
ReLU, hinge loss plus 1e-4 L2 (``1e-4 * sum of every parameter squared``), learning rate decaying linearly
from 1.0 to 0.1. Four implementations, all starting from the *same* weights so that they must also agree on
the result:

    (a) the scalar engine of chapter 5 (nbhelpers.engine / nbhelpers.scalar_nn): one Value per number;
    (b) the array engine of chapter 5 with chapter 6's MLP (nbhelpers.tensor / nbhelpers.mlp);
    (c) chapter 4's network with hand-written backpropagation (nbhelpers.network): the floor;
    (d) PyTorch on the CPU, when it is installed.

    python benchmarks/run.py mlp
"""

from __future__ import annotations

import time

import numpy as np

try:
    from run import best_of
except ImportError:  # run directly: python benchmarks/bench_mlp.py
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from run import best_of

from nbhelpers.datasets import make_moons, make_spiral, train_test_split
from nbhelpers.mlp import MLP
from nbhelpers.optim import SGD
from nbhelpers.training import fit, hinge_loss, l2_penalty

STEPS, ALPHA = 100, 1e-4
X, Y01 = make_moons(100, noise=0.1, random_state=0)
Y = 2.0 * Y01 - 1.0  # hinge labels -1 / +1


def learning_rate(step: int) -> float:
    return 1.0 - 0.9 * step / (STEPS - 1)  # 1.0 at the first step, 0.1 at the last


def start_weights():
    """The shared starting point: chapter 6's MLP with seed 0 (He initialisation), as (W, b) pairs."""
    model = MLP(2, [16, 16, 1], seed=0)
    return [(layer.W.data.copy(), layer.b.data.copy()) for layer in model.layers]


def report(scores) -> tuple:
    scores = np.asarray(scores, dtype=float).ravel()
    loss = np.mean(np.maximum(0, 1 - Y * scores)) + 0.0
    return loss, float(np.mean((scores > 0) == (Y > 0)))


# ----------------------------------------------------------------------------------------------- (b) array engine

def train_array():
    model = MLP(2, [16, 16, 1], seed=0)
    optimizer = SGD(model.parameters(), lr=1.0)
    for step in range(STEPS):
        loss = hinge_loss(model(X), Y) + l2_penalty(model.parameters(), ALPHA)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = learning_rate(step)
        optimizer.step()
    return model.predict_scores(X)


# ----------------------------------------------------------------------------------------------- (c) chapter 4

def train_network():
    from nbhelpers.network import Network

    net = Network.from_weights(start_weights(), activations=["relu", "relu", "linear"])
    optimizer = SGD(net.parameters(), lr=1.0, weight_decay=2 * ALPHA)  # d(alpha * w^2)/dw = 2 alpha w
    y = Y.reshape(-1, 1)
    for step in range(STEPS):
        scores = net.forward(X)
        optimizer.zero_grad()
        net.backward(np.where(y * scores < 1, -y, 0.0) / len(y))  # d hinge / d score
        optimizer.lr = learning_rate(step)
        optimizer.step()
    return net.predict(X)


# ----------------------------------------------------------------------------------------------- (a) scalar engine

def scalar_model():
    from nbhelpers.scalar_nn import MLP as ScalarMLP

    model = ScalarMLP(2, [16, 16, 1], activation="relu", seed=0)
    for layer, (W, b) in zip(model.layers, start_weights()):
        for j, neuron in enumerate(layer.neurons):
            for i, w in enumerate(neuron.w):
                w.data = float(W[i, j])
            neuron.b.data = float(b[j])
    return model


def train_scalar(steps: int = STEPS):
    model = scalar_model()
    params = model.parameters()
    rows = [list(map(float, row)) for row in X]
    for step in range(steps):
        scores = [model(row) for row in rows]
        hinge = sum((1 + -yi * si).relu() for yi, si in zip(Y.tolist(), scores)) * (1.0 / len(rows))
        loss = hinge + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        lr = learning_rate(step)
        for p in params:
            p.data -= lr * p.grad
    return [model(row).data for row in rows]


# ----------------------------------------------------------------------------------------------- (d) PyTorch

def torch_trainer():
    import torch

    torch.set_num_threads(1)
    weights = start_weights()
    layers = [torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
              torch.nn.Linear(16, 1)]
    net = torch.nn.Sequential(*layers).double()
    with torch.no_grad():
        for layer, (W, b) in zip(layers[::2], weights):
            layer.weight.copy_(torch.tensor(W.T))
            layer.bias.copy_(torch.tensor(b))
    start = [p.detach().clone() for p in net.parameters()]
    Xt, yt = torch.tensor(X), torch.tensor(Y).reshape(-1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=1.0)

    def run():
        with torch.no_grad():
            for p, s in zip(net.parameters(), start):
                p.copy_(s)
        for step in range(STEPS):
            loss = torch.relu(1 - yt * net(Xt)).mean() + ALPHA * sum((p * p).sum() for p in net.parameters())
            optimizer.zero_grad()
            loss.backward()
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step)
            optimizer.step()
        with torch.no_grad():
            return net(Xt).numpy()

    return run


# ----------------------------------------------------------------------------------------------- main

def main():
    results = {}
    scores_b = train_array()
    results["(b) array engine (chapter 6 MLP on Tensor)"] = (best_of(train_array, repeat=7), scores_b)

    try:
        scores_c = train_network()
        results["(c) chapter 4 Network, hand-written backprop"] = (best_of(train_network, repeat=7), scores_c)
    except ImportError as err:
        print(f"(c) skipped: chapter 4's nbhelpers.network is not available here ({err}).")

    try:
        few = 3
        start = time.perf_counter()
        train_scalar(few)
        per_step = (time.perf_counter() - start) / few
        if per_step * STEPS < 120:  # run the whole task when it takes at most two minutes
            start = time.perf_counter()
            scores_a = train_scalar()
            results["(a) scalar engine (chapter 5 Value)"] = (time.perf_counter() - start, scores_a)
        else:
            print(f"(a) scalar engine: {per_step:.2f} s per step; the full task would take {per_step * STEPS:.0f} s "
                  "(not run)")
    except ImportError as err:
        print(f"(a) skipped: chapter 5's nbhelpers.scalar_nn is not available here ({err}).")

    try:
        import torch
    except ImportError:
        print("(d) skipped: PyTorch is not installed here (pip install torch to include it).")
    else:
        run = torch_trainer()
        scores_d = run()
        results["(d) PyTorch (CPU, one thread, float64)"] = (best_of(run, repeat=7), scores_d)

    floor_name = next((k for k in results if k.startswith("(c)")), None)
    floor = results[floor_name][0] if floor_name else None
    print(f"Task: {STEPS} full-batch SGD steps, {len(X)} moons points, MLP(2, [16, 16, 1]) ReLU, hinge + "
          f"{ALPHA:g} L2, lr 1.0 -> 0.1; every implementation starts from the same weights.")
    for name in sorted(results):
        seconds, scores = results[name]
        loss, acc = report(scores)
        ratio = f"{seconds / floor:7.2f}x the floor" if floor else ""
        print(f"  {name:46s} {seconds * 1000:9.1f} ms  ({seconds / STEPS * 1e6:8.0f} us/step)  {ratio}   "
              f"final hinge {loss:.4f}, accuracy {acc:.0%}")
    same = [np.allclose(np.ravel(s), np.ravel(scores_b), atol=1e-6) for _, s in results.values()]
    print(f"  all implementations end with the same scores (to 1e-6): {all(same)}")

    # the spiral to 95% training accuracy, as in the chapter and the exercise
    Xs, ys = make_spiral(300, noise=0.05, random_state=0)
    X_train, _, y_train, _ = train_test_split(Xs, ys, test_size=0.3, random_state=0)
    for sizes, lr in (([16, 16], 0.02), ([8, 8, 8], 0.02), ([32, 32], 0.01)):
        times, epochs = [], []
        for seed in range(3):
            start = time.perf_counter()
            history = fit(MLP(2, sizes + [1], seed=seed), X_train, y_train, epochs=3000, lr=lr, target_accuracy=0.95)
            times.append(time.perf_counter() - start)
            epochs.append(history.epoch[-1] if history.train_acc[-1] >= 0.95 else None)
        print(f"Spiral (210 training points) to 95% train accuracy, MLP(2, {sizes + [1]}), Adam lr {lr}, full batch: "
              f"{max(times):.2f} s at most over seeds 0-2 (epochs needed: {epochs})")

    # the chapter's exercise that trains the learner's architecture: a right answer, and a too-small one
    from nbhelpers.exercises import ch06

    for answer in (([16, 16], "relu"), ([64, 64], "tanh"), ([2], "relu")):
        start = time.perf_counter()
        result = ch06.spiral_architecture.evaluate(answer)
        print(f"Exercise 'an architecture for the spiral', answer {answer}: {result.status} in "
              f"{time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
