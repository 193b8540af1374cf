"""Chapter 6's playground must feel live: one "Train 50 epochs" click on 200 points with hidden layers [8, 8],
redraw included, well under half a second. Also: a Step click, building the panel, and the boundary animation."""

from __future__ import annotations

import time

from run import best_of

from nbhelpers.datasets import make_spiral, train_test_split
from nbhelpers.mlp import MLP
from nbhelpers.plotting.mlp import animate_training, animation_html
from nbhelpers.training import Trainer
from nbhelpers.widgets.playground import Playground


def _panel():
    # 200 points, half for training, mini-batches of 10: one epoch is 10 optimizer steps
    return Playground(dataset="circles", n_samples=200, train_fraction=0.5, hidden="8, 8", activation="tanh",
                      batch_size=10, epochs_per_click=50)


def main():
    build = best_of(_panel, repeat=3)
    print(f"Playground: build the panel (data, network, first drawing): {build * 1000:.0f} ms")

    panel = _panel()
    trainer = panel.trainer

    def click():
        panel.buttons["train"].click()  # trains 50 epochs and redraws the figure
        panel.png()  # the picture a live kernel sends to the browser

    total = best_of(click, repeat=5)
    train = best_of(lambda: trainer.train_epochs(50), repeat=5)
    refresh = best_of(lambda: panel._redraw(fast=True), repeat=5)  # what a click does: update the pictures
    redraw = best_of(panel._redraw, repeat=5)  # what a change of data or network does: draw from scratch
    png = best_of(panel.png, repeat=5)
    steps = 50 * 10
    print(f"Playground: one 'Train 50 epochs' click ({steps} steps on 100 training points, [8, 8]), "
          f"train + redraw + PNG: {total * 1000:.0f} ms (target: well under 500 ms)")
    print(f"    of which training {train * 1000:.0f} ms ({train / steps * 1e6:.0f} us per step incl. per-epoch "
          f"evaluation), updating the pictures {refresh * 1000:.0f} ms, PNG {png * 1000:.0f} ms "
          f"(a full redraw, after a change of data or network: {redraw * 1000:.0f} ms)")
    step = best_of(lambda: (panel.buttons["step"].click(), panel.png()), repeat=5)
    print(f"Playground: one 'Step' click with redraw + PNG: {step * 1000:.0f} ms")

    X, y = make_spiral(300, noise=0.05, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
    start = time.perf_counter()
    trainer = Trainer(MLP(2, [16, 16, 1], seed=0), X_train, y_train, X_test, y_test, lr=0.01)
    animation = animate_training(trainer, epochs=200, every=10, title="Spiral")
    made = time.perf_counter() - start
    html = animation_html(animation, default_mode="once")
    done = time.perf_counter() - start
    print(f"Animation (chapter's spiral, 21 frames): train + frames {made * 1000:.0f} ms, to HTML (JPEG frames) "
          f"{(done - made) * 1000:.0f} ms, total {done:.2f} s, {len(html) / 1024:.0f} KB of HTML")


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
