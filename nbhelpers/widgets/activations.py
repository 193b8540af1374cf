"""Chapter 2's panel: pick an activation, see it with its slope, and what one neuron with it draws on the plane."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from nbhelpers.activations import ELEMENTWISE, get_activation
from nbhelpers.plotting import PALETTE
from nbhelpers.widgets import Panel, dropdown, set_limits, slider
from nbhelpers.widgets._plane import NeuronPlane

__all__ = ["ActivationPanel", "FLAT_SLOPE"]

#: Below this slope we call the output "flat": points there send (almost) no learning signal back.
FLAT_SLOPE = 0.01
_REACHES = (6.0, 12.0, 25.0)  # the sums reach at most 5 * 2 + 5 * 2 + 5 = 25


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

    figsize = (7.6, 3.4)
    rows = [["activation"], ["w1", "w2", "b"]]
    xlim = (-2.0, 2.0)
    ylim = (-2.0, 2.0)
    resolution = 101
    fallback_note = ("Interactive panel (activation, w1, w2, b): open this notebook in Jupyter with a live kernel "
                     "to use the controls.")

    def __init__(self, activation="sigmoid", w1=1.0, w2=1.0, b=0.0):
        name = get_activation(activation).name
        if name not in ELEMENTWISE:
            raise ValueError(f"the panel shows one neuron's activation, so choose one of {', '.join(ELEMENTWISE)}; "
                             f"got {activation!r}.")
        controls = {
            "activation": dropdown("activation", list(ELEMENTWISE), name),
            "w1": slider("w1", w1, -5, 5),
            "w2": slider("w2", w2, -5, 5),
            "b": slider("b", b, -5, 5),
        }
        self._view = None
        super().__init__(controls)

    def setup(self, figure):
        ax_curve, ax_plane = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
        ax_curve.axhline(0, color="grey", lw=0.8)
        ax_curve.axvline(0, color="grey", lw=0.8)
        ax_curve.set_xlabel("z")
        ax_curve.set_ylabel("value")
        self.band = Rectangle((0, 0), 1, 1, transform=ax_curve.get_xaxis_transform(), color=PALETTE[4], alpha=0.2,
                              label="z on the square", lw=0)
        ax_curve.add_patch(self.band)
        (self.curve,) = ax_curve.plot([], [], color=PALETTE[0], lw=2.2)
        (self.slope,) = ax_curve.plot([], [], color=PALETTE[1], lw=2, ls="--")
        self.plane = NeuronPlane(ax_plane, self.frame, xlim=self.xlim, ylim=self.ylim, resolution=self.resolution)
        ax_plane.set_title("one neuron with it, over the plane")
        self.frame.animate(self.band, self.curve, self.slope)  # the curves over the band
        self.ax_curve, self.ax_plane = ax_curve, ax_plane

    def z_range(self, w1, w2, b) -> tuple[float, float]:
        """Smallest and largest weighted sum z over the square shown on the right (reached at its corners)."""
        corners = np.array([[x, y] for x in self.xlim for y in self.ylim])
        z = corners @ np.array([w1, w2]) + b
        return float(z.min()), float(z.max())

    def _show_curve(self, act, reach):
        """The activation and its slope over -reach..reach: redrawn (with the legend) only when either changes."""
        if self._view == (act.name, reach):
            return
        self._view = (act.name, reach)
        zs = np.linspace(-reach, reach, 401)
        values, slopes = act.function(zs), act.derivative(zs)
        self.curve.set_data(zs, values)
        self.curve.set_label(f"{act.name}(z)")
        self.slope.set_data(zs, slopes)
        self.slope.set_label(f"{act.name}'(z)")
        lo, hi = float(min(values.min(), slopes.min(), 0.0)), float(max(values.max(), slopes.max(), 1.0))
        pad = 0.08 * (hi - lo)
        set_limits(self.ax_curve, (-reach, reach), (lo - pad, hi + pad))
        self.ax_curve.set_title(f"{act.name} and its slope")
        self.ax_curve.legend(handles=[self.curve, self.slope, self.band], loc="upper left", fontsize=9)

    def draw(self, figure, activation, w1, w2, b):
        act = get_activation(activation)
        z_lo, z_hi = self.z_range(w1, w2, b)
        need = max(abs(z_lo), abs(z_hi))
        reach = self._view[1] if self._view else 0.0
        if not (need <= reach and (reach == _REACHES[0] or need > reach / 2.5)):  # keep the view while it fits
            reach = next((r for r in _REACHES if r >= need), float(np.ceil(need)))
        self._show_curve(act, reach)
        self.band.set_x(z_lo)
        self.band.set_width(z_hi - z_lo)
        z, values = self.plane.update([w1, w2], b, act.name)
        # the static part: the curve plot's limits, title and legend, and the colour bar
        self.frame.background_key = (self._view, self.plane.background_key())
        flat = float(np.mean(np.abs(act.derivative(z)) < FLAT_SLOPE))
        return (f"{act.name}: on this square z runs from {z_lo:.1f} to {z_hi:.1f}; the neuron outputs "
                f"{values.min():.3g} to {values.max():.3g}; the slope is below {FLAT_SLOPE} on {flat:.0%} of it.")
