"""Chapter 6's playground: train a small network on the plane and watch it learn live, in the spirit of
TensorFlow Playground, plus what its users ask for most: accuracy (not only loss), your own ``(X, y)`` data,
cross-entropy and hinge, momentum and Adam, 3-4 classes, a stop at a target accuracy, divergence with rollback,
and the settings as one line of code.

    >>> from nbhelpers.widgets.playground import Playground
    >>> panel = Playground(dataset="xor", hidden="4")
    >>> panel.train(50)            # what the "Train 50 epochs" button does
    >>> panel.code()               # one line that recreates these settings
    "Playground(dataset='xor', noise=0.1, ...)"

The public API, step by step (each argument is also a control, and :meth:`code` prints them back):

1. **Watch it train.** ``panel`` shows the live view: a network diagram (every neuron as a small picture of
   what it outputs over the plane, the weights as lines, blue for negative and orange for positive, wider for
   larger; hover on a line or a neuron for its value, click to keep it shown), the decision boundary with training
   points filled and test points hollow, and the loss and accuracy curves. **Play** trains continuously (several
   epochs per frame, ``epochs_per_frame``, about 12 frames a second), **Pause** stops at once; **Step** makes one
   optimizer update on one mini-batch, **Train N epochs** runs ``epochs_per_click`` epochs (shown as frames, so
   it can be paused too), **Reset** goes back to the initial weights.
   In code: :meth:`play`, :meth:`pause`, :meth:`play_frame` (one frame, what each tick of Play does), :meth:`step`,
   :meth:`train`, :meth:`reset`.
2. **Change the data and the network** (both reset the training, and pause it): ``dataset`` ("linear", "circles",
   "xor", "gaussians", "moons", "spiral", "spiral3" for three classes; "plane" and "bumps" are regressions, a
   number at each point, coloured continuously), ``noise``, ``train_fraction``, ``features`` (the input columns:
   toggle x1, x2, x1², x2², x1·x2, sin(πx1), sin(πx2) one by one, or give a preset "x1, x2", "squares", "sines",
   "all", or a list), ``hidden`` (layer sizes as text, "8, 8"; the +/- buttons add or remove layers and neurons),
   ``activation``, ``loss`` ("cross-entropy", "hinge", "mse", with the same aliases as ``fit``: "bce", ...).
   Your own points: ``Playground(X=X, y=y)`` with X of shape (n, 2) and 2 to 4 classes in y.
3. **Tune the training while it runs** (the weights are kept, the change takes effect at the next step):
   ``optimizer`` ("sgd", "momentum", "adam"), ``learning_rate`` (1e-4 to 10), ``l1`` and ``l2`` (penalties on the
   weights: L1 drives small weights to exactly 0, L2 shrinks all of them), ``batch_size``, ``target_accuracy``
   (stop when the training accuracy reaches it: "never", 0.9, 0.95, 0.99, 1.0).
4. **Look closer**: ``show_test`` (draw the test points), ``discretize`` (colour the plane by the predicted class
   only), :attr:`message` (the line under the view), :meth:`diagram` (the numbers the network diagram draws),
   :attr:`figure` (the same state as a static matplotlib figure, for print and for notebooks opened without a
   kernel), :meth:`code`.

Settings that cannot work together (mse on three classes, hidden "abc") keep the last picture and say why in
the message line and on the view; constructor arguments out of range raise one sentence naming the argument.
"""

from __future__ import annotations

import hashlib
import html
import time

import ipywidgets as widgets
import numpy as np

from nbhelpers._validate import as_choice, as_int, as_scalar
from nbhelpers.datasets import DATASETS_2D, REGRESSION_2D, make_dataset, train_test_split
from nbhelpers.mlp import HIDDEN_ACTIVATIONS, MLP, _activation_name
from nbhelpers.optim import make_optimizer
from nbhelpers.plotting import CLASS_COLORS, CLASS_MARKERS, PALETTE, SURFACE_CMAP, grid_points
from nbhelpers.plotting.mlp import _legend_proxies, mix_class_colours, neuron_values, plane_limits
from nbhelpers.training import (
    FEATURE_COLUMNS,
    FEATURES,
    LOSSES,
    Objective,
    Trainer,
    _feature_columns,
    canonical_loss,
    make_features,
)
from nbhelpers.widgets import LIVE_CLASS, Panel, _allow_custom_widgets_in_colab, log_slider, slider

__all__ = ["Playground", "parse_hidden", "YOUR_DATA"]

#: The dataset name shown when the playground was given the learner's own arrays.
YOUR_DATA = "your data"
NEVER = "never"
_TARGETS = [(NEVER, NEVER), ("90%", 0.9), ("95%", 0.95), ("99%", 0.99), ("100%", 1.0)]
_PENALTIES = [0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1]
_L2 = _PENALTIES  # the name earlier versions used
_EPOCHS = [1, 5, 10, 50, 100, 200, 500]
_SPEEDS = [("auto", "auto"), ("1", 1), ("2", 2), ("5", 5), ("10", 10), ("20", 20)]
_OPTIMIZERS = ("sgd", "momentum", "adam")
_MAX_NEURONS, _MAX_LAYERS = 256, 6
_SHOWN = 8  # neurons drawn per layer in the diagram
_GRID, _PICTURE = 60, 20  # resolution of the boundary and of each neuron's picture
_STATUS_EVERY = 0.3  # seconds between updates of the message under the view while Play runs
_FRAME_BUDGET = 0.025  # CPU seconds of training per frame when epochs_per_frame is "auto"
_PLAYING = "playing" if "playing" in widgets.Play.class_trait_names() else "_playing"  # ipywidgets 8 / 7


def parse_hidden(text) -> list:
    """Hidden layer sizes from text: "8, 8" -> [8, 8]; "" or "0" -> [] (no hidden layer: a linear model).

    >>> parse_hidden("16, 8"), parse_hidden("")
    ([16, 8], [])
    """
    if isinstance(text, (list, tuple)):
        parts = [str(v) for v in text]
    else:
        parts = [p for p in str(text).replace(";", ",").replace("[", "").replace("]", "").split(",")]
    parts = [p.strip() for p in parts if p.strip()]
    try:  # plain digits only: int() would also read "8_8" as 88 and "٨" as 8
        sizes = [int(p) if p.isascii() and p.isdigit() else int("not a number") for p in parts]
    except ValueError:
        raise ValueError(f"hidden layers should be whole numbers separated by commas, e.g. 8, 8; got {text!r}.") from None
    if sizes == [0]:
        return []
    if any(s < 1 or s > _MAX_NEURONS for s in sizes) or len(sizes) > _MAX_LAYERS:
        raise ValueError(f"hidden layers: at most {_MAX_LAYERS} layers of 1 to {_MAX_NEURONS} neurons each "
                         f"(e.g. 8, 8); got {text!r}.")
    return sizes


