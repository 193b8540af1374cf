"""The fuzz harness: every public callable of nbhelpers, called with bad arguments, one argument at a time.

Discovery is by introspection: every function and class in a module's ``__all__`` (defined in that module), and
every public method of those classes. Each needs a *baseline*, a call that works (:data:`RECIPES`); a callable
without one makes the fuzz test fail, so a new helper cannot slip past. Then, for every argument of the
baseline, each bad value of :func:`bad_values` replaces it, and the call is classified:

- ``clear``: raised by the package's own code (the innermost frame is in nbhelpers) as one line that names the
  argument or says what came ("got ..."): a clear package error (an operator's operand, which has no name, needs
  only the one line);
- ``accepted``: returned normally with no NaN or infinity in the result (and no RuntimeWarning) - a value a
  helper may legitimately take (``None`` for an optional argument, a title of any text, ...). Numbers-only
  kinds (text, complex, None inside, True/False, ragged) accepted where the baseline holds numbers count as
  ``wrongly accepted`` instead;
- ``raw``: any other exception (NumPy, Python, matplotlib traceback) or an escaped RuntimeWarning;
- ``nan``: returned NaN or infinity silently;
- ``hang``: did not finish within the time limit.

A "wrongly accepted" call that is in fact right is listed, with its reason, in :data:`DOCUMENTED_ACCEPTANCES`
(and documented in the helper). Baselines draw on axes from a small pool, reused only while no call has drawn on
them (the sweep's cost is mostly making figures); animations the harness makes and drops are marked as handled,
so matplotlib's "deleted without rendering" warning does not leak into the report.

Run ``python -m tests.fuzz_report`` for the table; ``tests/test_fuzz.py`` asserts on it.
"""

from __future__ import annotations

import importlib
import inspect
import os
import signal
import sys
import traceback
import warnings
from collections import Counter, defaultdict

import numpy as np

os.environ.setdefault("MPLBACKEND", "Agg")
import matplotlib  # noqa: E402

matplotlib.use("Agg")

MATH_MODULES = ["activations", "losses", "neuron", "datasets", "optim", "descent", "gradcheck", "network",
                "divergence", "mlp", "training", "scalar_nn"]
PLOTTING_MODULES = ["plotting", "plotting.activations", "plotting.backprop", "plotting.descent", "plotting.graph",
                    "plotting.mlp"]
#: the scalar engine (engine.py) and the array engine (tensor.py): held to the same bar, each on its own
ENGINE_MODULES = ["engine", "tensor"]
MODULES = MATH_MODULES + PLOTTING_MODULES + ENGINE_MODULES

#: per call: CPU seconds of this process (robust to a loaded machine, where wall time stretches), and a generous
#: wall-clock limit as well for a call that waits without computing
TIME_LIMIT = 2.0
WALL_LIMIT = 60.0
PACKAGE_DIR = os.path.dirname(importlib.import_module("nbhelpers").__file__)
NUMBERS_ONLY = {"text", "numeric text", "complex", "complex array", "None inside", "True", "ragged", "object"}
#: Calls the rules above would count as "wrongly accepted" that are correct, each with the reason (documented in
#: the helper's docstring): ``(qualified name, argument, kind of bad value) -> why``.
DOCUMENTED_ACCEPTANCES = {
    ("divergence.DivergenceWatch.check_parameters", "arrays", "ragged"):
        "a list of parameter arrays of different sizes ([[1.0, 2.0], [3.0]]: a vector of 2 and one of 1) is what "
        "arrays is: one array per parameter, each of its own shape",
}


# ----------------------------------------------------------------------------------------------- discovery

def public_callables():
    """``[(module short name, qualified name, object, owner class or None)]`` for every public callable."""
    found = []
    for short in MODULES:
        mod = importlib.import_module("nbhelpers." + short)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or obj.__module__ != mod.__name__:
                continue
            if inspect.isclass(obj) and (issubclass(obj, BaseException) or hasattr(obj, "_fields")):
                continue  # exceptions and NamedTuple records hold what they are given
            found.append((short, f"{short}.{name}", obj, None))
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if not attr.startswith("_") and inspect.isfunction(member):
                        found.append((short, f"{short}.{name}.{attr}", member, obj))
    return found


# ----------------------------------------------------------------------------------------------- baselines

#: Axes for the baselines, reused while untouched: most calls stop at the argument check and never draw, and a
#: fresh figure (its axes, ticks and grid) costs more than all the rest of the sweep together.
_AXES_POOL: list = []  # [(axes, its state when fresh)]
_IN_USE: set = set()  # ids of the pool's axes handed out to the baseline being made


def _state(ax):
    """What drawing on ``ax`` (or its figure) changes: artists, texts, limits, scales, locators."""
    fig = ax.figure
    return (len(fig.get_children()), len(fig.axes), tuple(fig.get_size_inches()), fig.get_dpi(),
            len(ax.get_children()), ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ax.get_xlim(), ax.get_ylim(),
            ax.get_xscale(), ax.get_yscale(), ax.get_aspect(), ax.get_legend() is None, ax.axison,
            id(ax.xaxis.get_major_locator()), id(ax.yaxis.get_major_locator()),
            id(ax.xaxis.get_major_formatter()), id(ax.yaxis.get_major_formatter()))


def _ax():
    """An Axes as ``new_figure()`` makes it: one from the pool that no call has drawn on, else a new one."""
    for ax, fresh in _AXES_POOL:
        if id(ax) not in _IN_USE and _state(ax) == fresh:
            _IN_USE.add(id(ax))
            return ax
    from nbhelpers.plotting import new_figure
    ax = new_figure()[1]
    if len(_AXES_POOL) >= 4:
        _AXES_POOL.pop(0)
    _AXES_POOL.append((ax, _state(ax)))
    _IN_USE.add(id(ax))
    return ax


def _moons(n=12):
    from nbhelpers.datasets import make_moons
    return make_moons(n, noise=0.1, random_state=0)


def _mlp():
    from nbhelpers.mlp import MLP
    return MLP(2, [3, 1], seed=0)


