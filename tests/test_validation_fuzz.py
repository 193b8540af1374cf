"""Issue 13, second round: what the fuzz sweep still found (raw errors, wrong acceptances, leaked warnings), each
case answered in one sentence through the shared validators; and the issue's "Found" list checked once more
where tests/test_validation.py did not cover it yet (a grid of blown-up runs, the extremes, a learner's own loop
with a bad ``.grad``)."""

import gc
import warnings

import numpy as np
import pytest

from nbhelpers import _validate as V
from nbhelpers import activations as A
from nbhelpers import losses as L
from nbhelpers.datasets import make_moons, make_spiral
from nbhelpers.divergence import GRADIENT_LIMIT, DivergenceError, DivergenceWatch
from nbhelpers.gradcheck import check_network, numerical_gradient
from nbhelpers.mlp import MLP
from nbhelpers.network import Network
from nbhelpers.optim import SGD, Adam, Momentum, Parameter
from nbhelpers.plotting import draw_neuron_line, grid_points, new_figure, plot_neuron_plane, plot_surface
from nbhelpers.plotting import backprop as bp
from nbhelpers.plotting.descent import plot_line_fit, plot_loss_curves, running_mean
from nbhelpers.plotting.mlp import (animate_training, animation_html, draw_confidence, plot_boundary_snapshots,
                                    plot_digits)
from nbhelpers.tensor import Tensor
from nbhelpers.training import Objective, Trainer, fit, make_features, mse_loss


def _one_sentence(err):
    text = str(err.value)
    assert "\n" not in text and text.endswith((".", "?")), text
    return text


@pytest.fixture
def ax():
    return new_figure()[1]


# ----------------------------------------------------------------------------------------------- the validators

def test_as_float_array_max_abs_refuses_numbers_too_large_to_compute_with():
    assert V.as_float_array([1e100, -3.0], "w", max_abs=1e100).tolist() == [1e100, -3.0]
    with pytest.raises(ValueError) as err:
        V.as_float_array([1.0, -1e101], "w", max_abs=1e100)
    assert _one_sentence(err).startswith("w must hold numbers of size at most 1e+100; got values up to 1e+101")


def test_as_interval_names_both_ends():
    assert V.as_interval(-1, 1) == (-1.0, 1.0)
    for low, high in ((1.0, 0.0), (0.5, 0.5), (-1e308, 1e308)):
        with pytest.raises(ValueError) as err:
            V.as_interval(low, high)
        assert "vmin must be below vmax" in _one_sentence(err) and f"vmin={low:g}" in str(err.value)
    with pytest.raises(TypeError, match="vmax must be a single number"):
        V.as_interval(0.0, "1")


def test_as_axes_list_flattens_a_grid_and_names_what_is_not_an_axes():
    fig, axes = new_figure(2, 2)
    assert len(V.as_axes_list(axes)) == 4 and len(V.as_axes_list(axes[0, 0])) == 1
    with pytest.raises(TypeError) as err:
        V.as_axes_list([[1.0, 2.0], [3.0]])
    assert _one_sentence(err).startswith("each of axes must be a matplotlib Axes")


def test_required_and_optional_in_the_drawing_checks():
    V.check_drawing_args({"xlim": None}, optional=("xlim",))  # a function whose xlim=None means "the data's"
    with pytest.raises(TypeError, match=r"xlim must be a pair \(low, high\) such as \(-2, 2\); got None"):
        V.check_drawing_args({"xlim": None})
    V.check_drawing_args({"labels": None})  # optional by its rule ...
    with pytest.raises(TypeError, match="labels must be a list"):  # ... unless the function needs it
        V.check_drawing_args({"labels": None}, required=("labels",))


# ----------------------------------------------------------------------------------------------- plotting

def test_plot_surface_colour_range_and_boundary(ax):
    predict = lambda p: 1 / (1 + np.exp(-p[:, 0]))  # noqa: E731
    for vmin, vmax in ((1e308, 1.0), (0.0, -1.0), (-1e308, 1e308)):
        with pytest.raises(ValueError, match="vmin must be below vmax"):
            plot_surface(ax, predict, vmin=vmin, vmax=vmax, resolution=5)
    with pytest.raises(TypeError, match="boundary .* must be a single number"):
        plot_surface(ax, predict, boundary=True, resolution=5)
    with pytest.raises(ValueError, match="predict must return one number per point"):
        plot_surface(ax, lambda p: p, resolution=5)
    plot_surface(ax, predict, boundary=None, resolution=5)


