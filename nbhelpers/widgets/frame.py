"""Fast frames: one matplotlib figure kept alive for a whole session and shown live as an image widget.

A panel used to clear its figure, draw everything again and send a PNG through ``display()`` on every control
change: 0.4-1.8 s of kernel time, most of it re-laying out and rasterising axes, ticks and labels that had not
changed. A :class:`Frame` instead

- keeps one :class:`~matplotlib.figure.Figure` whose artists the panel creates once and then updates in place
  (``set_data``, ``set_text``, ``set_array``);
- renders it with Agg at ``density`` pixels per CSS pixel (2: sharp on HiDPI screens) and shows it at its CSS size
  (``figsize`` x 100 px, never wider than the notebook: ``max-width: 100%``);
- blits: artists registered with :meth:`Frame.animate` (the ones that change on every move) are drawn on top
  of a cached background (axes, ticks, labels, static curves). Matplotlib marks the figure "stale" whenever a
  non-animated artist changes (new axis limits, a new colour scale, a new static line), and only then is the
  background drawn again. Nothing stale at all: no frame;
- encodes the pixels itself (PNG at zlib level 1, or JPEG), and sends them as the raw bytes of an
  :class:`ipywidgets.Image` (a binary buffer on the widget's comm: no base64, no JSON of the picture); a frame
  identical to the last one is not sent.

Typical use (a panel does this for you, see :class:`nbhelpers.widgets.Panel`)::

    frame = Frame(figsize=(7.5, 3.6))
    ax = frame.figure.add_subplot()
    (line,) = ax.plot([0, 1], [0, 1])
    frame.animate(line)          # redrawn on every frame, on top of the cached background
    frame.push()                 # render + send (when something changed)
    line.set_ydata([1, 0])
    frame.push()                 # only the line is drawn again

``frame.image`` is the widget to put in a layout; ``frame.png()`` a full PNG of the current picture (for static
fallbacks). Works with ipywidgets 7.7 and 8, and without any front end (then nothing is sent).
"""

from __future__ import annotations

import base64
import struct
import zlib

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.collections import Collection
from matplotlib.image import AxesImage
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text

__all__ = ["Frame", "FastImage", "CSS_DPI", "set_limits", "encode_png"]

#: CSS pixels per figure inch: a figure of width 7.5 in shows 750 CSS px wide (its fonts at their point size).
CSS_DPI = 100


def set_limits(ax, xlim=None, ylim=None) -> None:
    """Set axis limits only if they differ from the current ones (setting equal limits still marks the
    figure stale, which would make the next frame redraw its background)."""
    if xlim is not None and tuple(map(float, ax.get_xlim())) != tuple(map(float, xlim)):
        ax.set_xlim(xlim)
    if ylim is not None and tuple(map(float, ax.get_ylim())) != tuple(map(float, ylim)):
        ax.set_ylim(ylim)


def _style_key(style) -> tuple:
    """A box style by value (its str() names the object's address: a new key on each redraw of a diagram)."""
    return (type(style).__name__, tuple(sorted((k, repr(v)) for k, v in vars(style).items())))


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def encode_png(rgba: np.ndarray, level: int = 1) -> bytes:
    """RGB(A) pixels (rows from the top) as a PNG: 8-bit RGB, no row filter, zlib at ``level``.

    Written here (twenty lines of the PNG spec) because it is twice as fast as Pillow's encoder on a figure:
    Pillow tries a filter per row, which pays off in bytes only on photographs.
    """
    height, width = rgba.shape[:2]
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "none" on every row
    rgb = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # one channel at a time: five times faster than copying the strided RGB at once
        rgb[:, :, channel] = rgba[:, :, channel]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(rows, level)) + _png_chunk(b"IEND", b""))


