"""How long one slider move on chapter 1's panel takes: redraw plus the PNG the browser receives."""

from __future__ import annotations

from run import best_of

from nbhelpers.widgets.neuron import NeuronPanel


def main():
    panel = NeuronPanel()
    slider = panel.controls["w1"]
    values = iter([0.5, 1.5] * 1000)

    def move():
        slider.value = next(values)  # redraws the figure
        panel.png()  # what display() sends to the browser

    seconds = best_of(move, repeat=5, number=5)
    print(f"NeuronPanel: one slider move = redraw + PNG: {seconds * 1000:.0f} ms")
    redraw = best_of(lambda: setattr(slider, "value", next(values)), repeat=5, number=5)
    print(f"NeuronPanel: redraw only: {redraw * 1000:.0f} ms")


if __name__ == "__main__":
    main()
