"""Chapter 6's playground must feel live: every control change and every frame of Play at most 50 ms of kernel CPU
(median) at the chapter's sizes, 10 frames per second or more while playing.

CPU time (``time.process_time``: every thread of the process, so BLAS threads count too), median of repeats.
The same script measures the version before the live playground (run it with that checkout on PYTHONPATH): where
the playground has no Play, only the click and change rows are measured, each with the PNG the old panel sent.

    PYTHONPATH=. python benchmarks/bench_playground.py
"""

from __future__ import annotations

import json
import statistics
import time

from nbhelpers.widgets.playground import Playground

CHAPTER = {"dataset": "spiral", "noise": 0.05, "hidden": "16, 16", "activation": "relu", "learning_rate": 0.01}
SMALL = {"dataset": "circles", "n_samples": 200, "train_fraction": 0.5, "hidden": "8, 8", "activation": "tanh",
         "batch_size": 10, "epochs_per_click": 50}


def cpu_median(function, repeat: int = 9) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _live(panel) -> bool:
    return hasattr(panel, "play_widget")


def _sent(panel):
    """What one change costs besides the work: the old panel rendered and sent a PNG of its figure; the live one
    sends the view's numbers (their JSON encoding is measured too, as the kernel's session does it)."""
    if not _live(panel):
        return panel.png()
    state = panel.view.get_state()
    return json.dumps({k: v for k, v in state.items() if not isinstance(v, (bytes, memoryview))})


def main():
    for name, settings in (("chapter's spiral [16, 16], 200 points", CHAPTER), ("circles [8, 8], 200 points", SMALL)):
        panel = Playground(**settings)
        live = _live(panel)
        print(f"\n{name} ({'live view' if live else 'PNG per change'}), CPU ms, median:")
        click = cpu_median(lambda p=panel: (p.buttons["train"].click(), _sent(p)), repeat=5)
        step = cpu_median(lambda p=panel: (p.buttons["step"].click(), _sent(p)))
        rates = iter([0.01, 0.02] * 20)
        change = cpu_median(lambda p=panel: (setattr(p.controls["learning_rate"], "value", next(rates)), _sent(p)))
        flips = iter([True, False] * 20)
        if live:
            view = cpu_median(lambda p=panel: (setattr(p.controls["show_test"], "value", next(flips)), _sent(p)))
        noises = iter([0.1, 0.15] * 10)
        data = cpu_median(lambda p=panel: (setattr(p.controls["noise"], "value", next(noises)), _sent(p)), repeat=5)
        print(f"  'Train 50 epochs' click {click * 1e3:6.1f}   Step click {step * 1e3:6.1f}   "
              f"learning rate change {change * 1e3:6.1f}   noise change (new data + network) {data * 1e3:6.1f}"
              + (f"   show-test toggle {view * 1e3:6.1f}" if live else ""))
        if not live:
            continue
        panel.reset()
        interval = panel.play_widget.interval
        panel.play_widget.interval = 0  # ticks back to back (none dropped): each tick is one frame
        panel.play()
        for _ in range(3):  # let "auto" measure an epoch
            panel.play_widget.value += 1
        frame = cpu_median(lambda p=panel: setattr(p.play_widget, "value", p.play_widget.value + 1), repeat=15)
        epochs = panel.epochs_for_next_frame()
        push = cpu_median(lambda p=panel: (p._show(static=False), _sent(p)), repeat=15)
        encode = cpu_median(lambda p=panel: _sent(p), repeat=15)
        panel.pause()
        size = len(_sent(panel)) + len(panel.view.boundary) + len(panel.view.pictures)
        def copy(p=panel):
            p._figure_stale = True
            p.frame.invalidate()
            p._update_copy()

        copy = cpu_median(copy, repeat=3)
        print(f"  one frame of Play (auto: {epochs} epochs) {frame * 1e3:6.1f}, of which the view "
              f"{push * 1e3:5.1f} (JSON {encode * 1e3:4.1f}); a frame is {size / 1024:.0f} KB")
        rate = min(1 / frame, 1000 / interval)
        print(f"  frames per second the kernel could make: {1 / frame:5.1f}; Play ticks every {interval} ms, so "
              f"{rate:4.1f} frames/s, {epochs * rate:.0f} epochs/s")
        panel._shown = True  # as under a live view: Train N runs as frames; the click itself only starts them
        start = cpu_median(lambda p=panel: (p.buttons["train"].click(), p.pause()), repeat=5)
        print(f"  'Train 50 epochs' click under a live view (it starts 50 epochs of frames): {start * 1e3:5.1f}")
        print(f"  saved copy for a reopened notebook (static figure at 2x, after 0.8 s idle, not per change): "
              f"{copy * 1e3:6.1f}")


if __name__ == "__main__":
    main()
