"""Chapter 6's playground: train a small network on the plane and watch it learn, in the spirit of
TensorFlow Playground, plus what its users ask for most: accuracy (not only loss), your own ``(X, y)`` data,
cross-entropy, a stop at a target accuracy, and the settings as one line of code.

    >>> from nbhelpers.widgets.playground import Playground
    >>> panel = Playground(dataset="xor", hidden="4")
    >>> panel.train(50)            # what the "Train" button does
    >>> panel.code()               # one line that recreates these settings
    "Playground(dataset='xor', noise=0.1, ...)"

Data controls (dataset, noise, train fraction, input features) make new data and a new network; network
controls (hidden layers, activation, loss) a new network; training controls (optimizer, learning rate, L2,
batch size, target accuracy) apply from the next step on, keeping the weights. "Reset" starts the network
again from its seeded initial weights.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from nbhelpers.datasets import DATASETS_2D, make_dataset, train_test_split
from nbhelpers.environment import in_kernel
from nbhelpers.mlp import HIDDEN_ACTIVATIONS, MLP
from nbhelpers.plotting import CLASS_COLORS, CLASS_MARKERS, PALETTE, SURFACE_CMAP, grid_points
from nbhelpers.plotting.mlp import mix_class_colours, neuron_values, plane_limits, plot_neuron_pictures
from nbhelpers.training import FEATURES, LOSSES, Objective, Trainer, make_features
from nbhelpers.widgets import Panel, log_slider, slider

__all__ = ["Playground", "parse_hidden", "YOUR_DATA"]

#: The dataset name shown when the playground was given the learner's own arrays.
YOUR_DATA = "your data"
_TARGETS = [("off", None), ("90%", 0.9), ("95%", 0.95), ("99%", 0.99), ("100%", 1.0)]
_L2 = [0.0, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1]
_EPOCHS = [1, 5, 10, 50, 100, 200, 500]
_MAX_NEURONS, _MAX_LAYERS = 256, 6


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


class Playground(Panel):
    """Train an MLP on a 2-D dataset and watch it learn: boundary, curves, accuracy and first-layer neurons.

    Parameters (each is also a control, and :meth:`code` prints them back)
    ----------
    dataset : "linear", "circles", "xor", "gaussians", "moons", "spiral" or "spiral3" (ignored with X, y)
    noise : jitter added to the points; train_fraction : share of the points used for training (the rest test)
    hidden : hidden layer sizes as text, e.g. "8, 8" ("" for none); activation : "relu", "tanh", ...
    loss : "cross-entropy", "hinge" or "mse"; optimizer : "sgd", "momentum" or "adam"
    learning_rate, l2, batch_size : training settings; features : "x1, x2", "squares", "sines" or "all"
    target_accuracy : stop training when the training accuracy reaches it (None = off)
    epochs_per_click : epochs the Train button runs; X, y : your own points (n, 2) and labels (2 to 4 classes)
    n_samples, seed : how many points to make, and the seed of data, split, weights and batches
    """

    figsize = (11.0, 4.6)
    fallback_note = ("Playground: open this notebook in Jupyter with a live kernel to train; this picture shows "
                     "its current state.")

    def __init__(self, dataset: str = "circles", *, noise: float = 0.1, train_fraction: float = 0.5,
                 hidden="4, 4", activation: str = "tanh", loss: str = "cross-entropy", optimizer: str = "adam",
                 learning_rate: float = 0.03, l2: float = 0.0, batch_size: int = 10, features: str = "x1, x2",
                 target_accuracy=None, epochs_per_click: int = 50, X=None, y=None, n_samples: int = 200,
                 seed: int = 0):
        if (X is None) != (y is None):
            raise ValueError("give both X and y (your points and their labels), or neither.")
        self._own = None if X is None else _own_data(X, y)
        if self._own is None and str(dataset) not in DATASETS_2D:
            raise ValueError(f"unknown dataset {dataset!r}; choose one of {', '.join(map(repr, DATASETS_2D))}.")
        if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or not 10 <= n_samples <= 2000:
            raise ValueError(f"n_samples must be a whole number from 10 to 2000; got {n_samples!r}.")
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise ValueError(f"seed must be a whole number >= 0; got {seed!r}.")
        self.n_samples, self.seed = int(n_samples), int(seed)
        parse_hidden(hidden)  # a clear error now rather than a blank panel
        if target_accuracy not in [v for _, v in _TARGETS]:
            raise ValueError(f"target_accuracy must be one of {[v for _, v in _TARGETS]}; got {target_accuracy!r}.")
        if l2 not in _L2:
            raise ValueError(f"l2 must be one of {_L2}; got {l2!r}.")
        if epochs_per_click not in _EPOCHS:
            raise ValueError(f"epochs_per_click must be one of {_EPOCHS}; got {epochs_per_click!r}.")
        datasets = [YOUR_DATA] if self._own is not None else list(DATASETS_2D)
        wide = {"description_width": "initial"}
        controls = {
            "dataset": widgets.Dropdown(options=datasets, value=datasets[0] if self._own is not None else dataset,
                                        description="dataset", style=wide, layout=widgets.Layout(width="190px")),
            "noise": slider("noise", noise, 0.0, 0.5, step=0.05, disabled=self._own is not None),
            "train_fraction": slider("train fraction", train_fraction, 0.1, 0.9, step=0.1),
            "features": widgets.Dropdown(options=list(FEATURES), value=features, description="inputs", style=wide,
                                         layout=widgets.Layout(width="200px")),
            "hidden": widgets.Text(value=", ".join(map(str, parse_hidden(hidden))), description="hidden layers",
                                   continuous_update=False, style=wide, layout=widgets.Layout(width="200px")),
            "activation": widgets.Dropdown(options=[a for a in HIDDEN_ACTIVATIONS], value=activation,
                                           description="activation", style=wide, layout=widgets.Layout(width="200px")),
            "loss": widgets.Dropdown(options=list(LOSSES), value=loss, description="loss", style=wide,
                                     layout=widgets.Layout(width="190px")),
            "optimizer": widgets.Dropdown(options=["sgd", "momentum", "adam"], value=optimizer,
                                          description="optimizer", style=wide, layout=widgets.Layout(width="180px")),
            "learning_rate": log_slider("learning rate", learning_rate, -4, 1),
            "l2": widgets.Dropdown(options=_L2, value=l2, description="L2", style=wide,
                                   layout=widgets.Layout(width="130px")),
            "batch_size": widgets.IntSlider(value=batch_size, min=1, max=100, description="batch size",
                                            continuous_update=False, style=wide),
            "target_accuracy": widgets.Dropdown(options=_TARGETS, value=target_accuracy, description="stop at",
                                                style=wide, layout=widgets.Layout(width="150px")),
            "epochs_per_click": widgets.Dropdown(options=_EPOCHS, value=epochs_per_click, description="epochs/click",
                                                 style=wide, layout=widgets.Layout(width="170px")),
        }
        self.buttons = {
            "train": widgets.Button(description=f"Train {epochs_per_click} epochs", button_style="primary",
                                    icon="play"),
            "step": widgets.Button(description="Step", tooltip="one optimizer step on one mini-batch",
                                   icon="step-forward"),
            "reset": widgets.Button(description="Reset", tooltip="start again from the initial weights", icon="undo"),
        }
        self.buttons["train"].on_click(lambda _: self.train())
        self.buttons["step"].on_click(lambda _: self.step())
        self.buttons["reset"].on_click(lambda _: self.reset())
        self.code_box = widgets.Text(value="", description="as code", style={"description_width": "initial"},
                                     layout=widgets.Layout(width="98%"),
                                     tooltip="copy this line to recreate these settings")
        self.trainer = None
        self.event = ""
        self._build_data(controls)
        self._ready = False  # Panel.__init__ asks for a first drawing; it comes below, on the final figure
        super().__init__(controls)
        # A figure without a layout engine: the layout is fixed, so a PNG takes one drawing pass, not two.
        from matplotlib.figure import Figure  # imported at first use: it is most of matplotlib's import time

        self.figure = Figure(figsize=self.figsize)
        self._ready = True
        self._redraw()
        rows = [["dataset", "noise", "train_fraction", "features"],
                ["hidden", "activation", "loss", "optimizer", "learning_rate"],
                ["l2", "batch_size", "target_accuracy", "epochs_per_click"]]
        box = widgets.Layout(flex_flow="row wrap")
        self.widget = widgets.VBox(
            [widgets.HBox([controls[n] for n in row], layout=box) for row in rows]
            + [widgets.HBox(list(self.buttons.values())), self.output, self.status, self.code_box])

    # ------------------------------------------------------------------------------------------- state
    def _build_data(self, controls=None) -> None:
        """Make (or split) the points and compute their input features; then a new network."""
        c = controls or self.controls
        if self._own is not None:
            X, y, self.class_names = self._own
        else:
            X, y = make_dataset(c["dataset"].value, self.n_samples, c["noise"].value, random_state=self.seed)
            self.class_names = np.arange(int(y.max()) + 1)
        self.n_classes = max(2, int(y.max()) + 1)
        test = round(1.0 - float(c["train_fraction"].value), 6)
        self.X_train, self.X_test, self.y_train, self.y_test = train_test_split(X, y, test_size=test,
                                                                                random_state=self.seed)
        self.xlim, self.ylim = plane_limits(X, margin=0.2)
        xx, _, self._grid = grid_points(self.xlim, self.ylim, 60)
        self._grid_shape = xx.shape
        self._build_model(c)

    def _build_model(self, controls=None) -> None:
        """A new network (seeded) and trainer from the current controls."""
        c = controls or self.controls
        self.trainer = None
        self.hidden_sizes = parse_hidden(c["hidden"].value)
        self.objective = Objective(c["loss"].value, self.n_classes)  # may say: this loss handles two classes
        features = c["features"].value
        self.F_train = make_features(self.X_train, features)
        self.F_test = make_features(self.X_test, features)
        self.F_grid = make_features(self._grid, features)
        self.model = MLP(self.F_train.shape[1], self.hidden_sizes + [self.objective.n_outputs],
                         activation=c["activation"].value, seed=self.seed)
        self._build_trainer(c)

    def _build_trainer(self, controls=None) -> None:
        c = controls or self.controls
        self.trainer = Trainer(self.model, self.F_train, self.y_train, self.F_test, self.y_test,
                               loss=self.objective, optimizer=c["optimizer"].value, lr=c["learning_rate"].value,
                               l2=c["l2"].value, batch_size=c["batch_size"].value, seed=self.seed,
                               target_accuracy=c["target_accuracy"].value, n_classes=self.n_classes)

    _DATA = ("dataset", "noise", "train_fraction", "features")
    _NETWORK = ("hidden", "activation", "loss")

    def update(self, change=None) -> None:
        """React to a control: rebuild what it affects, then redraw (the controls call this)."""
        name = None
        if change is not None:
            name = next((n for n, c in self.controls.items() if c is change.get("owner")), None)
        try:
            if name in self._DATA:
                self._build_data()
                self.event = f"new data ({name} changed): a fresh network"
            elif name in self._NETWORK:
                self._build_model()
                self.event = f"new network ({name} changed)"
            elif name == "optimizer":
                self._switch_optimizer()
            elif name in ("learning_rate", "l2", "batch_size", "target_accuracy") and self.trainer is not None:
                self._apply_setting(name, change["new"])
            elif name == "epochs_per_click":
                self.buttons["train"].description = f"Train {change['new']} epochs"
                self.event = f"the Train button now runs {change['new']} epochs"
        except (ValueError, TypeError) as err:
            self.trainer = None
            self.event = str(err)
        self._redraw()

    def _switch_optimizer(self) -> None:
        from nbhelpers.optim import make_optimizer

        if self.trainer is None:
            self._build_model()
            return
        self.trainer.optimizer = make_optimizer(self.controls["optimizer"].value, self.model.parameters(),
                                                self.controls["learning_rate"].value)
        self._resume()
        self.event = f"optimizer is now {self.controls['optimizer'].value} (weights kept)"

    def _apply_setting(self, name, value) -> None:
        t = self.trainer
        if name == "learning_rate":
            t.lr = value
            self._resume()
            self.event = f"learning rate is now {value:.3g} (weights kept)"
        elif name == "l2":
            t.l2 = float(value)
            self.event = f"L2 strength is now {value:g}"
        elif name == "batch_size":
            t.batch_size = int(value)
            t._position = len(t.X_train)  # start the next epoch afresh with the new batch size
            self.event = f"batch size is now {value}"
        else:
            t.target_accuracy = value
            self.event = "no target accuracy" if value is None else f"training stops at {value:.0%} train accuracy"

    def _resume(self) -> None:
        """After a divergence, a new learning rate or optimizer lets training continue from the rolled-back weights."""
        if self.trainer.history.diverged:
            self.trainer.history.diverged = False
            self.trainer.history.stopped = None

    # ------------------------------------------------------------------------------------------- actions
    def train(self, epochs: int | None = None) -> None:
        """Train ``epochs`` epochs (default: the epochs-per-click setting), then redraw: the Train button."""
        if self.trainer is None:
            self.update()
            return
        epochs = self.controls["epochs_per_click"].value if epochs is None else epochs
        before = self.trainer.epoch
        self.trainer.train_epochs(epochs)
        ran = self.trainer.epoch - before
        self.event = f"trained {ran:g} epoch{'s' if ran != 1 else ''}"
        self._redraw(fast=True)

    def step(self) -> None:
        """One optimizer step on one mini-batch, then redraw: the Step button."""
        if self.trainer is None:
            self.update()
            return
        loss = self.trainer.step()
        self.event = "one step" + (f" (batch loss {loss:.4f})" if loss is not None else "")
        self._redraw(fast=True)

    def reset(self) -> None:
        """Start again from the seeded initial weights (same data, same settings): the Reset button."""
        try:
            self._build_model()
            self.event = "reset to the initial weights"
        except (ValueError, TypeError) as err:
            self.trainer = None
            self.event = str(err)
        self._redraw()

    def _redraw(self, fast: bool = False) -> None:
        """Redraw the figure and the text under it; in a live kernel show it as one PNG.

        (Like :meth:`Panel.update`, but the picture is sent as a PNG drawn in one pass: displaying the figure
        itself makes the inline backend draw it twice, to find a tight bounding box.)
        """
        if not self._ready:
            return  # still inside Panel.__init__: the first drawing follows
        if not (fast and self._refresh()):
            self.figure.clear()
            try:
                self.message = self.draw(self.figure, **self.values()) or ""
            except (ValueError, FloatingPointError) as err:
                self.figure.clear()
                self.message = f"Cannot draw this: {err}"
        self.status.value = f"<span style='font-family:sans-serif'>{html.escape(self.message)}</span>"
        self.code_box.value = self.code()
        self.draw_count += 1
        if in_kernel():
            from IPython.display import Image, clear_output, display

            with self.output:
                clear_output(wait=True)
                display(Image(self.png()))

    # ------------------------------------------------------------------------------------------- reporting
    def code(self) -> str:
        """One line of Python that recreates the current settings (hand it to a room of learners)."""
        v = self.values()
        lr = float(f"{v['learning_rate']:.4g}")  # the log slider may hold 0.030000000000000002
        parts = [] if self._own is not None else [f"dataset={v['dataset']!r}", f"noise={v['noise']:g}"]
        parts += [f"train_fraction={v['train_fraction']:g}", f"hidden={v['hidden']!r}",
                  f"activation={v['activation']!r}", f"loss={v['loss']!r}", f"optimizer={v['optimizer']!r}",
                  f"learning_rate={lr!r}", f"l2={v['l2']!r}",
                  f"batch_size={v['batch_size']}", f"features={v['features']!r}"]
        if v["target_accuracy"] is not None:
            parts.append(f"target_accuracy={v['target_accuracy']!r}")
        if v["epochs_per_click"] != 50:
            parts.append(f"epochs_per_click={v['epochs_per_click']}")
        if self._own is None and self.n_samples != 200:
            parts.append(f"n_samples={self.n_samples}")
        if self.seed:
            parts.append(f"seed={self.seed}")
        if self._own is not None:
            parts = ["X=X", "y=y"] + parts
        return f"Playground({', '.join(parts)})"

    # ------------------------------------------------------------------------------------------- drawing
    def _confidence_picture(self) -> np.ndarray:
        conf = self.objective.confidence(self.model.predict_scores(self.F_grid))
        if self.n_classes == 2:
            return conf.reshape(self._grid_shape)
        return mix_class_colours(conf.reshape(self._grid_shape + (self.n_classes,)), self.n_classes)

    def _boundary_line(self, ax, picture):
        """The black 0.5 contour (two classes only); returns the contour set or None."""
        if self.n_classes != 2 or not picture.min() < 0.5 < picture.max():
            return None
        xs = np.linspace(self.xlim[0], self.xlim[1], picture.shape[1])
        ys = np.linspace(self.ylim[0], self.ylim[1], picture.shape[0])
        return ax.contour(xs, ys, picture, levels=[0.5], colors="black", linewidths=1.3, zorder=1)

    def _titles(self):
        t, h = self.trainer, self.trainer.history
        boundary = (f"epoch {t.epoch:g}: train {h.last('train_acc'):.0%}, test {h.last('test_acc'):.0%} "
                    "(hollow = test)")
        loss = (f"loss ({self.objective.loss_name}): train {h.last('train_loss'):.3f}, "
                f"test {h.last('test_loss'):.3f}")
        return boundary, loss

    def _report(self) -> str:
        t, h = self.trainer, self.trainer.history
        report = (f"Epoch {t.epoch:g} ({t.steps} steps): train accuracy {h.last('train_acc'):.1%}, test accuracy "
                  f"{h.last('test_acc'):.1%}; train loss {h.last('train_loss'):.4f}, "
                  f"test loss {h.last('test_loss'):.4f}.")
        if h.stopped:
            return f"Stopped: {h.stopped} {report}"
        return f"{report} ({self.event}.)" if self.event else report

    def draw(self, figure, **values):
        """Draw everything from scratch (after a change of data, network or settings)."""
        self._art = None
        if self.trainer is None:
            raise ValueError(self.event)
        h = self.trainer.history
        gs = figure.add_gridspec(4, 4, left=0.06, right=0.99, bottom=0.1, top=0.9, wspace=0.45, hspace=0.75,
                                 width_ratios=[2.3, 2.3, 0.8, 0.8])
        ax = figure.add_subplot(gs[:, 0])
        picture = self._confidence_picture()
        extent = (self.xlim[0], self.xlim[1], self.ylim[0], self.ylim[1])
        image = ax.imshow(picture, origin="lower", extent=extent, interpolation="bilinear", aspect="auto", zorder=0,
                          **({"cmap": SURFACE_CMAP, "vmin": 0, "vmax": 1, "alpha": 0.6} if self.n_classes == 2
                             else {}))
        contour = self._boundary_line(ax, picture)
        for X, y, hollow in ((self.X_train, self.y_train, False), (self.X_test, self.y_test, True)):
            for k in range(self.n_classes):
                mask = y == k
                colour = CLASS_COLORS[k]
                ax.scatter(X[mask, 0], X[mask, 1], s=16, marker=CLASS_MARKERS[k], zorder=3,
                           facecolors="none" if hollow else colour, edgecolors=colour if hollow else "black",
                           linewidths=1.2 if hollow else 0.6, label=f"{'test' if hollow else 'train'} {k}")
        ax.set_xlim(self.xlim)
        ax.set_ylim(self.ylim)
        ax.set_xlabel("$x_1$")
        ax.set_ylabel("$x_2$")
        ax.grid(False)
        boundary_title, loss_title = self._titles()
        ax.set_title(boundary_title, fontsize=9)

        ax_loss = figure.add_subplot(gs[:2, 1])
        ax_acc = figure.add_subplot(gs[2:, 1])
        lines = {}
        for a, field, name in ((ax_loss, "loss", "loss"), (ax_acc, "acc", "accuracy")):
            lines[field] = (a.plot(h.epoch, getattr(h, f"train_{field}"), color=PALETTE[0], lw=1.5, label="train")[0],
                            a.plot(h.epoch, getattr(h, f"test_{field}"), color=PALETTE[5], lw=1.5, ls="--",
                                   label="test")[0])
            a.set_ylabel(name)
            a.tick_params(labelsize=7)
        ax_loss.set_title(loss_title, fontsize=9)
        ax_loss.legend(fontsize=7, loc="upper right")
        ax_acc.set_ylim(0, 1.02)
        ax_acc.set_xlabel("epoch")
        ax_acc.set_title("accuracy", fontsize=9)
        self._scale_curves(ax_loss, ax_acc)

        neuron_images = []
        if self.hidden_sizes:
            n = min(self.hidden_sizes[0], 8)
            axes = [figure.add_subplot(gs[i // 2, 2 + i % 2]) for i in range(n)]
            plot_neuron_pictures(axes, self.model, features=values["features"], xlim=self.xlim, ylim=self.ylim,
                                 max_neurons=8, resolution=24)
            neuron_images = [a.images[0] for a in axes]
            more = f" (first 8 of {self.hidden_sizes[0]})" if self.hidden_sizes[0] > 8 else ""
            figure.text(0.89, 0.955, f"first-layer neurons{more}", ha="center", fontsize=9)
        else:
            figure.text(0.89, 0.5, "no hidden layer:\na linear model\n(on the chosen inputs)", ha="center",
                        va="center", fontsize=9)
        self._art = {"trainer": self.trainer, "ax": ax, "image": image, "contour": contour, "lines": lines,
                     "ax_loss": ax_loss, "ax_acc": ax_acc, "neurons": neuron_images}
        return self._report()

    def _scale_curves(self, ax_loss, ax_acc) -> None:
        h = self.trainer.history
        for a in (ax_loss, ax_acc):
            a.set_xlim(0, max(1.0, h.epoch[-1]))
        top = np.nanmax(np.concatenate([h.train_loss, h.test_loss]))
        ax_loss.set_ylim(0, 1.05 * top if np.isfinite(top) and top > 0 else 1.0)

    def _refresh(self) -> bool:
        """After training: update the pictures already on the figure instead of drawing them again (several
        times faster). Returns False when a full drawing is needed."""
        art = getattr(self, "_art", None)
        if not art or art["trainer"] is not self.trainer or not self.figure.axes:
            return False
        h = self.trainer.history
        picture = self._confidence_picture()
        art["image"].set_data(picture)
        if art["contour"] is not None:
            art["contour"].remove()
        art["contour"] = self._boundary_line(art["ax"], picture)
        boundary_title, loss_title = self._titles()
        art["ax"].set_title(boundary_title, fontsize=9)
        art["ax_loss"].set_title(loss_title, fontsize=9)
        for field, (train_line, test_line) in art["lines"].items():
            train_line.set_data(h.epoch, getattr(h, f"train_{field}"))
            test_line.set_data(h.epoch, getattr(h, f"test_{field}"))
        self._scale_curves(art["ax_loss"], art["ax_acc"])
        if art["neurons"]:
            pictures = neuron_values(self.model, features=self.controls["features"].value, xlim=self.xlim,
                                     ylim=self.ylim, max_neurons=8, resolution=24)
            for image, (values, lo, hi) in zip(art["neurons"], pictures):
                image.set_data(values)
                image.set_clim(lo, hi)
        self.message = self._report()
        return True
