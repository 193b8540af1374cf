"""Every panel of chapters 1-5 is readable where it is shown: its figure text at least 9 pt at the displayed size.

A panel's picture is drawn for its own width (``figsize`` x 100 CSS px). In a narrow window (900 px wide with
JupyterLab's file browser open leaves about 470 px for an output) the browser would shrink it; instead the panel's
width probe reports the room it has and :meth:`Panel.fit_width` draws the figure again at that width: text keeps
its size in points, titles too wide for their axes get smaller (not below 9 pt) and wrap. A wide diagram (chapter
5's graph) scrolls sideways instead. tests/test_browser.py checks the same in a real 900 px window.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from nbhelpers.widgets import CSS_DPI  # noqa: E402
from nbhelpers.widgets.activations import ActivationPanel  # noqa: E402
from nbhelpers.widgets.backprop import BackpropStepper  # noqa: E402
from nbhelpers.widgets.descent import LearningRatePanel, OptimizerPanel  # noqa: E402
from nbhelpers.widgets.graph import NeuronGraphPanel  # noqa: E402
from nbhelpers.widgets.neuron import NeuronPanel  # noqa: E402

PANELS = [NeuronPanel, ActivationPanel, LearningRatePanel, OptimizerPanel, BackpropStepper, NeuronGraphPanel]
NARROW = 468  # CSS px: a 900 px JupyterLab window with the file browser open


def texts(panel):
    figure = panel.figure
    figure.canvas.draw()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure is figure]


def titles_fit(panel):
    """Every axes title inside the figure, none over another."""
    renderer = panel.figure.canvas.get_renderer()
    boxes = [(ax.title.get_text(), ax.title.get_window_extent(renderer)) for ax in panel.figure.axes
             if ax.title.get_text()]
    for text, box in boxes:
        assert box.x0 >= -1 and box.x1 <= panel.figure.bbox.width + 1, f"title {text!r} reaches outside the figure"
    for i, (a, box) in enumerate(boxes):
        for b, other in boxes[i + 1:]:
            assert not box.overlaps(other), f"titles {a!r} and {b!r} overlap"


def css_width(panel) -> float:
    return panel.figure.get_figwidth() * CSS_DPI


@pytest.mark.parametrize("cls", PANELS, ids=lambda c: c.__name__)
def test_every_text_is_at_least_9_pt_at_the_panels_own_size(cls):
    panel = cls()
    small = [(t.get_text(), t.get_fontsize()) for t in texts(panel) if t.get_fontsize() < 9]
    assert not small, f"{cls.__name__}: text under 9 pt: {small[:5]}"
    assert css_width(panel) <= 780  # shown at its own size in a 900 px window without the file browser


@pytest.mark.parametrize("cls", [c for c in PANELS if not c.scroll_when_narrow], ids=lambda c: c.__name__)
def test_a_narrow_panel_is_drawn_for_its_width_with_its_text_at_size(cls):
    panel = cls()
    own, frames = css_width(panel), panel.frame.frames
    before = [(ax.title.get_text(), ax.title.get_fontsize()) for ax in panel.figure.axes]
    panel.fit_width(NARROW)
    assert css_width(panel) == pytest.approx(NARROW) and panel.frame.image.layout.width == f"{NARROW}px"
    assert panel.frame.frames == frames + 1  # drawn again at once
    found = texts(panel)
    small = [(t.get_text(), t.get_fontsize()) for t in found if t.get_fontsize() < 9]
    assert not small, f"{cls.__name__} at {NARROW} px: text under 9 pt: {small[:5]}"
    titles_fit(panel)
    panel.fit_width(2000)  # a wide window again: its own width, its own titles
    assert css_width(panel) == pytest.approx(own)
    assert [(ax.title.get_text(), ax.title.get_fontsize()) for ax in panel.figure.axes] == before


def test_the_graph_diagram_scrolls_instead_of_shrinking():
    panel = NeuronGraphPanel()
    own = css_width(panel)
    panel.fit_width(NARROW)
    assert css_width(panel) == own and panel.frame.image.layout.max_width == "none"
    box = [c for c in panel.widget.children if panel.frame.image in getattr(c, "children", ())]
    assert box and box[0].layout.overflow == "auto"


def test_titles_set_while_narrow_are_fitted_and_a_redraw_does_not_repeat_the_background():
    panel = LearningRatePanel()
    panel.fit_width(NARROW)
    panel.controls["lr"].value = 1.0  # the longest title: "lr = 1: bounces back and forth forever"
    left = panel.figure.axes[0]
    assert "bounces" in left.title.get_text().replace("\n", " ") and left.title.get_fontsize() >= 9
    titles_fit(panel)
    backgrounds = panel.frame.backgrounds
    panel.update()  # the same picture again: the fitted title is not touched, so no new background
    assert panel.frame.backgrounds == backgrounds


@pytest.mark.parametrize("bad", [None, "wide", -5, 0, float("nan")])
def test_a_width_that_is_no_width_changes_nothing(bad):
    panel = NeuronPanel()
    own, frames = css_width(panel), panel.frame.frames
    panel.fit_width(bad)
    assert css_width(panel) == own and panel.frame.frames == frames


def test_the_probe_reports_into_fit_width():
    panel = ActivationPanel()
    panel.width_probe.width = 500  # what the browser sends
    assert css_width(panel) == pytest.approx(500)
    panel.width_probe.width = 300  # narrower than the least the figure is drawn at: the browser shrinks it
    assert css_width(panel) == pytest.approx(panel.min_width)


def inside_figure(panel):
    """Every axes with its ticks, labels and title inside the picture as sent."""
    figure = panel.figure
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        box = ax.get_tightbbox(renderer)
        assert box.x0 >= -2 and box.y0 >= -2 and box.x1 <= figure.bbox.width + 2 and \
            box.y1 <= figure.bbox.height + 2, f"{ax.get_ylabel() or ax.get_title()!r} reaches outside the figure"


@pytest.mark.parametrize("width", [None, NARROW, 594])
def test_labels_stay_inside_when_new_limits_bring_wider_tick_labels(width):
    # seen in the browser: after the switch to two_valleys the y label "loss L(w)" was cut at the left edge
    # (the layout is kept from the first drawing, whose tick labels were narrower)
    panel = LearningRatePanel(lr=0.1, start=0.0, steps=20)
    if width:
        panel.fit_width(width)
    for name, value in [("lr", 0.0562341), ("start", 2.0), ("steps", 39), ("curve", "two_valleys")]:
        panel.controls[name].value = value
    inside_figure(panel)
    panel2 = OptimizerPanel()
    if width:
        panel2.fit_width(width)
    for name, value in [("landscape", "ellipse"), ("x0", 2.0), ("landscape", "valley"), ("steps", 150)]:
        panel2.controls[name].value = value
        inside_figure(panel2)