def _trainer():
    from nbhelpers.training import Trainer
    X, y = _moons()
    return Trainer(_mlp(), X, y, X, y, lr=0.05)


def _history():
    from nbhelpers.training import fit
    X, y = _moons()
    return fit(_mlp(), X, y, X, y, epochs=2, lr=0.05)


def _path():
    from nbhelpers.descent import descend
    return descend("parabola", 0.0, lr=0.1, steps=5)


def _path2d():
    from nbhelpers.descent import descend
    return descend("bowl", lr=0.1, steps=5)


def _net():
    from nbhelpers.network import Network
    return Network([2, 2, 1], seed=0)


def _net_forwarded():
    net = _net()
    net.forward(np.ones((3, 2)))
    return net


def _dense_forwarded():
    from nbhelpers.network import Dense
    layer = Dense(2, 2, "tanh", rng=np.random.default_rng(0))
    layer.forward(np.ones((3, 2)))
    return layer


def _param():
    from nbhelpers.optim import Parameter
    p = Parameter([1.0, -2.0])
    p.grad = np.array([0.5, 0.5])
    return p


def _report():
    from nbhelpers.gradcheck import gradient_check
    w = np.array([1.0, -2.0])
    return gradient_check(lambda: float(np.sum(w ** 3)), [w], [3 * w ** 2])


def _value_graph():
    from nbhelpers.engine import Value
    a, b = Value(2.0), Value(-3.0)
    out = a * b + a
    out.backward()
    return out


def _tensor(data=((1.0, 2.0), (3.0, 4.0))):
    from nbhelpers.tensor import Tensor
    return Tensor(np.array(data))


def _T(data):
    return lambda: _tensor(data)


def _opt(cls_name):
    def make():
        from nbhelpers import optim
        p = _param()
        return getattr(optim, cls_name)([p], lr=0.1)
    return make


def _landscape_kwargs():
    return dict(name="quad", function=lambda w: (w - 1.0) ** 2, gradient=lambda w: 2 * (w - 1.0), minima=[1.0],
                xlim=(-2.0, 3.0))


def _scalar_mlp():
    from nbhelpers.scalar_nn import MLP
    return MLP(2, [2, 1], seed=0)


def _scalar_neuron():
    from nbhelpers.scalar_nn import Neuron
    return Neuron(2)


def _scalar_layer():
    from nbhelpers.scalar_nn import Layer
    return Layer(2, 2)


def _layer():
    from nbhelpers.mlp import Layer
    return Layer(2, 3, "relu", rng=np.random.default_rng(0))


def _objective():
    from nbhelpers.training import Objective
    return Objective("cross-entropy", 2)


def _watch():
    from nbhelpers.divergence import DivergenceWatch
    watch = DivergenceWatch(0.1)
    watch.check_loss(1.0, step=0)
    return watch


def _animation():
    from nbhelpers.plotting.mlp import animate_training
    return animate_training(_trainer(), 2, every=1, resolution=8)


def _lines():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    return x, 2 * x - 1 + np.array([0.1, -0.1, 0.05, 0.0])


#: qualified name -> () -> (kwargs for the baseline call, instance or None). Values are made fresh per call.
def _k(**kwargs):
    import copy
    return lambda: copy.deepcopy(kwargs)  # a fresh copy per call: a test that replaces an argument changes no recipe


