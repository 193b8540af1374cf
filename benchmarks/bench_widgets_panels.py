"""What one control change costs on every panel of chapters 1-5: kernel CPU time, redraw plus what is sent.

Each panel is built as its chapter builds it; then its controls are moved one after another, as a learner
moves them, and every change is timed with ``time.process_time`` (CPU time of this process, so other work on
the machine does not count). The median over all changes is reported, with the slowest.

"What is sent" is measured too, not guessed:

- a panel of the fast-frame machinery (``panel.frame``) sends the frame's bytes on its Image widget's comm and
  a copy of the frame through the display handle of the reopened-notebook copy: both are serialised here as a
  kernel would (the JSON of the messages, the binary buffers joined), by a stand-in comm and display handle;
- an older panel (figure cleared and redrawn, then ``display(figure)`` into an Output widget) makes IPython's
  inline PNG (``print_figure(..., bbox_inches="tight")``, what ``display`` does) and its base64 JSON.

Run it against other code with ``PYTHONPATH``: ``PYTHONPATH=/work/main python benchmarks/bench_widgets_panels.py
--save before.json`` measures the code in /work/main; ``python benchmarks/run.py widgets_panels --before
before.json`` then prints before -> after.
"""

from __future__ import annotations

import base64
import json
import statistics
import sys
import time

#: (label, how to build the panel, the control changes to time: (control or button name, value))
CASES = [
    ("ch1 NeuronPanel", lambda: _make("neuron", "NeuronPanel", w1=1.0, w2=1.0, b=-1.5, gate="and"),
     [("w1", 0.5), ("w2", 1.5), ("b", -1.0), ("w1", 2.0), ("b", -2.0), ("w2", -0.5), ("gate", "or"),
      ("w1", 1.0), ("gate", "and"), ("b", -1.5)] * 2),
    ("ch2 ActivationPanel", lambda: _make("activations", "ActivationPanel", activation="sigmoid", w1=1.5, w2=1.0,
                                          b=0.5),
     [("w1", 2.0), ("b", -1.0), ("w2", 0.5), ("activation", "relu"), ("b", -5.0), ("w1", 1.0),
      ("activation", "tanh"), ("w2", 2.5), ("activation", "sigmoid"), ("b", 0.5)] * 2),
    ("ch3 LearningRatePanel", lambda: _make("descent", "LearningRatePanel", lr=0.1, start=0.0, steps=20),
     [("lr", 0.3), ("start", 6.0), ("steps", 40), ("lr", 1.0), ("lr", 1.1), ("curve", "two_valleys"),
      ("start", 2.0), ("lr", 0.05), ("curve", "parabola"), ("steps", 20)] * 2),
    ("ch3 OptimizerPanel", lambda: _make("descent", "OptimizerPanel", landscape="valley", optimizer="momentum",
                                         lr=0.05, steps=100),
     [("lr", 0.02), ("optimizer", "adam"), ("x0", 2.0), ("steps", 150), ("optimizer", "sgd"), ("y0", 1.0),
      ("landscape", "ellipse"), ("lr", 0.1), ("optimizer", "momentum"), ("landscape", "valley")] * 2),
    ("ch4 BackpropStepper", lambda: _make("backprop", "BackpropStepper", person="Alice"),
     [("next", None)] * 9 + [("back", None), ("person", "Bob"), ("reset", None)] + [("next", None)] * 4),
    ("ch5 NeuronGraphPanel", lambda: _make("graph", "NeuronGraphPanel", x1=1.0, w1=-0.5, x2=2.0, w2=0.75, b=0.2),
     [("w1", 1.0), ("x1", 0.0), ("b", -1.0), ("w2", 2.0), ("show_grad", False), ("x2", -1.0),
      ("show_grad", True), ("b", 2.5), ("x1", 1.5), ("w1", -0.5)] * 2),
]


#: CSS px a panel gets in a 900 px JupyterLab window with the file browser open
NARROW = 468


def _make(module: str, name: str, **kwargs):
    import importlib

    return getattr(importlib.import_module(f"nbhelpers.widgets.{module}"), name)(**kwargs)


class _Comm:
    """Stands in for a kernel's comm: serialises each message as the kernel would (JSON + binary buffers)."""

    kernel = True  # ipywidgets 8 sends only when its comm has a kernel

    def __init__(self):
        self.bytes = 0

    def send(self, data=None, metadata=None, buffers=None):
        self.bytes += len(json.dumps(data, default=str))
        for buffer in buffers or []:
            self.bytes += len(bytes(buffer))