class FastImage(AxesImage):
    """An :class:`~matplotlib.image.AxesImage` of a 2-D array that is resampled with NumPy (bilinear, one pass
    per axis) instead of matplotlib's general resampler: about four times faster for a panel's plane, the same
    picture to the eye. ``get_array()``, the norm, the colour map and the colour bar work as for ``imshow``.

    ``ax.add_image(FastImage(ax, extent=..., origin="lower", cmap=..., norm=...))`` then ``image.set_data(A)``.
    Anything it does not handle (RGB arrays, a non-affine transform, an unsampled request) goes the usual way.
    """

    def make_image(self, renderer, magnification=1.0, unsampled=False):
        A = self.get_array()
        transform = self.get_transform()
        if unsampled or A is None or A.ndim != 2 or min(A.shape) < 2 or not transform.is_affine:
            return super().make_image(renderer, magnification, unsampled)
        x1, x2, y1, y2 = self.get_extent()
        (px1, py1), (px2, py2) = transform.transform([[x1, y1], [x2, y2]])
        left, right = sorted((px1, px2))
        bottom, top = sorted((py1, py2))
        clip = (self.get_clip_box() or self.axes.bbox) if self.get_clip_on() else self.get_figure().bbox
        c0, c1 = max(int(np.floor(left)), int(np.floor(clip.x0))), min(int(np.ceil(right)), int(np.ceil(clip.x1)))
        r0, r1 = max(int(np.floor(bottom)), int(np.floor(clip.y0))), min(int(np.ceil(top)), int(np.ceil(clip.y1)))
        if c1 <= c0 or r1 <= r0:
            return None, 0, 0, None
        values = np.ma.getdata(A).astype(float, copy=False)
        if px2 < px1:
            values = values[:, ::-1]
        rows_up = (py2 > py1) == (self.origin == "lower")  # whether row 0 of the data is at the bottom
        n_rows, n_cols = values.shape
        # pixel centres in the data's index space (index i sits at the centre of cell i)
        u = ((np.arange(c0, c1) + 0.5 - left) / (right - left)) * n_cols - 0.5
        v = ((np.arange(r1 - 1, r0 - 1, -1) + 0.5 - bottom) / (top - bottom)) * n_rows - 0.5  # top row first
        if not rows_up:
            v = n_rows - 1 - v
        u, v = np.clip(u, 0, n_cols - 1), np.clip(v, 0, n_rows - 1)
        i0 = np.minimum(u.astype(int), n_cols - 2)
        j0 = np.minimum(v.astype(int), n_rows - 2)
        fu, fv = (u - i0)[None, :], (v - j0)[:, None]
        across = values[:, i0] * (1 - fu) + values[:, i0 + 1] * fu
        out = across[j0] * (1 - fv) + across[j0 + 1] * fv
        rgba = self.to_rgba(out, bytes=True)
        if self._get_scalar_alpha() < 1:
            rgba[..., 3] = (rgba[..., 3] * self._get_scalar_alpha()).astype(np.uint8)
        return rgba[::-1], c0, r0, None


