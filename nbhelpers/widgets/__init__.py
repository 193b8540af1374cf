"""Interactive panels: controls + one drawing function + ``update()``.

The base class and control helpers live here; each chapter's panels live in their own module
(``nbhelpers.widgets.neuron`` for chapter 1, ...).

A panel owns a matplotlib :class:`~matplotlib.figure.Figure` and redraws it whenever a control changes.
Tests build a panel, set ``panel.controls["w1"].value = 2`` and inspect ``panel.figure`` and
``panel.message``: no browser needed.

Displayed in Jupyter, a panel shows its controls and figure. Where no widget front end exists (a notebook
viewed on GitHub, an HTML export without widget state, a terminal), it falls back to a static image of its
current figure and a one-line note, never a raw ``interactive(...)`` repr. Works with ipywidgets 7.7 and 8.
"""

from __future__ import annotations

import io

import ipywidgets as widgets

from nbhelpers.environment import in_kernel
from nbhelpers.plotting import new_figure

__all__ = ["Panel", "slider", "log_slider"]


def slider(description, value, min, max, step=0.1, continuous_update=False, **kwargs):
    """A FloatSlider with the course's defaults (readable label width, redraw on release)."""
    return widgets.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                               continuous_update=continuous_update, style={"description_width": "initial"},
                               **kwargs)


def log_slider(description, value, min_exponent, max_exponent, step=0.1, **kwargs):
    """A FloatLogSlider (for learning rates and other scales), values 10**min_exponent .. 10**max_exponent."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exponent, max=max_exponent, step=step,
                                  description=description, continuous_update=False,
                                  style={"description_width": "initial"}, readout_format=".3g", **kwargs)


class Panel:
    """Base class of the course's interactive panels.

    Subclasses build ``controls`` (a dict of ipywidgets) and implement ``draw(figure, **values)``, which
    draws on the (cleared) figure and may return a short message shown under it.
    """

    figsize = (6.0, 4.5)
    #: text shown where widgets cannot be displayed
    fallback_note = "Interactive panel: open this notebook in Jupyter with a live kernel to use the controls."

    def __init__(self, controls: dict, figsize=None):
        self.controls = controls
        self.figure, _ = new_figure(figsize=figsize or self.figsize)
        self.figure.clear()
        self.output = widgets.Output()
        self.status = widgets.HTML(value="")
        self.message = ""
        self.draw_count = 0
        for control in controls.values():
            control.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                                    self.output, self.status])
        self.update()

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def draw(self, figure, **values) -> str | None:  # pragma: no cover - subclasses draw
        raise NotImplementedError

    def update(self, change=None) -> None:
        """Redraw the figure from the controls' current values (the controls call this on every change)."""
        self.figure.clear()
        try:
            self.message = self.draw(self.figure, **self.values()) or ""
        except (ValueError, FloatingPointError) as err:  # bad combination of settings: say so, keep the panel alive
            self.figure.clear()
            self.message = f"Cannot draw this: {err}"
        self.status.value = f"<span style='font-family:sans-serif'>{self.message}</span>" if self.message else ""
        self.draw_count += 1
        if in_kernel():
            from IPython.display import clear_output, display

            with self.output:
                clear_output(wait=True)
                display(self.figure)

    def png(self) -> bytes:
        """The current figure as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        # A widget view for front ends that render widgets, plus a picture and a note for those that cannot.
        import base64

        note = self.fallback_note + (f" {self.message}" if self.message else "")
        return {
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self.widget.model_id,
            },
            "image/png": base64.b64encode(self.png()).decode("ascii"),
            "text/plain": note,
        }
