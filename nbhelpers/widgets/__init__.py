"""Interactive panels: controls + one drawing function + ``update()``.

The base class and control helpers live here, the fast-frame machinery in :mod:`nbhelpers.widgets.frame`;
each chapter's panels live in their own module (``nbhelpers.widgets.neuron`` for chapter 1, ...).

A panel owns one matplotlib :class:`~matplotlib.figure.Figure` for its whole life. It builds its axes and
artists once (:meth:`Panel.setup`) and, on every control change, :meth:`Panel.draw` updates them in place; the
panel's :class:`~nbhelpers.widgets.frame.Frame` then sends one image frame (only if something drawn changed).
Tests build a panel, set ``panel.controls["w1"].value = 2`` and inspect ``panel.figure``, ``panel.message``
and ``panel.draw_count``: no browser needed.

Displayed in Jupyter, a panel shows its controls, its picture and a message under it (the lines it needs are
reserved, so the page does not jump when the message changes length). Right after it comes a second output, a
copy of the last picture with a one-line note, kept current while the panel lives and hidden by a style rule
while the live panel is on the page; when the notebook is reopened without a kernel, the widget cannot be shown
and that copy appears instead of "Error displaying widget" (JupyterLab 4, Notebook 7, the classic Notebook).
Where no widget front end exists at all (a notebook viewed on GitHub, an HTML export, a terminal) the picture
and the note are what shows. Works with ipywidgets 7.7 and 8.
"""

from __future__ import annotations

import html
import os
import textwrap

import ipywidgets as widgets

from nbhelpers.environment import in_colab, in_kernel
from nbhelpers.widgets.frame import CSS_DPI, Frame, set_limits

__all__ = ["Panel", "slider", "log_slider", "int_slider", "dropdown", "Frame", "set_limits", "CSS_DPI",
           "FALLBACK_CLASS", "LIVE_CLASS", "REOPEN_STYLE"]

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
#: CSS class of every live panel's outer box, and of the saved copy of its picture shown after it.
LIVE_CLASS = "nbhelpers-panel"
FALLBACK_CLASS = "nbhelpers-panel-fallback"

#: Shows the saved copy of a panel's picture only where its live widget is missing (a reopened notebook), and
#: hides the widget's error text there. Uses :has(), in every browser since 2023. In JupyterLab 4 and
#: Notebook 7 each output is a ``.jp-OutputArea-child``; in the classic Notebook an ``.output_area``.
REOPEN_STYLE = f"""<style>
.jp-OutputArea-child:has(.{LIVE_CLASS}) + .jp-OutputArea-child:has(.{FALLBACK_CLASS}),
.output_area:has(.{LIVE_CLASS}) + .output_area:has(.{FALLBACK_CLASS}),
.jp-OutputArea-child:not(:has(.{LIVE_CLASS})):has(+ .jp-OutputArea-child .{FALLBACK_CLASS}),
.output_area:not(:has(.{LIVE_CLASS})):has(+ .output_area .{FALLBACK_CLASS}) {{ display: none; }}
</style>"""

_STYLE = {"description_width": "initial"}


def slider(description, value, min, max, step=0.1, continuous_update=False, **kwargs):
    """A FloatSlider with the course's defaults (readable label width, redraw on release)."""
    return widgets.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                               continuous_update=continuous_update, style=_STYLE, **kwargs)


def log_slider(description, value, min_exponent, max_exponent, step=0.1, **kwargs):
    """A FloatLogSlider (for learning rates and other scales), values 10**min_exponent .. 10**max_exponent."""
    return widgets.FloatLogSlider(value=value, base=10, min=min_exponent, max=max_exponent, step=step,
                                  description=description, continuous_update=False, style=_STYLE,
                                  readout_format=".3g", **kwargs)


def int_slider(description, value, min, max, step=1, **kwargs):
    """An IntSlider with the course's defaults."""
    return widgets.IntSlider(value=value, min=min, max=max, step=step, description=description,
                             continuous_update=False, style=_STYLE, **kwargs)