def _own_data(X, y):
    """Check the learner's arrays; labels become 0 .. k-1 (k <= 4). Returns (X, y, original labels)."""
    try:
        X = np.asarray(X, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"X must be numbers, an array of shape (n, 2); got {type(X).__name__}.") from None
    if X.ndim != 2 or X.shape[1] != 2:
        hint = " The playground draws the plane, so each point needs exactly two coordinates." if X.ndim == 2 else ""
        raise ValueError(f"X must have shape (n, 2), one point per row; got {X.shape}.{hint}")
    if not np.all(np.isfinite(X)):
        raise ValueError("X contains NaN or infinity; pass finite numbers only.")
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y.ravel()
    if y.ndim != 1 or len(y) != len(X):
        raise ValueError(f"y must hold one label per row of X ({len(X)}); got shape {y.shape}.")
    classes, labels = np.unique(y, return_inverse=True)
    if not 2 <= len(classes) <= 4:
        raise ValueError(f"y must hold 2 to 4 different classes; got {len(classes)} ({classes[:6].tolist()}).")
    if len(X) < 4:
        raise ValueError(f"give at least 4 points (some to train on, some to test); got {len(X)}.")
    return X, labels.astype(int), classes


def _data_id(X, y) -> str:
    """A short fingerprint of the learner's points, so a pasted code() line can tell if X, y are the same."""
    digest = hashlib.sha256(np.ascontiguousarray(X, dtype=float).tobytes())
    digest.update(np.ascontiguousarray(y).astype(str).tobytes())
    return digest.hexdigest()[:10]


# ------------------------------------------------------------------------------------------- argument checks
def _number(value, name, lo, hi, example):
    return as_scalar(value, name, minimum=lo, maximum=hi, example=str(example))


def _whole(value, name, lo, hi, example):
    return as_int(value, name, minimum=lo, maximum=hi, example=str(example))


def _choice(value, name, choices):
    """One of a control's fixed options (numbers included, which the shared ``as_choice`` leaves to names)."""
    if value not in list(choices):
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}; got {value!r}.")
    return value


def _target(value):
    if value is None or (isinstance(value, str) and value.strip().lower() in (NEVER, "off", "none")):
        return NEVER
    return _choice(value, "target_accuracy", [v for _, v in _TARGETS])


def _colour_lut() -> np.ndarray:
    """The course's blue -> white -> orange map at 60% over white (as the static figure draws it), 256 x 3 bytes."""
    rgb = SURFACE_CMAP(np.linspace(0, 1, 256))[:, :3]
    return np.round(255 * (0.6 * rgb + 0.4)).astype(np.uint8)


def _strong_lut() -> np.ndarray:
    return np.round(255 * SURFACE_CMAP(np.linspace(0, 1, 256))[:, :3]).astype(np.uint8)


_LUT, _STRONG = _colour_lut(), _strong_lut()


def _rgba(rgb: np.ndarray) -> bytes:
    """(r, r, 3) bytes -> RGBA bytes, rows from the top (as a canvas wants them)."""
    r = rgb.shape[0]
    out = np.empty(rgb.shape[:2] + (4,), dtype=np.uint8)
    out[..., :3] = rgb[::-1]
    out[..., 3] = 255
    return out.tobytes() if r else b""