@pytest.mark.parametrize("call", [
    lambda ax: grid_points(None, (-1, 1)), lambda ax: plot_surface(ax, np.sin, ylim=None),
    lambda ax: plot_neuron_plane(ax, [1.0, 1.0], 0.0, xlim=None), lambda ax: draw_neuron_line(ax, [1, 1], 0, None, (0, 1)),
])
def test_xlim_none_is_refused_where_there_is_no_default_of_the_data(ax, call):
    with pytest.raises(TypeError) as err:
        call(ax)
    assert "must be a pair (low, high)" in _one_sentence(err) and "got None" in str(err.value)


def test_points_on_the_neuron_plane_come_as_a_pair_of_numbers(ax):
    with pytest.raises(ValueError) as err:  # X alone was ignored silently
        plot_neuron_plane(ax, [1.0, -1.0], 0.5, X=np.array([[1 + 1j, 0.0]]), resolution=5)
    assert _one_sentence(err) == ("give both X and y (the points and their labels) to mark points, or neither; got "
                                  "only X.")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning
        with pytest.raises(TypeError, match=r"y \(the class of each point\) must be real numbers"):
            plot_neuron_plane(ax, [1.0, -1.0], 0.5, X=np.zeros((2, 2)), y=np.array([1 + 1j, 0]), resolution=5)
        with pytest.raises(TypeError, match=r"y \(the class of each point\) must be numbers .* None"):
            plot_neuron_plane(ax, [1.0, -1.0], 0.5, X=np.zeros((2, 2)), y=[None, None], resolution=5)
    plot_neuron_plane(ax, [1.0, -1.0], 0.5, X=np.zeros((2, 2)), y=[-1, 1], resolution=5)  # -1/+1 classes draw too


def test_huge_weights_and_inputs_are_refused_by_name_not_by_the_pre_activation(ax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="^w must hold numbers of size at most 1e"):
            plot_neuron_plane(ax, [1e308, 1e308], 0.5, resolution=5)
        with pytest.raises(ValueError, match="^w must hold"):
            draw_neuron_line(ax, [1e308, 1.0], 0.0, (-2, 2), (-2, 2))
        with pytest.raises(ValueError, match="^x must hold"):
            bp.backprop_steps([1e308, 1e308], 1.0)
        with pytest.raises(ValueError, match=r"y \(the label\) must be a number in"):
            bp.backprop_steps([-2.0, -1.0], 1e308)
        with pytest.raises(ValueError, match="^x must hold"):
            plot_line_fit(ax, [0.0, 1e308], [0.0, 1.0], {"fit": (2.0, -1.0)})
        with pytest.raises(ValueError, match="w of line 'fit' must be a number in"):
            plot_line_fit(ax, [0.0, 1.0], [0.0, 1.0], {"fit": (1e308, -1.0)})


def test_backprop_figures_need_their_names_and_fractions(ax):
    with pytest.raises(TypeError, match="class_names must be a list"):
        bp.plot_probabilities(ax, np.eye(2), ["x", "y"], None)
    with pytest.raises(TypeError, match="labels must be a list"):
        bp.plot_success_fractions(ax, None, [0.5], 10)
    with pytest.raises(ValueError, match="fractions must be fractions from 0 to 1.*got values from 0.5 to 1e"):
        bp.plot_success_fractions(ax, ["a", "b"], [0.5, 1e308], 10)
    with pytest.raises(TypeError, match="each of axes must be a matplotlib Axes"):
        bp.show_letters([[1.0, 2.0], [3.0]], np.ones((2, 30)), ["A", "B"])
    fig, grid = new_figure(1, 2)
    assert len(bp.show_letters(grid, np.ones((2, 30)), ["A", "B"])) == 2  # an array of Axes, flat as before


def test_loss_curves_and_running_mean_at_the_extremes(ax):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        xs, means = running_mean(np.arange(4.0), [1e308, 1e308, 1e308, 0.0], 2)
        assert means.tolist() == [1e308, 1e308, 5e307]  # each term divided before adding: no overflow
        assert running_mean([0, 1, 2, 3], [1e16, 1.0, 1.0, 1.0], 2)[1].tolist() == [5e15 + 0.5, 1.0, 1.0]
        curves = {"a": ([0.0, 1.0, 2.0], [1.0, 0.5, 0.25])}
        for kwargs, words in (({"floor": 1e308}, "floor must be a number in"), ({"above": -1e308}, "above must be"),
                              ({"floor": -1.0}, "floor must be a number in")):
            with pytest.raises(ValueError, match=words):
                plot_loss_curves(ax, curves, **kwargs)
        plot_loss_curves(ax, curves, floor=1e-300)  # a floor below 1e-12 is drawn at 1e-12, as the curves are
        assert min(line.get_ydata()[0] for line in ax.get_lines()) == pytest.approx(1e-12)
        new_figure()[0].canvas.draw()
        ax.figure.canvas.draw()  # and the log axis draws without an overflow
    with pytest.raises(TypeError, match=r"curves must map each label to \(x_values, values\)"):
        plot_loss_curves(ax, {"a": [1.0, 0.5, 0.25]})
    with pytest.raises(ValueError, match="the values of curve 'a' must have shape"):
        plot_loss_curves(ax, {"a": ([0.0, 1.0], [1.0, 0.5, 0.25])})
    with pytest.raises(TypeError, match="the x values of curve 'a' must be numbers"):
        plot_loss_curves(ax, {"a": (["0", "1"], [1.0, 0.5])})


