"""Chapter 6's figures: datasets on the plane, decision boundaries (also over time), training curves,
first-layer neurons, confusion matrices and digit images.

Everything follows the course look (:mod:`nbhelpers.plotting`): class 0 blue circles, class 1 orange squares,
class 2 green triangles; the plane is coloured blue -> white -> orange by the network's confidence; training
points are filled, **test points hollow**.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from nbhelpers.plotting import (
    CLASS_COLORS,
    CLASS_MARKERS,
    PALETTE,
    SURFACE_CMAP,
    grid_points,
    new_figure,
    scatter_classes,
)
from nbhelpers._validate import MAX_CLASSES, as_choice, as_float_array, as_int, as_labels, check_drawing_args
from nbhelpers.training import Objective, make_features

__all__ = [
    "plane_limits", "confidence_function", "plot_datasets", "plot_decision_boundary", "draw_confidence",
    "plot_history", "plot_boundary_snapshots", "animate_training", "animation_html", "plot_neuron_pictures",
    "neuron_values", "mix_class_colours",
    "plot_confusion_matrix", "confusion_matrix", "plot_digits",
]


def plane_limits(*arrays, margin: float = 0.25):
    """A square-ish view ``(xlim, ylim)`` holding every point of the given (n, 2) arrays, plus a margin."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    given = [as_float_array(a, f"arrays[{i}]", shape=(None, 2), hint="Points of the plane: one (x1, x2) per row.")
             for i, a in enumerate(arrays) if a is not None]
    given = [a for a in given if len(a)]
    if not given:
        raise ValueError("plane_limits needs at least one non-empty (n, 2) array of points; got none.")
    points = np.vstack(given)
    lo, hi = points.min(axis=0) - margin, points.max(axis=0) + margin
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def confidence_function(model, objective: Objective | None = None, features: str = "x1, x2"):
    """``f(points) -> confidence`` for a trained model on the plane: computes the input ``features`` of the
    points, runs the model (evaluation mode) and reads the scores with ``objective`` (see
    :meth:`Objective.confidence`: a number in [0, 1] per point for two classes, probabilities (n, k) for k)."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if objective is None:
        n_out = model.n_outputs
        objective = Objective("cross-entropy", 2 if n_out == 1 else n_out)

    def confidence(points):
        return objective.confidence(model.predict_scores(make_features(points, features)))

    return confidence


def _legend_proxies(n_classes: int, labels=None, test: bool = True):
    handles = []
    for k in range(n_classes):
        name = labels[k] if labels is not None else f"class {k}"
        handles.append(Line2D([], [], ls="", marker=CLASS_MARKERS[k], mfc=CLASS_COLORS[k], mec="black", ms=7,
                              label=name))
    if test:
        handles.append(Line2D([], [], ls="", marker="o", mfc="none", mec="#444444", mew=1.6, ms=7,
                              label="hollow = test point"))
    return handles


def _scatter(ax, X, y, hollow: bool, size: float):
    if X is None or not len(X):
        return
    scatter_classes(ax, X, np.asarray(y).astype(int), size=size, hollow=hollow, legend=False)


def draw_confidence(ax, values: np.ndarray, xlim, ylim, n_classes: int = 2, boundary: bool = True):
    """Colour the plane from a grid of confidences (a (r, r) array in [0, 1], or (r, r, k) probabilities).

    Two classes: blue (class 0) through white to orange (class 1), with the 0.5 boundary drawn in black.
    k classes: each pixel mixes the class colours by their probabilities (uncertain areas turn pale).
    Returns the image artist.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    n_classes = as_int(n_classes, "n_classes", minimum=2, maximum=len(CLASS_COLORS), example="2")
    values = as_float_array(values, "values", nonempty=True)
    if not (values.ndim == 2 if n_classes == 2 else values.ndim == 3 and values.shape[2] == n_classes) \
            or min(values.shape[:2]) < 2:
        raise ValueError(f"values must be a grid of confidences at least 2x2, shape (r, r) for two classes or "
                         f"(r, r, {n_classes}) for {n_classes}; got shape {values.shape}.")
    extent = (xlim[0], xlim[1], ylim[0], ylim[1])
    if n_classes == 2:
        image = ax.imshow(values, origin="lower", extent=extent, cmap=SURFACE_CMAP, vmin=0, vmax=1, alpha=0.6,
                          interpolation="bilinear", aspect="auto", zorder=0)
        if boundary and values.min() < 0.5 < values.max():
            xs = np.linspace(xlim[0], xlim[1], values.shape[1])
            ys = np.linspace(ylim[0], ylim[1], values.shape[0])
            ax.contour(xs, ys, values, levels=[0.5], colors="black", linewidths=1.3, zorder=1)
    else:
        image = ax.imshow(mix_class_colours(values, n_classes), origin="lower", extent=extent,
                          interpolation="bilinear", aspect="auto", zorder=0)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return image