Z = np.array([-1.0, 0.0, 2.0])
RECIPES = {
    # activations
    **{f"activations.{n}": _k(z=Z) for n in ("sigmoid", "sigmoid_derivative", "tanh", "tanh_derivative", "relu",
                                             "relu_derivative", "linear", "linear_derivative", "step",
                                             "step_derivative", "gelu", "gelu_derivative", "softmax_jacobian")},
    "activations.leaky_relu": _k(z=Z, alpha=0.01),
    "activations.leaky_relu_derivative": _k(z=Z, alpha=0.01),
    "activations.softmax": _k(z=np.array([[2.0, 1.0, 0.1]]), axis=-1),
    "activations.get_activation": _k(name="relu"),
    # losses
    "losses.mse": _k(pred=np.array([0.2, 0.7]), target=np.array([0.0, 1.0])),
    "losses.mse_grad": _k(pred=np.array([0.2, 0.7]), target=np.array([0.0, 1.0])),
    "losses.binary_cross_entropy": _k(prob=np.array([0.2, 0.7]), target=np.array([0.0, 1.0]), eps=1e-12),
    "losses.binary_cross_entropy_grad": _k(prob=np.array([0.2, 0.7]), target=np.array([0.0, 1.0]), eps=1e-12),
    "losses.binary_cross_entropy_with_logits": _k(z=np.array([0.5, -1.0]), target=np.array([1.0, 0.0])),
    "losses.binary_cross_entropy_with_logits_grad": _k(z=np.array([0.5, -1.0]), target=np.array([1.0, 0.0])),
    "losses.softmax_cross_entropy": _k(logits=np.array([[2.0, 1.0, 0.1], [0.0, 1.0, 0.0]]), labels=np.array([0, 1])),
    "losses.softmax_cross_entropy_grad": _k(logits=np.array([[2.0, 1.0, 0.1], [0.0, 1.0, 0.0]]),
                                            labels=np.array([0, 1])),
    "losses.hinge": _k(scores=np.array([2.0, -0.5]), target=np.array([1.0, -1.0])),
    "losses.hinge_grad": _k(scores=np.array([2.0, -0.5]), target=np.array([1.0, -1.0])),
    "losses.one_hot": _k(labels=np.array([0, 2, 1]), n_classes=3),
    "losses.get_loss": _k(name="mse"),
    # neuron
    "neuron.neuron_forward": _k(x=np.array([2.0, 3.0]), w=np.array([0.0, 1.0]), b=4.0, activation="sigmoid"),
    "neuron.Neuron": _k(weights=np.array([0.0, 1.0]), bias=4.0, activation="sigmoid"),
    "neuron.layer_forward": _k(X=np.ones((3, 2)), W=np.ones((2, 2)), b=np.zeros(2), activation="sigmoid"),
    "neuron.network_forward": _k(x=np.array([2.0, 3.0]), layers=[(np.ones((2, 2)), np.zeros(2), "sigmoid"),
                                                                 (np.ones((2, 1)), np.zeros(1), "sigmoid")],
                                 return_all=False),
    # datasets
    "datasets.logic_gate": _k(name="xor"),
    "datasets.people": _k(),
    "datasets.letters": _k(),
    **{f"datasets.make_{n}": _k(n_samples=12, noise=0.1, random_state=0)
       for n in ("linear", "xor", "gaussians", "moons")},
    "datasets.make_circles": _k(n_samples=12, noise=0.1, random_state=0, factor=0.5),
    "datasets.make_spiral": _k(n_samples=12, noise=0.1, random_state=0, n_classes=3, turns=1.5),
    "datasets.make_dataset": _k(name="moons", n_samples=12, noise=0.1, random_state=0),
    "datasets.train_test_split": lambda: dict(zip(("X", "y"), _moons(20)), test_size=0.3, random_state=0,
                                              stratify=True),
    "datasets.load_digits": _k(),
    "datasets.make_plane": _k(n_samples=12, noise=0.1, random_state=0),
    "datasets.make_bumps": _k(n_samples=12, noise=0.1, random_state=0),
    # optim
    "optim.Parameter": _k(data=[1.0, 2.0], name="w"),
    "optim.Optimizer": lambda: dict(params=[_param()], lr=0.1),
    "optim.Optimizer.zero_grad": (_opt("SGD"), _k()),
    "optim.Optimizer.step": (_opt("SGD"), _k()),
    "optim.SGD": lambda: dict(params=[_param()], lr=0.1, weight_decay=0.0),
    "optim.Momentum": lambda: dict(params=[_param()], lr=0.1, beta=0.9, weight_decay=0.0),
    "optim.Adam": lambda: dict(params=[_param()], lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0),
    "optim.make_optimizer": lambda: dict(name="adam", params=[_param()], lr=0.1),
    "optim.Schedule": _k(lr0=0.1),
    "optim.Schedule.values": (lambda: __import__("nbhelpers.optim", fromlist=["x"]).StepDecay(0.1), _k(steps=5)),
    "optim.ConstantLR": _k(lr0=0.1),
    "optim.StepDecay": _k(lr0=0.1, factor=0.5, every=10),
    "optim.ExponentialDecay": _k(lr0=0.1, rate=0.99),
    # descent
    "descent.Landscape": _landscape_kwargs,
    "descent.Landscape.value": (lambda: __import__("nbhelpers.descent", fromlist=["x"]).get_landscape("bowl"),
                                _k(point=[1.0, 2.0])),
    "descent.Landscape.gradient": (lambda: __import__("nbhelpers.descent", fromlist=["x"]).get_landscape("bowl"),
                                   _k(point=[1.0, 2.0])),
    "descent.Landscape.on_grid": (lambda: __import__("nbhelpers.descent", fromlist=["x"]).get_landscape("parabola"),
                                  _k(coords=np.linspace(0, 1, 3))),
    "descent.Landscape.nearest_minimum": (lambda: __import__("nbhelpers.descent", fromlist=["x"]).get_landscape(
        "bowl"), _k(point=[1.0, 2.0])),
    "descent.get_landscape": _k(name="valley"),
    "descent.numerical_gradient": _k(function=lambda p: float(p @ p), point=[1.0, 2.0], h=1e-6),
    "descent.DescentPath": _k(points=[[0.0], [1.0]], losses=[9.0, 4.0], lr=0.1, optimizer="sgd", steps=1),
    "descent.DescentPath.distances_to": (_path, _k(target=[3.0])),
    "descent.DescentPath.first_step_within": (_path, _k(target=[3.0], tol=2.0)),
    "descent.DescentPath.zigzag_fraction": (_path, _k()),
    "descent.DescentPath.nearly_there": (_path, _k()),
    "descent.DescentPath.raise_if_diverged": (_path, _k()),
    "descent.descend": _k(function="bowl", start=[1.0, 1.0], lr=0.1, steps=5, optimizer="sgd", limit=1e6, tol=1e-3),
    "descent.noisy_line": _k(n_samples=10, slope=2.0, intercept=-1.0, noise=0.5, random_state=0),
    "descent.mse_line": lambda: dict(w=1.0, b=0.0, **dict(zip("xy", _lines()))),
    "descent.mse_line_gradient": lambda: dict(w=1.0, b=0.0, **dict(zip("xy", _lines()))),
    "descent.least_squares_line": lambda: dict(zip("xy", _lines())),
    "descent.line_fit_landscape": lambda: dict(**dict(zip("xy", _lines())), margin=2.0),
    "descent.LineFit": _k(params=[[0.0, 0.0], [1.0, 0.5]], losses=[2.0, 1.0], examples=[0, 4], lrs=[0.1],
                          batch_size=4, n_samples=4),
    "descent.fit_line": lambda: dict(**dict(zip("xy", _lines())), lr=0.1, steps=5, batch_size=2, optimizer="sgd",
                                     start=(0.0, 0.0), random_state=0),
    # gradcheck
    "gradcheck.numerical_gradient": lambda: (lambda w: dict(f=lambda: float(np.sum(w ** 2)), params=[w],
                                                            eps=1e-6))(np.array([1.0, 2.0])),
    "gradcheck.relative_error": _k(analytic=[1.0, 2.0], numerical=[1.0, 2.1]),
    "gradcheck.gradient_check": lambda: (lambda w: dict(f=lambda: float(np.sum(w ** 3)), params=[w],
                                                        analytic=[3 * w ** 2], eps=1e-6, tol=1e-6, atol=1e-8))(
        np.array([1.0, -2.0])),
    "gradcheck.GradCheckReport": _k(names=["w"], analytic=[np.array([1.0])], numerical=[np.array([1.0])], tol=1e-6),
    "gradcheck.GradCheckReport.rows": (_report, _k()),
    "gradcheck.GradCheckReport.raise_if_failed": (_report, _k()),
    "gradcheck.check_network": lambda: dict(net=_net(), X=np.ones((3, 2)), y=np.array([[0.0], [1.0], [1.0]]),
                                            loss="mse"),
    # network
    "network.Dense": lambda: dict(n_in=2, n_out=3, activation="tanh", init="auto", rng=np.random.default_rng(0)),
    "network.Dense.parameters": (_dense_forwarded, _k()),
    "network.Dense.forward": (_dense_forwarded, _k(X=np.ones((3, 2)))),
    "network.Dense.backward": (_dense_forwarded, _k(da=np.ones((3, 2)))),
    "network.Dense.backward_from_z": (_dense_forwarded, _k(dz=np.ones((3, 2)))),
    "network.Network": _k(sizes=[2, 2, 1], activations="sigmoid", seed=0, init="auto"),
    "network.Network.forward": (_net, _k(X=np.ones((3, 2)))),
    "network.Network.predict": (_net, _k(X=np.ones((3, 2)))),
    "network.Network.backward": (_net_forwarded, _k(dout=np.ones((3, 1)))),
    "network.Network.backward_from_logits": (_net_forwarded, _k(dz=np.ones((3, 1)))),
    "network.Network.parameters": (_net, _k()),
    "network.Network.zero_grad": (_net, _k()),
    "network.Network.summary": (_net, _k()),
    "network.init_scale": _k(n_in=2, n_out=3, activation="tanh", init="auto"),
    "network.activation_derivative": _k(name="tanh", z=Z, a=np.tanh(Z)),
    "network.train_many": lambda: dict(X=np.array([[0.0, 0], [0, 1], [1, 0], [1, 1]]), y=np.array([0.0, 1, 1, 0]),
                                       sizes=[2, 2, 1], activations=["tanh", "sigmoid"], seeds=[0, 1], lr=0.5,
                                       epochs=5, loss="bce", record_every=1),
    # divergence
    "divergence.DivergenceWatch": _k(lr=0.1, what="training", chance=0.5, baseline=0.69),
    "divergence.DivergenceWatch.fail": (_watch, _k(step=3, reason="a test")),
    "divergence.DivergenceWatch.check_loss": (_watch, _k(loss=0.5, step=1, accuracy=0.7)),
    "divergence.DivergenceWatch.check_parameters": (_watch, _k(arrays=[np.ones(2)], step=1)),
    "divergence.trivial_baseline": _k(labels=[0, 1, 1, 0], loss="cross-entropy", n_classes=2),
    # mlp
    "mlp.MLP": _k(n_inputs=2, layer_sizes=[3, 1], activation="relu", seed=0, init="auto", dropout=0.0,
                  batch_norm=False),
    "mlp.MLP.parameters": (_mlp, _k()),
    "mlp.MLP.weights": (_mlp, _k()),
    "mlp.MLP.zero_grad": (_mlp, _k()),
    "mlp.MLP.train": (_mlp, _k()),
    "mlp.MLP.eval": (_mlp, _k()),
    "mlp.MLP.predict_scores": (_mlp, _k(X=np.ones((3, 2)))),
    "mlp.MLP.hidden_outputs": (_mlp, _k(X=np.ones((3, 2)), layer=0)),
    "mlp.MLP.get_state": (_mlp, _k()),
    "mlp.MLP.set_state": (_mlp, lambda: dict(state=_mlp().get_state())),
    "mlp.Layer": lambda: dict(n_in=2, n_out=3, activation="relu", rng=np.random.default_rng(0), init="auto",
                              batch_norm=False, dropout=0.0),
    "mlp.Layer.parameters": (_layer, _k()),
    "mlp.Layer.forward": (_layer, lambda: dict(X=np.ones((3, 2)), training=True, rng=np.random.default_rng(0))),
    "mlp.Layer.forward_numpy": (_layer, _k(x=np.ones((3, 2)))),
    "mlp.dense": lambda: dict(X=np.ones((3, 2)), W=_tensor(np.ones((2, 2))), b=_tensor(np.zeros(2)), activation="relu"),
    "mlp.batch_norm": lambda: dict(Z=_tensor([[1.0, 2.0], [3.0, 5.0]]), gamma=_tensor([1.0, 1.0]),
                                   beta=_tensor([0.0, 0.0]), eps=1e-5),
    "mlp.dropout": lambda: dict(H=_tensor(), p=0.5, rng=np.random.default_rng(0)),
    "mlp.init_std": _k(init="he", n_in=8, n_out=8, activation="relu"),
    # training
    "training.mse_loss": lambda: dict(scores=_tensor([[1.0], [3.0]]), targets=[0.0, 1.0]),
    "training.hinge_loss": lambda: dict(scores=_tensor([2.0, 0.5]), y=[1, -1]),
    "training.bce_loss": lambda: dict(scores=_tensor([0.5, -1.0]), y=[1, 0]),
    "training.cross_entropy_loss": lambda: dict(scores=_tensor([[2.0, 1.0, 0.1]]), y=[0]),
    "training.l2_penalty": lambda: dict(params=[_tensor()], strength=0.1),
    "training.l1_penalty": lambda: dict(params=[_tensor()], strength=0.1),
    "training.canonical_loss": _k(loss="bce"),
    "training.Objective": _k(loss="hinge", n_classes=2),
    "training.Objective.targets": (_objective, _k(y=np.array([0, 1]))),
    "training.Objective.loss": (_objective, lambda: dict(scores=_tensor([[0.5], [-1.0]]), targets=np.array([1, 0]))),
    "training.Objective.predict": (_objective, _k(scores=np.array([[0.3], [-2.0]]))),
    "training.Objective.confidence": (_objective, _k(scores=np.array([[0.3], [-2.0]]))),
    "training.make_features": _k(X=np.array([[2.0, 3.0], [0.0, 1.0]]), kind="squares"),
    "training.feature_names": _k(kind="squares"),
    "training.accuracy": _k(predicted=[0, 1, 1, 0], y=[0, 1, 0, 0]),
    "training.History": _k(),
    "training.History.record": (lambda: __import__("nbhelpers.training", fromlist=["x"]).History(),
                                _k(epoch=0, train_loss=0.5, test_loss=0.6, train_acc=0.5, test_acc=0.5)),
    "training.History.last": (_history, _k(field="train_acc")),
    "training.History.best": (_history, _k(field="test_loss")),
    "training.Trainer": lambda: dict(model=_mlp(), **dict(zip(("X_train", "y_train"), _moons())),
                                     **dict(zip(("X_test", "y_test"), _moons(6))), optimizer="adam", lr=0.05, l2=0.0,
                                     batch_size=4, seed=0),
    "training.Trainer.evaluate": (_trainer, lambda: (lambda X, y: dict(X=X, y_targets=y, y_labels=y))(*_moons())),
    "training.Trainer.step": (_trainer, _k()),
    "training.Trainer.train_epochs": (_trainer, _k(epochs=2)),
    "training.fit": lambda: dict(model=_mlp(), **dict(zip(("X_train", "y_train"), _moons())),
                                 **dict(zip(("X_test", "y_test"), _moons(6))), epochs=2, lr=0.05,
                                 optimizer="adam", l2=0.0, batch_size=4, seed=0, snapshot_epochs=(0, 1)),
    # scalar_nn
    "scalar_nn.Module": _k(),
    "scalar_nn.Module.parameters": (_scalar_neuron, _k()),
    "scalar_nn.Module.zero_grad": (_scalar_neuron, _k()),
    "scalar_nn.Neuron": lambda: dict(n_inputs=2, activation="tanh", rng=np.random.default_rng(0)),
    "scalar_nn.Neuron.parameters": (_scalar_neuron, _k()),
    "scalar_nn.Layer": lambda: dict(n_inputs=2, n_outputs=2, activation="tanh", rng=np.random.default_rng(0)),
    "scalar_nn.Layer.parameters": (_scalar_layer, _k()),
    "scalar_nn.MLP": _k(n_inputs=2, layer_sizes=[2, 1], activation="tanh", seed=0, output_activation="linear"),
    "scalar_nn.MLP.parameters": (_scalar_mlp, _k()),
    # engine / tensor (the perf helper's files)
    "engine.Value": _k(data=2.0, label="a"),
    **{f"engine.Value.{n}": (lambda: __import__("nbhelpers.engine", fromlist=["x"]).Value(0.5), _k())
       for n in ("exp", "log", "tanh", "sigmoid", "relu")},
    "engine.Value.backward": (_value_graph, _k()),
    "engine.as_value": _k(x=2.0),
    "engine.topological_order": lambda: dict(root=_value_graph()),
    "tensor.Tensor": _k(data=[[1.0, 2.0]]),
    **{f"tensor.Tensor.{n}": (_tensor, _k()) for n in ("item", "numpy", "zero_grad", "exp", "log", "tanh", "sigmoid",
                                                       "relu")},
    "tensor.Tensor.item": (_T([3.0]), _k()),
    "tensor.Tensor.leaky_relu": (_tensor, _k(alpha=0.01)),
    "tensor.Tensor.sum": (_tensor, _k(axis=0, keepdims=False)),
    "tensor.Tensor.mean": (_tensor, _k(axis=0, keepdims=False)),
    "tensor.Tensor.reshape": (_tensor, _k(shape=(4,))),
    "tensor.Tensor.log_softmax": (_tensor, _k(axis=-1)),
    "tensor.Tensor.backward": (lambda: _tensor().sum(), _k()),
    "tensor.as_tensor": _k(value=[1.0, 2.0]),
    # plotting
    "plotting.use_course_style": _k(),
    "plotting.new_figure": _k(nrows=1, ncols=2, figsize=(4, 2)),
    "plotting.scatter_classes": lambda: dict(ax=_ax(), **dict(zip("Xy", _moons())), size=20, hollow=False, legend=True),
    "plotting.plot_surface": lambda: dict(ax=_ax(), predict=lambda p: 1 / (1 + np.exp(-p[:, 0])), xlim=(-2, 2),
                                          ylim=(-2, 2), resolution=10, vmin=0.0, vmax=1.0, boundary=0.5),
    "plotting.plot_neuron_plane": lambda: dict(ax=_ax(), w=[1.0, -1.0], b=0.5, activation="sigmoid", resolution=10,
                                               xlim=(-2, 2), ylim=(-2, 2), X=np.array([[0.0, 0.0], [1.0, 1.0]]),
                                               y=np.array([0, 1])),
    "plotting.draw_neuron_line": lambda: dict(ax=_ax(), w=[1.0, -1.0], b=0.5, xlim=(-2, 2), ylim=(-2, 2)),
    "plotting.grid_points": _k(xlim=(-1, 1), ylim=(-1, 1), resolution=5),
    "plotting.draw_weight_arrow": lambda: dict(ax=_ax(), w=[1.0, -1.0], b=0.5, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                                               length=1.0),
    "plotting.tidy_ticks": lambda: dict(ax=_ax(), nbins=5),
    "plotting.activations.plot_activation": lambda: dict(ax=_ax(), activation="tanh", z=np.linspace(-3, 3, 11),
                                                         derivative=True),
    "plotting.activations.plot_activation_gallery": _k(names=("sigmoid", "relu"), z=np.linspace(-3, 3, 11), ncols=2,
                                                       leaky_alpha=0.1),
    "plotting.activations.plot_softmax": _k(logits=[2.0, 1.0, 0.1], class_names=["a", "b", "c"]),
    "plotting.activations.neuron_plane_values": _k(w=[1.0, -1.0], b=0.5, activation="sigmoid", xlim=(-2.0, 2.0),
                                                   ylim=(-2.0, 2.0), resolution=8),
    "plotting.activations.plot_neuron_activation": lambda: dict(ax=_ax(), w=[1.0, -1.0], b=0.5, activation="tanh",
                                                                resolution=8),
    "plotting.activations.plot_neuron_gallery": _k(w=[1.0, -1.0], b=0.5, names=("sigmoid", "relu"), ncols=2,
                                                   resolution=8),
    "plotting.activations.plot_gradient_products": lambda: dict(ax=_ax(), depths=[1, 2, 3],
                                                                products={"sigmoid": [0.25, 0.0625, 0.015]}),
    "plotting.activations.plot_dying_relu": lambda: dict(ax=_ax(), z_alive=np.array([-1.0, 0.5, 2.0]),
                                                         z_dead=np.array([-3.0, -2.0, -1.0])),
    "plotting.activations.plot_mystery_curve": lambda: dict(ax=_ax(), z=np.linspace(-2, 2, 5),
                                                            values=np.tanh(np.linspace(-2, 2, 5))),
    "plotting.backprop.backprop_steps": _k(x=[-2.0, -1.0], y=1.0),
    "plotting.backprop.weights_by_name": _k(W1=np.ones((2, 2)), b1=np.zeros(2), W2=np.ones((2, 1)), b2=np.zeros(1)),
    "plotting.backprop.draw_backprop_diagram": lambda: dict(
        ax=_ax(), step=__import__("nbhelpers.plotting.backprop", fromlist=["x"]).backprop_steps([-2.0, -1.0], 1.0)[3]),
    "plotting.backprop.plot_loss_curves": lambda: dict(ax=_ax(), curves={"a": [1.0, 0.5, 0.25]}, every=1),
    "plotting.backprop.plot_gradient_check": lambda: dict(ax=_ax(), reports={"net": _report()}),
    "plotting.backprop.show_letters": lambda: (lambda X, _y, names: dict(
        axes=list(__import__("nbhelpers.plotting", fromlist=["x"]).new_figure(1, 3)[1]), X=X, names=names))(
        *__import__("nbhelpers.datasets", fromlist=["x"]).letters()),
    "plotting.backprop.plot_probabilities": lambda: dict(ax=_ax(), P=np.array([[0.7, 0.3], [0.2, 0.8]]),
                                                         row_names=["x", "y"], class_names=["a", "b"]),
    "plotting.backprop.plot_success_fractions": lambda: dict(ax=_ax(), labels=["a", "b"], fractions=[0.5, 0.9],
                                                             n_runs=10),
    "plotting.backprop.plot_output_gradients": lambda: dict(ax=_ax(), z=np.linspace(-3, 3, 7), label=1.0),
    "plotting.backprop.plot_newcomers": lambda: dict(ax=_ax(), X=np.array([[0.0, 1.0], [1.0, 0.0]]),
                                                     y=np.array([0, 1]), names=["ann", "bob"], size=120),
    "plotting.descent.running_mean": _k(xs=np.arange(6.0), values=np.array([3.0, 2.0, 2.5, 1.0, 1.5, 0.5]),
                                        width=2.0),
    "plotting.descent.plot_curve_path": lambda: dict(ax=_ax(), landscape="parabola", path=_path()),
    "plotting.descent.plot_loss_per_step": lambda: dict(ax=_ax(), paths=[_path()], labels=["a"]),
    "plotting.descent.plot_contour": lambda: dict(ax=_ax(), landscape="bowl", resolution=10, levels=5),
    "plotting.descent.plot_paths_2d": lambda: dict(ax=_ax(), landscape="bowl", paths=[_path2d()], labels=["a"]),
    "plotting.descent.learning_rate_figure": _k(landscape="parabola", lrs=(0.1, 0.3), start=0.0, steps=5),
    "plotting.descent.plot_line_fit": lambda: dict(ax=_ax(), **dict(zip("xy", _lines())), lines={"fit": (2.0, -1.0)}),
    "plotting.descent.plot_loss_curves": lambda: dict(ax=_ax(), curves={"a": ([0.0, 1.0, 2.0], [1.0, 0.5, 0.25])}),
    "plotting.descent.verdict": lambda: dict(path=_path()),
    "plotting.graph.draw_graph": lambda: dict(root=_value_graph(), ax=_ax(), show_grad=True),
    "plotting.graph.graph_layout": lambda: dict(root=_value_graph()),
    "plotting.mlp.plane_limits": lambda: dict(arrays=(_moons()[0],), margin=0.25),
    "plotting.mlp.confidence_function": lambda: dict(model=_mlp(), objective=_objective(), features="x1, x2"),
    "plotting.mlp.plot_datasets": lambda: dict(datasets={"moons": _moons()}, ncols=1, size=10),
    "plotting.mlp.plot_decision_boundary": lambda: dict(
        ax=_ax(), confidence=__import__("nbhelpers.plotting.mlp", fromlist=["x"]).confidence_function(_mlp()),
        **dict(zip(("X_train", "y_train"), _moons())), resolution=8),
    "plotting.mlp.draw_confidence": lambda: dict(ax=_ax(), values=np.full((4, 4), 0.3), xlim=(-1, 1), ylim=(-1, 1),
                                                 n_classes=2),
    "plotting.mlp.plot_history": lambda: dict(ax_loss=_ax(), history=_history(), ax_acc=_ax()),
    "plotting.mlp.plot_boundary_snapshots": lambda: (lambda X, y: dict(
        model=_mlp(), history=__import__("nbhelpers.training", fromlist=["x"]).fit(
            _mlp(), X, y, epochs=2, lr=0.05, snapshot_epochs=(0, 2)), X_train=X, y_train=y, resolution=8))(*_moons()),
    "plotting.mlp.animate_training": lambda: dict(trainer=_trainer(), epochs=2, every=1, resolution=8),
    "plotting.mlp.animation_html": lambda: dict(animation=_animation(), frame_format="png"),
    "plotting.mlp.plot_neuron_pictures": lambda: dict(fig_or_axes=__import__("nbhelpers.plotting", fromlist=["x"]
                                                                             ).new_figure()[0], model=_mlp(),
                                                      resolution=6, max_neurons=2, layer=0),
    "plotting.mlp.neuron_values": lambda: dict(model=_mlp(), resolution=6, max_neurons=2, layer=0),
    "plotting.mlp.mix_class_colours": _k(values=np.full((2, 2, 3), 1 / 3), n_classes=3),
    "plotting.mlp.plot_confusion_matrix": lambda: dict(ax=_ax(), matrix=np.array([[3, 1], [0, 2]]), labels=["a", "b"]),
    "plotting.mlp.confusion_matrix": _k(y=[0, 1, 1], y_hat=[0, 1, 0], n_classes=None),
    "plotting.mlp.plot_digits": lambda: dict(images=np.zeros((2, 64)), titles=["a", "b"], ncols=2, size=1.0),
}


