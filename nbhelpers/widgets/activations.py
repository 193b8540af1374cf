"""Chapter 2's panel: pick an activation, see it with its slope, and what one neuron with it draws on the plane."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from nbhelpers.activations import ELEMENTWISE, get_activation
from nbhelpers.plotting import PALETTE
from nbhelpers.plotting.activations import neuron_plane_values, plot_activation, plot_neuron_activation
from nbhelpers.widgets import Panel, slider

__all__ = ["ActivationPanel", "FLAT_SLOPE"]

#: Below this slope we call the output "flat": points there send (almost) no learning signal back.
FLAT_SLOPE = 0.01


class ActivationPanel(Panel):
    """An activation and its derivative (left), and one 2-input neuron with it over the plane (right).

    Controls: ``activation`` (dropdown), ``w1``, ``w2``, ``b`` (sliders). The left panel shades the stretch of
    z = w1 x1 + w2 x2 + b that the square on the right covers, so you see which part of the curve the neuron
    uses. The message says the range of z and of the output there, and how much of the square is flat.

    >>> panel = ActivationPanel("relu", w1=1.0, w2=0.0, b=0.0)
    >>> panel.controls["b"].value = 1.0
    >>> panel.message.split(";")[0]
    'relu: on this square z runs from -1.0 to 3.0'
    """

    figsize = (10.5, 4.0)
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)
    resolution = 101

    def __init__(self, activation="sigmoid", w1=1.0, w2=1.0, b=0.0):
        name = get_activation(activation).name
        if name not in ELEMENTWISE:
            raise ValueError(f"the panel shows one neuron's activation, so choose one of {', '.join(ELEMENTWISE)}; "
                             f"got {activation!r}.")
        controls = {
            "activation": widgets.Dropdown(options=list(ELEMENTWISE), value=name, description="activation"),
            "w1": slider("w1", w1, -5, 5),
            "w2": slider("w2", w2, -5, 5),
            "b": slider("b", b, -5, 5),
        }
        super().__init__(controls)

    def z_range(self, w1, w2, b) -> tuple[float, float]:
        """Smallest and largest weighted sum z over the square shown on the right (reached at its corners)."""
        corners = np.array([[x, y] for x in self.xlim for y in self.ylim])
        z = corners @ np.array([w1, w2]) + b
        return float(z.min()), float(z.max())

    def draw(self, figure, activation, w1, w2, b):
        act = get_activation(activation)
        # Fixed margins instead of the course's constrained layout: it halves the time of each redraw + PNG
        # (the layout solver measures every tick label), and the panel's labels do not change size much.
        figure.set_layout_engine("none")
        spacing = {"width_ratios": [1, 1.15], "left": 0.065, "right": 0.99, "bottom": 0.12, "top": 0.92, "wspace": 0.2}
        ax_curve, ax_plane = figure.subplots(1, 2, gridspec_kw=spacing)
        z_lo, z_hi = self.z_range(w1, w2, b)
        reach = max(6.0, float(np.ceil(max(abs(z_lo), abs(z_hi)))))
        zs = np.linspace(-reach, reach, 401)
        plot_activation(ax_curve, act.name, zs, title=f"{act.name} and its slope")
        ax_curve.axvspan(z_lo, z_hi, color=PALETTE[4], alpha=0.2, label="z on the square")
        ax_curve.legend(loc="upper left")
        plot_neuron_activation(ax_plane, [w1, w2], b, act.name, xlim=self.xlim, ylim=self.ylim,
                               resolution=self.resolution, title="one neuron with it, over the plane")
        _, _, z, values = neuron_plane_values([w1, w2], b, act.name, xlim=self.xlim, ylim=self.ylim,
                                              resolution=self.resolution)
        flat = float(np.mean(np.abs(act.derivative(z)) < FLAT_SLOPE))
        return (f"{act.name}: on this square z runs from {z_lo:.1f} to {z_hi:.1f}; the neuron outputs "
                f"{values.min():.3g} to {values.max():.3g}; the slope is below {FLAT_SLOPE} on {flat:.0%} of it.")