class _Handle:
    """Stands in for a display handle: serialises the updated bundle as a display message."""

    def __init__(self):
        self.bytes = 0

    def update(self, obj, raw=False, **kwargs):
        self.bytes += len(json.dumps(obj))


def _attach(panel):
    """Give every widget of the panel the stand-in comm; return a function telling the bytes sent."""
    comm = _Comm()
    for widget in _children(panel.widget):
        existing = widget.comm  # without a kernel, a comm that sends nothing: make it serialise as a kernel would
        if existing is not None:
            if getattr(existing, "kernel", None) is None:
                existing.kernel = True
            existing.send = comm.send
    return lambda: comm.bytes


def _children(widget):
    found = [widget]
    for child in getattr(widget, "children", ()):
        found += _children(child)
    return found


def _old_send(panel):
    """What display(figure) into the Output widget cost before: IPython's tight PNG, base64 in JSON."""
    from IPython.core.pylabtools import print_figure

    data = print_figure(panel.figure, "png", bbox_inches="tight")
    return len(json.dumps({"data": {"image/png": base64.b64encode(data).decode("ascii")}}))


def _change(panel, name, value):
    buttons = getattr(panel, "buttons", {})
    if name in buttons:
        buttons[name].click()
    else:
        panel.controls[name].value = value


def measure(label, make, changes, width=None) -> dict:
    panel = make()
    if width is not None:  # shown narrower than its own width: the figure drawn for that width
        panel.fit_width(width)
    new = hasattr(panel, "frame")
    sent = _attach(panel) if new else None
    times, before_bytes, total_bytes, by_control = [], 0, 0, {}
    handle = _Handle()
    if new:
        panel._handles = [handle]  # the saved copy for a reopened notebook, updated with each frame
    _change(panel, *changes[0])  # warm up (first-use imports, caches)
    for name, value in changes[1:]:
        before_bytes = sent() + handle.bytes if new else 0
        start = time.process_time()
        _change(panel, name, value)
        size = (sent() + handle.bytes - before_bytes) if new else _old_send(panel)
        times.append(time.process_time() - start)
        by_control.setdefault(name, []).append(times[-1])
        total_bytes += size
    return {"by_control": {n: round(1000 * statistics.median(t), 1) for n, t in by_control.items()},"median_ms": 1000 * statistics.median(times), "max_ms": 1000 * max(times),
            "kb_per_change": total_bytes / len(times) / 1024, "changes": len(times),
            "draws": panel.draw_count, "frames": getattr(getattr(panel, "frame", None), "frames", None),
            "backgrounds": getattr(getattr(panel, "frame", None), "backgrounds", None)}


def measure_all(only: str = "") -> dict:
    from nbhelpers.plotting import use_course_style

    use_course_style()  # what every chapter's setup cell does
    results = {label: measure(label, make, changes) for label, make, changes in CASES if only in label}
    for label, make, changes in CASES:  # the same in a 900 px window with JupyterLab's file browser open
        if only in label and "Graph" not in label:  # (chapter 5's graph scrolls there: the same as above)
            results[f"{label} @{NARROW}px"] = measure(label, make, changes, width=NARROW)
    return results


def print_table(results: dict, before: dict | None = None) -> None:
    print(f"{'panel':32} {'before ms':>10} {'after ms':>9} {'max ms':>7} {'KB sent':>8}  frames/backgrounds/draws")
    for label, r in results.items():
        old = f"{before[label]['median_ms']:10.0f}" if before and label in before else f"{'':10}"
        frames = f"{r['frames']}/{r['backgrounds']}/{r['draws']}" if r["frames"] is not None else f"-/-/{r['draws']}"
        print(f"{label:32} {old} {r['median_ms']:9.1f} {r['max_ms']:7.0f} {r['kb_per_change']:8.0f}  {frames}"
              f"  ({r['changes']} changes)")
        if "by_control" in r:
            print(f"{'':32}   by control (median ms): " + ", ".join(f"{n} {t:.0f}" for n, t in r["by_control"].items()))
    print("after: redraw + encode + what is sent (the frame's comm message, JSON + binary buffer, and the display "
          "update of the reopened-notebook copy, base64 in JSON)")


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    save = before = None
    if "--save" in argv:
        save = argv[argv.index("--save") + 1]
    if "--before" in argv:
        with open(argv[argv.index("--before") + 1]) as f:
            before = json.load(f)
    results = measure_all()
    print("one control change, kernel CPU time (median over the changes; redraw + encode + what is sent)")
    print_table(results, before)
    if save:
        with open(save, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