def baseline(qualname):
    """``(function to call, kwargs)`` for the baseline call, freshly made; KeyError if there is no recipe."""
    recipe = RECIPES[qualname]
    _IN_USE.clear()  # each baseline gets axes of its own
    if isinstance(recipe, tuple):
        make_instance, make_kwargs = recipe
        instance = make_instance()
        method = getattr(instance, qualname.rsplit(".", 1)[1])
        kwargs = make_kwargs()
    else:
        method, kwargs = None, recipe()
    forget_animations(*kwargs.values())  # a baseline's animation may be replaced by a bad value, never played
    return method, kwargs


# ----------------------------------------------------------------------------------------------- bad values

def bad_values(good):
    """``[(kind, value)]``: the bad inputs tried in place of the baseline value ``good``."""
    out = [("None", None), ("text", "abc"), ("numeric text", "1"), ("complex", 1 + 2j),
           ("complex array", np.array([1 + 1j, 2.0])), ("None inside", [[None, None]]), ("ragged", [[1.0, 2.0], [3.0]]),
           ("True", True), ("object", object()), ("negative size", -1), ("zero", 0), ("huge", 1e308),
           ("huge negative", -1e308), ("huge int", 10 ** 9), ("fraction", 2.5), ("tiny", 1e-300),
           ("NaN", float("nan")), ("inf", float("inf")), ("empty", np.empty((0,)))]
    try:
        arr = np.asarray(good, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is not None and arr.ndim >= 1 and arr.size:
        nan = arr.copy()
        nan.flat[arr.size // 2] = np.nan
        inf = arr.copy()
        inf.flat[0] = np.inf
        out += [("NaN inside", nan), ("inf inside", inf), ("empty like", np.empty((0,) + arr.shape[1:])),
                ("wrong rank", arr[None]), ("huge inside", arr * 0 + 1e308), ("tiny inside", arr * 0 + 1e-300)]
        if arr.ndim == 2 and arr.shape[0] != arr.shape[1]:
            out.append(("transposed", arr.T.copy()))
        if arr.ndim >= 1:
            out.append(("flattened", arr.ravel()[:-1] if arr.ndim == 1 else arr.ravel()))
    return out


def _is_numeric(value) -> bool:
    if isinstance(value, (bool, np.bool_, str)):
        return False
    if isinstance(value, (int, float, np.number)):
        return True
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        return False
    return arr.dtype.kind in "iuf" and arr.size > 0


# ----------------------------------------------------------------------------------------------- one call

class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _has_nonfinite(value, depth=0) -> bool:
    if depth > 3 or value is None or isinstance(value, (str, bytes, bool)):
        return False
    if isinstance(value, (float, np.floating)):
        return not np.isfinite(value)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and not np.all(np.isfinite(value))
    if isinstance(value, (list, tuple)):
        return any(_has_nonfinite(v, depth + 1) for v in value[:50])
    if isinstance(value, dict):
        return any(_has_nonfinite(v, depth + 1) for v in list(value.values())[:50])
    data = getattr(value, "data", None)
    if isinstance(data, (np.ndarray, float)):
        return _has_nonfinite(data, depth + 1)
    return False


def _raised_by_package(err) -> bool:
    tb = err.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return last is not None and os.path.abspath(last).startswith(PACKAGE_DIR)


def classify_exception(err, param: str) -> str:
    from nbhelpers.divergence import DivergenceError
    message = str(err)
    package = _raised_by_package(err)
    one_line = message and "\n" not in message.strip()
    names = not param or param.lower() in message.lower() or "got" in message or "choose one of" in message \
        or "overflowed" in message or isinstance(err, DivergenceError)  # (an operator's operand has no name)
    if package and one_line and names and isinstance(err, (TypeError, ValueError, LookupError, RuntimeError,
                                                           ArithmeticError, FileNotFoundError)):
        return "clear"
    return "raw"


def forget_animations(*objects) -> None:
    """Mark the matplotlib animations among ``objects`` as handled: the harness makes and drops them on purpose
    (a baseline's animation, an animation a call returned), so matplotlib's "Animation was deleted without
    rendering anything" warning, given when one is garbage-collected unplayed, is not the helper's."""
    from matplotlib.animation import Animation
    for obj in objects:
        if isinstance(obj, Animation):
            obj._draw_was_started = True


def run_call(func, kwargs, param, kind, good):
    """Call once; return ``(outcome, detail)``."""
    import matplotlib.pyplot as plt
    result = None
    previous = signal.signal(signal.SIGALRM, _alarm)
    previous_prof = signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_REAL, WALL_LIMIT)
    signal.setitimer(signal.ITIMER_PROF, TIME_LIMIT)  # user + system CPU time
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"):  # NumPy's defaults
                result = func(**kwargs)
        runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        if runtime:
            return "raw", f"RuntimeWarning: {runtime[0].message}"
        if _has_nonfinite(result):
            return "nan", "returned NaN or infinity"
        if kind in NUMBERS_ONLY and _is_numeric(good):
            return "wrongly accepted", f"accepted {kind}"
        return "accepted", ""
    except _Timeout:
        return "hang", f"more than {TIME_LIMIT} s of CPU time (or {WALL_LIMIT} s of wall time)"
    except Exception as err:  # noqa: BLE001 - classifying is the point
        outcome = classify_exception(err, param)
        frames = traceback.extract_tb(err.__traceback__)
        where = f"{os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
        return outcome, f"{type(err).__name__}: {str(err)[:160]} ({where})"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, previous_prof)
        signal.signal(signal.SIGALRM, previous)
        forget_animations(result, *kwargs.values())
        plt.close("all")


