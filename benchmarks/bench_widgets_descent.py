"""How long one control move on chapter 3's panels takes: the run, the redraw, and the PNG the browser receives."""

from __future__ import annotations

from run import best_of

from nbhelpers.widgets.descent import LearningRatePanel, OptimizerPanel


def _measure(name, panel, control, values):
    cycle = iter(values * 1000)
    slider = panel.controls[control]

    def move():
        slider.value = next(cycle)  # runs gradient descent and redraws the figure
        panel.png()  # what display() sends to the browser

    seconds = best_of(move, repeat=5, number=4)
    redraw = best_of(lambda: setattr(slider, "value", next(cycle)), repeat=5, number=4)
    print(f"{name}: one {control} move = run + redraw + PNG: {seconds * 1000:.0f} ms (run + redraw only: "
          f"{redraw * 1000:.0f} ms)")


def main():
    _measure("LearningRatePanel (20 steps)", LearningRatePanel(steps=20), "lr", [0.1, 0.3])
    _measure("LearningRatePanel (100 steps)", LearningRatePanel(steps=100), "lr", [0.1, 0.3])
    _measure("LearningRatePanel (diverging)", LearningRatePanel(steps=50), "lr", [2.0, 3.0])
    _measure("OptimizerPanel (valley, 200 steps)", OptimizerPanel(steps=200), "lr", [0.05, 0.02])


if __name__ == "__main__":
    main()
