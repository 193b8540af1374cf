"""Chapter 2's figures draw the right data, label their axes, and refuse bad input in one clear sentence."""

from __future__ import annotations

import numpy as np
import pytest

from nbhelpers import activations as A
from nbhelpers.plotting import activations as P
from nbhelpers.plotting import new_figure


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_gallery_draws_each_function_and_its_slope():
    fig = P.plot_activation_gallery()
    assert len(fig.axes) == len(P.GALLERY)
    for ax, name in zip(fig.axes, P.GALLERY):
        _labelled(ax)
        f_line, df_line = ax.get_lines()[:2]
        z = np.asarray(f_line.get_xdata())
        params = {"alpha": 0.1} if name == "leaky_relu" else {}
        act = A.get_activation(name)
        assert np.allclose(f_line.get_ydata(), act.function(z, **params))
        assert np.allclose(df_line.get_ydata(), act.derivative(z, **params))
        assert df_line.get_linestyle() == "--"
    titles = [ax.get_title() for ax in fig.axes]
    assert "slope at most 0.25" in titles[0] and "slope up to 1" in titles[1]
    assert "slope 0.1 for z < 0" in titles[3] and "dips to -0.17" in titles[5]


def test_gallery_with_fewer_names_removes_empty_panels():
    fig = P.plot_activation_gallery(["sigmoid", "relu", "tanh", "step"], ncols=3)
    assert len(fig.axes) == 4


def test_plot_activation_refuses_softmax_and_stray_settings():
    _, ax = new_figure()
    with pytest.raises(ValueError, match="plot_softmax"):
        P.plot_activation(ax, "softmax")
    with pytest.raises(ValueError, match="only leaky_relu takes"):
        P.plot_activation(ax, "sigmoid", alpha=0.2)
    with pytest.raises(ValueError, match="unknown activation"):
        P.plot_activation(ax, "sigmoidd")


def test_softmax_bars_are_the_probabilities():
    fig = P.plot_softmax([2.0, 1.0, 0.1], ["cat", "dog", "bird"])
    left, right = fig.axes
    assert [p.get_height() for p in left.patches] == pytest.approx([2.0, 1.0, 0.1])
    assert [p.get_height() for p in right.patches] == pytest.approx([0.6590, 0.2424, 0.0986], abs=1e-4)
    assert "sum 1" in right.get_title()
    for ax in fig.axes:
        _labelled(ax)
    with pytest.raises(ValueError, match="two or more scores"):
        P.plot_softmax([1.0])
    with pytest.raises(ValueError, match="name each of the 3 scores"):
        P.plot_softmax([1.0, 2.0, 3.0], ["a", "b"])
    with pytest.raises(ValueError, match=r"shape \(n,\)"):
        P.plot_softmax([[1.0, 2.0]])


def test_neuron_plane_values_grid_orientation():
    xx, yy, z, values = P.neuron_plane_values([1.0, 2.0], -0.5, "relu", resolution=5)
    assert xx[0, 0] == -2 and yy[0, 0] == -2 and xx[0, -1] == 2 and yy[-1, 0] == 2  # first row is the bottom
    assert np.allclose(z, xx + 2 * yy - 0.5)
    assert np.allclose(values, np.maximum(z, 0))


