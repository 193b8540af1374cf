"""Chapter 6's playground, played in a real (headless) Chromium, as a learner would.

Opens chapter 6 in JupyterLab 4 (with ipywidgets 8; in the oldest-versions environment, ipywidgets 7.7 in the
classic Notebook 6.5), runs it, presses Play on the playground and lets it train for a few seconds: the picture
must change several times and the epoch count must climb. Pause must stop the frames (waited for, not timed) and
say so. Hovering on a weight line shows its value. A screenshot of the paused playground goes to build/browser/
and is looked at: the plane's two class colours are there, and the picture is not blank.

Measured, printed, never asserted: frames per second while playing and how long after Pause the last frame came.
Reuses the servers, browser and helpers of tests/test_browser.py (skipped there and here the same way without
Chromium or Playwright; NNFZ_REQUIRE_BROWSER=1 makes that a failure).
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from test_browser import (  # noqa: F401 - fixtures are used by name
    IPYWIDGETS_MAJOR,
    NOTEBOOK_MAJOR,
    NOTEBOOKS,
    SHOTS,
    _open_and_run,
    _shown,
    _wait_until,
    browser,
    chromium_path,
    classic_server,
    lab_server,
)

pytestmark = pytest.mark.browser

CHAPTER = next((p for p in NOTEBOOKS if p.name.startswith("06")), None)

PICTURE = """root => {
  const c = root.querySelector('canvas.nbpg-plots, .nbpg-plots canvas');
  const ctx = c.getContext('2d');
  const data = ctx.getImageData(0, 0, c.width, c.height).data;
  let h = 0;
  for (let i = 0; i < data.length; i += 97) h = (h * 31 + data[i]) >>> 0;
  return h + ':' + root.dataset.frames;
}"""


def _hex(colour: str) -> np.ndarray:
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])


def _play_and_pause(server, browser, label):
    from nbhelpers.plotting import CLASS_COLORS

    context = browser.new_context(viewport={"width": 900, "height": 1500}, device_scale_factor=2)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        _open_and_run(page, server, CHAPTER.name)
        roots = page.locator(".nbpg-root")
        _wait_until(page, lambda: roots.count() > 0 and int(roots.first.get_attribute("data-frames") or 0) > 0,
                    60, "the playground's view to draw")
        root = roots.first
        panel = page.locator(".nbhelpers-panel", has=page.locator(".nbpg-root")).first
        panel.scroll_into_view_if_needed()
        status = panel.locator(".widget-html").last
        epoch_before = status.inner_text()

        # Play: the picture changes several times while it trains
        buttons = panel.locator(".widget-play button")
        buttons.nth(0).click()
        start, pictures, frames0 = time.monotonic(), set(), int(root.get_attribute("data-frames"))
        draw_ms = []
        while time.monotonic() - start < 4.0:
            pictures.add(root.evaluate(PICTURE).split(":")[0])
            draw_ms.append(float(root.get_attribute("data-draw-ms") or "nan"))
            page.wait_for_timeout(300)
        frames = int(root.get_attribute("data-frames")) - frames0
        print(f"{label}: {frames} frames drawn in {time.monotonic() - start:.1f} s while playing "
              f"({frames / (time.monotonic() - start):.1f} frames/s on this machine), {len(pictures)} distinct pictures sampled; "
              f"the browser draws a frame in {np.nanmedian(draw_ms):.1f} ms (median)")
        assert len(pictures) >= 3, f"{label}: the picture changed only {len(pictures) - 1} times in 4 s of Play"
        assert status.inner_text() != epoch_before and "playing" in status.inner_text()

        # Pause: the frames stop (waited for) and the message says so
        buttons.nth(1).click()
        clicked = time.monotonic()
        last = [root.get_attribute("data-frames"), time.monotonic()]

        def settled():
            now = root.get_attribute("data-frames")
            if now != last[0]:
                last[:] = [now, time.monotonic()]
                return False
            return time.monotonic() - last[1] > 1.5

        _wait_until(page, settled, 30, "the frames to stop after Pause")
        print(f"{label}: the last frame came {max(0.0, last[1] - clicked):.2f} s after Pause was clicked")
        _wait_until(page, lambda: "paused" in status.inner_text(), 10, "the message to say it paused")

        # hover on a weight: its value
        line = root.locator("svg line").first
        line.dispatch_event("mouseenter")
        assert root.locator(".nbpg-readout").inner_text().startswith("weight "), "hovering a weight shows no value"

        # a screenshot of the paused playground, looked at
        SHOTS.mkdir(parents=True, exist_ok=True)
        shot = SHOTS / f"playground-{label}-paused.png"
        root.screenshot(path=str(shot))
        from PIL import Image

        pixels = np.asarray(Image.open(shot).convert("RGB")).reshape(-1, 3).astype(int)
        assert pixels.std() > 30, f"{label}: the screenshot {shot} is blank"
        for k, colour in enumerate(CLASS_COLORS[:2]):
            near = np.abs(pixels - _hex(colour)).sum(axis=1) < 40
            assert near.sum() > 200, f"{label}: class {k}'s colour {colour} hardly shows in {shot}"
        assert not errors, f"{label}: errors in the page's JavaScript: {errors[:3]}"
    finally:
        context.close()


def test_the_playground_plays_and_pauses_in_jupyterlab(chromium_path, request):
    if CHAPTER is None:
        pytest.skip("no chapter 6 notebook")
    if IPYWIDGETS_MAJOR is not None and IPYWIDGETS_MAJOR < 8:
        pytest.skip("ipywidgets 7 has no JupyterLab 4 front end; in this environment the classic Notebook test runs")
    _play_and_pause(request.getfixturevalue("lab_server"), request.getfixturevalue("browser"), "lab")


def test_the_playground_plays_and_pauses_with_ipywidgets_7_in_classic_notebook(chromium_path, request):
    if CHAPTER is None:
        pytest.skip("no chapter 6 notebook")
    if IPYWIDGETS_MAJOR != 7 or NOTEBOOK_MAJOR != 6:
        pytest.skip("for CI's oldest-versions environment (ipywidgets 7.7 and the classic Notebook 6.5); "
                    f"here: ipywidgets {_shown(IPYWIDGETS_MAJOR)}, notebook {_shown(NOTEBOOK_MAJOR)}")
    _play_and_pause(request.getfixturevalue("classic_server"), request.getfixturevalue("browser"), "classic")