def plot_decision_boundary(ax, confidence, X_train, y_train, X_test=None, y_test=None, *, n_classes=None,
                           xlim=None, ylim=None, resolution: int = 80, title: str | None = None,
                           legend: bool = True, size: float = 22, labels=None):
    """The plane coloured by what the network says, with training points (filled) and test points (hollow).

    ``confidence`` is a function of points (n, 2), e.g. from :func:`confidence_function`.
    Returns the grid of confidences it drew.
    """
    check_drawing_args(locals(), optional=("xlim", "ylim"))  # every argument checked by name, one sentence each
    y_train = np.asarray(y_train).astype(int)
    if n_classes is None:
        seen = [y_train] + ([np.asarray(y_test).astype(int)] if y_test is not None else [])
        n_classes = max(2, int(max(v.max(initial=0) for v in seen)) + 1)
    if xlim is None or ylim is None:
        xlim, ylim = plane_limits(X_train, X_test)
    xx, _, points = grid_points(xlim, ylim, resolution)
    values = np.asarray(confidence(points), dtype=float)
    if not np.all(np.isfinite(values)):
        raise ValueError("the network's outputs are NaN or infinite (did training diverge?); nothing to draw.")
    values = values.reshape(xx.shape + ((n_classes,) if n_classes > 2 else ()))
    draw_confidence(ax, values, xlim, ylim, n_classes)
    _scatter(ax, X_train, y_train, False, size)
    _scatter(ax, X_test, y_test, True, size)
    if legend:
        ax.legend(handles=_legend_proxies(n_classes, labels, test=X_test is not None), loc="upper right",
                  fontsize=7, framealpha=0.85, handletextpad=0.2, borderpad=0.3)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return values


def plot_datasets(datasets: dict, ncols: int = 3, size: float = 14):
    """A grid of 2-D datasets: ``datasets`` maps a title to ``(X, y)``. Returns the figure."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    names = list(datasets)
    nrows = int(np.ceil(len(names) / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(3.4 * ncols, 3.1 * nrows))
    axes = np.atleast_1d(axes).ravel()
    for ax, name in zip(axes, names):
        X, y = datasets[name]
        scatter_classes(ax, X, y, size=size, legend=False)
        ax.set_title(name)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.set_aspect("equal", adjustable="datalim")
    for ax in axes[len(names):]:
        ax.set_visible(False)
    return fig


def plot_history(ax_loss, history, ax_acc=None, *, title: str | None = None, log_loss: bool = False):
    """Training curves: loss (and accuracy, on ``ax_acc``) per epoch; train solid, test dashed."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    epochs = np.asarray(history.epoch)
    ax_loss.plot(epochs, history.train_loss, color=PALETTE[0], lw=1.8, label="train")
    if not np.all(np.isnan(history.test_loss)):
        ax_loss.plot(epochs, history.test_loss, color=PALETTE[5], lw=1.8, ls="--", label="test")
    ax_loss.set_xlabel("epoch")
    ax_loss.set_ylabel("loss")
    if log_loss:
        ax_loss.set_yscale("log")
    else:
        ax_loss.set_ylim(bottom=0)
    ax_loss.legend(loc="upper right", fontsize=8)
    if title:
        ax_loss.set_title(title)
    if ax_acc is not None:
        ax_acc.plot(epochs, history.train_acc, color=PALETTE[0], lw=1.8, label="train")
        if not np.all(np.isnan(history.test_acc)):
            ax_acc.plot(epochs, history.test_acc, color=PALETTE[5], lw=1.8, ls="--", label="test")
        ax_acc.set_xlabel("epoch")
        ax_acc.set_ylabel("accuracy")
        ax_acc.set_ylim(0, 1.02)
        ax_acc.legend(loc="lower right", fontsize=8)
    return ax_loss