def fuzz_callable(qualname, obj, owner):
    """Every (argument, bad value) call of one callable: ``[(param, kind, outcome, detail)]``."""
    results = []
    method, base_kwargs = baseline(qualname)
    func = method if method is not None else obj
    params = [name for name in base_kwargs if not name.startswith("_")]
    sig = inspect.signature(func)
    for p in sig.parameters.values():
        if p.name not in base_kwargs and not p.name.startswith("_") and p.name != "self" \
                and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            params.append(p.name)
    defaults = {p.name: p.default for p in sig.parameters.values()}
    for param in params:  # an argument the baseline leaves out is judged by its default (a number is a number)
        good = base_kwargs.get(param, defaults.get(param, inspect.Parameter.empty))
        good = inspect.Parameter.empty if good is None else good
        for kind, value in bad_values(None if good is inspect.Parameter.empty else good):
            method, kwargs = baseline(qualname)  # fresh objects for every call
            func = method if method is not None else obj
            var = [p.name for p in inspect.signature(func).parameters.values() if p.kind is p.VAR_POSITIONAL]
            kwargs = dict(kwargs)
            kwargs[param] = value
            if var and var[0] in kwargs:
                spread = kwargs.pop(var[0])
                spread = spread if isinstance(spread, tuple) else (spread,)
                call = (lambda f, s: lambda **kw: f(*s, **kw))(func, spread)
            else:
                call = func
            outcome, detail = run_call(call, kwargs, param, kind, good)
            if outcome == "wrongly accepted" and (qualname, param, kind) in DOCUMENTED_ACCEPTANCES:
                outcome, detail = "accepted", DOCUMENTED_ACCEPTANCES[qualname, param, kind]
            results.append((param, kind, outcome, detail))
    return results


