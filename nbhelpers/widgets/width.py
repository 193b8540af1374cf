"""How wide a panel is shown: a tiny browser-side widget (an anywidget) that reports it to the kernel.

A panel's picture is drawn for a width in CSS pixels (``figsize`` x 100). In a narrow window (900 px wide with
JupyterLab's file browser open leaves about 470 px for a cell's output) the browser would shrink that picture,
and its 9-10 pt text with it. The probe sits in the panel, zero pixels high and as wide as the panel; it sends
the width it gets (after the window stops changing for a quarter of a second), and the panel draws its figure
again at that width, so its text keeps its size (see :meth:`nbhelpers.widgets.Panel.fit_width`).

Where no widget front end runs the probe (an HTML export), nothing is sent and the picture is shown as drawn.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["WidthProbe"]

_ESM = r"""
function render({ model, el }) {
  el.style.width = "100%";
  el.style.height = "0px";
  el.style.overflow = "hidden";
  let last = 0, timer = null;
  function report() {
    const width = Math.floor(el.getBoundingClientRect().width);
    if (width > 0 && Math.abs(width - last) >= 2) {
      last = width;
      model.set("width", width);
      model.save_changes();
    }
  }
  const watch = typeof ResizeObserver !== "undefined"
    ? new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(report, 250); }) : null;
  if (watch) watch.observe(el);
  setTimeout(report, 0);
  return () => { clearTimeout(timer); if (watch) watch.disconnect(); };
}
export default { render };
"""


class WidthProbe(anywidget.AnyWidget):
    """Reports the CSS width (``width``, pixels; 0 until a front end shows it) it is given on the page."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