def plot_boundary_snapshots(model, history, X_train, y_train, X_test=None, y_test=None, *, objective=None,
                            features: str = "x1, x2", resolution: int = 70):
    """The decision boundary at each epoch saved in ``history.states`` (see ``fit(snapshot_epochs=...)``),
    side by side. The model's weights are put back as they were afterwards. Returns the figure."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    epochs = sorted(history.states)
    if not epochs:
        raise ValueError("history.states is empty: train with fit(..., snapshot_epochs=[0, 20, 100]).")
    fig, axes = new_figure(1, len(epochs), figsize=(3.6 * len(epochs), 3.5))
    axes = np.atleast_1d(axes)
    current = model.get_state()
    objective = objective or Objective("cross-entropy", 2 if model.n_outputs == 1 else model.n_outputs)
    xlim, ylim = plane_limits(X_train, X_test)
    try:
        for ax, epoch in zip(axes, epochs):
            model.set_state(history.states[epoch])
            predicted = objective.predict(model.predict_scores(make_features(X_train, features)))
            acc = float(np.mean(predicted == np.asarray(y_train)))
            plot_decision_boundary(ax, confidence_function(model, objective, features), X_train, y_train, X_test,
                                   y_test, n_classes=objective.n_classes, xlim=xlim, ylim=ylim,
                                   resolution=resolution, legend=ax is axes[0], size=16,
                                   title=f"epoch {epoch}: train accuracy {acc:.0%}")
    finally:
        model.set_state(current)
    return fig


def animate_training(trainer, epochs: int, every: int = 10, *, features: str = "x1, x2", resolution: int = 50,
                     figsize=(4.6, 4.3), dpi: int = 100, title: str = "Decision boundary"):
    """Train with ``trainer`` for ``epochs`` epochs and return a matplotlib animation of the boundary, one frame
    every ``every`` epochs (plus the start). :func:`animation_html` turns it into HTML that plays without a kernel.

    The frames are computed while training (cheap: a grid of predictions); the pictures are drawn only when the
    animation is converted. ``dpi`` (at least 100 by default) keeps the title and ticks readable.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    from matplotlib.animation import FuncAnimation

    model, objective = trainer.model, trainer.objective
    X2d_train = trainer.X_train[:, :2]
    X2d_test = None if trainer.X_test is None else trainer.X_test[:, :2]
    xlim, ylim = plane_limits(X2d_train, X2d_test)
    xx, _, points = grid_points(xlim, ylim, resolution)
    n_classes = objective.n_classes
    shape = xx.shape + ((n_classes,) if n_classes > 2 else ())
    confidence = confidence_function(model, objective, features)
    frames = [(trainer.epoch, confidence(points).reshape(shape), trainer.history.last("train_acc"))]
    done = 0
    while done < epochs and not trainer.history.stopped:
        trainer.train_epochs(min(every, epochs - done))
        done += every
        frames.append((trainer.epoch, confidence(points).reshape(shape), trainer.history.last("train_acc")))

    fig, ax = new_figure(figsize=figsize)
    fig.set_dpi(dpi)
    image = draw_confidence(ax, frames[0][1], xlim, ylim, n_classes, boundary=False)
    _scatter(ax, X2d_train, trainer.y_train, False, 14)
    _scatter(ax, X2d_test, trainer.y_test, True, 14)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    state = {"contour": None}

    def show(i):
        """Update the picture in place to frame ``i``; returns what changed (image, boundary, title)."""
        epoch, values, acc = frames[i]
        image.set_data(values if n_classes == 2 else mix_class_colours(values, n_classes))
        if state["contour"] is not None:
            state["contour"].remove()
            state["contour"] = None
        if n_classes == 2 and values.min() < 0.5 < values.max():
            xs = np.linspace(xlim[0], xlim[1], values.shape[1])
            ys = np.linspace(ylim[0], ylim[1], values.shape[0])
            state["contour"] = ax.contour(xs, ys, values, levels=[0.5], colors="black", linewidths=1.3)
        ax.set_title(f"{title}, epoch {epoch:g}: train accuracy {acc:.0%}", fontsize=10)
        return [image] + ([state["contour"]] if state["contour"] is not None else []) + [ax.title]

    show(0)
    animation = FuncAnimation(fig, show, frames=len(frames), interval=250, blit=False, repeat=True)
    animation.frames_data = frames
    animation.figure, animation.show_frame = fig, show  # for animation_html's fast drawing
    return animation