def dropdown(description, options, value, **kwargs):
    """A Dropdown with the course's defaults (the label never cut off)."""
    return widgets.Dropdown(options=options, value=value, description=description, style=_STYLE, **kwargs)


def _allow_custom_widgets_in_colab() -> None:
    """Colab shows only its built-in widgets until its widget manager for third-party ones (the panels' width
    probes and the playground's live view are anywidgets) is switched on for the notebook."""
    from nbhelpers.environment import in_colab

    if in_colab():
        try:
            from google.colab import output

            output.enable_custom_widget_manager()
        except (ImportError, AttributeError):  # an older Colab: its own widget manager already loads them
            pass


def _width_probe():
    """A :class:`~nbhelpers.widgets.width.WidthProbe`, or None where anywidget is missing (then no resizing)."""
    try:
        from nbhelpers.widgets.width import WidthProbe
    except ImportError:  # pragma: no cover - anywidget is a requirement; a partial install still works
        return None
    _allow_custom_widgets_in_colab()
    return WidthProbe()


class Panel:
    """Base class of the course's interactive panels.

    A subclass passes its ``controls`` (a dict of ipywidgets) to ``__init__`` and implements

    - ``setup(figure)``: build the axes and artists once; register the ones that change on every move with
      ``self.frame.animate(...)`` (they are drawn over a cached background);
    - ``draw(figure, **values)``: update those artists from the controls' values (``set_data``, ``set_text``,
      ...), and return the short message shown under the picture;
    - optionally ``picture_key(**values)``: what the picture depends on (by default every value); a control
      change that leaves it equal draws nothing and sends nothing.

    A subclass without ``setup`` keeps the older protocol: its ``draw`` gets a cleared figure each time
    (slower, a full redraw).

    A panel that animates on its own (chapter 6's playground: frames while training) updates its artists and
    calls ``self.frame.push()`` per frame (it sends nothing when nothing drawn changed), and
    ``self.show_message(text)``. If it builds its own ``self.widget``, that tree must hold ``self.frame.image``
    and ``self.status``; ``_ipython_display_`` marks it with :data:`LIVE_CLASS` and shows the saved copy after it.
    Useful pieces: :meth:`Frame.animate` (artists redrawn each frame, in z-order, over the cached background),
    :meth:`Frame.adopt` (a diagram rebuilt each frame), :func:`set_limits` (limits set only when they change, so
    the background is not redrawn for nothing), :class:`~nbhelpers.widgets.frame.FastImage` (a fast ``imshow``).

    Class attributes: ``figsize`` (inches; shown at 100 CSS px per inch), ``density`` (pixels per CSS pixel),
    ``frame_format`` ("png" or "jpeg"), ``layout`` (the figure's layout engine), ``rows`` (control names per
    row; default: one wrapping row), ``status_lines`` (lines reserved for the message), ``fallback_note``,
    ``min_width`` and ``scroll_when_narrow`` (see :meth:`fit_width`).

    Shown narrower than its own width (a 900 px window with JupyterLab's file browser open), the panel's
    :class:`~nbhelpers.widgets.width.WidthProbe` reports the room it has and the figure is drawn again for it, so
    its text keeps its size instead of being shrunk with the picture.
    """

    figsize = (7.5, 3.6)
    density = 2.0
    frame_format = "png"
    layout = "constrained"
    rows = None
    status_lines = 2
    #: text shown where widgets cannot be displayed
    fallback_note = "Interactive panel: open this notebook in Jupyter with a live kernel to use the controls."
    def __init__(self, controls: dict, figsize=None, rows=None):
        self.controls = controls
        self.frame = Frame(figsize=figsize or self.figsize, density=self.density, format=self.frame_format,
                           layout=self.layout)
        self.figure = self.frame.figure
        self.frame.on_frame = self._frame_sent
        self.output = widgets.Output()  # kept for subclasses that still display into it
        self.status = widgets.HTML(value="")
        self.status.add_class("nbhelpers-panel-message")
        self.message = ""
        self.draw_count = 0
        self._key = None
        self._handles = []  # display handles of the saved copies of the picture (one per display)
        self._copy_timer = None
        self._in_place = type(self).setup is not Panel.setup
        if self._in_place:
            self.setup(self.figure)
        for control in controls.values():
            control.observe(self.update, names="value")
        self._own_width = self.figure.get_figwidth()  # inches, as designed: never drawn wider than this
        self.width_probe = _width_probe()
        probe = [] if self.width_probe is None else [self.width_probe]
        if self.width_probe is not None:
            self.width_probe.observe(lambda change: self.fit_width(change["new"]), names="width")
        picture = self.frame.image
        if self.scroll_when_narrow:  # a wide diagram: in a narrow space it scrolls sideways, its text full size
            self.min_width = int(round(self._own_width * CSS_DPI))
            picture.layout.max_width = "none"
            picture = widgets.Box([picture], layout=widgets.Layout(overflow="auto", width="100%"))
        self.widget = widgets.VBox(self._control_rows(rows or self.rows) + [picture, self.status] + probe)
        self.widget.add_class(LIVE_CLASS)
        self.update()

    #: the narrowest the figure is drawn (CSS px); in a narrower space the browser shrinks it
    min_width = 380
    #: True for a picture that cannot be drawn narrower (a wide diagram): it scrolls sideways instead
    scroll_when_narrow = False

    def fit_width(self, available: float) -> None:
        """Draw the figure for ``available`` CSS pixels (what the panel is given on the page, reported by its
        :class:`~nbhelpers.widgets.width.WidthProbe`): at most its own width, at least :attr:`min_width`, so its
        text stays at its size in points instead of being shrunk by the browser."""
        try:
            available = float(available)
        except (TypeError, ValueError):
            return
        if not available > 0:
            return
        width = min(self._own_width, max(self.min_width, available) / CSS_DPI)
        if self.frame.resize(width):
            engine = self.figure.get_layout_engine()
            if engine is not None and hasattr(engine, "execute"):
                engine.execute(self.figure)  # the axes where they will be: the titles are fitted to them
            self.update()

    # ------------------------------------------------------------------------------------------- layout
    def _control_rows(self, rows) -> list:
        wrap = widgets.Layout(flex_flow="row wrap", align_items="center")
        if not rows:
            return [widgets.HBox(list(self.controls.values()), layout=wrap)]
        return [widgets.HBox([self.controls[n] if isinstance(n, str) else n for n in row], layout=wrap)
                for row in rows]

    # ------------------------------------------------------------------------------------------- protocol
    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def setup(self, figure) -> None:  # pragma: no cover - the in-place protocol's hook; see the class docstring
        """Build the axes and artists once (subclasses that draw in place override this)."""

    def draw(self, figure, **values) -> str | None:  # pragma: no cover - subclasses draw
        raise NotImplementedError

    def picture_key(self, **values):
        """What the picture and message depend on; equal keys mean nothing to redraw."""
        return tuple(sorted(values.items()))

    def update(self, change=None) -> None:
        """Redraw from the controls' current values (the controls call this on every change).

        Called by a control whose change leaves :meth:`picture_key` equal, it does nothing. Called directly
        (``panel.update()``), it always redraws.
        """
        values = self.values()
        key = self.picture_key(**values)
        if change is not None and key == self._key:
            return
        self._key = key
        if not self._in_place:
            self.figure.clear()
            self.frame.forget(*list(self.frame._dynamic))
        try:
            message = self.draw(self.figure, **values) or ""
        except (ValueError, FloatingPointError) as err:  # bad combination of settings: say so, keep the last picture
            message = f"Cannot draw this: {err}"
        self.show_message(message)
        self._fit_titles()
        self.draw_count += 1
        self.frame.push()

    def _fit_titles(self) -> None:
        """Drawn narrower than designed (see :meth:`fit_width`), an axes title wider than its axes gets smaller
        (not below 9 pt), then wraps; at the full width each title has its own size again. Titles are measured
        only when their text or the width changed, and touched only when the result differs (a changed static
        title means a new background)."""
        narrow = self.figure.get_figwidth() < self._own_width - 0.005
        fits = self.__dict__.setdefault("_title_fits", {})  # id(title) -> (natural size, plain, shown, size, room)
        if not narrow and not fits:
            return
        renderer = None
        rooms = self._title_rooms() if narrow else {}
        for ax in self.figure.axes:
            title = ax.title
            text = title.get_text()
            if not text:
                continue
            entry = fits.get(id(title))
            natural = entry[0] if entry else title.get_fontsize()
            plain = entry[1] if entry and text == entry[2] else text
            room = rooms.get(ax) if narrow else None
            if entry and (plain, room) == (entry[1], entry[4]):
                shown, size = entry[2], entry[3]
            elif room is None:
                shown, size = plain, natural
            else:
                renderer = renderer or self.frame.canvas.get_renderer()
                title.set_text(plain)
                title.set_fontsize(natural)
                wide = max(title.get_window_extent(renderer).width, 1.0)
                size = max(9.0, min(natural, natural * room / wide))
                shown = plain
                if wide * size / natural > room:  # still too wide at 9 pt: wrap, about as many characters as fit
                    shown = textwrap.fill(plain, max(12, int(len(plain) * room / (wide * size / natural))))
            if title.get_text() != shown:
                title.set_text(shown)
            if title.get_fontsize() != size:
                title.set_fontsize(size)
            fits[id(title)] = (natural, plain, shown, size, room)

    def _title_rooms(self) -> dict:
        """How wide each axes' title may be (pixels): centred on its axes, up to the figure's edges and to halfway
        into the gap before a neighbouring axes with a title in the same row."""
        width = self.figure.bbox.width
        boxes = {ax: ax.get_position(original=True) for ax in self.figure.axes  # (measuring the shown position
                 if ax.title.get_text() and ax.get_visible()}  # would mark the figure as changed)
        rooms = {}
        for ax, box in boxes.items():
            centre = (box.x0 + box.x1) / 2 * width
            left, right = 4.0, width - 4.0
            for other, obox in boxes.items():
                if other is ax or obox.y1 < box.y0 or obox.y0 > box.y1:
                    continue
                if obox.x1 <= box.x0 + 1e-9:
                    left = max(left, (obox.x1 + box.x0) / 2 * width)
                elif obox.x0 >= box.x1 - 1e-9:
                    right = min(right, (obox.x0 + box.x1) / 2 * width)
            rooms[ax] = round(2 * max(0.0, min(centre - left, right - centre)))
        return rooms

    def show_message(self, message: str) -> None:
        """Set the text under the picture (its lines are reserved, so the page does not jump)."""
        self.message = message
        lines = self.status_lines
        self.status.value = (f"<div style='font-family:sans-serif;line-height:1.4em;min-height:{1.4 * lines:.2f}em;"
                             f"padding:2px 0'>{html.escape(message)}</div>")

    def png(self) -> bytes:
        """The current picture as PNG bytes."""
        if self.figure is self.frame.figure:
            return self.frame.png()
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        return buffer.getvalue()

    # ------------------------------------------------------------------------------------------- display
    def _note(self) -> str:
        return self.fallback_note + (f" {self.message}" if self.message else "")

    def _picture_html(self, note: str, src: str, extra: str = "") -> str:
        width = int(round(self.figure.get_figwidth() * CSS_DPI))
        return (f'<div class="{FALLBACK_CLASS}">{extra}<img src="{src}" alt="{html.escape(self.message or "panel figure")}" '
                f'style="width:{width}px;max-width:100%;height:auto"/>'
                f'<p style="font-family:sans-serif;font-size:90%;color:#444"><em>{html.escape(note)}</em></p></div>')

    def _repr_mimebundle_(self, include=None, exclude=None):
        # One bundle with everything (for front ends that call this directly): JupyterLab, Notebook, VS Code and
        # Colab show the live widget; an HTML export without widget state, a Lab without the widget extension
        # or an untrusted notebook the HTML (the figure and the note under it); a terminal the note.
        import base64

        png = base64.b64encode(self.png()).decode("ascii")
        note = self._note()
        return {
            WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
            "text/html": self._picture_html(note, f"data:image/png;base64,{png}"),
            "image/png": png,
            "text/plain": note,
        }

    def _reopen_bundle(self) -> dict:
        note = (f"{self.message} " if self.message else "") + self.fallback_note  # reopened, or exported: the same
        # the picture once, in the HTML (an image/png beside it would send it twice with every frame)
        return {"text/html": self._picture_html(note, self.frame.data_uri(), REOPEN_STYLE), "text/plain": note}

    #: seconds after the last frame before the saved copy is brought up to date, in the kernel's event loop (0:
    #: with each frame). The copy is the frame again, base64 in a display message (about as many bytes as the
    #: frame and a third more): sent with each frame it doubles what travels to the browser while a learner
    #: moves a control, and the new picture shows later; a moment after the last change it costs nothing felt.
    copy_delay = 0.4

    def _frame_sent(self, data: bytes) -> None:
        if not self._handles:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()  # in a kernel, controls call back inside its event loop
        except RuntimeError:
            loop = None
        if loop is None or not self.copy_delay:
            self._update_copies()
            return
        if self._copy_timer is not None:
            self._copy_timer.cancel()
        self._copy_timer = loop.call_later(self.copy_delay, self._update_copies)
        self._flush_after_cell()

    def _flush_after_cell(self) -> None:
        """A frame drawn by a cell's code (``panel.controls["b"].value = ...``, Run All then Save) brings the copy
        up to date when the cell ends, not later: the notebook may be saved, or the kernel stopped, at once."""
        if getattr(self, "_flush_hook", None) is not None:
            return
        try:
            from IPython import get_ipython

            shell = get_ipython()
        except ImportError:  # pragma: no cover - IPython comes with ipywidgets
            shell = None
        if shell is None:
            return

        def flush(*_):
            shell.events.unregister("post_run_cell", flush)
            self._flush_hook = None
            if self._copy_timer is not None:
                self._copy_timer.cancel()
                self._update_copies()

        self._flush_hook = flush
        shell.events.register("post_run_cell", flush)

    def _update_copies(self) -> None:
        self._copy_timer = None
        bundle = self._reopen_bundle()
        for handle in self._handles:
            handle.update(bundle, raw=True)

    @staticmethod
    def _reopen_copy_works() -> bool:
        """Colab and VS Code show each output apart (the style rule cannot reach the widget): no copy there."""
        return not (in_colab() or "VSCODE_PID" in os.environ)

    def _ipython_display_(self):
        from IPython.display import display

        if not in_kernel():
            bundle = self._repr_mimebundle_()
            bundle.pop(WIDGET_MIME)
            display(bundle, raw=True)
            return
        if not self._reopen_copy_works() or self.figure is not self.frame.figure:
            # (a subclass that draws its own figure, not through self.frame, keeps the one-output display)
            display(self._repr_mimebundle_(), raw=True)
            return
        self.widget.add_class(LIVE_CLASS)  # the style rule knows the live panel by it
        # The live widget (nothing else: an export without widget state then shows only the copy below it) ...
        display({WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id}}, raw=True)
        # ... and the copy of its picture, updated with every frame, hidden while the widget is live.
        self._handles.append(display(self._reopen_bundle(), raw=True, display_id=True))