class Frame:
    """A figure drawn in place and pushed to the browser as image frames.

    Parameters
    ----------
    figure : Figure, optional
        The figure to show (its dpi is set to ``CSS_DPI * density``); by default a new one of ``figsize``.
    figsize : (float, float)
        Size in inches of a new figure; shown at ``CSS_DPI`` CSS pixels per inch.
    density : float
        Rendered pixels per CSS pixel: 2 keeps lines and text sharp on HiDPI ("retina") screens.
    format : {"png", "jpeg"}
        How frames are encoded. PNG (zlib level 1) is exact; JPEG (quality 92, no chroma subsampling) is about
        four times faster to encode and two to three times larger.
    layout : str or None
        The figure's layout engine for the first drawing ("constrained": room for titles, labels, colour bars).
    freeze_layout : bool
        Keep the positions the layout engine found on the first drawing (True: later backgrounds draw about
        twice as fast). :meth:`relayout` lays the figure out again once, e.g. after new labels.

    Attributes
    ----------
    image : ipywidgets.Image
        The widget showing the frames.
    frames, backgrounds : int
        How many frames were sent, and how many times the background was drawn in full.
    """

    def __init__(self, figure: Figure | None = None, *, figsize=(7.5, 3.6), density: float = 2.0,
                 format: str = "png", layout: str | None = "constrained", freeze_layout: bool = True):
        if format not in ("png", "jpeg"):
            raise ValueError(f"format must be 'png' or 'jpeg'; got {format!r}.")
        if figure is None:
            figure = Figure(figsize=figsize, layout=layout)
        self.figure = figure
        self.density = float(density)
        figure.set_dpi(CSS_DPI * self.density)
        self.canvas = FigureCanvasAgg(figure)
        self.format = format
        self.freeze_layout = freeze_layout
        self._layout = layout
        width = int(round(figure.get_figwidth() * CSS_DPI))
        self.image = widgets.Image(format=format, layout=widgets.Layout(width=f"{width}px", max_width="100%",
                                                                        height="auto"))
        self.image.add_class("nbhelpers-frame")
        self._dynamic: list = []
        self._sprites: dict = {}
        self._offscreen = None
        #: draw animated texts from cached pictures of them (see :meth:`_draw_text`)
        self.cache_text = True
        self._background = None
        self._regions: dict = {}
        #: what the background (everything not animated) depends on, set by the panel before each push: a
        #: background drawn for an equal key before is reused (None: no reuse). See :meth:`render`.
        self.background_key = None
        #: how many backgrounds are kept for reuse (each is the figure's pixels: 2-5 MB)
        self.kept_backgrounds = 6
        self._kept: dict = {}
        #: what the whole picture depends on, set by a panel with few states (chapter 4's stepper) before each
        #: push: a frame sent before for an equal key (and the same background) is sent again without drawing
        self.frame_key = None
        #: how many encoded frames are kept for that (each 50-150 KB)
        self.kept_frames = 64
        self._kept_frames: dict = {}
        self._sent: bytes = b""
        self.frames = 0
        self.backgrounds = 0
        #: called with the encoded bytes after each new frame (a panel keeps its reopened-notebook copy current)
        self.on_frame = None

    # ------------------------------------------------------------------------------------------------ artists
    def animate(self, *artists):
        """Register artists that change from frame to frame: drawn over the cached background on every frame.

        They are drawn in z-order, after (so over) everything static: an artist that must show above an
        animated one (points over a coloured plane) has to be animated too.

        Returns the first artist (handy: ``line = frame.animate(*ax.plot(x, y))``).
        """
        for artist in artists:
            artist.set_animated(True)
            if artist not in self._dynamic:
                self._dynamic.append(artist)
        return artists[0] if artists else None

    def adopt(self, ax, keep=()) -> list:
        """Animate every artist of ``ax`` not yet animated (except ``keep``) and return them: for a diagram that
        is rebuilt from scratch on each frame (remove the old artists, draw anew, adopt). Adding them marked
        the figure stale; that is undone, because the background (what is not animated) did not change.
        Only for artists that are fully redrawn: a changed static artist needs :meth:`invalidate`.
        """
        keep = set(map(id, keep))
        new = [a for a in ax.get_children() if isinstance(a, (Line2D, Patch, Text, Collection)) and not a.get_animated()
               and id(a) not in keep and a is not ax.patch and a not in ax.spines.values()
               and a not in (ax._left_title, ax._right_title)]
        self.animate(*new)
        if self._background is not None:
            ax.stale = False
            self.figure.stale = False
        return new

    def forget(self, *artists) -> None:
        """Stop tracking artists (before removing them from the figure)."""
        for artist in artists:
            if artist in self._dynamic:
                self._dynamic.remove(artist)

    def relayout(self) -> None:
        """Lay the figure out again (with the layout engine it started with) on the next frame."""
        self._relaid = False
        if self._layout is not None:
            self.figure.set_layout_engine(self._layout)
        self.invalidate()

    def resize(self, width: float) -> bool:
        """Make the figure ``width`` inches wide (its height kept) and lay it out again on the next frame: the
        text keeps its size in points while the axes make room. True if the width changed."""
        figure = self.figure
        if abs(figure.get_figwidth() - width) < 0.005:
            return False
        figure.set_size_inches(width, figure.get_figheight(), forward=False)
        self.image.layout.width = f"{int(round(width * CSS_DPI))}px"
        self.relayout()
        figure.stale = True
        return True

    def invalidate(self) -> None:
        """Draw the background again on the next frame (after a change matplotlib does not mark as stale)."""
        self._background = None
        self._kept.clear()
        self._kept_frames.clear()

    # ------------------------------------------------------------------------------------------------ drawing
    @property
    def dirty(self) -> bool:
        """Whether anything drawn changed since the last frame."""
        return (self._background is None or self.figure.stale
                or any(a.stale for a in self._dynamic))

    def render(self) -> np.ndarray:
        """Draw the figure (background only when it changed, then the animated artists) and return its RGBA pixels."""
        figure = self.figure
        key = self.background_key
        if self._background is not None and figure.stale and key is not None and key in self._kept:
            # a background drawn before for the same limits and static artists (a learner going back and forth)
            self._background, self._regions = self._kept.pop(key)
            self._kept[key] = (self._background, self._regions)  # most recently used last
            for ax in figure.axes:
                ax.stale = False
            figure.stale = False
            self.canvas.restore_region(self._background)
        elif self._background is not None and figure.stale and self._redraw_stale_axes():
            self.backgrounds += 1
            self._keep(key)
        elif self._background is None or figure.stale:
            self.canvas.draw()  # animated artists are left out of a normal draw
            self._regions = self._axes_regions()
            if self._frozen() and self._outside(self._regions):  # longer tick labels than when it was laid out
                self.relayout()
                self.canvas.draw()
                self._regions = self._axes_regions()
                self._relaid = True  # once per layout: the margins now fit the wider labels, going back fits too
            self._background = self.canvas.copy_from_bbox(figure.bbox)
            self.backgrounds += 1
            for ax in figure.axes:  # measuring the axes (matplotlib 3.8) marks them stale; nothing drawn changed
                ax.stale = False
            figure.stale = False
            if self.freeze_layout and figure.get_layout_engine() is not None:
                # the layout solver measures every label: about half of a full draw. Keep the positions it found.
                figure.set_layout_engine("none")
            self._keep(key)
        else:
            self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        for artist in sorted(self._dynamic, key=lambda a: a.get_zorder()):
            if artist.get_visible() and artist.figure is not None:
                if isinstance(artist, Text) and self.cache_text:
                    self._draw_text(artist, renderer)
                else:
                    artist.draw(renderer)
        if len(self._sprites) > 4 * max(64, len(self._dynamic)):  # forget sprites not used lately
            self._sprites = dict(list(self._sprites.items())[-2 * max(64, len(self._dynamic)):])
        return np.asarray(self.canvas.buffer_rgba())

    def _keep(self, key) -> None:
        """Keep the background just drawn for reuse under ``key`` (the panel's :attr:`background_key`)."""
        if key is None or self.kept_backgrounds <= 0 or self.figure.get_layout_engine() is not None and not \
                isinstance(self.figure.get_layout_engine(), PlaceHolderLayoutEngine):
            return  # (a figure still laid out anew on each drawing may move: nothing to reuse)
        self._kept.pop(key, None)
        self._kept[key] = (self._background, self._regions)
        while len(self._kept) > self.kept_backgrounds:
            self._kept.pop(next(iter(self._kept)))

    def _axes_regions(self, axes=None) -> dict:
        """Where each axes draws (with its ticks, labels and title), in whole pixels: {axes: (x0, y0, x1, y1)}."""
        renderer = self.canvas.get_renderer()
        regions = {}
        for ax in self.figure.axes if axes is None else axes:
            box = ax.get_tightbbox(renderer)
            if box is not None:
                regions[ax] = (int(np.floor(box.x0)) - 2, int(np.floor(box.y0)) - 2,
                               int(np.ceil(box.x1)) + 2, int(np.ceil(box.y1)) + 2)
        return regions

    def _frozen(self) -> bool:
        """Whether the figure keeps the positions of an earlier layout (see ``freeze_layout``)."""
        engine = self.figure.get_layout_engine()
        return self._layout is not None and (engine is None or isinstance(engine, PlaceHolderLayoutEngine))

    def _outside(self, regions: dict) -> bool:
        """Whether an axes (its ticks, labels, title) reaches more than 2 px outside the figure, which a new layout
        would fix (tried once per layout: laying out again drops the kept backgrounds, so no back and forth)."""
        if getattr(self, "_relaid", False):
            return False
        width, height = self.figure.bbox.width, self.figure.bbox.height
        return any(x0 < -2 or y0 < -2 or x1 > width + 4 or y1 > height + 4 for x0, y0, x1, y1 in regions.values())

    def _redraw_stale_axes(self) -> bool:
        """Draw again only the axes that changed (new limits, a new colour bar...), over the cached background;
        False (draw everything) when the layout may move, or changed axes overlap others or the figure changed."""
        figure = self.figure
        if figure.get_layout_engine() is not None and not isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
            return False
        stale = [ax for ax in figure.axes if ax.stale]
        others = [a for a in figure.get_children() if a.stale and a not in figure.axes and a is not figure.patch]
        if not stale or others or any(ax not in self._regions for ax in stale):
            return False
        new = dict(self._regions)
        new.update(self._axes_regions(stale))  # the others have not moved
        if self._outside({ax: new[ax] for ax in stale}):
            return False  # a label now reaches outside the figure: laid out again in a full draw
        regions = {ax: (min(self._regions[ax][0], new[ax][0]), min(self._regions[ax][1], new[ax][1]),
                        max(self._regions[ax][2], new[ax][2]), max(self._regions[ax][3], new[ax][3])) for ax in stale}
        for ax, (x0, y0, x1, y1) in regions.items():
            for other, (u0, v0, u1, v1) in new.items():
                if other is not ax and other not in stale and x0 < u1 and u0 < x1 and y0 < v1 and v0 < y1:
                    return False  # it would erase part of an axes that did not change
        self.canvas.restore_region(self._background)
        renderer = self.canvas.get_renderer()
        pixels = np.asarray(renderer.buffer_rgba())
        height, width = pixels.shape[:2]
        face = (np.array(figure.get_facecolor()) * 255).round().astype(np.uint8)
        for ax, (x0, y0, x1, y1) in regions.items():
            x0, x1, y0, y1 = max(x0, 0), min(x1, width), max(y0, 0), min(y1, height)
            pixels[height - y1:height - y0, x0:x1] = face
        for ax in stale:
            ax.draw(renderer)  # its animated artists are left out, as in a full draw
        self._background = self.canvas.copy_from_bbox(figure.bbox)
        self._regions = new
        figure.stale = False
        return True

    def _draw_text(self, text: Text, renderer) -> None:
        """Draw an animated text from a cached picture of it when the same text was drawn before at the same
        place (rasterising glyphs at 2x is most of a diagram's frame); else draw it and keep its picture.

        The picture is found by what decides its pixels (the string, where its anchor falls on the canvas, its
        alignment, font, colour and box), before any text layout is done: a text seen before costs one blit."""
        if not text.get_text():
            return
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.transforms import Affine2D, Bbox

        patch = text.get_bbox_patch()
        props = text.get_fontproperties()
        try:
            anchor = text.get_transform().transform(text.get_unitless_position())
            key = (type(text), text.get_text(), round(float(anchor[0]), 2), round(float(anchor[1]), 2),
                   text.get_horizontalalignment(), text.get_verticalalignment(), text._multialignment,
                   text._linespacing, text.get_rotation(), text.get_rotation_mode(), str(text.get_color()),
                   props.get_size(), tuple(props.get_family()), props.get_weight(), props.get_style(),
                   text.get_alpha(), text.get_usetex(), self.figure.dpi,
                   None if patch is None else (str(patch.get_facecolor()), str(patch.get_edgecolor()),
                                               _style_key(patch.get_boxstyle()), patch.get_linewidth(), patch.get_alpha(),
                                               patch.get_mutation_scale()))
        except (AttributeError, TypeError, ValueError):  # an unusual text (units, annotation offsets...): draw it
            key = None
        if key is None or type(text) is not Text:
            text.draw(renderer)
            return
        cached = self._sprites.pop(key, None)
        if cached is None:
            # measured and drawn on one kept offscreen renderer: matplotlib caches a text's layout per renderer,
            # so the text is laid out once, not once to measure and again to draw
            offscreen = self._offscreen
            if offscreen is None or offscreen.dpi != self.figure.dpi:
                offscreen = self._offscreen = RendererAgg(256, 64, self.figure.dpi)
            if patch is not None:
                text.update_bbox_position_size(offscreen)
            box = text.get_window_extent(offscreen)
            if patch is not None:
                box = Bbox.union([box, patch.get_window_extent(offscreen)])
            pad = 3
            x0, y0 = int(np.floor(box.x0)) - pad, int(np.floor(box.y0)) - pad
            width, height = int(np.ceil(box.x1)) + pad - x0, int(np.ceil(box.y1)) + pad - y0
            if width <= 0 or height <= 0 or width * height > 4_000_000:
                text.draw(renderer)
                return
            if width > offscreen.width or height > offscreen.height:
                offscreen = self._offscreen = RendererAgg(max(width, int(offscreen.width)),
                                                          max(height, int(offscreen.height)), self.figure.dpi)
            offscreen.clear()
            transform = text.get_transform()
            text.set_transform(transform + Affine2D().translate(-x0, -y0))
            try:
                text.draw(offscreen)
            finally:
                text.set_transform(transform)
            rows = int(offscreen.height)
            picture = np.asarray(offscreen.buffer_rgba())[rows - height:rows, :width]  # its bottom-left corner
            cached = (picture[::-1].copy(), x0, y0)
        self._sprites[key] = cached  # most recently used last
        sprite, x0, y0 = cached
        gc = renderer.new_gc()
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            gc.set_clip_rectangle(clip)
        renderer.draw_image(gc, x0, y0, sprite)
        gc.restore()
        text.stale = False

    def encode(self, rgba: np.ndarray, format: str | None = None) -> bytes:
        """The pixels as PNG (zlib level 1) or JPEG bytes."""
        format = format or self.format
        if format == "png":
            return encode_png(rgba)
        import io

        from PIL import Image  # matplotlib depends on Pillow, so it is always there

        height, width = rgba.shape[:2]
        picture = Image.frombuffer("RGBA", (width, height), rgba, "raw", "RGBA", 0, 1).convert("RGB")
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=92, subsampling=0)
        return buffer.getvalue()

    def push(self, force: bool = False) -> bool:
        """Render and send a new frame if anything drawn changed (``force``: even if not). True if one was sent."""
        if not (force or self.dirty):
            return False
        key = None if self.frame_key is None else (self.background_key, self.frame_key)
        figure = self.figure
        if key is not None and key in self._kept_frames and self._background is not None and not figure.stale:
            data = self._kept_frames.pop(key)  # drawn before on this very background: the same pixels
            for artist in self._dynamic:
                artist.stale = False
        else:
            if key is not None and self.background_key is None and (self._background is None or figure.stale):
                self._kept_frames.clear()  # a new background that no key describes: the kept frames are stale
            data = self.encode(self.render())
        if key is not None:
            self._kept_frames[key] = data  # most recently used last
            while len(self._kept_frames) > self.kept_frames:
                self._kept_frames.pop(next(iter(self._kept_frames)))
        if data == self._sent:
            return False
        self._sent = data
        self.image.value = data  # ipywidgets sends bytes as a binary buffer
        self.frames += 1
        if self.on_frame is not None:
            self.on_frame(data)
        return True

    # ------------------------------------------------------------------------------------------------ copies
    @property
    def data(self) -> bytes:
        """The bytes of the frame shown now (encoded as :attr:`format`)."""
        if not self._sent:
            self.push(force=True)
        return self._sent

    def png(self) -> bytes:
        """The current picture as PNG bytes (whatever the frame format)."""
        if self.dirty or not self._sent:
            self.push(force=not self._sent)
        if self.format == "png":
            return self._sent
        return self.encode(self.render(), "png")  # (the canvas may hold another picture: a kept frame was sent)

    def data_uri(self) -> str:
        """The current frame as a ``data:`` URI for an ``<img>``."""
        return f"data:image/{self.format};base64," + base64.b64encode(self.data).decode("ascii")