def test_neuron_plane_drawing():
    fig, ax = new_figure()
    image = P.plot_neuron_activation(ax, [1.0, -1.0], 0.25, "sigmoid", resolution=41)
    values = P.neuron_plane_values([1.0, -1.0], 0.25, "sigmoid", resolution=41)[3]
    assert np.allclose(image.get_array(), values)
    assert image.get_clim() == (0.0, 1.0)
    assert image.get_extent() == [-2.0, 2.0, -2.0, 2.0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    x, y = np.asarray(line.get_xdata()), np.asarray(line.get_ydata())
    assert np.allclose(x - y + 0.25, 0)
    _labelled(ax)
    assert len(fig.axes) == 2  # the plane and its colour bar
    assert "sigmoid" in fig.axes[1].get_ylabel()


def test_neuron_plane_vertical_line_and_symmetric_scale():
    fig, ax = new_figure()
    image = P.plot_neuron_activation(ax, [2.0, 0.0], -1.0, "relu", colorbar=False)
    (line,) = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert np.allclose(line.get_xdata(), 0.5)
    lo, hi = image.get_clim()
    assert lo == -hi and hi == pytest.approx(3.0)  # relu(2 * 2 - 1) = 3 at the right edge
    assert len(fig.axes) == 1


def test_neuron_plane_with_leaky_alpha_and_bad_input():
    _, ax = new_figure()
    image = P.plot_neuron_activation(ax, [1.0, 0.0], 0.0, "leaky_relu", alpha=0.5, resolution=3)
    assert np.allclose(image.get_array()[0], [-1.0, 0.0, 2.0])
    with pytest.raises(ValueError, match="not softmax"):
        P.plot_neuron_activation(ax, [1.0, 0.0], 0.0, "softmax")
    with pytest.raises(ValueError, match=r"w must have shape \(2,\)"):
        P.plot_neuron_activation(ax, [1.0, 0.0, 3.0], 0.0)
    with pytest.raises(TypeError, match="b .* single number"):
        P.plot_neuron_activation(ax, [1.0, 0.0], [0.0, 1.0])


def test_neuron_gallery_shows_each_activation():
    fig = P.plot_neuron_gallery([1.5, 1.0], 0.5, resolution=21)
    planes = [ax for ax in fig.axes if ax.images]
    assert len(planes) == len(P.GALLERY)
    for ax, name in zip(planes, P.GALLERY):
        assert ax.get_title().startswith(name)
        params = {"alpha": 0.1} if name == "leaky_relu" else {}
        expected = P.neuron_plane_values([1.5, 1.0], 0.5, name, resolution=21, **params)[3]
        assert np.allclose(ax.images[0].get_array(), expected)


def test_gradient_products_plot():
    _, ax = new_figure()
    depths = np.arange(1, 6)
    products = {"sigmoid": 0.2**depths, "relu": np.ones(5)}
    P.plot_gradient_products(ax, depths, products, bound=0.25**depths, ylabel="signal")
    assert ax.get_yscale() == "log"
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines][:2] == ["sigmoid", "relu"]
    assert np.allclose(lines[0].get_ydata(), 0.2**depths) and np.allclose(lines[2].get_ydata(), 0.25**depths)
    assert ax.get_ylabel() == "signal"
    _labelled(ax)
    with pytest.raises(ValueError, match="one number per depth"):
        P.plot_gradient_products(ax, depths, {"sigmoid": np.ones(4)})
    with pytest.raises(TypeError, match="must be a dict"):
        P.plot_gradient_products(ax, depths, {})


def test_dying_relu_plot_counts_points_on_the_ramp():
    _, ax = new_figure()
    P.plot_dying_relu(ax, np.array([-1.0, 1.0, 2.0, 3.0]), np.array([-5.0, -4.0]))
    labels = [c.get_label() for c in ax.collections]
    assert labels == ["healthy neuron: 75% of points on the ramp", "dead neuron: 0% of points on the ramp"]
    assert np.allclose(ax.collections[1].get_offsets()[:, 1], 0)  # the dead neuron's points sit on the floor
    _labelled(ax)


def test_mystery_curve_does_not_give_the_answer_away():
    from nbhelpers.exercises import ch02

    _, ax = new_figure()
    z, values = ch02.mystery_curve()
    P.plot_mystery_curve(ax, z, values, ylabel="slope")
    text = " ".join([ax.get_title(), ax.get_xlabel(), ax.get_ylabel()] + [ln.get_label() for ln in ax.get_lines()])
    assert "tanh" not in text.lower()
    assert np.allclose(ax.get_lines()[0].get_ydata(), A.tanh_derivative(z))
    with pytest.raises(ValueError, match="one value per z"):
        P.plot_mystery_curve(ax, z, values[:-1])
