"""End to end, as a learner sees it: every chapter run in a real (headless) Chromium.

Two front ends, one check. With ipywidgets 8 (a laptop, Binder), each chapter runs in **JupyterLab 4**. With
ipywidgets 7.7 (CI's oldest-versions environment: Colab's widget version), each runs in the **classic Notebook
6.5** with its ipywidgets 7 extension, the front end that renders those widgets (JupyterLab 4 cannot, and
Colab's own front end cannot run here). For each notebook in notebooks/, the test starts from a fresh copy,
clicks *Run All*, waits for the kernel, saves, and checks what a learner would see:

- no cell shows an error or writes to stderr (the pink boxes), on the page and in the saved notebook, and every
  code cell ran;
- every widget output renders as a widget (no "Error displaying widget", no JavaScript error box, nothing left
  "Loading widget..."), and the chapter shows at least one slider;
- dragging a panel's slider with the mouse redraws its figure (the chapter's first slider that does so);
- every control of the chapter's first fast-frame panel (``nbhelpers.widgets.Panel``) is moved (sliders dragged,
  dropdowns switched, boxes ticked, buttons pressed): the message under the picture keeps its height, and the
  time from the control change to the new picture on screen (the image's load, then the next paint) is printed
  with its median (reported, never asserted: speed depends on the machine);
- in a 900 px wide window every panel's picture is shown at its own size (not shrunk), no control reaches outside
  its panel and no label is cut short;
- while live, the saved copy of each panel's picture is hidden; then the kernel is shut down and the saved
  notebook opened again: each panel shows its last picture and a note, and no "Error displaying widget" or
  "widget state could not be found" is visible;
- screenshots go to build/browser/ (git-ignored): the top of the chapter, the panel before and after, the
  reopened panels; build/browser/timings.json holds the measured times.

It needs Chromium and Playwright for Python (``pip install -r requirements-test.txt``; Playwright drives the
system's Chromium, its own browser download is never used). Without them it is skipped with a message that
says what to install, unless NNFZ_REQUIRE_BROWSER=1 is set (CI sets it), which turns that skip into a failure.
Point NNFZ_CHROMIUM at another Chromium or Chrome binary if yours is not on the PATH. JupyterLab's intermittent
"Select Kernel" dialog is accepted (its default is the notebook's own kernel) whenever it shows up.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from importlib import metadata
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
SHOTS = ROOT / "build" / "browser"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Flags that work on a machine without a network or a GPU, as root (no sandbox) and headless.
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
RUN_TIMEOUT_S = 300  # a whole chapter, run all cells
RUN_AGAIN_S = 45  # ... and if not one cell has run or started this long after Run All, its click was lost
SERVER_TIMEOUT_S = 90
REQUIRED = os.environ.get("NNFZ_REQUIRE_BROWSER") == "1"


def _major(dist: str) -> int | None:
    try:
        return int(metadata.version(dist).split(".")[0])
    except metadata.PackageNotFoundError:
        return None


IPYWIDGETS_MAJOR = _major("ipywidgets")
NOTEBOOK_MAJOR = _major("notebook")


def _shown(major: int | None) -> str:
    return "not installed" if major is None else f"{major}.x"


def _skip_or_fail(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (NNFZ_REQUIRE_BROWSER=1, so this is a failure, not a skip)")
    pytest.skip(reason)


def _find_chromium() -> str | None:
    candidates = [os.environ.get("NNFZ_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                  shutil.which("chromium-browser"), shutil.which("google-chrome")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------------------------
# The two front ends: how to start each, open a notebook, run it, save it, and find its outputs.

ACCEPT_KERNEL_DIALOG = """() => {
  // JupyterLab's intermittent "Select Kernel" dialog: accept its default (the notebook's own Python 3 kernel).
  for (const dialog of document.querySelectorAll('.jp-Dialog')) {
    const header = dialog.querySelector('.jp-Dialog-header');
    if (header && /select kernel/i.test(header.textContent)) {
      const accept = dialog.querySelector('.jp-Dialog-button.jp-mod-accept');
      if (accept) { accept.click(); return true; }
    }
  }
  return false;
}"""


class JupyterLab:
    name = "lab"
    server = ("-m", "jupyterlab", "--ServerApp.port_retries=0", "--ServerApp.allow_root=True",
              "--LabApp.news_url=", "--ServerApp.open_browser=False")
    token_option, root_option = "--IdentityProvider.token", "--ServerApp.root_dir"
    state_js = """() => {
      const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
      if (!panel) return null;
      const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell.jp-CodeCell')];
      const prompts = cells.map(c => (c.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim());
      const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
      return {code_cells: cells.length, prompts, kernel: status ? (status.getAttribute('data-status') || '') : ''};
    }"""
    # JupyterLab marks every rendered output with its MIME type, except widget views
    widget_views = ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:not([data-mime-type])"
    error_boxes = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    sliders = ".jp-OutputArea-output .widget-slider"

    @staticmethod
    def url(lab, name):
        return f"{lab['base']}/lab/workspaces/w{uuid.uuid4().hex[:8]}/tree/{name}?reset&token={lab['token']}"

    @staticmethod
    def run_all(page):
        _click_menu(page, ".lm-MenuBar-item", "Run", '.lm-Menu-item[data-command="runmenu:run-all"]')

    @staticmethod
    def save(page):
        _click_menu(page, ".lm-MenuBar-item", "File", '.lm-Menu-item[data-command="docmanager:save"]')


class ClassicNotebook:
    name = "classic"
    server = ("-m", "notebook", "--NotebookApp.port_retries=0", "--allow-root", "--NotebookApp.open_browser=False")
    token_option, root_option = "--NotebookApp.token", "--NotebookApp.notebook_dir"
    state_js = """() => {
      const cells = [...document.querySelectorAll('#notebook-container .cell.code_cell')];
      if (!cells.length) return null;
      const prompts = cells.map(c => (c.querySelector('.input_prompt') || {textContent: ''}).textContent.trim());
      const icon = document.querySelector('#kernel_indicator_icon');
      const kernel = icon && icon.classList.contains('kernel_idle_icon') ? 'idle' : 'busy';
      return {code_cells: cells.length, prompts, kernel};
    }"""
    widget_views = ".output_subarea.jupyter-widgets-view"
    error_boxes = ".output_stderr, .output_error"
    sliders = ".output_subarea .widget-slider"

    @staticmethod
    def url(lab, name):
        return f"{lab['base']}/notebooks/{name}?token={lab['token']}"

    @staticmethod
    def run_all(page):
        page.click("#celllink")
        page.click("#run_all_cells")

    @staticmethod
    def save(page):
        page.click("#filelink")
        page.click("#save_checkpoint")


def _click_menu(page, bar_item: str, menu: str, item: str):
    page.evaluate(ACCEPT_KERNEL_DIALOG)  # a modal dialog would swallow the click
    page.locator(bar_item, has_text=re.compile(rf"^{menu}$")).first.click()
    page.locator(item).first.click()


# ---------------------------------------------------------------------------------------------------------------
# Fixtures: one server and one browser per front end.


@pytest.fixture(scope="module")
def chromium_path():
    path = _find_chromium()
    if path is None:
        _skip_or_fail("browser test skipped: no Chromium found. Install it (Debian/Ubuntu: "
                      "sudo apt-get install chromium) or set NNFZ_CHROMIUM=/path/to/chromium")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _skip_or_fail("browser test skipped: Playwright for Python is not installed. "
                      "Fix: pip install -r requirements-test.txt (it drives your Chromium; no browser download)")
    return path


def _start_server(ui, home: Path):
    """Start the front end's server on a random localhost port, serving copies of the chapters (originals stay clean)."""
    served = home / "notebooks"
    served.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(nb, served / nb.name)
    # Own settings, workspaces, config and kernelspecs, so nothing from this machine's user leaks in.
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), uuid.uuid4().hex
    env = dict(os.environ)
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    log = open(home / "server.log", "w")  # noqa: SIM115 - the server writes to it until the fixture stops it
    server = subprocess.Popen(
        [sys.executable, *ui.server, "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"{ui.token_option}={token}", f"{ui.root_option}={served}"],
        cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                pytest.fail(f"the {ui.name} server did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.3)
    return server, log, {"base": base, "token": token, "dir": served, "ui": ui}


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def _server_fixture(ui):
    @pytest.fixture(scope="module")
    def fixture(chromium_path, tmp_path_factory):
        server, log, info = _start_server(ui, tmp_path_factory.mktemp(ui.name))
        try:
            yield info
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
    return fixture


lab_server = _server_fixture(JupyterLab)
classic_server = _server_fixture(ClassicNotebook)


# ---------------------------------------------------------------------------------------------------------------
# What a learner does, and what they should see.


def _wait_until(page, predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if page.evaluate(ACCEPT_KERNEL_DIALOG):
            print(f"accepted JupyterLab's Select Kernel dialog while waiting for {what}")
        value = predicate()
        if value:
            return value
        page.wait_for_timeout(250)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def _state(page, ui):
    state = page.evaluate(ui.state_js)
    if state:
        state["busy"] = sum("*" in p for p in state["prompts"])
        state["done"] = sum(bool(re.search(r"\[\d+\]", p)) for p in state["prompts"])
    return state


def _open_and_run(page, server, name: str) -> dict:
    ui = server["ui"]
    page.goto(ui.url(server, name), wait_until="domcontentloaded")
    expected = sum(c["cell_type"] == "code" for c in json.loads((server["dir"] / name).read_text())["cells"])
    _wait_until(page, lambda: (_state(page, ui) or {}).get("code_cells") == expected,
                60, f"{name} to open with its {expected} code cells")
    _wait_until(page, lambda: (_state(page, ui) or {}).get("kernel") == "idle", 60, f"the kernel of {name} to start")
    ui.run_all(page)
    # Done when the kernel is idle and no cell waits ([*]) twice in a row, half a second apart. Run All stops at
    # the first error, so fewer cells than expected may have run: the checks then say why.
    settled, asked, last = [], [time.monotonic()], [None]

    def finished():
        page.wait_for_timeout(500)
        state = last[0] = _state(page, ui)
        if state and not state["done"] and not state["busy"] and time.monotonic() - asked[-1] > RUN_AGAIN_S:
            # nothing has run or started: the Run All click was lost (a busy machine can drop it), so click again
            print(f"{name}: no cell ran {RUN_AGAIN_S} s after Run All (kernel {state['kernel']}): Run All again")
            ui.run_all(page)
            asked.append(time.monotonic())
        settled.append(bool(state) and state["done"] > 0 and not state["busy"] and state["kernel"] == "idle")
        return state if settled[-2:] == [True, True] else None

    try:
        return _wait_until(page, finished, RUN_TIMEOUT_S, f"the cells of {name} to run")
    except AssertionError as err:  # say where it stood
        state = last[0] or {}
        raise AssertionError(f"{err}: kernel {state.get('kernel')}, {state.get('done')} of {expected} code cells "
                             f"done, {state.get('busy')} running or waiting; Run All clicked {len(asked)} times"
                             ) from None


def _save(page, server, name: str) -> dict:
    path = server["dir"] / name
    before = path.stat().st_mtime_ns
    server["ui"].save(page)
    _wait_until(page, lambda: path.stat().st_mtime_ns != before, 30, f"{name} to be saved")
    time.sleep(0.3)  # the file is written in one go, but give the server a moment to close it
    return json.loads(path.read_text(encoding="utf-8"))


def _drag_slider(page, slider) -> bool:
    """Drag a slider's handle with the mouse (noUiSlider in ipywidgets 8, jQuery UI in 7); True if it moved."""
    readout = slider.locator(".widget-readout")
    before = readout.first.inner_text() if readout.count() else None
    handle = slider.locator(".noUi-handle, .ui-slider-handle").first
    handle.scroll_into_view_if_needed()
    box = handle.bounding_box()
    track = slider.locator(".noUi-base, .ui-slider").first.bounding_box()
    if box is None or track is None:
        return False
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # a quarter of the track towards its far side, so there is always room to move
    target = x + track["width"] / 4 if x < track["x"] + track["width"] / 2 else x - track["width"] / 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(target, y, steps=8)
    page.mouse.up()
    if readout.count():
        try:
            _wait_until(page, lambda: readout.first.inner_text() != before, 5, "the slider's readout to change")
        except AssertionError:
            return False
    return True


# ---------------------------------------------------------------------------------------------------------------
# Fast-frame panels: move every control, time the new picture, check the message's height.

PANEL_VIEW = ".nbhelpers-panel"
WATCH_FRAMES = """el => {
  // the time of each new picture on screen: the image has loaded its new bytes, and the next frame painted it
  const img = el.querySelector('img.nbhelpers-frame');
  if (!img || img.__watched) return !!img;
  img.__watched = true;
  window.__nnfzFrames = window.__nnfzFrames || [];
  img.addEventListener('load', () => requestAnimationFrame(() => window.__nnfzFrames.push(performance.now())));
  return true;
}"""
MESSAGE_HEIGHT = """el => { const m = el.querySelector('.nbhelpers-panel-message'); return m ? m.getBoundingClientRect().height : -1; }"""
TIMINGS = {}


def _frames_after(page, t0):
    return page.evaluate(f"(window.__nnfzFrames || []).filter(t => t > {t0})")


def _controls(view):
    """Every visible control of a panel: (kind, locator)."""
    found = []
    for i in range(view.locator(".widget-slider").count()):
        found.append(("slider", view.locator(".widget-slider").nth(i)))
    for i in range(view.locator(".widget-dropdown select").count()):
        found.append(("dropdown", view.locator(".widget-dropdown select").nth(i)))
    for i in range(view.locator(".widget-checkbox input[type=checkbox]").count()):
        found.append(("checkbox", view.locator(".widget-checkbox input[type=checkbox]").nth(i)))
    for i in range(view.locator("button.jupyter-button, button.widget-button").count()):
        found.append(("button", view.locator("button.jupyter-button, button.widget-button").nth(i)))
    return [(kind, loc) for kind, loc in found if loc.is_visible()]


def _act(page, kind, control):
    """Change one control as a learner does; returns the page time just before the change takes effect."""
    control.scroll_into_view_if_needed()
    if kind == "slider":
        handle = control.locator(".noUi-handle, .ui-slider-handle").first
        box, track = handle.bounding_box(), control.locator(".noUi-base, .ui-slider").first.bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        target = x + track["width"] / 5 if x < track["x"] + track["width"] / 2 else x - track["width"] / 5
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(target, y, steps=6)
        t0 = page.evaluate("performance.now()")
        page.mouse.up()  # the value is sent on release (continuous_update=False)
        return t0
    if kind == "dropdown":
        options = control.locator("option")
        current = control.input_value()
        values = [options.nth(i).get_attribute("value") or options.nth(i).inner_text() for i in range(options.count())]
        labels = [options.nth(i).inner_text() for i in range(options.count())]
        pick = next((lab for val, lab in zip(values, labels) if val != current and lab != current), None)
        if pick is None:
            return None
        t0 = page.evaluate("performance.now()")
        control.select_option(label=pick)
        return t0
    t0 = page.evaluate("performance.now()")
    control.click()
    return t0


def _move_every_control(page, view, label, prefix):
    """Move each control of one panel; return the times (ms) from change to new picture on screen."""
    assert view.evaluate(WATCH_FRAMES), f"{label}: the panel has no frame image"
    height = view.evaluate(MESSAGE_HEIGHT)
    times, moved, heights = [], [], {height}
    for kind, control in _controls(view):
        t0 = _act(page, kind, control)
        if t0 is None:
            continue
        try:
            _wait_until(page, lambda t0=t0: _frames_after(page, t0), 10, f"a new picture after a {kind} change")
            frames = _frames_after(page, t0)
            times.append(frames[0] - t0)
            moved.append(kind)
        except AssertionError:
            moved.append(f"{kind} (same picture)")
        page.wait_for_timeout(150)
        heights.add(view.evaluate(MESSAGE_HEIGHT))
    view.screenshot(path=str(SHOTS / f"{prefix}-controls-moved.png"))
    assert times, f"{label}: no control change brought a new picture ({moved})"
    assert max(heights) - min(heights) <= 1, (
        f"{label}: the message under the panel changed height ({sorted(heights)} px): the page jumps")
    return times, moved


# ---------------------------------------------------------------------------------------------------------------
# Reopened: the kernel is gone, the notebook opened again.

VISIBLE_ERRORS = """() => {
  const bad = /Error displaying widget|model not found|widget state could not be found|Error rendering Jupyter widget/;
  return [...document.querySelectorAll('.jp-OutputArea-output, .output_subarea')]
    .filter(n => bad.test(n.textContent) && n.getClientRects().length > 0 && getComputedStyle(n).visibility !== 'hidden')
    .filter(n => { for (let e = n; e; e = e.parentElement) if (getComputedStyle(e).display === 'none') return false; return true; })
    .map(n => n.textContent.slice(0, 120));
}"""


def _shut_down_kernels(server):
    import urllib.request as request

    base, token = server["base"], server["token"]
    with request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as reply:
        kernels = json.loads(reply.read())
    for kernel in kernels:
        req = request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        request.urlopen(req, timeout=20).close()
    return len(kernels)


def _check_reopened(browser, server, name, label, prefix, n_panels):
    ui = server["ui"]
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(ui.url(server, name), wait_until="domcontentloaded")
        _wait_until(page, lambda: (_state(page, ui) or {}).get("code_cells"), 60, f"{name} to open again")
        copies = page.locator(".nbhelpers-panel-fallback")
        _wait_until(page, lambda: copies.count() >= n_panels, 30, "the saved copies of the panels' pictures")
        # a new kernel starts (as the next day): wait for it, then for the widget manager to give up on the
        # models it cannot find (the outputs may be drawn again meanwhile)
        _wait_until(page, lambda: (_state(page, ui) or {}).get("kernel") == "idle", 60, "the new kernel")
        page.wait_for_timeout(2500)
        for i in range(n_panels):
            for attempt in range(3):
                try:
                    copy = copies.nth(i)
                    copy.scroll_into_view_if_needed(timeout=5000)
                    page.wait_for_timeout(300)
                    visible = copy.is_visible()
                    loaded = copy.locator("img").first.evaluate("i => i.complete && i.naturalWidth > 0")
                    note = copy.inner_text()
                    copy.screenshot(path=str(SHOTS / f"{prefix}-reopened-panel{i + 1}.png"))
                    if i == 0:  # the page around it: the cell, the picture, the note, and no error
                        page.mouse.wheel(0, -150)
                        page.wait_for_timeout(200)
                        page.screenshot(path=str(SHOTS / f"{prefix}-reopened-page.png"))
                    break
                except Exception:  # noqa: BLE001 - re-rendered while we looked: look again
                    if attempt == 2:
                        raise
                    page.wait_for_timeout(1000)
            assert visible, f"{label}, reopened: panel {i + 1}'s saved picture is hidden"
            assert loaded, f"{label}, reopened: panel {i + 1} has no picture"
            assert "live kernel" in note, f"{label}, reopened: panel {i + 1} has no note"
        errors = page.evaluate(VISIBLE_ERRORS)
        assert not errors, f"{label}, reopened without its kernel, shows widget errors: {errors[:3]}"
    finally:
        context.close()


# A panel's picture: its frames' sources, or, for a view drawn in the browser (the chapter-6 playground's canvas),
# the count of frames it has drawn.
FIGURE_SOURCES = """el => [...el.querySelectorAll('img')].map(i => i.src)
    .concat([...el.querySelectorAll('[data-frames]')].map(d => 'frames:' + d.dataset.frames)).join('|')"""


NARROW = """el => {
  // how a panel fits a narrow window: its picture's shown width against its own size, controls outside the panel,
  // labels cut short
  const box = el.getBoundingClientRect(), out = {width: box.width, cut: [], clipped: []};
  const img = el.querySelector('img.nbhelpers-frame');
  if (img) { out.shown = img.getBoundingClientRect().width; out.own = parseFloat(img.style.width) || img.naturalWidth / 2; }
  el.querySelectorAll('.widget-slider, .widget-dropdown, .widget-checkbox, .widget-play, button').forEach(c => {
    const r = c.getBoundingClientRect();
    if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) out.cut.push((c.textContent || c.className).trim().slice(0, 40));
  });
  el.querySelectorAll('.widget-label, .widget-label-basic, label').forEach(l => {
    if (l.getClientRects().length && l.scrollWidth > l.clientWidth + 1) out.clipped.push(l.textContent.trim().slice(0, 40));
  });
  return out;
}"""
NARROW_WIDTH = 900


def _check_narrow_window(page, ui, label, prefix):
    """In a 900 px wide window every panel's picture is shown at its own size (its text, at least 9 pt there by
    tests/test_widgets_readable.py, stays so), every control sits inside the panel and no label is cut short."""
    page.set_viewport_size({"width": NARROW_WIDTH, "height": 1000})
    panels = page.locator(ui.widget_views).filter(has=page.locator(PANEL_VIEW))
    problems, shown = [], []
    for i in range(panels.count()):
        view = panels.nth(i)
        view.scroll_into_view_if_needed()

        def fitted(view=view):  # the probe reports the new width, the kernel draws the figure for it
            fit = view.evaluate(NARROW)
            return "own" not in fit or fit["shown"] >= fit["own"] - 1

        try:
            _wait_until(page, fitted, 30, "the panel's picture to be drawn for the narrow window")
        except AssertionError:
            pass  # said below, with the numbers
        fit = view.evaluate(NARROW)
        if "own" in fit:
            shown.append(f"{fit['shown']:.0f}/{fit['own']:.0f} px")
            if fit["shown"] < fit["own"] - 1:
                problems.append(f"panel {i + 1}'s picture is shrunk to {fit['shown'] / fit['own']:.0%} of its size")
        if fit["cut"]:
            problems.append(f"panel {i + 1}'s controls reach outside it: {fit['cut']}")
        if fit["clipped"]:
            problems.append(f"panel {i + 1}'s labels are cut short: {fit['clipped']}")
        if i == 0:
            view.screenshot(path=str(SHOTS / f"{prefix}-panel1-900px.png"))
            page.screenshot(path=str(SHOTS / f"{prefix}-900px.png"))
    print(f"\n{label} in a {NARROW_WIDTH} px window: pictures shown/own width {', '.join(shown) or '-'}")
    assert not problems, f"{label} in a {NARROW_WIDTH} px window: " + "; ".join(problems)


def _check_chapter(path: Path, server, browser):
    ui = server["ui"]
    label = f"{path.name} in {ui.name}"
    prefix = ("" if ui is JupyterLab else "classic-") + path.stem
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda err: page_errors.append(str(err)))
    n_panels = 0
    try:
        state = _open_and_run(page, server, path.name)
        page.wait_for_timeout(500)  # let the last outputs and widget views attach
        page.screenshot(path=str(SHOTS / f"{prefix}-top.png"))
        saved = _save(page, server, path.name)

        # 1. every cell ran; no errors and nothing on stderr, as saved and as shown on the page
        problems = []
        for index, cell in enumerate(saved["cells"]):
            for out in cell.get("outputs", []):
                if out["output_type"] == "error":
                    problems.append(f"cell {index}: {out['ename']}: {out['evalue']}")
                elif out["output_type"] == "stream" and out["name"] == "stderr":
                    problems.append(f"cell {index} wrote to stderr: {''.join(out['text'])[:300]}")
        assert not problems, f"{label}:\n" + "\n".join(problems)
        assert state["done"] == state["code_cells"], (
            f"{label}: only {state['done']} of {state['code_cells']} code cells ran (prompts: {state['prompts']})")
        shown_errors = page.locator(ui.error_boxes)
        assert shown_errors.count() == 0, f"{label} shows an error box: {shown_errors.first.inner_text()[:300]}"

        # 2. every widget output is a rendered widget
        n_widget_outputs = sum(WIDGET_MIME in out.get("data", {}) for cell in saved["cells"]
                               for out in cell.get("outputs", []))
        views = page.locator(ui.widget_views)
        assert views.count() == n_widget_outputs, (
            f"{label}: {n_widget_outputs} widget outputs in the notebook, {views.count()} shown as widgets")
        for i in range(views.count()):
            view = views.nth(i)
            text = view.inner_text()
            assert "Error displaying widget" not in text, f"{label}, widget {i + 1}: {text[:200]}"
            assert "Loading widget" not in text, f"{label}, widget {i + 1} never finished loading"
            assert view.locator(".jupyter-widgets-error-widget").count() == 0, (
                f"{label}, widget {i + 1} failed in the browser (JavaScript error): {text[:200]}")
            assert view.locator(".widget-box, .widget-inline-hbox, .widget-output").count() > 0, (
                f"{label}, widget {i + 1} rendered no controls")
        assert page.locator(ui.sliders).count() > 0, f"{label} shows no slider"

        # 3. dragging a slider redraws a panel's figure
        changed = None
        for i in range(views.count()):
            view = views.nth(i)
            if view.locator("img, [data-frames]").count() == 0:
                continue
            for j in range(view.locator(".widget-slider").count()):
                before = view.evaluate(FIGURE_SOURCES)
                if j == 0:
                    view.scroll_into_view_if_needed()
                    view.screenshot(path=str(SHOTS / f"{prefix}-panel{i + 1}-before.png"))
                if not _drag_slider(page, view.locator(".widget-slider").nth(j)):
                    continue
                try:
                    _wait_until(page, lambda view=view, before=before: view.evaluate(FIGURE_SOURCES) not in (before, ""),
                                20, "the figure to be redrawn")
                except AssertionError:
                    continue
                page.wait_for_timeout(300)
                view.screenshot(path=str(SHOTS / f"{prefix}-panel{i + 1}-after.png"))
                changed = (i, j)
                break
            if changed:
                break
        assert changed, f"{label}: dragging the sliders changed no panel's figure"

        # 4. every control of the first fast-frame panel; the saved copies stay hidden while the panels live
        panels = page.locator(ui.widget_views).filter(has=page.locator(PANEL_VIEW + " img.nbhelpers-frame"))
        copies = page.locator(".nbhelpers-panel-fallback")
        for i in range(copies.count()):
            assert not copies.nth(i).is_visible(), f"{label}: panel {i + 1}'s saved copy shows beside the live panel"
        if panels.count():
            times, moved = _move_every_control(page, panels.first, label, prefix)
            TIMINGS[label] = times
            median = sorted(times)[len(times) // 2]
            print(f"\n{label}: control change -> new picture on screen, median {median:.0f} ms over {len(times)} "
                  f"changes (min {min(times):.0f}, max {max(times):.0f}); moved: {', '.join(moved)}")
            (SHOTS / "timings.json").write_text(json.dumps(TIMINGS, indent=1))
        if page.locator(PANEL_VIEW).count():  # every panel, the playground too
            _check_narrow_window(page, ui, label, prefix)
        assert not page_errors, f"{label}: errors in the page's JavaScript: {page_errors[:3]}"
        n_panels = copies.count()
        _save(page, server, path.name)  # with the copies of the last pictures
    finally:
        context.close()

    # 5. the kernel gone, the saved notebook opened again: pictures and notes, no widget errors
    if n_panels:
        _shut_down_kernels(server)
        _check_reopened(browser, server, path.name, label, prefix, n_panels)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_runs_and_its_widgets_work_in_jupyterlab(path, chromium_path, request):
    if IPYWIDGETS_MAJOR is not None and IPYWIDGETS_MAJOR < 8:
        pytest.skip("ipywidgets 7 has no JupyterLab 4 front end; in this environment the classic Notebook test runs")
    _check_chapter(path, request.getfixturevalue("lab_server"), request.getfixturevalue("browser"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_runs_and_its_widgets_work_with_ipywidgets_7_in_classic_notebook(path, chromium_path, request):
    if IPYWIDGETS_MAJOR != 7 or NOTEBOOK_MAJOR != 6:
        pytest.skip("for CI's oldest-versions environment (ipywidgets 7.7 and the classic Notebook 6.5); "
                    f"here: ipywidgets {_shown(IPYWIDGETS_MAJOR)}, notebook {_shown(NOTEBOOK_MAJOR)}")
    _check_chapter(path, request.getfixturevalue("classic_server"), request.getfixturevalue("browser"))
