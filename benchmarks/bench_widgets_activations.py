"""How long one control change on chapter 2's ActivationPanel takes: redraw, and redraw plus the PNG sent to the browser."""

from __future__ import annotations

from run import best_of

from nbhelpers.widgets.activations import ActivationPanel


def main():
    panel = ActivationPanel()
    slider = panel.controls["w1"]
    values = iter([0.5, 1.5] * 10_000)

    def move():
        slider.value = next(values)  # redraws both panels
        panel.png()  # what display() sends to the browser

    for name in ("sigmoid", "relu"):
        panel.controls["activation"].value = name
        redraw = best_of(lambda: setattr(slider, "value", next(values)), repeat=5, number=5)
        full = best_of(move, repeat=5, number=5)
        print(f"ActivationPanel ({name}): one slider move, redraw only: {redraw * 1000:.0f} ms; "
              f"redraw + PNG: {full * 1000:.0f} ms")

    names = iter(["tanh", "gelu"] * 10_000)
    switch = best_of(lambda: setattr(panel.controls["activation"], "value", next(names)), repeat=5, number=5)
    print(f"ActivationPanel: switching the activation, redraw only: {switch * 1000:.0f} ms")


if __name__ == "__main__":
    main()