def run_all(modules=None):
    """Fuzz everything; return ``(rows, missing)`` with rows ``(module, qualname, param, kind, outcome, detail)``."""
    rows, missing = [], []
    for short, qualname, obj, owner in public_callables():
        if modules is not None and short not in modules:
            continue
        if qualname not in RECIPES:
            missing.append(qualname)
            continue
        for param, kind, outcome, detail in fuzz_callable(qualname, obj, owner):
            rows.append((short, qualname, param, kind, outcome, detail))
    return rows, missing


# ----------------------------------------------------------------------------------------------- operators

#: The arithmetic of the two engines, which the sweep above does not reach (it calls named functions and methods):
#: ``module -> (make the left operand, {operator: a good right operand})``. Each bad value goes on the right
#: (``Value(2.0) + bad``) and, for the operators with a reflected form, on the left (``bad + Value(2.0)``).
#: Reported by ``fuzz_report --operators`` as "engine ops" and "tensor ops"; not yet held to the bar.
OPERATOR_RECIPES = {
    "engine": (lambda: __import__("nbhelpers.engine", fromlist=["x"]).Value(2.0),
               {"+": 3.0, "-": 3.0, "*": 3.0, "/": 3.0, "**": 2.0}),
    "tensor": (lambda: _tensor(), {"+": np.ones((2, 2)), "-": np.ones((2, 2)), "*": np.ones((2, 2)),
                                   "/": np.ones((2, 2)), "**": 2.0, "@": np.eye(2), "[]": 0}),
}
_OPS = {"+": "add", "-": "sub", "*": "mul", "/": "truediv", "**": "pow", "@": "matmul", "[]": "getitem"}