# HTML entities from the basic geometric shapes (in every common font), so they survive any page encoding:
# |◀  ◁  ▶  ||  ▷  ▶|
_PLAYER_BUTTONS = [("first", "|&#x25C0;", "first frame"), ("prev", "&#x25C1;", "previous frame"),
                   ("play", "&#x25B6;", "play"), ("pause", "<b>||</b>", "pause"), ("next", "&#x25B7;", "next frame"),
                   ("last", "&#x25B6;|", "last frame")]

_PLAYER_SCRIPT = """<script>
(function () {
  var root = document.getElementById("%(id)s");
  if (!root) { return; }
  var frames = root.querySelectorAll("img"), slider = root.querySelector("input");
  var label = root.querySelector(".nbh-label"), controls = root.querySelector(".nbh-controls");
  var i = frames.length - 1, timer = null, loop = %(loop)s;
  function show(k) {
    frames[i].style.display = "none"; i = k; frames[i].style.display = "block";
    slider.value = k; label.textContent = (k + 1) + " / " + frames.length;
  }
  function pause() { if (timer) { clearInterval(timer); timer = null; } }
  function play() {
    pause(); if (i === frames.length - 1) { show(0); }
    timer = setInterval(function () {
      if (i < frames.length - 1) { show(i + 1); } else if (loop) { show(0); } else { pause(); }
    }, %(interval)d);
  }
  var act = {first: function () { pause(); show(0); }, last: function () { pause(); show(frames.length - 1); },
             prev: function () { pause(); show(Math.max(0, i - 1)); }, play: play, pause: pause,
             next: function () { pause(); show(Math.min(frames.length - 1, i + 1)); }};
  root.querySelectorAll("button").forEach(function (b) { b.onclick = act[b.dataset.act]; });
  slider.oninput = function () { pause(); show(parseInt(slider.value, 10)); };
  controls.style.display = "flex";
  show(0); play();
})();
</script>"""