def test_mlp_figures_check_labels_against_points_digits_and_grids(ax):
    X, y = make_moons(12, noise=0.1, random_state=0)
    model = MLP(2, [3, 1], seed=0)
    history = fit(model, X, y, epochs=1, lr=0.05, snapshot_epochs=(0, 1))
    with pytest.raises(ValueError) as err:
        plot_boundary_snapshots(model, history, X, y[:-1], resolution=6)
    assert "y_train must hold one class label per row of X (12); got 11" in _one_sentence(err)
    with pytest.raises(ValueError, match=r"images must be rows of 64 pixels.*got shape \(4, 3\)"):
        plot_digits(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="titles must give one title per image"):
        plot_digits(np.zeros((2, 8, 8)), titles=["one"])
    plot_digits(np.zeros((2, 8, 8)), titles=["a", "b"])  # the (n, 8, 8) form its docstring promises
    with pytest.raises(ValueError, match="at least 2x2"):
        draw_confidence(ax, np.full((4, 1), 0.3), (-1, 1), (-1, 1))


def test_animations_fail_before_they_are_made_and_leak_no_warning():
    X, y = make_moons(12, noise=0.1, random_state=0)
    trainer = Trainer(MLP(2, [3, 1], seed=0), X, y, lr=0.05)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for bad in ({"every": 0}, {"resolution": 1}, {"features": "cubes"}, {"dpi": "100"}):
            with pytest.raises((TypeError, ValueError)):
                animate_training(trainer, 2, **{"every": 1, "resolution": 8, **bad})
        animation = animate_training(trainer, 2, every=1, resolution=8)
        with pytest.raises(ValueError, match="unknown frame_format 'gif'; choose one of 'jpeg', 'png'"):
            animation_html(animation, frame_format="gif")
        assert animation_html(animation, frame_format="jpg").count("<img") == 3  # "jpg" is "jpeg"
        del animation
        gc.collect()
    assert not [w for w in caught if "Animation was deleted" in str(w.message)]
    assert trainer.epoch == 2  # the refused calls trained nothing


# ----------------------------------------------------------------------------------------------- training

def test_loss_targets_are_named_as_the_argument_they_came_in():
    scores = Tensor([[1.0], [3.0]])
    with pytest.raises(ValueError) as err:
        mse_loss(scores, [0.0, np.nan])
    assert _one_sentence(err).startswith("mse_loss: targets contains NaN or infinity")
    with pytest.raises(ValueError, match=r"^targets \(the labels as Objective.targets\(y\) returns them\) contains"):
        Objective("cross-entropy", 2).loss(scores, np.array([1.0, np.inf]))
    with pytest.raises(TypeError, match="regression must be True or False"):
        Objective("mse", regression=np.array([1 + 1j, 2]))
    for kind in (np.array([1 + 1j, 2]), [[None, None]], 5):
        with pytest.raises(TypeError, match="features must be a name such as 'squares' or a list of columns"):
            make_features(np.ones((2, 2)), kind)
    with pytest.raises(ValueError, match="features must be one or more of the columns .* got no column in"):
        make_features(np.ones((2, 2)), [])


def test_check_network_names_a_mismatch_of_X_and_y():
    with pytest.raises(ValueError) as err:
        check_network(Network([2, 2, 1], seed=0), np.ones((3, 2)), np.ones((4, 1)))
    assert _one_sentence(err).startswith("y must hold one target per row of X (3)")
    with pytest.raises(ValueError, match="X is empty"):
        check_network(Network([2, 2, 1], seed=0), np.empty((0, 2)), np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"eps \(the size of the nudge\) must be a number in \(0, 1\)"):
        numerical_gradient(lambda: 0.0, [np.ones(2)], eps=0)


def test_parameters_of_different_shapes_are_one_list_not_a_ragged_array():
    watch = DivergenceWatch(0.1)
    watch.check_parameters([[1.0, 2.0], [3.0]], step=0)  # the documented acceptance of the fuzz harness
    with pytest.raises(TypeError, match="equal-length rows"):  # a ragged array *as one parameter* is refused
        watch.check_parameters([[[1.0, 2.0], [3.0]]], step=1)