def run_operators(modules=("engine", "tensor")):
    """Rows ``(module + " ops", expression, "other", kind, outcome, detail)`` for every operator and bad operand."""
    import operator
    rows = []
    for module in modules:
        make, goods = OPERATOR_RECIPES[module]
        name = type(make()).__name__
        for symbol, good in goods.items():
            op = getattr(operator, _OPS[symbol])
            sides = [(f"{name} {symbol} other", lambda other, op=op: op(make(), other))]
            if symbol not in ("[]", "**"):  # the reflected form: a plain number or array on the left
                sides.append((f"other {symbol} {name}", lambda other, op=op: op(other, make())))
            if symbol == "**":  # a bad base: Value(0.0) ** 0.5, Value(-1.0) ** 0.5, Value(1e308) ** 0.5 ...
                cls = type(make())
                sides.append((f"{name}(other) ** 0.5", lambda other, cls=cls: cls(other) ** 0.5))
            for shown, call in sides:
                for kind, value in bad_values(good):
                    outcome, detail = run_call(call, {"other": value}, "", kind, good)
                    rows.append((f"{module} ops", shown, "other", kind, outcome, detail))
    return rows


OUTCOMES = ("clear", "accepted", "wrongly accepted", "raw", "nan", "hang")


def table(rows, modules):
    """Per module: calls and the count of each outcome, plus totals; as lines of text."""
    counts = defaultdict(Counter)
    for short, *_, outcome, _detail in rows:
        counts[short][outcome] += 1
    head = f"{'module':<22}{'calls':>7}{'clear':>7}{'accepted':>9}{'wrongly acc.':>13}{'raw':>6}{'NaN':>5}" \
           f"{'hangs':>6}{'ok %':>8}"
    lines = [head, "-" * len(head)]
    total = Counter()
    for short in modules:
        c = counts.get(short, Counter())
        n = sum(c.values())
        total.update(c)
        ok = (c["clear"] + c["accepted"]) / n if n else 1.0
        lines.append(f"{short:<22}{n:>7}{c['clear']:>7}{c['accepted']:>9}{c['wrongly accepted']:>13}{c['raw']:>6}"
                     f"{c['nan']:>5}{c['hang']:>6}{ok:>8.1%}")
    n = sum(total.values())
    ok = (total["clear"] + total["accepted"]) / n if n else 1.0
    lines += ["-" * len(head), f"{'total':<22}{n:>7}{total['clear']:>7}{total['accepted']:>9}"
              f"{total['wrongly accepted']:>13}{total['raw']:>6}{total['nan']:>5}{total['hang']:>6}{ok:>8.1%}"]
    return lines, total


if __name__ == "__main__":  # pragma: no cover
    sys.exit("run python -m tests.fuzz_report")