def _render_frames(animation, frame_format: str, quality: int) -> list:
    """Draw every frame of an :func:`animate_training` animation and encode it: a list of (bytes, alt text).

    The axes, ticks and labels are drawn once; each frame redraws only what changes (the coloured plane, the
    boundary, the points on top of it and the title) and is encoded by Pillow.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    from io import BytesIO

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig, show = animation.figure, animation.show_frame
    canvas = FigureCanvasAgg(fig)
    ax = fig.axes[0]
    show(0)
    canvas.draw()  # the full picture once, which also fixes the layout
    fig.set_layout_engine("none")
    moving = [ax.images[0], *ax.collections, ax.title]
    for artist in moving:
        artist.set_animated(True)
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)  # everything that never changes
    encoded = []
    try:
        for i in range(len(animation.frames_data)):
            changed = show(i)  # [image, boundary (if any), title]
            canvas.restore_region(background)
            points = [c for c in ax.collections if c not in changed]
            for artist in [*changed[:-1], *points, *ax.spines.values(), ax.title]:  # bottom to top
                if artist.get_visible():
                    ax.draw_artist(artist)
            pixels = np.asarray(canvas.buffer_rgba())[..., :3]
            buffer = BytesIO()
            if frame_format == "jpeg":
                Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality, optimize=True)
            else:
                Image.fromarray(pixels).save(buffer, format="PNG", optimize=False, compress_level=6)
            encoded.append((buffer.getvalue(), ax.get_title()))
    finally:
        for artist in [*ax.images, *ax.collections, ax.title]:
            artist.set_animated(False)
    return encoded


def animation_html(animation, frame_format: str = "jpeg", *, default_mode: str = "loop", interval: int = 400,
                   quality: int = 75) -> str:
    """HTML that plays an :func:`animate_training` animation in any browser, without a kernel or a network.

    Every frame is embedded as an image; a small script adds a slider and buttons (first, previous, play, pause,
    next, last). Nothing is fetched from the internet (matplotlib's ``to_jshtml`` loads its button icons from a
    CDN), and without JavaScript the last frame shows on its own. JPEG frames keep it small.
    ``default_mode``: "loop" or "once" (play through once, then stop).
    """
    import base64
    import hashlib
    import html as html_escape

    if not hasattr(animation, "show_frame") or not hasattr(animation, "frames_data"):
        raise TypeError("animation_html takes an animation made by animate_training(trainer, epochs); "
                        f"got {type(animation).__name__}.")
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    frame_format = as_choice(frame_format, "frame_format", ("jpeg", "png"), {"jpg": "jpeg"})
    default_mode = as_choice(default_mode, "default_mode", ("loop", "once"))
    frames = _render_frames(animation, frame_format, quality)
    uid = "nbh-anim-" + hashlib.sha1(b"".join(data for data, _ in frames)).hexdigest()[:12]
    images = "\n".join(
        f'<img src="data:image/{frame_format};base64,{base64.b64encode(data).decode("ascii")}" '
        f'alt="{html_escape.escape(alt)}" style="display:{"block" if k == len(frames) - 1 else "none"};'
        f'max-width:100%">' for k, (data, alt) in enumerate(frames))
    buttons = "".join(f'<button data-act="{act}" title="{tip}" aria-label="{tip}" '
                      f'style="min-width:2.2em">{glyph}</button>' for act, glyph, tip in _PLAYER_BUTTONS)
    controls = (f'<div class="nbh-controls" style="display:none;gap:4px;align-items:center;margin-top:4px">'
                f'{buttons}<input type="range" min="0" max="{len(frames) - 1}" value="{len(frames) - 1}" '
                f'aria-label="frame" style="flex:1"><span class="nbh-label"></span></div>')
    script = _PLAYER_SCRIPT % {"id": uid, "loop": "true" if default_mode == "loop" else "false",
                               "interval": int(interval)}
    return f'<div id="{uid}" style="display:inline-block">{images}{controls}</div>{script}'


def mix_class_colours(values, n_classes):
    """An RGB picture from class probabilities (r, r, k): class colours mixed, pale where unsure."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    n_classes = as_int(n_classes, "n_classes", minimum=2, maximum=len(CLASS_COLORS), example="3")
    values = as_float_array(values, "values", nonempty=True)
    if values.ndim != 3 or values.shape[2] != n_classes or values.min() < 0 or values.max() > 1:
        raise ValueError(f"values must be class probabilities in [0, 1] of shape (r, r, {n_classes}); got shape "
                         f"{values.shape} with values from {values.min():g} to {values.max():g}.")
    colours = np.array([to_rgb(c) for c in CLASS_COLORS[:n_classes]])
    certainty = (values.max(axis=-1, keepdims=True) - 1 / n_classes) / (1 - 1 / n_classes)
    return np.clip(1 - (1 - values @ colours) * (0.15 + 0.45 * certainty), 0, 1)