@pytest.mark.parametrize("opt_class", [SGD, Momentum, Adam])
@pytest.mark.parametrize("grad, words", [
    ("abc", "the gradient (.grad) of parameter 0 must be numbers"), ([1 + 1j, 0.0], "must be real numbers"),
    (True, "True/False"),
])
def test_a_learners_own_loop_with_a_grad_that_is_not_numbers(opt_class, grad, words):
    p = Parameter([1.0, 2.0])
    opt = opt_class([p], lr=0.1)
    p.grad = grad
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning either
        with pytest.raises(TypeError) as err:
            opt.step()
    assert words in _one_sentence(err) and p.data.tolist() == [1.0, 2.0]


@pytest.mark.parametrize("opt_class, words", [
    (SGD, "a parameter reached"), (Momentum, "a parameter reached"),
    (Adam, "a gradient reached 1e+155, so large that its square overflows float64"),
])
def test_a_gradient_too_large_to_square_stops_adam_instead_of_freezing_it(opt_class, words):
    p = Parameter([1.0, 2.0])
    opt = opt_class([p], lr=0.1)
    p.grad = np.array([1e155, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(DivergenceError) as err:
            opt.step()
    assert words in _one_sentence(err) and "The learning rate 0.1" in str(err.value)
    if opt_class is Adam:  # before it moved: its v would have become inf, and every later step 0
        assert p.data.tolist() == [1.0, 2.0]
    fine = opt_class([Parameter([1.0, 2.0])], lr=0.1)  # a large gradient whose square is finite is no divergence
    fine.params[0].grad = np.array([GRADIENT_LIMIT / 2, 0.0])
    fine.watch.check_parameters([np.ones(2)], step=1, grads=[fine.params[0].grad])


# ----------------------------------------------------------------------------------------------- issue 13 "Found"

def test_no_blown_up_run_of_the_three_class_spiral_grid_is_quiet():
    """The issue's grid: tanh on the 3-class spiral, every optimizer at every large learning rate; then 17 of 36
    blown-up runs said nothing. A run whose loss ends above twice its start, or at chance above the baseline
    loss, must be reported as diverged."""
    X, y = make_spiral(150, noise=0.1, n_classes=3, random_state=0)
    quiet = []
    for optimizer in ("sgd", "momentum", "adam"):
        for lr in (1.0, 3.0, 10.0, 30.0, 100.0, 1e3, 1e4, 1e6):
            h = fit(MLP(2, [8, 8, 3], activation="tanh", seed=0), X, y, epochs=30, optimizer=optimizer, lr=lr,
                    batch_size=32)
            blown = h.train_loss[-1] > 2 * h.train_loss[0] or (h.train_acc[-1] < 0.45 and h.train_loss[-1] > 1.5 * np.log(3))
            if blown and not h.diverged:
                quiet.append((optimizer, lr, h.train_loss[-1]))
            if h.diverged:
                assert f"learning rate {lr:g}" in h.stopped
    assert not quiet


def test_no_runtime_warning_and_no_silent_nan_at_the_extremes():
    z = np.array([1e308, -1e308, 1e-300, -1e-300, 0.0, 5e307, -5e307])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("sigmoid", "tanh", "relu", "leaky_relu", "linear", "step", "gelu", "softmax"):
            for f in (getattr(A, name), getattr(A, name + "_derivative", None)):
                if f is not None:
                    assert np.all(np.isfinite(f(z))), f.__name__
        assert np.all(np.isfinite(A.softmax_jacobian(z)))
        p, t = np.array([1.0, 0.0, 1e-300, 1 - 1e-16, 0.5]), np.array([0.0, 1.0, 1.0, 0.0, 1.0])
        for eps in (1e-300, 1e-12, 0.01):  # eps at both of its limits
            assert np.isfinite(L.binary_cross_entropy(p, t, eps=eps))
            assert np.all(np.isfinite(L.binary_cross_entropy_grad(p, t, eps=eps)))
        for big in (1e308, 5e307):
            s = np.array([big, -big])
            assert np.isfinite(L.binary_cross_entropy_with_logits(s, np.array([1.0, 0.0])))
            assert np.all(np.isfinite(L.binary_cross_entropy_with_logits_grad(s, np.array([1.0, 0.0]))))
            assert np.isfinite(L.hinge(s, np.array([1.0, -1.0])))
            with pytest.raises(ValueError, match="overflowed"):  # (1e308)^2 is not a float64: said, not inf
                L.mse(s, np.zeros(2))
        for logits, label in (([[1e308, 1e308, 1e308]], [2]), ([[-1e308, -1e308, 0.0]], [0]),
                              ([[5e307, -5e307, 0.0]], [1])):
            assert np.isfinite(L.softmax_cross_entropy(np.array(logits), label))
            assert np.all(np.isfinite(L.softmax_cross_entropy_grad(np.array(logits), label)))