class Playground(Panel):
    """Train an MLP on a 2-D dataset and watch it learn live: network diagram, boundary, curves, accuracy.

    Parameters (each is also a control, and :meth:`code` prints them back); see the module's docstring for a
    tour in steps.
    ----------
    dataset : "linear", "circles", "xor", "gaussians", "moons", "spiral", "spiral3" (3 classes), or the
        regressions "plane" and "bumps" (ignored with X, y)
    noise : jitter added to the points (0 to 0.5); train_fraction : share of the points used for training
    hidden : hidden layer sizes as text, e.g. "8, 8" ("" for none); activation : "relu", "tanh", ...
    loss : "cross-entropy" (aliases "bce", "softmax", ...), "hinge" or "mse"; optimizer : "sgd", "momentum", "adam"
    learning_rate : 1e-4 to 10; l1, l2 : penalties, one of 0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1
    batch_size : 1 to 100; features : preset name ("x1, x2", "squares", "sines", "all") or a list of columns
    target_accuracy : stop training when the training accuracy reaches it ("never" or None = off)
    epochs_per_click : epochs the Train button runs; epochs_per_frame : epochs per frame of Play ("auto": as many
        as fit in about 25 ms)
    show_test, discretize : draw the test points; colour the plane by the predicted class only
    X, y : your own points (n, 2) and labels (2 to 4 classes); data_id : the fingerprint :meth:`code` writes
        for them (a different X, y is then refused instead of silently used)
    n_samples, seed : how many points to make, and the seed of data, split, weights and batches
    """

    figsize = (7.8, 3.7)
    layout = None  # the static figure places its axes itself (a fixed grid)
    status_lines = 2
    fallback_note = ("Playground: open this notebook in Jupyter with a live kernel to train; this picture shows "
                     "its current state.")

    def __init__(self, dataset: str = "circles", *, noise: float = 0.1, train_fraction: float = 0.5,
                 hidden="4, 4", activation: str = "tanh", loss: str = "cross-entropy", optimizer: str = "adam",
                 learning_rate: float = 0.03, l2: float = 0.0, batch_size: int = 10, features="x1, x2",
                 target_accuracy=None, epochs_per_click: int = 50, X=None, y=None, n_samples: int = 200,
                 seed: int = 0, l1: float = 0.0, show_test: bool = True, discretize: bool = False,
                 epochs_per_frame="auto", data_id: str | None = None):
        if (X is None) != (y is None):
            raise ValueError("give both X and y (your points and their labels), or neither.")
        self._own = None if X is None else _own_data(X, y)
        self._data_id = None if X is None else _data_id(self._own[0], self._own[1])
        if data_id is not None and data_id != self._data_id:
            raise ValueError(f"data_id {data_id!r} does not match these X, y (the line was made from other points"
                             f"{'' if X is not None else '; pass X and y too'}): pass the same arrays, or drop data_id.")
        if self._own is None:
            dataset = as_choice(dataset, "dataset", tuple(DATASETS_2D) + tuple(REGRESSION_2D))
        self.n_samples = _whole(n_samples, "n_samples", 10, 2000, 200)
        self.seed = as_int(seed, "seed", minimum=0, example="0")
        noise = _number(noise, "noise", 0.0, 0.5, 0.1)
        train_fraction = _number(train_fraction, "train_fraction", 0.1, 0.9, 0.5)
        parse_hidden(hidden)  # a clear error now rather than a blank panel
        activation = _activation_name(activation)
        loss = canonical_loss(loss)
        optimizer = as_choice(optimizer, "optimizer", _OPTIMIZERS)
        learning_rate = _number(learning_rate, "learning_rate", 1e-4, 10.0, 0.03)
        l1, l2 = _choice(l1, "l1", _PENALTIES), _choice(l2, "l2", _PENALTIES)
        batch_size = _whole(batch_size, "batch_size", 1, 100, 10)
        columns = _feature_columns(features)
        target_accuracy = _target(target_accuracy)
        epochs_per_click = _choice(epochs_per_click, "epochs_per_click", _EPOCHS)
        epochs_per_frame = _choice(epochs_per_frame, "epochs_per_frame", [v for _, v in _SPEEDS])
        if self._own is None and dataset in REGRESSION_2D and loss != "mse":
            loss = "mse"  # a regression is trained on the squared error

        datasets = ([YOUR_DATA] if self._own is not None else
                    [(name, name) for name in DATASETS_2D] + [(f"{name} (regression)", name) for name in REGRESSION_2D])
        wide = {"description_width": "initial"}

        def dropdown(options, value, description, width):
            return widgets.Dropdown(options=options, value=value, description=description, style=wide,
                                    layout=widgets.Layout(width=width))

        controls = {
            "dataset": dropdown(datasets, YOUR_DATA if self._own is not None else dataset, "data", "210px"),
            "noise": slider("noise", noise, 0.0, 0.5, step=0.05, disabled=self._own is not None,
                            layout=widgets.Layout(width="230px")),
            "train_fraction": slider("train fraction", train_fraction, 0.1, 0.9, step=0.1,
                                     layout=widgets.Layout(width="260px")),
            "show_test": widgets.Checkbox(value=bool(show_test), description="show test data", indent=False,
                                          layout=widgets.Layout(width="130px")),
            "discretize": widgets.Checkbox(value=bool(discretize), description="discretize output", indent=False,
                                           layout=widgets.Layout(width="150px")),
        }
        for column in FEATURE_COLUMNS:
            controls[column] = widgets.ToggleButton(value=column in columns, description=column,
                                                    tooltip=f"use {column} as an input",
                                                    layout=widgets.Layout(width="76px"))
        controls.update({
            "hidden": widgets.Text(value=", ".join(map(str, parse_hidden(hidden))), description="hidden layers",
                                   continuous_update=False, style=wide, layout=widgets.Layout(width="210px")),
            "activation": dropdown(list(HIDDEN_ACTIVATIONS), activation, "activation", "180px"),
            "loss": dropdown(list(LOSSES), loss, "loss", "170px"),
            "optimizer": dropdown(list(_OPTIMIZERS), optimizer, "optimizer", "170px"),
            "learning_rate": log_slider("learning rate", learning_rate, -4, 1, layout=widgets.Layout(width="290px")),
            "l1": dropdown(_PENALTIES, l1, "L1", "110px"),
            "l2": dropdown(_PENALTIES, l2, "L2", "110px"),
            "batch_size": widgets.IntSlider(value=batch_size, min=1, max=100, description="batch size",
                                            continuous_update=False, style=wide, layout=widgets.Layout(width="260px")),
            "target_accuracy": dropdown(_TARGETS, target_accuracy, "stop at", "140px"),
            "epochs_per_click": dropdown(_EPOCHS, epochs_per_click, "epochs/click", "150px"),
            "epochs_per_frame": dropdown(_SPEEDS, epochs_per_frame, "epochs/frame", "168px"),
        })
        self.play_widget = widgets.Play(value=0, min=0, max=10 ** 9, step=1, interval=80, description="play",
                                        tooltip="train continuously (pause stops at once)",
                                        layout=widgets.Layout(width="auto"))
        if "show_repeat" in self.play_widget.keys:
            self.play_widget.show_repeat = False
        self.play_widget.observe(self._on_tick, names="value")
        self.play_widget.observe(self._on_play_toggle, names=_PLAYING)
        self.buttons = {
            "train": widgets.Button(description=f"Train {epochs_per_click} epochs", button_style="primary",
                                    icon="forward", layout=widgets.Layout(width="auto")),
            "step": widgets.Button(description="Step", tooltip="one optimizer step on one mini-batch",
                                   icon="step-forward", layout=widgets.Layout(width="auto")),
            "reset": widgets.Button(description="Reset", tooltip="start again from the initial weights",
                                    icon="undo", layout=widgets.Layout(width="auto")),
            "layer_minus": widgets.Button(description="layer", icon="minus", tooltip="remove the last hidden layer",
                                          layout=widgets.Layout(width="auto")),
            "layer_plus": widgets.Button(description="layer", icon="plus", tooltip="add a hidden layer",
                                         layout=widgets.Layout(width="auto")),
        }
        self.buttons["train"].on_click(lambda _: self._train_clicked())
        self.buttons["step"].on_click(lambda _: self.step())
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.buttons["layer_minus"].on_click(lambda _: self.change_layers(-1))
        self.buttons["layer_plus"].on_click(lambda _: self.change_layers(+1))
        self.neuron_box = widgets.HBox(layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        self.code_box = widgets.Text(value="", description="as code", style=wide,
                                     layout=widgets.Layout(width="98%"),
                                     tooltip="copy this line to recreate these settings")
        from nbhelpers.widgets.playground_view import PlaygroundView

        _allow_custom_widgets_in_colab()
        self.view = PlaygroundView()
        self.view.on_msg(self._view_message)
        self._shown = False  # a front end draws the view (it says so when it renders): Play's ticks will come
        self._remaining = None  # epochs left of a "Train N epochs" run shown frame by frame
        self._run = (0, 0)  # (epochs asked for, epochs done) of that run
        self.trainer = None
        self.event = ""
        self.problem = ""  # why the current settings cannot train ("" when they can)
        self.frames = 0  # frames drawn while playing
        self.skipped_ticks = 0  # ticks dropped because they came too soon after the last frame began
        self._frame_start = -1.0
        self._status_time = -1.0
        self._tick_id = 0  # the last tick the view asked for (its frame says so, so the view can ask ahead)
        self._epoch_cost = None  # CPU seconds per epoch, measured while playing ("auto" speed)
        self._figure_stale = True
        self._art = None
        self._ready = False  # Panel.__init__ asks for a first drawing; it comes below
        self._build_data(controls)
        super().__init__(controls)  # the static figure is the frame's (see _update_copy), drawn when needed
        self._idle_copy = None
        self._ready = True
        self._rebuild_neuron_buttons()
        self._show(static=True)
        self.status.layout = widgets.Layout(height="3.2em", overflow="hidden")  # no jump when the message changes
        features_row = widgets.HBox([widgets.HTML("<span style='font-family:sans-serif'>inputs&nbsp;</span>")]
                                    + [controls[c] for c in FEATURE_COLUMNS],
                                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
        box = widgets.Layout(flex_flow="row wrap", align_items="center")
        rows = [
            [controls[n] for n in ("dataset", "noise", "train_fraction", "show_test", "discretize")],
            [controls[n] for n in ("hidden", "activation", "loss")]
            + [self.buttons["layer_minus"], self.buttons["layer_plus"]],
            [controls[n] for n in ("optimizer", "learning_rate", "l1", "l2", "batch_size")],
            [self.play_widget, self.buttons["step"], self.buttons["train"], self.buttons["reset"]]
            + [controls[n] for n in ("epochs_per_click", "epochs_per_frame", "target_accuracy")],
        ]
        self.widget = widgets.VBox(
            [widgets.HBox(rows[0], layout=box), features_row, widgets.HBox(rows[1], layout=box), self.neuron_box,
             widgets.HBox(rows[2], layout=box), widgets.HBox(rows[3], layout=box), self.view, self.status,
             self.code_box],
            layout=widgets.Layout(max_width="880px"))
        self.widget.add_class(LIVE_CLASS)

    # ------------------------------------------------------------------------------------------- figure
    @property
    def figure(self):
        """The current state as a static matplotlib figure (brought up to date when asked for)."""
        if getattr(self, "_figure_stale", False) and getattr(self, "_ready", False):
            self._sync_figure()
        return self._figure

    @figure.setter
    def figure(self, value):
        self._figure = value
        self._figure_stale = True
        self._art = None

    def values(self) -> dict:
        """The current value of every setting, by name (the input toggles as one ``features`` tuple)."""
        values = {n: c.value for n, c in self.controls.items() if n not in FEATURE_COLUMNS}
        values["features"] = self.features
        return values

    @property
    def features(self) -> tuple:
        """The input columns switched on, in the order of ``FEATURE_COLUMNS``."""
        return tuple(c for c in FEATURE_COLUMNS if self.controls[c].value)

    @property
    def regression(self) -> bool:
        return self._own is None and self.controls["dataset"].value in REGRESSION_2D

    @property
    def playing(self) -> bool:
        """True while Play runs."""
        return bool(getattr(self.play_widget, _PLAYING))

    # ------------------------------------------------------------------------------------------- state
    def _build_data(self, controls=None) -> None:
        """Make (or split) the points; then a new network."""
        c = controls or self.controls
        test = round(1.0 - float(c["train_fraction"].value), 6)
        if self._own is not None:
            X, y, self.class_names = self._own
        else:
            X, y = make_dataset(c["dataset"].value, self.n_samples, c["noise"].value, random_state=self.seed) \
                if c["dataset"].value not in REGRESSION_2D else \
                REGRESSION_2D[c["dataset"].value](self.n_samples, c["noise"].value, random_state=self.seed)
            self.class_names = None if c["dataset"].value in REGRESSION_2D else np.arange(int(y.max()) + 1)
        regression = self.class_names is None
        self.n_classes = 0 if regression else max(2, int(y.max()) + 1)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(
            X, y, test_size=test, random_state=self.seed, stratify=not regression)
        self.xlim, self.ylim = plane_limits(X, margin=0.2)
        # one square view, so circles look round (equal aspect)
        half = max(self.xlim[1] - self.xlim[0], self.ylim[1] - self.ylim[0]) / 2
        cx, cy = sum(self.xlim) / 2, sum(self.ylim) / 2
        self.xlim, self.ylim = (cx - half, cx + half), (cy - half, cy + half)
        xx, _, self._grid = grid_points(self.xlim, self.ylim, _GRID)
        self._grid_shape = xx.shape
        _, _, self._small_grid = grid_points(self.xlim, self.ylim, _PICTURE)
        self._build_model(c)

    def _build_model(self, controls=None) -> None:
        """A new network (seeded) and trainer from the current controls."""
        c = controls or self.controls
        self.trainer = None
        self.hidden_sizes = parse_hidden(c["hidden"].value)
        columns = [n for n in FEATURE_COLUMNS if c[n].value]
        if not columns:
            raise ValueError("switch on at least one input (x1, x2, ...): the network needs something to look at.")
        self.columns = columns
        if self.n_classes == 0:
            self.objective = Objective(c["loss"].value, regression=True)  # may say: a regression needs mse
        else:
            self.objective = Objective(c["loss"].value, self.n_classes)  # may say: this loss handles two classes
        self.F_train = make_features(self.X_train, columns)
        self.F_test = make_features(self.X_test, columns)
        self.F_grid = make_features(self._grid, columns)
        self.F_small = make_features(self._small_grid, columns)
        self.model = MLP(self.F_train.shape[1], self.hidden_sizes + [self.objective.n_outputs],
                         activation=c["activation"].value, seed=self.seed)
        self._build_trainer(c)

    def _build_trainer(self, controls=None) -> None:
        c = controls or self.controls
        target = c["target_accuracy"].value
        self.trainer = Trainer(self.model, self.F_train, self.y_train, self.F_test, self.y_test,
                               loss=self.objective, optimizer=c["optimizer"].value, lr=c["learning_rate"].value,
                               l2=c["l2"].value, l1=c["l1"].value, batch_size=c["batch_size"].value, seed=self.seed,
                               target_accuracy=None if target == NEVER or self.n_classes == 0 else target,
                               n_classes=self.n_classes or None)
        self._epoch_cost = None

    _DATA = ("dataset", "noise", "train_fraction") + FEATURE_COLUMNS
    _NETWORK = ("hidden", "activation", "loss")
    _VIEW = ("show_test", "discretize")

    def update(self, change=None) -> None:
        """React to a control: rebuild what it affects, then redraw (the controls call this)."""
        if not getattr(self, "_ready", False):
            return
        name = None
        if change is not None:
            name = next((n for n, c in self.controls.items() if c is change.get("owner")), None)
        static = True
        try:
            if name == "dataset" and self._own is None:
                self._match_loss_to_data()
            if name in self._DATA or name in self._NETWORK:
                self.pause()
                was_problem = self.problem
                self.problem = ""
                if name in self._DATA:
                    self._build_data()
                    self.event = f"new data ({name} changed): a fresh network"
                else:
                    self._build_model()
                    self.event = f"new network ({name} changed)"
                if name == "hidden":
                    self._rebuild_neuron_buttons()
                if was_problem:
                    self.event += "; the settings work again"
            elif self.problem:
                pass  # a training setting changed while the network cannot be built: the advice stands
            elif name == "optimizer":
                self._switch_optimizer()
            elif name in ("learning_rate", "l1", "l2", "batch_size", "target_accuracy") and self.trainer is not None:
                self._apply_setting(name, change["new"])
                static = False
            elif name == "epochs_per_click":
                self.buttons["train"].description = f"Train {change['new']} epochs"
                self.event = f"the Train button now runs {change['new']} epochs"
                static = False
            elif name == "epochs_per_frame":
                self.event = f"Play now runs {change['new']} epoch{'s' if change['new'] != 1 else ''} per frame"
                static = False
            elif name in self._VIEW:
                self.event = f"{name.replace('_', ' ')} {'on' if change['new'] else 'off'}"
        except (ValueError, TypeError) as err:
            self._fail(err)
            return
        self._show(static=static)

    def _match_loss_to_data(self) -> None:
        """A regression is trained on the squared error; a classification starts again on cross-entropy."""
        loss = self.controls["loss"]
        wanted = "mse" if self.regression else ("cross-entropy" if loss.value == "mse" else loss.value)
        if loss.value != wanted:
            self._ready = False  # one rebuild, for the dataset, not two
            try:
                loss.value = wanted
            finally:
                self._ready = True

    def _fail(self, err) -> None:
        """Settings that cannot train: keep the last picture, say why (message line and on the view)."""
        self.pause()
        self.trainer = None
        self.problem = str(err)
        self.event = ""
        self._show(static=False)

    def _switch_optimizer(self) -> None:
        self.trainer.optimizer = make_optimizer(self.controls["optimizer"].value, self.model.parameters(),
                                                self.controls["learning_rate"].value)
        self.trainer.optimizer_name = self.controls["optimizer"].value
        self._resume()
        self.event = f"optimizer is now {self.controls['optimizer'].value} (weights kept)"

    def _apply_setting(self, name, value) -> None:
        t = self.trainer
        if name == "learning_rate":
            t.lr = value
            self._resume()
            self.event = f"learning rate is now {value:.3g} (weights kept)"
        elif name in ("l1", "l2"):
            setattr(t, name, float(value))
            self.event = f"{name.upper()} strength is now {value:g}"
        elif name == "batch_size":
            t.batch_size = int(value)
            t._position = len(t.X_train)  # start the next epoch afresh with the new batch size
            self.event = f"batch size is now {value}"
        else:
            t.target_accuracy = None if value == NEVER or self.n_classes == 0 else value
            if t.history.stopped and not t.history.diverged:
                t.history.stopped = None
            self.event = "no target accuracy" if value == NEVER else f"training stops at {value:.0%} train accuracy"

    def _resume(self) -> None:
        """After a divergence, a new learning rate or optimizer lets training continue from the rolled-back weights."""
        if self.trainer.history.diverged:
            self.trainer.history.diverged = False
            self.trainer.history.stopped = None

    # ------------------------------------------------------------------------------------------- network shape
    def change_layers(self, delta: int) -> None:
        """Add (+1) or remove (-1) a hidden layer: the +/- layer buttons."""
        sizes = self.hidden_sizes_text()
        if delta > 0 and len(sizes) < _MAX_LAYERS:
            sizes.append(sizes[-1] if sizes else 4)
        elif delta < 0 and sizes:
            sizes.pop()
        self.controls["hidden"].value = ", ".join(map(str, sizes))

    def change_neurons(self, layer: int, delta: int) -> None:
        """Add or remove a neuron in hidden layer ``layer`` (0 = the first): the +/- buttons under "neurons"."""
        sizes = self.hidden_sizes_text()
        if 0 <= layer < len(sizes):
            sizes[layer] = int(np.clip(sizes[layer] + delta, 1, _MAX_NEURONS))
            self.controls["hidden"].value = ", ".join(map(str, sizes))

    def hidden_sizes_text(self) -> list:
        try:
            return parse_hidden(self.controls["hidden"].value)
        except ValueError:
            return list(self.hidden_sizes)

    def _rebuild_neuron_buttons(self) -> None:
        sizes = self.hidden_sizes_text()
        items = [widgets.HTML("<span style='font-family:sans-serif'>neurons&nbsp;</span>")] if sizes else []
        for i, size in enumerate(sizes):
            minus = widgets.Button(icon="minus", tooltip=f"one neuron fewer in layer {i + 1}",
                                   layout=widgets.Layout(width="32px"))
            plus = widgets.Button(icon="plus", tooltip=f"one neuron more in layer {i + 1}",
                                  layout=widgets.Layout(width="32px"))
            minus.on_click(lambda _, i=i: self.change_neurons(i, -1))
            plus.on_click(lambda _, i=i: self.change_neurons(i, +1))
            items += [widgets.HTML(f"<span style='font-family:sans-serif'>&nbsp;layer {i + 1}: {size}</span>"),
                      minus, plus]
        self.neuron_box.children = items

    # ------------------------------------------------------------------------------------------- actions
    def train(self, epochs: int | None = None) -> None:
        """Train ``epochs`` epochs (default: the epochs-per-click setting), then redraw: the Train button."""
        if self.trainer is None:
            self._show(static=False)  # repeat the advice
            return
        epochs = self.controls["epochs_per_click"].value if epochs is None else epochs
        ran = self._train_epochs(epochs)
        self.event = f"trained {ran} epoch{'s' if ran != 1 else ''}"
        self._show(static=False)

    def _view_message(self, widget, content, buffers=None) -> None:
        if not isinstance(content, dict):
            return
        if content.get("event") == "shown":
            if not self._shown:  # from now on the view asks for frames; Play is the button and the state
                self._shown = True
                self.play_widget.step = 0
        elif content.get("event") == "tick":
            n = content.get("n")
            self._tick_id = n if isinstance(n, int) else self._tick_id
            self._on_tick()

    def _train_clicked(self) -> None:
        """The Train button. Under a live view the epochs run as frames of Play (the learner sees them go by and
        can pause; no message to the kernel takes more than a frame); without one, all at once."""
        if not self._shown or self.trainer is None or self.trainer.history.stopped:
            self.train()
            return
        epochs = self.controls["epochs_per_click"].value
        self._remaining, self._run = epochs, (epochs, 0)
        self.event = f"training {epochs} epochs"
        if self.playing:
            return
        self.play()

    def _train_epochs(self, epochs: int) -> int:
        """Train and count the epochs that ran (one record per finished epoch: whole numbers, never 199.7)."""
        h = self.trainer.history
        before = len(h)
        self.trainer.train_epochs(epochs)
        return len(h) - before

    def step(self) -> None:
        """One optimizer step on one mini-batch, then redraw: the Step button."""
        if self.trainer is None:
            self._show(static=False)
            return
        loss = self.trainer.step()
        self.event = "one step" + (f" (batch loss {loss:.4f})" if loss is not None else "")
        self._show(static=False)

    def reset(self) -> None:
        """Start again from the seeded initial weights (same data, same settings): the Reset button."""
        self.pause()
        try:
            self._build_model()
            self.problem = ""
            self.event = "reset to the initial weights"
        except (ValueError, TypeError) as err:
            self._fail(err)
            return
        self._show(static=True)

    # ------------------------------------------------------------------------------------------- playing
    def play(self) -> None:
        """Start training continuously (what the Play button does); each tick of the front end is one frame."""
        if not self.playing and self._remaining is None:
            self.frames = 0
        setattr(self.play_widget, _PLAYING, True)

    def pause(self) -> None:
        """Stop playing (the Pause button; also after divergence or at the target accuracy)."""
        if self.playing:
            setattr(self.play_widget, _PLAYING, False)

    def _on_play_toggle(self, change) -> None:
        self.view.interval = int(self.play_widget.interval)
        self.view.ticking = bool(change["new"])
        if change["new"]:
            self._frame_start = -1.0
            if self.trainer is None or self.trainer.history.stopped:
                self.pause()  # nothing to play: say why
                self._show(static=False)
        else:
            if self._remaining is not None:  # paused in the middle of a "Train N epochs" run
                self.event = f"paused after {self._run[1]} of {self._run[0]} epochs"
                self._remaining = None
            elif self.event == "playing":
                self.event = f"paused after {self.frames} frame{'s' if self.frames != 1 else ''}"
            self._show(static=False)  # the paused state, with its message

    def _on_tick(self, change=None) -> None:
        """One tick of the Play widget: a frame, unless it comes less than half an interval after the last frame
        began (ticks that queued up behind a slow frame); such ticks are dropped, so a slow kernel never falls
        behind the ticker and Pause stays immediate. The front end itself holds back a tick while the kernel is
        busy with the last one and sends it when the kernel is free, so that tick is a frame, not dropped."""
        if not self.playing:
            return
        now, interval = time.perf_counter(), self.play_widget.interval / 1000
        if now - self._frame_start < interval / 2:
            self.skipped_ticks += 1
            return
        self._frame_start = now
        self.play_frame()

    def epochs_for_next_frame(self) -> int:
        """Epochs the next frame trains: the epochs/frame setting, or for "auto" as many as fit in ~25 ms of CPU."""
        setting = self.controls["epochs_per_frame"].value
        if setting != "auto":
            return int(setting)
        if self._epoch_cost is None:
            return 1
        return int(np.clip(_FRAME_BUDGET // max(self._epoch_cost, 1e-6), 1, 20))

    def play_frame(self) -> None:
        """Train one frame's epochs and redraw the view (what each tick of Play does); pauses when training
        stops (divergence, target accuracy) and says why."""
        if self.trainer is None or self.trainer.history.stopped:
            self.pause()
            self._show(static=False)
            return
        epochs = self.epochs_for_next_frame()
        if self._remaining is not None:
            epochs = min(epochs, self._remaining)
        start = time.process_time()
        ran = self._train_epochs(epochs)
        cost = (time.process_time() - start) / max(ran, 1)
        self._epoch_cost = cost if self._epoch_cost is None else 0.7 * self._epoch_cost + 0.3 * cost
        self.frames += 1
        self.event = "playing"
        if self._remaining is not None:
            self._remaining -= ran
            asked, done = self._run[0], self._run[1] + ran
            self._run = (asked, done)
            self.event = f"training {asked} epochs: {done} done"
            if self._remaining <= 0 or self.trainer.history.stopped:
                self._remaining = None
                self.event = f"trained {done} epoch{'s' if done != 1 else ''}"
                self.pause()
                return
        if self.trainer.history.stopped:
            self.pause()
        else:
            self._show(static=False)

    # ------------------------------------------------------------------------------------------- drawing
    def _show(self, static: bool = False) -> None:
        """Update the message, the code line and the live view; the static figure follows when asked for."""
        if not self._ready:
            return
        self.message = self._report()
        colour = "#b00020" if self.problem or (self.trainer and self.trainer.history.diverged) else "#222"
        now = time.perf_counter()
        if not (self.playing and now - self._status_time < _STATUS_EVERY):  # while playing, a few times a second
            self._status_time = now  # (the view's titles say the epoch on every frame; redoing the page's
            self.status.value = (  # text on every frame costs the browser more than drawing the frame)
                f"<div style='font-family:sans-serif;line-height:1.4em;color:{colour}'>"
                f"{html.escape(self.message)}</div>")
        self.code_box.value = self.code()
        self._figure_stale = True
        self.draw_count += 1
        self._schedule_copy()
        try:
            self._push_view(static)
        except (ValueError, FloatingPointError) as err:  # never a blank view: keep the last frame, say why
            self.problem = f"cannot draw this: {err}"
            self.message = self._report()

    def _report(self) -> str:
        if self.problem:
            return f"Cannot use these settings: {self.problem} (The picture shows the last network that worked.)"
        t, h = self.trainer, self.trainer.history
        acc = "" if self.n_classes == 0 else (f"train accuracy {h.last('train_acc'):.1%}, test accuracy "
                                              f"{h.last('test_acc'):.1%}; ")
        report = (f"Epoch {t.epoch:g} ({t.steps} steps): {acc}train loss {h.last('train_loss'):.4f}, "
                  f"test loss {h.last('test_loss'):.4f}.")
        if h.stopped:
            return f"Stopped: {h.stopped} {report}"
        return f"{report} ({self.event}.)" if self.event else report

    def _titles(self):
        t, h = self.trainer, self.trainer.history
        if self.n_classes == 0:
            boundary = f"epoch {t.epoch:g}: prediction (points: target)"
        else:
            boundary = f"epoch {t.epoch:g}: train {h.last('train_acc'):.0%}, test {h.last('test_acc'):.0%}"
        loss = (f"loss ({self.objective.loss_name}): train {h.last('train_loss'):.3f}, "
                f"test {h.last('test_loss'):.3f}")
        return boundary, loss

    def _plane_values(self, scores: np.ndarray):
        """What the plane shows: confidence (r, r) for 2 classes, probabilities (r, r, k), or the predicted number."""
        if not np.all(np.isfinite(scores)):
            raise ValueError("the network's outputs are NaN or infinite; lower the learning rate and reset")
        conf = self.objective.confidence(scores)
        if self.n_classes > 2:
            return conf.reshape(self._grid_shape + (self.n_classes,))
        return conf.reshape(self._grid_shape)

    def _plane_rgb(self, values: np.ndarray) -> np.ndarray:
        """(r, r, 3) bytes: the picture the live view and the static figure show of ``_plane_values``."""
        discretize = self.controls["discretize"].value
        if self.n_classes > 2:
            if discretize:
                values = np.eye(self.n_classes)[np.argmax(values, axis=-1)]
            return np.round(255 * mix_class_colours(values, self.n_classes)).astype(np.uint8)
        if self.n_classes == 0:
            values = (np.clip(values, -1, 1) + 1) / 2  # the number -1 .. 1, on the same blue -> orange map
        if discretize:
            values = (values > 0.5).astype(float)
        return _LUT[np.round(np.clip(values, 0, 1) * 255).astype(int)]

    def _contours(self, values: np.ndarray) -> list:
        """The boundary as polylines: the 0.5 contour of the confidence (two classes only)."""
        if self.n_classes != 2:  # k classes: the colours meet; a regression: no boundary, a landscape
            return []
        level = 0.5
        if not values.min() < level < values.max():
            return []
        import contourpy

        lines = contourpy.contour_generator(np.linspace(*self.xlim, values.shape[1]),
                                            np.linspace(*self.ylim, values.shape[0]), values).lines(level)
        return [np.round(line, 4).ravel().tolist() for line in lines]

    def diagram(self) -> dict:
        """The numbers the network diagram draws: ``layers`` (names of the nodes drawn per column, inputs first),
        ``sizes`` (neurons per layer, before the first 8 are picked), ``weights`` (per layer, a list of rows:
        weight from each drawn node of one column to each drawn node of the next), ``biases`` and ``pictures``
        (per column, one (20, 20) array per node: what it outputs over the plane)."""
        model = self.model
        shown = [list(range(len(self.columns)))] + [list(range(min(s, _SHOWN))) for s in model.layer_sizes]
        names = [list(self.columns)] + [[f"{'output' if i == len(model.layers) - 1 else f'layer {i + 1}'} "
                                         f"neuron {j + 1}" for j in idx] for i, idx in enumerate(shown[1:])]
        weights, biases = [], []
        for i, layer in enumerate(model.layers):
            W = layer.W.data[np.ix_(shown[i], shown[i + 1])]
            weights.append(W)
            biases.append(layer.b.data[shown[i + 1]])
        pictures = [[self.F_small[:, j].reshape(_PICTURE, _PICTURE) for j in shown[0]]]
        h = self.F_small
        for i, layer in enumerate(model.layers):
            h = layer.forward_numpy(h)
            pictures.append([h[:, j].reshape(_PICTURE, _PICTURE) for j in shown[i + 1]])
        return {"layers": names, "sizes": [len(self.columns)] + list(model.layer_sizes), "weights": weights,
                "biases": biases, "pictures": pictures, "activation": model.activation}

    def _node_rgb(self, values: np.ndarray, kind: str) -> np.ndarray:
        """A node's picture coloured as the boundary is: blue negative, white 0, orange positive."""
        if kind == "tanh":
            lo, hi = -1.0, 1.0
        elif kind == "sigmoid":
            lo, hi = 0.0, 1.0
        else:
            span = max(float(np.abs(values).max()), 1e-9)
            lo, hi = -span, span
        return _STRONG[np.round(np.clip((values - lo) / (hi - lo), 0, 1) * 255).astype(int)]

    def _push_view(self, static: bool) -> None:
        """Send the live view what it draws (one message): arrays and numbers, drawn in the browser."""
        view = self.view
        if self.problem or self.trainer is None:
            view.frame = {**view.frame, "notice": self.message}
            return
        scores = self.model.predict_scores(self.F_grid)
        values = self._plane_values(scores)
        d = self.diagram()
        kinds = ["input"] + [self.model.activation] * (len(self.model.layers) - 1) + ["output"]
        pictures = []
        for col, (column, kind) in enumerate(zip(d["pictures"], kinds)):
            for j, picture in enumerate(column):
                if kind == "output" and self.n_classes <= 2:  # the output neuron shows what the plane shows
                    rgb = self._plane_rgb(self._plane_values_small(picture))
                elif kind == "output":  # one score per class
                    rgb = self._node_rgb(picture, "linear")
                else:
                    rgb = self._node_rgb(picture, kind)
                pictures.append(_rgba(rgb))
        h = self.trainer.history
        n = len(h)
        keep = np.unique(np.linspace(0, n - 1, min(n, 400)).round().astype(int))

        def series(name):
            values = np.asarray(getattr(h, name))[keep]
            return [None if not np.isfinite(v) else round(float(v), 5) for v in values]

        boundary_title, loss_title = self._titles()
        frame = {
            "epoch": float(self.trainer.epoch), "title": boundary_title, "loss_title": loss_title,
            "curves": {"epoch": series("epoch"), "train_loss": series("train_loss"), "test_loss": series("test_loss"),
                       "train_acc": series("train_acc") if self.n_classes else [],
                       "test_acc": series("test_acc") if self.n_classes else []},
            "weights": [np.round(W, 4).tolist() for W in d["weights"]],
            "biases": [np.round(b, 4).tolist() for b in d["biases"]],
            "contours": self._contours(values), "notice": "", "tick": self._tick_id,
            "show_test": bool(self.controls["show_test"].value),
        }
        with view.hold_sync():
            if static or not view.static:
                view.static = self._static_view(d)
            view.boundary = _rgba(self._plane_rgb(values))
            view.pictures = b"".join(pictures)
            view.frame = frame

    def _plane_values_small(self, scores_column: np.ndarray) -> np.ndarray:
        conf = self.objective.confidence(scores_column.reshape(-1, 1))
        return conf.reshape(_PICTURE, _PICTURE)

    def _static_view(self, d) -> dict:
        """What changes only with the data or the network: points, extent, the diagram's structure."""
        def pts(X, y):
            return {"x": np.round(X[:, 0], 4).tolist(), "y": np.round(X[:, 1], 4).tolist(),
                    "v": (np.round(y, 4) if self.n_classes == 0 else np.asarray(y).astype(int)).tolist()}

        return {
            "extent": [self.xlim[0], self.xlim[1], self.ylim[0], self.ylim[1]], "grid": _GRID, "picture": _PICTURE,
            "train": pts(self.X_train, self.y_train), "test": pts(self.X_test, self.y_test),
            "n_classes": self.n_classes, "class_colors": CLASS_COLORS, "palette": PALETTE,
            "value_colors": [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in _STRONG[::32].tolist()] + [
                "#{:02x}{:02x}{:02x}".format(*_STRONG[-1])],
            "markers": CLASS_MARKERS, "layers": d["layers"], "sizes": d["sizes"],
            "class_names": [] if self.class_names is None else [str(c) for c in self.class_names],
        }

    # ------------------------------------------------------------------------------------------- reporting
    def code(self) -> str:
        """One line of Python that recreates the current settings (hand it to a room of learners).

        For generated data the line holds the dataset's name, noise, size and seed, so it makes the same points
        again. For your own ``X, y`` it holds their fingerprint (``data_id``): pasted where ``X`` and ``y`` are
        other arrays, it refuses them with a sentence instead of silently training on them.
        """
        v = self.values()
        lr = float(f"{v['learning_rate']:.4g}")  # the log slider may hold 0.030000000000000002
        parts = [] if self._own is not None else [f"dataset={v['dataset']!r}", f"noise={v['noise']:g}"]
        preset = next((name for name, cols in FEATURES.items() if tuple(cols) == v["features"]), None)
        parts += [f"train_fraction={v['train_fraction']:g}", f"hidden={v['hidden']!r}",
                  f"activation={v['activation']!r}", f"loss={v['loss']!r}", f"optimizer={v['optimizer']!r}",
                  f"learning_rate={lr!r}", f"l2={v['l2']!r}",
                  f"batch_size={v['batch_size']}", f"features={preset if preset else list(v['features'])!r}"]
        if v["l1"]:
            parts.append(f"l1={v['l1']!r}")
        if v["target_accuracy"] != NEVER:
            parts.append(f"target_accuracy={v['target_accuracy']!r}")
        if v["epochs_per_click"] != 50:
            parts.append(f"epochs_per_click={v['epochs_per_click']}")
        if v["epochs_per_frame"] != "auto":
            parts.append(f"epochs_per_frame={v['epochs_per_frame']}")
        if not v["show_test"]:
            parts.append("show_test=False")
        if v["discretize"]:
            parts.append("discretize=True")
        if self._own is None and self.n_samples != 200:
            parts.append(f"n_samples={self.n_samples}")
        if self.seed:
            parts.append(f"seed={self.seed}")
        if self._own is not None:
            parts = ["X=X", "y=y"] + parts + [f"data_id={self._data_id!r}"]
        return f"Playground({', '.join(parts)})"

    # ------------------------------------------------------------------------------------------- static figure
    def png(self) -> bytes:
        """The current state as PNG bytes (the static figure, at twice the display density)."""
        _ = self.figure  # bring it up to date
        return super().png()

    def _reopen_bundle(self) -> dict:
        _ = self.figure  # the saved copy shows the current state
        return super()._reopen_bundle()

    def _schedule_copy(self) -> None:
        """Keep the saved copy of the picture (shown when the notebook is reopened without its kernel) current,
        without slowing a change down: it is drawn once the controls have been left alone for 0.8 s, and not
        while playing (at Pause it follows)."""
        if not self._handles or self.playing:
            return
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (not in a kernel): draw it now
            self._update_copy()
            return
        if self._idle_copy is not None:
            self._idle_copy.cancel()
        self._idle_copy = loop.call_later(0.8, self._update_copy)

    def _update_copy(self) -> None:
        self._idle_copy = None
        _ = self.figure
        self.frame.push()  # the panel's frame machinery sends it on to the saved copies (Panel._frame_sent)

    def _sync_figure(self) -> None:
        self._figure_stale = False
        if self.problem or self.trainer is None:
            if not self._figure.axes:  # nothing drawn yet: say why on the figure itself
                self._figure.text(0.5, 0.5, self.message, ha="center", va="center", wrap=True, fontsize=10)
            return  # keep the last picture
        if not self._refresh():
            self._figure.clear()
            self.draw(self._figure, **self.values())

    def draw(self, figure, **values):
        """Draw the static figure from scratch (after a change of data, network or view settings)."""
        self._art = None
        h = self.trainer.history
        gs = figure.add_gridspec(4, 4, left=0.075, right=0.985, bottom=0.22, top=0.9, wspace=0.45, hspace=0.9,
                                 width_ratios=[2.5, 2.1, 0.7, 0.7])
        ax = figure.add_subplot(gs[:, 0])
        values_ = self._plane_values(self.model.predict_scores(self.F_grid))
        extent = (self.xlim[0], self.xlim[1], self.ylim[0], self.ylim[1])
        image = ax.imshow(self._plane_rgb(values_), origin="lower", extent=extent, interpolation="bilinear",
                          aspect="equal", zorder=0)
        contour = self._boundary_line(ax, values_)
        sets = [(self.X_train, self.y_train, False)]
        if values["show_test"]:
            sets.append((self.X_test, self.y_test, True))
        for X, y, hollow in sets:
            if self.n_classes == 0:
                ax.scatter(X[:, 0], X[:, 1], c=y, cmap=SURFACE_CMAP, vmin=-1, vmax=1, s=14, zorder=3,
                           edgecolors="black", linewidths=0.9 if hollow else 0.4, marker="s" if hollow else "o",
                           label="test" if hollow else "train")
                continue
            for k in range(self.n_classes):
                mask = y == k
                colour = CLASS_COLORS[k]
                ax.scatter(X[mask, 0], X[mask, 1], s=14, marker=CLASS_MARKERS[k], zorder=3,
                           facecolors="none" if hollow else colour, edgecolors=colour if hollow else "black",
                           linewidths=1.2 if hollow else 0.5, label=f"{'test' if hollow else 'train'} {k}")
        ax.set_xlim(self.xlim)
        ax.set_ylim(self.ylim)
        ax.set_xlabel("$x_1$", fontsize=10)
        ax.set_ylabel("$x_2$", fontsize=10)
        ax.tick_params(labelsize=9)
        ax.grid(False)
        if self.n_classes:
            names = None if self.class_names is None else [f"class {c}" for c in self.class_names]
            ax.legend(handles=_legend_proxies(self.n_classes, names, test=bool(values["show_test"])),
                      loc="upper center", bbox_to_anchor=(0.45, -0.17), ncol=self.n_classes + 1, fontsize=9,
                      frameon=False, handletextpad=0.1, columnspacing=0.8)
        boundary_title, loss_title = self._titles()
        ax.set_title(boundary_title, fontsize=10)

        ax_loss = figure.add_subplot(gs[:2, 1])
        ax_acc = figure.add_subplot(gs[2:, 1])
        lines = {}
        for a, field, name in ((ax_loss, "loss", "loss"), (ax_acc, "acc", "accuracy")):
            lines[field] = (a.plot(h.epoch, getattr(h, f"train_{field}"), color=PALETTE[0], lw=1.5, label="train")[0],
                            a.plot(h.epoch, getattr(h, f"test_{field}"), color=PALETTE[5], lw=1.5, ls="--",
                                   label="test")[0])
            a.set_ylabel(name, fontsize=10)
            a.tick_params(labelsize=9)
        ax_loss.set_title(loss_title, fontsize=10)
        ax_acc.set_ylim(0, 1.02)
        ax_acc.set_xlabel("epoch", fontsize=10)
        if self.n_classes == 0:
            ax_acc.text(0.5, 0.5, "no accuracy:\na regression", ha="center", va="center", fontsize=9,
                        transform=ax_acc.transAxes)
        # the legend of both curves sits under them, where it covers nothing
        ax_acc.legend(handles=list(lines["loss"]), loc="upper center", bbox_to_anchor=(0.5, -0.38), ncol=2,
                      fontsize=9, frameon=False)
        self._scale_curves(ax_loss, ax_acc)

        neuron_images = []
        if self.hidden_sizes:
            n = min(self.hidden_sizes[0], 8)
            axes = [figure.add_subplot(gs[i // 2, 2 + i % 2]) for i in range(n)]
            pictures = neuron_values(self.model, features=self.columns, xlim=self.xlim, ylim=self.ylim,
                                     max_neurons=8, resolution=24)
            for j, (a, (v, lo, hi)) in enumerate(zip(axes, pictures)):
                neuron_images.append(a.imshow(v, origin="lower", extent=extent, cmap=SURFACE_CMAP, vmin=lo, vmax=hi,
                                              interpolation="bilinear", aspect="equal"))
                a.set_xticks([])
                a.set_yticks([])
                a.grid(False)
                a.set_title(f"neuron {j + 1}", fontsize=9, pad=2)
            more = f" (first 8 of {self.hidden_sizes[0]})" if self.hidden_sizes[0] > 8 else ""
            figure.text(0.985, 0.955, f"first-layer neurons{more}", ha="right", fontsize=9)
        else:
            figure.text(0.89, 0.5, "no hidden layer:\na linear model\n(on the chosen inputs)", ha="center",
                        va="center", fontsize=9)
        self._art = {"trainer": self.trainer, "ax": ax, "image": image, "contour": contour, "lines": lines,
                     "ax_loss": ax_loss, "ax_acc": ax_acc, "neurons": neuron_images,
                     "view": (values["show_test"], values["discretize"])}
        return self._report()

    def _boundary_line(self, ax, values):
        """The black boundary line (two classes: confidence 0.5), or None."""
        if self.n_classes != 2:
            return None
        picture = values
        if not picture.min() < 0.5 < picture.max():
            return None
        xs = np.linspace(self.xlim[0], self.xlim[1], picture.shape[1])
        ys = np.linspace(self.ylim[0], self.ylim[1], picture.shape[0])
        return ax.contour(xs, ys, picture, levels=[0.5], colors="black", linewidths=1.3, zorder=1)

    def _scale_curves(self, ax_loss, ax_acc) -> None:
        h = self.trainer.history
        for a in (ax_loss, ax_acc):
            a.set_xlim(0, max(1.0, h.epoch[-1]))
        top = np.nanmax(np.concatenate([h.train_loss, h.test_loss]))
        ax_loss.set_ylim(0, 1.05 * top if np.isfinite(top) and top > 0 else 1.0)

    def _refresh(self) -> bool:
        """After training: update the pictures already on the figure instead of drawing them again (several
        times faster). Returns False when a full drawing is needed."""
        art = self._art
        values = self.values()
        if (not art or art["trainer"] is not self.trainer or not self._figure.axes
                or art["view"] != (values["show_test"], values["discretize"])):
            return False
        h = self.trainer.history
        plane = self._plane_values(self.model.predict_scores(self.F_grid))
        art["image"].set_data(self._plane_rgb(plane))
        if art["contour"] is not None:
            art["contour"].remove()
        art["contour"] = self._boundary_line(art["ax"], plane)
        boundary_title, loss_title = self._titles()
        art["ax"].set_title(boundary_title, fontsize=10)
        art["ax_loss"].set_title(loss_title, fontsize=10)
        for field, (train_line, test_line) in art["lines"].items():
            train_line.set_data(h.epoch, getattr(h, f"train_{field}"))
            test_line.set_data(h.epoch, getattr(h, f"test_{field}"))
        self._scale_curves(art["ax_loss"], art["ax_acc"])
        if art["neurons"]:
            pictures = neuron_values(self.model, features=self.columns, xlim=self.xlim, ylim=self.ylim,
                                     max_neurons=8, resolution=24)
            for image, (v, lo, hi) in zip(art["neurons"], pictures):
                image.set_data(v)
                image.set_clim(lo, hi)
        return True

    def _redraw(self, fast: bool = False) -> None:
        """Redraw everything now (the static figure included); ``fast`` keeps the figure's artists."""
        if not fast:
            self._art = None
        self._show(static=not fast)
        self._sync_figure()