def neuron_values(model, *, features: str = "x1, x2", xlim=(-1.5, 1.5), ylim=(-1.5, 1.5), max_neurons: int = 8,
                  resolution: int = 32, layer: int = 0):
    """What each of the first ``max_neurons`` neurons of hidden layer ``layer`` outputs over the plane:
    a list of ``(values, lo, hi)``, values a (resolution, resolution) grid and lo..hi its colour range."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    if len(model.layer_sizes) < 2:
        raise ValueError("this model has no hidden layer (it is linear): there are no hidden neurons to draw.")
    n = min(model.layer_sizes[layer], max_neurons)
    xx, _, points = grid_points(xlim, ylim, resolution)
    outputs = model.hidden_outputs(make_features(points, features), layer=layer)
    pictures = []
    for j in range(n):
        values = outputs[:, j].reshape(xx.shape)
        if model.activation == "tanh":
            lo, hi = -1.0, 1.0
        elif model.activation == "sigmoid":
            lo, hi = 0.0, 1.0
        else:  # relu and friends: silent (0) is white, firing is orange
            span = max(float(np.abs(values).max()), 1e-9)
            lo, hi = -span, span
        pictures.append((values, lo, hi))
    return pictures


def plot_neuron_pictures(fig_or_axes, model, *, features: str = "x1, x2", xlim=(-1.5, 1.5), ylim=(-1.5, 1.5),
                         max_neurons: int = 8, resolution: int = 32, layer: int = 0):
    """Small pictures of what each neuron of a hidden layer responds to: its output over the plane.

    ``fig_or_axes``: a list of axes (one per neuron drawn) or a figure (a new row of axes is made).
    Returns the list of axes used.
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    pictures = neuron_values(model, features=features, xlim=xlim, ylim=ylim, max_neurons=max_neurons,
                             resolution=resolution, layer=layer)
    if hasattr(fig_or_axes, "subplots"):
        axes = list(np.atleast_1d(fig_or_axes.subplots(1, len(pictures))))
    else:
        axes = list(fig_or_axes)[:len(pictures)]
    for j, (ax, (values, lo, hi)) in enumerate(zip(axes, pictures)):
        ax.imshow(values, origin="lower", extent=(*xlim, *ylim), cmap=SURFACE_CMAP, vmin=lo, vmax=hi,
                  interpolation="bilinear", aspect="auto")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color("#999999")
        ax.set_title(f"neuron {j + 1}", fontsize=7, pad=2)
    return axes


def confusion_matrix(y, y_hat, n_classes=None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class i (labels ``y``) predicted as class j (``y_hat``).

    >>> confusion_matrix([0, 1, 1], [0, 1, 0]).tolist()
    [[1, 0], [1, 1]]
    """
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    k = None if n_classes is None else as_int(n_classes, "n_classes", minimum=1, maximum=MAX_CLASSES, example="10")
    y, y_hat = as_labels(y, "y", n_classes=k), as_labels(y_hat, "y_hat", n_classes=k)
    if y.shape != y_hat.shape:
        raise ValueError(f"confusion_matrix: {y.size} true labels but {y_hat.size} predictions; y_hat must give one "
                         "prediction per true label in y.")
    k = int(max(y.max(initial=0), y_hat.max(initial=0)) + 1) if k is None else k
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (y, y_hat), 1)
    return matrix


def plot_confusion_matrix(ax, matrix, labels=None, title: str | None = None):
    """Draw a confusion matrix with its counts; the diagonal holds the correct answers."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    matrix = np.asarray(matrix)
    k = matrix.shape[0]
    ax.imshow(matrix, cmap="Blues")
    threshold = matrix.max() / 2
    for i in range(k):
        for j in range(k):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if matrix[i, j] > threshold else "black")
    labels = [str(v) for v in (labels if labels is not None else range(k))]
    ax.set_xticks(range(k), labels)
    ax.set_yticks(range(k), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def plot_digits(images, titles=None, ncols: int = 8, size: float = 1.1):
    """A grid of 8x8 digit images (rows of 64 pixels, or (n, 8, 8)); returns the figure."""
    check_drawing_args(locals())  # every argument checked by name, one sentence each
    images = as_float_array(images, "images", nonempty=True)
    if images.shape[1:] not in ((64,), (8, 8)):
        raise ValueError(f"images must be rows of 64 pixels, shape (n, 64) as X of load_digits(), or (n, 8, 8); got "
                         f"shape {images.shape}.")
    images = images.reshape(-1, 8, 8)
    n = len(images)
    if titles is not None and len(titles) != n:
        raise ValueError(f"titles must give one title per image ({n}); got {len(titles)}.")
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(size * ncols, (size + 0.25) * nrows))
    axes = np.atleast_1d(axes).ravel()
    for i, ax in enumerate(axes):
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        if i >= n:
            ax.set_visible(False)
            continue
        ax.imshow(images[i], cmap="gray_r", vmin=0, vmax=16)
        for spine in ax.spines.values():  # a thin full frame around each image, not only a left and bottom one
            spine.set_visible(True)
            spine.set_linewidth(0.6)
        if titles is not None:
            ax.set_title(titles[i], fontsize=8, pad=2)
    return fig
