"""Chapter 4's costs: the explicit-backprop network (chapter 6's speed floor), the chapter's training loops,
the 100-seed study, gradient checking and one click of the step-through panel."""

from __future__ import annotations

import time

import numpy as np
from run import best_of

from nbhelpers.datasets import logic_gate, people
from nbhelpers.gradcheck import check_network
from nbhelpers.losses import hinge, hinge_grad, mse_grad
from nbhelpers.network import Network, train_many
from nbhelpers.optim import SGD


def _floor_task():
    """Chapter 6's benchmark task: 100 full-batch SGD steps, MLP 2-16-16-1 ReLU, hinge loss + 1e-4 L2,
    learning rate decaying from 1.0 to 0.1, on 100 points (random here; chapter 6 uses moons)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, 1.0, -1.0).reshape(-1, 1)
    net = Network([2, 16, 16, 1], activations=["relu", "relu", "linear"], seed=0)
    opt = SGD(net.parameters(), lr=1.0, weight_decay=1e-4)

    def run():
        for step in range(100):
            opt.lr = 1.0 - 0.9 * step / 99
            opt.zero_grad()
            out = net.forward(X)
            net.backward(hinge_grad(out, y))
            opt.step()
        return hinge(net.predict(X), y)

    return run


def _people_loop():
    _, X, y = people()
    net = Network([2, 2, 1], "sigmoid", seed=0)
    opt = SGD(net.parameters(), lr=0.1)
    for _ in range(1000):
        for x_i, y_i in zip(X, y):
            opt.zero_grad()
            net.backward(mse_grad(net.forward(x_i.reshape(1, 2)), [[y_i]]))
            opt.step()


def main():
    run = _floor_task()
    seconds = best_of(run, repeat=5)
    print(f"Network 2-16-16-1, 100 points: 100 SGD steps (hinge + L2, lr 1.0 -> 0.1) = {seconds * 1000:.1f} ms "
          f"({seconds * 1e4:.0f} us per step)")

    seconds = best_of(_people_loop, repeat=3)
    print(f"per-sample SGD on the four people, 1000 epochs with the package Network = {seconds:.2f} s")

    X, y = logic_gate("xor")
    for label, sizes, acts, init in [("2 ReLU, small", [2, 2, 1], ["relu", "sigmoid"], "small"),
                                     ("2 tanh, Xavier", [2, 2, 1], ["tanh", "sigmoid"], "xavier"),
                                     ("4 tanh, Xavier", [2, 4, 1], ["tanh", "sigmoid"], "xavier")]:
        seconds = best_of(lambda s=sizes, a=acts, i=init: train_many(X, y, s, a, range(100), init=i, lr=0.5, epochs=2000),
                          repeat=3)
        print(f"XOR study, {label}: 100 seeds x 2000 epochs at once = {seconds:.2f} s")

    rng = np.random.default_rng(1)
    Xc, yc = rng.normal(size=(100, 2)), rng.normal(size=(100, 1))
    net = Network([2, 16, 16, 1], ["relu", "relu", "linear"], seed=0)
    seconds = best_of(lambda: check_network(net, Xc, yc, "mse"), repeat=3)
    print(f"gradient check of 2-16-16-1 ({net.n_parameters} parameters) on 100 points = {seconds:.2f} s")

    from nbhelpers.widgets.backprop import BackpropStepper

    panel = BackpropStepper()

    def click():
        if panel.controls["step"].value == panel.n_steps:
            panel.buttons["reset"].click()
        panel.buttons["next"].click()
        panel.png()

    seconds = best_of(click, repeat=5, number=5)
    print(f"BackpropStepper: one 'next' click = redraw + PNG: {seconds * 1000:.0f} ms")
    start = time.perf_counter()
    for _ in range(10):
        panel.buttons["next"].click()
    print(f"BackpropStepper: redraw only: {(time.perf_counter() - start) * 100:.0f} ms")


if __name__ == "__main__":
    main()
